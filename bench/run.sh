#!/usr/bin/env bash
# alignsim benchmarks: the one command (see docs/performance.md).
#
#   bench/run.sh [--quick] [--out FILE]
#
# Builds alignsim in Release mode into build-release/, then prints one table row
# per benchmark and thread count:
#
#   toy        scenarios/toy-cohort.json at cohort_size 100000 and 1000000, beside
#              a hand-written vectorized NumPy version (bench/toy_numpy.py) run in
#              the same session; "vs numpy" = alignsim rate / NumPy rate, "total vs"
#              = NumPy's whole-process seconds / alignsim's.
#   ceiling    for each thread count T > 1: T one-thread copies of the toy at once, how
#              many one-core runs' worth of work the T cores delivered (on a shared VM, < T).
#   full       scenarios/miami-dade.json with 20 replications; its cohort-size
#              scaling (cohort_size N, 2N, 4N, N from the scenario) and years
#              scaling (years 5, 10, 20); then, per thread count, its rate per
#              student-year over the toy's at the largest N (issue 17's target),
#              and the same per person-year swept (warm-up years and people
#              after school included: person_years_swept of --timing).
#
# Options:
#   --quick      smoke run: toy at N=100000 only, threads 1 and 2
#   --out FILE   also write the table to FILE
# Environment:
#   THREADS="1 2 4"   thread counts (default 1 2 ... nproc; --quick: 1 2)
#   ALIGNSIM=path     use this alignsim binary and skip the build
#   PYTHON=path       Python with numpy (default /usr/bin/python3)
#   REPEAT=k          run every measurement k times, report the fastest (default 1)
#
# Rates are person-periods (student-years, summed over replications) per second
# of the simulation loop (simulate_s, as the program reports it: no scenario
# parsing, no output writing). "total s" is the whole process's wall time and
# "peak MB" its maximum resident set, both from /usr/bin/time.
set -euo pipefail

usage() { sed -n '2,/^[^#]/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

QUICK=0
OUT=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) QUICK=1; shift ;;
        --out) [[ $# -ge 2 ]] || { echo "run.sh: --out needs a file name" >&2; exit 2; }
               OUT="$2"; shift 2 ;;
        --out=*) OUT="${1#--out=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-/usr/bin/python3}"
NPROC="$(nproc)"
if [[ -n "${THREADS:-}" ]]; then
    THREAD_LIST="$THREADS"
elif [[ $QUICK -eq 1 ]]; then
    THREAD_LIST="1 2"
else
    THREAD_LIST="$(seq -s ' ' 1 "$NPROC")"
fi
for t in $THREAD_LIST; do
    [[ "$t" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: THREADS: '$t' is not a positive integer" >&2; exit 2; }
done
if [[ $QUICK -eq 1 ]]; then TOY_SIZES="100000"; else TOY_SIZES="100000 1000000"; fi
REPEAT="${REPEAT:-1}"
[[ "$REPEAT" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: REPEAT: '$REPEAT' is not a positive integer" >&2; exit 2; }

"$PYTHON" -c 'import numpy' 2>/dev/null || {
    echo "run.sh: $PYTHON cannot import numpy (set PYTHON=/path/to/python3 with numpy)" >&2; exit 2; }

TIME_BIN=""
if [[ -x /usr/bin/time ]]; then TIME_BIN=/usr/bin/time; fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/alignsim-bench.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

# ---- build ------------------------------------------------------------------
if [[ -n "${ALIGNSIM:-}" ]]; then
    BIN="$ALIGNSIM"
    echo "run.sh: using ALIGNSIM=$BIN (no build)" >&2
else
    echo "run.sh: building Release into build-release/ ..." >&2
    cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DALIGNSIM_TESTS=OFF -G Ninja >&2
    cmake --build build-release >&2
    BIN="build-release/alignsim"
fi
[[ -x "$BIN" ]] || { echo "run.sh: $BIN is not an executable" >&2; exit 1; }

# ---- output -----------------------------------------------------------------
if [[ -n "$OUT" ]]; then : > "$OUT"; fi
emit() {  # print a line to stdout and, with --out, to the file
    printf '%s\n' "$*"
    if [[ -n "$OUT" ]]; then printf '%s\n' "$*" >> "$OUT"; fi
}
ROWFMT='%-30s %9s %3s %11s %10s %9s %8s %6s %9s %9s'
# shellcheck disable=SC2059  # ROWFMT is a constant format
row() { emit "$(printf "$ROWFMT" "$@")"; }

# ---- measuring one run --------------------------------------------------------
# measure NAME CMD... : runs CMD (REPEAT times, keeping the run with the least
# simulate_s) with stdout to $TMP/NAME.out, peak memory and wall time to
# $TMP/NAME.time ("KB seconds"); fails loudly with the program's stderr.
measure() {
    local name="$1"; shift
    local rc r
    for ((r = 1; r <= REPEAT; r++)); do
        rc=0
        if [[ -n "$TIME_BIN" ]]; then
            "$TIME_BIN" -f '%M %e' -o "$TMP/try.time" "$@" > "$TMP/try.out" 2> "$TMP/try.err" || rc=$?
        else
            "$@" > "$TMP/try.out" 2> "$TMP/try.err" || rc=$?
            echo "- -" > "$TMP/try.time"
        fi
        if [[ $rc -ne 0 ]]; then
            echo "run.sh: command failed (exit $rc): $*" >&2
            cat "$TMP/try.err" >&2
            return 1
        fi
        if [[ $r -eq 1 ]] || faster "$TMP/try.out" "$TMP/$name.out"; then
            mv "$TMP/try.out" "$TMP/$name.out"
            mv "$TMP/try.time" "$TMP/$name.time"
        fi
    done
}

# faster A B : true when A's JSON line reports a smaller simulate_s than B's.
faster() {
    "$PYTHON" - "$1" "$2" <<'PY'
import json, sys
def s(path):
    for line in reversed(open(path, encoding="utf-8", errors="replace").read().splitlines()):
        if line.strip().startswith("{"):
            try:
                return float(json.loads(line)["simulate_s"])
            except (ValueError, KeyError):
                pass
    return float("inf")
sys.exit(0 if s(sys.argv[1]) < s(sys.argv[2]) else 1)
PY
}

# fields NAME KEY... : from the last JSON line of $TMP/NAME.out and $TMP/NAME.time,
# print the KEYs separated by '|' (peak_mb and total_s come from /usr/bin/time, or
# the program's own peak_rss_mb; empty when absent).
fields() {
    local name="$1"; shift
    "$PYTHON" - "$TMP/$name.out" "$TMP/$name.time" "$@" <<'PY'
import json, sys
out, tim, keys = sys.argv[1], sys.argv[2], sys.argv[3:]
doc = None
for line in open(out, encoding="utf-8", errors="replace"):
    line = line.strip()
    if line.startswith("{"):
        try:
            doc = json.loads(line)
        except ValueError:
            pass
if doc is None:
    sys.exit("run.sh: no JSON line in the program's output (%s)" % out)
kb, secs = (open(tim).read().split() + ["-", "-"])[:2]
if kb != "-":
    doc["peak_mb"] = int(kb) / 1024.0
elif "peak_rss_mb" in doc:
    doc["peak_mb"] = doc["peak_rss_mb"]
if secs != "-":
    doc["total_s"] = float(secs)
for k in ("simulate_s", "person_periods"):
    if k not in doc:
        sys.exit("run.sh: the program's JSON has no %r: %s" % (k, out))
print("|".join("" if doc.get(k) is None else str(doc[k]) for k in keys))
PY
}

fmt_rate() { "$PYTHON" -c 'import sys; pp, s = float(sys.argv[1]), float(sys.argv[2]); print("%.1fM" % (pp / s / 1e6) if s > 0 else "inf")' "$1" "$2"; }
fmt_num()  { if [[ -z "$2" ]]; then echo "-"; else printf "%.${1}f" "$2"; fi; }
ratio()    { "$PYTHON" -c 'import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print("%.2fx" % (a / b))' "$1" "$2"; }
rate()     { "$PYTHON" -c 'import sys; print(float(sys.argv[1]) / float(sys.argv[2]))' "$1" "$2"; }

# Toy figures should match the model's expectations (per student entering:
# 3.709875 person-periods, sd 1.0045...); warn when 6 standard errors off.
check_toy() {  # IMPL N PERSON_PERIODS
    "$PYTHON" - "$@" <<'PY' || true
import math, sys
impl, n, pp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
q = 0.95
m1 = sum(q ** i for i in range(4))
m2 = sum(q ** max(i, j) for i in range(4) for j in range(4))
want, se = 10 * n * m1, math.sqrt(10 * n * (m2 - m1 * m1))
if abs(pp - want) > 6 * se:
    print("run.sh: WARNING: %s toy N=%d: person_periods %d, expected %.0f +- %.0f"
          % (impl, n, pp, want, se), file=sys.stderr)
PY
}

# ---- header -------------------------------------------------------------------
CPU="$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
emit "alignsim benchmarks  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
emit "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo none)$(git diff --quiet HEAD 2>/dev/null || echo ' (+ local changes)')"
emit "machine: ${CPU:-unknown CPU}, $NPROC CPUs, $(free -g 2>/dev/null | awk '/^Mem:/{print $2 " GiB RAM"}')"
emit "binary:  $BIN    numpy: $("$PYTHON" -c 'import numpy; print(numpy.__version__)')    threads: $THREAD_LIST    runs: best of $REPEAT"
[[ -n "$TIME_BIN" ]] || emit "note: /usr/bin/time is missing; peak MB is the program's own report, total s is blank"
emit ""
row "benchmark" "N" "thr" "pers-per/s" "simulate s" "total s" "peak MB" "B/stu" "vs numpy" "total vs"
row "---------" "-" "---" "----------" "----------" "-------" "-------" "-----" "--------" "--------"

# ---- toy ----------------------------------------------------------------------
TOY=scenarios/toy-cohort.json
[[ -f "$TOY" ]] || { echo "run.sh: $TOY is missing" >&2; exit 1; }
for n in $TOY_SIZES; do
    measure "np$n" "$PYTHON" bench/toy_numpy.py --n "$n" --seed 1
    vals="$(fields "np$n" simulate_s person_periods peak_mb total_s state_bytes_per_student)"
    IFS='|' read -r np_s np_pp np_mb np_tot np_bytes <<< "$vals"
    check_toy numpy "$n" "$np_pp"
    np_rate="$(rate "$np_pp" "$np_s")"
    row "toy numpy" "$n" "1" "$(fmt_rate "$np_pp" "$np_s")" "$(fmt_num 3 "$np_s")" "$(fmt_num 2 "$np_tot")" \
        "$(fmt_num 1 "$np_mb")" "${np_bytes:--}" "1.00x" "1.00x"
    for t in $THREAD_LIST; do
        measure "toy$n.$t" "$BIN" run "$TOY" --set "cohort_size=$n" --threads "$t" --timing --quiet -o "$TMP/toy.h5"
        vals="$(fields "toy$n.$t" simulate_s person_periods peak_mb total_s state_bytes_per_student)"
        IFS='|' read -r s pp mb tot bytes <<< "$vals"
        check_toy alignsim "$n" "$pp"
        row "toy alignsim" "$n" "$t" "$(fmt_rate "$pp" "$s")" "$(fmt_num 3 "$s")" "$(fmt_num 2 "$tot")" \
            "$(fmt_num 1 "$mb")" "${bytes:--}" "$(ratio "$(rate "$pp" "$s")" "$np_rate")" \
            "$(if [[ -n "$tot" && -n "$np_tot" ]]; then ratio "$np_tot" "$tot"; else echo -; fi)"
        rm -f "$TMP/toy.h5"
    done
done

# ---- the machine's ceiling for threads ------------------------------------------------
# T copies of the one-thread toy at once, at the largest N: the sum over copies of (one copy's
# simulate_s alone / its simulate_s beside the others) is how many one-core runs' worth of work
# the machine's T cores delivered in that moment, the most T threads could give. On a virtual
# machine whose vCPUs the host also lends to others it is below T, and it moves (docs/performance.md).
BIG="${TOY_SIZES##* }"
alone="$( [[ -f "$TMP/toy$BIG.1.out" ]] && fields "toy$BIG.1" simulate_s || true)"
for t in $THREAD_LIST; do
    [[ $t -gt 1 && -n "$alone" ]] || continue
    best=""
    for ((r = 1; r <= REPEAT; r++)); do
        for ((k = 1; k <= t; k++)); do
            "$BIN" run "$TOY" --set "cohort_size=$BIG" --threads 1 --timing --quiet -o "$TMP/copy$k.h5" \
                > "$TMP/copy$k.out" 2> "$TMP/copy$k.err" &
        done
        wait
        cap="$("$PYTHON" - "$alone" "$TMP" "$t" <<'PY'
import json, sys
alone, tmp, t = float(sys.argv[1]), sys.argv[2], int(sys.argv[3])
print(sum(alone / json.loads(open("%s/copy%d.out" % (tmp, k)).read().strip().splitlines()[-1])["simulate_s"]
          for k in range(1, t + 1)))
PY
)"
        if [[ -z "$best" ]] || "$PYTHON" -c 'import sys; sys.exit(0 if float(sys.argv[1]) > float(sys.argv[2]) else 1)' "$cap" "$best"; then
            best="$cap"
        fi
        rm -f "$TMP"/copy*.h5
    done
    threaded="$(fields "toy$BIG.$t" simulate_s)"
    emit "ceiling: $t one-thread copies of the toy (N=$BIG) at once did $(printf '%.2f' "$best")x one copy's work alone" \
         "(best of $REPEAT); alignsim on $t threads: $(ratio "$alone" "$threaded") its one-thread speed."
done

# ---- full model -------------------------------------------------------------------
if [[ $QUICK -eq 0 ]]; then
    FULL=scenarios/miami-dade.json
    [[ -f "$FULL" ]] || { echo "run.sh: $FULL is missing" >&2; exit 1; }
    REPS=20
    # The scenario's own cohort_size and years (top-level keys).
    base="$("$PYTHON" - "$FULL" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
n = d.get("cohort_size")
if not isinstance(n, (int, float)) or n <= 0:
    sys.exit("run.sh: %s has no numeric top-level cohort_size to scale" % sys.argv[1])
y = d.get("years", 10)  # the engine's default when the scenario leaves it out
print(int(round(n)), y)
PY
)"
    read -r BASE_N BASE_YEARS <<< "$base"
    emit ""
    emit "full model: $FULL, --replications $REPS (cohort_size $BASE_N, years $BASE_YEARS in the scenario)"
    declare -A RAN=()
    full() {  # LABEL N YEARS
        local label="$1" n="$2" years="$3" t key vals s pp mb tot bytes
        for t in $THREAD_LIST; do
            key="$n.$years.$t"
            if [[ -z "${RAN[$key]:-}" ]]; then
                measure "full.$key" "$BIN" run "$FULL" --replications "$REPS" \
                    --set "cohort_size=$n" --set "years=$years" \
                    --threads "$t" --timing --quiet -o "$TMP/full.h5"
                rm -f "$TMP/full.h5"
                RAN[$key]=1
            fi
            vals="$(fields "full.$key" simulate_s person_periods peak_mb total_s state_bytes_per_student)"
            IFS='|' read -r s pp mb tot bytes <<< "$vals"
            row "$label" "$n" "$t" "$(fmt_rate "$pp" "$s")" "$(fmt_num 3 "$s")" "$(fmt_num 2 "$tot")" \
                "$(fmt_num 1 "$mb")" "${bytes:--}" "-" "-"
        done
    }
    # Runs are cached by (cohort_size, years, threads): the scenario's own
    # settings appear in both series but run once.
    for k in 1 2 4; do
        full "miami-dade cohort ${k}N" "$((BASE_N * k))" "$BASE_YEARS"
    done
    for y in 5 10 20; do
        full "miami-dade years=$y" "$BASE_N" "$y"
    done
    # Issue 17's full-model target: Miami-Dade at a third of the toy's speed per student-year
    # (the scenario's own size against the toy at the largest N, thread count by thread count);
    # beside it the same per person-year the engine swept (person_years_swept: Miami-Dade's
    # warm-up years and its people after school, whom person_periods leaves out; the toy has
    # neither).
    emit ""
    for t in $THREAD_LIST; do
        [[ -f "$TMP/toy$BIG.$t.out" ]] || continue
        IFS='|' read -r fs fpp fsw <<< "$(fields "full.$BASE_N.$BASE_YEARS.$t" simulate_s person_periods person_years_swept)"
        IFS='|' read -r ts tpp tsw <<< "$(fields "toy$BIG.$t" simulate_s person_periods person_years_swept)"
        emit "$("$PYTHON" - "$t" "$BIG" "$fs" "$fpp" "$fsw" "$ts" "$tpp" "$tsw" <<'PY'
import sys
t, big = sys.argv[1], sys.argv[2]
fs, fpp, ts, tpp = (float(x) for x in (sys.argv[3], sys.argv[4], sys.argv[6], sys.argv[7]))
line = ("full vs toy: miami-dade's rate per student-year over the toy's (N=%s), %s thread(s): %.3f "
        "(issue 17's target: 0.333)" % (big, t, (fpp / fs) / (tpp / ts)))
if sys.argv[5] and sys.argv[8]:
    fsw, tsw = float(sys.argv[5]), float(sys.argv[8])
    line += ("; per person-year swept: %.3f (miami-dade sweeps %.2f person-years a reported student-year)"
             % ((fsw / fs) / (tsw / ts), fsw / fpp))
print(line)
PY
)"
    done
fi

emit ""
emit "pers-per/s: person-periods (student-years over all replications) per second of simulate s."
emit "vs numpy: alignsim's rate over bench/toy_numpy.py's at the same N (NumPy runs on one thread)."
emit "total vs: the same for the whole process: NumPy's total s over alignsim's (issue 17's targets)."
