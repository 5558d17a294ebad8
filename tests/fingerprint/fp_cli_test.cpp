// End to end: `tutti fp` against a real store and generated audio files.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "signals.h"
#include "tutti/audio.h"

namespace tutti::fp {
namespace {

namespace fs = std::filesystem;

class FpCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tutti_fp_cli_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    db_ = (dir_ / "t.db").string();
    for (uint32_t s = 1; s <= 3; ++s) {
      testing::Piece p;
      p.seed = 500 + s;
      p.seconds = 15;
      const auto x = testing::Render(p);
      ASSERT_TRUE(audio::WriteWav(Wav("full", s), x, 8000).ok());
      ASSERT_TRUE(audio::WriteWav(Wav("clip", s), testing::Crop(x, 8000, 5, 6), 8000).ok());
    }
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Wav(const std::string& kind, uint32_t s) const {
    return (dir_ / (kind + std::to_string(s) + ".wav")).string();
  }

  // Runs tutti with `args`; returns the exit code and keeps stdout in out_.
  int Tutti(const std::string& args) {
    const std::string out = (dir_ / "out.txt").string();
    const std::string cmd = std::string(TUTTI_BINARY) + " --db " + db_ + " " + args + " >" + out +
                            " 2>" + (dir_ / "err.txt").string();
    const int rc = std::system(cmd.c_str());
    std::ifstream in(out);
    std::stringstream ss;
    ss << in.rdbuf();
    out_ = ss.str();
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  }
  nlohmann::json Json() const { return nlohmann::json::parse(out_); }

  fs::path dir_;
  std::string db_, out_;
};

TEST_F(FpCliTest, RegistryIndexingFollowsTheGateAndRemovalRemoves) {
  ASSERT_EQ(Tutti("init"), 0);
  ASSERT_EQ(Tutti("party add --kind label --name Label --id L"), 0);
  ASSERT_EQ(Tutti("party add --kind publisher --name Pub --id PUB"), 0);
  ASSERT_EQ(Tutti("party add --kind artist --name Artist --id A"), 0);
  ASSERT_EQ(Tutti("party add --kind product --name Guard --id P"), 0);
  ASSERT_EQ(Tutti("work add --title Song --id W --share PUB=100"), 0);
  for (uint32_t s = 1; s <= 3; ++s) {
    ASSERT_EQ(Tutti("recording add --title T" + std::to_string(s) + " --id R" + std::to_string(s) +
                    " --work W --artist A --share L=100 --audio " + Wav("full", s)),
              0)
        << out_;
  }
  ASSERT_EQ(Tutti("recording add --title NoAudio --id R4 --work W --artist A --share L=100"), 0);
  // `reference` licensed for R1, R2 and R4 (R3 not): only R1 and R2 have audio and clearance.
  ASSERT_EQ(Tutti("license add --licensor L --licensee P --use reference --territory WORLD "
                  "--from 2020-01-01 --recording R1 R2 R4"),
            0)
      << out_;
  ASSERT_EQ(Tutti("license add --licensor PUB --licensee P --use reference --territory WORLD "
                  "--from 2020-01-01 --work W"),
            0)
      << out_;

  ASSERT_EQ(Tutti("fp add --registry --json"), 0) << out_;
  const nlohmann::json doc = Json();  // (not a temporary: the loop below borrows from it)
  std::set<std::string> added;
  for (const auto& a : doc["added"]) added.insert(a["recording"].get<std::string>());
  EXPECT_EQ(added, (std::set<std::string>{"R1", "R2"}));
  EXPECT_TRUE(fs::exists(db_ + ".fpidx"));

  ASSERT_EQ(Tutti("fp query " + Wav("clip", 1) + " --json"), 0) << out_;
  auto q = Json()["queries"][0];
  ASSERT_EQ(q["matches"].size(), 1u);
  EXPECT_EQ(q["matches"][0]["recording"], "R1");
  EXPECT_NEAR(q["matches"][0]["reference_offset_s"].get<double>(), 5.0, 0.1);
  EXPECT_NEAR(q["matches"][0]["time_factor"].get<double>(), 1.0, 0.01);

  EXPECT_EQ(Tutti("fp query " + Wav("clip", 3)), 1) << "R3 is not cleared: no match";

  // A bad file in a batch: exit 2, the other file still answered.
  { std::ofstream(dir_ / "bad.wav") << "RIFF nonsense"; }
  EXPECT_EQ(Tutti("fp query " + (dir_ / "bad.wav").string() + " " + Wav("clip", 2) + " --json"), 2);
  auto batch = Json()["queries"];
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_TRUE(batch[0].contains("error"));
  EXPECT_EQ(batch[1]["matches"][0]["recording"], "R2");

  ASSERT_EQ(Tutti("fp remove --recording R1"), 0);
  EXPECT_EQ(Tutti("fp query " + Wav("clip", 1)), 1);
  EXPECT_EQ(Tutti("fp remove --recording R1"), 2);
  ASSERT_EQ(Tutti("fp stats --json"), 0);
  EXPECT_EQ(Json()["recordings"], 1);
}

TEST_F(FpCliTest, FilesWithExplicitIdsAndCustomIndex) {
  const std::string idx = (dir_ / "own.fpidx").string();
  // --recording names a registered recording: its owner references its own audio.
  EXPECT_EQ(Tutti("fp --index " + idx + " add " + Wav("full", 2) + " --recording song-2"), 2);
  ASSERT_EQ(Tutti("init"), 0);
  ASSERT_EQ(Tutti("party add --kind label --name Label --id L"), 0);
  ASSERT_EQ(Tutti("party add --kind artist --name Artist --id A"), 0);
  ASSERT_EQ(Tutti("work add --title Song --id W --share L=100"), 0);
  ASSERT_EQ(Tutti("recording add --title Song --id song-2 --work W --artist A --share L=100"), 0);
  EXPECT_EQ(Tutti("fp --index " + idx + " add " + Wav("full", 2) + " --recording nope"), 2);
  EXPECT_FALSE(fs::exists(idx));  // nothing indexed for an unknown id
  ASSERT_EQ(Tutti("fp --index " + idx + " add " + Wav("full", 2) + " --recording song-2"), 0)
      << out_;
  ASSERT_EQ(Tutti("fp --index " + idx + " add " + Wav("full", 2) + " --recording song-2"), 0);
  EXPECT_NE(out_.find("already indexed"), std::string::npos);
  const auto size = fs::file_size(idx);
  EXPECT_EQ(Tutti("fp --index " + idx + " add " + (dir_ / "missing.wav").string()), 2);
  EXPECT_EQ(fs::file_size(idx), size);  // a failed command leaves the index as it was
  ASSERT_EQ(Tutti("fp --index " + idx + " query " + Wav("clip", 2)), 0);
  EXPECT_NE(out_.find("song-2"), std::string::npos);
  EXPECT_EQ(Tutti("fp --index " + (dir_ / "none.fpidx").string() + " query " + Wav("clip", 2)), 2);
}

TEST_F(FpCliTest, ABatchWithABadFileAddsNothing) {
  const std::string idx = (dir_ / "batch.fpidx").string();
  ASSERT_EQ(Tutti("fp --index " + idx + " add " + Wav("full", 1)), 0) << out_;
  const auto size = fs::file_size(idx);
  // Regression: the good file used to be saved, and the command then exit 2.
  EXPECT_EQ(Tutti("fp --index " + idx + " add " + Wav("full", 2) + " " +
                  (dir_ / "missing.wav").string()),
            2);
  EXPECT_EQ(fs::file_size(idx), size);
  EXPECT_EQ(Tutti("fp --index " + idx + " query " + Wav("clip", 2)), 1) << "nothing was added";
}

TEST_F(FpCliTest, ConcurrentAddsAndRemovesLoseNothing) {
  const std::string idx = (dir_ / "race.fpidx").string();
  ASSERT_EQ(Tutti("fp --index " + idx + " add " + Wav("full", 3)), 0) << out_;
  // Two adds of different files, and the removal of a third, all at once: each process
  // has its own output files, as Tutti() shares one.
  auto run = [&](const std::string& args, int n) {
    const std::string cmd = std::string(TUTTI_BINARY) + " --db " + db_ + " fp --index " + idx +
                            " " + args + " >" + (dir_ / ("o" + std::to_string(n))).string() +
                            " 2>&1";
    const int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  };
  std::vector<int> codes(3, -1);
  std::vector<std::thread> threads;
  threads.emplace_back([&] { codes[0] = run("add " + Wav("full", 1), 0); });
  threads.emplace_back([&] { codes[1] = run("add " + Wav("full", 2), 1); });
  threads.emplace_back([&] { codes[2] = run("remove --recording " + Wav("full", 3), 2); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(codes, (std::vector<int>{0, 0, 0}));
  ASSERT_EQ(Tutti("fp --index " + idx + " stats --json"), 0);
  EXPECT_EQ(Json()["recordings"], 2) << "both adds landed, the removal stuck";
  EXPECT_EQ(Tutti("fp --index " + idx + " query " + Wav("clip", 3)), 1) << "removed stays removed";
}

}  // namespace
}  // namespace tutti::fp
