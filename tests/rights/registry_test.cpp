#include <gtest/gtest.h>

#include "registry_fixture.h"

namespace tutti {
namespace {

using namespace tutti::testing;

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override { BuildSmallRegistry(reg_); }
  Registry reg_;
};

TEST_F(RegistryTest, CodesAreStoredCanonical) {
  EXPECT_EQ(reg_.FindWork("W1")->iswc, "T0345246801");
  EXPECT_EQ(reg_.FindRecording("R1")->isrc, "USRC17607839");
}

TEST_F(RegistryTest, SharesMustSumToExactlyOneHundred) {
  Status s = reg_.AddWork({"W2", "Short", "", {S("writer", 500'000), S("pub", 400'000)}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "shares of work 'W2' sum to 90%, not 100%");
  EXPECT_EQ(reg_.FindWork("W2"), nullptr);
  // Thirds that a contract writes exactly.
  EXPECT_TRUE(
      reg_.AddWork(
              {"W3", "Thirds", "", {S("writer", 333'333), S("pub", 333'333), S("label", 333'334)}})
          .ok());
}

TEST_F(RegistryTest, TerritorialSharesSumPerTerritory) {
  EXPECT_TRUE(reg_.AddWork({"W2",
                            "Split",
                            "",
                            {S("writer", 500'000), S("pub", 500'000, "WORLD,-JP"),
                             S("label", 500'000, "JP")}})
                  .ok());
  Status s =
      reg_.AddWork({"W3", "Gap", "", {S("writer", 500'000), S("pub", 500'000, "WORLD,-JP")}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "shares of work 'W3' sum to 50% in JP, not 100%");
}

TEST_F(RegistryTest, OneSharePerOwnerAndTerritory) {
  Status s = reg_.AddWork({"W2", "Twice", "", {S("writer", 500'000), S("writer", 500'000)}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("two shares"), std::string::npos) << s.message();
}

TEST_F(RegistryTest, UnknownIdsAreNamed) {
  Status s = reg_.AddRecording({"R2", "X", "", "W9", {"artist"}, {S("label", kWhole)}, "", ""});
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "recording 'R2': unknown work 'W9'");
  s = reg_.AddRecording({"R2", "X", "", "W1", {"nobody"}, {S("label", kWhole)}, "", ""});
  EXPECT_EQ(s.message(), "recording 'R2': unknown artist 'nobody'");
  s = reg_.AddWork({"W2", "X", "", {S("ghost", kWhole)}});
  EXPECT_EQ(s.message(), "work 'W2': unknown party 'ghost'");
  EXPECT_EQ(reg_.recordings().size(), 1u);
}

TEST_F(RegistryTest, DuplicateIdsAreRefused) {
  EXPECT_EQ(reg_.AddParty({"label", PartyKind::kLabel, "Again", ""}).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(reg_.AddParty({"bad id", PartyKind::kLabel, "Bad", ""}).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(RegistryTest, MalformedCodesAreRefused) {
  EXPECT_FALSE(reg_.AddWork({"W2", "X", "T-034.524.680-9", {S("writer", kWhole)}}).ok());
  EXPECT_FALSE(
      reg_.AddRecording({"R2", "X", "US-RC1-76", "W1", {"artist"}, {S("label", kWhole)}, "", ""})
          .ok());
  EXPECT_FALSE(reg_.AddParty({"p", PartyKind::kArtist, "P", "12ab"}).ok());
}

TEST_F(RegistryTest, ProductsLicenseButNeverOwn) {
  Status s = reg_.AddWork({"W2", "X", "", {S("muse", kWhole)}});
  EXPECT_NE(s.message().find("cannot own"), std::string::npos);
  License l = CatalogLicense("L1", "label");
  l.licensee = "pub";
  s = reg_.AddLicense(l);
  EXPECT_NE(s.message().find("kind product"), std::string::npos) << s.message();
}

TEST_F(RegistryTest, LicensesNeedCoverageAndATerm) {
  License l = CatalogLicense("L1", "label");
  l.recordings = {"R1"};
  EXPECT_NE(reg_.AddLicense(l).message().find("not both"), std::string::npos);
  l.catalog = false;
  l.recordings.clear();
  EXPECT_NE(reg_.AddLicense(l).message().find("not neither"), std::string::npos);
  l = CatalogLicense("L1", "label");
  l.until = l.from;
  EXPECT_NE(reg_.AddLicense(l).message().find("ends"), std::string::npos);
  l = CatalogLicense("L1", "label");
  l.recordings = {"R404"};
  l.catalog = false;
  EXPECT_EQ(reg_.AddLicense(l).message(), "license 'L1': unknown recording 'R404'");
  EXPECT_TRUE(reg_.licenses().empty());
}

TEST_F(RegistryTest, ConsentNeedsASayAndDistinctTimes) {
  ASSERT_TRUE(reg_.AddParty({"stranger", PartyKind::kArtist, "Someone Else", ""}).ok());
  Status s = reg_.AddConsent(
      Statement("stranger", ConsentScope::kRecording, "R1", Use::kTrain, false, "2026-01-01"));
  EXPECT_NE(s.message().find("no say"), std::string::npos) << s.message();
  ASSERT_TRUE(reg_.AddConsent(Statement("writer", ConsentScope::kRecording, "R1", Use::kTrain,
                                        false, "2026-01-01"))
                  .ok());
  s = reg_.AddConsent(
      Statement("writer", ConsentScope::kRecording, "R1", Use::kTrain, true, "2026-01-01"));
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(s.message().find("overlap"), std::string::npos);
  // A different use, or a later time, is a new statement.
  EXPECT_TRUE(reg_.AddConsent(Statement("writer", ConsentScope::kRecording, "R1", Use::kStyle, true,
                                        "2026-01-01"))
                  .ok());
  EXPECT_EQ(reg_.consents().size(), 2u);
}

TEST_F(RegistryTest, NextIdSkipsTakenIds) {
  std::string id = reg_.NextId("R");
  EXPECT_EQ(reg_.FindRecording(id), nullptr);
  EXPECT_EQ(reg_.FindParty(id), nullptr);
}

TEST(PercentTest, ExactToFourDecimals) {
  EXPECT_EQ(ParsePercent("100").value(), kWhole);
  EXPECT_EQ(ParsePercent("33.3333").value(), 333'333);
  EXPECT_EQ(ParsePercent("12.5%").value(), 125'000);
  EXPECT_FALSE(ParsePercent("33.33333").ok());
  EXPECT_FALSE(ParsePercent("100.0001").ok());
  EXPECT_FALSE(ParsePercent("-5").ok());
  EXPECT_FALSE(ParsePercent("abc").ok());
  EXPECT_EQ(FormatPercent(333'333), "33.3333%");
  EXPECT_EQ(FormatPercent(kWhole), "100%");
}

TEST_F(RegistryTest, AnArtistListedTwiceIsRefused) {
  Status s = reg_.AddRecording(
      {"R2", "Echo", "", "W1", {"artist", "writer", "artist"}, {S("label", kWhole)}, "", ""});
  EXPECT_EQ(s.message(), "recording 'R2': artist 'artist' is listed twice");
  EXPECT_EQ(reg_.FindRecording("R2"), nullptr);
}

// The index counts a recording's owners and artists in 16 bits; more is refused by name.
TEST_F(RegistryTest, MoreThan65535ArtistsOrSharesAreRefused) {
  constexpr int kMany = 65536;
  std::vector<std::string> artists;
  std::vector<Share> shares;
  for (int i = 0; i < kMany; ++i) {
    std::string id = "a" + std::to_string(i);
    ASSERT_TRUE(reg_.AddParty({id, PartyKind::kArtist, "Artist " + id, ""}).ok());
    artists.push_back(id);
    shares.push_back(S(id, i == 0 ? kWhole - 15 * (kMany - 1) : 15));  // sums to 100%
  }
  Status s = reg_.AddRecording({"R2", "Choir", "", "W1", artists, {S("label", kWhole)}, "", ""});
  EXPECT_EQ(s.message(), "recording 'R2' has more than 65535 shares or artists");
  s = reg_.AddWork({"W2", "Crowd", "", shares});
  EXPECT_EQ(s.message(), "work 'W2' has more than 65535 shares");
  EXPECT_EQ(reg_.recordings().size(), 1u);
  EXPECT_EQ(reg_.works().size(), 1u);
  artists.pop_back();  // 65535 artists are fine
  EXPECT_TRUE(
      reg_.AddRecording({"R3", "Choir", "", "W1", artists, {S("label", kWhole)}, "", ""}).ok());
}

}  // namespace
}  // namespace tutti
