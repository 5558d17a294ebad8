#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks, from Debian's `postgresql` package.
# Usage: scripts/pg.sh start DIR [--no-fsync]
#                                  creates a cluster in DIR (which must not hold one), starts it
#                                  listening only on a unix socket in DIR, prints DIR's path;
#                                  --no-fsync: commits are not flushed to disk (tests: faster,
#                                  and a crash loses what a throwaway server holds anyway)
#        scripts/pg.sh stop DIR    stops the server started in DIR at once, without a final
#                                  checkpoint (DIR itself is kept; a later start recovers)
# Connect with: postgresql:///DBNAME?host=DIR&user=postgres (trust authentication: the socket is
# the only way in). Run as root, the server runs as the `postgres` OS user, since initdb and
# postgres refuse to run as root; run as anyone else, it runs as that user.
set -euo pipefail

usage() {
  echo "usage: scripts/pg.sh start DIR [--no-fsync] | scripts/pg.sh stop DIR" >&2
  exit 2
}
[[ $# -eq 2 || ($# -eq 3 && $1 == start && $3 == --no-fsync) ]] || usage
command=$1
dir=$2
fsync=on
[[ ${3:-} == --no-fsync ]] && fsync=off

bindir=""
for candidate in /usr/lib/postgresql/*/bin; do
  [[ -x $candidate/pg_ctl ]] && bindir=$candidate # the glob sorts, so the newest wins
done
if [[ -z $bindir ]]; then
  echo "pg.sh: no PostgreSQL server under /usr/lib/postgresql/*/bin: install Debian's 'postgresql' package" >&2
  exit 1
fi

# Runs a server binary as the user the cluster belongs to.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case $command in
  start)
    if [[ $dir == *\'* ]]; then
      echo "pg.sh: '$dir' holds a quote, which postgresql.conf cannot take: pick another DIR" >&2
      exit 1
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [[ -e $dir/data ]]; then
      echo "pg.sh: $dir/data exists already: stop that server and remove it, or pick another DIR" >&2
      exit 1
    fi
    # A unix socket's path is limited to 107 bytes; ".s.PGSQL.5432" is appended to DIR.
    if ((${#dir} > 90)); then
      echo "pg.sh: '$dir' is too long for a unix socket's directory (at most 90 bytes)" >&2
      exit 1
    fi
    if [[ $(id -u) -eq 0 ]]; then
      if ! id postgres >/dev/null 2>&1; then
        echo "pg.sh: running as root needs the 'postgres' OS user (Debian's postgresql package makes it)" >&2
        exit 1
      fi
      chown postgres: "$dir"
      if ! runuser -u postgres -- test -w "$dir"; then
        echo "pg.sh: the 'postgres' user cannot write to '$dir' (a parent folder closed to it?): pick a DIR under /tmp" >&2
        exit 1
      fi
    fi
    chmod 700 "$dir"
    # --no-sync: a throwaway cluster need not survive a power cut before its first start.
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
      --no-instructions >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
    cat >>"$dir/data/postgresql.conf" <<EOF
# scripts/pg.sh: a throwaway server reachable only through its unix socket.
listen_addresses = ''
unix_socket_directories = '$dir'
max_connections = 200
fsync = $fsync
synchronous_commit = $fsync
full_page_writes = $fsync
EOF
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
      echo "pg.sh: the server in $dir did not start:" >&2
      tail -n 20 "$dir/server.log" >&2 || true
      exit 1
    fi
    echo "$dir"
    ;;
  stop)
    dir=$(cd "$dir" && pwd)
    if [[ ! -f $dir/data/postmaster.pid ]]; then
      echo "pg.sh: no server running in $dir" >&2
      exit 1
    fi
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null
    ;;
  *)
    usage
    ;;
esac
