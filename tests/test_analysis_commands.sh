#!/bin/sh
# test_analysis_commands.sh ALIGNSIM PYTHON - `alignsim compare` and `alignsim export` end to end
# on the toy cohort model, whose answers are known in closed form.
#
# The toy: every student is average, knows of the one program, and applies to it in grade 10 with
# probability apply_rate; dropout is 0.05 in every grade and every grade-12 student who stays
# graduates; completion needs nothing.  So a cohort of N yields apply_rate * 0.95^4 * N pathway
# completers (the CTE dropout effect is off: effects.pathway_dropout 0), and raising apply_rate from 0.3 to 0.4 adds 0.1 * 0.95^4 * N per cohort.  With the
# same seed both runs share their draws student by student (common random numbers), so the paired
# interval is narrow and must contain that number.
set -eu
ALIGNSIM=$1
PYTHON=${2:-/usr/bin/python3}
. "$(dirname "$0")/lib.sh" # WORK, fail

N=20000
COHORTS=10
REPS=8
cat > "$WORK/toy.json" <<EOF
{"name": "toy", "years": 13, "cohort_years": $COHORTS, "cohort_size": $N, "replications": $REPS, "seed": 11,
 "school": {"dropout": 0.05, "retention": 0, "graduation": 1, "readiness_sd": 0, "awareness": 1},
 "programs": {"cte": {"type": "cte", "entry_grade_min": 10, "entry_grade_max": 10, "apply_rate": 0.3,
   "credential": "cert", "requirements": {"hours": 0, "credential": false, "wbl": false}}},
 "effects": {"pathway_dropout": 0},
 "credentials": {"cert": {"cip": "11.1006", "grade_min": 12, "pass_rate": 0.6}}}
EOF
cd "$WORK"
"$ALIGNSIM" run toy.json -o base.h5 --quiet
"$ALIGNSIM" run toy.json -o proposal.h5 --quiet --set programs.cte.apply_rate=0.4
"$ALIGNSIM" run toy.json -o other-seed.h5 --quiet --seed 12
"$ALIGNSIM" run toy.json -o fewer-reps.h5 --quiet --replications 4

# 1. a run against itself: every difference 0 with a zero-width interval, nothing distinguishable,
#    and nothing on stderr (not a terminal)
"$ALIGNSIM" compare base.h5 base.h5 --csv self.csv > self.txt 2> self.err || fail "compare with itself"
[ ! -s self.err ] || fail "compare wrote to stderr off a terminal: $(cat self.err)"
grep -q "pathway_completers" self.txt || fail "the table lacks pathway_completers"
"$PYTHON" - self.csv <<'EOF'
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) > 20, len(rows)
for r in rows:
    assert r["distinguishable"] == "false", r
    if r["metric"] == "cost_per_additional_credential":
        assert r["diff_mean"] == "NA", r
        continue
    if r["diff_mean"] == "NA":
        continue
    assert float(r["diff_mean"]) == 0 and float(r["diff_ci_low"]) == 0 and float(r["diff_ci_high"]) == 0, r
    assert r["base_mean"] == r["proposal_mean"], r
EOF

# 2. a known proposal: the paired interval contains 0.1 * 0.95^4 * N * cohorts
"$ALIGNSIM" compare base.h5 proposal.h5 --csv effect.csv > effect.txt 2> effect.err || fail "compare proposal"
[ ! -s effect.err ] || fail "compare wrote to stderr: $(cat effect.err)"
"$PYTHON" - effect.csv $N $COHORTS <<'EOF'
import csv, sys
rows = {(r["metric"], r["category"], r["year"]): r for r in csv.DictReader(open(sys.argv[1]))}
n, cohorts = int(sys.argv[2]), int(sys.argv[3])
expect = 0.1 * 0.95 ** 4 * n * cohorts
for key in [("pathway_completers", "all", "all"), ("pathway_completers", "cte", "all")]:
    r = rows[key]
    low, mean, high = float(r["diff_ci_low"]), float(r["diff_mean"]), float(r["diff_ci_high"])
    assert low <= expect <= high, (key, low, mean, high, expect)
    assert high - low < 0.02 * expect, ("the paired interval should be narrow", low, high)
    assert r["distinguishable"] == "true", r
# graduates do not depend on the program in the toy: the same students graduate in both runs
g = rows[("graduates", "all", "all")]
assert float(g["diff_mean"]) == 0 and g["distinguishable"] == "false", g
print("completers difference %.1f in [%s, %s]; closed form %.1f" % (
    float(rows[("pathway_completers", "all", "all")]["diff_mean"]),
    rows[("pathway_completers", "all", "all")]["diff_ci_low"],
    rows[("pathway_completers", "all", "all")]["diff_ci_high"], expect))
EOF
grep -E "^pathway_completers +all +all .*\*$" effect.txt > /dev/null || fail "the table does not mark the effect"

# 3. refusals: exit 2 and one line saying why, nothing written
refuse() {
    status=0
    "$ALIGNSIM" compare "$1" "$2" --csv refused.csv > refused.out 2> refused.err || status=$?
    [ "$status" -eq 2 ] || fail "compare $1 $2: exit $status, expected 2"
    [ "$(wc -l < refused.err)" -eq 1 ] || fail "compare $1 $2: expected one line, got: $(cat refused.err)"
    grep -q "$3" refused.err || fail "compare $1 $2: expected \"$3\", got: $(cat refused.err)"
    [ ! -e refused.csv ] || fail "compare $1 $2 wrote a CSV"
}
refuse base.h5 other-seed.h5 "seeds differ (11 vs 12)"
refuse base.h5 fewer-reps.h5 "replications differ (8 vs 4)"
refuse base.h5 missing.h5 "missing.h5: cannot open"
refuse base.h5 toy.json "toy.json: not an HDF5 file"
status=0
"$ALIGNSIM" compare base.h5 2> usage.err > /dev/null || status=$?
[ "$status" -eq 2 ] || fail "compare with one file: exit $status"

# 4. export: one row per (replication, year, categories), labels not indices
"$ALIGNSIM" export base.h5 --csv out/tables > export.out 2> export.err || fail "export"
[ ! -s export.err ] && [ ! -s export.out ] || fail "export was not quiet off a terminal"
YEARS=13
rows() { echo $(( $(wc -l < "out/tables/$1") - 1 )); }
[ "$(rows graduates.csv)" -eq $((REPS * YEARS * 2 * 1)) ] || fail "graduates.csv: $(rows graduates.csv) rows"
[ "$(rows earnings.csv)" -eq $((REPS * YEARS)) ] || fail "earnings.csv: $(rows earnings.csv) rows"
OCC=$("$PYTHON" -c "import h5py,sys; print(h5py.File(sys.argv[1])['occupation'].shape[0])" base.h5)
[ "$(rows supply.csv)" -eq $((REPS * YEARS * OCC)) ] || fail "supply.csv: $(rows supply.csv) rows"
[ "$(rows openings.csv)" -eq $((YEARS * OCC)) ] || fail "openings.csv: $(rows openings.csv) rows"
[ "$(head -1 out/tables/graduates.csv)" = "replication,year,pathway,subgroup,value" ] || fail "graduates.csv header"
grep -q "^0,2028,cte,all," out/tables/graduates.csv || fail "graduates.csv lacks labelled rows"
[ -s out/tables/summary.csv ] || fail "no summary.csv"
ls out/tables | grep -q tmp && fail "export left temporary files"
status=0
"$ALIGNSIM" export base.h5 2> /dev/null || status=$?
[ "$status" -eq 2 ] || fail "export without --csv: exit $status"
# 5. the occupation view: the board's question in one command (openings, supply by source, share, band)
read SOC SUPPLY SHARE OPEN <<EOF2
$("$PYTHON" - base.h5 <<'PY'
import h5py, sys
f = h5py.File(sys.argv[1], "r")
s = f["supply_mean"][-1]
o = int(s.argmax())
op = f["openings"][-1, o]
print(f["occupation"].asstr()[o], "%.1f" % s[o], "%.1f" % (100 * s[o] / op), "%.1f" % op)
PY
)
EOF2
[ -n "$SOC" ] && [ -n "$OPEN" ] && [ "$SUPPLY" != "0.0" ] || fail "no occupation with supply in the toy: '$SOC' '$SUPPLY' '$OPEN'"
"$ALIGNSIM" compare base.h5 proposal.h5 --occupation "$SOC" > occ.txt 2> occ.err || fail "occupation view: $(cat occ.err)"
grep -q "^$SOC " occ.txt || fail "occupation view lacks $SOC: $(cat occ.txt)"
grep -q "^  openings  *$OPEN " occ.txt || fail "occupation view: openings, expected $OPEN: $(grep openings occ.txt)"
grep -q "^  pipeline supply  *$SUPPLY " occ.txt || fail "occupation view: supply, expected $SUPPLY: $(grep 'pipeline supply' occ.txt)"
grep -q "^  pipeline share of openings (%)  *$SHARE " occ.txt || fail "occupation view: share, expected $SHARE: $(grep share occ.txt)"
grep -q "from high-school credentials  *$SUPPLY " occ.txt || fail "occupation view: the toy's supply is all high-school credentials"
grep -q "difference (paired)" occ.txt || fail "occupation view: no difference column"
grep -q "other supply (base): none given (0)" occ.txt || fail "occupation view: other supply source: $(grep 'other supply (' occ.txt)"
"$ALIGNSIM" run toy.json -o assumed.h5 --quiet --set labor_market.other_supply_share=0.8
"$ALIGNSIM" compare assumed.h5 assumed.h5 --occupation "$SOC" --year 2030 > assumed.txt || fail "occupation view, year 2030"
grep -q "Occupation view, 2030" assumed.txt || fail "occupation view: not the year asked"
grep -q "ASSUMPTION, illustrative and not calibrated: 80% of openings" assumed.txt || fail "occupation view: the share default is not flagged: $(grep 'other supply (' assumed.txt)"
"$PYTHON" -c "
import h5py, sys
a = h5py.File('assumed.h5', 'r')['other_supply_assumed'][()]
b = h5py.File('base.h5', 'r')['other_supply_assumed'][()]
assert a.min() == 1 and b.max() == 0, (a.min(), b.max())" || fail "other_supply_assumed does not flag the share default"
"$ALIGNSIM" report assumed.h5 -o assumed.html || fail "report of assumed.h5"
grep -q "an ASSUMPTION for [0-9]* of these occupations: a fixed share of their openings" assumed.html ||
    fail "the report does not call the share-of-openings default an assumption"
"$ALIGNSIM" report base.h5 -o plain.html || fail "report of base.h5"
grep -q "an ASSUMPTION for" plain.html && fail "the report flags an assumption that the run does not make"
for bad in "--occupation 99-1234" "--occupation $SOC --year 2101" "--year 2030" "--occupation $SOC --csv x.csv"; do
    status=0
    "$ALIGNSIM" compare base.h5 proposal.h5 $bad > bad.out 2> bad.err || status=$?
    [ "$status" -eq 2 ] || fail "compare $bad: exit $status, expected 2"
    [ "$(wc -l < bad.err)" -eq 1 ] || fail "compare $bad: expected one line, got: $(cat bad.err)"
    [ ! -s bad.out ] || fail "compare $bad wrote output"
done
echo "ok"
