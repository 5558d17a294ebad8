// tutti party|work|recording|license|consent list: what the registry holds.
#include <algorithm>
#include <iostream>

#include "commit.h"
#include "tutti/record_json.h"

namespace tutti::cli {
namespace {

// One human line per record: its id and what identifies it, safe for a terminal.
std::string Line(const Record& record, const Registry& reg) {
  nlohmann::json j = RecordJson(record);
  auto text = [&](const char* key) {
    return j.contains(key) && j[key].is_string() ? Shown(j[key].get<std::string>()) : std::string();
  };
  switch (record.index()) {
    case 0:
      return text("id") + "  " + text("kind") + "  " + text("name");
    case 1:
      return text("id") + "  " + text("title") + (text("iswc").empty() ? "" : "  " + text("iswc"));
    case 2:
      return text("id") + "  " + text("title") + "  work " + text("work") +
             (text("isrc").empty() ? "" : "  " + text("isrc"));
    case 3: {
      Timestamp until = reg.LicenseUntil(std::get<License>(record).id);
      bool ended = until != std::get<License>(record).until;
      return text("id") + "  " + text("licensor") + " -> " + text("licensee") + "  " +
             text("uses") + "  " + text("territories") + "  from " + text("from") +
             (until == kForever ? "" : (ended ? " ended " : " until ") + FormatTime(until));
    }
    default:
      return text("id") + "  " + text("party") + "  " +
             (j["allow"].get<bool>() ? "allows " : "denies ") + text("use") + " on " +
             (text("scope") == "all" ? "all its works" : text("scope") + " " + text("target")) +
             " from " + text("at");
  }
}

bool InShares(const std::vector<Share>& shares, const std::string& party) {
  for (const Share& s : shares) {
    if (s.party == party) return true;
  }
  return false;
}

// Whether `record` names `party`: as itself, an owner, an artist, a licensor or licensee,
// or the author of a statement.
bool NamesParty(const Record& record, const std::string& party) {
  if (const auto* p = std::get_if<Party>(&record)) return p->id == party;
  if (const auto* w = std::get_if<Work>(&record)) return InShares(w->shares, party);
  if (const auto* r = std::get_if<Recording>(&record)) {
    return InShares(r->shares, party) ||
           std::find(r->artists.begin(), r->artists.end(), party) != r->artists.end();
  }
  if (const auto* l = std::get_if<License>(&record)) {
    return l->licensor == party || l->licensee == party;
  }
  return std::get<Consent>(record).party == party;
}

template <typename T>
void RegisterList(CLI::App& app, Context& ctx, const char* group_name,
                  std::span<const T> (Registry::*records)() const) {
  CLI::App* group = app.get_subcommand(group_name);
  auto filter = std::make_shared<std::string>();
  auto* list =
      group->add_subcommand("list", std::string("list the registry's ") + group_name + " records");
  list->add_option("--party", *filter, "only records that name this party");
  list->callback([&ctx, records, filter] {
    RunCommand(ctx, [&]() -> Status {
      TUTTI_ASSIGN_OR_RETURN(auto tutti, ctx.OpenApp(Access::kRead));
      TUTTI_ASSIGN_OR_RETURN(const Registry* reg, tutti->Current());
      if (!filter->empty() && !reg->FindParty(*filter)) {
        return Status::NotFound("unknown party '" + *filter + "'");
      }
      nlohmann::json out = nlohmann::json::array();
      for (const T& item : (reg->*records)()) {
        Record record = item;
        if (!filter->empty() && !NamesParty(record, *filter)) continue;
        if (ctx.json) {
          out.push_back(RecordJson(record));
        } else {
          std::cout << Line(record, *reg) << "\n";
        }
      }
      if (ctx.json) ctx.PrintJson(out);
      return Status::Ok();
    });
  });
}

}  // namespace

void RegisterListCommands(CLI::App& app, Context& ctx) {
  RegisterList(app, ctx, "party", &Registry::parties);
  RegisterList(app, ctx, "work", &Registry::works);
  RegisterList(app, ctx, "recording", &Registry::recordings);
  RegisterList(app, ctx, "license", &Registry::licenses);
  RegisterList(app, ctx, "consent", &Registry::consents);
}

}  // namespace tutti::cli
