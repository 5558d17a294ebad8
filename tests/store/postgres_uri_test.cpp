// The PostgreSQL adapter's URI handling: passwords never shown, bad URIs and unreachable
// servers told apart. Needs no server.
#include <gtest/gtest.h>

#include "store/postgres/pg.h"
#include "store/postgres/postgres_store.h"

namespace tutti {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(PostgresUri, StripPasswordKeepsEverythingElse) {
  EXPECT_EQ(pg::StripPassword("postgresql://u:pw@host:5433/db?sslmode=require"),
            "postgresql://u@host:5433/db?sslmode=require");
  EXPECT_EQ(pg::StripPassword("postgres://u:p@w:x@h/db"), "postgres://u@h/db");
  EXPECT_EQ(pg::StripPassword("postgresql:///db?host=/s&password=pw&user=u"),
            "postgresql:///db?host=/s&user=u");
  EXPECT_EQ(pg::StripPassword("postgresql:///db?password=pw"), "postgresql:///db");
  EXPECT_EQ(pg::StripPassword("postgresql://h?password"), "postgresql://h");
  EXPECT_EQ(pg::StripPassword("postgresql://u@h/db"), "postgresql://u@h/db");
  EXPECT_EQ(pg::StripPassword("host=/tmp password=pw dbname=x").find("pw"), std::string::npos);
}

TEST(PostgresUri, BadUrisAreInvalidArguments) {
  for (const char* uri : {"mysql://h/db", "postgresql://h:notaport/db?x=", "postgresql://[::1/db",
                          "postgresql:///db?nosuchoption=1", "host=/tmp dbname=x"}) {
    auto store = OpenPostgresStore(uri, {});
    ASSERT_FALSE(store.ok()) << uri;
    EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument)
        << uri << ": " << store.status().message();
  }
}

TEST(PostgresUri, UnreachableSocketIsAnIoErrorNamingIt) {
  auto store = OpenPostgresStore("postgresql:///db?host=/nonexistent/tutti-sock", {});
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kIoError);
  EXPECT_TRUE(Contains(store.status().message(), "/nonexistent/tutti-sock"))
      << store.status().message();
  EXPECT_TRUE(Contains(store.status().message(), "cannot connect"));
}

}  // namespace
}  // namespace tutti
