#!/bin/sh
# test_signals.sh ALIGNSIM SOURCE_DIR - signals and crashes leave nothing half-written (issue 15):
#   - SIGTERM while simulating: exit 143, "interrupted by SIGTERM", no output, no temporary file;
#   - SIGINT while the results file is being written (its PATH.tmp.PID exists): exit 130, the
#     temporary file removed, no output;
#   - a stale PATH.tmp.PID of a process that no longer runs (a crash, kill -9) is removed by the
#     next write of PATH; one of a live process is left alone;
#   - SIGINT during export removes its DIR.tmp.PID folder and the tables in it, leaves an existing
#     DIR as it was, and a stale DIR.tmp.PID folder of a dead process goes at the next export;
#   - SIGINT while export --xlsx writes FILE.tmp.PID removes it and leaves an earlier FILE as it was.
set -eu
ALIGNSIM=$1
SOURCE=$2
. "$(dirname "$0")/lib.sh" # WORK, fail
# interrupt_when PID PATTERN: waits until a file matching PATTERN exists (seen=1) or process PID has
# ended, sends it SIGINT, and leaves its exit status in status
interrupt_when() {
    seen=0
    for _ in $(seq 2000); do
        if ls $2 > /dev/null 2>&1; then seen=1; break; fi
        kill -0 "$1" 2> /dev/null || break
        sleep 0.005
    done
    kill -INT "$1" 2> /dev/null || true
    status=0
    wait "$1" || status=$?
}
cd "$WORK"
cp "$SOURCE/scenarios/miami-dade.json" .

# 1. SIGTERM while simulating (the full scenario runs for a few seconds)
"$ALIGNSIM" run miami-dade.json -o term.h5 --quiet --replications 40 2> term.err &
pid=$!
sleep 0.5
kill -TERM $pid
status=0
wait $pid || status=$?
[ "$status" -eq 143 ] || fail "SIGTERM: exit $status, expected 143"
grep -q "interrupted by SIGTERM" term.err || fail "SIGTERM: no message: $(cat term.err)"
[ ! -e term.h5 ] && [ -z "$(ls | grep 'term.h5.tmp' || true)" ] || fail "SIGTERM left a file: $(ls)"

# 2. SIGINT while writing: many replications of a tiny cohort make the write the long part
"$ALIGNSIM" run miami-dade.json -o int.h5 --quiet --replications 400 --set cohort_size=50 \
    --set iet.adults_per_year=5 2> int.err &
interrupt_when $! 'int.h5.tmp.*'
if [ "$seen" -eq 1 ] && [ "$status" -ne 0 ]; then
    [ "$status" -eq 130 ] || fail "SIGINT while writing: exit $status, expected 130"
    grep -q "interrupted by SIGINT; removed the unfinished int.h5.tmp" int.err || fail "SIGINT: $(cat int.err)"
    [ ! -e int.h5 ] && [ -z "$(ls | grep 'int.h5.tmp' || true)" ] || fail "SIGINT left a file: $(ls)"
else
    echo "note: the write finished before the signal arrived (status $status); part 2 not exercised"
fi

# 3. stale temporary files of dead processes go; a live one's stays
sh -c 'exit 0' &
dead=$!
wait $dead
touch "out.h5.tmp.$dead" "out.h5.tmp.$$"
"$ALIGNSIM" run miami-dade.json -o out.h5 --quiet --replications 1 --set cohort_size=100 || fail "run"
[ ! -e "out.h5.tmp.$dead" ] || fail "the stale temporary file of dead process $dead was not removed"
[ -e "out.h5.tmp.$$" ] || fail "the temporary file of a live process ($$) was removed"

# 5. a signal during export removes its unfinished DIR.tmp.PID folder with the tables in it, into a
#    new folder and into one that holds earlier tables (which stay as they were)
"$ALIGNSIM" run miami-dade.json -o big.h5 --quiet --replications 100 --set cohort_size=50 \
    --set iet.adults_per_year=5 || fail "run big.h5"
mkdir old
echo earlier > old/openings.csv
for dir in new old; do
    "$ALIGNSIM" export big.h5 --csv "$dir" 2> "export-$dir.err" &
    pid=$!
    interrupt_when $pid "$dir.tmp.*/*.csv"
    if [ "$seen" -eq 1 ] && [ "$status" -ne 0 ]; then
        [ "$status" -eq 130 ] || fail "SIGINT during export to $dir: exit $status, expected 130"
        grep -q "removed the unfinished .*folder $dir.tmp.$pid, nothing was written" "export-$dir.err" ||
            fail "SIGINT during export to $dir: $(cat "export-$dir.err")"
        [ -z "$(ls -d "$dir".tmp.* 2> /dev/null || true)" ] || fail "export to $dir left $(ls -d "$dir".tmp.*)"
    else
        echo "note: the export to $dir finished before the signal arrived (status $status); part 5 not exercised"
    fi
done
[ ! -e new ] || [ -z "$(ls new)" ] || fail "an interrupted export into a new folder left $(ls new)"
[ "$(ls old)" = openings.csv ] && [ "$(cat old/openings.csv)" = earlier ] ||
    fail "an interrupted export changed the existing folder: $(ls old)"

# 6. a stale export folder of a dead process goes with its tables at the next export
mkdir "out.tmp.$dead"
echo partial > "out.tmp.$dead/openings.csv"
"$ALIGNSIM" export out.h5 --csv out || fail "export out.h5"
[ ! -e "out.tmp.$dead" ] || fail "the stale export folder of dead process $dead was not removed: $(ls "out.tmp.$dead")"
[ -s out/openings.csv ] || fail "the export after the stale folder wrote no openings.csv"

# 7. a signal while the workbook is written (its FILE.tmp.PID exists) removes it; an earlier FILE stays
echo earlier > book.xlsx
"$ALIGNSIM" export out.h5 --xlsx book.xlsx 2> export-xlsx.err &
pid=$!
interrupt_when $pid 'book.xlsx.tmp.*'
if [ "$seen" -eq 1 ] && [ "$status" -ne 0 ]; then
    [ "$status" -eq 130 ] || fail "SIGINT while writing the workbook: exit $status, expected 130"
    grep -q "interrupted by SIGINT; removed the unfinished book.xlsx.tmp.$pid" export-xlsx.err ||
        fail "SIGINT while writing the workbook: $(cat export-xlsx.err)"
    [ -z "$(ls | grep 'book.xlsx.tmp' || true)" ] || fail "SIGINT left $(ls | grep 'book.xlsx.tmp')"
    [ "$(cat book.xlsx)" = earlier ] || fail "an interrupted workbook export changed the earlier book.xlsx"
else
    echo "note: the workbook was written before the signal arrived (status $status); part 7 not exercised"
fi

# 4. a FIFO given as a results file is refused at once, not read (which would hang)
mkfifo pipe.h5
status=0
timeout 20 "$ALIGNSIM" compare pipe.h5 out.h5 > /dev/null 2> fifo.err || status=$?
[ "$status" -eq 2 ] && grep -q "pipe.h5: not a regular file" fifo.err || fail "a FIFO as results: exit $status: $(cat fifo.err)"
status=0
timeout 20 "$ALIGNSIM" sensitivity pipe.h5 > /dev/null 2> fifo.err || status=$?
[ "$status" -eq 2 ] && grep -q "pipe.h5: not a regular file" fifo.err || fail "a FIFO as a sweep: exit $status: $(cat fifo.err)"
echo ok
