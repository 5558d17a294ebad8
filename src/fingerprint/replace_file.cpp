// See replace_file.h. Every system call's failure becomes a Status naming the path and
// the reason (strerror); nothing throws.
#include "replace_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <thread>
#include <utility>

namespace tutti::fp::internal {
namespace {

std::string Errno(int err) { return std::strerror(err); }

// The directory holding `path` ("." for a bare name).
std::string DirectoryOf(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

Status SyncDirectory(const std::string& dir) {
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return Status::IoError("cannot open directory '" + dir + "': " + Errno(errno));
  if (::fsync(fd.get()) != 0) {
    return Status::IoError("cannot sync directory '" + dir + "': " + Errno(errno));
  }
  return Status::Ok();
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    Reset();
    fd_ = other.Release();
  }
  return *this;
}

void UniqueFd::Reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status UniqueFd::Close(const std::string& name) {
  const int fd = Release();
  if (fd >= 0 && ::close(fd) != 0) {
    return Status::IoError("cannot close '" + name + "': " + Errno(errno));
  }
  return Status::Ok();
}

Result<UniqueFd> OpenRegularFileForReading(const std::string& path, uint64_t* size) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) {
    const int err = errno;
    if (err == ENOENT) return Status::NotFound("no such file '" + path + "'");
    return Status::IoError("cannot open '" + path + "': " + Errno(err));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return Status::IoError("cannot stat '" + path + "': " + Errno(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::IoError("'" + path + "' is not a regular file");
  }
  *size = static_cast<uint64_t>(st.st_size);
  return fd;
}

Result<ExclusiveFileLock> ExclusiveFileLock::Acquire(const std::string& lock_path,
                                                     std::chrono::milliseconds timeout) {
  UniqueFd fd(
      ::open(lock_path.c_str(), O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666));
  if (!fd.valid()) {
    const int err = errno;
    if (err == ELOOP) {
      return Status::IoError("lock file '" + lock_path + "' is a symbolic link: not followed");
    }
    return Status::IoError("cannot open lock file '" + lock_path + "': " + Errno(err));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status::IoError("lock file '" + lock_path + "' is not a regular file");
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto pause = std::chrono::microseconds(500);
  for (;;) {
    if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) return ExclusiveFileLock(std::move(fd));
    const int err = errno;
    if (err == EINTR) continue;
    if (err != EWOULDBLOCK) {
      return Status::IoError("cannot lock '" + lock_path + "': " + Errno(err));
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      return Status::Busy("another writer held '" + lock_path + "' for longer than " +
                          std::to_string(timeout.count()) + " ms");
    }
    // Polling rather than a blocking flock keeps the wait bounded; back off to 50 ms.
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, std::chrono::microseconds(50000));
  }
}

std::string RandomTempSuffix() {
  uint64_t bits = 0;
  if (::getrandom(&bits, sizeof bits, 0) != static_cast<ssize_t>(sizeof bits)) {
    // No entropy source: still distinct per process and call; O_EXCL keeps it safe.
    static std::atomic<uint64_t> counter{0};
    bits = static_cast<uint64_t>(::getpid()) << 32 ^
           static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
           counter.fetch_add(0x9E3779B97F4A7C15ull);
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(bits));
  return hex;
}

Result<ReplacementFile> ReplacementFile::Create(const std::string& target,
                                                const TempSuffixSource& suffixes) {
  mode_t mode = 0666;  // narrowed by the umask, as for any new file
  struct stat st {};
  const bool keep_mode = ::stat(target.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  constexpr int kAttempts = 64;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::string temp = target + ".tmp-" + suffixes();
    UniqueFd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (!fd.valid()) {
      const int err = errno;
      if (err == EEXIST || err == ELOOP) continue;  // taken (perhaps a planted link): next
      return Status::IoError("cannot create temporary '" + temp + "': " + Errno(err));
    }
    ReplacementFile file(target, std::move(temp), std::move(fd));
    // The new version keeps the old one's permissions (a private index stays private).
    if (keep_mode && ::fchmod(file.fd(), st.st_mode & 07777) != 0) {
      return Status::IoError("cannot set permissions of '" + file.temp_path() +
                             "': " + Errno(errno));
    }
    return file;
  }
  return Status::IoError("cannot create a temporary beside '" + target +
                         "': " + std::to_string(kAttempts) + " names were taken");
}

ReplacementFile::ReplacementFile(ReplacementFile&& other) noexcept
    : target_(std::move(other.target_)),
      temp_path_(std::exchange(other.temp_path_, std::string())),
      fd_(std::move(other.fd_)) {}

ReplacementFile::~ReplacementFile() {
  fd_.Reset();
  if (!temp_path_.empty()) ::unlink(temp_path_.c_str());
}

Status ReplacementFile::Commit() {
  if (temp_path_.empty()) return Status::Internal("replacement already committed");
  if (::fsync(fd_.get()) != 0) {
    return Status::IoError("cannot sync '" + temp_path_ + "': " + Errno(errno));
  }
  TUTTI_RETURN_IF_ERROR(fd_.Close(temp_path_));
  if (::rename(temp_path_.c_str(), target_.c_str()) != 0) {
    return Status::IoError("cannot replace '" + target_ + "': " + Errno(errno));
  }
  temp_path_.clear();  // renamed: nothing to remove any more
  // The rename is durable only once the directory entry is.
  return SyncDirectory(DirectoryOf(target_));
}

Status WriteAll(int fd, const void* data, size_t n, const std::string& name) {
  const auto* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return Status::IoError("cannot write '" + name + "': " + Errno(errno));
    }
    p += w;
    n -= static_cast<size_t>(w);
  }
  return Status::Ok();
}

int64_t ReadFully(int fd, void* data, size_t n) {
  auto* p = static_cast<char*>(data);
  size_t done = 0;
  while (done < n) {
    const ssize_t r = ::read(fd, p + done, n - done);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    done += static_cast<size_t>(r);
  }
  return static_cast<int64_t>(done);
}

}  // namespace tutti::fp::internal
