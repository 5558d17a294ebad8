// Peak extraction: mono samples -> spectral peaks.
//
//   samples ─► Hann window, FFT (fft_size, hop) ─► power spectrogram P[frame][bin]
//           ─► local maxima: P[t][f] is the largest value in the rectangle
//              [t ± neighbourhood_frames] x [f ± neighbourhood_bins]
//           ─► density limit: in each block of block_frames frames keep the strongest
//              peaks_per_second * block seconds maxima (loud, tonal peaks survive noise)
//           ─► parabolic interpolation of log power in time and in frequency, so that
//              peak positions are finer than a frame and a bin (a 5% pitch shift of a
//              300 Hz tone moves it by 2 bins; the quad geometry needs sub-bin accuracy)
//
// Frequencies are absolute (bin 0 = 0 Hz): a pitch shift multiplies them by one factor,
// which is what makes the quad hash invariant to it.
#include <kissfft/kiss_fftr.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <vector>

#include "tutti/fingerprint.h"

namespace tutti::fp {
namespace {

struct KissDeleter {
  void operator()(kiss_fftr_cfg cfg) const { kiss_fftr_free(cfg); }
};
using KissPtr = std::unique_ptr<std::remove_pointer_t<kiss_fftr_cfg>, KissDeleter>;

Status Validate(const ExtractOptions& o) {
  if (o.sample_rate_hz <= 0 || o.fft_size < 64 || o.fft_size % 2 != 0 || o.hop <= 0 ||
      o.hop > o.fft_size) {
    return Status::Invalid("extract options: need rate > 0, even fft_size >= 64, 0 < hop <= fft");
  }
  if (o.min_freq_hz < 0 || o.max_freq_hz <= o.min_freq_hz ||
      o.max_freq_hz > o.sample_rate_hz / 2.0) {
    return Status::Invalid("extract options: need 0 <= min_freq < max_freq <= rate / 2");
  }
  if (o.neighbourhood_frames < 1 || o.neighbourhood_bins < 1 || o.peaks_per_second <= 0 ||
      o.block_frames < 1 || o.chunk_blocks < 1) {
    return Status::Invalid("extract options: neighbourhoods, density and block must be > 0");
  }
  return Status::Ok();
}

// Sliding maximum of width 2r+1 over n values spaced `stride` apart (van Herk / Gil-Werman:
// three comparisons per value whatever r is). Out-of-range positions are ignored.
void SlidingMax(const float* in, float* out, int n, int stride, int r, std::vector<float>& g,
                std::vector<float>& h) {
  const int w = 2 * r + 1;
  g.resize(n);
  h.resize(n);
  for (int i = 0; i < n; ++i) {
    float v = in[static_cast<size_t>(i) * stride];
    g[i] = (i % w == 0) ? v : std::max(g[i - 1], v);
  }
  for (int i = n - 1; i >= 0; --i) {
    float v = in[static_cast<size_t>(i) * stride];
    h[i] = (i == n - 1 || (i + 1) % w == 0) ? v : std::max(h[i + 1], v);
  }
  for (int i = 0; i < n; ++i) {
    int lo = std::max(0, i - r), hi = std::min(n - 1, i + r);
    out[static_cast<size_t>(i) * stride] = std::max(h[lo], g[hi]);
  }
}

// Offset in (-0.5, 0.5) of the vertex of the parabola through (-1,a), (0,b), (1,c).
float Vertex(float a, float b, float c) {
  float den = a - 2 * b + c;
  if (den >= 0) return 0;  // not a maximum (flat or convex)
  return std::clamp(0.5f * (a - c) / den, -0.5f, 0.5f);
}

}  // namespace

Result<Fingerprint> Extract(std::span<const float> samples, int sample_rate_hz,
                            const ExtractOptions& o) {
  TUTTI_RETURN_IF_ERROR(Validate(o));
  if (sample_rate_hz != o.sample_rate_hz) {
    return Status::Invalid("samples are at " + std::to_string(sample_rate_hz) +
                           " Hz, fingerprinting needs " + std::to_string(o.sample_rate_hz) +
                           " Hz (resample first)");
  }
  Fingerprint fp;
  fp.seconds_per_unit = static_cast<double>(o.hop) / o.sample_rate_hz / kTimeUnitsPerFrame;
  fp.hz_per_unit = static_cast<double>(o.sample_rate_hz) / o.fft_size / kFreqUnitsPerBin;
  fp.duration_s = static_cast<double>(samples.size()) / o.sample_rate_hz;
  const size_t n = samples.size();
  if (n < static_cast<size_t>(o.fft_size)) return fp;
  const int frames = static_cast<int>((n - o.fft_size) / o.hop + 1);
  const double bin_hz = static_cast<double>(o.sample_rate_hz) / o.fft_size;
  const int b0 = std::max(1, static_cast<int>(std::ceil(o.min_freq_hz / bin_hz)));
  const int b1 = std::min(o.fft_size / 2 - 1, static_cast<int>(std::floor(o.max_freq_hz / bin_hz)));
  const int nb = b1 - b0 + 1;

  KissPtr cfg(kiss_fftr_alloc(o.fft_size, 0, nullptr, nullptr));
  if (!cfg) {
    return Status::Internal("kissfft: cannot allocate an FFT of " + std::to_string(o.fft_size));
  }
  std::vector<float> window(o.fft_size), frame(o.fft_size);
  for (int i = 0; i < o.fft_size; ++i) {
    window[i] = static_cast<float>(0.5 - 0.5 * std::cos(2 * std::numbers::pi * i / o.fft_size));
  }
  std::vector<kiss_fft_cpx> spec(o.fft_size / 2 + 1);
  const double block_s = static_cast<double>(o.block_frames) * o.hop / o.sample_rate_hz;
  const size_t keep =
      std::max<size_t>(1, static_cast<size_t>(std::lround(o.peaks_per_second * block_s)));
  const int r = o.neighbourhood_frames;
  constexpr float kFloor = 1e-9f;  // about -90 dBFS per bin: silence has no peaks
  struct Cand {
    int t, b;
    float p;
  };

  // Chunks of whole density blocks, each with r + 1 frames of context on both sides, give
  // exactly the peaks of the whole spectrogram at a memory cost bounded by the chunk.
  const int chunk = o.block_frames * o.chunk_blocks;
  std::vector<float> power, maxf, maxtf, g, h;
  std::vector<Cand> cands;
  for (int c0 = 0; c0 < frames; c0 += chunk) {
    const int c1 = std::min(frames, c0 + chunk);
    const int f0 = std::max(0, c0 - r - 1), f1 = std::min(frames, c1 + r + 1);
    const int rows = f1 - f0;
    auto row_of = [&](int t) { return static_cast<size_t>(t - f0) * nb; };

    // Power spectrogram over bins [b0, b1], one row per frame of [f0, f1).
    power.resize(static_cast<size_t>(rows) * nb);
    for (int t = f0; t < f1; ++t) {
      const float* x = samples.data() + static_cast<size_t>(t) * o.hop;
      for (int i = 0; i < o.fft_size; ++i) frame[i] = x[i] * window[i];
      kiss_fftr(cfg.get(), frame.data(), spec.data());
      float* row = power.data() + row_of(t);
      for (int b = 0; b < nb; ++b) {
        const kiss_fft_cpx& c = spec[b0 + b];
        row[b] = c.r * c.r + c.i * c.i;
      }
    }
    // Local maxima by a separable max filter: along frequency, then along time, row by row
    // (contiguous element-wise maxima vectorise and stay in cache; a per-bin pass would not).
    maxf.resize(power.size());
    maxtf.resize(power.size());
    for (int t = f0; t < f1; ++t) {
      SlidingMax(power.data() + row_of(t), maxf.data() + row_of(t), nb, 1, o.neighbourhood_bins, g,
                 h);
    }
    for (int t = c0; t < c1; ++t) {
      float* out = maxtf.data() + row_of(t);
      const int lo = std::max(0, t - r), hi = std::min(frames - 1, t + r);
      std::copy_n(maxf.data() + row_of(lo), nb, out);
      for (int u = lo + 1; u <= hi; ++u) {
        const float* row = maxf.data() + row_of(u);
        for (int b = 0; b < nb; ++b) out[b] = std::max(out[b], row[b]);
      }
    }
    // Interior only, so that interpolation has both neighbours; in time order.
    cands.clear();
    for (int t = std::max(c0, 1); t < c1 && t + 1 < frames; ++t) {
      const size_t off = row_of(t);
      for (int b = 1; b + 1 < nb; ++b) {
        const float p = power[off + b];
        if (p > kFloor && p == maxtf[off + b]) cands.push_back({t, b, p});
      }
    }
    // Density limit per block (blocks never straddle chunks), then interpolation.
    auto lp = [&](int t, int b) { return std::log(power[row_of(t) + b] + 1e-20f); };
    for (size_t i = 0; i < cands.size();) {
      const int block = cands[i].t / o.block_frames;
      size_t j = i;
      while (j < cands.size() && cands[j].t / o.block_frames == block) ++j;
      auto first = cands.begin() + i, last = cands.begin() + j;
      if (j - i > keep) {
        std::nth_element(first, first + keep, last,
                         [](const Cand& a, const Cand& b) { return a.p > b.p; });
        last = first + keep;
      }
      for (auto c = first; c != last; ++c) {
        const float dt = Vertex(lp(c->t - 1, c->b), lp(c->t, c->b), lp(c->t + 1, c->b));
        const float df = Vertex(lp(c->t, c->b - 1), lp(c->t, c->b), lp(c->t, c->b + 1));
        Peak pk;
        pk.t = static_cast<uint32_t>(std::lround((c->t + dt) * kTimeUnitsPerFrame));
        pk.f = static_cast<uint32_t>(std::lround((b0 + c->b + df) * kFreqUnitsPerBin));
        fp.peaks.push_back(pk);
      }
      i = j;
    }
  }
  std::sort(fp.peaks.begin(), fp.peaks.end(),
            [](const Peak& a, const Peak& b) { return a.t != b.t ? a.t < b.t : a.f < b.f; });
  return fp;
}

}  // namespace tutti::fp
