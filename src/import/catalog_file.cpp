// Reading a catalog file whole (a regular file or a pipe), and choosing its parser.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

#include "parsers.h"
#include "tutti/text.h"

namespace tutti {
namespace {

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

std::string TooLarge(const std::string& shown, const std::string& size) {
  return "catalog '" + shown + "' is " + size + ", over the " +
         std::to_string(kMaxCatalogBytes >> 20) + " MiB limit: split it";
}

// The whole of `path`, at most kMaxCatalogBytes. Opens first and asks the open file what it
// is, so that what is checked is what is read.
Result<std::string> ReadWhole(const std::string& path) {
  const std::string shown = ShownName(path);
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    int err = errno;
    std::string message = "cannot read catalog '" + shown + "': " + std::strerror(err);
    return err == ENOENT   ? Status::NotFound(message)
           : err == EACCES ? Status::Invalid(message)
                           : Status::IoError(message);
  }
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) {
    return Status::IoError("cannot read catalog '" + shown + "': " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) {
    return Status::Invalid("catalog '" + shown + "' is a directory, not a file");
  }
  std::string text;
  if (S_ISREG(st.st_mode)) {
    auto size = static_cast<uint64_t>(st.st_size);
    if (size > kMaxCatalogBytes) {
      return Status::Invalid(TooLarge(shown, std::to_string(size >> 20) + " MiB"));
    }
    text.reserve(size);
  }
  // A pipe, a terminal or a device has no size to trust: read until the end, up to the limit.
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Status::IoError("cannot read catalog '" + shown + "': " + std::strerror(errno));
    }
    if (n == 0) break;
    if (text.size() + static_cast<size_t>(n) > kMaxCatalogBytes) {
      return Status::Invalid(
          TooLarge(shown, "more than " + std::to_string(kMaxCatalogBytes >> 20) + " MiB"));
    }
    text.append(buf, static_cast<size_t>(n));
  }
  return text;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  std::string_view tail = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < tail.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(tail[i])) != suffix[i]) return false;
  }
  return true;
}

CatalogFormat FormatOf(std::string_view path, std::string_view text) {
  if (EndsWith(path, ".json")) return CatalogFormat::kJson;
  if (EndsWith(path, ".csv")) return CatalogFormat::kCsv;
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.remove_prefix(3);  // a byte order mark
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (text[first] == '[' || text[first] == '{')) {
    return CatalogFormat::kJson;
  }
  return CatalogFormat::kCsv;
}

Result<std::vector<Record>> RecordsOnly(Result<Catalog> catalog) {
  if (!catalog.ok()) return catalog.status();
  return std::move(catalog->records);
}

}  // namespace

Result<Catalog> ParseCatalog(std::string_view text, std::string_view name, CatalogFormat format) {
  return format == CatalogFormat::kJson ? ParseCatalogJsonText(text, name)
                                        : ParseCatalogCsvText(text, name);
}

Result<Catalog> ReadCatalog(const std::string& path) {
  TUTTI_ASSIGN_OR_RETURN(std::string text, ReadWhole(path));
  return ParseCatalog(text, path, FormatOf(path, text));
}

Result<std::vector<Record>> ParseCatalogJson(std::string_view text, std::string_view name) {
  return RecordsOnly(ParseCatalogJsonText(text, name));
}

Result<std::vector<Record>> ParseCatalogCsv(std::string_view text, std::string_view name) {
  return RecordsOnly(ParseCatalogCsvText(text, name));
}

Result<std::vector<Record>> ReadCatalogFile(const std::string& path) {
  return RecordsOnly(ReadCatalog(path));
}

}  // namespace tutti
