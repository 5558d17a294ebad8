// Runs the real `tutti` binary in a temporary directory with its own store.
#ifndef TUTTI_TESTS_E2E_CLI_RUNNER_H_
#define TUTTI_TESTS_E2E_CLI_RUNNER_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../store/postgres_env.h"

namespace tutti::testing {

struct CliResult {
  int exit_code;
  std::string out;
  std::string err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tutti-e2e-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "tutti.db").string();
    // The same tests run on a PostgreSQL store when ctest says so (tests/e2e/CMakeLists.txt).
    if (OnPostgres()) {
      if (!PostgresConfigured()) {
        const char* required = std::getenv("TUTTI_REQUIRE_PG");
        if (required && std::string(required) == "1") {
          FAIL() << "TUTTI_REQUIRE_PG=1 but no test server ($TUTTI_TEST_PG_HOST)";
        }
        GTEST_SKIP() << "no PostgreSQL test server: run scripts/test.sh";
      }
      auto url = MakeTestPostgresDatabase();
      ASSERT_TRUE(url.ok()) << url.status().message();
      db_ = *url;
      key_ = (dir_ / "tutti.key").string();
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static bool OnPostgres() {
    const char* store = std::getenv("TUTTI_E2E_STORE");
    return store && std::string(store) == "postgresql";
  }

  // Runs `tutti --db <db> args...` (no --db when with_db is false), in dir_. Safe to call
  // from several threads at once: each call has its own output files.
  CliResult Run(const std::vector<std::string>& args, bool with_db = true) const {
    static std::atomic<int> calls{0};
    std::string cmd = "cd " + Quote(dir_.string()) + " && " + Quote(TUTTI_BINARY);
    if (with_db) cmd += " --db " + Quote(db_);
    if (with_db && !key_.empty()) cmd += " --key " + Quote(key_);
    for (const std::string& a : args) cmd += " " + Quote(a);
    std::string n = std::to_string(calls++);
    std::string out = (dir_ / ("stdout." + n)).string(), err = (dir_ / ("stderr." + n)).string();
    cmd += " >" + Quote(out) + " 2>" + Quote(err) + " </dev/null";
    int status = std::system(cmd.c_str());
    CliResult r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
    std::filesystem::remove(out);
    std::filesystem::remove(err);
    return r;
  }

  // Runs and expects exit 0, printing what went wrong otherwise.
  CliResult Ok(const std::vector<std::string>& args) const {
    CliResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << Join(args) << "\nstdout: " << r.out << "\nstderr: " << r.err;
    return r;
  }

  // A bad command must exit 2, say `needle` on stderr, and leave the store as it was.
  void ExpectRejected(const std::vector<std::string>& args, const std::string& needle) {
    std::string before = Snapshot();
    CliResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << Join(args) << "\n" << r.out << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << Join(args) << "\nstderr: " << r.err;
    EXPECT_EQ(Snapshot(), before) << Join(args);
  }

  void Write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name) << text;
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  // Everything the store holds, as the audit log shows it: equal before and after a failed
  // command means the command changed nothing.
  std::string Snapshot() const { return Run({"audit", "log", "--limit", "0", "--json"}).out; }

  static std::string Slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static std::string Quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  }
  static std::string Join(const std::vector<std::string>& args) {
    std::string out;
    for (const auto& a : args) out += a + " ";
    return out;
  }

  std::filesystem::path dir_;
  std::string db_;   // a SQLite path, or a PostgreSQL URI
  std::string key_;  // --key, for a PostgreSQL store (a SQLite store's is beside it)
};

}  // namespace tutti::testing

#endif  // TUTTI_TESTS_E2E_CLI_RUNNER_H_
