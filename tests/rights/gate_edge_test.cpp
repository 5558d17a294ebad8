// Hand-written edge cases of the gate's rules, found while writing the model-based test
// (gate_model_test.cpp).
#include <gtest/gtest.h>

#include <string>

#include "tutti/gate.h"
#include "tutti/rights.h"

namespace tutti {
namespace {

constexpr Use kUses[] = {Use::kTrain, Use::kStyle, Use::kVoice, Use::kRemix, Use::kReference};
TerritorySet Territories(const char* text) { return TerritorySet::Parse(text).value(); }
Territory Code(const char* code) { return ParseTerritory(code).value(); }
class GateEdgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* id : {"lab", "labjp", "pub", "w1", "a1", "a2"}) {
      PartyKind kind = id[0] == 'l'   ? PartyKind::kLabel
                       : id[0] == 'p' ? PartyKind::kPublisher
                       : id[0] == 'w' ? PartyKind::kSongwriter
                                      : PartyKind::kArtist;
      ASSERT_TRUE(reg_.AddParty({id, kind, id, ""}).ok());
    }
    ASSERT_TRUE(reg_.AddParty({"muse", PartyKind::kProduct, "Muse", ""}).ok());
    ASSERT_TRUE(reg_.AddWork({"W", "w", "", {{"pub", kWhole, TerritorySet::World()}}}).ok());
    // The master belongs to lab everywhere but Japan, where labjp holds it.
    ASSERT_TRUE(reg_.AddRecording({"R",
                                   "r",
                                   "",
                                   "W",
                                   {"a1"},
                                   {{"lab", kWhole, Territories("WORLD,-JP")},
                                    {"labjp", kWhole, Territories("JP")}},
                                   "",
                                   ""})
                    .ok());
    for (const char* owner : {"lab", "labjp", "pub"}) Grant(owner, 100, kForever);
  }

  void Grant(const std::string& licensor, Timestamp from, Timestamp until) {
    License l;
    l.id = "L" + std::to_string(reg_.licenses().size());
    l.licensor = licensor;
    l.licensee = "muse";
    for (Use u : kUses) l.uses.Add(u);
    l.territories = TerritorySet::World();
    l.from = from;
    l.until = until;
    l.catalog = true;
    ASSERT_TRUE(reg_.AddLicense(l).ok());
  }
  void Say(const std::string& party, ConsentScope scope, const std::string& target, Use use,
           bool allow, Timestamp at) {
    std::string id = "C" + std::to_string(reg_.consents().size() + 1);
    ASSERT_TRUE(reg_.AddConsent({id, party, scope, target, use, allow, at}).ok());
  }
  bool Allows(Use use, const char* territory, Timestamp at, const char* rec = "R") {
    return Gate(reg_).Decide({use, rec, "muse", Code(territory), at}).allowed();
  }

  Registry reg_;
};

TEST_F(GateEdgeTest, LicenseTermIncludesFromAndExcludesUntil) {
  Registry& reg = reg_;
  EXPECT_FALSE(Allows(Use::kTrain, "FR", 99));
  EXPECT_TRUE(Allows(Use::kTrain, "FR", 100));
  // A second registry whose label license ends at 200.
  Registry other;
  for (const Party& p : reg.parties()) ASSERT_TRUE(other.AddParty(p).ok());
  ASSERT_TRUE(other.AddWork(reg.works()[0]).ok());
  ASSERT_TRUE(other.AddRecording(reg.recordings()[0]).ok());
  for (License l : reg.licenses()) {
    if (l.licensor == "lab") l.until = 200;
    ASSERT_TRUE(other.AddLicense(l).ok());
  }
  Gate gate(other);
  EXPECT_TRUE(gate.Decide({Use::kTrain, "R", "muse", Code("FR"), 199}).allowed());
  EXPECT_FALSE(gate.Decide({Use::kTrain, "R", "muse", Code("FR"), 200}).allowed());
  // Japan's master owner still licenses it there.
  EXPECT_TRUE(gate.Decide({Use::kTrain, "R", "muse", Code("JP"), 200}).allowed());
}

TEST_F(GateEdgeTest, AnOwnerOnlyElsewhereHasNoSayHere) {
  Say("labjp", ConsentScope::kAll, "", Use::kTrain, false, 120);
  EXPECT_TRUE(Allows(Use::kTrain, "FR", 150));
  EXPECT_FALSE(Allows(Use::kTrain, "JP", 150));
  EXPECT_FALSE(Allows(Use::kTrain, "JP", 120));
  EXPECT_TRUE(Allows(Use::kTrain, "JP", 119));  // before the deny
}

TEST_F(GateEdgeTest, LatestStatementWinsInAScopeAndADenyBeatsAnAllowAcrossScopes) {
  Say("pub", ConsentScope::kWork, "W", Use::kTrain, false, 100);
  Say("pub", ConsentScope::kWork, "W", Use::kTrain, true, 200);  // withdraws the deny
  EXPECT_FALSE(Allows(Use::kTrain, "FR", 150));
  EXPECT_TRUE(Allows(Use::kTrain, "FR", 200));
  Say("pub", ConsentScope::kAll, "", Use::kTrain, false, 50);  // older, other scope
  EXPECT_FALSE(Allows(Use::kTrain, "FR", 200));
  Say("a1", ConsentScope::kRecording, "R", Use::kTrain, true, 300);
  EXPECT_FALSE(Allows(Use::kTrain, "FR", 300));
}

TEST_F(GateEdgeTest, PersonaNeedsTheArtistsAllowAndAnyDenyOverridesIt) {
  EXPECT_FALSE(Allows(Use::kVoice, "FR", 150));
  Say("a1", ConsentScope::kWork, "W", Use::kVoice, true, 100);
  EXPECT_TRUE(Allows(Use::kVoice, "FR", 150));
  EXPECT_FALSE(Allows(Use::kStyle, "FR", 150));  // an allow is per use
  Say("a1", ConsentScope::kRecording, "R", Use::kVoice, false, 120);
  Decision d = Gate(reg_).Decide({Use::kVoice, "R", "muse", Code("FR"), 150});
  EXPECT_FALSE(d.allowed());
  EXPECT_TRUE(std::any_of(d.findings.begin(), d.findings.end(), [](const Finding& f) {
    return f.kind == Finding::Kind::kPersonaMissing && !f.met;
  }));
}

TEST_F(GateEdgeTest, ARecordingAddedLaterIsCoveredByItsWorksLicensesAndStatements) {
  License l;
  l.id = "LW";
  l.licensor = "w1";
  l.licensee = "muse";
  l.uses.Add(Use::kTrain);
  l.territories = TerritorySet::World();
  l.works = {"W"};
  ASSERT_TRUE(reg_.AddParty({"muse2", PartyKind::kProduct, "Muse 2", ""}).ok());
  ASSERT_TRUE(reg_.AddWork({"W2", "w2", "", {{"w1", kWhole, TerritorySet::World()}}}).ok());
  l.works = {"W2"};
  ASSERT_TRUE(reg_.AddLicense(l).ok());
  Say("w1", ConsentScope::kWork, "W2", Use::kTrain, false, 300);
  ASSERT_TRUE(
      reg_.AddRecording(
              {"R2", "r2", "", "W2", {"a2"}, {{"lab", kWhole, TerritorySet::World()}}, "", ""})
          .ok());
  EXPECT_TRUE(Allows(Use::kTrain, "JP", 200, "R2"));
  EXPECT_FALSE(Allows(Use::kTrain, "JP", 300, "R2"));
  EXPECT_EQ(Gate(reg_).Cleared(Use::kTrain, "muse", Code("FR"), 200),
            (std::vector<std::string>{"R", "R2"}));
  EXPECT_TRUE(Gate(reg_).Cleared(Use::kTrain, "muse2", Code("FR"), 200).empty());
}

// More than 16 parties with a say: the gate keeps its say list inline up to 16.
TEST_F(GateEdgeTest, TwentyPartiesWithASayAreAllHeard) {
  std::vector<Share> writers;
  for (int i = 0; i < 18; ++i) {
    std::string id = "wr" + std::to_string(i);
    ASSERT_TRUE(reg_.AddParty({id, PartyKind::kSongwriter, id, ""}).ok());
    writers.push_back({id, i < 17 ? 55'555 : kWhole - 17 * 55'555, TerritorySet::World()});
    Grant(id, 0, kForever);
  }
  ASSERT_TRUE(reg_.AddWork({"WB", "big", "", writers}).ok());
  ASSERT_TRUE(reg_.AddRecording({"RB",
                                 "rb",
                                 "",
                                 "WB",
                                 {"a1", "a2"},
                                 {{"lab", kWhole, TerritorySet::World()}},
                                 "",
                                 ""})
                  .ok());
  Decision d = Gate(reg_).Decide({Use::kTrain, "RB", "muse", Code("FR"), 150});
  ASSERT_TRUE(d.allowed()) << Gate(reg_).Explain(d);
  EXPECT_EQ(std::count_if(d.findings.begin(), d.findings.end(),
                          [](const Finding& f) { return f.kind == Finding::Kind::kNoDenial; }),
            21);  // lab, 18 writers, 2 artists
  // The last writer and the last artist each deny one use: each deny is heard.
  Say("wr17", ConsentScope::kRecording, "RB", Use::kRemix, false, 100);
  Say("a2", ConsentScope::kWork, "WB", Use::kReference, false, 100);
  EXPECT_FALSE(Allows(Use::kRemix, "FR", 150, "RB"));
  EXPECT_FALSE(Allows(Use::kReference, "FR", 150, "RB"));
  EXPECT_TRUE(Allows(Use::kTrain, "FR", 150, "RB"));
}

TEST_F(GateEdgeTest, OnlyProductsAreLicensees) {
  Gate gate(reg_);
  EXPECT_FALSE(gate.Decide({Use::kTrain, "R", "lab", Code("FR"), 150}).allowed());
  EXPECT_FALSE(gate.Decide({Use::kTrain, "R", "nobody", Code("FR"), 150}).allowed());
  EXPECT_FALSE(gate.Decide({Use::kTrain, "nothing", "muse", Code("FR"), 150}).allowed());
  EXPECT_TRUE(gate.Cleared(Use::kTrain, "lab", Code("FR"), 150).empty());
  EXPECT_FALSE(gate.Allowed(0, 0, Use::kTrain, Code("FR"), 150));  // party 0 is "lab"
}

}  // namespace
}  // namespace tutti
