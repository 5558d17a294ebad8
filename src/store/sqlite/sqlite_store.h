// The SQLite adapter of the Store port: the embedded default, one file.
#ifndef TUTTI_STORE_SQLITE_SQLITE_STORE_H_
#define TUTTI_STORE_SQLITE_SQLITE_STORE_H_

#include <memory>
#include <string>

#include "tutti/store.h"

namespace tutti {

// Opens (or, with options.create, creates) the SQLite store at `path` and brings its schema
// up to date (docs/STORE.md). The file is in WAL mode, so readers never wait for the writer.
// Errors: kNotFound for a missing file without create; kInvalidArgument for a directory, an
// empty file without create, or a SQLite file that is not a tutti store; kCorruption for a
// file that is not SQLite or is damaged; kBusy when the schema could not be brought up to
// date within the busy timeout; kIoError otherwise.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const StoreOptions& options);

}  // namespace tutti

#endif  // TUTTI_STORE_SQLITE_SQLITE_STORE_H_
