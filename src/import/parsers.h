// The catalog parsers behind ParseCatalog (import.h). Internal to tutti_import.
#ifndef TUTTI_IMPORT_PARSERS_H_
#define TUTTI_IMPORT_PARSERS_H_

#include <string_view>

#include "tutti/import.h"
#include "tutti/text.h"

namespace tutti {

// A file's name as errors show it: printable, and long enough for any path.
inline std::string ShownName(std::string_view name) { return Printable(name, 4096); }

// `name` labels errors; it is echoed through ShownName.
Result<Catalog> ParseCatalogJsonText(std::string_view text, std::string_view name);
Result<Catalog> ParseCatalogCsvText(std::string_view text, std::string_view name);

}  // namespace tutti

#endif  // TUTTI_IMPORT_PARSERS_H_
