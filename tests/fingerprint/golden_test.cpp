// Pins the fingerprint of a fixed input bit for bit: peaks and reference hashes of a
// seeded synthetic piece, compared with tests/data/audio/golden_fingerprint.txt.
// Regenerate deliberately (after an intended algorithm change) with
//   TUTTI_UPDATE_GOLDEN=1 ./fingerprint_test --gtest_filter='GoldenTest.*'
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "signals.h"
#include "tutti/fingerprint.h"

namespace tutti::fp {
namespace {

std::string Describe() {
  testing::Piece p;
  p.seed = 42;
  p.seconds = 6;
  auto fp = Extract(testing::Render(p), 8000);
  EXPECT_TRUE(fp.ok());
  std::ostringstream out;
  out << "# tutti fingerprint golden file: seed 42, 6 s, default options\n";
  out << "peaks " << fp->peaks.size() << "\n";
  for (const Peak& pk : fp->peaks) out << pk.t << ' ' << pk.f << "\n";
  auto quads = ReferenceQuads(*fp);
  out << "quads " << quads.size() << "\n";
  for (const Quad& q : quads) {
    out << q.hash << ' ' << q.t_a << ' ' << q.span_t << ' ' << q.span_f << ' ' << q.f_lo << "\n";
  }
  return out.str();
}

TEST(GoldenTest, FingerprintOfFixedInputIsPinned) {
  const std::string path = std::string(TUTTI_TEST_DATA) + "/audio/golden_fingerprint.txt";
  const std::string now = Describe();
  if (const char* u = std::getenv("TUTTI_UPDATE_GOLDEN"); u != nullptr && std::string(u) == "1") {
    std::ofstream(path) << now;
    GTEST_SKIP() << "golden file rewritten: " << path;
  }
  std::ifstream in(path);
  ASSERT_TRUE(in) << "missing golden file " << path;
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(now, want.str())
      << "the fingerprint changed; if intended, regenerate (see top of file)";
}

}  // namespace
}  // namespace tutti::fp
