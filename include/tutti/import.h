// Reading a whole catalog from a file: JSON or CSV (the formats are in docs/IMPORT.md).
//
// Parsing only: the records come back in file order, unvalidated against any registry;
// `tutti import` adds them to a snapshot (all must pass) and stores them in one
// transaction. Errors name the file and the record or row.
#ifndef TUTTI_IMPORT_H_
#define TUTTI_IMPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "tutti/record.h"

namespace tutti {

// Largest catalog file read (bytes): a bigger one is refused before it is read.
inline constexpr size_t kMaxCatalogBytes = size_t{2} << 30;

// `name` labels errors ("catalog.json").
Result<std::vector<Record>> ParseCatalogJson(std::string_view text, std::string_view name);
Result<std::vector<Record>> ParseCatalogCsv(std::string_view text, std::string_view name);

// Reads `path` and parses it by its extension (.json or .csv), or by its first character
// ('[' or '{' is JSON) when the extension says neither.
Result<std::vector<Record>> ReadCatalogFile(const std::string& path);

}  // namespace tutti

#endif  // TUTTI_IMPORT_H_
