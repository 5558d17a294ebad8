// Test helpers for the PostgreSQL adapter's tests.
#pragma once
#include <string>
#include "tutti/status.h"
namespace tutti::testing {
// A fresh, empty database on the test server ($TUTTI_TEST_PG_HOST), as a libpq URI;
// kUnsupported when the variable is unset.
Result<std::string> MakeTestPostgresDatabase();
bool PostgresConfigured();
}  // namespace tutti::testing
