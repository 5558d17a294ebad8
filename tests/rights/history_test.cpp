// Rights over time (license ends, share changes), stable ids and typed references in
// decisions, and the regressions of issue 7 in the rights core.
#include <gtest/gtest.h>

#include "registry_fixture.h"
#include "tutti/explain.h"
#include "tutti/gate.h"

namespace tutti {
namespace {

using namespace tutti::testing;

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BuildSmallRegistry(reg_);
    ASSERT_TRUE(reg_.AddParty({"label2", PartyKind::kLabel, "Southgate", ""}).ok());
    ASSERT_TRUE(reg_.AddParty({"pub2", PartyKind::kPublisher, "Catalog Buyer", ""}).ok());
    for (const char* owner : {"label", "pub", "writer"}) {
      ASSERT_TRUE(reg_.AddLicense(CatalogLicense(std::string("L-") + owner, owner)).ok());
    }
  }

  Decision Decide(const char* at, const char* recording = "R1", Territory territory = Fr()) {
    return Gate(reg_).Decide({Use::kTrain, recording, "muse", territory, T(at)});
  }
  static Territory Fr() { return ParseTerritory("FR").value(); }

  static const Finding* Unmet(const Decision& d, Finding::Kind kind) {
    for (const Finding& f : d.findings) {
      if (f.kind == kind && !f.met) return &f;
    }
    return nullptr;
  }

  Registry reg_;
};

TEST_F(HistoryTest, ConsentsNeedAValidUniqueIdAndAreFoundByIt) {
  Consent c = Statement("artist", ConsentScope::kAll, "", Use::kTrain, true, "2026-01-01", "C7");
  c.id = "";
  EXPECT_EQ(reg_.AddConsent(c).code(), StatusCode::kInvalidArgument);
  c.id = "C 7";
  EXPECT_EQ(reg_.AddConsent(c).code(), StatusCode::kInvalidArgument);
  c.id = "C7";
  ASSERT_TRUE(reg_.AddConsent(c).ok());
  c.at = T("2026-02-01");  // a different statement under a taken id
  Status again = reg_.AddConsent(c);
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.message(), "consent 'C7' already exists");
  ASSERT_NE(reg_.FindConsent("C7"), nullptr);
  EXPECT_EQ(reg_.FindConsent("C7")->at, T("2026-01-01"));
  EXPECT_EQ(reg_.FindConsent("C8"), nullptr);
}

TEST_F(HistoryTest, NextIdAvoidsIdsOfEveryKind) {
  // NextId tries "<prefix><records + 1>" first: take that id in each new kind.
  auto first_try = [&](const char* prefix, size_t added) {
    size_t records = reg_.parties().size() + reg_.works().size() + reg_.recordings().size() +
                     reg_.licenses().size() + reg_.consents().size() + reg_.license_ends().size() +
                     reg_.share_changes().size();
    return prefix + std::to_string(records + added + 1);
  };
  std::string consent = first_try("C", 1);
  ASSERT_TRUE(reg_.AddConsent(Statement("artist", ConsentScope::kAll, "", Use::kTrain, true,
                                        "2026-01-01", consent))
                  .ok());
  EXPECT_NE(reg_.NextId("C"), consent);
  std::string end = first_try("E", 1);
  ASSERT_TRUE(reg_.EndLicense({end, "L-label", T("2027-01-01"), ""}).ok());
  EXPECT_NE(reg_.NextId("E"), end);
  std::string change = first_try("S", 1);
  ASSERT_TRUE(
      reg_.ChangeShares({change, Right::kRecording, "R1", {S("label2", kWhole)}, T("2027-01-01")})
          .ok());
  EXPECT_NE(reg_.NextId("S"), change);
  EXPECT_EQ(reg_.FindShareChange(change)->target, "R1");
  EXPECT_EQ(reg_.FindLicenseEnd(end)->license, "L-label");
}

TEST_F(HistoryTest, AnEndedLicenseGrantsUntilItsEndAndHistoryIsKept) {
  EXPECT_TRUE(Decide("2026-06-01").allowed());
  ASSERT_TRUE(reg_.EndLicense({"E1", "L-label", T("2026-07-01"), "amended"}).ok());
  EXPECT_EQ(reg_.LicenseUntil("L-label"), T("2026-07-01"));
  EXPECT_EQ(reg_.LicenseUntil("L-none"), 0);
  ASSERT_NE(reg_.FindLicenseEnd("E1"), nullptr);
  // Before the end: as registered; from it on: not in force.
  EXPECT_TRUE(Decide("2026-06-30T23:59:59Z").allowed());
  Decision after = Decide("2026-07-01");
  ASSERT_FALSE(after.allowed());
  const Finding* f = Unmet(after, Finding::Kind::kUnlicensed);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->record.kind, RecordKind::kLicenseEnd);
  EXPECT_EQ(reg_.IdOf(f->record), "E1");
  std::string why = Gate(reg_).Explain(after);
  EXPECT_NE(why.find("license 'L-label' was ended at 2026-07-01T00:00:00Z by 'E1'"),
            std::string::npos)
      << why;
  // Before the license started, the end is no excuse to name.
  Decision before = Decide("2025-06-01");
  ASSERT_NE(Unmet(before, Finding::Kind::kUnlicensed), nullptr);
  EXPECT_TRUE(Unmet(before, Finding::Kind::kUnlicensed)->record.empty());
  // A replacement from the end on.
  License replacement = CatalogLicense("L-label-2", "label", "train", "WORLD", "2026-07-01");
  ASSERT_TRUE(reg_.AddLicense(replacement).ok());
  EXPECT_TRUE(Decide("2026-07-01").allowed());
}

TEST_F(HistoryTest, LicenseEndsAreValidated) {
  auto end = [&](const char* id, const char* license, const char* at) {
    return reg_.EndLicense({id, license, T(at), ""});
  };
  EXPECT_EQ(end("E1", "L-none", "2026-07-01").message(),
            "license end 'E1': unknown license 'L-none'");
  EXPECT_EQ(end("E1", "L-label", "2026-01-01").code(), StatusCode::kInvalidArgument);  // its start
  EXPECT_EQ(end("E1", "L-label", "2025-01-01").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(end("E 1", "L-label", "2026-07-01").code(), StatusCode::kInvalidArgument);
  License fixed = CatalogLicense("L-fixed", "label", "remix");
  fixed.until = T("2027-01-01");
  ASSERT_TRUE(reg_.AddLicense(fixed).ok());
  EXPECT_EQ(end("E1", "L-fixed", "2027-01-01").code(), StatusCode::kInvalidArgument);  // its until
  ASSERT_TRUE(end("E1", "L-fixed", "2026-12-31").ok());
  EXPECT_EQ(end("E1", "L-label", "2026-07-01").code(), StatusCode::kAlreadyExists);  // id taken
  Status twice = end("E2", "L-fixed", "2026-10-01");  // earlier, but a license ends once
  EXPECT_EQ(twice.code(), StatusCode::kAlreadyExists);
  EXPECT_NE(twice.message().find("already ended at 2026-12-31T00:00:00Z by 'E1'"),
            std::string::npos)
      << twice.message();
  EXPECT_EQ(reg_.license_ends().size(), 1u);
  EXPECT_EQ(reg_.LicenseUntil("L-fixed"), T("2026-12-31"));
}

TEST_F(HistoryTest, RecordingSharesChangeFromADate) {
  // The master is sold to label2 from July on; label2 has licensed nothing.
  ShareChange sale{"S1", Right::kRecording, "R1", {S("label2", kWhole)}, T("2026-07-01")};
  ASSERT_TRUE(reg_.ChangeShares(sale).ok());
  EXPECT_TRUE(Decide("2026-06-30").allowed());
  Decision after = Decide("2026-07-01");
  ASSERT_FALSE(after.allowed());
  EXPECT_EQ(reg_.parties()[Unmet(after, Finding::Kind::kUnlicensed)->party].id, "label2");
  EXPECT_EQ(reg_.RecordingSharesAt("R1", T("2026-06-30"))[0].party, "label");
  EXPECT_EQ(reg_.RecordingSharesAt("R1", T("2026-07-01"))[0].party, "label2");
  EXPECT_TRUE(reg_.RecordingSharesAt("R404", T("2026-07-01")).empty());
  // A later change: back to a split. An earlier or equal date is refused.
  ShareChange split{
      "S2", Right::kRecording, "R1", {S("label", 500'000), S("label2", 500'000)}, T("2026-07-01")};
  Status same_day = reg_.ChangeShares(split);
  EXPECT_EQ(same_day.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(same_day.message().find("a change must be later than the one before it"),
            std::string::npos)
      << same_day.message();
  split.from = T("2026-09-01");
  ASSERT_TRUE(reg_.ChangeShares(split).ok());
  ASSERT_TRUE(
      reg_.AddLicense(CatalogLicense("L-label2", "label2", "train", "WORLD", "2026-08-01")).ok());
  EXPECT_TRUE(Decide("2026-06-30").allowed());   // label's
  EXPECT_TRUE(Decide("2026-08-15").allowed());   // label2's, licensed from August
  EXPECT_FALSE(Decide("2026-07-15").allowed());  // label2's, not yet licensed
  EXPECT_TRUE(Decide("2026-09-01").allowed());   // both
  // A statement by the buyer counts: it has a say over the recording now.
  ASSERT_TRUE(reg_.AddConsent(Statement("label2", ConsentScope::kRecording, "R1", Use::kTrain,
                                        false, "2026-10-01"))
                  .ok());
  EXPECT_FALSE(Decide("2026-10-01").allowed());
  EXPECT_TRUE(Decide("2026-09-30").allowed());
}

TEST_F(HistoryTest, WorkSharesChangeForEveryRecordingOfTheWork) {
  // The publisher's half is sold to pub2 from 2027 on.
  ShareChange sale{
      "S1", Right::kComposition, "W1", {S("writer", 500'000), S("pub2", 500'000)}, T("2027-01-01")};
  ASSERT_TRUE(reg_.ChangeShares(sale).ok());
  // A recording added after the change follows the work's history too.
  ASSERT_TRUE(
      reg_.AddRecording({"R2", "Live", "", "W1", {"artist"}, {S("label", kWhole)}, "", ""}).ok());
  for (const char* r : {"R1", "R2"}) {
    EXPECT_TRUE(Decide("2026-12-31", r).allowed()) << r;
    EXPECT_FALSE(Decide("2027-01-01", r).allowed()) << r;
  }
  EXPECT_EQ(reg_.WorkSharesAt("W1", T("2027-01-01"))[1].party, "pub2");
  EXPECT_EQ(reg_.WorkSharesAt("W1", T("2026-01-01"))[1].party, "pub");
  ASSERT_TRUE(reg_.AddLicense(CatalogLicense("L-pub2", "pub2")).ok());
  EXPECT_TRUE(Decide("2027-01-01", "R2").allowed());
}

TEST_F(HistoryTest, ShareChangesAreValidatedLikeTheRecordsOwnShares) {
  auto change = [&](Right right, const char* target, std::vector<Share> shares) {
    return reg_.ChangeShares({"S1", right, target, std::move(shares), T("2027-01-01")});
  };
  EXPECT_EQ(change(Right::kRecording, "R404", {S("label", kWhole)}).message(),
            "share change 'S1': unknown recording 'R404'");
  EXPECT_EQ(change(Right::kComposition, "R1", {S("label", kWhole)}).message(),
            "share change 'S1': unknown work 'R1'");
  EXPECT_EQ(change(Right::kRecording, "R1", {S("label", 900'000)}).message(),
            "share change 'S1': shares of recording 'R1' sum to 90%, not 100%");
  EXPECT_EQ(change(Right::kRecording, "R1", {S("ghost", kWhole)}).code(), StatusCode::kNotFound);
  EXPECT_NE(change(Right::kRecording, "R1", {S("muse", kWhole)}).message().find("cannot own"),
            std::string::npos);
  EXPECT_FALSE(change(Right::kRecording, "R1", {}).ok());
  EXPECT_TRUE(reg_.share_changes().empty());
  EXPECT_TRUE(Decide("2027-06-01").allowed());
}

// Issue 7: each recording copied its work's owners into its run, so one work with 65,535
// owners and 5,000 recordings took 6 GB. Long work runs are now shared.
TEST(WorkRunTest, RecordingsShareALongWorkRunInsteadOfCopyingIt) {
  Registry reg;
  constexpr int kOwners = 65'535, kRecordings = 5'000;
  std::vector<Share> shares;
  Ppm left = kWhole;
  for (int i = 0; i < kOwners; ++i) {
    std::string id = "o" + std::to_string(i);
    ASSERT_TRUE(reg.AddParty({id, PartyKind::kSongwriter, "Owner", ""}).ok());
    Ppm ppm = i + 1 < kOwners ? 15 : left;
    shares.push_back({id, ppm, TerritorySet::World()});
    left -= ppm;
  }
  ASSERT_TRUE(reg.AddParty({"label", PartyKind::kLabel, "Label", ""}).ok());
  ASSERT_TRUE(reg.AddParty({"muse", PartyKind::kProduct, "Muse", ""}).ok());
  ASSERT_TRUE(reg.AddWork({"W", "Crowd", "", shares}).ok());
  size_t work_entries = reg.index_sizes().work_share_entries;
  for (int r = 0; r < kRecordings; ++r) {
    ASSERT_TRUE(
        reg.AddRecording(
               {"R" + std::to_string(r), "Take", "", "W", {"o0"}, {S("label", kWhole)}, "", ""})
            .ok());
  }
  // Each recording's own share and artist fit inline: no run entry per owner of the work.
  EXPECT_EQ(reg.index_sizes().recording_run_entries, 0u);
  EXPECT_EQ(reg.index_sizes().work_share_entries, work_entries);
  // The gate still reads every owner of the composition through the shared run.
  ASSERT_TRUE(reg.AddLicense(CatalogLicense("L", "label")).ok());
  Decision d = Gate(reg).Decide({Use::kTrain, "R4999", "muse", 0, T("2026-06-01")});
  EXPECT_FALSE(d.allowed());
  size_t unlicensed = 0;
  for (const Finding& f : d.findings) unlicensed += f.kind == Finding::Kind::kUnlicensed;
  EXPECT_EQ(unlicensed, size_t{kOwners});
}

// A work with more owners than a recording's entry copies, with licenses and a change.
TEST(WorkRunTest, AWorkRunSharedByReferenceDecidesAsACopiedOne) {
  Registry reg;
  std::vector<Share> shares;
  for (int i = 0; i < 20; ++i) {
    std::string id = "w" + std::to_string(i);
    ASSERT_TRUE(reg.AddParty({id, PartyKind::kSongwriter, "Writer", ""}).ok());
    shares.push_back({id, 50'000, TerritorySet::World()});
  }
  ASSERT_TRUE(reg.AddParty({"label", PartyKind::kLabel, "Label", ""}).ok());
  ASSERT_TRUE(reg.AddParty({"muse", PartyKind::kProduct, "Muse", ""}).ok());
  ASSERT_TRUE(reg.AddWork({"W", "Many hands", "", shares}).ok());
  ASSERT_TRUE(reg.AddRecording({"R", "Take", "", "W", {"w0"}, {S("label", kWhole)}, "", ""}).ok());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(
        reg.AddLicense(CatalogLicense("L" + std::to_string(i), "w" + std::to_string(i))).ok());
  }
  Gate gate(reg);
  DecisionRequest q{Use::kTrain, "R", "muse", 0, T("2026-06-01")};
  EXPECT_FALSE(gate.Decide(q).allowed());  // the label has not licensed
  ASSERT_TRUE(reg.AddLicense(CatalogLicense("L-label", "label")).ok());
  EXPECT_TRUE(gate.Decide(q).allowed());
  ASSERT_TRUE(
      reg.AddConsent(Statement("w19", ConsentScope::kWork, "W", Use::kTrain, false, "2026-07-01"))
          .ok());
  q.at = T("2026-07-01");
  EXPECT_FALSE(gate.Decide(q).allowed());
  // w19 sells its share to w0 from August: its deny no longer has a say.
  shares.pop_back();
  shares[0].ppm = 100'000;
  ASSERT_TRUE(reg.ChangeShares({"S1", Right::kComposition, "W", shares, T("2026-08-01")}).ok());
  q.at = T("2026-08-01");
  EXPECT_TRUE(gate.Decide(q).allowed()) << gate.Explain(gate.Decide(q));
}

// Issue 7: a territory code out of range made Gate::Decide throw std::out_of_range.
TEST_F(HistoryTest, ATerritoryOutOfRangeIsDeniedWithAFinding) {
  Gate gate(reg_);
  for (Territory bad : {Territory{kTerritoryCount}, Territory{999}, Territory{UINT16_MAX}}) {
    Decision d = gate.Decide({Use::kTrain, "R1", "muse", bad, T("2026-06-01")});
    EXPECT_FALSE(d.allowed());
    ASSERT_NE(Unmet(d, Finding::Kind::kUnknownTerritory), nullptr);
    std::string why = gate.Explain(d);
    EXPECT_NE(why.find("no territory has index " + std::to_string(bad)), std::string::npos) << why;
    EXPECT_EQ(DecisionJson(reg_, d)["requirements"][0]["requirement"], "territory_known");
    EXPECT_FALSE(gate.Allowed(0, 4, Use::kTrain, bad, T("2026-06-01")));
    EXPECT_TRUE(gate.Cleared(Use::kTrain, "muse", bad, T("2026-06-01")).empty());
    std::vector<DecisionRequest> many(20, d.request);
    for (const Decision& m : gate.DecideMany(many)) EXPECT_FALSE(m.allowed());
  }
}

TEST_F(HistoryTest, DecisionsCiteRecordsByKindAndIdAndCarryTheRegistryVersion) {
  ASSERT_TRUE(reg_.AddConsent(Statement("artist", ConsentScope::kRecording, "R1", Use::kTrain, true,
                                        "2026-01-01", "C12"))
                  .ok());
  reg_.set_version(42);
  Decision d = Decide("2026-06-01");
  ASSERT_TRUE(d.allowed());
  EXPECT_EQ(d.registry_version, 42);
  nlohmann::json j = DecisionJson(reg_, d);
  EXPECT_EQ(j["registry_version"], 42);
  bool license_cited = false, consent_cited = false;
  for (const auto& item : j["requirements"]) {
    if (item["requirement"] == "licensed" && item["party"] == "label") {
      EXPECT_EQ(item["record"], nlohmann::json({{"kind", "license"}, {"id", "L-label"}}));
      license_cited = true;
    }
    if (item["requirement"] == "not_denied" && item["party"] == "artist") {
      EXPECT_EQ(item["record"], nlohmann::json({{"kind", "consent"}, {"id", "C12"}}));
      EXPECT_EQ(item["consent"]["id"], "C12");
      EXPECT_FALSE(item["consent"].contains("statement"));  // no positions
      consent_cited = true;
    }
    if (item["requirement"] == "not_denied" && item["party"] == "pub") {
      EXPECT_TRUE(item["record"].is_null());
    }
  }
  EXPECT_TRUE(license_cited);
  EXPECT_TRUE(consent_cited);
  std::string why = Gate(reg_).Explain(d);
  EXPECT_NE(why.find("'artist' allows train since 2026-01-01T00:00:00Z on recording 'R1' "
                     "(statement 'C12')"),
            std::string::npos)
      << why;
  EXPECT_EQ(reg_.IdOf({0, RecordKind::kNone}), "");
  EXPECT_EQ(reg_.IdOf({99, RecordKind::kLicense}), "");
  EXPECT_EQ(reg_.IdOf({0, RecordKind::kRecording}), "R1");
  EXPECT_EQ(ToString(RecordKind::kLicenseEnd), "license_end");
  EXPECT_EQ(ToString(RecordKind::kShareChange), "share_change");
}

// Issue 7: a negative percentage printed as "0.-5%".
TEST(PercentTest, NegativesPrintWithTheirSignAndAbsurdTextIsRefused) {
  EXPECT_EQ(FormatPercent(-5'000), "-0.5%");
  EXPECT_EQ(FormatPercent(-1'000'000), "-100%");
  EXPECT_EQ(FormatPercent(-1), "-0.0001%");
  EXPECT_EQ(FormatPercent(0), "0%");
  EXPECT_EQ(FormatPercent(INT32_MIN), "-214748.3648%");
  EXPECT_EQ(FormatPercent(INT32_MAX), "214748.3647%");
  for (const char* bad : {"", "%", "5.", ".5", "-0.5", "+5", " 5", "5 ", "50%%", "1e2", "1e400",
                          "0x10", "99999999999999999999999", "100.00001", "5..0", "nan", "5,5"}) {
    EXPECT_FALSE(ParsePercent(bad).ok()) << bad;
  }
  EXPECT_EQ(ParsePercent("0").value(), 0);
  EXPECT_EQ(ParsePercent("000100.0000").value(), kWhole);
  EXPECT_EQ(ParsePercent(std::string(1000, '0') + "1").value(), 10'000);
}

}  // namespace
}  // namespace tutti
