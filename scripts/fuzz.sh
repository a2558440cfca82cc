#!/usr/bin/env bash
# `make fuzz`: builds every libFuzzer target (clang, ASan + UBSan) and runs each
# for a fixed number of executions on a scratch copy of its committed corpus.
#   FUZZ_RUNS=1000000 (default)   executions per target
# Ends with `N passed, M failed`: a target passes when it ran all executions
# without a crash, leak or sanitizer report. Crash inputs are kept in
# build-fuzz/crashes/<target>/ to be added to the corpus as regression cases.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${FUZZ_RUNS:-1000000}
scripts/setup.sh deps/apt.txt deps/apt-fuzz.txt || exit 1

BUILD=build-fuzz
CC=clang CXX=clang++ cmake -S . -B $BUILD -G Ninja -DAMTSWEG_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -Wno-dev >/dev/null || exit 1

# target:corpus folder (relative to the repo)
targets=(
  "feel_parser_fuzz:src/feel/fuzz_corpus"
  "dmn_importer_fuzz:"
  "bpmn_importer_fuzz:src/bpmn/testdata/fuzz_corpus"
  "forms_validator_fuzz:src/forms/fuzz_corpus/validator"
  "forms_xdf_importer_fuzz:src/forms/fuzz_corpus/xdf"
  "http_request_fuzz:src/http/fuzz_corpus"
)
names=()
for t in "${targets[@]}"; do names+=("${t%%:*}"); done
ninja -C $BUILD "${names[@]}" >/dev/null || { echo "fuzz: build failed"; exit 1; }

conformance=${AMTSWEG_CONFORMANCE:-$root/../shared/conformance}
passed=0 failed=0
for t in "${targets[@]}"; do
  name=${t%%:*}
  seed=${t#*:}
  work=$BUILD/corpus/$name
  crashes=$BUILD/crashes/$name
  rm -rf "$work"; mkdir -p "$work" "$crashes"
  if [ -n "$seed" ] && [ -d "$seed" ]; then cp -r "$seed"/. "$work"/; fi
  if [ "$name" = dmn_importer_fuzz ] && [ -d "$conformance/dmn-tck" ]; then
    find "$conformance/dmn-tck" -name '*.dmn' | head -n 60 | while read -r f; do cp "$f" "$work/"; done
  fi
  bin=$(find "$BUILD" -name "$name" -type f -executable | head -n 1)
  log=$BUILD/$name.log
  start=$(date +%s)
  "$bin" -runs="$runs" -max_total_time=1800 -rss_limit_mb=2048 -artifact_prefix="$crashes/" \
    "$work" >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  done_runs=$(grep -oE '^(#[0-9]+)[[:space:]]+DONE' "$log" | tail -n 1 | grep -oE '[0-9]+')
  if [ "$rc" = 0 ] && [ -n "$done_runs" ]; then
    echo "fuzz: $name: $done_runs executions in ${secs}s, no crash"
    passed=$((passed + 1))
  else
    echo "fuzz: $name: FAILED (exit $rc) after ${secs}s; inputs in $crashes"
    grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -n 5 | sed 's/^/    /'
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
