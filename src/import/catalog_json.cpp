// JSON catalogs: an array of records, or an object of sections ("parties": [...], ...).
//
// The file is read as a stream of parse events, and only one record at a time is built as a
// JSON value and turned into a Record: memory follows the records, not the text, and nesting
// deeper than kMaxJsonDepth stops the parse at the bracket that goes too deep, before
// anything recursive could overflow the stack.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "parsers.h"
#include "tutti/record_json.h"
#include "tutti/text.h"

namespace tutti {
namespace {

using nlohmann::json;

// "line 3, column 5" of byte `offset` in `text` (both counted from 1, columns in bytes).
std::string Position(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  std::string_view before = text.substr(0, offset);
  size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
  size_t line_start = before.rfind('\n');
  size_t column = offset - (line_start == std::string_view::npos ? 0 : line_start + 1) + 1;
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

// The offset of the first bracket outside strings that nests deeper than `limit`.
size_t FindTooDeep(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return text.size();
}

// nlohmann's message without its code and position prefix:
// "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
std::string ParserMessage(const std::string& what) {
  std::string message = what;
  size_t at = message.find("] ");
  if (at != std::string::npos) message = message.substr(at + 2);
  at = message.find(": ");
  if (message.rfind("parse error", 0) == 0 && at != std::string::npos) {
    message = message.substr(at + 2);
  }
  return Printable(message, 300);  // it may quote the offending bytes
}

// The parse events of a whole catalog, turned into records one at a time.
class CatalogReader {
 public:
  CatalogReader(std::string_view file, std::string_view text) : file_(file), text_(text) {}

  // SAX events (nlohmann's interface); returning false stops the parse.
  bool null() { return Value(json()); }
  bool boolean(bool b) { return Value(b); }
  bool number_integer(json::number_integer_t n) { return Value(n); }
  bool number_unsigned(json::number_unsigned_t n) { return Value(n); }
  bool number_float(json::number_float_t n, const std::string&) { return Value(n); }
  bool string(std::string& s) { return Value(std::move(s)); }
  bool binary(json::binary_t&) { return Fail(Status::Invalid(file_ + ": binary data in JSON")); }
  bool start_object(size_t) { return Open(json::object()); }
  bool start_array(size_t) { return Open(json::array()); }
  bool end_object() { return Close(); }
  bool end_array() { return Close(); }
  bool key(std::string& k) {
    if (sections_ && depth_ == 1) return Section(k);
    // A repeated key would let a later value hide the one a reviewer reads first.
    if (stack_.empty()) return Fail(Status::Internal(file_ + ": a key outside any record"));
    if (stack_.back()->contains(k)) {
      std::string where = sections_ ? section_name_ + "[" + std::to_string(section_count_) + "]"
                                    : "record " + std::to_string(record_count_ + 1);
      return Fail(
          Status::Invalid(file_ + ", " + where + ": field '" + Printable(k) + "' appears twice"));
    }
    key_ = std::move(k);
    return true;
  }
  bool parse_error(size_t offset, const std::string& token, const nlohmann::detail::exception& e) {
    // A number too large for a double (1e400) is reported here too, as out_of_range.406,
    // with the offset of its end: point at its start.
    if (e.id == 406 && token.size() <= offset) offset -= token.size();
    return Fail(Status::Invalid(file_ + ", " + Position(text_, offset) +
                                ": invalid JSON: " + ParserMessage(e.what())));
  }

  Result<Catalog> Finish() {
    if (!status_.ok()) return status_;
    Catalog out;
    for (auto& bucket : buckets_) {
      for (auto& [record, origin] : bucket) {
        out.records.push_back(std::move(record));
        out.origins.push_back(std::move(origin));
      }
    }
    return out;
  }

  bool Fail(Status s) {
    if (status_.ok()) status_ = std::move(s);
    return false;
  }

 private:
  // Records sit at depth 1 in an array catalog, at depth 2 in an object of sections.
  int RecordDepth() const { return sections_ ? 2 : 1; }

  bool Open(json container) {
    if (depth_ >= kMaxJsonDepth) {
      return Fail(Status::Invalid(file_ + ", " + Position(text_, FindTooDeep(text_, depth_)) +
                                  ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                                  " levels"));
    }
    if (depth_ == 0) {
      sections_ = container.is_object();
    } else if (sections_ && depth_ == 1) {
      if (!container.is_array()) return NotAnArray();
    } else if (depth_ == RecordDepth()) {
      record_ = std::move(container);
      stack_.assign(1, &record_);
    } else {
      stack_.push_back(Add(std::move(container)));
    }
    ++depth_;
    return true;
  }

  bool Close() {
    --depth_;
    if (depth_ < RecordDepth()) return true;
    stack_.pop_back();
    return depth_ == RecordDepth() ? Take(std::move(record_)) : true;
  }

  bool Value(json value) {
    if (depth_ == 0) {
      return Fail(Status::Invalid(file_ +
                                  ": a catalog is a JSON array of records, or an object of "
                                  "sections (" +
                                  SectionNames() + ")"));
    }
    if (sections_ && depth_ == 1) return NotAnArray();
    if (depth_ == RecordDepth()) return Take(std::move(value));
    Add(std::move(value));
    return true;
  }

  // Adds `value` to the innermost open array or object of the record being built.
  json* Add(json value) {
    json& parent = *stack_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    json& slot = parent[key_];
    slot = std::move(value);
    return &slot;
  }

  bool Section(const std::string& name) {
    auto kinds = RecordForms();
    for (size_t k = 0; k < kinds.size(); ++k) {
      if (kinds[k].section == name) {
        if (sections_seen_.size() <= k) sections_seen_.resize(k + 1);
        if (sections_seen_[k]) {
          return Fail(Status::Invalid(file_ + ": section '" + name + "' appears twice"));
        }
        sections_seen_[k] = true;
        section_ = k;
        section_name_ = name;
        section_count_ = 0;
        return true;
      }
    }
    return Fail(Status::Invalid(file_ + ": unknown section '" + Printable(name) + "' (expected " +
                                SectionNames() + ")"));
  }

  bool NotAnArray() {
    return Fail(Status::Invalid(file_ + ": section '" + section_name_ + "' must be an array"));
  }

  bool Take(json j) {
    std::string where;
    size_t bucket = 0;
    if (sections_) {
      where = file_ + ", " + section_name_ + "[" + std::to_string(section_count_++) + "]";
      bucket = section_;
      std::string_view type = RecordForms()[section_].type;
      if (j.is_object()) {
        auto t = j.find("type");
        if (t == j.end()) {
          j["type"] = type;
        } else if (t->is_string() && t->get_ref<const std::string&>() != type) {
          return Fail(Status::Invalid(where + ": type '" + Printable(t->get<std::string>()) +
                                      "' in section '" + section_name_ + "'"));
        }
      }
    } else {
      where = file_ + ", record " + std::to_string(++record_count_);
    }
    auto record = RecordFromJson(j);
    if (!record.ok()) return Fail(record.status().WithContext(where));
    const std::string& id = RecordId(*record);
    if (!id.empty()) where += " ('" + Printable(id) + "')";
    if (buckets_.size() <= bucket) buckets_.resize(bucket + 1);
    buckets_[bucket].emplace_back(std::move(record).value(), std::move(where));
    return true;
  }

  static std::string SectionNames() {
    std::string names;
    for (const RecordForm& kind : RecordForms()) {
      names += (names.empty() ? "" : ", ") + std::string(kind.section);
    }
    return names;
  }

  std::string file_;
  std::string_view text_;
  Status status_;
  int depth_ = 0;          // arrays and objects open
  bool sections_ = false;  // the catalog is an object of sections
  size_t section_ = 0;     // in sections: the kind of the current one
  std::string section_name_;
  std::vector<bool> sections_seen_;
  size_t section_count_ = 0;  // records read in the current section
  size_t record_count_ = 0;   // records read in an array catalog
  json record_;               // the record being built
  std::vector<json*> stack_;  // its open arrays and objects, innermost last
  std::string key_;           // the key of the next value in an object
  // Records with their origins: one bucket per kind for sections (read back in the order of
  // RecordForms(), as documented), a single bucket for an array.
  std::vector<std::vector<std::pair<Record, std::string>>> buckets_;
};

}  // namespace

Result<Catalog> ParseCatalogJsonText(std::string_view text, std::string_view name) {
  CatalogReader reader(ShownName(name), text);
  try {
    if (!json::sax_parse(text.begin(), text.end(), &reader)) {
      (void)reader.Fail(Status::Invalid(ShownName(name) + ": invalid JSON"));  // if unnamed
    }
  } catch (const json::exception& e) {  // not expected: every event returns rather than throws
    (void)reader.Fail(
        Status::Invalid(ShownName(name) + ": invalid JSON: " + ParserMessage(e.what())));
  }
  return reader.Finish();
}

}  // namespace tutti
