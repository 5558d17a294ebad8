// The decoding adapter: every format the issue names, mono mixdown, resampling, and a
// clear error (naming the file) for every kind of bad input. Test audio is generated here.
#include <gtest/gtest.h>
#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

#include "tutti/audio.h"

// libsndfile 1.2's Ogg/Vorbis reader leaks its vorbis_info when it rejects a damaged
// header (inside libvorbis's vorbis_info_init); not ours to free. Tell LeakSanitizer.
extern "C" const char* __lsan_default_suppressions() { return "leak:vorbis_info_init\n"; }

namespace tutti::audio {
namespace {

namespace fs = std::filesystem;

class DecodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tutti_audio_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes 2 s of a stereo 440 Hz tone (right channel at half level). False if this
  // libsndfile cannot write the format.
  bool WriteTone(const std::string& path, int format, int rate) {
    SF_INFO info{};
    info.samplerate = rate;
    info.channels = 2;
    info.format = format;
    if (!sf_format_check(&info)) return false;
    SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
    if (f == nullptr) return false;
    std::vector<float> x(static_cast<size_t>(2 * rate) * 2);
    for (size_t i = 0; i < x.size() / 2; ++i) {
      const float v = 0.5f * static_cast<float>(std::sin(2 * std::numbers::pi * 440.0 * i / rate));
      x[2 * i] = v;
      x[2 * i + 1] = 0.5f * v;
    }
    sf_writef_float(f, x.data(), static_cast<sf_count_t>(x.size() / 2));
    sf_close(f);
    return true;
  }

  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

// Frequency from zero crossings.
double Frequency(const std::vector<float>& x, int rate) {
  int crossings = 0;
  for (size_t i = 1; i < x.size(); ++i) crossings += (x[i - 1] < 0) != (x[i] < 0);
  return crossings / 2.0 / (static_cast<double>(x.size()) / rate);
}

void ExpectTone(const Result<Audio>& a, double seconds) {
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->sample_rate_hz, 8000);
  EXPECT_EQ(a->source_channels, 2);
  EXPECT_NEAR(a->source_seconds, seconds, 0.1);
  EXPECT_NEAR(static_cast<double>(a->samples.size()) / 8000, seconds, 0.1);
  // The middle second: mono mix of L and R/2 = 0.375 peak, 440 Hz.
  std::vector<float> mid(a->samples.begin() + 4000, a->samples.begin() + 12000);
  EXPECT_NEAR(Frequency(mid, 8000), 440, 5);
  float peak = 0;
  for (float v : mid) peak = std::max(peak, std::abs(v));
  EXPECT_NEAR(peak, 0.375, 0.05);
}

TEST_F(DecodeTest, Wav) {
  ASSERT_TRUE(WriteTone(Path("a.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100));
  ExpectTone(DecodeFile(Path("a.wav")), 2.0);
}

TEST_F(DecodeTest, Flac) {
  ASSERT_TRUE(WriteTone(Path("a.flac"), SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 48000));
  ExpectTone(DecodeFile(Path("a.flac")), 2.0);
}

TEST_F(DecodeTest, OggVorbis) {
  ASSERT_TRUE(WriteTone(Path("a.ogg"), SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100));
  ExpectTone(DecodeFile(Path("a.ogg")), 2.0);
}

TEST_F(DecodeTest, Opus) {
  if (!WriteTone(Path("a.opus"), SF_FORMAT_OGG | SF_FORMAT_OPUS, 48000)) {
    GTEST_SKIP() << "this libsndfile cannot write Opus";
  }
  ExpectTone(DecodeFile(Path("a.opus")), 2.0);
}

TEST_F(DecodeTest, Mp3) {
  if (!WriteTone(Path("a.mp3"), SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 44100)) {
    GTEST_SKIP() << "this libsndfile cannot write MP3";
  }
  auto a = DecodeFile(Path("a.mp3"));
  ASSERT_TRUE(a.ok()) << a.status().message();
  // MP3 adds encoder delay and padding: check the tone, not the exact length.
  EXPECT_NEAR(a->source_seconds, 2.0, 0.2);
  std::vector<float> mid(a->samples.begin() + 4000, a->samples.begin() + 12000);
  EXPECT_NEAR(Frequency(mid, 8000), 440, 5);
}

TEST_F(DecodeTest, KeepsRateWhenAskedAndStopsAtMaxSeconds) {
  ASSERT_TRUE(WriteTone(Path("a.wav"), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 22050));
  DecodeOptions o;
  o.target_rate_hz = 0;
  o.max_seconds = 1;
  auto a = DecodeFile(Path("a.wav"), o);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->sample_rate_hz, 22050);
  EXPECT_EQ(a->samples.size(), 22050u);
}

TEST_F(DecodeTest, MissingFile) {
  auto a = DecodeFile(Path("nope.wav"));
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kNotFound);
  EXPECT_NE(a.status().message().find("nope.wav"), std::string::npos);
}

TEST_F(DecodeTest, EmptyFile) {
  std::ofstream(Path("empty.ogg")).close();
  auto a = DecodeFile(Path("empty.ogg"));
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("empty.ogg"), std::string::npos);
  EXPECT_NE(a.status().message().find("empty"), std::string::npos);
}

TEST_F(DecodeTest, UnsupportedFile) {
  std::ofstream(Path("notes.mp3")) << "this is not audio at all, just text\n";
  auto a = DecodeFile(Path("notes.mp3"));
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("notes.mp3"), std::string::npos);
}

TEST_F(DecodeTest, DirectoryIsNotAFile) {
  auto a = DecodeFile(dir_.string());
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find(dir_.string()), std::string::npos);
}

// Truncated and damaged files of every format: an error naming the file, or (when the
// damage leaves a decodable prefix) fewer samples; never a crash.
TEST_F(DecodeTest, TruncatedAndCorruptFilesNeverCrash) {
  const std::pair<const char*, int> formats[] = {
      {"t.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16},
      {"t.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16},
      {"t.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS},
  };
  for (const auto& [name, format] : formats) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(WriteTone(Path(name), format, 44100));
    std::string bytes;
    {
      std::ifstream in(Path(name), std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    for (size_t keep : {size_t{10}, size_t{60}, bytes.size() / 2}) {
      const std::string cut = Path(std::string("cut_") + std::to_string(keep) + "_" + name);
      std::ofstream(cut, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(keep));
      auto a = DecodeFile(cut);
      if (!a.ok()) {
        EXPECT_NE(a.status().message().find(cut), std::string::npos) << a.status().message();
      } else {
        EXPECT_LT(a->source_seconds, 2.0);
      }
    }
    std::string garbled = bytes;
    for (size_t i = bytes.size() / 4; i < bytes.size(); i += 7)
      garbled[i] = static_cast<char>(i * 31);
    const std::string bad = Path(std::string("garbled_") + name);
    std::ofstream(bad, std::ios::binary)
        .write(garbled.data(), static_cast<std::streamsize>(garbled.size()));
    auto a = DecodeFile(bad);
    if (!a.ok()) {
      EXPECT_NE(a.status().message().find(bad), std::string::npos);
    }
  }
}

TEST(ResampleTest, ChangesLengthKeepsFrequency) {
  std::vector<float> x(44100);
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = static_cast<float>(std::sin(2 * std::numbers::pi * 1000.0 * i / 44100));
  }
  auto y = Resample(x, 44100, 8000);
  ASSERT_TRUE(y.ok());
  EXPECT_NEAR(static_cast<double>(y->size()), 8000, 2);
  EXPECT_NEAR(Frequency(*y, 8000), 1000, 5);
  EXPECT_FALSE(Resample(x, 0, 8000).ok());
  auto same = Resample(x, 8000, 8000);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->size(), x.size());
}

TEST(WriteWavTest, RoundTrips) {
  const auto path =
      (fs::temp_directory_path() / ("tutti_ww_" + std::to_string(::getpid()) + ".wav")).string();
  std::vector<float> x(800, 0.25f);
  ASSERT_TRUE(WriteWav(path, x, 8000).ok());
  auto a = DecodeFile(path);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->samples.size(), 800u);
  EXPECT_NEAR(a->samples[400], 0.25f, 1e-3);
  fs::remove(path);
  EXPECT_FALSE(WriteWav("/nonexistent-dir/x.wav", x, 8000).ok());
}

}  // namespace
}  // namespace tutti::audio
