// The JSON form of records.
//
// The JSON form is the one contract for records outside the process: audit log payloads,
// `tutti import` files and `--json` output all use it (see docs/IMPORT.md). Each kind's form
// is defined once, as a list of fields in record.cpp, which the reader, the writer, the
// check of unknown fields and the UTF-8 check all walk; importers of other formats (CSV)
// learn the fields from RecordForms().
#ifndef TUTTI_RECORD_JSON_H_
#define TUTTI_RECORD_JSON_H_

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "tutti/record.h"

namespace tutti {

// {"type": "recording", "id": ..., ...}: every field, times in ISO 8601, percentages as
// decimal strings ("33.3333").
nlohmann::json RecordJson(const Record& record);

// Reads what RecordJson writes. Errors name the record and the field and what is wrong with
// it: a field the kind does not have ("license 'L1': unknown field 'Until'"), a missing or
// mistyped one, a value that does not parse, text that is not UTF-8. Ids are not checked
// against a registry here: AddRecord does that.
Result<Record> RecordFromJson(const nlohmann::json& json);
// The same; on an error that one top-level field causes, `*failed_field` is its name (else
// it is cleared), so an importer can point at its own column.
Result<Record> RecordFromJson(const nlohmann::json& json, std::string* failed_field);

// The JSON form of the kinds, for importers that map another format onto it.
enum class FieldShape {
  kText,    // a string (ids, names, times, codes, comma lists such as "train,style")
  kList,    // a list of strings (a bare string is a list of one)
  kShares,  // a list of {"party", "percent", "territories"}
  kBool,    // true or false
};
struct RecordField {
  std::string_view name;
  FieldShape shape;
  bool required;  // absent (or null) is an error
};
struct RecordForm {
  std::string_view type;                // "license_end"
  std::string_view section;             // its array in a catalog object: "license_ends"
  std::span<const RecordField> fields;  // "type" excluded
};
// Every kind, in the order of the Record variant.
std::span<const RecordForm> RecordForms();

}  // namespace tutti

#endif  // TUTTI_RECORD_JSON_H_
