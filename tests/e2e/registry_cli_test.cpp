// The command line contract of issue 2, on the real binary and a real SQLite file.
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

namespace tutti::testing {
namespace {

class RegistryCliTest : public CliTest {
 protected:
  void BuildRegistry() {
    Ok({"init"});
    Ok({"party", "add", "--kind", "label", "--name", "Northstar Records", "--id", "label"});
    Ok({"party", "add", "--kind", "publisher", "--name", "Meridian", "--id", "pub"});
    Ok({"party", "add", "--kind", "songwriter", "--name", "Lena Ortiz", "--id", "writer", "--ipi",
        "00523879412"});
    Ok({"party", "add", "--kind", "artist", "--name", "Ava Lune", "--id", "ava"});
    Ok({"party", "add", "--kind", "product", "--name", "Muse AI", "--id", "muse"});
    Ok({"work", "add", "--title", "Northern Lights", "--id", "W1", "--iswc", "T-034.524.680-1",
        "--share", "writer=50", "--share", "pub=50"});
    Ok({"recording", "add", "--title", "Northern Lights", "--id", "R1", "--isrc", "US-RC1-76-07839",
        "--work", "W1", "--artist", "ava", "--share", "label=100"});
    for (const char* owner : {"label", "pub", "writer"}) {
      Ok({"license", "add", "--licensor", owner, "--licensee", "muse", "--use", "train,voice",
          "--territory", "WORLD,-US", "--from", "2026-01-01", "--catalog"});
    }
  }

  CliResult Check(const char* use, const char* territory, const char* at = "2026-06-01") {
    return Run({"check", "--use", use, "--recording", "R1", "--product", "muse", "--territory",
                territory, "--at", at});
  }
};

TEST_F(RegistryCliTest, CheckAllowsWithExitZeroAndDeniesWithExitOne) {
  BuildRegistry();
  CliResult allow = Check("train", "FR");
  EXPECT_EQ(allow.exit_code, 0) << allow.out << allow.err;
  EXPECT_EQ(allow.out.rfind("ALLOW train of recording 'R1'", 0), 0u) << allow.out;
  CliResult deny = Check("train", "US");
  EXPECT_EQ(deny.exit_code, 1);
  EXPECT_NE(deny.out.find("[NO] recording right: 'label' (100%) has no license"), std::string::npos)
      << deny.out;
}

TEST_F(RegistryCliTest, ConsentWithdrawalBitesAtOnce) {
  BuildRegistry();
  EXPECT_EQ(Check("train", "FR", "2026-06-01").exit_code, 0);
  Ok({"consent", "set", "--party", "ava", "--all", "--use", "train", "--deny", "--at",
      "2026-05-01T00:00:00Z"});
  EXPECT_EQ(Check("train", "FR", "2026-04-30").exit_code, 0);
  CliResult after = Check("train", "FR", "2026-05-01");
  EXPECT_EQ(after.exit_code, 1);
  EXPECT_NE(after.out.find("'ava' denies train since 2026-05-01T00:00:00Z"), std::string::npos);
}

TEST_F(RegistryCliTest, PersonaUseNeedsTheArtistsAllow) {
  BuildRegistry();
  EXPECT_EQ(Check("voice", "FR").exit_code, 1);
  Ok({"consent", "set", "--party", "ava", "--recording", "R1", "--use", "voice", "--allow", "--at",
      "2026-02-01"});
  EXPECT_EQ(Check("voice", "FR").exit_code, 0);
}

TEST_F(RegistryCliTest, JsonOutputIsMachineReadable) {
  BuildRegistry();
  CliResult r = Run({"check", "--use", "train", "--recording", "R1", "--product", "muse",
                     "--territory", "FR", "--at", "2026-06-01", "--json"});
  EXPECT_EQ(r.exit_code, 0);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["verdict"], "allow");
  EXPECT_EQ(doc["requirements"][0]["license"]["territories"], "WORLD,-US");

  r = Run({"--json", "cleared", "--use", "train", "--product", "muse", "--territory", "FR", "--at",
           "2026-06-01"});
  EXPECT_EQ(r.exit_code, 0);
  doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["count"], 1);
  EXPECT_EQ(doc["recordings"][0], "R1");

  r = Run({"party", "add", "--kind", "artist", "--name", "New", "--json"});
  EXPECT_EQ(nlohmann::json::parse(r.out)["type"], "party");
}

TEST_F(RegistryCliTest, ClearedListsTheTrainingSet) {
  BuildRegistry();
  Ok({"recording", "add", "--title", "Live", "--id", "R2", "--work", "W1", "--artist", "ava",
      "--share", "label=100"});
  Ok({"consent", "set", "--party", "label", "--recording", "R2", "--use", "train", "--deny"});
  CliResult r = Ok({"cleared", "--use", "train", "--product", "muse", "--territory", "FR"});
  EXPECT_NE(r.out.find("1 of 2 recordings cleared"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("R1"), std::string::npos);
  EXPECT_EQ(r.out.find("R2"), std::string::npos);
}

TEST_F(RegistryCliTest, BadInputExitsTwoNamesTheProblemAndChangesNothing) {
  BuildRegistry();
  ExpectRejected({"recording", "add", "--title", "X", "--isrc", "US-RC1-76", "--work", "W1",
                  "--artist", "ava", "--share", "label=100"},
                 "invalid ISRC 'US-RC1-76'");
  ExpectRejected(
      {"work", "add", "--title", "X", "--iswc", "T-034.524.680-2", "--share", "writer=100"},
      "check digit");
  ExpectRejected({"work", "add", "--title", "X", "--share", "writer=50", "--share", "pub=40"},
                 "sum to 90%, not 100%");
  ExpectRejected({"work", "add", "--title", "X", "--share", "writer=100", "--share", "pub=100@JP"},
                 "sum to 200% in JP, not 100%");
  ExpectRejected({"recording", "add", "--title", "X", "--work", "W404", "--artist", "ava",
                  "--share", "label=100"},
                 "unknown work 'W404'");
  ExpectRejected({"license", "add", "--licensor", "nobody", "--licensee", "muse", "--use", "train",
                  "--territory", "FR", "--from", "2026-01-01", "--catalog"},
                 "unknown licensor 'nobody'");
  ExpectRejected({"license", "add", "--licensor", "label", "--licensee", "muse", "--use", "sing",
                  "--territory", "FR", "--from", "2026-01-01", "--catalog"},
                 "unknown use 'sing'");
  ExpectRejected({"license", "add", "--licensor", "label", "--licensee", "muse", "--use", "train",
                  "--territory", "WORLD,-XX", "--from", "2026-01-01", "--catalog"},
                 "unknown territory 'XX'");
  ExpectRejected(
      {"check", "--use", "train", "--recording", "R404", "--product", "muse", "--territory", "FR"},
      "unknown recording 'R404'");
  ExpectRejected(
      {"check", "--use", "train", "--recording", "R1", "--product", "label", "--territory", "FR"},
      "not an AI product");
  ExpectRejected({"party", "add", "--kind", "label", "--name", "Dup", "--id", "label"},
                 "already exists");
  ExpectRejected({"consent", "set", "--party", "ava", "--all", "--use", "train", "--allow", "--at",
                  "next tuesday"},
                 "invalid time 'next tuesday'");
}

TEST_F(RegistryCliTest, OverlappingConsentIsRefused) {
  BuildRegistry();
  Ok({"consent", "set", "--party", "ava", "--recording", "R1", "--use", "train", "--deny", "--at",
      "2026-03-01T00:00:00Z"});
  ExpectRejected({"consent", "set", "--party", "ava", "--recording", "R1", "--use", "train",
                  "--allow", "--at", "2026-03-01T00:00:00Z"},
                 "overlap");
}

TEST_F(RegistryCliTest, UsageErrorsExitTwo) {
  BuildRegistry();
  for (std::vector<std::string> args :
       {std::vector<std::string>{"party", "add", "--name", "No kind"},
        {"check", "--use", "train"},
        {"consent", "set", "--party", "ava", "--all", "--use", "train", "--allow", "--deny"},
        {"license", "add", "--licensor", "label", "--licensee", "muse", "--use", "train",
         "--territory", "FR", "--from", "2026-01-01", "--catalog", "--recording", "R1"},
        {"no-such-command"}}) {
    CliResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << Join(args) << r.err;
    EXPECT_NE(r.err.find("tutti: error:"), std::string::npos) << r.err;
  }
}

TEST_F(RegistryCliTest, CommandsBeforeInitSayWhatToDo) {
  CliResult r = Run(
      {"check", "--use", "train", "--recording", "R1", "--product", "muse", "--territory", "FR"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("run 'tutti init' first"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(db_));
}

TEST_F(RegistryCliTest, ACorruptDatabaseFileIsNamed) {
  if (OnPostgres()) GTEST_SKIP() << "a file store";
  Write("tutti.db", std::string(4096, 'x'));
  CliResult r = Run({"party", "add", "--kind", "artist", "--name", "X"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not a tutti store or is corrupt"), std::string::npos) << r.err;
  EXPECT_EQ(Slurp(db_), std::string(4096, 'x'));  // left as it was
}

TEST_F(RegistryCliTest, TheDbFlagFallsBackToTheEnvironmentThenTheWorkingDirectory) {
  CliResult r = Run({"init"}, /*with_db=*/false);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "tutti.db"));
  std::string cmd = "cd " + Quote(dir_.string()) + " && TUTTI_DB=other.db " + Quote(TUTTI_BINARY) +
                    " init >/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "other.db"));
}

TEST_F(RegistryCliTest, AuditVerifyDetectsTamperingAndNamesTheEntry) {
  if (OnPostgres())
    GTEST_SKIP() << "edits the SQLite file directly (the store tests tamper "
                    "with PostgreSQL)";
  BuildRegistry();
  CliResult ok = Ok({"audit", "verify"});
  EXPECT_NE(ok.out.find("audit log intact: 10 entries"), std::string::npos) << ok.out;
  EXPECT_NE(Ok({"audit", "log"}).out.find("license.add"), std::string::npos);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_log_no_update;"
                         "UPDATE audit_log SET actor = 'mallory' WHERE seq = 4",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  CliResult bad = Run({"audit", "verify"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find("audit entry 4"), std::string::npos) << bad.out;
  CliResult json = Run({"audit", "verify", "--json"});
  EXPECT_EQ(nlohmann::json::parse(json.out)["intact"], false);
}

TEST_F(RegistryCliTest, ListShowsWhatTheRegistryHolds) {
  BuildRegistry();
  Ok({"consent", "set", "--party", "ava", "--all", "--use", "voice", "--allow", "--at",
      "2026-02-01"});
  CliResult licenses = Ok({"license", "list", "--party", "writer"});
  EXPECT_NE(licenses.out.find("writer -> muse  train,voice  WORLD,-US"), std::string::npos)
      << licenses.out;
  EXPECT_EQ(licenses.out.find("label ->"), std::string::npos);
  CliResult consents = Ok({"consent", "list"});
  EXPECT_NE(consents.out.find("  ava  allows voice on all its works"), std::string::npos)
      << consents.out;
  auto parties = nlohmann::json::parse(Ok({"party", "list", "--json"}).out);
  ASSERT_EQ(parties.size(), 5u);
  EXPECT_EQ(parties[2]["ipi"], "00523879412");
  auto works = nlohmann::json::parse(Ok({"work", "list", "--json", "--party", "pub"}).out);
  ASSERT_EQ(works.size(), 1u);
  EXPECT_EQ(works[0]["iswc"], "T-034.524.680-1");
  EXPECT_EQ(Run({"recording", "list", "--party", "nobody"}).exit_code, 2);
}

TEST_F(RegistryCliTest, TheAuditLogNamesWhoMadeEachChange) {
  Ok({"init"});
  Ok({"--actor", "rights-team@northstar", "party", "add", "--kind", "label", "--name", "N"});
  auto log = nlohmann::json::parse(Ok({"audit", "log", "--json"}).out);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["actor"], "rights-team@northstar");
  EXPECT_EQ(log[0]["action"], "party.add");
  EXPECT_EQ(log[0]["change"]["name"], "N");
}

TEST_F(RegistryCliTest, EveryCommandHasHelp) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                        {"init", "--help"},
                                        {"party", "add", "--help"},
                                        {"work", "add", "--help"},
                                        {"recording", "add", "--help"},
                                        {"license", "add", "--help"},
                                        {"consent", "set", "--help"},
                                        {"check", "--help"},
                                        {"cleared", "--help"},
                                        {"audit", "verify", "--help"},
                                        {"audit", "log", "--help"},
                                        {"audit", "checkpoint", "--help"},
                                        {"license", "end", "--help"},
                                        {"recording", "shares", "--help"},
                                        {"work", "shares", "--help"},
                                        {"fp", "add", "--help"},
                                        {"import", "--help"},
                                        {"party", "list", "--help"},
                                        {"license", "list", "--help"},
                                        {"consent", "list", "--help"},
                                        {"demo", "--help"}}) {
    CliResult r = Run(args);
    EXPECT_EQ(r.exit_code, 0) << Join(args);
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << Join(args) << r.out;
  }
}

TEST_F(RegistryCliTest, DemoBuildsAFreshStoreAndExplainsItsDecisions) {
  CliResult r = Run({"demo"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ALLOW train of recording 'R-ava-northern-lights'"), std::string::npos);
  EXPECT_NE(r.out.find("[NO] 'kiko' denies train"), std::string::npos);
  EXPECT_NE(r.out.find("Audit log intact"), std::string::npos);
  // Run again: the demo's own store is rebuilt, not appended to.
  ASSERT_EQ(Run({"demo"}).exit_code, 0);
  EXPECT_EQ(Ok({"audit", "verify", "--json"}).out.find("\"intact\": true") != std::string::npos,
            true);
  // It never overwrites a store it did not make.
  db_ = Path("mine.db");
  Ok({"init"});
  Ok({"party", "add", "--kind", "artist", "--name", "Mine"});
  CliResult refused = Run({"demo"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.err.find("demo did not make"), std::string::npos) << refused.err;
}

}  // namespace
}  // namespace tutti::testing
