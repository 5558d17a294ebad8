// POSIX pieces for replacing a file safely while other processes read and write it:
// an owned descriptor, an exclusive lock on a sidecar file, and a replacement written to
// an exclusively created temporary that is synced and renamed over the target.
//
// Internal to tutti_fingerprint (the index file); tests include it to reach the seams.
// Thread-safety: each object belongs to one thread; distinct objects, even for the same
// paths, may be used from distinct threads and processes at once (that is their purpose).
#ifndef TUTTI_SRC_FINGERPRINT_REPLACE_FILE_H_
#define TUTTI_SRC_FINGERPRINT_REPLACE_FILE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "tutti/status.h"

namespace tutti::fp::internal {

// An open file descriptor, closed on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.Release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { Reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void Reset();
  // Closes now and reports close's error (a deferred write error on some file systems).
  Status Close(const std::string& name);

 private:
  int fd_ = -1;
};

// Opens `path` for reading without following a symlink at its last component and without
// blocking on a FIFO, and checks that it is a regular file. NotFound if absent, IoError
// otherwise (naming the path). `size` receives the file's size from the open descriptor.
Result<UniqueFd> OpenRegularFileForReading(const std::string& path, uint64_t* size);

// An exclusive flock(2) on `lock_path`, created if absent (O_NOFOLLOW: a symlink planted
// there is an error, not followed; a FIFO or directory is refused), held until
// destruction. The lock file is never deleted: deleting it would let a second writer lock
// a new file while the first still holds the old one. Waits up to `timeout` for another
// holder, then fails with kBusy naming the lock file. flock locks belong to the open file
// description, so two threads of one process exclude each other as two processes do.
class ExclusiveFileLock {
 public:
  static Result<ExclusiveFileLock> Acquire(const std::string& lock_path,
                                           std::chrono::milliseconds timeout);

 private:
  explicit ExclusiveFileLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;  // closing it releases the lock
};

// Supplies suffixes for temporary names; called again after a name is taken.
using TempSuffixSource = std::function<std::string()>;
// 16 random hex digits (getrandom), e.g. "3f09a1c2b4d5e6f7".
std::string RandomTempSuffix();

// A new version of `target`, written to a temporary beside it and then renamed over it.
//
//   Create: temporary "<target>.tmp-<suffix>" opened O_CREAT|O_EXCL|O_NOFOLLOW (a file or
//           symlink already at that name is never opened or followed: another suffix is
//           tried, up to 64 times); same directory, so the rename cannot cross file systems;
//           permissions copied from the current target if there is one.
//   Commit: fsync the temporary, close it, rename over the target, fsync the directory.
//
// If Commit is not reached or fails, the temporary is removed and the target is untouched.
// Move-only.
class ReplacementFile {
 public:
  static Result<ReplacementFile> Create(const std::string& target,
                                        const TempSuffixSource& suffixes = RandomTempSuffix);
  ReplacementFile(ReplacementFile&& other) noexcept;
  ReplacementFile& operator=(ReplacementFile&&) = delete;
  ReplacementFile(const ReplacementFile&) = delete;
  ReplacementFile& operator=(const ReplacementFile&) = delete;
  ~ReplacementFile();

  int fd() const { return fd_.get(); }
  const std::string& temp_path() const { return temp_path_; }
  Status Commit();

 private:
  ReplacementFile(std::string target, std::string temp_path, UniqueFd fd)
      : target_(std::move(target)), temp_path_(std::move(temp_path)), fd_(std::move(fd)) {}
  std::string target_;
  std::string temp_path_;  // empty once committed or moved from
  UniqueFd fd_;
};

// Writes all of `data` to `fd`, retrying short writes and EINTR. IoError naming `name`.
Status WriteAll(int fd, const void* data, size_t n, const std::string& name);
// Reads exactly `n` bytes unless the file ends first; returns how many were read, or -1
// on an error (errno set).
int64_t ReadFully(int fd, void* data, size_t n);

}  // namespace tutti::fp::internal

#endif  // TUTTI_SRC_FINGERPRINT_REPLACE_FILE_H_
