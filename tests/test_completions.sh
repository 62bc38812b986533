#!/bin/sh
# test_completions.sh ALIGNSIM SOURCE_DIR PYTHON - other supply from IPEDS completions, end to end:
# scripts/ipeds_completions.py picks a region's institutions out of IPEDS-layout files (C<YEAR>_A
# and HD<YEAR>, synthetic here), sums their first-major awards by CIP and award level and leaves
# out a modelled institution; `alignsim run` turns the table into other supply through the
# crosswalk and the entry rules (docs/model.md 7.21), which `compare --occupation` shows by source.
set -eu
ALIGNSIM=$1
SOURCE=$2
PYTHON=${3:-/usr/bin/python3}
. "$(dirname "$0")/lib.sh" # WORK, fail
cd "$WORK"
printf '\357\273\277UNITID,INSTNM,STABBR,COUNTYCD\n1,North College,FL,12086\n2,South Tech,FL,12086\n3,Modelled College,FL,12086\n4,Elsewhere U,GA,13121\n' > HD.csv
cat > C_A.csv <<'CSV'
UNITID,CIPCODE,MAJORNUM,AWLEVEL,CTOTALT,CTOTALM
1,"47.0201",1,2,40,36
2,"47.0201",1,2,10,9
2,"47.0201",2,2,5,5
3,"47.0201",1,2,500,400
4,"47.0201",1,2,900,800
1,"51.3801",1,5,100,10
1,"99",1,2,150,55
CSV
"$PYTHON" "$SOURCE/scripts/ipeds_completions.py" C_A.csv --directory HD.csv --county 12086 --exclude 3 \
    -o region.csv 2> script.err || fail "ipeds_completions.py: $(cat script.err)"
printf 'CIPCODE,AWLEVEL,CTOTALT\n47.0201,2,50\n51.3801,5,100\n' > expected.csv
cmp -s region.csv expected.csv || fail "region.csv: $(cat region.csv)"
grep -q "2 institutions, 2 CIP x award-level rows, 150 awards" script.err || fail "summary: $(cat script.err)"
status=0
"$PYTHON" "$SOURCE/scripts/ipeds_completions.py" C_A.csv --county 12086 -o none.csv 2> nodir.err || status=$?
[ "$status" -eq 2 ] && grep -q "needs --directory" nodir.err && [ ! -e none.csv ] || fail "no --directory: $status"

cat > toy.json <<'JSON'
{"name": "completions", "years": 2, "cohort_size": 0, "replications": 2, "seed": 3,
 "labor_market": {"completions": "region.csv", "completions_in_field_share": 0.5, "other_supply_share": 0,
                  "regional_share": 0.01}}
JSON
"$ALIGNSIM" run toy.json -o run.h5 --quiet || fail "run with completions"
"$PYTHON" - <<'PY' || fail "other_supply_by_source"
import h5py, numpy as np
f = h5py.File("run.h5", "r")
src = list(f["other_source"].asstr()[()])
occ = list(f["occupation"].asstr()[()])
by, other = f["other_supply_by_source"][()], f["other_supply"][()]
assert np.allclose(by.sum(axis=2), other), "sources do not sum to other_supply"
c = by[:, :, src.index("completions")]
# HVAC certificates (entry education 5) reach HVAC mechanics (49-9021; postsecondary nondegree award);
# RN bachelor's degrees reach registered nurses (29-1141): half of each, the in-field share
assert abs(c[0, occ.index("49-9021")] - 25) < 1e-9, c[0, occ.index("49-9021")]
assert abs(c[0, occ.index("29-1141")] - 50 * f["openings"][0, occ.index("29-1141")] /
           sum(f["openings"][0, occ.index(s)] for s in ("29-1141", "25-1072")
               if f["occupation_entry_education"][occ.index(s)] >= 3)) < 1e-9
assert abs(c[0].sum() - 75) < 1e-9, c[0].sum()
assert (f["other_supply_assumed"][()] == 0).all()
# provenance: the completions table is the fourth table read, with the SHA-256 of its bytes
import hashlib
files = f.attrs["data_files"].decode().split("; ")
assert files[-1] == "region.csv sha256:" + hashlib.sha256(open("region.csv", "rb").read()).hexdigest(), files
assert len(files) == 4, files
PY
"$ALIGNSIM" compare run.h5 run.h5 --occupation 49-9021 > view.txt || fail "compare --occupation"
grep -q "from the completions table *25.0" view.txt || fail "the view lacks the completions row: $(cat view.txt)"
grep -q "data: completions table" view.txt || fail "the view does not name the completions source"
grep -q "typical entry *postsecondary nondegree award" view.txt || fail "the view lacks the entry education"
echo ok
