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
  // The most input samples (all channels, at the file's rate) held at once: at most
  // DecodeOptions::block_samples. Reported so that tests can check the streaming.
  size_t peak_input_samples = 0;
};

// Sample rates a DecodeOptions may ask for or accept (hertz).
inline constexpr int kMinRateHz = 1000;
inline constexpr int kMaxRateHz = 384000;

struct DecodeOptions {
  // Rate of the returned samples; 0 keeps the file's rate (no resampling). Otherwise
  // within [kMinRateHz, kMaxRateHz].
  int target_rate_hz = 8000;
  // Decode only the first max_seconds of the file (the rest is not read, and is no error);
  // 0 decodes everything.
  double max_seconds = 0;

  // Bounds on what a file may ask for (checked from the header before decoding, and as it
  // goes for streams whose length is not known in advance):
  // the file's own sample rate must lie in [min_source_rate_hz, max_source_rate_hz]
  // (within [kMinRateHz, kMaxRateHz]); below 4 kHz nothing of the fingerprint's band is
  // left, and a rate of 1 Hz would make the resampler multiply the input 8000 times;
  int min_source_rate_hz = 4000;
  int max_source_rate_hz = 384000;
  // and the audio to decode (all of it, or the first max_seconds) must not last longer
  // than max_duration_s seconds. Must be > 0: there is no "unlimited"; raise it to decode
  // longer files, knowingly (memory grows with it, see above).
  double max_duration_s = 2 * 3600;
  // Input samples (all channels together) decoded, mixed and resampled at a time; at
  // least one frame is read per block however many channels a file has. Results do not
  // depend on it. Within [256, 1 << 22].
  int block_samples = 1 << 16;
};

// Decodes `path` to mono at options.target_rate_hz.
// Errors: NotFound (no such file), IoError (unreadable, not a regular file), Unsupported
// (not an audio format we decode), InvalidArgument (bad options; a sample rate outside the
// accepted range; audio lasting longer than max_duration_s), Corruption (a decoder error
// mid-stream or no audio frames at all). Every message names the file, and
// a bound's message names the bound.
Result<Audio> DecodeFile(const std::string& path, const DecodeOptions& options = {});

// Resamples mono `samples` from `from_hz` to `to_hz` with libsoxr's "low" quality preset
// (SOXR_LQ, as DecodeFile), in blocks. Returns the input unchanged when the rates are
// equal. Invalid for rates outside [1, kMaxRateHz] or an output longer than 2^31 samples.
Result<std::vector<float>> Resample(std::span<const float> samples, int from_hz, int to_hz);

// Writes mono float samples as a 16-bit PCM WAV file (for tests and tools).
Status WriteWav(const std::string& path, std::span<const float> samples, int sample_rate_hz);

}  // namespace tutti::audio

#endif  // TUTTI_AUDIO_H_
