/* mv-expand and mv-apply: each row becomes one row per array element (bags
 * per property, several columns in parallel, shorter ones padded with null);
 * mv-apply then runs its subquery over each row's expansion. */
#include "exec.h"

/* The elements of a value being expanded: an array's items, a bag's
 * properties (as one-key bags or [key, value] arrays), or the value itself. */
typedef struct {
    const kql_dyn *v;      /* the value (NULL = null) */
    uint32_t n;            /* element count */
    bool bag_as_array;
} mvval;

static void mv_init(mvval *m, const kql_dyn *d, bool bag_as_array) {
    m->v = d;
    m->bag_as_array = bag_as_array;
    if (!d || d->kind == KQL_DYN_NULL) m->n = 1;
    else if (d->kind == KQL_DYN_ARRAY || d->kind == KQL_DYN_BAG) m->n = d->n;
    else m->n = 1;
}

static const kql_dyn *mv_elem(sp_arena *a, const mvval *m, uint32_t i) {
    const kql_dyn *d = m->v;
    if (!d || d->kind == KQL_DYN_NULL) return NULL;
    if (d->kind == KQL_DYN_ARRAY) return &d->u.items[i];
    if (d->kind == KQL_DYN_BAG) {
        const kql_dyn_kv *kv = &d->u.kv[i];
        kql_dyn *o = SP_NEW(a, kql_dyn);
        if (m->bag_as_array) {
            kql_dyn *items = SP_NEWN(a, kql_dyn, 2);
            items[0] = (kql_dyn){.kind = KQL_DYN_STRING, .n = kv->klen, .u.s = kv->key};
            items[1] = kv->val;
            o->kind = KQL_DYN_ARRAY;
            o->n = 2;
            o->u.items = items;
        } else {
            kql_dyn_kv *one = SP_NEW(a, kql_dyn_kv);
            *one = *kv;
            o->kind = KQL_DYN_BAG;
            o->n = 1;
            o->u.kv = one;
        }
        return o;
    }
    return d;
}

/* Expands one batch; returns the output batch. */
static kql_batch *expand_batch(kql_qctx *q, sp_arena *a, const kql_plan *p, const pl_mvexpand *m, const kql_batch *b) {
    size_t n = b->nrows, ni = m->nitems;
    kql_col **items = SP_NEWN(a, kql_col *, ni);
    for (size_t k = 0; k < ni; k++) {
        items[k] = kql_eval(q, a, m->items[k], b);
        if (!items[k]) return NULL;
    }
    /* the rows each input row becomes */
    uint32_t *counts = SP_NEWN(a, uint32_t, n ? n : 1);
    size_t total = 0;
    mvval *vals = SP_NEWN(a, mvval, ni);
    for (size_t r = 0; r < n; r++) {
        uint32_t mx = 0;
        for (size_t k = 0; k < ni; k++) {
            kql_value v;
            kql_col_get(items[k], r, &v);
            mv_init(&vals[0], v.null ? NULL : v.u.d, m->bag_as_array);
            if (vals[0].n > mx) mx = vals[0].n;
        }
        if (m->limit > 0 && mx > (uint64_t)m->limit) mx = (uint32_t)m->limit;
        counts[r] = mx;
        total += mx;
    }
    if (total > ((size_t)1 << 31)) {
        kql_fail(q, SP_ERR_LIMIT, "limit_rows", "mv-expand would produce more than 2^31 rows");
        return NULL;
    }
    kql_batch *o = batch_new(a, p->out.n, total);
    uint32_t *srcrow = SP_NEWN(a, uint32_t, total ? total : 1);
    size_t j = 0;
    for (size_t r = 0; r < n; r++)
        for (uint32_t e = 0; e < counts[r]; e++) srcrow[j++] = (uint32_t)r;
    for (size_t c = 0; c < p->out.n; c++)
        if (m->src[c] >= 0 && b->cols[m->src[c]]) o->cols[c] = kql_col_gather(a, b->cols[m->src[c]], srcrow, total);
    for (size_t k = 0; k < ni; k++) {
        kql_type t = m->totype[k];
        kql_col *col = kql_col_new(a, t, total);
        size_t w = 0;
        for (size_t r = 0; r < n; r++) {
            if (!counts[r]) continue;
            kql_value v;
            kql_col_get(items[k], r, &v);
            mvval mv;
            mv_init(&mv, v.null ? NULL : v.u.d, m->bag_as_array);
            for (uint32_t e = 0; e < counts[r]; e++, w++) {
                const kql_dyn *el = e < mv.n ? mv_elem(a, &mv, e) : NULL;
                kql_value ev = {.type = KQL_DYNAMIC, .u.d = el, .null = !el || el->kind == KQL_DYN_NULL};
                if (t == KQL_DYNAMIC) {
                    kql_col_set(a, col, w, &ev);
                } else {
                    kql_value cv;
                    kql_convert(a, &ev, t, &cv);
                    cv.type = t;
                    kql_col_set(a, col, w, &cv);
                }
            }
        }
        o->cols[m->outcol[k]] = col;
    }
    if (m->index_col >= 0) {
        kql_col *ix = kql_col_new(a, KQL_LONG, total);
        size_t w = 0;
        for (size_t r = 0; r < n; r++)
            for (uint32_t e = 0; e < counts[r]; e++) ix->v.i64[w++] = e;
        o->cols[m->index_col] = ix;
    }
    return o;
}

kql_rowset *exec_mvexpand(kql_qctx *q, kql_plan *p, kql_rowset *in) {
    kql_rowset *rs = rs_new(q, p->out.n);
    for (size_t i = 0; i < in->nb; i++) {
        kql_batch *o = expand_batch(q, kql_thread_arena(q), p, p->mv, in->b[i]);
        if (!o) return NULL;
        rs_add(q, rs, o);
        if (!kql_check_limits(q)) return NULL;
    }
    return rs;
}

kql_rowset *exec_mvapply(kql_qctx *q, kql_plan *p, kql_rowset *in) {
    sp_arena *a = &q->arena;
    kql_plan *exp = p->kids[0];
    kql_plan *sub = p->sub;
    kql_rowset *rs = rs_new(q, p->out.n);
    const kql_schema *ins = &p->in->out;
    /* where each output column comes from: the subquery's output or the input row */
    int *from_sub = SP_NEWN(a, int, p->out.n), *from_in = SP_NEWN(a, int, p->out.n);
    for (size_t c = 0; c < p->out.n; c++) {
        const char *nm = p->out.cols[c].name;
        from_sub[c] = kql_schema_find(&sub->out, nm, strlen(nm));
        from_in[c] = from_sub[c] < 0 ? kql_schema_find(ins, nm, strlen(nm)) : -1;
    }
    colbuf *cbs = SP_NEWN(a, colbuf, p->out.n);
    for (size_t c = 0; c < p->out.n; c++) colbuf_init(&cbs[c], p->out.cols[c].type);
    for (size_t bi = 0; bi < in->nb; bi++) {
        const kql_batch *b = in->b[bi];
        for (size_t r = 0; r < b->nrows; r++) {
            /* the row alone, expanded */
            uint32_t one = (uint32_t)r;
            kql_batch *row = batch_new(a, b->ncols, 1);
            for (size_t c = 0; c < b->ncols; c++)
                if (b->cols[c]) row->cols[c] = kql_col_gather(a, b->cols[c], &one, 1);
            kql_batch *ex = expand_batch(q, a, exp, exp->mv, row);
            if (!ex) return NULL;
            kql_rowset *mini = rs_new(q, exp->out.n);
            rs_add(q, mini, ex);
            exec_bind_input(q, p->kids[1], mini);
            kql_rowset *res = kql_exec(q, sub);
            if (!res) return NULL;
            for (size_t o = 0; o < res->nrows; o++) {
                for (size_t c = 0; c < p->out.n; c++) {
                    kql_value v;
                    if (from_sub[c] >= 0) rs_get(res, o, (size_t)from_sub[c], &v);
                    else if (from_in[c] >= 0 && b->cols[from_in[c]]) kql_col_get(b->cols[from_in[c]], r, &v);
                    else {
                        memset(&v, 0, sizeof v);
                        v.type = p->out.cols[c].type;
                        v.null = v.type != KQL_STRING;
                    }
                    colbuf_push(a, &cbs[c], &v);
                }
            }
            if (!kql_check_limits(q)) return NULL;
        }
    }
    size_t total = p->out.n ? cbs[0].n : 0;
    if (total) {
        kql_batch *o = batch_new(a, p->out.n, total);
        for (size_t c = 0; c < p->out.n; c++) o->cols[c] = colbuf_done(&cbs[c]);
        rs_add(q, rs, o);
    }
    return rs;
}
