// Files the application layer reads and writes besides the store: checkpoints.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "tutti/app.h"

namespace tutti {
namespace {

// A checkpoint is a few hundred bytes; anything much larger is not one.
constexpr size_t kMaxCheckpointBytes = 64 * 1024;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Status Errno(const std::string& what, const std::string& path) {
  return Status::IoError(what + " '" + path + "': " + std::strerror(errno));
}

}  // namespace

Result<Checkpoint> ReadCheckpointFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) {
    if (errno == ENOENT) return Status::NotFound("no checkpoint file '" + path + "'");
    return Errno("cannot open checkpoint", path);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return Errno("cannot read checkpoint", path);
  if (!S_ISREG(st.st_mode)) {
    return Status::Invalid("checkpoint '" + path + "' is not a regular file");
  }
  std::string text;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Errno("cannot read checkpoint", path);
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > kMaxCheckpointBytes) {
      return Status::Invalid("checkpoint '" + path + "' is larger than " +
                             std::to_string(kMaxCheckpointBytes) + " bytes: not a checkpoint");
    }
  }
  auto checkpoint = ParseCheckpoint(text);
  if (!checkpoint.ok()) return checkpoint.status().WithContext("checkpoint '" + path + "'");
  return checkpoint;
}

Status WriteCheckpointFile(const std::string& path, const Checkpoint& checkpoint) {
  std::string text = CheckpointJson(checkpoint) + "\n";
  std::random_device random;
  std::string temp = path + ".tmp-" + std::to_string(random());
  {
    Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (fd.get() < 0) return Errno("cannot write checkpoint", temp);
    const char* data = text.data();
    size_t left = text.size();
    while (left > 0) {
      ssize_t n = ::write(fd.get(), data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        Status s = Errno("cannot write checkpoint", temp);
        ::unlink(temp.c_str());
        return s;
      }
      data += n;
      left -= static_cast<size_t>(n);
    }
    if (::fsync(fd.get()) != 0) {
      Status s = Errno("cannot sync checkpoint", temp);
      ::unlink(temp.c_str());
      return s;
    }
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    Status s = Errno("cannot write checkpoint", path);
    ::unlink(temp.c_str());
    return s;
  }
  return Status::Ok();
}

}  // namespace tutti
