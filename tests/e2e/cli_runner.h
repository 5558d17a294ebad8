// Runs the real `tutti` binary in a temporary directory with its own store.
#ifndef TUTTI_TESTS_E2E_CLI_RUNNER_H_
#define TUTTI_TESTS_E2E_CLI_RUNNER_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Runs `tutti --db <db> args...` (no --db when with_db is false), in dir_.
  CliResult Run(const std::vector<std::string>& args, bool with_db = true) const {
    std::string cmd = "cd " + Quote(dir_.string()) + " && " + Quote(TUTTI_BINARY);
    if (with_db) cmd += " --db " + Quote(db_);
    for (const std::string& a : args) cmd += " " + Quote(a);
    std::string out = (dir_ / "stdout").string(), err = (dir_ / "stderr").string();
    cmd += " >" + Quote(out) + " 2>" + Quote(err) + " </dev/null";
    int status = std::system(cmd.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, Slurp(out), Slurp(err)};
  }

  // Runs and expects exit 0, printing what went wrong otherwise.
  CliResult Ok(const std::vector<std::string>& args) const {
    CliResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << Join(args) << "\nstdout: " << r.out << "\nstderr: " << r.err;
    return r;
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
  std::string db_;
};

}  // namespace tutti::testing

#endif  // TUTTI_TESTS_E2E_CLI_RUNNER_H_
