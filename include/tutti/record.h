// A registry record of any kind, and its JSON form.
//
// The JSON form is the one contract for records outside the process: audit log payloads,
// `tutti import` files and `--json` output all use it (see docs/IMPORT.md). Each kind's form
// is defined once, as a list of fields in record.cpp, which the reader, the writer, the
// check of unknown fields and the UTF-8 check all walk; importers of other formats (CSV)
// learn the fields from RecordForms().
#ifndef TUTTI_RECORD_H_
#define TUTTI_RECORD_H_

#include <nlohmann/json.hpp>
#include <span>
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
// Ids inside the key are length-prefixed, so no choice of ids makes two keys collide.
std::string RecordKey(const Record& record);

// Assigns `record` an id if it has none: "<prefix><n>", the first not taken in `registry`
// (P, W, R, L, C, E, S by kind). Under the store's write lock this is unique.
void AssignId(const Registry& registry, Record& record);

// Adds `record` to `registry` with the Add* that fits it. A text field that is not valid
// UTF-8 is refused first, naming the record and the field (see ValidateRecordText).
Status AddRecord(Registry& registry, Record record);

// OK when every text field of `record` (ids, names, titles, paths, list items, share
// parties) is valid UTF-8; otherwise names the record and the field:
// "party 'P1', field 'name': not valid UTF-8 (byte 0xff at offset 3)".
Status ValidateRecordText(const Record& record);

// The registry's own copy of `record` (codes in canonical form), once AddRecord took it.
Record StoredRecord(const Registry& registry, const Record& record);

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

#endif  // TUTTI_RECORD_H_
