// Each robustness claim of the fingerprint at small scale: an index of synthetic pieces,
// queried with altered excerpts of one of them.
#include <gtest/gtest.h>

#include <memory>

#include "signals.h"
#include "tutti/audio.h"
#include "tutti/fingerprint.h"

namespace tutti::fp {
namespace {

using testing::Piece;

constexpr int kRate = 8000;
constexpr int kPieces = 6;

Fingerprint Fp(const std::vector<float>& x) {
  auto fp = Extract(x, kRate);
  EXPECT_TRUE(fp.ok()) << fp.status().message();
  return std::move(fp).value();
}

class RobustnessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    index_ = std::make_unique<Index>();
    for (int i = 0; i < kPieces; ++i) {
      Piece p;
      p.seed = 100 + i;
      ASSERT_TRUE(index_->Add("piece-" + std::to_string(i), Fp(testing::Render(p))).ok());
    }
    index_->Build();
  }
  static void TearDownTestSuite() { index_.reset(); }

  // Expects the top match to be piece 3 with the query starting at `ref_offset_s`.
  static void ExpectFound(const std::vector<float>& query, double ref_offset_s,
                          double time_factor = 1, double pitch_factor = 1) {
    auto res = index_->Query(Fp(query));
    ASSERT_TRUE(res.ok()) << res.status().message();
    ASSERT_FALSE(res->empty()) << "no match";
    const Match& m = res->front();
    EXPECT_EQ(m.recording_id, "piece-3");
    EXPECT_NEAR(m.reference_offset_s, ref_offset_s, 0.25);
    EXPECT_NEAR(m.time_factor, time_factor, 0.02);
    EXPECT_NEAR(m.pitch_factor, pitch_factor, 0.02);
    EXPECT_GT(m.matched_seconds, 2.5);
  }

  static inline std::unique_ptr<Index> index_;
};

std::vector<float> Piece3(double tempo = 1, double pitch = 1) {
  Piece p;
  p.seed = 103;
  p.tempo = tempo;
  p.pitch = pitch;
  return testing::Render(p);
}

TEST_F(RobustnessTest, CleanFiveSecondExcerpt) {
  ExpectFound(testing::Crop(Piece3(), kRate, 7.3, 5), 7.3);
}

TEST_F(RobustnessTest, WhiteNoiseAt10dB) {
  ExpectFound(testing::AddNoise(testing::Crop(Piece3(), kRate, 4, 6), 10, 1), 4);
}

TEST_F(RobustnessTest, WhiteNoiseAt0dB) {
  ExpectFound(testing::AddNoise(testing::Crop(Piece3(), kRate, 4, 8), 0, 2), 4);
}

TEST_F(RobustnessTest, Equalisation) {
  ExpectFound(testing::Boost(testing::Crop(Piece3(), kRate, 9, 6), kRate, 600), 9);
}

// Tempo only: the same score rendered faster or slower, pitch kept.
TEST_F(RobustnessTest, TempoPlusAndMinusTenPercent) {
  for (double tempo : {1.1, 0.9, 1.05}) {
    SCOPED_TRACE(tempo);
    // Reference second 5 is at 5 / tempo in the altered rendering.
    ExpectFound(testing::Crop(Piece3(tempo), kRate, 5 / tempo, 6), 5, tempo, 1);
  }
}

// Pitch only: the same score with every frequency scaled, timing kept.
TEST_F(RobustnessTest, PitchPlusAndMinusTenPercent) {
  for (double pitch : {1.1, 0.9, 0.95}) {
    SCOPED_TRACE(pitch);
    ExpectFound(testing::Crop(Piece3(1, pitch), kRate, 5, 6), 5, 1, pitch);
  }
}

TEST_F(RobustnessTest, PitchAndTempoTogether) {
  ExpectFound(testing::Crop(Piece3(0.9, 1.1), kRate, 5 / 0.9, 6), 5, 0.9, 1.1);
  ExpectFound(testing::Crop(Piece3(1.1, 0.9), kRate, 5 / 1.1, 6), 5, 1.1, 0.9);
}

// Speed: faster playback by resampling (both factors move together), as a sped-up upload.
TEST_F(RobustnessTest, SpeedByResampling) {
  const auto ref = Piece3();
  for (int from : {8800, 7200}) {  // +10%, -10%
    SCOPED_TRACE(from);
    const double speed = from / 8000.0;
    auto fast = audio::Resample(ref, from, kRate);
    ASSERT_TRUE(fast.ok());
    ExpectFound(testing::Crop(*fast, kRate, 6 / speed, 6), 6, speed, speed);
  }
}

TEST_F(RobustnessTest, UnrelatedPiecesDoNotMatch) {
  for (uint32_t seed : {7u, 8u, 9u}) {
    Piece p;
    p.seed = seed;
    auto res = index_->Query(Fp(testing::Crop(testing::Render(p), kRate, 2, 8)));
    ASSERT_TRUE(res.ok());
    EXPECT_TRUE(res->empty()) << "seed " << seed << " matched " << res->front().recording_id
                              << " score " << res->front().score;
  }
}

TEST_F(RobustnessTest, NoiseAloneDoesNotMatch) {
  auto res = index_->Query(Fp(testing::AddNoise(std::vector<float>(8 * kRate, 0.0f), -10, 5)));
  ASSERT_TRUE(res.ok());
  EXPECT_TRUE(res->empty());
}

}  // namespace
}  // namespace tutti::fp
