// VerifyStore: the hash chain, the replay of every entry, the head, and the schema.
#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "replay.h"
#include "tutti/store.h"

namespace tutti {
namespace {

// Follows the chain one entry at a time, as VerifyAuditChain does over a whole log, so that
// a million entries are never held at once.
class ChainCheck {
 public:
  Status Next(const AuditEntry& e) {
    int64_t expected = last_ + 1;
    if (e.seq != expected) {
      return Status::Corruption("audit log broken at entry " + std::to_string(expected) + ": " +
                                (e.seq > expected
                                     ? "entries " + std::to_string(expected) + " to " +
                                           std::to_string(e.seq - 1) + " were removed"
                                     : "entry " + std::to_string(e.seq) + " is out of order"));
    }
    std::string where = "audit entry " + std::to_string(e.seq);
    if (e.prev_hash != hash_) {
      return Status::Corruption(where + " does not follow entry " + std::to_string(last_) +
                                ": an entry before it was altered, removed or reordered");
    }
    if (AuditEntryHash(e) != e.hash) {
      return Status::Corruption(where + " (" + e.action + " at " + FormatTime(e.at) +
                                ") was altered: its hash does not match its content");
    }
    last_ = e.seq;
    hash_ = e.hash;
    return Status::Ok();
  }

  Status End(const AuditHead& head) const {
    if (head.seq == last_ && head.hash == hash_) return Status::Ok();
    if (head.seq > last_) {
      return Status::Corruption("audit log broken: the head names entry " +
                                std::to_string(head.seq) + " but the log ends at entry " +
                                std::to_string(last_) + "; entries " + std::to_string(last_ + 1) +
                                " to " + std::to_string(head.seq) + " were removed");
    }
    return Status::Corruption("audit log broken: the head (entry " + std::to_string(head.seq) +
                              ") does not match the last entry (" + std::to_string(last_) +
                              "): the log or its head was altered");
  }

  int64_t last() const { return last_; }

 private:
  int64_t last_ = 0;
  std::string hash_{kGenesisHash};
};

// The registry keeps the ids of parties, works, recordings and licenses unique itself; the
// other kinds' ids are unique by the store's constraint only, which an edit outside tutti
// can get around (the constraint reads columns the hash does not cover).
template <typename T>
Status CheckIdsUnique(std::span<const T> records, std::string_view kind) {
  std::unordered_map<std::string_view, size_t> seen;
  for (size_t i = 0; i < records.size(); ++i) {
    auto [it, fresh] = seen.emplace(records[i].id, i);
    if (!fresh) {
      return Status::Corruption(std::string(kind) + " records " + std::to_string(it->second + 1) +
                                " and " + std::to_string(i + 1) + " share the id '" +
                                records[i].id + "': the store was edited outside tutti");
    }
  }
  return Status::Ok();
}

// One pass. `moved` is set when a writer committed during the pass, so that the head read
// before it cannot be compared with the log read after it.
Result<AuditSummary> VerifyOnce(Store& store, const ProgressFn& progress, bool& moved) {
  moved = false;
  TUTTI_ASSIGN_OR_RETURN(AuditHead head, store.ReadHead());
  ChainCheck chain;
  Registry replayed;
  TUTTI_RETURN_IF_ERROR(store.ScanLog(0, [&](AuditEntry&& e) -> Status {
    if (progress && e.seq % 1024 == 0) {
      progress(static_cast<size_t>(e.seq), static_cast<size_t>(std::max(head.seq, e.seq)));
    }
    TUTTI_RETURN_IF_ERROR(chain.Next(e));
    return ReplayEntry(replayed, e);  // the change feed's own code path
  }));
  Status end = chain.End(head);
  if (!end.ok()) {
    TUTTI_ASSIGN_OR_RETURN(AuditHead now, store.ReadHead());
    moved = now.seq != head.seq || now.hash != head.hash;
    return end;
  }
  TUTTI_RETURN_IF_ERROR(CheckIdsUnique(replayed.consents(), "consent"));
  TUTTI_RETURN_IF_ERROR(CheckIdsUnique(replayed.license_ends(), "license_end"));
  TUTTI_RETURN_IF_ERROR(CheckIdsUnique(replayed.share_changes(), "share_change"));
  TUTTI_ASSIGN_OR_RETURN(std::vector<std::string> foreign, store.ForeignSchemaObjects());
  if (!foreign.empty()) {
    std::string list;
    for (const std::string& f : foreign) list += (list.empty() ? "" : "; ") + f;
    return Status::Corruption("store '" + store.Describe() +
                              "' holds schema objects tutti did not create: " + list +
                              " (an object planted in the store could rewrite what is logged)");
  }
  return AuditSummary{head.seq, head.hash};
}

}  // namespace

Result<AuditSummary> VerifyStore(Store& store, const ProgressFn& progress) {
  // A writer committing while the log is read moves the head past what was read: read again
  // (the log only grows, so a few passes suffice unless the store is written nonstop).
  constexpr int kPasses = 5;
  for (int pass = 1;; ++pass) {
    bool moved = false;
    auto summary = VerifyOnce(store, progress, moved);
    if (!moved || pass == kPasses) return summary;
  }
}

}  // namespace tutti
