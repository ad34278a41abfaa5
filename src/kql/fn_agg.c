/* Basic aggregates: count/countif, sum/sumif, avg/avgif, min/max (and -if),
 * take_any/any (and -if), binary_all_*; states merge across threads. */
#include "fn_agg.h"

#include <math.h>

/* ---------------------------------------------------------------- helpers */

bool agg_pred(const kql_col *p, size_t i) {
    if (kql_col_isnull(p, i)) return false;
    size_t k = (p->flags & KQL_COL_CONST) ? 0 : i;
    if (p->type == KQL_BOOL) return p->v.b[k] != 0;
    kql_value v;
    bool b;
    kql_col_get(p, i, &v);
    return fa_bool(&v, &b) && b;
}

void agg_copy_value(sp_arena *a, const kql_value *v, kql_value *out) {
    *out = *v;
    if (v->type == KQL_STRING) out->u.s = (sp_str){sp_arena_strndup(a, v->u.s.p ? v->u.s.p : "", v->u.s.n), v->u.s.n};
    else if (v->type == KQL_DYNAMIC && !v->null) out->u.d = kql_dyn_copy(a, v->u.d);
}

void agg_set_out(kql_aggctx *c, const kql_value *v, kql_value *out) {
    kql_value cv;
    if (v->type != out->type && out->type != KQL_UNKNOWN) {
        kql_convert(c->arena, v, out->type, &cv);
        v = &cv;
    }
    kql_type t = out->type;
    *out = *v;
    if (t != KQL_UNKNOWN) out->type = t;
}

/* ------------------------------------------------------------------ count
 * count() : long, the rows of the group; count(predicate) (old form) and
 * countif(predicate) : the rows where the predicate is true. */
static void count_update(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nargs,
                         size_t n) {
    (void)c;
    int64_t *s = (int64_t *)states;
    if (nargs == 0) {
        for (size_t i = 0; i < n; i++) s[gids[i]]++;
        return;
    }
    const kql_col *p = args[0];
    if (p->type == KQL_BOOL && !(p->flags & KQL_COL_CONST) && !p->nulls) {
        for (size_t i = 0; i < n; i++) s[gids[i]] += p->v.b[i] != 0;
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (agg_pred(p, i)) s[gids[i]]++;
}

static void count_merge(kql_aggctx *c, void *dst, const void *src) {
    (void)c;
    *(int64_t *)dst += *(const int64_t *)src;
}

static void count_final(kql_aggctx *c, const void *state, kql_value *out, size_t nout) {
    (void)c, (void)nout;
    kql_set_long(out, *(const int64_t *)state);
}

static const kql_aggdef AGG_COUNT = {sizeof(int64_t), count_update, count_merge, count_final};

/* -------------------------------------------------------------------- sum
 * sum(x), sumif(x, predicate) : long for int/long, real, decimal or timespan
 * as the argument; nulls are skipped; a group without values gives null. */
typedef struct sum_state {
    int64_t i;             /* integer and timespan sums (wrapping like .NET unchecked) */
    long double r;         /* real and decimal sums */
    bool have;
} sum_state;

static bool summable(kql_type t) { return kql_type_is_numeric(t) || t == KQL_TIMESPAN || t == KQL_DYNAMIC; }

static kql_type bind_sum(kql_bindctx *b, kql_expr *call) {
    kql_type t = call->nargs ? call->args[0]->type : KQL_UNKNOWN;
    if (!summable(t) && t != KQL_UNKNOWN) {
        kql_bind_error(b, call->args[0], "type_mismatch", "%s() needs a number or a timespan, not %s",
                       call->fn ? call->fn->name : "sum", kql_type_name(t));
        return KQL_UNKNOWN;
    }
    if (t == KQL_INT || t == KQL_LONG) return KQL_LONG;
    if (t == KQL_DYNAMIC || t == KQL_UNKNOWN) return KQL_REAL;
    return t;
}

static void sum_add(sum_state *s, const kql_col *x, size_t i) {
    if (kql_col_isnull(x, i)) return;
    size_t k = (x->flags & KQL_COL_CONST) ? 0 : i;
    switch (x->type) {
    case KQL_INT: s->i = (int64_t)((uint64_t)s->i + (uint64_t)(int64_t)x->v.i32[k]); break;
    case KQL_LONG:
    case KQL_TIMESPAN: s->i = (int64_t)((uint64_t)s->i + (uint64_t)x->v.i64[k]); break;
    case KQL_REAL:
    case KQL_DECIMAL: s->r += x->v.f64[k]; break;
    default: {
        kql_value v;
        double r;
        kql_col_get(x, i, &v);
        if (!fa_real(&v, &r)) return;
        s->r += r;
        break;
    }
    }
    s->have = true;
}

static void sum_update(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nargs,
                       size_t n) {
    (void)c;
    sum_state *s = (sum_state *)states;
    const kql_col *x = args[0], *p = nargs > 1 ? args[1] : NULL;
    if (!p && x->type == KQL_LONG && !(x->flags & KQL_COL_CONST) && !x->nulls) {
        for (size_t i = 0; i < n; i++) {
            sum_state *g = &s[gids[i]];
            g->i = (int64_t)((uint64_t)g->i + (uint64_t)x->v.i64[i]);
            g->have = true;
        }
        return;
    }
    if (!p && x->type == KQL_REAL && !(x->flags & KQL_COL_CONST) && !x->nulls) {
        for (size_t i = 0; i < n; i++) {
            s[gids[i]].r += x->v.f64[i];
            s[gids[i]].have = true;
        }
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (!p || agg_pred(p, i)) sum_add(&s[gids[i]], x, i);
}

static void sum_merge(kql_aggctx *c, void *dst, const void *src) {
    (void)c;
    sum_state *d = dst;
    const sum_state *s = src;
    d->i = (int64_t)((uint64_t)d->i + (uint64_t)s->i);
    d->r += s->r;
    d->have |= s->have;
}

static void sum_final(kql_aggctx *c, const void *state, kql_value *out, size_t nout) {
    (void)c, (void)nout;
    const sum_state *s = state;
    if (!s->have) {
        kql_set_null(out);
        return;
    }
    if (out->type == KQL_REAL || out->type == KQL_DECIMAL) kql_set_real(out, (double)(s->r + (long double)s->i));
    else {
        int64_t r = 0;
        fn_d2i((double)s->r, &r);
        kql_set_long(out, (int64_t)((uint64_t)s->i + (uint64_t)r));
    }
}

static const kql_aggdef AGG_SUM = {sizeof(sum_state), sum_update, sum_merge, sum_final};

/* -------------------------------------------------------------------- avg
 * avg(x), avgif(x, predicate) : real for numbers (decimal for decimal), and
 * timespan / datetime for those; nulls skipped; no values gives null. */
typedef struct avg_state {
    long double sum;
    int64_t n;
} avg_state;

static kql_type bind_avg(kql_bindctx *b, kql_expr *call) {
    kql_type t = call->nargs ? call->args[0]->type : KQL_UNKNOWN;
    if (!summable(t) && t != KQL_DATETIME && t != KQL_UNKNOWN) {
        kql_bind_error(b, call->args[0], "type_mismatch", "%s() needs a number, timespan or datetime, not %s",
                       call->fn ? call->fn->name : "avg", kql_type_name(t));
        return KQL_UNKNOWN;
    }
    if (t == KQL_TIMESPAN || t == KQL_DATETIME || t == KQL_DECIMAL) return t;
    return KQL_REAL;
}

static void avg_update(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nargs,
                       size_t n) {
    (void)c;
    avg_state *s = (avg_state *)states;
    const kql_col *x = args[0], *p = nargs > 1 ? args[1] : NULL;
    for (size_t i = 0; i < n; i++) {
        if ((p && !agg_pred(p, i)) || kql_col_isnull(x, i)) continue;
        size_t k = (x->flags & KQL_COL_CONST) ? 0 : i;
        long double v;
        switch (x->type) {
        case KQL_INT: v = x->v.i32[k]; break;
        case KQL_LONG:
        case KQL_TIMESPAN:
        case KQL_DATETIME: v = (long double)x->v.i64[k]; break;
        case KQL_REAL:
        case KQL_DECIMAL: v = x->v.f64[k]; break;
        default: {
            kql_value xv;
            double r;
            kql_col_get(x, i, &xv);
            if (!fa_real(&xv, &r)) continue;
            v = r;
        }
        }
        s[gids[i]].sum += v;
        s[gids[i]].n++;
    }
}

static void avg_merge(kql_aggctx *c, void *dst, const void *src) {
    (void)c;
    avg_state *d = dst;
    const avg_state *s = src;
    d->sum += s->sum;
    d->n += s->n;
}

static void avg_final(kql_aggctx *c, const void *state, kql_value *out, size_t nout) {
    (void)c, (void)nout;
    const avg_state *s = state;
    if (!s->n) {
        kql_set_null(out);
        return;
    }
    long double m = s->sum / (long double)s->n;
    int64_t mi;
    if (out->type == KQL_TIMESPAN || out->type == KQL_DATETIME) {
        if (fn_d2i((double)roundl(m), &mi)) kql_set_long(out, mi);
        else kql_set_null(out);
    } else {
        kql_set_real(out, (double)m);
    }
}

static const kql_aggdef AGG_AVG = {sizeof(avg_state), avg_update, avg_merge, avg_final};

/* --------------------------------------------------------------- min, max
 * min(x), max(x), minif(x, p), maxif(x, p) : the type of x, over numbers,
 * datetimes, timespans, strings (ordinally), bools, guids and dynamic values;
 * nulls skipped. Strings are copied into the aggregate's arena. */
typedef struct mm_state {
    kql_value v;
    bool have;
} mm_state;

static void mm_update(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nargs, size_t n,
                      int sign) {
    mm_state *s = (mm_state *)states;
    const kql_col *x = args[0], *p = nargs > 1 ? args[1] : NULL;
    if (!p && !(x->flags & KQL_COL_CONST) &&
        (x->type == KQL_LONG || x->type == KQL_DATETIME || x->type == KQL_TIMESPAN)) {
        for (size_t i = 0; i < n; i++) {
            if (kql_col_isnull(x, i)) continue;
            mm_state *g = &s[gids[i]];
            int64_t v = x->v.i64[i];
            if (!g->have || (sign > 0 ? v > g->v.u.i : v < g->v.u.i)) {
                g->v.type = x->type;
                g->v.null = false;
                g->v.u.i = v;
                g->have = true;
            }
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (p && !agg_pred(p, i)) continue;
        kql_value v;
        kql_col_get(x, i, &v);
        if (fa_isnull(&v)) continue;
        if (v.type == KQL_REAL && isnan(v.u.r)) continue;
        mm_state *g = &s[gids[i]];
        if (!g->have || kql_value_cmp(&v, &g->v) * sign > 0) {
            agg_copy_value(c->arena, &v, &g->v);
            g->have = true;
        }
    }
}

static void min_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    mm_update(c, st, g, a, na, n, -1);
}
static void max_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    mm_update(c, st, g, a, na, n, 1);
}

static void mm_merge(void *dst, const void *src, int sign) {
    mm_state *d = dst;
    const mm_state *s = src;
    if (s->have && (!d->have || kql_value_cmp(&s->v, &d->v) * sign > 0)) *d = *s;
}
static void min_merge(kql_aggctx *c, void *dst, const void *src) {
    (void)c;
    mm_merge(dst, src, -1);
}
static void max_merge(kql_aggctx *c, void *dst, const void *src) {
    (void)c;
    mm_merge(dst, src, 1);
}

static void mm_final(kql_aggctx *c, const void *state, kql_value *out, size_t nout) {
    (void)nout;
    const mm_state *s = state;
    if (!s->have) {
        kql_set_null(out);
        if (out->type == KQL_STRING) kql_set_str(out, (sp_str){"", 0});
        return;
    }
    agg_set_out(c, &s->v, out);
}

/* Kusto accepts dynamic arguments too (they compare as their scalar values,
 * arrays and bags by their JSON text). */
static kql_type bind_minmax(kql_bindctx *b, kql_expr *call) {
    (void)b;
    kql_type t = call->nargs ? call->args[0]->type : KQL_UNKNOWN;
    return t == KQL_UNKNOWN ? KQL_DYNAMIC : t;
}

static const kql_aggdef AGG_MIN = {sizeof(mm_state), min_update, min_merge, mm_final};
static const kql_aggdef AGG_MAX = {sizeof(mm_state), max_update, max_merge, mm_final};

/* --------------------------------------------------------------- take_any
 * take_any(x1, x2, ...) : one record's values (nout = the arguments, each of
 * its argument's type). With a single argument a non-null, non-empty value
 * is preferred when the group has one. take_anyif(x, predicate) likewise
 * over the rows where the predicate holds. */
typedef struct any_state {
    kql_value *vals;
    uint32_t nvals;
    bool have, good;
} any_state;

static bool any_good(const kql_value *v) {
    if (v->type == KQL_STRING) return v->u.s.n > 0;
    return !v->null;
}

static void any_take(kql_aggctx *c, any_state *g, kql_col *const *args, size_t nvals, size_t i) {
    if (!g->vals) {
        g->vals = SP_NEWZ(c->arena, kql_value, nvals ? nvals : 1);
        g->nvals = (uint32_t)nvals;
    }
    for (size_t k = 0; k < nvals; k++) {
        kql_value v;
        kql_col_get(args[k], i, &v);
        agg_copy_value(c->arena, &v, &g->vals[k]);
    }
    g->have = true;
    g->good = nvals != 1 || any_good(&g->vals[0]);
}

static void any_update_impl(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nvals,
                            const kql_col *p, size_t n) {
    any_state *s = (any_state *)states;
    for (size_t i = 0; i < n; i++) {
        any_state *g = &s[gids[i]];
        if (g->good) continue;
        if (p && !agg_pred(p, i)) continue;
        if (g->have && nvals == 1) {
            kql_value v;
            kql_col_get(args[0], i, &v);
            if (!any_good(&v)) continue;
        }
        if (g->have && nvals != 1) continue;
        any_take(c, g, args, nvals, i);
    }
}

static void any_update(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nargs,
                       size_t n) {
    any_update_impl(c, states, gids, args, nargs, NULL, n);
}

static void anyif_update(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nargs,
                         size_t n) {
    any_update_impl(c, states, gids, args, nargs > 1 ? nargs - 1 : nargs, nargs > 1 ? args[nargs - 1] : NULL, n);
}

static void any_merge(kql_aggctx *c, void *dst, const void *src) {
    (void)c;
    any_state *d = dst;
    const any_state *s = src;
    if (s->have && (!d->have || (!d->good && s->good))) *d = *s;
}

static void any_final(kql_aggctx *c, const void *state, kql_value *out, size_t nout) {
    const any_state *s = state;
    for (size_t k = 0; k < (nout ? nout : 1); k++) {
        if (!s->have || k >= s->nvals) {
            kql_set_null(&out[k]);
            if (out[k].type == KQL_STRING) kql_set_str(&out[k], (sp_str){"", 0});
            continue;
        }
        agg_set_out(c, &s->vals[k], &out[k]);
    }
}

static const kql_aggdef AGG_ANY = {sizeof(any_state), any_update, any_merge, any_final};
static const kql_aggdef AGG_ANYIF = {sizeof(any_state), anyif_update, any_merge, any_final};

/* -------------------------------------------------------- binary_all_*
 * binary_all_and / binary_all_or / binary_all_xor (x) : long, the bitwise
 * combination of the group's non-null values (null when there are none). */
typedef struct bits_state {
    int64_t v;
    bool have;
} bits_state;

static void bits_update(char *states, const uint32_t *gids, const kql_col *x, size_t n, int op) {
    bits_state *s = (bits_state *)states;
    for (size_t i = 0; i < n; i++) {
        kql_value v;
        int64_t k;
        kql_col_get(x, i, &v);
        if (!fa_long(&v, &k)) continue;
        bits_state *g = &s[gids[i]];
        if (!g->have) g->v = k;
        else g->v = op == 0 ? g->v & k : op == 1 ? g->v | k : g->v ^ k;
        g->have = true;
    }
}
static void and_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    (void)c, (void)na;
    bits_update(st, g, a[0], n, 0);
}
static void or_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    (void)c, (void)na;
    bits_update(st, g, a[0], n, 1);
}
static void xor_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    (void)c, (void)na;
    bits_update(st, g, a[0], n, 2);
}
static void bits_merge(void *dst, const void *src, int op) {
    bits_state *d = dst;
    const bits_state *s = src;
    if (!s->have) return;
    if (!d->have) *d = *s;
    else d->v = op == 0 ? d->v & s->v : op == 1 ? d->v | s->v : d->v ^ s->v;
}
static void and_merge(kql_aggctx *c, void *d, const void *s) {
    (void)c;
    bits_merge(d, s, 0);
}
static void or_merge(kql_aggctx *c, void *d, const void *s) {
    (void)c;
    bits_merge(d, s, 1);
}
static void xor_merge(kql_aggctx *c, void *d, const void *s) {
    (void)c;
    bits_merge(d, s, 2);
}
static void bits_final(kql_aggctx *c, const void *state, kql_value *out, size_t nout) {
    (void)c, (void)nout;
    const bits_state *s = state;
    if (!s->have) kql_set_null(out);
    else kql_set_long(out, s->v);
}
static const kql_aggdef AGG_AND = {sizeof(bits_state), and_update, and_merge, bits_final};
static const kql_aggdef AGG_OR = {sizeof(bits_state), or_update, or_merge, bits_final};
static const kql_aggdef AGG_XOR = {sizeof(bits_state), xor_update, xor_merge, bits_final};

#define AGG(nm, params, ret, bind, def, flags, col) {nm, KQL_FN_AGG, params, ret, bind, NULL, NULL, &def, flags, col}
static const kql_fn FNS[] = {
    AGG("count", "b?", "long", NULL, AGG_COUNT, 0, "count_"),
    AGG("countif", "b", "long", NULL, AGG_COUNT, 0, "countif_"),
    AGG("sum", "a", NULL, bind_sum, AGG_SUM, 0, "sum_"),
    AGG("sumif", "a,b", NULL, bind_sum, AGG_SUM, 0, "sumif_"),
    AGG("avg", "a", NULL, bind_avg, AGG_AVG, 0, "avg_"),
    AGG("avgif", "a,b", NULL, bind_avg, AGG_AVG, 0, "avgif_"),
    AGG("min", "a", NULL, bind_minmax, AGG_MIN, 0, "min_"),
    AGG("max", "a", NULL, bind_minmax, AGG_MAX, 0, "max_"),
    AGG("minif", "a,b", NULL, bind_minmax, AGG_MIN, 0, "minif_"),
    AGG("maxif", "a,b", NULL, bind_minmax, AGG_MAX, 0, "maxif_"),
    AGG("take_any", "a,a*", "=0", NULL, AGG_ANY, KQL_FNF_NULLS_IN, ""),
    AGG("any", "a,a*", "=0", NULL, AGG_ANY, KQL_FNF_NULLS_IN, "any_"),
    AGG("take_anyif", "a,b", "=0", NULL, AGG_ANYIF, KQL_FNF_NULLS_IN, ""),
    AGG("anyif", "a,b", "=0", NULL, AGG_ANYIF, KQL_FNF_NULLS_IN, "anyif_"),
    AGG("binary_all_and", "i", "long", NULL, AGG_AND, 0, ""),
    AGG("binary_all_or", "i", "long", NULL, AGG_OR, 0, ""),
    AGG("binary_all_xor", "i", "long", NULL, AGG_XOR, 0, ""),
};

KQL_FN_TABLE(kql_fns_agg, FNS);
