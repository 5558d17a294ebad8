// JSON catalogs, as an attacker would write them.
#include <gtest/gtest.h>

#include <string>

#include "tutti/import.h"
#include "tutti/text.h"

namespace tutti {
namespace {

Result<Catalog> Json(std::string_view text) {
  return ParseCatalog(text, "catalog.json", CatalogFormat::kJson);
}

std::string ErrorOf(std::string_view text) {
  auto c = Json(text);
  EXPECT_FALSE(c.ok()) << text.substr(0, 200);
  return c.ok() ? "" : c.status().message();
}

constexpr std::string_view kParty =
    R"({"type": "party", "id": "ava", "kind": "artist", "name": "Ava Lune"})";

TEST(CatalogJsonTest, ReadsAnArrayOfRecordsWithTheirOrigins) {
  std::string text = "[" + std::string(kParty) + R"(,
    {"type": "party", "id": "north", "kind": "label", "name": "Northstar"},
    {"type": "consent", "party": "ava", "scope": "all", "use": "voice", "allow": true,
     "at": "2026-03-01"},
    {"type": "license_end", "id": "E1", "license": "L1", "at": "2026-06-01"},
    {"type": "share_change", "right": "recording", "target": "R1", "from": "2026-07-01",
     "shares": [{"party": "north", "percent": 100}]}])";
  auto c = Json(text);
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->records.size(), 5u);
  ASSERT_EQ(c->origins.size(), 5u);
  EXPECT_EQ(c->origins[0], "catalog.json, record 1 ('ava')");
  EXPECT_EQ(c->origins[2], "catalog.json, record 3");  // a consent without an id yet
  EXPECT_EQ(RecordType(c->records[3]), "license_end");
  EXPECT_EQ(RecordType(c->records[4]), "share_change");
  auto records = ParseCatalogJson(text, "catalog.json");
  ASSERT_TRUE(records.ok());
  EXPECT_EQ(records->size(), 5u);
}

TEST(CatalogJsonTest, SectionsAreReadInKindOrderWithTypesImplied) {
  auto c = Json(R"({
    "license_ends": [{"license": "L1", "at": "2026-06-01"}],
    "works": [{"id": "W1", "title": "T", "shares": [{"party": "ava", "percent": "100"}]}],
    "parties": [{"id": "ava", "kind": "artist", "name": "Ava"},
                {"type": "party", "id": "b", "kind": "label", "name": "B"}]})");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->records.size(), 4u);
  EXPECT_EQ(RecordType(c->records[0]), "party");
  EXPECT_EQ(RecordType(c->records[2]), "work");
  EXPECT_EQ(RecordType(c->records[3]), "license_end");
  EXPECT_EQ(c->origins[1], "catalog.json, parties[1] ('b')");
  EXPECT_EQ(c->origins[3], "catalog.json, license_ends[0]");

  EXPECT_EQ(ErrorOf(R"({"parties": [{"type": "work", "id": "W1"}]})"),
            "catalog.json, parties[0]: type 'work' in section 'parties'");
  EXPECT_EQ(ErrorOf(R"({"artists": []})"),
            "catalog.json: unknown section 'artists' (expected parties, works, recordings, "
            "licenses, consents, license_ends, share_changes)");
  EXPECT_EQ(ErrorOf(R"({"parties": {}})"), "catalog.json: section 'parties' must be an array");
  EXPECT_EQ(ErrorOf(R"({"parties": 3})"), "catalog.json: section 'parties' must be an array");
  EXPECT_EQ(ErrorOf(R"({"parties": [], "parties": []})"),
            "catalog.json: section 'parties' appears twice");
  EXPECT_TRUE(Json("{}").ok());
  EXPECT_TRUE(Json("[]").ok());
}

TEST(CatalogJsonTest, ErrorsNameFileRecordIndexIdAndField) {
  std::string text = "[" + std::string(kParty) + R"(,
    {"type": "license", "id": "L1", "licensor": "a", "licensee": "b", "uses": "train",
     "territories": "WORLD", "from": "2026-01-01", "Until": "2027-01-01"}])";
  EXPECT_EQ(ErrorOf(text), "catalog.json, record 2: license 'L1': unknown field 'Until'");
  EXPECT_EQ(ErrorOf(R"([{"type": "party", "id": "p", "kind": "boss", "name": "P"}])")
                .rfind("catalog.json, record 1: party 'p', field 'kind': ", 0),
            0u);
  EXPECT_EQ(ErrorOf("[1]"), "catalog.json, record 1: a record must be a JSON object");
  // A repeated field would let a later value hide the first: "until" then null.
  EXPECT_EQ(ErrorOf("[" + std::string(kParty) + R"(, {"type": "party", "id": "b",
                "name": "B", "kind": "label", "name": "C"}])"),
            "catalog.json, record 2: field 'name' appears twice");
  EXPECT_EQ(ErrorOf(R"({"works": [{"id": "W1", "shares": [{"party": "a", "party": "b"}]}]})"),
            "catalog.json, works[0]: field 'party' appears twice");
  EXPECT_EQ(ErrorOf(R"({"parties": [[]]})"),
            "catalog.json, parties[0]: a record must be a JSON object");
  EXPECT_EQ(ErrorOf("\"x\""),
            "catalog.json: a catalog is a JSON array of records, or an object of sections "
            "(parties, works, recordings, licenses, consents, license_ends, share_changes)");
}

TEST(CatalogJsonTest, SyntaxErrorsGiveTheLineAndColumn) {
  std::string e = ErrorOf("[\n" + std::string(kParty) + ",\n  {\"type\": tru}]");
  EXPECT_EQ(e.rfind("catalog.json, line 3, column ", 0), 0u) << e;
  EXPECT_NE(e.find("invalid JSON"), std::string::npos) << e;
  e = ErrorOf("[" + std::string(kParty));  // cut short
  EXPECT_NE(e.find("line 1, column "), std::string::npos) << e;
  EXPECT_NE(ErrorOf("").find("invalid JSON"), std::string::npos);
  EXPECT_NE(ErrorOf("[] []").find("invalid JSON"), std::string::npos);  // trailing data
}

// Regression: 200,000 nested brackets overflowed the stack (exit 139).
TEST(CatalogJsonTest, NestingBombIsRefusedAtTheBracketThatGoesTooDeep) {
  std::string bomb = std::string(200'000, '[') + std::string(200'000, ']');
  EXPECT_EQ(ErrorOf(bomb), "catalog.json, line 1, column " + std::to_string(kMaxJsonDepth + 1) +
                               ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                               " levels");
  std::string objects = "[";
  for (int i = 0; i < 200'000; ++i) objects += "{\"a\":";
  EXPECT_NE(ErrorOf(objects).find("nested deeper than"), std::string::npos);
  // Inside a record, on a later line, after strings full of brackets that do not count.
  std::string line3 = R"({"type": "party", "name": "[[[{{{\"[", "id": )";
  std::string inner = "[\n" + std::string(kParty) + ",\n" + line3 + std::string(100'000, '[');
  // The record object is level 2: the bracket that makes level kMaxJsonDepth + 1 is refused.
  size_t column = line3.size() + (kMaxJsonDepth + 1 - 2);
  EXPECT_EQ(ErrorOf(inner), "catalog.json, line 3, column " + std::to_string(column) +
                                ": JSON nested deeper than " + std::to_string(kMaxJsonDepth) +
                                " levels");
}

TEST(CatalogJsonTest, DepthUpToTheLimitIsParsed) {
  // kMaxJsonDepth levels in all: refused for what the record is, not for its depth.
  int extra = kMaxJsonDepth - 2;  // the catalog array and the record object
  std::string value = std::string(extra, '[') + std::string(extra, ']');
  std::string e = ErrorOf(
      "[{\"type\": \"party\", \"id\": \"p\", \"kind\": \"artist\", \"name\": " + value + "}]");
  EXPECT_EQ(e, "catalog.json, record 1: party 'p': field 'name' must be a string");
  value = std::string(extra + 1, '[') + std::string(extra + 1, ']');
  e = ErrorOf("[{\"type\": \"party\", \"id\": \"p\", \"name\": " + value + "}]");
  EXPECT_NE(e.find("nested deeper than"), std::string::npos) << e;
}

// Regression: a number such as 1e400 anywhere aborted the process.
TEST(CatalogJsonTest, NumbersBeyondADoubleAreRefusedWithTheirPosition) {
  EXPECT_EQ(ErrorOf("1e400"),
            "catalog.json, line 1, column 1: invalid JSON: number overflow parsing '1e400'");
  std::string in_share = "[\n" + std::string(kParty) +
                         ",\n{\"type\": \"work\", \"id\": \"W1\", \"title\": \"T\", \"shares\": "
                         "[{\"party\": \"ava\", \"percent\": -1e400}]}]";
  std::string e = ErrorOf(in_share);
  EXPECT_EQ(e.rfind("catalog.json, line 3, column ", 0), 0u) << e;
  EXPECT_NE(e.find("number overflow parsing '-1e400'"), std::string::npos) << e;
  std::string digits = "[{\"x\": 1" + std::string(400, '0') + "}]";
  EXPECT_NE(ErrorOf(digits).find("number overflow"), std::string::npos);
  // Representable but absurd: refused as a percentage, by field.
  e = ErrorOf(
      R"([{"type": "work", "id": "W1", "title": "T", "shares": [{"party": "a", "percent": 1e300}]}])");
  EXPECT_NE(e.find("catalog.json, record 1: work 'W1', shares[0], field 'percent'"),
            std::string::npos)
      << e;
  // Tiny numbers are finite: not a parse error.
  EXPECT_EQ(ErrorOf("[1e-400]"), "catalog.json, record 1: a record must be a JSON object");
}

TEST(CatalogJsonTest, InvalidUtf8IsRefusedAndNeverEchoedRaw) {
  std::string text =
      "[{\"type\": \"party\", \"id\": \"p\", \"kind\": \"artist\", \"name\": \"A\xFF\x1b[2J\"}]";
  std::string e = ErrorOf(text);
  EXPECT_EQ(e.rfind("catalog.json, line 1, column ", 0), 0u) << e;
  EXPECT_TRUE(ValidateUtf8("message", e).ok()) << Printable(e);
  EXPECT_EQ(e.find('\x1b'), std::string::npos);
  // In a key too, and in the file name.
  EXPECT_FALSE(Json("[{\"\xC0\xAF\": 1}]").ok());
  auto named = ParseCatalog("[1]", "cat\x1b]0;pwned\x07.json", CatalogFormat::kJson);
  ASSERT_FALSE(named.ok());
  EXPECT_EQ(named.status().message().find('\x1b'), std::string::npos);
  EXPECT_NE(named.status().message().find("cat\\x1b]0;pwned\\x07.json"), std::string::npos);
}

TEST(CatalogJsonTest, ManyRecordsAreRead) {
  std::string text = "[";
  for (int i = 0; i < 20'000; ++i) {
    text += (i ? "," : "") + std::string(R"({"type": "party", "id": "p)") + std::to_string(i) +
            R"(", "kind": "artist", "name": "P"})";
  }
  text += "]";
  auto c = Json(text);
  ASSERT_TRUE(c.ok()) << c.status().message();
  EXPECT_EQ(c->records.size(), 20'000u);
  EXPECT_EQ(c->origins.back(), "catalog.json, record 20000 ('p19999')");
}

}  // namespace
}  // namespace tutti
