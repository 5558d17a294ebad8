// The index's own file format and its only file I/O.
//
//   "TUTTIFP\0"  u32 version
//   extract options, hash options (fixed-size fields)
//   u32 recordings; per recording: u32 id length, id bytes, f64 seconds,
//                                  u32 peaks, peaks as (u32 t, u32 f)
//   u64 postings; u32 key[postings] (sorted: shape << 8 | bands); Posting[postings] (16 bytes)
//   u64 checksum of every byte before it
//
// Little-endian. Reading checks every count against the bytes left, keys sorted and in
// range, recording numbers in range, and the checksum, so a damaged file is reported as
// Corruption rather than used. Files are written and read as streams: the big arrays go
// straight between the file and the index's vectors, never through a second copy, so
// loading a 400 MB index needs 400 MB, not 800.
#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include "tutti/fingerprint.h"

namespace tutti::fp {

static_assert(std::endian::native == std::endian::little, "index format is little-endian");

namespace {

constexpr char kMagic[8] = {'T', 'U', 'T', 'T', 'I', 'F', 'P', '\0'};
constexpr uint32_t kVersion = 2;  // 2: keys carry frequency and span bands

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

class FileSink : public Sink {
 public:
  explicit FileSink(std::ofstream* out) : out_(out) {}

 private:
  void Emit(const void* p, size_t n) override {
    out_->write(static_cast<const char*>(p), static_cast<std::streamsize>(n));
  }
  std::ofstream* out_;
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

class FileSource : public Source {
 public:
  FileSource(std::ifstream* in, uint64_t size) : Source(size), in_(in) {}

 private:
  bool Fetch(void* p, size_t n) override {
    return static_cast<bool>(in_->read(static_cast<char*>(p), static_cast<std::streamsize>(n)));
  }
  std::ifstream* in_;
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

  static Result<Index> Decode(Source& r) {
    auto bad = [](const std::string& what) {
      return Status::Corruption("fingerprint index: " + what);
    };
    char magic[8];
    if (!r.Read(magic, 8) || std::memcmp(magic, kMagic, 8) != 0) {
      return bad("not a tutti fingerprint index (bad magic)");
    }
    uint32_t version = 0;
    if (!r.Get(&version) || version != kVersion) {
      return Status::Unsupported("fingerprint index version " + std::to_string(version) +
                                 " (this build reads " + std::to_string(kVersion) + ")");
    }
    ExtractOptions e;
    HashOptions h;
    int32_t i32[8];
    bool ok = true;
    for (int k = 0; k < 6; ++k) ok = ok && r.Get(&i32[k]);
    ok = ok && r.Get(&e.min_freq_hz) && r.Get(&e.max_freq_hz) && r.Get(&e.peaks_per_second) &&
         r.Get(&h.window_begin_units) && r.Get(&h.window_end_units) && r.Get(&i32[6]) &&
         r.Get(&i32[7]) && r.Get(&h.max_scale) && r.Get(&h.min_freq_span_units) &&
         r.Get(&h.lookup_margin);
    if (!ok) return bad("truncated header");
    e.sample_rate_hz = i32[0], e.fft_size = i32[1], e.hop = i32[2];
    e.neighbourhood_frames = i32[3], e.neighbourhood_bins = i32[4], e.block_frames = i32[5];
    h.reference_points = i32[6], h.query_points = i32[7];
    if (e.sample_rate_hz <= 0 || e.fft_size <= 0 || e.hop <= 0) return bad("bad options");
    Index x(e, h);
    uint32_t nrec = 0;
    if (!r.Get(&nrec) || nrec > r.left() / 16) return bad("bad recording count");
    for (uint32_t i = 0; i < nrec; ++i) {
      Index::Recording rec;
      uint32_t len = 0, npeaks = 0;
      if (!r.Get(&len) || len == 0 || len > r.left()) {
        return bad("bad id of recording " + std::to_string(i));
      }
      rec.id.resize(len);
      if (!r.Read(rec.id.data(), len) || !r.Get(&rec.duration_s) || !r.Get(&npeaks) ||
          npeaks > r.left() / sizeof(Peak)) {
        return bad("truncated recording " + std::to_string(i));
      }
      rec.peaks.resize(npeaks);
      if (!r.Read(rec.peaks.data(), npeaks * sizeof(Peak))) return bad("truncated peaks");
      for (size_t k = 1; k < rec.peaks.size(); ++k) {
        if (rec.peaks[k].t < rec.peaks[k - 1].t) {
          return bad("unsorted peaks in recording '" + rec.id + "'");
        }
      }
      if (!x.by_id_.emplace(rec.id, i).second) return bad("duplicate recording '" + rec.id + "'");
      x.recordings_.push_back(std::move(rec));
    }
    constexpr uint64_t kEntry = 4 + sizeof(Index::Posting);
    uint64_t n = 0;
    if (!r.Get(&n) || r.left() < 8 || n != (r.left() - 8) / kEntry || r.left() != n * kEntry + 8) {
      return bad("bad posting count");
    }
    x.hashes_.resize(n);
    x.postings_.resize(n);
    if (!r.Read(x.hashes_.data(), n * 4) ||
        !r.Read(x.postings_.data(), n * sizeof(Index::Posting))) {
      return bad("truncated posting arrays");
    }
    if (!r.ChecksumMatches()) return bad("checksum mismatch");
    for (size_t k = 0; k < n; ++k) {
      if ((x.hashes_[k] >> 8) >= kHashSpace || (k > 0 && x.hashes_[k] < x.hashes_[k - 1])) {
        return bad("hash table out of order at entry " + std::to_string(k));
      }
      if (x.postings_[k].rec >= nrec) {
        return bad("posting names no recording at entry " + std::to_string(k));
      }
    }
    x.RebuildBuckets();
    return x;
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

Status SaveIndex(const Index& index, const std::string& path) {
  if (!index.built()) return Status::Invalid("index has additions not yet built");
  const std::string tmp = path + ".tmp";
  std::error_code ec;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::IoError("cannot write '" + tmp + "'");
    FileSink sink(&out);
    IndexCodec::Encode(index, sink);
    out.flush();
    if (!out) {
      out.close();
      std::filesystem::remove(tmp, ec);
      return Status::IoError("short write to '" + tmp + "'");
    }
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return Status::IoError("cannot replace '" + path + "': " + ec.message());
  }
  return Status::Ok();
}

Result<Index> LoadIndex(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::NotFound("no fingerprint index at '" + path + "'");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::IoError("cannot stat '" + path + "'");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read '" + path + "'");
  FileSource source(&in, size);
  Result<Index> index = IndexCodec::Decode(source);
  if (!index.ok()) return index.status().WithContext("'" + path + "'");
  return index;
}

}  // namespace tutti::fp
