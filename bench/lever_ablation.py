#!/usr/bin/python3
"""Lever ablation: which scenario keys change which outputs.

For each base scenario, every key of the parameter table (`alignsim reference`)
that applies to it is perturbed one at a time to another valid value; the
perturbed run is compared, dataset by dataset, with a base run of the same seed
and replications.  The result is a Markdown table per scenario: key,
perturbation, the output variables that changed (or NO EFFECT), notes.

    /usr/bin/python3 bench/lever_ablation.py build/alignsim \\
        [--scenarios scenarios/a.json ...] [--replications 3] \\
        [--out docs/lever-ablation.md] [--jobs 2] [--cohort-cap 10000]

Default scenarios: every scenarios/*.json without an "extends" key (proposals
are diffs of those).  Runs use `--threads 1` each and --jobs of them at once.
Needs h5py and NumPy (Debian's /usr/bin/python3).

How keys are enumerated: the resolved scenario (the results file's
`scenario_json` attribute, i.e. after `extends` and `--set`) supplies the item
ids; every table key applies, keys with `ID` once per item of that collection,
whether the scenario sets the key or leaves it at its default.  Leaves of the
scenario that the table does not know are listed too.

How values are perturbed (first candidate; if validation rejects it, one
alternative, else "not perturbable"):
  * probability/share in 0..1: 0 -> 0.2, <= 0.2 -> x2, else +0.2 (or -0.2);
    alternative: half of it (or, for objects whose values must sum to 1, the
    same change balanced by the largest other value);
  * seats/slots: x0.5 (-1, unlimited -> 20);
  * other numbers: x1.5 within range (else /1.5); 0 -> a nonzero value;
  * integers: +1 (else -1); choices: the next allowed value; ids: another
    id of the collection (null -> the first); booleans: flipped;
  * `null` defaults that mean "decided elsewhere" take the value they stand
    for when the table says so (`(cte: 900)`, `null: labor_market.in_field_share`);
  * names, descriptions, sources: "label" (not run); data-file references
    and id lists: skipped with the reason.
"""

import argparse
import concurrent.futures as cf
import datetime
import json
import math
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SUMMARY_SUFFIXES = ("_mean", "_sd", "_ci_low", "_ci_high")
# the results file's coordinates (model/results.c as_dim_names, plus replication and year)
AS_DIMENSIONS = {"replication", "year", "grade", "pathway", "subgroup", "credential", "destination", "dual_enrollment",
                 "wbl", "postsecondary", "apprenticeship", "occupation", "cost_item", "applicant_source", "wbl_kind",
                 "supply_source", "other_source"}
LABEL_LEAVES = {"name", "description", "sources"}
FILE_REFERENCES = {"labor_market.demand_table", "labor_market.crosswalk", "labor_market.soc_map",
                   "labor_market.completions"}  # the completions table's effect: tests/test_completions.sh
CAPACITY_LEAVES = {"seats", "slots"}
FALLBACK_CODES = {"cip": ["11.0101", "51.3801"], "soc": ["15-1252", "47-2111"]}
RUN_CONTROL = {
    "replications": "run control: the key overrides `--replications` (shape of every variable)",
    "seed": "run control: every random number changes",
    "start_year": "run control: calendar labels of the years",
    "years": "run control: the number of years (shape of every variable)",
}


# ---------------------------------------------------------------- parameter table

def parse_reference(text):
    """Rows of the Markdown tables of `alignsim reference`."""
    rows = []
    for line in text.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 6:
            continue
        key = cells[0].strip("`")
        default_txt = cells[4]
        if default_txt.startswith("`") and default_txt.endswith("`"):
            try:
                default = json.loads(default_txt[1:-1])
                has_default = True
            except ValueError:
                default, has_default = default_txt[1:-1], True
        else:
            default, has_default = None, False  # *required*
        rng = cells[3]
        row = {"key": key, "type": cells[1], "unit": cells[2], "range": rng,
               "default": default, "has_default": has_default,
               "meaning": "|".join(cells[5:])}
        m = re.match(r"^(-?[0-9.e+]+) \.\. (-?[0-9.e+]+)", rng)
        row["lo"], row["hi"] = (float(m.group(1)), float(m.group(2))) if m else (None, None)
        row["subkeys"] = re.findall(r'"([a-z_]+)"', rng.split("keys", 1)[1]) if "keys" in rng else []
        row["choices"] = re.findall(r'"([^"]+)"', rng) if row["type"] == "choice" else []
        m = re.search(r"ids of `([^`]+)`", rng)
        row["collection"] = m.group(1) if m else None
        rows.append(row)
    return rows


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch."""
    if not isinstance(patch, dict):
        return patch
    target = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            target.pop(k, None)
        else:
            target[k] = merge_patch(target.get(k), v)
    return target


def resolve_extends(path):
    with open(path) as fh:
        tree = json.load(fh)
    ext = tree.pop("extends", None)
    if ext is None:
        return tree
    return merge_patch(resolve_extends(os.path.join(os.path.dirname(path), ext)), tree)


def get_path(tree, parts):
    node = tree
    for p in parts:
        if not isinstance(node, dict) or p not in node:
            return None, False
        node = node[p]
    return node, True


def expand(row, scen):
    """Concrete keys (lists of path parts) of one table row for this scenario."""
    out = [[]]
    for seg in row["key"].split("."):
        nxt = []
        for prefix in out:
            if seg == "ID":
                coll, ok = get_path(scen, prefix)
                if ok and isinstance(coll, dict):
                    nxt.extend(prefix + [i] for i in coll)
            else:
                nxt.append(prefix + [seg])
        out = nxt
    return out


def scenario_leaves(tree, prefix=()):
    """Leaf paths of a scenario tree (arrays and empty objects are leaves)."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from scenario_leaves(v, prefix + (k,))
    elif prefix:
        yield prefix


# ---------------------------------------------------------------- perturbations

def fmt(v):
    if isinstance(v, float):
        if v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return ("%.6g" % v)
    return json.dumps(v)


def is_prob(row):
    return row["lo"] == 0 and row["hi"] == 1


def clamp(v, row):
    return min(row["hi"], max(row["lo"], v))


def tidy(new, old, row):
    if isinstance(old, (int, float)) and float(old) == int(old) and abs(old) >= 10 and \
            row["unit"] not in ("share", "probability", "dollars"):
        new = float(round(new))
    return round(new, 6)


def number_candidates(v, row, leaf):
    """[(new value, description)] for a number currently v."""
    lo, hi = row["lo"], row["hi"]
    if leaf in CAPACITY_LEAVES and lo is not None and lo <= 0:
        if v == -1:
            return [(20.0, "unlimited -> 20"), (200.0, "unlimited -> 200")]
        if v == 0:
            return [(20.0, "0 -> 20")]
        return [(tidy(v * 0.5, v, row), "x0.5"), (tidy(v * 0.8, v, row), "x0.8")]  # escalation: x0.1
    if is_prob(row):
        if v == 0:
            return [(0.2, "+0.2"), (0.05, "+0.05")]
        if v <= 0.2:
            new, d = v * 2, "x2"
        elif v + 0.2 <= hi:
            new, d = v + 0.2, "+0.2"
        else:
            new, d = v - 0.2, "-0.2"
        return [(round(new, 6), d), (round(v * 0.5, 6), "x0.5")]
    if v == 0:
        if lo < 0:
            step = 0.1 * (hi - lo)
            new = v + step if v + step <= hi else v - step
        elif hi <= 10:
            new = hi / 2
        elif hi <= 100:
            new = 10.0
        elif "dollar" in row["unit"]:
            new = 1000.0
        elif "hour" in row["unit"]:
            new = 200.0
        else:
            new = 100.0
        new = clamp(new, row)
        return [(round(new, 6), "0 -> %s" % fmt(new)), (round(new / 2, 6), "0 -> %s" % fmt(new / 2))]
    new = v * 1.5
    if not (lo <= new <= hi):
        new = v / 1.5
        d = "/1.5"
        alt = v / 1.2
    else:
        d = "x1.5"
        alt = v / 1.5
    new, alt = tidy(new, v, row), tidy(clamp(alt, row), v, row)
    out = [(new, d)]
    if alt != v and alt != new:
        out.append((alt, "x%.3g" % (alt / v)))
    return out


def type_default(row, scen, parts):
    """Value a null default stands for, from the table's meaning text."""
    m = row["meaning"]
    if "null: labor_market.in_field_share" in m:
        v, ok = get_path(scen, ["labor_market", "in_field_share"])
        return (v if ok else 0.7), "null = labor_market.in_field_share"
    if parts[0] == "programs" and "requirements" in parts:
        ptype = scen["programs"][parts[1]].get("type")
        for types, val in re.findall(r"\(([a-z_, ]+): ([^)]+)\)", m):
            if ptype in [t.strip() for t in types.split(",")]:
                return json.loads(val), "null = %s default %s" % (ptype, val)
        return None, "no requirement for type %s" % ptype
    if parts == ["cohort_years"]:
        return scen.get("years", 10), "null = every year"
    return None, ""


def candidates(row, parts, scen, all_codes):
    """(list of (json text, description), status, note).  status: run|label|skip."""
    key = ".".join(parts)
    leaf = parts[-1]
    cur, present = get_path(scen, parts)
    note = "" if present else "default"
    if parts[0] == "calibration":  # a documented label: read by alignsim calibrate, ignored by the engine
        return [], "label", "calibration block: alignsim calibrate reads it, the simulation does not"
    if not present:
        if row["subkeys"] and parts[-1] in row["subkeys"]:  # object of numbers subkey
            cur = (row["default"] or {}).get(leaf, 0) if isinstance(row["default"], dict) else 0
        else:
            cur = row["default"]
    t = row["type"]
    if t == "string":
        if leaf in LABEL_LEAVES:
            return [], "label", note
        if key in FILE_REFERENCES:
            return [], "skip", "data file reference: skipped"
        if leaf in ("cip", "soc"):
            pool = sorted(c for c in all_codes[leaf] if c != cur)
            if not pool:
                pool = [c for c in FALLBACK_CODES[leaf] if c != cur]
                note = ", ".join(x for x in (note, "no other %s code in the scenario: a common one" % leaf) if x)
            # a code far from the current one (a different two-digit series if any)
            far = [c for c in pool if c[:2] != (cur or "")[:2]]
            new = (far or pool)[0]
            return [(json.dumps(new), "%s -> %s" % (cur or '""', new))], "run", note
        return [], "label", note
    if t == "ids":
        return [], "skip", "reference list (%s): skipped" % row["range"].replace("`", "")
    if t == "choice":
        ch = row["choices"]
        if len(ch) < 2:
            return [], "label", note
        i = ch.index(cur) if cur in ch else -1
        new = ch[(i + 1) % len(ch)]
        return [(json.dumps(new), "%s -> %s" % (cur, new))], "run", note
    if t == "id":
        coll, _ = get_path(scen, row["collection"].split("."))
        ids = list(coll or {})
        if cur is None:
            if not ids:
                return [], "skip", "no %s in the scenario" % row["collection"]
            return [(json.dumps(ids[0]), "null -> %s" % ids[0])], "run", note
        others = [i for i in ids if i != cur]
        c = []
        if others:
            j = (ids.index(cur) + 1) % len(ids) if cur in ids else 0
            new = ids[j] if ids[j] != cur else others[0]
            c.append((json.dumps(new), "%s -> %s" % (cur, new)))
        c.append(("null", "%s -> null" % cur))
        return c, "run", note
    if t == "boolean":
        if cur is None:
            eff, why = type_default(row, scen, parts)
            eff = bool(eff)
            note = ", ".join(x for x in (note, why) if x)
            return [(json.dumps(not eff), "null (%s) -> %s" % (json.dumps(eff), json.dumps(not eff)))], "run", note
        return [(json.dumps(not cur), "%s -> %s" % (json.dumps(cur), json.dumps(not cur)))], "run", note
    if t == "integer":
        if cur is None:
            eff, why = type_default(row, scen, parts)
            note = ", ".join(x for x in (note, why) if x)
            cur = eff if eff is not None else row["lo"]
        c = []
        for d in (+1, -1):
            new = int(cur) + d
            if row["lo"] <= new <= row["hi"]:
                c.append((str(new), "%d -> %d" % (cur, new)))
        if leaf in RUN_CONTROL and len(parts) == 1:
            note = ", ".join(x for x in (note, RUN_CONTROL[leaf]) if x)
        return c, "run", note
    if t in ("number", "number or [4 numbers]", "object of numbers"):
        if t == "object of numbers" and leaf not in row["subkeys"]:
            return [], "skip", "container"
        if cur is None:
            eff, why = type_default(row, scen, parts)
            note = ", ".join(x for x in (note, why) if x)
            cur = eff if eff is not None else 0
        if isinstance(cur, list):
            news = [number_candidates(float(x), row, leaf)[0][0] for x in cur]
            return [(json.dumps(news), "each grade: %s -> %s" % (fmt(cur), fmt(news)))], "run", note
        c = [(fmt(n), "%s -> %s (%s)" % (fmt(cur), fmt(n), d)) for n, d in number_candidates(float(cur), row, leaf)]
        return c, "run", note
    return [], "skip", "type %s: not perturbed" % t


def balanced_alternative(row, parts, scen, first_text):
    """For an object of numbers that must sum to 1: move the change to the largest other value."""
    obj_parts = parts[:-1]
    obj, ok = get_path(scen, obj_parts)
    obj = dict(obj) if ok and isinstance(obj, dict) else dict(row["default"] or {})
    leaf = parts[-1]
    cur = float(obj.get(leaf, 0))
    new = float(json.loads(first_text))
    delta = (new - cur) / 2
    others = sorted((k for k in obj if k != leaf), key=lambda k: -float(obj[k]) * (1 if delta > 0 else -1))
    for o in others:
        ov = float(obj[o]) - delta
        if 0 <= ov <= 1 and 0 <= cur + delta <= 1:
            obj[leaf] = round(cur + delta, 6)
            obj[o] = round(ov, 6)
            return (json.dumps(obj), "%s -> %s, %s %s -> %s (sum kept at 1)" % (
                fmt(cur), fmt(obj[leaf]), o, fmt(float(get_path(scen, obj_parts + [o])[0] or 0)), fmt(ov)),
                ".".join(obj_parts))
    return None


# ---------------------------------------------------------------- runs and comparison

def run_alignsim(binary, scenario, out, reps, threads, sets):
    cmd = [binary, "run", scenario, "-o", out, "--replications", str(reps), "--threads", str(threads), "--quiet"]
    for s in sets:
        cmd += ["--set", s]
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, (p.stderr.strip().splitlines() or [""])[0], cmd


def read_all(path):
    data = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                rep_axis = len(obj.dims) > 0 and len(obj.dims[0]) > 0 and obj.dims[0][0].name == "/replication" \
                    and name != "replication"
                a = obj[()]
                if a.dtype.kind in "SOU":
                    a = np.array(a, dtype=object)
                data[name] = (a, rep_axis)
        f.visititems(visit)
    return data


_BASE_CACHE = {}


def base_data(path):
    if path not in _BASE_CACHE:
        _BASE_CACHE[path] = read_all(path)
    return _BASE_CACHE[path]


def compare(base, pert, reps):
    """{variable: (score, relative change of the total, reps changed)}, plus shape changes."""
    changed = {}
    rep_hit = np.zeros(reps, dtype=bool)
    for name in sorted(set(base) | set(pert)):
        if name not in base or name not in pert:
            changed[name] = ((math.inf, math.inf), None, "added" if name in pert else "removed")
            continue
        a, rep_axis = base[name]
        b, _ = pert[name]
        if a.shape != b.shape:
            changed[name] = ((math.inf, math.inf), None, "shape %s -> %s" % (a.shape, b.shape))
            rep_hit[:] = True
            continue
        if a.dtype == object or b.dtype == object:
            diff = np.array([x != y for x, y in zip(a.ravel(), b.ravel())]).reshape(a.shape)
            if diff.any():
                changed[name] = ((math.inf, math.inf), None, "text")
            continue
        af, bf = a.astype(float), b.astype(float)
        both_nan = np.isnan(af) & np.isnan(bf)
        d = np.where(both_nan, 0.0, np.abs(af - bf))
        d = np.where(np.isnan(d), np.inf, d)
        m = d.max() if d.size else 0.0
        if m > 0:
            scale = np.nanmax(np.abs(af)) if d.size and np.isfinite(af).any() else 0
            sa, sb = np.nansum(af), np.nansum(bf)
            rel = (sb - sa) / abs(sa) if sa != 0 else None
            # rank by the relative change of the total, then by the largest cell change
            score = (abs(rel) if rel is not None else math.inf, m / scale if scale > 0 else math.inf)
            if rep_axis and a.ndim >= 1 and a.shape[0] == reps:
                rep_hit |= d.reshape(reps, -1).max(axis=1) > 0
            changed[name] = (score, rel, "")
    return changed, rep_hit


def summarize(changed, rep_hit, reps):
    """Group summaries (NAME_mean ...) under NAME; list outcome variables first."""
    groups = {}
    for name, (score, rel, info) in changed.items():
        root = name
        for s in SUMMARY_SUFFIXES:
            if name.endswith(s) and name[: -len(s)] in changed:
                root = name[: -len(s)]
        if root != name and root in changed:
            continue
        groups[root] = (score, rel, info)
    def rank(item):
        name, (score, rel, info) = item
        secondary = name in AS_DIMENSIONS or name.startswith("credential_") \
            or name.startswith("occupation_")
        return (secondary, tuple(-x if x != math.inf else -1e300 for x in score), name)
    ordered = sorted(groups.items(), key=rank)
    return ordered


def task(binary, scenario, base_h5, tmpdir, reps, threads, base_sets, key, cands, tag, escalate=None):
    """Runs the candidates in order until one passes validation; compares it with the base.
    escalate: (value, desc) run in addition when the first accepted value has no effect (capacities)."""
    tried = []
    for i, (value, desc, set_key) in enumerate(cands):
        out = os.path.join(tmpdir, "%s.h5" % tag)
        rc, err, _ = run_alignsim(binary, scenario, out, reps, threads, base_sets + ["%s=%s" % (set_key, value)])
        if rc == 0:
            base = base_data(base_h5)
            pert = read_all(out)
            os.unlink(out)
            changed, rep_hit = compare(base, pert, reps)
            res = {"key": key, "status": "run", "desc": desc, "rejected": tried,
                   "ordered": summarize(changed, rep_hit, reps), "reps_hit": int(rep_hit.sum())}
            if not res["ordered"] and escalate:
                e = task(binary, scenario, base_h5, tmpdir, reps, threads, base_sets, key,
                         [(escalate[0], escalate[1], set_key)], tag)
                if e["status"] == "run":
                    e["desc"] = "%s: no effect; %s" % (desc, e["desc"])
                    e["rejected"] = tried
                    e["escalated"] = True
                    return e
            return res
        tried.append((desc, err))
        if rc != 2:
            return {"key": key, "status": "error", "desc": desc, "rejected": tried}
    return {"key": key, "status": "rejected", "desc": cands[0][1] if cands else "", "rejected": tried}


def far_candidates(row, parts, scen, tried):
    """Second tries for a key whose first perturbation changed nothing: the ends of its range (farthest
    first), every other choice, every other id.  tried: value texts already run."""
    cur, present = get_path(scen, parts)
    if not present:
        cur = row["default"]
        if row["subkeys"] and parts[-1] in row["subkeys"]:
            cur = (row["default"] or {}).get(parts[-1], 0) if isinstance(row["default"], dict) else 0
    t, out = row["type"], []
    if t in ("number", "integer", "object of numbers") and row["lo"] is not None and not isinstance(cur, list):
        c = float(cur) if isinstance(cur, (int, float)) else 0.0
        ends = sorted({row["lo"], row["hi"]}, key=lambda e: -abs(e - c))
        if parts[-1] in CAPACITY_LEAVES and c == -1:
            ends = [1.0]
        for e in ends:
            if e != c:
                out.append((fmt(e) if t != "integer" else str(int(e)), "%s -> %s (end of range)" % (fmt(c), fmt(e))))
    elif t == "choice":
        out = [(json.dumps(ch), "%s -> %s" % (cur, ch)) for ch in row["choices"] if ch != cur]
    elif t == "id":
        coll, _ = get_path(scen, row["collection"].split("."))
        out = [(json.dumps(i), "%s -> %s" % (cur, i)) for i in (coll or {}) if i != cur]
    return [(v, d) for v, d in out if v not in tried][:3]


def _items(scen, coll, pred=lambda it: True):
    return [k for k, it in (scen.get(coll) or {}).items() if pred(it)]


def _first_cluster(scen):
    c = list(scen.get("clusters") or {})
    return c[0] if c else None


def _wbl_kind_gate(scen, kind):
    """Sets that give the scenario a wbl of this kind (the first wbl, retyped), and its id."""
    have = _items(scen, "wbl", lambda it: it.get("kind", "internship") == kind)
    if have:
        return [], have[0]
    w = list(scen.get("wbl") or {})
    return (["wbl.%s.kind=\"%s\"" % (w[0], kind)], w[0]) if w else (None, None)


def _fast_program_gate(scen, pred):
    """credits_per_year one short of credits_required, so one transferred credit saves a year."""
    sets = []
    for k, it in (scen.get("postsecondary") or {}).items():
        if pred(k, it):
            req = float(it.get("credits_required", 60))
            sets.append("postsecondary.%s.credits_per_year=%s" % (k, fmt(max(1.0, req - 1))))
    return sets or None


# The completions table a gate gives a scenario (labor_market.completions names a data: file or one
# beside the scenario): the tests' IPEDS fixture, in a copy of the data folder that every run of
# the ablation reads (ALIGNSIM_DATA; data_folder_with_completions).
ABLATION_COMPLETIONS = "ablation-completions.csv"


def data_folder_with_completions(binary, tmp):
    """A copy of the binary's data folder (alignsim --version names it) with the completions table added,
    into tmp/data; returns its path."""
    info = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout
    src = next(l.split(": ", 1)[1] for l in info.splitlines() if l.startswith("data: "))
    dst = os.path.join(tmp, "data")
    shutil.copytree(src, dst)
    shutil.copy(os.path.join(ROOT, "tests", "fixtures", "completions.csv"), os.path.join(dst, ABLATION_COMPLETIONS))
    return dst


def gate_sets(key, scen):
    g = _gate_sets(key, scen)
    return g if g and g[0] else None


def _gate_sets(key, scen):
    """(sets, description) that open the gate a key acts through, applied to base and perturbed run alike;
    None where the key has no gate in this table.  The table is the engine's own conditions, read from
    model/: a key matters only once these hold."""
    parts = key.split(".")
    coll, item, leaf = parts[0], parts[1] if len(parts) > 2 else None, parts[-1]
    it = (scen.get(coll) or {}).get(item) if item else None
    if coll == "programs" and it is not None:
        if leaf == "courses_per_year":
            return ["programs.%s.requirements.courses=6" % item], "the program requires 6 courses"
        if leaf == "advanced_pass":
            return ["programs.%s.advanced_per_year=2" % item], "its students attempt 2 advanced courses a year"
        if leaf in ("allocation", "seats"):
            return ["programs.%s.seats=5" % item], "5 seats (applicants waitlisted)"
        if leaf == "interest_mult" and not it.get("cluster") and _first_cluster(scen):
            return ["programs.%s.cluster=\"%s\"" % (item, _first_cluster(scen))], "the program has a cluster"
        if leaf == "credential":
            return ["programs.%s.hours_per_year=900" % item], "900 pathway hours a year (exam eligibility)"
        if parts[-2:] == ["requirements", "wbl"] and it.get("wbl"):
            return ["wbl.%s.slots=5" % it["wbl"]], "5 placements in its wbl"
        if leaf == "type":
            return ["programs.%s.requirements={}" % item], "requirements left to the type"
    if coll == "wbl" and it is not None and leaf == "interest_mult" and not it.get("cluster") and _first_cluster(scen):
        return ["wbl.%s.cluster=\"%s\"" % (item, _first_cluster(scen))], "the wbl has a cluster"
    if coll == "postsecondary" and it is not None:
        if leaf in ("credits_per_year", "persistence"):
            per = float(it.get("credits_per_year", 30))
            return ["postsecondary.%s.credits_required=%s" % (item, fmt(min(240.0, 2 * per)))], \
                "a program longer than one year"
        if leaf == "transfer_rate":
            return _fast_program_gate(scen, lambda k, i: k == item), "credits_per_year = credits_required - 1"
    if coll == "dual_enrollment" and leaf == "kind":
        return _fast_program_gate(scen, lambda k, i: True), "every program's credits_per_year = credits_required - 1"
    if key == "effects.career_credits_bachelor":
        return _fast_program_gate(scen, lambda k, i: i.get("level") == "bachelor"), \
            "bachelor programs' credits_per_year = credits_required - 1"
    if coll == "apprenticeships" and it is not None:
        if leaf in ("preapp", "preapp_priority", "preapp_mult"):
            sets, w = _wbl_kind_gate(scen, "pre_apprenticeship")
            if sets is None:
                return None
            if leaf != "preapp":
                sets = sets + ["apprenticeships.%s.preapp=\"%s\"" % (item, w)]
            if leaf == "preapp_priority":
                sets = sets + ["apprenticeships.%s.slots=3" % item, "wbl.%s.slots=-1" % w]
            return sets, "a pre-apprenticeship (%s) feeds the trade" % w
        if leaf in ("start_wage_share", "term_years", "attrition", "cost_per_apprentice"):
            return ["apprenticeships.%s.external_applicants=50" % item], "50 external applicants a year"
    if key == "labor_market.completions_in_field_share":
        return ['labor_market.completions="data:%s"' % ABLATION_COMPLETIONS], \
            "a completions table (tests/fixtures/completions.csv, IPEDS layout) adds other supply"
    if coll == "iet" or key == "apprenticeship_pool.apply_rate.iet_completers":
        return ["iet.adults_per_year=200"], "200 IET adults a year"
    if parts[:2] == ["effects", "wbl_in_field"]:
        sets, w = _wbl_kind_gate(scen, leaf)
        return (sets, "a wbl of kind %s (%s)" % (leaf, w)) if sets else None
    if key == "effects.preapp_apprenticeship":
        sets, w = _wbl_kind_gate(scen, "pre_apprenticeship")
        return (sets, "a wbl of kind pre_apprenticeship (%s)" % w) if sets else None
    if key == "effects.career_credits_exam":
        de = list(scen.get("dual_enrollment") or {})
        if de:
            return ["dual_enrollment.%s.kind=\"career\"" % de[0], "dual_enrollment.%s.open_to_all=true" % de[0]], \
                "%s gives career credits, open to all" % de[0]
    return None


def retry_task(binary, scenario, tmpdir, reps, threads, base_sets, key, first, far, gate, tag):
    """For a key with no effect: the far values on the same base, then the gate (its own base run) with the
    first value and the far ones.  Returns {"how", "desc", "ordered", "reps_hit"} of the first that moves
    something, or of the last tried."""
    tried = []
    base_h5 = os.path.join(tmpdir, "%s-base.h5" % os.path.basename(scenario).rsplit(".", 1)[0])
    for value, desc in far:
        r = task(binary, scenario, base_h5, tmpdir, reps, threads, base_sets, key, [(value, desc, key)], tag)
        if r["status"] == "run":
            tried.append(desc)
            if r["ordered"]:
                return {"how": "far", "desc": desc, "ordered": r["ordered"], "reps_hit": r["reps_hit"]}
    if gate:
        sets, gdesc = gate
        gbase = os.path.join(tmpdir, "%s-gate-base.h5" % tag)
        rc, err, _ = run_alignsim(binary, scenario, gbase, reps, threads, base_sets + sets)
        if rc != 0:
            return {"how": "gate", "desc": "gate %s rejected: %s" % (gdesc, err.split(": ", 2)[-1]), "ordered": [],
                    "reps_hit": 0, "tried": tried}
        for value, desc in [first] + list(far):
            r = task(binary, scenario, gbase, tmpdir, reps, threads, base_sets + sets, key, [(value, desc, key)], tag)
            if r["status"] == "run":
                tried.append("%s once %s" % (desc, gdesc))
                if r["ordered"]:
                    _BASE_CACHE.pop(gbase, None)
                    os.unlink(gbase)
                    return {"how": "gate", "desc": "%s, once %s (`%s`, base and perturbed)" % (
                        desc, gdesc, "`, `".join(sets)), "ordered": r["ordered"], "reps_hit": r["reps_hit"]}
        _BASE_CACHE.pop(gbase, None)
        os.unlink(gbase)
    return {"how": None, "desc": "", "ordered": [], "reps_hit": 0, "tried": tried}


# ---------------------------------------------------------------- report

def pattern_of(key):
    """The table pattern of a key: item ids replaced by ID."""
    p = re.sub(r"^(subgroups|clusters|programs|dual_enrollment|wbl|credentials|postsecondary|apprenticeships)"
               r"\.[^.]+\.", r"\1.ID.", key)
    return re.sub(r"^labor_market\.other_supply\.[^.]+\.", "labor_market.other_supply.ID.", p)


def section_tables(o, sections, field, header, row):
    """One table per scenario of the rows in section[field]: a heading with their count, then the rows
    (row(entry) gives the cells), or "(none)"."""
    for s in sections:
        o.append("### %s (%d)\n" % (s["name"], len(s[field])))
        if s[field]:
            o.append("| %s |" % " | ".join(header))
            o.append("|" + "---|" * len(header))
            for e in s[field]:
                o.append("| %s |" % " | ".join(row(e)))
        else:
            o.append("(none)")
        o.append("")


def md(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def outputs_cell(res, reps):
    ordered = res["ordered"]
    if not ordered:
        return "**NO EFFECT**"
    parts = []
    for name, (score, rel, info) in ordered[:4]:
        if info:
            parts.append("`%s` (%s)" % (name, info))
        elif rel is not None and abs(rel) >= 0.0005:
            parts.append("`%s` %+.1f%%" % (name, 100 * rel))
        else:
            parts.append("`%s`" % name)
    more = len(ordered) - 4
    s = ", ".join(parts) + (" +%d more" % more if more > 0 else "")
    if res["reps_hit"] == reps:
        s += "; all %d reps" % reps
    elif res["reps_hit"]:
        s += "; %d of %d reps" % (res["reps_hit"], reps)
    else:
        s += "; inputs/labels only (no variable over replications changed)"
    return s


def gating_note(key, scen, row, base):
    parts = key.split(".")
    m = row["meaning"] if row else ""
    if "documentation" in m or "a label for reports" in m:
        return "the table calls it documentation / a label"
    if parts[0] == "programs" and parts[-1] in ("seats", "allocation") and "waitlisted" in base:
        labels = [x.decode() if isinstance(x, bytes) else str(x) for x in base["pathway"][0]]
        if parts[1] in labels and not base["waitlisted"][0][..., labels.index(parts[1])].any():
            return "nobody waitlisted for this program in the base run"
    if parts[0] == "apprenticeships" and parts[-1] == "preapp_priority":
        return "matters only when pre-apprenticeship completers compete for scarce slots"
    if parts[0] == "iet" and key != "iet.adults_per_year" and not (scen.get("iet") or {}).get("adults_per_year"):
        return "iet.adults_per_year is 0"
    if parts[0] == "destinations" and len(parts) == 3:
        if parts[2] in ("four_year", "community_college") and not any(
                p.get("sector") == parts[2] for p in (scen.get("postsecondary") or {}).values()):
            return "no %s program in the scenario" % parts[2]
        if parts[2] == "apprenticeship" and not scen.get("apprenticeships"):
            return "no apprenticeships in the scenario"
    return ""


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(here)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("alignsim")
    ap.add_argument("--scenarios", nargs="+")
    ap.add_argument("--replications", type=int, default=3)
    ap.add_argument("--out", default=os.path.join(repo, "docs", "lever-ablation.md"))
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1, help="OpenMP threads per run (default 1)")
    ap.add_argument("--cohort-cap", type=int, default=5000,
                    help="run scenarios whose cohort_size is larger with this cohort_size (0: never; default 5000)")
    ap.add_argument("--raw", default=os.path.join(tempfile.gettempdir(), "lever-ablation-raw.json"),
                    help="also write every result as JSON here (default: in the temp folder)")
    ap.add_argument("--only", help="regular expression: perturb only the keys it matches (for a quick look)")
    args = ap.parse_args()
    binary = os.path.abspath(args.alignsim)
    t0 = time.time()

    if args.scenarios:
        scenarios = [os.path.abspath(s) for s in args.scenarios]
    else:
        sdir = os.path.join(repo, "scenarios")
        scenarios = []
        for f in sorted(os.listdir(sdir)):
            if f.endswith(".json"):
                with open(os.path.join(sdir, f)) as fh:
                    if "extends" not in json.load(fh):
                        scenarios.append(os.path.join(sdir, f))
    rows = parse_reference(subprocess.run([binary, "reference"], capture_output=True, text=True, check=True).stdout)
    leaf_rows = [r for r in rows if r["type"] not in ("object", "object of items")]

    def git(*a):
        try:
            return subprocess.run(["git", "-C", os.path.dirname(binary)] + list(a), capture_output=True,
                                  text=True, timeout=20).stdout.strip()
        except Exception:
            return ""
    commit = git("rev-parse", "--short", "HEAD")
    dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    subject = git("log", "-1", "--format=%s")

    sections, totals, version = [], {}, ""
    with tempfile.TemporaryDirectory(prefix="lever-ablation-") as tmp:
        os.environ["ALIGNSIM_DATA"] = data_folder_with_completions(binary, tmp)  # the same tables, and one more
        for scen_path in scenarios:
            sname = os.path.splitext(os.path.basename(scen_path))[0]
            base_sets = []
            resolved = resolve_extends(scen_path)  # for the cohort cap; the base run's scenario_json rules
            if args.cohort_cap and resolved.get("cohort_size", 0) > args.cohort_cap:
                base_sets.append("cohort_size=%d" % args.cohort_cap)
            base_h5 = os.path.join(tmp, "%s-base.h5" % sname)
            rc, err, cmd = run_alignsim(binary, scen_path, base_h5, args.replications, args.threads, base_sets)
            if rc != 0:
                print("%s: base run failed: %s" % (sname, err), file=sys.stderr)
                sys.exit(1)
            with h5py.File(base_h5, "r") as f:
                scen = json.loads(f.attrs["scenario_json"])  # resolved: after extends and --set
                version = f.attrs["alignsim_version"].decode() if "alignsim_version" in f.attrs else "?"
            base_check = read_all(base_h5)
            codes = {"cip": set(), "soc": set()}
            for coll in ("credentials", "postsecondary", "apprenticeships"):
                for it in (scen.get(coll) or {}).values():
                    for c in ("cip", "soc"):
                        if it.get(c):
                            codes[c].add(it[c])
            codes["soc"] |= set(((scen.get("labor_market") or {}).get("other_supply") or {}).keys())

            # enumerate keys
            entries, seen = [], set()
            for r in leaf_rows:
                for parts in expand(r, scen):
                    keys = [parts + [s] for s in r["subkeys"]] if r["type"] == "object of numbers" else [parts]
                    for p in keys:
                        k = ".".join(p)
                        if k in seen:
                            continue
                        seen.add(k)
                        entries.append((k, r, p))
            unknown = []
            for p in scenario_leaves(scen):
                k = ".".join(p)
                if k not in seen and not any(k.startswith(s + ".") for s in seen) and k != "extends":
                    unknown.append(k)
            if args.only:
                entries = [e for e in entries if re.search(args.only, e[0])]

            results, jobs = {}, []
            for k, r, p in entries:
                cands, status, note = candidates(r, p, scen, codes)
                results[k] = {"key": k, "status": status, "note": note, "row": r, "cands": cands}
                if status == "run" and not cands:
                    results[k]["status"] = "skip"
                    results[k]["note"] = (note + ", " if note else "") + "no other valid value"
            print("%s: %d keys (%d to run), cohort_size %s, %d replications" % (
                sname, len(entries), sum(1 for v in results.values() if v["status"] == "run"),
                base_sets[0].split("=")[1] if base_sets else scen.get("cohort_size"), args.replications),
                file=sys.stderr)

            ts = time.time()
            with cf.ProcessPoolExecutor(max_workers=args.jobs) as ex:
                futs = {}
                for n, (k, v) in enumerate(results.items()):
                    if v["status"] != "run":
                        continue
                    c = [(val, desc, k) for val, desc in v["cands"]][:2]
                    r = v["row"]
                    if r["type"] == "object of numbers":  # a change that keeps a sum: the alternative
                        c = c[:1]
                        alt = balanced_alternative(r, k.split("."), scen, c[0][0])
                        if alt:
                            c.append(alt)
                    esc = None
                    if k.split(".")[-1] in CAPACITY_LEAVES and r["type"] == "number":
                        cur, ok = get_path(scen, k.split("."))
                        cur = cur if ok else r["default"]
                        if isinstance(cur, (int, float)) and cur > 0:
                            e = max(1.0, float(round(cur * 0.1)))
                            if e < cur * 0.5:
                                esc = (fmt(e), "%s -> %s (x0.1)" % (fmt(float(cur)), fmt(e)))
                        elif cur == -1:
                            esc = ("2", "unlimited -> 2")
                    futs[ex.submit(task, binary, scen_path, base_h5, tmp, args.replications, args.threads,
                                   base_sets, k, c, "%s-%d" % (sname, n), esc)] = k
                done = 0
                for fu in cf.as_completed(futs):
                    k = futs[fu]
                    try:
                        res = fu.result()
                    except Exception as e:  # keep going; report it
                        res = {"key": k, "status": "error", "desc": "", "rejected": [("", repr(e))]}
                    results[k].update(res)
                    done += 1
                    if done % 25 == 0 or done == len(futs):
                        el = time.time() - ts
                        print("  %s: %d/%d done, %.0f s, ~%.0f s left" % (
                            sname, done, len(futs), el, el / done * (len(futs) - done)), file=sys.stderr)

            # second tries for keys with no effect: far values, then the key's gate opened
            retry = [k for k, v in results.items() if v["status"] == "run" and not v.get("ordered")
                     and "documentation" not in v["row"]["meaning"] and "a label for reports" not in v["row"]["meaning"]
                     and not (len(k.split(".")) == 1 and k in RUN_CONTROL)]
            if retry:
                ts2 = time.time()
                with cf.ProcessPoolExecutor(max_workers=args.jobs) as ex:
                    futs = {}
                    for n, k in enumerate(retry):
                        v = results[k]
                        first = v["cands"][0] if v["cands"] else None
                        tried = {c[0] for c in v["cands"][:2]}
                        far = far_candidates(v["row"], k.split("."), scen, tried)
                        gate = gate_sets(k, scen)
                        if first is None or (not far and not gate):
                            continue
                        futs[ex.submit(retry_task, binary, scen_path, tmp, args.replications, args.threads,
                                       base_sets, k, first, far, gate, "%s-r%d" % (sname, n))] = k
                    for fu in cf.as_completed(futs):
                        k = futs[fu]
                        try:
                            results[k]["retry"] = fu.result()
                        except Exception as e:
                            results[k]["retry"] = {"how": None, "desc": "retry failed: %r" % e, "ordered": []}
                print("  %s: %d second tries, %.0f s" % (sname, len(futs), time.time() - ts2), file=sys.stderr)

            # table
            cnt = {"tried": 0, "effect": 0, "none": 0, "label": 0, "skipped": 0, "rejected": 0, "error": 0,
                   "labels_only": 0, "far": 0, "gated": 0}
            lines = []
            noeff, labonly, gated = [], [], []
            for k, v in results.items():
                st = v["status"]
                notes = [v.get("note", "")] if v.get("note") else []
                for desc, err in v.get("rejected", []):
                    if st == "run":
                        notes.append("first try %s rejected: %s" % (desc, err.split(": ", 2)[-1]))
                if st == "label":
                    cnt["label"] += 1
                    lines.append((k, "label", "(not run)", "; ".join(notes)))
                elif st == "skip":
                    cnt["skipped"] += 1
                    lines.append((k, "skipped", "(not run)", "; ".join(notes)))
                elif st == "rejected":
                    cnt["rejected"] += 1
                    err = v["rejected"][-1][1] if v["rejected"] else ""
                    lines.append((k, v.get("desc", ""), "not perturbable: %s" % err.split(": ", 2)[-1],
                                  "; ".join(notes + ["tried: " + ", ".join(d for d, _ in v["rejected"])])))
                elif st == "error":
                    cnt["error"] += 1
                    lines.append((k, v.get("desc", ""), "ERROR: %s" % (v["rejected"][-1][1] if v["rejected"] else ""),
                                  "; ".join(notes)))
                else:
                    cnt["tried"] += 1
                    rt = v.get("retry") or {}
                    if not v["ordered"] and rt.get("ordered"):  # moved once far enough, or once its gate opened
                        notes.append("first %s: no effect" % v["desc"])
                        v = dict(v, desc=rt["desc"], ordered=rt["ordered"], reps_hit=rt["reps_hit"])
                        cnt["far" if rt["how"] == "far" else "gated"] += 1
                        gated.append((k, rt["how"], rt["desc"], ", ".join(n for n, _ in rt["ordered"][:3])))
                    elif rt.get("tried"):
                        notes.append("also no effect: " + ", ".join(rt["tried"]))
                    elif rt.get("desc"):
                        notes.append(rt["desc"])
                    cell = outputs_cell(v, args.replications)
                    g = gating_note(k, scen, v.get("row"), base_check) if not v["ordered"] else ""
                    if not v["ordered"] and "documentation" in g:
                        cnt["tried"] -= 1
                        cnt["label"] += 1
                        lines.append((k, v["desc"], "label (no effect, as documented)", g))
                        continue
                    if not v["ordered"]:
                        cnt["none"] += 1
                        if g:
                            notes.append(g)
                        noeff.append((k, v["desc"], "; ".join(notes)))
                    else:
                        cnt["effect"] += 1
                        if all(info == "text" for _, (_, _, info) in v["ordered"]):
                            cnt["labels_only"] += 1
                            cell = "LABELS ONLY: " + cell.split("; ")[0]
                            labonly.append((k, v["desc"], ", ".join(n for n, _ in v["ordered"])))
                        if v.get("escalated"):
                            notes.append("x0.5 of the capacity does not bind at this cohort_size")
                    lines.append((k, v["desc"], cell, "; ".join(notes)))
            for k in unknown:
                lines.append((k, "skipped", "(not run)", "leaf of the scenario that the parameter table does not list"))
            for c in cnt:
                totals[c] = totals.get(c, 0) + cnt[c]
            sections.append({"name": sname, "path": os.path.relpath(scen_path, repo), "cnt": cnt, "lines": lines,
                             "noeff": noeff, "labonly": labonly, "gated": gated, "sets": base_sets, "nkeys": len(entries), "secs": time.time() - ts,
                             "nvars": len(base_check)})

    # write
    cmdline = " ".join(shlex.quote(a) for a in [os.path.relpath(sys.argv[0], repo) if sys.argv[0].startswith(repo)
                                                  else sys.argv[0]] + sys.argv[1:])
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    o = []
    o.append("# Lever ablation: which scenario keys change which outputs\n")
    o.append("Generated by `bench/lever_ablation.py`; do not edit by hand. Each key of the parameter table "
             "(`alignsim reference`) that applies to a base scenario is perturbed alone, to another valid value "
             "(method in the script's docstring); the run is compared with a base run of the same seed and "
             "replications, every dataset of the two results files (attributes, the provenance, are not "
             "compared). **NO EFFECT** means every dataset is bit-identical.\n")
    o.append("- command: `/usr/bin/python3 %s`" % cmdline)
    o.append("- date: %s; total wall time %.0f s (%d jobs, %d thread(s) per run)" % (now, time.time() - t0,
                                                                                 args.jobs, args.threads))
    o.append("- alignsim %s, commit %s%s (%s)" % (version, commit or "?", " + uncommitted changes" if dirty else "",
                                                  subject))
    o.append("- runs: `alignsim run SCENARIO --replications %d --threads %d --quiet [--set cohort_size=N] "
             "--set KEY=VALUE`, the scenario's own seed%s" % (
                 args.replications, args.threads,
                 "; scenarios with a cohort_size above %d run with cohort_size %d (base and perturbed alike)"
                 % (args.cohort_cap, args.cohort_cap) if args.cohort_cap else ""))
    o.append("- in the outputs column: up to 4 changed variables (a variable's `_mean`/`_sd`/`_ci_*` summaries "
             "count as the variable), outcome variables first, largest relative change first; the percentage "
             "is the change of the variable's total over all its cells; then in how many replications "
             "anything changed")
    o.append("- totals over %d scenarios: %d keys run, **%d with an effect, %d with NO EFFECT**, %d labels, "
             "%d skipped, %d not perturbable, %d errors\n" % (
                 len(sections), totals.get("tried", 0), totals.get("effect", 0), totals.get("none", 0),
                 totals.get("label", 0), totals.get("skipped", 0), totals.get("rejected", 0), totals.get("error", 0)))
    o.append("- of the keys with an effect, %d move an output only at the end of their range and %d only once "
             "their gate is opened (another key set so that the engine's condition for this one holds, in base "
             "and perturbed run alike: [list](#keys-that-act-through-a-gate))" % (
                 totals.get("far", 0), totals.get("gated", 0)))
    moved, still = set(), {}
    for s_ in sections:
        for k, d, cell, n in s_["lines"]:
            if "NO EFFECT" in cell:
                still.setdefault(pattern_of(k), []).append((s_["name"], k, n))
            elif not cell.startswith("(not run)") and not cell.startswith("label") and not cell.startswith(
                    "not perturbable") and not cell.startswith("ERROR"):
                moved.add(pattern_of(k))
    nowhere = {p_: v for p_, v in still.items() if p_ not in moved}
    o.append("- **%d key patterns have no effect in any library scenario** (listed under "
             "[No effect anywhere](#no-effect-anywhere)); every other pattern moves an output in at least one\n"
             % len(nowhere))
    o.append("| scenario | cohort_size used | keys | run | effect | NO EFFECT | labels | skipped | not perturbable |")
    o.append("|---|---|---|---|---|---|---|---|---|")
    for s in sections:
        c = s["cnt"]
        o.append("| [%s](#%s) | %s | %d | %d | %d | %d | %d | %d | %d |" % (
            s["name"], s["name"], s["sets"][0].split("=")[1] + " (capped)" if s["sets"] else "scenario's",
            s["nkeys"], c["tried"], c["effect"], c["none"], c["label"], c["skipped"], c["rejected"]))
    o.append("\n## Keys with no effect\n")
    o.append("Keys whose perturbation left every dataset bit-identical. *Run control* ones are expected; the "
             "rest are levers that the engine ignores in that scenario even at the end of their range and with their gate opened (second tries in the notes).\n")
    for s in sections:
        o.append("### %s (%d)\n" % (s["name"], len(s["noeff"])))
        if not s["noeff"]:
            o.append("(none)\n")
            continue
        # by table pattern
        pat = {}
        for k, d, n in s["noeff"]:
            pat.setdefault(pattern_of(k), []).append((k, d, n))
        tried_by_pat = {}
        for k, *_ in s["lines"]:
            p = pattern_of(k)
            tried_by_pat[p] = tried_by_pat.get(p, 0) + 1
        o.append("| key (pattern) | items with no effect | which | perturbation / notes |")
        o.append("|---|---|---|---|")
        for p, lst in pat.items():
            ids = [k.split(".")[1] for k, _, _ in lst] if "ID" in p else []
            which = "all" if ids and len(ids) == tried_by_pat[p] else ", ".join(ids)
            d0 = lst[0][1] + ("; " + lst[0][2] if lst[0][2] else "")
            o.append("| `%s` | %d of %d | %s | %s |" % (p, len(lst), tried_by_pat[p], md(which) if ids else "",
                                                         md(d0) + (" (first of them)" if len(lst) > 1 else "")))
        o.append("")
    o.append("## No effect anywhere\n")
    o.append("Key patterns with no effect in every library scenario that has them, after the second tries "
             "(the end of the range; the gate opened).  Each is a defect to fix or a label to document.\n")
    if nowhere:
        o.append("| key (pattern) | where tried | notes (first) |")
        o.append("|---|---|---|")
        for p_, v in sorted(nowhere.items()):
            o.append("| `%s` | %s | %s |" % (p_, ", ".join(sorted({x[0] for x in v})), md(v[0][2])))
    else:
        o.append("(none)")
    o.append("")
    o.append("## Keys that act through a gate\n")
    o.append("Keys whose first perturbation changed nothing, and that moved an output at the end of their "
             "range (*far*) or once the condition they act through was made to hold (*gate*).\n")
    section_tables(o, sections, "gated", ("key", "how", "perturbation", "outputs that moved (first)"),
                   lambda e: ("`%s`" % e[0], e[1], md(e[2]), md(e[3])))
    o.append("## Keys that change only labels\n")
    o.append("Keys whose perturbation changed text datasets only (category labels, codes, levels): "
             "the engine's numbers do not depend on them in that scenario.\n")
    section_tables(o, sections, "labonly", ("key", "perturbation", "text that changed"),
                   lambda e: ("`%s`" % e[0], md(e[1]), md(e[2])))
    for s in sections:
        c = s["cnt"]
        o.append("## %s\n" % s["name"])
        o.append("`%s`%s: %d keys, %d run (%d with an effect, **%d NO EFFECT**), %d labels, %d skipped, "
                 "%d not perturbable; %.0f s.\n" % (
                     s["path"], " with `--set %s`" % s["sets"][0] if s["sets"] else "", s["nkeys"], c["tried"],
                     c["effect"], c["none"], c["label"], c["skipped"], c["rejected"], s["secs"]))
        o.append("| key | perturbation | outputs that changed | notes |")
        o.append("|---|---|---|---|")
        for k, d, cell, n in s["lines"]:
            o.append("| `%s` | %s | %s | %s |" % (k, md(d), md(cell) if "NO EFFECT" not in cell else cell, md(n)))
        o.append("")
    try:
        with open(args.raw, "w") as fh:
            json.dump([{k: v for k, v in s.items()} for s in sections], fh, indent=1, default=str)
    except OSError as e:
        print("could not write %s: %s" % (args.raw, e), file=sys.stderr)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as fh:
        fh.write("\n".join(o))
    print("wrote %s (%.0f s)" % (args.out, time.time() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
