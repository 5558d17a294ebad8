// The PostgreSQL adapter against a real server: what the contract suite cannot see (schema,
// locking, batching, planted objects, URIs and their passwords).
#include "store/postgres/postgres_store.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>

#include "postgres_env.h"
#include "store/postgres/pg.h"
#include "tutti/audit.h"

namespace tutti {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

StoreOptions Create(int64_t busy_timeout_ms = 30000) {
  StoreOptions o;
  o.create = true;
  o.busy_timeout_ms = busy_timeout_ms;
  return o;
}

StoredChange Change(int64_t seq, const std::string& prev_hash, const std::string& id,
                    const std::string& key = "") {
  StoredChange c;
  c.entry.seq = seq;
  c.entry.at = 1700000000 + seq;
  c.entry.actor = "tester";
  c.entry.action = "party.add";
  c.entry.payload = R"({"type":"party","id":")" + id + R"(","name":"Name )" + id + R"("})";
  c.entry.prev_hash = prev_hash;
  c.entry.hash = AuditEntryHash(c.entry);
  c.kind = "party";
  c.record_id = id;
  c.record_key = key.empty() ? id : key;
  return c;
}

// `n` chained changes after `head`, ids P<seq>.
std::vector<StoredChange> Changes(const AuditHead& head, int64_t n) {
  std::vector<StoredChange> out;
  std::string prev = head.hash;
  for (int64_t seq = head.seq + 1; seq <= head.seq + n; ++seq) {
    out.push_back(Change(seq, prev, "P" + std::to_string(seq)));
    prev = out.back().entry.hash;
  }
  return out;
}

AuditHead HeadAfter(const std::vector<StoredChange>& changes) {
  return {changes.back().entry.seq, changes.back().entry.hash};
}

Status Append(Store& store, int64_t n) {
  TUTTI_ASSIGN_OR_RETURN(auto txn, store.BeginWrite());
  TUTTI_ASSIGN_OR_RETURN(AuditHead head, txn->Head());
  auto changes = Changes(head, n);
  for (const auto& c : changes) TUTTI_RETURN_IF_ERROR(txn->Put(c));
  return txn->Commit(HeadAfter(changes));
}

std::vector<AuditEntry> Scan(Store& store, int64_t after = 0) {
  std::vector<AuditEntry> out;
  Status s = store.ScanLog(after, [&](AuditEntry&& e) {
    out.push_back(std::move(e));
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.message();
  return out;
}

// Runs SQL over a connection of its own, as an administrator (or an attacker) would.
Status Sql(const std::string& uri, const std::string& sql) {
  pg::ConnHandle conn(PQconnectdb(uri.c_str()));
  if (PQstatus(conn.get()) != CONNECTION_OK) return Status::IoError(PQerrorMessage(conn.get()));
  pg::ResultHandle r(PQexec(conn.get(), sql.c_str()));
  ExecStatusType st = PQresultStatus(r.get());
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    return Status::Invalid(PQerrorMessage(conn.get()));
  }
  return Status::Ok();
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!testing::PostgresConfigured()) {
      if (std::getenv("TUTTI_REQUIRE_PG") != nullptr) {
        FAIL() << "TUTTI_REQUIRE_PG is set but TUTTI_TEST_PG_HOST is not";
      }
      GTEST_SKIP() << "TUTTI_TEST_PG_HOST is not set (scripts/test.sh starts a server)";
    }
    Result<std::string> uri = testing::MakeTestPostgresDatabase();
    ASSERT_TRUE(uri.ok()) << uri.status().message();
    uri_ = *uri;
  }

  std::unique_ptr<Store> Open(const StoreOptions& options = Create()) {
    auto store = OpenPostgresStore(uri_, options);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::string uri_;
};

TEST_F(PostgresStoreTest, CreatesAnEmptyStoreAndReopensIt) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto head = store->ReadHead();
  ASSERT_TRUE(head.ok()) << head.status().message();
  EXPECT_EQ(head->seq, 0);
  EXPECT_EQ(head->hash, kGenesisHash);
  EXPECT_TRUE(Scan(*store).empty());
  auto foreign = store->ForeignSchemaObjects();
  ASSERT_TRUE(foreign.ok()) << foreign.status().message();
  EXPECT_TRUE(foreign->empty()) << (*foreign)[0];
  ASSERT_TRUE(Append(*store, 2).ok());
  store.reset();

  StoreOptions existing;  // no create
  auto reopened = Open(existing);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(reopened->ReadHead()->seq, 2);
  EXPECT_EQ(Scan(*reopened).size(), 2u);
}

TEST_F(PostgresStoreTest, MissingStoreIsNotFoundWithoutCreate) {
  for (bool read_only : {false, true}) {
    StoreOptions o;
    o.read_only = read_only;
    auto store = OpenPostgresStore(uri_, o);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), StatusCode::kNotFound);
    EXPECT_TRUE(Contains(store.status().message(), "run 'tutti init' first"))
        << store.status().message();
  }
  // And nothing was created by asking.
  StoreOptions o;
  EXPECT_EQ(OpenPostgresStore(uri_, o).status().code(), StatusCode::kNotFound);
}

TEST_F(PostgresStoreTest, ReadOnlyStoreReadsButDoesNotWrite) {
  ASSERT_TRUE(Append(*Open(), 3).ok());
  StoreOptions o;
  o.read_only = true;
  auto store = Open(o);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Scan(*store).size(), 3u);
  auto txn = store->BeginWrite();
  ASSERT_FALSE(txn.ok());
  EXPECT_TRUE(Contains(txn.status().message(), "read-only"));
}

TEST_F(PostgresStoreTest, PutScanAndHeadKeepEveryByte) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto txn = store->BeginWrite();
  ASSERT_TRUE(txn.ok()) << txn.status().message();
  auto changes = Changes({0, std::string(kGenesisHash)}, 3);
  // What COPY's text format must escape, and text outside ASCII.
  changes[1].entry.payload =
      "{\"name\":\"tab\\t\ttab, nl\n, cr\r, bs\\\\ \\N, \xC3\xA9\xE6\x97\xA5\"}";
  changes[1].entry.actor = "a\\N";
  for (const auto& c : changes) ASSERT_TRUE((*txn)->Put(c).ok());
  ASSERT_TRUE((*txn)->Commit(HeadAfter(changes)).ok());

  auto head = store->ReadHead();
  EXPECT_EQ(head->seq, 3);
  EXPECT_EQ(head->hash, changes[2].entry.hash);
  auto entries = Scan(*store);
  ASSERT_EQ(entries.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(entries[i].seq, changes[i].entry.seq);
    EXPECT_EQ(entries[i].at, changes[i].entry.at);
    EXPECT_EQ(entries[i].actor, changes[i].entry.actor);
    EXPECT_EQ(entries[i].action, changes[i].entry.action);
    EXPECT_EQ(entries[i].payload, changes[i].entry.payload);
    EXPECT_EQ(entries[i].prev_hash, changes[i].entry.prev_hash);
    EXPECT_EQ(entries[i].hash, changes[i].entry.hash);
  }
  auto tail = Scan(*store, 2);
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_EQ(tail[0].seq, 3);
  EXPECT_TRUE(Scan(*store, 3).empty());
}

TEST_F(PostgresStoreTest, TakenIdOrKeyIsRefusedAndNothingIsKept) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(Append(*store, 2).ok());  // P1, P2
  const AuditHead before = *store->ReadHead();

  struct Case {
    std::string id, key, constraint;
  };
  for (const Case& c :
       {Case{"P1", "fresh key", "audit_log_id_unique"}, Case{"P9", "P2", "audit_log_key_unique"}}) {
    auto txn = store->BeginWrite();
    ASSERT_TRUE(txn.ok());
    StoredChange ok = Change(3, before.hash, "P3");
    ASSERT_TRUE((*txn)->Put(ok).ok());
    Status s = (*txn)->Put(Change(4, ok.entry.hash, c.id, c.key));
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(Contains(s.message(), c.constraint)) << s.message();
    EXPECT_FALSE((*txn)->Commit({4, "x"}).ok());
    EXPECT_FALSE((*txn)->Put(Change(5, "x", "P5")).ok());  // the transaction stays failed
  }
  EXPECT_EQ(store->ReadHead()->seq, before.seq);
  EXPECT_EQ(Scan(*store).size(), 2u);
}

TEST_F(PostgresStoreTest, TakenIdInABatchIsRefusedByCommit) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(Append(*store, 1).ok());  // P1
  auto txn = store->BeginWrite();
  ASSERT_TRUE(txn.ok());
  auto changes = Changes(*(*txn)->Head(), 500);
  changes[400].record_id = "P1";  // past the synchronous Puts: buffered
  Status s;
  for (const auto& c : changes) {
    s = (*txn)->Put(c);
    if (!s.ok()) break;
  }
  if (s.ok()) s = (*txn)->Commit(HeadAfter(changes));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(s.message(), "audit_log_id_unique")) << s.message();
  txn->reset();
  EXPECT_EQ(store->ReadHead()->seq, 1);
  EXPECT_EQ(Scan(*store).size(), 1u);
}

TEST_F(PostgresStoreTest, UnstorableTextIsRefused) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto nul = Change(1, std::string(kGenesisHash), "P1");
  nul.entry.payload = std::string("{\"a\":\"x\0y\"}", 12);
  auto bad_utf8 = Change(1, std::string(kGenesisHash), "P1");
  bad_utf8.entry.actor = "\xff\xfe";
  for (const auto& c : {nul, bad_utf8}) {
    auto txn = store->BeginWrite();
    ASSERT_TRUE(txn.ok());
    Status s = (*txn)->Put(c);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.message();
  }
  EXPECT_EQ(store->ReadHead()->seq, 0);
}

TEST_F(PostgresStoreTest, UncommittedTransactionRollsBackWhenDestroyed) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  {
    auto txn = store->BeginWrite();
    ASSERT_TRUE(txn.ok());
    for (const auto& c : Changes(*(*txn)->Head(), 100)) ASSERT_TRUE((*txn)->Put(c).ok());
    // Reads on the store see the committed state, not the open write.
    EXPECT_EQ(store->ReadHead()->seq, 0);
    EXPECT_TRUE(Scan(*store).empty());
    // The transaction sees its own Puts, buffered ones included.
    int64_t seen = 0;
    ASSERT_TRUE((*txn)
                    ->ScanLog(0,
                              [&](AuditEntry&&) {
                                ++seen;
                                return Status::Ok();
                              })
                    .ok());
    EXPECT_EQ(seen, 100);
  }
  EXPECT_EQ(store->ReadHead()->seq, 0);
  EXPECT_TRUE(Scan(*store).empty());
  EXPECT_TRUE(Append(*store, 1).ok());  // the lock was released
}

TEST_F(PostgresStoreTest, CommitRefusesAHeadThatIsNotTheLastEntry) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  auto txn = store->BeginWrite();
  ASSERT_TRUE(txn.ok());
  auto changes = Changes(*(*txn)->Head(), 2);
  for (const auto& c : changes) ASSERT_TRUE((*txn)->Put(c).ok());
  EXPECT_FALSE((*txn)->Commit({1, changes[0].entry.hash}).ok());
  txn->reset();
  txn = store->BeginWrite();
  for (const auto& c : changes) ASSERT_TRUE((*txn)->Put(c).ok());
  EXPECT_FALSE((*txn)->Commit({2, changes[0].entry.hash}).ok());
  txn->reset();
  txn = store->BeginWrite();
  EXPECT_FALSE((*txn)->Commit({0, changes[0].entry.hash}).ok());  // 0 is the genesis
  txn->reset();
  txn = store->BeginWrite();
  EXPECT_TRUE((*txn)->Commit({0, std::string(kGenesisHash)}).ok());  // an empty write
  EXPECT_EQ(store->ReadHead()->seq, 0);
  EXPECT_EQ(store->ReadHead()->hash, kGenesisHash);
}

TEST_F(PostgresStoreTest, SecondWriterFailsBusyAfterItsTimeout) {
  auto a = Open();
  auto b = Open(Create(300));
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  auto held = a->BeginWrite();
  ASSERT_TRUE(held.ok());
  auto start = steady_clock::now();
  auto waited = b->BeginWrite();
  auto elapsed = steady_clock::now() - start;
  ASSERT_FALSE(waited.ok());
  EXPECT_EQ(waited.status().code(), StatusCode::kBusy);
  EXPECT_TRUE(Contains(waited.status().message(), "300 ms")) << waited.status().message();
  EXPECT_GE(elapsed, milliseconds(250));
  EXPECT_LT(elapsed, milliseconds(10000));

  auto c = Open(Create(0));  // no wait at all
  auto refused = c->BeginWrite();
  EXPECT_EQ(refused.status().code(), StatusCode::kBusy);

  held->reset();
  EXPECT_TRUE(b->BeginWrite().ok());  // free again
}

TEST_F(PostgresStoreTest, WaitingWriterSeesWhatThePreviousOneCommitted) {
  auto a = Open();
  auto b = Open();
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  auto first = a->BeginWrite();
  ASSERT_TRUE(first.ok());
  auto changes = Changes(*(*first)->Head(), 3);
  for (const auto& c : changes) ASSERT_TRUE((*first)->Put(c).ok());

  Result<AuditHead> b_head = Status::Internal("not run");
  int64_t b_seen = 0;
  Status b_status;
  std::thread second([&] {
    auto txn = b->BeginWrite();  // waits for a's commit
    if (!txn.ok()) {
      b_status = txn.status();
      return;
    }
    b_head = (*txn)->Head();
    b_status = (*txn)->ScanLog(0, [&](AuditEntry&&) {
      ++b_seen;
      return Status::Ok();
    });
    if (!b_status.ok() || !b_head.ok()) return;
    auto next = Changes(*b_head, 1);
    b_status = (*txn)->Put(next[0]);
    if (b_status.ok()) b_status = (*txn)->Commit(HeadAfter(next));
  });
  std::this_thread::sleep_for(milliseconds(300));
  ASSERT_TRUE((*first)->Commit(HeadAfter(changes)).ok());
  second.join();
  ASSERT_TRUE(b_status.ok()) << b_status.message();
  ASSERT_TRUE(b_head.ok());
  EXPECT_EQ(b_head->seq, 3);
  EXPECT_EQ(b_head->hash, changes[2].entry.hash);
  EXPECT_EQ(b_seen, 3);
  EXPECT_EQ(a->ReadHead()->seq, 4);
}

TEST_F(PostgresStoreTest, ScanStreamsManyEntriesInOrderAndStopsAtAnError) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  constexpr int64_t kEntries = 20000;  // two full fetches, then an empty one
  ASSERT_TRUE(Append(*store, kEntries).ok());
  int64_t expected = 1;
  ASSERT_TRUE(store
                  ->ScanLog(0,
                            [&](AuditEntry&& e) {
                              if (e.seq != expected) return Status::Corruption("out of order");
                              ++expected;
                              return Status::Ok();
                            })
                  .ok());
  EXPECT_EQ(expected, kEntries + 1);
  EXPECT_EQ(Scan(*store, kEntries - 10).size(), 10u);

  int64_t calls = 0;
  Status s = store->ScanLog(0, [&](AuditEntry&& e) {
    ++calls;
    return e.seq == 12345 ? Status::Invalid("stop here") : Status::Ok();
  });
  EXPECT_EQ(s.message(), "stop here");
  EXPECT_EQ(calls, 12345);
  EXPECT_EQ(store->ReadHead()->seq, kEntries);  // and the store is usable after
  EXPECT_TRUE(Append(*store, 1).ok());

  // A callback that throws must not leave the scan's snapshot behind for the next scans.
  EXPECT_THROW(
      (void)store->ScanLog(0, [](AuditEntry&&) -> Status { throw std::runtime_error("x"); }),
      std::runtime_error);
  EXPECT_TRUE(Append(*store, 1).ok());
  EXPECT_EQ(Scan(*store, kEntries).size(), 2u);
  // A scan started from another's callback.
  int64_t inner = 0;
  EXPECT_TRUE(store
                  ->ScanLog(kEntries - 1,
                            [&](AuditEntry&&) {
                              inner += static_cast<int64_t>(Scan(*store, kEntries).size());
                              return Status::Ok();
                            })
                  .ok());
  EXPECT_EQ(inner, 3 * 2);
}

TEST_F(PostgresStoreTest, ReconnectsAfterTheServerDroppedItsConnections) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(Append(*store, 2).ok());  // the writer's connection is open too
  ASSERT_TRUE(Sql(uri_,
                  "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                  "WHERE datname = current_database() AND pid <> pg_backend_pid()")
                  .ok());
  auto head = store->ReadHead();
  ASSERT_TRUE(head.ok()) << head.status().message();
  EXPECT_EQ(head->seq, 2);
  ASSERT_TRUE(Sql(uri_,
                  "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
                  "WHERE datname = current_database() AND pid <> pg_backend_pid()")
                  .ok());
  EXPECT_EQ(Scan(*store).size(), 2u);
  EXPECT_TRUE(Append(*store, 1).ok());
  EXPECT_EQ(Scan(*store).size(), 3u);
}

TEST_F(PostgresStoreTest, TheLogIsAppendOnly) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(Append(*store, 2).ok());
  for (const char* sql :
       {"UPDATE tutti.audit_log SET payload = '{}' WHERE seq = 1",
        "DELETE FROM tutti.audit_log WHERE seq = 2", "TRUNCATE tutti.audit_log",
        "UPDATE tutti.head SET seq = 1", "DELETE FROM tutti.head", "TRUNCATE tutti.head"}) {
    EXPECT_FALSE(Sql(uri_, sql).ok()) << sql;
  }
  EXPECT_EQ(Scan(*store).size(), 2u);
  EXPECT_EQ(store->ReadHead()->seq, 2);
}

TEST_F(PostgresStoreTest, ForeignSchemaObjectsNamePlantedAndAlteredObjects) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(Sql(uri_,
                  "CREATE FUNCTION public.rewrite() RETURNS trigger LANGUAGE plpgsql AS "
                  "$$BEGIN NEW.payload := '{}'; RETURN NEW; END$$; "
                  "CREATE TRIGGER x BEFORE INSERT ON tutti.audit_log FOR EACH ROW "
                  "EXECUTE FUNCTION public.rewrite(); "
                  "CREATE VIEW tutti.v AS SELECT 1 AS one; "
                  "CREATE RULE r AS ON INSERT TO tutti.head DO INSTEAD NOTHING; "
                  "CREATE POLICY p ON tutti.audit_log USING (seq < 10); "
                  "CREATE INDEX i ON tutti.audit_log (actor); "
                  "ALTER TABLE tutti.head DISABLE TRIGGER head_moves_forward; "
                  "DROP TRIGGER head_kept ON tutti.head; "
                  "CREATE OR REPLACE FUNCTION tutti.refuse_change() RETURNS trigger LANGUAGE "
                  "plpgsql AS $$BEGIN RETURN NULL; END$$")
                  .ok());
  auto foreign = store->ForeignSchemaObjects();
  ASSERT_TRUE(foreign.ok()) << foreign.status().message();
  std::string all;
  for (const auto& f : *foreign) all += f + "\n";
  for (const char* expected :
       {"trigger 'x' on tutti.audit_log\n", "view 'v' in tutti\n", "rule 'r' on tutti.head\n",
        "policy 'p' on tutti.audit_log\n", "index 'i' on tutti.audit_log\n",
        "trigger 'head_moves_forward' on tutti.head is disabled\n",
        "trigger 'head_kept' on tutti.head is missing\n",
        "function 'tutti.refuse_change' was altered\n"}) {
    EXPECT_TRUE(Contains(all, expected)) << "missing: " << expected << "in:\n" << all;
  }
  EXPECT_EQ(foreign->size(), 8u) << all;
}

TEST_F(PostgresStoreTest, ConcurrentCreatesBothSucceed) {
  for (int round = 0; round < 3; ++round) {
    if (round > 0) {
      auto fresh = testing::MakeTestPostgresDatabase();
      ASSERT_TRUE(fresh.ok());
      uri_ = *fresh;
    }
    Status results[2];
    std::thread threads[2];
    for (int i = 0; i < 2; ++i) {
      threads[i] = std::thread([&, i] { results[i] = OpenPostgresStore(uri_, Create()).status(); });
    }
    for (auto& t : threads) t.join();
    for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.message();
    auto store = Open();
    ASSERT_NE(store, nullptr);
    EXPECT_TRUE(store->ForeignSchemaObjects()->empty());
  }
}

TEST_F(PostgresStoreTest, NewerSchemaIsUnsupported) {
  ASSERT_NE(Open(), nullptr);
  ASSERT_TRUE(Sql(uri_, "UPDATE tutti.schema_version SET version = 999").ok());
  auto store = OpenPostgresStore(uri_, Create());
  EXPECT_EQ(store.status().code(), StatusCode::kUnsupported);
  EXPECT_TRUE(Contains(store.status().message(), "999")) << store.status().message();
}

TEST_F(PostgresStoreTest, SomeoneElsesSchemaNamedTuttiIsRefused) {
  ASSERT_TRUE(Sql(uri_, "CREATE SCHEMA tutti; CREATE TABLE tutti.mine (x int)").ok());
  auto store = OpenPostgresStore(uri_, Create());
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(store.status().message(), "not a tutti store"));
  // An empty one (made by an administrator for tutti) is used.
  ASSERT_TRUE(Sql(uri_, "DROP TABLE tutti.mine").ok());
  EXPECT_NE(Open(), nullptr);
}

TEST_F(PostgresStoreTest, DescribeAndErrorsHideThePassword) {
  // The test server trusts the socket: the password is accepted and ignored.
  std::string with_password = uri_;
  with_password.replace(with_password.find("postgresql://"), 13, "postgresql://postgres:s3cret@");
  with_password += "&password=s3cret";
  auto store = OpenPostgresStore(with_password, Create());
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_FALSE(Contains((*store)->Describe(), "s3cret")) << (*store)->Describe();
  EXPECT_TRUE(Contains((*store)->Describe(), "postgres@")) << (*store)->Describe();

  // libpq quotes a malformed URI whole in its message.
  auto malformed = OpenPostgresStore("postgresql://u:s3cret@[::1/db?password=s3cret", {});
  ASSERT_FALSE(malformed.ok());
  EXPECT_FALSE(Contains(malformed.status().message(), "s3cret")) << malformed.status().message();
  auto bad_escape = OpenPostgresStore("postgresql://u:s3cret%zz@h/db", {});
  ASSERT_FALSE(bad_escape.ok());
  EXPECT_FALSE(Contains(bad_escape.status().message(), "s3cret")) << bad_escape.status().message();

  auto keywords = OpenPostgresStore("host=/tmp password=s3cret dbname=x", {});
  ASSERT_FALSE(keywords.ok());
  EXPECT_FALSE(Contains(keywords.status().message(), "s3cret")) << keywords.status().message();

  auto unreachable =
      OpenPostgresStore("postgresql://u:s3cret@/db?host=/nonexistent/dir&password=s3cret", {});
  ASSERT_FALSE(unreachable.ok());
  EXPECT_FALSE(Contains(unreachable.status().message(), "s3cret"));
}

// Figures for docs/POSTGRES.md: scripts/pg.sh start DIR, then TUTTI_TEST_PG_HOST=DIR
// postgres_store_test --gtest_also_run_disabled_tests --gtest_filter='*Throughput*'
TEST_F(PostgresStoreTest, DISABLED_Throughput) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  const int64_t n = 100000;
  std::vector<StoredChange> changes;
  std::string prev(kGenesisHash);
  for (int64_t seq = 1; seq <= n; ++seq) {
    std::string id = "R" + std::to_string(seq);
    StoredChange c = Change(seq, prev, id);
    c.entry.payload = R"({"type":"recording","id":")" + id +
                      R"(","title":"A recording title of some length","isrc":"USRC17607839",)"
                      R"("work":"W123","artists":["P1","P2"],"shares":[{"party":"P1",)"
                      R"("percent":"50%"},{"party":"P2","percent":"50%"}]})";
    c.entry.hash = AuditEntryHash(c.entry);
    prev = c.entry.hash;
    changes.push_back(std::move(c));
  }
  auto t0 = steady_clock::now();
  auto txn = store->BeginWrite();
  ASSERT_TRUE(txn.ok());
  for (const auto& c : changes) ASSERT_TRUE((*txn)->Put(c).ok());
  ASSERT_TRUE((*txn)->Commit(HeadAfter(changes)).ok());
  auto t1 = steady_clock::now();
  int64_t count = 0;
  ASSERT_TRUE(store
                  ->ScanLog(0,
                            [&](AuditEntry&&) {
                              ++count;
                              return Status::Ok();
                            })
                  .ok());
  auto t2 = steady_clock::now();
  double put = std::chrono::duration<double>(t1 - t0).count();
  double scan = std::chrono::duration<double>(t2 - t1).count();
  std::printf("Put+Commit of %lld entries in one transaction: %.2f s, %.0f entries/s\n",
              static_cast<long long>(n), put, n / put);
  std::printf("ScanLog of %lld entries: %.2f s, %.0f entries/s\n", static_cast<long long>(count),
              scan, count / scan);
  EXPECT_EQ(count, n);
}

}  // namespace
}  // namespace tutti
