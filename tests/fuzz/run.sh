#!/usr/bin/env bash
# tests/fuzz/run.sh SECONDS [HARNESS...] - runs each libFuzzer harness for SECONDS, side by side.
#
# Needs the fuzz build (scripts/setup.sh fuzz makes it: clang, -DALIGNSIM_FUZZ=ON, in build-fuzz/).
# Each harness starts from its corpus in tests/fuzz/HARNESS/, copied (the corpus in git changes only
# by hand).  A finding is written to fuzz-findings/HARNESS/ and fails the run: add it to the corpus
# (tests/fuzz/README.md) once fixed, and it is a regression test from then on.  Prints each
# harness's last status line (runs, coverage, corpus) and its log's path.
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:?usage: tests/fuzz/run.sh SECONDS [scenario results]}
shift
harnesses=("$@")
((${#harnesses[@]})) || harnesses=(scenario results)
work=$(mktemp -d "${TMPDIR:-/tmp}/alignsim-fuzz-run.XXXXXX")
trap 'rm -rf "$work"' EXIT
declare -A opts=(
  [scenario]="-dict=tests/fuzz/scenario.dict -max_len=65536"
  [results]="-max_len=512"
)
pids=()
for h in "${harnesses[@]}"; do
  bin=build-fuzz/tests/fuzz/fuzz_$h
  [ -x "$bin" ] || { echo "fuzz: $bin is not built (run: bash scripts/setup.sh fuzz)" >&2; exit 2; }
  mkdir -p "$work/$h" "fuzz-findings/$h"
  cp tests/fuzz/"$h"/* "$work/$h/"
  # -timeout: an input taking 30 s is a hang; -rss_limit_mb: one using 4 GB is a finding too
  # shellcheck disable=SC2086
  "$bin" ${opts[$h]} -max_total_time="$secs" -timeout=30 -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="fuzz-findings/$h/" "$work/$h" >"$work/$h.log" 2>&1 &
  pids+=($!)
done
status=0
for i in "${!harnesses[@]}"; do
  h=${harnesses[$i]}
  if ! wait "${pids[$i]}"; then
    status=1
    echo "fuzz: $h FOUND a problem; its input is in fuzz-findings/$h/:" >&2
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$work/$h.log" | head -20 >&2
  fi
  cp "$work/$h.log" "fuzz-findings/$h.log"
  line=$(grep -E '^#[0-9]+' "$work/$h.log" | tail -1 || true)
  runs=$(grep -E '^stat::number_of_executed_units' "$work/$h.log" | awk '{print $2}' || true)
  echo "fuzz: $h: ${runs:-?} inputs in $secs s; last status: $line (log: fuzz-findings/$h.log)"
done
exit $status
