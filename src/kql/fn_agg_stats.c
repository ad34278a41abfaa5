/* Statistical aggregates: stdev/variance (sample, population, -if) through
 * Welford's method, and exact nearest-rank percentiles (plain and weighted). */
#include "fn_agg.h"

#include <math.h>
#include <stdlib.h>

/* ------------------------------------------------------- stdev, variance
 * stdev/variance use the sample formulas (n - 1), stdevp/variancep the
 * population ones (n); a group with one value gives 0, none gives null.
 * Partial states combine with Chan et al.'s parallel update. */
typedef struct moment_state {
    double n, mean, m2;
} moment_state;

static void moment_update(char *states, const uint32_t *gids, kql_col *const *args, size_t nargs, size_t n,
                          bool pred) {
    moment_state *s = (moment_state *)states;
    const kql_col *x = args[0], *p = pred && nargs > 1 ? args[1] : NULL;
    for (size_t i = 0; i < n; i++) {
        if (p && !agg_pred(p, i)) continue;
        kql_value v;
        double r;
        kql_col_get(x, i, &v);
        if (!fa_real(&v, &r) || isnan(r)) continue;
        moment_state *g = &s[gids[i]];
        g->n += 1;
        double d = r - g->mean;
        g->mean += d / g->n;
        g->m2 += d * (r - g->mean);
    }
}

static void mom_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    (void)c;
    moment_update(st, g, a, na, n, false);
}
static void momif_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    (void)c;
    moment_update(st, g, a, na, n, true);
}

static void mom_merge(kql_aggctx *c, void *dst, const void *src) {
    (void)c;
    moment_state *d = dst;
    const moment_state *s = src;
    if (s->n == 0) return;
    if (d->n == 0) {
        *d = *s;
        return;
    }
    double n = d->n + s->n, delta = s->mean - d->mean;
    d->m2 += s->m2 + delta * delta * d->n * s->n / n;
    d->mean += delta * s->n / n;
    d->n = n;
}

static void mom_out(const void *state, kql_value *out, bool sample, bool root) {
    const moment_state *s = state;
    if (s->n == 0) {
        kql_set_null(out);
        return;
    }
    double var = s->n <= 1 ? 0 : s->m2 / (sample ? s->n - 1 : s->n);
    if (var < 0) var = 0;
    kql_set_real(out, root ? sqrt(var) : var);
}

static void stdev_final(kql_aggctx *c, const void *s, kql_value *o, size_t n) {
    (void)c, (void)n;
    mom_out(s, o, true, true);
}
static void stdevp_final(kql_aggctx *c, const void *s, kql_value *o, size_t n) {
    (void)c, (void)n;
    mom_out(s, o, false, true);
}
static void variance_final(kql_aggctx *c, const void *s, kql_value *o, size_t n) {
    (void)c, (void)n;
    mom_out(s, o, true, false);
}
static void variancep_final(kql_aggctx *c, const void *s, kql_value *o, size_t n) {
    (void)c, (void)n;
    mom_out(s, o, false, false);
}

static const kql_aggdef AGG_STDEV = {sizeof(moment_state), mom_update, mom_merge, stdev_final};
static const kql_aggdef AGG_STDEVIF = {sizeof(moment_state), momif_update, mom_merge, stdev_final};
static const kql_aggdef AGG_STDEVP = {sizeof(moment_state), mom_update, mom_merge, stdevp_final};
static const kql_aggdef AGG_VARIANCE = {sizeof(moment_state), mom_update, mom_merge, variance_final};
static const kql_aggdef AGG_VARIANCEIF = {sizeof(moment_state), momif_update, mom_merge, variance_final};
static const kql_aggdef AGG_VARIANCEP = {sizeof(moment_state), mom_update, mom_merge, variancep_final};
static const kql_aggdef AGG_VARIANCEPIF = {sizeof(moment_state), momif_update, mom_merge, variancep_final};

/* ------------------------------------------------------------ percentiles
 * Exact over the collected values, by nearest rank: the P-th percentile
 * (0 < P <= 100) of n sorted values is the value at rank ceil(P/100 * n);
 * P = 0 is the minimum. Weighted forms count each value `weight` times.
 * Values of integer kinds (int, long, datetime, timespan) are kept as
 * integers, others as reals. (Kusto estimates with t-digest; exact results
 * are within its documented error.) */
typedef struct pct_state {
    bool ints;
    bool init;
    size_t n, cap;
    union {
        int64_t *i;
        double *r;
    } v;
    int64_t *w;            /* weights, for percentilew/percentilesw */
} pct_state;

static bool int_kind(kql_type t) {
    return t == KQL_INT || t == KQL_LONG || t == KQL_DATETIME || t == KQL_TIMESPAN;
}

static void pct_push(kql_aggctx *c, pct_state *g, const kql_value *v, int64_t weight, bool weighted) {
    if (g->n == g->cap) {
        size_t nc = g->cap ? g->cap * 2 : 8;
        g->v.i = sp_arena_realloc(c->arena, g->v.i, g->cap * 8, nc * 8);
        if (weighted) g->w = sp_arena_realloc(c->arena, g->w, g->cap * 8, nc * 8);
        g->cap = nc;
    }
    if (g->ints) g->v.i[g->n] = v->u.i;
    else {
        double r;
        if (!fa_real(v, &r) || isnan(r)) return;
        g->v.r[g->n] = r;
    }
    if (weighted) g->w[g->n] = weight;
    g->n++;
}

static void pct_update_impl(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nargs,
                            size_t n, bool weighted) {
    pct_state *s = (pct_state *)states;
    const kql_col *x = args[0], *wc = weighted && nargs > 1 ? args[1] : NULL;
    bool ints = int_kind(x->type);
    for (size_t i = 0; i < n; i++) {
        kql_value v;
        kql_col_get(x, i, &v);
        if (fa_isnull(&v)) continue;
        int64_t w = 1;
        if (wc) {
            kql_value wv;
            kql_col_get(wc, i, &wv);
            if (!fa_long(&wv, &w) || w <= 0) continue;
        }
        pct_state *g = &s[gids[i]];
        if (!g->init) {
            g->init = true;
            g->ints = ints;
        }
        pct_push(c, g, &v, w, weighted);
    }
}

static void pct_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    pct_update_impl(c, st, g, a, na, n, false);
}
static void pctw_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    pct_update_impl(c, st, g, a, na, n, true);
}

static void pct_merge_impl(kql_aggctx *c, void *dst, const void *src, bool weighted) {
    pct_state *d = dst;
    const pct_state *s = src;
    if (!s->init) return;
    if (!d->init) {
        d->init = true;
        d->ints = s->ints;
    }
    size_t need = d->n + s->n;
    if (need > d->cap) {
        d->v.i = sp_arena_realloc(c->arena, d->v.i, d->cap * 8, need * 8);
        if (weighted) d->w = sp_arena_realloc(c->arena, d->w, d->cap * 8, need * 8);
        d->cap = need;
    }
    memcpy(d->v.i + d->n, s->v.i, s->n * 8);
    if (weighted) memcpy(d->w + d->n, s->w, s->n * 8);
    d->n = need;
}

static void pct_merge(kql_aggctx *c, void *dst, const void *src) { pct_merge_impl(c, dst, src, false); }
static void pctw_merge(kql_aggctx *c, void *dst, const void *src) { pct_merge_impl(c, dst, src, true); }

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}
static int cmp_f64(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct pair {
    union {
        int64_t i;
        double r;
    } v;
    int64_t w;
} pair;
static int cmp_pair_i(const void *a, const void *b) { return cmp_i64(&((const pair *)a)->v.i, &((const pair *)b)->v.i); }
static int cmp_pair_r(const void *a, const void *b) { return cmp_f64(&((const pair *)a)->v.r, &((const pair *)b)->v.r); }

/* The percentile values a call asks for: constant arguments from `first` on,
 * or the items of a constant dynamic array there. */
static size_t pct_wanted(const kql_expr *call, size_t first, double *out, size_t max) {
    size_t k = 0;
    if (!call) return 0;
    for (uint32_t i = (uint32_t)first; i < call->nargs && k < max; i++) {
        kql_value v;
        if (!fb_const(call, i, &v)) continue;
        if (v.type == KQL_DYNAMIC && v.u.d && v.u.d->kind == KQL_DYN_ARRAY) {
            for (uint32_t j = 0; j < v.u.d->n && k < max; j++) {
                kql_value e;
                double r;
                kql_dyn_to_value(&v.u.d->u.items[j], &e);
                if (fa_real(&e, &r)) out[k++] = r;
            }
            continue;
        }
        double r;
        if (fa_real(&v, &r)) out[k++] = r;
    }
    return k;
}

/* rank (1-based) of percentile p among `total` (weighted) values */
static int64_t pct_rank(double p, int64_t total) {
    if (p <= 0) return 1;
    if (p >= 100) return total;
    double r = ceil(p / 100.0 * (double)total);
    int64_t k = total;
    fn_d2i(r, &k);
    return k < 1 ? 1 : k > total ? total : k;
}

/* sorts the state's values once and fills want[] with the picked values */
static void pct_pick(pct_state *s, bool weighted, const double *want, size_t nw, kql_value *picked) {
    if (!weighted) {
        if (s->ints) qsort(s->v.i, s->n, 8, cmp_i64);
        else qsort(s->v.r, s->n, 8, cmp_f64);
        for (size_t k = 0; k < nw; k++) {
            int64_t r = pct_rank(want[k], (int64_t)s->n) - 1;
            memset(&picked[k], 0, sizeof picked[k]);
            if (s->ints) picked[k].type = KQL_LONG, picked[k].u.i = s->v.i[r];
            else picked[k].type = KQL_REAL, picked[k].u.r = s->v.r[r];
        }
        return;
    }
    pair *pr = sp_malloc(s->n * sizeof(pair));
    int64_t total = 0;
    for (size_t i = 0; i < s->n; i++) {
        pr[i].v.i = s->v.i[i];
        pr[i].w = s->w[i];
        total = total > INT64_MAX - pr[i].w ? INT64_MAX : total + pr[i].w;
    }
    qsort(pr, s->n, sizeof(pair), s->ints ? cmp_pair_i : cmp_pair_r);
    for (size_t k = 0; k < nw; k++) {
        int64_t rank = pct_rank(want[k], total), cum = 0;
        size_t i = 0;
        for (; i + 1 < s->n; i++) {
            cum = cum > INT64_MAX - pr[i].w ? INT64_MAX : cum + pr[i].w;
            if (cum >= rank) break;
        }
        memset(&picked[k], 0, sizeof picked[k]);
        if (s->ints) picked[k].type = KQL_LONG, picked[k].u.i = pr[i].v.i;
        else picked[k].type = KQL_REAL, picked[k].u.r = pr[i].v.r;
    }
    free(pr);
}

#define PCT_MAX 256
static void pct_final_impl(kql_aggctx *c, const void *state, kql_value *out, size_t nout, bool weighted,
                           bool as_array) {
    pct_state *s = (pct_state *)state;
    double want[PCT_MAX];
    size_t nw = pct_wanted(c->call, weighted ? 2 : 1, want, PCT_MAX);
    kql_value picked[PCT_MAX];
    bool have = s->init && s->n > 0;
    if (have) pct_pick(s, weighted, want, nw, picked);
    if (as_array) {
        if (!have) {
            kql_set_null(out);
            return;
        }
        fn_arr arr;
        arr_init(&arr, c->arena, nw + 1);
        for (size_t k = 0; k < nw; k++)
            arr_push(&arr, s->ints ? dyn_long(picked[k].u.i) : dyn_real(picked[k].u.r));
        fn_set_dyn(out, arr_done(&arr));
        return;
    }
    for (size_t k = 0; k < nout; k++) {
        if (!have || k >= nw) {
            kql_set_null(&out[k]);
            continue;
        }
        agg_set_out(c, &picked[k], &out[k]);
    }
}

static void pct_final(kql_aggctx *c, const void *s, kql_value *o, size_t n) { pct_final_impl(c, s, o, n, false, false); }
static void pctw_final(kql_aggctx *c, const void *s, kql_value *o, size_t n) { pct_final_impl(c, s, o, n, true, false); }
static void pcta_final(kql_aggctx *c, const void *s, kql_value *o, size_t n) { pct_final_impl(c, s, o, n, false, true); }
static void pctwa_final(kql_aggctx *c, const void *s, kql_value *o, size_t n) { pct_final_impl(c, s, o, n, true, true); }

static const kql_aggdef AGG_PCT = {sizeof(pct_state), pct_update, pct_merge, pct_final};
static const kql_aggdef AGG_PCTW = {sizeof(pct_state), pctw_update, pctw_merge, pctw_final};
static const kql_aggdef AGG_PCTA = {sizeof(pct_state), pct_update, pct_merge, pcta_final};
static const kql_aggdef AGG_PCTWA = {sizeof(pct_state), pctw_update, pctw_merge, pctwa_final};

/* percentile(x, p...) : int gives long, decimal gives real, other types stay;
 * the percentiles themselves must be constants in 0..100 */
static kql_type bind_pct(kql_bindctx *b, kql_expr *call) {
    uint32_t first = call->fn && (strcmp(call->fn->name, "percentilew") == 0 || strcmp(call->fn->name, "percentilesw") == 0 ||
                                  strcmp(call->fn->name, "percentilesw_array") == 0)
                         ? 2
                         : 1;
    for (uint32_t i = first; i < call->nargs; i++) {
        kql_value v;
        double r;
        if (!fb_const(call, i, &v)) {
            kql_bind_error(b, call->args[i], "bad_argument", "percentiles must be constants");
            return KQL_UNKNOWN;
        }
        if (v.type == KQL_DYNAMIC) continue;
        if (!fa_real(&v, &r) || r < 0 || r > 100) {
            kql_bind_error(b, call->args[i], "bad_argument", "a percentile must be a number from 0 to 100");
            return KQL_UNKNOWN;
        }
    }
    if (call->fn && strstr(call->fn->name, "_array")) return KQL_DYNAMIC;
    kql_type t = call->nargs ? call->args[0]->type : KQL_UNKNOWN;
    if (t == KQL_INT) return KQL_LONG;
    if (t == KQL_DECIMAL || t == KQL_DYNAMIC || t == KQL_UNKNOWN) return KQL_REAL;
    if (t == KQL_STRING || t == KQL_BOOL || t == KQL_GUID) {
        kql_bind_error(b, call->args[0], "type_mismatch", "percentiles need numbers, datetimes or timespans, not %s",
                       kql_type_name(t));
        return KQL_UNKNOWN;
    }
    return t;
}

#define AGG(nm, params, ret, bind, def, col) {nm, KQL_FN_AGG, params, ret, bind, NULL, NULL, &def, 0, col}
static const kql_fn FNS[] = {
    AGG("stdev", "n", "real", NULL, AGG_STDEV, "stdev_"),
    AGG("stdevif", "n,b", "real", NULL, AGG_STDEVIF, "stdevif_"),
    AGG("stdevp", "n", "real", NULL, AGG_STDEVP, "stdevp_"),
    AGG("variance", "n", "real", NULL, AGG_VARIANCE, "variance_"),
    AGG("varianceif", "n,b", "real", NULL, AGG_VARIANCEIF, "varianceif_"),
    AGG("variancep", "n", "real", NULL, AGG_VARIANCEP, "variancep_"),
    AGG("variancepif", "n,b", "real", NULL, AGG_VARIANCEPIF, "variancepif_"),
    AGG("percentile", "a,n", NULL, bind_pct, AGG_PCT, "percentile_"),
    AGG("percentiles", "a,n,n*", NULL, bind_pct, AGG_PCT, "percentile_"),
    AGG("percentiles_array", "a,a,n*", NULL, bind_pct, AGG_PCTA, "percentiles_"),
    AGG("percentilew", "a,i,n", NULL, bind_pct, AGG_PCTW, "percentile_"),
    AGG("percentilesw", "a,i,n,n*", NULL, bind_pct, AGG_PCTW, "percentile_"),
    AGG("percentilesw_array", "a,i,a,n*", NULL, bind_pct, AGG_PCTWA, "percentiles_"),
};

KQL_FN_TABLE(kql_fns_agg_stats, FNS);
