/* The binder, part 3: tabular operators after '|' — each turns its syntax and
 * the input's schema into a plan node with a typed output schema. */
#include "bind.h"

#include <stdio.h>
#include <stdlib.h>

static kql_plan *new_op(kql_binder *b, kql_pkind kind, kql_plan *in, const kql_node *op) {
    kql_plan *p = kql_plan_new(b->arena, kind, in);
    p->off = op->off;
    return p;
}

static void set_exprs(kql_binder *b, kql_plan *p, kql_expr **xs, size_t n) {
    p->nexprs = n;
    p->exprs = SP_NEWN(b->arena, kql_expr *, n ? n : 1);
    if (n) memcpy(p->exprs, xs, n * sizeof *xs);
}

static const char *node_name(kql_binder *b, sp_str s) { return sp_arena_strndup(b->arena, s.p, s.n); }

/* Is the node a plain column reference (for naming and pass-through)? */
static bool is_colref(const kql_node *n) { return n->kind == N_NAME; }

static const char *auto_name(kql_binder *b, const kql_schema *taken, int *counter) {
    for (;;) {
        char *nm = sp_arena_printf(b->arena, "Column%d", ++*counter);
        if (kql_schema_find(taken, nm, strlen(nm)) < 0) return nm;
    }
}

static bool check_bool(kql_binder *b, const kql_expr *e, const kql_node *at, const char *what) {
    if (e->type == KQL_BOOL || e->type == KQL_DYNAMIC) return true;
    kql_berr(b, at->off, "type_mismatch", NULL, 0, "%s needs a predicate (a bool), got %s", what, kql_type_name(e->type));
    return false;
}

/* where predicate */
static kql_plan *op_where(kql_binder *b, kql_plan *in, const kql_node *op) {
    kql_rowctx rc = {.in = &in->out, .serialized = in->serialized};
    kql_expr *e = kql_bind_expr(b, &rc, op->kids[0]);
    if (!e || !check_bool(b, e, op->kids[0], "where")) return NULL;
    kql_plan *p = new_op(b, PL_FILTER, in, op);
    p->out = in->out;
    e = kql_expr_cast(b, e, KQL_BOOL);
    set_exprs(b, p, &e, 1);
    return p;
}

/* project / extend / serialize items */
static kql_plan *op_project(kql_binder *b, kql_plan *in, const kql_node *op, bool extend, bool serialize) {
    kql_plan *p = new_op(b, PL_PROJECT, in, op);
    p->extend = extend;
    if (serialize) p->serialized = true;
    kql_schema work = {0};
    if (extend) {
        for (size_t i = 0; i < in->out.n; i++) kql_schema_add(b, &work, in->out.cols[i].name, in->out.cols[i].type);
        work.open = in->out.open;
    }
    SP_VEC(kql_expr *) xs = {0};
    SP_VEC(int) targets = {0};
    int counter = 0;
    for (uint32_t i = 0; i < op->nkids; i++) {
        const kql_node *it = op->kids[i];
        /* extend binds each item against the columns defined so far */
        kql_rowctx rc = {.in = extend ? &work : &in->out, .serialized = in->serialized || serialize};
        if (it->kind == N_NAMED && (it->flags & NF_TUPLE)) {
            /* (a, b) = f(...): the function returns several columns; supported for
             * expressions yielding a dynamic array, one element per name */
            const kql_node *names = it->kids[1];
            kql_expr *e = kql_bind_expr(b, &rc, it->kids[0]);
            if (!e) goto fail;
            for (uint32_t k = 0; k < names->nkids; k++) {
                kql_expr *ix = kql_expr_new(b, E_INDEX, KQL_DYNAMIC, it->off);
                ix->nargs = 2;
                ix->args = SP_NEWN(b->arena, kql_expr *, 2);
                ix->args[0] = kql_expr_cast(b, e, KQL_DYNAMIC);
                kql_value kv = {.type = KQL_LONG, .u.i = k};
                ix->args[1] = kql_expr_lit(b, &kv, it->off);
                const char *nm = node_name(b, names->kids[k]->name);
                int j = kql_schema_find(&work, nm, strlen(nm));
                if (j >= 0 && !extend) {
                    kql_berr(b, names->kids[k]->off, "duplicate_column", nm, strlen(nm), "column '%s' is declared twice", nm);
                    goto fail;
                }
                if (j >= 0) {
                    work.cols[j].type = KQL_DYNAMIC;
                } else {
                    kql_schema_add(b, &work, nm, KQL_DYNAMIC);
                    j = (int)work.n - 1;
                }
                sp_vec_push(&xs, ix);
                sp_vec_push(&targets, j);
            }
            continue;
        }
        const kql_node *en = it->kind == N_NAMED ? it->kids[0] : it;
        size_t ntup = 0;
        const char *const *tup = it->kind != N_NAMED && en->kind == N_CALL && en->nkids
                                     ? kql_fn_tuple_names(node_name(b, en->name), &ntup)
                                     : NULL;
        if (tup && !kql_lookup(b, en->name.p, en->name.n)) {
            /* extend series_stats(x): one column per result, series_stats_x_min, ... */
            kql_expr *e = kql_bind_expr(b, &rc, en);
            if (!e) goto fail;
            const char *arg = kql_infer_name(b, en->kids[0]);
            for (size_t k = 0; k < ntup; k++) {
                kql_expr *ix = kql_expr_new(b, E_INDEX, KQL_DYNAMIC, it->off);
                ix->nargs = 2;
                ix->args = SP_NEWN(b->arena, kql_expr *, 2);
                ix->args[0] = kql_expr_cast(b, e, KQL_DYNAMIC);
                kql_value kv = {.type = KQL_LONG, .u.i = (int64_t)k};
                ix->args[1] = kql_expr_lit(b, &kv, it->off);
                const char *nm = sp_arena_printf(b->arena, "%.*s_%s_%s", (int)en->name.n, en->name.p, arg, tup[k]);
                int j = kql_schema_find(&work, nm, strlen(nm));
                if (j >= 0) {
                    work.cols[j].type = KQL_DYNAMIC;
                } else {
                    kql_schema_add(b, &work, nm, KQL_DYNAMIC);
                    j = (int)work.n - 1;
                }
                sp_vec_push(&xs, ix);
                sp_vec_push(&targets, j);
            }
            continue;
        }
        if (en->kind == N_STAR && !extend) {
            /* project *: every input column */
            for (size_t c = 0; c < in->out.n; c++) {
                if (kql_schema_find(&work, in->out.cols[c].name, strlen(in->out.cols[c].name)) >= 0) continue;
                kql_schema_add(b, &work, in->out.cols[c].name, in->out.cols[c].type);
                sp_vec_push(&xs, kql_expr_col(b, (int)c, in->out.cols[c].type, en->off));
                sp_vec_push(&targets, (int)work.n - 1);
            }
            continue;
        }
        kql_expr *e = kql_bind_expr(b, &rc, en);
        if (!e) goto fail;
        const char *nm;
        if (it->kind == N_NAMED) nm = node_name(b, it->name);
        else {
            nm = kql_infer_name(b, en);
            if (!*nm) nm = auto_name(b, &work, &counter);
        }
        int j = kql_schema_find(&work, nm, strlen(nm));
        if (j >= 0 && !extend && it->kind != N_NAMED) {
            /* an unnamed expression whose derived name is taken gets a suffix, as Kusto does */
            nm = kql_unique_name(b, &work, nm);
            j = -1;
        }
        if (j >= 0 && !extend) {
            kql_berr(b, it->off, "duplicate_column", nm, strlen(nm), "column '%s' is declared twice in project", nm);
            goto fail;
        }
        if (j >= 0) {
            work.cols[j].type = e->type;   /* extend replaces a column in place */
        } else {
            kql_schema_add(b, &work, nm, e->type);
            j = (int)work.n - 1;
        }
        (void)is_colref;
        sp_vec_push(&xs, e);
        sp_vec_push(&targets, j);
    }
    p->out = work;
    set_exprs(b, p, xs.v, xs.n);
    p->targets = SP_NEWN(b->arena, int, targets.n ? targets.n : 1);
    if (targets.n) memcpy(p->targets, targets.v, targets.n * sizeof(int));
    sp_vec_free(&xs);
    sp_vec_free(&targets);
    return p;
fail:
    sp_vec_free(&xs);
    sp_vec_free(&targets);
    return NULL;
}

/* A pass-through projection of the given input columns, in order. */
static kql_plan *select_cols(kql_binder *b, kql_plan *in, const kql_node *op, const int *cols, const char **names,
                             size_t n) {
    kql_plan *p = new_op(b, PL_PROJECT, in, op);
    p->nexprs = n;
    p->exprs = SP_NEWN(b->arena, kql_expr *, n ? n : 1);
    p->targets = SP_NEWN(b->arena, int, n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        kql_colinfo ci = in->out.cols[cols[i]];
        p->exprs[i] = kql_expr_col(b, cols[i], ci.type, op->off);
        p->targets[i] = (int)i;
        kql_schema_add(b, &p->out, names ? names[i] : ci.name, ci.type);
    }
    return p;
}

extern bool kql_name_matches(sp_str pattern, const char *name);

/* project-away / project-keep name patterns */
static kql_plan *op_away_keep(kql_binder *b, kql_plan *in, const kql_node *op, bool keep) {
    bool *hit = SP_NEWZ(b->arena, bool, in->out.n ? in->out.n : 1);
    for (uint32_t i = 0; i < op->nkids; i++) {
        const kql_node *nm = op->kids[i];
        bool any = false;
        for (size_t c = 0; c < in->out.n; c++) {
            if ((nm->flags & NF_WILDCARD) ? kql_name_matches(nm->name, in->out.cols[c].name)
                                          : sp_str_eqc(nm->name, in->out.cols[c].name)) {
                hit[c] = true;
                any = true;
            }
        }
        if (!any && !(nm->flags & NF_WILDCARD) && !in->out.open) {
            kql_berr(b, nm->off, "unknown_column", nm->name.p, nm->name.n, "'%.*s' is not a column of the input",
                     (int)nm->name.n, nm->name.p);
            const char *s = kql_suggest_column(&in->out, nm->name.p, nm->name.n);
            if (s) sp_err_hint(b->err, "did you mean %s?", s);
            return NULL;
        }
    }
    int *cols = SP_NEWN(b->arena, int, in->out.n ? in->out.n : 1);
    size_t n = 0;
    for (size_t c = 0; c < in->out.n; c++)
        if (hit[c] == keep) cols[n++] = (int)c;
    return select_cols(b, in, op, cols, NULL, n);
}

/* project-rename new = old, ... */
static kql_plan *op_rename(kql_binder *b, kql_plan *in, const kql_node *op) {
    const char **names = SP_NEWN(b->arena, const char *, in->out.n ? in->out.n : 1);
    int *cols = SP_NEWN(b->arena, int, in->out.n ? in->out.n : 1);
    for (size_t c = 0; c < in->out.n; c++) {
        names[c] = in->out.cols[c].name;
        cols[c] = (int)c;
    }
    for (uint32_t i = 0; i < op->nkids; i++) {
        const kql_node *r = op->kids[i];
        const kql_node *old = r->kids[0];
        int j = kql_schema_find(&in->out, old->name.p, old->name.n);
        if (j < 0) {
            kql_berr(b, old->off, "unknown_column", old->name.p, old->name.n, "'%.*s' is not a column of the input",
                     (int)old->name.n, old->name.p);
            const char *s = kql_suggest_column(&in->out, old->name.p, old->name.n);
            if (s) sp_err_hint(b->err, "did you mean %s?", s);
            return NULL;
        }
        names[j] = node_name(b, r->name);
    }
    for (size_t c = 0; c < in->out.n; c++)
        for (size_t d = c + 1; d < in->out.n; d++)
            if (strcmp(names[c], names[d]) == 0) {
                kql_berr(b, op->off, "duplicate_column", names[c], strlen(names[c]),
                         "project-rename gives two columns the name '%s'", names[c]);
                return NULL;
            }
    return select_cols(b, in, op, cols, names, in->out.n);
}

static int cmp_names_asc(const void *a, const void *b) {
    const kql_colinfo *x = *(kql_colinfo *const *)a, *y = *(kql_colinfo *const *)b;
    return strcmp(x->name, y->name);
}

/* project-reorder patterns [asc|desc] */
static kql_plan *op_reorder(kql_binder *b, kql_plan *in, const kql_node *op) {
    size_t n = in->out.n;
    bool *used = SP_NEWZ(b->arena, bool, n ? n : 1);
    int *cols = SP_NEWN(b->arena, int, n ? n : 1);
    size_t k = 0;
    for (uint32_t i = 0; i < op->nkids; i++) {
        const kql_node *key = op->kids[i];
        const kql_node *nm = key->kids[0];
        size_t start = k;
        for (size_t c = 0; c < n; c++) {
            if (used[c]) continue;
            if ((nm->flags & NF_WILDCARD) ? kql_name_matches(nm->name, in->out.cols[c].name)
                                          : sp_str_eqc(nm->name, in->out.cols[c].name)) {
                used[c] = true;
                cols[k++] = (int)c;
            }
        }
        if (k == start && !(nm->flags & NF_WILDCARD) && !in->out.open) {
            kql_berr(b, nm->off, "unknown_column", nm->name.p, nm->name.n, "'%.*s' is not a column of the input",
                     (int)nm->name.n, nm->name.p);
            return NULL;
        }
        if ((key->flags & NF_ORDER_SET) && k - start > 1) {
            /* sort the matched names */
            kql_colinfo **tmp = SP_NEWN(b->arena, kql_colinfo *, k - start);
            for (size_t t = start; t < k; t++) tmp[t - start] = &in->out.cols[cols[t]];
            qsort(tmp, k - start, sizeof *tmp, cmp_names_asc);
            bool asc = key->flags & NF_ASC;
            for (size_t t = 0; t < k - start; t++) {
                kql_colinfo *ci = tmp[asc ? t : k - start - 1 - t];
                cols[start + t] = (int)(ci - in->out.cols);
            }
        }
    }
    for (size_t c = 0; c < n; c++)
        if (!used[c]) cols[k++] = (int)c;
    return select_cols(b, in, op, cols, NULL, n);
}

/* ------------------------------------------------------------- summarize */

static bool check_group_type(kql_binder *b, kql_type t, const kql_node *at) {
    if (t != KQL_DYNAMIC) return true;
    kql_berr(b, at->off, "type_mismatch", NULL, 0,
             "a dynamic value cannot be a group key; convert it first (tostring(), toint(), ...)");
    return false;
}

/* Registers an aggregate found while binding a summarize item; the item's
 * expression reads the aggregate's result from the intermediate row. */
kql_expr *kql_register_agg(kql_binder *b, kql_rowctx *rc, kql_expr *agg, const kql_node *n) {
    pl_summarize *s = rc->sum;
    size_t nout = 1;
    if (sp_str_eqc(n->name, "percentiles") || sp_str_eqc(n->name, "percentilesw")) {
        size_t fixed = sp_str_eqc(n->name, "percentilesw") ? 2 : 1;
        nout = agg->nargs > fixed ? agg->nargs - fixed : 1;
    }
    if ((sp_str_eqc(n->name, "take_any") || sp_str_eqc(n->name, "any")) && agg->nargs > 1) {
        /* take_any(a, b): one record's values, one column per argument */
        nout = agg->nargs;
    }
    size_t first = s->ngroups;
    for (size_t i = 0; i < s->naggs; i++) first += s->aggs[i].nout;
    s->aggs = sp_arena_realloc(b->arena, s->aggs, s->naggs * sizeof *s->aggs, (s->naggs + 1) * sizeof *s->aggs);
    pl_agg *a = &s->aggs[s->naggs++];
    memset(a, 0, sizeof *a);
    a->call = agg;
    a->nout = nout;
    agg->op = (int)nout;
    s->ninter = first + nout;
    return kql_expr_col(b, (int)first, agg->type, n->off);
}

static bool is_argmax_name(sp_str nm, int *dir) {
    if (sp_str_eqc(nm, "arg_max") || sp_str_eqc(nm, "argmax")) { *dir = 1; return true; }
    if (sp_str_eqc(nm, "arg_min") || sp_str_eqc(nm, "argmin")) { *dir = -1; return true; }
    return false;
}

/* Binds `summarize [aggs] [by groups]` (also count, distinct). */
static kql_plan *bind_summarize(kql_binder *b, kql_plan *in, const kql_node *op, const kql_node *aggs,
                                const kql_node *by, bool distinct) {
    kql_plan *p = new_op(b, PL_SUMMARIZE, in, op);
    p->serialized = false;
    pl_summarize *s = SP_NEW(b->arena, pl_summarize);
    p->sum = s;
    s->distinct = distinct;
    kql_schema groups = {0};
    int counter = 0;
    kql_rowctx grc = {.in = &in->out};
    /* groups */
    size_t ng = by ? by->nkids : 0;
    s->groups = SP_NEWN(b->arena, kql_expr *, ng ? ng : 1);
    for (size_t i = 0; i < ng; i++) {
        const kql_node *it = by->kids[i];
        const kql_node *en = it->kind == N_NAMED ? it->kids[0] : it;
        if (en->kind == N_STAR && distinct) {
            for (size_t c = 0; c < in->out.n; c++) {
                if (!check_group_type(b, in->out.cols[c].type, en)) return NULL;
                s->groups = sp_arena_realloc(b->arena, s->groups, s->ngroups * sizeof *s->groups,
                                             (s->ngroups + 1 + ng) * sizeof *s->groups);
                s->groups[s->ngroups++] = kql_expr_col(b, (int)c, in->out.cols[c].type, en->off);
                kql_schema_add(b, &groups, in->out.cols[c].name, in->out.cols[c].type);
            }
            continue;
        }
        kql_expr *e = kql_bind_expr(b, &grc, en);
        /* Kusto groups summarize by dynamic values (by their JSON text) but refuses them in distinct */
        if (!e || (distinct && !check_group_type(b, e->type, en))) return NULL;
        const char *nm = it->kind == N_NAMED ? node_name(b, it->name) : kql_infer_name(b, en);
        if (!*nm) nm = auto_name(b, &groups, &counter);
        if (kql_schema_find(&groups, nm, strlen(nm)) >= 0) {
            kql_berr(b, it->off, "duplicate_column", nm, strlen(nm), "group-by column '%s' appears twice", nm);
            return NULL;
        }
        kql_schema_add(b, &groups, nm, e->type);
        s->groups[s->ngroups++] = e;
    }
    s->ninter = s->ngroups;
    /* output: groups first */
    for (size_t i = 0; i < groups.n; i++) kql_schema_add(b, &p->out, groups.cols[i].name, groups.cols[i].type);
    SP_VEC(kql_expr *) post = {0};
    SP_VEC(bool) starcols = {0};   /* per output column: brought by arg_max(*) */
    for (size_t i = 0; i < s->ngroups; i++) sp_vec_push(&post, kql_expr_col(b, (int)i, groups.cols[i].type, op->off));
    /* aggregates */
    size_t na = aggs ? aggs->nkids : 0;
    for (size_t i = 0; i < na; i++) {
        const kql_node *it = aggs->kids[i];
        const kql_node *en = it->kind == N_NAMED ? it->kids[0] : it;
        int dir = 0;
        if (en->kind == N_CALL && is_argmax_name(en->name, &dir)) {
            /* arg_max(expr, cols... | *): the row with the largest expr, per group */
            if (en->nkids < 1) {
                kql_berr(b, en->off, "wrong_arity", en->name.p, en->name.n, "%.*s() needs the expression to maximize",
                         (int)en->name.n, en->name.p);
                goto fail;
            }
            kql_rowctx arc = {.in = &in->out, .agg_only = true};
            kql_expr *x = kql_bind_expr(b, &arc, en->kids[0]);
            if (!x) goto fail;
            if (x->type == KQL_DYNAMIC) {
                kql_berr(b, en->kids[0]->off, "type_mismatch", NULL, 0, "%.*s() cannot order by a dynamic value",
                         (int)en->name.n, en->name.p);
                goto fail;
            }
            s->aggs = sp_arena_realloc(b->arena, s->aggs, s->naggs * sizeof *s->aggs, (s->naggs + 1) * sizeof *s->aggs);
            pl_agg *a = &s->aggs[s->naggs++];
            memset(a, 0, sizeof *a);
            kql_expr *call = kql_expr_new(b, E_AGG, x->type, en->off);
            call->nargs = 1;
            call->args = SP_NEWN(b->arena, kql_expr *, 1);
            call->args[0] = x;
            call->name = en->name;
            a->call = call;
            a->argmax = dir;
            /* the maximized value's column; (a, b) = arg_max(x, y) names every output */
            const kql_node *tuple = it->kind == N_NAMED && (it->flags & NF_TUPLE) ? it->kids[1] : NULL;
            const char *xn = tuple ? node_name(b, tuple->kids[0]->name)
                             : it->kind == N_NAMED ? node_name(b, it->name) : kql_infer_name(b, en->kids[0]);
            if (!*xn) xn = sp_arena_printf(b->arena, "%s_", dir > 0 ? "max" : "min");
            SP_VEC(kql_expr *) carry = {0};
            SP_VEC(const char *) cnames = {0};
            bool star_carry = false;
            for (uint32_t k = 1; k < en->nkids; k++) {
                const kql_node *cn = en->kids[k];
                if (cn->kind == N_STAR) {
                    star_carry = true;
                    for (size_t c = 0; c < in->out.n; c++) {
                        const char *cname = in->out.cols[c].name;
                        /* skip by-columns that are plain columns of the same name, and the maximized column */
                        if (kql_schema_find(&groups, cname, strlen(cname)) >= 0) continue;
                        if (en->kids[0]->kind == N_NAME && sp_str_eqc(en->kids[0]->name, cname)) continue;
                        bool dup = false;
                        for (size_t d = 0; d < cnames.n; d++) dup |= strcmp(cnames.v[d], cname) == 0;
                        if (dup) continue;
                        sp_vec_push(&carry, kql_expr_col(b, (int)c, in->out.cols[c].type, cn->off));
                        sp_vec_push(&cnames, cname);
                    }
                    continue;
                }
                const kql_node *ce = cn->kind == N_NAMED ? cn->kids[0] : cn;
                kql_expr *ex = kql_bind_expr(b, &arc, ce);
                if (!ex) {
                    sp_vec_free(&carry);
                    sp_vec_free(&cnames);
                    goto fail;
                }
                const char *cname = cn->kind == N_NAMED ? node_name(b, cn->name) : kql_infer_name(b, ce);
                if (!*cname) cname = auto_name(b, &p->out, &counter);
                sp_vec_push(&carry, ex);
                sp_vec_push(&cnames, cname);
            }
            a->nout = 1 + carry.n;
            a->ncarry = carry.n;
            a->carry_exprs = SP_NEWN(b->arena, kql_expr *, carry.n ? carry.n : 1);
            if (carry.n) memcpy(a->carry_exprs, carry.v, carry.n * sizeof *carry.v);
            size_t first = s->ninter;
            s->ninter += a->nout;
            const char *oname = kql_unique_name(b, &p->out, xn);
            kql_schema_add(b, &p->out, oname, x->type);
            sp_vec_push(&post, kql_expr_col(b, (int)first, x->type, en->off));
            for (size_t k = 0; k < carry.n; k++) {
                const char *want = tuple && k + 1 < tuple->nkids ? node_name(b, tuple->kids[k + 1]->name) : cnames.v[k];
                const char *cname = kql_unique_name(b, &p->out, want);
                while (starcols.n < p->out.n) sp_vec_push(&starcols, false);
                sp_vec_push(&starcols, star_carry);
                kql_schema_add(b, &p->out, cname, carry.v[k]->type);
                sp_vec_push(&post, kql_expr_col(b, (int)(first + 1 + k), carry.v[k]->type, en->off));
            }
            sp_vec_free(&carry);
            sp_vec_free(&cnames);
            continue;
        }
        kql_rowctx rc = {.in = &in->out, .sum = s, .inter = &groups};
        size_t before = s->naggs;
        kql_expr *e = kql_bind_expr(b, &rc, en);
        if (!e) goto fail;
        if (s->naggs == before && !(e->kind == E_LIT)) {
            /* no aggregate inside: allowed only over group columns (e.g. a constant) */
            bool only_groups = true;
            (void)only_groups;
        }
        bool bare = en->kind == N_CALL && s->naggs == before + 1 && e->kind == E_COL;
        if (bare && s->aggs[s->naggs - 1].nout > 1 && (sp_str_eqc(en->name, "take_any") || sp_str_eqc(en->name, "any"))) {
            /* take_any(a, b): each column keeps its argument's name and type */
            pl_agg *a = &s->aggs[s->naggs - 1];
            for (size_t k = 0; k < a->nout; k++) {
                const char *nm = kql_infer_name(b, en->kids[k]);
                if (!*nm) nm = auto_name(b, &p->out, &counter);
                const char *u = kql_unique_name(b, &p->out, nm);
                kql_type t = a->call->args[k]->type;
                kql_schema_add(b, &p->out, u, t);
                sp_vec_push(&post, kql_expr_col(b, e->col + (int)k, t, en->off));
            }
            continue;
        }
        if (bare && s->aggs[s->naggs - 1].nout > 1) {
            /* percentiles(x, 5, 95): one column each */
            pl_agg *a = &s->aggs[s->naggs - 1];
            const char *base = kql_infer_name(b, en->kids[0]);
            for (size_t k = 0; k < a->nout; k++) {
                const kql_node *pn = en->kids[k + (sp_str_eqc(en->name, "percentilesw") ? 2 : 1)];
                sp_str pv = {b->text + pn->off, pn->end - pn->off};
                char *nm = sp_arena_printf(b->arena, "percentile_%s_%.*s", base, (int)pv.n, pv.p);
                for (char *c = nm; *c; c++)
                    if (*c == '.') *c = '_';
                if (it->kind == N_NAMED && k == 0) nm = (char *)node_name(b, it->name);
                const char *u = kql_unique_name(b, &p->out, nm);
                kql_schema_add(b, &p->out, u, e->type);
                sp_vec_push(&post, kql_expr_col(b, e->col + (int)k, e->type, en->off));
            }
            continue;
        }
        const char *nm;
        if (it->kind == N_NAMED) nm = node_name(b, it->name);
        else {
            nm = kql_infer_name(b, en);
            if (!*nm) nm = auto_name(b, &p->out, &counter);
        }
        int clash = kql_schema_find(&p->out, nm, strlen(nm));
        if (clash >= 0) {
            if (it->kind == N_NAMED && (size_t)clash < starcols.n && starcols.v[clash]) {
                /* a column arg_max(*) brought along gives way to an explicitly named one */
                p->out.cols[clash].name = kql_unique_name(b, &p->out, nm);
            } else if (it->kind == N_NAMED) {
                kql_berr(b, it->off, "duplicate_column", nm, strlen(nm), "column '%s' is declared twice in summarize", nm);
                goto fail;
            } else {
                nm = kql_unique_name(b, &p->out, nm);
            }
        }
        kql_schema_add(b, &p->out, nm, e->type);
        sp_vec_push(&post, e);
    }
    s->npost = post.n;
    s->post = SP_NEWN(b->arena, kql_expr *, post.n ? post.n : 1);
    if (post.n) memcpy(s->post, post.v, post.n * sizeof *post.v);
    sp_vec_free(&post);
    sp_vec_free(&starcols);
    return p;
fail:
    sp_vec_free(&post);
    sp_vec_free(&starcols);
    return NULL;
}

static kql_plan *op_summarize(kql_binder *b, kql_plan *in, const kql_node *op) {
    return bind_summarize(b, in, op, op->kids[0], op->kids[1], false);
}

static kql_plan *op_distinct(kql_binder *b, kql_plan *in, const kql_node *op) {
    kql_node by = *op;
    by.kind = N_LIST;
    return bind_summarize(b, in, op, NULL, &by, true);
}

/* count → summarize Count = count() */
static kql_plan *op_count(kql_binder *b, kql_plan *in, const kql_node *op) {
    kql_plan *p = new_op(b, PL_SUMMARIZE, in, op);
    pl_summarize *s = SP_NEW(b->arena, pl_summarize);
    p->sum = s;
    const kql_fn *f = kql_fn_find("count", 5);
    if (!f) {
        kql_berr(b, op->off, "unknown_function", "count", 5, "count() is not available");
        return NULL;
    }
    kql_expr *call = kql_expr_new(b, E_AGG, KQL_LONG, op->off);
    call->fn = f;
    call->op = 1;
    s->aggs = SP_NEWZ(b->arena, pl_agg, 1);
    s->aggs[0].call = call;
    s->aggs[0].nout = 1;
    s->naggs = 1;
    s->ninter = 1;
    s->post = SP_NEWN(b->arena, kql_expr *, 1);
    s->post[0] = kql_expr_col(b, 0, KQL_LONG, op->off);
    s->npost = 1;
    kql_schema_add(b, &p->out, op->name.n && !sp_str_eqc(op->name, "count") ? node_name(b, op->name) : "Count", KQL_LONG);
    return p;
}

/* --------------------------------------------------------- sort, top, take */

static bool bind_count(kql_binder *b, kql_plan *p, const kql_node *n, const char *what) {
    kql_rowctx rc = {0};
    kql_schema empty = {0};
    rc.in = &empty;
    kql_expr *e = kql_bind_expr(b, &rc, n);
    if (!e) return false;
    if (!kql_type_is_numeric(e->type) && e->type != KQL_DYNAMIC) {
        kql_berr(b, n->off, "type_mismatch", NULL, 0, "%s needs a number of rows, got %s", what, kql_type_name(e->type));
        return false;
    }
    kql_value v;
    if (kql_bind_fold(b, e, &v)) {
        p->count = v.null ? 0 : kql_int(&v);
        if (p->count < 0) p->count = 0;
    } else {
        p->count_expr = kql_expr_cast(b, e, KQL_LONG);
    }
    return true;
}

static bool bind_keys(kql_binder *b, kql_plan *p, kql_plan *in, kql_node *const *keys, size_t n) {
    p->keys = SP_NEWZ(b->arena, pl_sortkey, n ? n : 1);
    p->nkeys = n;
    kql_rowctx rc = {.in = &in->out, .serialized = in->serialized};
    for (size_t i = 0; i < n; i++) {
        const kql_node *k = keys[i];
        const kql_node *en = k->kids[0];
        if (en->kind == N_NAMED) en = en->kids[0];
        kql_expr *e = kql_bind_expr(b, &rc, en);
        if (!e) return false;
        p->keys[i].e = e;
        p->keys[i].asc = (k->flags & NF_ASC) != 0;
        /* defaults: ascending puts nulls first, descending puts them last */
        p->keys[i].nulls_first = (k->flags & NF_NULLS_SET) ? (k->flags & NF_NULLS_FIRST) != 0 : p->keys[i].asc;
    }
    return true;
}

static kql_plan *op_sort(kql_binder *b, kql_plan *in, const kql_node *op) {
    kql_plan *p = new_op(b, PL_SORT, in, op);
    p->out = in->out;
    p->serialized = true;
    if (!bind_keys(b, p, in, op->kids, op->nkids)) return NULL;
    return p;
}

static kql_plan *op_top(kql_binder *b, kql_plan *in, const kql_node *op) {
    kql_plan *p = new_op(b, PL_SORT, in, op);
    p->out = in->out;
    p->serialized = true;
    if (!bind_count(b, p, op->kids[0], "top")) return NULL;
    if (!p->count_expr && p->count == 0) p->count = 0;
    p->count_expr = p->count_expr;
    if (!bind_keys(b, p, in, op->kids + 1, op->nkids - 1)) return NULL;
    p->nrows = 1; /* marks "top": take count rows after sorting */
    return p;
}

static kql_plan *op_take(kql_binder *b, kql_plan *in, const kql_node *op) {
    kql_plan *p = new_op(b, PL_TAKE, in, op);
    p->out = in->out;
    if (!bind_count(b, p, op->kids[0], "take")) return NULL;
    return p;
}

static kql_plan *op_sample(kql_binder *b, kql_plan *in, const kql_node *op) {
    kql_plan *p = new_op(b, PL_SAMPLE, in, op);
    p->out = in->out;
    p->serialized = false;
    if (!bind_count(b, p, op->kids[0], "sample")) return NULL;
    return p;
}

static kql_plan *op_sample_distinct(kql_binder *b, kql_plan *in, const kql_node *op) {
    kql_plan *p = new_op(b, PL_SAMPLE_DISTINCT, in, op);
    if (!bind_count(b, p, op->kids[0], "sample-distinct")) return NULL;
    kql_rowctx rc = {.in = &in->out};
    kql_expr *e = kql_bind_expr(b, &rc, op->kids[1]);
    if (!e || !check_group_type(b, e->type, op->kids[1])) return NULL;
    set_exprs(b, p, &e, 1);
    const char *nm = kql_infer_name(b, op->kids[1]);
    kql_schema_add(b, &p->out, *nm ? nm : "Column1", e->type);
    return p;
}

/* ------------------------------------------------------------------ join */

static bool is_side_ref(const kql_node *n, const char *side, sp_str *col) {
    if (n->kind == N_PATH && n->kids[0]->kind == N_NAME && sp_str_eqc(n->kids[0]->name, side)) {
        *col = n->name;
        return true;
    }
    if (n->kind == N_INDEX && n->kids[0]->kind == N_NAME && sp_str_eqc(n->kids[0]->name, side) &&
        n->kids[1]->kind == N_LIT && n->kids[1]->lit.type == KQL_STRING) {
        *col = n->kids[1]->lit.u.s;
        return true;
    }
    return false;
}

static kql_expr *side_col(kql_binder *b, const kql_schema *s, sp_str col, const kql_node *at, const char *side) {
    int j = kql_schema_find(s, col.p, col.n);
    if (j < 0) {
        kql_berr(b, at->off, "unknown_column", col.p, col.n, "'%.*s' is not a column of the %s side of the join",
                 (int)col.n, col.p, side);
        const char *h = kql_suggest_column(s, col.p, col.n);
        if (h) sp_err_hint(b->err, "did you mean %s?", h);
        return NULL;
    }
    return kql_expr_col(b, j, s->cols[j].type, at->off);
}

static kql_joinkind join_kind(sp_str k, bool *ok) {
    static const struct {
        const char *n;
        kql_joinkind k;
    } kinds[] = {{"innerunique", JK_INNERUNIQUE}, {"inner", JK_INNER}, {"leftouter", JK_LEFTOUTER},
                 {"rightouter", JK_RIGHTOUTER},   {"fullouter", JK_FULLOUTER}, {"outer", JK_FULLOUTER},
                 {"leftanti", JK_LEFTANTI},       {"anti", JK_LEFTANTI},       {"leftantisemi", JK_LEFTANTI},
                 {"rightanti", JK_RIGHTANTI},     {"rightantisemi", JK_RIGHTANTI}, {"leftsemi", JK_LEFTSEMI},
                 {"semi", JK_LEFTSEMI},           {"rightsemi", JK_RIGHTSEMI}};
    for (size_t i = 0; i < SP_ARRAY_LEN(kinds); i++)
        if (sp_str_eqc(k, kinds[i].n)) {
            *ok = true;
            return kinds[i].k;
        }
    *ok = false;
    return JK_INNERUNIQUE;
}

static kql_plan *op_join(kql_binder *b, kql_plan *in, const kql_node *op, bool lookup) {
    kql_plan *right = kql_bind_tabular(b, op->kids[0]);
    if (!right) return NULL;
    kql_plan *p = new_op(b, PL_JOIN, in, op);
    p->serialized = false;
    p->kids = SP_NEWN(b->arena, kql_plan *, 1);
    p->kids[0] = right;
    p->nkids = 1;
    pl_join *j = SP_NEW(b->arena, pl_join);
    p->join = j;
    j->lookup = lookup;
    j->kind = lookup ? JK_LEFTOUTER : JK_INNERUNIQUE;
    const kql_node *kp = kql_node_param(op, "kind");
    if (kp) {
        bool ok;
        j->kind = join_kind(kp->kids[0]->name, &ok);
        if (!ok || (lookup && j->kind != JK_LEFTOUTER && j->kind != JK_INNER)) {
            kql_berr(b, kp->off, "unknown_join_kind", kp->kids[0]->name.p, kp->kids[0]->name.n,
                     "'%.*s' is not a %s kind", (int)kp->kids[0]->name.n, kp->kids[0]->name.p, lookup ? "lookup" : "join");
            return NULL;
        }
    }
    size_t nc = op->nkids - 1;
    j->lkeys = SP_NEWN(b->arena, kql_expr *, nc ? nc : 1);
    j->rkeys = SP_NEWN(b->arena, kql_expr *, nc ? nc : 1);
    bool *drop_right = SP_NEWZ(b->arena, bool, right->out.n ? right->out.n : 1);
    for (size_t i = 0; i < nc; i++) {
        const kql_node *c = op->kids[1 + i];
        kql_expr *l = NULL, *r = NULL;
        if (c->nkids == 1) {
            const kql_node *x = c->kids[0];
            if (x->kind != N_NAME) {
                kql_berr(b, x->off, "syntax", NULL, 0, "join keys are column names or $left.X == $right.Y");
                return NULL;
            }
            l = side_col(b, &in->out, x->name, x, "left");
            if (!l) return NULL;
            r = side_col(b, &right->out, x->name, x, "right");
            if (!r) return NULL;
            if (lookup) drop_right[r->col] = true;
        } else {
            sp_str lc, rc;
            const kql_node *a = c->kids[0], *z = c->kids[1];
            if (is_side_ref(a, "$left", &lc) && is_side_ref(z, "$right", &rc)) {
            } else if (is_side_ref(a, "$right", &rc) && is_side_ref(z, "$left", &lc)) {
            } else if (a->kind == N_NAME && is_side_ref(z, "$right", &rc)) {
                lc = a->name;
            } else if (is_side_ref(a, "$left", &lc) && z->kind == N_NAME) {
                rc = z->name;
            } else {
                kql_berr(b, c->off, "syntax", NULL, 0, "join conditions compare $left.X with $right.Y");
                return NULL;
            }
            l = side_col(b, &in->out, lc, a, "left");
            if (!l) return NULL;
            r = side_col(b, &right->out, rc, z, "right");
            if (!r) return NULL;
            if (lookup) drop_right[r->col] = true;
        }
        if (l->type != r->type) {
            if (kql_type_is_numeric(l->type) && kql_type_is_numeric(r->type) &&
                (l->type == KQL_REAL) == (r->type == KQL_REAL)) {
                l = kql_expr_cast(b, l, KQL_LONG);
                r = kql_expr_cast(b, r, KQL_LONG);
            } else {
                kql_berr(b, c->off, "type_mismatch", NULL, 0, "join keys have different types: %s and %s",
                         kql_type_name(l->type), kql_type_name(r->type));
                return NULL;
            }
        }
        j->lkeys[i] = l;
        j->rkeys[i] = r;
    }
    j->nkeys = nc;
    /* output schema */
    SP_VEC(int) src = {0}, col = {0};
    bool left_cols = j->kind != JK_RIGHTSEMI && j->kind != JK_RIGHTANTI;
    bool right_cols = j->kind != JK_LEFTSEMI && j->kind != JK_LEFTANTI;
    if (left_cols)
        for (size_t c = 0; c < in->out.n; c++) {
            kql_schema_add(b, &p->out, in->out.cols[c].name, in->out.cols[c].type);
            sp_vec_push(&src, 0);
            sp_vec_push(&col, (int)c);
        }
    if (right_cols)
        for (size_t c = 0; c < right->out.n; c++) {
            if (drop_right[c]) continue;
            const char *nm = kql_unique_name(b, &p->out, right->out.cols[c].name);
            kql_schema_add(b, &p->out, nm, right->out.cols[c].type);
            sp_vec_push(&src, 1);
            sp_vec_push(&col, (int)c);
        }
    j->src = SP_NEWN(b->arena, int, src.n ? src.n : 1);
    j->col = SP_NEWN(b->arena, int, col.n ? col.n : 1);
    if (src.n) memcpy(j->src, src.v, src.n * sizeof(int));
    if (col.n) memcpy(j->col, col.v, col.n * sizeof(int));
    sp_vec_free(&src);
    sp_vec_free(&col);
    return p;
}

/* --------------------------------------------------------------- mv-expand */

static kql_plan *op_mv_expand(kql_binder *b, kql_plan *in, const kql_node *op) {
    kql_plan *p = new_op(b, PL_MVEXPAND, in, op);
    pl_mvexpand *m = SP_NEW(b->arena, pl_mvexpand);
    p->mv = m;
    m->index_col = -1;
    const kql_node *be = kql_node_param(op, "bagexpansion");
    if (be) m->bag_as_array = sp_str_eqc(be->kids[0]->name, "array");
    const kql_node *lim = kql_node_param(op, "limit");
    if (lim) {
        kql_plan tmp = {0};
        if (!bind_count(b, &tmp, lim->kids[0], "mv-expand limit")) return NULL;
        m->limit = tmp.count;
    }
    m->nitems = op->nkids;
    m->items = SP_NEWN(b->arena, kql_expr *, op->nkids);
    m->outcol = SP_NEWN(b->arena, int, op->nkids);
    m->totype = SP_NEWN(b->arena, kql_type, op->nkids);
    /* output = input columns; expanded columns replace (or add) theirs */
    for (size_t c = 0; c < in->out.n; c++) kql_schema_add(b, &p->out, in->out.cols[c].name, in->out.cols[c].type);
    p->out.open = in->out.open;
    kql_rowctx rc = {.in = &in->out};
    for (uint32_t i = 0; i < op->nkids; i++) {
        const kql_node *it = op->kids[i];
        const kql_node *ne = it->kids[0];
        const kql_node *en = ne->kind == N_NAMED ? ne->kids[0] : ne;
        kql_expr *e = kql_bind_expr(b, &rc, en);
        if (!e) return NULL;
        m->items[i] = kql_expr_cast(b, e, KQL_DYNAMIC);
        kql_type t = it->type != KQL_UNKNOWN ? it->type : KQL_DYNAMIC;
        m->totype[i] = t;
        const char *nm = ne->kind == N_NAMED ? node_name(b, ne->name) : kql_infer_name(b, en);
        if (!*nm) nm = sp_arena_printf(b->arena, "Column%u", i + 1);
        int j = kql_schema_find(&p->out, nm, strlen(nm));
        if (j >= 0) {
            p->out.cols[j].type = t;
        } else {
            kql_schema_add(b, &p->out, nm, t);
            j = (int)p->out.n - 1;
        }
        m->outcol[i] = j;
    }
    const kql_node *wi = kql_node_param(op, "with_itemindex");
    if (wi) {
        const char *nm = node_name(b, wi->kids[0]->name);
        kql_schema_add(b, &p->out, nm, KQL_LONG);
        m->index_col = (int)p->out.n - 1;
    }
    m->src = SP_NEWN(b->arena, int, p->out.n);
    for (size_t c = 0; c < p->out.n; c++) m->src[c] = c < in->out.n ? (int)c : -1;
    for (size_t i = 0; i < m->nitems; i++) m->src[m->outcol[i]] = -1;
    if (m->index_col >= 0) m->src[m->index_col] = -1;
    return p;
}

/* mv-apply items on (subquery): the subquery runs per input row over a small
 * table of the expanded items (plus the row's other columns). */
static kql_plan *op_mv_apply(kql_binder *b, kql_plan *in, const kql_node *op) {
    /* the expansion itself is an mv-expand */
    kql_node mv = *op;
    mv.nkids = op->nkids - 1;
    kql_plan *exp = op_mv_expand(b, in, &mv);
    if (!exp) return NULL;
    kql_plan *p = new_op(b, PL_MVAPPLY, in, op);
    p->mv = exp->mv;
    /* the subquery's input: a placeholder with the expanded schema */
    kql_plan *sin = kql_plan_new(b->arena, PL_ROWS, NULL);
    sin->out = exp->out;
    sin->name = "mv-apply input";
    const kql_node *sub = op->kids[op->nkids - 1];
    kql_plan *cur = sin;
    for (uint32_t i = 0; i < sub->nkids && cur; i++) cur = kql_bind_operator(b, cur, sub->kids[i]);
    if (!cur) return NULL;
    p->sub = cur;
    p->kids = SP_NEWN(b->arena, kql_plan *, 2);
    p->kids[0] = exp;   /* the expansion (its input is `in`) */
    p->kids[1] = sin;   /* the placeholder the executor fills per row */
    p->nkids = 2;
    /* output: the input's columns that the subquery's output does not redefine, then the subquery's */
    for (size_t c = 0; c < in->out.n; c++) {
        bool expanded = false;
        for (size_t i = 0; i < exp->mv->nitems; i++) expanded |= exp->mv->outcol[i] == (int)c;
        if (expanded) continue;
        if (kql_schema_find(&cur->out, in->out.cols[c].name, strlen(in->out.cols[c].name)) >= 0) continue;
        kql_schema_add(b, &p->out, in->out.cols[c].name, in->out.cols[c].type);
    }
    for (size_t c = 0; c < cur->out.n; c++) {
        /* subquery columns that are the row's untouched input columns were added above */
        int j = kql_schema_find(&p->out, cur->out.cols[c].name, strlen(cur->out.cols[c].name));
        if (j < 0) kql_schema_add(b, &p->out, cur->out.cols[c].name, cur->out.cols[c].type);
    }
    return p;
}

/* ------------------------------------------------------------------ parse */

extern int kql_parse_compile(kql_binder *b, pl_parse *ps, const kql_node *op, const kql_schema *in, kql_schema *out);

static kql_plan *op_parse(kql_binder *b, kql_plan *in, const kql_node *op, bool where) {
    kql_plan *p = new_op(b, PL_PARSE, in, op);
    pl_parse *ps = SP_NEW(b->arena, pl_parse);
    p->parse = ps;
    ps->where = where;
    kql_rowctx rc = {.in = &in->out};
    kql_expr *src = kql_bind_expr(b, &rc, op->kids[0]);
    if (!src) return NULL;
    ps->source = kql_expr_cast(b, src, KQL_STRING);
    for (size_t c = 0; c < in->out.n; c++) kql_schema_add(b, &p->out, in->out.cols[c].name, in->out.cols[c].type);
    if (kql_parse_compile(b, ps, op, &in->out, &p->out) < 0) return NULL;
    return p;
}

/* ------------------------------------------------------------- make-series */

static kql_plan *op_make_series(kql_binder *b, kql_plan *in, const kql_node *op) {
    kql_plan *p = new_op(b, PL_SERIES, in, op);
    p->serialized = false;
    pl_series *sr = SP_NEW(b->arena, pl_series);
    p->series = sr;
    const kql_node *kp = kql_node_param(op, "kind");
    sr->nonempty = kp && sp_str_eqc(kp->kids[0]->name, "nonempty");
    const kql_node *aggs = op->kids[0], *axis = op->kids[1], *by = op->kids[2];
    kql_rowctx rc = {.in = &in->out};
    /* groups */
    sr->groups = SP_NEWN(b->arena, kql_expr *, by->nkids ? by->nkids : 1);
    int counter = 0;
    for (uint32_t i = 0; i < by->nkids; i++) {
        const kql_node *it = by->kids[i];
        const kql_node *en = it->kind == N_NAMED ? it->kids[0] : it;
        kql_expr *e = kql_bind_expr(b, &rc, en);
        if (!e || !check_group_type(b, e->type, en)) return NULL;
        const char *nm = it->kind == N_NAMED ? node_name(b, it->name) : kql_infer_name(b, en);
        if (!*nm) nm = auto_name(b, &p->out, &counter);
        kql_schema_add(b, &p->out, nm, e->type);
        sr->groups[sr->ngroups++] = e;
    }
    /* aggregates: each must be an aggregate call (optionally named) */
    pl_summarize tmp = {0};
    sr->naggs = aggs->nkids;
    sr->aggs = SP_NEWN(b->arena, kql_expr *, aggs->nkids);
    sr->defaults = SP_NEWZ(b->arena, kql_value, aggs->nkids);
    for (uint32_t i = 0; i < aggs->nkids; i++) {
        const kql_node *w = aggs->kids[i];
        const kql_node *it = w->kids[0];
        const kql_node *en = it->kind == N_NAMED ? it->kids[0] : it;
        kql_rowctx arc = {.in = &in->out, .sum = &tmp};
        size_t before = tmp.naggs;
        kql_expr *e = kql_bind_expr(b, &arc, en);
        if (!e) return NULL;
        if (tmp.naggs != before + 1 || e->kind != E_COL) {
            kql_berr(b, en->off, "aggregate_context", NULL, 0, "make-series needs an aggregation function for each series");
            return NULL;
        }
        sr->aggs[i] = tmp.aggs[tmp.naggs - 1].call;
        kql_type at = sr->aggs[i]->type;
        kql_value dv = {.type = at};
        if (w->nkids > 1) {
            kql_schema empty = {0};
            kql_rowctx drc = {.in = &empty};
            kql_expr *d = kql_bind_expr(b, &drc, w->kids[1]);
            if (!d || !kql_bind_fold(b, d, &dv)) {
                if (d) kql_berr(b, w->kids[1]->off, "not_constant", NULL, 0, "a make-series default must be a constant");
                return NULL;
            }
        } else {
            /* the default default: 0 for numbers, null otherwise */
            if (kql_type_is_numeric(at)) {
                dv.u.i = 0;
                dv.u.r = 0;
                if (at == KQL_REAL || at == KQL_DECIMAL) dv.u.r = 0;
            } else {
                dv.null = true;
            }
        }
        sr->defaults[i] = dv;
        const char *nm = it->kind == N_NAMED ? node_name(b, it->name) : kql_infer_name(b, en);
        if (!*nm) nm = auto_name(b, &p->out, &counter);
        kql_schema_add(b, &p->out, kql_unique_name(b, &p->out, nm), KQL_DYNAMIC);
    }
    /* the axis */
    kql_expr *ax = kql_bind_expr(b, &rc, axis->kids[0]);
    if (!ax) return NULL;
    if (ax->type != KQL_DATETIME && ax->type != KQL_TIMESPAN && !kql_type_is_numeric(ax->type)) {
        kql_berr(b, axis->kids[0]->off, "type_mismatch", NULL, 0, "the make-series axis must be a datetime, timespan or number");
        return NULL;
    }
    sr->axis = ax;
    kql_schema empty = {0};
    kql_rowctx crc = {.in = &empty};
    kql_expr **slots[3] = {&sr->from, &sr->to, &sr->step};
    for (int k = 0; k < 3; k++) {
        const kql_node *x = axis->kids[1 + k];
        if (x->kind == N_LIT && x->lit.null && x->lit.type == KQL_UNKNOWN) continue;
        kql_expr *e = kql_bind_expr(b, &crc, x);
        if (!e) return NULL;
        *slots[k] = e;
    }
    if (!sr->step) {
        kql_berr(b, op->off, "syntax", NULL, 0, "make-series needs a step");
        return NULL;
    }
    const char *an = kql_infer_name(b, axis->kids[0]);
    kql_schema_add(b, &p->out, kql_unique_name(b, &p->out, *an ? an : "Column1"), KQL_DYNAMIC);
    return p;
}

/* ------------------------------------------------------------ top-nested */

static kql_plan *op_top_nested(kql_binder *b, kql_plan *in, const kql_node *op) {
    kql_plan *p = new_op(b, PL_TOPNESTED, in, op);
    pl_topnested *tn = SP_NEW(b->arena, pl_topnested);
    p->tn = tn;
    tn->nlevels = op->nkids;
    tn->levels = SP_NEWZ(b->arena, struct tn_level, op->nkids);
    kql_rowctx rc = {.in = &in->out};
    for (uint32_t i = 0; i < op->nkids; i++) {
        const kql_node *c = op->kids[i];
        struct tn_level *lv = &tn->levels[i];
        const kql_node *cnt = c->kids[0], *of = c->kids[1], *key = c->kids[2], *others = c->kids[3];
        if (!(cnt->kind == N_LIT && cnt->lit.null && cnt->lit.type == KQL_UNKNOWN)) {
            kql_schema empty = {0};
            kql_rowctx crc = {.in = &empty};
            lv->count = kql_bind_expr(b, &crc, cnt);
            if (!lv->count) return NULL;
        }
        const kql_node *ofe = of->kind == N_NAMED ? of->kids[0] : of;
        lv->of = kql_bind_expr(b, &rc, ofe);
        if (!lv->of) return NULL;
        const char *ofname = of->kind == N_NAMED ? node_name(b, of->name) : kql_infer_name(b, ofe);
        if (!*ofname) ofname = sp_arena_printf(b->arena, "Column%u", i + 1);
        kql_schema_add(b, &p->out, kql_unique_name(b, &p->out, ofname), lv->of->type);
        const kql_node *by = key->kids[0];
        const kql_node *bye = by->kind == N_NAMED ? by->kids[0] : by;
        pl_summarize tmp = {0};
        kql_rowctx arc = {.in = &in->out, .sum = &tmp};
        kql_expr *e = kql_bind_expr(b, &arc, bye);
        if (!e) return NULL;
        if (tmp.naggs != 1 || e->kind != E_COL) {
            kql_berr(b, bye->off, "aggregate_context", NULL, 0, "top-nested orders by an aggregation function");
            return NULL;
        }
        lv->agg = tmp.aggs[0].call;
        lv->asc = (key->flags & NF_ASC) != 0;
        const char *an = by->kind == N_NAMED ? node_name(b, by->name) : sp_arena_printf(b->arena, "aggregated_%s", ofname);
        kql_schema_add(b, &p->out, kql_unique_name(b, &p->out, an), e->type);
        if (!(others->kind == N_LIT && others->lit.null && others->lit.type == KQL_UNKNOWN)) {
            kql_schema empty = {0};
            kql_rowctx orc = {.in = &empty};
            lv->others = kql_bind_expr(b, &orc, others);
            if (!lv->others) return NULL;
            lv->others = kql_expr_cast(b, lv->others, lv->of->type);
        }
    }
    return p;
}

/* ------------------------------------------------------------- evaluate */

static kql_plan *op_evaluate(kql_binder *b, kql_plan *in, const kql_node *op) {
    const kql_node *call = op->kids[0];
    if (sp_str_eqc(call->name, "bag_unpack")) {
        if (call->nkids < 1 || call->kids[0]->kind != N_NAME) {
            kql_berr(b, call->off, "wrong_arity", call->name.p, call->name.n,
                     "bag_unpack() takes a dynamic column, then an optional prefix and options");
            return NULL;
        }
        int j = kql_schema_find(&in->out, call->kids[0]->name.p, call->kids[0]->name.n);
        if (j < 0) {
            kql_berr(b, call->kids[0]->off, "unknown_column", call->kids[0]->name.p, call->kids[0]->name.n,
                     "'%.*s' is not a column of the input", (int)call->kids[0]->name.n, call->kids[0]->name.p);
            return NULL;
        }
        if (in->out.cols[j].type != KQL_DYNAMIC) {
            kql_berr(b, call->kids[0]->off, "type_mismatch", NULL, 0, "bag_unpack() needs a dynamic column");
            return NULL;
        }
        kql_plan *p = new_op(b, PL_BAGUNPACK, in, op);
        p->bag_col = j;
        kql_schema empty = {0};
        kql_rowctx crc = {.in = &empty};
        for (uint32_t k = 1; k < call->nkids; k++) {
            const kql_node *arg = call->kids[k];
            const char *pname = "OutputColumnPrefix";
            const kql_node *val = arg;
            if (arg->kind == N_NAMED) {
                pname = node_name(b, arg->name);
                val = arg->kids[0];
            } else if (k == 2) {
                pname = "columnsConflict";
            } else if (k == 3) {
                pname = "ignoredProperties";
            }
            kql_expr *e = kql_bind_expr(b, &crc, val);
            kql_value v;
            if (!e || !kql_bind_fold(b, e, &v)) {
                if (e) kql_berr(b, val->off, "not_constant", NULL, 0, "bag_unpack() options must be constants");
                return NULL;
            }
            if (strcmp(pname, "OutputColumnPrefix") == 0) {
                if (v.type != KQL_STRING) {
                    kql_berr(b, val->off, "type_mismatch", NULL, 0, "bag_unpack()'s prefix must be a string");
                    return NULL;
                }
                p->bag_prefix = sp_arena_strndup(b->arena, v.u.s.p, v.u.s.n);
            } else if (strcmp(pname, "columnsConflict") == 0) {
                sp_str cv = v.type == KQL_STRING ? v.u.s : SP_STR("");
                if (sp_str_eqc(cv, "error")) p->bag_conflict = 0;
                else if (sp_str_eqc(cv, "replace_source")) p->bag_conflict = 1;
                else if (sp_str_eqc(cv, "keep_source")) p->bag_conflict = 2;
                else {
                    kql_berr(b, val->off, "type_mismatch", NULL, 0,
                             "columnsConflict must be 'error', 'replace_source' or 'keep_source'");
                    return NULL;
                }
            } else if (strcmp(pname, "ignoredProperties") == 0) {
                if (v.type != KQL_DYNAMIC || v.null || v.u.d->kind != KQL_DYN_ARRAY) {
                    kql_berr(b, val->off, "type_mismatch", NULL, 0, "ignoredProperties must be a dynamic array of names");
                    return NULL;
                }
                p->bag_ignored = v.u.d;
            } else {
                kql_berr(b, arg->off, "unknown_option", pname, strlen(pname), "bag_unpack() has no option '%s'", pname);
                return NULL;
            }
        }
        if (op->nkids > 1) {
            /* an output schema: the columns are known now */
            const kql_node *sch = op->kids[1];
            for (uint32_t c = 0; c < sch->nkids; c++)
                kql_schema_add(b, &p->out, node_name(b, sch->kids[c]->name), sch->kids[c]->type);
            p->bag_schema = true;
            return p;
        }
        /* the known columns now; the bag's keys join them when the query runs */
        for (size_t c = 0; c < in->out.n; c++)
            if ((int)c != j) kql_schema_add(b, &p->out, in->out.cols[c].name, in->out.cols[c].type);
        p->out.open = true;
        return p;
    }
    if (sp_str_eqc(call->name, "pivot")) {
        if (call->nkids < 1) {
            kql_berr(b, call->off, "wrong_arity", call->name.p, call->name.n, "pivot() needs the column whose values become columns");
            return NULL;
        }
        kql_plan *p = new_op(b, PL_PIVOT, in, op);
        pl_plugin *pg = SP_NEW(b->arena, pl_plugin);
        p->plug = pg;
        kql_rowctx rc = {.in = &in->out};
        pg->pivot = kql_bind_expr(b, &rc, call->kids[0]);
        if (!pg->pivot) return NULL;
        pl_summarize tmp = {0};
        kql_rowctx arc = {.in = &in->out, .sum = &tmp};
        bool *used = SP_NEWZ(b->arena, bool, in->out.n ? in->out.n : 1);
        if (call->kids[0]->kind == N_NAME) {
            int j = kql_schema_find(&in->out, call->kids[0]->name.p, call->kids[0]->name.n);
            if (j >= 0) used[j] = true;
        }
        if (call->nkids > 1) {
            kql_expr *e = kql_bind_expr(b, &arc, call->kids[1]);
            if (!e) return NULL;
            if (tmp.naggs != 1 || e->kind != E_COL) {
                kql_berr(b, call->kids[1]->off, "aggregate_context", NULL, 0, "pivot()'s second argument is an aggregation function");
                return NULL;
            }
            pg->agg = tmp.aggs[0].call;
            for (uint32_t k = 0; k < pg->agg->nargs; k++)
                if (pg->agg->args[k]->kind == E_COL && pg->agg->args[k]->col >= 0) used[pg->agg->args[k]->col] = true;
        } else {
            const kql_fn *cnt = kql_fn_find("count", 5);
            if (!cnt) {
                kql_berr(b, call->off, "unknown_function", "count", 5, "count() is not available");
                return NULL;
            }
            pg->agg = kql_expr_new(b, E_AGG, KQL_LONG, call->off);
            pg->agg->fn = cnt;
            pg->agg->op = 1;
        }
        size_t ng = call->nkids > 2 ? call->nkids - 2 : 0;
        if (ng == 0) {
            for (size_t c = 0; c < in->out.n; c++)
                if (!used[c] && in->out.cols[c].type != KQL_DYNAMIC) ng++;
        }
        pg->groups = SP_NEWN(b->arena, kql_expr *, ng ? ng : 1);
        pg->gnames = SP_NEWN(b->arena, const char *, ng ? ng : 1);
        if (call->nkids > 2) {
            for (uint32_t k = 2; k < call->nkids; k++) {
                kql_expr *g = kql_bind_expr(b, &rc, call->kids[k]);
                if (!g || !check_group_type(b, g->type, call->kids[k])) return NULL;
                const char *nm = kql_infer_name(b, call->kids[k]);
                pg->groups[pg->ngroups] = g;
                pg->gnames[pg->ngroups++] = *nm ? nm : sp_arena_printf(b->arena, "Column%u", k - 1);
            }
        } else {
            for (size_t c = 0; c < in->out.n; c++) {
                if (used[c] || in->out.cols[c].type == KQL_DYNAMIC) continue;
                pg->groups[pg->ngroups] = kql_expr_col(b, (int)c, in->out.cols[c].type, call->off);
                pg->gnames[pg->ngroups++] = in->out.cols[c].name;
            }
        }
        for (size_t g = 0; g < pg->ngroups; g++) kql_schema_add(b, &p->out, pg->gnames[g], pg->groups[g]->type);
        p->out.open = true;
        return p;
    }
    if (sp_str_eqc(call->name, "ipv4_lookup")) {
        if (call->nkids < 3) {
            kql_berr(b, call->off, "wrong_arity", call->name.p, call->name.n,
                     "ipv4_lookup() takes a lookup table, the IP column and the table's range column");
            return NULL;
        }
        kql_plan *lk = kql_bind_tabular(b, call->kids[0]);
        if (!lk) return NULL;
        kql_plan *p = new_op(b, PL_IPLOOKUP, in, op);
        pl_plugin *pg = SP_NEW(b->arena, pl_plugin);
        p->plug = pg;
        p->kids = SP_NEWN(b->arena, kql_plan *, 1);
        p->kids[0] = lk;
        p->nkids = 1;
        kql_rowctx rc = {.in = &in->out};
        pg->ip = kql_bind_expr(b, &rc, call->kids[1]);
        if (!pg->ip) return NULL;
        pg->ip = kql_expr_cast(b, pg->ip, KQL_STRING);
        const kql_node *rn = call->kids[2];
        pg->range_col = rn->kind == N_NAME ? kql_schema_find(&lk->out, rn->name.p, rn->name.n) : -1;
        if (pg->range_col < 0) {
            kql_berr(b, rn->off, "unknown_column", rn->name.p, rn->name.n, "the lookup table has no column '%.*s'",
                     (int)rn->name.n, rn->name.p);
            return NULL;
        }
        for (uint32_t k = 3; k < call->nkids; k++) {
            const kql_node *a = call->kids[k];
            const kql_node *v = a->kind == N_NAMED ? a->kids[0] : a;
            kql_schema none = {0};
            kql_rowctx crc = {.in = &none};
            kql_expr *e = kql_bind_expr(b, &crc, v);
            kql_value bv;
            if (!e || !kql_bind_fold(b, e, &bv) || bv.type != KQL_BOOL) {
                if (!sp_err_is_set(b->err)) kql_berr(b, v->off, "type_mismatch", NULL, 0, "return_unmatched must be a constant bool");
                return NULL;
            }
            pg->unmatched = bv.u.b;
        }
        for (size_t c = 0; c < in->out.n; c++) kql_schema_add(b, &p->out, in->out.cols[c].name, in->out.cols[c].type);
        for (size_t c = 0; c < lk->out.n; c++)
            kql_schema_add(b, &p->out, kql_unique_name(b, &p->out, lk->out.cols[c].name), lk->out.cols[c].type);
        return p;
    }
    kql_berr(b, call->off, "unknown_plugin", call->name.p, call->name.n,
             "the plugin '%.*s' is not available in secpilot (supported: bag_unpack, pivot, ipv4_lookup)",
             (int)call->name.n, call->name.p);
    return NULL;
}

/* ---------------------------------------------------------------- others */

static kql_plan *op_getschema(kql_binder *b, kql_plan *in, const kql_node *op) {
    kql_plan *p = new_op(b, PL_GETSCHEMA, in, op);
    kql_schema_add(b, &p->out, "ColumnName", KQL_STRING);
    kql_schema_add(b, &p->out, "ColumnOrdinal", KQL_INT);
    kql_schema_add(b, &p->out, "DataType", KQL_STRING);
    kql_schema_add(b, &p->out, "ColumnType", KQL_STRING);
    p->serialized = true;
    return p;
}

static kql_plan *op_invoke(kql_binder *b, kql_plan *in, const kql_node *op) {
    return kql_bind_call_tabular(b, op->kids[0], in);
}

static kql_plan *op_as(kql_binder *b, kql_plan *in, const kql_node *op) {
    kql_plan *p = new_op(b, PL_SHARED, in, op);
    p->out = in->out;
    p->name = node_name(b, op->name);
    kql_sym *y = kql_declare(b, SYM_TABULAR, op->name, op);
    if (y) y->plan = p;
    return p;
}

static kql_plan *op_partition(kql_binder *b, kql_plan *in, const kql_node *op) {
    if (op->nkids < 2) {
        kql_berr(b, op->off, "syntax", NULL, 0, "partition needs a subquery");
        return NULL;
    }
    int j = kql_schema_find(&in->out, op->kids[0]->name.p, op->kids[0]->name.n);
    if (j < 0) {
        kql_berr(b, op->kids[0]->off, "unknown_column", op->kids[0]->name.p, op->kids[0]->name.n,
                 "'%.*s' is not a column of the input", (int)op->kids[0]->name.n, op->kids[0]->name.p);
        return NULL;
    }
    kql_plan *p = new_op(b, PL_PARTITION, in, op);
    p->bag_col = j;
    kql_plan *sin = kql_plan_new(b->arena, PL_ROWS, NULL);
    sin->out = in->out;
    sin->name = "partition input";
    const kql_node *sub = op->kids[1];
    kql_plan *cur = sin;
    if (sub->kind == N_LIST) {
        for (uint32_t i = 0; i < sub->nkids && cur; i++) cur = kql_bind_operator(b, cur, sub->kids[i]);
    } else {
        /* { T | ... } form: bind with the partition as 'T'? Kusto names it by the input */
        kql_berr(b, sub->off, "syntax", NULL, 0, "partition ... { } subqueries are not supported; use ( | operators )");
        return NULL;
    }
    if (!cur) return NULL;
    p->sub = cur;
    p->kids = SP_NEWN(b->arena, kql_plan *, 1);
    p->kids[0] = sin;
    p->nkids = 1;
    p->out = cur->out;
    return p;
}

kql_plan *kql_bind_union(kql_binder *b, const kql_node *n, kql_plan *piped);
kql_plan *kql_bind_search(kql_binder *b, const kql_node *n, kql_plan *piped);

kql_plan *kql_bind_operator(kql_binder *b, kql_plan *in, const kql_node *op) {
    if (!in || sp_err_is_set(b->err)) return NULL;
    if (in->out.open && op->op != OP_RENDER && op->op != OP_TAKE && op->op != OP_AS) {
        /* the input's columns are known only when the query runs */
        kql_plan *p = new_op(b, PL_LATE, in, op);
        p->late = op;
        p->late_scope = b->scope;
        p->out.open = true;
        return p;
    }
    switch (op->op) {
    case OP_WHERE: return op_where(b, in, op);
    case OP_PROJECT: return op_project(b, in, op, false, false);
    case OP_EXTEND: return op_project(b, in, op, true, false);
    case OP_SERIALIZE: return op_project(b, in, op, true, true);
    case OP_PROJECT_AWAY: return op_away_keep(b, in, op, false);
    case OP_PROJECT_KEEP: return op_away_keep(b, in, op, true);
    case OP_PROJECT_RENAME: return op_rename(b, in, op);
    case OP_PROJECT_REORDER: return op_reorder(b, in, op);
    case OP_SUMMARIZE: return op_summarize(b, in, op);
    case OP_COUNT: return op_count(b, in, op);
    case OP_DISTINCT: return op_distinct(b, in, op);
    case OP_TOP: return op_top(b, in, op);
    case OP_TOP_NESTED: return op_top_nested(b, in, op);
    case OP_SORT: return op_sort(b, in, op);
    case OP_TAKE: return op_take(b, in, op);
    case OP_JOIN: return op_join(b, in, op, false);
    case OP_LOOKUP: return op_join(b, in, op, true);
    case OP_UNION: return kql_bind_union(b, op, in);
    case OP_MV_EXPAND: return op_mv_expand(b, in, op);
    case OP_MV_APPLY: return op_mv_apply(b, in, op);
    case OP_PARSE: return op_parse(b, in, op, false);
    case OP_PARSE_WHERE: return op_parse(b, in, op, true);
    case OP_MAKE_SERIES: return op_make_series(b, in, op);
    case OP_AS: return op_as(b, in, op);
    case OP_SEARCH: return kql_bind_search(b, op, in);
    case OP_RENDER: {
        b->render = node_name(b, op->name);
        in->render = b->render;
        return in;
    }
    case OP_EVALUATE: return op_evaluate(b, in, op);
    case OP_GETSCHEMA: return op_getschema(b, in, op);
    case OP_SAMPLE: return op_sample(b, in, op);
    case OP_SAMPLE_DISTINCT: return op_sample_distinct(b, in, op);
    case OP_INVOKE: return op_invoke(b, in, op);
    case OP_PARTITION: return op_partition(b, in, op);
    case OP_CONSUME: {
        kql_plan *p = new_op(b, PL_TAKE, in, op);
        p->count = 0;
        return p;
    }
    default:
        kql_berr(b, op->off, "unsupported_operator", op->name.p, op->name.n,
                 "the '%.*s' operator is not supported by secpilot", (int)op->name.n, op->name.p);
        return NULL;
    }
}
