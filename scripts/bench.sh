#!/usr/bin/env bash
# `make bench`: every benchmark, SQLite and a throwaway PostgreSQL side by side,
# then the web app's page-load figures (web/bench/perf.mjs) in chromium.
#   scripts/bench.sh [all|store|feel|engine|http|serve|intake|mining|web]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
what=${1:-all}
tmp=$(mktemp -d /tmp/amtsweg-bench.XXXXXX)
pg_dir=$(mktemp -d /tmp/amtsweg-bench-pg.XXXXXX)  # its own: the postgres user must reach it
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  scripts/pg-throwaway.sh stop "$pg_dir"
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

if [ "$what" != web ]; then
  url=$(scripts/pg-throwaway.sh start "$pg_dir")
  "$BUILD/amtsweg" bench "$what" --pg "$url"
fi

if [ "$what" = all ] || [ "$what" = web ]; then
  # A real server with the demo municipality, as `make run` shows it.
  "$BUILD/amtsweg" demo seed --history 0 --db "sqlite:$tmp/web.db" --dir demo/services >/dev/null
  AMTSWEG_LOG_LEVEL=warn "$BUILD/amtsweg" serve --db "sqlite:$tmp/web.db" --port 0 --port-file "$tmp/port" \
    --static-dir web/dist >"$tmp/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
  for profile in slow4g rtt150; do
    (cd web && node bench/perf.mjs --url "http://127.0.0.1:$(cat "$tmp/port")" --runs "${WEB_RUNS:-5}" --profile "$profile")
  done
fi
