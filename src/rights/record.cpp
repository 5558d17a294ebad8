// Records and their JSON form.
#include "tutti/record.h"

#include <cmath>

#include "tutti/codes.h"

namespace tutti {
namespace {

using nlohmann::json;

// Field readers that name the field in every error.
class Reader {
 public:
  Reader(const json& j, std::string what) : j_(j), what_(std::move(what)) {}

  Status String(const char* key, std::string& out, bool required) const {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) {
      return required ? Missing(key) : Status::Ok();
    }
    if (!it->is_string()) return Wrong(key, "a string");
    out = it->get<std::string>();
    return Status::Ok();
  }

  Status Strings(const char* key, std::vector<std::string>& out, bool required) const {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return required ? Missing(key) : Status::Ok();
    if (it->is_string()) {  // one item may be written bare
      out.push_back(it->get<std::string>());
      return Status::Ok();
    }
    if (!it->is_array()) return Wrong(key, "a list of strings");
    for (const json& item : *it) {
      if (!item.is_string()) return Wrong(key, "a list of strings");
      out.push_back(item.get<std::string>());
    }
    return Status::Ok();
  }

  Status Time(const char* key, Timestamp& out, bool required) const {
    std::string text;
    TUTTI_RETURN_IF_ERROR(String(key, text, required));
    if (text.empty()) return Status::Ok();
    auto t = ParseTime(text);
    if (!t.ok()) return t.status().WithContext(what_ + ", field '" + key + "'");
    out = *t;
    return Status::Ok();
  }

  Status Percent(const char* key, Ppm& out, bool required) const {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return required ? Missing(key) : Status::Ok();
    std::string text;
    if (it->is_string()) {
      text = it->get<std::string>();
    } else if (it->is_number()) {
      text = it->dump();  // shortest round-trip form: 33.3333 stays 33.3333
    } else {
      return Wrong(key, "a percentage");
    }
    auto ppm = ParsePercent(text);
    if (!ppm.ok()) return ppm.status().WithContext(what_ + ", field '" + key + "'");
    out = *ppm;
    return Status::Ok();
  }

  Status Bool(const char* key, bool& out) const {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return Status::Ok();
    if (!it->is_boolean()) return Wrong(key, "true or false");
    out = it->get<bool>();
    return Status::Ok();
  }

  Status Shares(const char* key, std::vector<Share>& out) const {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return Missing(key);
    if (!it->is_array()) return Wrong(key, "a list of {party, percent, territories}");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& item = (*it)[i];
      if (!item.is_object()) return Wrong(key, "a list of {party, percent, territories}");
      Reader r(item, what_ + ", " + key + "[" + std::to_string(i) + "]");
      Share s;
      TUTTI_RETURN_IF_ERROR(r.String("party", s.party, true));
      TUTTI_RETURN_IF_ERROR(r.Percent("percent", s.ppm, true));
      std::string territories;
      TUTTI_RETURN_IF_ERROR(r.String("territories", territories, false));
      if (!territories.empty()) {
        auto set = TerritorySet::Parse(territories);
        if (!set.ok()) return set.status().WithContext(r.what_);
        s.territories = *set;
      }
      out.push_back(std::move(s));
    }
    return Status::Ok();
  }

  const std::string& what() const { return what_; }

 private:
  Status Missing(const char* key) const {
    return Status::Invalid(what_ + ": missing field '" + key + "'");
  }
  Status Wrong(const char* key, const char* expected) const {
    return Status::Invalid(what_ + ": field '" + key + "' must be " + expected);
  }

  const json& j_;
  std::string what_;
};

json SharesJson(const std::vector<Share>& shares) {
  json out = json::array();
  for (const Share& s : shares) {
    std::string percent = FormatPercent(s.ppm);
    percent.pop_back();  // the '%'
    out.push_back(
        {{"party", s.party}, {"percent", percent}, {"territories", s.territories.ToString()}});
  }
  return out;
}

json OptionalString(const std::string& s) { return s.empty() ? json() : json(s); }

struct ToJsonVisitor {
  json operator()(const Party& p) const {
    return {{"type", "party"},
            {"id", p.id},
            {"kind", ToString(p.kind)},
            {"name", p.name},
            {"ipi", OptionalString(p.ipi)}};
  }
  json operator()(const Work& w) const {
    return {{"type", "work"},
            {"id", w.id},
            {"title", w.title},
            {"iswc", w.iswc.empty() ? json() : json(FormatIswc(w.iswc))},
            {"shares", SharesJson(w.shares)}};
  }
  json operator()(const Recording& r) const {
    return {{"type", "recording"},
            {"id", r.id},
            {"title", r.title},
            {"isrc", OptionalString(r.isrc)},
            {"work", r.work},
            {"artists", r.artists},
            {"shares", SharesJson(r.shares)},
            {"audio", OptionalString(r.audio_path)},
            {"midi", OptionalString(r.midi_path)}};
  }
  json operator()(const License& l) const {
    std::string revenue = FormatPercent(l.revenue_share);
    revenue.pop_back();
    return {{"type", "license"},
            {"id", l.id},
            {"licensor", l.licensor},
            {"licensee", l.licensee},
            {"uses", l.uses.ToString()},
            {"territories", l.territories.ToString()},
            {"from", FormatTime(l.from)},
            {"until", l.until == kForever ? json() : json(FormatTime(l.until))},
            {"catalog", l.catalog},
            {"recordings", l.recordings},
            {"works", l.works},
            {"revenue_share", revenue}};
  }
  json operator()(const Consent& c) const {
    return {{"type", "consent"},          {"id", c.id},
            {"party", c.party},           {"scope", ToString(c.scope)},
            {"target", OptionalString(c.target)}, {"use", ToString(c.use)},
            {"allow", c.allow},           {"at", FormatTime(c.at)}};
  }
  json operator()(const LicenseEnd& e) const {
    return {{"type", "license_end"},
            {"id", e.id},
            {"license", e.license},
            {"at", FormatTime(e.at)},
            {"reason", OptionalString(e.reason)}};
  }
  json operator()(const ShareChange& c) const {
    return {{"type", "share_change"},
            {"id", c.id},
            {"right", ToString(c.right)},
            {"target", c.target},
            {"shares", SharesJson(c.shares)},
            {"from", FormatTime(c.from)}};
  }
};

Result<Record> PartyFrom(const Reader& r) {
  Party p;
  std::string kind;
  TUTTI_RETURN_IF_ERROR(r.String("id", p.id, true));
  TUTTI_RETURN_IF_ERROR(r.String("kind", kind, true));
  TUTTI_RETURN_IF_ERROR(r.String("name", p.name, true));
  TUTTI_RETURN_IF_ERROR(r.String("ipi", p.ipi, false));
  auto k = ParsePartyKind(kind);
  if (!k.ok()) return k.status().WithContext(r.what());
  p.kind = *k;
  return Record(std::move(p));
}

Result<Record> WorkFrom(const Reader& r) {
  Work w;
  TUTTI_RETURN_IF_ERROR(r.String("id", w.id, true));
  TUTTI_RETURN_IF_ERROR(r.String("title", w.title, true));
  TUTTI_RETURN_IF_ERROR(r.String("iswc", w.iswc, false));
  TUTTI_RETURN_IF_ERROR(r.Shares("shares", w.shares));
  return Record(std::move(w));
}

Result<Record> RecordingFrom(const Reader& r) {
  Recording rec;
  TUTTI_RETURN_IF_ERROR(r.String("id", rec.id, true));
  TUTTI_RETURN_IF_ERROR(r.String("title", rec.title, true));
  TUTTI_RETURN_IF_ERROR(r.String("isrc", rec.isrc, false));
  TUTTI_RETURN_IF_ERROR(r.String("work", rec.work, true));
  TUTTI_RETURN_IF_ERROR(r.Strings("artists", rec.artists, true));
  TUTTI_RETURN_IF_ERROR(r.Shares("shares", rec.shares));
  TUTTI_RETURN_IF_ERROR(r.String("audio", rec.audio_path, false));
  TUTTI_RETURN_IF_ERROR(r.String("midi", rec.midi_path, false));
  return Record(std::move(rec));
}

Result<Record> LicenseFrom(const Reader& r) {
  License l;
  std::string uses, territories;
  TUTTI_RETURN_IF_ERROR(r.String("id", l.id, true));
  TUTTI_RETURN_IF_ERROR(r.String("licensor", l.licensor, true));
  TUTTI_RETURN_IF_ERROR(r.String("licensee", l.licensee, true));
  TUTTI_RETURN_IF_ERROR(r.String("uses", uses, true));
  TUTTI_RETURN_IF_ERROR(r.String("territories", territories, true));
  TUTTI_RETURN_IF_ERROR(r.Time("from", l.from, true));
  TUTTI_RETURN_IF_ERROR(r.Time("until", l.until, false));
  TUTTI_RETURN_IF_ERROR(r.Bool("catalog", l.catalog));
  TUTTI_RETURN_IF_ERROR(r.Strings("recordings", l.recordings, false));
  TUTTI_RETURN_IF_ERROR(r.Strings("works", l.works, false));
  TUTTI_RETURN_IF_ERROR(r.Percent("revenue_share", l.revenue_share, false));
  auto u = UseSet::Parse(uses);
  if (!u.ok()) return u.status().WithContext(r.what());
  l.uses = *u;
  auto t = TerritorySet::Parse(territories);
  if (!t.ok()) return t.status().WithContext(r.what());
  l.territories = *t;
  return Record(std::move(l));
}

Result<Record> ConsentFrom(const Reader& r) {
  Consent c;
  std::string scope, use;
  bool allow = false;
  TUTTI_RETURN_IF_ERROR(r.String("id", c.id, false));
  TUTTI_RETURN_IF_ERROR(r.String("party", c.party, true));
  TUTTI_RETURN_IF_ERROR(r.String("scope", scope, true));
  TUTTI_RETURN_IF_ERROR(r.String("target", c.target, false));
  TUTTI_RETURN_IF_ERROR(r.String("use", use, true));
  TUTTI_RETURN_IF_ERROR(r.Bool("allow", allow));
  TUTTI_RETURN_IF_ERROR(r.Time("at", c.at, true));
  c.allow = allow;
  if (scope == "recording") {
    c.scope = ConsentScope::kRecording;
  } else if (scope == "work") {
    c.scope = ConsentScope::kWork;
  } else if (scope == "all") {
    c.scope = ConsentScope::kAll;
  } else {
    return Status::Invalid(r.what() + ": field 'scope' must be recording, work or all");
  }
  if (c.scope != ConsentScope::kAll && c.target.empty()) {
    return Status::Invalid(r.what() + ": a " + scope + " statement needs a 'target'");
  }
  auto u = ParseUse(use);
  if (!u.ok()) return u.status().WithContext(r.what());
  c.use = *u;
  return Record(std::move(c));
}

Result<Record> LicenseEndFrom(const Reader& r) {
  LicenseEnd e;
  TUTTI_RETURN_IF_ERROR(r.String("id", e.id, false));
  TUTTI_RETURN_IF_ERROR(r.String("license", e.license, true));
  TUTTI_RETURN_IF_ERROR(r.Time("at", e.at, true));
  TUTTI_RETURN_IF_ERROR(r.String("reason", e.reason, false));
  return Record(std::move(e));
}

Result<Record> ShareChangeFrom(const Reader& r) {
  ShareChange c;
  std::string right;
  TUTTI_RETURN_IF_ERROR(r.String("id", c.id, false));
  TUTTI_RETURN_IF_ERROR(r.String("right", right, true));
  TUTTI_RETURN_IF_ERROR(r.String("target", c.target, true));
  TUTTI_RETURN_IF_ERROR(r.Shares("shares", c.shares));
  TUTTI_RETURN_IF_ERROR(r.Time("from", c.from, true));
  auto parsed = ParseRight(right);
  if (!parsed.ok()) return parsed.status().WithContext(r.what());
  c.right = *parsed;
  return Record(std::move(c));
}

}  // namespace

std::string_view RecordType(const Record& record) {
  static constexpr std::string_view kNames[] = {
      "party", "work", "recording", "license", "consent", "license_end", "share_change"};
  static_assert(std::size(kNames) == std::variant_size_v<Record>);
  return kNames[record.index()];
}

std::string_view RecordAction(const Record& record) {
  static constexpr std::string_view kActions[] = {
      "party.add",   "work.add",    "recording.add", "license.add",
      "consent.set", "license.end", "shares.change"};
  static_assert(std::size(kActions) == std::variant_size_v<Record>);
  return kActions[record.index()];
}

const std::string& RecordId(const Record& record) {
  return std::visit([](const auto& r) -> const std::string& { return r.id; }, record);
}

std::string RecordKey(const Record& record) {
  if (const auto* c = std::get_if<Consent>(&record)) {
    return c->party + "|" + std::string(ToString(c->scope)) + "|" + c->target + "|" +
           std::string(ToString(c->use)) + "|" + std::to_string(c->at);
  }
  return RecordId(record);
}

void AssignId(const Registry& registry, Record& record) {
  static constexpr std::string_view kPrefixes[] = {"P", "W", "R", "L", "C", "E", "S"};
  static_assert(std::size(kPrefixes) == std::variant_size_v<Record>);
  std::visit(
      [&](auto& r) {
        if (r.id.empty()) r.id = registry.NextId(kPrefixes[record.index()]);
      },
      record);
}

Status AddRecord(Registry& registry, Record record) {
  return std::visit(
      [&](auto&& r) -> Status {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, Party>) return registry.AddParty(std::move(r));
        if constexpr (std::is_same_v<T, Work>) return registry.AddWork(std::move(r));
        if constexpr (std::is_same_v<T, Recording>) return registry.AddRecording(std::move(r));
        if constexpr (std::is_same_v<T, License>) return registry.AddLicense(std::move(r));
        if constexpr (std::is_same_v<T, Consent>) return registry.AddConsent(std::move(r));
        if constexpr (std::is_same_v<T, LicenseEnd>) return registry.EndLicense(std::move(r));
        if constexpr (std::is_same_v<T, ShareChange>) return registry.ChangeShares(std::move(r));
      },
      std::move(record));
}

Record StoredRecord(const Registry& registry, const Record& record) {
  if (const auto* p = std::get_if<Party>(&record)) return *registry.FindParty(p->id);
  if (const auto* w = std::get_if<Work>(&record)) return *registry.FindWork(w->id);
  if (const auto* r = std::get_if<Recording>(&record)) return *registry.FindRecording(r->id);
  if (const auto* l = std::get_if<License>(&record)) return *registry.FindLicense(l->id);
  if (std::holds_alternative<Consent>(record)) return registry.consents().back();
  if (std::holds_alternative<LicenseEnd>(record)) return registry.license_ends().back();
  return registry.share_changes().back();
}

json RecordJson(const Record& record) { return std::visit(ToJsonVisitor{}, record); }

Result<Record> RecordFromJson(const json& j) {
  if (!j.is_object()) return Status::Invalid("a record must be a JSON object");
  auto type = j.find("type");
  if (type == j.end() || !type->is_string()) {
    return Status::Invalid(
        "record: missing field 'type' (party, work, recording, license or consent)");
  }
  std::string t = type->get<std::string>();
  std::string what = t;
  if (auto id = j.find("id"); id != j.end() && id->is_string()) {
    what += " '" + id->get<std::string>() + "'";
  }
  Reader r(j, what);
  if (t == "party") return PartyFrom(r);
  if (t == "work") return WorkFrom(r);
  if (t == "recording") return RecordingFrom(r);
  if (t == "license") return LicenseFrom(r);
  if (t == "consent") return ConsentFrom(r);
  if (t == "license_end") return LicenseEndFrom(r);
  if (t == "share_change") return ShareChangeFrom(r);
  return Status::Invalid("record: unknown type '" + t +
                         "' (expected party, work, recording, license, consent, license_end "
                         "or share_change)");
}

}  // namespace tutti
