"""test_readers.py ALIGNSIM - results files read by others agree with alignsim's own reader.

Runs a small scenario with a subgroup, then reads the file with xarray (engine="h5netcdf"),
ncdump and h5py, and checks: named dimensions; NAME_mean is the mean over replications of NAME;
and every value agrees with `alignsim export` (which reads the file through io/h5results.c).
Run with /usr/bin/python3, which has Debian's h5py, numpy and xarray.
"""
import csv
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import xarray as xr

SCENARIO = {
    "name": "toy-readers", "years": 6, "cohort_years": 3, "cohort_size": 2000, "replications": 3, "seed": 5,
    "school": {"dropout": 0.05, "retention": 0, "graduation": 1, "readiness_sd": 0, "awareness": 1},
    "subgroups": {"el": {"share": 0.3, "apply_mult": 0.5}},
    "programs": {"cte": {"type": "cte", "entry_grade_min": 10, "entry_grade_max": 10, "apply_rate": 0.3,
                         "credential": "cert", "requirements": {"hours": 0, "credential": False, "wbl": False}}},
    "credentials": {"cert": {"cip": "11.0901", "grade_min": 12, "pass_rate": 0.6}},
}
NAMED = ["replication", "year", "pathway", "subgroup", "credential", "occupation"]


def check(condition, message):
    if not condition:
        print("FAIL:", message, file=sys.stderr)
        sys.exit(1)


def labels(f, dim):
    return [x.decode() if isinstance(x, bytes) else str(x) for x in f[dim + "_label"][:]]


def check_xarray(path):
    ds = xr.open_dataset(path, engine="h5netcdf")
    for dim in NAMED:
        check(dim in ds.dims, "xarray does not see dimension %s (has %s)" % (dim, list(ds.dims)))
    check(ds["graduates"].dims == ("replication", "year", "pathway", "subgroup"), ds["graduates"].dims)
    check(ds["credentials"].dims == ("replication", "year", "credential", "subgroup"), ds["credentials"].dims)
    check(ds["supply"].dims == ("replication", "year", "occupation"), ds["supply"].dims)
    check(ds["graduates_mean"].dims == ("year", "pathway", "subgroup"), ds["graduates_mean"].dims)
    check(list(ds["year"].values) == list(range(2025, 2031)), ds["year"].values)
    check(list(ds["pathway_label"].values) == ["cte", "none"], ds["pathway_label"].values)
    check(list(ds["subgroup_label"].values) == ["all", "el"], ds["subgroup_label"].values)
    by_label = ds["graduates"].assign_coords(pathway=ds["pathway_label"].values,
                                             subgroup=ds["subgroup_label"].values)
    check(float(by_label.sel(pathway="cte", subgroup="all").sum()) > 0, "no cte graduates via xarray")
    check(json.loads(ds.attrs["scenario_json"])["name"] == "toy-readers", "scenario_json provenance")
    ds.close()


def check_ncdump(path):
    header = subprocess.run(["ncdump", "-h", path], capture_output=True, text=True, check=True).stdout
    for dim in NAMED:
        check("\t%s = " % dim in header, "ncdump -h does not list dimension %s" % dim)
    check("double graduates(replication, year, pathway, subgroup) ;" in header, "ncdump: graduates")


def check_h5py(path):
    with h5py.File(path, "r") as f:
        for name in ["graduates", "credentials", "supply", "earnings", "cost"]:
            values, mean = f[name][:], f[name + "_mean"][:]
            check(np.allclose(mean, values.mean(axis=0), rtol=1e-12, atol=0), "%s_mean is not the mean" % name)
            check(np.all(f[name + "_ci_low"][:] <= mean + 1e-9), "%s_ci_low above the mean" % name)
        check(f.attrs["seed"] == 5 and f.attrs["replications"] == 3, "provenance attributes")


def read_export(folder, name):
    with open(os.path.join(folder, name + ".csv"), newline="") as stream:
        return list(csv.DictReader(stream))


def check_export(alignsim, path, folder):
    subprocess.run([alignsim, "export", path, "--csv", folder], check=True)
    with h5py.File(path, "r") as f:
        years = list(f["year"][:])
        for name, dims in [("graduates", ["pathway", "subgroup"]), ("credentials", ["credential", "subgroup"]),
                           ("supply", ["occupation"]), ("earnings", [])]:
            values = f[name][:]
            rows = read_export(folder, name)
            check(len(rows) == values.size, "%s.csv has %d rows for %d values" % (name, len(rows), values.size))
            index = [{label: i for i, label in enumerate(labels(f, d))} for d in dims]
            for row in rows:
                at = (int(row["replication"]), years.index(int(row["year"])))
                at += tuple(index[k][row[d]] for k, d in enumerate(dims))
                check(float(row["value"]) == values[at], "%s%s: export %s, h5py %r" % (name, at, row["value"],
                                                                                      values[at]))
        summary = [r for r in read_export(folder, "summary") if r["variable"] == "graduates"]
        mean = f["graduates_mean"][:]
        pathways, groups = labels(f, "pathway"), labels(f, "subgroup")
        check(len(summary) == mean.size, "summary rows for graduates")
        for row in summary:
            at = (years.index(int(row["year"])), pathways.index(row["category_1"]), groups.index(row["category_2"]))
            check(abs(float(row["mean"]) - mean[at]) <= 1e-9 * max(1, abs(mean[at])), "summary mean %s" % (at,))
        openings = read_export(folder, "openings")
        check(len(openings) == f["openings"].size, "openings.csv rows")
        first = openings[0]
        check(float(first["openings"]) == f["openings"][0, 0], "openings.csv value")


def main():
    alignsim = sys.argv[1]
    with tempfile.TemporaryDirectory() as work:
        scenario = os.path.join(work, "toy-readers.json")
        with open(scenario, "w") as stream:
            json.dump(SCENARIO, stream)
        path = os.path.join(work, "toy-readers.h5")
        subprocess.run([alignsim, "run", scenario, "-o", path, "--quiet"], check=True)
        check_xarray(path)
        check_ncdump(path)
        check_h5py(path)
        check_export(alignsim, path, os.path.join(work, "csv"))
    print("ok")


if __name__ == "__main__":
    main()
