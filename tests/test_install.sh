#!/bin/sh
# test_install.sh BUILD_DIR SOURCE_DIR [LINK_FLAGS] - alignsim installs and is usable from the prefix
# (issue 16):
#   - `cmake --install` puts bin/alignsim, lib/libalignsim, include/alignsim/*.h, share/alignsim/
#     {data,scenarios}, the man page, bash completion, alignsim.pc and the CMake package in place;
#   - the prefix can move: the program finds its data and library beside itself, and a proposal in
#     a folder of its own extends a library scenario by name;
#   - a program built against the installed library, through pkg-config and through
#     find_package(alignsim), runs a scenario and agrees with `alignsim run`;
#   - the man page renders with every command, and bash completion offers commands and options.
set -eu
BUILD=$1
SOURCE=$2
LINK_FLAGS=${3:-}
. "$(dirname "$0")/lib.sh" # WORK, fail
cmake --install "$BUILD" --prefix "$WORK/prefix" > "$WORK/install.log" || fail "cmake --install: $(tail -5 "$WORK/install.log")"
[ -e "$WORK/prefix/lib/libalignsim.a" ] || [ -e "$WORK/prefix/lib/libalignsim.so" ] || fail "no lib/libalignsim"
for f in bin/alignsim include/alignsim/engine.h include/alignsim/scenario.h \
         include/alignsim/version.h include/alignsim/git_version.h share/alignsim/data/SOURCES.md \
         share/alignsim/scenarios/miami-dade.json share/man/man1/alignsim.1 \
         share/bash-completion/completions/alignsim lib/pkgconfig/alignsim.pc \
         lib/cmake/alignsim/alignsimConfig.cmake lib/cmake/alignsim/alignsimConfigVersion.cmake \
         share/doc/alignsim/LICENSE; do
    [ -e "$WORK/prefix/$f" ] || fail "not installed: $f"
done
mv "$WORK/prefix" "$WORK/moved" # a relocated prefix: nothing may point back at the build or the old prefix
P=$WORK/moved
cd "$WORK"
env -u ALIGNSIM_DATA -u ALIGNSIM_SCENARIOS "$P/bin/alignsim" --version > version.txt
grep -qx "data: $P/share/alignsim/data" version.txt || fail "the installed program's data: $(grep data: version.txt)"
grep -qx "scenarios: $P/share/alignsim/scenarios" version.txt || fail "scenarios: $(grep scenarios: version.txt)"
mkdir proposals
printf '{"extends": "toy-cohort", "name": "bigger", "cohort_size": 3000, "replications": 2}\n' > proposals/bigger.json
env -u ALIGNSIM_DATA -u ALIGNSIM_SCENARIOS "$P/bin/alignsim" run proposals/bigger.json -o bigger.h5 --quiet ||
    fail "the installed program cannot run a proposal extending a library scenario"

# a program against the installed library: pkg-config, then find_package
export PKG_CONFIG_PATH="$P/lib/pkgconfig"
[ "$(pkg-config --modversion alignsim)" = "$(sed -n 's/^alignsim \([0-9.]*\).*/\1/p' version.txt)" ] ||
    fail "pkg-config version $(pkg-config --modversion alignsim) against $(head -1 version.txt)"
# shellcheck disable=SC2046
cc "$SOURCE/examples/graduates.c" $(pkg-config --cflags --libs alignsim) $LINK_FLAGS -o graduates-pc ||
    fail "building the example with pkg-config"
cmake -S "$SOURCE/examples" -B example -DCMAKE_PREFIX_PATH="$P" -DCMAKE_EXE_LINKER_FLAGS="$LINK_FLAGS" \
    > example.log 2>&1 || fail "configuring the example with find_package: $(tail -5 example.log)"
cmake --build example > example-build.log 2>&1 || fail "building the example: $(tail -5 example-build.log)"
./graduates-pc "$P/share/alignsim/scenarios/toy-cohort.json" > pc.txt || fail "the pkg-config example: $(cat pc.txt)"
./example/graduates "$P/share/alignsim/scenarios/toy-cohort.json" > cm.txt || fail "the find_package example"
cmp -s pc.txt cm.txt || fail "the two examples differ"
head -1 pc.txt | grep -q "^alignsim [0-9].*: toy-cohort$" || fail "the example's first line: $(head -1 pc.txt)"
"$P/bin/alignsim" run "$P/share/alignsim/scenarios/toy-cohort.json" -o toy.h5 --quiet --threads 1 || fail "run toy"
/usr/bin/python3 - toy.h5 pc.txt <<'PY' || fail "the example's graduates differ from alignsim run's"
import sys, h5py
f = h5py.File(sys.argv[1], "r")
grads = f["graduates"][:, :, :, 0].sum(axis=2).mean(axis=0)  # replication x year x pathway, all students
lines = open(sys.argv[2]).read().split("\n")[1:-1]
assert len(lines) == len(grads), (len(lines), len(grads))
for line, g in zip(lines, grads):
    assert abs(float(line.split()[1]) - g) < 0.05, (line, g)
assert grads[-1] > 0
PY

# the man page and bash completion
MANWIDTH=100 man -l "$P/share/man/man1/alignsim.1" > man.txt 2> /dev/null || fail "man -l cannot render the page"
for cmd in run validate compare export report sweep sensitivity calibrate; do
    grep -q "usage: alignsim $cmd" man.txt || fail "the man page lacks $cmd"
done
PATH="$P/bin:$PATH" bash -c '
    . "$1/share/bash-completion/completions/alignsim"
    COMP_WORDS=(alignsim ru); COMP_CWORD=1; _alignsim; [ "${COMPREPLY[*]}" = run ] || { echo "commands: ${COMPREPLY[*]}"; exit 1; }
    COMP_WORDS=(alignsim run --rep); COMP_CWORD=2; _alignsim; [ "${COMPREPLY[*]}" = --replications ] || { echo "options: ${COMPREPLY[*]}"; exit 1; }
    COMP_WORDS=(alignsim help sw); COMP_CWORD=2; _alignsim; [ "${COMPREPLY[*]}" = "sweep sweep-merge" ] || { echo "help: ${COMPREPLY[*]}"; exit 1; }
    cd "$2" && COMP_WORDS=(alignsim compare to); COMP_CWORD=2; _alignsim; [ "${COMPREPLY[*]}" = toy.h5 ] || { echo "files: ${COMPREPLY[*]}"; exit 1; }
' sh "$P" "$WORK" || fail "bash completion"
echo ok
