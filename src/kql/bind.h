/* The binder's internals: scopes of let symbols, the row context expressions
 * bind in, and the entry points shared by bind.c, bind_expr.c, bind_ops.c. */
#ifndef SECPILOT_KQL_BIND_H
#define SECPILOT_KQL_BIND_H

#include "plan.h"

typedef enum { SYM_SCALAR = 1, SYM_TABULAR, SYM_FUNC } kql_symkind;

typedef struct kql_scope kql_scope;
typedef struct kql_sym {
    kql_symkind kind;
    sp_str name;
    kql_expr *expr;        /* SYM_SCALAR: the bound value */
    kql_plan *plan;        /* SYM_TABULAR */
    const kql_node *def;   /* SYM_FUNC: N_FUNCDEF */
    kql_scope *defscope;   /* SYM_FUNC: the scope it was defined in */
    const kql_node *let;   /* the let statement (for positions) */
    struct kql_sym *next;
} kql_sym;

struct kql_scope {
    kql_scope *parent;
    kql_sym *syms;
};

typedef struct kql_binder {
    sp_arena *arena;
    sp_err *err;
    const char *text;
    const kql_catalog *cat;
    const kql_options *opt;
    int64_t now;
    kql_scope *scope;
    int depth;             /* let-function expansion depth */
    kql_bindctx bc;
    const char *render;    /* last render kind */
} kql_binder;

/* Where an expression is bound: the input row, and what it may contain. */
typedef struct kql_rowctx {
    const kql_schema *in;
    pl_summarize *sum;     /* non-NULL: aggregates allowed, registered here */
    const kql_schema *inter;   /* summarize post-context: group columns by name */
    bool serialized;       /* row_number/prev/next allowed */
    bool search;           /* search predicate: bare strings match any column */
    bool search_cs;        /* search kind=case_sensitive */
    bool agg_only;         /* inside an aggregate's arguments (no nested aggregates) */
    const kql_schema *left, *right;   /* join conditions: $left / $right */
} kql_rowctx;

/* bind.c */
kql_sym *kql_lookup(kql_binder *b, const char *name, size_t n);
void kql_scope_push(kql_binder *b);
void kql_scope_pop(kql_binder *b);
kql_sym *kql_declare(kql_binder *b, kql_symkind kind, sp_str name, const kql_node *at);
kql_plan *kql_bind_tabular(kql_binder *b, const kql_node *n);
kql_plan *kql_bind_table_name(kql_binder *b, const kql_node *n, bool fuzzy);
kql_plan *kql_bind_call_tabular(kql_binder *b, const kql_node *call, kql_plan *piped);
int kql_berr(kql_binder *b, uint32_t off, const char *code, const char *name, size_t nlen, const char *fmt, ...)
    SP_PRINTF(6, 7);
bool kql_is_tabular_node(kql_binder *b, const kql_node *n);

/* bind_expr.c */
kql_expr *kql_bind_expr(kql_binder *b, kql_rowctx *rc, const kql_node *n);
kql_expr *kql_expr_new(kql_binder *b, int kind, kql_type t, uint32_t off);
kql_expr *kql_expr_cast(kql_binder *b, kql_expr *e, kql_type t);
kql_expr *kql_expr_col(kql_binder *b, int col, kql_type t, uint32_t off);
kql_expr *kql_expr_lit(kql_binder *b, const kql_value *v, uint32_t off);
/* the column name KQL gives an unnamed expression ("" when none) */
const char *kql_infer_name(kql_binder *b, const kql_node *n);
bool kql_bind_fold(kql_binder *b, kql_expr *e, kql_value *out);   /* constant value, if constant */

/* bind_ops.c */
kql_plan *kql_bind_operator(kql_binder *b, kql_plan *in, const kql_node *op);

/* names.c: suggestions for unknown names */
size_t kql_edit_distance(const char *a, size_t an, const char *b, size_t bn);
const char *kql_suggest_column(const kql_schema *s, const char *name, size_t n);
const char *kql_suggest_table(const kql_catalog *cat, const char *name, size_t n);

/* schema helpers */
void kql_schema_add(kql_binder *b, kql_schema *s, const char *name, kql_type t);
const char *kql_unique_name(kql_binder *b, const kql_schema *s, const char *base);

#endif
