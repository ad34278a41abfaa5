/* demo: the demo tenant — a deterministic generator of a fictional organisation
 * (Contoso) with 30 days of normal activity, six attack stories, alerts and incidents. */
#ifndef SECPILOT_DEMO_H
#define SECPILOT_DEMO_H

#include "secpilot/base.h"

/* Where rows go. `row` receives one NDJSON object (no trailing newline) for
 * `table`; `table` is a string that stays valid for the whole run, so a sink
 * may compare table pointers. Returns 0, or -1 to stop generation (the sink
 * keeps its own error detail). `end` (may be NULL) is called once at the end
 * of a successful run. */
typedef struct demo_sink {
    int (*row)(void *ctx, const char *table, const char *json, size_t n);
    int (*end)(void *ctx);
    void *ctx;
} demo_sink;

typedef struct demo_options {
    uint64_t seed;        /* same seed (and now, scale) -> same bytes */
    double scale;         /* multiplies background volume; stories are fixed. 0 = 1 */
    int64_t now;          /* ticks; the data ends here. 0 = the wall clock */
    int days;             /* history length in days, 14..365; 0 = 30 */
} demo_options;

/* Per-table row counts of a run, in the order tables were first written. */
typedef struct demo_count {
    const char *table;
    uint64_t rows;
    uint64_t bytes;
} demo_count;

typedef struct demo_stats {
    demo_count tables[64];
    size_t ntables;
    uint64_t rows, bytes;
    double elapsed_ms;
} demo_stats;

/* Generates the tenant into `sink`. When `ground_truth` is not NULL it
 * receives ground-truth.json: each story with its entities, times,
 * techniques, alert ids and incident numbers. `stats` may be NULL. */
int demo_generate(const demo_options *opt, const demo_sink *sink, sp_buf *ground_truth,
                  demo_stats *stats, sp_err *err);

/* The tables the generator writes, NULL-terminated. */
const char *const *demo_tables(void);

/* Columns the demo writes that the shipped schemas lack because the real
 * tables gained them later (Defender's IdentityInfo.Timestamp): a store is
 * extended with them before the demo ingests. Type names as KQL spells them. */
typedef struct demo_column {
    const char *table, *name, *type;
} demo_column;
const demo_column *demo_extra_columns(size_t *n);

/* A sink writing DIR/<Table>.jsonl, one row per line. Created files are
 * truncated. Release with demo_dir_sink_close (which flushes). */
typedef struct demo_dir_sink demo_dir_sink;
demo_dir_sink *demo_dir_sink_open(const char *dir, sp_err *err);
demo_sink demo_dir_sink_iface(demo_dir_sink *s);
int demo_dir_sink_close(demo_dir_sink *s, sp_err *err);

/* A sink that gathers rows per table into NDJSON buffers of about
 * `batch_bytes` and hands each full buffer (and the rest at the end) to
 * `flush` — the shape the store's ingestion takes. */
typedef int (*demo_flush_fn)(void *ctx, const char *table, const char *ndjson, size_t n);
typedef struct demo_batch_sink demo_batch_sink;
demo_batch_sink *demo_batch_sink_new(size_t batch_bytes, demo_flush_fn flush, void *ctx);
demo_sink demo_batch_sink_iface(demo_batch_sink *s);
void demo_batch_sink_free(demo_batch_sink *s);

#endif
