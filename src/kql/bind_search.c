/* search predicates: a bare "term" (or `* has "term"`) matches when any
 * string or dynamic column of the row has it; wildcards turn the term into
 * a prefix, suffix or substring match, as Kusto's search does. */
#include "bind.h"

kql_expr *kql_search_term(kql_binder *b, kql_rowctx *rc, const kql_node *n, kql_expr *unused) {
    (void)unused;
    int op = B_HAS;
    sp_str term;
    if (n->kind == N_LIT) {
        term = n->lit.u.s;
        bool lead = term.n && term.p[0] == '*', trail = term.n > 1 && term.p[term.n - 1] == '*';
        if (lead) term.p++, term.n--;
        if (trail) term.n--;
        op = lead && trail ? B_CONTAINS : lead ? B_HASSUFFIX : trail ? B_HASPREFIX : B_HAS;
    } else {
        op = n->op;
        const kql_node *rhs = n->kids[1];
        if (rhs->kind != N_LIT || rhs->lit.type != KQL_STRING) {
            kql_berr(b, rhs->off, "type_mismatch", NULL, 0, "'* %s' needs a string constant", kql_binop_name(op));
            return NULL;
        }
        term = rhs->lit.u.s;
    }
    if (rc->search_cs) {
        switch (op) {
        case B_HAS: op = B_HAS_CS; break;
        case B_CONTAINS: op = B_CONTAINS_CS; break;
        case B_HASPREFIX: op = B_HASPREFIX_CS; break;
        case B_HASSUFFIX: op = B_HASSUFFIX_CS; break;
        }
    }
    kql_value tv = {.type = KQL_STRING, .u.s = term};
    kql_expr *acc = NULL;
    const kql_schema *s = rc->in;
    for (size_t c = 0; s && c < s->n; c++) {
        kql_type t = s->cols[c].type;
        if (t != KQL_STRING && t != KQL_DYNAMIC) continue;
        kql_expr *col = kql_expr_cast(b, kql_expr_col(b, (int)c, t, n->off), KQL_STRING);
        kql_expr *e = kql_expr_new(b, E_BINOP, KQL_BOOL, n->off);
        e->op = op;
        e->nargs = 2;
        e->args = SP_NEWN(b->arena, kql_expr *, 2);
        e->args[0] = col;
        e->args[1] = kql_expr_lit(b, &tv, n->off);
        if (!acc) {
            acc = e;
        } else {
            kql_expr *o = kql_expr_new(b, E_BINOP, KQL_BOOL, n->off);
            o->op = B_OR;
            o->nargs = 2;
            o->args = SP_NEWN(b->arena, kql_expr *, 2);
            o->args[0] = acc;
            o->args[1] = e;
            acc = o;
        }
    }
    if (!acc) {
        kql_value f = {.type = KQL_BOOL, .u.b = false};
        acc = kql_expr_lit(b, &f, n->off);
    }
    return acc;
}
