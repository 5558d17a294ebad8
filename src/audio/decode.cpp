// Decoding adapter: libsndfile (WAV, FLAC, OGG/Vorbis, Opus, MP3) with a libmpg123
// fallback for MP3 streams libsndfile rejects; mono mixdown; streaming libsoxr resampling.
//
//   file ─► decoder reads one block (≤ block_samples interleaved) ─► MonoSink: mix to mono
//        ─► soxr_process through a fixed scratch buffer ─► append to the output
//
// Before the first block the file's rate and channels are checked, and its declared
// length against the duration bound; while decoding, frames are counted against the same
// bound (for streams whose declared length is an estimate or absent). So the memory a file
// can make us use is the output's bound plus a block, whatever its header says.
#include <mpg123.h>
#include <sndfile.h>
#include <soxr.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <new>
#include <string>
#include <system_error>
#include <vector>

#include "tutti/audio.h"

namespace tutti::audio {
namespace {

struct SndfileCloser {
  void operator()(SNDFILE* f) const { sf_close(f); }
};
using SndfilePtr = std::unique_ptr<SNDFILE, SndfileCloser>;

struct SoxrDeleter {
  void operator()(soxr_t s) const { soxr_delete(s); }
};
using SoxrPtr = std::unique_ptr<std::remove_pointer_t<soxr_t>, SoxrDeleter>;

struct Mpg123Deleter {
  void operator()(mpg123_handle* h) const {
    mpg123_close(h);
    mpg123_delete(h);
  }
};
using Mpg123Ptr = std::unique_ptr<mpg123_handle, Mpg123Deleter>;

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", s);
  return buf;
}

// Mixes interleaved frames to mono and feeds them, resampled, into `out`. Input of any
// length is taken in blocks; soxr writes into a fixed scratch buffer, so no intermediate
// grows with the input or with the resampling ratio.
class MonoSink {
 public:
  MonoSink(int in_rate, int out_rate, std::vector<float>* out)
      : in_rate_(in_rate), out_rate_(out_rate), out_(out) {}

  Status Init() {
    if (out_rate_ == 0 || out_rate_ == in_rate_) return Status::Ok();
    soxr_error_t err = nullptr;
    soxr_quality_spec_t q = soxr_quality_spec(SOXR_LQ, 0);  // documented in audio.h
    soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    soxr_.reset(soxr_create(in_rate_, out_rate_, 1, &err, &io, &q, nullptr));
    if (err != nullptr || soxr_ == nullptr) {
      return Status::Internal(std::string("cannot create resampler: ") + (err ? err : "?"));
    }
    scratch_.resize(kScratch);
    return Status::Ok();
  }

  Status Push(const float* interleaved, size_t frames, int channels) {
    constexpr size_t kMonoBlock = 1 << 14;
    mono_.resize(std::min(frames, kMonoBlock));
    const float scale = 1.0f / static_cast<float>(channels);
    for (size_t begin = 0; begin < frames; begin += kMonoBlock) {
      const size_t n = std::min(kMonoBlock, frames - begin);
      for (size_t i = 0; i < n; ++i) {
        const float* frame = interleaved + (begin + i) * static_cast<size_t>(channels);
        float acc = 0;
        for (int c = 0; c < channels; ++c) acc += frame[c];
        mono_[i] = acc * scale;
      }
      TUTTI_RETURN_IF_ERROR(Feed(mono_.data(), n));
    }
    return Status::Ok();
  }

  Status Finish() { return soxr_ ? Feed(nullptr, 0) : Status::Ok(); }

 private:
  static constexpr size_t kScratch = 1 << 14;

  // `in` == nullptr flushes the resampler.
  Status Feed(const float* in, size_t frames) {
    if (!soxr_) {
      out_->insert(out_->end(), in, in + frames);
      return Status::Ok();
    }
    size_t done = 0;
    for (;;) {
      size_t consumed = 0, produced = 0;
      soxr_error_t err = soxr_process(soxr_.get(), in ? in + done : nullptr, frames - done,
                                      &consumed, scratch_.data(), scratch_.size(), &produced);
      if (err != nullptr) return Status::Internal(std::string("resampler: ") + err);
      out_->insert(out_->end(), scratch_.data(), scratch_.data() + produced);
      done += consumed;
      const bool saturated = produced == scratch_.size();  // more may be waiting
      if (in == nullptr && produced == 0) break;           // flushed
      if (in != nullptr && done == frames && !saturated) break;
      if (in != nullptr && consumed == 0 && produced == 0) break;  // no progress possible
    }
    return Status::Ok();
  }

  int in_rate_, out_rate_;
  std::vector<float>* out_;
  std::vector<float> mono_;
  std::vector<float> scratch_;
  SoxrPtr soxr_;
};

Status CheckOptions(const DecodeOptions& o) {
  if (o.target_rate_hz != 0 && (o.target_rate_hz < kMinRateHz || o.target_rate_hz > kMaxRateHz)) {
    return Status::Invalid("target_rate_hz " + std::to_string(o.target_rate_hz) + " is outside [" +
                           std::to_string(kMinRateHz) + ", " + std::to_string(kMaxRateHz) +
                           "] (0 keeps the file's rate)");
  }
  if (!(o.max_seconds >= 0) || !std::isfinite(o.max_seconds)) {
    return Status::Invalid("max_seconds must be a finite number >= 0 (0: the whole file)");
  }
  if (!(o.max_duration_s > 0) || !std::isfinite(o.max_duration_s)) {
    return Status::Invalid("max_duration_s must be a finite number > 0 (there is no unlimited)");
  }
  if (o.min_source_rate_hz < kMinRateHz || o.max_source_rate_hz > kMaxRateHz ||
      o.min_source_rate_hz > o.max_source_rate_hz) {
    return Status::Invalid("accepted source rates [" + std::to_string(o.min_source_rate_hz) + ", " +
                           std::to_string(o.max_source_rate_hz) + "] must lie within [" +
                           std::to_string(kMinRateHz) + ", " + std::to_string(kMaxRateHz) + "]");
  }
  if (o.block_samples < 256 || o.block_samples > (1 << 22)) {
    return Status::Invalid("block_samples must lie within [256, 4194304]");
  }
  return Status::Ok();
}

// What the header of a file asks for, checked against the options before anything is
// allocated for it; then the frame budget of the decoding loop.
class Budget {
 public:
  Budget(const DecodeOptions& o, int rate, int channels)
      : o_(o), rate_(rate), channels_(channels) {}

  Status CheckHeader() const {
    if (rate_ < o_.min_source_rate_hz || rate_ > o_.max_source_rate_hz) {
      return Status::Invalid(
          "sample rate " + std::to_string(rate_) + " Hz is outside the accepted range [" +
          std::to_string(o_.min_source_rate_hz) + ", " + std::to_string(o_.max_source_rate_hz) +
          "] Hz (DecodeOptions::min_source_rate_hz, max_source_rate_hz)");
    }
    if (channels_ <= 0 || channels_ > 1024) {
      return Status::Corruption("invalid header: " + std::to_string(channels_) + " channels");
    }
    return Status::Ok();
  }
  // A declared length (exact or estimated) longer than allowed is refused up front.
  Status CheckDeclaredFrames(double frames) const {
    if (Capped() || frames <= MaxFrames()) return Status::Ok();
    return TooLong(frames / rate_, "declared by its header");
  }
  // Frames to read at most: the max_seconds cap, or one more than the bound (to notice
  // a stream that runs past it).
  double ReadLimit() const {
    return Capped() ? std::floor(o_.max_seconds * rate_) : std::floor(MaxFrames()) + 1;
  }
  Status CheckDecoded(double frames) const {
    if (Capped() || frames <= MaxFrames()) return Status::Ok();
    return TooLong(frames / rate_, "decoded so far");
  }
  // Frames per block: as many whole frames as fit in block_samples, at least one.
  size_t BlockFrames() const {
    return std::max<size_t>(1,
                            static_cast<size_t>(o_.block_samples) / static_cast<size_t>(channels_));
  }

 private:
  // max_seconds within the bound: the rest of the file is not read, so its length is moot.
  bool Capped() const { return o_.max_seconds > 0 && o_.max_seconds <= o_.max_duration_s; }
  double MaxFrames() const { return o_.max_duration_s * rate_; }
  Status TooLong(double seconds, const char* how) const {
    return Status::Invalid("lasts at least " + Seconds(seconds) + " (" + how +
                           "), longer than the " + Seconds(o_.max_duration_s) +
                           " allowed (DecodeOptions::max_duration_s)");
  }
  const DecodeOptions& o_;
  int rate_, channels_;
};

// Room for the output when its length is known exactly, so that it is allocated once
// rather than grown (a growing vector briefly needs twice its size).
void ReserveOutput(std::vector<float>* out, double in_frames, int in_rate, int out_rate) {
  const double n = std::ceil(in_frames * out_rate / in_rate) + 1024;
  out->reserve(static_cast<size_t>(n));
}

Result<Audio> DecodeWithSndfile(const std::string& path, const DecodeOptions& options) {
  SF_INFO info{};
  SndfilePtr file(sf_open(path.c_str(), SFM_READ, &info));
  if (!file) {
    return Status::Unsupported(std::string("not a supported audio file (") + sf_strerror(nullptr) +
                               ")");
  }
  if (info.channels <= 0 || info.samplerate <= 0) {
    return Status::Corruption("invalid header (channels or sample rate is 0)");
  }
  Budget budget(options, info.samplerate, info.channels);
  TUTTI_RETURN_IF_ERROR(budget.CheckHeader());
  // libsndfile reports SF_COUNT_MAX (or near it) for streams of unknown length.
  const bool declared = info.frames > 0 && info.frames < SF_COUNT_MAX / 2;
  if (declared) TUTTI_RETURN_IF_ERROR(budget.CheckDeclaredFrames(static_cast<double>(info.frames)));
  // Only uncompressed PCM declares an exact length (derived from the data's size);
  // compressed streams (Vorbis, Opus, MP3) estimate it, and their decoders report damage
  // through sf_error instead.
  const int sub = info.format & SF_FORMAT_SUBMASK;
  const bool exact =
      declared && (sub == SF_FORMAT_PCM_S8 || sub == SF_FORMAT_PCM_16 || sub == SF_FORMAT_PCM_24 ||
                   sub == SF_FORMAT_PCM_32 || sub == SF_FORMAT_PCM_U8 || sub == SF_FORMAT_FLOAT ||
                   sub == SF_FORMAT_DOUBLE);
  Audio audio;
  audio.source_rate_hz = info.samplerate;
  audio.source_channels = info.channels;
  const int out_rate = options.target_rate_hz == 0 ? info.samplerate : options.target_rate_hz;
  audio.sample_rate_hz = out_rate;
  const double limit = budget.ReadLimit();
  if (exact) {
    ReserveOutput(&audio.samples, std::min(static_cast<double>(info.frames), limit),
                  info.samplerate, out_rate);
  }
  MonoSink sink(info.samplerate, out_rate, &audio.samples);
  TUTTI_RETURN_IF_ERROR(sink.Init());
  const size_t block = budget.BlockFrames();
  std::vector<float> buf(block * static_cast<size_t>(info.channels));
  audio.peak_input_samples = buf.size();
  sf_count_t total = 0;
  while (static_cast<double>(total) < limit) {
    const auto want = static_cast<sf_count_t>(
        std::min(static_cast<double>(block), limit - static_cast<double>(total)));
    const sf_count_t got = sf_readf_float(file.get(), buf.data(), want);
    if (got <= 0) break;
    total += got;
    TUTTI_RETURN_IF_ERROR(budget.CheckDecoded(static_cast<double>(total)));
    TUTTI_RETURN_IF_ERROR(sink.Push(buf.data(), static_cast<size_t>(got), info.channels));
  }
  if (int err = sf_error(file.get()); err != SF_ERR_NO_ERROR) {
    return Status::Corruption(std::string("decoder error after ") + std::to_string(total) +
                              " frames: " + sf_strerror(file.get()));
  }
  if (total == 0) return Status::Corruption("no audio frames");
  if (options.max_seconds == 0 && exact && total < info.frames) {
    return Status::Corruption("truncated: header declares " + std::to_string(info.frames) +
                              " frames, only " + std::to_string(total) + " could be read");
  }
  TUTTI_RETURN_IF_ERROR(sink.Finish());
  audio.source_seconds = static_cast<double>(total) / info.samplerate;
  return audio;
}

Result<Audio> DecodeWithMpg123(const std::string& path, const DecodeOptions& options) {
  int err = MPG123_OK;
  Mpg123Ptr mh(mpg123_new(nullptr, &err));
  if (!mh) return Status::Internal(std::string("mpg123: ") + mpg123_plain_strerror(err));
  mpg123_param(mh.get(), MPG123_ADD_FLAGS, MPG123_QUIET, 0.0);
  mpg123_format_none(mh.get());
  const long* rates = nullptr;
  size_t nrates = 0;
  mpg123_rates(&rates, &nrates);
  for (size_t i = 0; i < nrates; ++i) {
    mpg123_format(mh.get(), rates[i], MPG123_MONO | MPG123_STEREO, MPG123_ENC_FLOAT_32);
  }
  if (mpg123_open(mh.get(), path.c_str()) != MPG123_OK) {
    return Status::Unsupported(std::string("mpg123 cannot open: ") + mpg123_strerror(mh.get()));
  }
  long rate = 0;
  int channels = 0, encoding = 0;
  if (mpg123_getformat(mh.get(), &rate, &channels, &encoding) != MPG123_OK || rate <= 0 ||
      channels <= 0) {
    return Status::Unsupported("not an MPEG audio stream");
  }
  Budget budget(options, static_cast<int>(rate), channels);
  TUTTI_RETURN_IF_ERROR(budget.CheckHeader());
  Audio audio;
  audio.source_rate_hz = static_cast<int>(rate);
  audio.source_channels = channels;
  const int out_rate =
      options.target_rate_hz == 0 ? static_cast<int>(rate) : options.target_rate_hz;
  audio.sample_rate_hz = out_rate;
  MonoSink sink(static_cast<int>(rate), out_rate, &audio.samples);
  TUTTI_RETURN_IF_ERROR(sink.Init());
  const size_t block = budget.BlockFrames();
  std::vector<float> buf(block * static_cast<size_t>(channels));
  audio.peak_input_samples = buf.size();
  const double limit = budget.ReadLimit();
  double total = 0;
  while (total < limit) {
    const size_t want = static_cast<size_t>(std::min(static_cast<double>(block), limit - total));
    size_t bytes = 0;
    const int rc = mpg123_read(mh.get(), reinterpret_cast<unsigned char*>(buf.data()),
                               want * channels * sizeof(float), &bytes);
    const size_t frames = bytes / sizeof(float) / static_cast<size_t>(channels);
    total += static_cast<double>(frames);
    TUTTI_RETURN_IF_ERROR(budget.CheckDecoded(total));
    if (frames > 0) TUTTI_RETURN_IF_ERROR(sink.Push(buf.data(), frames, channels));
    if (rc == MPG123_DONE) break;
    if (rc == MPG123_NEW_FORMAT) {
      long r = 0;
      int c = 0, e = 0;
      if (mpg123_getformat(mh.get(), &r, &c, &e) != MPG123_OK || r != rate || c != channels) {
        return Status::Unsupported("the stream changes its sample rate or channels after " +
                                   Seconds(total / rate));
      }
      continue;
    }
    if (rc != MPG123_OK) {
      return Status::Corruption(std::string("mpg123 decoder error: ") + mpg123_strerror(mh.get()));
    }
  }
  if (total == 0) return Status::Corruption("no audio frames");
  TUTTI_RETURN_IF_ERROR(sink.Finish());
  audio.source_seconds = total / static_cast<double>(rate);
  return audio;
}

bool LooksLikeMp3(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".mp3" || ext == ".mp2" || ext == ".mpga";
}

Result<Audio> Decode(const std::string& path, const DecodeOptions& options) {
  TUTTI_RETURN_IF_ERROR(CheckOptions(options));
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) return Status::NotFound("no such file");
  if (!std::filesystem::is_regular_file(status)) return Status::IoError("not a regular file");
  if (std::filesystem::file_size(path, ec) == 0) return Status::Corruption("empty file");
  if (FILE* f = std::fopen(path.c_str(), "rb"); f == nullptr) {
    return Status::IoError("cannot open for reading");
  } else {
    std::fclose(f);
  }
  Result<Audio> audio = DecodeWithSndfile(path, options);
  if (!audio.ok() && audio.status().code() == StatusCode::kUnsupported && LooksLikeMp3(path)) {
    audio = DecodeWithMpg123(path, options);
  }
  return audio;
}

}  // namespace

Result<Audio> DecodeFile(const std::string& path, const DecodeOptions& options) {
  const std::string where = "audio file '" + path + "'";
  try {
    Result<Audio> audio = Decode(path, options);
    if (!audio.ok()) return audio.status().WithContext(where);
    return audio;
  } catch (const std::bad_alloc&) {
    // Only reachable with bounds raised past the memory available.
    return Status::IoError(where + ": out of memory (lower DecodeOptions::max_duration_s)");
  }
}

Result<std::vector<float>> Resample(std::span<const float> samples, int from_hz, int to_hz) {
  if (from_hz <= 0 || to_hz <= 0 || from_hz > kMaxRateHz || to_hz > kMaxRateHz) {
    return Status::Invalid("sample rates must lie within [1, " + std::to_string(kMaxRateHz) + "]");
  }
  const double expected = std::ceil(static_cast<double>(samples.size()) * to_hz / from_hz);
  if (expected > static_cast<double>(uint64_t{1} << 31)) {
    return Status::Invalid("resampling would produce more than 2^31 samples");
  }
  std::vector<float> out;
  out.reserve(static_cast<size_t>(expected) + 16);
  MonoSink sink(from_hz, to_hz, &out);
  TUTTI_RETURN_IF_ERROR(sink.Init());
  TUTTI_RETURN_IF_ERROR(sink.Push(samples.data(), samples.size(), 1));
  TUTTI_RETURN_IF_ERROR(sink.Finish());
  return out;
}

Status WriteWav(const std::string& path, std::span<const float> samples, int sample_rate_hz) {
  SF_INFO info{};
  info.samplerate = sample_rate_hz;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SndfilePtr file(sf_open(path.c_str(), SFM_WRITE, &info));
  if (!file) {
    return Status::IoError(std::string("cannot write '") + path + "': " + sf_strerror(nullptr));
  }
  sf_command(file.get(), SFC_SET_CLIPPING, nullptr, SF_TRUE);
  const sf_count_t n = static_cast<sf_count_t>(samples.size());
  if (sf_writef_float(file.get(), samples.data(), n) != n) {
    return Status::IoError("short write to '" + path + "'");
  }
  return Status::Ok();
}

}  // namespace tutti::audio
