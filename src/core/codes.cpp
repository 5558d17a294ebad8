#include "tutti/codes.h"

#include <cctype>

namespace tutti {
namespace {

std::string Strip(std::string_view text, std::string_view punctuation) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (punctuation.find(c) != std::string_view::npos) continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

Result<std::string> ParseIsrc(std::string_view text) {
  std::string code = Strip(text, "-");
  auto bad = [&](const char* why) {
    return Status::Invalid("invalid ISRC '" + std::string(text) + "': " + why +
                           " (expected CC-XXX-YY-NNNNN, e.g. US-RC1-76-07839)");
  };
  if (code.size() != 12) return bad("it must have 12 characters");
  if (!std::isalpha(static_cast<unsigned char>(code[0])) ||
      !std::isalpha(static_cast<unsigned char>(code[1]))) {
    return bad("the country code must be two letters");
  }
  for (int i = 2; i < 5; ++i) {
    if (!std::isalnum(static_cast<unsigned char>(code[i]))) {
      return bad("the registrant code must be three letters or digits");
    }
  }
  if (!AllDigits(std::string_view(code).substr(5))) {
    return bad("the year and designation must be seven digits");
  }
  return code;
}

Result<std::string> ParseIswc(std::string_view text) {
  std::string code = Strip(text, "-. ");
  auto bad = [&](const std::string& why) {
    return Status::Invalid("invalid ISWC '" + std::string(text) + "': " + why +
                           " (expected T-DDD.DDD.DDD-C, e.g. T-034.524.680-1)");
  };
  if (code.size() != 11 || code[0] != 'T' || !AllDigits(std::string_view(code).substr(1))) {
    return bad("it must be T followed by ten digits");
  }
  // ISO 15707 check digit: 1 + sum(i * d_i) over the nine digits, then 10 - that mod 10.
  int sum = 1;
  for (int i = 1; i <= 9; ++i) sum += i * (code[i] - '0');
  int check = (10 - sum % 10) % 10;
  if (code[10] - '0' != check) {
    return bad("the check digit is " + std::string(1, code[10]) + ", it should be " +
               std::to_string(check));
  }
  return code;
}

std::string FormatIswc(std::string_view c) {
  if (c.size() != 11) return std::string(c);
  std::string s(c);
  return s.substr(0, 1) + "-" + s.substr(1, 3) + "." + s.substr(4, 3) + "." + s.substr(7, 3) + "-" +
         s.substr(10, 1);
}

Result<std::string> ParseIpi(std::string_view text) {
  std::string code = Strip(text, " -.");
  if (code.size() < 9 || code.size() > 11 || !AllDigits(code)) {
    return Status::Invalid("invalid IPI '" + std::string(text) +
                           "': an IPI name number has 9 to 11 digits");
  }
  return std::string(11 - code.size(), '0') + code;
}

}  // namespace tutti
