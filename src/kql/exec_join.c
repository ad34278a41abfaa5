/* join and lookup: a hash join that builds a table on one side and probes it
 * with the other, for every join kind (innerunique de-duplicates the left
 * keys first); output rows are gathered from (left row, right row) pairs. */
#include "exec.h"

#include <stdlib.h>

typedef struct {
    size_t nkeys;
    kql_col **cols;
} keycols;

static bool eval_keys(kql_qctx *q, kql_expr **ks, size_t nk, kql_batch *b, keycols *out) {
    out->nkeys = nk;
    out->cols = SP_NEWN(&q->arena, kql_col *, nk ? nk : 1);
    for (size_t k = 0; k < nk; k++) {
        out->cols[k] = kql_eval(q, &q->arena, ks[k], b);
        if (!out->cols[k]) return false;
    }
    return true;
}

/* hash of a row's key; *null set when any key is null (nulls never match) */
static uint64_t row_hash(const keycols *k, size_t r, bool *null) {
    uint64_t h = 0x51ED27A5C3B1F4E9ULL;
    *null = false;
    for (size_t i = 0; i < k->nkeys; i++) {
        kql_value v;
        kql_col_get(k->cols[i], r, &v);
        if (v.null && v.type != KQL_STRING) *null = true;
        if (v.type == KQL_INT) v.type = KQL_LONG;
        h = kql_value_hash(&v, h);
    }
    return h;
}

static bool row_eq(const keycols *a, size_t ra, const keycols *b, size_t rb) {
    for (size_t i = 0; i < a->nkeys; i++) {
        kql_value x, y;
        kql_col_get(a->cols[i], ra, &x);
        kql_col_get(b->cols[i], rb, &y);
        if (x.type == KQL_STRING && y.type == KQL_STRING) {
            if (!sp_str_eq(x.u.s, y.u.s)) return false;
        } else if (!kql_value_eq(&x, &y)) {
            return false;
        }
    }
    return true;
}

/* A multimap from key hash to rows of the build side. */
typedef struct {
    uint32_t *head;        /* per bucket: first row + 1 */
    uint32_t *next;        /* per row: next row + 1 in the bucket */
    uint64_t *hash;        /* per row */
    size_t nbuckets;
} jtable;

static void jt_build(sp_arena *a, jtable *t, const keycols *k, size_t n) {
    t->nbuckets = 16;
    while (t->nbuckets < n * 2) t->nbuckets *= 2;
    t->head = SP_NEWZ(a, uint32_t, t->nbuckets);
    t->next = SP_NEWZ(a, uint32_t, n ? n : 1);
    t->hash = SP_NEWN(a, uint64_t, n ? n : 1);
    /* insert in reverse so each bucket lists rows in input order */
    for (size_t r = n; r-- > 0;) {
        bool null;
        uint64_t h = row_hash(k, r, &null);
        t->hash[r] = h;
        if (null) continue;
        size_t bkt = h & (t->nbuckets - 1);
        t->next[r] = t->head[bkt];
        t->head[bkt] = (uint32_t)(r + 1);
    }
}

typedef struct {
    int64_t *l, *r;        /* row indexes, -1 = none */
    size_t n, cap;
} pairs;

static void pairs_push(pairs *p, int64_t l, int64_t r) {
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 1024;
        p->l = sp_realloc(p->l, p->cap * sizeof *p->l);
        p->r = sp_realloc(p->r, p->cap * sizeof *p->r);
    }
    p->l[p->n] = l;
    p->r[p->n] = r;
    p->n++;
}

static kql_col *gather_opt(sp_arena *a, const kql_col *c, const int64_t *rows, size_t n) {
    bool missing = false;
    uint32_t *ix = SP_NEWN(a, uint32_t, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        missing |= rows[i] < 0;
        ix[i] = rows[i] < 0 ? 0 : (uint32_t)rows[i];
    }
    if (!missing || c->type != KQL_STRING) {
        kql_col *o = kql_col_gather(a, c, ix, n);
        if (missing) {
            if (o->flags & KQL_COL_CONST) o = kql_col_flatten(a, o);
            for (size_t i = 0; i < n; i++)
                if (rows[i] < 0) kql_col_set_null(a, o, i);
        }
        return o;
    }
    /* strings of unmatched rows are empty: build a flat column */
    kql_col *o = kql_col_new(a, KQL_STRING, n);
    for (size_t i = 0; i < n; i++) o->v.s[i] = rows[i] < 0 ? (sp_str){"", 0} : kql_col_str(c, (size_t)rows[i]);
    return o;
}

kql_rowset *exec_join(kql_qctx *q, kql_plan *p, kql_rowset *lrs, kql_rowset *rrs) {
    pl_join *j = p->join;
    sp_arena *a = &q->arena;
    kql_batch *L = lrs->nb ? rs_concat(q, lrs) : batch_new(a, lrs->ncols, 0);
    kql_batch *R = rrs->nb ? rs_concat(q, rrs) : batch_new(a, rrs->ncols, 0);
    size_t nl = lrs->nrows, nr = rrs->nrows;
    if (nl > UINT32_MAX - 1 || nr > UINT32_MAX - 1) {
        kql_fail(q, SP_ERR_LIMIT, "limit_rows", "join inputs are limited to 4 billion rows");
        return NULL;
    }
    keycols lk, rk;
    if (!eval_keys(q, j->lkeys, j->nkeys, L, &lk) || !eval_keys(q, j->rkeys, j->nkeys, R, &rk)) return NULL;
    kql_joinkind kind = j->kind;
    /* innerunique: keep the first left row of each key */
    bool *lkeep = NULL;
    if (kind == JK_INNERUNIQUE) {
        lkeep = SP_NEWZ(a, bool, nl ? nl : 1);
        jtable lt;
        jt_build(a, &lt, &lk, nl);
        for (size_t r = 0; r < nl; r++) {
            bool null;
            uint64_t h = row_hash(&lk, r, &null);
            if (null) continue;
            /* the first row in the bucket with this key is the one kept */
            uint32_t e = lt.head[h & (lt.nbuckets - 1)];
            bool first = true;
            while (e) {
                size_t x = e - 1;
                if (lt.hash[x] == h && row_eq(&lk, x, &lk, r)) {
                    first = x == r;
                    break;
                }
                e = lt.next[x];
            }
            lkeep[r] = first;
        }
        kind = JK_INNER;
    }
    pairs out = {0};
    if (kind == JK_INNER && nl < nr) {
        /* the smaller side is the build side: here the left */
        jtable lt;
        jt_build(a, &lt, &lk, nl);
        for (size_t r = 0; r < nr; r++) {
            bool null;
            uint64_t h = row_hash(&rk, r, &null);
            if (null) continue;
            for (uint32_t e = lt.head[h & (lt.nbuckets - 1)]; e; e = lt.next[e - 1]) {
                size_t l = e - 1;
                if (lkeep && !lkeep[l]) continue;
                if (lt.hash[l] == h && row_eq(&lk, l, &rk, r)) pairs_push(&out, (int64_t)l, (int64_t)r);
            }
            if ((r & 0xFFFF) == 0 && !kql_check_limits(q)) {
                free(out.l);
                free(out.r);
                return NULL;
            }
        }
        goto emit;
    }
    /* build on the right, probe with the left (right kinds mirror this) */
    jtable rt;
    jt_build(a, &rt, &rk, nr);
    bool *rmatched = SP_NEWZ(a, bool, nr ? nr : 1);
    for (size_t l = 0; l < nl; l++) {
        if (lkeep && !lkeep[l]) continue;
        bool null;
        uint64_t h = row_hash(&lk, l, &null);
        bool matched = false;
        if (!null) {
            uint32_t e = rt.head[h & (rt.nbuckets - 1)];
            while (e) {
                size_t r = e - 1;
                if (rt.hash[r] == h && row_eq(&lk, l, &rk, r)) {
                    matched = true;
                    rmatched[r] = true;
                    if (kind == JK_INNER || kind == JK_LEFTOUTER || kind == JK_RIGHTOUTER || kind == JK_FULLOUTER)
                        pairs_push(&out, (int64_t)l, (int64_t)r);
                    else if (kind == JK_LEFTSEMI)
                        break;
                }
                e = rt.next[r];
            }
        }
        if (kind == JK_LEFTSEMI && matched) pairs_push(&out, (int64_t)l, -1);
        if (kind == JK_LEFTANTI && !matched) pairs_push(&out, (int64_t)l, -1);
        if ((kind == JK_LEFTOUTER || kind == JK_FULLOUTER) && !matched) pairs_push(&out, (int64_t)l, -1);
        if ((l & 0xFFFF) == 0 && !kql_check_limits(q)) {
            free(out.l);
            free(out.r);
            return NULL;
        }
        if (out.n > ((size_t)1 << 31)) {
            kql_fail(q, SP_ERR_LIMIT, "limit_rows", "the join produces more than 2^31 rows");
            free(out.l);
            free(out.r);
            return NULL;
        }
    }
    if (kind == JK_RIGHTOUTER || kind == JK_FULLOUTER || kind == JK_RIGHTSEMI || kind == JK_RIGHTANTI) {
        for (size_t r = 0; r < nr; r++) {
            if (kind == JK_RIGHTSEMI && rmatched[r]) pairs_push(&out, -1, (int64_t)r);
            if (kind == JK_RIGHTANTI && !rmatched[r]) pairs_push(&out, -1, (int64_t)r);
            if ((kind == JK_RIGHTOUTER || kind == JK_FULLOUTER) && !rmatched[r]) pairs_push(&out, -1, (int64_t)r);
        }
    }
emit:;
    kql_rowset *rs = rs_new(q, p->out.n);
    if (out.n) {
        kql_batch *o = batch_new(a, p->out.n, out.n);
        for (size_t c = 0; c < p->out.n; c++) {
            const kql_col *src = j->src[c] == 0 ? L->cols[j->col[c]] : R->cols[j->col[c]];
            if (!src) continue;
            o->cols[c] = gather_opt(a, src, j->src[c] == 0 ? out.l : out.r, out.n);
        }
        rs_add(q, rs, o);
    }
    free(out.l);
    free(out.r);
    return rs;
}
