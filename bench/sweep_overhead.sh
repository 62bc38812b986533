#!/bin/sh
# bench/sweep_overhead.sh [ALIGNSIM] [POINTS] - the per-point cost of a sweep beyond the simulation
# itself (deriving the point's scenario, preparing the labor market, reading the outputs, the
# journal), from the sweep file's point_seconds and simulate_seconds: issue 13 asks for under 5%.
# Runs an LHS sweep of POINTS (default 16) points of scenarios/miami-dade.json at full size, 2
# replications, one thread, and prints the overhead's share of the simulation time.
set -eu
ALIGNSIM=${1:-build/alignsim}
POINTS=${2:-16}
SOURCE=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$SOURCE/scenarios/miami-dade.json" "$WORK/"
cat > "$WORK/bench.json" <<JSON
{"name": "overhead", "scenario": "miami-dade.json", "replications": 2,
 "parameters": {"labor_market.other_supply_share": {"uniform": [0.5, 1]},
                "programs.*.apply_rate": {"uniform": [0.8, 1.2], "scale": true},
                "effects.pathway_in_field": {"uniform": [0, 0.8]}},
 "design": {"method": "lhs", "n": $POINTS, "seed": 1},
 "outputs": ["alignment_index.year[2034]", "gap.occupation[47-2111].year[2030]", "graduates"]}
JSON
"$ALIGNSIM" sweep "$WORK/bench.json" -o "$WORK/bench.h5" --threads 1 --quiet
/usr/bin/python3 - "$WORK/bench.h5" <<'PY'
import sys, h5py
f = h5py.File(sys.argv[1], "r")
total, sim = f["point_seconds"][()].sum(), f["simulate_seconds"][()].sum()
n = len(f["point_seconds"])
print("%d points: %.3f s per point, %.3f s of it simulating; overhead %.2f%% of the simulation"
      % (n, total / n, sim / n, 100 * (total - sim) / sim))
PY
