// Test databases on the server named by $TUTTI_TEST_PG_HOST (a unix socket directory, or a
// host name), as user $TUTTI_TEST_PG_USER (default "postgres", which scripts/pg.sh makes).
// Each call creates a database of its own, named by process id and a counter, since ctest
// runs test processes in parallel; they are dropped when the process exits, unless
// $TUTTI_TEST_PG_KEEP_DATABASES is set (scripts/test.sh sets it: its server goes away whole,
// and a DROP DATABASE costs a checkpoint, seconds on a busy machine).
#include "postgres_env.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

namespace tutti::testing {
namespace {

struct ConnFinisher {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultClearer {
  void operator()(PGresult* r) const { PQclear(r); }
};

std::string Env(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}

// Percent-encodes a URI query value.
std::string Encode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Uri(const std::string& database) {
  return "postgresql:///" + database + "?host=" + Encode(Env("TUTTI_TEST_PG_HOST", "")) +
         "&user=" + Encode(Env("TUTTI_TEST_PG_USER", "postgres"));
}

Status Admin(const std::string& sql) {
  std::unique_ptr<PGconn, ConnFinisher> conn(PQconnectdb(Uri("postgres").c_str()));
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Status::IoError("test server: " + std::string(PQerrorMessage(conn.get())));
  }
  std::unique_ptr<PGresult, ResultClearer> result(PQexec(conn.get(), sql.c_str()));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return Status::IoError("test server: " + sql + ": " + PQerrorMessage(conn.get()));
  }
  return Status::Ok();
}

// Drops this process's databases at exit.
class Databases {
 public:
  ~Databases() {
    if (!Env("TUTTI_TEST_PG_KEEP_DATABASES", "").empty()) return;
    for (const std::string& name : names_) {
      (void)Admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }
  void Add(std::string name) {
    std::lock_guard lock(mu_);
    names_.push_back(std::move(name));
  }

 private:
  std::mutex mu_;
  std::vector<std::string> names_;
};

}  // namespace

bool PostgresConfigured() { return !Env("TUTTI_TEST_PG_HOST", "").empty(); }

Result<std::string> MakeTestPostgresDatabase() {
  if (!PostgresConfigured()) {
    return Status::Unsupported(
        "TUTTI_TEST_PG_HOST is not set: start a server with scripts/pg.sh start DIR and set it "
        "to DIR (scripts/test.sh does both)");
  }
  static std::atomic<int> counter = 0;
  static Databases databases;
  static const uint64_t run = std::random_device()();  // pids repeat across runs
  std::string name = "tutti_test_" + std::to_string(getpid()) + "_" +
                     std::to_string(run % 1000000) + "_" + std::to_string(++counter);
  // CREATE DATABASE copies template1, and refuses while another CREATE DATABASE (a test
  // running beside this one) is copying it: wait and try again.
  Status created;
  for (int attempt = 0; attempt < 100; ++attempt) {
    created = Admin("CREATE DATABASE " + name);
    if (created.ok() ||
        created.message().find("being accessed by other users") == std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50 + 10 * attempt));
  }
  TUTTI_RETURN_IF_ERROR(created);
  databases.Add(name);
  return Uri(name);
}

}  // namespace tutti::testing
