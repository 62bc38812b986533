#!/bin/bash
# test_slurm.sh ALIGNSIM SOURCE_DIR - sweeps on a real (one-node) Slurm cluster, as docs/clusters.md
# runs them: starts munged, slurmctld and slurmd from Debian's packages (munge, slurm-wlm) in a
# private folder (own socket, ports, state; as root, in the foreground, no systemd), submits
#   1. the MPI form: one job, `mpirun -np 2 alignsim sweep` (when alignsim is built with Open MPI);
#   2. the job-array form: `sbatch --array=1-3`, each task `alignsim sweep --slice I/3`, then a
#      dependent job running `alignsim sweep-merge`;
# with the scripts of docs/clusters.md, waits, checks that both files equal a local run, and stops
# the daemons.  Exit 77 (skipped) when the Slurm or munge programs are not installed.
set -euo pipefail
ALIGNSIM=$(readlink -f "$1")
SOURCE=$(readlink -f "$2")
for tool in munged mungekey slurmctld slurmd sbatch squeue; do
    command -v $tool > /dev/null || PATH=$PATH:/usr/sbin
    command -v $tool > /dev/null || { echo "SKIP: $tool is not installed (slurm-wlm, munge)"; exit 77; }
done
W=$(mktemp -d /tmp/alignsim-slurm.XXXXXX)
chmod 755 "$W"
fail() { echo "FAIL: $*" >&2; tail -5 "$W"/log/*.log >&2 2> /dev/null || true; exit 1; }
stop() {
    for d in slurmd slurmctld; do [ -f "$W/$d.pid" ] && kill "$(cat "$W/$d.pid")" 2> /dev/null || true; done
    [ -S "$W/munge.sock" ] && munged --stop --socket="$W/munge.sock" > /dev/null 2>&1 || true
    sleep 1
    rm -rf "$W"
}
trap stop EXIT
mkdir -p "$W/spool" "$W/state" "$W/log" "$W/run"
mungekey --create --keyfile="$W/munge.key"
chmod 400 "$W/munge.key"
munged --force --socket="$W/munge.sock" --key-file="$W/munge.key" --pid-file="$W/munged.pid" \
    --log-file="$W/log/munged.log" --seed-file="$W/munged.seed" || fail "munged"
HOST=$(hostname -s)
PORT=$((20000 + $$ % 20000))
cat > "$W/slurm.conf" <<CONF
ClusterName=alignsimtest
SlurmctldHost=$HOST
AuthType=auth/munge
AuthInfo=socket=$W/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
StateSaveLocation=$W/state
SlurmdSpoolDir=$W/spool
SlurmctldPidFile=$W/slurmctld.pid
SlurmdPidFile=$W/slurmd.pid
SlurmctldLogFile=$W/log/slurmctld.log
SlurmdLogFile=$W/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
NodeName=$HOST CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$HOST Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
export SLURM_CONF="$W/slurm.conf"
slurmctld -D -f "$SLURM_CONF" > "$W/log/slurmctld.out" 2>&1 &
slurmd -D -f "$SLURM_CONF" > "$W/log/slurmd.out" 2>&1 &
for _ in $(seq 60); do sinfo -h -o %t 2> /dev/null | grep -q idle && break; sleep 0.5; done
sinfo -h -o %t | grep -q idle || fail "the node did not come up: $(sinfo 2>&1)"

# the sweep: small Miami-Dade, a few points
cd "$W/run"
cp "$SOURCE/scenarios/miami-dade.json" .
cat > small.json <<'JSON'
{"extends": "miami-dade.json", "name": "small", "cohort_size": 1000, "replications": 2, "iet": {"adults_per_year": 50}}
JSON
cat > sweep.json <<'JSON'
{"name": "slurm", "scenario": "small.json",
 "parameters": {"labor_market.other_supply_share": {"uniform": [0.5, 1.0]},
                "apprenticeships.*.slots": {"uniform": [0.5, 1.5], "scale": true}},
 "design": {"method": "lhs", "n": 6, "seed": 2},
 "outputs": ["alignment_index.year[2034]", "apprenticeship_completions"]}
JSON
"$ALIGNSIM" sweep sweep.json -o local.h5 --quiet || fail "local sweep"
export ALIGNSIM OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
# under AddressSanitizer (.ci/run) Open MPI's allocations left to the exit are not ours (test_sweep.sh)
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
# the scripts are docs/clusters.md's, cut out of the document so that the document is what is tested
awk '/^```sh sweep-mpi.sbatch/{on=1; next} /^```/{on=0} on' "$SOURCE/docs/clusters.md" > sweep-mpi.sbatch
awk '/^```sh sweep-array.sbatch/{on=1; next} /^```/{on=0} on' "$SOURCE/docs/clusters.md" > sweep-array.sbatch
awk '/^```sh sweep-merge.sbatch/{on=1; next} /^```/{on=0} on' "$SOURCE/docs/clusters.md" > sweep-merge.sbatch
for f in sweep-mpi.sbatch sweep-array.sbatch sweep-merge.sbatch; do [ -s $f ] || fail "docs/clusters.md lacks $f"; done

jobs=()
if "$ALIGNSIM" --version | grep -q "Open MPI"; then
    jobs+=("$(sbatch --parsable --export=ALL,SWEEP=sweep.json,OUT=mpi.h5 sweep-mpi.sbatch)")
fi
array=$(sbatch --parsable --export=ALL,SWEEP=sweep.json,OUT=part sweep-array.sbatch)
merge=$(sbatch --parsable --dependency=afterok:$array --export=ALL,OUT=part,PARTS=3 sweep-merge.sbatch)
jobs+=("$array" "$merge")
for _ in $(seq 600); do
    [ -z "$(squeue -h -j "$(IFS=,; echo "${jobs[*]}")" 2> /dev/null)" ] && break
    sleep 0.5
done
[ -z "$(squeue -h 2> /dev/null)" ] || fail "jobs still queued: $(squeue)"
cat slurm-*.out > jobs.out 2> /dev/null || true
[ -f part.h5 ] || fail "the array's merged file is missing: $(cat jobs.out)"
h5diff local.h5 part.h5 output_value > /dev/null || fail "the job array's merged file differs from a local run"
if [ ${#jobs[@]} -eq 3 ]; then
    [ -f mpi.h5 ] || fail "the MPI job wrote no file: $(cat jobs.out)"
    h5diff local.h5 mpi.h5 output_value > /dev/null || fail "the MPI job's file differs from a local run"
    echo "slurm: the MPI job and the job array (3 tasks + merge) equal a local run"
else
    echo "slurm: the job array (3 tasks + merge) equals a local run (alignsim built without MPI)"
fi
