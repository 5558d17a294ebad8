#include "tutti/time.h"

#include <cctype>
#include <chrono>
#include <cstdio>

namespace tutti {
namespace {

// Reads exactly `n` digits at `pos`, advancing it.
bool ReadDigits(std::string_view s, size_t& pos, int n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace

Result<Timestamp> ParseTime(std::string_view text) {
  auto bad = [&](const char* why) {
    return Status::Invalid("invalid time '" + std::string(text) + "': " + why +
                           " (expected ISO 8601, e.g. 2026-06-01 or 2026-06-01T12:00:00Z)");
  };
  size_t pos = 0;
  int year, month, day;
  if (!ReadDigits(text, pos, 4, year) || !Expect(text, pos, '-') ||
      !ReadDigits(text, pos, 2, month) || !Expect(text, pos, '-') ||
      !ReadDigits(text, pos, 2, day)) {
    return bad("the date must be YYYY-MM-DD");
  }
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                     std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) return bad("no such date");
  int64_t seconds = duration_cast<std::chrono::seconds>(sys_days(ymd).time_since_epoch()).count();
  if (pos == text.size()) return seconds;

  if (text[pos] != 'T' && text[pos] != ' ') return bad("unexpected text after the date");
  ++pos;
  int hour, minute, second = 0;
  if (!ReadDigits(text, pos, 2, hour) || !Expect(text, pos, ':') ||
      !ReadDigits(text, pos, 2, minute)) {
    return bad("the time of day must be HH:MM or HH:MM:SS");
  }
  if (pos < text.size() && text[pos] == ':') {
    ++pos;
    if (!ReadDigits(text, pos, 2, second)) return bad("the seconds must be two digits");
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      size_t start = pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) ++pos;
      if (pos == start) return bad("a fraction of a second needs digits");
    }
  }
  if (hour > 23 || minute > 59 || second > 59) return bad("the time of day is out of range");
  seconds += hour * 3600 + minute * 60 + second;

  if (pos == text.size()) return bad("a time of day needs a zone: Z or +HH:MM");
  if (text[pos] == 'Z' || text[pos] == 'z') {
    ++pos;
  } else if (text[pos] == '+' || text[pos] == '-') {
    int sign = text[pos] == '+' ? 1 : -1;
    ++pos;
    int off_h, off_m = 0;
    if (!ReadDigits(text, pos, 2, off_h)) return bad("the zone offset must be +HH:MM");
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (pos < text.size() && !ReadDigits(text, pos, 2, off_m)) {
      return bad("the zone offset must be +HH:MM");
    }
    if (off_h > 18 || off_m > 59) return bad("the zone offset is out of range");
    seconds -= sign * (off_h * 3600 + off_m * 60);
  } else {
    return bad("the zone must be Z or +HH:MM");
  }
  if (pos != text.size()) return bad("unexpected text after the time");
  return seconds;
}

std::string FormatTime(Timestamp t) {
  if (t == kForever) return "forever";
  using namespace std::chrono;
  sys_seconds tp{seconds(t)};
  sys_days day = floor<days>(tp);
  year_month_day ymd{day};
  hh_mm_ss hms{tp - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

Timestamp Now() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace tutti
