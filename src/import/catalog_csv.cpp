// CSV catalogs: one record a row, a header row naming the columns. The columns are the
// fields of the records' JSON form (RecordForms()), so a new kind needs no edit here: each
// row becomes the record's JSON form, and CSV and JSON share one reader and one set of
// errors. Cells that hold lists separate items with ';'.
#include <csv.h>

#include <algorithm>
#include <sstream>

#include "parsers.h"
#include "tutti/record_json.h"
#include "tutti/text.h"

namespace tutti {
namespace {

using nlohmann::json;

struct Column {
  std::string_view name;
  FieldShape shape;
};

// "type", then every field of every kind, each name once.
const std::vector<Column>& Columns() {
  static const std::vector<Column> kColumns = [] {
    std::vector<Column> out = {{"type", FieldShape::kText}};
    for (const RecordForm& kind : RecordForms()) {
      for (const RecordField& field : kind.fields) {
        bool seen = std::any_of(out.begin(), out.end(),
                                [&](const Column& c) { return c.name == field.name; });
        if (!seen) out.push_back({field.name, field.shape});
      }
    }
    return out;
  }();
  return kColumns;
}

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

Result<json> CellJson(FieldShape shape, const std::string& text) {
  switch (shape) {
    case FieldShape::kText:
      return json(text);
    case FieldShape::kList:
      return json(Split(text, ';'));
    case FieldShape::kBool:
      if (text == "true" || text == "yes" || text == "1" || text == "allow") return json(true);
      if (text == "false" || text == "no" || text == "0" || text == "deny") return json(false);
      return Status::Invalid("must be true or false, not '" + Printable(text) + "'");
    case FieldShape::kShares: {
      json shares = json::array();
      for (const std::string& item : Split(text, ';')) {
        size_t eq = item.find('=');
        if (eq == std::string::npos) {
          return Status::Invalid("share '" + Printable(item) +
                                 "' must be PARTY=PERCENT[@TERRITORIES]");
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
  return Status::Internal("unknown field shape");
}

// Turns the rows libcsv reports into records, one row at a time.
class CsvReader {
 public:
  explicit CsvReader(std::string file) : file_(std::move(file)) {}

  static void OnField(void* data, size_t len, void* self) {
    auto* r = static_cast<CsvReader*>(self);
    // CSV_EMPTY_IS_NULL: an unquoted empty cell comes as null.
    r->cells_.emplace_back(data ? static_cast<const char*>(data) : "", data ? len : 0);
  }
  static void OnRowEnd(int, void* self) {
    auto* r = static_cast<CsvReader*>(self);
    if (r->status_.ok()) r->status_ = r->Row();
    r->cells_.clear();
  }

  // The line on which the next row starts, while the parser is between rows.
  void set_row_line(size_t line) { row_line_ = line; }
  const Status& status() const { return status_; }
  void Fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
  }
  Result<Catalog> Finish() {
    if (!status_.ok()) return status_;
    if (columns_.empty()) return Status::Invalid(file_ + ": empty CSV: the header row is missing");
    return std::move(out_);
  }

 private:
  std::string Where() const { return file_ + ", row " + std::to_string(row_line_); }
  std::string WhereColumn(std::string_view column) const {
    return Where() + ", column '" + std::string(column) + "'";
  }

  Status Row() { return columns_.empty() ? Header() : DataRow(); }

  Status Header() {
    if (!cells_.empty() && cells_[0].rfind("\xEF\xBB\xBF", 0) == 0) {
      cells_[0].erase(0, 3);  // a byte order mark, as spreadsheets write
    }
    for (size_t i = 0; i < cells_.size(); ++i) {
      const std::string& name = cells_[i];
      auto it = std::find_if(Columns().begin(), Columns().end(),
                             [&](const Column& c) { return c.name == name; });
      if (it == Columns().end()) {
        return Status::Invalid(Where() + " (the header): unknown column '" + Printable(name) +
                               "' (column " + std::to_string(i + 1) + ")");
      }
      for (const Column* c : columns_) {
        if (c == &*it) {
          return Status::Invalid(Where() + " (the header): column '" + name + "' appears twice");
        }
      }
      columns_.push_back(&*it);
    }
    if (std::none_of(columns_.begin(), columns_.end(),
                     [](const Column* c) { return c->name == "type"; })) {
      return Status::Invalid(Where() + " (the header): no 'type' column");
    }
    return Status::Ok();
  }

  Status DataRow() {
    if (cells_.size() == 1 && cells_[0].empty()) return Status::Ok();  // a blank row
    if (cells_.size() != columns_.size()) {
      return Status::Invalid(Where() + ": " + std::to_string(cells_.size()) +
                             " cells, the header has " + std::to_string(columns_.size()));
    }
    json record = json::object();
    for (size_t i = 0; i < cells_.size(); ++i) {
      if (cells_[i].empty()) continue;
      const Column& column = *columns_[i];
      if (!IsUtf8(cells_[i])) return ValidateUtf8(WhereColumn(column.name), cells_[i]);
      auto cell = CellJson(column.shape, cells_[i]);
      if (!cell.ok()) return cell.status().WithContext(WhereColumn(column.name));
      record[std::string(column.name)] = std::move(cell).value();
    }
    std::string field;
    auto parsed = RecordFromJson(record, &field);
    if (!parsed.ok()) {
      return parsed.status().WithContext(field.empty() ? Where() : WhereColumn(field));
    }
    std::string origin = Where();
    if (!RecordId(*parsed).empty()) origin += " ('" + Printable(RecordId(*parsed)) + "')";
    out_.records.push_back(std::move(parsed).value());
    out_.origins.push_back(std::move(origin));
    return Status::Ok();
  }

  std::string file_;
  Status status_;
  size_t row_line_ = 1;
  std::vector<std::string> cells_;      // of the row being read
  std::vector<const Column*> columns_;  // from the header; empty until it is read
  Catalog out_;
};

// libcsv's parser state between rows (ROW_NOT_BEGUN in libcsv.c).
constexpr int kRowNotBegun = 0;

}  // namespace

Result<Catalog> ParseCatalogCsvText(std::string_view text, std::string_view name) {
  std::string file = ShownName(name);
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0) {
    return Status::Internal("cannot start the CSV parser");
  }
  struct Freer {
    csv_parser* p;
    ~Freer() { csv_free(p); }
  } freer{&parser};
  CsvReader reader(file);
  // Fed a line at a time, so that each row knows the line it starts on.
  size_t line = 1;
  for (size_t start = 0; start < text.size() && reader.status().ok(); ++line) {
    size_t end = text.find('\n', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    if (parser.pstate == kRowNotBegun) reader.set_row_line(line);
    size_t fed = csv_parse(&parser, text.data() + start, end - start, CsvReader::OnField,
                           CsvReader::OnRowEnd, &reader);
    if (fed != end - start) {
      reader.Fail(Status::Invalid(file + ", line " + std::to_string(line) +
                                  ": invalid CSV: " + csv_strerror(csv_error(&parser))));
    }
    start = end;
  }
  if (reader.status().ok() && parser.pstate != kRowNotBegun) {
    if (csv_fini(&parser, CsvReader::OnField, CsvReader::OnRowEnd, &reader) != 0) {
      reader.Fail(Status::Invalid(
          file + ", line " + std::to_string(line - 1) +
          ": invalid CSV (a quote left open?): " + csv_strerror(csv_error(&parser))));
    }
  }
  return reader.Finish();
}

}  // namespace tutti
