// tutti init | party add | work add | recording add | license add | consent set
#include <filesystem>
#include <iostream>

#include "commit.h"
#include "tutti/signing.h"

namespace tutti::cli {
namespace {

// Runs a changing command: builds its records from the arguments, commits, prints.
void AddAndPrint(Context& ctx, const BuildFn& build) {
  RunCommand(ctx, [&] { return CommitAndPrint(ctx, build); });
}

// An asset path must name a readable file; it is stored absolute so that later commands
// find it from any directory.
Result<std::string> ParseAsset(const std::string& path, const char* flag) {
  if (path.empty()) return std::string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::NotFound(std::string(flag) + " '" + path + "': no such file");
  }
  return std::filesystem::absolute(path, ec).lexically_normal().string();
}

void RegisterInit(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "init", "create a new store and its signing key (or bring an existing store up to date)");
  cmd->callback([&ctx] {
    RunCommand(ctx, [&] {
      TUTTI_ASSIGN_OR_RETURN(auto tutti, ctx.OpenApp(Access::kCreate));
      nlohmann::json out = {{"store", tutti->store().Describe()}};
      std::string key_note;
      if (!ctx.key_path.empty()) {
        auto key = SigningKey::CreateFile(ctx.key_path);
        if (key.ok()) {
          out["key"] = ctx.key_path;
          out["public_key"] = ToHex(key->public_key());
          key_note = "; signing key created at " + ctx.key_path;
        } else if (key.status().code() == StatusCode::kAlreadyExists) {
          out["key"] = ctx.key_path;
          key_note = "; signing key at " + ctx.key_path;
        } else {
          return key.status();
        }
      }
      if (ctx.json) {
        ctx.PrintJson(out);
      } else {
        std::cout << "tutti store ready at " << Shown(tutti->store().Describe()) << Shown(key_note)
                  << "\n";
      }
      return Status::Ok();
    });
  });
}

void RegisterParty(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("party",
                                   "parties: artists, songwriters, labels, publishers, "
                                   "distributors, societies, AI products");
  group->require_subcommand(1);
  struct Args {
    std::string kind, name, id, ipi;
  };
  auto args = std::make_shared<Args>();
  auto* add = group->add_subcommand("add", "register a party");
  add->add_option("--kind", args->kind,
                  "artist, songwriter, label, publisher, distributor, society or product")
      ->required();
  add->add_option("--name", args->name, "display name")->required();
  add->add_option("--id", args->id, "id (default: assigned, P<n>)");
  add->add_option("--ipi", args->ipi, "CISAC IPI name number");
  add->callback([&ctx, args] {
    AddAndPrint(ctx, [&](Timestamp) -> Result<std::vector<Record>> {
      Party p;
      TUTTI_ASSIGN_OR_RETURN(p.kind, ParsePartyKind(args->kind));
      p.id = args->id;
      p.name = args->name;
      p.ipi = args->ipi;
      return std::vector<Record>{std::move(p)};
    });
  });
}

void RegisterWork(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("work", "works: compositions and their shares");
  group->require_subcommand(1);
  struct Args {
    std::string title, id, iswc;
    std::vector<std::string> shares;
  };
  auto args = std::make_shared<Args>();
  auto* add = group->add_subcommand("add", "register a composition");
  add->add_option("--title", args->title, "title")->required();
  add->add_option("--id", args->id, "id (default: assigned, W<n>)");
  add->add_option("--iswc", args->iswc, "ISWC, e.g. T-034.524.680-1 (check digit verified)");
  add->add_option("--share", args->shares,
                  "PARTY=PERCENT[@TERRITORIES] of the composition right; repeat, summing to 100")
      ->required()
      ->take_all();
  add->callback([&ctx, args] {
    AddAndPrint(ctx, [&](Timestamp) -> Result<std::vector<Record>> {
      Work w;
      w.id = args->id;
      w.title = args->title;
      w.iswc = args->iswc;
      TUTTI_ASSIGN_OR_RETURN(w.shares, ParseShareArgs(args->shares));
      return std::vector<Record>{std::move(w)};
    });
  });
}

void RegisterRecording(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("recording", "recordings: masters of works, and their shares");
  group->require_subcommand(1);
  struct Args {
    std::string title, id, isrc, work, audio, midi;
    std::vector<std::string> artists, shares;
  };
  auto args = std::make_shared<Args>();
  auto* add = group->add_subcommand("add", "register a recording");
  add->add_option("--title", args->title, "title")->required();
  add->add_option("--id", args->id, "id (default: assigned, R<n>)");
  add->add_option("--isrc", args->isrc, "ISRC, e.g. US-RC1-76-07839");
  add->add_option("--work", args->work, "the work it records")->required();
  add->add_option("--artist", args->artists, "performing artist; repeat for each")
      ->required()
      ->take_all();
  add->add_option("--share", args->shares,
                  "PARTY=PERCENT[@TERRITORIES] of the recording right; repeat, summing to 100")
      ->required()
      ->take_all();
  add->add_option("--audio", args->audio, "the recording's audio file");
  add->add_option("--midi", args->midi, "a MIDI transcription");
  add->callback([&ctx, args] {
    AddAndPrint(ctx, [&](Timestamp) -> Result<std::vector<Record>> {
      Recording r;
      r.id = args->id;
      r.title = args->title;
      r.isrc = args->isrc;
      r.work = args->work;
      r.artists = args->artists;
      TUTTI_ASSIGN_OR_RETURN(r.shares, ParseShareArgs(args->shares));
      TUTTI_ASSIGN_OR_RETURN(r.audio_path, ParseAsset(args->audio, "--audio"));
      TUTTI_ASSIGN_OR_RETURN(r.midi_path, ParseAsset(args->midi, "--midi"));
      return std::vector<Record>{std::move(r)};
    });
  });
}

void RegisterLicense(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("license", "licenses: grants of uses to AI products");
  group->require_subcommand(1);
  struct Args {
    std::string licensor, licensee, uses, territory, from, until, revenue, id;
    std::vector<std::string> recordings, works;
    bool catalog = false;
  };
  auto args = std::make_shared<Args>();
  auto* add = group->add_subcommand("add", "grant a license");
  add->add_option("--licensor", args->licensor, "the rights holder granting it")->required();
  add->add_option("--licensee", args->licensee, "the AI product (a party of kind product)")
      ->required();
  add->add_option("--use", args->uses, "USE[,USE]: train, style, voice, remix, reference")
      ->required();
  add->add_option("--territory", args->territory, "CODES: e.g. WORLD, WORLD,-US or FR,DE")
      ->required();
  add->add_option("--from", args->from, "start of the term (ISO 8601)")->required();
  add->add_option("--until", args->until, "end of the term, exclusive (default: open-ended)");
  auto* recs =
      add->add_option("--recording", args->recordings, "a covered recording; repeat")->take_all();
  auto* works = add->add_option("--work", args->works, "a covered work; repeat")->take_all();
  auto* catalog = add->add_flag("--catalog", args->catalog, "cover the licensor's whole catalog");
  catalog->excludes(recs)->excludes(works);
  add->add_option("--revenue-share", args->revenue, "the licensor's share of revenue, percent");
  add->add_option("--id", args->id, "id (default: assigned, L<n>)");
  add->callback([&ctx, args] {
    AddAndPrint(ctx, [&](Timestamp) -> Result<std::vector<Record>> {
      License l;
      l.id = args->id;
      l.licensor = args->licensor;
      l.licensee = args->licensee;
      TUTTI_ASSIGN_OR_RETURN(l.uses, UseSet::Parse(args->uses));
      TUTTI_ASSIGN_OR_RETURN(l.territories, TerritorySet::Parse(args->territory));
      TUTTI_ASSIGN_OR_RETURN(l.from, ParseTime(args->from));
      if (!args->until.empty()) {
        TUTTI_ASSIGN_OR_RETURN(l.until, ParseTime(args->until));
      }
      l.catalog = args->catalog;
      l.recordings = args->recordings;
      l.works = args->works;
      if (!args->revenue.empty()) {
        TUTTI_ASSIGN_OR_RETURN(l.revenue_share, ParsePercent(args->revenue));
      }
      return std::vector<Record>{std::move(l)};
    });
  });
}

void RegisterConsent(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("consent", "consent: a party's allow or deny of a use");
  group->require_subcommand(1);
  struct Args {
    std::string party, recording, work, use, at, id;
    bool all = false, allow = false, deny = false;
  };
  auto args = std::make_shared<Args>();
  auto* set = group->add_subcommand("set", "state a party's allow or deny, from a time on");
  set->add_option("--party", args->party, "who states it")->required();
  auto* rec = set->add_option("--recording", args->recording, "on one recording");
  auto* work = set->add_option("--work", args->work, "on one work and its recordings");
  auto* all = set->add_flag("--all", args->all, "on all of the party's works");
  rec->excludes(work)->excludes(all);
  work->excludes(all);
  set->add_option("--use", args->use, "train, style, voice, remix or reference")->required();
  auto* allow = set->add_flag("--allow", args->allow, "allow the use");
  auto* deny = set->add_flag("--deny", args->deny, "deny the use");
  allow->excludes(deny);
  set->add_option("--at", args->at, "effective from (ISO 8601; default: now)");
  set->add_option("--id", args->id, "id of the statement (default: assigned, C<n>)");
  set->callback([&ctx, args] {
    AddAndPrint(ctx, [&](Timestamp now) -> Result<std::vector<Record>> {
      if (args->allow == args->deny) return Status::Invalid("give one of --allow or --deny");
      Consent c;
      c.id = args->id;
      c.party = args->party;
      if (!args->recording.empty()) {
        c.scope = ConsentScope::kRecording;
        c.target = args->recording;
      } else if (!args->work.empty()) {
        c.scope = ConsentScope::kWork;
        c.target = args->work;
      } else if (args->all) {
        c.scope = ConsentScope::kAll;
      } else {
        return Status::Invalid("give the scope: --recording ID, --work ID or --all");
      }
      TUTTI_ASSIGN_OR_RETURN(c.use, ParseUse(args->use));
      c.allow = args->allow;
      TUTTI_ASSIGN_OR_RETURN(c.at, ParseTimeArg(args->at, now));
      return std::vector<Record>{std::move(c)};
    });
  });
}

}  // namespace

void RegisterRegistryCommands(CLI::App& app, Context& ctx) {
  RegisterInit(app, ctx);
  RegisterParty(app, ctx);
  RegisterWork(app, ctx);
  RegisterRecording(app, ctx);
  RegisterLicense(app, ctx);
  RegisterConsent(app, ctx);
  RegisterChangeCommands(app, ctx);
  RegisterListCommands(app, ctx);
  RegisterGateCommands(app, ctx);
  RegisterAuditCommands(app, ctx);
  RegisterImportCommand(app, ctx);
}

}  // namespace tutti::cli
