// Decoding adapter: libsndfile (WAV, FLAC, OGG/Vorbis, Opus, MP3) with a libmpg123
// fallback for MP3 streams libsndfile rejects; mono mixdown; streaming libsoxr resampling.
#include <mpg123.h>
#include <sndfile.h>
#include <soxr.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
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

// Mixes interleaved frames to mono and feeds them, resampled, into `out`.
class MonoSink {
 public:
  MonoSink(int in_rate, int out_rate, std::vector<float>* out)
      : in_rate_(in_rate), out_rate_(out_rate), out_(out) {}

  Status Init() {
    if (out_rate_ == 0 || out_rate_ == in_rate_) return Status::Ok();
    soxr_error_t err = nullptr;
    soxr_quality_spec_t q = soxr_quality_spec(SOXR_LQ, 0);
    soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
    soxr_.reset(soxr_create(in_rate_, out_rate_, 1, &err, &io, &q, nullptr));
    if (err != nullptr || soxr_ == nullptr) {
      return Status::Internal(std::string("cannot create resampler: ") + (err ? err : "?"));
    }
    return Status::Ok();
  }

  Status Push(const float* interleaved, size_t frames, int channels) {
    mono_.resize(frames);
    const float scale = 1.0f / static_cast<float>(channels);
    for (size_t i = 0; i < frames; ++i) {
      float acc = 0;
      for (int c = 0; c < channels; ++c) acc += interleaved[i * channels + c];
      mono_[i] = acc * scale;
    }
    return Feed(mono_.data(), frames);
  }

  Status Finish() { return soxr_ ? Feed(nullptr, 0) : Status::Ok(); }

 private:
  Status Feed(const float* in, size_t frames) {
    if (!soxr_) {
      out_->insert(out_->end(), in, in + frames);
      return Status::Ok();
    }
    const double ratio = static_cast<double>(out_rate_) / in_rate_;
    size_t consumed_total = 0;
    do {
      const size_t room = static_cast<size_t>((frames - consumed_total) * ratio) + 1024;
      const size_t old = out_->size();
      out_->resize(old + room);
      size_t consumed = 0, produced = 0;
      soxr_error_t err =
          soxr_process(soxr_.get(), in ? in + consumed_total : nullptr, frames - consumed_total,
                       &consumed, out_->data() + old, room, &produced);
      out_->resize(old + produced);
      if (err != nullptr) return Status::Internal(std::string("resampler: ") + err);
      consumed_total += consumed;
      if (in == nullptr && produced == 0) break;  // flushed
      if (in != nullptr && consumed == 0 && produced == 0) break;
    } while (in == nullptr || consumed_total < frames);
    return Status::Ok();
  }

  int in_rate_, out_rate_;
  std::vector<float>* out_;
  std::vector<float> mono_;
  SoxrPtr soxr_;
};

Status CheckTarget(const DecodeOptions& o) {
  if (o.target_rate_hz < 0 || o.max_seconds < 0) {
    return Status::Invalid("target rate and max_seconds must be >= 0");
  }
  return Status::Ok();
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
  Audio audio;
  audio.source_rate_hz = info.samplerate;
  audio.source_channels = info.channels;
  const int out_rate = options.target_rate_hz == 0 ? info.samplerate : options.target_rate_hz;
  audio.sample_rate_hz = out_rate;
  MonoSink sink(info.samplerate, out_rate, &audio.samples);
  TUTTI_RETURN_IF_ERROR(sink.Init());
  const sf_count_t limit =
      options.max_seconds > 0 ? static_cast<sf_count_t>(options.max_seconds * info.samplerate) : -1;
  constexpr sf_count_t kChunk = 8192;
  std::vector<float> buf(static_cast<size_t>(kChunk * info.channels));
  sf_count_t total = 0;
  while (limit < 0 || total < limit) {
    sf_count_t want = limit < 0 ? kChunk : std::min(kChunk, limit - total);
    sf_count_t got = sf_readf_float(file.get(), buf.data(), want);
    if (got <= 0) break;
    TUTTI_RETURN_IF_ERROR(sink.Push(buf.data(), static_cast<size_t>(got), info.channels));
    total += got;
  }
  if (int err = sf_error(file.get()); err != SF_ERR_NO_ERROR) {
    return Status::Corruption(std::string("decoder error after ") + std::to_string(total) +
                              " frames: " + sf_strerror(file.get()));
  }
  if (total == 0) return Status::Corruption("no audio frames");
  // Only uncompressed PCM declares an exact length; compressed streams (Vorbis, Opus,
  // MP3) estimate it, and their decoders report damage through sf_error instead.
  const int sub = info.format & SF_FORMAT_SUBMASK;
  const bool exact = sub == SF_FORMAT_PCM_S8 || sub == SF_FORMAT_PCM_16 ||
                     sub == SF_FORMAT_PCM_24 || sub == SF_FORMAT_PCM_32 ||
                     sub == SF_FORMAT_PCM_U8 || sub == SF_FORMAT_FLOAT || sub == SF_FORMAT_DOUBLE;
  const bool length_known = exact && info.frames > 0 && info.frames < SF_COUNT_MAX / 2;
  if (limit < 0 && length_known && total < info.frames) {
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
  Audio audio;
  audio.source_rate_hz = static_cast<int>(rate);
  audio.source_channels = channels;
  const int out_rate =
      options.target_rate_hz == 0 ? static_cast<int>(rate) : options.target_rate_hz;
  audio.sample_rate_hz = out_rate;
  MonoSink sink(static_cast<int>(rate), out_rate, &audio.samples);
  TUTTI_RETURN_IF_ERROR(sink.Init());
  std::vector<float> buf(16384);
  size_t total = 0;
  const size_t limit =
      options.max_seconds > 0 ? static_cast<size_t>(options.max_seconds * rate) : SIZE_MAX;
  while (total < limit) {
    size_t bytes = 0;
    int rc = mpg123_read(mh.get(), reinterpret_cast<unsigned char*>(buf.data()),
                         buf.size() * sizeof(float), &bytes);
    size_t frames = bytes / sizeof(float) / static_cast<size_t>(channels);
    if (frames > 0) TUTTI_RETURN_IF_ERROR(sink.Push(buf.data(), frames, channels));
    total += frames;
    if (rc == MPG123_DONE) break;
    if (rc == MPG123_NEW_FORMAT) continue;
    if (rc != MPG123_OK) {
      return Status::Corruption(std::string("mpg123 decoder error: ") + mpg123_strerror(mh.get()));
    }
  }
  if (total == 0) return Status::Corruption("no audio frames");
  TUTTI_RETURN_IF_ERROR(sink.Finish());
  audio.source_seconds = static_cast<double>(total) / rate;
  return audio;
}

bool LooksLikeMp3(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return ext == ".mp3" || ext == ".mp2" || ext == ".mpga";
}

}  // namespace

Result<Audio> DecodeFile(const std::string& path, const DecodeOptions& options) {
  const std::string where = "audio file '" + path + "'";
  TUTTI_RETURN_IF_ERROR(CheckTarget(options).WithContext(where));
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    return Status::NotFound("no such file").WithContext(where);
  }
  if (!std::filesystem::is_regular_file(status)) {
    return Status::IoError("not a regular file").WithContext(where);
  }
  if (std::filesystem::file_size(path, ec) == 0) {
    return Status::Corruption("empty file").WithContext(where);
  }
  if (FILE* f = std::fopen(path.c_str(), "rb"); f == nullptr) {
    return Status::IoError("cannot open for reading").WithContext(where);
  } else {
    std::fclose(f);
  }
  Result<Audio> audio = DecodeWithSndfile(path, options);
  if (!audio.ok() && audio.status().code() == StatusCode::kUnsupported && LooksLikeMp3(path)) {
    audio = DecodeWithMpg123(path, options);
  }
  if (!audio.ok()) return audio.status().WithContext(where);
  return audio;
}

Result<std::vector<float>> Resample(std::span<const float> samples, int from_hz, int to_hz) {
  if (from_hz <= 0 || to_hz <= 0) return Status::Invalid("sample rates must be > 0");
  std::vector<float> out;
  out.reserve(static_cast<size_t>(samples.size() * (static_cast<double>(to_hz) / from_hz)) + 16);
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
