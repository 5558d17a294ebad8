// The quad hash is invariant to time and frequency scaling (exactly, up to rounding).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "signals.h"
#include "tutti/fingerprint.h"

namespace tutti::fp {
namespace {

Fingerprint Scaled(const Fingerprint& fp, double time, double freq) {
  Fingerprint out = fp;
  for (Peak& p : out.peaks) {
    p.t = static_cast<uint32_t>(std::lround(p.t * time));
    p.f = static_cast<uint32_t>(std::lround(p.f * freq));
  }
  return out;
}

Fingerprint PieceFp() {
  testing::Piece piece;
  piece.seed = 21;
  piece.seconds = 15;
  auto fp = Extract(testing::Render(piece), 8000);
  EXPECT_TRUE(fp.ok());
  return std::move(fp).value();
}

TEST(QuadsTest, HashesFitTheHashSpaceAndGeometryIsConsistent) {
  auto quads = ReferenceQuads(PieceFp());
  ASSERT_GT(quads.size(), 100u);
  const HashOptions o;
  for (const Quad& q : quads) {
    EXPECT_LT(q.hash, kHashSpace);
    EXPECT_GE(q.span_t, o.window_begin_units);
    EXPECT_LE(q.span_t, o.window_end_units);
    EXPECT_GE(q.span_f, o.min_freq_span_units);
  }
}

// The query side (with its wider window and neighbour probes) finds most reference quads
// of the scaled peaks: rounding of peak positions loses some, and a match needs only a
// handful of hits per second (robustness_test checks the whole chain).
TEST(QuadsTest, InvariantToTimeAndFrequencyScaling) {
  const Fingerprint fp = PieceFp();
  std::multiset<uint32_t> original;
  for (const Quad& q : ReferenceQuads(fp)) original.insert(q.hash);
  for (auto [time, freq] : {std::pair{1.1, 1.0}, {1.0, 0.9}, {0.9, 1.1}, {1.1, 1.1}}) {
    SCOPED_TRACE(::testing::Message() << "time x" << time << " freq x" << freq);
    const Fingerprint scaled = Scaled(fp, time, freq);
    std::vector<Quad> probes;
    QueryQuads(scaled, HashOptions{}, &probes);
    std::set<uint32_t> probed;
    for (const Quad& q : probes) probed.insert(q.hash);
    size_t found = 0;
    for (uint32_t h : original) found += probed.count(h);
    EXPECT_GT(static_cast<double>(found) / original.size(), 0.5);
  }
}

TEST(QuadsTest, TooFewPeaksGiveNoQuads) {
  Fingerprint fp;
  fp.peaks = {{0, 800}, {100, 900}, {200, 1000}};
  EXPECT_TRUE(ReferenceQuads(fp).empty());
  std::vector<Quad> probes;
  QueryQuads(fp, HashOptions{}, &probes);
  EXPECT_TRUE(probes.empty());
}

}  // namespace
}  // namespace tutti::fp
