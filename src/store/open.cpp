// OpenStore: a store URL to its adapter.
#include "postgres/postgres_store.h"
#include "sqlite/sqlite_store.h"
#include "tutti/store.h"

namespace tutti {
namespace {

// `url` without the password of its user, for messages: "postgresql://u@host/db".
std::string WithoutPassword(const std::string& url) {
  size_t start = url.find("://");
  if (start == std::string::npos) return url;
  start += 3;
  size_t end = url.find_first_of("/?", start);
  if (end == std::string::npos) end = url.size();
  size_t at = url.rfind('@', end);
  if (at == std::string::npos || at < start) return url;
  size_t colon = url.find(':', start);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + url.substr(at);
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, const StoreOptions& options) {
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgresStore(url, options);
  }
  std::string path = url.starts_with("sqlite:") ? url.substr(7) : url;
  if (size_t scheme = path.find("://"); scheme != std::string::npos) {
    return Status::Unsupported("cannot open '" + WithoutPassword(url) + "': unknown store URL '" +
                               path.substr(0, scheme) +
                               "://' (use a file path, sqlite:PATH or postgresql://...)");
  }
  return OpenSqliteStore(path, options);
}

}  // namespace tutti
