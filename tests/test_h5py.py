"""Reads a results file with Debian's h5py (not the project's reader) to prove
others can: named dimension scales, labels, summaries equal to the mean over
replications, provenance.  Usage: test_h5py.py ALIGNSIM SCENARIO.json WORKDIR"""
import json
import subprocess
import sys

import h5py
import numpy as np

alignsim, scenario, work = sys.argv[1:4]
out = f"{work}/h5py-check.h5"
subprocess.run([alignsim, "run", scenario, "-o", out, "--quiet", "--replications", "4"], check=True)

with h5py.File(out, "r") as f:
    grads = f["graduates"]
    dims = [d.label for d in grads.dims]
    assert dims == ["replication", "year", "pathway", "subgroup"], dims
    assert grads.shape[0] == 4
    assert [s.decode() if isinstance(s, bytes) else s for s in f["pathway_label"][:]][-1] == "none"
    mean = f["graduates_mean"][:]
    assert np.allclose(mean, grads[:].mean(axis=0)), "graduates_mean is not the mean over replications"
    sd = f["graduates_sd"][:]
    assert np.allclose(sd, grads[:].std(axis=0, ddof=1))
    assert np.all(f["graduates_ci_low"][:] <= mean) and np.all(mean <= f["graduates_ci_high"][:])
    prov = json.loads(f.attrs["scenario_json"])
    assert prov["name"], "provenance lacks the scenario"
    assert int(f.attrs["replications"]) == 4
    assert f["year"][0] == int(f.attrs["start_year"])
print("h5py reads", out, "with dims", dims)
