#!/usr/bin/env python3
"""test_damaged_results.py ALIGNSIM SOURCE_DIR WORK - damaged results files are refused (issue 15).

A real results file (the small toy fixture) is edited through h5py the ways a damaged or foreign
file differs: a coordinate of names (the dimension scale "pathway") of rank 2, holding numbers (as
format 1's integer dimensions did) or replaced by a group; a coordinate shorter than the dimension
its variables have; a variable whose coordinate is gone; grades that are text or fractions; a file
of the older layout (no format_version, DIM_label variables) and one of a newer format; a label
list shorter than its dimension, numbers where labels belong, a variable flattened to the right size
in the wrong rank, strings where numbers belong, the openings transposed, the occupation titles
missing, a zero-length year dimension, provenance attributes that are negative, NaN, huge,
fractional, an array (HDF5's H5LT readers would write all 64 values into one) or a string, and (the
h5py default) a variable-length scenario_json attribute, which must be read as text.  Each damaged file is given to compare, report and export:
exit status 2, a message naming the file and what is wrong, and no output written.  A sweep file
(io/h5sweep.c) is damaged the same ways and given to `alignsim sensitivity`: its coordinate of names
"parameter" or "output" shorter than its dimension, holding numbers, of rank 2, a group or gone; the
"point" coordinate short; the older layout (integer dimensions, parameter_label and output_label, no
format_version), a newer or a text format_version; output_value flattened, cut or of more
replications than the file says; text where the design belongs; point_done 0.5.  Under the
sanitizer build of .ci/run this also proves there is no out-of-bounds access or leak on the way."""
import os, shutil, subprocess, sys

import h5py
import numpy as np

alignsim, source, work = sys.argv[1:4]
work = os.path.join(work, "damaged")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
good = os.path.join(work, "good.h5")
subprocess.run([alignsim, "run", os.path.join(source, "tests", "fixtures", "toy-small.json"), "-o", good, "--quiet"],
               check=True)


def replace(f, name, data):
    del f[name]
    f[name] = data


def names(f, name):
    return [x.decode() for x in f[name][()]]


def older_layout(f):
    """Format 1: integer dimensions 0..n-1, the names in DIM_label variables, no format_version."""
    labels = names(f, "pathway")
    replace(f, "pathway", np.arange(len(labels), dtype="i4"))
    f["pathway_label"] = np.array(labels, dtype=h5py.string_dtype())
    del f.attrs["format_version"]


edits = {
    "labels_rank2": (lambda f: replace(f, "pathway", np.array([[b"a", b"b"], [b"c", b"d"]], dtype="S8")),
                     'dataset "pathway": expected a list of names'),
    "numbers_for_names": (lambda f: replace(f, "pathway", np.arange(len(f["pathway"]), dtype="i4")),
                          'dataset "pathway": expected a list of names'),
    "coordinate_short": (lambda f: replace(f, "pathway", np.array(names(f, "pathway")[:-1], dtype=h5py.string_dtype())),
                         'but the coordinate "pathway" names 1'),
    "coordinate_gone": (lambda f: f.__delitem__("destination"),
                        'variable "destinations" is there but a dimension it needs is not'),
    "grade_text": (lambda f: replace(f, "grade", np.array([b"9", b"10", b"11", b"12"], dtype="S2")),
                   'dataset "grade": expected a list of whole-number grades'),
    "grade_fraction": (lambda f: replace(f, "grade", np.array([9, 10.5, 11, 12])), 'dataset "grade"'),
    "older_layout": (older_layout, "written by an older alignsim"),
    "newer_format": (lambda f: f.attrs.__setitem__("format_version", np.int32(3)), "written by a newer alignsim"),
    "text_format": (lambda f: f.attrs.__setitem__("format_version", "2"), "format_version nan"),
    "labels_short": (lambda f: replace(f, "credential_code", np.array([], dtype="S8")), "credential_code"),
    "labels_numbers": (lambda f: replace(f, "occupation_title", np.arange(len(f["occupation_title"]), dtype="f8")),
                       "occupation_title"),
    "flattened": (lambda f: replace(f, "graduates", f["graduates"][()].reshape(f["graduates"].shape[0], -1)),
                  "variable \"graduates\" is missing or has the wrong rank, shape or type"),
    "strings_for_numbers": (lambda f: replace(f, "dropouts", np.full(f["dropouts"].shape, b"x", dtype="S4")),
                            "variable \"dropouts\" is missing or has the wrong rank, shape or type"),
    "group_for_labels": (lambda f: (f.__delitem__("pathway"), f.create_group("pathway")), 'dataset "pathway"'),
    "openings_transposed": (lambda f: replace(f, "openings", f["openings"][()].T.copy()), "openings"),
    "array_replications": (lambda f: f.attrs.__setitem__("replications", np.arange(64, dtype="f8")),
                           "damaged provenance"),
    "string_threads": (lambda f: f.attrs.__setitem__("threads", "two"), "damaged provenance"),
    "no_titles": (lambda f: f.__delitem__("occupation_title"), "occupation_title"),
    "no_years": (lambda f: replace(f, "year", np.array([], dtype="i4")), "years"),
    "negative_replications": (lambda f: f.attrs.__setitem__("replications", -3.0), "replications -3"),
    "nan_seed": (lambda f: f.attrs.__setitem__("seed", float("nan")), "seed nan"),
    "huge_replications": (lambda f: f.attrs.__setitem__("replications", 1e300), "replications 1e+300"),
    "fractional_start": (lambda f: f.attrs.__setitem__("start_year", 2025.5), "start_year 2025.5"),
}
failures = []
for name, (edit, expect) in edits.items():
    path = os.path.join(work, name + ".h5")
    shutil.copy(good, path)
    with h5py.File(path, "r+") as f:
        edit(f)
    for cmd in (["compare", good, path], ["compare", path, good], ["report", path, "-o", os.path.join(work, name + ".html")],
                ["export", path, "--csv", os.path.join(work, name + "-csv")]):
        p = subprocess.run([alignsim] + cmd, capture_output=True, text=True)
        written = [o for o in (os.path.join(work, name + ".html"), os.path.join(work, name + "-csv")) if os.path.exists(o)]
        if p.returncode != 2 or path not in p.stderr or expect not in p.stderr or written:
            failures.append("%s %s: exit %d, written %s, stderr: %s" % (name, cmd[0], p.returncode, written,
                                                                       p.stderr.strip()[:300]))

# a variable-length scenario_json (h5py's default for str) is read as text: compare still works
vlen = os.path.join(work, "vlen.h5")
shutil.copy(good, vlen)
with h5py.File(vlen, "r+") as f:
    text = f.attrs["scenario_json"]
    text = text.decode() if isinstance(text, bytes) else str(text)
    del f.attrs["scenario_json"]
    f.attrs["scenario_json"] = text  # h5py writes a variable-length string
    assert h5py.check_string_dtype(f.attrs.get_id("scenario_json").dtype).length is None
p = subprocess.run([alignsim, "report", vlen, "-o", os.path.join(work, "vlen.html")], capture_output=True, text=True)
if p.returncode != 0 or "toy-small" not in open(os.path.join(work, "vlen.html")).read():
    failures.append("variable-length scenario_json: exit %d: %s" % (p.returncode, p.stderr.strip()[:300]))

# a good export: the finished folder in place, no temporary folder left beside it, and again into it
for attempt in (1, 2):
    p = subprocess.run([alignsim, "export", good, "--csv", os.path.join(work, "csv")], capture_output=True, text=True)
    left = [n for n in os.listdir(work) if ".tmp." in n]
    if p.returncode != 0 or not os.path.exists(os.path.join(work, "csv", "summary.csv")) or left:
        failures.append("export %d: exit %d, left %s: %s" % (attempt, p.returncode, left, p.stderr.strip()[:300]))

# damaged sweep files (io/h5sweep.c, the same checks): `alignsim sensitivity` exits 2 naming the file and part
sweep = os.path.join(work, "sweep.h5")
subprocess.run([alignsim, "sweep", os.path.join(source, "scenarios", "sweeps", "ishigami.json"), "-o", sweep, "--quiet"],
               check=True)
def sweep_older_layout(f):
    """Format 1: integer parameter and output dimensions, the names in parameter_label and output_label."""
    for dim in ("parameter", "output"):
        labels = names(f, dim)
        replace(f, dim, np.arange(len(labels), dtype="i4"))
        f[dim + "_label"] = np.array(labels, dtype=h5py.string_dtype())
    del f.attrs["format_version"]


sweep_edits = {
    "long_title": (lambda f: f.attrs.__setitem__("title", np.bytes_(b"alignsim sweep" + b"x" * 5000)),
                   "not an alignsim sweep file"),  # H5LT read it into a 64-byte stack buffer
    "array_replications": (lambda f: f.attrs.__setitem__("replications", np.ones(32)), "damaged sizes"),
    "nan_replications": (lambda f: f.attrs.__setitem__("replications", float("nan")), "damaged sizes"),
    "older_layout": (sweep_older_layout, "written by an older alignsim (no format_version"),
    "no_format": (lambda f: f.attrs.__delitem__("format_version"), "rerun it (alignsim sweep "),
    "newer_format": (lambda f: f.attrs.__setitem__("format_version", np.int32(3)), "written by a newer alignsim"),
    "text_format": (lambda f: f.attrs.__setitem__("format_version", "2"), "format_version nan"),
    # a coordinate shorter than its dimension: the variables over it say by how much
    "coordinate_short": (lambda f: replace(f, "parameter", np.array(names(f, "parameter")[:-1],
                                                                     dtype=h5py.string_dtype())),
                         'dataset "design_unit" has 3 along parameter, but the coordinate "parameter" names 2'),
    "point_short": (lambda f: replace(f, "point", np.arange(len(f["point"]) - 1, dtype="i4")),
                    'along point, but the coordinate "point" has 40959'),
    "numbers_for_names": (lambda f: replace(f, "output", np.zeros(len(f["output"]))),
                          'dataset "output": expected a list of names'),
    "names_rank2": (lambda f: replace(f, "parameter", np.array([[b"x1", b"x2"], [b"x3", b"x4"]], dtype="S4")),
                    "damaged sizes"),
    "coordinate_gone": (lambda f: f.__delitem__("output"), 'no coordinate "output"'),
    "group_for_names": (lambda f: (f.__delitem__("parameter"), f.create_group("parameter")), "damaged sizes"),
    "outputs_flat": (lambda f: replace(f, "output_value", f["output_value"][()].reshape(-1)), "output_value"),
    "outputs_short": (lambda f: replace(f, "output_value", f["output_value"][:100]),
                      'dataset "output_value" has 100 along point'),
    "replications_wide": (lambda f: replace(f, "output_value", np.repeat(f["output_value"][()], 2, axis=1)),
                          'dataset "output_value" has 2 along replication, but the attribute "replications" is 1'),
    "design_strings": (lambda f: replace(f, "design_unit", np.full(f["design_unit"].shape, b"0", dtype="S1")),
                       "design_unit"),
    "done_half": (lambda f: f["point_done"].__setitem__(3, 0.5), "point_done"),
    "point_rank2": (lambda f: replace(f, "point", np.zeros((2, 2))), "damaged sizes"),
}
for name, (edit, expect) in sweep_edits.items():
    path = os.path.join(work, "sweep-" + name + ".h5")
    shutil.copy(sweep, path)
    with h5py.File(path, "r+") as f:
        edit(f)
    p = subprocess.run([alignsim, "sensitivity", path], capture_output=True, text=True)
    if p.returncode != 2 or path not in p.stderr or expect not in p.stderr:
        failures.append("sweep %s: exit %d, stderr: %s" % (name, p.returncode, p.stderr.strip()[:300]))
p = subprocess.run([alignsim, "sensitivity", sweep], capture_output=True, text=True)
if p.returncode != 0 or "x2" not in p.stdout:
    failures.append("good sweep: exit %d: %s" % (p.returncode, p.stderr.strip()[:300]))

if failures:
    sys.exit("FAIL:\n" + "\n".join(failures))
print("ok: %d damaged results files refused by compare, report and export; %d damaged sweep files by sensitivity"
      % (len(edits), len(sweep_edits)))
