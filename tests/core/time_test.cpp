#include "tutti/time.h"

#include <gtest/gtest.h>

namespace tutti {
namespace {

TEST(TimeTest, ParsesDatesAsMidnightUtc) {
  EXPECT_EQ(ParseTime("1970-01-01").value(), 0);
  EXPECT_EQ(ParseTime("2026-06-01").value(), 1780272000);
}

TEST(TimeTest, ParsesTimesWithZones) {
  Timestamp noon = ParseTime("2026-06-01T12:00:00Z").value();
  EXPECT_EQ(noon, 1780272000 + 12 * 3600);
  EXPECT_EQ(ParseTime("2026-06-01T14:00:00+02:00").value(), noon);
  EXPECT_EQ(ParseTime("2026-06-01T07:00-05:00").value(), noon);
  EXPECT_EQ(ParseTime("2026-06-01T12:00:00.750Z").value(), noon);
}

TEST(TimeTest, RejectsBadInputWithTheReason) {
  for (const char* bad : {"", "2026-13-01", "2026-02-30", "2026/06/01", "2026-06-01T12:00:00",
                          "2026-06-01T25:00Z", "2026-06-01T12:00Zjunk", "yesterday"}) {
    auto t = ParseTime(bad);
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_NE(t.status().message().find("ISO 8601"), std::string::npos) << bad;
  }
}

TEST(TimeTest, FormatsRoundTrip) {
  for (const char* text :
       {"2026-06-01T12:00:00Z", "1999-12-31T23:59:59Z", "2024-02-29T00:00:00Z"}) {
    EXPECT_EQ(FormatTime(ParseTime(text).value()), text);
  }
  EXPECT_EQ(FormatTime(kForever), "forever");
}

}  // namespace
}  // namespace tutti
