// Store verification: the audit chain, then a replay of the log against the tables.
#include <nlohmann/json.hpp>

#include "tutti/store.h"

namespace tutti {
namespace {

// Each kind of record in the order the registry holds them, as JSON.
std::vector<std::vector<nlohmann::json>> Dump(const Registry& reg) {
  std::vector<std::vector<nlohmann::json>> out(5);
  for (const auto& x : reg.parties()) out[0].push_back(RecordJson(x));
  for (const auto& x : reg.works()) out[1].push_back(RecordJson(x));
  for (const auto& x : reg.recordings()) out[2].push_back(RecordJson(x));
  for (const auto& x : reg.licenses()) out[3].push_back(RecordJson(x));
  for (const auto& x : reg.consents()) out[4].push_back(RecordJson(x));
  return out;
}

std::string Name(const nlohmann::json& record, size_t position) {
  std::string type = record.value("type", "record");
  if (record.contains("id")) return type + " '" + record["id"].get<std::string>() + "'";
  return type + " statement " + std::to_string(position + 1);
}

}  // namespace

Result<AuditSummary> VerifyStore(Store& store) {
  TUTTI_ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, store.ReadAuditLog());
  TUTTI_ASSIGN_OR_RETURN(AuditHead head, store.ReadAuditHead());
  TUTTI_RETURN_IF_ERROR(VerifyAuditChain(entries, head));

  Registry replayed;
  std::vector<std::vector<int64_t>> entry_of(5);  // audit entry of each replayed record
  for (const AuditEntry& e : entries) {
    std::string where = "audit entry " + std::to_string(e.seq);
    nlohmann::json payload = nlohmann::json::parse(e.payload, nullptr, /*allow_exceptions=*/false);
    if (payload.is_discarded()) return Status::Corruption(where + ": its payload is not JSON");
    auto record = RecordFromJson(payload);
    if (!record.ok()) return Status::Corruption(where + ": " + record.status().message());
    entry_of[record->index()].push_back(e.seq);
    Status s = AddRecord(replayed, std::move(record).value());
    if (!s.ok()) return Status::Corruption(where + " does not replay: " + s.message());
  }

  TUTTI_ASSIGN_OR_RETURN(Registry stored, store.LoadRegistry());
  auto logged = Dump(replayed);
  auto held = Dump(stored);
  for (size_t kind = 0; kind < 5; ++kind) {
    size_t common = std::min(logged[kind].size(), held[kind].size());
    for (size_t i = 0; i < common; ++i) {
      if (logged[kind][i] != held[kind][i]) {
        return Status::Corruption(
            Name(held[kind][i], i) + " in the store differs from what audit entry " +
            std::to_string(entry_of[kind][i]) + " recorded: the store was edited outside tutti");
      }
    }
    if (held[kind].size() > common) {
      return Status::Corruption(Name(held[kind][common], common) +
                                " is in the store but in no audit entry: the store was "
                                "edited outside tutti");
    }
    if (logged[kind].size() > common) {
      return Status::Corruption(Name(logged[kind][common], common) + " of audit entry " +
                                std::to_string(entry_of[kind][common]) +
                                " is missing from the store: it was deleted outside tutti");
    }
  }
  return AuditSummary{head.seq, head.hash};
}

}  // namespace tutti
