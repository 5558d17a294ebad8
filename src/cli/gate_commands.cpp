// tutti check | cleared: the license gate from the command line.
#include <iostream>

#include "commit.h"
#include "tutti/explain.h"
#include "tutti/gate.h"

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

// The request as typed, with the product checked: an unknown id is bad input, not a deny.
Result<DecisionRequest> ParseRequest(const GateArgs& args, const Registry& reg) {
  DecisionRequest q;
  TUTTI_ASSIGN_OR_RETURN(q.use, ParseUse(args.use));
  TUTTI_ASSIGN_OR_RETURN(q.territory, ParseTerritory(args.territory));
  TUTTI_ASSIGN_OR_RETURN(q.at, ParseTimeArg(args.at));
  q.product = args.product;
  q.recording = args.recording;
  const Party* product = reg.FindParty(q.product);
  if (!product) return Status::NotFound("unknown product '" + q.product + "'");
  if (product->kind != PartyKind::kProduct) {
    return Status::Invalid("'" + q.product + "' is a " + std::string(ToString(product->kind)) +
                           ", not an AI product");
  }
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
      TUTTI_ASSIGN_OR_RETURN(auto store, ctx.OpenStore());
      TUTTI_ASSIGN_OR_RETURN(Registry reg, store->LoadRegistry());
      TUTTI_ASSIGN_OR_RETURN(DecisionRequest q, ParseRequest(*args, reg));
      if (!reg.FindRecording(q.recording)) {
        return Status::NotFound("unknown recording '" + q.recording + "'");
      }
      Gate gate(reg);
      Decision d = gate.Decide(q);
      if (ctx.json) {
        ctx.PrintJson(DecisionJson(reg, d));
      } else {
        std::cout << gate.Explain(d);
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
      TUTTI_ASSIGN_OR_RETURN(auto store, ctx.OpenStore());
      TUTTI_ASSIGN_OR_RETURN(Registry reg, store->LoadRegistry());
      TUTTI_ASSIGN_OR_RETURN(DecisionRequest q, ParseRequest(*args, reg));
      std::vector<std::string> ids = Gate(reg).Cleared(q.use, q.product, q.territory, q.at);
      if (ctx.json) {
        ctx.PrintJson({{"use", ToString(q.use)},
                       {"product", q.product},
                       {"territory", TerritoryCode(q.territory)},
                       {"at", FormatTime(q.at)},
                       {"count", ids.size()},
                       {"recordings", ids}});
        return Status::Ok();
      }
      std::cout << ids.size() << " of " << reg.recordings().size() << " recordings cleared for "
                << ToString(q.use) << " by '" << q.product << "' in " << TerritoryCode(q.territory)
                << " at " << FormatTime(q.at) << "\n";
      for (const std::string& id : ids) {
        std::cout << "  " << id << "  " << reg.FindRecording(id)->title << "\n";
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
