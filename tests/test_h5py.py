"""Reads a results file with Debian's h5py (not the project's reader) to prove
others can: named dimension scales holding the category names (no
DIMENSION_LABELS), each variable's DIMENSION_LIST and each scale's
REFERENCE_LIST agreeing both ways (io/h5write.h writes them itself), summaries
equal to the mean over replications, provenance.
Usage: test_h5py.py ALIGNSIM SCENARIO.json WORKDIR"""
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
    dims = [d[0].name.lstrip("/") for d in grads.dims]  # the scale attached to each axis
    assert dims == ["replication", "year", "pathway", "subgroup"], dims
    assert all(d.label == "" for d in grads.dims), "DIMENSION_LABELS are back: %s" % [d.label for d in grads.dims]
    assert "DIMENSION_LABELS" not in grads.attrs
    assert grads.shape[0] == 4
    pathways = list(f["pathway"].asstr()[:])
    assert pathways[-1] == "none" and len(pathways) == grads.shape[2], pathways
    assert h5py.check_string_dtype(f["pathway"].dtype).length is None, "names are not variable-length strings"
    assert list(f["subgroup"].asstr()[:])[0] == "all"
    assert list(f["grade"][:]) == [9, 10, 11, 12], f["grade"][:]
    assert list(f["replication"][:]) == [0, 1, 2, 3], f["replication"][:]
    assert "pathway_label" not in f and "grade_label" not in f
    mean = f["graduates_mean"][:]
    assert np.allclose(mean, grads[:].mean(axis=0)), "graduates_mean is not the mean over replications"
    sd = f["graduates_sd"][:]
    assert np.allclose(sd, grads[:].std(axis=0, ddof=1))
    assert np.all(f["graduates_ci_low"][:] <= mean) and np.all(mean <= f["graduates_ci_high"][:])
    # The Dimension Scales specification's two lists agree: every variable's axis names a scale whose
    # REFERENCE_LIST names the variable and the axis, and every REFERENCE_LIST entry is such an axis.
    forward, backward = set(), set()
    def visit(name, obj):
        if "DIMENSION_LIST" in obj.attrs:
            for axis, refs in enumerate(obj.attrs["DIMENSION_LIST"]):
                assert len(refs) == 1, (name, axis, len(refs))
                forward.add((f[refs[0]].name, obj.name, axis))
        if "REFERENCE_LIST" in obj.attrs:
            assert obj.attrs["CLASS"] == b"DIMENSION_SCALE", name
            for entry in obj.attrs["REFERENCE_LIST"]:
                backward.add((obj.name, f[entry["dataset"]].name, int(entry["dimension"])))
    f.visititems(visit)
    assert forward and forward == backward, (sorted(forward - backward)[:5], sorted(backward - forward)[:5])
    assert ("/year", "/graduates", 1) in forward and ("/occupation", "/supply", 2) in forward
    assert h5py.h5ds.is_attached(grads.id, f["pathway"].id, 2) and not h5py.h5ds.is_attached(grads.id, f["pathway"].id, 3)
    prov = json.loads(f.attrs["scenario_json"])
    assert prov["name"], "provenance lacks the scenario"
    assert int(f.attrs["replications"]) == 4
    assert f["year"][0] == int(f.attrs["start_year"])
print("h5py reads", out, "with dims", dims)
