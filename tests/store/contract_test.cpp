// The contract every Store adapter passes: SQLite always; PostgreSQL when the test script
// started a throwaway server ($TUTTI_TEST_PG_HOST). CI sets TUTTI_REQUIRE_PG=1, so that a
// missing server fails the PostgreSQL cases instead of skipping them.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "postgres_env.h"
#include "store_fixture.h"
#include "tutti/checkpoint.h"
#include "tutti/record_json.h"

namespace tutti {
namespace {

using testing::Append;
using testing::ArtistConsent;
using testing::Dump;
using testing::RandomChanges;
using testing::ReadLog;
using testing::SmallCatalog;
using testing::TempDir;

enum class Adapter { kSqlite, kPostgres };

std::string AdapterName(const ::testing::TestParamInfo<Adapter>& info) {
  return info.param == Adapter::kSqlite ? "Sqlite" : "Postgres";
}

bool PostgresRequired() {
  const char* value = std::getenv("TUTTI_REQUIRE_PG");
  return value && std::string(value) == "1";
}

class StoreContract : public ::testing::TestWithParam<Adapter> {
 protected:
  void SetUp() override {
    if (GetParam() == Adapter::kSqlite) {
      url_ = dir_.File("tutti.db");
      return;
    }
    if (!testing::PostgresConfigured()) {
      if (PostgresRequired()) {
        FAIL() << "TUTTI_REQUIRE_PG=1 but TUTTI_TEST_PG_HOST is not set: no PostgreSQL server";
      }
      GTEST_SKIP() << "no PostgreSQL server: set TUTTI_TEST_PG_HOST to run these cases";
    }
    auto url = testing::MakeTestPostgresDatabase();
    ASSERT_TRUE(url.ok()) << url.status().message();
    url_ = *url;
  }

  std::unique_ptr<Store> Open(int64_t busy_timeout_ms = 30000) {
    StoreOptions options;
    options.create = true;
    options.busy_timeout_ms = busy_timeout_ms;
    auto store = OpenStore(url_, options);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  TempDir dir_;
  std::string url_;
};

INSTANTIATE_TEST_SUITE_P(Adapters, StoreContract,
                         ::testing::Values(Adapter::kSqlite, Adapter::kPostgres), AdapterName);

TEST_P(StoreContract, ANewStoreIsEmptyAndVerifies) {
  auto store = Open();
  ASSERT_TRUE(store);
  auto head = store->ReadHead();
  ASSERT_TRUE(head.ok()) << head.status().message();
  EXPECT_EQ(head->seq, 0);
  EXPECT_EQ(head->hash, kGenesisHash);
  EXPECT_TRUE(ReadLog(*store).empty());
  auto foreign = store->ForeignSchemaObjects();
  ASSERT_TRUE(foreign.ok()) << foreign.status().message();
  EXPECT_TRUE(foreign->empty());
  auto summary = VerifyStore(*store);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->entries, 0);
}

TEST_P(StoreContract, AppendedChangesReadBackInAnotherStore) {
  ASSERT_TRUE(Append(*Open(), SmallCatalog(), "alice", 1234).ok());
  auto store = Open();
  std::vector<AuditEntry> log = ReadLog(*store);
  auto catalog = SmallCatalog();
  ASSERT_EQ(log.size(), catalog.size());
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(log[i].at, 1234);
    EXPECT_EQ(log[i].actor, "alice");
    EXPECT_EQ(log[i].action, RecordAction(catalog[i]));
    EXPECT_EQ(log[i].payload, RecordJson(catalog[i]).dump());
  }
  auto head = store->ReadHead();
  ASSERT_TRUE(head.ok());
  EXPECT_TRUE(VerifyAuditChain(log, *head).ok());
  auto reg = LoadRegistry(*store);
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  EXPECT_EQ(reg->version(), 8);
  EXPECT_EQ(RecordJson(reg->licenses()[0]), RecordJson(catalog[6]));
  ASSERT_NE(reg->FindConsent("C1"), nullptr);
}

TEST_P(StoreContract, ScanLogStartsAfterTheGivenEntryAndStopsAtAnError) {
  auto store = Open();
  ASSERT_TRUE(Append(*store, SmallCatalog()).ok());
  std::vector<AuditEntry> tail = ReadLog(*store, 5);
  ASSERT_EQ(tail.size(), 3u);
  EXPECT_EQ(tail[0].seq, 6);
  EXPECT_EQ(tail[2].seq, 8);
  EXPECT_TRUE(ReadLog(*store, 8).empty());
  EXPECT_TRUE(ReadLog(*store, 1000).empty());
  int calls = 0;
  Status s = store->ScanLog(0, [&](AuditEntry&&) {
    ++calls;
    return Status::Invalid("enough");
  });
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(calls, 1);
}

TEST_P(StoreContract, AnEmptyAppendChangesNothing) {
  auto store = Open();
  ASSERT_TRUE(Append(*store, {}).ok());
  EXPECT_EQ(store->ReadHead()->seq, 0);
}

TEST_P(StoreContract, ARecordWithoutAnIdIsRefused) {
  auto store = Open();
  std::vector<Record> records = {Party{"", PartyKind::kLabel, "Nameless", ""}};
  Status s = Append(*store, records);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("has no id"), std::string::npos) << s.message();
  EXPECT_EQ(store->ReadHead()->seq, 0);
}

TEST_P(StoreContract, TheChangeFeedGivesWhatAFreshLoadGives) {
  auto store = Open();
  RandomChanges changes(7, "");
  ASSERT_TRUE(Append(*store, changes.Next(40)).ok());
  auto old = LoadRegistry(*store);
  ASSERT_TRUE(old.ok()) << old.status().message();
  auto older = LoadRegistry(*store);
  ASSERT_TRUE(older.ok());
  std::mt19937 rng(11);
  for (int batch = 0; batch < 12; ++batch) {
    size_t size = std::uniform_int_distribution<size_t>(1, 30)(rng);
    ASSERT_TRUE(Append(*store, changes.Next(size), "bob", batch).ok());
    if (batch % 4 == 0) {  // some snapshots catch up often, others seldom
      ASSERT_TRUE(ApplyChanges(*store, *old).ok());
    }
  }
  ASSERT_TRUE(ApplyChanges(*store, *old).ok());
  ASSERT_TRUE(ApplyChanges(*store, *older).ok());
  auto fresh = LoadRegistry(*store);
  ASSERT_TRUE(fresh.ok()) << fresh.status().message();
  EXPECT_EQ(fresh->version(), store->ReadHead()->seq);
  EXPECT_EQ(Dump(*old), Dump(*fresh));
  EXPECT_EQ(Dump(*older), Dump(*fresh));

  // Inside a write transaction, too.
  auto stale = LoadRegistry(*store);
  ASSERT_TRUE(stale.ok());
  ASSERT_TRUE(Append(*store, changes.Next(25)).ok());
  auto txn = store->BeginWrite();
  ASSERT_TRUE(txn.ok()) << txn.status().message();
  ASSERT_TRUE(ApplyChanges(**txn, *stale).ok());
  txn->reset();
  EXPECT_EQ(Dump(*stale), Dump(LoadRegistry(*store).value()));
}

TEST_P(StoreContract, ATakenIdIsRefusedAndNothingOfTheTransactionKept) {
  auto store = Open();
  ASSERT_TRUE(Append(*store, SmallCatalog()).ok());
  std::vector<Record> records = {Party{"newcomer", PartyKind::kArtist, "New", ""},
                                 Party{"label", PartyKind::kLabel, "Another label", ""}};
  Status s = Append(*store, records);
  ASSERT_EQ(s.code(), StatusCode::kInvalidArgument) << s.message();
  EXPECT_NE(s.message().find("party 'label'"), std::string::npos) << s.message();
  EXPECT_EQ(store->ReadHead()->seq, 8);
  EXPECT_EQ(ReadLog(*store).size(), 8u);
  EXPECT_EQ(LoadRegistry(*store)->FindParty("newcomer"), nullptr);
  EXPECT_TRUE(VerifyStore(*store).ok());
}

TEST_P(StoreContract, ARepeatedConsentKeyIsRefusedAndNothingOfTheTransactionKept) {
  auto store = Open();
  ASSERT_TRUE(Append(*store, SmallCatalog()).ok());
  ASSERT_TRUE(Append(*store, {ArtistConsent("C2", 5000)}).ok());
  // Another id, but the same party, scope, target, use and time: the schema refuses it.
  std::vector<Record> records = {Party{"newcomer", PartyKind::kArtist, "New", ""},
                                 ArtistConsent("C3", 5000, false)};
  Status s = Append(*store, records);
  ASSERT_EQ(s.code(), StatusCode::kInvalidArgument) << s.message();
  EXPECT_NE(s.message().find("consent 'C3'"), std::string::npos) << s.message();
  EXPECT_EQ(store->ReadHead()->seq, 9);
  auto reg = LoadRegistry(*store);
  ASSERT_TRUE(reg.ok());
  EXPECT_EQ(reg->FindParty("newcomer"), nullptr);
  EXPECT_EQ(reg->FindConsent("C3"), nullptr);
  // A later time is another statement.
  EXPECT_TRUE(Append(*store, {ArtistConsent("C3", 5001, false)}).ok());
}

TEST_P(StoreContract, ATransactionDestroyedWithoutCommitLeavesNothing) {
  auto store = Open();
  ASSERT_TRUE(Append(*store, SmallCatalog()).ok());
  AuditHead before = store->ReadHead().value();
  {
    auto txn = store->BeginWrite();
    ASSERT_TRUE(txn.ok());
    StoredChange change;
    Record party = Party{"ghost", PartyKind::kLabel, "Ghost", ""};
    change.entry = {before.seq + 1,           5,           "mallory", "party.add",
                    RecordJson(party).dump(), before.hash, ""};
    change.entry.hash = AuditEntryHash(change.entry);
    change.kind = "party";
    change.record_id = change.record_key = "ghost";
    ASSERT_TRUE((*txn)->Put(change).ok());
    // Inside the transaction the change is visible ...
    int seen = 0;
    ASSERT_TRUE((*txn)
                    ->ScanLog(before.seq,
                              [&](AuditEntry&&) {
                                ++seen;
                                return Status::Ok();
                              })
                    .ok());
    EXPECT_EQ(seen, 1);
  }
  // ... and after, nothing of it.
  AuditHead after = store->ReadHead().value();
  EXPECT_EQ(after.seq, before.seq);
  EXPECT_EQ(after.hash, before.hash);
  EXPECT_EQ(ReadLog(*Open()).size(), 8u);
  // The lock went with it.
  auto other = Open(100);
  auto again = other->BeginWrite();
  EXPECT_TRUE(again.ok()) << again.status().message();
}

TEST_P(StoreContract, ACommittedTransactionCannotBeUsedAgain) {
  auto store = Open();
  auto txn = store->BeginWrite();
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE(AppendChanges(**txn, SmallCatalog(), "alice", 1).ok());
  EXPECT_FALSE((*txn)->Head().ok());
  EXPECT_FALSE((*txn)->Commit(AuditHead{0, std::string(kGenesisHash)}).ok());
  txn->reset();
  EXPECT_EQ(store->ReadHead()->seq, 8);
}

TEST_P(StoreContract, OneStoreHasOneWriteTransactionAtATime) {
  auto store = Open(100);
  auto first = store->BeginWrite();
  ASSERT_TRUE(first.ok()) << first.status().message();
  auto second = store->BeginWrite();
  EXPECT_FALSE(second.ok());
  ASSERT_TRUE(AppendChanges(**first, SmallCatalog(), "alice", 1).ok());
  first->reset();
  auto third = store->BeginWrite();
  EXPECT_TRUE(third.ok()) << third.status().message();
}

TEST_P(StoreContract, ASecondWriterWaitsForTheLockAndGivesUpAfterItsTimeout) {
  auto holder = Open();
  ASSERT_TRUE(Append(*holder, SmallCatalog()).ok());
  auto held = holder->BeginWrite();
  ASSERT_TRUE(held.ok()) << held.status().message();

  auto impatient = Open(100);
  auto start = std::chrono::steady_clock::now();
  auto refused = impatient->BeginWrite();
  auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), StatusCode::kBusy) << refused.status().message();
  EXPECT_NE(refused.status().message().find("100 ms"), std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find(impatient->Describe()), std::string::npos);
  EXPECT_GE(waited, std::chrono::milliseconds(90));
  // Readers do not wait for the writer.
  EXPECT_EQ(impatient->ReadHead()->seq, 8);

  // A patient writer waits, then gets the lock and sees what the first one committed.
  auto patient = Open(20000);
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    auto txn = patient->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().message();
    got = true;
    EXPECT_EQ((*txn)->Head()->seq, 9);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_FALSE(got);
  std::vector<Record> records = {ArtistConsent("C2", 7000)};
  ASSERT_TRUE(AppendChanges(**held, records, "alice", 2).ok());
  waiter.join();
  EXPECT_TRUE(got);
}

// One writer's loop: read the head, catch up, validate against the state inside the write
// transaction, append. Round r's consent statement has the same key for every writer, so
// only the first to get the lock in round r may add it; the party is the writer's own.
// Every fourth round the writer skips validation, so the schema's constraint must refuse.
// Returns what went wrong, or "" when every write landed or failed cleanly.
std::string WriterLoop(const std::string& url, int writer, int rounds) {
  auto opened = OpenStore(url);
  if (!opened.ok()) return opened.status().message();
  Store& store = **opened;
  auto loaded = LoadRegistry(store);
  if (!loaded.ok()) return loaded.status().message();
  Registry reg = std::move(loaded).value();
  for (int round = 0; round < rounds; ++round) {
    std::string tag = "w" + std::to_string(writer) + "r" + std::to_string(round);
    Consent consent = ArtistConsent("C" + tag, 1'000'000 + round, writer % 2 == 0);
    bool validate = round % 4 != 3;
    auto txn = store.BeginWrite();
    if (!txn.ok()) return txn.status().message();
    if (Status s = ApplyChanges(**txn, reg); !s.ok()) return "catching up: " + s.message();
    bool taken = false;
    for (const Consent& c : reg.consents()) taken |= RecordKey(c) == RecordKey(consent);
    std::vector<Record> records = {Party{"P" + tag, PartyKind::kArtist, tag, ""}};
    if (!validate || !taken) records.push_back(consent);
    Status s = AppendChanges(**txn, records, "writer", round);
    if (s.ok()) continue;
    if (validate || !taken || s.code() != StatusCode::kInvalidArgument) {
      return "round " + std::to_string(round) + ": " + s.message();
    }
    // Refused as it should be: the party alone must land.
    txn->reset();
    auto retry = store.BeginWrite();
    if (!retry.ok()) return retry.status().message();
    records.pop_back();
    if (Status again = AppendChanges(**retry, records, "writer", round); !again.ok()) {
      return "round " + std::to_string(round) + ", party alone: " + again.message();
    }
  }
  return "";
}

void ExpectEveryWriteLanded(Store& store, int writers, int rounds) {
  auto reg = LoadRegistry(store);
  ASSERT_TRUE(reg.ok()) << reg.status().message();
  EXPECT_EQ(reg->parties().size(), 4u + static_cast<size_t>(writers * rounds));
  EXPECT_EQ(reg->consents().size(), 1u + static_cast<size_t>(rounds));
  for (int w = 0; w < writers; ++w) {
    for (int r = 0; r < rounds; ++r) {
      std::string id = "Pw" + std::to_string(w) + "r" + std::to_string(r);
      EXPECT_NE(reg->FindParty(id), nullptr) << id << " was lost";
    }
  }
  auto summary = VerifyStore(store);
  ASSERT_TRUE(summary.ok()) << summary.status().message();
  EXPECT_EQ(summary->entries, static_cast<int64_t>(4 + 4 + writers * rounds + rounds));
}

TEST_P(StoreContract, WritersInThreadsLoseNothing) {
  constexpr int kWriters = 4, kRounds = 40;
  ASSERT_TRUE(Append(*Open(), SmallCatalog()).ok());
  std::vector<std::string> errors(kWriters);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] { errors[w] = WriterLoop(url_, w, kRounds); });
  }
  for (auto& t : threads) t.join();
  for (int w = 0; w < kWriters; ++w) EXPECT_EQ(errors[w], "") << "writer " << w;
  ExpectEveryWriteLanded(*Open(), kWriters, kRounds);
}

TEST_P(StoreContract, WritersInProcessesLoseNothing) {
  constexpr int kWriters = 4, kRounds = 40;
  ASSERT_TRUE(Append(*Open(), SmallCatalog()).ok());
  // Each child opens its own store and reports through its exit status and a pipe.
  std::vector<std::pair<pid_t, int>> children;
  for (int w = 0; w < kWriters; ++w) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      std::string error = WriterLoop(url_, w, kRounds);
      if (!error.empty()) (void)!::write(fds[1], error.data(), error.size());
      ::_exit(error.empty() ? 0 : 1);  // no destructors: the parent's handles are not ours
    }
    ::close(fds[1]);
    children.emplace_back(pid, fds[0]);
  }
  for (auto [pid, fd] : children) {
    std::string error;
    char buffer[512];
    for (ssize_t n; (n = ::read(fd, buffer, sizeof buffer)) > 0;) error.append(buffer, n);
    ::close(fd);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "writer " << pid << ": " << error;
  }
  ExpectEveryWriteLanded(*Open(), kWriters, kRounds);
}

TEST_P(StoreContract, CheckpointsPinTheHistory) {
  auto store = Open();
  ASSERT_TRUE(Append(*store, SmallCatalog()).ok());
  std::array<uint8_t, 32> seed{};
  seed[0] = 1;
  SigningKey key = SigningKey::FromSeed(seed);
  auto checkpoint = MakeCheckpoint(*store, key, 99);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().message();
  EXPECT_EQ(checkpoint->seq, 8);
  EXPECT_EQ(checkpoint->store, store->Describe());
  Status s = VerifyAgainstCheckpoint(*store, *checkpoint, key.public_key());
  EXPECT_TRUE(s.ok()) << s.message();
  // The store grows: its history still extends the checkpoint's.
  ASSERT_TRUE(Append(*store, {ArtistConsent("C2", 5000)}).ok());
  s = VerifyAgainstCheckpoint(*Open(), *checkpoint, key.public_key());
  EXPECT_TRUE(s.ok()) << s.message();
  // Signed by someone else: refused, saying so.
  seed[0] = 2;
  SigningKey other = SigningKey::FromSeed(seed);
  auto forged = MakeCheckpoint(*store, other, 99);
  ASSERT_TRUE(forged.ok());
  s = VerifyAgainstCheckpoint(*store, *forged, key.public_key());
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_NE(s.message().find("not by the trusted key"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace tutti
