#include "tutti/codes.h"

#include <gtest/gtest.h>

namespace tutti {
namespace {

TEST(IsrcTest, AcceptsHyphenatedAndBareForms) {
  EXPECT_EQ(ParseIsrc("US-RC1-76-07839").value(), "USRC17607839");
  EXPECT_EQ(ParseIsrc("gbaye0601498").value(), "GBAYE0601498");
}

TEST(IsrcTest, RejectsMalformedCodesWithTheReason) {
  auto short_code = ParseIsrc("US-RC1-76-0783");
  ASSERT_FALSE(short_code.ok());
  EXPECT_NE(short_code.status().message().find("12 characters"), std::string::npos);
  EXPECT_FALSE(ParseIsrc("1S-RC1-76-07839").ok());  // country must be letters
  EXPECT_FALSE(ParseIsrc("US-RC1-7A-07839").ok());  // year must be digits
  EXPECT_FALSE(ParseIsrc("US-R!1-76-07839").ok());
  EXPECT_FALSE(ParseIsrc("").ok());
}

TEST(IswcTest, VerifiesTheCheckDigit) {
  EXPECT_EQ(ParseIswc("T-034.524.680-1").value(), "T0345246801");
  EXPECT_EQ(ParseIswc("T0345246801").value(), "T0345246801");
  auto wrong = ParseIswc("T-034.524.680-2");
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.status().message().find("should be 1"), std::string::npos);
  EXPECT_FALSE(ParseIswc("X-034.524.680-1").ok());
  EXPECT_FALSE(ParseIswc("T-034.524.680").ok());
}

TEST(IswcTest, FormatsTheCanonicalForm) { EXPECT_EQ(FormatIswc("T0345246801"), "T-034.524.680-1"); }

TEST(IpiTest, PadsToElevenDigits) {
  EXPECT_EQ(ParseIpi("52210040").ok(), false);  // 8 digits
  EXPECT_EQ(ParseIpi("052210040").value(), "00052210040");
  EXPECT_FALSE(ParseIpi("0005221004X").ok());
}

}  // namespace
}  // namespace tutti
