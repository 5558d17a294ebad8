#!/usr/bin/env bash
# Times `tutti import` of a 100k-recording catalog (issue 2 target: under 10 seconds),
# JSON and CSV, each into a fresh store, best and median of N runs.
#
#   bench/gate/import_bench.sh [TUTTI_BINARY] [RECORDINGS] [RUNS]
#   default: build/src/cli/tutti 100000 3; set TASKSET="taskset -c 0" to pin a core.
#   STORE=postgresql imports into a fresh database of the PostgreSQL server whose unix
#   socket directory is $TUTTI_TEST_PG_HOST (scripts/pg.sh start DIR starts one).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tutti="${1:-$root/build/src/cli/tutti}"
recordings="${2:-100000}"
runs="${3:-3}"
pin="${TASKSET:-}"
if [[ ! -x "$tutti" ]]; then
  echo "import_bench: no tutti binary at $tutti (build the 'tutti' target first)" >&2
  exit 2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_catalog.py" --recordings "$recordings" --out "$work"
ls -l "$work"/catalog.* | awk '{print $5, $9}'

for format in json csv; do
  times=()
  for ((i = 1; i <= runs; ++i)); do
    db="$work/bench-$format-$i.db"
    if [[ ${STORE:-sqlite} == postgresql ]]; then
      name="tutti_bench_${format}_${i}_$$"
      psql -q -h "$TUTTI_TEST_PG_HOST" -U postgres -d postgres -c "CREATE DATABASE $name" >/dev/null
      db="postgresql:///$name?host=$TUTTI_TEST_PG_HOST&user=postgres"
    fi
    $pin "$tutti" --db "$db" init > /dev/null
    start=$(date +%s.%N)
    $pin "$tutti" --db "$db" import "$work/catalog.$format" > "$work/out.txt"
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
    tail -1 "$work/out.txt" | sed "s|$work/||"
    # The store must now answer from the imported catalog: load it and decide once.
    start=$(date +%s.%N)
    verdict=allow
    $pin "$tutti" --db "$db" check --use train --recording R0 --product prod0 \
        --territory US --at 2026-06-01 > /dev/null 2>&1 || verdict=deny
    end=$(date +%s.%N)
    echo "  then 'tutti check' (load the store + one decision): $(echo "$end - $start" | bc) s, $verdict"
    rm -f "$db"*
  done
  sorted=($(printf '%s\n' "${times[@]}" | sort -g))
  echo "import $format, $recordings recordings: runs ${times[*]} s;" \
       "best ${sorted[0]} s, median ${sorted[$(((runs - 1) / 2))]} s"
done
