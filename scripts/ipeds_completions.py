#!/usr/bin/env python3
"""ipeds_completions.py - a region's completions table for labor_market.completions.

From the IPEDS Data Center's complete data files (nces.ed.gov/ipeds/datacenter/DataFiles.aspx):
  C<YEAR>_A.csv   Completions: awards by UNITID, CIPCODE, MAJORNUM, AWLEVEL (CTOTALT = all awards)
  HD<YEAR>.csv    Institutional characteristics: UNITID, INSTNM, STABBR, COUNTYCD (5-digit FIPS)
keeps the institutions of the region's counties (or a list of UNITIDs), leaves out those the
scenario models itself (--exclude: their completers are pipeline supply already), and writes
CIPCODE,AWLEVEL,CTOTALT summed over the institutions, first majors only, to stdout or -o FILE.

  scripts/ipeds_completions.py C2023_A.csv --directory HD2023.csv --county 12086 \\
      --exclude 133702 -o scenarios/miami-dade-completions.csv

Standard library only.  Exit status 2 with FILE:LINE: message on bad input.
"""
import argparse
import csv
import sys
from collections import defaultdict


def fail(message):
    print("ipeds_completions: " + message, file=sys.stderr)
    sys.exit(2)


def rows(path, needed):
    """Rows of a CSV file as dicts (IPEDS files may carry a byte-order mark), checking columns."""
    try:
        handle = open(path, newline="", encoding="utf-8-sig", errors="replace")
    except OSError as e:
        fail("%s: cannot open: %s" % (path, e.strerror))
    with handle:
        reader = csv.DictReader(handle)
        header = [h.strip().upper() for h in (reader.fieldnames or [])]
        missing = [c for c in needed if c not in header]
        if missing:
            fail("%s:1: missing column %s" % (path, ", ".join("'%s'" % c for c in missing)))
        reader.fieldnames = header
        for row in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def ids(text):
    return {t.strip() for t in text.split(",") if t.strip()} if text else set()


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("completions", help="IPEDS C<YEAR>_A.csv")
    ap.add_argument("--directory", help="IPEDS HD<YEAR>.csv (needed with --county)")
    ap.add_argument("--county", help="comma-separated 5-digit county FIPS codes (COUNTYCD)")
    ap.add_argument("--unitid", help="comma-separated UNITIDs to keep (instead of, or as well as, --county)")
    ap.add_argument("--exclude", help="comma-separated UNITIDs the scenario models itself")
    ap.add_argument("-o", "--output", help="output CSV (default: stdout)")
    args = ap.parse_args(argv)
    keep, exclude, counties = ids(args.unitid), ids(args.exclude), ids(args.county)
    if counties:
        if not args.directory:
            fail("--county needs --directory HD<YEAR>.csv (institutions' counties)")
        for _, row in rows(args.directory, ["UNITID", "COUNTYCD"]):
            if row["COUNTYCD"] in counties:
                keep.add(row["UNITID"])
    if not keep:
        fail("no institution selected (expected --county with --directory, or --unitid)")
    awards = defaultdict(float)
    for line, row in rows(args.completions, ["UNITID", "CIPCODE", "AWLEVEL", "CTOTALT"]):
        if row["UNITID"] not in keep or row["UNITID"] in exclude or row.get("MAJORNUM", "1") == "2":
            continue
        try:
            count = float(row["CTOTALT"] or 0)
            level = int(row["AWLEVEL"])
        except ValueError:
            fail("%s:%d: expected numbers in AWLEVEL and CTOTALT (got '%s', '%s')"
                 % (args.completions, line, row["AWLEVEL"], row["CTOTALT"]))
        if row["CIPCODE"] not in ("99", "99.0000"):
            awards[(row["CIPCODE"], level)] += count
    out = open(args.output, "w", newline="") if args.output else sys.stdout
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["CIPCODE", "AWLEVEL", "CTOTALT"])
    for (cip, level), count in sorted(awards.items()):
        writer.writerow([cip, level, "%g" % count])
    if args.output:
        out.close()
    print("ipeds_completions: %d institutions, %d CIP x award-level rows, %g awards"
          % (len(keep - exclude), len(awards), sum(awards.values())), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
