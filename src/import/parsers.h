// The catalog parsers behind ParseCatalog (import.h). Internal to tutti_import.
#ifndef TUTTI_IMPORT_PARSERS_H_
#define TUTTI_IMPORT_PARSERS_H_

#include <string_view>

#include "tutti/import.h"

namespace tutti {

// `name` labels errors; it is echoed through Printable.
Result<Catalog> ParseCatalogJsonText(std::string_view text, std::string_view name);
Result<Catalog> ParseCatalogCsvText(std::string_view text, std::string_view name);

}  // namespace tutti

#endif  // TUTTI_IMPORT_PARSERS_H_
