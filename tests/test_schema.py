#!/usr/bin/env python3
"""test_schema.py ALIGNSIM SOURCE_DIR WORK - the scenario JSON Schema (alignsim schema,
docs/scenario.schema.json) holds, and says what the loader says (issue 16):

(a) it is a Draft 2020-12 schema, named by a stable URN (docs/sweep.schema.json too);
(b) every library scenario (bases and the proposals that extend them) and every test fixture that
    `alignsim validate` accepts is valid against it, and on hand-made cases (misspelt keys, wrong
    types and nulls in a proposal, a base missing a required key, "$schema" as a number, ...) the
    schema and `alignsim validate` agree, each with the expected answer;
(c) a scenario naming "$schema" runs, and its results store the same scenario text as without it.
"""
import glob, json, os, shutil, subprocess, sys

import h5py
import jsonschema

alignsim, source, work = sys.argv[1:4]
work = os.path.join(work, "schema-cases")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
failures = []


def check(ok, what):
    if not ok:
        failures.append(what)


def validate(path, *sets):
    """alignsim validate's exit status and its stderr."""
    args = [alignsim, "validate", path] + [x for s in sets for x in ("--set", s)]
    p = subprocess.run(args, capture_output=True, text=True)
    return p.returncode, p.stderr


# (a) the schema itself, as the binary writes it (docs_match_parameter_table: the committed copy is this)
schema = json.loads(subprocess.run([alignsim, "schema"], capture_output=True, text=True, check=True).stdout)
jsonschema.Draft202012Validator.check_schema(schema)
check(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema", "not Draft 2020-12")
check(schema["$id"].startswith("urn:alignsim:scenario-schema:"), "$id " + schema["$id"])
check(schema == json.load(open(os.path.join(source, "docs", "scenario.schema.json"))),
      "docs/scenario.schema.json is not what alignsim schema writes")
sweep_schema = json.load(open(os.path.join(source, "docs", "sweep.schema.json")))
jsonschema.Draft202012Validator.check_schema(sweep_schema)
check(sweep_schema["$id"].startswith("urn:alignsim:sweep-schema:"), "sweep $id " + sweep_schema["$id"])
validator = jsonschema.Draft202012Validator(schema, format_checker=None)


def schema_errors(doc):
    return ["%s: %s" % ("/".join(map(str, e.absolute_path)) or "(root)", e.message[:160])
            for e in validator.iter_errors(doc)]


# (b) the library and the fixtures
library = sorted(glob.glob(os.path.join(source, "scenarios", "*.json")))
proposals = [f for f in library if "extends" in json.load(open(f))]
check(len(proposals) >= 5, "only %d library scenarios extend another" % len(proposals))
check(len(library) - len(proposals) >= 2, "fewer than two library bases")
for f in library:
    errors = schema_errors(json.load(open(f)))
    check(not errors, "%s against the schema: %s" % (os.path.basename(f), errors[:3]))
fixtures = 0
for f in sorted(glob.glob(os.path.join(source, "tests", "fixtures", "*.json"))):
    if validate(f)[0] != 0:
        continue
    fixtures += 1
    errors = schema_errors(json.load(open(f)))
    check(not errors, "fixture %s against the schema: %s" % (os.path.basename(f), errors[:3]))
check(fixtures >= 5, "only %d fixtures accepted by alignsim validate" % fixtures)

# Hand-made cases: a base of our own (the small toy with a subgroup to delete), files that extend it,
# and broken bases.  Each case: (what, file name, document, valid?).
base = json.load(open(os.path.join(source, "tests", "fixtures", "toy-small.json")))
base["subgroups"] = {"ed": {"share": 0.3}}
base["programs"]["cte"]["seats"] = 100
json.dump(base, open(os.path.join(work, "base.json"), "w"), indent=1)


def without(doc, *path):
    doc = json.loads(json.dumps(doc))
    node = doc
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return doc


def proposal(**keys):
    return dict({"extends": "base.json", "name": "proposal"}, **keys)


cases = [
    # valid both ways
    ("the base", base, True),
    ("a base naming $schema", dict(base, **{"$schema": "../docs/scenario.schema.json"}), True),
    ("a proposal", proposal(cohort_size=2000), True),
    ("a proposal naming $schema", proposal(**{"$schema": "../docs/scenario.schema.json"}), True),
    ("a proposal deleting $schema", proposal(**{"$schema": None}), True),
    ("a proposal giving only part of an item", proposal(programs={"cte": {"seats": 50}}), True),
    ("null deletes a key with a default", proposal(school={"dropout": None}, replications=None), True),
    ("null deletes an object", proposal(effects=None), True),
    ("null deletes a collection item", proposal(subgroups={"ed": None}), True),
    ("a new item's nulls are dropped (RFC 7386)",
     proposal(programs={"gen": {"type": "general", "apply_rate": 0.1, "name": None, "cluster": None}}), True),
    ("a schedule replacing a number drops its nulls",
     proposal(programs={"cte": {"seats": {"2025": 10, "2027": None}}}), True),
    # refused both ways
    ("a misspelt top-level key in a proposal", proposal(cohort_sise=2000), False),
    ("a misspelt key in a proposal's item", proposal(programs={"cte": {"seat": 50}}), False),
    ("a misspelt named key in a proposal", proposal(destinations={"base": {"college": 0.5}}), False),
    ("a wrong type in a proposal", proposal(cohort_size="many"), False),
    ("a wrong type deep in a proposal", proposal(school={"dropout": "high"}), False),
    ("a collection as an array in a proposal", proposal(programs=["cte"]), False),
    ("a fractional count in a proposal", proposal(cohort_size=1000.5), False),
    ("null for a required key in a proposal", proposal(name=None), False),
    ("null for an item's required key in a proposal", proposal(programs={"cte": {"apply_rate": None}}), False),
    ("$schema as a number in a proposal", proposal(**{"$schema": 5}), False),
    ("$schema as a number in a base", dict(base, **{"$schema": 5}), False),
    ("$schema as null in a base", dict(base, **{"$schema": None}), False),
    ("$schema below the top level", dict(base, school=dict(base["school"], **{"$schema": "x"})), False),
    ("extends as an empty string", proposal(extends=""), False),
    ("extends as a number", proposal(extends=3), False),
    ("a base missing name", without(base, "name"), False),
    ("a base missing cohort_size", without(base, "cohort_size"), False),
    ("a base missing an item's required key", without(base, "programs", "cte", "apply_rate"), False),
    ("a base with null for a key with a number default", dict(base, replications=None), False),
    ("a base with a misspelt key", dict(base, yeras=3), False),
    ("a base with an empty id", dict(base, subgroups={"": {"share": 0.1}}), False),
]
for i, (what, doc, valid) in enumerate(cases):
    path = os.path.join(work, "case-%02d.json" % i)
    json.dump(doc, open(path, "w"), indent=1)
    errors = schema_errors(doc)
    rc, said = validate(path)
    check(rc in (0, 2), "%s: alignsim validate exit %d: %s" % (what, rc, said))
    check((not errors) == valid, "%s: the schema %s it%s" % (what, "refuses" if errors else "accepts",
                                                            ": %s" % errors[:2] if errors else ""))
    check((rc == 0) == valid, "%s: alignsim validate %s it: %s" % (what, "accepts" if rc == 0 else "refuses",
                                                                 said.strip()[:300]))

# the loader's words for a bad $schema: the file, the JSON path, what it got (exit 2, as other type errors)
path = os.path.join(work, "bad-schema-key.json")
json.dump(proposal(**{"$schema": 5}), open(path, "w"))
rc, said = validate(path)
check(rc == 2 and path + ": $schema: expected a string" in said and "(got 5)" in said, "bad $schema said: " + said)
rc, said = validate(os.path.join(work, "base.json"), "$schema=7")
check(rc == 2 and "$schema: expected a string" in said, "--set $schema=7 said: " + said)

# (c) a scenario naming $schema runs; merging and --set take it; the stored scenario text leaves it out
with_key = os.path.join(work, "with-schema.json")
json.dump(proposal(**{"$schema": "../docs/scenario.schema.json"}, cohort_size=300), open(with_key, "w"))
plain = os.path.join(work, "plain.json")
json.dump(proposal(cohort_size=300), open(plain, "w"))
rc, said = validate(with_key, "$schema=elsewhere.json", "programs.cte.seats=20")
check(rc == 0, "with $schema and --set: exit %d: %s" % (rc, said))
stored = []
for f in (with_key, plain):
    out = f.replace(".json", ".h5")
    p = subprocess.run([alignsim, "run", f, "--replications", "1", "--quiet", "-o", out], capture_output=True, text=True)
    check(p.returncode == 0, "run %s: exit %d: %s" % (os.path.basename(f), p.returncode, p.stderr.strip()[:300]))
    if p.returncode == 0:
        with h5py.File(out, "r") as h5:
            text = h5.attrs["scenario_json"]
            stored.append(text.decode() if isinstance(text, bytes) else str(text))
if len(stored) == 2:
    resolved = json.loads(stored[0])
    check("$schema" not in resolved and "extends" not in resolved, "stored scenario keeps $schema or extends")
    check(resolved["cohort_size"] == 300 and resolved["subgroups"] == {"ed": {"share": 0.3}},
          "stored scenario is not the merged one: %s" % stored[0][:200])
    check(stored[0] == stored[1], "the stored scenario text differs with $schema")
    check(not schema_errors(resolved), "the stored scenario is not valid against the schema")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("schema: %d library scenarios (%d proposals), %d fixtures, %d hand-made cases agree"
      % (len(library), len(proposals), fixtures, len(cases)))
