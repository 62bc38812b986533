#!/bin/sh
# test_calibrate.sh ALIGNSIM SOURCE_DIR PYTHON - `alignsim calibrate` recovers known parameters (issue 14):
# targets are made by the model itself at known parameter values (the toy cohort, 5,000 students a
# year, 4 replications); calibration starts elsewhere and must land within 2 of its own standard
# errors of the truth, for three parameter sets, one of them seat-limited (seats bind, so the seats
# are identified by the completers and the apply rate by the applicants).  Then the refusals:
# more parameters than targets, a parameter that moves no target, a target out of reach, a target
# with neither se nor tolerance: exit 2, a message naming the key, no file written.  The fit is the
# same on 1 and 3 threads (batches of simulations side by side).
set -eu
ALIGNSIM=$1
SOURCE=$2
PYTHON=${3:-/usr/bin/python3}
. "$(dirname "$0")/lib.sh" # WORK, fail
cd "$WORK"
cp "$SOURCE/scenarios/toy-cohort.json" .

# recover CASE TRUTH-SETS START-JSON PARAMETERS-JSON TARGET-METRICS
recover() {
    name=$1 truth=$2 start=$3 params=$4
    eval "\"$ALIGNSIM\" run toy-cohort.json -o $name-truth.h5 --quiet --set cohort_size=5000 --replications 4 $truth" ||
        fail "$name: truth run"
    "$PYTHON" - "$name" "$start" "$params" <<'PY' || fail "$name: making the calibration file"
import json, sys, h5py
name, start, params = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
f = h5py.File(name + "-truth.h5", "r")
def total(var):  # summed over years and categories, subgroup "all", mean over replications
    x = f[var][()]
    if x.ndim == 4:
        x = x[..., 0]
    return float(x.sum(axis=tuple(range(1, x.ndim))).mean())
targets = {}
for metric in ("pathway_completers", "credentials", "applicants", "admitted"):
    v = total(metric)
    targets[metric] = {"metric": metric, "value": v, "se": max(1.0, 0.01 * v)}
doc = {"extends": "toy-cohort.json", "name": name, "cohort_size": 5000, "replications": 4,
       "calibration": {"targets": targets, "parameters": params}}
for path, value in start.items():
    node = doc
    keys = path.split(".")
    for k in keys[:-1]:
        node = node.setdefault(k, {})
    node[keys[-1]] = value
json.dump(doc, open(name + ".json", "w"), indent=1)
PY
    "$ALIGNSIM" calibrate $name.json -o $name-fit.json --quiet > $name.table || fail "$name: calibrate: $(cat $name.table)"
    grep -q "^  parameter" $name.table || fail "$name: no fit table"
}
check() { # CASE KEY TRUE: the fitted value is within 2 standard errors of the truth
    "$PYTHON" - "$@" <<'PY' || fail "$1: $2 not recovered: $(cat $1.table)"
import sys
name, key, truth = sys.argv[1], sys.argv[2], float(sys.argv[3])
for line in open(name + ".table"):
    f = line.split()
    if len(f) >= 4 and f[1] == key:
        fitted, se = float(f[2]), float(f[3])
        assert abs(fitted - truth) <= 2 * se, (key, fitted, se, truth)
        print("%s %s: %.4f (se %.4f), truth %g" % (name, key, fitted, se, truth))
        break
else:
    raise SystemExit("no row for " + key)
PY
}

recover a "" '{"programs.cte.apply_rate": 0.5, "credentials.cert.pass_rate": 0.4}' \
    '{"apply": {"path": "programs.cte.apply_rate", "min": 0.05, "max": 0.9}, "pass": {"path": "credentials.cert.pass_rate", "min": 0.1, "max": 0.95}}'
check a programs.cte.apply_rate 0.3
check a credentials.cert.pass_rate 0.6
recover b "--set programs.cte.apply_rate=0.65 --set credentials.cert.pass_rate=0.45" \
    '{"programs.cte.apply_rate": 0.2, "credentials.cert.pass_rate": 0.8}' \
    '{"apply": {"path": "programs.cte.apply_rate", "min": 0.05, "max": 0.9}, "pass": {"path": "credentials.cert.pass_rate", "min": 0.1, "max": 0.95}}'
check b programs.cte.apply_rate 0.65
check b credentials.cert.pass_rate 0.45
recover seats "--set programs.cte.seats=600" '{"programs.cte.apply_rate": 0.5, "programs.cte.seats": 1000}' \
    '{"apply": {"path": "programs.cte.apply_rate", "min": 0.05, "max": 0.9}, "seats": {"path": "programs.cte.seats", "min": 100, "max": 2000}}'
check seats programs.cte.apply_rate 0.3
check seats programs.cte.seats 600

# the same fit on one thread and on three: the independent simulations (the checks, the scan, the
# standard errors) run as batches side by side where the threads allow, the simplex's one at a time
"$ALIGNSIM" calibrate a.json -o a-fit1.json --threads 1 --quiet > a1.table || fail "a: calibrate --threads 1"
"$ALIGNSIM" calibrate a.json -o a-fit3.json --threads 3 --quiet > a3.table || fail "a: calibrate --threads 3"
cmp a1.table a3.table > /dev/null || fail "a: the fit table differs between 1 and 3 threads: $(diff a1.table a3.table)"
grep -v FITTED a-fit1.json > a-fit1.cmp && grep -v FITTED a-fit3.json > a-fit3.cmp  # the date is in the sources
cmp a-fit1.cmp a-fit3.cmp > /dev/null || fail "a: the calibrated scenario differs between 1 and 3 threads"

# the calibrated scenario extends its input, records what was fitted, and reproduces the targets
grep -q '"extends":	"a.json"' a-fit.json || fail "a-fit.json does not extend a.json: $(head -3 a-fit.json)"
grep -q "FITTED by alignsim calibrate" a-fit.json || fail "a-fit.json's sources do not say what was fitted"
"$ALIGNSIM" run a-fit.json -o a-fit.h5 --quiet || fail "running the calibrated scenario"
mkdir -p out/deeper
"$ALIGNSIM" calibrate a.json -o out/deeper/a-fit.json --quiet > /dev/null || fail "calibrate into another folder"
grep -q '"extends":	"../../a.json"' out/deeper/a-fit.json || fail "out/deeper/a-fit.json: $(head -3 out/deeper/a-fit.json)"
"$ALIGNSIM" validate out/deeper/a-fit.json > /dev/null || fail "the calibrated scenario in another folder is not valid"
"$ALIGNSIM" report a-fit.h5 -o a-fit.html > /dev/null || fail "report of the calibrated scenario"
grep -q 'FITTED</td>' a-fit.html && grep -Eq 'programs.cte.apply_rate = 0[.](29|30)' a-fit.html ||
    fail "the report's assumptions table does not mark the fitted values as FITTED"

# refusals: exit 2, the key named, nothing written
refuse() { # FILE EXPECTED
    status=0
    "$ALIGNSIM" calibrate "$1" -o refused.json --quiet > /dev/null 2> refused.err || status=$?
    [ "$status" -eq 2 ] && grep -qF "$2" refused.err && [ ! -e refused.json ] ||
        fail "$1: exit $status, expected 2 and \"$2\": $(cat refused.err)"
}
mk() { # NAME CALIBRATION-JSON
    printf '{"extends": "toy-cohort.json", "name": "%s", "cohort_size": 2000, "replications": 2, "calibration": %s}\n' "$1" "$2" > "$1.json"
}
mk many '{"targets": {"c": {"metric": "pathway_completers", "value": 5000, "se": 50}}, "parameters": {"a": {"path": "programs.cte.apply_rate", "min": 0.1, "max": 0.9}, "p": {"path": "credentials.cert.pass_rate", "min": 0.1, "max": 0.9}}}'
refuse many.json "2 free parameters but 1 targets"
mk flat '{"targets": {"c": {"metric": "pathway_completers", "value": 5000, "se": 50}}, "parameters": {"share": {"path": "labor_market.regional_share", "min": 0.1, "max": 0.9}}}'
refuse flat.json "calibration.parameters.share: labor_market.regional_share moves no target between 0.1 and 0.9"
# seats full: the completers say only that the apply rate is high enough
mk full '{"targets": {"c": {"metric": "admitted", "value": 400, "se": 4}}, "parameters": {"a": {"path": "programs.cte.apply_rate", "min": 0.02, "max": 0.9}}}'
sed -i 's/"replications": 2,/"replications": 2, "programs": {"cte": {"seats": 40}},/' full.json
refuse full.json "calibration.parameters.a: the targets do not pin programs.cte.apply_rate down"
mk far '{"targets": {"c": {"metric": "pathway_completers", "value": 900000, "se": 50}}, "parameters": {"a": {"path": "programs.cte.apply_rate", "min": 0.1, "max": 0.9}}}'
refuse far.json "calibration.targets.c: cannot be reached within the bounds"
mk nose '{"targets": {"c": {"metric": "pathway_completers", "value": 5000}}, "parameters": {"a": {"path": "programs.cte.apply_rate", "min": 0.1, "max": 0.9}}}'
refuse nose.json "calibration.targets.c: give exactly one of se and tolerance"
refuse toy-cohort.json "calibration: expected targets and parameters to fit"
mk badmetric '{"targets": {"c": {"metric": "completers", "value": 5000, "se": 5}}, "parameters": {"a": {"path": "programs.cte.apply_rate", "min": 0.1, "max": 0.9}}}'
refuse badmetric.json '"completers" is not a results variable'
echo ok
