// Shared plumbing of the `tutti` command: global options, output, exit codes.
//
// Each command group lives in its own file and registers its subcommands with
// Register*Commands(app, ctx). A command body returns an exit code; it prints human text
// by default and JSON under --json, and reports errors through Fail().
#ifndef TUTTI_CLI_CLI_H_
#define TUTTI_CLI_CLI_H_

#include <CLI/CLI.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "tutti/status.h"
#include "tutti/store.h"

namespace tutti::cli {

// Exit codes scripts can trust.
inline constexpr int kExitOk = 0;        // success (and, for a decision, allow)
inline constexpr int kExitDeny = 1;      // a decision denied, or a query found nothing
inline constexpr int kExitBadInput = 2;  // bad usage or bad input; nothing was changed

struct Context {
  std::string db_path;      // --db, else $TUTTI_DB, else ./tutti.db
  bool json = false;        // --json: machine-readable output on stdout, no progress
  std::string actor;        // --actor, else $TUTTI_ACTOR, else $USER: who the audit log names
  int exit_code = kExitOk;  // set by the command that ran

  // Opens the store at db_path and migrates it. Only `tutti init` creates one
  // (create = true); any other command names the missing file.
  Result<std::unique_ptr<Store>> OpenStore(bool create = false) const;

  // True when a person is watching: stderr is a terminal and --json is off.
  bool ShowProgress() const;

  // Prints `message` as "tutti: error: ..." on stderr (or {"error": ...} under --json)
  // and returns the exit code for `status`.
  int Fail(const Status& status) const;

  // Prints a JSON document on stdout.
  void PrintJson(const nlohmann::json& doc) const;
};

void RegisterRegistryCommands(CLI::App& app, Context& ctx);
void RegisterDemoCommand(CLI::App& app, Context& ctx);
void RegisterFingerprintCommands(CLI::App& app, Context& ctx);

}  // namespace tutti::cli

#endif  // TUTTI_CLI_CLI_H_
