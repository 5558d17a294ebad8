// libFuzzer target: any bytes through the fingerprint index reader (an index file is
// outside input: it may be damaged or forged). A file that reads must write back to the
// same bytes and answer a query.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tutti/fingerprint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto index = tutti::fp::Index::Deserialize(bytes);
  if (!index.ok()) return 0;
  auto again = index->Serialize();
  if (!again.ok() || *again != bytes) __builtin_trap();
  const auto& e = index->extract_options();
  tutti::fp::Fingerprint query;
  query.seconds_per_unit =
      static_cast<double>(e.hop) / e.sample_rate_hz / tutti::fp::kTimeUnitsPerFrame;
  query.hz_per_unit =
      static_cast<double>(e.sample_rate_hz) / e.fft_size / tutti::fp::kFreqUnitsPerBin;
  for (uint32_t i = 0; i < 64; ++i) query.peaks.push_back({i * 37, 800 + (i * 7919) % 2000});
  (void)index->Query(query);
  return 0;
}
