// The index file: readers without locks, writers under a sidecar lock, every version
// written to an exclusive temporary and renamed into place (see fingerprint.h).
#include <utility>

#include "index_codec.h"
#include "replace_file.h"
#include "tutti/fingerprint.h"

namespace tutti::fp {
namespace {

std::string Quoted(const std::string& path) { return "'" + path + "'"; }

std::string LockPath(const std::string& path) { return path + ".lock"; }

// Writes `index` as the new version of `path`; the caller holds the lock.
Status Replace(const Index& index, const std::string& path) {
  TUTTI_ASSIGN_OR_RETURN(internal::ReplacementFile file, internal::ReplacementFile::Create(path));
  TUTTI_RETURN_IF_ERROR(internal::WriteIndexTo(file.fd(), index, file.temp_path()));
  return file.Commit();  // on failure `file` removes the temporary as it goes out of scope
}

// The index at `path`; `absent` (if given) is set instead of failing when there is none.
Result<Index> Load(const std::string& path, bool* absent) {
  uint64_t size = 0;
  Result<internal::UniqueFd> fd = internal::OpenRegularFileForReading(path, &size);
  if (!fd.ok()) {
    if (fd.status().code() == StatusCode::kNotFound) {
      if (absent != nullptr) {
        *absent = true;
        return Index();
      }
      return Status::NotFound("no fingerprint index at " + Quoted(path));
    }
    return fd.status();
  }
  Result<Index> index = internal::ReadIndexFrom(fd->get(), size);
  if (!index.ok()) return index.status().WithContext(Quoted(path));
  return index;
}

}  // namespace

Status UpdateIndexFile(const std::string& path, const std::function<Status(Index&)>& change,
                       const IndexFileOptions& options) {
  TUTTI_ASSIGN_OR_RETURN(
      internal::ExclusiveFileLock lock,
      internal::ExclusiveFileLock::Acquire(LockPath(path), options.lock_timeout));
  bool absent = false;
  TUTTI_ASSIGN_OR_RETURN(Index index, Load(path, &absent));
  TUTTI_RETURN_IF_ERROR(change(index));
  index.Build();
  return Replace(index, path);
}  // the lock is released here, after the rename

Status SaveIndex(const Index& index, const std::string& path, const IndexFileOptions& options) {
  if (!index.built()) return Status::Invalid("index has additions not yet built");
  TUTTI_ASSIGN_OR_RETURN(
      internal::ExclusiveFileLock lock,
      internal::ExclusiveFileLock::Acquire(LockPath(path), options.lock_timeout));
  return Replace(index, path);
}

Result<Index> LoadIndex(const std::string& path) { return Load(path, nullptr); }

Result<IndexOptions> ReadIndexOptions(const std::string& path) {
  uint64_t size = 0;
  Result<internal::UniqueFd> fd = internal::OpenRegularFileForReading(path, &size);
  if (!fd.ok()) {
    if (fd.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("no fingerprint index at " + Quoted(path));
    }
    return fd.status();
  }
  Result<IndexOptions> options = internal::ReadIndexOptionsFrom(fd->get(), size);
  if (!options.ok()) return options.status().WithContext(Quoted(path));
  return options;
}

}  // namespace tutti::fp
