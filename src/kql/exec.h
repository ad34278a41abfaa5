/* The executor's internals: row sets (batches of columns) flowing between
 * operators, and the per-operator entry points of the exec_*.c files. */
#ifndef SECPILOT_KQL_EXEC_H
#define SECPILOT_KQL_EXEC_H

#include "eval.h"
#include "plan.h"

#define KQL_BATCH_ROWS 65536

/* The rows an operator produces: batches whose columns follow the plan's
 * output schema (a NULL column is one no later operator reads). Owned by the
 * query's arenas. */
struct kql_rowset {
    const kql_schema *schema;   /* the columns, when the plan's schema is open (else NULL) */
    size_t ncols;
    kql_batch **b;
    size_t nb;
    size_t nrows;
    /* when the batches come straight from a scan: the scan and each batch's part,
     * so that operators can fetch more columns for the rows they keep */
    const kql_table *table;
    kql_scan *scan;
    uint32_t *parts;
};
typedef struct kql_rowset kql_rowset;

kql_rowset *kql_exec(kql_qctx *q, kql_plan *p);

/* building row sets */
kql_rowset *rs_new(kql_qctx *q, size_t ncols);
void rs_add(kql_qctx *q, kql_rowset *rs, kql_batch *b);
kql_batch *batch_new(sp_arena *a, size_t ncols, size_t nrows);
/* One batch holding all rows of rs (columns flattened where they differ in
 * dictionaries); rs itself when it already is one batch. */
kql_batch *rs_concat(kql_qctx *q, const kql_rowset *rs);
/* Reads one value (row i of the whole set). */
void rs_get(const kql_rowset *rs, size_t row, size_t col, kql_value *out);

/* Late materialization: the table columns cols[] of the rows at global
 * positions idx[0..m) of a scan's row set, in that order (plan schema order:
 * out column c of `out` gets table column c where want[c]). */
kql_batch *rs_fetch(kql_qctx *q, const kql_rowset *rs, const uint32_t *idx, size_t m, const bool *want, size_t ncols);

/* Runs fn(ctx, i) over batches in parallel (the thread pool). */
void exec_parallel(kql_qctx *q, size_t n, sp_task_fn fn, void *ctx);

/* A column builder that grows as values are appended (any type). */
typedef struct colbuf {
    kql_type type;
    kql_col *col;
    size_t n, cap;
} colbuf;
void colbuf_init(colbuf *cb, kql_type t);
void colbuf_push(sp_arena *a, colbuf *cb, const kql_value *v);
kql_col *colbuf_done(colbuf *cb);

/* operators (exec_*.c) */
kql_rowset *exec_scan(kql_qctx *q, kql_plan *p);
kql_rowset *exec_filter(kql_qctx *q, kql_plan *p, kql_rowset *in);
kql_rowset *exec_project(kql_qctx *q, kql_plan *p, kql_rowset *in);
kql_rowset *exec_summarize(kql_qctx *q, kql_plan *p, kql_rowset *in);
kql_rowset *exec_sort(kql_qctx *q, kql_plan *p, kql_rowset *in);
kql_rowset *exec_join(kql_qctx *q, kql_plan *p, kql_rowset *left, kql_rowset *right);
kql_rowset *exec_mvexpand(kql_qctx *q, kql_plan *p, kql_rowset *in);
kql_rowset *exec_mvapply(kql_qctx *q, kql_plan *p, kql_rowset *in);
kql_rowset *exec_parse(kql_qctx *q, kql_plan *p, kql_rowset *in);
kql_rowset *exec_series(kql_qctx *q, kql_plan *p, kql_rowset *in);
kql_rowset *exec_topnested(kql_qctx *q, kql_plan *p, kql_rowset *in);
kql_rowset *exec_bagunpack(kql_qctx *q, kql_plan *p, kql_rowset *in);
kql_rowset *exec_late(kql_qctx *q, kql_plan *p, kql_rowset *in);
kql_rowset *exec_pivot(kql_qctx *q, kql_plan *p, kql_rowset *in);
kql_rowset *exec_iplookup(kql_qctx *q, kql_plan *p, kql_rowset *in);

/* Numbers tuples of key values in order of first appearance (make-series,
 * top-nested, pivot): keyindex_get returns the tuple's index. */
typedef struct keyindex {
    sp_map map;
    struct {
        kql_value *v;
        size_t n, cap;
    } keys;                /* n * nkeys values */
    size_t nkeys;
    size_t n;
} keyindex;
void keyindex_init(keyindex *ki, size_t nkeys);
size_t keyindex_get(keyindex *ki, const kql_value *k);
void keyindex_free(keyindex *ki);

/* Values with the plan's output types as a row set of one batch. */
kql_rowset *rs_from_values(kql_qctx *q, const kql_schema *s, const kql_value *vals, size_t nrows);

/* Per-execution state keyed by plan node (shared results, placeholders). */
void exec_bind_input(kql_qctx *q, const kql_plan *placeholder, kql_rowset *rs);

#endif
