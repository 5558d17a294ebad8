#include "tutti/record.h"

#include <gtest/gtest.h>

#include "registry_fixture.h"

namespace tutti {
namespace {

using namespace tutti::testing;

TEST(RecordTest, EveryKindRoundTripsThroughJson) {
  Registry reg;
  BuildSmallRegistry(reg);
  License l = CatalogLicense("L1", "label", "train,voice", "WORLD,-US");
  l.until = T("2027-01-01");
  l.revenue_share = 333'333;
  ASSERT_TRUE(reg.AddLicense(l).ok());
  ASSERT_TRUE(reg.AddConsent(Statement("artist", ConsentScope::kRecording, "R1", Use::kVoice, true,
                                       "2026-01-01T10:00:00Z"))
                  .ok());
  std::vector<Record> records = {reg.parties()[0], reg.works()[0], reg.recordings()[0],
                                 reg.licenses()[0], reg.consents()[0]};
  for (const Record& r : records) {
    nlohmann::json j = RecordJson(r);
    auto back = RecordFromJson(j);
    ASSERT_TRUE(back.ok()) << back.status().message() << "\n" << j.dump();
    EXPECT_EQ(RecordJson(*back), j);
  }
  EXPECT_EQ(RecordJson(records[3])["revenue_share"], "33.3333");
  EXPECT_EQ(RecordJson(records[1])["iswc"], "T-034.524.680-1");
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

  EXPECT_FALSE(RecordFromJson({{"type", "song"}}).ok());
  EXPECT_FALSE(RecordFromJson(nlohmann::json::array()).ok());
  auto scope = RecordFromJson({{"type", "consent"},
                               {"party", "a"},
                               {"scope", "recording"},
                               {"use", "train"},
                               {"at", "2026-01-01"}});
  EXPECT_NE(scope.status().message().find("needs a 'target'"), std::string::npos);
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
}

}  // namespace
}  // namespace tutti
