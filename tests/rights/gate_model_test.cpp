// The gate against a tiny model of its rules (STYLE.md practice 10, after LevelDB's
// DBTest.Randomized).
//
// ModelAllows below is written from the rules at the top of gate.h, not from gate.cpp. It
// keeps plain copies of the records the registry accepted and scans every share, license
// and consent statement linearly: slow, and simple enough to be obviously right. Random
// registries (fixed seeds) are built through Registry::Add*; then random requests, with
// times on and either side of every license and consent boundary, must get the same
// verdict from Gate::Decide, Gate::Allowed, Gate::Cleared and the model, and each
// decision's findings must tell the truth about the records they name. Further random
// records are then added and the gate must keep tracking the model.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "tutti/gate.h"
#include "tutti/rights.h"

namespace tutti {
namespace {

// ---------------------------------------------------------------------------------------
// The model.

struct Model {
  std::vector<Party> parties;
  std::vector<Work> works;
  std::vector<Recording> recordings;
  std::vector<License> licenses;
  std::vector<Consent> consents;
};

template <typename T>
int IndexOf(const std::vector<T>& records, const std::string& id) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

bool Lists(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Rule 1: a license in force from `owner` to the product, for the use and territory, that
// lists the recording or its work or is the owner's catalog license.
bool LicenseCovers(const License& l, const std::string& owner, const Recording& rec,
                   const DecisionRequest& q) {
  return l.licensor == owner && l.licensee == q.product && l.uses.Contains(q.use) &&
         l.territories.Contains(q.territory) && l.from <= q.at && q.at < l.until &&
         (l.catalog || Lists(l.recordings, rec.id) || Lists(l.works, rec.work));
}

bool Licensed(const Model& m, const std::string& owner, const Recording& rec,
              const DecisionRequest& q) {
  return std::any_of(m.licenses.begin(), m.licenses.end(),
                     [&](const License& l) { return LicenseCovers(l, owner, rec, q); });
}

// The party's latest statement for the use in one scope with at <= the request's time.
const Consent* Latest(const Model& m, const std::string& party, ConsentScope scope,
                      const std::string& target, const DecisionRequest& q) {
  const Consent* latest = nullptr;
  for (const Consent& c : m.consents) {
    if (c.party != party || c.scope != scope || c.target != target || c.use != q.use) continue;
    if (c.at > q.at) continue;
    if (latest == nullptr || c.at > latest->at) latest = &c;
  }
  return latest;
}

struct Say {
  const Consent* deny = nullptr;   // a scope whose latest statement denies
  const Consent* allow = nullptr;  // a scope whose latest statement allows
};

Say SayOf(const Model& m, const std::string& party, const Recording& rec,
          const DecisionRequest& q) {
  Say say;
  const Consent* latest[] = {Latest(m, party, ConsentScope::kRecording, rec.id, q),
                             Latest(m, party, ConsentScope::kWork, rec.work, q),
                             Latest(m, party, ConsentScope::kAll, "", q)};
  for (const Consent* c : latest) {
    if (c == nullptr) continue;
    (c->allow ? say.allow : say.deny) = c;
  }
  return say;
}

std::vector<const Share*> OwnersIn(const std::vector<Share>& shares, Territory t) {
  std::vector<const Share*> out;
  for (const Share& s : shares) {
    if (s.territories.Contains(t)) out.push_back(&s);
  }
  return out;
}

// The shares of each right of `rec`, recording right first.
std::vector<std::pair<Right, const std::vector<Share>*>> RightsOf(const Model& m,
                                                                  const Recording& rec) {
  const Work& work = m.works[IndexOf(m.works, rec.work)];
  return {{Right::kRecording, &rec.shares}, {Right::kComposition, &work.shares}};
}

// Everyone with a say: owners in the territory of either right, and performing artists.
std::vector<std::string> PartiesWithSay(const Model& m, const Recording& rec, Territory t) {
  std::vector<std::string> out = rec.artists;
  for (const auto& [right, shares] : RightsOf(m, rec)) {
    for (const Share* s : OwnersIn(*shares, t)) out.push_back(s->party);
  }
  return out;
}

bool ModelAllows(const Model& m, const DecisionRequest& q) {
  int r = IndexOf(m.recordings, q.recording);
  int p = IndexOf(m.parties, q.product);
  if (r < 0 || p < 0 || m.parties[p].kind != PartyKind::kProduct) return false;
  const Recording& rec = m.recordings[r];
  for (const auto& [right, shares] : RightsOf(m, rec)) {
    std::vector<const Share*> owners = OwnersIn(*shares, q.territory);
    if (owners.empty()) return false;
    for (const Share* s : owners) {
      if (!Licensed(m, s->party, rec, q)) return false;
    }
  }
  for (const std::string& party : PartiesWithSay(m, rec, q.territory)) {
    if (SayOf(m, party, rec, q).deny != nullptr) return false;
  }
  if (IsPersonaUse(q.use)) {
    for (const std::string& artist : rec.artists) {
      if (SayOf(m, artist, rec, q).allow == nullptr) return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// Findings: each must be true of the records it names, and a decision on a known
// recording and product must list every requirement.

// Is consent `index` the party's statement in force, in its scope, for this request?
bool InForce(const Model& m, int32_t index, const std::string& party, bool allow,
             const Recording& rec, const DecisionRequest& q) {
  if (index < 0 || index >= static_cast<int32_t>(m.consents.size())) return false;
  const Consent& c = m.consents[index];
  bool on_target = c.scope == ConsentScope::kAll ||
                   (c.scope == ConsentScope::kRecording && c.target == rec.id) ||
                   (c.scope == ConsentScope::kWork && c.target == rec.work);
  return on_target && c.party == party && c.allow == allow &&
         Latest(m, party, c.scope, c.target, q) == &c;
}

// Returns what is wrong with `d`'s findings, or "" when nothing is.
std::string CheckFindings(const Model& m, const Decision& d) {
  const DecisionRequest& q = d.request;
  bool all_met =
      std::all_of(d.findings.begin(), d.findings.end(), [](const Finding& f) { return f.met; });
  if (d.findings.empty()) return "no findings";
  if (d.allowed() != all_met) return "verdict disagrees with the findings' met flags";
  int r = IndexOf(m.recordings, q.recording);
  int p = IndexOf(m.parties, q.product);
  if (r < 0 || p < 0 || m.parties[p].kind != PartyKind::kProduct) return "";
  const Recording& rec = m.recordings[r];
  auto shares_of = [&](Right right) {
    return RightsOf(m, rec)[right == Right::kComposition].second;
  };
  for (size_t i = 0; i < d.findings.size(); ++i) {
    const Finding& f = d.findings[i];
    std::string where = "finding " + std::to_string(i) + " (kind " +
                        std::to_string(static_cast<int>(f.kind)) + "): ";
    if (f.party >= m.parties.size()) return where + "party index out of range";
    const std::string& party = m.parties[f.party].id;
    std::vector<const Share*> owners = OwnersIn(*shares_of(f.right), q.territory);
    bool owner_share = std::any_of(owners.begin(), owners.end(), [&](const Share* s) {
      return s->party == party && s->ppm == f.share;
    });
    bool ok = true;
    switch (f.kind) {
      case Finding::Kind::kUnknownRecording:
      case Finding::Kind::kUnknownProduct:
        return where + "recording and product are known";
      case Finding::Kind::kNoOwners:
        ok = !f.met && owners.empty();
        break;
      case Finding::Kind::kLicensed:
        ok = f.met && owner_share && f.record >= 0 &&
             f.record < static_cast<int32_t>(m.licenses.size()) &&
             LicenseCovers(m.licenses[f.record], party, rec, q);
        break;
      case Finding::Kind::kUnlicensed:
        ok = !f.met && owner_share && !Licensed(m, party, rec, q);
        break;
      case Finding::Kind::kNoDenial:
        ok = f.met && SayOf(m, party, rec, q).deny == nullptr &&
             (f.record < 0 || InForce(m, f.record, party, true, rec, q));
        break;
      case Finding::Kind::kDenied:
        ok = !f.met && InForce(m, f.record, party, false, rec, q);
        break;
      case Finding::Kind::kPersonaAllowed:
        ok = f.met && IsPersonaUse(q.use) && Lists(rec.artists, party) &&
             InForce(m, f.record, party, true, rec, q);
        break;
      case Finding::Kind::kPersonaMissing: {
        // An allow that a deny in another scope overrides counts as missing.
        Say say = SayOf(m, party, rec, q);
        ok = !f.met && IsPersonaUse(q.use) && Lists(rec.artists, party) &&
             (say.allow == nullptr || say.deny != nullptr);
        break;
      }
    }
    if (!ok) return where + "not true of party '" + party + "'";
  }
  // Completeness: every owner share, every party with a say, every artist for persona.
  auto has = [&](auto pred) { return std::any_of(d.findings.begin(), d.findings.end(), pred); };
  for (const auto& [right, shares] : RightsOf(m, rec)) {
    std::vector<const Share*> owners = OwnersIn(*shares, q.territory);
    if (owners.empty() && !has([&](const Finding& f) {
          return f.kind == Finding::Kind::kNoOwners && f.right == right;
        })) {
      return "no finding says right " + std::string(ToString(right)) + " has no owner";
    }
    for (const Share* s : owners) {
      if (!has([&](const Finding& f) {
            return (f.kind == Finding::Kind::kLicensed || f.kind == Finding::Kind::kUnlicensed) &&
                   f.right == right && m.parties[f.party].id == s->party && f.share == s->ppm;
          })) {
        return "no license finding for " + s->party + "'s share of the " +
               std::string(ToString(right)) + " right";
      }
    }
  }
  for (const std::string& party : PartiesWithSay(m, rec, q.territory)) {
    if (!has([&](const Finding& f) {
          return (f.kind == Finding::Kind::kNoDenial || f.kind == Finding::Kind::kDenied) &&
                 m.parties[f.party].id == party;
        })) {
      return "no consent finding for " + party;
    }
  }
  if (IsPersonaUse(q.use)) {
    for (const std::string& artist : rec.artists) {
      if (!has([&](const Finding& f) {
            return (f.kind == Finding::Kind::kPersonaAllowed ||
                    f.kind == Finding::Kind::kPersonaMissing) &&
                   m.parties[f.party].id == artist;
          })) {
        return "no persona finding for " + artist;
      }
    }
  }
  return "";
}

// ---------------------------------------------------------------------------------------
// Random registries.

// License and consent times; requests are asked on, and either side of, each of them.
constexpr Timestamp kTimes[] = {0, 100, 200, 300};
constexpr Timestamp kAskTimes[] = {-1,  0,   1,   99,  100, 101,  150,         199,
                                   200, 201, 299, 300, 301, 5000, kForever - 1};
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
    Work w{"W" + std::to_string(next_++), "a work", "", RandomShares(kCompositionOwners)};
    Add(std::move(w));
  }

  void AddRecording() {
    if (model_.works.empty()) return;
    Recording r;
    r.id = "R" + std::to_string(next_++);
    r.title = "a recording";
    r.work = Pick(model_.works).id;
    r.artists = {"artist" + std::to_string(Uniform(0, 2))};
    if (Chance(0.3)) r.artists.push_back(Chance(0.5) ? "songwriter0" : "artist2");
    r.shares = RandomShares(kRecordingOwners);
    Add(std::move(r));
  }

  void AddLicense() {
    if (model_.recordings.empty()) return;
    License l;
    l.id = "L" + std::to_string(next_++);
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
    q.territory = Code(Pick(kAskTerritories));
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

  // 1 to 3 owners; some split by territory, each territory still summing to 100%.
  template <size_t N>
  std::vector<Share> RandomShares(const char* const (&pool)[N]) {
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

  void Add(Party p) { Keep(registry_.AddParty(p), model_.parties, p); }
  void Add(Work w) { Keep(registry_.AddWork(w), model_.works, w); }
  void Add(Recording r) { Keep(registry_.AddRecording(r), model_.recordings, r); }
  void Add(License l) { Keep(registry_.AddLicense(l), model_.licenses, l); }
  void Add(Consent c) { Keep(registry_.AddConsent(c), model_.consents, c); }
  // The model keeps a plain copy of every record the registry accepted.
  template <typename T>
  void Keep(const Status& status, std::vector<T>& records, const T& record) {
    if (status.ok()) {
      records.push_back(record);
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
  Gate gate(reg);
  for (int i = 0; i < requests; ++i) {
    DecisionRequest q = world.RandomRequest();
    SCOPED_TRACE(Describe(q));
    bool expected = ModelAllows(m, q);
    Decision d = gate.Decide(q);
    ASSERT_EQ(d.allowed(), expected);
    (expected ? tally.allows : tally.denies)++;
    ASSERT_EQ(CheckFindings(m, d), "") << gate.Explain(d);
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
  int rejected = 0;
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
    if (::testing::Test::HasFatalFailure()) return;

    // Changes: more statements, licenses and recordings (new recordings of works that
    // licenses and statements already name); decisions must track them.
    for (int round = 0; round < 3; ++round) {
      SCOPED_TRACE("after change round " + std::to_string(round));
      for (int i = world.Uniform(2, 8); i > 0; --i) world.AddConsent();
      for (int i = world.Uniform(0, 3); i > 0; --i) world.AddLicense();
      if (world.Chance(0.5)) world.AddRecording();
      CheckAgainstModel(world, 30, 3, tally);
      if (::testing::Test::HasFatalFailure()) return;
    }
    rejected += world.rejected();
  }
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
