// Signed checkpoints: their file format, and the attacks they are there to catch, played on
// a SQLite store by someone who can write the file.
#include "tutti/checkpoint.h"

#include <sqlite3.h>

#include "store_fixture.h"
#include "tutti/record_json.h"

namespace tutti {
namespace {

using testing::Append;
using testing::ArtistConsent;
using testing::SmallCatalog;
using testing::TempDir;

SigningKey Key(uint8_t n) {
  std::array<uint8_t, 32> seed{};
  seed.fill(n);
  return SigningKey::FromSeed(seed);
}

Checkpoint Sample() {
  Checkpoint c;
  c.store = "/srv/tutti.db";
  c.seq = 12;
  c.hash = std::string(64, 'a');
  c.at = 1780000000;
  SigningKey key = Key(1);
  c.key = key.public_key();
  c.signature = key.Sign(CheckpointMessage(c));
  return c;
}

TEST(CheckpointFile, RoundTrips) {
  Checkpoint c = Sample();
  std::string text = CheckpointJson(c);
  EXPECT_NE(text.find("\"format\":\"tutti-checkpoint-1\""), std::string::npos) << text;
  auto parsed = ParseCheckpoint(text);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->store, c.store);
  EXPECT_EQ(parsed->seq, c.seq);
  EXPECT_EQ(parsed->hash, c.hash);
  EXPECT_EQ(parsed->at, c.at);
  EXPECT_EQ(parsed->key, c.key);
  EXPECT_EQ(parsed->signature, c.signature);
  EXPECT_TRUE(VerifySignature(c.key, CheckpointMessage(*parsed), parsed->signature));
}

// `mutate` applied to a valid checkpoint's JSON must make the parser refuse it, with a
// message containing `expected`.
void ExpectRefused(const std::function<void(nlohmann::json&)>& mutate,
                   const std::string& expected) {
  nlohmann::json j = nlohmann::json::parse(CheckpointJson(Sample()));
  mutate(j);
  auto parsed = ParseCheckpoint(j.dump());
  ASSERT_FALSE(parsed.ok()) << j.dump();
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find(expected), std::string::npos)
      << parsed.status().message();
}

TEST(CheckpointFile, TheParserIsStrict) {
  ExpectRefused([](nlohmann::json& j) { j["Seq"] = 1; }, "unknown field 'Seq'");
  ExpectRefused([](nlohmann::json& j) { j.erase("signature"); }, "field 'signature' is missing");
  ExpectRefused([](nlohmann::json& j) { j["format"] = "tutti-checkpoint-2"; }, "field 'format'");
  ExpectRefused([](nlohmann::json& j) { j["seq"] = -1; }, "must not be negative");
  ExpectRefused([](nlohmann::json& j) { j["seq"] = 1.5; }, "whole number");
  ExpectRefused([](nlohmann::json& j) { j["seq"] = "12"; }, "whole number");
  ExpectRefused([](nlohmann::json& j) { j["seq"] = 18446744073709551615ull; }, "out of range");
  ExpectRefused([](nlohmann::json& j) { j["hash"] = std::string(63, 'a'); }, "field 'hash'");
  ExpectRefused([](nlohmann::json& j) { j["hash"] = std::string(64, 'A'); }, "field 'hash'");
  ExpectRefused([](nlohmann::json& j) { j["hash"] = std::string(64, 'g'); }, "field 'hash'");
  ExpectRefused([](nlohmann::json& j) { j["key"] = std::string(62, '0'); }, "field 'key'");
  ExpectRefused([](nlohmann::json& j) { j["key"] = std::string(64, 'z'); }, "field 'key'");
  ExpectRefused(
      [](nlohmann::json& j) { j["signature"] = j["signature"].get<std::string>() + "00"; },
      "field 'signature'");
  ExpectRefused([](nlohmann::json& j) { j["at"] = "yesterday"; }, "field 'at'");
  ExpectRefused([](nlohmann::json& j) { j["at"] = 1780000000; }, "field 'at' must be a string");
  ExpectRefused([](nlohmann::json& j) { j["store"] = nullptr; }, "field 'store' must be a string");
  ExpectRefused([](nlohmann::json& j) { j["store"] = std::string(5000, 'x'); },
                "field 'store' is too long");
}

TEST(CheckpointFile, NonsenseIsRefusedWithAMessage) {
  for (std::string text : {"", "[]", "null", "{", "{\"format\": }", "\xff\xfe", "1e400",
                           "{\"store\": \"\xc3\x28\"}"}) {
    auto parsed = ParseCheckpoint(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().message().rfind("checkpoint: ", 0), 0u) << parsed.status().message();
  }
  EXPECT_FALSE(ParseCheckpoint(std::string(100000, '[')).ok());
  EXPECT_FALSE(ParseCheckpoint(std::string(60000, '[') + std::string(60000, ']')).ok());
  std::string text = CheckpointJson(Sample());
  std::string repeated = text.substr(0, text.size() - 1) + ",\"seq\":13}";
  auto parsed = ParseCheckpoint(repeated);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("'seq' appears twice"), std::string::npos)
      << parsed.status().message();
}

class CheckpointAttack : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = OpenStore(path_, {.create = true});
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(store).value();
    ASSERT_TRUE(Append(*store_, SmallCatalog(), "alice", 100).ok());
    auto checkpoint = MakeCheckpoint(*store_, key_, 200);
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().message();
    checkpoint_ = *checkpoint;
    ASSERT_TRUE(Append(*store_, {ArtistConsent("C2", 5000)}, "alice", 300).ok());
    ASSERT_TRUE(VerifyAgainstCheckpoint(*store_, checkpoint_, key_.public_key()).ok());
  }

  void Sql(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }

  // Rewrites the payload of entry `seq` and every hash from it on, and the head, dropping
  // the append-only triggers for the while and putting them back as they were.
  void RewriteHistory(int64_t seq, const std::string& from, const std::string& to) {
    std::vector<AuditEntry> log = testing::ReadLog(*store_);
    std::string sql =
        "DROP TRIGGER audit_log_no_update;"
        "UPDATE audit_log SET payload = replace(payload, '" +
        from + "', '" + to + "') WHERE seq = " + std::to_string(seq) + ";";
    std::string prev(kGenesisHash);
    for (AuditEntry& e : log) {
      if (e.seq == seq) {
        size_t at = e.payload.find(from);
        ASSERT_NE(at, std::string::npos);
        e.payload.replace(at, from.size(), to);
      }
      e.prev_hash = prev;
      e.hash = AuditEntryHash(e);
      prev = e.hash;
      sql += "UPDATE audit_log SET prev_hash = '" + e.prev_hash + "', hash = '" + e.hash +
             "' WHERE seq = " + std::to_string(e.seq) + ";";
    }
    sql += "UPDATE audit_head SET hash = '" + prev + "';";
    sql += trigger_sql_ + ";";
    Sql(sql);
  }

  TempDir dir_;
  std::string path_ = dir_.File("tutti.db");
  std::unique_ptr<Store> store_;
  SigningKey key_ = Key(7);
  Checkpoint checkpoint_;
  std::string trigger_sql_ =
      "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
      "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END";
};

TEST_F(CheckpointAttack, ARewrittenLicensePassesTheChainButNotTheCheckpoint) {
  // Entry 7 is license L1 for WORLD but the US: make it the whole world.
  RewriteHistory(7, "WORLD,-US", "WORLD");
  auto store = OpenStore(path_);
  ASSERT_TRUE(store.ok());
  auto reg = LoadRegistry(**store);
  ASSERT_TRUE(reg.ok());
  EXPECT_EQ(reg->licenses()[0].territories.ToString(), "WORLD");
  // The chain was recomputed and the triggers put back: the store alone cannot tell.
  auto summary = VerifyStore(**store);
  EXPECT_TRUE(summary.ok()) << summary.status().message();
  // The checkpoint kept elsewhere can.
  Status s = VerifyAgainstCheckpoint(**store, checkpoint_, key_.public_key());
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("audit entry 8"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("rewritten"), std::string::npos) << s.message();
}

TEST_F(CheckpointAttack, APlantedTriggerFailsVerification) {
  Sql("CREATE TRIGGER widen AFTER INSERT ON audit_log BEGIN SELECT 1; END");
  Status s = VerifyStore(*store_).status();
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("trigger 'widen' on audit_log"), std::string::npos) << s.message();
  EXPECT_FALSE(VerifyAgainstCheckpoint(*store_, checkpoint_, key_.public_key()).ok());
}

TEST_F(CheckpointAttack, AStatementLoggedTwiceUnderOneIdFails) {
  // Around the constraints: the row's id and key columns say one thing, its payload (which
  // the hash covers) another, an id statement 1 already has.
  std::vector<AuditEntry> log = testing::ReadLog(*store_);
  Record copy = ArtistConsent("C1", 6000);
  AuditEntry e{10, 400, "mallory", "consent.set", RecordJson(copy).dump(), log.back().hash, ""};
  e.hash = AuditEntryHash(e);
  Sql("INSERT INTO audit_log VALUES (10, 400, 'mallory', 'consent.set', 'consent', 'X1', 'x', '" +
      e.payload + "', '" + e.prev_hash + "', '" + e.hash + "');" +
      "UPDATE audit_head SET seq = 10, hash = '" + e.hash + "';");
  Status s = VerifyStore(*store_).status();
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  // Caught at replay if the registry checks statement ids, else by VerifyStore's own check.
  EXPECT_NE(s.message().find("C1"), std::string::npos) << s.message();
}

TEST_F(CheckpointAttack, ADeletedLastEntryFails) {
  Sql("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 9;");
  Status s = VerifyStore(*store_).status();
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("entries 9 to 9 were removed"), std::string::npos) << s.message();
}

TEST_F(CheckpointAttack, ATruncatedLogAndHeadFailAgainstTheCheckpoint) {
  // Entries 8 and 9 gone, the head moved back to 7 and the triggers put back: the chain is
  // whole, but shorter than what the checkpoint saw.
  std::vector<AuditEntry> log = testing::ReadLog(*store_);
  Sql("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq >= 8;"
      "UPDATE audit_head SET seq = 7, hash = '" +
      log[6].hash +
      "';"
      "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
      "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;");
  EXPECT_TRUE(VerifyStore(*store_).ok());
  Status s = VerifyAgainstCheckpoint(*store_, checkpoint_, key_.public_key());
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("ends at audit entry 7"), std::string::npos) << s.message();
}

TEST_F(CheckpointAttack, ACheckpointSignedWithAnotherKeyFails) {
  SigningKey mallory = Key(9);
  auto forged = MakeCheckpoint(*store_, mallory, 400);
  ASSERT_TRUE(forged.ok());
  Status s = VerifyAgainstCheckpoint(*store_, *forged, key_.public_key());
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("not by the trusted key"), std::string::npos) << s.message();
  // Nor does relabelling it with the trusted key help: the signature does not verify.
  forged->key = key_.public_key();
  s = VerifyAgainstCheckpoint(*store_, *forged, key_.public_key());
  EXPECT_NE(s.message().find("valid signature"), std::string::npos) << s.message();
}

TEST_F(CheckpointAttack, AnAlteredCheckpointFails) {
  Checkpoint moved = checkpoint_;
  moved.seq = 9;  // claim a later head than was signed
  moved.hash = testing::ReadLog(*store_).back().hash;
  Status s = VerifyAgainstCheckpoint(*store_, moved, key_.public_key());
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("valid signature"), std::string::npos) << s.message();
}

TEST_F(CheckpointAttack, AnEmptyStoresCheckpointHoldsForAnyHistory) {
  TempDir other;
  auto empty = OpenStore(other.File("e.db"), {.create = true});
  ASSERT_TRUE(empty.ok());
  auto checkpoint = MakeCheckpoint(**empty, key_, 1);
  ASSERT_TRUE(checkpoint.ok());
  EXPECT_EQ(checkpoint->seq, 0);
  EXPECT_EQ(checkpoint->hash, kGenesisHash);
  EXPECT_TRUE(VerifyAgainstCheckpoint(*store_, *checkpoint, key_.public_key()).ok());
}

TEST_F(CheckpointAttack, ACheckpointIsNotMadeOfATamperedStore) {
  Sql("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE seq = 2");
  auto checkpoint = MakeCheckpoint(*store_, key_, 500);
  ASSERT_FALSE(checkpoint.ok());
  EXPECT_EQ(checkpoint.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace tutti
