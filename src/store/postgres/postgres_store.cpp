// The PostgreSQL adapter of the Store port.
//
// Connections: a Store holds one connection for reads and opens a second one for its write
// transactions the first time it writes, so that a read during a write sees the committed
// state, as the port promises, and not the writer's uncommitted rows.
//
// The write lock is the head row: BeginWrite runs, in a READ COMMITTED transaction,
//
//   SET LOCAL lock_timeout = <busy_timeout_ms>;
//   SELECT seq, hash FROM tutti.head FOR UPDATE;
//
// Once the row lock is granted, READ COMMITTED gives the newest committed version of the head
// row, and every later statement of the transaction takes a fresh snapshot: the transaction
// sees every entry committed before the lock was granted, the previous writer's included.
// (REPEATABLE READ would not: its snapshot is taken before the wait.)
//
// Puts: the first few of a transaction are sent one by one, so that a refusal (an id taken)
// is reported by the Put that caused it; after that they are buffered and sent with COPY in
// batches, which is what makes an import of 150k records in one transaction fast. A refusal
// in a batch is reported by the Put that sends the batch, or by Commit; either way the
// transaction keeps nothing.
#include "postgres_store.h"

#include <atomic>
#include <optional>

#include "pg.h"
#include "postgres_schema.h"

namespace tutti {
namespace {

// Puts sent one by one at the start of a transaction (see the file comment).
constexpr int64_t kSynchronousPuts = 64;
// A COPY batch is sent when it holds this many rows or bytes.
constexpr size_t kBatchRows = 8192;
constexpr size_t kBatchBytes = 8 << 20;
// Rows fetched per round trip when scanning the log.
constexpr int kFetchRows = 10000;

constexpr const char* kCopySql =
    "COPY tutti.audit_log (seq, at, actor, action, kind, record_id, record_key, payload, "
    "prev_hash, hash) FROM STDIN";

// Sets up a fresh (or reset) session: names resolve in pg_catalog only (tutti's are all
// qualified), and no notice reaches the user's terminal.
Status SetUpSession(pg::Connection& conn, bool read_only) {
  std::string sql =
      "SET search_path = pg_catalog, pg_temp; SET client_min_messages = warning; "
      "SET default_transaction_read_only = ";
  sql += read_only ? "on" : "off";
  return conn.Exec(sql, "setting up the session");
}

// Reconnects a connection the server dropped (a restart, an idle timeout).
Status EnsureConnected(pg::Connection& conn, bool read_only) {
  if (PQstatus(conn.get()) == CONNECTION_OK) return Status::Ok();
  PQreset(conn.get());
  if (PQstatus(conn.get()) != CONNECTION_OK) return conn.Error(nullptr, "reconnecting");
  return SetUpSession(conn, read_only);
}

// Runs the first statement of an operation, which has changed nothing yet: when the server had
// dropped the connection unseen (a restart, an idle timeout), reconnects once and runs it again.
Result<pg::ResultHandle> RunFirst(pg::Connection& conn, bool read_only, const std::string& sql,
                                  std::string_view what) {
  TUTTI_RETURN_IF_ERROR(EnsureConnected(conn, read_only));
  Result<pg::ResultHandle> result = conn.Query(sql, {}, what);
  if (result.ok() || PQstatus(conn.get()) != CONNECTION_BAD) return result;
  TUTTI_RETURN_IF_ERROR(EnsureConnected(conn, read_only));
  return conn.Query(sql, {}, what);
}

void AppendCopyField(std::string& out, std::string_view field) {
  for (char c : field) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
}

Status CheckNoNul(const StoredChange& c) {
  const std::pair<std::string_view, const std::string*> fields[] = {
      {"actor", &c.entry.actor},
      {"action", &c.entry.action},
      {"kind", &c.kind},
      {"record id", &c.record_id},
      {"record key", &c.record_key},
      {"payload", &c.entry.payload},
      {"prev_hash", &c.entry.prev_hash},
      {"hash", &c.entry.hash}};
  for (const auto& [name, value] : fields) {
    if (value->find('\0') != std::string::npos) {
      return Status::Invalid("audit entry " + std::to_string(c.entry.seq) + ": its " +
                             std::string(name) +
                             " holds a NUL byte, which PostgreSQL text cannot store");
    }
  }
  return Status::Ok();
}

Result<AuditHead> HeadFrom(const pg::Connection& conn, const PGresult* result) {
  if (PQntuples(result) != 1) {
    return Status::Corruption("PostgreSQL " + conn.where() + ": tutti.head holds " +
                              std::to_string(PQntuples(result)) + " rows, not 1");
  }
  AuditHead head;
  TUTTI_ASSIGN_OR_RETURN(head.seq, pg::ParseInt64(PQgetvalue(result, 0, 0), "tutti.head.seq"));
  head.hash = PQgetvalue(result, 0, 1);
  return head;
}

// Streams the log after `after` through a cursor, kFetchRows at a time. Inside a transaction
// already (a write's), the cursor sees what it sees; otherwise the scan gets a read-only
// REPEATABLE READ transaction of its own, so that it reads one committed state.
Status ScanWithCursor(pg::Connection& conn, bool read_only, int64_t after,
                      const std::function<Status(AuditEntry&&)>& fn) {
  // Unique names: a callback may start another scan on the same connection.
  static std::atomic<int64_t> cursor_number = 0;
  std::string cursor = "tutti_scan_" + std::to_string(++cursor_number);
  bool own_transaction = !conn.InTransaction();
  if (own_transaction) {
    TUTTI_RETURN_IF_ERROR(RunFirst(conn, read_only,
                                   "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                                   "reading the audit log")
                              .status());
  }
  // Should `fn` throw, the read's transaction must not outlive the scan: a later scan would
  // run inside it and see its old snapshot forever.
  struct EndRead {
    pg::Connection& conn;
    bool active;
    ~EndRead() {
      if (active && conn.InTransaction()) (void)conn.Exec("ROLLBACK", "ending the read");
    }
  } end_read{conn, own_transaction};
  Status s = conn.Query("DECLARE " + cursor +
                            " NO SCROLL CURSOR FOR SELECT seq, at, actor, action, payload, "
                            "prev_hash, hash FROM tutti.audit_log WHERE seq > $1 ORDER BY seq",
                        {std::to_string(after)}, "reading the audit log")
                 .status();
  const std::string fetch = "FETCH " + std::to_string(kFetchRows) + " FROM " + cursor;
  while (s.ok()) {
    pg::ResultHandle rows(PQexec(conn.get(), fetch.c_str()));
    if (!rows || PQresultStatus(rows.get()) != PGRES_TUPLES_OK) {
      s = conn.Error(rows.get(), "reading the audit log");
      break;
    }
    int n = PQntuples(rows.get());
    for (int r = 0; r < n && s.ok(); ++r) {
      AuditEntry e;
      Result<int64_t> seq = pg::ParseInt64(PQgetvalue(rows.get(), r, 0), "an audit entry's seq");
      Result<int64_t> at = pg::ParseInt64(PQgetvalue(rows.get(), r, 1), "an audit entry's time");
      if (!seq.ok() || !at.ok()) {
        s = (seq.ok() ? at.status() : seq.status()).WithContext("PostgreSQL " + conn.where());
        break;
      }
      e.seq = *seq;
      e.at = *at;
      e.actor.assign(PQgetvalue(rows.get(), r, 2), PQgetlength(rows.get(), r, 2));
      e.action.assign(PQgetvalue(rows.get(), r, 3), PQgetlength(rows.get(), r, 3));
      e.payload.assign(PQgetvalue(rows.get(), r, 4), PQgetlength(rows.get(), r, 4));
      e.prev_hash.assign(PQgetvalue(rows.get(), r, 5), PQgetlength(rows.get(), r, 5));
      e.hash.assign(PQgetvalue(rows.get(), r, 6), PQgetlength(rows.get(), r, 6));
      s = fn(std::move(e));
    }
    if (n < kFetchRows) break;
  }
  if (own_transaction) {
    // Ends the cursor too; a read-only transaction has nothing to keep.
    end_read.active = false;
    Status end = conn.Exec("ROLLBACK", "ending the audit log's read");
    return s.ok() ? end : s;
  }
  if (PQtransactionStatus(conn.get()) == PQTRANS_INTRANS) {
    Status closed = conn.Exec("CLOSE " + cursor, "ending the audit log's read");
    return s.ok() ? closed : s;
  }
  return s;
}

class PostgresWriteTransaction final : public WriteTransaction {
 public:
  PostgresWriteTransaction(pg::Connection& conn, bool& writing, AuditHead head)
      : conn_(conn), writing_(writing), head_(std::move(head)) {}
  ~PostgresWriteTransaction() override {
    if (!finished_ && conn_.InTransaction()) (void)conn_.Exec("ROLLBACK", "rolling back");
    writing_ = false;
  }

  Result<AuditHead> Head() override {
    TUTTI_RETURN_IF_ERROR(Usable());
    return head_;
  }

  Status ScanLog(int64_t after, const std::function<Status(AuditEntry&&)>& fn) override {
    TUTTI_RETURN_IF_ERROR(Flush());
    Status s = ScanWithCursor(conn_, false, after, fn);
    // An error of `fn`'s leaves the transaction usable; one of the server's aborted it.
    if (PQtransactionStatus(conn_.get()) != PQTRANS_INTRANS) return Fail(s);
    return s;
  }

  Status Put(const StoredChange& change) override {
    TUTTI_RETURN_IF_ERROR(Usable());
    TUTTI_RETURN_IF_ERROR(Fail(CheckNoNul(change)));
    if (batch_rows_ == 0) batch_first_ = change.entry.seq;
    batch_last_ = change.entry.seq;
    std::string& b = batch_;
    b += std::to_string(change.entry.seq);
    b += '\t';
    b += std::to_string(change.entry.at);
    for (const std::string* field :
         {&change.entry.actor, &change.entry.action, &change.kind, &change.record_id,
          &change.record_key, &change.entry.payload, &change.entry.prev_hash, &change.entry.hash}) {
      b += '\t';
      AppendCopyField(b, *field);
    }
    b += '\n';
    ++batch_rows_;
    ++puts_;
    if (puts_ <= kSynchronousPuts || batch_rows_ >= kBatchRows || b.size() >= kBatchBytes) {
      return Flush();
    }
    return Status::Ok();
  }

  Status Commit(const AuditHead& head) override {
    TUTTI_RETURN_IF_ERROR(Flush());
    TUTTI_RETURN_IF_ERROR(Fail(conn_
                                   .Query("UPDATE tutti.head SET seq = $1, hash = $2",
                                          {std::to_string(head.seq), head.hash},
                                          "moving the audit head to " + std::to_string(head.seq))
                                   .status()));
    pg::ResultHandle result(PQexec(conn_.get(), "COMMIT"));
    finished_ = true;
    if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      failed_ = conn_.Error(result.get(), "committing");
      return failed_;
    }
    // A transaction that failed unseen ends in ROLLBACK, which is no error to libpq.
    if (std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
      failed_ = Status::IoError("committing in PostgreSQL " + conn_.where() +
                                ": the server rolled the transaction back");
      return failed_;
    }
    head_ = head;
    return Status::Ok();
  }

 private:
  Status Usable() const {
    if (!failed_.ok()) return failed_;
    if (finished_) return Status::Internal("the write transaction was committed already");
    return Status::Ok();
  }

  // Remembers an error: after one, the transaction keeps nothing and accepts nothing.
  Status Fail(Status s) {
    if (!s.ok() && failed_.ok()) failed_ = s;
    return s;
  }

  // Sends the buffered Puts.
  Status Flush() {
    TUTTI_RETURN_IF_ERROR(Usable());
    if (batch_rows_ == 0) return Status::Ok();
    std::string what = batch_first_ == batch_last_
                           ? "adding audit entry " + std::to_string(batch_first_)
                           : "adding audit entries " + std::to_string(batch_first_) + " to " +
                                 std::to_string(batch_last_);
    pg::ResultHandle start(PQexec(conn_.get(), kCopySql));
    if (!start || PQresultStatus(start.get()) != PGRES_COPY_IN) {
      return Fail(conn_.Error(start.get(), what));
    }
    constexpr size_t kChunk = 1 << 20;
    bool sent = true;
    for (size_t off = 0; off < batch_.size() && sent; off += kChunk) {
      size_t n = std::min(kChunk, batch_.size() - off);
      sent = PQputCopyData(conn_.get(), batch_.data() + off, static_cast<int>(n)) == 1;
    }
    sent =
        PQputCopyEnd(conn_.get(), sent ? nullptr : "tutti: sending the batch failed") == 1 && sent;
    pg::ResultHandle end(PQgetResult(conn_.get()));
    while (pg::ResultHandle extra{PQgetResult(conn_.get())}) {
    }
    batch_.clear();
    batch_rows_ = 0;
    if (!sent || !end || PQresultStatus(end.get()) != PGRES_COMMAND_OK) {
      return Fail(conn_.Error(end.get(), what));
    }
    return Status::Ok();
  }

  pg::Connection& conn_;
  bool& writing_;
  AuditHead head_;
  Status failed_;
  bool finished_ = false;
  int64_t puts_ = 0;
  std::string batch_;  // COPY text rows
  size_t batch_rows_ = 0;
  int64_t batch_first_ = 0;
  int64_t batch_last_ = 0;
};

class PostgresStore final : public Store {
 public:
  PostgresStore(std::string uri, pg::Connection reader, const StoreOptions& options)
      : uri_(std::move(uri)), reader_(std::move(reader)), options_(options) {}

  std::string Describe() const override { return reader_.where(); }

  Result<AuditHead> ReadHead() override {
    TUTTI_ASSIGN_OR_RETURN(pg::ResultHandle result,
                           RunFirst(reader_, options_.read_only, "SELECT seq, hash FROM tutti.head",
                                    "reading the audit head"));
    return HeadFrom(reader_, result.get());
  }

  Status ScanLog(int64_t after, const std::function<Status(AuditEntry&&)>& fn) override {
    return ScanWithCursor(reader_, options_.read_only, after, fn);
  }

  Result<std::unique_ptr<WriteTransaction>> BeginWrite() override;

  Result<std::vector<std::string>> ForeignSchemaObjects() override {
    TUTTI_RETURN_IF_ERROR(EnsureConnected(reader_, options_.read_only));
    return pg::ListForeignObjects(reader_);
  }

 private:
  std::string uri_;  // with its password, for the writer's connection
  pg::Connection reader_;
  std::optional<pg::Connection> writer_;  // opened by the first BeginWrite
  bool writing_ = false;                  // a WriteTransaction is alive
  StoreOptions options_;
};

Result<std::unique_ptr<WriteTransaction>> PostgresStore::BeginWrite() {
  if (options_.read_only) {
    return Status::Invalid("PostgreSQL " + reader_.where() + " was opened read-only");
  }
  if (writing_) {
    return Status::Internal("PostgreSQL " + reader_.where() +
                            ": a write transaction of this Store is still open");
  }
  if (!writer_) {
    TUTTI_ASSIGN_OR_RETURN(pg::Connection conn, pg::Connection::Open(uri_, reader_.where()));
    TUTTI_RETURN_IF_ERROR(SetUpSession(conn, false));
    writer_.emplace(std::move(conn));
  }
  pg::Connection& w = *writer_;
  // The server's default isolation may be another: the file comment says why this one.
  TUTTI_RETURN_IF_ERROR(RunFirst(w, false, "BEGIN ISOLATION LEVEL READ COMMITTED READ WRITE",
                                 "starting a write transaction")
                            .status());
  const int64_t timeout = options_.busy_timeout_ms;
  std::string lock_sql = "SELECT seq, hash FROM tutti.head FOR UPDATE";
  Status s;
  if (timeout > 0) {
    s = w.Exec("SET LOCAL lock_timeout = " + std::to_string(timeout), "setting the busy timeout");
  } else {
    lock_sql += " NOWAIT";  // lock_timeout 0 would mean waiting forever
  }
  Result<pg::ResultHandle> locked =
      s.ok() ? w.Query(lock_sql, {}, "taking the write lock") : Result<pg::ResultHandle>(s);
  Result<AuditHead> head = locked.ok() ? HeadFrom(w, locked->get()) : locked.status();
  if (!head.ok()) {
    (void)w.Exec("ROLLBACK", "rolling back");
    if (head.status().code() == StatusCode::kBusy) {
      return Status::Busy("PostgreSQL " + w.where() +
                          ": another writer holds the store's write lock; waited " +
                          std::to_string(std::max<int64_t>(timeout, 0)) + " ms (the busy timeout)");
    }
    return head.status();
  }
  writing_ = true;
  return std::unique_ptr<WriteTransaction>(
      std::make_unique<PostgresWriteTransaction>(w, writing_, std::move(*head)));
}

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri,
                                                 const StoreOptions& options) {
  std::string where = pg::StripPassword(uri);
  if (!uri.starts_with("postgresql://") && !uri.starts_with("postgres://")) {
    return Status::Invalid("'" + where +
                           "' is not a PostgreSQL URI: it must start with postgresql://");
  }
  TUTTI_ASSIGN_OR_RETURN(pg::Connection conn, pg::Connection::Open(uri, where));
  TUTTI_RETURN_IF_ERROR(SetUpSession(conn, options.read_only));
  TUTTI_ASSIGN_OR_RETURN(int version, pg::ReadSchemaVersion(conn));
  const int latest = pg::LatestSchemaVersion();
  if (version > latest) return pg::NewerSchema(conn, version);
  if (version == 0 && (!options.create || options.read_only)) {
    return Status::NotFound("no tutti store in " + where + ": run 'tutti init' first");
  }
  if (version < latest) {
    if (options.read_only) {
      return Status::Unsupported("tutti store in " + where + " has schema version " +
                                 std::to_string(version) + ", older than this tutti's (" +
                                 std::to_string(latest) +
                                 "): open it once without read-only to upgrade it");
    }
    TUTTI_RETURN_IF_ERROR(pg::MigrateSchema(conn, options.create, options.busy_timeout_ms));
  }
  return std::unique_ptr<Store>(std::make_unique<PostgresStore>(uri, std::move(conn), options));
}

}  // namespace tutti
