#include "signals.h"

#include <cmath>
#include <numbers>
#include <random>

namespace tutti::fp::testing {
namespace {

// Small, portable generator (std::mt19937 is portable; its distributions are not).
struct Lcg {
  uint64_t s;
  double Next() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(s >> 11) * (1.0 / 9007199254740992.0);
  }
};

}  // namespace

std::vector<float> Render(const Piece& p) {
  const double total = p.seconds / p.tempo;
  std::vector<double> y(static_cast<size_t>(total * p.rate_hz), 0.0);
  Lcg rng{p.seed * 0x9E3779B97F4A7C15ull + 7};
  const double two_pi = 2 * std::numbers::pi;
  for (double onset = 0; onset < p.seconds;) {
    const double kind = rng.Next();
    const double dur = 0.12 + 0.5 * rng.Next();
    const double f0 = 110 * std::pow(2.0, 4.0 * rng.Next());  // 110 Hz .. 1760 Hz
    const double glide = kind < 0.15 ? std::pow(2.0, rng.Next() - 0.5) : 1.0;
    const double amp = 0.05 + 0.15 * rng.Next();
    const int harmonics = 1 + static_cast<int>(4 * rng.Next());
    const size_t a = static_cast<size_t>(onset / p.tempo * p.rate_hz);
    const size_t n = static_cast<size_t>(dur / p.tempo * p.rate_hz);
    for (int h = 1; h <= harmonics; ++h) {
      const double ah = amp / h;
      double phase = two_pi * rng.Next();
      for (size_t i = 0; i < n && a + i < y.size(); ++i) {
        const double u = static_cast<double>(i) / n;  // position in the note, 0..1
        const double f = f0 * h * p.pitch * std::pow(glide, u);
        if (f >= p.rate_hz / 2.0) break;
        phase += two_pi * f / p.rate_hz;
        const double env = std::min(1.0, u * 20) * std::exp(-3 * u);
        y[a + i] += ah * env * std::sin(phase);
      }
    }
    onset += 0.04 + 0.25 * rng.Next();
  }
  std::vector<float> out(y.size());
  for (size_t i = 0; i < y.size(); ++i) out[i] = static_cast<float>(std::tanh(y[i]));
  return out;
}

std::vector<float> AddNoise(const std::vector<float>& x, double snr_db, uint32_t seed) {
  double power = 0;
  for (float v : x) power += static_cast<double>(v) * v;
  power /= std::max<size_t>(1, x.size());
  const double sigma = std::sqrt(power / std::pow(10.0, snr_db / 10));
  Lcg rng{seed + 99ull};
  std::vector<float> out(x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    // Sum of 4 uniforms: close enough to Gaussian, unit variance after scaling.
    double g = rng.Next() + rng.Next() + rng.Next() + rng.Next() - 2.0;
    out[i] = static_cast<float>(x[i] + sigma * g * std::sqrt(3.0));
  }
  return out;
}

std::vector<float> Crop(const std::vector<float>& x, int rate_hz, double begin_s, double seconds) {
  const size_t a = std::min(x.size(), static_cast<size_t>(begin_s * rate_hz));
  const size_t b = std::min(x.size(), a + static_cast<size_t>(seconds * rate_hz));
  return std::vector<float>(x.begin() + static_cast<std::ptrdiff_t>(a),
                            x.begin() + static_cast<std::ptrdiff_t>(b));
}

std::vector<float> Boost(const std::vector<float>& x, int rate_hz, double hz) {
  // RBJ peaking EQ, gain +12 dB, Q = 1.
  const double A = std::pow(10.0, 12.0 / 40), w = 2 * std::numbers::pi * hz / rate_hz;
  const double alpha = std::sin(w) / 2;
  const double b0 = 1 + alpha * A, b1 = -2 * std::cos(w), b2 = 1 - alpha * A;
  const double a0 = 1 + alpha / A, a1 = -2 * std::cos(w), a2 = 1 - alpha / A;
  std::vector<float> y(x.size());
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double v = (b0 * x[i] + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2) / a0;
    x2 = x1, x1 = x[i], y2 = y1, y1 = v;
    y[i] = static_cast<float>(v * 0.25);
  }
  return y;
}

}  // namespace tutti::fp::testing
