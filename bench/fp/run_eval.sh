#!/usr/bin/env bash
# run_eval.sh: the content-identification evaluation, end to end (docs/BENCHMARKS.md).
#
#   bench/fp/run_eval.sh [--build DIR] [--data DIR] [--scale] [--no-peer]
#
#  1. ../shared/corpus/audio-corpus installs sox and the music packages and lists the
#     references (wesnoth-1.16-music: 41 orchestral tracks, 2.1 h) and the negatives
#     (singularity-music, never indexed);
#  2. make_queries.sh cuts 100 excerpts of 10 s and degrades them (the issue's variants
#     plus pitch/tempo/speed +-5/10%, pitch and tempo together, pink noise, EQ, 5 s crops),
#     and 300 negative excerpts;
#  3. fp_eval indexes the references and runs every query (tutti), and peer_chromaprint runs
#     Chromaprint's fpcalc on the same files;
#  4. --scale: seven more Debian music packages (10.3 h in all) plus four speed-shifted
#     copies of each (x0.6, x0.75, x1.35, x1.7: distinct to the matcher) make a 55 h index;
#     the same wesnoth queries, now against all of it.
# Audio and indexes go under DIR (default bench/data/fp, git-ignored); nothing is committed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build data=$root/bench/data/fp scale=0 peer=1
while (($#)); do
  case $1 in
    --build) build=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --scale) scale=1; shift ;;
    --no-peer) peer=0; shift ;;
    *) echo "run_eval: unknown argument $1" >&2; exit 2 ;;
  esac
done
eval_bin=$build/bench/fp/fp_eval peer_bin=$build/bench/fp/peer_chromaprint
[[ -x $eval_bin ]] || { echo "run_eval: build first (cmake --build $build --target fp_eval peer_chromaprint)" >&2; exit 2; }
corpus_script=$root/../shared/corpus/audio-corpus
[[ -x $corpus_script ]] || corpus_script=/work/shared/corpus/audio-corpus

echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
mkdir -p "$data/wesnoth"
"$corpus_script" --out "$data/wesnoth" --queries 1 >/dev/null  # packages + reference lists
"$here/make_queries.sh" --corpus "$data/wesnoth" --queries 100 --negatives 300
q=$data/wesnoth
echo "== tutti on $q"
"$eval_bin" --refs "$q/refs.txt" --truth "$q/truth.csv" --truth "$q/truth_extra.csv" \
  --queries "$q/queries" --index-out "$data/wesnoth.fpidx" --csv "$data/wesnoth.csv"
if ((peer)); then
  echo "== peer: Chromaprint fpcalc on $q"
  "$peer_bin" --refs "$q/refs.txt" --truth "$q/truth.csv" --queries "$q/queries"
fi
if ((scale)); then
  pkgs=(wesnoth-1.16-music asc-music nexuiz-music hyperrogue-music fb-music-high drascula-music
        planetblupi-music-ogg warzone2100-music)
  missing=()
  for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]} == 0)) || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  dpkg -L "${pkgs[@]}" | grep -iE '\.(ogg|flac|wav|mp3|opus)$' | sort -u >"$data/big_refs.txt"
  echo "== tutti at scale: $(wc -l <"$data/big_refs.txt") references + 4 speed-shifted copies each"
  "$eval_bin" --refs "$data/big_refs.txt" --distractors 0.6,0.75,1.35,1.7 \
    --truth "$q/truth.csv" --truth "$q/truth_extra.csv" --queries "$q/queries" \
    --index-out "$data/big.fpidx" --csv "$data/big.csv"
  echo "== query process alone against the saved index (load time, memory)"
  "$eval_bin" --index-in "$data/big.fpidx" --truth "$q/truth.csv" --queries "$q/queries"
fi
