// libpq handles and error mapping for the PostgreSQL adapter.
#include "pg.h"

#include <charconv>

namespace tutti::pg {
namespace {

// libpq's messages end with a newline and continue on tab-indented lines: one line, for ours.
std::string OneLine(std::string_view message) {
  std::string out;
  out.reserve(message.size());
  for (char c : message) {
    if (c == '\n' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
      continue;
    }
    out += c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// What a violated constraint of tutti's schema means, in the words of the port's contract.
std::string ExplainConstraint(std::string_view constraint) {
  if (constraint == "audit_log_id_unique") return "a record of that kind with that id exists";
  if (constraint == "audit_log_key_unique") {
    return "a record of that kind with the same key (for a consent: party, scope, use and time) "
           "exists";
  }
  if (constraint == "audit_log_pkey") return "an audit entry with that sequence number exists";
  return "a constraint refused the change";
}

// Drops "password=..." from a URI's query string.
std::string StripQueryPassword(std::string_view query) {
  std::string out;
  size_t start = 0;
  while (start <= query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view param = query.substr(start, end - start);
    if (!param.starts_with("password=") && param != "password" && !param.empty()) {
      if (!out.empty()) out += '&';
      out += param;
    }
    start = end + 1;
  }
  return out;
}

// The passwords a URI holds, as written in it (still percent-encoded): its userinfo's, and
// those of its password= parameters.
std::vector<std::string> PasswordsIn(std::string_view uri) {
  std::vector<std::string> out;
  size_t scheme_end = uri.find("://");
  size_t authority_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  size_t authority_end = uri.find_first_of("/?", authority_start);
  std::string_view authority = uri.substr(authority_start, authority_end - authority_start);
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    size_t colon = userinfo.find(':');
    if (colon != std::string_view::npos && colon + 1 < userinfo.size()) {
      out.emplace_back(userinfo.substr(colon + 1));
    }
  }
  for (size_t p = uri.find("password="); p != std::string_view::npos;
       p = uri.find("password=", p + 1)) {
    std::string_view value = uri.substr(p + 9);
    value = value.substr(0, value.find_first_of("&# "));
    if (!value.empty()) out.emplace_back(value);
  }
  return out;
}

}  // namespace

std::string Redact(std::string message, std::string_view uri) {
  for (const std::string& password : PasswordsIn(uri)) {
    for (size_t p = message.find(password); p != std::string::npos;
         p = message.find(password, p + 3)) {
      message.replace(p, password.size(), "***");
    }
  }
  return message;
}

std::string StripPassword(std::string_view uri) {
  size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) {
    // Not a URI ("host=/tmp password=x"): named only to be refused, and never with a password.
    if (uri.find("password") == std::string_view::npos) return std::string(uri);
    return "(a connection string holding a password)";
  }
  size_t authority_start = scheme_end + 3;
  size_t authority_end = uri.find_first_of("/?", authority_start);
  if (authority_end == std::string_view::npos) authority_end = uri.size();
  std::string_view authority = uri.substr(authority_start, authority_end - authority_start);

  std::string out(uri.substr(0, authority_start));
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    out += userinfo.substr(0, userinfo.find(':'));
    out += authority.substr(at);
  } else {
    out += authority;
  }
  std::string_view rest = uri.substr(authority_end);
  size_t q = rest.find('?');
  out += rest.substr(0, q);
  if (q != std::string_view::npos) {
    std::string query = StripQueryPassword(rest.substr(q + 1));
    if (!query.empty()) out += "?" + query;
  }
  return out;
}

std::string SqlState(const PGresult* result) {
  if (result == nullptr) return "";
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return state == nullptr ? "" : state;
}

Result<Connection> Connection::Open(const std::string& uri, std::string where) {
  // Parse first: a malformed URI is the user's to fix, not an unreachable server.
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(uri.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string message = parse_error != nullptr ? OneLine(parse_error) : "out of memory";
    PQfreemem(parse_error);
    return Status::Invalid("'" + where +
                           "' is not a valid PostgreSQL URI: " + Redact(message, uri));
  }
  PQconninfoFree(parsed);

  // The URI's own settings override these defaults: libpq applies later keywords last, and
  // `dbname` (the URI, expanded) comes last.
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "client_encoding",
                            "dbname", nullptr};
  const char* values[] = {"10", "tutti", "UTF8", uri.c_str(), nullptr};
  ConnHandle conn(PQconnectdbParams(keywords, values, /*expand_dbname=*/1));
  if (conn == nullptr) return Status::IoError("cannot connect to " + where + ": out of memory");
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Status::IoError("cannot connect to PostgreSQL at " + where + ": " +
                           Redact(OneLine(PQerrorMessage(conn.get())), uri));
  }
  // Notices ("schema exists, skipping") are not for the user's terminal.
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);
  // The client encoding must stay UTF8 whatever the URI said: payloads are UTF-8 JSON.
  if (std::string_view(PQparameterStatus(conn.get(), "client_encoding")) != "UTF8") {
    return Status::Unsupported("PostgreSQL at " + where +
                               ": client_encoding must be UTF8 (remove it from the URI)");
  }
  const char* server_encoding = PQparameterStatus(conn.get(), "server_encoding");
  std::string_view encoding = server_encoding == nullptr ? "" : server_encoding;
  if (encoding != "UTF8" && encoding != "SQL_ASCII") {
    return Status::Unsupported("PostgreSQL database at " + where + " is encoded in " +
                               std::string(encoding) +
                               ": tutti stores UTF-8 text; create the database with ENCODING "
                               "'UTF8'");
  }
  return Connection(std::move(conn), std::move(where));
}

Status Connection::Exec(std::string_view sql, std::string_view what) {
  ResultHandle result(PQexec(conn_.get(), std::string(sql).c_str()));
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::Ok();
  return Error(result.get(), what);
}

Result<ResultHandle> Connection::Query(const std::string& sql,
                                       const std::vector<std::string>& params,
                                       std::string_view what) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& p : params) values.push_back(p.c_str());
  ResultHandle result(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()),
                                   nullptr, values.data(), nullptr, nullptr, 0));
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  return Error(result.get(), what);
}

bool Connection::InTransaction() const {
  PGTransactionStatusType status = PQtransactionStatus(conn_.get());
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

Status Connection::Error(const PGresult* result, std::string_view what) const {
  std::string state = SqlState(result);
  std::string message;
  if (result != nullptr && PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) != nullptr) {
    message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    if (const char* detail = PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL)) {
      message += std::string(" (") + detail + ")";
    }
  } else {
    message = OneLine(PQerrorMessage(conn_.get()));
    if (message.empty()) message = "no result from the server";
  }
  message = OneLine(message);
  std::string prefix = std::string(what) + " in PostgreSQL " + where_ + ": ";

  if (state == "23505") {
    const char* constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
    std::string name = constraint == nullptr ? "" : constraint;
    return Status::Invalid(prefix + ExplainConstraint(name) + ": " + message + " [constraint " +
                           name + "]");
  }
  if (state == "55P03") return Status::Busy(prefix + message);
  if (state == "25006") {
    return Status::Invalid(prefix + "the store was opened read-only (" + message + ")");
  }
  // Integrity (23), data (22) and program limit (54) errors: the input is at fault.
  if (state.starts_with("23") || state.starts_with("22") || state.starts_with("54")) {
    return Status::Invalid(prefix + message);
  }
  return Status::IoError(prefix + message + (state.empty() ? "" : " [SQLSTATE " + state + "]"));
}

Result<int64_t> ParseInt64(const char* text, std::string_view what) {
  std::string_view s = text == nullptr ? "" : text;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
    return Status::Corruption(std::string(what) + " is not an integer: '" + std::string(s) + "'");
  }
  return value;
}

}  // namespace tutti::pg
