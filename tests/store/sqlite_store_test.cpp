// The SQLite adapter on real files: opening (URLs, missing, empty, foreign and damaged
// files, read-only), its schema (triggers, objects planted), and migration from version 1.
#include <sqlite3.h>
#include <sys/stat.h>

#include <fstream>

#include "sqlite/schema.h"
#include "store_fixture.h"
#include "tutti/audit.h"
#include "tutti/record_json.h"

namespace tutti {
namespace {

namespace fs = std::filesystem;
using testing::Append;
using testing::Dump;
using testing::ReadLog;
using testing::SmallCatalog;
using testing::TempDir;

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> Open(StoreOptions options = {.create = true}) {
    auto store = OpenStore(path_, options);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  // Runs `sql` on the file directly, as someone with write access to it could.
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

  std::string SqlText(const std::string& query) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }

  Status OpenStatus(StoreOptions options = {}) { return OpenStore(path_, options).status(); }

  TempDir dir_;
  std::string path_ = dir_.File("tutti.db");
};

TEST_F(SqliteStoreTest, AMissingStoreSaysRunInitAndIsNotCreated) {
  Status s = OpenStatus();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("no tutti store at '" + path_ + "': run 'tutti init' first"),
            std::string::npos)
      << s.message();
  EXPECT_FALSE(fs::exists(path_));
  EXPECT_EQ(OpenStatus({.read_only = true}).code(), StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, AnEmptyFileBecomesAStoreOnlyWhenCreating) {
  { std::ofstream touch(path_); }
  Status s = OpenStatus();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("empty file"), std::string::npos) << s.message();
  EXPECT_EQ(fs::file_size(path_), 0u);
  EXPECT_EQ(OpenStatus({.read_only = true}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(fs::file_size(path_), 0u);
  ASSERT_TRUE(Open());
  EXPECT_TRUE(OpenStatus().ok());
}

TEST_F(SqliteStoreTest, ADirectoryIsNamedAsOne) {
  Status s = OpenStore(dir_.path().string(), {.create = true}).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("is a directory"), std::string::npos) << s.message();
}

TEST_F(SqliteStoreTest, APipeIsRefusedWithoutBlocking) {
  ASSERT_EQ(::mkfifo(path_.c_str(), 0600), 0);
  Status s = OpenStatus();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("not a regular file"), std::string::npos) << s.message();
}

TEST_F(SqliteStoreTest, AFileThatIsNotSqliteIsNamedNotCrashed) {
  {
    std::ofstream out(path_, std::ios::binary);
    out << "this is not a database, just some text long enough to look like a header......";
  }
  for (bool read_only : {false, true}) {
    Status s = OpenStatus({.read_only = read_only});
    EXPECT_EQ(s.code(), StatusCode::kCorruption) << s.message();
    EXPECT_NE(s.message().find("not a tutti store or is corrupt"), std::string::npos)
        << s.message();
  }
}

TEST_F(SqliteStoreTest, ASqliteFileOfSomeoneElseIsRefusedAndLeftAlone) {
  Sql("CREATE TABLE songs (name TEXT)");
  Status s = OpenStatus({.create = true});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("not a tutti store"), std::string::npos) << s.message();
  EXPECT_EQ(SqlText("SELECT count(*) FROM sqlite_schema"), "1");
  // Even when its user_version says 2.
  Sql("PRAGMA user_version = 2");
  s = OpenStatus();
  EXPECT_NE(s.message().find("not a tutti store"), std::string::npos) << s.message();
}

TEST_F(SqliteStoreTest, ANewerSchemaAsksForANewerTutti) {
  ASSERT_TRUE(Open());
  Sql("PRAGMA user_version = 3");
  Status s = OpenStatus();
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.message().find("upgrade tutti"), std::string::npos) << s.message();
}

TEST_F(SqliteStoreTest, UrlsPickTheAdapter) {
  ASSERT_TRUE(Open());
  auto store = OpenStore("sqlite:" + path_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->Describe(), path_);
  Status s = OpenStore("mysql://db.example/tutti").status();
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.message().find("unknown store URL"), std::string::npos) << s.message();
  EXPECT_EQ(OpenStore("").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenStore("sqlite:").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteStoreTest, TheFileIsInWalModeAndTheLogRefusesUpdatesAndDeletes) {
  ASSERT_TRUE(Append(*Open(), SmallCatalog()).ok());
  EXPECT_EQ(SqlText("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(SqlText("PRAGMA user_version"), "2");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  for (const char* sql :
       {"UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "DELETE FROM audit_head"}) {
    EXPECT_NE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  }
  sqlite3_close(db);
  EXPECT_EQ(ReadLog(*Open()).size(), 8u);
}

TEST_F(SqliteStoreTest, AReadOnlyStoreListsButDoesNotWrite) {
  ASSERT_TRUE(Append(*Open(), SmallCatalog()).ok());
  auto store = Open({.read_only = true});
  ASSERT_TRUE(store);
  EXPECT_EQ(LoadRegistry(*store)->parties().size(), 4u);
  auto txn = store->BeginWrite();
  ASSERT_FALSE(txn.ok());
  EXPECT_NE(txn.status().message().find("read-only"), std::string::npos);
}

TEST_F(SqliteStoreTest, AReadOnlyStoreIsListedWhereNoShmFileCanBeMade) {
  ASSERT_TRUE(Append(*Open(), SmallCatalog()).ok());
  ASSERT_FALSE(fs::exists(path_ + "-wal"));  // the last connection cleaned up
  // A dangling link where the -shm file would go makes it impossible to create, even for
  // root, as a read-only folder does for anyone else.
  fs::create_symlink(dir_.File("no-such-dir/shm"), path_ + "-shm");
  EXPECT_FALSE(OpenStatus().ok());
  auto store = Open({.read_only = true});
  ASSERT_TRUE(store);
  auto reg = LoadRegistry(*store);
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  EXPECT_EQ(reg->parties().size(), 4u);
  EXPECT_TRUE(VerifyStore(*store).ok());
}

TEST_F(SqliteStoreTest, AReadOnlyStoreInAReadOnlyFolderIsListed) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores permissions";
  ASSERT_TRUE(Append(*Open(), SmallCatalog()).ok());
  fs::permissions(path_, fs::perms::owner_read);
  fs::permissions(dir_.path(), fs::perms::owner_read | fs::perms::owner_exec);
  auto store = Open({.read_only = true});
  ASSERT_TRUE(store);
  EXPECT_EQ(LoadRegistry(*store)->parties().size(), 4u);
}

TEST_F(SqliteStoreTest, ASchemaVersion1StoreNeedsAWritableOpen) {
  Sql(std::string(sqlite::kSchemaV1) + "PRAGMA user_version = 1;");
  Status s = OpenStatus({.read_only = true});
  EXPECT_EQ(s.code(), StatusCode::kUnsupported);
  EXPECT_NE(s.message().find("open it once for writing"), std::string::npos) << s.message();
}

TEST_F(SqliteStoreTest, AFreshStoreHoldsOnlyTuttisObjects) {
  auto store = Open();
  ASSERT_TRUE(Append(*store, SmallCatalog()).ok());
  EXPECT_TRUE(store->ForeignSchemaObjects()->empty());
  Sql("ANALYZE");  // statistics are not foreign: they change no result
  EXPECT_TRUE(store->ForeignSchemaObjects()->empty());
}

TEST_F(SqliteStoreTest, PlantedAlteredAndRemovedObjectsAreReported) {
  auto store = Open();
  ASSERT_TRUE(Append(*store, SmallCatalog()).ok());
  Sql("CREATE TRIGGER rewrite AFTER INSERT ON audit_log BEGIN SELECT 1; END;"
      "CREATE TABLE notes (x TEXT); CREATE INDEX audit_actor ON audit_log(actor);"
      "CREATE VIEW everything AS SELECT * FROM audit_log;"
      "DROP TRIGGER audit_log_no_delete;"
      "DROP TRIGGER audit_log_no_update;"
      "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT 1; END;");
  auto foreign = store->ForeignSchemaObjects();
  ASSERT_TRUE(foreign.ok()) << foreign.status().message();
  std::vector<std::string> expected = {"index 'audit_actor' on audit_log",
                                       "trigger 'audit_log_no_update' on audit_log, altered from "
                                       "tutti's definition",
                                       "view 'everything'",
                                       "table 'notes'",
                                       "trigger 'rewrite' on audit_log",
                                       "trigger 'audit_log_no_delete' on audit_log, removed"};
  EXPECT_EQ(*foreign, expected);
}

// --- Migration from schema version 1 (tutti 0.1) --------------------------------------

// A version 1 store as tutti 0.1 wrote it: its tables, and log entries whose consent
// statements carry no id.
void WriteVersion1Store(const std::string& path, const std::vector<nlohmann::json>& payloads) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  std::string sql = std::string(sqlite::kSchemaV1) + "PRAGMA user_version = 1;";
  AuditEntry e;
  e.hash = std::string(kGenesisHash);
  for (const nlohmann::json& payload : payloads) {
    e.prev_hash = e.hash;
    e.seq += 1;
    e.at = 1700000000 + e.seq;
    e.actor = "old'timer";
    e.action =
        payload["type"].get<std::string>() + (payload["type"] == "consent" ? ".set" : ".add");
    e.payload = payload.dump();
    e.hash = AuditEntryHash(e);
    char* row = sqlite3_mprintf("INSERT INTO audit_log VALUES (%lld, %lld, %Q, %Q, %Q, %Q, %Q);",
                                static_cast<long long>(e.seq), static_cast<long long>(e.at),
                                e.actor.c_str(), e.action.c_str(), e.payload.c_str(),
                                e.prev_hash.c_str(), e.hash.c_str());
    sql += row;
    sqlite3_free(row);
  }
  sql += "UPDATE audit_head SET seq = " + std::to_string(e.seq) + ", hash = '" + e.hash + "';";
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  std::string message = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

std::vector<nlohmann::json> Version1Payloads() {
  std::vector<nlohmann::json> out;
  for (const Record& r : SmallCatalog()) {
    nlohmann::json j = RecordJson(r);
    if (j["type"] == "consent") j.erase("id");
    out.push_back(j);
  }
  nlohmann::json second = out.back();
  second["at"] = "2026-02-01T00:00:00Z";
  out.push_back(second);
  return out;
}

TEST_F(SqliteStoreTest, AVersion1StoreIsMigratedKeepingEveryEntryAndHash) {
  WriteVersion1Store(path_, Version1Payloads());
  std::string head_before = SqlText("SELECT hash FROM audit_head");
  auto store = Open({});
  ASSERT_TRUE(store);
  EXPECT_EQ(SqlText("PRAGMA user_version"), "2");
  EXPECT_EQ(SqlText("SELECT count(*) FROM sqlite_schema WHERE name = 'parties'"), "0");
  auto head = store->ReadHead();
  EXPECT_EQ(head->seq, 9);
  EXPECT_EQ(head->hash, head_before);
  // The statements without an id get "C<seq>" at replay, as in the migrated columns.
  auto reg = LoadRegistry(*store);
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  ASSERT_EQ(reg->consents().size(), 2u);
  EXPECT_EQ(reg->consents()[0].id, "C8");
  EXPECT_EQ(reg->consents()[1].id, "C9");
  EXPECT_EQ(SqlText("SELECT record_id FROM audit_log WHERE seq = 9"), "C9");
  EXPECT_TRUE(store->ForeignSchemaObjects()->empty());
  auto summary = VerifyStore(*store);
  EXPECT_TRUE(summary.ok()) << summary.status().message();
  // And it is an ordinary store from now on.
  ASSERT_TRUE(Append(*store, {testing::ArtistConsent("C10", 123)}).ok());
  EXPECT_TRUE(VerifyStore(*Open({})).ok());
}

TEST_F(SqliteStoreTest, AVersion1StoreWithARepeatedStatementIsLeftAsItWas) {
  // Two writers of tutti 0.1 could log the same statement twice (issue 7).
  std::vector<nlohmann::json> payloads = Version1Payloads();
  payloads.push_back(payloads.back());
  WriteVersion1Store(path_, payloads);
  Status s = OpenStatus();
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("audit entry 10 repeats a consent"), std::string::npos) << s.message();
  EXPECT_EQ(SqlText("PRAGMA user_version"), "1");
  EXPECT_EQ(SqlText("SELECT count(*) FROM audit_log"), "10");
  EXPECT_EQ(SqlText("SELECT count(*) FROM sqlite_schema WHERE name = 'parties'"), "1");
}

TEST_F(SqliteStoreTest, AStoreOpenedByManyProcessesAtOnceIsCreatedOnce) {
  constexpr int kOpeners = 6;
  std::vector<pid_t> children;
  for (int i = 0; i < kOpeners; ++i) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto store = OpenStore(path_, {.create = true});
      bool ok = store.ok() &&
                Append(**store, {Party{"p" + std::to_string(i), PartyKind::kArtist, "x", ""}}).ok();
      ::_exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  auto store = Open({});
  EXPECT_EQ(LoadRegistry(*store)->parties().size(), static_cast<size_t>(kOpeners));
  EXPECT_TRUE(VerifyStore(*store).ok());
}

TEST_F(SqliteStoreTest, ALargeImportIsOneTransaction) {
  testing::RandomChanges changes(3, "");
  std::vector<Record> records = changes.Next(20000);
  auto store = Open();
  auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(Append(*store, records).ok());
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, std::chrono::seconds(20));  // generous: sanitizer builds are slow
  auto reg = LoadRegistry(*store);
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  EXPECT_EQ(reg->version(), 20000);
}

}  // namespace
}  // namespace tutti
