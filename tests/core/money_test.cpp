#include "tutti/money.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace tutti {
namespace {

__extension__ typedef unsigned __int128 Uint128;

Money M(const std::string& text) { return Money::Parse(text).value(); }

std::vector<int64_t> Units(const std::vector<Money>& parts) {
  std::vector<int64_t> out;
  for (const Money& m : parts) out.push_back(m.minor_units());
  return out;
}

std::vector<int64_t> SplitUnits(int64_t total, const std::vector<uint64_t>& weights,
                                const char* currency = "EUR") {
  auto parts = Split(Money::FromMinorUnits(currency, total).value(), weights);
  EXPECT_TRUE(parts.ok()) << parts.status().message();
  if (!parts.ok()) return {};
  for (const Money& m : *parts) EXPECT_EQ(m.currency(), currency);
  return Units(*parts);
}

void ExpectInvalid(const std::string& text, const std::string& fragment) {
  auto parsed = Money::Parse(text);
  ASSERT_FALSE(parsed.ok()) << text << " parsed as " << parsed->ToString();
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find(fragment), std::string::npos)
      << text << ": " << parsed.status().message();
}

// ---- currencies ------------------------------------------------------------------------

TEST(CurrencyTest, KnowsTheExponentsOfThePayoutCurrencies) {
  for (const char* two : {"EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
                          "BRL", "MXN", "ARS", "CAD", "AUD", "NZD", "INR", "IDR", "CNY", "HKD",
                          "SGD", "ZAR", "NGN", "KES", "TRY", "ILS", "AED", "SAR", "THB", "PHP",
                          "MYR", "TWD", "COP", "PEN", "EGP", "RON", "UAH", "XCG", "ZWG"}) {
    EXPECT_EQ(CurrencyExponent(two).value(), 2) << two;
  }
  for (const char* zero : {"JPY", "KRW", "CLP", "ISK", "VND", "PYG", "UGX", "XAF", "XOF"}) {
    EXPECT_EQ(CurrencyExponent(zero).value(), 0) << zero;
  }
  for (const char* three : {"BHD", "KWD", "JOD", "OMR", "TND", "IQD", "LYD"}) {
    EXPECT_EQ(CurrencyExponent(three).value(), 3) << three;
  }
}

TEST(CurrencyTest, RejectsUnknownFundMetalWithdrawnAndMalformedCodes) {
  for (const char* code : {"XXX", "XTS", "XAU", "XDR", "XAD", "CHE", "CLF", "USN", "UYW", "BGN",
                           "ANG", "HRK", "SLL", "DEM", "ZWL", "ABC"}) {
    auto e = CurrencyExponent(code);
    ASSERT_FALSE(e.ok()) << code;
    EXPECT_NE(e.status().message().find("not an active ISO 4217 currency"), std::string::npos);
    EXPECT_NE(e.status().message().find(code), std::string::npos);
  }
  for (const char* code : {"eur", "EU", "EURO", "", "E1R"}) {
    auto e = CurrencyExponent(code);
    ASSERT_FALSE(e.ok()) << code;
    EXPECT_NE(e.status().message().find("three upper-case letters"), std::string::npos);
  }
  EXPECT_FALSE(CurrencyExponent(std::string_view("EUR\0", 4)).ok());
  EXPECT_FALSE(Money::FromMinorUnits("XYZ", 1).ok());
}

// ---- parsing and printing -----------------------------------------------------------------

TEST(MoneyParseTest, AcceptsAmountFirstAndCodeFirst) {
  EXPECT_EQ(M("12.34 EUR").minor_units(), 1234);
  EXPECT_EQ(M("EUR 12.34"), M("12.34 EUR"));
  EXPECT_EQ(M("-0.5 USD").minor_units(), -50);
  EXPECT_EQ(M("USD -0.5").minor_units(), -50);
  EXPECT_EQ(M("0.5 USD").minor_units(), 50);
  EXPECT_EQ(M("7 EUR").minor_units(), 700);
  EXPECT_EQ(M("1500 JPY").minor_units(), 1500);
  EXPECT_EQ(M("1.25 KWD").minor_units(), 1250);
  EXPECT_EQ(M("1.250 BHD").minor_units(), 1250);
  EXPECT_EQ(M("0.001 OMR").minor_units(), 1);
  EXPECT_EQ(M("007.10 GBP").minor_units(), 710);
  EXPECT_EQ(M("-0 EUR").minor_units(), 0);
  EXPECT_EQ(M("12.34 EUR").currency(), "EUR");
  EXPECT_EQ(M("12.34 EUR").exponent(), 2);
}

TEST(MoneyParseTest, MoreDecimalsThanTheCurrencyHasIsAnErrorNotRounding) {
  ExpectInvalid("12.345 EUR", "3 decimals, but EUR has 2");
  ExpectInvalid("12.0 JPY", "1 decimals, but JPY has 0");
  ExpectInvalid("100.5 KRW", "KRW has 0");
  ExpectInvalid("1.2345 BHD", "BHD has 3");
  ExpectInvalid("0.001 USD", "never rounded");
}

TEST(MoneyParseTest, RejectsMalformedAmountsNamingTheInput) {
  ExpectInvalid("12.34EUR", "separated by one space");
  ExpectInvalid("12.34  EUR", "separated by one space");
  ExpectInvalid(" 12.34 EUR", "separated by one space");
  ExpectInvalid("12.34 EUR ", "separated by one space");
  ExpectInvalid("", "separated by one space");
  ExpectInvalid("12.34", "separated by one space");
  ExpectInvalid("EUR", "separated by one space");
  ExpectInvalid("+1 EUR", "expected digits");
  ExpectInvalid("1,000.00 EUR", "expected digits");
  ExpectInvalid("1e3 EUR", "expected digits");
  ExpectInvalid(".5 EUR", "expected digits");
  ExpectInvalid("-.5 EUR", "expected digits");
  ExpectInvalid("--5 EUR", "expected digits");
  ExpectInvalid("- EUR", "expected digits");
  ExpectInvalid("5. EUR", "digits after '.'");
  ExpectInvalid("5.-1 EUR", "digits after '.'");
  ExpectInvalid("5.1.2 EUR", "digits after '.'");
  ExpectInvalid("nan EUR", "three upper-case letters");  // "nan" taken as the code
  ExpectInvalid("12.34 eur", "three upper-case letters");
  ExpectInvalid("12.34 XXX", "not an active ISO 4217 currency");
  ExpectInvalid("12.34 EURO", "three upper-case letters");
  ExpectInvalid(std::string("1\0 EUR", 6), "expected digits");
}

TEST(MoneyParseTest, OverflowIsAnError) {
  // INT64_MAX minor units parse; one more does not, in either sign.
  EXPECT_EQ(M("92233720368547758.07 EUR").minor_units(), kMaxMinorUnits);
  EXPECT_EQ(M("-92233720368547758.07 EUR").minor_units(), -kMaxMinorUnits);
  EXPECT_EQ(M("9223372036854775807 JPY").minor_units(), kMaxMinorUnits);
  ExpectInvalid("92233720368547758.08 EUR", "out of range");
  ExpectInvalid("-92233720368547758.08 EUR", "out of range");  // INT64_MIN is excluded
  ExpectInvalid("9223372036854775808 JPY", "out of range");
  ExpectInvalid("92233720368547759 EUR", "out of range");
  ExpectInvalid(std::string(400, '9') + " USD", "out of range");
  ExpectInvalid("99999999999999999999999999999999999999999.99 USD", "out of range");
  EXPECT_FALSE(Money::FromMinorUnits("EUR", std::numeric_limits<int64_t>::min()).ok());
}

TEST(MoneyPrintTest, PrintsAllDecimalsAmountFirst) {
  EXPECT_EQ(M("EUR 12.34").ToString(), "12.34 EUR");
  EXPECT_EQ(M("-0.5 USD").ToString(), "-0.50 USD");
  EXPECT_EQ(M("7 EUR").ToString(), "7.00 EUR");
  EXPECT_EQ(M("0.05 EUR").ToString(), "0.05 EUR");
  EXPECT_EQ(M("1500 JPY").ToString(), "1500 JPY");
  EXPECT_EQ(M("-3 KRW").ToString(), "-3 KRW");
  EXPECT_EQ(M("1.25 BHD").ToString(), "1.250 BHD");
  EXPECT_EQ(M("-0.001 TND").ToString(), "-0.001 TND");
  EXPECT_EQ(Money::FromMinorUnits("EUR", kMaxMinorUnits)->ToString(), "92233720368547758.07 EUR");
  EXPECT_EQ(Money::FromMinorUnits("EUR", -kMaxMinorUnits)->ToString(), "-92233720368547758.07 EUR");
  EXPECT_EQ(Money::Zero("JPY")->ToString(), "0 JPY");
}

TEST(MoneyPrintTest, ParseOfToStringRoundTrips) {
  std::mt19937_64 rng(20261130);
  for (const char* code : {"EUR", "JPY", "KWD"}) {
    for (int i = 0; i < 2000; ++i) {
      int64_t units = static_cast<int64_t>(rng() >> (rng() % 64));
      if (rng() % 2) units = -units;
      Money m = Money::FromMinorUnits(code, units).value();
      EXPECT_EQ(Money::Parse(m.ToString()).value(), m) << m.ToString();
    }
  }
}

TEST(MoneyParseTest, ArbitraryTextParsesToAValidAmountOrFailsCleanly) {
  // Near-miss inputs built from the grammar's own characters: whatever parses must print and
  // parse back to itself; the rest must fail with kInvalidArgument (no crash, no wrap).
  const std::string alphabet = std::string("0123456789.- EURJPYKWDeu+,", 26) + '\0';
  std::mt19937_64 rng(7);
  int parsed = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text;
    const size_t length = rng() % 28;
    for (size_t j = 0; j < length; ++j) text += alphabet[rng() % alphabet.size()];
    if (rng() % 2) text += std::vector<const char*>{" EUR", " JPY", " KWD"}[rng() % 3];
    auto m = Money::Parse(text);
    if (!m.ok()) {
      ASSERT_EQ(m.status().code(), StatusCode::kInvalidArgument) << text;
      continue;
    }
    ++parsed;
    ASSERT_EQ(Money::Parse(m->ToString()).value(), *m) << text;
  }
  EXPECT_GT(parsed, 100) << "the generator should reach valid amounts too";
}

// ---- arithmetic ------------------------------------------------------------------------

TEST(MoneyArithmeticTest, AddsAndSubtractsTheSameCurrency) {
  EXPECT_EQ(Add(M("12.34 EUR"), M("0.66 EUR")).value(), M("13.00 EUR"));
  EXPECT_EQ(Subtract(M("1 EUR"), M("2.50 EUR")).value(), M("-1.50 EUR"));
  EXPECT_EQ(Negate(M("-1.50 EUR")), M("1.50 EUR"));
  EXPECT_EQ(Negate(Money::FromMinorUnits("USD", kMaxMinorUnits).value()).minor_units(),
            -kMaxMinorUnits);
}

TEST(MoneyArithmeticTest, RefusesMixedCurrencies) {
  auto sum = Add(M("1 EUR"), M("1 USD"));
  ASSERT_FALSE(sum.ok());
  EXPECT_NE(sum.status().message().find("different currencies"), std::string::npos);
  EXPECT_NE(sum.status().message().find("1.00 USD"), std::string::npos);
  EXPECT_FALSE(Subtract(M("1 EUR"), M("1 USD")).ok());
  // Same decimals, same amount, different currency: still refused.
  EXPECT_FALSE(Add(M("1 JPY"), M("1 KRW")).ok());
}

TEST(MoneyArithmeticTest, OverflowIsAnErrorNeverAWrap) {
  const Money max = Money::FromMinorUnits("EUR", kMaxMinorUnits).value();
  const Money min = Money::FromMinorUnits("EUR", -kMaxMinorUnits).value();
  const Money cent = M("0.01 EUR");
  auto over = Add(max, cent);
  ASSERT_FALSE(over.ok());
  EXPECT_NE(over.status().message().find("out of range"), std::string::npos);
  EXPECT_FALSE(Subtract(min, cent).ok());  // would be INT64_MIN: excluded
  EXPECT_FALSE(Add(min, Negate(cent)).ok());
  EXPECT_FALSE(Subtract(max, min).ok());
  EXPECT_FALSE(Subtract(min, max).ok());
  EXPECT_FALSE(Add(max, max).ok());
  EXPECT_EQ(Add(max, min)->minor_units(), 0);
  EXPECT_EQ(Subtract(max, cent)->minor_units(), kMaxMinorUnits - 1);
}

// ---- split ---------------------------------------------------------------------------------

// The exact quota total * w / W as floor and remainder, computed independently of Split.
struct Quota {
  int64_t floor;  // toward zero for the magnitude; signed like the total
  Uint128 remainder;
};
std::vector<Quota> Quotas(int64_t total, const std::vector<uint64_t>& weights) {
  Uint128 sum = 0;
  for (uint64_t w : weights) sum += w;
  const Uint128 magnitude = static_cast<Uint128>(total < 0 ? -total : total);
  std::vector<Quota> out;
  for (uint64_t w : weights) {
    const Uint128 p = magnitude * w;
    const auto f = static_cast<int64_t>(p / sum);
    out.push_back({total < 0 ? -f : f, p % sum});
  }
  return out;
}

// Every property Split promises, checked for one input.
void CheckSplitProperties(int64_t total, const std::vector<uint64_t>& weights) {
  SCOPED_TRACE("total " + std::to_string(total) + ", " + std::to_string(weights.size()) +
               " weights");
  const std::vector<int64_t> parts = SplitUnits(total, weights);
  ASSERT_EQ(parts.size(), weights.size());
  // Parts sum exactly to the total (in 128 bits, so the check itself cannot overflow).
  __extension__ __int128 sum = 0;
  for (int64_t p : parts) sum += p;
  EXPECT_TRUE(sum == total);
  // Each part is the floor or ceiling of its exact quota; whole quotas are exact; a weight of
  // 0 gets 0; extra units go to larger remainders first, then lower indexes.
  const std::vector<Quota> quotas = Quotas(total, weights);
  const int64_t unit = total < 0 ? -1 : 1;
  std::vector<size_t> bumped;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i] == quotas[i].floor) continue;
    ASSERT_EQ(parts[i], quotas[i].floor + unit) << "part " << i;
    ASSERT_NE(quotas[i].remainder, 0u) << "part " << i << " had a whole quota";
    bumped.push_back(i);
  }
  for (size_t b : bumped) {
    for (size_t i = 0; i < parts.size(); ++i) {
      if (parts[i] != quotas[i].floor) continue;
      EXPECT_TRUE(quotas[b].remainder > quotas[i].remainder ||
                  (quotas[b].remainder == quotas[i].remainder && b < i))
          << "part " << i << " should have had the extra unit before part " << b;
    }
  }
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] == 0) {
      EXPECT_EQ(parts[i], 0) << "part " << i;
    }
  }
  // Deterministic, and symmetric in sign.
  EXPECT_EQ(SplitUnits(total, weights), parts);
  std::vector<int64_t> negated = SplitUnits(-total, weights);
  for (int64_t& p : negated) p = -p;
  EXPECT_EQ(negated, parts);
}

TEST(MoneySplitTest, DocumentedExamples) {
  EXPECT_EQ(SplitUnits(100, {1, 1, 1}), (std::vector<int64_t>{34, 33, 33}));
  EXPECT_EQ(SplitUnits(-100, {1, 1, 1}), (std::vector<int64_t>{-34, -33, -33}));
  EXPECT_EQ(SplitUnits(100, {1, 2, 1}), (std::vector<int64_t>{25, 50, 25}));
  // 10 by 1:1:1:1:2: quotas 5/3 (x4) and 10/3, floors 1, 1, 1, 1, 3 leave 3 units; the
  // remainders are 2/3 (x4) and 1/3, so the units go to the first three (tied: lower index).
  EXPECT_EQ(SplitUnits(10, {1, 1, 1, 1, 2}), (std::vector<int64_t>{2, 2, 2, 1, 3}));
  // A larger remainder wins over a lower index: 1 by 1:2 gives the unit to the second.
  EXPECT_EQ(SplitUnits(1, {1, 2}), (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(SplitUnits(0, {5, 7}), (std::vector<int64_t>{0, 0}));
  // Percentages in basis points of a royalty pool, in JPY (no decimals).
  EXPECT_EQ(SplitUnits(1001, {5000, 2500, 2500}, "JPY"), (std::vector<int64_t>{501, 250, 250}));
}

TEST(MoneySplitTest, EdgeCases) {
  EXPECT_EQ(SplitUnits(12345, {7}), (std::vector<int64_t>{12345}));
  EXPECT_EQ(SplitUnits(-12345, {1}), (std::vector<int64_t>{-12345}));
  EXPECT_EQ(SplitUnits(5, {0, 3, 0, 3, 0}), (std::vector<int64_t>{0, 3, 0, 2, 0}));
  EXPECT_EQ(SplitUnits(5, {0, 1}), (std::vector<int64_t>{0, 5}));
  // Fewer units than parts: one each to the first, by index.
  EXPECT_EQ(SplitUnits(2, {1, 1, 1, 1}), (std::vector<int64_t>{1, 1, 0, 0}));
  // Near the limits of int64 and uint64.
  const uint64_t kHuge = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(SplitUnits(kMaxMinorUnits, {kHuge, kHuge}),
            (std::vector<int64_t>{kMaxMinorUnits / 2 + 1, kMaxMinorUnits / 2}));
  EXPECT_EQ(SplitUnits(-kMaxMinorUnits, {1, kHuge}), (std::vector<int64_t>{0, -kMaxMinorUnits}));
  EXPECT_EQ(SplitUnits(kMaxMinorUnits, {kHuge, 1}), (std::vector<int64_t>{kMaxMinorUnits, 0}));
  std::vector<uint64_t> many_huge(1000, kHuge);  // the weight sum needs more than 64 bits
  CheckSplitProperties(kMaxMinorUnits, many_huge);
  CheckSplitProperties(-kMaxMinorUnits, {kHuge, kHuge - 1, 1, 0, kHuge / 3});
  CheckSplitProperties(kMaxMinorUnits, {1, 1, 1});
  CheckSplitProperties(1, std::vector<uint64_t>(10000, 1));
}

TEST(MoneySplitTest, RejectsNoWeightsAndAllZeroWeights) {
  auto none = Split(M("1 EUR"), {});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("no weights"), std::string::npos);
  const std::vector<uint64_t> zeros = {0, 0, 0};
  auto zero = Split(M("1 EUR"), zeros);
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.status().message().find("all 3 weights are zero"), std::string::npos);
  EXPECT_NE(zero.status().message().find("1.00 EUR"), std::string::npos);
}

// Random totals and weights of every magnitude (seeded: the same cases every run).
class SplitPropertyTest : public ::testing::Test {
 protected:
  int64_t RandomTotal() {
    int64_t t = static_cast<int64_t>(rng_() >> (1 + rng_() % 63));  // 0 .. INT64_MAX
    return rng_() % 2 ? -t : t;
  }
  std::vector<uint64_t> RandomWeights(uint64_t max_bits) {
    std::vector<uint64_t> w(1 + rng_() % 12);
    for (uint64_t& x : w) {
      const uint64_t bits = 1 + rng_() % max_bits;
      x = rng_() % 4 == 0 ? 0 : rng_() >> (64 - bits);
    }
    if (rng_() % 8 == 0) w[rng_() % w.size()] = std::numeric_limits<uint64_t>::max();
    return w;
  }
  std::mt19937_64 rng_{20261130};
};

TEST_F(SplitPropertyTest, PartsAreExactFloorOrCeilingAndSumToTheTotal) {
  for (int i = 0; i < 20000; ++i) {
    std::vector<uint64_t> w = RandomWeights(64);
    if (std::all_of(w.begin(), w.end(), [](uint64_t x) { return x == 0; })) w[0] = 1;
    const int64_t total = i % 3 == 0 ? static_cast<int64_t>(rng_() % 1000) : RandomTotal();
    CheckSplitProperties(total, w);
    if (HasFatalFailure()) return;
  }
}

TEST_F(SplitPropertyTest, ScalingTheWeightsGivesTheSameSplit) {
  for (int i = 0; i < 5000; ++i) {
    std::vector<uint64_t> w = RandomWeights(32);
    for (uint64_t& x : w) x &= 0xffffffffu;
    if (std::all_of(w.begin(), w.end(), [](uint64_t x) { return x == 0; })) w[0] = 1;
    const uint64_t k = 1 + (rng_() >> 32);
    std::vector<uint64_t> scaled = w;
    for (uint64_t& x : scaled) x *= k;  // < 2^64: no overflow
    const int64_t total = RandomTotal();
    EXPECT_EQ(SplitUnits(total, scaled), SplitUnits(total, w)) << "factor " << k;
  }
}

TEST_F(SplitPropertyTest, PermutingTheWeightsPermutesTheParts) {
  for (int i = 0; i < 5000; ++i) {
    std::vector<uint64_t> w = RandomWeights(i % 2 ? 64 : 4);  // small weights: many ties
    if (std::all_of(w.begin(), w.end(), [](uint64_t x) { return x == 0; })) w[0] = 1;
    const int64_t total = i % 2 ? RandomTotal() : static_cast<int64_t>(rng_() % 50);
    std::vector<size_t> perm(w.size());
    std::iota(perm.begin(), perm.end(), size_t{0});
    std::shuffle(perm.begin(), perm.end(), rng_);
    std::vector<uint64_t> permuted(w.size());
    for (size_t j = 0; j < w.size(); ++j) permuted[j] = w[perm[j]];
    const std::vector<int64_t> parts = SplitUnits(total, w);
    const std::vector<int64_t> permuted_parts = SplitUnits(total, permuted);
    // A part follows its weight, except that among parts tied on the remainder the extra
    // units go by index; so compare exactly where the remainder is unique, and compare the
    // number of extra units among each group of ties.
    const std::vector<Quota> q = Quotas(total, w);
    std::map<Uint128, int64_t> extra_by_remainder, permuted_extra_by_remainder;
    for (size_t j = 0; j < w.size(); ++j) {
      const size_t orig = perm[j];
      const bool tied = std::count_if(q.begin(), q.end(), [&](const Quota& x) {
                          return x.remainder == q[orig].remainder;
                        }) > 1;
      if (!tied) {
        EXPECT_EQ(permuted_parts[j], parts[orig]) << "weight " << w[orig];
      }
      extra_by_remainder[q[orig].remainder] += parts[orig] - q[orig].floor;
      permuted_extra_by_remainder[q[orig].remainder] += permuted_parts[j] - q[orig].floor;
    }
    EXPECT_EQ(extra_by_remainder, permuted_extra_by_remainder);
  }
}

}  // namespace
}  // namespace tutti
