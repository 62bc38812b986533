/*
 * scenario.h - scenario files in, read-only parameters out.
 *
 * A scenario is a JSON object.  One declared table (io/scenario_table.c)
 * names every key with its type, unit, range, default and meaning; the same
 * table drives parsing and validation here, docs/scenario-reference.md and
 * docs/scenario.schema.json, and the paths that --set and sweeps address
 * ("programs.it_de.seats").  An unknown key is an error.
 *
 * A scenario may say "extends": "base.json": the base is loaded first (like
 * an include: its path is relative to the extending file's folder, ".."
 * allowed; a bare name such as "miami-dade" is NAME.json beside the file or
 * else in the scenario library (as_dirs_scenarios, io/dirs.h); a cycle, however spelled, is an error) and
 * the extending file is applied to it as a JSON merge patch (RFC 7386:
 * objects merge key by key, null deletes a key, anything else replaces; an
 * object that lands where the base has none keeps no nulls).
 * Command-line overrides (--set PATH=VALUE) are applied last.
 *
 * A top-level "$schema" (a string: where an editor finds the JSON Schema)
 * is accepted in any file and ignored; resolved_json leaves it out.
 *
 * Data paths in a scenario ("data:bls_ep_occupations_2024_34.csv") name a
 * file in the project's data/ folder; other relative paths resolve from the
 * scenario's folder and may not leave it.
 */
#ifndef AS_SCENARIO_H
#define AS_SCENARIO_H

#include "params.h"
#include "error.h"

typedef struct as_scenario {
    as_params params;        /* read-only once loaded */
    char *path;              /* the file the user named */
    char *resolved_json;     /* the scenario after extends and --set, as text */
} as_scenario;

/*
 * Loads, merges, overrides, parses and checks a scenario.  sets[i] are
 * "PATH=VALUE" strings (VALUE is JSON, or a bare string).  Every problem is
 * recorded in err (all at once, not only the first), as
 * "FILE: JSON.path: what is wrong (got X, expected Y)".  Returns AS_OK and a
 * new scenario in *out, or a status with *out = NULL and nothing allocated.
 */
int as_scenario_load(const char *path, const char *const *sets, int n_sets,
                     as_scenario **out, as_error *err);
void as_scenario_free(as_scenario *sc);

/* A scenario that is base with more overrides: base's resolved text with
 * sets applied and parsed again, named (and resolving data paths) as base
 * is.  As as_scenario_load otherwise; base is unchanged.  For sweeps. */
int as_scenario_derive(const as_scenario *base, const char *const *sets, int n_sets, as_scenario **out,
                       as_error *err);

/* Reads the JSON object in file path, with scenario files' errors ("PATH:
 * cannot open", "PATH:LINE:COL: malformed JSON", "PATH: (root): expected a
 * JSON object").  With text, *text gets the file's text (free it).  For
 * other files declared like scenarios (sweep files). */
struct cJSON *as_json_read_object(const char *path, char **text, as_error *err);

/* The value in effect at a --set path ("programs.cte.apply_rate",
 * "effects.wbl_in_field.coop", "school.dropout") of loaded parameters, as
 * JSON: a number, an object {"YEAR": number} for a schedule that changes,
 * an array of four numbers for grades, or an object {name: number}.  NULL
 * and AS_EINPUT in err when the path names no number-valued key ("where"
 * names the caller's file and key).  Free with cJSON_Delete. */
struct cJSON;
struct cJSON *as_params_value(const as_params *p, const char *path, const char *where, as_error *err);

/* Whether --set path names a key that counts people, seats or places (cohort_size, seats,
 * slots, ...): a scenario must give it whole numbers; sweeps and calibration round what they set. */
int as_params_counts(const as_params *p, const char *path);

/* The concrete paths a pattern names: "*" as a segment stands for every id
 * of the collection it is in ("programs.*.apply_rate": one path per
 * program), in the scenario's order.  Sets *out (free each and the array)
 * and returns their count; 0 when nothing matches (a non-"*" segment that is
 * not a key or id counts as no match). */
size_t as_params_expand(const as_params *p, const char *pattern, char ***out);

/* Resolves a data path from a scenario ("data:NAME" or relative to the
 * scenario's folder) into a newly allocated absolute-or-relative path. */
char *as_scenario_data_path(const as_scenario *sc, const char *ref);

/* Writes the parameter table as Markdown (docs/scenario-reference.md) or as
 * a JSON Schema (docs/scenario.schema.json, Draft 2020-12, $id
 * "urn:alignsim:scenario-schema:1": each object complete, for a file without
 * extends, and as a merge patch, for one with it) to f.  Return 0, or -1 on
 * an I/O error or when memory runs out. */
#include <stdio.h>
int as_scenario_write_reference(FILE *f);
int as_scenario_write_schema(FILE *f);

/* Parses `text` (a JSON scenario already resolved) the same way, naming
 * `where` in errors.  Used by tests and by sweeps. */
int as_scenario_parse_text(const char *text, const char *where, as_params *out,
                           as_error *err);
void as_params_release(as_params *p);

#endif
