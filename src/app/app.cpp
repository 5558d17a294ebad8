// The application layer's registry, decision and audit operations.
#include "tutti/app.h"

#include "tutti/import.h"

namespace tutti {

App::App(std::unique_ptr<Store> store, Clock clock)
    : store_(std::move(store)),
      clock_(clock ? std::move(clock) : Clock([] { return tutti::Now(); })) {}

Result<std::unique_ptr<App>> App::Open(const std::string& url, AppOptions options) {
  TUTTI_ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenStore(url, options.store));
  return std::make_unique<App>(std::move(store), std::move(options.clock));
}

Result<const Registry*> App::Current(const ProgressFn& progress) {
  if (!registry_) {
    TUTTI_ASSIGN_OR_RETURN(Registry loaded, LoadRegistry(*store_, progress));
    registry_.emplace(std::move(loaded));
    return &*registry_;
  }
  Status s = ApplyChanges(*store_, *registry_);
  if (!s.ok()) {
    registry_.reset();
    return s;
  }
  return &*registry_;
}

Result<std::vector<Record>> App::Commit(std::vector<Record> records, const std::string& actor,
                                        const ProgressFn& progress,
                                        std::span<const std::string> origins) {
  if (records.empty()) return records;
  // Load (or catch up) before taking the write lock, so that the lock is held only for the
  // changes that came in meanwhile.
  TUTTI_RETURN_IF_ERROR(Current(progress).status());
  auto commit = [&]() -> Status {
    TUTTI_ASSIGN_OR_RETURN(std::unique_ptr<WriteTransaction> txn, store_->BeginWrite());
    TUTTI_RETURN_IF_ERROR(ApplyChanges(*txn, *registry_));
    for (size_t i = 0; i < records.size(); ++i) {
      if (progress && i % 1024 == 0) progress(i, records.size());
      AssignId(*registry_, records[i]);
      Status s = AddRecord(*registry_, records[i]);
      if (!s.ok()) {
        // In a batch of many records, say which one.
        if (i < origins.size()) return s.WithContext(origins[i]);
        return records.size() > 1 ? s.WithContext("record " + std::to_string(i + 1)) : s;
      }
      records[i] = StoredRecord(*registry_, records[i]);
    }
    TUTTI_RETURN_IF_ERROR(AppendChanges(*txn, records, actor, Now(), progress));
    registry_->set_version(registry_->version() + static_cast<int64_t>(records.size()));
    return Status::Ok();
  };
  Status s = commit();
  if (!s.ok()) {
    registry_.reset();  // it may hold records the store refused
    return s;
  }
  return records;
}

Result<std::vector<Record>> App::Import(const std::string& path, const std::string& actor,
                                        const ProgressFn& progress) {
  TUTTI_ASSIGN_OR_RETURN(Catalog catalog, ReadCatalog(path));
  return Commit(std::move(catalog.records), actor, progress, catalog.origins);
}

Result<std::string> App::ResolveProduct(const std::string& product) {
  TUTTI_ASSIGN_OR_RETURN(const Registry* reg, Current());
  if (product.empty()) {
    std::string only;
    for (const Party& p : reg->parties()) {
      if (p.kind != PartyKind::kProduct) continue;
      if (!only.empty()) {
        return Status::Invalid("the registry has several AI products: name one with --product");
      }
      only = p.id;
    }
    if (only.empty()) return Status::Invalid("the registry has no AI product");
    return only;
  }
  const Party* party = reg->FindParty(product);
  if (!party) return Status::NotFound("unknown product '" + product + "'");
  if (party->kind != PartyKind::kProduct) {
    return Status::Invalid("'" + product + "' is a " + std::string(ToString(party->kind)) +
                           ", not an AI product");
  }
  return product;
}

Result<Decision> App::Check(const DecisionRequest& request) {
  TUTTI_RETURN_IF_ERROR(ResolveProduct(request.product).status());
  TUTTI_ASSIGN_OR_RETURN(const Registry* reg, Current());
  if (!reg->FindRecording(request.recording)) {
    return Status::NotFound("unknown recording '" + request.recording + "'");
  }
  return Gate(*reg).Decide(request);
}

Result<App::ClearedSet> App::Cleared(Use use, const std::string& product, Territory territory,
                                     Timestamp at) {
  TUTTI_RETURN_IF_ERROR(ResolveProduct(product).status());
  TUTTI_ASSIGN_OR_RETURN(const Registry* reg, Current());
  ClearedSet out;
  out.recordings = Gate(*reg).Cleared(use, product, territory, at);
  out.of = reg->recordings().size();
  out.registry_version = reg->version();
  return out;
}

Result<AuditSummary> App::Verify(const ProgressFn& progress) {
  return VerifyStore(*store_, progress);
}

Result<AuditSummary> App::Verify(const Checkpoint& checkpoint, const PublicKey& trusted,
                                 const ProgressFn& progress) {
  TUTTI_ASSIGN_OR_RETURN(AuditSummary summary, VerifyStore(*store_, progress));
  TUTTI_RETURN_IF_ERROR(VerifyAgainstCheckpoint(*store_, checkpoint, trusted));
  return summary;
}

Result<Checkpoint> App::MakeCheckpoint(const SigningKey& key) {
  return tutti::MakeCheckpoint(*store_, key, Now());
}

Result<std::vector<AuditEntry>> App::AuditLog(int64_t limit) {
  TUTTI_ASSIGN_OR_RETURN(AuditHead head, store_->ReadHead());
  int64_t after = limit > 0 && head.seq > limit ? head.seq - limit : 0;
  std::vector<AuditEntry> out;
  TUTTI_RETURN_IF_ERROR(store_->ScanLog(after, [&](AuditEntry&& e) {
    out.push_back(std::move(e));
    return Status::Ok();
  }));
  return out;
}

std::string DefaultKeyPath(const std::string& store_url) {
  if (store_url.starts_with("postgresql://") || store_url.starts_with("postgres://")) return {};
  std::string path = store_url.starts_with("sqlite:") ? store_url.substr(7) : store_url;
  return path + ".key";
}

}  // namespace tutti
