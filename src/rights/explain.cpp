#include "tutti/explain.h"

namespace tutti {
namespace {

std::string Q(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string LicenseText(const License& l) {
  return Q(l.id) + " (" + l.uses.ToString() + "; " + l.territories.ToString() + "; " +
         FormatTime(l.from) + " to " + FormatTime(l.until) + "; " +
         (l.catalog ? "whole catalog" : "listed recordings and works") + ")";
}

std::string ConsentScopeText(const Consent& c) {
  return c.scope == ConsentScope::kAll ? "on all its works"
                                       : "on " + std::string(ToString(c.scope)) + " " + Q(c.target);
}

nlohmann::json LicenseJson(const License& l) {
  return {{"id", l.id},
          {"licensor", l.licensor},
          {"uses", l.uses.ToString()},
          {"territories", l.territories.ToString()},
          {"from", FormatTime(l.from)},
          {"until", l.until == kForever ? nlohmann::json() : nlohmann::json(FormatTime(l.until))},
          {"catalog", l.catalog}};
}

nlohmann::json ConsentJson(const Consent& c, int32_t index) {
  return {{"statement", index + 1}, {"party", c.party},       {"scope", ToString(c.scope)},
          {"target", c.target},     {"use", ToString(c.use)}, {"allow", c.allow},
          {"at", FormatTime(c.at)}};
}

std::string_view KindName(Finding::Kind kind) {
  switch (kind) {
    case Finding::Kind::kUnknownRecording:
      return "recording_known";
    case Finding::Kind::kUnknownProduct:
      return "product_known";
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
  std::string right = std::string(ToString(f.right)) + " right";
  switch (f.kind) {
    case Finding::Kind::kUnknownRecording:
      return mark + "no recording " + Q(q.recording) + " is registered";
    case Finding::Kind::kUnknownProduct:
      return mark + "no AI product " + Q(q.product) + " is registered";
    case Finding::Kind::kNoOwners:
      return mark + right + ": no owner is registered in " +
             std::string(TerritoryCode(q.territory));
    case Finding::Kind::kLicensed:
      return mark + right + ": " + party() + " (" + FormatPercent(f.share) +
             ") licensed it: " + LicenseText(reg.licenses()[f.record]);
    case Finding::Kind::kUnlicensed:
      return mark + right + ": " + party() + " (" + FormatPercent(f.share) +
             ") has no license in force for " + use + " to " + Q(q.product) + " in " +
             std::string(TerritoryCode(q.territory));
    case Finding::Kind::kNoDenial:
      if (f.record < 0) return mark + party() + " has no deny in force for " + use;
      return mark + party() + " allows " + use + " since " +
             FormatTime(reg.consents()[f.record].at) + " " +
             ConsentScopeText(reg.consents()[f.record]);
    case Finding::Kind::kDenied:
      return mark + party() + " denies " + use + " since " +
             FormatTime(reg.consents()[f.record].at) + " " +
             ConsentScopeText(reg.consents()[f.record]);
    case Finding::Kind::kPersonaAllowed:
      return mark + "persona use: artist " + party() + " allows " + use + " since " +
             FormatTime(reg.consents()[f.record].at) + " " +
             ConsentScopeText(reg.consents()[f.record]);
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
    bool has_party = f.kind != Finding::Kind::kUnknownRecording &&
                     f.kind != Finding::Kind::kUnknownProduct && f.kind != Finding::Kind::kNoOwners;
    if (has_party) item["party"] = reg.parties()[f.party].id;
    if (f.kind == Finding::Kind::kLicensed || f.kind == Finding::Kind::kUnlicensed ||
        f.kind == Finding::Kind::kNoOwners) {
      item["right"] = ToString(f.right);
    }
    if (f.kind == Finding::Kind::kLicensed || f.kind == Finding::Kind::kUnlicensed) {
      item["share"] = FormatPercent(f.share);
    }
    if (f.kind == Finding::Kind::kLicensed) item["license"] = LicenseJson(reg.licenses()[f.record]);
    bool consent = f.kind == Finding::Kind::kNoDenial || f.kind == Finding::Kind::kDenied ||
                   f.kind == Finding::Kind::kPersonaAllowed ||
                   f.kind == Finding::Kind::kPersonaMissing;
    if (consent && f.record >= 0) item["consent"] = ConsentJson(reg.consents()[f.record], f.record);
    requirements.push_back(std::move(item));
  }
  const DecisionRequest& q = d.request;
  return {{"verdict", d.allowed() ? "allow" : "deny"},
          {"request",
           {{"use", ToString(q.use)},
            {"recording", q.recording},
            {"product", q.product},
            {"territory", TerritoryCode(q.territory)},
            {"at", FormatTime(q.at)}}},
          {"requirements", std::move(requirements)}};
}

}  // namespace tutti
