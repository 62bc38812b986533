"""test_readers.py ALIGNSIM SOURCE_DIR - results files read by others agree with alignsim's own reader.

Runs a small scenario with a subgroup, then reads the file with xarray (engine="h5netcdf" and
engine="netcdf4", which is netCDF-C), ncdump, h5py and udunits2, and checks:
  * named dimensions whose coordinates are the category names (strings), the real grades 9..12, the
    calendar years and replications 0..R-1, so ds.sel(pathway="cte_it", subgroup="econ_disadv") and
    ds.sel(grade=11) select by name and by value, with both engines, the same numbers that
    `alignsim export` (which reads the file through io/h5results.c) writes for those labels;
  * no variable carries a DIMENSION_LABELS attribute, and no DIM_label variables are left;
  * every units attribute parses with UDUNITS-2 (udunits2 exits 0), counts are "1", money has no
    units but currency = "USD";
  * CF global attributes: Conventions, source, history ("TIME: alignsim run ..."), format_version, and
    data_files whose SHA-256 digests are those of the tables in data/;
  * NAME_mean is the mean over replications of NAME, and every value agrees with `alignsim export`.
Run with /usr/bin/python3, which has Debian's h5py, numpy, xarray and netCDF4.
"""
import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np
import xarray as xr

SCENARIO = {
    "name": "toy-readers", "years": 6, "cohort_years": 3, "cohort_size": 2000, "replications": 3, "seed": 5,
    "school": {"dropout": 0.05, "retention": 0, "graduation": 1, "readiness_sd": 0, "awareness": 1},
    "subgroups": {"econ_disadv": {"share": 0.3, "apply_mult": 0.5}},
    "programs": {"cte_it": {"type": "cte", "entry_grade_min": 10, "entry_grade_max": 10, "apply_rate": 0.3,
                            "credential": "cert", "cost_per_seat": 1500,
                            "requirements": {"hours": 0, "credential": False, "wbl": False}}},
    "credentials": {"cert": {"cip": "11.0901", "grade_min": 12, "pass_rate": 0.6, "cost": 120}},
}
NAMED = ["replication", "year", "grade", "pathway", "subgroup", "credential", "occupation", "cost_item"]
# what each kind of variable must say about its units (model/results.c, io/h5results.c)
COUNTS = ["students_in_school", "graduates", "enrolled", "credentials", "supply", "openings", "other_supply",
          "advanced_passed", "destinations", "labor_entrants"]
MONEY = {"cost": None, "earnings": 2024, "apprentice_earnings": 2024, "occupation_median_wage": 2024}
KINDS = {"1", "h", "year"}  # every units string the writer uses (io/h5results.c unit_of)


def check(condition, message):
    if not condition:
        print("FAIL:", message, file=sys.stderr)
        sys.exit(1)


def text(x):
    return x.decode() if isinstance(x, bytes) else str(x)


def labels(f, dim):
    return [text(x) for x in f[dim][:]]


def read_export(folder, name):
    with open(os.path.join(folder, name + ".csv"), newline="") as stream:
        return list(csv.DictReader(stream))


def exported(folder, name, **where):
    """The export's values of variable name for the categories in where, as a replication x year array."""
    rows = [r for r in read_export(folder, name) if all(r[d] == str(v) for d, v in where.items())]
    reps = sorted({int(r["replication"]) for r in rows})
    years = sorted({int(r["year"]) for r in rows})
    out = np.full((len(reps), len(years)), np.nan)
    for r in rows:
        out[reps.index(int(r["replication"])), years.index(int(r["year"]))] = float(r["value"])
    check(len(rows) == out.size and not np.isnan(out).any(), "%s %s: %d export rows" % (name, where, len(rows)))
    return out


def check_xarray(path, folder, engine):
    ds = xr.open_dataset(path, engine=engine)
    for dim in NAMED:
        check(dim in ds.dims, "%s: xarray does not see dimension %s (has %s)" % (engine, dim, list(ds.dims)))
    check(ds["graduates"].dims == ("replication", "year", "pathway", "subgroup"), ds["graduates"].dims)
    check(ds["credentials"].dims == ("replication", "year", "credential", "subgroup"), ds["credentials"].dims)
    check(ds["supply"].dims == ("replication", "year", "occupation"), ds["supply"].dims)
    check(ds["graduates_mean"].dims == ("year", "pathway", "subgroup"), ds["graduates_mean"].dims)
    check(list(ds["year"].values) == list(range(2025, 2031)), "%s: year %s" % (engine, ds["year"].values))
    check(list(ds["grade"].values) == [9, 10, 11, 12], "%s: grade %s" % (engine, ds["grade"].values))
    check(list(ds["replication"].values) == [0, 1, 2], "%s: replication %s" % (engine, ds["replication"].values))
    check([text(x) for x in ds["pathway"].values] == ["cte_it", "none"], "%s: pathway %s" % (engine, ds["pathway"].values))
    check([text(x) for x in ds["subgroup"].values] == ["all", "econ_disadv"], ds["subgroup"].values)
    check([text(x) for x in ds["credential"].values] == ["cert", "iet"], ds["credential"].values)
    check(not any(name.endswith("_label") for name in ds.variables), "%s: DIM_label variables left: %s" %
          (engine, [n for n in ds.variables if n.endswith("_label")]))
    for name, var in ds.variables.items():
        check("DIMENSION_LABELS" not in var.attrs, "%s: %s carries DIMENSION_LABELS" % (engine, name))

    # by name and by value, against the export (alignsim's own reader) for the same labels
    picked = ds["graduates"].sel(pathway="cte_it", subgroup="econ_disadv").values
    want = exported(folder, "graduates", pathway="cte_it", subgroup="econ_disadv")
    check(want.sum() > 0, "no cte_it graduates among econ_disadv in the export")
    check(np.array_equal(picked, want), "%s: graduates.sel(cte_it, econ_disadv) %s, export %s" % (engine, picked, want))
    picked = ds["students_in_school"].sel(grade=11).values
    want = exported(folder, "students_in_school", grade=11)
    check(want.sum() > 0 and np.array_equal(picked, want),
          "%s: students_in_school.sel(grade=11) %s, export %s" % (engine, picked, want))
    check(not np.array_equal(ds["students_in_school"].isel(grade=1).values, want), "grade 11 is the second grade")
    picked = ds["credentials"].sel(credential="cert", subgroup="all").values
    check(np.array_equal(picked, exported(folder, "credentials", credential="cert", subgroup="all")),
          "%s: credentials.sel(cert, all)" % engine)
    picked = ds["cost"].sel(cost_item="pathways").values
    want = exported(folder, "cost", cost_item="pathways")
    check(want.sum() > 0 and np.array_equal(picked, want), "%s: cost.sel(pathways) %s, export %s" % (engine, picked, want))
    soc = text(ds["occupation"].values[int(ds["supply_mean"].isel(year=-1).argmax())])
    picked = ds["supply"].sel(occupation=soc).values
    check(np.array_equal(picked, exported(folder, "supply", occupation=soc)), "%s: supply.sel(%s)" % (engine, soc))
    summary = {(r["year"], r["category_1"], r["category_2"]): float(r["mean"])
               for r in read_export(folder, "summary") if r["variable"] == "graduates"}
    mean = ds["graduates_mean"].sel(pathway="cte_it", subgroup="all")
    for year, value in zip(ds["year"].values, mean.values):
        got = summary[(str(year), "cte_it", "all")]
        check(abs(got - value) <= 1e-9 * max(1, abs(value)), "%s: graduates_mean %s: %r vs %r" % (engine, year, value, got))
    # the per-category variables stay, on their dimension
    check(ds["credential_level"].dims == ("credential",) and text(ds["credential_level"].values[0]) ==
          "industry_certification", "%s: credential_level %s" % (engine, ds["credential_level"].values))
    check(ds["occupation_title"].dims == ("occupation",), ds["occupation_title"].dims)

    check(ds.attrs["Conventions"] == "CF-1.8", ds.attrs.get("Conventions"))
    check(json.loads(ds.attrs["scenario_json"])["name"] == "toy-readers", "scenario_json provenance")
    ds.close()


def check_ncdump(path):
    header = subprocess.run(["ncdump", "-h", path], capture_output=True, text=True, check=True).stdout
    for dim in NAMED:
        check("\t%s = " % dim in header, "ncdump -h does not list dimension %s" % dim)
    check("double graduates(replication, year, pathway, subgroup) ;" in header, "ncdump: graduates")
    check("string pathway(pathway) ;" in header and "int grade(grade) ;" in header, "ncdump: coordinates")
    check("DIMENSION_LABELS" not in header and "_label" not in header, "ncdump: DIMENSION_LABELS or DIM_label")


def units_parse(units):
    """Whether UDUNITS-2 parses units: udunits2 exits 0 and prints the unit's definition."""
    p = subprocess.run(["udunits2", "-H", units, "-W", ""], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return p.returncode == 0 and "recognize" not in p.stderr


def check_units(path):
    """Checks path's units attributes (path: the rich fixture, which has every kind of variable)."""
    check(shutil.which("udunits2"), "udunits2 is not installed (Debian package udunits-bin; scripts/setup.sh)")
    check(not units_parse("students") and units_parse("1"), "udunits2 does not tell units it knows from ones it does not")
    found = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                check("DIMENSION_LABELS" not in obj.attrs, "h5py: %s carries DIMENSION_LABELS" % name)
                if "units" in obj.attrs:
                    found.setdefault(text(obj.attrs["units"]), []).append(name)
        f.visititems(visit)
        check("units" not in f.attrs, "a global units attribute")
        for name in COUNTS:
            check(text(f[name].attrs["units"]) == "1", "%s: units %r, expected 1" % (name, f[name].attrs.get("units")))
        check(text(f["pathway_hours"].attrs["units"]) == "h", "pathway_hours: units")
        check(text(f["postsecondary_years_to_complete"].attrs["units"]) == "year", "postsecondary_years_to_complete")
        for name, year in MONEY.items():
            for variant in [name] + ([name + "_mean", name + "_ci_high"] if name in ("cost", "earnings") else []):
                a = f[variant].attrs
                check("units" not in a and text(a["currency"]) == "USD", "%s: money needs currency USD and no units"
                      % variant)
                check((int(a["dollar_year"]) if "dollar_year" in a else None) == year, "%s: dollar_year" % variant)
                check("US dollars" in text(a["long_name"]), "%s: long_name does not say US dollars" % variant)
        for name in ["occupation_entry_education", "occupation_work_experience", "other_supply_assumed"]:
            a = f[name].attrs
            check("units" not in a and len(a["flag_values"]) == len(text(a["flag_meanings"]).split()),
                  "%s: a code needs flag_values and flag_meanings, not units" % name)
    for units, names in sorted(found.items()):
        check(units_parse(units), "units %r of %s does not parse with UDUNITS-2" % (units, names[:3]))
    check(set(found) == KINDS, "units attributes %s, expected %s" % (sorted(found), sorted(KINDS)))
    return sorted(found)


def check_h5py(path, source):
    with h5py.File(path, "r") as f:
        for name in ["graduates", "credentials", "supply", "earnings", "cost"]:
            values, mean = f[name][:], f[name + "_mean"][:]
            check(np.allclose(mean, values.mean(axis=0), rtol=1e-12, atol=0), "%s_mean is not the mean" % name)
            check(np.all(f[name + "_ci_low"][:] <= mean + 1e-9), "%s_ci_low above the mean" % name)
        check(f.attrs["seed"] == 5 and f.attrs["replications"] == 3, "provenance attributes")
        check(int(f.attrs["format_version"]) == 2, "format_version %r" % f.attrs.get("format_version"))
        version = text(f.attrs["alignsim_version"])
        check(text(f.attrs["source"]) == "alignsim %s (commit %s)" % (version, text(f.attrs["git_commit"])),
              "source %r" % f.attrs.get("source"))
        history = text(f.attrs["history"])
        check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: alignsim run .*toy-readers\.json.*", history),
              "history %r" % history)
        check(history.startswith(text(f.attrs["end_time"]) + ": "), "history is not stamped with the end time")
        files = text(f.attrs["data_files"]).split("; ")
        check(len(files) == 3, "data_files: %r" % files)
        for entry in files:
            m = re.fullmatch(r"(\S+) sha256:([0-9a-f]{64})", entry)
            check(m, "data_files entry %r" % entry)
            with open(os.path.join(source, "data", m.group(1)), "rb") as stream:
                digest = hashlib.sha256(stream.read()).hexdigest()
            check(m.group(2) == digest, "data_files: %s sha256 %s, the file's is %s" % (m.group(1), m.group(2), digest))
        check(sorted(e.split()[0] for e in files) == ["bls_ep_occupations_2024_34.csv",
                                                     "nces_cip2020_soc2018_crosswalk.csv", "soc2018_to_ep_code.csv"],
              "data_files names %r" % files)


def check_export(path, folder):
    with h5py.File(path, "r") as f:
        years = list(f["year"][:])
        for name, dims in [("graduates", ["pathway", "subgroup"]), ("credentials", ["credential", "subgroup"]),
                           ("supply", ["occupation"]), ("earnings", []), ("students_in_school", ["grade"])]:
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
        check(first["occupation"] == labels(f, "occupation")[0], "openings.csv occupation")
        check(float(first["openings"]) == f["openings"][0, 0], "openings.csv value")


def main():
    alignsim, source = sys.argv[1:3]
    with tempfile.TemporaryDirectory() as work:
        scenario = os.path.join(work, "toy-readers.json")
        with open(scenario, "w") as stream:
            json.dump(SCENARIO, stream)
        path = os.path.join(work, "toy-readers.h5")
        subprocess.run([alignsim, "run", scenario, "-o", path, "--quiet"], check=True)
        folder = os.path.join(work, "csv")
        subprocess.run([alignsim, "export", path, "--csv", folder], check=True)
        for engine in ("h5netcdf", "netcdf4"):
            check_xarray(path, folder, engine)
        check_ncdump(path)
        rich = os.path.join(work, "rich.h5")
        subprocess.run([alignsim, "run", os.path.join(source, "tests", "fixtures", "rich.json"), "-o", rich, "--quiet",
                        "--replications", "2"], check=True)
        units = check_units(rich)
        check_h5py(path, source)
        check_export(path, folder)
    print("ok: both xarray engines select by name; units %s parse with UDUNITS-2" % units)


if __name__ == "__main__":
    main()
