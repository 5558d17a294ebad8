// One test per rule of the gate (gate.h), on the small registry of registry_fixture.h.
#include "tutti/gate.h"

#include <gtest/gtest.h>

#include "registry_fixture.h"

namespace tutti {
namespace {

using namespace tutti::testing;

class GateTest : public ::testing::Test {
 protected:
  void SetUp() override { BuildSmallRegistry(reg_); }

  void LicenseEveryOwner(const char* uses = "train,style,voice,remix,reference") {
    for (const char* owner : {"label", "pub", "writer"}) {
      ASSERT_TRUE(reg_.AddLicense(CatalogLicense(std::string("L-") + owner, owner, uses)).ok());
    }
  }

  Decision Decide(Use use = Use::kTrain, const char* territory = "FR",
                  const char* at = "2026-06-01", const char* recording = "R1") {
    return Gate(reg_).Decide({use, recording, "muse", ParseTerritory(territory).value(), T(at)});
  }

  static bool HasUnmet(const Decision& d, Finding::Kind kind) {
    for (const Finding& f : d.findings) {
      if (f.kind == kind && !f.met) return true;
    }
    return false;
  }

  Registry reg_;
};

TEST_F(GateTest, DenyByDefault) {
  Decision d = Decide();
  EXPECT_FALSE(d.allowed());
  EXPECT_TRUE(HasUnmet(d, Finding::Kind::kUnlicensed));
}

TEST_F(GateTest, UnknownRecordingOrProductDenies) {
  LicenseEveryOwner();
  EXPECT_TRUE(
      HasUnmet(Decide(Use::kTrain, "FR", "2026-06-01", "R404"), Finding::Kind::kUnknownRecording));
  Decision d = Gate(reg_).Decide({Use::kTrain, "R1", "label", 0, T("2026-06-01")});
  EXPECT_FALSE(d.allowed());  // a label is not a product
  EXPECT_TRUE(HasUnmet(d, Finding::Kind::kUnknownProduct));
}

TEST_F(GateTest, AllowNamesEveryLicenseItReliedOn) {
  LicenseEveryOwner();
  Decision d = Decide();
  ASSERT_TRUE(d.allowed()) << Gate(reg_).Explain(d);
  int licensed = 0;
  for (const Finding& f : d.findings) {
    EXPECT_TRUE(f.met);
    if (f.kind == Finding::Kind::kLicensed) {
      ++licensed;
      EXPECT_EQ(f.record.kind, RecordKind::kLicense);
      EXPECT_FALSE(reg_.IdOf(f.record).empty());
    }
  }
  EXPECT_EQ(licensed, 3);  // the master, and both halves of the composition
}

TEST_F(GateTest, EveryOwnerOfEveryRightMustLicense) {
  ASSERT_TRUE(reg_.AddLicense(CatalogLicense("L1", "label")).ok());
  ASSERT_TRUE(reg_.AddLicense(CatalogLicense("L2", "pub")).ok());
  Decision d = Decide();
  EXPECT_FALSE(d.allowed());  // the songwriter's 50% is not licensed
  std::string why = Gate(reg_).Explain(d);
  EXPECT_NE(why.find("[NO] composition right: 'writer' (50%) has no license"), std::string::npos)
      << why;
}

TEST_F(GateTest, LicenseMustCoverUseTerritoryAndTime) {
  ASSERT_TRUE(reg_.AddLicense(CatalogLicense("L1", "label", "train", "WORLD,-US")).ok());
  ASSERT_TRUE(reg_.AddLicense(CatalogLicense("L2", "pub")).ok());
  License w = CatalogLicense("L3", "writer");
  w.until = T("2027-01-01");
  ASSERT_TRUE(reg_.AddLicense(w).ok());
  EXPECT_TRUE(Decide(Use::kTrain, "FR", "2026-06-01").allowed());
  EXPECT_FALSE(Decide(Use::kTrain, "US", "2026-06-01").allowed());            // excluded territory
  EXPECT_FALSE(Decide(Use::kRemix, "FR", "2026-06-01").allowed());            // use not granted
  EXPECT_FALSE(Decide(Use::kTrain, "FR", "2025-12-31T23:59:59Z").allowed());  // before term
  EXPECT_TRUE(Decide(Use::kTrain, "FR", "2026-12-31T23:59:59Z").allowed());
  EXPECT_FALSE(Decide(Use::kTrain, "FR", "2027-01-01").allowed());  // until is exclusive
}

TEST_F(GateTest, ListedLicensesCoverTheirRecordingsAndWorks) {
  License master = CatalogLicense("L1", "label");
  master.catalog = false;
  master.works = {"W1"};  // a work listed covers its recordings' masters
  ASSERT_TRUE(reg_.AddLicense(master).ok());
  License pub = CatalogLicense("L2", "pub");
  pub.catalog = false;
  pub.recordings = {"R1"};  // a recording listed covers its composition share
  ASSERT_TRUE(reg_.AddLicense(pub).ok());
  ASSERT_TRUE(reg_.AddLicense(CatalogLicense("L3", "writer")).ok());
  EXPECT_TRUE(Decide().allowed());
}

TEST_F(GateTest, AnotherProductsLicenseDoesNotCount) {
  ASSERT_TRUE(reg_.AddParty({"other", PartyKind::kProduct, "Other AI", ""}).ok());
  for (const char* owner : {"label", "pub", "writer"}) {
    License l = CatalogLicense(std::string("L-") + owner, owner);
    l.licensee = "other";
    ASSERT_TRUE(reg_.AddLicense(l).ok());
  }
  EXPECT_FALSE(Decide().allowed());
}

TEST_F(GateTest, TerritorialOwnersAreAskedWhereTheyOwn) {
  ASSERT_TRUE(reg_.AddParty({"jp-pub", PartyKind::kPublisher, "Tokyo Sub-publisher", ""}).ok());
  ASSERT_TRUE(reg_.AddWork({"W2",
                            "Split",
                            "",
                            {S("writer", 500'000), S("pub", 500'000, "WORLD,-JP"),
                             S("jp-pub", 500'000, "JP")}})
                  .ok());
  ASSERT_TRUE(
      reg_.AddRecording({"R2", "Split", "", "W2", {"artist"}, {S("label", kWhole)}, "", ""}).ok());
  LicenseEveryOwner();
  EXPECT_TRUE(Decide(Use::kTrain, "FR", "2026-06-01", "R2").allowed());
  Decision jp = Decide(Use::kTrain, "JP", "2026-06-01", "R2");
  EXPECT_FALSE(jp.allowed());  // the Japanese sub-publisher has not licensed
  ASSERT_TRUE(reg_.AddLicense(CatalogLicense("L-jp", "jp-pub")).ok());
  EXPECT_TRUE(Decide(Use::kTrain, "JP", "2026-06-01", "R2").allowed());
}

TEST_F(GateTest, ADenyFromAnyoneWithASayWins) {
  LicenseEveryOwner();
  ASSERT_TRUE(
      reg_.AddConsent(Statement("artist", ConsentScope::kAll, "", Use::kTrain, false, "2026-05-01"))
          .ok());
  EXPECT_TRUE(Decide(Use::kTrain, "FR", "2026-04-30").allowed());  // before the withdrawal
  Decision d = Decide(Use::kTrain, "FR", "2026-05-01");
  EXPECT_FALSE(d.allowed());  // at once
  EXPECT_TRUE(HasUnmet(d, Finding::Kind::kDenied));
  EXPECT_TRUE(Decide(Use::kRemix, "FR", "2026-06-01").allowed());  // other uses unaffected
}

TEST_F(GateTest, LatestStatementWinsWithinAScope) {
  LicenseEveryOwner();
  auto add = [&](bool allow, const char* at) {
    ASSERT_TRUE(
        reg_.AddConsent(Statement("writer", ConsentScope::kWork, "W1", Use::kTrain, allow, at))
            .ok());
  };
  add(false, "2026-02-01");
  add(true, "2026-03-01");
  EXPECT_FALSE(Decide(Use::kTrain, "FR", "2026-02-15").allowed());
  EXPECT_TRUE(Decide(Use::kTrain, "FR", "2026-03-15").allowed());
}

TEST_F(GateTest, ADenyInOneScopeBeatsAnAllowInAnother) {
  LicenseEveryOwner();
  ASSERT_TRUE(
      reg_.AddConsent(Statement("label", ConsentScope::kAll, "", Use::kTrain, false, "2026-02-01"))
          .ok());
  ASSERT_TRUE(reg_.AddConsent(Statement("label", ConsentScope::kRecording, "R1", Use::kTrain, true,
                                        "2026-03-01"))
                  .ok());
  EXPECT_FALSE(Decide().allowed());
}

TEST_F(GateTest, PersonaUsesNeedTheArtistsOwnAllow) {
  LicenseEveryOwner();
  Decision d = Decide(Use::kVoice);
  EXPECT_FALSE(d.allowed());  // every owner licensed it, but the artist has not said yes
  EXPECT_TRUE(HasUnmet(d, Finding::Kind::kPersonaMissing));
  ASSERT_TRUE(reg_.AddConsent(Statement("artist", ConsentScope::kRecording, "R1", Use::kVoice, true,
                                        "2026-01-01"))
                  .ok());
  EXPECT_TRUE(Decide(Use::kVoice).allowed());
  EXPECT_FALSE(Decide(Use::kStyle).allowed());  // an allow is per use
  ASSERT_TRUE(
      reg_.AddConsent(Statement("artist", ConsentScope::kAll, "", Use::kVoice, false, "2026-05-01"))
          .ok());
  EXPECT_FALSE(Decide(Use::kVoice).allowed());  // withdrawn
}

TEST_F(GateTest, ClearedAgreesWithDecide) {
  LicenseEveryOwner("train");
  ASSERT_TRUE(
      reg_.AddRecording({"R2", "Live", "", "W1", {"artist"}, {S("label", kWhole)}, "", ""}).ok());
  ASSERT_TRUE(reg_.AddConsent(Statement("artist", ConsentScope::kRecording, "R2", Use::kTrain,
                                        false, "2026-01-01"))
                  .ok());
  Gate gate(reg_);
  Territory fr = ParseTerritory("FR").value();
  auto cleared = gate.Cleared(Use::kTrain, "muse", fr, T("2026-06-01"));
  EXPECT_EQ(cleared, std::vector<std::string>{"R1"});
  EXPECT_TRUE(gate.Cleared(Use::kTrain, "label", fr, T("2026-06-01")).empty());
  EXPECT_TRUE(gate.Cleared(Use::kTrain, "nobody", fr, T("2026-06-01")).empty());
}

TEST_F(GateTest, ExplanationListsEveryRequirement) {
  LicenseEveryOwner();
  ASSERT_TRUE(
      reg_.AddConsent(Statement("writer", ConsentScope::kAll, "", Use::kTrain, false, "2026-05-01"))
          .ok());
  std::string why = Gate(reg_).Explain(Decide());
  EXPECT_EQ(why.rfind("DENY train of recording 'R1' by 'muse' in FR", 0), 0u) << why;
  EXPECT_NE(why.find("[ok] recording right: 'label' (100%) licensed it: 'L-label'"),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("[NO] 'writer' denies train since 2026-05-01T00:00:00Z on all its works"),
            std::string::npos)
      << why;
  EXPECT_NE(why.find("[ok] 'artist' has no deny in force for train"), std::string::npos) << why;
}

}  // namespace
}  // namespace tutti

namespace tutti {
namespace {

using namespace tutti::testing;

TEST(GateBatchTest, DecideManyEqualsDecideOneByOne) {
  Registry reg;
  BuildSmallRegistry(reg);
  for (const char* owner : {"label", "pub"}) {
    ASSERT_TRUE(reg.AddLicense(CatalogLicense(std::string("L-") + owner, owner)).ok());
  }
  ASSERT_TRUE(reg.AddParty({"other", PartyKind::kProduct, "Other AI", ""}).ok());
  std::vector<DecisionRequest> requests;
  for (int i = 0; i < 40; ++i) {  // more than one group, mixed products and unknown ids
    const char* recording = i % 7 == 0 ? "R404" : "R1";
    const char* product = i % 3 == 1 ? "other" : i % 11 == 0 ? "ghost" : "muse";
    requests.push_back({static_cast<Use>(i % kUseCount), recording, product,
                        static_cast<Territory>(i * 7 % kTerritoryCount), T("2026-06-01")});
  }
  ASSERT_TRUE(reg.AddLicense(CatalogLicense("L-writer", "writer", "train,remix")).ok());
  Gate gate(reg);
  std::vector<Decision> many = gate.DecideMany(requests);
  ASSERT_EQ(many.size(), requests.size());
  int allowed = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    Decision one = gate.Decide(requests[i]);
    EXPECT_EQ(many[i].allowed(), one.allowed()) << i;
    EXPECT_EQ(gate.Explain(many[i]), gate.Explain(one)) << i;
    allowed += one.allowed();
  }
  EXPECT_GT(allowed, 0);
  EXPECT_TRUE(gate.DecideMany({}).empty());
}

}  // namespace
}  // namespace tutti
