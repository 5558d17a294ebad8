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

// ---------------------------------------------------------------------------------------
// The model.

struct Model {
  std::vector<Party> parties;
  std::vector<Work> works;
  std::vector<Recording> recordings;
  std::vector<License> licenses;
  std::vector<Consent> consents;
  std::vector<LicenseEnd> ends;
  std::vector<ShareChange> changes;
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

const LicenseEnd* EndOf(const Model& m, const std::string& license) {
  for (const LicenseEnd& e : m.ends) {
    if (e.license == license) return &e;
  }
  return nullptr;
}

// A license grants until its end, if it was ended, else until its `until`.
Timestamp EffectiveUntil(const Model& m, const License& l) {
  const LicenseEnd* end = EndOf(m, l.id);
  return end ? end->at : l.until;
}

// The original shares of a right, and its changes in the order added.
const std::vector<Share>& OriginalShares(const Model& m, Right right, const std::string& target) {
  return right == Right::kRecording ? m.recordings[IndexOf(m.recordings, target)].shares
                                    : m.works[IndexOf(m.works, target)].shares;
}

// The shares in force at `at`: those of the change with the latest `from` at or before it.
const std::vector<Share>& SharesAt(const Model& m, Right right, const std::string& target,
                                   Timestamp at) {
  const ShareChange* latest = nullptr;
  for (const ShareChange& c : m.changes) {
    if (c.right != right || c.target != target || c.from > at) continue;
    if (latest == nullptr || c.from > latest->from) latest = &c;
  }
  return latest ? latest->shares : OriginalShares(m, right, target);
}

// Whoever holds a share of the right in any version.
bool EverOwns(const Model& m, Right right, const std::string& target, const std::string& party) {
  auto holds = [&](const std::vector<Share>& shares) {
    return std::any_of(shares.begin(), shares.end(),
                       [&](const Share& s) { return s.party == party; });
  };
  if (holds(OriginalShares(m, right, target))) return true;
  return std::any_of(m.changes.begin(), m.changes.end(), [&](const ShareChange& c) {
    return c.right == right && c.target == target && holds(c.shares);
  });
}

// Rule 1, as registered: a license from `owner` to the product, for the use and territory,
// that lists the recording or its work or is the owner's catalog license, with `at` in
// [from, until).
bool CoversAsRegistered(const License& l, const std::string& owner, const Recording& rec,
                        const DecisionRequest& q) {
  return l.licensor == owner && l.licensee == q.product && l.uses.Contains(q.use) &&
         l.territories.Contains(q.territory) && l.from <= q.at && q.at < l.until &&
         (l.catalog || Lists(l.recordings, rec.id) || Lists(l.works, rec.work));
}

// ... and in force: not ended at `at`.
bool LicenseCovers(const Model& m, const License& l, const std::string& owner, const Recording& rec,
                   const DecisionRequest& q) {
  return CoversAsRegistered(l, owner, rec, q) && q.at < EffectiveUntil(m, l);
}

bool Licensed(const Model& m, const std::string& owner, const Recording& rec,
              const DecisionRequest& q) {
  return std::any_of(m.licenses.begin(), m.licenses.end(),
                     [&](const License& l) { return LicenseCovers(m, l, owner, rec, q); });
}

// Would a license cover, had it not been ended?
bool EndedLicenseWouldCover(const Model& m, const std::string& owner, const Recording& rec,
                            const DecisionRequest& q) {
  return std::any_of(m.licenses.begin(), m.licenses.end(), [&](const License& l) {
    return CoversAsRegistered(l, owner, rec, q) && EffectiveUntil(m, l) <= q.at;
  });
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

// The shares in force at `at` of each right of `rec`, recording right first.
std::vector<std::pair<Right, const std::vector<Share>*>> RightsOf(const Model& m,
                                                                  const Recording& rec,
                                                                  Timestamp at) {
  return {{Right::kRecording, &SharesAt(m, Right::kRecording, rec.id, at)},
          {Right::kComposition, &SharesAt(m, Right::kComposition, rec.work, at)}};
}

// Everyone with a say: owners in the territory of either right, and performing artists.
std::vector<std::string> PartiesWithSay(const Model& m, const Recording& rec,
                                        const DecisionRequest& q) {
  std::vector<std::string> out = rec.artists;
  for (const auto& [right, shares] : RightsOf(m, rec, q.at)) {
    for (const Share* s : OwnersIn(*shares, q.territory)) out.push_back(s->party);
  }
  return out;
}

bool ModelAllows(const Model& m, const DecisionRequest& q) {
  int r = IndexOf(m.recordings, q.recording);
  int p = IndexOf(m.parties, q.product);
  if (r < 0 || p < 0 || m.parties[p].kind != PartyKind::kProduct) return false;
  if (q.territory >= kTerritoryCount) return false;
  const Recording& rec = m.recordings[r];
  for (const auto& [right, shares] : RightsOf(m, rec, q.at)) {
    std::vector<const Share*> owners = OwnersIn(*shares, q.territory);
    if (owners.empty()) return false;
    for (const Share* s : owners) {
      if (!Licensed(m, s->party, rec, q)) return false;
    }
  }
  for (const std::string& party : PartiesWithSay(m, rec, q)) {
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
// Acceptance: which records the registry must take, written from the contracts in
// rights.h, not from registry.cpp.

bool IdOk(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' ||
           c == '-';
  });
}

bool IsKind(const Model& m, const std::string& party, std::initializer_list<PartyKind> kinds) {
  int p = IndexOf(m.parties, party);
  return p >= 0 && std::find(kinds.begin(), kinds.end(), m.parties[p].kind) != kinds.end();
}

bool IsOwnerKind(const Model& m, const std::string& party) {
  int p = IndexOf(m.parties, party);
  return p >= 0 && m.parties[p].kind != PartyKind::kProduct;
}

// Known non-product owners, each share in (0, 100%] over some territory, and in every
// territory the shares covering it sum to exactly 100% with one share per owner.
bool SharesOk(const Model& m, const std::vector<Share>& shares) {
  if (shares.empty() || shares.size() > 65535) return false;
  for (const Share& s : shares) {
    if (s.ppm <= 0 || s.ppm > kWhole || s.territories.empty()) return false;
    if (!IsOwnerKind(m, s.party)) return false;
  }
  for (int t = 0; t < kTerritoryCount; ++t) {
    int64_t sum = 0;
    std::vector<std::string> holders;
    for (const Share& s : shares) {
      if (!s.territories.Contains(static_cast<Territory>(t))) continue;
      if (Lists(holders, s.party)) return false;
      holders.push_back(s.party);
      sum += s.ppm;
    }
    if (!holders.empty() && sum != kWhole) return false;
  }
  return true;
}

bool Accepts(const Model& m, const Party& p) {
  return IdOk(p.id) && IndexOf(m.parties, p.id) < 0 && !p.name.empty() && p.ipi.empty();
}

bool Accepts(const Model& m, const Work& w) {
  return IdOk(w.id) && IndexOf(m.works, w.id) < 0 && !w.title.empty() && w.iswc.empty() &&
         SharesOk(m, w.shares);
}

bool Accepts(const Model& m, const Recording& r) {
  if (!IdOk(r.id) || IndexOf(m.recordings, r.id) >= 0 || r.title.empty() || !r.isrc.empty()) {
    return false;
  }
  if (IndexOf(m.works, r.work) < 0 || r.artists.empty()) return false;
  for (size_t i = 0; i < r.artists.size(); ++i) {
    if (!IsKind(m, r.artists[i], {PartyKind::kArtist, PartyKind::kSongwriter})) return false;
    if (std::find(r.artists.begin(), r.artists.begin() + i, r.artists[i]) !=
        r.artists.begin() + i) {
      return false;
    }
  }
  return SharesOk(m, r.shares);
}

bool Accepts(const Model& m, const License& l) {
  if (!IdOk(l.id) || IndexOf(m.licenses, l.id) >= 0) return false;
  if (!IsOwnerKind(m, l.licensor) || !IsKind(m, l.licensee, {PartyKind::kProduct})) return false;
  if (l.uses.empty() || l.territories.empty() || l.from >= l.until) return false;
  if (l.revenue_share < 0 || l.revenue_share > kWhole) return false;
  bool listed = !l.recordings.empty() || !l.works.empty();
  if (l.catalog == listed) return false;
  for (size_t i = 0; i < l.recordings.size(); ++i) {
    if (IndexOf(m.recordings, l.recordings[i]) < 0) return false;
    if (std::count(l.recordings.begin(), l.recordings.end(), l.recordings[i]) > 1) return false;
  }
  for (size_t i = 0; i < l.works.size(); ++i) {
    if (IndexOf(m.works, l.works[i]) < 0) return false;
    if (std::count(l.works.begin(), l.works.end(), l.works[i]) > 1) return false;
  }
  return true;
}

// A say over a recording: its artists, and whoever ever held a share of it or of its work.
bool SaysOnRecording(const Model& m, const Recording& rec, const std::string& party) {
  return Lists(rec.artists, party) || EverOwns(m, Right::kRecording, rec.id, party);
}

bool Accepts(const Model& m, const Consent& c) {
  if (!IdOk(c.id) || IndexOf(m.consents, c.id) >= 0) return false;
  if (!IsOwnerKind(m, c.party)) return false;
  bool say = false;
  switch (c.scope) {
    case ConsentScope::kAll:
      if (!c.target.empty()) return false;
      say = true;
      break;
    case ConsentScope::kRecording: {
      int r = IndexOf(m.recordings, c.target);
      if (r < 0) return false;
      const Recording& rec = m.recordings[r];
      say = SaysOnRecording(m, rec, c.party) || EverOwns(m, Right::kComposition, rec.work, c.party);
      break;
    }
    case ConsentScope::kWork:
      if (IndexOf(m.works, c.target) < 0) return false;
      say = EverOwns(m, Right::kComposition, c.target, c.party) ||
            std::any_of(m.recordings.begin(), m.recordings.end(), [&](const Recording& rec) {
              return rec.work == c.target && SaysOnRecording(m, rec, c.party);
            });
      break;
  }
  if (!say) return false;
  return std::none_of(m.consents.begin(), m.consents.end(), [&](const Consent& o) {
    return o.party == c.party && o.scope == c.scope && o.target == c.target && o.use == c.use &&
           o.at == c.at;
  });
}

bool Accepts(const Model& m, const LicenseEnd& e) {
  if (!IdOk(e.id) || IndexOf(m.ends, e.id) >= 0) return false;
  int l = IndexOf(m.licenses, e.license);
  if (l < 0 || EndOf(m, e.license) != nullptr) return false;
  return m.licenses[l].from < e.at && e.at < m.licenses[l].until;
}

bool Accepts(const Model& m, const ShareChange& c) {
  if (!IdOk(c.id) || IndexOf(m.changes, c.id) >= 0) return false;
  bool known = c.right == Right::kRecording ? IndexOf(m.recordings, c.target) >= 0
                                            : IndexOf(m.works, c.target) >= 0;
  if (!known || !SharesOk(m, c.shares)) return false;
  return std::none_of(m.changes.begin(), m.changes.end(), [&](const ShareChange& o) {
    return o.right == c.right && o.target == c.target && c.from <= o.from;
  });
}

// ---------------------------------------------------------------------------------------
// Findings: each must be true of the records it names, and a decision on a known
// recording and product must list every requirement.

// Is the consent `id` the party's statement in force, in its scope, for this request?
bool InForce(const Model& m, std::string_view id, const std::string& party, bool allow,
             const Recording& rec, const DecisionRequest& q) {
  int index = IndexOf(m.consents, std::string(id));
  if (index < 0) return false;
  const Consent& c = m.consents[index];
  bool on_target = c.scope == ConsentScope::kAll ||
                   (c.scope == ConsentScope::kRecording && c.target == rec.id) ||
                   (c.scope == ConsentScope::kWork && c.target == rec.work);
  return on_target && c.party == party && c.allow == allow &&
         Latest(m, party, c.scope, c.target, q) == &c;
}

// Returns what is wrong with `d`'s findings, or "" when nothing is.
std::string CheckFindings(const Model& m, const Registry& reg, const Decision& d) {
  const DecisionRequest& q = d.request;
  bool all_met =
      std::all_of(d.findings.begin(), d.findings.end(), [](const Finding& f) { return f.met; });
  if (d.findings.empty()) return "no findings";
  if (d.allowed() != all_met) return "verdict disagrees with the findings' met flags";
  if (d.registry_version != reg.version()) return "the decision's registry version is wrong";
  int r = IndexOf(m.recordings, q.recording);
  int p = IndexOf(m.parties, q.product);
  if (q.territory >= kTerritoryCount) {
    bool named = std::any_of(d.findings.begin(), d.findings.end(), [](const Finding& f) {
      return f.kind == Finding::Kind::kUnknownTerritory && !f.met;
    });
    return named ? "" : "no finding names the unknown territory";
  }
  if (r < 0 || p < 0 || m.parties[p].kind != PartyKind::kProduct) return "";
  const Recording& rec = m.recordings[r];
  auto shares_of = [&](Right right) {
    return RightsOf(m, rec, q.at)[right == Right::kComposition].second;
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
    std::string_view id = reg.IdOf(f.record);
    bool names_consent = f.record.kind == RecordKind::kConsent;
    bool ok = true;
    switch (f.kind) {
      case Finding::Kind::kUnknownRecording:
      case Finding::Kind::kUnknownProduct:
      case Finding::Kind::kUnknownTerritory:
        return where + "recording, product and territory are known";
      case Finding::Kind::kNoOwners:
        ok = !f.met && owners.empty() && f.record.empty();
        break;
      case Finding::Kind::kLicensed: {
        int l = f.record.kind == RecordKind::kLicense ? IndexOf(m.licenses, std::string(id)) : -1;
        ok = f.met && owner_share && l >= 0 && LicenseCovers(m, m.licenses[l], party, rec, q);
        break;
      }
      case Finding::Kind::kUnlicensed: {
        // It names the end of a license that would cover, if there is one.
        bool ended = EndedLicenseWouldCover(m, party, rec, q);
        int e = f.record.kind == RecordKind::kLicenseEnd ? IndexOf(m.ends, std::string(id)) : -1;
        ok = !f.met && owner_share && !Licensed(m, party, rec, q) &&
             (ended ? e >= 0 &&
                          CoversAsRegistered(m.licenses[IndexOf(m.licenses, m.ends[e].license)],
                                             party, rec, q) &&
                          m.ends[e].at <= q.at
                    : f.record.empty());
        break;
      }
      case Finding::Kind::kNoDenial:
        ok = f.met && SayOf(m, party, rec, q).deny == nullptr &&
             (f.record.empty() || (names_consent && InForce(m, id, party, true, rec, q)));
        break;
      case Finding::Kind::kDenied:
        ok = !f.met && names_consent && InForce(m, id, party, false, rec, q);
        break;
      case Finding::Kind::kPersonaAllowed:
        ok = f.met && IsPersonaUse(q.use) && Lists(rec.artists, party) && names_consent &&
             InForce(m, id, party, true, rec, q);
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
  for (const auto& [right, shares] : RightsOf(m, rec, q.at)) {
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
  for (const std::string& party : PartiesWithSay(m, rec, q)) {
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
