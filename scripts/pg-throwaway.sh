#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests, in a temporary folder, on a free
# port of 127.0.0.1, run as the `postgres` user because initdb refuses root.
#
#   scripts/pg-throwaway.sh start DIR   -> prints the connection URL on stdout
#   scripts/pg-throwaway.sh stop DIR    -> stops the cluster and removes DIR
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "pg-throwaway: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; exit 1; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return 0; fi
  done
  echo "pg-throwaway: no free port found" >&2
  return 1
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    as_postgres "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    # fsync stays on: the store tests check durability, so the cluster must be honest about it.
    # Another process may take the free port between the check and the bind: try a few ports.
    started=
    for _ in 1 2 3 4 5; do
      port=$(free_port)
      if as_postgres "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir -c max_connections=200 -c fsync=on" \
        start >/dev/null; then
        started=1
        break
      fi
      grep -q "Address already in use" "$dir/server.log" || break
    done
    [ -n "$started" ] || { cat "$dir/server.log" >&2; exit 1; }
    as_postgres "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U postgres amtsweg_test
    echo "$port" >"$dir/port"
    echo "postgresql://postgres@127.0.0.1:$port/amtsweg_test"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_postgres "$pgbin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
