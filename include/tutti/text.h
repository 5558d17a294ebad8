// Text from outside the process: checking that it is UTF-8, and showing it safely.
//
// Every text field tutti stores or prints (names, ids, titles, CSV cells, JSON strings) must
// be valid UTF-8: the JSON writer, the audit log and every terminal downstream rely on it.
// Thread-safety: pure functions.
#ifndef TUTTI_TEXT_H_
#define TUTTI_TEXT_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "tutti/status.h"

namespace tutti {

// True when `text` is well-formed UTF-8 (as ValidateUtf8 below): the fast check, for callers
// that build the error's context only when it is needed.
bool IsUtf8(std::string_view text);

// OK when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF). Otherwise kInvalidArgument naming `what` and the first bad byte:
// "party 'P1', field 'name': not valid UTF-8 (byte 0xff at offset 3)".
Status ValidateUtf8(std::string_view what, std::string_view text);

// `text` made safe to echo to a terminal or a log line: valid UTF-8 without control
// characters. C0 and C1 controls (ESC included), DEL, bidirectional overrides and bytes that
// are not UTF-8 become escapes ("\x1b", "\n", "\u202e"); a backslash is doubled so the
// escapes stay unambiguous. Input longer than `max_bytes` is cut (at a character boundary)
// and ends with a note of its full size: "...(10485760 bytes)".
std::string Printable(std::string_view text, size_t max_bytes = 200);

}  // namespace tutti

#endif  // TUTTI_TEXT_H_
