// Audio input: decode a file, mix it to mono and resample it for analysis.
//
// This is the adapter between audio files and tutti's pure signal-processing core. It
// decodes WAV, FLAC, OGG/Vorbis, Opus and MP3 with libsndfile (falling back to libmpg123
// for MP3 streams libsndfile rejects), averages the channels to mono and resamples with
// libsoxr. Every failure (missing, empty, truncated, corrupt or unsupported file) comes back
// as a Status whose message names the file and the reason; nothing throws and nothing
// aborts.
//
// Units: sample rates in hertz, durations in seconds, samples as floats in [-1, 1].
// Thread-safety: the free functions are reentrant; distinct calls may run concurrently.
#ifndef TUTTI_AUDIO_H_
#define TUTTI_AUDIO_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "tutti/status.h"

namespace tutti::audio {

// Mono audio owned by value.
struct Audio {
  std::vector<float> samples;  // mono, in [-1, 1] (decoders may overshoot slightly)
  int sample_rate_hz = 0;      // rate of `samples`
  double source_seconds = 0;   // duration of the decoded stream, before resampling
  int source_rate_hz = 0;      // rate of the file
  int source_channels = 0;     // channels of the file
};

struct DecodeOptions {
  // Rate of the returned samples; 0 keeps the file's rate (no resampling).
  int target_rate_hz = 8000;
  // Stop after this many seconds of the stream; 0 decodes everything.
  double max_seconds = 0;
};

// Decodes `path` to mono at options.target_rate_hz.
// Errors: NotFound (no such file), IoError (unreadable), Unsupported (not an audio format
// we decode), Corruption (a decoder error mid-stream or no audio frames at all).
Result<Audio> DecodeFile(const std::string& path, const DecodeOptions& options = {});

// Resamples mono `samples` from `from_hz` to `to_hz` with libsoxr (high quality).
// Returns the input unchanged when the rates are equal. Invalid for rates <= 0.
Result<std::vector<float>> Resample(std::span<const float> samples, int from_hz, int to_hz);

// Writes mono float samples as a 16-bit PCM WAV file (for tests and tools).
Status WriteWav(const std::string& path, std::span<const float> samples, int sample_rate_hz);

}  // namespace tutti::audio

#endif  // TUTTI_AUDIO_H_
