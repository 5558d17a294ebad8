#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "registry_fixture.h"
#include "tutti/record_json.h"
#include "tutti/text.h"

namespace tutti {
namespace {

using namespace tutti::testing;
using nlohmann::json;

LicenseEnd AnEnd() {
  LicenseEnd e;
  e.id = "E1";
  e.license = "L1";
  e.at = T("2026-06-01");
  e.reason = "catalog sold";
  return e;
}

ShareChange AChange() {
  ShareChange c;
  c.id = "S1";
  c.right = Right::kComposition;
  c.target = "W1";
  c.shares = {S("writer", 250'000), S("pub", 750'000, "WORLD,-JP")};
  c.from = T("2026-07-01");
  return c;
}

// One record of every kind, as the registry stores them.
std::vector<Record> EveryKind(Registry& reg) {
  BuildSmallRegistry(reg);
  License l = CatalogLicense("L1", "label", "train,voice", "WORLD,-US");
  l.until = T("2027-01-01");
  l.revenue_share = 333'333;
  l.catalog = false;
  l.recordings = {"R1"};
  Status added = reg.AddLicense(l);
  EXPECT_TRUE(added.ok()) << added.message();
  Consent c = Statement("artist", ConsentScope::kRecording, "R1", Use::kVoice, true,
                        "2026-01-01T10:00:00Z");
  c.id = "C1";
  EXPECT_TRUE(reg.AddConsent(c).ok());
  if (reg.licenses().empty() || reg.consents().empty()) return {};
  return {reg.parties()[0],  reg.works()[0],  reg.recordings()[0], reg.licenses()[0],
          reg.consents()[0], Record(AnEnd()), Record(AChange())};
}

TEST(RecordTest, EveryKindRoundTripsThroughJson) {
  Registry reg;
  std::vector<Record> records = EveryKind(reg);
  ASSERT_EQ(records.size(), std::variant_size_v<Record>);
  std::set<size_t> kinds;
  for (const Record& r : records) {
    kinds.insert(r.index());
    json j = RecordJson(r);
    EXPECT_EQ(j["type"], RecordType(r));
    auto back = RecordFromJson(j);
    ASSERT_TRUE(back.ok()) << back.status().message() << "\n" << j.dump();
    EXPECT_EQ(back->index(), r.index());
    EXPECT_EQ(RecordJson(*back), j);
    // And through text, as the audit log and import files hold it.
    auto reparsed = RecordFromJson(json::parse(j.dump()));
    ASSERT_TRUE(reparsed.ok()) << reparsed.status().message();
    EXPECT_EQ(RecordJson(*reparsed), j);
  }
  EXPECT_EQ(kinds.size(), std::variant_size_v<Record>);
}

// The JSON form is a contract (audit logs, import files): these are today's exact forms.
TEST(RecordTest, JsonFormOfEveryKindIsTheContract) {
  Registry reg;
  std::vector<Record> r = EveryKind(reg);
  ASSERT_EQ(r.size(), std::variant_size_v<Record>);
  EXPECT_EQ(RecordJson(r[0]), json::parse(R"({"type":"party","id":"label","kind":"label",
      "name":"Northstar Records","ipi":null})"));
  EXPECT_EQ(RecordJson(r[1]), json::parse(R"({"type":"work","id":"W1","title":"First Light",
      "iswc":"T-034.524.680-1","shares":[{"party":"writer","percent":"50","territories":"WORLD"},
      {"party":"pub","percent":"50","territories":"WORLD"}]})"));
  EXPECT_EQ(RecordJson(r[2]), json::parse(R"({"type":"recording","id":"R1","title":"First Light",
      "isrc":"USRC17607839","work":"W1","artists":["artist"],"shares":[{"party":"label",
      "percent":"100","territories":"WORLD"}],"audio":null,"midi":null})"));
  EXPECT_EQ(RecordJson(r[3]), json::parse(R"({"type":"license","id":"L1","licensor":"label",
      "licensee":"muse","uses":"train,voice","territories":"WORLD,-US",
      "from":"2026-01-01T00:00:00Z","until":"2027-01-01T00:00:00Z","catalog":false,
      "recordings":["R1"],"works":[],"revenue_share":"33.3333"})"));
  EXPECT_EQ(RecordJson(r[4]), json::parse(R"({"type":"consent","id":"C1","party":"artist",
      "scope":"recording","target":"R1","use":"voice","allow":true,
      "at":"2026-01-01T10:00:00Z"})"));
  EXPECT_EQ(RecordJson(r[5]), json::parse(R"({"type":"license_end","id":"E1","license":"L1",
      "at":"2026-06-01T00:00:00Z","reason":"catalog sold"})"));
  EXPECT_EQ(RecordJson(r[6]), json::parse(R"({"type":"share_change","id":"S1",
      "right":"composition","target":"W1","shares":[{"party":"writer","percent":"25",
      "territories":"WORLD"},{"party":"pub","percent":"75","territories":"WORLD,-JP"}],
      "from":"2026-07-01T00:00:00Z"})"));
  License open = CatalogLicense("L2", "label");
  EXPECT_TRUE(RecordJson(open)["until"].is_null());  // open-ended
}

TEST(RecordTest, IdsAreOptionalOnInputOnlyWhereAssignIdGivesThem) {
  auto consent = RecordFromJson({{"type", "consent"},
                                 {"party", "a"},
                                 {"scope", "all"},
                                 {"use", "train"},
                                 {"at", "2026-01-01"}});
  ASSERT_TRUE(consent.ok()) << consent.status().message();
  EXPECT_EQ(RecordId(*consent), "");
  EXPECT_EQ(RecordJson(*consent)["id"], "");  // written, as a string, always
  auto end = RecordFromJson({{"type", "license_end"}, {"license", "L1"}, {"at", "2026-02-01"}});
  ASSERT_TRUE(end.ok()) << end.status().message();
  auto party = RecordFromJson({{"type", "party"}, {"kind", "artist"}, {"name", "A"}});
  EXPECT_EQ(party.status().message(), "party: missing field 'id'");

  Registry reg;
  BuildSmallRegistry(reg);
  std::vector<Record> blank = {Party{},   Work{},       Recording{},  License{},
                               Consent{}, LicenseEnd{}, ShareChange{}};
  const char* prefixes = "PWRLCES";
  for (size_t i = 0; i < blank.size(); ++i) {
    AssignId(reg, blank[i]);
    EXPECT_EQ(RecordId(blank[i])[0], prefixes[i]) << RecordType(blank[i]);
  }
  Record named = Party{"keep", PartyKind::kArtist, "K", ""};
  AssignId(reg, named);
  EXPECT_EQ(RecordId(named), "keep");
}

TEST(RecordTest, TypesAndActionsOfEveryKind) {
  std::vector<Record> blank = {Party{},   Work{},       Recording{},  License{},
                               Consent{}, LicenseEnd{}, ShareChange{}};
  std::vector<std::string> types, actions;
  for (const Record& r : blank) {
    types.emplace_back(RecordType(r));
    actions.emplace_back(RecordAction(r));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"party", "work", "recording", "license", "consent",
                                             "license_end", "share_change"}));
  EXPECT_EQ(actions,
            (std::vector<std::string>{"party.add", "work.add", "recording.add", "license.add",
                                      "consent.set", "license.end", "shares.change"}));
}

TEST(RecordTest, ErrorsNameTheRecordAndField) {
  auto missing = RecordFromJson({{"type", "work"}, {"id", "W1"}, {"title", "X"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "work 'W1': missing field 'shares'");

  auto wrong = RecordFromJson({{"type", "recording"}, {"id", "R1"}, {"title", 5}});
  EXPECT_EQ(wrong.status().message(), "recording 'R1': field 'title' must be a string");

  auto share = RecordFromJson({{"type", "work"},
                               {"id", "W1"},
                               {"title", "X"},
                               {"shares", {{{"party", "a"}, {"percent", "150"}}}}});
  EXPECT_NE(share.status().message().find("work 'W1', shares[0]"), std::string::npos)
      << share.status().message();

  auto song = RecordFromJson({{"type", "song"}});
  EXPECT_EQ(song.status().message(),
            "record: unknown type 'song' (expected party, work, recording, license, consent, "
            "license_end or share_change)");
  EXPECT_FALSE(RecordFromJson(json::array()).ok());
  EXPECT_FALSE(RecordFromJson({{"type", 7}}).ok());
  auto scope = RecordFromJson({{"type", "consent"},
                               {"party", "a"},
                               {"scope", "recording"},
                               {"use", "train"},
                               {"at", "2026-01-01"}});
  EXPECT_NE(scope.status().message().find("needs a 'target'"), std::string::npos);
  auto bad_scope = RecordFromJson({{"type", "consent"},
                                   {"party", "a"},
                                   {"scope", "any"},
                                   {"use", "train"},
                                   {"at", "2026-01-01"}});
  EXPECT_NE(bad_scope.status().message().find("field 'scope'"), std::string::npos)
      << bad_scope.status().message();
  auto empty_time = RecordFromJson({{"type", "license_end"}, {"license", "L1"}, {"at", ""}});
  EXPECT_FALSE(empty_time.ok());  // a required time may not be blank
  json open = RecordJson(CatalogLicense("L1", "label"));
  open["until"] = "";  // an optional one may: open-ended, as it has always been read
  auto l = RecordFromJson(open);
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(std::get<License>(*l).until, kForever);
  json work = {{"type", "work"},
               {"id", "W1"},
               {"title", "X"},
               {"shares", {{{"party", "a"}, {"percent", "100"}, {"territories", ""}}}}};
  auto w = RecordFromJson(work);
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_TRUE(std::get<Work>(*w).shares[0].territories.IsWorld());
  auto right = RecordFromJson({{"type", "share_change"},
                               {"right", "master"},
                               {"target", "R1"},
                               {"shares", json::array()},
                               {"from", "2026-01-01"}});
  EXPECT_NE(right.status().message().find("field 'right'"), std::string::npos)
      << right.status().message();
}

TEST(RecordTest, UnknownFieldsAreRejectedByName) {
  json license = RecordJson(CatalogLicense("L1", "label"));
  license.erase("until");
  license["Until"] = "2027-01-01";  // misspelt: must not make the license open-ended
  std::string field;
  auto r = RecordFromJson(license, &field);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "license 'L1': unknown field 'Until'");
  EXPECT_EQ(field, "Until");

  json work = {{"type", "work"},
               {"id", "W1"},
               {"title", "X"},
               {"shares", {{{"party", "a"}, {"percent", "100"}, {"territory", "FR"}}}}};
  auto w = RecordFromJson(work, &field);
  EXPECT_EQ(w.status().message(), "work 'W1', shares[0]: unknown field 'territory'");
  EXPECT_EQ(field, "shares");

  work["shares"][0].erase("territory");
  work["shares"][0]["type"] = "party";  // "type" belongs to records, not to shares
  EXPECT_EQ(RecordFromJson(work).status().message(), "work 'W1', shares[0]: unknown field 'type'");
  // A key with control characters is echoed safely.
  auto esc = RecordFromJson({{"type", "party"}, {"id", "p"}, {"\x1b[2J", 1}});
  EXPECT_EQ(esc.status().message(), "party 'p': unknown field '\\x1b[2J'");
  // Every kind rejects them, the new ones too.
  for (const Record& blank : {Record(Consent{}), Record(AnEnd()), Record(AChange())}) {
    json j = RecordJson(blank);
    j["extra"] = true;
    auto bad = RecordFromJson(j);
    EXPECT_NE(bad.status().message().find("unknown field 'extra'"), std::string::npos)
        << bad.status().message();
  }
  auto ok = RecordFromJson(RecordJson(CatalogLicense("L1", "label")), &field);
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(field, "");
}

TEST(RecordTest, InvalidUtf8IsRefusedNamingRecordAndField) {
  // A json built in the process (from CSV cells, say) may hold any bytes.
  json party = {{"type", "party"}, {"id", "p1"}, {"kind", "artist"}, {"name", "Ava\xFF"}};
  std::string field;
  auto r = RecordFromJson(party, &field);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "party 'p1', field 'name': not valid UTF-8 (byte 0xff at offset 3)");
  EXPECT_EQ(field, "name");

  json bad_id = {{"type", "party"}, {"id", "p\xC0"}, {"kind", "artist"}, {"name", "A"}};
  auto id = RecordFromJson(bad_id);
  EXPECT_EQ(id.status().message(),
            "party 'p\\xc0', field 'id': not valid UTF-8 (byte 0xc0 at offset 1)");
  EXPECT_TRUE(ValidateUtf8("message", id.status().message()).ok());

  Registry reg;
  BuildSmallRegistry(reg);
  size_t parties = reg.parties().size();
  Status s = AddRecord(reg, Party{"p2", PartyKind::kArtist, "bad \xE2\x82", ""});
  EXPECT_EQ(s.message(), "party 'p2', field 'name': not valid UTF-8 (byte 0xe2 at offset 4)");
  EXPECT_EQ(reg.parties().size(), parties);

  Recording rec{"R9", "T", "", "W1", {"artist", "x\x80"}, {S("label", kWhole)}, "", ""};
  EXPECT_EQ(AddRecord(reg, rec).message(),
            "recording 'R9', field 'artists[1]': not valid UTF-8 (byte 0x80 at offset 1)");
  rec.artists = {"artist"};
  rec.shares = {S("lab\xFE", kWhole)};
  EXPECT_EQ(AddRecord(reg, rec).message(),
            "recording 'R9', shares[0], field 'party': not valid UTF-8 (byte 0xfe at offset 3)");
  rec.shares = {S("label", kWhole)};
  rec.audio_path = "/srv/\xED\xA0\x80.flac";  // a surrogate
  EXPECT_FALSE(AddRecord(reg, rec).ok());
  EXPECT_EQ(reg.FindRecording("R9"), nullptr);

  Consent c = Statement("artist", ConsentScope::kAll, "", Use::kTrain, true, "2026-01-01");
  c.id = "C\xFF";
  EXPECT_NE(AddRecord(reg, c).message().find("field 'id'"), std::string::npos);
  LicenseEnd e = AnEnd();
  e.reason = "\xC3(";
  EXPECT_NE(ValidateRecordText(e).message().find("license_end 'E1', field 'reason'"),
            std::string::npos);
  Registry fresh;
  for (const Record& good : EveryKind(fresh)) EXPECT_TRUE(ValidateRecordText(good).ok());
}

TEST(RecordTest, PercentagesMayBeNumbers) {
  auto w = RecordFromJson(
      {{"type", "work"},
       {"id", "W1"},
       {"title", "X"},
       {"shares",
        {{{"party", "a"}, {"percent", 33.3333}}, {{"party", "b"}, {"percent", 66.6667}}}}});
  ASSERT_TRUE(w.ok()) << w.status().message();
  EXPECT_EQ(std::get<Work>(*w).shares[0].ppm, 333'333);
  EXPECT_EQ(std::get<Work>(*w).shares[1].ppm, 666'667);
}

TEST(RecordTest, NumbersThatAreNotPercentagesAreRefused) {
  auto work_with = [](json percent) {
    return RecordFromJson({{"type", "work"},
                           {"id", "W1"},
                           {"title", "X"},
                           {"shares", {{{"party", "a"}, {"percent", std::move(percent)}}}}});
  };
  const double kInf = std::numeric_limits<double>::infinity();
  for (json bad : {json(1e300), json(-1e300), json(kInf), json(-kInf), json(std::nan("")),
                   json(1e-300), json(18446744073709551615ull), json(-9223372036854775807ll),
                   json(true), json::array(), json::object()}) {
    auto r = work_with(bad);
    EXPECT_FALSE(r.ok()) << bad.dump();
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("work 'W1', shares[0]"), std::string::npos)
          << r.status().message();
    }
  }
  EXPECT_TRUE(work_with(100).ok());
  EXPECT_TRUE(work_with(json(100u)).ok());
  json license = RecordJson(CatalogLicense("L1", "label"));
  license["revenue_share"] = 1e300;
  EXPECT_NE(RecordFromJson(license).status().message().find("field 'revenue_share'"),
            std::string::npos);
  license["revenue_share"] = 12.5;
  auto l = RecordFromJson(license);
  ASSERT_TRUE(l.ok()) << l.status().message();
  EXPECT_EQ(std::get<License>(*l).revenue_share, 125'000);
  license["from"] = "2026-01-01\x1b[2J";  // parsers quote what they refuse: made printable
  std::string message = RecordFromJson(license).status().message();
  EXPECT_EQ(message.find('\x1b'), std::string::npos) << message;
  EXPECT_NE(message.find("license 'L1', field 'from': invalid time '2026-01-01\\x1b[2J'"),
            std::string::npos)
      << message;
  license["from"] = std::string(1 << 20, '9');  // and shortened
  EXPECT_LT(RecordFromJson(license).status().message().size(), 1000u);
  license["territories"] = "FR,\x1b";
  license["from"] = "2026-01-01";
  EXPECT_EQ(RecordFromJson(license).status().message().find('\x1b'), std::string::npos);
  license["territories"] = "WORLD";
  license["from"] = 20260101;  // a time is text
  EXPECT_EQ(RecordFromJson(license).status().message(),
            "license 'L1': field 'from' must be a time (ISO 8601)");
}

json Nested(size_t depth) {
  json v = "x";
  for (size_t i = 0; i < depth; ++i) {
    json a = json::array();
    a.push_back(std::move(v));
    v = std::move(a);
  }
  return v;
}

TEST(RecordTest, DeeplyNestedValuesAreRefusedWithoutRecursion) {
  json rec = RecordJson(Party{"p", PartyKind::kArtist, "A", ""});
  rec["name"] = Nested(100'000);
  EXPECT_EQ(RecordFromJson(rec).status().message(), "party 'p': field 'name' must be a string");
  rec = {{"type", "recording"}, {"id", "R1"}, {"title", "T"}, {"work", "W1"}};
  rec["artists"] = Nested(100'000);
  EXPECT_EQ(RecordFromJson(rec).status().message(),
            "recording 'R1': field 'artists' must be a list of strings");
  rec["artists"] = "solo";  // one artist may be written bare
  rec["shares"] = json::array({Nested(100'000)});
  EXPECT_NE(RecordFromJson(rec).status().message().find("field 'shares' must be a list"),
            std::string::npos);
}

TEST(RecordTest, ConsentKeysDoNotCollide) {
  Consent a = Statement("p|all|", ConsentScope::kAll, "", Use::kTrain, true, "2026-01-01");
  Consent b = Statement("p", ConsentScope::kAll, "|all|", Use::kTrain, true, "2026-01-01");
  Consent c = Statement("p", ConsentScope::kAll, "", Use::kTrain, true, "2026-01-01");
  Consent d = c;
  d.id = "C9";  // the id is not part of the key
  EXPECT_NE(RecordKey(a), RecordKey(b));
  EXPECT_NE(RecordKey(a), RecordKey(c));
  EXPECT_EQ(RecordKey(c), RecordKey(d));
  Consent e = c;
  e.use = Use::kVoice;
  EXPECT_NE(RecordKey(c), RecordKey(e));
  // A license ends once; a right changes once at a time: ids apart, the keys say so.
  LicenseEnd end = AnEnd();
  LicenseEnd again = end;
  again.id = "E2";
  EXPECT_EQ(RecordKey(Record(end)), RecordKey(Record(again)));
  EXPECT_NE(RecordKey(Record(end)), RecordKey(Record(Party{"P1", PartyKind::kArtist, "A", ""})));
  ShareChange sale{"S1", Right::kRecording, "R1", {}, 100};
  ShareChange same_day = sale;
  same_day.id = "S2";
  ShareChange composition = sale;
  composition.right = Right::kComposition;
  EXPECT_EQ(RecordKey(Record(sale)), RecordKey(Record(same_day)));
  EXPECT_NE(RecordKey(Record(sale)), RecordKey(Record(composition)));
}

TEST(RecordTest, StoredRecordIsTheRegistrysCopy) {
  Registry reg;
  BuildSmallRegistry(reg);
  Record rec =
      Recording{"R2", "T", "us-rc1-76-07840", "W1", {"artist"}, {S("label", kWhole)}, "", ""};
  ASSERT_TRUE(AddRecord(reg, rec).ok());
  EXPECT_EQ(std::get<Recording>(StoredRecord(reg, rec)).isrc, "USRC17607840");  // canonical
  Consent first = Statement("artist", ConsentScope::kAll, "", Use::kTrain, true, "2026-01-01");
  Consent second = Statement("artist", ConsentScope::kAll, "", Use::kVoice, true, "2026-01-01");
  first.id = "C1";
  second.id = "C2";
  ASSERT_TRUE(AddRecord(reg, first).ok());
  ASSERT_TRUE(AddRecord(reg, second).ok());
  EXPECT_EQ(RecordId(StoredRecord(reg, first)), "C1");  // by id, not the newest
}

TEST(RecordTest, StoredRecordOfARecordNotTakenIsItself) {
  Registry reg;
  Record party = Party{"ghost", PartyKind::kArtist, "G", ""};
  EXPECT_EQ(RecordJson(StoredRecord(reg, party)), RecordJson(party));
  Record end = AnEnd();
  EXPECT_EQ(RecordJson(StoredRecord(reg, end)), RecordJson(end));
}

TEST(RecordTest, KindsDescribeEveryFieldOnceAndAlike) {
  auto kinds = RecordForms();
  ASSERT_EQ(kinds.size(), std::variant_size_v<Record>);
  std::vector<Record> blank = {Party{},   Work{},       Recording{},  License{},
                               Consent{}, LicenseEnd{}, ShareChange{}};
  std::map<std::string_view, FieldShape> shapes;
  for (size_t k = 0; k < kinds.size(); ++k) {
    EXPECT_EQ(kinds[k].type, RecordType(blank[k]));
    json written = RecordJson(blank[k]);
    EXPECT_EQ(written.size(), kinds[k].fields.size() + 1);  // + "type"
    std::set<std::string_view> names;
    for (const RecordField& f : kinds[k].fields) {
      EXPECT_TRUE(names.insert(f.name).second) << f.name;
      EXPECT_TRUE(written.contains(std::string(f.name))) << f.name;
      // A name means one shape in every kind: the CSV importer has one column per name.
      auto [it, inserted] = shapes.emplace(f.name, f.shape);
      EXPECT_EQ(it->second, f.shape) << f.name;
    }
  }
  EXPECT_EQ(kinds[5].section, "license_ends");
  EXPECT_EQ(kinds[6].section, "share_changes");
}

}  // namespace
}  // namespace tutti
