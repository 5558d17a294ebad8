// Signed checkpoints of the audit log's head (checkpoint.h).
#include "tutti/checkpoint.h"

#include <algorithm>
#include <array>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

namespace tutti {
namespace {

using nlohmann::json;

constexpr std::string_view kFormat = "tutti-checkpoint-1";
constexpr size_t kMaxCheckpointBytes = 64 * 1024;
constexpr size_t kMaxStoreName = 4096;

bool IsLowerHex(std::string_view text, size_t size) {
  if (text.size() != size) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status Field(std::string_view name, std::string_view problem) {
  return Status::Invalid("checkpoint: field '" + std::string(name) + "' " + std::string(problem));
}

Status String(const json& j, const char* name, std::string& out) {
  auto it = j.find(name);
  if (it == j.end()) return Field(name, "is missing");
  if (!it->is_string()) return Field(name, "must be a string");
  out = it->get<std::string>();
  return Status::Ok();
}

template <size_t N>
Status Hex(const json& j, const char* name, std::array<uint8_t, N>& out) {
  std::string text;
  TUTTI_RETURN_IF_ERROR(String(j, name, text));
  if (!IsLowerHex(text, 2 * N)) {
    return Field(name, "must be " + std::to_string(2 * N) + " lower-case hex digits");
  }
  return FromHex(text, out, std::string("checkpoint field '") + name + "'");
}

// Entry `seq` of `store`, if it has one.
Result<std::optional<AuditEntry>> EntryAt(Store& store, int64_t seq) {
  std::optional<AuditEntry> found;
  bool stopped = false;
  Status s = store.ScanLog(seq - 1, [&](AuditEntry&& e) {
    if (e.seq == seq) found = std::move(e);
    stopped = true;
    return Status::Internal("stop after one entry");  // one entry is all this needs
  });
  if (!s.ok() && !stopped) return s;
  return found;
}

}  // namespace

std::string CheckpointMessage(const Checkpoint& c) {
  std::string data(kFormat);
  data += '\n';
  auto field = [&](std::string_view s) {
    data += std::to_string(s.size());
    data += ':';
    data += s;
  };
  field(c.store);
  field(std::to_string(c.seq));
  field(c.hash);
  field(std::to_string(c.at));
  return data;
}

Result<Checkpoint> MakeCheckpoint(Store& store, const SigningKey& key, Timestamp at) {
  TUTTI_ASSIGN_OR_RETURN(AuditSummary summary, VerifyStore(store));
  Checkpoint c;
  c.store = store.Describe();
  c.seq = summary.entries;
  c.hash = summary.head_hash;
  c.at = at;
  c.key = key.public_key();
  c.signature = key.Sign(CheckpointMessage(c));
  return c;
}

std::string CheckpointJson(const Checkpoint& c) {
  json j = {{"format", kFormat},
            {"store", c.store},
            {"seq", c.seq},
            {"hash", c.hash},
            {"at", FormatTime(c.at)},
            {"key", ToHex(c.key)},
            {"signature", ToHex(c.signature)}};
  // A store path need not be UTF-8; the signature covers the bytes, so a replaced one would
  // not verify: such a path is rare enough to accept that.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.size() > kMaxCheckpointBytes) {
    return Status::Invalid("checkpoint: " + std::to_string(text.size()) +
                           " bytes, more than a checkpoint's 64 KiB at most");
  }
  std::string repeated;
  std::set<std::string> keys;
  auto note_keys = [&](int depth, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::key && depth == 1 && parsed.is_string()) {
      if (!keys.insert(parsed.get<std::string>()).second && repeated.empty()) {
        repeated = parsed.get<std::string>();
      }
    }
    return true;
  };
  json j;
  try {
    j = json::parse(text, note_keys);
  } catch (const json::exception& e) {
    return Status::Invalid(std::string("checkpoint: not valid JSON (") + e.what() + ")");
  }
  if (!j.is_object()) return Status::Invalid("checkpoint: must be a JSON object");
  if (!repeated.empty()) return Field(repeated, "appears twice");
  static constexpr std::string_view kFields[] = {"format", "store", "seq",      "hash",
                                                 "at",     "key",   "signature"};
  for (const auto& [name, value] : j.items()) {
    if (std::find(std::begin(kFields), std::end(kFields), name) == std::end(kFields)) {
      return Status::Invalid("checkpoint: unknown field '" + name +
                             "' (expected format, store, seq, hash, at, key, signature)");
    }
  }
  Checkpoint c;
  std::string format, at;
  TUTTI_RETURN_IF_ERROR(String(j, "format", format));
  if (format != kFormat) return Field("format", "must be \"" + std::string(kFormat) + "\"");
  TUTTI_RETURN_IF_ERROR(String(j, "store", c.store));
  if (c.store.size() > kMaxStoreName) return Field("store", "is too long");
  auto seq = j.find("seq");
  if (seq == j.end()) return Field("seq", "is missing");
  if (seq->is_number_unsigned()) {
    if (seq->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      return Field("seq", "is out of range");
    }
    c.seq = static_cast<int64_t>(seq->get<uint64_t>());
  } else if (seq->is_number_integer()) {
    return Field("seq", "must not be negative");
  } else {
    return Field("seq", "must be a whole number");
  }
  TUTTI_RETURN_IF_ERROR(String(j, "hash", c.hash));
  if (!IsLowerHex(c.hash, kGenesisHash.size())) {
    return Field("hash",
                 "must be " + std::to_string(kGenesisHash.size()) + " lower-case hex digits");
  }
  TUTTI_RETURN_IF_ERROR(String(j, "at", at));
  auto time = ParseTime(at);
  if (!time.ok() || *time == kForever)
    return Field("at", "must be a time such as 2026-06-01T12:00:00Z");
  c.at = *time;
  TUTTI_RETURN_IF_ERROR(Hex(j, "key", c.key));
  TUTTI_RETURN_IF_ERROR(Hex(j, "signature", c.signature));
  return c;
}

Status VerifyAgainstCheckpoint(Store& store, const Checkpoint& c, const PublicKey& trusted) {
  std::string which =
      "the checkpoint of entry " + std::to_string(c.seq) + " made " + FormatTime(c.at);
  if (c.key != trusted) {
    return Status::Corruption(which + " was signed by key " + ToHex(c.key) +
                              ", not by the trusted key " + ToHex(trusted) +
                              ": it was made by another party, or the wrong key was given");
  }
  if (!VerifySignature(trusted, CheckpointMessage(c), c.signature)) {
    return Status::Corruption(which +
                              " does not carry a valid signature by the trusted key: "
                              "it was altered after it was signed, or forged");
  }
  auto summary = VerifyStore(store);
  if (!summary.ok()) return summary.status();
  if (summary->entries < c.seq) {
    return Status::Corruption("store '" + store.Describe() + "' ends at audit entry " +
                              std::to_string(summary->entries) + ", before " + which +
                              ": entries it had were removed, or this is another store");
  }
  std::string hash(kGenesisHash);
  if (c.seq > 0) {
    TUTTI_ASSIGN_OR_RETURN(std::optional<AuditEntry> entry, EntryAt(store, c.seq));
    if (!entry) {
      return Status::Corruption("store '" + store.Describe() + "' has no audit entry " +
                                std::to_string(c.seq) + ", which " + which + " pins");
    }
    hash = entry->hash;
  }
  if (hash != c.hash) {
    return Status::Corruption("audit entry " + std::to_string(c.seq) + " of store '" +
                              store.Describe() + "' is not the one " + which +
                              " pins: the history up to it was rewritten since");
  }
  return Status::Ok();
}

}  // namespace tutti
