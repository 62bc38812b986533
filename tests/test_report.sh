#!/bin/sh
# test_report.sh ALIGNSIM SOURCE_DIR PYTHON - `alignsim report` rendered by headless Chromium:
# every chart's <svg> is in the DOM the browser built, and the screenshot is a real picture (not
# blank).  Runs the Miami-Dade baseline and the CTE dual-enrollment proposal small (3
# replications, 3,000 students a year).  Exit 77 (skipped) when Chromium is not installed.
set -eu
ALIGNSIM=$1
SOURCE=$2
PYTHON=${3:-/usr/bin/python3}
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "SKIP: chromium is not installed"
    exit 77
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
browse() { # browse ARGS... : headless Chromium, offline, with a throwaway profile
    profile=$(mktemp -d "$WORK/profile.XXXXXX")
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@" 2> "$WORK/chromium.err"
}

cd "$WORK"
SMALL="--replications 3 --set cohort_size=3000 --set iet.adults_per_year=100 --quiet"
"$ALIGNSIM" run "$SOURCE/scenarios/miami-dade.json" -o base.h5 $SMALL
"$ALIGNSIM" run "$SOURCE/scenarios/cte-dual-enrollment-open.json" -o proposal.h5 $SMALL
"$ALIGNSIM" run "$SOURCE/scenarios/miami-dade.json" -o other-seed.h5 $SMALL --seed 99

"$ALIGNSIM" report base.h5 proposal.h5 -o report.html > report.out 2> report.err || fail "report"
[ ! -s report.out ] && [ ! -s report.err ] || fail "report was not quiet off a terminal"
[ -s report.html ] || fail "no report.html"
ls | grep -q "report.html.tmp" && fail "a temporary file was left"
grep -q "If the district adopts cte-dual-enrollment-open instead of miami-dade" report.html ||
    fail "the report lacks the plain-language effect"

# every chart is in the DOM Chromium built from the file
browse --dump-dom "file://$WORK/report.html" > dom.html || fail "chromium --dump-dom: $(tail -3 chromium.err)"
CHARTS="chart-supply chart-enrollment chart-completion chart-equity chart-representation chart-effects
        chart-effects-groups"
for chart in $CHARTS; do
    grep -q "<svg[^>]*id=\"$chart\"" dom.html || fail "the DOM lacks <svg id=\"$chart\">"
done
[ "$(grep -o '<svg' dom.html | wc -l)" -eq 7 ] || fail "expected 7 charts, found $(grep -o '<svg' dom.html | wc -l)"
[ "$(grep -o '<table' dom.html | wc -l)" -ge 7 ] || fail "a chart lacks its table"

# the screenshot is a picture: large, many colours, not mostly blank
browse --screenshot="$WORK/report.png" --window-size=1200,3000 "file://$WORK/report.html" > /dev/null ||
    fail "chromium --screenshot: $(tail -3 chromium.err)"
[ -s report.png ] || fail "no screenshot"
"$PYTHON" - report.png <<'EOF'
import os, struct, sys, zlib
path = sys.argv[1]
size = os.path.getsize(path)
assert size > 30_000, "screenshot only %d bytes" % size
data = open(path, "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
width, height = struct.unpack(">II", data[16:24])
assert (width, height) == (1200, 3000), (width, height)
try:
    from PIL import Image
except ImportError:
    sys.exit(0)  # size and header checked; PIL counts colours where it is installed
image = Image.open(path).convert("RGB")
colours = image.getcolors(maxcolors=1 << 20) or []
not_white = sum(n for n, c in colours if sum(c) < 3 * 235)
assert len(colours) > 50, "only %d colours" % len(colours)
assert not_white > 0.02 * width * height, "mostly blank: %d dark pixels" % not_white
print("screenshot %d bytes, %d colours, %.1f%% ink" % (size, len(colours), 100 * not_white / (width * height)))
EOF

# one file: no effects section, still valid
"$ALIGNSIM" report base.h5 -o single.html 2> single.err || fail "report of one file"
grep -q 'id="chart-effects"' single.html && fail "a single-file report has an effects chart"
grep -q 'id="chart-supply"' single.html || fail "a single-file report lacks the supply chart"

# refusals: runs that cannot be paired (exit 2), a folder that does not exist (exit 1), nothing left
status=0
"$ALIGNSIM" report base.h5 other-seed.h5 -o refused.html 2> refused.err || status=$?
[ "$status" -eq 2 ] && grep -q "seeds differ" refused.err || fail "mismatched seeds: exit $status: $(cat refused.err)"
[ ! -e refused.html ] || fail "a refused report was written"
status=0
"$ALIGNSIM" report base.h5 -o "$WORK/no/such/dir/r.html" 2> nodir.err || status=$?
[ "$status" -eq 1 ] && grep -q "cannot create" nodir.err || fail "missing folder: exit $status: $(cat nodir.err)"
echo "ok"
