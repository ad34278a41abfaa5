/* --explain: prints the bound plan, one operator per line with its output
 * columns and types, expressions in KQL-like text. */
#include "plan.h"

static const char *pkind_name(kql_pkind k) {
    switch (k) {
    case PL_SCAN: return "scan";
    case PL_ROWS: return "rows";
    case PL_RANGE: return "range";
    case PL_EMPTY: return "empty";
    case PL_FILTER: return "filter";
    case PL_PROJECT: return "project";
    case PL_SUMMARIZE: return "summarize";
    case PL_SORT: return "sort";
    case PL_TAKE: return "take";
    case PL_JOIN: return "join";
    case PL_UNION: return "union";
    case PL_MVEXPAND: return "mv-expand";
    case PL_MVAPPLY: return "mv-apply";
    case PL_PARSE: return "parse";
    case PL_SERIES: return "make-series";
    case PL_SERIALIZE: return "serialize";
    case PL_GETSCHEMA: return "getschema";
    case PL_SAMPLE: return "sample";
    case PL_SAMPLE_DISTINCT: return "sample-distinct";
    case PL_TOPNESTED: return "top-nested";
    case PL_BAGUNPACK: return "bag_unpack";
    case PL_PIVOT: return "pivot";
    case PL_IPLOOKUP: return "ipv4_lookup";
    case PL_SHARED: return "shared";
    case PL_EXTERNALDATA: return "externaldata";
    case PL_PARTITION: return "partition";
    case PL_SETVAR: return "as";
    case PL_LATE: return "late-bound";
    }
    return "?";
}

void kql_expr_print(const kql_expr *e, const kql_schema *in, sp_buf *out) {
    if (!e) {
        sp_buf_puts(out, "?");
        return;
    }
    switch ((kql_ekind)e->kind) {
    case E_LIT: {
        kql_value_to_json(&e->lit, out);
        if (e->type == KQL_DATETIME || e->type == KQL_TIMESPAN) sp_buf_printf(out, ":%s", kql_type_name(e->type));
        return;
    }
    case E_BADLIT: sp_buf_put(out, e->name.p, e->name.n); return;
    case E_COL:
        if (in && e->col >= 0 && (size_t)e->col < in->n) sp_buf_puts(out, in->cols[e->col].name);
        else if (e->name.n) sp_buf_put(out, e->name.p, e->name.n);
        else sp_buf_printf(out, "#%d", e->col);
        return;
    case E_BINOP:
    case E_IN:
    case E_BETWEEN:
        sp_buf_putc(out, '(');
        kql_expr_print(e->args[0], in, out);
        sp_buf_printf(out, " %s ", kql_binop_name(e->op));
        if (e->kind == E_BINOP) kql_expr_print(e->args[1], in, out);
        else if (e->kind == E_BETWEEN) {
            sp_buf_putc(out, '(');
            kql_expr_print(e->args[1], in, out);
            sp_buf_puts(out, " .. ");
            kql_expr_print(e->args[2], in, out);
            sp_buf_putc(out, ')');
        } else sp_buf_puts(out, e->name.n ? "(subquery)" : "(...)");
        sp_buf_putc(out, ')');
        return;
    case E_SUBQ: sp_buf_puts(out, "toscalar(subquery)"); return;
    case E_PATH:
        kql_expr_print(e->args[0], in, out);
        sp_buf_printf(out, ".%.*s", (int)e->name.n, e->name.p);
        return;
    case E_INDEX:
        kql_expr_print(e->args[0], in, out);
        sp_buf_putc(out, '[');
        kql_expr_print(e->args[1], in, out);
        sp_buf_putc(out, ']');
        return;
    case E_CAST:
        sp_buf_printf(out, "%s(", kql_type_name(e->type));
        kql_expr_print(e->args[0], in, out);
        sp_buf_putc(out, ')');
        return;
    case E_NEG:
        sp_buf_putc(out, '-');
        kql_expr_print(e->args[0], in, out);
        return;
    default: break;
    }
    const char *name = e->kind == E_NOT ? "not" : e->kind == E_IFF ? "iff" : e->kind == E_CASE ? "case"
                       : e->kind == E_COALESCE ? "coalesce" : e->fn ? e->fn->name : "";
    if (e->kind == E_ROWFN || (e->kind == E_AGG && !e->fn)) sp_buf_put(out, e->name.p, e->name.n);
    else sp_buf_puts(out, name);
    sp_buf_putc(out, '(');
    for (uint32_t i = 0; i < e->nargs; i++) {
        if (i) sp_buf_puts(out, ", ");
        kql_expr_print(e->args[i], in, out);
    }
    sp_buf_putc(out, ')');
}

static void indent_to(sp_buf *out, int n) {
    for (int i = 0; i < n; i++) sp_buf_puts(out, "  ");
}

void kql_explain_plan(const kql_plan *p, int indent, sp_buf *out) {
    if (!p) return;
    indent_to(out, indent);
    sp_buf_puts(out, pkind_name(p->kind));
    const kql_schema *in = p->in ? &p->in->out : NULL;
    switch (p->kind) {
    case PL_SCAN:
        sp_buf_printf(out, " %s", p->table->name);
        if (p->has_time) {
            char a[40], b[40];
            sp_format_datetime(p->tmin == INT64_MIN ? SP_DT_MIN : p->tmin, a);
            sp_format_datetime(p->tmax == INT64_MAX ? SP_DT_MAX : p->tmax, b);
            sp_buf_printf(out, " time=[%s, %s]", a, b);
        }
        if (p->need) {
            size_t k = 0;
            for (size_t c = 0; c < p->out.n; c++) k += p->need[c];
            sp_buf_printf(out, " reads %zu of %zu columns", k, p->out.n);
        }
        break;
    case PL_FILTER:
        sp_buf_putc(out, ' ');
        kql_expr_print(p->exprs[0], in, out);
        break;
    case PL_SORT:
        if (p->nrows == 1) sp_buf_printf(out, " top %lld", (long long)p->count);
        for (size_t i = 0; i < p->nkeys; i++) {
            sp_buf_puts(out, i ? ", " : " by ");
            kql_expr_print(p->keys[i].e, in, out);
            sp_buf_printf(out, " %s nulls %s", p->keys[i].asc ? "asc" : "desc", p->keys[i].nulls_first ? "first" : "last");
        }
        break;
    case PL_TAKE: sp_buf_printf(out, " %lld", (long long)p->count); break;
    case PL_SUMMARIZE:
        for (size_t i = 0; i < p->sum->naggs; i++) {
            sp_buf_puts(out, i ? ", " : " ");
            kql_expr_print(p->sum->aggs[i].call, in, out);
        }
        for (size_t i = 0; i < p->sum->ngroups; i++) {
            sp_buf_puts(out, i ? ", " : " by ");
            kql_expr_print(p->sum->groups[i], in, out);
        }
        break;
    case PL_JOIN: {
        static const char *kinds[] = {"", "innerunique", "inner", "leftouter", "rightouter", "fullouter",
                                      "leftanti", "rightanti", "leftsemi", "rightsemi"};
        sp_buf_printf(out, " kind=%s on", kinds[p->join->kind]);
        for (size_t i = 0; i < p->join->nkeys; i++) {
            sp_buf_puts(out, i ? ", " : " ");
            kql_expr_print(p->join->lkeys[i], in, out);
            sp_buf_puts(out, " == ");
            kql_expr_print(p->join->rkeys[i], &p->kids[0]->out, out);
        }
        break;
    }
    default: break;
    }
    if (p->kind == PL_PROJECT) {
        sp_buf_puts(out, p->extend ? " (extend)" : "");
        for (size_t i = 0; i < p->nexprs; i++) {
            sp_buf_puts(out, i ? ", " : " ");
            sp_buf_printf(out, "%s = ", p->out.cols[p->targets ? p->targets[i] : (int)i].name);
            kql_expr_print(p->exprs[i], in, out);
        }
    }
    sp_buf_puts(out, "  -> (");
    for (size_t c = 0; c < p->out.n; c++) {
        if (c) sp_buf_puts(out, ", ");
        if (c == 12 && p->out.n > 14) {
            sp_buf_printf(out, "... %zu more", p->out.n - 12);
            break;
        }
        sp_buf_printf(out, "%s:%s", p->out.cols[c].name, kql_type_name(p->out.cols[c].type));
    }
    sp_buf_printf(out, "%s)\n", p->out.open ? ", ..." : "");
    if (p->kind == PL_JOIN) kql_explain_plan(p->kids[0], indent + 1, out);
    if (p->kind == PL_UNION)
        for (size_t i = 0; i < p->nkids; i++) kql_explain_plan(p->kids[i], indent + 1, out);
    if (p->sub) kql_explain_plan(p->sub, indent + 1, out);
    kql_explain_plan(p->in, indent + 1, out);
}

void kql_explain(const kql_query *q, sp_buf *out) {
    for (size_t i = 0; i < q->nresults; i++) {
        if (i) sp_buf_putc(out, '\n');
        kql_explain_plan(q->results[i], 0, out);
    }
}
