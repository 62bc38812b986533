#!/bin/sh
# test_cli_habits.sh ALIGNSIM SOURCE_DIR - the command line's usual habits (issue 16):
#   - --version gives the version and the commit the binary was built from (git rev-parse HEAD in a
#     git checkout), and every results file records the same commit (git_commit);
#   - every command answers --help (and `alignsim help CMD`, the same text) with exit 0;
#   - options take --opt=VALUE as well as --opt VALUE, and -- ends them (a file named "-x.h5");
#   - "-" is standard input for a scenario and standard output for a report or compare's CSV, and is
#     refused (exit 2, no file named "-") where the output is HDF5;
#   - progress on a terminal by replication and year, with the elapsed time; none otherwise;
#   - an unknown option or a missing value is exit 2 naming it;
#   - run --timing prints one JSON line with the seconds of the engine and of the other steps.
set -eu
ALIGNSIM=$1
SOURCE=$2
. "$(dirname "$0")/lib.sh" # WORK, fail
cd "$WORK"
cp "$SOURCE/tests/fixtures/toy-small.json" .

# --version and the commit
"$ALIGNSIM" --version > version.txt || fail "--version exit $?"
grep -Eq '^alignsim [0-9]+\.[0-9]+\.[0-9]+' version.txt || fail "--version: no version: $(cat version.txt)"
commit=$(sed -n 's/^commit: //p' version.txt)
if git -C "$SOURCE" rev-parse HEAD > head.txt 2> /dev/null; then
    case "$commit" in "$(cat head.txt)"|"$(cat head.txt)-dirty") ;; *) fail "--version commit \"$commit\", HEAD $(cat head.txt)" ;; esac
else
    [ "$commit" = unknown ] || fail "outside git the commit should be unknown, not \"$commit\""
fi
"$ALIGNSIM" run toy-small.json -o t.h5 --quiet || fail "run"
h5dump -a git_commit t.h5 | grep -q "\"$commit\"" || fail "the results' git_commit is not $commit: $(h5dump -a git_commit t.h5)"

# --timing: one JSON line on standard output, the engine's seconds and the other steps'
"$ALIGNSIM" run toy-small.json -o t2.h5 --quiet --timing > timing.txt || fail "run --timing"
[ "$(wc -l < timing.txt)" -eq 1 ] || fail "--timing: expected one line: $(cat timing.txt)"
for key in simulate_s load_s prepare_s write_s person_periods person_years_swept entry sweep_a allocation sweep_bc other; do
    grep -Eq "\"$key\":[0-9]+(\.[0-9]+)?[,}]" timing.txt || fail "--timing: no $key: $(cat timing.txt)"
done

# --help for every command, and help CMD
for cmd in $("$ALIGNSIM" --help | sed -n 's/^  \([a-z-]*\) .*/\1/p'); do
    "$ALIGNSIM" "$cmd" --help > help.txt || fail "$cmd --help: exit $?"
    grep -q "^usage: alignsim $cmd" help.txt || fail "$cmd --help: no usage line: $(head -2 help.txt)"
    "$ALIGNSIM" help "$cmd" | cmp -s - help.txt || fail "alignsim help $cmd differs from $cmd --help"
    n=$((${n:-0} + 1))
done
[ "$n" -ge 11 ] || fail "only $n commands in alignsim --help"

# --opt=VALUE and --
"$ALIGNSIM" report t.h5 --output=r.html && [ -s r.html ] || fail "report --output=FILE"
cp t.h5 ./-x.h5
"$ALIGNSIM" compare --csv=c.csv -- -x.h5 t.h5 > /dev/null && [ -s c.csv ] || fail "compare --csv=FILE -- -x.h5"
"$ALIGNSIM" export --csv=ex t.h5 && [ -s ex/openings.csv ] || fail "export --csv=DIR"

# - as standard input and output
"$ALIGNSIM" validate - < toy-small.json > /dev/null || fail "validate - (standard input)"
"$ALIGNSIM" run - -o s.h5 --quiet < toy-small.json || fail "run - -o s.h5"
"$ALIGNSIM" compare s.h5 t.h5 --csv - > c2.csv || fail "compare --csv -"
head -1 c2.csv | grep -q '^metric,category,year,' || fail "compare --csv -: not CSV: $(head -1 c2.csv)"
cmp -s c.csv c2.csv || fail "the scenario read from standard input gave other results than the file"
"$ALIGNSIM" report t.h5 -o - | head -1 | grep -q '<!DOCTYPE html>' || fail "report -o -"
[ ! -e ./- ] || fail "report -o - created a file named -"
status=0
"$ALIGNSIM" run toy-small.json -o - --quiet 2> err.txt || status=$?
[ "$status" -eq 2 ] && grep -q "standard output cannot take this output" err.txt && [ ! -e ./- ] ||
    fail "run -o -: exit $status: $(cat err.txt)"
status=0
"$ALIGNSIM" run - --quiet < toy-small.json 2> err.txt || status=$?
[ "$status" -eq 2 ] && grep -q "need a name: -o RESULTS.h5" err.txt || fail "run - without -o: exit $status: $(cat err.txt)"

# progress: on a terminal (script(1) gives one) by replication and year with the elapsed time; nothing
# when stderr is not a terminal, or with --quiet
script -qec "'$ALIGNSIM' run toy-small.json -o p.h5 --replications 3" /dev/null > tty.txt || fail "run on a terminal"
tr '\r' '\n' < tty.txt | grep -aEq '^alignsim: replication [1-3] of 3, year 20[0-9][0-9] - [0-9]+ s' ||
    fail "no progress line on a terminal: $(tr '\r' '\n' < tty.txt | head -5)"
script -qec "'$ALIGNSIM' run toy-small.json -o p.h5 --replications 3 --quiet" /dev/null > tty.txt || fail "run --quiet"
! grep -aq "replication" tty.txt || fail "--quiet still shows progress"
"$ALIGNSIM" run toy-small.json -o p.h5 --replications 3 > /dev/null 2> err.txt || fail "run, not a terminal"
! grep -aq "$(printf '\r')" err.txt || fail "progress written to a stderr that is not a terminal"

# unknown options and missing values
for args in "export t.h5 --bogus" "report t.h5 --csv x" "compare t.h5 t.h5 --year" "schema extra" "reference --bogus" \
            "sweep-merge --bogus"; do
    status=0
    # shellcheck disable=SC2086
    "$ALIGNSIM" $args > /dev/null 2> err.txt || status=$?
    [ "$status" -eq 2 ] && grep -Eq "unknown|needs a value|no arguments|incomplete" err.txt ||
        fail "alignsim $args: exit $status: $(cat err.txt)"
done
echo ok
