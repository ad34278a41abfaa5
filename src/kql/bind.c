/* The binder, part 1: statements, let scopes, table references, tabular
 * sources and let-function calls; kql_compile is the entry point. */
#include "bind.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_CALL_DEPTH 32

int kql_berr(kql_binder *b, uint32_t off, const char *code, const char *name, size_t nlen, const char *fmt, ...) {
    if (sp_err_is_set(b->err)) return -1;
    int line, col;
    kql_pos(b->text, off, &line, &col);
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sp_err_set(b->err, SP_ERR_SEMANTIC, code, line, col, "%s (line %d, column %d)", msg, line, col);
    if (name) sp_err_name(b->err, name, nlen);
    return -1;
}

int kql_bind_error(kql_bindctx *bc, const kql_expr *at, const char *code, const char *fmt, ...) {
    if (sp_err_is_set(bc->err)) return -1;
    int line = 0, col = 0;
    if (at) kql_pos(bc->text, at->off, &line, &col);
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sp_err_set(bc->err, SP_ERR_SEMANTIC, code, line, col, "%s (line %d, column %d)", msg, line, col);
    return -1;
}

/* ------------------------------------------------------------------ scopes */

void kql_scope_push(kql_binder *b) {
    kql_scope *s = SP_NEW(b->arena, kql_scope);
    s->parent = b->scope;
    b->scope = s;
}

void kql_scope_pop(kql_binder *b) { b->scope = b->scope->parent; }

kql_sym *kql_lookup(kql_binder *b, const char *name, size_t n) {
    for (kql_scope *s = b->scope; s; s = s->parent)
        for (kql_sym *y = s->syms; y; y = y->next)
            if (y->name.n == n && memcmp(y->name.p, name, n) == 0) return y;
    return NULL;
}

kql_sym *kql_declare(kql_binder *b, kql_symkind kind, sp_str name, const kql_node *at) {
    for (kql_sym *y = b->scope->syms; y; y = y->next) {
        if (sp_str_eq(y->name, name)) {
            kql_berr(b, at ? at->off : 0, "already_declared", name.p, name.n,
                     "a variable named '%.*s' is already declared in this scope", (int)name.n, name.p);
            return NULL;
        }
    }
    kql_sym *y = SP_NEW(b->arena, kql_sym);
    y->kind = kind;
    y->name = name;
    y->let = at;
    y->next = b->scope->syms;
    b->scope->syms = y;
    return y;
}

/* ----------------------------------------------------------------- schemas */

kql_plan *kql_plan_new(sp_arena *a, kql_pkind kind, kql_plan *in) {
    kql_plan *p = SP_NEW(a, kql_plan);
    p->kind = kind;
    p->in = in;
    p->source_col = -1;
    p->bag_col = -1;
    if (in) p->serialized = in->serialized;
    return p;
}

int kql_schema_find(const kql_schema *s, const char *name, size_t n) {
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->cols[i].name) == n && memcmp(s->cols[i].name, name, n) == 0) return (int)i;
    return -1;
}

void kql_schema_add(kql_binder *b, kql_schema *s, const char *name, kql_type t) { kql_schema_add_rt(b->arena, s, name, t); }

void kql_schema_add_rt(sp_arena *a, kql_schema *s, const char *name, kql_type t) {
    /* grow by powers of two */
    if ((s->n & (s->n - 1)) == 0) {
        size_t cap = s->n ? s->n * 2 : 4;
        kql_colinfo *c = SP_NEWN(a, kql_colinfo, cap);
        if (s->n) memcpy(c, s->cols, s->n * sizeof *c);
        s->cols = c;
    }
    s->cols[s->n].name = name;
    s->cols[s->n].type = t;
    s->n++;
}

/* A name not yet used in s: base, base1, base2, ... (Kusto's join suffixes). */
const char *kql_unique_name(kql_binder *b, const kql_schema *s, const char *base) {
    if (kql_schema_find(s, base, strlen(base)) < 0) return base;
    for (int i = 1;; i++) {
        char *nm = sp_arena_printf(b->arena, "%s%d", base, i);
        if (kql_schema_find(s, nm, strlen(nm)) < 0) return nm;
    }
}

static kql_plan *scan_plan(kql_binder *b, const kql_table *t, uint32_t off) {
    kql_plan *p = kql_plan_new(b->arena, PL_SCAN, NULL);
    p->table = t;
    p->off = off;
    for (size_t i = 0; i < t->ncols; i++) kql_schema_add(b, &p->out, t->cols[i].name, t->cols[i].type);
    return p;
}

/* --------------------------------------------------------- tabular sources */

static kql_plan *bind_let_tabular(kql_binder *b, kql_sym *y) {
    if (y->plan) return y->plan;   /* materialized or a tabular parameter: shared */
    /* re-bind the definition in its own scope, so each use has its own plan */
    kql_scope *save = b->scope;
    b->scope = y->defscope;
    if (++b->depth > MAX_CALL_DEPTH) {
        b->scope = save;
        kql_berr(b, y->let ? y->let->off : 0, "too_deep", NULL, 0, "let definitions nest too deeply");
        return NULL;
    }
    kql_plan *p = kql_bind_tabular(b, y->def);
    b->depth--;
    b->scope = save;
    return p;
}

/* Resolves a table name: a let symbol first, then the catalog. */
kql_plan *kql_bind_table_name(kql_binder *b, const kql_node *n, bool fuzzy) {
    kql_sym *y = kql_lookup(b, n->name.p, n->name.n);
    if (y) {
        if (y->kind == SYM_TABULAR) return bind_let_tabular(b, y);
        if (y->kind == SYM_FUNC) return kql_bind_call_tabular(b, n, NULL);
        kql_berr(b, n->off, "type_mismatch", n->name.p, n->name.n, "'%.*s' is a scalar value, not a table",
                 (int)n->name.n, n->name.p);
        return NULL;
    }
    const kql_table *t = b->cat && b->cat->find ? b->cat->find(b->cat->ctx, n->name.p, n->name.n) : NULL;
    if (t) return scan_plan(b, t, n->off);
    if (fuzzy) return NULL;
    kql_berr(b, n->off, "unknown_table", n->name.p, n->name.n, "'%.*s' is not a known table, let or function",
             (int)n->name.n, n->name.p);
    const char *s = kql_suggest_table(b->cat, n->name.p, n->name.n);
    if (s) sp_err_hint(b->err, "did you mean %s?", s);
    return NULL;
}

/* Binds a let-defined function call (or a view) in tabular or scalar form.
 * Returns the plan of a tabular body; scalar bodies are bound by bind_expr
 * through kql_bind_call_scalar. `piped` is the input of `| invoke f()`. */
static bool bind_call_args(kql_binder *b, const kql_node *call, const kql_node *def, kql_plan *piped,
                           kql_scope *callee, kql_rowctx *rc);

kql_expr *kql_bind_call_scalar(kql_binder *b, kql_rowctx *rc, const kql_node *call, kql_sym *y);

kql_plan *kql_bind_call_tabular(kql_binder *b, const kql_node *call, kql_plan *piped) {
    kql_sym *y = kql_lookup(b, call->name.p, call->name.n);
    if (!y || y->kind != SYM_FUNC) {
        if (y && y->kind == SYM_TABULAR && call->kind == N_CALL && call->nkids == 0) return bind_let_tabular(b, y);
        kql_berr(b, call->off, "unknown_function", call->name.p, call->name.n,
                 "'%.*s' is not a known tabular function", (int)call->name.n, call->name.p);
        return NULL;
    }
    if (++b->depth > MAX_CALL_DEPTH) {
        kql_berr(b, call->off, "too_deep", NULL, 0, "function calls nest too deeply");
        return NULL;
    }
    kql_scope *save = b->scope;
    kql_scope *callee = SP_NEW(b->arena, kql_scope);
    callee->parent = y->defscope;
    kql_rowctx rc = {0};
    kql_schema empty = {0};
    rc.in = &empty;
    kql_plan *result = NULL;
    if (bind_call_args(b, call, y->def, piped, callee, &rc)) {
        b->scope = callee;
        const kql_node *body = y->def->kids[1];
        bool ok = true;
        for (uint32_t i = 0; i + 1 < body->nkids && ok; i++) {
            const kql_node *st = body->kids[i];
            if (st->kind != N_LET) {
                kql_berr(b, st->off, "syntax", NULL, 0, "only let statements may precede the function's result");
                ok = false;
                break;
            }
            extern int kql_bind_let(kql_binder * b, const kql_node *let);
            if (kql_bind_let(b, st) < 0) ok = false;
        }
        if (ok) {
            const kql_node *last = body->kids[body->nkids - 1];
            if (last->kind == N_LET) {
                kql_berr(b, last->off, "syntax", NULL, 0, "a function body must end with an expression");
            } else if (!kql_is_tabular_node(b, last)) {
                kql_berr(b, call->off, "type_mismatch", call->name.p, call->name.n,
                         "'%.*s' returns a scalar, not a table", (int)call->name.n, call->name.p);
            } else {
                result = kql_bind_tabular(b, last);
            }
        }
    }
    b->scope = save;
    b->depth--;
    return result;
}

static bool bind_call_args(kql_binder *b, const kql_node *call, const kql_node *def, kql_plan *piped,
                           kql_scope *callee, kql_rowctx *rc) {
    const kql_node *params = def->kids[0];
    uint32_t nargs = call->kind == N_CALL ? call->nkids : 0;
    uint32_t first = 0;
    if (piped) {
        if (params->nkids == 0 || params->kids[0]->kids[0]->kind != N_SCHEMA) {
            kql_berr(b, call->off, "wrong_arity", call->name.p, call->name.n,
                     "'%.*s' has no tabular first parameter to receive the piped input", (int)call->name.n,
                     call->name.p);
            return false;
        }
        first = 1;
    }
    if (nargs + first > params->nkids) {
        kql_berr(b, call->off, "wrong_arity", call->name.p, call->name.n, "'%.*s' takes %u arguments, got %u",
                 (int)call->name.n, call->name.p, params->nkids, nargs + first);
        return false;
    }
    for (uint32_t i = 0; i < params->nkids; i++) {
        const kql_node *par = params->kids[i];
        kql_sym *y = SP_NEW(b->arena, kql_sym);
        y->name = par->name;
        y->let = par;
        const kql_node *arg = NULL;
        if (i >= first && i - first < nargs) arg = call->kids[i - first];
        if (arg && arg->kind == N_NAMED) {
            /* f(name = value) */
            const kql_node *val = arg->kids[0];
            bool found = false;
            for (uint32_t k = 0; k < params->nkids; k++) {
                if (sp_str_eq(params->kids[k]->name, arg->name)) {
                    found = k == i;
                    break;
                }
            }
            arg = found ? val : NULL;
            if (!found) {
                /* look for a named argument matching this parameter */
                for (uint32_t k = 0; k < nargs; k++) {
                    const kql_node *a = call->kids[k];
                    if (a->kind == N_NAMED && sp_str_eq(a->name, par->name)) arg = a->kids[0];
                }
            }
        }
        if (par->kids[0]->kind == N_SCHEMA) {
            y->kind = SYM_TABULAR;
            if (i == 0 && piped) {
                y->plan = piped;
            } else if (!arg) {
                kql_berr(b, call->off, "wrong_arity", call->name.p, call->name.n,
                         "'%.*s' needs a table for parameter '%.*s'", (int)call->name.n, call->name.p,
                         (int)par->name.n, par->name.p);
                return false;
            } else {
                y->plan = kql_bind_tabular(b, arg);
                if (!y->plan) return false;
            }
            /* the table must have the columns the parameter declares, of those types */
            const kql_node *sch = par->kids[0];
            if (!(sch->flags & NF_STAR)) {
                for (uint32_t c = 0; c < sch->nkids; c++) {
                    const kql_node *cd = sch->kids[c];
                    int j = kql_schema_find(&y->plan->out, cd->name.p, cd->name.n);
                    if (j < 0 || y->plan->out.cols[j].type != cd->type) {
                        kql_berr(b, arg ? arg->off : call->off, "missing_columns", cd->name.p, cd->name.n,
                                 "the table passed to '%.*s' lacks column %.*s:%s that parameter '%.*s' requires",
                                 (int)call->name.n, call->name.p, (int)cd->name.n, cd->name.p, kql_type_name(cd->type),
                                 (int)par->name.n, par->name.p);
                        return false;
                    }
                }
            }
            /* a tabular parameter may be read more than once: share it */
            kql_plan *sh = kql_plan_new(b->arena, PL_SHARED, y->plan);
            sh->out = y->plan->out;
            y->plan = sh;
        } else {
            y->kind = SYM_SCALAR;
            kql_type want = par->kids[0]->type;
            kql_expr *e = NULL;
            if (arg) {
                e = kql_bind_expr(b, rc, arg);
            } else if (par->nkids > 1) {
                kql_scope *save = b->scope;
                b->scope = callee;
                e = kql_bind_expr(b, rc, par->kids[1]);
                b->scope = save;
            } else {
                kql_berr(b, call->off, "wrong_arity", call->name.p, call->name.n,
                         "'%.*s' needs a value for parameter '%.*s'", (int)call->name.n, call->name.p,
                         (int)par->name.n, par->name.p);
                return false;
            }
            if (!e) return false;
            if (e->type != want && want != KQL_DYNAMIC) {
                bool ok = e->type == KQL_DYNAMIC || e->type == KQL_UNKNOWN ||
                          (kql_type_is_numeric(e->type) && kql_type_is_numeric(want));
                if (!ok) {
                    kql_berr(b, arg ? arg->off : call->off, "type_mismatch", par->name.p, par->name.n,
                             "parameter '%.*s' of '%.*s' expects a %s, got a %s", (int)par->name.n, par->name.p,
                             (int)call->name.n, call->name.p, kql_type_name(want), kql_type_name(e->type));
                    return false;
                }
                e = kql_expr_cast(b, e, want);
            }
            y->expr = e;
        }
        y->next = callee->syms;
        callee->syms = y;
    }
    return true;
}

/* Does a let-defined function return a table? Its body's last expression
 * decides; a bare name there may be a parameter or a let of the body. */
static bool func_is_tabular_inner(kql_binder *b, kql_sym *y);
static bool func_is_tabular(kql_binder *b, kql_sym *y) {
    if (b->depth > MAX_CALL_DEPTH) return false; /* self-reference: not a table */
    b->depth++;
    bool t = func_is_tabular_inner(b, y);
    b->depth--;
    return t;
}

static bool func_is_tabular_inner(kql_binder *b, kql_sym *y) {
    if (y->def->flags & NF_VIEW) return true;
    const kql_node *body = y->def->kids[1];
    const kql_node *last = body->kids[body->nkids - 1];
    if (last->kind == N_LET) return false;
    if (last->kind == N_NAME) {
        const kql_node *params = y->def->kids[0];
        for (uint32_t i = 0; i < params->nkids; i++)
            if (sp_str_eq(params->kids[i]->name, last->name)) return params->kids[i]->kids[0]->kind == N_SCHEMA;
        for (uint32_t i = 0; i + 1 < body->nkids; i++) {
            const kql_node *st = body->kids[i];
            if (st->kind == N_LET && sp_str_eq(st->name, last->name)) {
                const kql_node *v = st->kids[0];
                if (v->kind == N_FUNCDEF) return false;
                kql_scope *save = b->scope;
                b->scope = y->defscope;
                bool t = kql_is_tabular_node(b, v);
                b->scope = save;
                return t;
            }
        }
    }
    kql_scope *save = b->scope;
    b->scope = y->defscope;
    bool t = kql_is_tabular_node(b, last);
    b->scope = save;
    return t;
}

/* Is this node a tabular expression (rather than a scalar one)? */
bool kql_is_tabular_node(kql_binder *b, const kql_node *n) {
    switch (n->kind) {
    case N_PIPE:
    case N_TABLEREF:
    case N_DATATABLE:
    case N_PRINT:
    case N_RANGE:
    case N_UNION:
    case N_SEARCH:
    case N_FIND:
    case N_EXTERNALDATA: return true;
    case N_NAME: {
        kql_sym *y = kql_lookup(b, n->name.p, n->name.n);
        if (y) return y->kind == SYM_TABULAR || (y->kind == SYM_FUNC && func_is_tabular(b, y));
        return b->cat && b->cat->find && b->cat->find(b->cat->ctx, n->name.p, n->name.n) != NULL;
    }
    case N_CALL: {
        if (n->flags & NF_TUPLE) {
            /* cluster(..).database(..).table(...) style */
            return sp_str_eqc(n->name, "table") || sp_str_eqc(n->name, "database");
        }
        if (sp_str_eqc(n->name, "materialize") || sp_str_eqc(n->name, "table") || sp_str_eqc(n->name, "view"))
            return true;
        kql_sym *y = kql_lookup(b, n->name.p, n->name.n);
        return y && y->kind == SYM_FUNC && func_is_tabular(b, y);
    }
    case N_PATH:
        /* database("x").Table or cluster("c").database("d").Table */
        return n->kids[0]->kind == N_CALL &&
               (sp_str_eqc(n->kids[0]->name, "database") || sp_str_eqc(n->kids[0]->name, "cluster"));
    default: return false;
    }
}

/* datatable(schema)[values] */
static kql_plan *bind_datatable(kql_binder *b, const kql_node *n) {
    kql_plan *p = kql_plan_new(b->arena, PL_ROWS, NULL);
    p->off = n->off;
    const kql_node *schema = n->kids[0];
    for (uint32_t i = 0; i < schema->nkids; i++) {
        const kql_node *c = schema->kids[i];
        if (kql_schema_find(&p->out, c->name.p, c->name.n) >= 0) {
            kql_berr(b, c->off, "duplicate_column", c->name.p, c->name.n, "column '%.*s' is declared twice",
                     (int)c->name.n, c->name.p);
            return NULL;
        }
        kql_schema_add(b, &p->out, sp_arena_strndup(b->arena, c->name.p, c->name.n), c->type);
    }
    size_t ncols = p->out.n, nvals = n->nkids - 1;
    if (ncols == 0 || nvals % ncols != 0) {
        kql_berr(b, n->off, "wrong_arity", NULL, 0, "datatable has %zu values for %zu columns: not a whole number of rows",
                 nvals, ncols);
        return NULL;
    }
    p->nrows = nvals / ncols;
    p->rows = SP_NEWZ(b->arena, kql_value, nvals ? nvals : 1);
    kql_rowctx rc = {0};
    kql_schema empty = {0};
    rc.in = &empty;
    for (size_t i = 0; i < nvals; i++) {
        const kql_node *vn = n->kids[1 + i];
        kql_expr *e = kql_bind_expr(b, &rc, vn);
        if (!e) return NULL;
        kql_value v;
        if (!kql_bind_fold(b, e, &v)) {
            kql_berr(b, vn->off, "not_constant", NULL, 0, "datatable values must be constants");
            return NULL;
        }
        kql_type want = p->out.cols[i % ncols].type;
        kql_value cv;
        if (v.type != want && !v.null && !(kql_type_is_numeric(v.type) && kql_type_is_numeric(want)) &&
            want != KQL_DYNAMIC && !(v.type == KQL_DYNAMIC)) {
            kql_berr(b, vn->off, "type_mismatch", NULL, 0, "datatable column '%s' is %s, but this value is %s",
                     p->out.cols[i % ncols].name, kql_type_name(want), kql_type_name(v.type));
            return NULL;
        }
        kql_convert(b->arena, &v, want, &cv);
        cv.type = want;
        p->rows[i] = cv;
    }
    return p;
}

/* print [name =] expr, ... : one row */
static kql_plan *bind_print(kql_binder *b, const kql_node *n) {
    kql_plan *p = kql_plan_new(b->arena, PL_ROWS, NULL);
    p->off = n->off;
    p->nrows = 1;
    kql_rowctx rc = {0};
    kql_schema empty = {0};
    rc.in = &empty;
    p->row_exprs = SP_NEWZ(b->arena, kql_expr *, n->nkids ? n->nkids : 1);
    for (uint32_t i = 0; i < n->nkids; i++) {
        const kql_node *it = n->kids[i];
        const kql_node *e = it->kind == N_NAMED ? it->kids[0] : it;
        kql_expr *x = kql_bind_expr(b, &rc, e);
        if (!x) return NULL;
        const char *name;
        if (it->kind == N_NAMED) name = sp_arena_strndup(b->arena, it->name.p, it->name.n);
        else {
            name = kql_infer_name(b, e);
            if (!*name || e->kind != N_NAME) name = sp_arena_printf(b->arena, "print_%u", i);
        }
        if (kql_schema_find(&p->out, name, strlen(name)) >= 0) {
            kql_berr(b, it->off, "duplicate_column", name, strlen(name), "column '%s' is declared twice", name);
            return NULL;
        }
        kql_schema_add(b, &p->out, name, x->type);
        p->row_exprs[i] = x;
    }
    p->nexprs = n->nkids;
    p->exprs = p->row_exprs;
    return p;
}

/* range x from a to b step s */
static kql_plan *bind_range(kql_binder *b, const kql_node *n) {
    kql_plan *p = kql_plan_new(b->arena, PL_RANGE, NULL);
    p->off = n->off;
    p->serialized = true;
    kql_rowctx rc = {0};
    kql_schema empty = {0};
    rc.in = &empty;
    kql_type t = KQL_UNKNOWN;
    for (int i = 0; i < 3; i++) {
        kql_expr *e = kql_bind_expr(b, &rc, n->kids[i]);
        if (!e) return NULL;
        p->range_exprs[i] = e;
    }
    kql_type a = p->range_exprs[0]->type, z = p->range_exprs[1]->type, s = p->range_exprs[2]->type;
    if (a == KQL_DATETIME && z == KQL_DATETIME && s == KQL_TIMESPAN) t = KQL_DATETIME;
    else if (a == KQL_TIMESPAN && z == KQL_TIMESPAN && s == KQL_TIMESPAN) t = KQL_TIMESPAN;
    else if (kql_type_is_numeric(a) && kql_type_is_numeric(z) && kql_type_is_numeric(s))
        t = (a == KQL_REAL || z == KQL_REAL || s == KQL_REAL) ? KQL_REAL : KQL_LONG;
    else {
        kql_berr(b, n->off, "type_mismatch", NULL, 0, "range needs numbers, or datetimes or timespans with a timespan step");
        return NULL;
    }
    kql_schema_add(b, &p->out, sp_arena_strndup(b->arena, n->name.p, n->name.n), t);
    return p;
}

static bool name_matches(sp_str pat, const char *name) {
    /* '*' wildcards */
    const char *s = name;
    size_t i = 0, sl = strlen(name), si = 0;
    size_t star = (size_t)-1, mark = 0;
    while (si < sl) {
        if (i < pat.n && pat.p[i] == '*') {
            star = i++;
            mark = si;
        } else if (i < pat.n && pat.p[i] == s[si]) {
            i++;
            si++;
        } else if (star != (size_t)-1) {
            i = star + 1;
            si = ++mark;
        } else {
            return false;
        }
    }
    while (i < pat.n && pat.p[i] == '*') i++;
    return i == pat.n;
}

bool kql_name_matches(sp_str pattern, const char *name) { return name_matches(pattern, name); }

/* the index of a column in a union input's name map, or -1 */
static int union_col(const sp_map *m, const char *name, size_t n) {
    return (int)(uintptr_t)sp_map_get(m, name, n) - 1;
}

/* union [kind=inner|outer] [withsource=T] [isfuzzy=true] tables... over an optional piped input */
kql_plan *kql_bind_union(kql_binder *b, const kql_node *n, kql_plan *piped) {
    kql_plan *p = kql_plan_new(b->arena, PL_UNION, NULL);
    p->off = n->off;
    const kql_node *kindp = kql_node_param(n, "kind");
    bool inner = kindp && sp_str_eqc(kindp->kids[0]->name, "inner");
    const kql_node *fz = kql_node_param(n, "isfuzzy");
    bool fuzzy = fz && ((fz->kids[0]->kind == N_LIT && fz->kids[0]->lit.type == KQL_BOOL && fz->kids[0]->lit.u.b) ||
                        (fz->kids[0]->kind == N_NAME && sp_str_ieqc(fz->kids[0]->name, "true")));
    const kql_node *ws = kql_node_param(n, "withsource");
    SP_VEC(kql_plan *) kids = {0};
    SP_VEC(const char *) names = {0};
    if (piped) {
        sp_vec_push(&kids, piped);
        sp_vec_push(&names, piped->kind == PL_SCAN ? piped->table->name : "");
    }
    for (uint32_t i = 0; i < n->nkids; i++) {
        const kql_node *t = n->kids[i];
        if (t->kind == N_TABLEREF && (t->flags & NF_WILDCARD)) {
            /* expand against let names? Kusto expands wildcards over tables only */
            const kql_table *tabs[512];
            size_t nt = b->cat && b->cat->list ? b->cat->list(b->cat->ctx, tabs, SP_ARRAY_LEN(tabs)) : 0;
            if (nt > SP_ARRAY_LEN(tabs)) nt = SP_ARRAY_LEN(tabs);
            for (size_t k = 0; k < nt; k++) {
                if (!name_matches(t->name, tabs[k]->name)) continue;
                sp_vec_push(&kids, scan_plan(b, tabs[k], t->off));
                sp_vec_push(&names, tabs[k]->name);
            }
            continue;
        }
        kql_plan *kp;
        const char *nm = "";
        if (t->kind == N_TABLEREF || t->kind == N_NAME) {
            kp = kql_bind_table_name(b, t, fuzzy);
            nm = sp_arena_strndup(b->arena, t->name.p, t->name.n);
            if (!kp) {
                if (fuzzy && !sp_err_is_set(b->err)) continue;
                sp_vec_free(&kids);
                sp_vec_free(&names);
                return NULL;
            }
        } else {
            /* isfuzzy: a branch that names a missing table is left out */
            sp_err branch_err, *save = b->err;
            sp_err_clear(&branch_err);
            if (fuzzy) b->err = &branch_err, b->bc.err = &branch_err;
            kp = kql_bind_tabular(b, t);
            b->err = save;
            b->bc.err = save;
            if (!kp && fuzzy && strcmp(branch_err.code, "unknown_table") == 0) {
                /* a branch over a missing table: empty, its columns unknown until rows run */
                kp = kql_plan_new(b->arena, PL_EMPTY, NULL);
                kp->out.open = true;
                kp->name = "missing";
            }
            if (!kp) {
                if (fuzzy) *b->err = branch_err;
                sp_vec_free(&kids);
                sp_vec_free(&names);
                return NULL;
            }
            if (kp->kind == PL_SCAN) nm = kp->table->name;
        }
        sp_vec_push(&kids, kp);
        sp_vec_push(&names, nm);
    }
    p->nkids = kids.n;
    p->kids = SP_NEWN(b->arena, kql_plan *, kids.n ? kids.n : 1);
    p->kid_names = SP_NEWN(b->arena, const char *, kids.n ? kids.n : 1);
    if (kids.n) {
        memcpy(p->kids, kids.v, kids.n * sizeof *p->kids);
        memcpy(p->kid_names, names.v, names.n * sizeof *p->kid_names);
    }
    sp_vec_free(&kids);
    sp_vec_free(&names);
    /* output schema */
    if (ws) {
        const kql_node *wv = ws->kids[0];
        kql_schema_add(b, &p->out, sp_arena_strndup(b->arena, wv->name.p, wv->name.n), KQL_STRING);
        p->source_col = 0;
    }
    /* a name -> index map of each input's columns: the union of every table
     * (search *) has hundreds of inputs and thousands of columns, so linear
     * lookups would make binding quadratic */
    sp_map *kmap = calloc(p->nkids ? p->nkids : 1, sizeof *kmap);
    if (!kmap) sp_oom();
    for (size_t k = 0; k < p->nkids; k++) {
        const kql_schema *s = &p->kids[k]->out;
        sp_map_init(&kmap[k], false);
        for (size_t c = 0; c < s->n; c++) {
            bool created;
            void **slot = sp_map_slot(&kmap[k], s->cols[c].name, strlen(s->cols[c].name), &created);
            if (created) *slot = (void *)(uintptr_t)(c + 1); /* the first column of a name wins */
        }
    }
    if (inner) {
        /* columns common to all inputs (by name and type), in the first input's order */
        if (p->nkids) {
            const kql_schema *f = &p->kids[0]->out;
            for (size_t c = 0; c < f->n; c++) {
                bool all = true;
                for (size_t k = 1; k < p->nkids && all; k++) {
                    int j = union_col(&kmap[k], f->cols[c].name, strlen(f->cols[c].name));
                    all = j >= 0 && p->kids[k]->out.cols[j].type == f->cols[c].type;
                }
                if (all) kql_schema_add(b, &p->out, f->cols[c].name, f->cols[c].type);
            }
        }
    } else {
        /* every column; a name with several types becomes name_type per type */
        sp_map types, added;
        sp_map_init(&types, false);
        sp_map_init(&added, false);
        for (size_t k = 0; k < p->nkids; k++) {
            const kql_schema *s = &p->kids[k]->out;
            for (size_t c = 0; c < s->n; c++) {
                /* only the type of the first column of a name counts, as a lookup would find */
                if (union_col(&kmap[k], s->cols[c].name, strlen(s->cols[c].name)) != (int)c) continue;
                void **slot = sp_map_slot(&types, s->cols[c].name, strlen(s->cols[c].name), NULL);
                *slot = (void *)((uintptr_t)*slot | (uintptr_t)1 << s->cols[c].type);
            }
        }
        for (size_t k = 0; k < p->nkids; k++) {
            const kql_schema *s = &p->kids[k]->out;
            for (size_t c = 0; c < s->n; c++) {
                const char *name = s->cols[c].name;
                kql_type t = s->cols[c].type;
                uintptr_t mask = (uintptr_t)sp_map_get(&types, name, strlen(name));
                bool clash = (mask & ~((uintptr_t)1 << t)) != 0;
                const char *outname = clash ? sp_arena_printf(b->arena, "%s_%s", name, kql_type_name(t)) : name;
                bool created;
                sp_map_slot(&added, outname, strlen(outname), &created);
                if (created) kql_schema_add(b, &p->out, outname, t);
            }
            if (s->open) p->out.open = true;
        }
        sp_map_free(&types);
        sp_map_free(&added);
    }
    /* the column map of each input */
    p->union_map = SP_NEWN(b->arena, int *, p->nkids ? p->nkids : 1);
    for (size_t k = 0; k < p->nkids; k++) {
        int *m = SP_NEWN(b->arena, int, p->out.n ? p->out.n : 1);
        const kql_schema *s = &p->kids[k]->out;
        for (size_t c = 0; c < p->out.n; c++) {
            m[c] = -1;
            if ((int)c == p->source_col) continue;
            const char *oname = p->out.cols[c].name;
            size_t on = strlen(oname);
            int j = union_col(&kmap[k], oname, on);
            if (j >= 0 && s->cols[j].type == p->out.cols[c].type) {
                m[c] = j;
                continue;
            }
            /* name_type renames: split at each '_' */
            for (size_t u = on; u-- > 0;) {
                if (oname[u] != '_') continue;
                int x = union_col(&kmap[k], oname, u);
                if (x >= 0 && s->cols[x].type == p->out.cols[c].type &&
                    strcmp(oname + u + 1, kql_type_name(s->cols[x].type)) == 0) {
                    m[c] = x;
                    break;
                }
            }
        }
        p->union_map[k] = m;
    }
    for (size_t k = 0; k < p->nkids; k++) sp_map_free(&kmap[k]);
    free(kmap);
    return p;
}

/* search [kind=..] [in (tables)] predicate, as a source or over a piped input */
kql_plan *kql_bind_search(kql_binder *b, const kql_node *n, kql_plan *piped) {
    const kql_node *pred = n->kids[0];
    const kql_node *tables = n->kids[1];
    kql_plan *src;
    if (piped && tables->nkids == 0) {
        src = piped;
    } else {
        /* a union of the tables named (or all tables), with $table */
        kql_node *u = SP_NEW(b->arena, kql_node);
        u->kind = N_UNION;
        u->off = n->off;
        kql_node *ws = SP_NEW(b->arena, kql_node);
        ws->kind = N_PARAMVAL;
        ws->name = SP_STR("withsource");
        kql_node *wv = SP_NEW(b->arena, kql_node);
        wv->kind = N_NAME;
        wv->name = SP_STR("$table");
        ws->kids = SP_NEWN(b->arena, kql_node *, 1);
        ws->kids[0] = wv;
        ws->nkids = 1;
        u->params = SP_NEWN(b->arena, kql_node *, 2);
        u->params[0] = ws;
        u->nparams = 1;
        if (tables->nkids) {
            u->kids = tables->kids;
            u->nkids = tables->nkids;
        } else {
            kql_node *all = SP_NEW(b->arena, kql_node);
            all->kind = N_TABLEREF;
            all->name = SP_STR("*");
            all->flags = NF_WILDCARD;
            all->off = n->off;
            u->kids = SP_NEWN(b->arena, kql_node *, 1);
            u->kids[0] = all;
            u->nkids = 1;
        }
        src = kql_bind_union(b, u, NULL);
        if (!src) return NULL;
    }
    kql_plan *f = kql_plan_new(b->arena, PL_FILTER, src);
    f->off = n->off;
    f->out = src->out;
    kql_rowctx rc = {0};
    rc.in = &src->out;
    rc.search = true;
    const kql_node *kp = kql_node_param(n, "kind");
    if (kp && sp_str_eqc(kp->kids[0]->name, "case_sensitive")) rc.search_cs = true;
    kql_expr *e = kql_bind_expr(b, &rc, pred);
    if (!e) return NULL;
    if (e->type != KQL_BOOL && e->type != KQL_DYNAMIC) {
        kql_berr(b, pred->off, "type_mismatch", NULL, 0, "search needs a predicate (a bool), got %s", kql_type_name(e->type));
        return NULL;
    }
    f->exprs = SP_NEWN(b->arena, kql_expr *, 1);
    f->exprs[0] = e;
    f->nexprs = 1;
    return f;
}

static kql_plan *bind_externaldata(kql_binder *b, const kql_node *n) {
    kql_plan *p = kql_plan_new(b->arena, PL_EXTERNALDATA, NULL);
    p->off = n->off;
    const kql_node *schema = n->kids[0];
    for (uint32_t i = 0; i < schema->nkids; i++)
        kql_schema_add(b, &p->out, sp_arena_strndup(b->arena, schema->kids[i]->name.p, schema->kids[i]->name.n),
                       schema->kids[i]->type);
    const kql_node *u = n->kids[1];
    if (u->kind != N_LIT || u->lit.type != KQL_STRING) {
        kql_berr(b, u->off, "type_mismatch", NULL, 0, "externaldata needs a string naming the data source");
        return NULL;
    }
    p->path = sp_arena_strndup(b->arena, u->lit.u.s.p, u->lit.u.s.n);
    const kql_node *fm = kql_node_param(n, "format");
    if (fm) {
        const kql_node *v = fm->kids[0];
        sp_str s = v->kind == N_LIT ? v->lit.u.s : v->name;
        p->format = sp_arena_strndup(b->arena, s.p, s.n);
    }
    return p;
}

/* find [in (tables)] where predicate [project cols] */
static kql_plan *bind_find(kql_binder *b, const kql_node *n) {
    kql_node s = *n;
    s.kind = N_SEARCH;
    kql_plan *f = kql_bind_search(b, &s, NULL);
    if (!f) return NULL;
    const kql_node *proj = n->kids[2];
    kql_plan *p = kql_plan_new(b->arena, PL_PROJECT, f);
    p->off = n->off;
    /* source_ (the table) then the projected columns, or a pack of the rest */
    int src = kql_schema_find(&f->out, "$table", 6);
    SP_VEC(kql_expr *) ex = {0};
    kql_schema_add(b, &p->out, "source_", KQL_STRING);
    sp_vec_push(&ex, kql_expr_col(b, src, KQL_STRING, n->off));
    for (uint32_t i = 0; i < proj->nkids; i++) {
        const kql_node *c = proj->kids[i];
        int j = kql_schema_find(&f->out, c->name.p, c->name.n);
        if (j < 0) {
            kql_berr(b, c->off, "unknown_column", c->name.p, c->name.n, "'%.*s' is not a column of the tables searched",
                     (int)c->name.n, c->name.p);
            sp_vec_free(&ex);
            return NULL;
        }
        kql_schema_add(b, &p->out, f->out.cols[j].name, f->out.cols[j].type);
        sp_vec_push(&ex, kql_expr_col(b, j, f->out.cols[j].type, c->off));
    }
    p->nexprs = ex.n;
    p->exprs = SP_NEWN(b->arena, kql_expr *, ex.n);
    memcpy(p->exprs, ex.v, ex.n * sizeof *p->exprs);
    sp_vec_free(&ex);
    return p;
}

kql_plan *kql_bind_tabular(kql_binder *b, const kql_node *n) {
    if (!n || sp_err_is_set(b->err)) return NULL;
    switch (n->kind) {
    case N_PIPE: {
        const kql_node *op = n->kids[1];
        /* evaluate as a source: `print x=1 | ...` whose left is a marker */
        kql_plan *in = NULL;
        if (n->kids[0]->kind == N_PRINT && (n->kids[0]->flags & NF_STAR)) {
            in = kql_plan_new(b->arena, PL_ROWS, NULL);
            in->nrows = 0;
        } else {
            in = kql_bind_tabular(b, n->kids[0]);
        }
        if (!in) return NULL;
        return kql_bind_operator(b, in, op);
    }
    case N_NAME:
    case N_TABLEREF: return kql_bind_table_name(b, n, false);
    case N_DATATABLE: return bind_datatable(b, n);
    case N_PRINT: return bind_print(b, n);
    case N_RANGE: return bind_range(b, n);
    case N_UNION: return kql_bind_union(b, n, NULL);
    case N_SEARCH: return kql_bind_search(b, n, NULL);
    case N_FIND: return bind_find(b, n);
    case N_EXTERNALDATA: return bind_externaldata(b, n);
    case N_PATH:
        /* database("x").Table: the table */
        if (kql_is_tabular_node(b, n)) {
            kql_node t = *n;
            t.kind = N_NAME;
            return kql_bind_table_name(b, &t, false);
        }
        break;
    case N_CALL: {
        if (sp_str_eqc(n->name, "materialize")) {
            if (n->nkids != 1) {
                kql_berr(b, n->off, "wrong_arity", n->name.p, n->name.n, "materialize takes one tabular argument");
                return NULL;
            }
            kql_plan *in = kql_bind_tabular(b, n->kids[0]);
            if (!in) return NULL;
            kql_plan *p = kql_plan_new(b->arena, PL_SHARED, in);
            p->out = in->out;
            p->off = n->off;
            return p;
        }
        if (sp_str_eqc(n->name, "table") || sp_str_eqc(n->name, "database")) {
            const kql_node *a = n->nkids ? n->kids[0] : NULL;
            kql_schema none = {0};
            kql_rowctx rc = {.in = &none};
            kql_expr *e = a ? kql_bind_expr(b, &rc, a) : NULL;
            kql_value v;
            if (!e || !kql_bind_fold(b, e, &v) || v.type != KQL_STRING) {
                if (!sp_err_is_set(b->err))
                    kql_berr(b, n->off, "type_mismatch", NULL, 0, "table() takes the table's name as a constant string");
                return NULL;
            }
            kql_node t = *n;
            t.kind = N_NAME;
            t.name = v.u.s;
            return kql_bind_table_name(b, &t, false);
        }
        if ((n->flags & NF_TUPLE) && n->nkids) {
            /* cluster("c").database("d").table("T") */
            kql_node t = *n;
            t.flags &= ~NF_TUPLE;
            t.kids = n->kids + 1;
            t.nkids = n->nkids - 1;
            return kql_bind_tabular(b, &t);
        }
        return kql_bind_call_tabular(b, n, NULL);
    }
    default: break;
    }
    kql_berr(b, n->off, "type_mismatch", NULL, 0, "expected a table here, found a scalar expression");
    return NULL;
}

/* ------------------------------------------------------------- statements */

int kql_bind_let(kql_binder *b, const kql_node *let) {
    const kql_node *v = let->kids[0];
    if (v->kind == N_FUNCDEF) {
        kql_sym *y = kql_declare(b, SYM_FUNC, let->name, let);
        if (!y) return -1;
        y->def = v;
        y->defscope = b->scope;
        /* a view with no parameters is used like a table */
        return 0;
    }
    if (kql_is_tabular_node(b, v)) {
        /* bind once now to report errors, re-bind at each use */
        kql_plan *p = kql_bind_tabular(b, v);
        if (!p) return -1;
        kql_sym *y = kql_declare(b, SYM_TABULAR, let->name, let);
        if (!y) return -1;
        y->def = v;
        y->defscope = b->scope;
        if (p->kind == PL_SHARED) y->plan = p; /* materialize(): computed once, shared */
        return 0;
    }
    kql_rowctx rc = {0};
    kql_schema empty = {0};
    rc.in = &empty;
    kql_expr *e = kql_bind_expr(b, &rc, v);
    if (!e) return -1;
    kql_sym *y = kql_declare(b, SYM_SCALAR, let->name, let);
    if (!y) return -1;
    y->expr = e;
    return 0;
}

kql_query *kql_compile(const kql_catalog *cat, const char *text, size_t len, const kql_options *opt, sp_err *err) {
    kql_query *q = sp_calloc(1, sizeof *q);
    sp_arena_init(&q->arena, NULL);
    if (opt) q->opt = *opt;
    q->text = sp_arena_strndup(&q->arena, text, len);
    q->cat = cat;
    q->now = q->opt.now ? q->opt.now : sp_now_ticks();
    kql_node *root = kql_parse(&q->arena, q->text, len, q->opt.max_depth, err);
    if (!root) {
        kql_query_free(q);
        return NULL;
    }
    kql_binder b = {.arena = &q->arena, .err = err, .text = q->text, .cat = cat, .opt = &q->opt, .now = q->now};
    b.bc = (kql_bindctx){.arena = &q->arena, .err = err, .text = q->text, .now = q->now};
    kql_scope_push(&b);
    SP_VEC(kql_plan *) results = {0};
    for (uint32_t i = 0; i < root->nkids && !sp_err_is_set(err); i++) {
        const kql_node *st = root->kids[i];
        if (st->kind == N_LET) {
            kql_bind_let(&b, st);
        } else if (st->kind == N_SET || st->kind == N_DECLARE) {
            /* accepted: options and query parameters are not needed here */
            if (st->kind == N_DECLARE) {
                const kql_node *ps = st->kids[0];
                for (uint32_t k = 0; k < ps->nkids; k++) {
                    const kql_node *par = ps->kids[k];
                    kql_sym *y = kql_declare(&b, SYM_SCALAR, par->name, par);
                    if (!y) break;
                    kql_rowctx rc = {0};
                    kql_schema empty = {0};
                    rc.in = &empty;
                    kql_value nv = {.type = par->kids[0]->type, .null = par->kids[0]->type != KQL_STRING};
                    y->expr = par->nkids > 1 ? kql_bind_expr(&b, &rc, par->kids[1]) : kql_expr_lit(&b, &nv, par->off);
                }
            }
        } else {
            kql_plan *p = NULL;
            if (kql_is_tabular_node(&b, st)) {
                p = kql_bind_tabular(&b, st);
            } else {
                /* a scalar expression as a statement: print it */
                kql_node pr = {.kind = N_PRINT, .off = st->off};
                kql_node *kids[1] = {(kql_node *)st};
                pr.kids = kids;
                pr.nkids = 1;
                p = kql_bind_tabular(&b, &pr);
                if (p) p->out.cols[0].name = "print_0";
            }
            if (p) {
                if (b.render) p->render = b.render;
                sp_vec_push(&results, p);
            }
            b.render = NULL;
        }
    }
    /* a query of let statements alone is well-formed; running it yields nothing */
    if (sp_err_is_set(err)) {
        sp_vec_free(&results);
        kql_query_free(q);
        return NULL;
    }
    q->nresults = results.n;
    q->results = SP_NEWN(&q->arena, kql_plan *, results.n ? results.n : 1);
    if (results.n) memcpy(q->results, results.v, results.n * sizeof *q->results);
    sp_vec_free(&results);
    kql_optimize_query(q);
    return q;
}

void kql_query_free(kql_query *q) {
    if (!q) return;
    sp_arena_free(&q->arena);
    free(q);
}
