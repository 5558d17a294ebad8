// What a file may make the decoder do: forged rates and lengths are refused before
// anything is allocated for them (the WAV claiming 1 Hz took 3 GB for 100 KB),
// with errors naming the file and the bound; long files stream through a block at a time.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numbers>

#include "tutti/audio.h"

namespace tutti::audio {
namespace {

namespace fs = std::filesystem;

class DecodeBoundsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tutti_audio_bounds_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // A 16-bit PCM WAV written byte by byte, so that its header can claim anything.
  void WriteRawWav(const std::string& path, uint32_t rate, uint16_t channels,
                   size_t data_bytes) const {
    auto u32 = [](std::string& s, uint32_t v) { s.append(reinterpret_cast<char*>(&v), 4); };
    auto u16 = [](std::string& s, uint16_t v) { s.append(reinterpret_cast<char*>(&v), 2); };
    std::string b = "RIFF";
    u32(b, static_cast<uint32_t>(36 + data_bytes));
    b += "WAVEfmt ";
    u32(b, 16);
    u16(b, 1);  // PCM
    u16(b, channels);
    u32(b, rate);
    u32(b, rate * channels * 2);
    u16(b, static_cast<uint16_t>(channels * 2));
    u16(b, 16);
    b += "data";
    u32(b, static_cast<uint32_t>(data_bytes));
    for (size_t i = 0; i < data_bytes; ++i) b.push_back(static_cast<char>((i * 37) & 0x7f));
    std::ofstream(path, std::ios::binary).write(b.data(), static_cast<std::streamsize>(b.size()));
  }

  // `seconds` of a stereo 440 Hz tone through libsndfile.
  void WriteTone(const std::string& path, int format, int rate, double seconds) const {
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = 2;
    info.format = format;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
    const auto frames = static_cast<size_t>(seconds * rate);
    std::vector<float> x(frames * 2);
    for (size_t i = 0; i < frames; ++i) {
      x[2 * i] = x[2 * i + 1] =
          0.5f * static_cast<float>(std::sin(2 * std::numbers::pi * 440.0 * i / rate));
    }
    sf_writef_float(f, x.data(), static_cast<sf_count_t>(frames));
    sf_close(f);
  }

  fs::path dir_;
};

void ExpectRefused(const Result<Audio>& a, const std::string& path, const std::string& bound) {
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument) << a.status().message();
  EXPECT_NE(a.status().message().find(path), std::string::npos) << a.status().message();
  EXPECT_NE(a.status().message().find(bound), std::string::npos) << a.status().message();
}

// The file: 100 KB of PCM whose header claims 1 Hz.
TEST_F(DecodeBoundsTest, WavClaimingOneHertzIsRefused) {
  const std::string path = Path("one_hz.wav");
  WriteRawWav(path, 1, 1, 100'000);
  auto a = DecodeFile(path);
  ExpectRefused(a, path, "min_source_rate_hz");
  EXPECT_NE(a.status().message().find("sample rate 1 Hz"), std::string::npos);
  // The same under an .mp3 name (the libmpg123 fallback is not a way around it).
  const std::string mp3 = Path("one_hz.mp3");
  fs::copy_file(path, mp3);
  EXPECT_FALSE(DecodeFile(mp3).ok());
}

TEST_F(DecodeBoundsTest, RatesOutsideTheAcceptedRangeAreRefusedByName) {
  const std::string path = Path("fast.wav");
  WriteRawWav(path, 96000, 1, 96000);
  DecodeOptions o;
  o.max_source_rate_hz = 48000;
  ExpectRefused(DecodeFile(path, o), path, "max_source_rate_hz");
  // Inside the range (lowered on purpose) it decodes: 1 s at 2 kHz, x4 to 8 kHz.
  const std::string slow = Path("slow.wav");
  WriteRawWav(slow, 2000, 1, 4000);
  o = {};
  o.min_source_rate_hz = 2000;
  auto a = DecodeFile(slow, o);
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_NEAR(static_cast<double>(a->samples.size()), 8000, 64);
}

TEST_F(DecodeBoundsTest, FileLongerThanTheLimitIsRefusedFromItsHeader) {
  const std::string path = Path("three_seconds.wav");
  WriteTone(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 3);
  DecodeOptions o;
  o.max_duration_s = 2;
  auto a = DecodeFile(path, o);
  ExpectRefused(a, path, "max_duration_s");
  EXPECT_NE(a.status().message().find("header"), std::string::npos) << a.status().message();
  // Reading only its beginning is within the bound: no error, and the rest is not read.
  o.max_seconds = 1;
  auto head = DecodeFile(path, o);
  ASSERT_TRUE(head.ok()) << head.status().message();
  EXPECT_EQ(head->samples.size(), 8000u);
  // A beginning longer than the bound is still too long.
  o.max_seconds = 2.5;
  ExpectRefused(DecodeFile(path, o), path, "max_duration_s");
  // Exactly at the bound is allowed.
  o = {};
  o.max_duration_s = 3;
  EXPECT_TRUE(DecodeFile(path, o).ok());
}

// A FLAC whose STREAMINFO says "length unknown" (total samples 0, as a live encoder
// writes): the bound is enforced while decoding instead, and decoding stops there.
TEST_F(DecodeBoundsTest, StreamOfUnknownLengthStopsAtTheLimit) {
  const std::string path = Path("unknown_length.flac");
  WriteTone(path, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 8000, 4);
  {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    char b[26];
    f.read(b, sizeof b);
    ASSERT_EQ(std::memcmp(b, "fLaC", 4), 0);
    b[21] = static_cast<char>(b[21] & 0xF0);  // low 36 bits of bytes 18..25: total samples
    std::memset(b + 22, 0, 4);
    f.seekp(0);
    f.write(b, sizeof b);
  }
  SF_INFO info{};
  SNDFILE* sf = sf_open(path.c_str(), SFM_READ, &info);
  ASSERT_NE(sf, nullptr);
  sf_close(sf);
  const bool length_unknown = info.frames <= 0 || info.frames >= SF_COUNT_MAX / 2;
  ASSERT_TRUE(length_unknown) << "libsndfile still reports " << info.frames << " frames";
  DecodeOptions o;
  o.max_duration_s = 2;
  o.block_samples = 1024;
  auto a = DecodeFile(path, o);
  ExpectRefused(a, path, "max_duration_s");
  EXPECT_NE(a.status().message().find("decoded so far"), std::string::npos);
  o.max_duration_s = 10;
  auto whole = DecodeFile(path, o);
  ASSERT_TRUE(whole.ok()) << whole.status().message();
  EXPECT_NEAR(whole->source_seconds, 4, 0.01);
}

// The decoder holds one block of input, never the file at its own rate: a 30 s stereo
// 44.1 kHz file (2.6 M samples) decodes holding at most 4096, the output is allocated
// once at the target rate, and the result does not depend on the block size.
TEST_F(DecodeBoundsTest, LongFilesStreamThroughOneBlock) {
  for (const char* name : {"long.wav", "long.flac"}) {
    SCOPED_TRACE(name);
    const std::string path = Path(name);
    const int format = std::string(name).ends_with(".wav") ? SF_FORMAT_WAV | SF_FORMAT_PCM_16
                                                           : SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    WriteTone(path, format, 44100, 30);
    DecodeOptions small;
    small.block_samples = 4096;
    auto a = DecodeFile(path, small);
    ASSERT_TRUE(a.ok()) << a.status().message();
    EXPECT_LE(a->peak_input_samples, 4096u);
    EXPECT_NEAR(static_cast<double>(a->samples.size()), 30 * 8000, 16);
    // Allocated for the output (plus slack), not for the input nor doubled while growing.
    EXPECT_LT(a->samples.capacity(), a->samples.size() + 4096);
    DecodeOptions big;
    big.block_samples = 1 << 20;
    auto b = DecodeFile(path, big);
    ASSERT_TRUE(b.ok());
    EXPECT_GT(b->peak_input_samples, 4096u);
    ASSERT_EQ(a->samples.size(), b->samples.size());
    EXPECT_EQ(a->samples, b->samples);
  }
}

TEST_F(DecodeBoundsTest, OptionsWithoutBoundsAreRefused) {
  const std::string path = Path("a.wav");
  WriteRawWav(path, 8000, 1, 1600);
  auto with = [&](auto change) {
    DecodeOptions o;
    change(o);
    return DecodeFile(path, o);
  };
  ExpectRefused(with([](auto& o) { o.max_duration_s = 0; }), path, "max_duration_s");
  ExpectRefused(with([](auto& o) { o.max_duration_s = std::numeric_limits<double>::infinity(); }),
                path, "max_duration_s");
  ExpectRefused(with([](auto& o) { o.max_seconds = std::nan(""); }), path, "max_seconds");
  // A forged index header once asked the query's decoder for 1e9 Hz.
  ExpectRefused(with([](auto& o) { o.target_rate_hz = 1'000'000'000; }), path, "target_rate_hz");
  ExpectRefused(with([](auto& o) { o.min_source_rate_hz = 1; }), path, "source rates");
  ExpectRefused(with([](auto& o) { o.block_samples = 0; }), path, "block_samples");
  EXPECT_TRUE(with([](auto&) {}).ok());
}

TEST(ResampleBoundsTest, AbsurdRatiosAreRefusedNotAllocated) {
  std::vector<float> x(1'000'000, 0.1f);
  auto y = Resample(x, 1, 384000);  // would be 3.84e11 samples
  EXPECT_EQ(y.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(Resample(x, 8000, 1'000'000'000).ok());
  auto small = Resample(std::vector<float>(10, 0.1f), 1, 8000);
  ASSERT_TRUE(small.ok());
  EXPECT_NEAR(static_cast<double>(small->size()), 80000, 16);
}

}  // namespace
}  // namespace tutti::audio
