// What every changing command does: validate against the stored registry, then store
// with audit entries, all or nothing.
#ifndef TUTTI_CLI_COMMIT_H_
#define TUTTI_CLI_COMMIT_H_

#include <functional>
#include <vector>

#include "cli.h"

namespace tutti::cli {

// Runs `body` as the command's work and maps its Status to an exit code.
template <typename F>
void RunCommand(Context& ctx, F body) {
  Status s = body();
  ctx.exit_code = s.ok() ? kExitOk : ctx.Fail(s);
}

// Opens the store, loads its registry, lets `build` make the records from it (ids may be
// assigned there), adds them to the snapshot (each validated) and appends them in one
// transaction. On any error nothing is stored. Long work shows progress to a person.
Status CommitRecords(const Context& ctx,
                     const std::function<Result<std::vector<Record>>(const Registry&)>& build,
                     std::vector<Record>* committed = nullptr);

// Prints what was added: one line each, or the records' JSON under --json.
void PrintAdded(const Context& ctx, const std::vector<Record>& records);

// Parses "PARTY=PERCENT" or "PARTY=PERCENT@CODES" (CODES as in --territory).
Result<Share> ParseShareArg(std::string_view text);

// Resolves --at/--from style times: empty means now.
Result<Timestamp> ParseTimeArg(const std::string& text);

}  // namespace tutti::cli

#endif  // TUTTI_CLI_COMMIT_H_
