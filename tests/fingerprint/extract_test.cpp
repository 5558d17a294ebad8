#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "signals.h"
#include "tutti/fingerprint.h"

namespace tutti::fp {
namespace {

TEST(ExtractTest, RejectsOtherSampleRates) {
  std::vector<float> x(16000, 0.1f);
  auto fp = Extract(x, 44100);
  ASSERT_FALSE(fp.ok());
  EXPECT_EQ(fp.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(fp.status().message().find("44100"), std::string::npos);
}

TEST(ExtractTest, RejectsBadOptions) {
  ExtractOptions o;
  o.hop = 0;
  EXPECT_FALSE(Extract(std::vector<float>(8000), 8000, o).ok());
  o = {};
  o.max_freq_hz = 5000;  // above Nyquist
  EXPECT_FALSE(Extract(std::vector<float>(8000), 8000, o).ok());
}

TEST(ExtractTest, ShortAndSilentInputsHaveNoPeaks) {
  auto empty = Extract(std::vector<float>{}, 8000);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->peaks.empty());
  auto silent = Extract(std::vector<float>(8000 * 5, 0.0f), 8000);
  ASSERT_TRUE(silent.ok());
  EXPECT_TRUE(silent->peaks.empty());
  EXPECT_DOUBLE_EQ(silent->duration_s, 5.0);
}

TEST(ExtractTest, PureToneGivesPeaksAtItsFrequency) {
  std::vector<float> x(8000 * 3);
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = 0.5f * static_cast<float>(std::sin(2 * std::numbers::pi * 1000.0 * i / 8000));
  }
  auto fp = Extract(x, 8000);
  ASSERT_TRUE(fp.ok());
  ASSERT_FALSE(fp->peaks.empty());
  for (const Peak& p : fp->peaks) EXPECT_NEAR(p.f * fp->hz_per_unit, 1000.0, 4.0);
}

TEST(ExtractTest, PeaksAreSortedBoundedAndDeterministic) {
  testing::Piece piece;
  piece.seed = 11;
  piece.seconds = 12;
  const auto x = testing::Render(piece);
  auto a = Extract(x, 8000);
  auto b = Extract(x, 8000);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->peaks, b->peaks);
  EXPECT_TRUE(std::is_sorted(a->peaks.begin(), a->peaks.end(), [](const Peak& p, const Peak& q) {
    return p.t != q.t ? p.t < q.t : p.f < q.f;
  }));
  const ExtractOptions o;
  EXPECT_GT(a->peaks.size(), 5 * 12u);
  EXPECT_LE(a->peaks.size(), static_cast<size_t>(o.peaks_per_second * 13));
  for (const Peak& p : a->peaks) {
    EXPECT_GE(p.f * a->hz_per_unit, o.min_freq_hz - 8);
    EXPECT_LE(p.f * a->hz_per_unit, o.max_freq_hz + 8);
  }
}

// Long inputs are analysed in chunks; the chunk size must not change a single peak.
TEST(ExtractTest, ChunkingDoesNotChangeThePeaks) {
  testing::Piece piece;
  piece.seed = 12;
  piece.seconds = 40;
  const auto x = testing::Render(piece);
  ExtractOptions whole, small, tiny;
  whole.chunk_blocks = 1000;
  small.chunk_blocks = 3;
  tiny.chunk_blocks = 1;
  auto a = Extract(x, 8000, whole);
  auto b = Extract(x, 8000, small);
  auto c = Extract(x, 8000, tiny);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  ASSERT_GT(a->peaks.size(), 200u);
  EXPECT_EQ(a->peaks, b->peaks);
  EXPECT_EQ(a->peaks, c->peaks);
}

}  // namespace
}  // namespace tutti::fp
