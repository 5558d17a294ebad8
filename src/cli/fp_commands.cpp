// tutti fp add | query | remove | stats: content identification from the command line.
//
// The reference index lives in its own file, by default "<db>.fpidx" beside the store
// (--index PATH overrides). Every changing command writes it atomically (temporary file,
// then rename), so a command that fails leaves the previous index as it was.
//
// Exit codes: 0 ok; 1 a query found nothing (for some file); 2 bad usage or bad input
// (unreadable audio, unknown id). A batch goes on past a bad file and reports it.
#include <iostream>
#include <memory>

#include "commit.h"
#include "progress.h"
#include "tutti/audio.h"
#include "tutti/fingerprint.h"
#include "tutti/gate.h"

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
  return args.index_path.empty() ? ctx.db_path + ".fpidx" : args.index_path;
}

// The index at `path`, or a new empty one if there is no file yet.
Result<fp::Index> OpenIndex(const std::string& path) {
  Result<fp::Index> index = fp::LoadIndex(path);
  if (!index.ok() && index.status().code() == StatusCode::kNotFound) return fp::Index();
  return index;
}

Result<fp::Fingerprint> FingerprintFile(const std::string& path, const fp::ExtractOptions& o) {
  audio::DecodeOptions d;
  d.target_rate_hz = o.sample_rate_hz;
  TUTTI_ASSIGN_OR_RETURN(audio::Audio a, audio::DecodeFile(path, d));
  Result<fp::Fingerprint> fp = fp::Extract(a.samples, a.sample_rate_hz, o);
  if (!fp.ok()) return fp.status().WithContext("audio file '" + path + "'");
  return fp;
}

json MatchJson(const fp::Match& m) {
  return {{"recording", m.recording_id},          {"score", m.score},
          {"matched_peaks", m.matched_peaks},     {"query_begin_s", m.query_begin_s},
          {"query_end_s", m.query_end_s},         {"reference_begin_s", m.reference_begin_s},
          {"reference_end_s", m.reference_end_s}, {"reference_offset_s", m.reference_offset_s},
          {"time_factor", m.time_factor},         {"pitch_factor", m.pitch_factor},
          {"matched_seconds", m.matched_seconds}};
}

// The recordings `fp add --registry` indexes: an audio asset, and `reference` cleared by
// the gate for the product (in --territory, or else in at least one territory).
Result<std::vector<const Recording*>> ReferenceCleared(const Registry& reg, const FpArgs& args) {
  std::string product = args.product;
  if (product.empty()) {
    for (const Party& p : reg.parties()) {
      if (p.kind != PartyKind::kProduct) continue;
      if (!product.empty()) {
        return Status::Invalid("the registry has several AI products: choose one with --product");
      }
      product = p.id;
    }
    if (product.empty())
      return Status::Invalid("the registry has no AI product: nothing may be referenced");
  }
  const Party* party = reg.FindParty(product);
  if (party == nullptr) return Status::NotFound("unknown product '" + product + "'");
  if (party->kind != PartyKind::kProduct)
    return Status::Invalid("'" + product + "' is not an AI product");
  std::vector<Territory> territories;
  if (!args.territory.empty()) {
    TUTTI_ASSIGN_OR_RETURN(Territory t, ParseTerritory(args.territory));
    territories.push_back(t);
  } else {
    for (int t = 0; t < kTerritoryCount; ++t) territories.push_back(static_cast<Territory>(t));
  }
  const Gate gate(reg);
  const Timestamp now = Now();
  std::vector<const Recording*> out;
  for (const Recording& r : reg.recordings()) {
    if (r.audio_path.empty()) continue;
    for (Territory t : territories) {
      DecisionRequest q{Use::kReference, r.id, product, t, now};
      if (gate.Decide(q).allowed()) {
        out.push_back(&r);
        break;
      }
    }
  }
  return out;
}

int RunAdd(Context& ctx, const FpArgs& args) {
  const std::string path = IndexPath(ctx, args);
  if (args.registry != args.files.empty()) {
    return ctx.Fail(Status::Invalid("give audio files, or --registry (not both)"));
  }
  if (!args.recording.empty() && args.files.size() != 1) {
    return ctx.Fail(
        Status::Invalid("--recording names one file's recording: give exactly one file"));
  }
  auto index = OpenIndex(path);
  if (!index.ok()) return ctx.Fail(index.status());
  // (id, audio file) pairs to index.
  std::vector<std::pair<std::string, std::string>> todo;
  if (args.registry) {
    auto store = ctx.OpenStore();
    if (!store.ok()) return ctx.Fail(store.status());
    auto reg = (*store)->LoadRegistry();
    if (!reg.ok()) return ctx.Fail(reg.status());
    auto cleared = ReferenceCleared(*reg, args);
    if (!cleared.ok()) return ctx.Fail(cleared.status());
    for (const Recording* r : *cleared) todo.emplace_back(r->id, r->audio_path);
  } else {
    if (!args.recording.empty()) {
      // A rights holder referencing its own registered recording: the id must be known.
      auto store = ctx.OpenStore();
      if (!store.ok()) return ctx.Fail(store.status());
      auto reg = (*store)->LoadRegistry();
      if (!reg.ok()) return ctx.Fail(reg.status());
      if (!reg->FindRecording(args.recording)) {
        return ctx.Fail(Status::NotFound("unknown recording '" + args.recording +
                                         "': register it first (tutti recording add)"));
      }
    }
    for (const auto& f : args.files) {
      todo.emplace_back(args.recording.empty() ? f : args.recording, f);
    }
  }
  json added = json::array(), skipped = json::array(), errors = json::array();
  Progress progress(ctx, "fp add");
  for (size_t i = 0; i < todo.size(); ++i) {
    const auto& [id, file] = todo[i];
    progress.Update("fingerprinting", i, todo.size());
    if (index->Contains(id)) {
      skipped.push_back({{"recording", id}, {"reason", "already indexed"}});
      continue;
    }
    auto fp = FingerprintFile(file, index->extract_options());
    Status s = fp.ok() ? index->Add(id, *fp) : fp.status();
    if (!s.ok()) {
      errors.push_back({{"recording", id}, {"file", file}, {"error", s.message()}});
      std::cerr << "tutti: error: " << s.message() << "\n";
      continue;
    }
    added.push_back({{"recording", id}, {"file", file}, {"seconds", fp->duration_s}});
  }
  progress.Update("fingerprinting", todo.size(), todo.size());
  index->Build();
  if (!added.empty()) {
    if (Status s = fp::SaveIndex(*index, path); !s.ok()) return ctx.Fail(s);
  }
  if (ctx.json) {
    ctx.PrintJson({{"index", path}, {"added", added}, {"skipped", skipped}, {"errors", errors}});
  } else {
    for (const auto& a : added)
      std::cout << "indexed " << a["recording"].get<std::string>() << "\n";
    for (const auto& a : skipped)
      std::cout << "skipped " << a["recording"].get<std::string>() << " (already indexed)\n";
    std::cout << added.size() << " added, " << skipped.size() << " already indexed, "
              << errors.size() << " failed; index " << path << "\n";
  }
  return errors.empty() ? kExitOk : kExitBadInput;
}

int RunQuery(Context& ctx, const FpArgs& args) {
  const std::string path = IndexPath(ctx, args);
  auto index = fp::LoadIndex(path);
  if (!index.ok()) return ctx.Fail(index.status());
  json results = json::array();
  bool bad = false, unmatched = false;
  for (const auto& file : args.files) {
    json r = {{"file", file}};
    auto fp = FingerprintFile(file, index->extract_options());
    auto matches = fp.ok() ? index->Query(*fp) : Result<std::vector<fp::Match>>(fp.status());
    if (!matches.ok()) {
      bad = true;
      r["error"] = matches.status().message();
      std::cerr << "tutti: error: " << matches.status().message() << "\n";
      results.push_back(r);
      continue;
    }
    unmatched |= matches->empty();
    r["matches"] = json::array();
    for (const auto& m : *matches) r["matches"].push_back(MatchJson(m));
    results.push_back(r);
    if (ctx.json) continue;
    std::cout << file << ": " << (matches->empty() ? "no match" : "") << "\n";
    for (const auto& m : *matches) {
      std::printf(
          "  %s  score %.2f  query %.1f-%.1f s = reference %.1f-%.1f s  tempo x%.3f  pitch x%.3f\n",
          m.recording_id.c_str(), m.score, m.query_begin_s, m.query_end_s, m.reference_begin_s,
          m.reference_end_s, m.time_factor, m.pitch_factor);
    }
  }
  if (ctx.json) ctx.PrintJson({{"index", path}, {"queries", results}});
  return bad ? kExitBadInput : (unmatched ? kExitDeny : kExitOk);
}

int RunRemove(Context& ctx, const FpArgs& args) {
  const std::string path = IndexPath(ctx, args);
  auto index = fp::LoadIndex(path);
  if (!index.ok()) return ctx.Fail(index.status());
  if (Status s = index->Remove(args.recording); !s.ok()) return ctx.Fail(s);
  if (Status s = fp::SaveIndex(*index, path); !s.ok()) return ctx.Fail(s);
  if (ctx.json) {
    ctx.PrintJson({{"index", path}, {"removed", args.recording}});
  } else {
    std::cout << "removed " << args.recording << " from " << path << "\n";
  }
  return kExitOk;
}

int RunStats(Context& ctx, const FpArgs& args) {
  const std::string path = IndexPath(ctx, args);
  auto index = fp::LoadIndex(path);
  if (!index.ok()) return ctx.Fail(index.status());
  const fp::IndexStats s = index->Stats();
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
                path.c_str(), s.recordings, hours, s.hashes, s.bytes / 1e6, per_hour / 1e6);
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
