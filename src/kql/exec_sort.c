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

/* Moves the k best rows of idx[0..n) (by cmp_fast) to its front, in no
 * particular order (quickselect, median of three). */
static void select_k(uint32_t *idx, size_t n, size_t k, const sort_ctx *s) {
    size_t lo = 0, hi = n;
    while (hi - lo > 1 && k > lo && k < hi) {
        size_t mid = lo + (hi - lo) / 2;
        uint32_t a = idx[lo], b = idx[mid], c = idx[hi - 1], piv;
        if (cmp_fast(s, a, b) < 0) piv = cmp_fast(s, b, c) < 0 ? b : (cmp_fast(s, a, c) < 0 ? c : a);
        else piv = cmp_fast(s, a, c) < 0 ? a : (cmp_fast(s, b, c) < 0 ? c : b);
        /* three-way partition around piv */
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            int r = cmp_fast(s, idx[i], piv);
            if (r < 0) {
                uint32_t t = idx[lt];
                idx[lt++] = idx[i];
                idx[i++] = t;
            } else if (r > 0) {
                uint32_t t = idx[--gt];
                idx[gt] = idx[i];
                idx[i] = t;
            } else {
                i++;
            }
        }
        if (k <= lt) hi = lt;
        else if (k >= gt) lo = gt;
        else return;
    }
}

/* Top k for one numeric key without nulls: candidates better than the
 * current k-th are buffered and the buffer cut back to k with quickselect,
 * so the common case is one inline comparison per row. Returns the count. */
static size_t top_fast(const sort_ctx *s, size_t n, size_t k, uint32_t *out, sp_arena *a) {
    size_t cap = k * 4 < 4096 ? 4096 : k * 4;
    uint32_t *buf = SP_NEWN(a, uint32_t, cap);
    size_t nb = 0;
    bool have = false;
    uint32_t thr = 0;      /* row holding the current k-th best */
    for (uint32_t r = 0; r < n; r++) {
        if (have && cmp_fast(s, r, thr) >= 0) continue;
        buf[nb++] = r;
        if (nb == cap) {
            select_k(buf, nb, k, s);
            nb = k;
            /* the worst of the kept k is the threshold */
            thr = buf[0];
            for (size_t i = 1; i < k; i++)
                if (cmp_fast(s, buf[i], thr) > 0) thr = buf[i];
            have = true;
        }
    }
    if (nb > k) {
        select_k(buf, nb, k, s);
        nb = k;
    }
    memcpy(out, buf, nb * sizeof *out);
    return nb;
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

/* Top k by one numeric key over the batches as they are (no concatenation):
 * a candidate must beat the current k-th value, one inline comparison per
 * row; the buffer is cut back to k by sorting when it fills. Ties go to the
 * earlier row. Returns false when the key does not suit (nulls, other types). */
/* A candidate row: integer keys compare exactly as int64 (datetimes exceed a
 * double's 53 bits), real keys as doubles. */
typedef struct {
    int64_t iv;
    double v;
    uint32_t id;
} cand;

typedef struct {
    bool asc, isint;
} cand_order;

static int cand_cmp(const void *x, const void *y, void *ctx) {
    const cand *a = x, *b = y;
    const cand_order *o = ctx;
    if (o->isint) {
        if (a->iv != b->iv) return (a->iv < b->iv) == o->asc ? -1 : 1;
    } else if (a->v != b->v) {
        return (a->v < b->v) == o->asc ? -1 : 1;
    }
    return a->id < b->id ? -1 : a->id > b->id;
}

typedef struct {
    int64_t ibound;        /* the batch's best key (max for desc, min for asc) */
    double bound;
    size_t batch, base;
    kql_col *col;
} tbatch;

static int tbatch_cmp(const void *x, const void *y, void *ctx) {
    const tbatch *a = x, *b = y;
    const cand_order *o = ctx;
    if (o->isint ? a->ibound != b->ibound : a->bound != b->bound)
        return (o->isint ? a->ibound < b->ibound : a->bound < b->bound) == o->asc ? -1 : 1;
    return a->batch < b->batch ? -1 : a->batch > b->batch;
}

typedef struct {
    kql_qctx *q;
    const kql_plan *p;
    const kql_rowset *in;
    tbatch *tb;
    bool asc;
    bool ok;
} bound_ctx;

/* One batch's key column and its best value (vectorizable loops). */
static void bound_task(void *vctx, size_t bi) {
    bound_ctx *bc = vctx;
    const kql_batch *b = bc->in->b[bi];
    kql_col *c = kql_eval(bc->q, kql_thread_arena(bc->q), bc->p->keys[0].e, b);
    if (!c || c->nulls || (c->flags & KQL_COL_CONST)) {
        bc->ok = false;
        return;
    }
    size_t n = b->nrows;
    double best = 0;
    int64_t m = 0;
    if (c->type == KQL_LONG || c->type == KQL_DATETIME || c->type == KQL_TIMESPAN) {
        const int64_t *v = c->v.i64;
        m = bc->asc ? INT64_MAX : INT64_MIN;
        if (bc->asc)
            for (size_t r = 0; r < n; r++) m = v[r] < m ? v[r] : m;
        else
            for (size_t r = 0; r < n; r++) m = v[r] > m ? v[r] : m;
    } else if (c->type == KQL_REAL || c->type == KQL_DECIMAL) {
        const double *v = c->v.f64;
        best = bc->asc ? INFINITY : -INFINITY;
        for (size_t r = 0; r < n; r++) {
            if (v[r] != v[r]) { bc->ok = false; return; } /* NaN: the general path orders it */
            if (bc->asc ? v[r] < best : v[r] > best) best = v[r];
        }
    } else {
        bc->ok = false;
        return;
    }
    bc->tb[bi] = (tbatch){m, best, bi, 0, c};
}

static bool top_batches(kql_qctx *q, const kql_plan *p, const kql_rowset *in, size_t k, uint32_t **out, size_t *m) {
    if (p->nkeys != 1) return false;
    sp_arena *a = &q->arena;
    bool asc = p->keys[0].asc;
    /* each batch's key and best value: batches are visited best first, and a
     * batch that cannot beat the current k-th value is skipped whole (time-
     * ordered data makes `top N by Timestamp` touch one or two batches) */
    tbatch *tb = SP_NEWN(a, tbatch, in->nb ? in->nb : 1);
    bound_ctx bc = {q, p, in, tb, asc, true};
    exec_parallel(q, in->nb, bound_task, &bc);
    if (!bc.ok || kql_failed(q)) return false;
    size_t base = 0;
    for (size_t bi = 0; bi < in->nb; bi++) {
        tb[bi].base = base;
        base += in->b[bi]->nrows;
    }
    cand_order ord = {asc, in->nb && tb[0].col->type != KQL_REAL && tb[0].col->type != KQL_DECIMAL};
    for (size_t t = 1; t < in->nb; t++)
        if ((tb[t].col->type != KQL_REAL && tb[t].col->type != KQL_DECIMAL) != ord.isint) return false;
    qsort_r(tb, in->nb, sizeof *tb, tbatch_cmp, &ord);
    size_t cap = k * 4 < 4096 ? 4096 : k * 4;
    cand *buf = SP_NEWN(a, cand, cap);
    size_t nb = 0, seen = 0;
    cand thr = {0};
    bool have = false;
    for (size_t t = 0; t < in->nb; t++) {
        cand bound = {tb[t].ibound, tb[t].bound, 0};
        /* the rest of the batches cannot beat the k-th value */
        if (have && (ord.isint ? (asc ? bound.iv > thr.iv : bound.iv < thr.iv) : (asc ? bound.v > thr.v : bound.v < thr.v)))
            break;
        const kql_col *c = tb[t].col;
        size_t n = in->b[tb[t].batch]->nrows;
        if (ord.isint) {
            const int64_t *v = c->v.i64;
            for (size_t r = 0; r < n; r++) {
                if (have && (asc ? v[r] > thr.iv : v[r] < thr.iv)) continue;
                buf[nb++] = (cand){v[r], 0, (uint32_t)(tb[t].base + r)};
                if (nb == cap) {
                    qsort_r(buf, nb, sizeof *buf, cand_cmp, &ord);
                    nb = k;
                    thr = buf[k - 1];
                    have = true;
                }
            }
        } else {
            const double *v = c->v.f64;
            for (size_t r = 0; r < n; r++) {
                if (have && (asc ? v[r] > thr.v : v[r] < thr.v)) continue;
                buf[nb++] = (cand){0, v[r], (uint32_t)(tb[t].base + r)};
                if (nb == cap) {
                    qsort_r(buf, nb, sizeof *buf, cand_cmp, &ord);
                    nb = k;
                    thr = buf[k - 1];
                    have = true;
                }
            }
        }
        seen += n;
        if (!have && seen >= k) {
            qsort_r(buf, nb, sizeof *buf, cand_cmp, &ord);
            if (nb > k) nb = k;
            thr = buf[nb - 1];
            have = true;
        }
    }
    qsort_r(buf, nb, sizeof *buf, cand_cmp, &ord);
    if (nb > k) nb = k;
    uint32_t *idx = SP_NEWN(a, uint32_t, nb ? nb : 1);
    for (size_t i = 0; i < nb; i++) idx[i] = buf[i].id;
    *out = idx;
    *m = nb;
    return true;
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
    uint32_t *idx;
    size_t m;
    if (limit > 0 && (size_t)limit <= 100000 && (size_t)limit < n / 2 && n < ((size_t)1 << 53) &&
        top_batches(q, p, in, (size_t)limit, &idx, &m)) {
        if (p->late_need && in->scan && in->table->ops->scan_fetch) {
            kql_batch *o = rs_fetch(q, in, idx, m, p->late_need, p->out.n);
            if (!o) return NULL;
            rs_add(q, rs, o);
            return rs;
        }
        rs_add(q, rs, rs_gather(q, in, idx, m));
        return rs;
    }
    if (kql_failed(q)) return NULL;
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
    if (limit > 0 && (size_t)limit < n / 2 && (s.i64 || s.f64) && !s.nulls) {
        size_t k = (size_t)limit;
        idx = SP_NEWN(a, uint32_t, k);
        m = top_fast(&s, n, k, idx, a);
        qsort_r(idx, m, sizeof *idx, cmp_thunk, &s);
        if (p->late_need && in->scan && in->table->ops->scan_fetch) {
            kql_batch *o = rs_fetch(q, in, idx, m, p->late_need, p->out.n);
            if (!o) return NULL;
            rs_add(q, rs, o);
            return rs;
        }
        rs_add(q, rs, rs_gather(q, in, idx, m));
        return rs;
    }
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
        if (p->late_need && in->scan && in->table->ops->scan_fetch) {
            /* only the keys were scanned: fetch the kept rows' columns */
            kql_batch *o = rs_fetch(q, in, idx, m, p->late_need, p->out.n);
            if (!o) return NULL;
            rs_add(q, rs, o);
            return rs;
        }
        rs_add(q, rs, rs_gather(q, in, idx, m));
        return rs;
    }
    idx = SP_NEWN(a, uint32_t, n);
    for (uint32_t r = 0; r < n; r++) idx[r] = r;
    qsort_r(idx, n, sizeof *idx, cmp_thunk, &s);
    m = limit > 0 && (size_t)limit < n ? (size_t)limit : n;
    if (p->late_need && in->scan && in->table->ops->scan_fetch) {
        kql_batch *o = rs_fetch(q, in, idx, m, p->late_need, p->out.n);
        if (!o) return NULL;
        rs_add(q, rs, o);
        return rs;
    }
    kql_batch *all = rs_concat(q, in);
    kql_batch *o = batch_new(a, p->out.n, m);
    for (size_t c = 0; c < all->ncols; c++)
        if (all->cols[c]) o->cols[c] = kql_col_gather(a, all->cols[c], idx, m);
    rs_add(q, rs, o);
    return rs;
}
