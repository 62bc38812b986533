"""test_xlsx_export.py ALIGNSIM [long] - the export's data dictionary and its XLSX workbook (issue 16).

Runs a small scenario, exports it with --csv DIR and --xlsx FILE in one call, and checks:
  - the dictionary (_dictionary.csv) has exactly one row per column of every CSV the export wrote,
    itself included, and no other; the units of every variable's value are the HDF5 file's `units`
    attribute (the registry as_var_defs), and a few are checked by name;
  - the workbook has one sheet per table, the dictionary first, named as the tables (a leading _
    dropped, cut to 31 characters); every sheet's header and cells equal its CSV: text columns are
    str cells (SOC codes NN-NNNN in openings, CIP codes in credential_levels stay text), numeric
    columns are numbers equal to the CSV's to the 16 significant digits libxlsxwriter writes, and
    the CSV's NA (NaN) cells are empty;
  - outputs refused before any work (exit 2, nothing written): the workbook a folder, a device or
    the input, the CSV folder a file; a missing --xlsx value;
  - an existing workbook is replaced whole, and no FILE.tmp.PID is left.
With "long": a table of more rows than a worksheet holds goes on in a second sheet "NAME (2)" with
the header again, and no row is lost (slower: about 1.1 million rows).
Run with /usr/bin/python3, which has Debian's h5py and openpyxl.
"""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile

import h5py
import openpyxl

SCENARIO = {
    "name": "toy-xlsx", "years": 3, "cohort_years": 2, "cohort_size": 600, "replications": 2, "seed": 11,
    "school": {"dropout": 0.05, "retention": 0, "graduation": 1, "readiness_sd": 0, "awareness": 1},
    "subgroups": {"el": {"share": 0.3, "apply_mult": 0.5}},
    "programs": {"cte": {"type": "cte", "entry_grade_min": 10, "entry_grade_max": 10, "apply_rate": 0.3,
                         "credential": "cert", "requirements": {"hours": 0, "credential": False, "wbl": False}}},
    "credentials": {"cert": {"cip": "11.0901", "grade_min": 12, "pass_rate": 0.6}},
}
# 80 replications x 4 years x 832 occupations x 4 supply sources = 1,064,960 rows of supply_by_source
LONG = dict(SCENARIO, name="toy-xlsx-long", years=4, replications=80, cohort_size=50)
SHEET_ROWS = 1048575  # below the header
NUMERIC = {"replication", "year", "value", "openings", "other_supply", "median_wage", "mean", "sd", "ci_low",
           "ci_high"}
EMPTY_NUMBERS = {"NA", "inf", "-inf"}  # what the CSV writes where a worksheet cell holds no number


def check(condition, message):
    if not condition:
        print("FAIL:", message, file=sys.stderr)
        sys.exit(1)


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True)


def read_csv(path):
    with open(path, newline="") as stream:
        return list(csv.reader(stream))


def sheet_name(table):
    return table.lstrip("_")[:31]


def same_number(field, cell):
    """The CSV's number as libxlsxwriter writes it (%.16G) reads back as the cell's."""
    return float("%.16G" % float(field)) == float(cell)


def check_dictionary(folder, results):
    tables = {name[:-4]: read_csv(os.path.join(folder, name)) for name in os.listdir(folder)
              if name.endswith(".csv")}
    check("_dictionary" in tables, "no _dictionary.csv in %s" % sorted(tables))
    dictionary = tables["_dictionary"]
    check(dictionary[0] == ["table", "column", "meaning", "units"], "dictionary header %s" % dictionary[0])
    rows = dictionary[1:]
    pairs = [(row[0], row[1]) for row in rows]
    check(len(pairs) == len(set(pairs)), "dictionary rows repeat: %s" %
          sorted(p for p in set(pairs) if pairs.count(p) > 1))
    written = {(table, column) for table, content in tables.items() for column in content[0]}
    check(set(pairs) == written, "dictionary and CSV headers differ: only in the dictionary %s, only in the "
                                 "CSVs %s" % (sorted(set(pairs) - written)[:10], sorted(written - set(pairs))[:10]))
    check(all(row[2] for row in rows), "a dictionary row without a meaning")
    units = {(row[0], row[1]): row[3] for row in rows}
    with h5py.File(results, "r") as f:
        variables = [t for t in tables if (t, "value") in units and t in f and
                     ("units" in f[t].attrs or "currency" in f[t].attrs)]
        check(len(variables) > 20, "too few variables matched in the results file: %s" % variables)
        for name in variables:  # the dictionary's units in words agree with the file's CF attributes
            words, a = units[(name, "value")], f[name].attrs
            cf = a["units"].decode() if "units" in a else "currency " + a["currency"].decode()
            agree = {"1": words not in ("hours", "years") and not words.startswith("dollars"), "h": words == "hours",
                     "year": words == "years", "currency USD": words.startswith("dollars")}.get(cf, False)
            check(agree, "%s.value: units %r, the results file says %r" % (name, words, cf))
    for key, want in {("graduates", "value"): "students", ("earnings", "value"): "dollars per year",
                      ("cost", "value"): "dollars", ("openings", "openings"): "jobs per year",
                      ("openings", "median_wage"): "dollars per year", ("supply", "year"): "calendar year",
                      ("openings", "occupation"): ""}.items():
        check(units.get(key) == want, "units of %s.%s: %r, expected %r" % (key + (units.get(key), want)))
    return tables, [row[0] for row in rows]


def check_sheet(table, content, sheet):
    header, body = content[0], content[1:]
    rows = list(sheet.iter_rows(values_only=True))
    check(list(rows[0]) == header, "sheet %s: header %s, CSV %s" % (sheet.title, rows[0], header))
    check(len(rows) - 1 == len(body), "sheet %s: %d rows, %s.csv %d" % (sheet.title, len(rows) - 1, table,
                                                                       len(body)))
    for i, (fields, cells) in enumerate(zip(body, rows[1:])):
        cells = list(cells) + [None] * (len(fields) - len(cells))  # trailing empty cells are not stored
        for column, field, cell in zip(header, fields, cells):
            where = "sheet %s row %d column %s: cell %r, CSV %r" % (sheet.title, i + 2, column, cell, field)
            if column in NUMERIC:
                if field in EMPTY_NUMBERS:
                    check(cell is None, where)
                else:
                    check(isinstance(cell, (int, float)) and same_number(field, cell), where)
            else:
                check(cell == (field or None) and (cell is None or isinstance(cell, str)), where)


def check_workbook(book, tables, order):
    workbook = openpyxl.load_workbook(book, read_only=True)
    names = list(dict.fromkeys(order))
    want = [sheet_name(t) for t in names]
    check(len(set(want)) == len(want), "test: shortened names collide: %s" % want)
    check(workbook.sheetnames == want, "sheets %s, expected %s" % (workbook.sheetnames, want))
    check(workbook.sheetnames[0] == "dictionary", "the dictionary is not the first sheet")
    for table, name in zip(names, want):
        check_sheet(table, tables[table], workbook[name])
    # the codes, explicitly: SOC codes in openings and CIP codes in credential_levels are text
    openings = list(workbook["openings"].iter_rows(values_only=True))
    socs = [row[1] for row in openings[1:]]
    check(socs and all(isinstance(s, str) and re.fullmatch(r"\d\d-\d{4}", s) for s in socs),
          "occupation codes are not NN-NNNN text: %s" % [s for s in socs if not isinstance(s, str)][:5])
    check(socs == [row[1] for row in tables["openings"][1:]], "occupation codes differ from openings.csv")
    check(any(row[5] is None for row in openings[1:]), "no unpublished wage (NA) to show as an empty cell")
    codes = {row[0]: row[2] for row in workbook["credential_levels"].iter_rows(min_row=2, values_only=True)}
    check(codes.get("cert") == "11.0901", "the CIP code of cert: %r" % codes.get("cert"))
    workbook.close()


def check_refused(alignsim, work, results):
    folder = os.path.join(work, "a-folder")
    os.mkdir(folder)
    before = sorted(os.listdir(work))
    for args, words in [(["--xlsx", folder], "the output is a folder"),
                        (["--csv", os.path.join(work, "new-csv"), "--xlsx", folder], "the output is a folder"),
                        (["--xlsx", results], "the output is the input"),
                        (["--xlsx", "/dev/null"], "the output is a device"),
                        (["--csv", results], "the output folder is the input"),
                        (["--xlsx", os.path.join(work, "missing", "book.xlsx")], "does not exist"),
                        (["--xlsx"], "--xlsx needs a value")]:
        p = run(alignsim, "export", results, *args)
        check(p.returncode == 2, "export %s: exit %d, expected 2: %s" % (args, p.returncode, p.stderr))
        check(words in p.stderr, "export %s: %r not in %r" % (args, words, p.stderr))
        check(sorted(os.listdir(work)) == before and not os.listdir(folder),
              "export %s wrote something: %s" % (args, sorted(set(os.listdir(work)) - set(before))))
    with h5py.File(results, "r") as f:
        check("graduates" in f, "the refused export harmed its input")


def check_long(alignsim, work):
    scenario = os.path.join(work, "long.json")
    with open(scenario, "w") as stream:
        json.dump(LONG, stream)
    results = os.path.join(work, "long.h5")
    subprocess.run([alignsim, "run", scenario, "-o", results, "--quiet"], check=True)
    folder, book = os.path.join(work, "long-csv"), os.path.join(work, "long.xlsx")
    p = run(alignsim, "export", results, "--csv", folder, "--xlsx", book)
    check(p.returncode == 0, "long export: exit %d: %s" % (p.returncode, p.stderr))
    body = read_csv(os.path.join(folder, "supply_by_source.csv"))
    check(len(body) - 1 > SHEET_ROWS, "test: supply_by_source has only %d rows" % (len(body) - 1))
    # sheet sizes from the workbook's XML (reading a million rows through openpyxl takes minutes)
    with zipfile.ZipFile(book) as z:
        names = re.findall(r'<sheet name="([^"]+)"', z.read("xl/workbook.xml").decode())
        sizes = {}
        for i, name in enumerate(names):
            with z.open("xl/worksheets/sheet%d.xml" % (i + 1)) as stream:
                head = stream.read(4096).decode(errors="replace")
            sizes[name] = int(re.search(r'<dimension ref="A1:[A-Z]+(\d+)"', head).group(1))
    check("supply_by_source (2)" in names and "supply_by_source (3)" not in names,
          "supply_by_source sheets: %s" % [n for n in names if n.startswith("supply_by")])
    check(names.index("supply_by_source (2)") == names.index("supply_by_source") + 1, "parts not together")
    check(sizes["supply_by_source"] == SHEET_ROWS + 1, "first part: %d rows" % sizes["supply_by_source"])
    check(sizes["supply_by_source"] - 1 + sizes["supply_by_source (2)"] - 1 == len(body) - 1,
          "rows lost between the parts: %d + %d for %d" % (sizes["supply_by_source"] - 1,
                                                           sizes["supply_by_source (2)"] - 1, len(body) - 1))
    workbook = openpyxl.load_workbook(book, read_only=True)
    check_sheet("supply_by_source", [body[0]] + body[1 + SHEET_ROWS:], workbook["supply_by_source (2)"])
    workbook.close()


def main():
    alignsim = sys.argv[1]
    with tempfile.TemporaryDirectory() as work:
        if sys.argv[2:] == ["long"]:
            check_long(alignsim, work)
            print("ok: a table longer than a sheet goes on in the next")
            return
        scenario = os.path.join(work, "toy-xlsx.json")
        with open(scenario, "w") as stream:
            json.dump(SCENARIO, stream)
        results = os.path.join(work, "toy-xlsx.h5")
        subprocess.run([alignsim, "run", scenario, "-o", results, "--quiet"], check=True)
        folder, book = os.path.join(work, "csv"), os.path.join(work, "book.xlsx")
        p = run(alignsim, "export", results, "--csv", folder, "--xlsx", book)
        check(p.returncode == 0 and not p.stderr and not p.stdout,
              "export --csv --xlsx: exit %d, stdout %r, stderr %r" % (p.returncode, p.stdout, p.stderr))
        tables, order = check_dictionary(folder, results)
        check_workbook(book, tables, order)
        # again over the existing workbook: replaced whole, nothing left beside it
        with open(book, "r+b") as stream:
            stream.write(b"damaged")
        p = run(alignsim, "export", results, "--xlsx", book)
        check(p.returncode == 0, "export over an existing workbook: exit %d: %s" % (p.returncode, p.stderr))
        check(zipfile.is_zipfile(book), "the workbook was not replaced")
        left = [n for n in os.listdir(work) if ".tmp." in n]
        check(not left, "temporary files left: %s" % left)
        check_refused(alignsim, work, results)
    print("ok: dictionary, workbook and refused outputs")


if __name__ == "__main__":
    main()
