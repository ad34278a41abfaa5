/* HyperLogLog distinct counting: dcount/dcountif, hll/hll_if/hll_merge and
 * dcount_hll, with Kusto's accuracy levels and an exact sparse mode. */
#include "fn_agg.h"

#include <math.h>
#include <stdlib.h>

/* Accuracy levels as Kusto documents them: 0..4 map to 2^12, 2^14, 2^16,
 * 2^17, 2^18 one-byte registers (about 1.6%, 0.8%, 0.4%, 0.28%, 0.2% error);
 * the default is 1. A sketch starts sparse: it keeps the distinct 64-bit
 * hashes themselves (exact up to 2^p / 8 values: 2048 at the default, 8192 at
 * level 2) and turns dense past that. Sparse sketches cost little, so
 * thousands of groups stay small. Estimates use Ertl's improved raw
 * estimator (no empirical bias tables). */
static const uint8_t LEVEL_P[5] = {12, 14, 16, 17, 18};
#define HLL_DEFAULT_LEVEL 1

typedef struct kql_hll {
    uint8_t p;             /* 0: nothing added yet */
    bool dense;
    uint32_t n, cap;       /* sparse: distinct hashes held, slots */
    uint64_t *h;           /* sparse: open-addressing set (0 = empty) */
    uint8_t *reg;          /* dense: 2^p registers */
} kql_hll;

static uint32_t sparse_limit(uint8_t p) { return 1u << (p - 3); }

static void hll_reg_add(kql_hll *s, uint64_t h) {
    uint32_t idx = (uint32_t)(h >> (64 - s->p));
    uint64_t w = h << s->p;
    uint8_t rho = w == 0 ? (uint8_t)(64 - s->p + 1) : (uint8_t)(__builtin_clzll(w) + 1);
    if (rho > s->reg[idx]) s->reg[idx] = rho;
}

static void hll_to_dense(sp_arena *a, kql_hll *s) {
    s->reg = SP_NEWZ(a, uint8_t, (size_t)1 << s->p);
    for (uint32_t i = 0; i < s->cap; i++)
        if (s->h[i]) hll_reg_add(s, s->h[i]);
    s->dense = true;
    s->h = NULL;
    s->n = s->cap = 0;
}

static void sparse_insert(kql_hll *s, uint64_t h) {
    uint32_t mask = s->cap - 1, i = (uint32_t)(h ^ (h >> 32)) & mask;
    while (s->h[i]) {
        if (s->h[i] == h) return;
        i = (i + 1) & mask;
    }
    s->h[i] = h;
    s->n++;
}

static void hll_init(kql_hll *s, uint8_t p) {
    memset(s, 0, sizeof *s);
    s->p = p;
}

static void hll_add(sp_arena *a, kql_hll *s, uint64_t h) {
    if (h == 0) h = 0x9E3779B97F4A7C15ULL; /* 0 marks an empty slot */
    if (s->dense) {
        hll_reg_add(s, h);
        return;
    }
    if ((s->n + 1) * 2 > s->cap) {
        if (s->n + 1 > sparse_limit(s->p)) {
            hll_to_dense(a, s);
            hll_reg_add(s, h);
            return;
        }
        uint32_t nc = s->cap ? s->cap * 2 : 8;
        uint64_t *old = s->h;
        uint32_t oc = s->cap;
        s->h = SP_NEWZ(a, uint64_t, nc);
        s->cap = nc;
        s->n = 0;
        for (uint32_t i = 0; i < oc; i++)
            if (old[i]) sparse_insert(s, old[i]);
    }
    sparse_insert(s, h);
}

/* Lowers a dense sketch's precision to p (merging sketches of two levels). */
static void hll_fold(sp_arena *a, kql_hll *s, uint8_t p) {
    if (!s->dense) {
        uint64_t *old = s->h;
        uint32_t oc = s->cap;
        hll_init(s, p);
        for (uint32_t i = 0; i < oc; i++)
            if (old[i]) hll_add(a, s, old[i]);
        return;
    }
    uint8_t *nr = SP_NEWZ(a, uint8_t, (size_t)1 << p);
    uint32_t shift = s->p - p, m = 1u << s->p;
    for (uint32_t i = 0; i < m; i++) {
        if (!s->reg[i]) continue;
        uint32_t low = i & ((1u << shift) - 1), idx = i >> shift;
        uint8_t r = low ? (uint8_t)(__builtin_clz(low) - (32 - shift) + 1) : (uint8_t)(shift + s->reg[i]);
        if (r > nr[idx]) nr[idx] = r;
    }
    s->reg = nr;
    s->p = p;
}

/* merges src into dst (dst may be empty) */
static void hll_merge_into(sp_arena *a, kql_hll *d, const kql_hll *src) {
    if (!src->p) return;
    kql_hll s = *src;
    if (!d->p) {
        hll_init(d, s.p);
    }
    if (s.p != d->p) {
        if (s.p > d->p) {
            /* fold a copy of the source down */
            if (s.dense) {
                uint8_t *copy = SP_NEWN(a, uint8_t, (size_t)1 << s.p);
                memcpy(copy, s.reg, (size_t)1 << s.p);
                s.reg = copy;
            }
            hll_fold(a, &s, d->p);
        } else {
            hll_fold(a, d, s.p);
        }
    }
    if (s.dense) {
        if (!d->dense) hll_to_dense(a, d);
        uint32_t m = 1u << d->p;
        for (uint32_t i = 0; i < m; i++)
            if (s.reg[i] > d->reg[i]) d->reg[i] = s.reg[i];
        return;
    }
    for (uint32_t i = 0; i < s.cap; i++)
        if (s.h[i]) hll_add(a, d, s.h[i]);
}

static double sigma(double x) {
    if (x == 1) return INFINITY;
    double y = 1, z = x, zp;
    do {
        x *= x;
        zp = z;
        z += x * y;
        y += y;
    } while (z != zp);
    return z;
}

static double tau(double x) {
    if (x == 0 || x == 1) return 0;
    double y = 1, z = 1 - x, zp;
    do {
        x = sqrt(x);
        zp = z;
        y *= 0.5;
        z -= (1 - x) * (1 - x) * y;
    } while (z != zp);
    return z / 3;
}

static int64_t hll_estimate(const kql_hll *s) {
    if (!s->p) return 0;
    if (!s->dense) return s->n;
    uint32_t m = 1u << s->p, q = 64 - s->p;
    uint32_t cnt[66] = {0};
    for (uint32_t i = 0; i < m; i++) cnt[s->reg[i] <= q + 1 ? s->reg[i] : q + 1]++;
    double z = (double)m * tau(1.0 - (double)cnt[q + 1] / m);
    for (uint32_t k = q; k >= 1; k--) z = 0.5 * (z + cnt[k]);
    z += (double)m * sigma((double)cnt[0] / m);
    double est = (double)m * m / (2.0 * log(2.0)) / z;
    int64_t r = 0;
    fn_d2i(round(est), &r);
    return r;
}

/* ------------------------------------------------------- serialized form
 * hll() returns [[limit, p], [hashes...], []] while sparse (the exact hashes
 * as longs) and [[limit, p], [], "<base64 of the 2^p registers>"] once dense.
 * Anything else given to hll_merge/dcount_hll is skipped as invalid. */
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static const kql_dyn *hll_to_dyn(sp_arena *a, const kql_hll *s) {
    uint8_t p = s->p ? s->p : LEVEL_P[HLL_DEFAULT_LEVEL];
    fn_arr top, head, sp;
    arr_init(&top, a, 3);
    arr_init(&head, a, 2);
    arr_push(&head, dyn_long(sparse_limit(p)));
    arr_push(&head, dyn_long(p));
    arr_push(&top, *arr_done(&head));
    arr_init(&sp, a, s->dense ? 1 : s->n + 1);
    if (!s->dense)
        for (uint32_t i = 0; i < s->cap; i++)
            if (s->h[i]) arr_push(&sp, dyn_long((int64_t)s->h[i]));
    arr_push(&top, *arr_done(&sp));
    if (s->dense) {
        size_t m = (size_t)1 << p, k = 0;
        char *t = sp_arena_alloc(a, (m + 2) / 3 * 4 + 1);
        const uint8_t *r = s->reg;
        size_t i = 0;
        for (; i + 3 <= m; i += 3) {
            uint32_t v = ((uint32_t)r[i] << 16) | ((uint32_t)r[i + 1] << 8) | r[i + 2];
            t[k++] = B64[v >> 18], t[k++] = B64[(v >> 12) & 63], t[k++] = B64[(v >> 6) & 63], t[k++] = B64[v & 63];
        }
        if (m - i == 1) {
            uint32_t v = (uint32_t)r[i] << 16;
            t[k++] = B64[v >> 18], t[k++] = B64[(v >> 12) & 63], t[k++] = '=', t[k++] = '=';
        } else if (m - i == 2) {
            uint32_t v = ((uint32_t)r[i] << 16) | ((uint32_t)r[i + 1] << 8);
            t[k++] = B64[v >> 18], t[k++] = B64[(v >> 12) & 63], t[k++] = B64[(v >> 6) & 63], t[k++] = '=';
        }
        arr_push(&top, dyn_str_ref(t, k));
    } else {
        fn_arr empty;
        arr_init(&empty, a, 1);
        arr_push(&top, *arr_done(&empty));
    }
    return arr_done(&top);
}

static int b64v(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* parses a serialized sketch (validating it) into s */
static bool hll_from_dyn(sp_arena *a, const kql_dyn *d, kql_hll *s) {
    if (!d || d->kind != KQL_DYN_ARRAY || d->n != 3) return false;
    const kql_dyn *head = &d->u.items[0], *sp = &d->u.items[1], *dn = &d->u.items[2];
    if (head->kind != KQL_DYN_ARRAY || head->n != 2 || head->u.items[1].kind != KQL_DYN_LONG) return false;
    int64_t p = head->u.items[1].u.i;
    if (p < 12 || p > 18 || sp->kind != KQL_DYN_ARRAY) return false;
    hll_init(s, (uint8_t)p);
    if (dn->kind == KQL_DYN_STRING) {
        size_t m = (size_t)1 << p;
        if (dn->n != (m + 2) / 3 * 4) return false;
        s->reg = SP_NEWZ(a, uint8_t, m + 3);
        size_t k = 0;
        for (uint32_t i = 0; i + 4 <= dn->n; i += 4) {
            int v0 = b64v(dn->u.s[i]), v1 = b64v(dn->u.s[i + 1]);
            int v2 = dn->u.s[i + 2] == '=' ? 0 : b64v(dn->u.s[i + 2]), v3 = dn->u.s[i + 3] == '=' ? 0 : b64v(dn->u.s[i + 3]);
            if (v0 < 0 || v1 < 0 || v2 < 0 || v3 < 0) return false;
            uint32_t v = ((uint32_t)v0 << 18) | ((uint32_t)v1 << 12) | ((uint32_t)v2 << 6) | (uint32_t)v3;
            s->reg[k++] = (uint8_t)(v >> 16);
            s->reg[k++] = (uint8_t)(v >> 8);
            s->reg[k++] = (uint8_t)v;
        }
        for (size_t i = 0; i < m; i++)
            if (s->reg[i] > 64 - p + 1) return false;
        s->dense = true;
        return true;
    }
    if (dn->kind != KQL_DYN_ARRAY) return false;
    for (uint32_t i = 0; i < sp->n; i++) {
        if (sp->u.items[i].kind != KQL_DYN_LONG) return false;
        hll_add(a, s, (uint64_t)sp->u.items[i].u.i);
    }
    return true;
}

/* --------------------------------------------------------------- hashing
 * Values hash with xxHash64 (kql_value_xxh64). A dictionary-encoded string
 * column hashes each distinct string once per batch. */
typedef struct hll_aux {
    uint8_t p;
} hll_aux;

static uint8_t call_p(const kql_aggctx *c, size_t acc_arg) {
    const hll_aux *x = c->call ? c->call->aux : NULL;
    if (x && x->p) return x->p;
    (void)acc_arg;
    return LEVEL_P[HLL_DEFAULT_LEVEL];
}

static kql_type bind_accuracy(kql_bindctx *b, kql_expr *call, uint32_t acc_arg, kql_type ret) {
    hll_aux *x = SP_NEW(b->arena, hll_aux);
    x->p = LEVEL_P[HLL_DEFAULT_LEVEL];
    if (acc_arg < call->nargs) {
        kql_value v;
        int64_t lvl;
        if (!fb_const(call, acc_arg, &v) || !fa_long(&v, &lvl) || lvl < 0 || lvl > 4) {
            kql_bind_error(b, call->args[acc_arg], "bad_argument", "accuracy must be a constant from 0 to 4");
            return KQL_UNKNOWN;
        }
        x->p = LEVEL_P[lvl];
    }
    call->aux = x;
    return ret;
}

static kql_type bind_dcount(kql_bindctx *b, kql_expr *call) { return bind_accuracy(b, call, 1, KQL_LONG); }
static kql_type bind_dcountif(kql_bindctx *b, kql_expr *call) { return bind_accuracy(b, call, 2, KQL_LONG); }
static kql_type bind_hll(kql_bindctx *b, kql_expr *call) { return bind_accuracy(b, call, 1, KQL_DYNAMIC); }
static kql_type bind_hll_if(kql_bindctx *b, kql_expr *call) { return bind_accuracy(b, call, 2, KQL_DYNAMIC); }

static void dc_update_impl(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nargs,
                           size_t n, bool pred) {
    kql_hll *s = (kql_hll *)states;
    const kql_col *x = args[0], *p = pred && nargs > 1 ? args[1] : NULL;
    uint8_t prec = call_p(c, pred ? 2 : 1);
    const uint64_t *dict_h = NULL;
    if (x->type == KQL_STRING && (x->flags & KQL_COL_DICT) && !(x->flags & KQL_COL_CONST) && x->dict->n <= n) {
        uint64_t *dh = SP_NEWN(c->arena, uint64_t, x->dict->n ? x->dict->n : 1);
        for (uint32_t e = 0; e < x->dict->n; e++) dh[e] = kql_xxh64(x->dict->s[e].p, x->dict->s[e].n, 0);
        dict_h = dh;
    }
    if (!p && !dict_h && !(x->flags & KQL_COL_CONST) &&
        (x->type == KQL_LONG || x->type == KQL_TIMESPAN || x->type == KQL_INT)) {
        /* integer columns: hash the values directly (as kql_value_xxh64 does) */
        for (size_t i = 0; i < n; i++) {
            if (kql_col_isnull(x, i)) continue;
            int64_t v = x->type == KQL_INT ? x->v.i32[i] : x->v.i64[i];
            kql_hll *g = &s[gids[i]];
            if (!g->p) hll_init(g, prec);
            hll_add(c->arena, g, kql_xxh64_u64((uint64_t)v));
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (p && !agg_pred(p, i)) continue;
        uint64_t h;
        if (dict_h) {
            h = dict_h[x->v.codes[i]];
        } else {
            kql_value v;
            kql_col_get(x, i, &v);
            if (fa_isnull(&v)) continue;
            h = kql_value_xxh64(&v);
        }
        kql_hll *g = &s[gids[i]];
        if (!g->p) hll_init(g, prec);
        hll_add(c->arena, g, h);
    }
}

static void dc_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    dc_update_impl(c, st, g, a, na, n, false);
}
static void dcif_update(kql_aggctx *c, char *st, const uint32_t *g, kql_col *const *a, size_t na, size_t n) {
    dc_update_impl(c, st, g, a, na, n, true);
}

static void dc_merge(kql_aggctx *c, void *dst, const void *src) { hll_merge_into(c->arena, dst, src); }

static void dc_final(kql_aggctx *c, const void *state, kql_value *out, size_t nout) {
    (void)c, (void)nout;
    kql_set_long(out, hll_estimate(state));
}

static void hll_final(kql_aggctx *c, const void *state, kql_value *out, size_t nout) {
    (void)nout;
    fn_set_dyn(out, hll_to_dyn(c->arena, state));
}

/* hll_merge(hll) : the union of the group's sketches */
static void hllm_update(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nargs,
                        size_t n) {
    (void)nargs;
    kql_hll *s = (kql_hll *)states;
    for (size_t i = 0; i < n; i++) {
        kql_value v;
        kql_col_get(args[0], i, &v);
        if (v.type != KQL_DYNAMIC || v.null) continue;
        kql_hll one;
        if (!hll_from_dyn(c->arena, v.u.d, &one)) continue;
        hll_merge_into(c->arena, &s[gids[i]], &one);
    }
}

static const kql_aggdef AGG_DCOUNT = {sizeof(kql_hll), dc_update, dc_merge, dc_final};
static const kql_aggdef AGG_DCOUNTIF = {sizeof(kql_hll), dcif_update, dc_merge, dc_final};
static const kql_aggdef AGG_HLL = {sizeof(kql_hll), dc_update, dc_merge, hll_final};
static const kql_aggdef AGG_HLL_IF = {sizeof(kql_hll), dcif_update, dc_merge, hll_final};
static const kql_aggdef AGG_HLL_MERGE = {sizeof(kql_hll), hllm_update, dc_merge, hll_final};

/* dcount_hll(hll) : long, the estimate of a sketch from hll()/hll_merge();
 * null when the value is not a sketch */
static void fn_dcount_hll(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    kql_hll s;
    if (!hll_from_dyn(c->arena, fa_dyn(c, &a[0]), &s)) {
        kql_set_null(out);
        return;
    }
    kql_set_long(out, hll_estimate(&s));
}

/* hll_merge(hll1, hll2, ...) as a scalar: the merged sketch (invalid ones skipped) */
static void fn_hll_merge(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    kql_hll acc;
    memset(&acc, 0, sizeof acc);
    for (size_t i = 0; i < n; i++) {
        kql_hll one;
        if (hll_from_dyn(c->arena, fa_dyn(c, &a[i]), &one)) hll_merge_into(c->arena, &acc, &one);
    }
    fn_set_dyn(out, hll_to_dyn(c->arena, &acc));
}

/* hll_merge is both an aggregate (one argument, in summarize) and a scalar
 * (two or more sketches): one entry of kind KQL_FN_AGG with a `row` for the
 * scalar form. */
static const kql_fn FNS[] = {
    {"dcount", KQL_FN_AGG, "a,a?", NULL, bind_dcount, NULL, NULL, &AGG_DCOUNT, 0, "dcount_"},
    {"dcountif", KQL_FN_AGG, "a,b,a?", NULL, bind_dcountif, NULL, NULL, &AGG_DCOUNTIF, 0, "dcountif_"},
    {"hll", KQL_FN_AGG, "a,i?", NULL, bind_hll, NULL, NULL, &AGG_HLL, 0, "hll_"},
    {"hll_if", KQL_FN_AGG, "a,b,i?", NULL, bind_hll_if, NULL, NULL, &AGG_HLL_IF, 0, "hll_if_"},
    {"hll_merge", KQL_FN_AGG, "y,y*", "dynamic", NULL, NULL, fn_hll_merge, &AGG_HLL_MERGE, 0, "hll_merge_"},
    {"dcount_hll", KQL_FN_SCALAR, "y", "long", NULL, NULL, fn_dcount_hll, NULL, 0, NULL},
};

KQL_FN_TABLE(kql_fns_hll, FNS);
