#include "commit.h"

#include <iostream>

#include "progress.h"

namespace tutti::cli {

Status CommitRecords(const Context& ctx,
                     const std::function<Result<std::vector<Record>>(const Registry&)>& build,
                     std::vector<Record>* committed) {
  TUTTI_ASSIGN_OR_RETURN(auto store, ctx.OpenStore());
  TUTTI_ASSIGN_OR_RETURN(Registry registry, store->LoadRegistry());
  TUTTI_ASSIGN_OR_RETURN(std::vector<Record> records, build(registry));
  Progress progress(ctx, "tutti");
  for (size_t i = 0; i < records.size(); ++i) {
    if (i % 1024 == 0) progress.Update("validating", i, records.size());
    Status s = AddRecord(registry, records[i]);
    if (!s.ok()) {
      // In a file of many records, say which one.
      return records.size() > 1 ? s.WithContext("record " + std::to_string(i + 1)) : s;
    }
    records[i] = StoredRecord(registry, records[i]);
  }
  TUTTI_RETURN_IF_ERROR(store->Append(records, ctx.actor, Now(), [&](size_t done, size_t total) {
    progress.Update("storing", done, total);
  }));
  if (committed) *committed = std::move(records);
  return Status::Ok();
}

void PrintAdded(const Context& ctx, const std::vector<Record>& records) {
  if (ctx.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Record& r : records) out.push_back(RecordJson(r));
    ctx.PrintJson(records.size() == 1 ? out[0] : out);
    return;
  }
  for (const Record& r : records) {
    nlohmann::json j = RecordJson(r);
    std::string type(RecordType(r));
    if (type == "consent") {
      std::cout << "recorded: '" << j["party"].get<std::string>() << "' "
                << (j["allow"].get<bool>() ? "allows " : "denies ") << j["use"].get<std::string>()
                << " on "
                << (j["scope"] == "all" ? std::string("all its works")
                                        : j["scope"].get<std::string>() + " '" +
                                              j["target"].get<std::string>() + "'")
                << " from " << j["at"].get<std::string>() << "\n";
      continue;
    }
    std::cout << "added " << type << " '" << j["id"].get<std::string>() << "'";
    for (const char* label : {"name", "title"}) {
      if (j.contains(label)) std::cout << " \"" << j[label].get<std::string>() << "\"";
    }
    std::cout << "\n";
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

Result<Timestamp> ParseTimeArg(const std::string& text) {
  if (text.empty()) return Now();
  return ParseTime(text);
}

}  // namespace tutti::cli
