/* The optimizer: folds constant expressions (ago(1d) becomes a datetime),
 * pushes time filters into table scans so storage can skip whole segments,
 * and prunes the columns scans read to those the query uses. */
#include "eval.h"
#include "plan.h"

#include <stdlib.h>

/* ------------------------------------------------------------- folding */

static void fold(int64_t now, sp_arena *a, kql_expr *e) {
    if (!e) return;
    for (uint32_t i = 0; i < e->nargs; i++) fold(now, a, e->args[i]);
    if (e->kind == E_LIT || e->kind == E_COL || e->kind == E_AGG) return;
    if (e->kind == E_CALL && (e->fn->flags & KQL_FNF_VOLATILE)) return;
    bool all_lit = true;
    for (uint32_t i = 0; i < e->nargs; i++) all_lit &= e->args[i]->kind == E_LIT;
    if (!all_lit || e->kind == E_SUBQ || e->kind == E_BADLIT || e->kind == E_ROWFN || (e->kind == E_IN && e->name.n))
        return;
    kql_value v;
    if (kql_fold_expr(now, a, e, &v)) {
        e->kind = E_LIT;
        e->lit = v;
        e->lit.type = e->type;
        e->nargs = 0;
    }
}

/* ------------------------------------------------------ column usage */

static void mark_cols(const kql_expr *e, bool *need, size_t n) {
    if (!e) return;
    if (e->kind == E_COL && e->col >= 0 && (size_t)e->col < n) need[e->col] = true;
    if (e->kind == E_CALL && e->aux && e->fn && strcmp(e->fn->name, "__pack_columns") == 0) {
        /* pack_all reads every column it names */
        for (uint32_t i = 0; i < e->nargs; i++) mark_cols(e->args[i], need, n);
        return;
    }
    for (uint32_t i = 0; i < e->nargs; i++) mark_cols(e->args[i], need, n);
}

typedef struct {
    int64_t now;
    sp_arena *a;
} optctx;

static void opt_plan(optctx *o, kql_plan *p, const bool *out_need);

static void fold_all(optctx *o, kql_plan *p);

static void opt_subplans_in(optctx *o, kql_expr *e) {
    if (!e) return;
    for (uint32_t i = 0; i < e->nargs; i++) opt_subplans_in(o, e->args[i]);
    if (e->kind == E_SUBQ || (e->kind == E_IN && e->name.n)) {
        kql_plan *sub = e->aux;
        opt_plan(o, sub, NULL);
    }
}

static void each_expr(kql_plan *p, void (*fn)(void *ctx, kql_expr *e), void *ctx) {
    for (size_t i = 0; i < p->nexprs; i++) fn(ctx, p->exprs[i]);
    for (size_t i = 0; i < p->nkeys; i++) fn(ctx, p->keys[i].e);
    if (p->count_expr) fn(ctx, p->count_expr);
    for (int i = 0; i < 3; i++)
        if (p->range_exprs[i]) fn(ctx, p->range_exprs[i]);
    if (p->sum) {
        for (size_t i = 0; i < p->sum->ngroups; i++) fn(ctx, p->sum->groups[i]);
        for (size_t i = 0; i < p->sum->naggs; i++) {
            fn(ctx, p->sum->aggs[i].call);
            for (size_t k = 0; k < p->sum->aggs[i].ncarry; k++) fn(ctx, p->sum->aggs[i].carry_exprs[k]);
        }
        for (size_t i = 0; i < p->sum->npost; i++) fn(ctx, p->sum->post[i]);
    }
    if (p->join)
        for (size_t i = 0; i < p->join->nkeys; i++) {
            fn(ctx, p->join->lkeys[i]);
            fn(ctx, p->join->rkeys[i]);
        }
    if (p->mv)
        for (size_t i = 0; i < p->mv->nitems; i++) fn(ctx, p->mv->items[i]);
    if (p->parse) fn(ctx, p->parse->source);
    if (p->series) {
        for (size_t i = 0; i < p->series->naggs; i++) fn(ctx, p->series->aggs[i]);
        for (size_t i = 0; i < p->series->ngroups; i++) fn(ctx, p->series->groups[i]);
        fn(ctx, p->series->axis);
        if (p->series->from) fn(ctx, p->series->from);
        if (p->series->to) fn(ctx, p->series->to);
        if (p->series->step) fn(ctx, p->series->step);
    }
    if (p->plug) {
        if (p->plug->pivot) fn(ctx, p->plug->pivot);
        if (p->plug->agg) fn(ctx, p->plug->agg);
        for (size_t i = 0; i < p->plug->ngroups; i++) fn(ctx, p->plug->groups[i]);
        if (p->plug->ip) fn(ctx, p->plug->ip);
    }
    if (p->tn)
        for (size_t i = 0; i < p->tn->nlevels; i++) {
            if (p->tn->levels[i].count) fn(ctx, p->tn->levels[i].count);
            fn(ctx, p->tn->levels[i].of);
            fn(ctx, p->tn->levels[i].agg);
            if (p->tn->levels[i].others) fn(ctx, p->tn->levels[i].others);
        }
}

static void fold_cb(void *ctx, kql_expr *e) {
    optctx *o = ctx;
    fold(o->now, o->a, e);
    opt_subplans_in(o, e);
}

static void fold_all(optctx *o, kql_plan *p) { each_expr(p, fold_cb, o); }

typedef struct {
    bool *need;
    size_t n;
} markctx;

static void mark_cb(void *ctx, kql_expr *e) {
    markctx *m = ctx;
    mark_cols(e, m->need, m->n);
}

/* ------------------------------------------------------ time pushdown */

/* Narrows [lo, hi] with one conjunct `TimeCol op datetime`, if it is one. */
static void time_bound(const kql_expr *e, int col, int64_t *lo, int64_t *hi) {
    if (e->kind == E_BINOP && e->op == B_AND) {
        time_bound(e->args[0], col, lo, hi);
        time_bound(e->args[1], col, lo, hi);
        return;
    }
    if (e->kind == E_BETWEEN && e->op == B_BETWEEN && e->args[0]->kind == E_COL && e->args[0]->col == col &&
        e->args[1]->kind == E_LIT && e->args[2]->kind == E_LIT && !e->args[1]->lit.null && !e->args[2]->lit.null &&
        e->args[1]->type == KQL_DATETIME && e->args[2]->type == KQL_DATETIME) {
        if (e->args[1]->lit.u.i > *lo) *lo = e->args[1]->lit.u.i;
        if (e->args[2]->lit.u.i < *hi) *hi = e->args[2]->lit.u.i;
        return;
    }
    if (e->kind != E_BINOP || e->op < B_EQ || e->op > B_GE) return;
    const kql_expr *l = e->args[0], *r = e->args[1];
    int op = e->op;
    if (r->kind == E_COL && l->kind == E_LIT) {
        const kql_expr *t = l;
        l = r;
        r = t;
        op = op == B_LT ? B_GT : op == B_LE ? B_GE : op == B_GT ? B_LT : op == B_GE ? B_LE : op;
    }
    if (l->kind != E_COL || l->col != col || r->kind != E_LIT || r->lit.null || r->type != KQL_DATETIME) return;
    int64_t v = r->lit.u.i;
    switch (op) {
    case B_EQ:
        if (v > *lo) *lo = v;
        if (v < *hi) *hi = v;
        break;
    case B_GT:
    case B_GE:
        if (v > *lo) *lo = v;
        break;
    case B_LT:
    case B_LE:
        if (v < *hi) *hi = v;
        break;
    }
}

static void push_time(kql_plan *filter) {
    /* walk down through filters to a scan */
    kql_plan *s = filter->in;
    while (s && s->kind == PL_FILTER) s = s->in;
    if (!s || s->kind != PL_SCAN || s->table->time_col < 0) return;
    int64_t lo = s->has_time ? s->tmin : INT64_MIN, hi = s->has_time ? s->tmax : INT64_MAX;
    for (kql_plan *f = filter; f != s; f = f->in) time_bound(f->exprs[0], s->table->time_col, &lo, &hi);
    if (lo != INT64_MIN || hi != INT64_MAX) {
        s->has_time = true;
        s->tmin = lo;
        s->tmax = hi;
    }
}

/* ------------------------------------------------------- the walk */

/* A summarize whose aggregates are all arg_max/arg_min carrying plain columns. */
static bool late_argmax(const kql_plan *p) {
    if (!p->sum->naggs) return false;
    for (size_t i = 0; i < p->sum->naggs; i++) {
        const pl_agg *a = &p->sum->aggs[i];
        if (!a->argmax) return false;
        for (size_t k = 0; k < a->ncarry; k++)
            if (a->carry_exprs[k]->kind != E_COL || a->carry_exprs[k]->col < 0) return false;
    }
    return true;
}

static bool *need_all(optctx *o, size_t n) {
    bool *b = SP_NEWN(o->a, bool, n ? n : 1);
    memset(b, 1, n ? n : 1);
    return b;
}

static void opt_plan(optctx *o, kql_plan *p, const bool *out_need) {
    if (!p) return;
    fold_all(o, p);
    if (!out_need) out_need = need_all(o, p->out.n);
    kql_plan *in = p->in;
    size_t inn = in ? in->out.n : 0;
    bool *need = in ? SP_NEWZ(o->a, bool, inn ? inn : 1) : NULL;
    markctx m = {need, inn};
    switch (p->kind) {
    case PL_SCAN: {
        p->need = SP_NEWN(o->a, bool, p->out.n ? p->out.n : 1);
        memcpy(p->need, out_need, p->out.n * sizeof(bool));
        return;
    }
    case PL_FILTER:
        push_time(p);
        memcpy(need, out_need, inn * sizeof(bool));
        each_expr(p, mark_cb, &m);
        break;
    case PL_PROJECT:
        if (p->extend)
            for (size_t i = 0; i < inn && i < p->out.n; i++) need[i] = out_need[i];
        each_expr(p, mark_cb, &m);
        break;
    case PL_SORT:
        if (p->nrows == 1 && in->kind == PL_SCAN && in->table->ops->scan_fetch) {
            /* top over a table: scan the keys, fetch the kept rows' other columns */
            each_expr(p, mark_cb, &m);
            p->late_need = SP_NEWN(o->a, bool, inn ? inn : 1);
            memcpy(p->late_need, out_need, inn * sizeof(bool));
            break;
        }
        memcpy(need, out_need, inn * sizeof(bool));
        each_expr(p, mark_cb, &m);
        break;
    case PL_TAKE:
    case PL_SAMPLE:
    case PL_SETVAR:
        memcpy(need, out_need, inn * sizeof(bool));
        each_expr(p, mark_cb, &m);
        break;
    case PL_SUMMARIZE:
        if (in->kind == PL_SCAN && in->table->ops->scan_fetch && late_argmax(p)) {
            /* arg_max(x, *) over a table: scan keys and x, fetch the winners' columns */
            p->late_need = SP_NEWZ(o->a, bool, inn ? inn : 1);
            for (size_t i = 0; i < p->sum->ngroups; i++) mark_cols(p->sum->groups[i], need, inn);
            for (size_t i = 0; i < p->sum->naggs; i++) {
                mark_cols(p->sum->aggs[i].call, need, inn);
                for (size_t k = 0; k < p->sum->aggs[i].ncarry; k++)
                    p->late_need[p->sum->aggs[i].carry_exprs[k]->col] = true;
            }
            break;
        }
        each_expr(p, mark_cb, &m);
        break;
    case PL_SERIES:
    case PL_TOPNESTED:
    case PL_SAMPLE_DISTINCT:
        each_expr(p, mark_cb, &m);
        break;
    case PL_GETSCHEMA: break;
    case PL_MVEXPAND:
    case PL_PARSE: {
        const int *src = p->kind == PL_MVEXPAND ? p->mv->src : p->parse->src;
        for (size_t c = 0; c < p->out.n; c++)
            if (out_need[c] && src[c] >= 0) need[src[c]] = true;
        each_expr(p, mark_cb, &m);
        break;
    }
    case PL_JOIN: {
        kql_plan *r = p->kids[0];
        bool *rneed = SP_NEWZ(o->a, bool, r->out.n ? r->out.n : 1);
        for (size_t c = 0; c < p->out.n; c++) {
            if (!out_need[c]) continue;
            if (p->join->src[c] == 0) need[p->join->col[c]] = true;
            else rneed[p->join->col[c]] = true;
        }
        for (size_t i = 0; i < p->join->nkeys; i++) {
            mark_cols(p->join->lkeys[i], need, inn);
            mark_cols(p->join->rkeys[i], rneed, r->out.n);
        }
        opt_plan(o, r, rneed);
        break;
    }
    case PL_UNION:
        for (size_t k = 0; k < p->nkids; k++) {
            kql_plan *kid = p->kids[k];
            bool *kn = SP_NEWZ(o->a, bool, kid->out.n ? kid->out.n : 1);
            for (size_t c = 0; c < p->out.n; c++)
                if (out_need[c] && p->union_map[k][c] >= 0) kn[p->union_map[k][c]] = true;
            opt_plan(o, kid, kn);
        }
        return;
    case PL_MVAPPLY:
        opt_plan(o, p->sub, NULL);
        fold_all(o, p->kids[0]);
        memset(need, 1, inn);
        break;
    case PL_PARTITION:
        opt_plan(o, p->sub, NULL);
        memset(need, 1, inn);
        break;
    case PL_IPLOOKUP:
        opt_plan(o, p->kids[0], NULL);
        memset(need, 1, inn);
        break;
    default:
        /* shared results, open schemas and the like read everything */
        if (need) memset(need, 1, inn);
        break;
    }
    if (in) opt_plan(o, in, need);
}

void kql_optimize_query(kql_query *q) {
    optctx o = {.now = q->now, .a = &q->arena};
    for (size_t i = 0; i < q->nresults; i++) opt_plan(&o, q->results[i], NULL);
}
