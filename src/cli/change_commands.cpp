// tutti license end | recording shares | work shares: rights that change over time. A
// license amended is ended and replaced; shares change from a date (a catalog sale, a
// reversion). History is kept: the gate and the ledger answer for the time asked.
#include "commit.h"

namespace tutti::cli {
namespace {

void RegisterLicenseEnd(CLI::App& app, Context& ctx) {
  struct Args {
    std::string license, at, reason, id;
  };
  auto args = std::make_shared<Args>();
  auto* end = app.get_subcommand("license")->add_subcommand(
      "end", "end a license early, from a time on (it stays in force before it)");
  end->add_option("ID", args->license, "the license")->required();
  end->add_option("--at", args->at, "when it ends (ISO 8601)")->required();
  end->add_option("--reason", args->reason, "why, for the record");
  end->add_option("--id", args->id, "id of the change (default: assigned, E<n>)");
  end->callback([&ctx, args] {
    RunCommand(ctx, [&] {
      return CommitAndPrint(ctx, [&](Timestamp) -> Result<std::vector<Record>> {
        LicenseEnd e;
        e.id = args->id;
        e.license = args->license;
        e.reason = args->reason;
        TUTTI_ASSIGN_OR_RETURN(e.at, ParseTime(args->at));
        return std::vector<Record>{std::move(e)};
      });
    });
  });
}

// `recording shares` and `work shares`: the same change to either right.
void RegisterSharesChange(CLI::App& app, Context& ctx, const char* group, Right right) {
  struct Args {
    std::string target, from, id;
    std::vector<std::string> shares;
  };
  auto args = std::make_shared<Args>();
  std::string right_name(ToString(right));
  auto* cmd = app.get_subcommand(group)->add_subcommand(
      "shares", "change the " + right_name + " shares from a date on (a sale, a reversion)");
  cmd->add_option("ID", args->target, std::string("the ") + group)->required();
  cmd->add_option(
         "--share", args->shares,
         "PARTY=PERCENT[@TERRITORIES] of the " + right_name + " right; repeat, summing to 100")
      ->required()
      ->take_all();
  cmd->add_option("--from", args->from, "the date the new shares take effect (ISO 8601)")
      ->required();
  cmd->add_option("--id", args->id, "id of the change (default: assigned, S<n>)");
  cmd->callback([&ctx, args, right] {
    RunCommand(ctx, [&] {
      return CommitAndPrint(ctx, [&](Timestamp) -> Result<std::vector<Record>> {
        ShareChange c;
        c.id = args->id;
        c.right = right;
        c.target = args->target;
        TUTTI_ASSIGN_OR_RETURN(c.shares, ParseShareArgs(args->shares));
        TUTTI_ASSIGN_OR_RETURN(c.from, ParseTime(args->from));
        return std::vector<Record>{std::move(c)};
      });
    });
  });
}

}  // namespace

void RegisterChangeCommands(CLI::App& app, Context& ctx) {
  RegisterLicenseEnd(app, ctx);
  RegisterSharesChange(app, ctx, "recording", Right::kRecording);
  RegisterSharesChange(app, ctx, "work", Right::kComposition);
}

}  // namespace tutti::cli
