/* The bound plan: a tree of operators with typed output schemas and bound
 * expressions, built by the binder, rewritten by the optimizer, run by exec. */
#ifndef SECPILOT_KQL_PLAN_H
#define SECPILOT_KQL_PLAN_H

#include "kql_int.h"
#include "parse_int.h"

typedef struct kql_colinfo {
    const char *name;
    kql_type type;
} kql_colinfo;

typedef struct kql_schema {
    size_t n;
    kql_colinfo *cols;
    bool open;             /* columns known only at run time (bag_unpack, pivot) */
} kql_schema;

typedef enum kql_pkind {
    PL_SCAN = 1,      /* table; time range; needed columns */
    PL_ROWS,          /* constant rows: datatable, print (exprs evaluated once) */
    PL_RANGE,         /* from/to/step */
    PL_EMPTY,         /* no rows (a table known only by schema, isfuzzy misses) */
    PL_FILTER,        /* exprs[0]: predicate */
    PL_PROJECT,       /* exprs: one per output column (E_COL for pass-through) */
    PL_SUMMARIZE,     /* sum: groups, aggregates, post-exprs */
    PL_SORT,          /* keys; take (0 = all: sort; > 0: top) */
    PL_TAKE,          /* count */
    PL_JOIN,          /* join */
    PL_UNION,         /* kids; per kid column map */
    PL_MVEXPAND,      /* mv */
    PL_MVAPPLY,       /* mv + subplan */
    PL_PARSE,         /* parse */
    PL_SERIES,        /* make-series */
    PL_SERIALIZE,     /* marks rows ordered; exprs evaluated in order (row_number/prev/next) */
    PL_GETSCHEMA,
    PL_SAMPLE,        /* count */
    PL_SAMPLE_DISTINCT,
    PL_TOPNESTED,
    PL_BAGUNPACK,     /* column, prefix */
    PL_PIVOT,         /* plugin: pivot */
    PL_IPLOOKUP,      /* plugin: ipv4_lookup; kids[0] the lookup table */
    PL_SHARED,        /* a materialized or multiply-referenced subplan, computed once */
    PL_EXTERNALDATA,
    PL_PARTITION,
    PL_SETVAR,        /* `as` and friends: pass-through */
    PL_LATE,          /* operators after an open schema: bound when the input's columns are known */
} kql_pkind;

typedef struct kql_plan kql_plan;

typedef struct pl_sortkey {
    kql_expr *e;
    bool asc;
    bool nulls_first;
} pl_sortkey;

typedef struct pl_agg {
    kql_expr *call;        /* E_AGG (fn) or an arg_max/arg_min marker */
    size_t nout;           /* result columns */
    int argmax;            /* 0, +1 arg_max, -1 arg_min */
    int *carry;            /* arg_max/arg_min: input columns carried */
    size_t ncarry;
    kql_expr **carry_exprs;/* arg_max(x, expr...) with expressions */
} pl_agg;

typedef struct pl_summarize {
    kql_expr **groups;     /* group-by expressions over the input */
    size_t ngroups;
    pl_agg *aggs;
    size_t naggs;
    /* Post-aggregation: the output columns as expressions over the
     * intermediate row [groups..., agg outputs...]. NULL = identity. */
    kql_expr **post;
    size_t npost;
    size_t ninter;         /* width of the intermediate row */
    bool distinct;         /* from `distinct`: no aggregates */
} pl_summarize;

typedef enum { JK_INNERUNIQUE = 1, JK_INNER, JK_LEFTOUTER, JK_RIGHTOUTER, JK_FULLOUTER, JK_LEFTANTI,
               JK_RIGHTANTI, JK_LEFTSEMI, JK_RIGHTSEMI } kql_joinkind;

typedef struct pl_join {
    kql_joinkind kind;
    size_t nkeys;
    kql_expr **lkeys, **rkeys;   /* over the left / right inputs */
    /* output columns: from the left (src 0) or the right (src 1) */
    int *src, *col;
    bool lookup;
} pl_join;

typedef struct pl_mvexpand {
    size_t nitems;
    kql_expr **items;      /* array expressions over the input */
    int *outcol;           /* output column index of each item */
    kql_type *totype;      /* element type (dynamic unless `to typeof`) */
    int index_col;         /* with_itemindex column, or -1 */
    bool bag_as_array;     /* bagexpansion=array */
    int64_t limit;         /* 0 = none */
    int *src;              /* per output column: input column or -1 (item/index) */
} pl_mvexpand;

typedef struct pl_parse {
    kql_expr *source;
    int kind;              /* 0 simple, 1 regex, 2 relaxed */
    bool where;            /* parse-where: drop rows that don't match */
    void *regex;           /* compiled (pcre2_code *) */
    size_t ncaps;
    int *capcol;           /* output column per capture */
    kql_type *captype;
    int *src;              /* per output column: input column or -1 */
    /* simple/relaxed: the pattern as parts */
    size_t nparts;
    struct parse_part {
        int kind;          /* 0 literal, 1 column, 2 star */
        sp_str lit;
        int cap;           /* capture index for columns */
    } *parts;
} pl_parse;

typedef struct pl_series {
    kql_expr **aggs;       /* E_AGG */
    kql_value *defaults;
    size_t naggs;
    kql_expr *axis;
    kql_expr *from, *to, *step;   /* NULL when absent */
    kql_expr **groups;
    size_t ngroups;
    bool nonempty;         /* kind=nonempty: a row of defaults even without input */
} pl_series;

typedef struct pl_plugin {
    /* pivot(column [, aggregate [, group columns...]]) */
    kql_expr *pivot;
    kql_expr *agg;         /* E_AGG */
    kql_expr **groups;
    const char **gnames;
    size_t ngroups;
    /* ipv4_lookup(table, ip column, range column [, return_unmatched]) */
    kql_expr *ip;
    int range_col;
    bool unmatched;
} pl_plugin;

typedef struct pl_topnested {
    size_t nlevels;
    struct tn_level {
        kql_expr *count;   /* NULL = all */
        kql_expr *of;
        kql_expr *agg;     /* E_AGG */
        bool asc;
        kql_expr *others;  /* NULL = no others row */
    } *levels;
} pl_topnested;

struct kql_plan {
    kql_pkind kind;
    kql_schema out;
    kql_plan *in;          /* the input, for operators */
    kql_plan **kids;       /* join: kids[0] right; union: all inputs */
    size_t nkids;
    bool serialized;       /* rows are in a defined order */
    uint32_t off;          /* source offset of the operator */
    /* operator data */
    kql_expr **exprs;
    size_t nexprs;
    int *targets;          /* PL_PROJECT in extend mode: output column of each expr */
    bool extend;           /* PL_PROJECT: start from the input row, evaluate exprs in order */
    pl_sortkey *keys;
    size_t nkeys;
    int64_t count;         /* take/top/sample */
    kql_expr *count_expr;  /* take/top with a non-literal count */
    const kql_table *table;/* scan */
    bool has_time;         /* scan time range */
    int64_t tmin, tmax;
    bool *need;            /* scan: columns needed (NULL = all) */
    kql_value *rows;       /* PL_ROWS: nrows * out.n values */
    size_t nrows;
    kql_expr **row_exprs;  /* PL_ROWS from print: expressions (evaluated once) */
    pl_summarize *sum;
    pl_join *join;
    int **union_map;       /* union: per kid, output col -> kid col or -1 */
    int source_col;        /* union withsource column, or -1 */
    const char **kid_names;/* union: table names for withsource */
    pl_mvexpand *mv;
    kql_plan *sub;         /* mv-apply / partition subplan (input is PL_SUBINPUT) */
    pl_parse *parse;
    pl_series *series;
    pl_topnested *tn;
    pl_plugin *plug;
    const char *render;    /* render kind noted along the way */
    void *shared;          /* PL_SHARED: cached result (exec) */
    int64_t range_from, range_to, range_step;
    kql_expr *range_exprs[3];
    const char *path;      /* externaldata */
    const char *format;
    int bag_col;           /* bag_unpack column */
    const char *bag_prefix;
    int bag_conflict;      /* 0 error, 1 replace_source, 2 keep_source */
    const kql_dyn *bag_ignored;   /* ignoredProperties: an array of names, or NULL */
    bool bag_schema;       /* an output schema was given: out is fixed */
    const char *name;      /* as / shared names */
    const kql_node *late;  /* PL_LATE: the operator to bind at run time */
    void *late_scope;      /* PL_LATE: the binder scope it was seen in */
};

/* One compiled query: the plans of its result statements. */
struct kql_query {
    sp_arena arena;
    const kql_catalog *cat;     /* what the query was bound against (late binding uses it) */
    kql_plan **results;
    size_t nresults;
    kql_options opt;
    char *text;
    int64_t now;
};

kql_plan *kql_plan_new(sp_arena *a, kql_pkind kind, kql_plan *in);
int kql_schema_find(const kql_schema *s, const char *name, size_t n);   /* -1 if absent */
void kql_schema_add_rt(sp_arena *a, kql_schema *s, const char *name, kql_type t);
void kql_explain_plan(const kql_plan *p, int indent, sp_buf *out);
void kql_expr_print(const kql_expr *e, const kql_schema *in, sp_buf *out);

/* optimizer: constant folding, time-range pushdown, column pruning */
void kql_optimize_query(kql_query *q);
/* executor entry (exec.c) */
typedef struct kql_rowset kql_rowset;

#endif
