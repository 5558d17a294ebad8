#include "tutti/territory.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace tutti {
namespace {

// ISO 3166-1 alpha-2, the 249 officially assigned codes, in alphabetical order.
constexpr std::array<std::string_view, kTerritoryCount> kCodes = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW"};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<Territory> ParseTerritory(std::string_view code) {
  std::string upper = Upper(code);
  auto it = std::lower_bound(kCodes.begin(), kCodes.end(), upper);
  if (it == kCodes.end() || *it != upper) {
    return Status::Invalid("unknown territory '" + std::string(code) +
                           "': expected an ISO 3166-1 alpha-2 code such as FR or US");
  }
  return static_cast<Territory>(it - kCodes.begin());
}

std::string_view TerritoryCode(Territory t) { return t < kTerritoryCount ? kCodes[t] : "??"; }

TerritorySet TerritorySet::World() {
  TerritorySet s;
  s.bits_.set();
  return s;
}

TerritorySet TerritorySet::Of(Territory t) {
  TerritorySet s;
  s.bits_.set(t);
  return s;
}

Result<TerritorySet> TerritorySet::Parse(std::string_view text) {
  TerritorySet set;
  bool any = false;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) {
      return Status::Invalid("invalid territories '" + std::string(text) +
                             "': empty item in the comma list");
    }
    bool exclude = item.front() == '-';
    if (exclude) item.remove_prefix(1);
    if (Upper(item) == "WORLD") {
      if (exclude)
        set.bits_.reset();
      else
        set.bits_.set();
    } else {
      TUTTI_ASSIGN_OR_RETURN(Territory t, ParseTerritory(item));
      set.bits_.set(t, !exclude);
    }
    any = true;
    start = end + 1;
  }
  if (!any || set.empty()) {
    return Status::Invalid("invalid territories '" + std::string(text) +
                           "': the list names no territory");
  }
  return set;
}

std::string TerritorySet::ToString() const {
  std::string out;
  auto append = [&](std::string_view item) {
    if (!out.empty()) out += ',';
    out += item;
  };
  // Whichever is shorter: the codes in the set, or WORLD and the codes outside it.
  bool from_world = size() > kTerritoryCount / 2;
  if (from_world) append("WORLD");
  for (int t = 0; t < kTerritoryCount; ++t) {
    if (bits_.test(t) != from_world) append((from_world ? "-" : "") + std::string(kCodes[t]));
  }
  return out;
}

}  // namespace tutti
