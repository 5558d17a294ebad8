#!/usr/bin/env bash
# Sets everything up (Debian packages, build) and runs the whole test suite under ctest.
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

scripts/setup.sh "$build_dir" "${cmake_args[@]}"
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)" --timeout 600
