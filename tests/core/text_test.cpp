#include "tutti/text.h"

#include <gtest/gtest.h>

#include <string>

namespace tutti {
namespace {

TEST(TextTest, AcceptsWellFormedUtf8) {
  EXPECT_TRUE(ValidateUtf8("name", "").ok());
  EXPECT_TRUE(IsUtf8("Björk 坂本龍一 \xF0\x9F\x8E\xB5"));
  EXPECT_TRUE(ValidateUtf8("name", "Ava Lune").ok());
  EXPECT_TRUE(ValidateUtf8("name", "Björk Guðmundsdóttir").ok());
  EXPECT_TRUE(ValidateUtf8("name", "坂本龍一").ok());
  EXPECT_TRUE(ValidateUtf8("name", "\xF0\x9F\x8E\xB5").ok());      // U+1F3B5, 4 bytes
  EXPECT_TRUE(ValidateUtf8("name", "\xF4\x8F\xBF\xBF").ok());      // U+10FFFF, the last
  EXPECT_TRUE(ValidateUtf8("name", "\xEE\x80\x80").ok());          // U+E000, after surrogates
  EXPECT_TRUE(ValidateUtf8("name", std::string("a\0b", 3)).ok());  // NUL is UTF-8
}

TEST(TextTest, RejectsMalformedUtf8NamingWhatAndWhere) {
  Status s = ValidateUtf8("party 'P1', field 'name'", "ab\xFF");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "party 'P1', field 'name': not valid UTF-8 (byte 0xff at offset 2)");

  const char* bad[] = {
      "\x80",              // a continuation byte alone
      "\xC0\xAF",          // overlong '/'
      "\xC1\xBF",          // overlong
      "\xE0\x80\xAF",      // overlong, 3 bytes
      "\xF0\x80\x80\xAF",  // overlong, 4 bytes
      "\xED\xA0\x80",      // a surrogate (U+D800)
      "\xED\xBF\xBF",      // a surrogate (U+DFFF)
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xF5\x80\x80\x80",  // never a lead byte
      "\xFE",
      "\xC3",          // cut short at the end
      "\xE6\x97",      // cut short
      "\xE6\x41\x41",  // a lead byte followed by ASCII
  };
  for (const char* b : bad) {
    EXPECT_FALSE(IsUtf8(b)) << Printable(b);
    EXPECT_FALSE(ValidateUtf8("x", b).ok()) << Printable(b);
    EXPECT_FALSE(ValidateUtf8("x", std::string("ok ") + b + " ok").ok()) << Printable(b);
  }
}

TEST(TextTest, PrintableKeepsOrdinaryText) {
  EXPECT_EQ(Printable("Northern Lights"), "Northern Lights");
  EXPECT_EQ(Printable("Björk 坂本 \xF0\x9F\x8E\xB5"), "Björk 坂本 \xF0\x9F\x8E\xB5");
  EXPECT_EQ(Printable(""), "");
}

TEST(TextTest, PrintableEscapesWhatATerminalWouldObey) {
  EXPECT_EQ(Printable("a\x1b[2Jb"), "a\\x1b[2Jb");  // ESC: clear screen
  EXPECT_EQ(Printable("a\nb\tc\rd"), "a\\nb\\tc\\rd");
  EXPECT_EQ(Printable(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(Printable("\x7f"), "\\x7f");
  EXPECT_EQ(Printable("\xC2\x9B"), "\\u009b");          // C1 CSI
  EXPECT_EQ(Printable("x\xE2\x80\xAEy"), "x\\u202ey");  // right-to-left override
  EXPECT_EQ(Printable("a\\x1b"), "a\\\\x1b");           // a literal backslash stays distinct
  std::string out = Printable("ab\xFF\xC0\xAF");
  EXPECT_EQ(out, "ab\\xff\\xc0\\xaf");
  EXPECT_TRUE(ValidateUtf8("printable", out).ok());
}

TEST(TextTest, PrintableCutsLongInputAndSaysHowLong) {
  std::string huge(10 * 1024 * 1024, 'a');
  std::string out = Printable(huge);
  EXPECT_EQ(out, std::string(200, 'a') + "...(10485760 bytes)");
  EXPECT_EQ(Printable("abcdef", 3), "abc...(6 bytes)");
  EXPECT_EQ(Printable("abc", 3), "abc");
  // The cut never splits a character: 'é' is two bytes and would end at byte 4.
  EXPECT_EQ(Printable("abcé", 4), "abc...(5 bytes)");
}

TEST(TextTest, PrintableOfAnyBytesIsValidUtf8WithoutControls) {
  std::string every;
  for (int i = 0; i < 256; ++i) every.push_back(static_cast<char>(i));
  std::string out = Printable(every + every, 1000);
  EXPECT_TRUE(ValidateUtf8("printable", out).ok());
  for (char c : out) {
    auto b = static_cast<unsigned char>(c);
    EXPECT_FALSE(b < 0x20 || b == 0x7f) << static_cast<int>(b);
  }
}

}  // namespace
}  // namespace tutti
