// Reading a whole catalog from a file: JSON or CSV (the formats are in docs/IMPORT.md).
//
// Parsing only: the records come back in file order (JSON sections: in the order of
// RecordForms()), unvalidated against any registry; `tutti import` adds them to a snapshot
// (all must pass) and stores them in one transaction. Errors name the file, the record (JSON:
// its index and id; CSV: its row) and the field or column, and echo outside text through
// Printable. Text must be UTF-8; JSON nesting and file size are bounded (below).
#ifndef TUTTI_IMPORT_H_
#define TUTTI_IMPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "tutti/record_json.h"

namespace tutti {

// Largest catalog file read (bytes): a bigger regular file is refused before it is read, a
// bigger pipe once this much has arrived.
inline constexpr size_t kMaxCatalogBytes = size_t{2} << 30;
// Deepest nesting of arrays and objects in a JSON catalog. The deepest a valid catalog needs
// is 5 (an object of sections, a section, a record, its shares, a share); deeper input is
// refused at the bracket that goes too deep, before any of it is built in memory.
inline constexpr int kMaxJsonDepth = 64;

enum class CatalogFormat { kJson, kCsv };

// Records and where each came from, for errors found when they are added to a registry.
struct Catalog {
  std::vector<Record> records;
  // origins[i] names records[i] in its file: "catalog.csv, row 13", "catalog.json, record 3
  // ('R1')", "catalog.json, licenses[0] ('L1')".
  std::vector<std::string> origins;
};

// `name` labels errors ("catalog.json").
Result<Catalog> ParseCatalog(std::string_view text, std::string_view name, CatalogFormat format);

// Reads `path` (a file, or a pipe such as /dev/stdin) and parses it by its extension (.json
// or .csv), or by its first character ('[' or '{' is JSON) when the extension says neither.
Result<Catalog> ReadCatalog(const std::string& path);

// The same, records only.
Result<std::vector<Record>> ParseCatalogJson(std::string_view text, std::string_view name);
Result<std::vector<Record>> ParseCatalogCsv(std::string_view text, std::string_view name);
Result<std::vector<Record>> ReadCatalogFile(const std::string& path);

}  // namespace tutti

#endif  // TUTTI_IMPORT_H_
