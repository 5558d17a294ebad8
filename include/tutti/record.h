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

using Record = std::variant<Party, Work, Recording, License, Consent>;

// "party", "work", "recording", "license", "consent".
std::string_view RecordType(const Record& record);

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
