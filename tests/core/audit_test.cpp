#include "tutti/audit.h"

#include <gtest/gtest.h>

#include <vector>

namespace tutti {
namespace {

std::vector<AuditEntry> Chain(int n) {
  std::vector<AuditEntry> out;
  std::string prev(kGenesisHash);
  for (int i = 1; i <= n; ++i) {
    AuditEntry e{i,    1000 + i, "alice", "party.add", "{\"id\":\"p" + std::to_string(i) + "\"}",
                 prev, ""};
    e.hash = AuditEntryHash(e);
    prev = e.hash;
    out.push_back(e);
  }
  return out;
}

AuditHead HeadOf(const std::vector<AuditEntry>& log) {
  return log.empty() ? AuditHead{0, std::string(kGenesisHash)}
                     : AuditHead{log.back().seq, log.back().hash};
}

TEST(AuditTest, AnIntactChainVerifies) {
  auto log = Chain(5);
  EXPECT_TRUE(VerifyAuditChain(log, HeadOf(log)).ok());
  EXPECT_TRUE(VerifyAuditChain({}, HeadOf({})).ok());
}

TEST(AuditTest, AnAlteredPayloadIsNamed) {
  auto log = Chain(5);
  AuditHead head = HeadOf(log);
  log[2].payload = "{\"id\":\"evil\"}";
  Status s = VerifyAuditChain(log, head);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("entry 3"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("altered"), std::string::npos);
}

TEST(AuditTest, ARehashedEditBreaksTheNextLink) {
  auto log = Chain(5);
  AuditHead head = HeadOf(log);
  log[1].actor = "mallory";
  log[1].hash = AuditEntryHash(log[1]);  // the forger recomputes its own hash
  Status s = VerifyAuditChain(log, head);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("entry 3"), std::string::npos) << s.message();
}

TEST(AuditTest, RemovedAndReorderedEntriesAreNamed) {
  auto log = Chain(5);
  AuditHead head = HeadOf(log);
  auto removed = log;
  removed.erase(removed.begin() + 1);
  Status s = VerifyAuditChain(removed, head);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("entries 2 to 2 were removed"), std::string::npos) << s.message();

  auto reordered = log;
  std::swap(reordered[1], reordered[2]);
  EXPECT_FALSE(VerifyAuditChain(reordered, head).ok());
}

TEST(AuditTest, ATruncatedTailShowsAgainstTheHead) {
  auto log = Chain(5);
  AuditHead head = HeadOf(log);
  log.pop_back();
  Status s = VerifyAuditChain(log, head);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("entries 5 to 5 were removed"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace tutti
