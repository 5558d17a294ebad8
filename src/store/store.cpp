// What the port computes once over any adapter: the hash chain of appended changes, and
// the replay of stored changes into a registry (the change feed).
#include "tutti/store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "replay.h"
#include "tutti/record_json.h"

namespace tutti {

// Replays one entry into `registry`. Version 1 stores logged consent statements without an
// id: such a statement gets "C<seq>", its entry's sequence number, which is also the id the
// store's schema migration gave it. (New statements are given ids before they are logged.)
Status ReplayEntry(Registry& registry, const AuditEntry& e) {
  std::string where = "audit entry " + std::to_string(e.seq);
  if (e.seq != registry.version() + 1) {
    return Status::Corruption(where + " follows entry " + std::to_string(registry.version()) +
                              ": entries between them are missing");
  }
  nlohmann::json payload = nlohmann::json::parse(e.payload, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded()) {
    return Status::Corruption(where + " (" + e.action + "): its payload is not JSON");
  }
  auto record = RecordFromJson(payload);
  if (!record.ok()) {
    return Status::Corruption(where + " (" + e.action + "): " + record.status().message());
  }
  if (auto* consent = std::get_if<Consent>(&*record); consent && consent->id.empty()) {
    consent->id = "C" + std::to_string(e.seq);
  }
  Status s = AddRecord(registry, std::move(record).value());
  if (!s.ok()) {
    return Status::Corruption(where + " (" + e.action + ") does not replay: " + s.message());
  }
  registry.set_version(e.seq);
  return Status::Ok();
}

namespace {

constexpr size_t kProgressEvery = 1024;

// The record's JSON, as logged. Text that is not UTF-8 cannot be JSON: refused, not mended,
// since the log must say exactly what the registry holds.
Result<std::string> Payload(const Record& record) {
  try {
    return RecordJson(record).dump();
  } catch (const nlohmann::json::exception&) {
    return Status::Invalid(std::string(RecordType(record)) + " '" + RecordId(record) +
                           "' holds text that is not valid UTF-8");
  }
}

}  // namespace

Status AppendChanges(WriteTransaction& txn, std::span<const Record> records, std::string_view actor,
                     Timestamp at, const ProgressFn& progress) {
  TUTTI_ASSIGN_OR_RETURN(AuditHead head, txn.Head());
  StoredChange change;
  AuditEntry& e = change.entry;
  e.seq = head.seq;
  e.hash = head.hash;
  e.at = at;
  e.actor = std::string(actor);
  for (size_t i = 0; i < records.size(); ++i) {
    if (progress && i % kProgressEvery == 0) progress(i, records.size());
    const Record& record = records[i];
    change.kind = std::string(RecordType(record));
    change.record_id = RecordId(record);
    if (change.record_id.empty()) {
      return Status::Invalid(change.kind + " #" + std::to_string(i + 1) +
                             " has no id: give it one (AssignId) before it is stored");
    }
    change.record_key = RecordKey(record);
    e.seq += 1;
    e.prev_hash = std::move(e.hash);
    e.action = std::string(RecordAction(record));
    TUTTI_ASSIGN_OR_RETURN(e.payload, Payload(record));
    e.hash = AuditEntryHash(e);
    Status put = txn.Put(change);
    if (put.code() == StatusCode::kInvalidArgument) {
      // Adapters say which constraint refused it; the port names the record, alike for all.
      return put.WithContext(change.kind + " '" + change.record_id + "'");
    }
    TUTTI_RETURN_IF_ERROR(put);
  }
  TUTTI_RETURN_IF_ERROR(txn.Commit(AuditHead{e.seq, e.hash}));
  if (progress) progress(records.size(), records.size());
  return Status::Ok();
}

Status ApplyChanges(Store& store, Registry& registry, const ProgressFn& progress) {
  int64_t total = 0;
  if (progress) {
    TUTTI_ASSIGN_OR_RETURN(AuditHead head, store.ReadHead());
    total = std::max<int64_t>(head.seq - registry.version(), 0);
  }
  int64_t start = registry.version();
  return store.ScanLog(registry.version(), [&](AuditEntry&& e) {
    int64_t done = e.seq - start - 1;
    if (progress && done % static_cast<int64_t>(kProgressEvery) == 0) {
      progress(static_cast<size_t>(done), static_cast<size_t>(std::max(total, done)));
    }
    return ReplayEntry(registry, e);
  });
}

Status ApplyChanges(WriteTransaction& txn, Registry& registry) {
  return txn.ScanLog(registry.version(), [&](AuditEntry&& e) { return ReplayEntry(registry, e); });
}

Result<Registry> LoadRegistry(Store& store, const ProgressFn& progress) {
  Registry registry;
  TUTTI_RETURN_IF_ERROR(ApplyChanges(store, registry, progress));
  return registry;
}

}  // namespace tutti
