/* Collecting aggregates: make_set / make_list / make_bag (and -if, old
 * spellings), make_list_with_nulls, count_distinct; states merge across threads. */
#include "fn_agg.h"

#define MAX_ITEMS 1048576 /* the largest maxSize Kusto allows, and the default */
#define OLD_MAX_ITEMS 128 /* the default of the deprecated makeset/makelist/make_dictionary */

/* The maxSize argument (constant) at position k, or the default. */
static uint32_t max_size(kql_col *const *args, size_t nargs, size_t k, uint32_t dflt) {
    if (k >= nargs) return dflt;
    kql_value v;
    int64_t m;
    kql_col_get(args[k], 0, &v);
    if (!fa_long(&v, &m) || m <= 0) return dflt;
    return m > MAX_ITEMS ? MAX_ITEMS : (uint32_t)m;
}

/* --------------------------------------------------------------- set/list */
typedef struct coll_state {
    bool init;
    uint32_t max;
    fn_dset seen;          /* make_set only */
    fn_arr items;
} coll_state;

typedef struct coll_kind {
    bool distinct;         /* make_set */
    bool keep_nulls;       /* make_list_with_nulls */
    bool has_pred;         /* the -if forms: args[1] is the predicate */
    uint32_t dflt;         /* default maxSize */
} coll_kind;

static void coll_init(kql_aggctx *c, coll_state *g, uint32_t max, bool distinct) {
    g->init = true;
    g->max = max;
    arr_init(&g->items, c->arena, 4);
    if (distinct) dset_init(&g->seen, c->arena, 4);
}

/* adds one item (strings are copied when kept) */
static void coll_add(kql_aggctx *c, coll_state *g, const kql_dyn *d, const coll_kind *k) {
    if (g->items.n >= g->max) return;
    bool isnull = !d || d->kind == KQL_DYN_NULL;
    if (isnull && !k->keep_nulls) return;
    if (k->distinct) {
        if (dset_has(&g->seen, d)) return;
        const kql_dyn *box = kql_dyn_copy(c->arena, d);
        dset_add(&g->seen, box);
        arr_push(&g->items, *box);
        return;
    }
    arr_push(&g->items, isnull ? *dyn_null() : *kql_dyn_copy(c->arena, d));
}

/* a row's value: a dynamic array adds its items, other values themselves */
static void coll_value(kql_aggctx *c, coll_state *g, const kql_value *v, const coll_kind *k) {
    if (v->type == KQL_DYNAMIC && !v->null && v->u.d && v->u.d->kind == KQL_DYN_ARRAY && !k->keep_nulls) {
        for (uint32_t i = 0; i < v->u.d->n && g->items.n < g->max; i++) coll_add(c, g, &v->u.d->u.items[i], k);
        return;
    }
    if (fa_isnull(v)) {
        if (k->keep_nulls) coll_add(c, g, NULL, k);
        return;
    }
    kql_dyn tmp;
    if (v->type == KQL_STRING) tmp = dyn_str_ref(v->u.s.p, v->u.s.n);
    else if (v->type == KQL_DYNAMIC) tmp = *v->u.d;
    else tmp = *kql_value_to_dyn(c->arena, v);
    coll_add(c, g, &tmp, k);
}

static void coll_update(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nargs,
                        size_t n, const coll_kind *k) {
    coll_state *s = (coll_state *)states;
    const kql_col *x = args[0], *p = k->has_pred && nargs > 1 ? args[1] : NULL;
    uint32_t max = max_size(args, nargs, k->has_pred ? 2 : 1, k->dflt);
    for (size_t i = 0; i < n; i++) {
        if (p && !agg_pred(p, i)) continue;
        coll_state *g = &s[gids[i]];
        if (!g->init) coll_init(c, g, max, k->distinct);
        if (g->items.n >= g->max) continue;
        kql_value v;
        kql_col_get(x, i, &v);
        coll_value(c, g, &v, k);
    }
}

static void coll_merge(kql_aggctx *c, void *dst, const void *src, const coll_kind *k) {
    coll_state *d = dst;
    const coll_state *s = src;
    if (!s->init) return;
    if (!d->init) coll_init(c, d, s->max, k->distinct);
    for (size_t i = 0; i < s->items.n && d->items.n < d->max; i++) {
        if (k->distinct) {
            const kql_dyn *x = &s->items.v[i];
            if (dset_has(&d->seen, x)) continue;
            const kql_dyn *box = dyn_box(c->arena, *x);
            dset_add(&d->seen, box);
            arr_push(&d->items, *box);
        } else {
            arr_push(&d->items, s->items.v[i]);
        }
    }
}

static void coll_final(kql_aggctx *c, const void *state, kql_value *out, size_t nout) {
    (void)nout;
    const coll_state *s = state;
    kql_dyn *d = SP_NEW(c->arena, kql_dyn);
    d->kind = KQL_DYN_ARRAY;
    if (s->init && s->items.n) {
        d->n = (uint32_t)s->items.n;
        d->u.items = s->items.v;
    }
    fn_set_dyn(out, d);
}

#define COLL(name, distinct, nulls, pred, dflt)                                                                    \
    static const coll_kind K_##name = {distinct, nulls, pred, dflt};                                               \
    static void name##_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) { \
        coll_update(c, st, g, a, na, n, &K_##name);                                                                \
    }                                                                                                              \
    static void name##_merge(kql_aggctx *c, void *d, const void *s) { coll_merge(c, d, s, &K_##name); }           \
    static const kql_aggdef AGG_##name = {sizeof(coll_state), name##_update, name##_merge, coll_final};
COLL(make_set, true, false, false, MAX_ITEMS)
COLL(makeset, true, false, false, OLD_MAX_ITEMS)
COLL(make_set_if, true, false, true, MAX_ITEMS)
COLL(make_list, false, false, false, MAX_ITEMS)
COLL(makelist, false, false, false, OLD_MAX_ITEMS)
COLL(make_list_if, false, false, true, MAX_ITEMS)
COLL(make_list_with_nulls, false, true, false, MAX_ITEMS)

/* ------------------------------------------------------------------- bags
 * make_bag(bag [, maxSize]), make_bag_if(bag, predicate [, maxSize]) :
 * the union of the group's property bags; other values are skipped; when a
 * key repeats, the first value seen is kept. Keys are indexed by hash. */
typedef struct bag_state {
    bool init;
    uint32_t max;
    kql_dyn_kv *kv;
    uint32_t n, cap;
    uint32_t *slots;       /* index + 1 into kv, 0 empty */
    uint32_t nslots;
} bag_state;

static uint64_t key_hash(const char *k, size_t n) { return kql_xxh64(k, n, 0); }

static bool bag_find_slot(const bag_state *g, const char *k, size_t kn, uint32_t *slot) {
    uint32_t mask = g->nslots - 1, i = (uint32_t)key_hash(k, kn) & mask;
    while (g->slots[i]) {
        const kql_dyn_kv *e = &g->kv[g->slots[i] - 1];
        if (e->klen == kn && memcmp(e->key, k, kn) == 0) {
            *slot = i;
            return true;
        }
        i = (i + 1) & mask;
    }
    *slot = i;
    return false;
}

static void bag_state_init(kql_aggctx *c, bag_state *g, uint32_t max) {
    g->init = true;
    g->max = max;
    g->cap = 8;
    g->kv = SP_NEWN(c->arena, kql_dyn_kv, g->cap);
    g->nslots = 16;
    g->slots = SP_NEWZ(c->arena, uint32_t, g->nslots);
}

static void bag_state_put(kql_aggctx *c, bag_state *g, const char *k, size_t kn, const kql_dyn *val, bool copy) {
    if (g->n >= g->max) return;
    uint32_t slot;
    if (bag_find_slot(g, k, kn, &slot)) return;
    if (g->n == g->cap) {
        g->kv = sp_arena_realloc(c->arena, g->kv, g->cap * sizeof(kql_dyn_kv), g->cap * 2 * sizeof(kql_dyn_kv));
        g->cap *= 2;
    }
    kql_dyn_kv *e = &g->kv[g->n];
    e->key = copy ? sp_arena_strndup(c->arena, k, kn) : k;
    e->klen = (uint32_t)kn;
    e->val = copy ? *kql_dyn_copy(c->arena, val) : *val;
    g->n++;
    g->slots[slot] = g->n;
    if (g->n * 2 > g->nslots) {
        uint32_t ns = g->nslots * 2;
        uint32_t *sl = SP_NEWZ(c->arena, uint32_t, ns);
        for (uint32_t i = 0; i < g->n; i++) {
            uint32_t j = (uint32_t)key_hash(g->kv[i].key, g->kv[i].klen) & (ns - 1);
            while (sl[j]) j = (j + 1) & (ns - 1);
            sl[j] = i + 1;
        }
        g->slots = sl;
        g->nslots = ns;
    }
}

static void bag_update_impl(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nargs,
                            size_t n, bool pred, uint32_t dflt) {
    bag_state *s = (bag_state *)states;
    const kql_col *x = args[0], *p = pred && nargs > 1 ? args[1] : NULL;
    uint32_t max = max_size(args, nargs, pred ? 2 : 1, dflt);
    for (size_t i = 0; i < n; i++) {
        if (p && !agg_pred(p, i)) continue;
        kql_value v;
        kql_col_get(x, i, &v);
        const kql_dyn *d = v.type == KQL_DYNAMIC && !v.null ? v.u.d : NULL;
        if (!d || d->kind != KQL_DYN_BAG) continue;
        bag_state *g = &s[gids[i]];
        if (!g->init) bag_state_init(c, g, max);
        for (uint32_t k = 0; k < d->n && g->n < g->max; k++)
            bag_state_put(c, g, d->u.kv[k].key, d->u.kv[k].klen, &d->u.kv[k].val, true);
    }
}

static void make_bag_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    bag_update_impl(c, st, g, a, na, n, false, MAX_ITEMS);
}
static void make_bag_if_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    bag_update_impl(c, st, g, a, na, n, true, MAX_ITEMS);
}
static void make_dictionary_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na,
                                   size_t n) {
    bag_update_impl(c, st, g, a, na, n, false, OLD_MAX_ITEMS);
}

static void bag_merge_states(kql_aggctx *c, void *dst, const void *src) {
    bag_state *d = dst;
    const bag_state *s = src;
    if (!s->init) return;
    if (!d->init) bag_state_init(c, d, s->max);
    for (uint32_t k = 0; k < s->n && d->n < d->max; k++) bag_state_put(c, d, s->kv[k].key, s->kv[k].klen, &s->kv[k].val, false);
}

static void bag_final(kql_aggctx *c, const void *state, kql_value *out, size_t nout) {
    (void)nout;
    const bag_state *s = state;
    kql_dyn *d = SP_NEW(c->arena, kql_dyn);
    d->kind = KQL_DYN_BAG;
    if (s->init && s->n) {
        d->n = s->n;
        d->u.kv = s->kv;
    }
    fn_set_dyn(out, d);
}

static const kql_aggdef AGG_make_bag = {sizeof(bag_state), make_bag_update, bag_merge_states, bag_final};
static const kql_aggdef AGG_make_bag_if = {sizeof(bag_state), make_bag_if_update, bag_merge_states, bag_final};
static const kql_aggdef AGG_make_dictionary = {sizeof(bag_state), make_dictionary_update, bag_merge_states, bag_final};

/* ---------------------------------------------------------- count_distinct
 * count_distinct(x), count_distinctif(x, predicate) : long, the exact number
 * of distinct non-null values (memory grows with the distinct values; the
 * query's memory limit applies). */
typedef struct cd_state {
    bool init;
    fn_dset seen;
} cd_state;

static void cd_update_impl(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nargs,
                           size_t n, bool pred) {
    cd_state *s = (cd_state *)states;
    const kql_col *x = args[0], *p = pred && nargs > 1 ? args[1] : NULL;
    for (size_t i = 0; i < n; i++) {
        if (p && !agg_pred(p, i)) continue;
        kql_value v;
        kql_col_get(x, i, &v);
        if (fa_isnull(&v)) continue;
        cd_state *g = &s[gids[i]];
        if (!g->init) {
            dset_init(&g->seen, c->arena, 4);
            g->init = true;
        }
        kql_dyn tmp = v.type == KQL_STRING ? dyn_str_ref(v.u.s.p, v.u.s.n)
                      : v.type == KQL_DYNAMIC ? *v.u.d
                                              : *kql_value_to_dyn(c->arena, &v);
        if (!dset_has(&g->seen, &tmp)) dset_add(&g->seen, kql_dyn_copy(c->arena, &tmp));
    }
}

static void cd_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    cd_update_impl(c, st, g, a, na, n, false);
}
static void cdif_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    cd_update_impl(c, st, g, a, na, n, true);
}

static void cd_merge(kql_aggctx *c, void *dst, const void *src) {
    cd_state *d = dst;
    const cd_state *s = src;
    if (!s->init) return;
    if (!d->init) {
        dset_init(&d->seen, c->arena, s->seen.n);
        d->init = true;
    }
    for (size_t i = 0; i < s->seen.cap; i++)
        if (s->seen.slots[i]) dset_add(&d->seen, s->seen.slots[i]);
}

static void cd_final(kql_aggctx *c, const void *state, kql_value *out, size_t nout) {
    (void)c, (void)nout;
    const cd_state *s = state;
    kql_set_long(out, s->init ? (int64_t)s->seen.n : 0);
}

static const kql_aggdef AGG_count_distinct = {sizeof(cd_state), cd_update, cd_merge, cd_final};
static const kql_aggdef AGG_count_distinctif = {sizeof(cd_state), cdif_update, cd_merge, cd_final};

#define AGG(nm, params, ret, def, col) {#nm, KQL_FN_AGG, params, ret, NULL, NULL, NULL, &AGG_##def, 0, col}
static const kql_fn FNS[] = {
    AGG(make_set, "a,i?", "dynamic", make_set, "set_"),
    AGG(makeset, "a,i?", "dynamic", makeset, "set_"),
    AGG(make_set_if, "a,b,i?", "dynamic", make_set_if, "set_"),
    AGG(make_list, "a,i?", "dynamic", make_list, "list_"),
    AGG(makelist, "a,i?", "dynamic", makelist, "list_"),
    AGG(make_list_if, "a,b,i?", "dynamic", make_list_if, "list_"),
    AGG(make_list_with_nulls, "a", "dynamic", make_list_with_nulls, "list_"),
    AGG(make_bag, "y,i?", "dynamic", make_bag, "bag_"),
    AGG(make_bag_if, "y,b,i?", "dynamic", make_bag_if, "bag_"),
    AGG(make_dictionary, "y,i?", "dynamic", make_dictionary, "dictionary_"),
    AGG(count_distinct, "a", "long", count_distinct, "count_distinct_"),
    AGG(count_distinctif, "a,b", "long", count_distinctif, "count_distinctif_"),
};

KQL_FN_TABLE(kql_fns_agg_sets, FNS);
