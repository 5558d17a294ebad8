#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include "signals.h"
#include "tutti/fingerprint.h"

namespace tutti::fp {
namespace {

constexpr int kRate = 8000;

std::vector<float> PieceAudio(uint32_t seed, double seconds = 12) {
  testing::Piece p;
  p.seed = seed;
  p.seconds = seconds;
  return testing::Render(p);
}

Fingerprint Fp(const std::vector<float>& x) {
  auto fp = Extract(x, kRate);
  EXPECT_TRUE(fp.ok());
  return std::move(fp).value();
}

Fingerprint Excerpt(uint32_t seed, double begin = 3, double seconds = 5) {
  return Fp(testing::Crop(PieceAudio(seed), kRate, begin, seconds));
}

std::string TopId(const Index& index, const Fingerprint& q) {
  auto res = index.Query(q);
  EXPECT_TRUE(res.ok()) << res.status().message();
  return res.ok() && !res->empty() ? res->front().recording_id : "";
}

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (uint32_t s : {1u, 2u, 3u})
      ASSERT_TRUE(index_.Add("rec-" + std::to_string(s), Fp(PieceAudio(s))).ok());
    index_.Build();
  }
  Index index_;
};

TEST_F(IndexTest, FindsEachRecordingWithAlignment) {
  for (uint32_t s : {1u, 2u, 3u}) {
    auto res = index_.Query(Excerpt(s, 4.5));
    ASSERT_TRUE(res.ok());
    ASSERT_FALSE(res->empty());
    const Match& m = res->front();
    EXPECT_EQ(m.recording_id, "rec-" + std::to_string(s));
    EXPECT_NEAR(m.reference_offset_s, 4.5, 0.05);
    EXPECT_NEAR(m.time_factor, 1.0, 0.01);
    EXPECT_NEAR(m.pitch_factor, 1.0, 0.01);
    EXPECT_GT(m.score, 0.5);
    EXPECT_NEAR(m.reference_begin_s - m.query_begin_s, 4.5, 0.05);
    EXPECT_LE(m.query_end_s, 5.0);
    EXPECT_GT(m.matched_seconds, 3.5);
  }
}

TEST_F(IndexTest, DuplicateAndEmptyIdsAreRejected) {
  EXPECT_EQ(index_.Add("rec-1", Excerpt(9)).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(index_.Add("", Excerpt(9)).code(), StatusCode::kInvalidArgument);
}

TEST_F(IndexTest, RemovalReallyRemoves) {
  const size_t before = index_.Stats().hashes;
  ASSERT_TRUE(index_.Remove("rec-2").ok());
  EXPECT_FALSE(index_.Contains("rec-2"));
  EXPECT_LT(index_.Stats().hashes, before);
  EXPECT_EQ(index_.Stats().recordings, 2u);
  EXPECT_EQ(TopId(index_, Excerpt(2)), "");
  // The others (renumbered internally) are still found.
  EXPECT_EQ(TopId(index_, Excerpt(1)), "rec-1");
  EXPECT_EQ(TopId(index_, Excerpt(3)), "rec-3");
  EXPECT_EQ(index_.Remove("rec-2").code(), StatusCode::kNotFound);
  // And it can come back.
  ASSERT_TRUE(index_.Add("rec-2", Fp(PieceAudio(2))).ok());
  index_.Build();
  EXPECT_EQ(TopId(index_, Excerpt(2)), "rec-2");
}

TEST_F(IndexTest, QueryBeforeBuildIsAnError) {
  ASSERT_TRUE(index_.Add("rec-4", Fp(PieceAudio(4))).ok());
  EXPECT_FALSE(index_.built());
  EXPECT_FALSE(index_.Query(Excerpt(1)).ok());
  EXPECT_FALSE(index_.Serialize().ok());
}

TEST_F(IndexTest, QueryWithOtherGeometryIsAnError) {
  ExtractOptions o;
  o.hop = 64;
  auto fp = Extract(testing::Crop(PieceAudio(1), kRate, 0, 4), kRate, o);
  ASSERT_TRUE(fp.ok());
  EXPECT_EQ(index_.Query(*fp).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(IndexTest, SerialisationRoundTrips) {
  auto bytes = index_.Serialize();
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(bytes->size(), index_.Stats().bytes);
  auto copy = Index::Deserialize(*bytes);
  ASSERT_TRUE(copy.ok()) << copy.status().message();
  EXPECT_EQ(copy->RecordingIds(), index_.RecordingIds());
  EXPECT_EQ(copy->Stats().hashes, index_.Stats().hashes);
  auto a = index_.Query(Excerpt(3));
  auto b = copy->Query(Excerpt(3));
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->size(), b->size());
  EXPECT_EQ(a->front().matched_peaks, b->front().matched_peaks);
}

// Regression (found by fuzz_fp_index under UBSan): an index whose arrays are empty made the
// reader memcpy into an empty vector's null data().
TEST(IndexEmptyTest, AnEmptyIndexRoundTrips) {
  Index empty;
  empty.Build();
  auto bytes = empty.Serialize();
  ASSERT_TRUE(bytes.ok()) << bytes.status().message();
  auto copy = Index::Deserialize(*bytes);
  ASSERT_TRUE(copy.ok()) << copy.status().message();
  EXPECT_TRUE(copy->RecordingIds().empty());
}

TEST(IndexEmptyTest, TheFuzzersEmptyArrayInputReadsCleanly) {
  std::ifstream in(std::string(TUTTI_TEST_DATA) + "/fingerprint/fuzz-empty-array.fpidx",
                   std::ios::binary);
  ASSERT_TRUE(in);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto index = Index::Deserialize(bytes);  // read or refused; either way no UB
  if (index.ok()) {
    auto again = index->Serialize();
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, bytes);
  }
}

TEST_F(IndexTest, DamagedBytesAreCorruptionNotACrash) {
  auto bytes = index_.Serialize();
  ASSERT_TRUE(bytes.ok());
  std::mt19937 rng(5);
  for (int i = 0; i < 50; ++i) {
    std::string damaged = *bytes;
    if (i % 2 == 0) {
      damaged[rng() % damaged.size()] ^= static_cast<char>(1 + rng() % 255);
    } else {
      damaged.resize(rng() % damaged.size());
    }
    auto r = Index::Deserialize(damaged);
    EXPECT_FALSE(r.ok());
  }
  EXPECT_EQ(Index::Deserialize("hello").status().code(), StatusCode::kCorruption);
}

TEST_F(IndexTest, SaveIsAtomicAndLoadNamesTheFile) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("tutti_fp_index_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "idx.fpidx").string();
  ASSERT_TRUE(SaveIndex(index_, path).ok());
  auto loaded = LoadIndex(path);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->RecordingIds(), index_.RecordingIds());
  // A failed save (unbuilt index) leaves the file as it was.
  const auto size = std::filesystem::file_size(path);
  ASSERT_TRUE(index_.Add("rec-5", Fp(PieceAudio(5))).ok());
  EXPECT_FALSE(SaveIndex(index_, path).ok());
  EXPECT_EQ(std::filesystem::file_size(path), size);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  // A damaged file is reported with its name.
  { std::ofstream(path, std::ios::binary | std::ios::trunc) << "TUTTIFP garbage"; }
  auto bad = LoadIndex(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(path), std::string::npos);
  EXPECT_EQ(LoadIndex((dir / "missing").string()).status().code(), StatusCode::kNotFound);
  std::filesystem::remove_all(dir);
}

// (Not "r" + to_string: GCC 12 warns falsely about it under -O2, -Wrestrict.)
std::string Id(uint32_t s) {
  std::string id = std::to_string(s);
  id.insert(id.begin(), 'r');
  return id;
}

// Random adds and removes against a std::set model: the ids agree, every present
// recording is found, and no removed one is.
TEST(IndexModelTest, RandomAddRemoveAgreesWithModel) {
  std::map<uint32_t, Fingerprint> full, excerpt;
  for (uint32_t s = 30; s < 36; ++s) {
    auto audio = PieceAudio(s, 8);
    full[s] = Fp(audio);
    excerpt[s] = Fp(testing::Crop(audio, kRate, 2, 4));
  }
  Index index;
  std::set<std::string> model;
  std::mt19937 rng(1234);
  for (int step = 0; step < 40; ++step) {
    const uint32_t s = 30 + rng() % 6;
    const std::string id = Id(s);
    if (rng() % 2 == 0) {
      EXPECT_EQ(index.Add(id, full[s]).ok(), model.insert(id).second);
    } else {
      EXPECT_EQ(index.Remove(id).ok(), model.erase(id) == 1);
    }
    if (step % 8 == 7) {
      index.Build();
      auto ids = index.RecordingIds();
      EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), model);
      for (uint32_t t = 30; t < 36; ++t) {
        const std::string tid = Id(t);
        EXPECT_EQ(TopId(index, excerpt[t]), model.count(tid) ? tid : "") << "step " << step;
      }
    }
  }
}

}  // namespace
}  // namespace tutti::fp
