// A registry record of any kind: what every layer passes around. Its JSON form is in
// record_json.h, so that the rights core's headers stay free of any format.
#ifndef TUTTI_RECORD_H_
#define TUTTI_RECORD_H_

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
// for a consent statement its party, scope, target, use and time; for a license end its
// license (a license ends once); for a share change its right, target and date; for the
// others their id.
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

}  // namespace tutti

#endif  // TUTTI_RECORD_H_
