#!/bin/sh
# test_report.sh ALIGNSIM SOURCE_DIR PYTHON - `alignsim report` as a school board reads it: the
# executive summary first (differences, relative changes, intervals labelled as simulation noise),
# the table of assumptions (the illustrative other-supply default flagged, and not claimed where a
# run does not make it), structural zeros worded "no effect in this model", names instead of ids and
# no internal document numbers, the occupation view (--occupation/--year, checked against the file),
# the refusals of bad options; then rendered by headless Chromium: every chart's <svg> is in the DOM,
# the screenshot is a real picture, and the page prints to PDF (pages counted with pdftoppm).  Runs
# the Miami-Dade baseline and the CTE dual-enrollment proposal small (3 replications, 3,000 students
# a year).  Exit 77 (skipped) when Chromium is not installed.
set -eu
ALIGNSIM=$1
SOURCE=$2
PYTHON=${3:-/usr/bin/python3}
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "SKIP: chromium is not installed"
    exit 77
fi
. "$(dirname "$0")/lib.sh" # WORK, fail
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

# the executive summary comes first (before the supply section) and states differences with intervals
line_of() { grep -n "$1" "$2" | head -1 | cut -d: -f1; }
SUMMARY=$(line_of 'id="summary"' report.html)
ASSUMPTIONS=$(line_of 'id="assumptions"' report.html)
SUPPLY=$(line_of 'id="supply"' report.html)
[ -n "$SUMMARY" ] && [ -n "$ASSUMPTIONS" ] && [ -n "$SUPPLY" ] || fail "summary, assumptions or supply section missing"
[ "$SUMMARY" -lt "$ASSUMPTIONS" ] && [ "$ASSUMPTIONS" -lt "$SUPPLY" ] ||
    fail "the summary and the assumptions must come before the supply section ($SUMMARY, $ASSUMPTIONS, $SUPPLY)"
[ "$SUMMARY" -lt "$(line_of 'id="glance"' report.html)" ] || fail "the summary must come before the key numbers"
sed -n "${SUMMARY},${ASSUMPTIONS}p" report.html > summary.html
grep -q "Credentials earned (all kinds), 2025 to 2034: [0-9,]* with cte-dual-enrollment-open against [0-9,]* in miami-dade, a difference of +[0-9,]* (+[0-9.]*%; 95% interval +[0-9,]* to +[0-9,]*)" summary.html ||
    fail "the summary lacks the credentials sentence with difference, relative change and interval: $(grep -o 'Credentials earned[^<]*' summary.html)"
grep -q "95% interval over 3 replications: simulation noise only, not parameter uncertainty" summary.html ||
    fail "the summary's intervals are not labelled as simulation noise"

# the assumptions table: data, documents, and the illustrative other-supply default flagged
grep -q '<table class="assumptions">' report.html || fail "no assumptions table"
grep -q '<td class="kind data">DATA</td>' report.html || fail "the assumptions table has no DATA row"
grep -q '<td class="kind document">FROM THE SOURCE DOCUMENTS</td>' report.html || fail "no row from the source documents"
grep -q '<td class="kind assumption">ASSUMPTION</td><td class="words">Other supply (other colleges, people moving in) of [0-9]* of the [0-9]* occupations: ASSUMED to be 80% of their openings (labor_market.other_supply_share), illustrative and not calibrated' report.html ||
    fail "the assumptions table does not flag the share-of-openings default as an ASSUMPTION"
grep -q "x the region&#39;s share 0.0076 (labor_market.regional_share).  The share is the scenario&#39;s ASSUMPTION" report.html ||
    fail "the assumptions table does not say that openings are the national table times an assumed share"
grep -q "Entry rules: a new holder of an industry certification" report.html || fail "the assumptions table lacks the entry rules"
grep -q "In-field share: 60% of a program&#39;s completers" report.html || fail "the assumptions table lacks the in-field share"

# intervals are simulation noise wherever they appear; structural zeros are "no effect in this model"
[ "$(grep -c 'simulation noise' report.html)" -ge 5 ] || fail "intervals are not labelled as simulation noise throughout"
grep -q "no effect in this model" report.html || fail "no structural zero worded as such (openings do not change)"
"$ALIGNSIM" report base.h5 base.h5 -o same.html || fail "report of a file against itself"
grep -q "no effect in this model on high-school graduates: it is the same in every replication of both runs" same.html ||
    fail "a structural zero is not worded 'no effect in this model'"
for html in report.html same.html; do
    grep -q "(0 to 0)\|interval: 0 to 0\|interval 0 to 0" $html && fail "$html shows a zero-width interval instead of 'no effect in this model'"
done

# one scale: relative change beside absolute, and the chart's axis in percent
grep -q '<th scope="col">Relative change</th>' report.html || fail "the effects table has no relative change"
grep -q '>+10%</text>' report.html || fail "the effects chart has no axis in percent"

# names, not ids; no internal document numbers
grep -qi "seed 0" report.html && fail "an internal document number (seed 0..) is in the report"
grep -q '<th scope="row">cte_it</th>\|<th scope="row">CIP 24</th>\|<th scope="row">econ_disadv</th>' report.html &&
    fail "a table shows an id instead of a name"
grep -q '<th scope="row">Information technology</th>' report.html || fail "programs are not shown by their names"
grep -q "M-DCPS Superintendent&#39;s essay" report.html || fail "the source document is not named by its title"

# the occupation view: the board's question, checked against the file
"$ALIGNSIM" report base.h5 proposal.h5 -o occupation.html --occupation 47-2111 --year 2030 ||
    fail "report --occupation 47-2111 --year 2030"
grep -q '<h2 id="occupations">The occupations asked about, 2030</h2>' occupation.html || fail "no occupation section"
read OPENINGS PIPELINE <<EOF2
$("$PYTHON" - base.h5 <<'PY'
import h5py, sys
f = h5py.File(sys.argv[1], "r")
o = list(f["occupation"].asstr()[:]).index("47-2111")
t = list(f["year"][:]).index(2030)
print("{:,.1f}".format(f["openings"][t, o]), "{:,.1f}".format(f["supply"][:, t, o].mean()))
PY
)
EOF2
grep -q "<tr><th scope=\"row\">openings</th><td>$OPENINGS</td><td>$OPENINGS</td><td>no effect in this model</td></tr>" occupation.html ||
    fail "occupation view: openings of 47-2111 in 2030 should be $OPENINGS: $(grep -o '<th scope="row">openings</th>[^\n]*</tr>' occupation.html)"
grep -q "<th scope=\"row\">pipeline supply</th><td>$PIPELINE \[" occupation.html ||
    fail "occupation view: pipeline supply of 47-2111 in 2030 should be $PIPELINE"
grep -q "In 2030 the local pipeline fills [0-9.]*% (95% interval [0-9.]*% to [0-9.]*%) of the openings for Electricians in miami-dade" occupation.html ||
    fail "occupation view: no answer in words"
grep -q "median wage a year (BLS)" occupation.html || fail "occupation view: no median wage"
grep -q 'id="occupations"' report.html && fail "an occupation section without --occupation"
for bad in "--occupation 99-1234" "--occupation 47-2111 --year 2101" "--year 2030" "--occupation"; do
    status=0
    "$ALIGNSIM" report base.h5 proposal.h5 -o bad.html $bad > bad.out 2> bad.err || status=$?
    [ "$status" -eq 2 ] || fail "report $bad: exit $status, expected 2"
    [ "$(wc -l < bad.err)" -eq 1 ] || fail "report $bad: expected one line, got: $(cat bad.err)"
    [ ! -e bad.html ] || fail "report $bad wrote a file"
done

# a run without the share-of-openings default: the report does not claim it
"$ALIGNSIM" run "$SOURCE/scenarios/miami-dade.json" -o no-share.h5 $SMALL --set labor_market.other_supply_share=0
"$ALIGNSIM" report no-share.h5 -o no-share.html || fail "report of a run without other_supply_share"
grep -q "ASSUMED to be\|an ASSUMPTION for" no-share.html && fail "the report claims the share-of-openings default for a run that does not make it"
grep -q "Other supply of 7 occupations given by the scenario" no-share.html || fail "no-share report: the scenario's other supply is not listed"
grep -q "Key numbers of miami-dade (mean over replications):" no-share.html || fail "a one-run summary lacks the key numbers"

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

# printed: the page prints to PDF, and the PDF has pages
browse --no-pdf-header-footer --print-to-pdf="$WORK/report.pdf" "file://$WORK/occupation.html" > /dev/null ||
    fail "chromium --print-to-pdf: $(tail -3 chromium.err)"
[ -s report.pdf ] || fail "no PDF"
if command -v pdftoppm > /dev/null; then
    pdftoppm -png -r 30 report.pdf page || fail "pdftoppm could not read the PDF"
    PAGES=$(ls page-*.png 2> /dev/null | wc -l)
else # poppler-utils missing: count the page objects
    PAGES=$("$PYTHON" -c "import re,sys; print(len(re.findall(rb'/Type\s*/Page\b', open(sys.argv[1],'rb').read())))" report.pdf)
fi
[ "$PAGES" -ge 1 ] || fail "the PDF has no pages"
echo "printed: $PAGES pages"

# one file: no effects section, still valid
"$ALIGNSIM" report base.h5 -o single.html 2> single.err || fail "report of one file"
grep -q 'id="chart-effects"' single.html && fail "a single-file report has an effects chart"
grep -q 'id="chart-supply"' single.html || fail "a single-file report lacks the supply chart"
grep -qi "seed 0" single.html && fail "an internal document number (seed 0..) is in a single-file report"

# refusals: runs that cannot be paired (exit 2), a folder that does not exist (exit 1), nothing left
status=0
"$ALIGNSIM" report base.h5 other-seed.h5 -o refused.html 2> refused.err || status=$?
[ "$status" -eq 2 ] && grep -q "seeds differ" refused.err || fail "mismatched seeds: exit $status: $(cat refused.err)"
[ ! -e refused.html ] || fail "a refused report was written"
status=0
"$ALIGNSIM" report base.h5 -o "$WORK/no/such/dir/r.html" 2> nodir.err || status=$?
[ "$status" -eq 2 ] && grep -q "cannot create" nodir.err || fail "missing folder: exit $status: $(cat nodir.err)"
echo "ok"
