// Deterministic synthetic "music" for the fingerprint tests: notes with harmonics and
// envelopes, glides and noise bursts, rendered from a seeded score so that the same piece
// can be rendered faster (tempo) or higher (pitch) exactly.
#ifndef TUTTI_TESTS_FINGERPRINT_SIGNALS_H_
#define TUTTI_TESTS_FINGERPRINT_SIGNALS_H_

#include <cstdint>
#include <vector>

namespace tutti::fp::testing {

struct Piece {
  uint32_t seed = 1;    // different seeds give unrelated pieces
  double seconds = 20;  // length of the score (before tempo)
  double tempo = 1.0;   // 1.1: every event 10% earlier and shorter (pitch kept)
  double pitch = 1.0;   // 1.1: every frequency 10% higher (timing kept)
  int rate_hz = 8000;
};

std::vector<float> Render(const Piece& piece);

// Adds white noise so that the signal-to-noise ratio is `snr_db` (seeded).
std::vector<float> AddNoise(const std::vector<float>& x, double snr_db, uint32_t seed);

// A copy of x[begin_s, begin_s + seconds) at `rate_hz`.
std::vector<float> Crop(const std::vector<float>& x, int rate_hz, double begin_s, double seconds);

// A two-pole resonant equaliser: +12 dB around `hz`, a crude "EQ" alteration.
std::vector<float> Boost(const std::vector<float>& x, int rate_hz, double hz);

}  // namespace tutti::fp::testing

#endif  // TUTTI_TESTS_FINGERPRINT_SIGNALS_H_
