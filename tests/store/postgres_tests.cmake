# The PostgreSQL adapter's own tests (the contract suite covers what every adapter shares).
# Included from tests/store/CMakeLists.txt. They need a server: $TUTTI_TEST_PG_HOST names its
# socket directory (scripts/test.sh starts one with scripts/pg.sh); without it they skip, or
# fail when $TUTTI_REQUIRE_PG is set.
tutti_add_test(postgres_store_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/postgres_store_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/postgres_uri_test.cpp
          ${CMAKE_CURRENT_LIST_DIR}/postgres_env.cpp
  LIBS tutti_store_postgres PkgConfig::LIBPQ Threads::Threads)
