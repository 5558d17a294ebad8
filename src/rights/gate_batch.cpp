// Deciding many requests at once: group prefetching.
//
// On a registry of a million recordings a decision is bound by memory latency, not by
// instructions: in cache it takes ~0.2 us, cold ~1 us, because it follows pointers whose
// targets are scattered over a gigabyte (the id table, the recording's entry, its owners
// and artists, their grants and statements, the licenses). Each depends on the one
// before, so for one request the misses queue one after another.
//
// Across requests they do not depend on each other. So a group of requests walks the same
// chain level by level, each level asking for the lines of every request in the group
// before the next level reads them:
//
//   level 1  id slots                                       ─┐
//   level 2  the records the slots name, recording entries   │ one miss latency per
//            (with their owners and artists inline)          │ level, paid once for
//   level 3  listed licenses, statements, party entries      │ the whole group instead
//   level 4  the listed licenses, catalog grants, statements │ of once per request
//            on all works                                    │
//   level 5  the candidate catalog licenses                 ─┘
//   then     Evaluate each request, reading lines that are now in cache
//
// Decide does the same for a single request: its levels are still paid one after another,
// but each level's lines arrive together instead of one miss at a time.
//
// Prefetches are hints; the decisions are exactly those of Decide (gate_test checks it).
#include <algorithm>

#include "tutti/gate.h"

namespace tutti {
namespace {

constexpr size_t kGroup = 16;  // requests in flight: enough to fill the memory pipeline

// A prefetch is no side effect to GCC: it deems a function that only prefetches "pure" and
// deletes calls to it whose result is unused, which silently disabled PrefetchGroup in
// DecideMany. The empty volatile asm is a side effect it keeps.
inline void Prefetch(const void* line) {
  __builtin_prefetch(line);
  asm volatile("" : : "r"(line));
}

// Loads a short list whole (the gate scans its lists to the end); a long one's first lines.
template <typename T>
void Touch(const T* items, size_t count) {
  constexpr size_t kMaxLines = 4;
  const char* begin = reinterpret_cast<const char*>(items);
  const char* end = begin + std::min(count * sizeof(T), kMaxLines * 64);
  if (begin == end) return;
  for (const char* line = begin; line < end; line += 64) Prefetch(line);
  Prefetch(end - 1);  // the last line, when the list straddles a line boundary
}
template <typename List>
void Touch(const List& list) {
  Touch(list.data(), list.size());
}

}  // namespace

void Gate::PrefetchGroup(std::span<const uint32_t> recordings,
                         std::span<const uint32_t> products) const {
  const Registry& reg = registry_;
  for (uint32_t r : recordings) {
    Prefetch(&reg.recording_ix_[r]);
    Prefetch(&reg.recording_lists_[r]);
  }
  for (uint32_t r : recordings) {
    std::span<const Registry::ShareIx> run = reg.PartiesOf(reg.recording_ix_[r]);
    if (run.size() > Registry::RecordingIx::kInline) Touch(run);
    const Registry::RecordingLists& lists = reg.recording_lists_[r];
    Touch(lists.licenses);
    Touch(lists.consents);
  }
  for (uint32_t r : recordings) {
    for (const auto& s : reg.PartiesOf(reg.recording_ix_[r])) Prefetch(&reg.party_ix_[s.party]);
    for (uint32_t l : reg.recording_lists_[r].licenses) Prefetch(&reg.license_ix_[l]);
  }
  for (uint32_t r : recordings) {
    for (const auto& s : reg.PartiesOf(reg.recording_ix_[r])) {
      const Registry::PartyIx& party = reg.party_ix_[s.party];
      if (s.ppm > 0) Touch(party.catalog_licenses);  // an owner's grants; artists have none
      Touch(party.all_consents);
    }
  }
  for (size_t i = 0; i < recordings.size(); ++i) {
    for (const auto& s : reg.PartiesOf(reg.recording_ix_[recordings[i]])) {
      if (s.ppm == 0) continue;
      for (const auto& ref : reg.party_ix_[s.party].catalog_licenses) {
        if (ref.licensee == products[i]) Prefetch(&reg.license_ix_[ref.license]);
      }
    }
  }
}

void Gate::PrefetchCandidates(const DecisionRequest& request) const {
  const Registry& reg = registry_;
  uint32_t r = reg.recording_ids_.Candidate(request.recording);
  if (r != IdIndex::kNone) {
    Prefetch(&reg.recordings_[r]);
    Prefetch(&reg.recording_ix_[r]);
    Prefetch(&reg.recording_lists_[r]);
  }
  uint32_t p = reg.party_ids_.Candidate(request.product);
  if (p != IdIndex::kNone) Prefetch(&reg.parties_[p]);
}

std::vector<Decision> Gate::DecideMany(std::span<const DecisionRequest> requests) const {
  const Registry& reg = registry_;
  std::vector<Decision> out;
  out.reserve(requests.size());
  for (size_t begin = 0; begin < requests.size(); begin += kGroup) {
    std::span<const DecisionRequest> group =
        requests.subspan(begin, std::min(kGroup, requests.size() - begin));
    // The ids resolve in three steps too: their slots, then the records the slots point
    // at (to confirm the id, and the recording's index entry), then the comparison.
    for (const DecisionRequest& q : group) {
      reg.recording_ids_.Prefetch(q.recording);
      reg.party_ids_.Prefetch(q.product);
    }
    for (const DecisionRequest& q : group) PrefetchCandidates(q);
    uint32_t recordings[kGroup], products[kGroup];  // per request, kUnknown if unknown
    uint32_t known_recordings[kGroup], known_products[kGroup];
    size_t known = 0;
    for (size_t i = 0; i < group.size(); ++i) {
      recordings[i] = reg.Find(Registry::IdKind::kRecording, group[i].recording).value_or(kUnknown);
      products[i] = reg.Find(Registry::IdKind::kParty, group[i].product).value_or(kUnknown);
      if (recordings[i] == kUnknown || products[i] == kUnknown) continue;
      known_recordings[known] = recordings[i];
      known_products[known++] = products[i];
    }
    PrefetchGroup(std::span<const uint32_t>(known_recordings, known),
                  std::span<const uint32_t>(known_products, known));
    for (size_t i = 0; i < group.size(); ++i) {
      out.push_back(DecideResolved(group[i], recordings[i], products[i]));
    }
  }
  return out;
}

}  // namespace tutti
