#!/usr/bin/env bash
# `make bench`: every benchmark, SQLite and a throwaway PostgreSQL side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
pg_dir=$(mktemp -d /tmp/amtsweg-bench-pg.XXXXXX)
trap 'scripts/pg-throwaway.sh stop "$pg_dir"' EXIT INT TERM
url=$(scripts/pg-throwaway.sh start "$pg_dir")
"$BUILD/amtsweg" bench "${1:-all}" --pg "$url"
