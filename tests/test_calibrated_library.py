#!/usr/bin/env python3
"""test_calibrated_library.py ALIGNSIM SOURCE_DIR WORK - every calibrated library scenario
(scenarios/*-calibrated.json) reproduces its calibration targets (issue 14): run at its own
replications and seed, each target's metric (docs/sweeps.md: a variable, then dim[label] picks,
every dimension left out summed, subgroup "all" unless named), averaged over replications, lies
within 2 of its standard errors of the observed value; and its sources mark the fitted values as
FITTED (the report's assumptions table reads that)."""
import glob, json, os, re, subprocess, sys

import h5py

alignsim, source, work = sys.argv[1:4]


def label(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def metric(f, path):
    var, *picks = path.split(".")
    want = {}
    for p in picks:
        m = re.fullmatch(r"(\w+)\[(.+)\]", p)
        assert m, "bad metric path " + path
        want[m.group(1)] = m.group(2)
    x = f[var]
    dims = [f[ref[0]].name.lstrip("/") for ref in x.attrs["DIMENSION_LIST"]]
    data = x[()]
    assert dims[0] == "replication", dims
    index = []
    for d in dims[1:]:
        if d in want or d == "subgroup":
            names = [label(v) for v in f[d][()]]
            name = want.get(d, "all")
            assert name in names, (path, d, name, names)
            index.append(names.index(name))
        else:
            index.append(slice(None))
    picked = data[(slice(None),) + tuple(index)]
    per_replication = picked.reshape(picked.shape[0], -1).sum(axis=1)
    return float(per_replication.mean())


scenarios = sorted(glob.glob(os.path.join(source, "scenarios", "*-calibrated.json")))
assert scenarios, "no calibrated library scenario"
for path in scenarios:
    stem = os.path.basename(path)[:-5]
    out = os.path.join(work, stem + ".h5")
    subprocess.run([alignsim, "run", path, "-o", out, "--quiet"], check=True)
    with h5py.File(out, "r") as f:
        resolved = json.loads(label(f.attrs["scenario_json"]))
        assert "FITTED by alignsim calibrate" in resolved["sources"], stem + ": sources do not say what was fitted"
        targets = resolved["calibration"]["targets"]
        assert targets, stem + ": no targets"
        for tid, t in targets.items():
            se = t["se"] if t.get("se") is not None else t["tolerance"] / 1.96
            sim = metric(f, t["metric"])
            z = (sim - t["value"]) / se
            print("%s %s: observed %g, simulated %.1f, z %+.2f" % (stem, tid, t["value"], sim, z))
            assert abs(z) <= 2, (stem, tid, sim, t["value"], se)
print("ok")
