// What every record and every error that comes out of a parser must satisfy, for the fuzz
// targets. A failed check traps: libFuzzer keeps the input.
#ifndef TUTTI_FUZZ_RECORD_CHECKS_H_
#define TUTTI_FUZZ_RECORD_CHECKS_H_

#include <cstdio>
#include <string>

#include "tutti/import.h"
#include "tutti/record_json.h"
#include "tutti/text.h"

namespace tutti::fuzz {

inline void Require(bool ok, const char* what, const std::string& detail) {
  if (ok) return;
  std::fprintf(stderr, "check failed: %s: %s\n", what, Printable(detail, 2000).c_str());
  __builtin_trap();
}

// A message a terminal may show as it is: UTF-8, no ESC, bounded.
inline void CheckMessage(const Status& status) {
  const std::string& m = status.message();
  Require(ValidateUtf8("message", m).ok(), "error message is UTF-8", m);
  Require(m.find('\x1b') == std::string::npos, "error message has no ESC", m);
  Require(!status.ok(), "an error has a code", m);
}

// A record a parser accepted: its text is UTF-8, its JSON dumps (nlohmann throws on invalid
// UTF-8) and reads back to the same JSON.
inline void CheckRecord(const Record& record) {
  Require(ValidateRecordText(record).ok(), "accepted record is UTF-8", "");
  nlohmann::json j = RecordJson(record);
  std::string text = j.dump();  // throws, and so fails the run, on invalid UTF-8
  auto back = RecordFromJson(nlohmann::json::parse(text));
  Require(back.ok(), "a record's JSON reads back", text + " -> " + back.status().message());
  Require(RecordJson(*back) == j, "a record's JSON reads back the same", text);
}

// Adds what parsed to a registry, as `tutti import` does; errors are values.
inline void CheckCatalog(const Result<Catalog>& catalog) {
  if (!catalog.ok()) {
    CheckMessage(catalog.status());
    return;
  }
  Require(catalog->records.size() == catalog->origins.size(), "one origin per record", "");
  Registry registry;
  for (size_t i = 0; i < catalog->records.size(); ++i) {
    CheckRecord(catalog->records[i]);
    Require(ValidateUtf8("origin", catalog->origins[i]).ok(), "origin is UTF-8",
            catalog->origins[i]);
    Record record = catalog->records[i];
    AssignId(registry, record);
    Status added = AddRecord(registry, record);
    if (!added.ok()) Require(ValidateUtf8("m", added.message()).ok(), "UTF-8", added.message());
  }
}

}  // namespace tutti::fuzz

#endif  // TUTTI_FUZZ_RECORD_CHECKS_H_
