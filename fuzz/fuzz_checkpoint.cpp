// Any bytes as a checkpoint file (tutti audit verify --checkpoint FILE): refused cleanly, or
// parsed into a checkpoint that writes back and parses to the same fields.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tutti/checkpoint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = tutti::ParseCheckpoint(text);
  if (!parsed.ok()) return 0;
  auto again = tutti::ParseCheckpoint(tutti::CheckpointJson(*parsed));
  // The parser took only valid UTF-8, so what it took writes back unchanged.
  if (!again.ok() || again->store != parsed->store || again->seq != parsed->seq ||
      again->hash != parsed->hash || again->at != parsed->at || again->key != parsed->key ||
      again->signature != parsed->signature) {
    __builtin_trap();
  }
  return 0;
}
