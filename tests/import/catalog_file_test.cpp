// Reading catalog files: regular files, pipes, directories, missing and oversized files.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "tutti/import.h"

namespace tutti {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kJson =
    R"([{"type": "party", "id": "ava", "kind": "artist", "name": "Ava Lune"}])";
constexpr std::string_view kCsv = "type,id,kind,name\nparty,ava,artist,Ava Lune\n";

class CatalogFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tutti_catalog_file_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, std::string_view text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  fs::path dir_;
};

TEST_F(CatalogFileTest, ReadsByExtensionOrByFirstCharacter) {
  for (const auto& [name, text] : {std::pair{"a.json", kJson},
                                   {"b.csv", kCsv},
                                   {"c.JSON", kJson},
                                   {"d.txt", kJson},
                                   {"e", kCsv}}) {
    auto c = ReadCatalog(Write(name, text));
    ASSERT_TRUE(c.ok()) << name << ": " << c.status().message();
    ASSERT_EQ(c->records.size(), 1u) << name;
    EXPECT_EQ(c->origins[0].rfind((dir_ / name).string() + ", ", 0), 0u) << c->origins[0];
  }
  auto records = ReadCatalogFile(Write("f.json", kJson));
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), 1u);
  // With a byte order mark, sniffing still sees JSON.
  auto bom = ReadCatalog(Write("g", "\xEF\xBB\xBF" + std::string(kJson)));
  EXPECT_TRUE(bom.ok()) << bom.status().message();
}

TEST_F(CatalogFileTest, ErrorsNameTheFile) {
  std::string path = Write("catalog.csv", "type,id,kind,name\nparty,p,artist,A\nparty,q,x,B\n");
  auto c = ReadCatalog(path);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message().rfind(path + ", row 3, column 'kind': ", 0), 0u)
      << c.status().message();
}

TEST_F(CatalogFileTest, MissingFileSaysSo) {
  auto c = ReadCatalog((dir_ / "nope.json").string());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_NE(c.status().message().find("No such file"), std::string::npos) << c.status().message();
}

// Regression: a directory was reported as "8796093022207 MiB".
TEST_F(CatalogFileTest, DirectorySaysItIsADirectory) {
  auto c = ReadCatalog(dir_.string());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "catalog '" + dir_.string() + "' is a directory, not a file");
}

// Regression: a pipe was reported as "no such file".
TEST_F(CatalogFileTest, ReadsANamedPipe) {
  std::string path = (dir_ / "fifo.json").string();
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  std::thread writer([&] {
    std::ofstream out(path, std::ios::binary);
    // More than one read's worth, so the reader must loop.
    out << "[";
    for (int i = 0; i < 5000; ++i) {
      out << (i ? "," : "") << R"({"type": "party", "id": "p)" << i
          << R"(", "kind": "artist", "name": "P"})";
    }
    out << "]";
  });
  auto c = ReadCatalog(path);
  writer.join();
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->records.size(), 5000u);
}

// As /dev/stdin is, when a catalog is piped in: a pipe named by /proc/self/fd/N.
TEST_F(CatalogFileTest, ReadsAnAnonymousPipeByItsProcPath) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::thread writer([&] {
    std::string text(kCsv);
    EXPECT_EQ(::write(fds[1], text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ::close(fds[1]);
  });
  auto c = ReadCatalog("/proc/self/fd/" + std::to_string(fds[0]));
  writer.join();
  ::close(fds[0]);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->records.size(), 1u);  // no extension: sniffed as CSV
}

TEST_F(CatalogFileTest, OversizedFileIsRefusedBeforeItIsRead) {
  std::string path = (dir_ / "huge.json").string();
  int fd = ::open(path.c_str(), O_CREAT | O_WRONLY, 0600);
  ASSERT_GE(fd, 0);
  // Sparse: no disk space taken.
  ASSERT_EQ(::ftruncate(fd, static_cast<off_t>(kMaxCatalogBytes + (size_t{1} << 20))), 0);
  ::close(fd);
  auto c = ReadCatalog(path);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "catalog '" + path + "' is 2049 MiB, over the 2048 MiB limit: split it");
}

TEST_F(CatalogFileTest, OtherFailuresAreIoErrorsWithTheReason) {
  std::string file = Write("plain.json", kJson);
  auto c = ReadCatalog(file + "/inside.json");  // a file used as a directory
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kIoError);
  EXPECT_EQ(c.status().message(),
            "cannot read catalog '" + file + "/inside.json': Not a directory");
}

TEST_F(CatalogFileTest, LongPathsAreShownWholeAndControlCharactersEscaped) {
  fs::create_directories(dir_ / std::string(200, 'x'));
  std::string name = std::string(200, 'x') + "/" + std::string(100, 'y') + "\x1b[2J.json";
  auto c = ReadCatalog(Write(name, "[1]"));
  ASSERT_FALSE(c.ok());
  std::string shown = std::string(200, 'x') + "/" + std::string(100, 'y') + "\\x1b[2J.json";
  EXPECT_EQ(c.status().message(),
            (dir_ / shown).string() + ", record 1: a record must be a JSON object");
}

}  // namespace
}  // namespace tutti

namespace tutti {
namespace {

// The demo catalog is a file users copy: the JSON form it is written in is a contract.
TEST(CatalogFileContractTest, DemoCatalogStillReads) {
  auto c = ReadCatalog(std::string(TUTTI_TEST_DATA) + "/../../data/demo/catalog.json");
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_GT(c->records.size(), 20u);
}

}  // namespace
}  // namespace tutti
