// Industry identifiers: ISRC (recordings), ISWC (compositions), IPI (parties).
//
// Each Parse* function validates its input and returns the canonical form: upper case,
// no punctuation ("USRC17607839", "T0345246801", "00052210040"). Errors name the code and
// what is wrong with it. Pure functions; thread-safe.
#ifndef TUTTI_CODES_H_
#define TUTTI_CODES_H_

#include <string>
#include <string_view>

#include "tutti/status.h"

namespace tutti {

// ISO 3901: CC-XXX-YY-NNNNN (country, registrant, year, designation); hyphens optional.
Result<std::string> ParseIsrc(std::string_view text);

// ISO 15707: T-DDD.DDD.DDD-C; the check digit C is verified.
Result<std::string> ParseIswc(std::string_view text);
// "T-034.524.680-1" from the canonical "T0345246801".
std::string FormatIswc(std::string_view canonical);

// CISAC IPI name number: 9 to 11 digits, left-padded with zeros to 11.
Result<std::string> ParseIpi(std::string_view text);

}  // namespace tutti

#endif  // TUTTI_CODES_H_
