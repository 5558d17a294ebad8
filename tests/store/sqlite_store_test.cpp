// The SQLite store on real files in a temporary directory.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "tutti/store.h"

namespace tutti {
namespace {

namespace fs = std::filesystem;

Share World(const std::string& party, Ppm ppm) { return {party, ppm, TerritorySet::World()}; }

std::vector<Record> SmallCatalog() {
  License l;
  l.id = "L1";
  l.licensor = "label";
  l.licensee = "muse";
  l.uses = UseSet::Parse("train").value();
  l.territories = TerritorySet::Parse("WORLD,-US").value();
  l.from = ParseTime("2026-01-01").value();
  l.recordings = {"R1"};
  return {Party{"label", PartyKind::kLabel, "Northstar", ""},
          Party{"writer", PartyKind::kSongwriter, "Lena", "00052210040"},
          Party{"artist", PartyKind::kArtist, "Ava", ""},
          Party{"muse", PartyKind::kProduct, "Muse AI", ""},
          Work{"W1", "First Light", "T0345246801", {World("writer", kWhole)}},
          Recording{"R1",
                    "First Light",
                    "USRC17607839",
                    "W1",
                    {"artist"},
                    {World("label", kWhole)},
                    "/tmp/a.wav",
                    ""},
          l,
          Consent{"artist", ConsentScope::kAll, "", Use::kVoice, false, 1000}};
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tutti-store-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "tutti.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<Store> Open(bool create = true) {
    auto store = OpenSqliteStore(path_, {create});
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
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

  fs::path dir_;
  std::string path_;
};

TEST_F(SqliteStoreTest, RecordsSurviveReopening) {
  {
    auto store = Open();
    ASSERT_TRUE(store->Append(SmallCatalog(), "alice", 1234).ok());
  }
  auto store = Open(false);
  auto reg = store->LoadRegistry();
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  auto catalog = SmallCatalog();
  ASSERT_EQ(reg->parties().size(), 4u);
  EXPECT_EQ(RecordJson(reg->recordings()[0]), RecordJson(catalog[5]));
  EXPECT_EQ(RecordJson(reg->licenses()[0]), RecordJson(catalog[6]));
  EXPECT_EQ(RecordJson(reg->consents()[0]), RecordJson(catalog[7]));
}

TEST_F(SqliteStoreTest, OpeningAMissingStoreSaysRunInit) {
  auto store = OpenSqliteStore(path_, {false});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("tutti init"), std::string::npos);
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(SqliteStoreTest, AFailedAppendChangesNothing) {
  auto store = Open();
  ASSERT_TRUE(store->Append(SmallCatalog(), "alice", 1).ok());
  // The second record references a work the store does not have: the foreign key fails.
  std::vector<Record> bad = {
      Party{"p2", PartyKind::kArtist, "New", ""},
      Recording{"R2", "X", "", "W404", {"p2"}, {World("p2", kWhole)}, "", ""}};
  Status s = store->Append(bad, "alice", 2);
  EXPECT_FALSE(s.ok());
  auto reg = store->LoadRegistry();
  ASSERT_TRUE(reg.ok());
  EXPECT_EQ(reg->FindParty("p2"), nullptr);
  EXPECT_EQ(store->ReadAuditLog()->size(), SmallCatalog().size());
  EXPECT_TRUE(VerifyStore(*store).ok());
}

TEST_F(SqliteStoreTest, EveryChangeIsAuditedAndVerifies) {
  auto store = Open();
  ASSERT_TRUE(store->Append(SmallCatalog(), "alice", 1234).ok());
  auto log = store->ReadAuditLog();
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), SmallCatalog().size());
  EXPECT_EQ((*log)[0].action, "party.add");
  EXPECT_EQ((*log)[0].actor, "alice");
  EXPECT_EQ(log->back().action, "consent.set");
  auto summary = VerifyStore(*store);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->entries, static_cast<int64_t>(SmallCatalog().size()));
}

TEST_F(SqliteStoreTest, TheLogRefusesUpdatesAndDeletes) {
  { Open()->Append(SmallCatalog(), "alice", 1); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE audit_log SET actor = 'x'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM audit_log", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST_F(SqliteStoreTest, VerifyNamesAnEditedLogEntry) {
  { Open()->Append(SmallCatalog(), "alice", 1); }
  Sql("DROP TRIGGER audit_log_no_update;"
      "UPDATE audit_log SET payload = replace(payload, 'WORLD,-US', 'WORLD') WHERE seq = 7");
  auto store = Open(false);
  auto summary = VerifyStore(*store);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), StatusCode::kCorruption);
  EXPECT_NE(summary.status().message().find("audit entry 7"), std::string::npos)
      << summary.status().message();
}

TEST_F(SqliteStoreTest, VerifyCatchesATableEditedBehindTheLog) {
  { Open()->Append(SmallCatalog(), "alice", 1); }
  Sql("UPDATE licenses SET territories = 'WORLD' WHERE id = 'L1'");
  auto store = Open(false);
  auto summary = VerifyStore(*store);
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.status().message().find("license 'L1' in the store differs"), std::string::npos)
      << summary.status().message();
}

TEST_F(SqliteStoreTest, VerifyCatchesARowAddedBehindTheLog) {
  { Open()->Append(SmallCatalog(), "alice", 1); }
  Sql("INSERT INTO parties VALUES ('ghost', 'label', 'Ghost Records', NULL)");
  auto summary = VerifyStore(*Open(false));
  ASSERT_FALSE(summary.ok());
  EXPECT_NE(summary.status().message().find("party 'ghost' is in the store but in no audit entry"),
            std::string::npos)
      << summary.status().message();
}

TEST_F(SqliteStoreTest, ACorruptFileIsNamedNotCrashed) {
  {
    std::ofstream out(path_, std::ios::binary);
    out << "this is not a database, just some text long enough to look like a header......";
  }
  auto store = OpenSqliteStore(path_, {false});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kCorruption);
  EXPECT_NE(store.status().message().find("not a tutti store or is corrupt"), std::string::npos)
      << store.status().message();
}

TEST_F(SqliteStoreTest, AForeignSqliteFileIsRefused) {
  Sql("CREATE TABLE songs (name TEXT)");
  auto store = OpenSqliteStore(path_, {false});
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("not a tutti store"), std::string::npos)
      << store.status().message();
}

TEST_F(SqliteStoreTest, InvalidStoredDataIsReportedOnLoad) {
  { Open()->Append(SmallCatalog(), "alice", 1); }
  Sql("PRAGMA foreign_keys = OFF; UPDATE work_shares SET ppm = 900000");
  auto reg = Open(false)->LoadRegistry();
  ASSERT_FALSE(reg.ok());
  EXPECT_NE(reg.status().message().find("stored work 'W1' is not valid"), std::string::npos)
      << reg.status().message();
}

}  // namespace
}  // namespace tutti
