/*
 * ptable.h - the declared parameter table: one entry per scenario key.
 *
 * Each entry says where a value lives in the C struct (offset), what JSON
 * type it takes, its unit, range, default and meaning.  The scenario parser,
 * the validator, the reference document, the JSON Schema and the --set paths
 * are all walks over these tables, so they cannot disagree.
 *
 * The tables themselves are in io/scenario_table.c; this header is shared by
 * the walkers in io/scenario.c.
 */
#ifndef AS_PTABLE_H
#define AS_PTABLE_H

#include <stddef.h>

typedef enum as_ptype {
    AS_P_REAL,       /* number within [min, max]; default "null" stores NAN */
    AS_P_INT,        /* integer within [min, max] into int */
    AS_P_U32,        /* integer within [min, max] into uint32_t */
    AS_P_BOOL,       /* true/false into int; default "null" stores -1 */
    AS_P_STRING,     /* string into char * */
    AS_P_ENUM,       /* one of choices[] into int (its index) */
    AS_P_REF,        /* id of an item of collection `ref` into int; null: -1 */
    AS_P_REFLIST,    /* array of ids of collection `ref` into as_reflist */
    AS_P_GRADES,     /* number, or array of 4 numbers for grades 9..12, into double[4] */
    AS_P_SCHEDULE,   /* number within [min, max], or {"year": number} by calendar year, into as_schedule */
    AS_P_NAMED,      /* object {choice: number} into double[n choices] */
    AS_P_OBJECT,     /* nested object described by `sub`, embedded at offset */
    AS_P_COLLECTION  /* object {id: item} of `sub` items into AS_COLLECTION */
} as_ptype;

typedef struct as_ptable as_ptable;

typedef struct as_param {
    const char *key;
    as_ptype type;
    size_t offset;
    const char *unit;
    double min, max;
    const char *dflt;             /* JSON text of the default; NULL: required */
    const char *meaning;
    const as_ptable *sub;         /* AS_P_OBJECT, AS_P_COLLECTION */
    const char *const *choices;   /* AS_P_ENUM, AS_P_NAMED (NULL-terminated) */
    const char *ref;              /* AS_P_REF, AS_P_REFLIST: a top-level collection key */
} as_param;

struct as_ptable {
    const char *name;             /* for docs: "program", "scenario" */
    size_t item_size;             /* struct size of one item (collections) */
    const as_param *params;
    size_t n;
};

/* The root table: the whole scenario. */
extern const as_ptable as_scenario_table;

/* Whether p counts people, seats or places (its values are whole numbers; io/scenario.c). */
int as_param_counts(const as_param *p);

#endif
