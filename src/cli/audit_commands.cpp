// tutti audit verify | log
#include <iostream>

#include "commit.h"

namespace tutti::cli {

void RegisterAuditCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("audit", "the tamper-evident log of every change");
  group->require_subcommand(1);

  auto* verify = group->add_subcommand("verify",
                                       "check the hash chain and that the store matches its log "
                                       "(exit 0 intact, 1 tampered)");
  verify->callback([&ctx] {
    auto store = ctx.OpenStore();
    if (!store.ok()) {
      ctx.exit_code = ctx.Fail(store.status());
      return;
    }
    auto summary = VerifyStore(**store);
    if (!summary.ok() && summary.status().code() != StatusCode::kCorruption) {
      ctx.exit_code = ctx.Fail(summary.status());
      return;
    }
    bool intact = summary.ok();
    if (ctx.json) {
      nlohmann::json out = {{"intact", intact}};
      if (intact) {
        out["entries"] = summary->entries;
        out["head"] = summary->head_hash;
      } else {
        out["problem"] = summary.status().message();
      }
      ctx.PrintJson(out);
    } else if (intact) {
      std::cout << "audit log intact: " << summary->entries << " entries, head "
                << summary->head_hash << "\n";
    } else {
      std::cout << "audit log TAMPERED: " << summary.status().message() << "\n";
    }
    ctx.exit_code = intact ? kExitOk : kExitDeny;
  });

  auto limit = std::make_shared<int64_t>(20);
  auto* log = group->add_subcommand("log", "show the latest entries");
  log->add_option("--limit", *limit, "how many, newest last (0: all)")->capture_default_str();
  log->callback([&ctx, limit] {
    RunCommand(ctx, [&]() -> Status {
      TUTTI_ASSIGN_OR_RETURN(auto store, ctx.OpenStore());
      TUTTI_ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, store->ReadAuditLog());
      size_t first = *limit > 0 && entries.size() > static_cast<size_t>(*limit)
                         ? entries.size() - static_cast<size_t>(*limit)
                         : 0;
      nlohmann::json out = nlohmann::json::array();
      for (size_t i = first; i < entries.size(); ++i) {
        const AuditEntry& e = entries[i];
        if (ctx.json) {
          out.push_back({{"seq", e.seq},
                         {"at", FormatTime(e.at)},
                         {"actor", e.actor},
                         {"action", e.action},
                         {"change", nlohmann::json::parse(e.payload, nullptr, false)},
                         {"hash", e.hash}});
        } else {
          std::cout << e.seq << "  " << FormatTime(e.at) << "  " << e.actor << "  " << e.action
                    << "  " << e.payload << "\n";
        }
      }
      if (ctx.json) ctx.PrintJson(out);
      return Status::Ok();
    });
  });
}

}  // namespace tutti::cli
