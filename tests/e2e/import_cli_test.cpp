// tutti import: whole catalogs from JSON and CSV, all or nothing.
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace tutti::testing {
namespace {

constexpr const char* kCsvHeader =
    "type,id,kind,name,title,iswc,isrc,work,artists,shares,licensor,licensee,uses,territories,"
    "from,catalog,party,scope,target,use,allow,at\n";

std::string CsvCatalog() {
  return std::string(kCsvHeader) +
         "party,label,label,Northstar Records,,,,,,,,,,,,,,,,,,\n"
         "party,writer,songwriter,Lena Ortiz,,,,,,,,,,,,,,,,,,\n"
         "party,ava,artist,Ava Lune,,,,,,,,,,,,,,,,,,\n"
         "party,muse,product,Muse AI,,,,,,,,,,,,,,,,,,\n"
         "work,W1,,,\"Northern Lights, Part 1\",T-034.524.680-1,,,,writer=100,,,,,,,,,,,,\n"
         "recording,R1,,,Northern "
         "Lights,,US-RC1-76-07839,W1,ava,label=60;writer=40@WORLD,,,,,,,,,,,,\n"
         "license,L1,,,,,,,,,label,muse,train,\"WORLD,-US\",2026-01-01,true,,,,,,\n"
         "license,L2,,,,,,,,,writer,muse,train,WORLD,2026-01-01,yes,,,,,,\n"
         "consent,,,,,,,,,,,,,,,,ava,recording,R1,train,deny,2026-05-01T00:00:00Z\n";
}

class ImportCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    Ok({"init"});
  }

  void ExpectImportFails(const std::string& file, const std::string& needle) {
    std::string before = Snapshot();
    CliResult r = Run({"import", Path(file)});
    EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << "stderr: " << r.err;
    EXPECT_EQ(Snapshot(), before);
  }
};

TEST_F(ImportCliTest, ImportsACsvCatalog) {
  Write("catalog.csv", CsvCatalog());
  CliResult r = Ok({"import", Path("catalog.csv")});
  EXPECT_NE(r.out.find("imported 9 records"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");  // no terminal watching: no progress line
  CliResult allow = Run({"check", "--use", "train", "--recording", "R1", "--product", "muse",
                         "--territory", "FR", "--at", "2026-04-01"});
  EXPECT_EQ(allow.exit_code, 0) << allow.out;
  CliResult deny = Run({"check", "--use", "train", "--recording", "R1", "--product", "muse",
                        "--territory", "FR", "--at", "2026-06-01"});
  EXPECT_EQ(deny.exit_code, 1) << deny.out;
  EXPECT_NE(Ok({"audit", "verify"}).out.find("9 entries"), std::string::npos);
}

TEST_F(ImportCliTest, ImportsAJsonCatalogInSections) {
  nlohmann::json doc = {
      {"parties",
       {{{"id", "label"}, {"kind", "label"}, {"name", "Northstar"}},
        {{"id", "ava"}, {"kind", "artist"}, {"name", "Ava"}},
        {{"id", "muse"}, {"kind", "product"}, {"name", "Muse"}}}},
      {"works",
       {{{"id", "W1"}, {"title", "T"}, {"shares", {{{"party", "label"}, {"percent", 100}}}}}}},
      {"recordings",
       {{{"id", "R1"},
         {"title", "T"},
         {"work", "W1"},
         {"artists", {"ava"}},
         {"shares", {{{"party", "label"}, {"percent", "100"}}}}}}},
      {"licenses",
       {{{"id", "L1"},
         {"licensor", "label"},
         {"licensee", "muse"},
         {"uses", "train"},
         {"territories", "WORLD"},
         {"from", "2026-01-01"},
         {"catalog", true}}}}};
  Write("catalog.json", doc.dump());
  CliResult r = Run({"import", Path("catalog.json"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["imported"], 6);
  EXPECT_EQ(Run({"check", "--use", "train", "--recording", "R1", "--product", "muse", "--territory",
                 "FR"})
                .exit_code,
            0);
}

TEST_F(ImportCliTest, OneBadRecordImportsNothing) {
  std::string csv = CsvCatalog();
  csv += "recording,R2,,,Broken,,,W404,ava,label=100,,,,,,,,,,,,\n";
  Write("bad.csv", csv);
  ExpectImportFails("bad.csv", "recording 'R2': unknown work 'W404'");
}

TEST_F(ImportCliTest, MalformedFilesAreNamedWithWhere) {
  Write("broken.json", "[{\"type\": \"party\", \"id\": \"a\",\n \"kind\": }]");
  ExpectImportFails("broken.json", "invalid JSON");
  ExpectImportFails("broken.json", "line 2");

  Write("fields.json", R"([{"type":"party","id":"a","kind":"label","name":"A"},
                          {"type":"party","id":"b","kind":"label"}])");
  ExpectImportFails("fields.json", "record 2: party 'b': missing field 'name'");

  Write("unterminated.csv",
        std::string(kCsvHeader) + "party,a,label,\"Unclosed,,,,,,,,,,,,,,,,,,\n");
  ExpectImportFails("unterminated.csv", "invalid CSV");

  Write("columns.csv", "type,id,colour\nparty,a,red\n");
  ExpectImportFails("columns.csv", "unknown column 'colour'");

  Write("short.csv", "type,id,kind,name\nparty,a,label\n");
  ExpectImportFails("short.csv", "row 2: 3 cells, the header has 4");

  Write("shares.csv", std::string(kCsvHeader) +
                          "party,w,songwriter,W,,,,,,,,,,,,,,,,,,\n"
                          "work,W1,,,T,,,,,w=99,,,,,,,,,,,,\n");
  ExpectImportFails("shares.csv", "sum to 99%, not 100%");

  ExpectImportFails("missing.csv", "No such file");
  Write("empty.csv", "");
  ExpectImportFails("empty.csv", "header row is missing");
}

}  // namespace
}  // namespace tutti::testing
