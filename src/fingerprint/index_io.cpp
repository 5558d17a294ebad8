// The index's own file format: Serialize/Deserialize and the same on open descriptors
// (index_codec.h). Locks, temporaries and renames are index_file.cpp.
//
//   "TUTTIFP\0"  u32 version
//   extract options, hash options (fixed-size fields)
//   u32 recordings; per recording: u32 id length, id bytes, f64 seconds,
//                                  u32 peaks, peaks as (u32 t, u32 f)
//   u64 postings; u32 key[postings] (sorted: shape << 8 | bands); Posting[postings] (16 bytes)
//   u64 checksum of every byte before it
//
// Little-endian. Reading checks every header field against its range (a forged file can
// recompute the unkeyed checksum, so the checksum alone proves nothing), every count
// against the bytes left, keys sorted and in range, recording numbers in range, and the
// checksum, so a damaged or forged file is reported as Corruption naming what is wrong
// rather than used. Files are written and read as streams: the big arrays go
// straight between the file and the index's vectors, never through a second copy, so
// loading a 400 MB index needs 400 MB, not 800.
#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <vector>

#include "index_codec.h"
#include "replace_file.h"
#include "tutti/fingerprint.h"

namespace tutti::fp {

static_assert(std::endian::native == std::endian::little, "index format is little-endian");

namespace {

constexpr char kMagic[8] = {'T', 'U', 'T', 'T', 'I', 'F', 'P', '\0'};
constexpr uint32_t kVersion = 2;  // 2: keys carry frequency and span bands
// Analysis rates an index may declare (the decoder resamples queries to it).
constexpr int kMinIndexRateHz = 1000;
constexpr int kMaxIndexRateHz = 384000;

// 64-bit multiply-xor over the 8-byte words of a stream, fed in pieces of any size.
class Checksum {
 public:
  void Update(const void* data, size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    total_ += n;
    if (fill_ > 0) {  // complete the word left over from the previous piece
      const size_t take = std::min(n, sizeof buf_ - fill_);
      std::memcpy(buf_ + fill_, p, take);
      fill_ += take, p += take, n -= take;
      if (fill_ < sizeof buf_) return;
      Word(buf_);
      fill_ = 0;
    }
    for (; n >= 8; p += 8, n -= 8) Word(p);
    std::memcpy(buf_, p, n);
    fill_ = n;
  }
  uint64_t Final() const {
    uint64_t h = h_;
    for (size_t i = 0; i < fill_; ++i) h = (h ^ buf_[i]) * 0x100000001B3ull;
    return (h ^ total_) * 0xFF51AFD7ED558CCDull;
  }

 private:
  void Word(const unsigned char* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h_ = (h_ ^ w) * 0xFF51AFD7ED558CCDull;
    h_ ^= h_ >> 32;
  }
  uint64_t h_ = 0x9E3779B97F4A7C15ull, total_ = 0;
  unsigned char buf_[8] = {};
  size_t fill_ = 0;
};

// Byte sinks and sources that keep the checksum of what passes.
class Sink {
 public:
  virtual ~Sink() = default;
  void Write(const void* p, size_t n) {
    if (n == 0) return;
    sum_.Update(p, n);
    Emit(p, n);
  }
  template <typename T>
  void Put(const T& v) {
    Write(&v, sizeof(T));
  }
  void PutChecksum() {
    const uint64_t c = sum_.Final();
    Emit(&c, sizeof c);
  }

 private:
  virtual void Emit(const void* p, size_t n) = 0;
  Checksum sum_;
};

class StringSink : public Sink {
 public:
  std::string out;

 private:
  void Emit(const void* p, size_t n) override { out.append(static_cast<const char*>(p), n); }
};

// Writes through a bounded buffer; big arrays go straight from the index's vectors.
class FdSink : public Sink {
 public:
  FdSink(int fd, const std::string& name) : fd_(fd), name_(name) { buf_.reserve(kBuffer); }
  Status Flush() {
    if (status_.ok() && !buf_.empty())
      status_ = internal::WriteAll(fd_, buf_.data(), buf_.size(), name_);
    buf_.clear();
    return status_;
  }

 private:
  static constexpr size_t kBuffer = 1 << 16;
  void Emit(const void* p, size_t n) override {
    if (!status_.ok()) return;
    if (buf_.size() + n > kBuffer) {
      if (!Flush().ok()) return;
      if (n >= kBuffer) {
        status_ = internal::WriteAll(fd_, p, n, name_);
        return;
      }
    }
    buf_.insert(buf_.end(), static_cast<const char*>(p), static_cast<const char*>(p) + n);
  }
  int fd_;
  const std::string& name_;
  std::vector<char> buf_;
  Status status_;
};

class Source {
 public:
  explicit Source(uint64_t size) : left_(size) {}
  virtual ~Source() = default;
  bool Read(void* p, size_t n) {
    if (n == 0) return true;  // an empty array's data() may be null: nothing to copy
    if (n > left_ || !Fetch(p, n)) return false;
    left_ -= n;
    sum_.Update(p, n);
    return true;
  }
  template <typename T>
  bool Get(T* v) {
    return Read(v, sizeof(T));
  }
  uint64_t left() const { return left_; }
  // Reads the trailing checksum (not part of the sum) and compares.
  bool ChecksumMatches() {
    uint64_t stored = 0;
    if (left_ != sizeof stored || !Fetch(&stored, sizeof stored)) return false;
    left_ = 0;
    return stored == sum_.Final();
  }

 private:
  virtual bool Fetch(void* p, size_t n) = 0;
  uint64_t left_;
  Checksum sum_;
};

class MemorySource : public Source {
 public:
  explicit MemorySource(std::string_view in) : Source(in.size()), in_(in) {}

 private:
  bool Fetch(void* p, size_t n) override {
    std::memcpy(p, in_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  std::string_view in_;
  size_t pos_ = 0;
};

// Reads through a bounded buffer; big arrays go straight into the index's vectors.
class FdSource : public Source {
 public:
  FdSource(int fd, uint64_t size) : Source(size), fd_(fd) {}
  int error() const { return error_; }  // errno of a failed read, 0 if none

 private:
  static constexpr size_t kBuffer = 1 << 16;
  bool Fetch(void* p, size_t n) override {
    auto* out = static_cast<char*>(p);
    const size_t from_buffer = std::min(n, buf_.size() - pos_);
    if (from_buffer > 0) std::memcpy(out, buf_.data() + pos_, from_buffer);  // data() may be null
    pos_ += from_buffer, out += from_buffer, n -= from_buffer;
    if (n == 0) return true;
    if (n >= kBuffer) return Direct(out, n);
    buf_.resize(kBuffer);
    const int64_t got = internal::ReadFully(fd_, buf_.data(), kBuffer);
    if (got < 0) error_ = errno;
    buf_.resize(got < 0 ? 0 : static_cast<size_t>(got));
    pos_ = 0;
    if (buf_.size() < n) return false;
    std::memcpy(out, buf_.data(), n);
    pos_ = n;
    return true;
  }
  bool Direct(char* out, size_t n) {
    const int64_t got = internal::ReadFully(fd_, out, n);
    if (got < 0) error_ = errno;
    return got == static_cast<int64_t>(n);
  }
  int fd_;
  std::vector<char> buf_;
  size_t pos_ = 0;
  int error_ = 0;
};

}  // namespace

class IndexCodec {
 public:
  static void Encode(const Index& x, Sink& w) {
    w.Write(kMagic, 8);
    w.Put(kVersion);
    const ExtractOptions& e = x.extract_;
    for (int32_t v : {e.sample_rate_hz, e.fft_size, e.hop, e.neighbourhood_frames,
                      e.neighbourhood_bins, e.block_frames}) {
      w.Put(v);
    }
    w.Put(e.min_freq_hz), w.Put(e.max_freq_hz), w.Put(e.peaks_per_second);
    const HashOptions& h = x.hash_opts_;
    w.Put(h.window_begin_units), w.Put(h.window_end_units);
    w.Put<int32_t>(h.reference_points), w.Put<int32_t>(h.query_points);
    w.Put(h.max_scale), w.Put(h.min_freq_span_units), w.Put(h.lookup_margin);
    w.Put(static_cast<uint32_t>(x.recordings_.size()));
    for (const auto& r : x.recordings_) {
      w.Put(static_cast<uint32_t>(r.id.size()));
      w.Write(r.id.data(), r.id.size());
      w.Put(r.duration_s);
      w.Put(static_cast<uint32_t>(r.peaks.size()));
      w.Write(r.peaks.data(), r.peaks.size() * sizeof(Peak));
    }
    w.Put(static_cast<uint64_t>(x.hashes_.size()));
    w.Write(x.hashes_.data(), x.hashes_.size() * sizeof(uint32_t));
    w.Write(x.postings_.data(), x.postings_.size() * sizeof(Index::Posting));
    w.PutChecksum();
  }

  // Magic, version and options, each option checked against its range.
  static Result<IndexOptions> DecodeHeader(Source& r) {
    char magic[8];
    if (!r.Read(magic, 8) || std::memcmp(magic, kMagic, 8) != 0) {
      return Bad("not a tutti fingerprint index (bad magic)");
    }
    uint32_t version = 0;
    if (!r.Get(&version) || version != kVersion) {
      return Status::Unsupported("fingerprint index version " + std::to_string(version) +
                                 " (this build reads " + std::to_string(kVersion) + ")");
    }
    IndexOptions o;
    ExtractOptions& e = o.extract;
    HashOptions& h = o.hash;
    int32_t i32[8];
    bool ok = true;
    for (int k = 0; k < 6; ++k) ok = ok && r.Get(&i32[k]);
    ok = ok && r.Get(&e.min_freq_hz) && r.Get(&e.max_freq_hz) && r.Get(&e.peaks_per_second) &&
         r.Get(&h.window_begin_units) && r.Get(&h.window_end_units) && r.Get(&i32[6]) &&
         r.Get(&i32[7]) && r.Get(&h.max_scale) && r.Get(&h.min_freq_span_units) &&
         r.Get(&h.lookup_margin);
    if (!ok) return Bad("truncated header");
    e.sample_rate_hz = i32[0], e.fft_size = i32[1], e.hop = i32[2];
    e.neighbourhood_frames = i32[3], e.neighbourhood_bins = i32[4], e.block_frames = i32[5];
    h.reference_points = i32[6], h.query_points = i32[7];
    TUTTI_RETURN_IF_ERROR(ValidateHeader(o));
    return o;
  }

  static Result<Index> Decode(Source& r) {
    TUTTI_ASSIGN_OR_RETURN(IndexOptions options, DecodeHeader(r));
    Index x(options.extract, options.hash);
    // Interpolated peaks lie within half a bin of the spectrum's last bin.
    const uint64_t max_f =
        static_cast<uint64_t>(options.extract.fft_size / 2 + 1) * kFreqUnitsPerBin;
    uint32_t nrec = 0;
    if (!r.Get(&nrec)) return Bad("truncated recording count");
    // Each recording takes at least 16 bytes (id length, one id byte, seconds, peak count).
    if (nrec > r.left() / 17) {
      return Bad("recording count " + std::to_string(nrec) + " exceeds what the " +
                 std::to_string(r.left()) + " bytes left can hold");
    }
    for (uint32_t i = 0; i < nrec; ++i) {
      Index::Recording rec;
      uint32_t len = 0, npeaks = 0;
      if (!r.Get(&len) || len == 0 || len > r.left()) {
        return Bad("bad id length " + std::to_string(len) + " of recording " + std::to_string(i));
      }
      rec.id.resize(len);
      if (!r.Read(rec.id.data(), len) || !r.Get(&rec.duration_s) || !r.Get(&npeaks)) {
        return Bad("truncated recording " + std::to_string(i));
      }
      if (!std::isfinite(rec.duration_s) || rec.duration_s < 0 || rec.duration_s > kMaxSeconds) {
        return Bad("recording '" + rec.id + "': duration " + std::to_string(rec.duration_s) +
                   " s is out of range [0, " + std::to_string(kMaxSeconds) + "]");
      }
      if (npeaks > r.left() / sizeof(Peak)) {
        return Bad("recording '" + rec.id + "': peak count " + std::to_string(npeaks) +
                   " exceeds what the " + std::to_string(r.left()) + " bytes left can hold");
      }
      rec.peaks.resize(npeaks);
      if (!r.Read(rec.peaks.data(), npeaks * sizeof(Peak))) return Bad("truncated peaks");
      for (size_t k = 0; k < rec.peaks.size(); ++k) {
        if (k > 0 && rec.peaks[k].t < rec.peaks[k - 1].t) {
          return Bad("unsorted peaks in recording '" + rec.id + "'");
        }
        if (rec.peaks[k].f > max_f) {
          return Bad("recording '" + rec.id + "': peak " + std::to_string(k) +
                     " lies above the spectrum");
        }
      }
      if (!x.by_id_.emplace(rec.id, i).second) return Bad("duplicate recording '" + rec.id + "'");
      x.recordings_.push_back(std::move(rec));
    }
    constexpr uint64_t kEntry = 4 + sizeof(Index::Posting);
    uint64_t n = 0;
    if (!r.Get(&n) || r.left() < 8 || n != (r.left() - 8) / kEntry || r.left() != n * kEntry + 8) {
      return Bad("posting count " + std::to_string(n) + " does not match the " +
                 std::to_string(r.left()) + " bytes left");
    }
    x.hashes_.resize(n);
    x.postings_.resize(n);
    if (!r.Read(x.hashes_.data(), n * 4) ||
        !r.Read(x.postings_.data(), n * sizeof(Index::Posting))) {
      return Bad("truncated posting arrays");
    }
    if (!r.ChecksumMatches()) return Bad("checksum mismatch");
    for (size_t k = 0; k < n; ++k) {
      if ((x.hashes_[k] >> 8) >= kHashSpace || (k > 0 && x.hashes_[k] < x.hashes_[k - 1])) {
        return Bad("hash table out of order at entry " + std::to_string(k));
      }
      if (x.postings_[k].rec >= nrec) {
        return Bad("posting names no recording at entry " + std::to_string(k));
      }
    }
    x.RebuildBuckets();
    return x;
  }

 private:
  static constexpr double kMaxSeconds = 1e7;  // about 116 days: no single recording is longer

  static Status Bad(const std::string& what) {
    return Status::Corruption("fingerprint index: " + what);
  }

  // Every option a forged header could set to make reading or querying blow up (a rate
  // of 1e9 once made the query's decoder allocate gigabytes), each named when refused.
  static Status ValidateHeader(const IndexOptions& o) {
    const ExtractOptions& e = o.extract;
    const HashOptions& h = o.hash;
    auto out_of_range = [](const char* field, auto value, auto lo, auto hi) {
      return Bad("header field " + std::string(field) + " = " + std::to_string(value) +
                 " is out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    };
    auto check_int = [&](const char* field, int64_t v, int64_t lo, int64_t hi) {
      return v >= lo && v <= hi ? Status::Ok() : out_of_range(field, v, lo, hi);
    };
    // NaN fails every comparison, so it is refused too.
    auto check_real = [&](const char* field, double v, double lo, double hi) {
      return v >= lo && v <= hi ? Status::Ok() : out_of_range(field, v, lo, hi);
    };
    TUTTI_RETURN_IF_ERROR(
        check_int("sample_rate_hz", e.sample_rate_hz, kMinIndexRateHz, kMaxIndexRateHz));
    TUTTI_RETURN_IF_ERROR(check_int("fft_size", e.fft_size, 64, 65536));
    if (e.fft_size % 2 != 0) {
      return Bad("header field fft_size = " + std::to_string(e.fft_size) + " is odd");
    }
    TUTTI_RETURN_IF_ERROR(check_int("hop", e.hop, 1, e.fft_size));
    TUTTI_RETURN_IF_ERROR(check_int("neighbourhood_frames", e.neighbourhood_frames, 1, 1024));
    TUTTI_RETURN_IF_ERROR(check_int("neighbourhood_bins", e.neighbourhood_bins, 1, e.fft_size / 2));
    TUTTI_RETURN_IF_ERROR(check_int("block_frames", e.block_frames, 1, 65536));
    TUTTI_RETURN_IF_ERROR(check_real("max_freq_hz", e.max_freq_hz, 1, e.sample_rate_hz / 2.0));
    TUTTI_RETURN_IF_ERROR(check_real("min_freq_hz", e.min_freq_hz, 0, e.max_freq_hz));
    if (e.min_freq_hz == e.max_freq_hz) {
      return Bad("header field min_freq_hz equals max_freq_hz (" + std::to_string(e.max_freq_hz) +
                 ")");
    }
    TUTTI_RETURN_IF_ERROR(check_real("peaks_per_second", e.peaks_per_second, 1e-3, 10000));
    TUTTI_RETURN_IF_ERROR(check_int("window_end_units", h.window_end_units, 1, 1 << 20));
    TUTTI_RETURN_IF_ERROR(
        check_int("window_begin_units", h.window_begin_units, 0, h.window_end_units - 1));
    TUTTI_RETURN_IF_ERROR(check_int("reference_points", h.reference_points, 3, 16));
    TUTTI_RETURN_IF_ERROR(check_int("query_points", h.query_points, 3, 16));
    TUTTI_RETURN_IF_ERROR(check_real("max_scale", h.max_scale, 0, 0.5));
    TUTTI_RETURN_IF_ERROR(check_int("min_freq_span_units", h.min_freq_span_units, 0,
                                    int64_t{e.fft_size / 2} * kFreqUnitsPerBin));
    TUTTI_RETURN_IF_ERROR(check_real("lookup_margin", h.lookup_margin, 0, 0.25));
    return Status::Ok();
  }
};

Result<std::string> Index::Serialize() const {
  if (!built()) return Status::Invalid("index has additions not yet built");
  StringSink sink;
  IndexCodec::Encode(*this, sink);
  return std::move(sink.out);
}

Result<Index> Index::Deserialize(std::string_view bytes) {
  MemorySource source(bytes);
  return IndexCodec::Decode(source);
}

namespace internal {
namespace {
Status ReadError(int err) {
  return Status::IoError(std::string("read failed: ") + std::strerror(err));
}
}  // namespace

Status WriteIndexTo(int fd, const Index& index, const std::string& name) {
  if (!index.built()) return Status::Invalid("index has additions not yet built");
  FdSink sink(fd, name);
  IndexCodec::Encode(index, sink);
  return sink.Flush();
}

Result<Index> ReadIndexFrom(int fd, uint64_t size) {
  FdSource source(fd, size);
  Result<Index> index = IndexCodec::Decode(source);
  // A decoding failure caused by a failed read is an I/O error, not a damaged file.
  if (!index.ok() && source.error() != 0) return ReadError(source.error());
  return index;
}

Result<IndexOptions> ReadIndexOptionsFrom(int fd, uint64_t size) {
  FdSource source(fd, size);
  Result<IndexOptions> options = IndexCodec::DecodeHeader(source);
  if (!options.ok() && source.error() != 0) return ReadError(source.error());
  return options;
}

}  // namespace internal
}  // namespace tutti::fp
