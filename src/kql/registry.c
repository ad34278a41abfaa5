/* The function registry: collects every family's table (fn_*.c) into one
 * lookup by name, and suggests the nearest name for a misspelt call. */
#include "kql_int.h"

#include <stdio.h>
#include <stdlib.h>

/* One line per family file. */
extern const kql_fn_table kql_fns_core;
extern const kql_fn_table kql_fns_string;
extern const kql_fn_table kql_fns_regex;
extern const kql_fn_table kql_fns_convert;
extern const kql_fn_table kql_fns_datetime;
extern const kql_fn_table kql_fns_math;
extern const kql_fn_table kql_fns_dynamic;
extern const kql_fn_table kql_fns_ip;
extern const kql_fn_table kql_fns_url;
extern const kql_fn_table kql_fns_encoding;
extern const kql_fn_table kql_fns_misc;
extern const kql_fn_table kql_fns_xml;
extern const kql_fn_table kql_fns_series;
extern const kql_fn_table kql_fns_agg;
extern const kql_fn_table kql_fns_agg_sets;
extern const kql_fn_table kql_fns_agg_stats;
extern const kql_fn_table kql_fns_hll;

static const kql_fn_table *const TABLES[] = {
    &kql_fns_core,
    &kql_fns_string,
    &kql_fns_regex,
    &kql_fns_convert,
    &kql_fns_datetime,
    &kql_fns_math,
    &kql_fns_dynamic,
    &kql_fns_ip,
    &kql_fns_url,
    &kql_fns_encoding,
    &kql_fns_misc,
    &kql_fns_xml,
    &kql_fns_series,
    &kql_fns_agg,
    &kql_fns_agg_sets,
    &kql_fns_agg_stats,
    &kql_fns_hll,
};

static sp_map g_fns;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void build(void) {
    sp_map_init(&g_fns, false);
    for (size_t t = 0; t < SP_ARRAY_LEN(TABLES); t++) {
        for (size_t i = 0; i < TABLES[t]->n; i++) {
            const kql_fn *f = &TABLES[t]->fns[i];
            bool created;
            void **slot = sp_map_slot(&g_fns, f->name, strlen(f->name), &created);
            if (!created) {
                /* a programming error: two families define one name */
                fprintf(stderr, "secpilot: function '%s' is defined twice\n", f->name);
                abort();
            }
            *slot = (void *)f;
        }
    }
}

const kql_fn *kql_fn_find(const char *name, size_t n) {
    pthread_once(&g_once, build);
    return sp_map_get(&g_fns, name, n);
}

/* Damerau-free Levenshtein distance, case-insensitive, capped. */
size_t kql_edit_distance(const char *a, size_t an, const char *b, size_t bn) {
    if (an > 64 || bn > 64) return 99;
    size_t prev[65], cur[65];
    for (size_t j = 0; j <= bn; j++) prev[j] = j;
    for (size_t i = 1; i <= an; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= bn; j++) {
            char x = a[i - 1], y = b[j - 1];
            if (x >= 'A' && x <= 'Z') x += 32;
            if (y >= 'A' && y <= 'Z') y += 32;
            size_t sub = prev[j - 1] + (x != y);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (bn + 1) * sizeof(size_t));
    }
    return prev[bn];
}

const char *kql_fn_suggest(const char *name, size_t n, bool aggregate) {
    pthread_once(&g_once, build);
    const char *best = NULL;
    size_t bestd = n <= 3 ? 1 : n <= 8 ? 2 : 3;  /* "dcnt" -> dcount */
    bestd++;
    sp_map_foreach(&g_fns, e) {
        const kql_fn *f = e->val;
        if (aggregate != (f->kind == KQL_FN_AGG) && f->kind != KQL_FN_SPECIAL) continue;
        size_t d = kql_edit_distance(name, n, e->key, e->klen);
        if (d < bestd) {
            bestd = d;
            best = f->name;
        }
    }
    return best;
}
