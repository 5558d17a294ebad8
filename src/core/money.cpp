// Money: exact amounts, and how Split rounds.
//
// Split(total, weights): the largest remainder method (Hamilton's method), in exact integer
// arithmetic. Let T = |total| in minor units (T <= 2^63 - 1), w_i the weights, and
// W = sum w_i (computed in 128 bits, so it cannot overflow: fewer than 2^64 weights, each
// below 2^64). The exact quota of part i is T * w_i / W; with the 128-bit product
// P_i = T * w_i (< 2^127, no overflow):
//
//     floor_i = P_i / W        remainder_i = P_i % W        (0 <= remainder_i < W)
//
// The floors fall short of T by k = (sum remainder_i) / W, an integer with 0 <= k < n,
// because sum P_i = T * W. The k parts with the largest remainders get floor_i + 1, the
// others floor_i. Remainders are compared exactly (all share the denominator W), and ties go
// to the lower index. So:
//
//   * the parts sum to T exactly;
//   * each part is floor_i or floor_i + 1 = ceil_i (at least k remainders are non-zero, since
//     each is below W and they sum to k * W, so a part whose quota is whole, a weight of 0
//     included, never gets the extra unit);
//   * multiplying every weight by the same factor multiplies W and every remainder by it and
//     changes neither floors nor order: the same split;
//   * permuting the weights permutes the parts, except among parts tied at the cut-off
//     remainder, which are ordered by index;
//   * a negative total is split as T = -total and every part negated (Split(-x) ==
//     -Split(x)): the extra units of magnitude go to the largest remainders either way, and
//     each part is still the floor or ceiling of its (negative) quota.
//
// Example: 100 cents by weights 1, 1, 1: quotas 33 1/3 each, floors 33, k = 1, remainders
// tied, so the first part gets 34: 34, 33, 33.
#include "tutti/money.h"

#include <algorithm>
#include <numeric>

namespace tutti {
namespace {

__extension__ typedef unsigned __int128 Uint128;

struct CurrencyInfo {
  char code[4];
  int exponent;
};

// ISO 4217 List One as published on 2026-01-01, currencies only (no funds, units of account,
// metals, test codes; withdrawn codes are no longer on the list), sorted by code for binary
// search. Exponents are the standard's "minor unit". Update from the maintenance agency's
// list-one.xml when an amendment adds or withdraws a currency.
constexpr CurrencyInfo kCurrencies[] = {
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2}, {"AWG", 2},
    {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BHD", 3}, {"BIF", 0}, {"BMD", 2}, {"BND", 2},
    {"BOB", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2}, {"BYN", 2}, {"BZD", 2}, {"CAD", 2},
    {"CDF", 2}, {"CHF", 2}, {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"CRC", 2}, {"CUP", 2}, {"CVE", 2},
    {"CZK", 2}, {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2},
    {"EUR", 2}, {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2},
    {"GNF", 0}, {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2},
    {"ILS", 2}, {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3}, {"JPY", 0},
    {"KES", 2}, {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3}, {"KYD", 2},
    {"KZT", 2}, {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2},
    {"MDL", 2}, {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2}, {"MUR", 2},
    {"MVR", 2}, {"MWK", 2}, {"MXN", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2},
    {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2},
    {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2}, {"RWF", 0},
    {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2}, {"SHP", 2}, {"SLE", 2},
    {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2}, {"THB", 2},
    {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2}, {"TWD", 2}, {"TZS", 2},
    {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"UYU", 2}, {"UZS", 2}, {"VED", 2}, {"VES", 2}, {"VND", 0},
    {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2}, {"XCG", 2}, {"XOF", 0}, {"XPF", 0}, {"YER", 2},
    {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
};

constexpr bool CodeLess(const CurrencyInfo& a, const CurrencyInfo& b) {
  return std::string_view(a.code, 3) < std::string_view(b.code, 3);
}
static_assert(std::is_sorted(std::begin(kCurrencies), std::end(kCurrencies), CodeLess),
              "kCurrencies must stay sorted: CurrencyExponent searches it");

// 10^e for e in [0, 3].
constexpr int64_t kPowersOfTen[] = {1, 10, 100, 1000};

const CurrencyInfo* FindCurrency(std::string_view code) {
  if (code.size() != 3) return nullptr;
  CurrencyInfo key{{code[0], code[1], code[2], '\0'}, 0};
  const auto* it = std::lower_bound(std::begin(kCurrencies), std::end(kCurrencies), key, CodeLess);
  if (it == std::end(kCurrencies) || std::string_view(it->code, 3) != code) return nullptr;
  return it;
}

bool IsUpperCode(std::string_view code) {
  return code.size() == 3 &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

Status UnknownCurrency(std::string_view code) {
  if (!IsUpperCode(code)) {
    return Status::Invalid("currency '" + std::string(code) +
                           "' is not an ISO 4217 code (three upper-case letters, such as EUR)");
  }
  return Status::Invalid("currency '" + std::string(code) + "' is not an active ISO 4217 currency");
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses "-12.34" as minor units with `exponent` decimals; `text` is the whole input, for
// messages.
Result<int64_t> ParseAmount(std::string_view amount, int exponent, std::string_view code,
                            std::string_view text) {
  auto malformed = [&](const std::string& why) {
    return Status::Invalid("amount '" + std::string(text) + "': " + why);
  };
  bool negative = false;
  if (!amount.empty() && amount.front() == '-') {
    negative = true;
    amount.remove_prefix(1);
  }
  const size_t dot = amount.find('.');
  std::string_view whole = amount.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : amount.substr(dot + 1);
  if (whole.empty() || !std::all_of(whole.begin(), whole.end(), IsDigit)) {
    return malformed("expected digits, optionally with '-' before and '.' and decimals after");
  }
  if (dot != std::string_view::npos &&
      (fraction.empty() || !std::all_of(fraction.begin(), fraction.end(), IsDigit))) {
    return malformed("expected digits after '.'");
  }
  if (fraction.size() > static_cast<size_t>(exponent)) {
    return malformed(std::to_string(fraction.size()) + " decimals, but " + std::string(code) +
                     " has " + std::to_string(exponent) + " (amounts are never rounded)");
  }
  // Accumulate in 128 bits: the digits of the whole part are bounded below, so the value
  // cannot overflow before the range check.
  Uint128 value = 0;
  const Uint128 kLimit = static_cast<Uint128>(kMaxMinorUnits);
  auto out_of_range = [&] {
    return malformed("out of range (at most " + std::to_string(kMaxMinorUnits) +
                     " minor units of " + std::string(code) + ")");
  };
  for (char c : whole) {
    value = value * 10 + static_cast<unsigned>(c - '0');
    if (value > kLimit) return out_of_range();
  }
  for (int i = 0; i < exponent; ++i) {
    const unsigned digit =
        static_cast<size_t>(i) < fraction.size() ? static_cast<unsigned>(fraction[i] - '0') : 0;
    value = value * 10 + digit;
    if (value > kLimit) return out_of_range();
  }
  const auto magnitude = static_cast<int64_t>(value);
  return negative ? -magnitude : magnitude;
}

std::string Describe(const Money& m) { return "'" + m.ToString() + "'"; }

}  // namespace

Result<int> CurrencyExponent(std::string_view code) {
  const CurrencyInfo* info = FindCurrency(code);
  if (info == nullptr) return UnknownCurrency(code);
  return info->exponent;
}

Result<Money> Money::FromMinorUnits(std::string_view currency, int64_t minor_units) {
  const CurrencyInfo* info = FindCurrency(currency);
  if (info == nullptr) return UnknownCurrency(currency);
  if (minor_units < -kMaxMinorUnits) {
    return Status::Invalid("amount of " + std::string(currency) +
                           " out of range: minor units must lie within +/-" +
                           std::to_string(kMaxMinorUnits));
  }
  return Money({info->code[0], info->code[1], info->code[2]}, info->exponent, minor_units);
}

Result<Money> Money::Parse(std::string_view text) {
  const size_t space = text.find(' ');
  if (space == std::string_view::npos || text.find(' ', space + 1) != std::string_view::npos) {
    return Status::Invalid("amount '" + std::string(text) +
                           "': expected an amount and a currency separated by one space, "
                           "such as '12.34 EUR'");
  }
  std::string_view first = text.substr(0, space);
  std::string_view second = text.substr(space + 1);
  // The code is whichever side starts with a letter: "EUR 12.34" or "12.34 EUR".
  const bool code_first = !first.empty() && ((first[0] >= 'A' && first[0] <= 'Z') ||
                                             (first[0] >= 'a' && first[0] <= 'z'));
  std::string_view code = code_first ? first : second;
  std::string_view amount = code_first ? second : first;
  const CurrencyInfo* info = FindCurrency(code);
  if (info == nullptr) {
    return UnknownCurrency(code).WithContext("amount '" + std::string(text) + "'");
  }
  TUTTI_ASSIGN_OR_RETURN(int64_t minor, ParseAmount(amount, info->exponent, code, text));
  return Money({info->code[0], info->code[1], info->code[2]}, info->exponent, minor);
}

std::string Money::ToString() const {
  // Magnitude in unsigned arithmetic: minor_units_ is never INT64_MIN, but stay safe anyway.
  const bool negative = minor_units_ < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(minor_units_) : static_cast<uint64_t>(minor_units_);
  const auto scale = static_cast<uint64_t>(kPowersOfTen[exponent_]);
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / scale);
  if (exponent_ > 0) {
    std::string fraction = std::to_string(magnitude % scale);
    out += '.';
    out.append(static_cast<size_t>(exponent_) - fraction.size(), '0');
    out += fraction;
  }
  out += ' ';
  out += currency();
  return out;
}

Result<Money> Add(const Money& a, const Money& b) {
  if (a.currency() != b.currency()) {
    return Status::Invalid("cannot add " + Describe(b) + " to " + Describe(a) +
                           ": different currencies");
  }
  int64_t sum = 0;
  if (__builtin_add_overflow(a.minor_units(), b.minor_units(), &sum) || sum < -kMaxMinorUnits) {
    return Status::Invalid(Describe(a) + " + " + Describe(b) + " is out of range");
  }
  return Money::FromMinorUnits(a.currency(), sum);
}

Result<Money> Subtract(const Money& a, const Money& b) {
  if (a.currency() != b.currency()) {
    return Status::Invalid("cannot subtract " + Describe(b) + " from " + Describe(a) +
                           ": different currencies");
  }
  int64_t difference = 0;
  if (__builtin_sub_overflow(a.minor_units(), b.minor_units(), &difference) ||
      difference < -kMaxMinorUnits) {
    return Status::Invalid(Describe(a) + " - " + Describe(b) + " is out of range");
  }
  return Money::FromMinorUnits(a.currency(), difference);
}

Money Negate(const Money& a) {
  // -a of a valid amount is in range by construction; FromMinorUnits cannot fail here.
  return Money::FromMinorUnits(a.currency(), -a.minor_units()).value();
}

Result<std::vector<Money>> Split(const Money& total, std::span<const uint64_t> weights) {
  if (weights.empty()) {
    return Status::Invalid("cannot split " + Describe(total) + " among no weights");
  }
  Uint128 weight_sum = 0;
  for (uint64_t w : weights) weight_sum += w;
  if (weight_sum == 0) {
    return Status::Invalid("cannot split " + Describe(total) + ": all " +
                           std::to_string(weights.size()) + " weights are zero");
  }
  const bool negative = total.minor_units() < 0;
  const auto magnitude =
      static_cast<Uint128>(negative ? -total.minor_units() : total.minor_units());
  const size_t n = weights.size();
  std::vector<uint64_t> parts(n);
  std::vector<Uint128> remainders(n);
  uint64_t floors_sum = 0;
  for (size_t i = 0; i < n; ++i) {
    const Uint128 product = magnitude * weights[i];
    // floor <= magnitude < 2^63: fits.
    parts[i] = static_cast<uint64_t>(product / weight_sum);
    remainders[i] = product % weight_sum;
    floors_sum += parts[i];
  }
  // Units left over after the floors: 0 <= left < n (see the top of the file).
  const auto left = static_cast<size_t>(static_cast<uint64_t>(magnitude) - floors_sum);
  if (left > 0) {
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), size_t{0});
    // Only the first `left` in order matter: larger remainder first, then lower index.
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(left), order.end(),
                      [&](size_t a, size_t b) {
                        if (remainders[a] != remainders[b]) return remainders[a] > remainders[b];
                        return a < b;
                      });
    for (size_t j = 0; j < left; ++j) parts[order[j]] += 1;
  }
  std::vector<Money> out;
  out.reserve(n);
  for (uint64_t part : parts) {
    const auto signed_part = static_cast<int64_t>(part);  // part <= magnitude <= INT64_MAX
    TUTTI_ASSIGN_OR_RETURN(
        Money m, Money::FromMinorUnits(total.currency(), negative ? -signed_part : signed_part));
    out.push_back(m);
  }
  return out;
}

}  // namespace tutti
