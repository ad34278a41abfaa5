/* sort and top: keys evaluated once over the input, rows ordered by index
 * (a bounded heap for top N), then gathered; ties keep input order. */
#include "exec.h"

#include <math.h>
#include <stdlib.h>

typedef struct {
    const pl_sortkey *keys;
    size_t nkeys;
    kql_col **cols;
    /* fast path: one key held as int64 or double */
    const int64_t *i64;
    const double *f64;
    const uint64_t *nulls;
} sort_ctx;

static inline bool is_null_at(const kql_col *c, size_t i) { return kql_col_isnull(c, i); }

static int cmp_rows(const sort_ctx *s, uint32_t a, uint32_t b) {
    for (size_t k = 0; k < s->nkeys; k++) {
        const pl_sortkey *key = &s->keys[k];
        const kql_col *c = s->cols[k];
        int r;
        bool an, bn;
        if (c->type == KQL_STRING) {
            an = bn = false;
            r = sp_str_cmp(kql_col_str(c, a), kql_col_str(c, b));
        } else {
            an = is_null_at(c, a);
            bn = is_null_at(c, b);
            if (an || bn) {
                if (an && bn) continue;
                /* nulls go first or last regardless of direction */
                return an ? (key->nulls_first ? -1 : 1) : (key->nulls_first ? 1 : -1);
            }
            kql_value x, y;
            kql_col_get(c, a, &x);
            kql_col_get(c, b, &y);
            if ((x.type == KQL_REAL || x.type == KQL_DECIMAL) && (isnan(x.u.r) || isnan(y.u.r))) {
                bool xn = isnan(x.u.r), yn = isnan(y.u.r);
                if (xn && yn) continue;
                return xn ? (key->nulls_first ? -1 : 1) : (key->nulls_first ? 1 : -1);
            }
            r = kql_value_cmp(&x, &y);
        }
        if (r) return key->asc ? r : -r;
    }
    return a < b ? -1 : a > b;
}

static int cmp_fast(const sort_ctx *s, uint32_t a, uint32_t b) {
    const pl_sortkey *key = &s->keys[0];
    bool an = s->nulls && ((s->nulls[a >> 6] >> (a & 63)) & 1);
    bool bn = s->nulls && ((s->nulls[b >> 6] >> (b & 63)) & 1);
    if (an || bn) {
        if (!(an && bn)) return an ? (key->nulls_first ? -1 : 1) : (key->nulls_first ? 1 : -1);
        return a < b ? -1 : a > b;
    }
    int r;
    if (s->i64) r = s->i64[a] < s->i64[b] ? -1 : s->i64[a] > s->i64[b];
    else {
        double x = s->f64[a], y = s->f64[b];
        if (isnan(x) || isnan(y)) {
            if (isnan(x) && isnan(y)) r = 0;
            else return isnan(x) ? (key->nulls_first ? -1 : 1) : (key->nulls_first ? 1 : -1);
        } else r = x < y ? -1 : x > y;
    }
    if (r) return key->asc ? r : -r;
    return a < b ? -1 : a > b;
}

static int cmp_thunk(const void *x, const void *y, void *ctx) {
    const sort_ctx *s = ctx;
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (s->i64 || s->f64) ? cmp_fast(s, a, b) : cmp_rows(s, a, b);
}

/* Keeps the k best rows in a max-heap (the worst of the best at the root). */
static void heap_sift(uint32_t *h, size_t n, size_t i, const sort_ctx *s) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, w = i;
        if (l < n && cmp_thunk(&h[l], &h[w], (void *)s) > 0) w = l;
        if (r < n && cmp_thunk(&h[r], &h[w], (void *)s) > 0) w = r;
        if (w == i) return;
        uint32_t t = h[i];
        h[i] = h[w];
        h[w] = t;
        i = w;
    }
}

/* Rows at global positions idx[] of a row set, without concatenating it. */
static kql_batch *rs_gather(kql_qctx *q, const kql_rowset *rs, const uint32_t *idx, size_t m) {
    sp_arena *a = &q->arena;
    size_t *start = SP_NEWN(a, size_t, rs->nb + 1);
    start[0] = 0;
    for (size_t i = 0; i < rs->nb; i++) start[i + 1] = start[i] + rs->b[i]->nrows;
    uint32_t *bi = SP_NEWN(a, uint32_t, m ? m : 1), *ri = SP_NEWN(a, uint32_t, m ? m : 1);
    for (size_t k = 0; k < m; k++) {
        size_t lo = 0, hi = rs->nb;
        while (hi - lo > 1) {
            size_t mid = (lo + hi) / 2;
            if (start[mid] <= idx[k]) lo = mid;
            else hi = mid;
        }
        bi[k] = (uint32_t)lo;
        ri[k] = (uint32_t)(idx[k] - start[lo]);
    }
    kql_batch *o = batch_new(a, rs->ncols, m);
    for (size_t c = 0; c < rs->ncols; c++) {
        const kql_col *first = NULL;
        for (size_t i = 0; i < rs->nb && !first; i++) first = rs->b[i]->cols[c];
        if (!first) continue;
        kql_col *col = kql_col_new(a, first->type, m);
        for (size_t k = 0; k < m; k++) {
            const kql_col *src = rs->b[bi[k]]->cols[c];
            kql_value v;
            if (src) kql_col_get(src, ri[k], &v);
            else memset(&v, 0, sizeof v), v.type = first->type, v.null = first->type != KQL_STRING;
            kql_col_set(a, col, k, &v);
        }
        o->cols[c] = col;
    }
    return o;
}

/* A key evaluated over every batch, as one vector. */
static kql_col *eval_key(kql_qctx *q, const kql_expr *e, const kql_rowset *rs) {
    sp_arena *a = &q->arena;
    if (rs->nb == 1) {
        kql_col *c = kql_eval(q, a, e, rs->b[0]);
        if (c && (c->flags & KQL_COL_CONST)) c = kql_col_flatten(a, c);
        return c;
    }
    kql_rowset one = {.ncols = 1, .nb = rs->nb, .nrows = rs->nrows};
    one.b = SP_NEWN(a, kql_batch *, rs->nb);
    for (size_t i = 0; i < rs->nb; i++) {
        kql_col *c = kql_eval(q, kql_thread_arena(q), e, rs->b[i]);
        if (!c) return NULL;
        if (c->flags & KQL_COL_CONST) c = kql_col_flatten(a, c);
        one.b[i] = batch_new(a, 1, rs->b[i]->nrows);
        one.b[i]->cols[0] = c;
    }
    kql_batch *b = rs_concat(q, &one);
    return b->cols[0];
}

kql_rowset *exec_sort(kql_qctx *q, kql_plan *p, kql_rowset *in) {
    sp_arena *a = &q->arena;
    size_t n = in->nrows;
    kql_rowset *rs = rs_new(q, p->out.n);
    int64_t limit = -1;
    if (p->nrows == 1) {
        /* top N */
        if (p->count_expr) {
            kql_batch one = {.nrows = 1};
            kql_col *c = kql_eval(q, a, p->count_expr, &one);
            if (!c) return NULL;
            kql_value v;
            kql_col_get(c, 0, &v);
            limit = v.null ? 0 : kql_int(&v);
        } else {
            limit = p->count;
        }
        if (limit < 0) limit = 0;
    }
    if (n == 0 || limit == 0) return rs;
    if (n > UINT32_MAX) {
        kql_fail(q, SP_ERR_LIMIT, "limit_rows", "sort handles at most %u rows", UINT32_MAX);
        return NULL;
    }
    sort_ctx s = {.keys = p->keys, .nkeys = p->nkeys};
    s.cols = SP_NEWN(a, kql_col *, p->nkeys ? p->nkeys : 1);
    for (size_t k = 0; k < p->nkeys; k++) {
        kql_col *c = eval_key(q, p->keys[k].e, in);
        if (!c) return NULL;
        s.cols[k] = c;
    }
    if (p->nkeys == 1) {
        kql_col *c = s.cols[0];
        if (c->type == KQL_LONG || c->type == KQL_DATETIME || c->type == KQL_TIMESPAN) s.i64 = c->v.i64;
        else if (c->type == KQL_REAL || c->type == KQL_DECIMAL) s.f64 = c->v.f64;
        s.nulls = c->nulls;
    }
    uint32_t *idx;
    size_t m;
    if (limit > 0 && (size_t)limit < n / 2) {
        size_t k = (size_t)limit;
        idx = SP_NEWN(a, uint32_t, k);
        size_t h = 0;
        for (uint32_t r = 0; r < n; r++) {
            if (h < k) {
                idx[h++] = r;
                if (h == k)
                    for (size_t i = k / 2 + 1; i-- > 0;) heap_sift(idx, k, i, &s);
            } else if (cmp_thunk(&r, &idx[0], &s) < 0) {
                idx[0] = r;
                heap_sift(idx, k, 0, &s);
            }
            if ((r & 0xFFFFF) == 0 && !kql_check_limits(q)) return NULL;
        }
        m = h;
        qsort_r(idx, m, sizeof *idx, cmp_thunk, &s);
        rs_add(q, rs, rs_gather(q, in, idx, m));
        return rs;
    }
    idx = SP_NEWN(a, uint32_t, n);
    for (uint32_t r = 0; r < n; r++) idx[r] = r;
    qsort_r(idx, n, sizeof *idx, cmp_thunk, &s);
    m = limit > 0 && (size_t)limit < n ? (size_t)limit : n;
    kql_batch *all = rs_concat(q, in);
    kql_batch *o = batch_new(a, p->out.n, m);
    for (size_t c = 0; c < all->ncols; c++)
        if (all->cols[c]) o->cols[c] = kql_col_gather(a, all->cols[c], idx, m);
    rs_add(q, rs, o);
    return rs;
}
