// What a robustness pass found, each pinned: hostile bytes, absurd sizes, odd files.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace tutti::testing {
namespace {

class RobustnessCliTest : public CliTest {};

TEST_F(RobustnessCliTest, InvalidUtf8IsABadInputNotAnAbort) {
  Ok({"init"});
  std::string bad = "Ava \xff\xfe Lune";
  CliResult name = Run({"party", "add", "--kind", "artist", "--name", bad, "--id", "ava"});
  EXPECT_EQ(name.exit_code, 2) << name.err;
  EXPECT_NE(name.err.find("UTF-8"), std::string::npos) << name.err;
  CliResult id = Run({"party", "add", "--kind", "artist", "--name", "Ava", "--id", "a\xc3"});
  EXPECT_EQ(id.exit_code, 2) << id.err;
  CliResult json_out = Run({"party", "add", "--kind", "artist", "--name", bad, "--json"});
  EXPECT_EQ(json_out.exit_code, 2) << json_out.err;
  EXPECT_NE(json_out.out.find("\"error\""), std::string::npos) << json_out.out;
  CliResult use = Run(
      {"check", "--use", "tr\xffin", "--recording", "R1", "--product", "p", "--territory", "FR"});
  EXPECT_EQ(use.exit_code, 2) << use.err;
  EXPECT_EQ(Ok({"party", "list", "--json"}).out, "[]\n");
}

TEST_F(RobustnessCliTest, AHugeArgumentIsNotEchoedWhole) {
  Ok({"init"});
  std::string huge(100'000, 'x');  // under the kernel's 128 KiB limit of one argument
  CliResult r = Run({"party", "add", "--kind", huge, "--name", "n"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_LT(r.err.size(), 4096u) << "stderr holds " << r.err.size() << " bytes";
}

TEST_F(RobustnessCliTest, TerminalControlCharactersAreNotPrintedRaw) {
  Ok({"init"});
  Ok({"party", "add", "--kind", "artist", "--name", "Evil \x1b[2J\x1b]0;pwned\x07 Name", "--id",
      "evil"});
  CliResult list = Ok({"party", "list"});
  EXPECT_EQ(list.out.find('\x1b'), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("Evil"), std::string::npos) << list.out;
  // --json keeps the name exact, escaped by JSON itself.
  CliResult json = Ok({"party", "list", "--json"});
  EXPECT_EQ(nlohmann::json::parse(json.out)[0]["name"], "Evil \x1b[2J\x1b]0;pwned\x07 Name");
}

TEST_F(RobustnessCliTest, DemoNeverWipesAStoreWithTheUsersChanges) {
  if (OnPostgres()) GTEST_SKIP() << "the demo's file handling is SQLite's";
  Ok({"demo"});
  Ok({"demo"});  // its own store: run again
  Ok({"party", "add", "--kind", "artist", "--name", "Mine", "--id", "mine"});
  CliResult again = Run({"demo"});
  EXPECT_EQ(again.exit_code, 2) << again.out << again.err;
  EXPECT_NE(Ok({"party", "list"}).out.find("mine"), std::string::npos);
}

TEST_F(RobustnessCliTest, OnlyInitAndDemoMakeAStoreOfAZeroByteFile) {
  if (OnPostgres()) GTEST_SKIP() << "a file store";
  Write("empty.db", "");
  CliResult list = Run({"--db", Path("empty.db"), "party", "list"}, /*with_db=*/false);
  EXPECT_EQ(list.exit_code, 2) << list.err;
  struct stat st;
  ASSERT_EQ(::stat(Path("empty.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_size, 0) << "a read turned the empty file into a store";
}

TEST_F(RobustnessCliTest, AReadOnlyStoreInAReadOnlyFolderCanBeRead) {
  if (OnPostgres()) GTEST_SKIP() << "a file store";
  if (::geteuid() != 0 || std::system("command -v runuser >/dev/null") != 0) {
    GTEST_SKIP() << "needs root to run the reader as another user ('nobody')";
  }
  std::filesystem::path folder = dir_ / "archive";
  std::filesystem::create_directory(folder);
  std::string db = (folder / "tutti.db").string();
  CliResult init = Run({"--db", db, "init"}, /*with_db=*/false);
  ASSERT_EQ(init.exit_code, 0) << init.err;
  ASSERT_EQ(
      Run({"--db", db, "party", "add", "--kind", "artist", "--name", "Ava", "--id", "ava"}, false)
          .exit_code,
      0);
  // The folder and the store become read-only to their reader, who cannot make a -shm file.
  std::filesystem::permissions(dir_, std::filesystem::perms(0755));
  std::filesystem::permissions(folder, std::filesystem::perms(0555));
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::filesystem::permissions(entry.path(), std::filesystem::perms(0444));
  }
  std::string out = Path("ro.out");
  std::string cmd = "runuser -u nobody -- " + Quote(TUTTI_BINARY) + " --db " + Quote(db) +
                    " party list >" + Quote(out) + " 2>&1";
  int status = std::system(cmd.c_str());
  EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0) << Slurp(out);
  EXPECT_NE(Slurp(out).find("ava"), std::string::npos) << Slurp(out);
  std::filesystem::permissions(folder, std::filesystem::perms(0755));
}

TEST_F(RobustnessCliTest, ImportNamesPipesAndDirectoriesForWhatTheyAre) {
  Ok({"init"});
  std::filesystem::create_directory(Path("adir"));
  CliResult dir = Run({"import", Path("adir")});
  EXPECT_EQ(dir.exit_code, 2);
  EXPECT_NE(dir.err.find("directory"), std::string::npos) << dir.err;
  EXPECT_EQ(dir.err.find("MiB"), std::string::npos) << dir.err;
  ASSERT_EQ(::mkfifo(Path("fifo.json").c_str(), 0600), 0);
  std::string writer =
      "printf '[{\"type\":\"party\",\"id\":\"p1\",\"kind\":\"artist\",\"name\":"
      "\"Piped\"}]' > " +
      Quote(Path("fifo.json")) + " &";
  ASSERT_EQ(std::system(writer.c_str()), 0);
  CliResult piped = Run({"import", Path("fifo.json")});
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.err.find("no such file"), std::string::npos) << piped.err;
}

}  // namespace
}  // namespace tutti::testing
