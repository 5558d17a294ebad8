#!/usr/bin/env bash
# Installs what tutti needs from Debian 12's packages (idempotent; `sudo` when not root) and
# builds it.
#
# Usage: scripts/setup.sh [--all] [BUILD_DIR] [cmake args...]
#   (default)  installs what building tutti needs and builds only the `tutti` executable:
#              what `scripts/setup.sh && build/src/cli/tutti demo` needs, nothing more
#   --all      also installs what the tests and the fuzz stage need (a PostgreSQL server for
#              the throwaway one the tests start, clang and its libFuzzer runtime) and builds
#              every target: tests and benchmarks too (scripts/test.sh uses this)
#   BUILD_DIR  defaults to build/; cmake args (such as -DTUTTI_SANITIZE=ON) go to configure
#
# When another apt or dpkg process holds its locks (unattended-upgrades, a second setup), this
# waits for it, up to $APT_LOCK_TIMEOUT seconds (default 600), instead of failing at once.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
  exit 0
fi
all=false
if [[ ${1:-} == --all ]]; then
  all=true
  shift
fi
build_dir=build
if [[ $# -gt 0 && ${1:0:1} != - ]]; then
  build_dir=$1
  shift
fi

# What building tutti needs. GoogleTest and Google Benchmark are here too: configuring with
# the default options looks for them, even when only `tutti` is built.
packages=(
  build-essential cmake pkg-config clang-format python3
  libsqlite3-dev sqlite3 libpq-dev libsodium-dev nlohmann-json3-dev libcli11-dev libcsv-dev
  libsndfile1-dev libsoxr-dev libmpg123-dev libkissfft-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
# What only the tests and the fuzz stage need: the PostgreSQL server the store tests start on
# a temporary data directory, and clang with its libFuzzer runtime (scripts/fuzz.sh).
if $all; then
  packages+=(postgresql clang libclang-rt-14-dev)
fi

lock_timeout=${APT_LOCK_TIMEOUT:-600}
sudo=""
[[ $(id -u) -eq 0 ]] || sudo=sudo

# Runs apt-get, waiting for another apt or dpkg process to release its locks. DPkg::Lock::Timeout
# makes apt wait for the dpkg lock; `apt-get update` takes the lists lock, which that option
# does not cover (apt 2.6), so a lock failure is also retried here until the deadline. A
# failure for any other reason stops at once, with apt's message.
apt_get() {
  local deadline=$((SECONDS + lock_timeout)) err rc said=false
  err=$(mktemp)
  while true; do
    rc=0
    $sudo env DEBIAN_FRONTEND=noninteractive LC_ALL=C \
      apt-get -o DPkg::Lock::Timeout="$lock_timeout" "$@" >&2 2>"$err" || rc=$?
    if ((rc == 0)); then
      cat "$err" >&2
      rm -f "$err"
      return 0
    fi
    if ! grep -qE 'Could not get lock|Unable to lock|Unable to acquire the dpkg frontend lock' \
      "$err" || ((SECONDS >= deadline)); then
      cat "$err" >&2
      rm -f "$err"
      echo "setup: apt-get $1 failed (exit $rc)" >&2
      return "$rc"
    fi
    if ! $said; then
      echo "setup: another apt process holds its lock; waiting (up to ${lock_timeout} s)" >&2
      said=true
    fi
    sleep 2
  done
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@" >&2
if $all; then
  cmake --build "$build_dir" -j"$(nproc)" >&2
else
  cmake --build "$build_dir" -j"$(nproc)" --target tutti >&2
fi
