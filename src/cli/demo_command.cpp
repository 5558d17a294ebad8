// tutti demo: a small but realistic registry, and the questions a product team asks of it.
#include <filesystem>
#include <iostream>

#include "cli.h"
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

// The store the demo runs on: made fresh if there is none (or it is empty), kept if it is
// already this demo's, rebuilt if it is an older demo's SQLite file. A store that holds a
// change the demo did not make is the user's: the demo refuses to touch it.
Result<std::unique_ptr<App>> PrepareDemoStore(Context& ctx, std::vector<Record> records) {
  TUTTI_ASSIGN_OR_RETURN(auto tutti, ctx.OpenApp(Access::kCreate));
  TUTTI_ASSIGN_OR_RETURN(AuditHead head, tutti->store().ReadHead());
  if (head.seq != 0) {
    bool all_demo = true;
    TUTTI_RETURN_IF_ERROR(tutti->store().ScanLog(0, [&](AuditEntry&& e) {
      all_demo = all_demo && e.actor == kDemoActor;
      return Status::Ok();
    }));
    if (!all_demo) {
      return Status::AlreadyExists("'" + ctx.db +
                                   "' holds changes that the demo did not make; the demo "
                                   "builds its own store: pass --db NEW_FILE");
    }
    if (head.seq == static_cast<int64_t>(records.size())) return tutti;  // this demo's
    std::string path = ctx.db.starts_with("sqlite:") ? ctx.db.substr(7) : ctx.db;
    if (ctx.db.find("://") != std::string::npos) {
      return Status::AlreadyExists("'" + tutti->store().Describe() +
                                   "' holds another version's demo: use an empty database");
    }
    tutti.reset();  // closed before its files go
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix, ec);
    TUTTI_ASSIGN_OR_RETURN(tutti, ctx.OpenApp(Access::kCreate));
  }
  TUTTI_RETURN_IF_ERROR(tutti->Commit(std::move(records), std::string(kDemoActor)).status());
  return tutti;
}

void PrintDecisionJson(nlohmann::json& out, const Registry& reg, const Decision& d,
                       const char* ask) {
  nlohmann::json item = DecisionJson(reg, d);
  item["question"] = ask;
  out.push_back(std::move(item));
}

Status RunDemo(Context& ctx) {
  TUTTI_ASSIGN_OR_RETURN(std::vector<Record> records,
                         ParseCatalogJson(kDemoCatalog, "the demo catalog"));
  size_t count = records.size();
  TUTTI_ASSIGN_OR_RETURN(auto tutti, PrepareDemoStore(ctx, std::move(records)));
  TUTTI_ASSIGN_OR_RETURN(const Registry* registry, tutti->Current());
  const Registry& reg = *registry;
  Gate gate(reg);
  nlohmann::json decisions = nlohmann::json::array();
  if (!ctx.json) {
    std::cout << "tutti demo: a registry of " << reg.parties().size() << " parties (two labels, "
              << "an indie distributor, publishers, a society, artists, songwriters and three AI "
                 "products), "
              << reg.works().size() << " works, " << reg.recordings().size() << " recordings, "
              << reg.licenses().size() << " licenses and " << reg.consents().size()
              << " consent statements, stored in " << Shown(tutti->store().Describe()) << " ("
              << count << " audited changes).\n\n";
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

  TUTTI_ASSIGN_OR_RETURN(AuditSummary audit, tutti->Verify());
  if (ctx.json) {
    ctx.PrintJson(
        {{"store", tutti->store().Describe()},
         {"decisions", decisions},
         {"training_sets", sets},
         {"audit", {{"intact", true}, {"entries", audit.entries}, {"head", audit.head_hash}}}});
  } else {
    std::cout << "\nAudit log intact: " << audit.entries << " entries, head " << audit.head_hash
              << "\nTry: tutti --db " << Shown(ctx.db)
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
