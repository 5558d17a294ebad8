#include "tutti/audit.h"

#include "tutti/hash.h"

namespace tutti {

std::string AuditEntryHash(const AuditEntry& e) {
  // Length-prefixed fields, so no two different entries serialise alike.
  std::string data;
  auto field = [&](std::string_view s) {
    data += std::to_string(s.size());
    data += ':';
    data += s;
  };
  field(e.prev_hash);
  field(std::to_string(e.seq));
  field(std::to_string(e.at));
  field(e.actor);
  field(e.action);
  field(e.payload);
  return Blake2bHex(data);
}

Status VerifyAuditChain(std::span<const AuditEntry> entries, const AuditHead& head) {
  std::string prev(kGenesisHash);
  int64_t expected_seq = 1;
  for (const AuditEntry& e : entries) {
    std::string where = "audit entry " + std::to_string(e.seq);
    if (e.seq != expected_seq) {
      return Status::Corruption("audit log broken at entry " + std::to_string(expected_seq) + ": " +
                                (e.seq > expected_seq
                                     ? "entries " + std::to_string(expected_seq) + " to " +
                                           std::to_string(e.seq - 1) + " were removed"
                                     : "entry " + std::to_string(e.seq) + " is out of order"));
    }
    if (e.prev_hash != prev) {
      return Status::Corruption(where + " does not follow entry " + std::to_string(e.seq - 1) +
                                ": an entry before it was altered, removed or reordered");
    }
    if (AuditEntryHash(e) != e.hash) {
      return Status::Corruption(where + " (" + e.action + " at " + FormatTime(e.at) +
                                ") was altered: its hash does not match its content");
    }
    prev = e.hash;
    ++expected_seq;
  }
  int64_t last = expected_seq - 1;
  if (head.seq != last || head.hash != prev) {
    if (head.seq > last) {
      return Status::Corruption("audit log broken: the head names entry " +
                                std::to_string(head.seq) + " but the log ends at entry " +
                                std::to_string(last) + "; entries " + std::to_string(last + 1) +
                                " to " + std::to_string(head.seq) + " were removed");
    }
    return Status::Corruption("audit log broken: the head (entry " + std::to_string(head.seq) +
                              ") does not match the last entry (" + std::to_string(last) +
                              "): the log or its head was altered");
  }
  return Status::Ok();
}

}  // namespace tutti
