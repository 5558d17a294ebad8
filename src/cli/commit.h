// What the changing commands share: committing through the application layer, printing
// what landed, and the argument forms of shares and times.
#ifndef TUTTI_CLI_COMMIT_H_
#define TUTTI_CLI_COMMIT_H_

#include <functional>
#include <vector>

#include "cli.h"

namespace tutti::cli {

// The records a command makes from its arguments; `now` is the application's clock, for
// times the user left out.
using BuildFn = std::function<Result<std::vector<Record>>(Timestamp now)>;

// Commits what `build` makes through the application layer (one transaction, validated
// under the store's write lock) with progress for a person watching, and prints what
// landed.
Status CommitAndPrint(const Context& ctx, const BuildFn& build);

// Prints what was added: one line each, or the records' JSON under --json.
void PrintAdded(const Context& ctx, const std::vector<Record>& records);

// Parses "PARTY=PERCENT" or "PARTY=PERCENT@CODES" (CODES as in --territory).
Result<Share> ParseShareArg(std::string_view text);
Result<std::vector<Share>> ParseShareArgs(const std::vector<std::string>& args);

// Resolves --at style times: empty means now.
Result<Timestamp> ParseTimeArg(const std::string& text, Timestamp now);

}  // namespace tutti::cli

#endif  // TUTTI_CLI_COMMIT_H_
