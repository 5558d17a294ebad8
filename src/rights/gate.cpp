// The license gate. See gate.h for the rules; this file keeps one evaluation path for
// both the explained decision and the bare verdict, so the two cannot disagree.
#include "tutti/gate.h"

#include <algorithm>
#include <memory>
#include <unordered_set>

#include "tutti/explain.h"

namespace tutti {

namespace {

// The parties with a say in one decision, in the order first met, without duplicates.
// Small (a handful of owners and artists), so it lives inline and is searched linearly;
// an unusual decision with thousands (a work with 65,535 owners) gets a hash set, so that
// it stays linear rather than quadratic.
class PartyList {
 public:
  void Add(uint32_t party) {
    if (size_ < kInline) [[likely]] {
      for (size_t i = 0; i < size_; ++i) {
        if (inline_[i] == party) return;
      }
      inline_[size_++] = party;
      return;
    }
    AddToOverflow(party);
  }
  size_t size() const { return size_; }
  uint32_t at(size_t i) const { return size_ <= kInline ? inline_[i] : overflow_->parties[i]; }

 private:
  static constexpr size_t kInline = 16;
  // Behind a pointer, so that the common list costs what an array and a null check cost:
  // the set's size and its engaged test once made every decision slower (BENCHMARKS.md).
  struct Overflow {
    std::vector<uint32_t> parties;
    std::unordered_set<uint32_t> seen;
  };
  [[gnu::noinline]] void AddToOverflow(uint32_t party) {
    if (!overflow_) {
      overflow_ = std::make_unique<Overflow>();
      overflow_->parties.assign(inline_, inline_ + kInline);
      overflow_->seen.insert(inline_, inline_ + kInline);
    }
    if (!overflow_->seen.insert(party).second) return;
    overflow_->parties.push_back(party);
    ++size_;
  }

  uint32_t inline_[kInline];
  size_t size_ = 0;
  std::unique_ptr<Overflow> overflow_;  // made only past kInline parties
};

}  // namespace

template <bool kExplain>
RecordRef Gate::FindLicense(uint32_t owner, uint32_t product, Use use, Territory territory,
                            Timestamp at, uint32_t recording) const {
  const Registry& reg = registry_;
  RecordRef ended;  // returned in a register, not through memory: this runs per owner
  // In force: from the owner to the product, for the use, at `at`, in the territory. A
  // license that fails only on time is looked at again, rarely, for an early end that
  // explains why: one pass serves both, so the common case pays nothing for it.
  auto check = [&](uint32_t l) {
    const Registry::LicenseIx& lic = reg.license_ix_[l];
    if (lic.licensor != owner || lic.licensee != product || !lic.uses.Contains(use)) return false;
    if (lic.from <= at && at < lic.until) return reg.Covers(lic.territories, territory);
    if constexpr (!kExplain) return false;
    if (ended.empty() && lic.until <= at) {
      const License& registered = reg.licenses_[l];  // its term as registered
      if (registered.from <= at && at < registered.until &&
          reg.Covers(lic.territories, territory)) {
        ended = RecordRef{reg.license_end_of_[l], RecordKind::kLicenseEnd};
      }
    }
    return false;
  };
  // The licenses that list the recording or its work.
  for (uint32_t l : reg.recording_lists_[recording].licenses) {
    if (check(l)) return RecordRef{l, RecordKind::kLicense};
  }
  // A catalog grant names its licensee inline: other products' grants are never read.
  for (const Registry::CatalogLicenseRef& ref : reg.party_ix_[owner].catalog_licenses) {
    if (ref.licensee == product && check(ref.license)) {
      return RecordRef{ref.license, RecordKind::kLicense};
    }
  }
  return ended;
}

Gate::ConsentState Gate::ConsentOf(uint32_t party, Use use, uint32_t recording,
                                   Timestamp at) const {
  const Registry& reg = registry_;
  // Per scope, the latest statement in force speaks; across scopes a deny wins.
  const Registry::ConsentRef* latest[3] = {};  // by ConsentScope
  auto consider = [&](const Registry::ConsentRef& c) {
    if (c.party != party || c.use != use || c.at > at) return;
    const Registry::ConsentRef*& slot = latest[static_cast<int>(c.scope)];
    if (!slot || c.at > slot->at) slot = &c;
  };
  for (const auto& c : reg.recording_lists_[recording].consents) consider(c);  // and its work's
  for (const auto& c : reg.party_ix_[party].all_consents) consider(c);
  ConsentState state;
  for (const Registry::ConsentRef* c : latest) {
    if (!c) continue;
    int32_t index = static_cast<int32_t>(c->index);
    if (c->allow) {
      if (state.allow < 0) state.allow = index;
    } else if (state.deny < 0) {
      state.deny = index;
    }
  }
  return state;
}

// Flattened: every call inside is inlined, push_back first. Left to itself GCC stopped
// inlining push_back here once Evaluate grew, and each finding went through a call and a
// copy from the stack: decisions in cache were ~10% slower (BENCHMARKS.md, "License gate").
template <bool kExplain>
[[gnu::flatten]] bool Gate::Evaluate(uint32_t recording, uint32_t product, Use use,
                                     Territory territory, Timestamp at,
                                     std::vector<Finding>* findings) const {
  const Registry& reg = registry_;
  const Registry::RecordingIx& rec = reg.recording_ix_[recording];
  auto note = [&](const Finding& f) {
    if constexpr (kExplain) findings->push_back(f);
  };
  bool allowed = true;
  PartyList say;

  // 1. The owners of 100% of each implicated right licensed this use.
  // The run is read once for all three parts; one test of the flags sends the rare
  // recording with history (or a shared work run) to the versions in force at `at`.
  std::span<const Registry::ShareIx> run = reg.PartiesOf(rec);
  std::span<const Registry::ShareIx> rights[] = {
      run.first(rec.share_count), run.subspan(rec.share_count, rec.work_share_count)};
  if (rec.flags & Registry::RecordingIx::kSlowPath) [[unlikely]] {
    rights[0] = reg.OwnSharesAt(recording, rec, at);
    rights[1] = reg.WorkOwnersAt(rec, at);
  }
  for (int r = 0; r < 2; ++r) {
    Right right = r == 0 ? Right::kRecording : Right::kComposition;
    bool any_owner = false;
    for (const Registry::ShareIx& share : rights[r]) {
      if (!reg.Covers(share.territories, territory)) continue;
      any_owner = true;
      say.Add(share.party);
      // The license in force, or (explaining) the end of one that would have covered.
      RecordRef found = FindLicense<kExplain>(share.party, product, use, territory, at, recording);
      bool licensed = found.kind == RecordKind::kLicense;
      if (!licensed) {
        allowed = false;
        if constexpr (!kExplain) return false;
      }
      note({licensed ? Finding::Kind::kLicensed : Finding::Kind::kUnlicensed, licensed, right,
            share.party, share.ppm, found});
    }
    if (!any_owner) {
      allowed = false;
      if constexpr (!kExplain) return false;
      note({Finding::Kind::kNoOwners, false, right});
    }
  }
  std::span<const Registry::ShareIx> artists = run.last(rec.artist_count);
  for (const Registry::ShareIx& artist : artists) say.Add(artist.party);

  // 2. Nobody with a say denies it; 3. persona uses need each artist's own allow.
  auto statement = [](int32_t index) {
    return index < 0 ? RecordRef{} : RecordRef{static_cast<uint32_t>(index), RecordKind::kConsent};
  };
  bool persona = IsPersonaUse(use);
  for (size_t i = 0; i < say.size(); ++i) {
    uint32_t party = say.at(i);
    ConsentState state = ConsentOf(party, use, recording, at);
    if (state.deny >= 0) {
      allowed = false;
      if constexpr (!kExplain) return false;
      note({Finding::Kind::kDenied, false, Right::kRecording, party, 0, statement(state.deny)});
    } else {
      note({Finding::Kind::kNoDenial, true, Right::kRecording, party, 0, statement(state.allow)});
    }
    bool is_artist = persona && std::any_of(artists.begin(), artists.end(),
                                            [&](const auto& a) { return a.party == party; });
    if (!is_artist) continue;
    bool ok = state.allow >= 0 && state.deny < 0;
    if (!ok) {
      allowed = false;
      if constexpr (!kExplain) return false;
    }
    note({ok ? Finding::Kind::kPersonaAllowed : Finding::Kind::kPersonaMissing, ok,
          Right::kRecording, party, 0, statement(ok ? state.allow : state.deny)});
  }
  return allowed;
}

bool Gate::Allowed(uint32_t recording, uint32_t product, Use use, Territory territory,
                   Timestamp at) const {
  if (territory >= kTerritoryCount) return false;
  return Evaluate<false>(recording, product, use, territory, at, nullptr);
}

Decision Gate::Decide(const DecisionRequest& request) const {
  // Even one request gains from loading what it will read level by level, each level's
  // lines at once, rather than miss by miss as the evaluation comes to them.
  PrefetchCandidates(request);
  uint32_t recording =
      registry_.Find(Registry::IdKind::kRecording, request.recording).value_or(kUnknown);
  uint32_t product = registry_.Find(Registry::IdKind::kParty, request.product).value_or(kUnknown);
  if (recording != kUnknown && product != kUnknown) {
    PrefetchGroup(std::span<const uint32_t>(&recording, 1), std::span<const uint32_t>(&product, 1));
  }
  return DecideResolved(request, recording, product);
}

Decision Gate::DecideResolved(const DecisionRequest& request, uint32_t recording,
                              uint32_t product) const {
  Decision d;
  d.request = request;
  d.registry_version = registry_.version();
  if (request.territory >= kTerritoryCount) {
    d.findings.push_back({Finding::Kind::kUnknownTerritory, false});
  }
  if (recording == kUnknown) d.findings.push_back({Finding::Kind::kUnknownRecording, false});
  if (product == kUnknown || registry_.parties_[product].kind != PartyKind::kProduct) {
    d.findings.push_back({Finding::Kind::kUnknownProduct, false});
  }
  if (!d.findings.empty()) return d;  // deny by default
  d.findings.reserve(12);
  bool allowed =
      Evaluate<true>(recording, product, request.use, request.territory, request.at, &d.findings);
  d.verdict = allowed ? Verdict::kAllow : Verdict::kDeny;
  return d;
}

std::vector<std::string> Gate::Cleared(Use use, const std::string& product, Territory territory,
                                       Timestamp at) const {
  std::vector<std::string> out;
  auto p = registry_.Find(Registry::IdKind::kParty, product);
  if (!p || registry_.parties_[*p].kind != PartyKind::kProduct) return out;
  if (territory >= kTerritoryCount) return out;
  // In groups, so that each group's reads overlap (gate_batch.cpp).
  constexpr uint32_t kGroup = 16;
  uint32_t group[kGroup], products[kGroup];
  std::fill(products, products + kGroup, *p);
  uint32_t n = static_cast<uint32_t>(registry_.recordings_.size());
  for (uint32_t begin = 0; begin < n; begin += kGroup) {
    uint32_t size = std::min(kGroup, n - begin);
    for (uint32_t i = 0; i < size; ++i) group[i] = begin + i;
    PrefetchGroup(std::span<const uint32_t>(group, size),
                  std::span<const uint32_t>(products, size));
    for (uint32_t r = begin; r < begin + size; ++r) {
      if (Evaluate<false>(r, *p, use, territory, at, nullptr))
        out.push_back(registry_.recordings_[r].id);
    }
  }
  return out;
}

std::string Gate::Explain(const Decision& d) const {
  const DecisionRequest& q = d.request;
  std::string out = std::string(d.allowed() ? "ALLOW" : "DENY") + " " +
                    std::string(ToString(q.use)) + " of recording '" + q.recording + "' by '" +
                    q.product + "' in " +
                    (q.territory < kTerritoryCount ? std::string(TerritoryCode(q.territory))
                                                   : "territory #" + std::to_string(q.territory)) +
                    " at " + FormatTime(q.at) + "\n";
  for (const Finding& f : d.findings) out += "  " + FindingText(registry_, d, f) + "\n";
  return out;
}

}  // namespace tutti
