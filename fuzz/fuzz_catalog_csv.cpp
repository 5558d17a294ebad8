// Any bytes as a CSV catalog: parse, check every record and error (record_checks.h), then
// add each record to a registry. Must never crash, hang or leak; errors are values.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "record_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  tutti::fuzz::CheckCatalog(tutti::ParseCatalog(text, "fuzz.csv", tutti::CatalogFormat::kCsv));
  return 0;
}
