// Rights that change over time, stable ids, signed checkpoints and exit codes, on the real
// binary and a real store (SQLite, and PostgreSQL when ctest runs the pg. variant).
#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace tutti::testing {
namespace {

using nlohmann::json;

class ChangeCliTest : public CliTest {
 protected:
  void BuildRegistry() {
    Ok({"init"});
    Ok({"party", "add", "--kind", "label", "--name", "Northstar", "--id", "label"});
    Ok({"party", "add", "--kind", "label", "--name", "Buyer Music", "--id", "buyer"});
    Ok({"party", "add", "--kind", "publisher", "--name", "Meridian", "--id", "pub"});
    Ok({"party", "add", "--kind", "artist", "--name", "Ava Lune", "--id", "ava"});
    Ok({"party", "add", "--kind", "product", "--name", "Muse AI", "--id", "muse"});
    Ok({"work", "add", "--title", "Northern Lights", "--id", "W1", "--share", "pub=100"});
    Ok({"recording", "add", "--title", "Northern Lights", "--id", "R1", "--work", "W1", "--artist",
        "ava", "--share", "label=100"});
    Ok({"license", "add", "--id", "L-label", "--licensor", "label", "--licensee", "muse", "--use",
        "train", "--territory", "WORLD", "--from", "2026-01-01", "--catalog"});
    Ok({"license", "add", "--id", "L-pub", "--licensor", "pub", "--licensee", "muse", "--use",
        "train", "--territory", "WORLD", "--from", "2026-01-01", "--catalog"});
  }

  int Check(const char* at) {
    return Run({"check", "--use", "train", "--recording", "R1", "--product", "muse", "--territory",
                "FR", "--at", at})
        .exit_code;
  }
};

TEST_F(ChangeCliTest, LicenseEndDeniesFromThenOnAndKeepsThePast) {
  BuildRegistry();
  EXPECT_EQ(Check("2026-06-01"), 0);
  CliResult end = Ok({"license", "end", "L-label", "--at", "2026-07-01", "--reason",
                      "contract renegotiated", "--json"});
  EXPECT_EQ(json::parse(end.out)["type"], "license_end") << end.out;
  EXPECT_EQ(Check("2026-06-01"), 0) << "history is kept: before the end, the license held";
  EXPECT_EQ(Check("2026-08-01"), 1);
  ExpectRejected({"license", "end", "L-nope", "--at", "2026-07-01"}, "L-nope");
  ExpectRejected({"license", "end", "L-label", "--at", "2026-09-01"}, "L-label");
}

TEST_F(ChangeCliTest, ShareChangeTakesEffectFromItsDate) {
  BuildRegistry();
  // The catalog is sold to a buyer who licensed nothing: from the sale on, training is denied.
  Ok({"recording", "shares", "R1", "--share", "buyer=100", "--from", "2026-09-01"});
  EXPECT_EQ(Check("2026-08-01"), 0);
  EXPECT_EQ(Check("2026-10-01"), 1);
  CliResult why = Run({"check", "--use", "train", "--recording", "R1", "--product", "muse",
                       "--territory", "FR", "--at", "2026-10-01"});
  EXPECT_NE(why.out.find("buyer"), std::string::npos) << why.out;
  // A work's publishing changes too, and shares must still sum to 100%.
  ExpectRejected({"work", "shares", "W1", "--share", "pub=60", "--from", "2027-01-01"}, "100%");
  Ok({"work", "shares", "W1", "--share", "pub=60", "--share", "buyer=40", "--from", "2027-01-01"});
  ExpectRejected({"recording", "shares", "R-none", "--share", "buyer=100", "--from", "2027-01-01"},
                 "R-none");
}

TEST_F(ChangeCliTest, ConsentStatementsHaveStableIdsAndDecisionsCiteThem) {
  BuildRegistry();
  CliResult set = Ok({"consent", "set", "--party", "ava", "--all", "--use", "train", "--deny",
                      "--at", "2026-05-01", "--json"});
  std::string id = json::parse(set.out)["id"];
  EXPECT_FALSE(id.empty());
  CliResult check = Run({"check", "--use", "train", "--recording", "R1", "--product", "muse",
                         "--territory", "FR", "--at", "2026-06-01", "--json"});
  EXPECT_EQ(check.exit_code, 1);
  json decision = json::parse(check.out);
  EXPECT_GT(decision["registry_version"].get<int64_t>(), 0) << check.out;
  EXPECT_NE(check.out.find("\"" + id + "\""), std::string::npos)
      << "the deny cites the statement by id: " << check.out;
  CliResult list = Ok({"consent", "list", "--json"});
  EXPECT_EQ(json::parse(list.out)[0]["id"], id);
}

TEST_F(ChangeCliTest, SignedCheckpointCatchesARewrittenHistoryAndAnotherPartysKey) {
  BuildRegistry();
  std::string checkpoint = Path("checkpoint.json");
  Ok({"audit", "checkpoint", "--out", checkpoint});
  Ok({"party", "add", "--kind", "artist", "--name", "Later", "--id", "later"});
  CliResult verify = Run({"audit", "verify", "--checkpoint", checkpoint});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  // A forged checkpoint: another party's key signed it.
  CliResult other = Run({"--db", db_, "--key", Path("other.key"), "init"}, /*with_db=*/false);
  ASSERT_EQ(other.exit_code, 0) << other.err;
  std::string forged = Path("forged.json");
  CliResult signed_by_other =
      Run({"--db", db_, "--key", Path("other.key"), "audit", "checkpoint", "--out", forged}, false);
  ASSERT_EQ(signed_by_other.exit_code, 0) << signed_by_other.err;
  CliResult bad = Run({"audit", "verify", "--checkpoint", forged});
  EXPECT_EQ(bad.exit_code, 1) << bad.out << bad.err;
  // A checkpoint file that is not one.
  Write("junk.json", "{\"seq\": 1}");
  CliResult junk = Run({"audit", "verify", "--checkpoint", Path("junk.json")});
  EXPECT_EQ(junk.exit_code, 2) << junk.out << junk.err;
}

TEST_F(ChangeCliTest, AnUnreachableStoreExitsThreeNotTwo) {
  CliResult r = Run({"--db", "postgresql:///tutti?host=/nonexistent-socket-dir&connect_timeout=2",
                     "party", "list"},
                    /*with_db=*/false);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.err.find("tutti: error:"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tutti::testing
