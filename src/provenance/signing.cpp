// The platform signing key and its key file.
//
// Key file rules, and why:
//   * created with O_CREAT | O_EXCL | O_NOFOLLOW: never overwrites a key (losing the platform
//     key would orphan every checkpoint signed with it) and never follows a symlink planted
//     at the path; mode 0600 set explicitly (fchmod), whatever the umask;
//   * written, fsync'ed, and its folder fsync'ed, before CreateFile reports success: a key
//     that vanishes in a crash after `tutti init` said it exists is worse than no key;
//   * refused on load when group or others have any access, as ssh refuses a private key:
//     a key others can read is no longer the platform's alone;
//   * opened with O_NONBLOCK and checked to be a regular file before reading, so a FIFO or a
//     device at the path cannot hang or flood the reader; at most kMaxKeyFileBytes read.
#include "tutti/signing.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace tutti {
namespace {

constexpr size_t kMaxKeyFileBytes = 4096;
constexpr std::string_view kKeyFileComment =
    "# tutti platform signing key (Ed25519 seed, hex). Keep it secret: mode 0600.\n";

void InitSodium() {
  // Idempotent and thread-safe; fails only without an entropy source, and then no key may be
  // made: stop rather than sign with a weak one.
  static const int init = sodium_init();
  if (init < 0) {
    std::fprintf(stderr, "tutti: internal error: libsodium cannot initialise\n");
    std::abort();
  }
}

std::string Quoted(const std::string& path) { return "'" + path + "'"; }

std::string SystemError(int error) { return std::strerror(error); }

// Owns a file descriptor.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting the error close may carry (a deferred write error).
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

// Wipes a string holding secret material when it goes out of scope.
class WipedString {
 public:
  WipedString() = default;
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  ~WipedString() { sodium_memzero(text.data(), text.size()); }
  std::string text;
};

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Status::IoError(SystemError(n < 0 ? errno : EIO));
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

// fsync of the folder holding `path`, so that the new name survives a crash. File systems
// that cannot sync a folder (EINVAL) have nothing more to do.
Status SyncParentFolder(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string folder =
      slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0) return Status::IoError("cannot open its folder: " + SystemError(errno));
  if (::fsync(dir.get()) != 0 && errno != EINVAL) {
    return Status::IoError("cannot sync its folder: " + SystemError(errno));
  }
  return Status::Ok();
}

// Writes `contents` into the new file `fd`, syncs it and its folder.
Status FillNewKeyFile(Fd& fd, const std::string& path, std::string_view contents) {
  // The umask may have removed bits of 0600; the key's mode must be exactly 0600.
  if (::fchmod(fd.get(), 0600) != 0) return Status::IoError("chmod: " + SystemError(errno));
  TUTTI_RETURN_IF_ERROR(WriteAll(fd.get(), contents));
  if (::fsync(fd.get()) != 0) return Status::IoError("fsync: " + SystemError(errno));
  if (fd.Close() != 0) return Status::IoError("close: " + SystemError(errno));
  return SyncParentFolder(path);
}

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

// The seed in the text of a key file: the one line that is neither blank nor a comment.
Result<KeySeed> ParseKeyFile(std::string_view text, const std::string& path) {
  auto corrupt = [&](const std::string& why) {
    return Status::Corruption("key file " + Quoted(path) + " is not a tutti signing key: " + why);
  };
  KeySeed seed{};
  bool found = false;
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (IsBlank(line) || line.front() == '#') continue;
    // Tolerate trailing spaces and a CRLF line end (a file edited elsewhere).
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    if (found) return corrupt("line " + std::to_string(line_number) + ": a second key line");
    Status parsed = FromHex(line, seed, "the seed");
    if (!parsed.ok())
      return corrupt("line " + std::to_string(line_number) + ": " + parsed.message());
    found = true;
  }
  if (!found) return corrupt("it holds no key line (64 hex characters)");
  return seed;
}

}  // namespace

SigningKey::~SigningKey() { sodium_memzero(secret_.data(), secret_.size()); }

SigningKey SigningKey::Generate() {
  InitSodium();
  SigningKey key;
  crypto_sign_keypair(key.public_key_.data(), key.secret_.data());
  return key;
}

SigningKey SigningKey::FromSeed(std::span<const uint8_t, 32> seed) {
  InitSodium();
  SigningKey key;
  crypto_sign_seed_keypair(key.public_key_.data(), key.secret_.data(), seed.data());
  return key;
}

Signature SigningKey::Sign(std::string_view message) const {
  Signature signature{};
  crypto_sign_detached(signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_.data());
  return signature;
}

Result<SigningKey> SigningKey::CreateFile(const std::string& path) {
  auto fail = [&](StatusCode code, const std::string& why) {
    return Status(code, "cannot create key file " + Quoted(path) + ": " + why);
  };
  if (path.empty()) return fail(StatusCode::kInvalidArgument, "the path is empty");
  struct stat existing;
  if (::lstat(path.c_str(), &existing) == 0) {
    return fail(StatusCode::kAlreadyExists,
                S_ISLNK(existing.st_mode)
                    ? "a symlink is there (a key file is never created through a link)"
                    : "a file is there already (a key is never overwritten)");
  }
  SigningKey key = Generate();
  // O_EXCL fails on any existing name, a symlink included: the check above is only for a
  // clearer message; this is the one that holds under races.
  Fd fd(
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600));
  if (fd.get() < 0) {
    const int error = errno;
    return fail(error == EEXIST ? StatusCode::kAlreadyExists : StatusCode::kIoError,
                SystemError(error));
  }
  WipedString contents;
  contents.text.reserve(kKeyFileComment.size() + 65);
  contents.text += kKeyFileComment;
  contents.text += ToHex(std::span<const uint8_t>(key.secret_.data(), 32));
  contents.text += '\n';
  Status written = FillNewKeyFile(fd, path, contents.text);
  if (!written.ok()) {
    // Remove what we created: a half-written key file would only fail to load later.
    ::unlink(path.c_str());
    return fail(written.code(), written.message());
  }
  return key;
}

Result<SigningKey> SigningKey::LoadFile(const std::string& path) {
  const std::string where = "key file " + Quoted(path);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
  if (fd.get() < 0) {
    const int error = errno;
    if (error == ENOENT) return Status::NotFound(where + " does not exist");
    return Status::IoError(where + " cannot be read: " + SystemError(error));
  }
  struct stat info;
  if (::fstat(fd.get(), &info) != 0) {
    return Status::IoError(where + " cannot be read: " + SystemError(errno));
  }
  if (!S_ISREG(info.st_mode)) return Status::IoError(where + " is not a regular file");
  if ((info.st_mode & 0077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
    return Status::Invalid(where + " is accessible by group or others (mode " + mode +
                           "); a private key must not be: run chmod 600 " + Quoted(path));
  }
  if (info.st_uid != ::geteuid() && ::geteuid() != 0) {
    return Status::Invalid(where + " belongs to user id " + std::to_string(info.st_uid) +
                           ", not to the user running tutti (" + std::to_string(::geteuid()) + ")");
  }
  if (static_cast<uint64_t>(info.st_size) > kMaxKeyFileBytes) {
    return Status::Corruption(where + " is not a tutti signing key: it is " +
                              std::to_string(info.st_size) + " bytes, a key file is under " +
                              std::to_string(kMaxKeyFileBytes));
  }
  WipedString contents;
  contents.text.resize(kMaxKeyFileBytes + 1);
  size_t size = 0;
  while (size < contents.text.size()) {
    const ssize_t n = ::read(fd.get(), contents.text.data() + size, contents.text.size() - size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IoError(where + " cannot be read: " + SystemError(errno));
    if (n == 0) break;
    size += static_cast<size_t>(n);
  }
  if (size > kMaxKeyFileBytes) {  // it grew after fstat
    return Status::Corruption(where + " is not a tutti signing key: it is over " +
                              std::to_string(kMaxKeyFileBytes) + " bytes");
  }
  TUTTI_ASSIGN_OR_RETURN(KeySeed seed,
                         ParseKeyFile(std::string_view(contents.text.data(), size), path));
  SigningKey key = FromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return key;
}

bool VerifySignature(const PublicKey& key, std::string_view message, const Signature& signature) {
  InitSodium();
  return crypto_sign_verify_detached(signature.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), key.data()) == 0;
}

std::string ToHex(std::span<const uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xf];
  }
  return out;
}

Status FromHex(std::string_view hex, std::span<uint8_t> out, std::string_view what) {
  if (hex.size() != out.size() * 2) {
    return Status::Invalid(std::string(what) + ": expected " + std::to_string(out.size() * 2) +
                           " hex characters, found " + std::to_string(hex.size()));
  }
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < hex.size(); ++i) {
    if (nibble(hex[i]) < 0) {
      return Status::Invalid(std::string(what) + ": character " + std::to_string(i + 1) +
                             " is not a hex digit");
    }
  }
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<uint8_t>(nibble(hex[2 * i]) << 4 | nibble(hex[2 * i + 1]));
  }
  return Status::Ok();
}

}  // namespace tutti
