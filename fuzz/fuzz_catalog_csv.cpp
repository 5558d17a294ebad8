// Any bytes as a CSV catalog: parse, then add each record to a registry. Must never crash,
// hang or leak; errors are values.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tutti/import.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto records = tutti::ParseCatalogCsv(text, "fuzz.csv");
  if (!records.ok()) return 0;
  tutti::Registry registry;
  for (tutti::Record& r : *records) (void)tutti::AddRecord(registry, std::move(r));
  return 0;
}
