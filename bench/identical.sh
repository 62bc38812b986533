#!/usr/bin/env bash
# bench/identical.sh - are two builds' results bit-identical?
#
#   REF=path/to/old/alignsim bench/identical.sh [NEW]
#
# Runs every library scenario (scenarios/*.json that `run` accepts) with the
# reference binary on one thread and with NEW (default build-release/alignsim)
# on 1, 2 and 3 threads, plus miami-dade.json with 6 replications (also on
# 4 threads: 4 side by side, then 2 one at a time on 4 threads) and with 5 on
# 2, 3 and 4 threads, which go in two stages too (engine.c: 4, then 1 on 2
# threads; 3, then 2 on 3; 4, then 1 on 4), and compares each pair with h5diff: every dataset's values and attributes,
# leaving out only the root group's attributes (times, command line,
# history, threads), which say how the file was made.  Prints one line per
# comparison and exits 1 when any differs.  Used when a change to the
# engine must leave results alone (docs/performance.md).
set -u
cd "$(dirname "$0")/.."
NEW=${1:-build-release/alignsim}
: "${REF:?set REF to the reference alignsim binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
compare() { # name, extra args... (threads: $THREADS, default 1 2 3)
    local name=$1
    shift
    if ! "$REF" run "$@" --threads 1 --quiet -o "$tmp/ref.h5" 2>"$tmp/err"; then
        echo "skip  $name (the reference refuses it: $(head -c 120 "$tmp/err"))"
        return
    fi
    for t in ${THREADS:-1 2 3}; do
        if ! "$NEW" run "$@" --threads "$t" --quiet -o "$tmp/new.h5" 2>"$tmp/err"; then
            echo "FAIL  $name, $t threads: $(head -c 200 "$tmp/err")"
            fail=1
        elif h5diff --exclude-attribute / "$tmp/ref.h5" "$tmp/new.h5" >"$tmp/diff" 2>&1; then
            echo "same  $name, $t threads"
        else
            echo "DIFF  $name, $t threads: $(head -3 "$tmp/diff" | tr '\n' ' ')"
            fail=1
        fi
    done
}
for f in scenarios/*.json; do
    compare "$(basename "$f")" "$f"
done
THREADS="1 2 3 4" compare "miami-dade.json --replications 6" scenarios/miami-dade.json --replications 6
THREADS="2 3 4" compare "miami-dade.json --replications 5" scenarios/miami-dade.json --replications 5
exit $fail
