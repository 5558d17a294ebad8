// CSV catalogs: one record a row, a header row naming the columns, "type" first among
// equals. Cells that hold lists separate items with ';'. Each row becomes the record's
// JSON form, so CSV and JSON share one reader and one set of errors.
#include <csv.h>

#include <array>
#include <fstream>
#include <sstream>

#include "tutti/import.h"

namespace tutti {
namespace {

using nlohmann::json;

enum class Cell { kText, kList, kShares, kBool };

struct Column {
  std::string_view name;
  Cell cell;
};

constexpr std::array<Column, 29> kColumns = {{
    {"type", Cell::kText},
    {"id", Cell::kText},
    {"kind", Cell::kText},
    {"name", Cell::kText},
    {"ipi", Cell::kText},
    {"title", Cell::kText},
    {"iswc", Cell::kText},
    {"isrc", Cell::kText},
    {"work", Cell::kText},
    {"artists", Cell::kList},
    {"shares", Cell::kShares},
    {"audio", Cell::kText},
    {"midi", Cell::kText},
    {"licensor", Cell::kText},
    {"licensee", Cell::kText},
    {"uses", Cell::kText},
    {"territories", Cell::kText},
    {"from", Cell::kText},
    {"until", Cell::kText},
    {"catalog", Cell::kBool},
    {"recordings", Cell::kList},
    {"works", Cell::kList},
    {"revenue_share", Cell::kText},
    {"party", Cell::kText},
    {"scope", Cell::kText},
    {"target", Cell::kText},
    {"use", Cell::kText},
    {"allow", Cell::kBool},
    {"at", Cell::kText},
}};

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(text);
  while (std::getline(in, item, sep)) {
    size_t b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
    if (b != std::string::npos) out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

Result<json> CellJson(const Column& col, const std::string& text) {
  switch (col.cell) {
    case Cell::kText:
      return json(text);
    case Cell::kList:
      return json(Split(text, ';'));
    case Cell::kBool: {
      if (text == "true" || text == "yes" || text == "1" || text == "allow") return json(true);
      if (text == "false" || text == "no" || text == "0" || text == "deny") return json(false);
      return Status::Invalid("column '" + std::string(col.name) + "' must be true or false, not '" +
                             text + "'");
    }
    case Cell::kShares: {
      json shares = json::array();
      for (const std::string& item : Split(text, ';')) {
        size_t eq = item.find('=');
        if (eq == std::string::npos) {
          return Status::Invalid("share '" + item + "' must be PARTY=PERCENT[@TERRITORIES]");
        }
        std::string rest = item.substr(eq + 1);
        size_t at = rest.find('@');
        json s = {{"party", item.substr(0, eq)}, {"percent", rest.substr(0, at)}};
        if (at != std::string::npos) s["territories"] = rest.substr(at + 1);
        shares.push_back(std::move(s));
      }
      return shares;
    }
  }
  return json();
}

// libcsv pushes fields and row ends; this gathers them into rows.
struct Collector {
  std::vector<std::string> row;
  std::vector<std::vector<std::string>> rows;
  static void Field(void* data, size_t len, void* self) {
    static_cast<Collector*>(self)->row.emplace_back(static_cast<const char*>(data), len);
  }
  static void RowEnd(int, void* self) {
    auto* c = static_cast<Collector*>(self);
    c->rows.push_back(std::move(c->row));
    c->row.clear();
  }
};

}  // namespace

Result<std::vector<Record>> ParseCatalogCsv(std::string_view text, std::string_view name) {
  std::string file(name);
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0) {
    return Status::Internal("cannot start the CSV parser");
  }
  struct Freer {
    csv_parser* p;
    ~Freer() { csv_free(p); }
  } freer{&parser};
  Collector c;
  size_t parsed =
      csv_parse(&parser, text.data(), text.size(), Collector::Field, Collector::RowEnd, &c);
  if (parsed != text.size() || csv_fini(&parser, Collector::Field, Collector::RowEnd, &c) != 0) {
    return Status::Invalid(file + ": invalid CSV after row " + std::to_string(c.rows.size()) +
                           ": " + csv_strerror(csv_error(&parser)));
  }
  if (c.rows.empty()) return Status::Invalid(file + ": empty CSV: the header row is missing");

  std::vector<const Column*> columns;
  for (const std::string& header : c.rows[0]) {
    const Column* found = nullptr;
    for (const Column& col : kColumns) {
      if (col.name == header) found = &col;
    }
    if (!found) return Status::Invalid(file + ": unknown column '" + header + "' in the header");
    columns.push_back(found);
  }
  std::vector<Record> out;
  for (size_t r = 1; r < c.rows.size(); ++r) {
    std::string where = file + ", row " + std::to_string(r + 1);
    const auto& row = c.rows[r];
    if (row.size() == 1 && row[0].empty()) continue;  // a blank line
    if (row.size() != columns.size()) {
      return Status::Invalid(where + ": " + std::to_string(row.size()) + " cells, the header has " +
                             std::to_string(columns.size()));
    }
    json record = json::object();
    for (size_t i = 0; i < row.size(); ++i) {
      if (row[i].empty()) continue;
      auto cell = CellJson(*columns[i], row[i]);
      if (!cell.ok()) return cell.status().WithContext(where);
      record[std::string(columns[i]->name)] = std::move(cell).value();
    }
    auto parsed_record = RecordFromJson(record);
    if (!parsed_record.ok()) return parsed_record.status().WithContext(where);
    out.push_back(std::move(parsed_record).value());
  }
  return out;
}

Result<std::vector<Record>> ReadCatalogFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Status::NotFound("cannot read catalog '" + path + "': no such file");
  auto size = static_cast<size_t>(in.tellg());
  if (size > kMaxCatalogBytes) {
    return Status::Invalid("catalog '" + path + "' is " + std::to_string(size >> 20) +
                           " MiB, over the " + std::to_string(kMaxCatalogBytes >> 20) +
                           " MiB limit: split it");
  }
  std::string text(size, '\0');
  in.seekg(0);
  if (!in.read(text.data(), static_cast<std::streamsize>(size))) {
    return Status::IoError("cannot read catalog '" + path + "'");
  }
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".json")) return ParseCatalogJson(text, path);
  if (ends_with(".csv")) return ParseCatalogCsv(text, path);
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && (text[first] == '[' || text[first] == '{')) {
    return ParseCatalogJson(text, path);
  }
  return ParseCatalogCsv(text, path);
}

}  // namespace tutti
