// The SQLite adapter of the Store port: the embedded default.
#include <sys/stat.h>

#include <unordered_map>

#include "schema.h"
#include "sqlite.h"
#include "tutti/store.h"

namespace tutti {
namespace {

using sqlite::Statement;

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, sqlite::DbHandle db) : path_(std::move(path)), db_(std::move(db)) {}

  Status Migrate();
  Result<Registry> LoadRegistry() override;
  using Store::Append;
  Status Append(std::span<const Record> records, std::string_view actor, Timestamp at,
                const ProgressFn& progress) override;
  Result<std::vector<AuditEntry>> ReadAuditLog() override;
  Result<AuditHead> ReadAuditHead() override;
  std::string Describe() const override { return path_; }

 private:
  Status Insert(const Record& record);
  Status LoadParties(Registry& reg);
  Status LoadWorks(Registry& reg);
  Status LoadRecordings(Registry& reg);
  Status LoadLicenses(Registry& reg);
  Status LoadConsents(Registry& reg);
  Result<std::map<std::string, std::vector<Share>>> LoadShares(std::string_view table,
                                                               std::string_view key);
  Status Context(const Status& s) const { return s.WithContext("store '" + path_ + "'"); }
  // A prepared statement kept for reuse: imports insert the same few shapes many times.
  Result<Statement*> Cached(const std::string& sql);

  std::string path_;
  sqlite::DbHandle db_;
  std::unordered_map<std::string, Statement> cache_;  // destroyed before db_ closes
};

Result<Statement*> SqliteStore::Cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    TUTTI_ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db_.get(), sql));
    it = cache_.emplace(sql, std::move(st)).first;
  }
  return &it->second;
}

Status SqliteStore::Migrate() {
  TUTTI_ASSIGN_OR_RETURN(Statement version, Statement::Prepare(db_.get(), "PRAGMA user_version"));
  TUTTI_ASSIGN_OR_RETURN(bool row, version.Step());
  int64_t current = row ? version.Int(0) : 0;
  if (current == 0) {
    // A SQLite file that already holds other tables belongs to someone else.
    TUTTI_ASSIGN_OR_RETURN(Statement tables,
                           Statement::Prepare(db_.get(), "SELECT count(*) FROM sqlite_schema"));
    TUTTI_ASSIGN_OR_RETURN(bool has_row, tables.Step());
    if (has_row && tables.Int(0) > 0) {
      return Status::Invalid("'" + path_ + "' is a SQLite file but not a tutti store");
    }
  }
  if (current > static_cast<int64_t>(sqlite::kMigrations.size())) {
    return Status::Unsupported("store '" + path_ + "' has schema version " +
                               std::to_string(current) + ", newer than this tutti (" +
                               std::to_string(sqlite::kMigrations.size()) + "): upgrade tutti");
  }
  for (size_t v = static_cast<size_t>(current); v < sqlite::kMigrations.size(); ++v) {
    TUTTI_RETURN_IF_ERROR(sqlite::Exec(db_.get(), "BEGIN IMMEDIATE"));
    Status s = sqlite::Exec(db_.get(), sqlite::kMigrations[v]);
    if (s.ok()) s = sqlite::Exec(db_.get(), "PRAGMA user_version = " + std::to_string(v + 1));
    if (s.ok()) s = sqlite::Exec(db_.get(), "COMMIT");
    if (!s.ok()) {
      sqlite::Exec(db_.get(), "ROLLBACK");
      return s.WithContext("migrating store '" + path_ + "' to version " + std::to_string(v + 1));
    }
  }
  return Status::Ok();
}

Status SqliteStore::Insert(const Record& record) {
  auto insert_shares = [&](std::string_view table, const std::string& id,
                           const std::vector<Share>& shares) -> Status {
    TUTTI_ASSIGN_OR_RETURN(Statement * st,
                           Cached("INSERT INTO " + std::string(table) + " VALUES (?, ?, ?, ?, ?)"));
    for (size_t i = 0; i < shares.size(); ++i) {
      const Share& s = shares[i];
      TUTTI_RETURN_IF_ERROR(st->Bind(1, id)
                                .Bind(2, static_cast<int64_t>(i))
                                .Bind(3, s.party)
                                .Bind(4, static_cast<int64_t>(s.ppm))
                                .Bind(5, s.territories.ToString())
                                .Run());
    }
    return Status::Ok();
  };
  auto insert_list = [&](const std::string& sql, const std::string& id,
                         const std::vector<std::string>& items, bool positioned) -> Status {
    TUTTI_ASSIGN_OR_RETURN(Statement * st, Cached(sql));
    for (size_t i = 0; i < items.size(); ++i) {
      st->Bind(1, id);
      if (positioned) {
        st->Bind(2, static_cast<int64_t>(i)).Bind(3, items[i]);
      } else {
        st->Bind(2, items[i]);
      }
      TUTTI_RETURN_IF_ERROR(st->Run());
    }
    return Status::Ok();
  };

  if (const auto* p = std::get_if<Party>(&record)) {
    TUTTI_ASSIGN_OR_RETURN(Statement * st, Cached("INSERT INTO parties VALUES (?, ?, ?, ?)"));
    return st->Bind(1, p->id)
        .Bind(2, ToString(p->kind))
        .Bind(3, p->name)
        .BindOptional(4, p->ipi)
        .Run();
  }
  if (const auto* w = std::get_if<Work>(&record)) {
    TUTTI_ASSIGN_OR_RETURN(Statement * st, Cached("INSERT INTO works VALUES (?, ?, ?)"));
    TUTTI_RETURN_IF_ERROR(st->Bind(1, w->id).Bind(2, w->title).BindOptional(3, w->iswc).Run());
    return insert_shares("work_shares", w->id, w->shares);
  }
  if (const auto* r = std::get_if<Recording>(&record)) {
    TUTTI_ASSIGN_OR_RETURN(Statement * st,
                           Cached("INSERT INTO recordings VALUES (?, ?, ?, ?, ?, ?)"));
    TUTTI_RETURN_IF_ERROR(st->Bind(1, r->id)
                              .Bind(2, r->title)
                              .BindOptional(3, r->isrc)
                              .Bind(4, r->work)
                              .BindOptional(5, r->audio_path)
                              .BindOptional(6, r->midi_path)
                              .Run());
    TUTTI_RETURN_IF_ERROR(
        insert_list("INSERT INTO recording_artists VALUES (?, ?, ?)", r->id, r->artists, true));
    return insert_shares("recording_shares", r->id, r->shares);
  }
  if (const auto* l = std::get_if<License>(&record)) {
    TUTTI_ASSIGN_OR_RETURN(Statement * st,
                           Cached("INSERT INTO licenses VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    st->Bind(1, l->id)
        .Bind(2, l->licensor)
        .Bind(3, l->licensee)
        .Bind(4, l->uses.ToString())
        .Bind(5, l->territories.ToString())
        .Bind(6, l->from)
        .Bind(8, static_cast<int64_t>(l->catalog))
        .Bind(9, static_cast<int64_t>(l->revenue_share));
    if (l->until == kForever) {
      st->BindNull(7);
    } else {
      st->Bind(7, l->until);
    }
    TUTTI_RETURN_IF_ERROR(st->Run());
    TUTTI_RETURN_IF_ERROR(
        insert_list("INSERT INTO license_recordings VALUES (?, ?)", l->id, l->recordings, false));
    return insert_list("INSERT INTO license_works VALUES (?, ?)", l->id, l->works, false);
  }
  const auto& c = std::get<Consent>(record);
  TUTTI_ASSIGN_OR_RETURN(Statement * st,
                         Cached("INSERT INTO consents (party, scope, target, use, allow, at) "
                                "VALUES (?, ?, ?, ?, ?, ?)"));
  return st->Bind(1, c.party)
      .Bind(2, ToString(c.scope))
      .BindOptional(3, c.target)
      .Bind(4, ToString(c.use))
      .Bind(5, static_cast<int64_t>(c.allow))
      .Bind(6, c.at)
      .Run();
}

Status SqliteStore::Append(std::span<const Record> records, std::string_view actor, Timestamp at,
                           const ProgressFn& progress) {
  sqlite3* db = db_.get();
  TUTTI_RETURN_IF_ERROR(Context(sqlite::Exec(db, "BEGIN IMMEDIATE")));
  auto body = [&]() -> Status {
    TUTTI_ASSIGN_OR_RETURN(AuditHead head, ReadAuditHead());
    TUTTI_ASSIGN_OR_RETURN(Statement * log,
                           Cached("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?)"));
    AuditEntry e;
    e.seq = head.seq;
    e.hash = head.hash;
    for (const Record& record : records) {
      if (progress && e.seq % 1024 == 0) progress(e.seq - head.seq, records.size());
      TUTTI_RETURN_IF_ERROR(Insert(record));
      e.prev_hash = e.hash;
      e.seq += 1;
      e.at = at;
      e.actor = std::string(actor);
      e.action = std::string(RecordType(record)) +
                 (std::holds_alternative<Consent>(record) ? ".set" : ".add");
      e.payload = RecordJson(record).dump();
      e.hash = AuditEntryHash(e);
      TUTTI_RETURN_IF_ERROR(log->Bind(1, e.seq)
                                .Bind(2, e.at)
                                .Bind(3, e.actor)
                                .Bind(4, e.action)
                                .Bind(5, e.payload)
                                .Bind(6, e.prev_hash)
                                .Bind(7, e.hash)
                                .Run());
    }
    TUTTI_ASSIGN_OR_RETURN(
        Statement st,
        Statement::Prepare(db, "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1"));
    return st.Bind(1, e.seq).Bind(2, e.hash).Run();
  };
  Status s = body();
  if (s.ok()) s = sqlite::Exec(db, "COMMIT");
  if (!s.ok()) {
    sqlite::Exec(db, "ROLLBACK");
    return Context(s);
  }
  return Status::Ok();
}

Result<AuditHead> SqliteStore::ReadAuditHead() {
  TUTTI_ASSIGN_OR_RETURN(
      Statement st, Statement::Prepare(db_.get(), "SELECT seq, hash FROM audit_head WHERE id = 1"));
  TUTTI_ASSIGN_OR_RETURN(bool row, st.Step());
  if (!row) return Status::Corruption("store '" + path_ + "': the audit head is missing");
  return AuditHead{st.Int(0), st.Text(1)};
}

Result<std::vector<AuditEntry>> SqliteStore::ReadAuditLog() {
  TUTTI_ASSIGN_OR_RETURN(
      Statement st, Statement::Prepare(db_.get(),
                                       "SELECT seq, at, actor, action, payload, prev_hash, hash "
                                       "FROM audit_log ORDER BY rowid"));
  std::vector<AuditEntry> out;
  for (;;) {
    TUTTI_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) break;
    out.push_back(
        {st.Int(0), st.Int(1), st.Text(2), st.Text(3), st.Text(4), st.Text(5), st.Text(6)});
  }
  return out;
}

}  // namespace

namespace {

// Walks rows of a child table ordered by their parent's rowid, handing each parent its
// children. Both queries order by the parent's rowid, so one pass pairs them.
class ChildCursor {
 public:
  explicit ChildCursor(Statement st) : st_(std::move(st)) {}
  // Calls take(row) for each child row of `parent_rowid` (column 0 of the child query).
  template <typename F>
  Status ForParent(int64_t parent_rowid, F take) {
    for (;;) {
      if (!has_row_) {
        if (done_) return Status::Ok();
        TUTTI_ASSIGN_OR_RETURN(bool row, st_.Step());
        if (!row) {
          done_ = true;
          return Status::Ok();
        }
        has_row_ = true;
      }
      if (st_.Int(0) != parent_rowid) return Status::Ok();
      TUTTI_RETURN_IF_ERROR(take(st_));
      has_row_ = false;
    }
  }

 private:
  Statement st_;
  bool has_row_ = false;
  bool done_ = false;
};

Result<ChildCursor> Children(sqlite3* db, std::string_view sql) {
  TUTTI_ASSIGN_OR_RETURN(Statement st, Statement::Prepare(db, sql));
  return ChildCursor(std::move(st));
}

Status TakeShare(std::vector<Share>& out, Statement& row) {
  auto territories = TerritorySet::Parse(row.Text(3));
  if (!territories.ok()) return territories.status();
  out.push_back({row.Text(1), static_cast<Ppm>(row.Int(2)), *territories});
  return Status::Ok();
}

Status Loaded(const Status& s, std::string_view what, const std::string& id) {
  if (s.ok()) return s;
  return Status::Corruption("stored " + std::string(what) + " '" + id +
                            "' is not valid: " + s.message());
}

}  // namespace

Status SqliteStore::LoadParties(Registry& reg) {
  TUTTI_ASSIGN_OR_RETURN(
      Statement st,
      Statement::Prepare(db_.get(), "SELECT id, kind, name, ipi FROM parties ORDER BY rowid"));
  for (;;) {
    TUTTI_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    Party p{st.Text(0), PartyKind::kArtist, st.Text(2), st.Text(3)};
    auto kind = ParsePartyKind(st.Text(1));
    if (!kind.ok()) return Loaded(kind.status(), "party", p.id);
    p.kind = *kind;
    std::string id = p.id;
    TUTTI_RETURN_IF_ERROR(Loaded(reg.AddParty(std::move(p)), "party", id));
  }
}

Status SqliteStore::LoadWorks(Registry& reg) {
  sqlite3* db = db_.get();
  TUTTI_ASSIGN_OR_RETURN(
      Statement st,
      Statement::Prepare(db, "SELECT rowid, id, title, iswc FROM works ORDER BY rowid"));
  TUTTI_ASSIGN_OR_RETURN(
      ChildCursor shares,
      Children(db,
               "SELECT w.rowid, s.party, s.ppm, s.territories FROM work_shares s "
               "JOIN works w ON w.id = s.work ORDER BY w.rowid, s.position"));
  for (;;) {
    TUTTI_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    Work w{st.Text(1), st.Text(2), st.Text(3), {}};
    TUTTI_RETURN_IF_ERROR(
        shares.ForParent(st.Int(0), [&](Statement& r) { return TakeShare(w.shares, r); }));
    std::string id = w.id;
    TUTTI_RETURN_IF_ERROR(Loaded(reg.AddWork(std::move(w)), "work", id));
  }
}

Status SqliteStore::LoadRecordings(Registry& reg) {
  sqlite3* db = db_.get();
  TUTTI_ASSIGN_OR_RETURN(
      Statement st,
      Statement::Prepare(db,
                         "SELECT rowid, id, title, isrc, work, audio, midi FROM recordings "
                         "ORDER BY rowid"));
  TUTTI_ASSIGN_OR_RETURN(
      ChildCursor shares,
      Children(db,
               "SELECT r.rowid, s.party, s.ppm, s.territories FROM recording_shares s "
               "JOIN recordings r ON r.id = s.recording ORDER BY r.rowid, s.position"));
  TUTTI_ASSIGN_OR_RETURN(
      ChildCursor artists,
      Children(db,
               "SELECT r.rowid, a.party FROM recording_artists a "
               "JOIN recordings r ON r.id = a.recording ORDER BY r.rowid, a.position"));
  for (;;) {
    TUTTI_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    Recording r;
    r.id = st.Text(1);
    r.title = st.Text(2);
    r.isrc = st.Text(3);
    r.work = st.Text(4);
    r.audio_path = st.Text(5);
    r.midi_path = st.Text(6);
    int64_t rowid = st.Int(0);
    TUTTI_RETURN_IF_ERROR(
        shares.ForParent(rowid, [&](Statement& s) { return TakeShare(r.shares, s); }));
    TUTTI_RETURN_IF_ERROR(artists.ForParent(rowid, [&](Statement& a) {
      r.artists.push_back(a.Text(1));
      return Status::Ok();
    }));
    std::string id = r.id;
    TUTTI_RETURN_IF_ERROR(Loaded(reg.AddRecording(std::move(r)), "recording", id));
  }
}

Status SqliteStore::LoadLicenses(Registry& reg) {
  sqlite3* db = db_.get();
  TUTTI_ASSIGN_OR_RETURN(
      Statement st,
      Statement::Prepare(db,
                         "SELECT rowid, id, licensor, licensee, uses, territories, "
                         "valid_from, valid_until, catalog, revenue_share FROM licenses "
                         "ORDER BY rowid"));
  TUTTI_ASSIGN_OR_RETURN(ChildCursor recs,
                         Children(db,
                                  "SELECT l.rowid, x.recording FROM license_recordings x "
                                  "JOIN licenses l ON l.id = x.license ORDER BY l.rowid, x.rowid"));
  TUTTI_ASSIGN_OR_RETURN(ChildCursor works,
                         Children(db,
                                  "SELECT l.rowid, x.work FROM license_works x "
                                  "JOIN licenses l ON l.id = x.license ORDER BY l.rowid, x.rowid"));
  for (;;) {
    TUTTI_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    License l;
    l.id = st.Text(1);
    l.licensor = st.Text(2);
    l.licensee = st.Text(3);
    auto uses = UseSet::Parse(st.Text(4));
    if (!uses.ok()) return Loaded(uses.status(), "license", l.id);
    auto territories = TerritorySet::Parse(st.Text(5));
    if (!territories.ok()) return Loaded(territories.status(), "license", l.id);
    l.uses = *uses;
    l.territories = *territories;
    l.from = st.Int(6);
    l.until = st.IsNull(7) ? kForever : st.Int(7);
    l.catalog = st.Int(8) != 0;
    l.revenue_share = static_cast<Ppm>(st.Int(9));
    int64_t rowid = st.Int(0);
    TUTTI_RETURN_IF_ERROR(recs.ForParent(rowid, [&](Statement& x) {
      l.recordings.push_back(x.Text(1));
      return Status::Ok();
    }));
    TUTTI_RETURN_IF_ERROR(works.ForParent(rowid, [&](Statement& x) {
      l.works.push_back(x.Text(1));
      return Status::Ok();
    }));
    std::string id = l.id;
    TUTTI_RETURN_IF_ERROR(Loaded(reg.AddLicense(std::move(l)), "license", id));
  }
}

Status SqliteStore::LoadConsents(Registry& reg) {
  TUTTI_ASSIGN_OR_RETURN(Statement st,
                         Statement::Prepare(db_.get(),
                                            "SELECT seq, party, scope, target, use, allow, at "
                                            "FROM consents ORDER BY seq"));
  for (;;) {
    TUTTI_ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return Status::Ok();
    std::string seq = "statement " + std::to_string(st.Int(0));
    Consent c;
    c.party = st.Text(1);
    std::string scope = st.Text(2);
    c.scope = scope == "recording" ? ConsentScope::kRecording
              : scope == "work"    ? ConsentScope::kWork
                                   : ConsentScope::kAll;
    c.target = st.Text(3);
    auto use = ParseUse(st.Text(4));
    if (!use.ok()) return Loaded(use.status(), "consent", seq);
    c.use = *use;
    c.allow = st.Int(5) != 0;
    c.at = st.Int(6);
    TUTTI_RETURN_IF_ERROR(Loaded(reg.AddConsent(std::move(c)), "consent", seq));
  }
}

Result<Registry> SqliteStore::LoadRegistry() {
  Registry reg;
  // One read transaction, so the snapshot is consistent.
  TUTTI_RETURN_IF_ERROR(Context(sqlite::Exec(db_.get(), "BEGIN")));
  Status s = LoadParties(reg);
  if (s.ok()) s = LoadWorks(reg);
  if (s.ok()) s = LoadRecordings(reg);
  if (s.ok()) s = LoadLicenses(reg);
  if (s.ok()) s = LoadConsents(reg);
  sqlite::Exec(db_.get(), "COMMIT");
  if (!s.ok()) return Context(s);
  return reg;
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  struct stat st;
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (!exists && !options.create) {
    return Status::NotFound("no tutti store at '" + path +
                            "': run 'tutti init' first, or pass --db PATH");
  }
  if (exists && S_ISDIR(st.st_mode)) {
    return Status::Invalid("'" + path + "' is a directory, not a tutti store");
  }
  sqlite3* raw = nullptr;
  int flags = SQLITE_OPEN_READWRITE | (options.create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  sqlite::DbHandle db(raw);
  if (rc != SQLITE_OK) {
    return Status::IoError("cannot open store '" + path +
                           "': " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(db.get(), 5000);
  sqlite3_extended_result_codes(db.get(), 1);
  // A file that is not SQLite shows on its first read: say so in the user's terms.
  Status s = sqlite::Exec(db.get(),
                          "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;"
                          " PRAGMA synchronous = NORMAL;");
  if (s.ok()) s = sqlite::Exec(db.get(), "SELECT count(*) FROM sqlite_schema");
  if (!s.ok()) {
    if (s.code() == StatusCode::kCorruption) {
      return Status::Corruption("'" + path + "' is not a tutti store or is corrupt (" +
                                s.message() + ")");
    }
    return s.WithContext("store '" + path + "'");
  }
  auto store = std::make_unique<SqliteStore>(path, std::move(db));
  TUTTI_RETURN_IF_ERROR(store->Migrate());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace tutti
