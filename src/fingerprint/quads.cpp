// The hash: quads of spectral peaks whose shape survives time and frequency scaling.
//
// After Sonnleitner & Widmer, "Robust quad-based audio fingerprinting" (IEEE/ACM TASLP
// 2016), simplified so that lookups are exact-key and the index a flat table.
//
//   freq                          For a root peak A, take the next few peaks that start
//    ^        B                   window_begin after A (and at most window_end after it).
//    |   C    *                   Every three of them, in time order C <= D <= B, form a
//    |   *          D             quad (A, C, D, B) with B the latest.
//    |              *
//    | A                          Time:  c_t = (tC - tA) / (tB - tA), d_t likewise.
//    | *                          Freq:  lo, hi = lowest and highest of the four;
//    +---------------------> t           the other two give (f - lo) / (hi - lo).
//
// A time stretch multiplies every time difference by one factor and a pitch shift every
// frequency (bins count from 0 Hz) by another; both cancel in these ratios, so the shape
// (c_t, d_t, which peak is lowest and highest, u, v) is the same for the original and the
// altered copy. Each of the four ratios is quantised to 16 levels, and the pair
// (lowest, highest) is one of 12; the hash packs them into 20 bits (kHashSpace).
//
// Which peaks form quads must not depend on the scaling either. Peaks keep their time
// order under both alterations, so quads are chosen by rank ("the first n peaks after the
// window start"), never by absolute distance, except for the window start itself: the
// query side widens the window by max_scale and takes more peaks (query_points >
// reference_points), so each reference quad is among the query's despite the stretch or a
// few peaks added by noise. The query side also probes the neighbouring level of any
// ratio that lies within lookup_margin of a level boundary, and both choices of lowest
// (highest) peak when two are within lookup_margin of each other.
//
// The geometry kept with each quad (time of A, time span, frequency span and the lowest
// frequency) lets the matcher reject hits whose implied scaling is out of range, and
// estimate the time offset and both scale factors of a match.
#include <algorithm>
#include <array>
#include <cmath>

#include "tutti/fingerprint.h"

namespace tutti::fp {
namespace {

constexpr int kLevels = 16;

int Level(double x) { return std::clamp(static_cast<int>(x * kLevels), 0, kLevels - 1); }

// Levels x may round to: its own, plus a neighbour when within `margin` of an edge.
int Levels(double x, double margin, std::array<int, 2>* out) {
  const int l = Level(x);
  (*out)[0] = l;
  const double pos = x * kLevels - l;
  if (margin > 0 && pos < margin * kLevels && l > 0) {
    (*out)[1] = l - 1;
    return 2;
  }
  if (margin > 0 && pos > 1 - margin * kLevels && l < kLevels - 1) {
    (*out)[1] = l + 1;
    return 2;
  }
  return 1;
}

uint32_t Pack(int ct, int dt, int perm, int u, int v) {
  return static_cast<uint32_t>((((ct * kLevels + dt) * 12 + perm) * kLevels + u) * kLevels + v);
}

int PermCode(int imin, int imax) { return imin * 3 + (imax > imin ? imax - 1 : imax); }

// Emits the hashes of quad (A, C, D, B) = p[0..3]; with margin = 0 exactly one.
template <typename Emit>
void Hashes(const std::array<Peak, 4>& p, const HashOptions& o, double margin, Emit emit) {
  const double span_t = static_cast<double>(p[3].t) - p[0].t;
  if (span_t <= 0) return;
  std::array<double, 4> f;
  for (int i = 0; i < 4; ++i) f[i] = p[i].f;
  std::array<int, 4> order = {0, 1, 2, 3};
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return f[a] < f[b]; });
  const double span_f = f[order[3]] - f[order[0]];
  if (span_f < o.min_freq_span_units) return;

  Quad q;
  q.t_a = p[0].t;
  q.span_t = p[3].t - p[0].t;
  q.span_f = static_cast<uint32_t>(span_f);
  q.f_lo = static_cast<uint32_t>(f[order[0]]);

  std::array<int, 2> cts, dts;
  const int nct = Levels((p[1].t - p[0].t) / span_t, margin, &cts);
  const int ndt = Levels((p[2].t - p[0].t) / span_t, margin, &dts);
  // Candidate lowest / highest peaks (two when nearly tied and margin > 0).
  std::array<int, 2> mins = {order[0], -1}, maxs = {order[3], -1};
  if (margin > 0 && f[order[1]] - f[order[0]] <= margin * span_f) mins[1] = order[1];
  if (margin > 0 && f[order[3]] - f[order[2]] <= margin * span_f) maxs[1] = order[2];
  for (int imin : mins) {
    if (imin < 0) continue;
    for (int imax : maxs) {
      if (imax < 0 || imax == imin) continue;
      std::array<double, 2> rest;
      int k = 0;
      for (int i = 0; i < 4; ++i) {
        if (i != imin && i != imax) {
          rest[k++] = std::clamp((f[i] - f[imin]) / (f[imax] - f[imin]), 0.0, 1.0);
        }
      }
      std::array<int, 2> us, vs;
      const int nu = Levels(rest[0], margin, &us);
      const int nv = Levels(rest[1], margin, &vs);
      const int perm = PermCode(imin, imax);
      for (int a = 0; a < nct; ++a)
        for (int b = 0; b < ndt; ++b)
          for (int c = 0; c < nu; ++c)
            for (int d = 0; d < nv; ++d) {
              q.hash = Pack(cts[a], dts[b], perm, us[c], vs[d]);
              emit(q);
            }
    }
  }
}

// Calls fn(A, C, D, B) for the quads rooted at each peak: the first `points` peaks whose
// distance from the root lies in [begin, end] time units.
template <typename Fn>
void ForEachQuad(const std::vector<Peak>& peaks, uint32_t begin, uint32_t end, int points, Fn fn) {
  std::vector<size_t> sel;
  for (size_t i = 0; i < peaks.size(); ++i) {
    sel.clear();
    for (size_t j = i + 1; j < peaks.size() && static_cast<int>(sel.size()) < points; ++j) {
      const uint32_t dt = peaks[j].t - peaks[i].t;
      if (dt > end) break;
      if (dt >= begin) sel.push_back(j);
    }
    for (size_t x = 0; x < sel.size(); ++x)
      for (size_t y = x + 1; y < sel.size(); ++y)
        for (size_t z = y + 1; z < sel.size(); ++z) {
          fn(std::array<Peak, 4>{peaks[i], peaks[sel[x]], peaks[sel[y]], peaks[sel[z]]});
        }
  }
}

}  // namespace

std::vector<Quad> ReferenceQuads(const Fingerprint& fp, const HashOptions& o) {
  std::vector<Quad> out;
  ForEachQuad(fp.peaks, o.window_begin_units, o.window_end_units, o.reference_points,
              [&](const std::array<Peak, 4>& p) {
                Hashes(p, o, 0.0, [&](const Quad& q) { out.push_back(q); });
              });
  return out;
}

void QueryQuads(const Fingerprint& fp, const HashOptions& o, std::vector<Quad>* out) {
  const auto begin = static_cast<uint32_t>(std::floor(o.window_begin_units / (1 + o.max_scale)));
  const auto end = static_cast<uint32_t>(std::ceil(o.window_end_units * (1 + o.max_scale)));
  ForEachQuad(fp.peaks, begin, end, o.query_points, [&](const std::array<Peak, 4>& p) {
    Hashes(p, o, o.lookup_margin, [&](const Quad& q) { out->push_back(q); });
  });
}

}  // namespace tutti::fp
