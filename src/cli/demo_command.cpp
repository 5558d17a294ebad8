// tutti demo: a small but realistic registry, and the questions a product team asks of it.
#include <filesystem>
#include <iostream>

#include "commit.h"
#include "tutti/explain.h"
#include "tutti/gate.h"
#include "tutti/import.h"

namespace tutti::cli {
namespace {

// data/demo/catalog.json, embedded at build time.
constexpr std::string_view kDemoCatalog =
#include "demo_catalog.inc"
    ;
constexpr std::string_view kDemoActor = "tutti-demo";

struct Question {
  const char* ask;
  Use use;
  const char* recording;
  const char* product;
  const char* territory;
  const char* at;
};

constexpr const char* kNow = "2026-06-15T12:00:00Z";

const Question kQuestions[] = {
    {"May Muse AI train on Ava Lune's 'Northern Lights' in France?", Use::kTrain,
     "R-ava-northern-lights", "muse-ai", "FR", kNow},
    {"...and in the United States, which Northstar's license excludes?", Use::kTrain,
     "R-ava-northern-lights", "muse-ai", "US", kNow},
    {"'Paper Boats' was co-written by Sam Hale, who licensed nothing for training:", Use::kTrain,
     "R-ava-paper-boats", "muse-ai", "FR", kNow},
    {"Kiko's 'Neon Rain' in April, before Kiko withdrew consent on May 1:", Use::kTrain,
     "R-kiko-neon-rain", "muse-ai", "DE", "2026-04-15T12:00:00Z"},
    {"...and today, after the withdrawal (FairTune's license still stands):", Use::kTrain,
     "R-kiko-neon-rain", "muse-ai", "DE", kNow},
    {"A voice model of Ava Lune: the label licensed it, and Ava said yes herself:", Use::kVoice,
     "R-ava-northern-lights", "muse-ai", "GB", kNow},
    {"A voice model of The Tidelines: licensed by the label, refused by the band:", Use::kVoice,
     "R-tidelines-tidal", "muse-ai", "GB", kNow},
    {"'Tidal' in Japan, where Kobo Ongaku holds the publishing instead of Meridian:", Use::kTrain,
     "R-tidelines-tidal", "muse-ai", "JP", kNow},
    {"Blue Harbor licensed only some recordings; 'Saltwater (cover)' is not one:", Use::kTrain,
     "R-marco-saltwater", "muse-ai", "FR", kNow},
    {"May fans remix 'Northern Lights' in Remixr?", Use::kRemix, "R-ava-northern-lights", "remixr",
     "BR", kNow},
    {"Training on Northern Lights after Northstar's license ends on 2027-01-01:", Use::kTrain,
     "R-ava-northern-lights", "muse-ai", "FR", "2027-02-01T00:00:00Z"},
};

// A demo store may be rebuilt; anything else at the path is the user's and is left alone.
Status PrepareFreshStore(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return Status::Ok();
  bool is_demo = false;
  {  // the store closes at the end of this block, before its files are removed
    auto store = OpenSqliteStore(path);
    if (store.ok()) {
      auto log = (*store)->ReadAuditLog();
      is_demo = log.ok() && (log->empty() || log->front().actor == kDemoActor);
    }
  }
  if (!is_demo) {
    return Status::AlreadyExists("'" + path +
                                 "' already holds a store that the demo did not make; the demo "
                                 "builds a fresh one: pass --db NEW_FILE");
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
  return Status::Ok();
}

void PrintDecisionJson(nlohmann::json& out, const Registry& reg, const Decision& d,
                       const char* ask) {
  nlohmann::json item = DecisionJson(reg, d);
  item["question"] = ask;
  out.push_back(std::move(item));
}

Status RunDemo(Context& ctx) {
  TUTTI_RETURN_IF_ERROR(PrepareFreshStore(ctx.db_path));
  TUTTI_ASSIGN_OR_RETURN(std::vector<Record> records,
                         ParseCatalogJson(kDemoCatalog, "the demo catalog"));
  {
    auto store = ctx.OpenStore(/*create=*/true);
    if (!store.ok()) return store.status();
  }
  Context demo = ctx;
  demo.actor = std::string(kDemoActor);
  size_t count = records.size();
  TUTTI_RETURN_IF_ERROR(CommitRecords(
      demo, [&](const Registry&) -> Result<std::vector<Record>> { return std::move(records); }));

  TUTTI_ASSIGN_OR_RETURN(auto store, ctx.OpenStore());
  TUTTI_ASSIGN_OR_RETURN(Registry reg, store->LoadRegistry());
  Gate gate(reg);
  nlohmann::json decisions = nlohmann::json::array();
  if (!ctx.json) {
    std::cout << "tutti demo: a registry of " << reg.parties().size() << " parties (two labels, "
              << "an indie distributor, publishers, a society, artists, songwriters and three AI "
                 "products), "
              << reg.works().size() << " works, " << reg.recordings().size() << " recordings, "
              << reg.licenses().size() << " licenses and " << reg.consents().size()
              << " consent statements, stored in " << ctx.db_path << " (" << count
              << " audited changes).\n\n";
  }
  for (const Question& q : kQuestions) {
    DecisionRequest request{q.use, q.recording, q.product, ParseTerritory(q.territory).value(),
                            ParseTime(q.at).value()};
    Decision d = gate.Decide(request);
    if (ctx.json) {
      PrintDecisionJson(decisions, reg, d, q.ask);
    } else {
      std::cout << q.ask << "\n" << gate.Explain(d) << "\n";
    }
  }

  // The training set: what Muse AI may learn from, market by market.
  Timestamp now = ParseTime(kNow).value();
  nlohmann::json sets = nlohmann::json::object();
  if (!ctx.json) std::cout << "Muse AI's training set on " << kNow << ":\n";
  for (const char* market : {"FR", "US", "JP"}) {
    auto ids = gate.Cleared(Use::kTrain, "muse-ai", ParseTerritory(market).value(), now);
    sets[market] = ids;
    if (!ctx.json) {
      std::cout << "  " << market << ": " << ids.size() << " of " << reg.recordings().size()
                << " recordings cleared\n";
    }
  }

  TUTTI_ASSIGN_OR_RETURN(AuditSummary audit, VerifyStore(*store));
  if (ctx.json) {
    ctx.PrintJson(
        {{"store", ctx.db_path},
         {"decisions", decisions},
         {"training_sets", sets},
         {"audit", {{"intact", true}, {"entries", audit.entries}, {"head", audit.head_hash}}}});
  } else {
    std::cout << "\nAudit log intact: " << audit.entries << " entries, head " << audit.head_hash
              << "\nTry: tutti --db " << ctx.db_path
              << " check --use train --recording R-kiko-neon-rain --product muse-ai "
                 "--territory DE\n";
  }
  return Status::Ok();
}

}  // namespace

void RegisterDemoCommand(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "demo", "build a small realistic registry in a fresh store and walk through decisions");
  cmd->callback([&ctx] { RunCommand(ctx, [&] { return RunDemo(ctx); }); });
}

}  // namespace tutti::cli
