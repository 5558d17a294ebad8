// Money: an exact amount of one ISO 4217 currency, in integer minor units.
//
// "12.34 EUR" is 1234 cents; "1500 JPY" is 1500 yen (JPY has no minor unit); "1.250 BHD" is
// 1250 fils (three decimals). Amounts are never floating point: parsing refuses more decimals
// than the currency has instead of rounding, arithmetic refuses to overflow instead of
// wrapping, and Split divides an amount into parts that sum exactly to it. The royalty ledger
// stands on these three rules.
//
// Range: minor units lie in [-kMaxMinorUnits, kMaxMinorUnits] (INT64_MAX; INT64_MIN is
// excluded so that every amount can be negated).
//
// Currencies: the currencies of ISO 4217 List One (as published on 2026-01-01) with their
// minor-unit exponents. Fund codes (BOV, CHE, CLF, USN, ...), units of account (XDR, XAD, XUA,
// XSU, the XB* bond units), precious metals (XAU, ...), testing codes (XTS, XXX) and withdrawn
// currencies (BGN, ANG, HRK, SLL, ...) are rejected: nobody is paid in them. The table is in
// money.cpp.
//
// Thread-safety: value types and pure functions; safe from any thread.
#ifndef TUTTI_MONEY_H_
#define TUTTI_MONEY_H_

#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/status.h"

namespace tutti {

inline constexpr int64_t kMaxMinorUnits = std::numeric_limits<int64_t>::max();

// The number of decimals of `code` (an upper-case ISO 4217 code): 2 for EUR, 0 for JPY, 3
// for KWD. kInvalidArgument naming the code when it is not an active currency.
Result<int> CurrencyExponent(std::string_view code);

class Money {
 public:
  // `minor_units` of `currency`; kInvalidArgument for an unknown currency or INT64_MIN.
  static Result<Money> FromMinorUnits(std::string_view currency, int64_t minor_units);
  static Result<Money> Zero(std::string_view currency) { return FromMinorUnits(currency, 0); }

  // Parses "12.34 EUR", "EUR 12.34", "-0.5 USD", "1500 JPY": an optional '-', digits, and
  // optionally '.' and at most as many digits as the currency has decimals (fewer are
  // padded: "0.5 USD" is 50 cents), separated by one space from an upper-case currency code.
  // No '+', no thousands separators, no exponent, no surrounding spaces. Errors say what is
  // wrong: unknown currency, too many decimals for it, out of range, malformed.
  static Result<Money> Parse(std::string_view text);

  int64_t minor_units() const { return minor_units_; }
  std::string_view currency() const { return {currency_.data(), currency_.size()}; }
  int exponent() const { return exponent_; }

  // "12.34 EUR", "-0.50 USD", "1500 JPY", "1.250 BHD": always all the currency's decimals,
  // amount first, one space, the code. Parse(ToString()) gives back the same Money.
  std::string ToString() const;

  bool operator==(const Money&) const = default;

 private:
  Money(std::array<char, 3> currency, int exponent, int64_t minor_units)
      : minor_units_(minor_units), currency_(currency), exponent_(exponent) {}

  int64_t minor_units_;
  std::array<char, 3> currency_;
  int exponent_;
};

// a + b and a - b. kInvalidArgument when the currencies differ or the result leaves the
// range (naming both operands); never rounds, never wraps.
Result<Money> Add(const Money& a, const Money& b);
Result<Money> Subtract(const Money& a, const Money& b);
// -a; always representable (the range is symmetric).
Money Negate(const Money& a);

// Splits `total` into weights.size() parts proportional to `weights`, exactly: the parts
// sum to `total`, each part is the floor or the ceiling of its exact quota
// total * weight / sum(weights), a weight of 0 gets 0, and the result depends only on the
// amount and the weights (not on the platform). Largest remainder method; ties go to the
// lower index. A negative total is split as its magnitude and negated, so that
// Split(-x, w) == -Split(x, w). The rule and its proof are at the top of money.cpp.
// kInvalidArgument when `weights` is empty or all zero.
Result<std::vector<Money>> Split(const Money& total, std::span<const uint64_t> weights);

}  // namespace tutti

#endif  // TUTTI_MONEY_H_
