// tutti fp add | query | remove | stats: content identification from the command line.
//
// The operations live in the application layer (include/tutti/identify.h); this file
// parses arguments and prints. The reference index lives in its own file, by default
// "<db>.fpidx" beside the store (--index PATH overrides).
//
// Exit codes: 0 ok; 1 a query found nothing (for some file); 2 bad usage or bad input
// (unreadable audio, unknown id); 3 the index file could not be read or written.
#include <algorithm>
#include <iostream>
#include <memory>

#include "cli.h"
#include "progress.h"
#include "tutti/identify.h"

namespace tutti::cli {
namespace {

using nlohmann::json;

struct FpArgs {
  std::string index_path;  // --index
  std::vector<std::string> files;
  std::string recording;
  std::string product;
  std::string territory;
  bool registry = false;
};

std::string IndexPath(const Context& ctx, const FpArgs& args) {
  if (!args.index_path.empty()) return args.index_path;
  std::string db = ctx.db.starts_with("sqlite:") ? ctx.db.substr(7) : ctx.db;
  return db + ".fpidx";
}

json MatchJson(const fp::Match& m) {
  return {{"recording", m.recording_id},          {"score", m.score},
          {"matched_peaks", m.matched_peaks},     {"query_begin_s", m.query_begin_s},
          {"query_end_s", m.query_end_s},         {"reference_begin_s", m.reference_begin_s},
          {"reference_end_s", m.reference_end_s}, {"reference_offset_s", m.reference_offset_s},
          {"time_factor", m.time_factor},         {"pitch_factor", m.pitch_factor},
          {"matched_seconds", m.matched_seconds}};
}

// The (recording, file) pairs an `fp add` names: the registry's referenceable recordings,
// one registered recording's file, or files indexed under their paths.
Result<std::vector<FpSource>> AddSources(Context& ctx, const FpArgs& args) {
  if (args.registry != args.files.empty()) {
    return Status::Invalid("give audio files, or --registry (not both)");
  }
  if (!args.recording.empty() && args.files.size() != 1) {
    return Status::Invalid("--recording names one file's recording: give exactly one file");
  }
  if (!args.registry && args.recording.empty()) {
    std::vector<FpSource> sources;
    for (const auto& f : args.files) sources.push_back({f, f});
    return sources;
  }
  TUTTI_ASSIGN_OR_RETURN(auto tutti, ctx.OpenApp(Access::kRead));
  if (!args.registry) return RecordingSource(*tutti, args.recording, args.files[0]);
  std::optional<Territory> territory;
  if (!args.territory.empty()) {
    TUTTI_ASSIGN_OR_RETURN(territory, ParseTerritory(args.territory));
  }
  return ReferenceSources(*tutti, args.product, territory);
}

int RunAdd(Context& ctx, const FpArgs& args) {
  const std::string path = IndexPath(ctx, args);
  auto sources = AddSources(ctx, args);
  if (!sources.ok()) return ctx.Fail(sources.status());
  Result<FpAddResult> result = Status::Internal("not run");
  {
    Progress progress(ctx, "fp add");
    result = FpAdd(path, *sources, [&](size_t done, size_t total) {
      progress.Update("fingerprinting", done, total);
    });
  }
  if (!result.ok()) return ctx.Fail(result.status());
  json added = json::array(), skipped = json::array(), errors = json::array();
  for (const auto& a : result->added) {
    added.push_back({{"recording", a.recording}, {"file", a.file}, {"seconds", a.seconds}});
  }
  for (const auto& id : result->skipped) {
    skipped.push_back({{"recording", id}, {"reason", "already indexed"}});
  }
  for (const auto& f : result->failed) {
    errors.push_back({{"recording", f.recording}, {"file", f.file}, {"error", f.error.message()}});
    std::cerr << "tutti: error: " << Shown(f.error.message()) << "\n";
  }
  if (ctx.json) {
    ctx.PrintJson({{"index", path}, {"added", added}, {"skipped", skipped}, {"errors", errors}});
  } else {
    for (const auto& a : result->added) std::cout << "indexed " << Shown(a.recording) << "\n";
    for (const auto& id : result->skipped) {
      std::cout << "skipped " << Shown(id) << " (already indexed)\n";
    }
    if (!result->failed.empty()) {
      std::cout << result->failed.size() << " of " << sources->size()
                << " files failed: nothing was added; index " << Shown(path) << " unchanged\n";
    } else {
      std::cout << added.size() << " added, " << skipped.size() << " already indexed; index "
                << Shown(path) << "\n";
    }
  }
  if (result->failed.empty()) return kExitOk;
  int code = kExitBadInput;
  for (const auto& f : result->failed) code = std::max(code, ExitCodeFor(f.error));
  return code;
}

int RunQuery(Context& ctx, const FpArgs& args) {
  const std::string path = IndexPath(ctx, args);
  Result<std::vector<FpQueryResult>> results = Status::Internal("not run");
  {
    Progress progress(ctx, "fp query");
    results = FpQuery(path, args.files,
                      [&](size_t done, size_t total) { progress.Update("matching", done, total); });
  }
  if (!results.ok()) return ctx.Fail(results.status());
  json out = json::array();
  bool bad = false, unmatched = false;
  for (const FpQueryResult& q : *results) {
    json r = {{"file", q.file}};
    if (!q.error.ok()) {
      bad = true;
      r["error"] = q.error.message();
      std::cerr << "tutti: error: " << Shown(q.error.message()) << "\n";
      out.push_back(r);
      continue;
    }
    unmatched |= q.matches.empty();
    r["matches"] = json::array();
    for (const auto& m : q.matches) r["matches"].push_back(MatchJson(m));
    out.push_back(r);
    if (ctx.json) continue;
    std::cout << Shown(q.file) << ": " << (q.matches.empty() ? "no match" : "") << "\n";
    for (const auto& m : q.matches) {
      std::printf(
          "  %s  score %.2f  query %.1f-%.1f s = reference %.1f-%.1f s  tempo x%.3f  pitch x%.3f\n",
          Shown(m.recording_id).c_str(), m.score, m.query_begin_s, m.query_end_s,
          m.reference_begin_s, m.reference_end_s, m.time_factor, m.pitch_factor);
    }
  }
  if (ctx.json) ctx.PrintJson({{"index", path}, {"queries", out}});
  return bad ? kExitBadInput : (unmatched ? kExitDeny : kExitOk);
}

int RunRemove(Context& ctx, const FpArgs& args) {
  const std::string path = IndexPath(ctx, args);
  if (Status s = FpRemove(path, args.recording); !s.ok()) return ctx.Fail(s);
  if (ctx.json) {
    ctx.PrintJson({{"index", path}, {"removed", args.recording}});
  } else {
    std::cout << "removed " << Shown(args.recording) << " from " << Shown(path) << "\n";
  }
  return kExitOk;
}

int RunStats(Context& ctx, const FpArgs& args) {
  const std::string path = IndexPath(ctx, args);
  auto stats = FpStats(path);
  if (!stats.ok()) return ctx.Fail(stats.status());
  const fp::IndexStats s = *stats;
  const double hours = s.seconds / 3600;
  const double per_hour = hours > 0 ? s.bytes / hours : 0;
  if (ctx.json) {
    ctx.PrintJson({{"index", path},
                   {"recordings", s.recordings},
                   {"hashes", s.hashes},
                   {"peaks", s.peaks},
                   {"hours", hours},
                   {"bytes", s.bytes},
                   {"bytes_per_hour", per_hour}});
  } else {
    std::printf("%s: %zu recordings, %.2f h of audio, %zu hashes, %.2f MB (%.2f MB per hour)\n",
                Shown(path).c_str(), s.recordings, hours, s.hashes, s.bytes / 1e6, per_hour / 1e6);
  }
  return kExitOk;
}

}  // namespace

void RegisterFingerprintCommands(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<FpArgs>();
  auto* fp = app.add_subcommand("fp", "content identification: find catalog recordings in audio");
  fp->require_subcommand(1);
  fp->fallthrough();
  fp->add_option("--index", args->index_path, "fingerprint index file (default: <db>.fpidx)");

  auto* add = fp->add_subcommand(
      "add", "fingerprint audio files, or the registry's referenceable recordings");
  add->fallthrough();
  add->add_option("files", args->files, "audio files (WAV, FLAC, OGG, Opus, MP3)");
  add->add_option("--recording", args->recording,
                  "recording id of the one file (default: its path)");
  add->add_flag("--registry", args->registry,
                "every recording with an audio asset whose use 'reference' the gate clears");
  add->add_option("--product", args->product,
                  "AI product the gate decides for (default: the only one)");
  add->add_option("--territory", args->territory, "territory to decide in (default: any)");
  add->callback([&ctx, args] { ctx.exit_code = RunAdd(ctx, *args); });

  auto* query = fp->add_subcommand("query", "find indexed recordings in audio files");
  query->fallthrough();
  query->add_option("files", args->files, "audio files")->required();
  query->callback([&ctx, args] { ctx.exit_code = RunQuery(ctx, *args); });

  auto* remove = fp->add_subcommand("remove", "take a recording out of the index");
  remove->fallthrough();
  remove->add_option("--recording", args->recording, "recording id")->required();
  remove->callback([&ctx, args] { ctx.exit_code = RunRemove(ctx, *args); });

  auto* stats = fp->add_subcommand("stats", "size of the index");
  stats->fallthrough();
  stats->callback([&ctx, args] { ctx.exit_code = RunStats(ctx, *args); });
}

}  // namespace tutti::cli
