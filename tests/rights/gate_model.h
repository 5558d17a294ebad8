// The model of the gate's rules and of the registry's acceptance rules, for
// gate_model_test.cpp: plain copies of the records, scanned linearly, written from the
// contracts in gate.h and rights.h rather than from the code under test.
#ifndef TUTTI_TESTS_RIGHTS_GATE_MODEL_H_
#define TUTTI_TESTS_RIGHTS_GATE_MODEL_H_

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tutti/gate.h"
#include "tutti/rights.h"

namespace tutti::gate_model {

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
inline int IndexOf(const std::vector<T>& records, const std::string& id) {
  for (size_t i = 0; i < records.size(); ++i) {
    if (records[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

inline bool Lists(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

inline const LicenseEnd* EndOf(const Model& m, const std::string& license) {
  for (const LicenseEnd& e : m.ends) {
    if (e.license == license) return &e;
  }
  return nullptr;
}

// A license grants until its end, if it was ended, else until its `until`.
inline Timestamp EffectiveUntil(const Model& m, const License& l) {
  const LicenseEnd* end = EndOf(m, l.id);
  return end ? end->at : l.until;
}

// The original shares of a right, and its changes in the order added.
inline const std::vector<Share>& OriginalShares(const Model& m, Right right,
                                                const std::string& target) {
  return right == Right::kRecording ? m.recordings[IndexOf(m.recordings, target)].shares
                                    : m.works[IndexOf(m.works, target)].shares;
}

// The shares in force at `at`: those of the change with the latest `from` at or before it.
inline const std::vector<Share>& SharesAt(const Model& m, Right right, const std::string& target,
                                          Timestamp at) {
  const ShareChange* latest = nullptr;
  for (const ShareChange& c : m.changes) {
    if (c.right != right || c.target != target || c.from > at) continue;
    if (latest == nullptr || c.from > latest->from) latest = &c;
  }
  return latest ? latest->shares : OriginalShares(m, right, target);
}

// Whoever holds a share of the right in any version.
inline bool EverOwns(const Model& m, Right right, const std::string& target,
                     const std::string& party) {
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
inline bool CoversAsRegistered(const License& l, const std::string& owner, const Recording& rec,
                               const DecisionRequest& q) {
  return l.licensor == owner && l.licensee == q.product && l.uses.Contains(q.use) &&
         l.territories.Contains(q.territory) && l.from <= q.at && q.at < l.until &&
         (l.catalog || Lists(l.recordings, rec.id) || Lists(l.works, rec.work));
}

// ... and in force: not ended at `at`.
inline bool LicenseCovers(const Model& m, const License& l, const std::string& owner,
                          const Recording& rec, const DecisionRequest& q) {
  return CoversAsRegistered(l, owner, rec, q) && q.at < EffectiveUntil(m, l);
}

inline bool Licensed(const Model& m, const std::string& owner, const Recording& rec,
                     const DecisionRequest& q) {
  return std::any_of(m.licenses.begin(), m.licenses.end(),
                     [&](const License& l) { return LicenseCovers(m, l, owner, rec, q); });
}

// Would a license cover, had it not been ended?
inline bool EndedLicenseWouldCover(const Model& m, const std::string& owner, const Recording& rec,
                                   const DecisionRequest& q) {
  return std::any_of(m.licenses.begin(), m.licenses.end(), [&](const License& l) {
    return CoversAsRegistered(l, owner, rec, q) && EffectiveUntil(m, l) <= q.at;
  });
}

// The party's latest statement for the use in one scope with at <= the request's time.
inline const Consent* Latest(const Model& m, const std::string& party, ConsentScope scope,
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

inline Say SayOf(const Model& m, const std::string& party, const Recording& rec,
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

inline std::vector<const Share*> OwnersIn(const std::vector<Share>& shares, Territory t) {
  std::vector<const Share*> out;
  for (const Share& s : shares) {
    if (s.territories.Contains(t)) out.push_back(&s);
  }
  return out;
}

// The shares in force at `at` of each right of `rec`, recording right first.
inline std::vector<std::pair<Right, const std::vector<Share>*>> RightsOf(const Model& m,
                                                                         const Recording& rec,
                                                                         Timestamp at) {
  return {{Right::kRecording, &SharesAt(m, Right::kRecording, rec.id, at)},
          {Right::kComposition, &SharesAt(m, Right::kComposition, rec.work, at)}};
}

// Everyone with a say: owners in the territory of either right, and performing artists.
inline std::vector<std::string> PartiesWithSay(const Model& m, const Recording& rec,
                                               const DecisionRequest& q) {
  std::vector<std::string> out = rec.artists;
  for (const auto& [right, shares] : RightsOf(m, rec, q.at)) {
    for (const Share* s : OwnersIn(*shares, q.territory)) out.push_back(s->party);
  }
  return out;
}

inline bool ModelAllows(const Model& m, const DecisionRequest& q) {
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

inline bool IdOk(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == ':' ||
           c == '-';
  });
}

inline bool IsKind(const Model& m, const std::string& party,
                   std::initializer_list<PartyKind> kinds) {
  int p = IndexOf(m.parties, party);
  return p >= 0 && std::find(kinds.begin(), kinds.end(), m.parties[p].kind) != kinds.end();
}

inline bool IsOwnerKind(const Model& m, const std::string& party) {
  int p = IndexOf(m.parties, party);
  return p >= 0 && m.parties[p].kind != PartyKind::kProduct;
}

// Known non-product owners, each share in (0, 100%] over some territory, and in every
// territory the shares covering it sum to exactly 100% with one share per owner.
inline bool SharesOk(const Model& m, const std::vector<Share>& shares) {
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

inline bool Accepts(const Model& m, const Party& p) {
  return IdOk(p.id) && IndexOf(m.parties, p.id) < 0 && !p.name.empty() && p.ipi.empty();
}

inline bool Accepts(const Model& m, const Work& w) {
  return IdOk(w.id) && IndexOf(m.works, w.id) < 0 && !w.title.empty() && w.iswc.empty() &&
         SharesOk(m, w.shares);
}

inline bool Accepts(const Model& m, const Recording& r) {
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

inline bool Accepts(const Model& m, const License& l) {
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
inline bool SaysOnRecording(const Model& m, const Recording& rec, const std::string& party) {
  return Lists(rec.artists, party) || EverOwns(m, Right::kRecording, rec.id, party);
}

inline bool Accepts(const Model& m, const Consent& c) {
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

inline bool Accepts(const Model& m, const LicenseEnd& e) {
  if (!IdOk(e.id) || IndexOf(m.ends, e.id) >= 0) return false;
  int l = IndexOf(m.licenses, e.license);
  if (l < 0 || EndOf(m, e.license) != nullptr) return false;
  return m.licenses[l].from < e.at && e.at < m.licenses[l].until;
}

inline bool Accepts(const Model& m, const ShareChange& c) {
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
inline bool InForce(const Model& m, std::string_view id, const std::string& party, bool allow,
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
inline std::string CheckFindings(const Model& m, const Registry& reg, const Decision& d) {
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

}  // namespace tutti::gate_model

#endif  // TUTTI_TESTS_RIGHTS_GATE_MODEL_H_
