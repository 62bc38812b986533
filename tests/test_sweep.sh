#!/bin/sh
# test_sweep.sh ALIGNSIM SOURCE_DIR PYTHON - `alignsim sweep` and `sweep-merge` end to end (issue 13):
#   - points are the base scenario with the parameters set: a scaled family (programs.*.apply_rate)
#     and a step from a year (from_year) reach the scenario as documented, and every point's
#     outputs equal an `alignsim run` of that point's scenario (common random numbers: same seed);
#   - the file is the same bits for --threads 1, 2 and 4 (points side by side), and for three slices merged;
#   - a point that fails beside others stops the sweep with its error and is run on --resume; SIGINT
#     while points run side by side leaves no temporary file, and --resume completes the sweep;
#   - a sweep killed with SIGKILL part-way and resumed equals an uninterrupted run, point for point;
#   - a bad sweep file exits 2 and writes nothing;
#   - the file opens by name (CF-1.8, format_version 2): xarray's parameter and output coordinates are
#     the names, ds["output_value"].sel(output="graduates") is the sweep's (and the run's) numbers, the
#     global attributes are there and no DIMENSION_LABELS, and sensitivity --json names the same.
set -eu
ALIGNSIM=$1
SOURCE=$2
PYTHON=${3:-/usr/bin/python3}
. "$(dirname "$0")/lib.sh" # WORK, fail
cd "$WORK"
cp "$SOURCE/scenarios/miami-dade.json" . # a scenario extends files in its own folder only
cat > small.json <<'JSON'
{"extends": "miami-dade.json", "name": "small", "cohort_size": 1500, "replications": 2,
 "iet": {"adults_per_year": 100}}
JSON
cat > sweep.json <<'JSON'
{"name": "test", "scenario": "small.json",
 "parameters": {"labor_market.other_supply_share": {"uniform": [0.5, 1.0]},
                "programs.*.apply_rate": {"uniform": [0.5, 1.5], "scale": true},
                "apprenticeships.electrician.slots": {"levels": [40, 400], "from_year": 2028}},
 "design": {"method": "lhs", "n": 9, "seed": 4},
 "outputs": ["alignment_index.year[2034]", "gap.occupation[47-2111].year[2030]", "graduates", "supply.year[2034]",
             "apprenticeship_starts.apprenticeship[electrician].year[2029]"]}
JSON
"$ALIGNSIM" sweep sweep.json -o one.h5 --threads 1 --quiet || fail "sweep --threads 1"
[ ! -e one.h5.journal ] || fail "the journal was left after a complete sweep"
"$ALIGNSIM" sweep sweep.json -o two.h5 --threads 2 --quiet || fail "sweep --threads 2"
h5diff one.h5 two.h5 output_value > /dev/null || fail "threads 1 and 2 differ"
# 4 threads: points 0-7 side by side, one engine thread each, point 8 on all four (as_sweep_run)
"$ALIGNSIM" sweep sweep.json -o four.h5 --threads 4 --quiet || fail "sweep --threads 4"
h5diff one.h5 four.h5 output_value > /dev/null || fail "threads 1 and 4 differ"

# a point that fails while others run beside it: the sweep stops with that point's error (exit 1),
# keeps the finished points in the journal, writes no file, and --resume completes it
mkdir kept4 kept4/point-000005.h5
status=0
"$ALIGNSIM" sweep sweep.json -o failed.h5 --threads 4 --keep-results kept4 --quiet 2> failed.err || status=$?
[ "$status" -eq 1 ] && grep -q "point-000005.h5" failed.err && [ ! -e failed.h5 ] && [ -f failed.h5.journal ] ||
    fail "a failing point beside others: exit $status, $(cat failed.err)"
grep -q "^5 " failed.h5.journal && fail "the failed point 5 is in the journal"
rmdir kept4/point-000005.h5
"$ALIGNSIM" sweep sweep.json -o failed.h5 --threads 4 --keep-results kept4 --resume --quiet || fail "resume after a failed point"
h5diff one.h5 failed.h5 output_value > /dev/null || fail "the sweep resumed after a failed point differs"
[ "$(ls kept4 | wc -l)" -eq 9 ] || fail "resumed --keep-results holds $(ls kept4 | wc -l) files, expected 9"

# --keep-results: every point's whole results, which `alignsim compare` reads like any run
mkdir kept
"$ALIGNSIM" sweep sweep.json -o kept.h5 --keep-results kept --quiet || fail "sweep --keep-results"
[ "$(ls kept | wc -l)" -eq 9 ] || fail "--keep-results wrote $(ls kept | wc -l) files, expected 9"
"$ALIGNSIM" compare kept/point-000000.h5 kept/point-000003.h5 > /dev/null || fail "compare two kept points"
"$PYTHON" - kept/point-000000.h5 <<'PY' || fail "a kept point's provenance (history, data_files)"
import h5py, re, sys
f = h5py.File(sys.argv[1], "r")
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: alignsim sweep --keep-results", f.attrs["history"].decode()), \
    f.attrs["history"]
assert [e.split(" sha256:")[0] for e in f.attrs["data_files"].decode().split("; ")] == [
    "bls_ep_occupations_2024_34.csv", "soc2018_to_ep_code.csv", "nces_cip2020_soc2018_crosswalk.csv"], f.attrs["data_files"]
PY
status=0
"$ALIGNSIM" sweep sweep.json -o nokeep.h5 --keep-results no/such/dir --quiet 2> keep.err || status=$?
[ "$status" -eq 2 ] && grep -q 'keep-results: folder "no/such/dir" does not exist' keep.err && [ ! -e nokeep.h5.journal ] ||
    fail "--keep-results into a missing folder: exit $status: $(cat keep.err)"

# point 3 by hand: the same keys set by --set give the same outputs
"$PYTHON" - <<'PY' > point.sets || fail "reading the design"
import h5py, json
f = h5py.File("one.h5", "r")
v = f["parameter_value"][3]
base = json.load(open("miami-dade.json"))
sets = ["labor_market.other_supply_share=%r" % v[0]]
for pid, prog in base["programs"].items():
    sets.append("programs.%s.apply_rate=%r" % (pid, prog["apply_rate"] * v[1]))
slots = base["apprenticeships"]["electrician"]["slots"]
sets.append('apprenticeships.electrician.slots={"2025": %r, "2028": %r}' % (slots, v[2]))
print("\n".join(sets))
PY
args=""
while IFS= read -r s; do args="$args --set '$s'"; done < point.sets
eval "\"$ALIGNSIM\" run small.json -o point3.h5 --quiet $args" || fail "run of point 3"
"$PYTHON" - <<'PY' || fail "point 3 differs from its run"
import h5py, numpy as np
s, r = h5py.File("one.h5", "r"), h5py.File("point3.h5", "r")
out = s["output_value"][3]                       # (replication, output)
occ = list(r["occupation"].asstr()[()])
years = list(r["year"][()])
o, t30, t34 = occ.index("47-2111"), years.index(2030), years.index(2034)
gap = r["openings"][t30, o] - r["supply"][:, t30, o] - r["other_supply"][t30, o]
grads = r["graduates"][:, :, :, 0].sum(axis=(1, 2))
trades = list(r["apprenticeship"].asstr()[()])
starts = r["apprenticeship_starts"][:, years.index(2029), trades.index("electrician")]
assert np.array_equal(out[:, 1], gap), (out[:, 1], gap)
assert np.allclose(out[:, 2], grads, rtol=1e-13, atol=0), (out[:, 2], grads)
assert np.allclose(out[:, 3], r["supply"][:, t34].sum(axis=1), rtol=1e-13, atol=0), (out[:, 3], r["supply"][:, t34].sum(axis=1))
assert np.array_equal(out[:, 4], starts), (out[:, 4], starts)
assert s["parameter_value"][3, 2] in (40, 400)
PY

# the file opens by name (CF-1.8, format_version 2, as the results file): xarray's coordinates are the
# parameter and output names of the sweep file, and selecting by name gives the sweep's numbers
"$PYTHON" - <<'PY' || fail "the sweep file does not open by name in xarray"
import json, re, shutil, subprocess
import h5py, numpy as np, xarray as xr
sweep = json.load(open("sweep.json"))
outputs, params = sweep["outputs"], list(sweep["parameters"])
engines = ["h5netcdf"]
try:
    import netCDF4  # noqa: F401 (netCDF-C, as R and ncdump read)
    engines.append("netcdf4")
except ImportError:
    pass
raw = h5py.File("one.h5", "r")
run = h5py.File("point3.h5", "r")
grads = run["graduates"][:, :, :, 0].sum(axis=(1, 2))
for engine in engines:
    ds = xr.open_dataset("one.h5", engine=engine)
    assert [str(x) for x in ds["output"].values] == outputs, (engine, ds["output"].values)
    assert [str(x) for x in ds["parameter"].values] == params, (engine, ds["parameter"].values)
    assert list(ds["point"].values) == list(range(9)) and list(ds["replication"].values) == [0, 1], engine
    assert ds["output_value"].dims == ("point", "replication", "output"), ds["output_value"].dims
    assert ds["design_unit"].dims == ("point", "parameter") and ds["output_mean"].dims == ("point", "output")
    for i, name in enumerate(outputs):  # by name is by the sweep file's order
        assert np.array_equal(ds["output_value"].sel(output=name).values, raw["output_value"][:, :, i]), (engine, name)
    picked = ds["output_value"].sel(point=3, output="graduates").values
    assert np.allclose(picked, grads, rtol=1e-13, atol=0), (engine, picked, grads)  # the run of point 3
    slots = float(ds["parameter_value"].sel(point=3, parameter="apprenticeships.electrician.slots"))
    assert slots == raw["parameter_value"][3, 2] and slots in (40, 400), slots
    assert np.allclose(ds["output_mean"].values, ds["output_value"].mean("replication").values, rtol=1e-14, atol=0)
    assert not any(n.endswith("_label") for n in ds.variables), [n for n in ds.variables if n.endswith("_label")]
    for name, var in ds.variables.items():
        assert "DIMENSION_LABELS" not in var.attrs, (engine, name)
        assert var.attrs.get("long_name"), (engine, name, "no long_name")
    a = ds.attrs
    assert a["Conventions"] == "CF-1.8", a.get("Conventions")
    assert a["source"] == "alignsim %s (commit %s)" % (a["alignsim_version"], a["git_commit"]), a["source"]
    when, command = a["history"].split(": ", 1)  # the command as given, in its order
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", when), a["history"]
    assert command == "alignsim sweep sweep.json -o one.h5 --threads 1 --quiet", a["history"]
    assert a["history"].startswith(a["end_time"] + ": "), (a["history"], a["end_time"])
    assert a["format_version"] == 2 and np.asarray(a["format_version"]).dtype.kind == "i", repr(a["format_version"])
    ds.close()
def visit(name, obj):
    assert "DIMENSION_LABELS" not in obj.attrs, "h5py: %s carries DIMENSION_LABELS" % name
raw.visititems(visit)
assert "DIMENSION_LABELS" not in raw.attrs
units = {n: raw[n].attrs["units"].decode() for n in raw if "units" in raw[n].attrs}
assert units == {"design_unit": "1", "point_seconds": "s", "simulate_seconds": "s"}, units
if shutil.which("udunits2"):
    for u in set(units.values()):
        p = subprocess.run(["udunits2", "-H", u, "-W", ""], capture_output=True, text=True, stdin=subprocess.DEVNULL)
        assert p.returncode == 0 and "recognize" not in p.stderr, "units %r does not parse with UDUNITS-2" % u
PY

# slices merged equal the whole
for i in 1 2 3; do "$ALIGNSIM" sweep sweep.json -o part$i.h5 --slice $i/3 --quiet || fail "slice $i/3"; done
"$ALIGNSIM" sweep-merge -o merged.h5 part1.h5 part2.h5 part3.h5 || fail "sweep-merge"
h5diff one.h5 merged.h5 output_value > /dev/null || fail "merged slices differ from the whole"
"$PYTHON" - <<'PY' || fail "the merged file's coordinates differ from the whole's"
import xarray as xr
one, merged = xr.open_dataset("one.h5", engine="h5netcdf"), xr.open_dataset("merged.h5", engine="h5netcdf")
for dim in ("point", "replication", "parameter", "output"):
    assert list(one[dim].values) == list(merged[dim].values), (dim, one[dim].values, merged[dim].values)
assert merged.attrs["slice"] == "merged" and merged.attrs["format_version"] == 2, merged.attrs
# the merged file says the merge wrote it
assert merged.attrs["command_line"] == "alignsim sweep-merge -o merged.h5 part1.h5 part2.h5 part3.h5", merged.attrs
assert merged.attrs["history"] == merged.attrs["end_time"] + ": " + merged.attrs["command_line"], merged.attrs["history"]
assert (merged["output_value"] == one["output_value"]).all()
PY
status=0
"$ALIGNSIM" sweep-merge -o bad.h5 part1.h5 part2.h5 2> merge.err || status=$?
[ "$status" -eq 2 ] && grep -q "is in no part" merge.err && [ ! -e bad.h5 ] || fail "merge of missing points: $status"

# under Open MPI: 2 and 3 ranks (manager and workers) give the single process's outputs
if "$ALIGNSIM" --version | grep -q "Open MPI" && command -v mpirun > /dev/null; then
    export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
    # under AddressSanitizer (.ci/run): Open MPI leaves its own allocations to the exit, which
    # LeakSanitizer counts; memory errors are still caught, and the single-process runs above are
    # leak-checked through the same sweep code
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
    for np in 2 3; do
        mpirun -np $np --oversubscribe "$ALIGNSIM" sweep sweep.json -o mpi$np.h5 --threads 1 --quiet ||
            fail "mpirun -np $np"
        h5diff one.h5 mpi$np.h5 output_value > /dev/null || fail "mpirun -np $np differs from one process"
        h5diff one.h5 mpi$np.h5 design_unit > /dev/null || fail "mpirun -np $np: another design"
    done
    status=0
    mpirun -np 2 "$ALIGNSIM" sweep nosuch.json -o x.h5 --quiet 2> mpibad.err || status=$?
    [ "$status" -eq 2 ] && [ "$(grep -c 'nosuch.json: cannot open' mpibad.err)" -eq 1 ] ||
        fail "mpirun, bad file: exit $status, expected 2 and one message: $(cat mpibad.err)"
    echo "mpi: 2 and 3 ranks equal one process"
else
    echo "SKIP (part): alignsim is built without MPI"
fi

# killed part-way (SIGKILL) and resumed: nothing lost, nothing repeated
"$ALIGNSIM" sweep sweep.json -o killed.h5 --threads 1 --quiet &
pid=$!
for _ in $(seq 200); do
    [ -f killed.h5.journal ] && [ "$(wc -l < killed.h5.journal)" -ge 3 ] && break
    sleep 0.05
done
kill -9 $pid 2> /dev/null || true
wait $pid 2> /dev/null || true
[ -f killed.h5.journal ] || fail "no journal after the kill"
[ ! -e killed.h5 ] || echo "note: the sweep finished before the kill"
before=$(($(wc -l < killed.h5.journal) - 1))
printf '7 0x1.8p+1' >> killed.h5.journal   # a line cut short, as a kill inside write() leaves it
"$ALIGNSIM" sweep sweep.json -o killed.h5 --resume 2> resume.err || fail "resume"
grep -q "9 points ($before kept from an earlier run, $((9 - before)) run now)" resume.err ||
    fail "resume did not keep the journal's $before points: $(cat resume.err)"
h5diff one.h5 killed.h5 output_value > /dev/null || fail "the resumed sweep differs ($before points kept)"
status=0
sed 's/"n": 9/"n": 8/' sweep.json > other.json
"$ALIGNSIM" sweep other.json -o killed.h5 --quiet > /dev/null || fail "a second sweep into the same file"
echo "resume kept $before points"

# SIGINT while points run side by side and write --keep-results: exit 130, no temporary file left in
# the folder, no results file, the journal's points kept; --resume completes it to the same file
mkdir keptint
"$ALIGNSIM" sweep sweep.json -o int.h5 --threads 2 --keep-results keptint --quiet 2> int.err &
pid=$!
for _ in $(seq 400); do
    [ -f int.h5.journal ] && [ "$(wc -l < int.h5.journal)" -ge 3 ] && break
    kill -0 $pid 2> /dev/null || break
    sleep 0.02
done
kill -INT $pid 2> /dev/null || true
status=0
wait $pid || status=$?
if [ "$status" -eq 0 ]; then
    echo "note: the sweep finished before SIGINT"
else
    [ "$status" -eq 130 ] && grep -q "interrupted by SIGINT" int.err || fail "SIGINT: exit $status: $(cat int.err)"
    [ ! -e int.h5 ] || fail "SIGINT left a results file"
    [ -z "$(ls keptint | grep tmp || true)" ] || fail "SIGINT left a temporary file: $(ls keptint)"
    "$ALIGNSIM" sweep sweep.json -o int.h5 --threads 2 --keep-results keptint --resume --quiet ||
        fail "resume after SIGINT"
fi
h5diff one.h5 int.h5 output_value > /dev/null || fail "the sweep resumed after SIGINT differs"
[ "$(ls keptint | wc -l)" -eq 9 ] || fail "after SIGINT and --resume: $(ls keptint | wc -l) kept files, expected 9"

# bad sweep files: exit 2, a message naming the key, nothing written
check_bad() { # FILE-CONTENT EXPECTED
    printf '%s' "$1" > bad.json
    status=0
    "$ALIGNSIM" sweep bad.json -o bad.h5 --quiet 2> bad.err || status=$?
    [ "$status" -eq 2 ] && grep -qF "$2" bad.err || fail "bad sweep: exit $status: $(cat bad.err), expected: $2"
    [ ! -e bad.h5 ] && [ ! -e bad.h5.journal ] || fail "a bad sweep wrote a file"
}
check_bad '{"name": "b", "scenario": "small.json", "parameters": {"programs.*.aply_rate": {"uniform": [0, 1]}}, "design": {"method": "lhs", "n": 2}, "outputs": ["graduates"]}' \
    'parameters.programs.*.aply_rate: names no key of the scenario'
check_bad '{"name": "b", "scenario": "small.json", "parameters": {"seed": {"uniform": [1, 0]}}, "design": {"method": "lhs", "n": 2}, "outputs": ["graduates"]}' \
    'bad.json: parameters.seed.uniform: expected [lo, hi] with lo < hi'
check_bad '{"name": "b", "scenario": "small.json", "parameters": {"school.dropout": {"uniform": [0, 2]}}, "design": {"method": "lhs", "n": 2}, "outputs": ["graduates"]}' \
    'with every parameter at the high end of its range the scenario is not valid'
check_bad '{"name": "b", "scenario": "small.json", "parameters": {"school.dropout": {"uniform": [0, 0.1]}}, "design": {"method": "lhs", "n": 2}, "outputs": ["gap.occupation[99-9999]"]}' \
    'gap.occupation[99-9999]: "99-9999" is not a occupation of this scenario'
check_bad '{"name": "b", "scenario": "small.json", "parameters": {"school.dropout": {"uniform": [0, 0.1]}}, "design": {"method": "sobol", "n": 2}, "outputs": ["graduates"]}' \
    'design.method: "sobol" (expected grid, lhs, morris or saltelli)'
check_bad '{"name": "b", "scenario": "small.json", "parameters": {"school.dropout": {"uniform": [0, 0.1]}}, "design": {"method": "lhs", "n": 2}, "outputs": ["graduates"], "seeds": 3}' \
    'bad.json: seeds: unknown key'

# the library's sweep files: valid against docs/sweep.schema.json and against their scenarios
for f in "$SOURCE"/scenarios/sweeps/*.json; do
    "$ALIGNSIM" sweep "$f" --check > check.out || fail "sweep --check $f"
    grep -q "valid:" check.out || fail "sweep --check $f: $(cat check.out)"
done
"$PYTHON" - "$SOURCE" <<'PY' || fail "a library sweep file does not match docs/sweep.schema.json"
import glob, json, sys
import jsonschema
schema = json.load(open(sys.argv[1] + "/docs/sweep.schema.json"))
jsonschema.Draft202012Validator.check_schema(schema)
for f in sorted(glob.glob(sys.argv[1] + "/scenarios/sweeps/*.json")):
    jsonschema.validate(json.load(open(f)), schema)
PY

# the estimators through the whole machinery, on analytic test functions with known indices
for f in ishigami sobol-g sobol-g-morris; do
    "$ALIGNSIM" sweep "$SOURCE/scenarios/sweeps/$f.json" -o $f.h5 --quiet || fail "sweep $f"
    "$ALIGNSIM" sensitivity $f.h5 --json --bootstrap 200 > $f.json || fail "sensitivity $f"
done
"$PYTHON" - <<'PY' || fail "sensitivity --json and the sweep file's coordinates disagree"
import json
import xarray as xr
for name in ("sobol-g", "sobol-g-morris"):
    ds, out = xr.open_dataset(name + ".h5", engine="h5netcdf"), json.load(open(name + ".json"))
    assert [str(x) for x in ds["output"].values] == [out["output"]], (name, ds["output"].values, out["output"])
    assert sorted(p["name"] for p in out["parameters"]) == sorted(str(x) for x in ds["parameter"].values), name
    assert ds["output_mean"].sel(output="y").shape == (ds.sizes["point"],)
    assert ds.attrs["design"] == ("saltelli" if name == "sobol-g" else "morris"), ds.attrs["design"]
    if name == "sobol-g":
        assert out["n"] == ds.attrs["design_n"] == 8192, (out["n"], ds.attrs["design_n"])
PY
"$PYTHON" - <<'PY' || fail "sensitivity indices differ from the analytic ones"
import json, math
pi = math.pi
# Ishigami (a = 7, b = 0.1): Saltelli et al. (2008), section 4.6
a, b = 7.0, 0.1
V1 = 0.5 * (1 + b * pi**4 / 5) ** 2
V2 = a * a / 8
V13 = b * b * pi**8 * (1 / 18 - 1 / 50)
V = a * a / 8 + b * pi**4 / 5 + b * b * pi**8 / 18 + 0.5
exact = {"x1": (V1 / V, (V1 + V13) / V), "x2": (V2 / V, V2 / V), "x3": (0, V13 / V)}
# Sobol G: V_i = 1 / (3 (1 + a_i)^2)
g = [0, 1, 4.5, 9, 99, 99, 99, 99]
Vi = [1 / (3 * (1 + x) ** 2) for x in g]
prod = math.prod(1 + v for v in Vi)
VG = prod - 1
exact_g = {"x%d" % (i + 1): (Vi[i] / VG, Vi[i] * prod / (1 + Vi[i]) / VG) for i in range(8)}
worst = 0
for name, ex in (("ishigami", exact), ("sobol-g", exact_g)):
    out = json.load(open(name + ".json"))
    assert out["output"] == "y" and out["n"] == 8192, out
    for p in out["parameters"]:
        s1, st = ex[p["name"]]
        err = max(abs(p["S1"] - s1), abs(p["ST"] - st))
        worst = max(worst, err)
        assert err < 0.02, (name, p, s1, st)
        assert p["ST_ci"][0] <= p["ST"] <= p["ST_ci"][1]
morris = json.load(open("sobol-g-morris.json"))
order = [p["name"] for p in morris["parameters"]]
assert order[:4] == ["x1", "x2", "x3", "x4"], order
assert sorted(order[4:]) == ["x5", "x6", "x7", "x8"], order
print("Sobol indices within %.4f of the analytic values (n = 8192); Morris order %s" % (worst, order[:4]))
PY
# the report's sensitivity section: a chart and a ranked table per output
"$ALIGNSIM" report point3.h5 --sweep sobol-g.h5 -o sweep-report.html 2> report.err || fail "report --sweep: $(cat report.err)"
grep -q 'id="sensitivity"' sweep-report.html && grep -q 'id="chart-sensitivity-1"' sweep-report.html ||
    fail "the report lacks the sensitivity section"
"$PYTHON" - <<'PY' || fail "the report's sensitivity table is not ranked by ST"
import re
html = open("sweep-report.html").read()
section = html[html.index('id="sensitivity"'):]
rows = re.findall(r'<tr><th[^>]*>(x\d)</th>', section)
assert rows[:4] == ["x1", "x2", "x3", "x4"], rows
PY
"$ALIGNSIM" report point3.h5 --sweep sobol-g-morris.h5 -o morris-report.html || fail "report --sweep (morris)"
grep -q "mu\* (importance)" morris-report.html || fail "the report lacks the Morris table"
status=0
"$ALIGNSIM" report point3.h5 --sweep one.h5 -o lhs-report.html 2> /dev/null || status=$?
grep -q "supports no sensitivity index" lhs-report.html || fail "report --sweep of an lhs design does not say why it has no indices"
status=0
"$ALIGNSIM" report point3.h5 --sweep nosuch.h5 -o none.html 2> nosweep.err || status=$?
[ "$status" -eq 2 ] && grep -q "nosuch.h5: cannot open" nosweep.err && [ ! -e none.html ] || fail "report --sweep of a missing file: $status"
status=0
"$ALIGNSIM" sensitivity one.h5 2> lhs.err || status=$?
[ "$status" -eq 2 ] && grep -q "a lhs design supports no sensitivity index" lhs.err || fail "sensitivity of an lhs design: $status"
echo ok
