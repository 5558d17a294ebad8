// A registry record of any kind, and its JSON form.
//
// The JSON form is the one contract for records outside the process: audit log payloads,
// `tutti import` files and `--json` output all use it (see docs/IMPORT.md).
#ifndef TUTTI_RECORD_H_
#define TUTTI_RECORD_H_

#include <nlohmann/json.hpp>
#include <string_view>
#include <variant>

#include "tutti/rights.h"

namespace tutti {

// Every kind of record the registry holds. Adding a kind is one edit per layer: its struct
// and Registry method (rights.h), its JSON form (record.cpp); stores keep every kind alike.
using Record = std::variant<Party, Work, Recording, License, Consent, LicenseEnd, ShareChange>;

// "party", "work", "recording", "license", "consent", "license_end", "share_change".
std::string_view RecordType(const Record& record);
// The audit action of adding it: "party.add", "consent.set", "license.end", "shares.change".
std::string_view RecordAction(const Record& record);
// Its stable id ("R1", "C12").
const std::string& RecordId(const Record& record);
// What no two records of a kind may share besides their id, for a store's unique constraint:
// for a consent statement its party, scope, target, use and time; for the others their id.
std::string RecordKey(const Record& record);

// Assigns `record` an id if it has none: "<prefix><n>", the first not taken in `registry`
// (P, W, R, L, C, E, S by kind). Under the store's write lock this is unique.
void AssignId(const Registry& registry, Record& record);

// Adds `record` to `registry` with the Add* that fits it.
Status AddRecord(Registry& registry, Record record);

// The registry's own copy of `record` (codes in canonical form), once AddRecord took it.
Record StoredRecord(const Registry& registry, const Record& record);

// {"type": "recording", "id": ..., ...}: every field, times in ISO 8601, percentages as
// decimal strings ("33.3333").
nlohmann::json RecordJson(const Record& record);

// Reads what RecordJson writes. Errors name the field and what is wrong with it. Ids are
// not checked against a registry here: AddRecord does that.
Result<Record> RecordFromJson(const nlohmann::json& json);

}  // namespace tutti

#endif  // TUTTI_RECORD_H_
