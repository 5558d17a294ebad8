// The reference index and the matcher.
//
// Layout: every stored quad is a 16-byte Posting (recording, time of A, spans, lowest
// frequency) and a 32-bit key: its 20-bit shape hash, then 4 bits of the band of its lowest
// frequency (0.35 octave) and 4 bits of the band of its time span (0.3 octave). Postings
// are sorted by key; buckets_[h] .. buckets_[h + 1] delimit the postings of shape h. A
// lookup probes only the bands a ±max_scale scaling can reach (usually 2 x 2), by binary
// search inside the bucket, so it reads the few postings that could match rather than all
// of a common shape's. Peaks of each recording are kept too: they verify candidates.
//
// Matching a query:
//   1. hits:   every query quad looks up its hashes; a hit is kept only if the scalings it
//              implies (reference span / query span, in time and frequency) are within
//              max_scale and the lowest frequencies agree under that frequency scaling.
//   2. vote:   each hit implies a reference time for the query's start,
//              b = t_A(ref) - s_t * t_A(query); hits vote for (recording, b in 0.25 s bins).
//   3. verify: for the best-voted hypotheses, fit t_ref = s_t * t_query + b by least squares
//              on the hits (dropping outliers), take s_f as the median frequency ratio, then
//              map every query peak into the reference and count those that land on a
//              reference peak (re-fitting on the landed pairs, with a tolerance that shrinks).
//              The score is the share of the query's peaks that land: about 1-2% for
//              unrelated audio, tens of percent for a copy even at 0 dB SNR.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "tutti/fingerprint.h"

namespace tutti::fp {
namespace {

constexpr double kVoteBinUnits = 64;  // 0.256 s at the default geometry

int FreqBand(double f_lo_units) {
  const double x = std::log2(std::max(f_lo_units, 1.0) / 96.0) / 0.35;
  return std::clamp(static_cast<int>(std::floor(x)), 0, 15);
}
int SpanBand(double span_units) {
  const double x = std::log2(std::max(span_units, 1.0) / 64.0) / 0.3;
  return std::clamp(static_cast<int>(std::floor(x)), 0, 15);
}
uint32_t Key(uint32_t shape, int fband, int sband) {
  return shape << 8 | static_cast<uint32_t>(fband) << 4 | static_cast<uint32_t>(sband);
}

template <typename T>
T Median(std::vector<T> v) {
  if (v.empty()) return T{};
  auto mid = v.begin() + v.size() / 2;
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

}  // namespace

// A query quad's hash found in a reference, with the alignment it implies.
struct Index::Hit {
  uint32_t rec;
  int32_t bin;  // reference time of the query's start, in kVoteBinUnits
  float t_q;    // query time of A, time units
  float t_r;    // reference time of A, time units
  float s_t;
  float s_f;
};

struct Index::Candidate {
  uint32_t rec = 0;
  int votes = 0;
  std::vector<Hit> hits;
};

Index::Index(ExtractOptions extract, HashOptions hash)
    : extract_(extract), hash_opts_(hash), buckets_(kHashSpace + 1, 0) {}

Status Index::CheckGeometry(const Fingerprint& fp) const {
  const double spu =
      static_cast<double>(extract_.hop) / extract_.sample_rate_hz / kTimeUnitsPerFrame;
  const double hpu =
      static_cast<double>(extract_.sample_rate_hz) / extract_.fft_size / kFreqUnitsPerBin;
  if (std::abs(fp.seconds_per_unit - spu) > 1e-12 || std::abs(fp.hz_per_unit - hpu) > 1e-9) {
    return Status::Invalid("fingerprint was extracted with other options than the index's");
  }
  return Status::Ok();
}

Status Index::Add(const std::string& recording_id, const Fingerprint& fp) {
  if (recording_id.empty()) return Status::Invalid("empty recording id");
  TUTTI_RETURN_IF_ERROR(CheckGeometry(fp));
  if (by_id_.count(recording_id) != 0) {
    return Status::AlreadyExists("recording '" + recording_id + "' is already indexed");
  }
  const auto rec = static_cast<uint32_t>(recordings_.size());
  for (const Quad& q : ReferenceQuads(fp, hash_opts_)) {
    Posting p{rec, q.t_a, q.span_t, static_cast<uint16_t>(std::min<uint32_t>(q.span_f, 65535)),
              static_cast<uint16_t>(std::min<uint32_t>(q.f_lo, 65535))};
    pending_.emplace_back(Key(q.hash, FreqBand(q.f_lo), SpanBand(q.span_t)), p);
  }
  recordings_.push_back({recording_id, fp.duration_s, fp.peaks});
  by_id_.emplace(recording_id, rec);
  return Status::Ok();
}

Status Index::Remove(std::string_view recording_id) {
  auto it = by_id_.find(std::string(recording_id));
  if (it == by_id_.end()) {
    return Status::NotFound("recording '" + std::string(recording_id) + "' is not indexed");
  }
  const uint32_t rec = it->second;
  recordings_.erase(recordings_.begin() + rec);
  by_id_.clear();
  for (uint32_t i = 0; i < recordings_.size(); ++i) by_id_.emplace(recordings_[i].id, i);
  size_t w = 0;
  for (size_t i = 0; i < postings_.size(); ++i) {
    if (postings_[i].rec == rec) continue;
    postings_[w] = postings_[i];
    if (postings_[w].rec > rec) --postings_[w].rec;
    hashes_[w++] = hashes_[i];
  }
  postings_.resize(w);
  hashes_.resize(w);
  std::erase_if(pending_, [rec](const auto& hp) { return hp.second.rec == rec; });
  for (auto& hp : pending_) {
    if (hp.second.rec > rec) --hp.second.rec;
  }
  RebuildBuckets();
  return Status::Ok();
}

bool Index::Contains(std::string_view recording_id) const {
  return by_id_.count(std::string(recording_id)) != 0;
}

std::vector<std::string> Index::RecordingIds() const {
  std::vector<std::string> ids;
  for (const auto& r : recordings_) ids.push_back(r.id);
  return ids;
}

void Index::Build() {
  if (pending_.empty()) return;
  std::sort(pending_.begin(), pending_.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first
                              : (a.second.rec != b.second.rec ? a.second.rec < b.second.rec
                                                              : a.second.t_a < b.second.t_a);
  });
  std::vector<uint32_t> hashes;
  std::vector<Posting> postings;
  if (hashes_.empty()) {  // first build: no merge, no second copy of the old arrays
    hashes_.reserve(pending_.size());
    postings_.reserve(pending_.size());
    for (const auto& [key, p] : pending_) {
      hashes_.push_back(key);
      postings_.push_back(p);
    }
    pending_.clear();
    pending_.shrink_to_fit();
    RebuildBuckets();
    return;
  }
  hashes.reserve(hashes_.size() + pending_.size());
  postings.reserve(hashes_.size() + pending_.size());
  size_t i = 0, j = 0;
  while (i < hashes_.size() || j < pending_.size()) {
    if (j == pending_.size() || (i < hashes_.size() && hashes_[i] <= pending_[j].first)) {
      hashes.push_back(hashes_[i]);
      postings.push_back(postings_[i++]);
    } else {
      hashes.push_back(pending_[j].first);
      postings.push_back(pending_[j++].second);
    }
  }
  hashes_ = std::move(hashes);
  postings_ = std::move(postings);
  pending_.clear();
  pending_.shrink_to_fit();
  RebuildBuckets();
}

void Index::RebuildBuckets() {
  buckets_.assign(kHashSpace + 1, 0);
  for (uint32_t key : hashes_) ++buckets_[(key >> 8) + 1];
  for (size_t h = 0; h < kHashSpace; ++h) buckets_[h + 1] += buckets_[h];
}

std::vector<Index::Hit> Index::CollectHits(const std::vector<Quad>& quads) const {
  const double lo = 1 / (1 + hash_opts_.max_scale), hi = 1 + hash_opts_.max_scale;
  std::vector<Hit> hits;
  const double reach = (1 + hash_opts_.max_scale) * 1.01;  // band edges, with rounding slack
  for (const Quad& q : quads) {
    const uint32_t b0 = buckets_[q.hash], b1 = buckets_[q.hash + 1];
    if (b0 == b1) continue;
    const double inv_st = 1.0 / q.span_t, inv_sf = 1.0 / q.span_f;
    const int s_lo = SpanBand(q.span_t / reach), s_hi = SpanBand(q.span_t * reach);
    for (int fb = FreqBand(q.f_lo / reach), fb_end = FreqBand(q.f_lo * reach); fb <= fb_end; ++fb) {
      const uint32_t key_hi = Key(q.hash, fb, s_hi);
      auto first =
          std::lower_bound(hashes_.begin() + b0, hashes_.begin() + b1, Key(q.hash, fb, s_lo));
      for (auto k = static_cast<uint32_t>(first - hashes_.begin()); k < b1 && hashes_[k] <= key_hi;
           ++k) {
        const Posting& p = postings_[k];
        const double st = p.span_t * inv_st;
        if (st < lo || st > hi) continue;
        const double sf = p.span_f * inv_sf;
        if (sf < lo || sf > hi) continue;
        const double flo = sf * q.f_lo;
        if (std::abs(p.f_lo - flo) > 2 * kFreqUnitsPerBin + 0.02 * flo) continue;
        const double b = p.t_a - st * q.t_a;
        hits.push_back({p.rec, static_cast<int32_t>(std::floor(b / kVoteBinUnits)),
                        static_cast<float>(q.t_a), static_cast<float>(p.t_a),
                        static_cast<float>(st), static_cast<float>(sf)});
      }
    }
  }
  return hits;
}

// Sorts the hits and keeps, per recording, its best-voted offset bin (with the two
// neighbouring bins); the best max_candidates recordings with at least min_votes.
std::vector<Index::Candidate> Index::PickCandidates(std::vector<Hit>* hits_in,
                                                    const MatchOptions& o) {
  std::vector<Hit>& hits = *hits_in;
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.rec != b.rec ? a.rec < b.rec : a.bin < b.bin;
  });
  std::vector<Candidate> cands;
  for (size_t i = 0; i < hits.size();) {
    size_t j = i;
    while (j < hits.size() && hits[j].rec == hits[i].rec) ++j;
    int best = 0;
    size_t best_k = i;
    for (size_t k = i; k < j;) {
      size_t e = k;
      while (e < j && hits[e].bin == hits[k].bin) ++e;
      // Votes of bins k-1, k, k+1: scan a small window around [k, e).
      size_t a = k, z = e;
      while (a > i && hits[a - 1].bin >= hits[k].bin - 1) --a;
      while (z < j && hits[z].bin <= hits[k].bin + 1) ++z;
      if (static_cast<int>(z - a) > best) {
        best = static_cast<int>(z - a);
        best_k = k;
      }
      k = e;
    }
    if (best >= o.min_votes) {
      Candidate c;
      c.rec = hits[i].rec;
      c.votes = best;
      for (size_t k = i; k < j; ++k) {
        if (std::abs(hits[k].bin - hits[best_k].bin) <= 1) c.hits.push_back(hits[k]);
      }
      cands.push_back(std::move(c));
    }
    i = j;
  }
  std::sort(cands.begin(), cands.end(),
            [](const Candidate& a, const Candidate& b) { return a.votes > b.votes; });
  if (static_cast<int>(cands.size()) > o.max_candidates) cands.resize(o.max_candidates);

  return cands;
}

Result<std::vector<Match>> Index::Query(const Fingerprint& query, const MatchOptions& o) const {
  if (!built()) return Status::Invalid("index has additions not yet built (call Build())");
  TUTTI_RETURN_IF_ERROR(CheckGeometry(query));
  HashOptions ho = hash_opts_;
  ho.query_points = o.query_points;
  ho.lookup_margin = o.lookup_margin;
  std::vector<Quad> quads;
  QueryQuads(query, ho, &quads);

  std::vector<Hit> hits = CollectHits(quads);
  std::vector<Candidate> cands = PickCandidates(&hits, o);

  std::vector<Match> matches;
  for (const Candidate& c : cands) {
    Match m;
    if (!Verify(query, c, &m)) continue;
    if (m.score >= o.min_score && m.matched_peaks >= o.min_matched_peaks) {
      matches.push_back(std::move(m));
    }
  }
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    return a.matched_peaks != b.matched_peaks ? a.matched_peaks > b.matched_peaks
                                              : a.score > b.score;
  });
  if (static_cast<int>(matches.size()) > o.max_results) matches.resize(o.max_results);
  return matches;
}

namespace {

// t_ref = st * t_q + b, f_ref = sf * f_q.
struct Alignment {
  double st = 1, b = 0, sf = 1;
};

struct Landing {
  int in_span = 0;                           // query peaks that map inside the reference
  std::vector<std::pair<Peak, Peak>> pairs;  // (query, reference) peaks that land
};

Landing Land(const std::vector<Peak>& q, const std::vector<Peak>& ref, const Alignment& a,
             double tol_t, double tol_f_abs, double tol_f_rel) {
  Landing out;
  if (ref.empty()) return out;
  const double last = ref.back().t;
  for (const Peak& p : q) {
    const double t = a.b + a.st * p.t;
    if (t < -tol_t || t > last + tol_t) continue;
    ++out.in_span;
    const double f = a.sf * p.f;
    const double tf = tol_f_abs + tol_f_rel * f;
    auto it = std::lower_bound(ref.begin(), ref.end(), t - tol_t,
                               [](const Peak& r, double v) { return r.t < v; });
    const Peak* best = nullptr;
    double best_d = 1e30;
    for (; it != ref.end() && it->t <= t + tol_t; ++it) {
      const double df = std::abs(it->f - f);
      if (df <= tf) {
        const double d = df / tf + std::abs(it->t - t) / tol_t;
        if (d < best_d) {
          best_d = d;
          best = &*it;
        }
      }
    }
    if (best != nullptr) out.pairs.emplace_back(p, *best);
  }
  return out;
}

// Least-squares refit of the alignment on landed pairs (keeps `a` when too few).
Alignment Refit(const std::vector<std::pair<Peak, Peak>>& pairs, Alignment a, double lo,
                double hi) {
  if (pairs.size() < 6) return a;
  double mq = 0, mr = 0;
  for (const auto& [q, r] : pairs) {
    mq += q.t;
    mr += r.t;
  }
  mq /= pairs.size();
  mr /= pairs.size();
  double sqq = 0, sqr = 0, fqq = 0, fqr = 0;
  for (const auto& [q, r] : pairs) {
    sqq += (q.t - mq) * (q.t - mq);
    sqr += (q.t - mq) * (r.t - mr);
    fqq += static_cast<double>(q.f) * q.f;
    fqr += static_cast<double>(q.f) * r.f;
  }
  if (sqq > 0) a.st = std::clamp(sqr / sqq, lo, hi);
  a.b = mr - a.st * mq;
  if (fqq > 0) a.sf = std::clamp(fqr / fqq, lo, hi);
  return a;
}

}  // namespace

bool Index::Verify(const Fingerprint& query, const Candidate& c, Match* m) const {
  const Recording& rec = recordings_[c.rec];
  const double lo = 1 / (1 + hash_opts_.max_scale), hi = 1 + hash_opts_.max_scale;
  // Time mapping from the hits: start from medians, then least squares with outlier
  // rejection (the hits' A times span seconds, so the slope is precise).
  std::vector<float> sts, sfs;
  for (const Hit& h : c.hits) {
    sts.push_back(h.s_t);
    sfs.push_back(h.s_f);
  }
  Alignment a;
  a.st = Median(sts);
  a.sf = Median(sfs);
  std::vector<float> bs;
  for (const Hit& h : c.hits) bs.push_back(h.t_r - static_cast<float>(a.st) * h.t_q);
  a.b = Median(bs);
  for (double tol : {40.0, 16.0}) {
    std::vector<std::pair<Peak, Peak>> pairs;
    for (const Hit& h : c.hits) {
      if (std::abs(h.t_r - (a.b + a.st * h.t_q)) <= tol) {
        pairs.push_back(
            {Peak{static_cast<uint32_t>(h.t_q), 0}, Peak{static_cast<uint32_t>(h.t_r), 0}});
      }
    }
    double sf = a.sf;
    a = Refit(pairs, a, lo, hi);
    a.sf = sf;  // the hits carry no frequencies: keep the median ratio
  }
  // Peak landing with shrinking tolerances (time units, frequency units).
  Landing land;
  const double tols[3][3] = {{12, 16, 0.03}, {8, 12, 0.015}, {6, 10, 0.01}};
  for (int round = 0; round < 3; ++round) {
    land = Land(query.peaks, rec.peaks, a, tols[round][0], tols[round][1], tols[round][2]);
    if (round < 2) a = Refit(land.pairs, a, lo, hi);
  }
  if (land.pairs.empty() || land.in_span == 0) return false;
  const double spu = query.seconds_per_unit;
  uint32_t qb = land.pairs.front().first.t, qe = qb;
  for (const auto& pr : land.pairs) {
    qb = std::min(qb, pr.first.t);
    qe = std::max(qe, pr.first.t);
  }
  m->recording_id = rec.id;
  m->matched_peaks = static_cast<int>(land.pairs.size());
  m->score = static_cast<double>(land.pairs.size()) / land.in_span;
  m->votes = c.votes;
  m->query_begin_s = qb * spu;
  m->query_end_s = qe * spu;
  m->reference_begin_s = (a.b + a.st * qb) * spu;
  m->reference_end_s = (a.b + a.st * qe) * spu;
  m->reference_offset_s = a.b * spu;
  m->time_factor = a.st;
  m->pitch_factor = 1 / a.sf;
  m->matched_seconds = m->query_end_s - m->query_begin_s;
  return true;
}

IndexStats Index::Stats() const {
  IndexStats s;
  s.recordings = recordings_.size();
  s.hashes = postings_.size() + pending_.size();
  for (const auto& r : recordings_) {
    s.peaks += r.peaks.size();
    s.seconds += r.duration_s;
    s.bytes += 4 + r.id.size() + 8 + 4 + 8 * r.peaks.size();
  }
  s.bytes += 116 + s.hashes * (4 + sizeof(Posting));  // fixed header and trailer: 116 bytes
  return s;
}

}  // namespace tutti::fp
