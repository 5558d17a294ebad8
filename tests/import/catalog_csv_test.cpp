// CSV catalogs, as an attacker would write them.
#include <gtest/gtest.h>

#include <string>

#include "tutti/import.h"
#include "tutti/record_json.h"
#include "tutti/text.h"

namespace tutti {
namespace {

Result<Catalog> Csv(std::string_view text) {
  return ParseCatalog(text, "catalog.csv", CatalogFormat::kCsv);
}

std::string ErrorOf(std::string_view text) {
  auto c = Csv(text);
  EXPECT_FALSE(c.ok()) << text.substr(0, 200);
  return c.ok() ? "" : c.status().message();
}

constexpr std::string_view kHeader = "type,id,kind,name,title,work,artists,shares,isrc\n";

TEST(CatalogCsvTest, ReadsRowsWithTheirOrigins) {
  std::string text = std::string(kHeader) +
                     "party,a,label,A,,,,,\n"
                     "party,b,artist,B,,,,,\n"
                     "work,W1,,,T,,,\"a=50@WORLD,-JP;b=50@JP;a=50@JP\",\n"
                     "recording,R1,,,T,W1,b; a ,a=100,US-RC1-76-07839\n";
  auto c = Csv(text);
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->records.size(), 4u);
  EXPECT_EQ(c->origins[0], "catalog.csv, row 2 ('a')");
  EXPECT_EQ(c->origins[3], "catalog.csv, row 5 ('R1')");
  const auto& rec = std::get<Recording>(c->records[3]);
  EXPECT_EQ(rec.artists, (std::vector<std::string>{"b", "a"}));
  const auto& work = std::get<Work>(c->records[2]);
  ASSERT_EQ(work.shares.size(), 3u);
  EXPECT_EQ(work.shares[0].territories.ToString(), "WORLD,-JP");
}

TEST(CatalogCsvTest, RowsAreNumberedAsLinesOfTheFile) {
  // A blank line, CRLF endings and a cell spanning two lines: row numbers stay line numbers.
  std::string text = std::string("type,id,kind,name\r\n") +
                     "party,a,label,A\r\n"
                     "\r\n"
                     "party,b,artist,\"two\nlines\"\r\n"
                     "party,c,boss,C\r\n";
  std::string e = ErrorOf(text);
  EXPECT_EQ(e.rfind("catalog.csv, row 6, column 'kind': party 'c', field 'kind': ", 0), 0u) << e;
}

TEST(CatalogCsvTest, ErrorsNameRowAndColumn) {
  std::string h = "type,id,licensor,licensee,uses,territories,from,until,catalog\n";
  EXPECT_EQ(ErrorOf(h + "license,L1,a,b,train,WORLD,2026-01-01,,maybe\n"),
            "catalog.csv, row 2, column 'catalog': must be true or false, not 'maybe'");
  std::string e = ErrorOf(h + "license,L1,a,b,train,WORLD,2026-01-01,soon,\n");
  EXPECT_EQ(e.rfind("catalog.csv, row 2, column 'until': license 'L1', field 'until': ", 0), 0u)
      << e;
  // A cell the row's kind does not have.
  EXPECT_EQ(ErrorOf("type,id,kind,name,title\nparty,p,artist,P,Song\n"),
            "catalog.csv, row 2, column 'title': party 'p': unknown field 'title'");
  EXPECT_EQ(ErrorOf("type,id,kind,name\nparty,p,,P\n"),
            "catalog.csv, row 2, column 'kind': party 'p': missing field 'kind'");
  EXPECT_EQ(ErrorOf("type,id,kind,name\n,p,artist,P\n").rfind("catalog.csv, row 2, column 'type'"),
            0u);
  EXPECT_EQ(ErrorOf("type,id,kind,name\nparty,p,artist\n"),
            "catalog.csv, row 2: 3 cells, the header has 4");
  std::string shares = ErrorOf("type,id,title,shares\nwork,W1,T,a50\n");
  EXPECT_EQ(shares,
            "catalog.csv, row 2, column 'shares': share 'a50' must be PARTY=PERCENT[@TERRITORIES]");
}

TEST(CatalogCsvTest, HeaderIsChecked) {
  EXPECT_EQ(ErrorOf("type,id,nmae\n"),
            "catalog.csv, row 1 (the header): unknown column 'nmae' (column 3)");
  EXPECT_EQ(ErrorOf("type,id,id\n"), "catalog.csv, row 1 (the header): column 'id' appears twice");
  EXPECT_EQ(ErrorOf("id,kind,name\np,artist,P\n"),
            "catalog.csv, row 1 (the header): no 'type' column");
  EXPECT_EQ(ErrorOf(""), "catalog.csv: empty CSV: the header row is missing");
  EXPECT_EQ(ErrorOf("type,\x1b[31mred\n"),
            "catalog.csv, row 1 (the header): unknown column '\\x1b[31mred' (column 2)");
  // A byte order mark, as spreadsheets write it, is not part of the first column's name.
  auto bom = Csv("\xEF\xBB\xBFtype,id,kind,name\nparty,p,artist,P\n");
  ASSERT_TRUE(bom.ok()) << bom.status().message();
  EXPECT_EQ(bom->records.size(), 1u);
}

TEST(CatalogCsvTest, BadCsvSyntaxNamesTheLine) {
  std::string e = ErrorOf("type,id,kind,name\nparty,p,artist,\"open\n");
  EXPECT_EQ(e.rfind("catalog.csv, line 2: invalid CSV", 0), 0u) << e;
  e = ErrorOf("type,id,kind,name\nparty,p,art\"ist,P\n");
  EXPECT_EQ(e.rfind("catalog.csv, line 2: invalid CSV", 0), 0u) << e;
}

// Regression: invalid UTF-8 in a cell aborted the process when the record was printed.
TEST(CatalogCsvTest, InvalidUtf8CellsAreRefusedByRowAndColumn) {
  EXPECT_EQ(ErrorOf("type,id,kind,name\nparty,p,artist,Ava\xFF\n"),
            "catalog.csv, row 2, column 'name': not valid UTF-8 (byte 0xff at offset 3)");
  EXPECT_EQ(ErrorOf("type,id,kind,name\nparty,\xC0\xAF,artist,A\n"),
            "catalog.csv, row 2, column 'id': not valid UTF-8 (byte 0xc0 at offset 0)");
  std::string e = ErrorOf("type,id,title,shares\nwork,W1,T,\xED\xA0\x80=100\n");
  EXPECT_EQ(e, "catalog.csv, row 2, column 'shares': not valid UTF-8 (byte 0xed at offset 0)");
  e = ErrorOf("type,id,n\xFF\n");
  EXPECT_TRUE(ValidateUtf8("message", e).ok()) << Printable(e);
}

// CSV has a natural place for the new kinds: their fields are columns like any other.
TEST(CatalogCsvTest, LicenseEndsAndShareChangesAreRows) {
  auto c =
      Csv("type,id,license,at,reason,right,target,shares,from\n"
          "license_end,,L1,2026-06-01,\"sold, with everything\",,,,\n"
          "share_change,S7,,,,composition,W1,\"pub=75@WORLD,-JP;writer=25\",2026-07-01\n");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->records.size(), 2u);
  const auto& end = std::get<LicenseEnd>(c->records[0]);
  EXPECT_EQ(end.license, "L1");
  EXPECT_EQ(end.reason, "sold, with everything");
  EXPECT_EQ(c->origins[0], "catalog.csv, row 2");
  const auto& change = std::get<ShareChange>(c->records[1]);
  EXPECT_EQ(change.right, Right::kComposition);
  ASSERT_EQ(change.shares.size(), 2u);
  EXPECT_EQ(change.shares[0].ppm, 750'000);
  EXPECT_EQ(c->origins[1], "catalog.csv, row 3 ('S7')");
}

TEST(CatalogCsvTest, EveryFieldOfEveryKindIsAColumn) {
  std::string header = "type";
  for (const RecordForm& kind : RecordForms()) {
    for (const RecordField& f : kind.fields) {
      if (header.find("," + std::string(f.name) + ",") == std::string::npos &&
          !header.ends_with("," + std::string(f.name))) {
        header += "," + std::string(f.name);
      }
    }
  }
  auto c = Csv(header + "\n");
  EXPECT_TRUE(c.ok()) << c.status().message();
}

}  // namespace
}  // namespace tutti
