// tutti check | cleared: the license gate from the command line.
#include <iostream>

#include "commit.h"
#include "tutti/explain.h"

namespace tutti::cli {
namespace {

struct GateArgs {
  std::string use, recording, product, territory, at;
};

void AddGateOptions(CLI::App* cmd, GateArgs& args) {
  cmd->add_option("--use", args.use, "train, style, voice, remix or reference")->required();
  cmd->add_option("--product", args.product, "the AI product asking")->required();
  cmd->add_option("--territory", args.territory, "ISO 3166-1 alpha-2 code, e.g. FR")->required();
  cmd->add_option("--at", args.at, "when (ISO 8601; default: now)");
}

Result<DecisionRequest> ParseRequest(const GateArgs& args, Timestamp now) {
  DecisionRequest q;
  TUTTI_ASSIGN_OR_RETURN(q.use, ParseUse(args.use));
  TUTTI_ASSIGN_OR_RETURN(q.territory, ParseTerritory(args.territory));
  TUTTI_ASSIGN_OR_RETURN(q.at, ParseTimeArg(args.at, now));
  q.product = args.product;
  q.recording = args.recording;
  return q;
}

void RegisterCheck(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<GateArgs>();
  auto* cmd =
      app.add_subcommand("check",
                         "decide whether a product may make a use of a recording, and explain why "
                         "(exit 0 allow, 1 deny)");
  cmd->add_option("--recording", args->recording, "the recording")->required();
  AddGateOptions(cmd, *args);
  cmd->callback([&ctx, args] {
    auto run = [&]() -> Result<int> {
      TUTTI_ASSIGN_OR_RETURN(auto tutti, ctx.OpenApp(Access::kRead));
      TUTTI_ASSIGN_OR_RETURN(DecisionRequest q, ParseRequest(*args, tutti->Now()));
      TUTTI_ASSIGN_OR_RETURN(Decision d, tutti->Check(q));
      TUTTI_ASSIGN_OR_RETURN(const Registry* reg, tutti->Current());
      if (ctx.json) {
        ctx.PrintJson(DecisionJson(*reg, d));
      } else {
        std::cout << Shown(Gate(*reg).Explain(d));
      }
      return d.allowed() ? kExitOk : kExitDeny;
    };
    auto code = run();
    ctx.exit_code = code.ok() ? *code : ctx.Fail(code.status());
  });
}

void RegisterCleared(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<GateArgs>();
  auto* cmd = app.add_subcommand(
      "cleared", "list every recording a product may use: its training set, for example");
  AddGateOptions(cmd, *args);
  cmd->callback([&ctx, args] {
    RunCommand(ctx, [&]() -> Status {
      TUTTI_ASSIGN_OR_RETURN(auto tutti, ctx.OpenApp(Access::kRead));
      TUTTI_ASSIGN_OR_RETURN(DecisionRequest q, ParseRequest(*args, tutti->Now()));
      TUTTI_ASSIGN_OR_RETURN(App::ClearedSet set,
                             tutti->Cleared(q.use, q.product, q.territory, q.at));
      if (ctx.json) {
        ctx.PrintJson({{"use", ToString(q.use)},
                       {"product", q.product},
                       {"territory", TerritoryCode(q.territory)},
                       {"at", FormatTime(q.at)},
                       {"registry_version", set.registry_version},
                       {"count", set.recordings.size()},
                       {"recordings", set.recordings}});
        return Status::Ok();
      }
      TUTTI_ASSIGN_OR_RETURN(const Registry* reg, tutti->Current());
      std::cout << set.recordings.size() << " of " << set.of << " recordings cleared for "
                << ToString(q.use) << " by '" << Shown(q.product) << "' in "
                << TerritoryCode(q.territory) << " at " << FormatTime(q.at) << "\n";
      for (const std::string& id : set.recordings) {
        std::cout << "  " << id << "  " << Shown(reg->FindRecording(id)->title) << "\n";
      }
      return Status::Ok();
    });
  });
}

}  // namespace

void RegisterGateCommands(CLI::App& app, Context& ctx) {
  RegisterCheck(app, ctx);
  RegisterCleared(app, ctx);
}

}  // namespace tutti::cli
