#!/usr/bin/python3
"""bench/scaling.py - parallel efficiency of alignsim, thread count by thread count.

    bench/scaling.py [--threads 1,2,4,8,16] [--repeat K] [--quick] [--ranks] [--out FILE]

Issue 17 asks for parallel efficiency at 1, 2, 4, 8 and 16 threads for the toy,
the full model and a sweep, and for at least 80% at 16 threads for the full model
with its replications side by side.  For each thread count T this runs, best of
K runs each:

  toy         scenarios/toy-cohort.json at cohort_size 1000000 (simulate_s)
  full        scenarios/miami-dade.json, 20 replications (simulate_s): whole
              rounds of T replications side by side, then the rest one at a
              time on every thread (model/engine.c, plan_stages)
  full, 1 rep the same with 1 replication (simulate_s): how one replication
              scales over T threads, which decides how fast the replications
              left over after the whole rounds go; and its seconds by phase
              (run --timing's phase_s: entry, the sweeps, the allocation)
  sweep       a Latin hypercube of 16 points of miami-dade.json, 4
              replications each, alignsim sweep --threads T (whole process)
  sweep/ranks with --ranks and an alignsim built with Open MPI: the same sweep
              on T worker ranks of one thread each and the manager, which
              waits without holding a core (mpirun -np T+1 ... --threads 1;
              docs/clusters.md)
  ceiling     T one-thread copies of the toy at once: how many one-core runs'
              worth of work the machine's T cores delivered (on a virtual machine
              whose vCPUs the host also lends, below T), the most T threads can give

and prints seconds, the speedup over one thread (T = 1 must be in the list),
the efficiency (speedup / T) and the speedup as a share of the ceiling.
--quick: toy at 100000, 4 replications, a sweep of 4 points (a smoke test).

Environment: ALIGNSIM=path (default build-release/alignsim, built in Release
mode when missing).  Standard library only: runs under any python3.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fail(msg):
    sys.exit("scaling.py: " + msg)


def thread_list(text):
    try:
        out = [int(x) for x in text.replace(" ", ",").split(",") if x]
    except ValueError:
        out = []
    if not out or any(t < 1 for t in out):
        raise argparse.ArgumentTypeError("expected positive integers separated by commas, got %r" % text)
    return out


def default_threads():
    n, out, t = os.cpu_count() or 1, [], 1
    while t < n:
        out.append(t)
        t *= 2
    return out + [n]


def binary():
    path = os.environ.get("ALIGNSIM")
    if path:
        if not os.access(path, os.X_OK):
            fail("ALIGNSIM=%s is not an executable" % path)
        return path
    path = os.path.join(ROOT, "build-release", "alignsim")
    if not os.access(path, os.X_OK):
        print("scaling.py: building Release into build-release/ ...", file=sys.stderr)
        for cmd in (["cmake", "-S", ROOT, "-B", os.path.join(ROOT, "build-release"), "-DCMAKE_BUILD_TYPE=Release",
                     "-DALIGNSIM_TESTS=OFF", "-G", "Ninja"],
                    ["cmake", "--build", os.path.join(ROOT, "build-release")]):
            subprocess.run(cmd, check=True, stdout=sys.stderr)
    return path


def run(cmd):
    """Runs cmd; returns (wall seconds, the last JSON line of its stdout or None)."""
    start = time.monotonic()
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        fail("command failed (exit %d): %s\n%s" % (proc.returncode, " ".join(cmd), proc.stderr[-2000:]))
    doc = None
    for line in proc.stdout.splitlines():
        if line.startswith("{"):
            try:
                doc = json.loads(line)
            except ValueError:
                pass
    return wall, doc


def best(cmd, repeat, engine):
    """The least of `repeat` runs: simulate_s where engine, else the whole process's seconds;
    and that run's --timing line (None for a sweep)."""
    runs = []
    for _ in range(repeat):
        wall, doc = run(cmd)
        if engine:
            if not doc or "simulate_s" not in doc:
                fail("no simulate_s in the output of: " + " ".join(cmd))
            runs.append((float(doc["simulate_s"]), doc))
        else:
            runs.append((wall, None))
    return min(runs, key=lambda r: r[0])


def ceiling(bin_, toy, n, t, repeat, tmp):
    """How many one-core runs' worth of work t one-thread copies of the toy did at once (best of repeat)."""
    cmd = lambda k: [bin_, "run", toy, "--set", "cohort_size=%d" % n, "--threads", "1", "--timing", "--quiet",
                     "-o", os.path.join(tmp, "copy%d.h5" % k)]
    alone = best(cmd(0), repeat, True)[0]
    if t == 1:
        return 1.0
    top = 0.0
    for _ in range(repeat):
        procs = [subprocess.Popen(cmd(k), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
                 for k in range(t)]
        work = 0.0
        for p in procs:
            out, _ = p.communicate()
            if p.returncode != 0:
                fail("a copy of the toy failed (exit %d)" % p.returncode)
            doc = json.loads([l for l in out.splitlines() if l.startswith("{")][-1])
            work += alone / float(doc["simulate_s"])
        top = max(top, work)
    return top


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", type=thread_list, default=default_threads(),
                    help="thread counts, comma-separated (default: 1, 2, 4, ... up to the CPUs, and their number)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement, the fastest kept (default 3)")
    ap.add_argument("--quick", action="store_true", help="smaller sizes: a smoke test")
    ap.add_argument("--ranks", action="store_true", help="also the sweep on MPI ranks (alignsim built with Open MPI)")
    ap.add_argument("--out", help="also write the table to FILE")
    a = ap.parse_args()
    if a.repeat < 1:
        ap.error("--repeat: expected a positive integer")
    if 1 not in a.threads:
        ap.error("--threads must include 1 (the speedups are over one thread)")
    threads = sorted(set(a.threads))
    bin_ = binary()
    version = subprocess.run([bin_, "--version"], stdout=subprocess.PIPE, text=True).stdout
    mpirun = shutil.which("mpirun")
    if a.ranks and ("Open MPI" not in version or not mpirun):
        fail("--ranks needs mpirun and an alignsim built with Open MPI (alignsim --version names its sweep driver)")

    toy = os.path.join(ROOT, "scenarios", "toy-cohort.json")
    full = os.path.join(ROOT, "scenarios", "miami-dade.json")
    toy_n, reps, points = (100000, 4, 4) if a.quick else (1000000, 20, 16)
    lines = []

    def emit(text=""):
        print(text, flush=True)
        lines.append(text)

    cpu = ""
    try:
        cpu = re.search(r"^Model name:\s*(.*)$", subprocess.run(["lscpu"], stdout=subprocess.PIPE, text=True).stdout,
                        re.M).group(1)
    except (OSError, AttributeError):
        pass
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True).stdout.strip() or "none"
    emit("alignsim scaling  %s" % time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    emit("commit: %s   binary: %s" % (commit, bin_))
    emit("machine: %s, %d CPUs   threads: %s   runs: best of %d" %
         (cpu or "unknown CPU", os.cpu_count() or 0, " ".join(map(str, threads)), a.repeat))
    emit()
    fmt = "%-34s %4s %9s %8s %10s %11s"
    emit(fmt % ("benchmark", "T", "seconds", "speedup", "efficiency", "of ceiling"))
    emit(fmt % ("---------", "-", "-------", "-------", "----------", "----------"))

    with tempfile.TemporaryDirectory(prefix="alignsim-scaling.") as tmp:
        out = os.path.join(tmp, "out.h5")
        sweep_file = os.path.join(tmp, "scaling.json")
        with open(sweep_file, "w") as f:
            json.dump({"name": "scaling", "scenario": full, "replications": 4,
                       "parameters": {"labor_market.other_supply_share": {"uniform": [0.5, 1]},
                                      "programs.*.apply_rate": {"uniform": [0.8, 1.2], "scale": True},
                                      "apprenticeships.*.slots": {"uniform": [0.75, 1.5], "scale": True}},
                       "design": {"method": "lhs", "n": points, "seed": 1},
                       "outputs": ["alignment_index.year[2034]", "graduates"]}, f)
        ceil = {t: ceiling(bin_, toy, toy_n, t, a.repeat, tmp) for t in threads}
        benches = [
            ("toy, N = %d" % toy_n, True,
             lambda t: [bin_, "run", toy, "--set", "cohort_size=%d" % toy_n, "--threads", str(t), "--timing",
                        "--quiet", "-o", out]),
            ("miami-dade, %d replications" % reps, True,
             lambda t: [bin_, "run", full, "--replications", str(reps), "--threads", str(t), "--timing", "--quiet",
                        "-o", out]),
            ("miami-dade, 1 replication", True,
             lambda t: [bin_, "run", full, "--replications", "1", "--threads", str(t), "--timing", "--quiet",
                        "-o", out]),
            ("sweep, %d points x 4 replications" % points, False,
             lambda t: [bin_, "sweep", sweep_file, "-o", out, "--threads", str(t), "--quiet"]),
        ]
        if a.ranks:
            benches.append(("sweep on T worker ranks, %d points" % points, False,
                            lambda t: [mpirun, "--allow-run-as-root", "--oversubscribe", "-np", str(t + 1), bin_,
                                       "sweep", sweep_file, "-o", out, "--threads", "1", "--quiet"]))
        summary, phases = {}, {}
        for name, engine, cmd in benches:
            base = None
            for t in threads:
                for stale in (out, out + ".journal"):
                    if os.path.exists(stale):
                        os.remove(stale)
                s, doc = best(cmd(t), a.repeat, engine)
                if name == "miami-dade, 1 replication" and doc and "phase_s" in doc:
                    phases[t] = doc["phase_s"]
                base = s if t == 1 else base
                speedup = base / s
                summary[(name, t)] = speedup / t
                emit(fmt % (name, t, "%.3f" % s, "%.2fx" % speedup, "%.0f%%" % (100 * speedup / t),
                            "%.0f%%" % (100 * speedup / ceil[t])))
        if phases:
            emit()
            emit("where one replication's time goes (miami-dade, seconds by phase of the fastest run; run --timing):")
            keys = list(next(iter(phases.values())))
            emit("%4s " % "T" + " ".join("%10s" % k for k in keys) + "   speedup by phase")
            for t in threads:
                if t in phases:
                    emit("%4d " % t + " ".join("%10.4f" % phases[t][k] for k in keys) + "   " +
                         " ".join("%s %.2fx" % (k, phases[threads[0]][k] / phases[t][k])
                                  for k in keys if phases[t][k] > 0 and phases[threads[0]][k] > 1e-3))
        emit()
        emit("ceiling: " + ", ".join("%d copies did %.2fx one copy's work" % (t, ceil[t]) for t in threads if t > 1))
        top = threads[-1]
        emit("issue 17: the full model on %d threads at %.0f%% efficiency (target: at least 80%% at 16 threads)" %
             (top, 100 * summary[("miami-dade, %d replications" % reps, top)]))
        emit("seconds: simulate_s of the engine for run, the whole process for sweep; the best of %d." % a.repeat)
    if a.out:
        with open(a.out, "w") as f:
            f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
