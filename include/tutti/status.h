// Status and Result<T>: errors as values at every boundary.
//
// A Status is either OK or carries a code and a message a user can act on ("recording
// 'R9' not found", "share of work 'W1' in FR sums to 90%, not 100%"). Result<T> holds
// either a T or a non-OK Status. Neither converts to bool: ask ok().
//
// Thread-safety: value types; distinct objects may be used from distinct threads.
#ifndef TUTTI_STATUS_H_
#define TUTTI_STATUS_H_

#include <cassert>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace tutti {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the input is malformed or breaks a rule
  kNotFound,         // an id names nothing
  kAlreadyExists,    // an id is taken
  kCorruption,       // stored data is damaged or was tampered with
  kIoError,          // the file system or a library failed
  kUnsupported,      // a format or feature we do not handle
  kInternal,         // a bug in tutti
  kBusy,             // another writer held the store's lock past the wait allowed
};

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status Invalid(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }
  static Status Busy(std::string m) { return {StatusCode::kBusy, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Prefixes the message with where it happened: "line 12: " + message.
  Status WithContext(const std::string& where) const {
    return ok() ? *this : Status(code_, where + ": " + message_);
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  // Reading the value of an error is a bug in tutti: it stops the process with the error's
  // message, in release builds too, rather than reading an empty optional.
  T& value() & {
    CheckOk();
    return *value_;
  }
  const T& value() const& {
    CheckOk();
    return *value_;
  }
  T&& value() && {
    CheckOk();
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  void CheckOk() const {
    if (value_.has_value()) return;
    std::fprintf(stderr, "tutti: internal error: value() of a failed Result: %s\n",
                 status_.message().c_str());
    std::abort();
  }

  std::optional<T> value_;
  Status status_;
};

}  // namespace tutti

// Returns early from the enclosing function when `expr` is not OK.
#define TUTTI_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::tutti::Status tutti_status_ = (expr);        \
    if (!tutti_status_.ok()) return tutti_status_; \
  } while (0)

#define TUTTI_CONCAT_INNER_(a, b) a##b
#define TUTTI_CONCAT_(a, b) TUTTI_CONCAT_INNER_(a, b)
// Declares `lhs` from a Result, or returns its Status from the enclosing function.
#define TUTTI_ASSIGN_OR_RETURN(lhs, expr) \
  TUTTI_ASSIGN_OR_RETURN_IMPL_(TUTTI_CONCAT_(tutti_result_, __LINE__), lhs, expr)
#define TUTTI_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()

#endif  // TUTTI_STATUS_H_
