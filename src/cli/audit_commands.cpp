// tutti audit verify | log | checkpoint
#include <iostream>

#include "cli.h"
#include "progress.h"
#include "tutti/signing.h"

namespace tutti::cli {
namespace {

// The key checkpoints are checked against: --public-key, else the signing key's own.
Result<PublicKey> TrustedKey(const Context& ctx, const std::string& public_key_hex) {
  PublicKey key{};
  if (!public_key_hex.empty()) {
    TUTTI_RETURN_IF_ERROR(FromHex(public_key_hex, key, "--public-key"));
    return key;
  }
  if (ctx.key_path.empty()) {
    return Status::Invalid(
        "give the platform's public key (--public-key HEX) or its key file "
        "(--key FILE or $TUTTI_KEY) to check a checkpoint");
  }
  TUTTI_ASSIGN_OR_RETURN(SigningKey signing, SigningKey::LoadFile(ctx.key_path));
  return signing.public_key();
}

void RegisterVerify(CLI::App& group, Context& ctx) {
  struct Args {
    std::string checkpoint, public_key;
  };
  auto args = std::make_shared<Args>();
  auto* verify = group.add_subcommand(
      "verify",
      "check the hash chain, that every change replays, that the schema holds nothing tutti "
      "did not create and, with --checkpoint, that the history extends a signed checkpoint "
      "(exit 0 intact, 1 tampered)");
  verify->add_option("--checkpoint", args->checkpoint,
                     "a checkpoint file made by 'tutti audit checkpoint'");
  verify->add_option("--public-key", args->public_key,
                     "the platform's public key, hex (default: that of --key)");
  verify->callback([&ctx, args] {
    auto run = [&]() -> Result<AuditSummary> {
      TUTTI_ASSIGN_OR_RETURN(auto tutti, ctx.OpenApp(Access::kRead));
      Progress progress(ctx, "audit verify");
      auto report = [&](size_t done, size_t total) { progress.Update("checking", done, total); };
      if (args->checkpoint.empty()) return tutti->Verify(report);
      TUTTI_ASSIGN_OR_RETURN(Checkpoint checkpoint, ReadCheckpointFile(args->checkpoint));
      TUTTI_ASSIGN_OR_RETURN(PublicKey trusted, TrustedKey(ctx, args->public_key));
      return tutti->Verify(checkpoint, trusted, report);
    };
    auto summary = run();
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
        out["problem"] = Shown(summary.status().message());
      }
      ctx.PrintJson(out);
    } else if (intact) {
      std::cout << "audit log intact: " << summary->entries << " entries, head "
                << summary->head_hash
                << (args->checkpoint.empty() ? "" : "; extends the signed checkpoint") << "\n";
    } else {
      std::cout << "audit log TAMPERED: " << Shown(summary.status().message()) << "\n";
    }
    ctx.exit_code = intact ? kExitOk : kExitDeny;
  });
}

void RegisterCheckpoint(CLI::App& group, Context& ctx) {
  auto out_path = std::make_shared<std::string>();
  auto* cmd = group.add_subcommand(
      "checkpoint",
      "sign the log's head with the platform key: keep the checkpoint elsewhere, and later "
      "'audit verify --checkpoint FILE' proves the history was not rewritten");
  cmd->add_option("--out", *out_path, "write it to FILE (default: stdout)");
  cmd->callback([&ctx, out_path] {
    RunCommand(ctx, [&]() -> Status {
      if (ctx.key_path.empty()) {
        return Status::Invalid("no signing key: pass --key FILE or set $TUTTI_KEY");
      }
      TUTTI_ASSIGN_OR_RETURN(SigningKey key, SigningKey::LoadFile(ctx.key_path));
      TUTTI_ASSIGN_OR_RETURN(auto tutti, ctx.OpenApp(Access::kRead));
      TUTTI_ASSIGN_OR_RETURN(Checkpoint checkpoint, tutti->MakeCheckpoint(key));
      if (out_path->empty()) {
        std::cout << CheckpointJson(checkpoint) << "\n";
        return Status::Ok();
      }
      TUTTI_RETURN_IF_ERROR(WriteCheckpointFile(*out_path, checkpoint));
      if (ctx.json) {
        ctx.PrintJson({{"checkpoint", *out_path}, {"seq", checkpoint.seq}});
      } else {
        std::cout << "checkpoint of entry " << checkpoint.seq << " (head " << checkpoint.hash
                  << ") signed and written to " << Shown(*out_path) << "\n";
      }
      return Status::Ok();
    });
  });
}

void RegisterLog(CLI::App& group, Context& ctx) {
  auto limit = std::make_shared<int64_t>(20);
  auto* log = group.add_subcommand("log", "show the latest entries");
  log->add_option("--limit", *limit, "how many, newest last (0: all)")->capture_default_str();
  log->callback([&ctx, limit] {
    RunCommand(ctx, [&]() -> Status {
      if (*limit < 0) return Status::Invalid("--limit must be 0 or more");
      TUTTI_ASSIGN_OR_RETURN(auto tutti, ctx.OpenApp(Access::kRead));
      TUTTI_ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, tutti->AuditLog(*limit));
      nlohmann::json out = nlohmann::json::array();
      for (const AuditEntry& e : entries) {
        if (ctx.json) {
          out.push_back({{"seq", e.seq},
                         {"at", FormatTime(e.at)},
                         {"actor", e.actor},
                         {"action", e.action},
                         {"change", nlohmann::json::parse(e.payload, nullptr, false)},
                         {"hash", e.hash}});
        } else {
          std::cout << e.seq << "  " << FormatTime(e.at) << "  " << Shown(e.actor) << "  "
                    << e.action << "  " << Shown(e.payload) << "\n";
        }
      }
      if (ctx.json) ctx.PrintJson(out);
      return Status::Ok();
    });
  });
}

}  // namespace

void RegisterAuditCommands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("audit", "the tamper-evident log of every change");
  group->require_subcommand(1);
  RegisterVerify(*group, ctx);
  RegisterLog(*group, ctx);
  RegisterCheckpoint(*group, ctx);
}

}  // namespace tutti::cli
