#!/usr/bin/env bash
# Runs every test of Amtsweg and ends with one line `N passed, M failed, K skipped`.
#   - every GoogleTest binary in $BUILD/tests (unit, conformance, integration,
#     CLI), with a throwaway PostgreSQL cluster for the store suites
#   - the web app's unit tests (Vitest)
#   - the browser tests (Playwright driving Debian's chromium) against a real
#     `amtsweg serve` on a free port with a fresh SQLite database
# Exit status 0 only when nothing failed. Run via `make test` (which builds first).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
BUILD=${BUILD:-build}
run_dir=$root/.test-run
rm -rf "$run_dir"
mkdir -p "$run_dir"

total_pass=0 total_fail=0 total_skip=0
summary=()
add() {  # add NAME PASSED FAILED SKIPPED
  total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3)); total_skip=$((total_skip + $4))
  summary+=("$(printf '  %-22s %5d passed, %d failed, %d skipped' "$1" "$2" "$3" "$4")")
}

# Conformance data lives beside the repo (../shared/conformance) unless told otherwise.
if [ -z "${AMTSWEG_CONFORMANCE:-}" ] && [ -d "$root/../shared/conformance" ]; then
  export AMTSWEG_CONFORMANCE=$(cd "$root/../shared/conformance" && pwd)
fi
if [ -z "${AMTSWEG_SCHEMAS:-}" ] && [ -d "$root/../shared/schemas" ]; then
  export AMTSWEG_SCHEMAS=$(cd "$root/../shared/schemas" && pwd)
fi

pg_dir=$(mktemp -d /tmp/amtsweg-pg.XXXXXX)
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  scripts/pg-throwaway.sh stop "$pg_dir"
}
trap cleanup EXIT INT TERM

if url=$(scripts/pg-throwaway.sh start "$pg_dir"); then
  export AMTSWEG_TEST_PG_URL=$url
  echo "test: throwaway PostgreSQL at $url"
else
  echo "test: could not start PostgreSQL; its test variants will fail, not skip" >&2
  export AMTSWEG_TEST_PG_URL="postgresql://postgres@127.0.0.1:1/unavailable"
fi
export AMTSWEG_BINARY=$root/$BUILD/amtsweg

# --- GoogleTest binaries ------------------------------------------------------
for bin in "$BUILD"/tests/*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  json=$run_dir/$name.json
  log=$run_dir/$name.log
  echo "test: $name"
  timeout 900 "$bin" --gtest_output="json:$json" --gtest_color=no >"$log" 2>&1
  rc=$?
  if [ -s "$json" ] && counts=$(node scripts/count-results.mjs gtest "$json" 2>"$run_dir/$name.failures"); then
    read -r p f s <<<"$counts"
    cat "$run_dir/$name.failures"
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; echo "  $name exited $rc"; fi
    add "$name" "$p" "$f" "$s"
  else
    echo "  $name crashed or timed out (exit $rc); last lines:"
    tail -n 20 "$log" | sed 's/^/    /'
    add "$name" 0 1 0
  fi
  if [ "$rc" != 0 ]; then grep -E '^\[  FAILED  \]|Failure|error' "$log" | head -n 30 | sed 's/^/    /'; fi
done

# --- Web unit tests (Vitest, in Node) ------------------------------------------
echo "test: web unit tests"
(cd web && npx vitest run --reporter=json --outputFile="$run_dir/vitest.json" >"$run_dir/vitest.log" 2>&1)
rc=$?
if [ -s "$run_dir/vitest.json" ] && counts=$(node scripts/count-results.mjs vitest "$run_dir/vitest.json" 2>"$run_dir/vitest.failures"); then
  read -r p f s <<<"$counts"
  cat "$run_dir/vitest.failures"
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
  add web-unit "$p" "$f" "$s"
else
  echo "  web unit tests did not report (exit $rc):"; tail -n 30 "$run_dir/vitest.log" | sed 's/^/    /'
  add web-unit 0 1 0
fi

# --- Browser tests ------------------------------------------------------------
e2e_db=$run_dir/e2e/amtsweg.db
mkdir -p "$run_dir/e2e"
port_file=$run_dir/e2e/port
# The browser tests run against the demo municipality (as `make run` shows it);
# the seed prints the staff passwords once, the tests sign in with them.
if "$AMTSWEG_BINARY" demo seed --history 0 --db "sqlite:$e2e_db" --dir "$root/demo/services" >"$run_dir/e2e/demo.txt" 2>&1; then
  AMTSWEG_E2E_ORDNUNG_PASSWORD=$(awk '$1 == "ordnung" { print $3 }' "$run_dir/e2e/demo.txt")
  AMTSWEG_E2E_ADMIN_PASSWORD=$(awk '$1 == "admin" { print $3 }' "$run_dir/e2e/demo.txt")
  AMTSWEG_E2E_LEITUNG_PASSWORD=$(awk '$1 == "leitung" { print $3 }' "$run_dir/e2e/demo.txt")
  AMTSWEG_E2E_BAU_PASSWORD=$(awk '$1 == "bau" { print $3 }' "$run_dir/e2e/demo.txt")
  export AMTSWEG_E2E_ORDNUNG_PASSWORD AMTSWEG_E2E_ADMIN_PASSWORD AMTSWEG_E2E_LEITUNG_PASSWORD AMTSWEG_E2E_BAU_PASSWORD
  AMTSWEG_E2E_DESIGN_PASSWORD=$(awk '$1 == "design" { print $3 }' "$run_dir/e2e/demo.txt")
  export AMTSWEG_E2E_DESIGN_PASSWORD
else
  echo "  demo seed failed:"; sed 's/^/    /' "$run_dir/e2e/demo.txt"
fi
AMTSWEG_LOG_LEVEL=warn "$AMTSWEG_BINARY" serve --db "sqlite:$e2e_db" --port 0 --port-file "$port_file" \
  --static-dir "$root/web/dist" >"$run_dir/e2e/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do [ -s "$port_file" ] && break; sleep 0.1; done
if [ -s "$port_file" ]; then
  export AMTSWEG_E2E_URL="http://127.0.0.1:$(cat "$port_file")"
  export AMTSWEG_E2E_JSON=$run_dir/e2e/report.json
  echo "test: browser tests against $AMTSWEG_E2E_URL"
  (cd web && npx playwright test >"$run_dir/e2e/playwright.log" 2>&1)
  rc=$?
  if [ -s "$AMTSWEG_E2E_JSON" ] && counts=$(node scripts/count-results.mjs playwright "$AMTSWEG_E2E_JSON" 2>"$run_dir/e2e/failures"); then
    read -r p f s <<<"$counts"
    cat "$run_dir/e2e/failures"
    if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; fi
    add browser "$p" "$f" "$s"
  else
    echo "  browser tests did not report (exit $rc):"; tail -n 30 "$run_dir/e2e/playwright.log" | sed 's/^/    /'
    add browser 0 1 0
  fi
  [ "$rc" != 0 ] && tail -n 40 "$run_dir/e2e/playwright.log" | sed 's/^/    /'
else
  echo "  amtsweg serve did not start:"; tail -n 20 "$run_dir/e2e/server.log" | sed 's/^/    /'
  add browser 0 1 0
fi
kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; server_pid=

echo
echo "Results:"
printf '%s\n' "${summary[@]}"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" = 0 ]
