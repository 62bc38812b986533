#!/usr/bin/python3
"""Hand-written, vectorized NumPy version of alignsim's toy cohort model.

This is the baseline that bench/run.sh compares the C engine against.  It is
meant to be an honest, competent NumPy program, not a straw man:

* structure-of-arrays state: int8 grade, bool cte, bool cred, int8 status
  (4 bytes per student);
* only students in school are swept: the active set is kept compacted
  (students who drop out or graduate are removed at the end of each period);
* random numbers are drawn only for the students an event applies to, as
  float32 uniforms by default (the fastest choice; --float64 for doubles);
* numpy.random.Generator(Philox(seed)): a counter-based generator, like the
  engine's Random123 Philox streams.

The model, exactly as scenarios/toy-cohort.json describes it: in each period
t = 0..12, while t < 10, N new students enter grade 9.  For each student in
school that period, in order:
  1. a grade-10 student not yet in CTE enters CTE with probability 0.3;
  2. a grade-12 CTE student earns a credential with probability 0.6;
  3. the student drops out with probability 0.05, else a grade-12 student
     graduates, else moves up a grade.

Expected values: person-periods 37.09875*N, graduates 8.145*N, CTE share of
graduates 0.30, credential share of graduates 0.18.

Run with Debian's /usr/bin/python3 (it has numpy):

    /usr/bin/python3 bench/toy_numpy.py --n 100000 [--seed 1] [--check]

It prints one line of JSON.  simulate_s times the simulation loop only.
"""

import argparse
import json
import math
import resource
import sys
import time

import numpy as np

PERIODS = 13        # t = 0..12
ENTRY_PERIODS = 10  # new cohorts while t < 10
P_CTE = 0.3
P_CRED = 0.6
P_DROP = 0.05

IN_SCHOOL, DROPPED, GRADUATED = 0, 1, 2

STATE_BYTES_PER_STUDENT = (np.dtype(np.int8).itemsize + np.dtype(np.bool_).itemsize
                           + np.dtype(np.bool_).itemsize + np.dtype(np.int8).itemsize)


def simulate(n, rng, udtype=np.float32):
    """Run the toy model for cohorts of size n; return the tallies.

    udtype is the dtype of the uniform draws: float32 (the default) needs half
    the Philox output of float64 and is about 30% faster overall; its 24-bit
    resolution is far finer than any probability here.
    """
    # Active (in-school) students, compacted.  Kept in entry order.
    grade = np.empty(0, dtype=np.int8)
    cte = np.empty(0, dtype=np.bool_)
    cred = np.empty(0, dtype=np.bool_)
    status = np.empty(0, dtype=np.int8)

    new_grade = np.full(n, 9, dtype=np.int8)
    new_false = np.zeros(n, dtype=np.bool_)
    new_status = np.zeros(n, dtype=np.int8)

    person_periods = 0
    graduates = 0
    grad_cte = 0
    grad_cred = 0

    for t in range(PERIODS):
        if t < ENTRY_PERIODS:
            grade = np.concatenate((grade, new_grade))
            cte = np.concatenate((cte, new_false))
            cred = np.concatenate((cred, new_false))
            status = np.concatenate((status, new_status))
        m = grade.size
        if m == 0:
            continue
        person_periods += m

        # 1. grade-10 students not yet in CTE enter CTE with probability P_CTE.
        idx = np.flatnonzero((grade == 10) & ~cte)
        if idx.size:
            cte[idx[rng.random(idx.size, dtype=udtype) < P_CTE]] = True

        # 2. grade-12 CTE students earn a credential with probability P_CRED.
        idx = np.flatnonzero((grade == 12) & cte)
        if idx.size:
            cred[idx[rng.random(idx.size, dtype=udtype) < P_CRED]] = True

        # 3. drop out, else graduate (grade 12), else move up a grade.
        drop = rng.random(m, dtype=udtype) < P_DROP
        grad = (grade == 12) & ~drop
        status[drop] = DROPPED
        status[grad] = GRADUATED
        graduates += int(np.count_nonzero(grad))
        grad_cte += int(np.count_nonzero(grad & cte))
        grad_cred += int(np.count_nonzero(grad & cred))

        stay = status == IN_SCHOOL
        grade = grade[stay]
        grade += 1
        cte = cte[stay]
        cred = cred[stay]
        status = status[stay]

    return {
        "person_periods": person_periods,
        "graduates": graduates,
        "grad_cte": grad_cte,
        "grad_cred": grad_cred,
    }


def check(n, r):
    """Compare the tallies with the model's expected values; return failures."""
    fails = []
    # Person-periods: each student contributes S = I0 + I1 + I2 + I3, where Ii
    # says the student is still in school in its i-th period (P = q**i), and
    # E[Ii Ij] = q**max(i, j); students are independent.
    q = 1 - P_DROP
    mean_pp = 1 + q + q ** 2 + q ** 3
    mean_pp2 = sum((q ** max(i, j)) for i in range(4) for j in range(4))
    sd_pp = math.sqrt(ENTRY_PERIODS * n * (mean_pp2 - mean_pp ** 2))
    students = ENTRY_PERIODS * n
    p_grad = q ** 4
    checks = [
        ("person_periods", r["person_periods"], students * mean_pp, sd_pp),
        ("graduates", r["graduates"], students * p_grad,
         math.sqrt(students * p_grad * (1 - p_grad))),
        ("cte_share", r["cte_share"], P_CTE,
         math.sqrt(P_CTE * (1 - P_CTE) / max(r["graduates"], 1))),
        ("credential_share", r["credential_share"], P_CTE * P_CRED,
         math.sqrt(P_CTE * P_CRED * (1 - P_CTE * P_CRED) / max(r["graduates"], 1))),
    ]
    for name, got, want, se in checks:
        z = (got - want) / se if se > 0 else 0.0
        line = f"{name}: got {got:.6g}, expected {want:.6g}, z = {z:+.2f}"
        print(line, file=sys.stderr)
        if abs(z) > 4:
            fails.append(line)
    return fails


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, required=True, help="students entering grade 9 per period")
    ap.add_argument("--seed", type=int, default=1, help="Philox seed (default 1)")
    ap.add_argument("--float64", action="store_true",
                    help="draw float64 uniforms (default float32, which is faster)")
    ap.add_argument("--check", action="store_true",
                    help="compare the figures with their expected values (to stderr; exit 1 if off by > 4 SE)")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("--n must be at least 1")

    udtype = np.float64 if args.float64 else np.float32
    rng = np.random.Generator(np.random.Philox(args.seed))
    t0 = time.perf_counter()
    tallies = simulate(args.n, rng, udtype)
    simulate_s = time.perf_counter() - t0

    g = tallies["graduates"]
    out = {
        "impl": "numpy",
        "n": args.n,
        "simulate_s": round(simulate_s, 6),
        "person_periods": tallies["person_periods"],
        "graduates": g,
        "cte_share": tallies["grad_cte"] / g if g else 0.0,
        "credential_share": tallies["grad_cred"] / g if g else 0.0,
        # Linux reports ru_maxrss in KiB.
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
        "state_bytes_per_student": STATE_BYTES_PER_STUDENT,
        "uniform": np.dtype(udtype).name,
        "numpy": np.__version__,
    }
    print(json.dumps(out), flush=True)
    if args.check:
        fails = check(args.n, out)
        if fails:
            print("toy_numpy: figures off their expected values:\n  " + "\n  ".join(fails), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
