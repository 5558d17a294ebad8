// The index file under concurrent writers and an attacker who can plant files beside it:
// UpdateIndexFile loses no change, a removal is never undone by a racing addition, no
// planted symlink is followed, and a failed change leaves the file byte for byte as it was.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "fingerprint/replace_file.h"
#include "signals.h"
#include "tutti/fingerprint.h"

namespace tutti::fp {
namespace {

namespace fs = std::filesystem;

// A small real fingerprint (3 s): the index does not mind recordings sharing one.
const Fingerprint& SmallFp() {
  static const Fingerprint fp = [] {
    testing::Piece p;
    p.seed = 77;
    p.seconds = 3;
    return std::move(Extract(testing::Render(p), 8000)).value();
  }();
  return fp;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Status AddOne(const std::string& path, const std::string& id) {
  return UpdateIndexFile(path, [&](Index& index) { return index.Add(id, SmallFp()); });
}

// Runs `body` in a child process; returns a pid to Wait for.
template <typename Fn>
pid_t Spawn(Fn body) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(body() ? 0 : 1);
  return pid;
}

bool Wait(pid_t pid) {
  int status = 0;
  return ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

class IndexFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    (void)SmallFp();  // computed once, before any fork or thread
    dir_ = fs::temp_directory_path() /
           ("tutti_fp_file_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "index.fpidx").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::set<std::string> Ids() const {
    auto index = LoadIndex(path_);
    EXPECT_TRUE(index.ok()) << index.status().message();
    if (!index.ok()) return {};
    auto ids = index->RecordingIds();
    return {ids.begin(), ids.end()};
  }
  // Names in the directory other than the index and its lock file.
  std::vector<std::string> Strays() const {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir_)) {
      const std::string name = e.path().filename().string();
      if (name != "index.fpidx" && name != "index.fpidx.lock") out.push_back(name);
    }
    return out;
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(IndexFileTest, UpdateCreatesTheIndexWhenAbsent) {
  ASSERT_TRUE(AddOne(path_, "a").ok());
  EXPECT_EQ(Ids(), std::set<std::string>{"a"});
  EXPECT_TRUE(fs::exists(path_ + ".lock"));
  EXPECT_TRUE(Strays().empty());
  auto options = ReadIndexOptions(path_);
  ASSERT_TRUE(options.ok()) << options.status().message();
  EXPECT_EQ(options->extract.sample_rate_hz, 8000);
  EXPECT_EQ(ReadIndexOptions((dir_ / "none").string()).status().code(), StatusCode::kNotFound);
}

// Without the lock, two writers that load the same version each save their own change
// and one is lost; with it, every addition of every thread lands, and a reader that
// takes no lock always reads a whole index that only grows.
TEST_F(IndexFileTest, ConcurrentThreadsLoseNoAddition) {
  constexpr int kThreads = 6, kRounds = 15;
  std::atomic<bool> done{false};
  std::atomic<int> bad_reads{0};
  std::thread reader([&] {
    size_t last = 0;
    while (!done) {
      auto index = LoadIndex(path_);
      if (!index.ok()) {
        if (index.status().code() != StatusCode::kNotFound) ++bad_reads;
        continue;
      }
      const size_t n = index->RecordingIds().size();
      if (n < last) ++bad_reads;
      last = n;
    }
  });
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&, t] {
      for (int r = 0; r < kRounds; ++r) {
        if (!AddOne(path_, "t" + std::to_string(t) + "-" + std::to_string(r)).ok()) ++failures;
      }
    });
  }
  for (auto& w : writers) w.join();
  done = true;
  reader.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(bad_reads, 0);
  EXPECT_EQ(Ids().size(), static_cast<size_t>(kThreads * kRounds));
  EXPECT_TRUE(Strays().empty());
}

TEST_F(IndexFileTest, ConcurrentProcessesLoseNoAddition) {
  constexpr int kProcesses = 4, kRounds = 15;
  std::vector<pid_t> pids;
  for (int p = 0; p < kProcesses; ++p) {
    pids.push_back(Spawn([&, p] {
      for (int r = 0; r < kRounds; ++r) {
        if (!AddOne(path_, "p" + std::to_string(p) + "-" + std::to_string(r)).ok()) return false;
      }
      return true;
    }));
  }
  for (pid_t pid : pids) EXPECT_TRUE(Wait(pid));
  std::set<std::string> expected;
  for (int p = 0; p < kProcesses; ++p) {
    for (int r = 0; r < kRounds; ++r)
      expected.insert("p" + std::to_string(p) + "-" + std::to_string(r));
  }
  EXPECT_EQ(Ids(), expected);
  EXPECT_TRUE(Strays().empty());
}

// The bug: `fp remove` racing `fp add` put the taken-down recording back.
TEST_F(IndexFileTest, RemovalRacingAdditionsStaysRemoved) {
  constexpr int kRounds = 8, kAdds = 6;
  for (int round = 0; round < kRounds; ++round) {
    const std::string victim = "taken-down-" + std::to_string(round);
    ASSERT_TRUE(AddOne(path_, victim).ok());
    const pid_t adder = Spawn([&] {
      for (int i = 0; i < kAdds; ++i) {
        if (!AddOne(path_, "r" + std::to_string(round) + "-" + std::to_string(i)).ok()) {
          return false;
        }
      }
      return true;
    });
    const pid_t remover = Spawn([&] {
      ::usleep(static_cast<useconds_t>(round * 1500));  // land at a different point each round
      return UpdateIndexFile(path_, [&](Index& index) { return index.Remove(victim); }).ok();
    });
    EXPECT_TRUE(Wait(adder));
    EXPECT_TRUE(Wait(remover));
    const std::set<std::string> ids = Ids();
    EXPECT_EQ(ids.count(victim), 0u) << "round " << round << ": removed recording came back";
    for (int i = 0; i < kAdds; ++i) {
      EXPECT_EQ(ids.count("r" + std::to_string(round) + "-" + std::to_string(i)), 1u);
    }
  }
}

TEST_F(IndexFileTest, FailedChangeLeavesTheFileAsItWas) {
  ASSERT_TRUE(AddOne(path_, "a").ok());
  const std::string before = ReadBytes(path_);
  Status s = UpdateIndexFile(path_, [](Index& index) {
    TUTTI_RETURN_IF_ERROR(index.Add("b", SmallFp()));
    TUTTI_RETURN_IF_ERROR(index.Remove("a"));
    return Status::Invalid("changed my mind");
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "changed my mind");
  EXPECT_EQ(ReadBytes(path_), before);
  EXPECT_TRUE(Strays().empty());
  // A change that fails on the index itself (duplicate id) is the same.
  EXPECT_EQ(AddOne(path_, "a").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(ReadBytes(path_), before);
}

TEST_F(IndexFileTest, DamagedIndexIsReportedNotOverwritten) {
  { std::ofstream(path_, std::ios::binary) << "TUTTIFP\0 not really"; }
  const std::string before = ReadBytes(path_);
  Status s = AddOne(path_, "a");
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find(path_), std::string::npos) << s.message();
  EXPECT_EQ(ReadBytes(path_), before);
  EXPECT_TRUE(Strays().empty());
}

TEST_F(IndexFileTest, PlantedSymlinkAtTheOldFixedTemporaryIsNotFollowed) {
  const std::string victim = (dir_ / "victim").string();
  { std::ofstream(victim) << "precious"; }
  fs::create_symlink(victim, path_ + ".tmp");
  ASSERT_TRUE(AddOne(path_, "a").ok());
  ASSERT_TRUE(AddOne(path_, "b").ok());
  EXPECT_EQ(ReadBytes(victim), "precious");
  EXPECT_TRUE(fs::is_symlink(path_ + ".tmp"));
  EXPECT_EQ(Ids(), (std::set<std::string>{"a", "b"}));
}

// Every temporary name is created exclusively: whatever an attacker planted at the names
// tried (a symlink to a file, a dangling symlink, a file) is skipped, never opened.
TEST_F(IndexFileTest, TakenTemporaryNamesAreSkippedNeverFollowed) {
  const std::string victim = (dir_ / "victim").string();
  const std::string would_create = (dir_ / "created-through-link").string();
  { std::ofstream(victim) << "precious"; }
  fs::create_symlink(victim, path_ + ".tmp-a");
  fs::create_symlink(would_create, path_ + ".tmp-b");
  { std::ofstream(path_ + ".tmp-c") << "someone's file"; }
  const std::vector<std::string> names = {"a", "b", "c", "d"};
  size_t next = 0;
  auto file = internal::ReplacementFile::Create(path_, [&] { return names[next++]; });
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_EQ(file->temp_path(), path_ + ".tmp-d");
  ASSERT_TRUE(internal::WriteAll(file->fd(), "new", 3, file->temp_path()).ok());
  ASSERT_TRUE(file->Commit().ok());
  EXPECT_EQ(ReadBytes(path_), "new");
  EXPECT_EQ(ReadBytes(victim), "precious");
  EXPECT_FALSE(fs::exists(would_create));
  EXPECT_EQ(ReadBytes(path_ + ".tmp-c"), "someone's file");
  EXPECT_FALSE(fs::exists(path_ + ".tmp-d"));

  // When every name tried is taken, it gives up with an error and creates nothing.
  auto none = internal::ReplacementFile::Create(path_, [] { return std::string("a"); });
  EXPECT_EQ(none.status().code(), StatusCode::kIoError);
  EXPECT_EQ(ReadBytes(victim), "precious");
}

TEST_F(IndexFileTest, FailedRenameRemovesTheTemporary) {
  const std::string target = (dir_ / "occupied").string();
  fs::create_directories(target + "/inside");  // rename(file, non-empty directory) fails
  {
    auto file = internal::ReplacementFile::Create(target);
    ASSERT_TRUE(file.ok()) << file.status().message();
    const std::string temp = file->temp_path();
    EXPECT_TRUE(fs::exists(temp));
    Status s = file->Commit();
    EXPECT_EQ(s.code(), StatusCode::kIoError);
    EXPECT_NE(s.message().find(target), std::string::npos) << s.message();
  }
  EXPECT_TRUE(fs::is_directory(target + "/inside"));
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
  }
}

TEST_F(IndexFileTest, SymlinkAtTheLockFileIsRefused) {
  const std::string elsewhere = (dir_ / "elsewhere").string();
  fs::create_symlink(elsewhere, path_ + ".lock");
  Status s = AddOne(path_, "a");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find(path_ + ".lock"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(elsewhere));
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(IndexFileTest, WriterWaitsForTheLockThenGivesUpWithBusy) {
  {
    auto held = internal::ExclusiveFileLock::Acquire(path_ + ".lock", std::chrono::seconds(1));
    ASSERT_TRUE(held.ok());
    IndexFileOptions quick;
    quick.lock_timeout = std::chrono::milliseconds(100);
    const auto start = std::chrono::steady_clock::now();
    Status s = UpdateIndexFile(
        path_, [](Index&) { return Status::Ok(); }, quick);
    EXPECT_EQ(s.code(), StatusCode::kBusy);
    EXPECT_NE(s.message().find(path_ + ".lock"), std::string::npos) << s.message();
    EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(100));
    EXPECT_FALSE(fs::exists(path_));
  }
  // A holder that lets go within the timeout: the writer waits and goes ahead.
  std::optional<internal::ExclusiveFileLock> held;
  {
    auto lock = internal::ExclusiveFileLock::Acquire(path_ + ".lock", std::chrono::seconds(1));
    ASSERT_TRUE(lock.ok());
    held.emplace(std::move(lock).value());
  }
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    held.reset();
  });
  EXPECT_TRUE(AddOne(path_, "a").ok());
  release.join();
  EXPECT_EQ(Ids(), std::set<std::string>{"a"});
}

TEST_F(IndexFileTest, PermissionsOfTheIndexAreKept) {
  ASSERT_TRUE(AddOne(path_, "a").ok());
  fs::permissions(path_, fs::perms::owner_read | fs::perms::owner_write);
  ASSERT_TRUE(AddOne(path_, "b").ok());
  EXPECT_EQ(fs::status(path_).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

TEST_F(IndexFileTest, NonRegularFilesAreRefusedWithoutBlocking) {
  const std::string fifo = (dir_ / "fifo").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto from_fifo = LoadIndex(fifo);  // would block forever opening a FIFO without O_NONBLOCK
  EXPECT_EQ(from_fifo.status().code(), StatusCode::kIoError);
  EXPECT_NE(from_fifo.status().message().find("not a regular file"), std::string::npos);
  auto from_dir = LoadIndex(dir_.string());
  EXPECT_EQ(from_dir.status().code(), StatusCode::kIoError);
  EXPECT_NE(from_dir.status().message().find(dir_.string()), std::string::npos);
  // A FIFO planted at the lock file's name is refused too, not waited on.
  ASSERT_EQ(::mkfifo((path_ + ".lock").c_str(), 0600), 0);
  EXPECT_EQ(AddOne(path_, "a").code(), StatusCode::kIoError);
}

TEST_F(IndexFileTest, SaveIndexStillWritesWholeVersions) {
  Index index;
  ASSERT_TRUE(index.Add("x", SmallFp()).ok());
  EXPECT_EQ(SaveIndex(index, path_).code(), StatusCode::kInvalidArgument);  // not built
  EXPECT_FALSE(fs::exists(path_));
  index.Build();
  ASSERT_TRUE(SaveIndex(index, path_).ok());
  EXPECT_EQ(Ids(), std::set<std::string>{"x"});
  EXPECT_TRUE(Strays().empty());
}

}  // namespace
}  // namespace tutti::fp
