#include <nlohmann/json.hpp>

#include "tutti/import.h"

namespace tutti {

Result<std::vector<Record>> ParseCatalogJson(std::string_view text, std::string_view name) {
  using nlohmann::json;
  std::string file(name);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    // e.what() reads "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    std::string what = e.what();
    size_t at = what.find("] ");
    return Status::Invalid(
        file + ": invalid JSON: " + (at == std::string::npos ? what : what.substr(at + 2)));
  }
  std::vector<Record> out;
  auto take = [&](const json& item, const std::string& where, const char* implied_type) -> Status {
    json copy = item;
    if (implied_type && copy.is_object() && !copy.contains("type")) copy["type"] = implied_type;
    auto record = RecordFromJson(copy);
    if (!record.ok()) return record.status().WithContext(file + ", " + where);
    out.push_back(std::move(record).value());
    return Status::Ok();
  };

  if (doc.is_array()) {
    for (size_t i = 0; i < doc.size(); ++i) {
      TUTTI_RETURN_IF_ERROR(take(doc[i], "record " + std::to_string(i + 1), nullptr));
    }
    return out;
  }
  if (!doc.is_object()) {
    return Status::Invalid(file +
                           ": a catalog is a JSON array of records, or an object with "
                           "parties, works, recordings, licenses and consents");
  }
  static constexpr std::pair<const char*, const char*> kSections[] = {{"parties", "party"},
                                                                      {"works", "work"},
                                                                      {"recordings", "recording"},
                                                                      {"licenses", "license"},
                                                                      {"consents", "consent"}};
  for (const auto& [key, value] : doc.items()) {
    bool known = false;
    for (const auto& [section, type] : kSections) known = known || key == section;
    if (!known) {
      return Status::Invalid(file + ": unknown section '" + key +
                             "' (expected parties, works, recordings, licenses, consents)");
    }
    if (!value.is_array()) return Status::Invalid(file + ": '" + key + "' must be an array");
  }
  for (const auto& [section, type] : kSections) {
    auto it = doc.find(section);
    if (it == doc.end()) continue;
    for (size_t i = 0; i < it->size(); ++i) {
      TUTTI_RETURN_IF_ERROR(
          take((*it)[i], std::string(section) + "[" + std::to_string(i) + "]", type));
    }
  }
  return out;
}

}  // namespace tutti
