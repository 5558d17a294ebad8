// Records and their JSON form.
//
// Each kind's JSON form is one table: Schema<T>::kFields lists its fields, each with a codec
// (how its value is read, written and checked for UTF-8). The reader, the writer, the
// rejection of unknown fields, ValidateRecordText and RecordForms() all walk that table, so
// a new kind is one Schema specialization and one entry in the Record variant.
#include <vector>

#include "tutti/codes.h"
#include "tutti/record_json.h"
#include "tutti/text.h"

namespace tutti {
namespace {

using nlohmann::json;

// How a field is present: kAssigned is optional on input (AssignId gives one) but always
// written; kOptional is written as null when empty.
enum class Need { kRequired, kOptional, kAssigned };

// Where a value sits, for errors: the record ("license 'L1'") and the field.
struct Where {
  const std::string& what;
  std::string_view field;

  std::string Place() const { return what + ", field '" + std::string(field) + "'"; }
  Status Wrong(const char* expected) const {
    return Status::Invalid(what + ": field '" + std::string(field) + "' must be " + expected);
  }
  Status Context(const Status& s) const { return s.WithContext(Place()); }
  // A parser's error about `value`, which it may quote whole: kept as it is when `value` is
  // short and shows as itself, made printable otherwise (an ESC in a time, a 1 MB code).
  Status Parsed(const Status& s, std::string_view value) const {
    if (value.size() <= kEchoBytes && Printable(value, kEchoBytes) == value) return Context(s);
    return Context(Status(s.code(), Printable(s.message(), 2 * kEchoBytes)));
  }
  static constexpr size_t kEchoBytes = 200;
};

// One field of kind T: its name and shape, and how to read, write and check it.
template <typename T>
struct Field {
  std::string_view name;
  FieldShape shape;
  Need need;
  Status (*read)(const json& value, T& record, const Where& where);  // value is not null
  json (*write)(const T& record, Need need);
  Status (*check_text)(const T& record, const Where& where);
};

template <typename T>
struct Schema;  // specialized below, one per kind

template <typename T>
Status ReadObject(const json& j, const std::string& what, T& out, std::string* failed_field);
template <typename T>
json WriteObject(const T& record);
template <typename T>
Status CheckObjectText(const T& record, const std::string& what);

// ---- Codecs: how one C++ value maps to one JSON value ----

Status NoText(const auto&, const Where&) { return Status::Ok(); }

struct TextCodec {
  static constexpr FieldShape kShape = FieldShape::kText;
  static Status Read(const json& v, std::string& out, const Where& w) {
    if (!v.is_string()) return w.Wrong("a string");
    out = v.get<std::string>();
    return CheckText(out, w);
  }
  static json Write(const std::string& s, Need need) {
    return need == Need::kOptional && s.empty() ? json() : json(s);
  }
  static Status CheckText(const std::string& s, const Where& w) {
    return IsUtf8(s) ? Status::Ok() : ValidateUtf8(w.Place(), s);
  }
};

// An ISWC is read as written (the registry makes it canonical) and written formatted.
struct IswcCodec : TextCodec {
  static json Write(const std::string& s, Need) { return s.empty() ? json() : json(FormatIswc(s)); }
};

struct ListCodec {
  static constexpr FieldShape kShape = FieldShape::kList;
  static Status Read(const json& v, std::vector<std::string>& out, const Where& w) {
    if (v.is_string()) {  // one item may be written bare
      out.push_back(v.get<std::string>());
      return CheckText(out, w);
    }
    if (!v.is_array()) return w.Wrong("a list of strings");
    for (const json& item : v) {
      if (!item.is_string()) return w.Wrong("a list of strings");
      out.push_back(item.get<std::string>());
    }
    return CheckText(out, w);
  }
  static json Write(const std::vector<std::string>& items, Need) { return json(items); }
  static Status CheckText(const std::vector<std::string>& items, const Where& w) {
    for (size_t i = 0; i < items.size(); ++i) {
      if (IsUtf8(items[i])) continue;
      std::string item = std::string(w.field) + "[" + std::to_string(i) + "]";
      TUTTI_RETURN_IF_ERROR(ValidateUtf8(Where{w.what, item}.Place(), items[i]));
    }
    return Status::Ok();
  }
};

struct BoolCodec {
  static constexpr FieldShape kShape = FieldShape::kBool;
  static Status Read(const json& v, bool& out, const Where& w) {
    if (!v.is_boolean()) return w.Wrong("true or false");
    out = v.get<bool>();
    return Status::Ok();
  }
  static json Write(bool b, Need) { return b; }
  static constexpr auto CheckText = NoText<bool>;
};

// A time in ISO 8601. An optional one (a license's `until`) is null, or absent, for never.
struct TimeCodec {
  static constexpr FieldShape kShape = FieldShape::kText;
  static Status Read(const json& v, Timestamp& out, const Where& w) {
    if (!v.is_string()) return w.Wrong("a time (ISO 8601)");
    const std::string& text = v.get_ref<const std::string&>();
    auto t = ParseTime(text);
    if (!t.ok()) return w.Parsed(t.status(), text);
    out = *t;
    return Status::Ok();
  }
  static json Write(Timestamp t, Need need) {
    return need == Need::kOptional && t == kForever ? json() : json(FormatTime(t));
  }
  static constexpr auto CheckText = NoText<Timestamp>;
};

// A percentage: "33.3333" or 33.3333, written as a string without '%'.
struct PercentCodec {
  static constexpr FieldShape kShape = FieldShape::kText;
  static Status Read(const json& v, Ppm& out, const Where& w) {
    std::string text;
    if (v.is_string()) {
      text = v.get<std::string>();
    } else if (v.is_number()) {
      text = v.dump();  // shortest round-trip form: 33.3333 stays 33.3333
    } else {
      return w.Wrong("a percentage");
    }
    auto ppm = ParsePercent(text);
    if (!ppm.ok()) return w.Parsed(ppm.status(), text);
    out = *ppm;
    return Status::Ok();
  }
  static json Write(Ppm ppm, Need) {
    std::string percent = FormatPercent(ppm);
    percent.pop_back();  // the '%'
    return percent;
  }
  static constexpr auto CheckText = NoText<Ppm>;
};

// A value written as text and parsed back: enums, use sets, territory sets.
template <typename V, Result<V> (*Parse)(std::string_view), std::string (*Format)(const V&)>
struct ParsedCodec {
  static constexpr FieldShape kShape = FieldShape::kText;
  static Status Read(const json& v, V& out, const Where& w) {
    if (!v.is_string()) return w.Wrong("a string");
    const std::string& text = v.get_ref<const std::string&>();
    auto parsed = Parse(text);
    if (!parsed.ok()) return w.Parsed(parsed.status(), text);
    out = *parsed;
    return Status::Ok();
  }
  static json Write(const V& value, Need) { return Format(value); }
  static constexpr auto CheckText = NoText<V>;
};

template <typename E>
std::string EnumText(const E& e) {
  return std::string(ToString(e));
}
template <typename S>
std::string SetText(const S& s) {
  return s.ToString();
}
Result<ConsentScope> ParseScope(std::string_view text) {
  for (auto scope : {ConsentScope::kRecording, ConsentScope::kWork, ConsentScope::kAll}) {
    if (text == ToString(scope)) return scope;
  }
  return Status::Invalid("scope '" + Printable(text) + "' must be recording, work or all");
}

using PartyKindCodec = ParsedCodec<PartyKind, ParsePartyKind, EnumText<PartyKind>>;
using UseCodec = ParsedCodec<Use, ParseUse, EnumText<Use>>;
using ScopeCodec = ParsedCodec<ConsentScope, ParseScope, EnumText<ConsentScope>>;
using RightCodec = ParsedCodec<Right, ParseRight, EnumText<Right>>;
using UseSetCodec = ParsedCodec<UseSet, UseSet::Parse, SetText<UseSet>>;
using TerritoriesCodec = ParsedCodec<TerritorySet, TerritorySet::Parse, SetText<TerritorySet>>;

// ---- Fields: a codec bound to a member ----

template <typename M>
struct MemberOf;
template <typename C, typename V>
struct MemberOf<V C::*> {
  using Class = C;
};

template <auto Member, typename Codec>
constexpr Field<typename MemberOf<decltype(Member)>::Class> F(std::string_view name, Need need) {
  using T = typename MemberOf<decltype(Member)>::Class;
  return {name,
          Codec::kShape,
          need,
          [](const json& v, T& r, const Where& w) { return Codec::Read(v, r.*Member, w); },
          [](const T& r, Need n) -> json { return Codec::Write(r.*Member, n); },
          [](const T& r, const Where& w) { return Codec::CheckText(r.*Member, w); }};
}

constexpr Need kRequired = Need::kRequired, kOptional = Need::kOptional,
               kAssigned = Need::kAssigned;

// ---- The kinds: the one place each JSON form is written down ----
// kType names the kind in "type", kSection its array in a catalog object, kAction its audit
// action, kPrefix the ids AssignId makes; kAdd is the Registry method that takes it.

template <>
struct Schema<Share> {
  static constexpr Field<Share> kFields[] = {
      F<&Share::party, TextCodec>("party", kRequired),
      F<&Share::ppm, PercentCodec>("percent", kRequired),
      F<&Share::territories, TerritoriesCodec>("territories", kOptional),  // default WORLD
  };
};

// A list of shares, each an object with a form of its own (Schema<Share>).
struct SharesCodec {
  static constexpr FieldShape kShape = FieldShape::kShares;
  static Status Read(const json& v, std::vector<Share>& out, const Where& w) {
    if (!v.is_array()) return w.Wrong("a list of {party, percent, territories}");
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_object()) return w.Wrong("a list of {party, percent, territories}");
      Share share;
      TUTTI_RETURN_IF_ERROR(ReadObject(v[i], Item(w, i), share, nullptr));
      out.push_back(std::move(share));
    }
    return Status::Ok();
  }
  static json Write(const std::vector<Share>& shares, Need) {
    json out = json::array();
    for (const Share& s : shares) out.push_back(WriteObject(s));
    return out;
  }
  static Status CheckText(const std::vector<Share>& shares, const Where& w) {
    for (size_t i = 0; i < shares.size(); ++i) {
      TUTTI_RETURN_IF_ERROR(CheckObjectText(shares[i], Item(w, i)));
    }
    return Status::Ok();
  }
  static std::string Item(const Where& w, size_t i) {
    return w.what + ", " + std::string(w.field) + "[" + std::to_string(i) + "]";
  }
};

template <>
struct Schema<Party> {
  static constexpr std::string_view kType = "party", kSection = "parties", kAction = "party.add",
                                    kPrefix = "P";
  static constexpr auto kAdd = &Registry::AddParty;
  static constexpr Field<Party> kFields[] = {
      F<&Party::id, TextCodec>("id", kRequired),
      F<&Party::kind, PartyKindCodec>("kind", kRequired),
      F<&Party::name, TextCodec>("name", kRequired),
      F<&Party::ipi, TextCodec>("ipi", kOptional),
  };
};

template <>
struct Schema<Work> {
  static constexpr std::string_view kType = "work", kSection = "works", kAction = "work.add",
                                    kPrefix = "W";
  static constexpr auto kAdd = &Registry::AddWork;
  static constexpr Field<Work> kFields[] = {
      F<&Work::id, TextCodec>("id", kRequired),
      F<&Work::title, TextCodec>("title", kRequired),
      F<&Work::iswc, IswcCodec>("iswc", kOptional),
      F<&Work::shares, SharesCodec>("shares", kRequired),
  };
};

template <>
struct Schema<Recording> {
  static constexpr std::string_view kType = "recording", kSection = "recordings",
                                    kAction = "recording.add", kPrefix = "R";
  static constexpr auto kAdd = &Registry::AddRecording;
  static constexpr Field<Recording> kFields[] = {
      F<&Recording::id, TextCodec>("id", kRequired),
      F<&Recording::title, TextCodec>("title", kRequired),
      F<&Recording::isrc, TextCodec>("isrc", kOptional),
      F<&Recording::work, TextCodec>("work", kRequired),
      F<&Recording::artists, ListCodec>("artists", kRequired),
      F<&Recording::shares, SharesCodec>("shares", kRequired),
      F<&Recording::audio_path, TextCodec>("audio", kOptional),
      F<&Recording::midi_path, TextCodec>("midi", kOptional),
  };
};

template <>
struct Schema<License> {
  static constexpr std::string_view kType = "license", kSection = "licenses",
                                    kAction = "license.add", kPrefix = "L";
  static constexpr auto kAdd = &Registry::AddLicense;
  static constexpr Field<License> kFields[] = {
      F<&License::id, TextCodec>("id", kRequired),
      F<&License::licensor, TextCodec>("licensor", kRequired),
      F<&License::licensee, TextCodec>("licensee", kRequired),
      F<&License::uses, UseSetCodec>("uses", kRequired),
      F<&License::territories, TerritoriesCodec>("territories", kRequired),
      F<&License::from, TimeCodec>("from", kRequired),
      F<&License::until, TimeCodec>("until", kOptional),  // null: open-ended
      F<&License::catalog, BoolCodec>("catalog", kOptional),
      F<&License::recordings, ListCodec>("recordings", kOptional),
      F<&License::works, ListCodec>("works", kOptional),
      F<&License::revenue_share, PercentCodec>("revenue_share", kOptional),
  };
};

template <>
struct Schema<Consent> {
  static constexpr std::string_view kType = "consent", kSection = "consents",
                                    kAction = "consent.set", kPrefix = "C";
  static constexpr auto kAdd = &Registry::AddConsent;
  static constexpr Field<Consent> kFields[] = {
      F<&Consent::id, TextCodec>("id", kAssigned),
      F<&Consent::party, TextCodec>("party", kRequired),
      F<&Consent::scope, ScopeCodec>("scope", kRequired),
      F<&Consent::target, TextCodec>("target", kOptional),
      F<&Consent::use, UseCodec>("use", kRequired),
      F<&Consent::allow, BoolCodec>("allow", kOptional),  // default false: deny
      F<&Consent::at, TimeCodec>("at", kRequired),
  };
  static Status Check(const Consent& c, const std::string& what) {
    if (c.scope != ConsentScope::kAll && c.target.empty()) {
      return Status::Invalid(what + ": a " + std::string(ToString(c.scope)) +
                             " statement needs a 'target'");
    }
    return Status::Ok();
  }
};

template <>
struct Schema<LicenseEnd> {
  static constexpr std::string_view kType = "license_end", kSection = "license_ends",
                                    kAction = "license.end", kPrefix = "E";
  static constexpr auto kAdd = &Registry::EndLicense;
  static constexpr Field<LicenseEnd> kFields[] = {
      F<&LicenseEnd::id, TextCodec>("id", kAssigned),
      F<&LicenseEnd::license, TextCodec>("license", kRequired),
      F<&LicenseEnd::at, TimeCodec>("at", kRequired),
      F<&LicenseEnd::reason, TextCodec>("reason", kOptional),
  };
};

template <>
struct Schema<ShareChange> {
  static constexpr std::string_view kType = "share_change", kSection = "share_changes",
                                    kAction = "shares.change", kPrefix = "S";
  static constexpr auto kAdd = &Registry::ChangeShares;
  static constexpr Field<ShareChange> kFields[] = {
      F<&ShareChange::id, TextCodec>("id", kAssigned),
      F<&ShareChange::right, RightCodec>("right", kRequired),
      F<&ShareChange::target, TextCodec>("target", kRequired),
      F<&ShareChange::shares, SharesCodec>("shares", kRequired),
      F<&ShareChange::from, TimeCodec>("from", kRequired),
  };
};

// ---- Walking a schema ----

template <typename T>
Status CheckAcross(const T& record, const std::string& what) {
  if constexpr (requires { Schema<T>::Check(record, what); }) {
    return Schema<T>::Check(record, what);
  } else {
    return Status::Ok();
  }
}

template <typename T>
Status ReadObject(const json& j, const std::string& what, T& out, std::string* failed_field) {
  auto fail = [&](std::string_view field, Status s) {
    if (failed_field) *failed_field = std::string(field);
    return s;
  };
  for (const auto& [key, value] : j.items()) {
    if constexpr (requires { Schema<T>::kType; }) {
      if (key == "type") continue;  // the caller read it
    }
    bool known = false;
    for (const Field<T>& f : Schema<T>::kFields) known = known || f.name == key;
    if (!known) {
      return fail(key, Status::Invalid(what + ": unknown field '" + Printable(key) + "'"));
    }
  }
  for (const Field<T>& f : Schema<T>::kFields) {
    auto it = j.find(f.name);
    // An optional field may be null, or "" (as `"until": ""` has always meant open-ended).
    bool blank = it != j.end() && it->is_string() && *it == "";
    if (it == j.end() || it->is_null() || (blank && f.need != Need::kRequired)) {
      if (f.need != Need::kRequired) continue;
      return fail(f.name, Status::Invalid(what + ": missing field '" + std::string(f.name) + "'"));
    }
    Status s = f.read(*it, out, Where{what, f.name});
    if (!s.ok()) return fail(f.name, s);
  }
  return CheckAcross(out, what);
}

template <typename T>
json WriteObject(const T& record) {
  json out = json::object();
  if constexpr (requires { Schema<T>::kType; }) out["type"] = Schema<T>::kType;
  for (const Field<T>& f : Schema<T>::kFields) out[std::string(f.name)] = f.write(record, f.need);
  return out;
}

template <typename T>
Status CheckObjectText(const T& record, const std::string& what) {
  for (const Field<T>& f : Schema<T>::kFields) {
    TUTTI_RETURN_IF_ERROR(f.check_text(record, Where{what, f.name}));
  }
  return Status::Ok();
}

// "license 'L1'", or "consent" for a record without an id yet.
std::string Describe(std::string_view type, std::string_view id) {
  std::string what(type);
  if (!id.empty()) what += " '" + Printable(id) + "'";
  return what;
}

template <typename T>
Result<Record> ReadKind(const json& j, std::string* failed_field) {
  std::string what(Schema<T>::kType);
  if (auto id = j.find("id"); id != j.end() && id->is_string()) {
    what = Describe(what, id->get_ref<const std::string&>());
  }
  T record;
  TUTTI_RETURN_IF_ERROR(ReadObject(j, what, record, failed_field));
  return Record(std::move(record));
}

template <size_t... I>
Result<Record> ReadByType(std::string_view type, const json& j, std::string* failed_field,
                          std::index_sequence<I...>) {
  using Reader = Result<Record> (*)(const json&, std::string*);
  static constexpr std::string_view kTypes[] = {
      Schema<std::variant_alternative_t<I, Record>>::kType...};
  static constexpr Reader kReaders[] = {&ReadKind<std::variant_alternative_t<I, Record>>...};
  for (size_t k = 0; k < sizeof...(I); ++k) {
    if (kTypes[k] == type) return kReaders[k](j, failed_field);
  }
  std::string expected;
  for (size_t k = 0; k < sizeof...(I); ++k) {
    expected += (k == 0 ? "" : k + 1 == sizeof...(I) ? " or " : ", ") + std::string(kTypes[k]);
  }
  if (failed_field) *failed_field = "type";
  return Status::Invalid("record: unknown type '" + Printable(type) + "' (expected " + expected +
                         ")");
}

template <typename T>
std::vector<RecordField> PublicFields() {
  std::vector<RecordField> out;
  for (const Field<T>& f : Schema<T>::kFields) {
    out.push_back({f.name, f.shape, f.need == Need::kRequired});
  }
  return out;
}

template <size_t... I>
std::vector<RecordForm> MakeKinds(std::index_sequence<I...>) {
  static const std::vector<RecordField> kFields[] = {
      PublicFields<std::variant_alternative_t<I, Record>>()...};
  return {RecordForm{Schema<std::variant_alternative_t<I, Record>>::kType,
                     Schema<std::variant_alternative_t<I, Record>>::kSection, kFields[I]}...};
}

constexpr auto kEveryKind = std::make_index_sequence<std::variant_size_v<Record>>();

// Appends `text` so that no other text can produce the same key: its length, then itself.
void AppendKeyPart(std::string& key, std::string_view text) {
  key += std::to_string(text.size());
  key += ':';
  key += text;
  key += '|';
}

}  // namespace

std::string_view RecordType(const Record& record) {
  return std::visit([](const auto& r) { return Schema<std::decay_t<decltype(r)>>::kType; }, record);
}

std::string_view RecordAction(const Record& record) {
  return std::visit([](const auto& r) { return Schema<std::decay_t<decltype(r)>>::kAction; },
                    record);
}

const std::string& RecordId(const Record& record) {
  return std::visit([](const auto& r) -> const std::string& { return r.id; }, record);
}

std::string RecordKey(const Record& record) {
  std::string key;
  if (const auto* c = std::get_if<Consent>(&record)) {
    AppendKeyPart(key, c->party);
    AppendKeyPart(key, ToString(c->scope));
    AppendKeyPart(key, c->target);
    AppendKeyPart(key, ToString(c->use));
    key += std::to_string(c->at);
  } else if (const auto* e = std::get_if<LicenseEnd>(&record)) {
    AppendKeyPart(key, e->license);  // a license ends once
  } else if (const auto* sc = std::get_if<ShareChange>(&record)) {
    AppendKeyPart(key, ToString(sc->right));  // one change of a right at a time
    AppendKeyPart(key, sc->target);
    key += std::to_string(sc->from);
  } else {
    key = RecordId(record);
  }
  return key;
}

void AssignId(const Registry& registry, Record& record) {
  std::visit(
      [&](auto& r) {
        if (r.id.empty()) r.id = registry.NextId(Schema<std::decay_t<decltype(r)>>::kPrefix);
      },
      record);
}

Status ValidateRecordText(const Record& record) {
  return std::visit(
      [](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        return CheckObjectText(r, Describe(Schema<T>::kType, r.id));
      },
      record);
}

Status AddRecord(Registry& registry, Record record) {
  TUTTI_RETURN_IF_ERROR(ValidateRecordText(record));
  return std::visit(
      [&](auto&& r) -> Status {
        using T = std::decay_t<decltype(r)>;
        return (registry.*Schema<T>::kAdd)(std::move(r));
      },
      std::move(record));
}

// The newest of `stored` with `id`: the one just added, when AddRecord took it.
template <typename T>
const T* NewestWithId(std::span<const T> stored, const std::string& id) {
  for (auto it = stored.rbegin(); it != stored.rend(); ++it) {
    if (it->id == id) return &*it;
  }
  return nullptr;
}

Record StoredRecord(const Registry& registry, const Record& record) {
  return std::visit(
      [&](const auto& r) -> Record {
        using T = std::decay_t<decltype(r)>;
        const T* stored;
        if constexpr (std::is_same_v<T, Party>) {
          stored = registry.FindParty(r.id);
        } else if constexpr (std::is_same_v<T, Work>) {
          stored = registry.FindWork(r.id);
        } else if constexpr (std::is_same_v<T, Recording>) {
          stored = registry.FindRecording(r.id);
        } else if constexpr (std::is_same_v<T, License>) {
          stored = registry.FindLicense(r.id);
        } else if constexpr (std::is_same_v<T, Consent>) {
          stored = registry.FindConsent(r.id);
        } else if constexpr (std::is_same_v<T, LicenseEnd>) {
          stored = NewestWithId(registry.license_ends(), r.id);
        } else {
          static_assert(std::is_same_v<T, ShareChange>, "a new kind: find its stored copy");
          stored = NewestWithId(registry.share_changes(), r.id);
        }
        return stored ? Record(*stored) : record;  // null: AddRecord did not take it
      },
      record);
}

json RecordJson(const Record& record) {
  return std::visit([](const auto& r) { return WriteObject(r); }, record);
}

Result<Record> RecordFromJson(const json& j) { return RecordFromJson(j, nullptr); }

Result<Record> RecordFromJson(const json& j, std::string* failed_field) {
  if (failed_field) failed_field->clear();
  if (!j.is_object()) return Status::Invalid("a record must be a JSON object");
  auto type = j.find("type");
  if (type != j.end() && !type->is_null() && !type->is_string()) {
    if (failed_field) *failed_field = "type";
    return Status::Invalid("record: field 'type' must be a string");
  }
  if (type == j.end() || type->is_null()) {
    if (failed_field) *failed_field = "type";
    return Status::Invalid(
        "record: missing field 'type' (party, work, recording, license, consent, license_end "
        "or share_change)");
  }
  // Every text codec checks UTF-8 as it reads: a json built in the process (from CSV
  // cells, say) may hold any bytes, though what nlohmann parsed is UTF-8 already.
  return ReadByType(type->get_ref<const std::string&>(), j, failed_field, kEveryKind);
}

std::span<const RecordForm> RecordForms() {
  static const std::vector<RecordForm> kKinds = MakeKinds(kEveryKind);
  return kKinds;
}

}  // namespace tutti
