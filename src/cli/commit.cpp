#include "commit.h"

#include <iostream>

#include "progress.h"
#include "tutti/record_json.h"

namespace tutti::cli {

Status CommitAndPrint(const Context& ctx, const BuildFn& build) {
  TUTTI_ASSIGN_OR_RETURN(auto app, ctx.OpenApp(Access::kWrite));
  TUTTI_ASSIGN_OR_RETURN(std::vector<Record> records, build(app->Now()));
  std::vector<Record> committed;
  {
    Progress progress(ctx, "tutti");
    TUTTI_ASSIGN_OR_RETURN(
        committed, app->Commit(std::move(records), ctx.actor, [&](size_t done, size_t total) {
          progress.Update("storing", done, total);
        }));
  }
  PrintAdded(ctx, committed);
  return Status::Ok();
}

namespace {

std::string Text(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? Shown(it->get<std::string>()) : std::string();
}

}  // namespace

void PrintAdded(const Context& ctx, const std::vector<Record>& records) {
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Record& r : records) out.push_back(RecordJson(r));
    ctx.PrintJson(records.size() == 1 ? out[0] : out);
    return;
  }
  for (const Record& r : records) {
    nlohmann::json j = RecordJson(r);
    if (const auto* c = std::get_if<Consent>(&r)) {
      std::cout << "recorded " << Text(j, "id") << ": '" << Text(j, "party") << "' "
                << (c->allow ? "allows " : "denies ") << Text(j, "use") << " on "
                << (c->scope == ConsentScope::kAll
                        ? std::string("all its works")
                        : Text(j, "scope") + " '" + Text(j, "target") + "'")
                << " from " << Text(j, "at") << "\n";
    } else if (std::holds_alternative<LicenseEnd>(r)) {
      std::cout << "license '" << Text(j, "license") << "' ends at " << Text(j, "at") << " ("
                << Text(j, "id") << ")\n";
    } else if (std::holds_alternative<ShareChange>(r)) {
      std::cout << "new " << Text(j, "right") << " shares of '" << Text(j, "target") << "' from "
                << Text(j, "from") << " (" << Text(j, "id") << ")\n";
    } else {
      std::cout << "added " << RecordType(r) << " '" << Text(j, "id") << "'";
      for (const char* label : {"name", "title"}) {
        if (j.contains(label)) std::cout << " \"" << Text(j, label) << "\"";
      }
      std::cout << "\n";
    }
  }
}

Result<Share> ParseShareArg(std::string_view text) {
  size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Status::Invalid("invalid --share '" + std::string(text) +
                           "': expected PARTY=PERCENT or PARTY=PERCENT@TERRITORIES");
  }
  Share share;
  share.party = std::string(text.substr(0, eq));
  std::string_view rest = text.substr(eq + 1);
  size_t at = rest.find('@');
  TUTTI_ASSIGN_OR_RETURN(share.ppm, ParsePercent(rest.substr(0, at)));
  if (at != std::string_view::npos) {
    TUTTI_ASSIGN_OR_RETURN(share.territories, TerritorySet::Parse(rest.substr(at + 1)));
  }
  return share;
}

Result<std::vector<Share>> ParseShareArgs(const std::vector<std::string>& args) {
  std::vector<Share> shares;
  for (const std::string& a : args) {
    TUTTI_ASSIGN_OR_RETURN(Share s, ParseShareArg(a));
    shares.push_back(std::move(s));
  }
  return shares;
}

Result<Timestamp> ParseTimeArg(const std::string& text, Timestamp now) {
  if (text.empty()) return now;
  return ParseTime(text);
}

}  // namespace tutti::cli
