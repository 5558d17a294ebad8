// Forged index files: the checksum is unkeyed, so a forger recomputes it. Every header
// field and count is checked on its own and a bad one is a Corruption naming it; before
// this, a sample rate of 1e9 in the header made `fp query` abort.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>

#include "signals.h"
#include "tutti/fingerprint.h"

namespace tutti::fp {
namespace {

// The bytes of a well-formed index (correct checksum) built with these options.
std::string Forge(const ExtractOptions& e, const HashOptions& h, const Fingerprint* fp = nullptr) {
  Index index(e, h);
  if (fp != nullptr) {
    EXPECT_TRUE(index.Add("rec", *fp).ok());
  }
  index.Build();
  auto bytes = index.Serialize();
  EXPECT_TRUE(bytes.ok());
  return bytes.ok() ? *bytes : std::string();
}

void ExpectCorruptionNaming(const std::string& bytes, const std::string& field) {
  auto index = Index::Deserialize(bytes);
  ASSERT_FALSE(index.ok()) << "forged " << field << " was accepted";
  EXPECT_EQ(index.status().code(), StatusCode::kCorruption);
  EXPECT_NE(index.status().message().find(field), std::string::npos) << index.status().message();
}

struct Forgery {
  const char* field;
  std::function<void(ExtractOptions&, HashOptions&)> forge;
};

TEST(IndexHeaderTest, EveryAbsurdHeaderFieldIsNamed) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<Forgery> forgeries = {
      {"sample_rate_hz", [](auto& e, auto&) { e.sample_rate_hz = 1'000'000'000; }},
      {"sample_rate_hz", [](auto& e, auto&) { e.sample_rate_hz = 1; }},
      {"sample_rate_hz", [](auto& e, auto&) { e.sample_rate_hz = -8000; }},
      {"fft_size", [](auto& e, auto&) { e.fft_size = 1 << 30; }},
      {"fft_size", [](auto& e, auto&) { e.fft_size = 1023; }},
      {"hop", [](auto& e, auto&) { e.hop = 0; }},
      {"hop", [](auto& e, auto&) { e.hop = 4096; }},
      {"neighbourhood_frames", [](auto& e, auto&) { e.neighbourhood_frames = 1 << 30; }},
      {"neighbourhood_bins", [](auto& e, auto&) { e.neighbourhood_bins = -1; }},
      {"block_frames", [](auto& e, auto&) { e.block_frames = 0; }},
      {"max_freq_hz", [](auto& e, auto&) { e.max_freq_hz = 1e9; }},
      {"max_freq_hz", [=](auto& e, auto&) { e.max_freq_hz = nan; }},
      {"min_freq_hz", [](auto& e, auto&) { e.min_freq_hz = -5; }},
      {"min_freq_hz", [](auto& e, auto&) { e.min_freq_hz = e.max_freq_hz; }},
      {"peaks_per_second", [=](auto& e, auto&) { e.peaks_per_second = inf; }},
      {"peaks_per_second", [](auto& e, auto&) { e.peaks_per_second = 0; }},
      {"window_end_units", [](auto&, auto& h) { h.window_end_units = 0xFFFFFFFF; }},
      {"window_begin_units", [](auto&, auto& h) { h.window_begin_units = h.window_end_units; }},
      {"reference_points", [](auto&, auto& h) { h.reference_points = 1'000'000; }},
      {"query_points", [](auto&, auto& h) { h.query_points = -3; }},
      {"max_scale", [](auto&, auto& h) { h.max_scale = 1e300; }},
      {"max_scale", [=](auto&, auto& h) { h.max_scale = nan; }},
      {"min_freq_span_units", [](auto&, auto& h) { h.min_freq_span_units = 0xFFFFFFFF; }},
      {"lookup_margin", [](auto&, auto& h) { h.lookup_margin = -0.1; }},
  };
  for (const Forgery& f : forgeries) {
    ExtractOptions e;
    HashOptions h;
    f.forge(e, h);
    ExpectCorruptionNaming(Forge(e, h), f.field);
  }
  // The defaults themselves pass.
  EXPECT_TRUE(Index::Deserialize(Forge({}, {})).ok());
}

// Offsets in the version-2 header (see index_io.cpp).
constexpr size_t kRecordingCountOffset = 96;

TEST(IndexHeaderTest, AbsurdCountsAreMeasuredAgainstTheFileSize) {
  const std::string good = Forge({}, {});
  uint32_t count = 0;
  std::memcpy(&count, good.data() + kRecordingCountOffset, 4);
  ASSERT_EQ(count, 0u);  // the layout this test assumes
  for (uint32_t forged : {0xFFFFFFFFu, 1'000'000u, 2u}) {
    std::string bad = good;
    std::memcpy(bad.data() + kRecordingCountOffset, &forged, 4);
    ExpectCorruptionNaming(bad, "recording count");
  }
  // A posting count that disagrees with the bytes that follow.
  std::string bad = good;
  const uint64_t postings = uint64_t{1} << 60;
  std::memcpy(bad.data() + kRecordingCountOffset + 4, &postings, 8);
  ExpectCorruptionNaming(bad, "posting count");
}

TEST(IndexHeaderTest, AbsurdRecordingFieldsAreNamed) {
  testing::Piece p;
  p.seconds = 3;
  auto fp = Extract(testing::Render(p), 8000);
  ASSERT_TRUE(fp.ok());
  for (double seconds : {std::numeric_limits<double>::quiet_NaN(), -1.0, 1e300}) {
    Fingerprint forged = *fp;
    forged.duration_s = seconds;
    ExpectCorruptionNaming(Forge({}, {}, &forged), "duration");
  }
  Fingerprint high = *fp;
  high.peaks.back().f = 0xFFFFFFF0u;
  ExpectCorruptionNaming(Forge({}, {}, &high), "above the spectrum");
}

TEST(IndexHeaderTest, LoadAndReadOptionsNameTheFileAndTheField) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("tutti_fp_header_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "forged.fpidx").string();
  ExtractOptions e;
  e.sample_rate_hz = 1'000'000'000;  // the forgery
  {
    std::ofstream out(path, std::ios::binary);
    out << Forge(e, {});
  }
  for (const Status& s : {LoadIndex(path).status(), ReadIndexOptions(path).status()}) {
    EXPECT_EQ(s.code(), StatusCode::kCorruption);
    EXPECT_NE(s.message().find(path), std::string::npos) << s.message();
    EXPECT_NE(s.message().find("sample_rate_hz"), std::string::npos) << s.message();
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tutti::fp
