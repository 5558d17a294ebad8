// UTF-8 validation and terminal-safe echo of outside text.
#include "tutti/text.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>

namespace tutti {
namespace {

// The length of the well-formed UTF-8 sequence starting at text[i], or 0 if none starts
// there; its code point in `cp`. Table 3-7 of the Unicode standard, byte by byte.
size_t DecodeOne(std::string_view text, size_t i, uint32_t& cp) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  size_t len;
  uint8_t lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // no overlong forms
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (text.size() - i < len) return 0;
  for (size_t k = 1; k < len; ++k) {
    const uint8_t b = byte(i + k);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  return len;
}

// Code points a terminal may act on rather than show: C0, DEL, C1 (U+009B is a CSI on some
// terminals), and the bidirectional overrides and isolates that reorder what follows.
bool IsControl(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

void AppendEscape(std::string& out, const char* format, uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, format, static_cast<unsigned>(value));
  out += buf;
}

}  // namespace

bool IsUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    if (static_cast<uint8_t>(text[i]) < 0x80) {  // the common case: ASCII
      ++i;
      continue;
    }
    uint32_t cp;
    size_t len = DecodeOne(text, i, cp);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

Status ValidateUtf8(std::string_view what, std::string_view text) {
  if (IsUtf8(text)) return Status::Ok();
  for (size_t i = 0; i < text.size();) {
    uint32_t cp;
    size_t len = DecodeOne(text, i, cp);
    if (len == 0) {
      std::string message(what);
      message += ": not valid UTF-8 (byte ";
      AppendEscape(message, "0x%02x", static_cast<uint8_t>(text[i]));
      message += " at offset " + std::to_string(i) + ")";
      return Status::Invalid(std::move(message));
    }
    i += len;
  }
  return Status::Ok();
}

std::string Printable(std::string_view text, size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 16);
  size_t i = 0;
  while (i < text.size()) {
    uint32_t cp;
    size_t len = DecodeOne(text, i, cp);
    if (i + std::max<size_t>(len, 1) > max_bytes) break;  // cut at a character boundary
    if (len == 0) {
      AppendEscape(out, "\\x%02x", static_cast<uint8_t>(text[i]));
      i += 1;
      continue;
    }
    if (cp == '\\') {
      out += "\\\\";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp < 0x80 && IsControl(cp)) {
      AppendEscape(out, "\\x%02x", cp);
    } else if (IsControl(cp)) {
      AppendEscape(out, "\\u%04x", cp);
    } else {
      out.append(text.substr(i, len));
    }
    i += len;
  }
  if (i < text.size()) out += "...(" + std::to_string(text.size()) + " bytes)";
  return out;
}

}  // namespace tutti
