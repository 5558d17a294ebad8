#include "tutti/explain.h"

namespace tutti {
namespace {

std::string Q(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string LicenseText(const Registry& reg, uint32_t index) {
  const License& l = reg.licenses()[index];
  std::string until = FormatTime(l.until);
  if (const LicenseEnd* end = reg.EndOf(index)) {
    until = FormatTime(end->at) + " (ended by " + Q(end->id) + ")";
  }
  return Q(l.id) + " (" + l.uses.ToString() + "; " + l.territories.ToString() + "; " +
         FormatTime(l.from) + " to " + until + "; " +
         (l.catalog ? "whole catalog" : "listed recordings and works") + ")";
}

std::string ConsentScopeText(const Consent& c) {
  return c.scope == ConsentScope::kAll ? "on all its works"
                                       : "on " + std::string(ToString(c.scope)) + " " + Q(c.target);
}

// "since 2026-01-01T00:00:00Z on recording 'R1' (statement 'C12')"
std::string StatementText(const Consent& c) {
  return "since " + FormatTime(c.at) + " " + ConsentScopeText(c) + " (statement " + Q(c.id) + ")";
}

std::string TerritoryText(Territory t) {
  return t < kTerritoryCount ? std::string(TerritoryCode(t)) : "territory #" + std::to_string(t);
}

nlohmann::json RefJson(const Registry& reg, RecordRef ref) {
  return {{"kind", ToString(ref.kind)}, {"id", reg.IdOf(ref)}};
}

nlohmann::json LicenseJson(const Registry& reg, uint32_t index) {
  const License& l = reg.licenses()[index];
  Timestamp until = reg.LicenseUntil(l.id);
  return {{"id", l.id},
          {"licensor", l.licensor},
          {"uses", l.uses.ToString()},
          {"territories", l.territories.ToString()},
          {"from", FormatTime(l.from)},
          {"until", until == kForever ? nlohmann::json() : nlohmann::json(FormatTime(until))},
          {"catalog", l.catalog}};
}

nlohmann::json ConsentJson(const Consent& c) {
  return {{"id", c.id},
          {"party", c.party},
          {"scope", ToString(c.scope)},
          {"target", c.target},
          {"use", ToString(c.use)},
          {"allow", c.allow},
          {"at", FormatTime(c.at)}};
}

std::string_view KindName(Finding::Kind kind) {
  switch (kind) {
    case Finding::Kind::kUnknownRecording:
      return "recording_known";
    case Finding::Kind::kUnknownProduct:
      return "product_known";
    case Finding::Kind::kUnknownTerritory:
      return "territory_known";
    case Finding::Kind::kNoOwners:
      return "owners_registered";
    case Finding::Kind::kLicensed:
    case Finding::Kind::kUnlicensed:
      return "licensed";
    case Finding::Kind::kNoDenial:
    case Finding::Kind::kDenied:
      return "not_denied";
    case Finding::Kind::kPersonaAllowed:
    case Finding::Kind::kPersonaMissing:
      return "persona_allowed";
  }
  return "?";
}

}  // namespace

std::string FindingText(const Registry& reg, const Decision& d, const Finding& f) {
  const DecisionRequest& q = d.request;
  std::string use(ToString(q.use));
  std::string mark = f.met ? "[ok] " : "[NO] ";
  auto party = [&] { return Q(reg.parties()[f.party].id); };
  auto statement = [&] { return StatementText(reg.consents()[f.record.index]); };
  std::string right = std::string(ToString(f.right)) + " right";
  switch (f.kind) {
    case Finding::Kind::kUnknownRecording:
      return mark + "no recording " + Q(q.recording) + " is registered";
    case Finding::Kind::kUnknownProduct:
      return mark + "no AI product " + Q(q.product) + " is registered";
    case Finding::Kind::kUnknownTerritory:
      return mark + "no territory has index " + std::to_string(q.territory) +
             " (ISO 3166-1 codes have indexes 0 to " + std::to_string(kTerritoryCount - 1) + ")";
    case Finding::Kind::kNoOwners:
      return mark + right + ": no owner is registered in " + TerritoryText(q.territory) + " at " +
             FormatTime(q.at);
    case Finding::Kind::kLicensed:
      return mark + right + ": " + party() + " (" + FormatPercent(f.share) +
             ") licensed it: " + LicenseText(reg, f.record.index);
    case Finding::Kind::kUnlicensed: {
      std::string text = mark + right + ": " + party() + " (" + FormatPercent(f.share) +
                         ") has no license in force for " + use + " to " + Q(q.product) + " in " +
                         TerritoryText(q.territory);
      if (f.record.kind == RecordKind::kLicenseEnd) {
        const LicenseEnd& end = reg.license_ends()[f.record.index];
        text += "; license " + Q(end.license) + " was ended at " + FormatTime(end.at) + " by " +
                Q(end.id);
      }
      return text;
    }
    case Finding::Kind::kNoDenial:
      if (f.record.empty()) return mark + party() + " has no deny in force for " + use;
      return mark + party() + " allows " + use + " " + statement();
    case Finding::Kind::kDenied:
      return mark + party() + " denies " + use + " " + statement();
    case Finding::Kind::kPersonaAllowed:
      return mark + "persona use: artist " + party() + " allows " + use + " " + statement();
    case Finding::Kind::kPersonaMissing:
      return mark + "persona use: artist " + party() + " has not allowed " + use +
             " (a persona use needs the artist's own allow)";
  }
  return mark;
}

nlohmann::json DecisionJson(const Registry& reg, const Decision& d) {
  nlohmann::json requirements = nlohmann::json::array();
  for (const Finding& f : d.findings) {
    nlohmann::json item = {
        {"requirement", KindName(f.kind)}, {"met", f.met}, {"text", FindingText(reg, d, f)}};
    bool has_party =
        f.kind != Finding::Kind::kUnknownRecording && f.kind != Finding::Kind::kUnknownProduct &&
        f.kind != Finding::Kind::kUnknownTerritory && f.kind != Finding::Kind::kNoOwners;
    if (has_party) item["party"] = reg.parties()[f.party].id;
    if (f.kind == Finding::Kind::kLicensed || f.kind == Finding::Kind::kUnlicensed ||
        f.kind == Finding::Kind::kNoOwners) {
      item["right"] = ToString(f.right);
    }
    if (f.kind == Finding::Kind::kLicensed || f.kind == Finding::Kind::kUnlicensed) {
      item["share"] = FormatPercent(f.share);
    }
    item["record"] = f.record.empty() ? nlohmann::json() : RefJson(reg, f.record);
    if (f.record.kind == RecordKind::kLicense) item["license"] = LicenseJson(reg, f.record.index);
    if (f.record.kind == RecordKind::kConsent) {
      item["consent"] = ConsentJson(reg.consents()[f.record.index]);
    }
    requirements.push_back(std::move(item));
  }
  const DecisionRequest& q = d.request;
  return {{"verdict", d.allowed() ? "allow" : "deny"},
          {"registry_version", d.registry_version},
          {"request",
           {{"use", ToString(q.use)},
            {"recording", q.recording},
            {"product", q.product},
            {"territory", TerritoryText(q.territory)},
            {"at", FormatTime(q.at)}}},
          {"requirements", std::move(requirements)}};
}

}  // namespace tutti
