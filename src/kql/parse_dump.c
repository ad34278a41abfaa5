/* Printing the syntax tree (for debugging and `--explain --syntax`) and the
 * names of binary operators as KQL spells them. */
#include "parse_int.h"

const char *kql_binop_name(int op) {
    static const char *names[B_NBINOPS] = {
        [B_OR] = "or", [B_AND] = "and", [B_EQ] = "==", [B_NE] = "!=", [B_LT] = "<", [B_LE] = "<=",
        [B_GT] = ">", [B_GE] = ">=", [B_EQ_CI] = "=~", [B_NE_CI] = "!~", [B_ADD] = "+", [B_SUB] = "-",
        [B_MUL] = "*", [B_DIV] = "/", [B_MOD] = "%", [B_HAS] = "has", [B_NOTHAS] = "!has",
        [B_HAS_CS] = "has_cs", [B_NOTHAS_CS] = "!has_cs", [B_HASPREFIX] = "hasprefix",
        [B_NOTHASPREFIX] = "!hasprefix", [B_HASPREFIX_CS] = "hasprefix_cs",
        [B_NOTHASPREFIX_CS] = "!hasprefix_cs", [B_HASSUFFIX] = "hassuffix",
        [B_NOTHASSUFFIX] = "!hassuffix", [B_HASSUFFIX_CS] = "hassuffix_cs",
        [B_NOTHASSUFFIX_CS] = "!hassuffix_cs", [B_CONTAINS] = "contains",
        [B_NOTCONTAINS] = "!contains", [B_CONTAINS_CS] = "contains_cs",
        [B_NOTCONTAINS_CS] = "!contains_cs", [B_STARTSWITH] = "startswith",
        [B_NOTSTARTSWITH] = "!startswith", [B_STARTSWITH_CS] = "startswith_cs",
        [B_NOTSTARTSWITH_CS] = "!startswith_cs", [B_ENDSWITH] = "endswith",
        [B_NOTENDSWITH] = "!endswith", [B_ENDSWITH_CS] = "endswith_cs",
        [B_NOTENDSWITH_CS] = "!endswith_cs", [B_MATCHES] = "matches regex", [B_LIKE] = "like",
        [B_NOTLIKE] = "!like", [B_LIKE_CS] = "like_cs", [B_NOTLIKE_CS] = "!like_cs", [B_IN] = "in",
        [B_NOTIN] = "!in", [B_IN_CI] = "in~", [B_NOTIN_CI] = "!in~", [B_HAS_ANY] = "has_any",
        [B_HAS_ALL] = "has_all", [B_BETWEEN] = "between", [B_NOTBETWEEN] = "!between",
    };
    return op > 0 && op < B_NBINOPS && names[op] ? names[op] : "?";
}

static const char *kind_name(int k) {
    switch (k) {
    case N_QUERY: return "query";
    case N_LET: return "let";
    case N_SET: return "set";
    case N_DECLARE: return "declare";
    case N_FUNCDEF: return "funcdef";
    case N_PARAMS: return "params";
    case N_PARAM: return "param";
    case N_BODY: return "body";
    case N_TYPE: return "type";
    case N_SCHEMA: return "schema";
    case N_COLDECL: return "coldecl";
    case N_PIPE: return "pipe";
    case N_TABLEREF: return "tableref";
    case N_DATATABLE: return "datatable";
    case N_PRINT: return "print";
    case N_RANGE: return "range";
    case N_UNION: return "union";
    case N_SEARCH: return "search";
    case N_FIND: return "find";
    case N_EXTERNALDATA: return "externaldata";
    case N_OPERATOR: return "operator";
    case N_LIT: return "literal";
    case N_NAME: return "name";
    case N_PATH: return "path";
    case N_INDEX: return "index";
    case N_CALL: return "call";
    case N_BINARY: return "binary";
    case N_UNARY: return "unary";
    case N_IN: return "in";
    case N_BETWEEN: return "between";
    case N_NAMED: return "named";
    case N_STAR: return "star";
    case N_SORTKEY: return "sortkey";
    case N_PARAMVAL: return "param";
    case N_DYNLIT: return "dynamic";
    case N_TYPEOF: return "typeof";
    case N_JOINCOND: return "joincond";
    case N_LIST: return "list";
    case N_MVITEM: return "mvitem";
    case N_TOPNESTED: return "topnested";
    case N_SERIES_AXIS: return "axis";
    }
    return "?";
}

void kql_node_dump(const kql_node *n, int indent, sp_buf *out) {
    if (!n) return;
    for (int i = 0; i < indent; i++) sp_buf_puts(out, "  ");
    sp_buf_puts(out, kind_name(n->kind));
    if (n->kind == N_OPERATOR) sp_buf_printf(out, " %s", kql_op_name(n->op));
    if (n->kind == N_BINARY || n->kind == N_IN || n->kind == N_BETWEEN)
        sp_buf_printf(out, " %s", kql_binop_name(n->op));
    if (n->name.n) sp_buf_printf(out, " '%.*s'", (int)n->name.n, n->name.p);
    if (n->kind == N_LIT || n->kind == N_DYNLIT) {
        sp_buf_printf(out, " %s", kql_type_name(n->lit.type));
        if (n->lit.null) sp_buf_puts(out, " null");
        else if (n->lit.type == KQL_STRING) sp_buf_printf(out, " \"%.*s\"", (int)n->lit.u.s.n, n->lit.u.s.p);
        else if (n->lit.type == KQL_LONG || n->lit.type == KQL_INT) sp_buf_printf(out, " %lld", (long long)n->lit.u.i);
        else if (n->lit.type == KQL_DYNAMIC) {
            sp_buf_putc(out, ' ');
            kql_dyn_to_json(n->lit.u.d, out);
        }
    }
    if (n->kind == N_COLDECL || n->kind == N_TYPE || n->kind == N_TYPEOF) sp_buf_printf(out, " :%s", kql_type_name(n->type));
    for (uint32_t i = 0; i < n->nparams; i++) {
        const kql_node *pv = n->params[i];
        sp_buf_printf(out, " [%.*s]", (int)pv->name.n, pv->name.p);
    }
    sp_buf_putc(out, '\n');
    for (uint32_t i = 0; i < n->nkids; i++) kql_node_dump(n->kids[i], indent + 1, out);
}

int kql_syntax(const char *text, size_t len, sp_buf *tree, sp_err *err) {
    sp_arena a;
    sp_arena_init(&a, NULL);
    kql_node *q = kql_parse(&a, text, len, 0, err);
    if (q && tree) kql_node_dump(q, 0, tree);
    sp_arena_free(&a);
    return q ? 0 : -1;
}
