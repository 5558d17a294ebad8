// Many writers at once, as a server or several operators make them: real `tutti`
// processes writing conflicting and non-conflicting changes to one store at the same time.
// Every command must land or fail with a clear message, nothing may be lost, the store must
// always load, and `audit verify` must pass.
#include <nlohmann/json.hpp>
#include <thread>

#include "cli_runner.h"

namespace tutti::testing {
namespace {

class ConcurrencyCliTest : public CliTest {
 protected:
  void BuildRegistry() {
    Ok({"init"});
    Ok({"party", "add", "--kind", "label", "--name", "Northstar", "--id", "label"});
    Ok({"party", "add", "--kind", "artist", "--name", "Ava Lune", "--id", "ava"});
    Ok({"party", "add", "--kind", "product", "--name", "Muse AI", "--id", "muse"});
    Ok({"work", "add", "--title", "Northern Lights", "--id", "W1", "--share", "label=100"});
    Ok({"recording", "add", "--title", "Northern Lights", "--id", "R1", "--work", "W1", "--artist",
        "ava", "--share", "label=100"});
  }

  size_t Count(const char* kind) {
    CliResult r = Ok({kind, "list", "--json"});
    return nlohmann::json::parse(r.out).size();
  }
};

TEST_F(ConcurrencyCliTest, ConflictingAndIndependentWritersNeverCorruptTheStore) {
  BuildRegistry();
  constexpr int kWriters = 4;
  constexpr int kRounds = 6;
  std::atomic<int> conflicting_landed{0}, independent_landed{0}, parties_landed{0};
  std::atomic<int> unexpected{0};
  std::mutex log_mutex;
  std::string log;
  auto note = [&](const std::string& what, const CliResult& r) {
    std::lock_guard<std::mutex> lock(log_mutex);
    log += what + " -> " + std::to_string(r.exit_code) + ": " + r.err + "\n";
  };
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w, round] {
        // The same statement from every writer: exactly one may land.
        std::string at = "2026-03-0" + std::to_string(round + 1) + "T00:00:00Z";
        CliResult same = Run(
            {"consent", "set", "--party", "ava", "--all", "--use", "train", "--deny", "--at", at});
        if (same.exit_code == 0) {
          ++conflicting_landed;
        } else if (same.exit_code != 2 || same.err.find("tutti: error:") == std::string::npos) {
          ++unexpected;
          note("conflicting consent", same);
        }
        // A statement of its own, and a party with an assigned id: all must land.
        std::string own =
            "2026-04-0" + std::to_string(round + 1) + "T00:00:0" + std::to_string(w) + "Z";
        CliResult mine = Run({"consent", "set", "--party", "ava", "--recording", "R1", "--use",
                              "voice", "--allow", "--at", own});
        if (mine.exit_code == 0) {
          ++independent_landed;
        } else {
          ++unexpected;
          note("independent consent", mine);
        }
        CliResult party = Run({"party", "add", "--kind", "artist", "--name",
                               "Writer " + std::to_string(w) + "/" + std::to_string(round)});
        if (party.exit_code == 0) {
          ++parties_landed;
        } else {
          ++unexpected;
          note("party add", party);
        }
      });
    }
    for (auto& t : writers) t.join();
    // The store loads and verifies after every round.
    CliResult verify = Run({"audit", "verify"});
    ASSERT_EQ(verify.exit_code, 0) << "round " << round << ": " << verify.out << verify.err;
  }
  EXPECT_EQ(unexpected.load(), 0) << log;
  EXPECT_EQ(conflicting_landed.load(), kRounds) << log;
  EXPECT_EQ(independent_landed.load(), kWriters * kRounds);
  EXPECT_EQ(parties_landed.load(), kWriters * kRounds);
  // Nothing lost: the store holds exactly what landed.
  EXPECT_EQ(Count("consent"), static_cast<size_t>(kRounds + kWriters * kRounds));
  EXPECT_EQ(Count("party"), static_cast<size_t>(3 + kWriters * kRounds));
}

}  // namespace
}  // namespace tutti::testing
