/*
 * scenario.c - scenario files: extends, --set, and the table-driven parser.
 *
 * Every walk here (parse, free, reference, schema) goes over the declared
 * tables of ptable.h, so the parser, the documents and the override paths
 * stay one thing.
 */
#include "scenario.h"
#include "dirs.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "ptable.h"
#include "version.h"

/* cJSON allocates through model/alloc.h too, so the allocation-failure tests reach its
 * parser; installed before main (every program that reads JSON links this file). */
__attribute__((constructor)) static void json_hooks(void)
{
    cJSON_Hooks hooks = {as_malloc, free};
    cJSON_InitHooks(&hooks);
}

#define MAX_EXTENDS_DEPTH 16

/* The top-level key an editor reads to find a file's JSON Schema ("$schema":
 * "../docs/scenario.schema.json").  A string, or an error like any other; its
 * value means nothing to alignsim, and the resolved scenario drops it (it is
 * the file's, not the scenario's: a relative path says nothing elsewhere). */
#define SCHEMA_KEY "$schema"

/* ---- small helpers ------------------------------------------------------------ */

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = as_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* Standard input's text, read once ("-" as a scenario): a scenario may be loaded more than once. */
static char *stdin_text;
static size_t stdin_len;

static char *read_text(const char *path, as_error *err)
{
    int from_stdin = !strcmp(path, "-");
    if (from_stdin && stdin_text) {
        char *copy = as_malloc(stdin_len + 1);
        if (!copy)
            as_error_set(err, AS_ENOMEM, path, "out of memory reading standard input");
        else
            memcpy(copy, stdin_text, stdin_len + 1);
        return copy;
    }
    FILE *f = from_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        as_error_set(err, AS_EINPUT, path, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 8192;
            char *grown = as_realloc(text, cap);
            if (!grown) {
                free(text);
                if (!from_stdin)
                    fclose(f);
                as_error_set(err, AS_ENOMEM, path, "out of memory reading the file");
                return NULL;
            }
            text = grown;
        }
        size_t got = fread(text + len, 1, 4096, f);
        len += got;
        if (got < 4096)
            break;
    }
    int bad = ferror(f);
    if (!from_stdin)
        fclose(f);
    if (bad) {
        free(text);
        as_error_set(err, AS_EINPUT, path, "cannot read: %s", strerror(errno));
        return NULL;
    }
    text[len] = '\0';
    if (strlen(text) != len) { /* a NUL byte would end the text early, silently */
        char where[PATH_MAX + 32];
        snprintf(where, sizeof where, "%s: byte %zu", path, strlen(text) + 1);
        free(text);
        as_error_set(err, AS_EINPUT, where, "a NUL byte (expected a UTF-8 text file)");
        return NULL;
    }
    if (from_stdin && (stdin_text = as_malloc(len + 1))) { /* kept for the next load until exit */
        memcpy(stdin_text, text, len + 1);
        stdin_len = len;
    }
    return text;
}

/* Folder part of a path ("a/b/c.json" -> "a/b", "c.json" -> "."). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return dup_string(".");
    size_t n = (size_t)(slash - path);
    char *d = as_malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
        if (n == 0)
            strcpy(d, "/");
    }
    return d;
}

/* A reference inside a scenario may not be absolute or climb out with "..". */
static int path_stays_inside(const char *ref)
{
    if (ref[0] == '/')
        return 0;
    for (const char *p = ref; *p;) {
        const char *end = strchr(p, '/');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        if (n == 2 && p[0] == '.' && p[1] == '.')
            return 0;
        if (!end)
            break;
        p = end + 1;
    }
    return 1;
}

static char *join_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = as_malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

/* ---- JSON text, extends and merge patch -------------------------------------- */

/* Every key of every object of v once: JSON allows a repeated key, and cJSON
 * keeps both, so without this check the first would silently win. */
static int check_unique_keys(const cJSON *v, const char *path, const char *where, as_error *err)
{
    int ok = 1;
    for (const cJSON *e = v ? v->child : NULL; e; e = e->next) {
        char sub[2048];
        if (cJSON_IsObject(v)) {
            snprintf(sub, sizeof sub, "%s%s%s", where, *where ? "." : "", e->string);
            for (const cJSON *f = v->child; f != e; f = f->next)
                if (!strcmp(f->string, e->string)) {
                    char at[4200];
                    snprintf(at, sizeof at, "%s: %s", path, sub);
                    as_error_set(err, AS_EINPUT, at, "the key appears twice in one object (expected each key once)");
                    ok = 0;
                    break;
                }
        } else {
            snprintf(sub, sizeof sub, "%s[]", where);
        }
        ok &= check_unique_keys(e, path, sub, err);
    }
    return ok;
}

/* The first byte of text that is not well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or of a \u0000 escape (cJSON would cut the string there),
 * or NULL.  Written out here, not taken from a library: it is twenty lines, and none of the
 * project's dependencies offers it. */
static const char *bad_text(const char *text, const char **what)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        if (p[0] == '\\' && p[1] == 'u' && !strncmp((const char *)p + 2, "0000", 4)) {
            *what = "a \\u0000 escape (a NUL character is not allowed in a scenario)";
            return (const char *)p;
        }
        if (p[0] == '\\' && p[1]) { /* an escape: skip the escaped character (an escaped backslash before u0000 is text) */
            p += 2;
            continue;
        }
        int n = p[0] < 0x80 ? 0 : p[0] >= 0xC2 && p[0] <= 0xDF ? 1 : p[0] >= 0xE0 && p[0] <= 0xEF ? 2
              : p[0] >= 0xF0 && p[0] <= 0xF4 ? 3 : -1;
        int ok = n >= 0;
        for (int i = 1; ok && i <= n; i++)
            ok = (p[i] & 0xC0) == 0x80;
        if (ok && n == 2) /* no overlong three-byte form, no UTF-16 surrogate */
            ok = !(p[0] == 0xE0 && p[1] < 0xA0) && !(p[0] == 0xED && p[1] >= 0xA0);
        if (ok && n == 3) /* no overlong four-byte form, nothing above U+10FFFF */
            ok = !(p[0] == 0xF0 && p[1] < 0x90) && !(p[0] == 0xF4 && p[1] >= 0x90);
        if (!ok) {
            *what = "bytes that are not UTF-8 (expected UTF-8 text)";
            return (const char *)p;
        }
        p += n + 1;
    }
    return NULL;
}

/* "PATH:LINE:COL" of position at in text. */
static void where_in(char *where, size_t size, const char *path, const char *text, const char *at)
{
    int line = 1, col = 1;
    for (const char *p = text; at && p < at && *p; p++) {
        if (*p == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    snprintf(where, size, "%s:%d:%d", path, line, col);
}

static cJSON *parse_json(const char *text, const char *path, as_error *err)
{
    const char *what, *bad = bad_text(text, &what);
    if (bad) {
        char where[PATH_MAX + 32];
        where_in(where, sizeof where, path, text, bad);
        as_error_set(err, AS_EINPUT, where, "%s", what);
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (!root) {
        char where[PATH_MAX + 32];
        where_in(where, sizeof where, path, text, end ? end : cJSON_GetErrorPtr());
        as_error_set(err, AS_EINPUT, where, "malformed JSON (expected a value, a ',' or a closing bracket here)");
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        as_error_set(err, AS_EINPUT, path, "(root): expected a JSON object");
        return NULL;
    }
    if (!check_unique_keys(root, path, "", err)) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* An object of a patch that lands where the base has no object is merged into an empty one (RFC 7386):
 * its nulls delete nothing and are dropped, at every depth, so that null means "the default" whether the
 * base had the key or not (arrays are values, kept whole). */
static void drop_nulls(cJSON *obj)
{
    cJSON *item = obj->child;
    while (item) {
        cJSON *next = item->next;
        if (cJSON_IsNull(item))
            cJSON_Delete(cJSON_DetachItemViaPointer(obj, item));
        else if (cJSON_IsObject(item))
            drop_nulls(item);
        item = next;
    }
}

/* RFC 7386 JSON merge patch: applies patch onto target (both owned by caller;
 * patch items are moved into target).  Returns 0, or -1 when memory ran out
 * (a key new to target is copied), target then part-merged. */
static int merge_patch(cJSON *target, cJSON *patch)
{
    cJSON *item = patch->child;
    while (item) {
        cJSON *next = item->next;
        cJSON *existing = cJSON_GetObjectItemCaseSensitive(target, item->string);
        if (cJSON_IsNull(item)) {
            cJSON_DeleteItemFromObjectCaseSensitive(target, item->string);
        } else if (cJSON_IsObject(item) && cJSON_IsObject(existing)) {
            if (merge_patch(existing, item) != 0)
                return -1;
        } else {
            cJSON *moved = cJSON_DetachItemViaPointer(patch, item);
            if (cJSON_IsObject(moved))
                drop_nulls(moved);
            if (existing) {
                cJSON_ReplaceItemViaPointer(target, existing, moved);
            } else if (!cJSON_AddItemToObject(target, moved->string, moved)) {
                cJSON_Delete(moved);
                return -1;
            }
        }
        item = next;
    }
    return 0;
}

/* Where "extends": ref of the file `path` points: a path relative to that
 * file's folder (".." allowed, as an include), an absolute path, or a bare
 * name ("miami-dade": no '/', no ".json") for NAME.json beside the file or
 * else in the scenario library (ALIGNSIM_SCENARIOS, or the one alignsim was
 * built with). */
static char *extends_path(const char *path, const char *ref)
{
    char *dir = dir_of(path);
    if (!dir)
        return NULL;
    size_t len = strlen(ref);
    int bare = !strchr(ref, '/') && !(len > 5 && !strcmp(ref + len - 5, ".json"));
    char *p = NULL;
    if (ref[0] == '/') {
        p = dup_string(ref);
    } else if (!bare) {
        p = join_path(dir, ref);
    } else {
        char name[1024];
        snprintf(name, sizeof name, "%s.json", ref);
        p = join_path(dir, name);
        if (p && access(p, F_OK) != 0) {
            free(p);
            p = join_path(as_dirs_scenarios(), name);
        }
    }
    free(dir);
    return p;
}

static cJSON *load_tree(const char *path, const char **chain, int depth, as_error *err)
{
    char here[PATH_MAX], there[PATH_MAX];
    for (int i = 0; i < depth; i++) { /* the same file, however it is spelled */
        int same = realpath(chain[i], here) && realpath(path, there) ? !strcmp(here, there) : !strcmp(chain[i], path);
        if (same) {
            as_error_set(err, AS_EINPUT, chain[depth - 1], "extends: cycle: \"%s\" extends itself through \"%s\"",
                         chain[0], path);
            return NULL;
        }
    }
    if (depth >= MAX_EXTENDS_DEPTH) {
        as_error_set(err, AS_EINPUT, path, "extends: more than %d levels (expected a short chain)", MAX_EXTENDS_DEPTH);
        return NULL;
    }
    char *text = read_text(path, err);
    if (!text)
        return NULL;
    cJSON *tree = parse_json(text, path, err);
    free(text);
    if (!tree)
        return NULL;
    cJSON *ext = cJSON_GetObjectItemCaseSensitive(tree, "extends");
    if (!ext)
        return tree;
    if (!cJSON_IsString(ext)) {
        as_error_set(err, AS_EINPUT, path, "extends: expected the file name of a base scenario (got a non-string)");
        cJSON_Delete(tree);
        return NULL;
    }
    char *base_path = *ext->valuestring ? extends_path(path, ext->valuestring) : NULL;
    if (!*ext->valuestring) {
        as_error_set(err, AS_EINPUT, path, "extends: an empty name (expected a base scenario such as \"miami-dade\" "
                                           "or \"../miami-dade.json\")");
        cJSON_Delete(tree);
        return NULL;
    }
    if (!base_path) {
        cJSON_Delete(tree);
        as_error_set(err, AS_ENOMEM, path, "out of memory");
        return NULL;
    }
    chain[depth] = path;
    cJSON *base = load_tree(base_path, chain, depth + 1, err);
    free(base_path);
    if (!base) {
        cJSON_Delete(tree);
        return NULL;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(tree, "extends");
    int merged = merge_patch(base, tree);
    cJSON_Delete(tree);
    if (merged != 0) {
        cJSON_Delete(base);
        as_error_set(err, AS_ENOMEM, path, "out of memory merging the file into its base");
        return NULL;
    }
    return base;
}

/* Applies "a.b.c=VALUE": VALUE is parsed as JSON, or taken as a string. */
static int apply_set(cJSON *root, const char *set, as_error *err)
{
    const char *eq = strchr(set, '=');
    if (!eq || eq == set)
        return as_error_set(err, AS_EINPUT, "--set", "\"%s\": expected PATH=VALUE", set);
    char *path = as_strndup(set, (size_t)(eq - set));
    if (!path)
        return as_error_set(err, AS_ENOMEM, "--set", "out of memory");
    for (const char *k = path; ; k++) /* no empty key: ".x", "x..y", "x." */
        if (*k == '.' || *k == '\0') {
            if (k == path || k[-1] == '.' || (*k == '.' && k[1] == '\0')) {
                free(path);
                return as_error_set(err, AS_EINPUT, "--set", "\"%s\": an empty key in the path (expected PATH=VALUE "
                                                             "with PATH such as programs.cte.seats)", set);
            }
            if (!*k)
                break;
        }
    const char *what;
    if (bad_text(eq + 1, &what)) {
        free(path);
        return as_error_set(err, AS_EINPUT, "--set", "\"%s\": the value holds %s", set, what);
    }
    /* the whole value is JSON ("5"), or else a bare string ("5 6" is a string, not 5) */
    cJSON *value = cJSON_ParseWithOpts(eq + 1, NULL, 1);
    if (!value)
        value = cJSON_CreateString(eq + 1);
    cJSON *node = root;
    char *save = NULL;
    int rc = value ? AS_OK : as_error_set(err, AS_ENOMEM, "--set", "out of memory");
    for (char *key = strtok_r(path, ".", &save); key && rc == AS_OK; key = strtok_r(NULL, ".", &save)) {
        char *rest = save && *save ? save : NULL;
        if (!rest) {
            int placed = cJSON_GetObjectItemCaseSensitive(node, key)
                             ? cJSON_ReplaceItemInObjectCaseSensitive(node, key, value) /* names the new item */
                             : cJSON_AddItemToObject(node, key, value);
            if (placed)
                value = NULL; /* else it is deleted below, and the override is an error, not dropped */
            else
                rc = as_error_set(err, AS_ENOMEM, "--set", "out of memory");
            break;
        }
        cJSON *child = cJSON_GetObjectItemCaseSensitive(node, key);
        if (!child) {
            if (!(child = cJSON_AddObjectToObject(node, key)))
                rc = as_error_set(err, AS_ENOMEM, "--set", "out of memory");
        } else if (!cJSON_IsObject(child)) {
            rc = as_error_set(err, AS_EINPUT, "--set", "%s: \"%s\" is not an object, so it has no \"%s\"",
                              set, key, rest);
            break;
        }
        node = child;
    }
    cJSON_Delete(value);
    free(path);
    return rc;
}

/* ---- the table-driven parser -------------------------------------------------------- */

typedef struct pending_ref {
    const char *collection;
    char *id;
    int *slot;
    char *path;
} pending_ref;

typedef struct parse_ctx {
    const char *where;
    as_error *err;
    as_params *root;
    pending_ref *refs;
    size_t n_refs, cap_refs;
    int oom;
} parse_ctx;

static void bad(parse_ctx *c, const char *path, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void bad(parse_ctx *c, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    as_error_vset(c->err, AS_EINPUT, c->where, path, fmt, ap);
    va_end(ap);
}

static void describe(const cJSON *v, char *buf, size_t n)
{
    if (!v) {
        snprintf(buf, n, "nothing");
        return;
    }
    char *text = cJSON_PrintUnformatted(v);
    if (!text) {
        snprintf(buf, n, "a value");
        return;
    }
    if (strlen(text) > 60)
        strcpy(text + 57, "...");
    snprintf(buf, n, "%s", text);
    free(text);
}

static void add_ref(parse_ctx *c, const char *collection, const char *id, int *slot, const char *path)
{
    if (c->n_refs == c->cap_refs) {
        size_t cap = c->cap_refs ? 2 * c->cap_refs : 32;
        pending_ref *grown = as_realloc(c->refs, cap * sizeof *grown);
        if (!grown) {
            c->oom = 1;
            return;
        }
        c->refs = grown;
        c->cap_refs = cap;
    }
    pending_ref *r = &c->refs[c->n_refs];
    r->collection = collection;
    r->id = dup_string(id);
    r->path = dup_string(path);
    r->slot = slot;
    if (!r->id || !r->path) {
        free(r->id);
        free(r->path);
        c->oom = 1;
        return;
    }
    c->n_refs++;
}

static void parse_object(parse_ctx *c, const cJSON *obj, const as_ptable *t, void *base, const char *prefix);
static const char *type_word(const as_param *p);

static void expected_range(char *buf, size_t n, const as_param *p)
{
    if (isinf(p->max))
        snprintf(buf, n, "a number >= %g", p->min);
    else
        snprintf(buf, n, "a number in [%g, %g]", p->min, p->max);
}

/* Units that count people, seats or places: their values are whole numbers (a fractional
 * student or seat is an error, not rounded; -1 for unlimited is whole too). */
static const char *const count_units[] = {"students", "students per grade", "students per year", "placements per year",
                                          "apprentices per year", "learners per year", "course seats per year",
                                          "employers", "people per year", NULL};

/* Whether p is a code of a table (a BLS entry_education_code): one of its whole values. */
static int is_code(const as_param *p)
{
    return p->unit && strstr(p->unit, "_code") != NULL;
}

int as_param_counts(const as_param *p)
{
    for (int i = 0; p->unit && count_units[i]; i++)
        if (strcmp(p->unit, count_units[i]) == 0)
            return 1;
    return 0;
}

static int number_in_range(parse_ctx *c, const as_param *p, const cJSON *v, const char *path, double *out)
{
    char got[80], want[80];
    expected_range(want, sizeof want, p);
    if (!cJSON_IsNumber(v)) {
        describe(v, got, sizeof got);
        bad(c, path, "expected %s (got %s)", want, got);
        return 0;
    }
    double x = v->valuedouble;
    if (!(x >= p->min && x <= p->max)) {
        bad(c, path, "out of range (got %g, expected %s%s%s)", x, want, *p->unit ? ", in " : "", p->unit);
        return 0;
    }
    if (as_param_counts(p) && x != floor(x)) {
        bad(c, path, "expected a whole number of %s (got %g)", p->unit, x);
        return 0;
    }
    if (is_code(p) && x != floor(x)) {
        bad(c, path, "expected a whole number, a %s (got %g)", p->unit, x);
        return 0;
    }
    *out = x;
    return 1;
}

static int choice_index(const char *const *choices, const char *s)
{
    for (int i = 0; choices[i]; i++)
        if (strcmp(choices[i], s) == 0)
            return i;
    return -1;
}

static void list_choices(char *buf, size_t n, const char *const *choices)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; choices[i] && used + 4 < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s\"%s\"", i ? ", " : "", choices[i]);
}

static void list_keys(char *buf, size_t n, const as_ptable *t)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < t->n && used + 4 < n; i++)
        used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? ", " : "", t->params[i].key);
}

static void parse_collection(parse_ctx *c, const as_param *p, const cJSON *v, void *slot, const char *path)
{
    AS_COLLECTION(char) *coll = slot; /* the generic shape: n, items */
    char got[80];
    if (!cJSON_IsObject(v)) {
        describe(v, got, sizeof got);
        bad(c, path, "expected an object of %s items keyed by id (got %s)", p->sub->name, got);
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(v);
    coll->n = 0;
    coll->items = n ? as_calloc(n, p->sub->item_size) : NULL;
    if (n && !coll->items) {
        c->oom = 1;
        return;
    }
    size_t i = 0;
    for (const cJSON *item = v->child; item; item = item->next, i++) {
        char sub[1024];
        snprintf(sub, sizeof sub, "%s.%s", path, item->string);
        char *base = coll->items + i * p->sub->item_size;
        *(char **)base = dup_string(item->string); /* every item starts with char *id */
        if (!*(char **)base)
            c->oom = 1;
        coll->n = i + 1;
        if (!item->string[0])
            bad(c, sub, "an empty id (expected a non-empty key)");
        if (!cJSON_IsObject(item)) {
            describe(item, got, sizeof got);
            bad(c, sub, "expected an object describing the %s (got %s)", p->sub->name, got);
            continue;
        }
        parse_object(c, item, p->sub, base, sub);
    }
}

/* A schedule key: a calendar year written in digits ("2027"). */
static int calendar_year(const char *key, int *year)
{
    size_t n = strlen(key);
    if (n == 0 || n > 4 || strspn(key, "0123456789") != n)
        return 0;
    *year = atoi(key);
    return 1;
}

/* A number (every year), or an object {year: number}: each value holds from
 * its year until the next listed one.  The years are sorted here; whether
 * they lie within the simulated years is checked once the whole scenario is
 * read (check_schedules), as start_year and years may come from anywhere. */
static void parse_schedule(parse_ctx *c, const as_param *p, const cJSON *v, as_schedule *s, const char *path)
{
    char got[80], want[80];
    double x;
    s->n = 0;
    if (cJSON_IsNumber(v)) {
        if (number_in_range(c, p, v, path, &x))
            s->value = x;
        return;
    }
    if (!cJSON_IsObject(v)) {
        describe(v, got, sizeof got);
        expected_range(want, sizeof want, p);
        bad(c, path, "expected %s or an object {year: number} (got %s)", want, got);
        return;
    }
    if (!v->child) {
        bad(c, path, "an empty schedule (expected a number, or an object {year: number} naming at least start_year)");
        return;
    }
    for (const cJSON *e = v->child; e; e = e->next) {
        char sub[1100];
        int year;
        snprintf(sub, sizeof sub, "%s.%s", path, e->string);
        if (!calendar_year(e->string, &year)) {
            bad(c, sub, "a schedule key that is not a calendar year (expected a year such as \"2025\")");
            continue;
        }
        if (!number_in_range(c, p, e, sub, &x))
            continue;
        if (s->n == AS_MAX_YEARS) {
            bad(c, path, "more than %d years listed (expected at most one value per simulated year)", AS_MAX_YEARS);
            return;
        }
        int at = s->n;
        while (at > 0 && s->year[at - 1] > year)
            at--;
        if (at > 0 && s->year[at - 1] == year) {
            bad(c, sub, "year %d is listed twice (expected one value per year)", year);
            continue;
        }
        memmove(&s->year[at + 1], &s->year[at], (size_t)(s->n - at) * sizeof s->year[0]);
        memmove(&s->v[at + 1], &s->v[at], (size_t)(s->n - at) * sizeof s->v[0]);
        s->year[at] = year;
        s->v[at] = x;
        s->n++;
    }
    if (s->n > 0)
        s->value = s->v[0];
}

/* null is a value only for keys whose declared default is null ("decided
 * elsewhere"); anywhere else it is an error, never a silent NaN or -1. */
static int null_allowed(const as_param *p)
{
    return p->dflt && strcmp(p->dflt, "null") == 0;
}

/* Stores one value (v may be the parsed default). */
static void parse_value(parse_ctx *c, const as_param *p, const cJSON *v, void *base, const char *path)
{
    void *slot = (char *)base + p->offset;
    char got[80], want[400];
    double x;
    if (cJSON_IsNull(v) && !null_allowed(p) && p->type != AS_P_REF) {
        if (p->type == AS_P_REAL || p->type == AS_P_INT || p->type == AS_P_U32 || p->type == AS_P_GRADES ||
            p->type == AS_P_SCHEDULE) {
            expected_range(want, sizeof want, p);
            bad(c, path, "expected %s (got null)", want);
        } else {
            bad(c, path, "expected %s (got null)", p->type == AS_P_BOOL ? "true or false" : type_word(p));
        }
        return;
    }
    switch (p->type) {
    case AS_P_REAL:
        if (cJSON_IsNull(v))
            *(double *)slot = NAN;
        else if (number_in_range(c, p, v, path, &x))
            *(double *)slot = x;
        break;
    case AS_P_INT:
    case AS_P_U32:
        if (cJSON_IsNull(v)) {
            if (p->type == AS_P_INT)
                *(int *)slot = -1;
        } else if (number_in_range(c, p, v, path, &x)) {
            if (x != floor(x))
                bad(c, path, "expected a whole number (got %g)", x);
            else if (p->type == AS_P_INT)
                *(int *)slot = (int)x;
            else
                *(uint32_t *)slot = (uint32_t)x;
        }
        break;
    case AS_P_BOOL:
        if (cJSON_IsNull(v))
            *(int *)slot = -1;
        else if (cJSON_IsBool(v))
            *(int *)slot = cJSON_IsTrue(v);
        else {
            describe(v, got, sizeof got);
            bad(c, path, "expected true or false (got %s)", got);
        }
        break;
    case AS_P_STRING:
        if (!cJSON_IsString(v)) {
            describe(v, got, sizeof got);
            bad(c, path, "expected a string (got %s)", got);
        } else {
            free(*(char **)slot);
            if (!(*(char **)slot = dup_string(v->valuestring)))
                c->oom = 1;
        }
        break;
    case AS_P_ENUM: {
        int k = cJSON_IsString(v) ? choice_index(p->choices, v->valuestring) : -1;
        if (k < 0) {
            describe(v, got, sizeof got);
            list_choices(want, sizeof want, p->choices);
            bad(c, path, "expected one of %s (got %s)", want, got);
        } else {
            *(int *)slot = k;
        }
        break;
    }
    case AS_P_REF:
        *(int *)slot = -1;
        if (cJSON_IsString(v))
            add_ref(c, p->ref, v->valuestring, (int *)slot, path);
        else if (!cJSON_IsNull(v)) {
            describe(v, got, sizeof got);
            bad(c, path, "expected the id of an item of \"%s\", or null (got %s)", p->ref, got);
        }
        break;
    case AS_P_REFLIST: {
        as_reflist *list = slot;
        if (!cJSON_IsArray(v)) {
            describe(v, got, sizeof got);
            bad(c, path, "expected an array of ids of \"%s\" (got %s)", p->ref, got);
            break;
        }
        size_t n = (size_t)cJSON_GetArraySize(v);
        list->n = n;
        list->idx = n ? as_malloc(n * sizeof *list->idx) : NULL;
        if (n && !list->idx) {
            c->oom = 1;
            list->n = 0;
            break;
        }
        size_t i = 0;
        for (const cJSON *e = v->child; e; e = e->next, i++) {
            char sub[1100];
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            list->idx[i] = -1;
            if (cJSON_IsString(e))
                add_ref(c, p->ref, e->valuestring, &list->idx[i], sub);
            else {
                describe(e, got, sizeof got);
                bad(c, sub, "expected the id of an item of \"%s\" (got %s)", p->ref, got);
            }
        }
        break;
    }
    case AS_P_GRADES: {
        double *grades = slot;
        if (cJSON_IsNumber(v)) {
            if (number_in_range(c, p, v, path, &x))
                for (int g = 0; g < AS_GRADES; g++)
                    grades[g] = x;
        } else if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == AS_GRADES) {
            int g = 0;
            for (const cJSON *e = v->child; e; e = e->next, g++) {
                char sub[1100];
                snprintf(sub, sizeof sub, "%s[%d]", path, g);
                if (number_in_range(c, p, e, sub, &x))
                    grades[g] = x;
            }
        } else {
            describe(v, got, sizeof got);
            bad(c, path, "expected a number or an array of 4 numbers for grades 9-12 (got %s)", got);
        }
        break;
    }
    case AS_P_SCHEDULE:
        parse_schedule(c, p, v, slot, path);
        break;
    case AS_P_NAMED: {
        double *values = slot;
        if (!cJSON_IsObject(v)) {
            describe(v, got, sizeof got);
            bad(c, path, "expected an object keyed by name (got %s)", got);
            break;
        }
        for (const cJSON *e = v->child; e; e = e->next) {
            char sub[1100];
            snprintf(sub, sizeof sub, "%s.%s", path, e->string);
            int k = choice_index(p->choices, e->string);
            if (k < 0) {
                list_choices(want, sizeof want, p->choices);
                bad(c, sub, "unknown key (expected one of %s)", want);
            } else if (number_in_range(c, p, e, sub, &x)) {
                values[k] = x;
            }
        }
        break;
    }
    case AS_P_OBJECT:
        if (!cJSON_IsObject(v)) {
            describe(v, got, sizeof got);
            bad(c, path, "expected an object (got %s)", got);
        } else {
            parse_object(c, v, p->sub, slot, path);
        }
        break;
    case AS_P_COLLECTION:
        parse_collection(c, p, v, slot, path);
        break;
    }
}

static void parse_object(parse_ctx *c, const cJSON *obj, const as_ptable *t, void *base, const char *prefix)
{
    char path[1024], want[1200], got[80];
    /* unknown keys first: a typo must never fall back to a default silently */
    for (const cJSON *item = obj->child; item; item = item->next) {
        if (t == &as_scenario_table && strcmp(item->string, SCHEMA_KEY) == 0) {
            if (!cJSON_IsString(item)) {
                describe(item, got, sizeof got);
                bad(c, SCHEMA_KEY, "expected a string, the path or URL of the file's JSON Schema for editors "
                                   "(got %s)", got);
            }
            continue;
        }
        size_t i;
        for (i = 0; i < t->n; i++)
            if (strcmp(t->params[i].key, item->string) == 0)
                break;
        if (i == t->n) {
            snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", item->string);
            list_keys(want, sizeof want, t);
            bad(c, path, "unknown key (expected one of: %s)", want);
        }
    }
    for (size_t i = 0; i < t->n; i++) {
        const as_param *p = &t->params[i];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", p->key);
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, p->key);
        if (v && !(p->type == AS_P_NAMED && p->dflt)) {
            parse_value(c, p, v, base, path);
            continue;
        }
        if (!p->dflt) {
            bad(c, path, "missing (expected %s%s%s)", p->type == AS_P_STRING ? "a string" : "a value",
                *p->unit ? ", in " : "", p->unit);
            continue;
        }
        cJSON *d = cJSON_Parse(p->dflt);
        if (!d) {
            c->oom = 1;
            continue;
        }
        parse_value(c, p, d, base, path);
        cJSON_Delete(d);
        if (v) /* an object keyed by name: the keys given replace the default's */
            parse_value(c, p, v, base, path);
    }
}

static const as_param *root_param(const char *key)
{
    for (size_t i = 0; i < as_scenario_table.n; i++)
        if (strcmp(as_scenario_table.params[i].key, key) == 0)
            return &as_scenario_table.params[i];
    return NULL;
}

static void resolve_refs(parse_ctx *c)
{
    for (size_t i = 0; i < c->n_refs; i++) {
        pending_ref *r = &c->refs[i];
        const as_param *p = root_param(r->collection);
        AS_COLLECTION(char) *coll = (void *)((char *)c->root + p->offset);
        int found = -1;
        for (size_t k = 0; k < coll->n; k++) {
            const char *id = *(char **)(coll->items + k * p->sub->item_size);
            if (id && strcmp(id, r->id) == 0) {
                found = (int)k;
                break;
            }
        }
        if (found < 0)
            bad(c, r->path, "\"%s\" is not an item of \"%s\" (expected one of its ids)", r->id, r->collection);
        *r->slot = found;
    }
}

/* Every schedule's years must be simulated ones, and its first must be
 * start_year, so that each simulated year has a value someone wrote down
 * (the warm-up years before it take that first value). */
static void check_schedules(parse_ctx *c, const as_ptable *t, const void *base, const char *prefix)
{
    int first = c->root->start_year, last = c->root->start_year + c->root->years - 1;
    char path[1024], sub[1100];
    for (size_t i = 0; i < t->n; i++) {
        const as_param *p = &t->params[i];
        const void *slot = (const char *)base + p->offset;
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", p->key);
        if (p->type == AS_P_SCHEDULE) {
            const as_schedule *s = slot;
            for (int k = 0; k < s->n; k++) {
                snprintf(sub, sizeof sub, "%s.%d", path, s->year[k]);
                if (s->year[k] < first || s->year[k] > last)
                    bad(c, sub, "year %d is not a simulated year (expected %d..%d: start_year and the %d years after)",
                        s->year[k], first, last, c->root->years - 1);
            }
            if (s->n > 0 && s->year[0] > first && s->year[0] <= last)
                bad(c, path, "the schedule begins in %d (expected its first year to be start_year, %d, so that "
                    "every simulated year has a value)", s->year[0], first);
        } else if (p->type == AS_P_OBJECT) {
            check_schedules(c, p->sub, slot, path);
        } else if (p->type == AS_P_COLLECTION) {
            const AS_COLLECTION(char) *coll = slot;
            for (size_t k = 0; k < coll->n; k++) {
                const char *item = coll->items + k * p->sub->item_size;
                snprintf(sub, sizeof sub, "%s.%s", path, *(char *const *)item);
                check_schedules(c, p->sub, item, sub);
            }
        }
    }
}

/* ---- freeing, by the same table ------------------------------------------------------ */

static void release_object(const as_ptable *t, void *base)
{
    for (size_t i = 0; i < t->n; i++) {
        const as_param *p = &t->params[i];
        void *slot = (char *)base + p->offset;
        switch (p->type) {
        case AS_P_STRING:
            free(*(char **)slot);
            *(char **)slot = NULL;
            break;
        case AS_P_REFLIST:
            free(((as_reflist *)slot)->idx);
            ((as_reflist *)slot)->idx = NULL;
            ((as_reflist *)slot)->n = 0;
            break;
        case AS_P_OBJECT:
            release_object(p->sub, slot);
            break;
        case AS_P_COLLECTION: {
            AS_COLLECTION(char) *coll = slot;
            for (size_t k = 0; k < coll->n; k++) {
                char *item = coll->items + k * p->sub->item_size;
                free(*(char **)item);
                release_object(p->sub, item);
            }
            free(coll->items);
            coll->items = NULL;
            coll->n = 0;
            break;
        }
        default:
            break;
        }
    }
}

void as_params_release(as_params *p)
{
    if (p)
        release_object(&as_scenario_table, p);
}

/* ---- entry points ------------------------------------------------------------------------ */

static int parse_tree(const cJSON *tree, const char *where, as_params *out, as_error *err)
{
    memset(out, 0, sizeof *out);
    parse_ctx c = {.where = where, .err = err, .root = out};
    int errors_before = err->count;
    parse_object(&c, tree, &as_scenario_table, out, "");
    resolve_refs(&c);
    if (out->start_year != 0 && out->years != 0 && !c.oom) /* both read (a failed read leaves 0) */
        check_schedules(&c, &as_scenario_table, out, "");
    for (size_t i = 0; i < c.n_refs; i++) {
        free(c.refs[i].id);
        free(c.refs[i].path);
    }
    free(c.refs);
    if (c.oom)
        as_error_set(err, AS_ENOMEM, where, "out of memory while parsing");
    if (err->count == errors_before) {
        as_params_finish(out);
        as_params_check(out, where, err);
    }
    if (err->count != errors_before) {
        as_params_release(out);
        return err->code;
    }
    return AS_OK;
}

cJSON *as_json_read_object(const char *path, char **text, as_error *err)
{
    char *t = read_text(path, err);
    cJSON *tree = t ? parse_json(t, path, err) : NULL;
    if (text && tree)
        *text = t;
    else
        free(t);
    return tree;
}

int as_scenario_parse_text(const char *text, const char *where, as_params *out, as_error *err)
{
    cJSON *tree = parse_json(text, where, err);
    if (!tree)
        return err->code;
    int rc = parse_tree(tree, where, out, err);
    cJSON_Delete(tree);
    return rc;
}

/* The scenario of tree (consumed) named path, with sets applied. */
static int scenario_of_tree(cJSON *tree, const char *path, const char *const *sets, int n_sets, as_scenario **out,
                            as_error *err)
{
    for (int i = 0; i < n_sets; i++)
        apply_set(tree, sets[i], err);
    if (err->code != AS_OK) {
        cJSON_Delete(tree);
        return err->code;
    }
    as_scenario *sc = as_calloc(1, sizeof *sc);
    if (!sc) {
        cJSON_Delete(tree);
        return as_error_set(err, AS_ENOMEM, path, "out of memory");
    }
    int rc = parse_tree(tree, path, &sc->params, err);
    if (rc != AS_OK) {
        cJSON_Delete(tree);
        free(sc);
        return rc;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(tree, SCHEMA_KEY); /* checked; the file's, not the scenario's */
    sc->path = dup_string(path);
    sc->resolved_json = cJSON_Print(tree);
    cJSON_Delete(tree);
    if (!sc->path || !sc->resolved_json) {
        as_scenario_free(sc);
        return as_error_set(err, AS_ENOMEM, path, "out of memory");
    }
    *out = sc;
    return AS_OK;
}

int as_scenario_load(const char *path, const char *const *sets, int n_sets, as_scenario **out, as_error *err)
{
    *out = NULL;
    const char *chain[MAX_EXTENDS_DEPTH + 1];
    cJSON *tree = load_tree(path, chain, 0, err);
    return tree ? scenario_of_tree(tree, path, sets, n_sets, out, err) : err->code;
}

int as_scenario_derive(const as_scenario *base, const char *const *sets, int n_sets, as_scenario **out,
                       as_error *err)
{
    *out = NULL;
    cJSON *tree = parse_json(base->resolved_json, base->path, err);
    return tree ? scenario_of_tree(tree, base->path, sets, n_sets, out, err) : err->code;
}

void as_scenario_free(as_scenario *sc)
{
    if (!sc)
        return;
    as_params_release(&sc->params);
    free(sc->path);
    free(sc->resolved_json);
    free(sc);
}

char *as_scenario_data_path(const as_scenario *sc, const char *ref)
{
    if (strncmp(ref, "data:", 5) == 0) {
        const char *dir = as_dirs_data();
        if (!path_stays_inside(ref + 5))
            return NULL;
        char *p = join_path(dir, ref + 5);
        /* a symbolic link inside the data folder may not lead out of it either */
        char real_dir[PATH_MAX], real_file[PATH_MAX];
        if (p && realpath(dir, real_dir) && realpath(p, real_file)) {
            size_t n = strlen(real_dir);
            if (strncmp(real_file, real_dir, n) != 0 || (real_file[n] != '/' && real_file[n] != '\0')) {
                free(p);
                return NULL;
            }
        }
        return p;
    }
    if (!path_stays_inside(ref))
        return NULL;
    char *dir = dir_of(sc->path);
    char *p = dir ? join_path(dir, ref) : NULL;
    free(dir);
    return p;
}

/* ---- documents generated from the table ------------------------------------------------- */

static const char *type_word(const as_param *p)
{
    switch (p->type) {
    case AS_P_REAL: return "number";
    case AS_P_INT: case AS_P_U32: return "integer";
    case AS_P_BOOL: return "boolean";
    case AS_P_STRING: return "string";
    case AS_P_ENUM: return "choice";
    case AS_P_REF: return "id";
    case AS_P_REFLIST: return "ids";
    case AS_P_GRADES: return "number or [4 numbers]";
    case AS_P_SCHEDULE: return "number or {year: number}";
    case AS_P_NAMED: return "object of numbers";
    case AS_P_OBJECT: return "object";
    case AS_P_COLLECTION: return "object of items";
    }
    return "?";
}

static void reference_table(FILE *f, const as_ptable *t, const char *prefix)
{
    fprintf(f, "| key | type | unit | range | default | meaning |\n|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < t->n; i++) {
        const as_param *p = &t->params[i];
        char range[400] = "";
        if (p->type == AS_P_REAL || p->type == AS_P_INT || p->type == AS_P_U32 || p->type == AS_P_GRADES ||
            p->type == AS_P_SCHEDULE || p->type == AS_P_NAMED)
            snprintf(range, sizeof range, "%.10g .. %.10g", p->min, p->max);
        else if (p->type == AS_P_ENUM || (p->type == AS_P_NAMED && p->choices))
            list_choices(range, sizeof range, p->choices);
        else if (p->type == AS_P_REF || p->type == AS_P_REFLIST)
            snprintf(range, sizeof range, "ids of `%s`", p->ref);
        if (p->type == AS_P_NAMED) {
            char names[200];
            list_choices(names, sizeof names, p->choices);
            snprintf(range + strlen(range), sizeof range - strlen(range), "; keys %s", names);
        }
        const char *dflt = p->dflt ? p->dflt : "*required*";
        if (p->type == AS_P_OBJECT || p->type == AS_P_COLLECTION)
            dflt = "{}";
        fprintf(f, "| `%s%s` | %s | %s | %s | %s%s%s | %s |\n", prefix, p->key, type_word(p), p->unit, range,
                p->dflt ? "`" : "", dflt, p->dflt ? "`" : "", p->meaning);
    }
    fprintf(f, "\n");
    for (size_t i = 0; i < t->n; i++) {
        const as_param *p = &t->params[i];
        char sub[256];
        if (p->type == AS_P_OBJECT) {
            snprintf(sub, sizeof sub, "%s%s.", prefix, p->key);
            fprintf(f, "### `%s%s`\n\n%s\n\n", prefix, p->key, p->meaning);
            reference_table(f, p->sub, sub);
        } else if (p->type == AS_P_COLLECTION) {
            snprintf(sub, sizeof sub, "%s%s.ID.", prefix, p->key);
            fprintf(f, "### `%s%s.ID` (one %s)\n\n%s Each key of `%s%s` is an id.\n\n", prefix, p->key,
                    p->sub->name, p->meaning, prefix, p->key);
            reference_table(f, p->sub, sub);
        }
    }
}

int as_scenario_write_reference(FILE *f)
{
    fprintf(f, "# Scenario reference\n\n"
               "Generated by `alignsim reference` from the parameter table in `io/scenario_table.c`;\n"
               "do not edit by hand. Every key here is also a `--set` path (`programs.ID.seats`).\n"
               "An unknown key is an error. A key marked *required* has no default. `null` as a\n"
               "default means \"decided elsewhere\" (for completion requirements: by the pathway type).\n\n"
               "A key of type `number or {year: number}` is a policy that may change over time: a\n"
               "plain number holds every year; an object keyed by calendar year, such as\n"
               "`{\"2025\": 100, \"2027\": 200}`, is a step function, each value holding from its year\n"
               "until the next listed one. Its first year must be `start_year` (warm-up years take that\n"
               "value) and every year a simulated one (`start_year` .. `start_year + years - 1`). In a\n"
               "file that extends another, such an object merges year by year into the base's schedule;\n"
               "a number replaces it. With `--set`, the value may be either form\n"
               "(`--set 'programs.ID.seats={\"2025\":100,\"2028\":300}'`).\n\n"
               "Besides these keys, a scenario may name `\"extends\": \"base.json\"` (a path relative to its\n"
               "folder, or a library name such as `\"miami-dade\"`) and then holds only what it changes,\n"
               "applied as a JSON merge patch (RFC 7386): objects merge key by key, `null` deletes a key\n"
               "(its default applies; a required key may not be deleted) or a collection item, anything\n"
               "else replaces. A scenario may also name `\"$schema\": \"../docs/scenario.schema.json\"`, a\n"
               "string that alignsim ignores (the resolved scenario in a results file leaves it out), so\n"
               "that an editor finds `docs/scenario.schema.json`: it checks a scenario without `extends`\n"
               "as complete and one with `extends` as a patch.\n\n"
               "## Top level\n\n");
    reference_table(f, &as_scenario_table, "");
    return ferror(f) ? -1 : 0;
}

/* ---- the JSON Schema ---------------------------------------------------------------------- */

/* The schema's own name.  Its number changes only when its layout changes in a way a document that
 * refers into it would notice (the $defs names, the two forms below); a new key in the table does not. */
#define SCHEMA_ID "urn:alignsim:scenario-schema:1"

/*
 * Each table is written into $defs twice, from the same walk: "NAME", an object as a scenario without
 * extends must give it (its required keys listed), and "NAME-patch", the same keys as a file that
 * extends another may give them.  Such a file is a JSON merge patch (RFC 7386) applied after its base,
 * so a patch requires nothing, and null stands wherever deleting the key leaves a valid scenario: a
 * key with a default (the default applies), a collection item (it goes), a year of a schedule.  A
 * required key may not be null: the merged scenario of that file would lack it.  Both forms refuse
 * unknown keys, so a misspelt key in a proposal is caught too.  What depends on the base (whether an
 * item is new and so needs its required keys) is left to alignsim validate.
 */
typedef struct schema_defs {
    cJSON *defs;
    const as_ptable *written[2][64]; /* by form (0 complete, 1 patch): the tables in defs */
    size_t n[2];
    int failed;
} schema_defs;

static int has_required(const as_ptable *t)
{
    for (size_t i = 0; i < t->n; i++)
        if (!t->params[i].dflt)
            return 1;
    return 0;
}

/* Whether null may stand for p in a patch: deleting it must leave its default, and that must be valid
 * (an object's default, {}, is not where the object has required keys). */
static int deletable(const as_param *p)
{
    return p->dflt && !(p->type == AS_P_OBJECT && has_required(p->sub));
}

/* Adds null to what schema s accepts. */
static void add_null(cJSON *s)
{
    cJSON *type = cJSON_GetObjectItemCaseSensitive(s, "type");
    cJSON *choices = cJSON_GetObjectItemCaseSensitive(s, "enum");
    cJSON *any = cJSON_GetObjectItemCaseSensitive(s, "oneOf");
    cJSON *ref = cJSON_GetObjectItemCaseSensitive(s, "$ref");
    if (cJSON_IsString(type)) {
        cJSON *types = cJSON_CreateArray();
        cJSON_AddItemToArray(types, cJSON_CreateString(type->valuestring));
        cJSON_AddItemToArray(types, cJSON_CreateString("null"));
        cJSON_ReplaceItemInObjectCaseSensitive(s, "type", types);
    } else if (choices) {
        cJSON_AddItemToArray(choices, cJSON_CreateNull());
    } else if (any) {
        cJSON *null = cJSON_CreateObject();
        cJSON_AddStringToObject(null, "type", "null");
        cJSON_AddItemToArray(any, null);
    } else if (ref) {
        cJSON *either = cJSON_AddArrayToObject(s, "anyOf");
        cJSON *one = cJSON_CreateObject();
        cJSON_AddItemToObject(one, "$ref", cJSON_DetachItemViaPointer(s, ref));
        cJSON_AddItemToArray(either, one);
        cJSON *null = cJSON_CreateObject();
        cJSON_AddStringToObject(null, "type", "null");
        cJSON_AddItemToArray(either, null);
    }
}

/* Adds {"type": "number", "minimum": min, "maximum": max} of a numeric key to s; "integer" for a
 * count of people, seats or places, or a code, which the parser takes only whole. */
static void number_into(cJSON *s, const as_param *p)
{
    int whole = p->type == AS_P_INT || p->type == AS_P_U32 || as_param_counts(p) || is_code(p);
    cJSON_AddStringToObject(s, "type", whole ? "integer" : "number");
    cJSON_AddNumberToObject(s, "minimum", p->min);
    if (!isinf(p->max))
        cJSON_AddNumberToObject(s, "maximum", p->max);
}

static cJSON *number_schema(const as_param *p, int nullable)
{
    cJSON *num = cJSON_CreateObject();
    number_into(num, p);
    if (nullable)
        add_null(num);
    return num;
}

static void fill_table(schema_defs *d, cJSON *s, const as_ptable *t, int patch);

/* {"$ref": "#/$defs/NAME"} of table t in its form, written into $defs the first time. */
static cJSON *table_ref(schema_defs *d, const as_ptable *t, int patch)
{
    char name[128], ref[160];
    size_t at = 0;
    for (const char *c = t->name; *c && at + 1 < sizeof name; c++)
        name[at++] = isalnum((unsigned char)*c) || *c == '-' || *c == '_' ? *c : '_';
    snprintf(name + at, sizeof name - at, "%s", patch ? "-patch" : "");
    snprintf(ref, sizeof ref, "#/$defs/%s", name);
    size_t i = 0;
    while (i < d->n[patch] && d->written[patch][i] != t)
        i++;
    if (i == d->n[patch]) {
        size_t room = sizeof d->written[patch] / sizeof d->written[patch][0];
        if (d->n[patch] == room || cJSON_GetObjectItemCaseSensitive(d->defs, name)) {
            d->failed = 1; /* two tables of one name: io/scenario_table.c must name them apart */
        } else {
            d->written[patch][d->n[patch]++] = t;
            cJSON *def = cJSON_AddObjectToObject(d->defs, name);
            if (def)
                fill_table(d, def, t, patch);
            else
                d->failed = 1;
        }
    }
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "$ref", ref);
    return s;
}

static cJSON *schema_of_param(schema_defs *d, const as_param *p, int patch)
{
    int nullable = null_allowed(p) || p->type == AS_P_REF || (patch && deletable(p));
    cJSON *s = cJSON_CreateObject();
    cJSON_AddStringToObject(s, "description", p->meaning);
    switch (p->type) {
    case AS_P_REAL:
    case AS_P_INT:
    case AS_P_U32:
        number_into(s, p);
        break;
    case AS_P_BOOL:
        cJSON_AddStringToObject(s, "type", "boolean");
        break;
    case AS_P_STRING:
    case AS_P_REF:
        cJSON_AddStringToObject(s, "type", "string");
        break;
    case AS_P_ENUM: {
        cJSON *e = cJSON_AddArrayToObject(s, "enum");
        for (int i = 0; p->choices[i]; i++)
            cJSON_AddItemToArray(e, cJSON_CreateString(p->choices[i]));
        break;
    }
    case AS_P_REFLIST: {
        cJSON_AddStringToObject(s, "type", "array");
        cJSON *items = cJSON_AddObjectToObject(s, "items");
        cJSON_AddStringToObject(items, "type", "string");
        break;
    }
    case AS_P_GRADES: {
        cJSON *any = cJSON_AddArrayToObject(s, "oneOf");
        cJSON_AddItemToArray(any, number_schema(p, 0));
        cJSON *arr = cJSON_CreateObject();
        cJSON_AddStringToObject(arr, "type", "array");
        cJSON_AddItemToObject(arr, "items", number_schema(p, 0));
        cJSON_AddNumberToObject(arr, "minItems", AS_GRADES);
        cJSON_AddNumberToObject(arr, "maxItems", AS_GRADES);
        cJSON_AddItemToArray(any, arr);
        break;
    }
    case AS_P_SCHEDULE: {
        cJSON *any = cJSON_AddArrayToObject(s, "oneOf");
        cJSON_AddItemToArray(any, number_schema(p, 0));
        cJSON *by_year = cJSON_CreateObject();
        cJSON_AddStringToObject(by_year, "type", "object");
        cJSON_AddStringToObject(by_year, "description",
                                patch ? "By calendar year, merged year by year into the base's schedule (null "
                                        "deletes a year); it replaces a base's number."
                                      : "By calendar year: each value holds from its year until the next listed "
                                        "one; the first year must be start_year.");
        cJSON *names = cJSON_AddObjectToObject(by_year, "propertyNames");
        cJSON_AddStringToObject(names, "pattern", "^[0-9]{1,4}$");
        if (!patch) {
            cJSON_AddNumberToObject(by_year, "minProperties", 1);
            cJSON_AddNumberToObject(by_year, "maxProperties", AS_MAX_YEARS);
        }
        cJSON_AddItemToObject(by_year, "additionalProperties", number_schema(p, patch));
        cJSON_AddItemToArray(any, by_year);
        break;
    }
    case AS_P_NAMED: {
        cJSON_AddStringToObject(s, "type", "object");
        cJSON *props = cJSON_AddObjectToObject(s, "properties");
        for (int i = 0; p->choices[i]; i++)
            cJSON_AddItemToObject(props, p->choices[i], number_schema(p, patch));
        cJSON_AddFalseToObject(s, "additionalProperties");
        break;
    }
    case AS_P_OBJECT: {
        cJSON *ref = table_ref(d, p->sub, patch);
        cJSON_AddItemToObject(s, "$ref", cJSON_DetachItemFromObjectCaseSensitive(ref, "$ref"));
        cJSON_Delete(ref);
        break;
    }
    case AS_P_COLLECTION: {
        cJSON_AddStringToObject(s, "type", "object");
        cJSON *ids = cJSON_AddObjectToObject(s, "propertyNames");
        cJSON_AddNumberToObject(ids, "minLength", 1);
        cJSON *item = table_ref(d, p->sub, patch);
        if (patch) /* null deletes the base's item */
            add_null(item);
        cJSON_AddItemToObject(s, "additionalProperties", item);
        break;
    }
    }
    if (nullable)
        add_null(s);
    if (p->dflt && p->type != AS_P_OBJECT && p->type != AS_P_COLLECTION) {
        cJSON *dflt = cJSON_Parse(p->dflt);
        if (dflt)
            cJSON_AddItemToObject(s, "default", dflt);
        else
            d->failed = 1;
    }
    return s;
}

/* The object of table t in its form, into s. */
static void fill_table(schema_defs *d, cJSON *s, const as_ptable *t, int patch)
{
    char title[160];
    snprintf(title, sizeof title, "%s%s", t->name, patch ? ", as a file that extends another gives it" : "");
    cJSON_AddStringToObject(s, "title", title);
    cJSON_AddStringToObject(s, "type", "object");
    cJSON *props = cJSON_AddObjectToObject(s, "properties");
    cJSON *required = cJSON_CreateArray();
    if (t == &as_scenario_table) {
        if (patch) {
            cJSON *ext = cJSON_AddObjectToObject(props, "extends");
            cJSON_AddStringToObject(ext, "description",
                                    "The base scenario: a path relative to this file's folder, or a library name "
                                    "such as \"miami-dade\"; this file is applied to it as a JSON merge patch "
                                    "(RFC 7386).");
            cJSON_AddStringToObject(ext, "type", "string");
            cJSON_AddNumberToObject(ext, "minLength", 1);
            cJSON_AddItemToArray(required, cJSON_CreateString("extends"));
        }
        cJSON *editor = cJSON_AddObjectToObject(props, SCHEMA_KEY);
        cJSON_AddStringToObject(editor, "description",
                                "Where an editor finds this schema, such as \"../docs/scenario.schema.json\"; "
                                "alignsim ignores it.");
        cJSON_AddStringToObject(editor, "type", "string");
        if (patch)
            add_null(editor);
    }
    for (size_t i = 0; i < t->n; i++) {
        const as_param *p = &t->params[i];
        cJSON_AddItemToObject(props, p->key, schema_of_param(d, p, patch));
        if (!p->dflt && !patch)
            cJSON_AddItemToArray(required, cJSON_CreateString(p->key));
    }
    if (cJSON_GetArraySize(required) > 0)
        cJSON_AddItemToObject(s, "required", required);
    else
        cJSON_Delete(required);
    cJSON_AddFalseToObject(s, "additionalProperties");
}

int as_scenario_write_schema(FILE *f)
{
    schema_defs d = {0};
    cJSON *root = cJSON_CreateObject();
    d.defs = cJSON_CreateObject();
    if (!root || !d.defs) {
        cJSON_Delete(root);
        cJSON_Delete(d.defs);
        return -1;
    }
    cJSON_AddStringToObject(root, "$schema", "https://json-schema.org/draft/2020-12/schema");
    cJSON_AddStringToObject(root, "$id", SCHEMA_ID);
    cJSON_AddStringToObject(root, "title", "alignsim scenario");
    cJSON_AddStringToObject(root, "description",
                            "Generated by `alignsim schema` from io/scenario_table.c. A scenario without "
                            "`extends` is complete: $defs/scenario, every required key given. One with `extends` "
                            "is a JSON merge patch (RFC 7386) on its base: $defs/scenario-patch, where no key is "
                            "required and null deletes a key (its default applies) or a collection item, but not "
                            "a required key. Both refuse unknown keys. What only the merged scenario shows (a "
                            "required key a new item lacks, references between items, sums, schedule years) "
                            "`alignsim validate` checks.");
    cJSON *when = cJSON_AddObjectToObject(root, "if");
    cJSON *needs = cJSON_AddArrayToObject(when, "required");
    cJSON_AddItemToArray(needs, cJSON_CreateString("extends"));
    cJSON *complete = table_ref(&d, &as_scenario_table, 0); /* every complete form first, then the patches */
    cJSON *patch = table_ref(&d, &as_scenario_table, 1);
    cJSON_AddItemToObject(root, "then", patch);
    cJSON_AddItemToObject(root, "else", complete);
    cJSON_AddItemToObject(root, "$defs", d.defs);
    char *text = d.failed ? NULL : cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return -1;
    fprintf(f, "%s\n", text);
    free(text);
    return ferror(f) ? -1 : 0;
}
