#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a while on its seed corpus.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   (default 30)
# A crash leaves its input in build-fuzz/; make it a regression test before fixing.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
command -v clang++ >/dev/null || { sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo;
  $sudo apt-get install -y -qq --no-install-recommends clang libclang-rt-dev >&2 || \
  $sudo apt-get install -y -qq --no-install-recommends clang-14 libclang-rt-14-dev >&2; }
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTUTTI_FUZZ=ON -DTUTTI_SANITIZE=ON -DTUTTI_BUILD_BENCH=OFF -DTUTTI_BUILD_TESTS=OFF >&2
cmake --build build-fuzz -j"$(nproc)" --target fuzz_catalog_json fuzz_catalog_csv fuzz_codes >&2
for target in catalog_json catalog_csv codes; do
  work=build-fuzz/corpus-$target
  mkdir -p "$work"
  echo "fuzz_$target: ${seconds}s" >&2
  (cd build-fuzz && ./fuzz/fuzz_$target -max_total_time="$seconds" -max_len=65536 \
     -print_final_stats=1 "../$work" "../fuzz/corpus/$target" 2>&1 | tail -3)
done
