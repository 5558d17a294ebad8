#!/usr/bin/env bash
# Sets everything up (Debian packages, build) and runs the whole test suite under ctest, with a
# throwaway PostgreSQL server of its own (scripts/pg.sh: a temporary data directory, a unix
# socket, stopped and removed at the end, on failure and on Ctrl-C too).
# Usage: scripts/test.sh            the RelWithDebInfo build in build/
#        scripts/test.sh --sanitize AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
cmake_args=()
if [[ ${1:-} == --sanitize ]]; then
  build_dir=build-asan
  cmake_args=(-DTUTTI_SANITIZE=ON -DTUTTI_BUILD_BENCH=OFF)
  export BUILD_TYPE=Debug
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi

scripts/setup.sh --all "$build_dir" "${cmake_args[@]}"

# A short path: the server's socket lives in it, and a socket's path is limited to 107 bytes.
pg_dir=$(mktemp -d /tmp/tutti-pg.XXXXXX)
pg_started=0
cleanup() {
  if ((pg_started)); then scripts/pg.sh stop "$pg_dir" || true; fi
  rm -rf "$pg_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
pg_started=1 # set first: a start that fails half-way still gets stopped
TUTTI_TEST_PG_HOST=$(scripts/pg.sh start "$pg_dir" --no-fsync)
export TUTTI_TEST_PG_HOST
export TUTTI_REQUIRE_PG=1 # a PostgreSQL test that cannot find the server fails, not skips
export TUTTI_TEST_PG_KEEP_DATABASES=1 # the whole server goes at the end

ctest --test-dir "$build_dir" --output-on-failure -j2 --timeout 600
