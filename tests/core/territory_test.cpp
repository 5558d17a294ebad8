#include "tutti/territory.h"

#include <gtest/gtest.h>

namespace tutti {
namespace {

TEST(TerritoryTest, KnowsTheIsoList) {
  EXPECT_EQ(TerritoryCode(ParseTerritory("fr").value()), "FR");
  EXPECT_FALSE(ParseTerritory("XX").ok());
  EXPECT_FALSE(ParseTerritory("UK").ok());  // the ISO code is GB
  for (int t = 1; t < kTerritoryCount; ++t) {
    EXPECT_LT(TerritoryCode(static_cast<Territory>(t - 1)),
              TerritoryCode(static_cast<Territory>(t)));
  }
}

TEST(TerritorySetTest, WorldWithExclusions) {
  TerritorySet s = TerritorySet::Parse("WORLD,-US").value();
  EXPECT_FALSE(s.Contains(ParseTerritory("US").value()));
  EXPECT_TRUE(s.Contains(ParseTerritory("FR").value()));
  EXPECT_EQ(s.size(), kTerritoryCount - 1);
  EXPECT_EQ(s.ToString(), "WORLD,-US");
}

TEST(TerritorySetTest, ListsAndRoundTrip) {
  TerritorySet s = TerritorySet::Parse("FR, DE").value();
  EXPECT_EQ(s.size(), 2);
  EXPECT_EQ(s.ToString(), "DE,FR");
  EXPECT_EQ(TerritorySet::Parse(s.ToString()).value(), s);
  EXPECT_TRUE(TerritorySet::Parse("WORLD").value().IsWorld());
}

TEST(TerritorySetTest, RejectsEmptyAndUnknown) {
  EXPECT_FALSE(TerritorySet::Parse("").ok());
  EXPECT_FALSE(TerritorySet::Parse("US,-US").ok());
  EXPECT_FALSE(TerritorySet::Parse("FR,,DE").ok());
  auto bad = TerritorySet::Parse("WORLD,-ZZ");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'ZZ'"), std::string::npos);
}

}  // namespace
}  // namespace tutti
