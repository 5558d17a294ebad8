// The PostgreSQL server the store tests run against, if any (tests/store/postgres_env.cpp).
#ifndef TUTTI_TESTS_STORE_POSTGRES_ENV_H_
#define TUTTI_TESTS_STORE_POSTGRES_ENV_H_

#include <string>

#include "tutti/status.h"

namespace tutti::testing {
// A fresh, empty database on the test server ($TUTTI_TEST_PG_HOST), as a libpq URI;
// kUnsupported when the variable is unset.
Result<std::string> MakeTestPostgresDatabase();
// Whether $TUTTI_TEST_PG_HOST is set.
bool PostgresConfigured();
}  // namespace tutti::testing

#endif  // TUTTI_TESTS_STORE_POSTGRES_ENV_H_
