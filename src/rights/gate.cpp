// The license gate. See gate.h for the rules; this file keeps one evaluation path for
// both the explained decision and the bare verdict, so the two cannot disagree.
#include "tutti/gate.h"

#include <algorithm>

#include "tutti/explain.h"

namespace tutti {

int32_t Gate::FindLicense(uint32_t owner, uint32_t product, Use use, Territory territory,
                          Timestamp at, uint32_t recording) const {
  const Registry& reg = registry_;
  auto in_force = [&](uint32_t l) {
    const License& lic = reg.licenses_[l];
    const Registry::LicenseIx& ix = reg.license_ix_[l];
    return ix.licensor == owner && ix.licensee == product && lic.uses.Contains(use) &&
           lic.territories.Contains(territory) && lic.from <= at && at < lic.until;
  };
  const Registry::RecordingIx& rec = reg.recording_ix_[recording];
  for (const auto* list : {&rec.licenses, &reg.work_ix_[rec.work].licenses,
                           &reg.party_ix_[owner].catalog_licenses}) {
    for (uint32_t l : *list) {
      if (in_force(l)) return static_cast<int32_t>(l);
    }
  }
  return -1;
}

Gate::ConsentState Gate::ConsentOf(uint32_t party, Use use, uint32_t recording,
                                   Timestamp at) const {
  const Registry& reg = registry_;
  const Registry::RecordingIx& rec = reg.recording_ix_[recording];
  ConsentState state;
  // Per scope, the latest statement in force speaks; across scopes a deny wins.
  for (const auto* list : {&rec.consents, &reg.work_ix_[rec.work].consents,
                           &reg.party_ix_[party].all_consents}) {
    int32_t latest = -1;
    for (uint32_t i : *list) {
      const Consent& c = reg.consents_[i];
      if (reg.consent_ix_[i].party != party || c.use != use || c.at > at) continue;
      if (latest < 0 || c.at > reg.consents_[latest].at) latest = static_cast<int32_t>(i);
    }
    if (latest < 0) continue;
    if (reg.consents_[latest].allow) {
      if (state.allow < 0) state.allow = latest;
    } else if (state.deny < 0) {
      state.deny = latest;
    }
  }
  return state;
}

bool Gate::Evaluate(uint32_t recording, uint32_t product, Use use, Territory territory,
                    Timestamp at, std::vector<Finding>* findings) const {
  const Registry& reg = registry_;
  const Registry::RecordingIx& rec = reg.recording_ix_[recording];
  auto note = [&](Finding f) {
    if (findings) findings->push_back(f);
  };
  bool allowed = true;

  // Small fixed list of parties with a say, without allocating in the common case.
  uint32_t say_inline[16];
  std::vector<uint32_t> say_heap;
  size_t say_count = 0;
  auto add_say = [&](uint32_t party) {
    for (size_t i = 0; i < say_count; ++i) {
      if ((say_count <= 16 ? say_inline[i] : say_heap[i]) == party) return;
    }
    if (say_count < 16) {
      say_inline[say_count] = party;
    } else {
      if (say_count == 16) say_heap.assign(say_inline, say_inline + 16);
      say_heap.push_back(party);
    }
    ++say_count;
  };

  // 1. The owners of 100% of each implicated right licensed this use.
  const std::vector<Registry::ShareIx>* rights[] = {&rec.shares, &reg.work_ix_[rec.work].shares};
  for (int r = 0; r < 2; ++r) {
    Right right = r == 0 ? Right::kRecording : Right::kComposition;
    bool any_owner = false;
    for (const Registry::ShareIx& share : *rights[r]) {
      if (!share.territories.Contains(territory)) continue;
      any_owner = true;
      add_say(share.party);
      int32_t lic = FindLicense(share.party, product, use, territory, at, recording);
      if (lic < 0) {
        allowed = false;
        if (!findings) return false;
      }
      note({lic >= 0 ? Finding::Kind::kLicensed : Finding::Kind::kUnlicensed, lic >= 0, right,
            share.party, share.ppm, lic});
    }
    if (!any_owner) {
      allowed = false;
      if (!findings) return false;
      note({Finding::Kind::kNoOwners, false, right});
    }
  }
  for (uint32_t artist : rec.artists) add_say(artist);

  // 2. Nobody with a say denies it; 3. persona uses need each artist's own allow.
  for (size_t i = 0; i < say_count; ++i) {
    uint32_t party = say_count <= 16 ? say_inline[i] : say_heap[i];
    ConsentState state = ConsentOf(party, use, recording, at);
    if (state.deny >= 0) {
      allowed = false;
      if (!findings) return false;
      note({Finding::Kind::kDenied, false, Right::kRecording, party, 0, state.deny});
    } else {
      note({Finding::Kind::kNoDenial, true, Right::kRecording, party, 0, state.allow});
    }
  }
  if (IsPersonaUse(use)) {
    for (uint32_t artist : rec.artists) {
      ConsentState state = ConsentOf(artist, use, recording, at);
      bool ok = state.allow >= 0 && state.deny < 0;
      if (!ok) {
        allowed = false;
        if (!findings) return false;
      }
      note({ok ? Finding::Kind::kPersonaAllowed : Finding::Kind::kPersonaMissing, ok,
            Right::kRecording, artist, 0, ok ? state.allow : state.deny});
    }
  }
  return allowed;
}

bool Gate::Allowed(uint32_t recording, uint32_t product, Use use, Territory territory,
                   Timestamp at) const {
  return Evaluate(recording, product, use, territory, at, nullptr);
}

Decision Gate::Decide(const DecisionRequest& request) const {
  Decision d;
  d.request = request;
  const uint32_t* recording = Registry::Lookup(registry_.recording_ids_, request.recording);
  const uint32_t* product = Registry::Lookup(registry_.party_ids_, request.product);
  if (!recording) d.findings.push_back({Finding::Kind::kUnknownRecording, false});
  if (!product || registry_.parties_[*product].kind != PartyKind::kProduct) {
    d.findings.push_back({Finding::Kind::kUnknownProduct, false});
  }
  if (!d.findings.empty()) return d;  // deny by default
  d.findings.reserve(12);
  bool allowed = Evaluate(*recording, *product, request.use, request.territory, request.at,
                          &d.findings);
  d.verdict = allowed ? Verdict::kAllow : Verdict::kDeny;
  return d;
}

std::vector<std::string> Gate::Cleared(Use use, const std::string& product, Territory territory,
                                       Timestamp at) const {
  std::vector<std::string> out;
  const uint32_t* p = Registry::Lookup(registry_.party_ids_, product);
  if (!p || registry_.parties_[*p].kind != PartyKind::kProduct) return out;
  uint32_t n = static_cast<uint32_t>(registry_.recordings_.size());
  for (uint32_t r = 0; r < n; ++r) {
    if (Evaluate(r, *p, use, territory, at, nullptr)) out.push_back(registry_.recordings_[r].id);
  }
  return out;
}

std::string Gate::Explain(const Decision& d) const {
  const DecisionRequest& q = d.request;
  std::string out = std::string(d.allowed() ? "ALLOW" : "DENY") + " " +
                    std::string(ToString(q.use)) + " of recording '" + q.recording +
                    "' by '" + q.product + "' in " + std::string(TerritoryCode(q.territory)) +
                    " at " + FormatTime(q.at) + "\n";
  for (const Finding& f : d.findings) out += "  " + FindingText(registry_, d, f) + "\n";
  return out;
}

}  // namespace tutti
