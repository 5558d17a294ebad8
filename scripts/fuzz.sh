#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a while on its
# seed corpus: the committed seeds in fuzz/corpus/, plus audio and an index file made here
# (audio stays out of git).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET]   explore for a while (default 30 s each)
#        scripts/fuzz.sh --runs N                 N inputs each from a fixed seed: the same
#                                                 run every time (what CI does)
# A crash leaves its input in build-fuzz/; make it a regression test before fixing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ${1:-} == --runs ]]; then
  budget=(-runs="${2:?--runs needs a number}" -seed=1)
  what="${2} runs, seed 1"
else
  budget=(-max_total_time="${1:-30}")
  what="${1:-30} s"
fi
targets=(catalog_json catalog_csv record_json checkpoint codes audio_decode fp_index)

if ! command -v clang++ >/dev/null; then
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends clang \
    libclang-rt-14-dev >&2
fi
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTUTTI_FUZZ=ON -DTUTTI_SANITIZE=ON -DTUTTI_BUILD_BENCH=OFF -DTUTTI_BUILD_TESTS=OFF >&2
cmake --build build-fuzz -j"$(nproc)" --target "${targets[@]/#/fuzz_}" tutti >&2

# Generated seeds: a short WAV of tones and noise, and the index `tutti fp add` makes of it.
seeds=build-fuzz/seeds
for target in "${targets[@]}"; do mkdir -p "$seeds/$target"; done
python3 - "$seeds/audio_decode/tones.wav" <<'PY'
import math, random, struct, sys, wave
random.seed(1)
rate, n = 8000, 8000 * 6
with wave.open(sys.argv[1], "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
    frames = bytearray()
    for i in range(n):
        f = 300 + 200 * ((i // 2000) % 5)
        x = 0.5 * math.sin(2 * math.pi * f * i / rate) + 0.1 * random.uniform(-1, 1)
        frames += struct.pack("<h", int(x * 30000))
    w.writeframes(bytes(frames))
PY
rm -f "$seeds/fp_index/seed.fpidx"
build-fuzz/src/cli/tutti --db "$seeds/none.db" fp --index "$seeds/fp_index/seed.fpidx" \
  add "$seeds/audio_decode/tones.wav" >/dev/null

for target in "${targets[@]}"; do
  work=build-fuzz/corpus-$target
  mkdir -p "$work"
  committed=()
  [[ -d fuzz/corpus/$target ]] && committed=("$PWD/fuzz/corpus/$target")
  echo "fuzz_$target: $what" >&2
  log=build-fuzz/fuzz_$target.log
  if ! (cd build-fuzz && ./fuzz/fuzz_$target "${budget[@]}" -max_len=65536 \
          -rss_limit_mb=2048 -print_final_stats=1 "../$work" "../$seeds/$target" \
          "${committed[@]}" >"../$log" 2>&1); then
    # The report and the input that crashed: make it a regression test, then fix.
    echo "fuzz_$target FAILED; its report:" >&2
    grep -v -E '^(#[0-9]|INFO:)' "$log" | tail -60 >&2
    exit 1
  fi
  tail -3 "$log"
done
