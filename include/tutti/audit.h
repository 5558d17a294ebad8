// The audit log: every change to the registry, append-only, chained by BLAKE2b-256.
//
// Entry n's hash covers its own fields and entry n-1's hash, so editing, removing or
// reordering any entry breaks the chain from that entry on. The head (the last sequence
// number and hash) is kept apart from the entries, so a truncated tail shows too, and it is
// what a rights holder can write down or publish to pin the log's state.
#ifndef TUTTI_AUDIT_H_
#define TUTTI_AUDIT_H_

#include <cstdint>
#include <span>
#include <string>

#include "tutti/status.h"
#include "tutti/time.h"

namespace tutti {

struct AuditEntry {
  int64_t seq = 0;  // 1, 2, 3, ...
  Timestamp at = 0;
  std::string actor;    // who made the change
  std::string action;   // "party.add", "license.add", "consent.set", ...
  std::string payload;  // the change: the record's JSON
  std::string prev_hash;
  std::string hash;
};

struct AuditHead {
  int64_t seq = 0;
  std::string hash;  // of entry `seq`; kGenesisHash when the log is empty
};

// The prev_hash of entry 1.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The hash entry `e` must carry, given its prev_hash.
std::string AuditEntryHash(const AuditEntry& e);

// Checks the chain and that it ends at `head`. Errors name the first entry that was
// altered, removed or reordered.
Status VerifyAuditChain(std::span<const AuditEntry> entries, const AuditHead& head);

}  // namespace tutti

#endif  // TUTTI_AUDIT_H_
