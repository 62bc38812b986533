/*
 * scenario_value.c - reading loaded parameters back by --set path, and
 * expanding "*" patterns, by walking the same declared table the parser
 * walks (io/scenario_table.c).  Sweeps use it to scale a key's value in
 * effect and to name a family of keys with one pattern.
 */
#include "scenario.h"
#include "alloc.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ptable.h"

static const as_param *find_key(const as_ptable *t, const char *key, size_t len)
{
    for (size_t i = 0; i < t->n; i++)
        if (strlen(t->params[i].key) == len && strncmp(t->params[i].key, key, len) == 0)
            return &t->params[i];
    return NULL;
}

/* Item `id` (len bytes) of the collection at slot, or NULL. */
static const char *find_item(const as_param *p, const void *slot, const char *id, size_t len)
{
    const AS_COLLECTION(char) *coll = slot;
    for (size_t i = 0; i < coll->n; i++) {
        const char *item = coll->items + i * p->sub->item_size;
        const char *item_id = *(char *const *)item; /* every item starts with char *id */
        if (strlen(item_id) == len && strncmp(item_id, id, len) == 0)
            return item;
    }
    return NULL;
}

static cJSON *schedule_json(const as_schedule *s)
{
    if (s->n == 0)
        return cJSON_CreateNumber(s->value);
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; i < s->n && o; i++) {
        char year[16];
        snprintf(year, sizeof year, "%d", s->year[i]);
        cJSON_AddNumberToObject(o, year, s->v[i]);
    }
    return o;
}

/* The JSON of leaf p at base, or of its named choice `rest` (NULL: all). */
static cJSON *leaf_json(const as_param *p, const char *base, const char *rest)
{
    const char *at = base + p->offset;
    switch (p->type) {
    case AS_P_REAL: return cJSON_CreateNumber(*(const double *)at);
    case AS_P_INT: return cJSON_CreateNumber(*(const int *)at);
    case AS_P_U32: return cJSON_CreateNumber(*(const uint32_t *)at);
    case AS_P_BOOL: return cJSON_CreateBool(*(const int *)at > 0);
    case AS_P_SCHEDULE: return schedule_json((const as_schedule *)at);
    case AS_P_GRADES: return cJSON_CreateDoubleArray((const double *)at, AS_GRADES);
    case AS_P_NAMED: {
        const double *v = (const double *)at;
        if (rest) {
            for (int i = 0; p->choices[i]; i++)
                if (!strcmp(p->choices[i], rest))
                    return cJSON_CreateNumber(v[i]);
            return NULL;
        }
        cJSON *o = cJSON_CreateObject();
        for (int i = 0; p->choices[i] && o; i++)
            cJSON_AddNumberToObject(o, p->choices[i], v[i]);
        return o;
    }
    default: return NULL; /* strings, choices and references are not numbers */
    }
}

/* The leaf that --set path names, with the struct it lives in (*base) and what follows it (*rest:
 * a named choice, or ""); NULL when the path names no leaf. */
static const as_param *leaf_at(const as_params *params, const char *path, const char **base_out, const char **rest)
{
    const as_ptable *t = &as_scenario_table;
    const char *base = (const char *)params, *seg = path;
    while (*seg) {
        size_t len = strcspn(seg, ".");
        const char *next = seg[len] ? seg + len + 1 : seg + len;
        const as_param *p = find_key(t, seg, len);
        if (!p)
            return NULL;
        if (p->type == AS_P_OBJECT) {
            base += p->offset;
            t = p->sub;
        } else if (p->type == AS_P_COLLECTION) {
            size_t id_len = strcspn(next, ".");
            const char *item = id_len ? find_item(p, base + p->offset, next, id_len) : NULL;
            if (!item)
                return NULL;
            base = item;
            t = p->sub;
            next = next[id_len] ? next + id_len + 1 : next + id_len;
        } else {
            if (*next && p->type != AS_P_NAMED)
                return NULL;
            *base_out = base;
            *rest = next;
            return p;
        }
        seg = next;
    }
    return NULL;
}

int as_params_counts(const as_params *params, const char *path)
{
    const char *base, *rest;
    const as_param *p = leaf_at(params, path, &base, &rest);
    return p && as_param_counts(p);
}

cJSON *as_params_value(const as_params *params, const char *path, const char *where, as_error *err)
{
    const char *base, *rest;
    const as_param *p = leaf_at(params, path, &base, &rest);
    cJSON *v = p ? leaf_json(p, base, *rest ? rest : NULL) : NULL;
    if (v)
        return v;
    as_error_set(err, AS_EINPUT, where, "\"%s\" is not a number-valued scenario key (expected a --set path such as "
                                        "programs.ID.apply_rate; see docs/scenario-reference.md)", path);
    return NULL;
}

typedef struct paths {
    char **v;
    size_t n, cap;
} paths;

static void add_path(paths *ps, const char *text)
{
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? 2 * ps->cap : 8;
        char **v = as_realloc(ps->v, cap * sizeof *v);
        if (!v)
            return;
        ps->v = v;
        ps->cap = cap;
    }
    char *copy = as_strdup(text);
    if (copy)
        ps->v[ps->n++] = copy;
}

/* Expands pattern `seg` within table t at base; done holds the path so far. */
static void expand(const as_ptable *t, const char *base, const char *seg, char *done, size_t at, size_t size,
                   paths *ps)
{
    if (!*seg) {
        done[at ? at - 1 : 0] = '\0';
        add_path(ps, done);
        return;
    }
    size_t len = strcspn(seg, ".");
    const char *next = seg[len] ? seg + len + 1 : seg + len;
    const as_param *p = find_key(t, seg, len);
    if (!p || at + len + 2 >= size)
        return;
    memcpy(done + at, seg, len);
    done[at + len] = '.';
    at += len + 1;
    if (p->type == AS_P_OBJECT) {
        expand(p->sub, base + p->offset, next, done, at, size, ps);
    } else if (p->type == AS_P_COLLECTION) {
        const AS_COLLECTION(char) *coll = (const void *)(base + p->offset);
        size_t id_len = strcspn(next, ".");
        const char *rest = next[id_len] ? next + id_len + 1 : next + id_len;
        int any = id_len == 1 && next[0] == '*';
        for (size_t i = 0; i < coll->n; i++) {
            const char *item = coll->items + i * p->sub->item_size;
            const char *id = *(char *const *)item;
            size_t n = strlen(id);
            if ((any || (n == id_len && !strncmp(id, next, id_len))) && at + n + 2 < size) {
                memcpy(done + at, id, n);
                done[at + n] = '.';
                expand(p->sub, item, rest, done, at + n + 1, size, ps);
            }
        }
    } else {
        /* a leaf: what follows (a NAMED choice) is copied as it is */
        size_t n = strlen(next);
        if (at + n + 1 >= size)
            return;
        if (n)
            memcpy(done + at, next, n + 1);
        else
            done[at - 1] = '\0'; /* no trailing dot */
        add_path(ps, done);
    }
}

size_t as_params_expand(const as_params *params, const char *pattern, char ***out)
{
    paths ps = {0};
    char done[1024];
    expand(&as_scenario_table, (const char *)params, pattern, done, 0, sizeof done, &ps);
    *out = ps.v;
    return ps.n;
}
