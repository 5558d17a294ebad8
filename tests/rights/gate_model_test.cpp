// The gate against a tiny model of its rules (STYLE.md practice 10, after LevelDB's
// DBTest.Randomized).
//
// The model (gate_model.h) is written from the rules at the top of gate.h and the
// contracts in rights.h, not from gate.cpp or registry.cpp. It keeps plain copies of the
// records and scans every share, license, consent statement, license end and share change
// linearly: slow, and simple enough to be obviously right. Random records (fixed seeds),
// valid and invalid, are offered to Registry::Add*, EndLicense and ChangeShares; the model
// decides itself whether each must be accepted, and the registry must agree (a registry
// that wrongly refuses valid records fails here). Then random requests, with times on and
// either side of every license, consent, license end and share change boundary, must get
// the same verdict from Gate::Decide, Gate::Allowed, Gate::Cleared and the model, each
// decision's findings must tell the truth about the records they cite (by kind and id),
// and the registry's view of shares and license ends over time must equal the model's.
// Further random records are then added and the gate must keep tracking the model.
#include "gate_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "tutti/gate.h"
#include "tutti/rights.h"

namespace tutti {
namespace {

using namespace tutti::gate_model;

// ---------------------------------------------------------------------------------------
// Random registries.

// License and consent times; requests are asked on, and either side of, each of them.
constexpr Timestamp kTimes[] = {0, 100, 200, 300};
// License ends and share changes fall on these, between and on the times above.
constexpr Timestamp kChangeTimes[] = {-50, 50, 100, 150, 250, 300};
constexpr Timestamp kAskTimes[] = {-51, -50, -1,  0,   1,   49,   50,          51,  99,
                                   100, 101, 149, 150, 151, 199,  200,         201, 249,
                                   250, 251, 299, 300, 301, 5000, kForever - 1};
constexpr const char* kLicenseTerritories[] = {"WORLD", "WORLD",         "WORLD,-JP", "JP",
                                               "FR,DE", "WORLD,-US,-JP", "US,JP"};
constexpr const char* kAskTerritories[] = {"FR", "DE", "JP", "US", "GB"};
constexpr Use kUses[] = {Use::kTrain, Use::kStyle, Use::kVoice, Use::kRemix, Use::kReference};

TerritorySet Territories(const char* text) { return TerritorySet::Parse(text).value(); }
Territory Code(const char* code) { return ParseTerritory(code).value(); }

class World {
 public:
  explicit World(uint32_t seed) : rng_(seed) {}

  Registry& registry() { return registry_; }
  const Model& model() const { return model_; }
  int rejected() const { return rejected_; }

  void AddParties() {
    const std::pair<PartyKind, int> kinds[] = {
        {PartyKind::kLabel, 2},      {PartyKind::kPublisher, 2}, {PartyKind::kDistributor, 1},
        {PartyKind::kSongwriter, 3}, {PartyKind::kArtist, 3},    {PartyKind::kSociety, 1},
        {PartyKind::kProduct, 2}};
    for (const auto& [kind, n] : kinds) {
      for (int i = 0; i < n; ++i) {
        std::string id = std::string(ToString(kind)) + std::to_string(i);
        Add(Party{id, kind, "Name of " + id, ""});
      }
    }
  }

  // Most rights holders grant product0 their whole catalog for the common uses, before any
  // work exists, so that a fair share of decisions can allow.
  void AddCatalogGrants() {
    for (const Party& p : std::vector<Party>(model_.parties)) {
      if (p.kind == PartyKind::kProduct || !Chance(0.75)) continue;
      License l;
      l.id = "L" + std::to_string(next_++);
      l.licensor = p.id;
      l.licensee = "product0";
      for (Use u : {Use::kTrain, Use::kRemix, Use::kReference}) l.uses.Add(u);
      if (Chance(0.6)) l.uses.Add(Use::kStyle);
      if (Chance(0.6)) l.uses.Add(Use::kVoice);
      l.territories = Territories(Chance(0.8) ? "WORLD" : "WORLD,-JP");
      l.from = Chance(0.8) ? 0 : 100;
      l.until = Chance(0.8) ? kForever : 300;
      l.catalog = true;
      Add(std::move(l));
    }
  }

  void AddWork() {
    Work w{NewId("W", model_.works), "a work", "", RandomShares(kCompositionOwners)};
    Add(std::move(w));
  }

  void AddRecording() {
    if (model_.works.empty()) return;
    Recording r;
    r.id = NewId("R", model_.recordings);
    r.title = "a recording";
    r.work = Chance(0.97) ? Pick(model_.works).id : "W-unknown";
    r.artists = {"artist" + std::to_string(Uniform(0, 2))};
    if (Chance(0.3)) r.artists.push_back(Chance(0.5) ? "songwriter0" : "artist2");
    if (Chance(0.03)) r.artists.push_back(Chance(0.5) ? "label0" : r.artists[0]);  // refused
    r.shares = RandomShares(kRecordingOwners);
    Add(std::move(r));
  }

  void AddLicense() {
    if (model_.recordings.empty()) return;
    License l;
    l.id = NewId("L", model_.licenses);
    // Mostly an owner of a random recording's rights, so licenses often matter.
    const Recording& rec = Pick(model_.recordings);
    const Work& work = model_.works[IndexOf(model_.works, rec.work)];
    const std::vector<Share>& shares = Chance(0.5) ? rec.shares : work.shares;
    l.licensor = Chance(0.85) ? Pick(shares).party : Pick(model_.parties).id;
    l.licensee = Chance(0.8) ? "product0" : Chance(0.8) ? "product1" : "label0";
    l.uses.Add(Chance(0.6) ? Use::kTrain : Pick(kUses));
    while (Chance(0.5)) l.uses.Add(Pick(kUses));
    l.territories = Territories(Pick(kLicenseTerritories));
    l.from = Chance(0.6) ? 0 : Pick(kTimes);
    l.until = Chance(0.6) ? kForever : Pick(kTimes);
    int how = Uniform(0, 2);
    l.catalog = how == 0;
    if (how == 1 || Chance(0.2)) {
      l.recordings.push_back(rec.id);
      if (Chance(0.3)) l.recordings.push_back(Pick(model_.recordings).id);
    }
    if (how == 2) l.works.push_back(rec.work);
    if (l.catalog) l.recordings.clear();
    if (!l.catalog && Chance(0.03)) l.recordings.push_back(Chance(0.5) ? "R-unknown" : rec.id);
    Add(std::move(l));
  }

  void AddConsent() {
    if (model_.recordings.empty()) return;
    Consent c;
    const Recording& rec = Pick(model_.recordings);
    std::vector<std::string> say = rec.artists;
    for (const Share& s : rec.shares) say.push_back(s.party);
    for (const Share& s : model_.works[IndexOf(model_.works, rec.work)].shares) {
      say.push_back(s.party);
    }
    c.party = Chance(0.9) ? Pick(say) : Pick(model_.parties).id;
    c.scope = static_cast<ConsentScope>(Uniform(0, 2));
    c.target = c.scope == ConsentScope::kRecording ? rec.id
               : c.scope == ConsentScope::kWork    ? rec.work
                                                   : "";
    c.use = Chance(0.4) ? Use::kTrain : Pick(kUses);
    // Artists mostly allow, so persona uses are sometimes cleared.
    c.allow = Chance(Lists(rec.artists, c.party) ? 0.8 : 0.6);
    c.at = Pick(kTimes);
    c.id = NewId("C", model_.consents);
    Add(std::move(c));
  }

  // The early end of a license: mostly valid, sometimes at a time outside its term, of an
  // unknown license, or of one already ended.
  void AddLicenseEnd() {
    if (model_.licenses.empty()) return;
    LicenseEnd e;
    e.id = NewId("E", model_.ends);
    e.license = Chance(0.97) ? Pick(model_.licenses).id : "L-unknown";
    e.at = Pick(kChangeTimes);
    e.reason = "amended";
    Add(std::move(e));
  }

  // New shares of a recording or a work from a date on; sometimes invalid shares, an
  // unknown target, or a date not after the right's last change.
  void AddShareChange() {
    if (model_.recordings.empty()) return;
    ShareChange c;
    c.id = NewId("S", model_.changes);
    const Recording& rec = Pick(model_.recordings);
    c.right = Chance(0.5) ? Right::kRecording : Right::kComposition;
    c.target = c.right == Right::kRecording ? rec.id : rec.work;
    if (Chance(0.03)) c.target = "X-unknown";
    c.shares = c.right == Right::kRecording ? RandomShares(kRecordingOwners)
                                            : RandomShares(kCompositionOwners);
    c.from = Pick(kChangeTimes);
    Add(std::move(c));
  }

  DecisionRequest RandomRequest() {
    DecisionRequest q;
    q.use = Chance(0.4) ? Use::kTrain : Pick(kUses);
    q.recording = Chance(0.97) ? Pick(model_.recordings).id : "R-unknown";
    q.product = Chance(0.8)   ? "product0"
                : Chance(0.5) ? "product1"
                : Chance(0.5) ? "label0"
                              : "nobody";
    q.territory = Chance(0.01) ? Territory{kTerritoryCount + 7} : Code(Pick(kAskTerritories));
    q.at = Pick(kAskTimes);
    return q;
  }

  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Uniform(0, static_cast<int>(v.size()) - 1)];
  }
  template <typename T, size_t N>
  const T& Pick(const T (&a)[N]) {
    return a[Uniform(0, N - 1)];
  }
  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool Chance(double p) { return std::bernoulli_distribution(p)(rng_); }

 private:
  static constexpr const char* kRecordingOwners[] = {"label0", "label1", "distributor0", "artist0",
                                                     "label0"};
  static constexpr const char* kCompositionOwners[] = {"publisher0",  "publisher1",  "songwriter0",
                                                       "songwriter1", "songwriter2", "society0"};

  // Mostly valid shares; sometimes ones the registry must refuse.
  template <size_t N>
  std::vector<Share> RandomShares(const char* const (&pool)[N]) {
    std::vector<Share> shares = ValidShares(pool);
    if (!Chance(0.06)) return shares;
    switch (Uniform(0, 4)) {
      case 0:
        shares[0].ppm -= 100'000;  // sums to 90% somewhere
        break;
      case 1:
        shares[0].party = "ghost";  // unknown
        break;
      case 2:
        shares[0].party = "product0";  // a product owns nothing
        break;
      case 3:
        shares.push_back(shares[0]);  // one owner twice, over 100%
        break;
      default:
        shares.clear();
        break;
    }
    return shares;
  }

  // 1 to 3 owners; some split by territory, each territory still summing to 100%.
  template <size_t N>
  std::vector<Share> ValidShares(const char* const (&pool)[N]) {
    std::vector<std::string> o;
    while (o.size() < 3) {
      std::string p = Pick(pool);
      if (!Lists(o, p)) o.push_back(p);
    }
    switch (Uniform(0, 5)) {
      case 0:
        return {{o[0], kWhole, TerritorySet::World()}};
      case 1:
        return {{o[0], 500'000, TerritorySet::World()}, {o[1], 500'000, TerritorySet::World()}};
      case 2:
        return {{o[0], kWhole, Territories("WORLD,-JP")}, {o[1], kWhole, Territories("JP")}};
      case 3:
        return {{o[0], 600'000, TerritorySet::World()},
                {o[1], 400'000, Territories("WORLD,-JP")},
                {o[2], 400'000, Territories("JP")}};
      case 4:
        return {{o[0], 333'333, TerritorySet::World()},
                {o[1], 333'333, TerritorySet::World()},
                {o[2], 333'334, TerritorySet::World()}};
      default:  // owners only in some territories: elsewhere the right has no owner
        return {{o[0], kWhole, Territories("FR,DE,JP")}};
    }
  }

  // An id for a new record: mostly fresh; now and then one the kind already uses, or a
  // malformed one.
  template <typename T>
  std::string NewId(const char* prefix, const std::vector<T>& existing) {
    if (!existing.empty() && Chance(0.02)) return Pick(existing).id;
    if (Chance(0.01)) return std::string(prefix) + " bad";
    return prefix + std::to_string(next_++);
  }

  // The model decides whether each record must be accepted; the registry must agree, and
  // both keep what the registry accepted.
  void Add(Party p) { Keep(Accepts(model_, p), registry_.AddParty(p), model_.parties, p); }
  void Add(Work w) { Keep(Accepts(model_, w), registry_.AddWork(w), model_.works, w); }
  void Add(Recording r) {
    Keep(Accepts(model_, r), registry_.AddRecording(r), model_.recordings, r);
  }
  void Add(License l) { Keep(Accepts(model_, l), registry_.AddLicense(l), model_.licenses, l); }
  void Add(Consent c) { Keep(Accepts(model_, c), registry_.AddConsent(c), model_.consents, c); }
  void Add(LicenseEnd e) { Keep(Accepts(model_, e), registry_.EndLicense(e), model_.ends, e); }
  void Add(ShareChange c) {
    Keep(Accepts(model_, c), registry_.ChangeShares(c), model_.changes, c);
  }
  template <typename T>
  void Keep(bool expected, const Status& status, std::vector<T>& records, const T& record) {
    EXPECT_EQ(status.ok(), expected)
        << "the registry " << (status.ok() ? "accepted" : "refused") << " record '" << record.id
        << "', which the model " << (expected ? "accepts" : "refuses") << ": " << status.message();
    if (status.ok()) {
      records.push_back(record);
      registry_.set_version(registry_.version() + 1);
    } else {
      ++rejected_;
      if (std::getenv("GATE_MODEL_VERBOSE")) {
        std::fprintf(stderr, "rejected: %s\n", status.message().c_str());
      }
    }
  }

  std::mt19937 rng_;
  Registry registry_;
  Model model_;
  int next_ = 1;
  int rejected_ = 0;
};

std::string Describe(const DecisionRequest& q) {
  return std::string(ToString(q.use)) + " of '" + q.recording + "' by '" + q.product + "' in " +
         std::string(TerritoryCode(q.territory)) + " at " + std::to_string(q.at);
}

struct Tally {
  int allows = 0;
  int denies = 0;
  int cleared = 0;
};

// Point requests and cleared sets against the model.
void CheckAgainstModel(World& world, int requests, int cleared_queries, Tally& tally) {
  const Registry& reg = world.registry();
  const Model& m = world.model();
  ASSERT_EQ(reg.parties().size(), m.parties.size());
  ASSERT_EQ(reg.recordings().size(), m.recordings.size());
  ASSERT_EQ(reg.licenses().size(), m.licenses.size());
  ASSERT_EQ(reg.consents().size(), m.consents.size());
  ASSERT_EQ(reg.license_ends().size(), m.ends.size());
  ASSERT_EQ(reg.share_changes().size(), m.changes.size());
  Gate gate(reg);
  // History as the registry reports it.
  auto same = [](std::span<const Share> a, const std::vector<Share>& b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Share& x, const Share& y) {
      return x.party == y.party && x.ppm == y.ppm && x.territories == y.territories;
    });
  };
  for (Timestamp at : kAskTimes) {
    for (const Recording& rec : m.recordings) {
      ASSERT_TRUE(
          same(reg.RecordingSharesAt(rec.id, at), SharesAt(m, Right::kRecording, rec.id, at)))
          << rec.id << " at " << at;
    }
    for (const Work& w : m.works) {
      ASSERT_TRUE(same(reg.WorkSharesAt(w.id, at), SharesAt(m, Right::kComposition, w.id, at)))
          << w.id << " at " << at;
    }
  }
  for (const License& l : m.licenses) ASSERT_EQ(reg.LicenseUntil(l.id), EffectiveUntil(m, l));
  for (int i = 0; i < requests; ++i) {
    DecisionRequest q = world.RandomRequest();
    SCOPED_TRACE(Describe(q));
    bool expected = ModelAllows(m, q);
    Decision d = gate.Decide(q);
    ASSERT_EQ(d.allowed(), expected);
    (expected ? tally.allows : tally.denies)++;
    ASSERT_EQ(CheckFindings(m, reg, d), "") << gate.Explain(d);
    int r = IndexOf(m.recordings, q.recording);
    int p = IndexOf(m.parties, q.product);
    if (r >= 0 && p >= 0) {
      ASSERT_EQ(gate.Allowed(r, p, q.use, q.territory, q.at), expected);
    }
  }
  for (int i = 0; i < cleared_queries; ++i) {
    DecisionRequest q = world.RandomRequest();
    SCOPED_TRACE("cleared: " + Describe(q));
    std::vector<std::string> expected;
    for (const Recording& rec : m.recordings) {
      q.recording = rec.id;
      if (ModelAllows(m, q)) expected.push_back(rec.id);
    }
    tally.cleared += static_cast<int>(expected.size());
    ASSERT_EQ(gate.Cleared(q.use, q.product, q.territory, q.at), expected);
  }
}

TEST(GateModelTest, RandomRegistriesAgreeWithTheModel) {
  Tally tally;
  int rejected = 0, ends = 0, changes = 0;
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    World world(seed);
    world.AddParties();
    world.AddCatalogGrants();
    for (int i = world.Uniform(3, 5); i > 0; --i) world.AddWork();
    for (int i = world.Uniform(4, 8); i > 0; --i) world.AddRecording();
    for (int i = world.Uniform(6, 14); i > 0; --i) world.AddLicense();
    for (int i = world.Uniform(10, 30); i > 0; --i) world.AddConsent();
    CheckAgainstModel(world, 100, 8, tally);
    if (::testing::Test::HasFailure()) return;

    // Changes: more statements, licenses and recordings (new recordings of works that
    // licenses, statements and share changes already name), license ends and share changes;
    // decisions must track them, at times before and after each.
    for (int round = 0; round < 4; ++round) {
      SCOPED_TRACE("after change round " + std::to_string(round));
      for (int i = world.Uniform(2, 8); i > 0; --i) world.AddConsent();
      for (int i = world.Uniform(0, 3); i > 0; --i) world.AddLicense();
      for (int i = world.Uniform(0, 3); i > 0; --i) world.AddLicenseEnd();
      for (int i = world.Uniform(0, 3); i > 0; --i) world.AddShareChange();
      if (world.Chance(0.5)) world.AddRecording();
      if (world.Chance(0.2)) world.AddWork();
      CheckAgainstModel(world, 30, 3, tally);
      if (::testing::Test::HasFailure()) return;
    }
    rejected += world.rejected();
    ends += static_cast<int>(world.model().ends.size());
    changes += static_cast<int>(world.model().changes.size());
  }
  // Records of every kind were both accepted and refused, and history was exercised.
  EXPECT_GT(rejected, 200);
  EXPECT_GT(ends, 100);
  EXPECT_GT(changes, 100);
  // The generator must exercise both verdicts, or the comparison proves little.
  int total = tally.allows + tally.denies;
  EXPECT_GT(tally.allows, total / 20) << "allows " << tally.allows << " of " << total;
  EXPECT_GT(tally.denies, total / 5);
  EXPECT_GT(tally.cleared, 0);
  RecordProperty("allows", tally.allows);
  RecordProperty("denies", tally.denies);
  RecordProperty("rejected_records", rejected);
}

// ---------------------------------------------------------------------------------------
// Hand-written edge cases met while writing the model.

}  // namespace
}  // namespace tutti
