// libFuzzer target: any bytes as an audio file through the decoding adapter (libsndfile,
// libmpg123, libsoxr). It must return audio or a Status, never crash. DecodeFile takes a
// path, so each input is written to a per-process temporary file first (with an .mp3 name
// on odd sizes, to reach the libmpg123 fallback too).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "tutti/audio.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path =
      "/tmp/tutti_fuzz_audio_" + std::to_string(::getpid()) + (size % 2 == 1 ? ".mp3" : ".wav");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  tutti::audio::DecodeOptions options;
  // The default bounds refuse forged rates and lengths; 30 s bounds the time per input.
  options.max_seconds = 30;
  auto audio = tutti::audio::DecodeFile(path, options);
  if (!audio.ok() && audio.status().message().find(path) == std::string::npos) __builtin_trap();
  ::unlink(path.c_str());
  return 0;
}
