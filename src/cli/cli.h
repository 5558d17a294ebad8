// Shared plumbing of the `tutti` command: global options, output, exit codes.
//
// The CLI only translates: it parses arguments into the application layer's calls
// (include/tutti/app.h) and prints what they return. Each command group lives in its own
// file and registers its subcommands with Register*Commands(app, ctx). A command body
// returns a Status (or an exit code); it prints human text by default and JSON under --json.
#ifndef TUTTI_CLI_CLI_H_
#define TUTTI_CLI_CLI_H_

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tutti/app.h"
#include "tutti/status.h"

namespace tutti::cli {

// Exit codes scripts can trust (docs/CLI.md).
inline constexpr int kExitOk = 0;        // success (and, for a decision, allow)
inline constexpr int kExitDeny = 1;      // a decision denied, a query found nothing, tampering
inline constexpr int kExitBadInput = 2;  // bad usage or bad input; nothing was changed
inline constexpr int kExitIoError = 3;   // the store, a file or tutti itself failed; nothing
                                         // was changed, and trying again may work

// How a command uses the store.
enum class Access {
  kRead,    // reads only: opens a read-only store too
  kWrite,   // changes it
  kCreate,  // may create it (init, demo)
};

struct Context {
  std::string db;           // --db, else $TUTTI_DB, else ./tutti.db: a path or a URL
  std::string key_path;     // --key, else $TUTTI_KEY, else DefaultKeyPath(db)
  bool json = false;        // --json: machine-readable output on stdout, no progress
  std::string actor;        // --actor, else $TUTTI_ACTOR, else $USER: who the audit log names
  int exit_code = kExitOk;  // set by the command that ran

  // Opens the store at `db` through the application layer. Only `init` and `demo` create
  // one; any other command names the missing store.
  Result<std::unique_ptr<App>> OpenApp(Access access) const;

  // True when a person is watching: stderr is a terminal and --json is off.
  bool ShowProgress() const;

  // Prints `status` as "tutti: error: ..." on stderr (and {"error": ...} on stdout under
  // --json), made safe for a terminal, and returns its exit code.
  int Fail(const Status& status) const;

  // Prints a JSON document on stdout (invalid UTF-8 replaced, never thrown).
  void PrintJson(const nlohmann::json& doc) const;
};

// The exit code for a failed status: kExitIoError for the store or the system failing,
// kExitBadInput for everything the user can fix.
int ExitCodeFor(const Status& status);

// User text made safe to print on a terminal: control characters and invalid UTF-8
// escaped, very long text cut with a note of its size.
std::string Shown(std::string_view text);

// Runs `body` as the command's work and maps its Status to an exit code.
template <typename F>
void RunCommand(Context& ctx, F body) {
  Status s = body();
  ctx.exit_code = s.ok() ? kExitOk : ctx.Fail(s);
}

void RegisterRegistryCommands(CLI::App& app, Context& ctx);
void RegisterChangeCommands(CLI::App& app, Context& ctx);
void RegisterGateCommands(CLI::App& app, Context& ctx);
void RegisterAuditCommands(CLI::App& app, Context& ctx);
void RegisterImportCommand(CLI::App& app, Context& ctx);
void RegisterListCommands(CLI::App& app, Context& ctx);
void RegisterDemoCommand(CLI::App& app, Context& ctx);
void RegisterFingerprintCommands(CLI::App& app, Context& ctx);

}  // namespace tutti::cli

#endif  // TUTTI_CLI_CLI_H_
