#!/usr/bin/env bash
# bench/ab.sh - two builds timed back to back, alternating, on one command.
#
#   REF=old/alignsim [NEW=build-release/alignsim] [RUNS=5] bench/ab.sh ARGS...
#
# Runs `BIN run ARGS... --timing --quiet -o TMP` RUNS times for each binary,
# alternating REF and NEW so that a noisy machine's slow spells fall on both,
# and prints each binary's simulate_s (the engine's own clock) and whole-
# process seconds as median, min and max.  Used in docs/performance.md to
# compare a change with the build before it; bench/identical.sh checks that
# the two give the same results.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${REF:?set REF to the reference alignsim binary}"
NEW=${NEW:-build-release/alignsim}
RUNS=${RUNS:-5}
[[ $# -gt 0 ]] || { echo "usage: REF=old/alignsim bench/ab.sh SCENARIO [run options...]" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for ((r = 0; r < RUNS; r++)); do
    for side in ref new; do
        bin=$REF
        [[ $side == new ]] && bin=$NEW
        start=$(date +%s.%N)
        "$bin" run "$@" --timing --quiet -o "$tmp/out.h5" >"$tmp/timing" 2>&1
        end=$(date +%s.%N)
        sim=$(grep -o '"simulate_s":[0-9.]*' "$tmp/timing" | cut -d: -f2)
        echo "$side $sim $start $end" >>"$tmp/all"
    done
done
/usr/bin/python3 - "$tmp/all" "$REF" "$NEW" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
for side, name in (("ref", sys.argv[2]), ("new", sys.argv[3])):
    sim = [float(r[1]) for r in rows if r[0] == side]
    tot = [float(r[3]) - float(r[2]) for r in rows if r[0] == side]
    print(f"{side} {name}: simulate_s median {statistics.median(sim):.3f} (min {min(sim):.3f}, max {max(sim):.3f});"
          f" whole process median {statistics.median(tot):.3f} (min {min(tot):.3f}, max {max(tot):.3f}); {len(sim)} runs")
PY
