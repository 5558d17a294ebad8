// Time: UTC seconds since the Unix epoch, parsed from and printed as ISO 8601.
#ifndef TUTTI_TIME_H_
#define TUTTI_TIME_H_

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "tutti/status.h"

namespace tutti {

// Seconds since 1970-01-01T00:00:00Z. Leap seconds are not represented.
using Timestamp = int64_t;
// An open end ("until further notice").
inline constexpr Timestamp kForever = std::numeric_limits<Timestamp>::max();

// Accepts "2026-06-01" (midnight UTC), "2026-06-01T12:00:00Z", "2026-06-01T12:00Z",
// "2026-06-01T14:00:00+02:00", with optional fractional seconds (truncated).
Result<Timestamp> ParseTime(std::string_view text);

// "2026-06-01T12:00:00Z"; "forever" for kForever.
std::string FormatTime(Timestamp t);

// The current time, from the system clock.
Timestamp Now();

}  // namespace tutti

#endif  // TUTTI_TIME_H_
