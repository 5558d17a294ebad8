// The PostgreSQL adapter of the Store port (libpq).
#ifndef TUTTI_STORE_POSTGRES_POSTGRES_STORE_H_
#define TUTTI_STORE_POSTGRES_POSTGRES_STORE_H_

#include <memory>
#include <string>

#include "tutti/store.h"

namespace tutti {

// Opens the PostgreSQL database at `uri` (a libpq URI, "postgresql://..." or
// "postgres://...", a unix socket as ?host=/dir) and brings tutti's schema in it up to date.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri,
                                                 const StoreOptions& options);

}  // namespace tutti

#endif  // TUTTI_STORE_POSTGRES_POSTGRES_STORE_H_
