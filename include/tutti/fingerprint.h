// Content identification: fingerprints that survive noise, codecs, cropping, pitch shift
// and time stretch, an index of reference recordings, and a matcher.
//
// Pipeline (all pure: plain samples in, values out; the only file I/O is the index file's
// functions at the bottom of this header):
//
//   mono samples @ 8 kHz ─► Extract ─► Fingerprint (spectral peaks)
//   Fingerprint ─► Index::Add(recording id)           reference side, few quads per peak
//   Fingerprint ─► Index::Query ─► ranked Match list  query side, many quads per peak
//
// The hash is described where it is computed (src/fingerprint/quads.cpp): quads of
// spectral peaks whose normalised geometry does not change when time or frequency are
// scaled, so a copy played 10% faster, pitched 10% up, or both, hashes the same.
//
// Units: a fingerprint's peak times are in "time units" of 1/kTimeUnitsPerFrame of an
// analysis frame (hop / sample rate seconds), frequencies in 1/kFreqUnitsPerBin of an FFT
// bin (sample rate / fft_size hertz). Reported times are in seconds.
//
// Thread-safety: Extract is reentrant. An Index may be queried from many threads at once
// (Query is const); Add, Remove and Build need exclusive access.
#ifndef TUTTI_FINGERPRINT_H_
#define TUTTI_FINGERPRINT_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tutti/status.h"

namespace tutti::fp {

inline constexpr int kTimeUnitsPerFrame = 4;
inline constexpr int kFreqUnitsPerBin = 8;

// How samples become peaks. The defaults are what the index and its threshold were tuned
// with; an index records them and refuses queries extracted differently.
struct ExtractOptions {
  int sample_rate_hz = 8000;     // rate the samples must have (resample first)
  int fft_size = 1024;           // analysis window, samples (Hann)
  int hop = 128;                 // samples between frames (16 ms at 8 kHz)
  double min_freq_hz = 100;      // peaks below are ignored
  double max_freq_hz = 3600;     // peaks above are ignored
  int neighbourhood_frames = 6;  // half-width in time of the local-maximum test, frames
  int neighbourhood_bins = 10;   // half-width in frequency of the local-maximum test, bins
  double peaks_per_second = 18;  // density: the strongest peaks of each block are kept
  int block_frames = 64;         // block length for the density limit, frames
  // Memory only (results do not depend on it): the spectrogram is analysed this many
  // blocks at a time, so a long file needs a few MB rather than one array for all of it.
  int chunk_blocks = 32;
};

// One spectral peak, interpolated between frames and bins.
struct Peak {
  uint32_t t = 0;  // time, in time units (see above)
  uint32_t f = 0;  // frequency, in frequency units (see above)
  friend bool operator==(const Peak&, const Peak&) = default;
};

// The fingerprint of one stretch of audio: its peaks sorted by (t, f).
struct Fingerprint {
  std::vector<Peak> peaks;
  double seconds_per_unit = 0;  // seconds per time unit
  double hz_per_unit = 0;       // hertz per frequency unit
  double duration_s = 0;        // duration of the audio analysed
};

// Computes the fingerprint of mono `samples` at `sample_rate_hz`, which must equal
// options.sample_rate_hz. Audio shorter than one window yields a fingerprint without
// peaks (not an error). Invalid for bad options or a rate mismatch.
Result<Fingerprint> Extract(std::span<const float> samples, int sample_rate_hz,
                            const ExtractOptions& options = {});

// How peaks are grouped into hashes and how tolerant lookups are.
struct HashOptions {
  uint32_t window_begin_units = 20 * kTimeUnitsPerFrame;  // B, C, D start this late after A
  uint32_t window_end_units = 125 * kTimeUnitsPerFrame;   // ... and end this late
  int reference_points = 4;  // peaks after A that reference quads are formed from
  int query_points = 5;      // the same on the query side (more: survive scaling/noise)
  double max_scale = 0.12;   // largest time or frequency scaling searched (0.12 = ±12%)
  uint32_t min_freq_span_units = 6 * kFreqUnitsPerBin;  // quads flatter than this are dropped
  double lookup_margin = 0.005;  // query also probes a neighbour bin this close to an edge
};

// A hash with the geometry the matcher needs to check a hit.
struct Quad {
  uint32_t hash = 0;    // quantised scale-invariant shape, < kHashSpace
  uint32_t t_a = 0;     // time of the root peak A, time units
  uint32_t span_t = 0;  // time from A to B, time units
  uint32_t span_f = 0;  // frequency range of the four peaks, frequency units
  uint32_t f_lo = 0;    // lowest frequency of the four peaks, frequency units
};
inline constexpr uint32_t kHashSpace = 16 * 16 * 12 * 16 * 16;

// The quads stored for a reference (few per peak).
std::vector<Quad> ReferenceQuads(const Fingerprint& fp, const HashOptions& options = {});
// The quads looked up for a query (many per peak, and each with every hash its shape may
// round to within options.lookup_margin), appended to `out`.
void QueryQuads(const Fingerprint& fp, const HashOptions& options, std::vector<Quad>* out);

// One recording found in a query.
struct Match {
  std::string recording_id;
  double score = 0;          // share of the query's peaks (within the aligned span) that
                             // land on the reference's peaks, 0..1
  int matched_peaks = 0;     // how many peaks align
  int votes = 0;             // hash hits behind the candidate
  double query_begin_s = 0;  // aligned span in the query
  double query_end_s = 0;
  double reference_begin_s = 0;  // the same span in the reference
  double reference_end_s = 0;
  double reference_offset_s = 0;  // reference time aligned with the query's start
  double time_factor = 1;         // query tempo / reference tempo (1.05: query 5% faster)
  double pitch_factor = 1;        // query frequency / reference frequency (1.05: 5% higher)
  double matched_seconds = 0;     // query_end_s - query_begin_s
};

struct MatchOptions {
  int max_results = 5;      // matches returned at most, best first
  int max_candidates = 12;  // (recording, offset) hypotheses verified per query
  int min_votes = 3;        // hash hits a hypothesis needs to be verified
  // The calibrated threshold: a match needs both (see docs/FINGERPRINT.md).
  double min_score = 0.22;
  int min_matched_peaks = 20;
  // The query side of hashing (speed against recall), used in place of the values in the
  // index's HashOptions, so that an index built earlier gets today's query settings.
  int query_points = 5;
  double lookup_margin = 0.005;
};

struct IndexStats {
  size_t recordings = 0;
  size_t hashes = 0;   // quads stored
  size_t peaks = 0;    // reference peaks stored (for verification)
  double seconds = 0;  // audio indexed
  size_t bytes = 0;    // size of the serialised index
};

// Reference recordings by id, their quads (sorted by hash, with a direct bucket table) and
// their peaks. Copyable and movable value type.
class Index {
 public:
  explicit Index(ExtractOptions extract = {}, HashOptions hash = {});

  // Adds a recording. AlreadyExists if the id is present, Invalid for an empty id or a
  // fingerprint of another geometry. The addition is pending until Build().
  Status Add(const std::string& recording_id, const Fingerprint& fp);
  // Removes a recording and every hash of it at once. NotFound if absent.
  Status Remove(std::string_view recording_id);
  bool Contains(std::string_view recording_id) const;
  std::vector<std::string> RecordingIds() const;
  // Merges pending additions into the lookup tables (O(hashes)).
  void Build();
  bool built() const { return pending_.empty(); }

  // Ranked matches of `query` (best first) that pass the threshold in `options`.
  // Invalid if the index has pending additions or the query's geometry differs.
  Result<std::vector<Match>> Query(const Fingerprint& query,
                                   const MatchOptions& options = {}) const;

  IndexStats Stats() const;
  const ExtractOptions& extract_options() const { return extract_; }
  const HashOptions& hash_options() const { return hash_opts_; }

  // Binary form (little-endian, versioned, checksummed); Invalid if not built().
  // Deserialize validates every size, offset and the checksum.
  Result<std::string> Serialize() const;
  static Result<Index> Deserialize(std::string_view bytes);

 private:
  struct Posting {  // one stored quad, 16 bytes
    uint32_t rec;
    uint32_t t_a;
    uint32_t span_t;
    uint16_t span_f;
    uint16_t f_lo;
  };
  struct Recording {
    std::string id;
    double duration_s = 0;
    std::vector<Peak> peaks;  // sorted by time
  };
  struct Hit;
  struct Candidate;
  Status CheckGeometry(const Fingerprint& fp) const;
  std::vector<Hit> CollectHits(const std::vector<Quad>& quads) const;
  static std::vector<Candidate> PickCandidates(std::vector<Hit>* hits, const MatchOptions& o);
  void RebuildBuckets();
  bool Verify(const Fingerprint& query, const Candidate& c, Match* out) const;
  friend class IndexCodec;

  ExtractOptions extract_;
  HashOptions hash_opts_;
  std::vector<Recording> recordings_;
  std::unordered_map<std::string, uint32_t> by_id_;
  std::vector<uint32_t> hashes_;   // keys (shape hash << 8 | bands), sorted
  std::vector<Posting> postings_;  // parallel to hashes_
  std::vector<uint32_t> buckets_;  // kHashSpace + 1 offsets into postings_, by shape
  std::vector<std::pair<uint32_t, Posting>> pending_;  // (key, posting) not yet merged
};

// ---- The index file ----------------------------------------------------------------
//
// Many processes may use one index file at once:
//   writers  change it only through UpdateIndexFile (or SaveIndex), which hold an
//            exclusive flock(2) on the sidecar "<path>.lock" from loading the file to
//            renaming its new version into place, so concurrent changes are applied one
//            after the other and none is lost. The lock is on a sidecar, not on the index
//            itself, because the index is replaced by rename: a lock on the old inode would
//            not exclude a writer that opened the new one. The sidecar is never deleted.
//   readers  (LoadIndex, ReadIndexOptions) take no lock: every version is complete before
//            it is renamed into place, so a reader sees the old index or the new one, whole.
// Each new version is written to "<path>.tmp-<random>", created exclusively
// (O_CREAT|O_EXCL|O_NOFOLLOW: a file or symlink already there is never opened or
// followed), fsynced, renamed over `path`, and then the directory is fsynced. On any
// error before the rename the previous file is left as it was and the temporary is
// removed. Locks are advisory and need a local file system (flock over NFS is not
// reliable); a symlink planted at "<path>.lock" is refused, not followed.

// What an index was built with (the header of its file).
struct IndexOptions {
  ExtractOptions extract;
  HashOptions hash;
};

struct IndexFileOptions {
  // How long a writer waits for another writer's lock before failing with kBusy.
  std::chrono::milliseconds lock_timeout = std::chrono::seconds(60);
};

// Applies `change` to the index at `path` under the writers' lock: loads the file (or
// starts from an empty Index() if there is none: the file is created), calls `change`,
// builds pending additions, and writes the result back as above.
// If `change` returns an error, nothing is written and that error is returned.
// Errors: those of `change`; Busy (lock not obtained within options.lock_timeout);
// Corruption or Unsupported (the existing file is damaged, forged or of another version:
// it is left alone); IoError (naming the path). An IoError from syncing the directory
// after the rename means the new version is in place but may not yet be durable.
// `change` must not call SaveIndex or UpdateIndexFile on the same path (it would wait for
// the lock its caller holds). Do slow work (decoding, Extract) before, outside the lock:
// take the options from ReadIndexOptions, and let `change` only Add/Remove.
Status UpdateIndexFile(const std::string& path, const std::function<Status(Index&)>& change,
                       const IndexFileOptions& options = {});

// Writes `index` (must be built) to `path` under the writers' lock, replacing whatever
// is there: a blind overwrite; prefer UpdateIndexFile for read-modify-write.
Status SaveIndex(const Index& index, const std::string& path, const IndexFileOptions& options = {});

// Reads the index at `path` (no lock; see above). NotFound if there is no file, IoError
// (also for a directory, FIFO or other non-regular file), Corruption naming the field or
// position that is wrong, Unsupported (other version); every message names the file.
Result<Index> LoadIndex(const std::string& path);

// Reads only the header of the index at `path` (cheap: what a new fingerprint must be
// extracted with), validated as LoadIndex does. Errors as LoadIndex.
Result<IndexOptions> ReadIndexOptions(const std::string& path);

}  // namespace tutti::fp

#endif  // TUTTI_FINGERPRINT_H_
