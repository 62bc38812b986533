#!/usr/bin/python3
"""Measure how much common random numbers (CRN) help a paired comparison, program by program.

usage: bench/crn_variance.py ALIGNSIM [--scenario scenarios/miami-dade.json] [--replications 30]
                             [--factor 1.25] [--out FILE.md] [--threads N] [--seed S]
                             [--unpaired-seed S2]

Two runs with the same seed share random numbers student by student, so a proposal's effect is a
paired difference d_q = m(proposal, q) - m(base, q).  For every program P of the scenario (one at a
time) this script runs

  * the base (once, seed S),
  * the proposal `--set programs.P.apply_rate=min(1, apply_rate * factor)` with seed S (paired), and
  * the same proposal with seed S2 (the unpaired reference),

all with R replications, and for every program Q and a few downstream outputs computes the
variance reduction

    VR(P -> Q) = var(unpaired difference) / var(paired difference)
               = (var(base) + var(proposal, seed S2)) / var(proposal, seed S - base, seed S)

(sample variances over replications).  VR = 1 means CRN does not help; "exact" means the paired
difference is identically zero (var = 0) while the unpaired one is not; "n/a" means neither
varies.  The outcome "enrolled in Q" is `enrolled` (students in Q after each year's admissions,
subgroup `all`) summed over the simulated years: student-years in Q.  `admitted` (new students of
Q, summed over years) is reported as a secondary outcome.

Programs are taken from the scenario file in file order (after resolving `extends` as an RFC 7386
JSON merge patch, as io/scenario.c does) and checked against the `pathway` coordinate of the base results.

Writes one Markdown section to --out (or stdout); progress goes to stderr.  Needs h5py and NumPy
(Debian's /usr/bin/python3 with python3-h5py).
"""

import argparse
import datetime
import json
import math
import os
import shlex
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# ---- scenario ---------------------------------------------------------------------------------

def merge_patch(target, patch):
    """RFC 7386, keeping the target's key order (new keys go last), like io/scenario.c."""
    if not isinstance(patch, dict):
        return patch
    if not isinstance(target, dict):
        target = {}
    for key, value in patch.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict) and isinstance(target.get(key), dict):
            target[key] = merge_patch(target[key], value)
        else:
            target[key] = value
    return target


def load_scenario(path, depth=0):
    if depth > 16:
        sys.exit(f"{path}: extends: chain too long")
    with open(path, encoding="utf-8") as fh:
        tree = json.load(fh)
    ext = tree.pop("extends", None)
    if ext is None:
        return tree
    base = load_scenario(os.path.join(os.path.dirname(path), ext), depth + 1)
    return merge_patch(base, tree)


def resolve_path(path):
    if os.path.exists(path) or os.path.isabs(path):
        return os.path.abspath(path)
    alt = os.path.join(REPO, path)
    return alt if os.path.exists(alt) else os.path.abspath(path)


# ---- provenance -------------------------------------------------------------------------------

def git(args, cwd):
    try:
        return subprocess.run(["git", "-C", cwd] + args, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def binary_commit(binary):
    """Commit of the source tree the binary was built from: CMakeCache's source dir, else the
    git repository holding the binary."""
    bdir = os.path.dirname(os.path.realpath(binary))
    src = None
    for d in (bdir, os.path.dirname(bdir)):
        cache = os.path.join(d, "CMakeCache.txt")
        if os.path.exists(cache):
            with open(cache, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    if line.startswith("CMAKE_HOME_DIRECTORY:INTERNAL="):
                        src = line.split("=", 1)[1].strip()
            break
    src = src or bdir
    head = git(["rev-parse", "HEAD"], src)
    if not head:
        return "unknown (binary not inside a git checkout)", src
    subject = git(["log", "-1", "--format=%s"], src) or ""
    dirty = git(["status", "--porcelain", "--untracked-files=no"], src)
    if len(subject) > 80:
        subject = subject[:77].rsplit(" ", 1)[0] + " ..."
    text = f"`{head[:12]}` ({subject})"
    if dirty:
        text += ", with uncommitted changes"
    return text, src


def binary_version(binary):
    try:
        return subprocess.run([binary, "--version"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# ---- runs -------------------------------------------------------------------------------------

def run(binary, scenario, out, reps, seed, threads, sets=()):
    cmd = [binary, "run", scenario, "-o", out, "--replications", str(reps), "--seed", str(seed),
           "--quiet"]
    if threads:
        cmd += ["--threads", str(threads)]
    for s in sets:
        cmd += ["--set", s]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"failed ({res.returncode}): {shlex.join(cmd)}\n{res.stderr}")


def outcomes(path):
    """Per-replication outcomes: dict name -> array (replications,) or (replications, k)."""
    with h5py.File(path, "r") as f:
        pathways = list(f["pathway"].asstr()[:])
        groups = list(f["subgroup"].asstr()[:])
        a = groups.index("all")
        o = {
            "pathways": pathways,
            "enrolled": f["enrolled"][:, :, :, a].sum(axis=1),           # (R, pathway)
            "admitted": f["admitted"][:].sum(axis=1),                    # (R, pathway)
            "waitlisted": f["waitlisted"][:],                            # (R, year, pathway)
            "pathway_completers": f["pathway_completers"][:, :, :, a].sum(axis=1),
            "graduates_with_credential": f["graduates_with_credential"][:, :, a].sum(axis=1),
            "credentials": f["credentials"][:, :, :, a].sum(axis=(1, 2)),
            "graduates": f["graduates"][:, :, :, a].sum(axis=(1, 2)),
        }
        if "destinations" in f:
            o["destination_labels"] = list(f["destination"].asstr()[:])
            o["destinations"] = f["destinations"][:, :, :, a].sum(axis=1)  # (R, destination)
        if "credential" in f:
            o["credential_labels"] = list(f["credential"].asstr()[:])
            o["credentials_by"] = f["credentials"][:, :, :, a].sum(axis=1)  # (R, credential)
    return o


def vr(base, paired, unpaired):
    """Variance reduction along axis 0 (replications); returns (vr, var_paired, var_unpaired)."""
    var_p = np.var(paired - base, axis=0, ddof=1)
    var_u = np.var(base, axis=0, ddof=1) + np.var(unpaired, axis=0, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(var_p > 0, var_u / np.where(var_p > 0, var_p, 1),
                     np.where(var_u > 0, np.inf, np.nan))
    return r


def fmt(x):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    if math.isinf(x):
        return "exact"
    if x >= 100:
        return f"{x:.0f}"
    if x >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}"


def median(xs):
    xs = [x for x in xs if not math.isnan(x)]
    if not xs:
        return float("nan")
    xs.sort()
    n = len(xs)
    if n % 2:
        return xs[n // 2]
    return (xs[n // 2 - 1] + xs[n // 2]) / 2   # inf ("exact") stays inf


def minimum(xs):
    xs = [x for x in xs if not math.isnan(x)]
    return min(xs) if xs else float("nan")


def summary_rows(programs, mat):
    rows = []
    for i, p in enumerate(programs):
        after = [float(mat[i][j]) for j in range(i + 1, len(programs))]
        before = [float(mat[i][j]) for j in range(i)]
        rows.append((p, i + 1, float(mat[i][i]), median(after), median(before),
                     minimum(after + before)))
    return rows


def summary_table(rows, n, capped):
    out = ["| changed program P | position (of %d) | VR for P itself | median VR, programs after P "
           "| median VR, programs before P | min VR, other programs "
           "| P has a waitlist (share of years, base → proposal) |" % n,
           "|---|---:|---:|---:|---:|---:|---:|"]
    for (p, pos, self_vr, med_after, med_before, mn), (cb, cp) in zip(rows, capped):
        out.append(f"| `{p}` | {pos} | {fmt(self_vr)} | "
                   f"{fmt(med_after) if pos < n else '—'} | "
                   f"{fmt(med_before) if pos > 1 else '—'} | {fmt(mn)} | {cb:.2f} → {cp:.2f} |")
    return out


def matrix_table(programs, mat):
    out = ["| P \\ Q | " + " | ".join(f"{j + 1}" for j in range(len(programs))) + " |",
           "|---|" + "---:|" * len(programs)]
    for i, p in enumerate(programs):
        cells = []
        for j in range(len(programs)):
            c = fmt(float(mat[i][j]))
            cells.append(f"**{c}**" if i == j else c)
        out.append(f"| {i + 1} `{p}` | " + " | ".join(cells) + " |")
    return out


# ---- main -------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("alignsim", help="the alignsim binary")
    ap.add_argument("--scenario", default="scenarios/miami-dade.json")
    ap.add_argument("--replications", type=int, default=30)
    ap.add_argument("--factor", type=float, default=1.25,
                    help="multiplies each program's apply_rate in its proposal (capped at 1)")
    ap.add_argument("--out", help="Markdown file to write (default: stdout)")
    ap.add_argument("--seed", type=int, help="seed of base and paired proposal (default: the scenario's)")
    ap.add_argument("--unpaired-seed", type=int,
                    help="seed of the unpaired proposal (default: seed + 7919)")
    ap.add_argument("--threads", type=int, help="passed to alignsim run (default: all cores)")
    args = ap.parse_args()
    if args.replications < 3:
        sys.exit("--replications: need at least 3")

    binary = os.path.abspath(args.alignsim)
    scen_path = resolve_path(args.scenario)
    scenario = load_scenario(scen_path)
    progs = scenario.get("programs") or {}
    if not progs:
        sys.exit(f"{args.scenario}: no programs")
    programs = list(progs)
    seed = args.seed if args.seed is not None else int(scenario.get("seed", 1))
    seed2 = args.unpaired_seed if args.unpaired_seed is not None else (seed + 7919) % 2**32
    if seed2 == seed:
        sys.exit("--unpaired-seed must differ from the seed")
    R = args.replications
    command = shlex.join([os.path.relpath(sys.argv[0]) if not os.path.isabs(sys.argv[0])
                          else sys.argv[0]] + sys.argv[1:])
    started = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.monotonic()

    P = len(programs)
    mat_enr = np.full((P, P), np.nan)
    mat_adm = np.full((P, P), np.nan)
    downstream = []       # per P: list of (label, vr)
    effects = []          # per P: (old rate, new rate, mean paired diff in enrolled P, sd)
    capped = []           # per P: share of (replication, year) with a waitlist for P, base / proposal
    with tempfile.TemporaryDirectory(prefix="crn-variance-") as tmp:
        base_h5 = os.path.join(tmp, "base.h5")
        print(f"base: {scen_path}, seed {seed}, {R} replications", file=sys.stderr)
        tb = time.monotonic()
        run(binary, scen_path, base_h5, R, seed, args.threads)
        print(f"  one run took {time.monotonic() - tb:.1f} s; {2 * P} more to go", file=sys.stderr)
        base = outcomes(base_h5)
        if base["pathways"][:P] != programs:
            sys.exit(f"program order of the scenario {programs} differs from the results' "
                     f"pathway {base['pathways']}")
        for i, p in enumerate(programs):
            rate = float(progs[p]["apply_rate"])
            new = min(1.0, rate * args.factor)
            sets = [f"programs.{p}.apply_rate={new:.12g}"]
            h_pair = os.path.join(tmp, f"{i}-paired.h5")
            h_unp = os.path.join(tmp, f"{i}-unpaired.h5")
            run(binary, scen_path, h_pair, R, seed, args.threads, sets)
            run(binary, scen_path, h_unp, R, seed2, args.threads, sets)
            pr, up = outcomes(h_pair), outcomes(h_unp)
            os.remove(h_pair)
            os.remove(h_unp)
            mat_enr[i] = vr(base["enrolled"][:, :P], pr["enrolled"][:, :P], up["enrolled"][:, :P])
            mat_adm[i] = vr(base["admitted"][:, :P], pr["admitted"][:, :P], up["admitted"][:, :P])
            d = pr["enrolled"][:, i] - base["enrolled"][:, i]
            effects.append((rate, new, float(d.mean()), float(d.std(ddof=1))))
            capped.append((float((base["waitlisted"][:, :, i] > 0).mean()),
                           float((pr["waitlisted"][:, :, i] > 0).mean())))
            ds = []
            for name, label in (("graduates_with_credential", "graduates with credential"),
                                ("pathway_completers", "pathway completers (all)"),
                                ("credentials", "credentials (all)"),
                                ("graduates", "graduates")):
                b, q, u = base[name], pr[name], up[name]
                if b.ndim == 2:
                    b, q, u = b.sum(axis=1), q.sum(axis=1), u.sum(axis=1)
                ds.append((label, float(vr(b, q, u))))
            ds.append(("completers of P", float(vr(base["pathway_completers"][:, i],
                                                   pr["pathway_completers"][:, i],
                                                   up["pathway_completers"][:, i]))))
            cred = progs[p].get("credential")
            if cred and cred in base.get("credential_labels", []):
                k = base["credential_labels"].index(cred)
                ds.append(("P's credential", float(vr(base["credentials_by"][:, k],
                                                      pr["credentials_by"][:, k],
                                                      up["credentials_by"][:, k]))))
            else:
                ds.append(("P's credential", float("nan")))
            for k, lab in enumerate(base.get("destination_labels", [])):
                ds.append((f"dest. {lab}", float(vr(base["destinations"][:, k],
                                                    pr["destinations"][:, k],
                                                    up["destinations"][:, k]))))
            downstream.append(ds)
            print(f"  [{i + 1}/{P}] {p}: apply_rate {rate:g} -> {new:g}; VR self {fmt(mat_enr[i, i])}, "
                  f"elapsed {time.monotonic() - t0:.0f} s", file=sys.stderr)
    elapsed = time.monotonic() - t0

    commit, src = binary_commit(binary)
    rows = summary_rows(programs, mat_enr)
    rows_adm = summary_rows(programs, mat_adm)
    L = []
    L.append(f"## Common-random-numbers variance reduction by program ({scenario.get('name', '')})")
    L.append("")
    L.append(f"- command: `{command}` (run in `{os.getcwd()}`)")
    L.append(f"- date: {started.strftime('%Y-%m-%d %H:%M UTC')}; {2 * P + 1} runs in {elapsed:.0f} s")
    L.append(f"- binary: `{binary}` ({binary_version(binary)}), built from {commit}")
    L.append(f"- scenario: `{os.path.relpath(scen_path, REPO) if scen_path.startswith(REPO) else scen_path}`"
             f", {P} programs; {R} replications; base and paired proposal seed {seed}, "
             f"unpaired proposal seed {seed2}")
    L.append(f"- proposal for each P: `--set programs.P.apply_rate=min(1, apply_rate x {args.factor:g})`")
    L.append("- outcome \"enrolled in Q\": `enrolled[:, :, Q, subgroup all]` summed over years "
             "(student-years in Q), per replication")
    L.append("- VR(P→Q) = (var(base) + var(proposal, unpaired seed)) / var(proposal, same seed − base), "
             "sample variances over replications. 1 = no gain from pairing; *exact* = the paired "
             "difference is identically zero; *n/a* = no variation at all.")
    L.append(f"- precision: each VR is a ratio of variance estimates with about {2 * (R - 1)} and "
             f"{R - 1} degrees of freedom, so a single value is uncertain by a factor of about "
             f"{approx_f_factor(R):.1f} either way (95%); medians are steadier.")
    L.append("- reading: while a choice is one uniform against cumulative weights in file order, "
             "a program Q listed before P keeps its slice of the cumulative weights when "
             "P's apply rate rises, so its students draw the same choice in both runs and VR(P→Q) "
             "should be large; a program listed after P has its slice shifted, so some of its "
             "students are re-drawn and VR falls toward 1. The last column flags a second, "
             "unrelated reason for a low VR of P itself: where the proposal pushes P onto its seat "
             "cap (waitlist share rising toward 1), P's enrollment in the proposal barely varies "
             "and VR(P→P) ≈ 1 + var(proposal)/var(base) ≈ 1 whatever the draws.")
    L.append("")
    L.append("### Summary (enrolled)")
    L.append("")
    L += summary_table(rows, P, capped)
    L.append("")
    L.append("Effect sizes (paired mean difference of student-years in P, ± sd over replications): " +
             "; ".join(f"`{p}` {r0:g}→{r1:g}: {m:+.0f} ± {s:.0f}"
                       for p, (r0, r1, m, s) in zip(programs, effects)) + ".")
    L.append("")
    labels = [lab for lab, _ in downstream[0]]
    L.append("### Downstream outputs (VR of the paired difference, subgroup all, summed over years)")
    L.append("")
    L.append("| changed program P | " + " | ".join(labels) + " |")
    L.append("|---|" + "---:|" * len(labels))
    for p, ds in zip(programs, downstream):
        L.append(f"| `{p}` | " + " | ".join(fmt(v) for _, v in ds) + " |")
    med = [median([ds[k][1] for ds in downstream]) for k in range(len(labels))]
    L.append("| *median over P* | " + " | ".join(fmt(v) for v in med) + " |")
    L.append("")
    L.append("<details><summary>Full P×Q matrix, enrolled (rows: changed program P; columns: "
             "program Q by position; diagonal in bold)</summary>")
    L.append("")
    L.append("Positions: " + ", ".join(f"{j + 1} `{q}`" for j, q in enumerate(programs)) + ".")
    L.append("")
    L += matrix_table(programs, mat_enr)
    L.append("")
    L.append("</details>")
    L.append("")
    L.append("<details><summary>Same measurement with `admitted` (new students of Q, summed over "
             "years)</summary>")
    L.append("")
    L += summary_table(rows_adm, P, capped)
    L.append("")
    L += matrix_table(programs, mat_adm)
    L.append("")
    L.append("</details>")
    L.append("")
    text = "\n".join(L) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def approx_f_factor(R):
    """Rough 97.5% quantile of F(2(R-1), R-1): log F is about normal with variance
    2/d1 + 2/d2."""
    d1, d2 = 2 * (R - 1), R - 1
    return math.exp(1.96 * math.sqrt(2 / d1 + 2 / d2))


if __name__ == "__main__":
    main()
