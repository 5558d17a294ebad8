// Parsing and printing of the registry's small value types.
#include <array>
#include <cctype>
#include <cstdio>

#include "tutti/rights.h"

namespace tutti {
namespace {

constexpr std::array<std::string_view, 7> kPartyKinds = {
    "artist", "songwriter", "label", "publisher", "distributor", "society", "product"};
constexpr std::array<std::string_view, kUseCount> kUses = {"train", "style", "voice", "remix",
                                                           "reference"};

std::string Join(std::span<const std::string_view> items) {
  std::string out;
  for (auto item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

Result<PartyKind> ParsePartyKind(std::string_view text) {
  std::string lower = Lower(text);
  for (size_t i = 0; i < kPartyKinds.size(); ++i) {
    if (kPartyKinds[i] == lower) return static_cast<PartyKind>(i);
  }
  return Status::Invalid("unknown party kind '" + std::string(text) + "': expected one of " +
                         Join(kPartyKinds));
}

std::string_view ToString(PartyKind kind) { return kPartyKinds[static_cast<int>(kind)]; }

Result<Use> ParseUse(std::string_view text) {
  std::string lower = Lower(text);
  for (size_t i = 0; i < kUses.size(); ++i) {
    if (kUses[i] == lower) return static_cast<Use>(i);
  }
  return Status::Invalid("unknown use '" + std::string(text) + "': expected one of " + Join(kUses));
}

std::string_view ToString(Use use) { return kUses[static_cast<int>(use)]; }

Result<UseSet> UseSet::Parse(std::string_view comma_list) {
  UseSet set;
  size_t start = 0;
  while (start <= comma_list.size()) {
    size_t end = comma_list.find(',', start);
    if (end == std::string_view::npos) end = comma_list.size();
    TUTTI_ASSIGN_OR_RETURN(Use use, ParseUse(comma_list.substr(start, end - start)));
    set.Add(use);
    start = end + 1;
  }
  return set;
}

std::string UseSet::ToString() const {
  std::string out;
  for (int i = 0; i < kUseCount; ++i) {
    if (!Contains(static_cast<Use>(i))) continue;
    if (!out.empty()) out += ',';
    out += kUses[i];
  }
  return out;
}

std::string_view ToString(ConsentScope scope) {
  switch (scope) {
    case ConsentScope::kRecording:
      return "recording";
    case ConsentScope::kWork:
      return "work";
    case ConsentScope::kAll:
      return "all";
  }
  return "?";
}

std::string_view ToString(RecordKind kind) {
  constexpr std::string_view kNames[] = {"none",    "party",   "work",        "recording",
                                         "license", "consent", "license_end", "share_change"};
  auto i = static_cast<size_t>(kind);
  return i < std::size(kNames) ? kNames[i] : "?";
}

std::string_view ToString(Right right) {
  return right == Right::kRecording ? "recording" : "composition";
}

Result<Right> ParseRight(std::string_view text) {
  if (text == "recording") return Right::kRecording;
  if (text == "composition") return Right::kComposition;
  return Status::Invalid("unknown right '" + std::string(text) + "' (recording or composition)");
}

Result<Ppm> ParsePercent(std::string_view text) {
  std::string_view s = text;
  if (!s.empty() && s.back() == '%') s.remove_suffix(1);
  auto bad = [&](const char* why) {
    return Status::Invalid("invalid percentage '" + std::string(text) + "': " + why);
  };
  if (s.empty()) return bad("it is empty");
  int64_t whole = 0, fraction = 0;
  int fraction_digits = 0;
  size_t i = 0;
  for (; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
    whole = whole * 10 + (s[i] - '0');
    if (whole > 100) return bad("it is over 100");
  }
  if (i == 0) return bad("it must start with a digit");
  if (i < s.size()) {
    if (s[i] != '.') return bad("it must be a number such as 50 or 33.3333");
    if (i + 1 == s.size()) return bad("it ends in a decimal point");
    for (++i; i < s.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(s[i]))) return bad("bad decimal digits");
      if (++fraction_digits > 4) return bad("at most four decimals are kept exactly");
      fraction = fraction * 10 + (s[i] - '0');
    }
  }
  while (fraction_digits < 4) {
    fraction *= 10;
    ++fraction_digits;
  }
  int64_t ppm = whole * 10'000 + fraction;
  if (ppm > kWhole) return bad("it is over 100");
  return static_cast<Ppm>(ppm);
}

std::string FormatPercent(Ppm ppm) {
  // The sign apart: C++ division truncates, so -5000 would print as "0.-5000".
  int64_t magnitude = ppm < 0 ? -int64_t{ppm} : int64_t{ppm};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%04lld", ppm < 0 ? "-" : "",
                static_cast<long long>(magnitude / 10'000),
                static_cast<long long>(magnitude % 10'000));
  std::string out = buf;
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out + "%";
}

}  // namespace tutti
