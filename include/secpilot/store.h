/* store: the embedded columnar log store (data directory, workspaces, tables,
 * segments, write-ahead log) and the readers that turn exported logs into rows. */
#ifndef SECPILOT_STORE_H
#define SECPILOT_STORE_H

#include "secpilot/kql.h"

/* ===================================================================== HOW TO USE
 *
 * Query a data directory (what `secpilot kql --data DIR` does):
 *
 *     store_options o = {.readonly = true};
 *     store *s = store_open(dir, &o, &err);                 // NULL + err
 *     store_ws *ws = store_workspace(s, "default", &err);   // NULL + err
 *     kql_catalog cat = store_catalog(ws);                  // valid until store_close
 *     ... kql_compile(&cat, ...); kql_execute(...) ...
 *     store_close(s);
 *
 *   A read-only open never blocks and is never refused; it sees what was
 *   committed when the workspace was opened (store_refresh() moves it on).
 *   For one consistent point in time across several tables use
 *   store_snapshot()/store_snap_catalog(). Only one process may open a
 *   workspace for writing; a second writer is refused with code "locked".
 *
 * Push rows from a program (the demo tenant generator): one transaction, many
 * rows, durable when store_txn_commit returns; nothing of it is visible or
 * survives a crash before that.
 *
 *     store_txn *tx = store_txn_begin(ws, &err);
 *     const kql_table *t = store_table(ws, "SigninLogs");   // columns in t->cols
 *     kql_value row[t->ncols];  ... fill in t->cols order (type = column type,
 *                                   or KQL_STRING text to be coerced) ...
 *     store_txn_append(tx, "SigninLogs", row, t->ncols, &err);   // repeat
 *     store_txn_commit(tx, &err);                           // one fsync; frees tx
 *
 *   Rows are encoded into columns as they are appended and written to
 *   segment files in the background of the transaction (every
 *   STORE_SEGMENT_ROWS rows of a table), so a transaction of millions of rows
 *   costs about one pass over the data plus one fsync per segment. Commit at
 *   any size: a few thousand rows per commit is fine, millions too. Text
 *   already in NDJSON goes through store_ingest_buf(ws, table, buf, len, ...).
 *
 * Read a file into rows without a store (`secpilot kql --table NAME=FILE`,
 * KQL externaldata): store_read_file() below, or store_load_memtable() and
 * store_file_loader().
 * ================================================================================= */

typedef struct store store;              /* an open data directory; owner: the opener */
typedef struct store_ws store_ws;        /* a workspace; owned by its store */
typedef struct store_txn store_txn;      /* a write transaction; owned by its caller until commit/abort */
typedef struct store_snap store_snap;    /* a point-in-time view; refcounted */

#define STORE_SEGMENT_ROWS 131072        /* rows per segment written by ingestion */

typedef struct store_options {
    bool readonly;             /* no lock, no writes, no recovery actions */
    bool no_create;            /* fail if the data directory does not exist */
    bool background;           /* run checkpoints and compaction in a thread */
    size_t cache_bytes;        /* decoded-block cache per workspace; 0 = a quarter of RAM, 256 MiB..16 GiB */
    int zstd_level;            /* 0 = 1 for ingestion (compaction uses level+2) */
    int64_t now;               /* clock for retention and missing TimeGenerated; 0 = wall */
    size_t wal_checkpoint_bytes; /* checkpoint when the WAL holds more; 0 = 64 MiB */
    bool no_fsync;             /* tests of logic only: skip fsync (never for real data) */
    bool repair;               /* store_repair's own opening: segments that are missing or
                                  damaged are dropped (logged), a lost manifest is rebuilt
                                  from the segment files present */
    const char *schemas_path;  /* tables.json; NULL = $SECPILOT_DATA/schemas, beside the
                                  binary (../data/schemas), or ./data/schemas */
} store_options;

store *store_open(const char *dir, const store_options *opt, sp_err *err);
/* Flushes (writable: checkpoints the WAL into segments), stops the
 * background thread, releases locks and memory. Open snapshots must be
 * released first. */
void store_close(store *s);
/* Opens workspace `name` (created when the store is writable). Names are
 * [A-Za-z0-9_.-]{1,64}. Errors: "bad_name", "locked", "damaged", "io". */
store_ws *store_workspace(store *s, const char *name, sp_err *err);
/* Re-reads what other processes committed (read-only opens). */
int store_refresh(store_ws *ws, sp_err *err);

/* ----------------------------------------------------------------- catalog
 * Tables of a workspace: the 65 Sentinel/Defender tables of data/schemas plus
 * custom tables (Name_CL). Columns map by name; segments written under an
 * older schema read missing columns as null. */
kql_catalog store_catalog(store_ws *ws);                   /* live: each scan sees the latest commit */
const kql_table *store_table(store_ws *ws, const char *name);  /* NULL if none */
/* Adds columns to a table (built-in or custom) that its schema lacks, as a
 * workspace's data gains newer fields (Defender's IdentityInfo.Timestamp, say).
 * Rows stored earlier read the new columns as null. Persisted in the
 * workspace's catalog. Errors: "unknown_table", "type_mismatch" (a column of
 * that name exists with another type), "readonly". */
int store_extend_table(store_ws *ws, const char *table, const kql_column_def *cols, size_t ncols, sp_err *err);
/* Creates a custom table. The name must end in _CL and be an identifier;
 * existing tables with the same columns are fine, different ones fail. */
const kql_table *store_create_table(store_ws *ws, const char *name, const kql_column_def *cols,
                                    size_t ncols, sp_err *err);
/* Retention: rows whose time column is older than now - days are dropped
 * (0 = keep forever, the default). Persisted in the workspace catalog. */
int store_set_retention(store_ws *ws, const char *table, int days, sp_err *err);
/* Applies retention now (also run by the background thread once an hour). */
int store_apply_retention(store_ws *ws, int64_t now, uint64_t *rows_dropped, sp_err *err);
/* Writes WAL-held rows into segments and merges small segments. */
int store_checkpoint(store_ws *ws, sp_err *err);
int store_compact(store_ws *ws, sp_err *err);

store_snap *store_snapshot(store_ws *ws);
kql_catalog store_snap_catalog(store_snap *s);             /* valid until store_snap_release */
void store_snap_release(store_snap *s);

/* ------------------------------------------------------------- write path */
store_txn *store_txn_begin(store_ws *ws, sp_err *err);
/* Appends one row of `n` values in the table's column order (n may be less
 * than ncols: the rest are null). A value whose type differs from the
 * column's is coerced as ingestion does (strings parsed); one that does not
 * convert fails with code "bad_value" and leaves the transaction usable. */
int store_txn_append(store_txn *tx, const char *table, const kql_value *row, size_t n, sp_err *err);
/* Durable on return (WAL fsync), then visible to new scans. Frees tx, also on error. */
int store_txn_commit(store_txn *tx, sp_err *err);
void store_txn_abort(store_txn *tx);
uint64_t store_txn_rows(const store_txn *tx);

/* ---------------------------------------------------------------- readers */
typedef enum store_format {
    STORE_FMT_AUTO = 0,        /* by extension, else by content */
    STORE_FMT_NDJSON,          /* one JSON object per line (.jsonl, .ndjson) */
    STORE_FMT_JSON,            /* a JSON array of objects, or objects one after another */
    STORE_FMT_CSV,             /* RFC 4180 with a header row (portal exports included) */
} store_format;
/* "ndjson"/"jsonl", "json", "csv" (a ".gz" suffix or gzip magic is always
 * decompressed); STORE_FMT_AUTO for NULL or "auto"; -1 when unknown. */
int store_format_parse(const char *name);

#define STORE_MAX_REJECTS_KEPT 20

typedef struct store_reject {
    uint64_t line;             /* 1-based line where the row starts */
    char reason[240];
} store_reject;

typedef struct store_field_count {
    char *name;
    uint64_t count;
} store_field_count;

/* What a read or an ingestion did. Owner: the caller, who zeroes it before
 * the first use ({0}); release with store_report_free (it may be reused
 * across files: counts add up). */
typedef struct store_ingest_report {
    uint64_t rows_read;        /* rows seen in the input (accepted + rejected) */
    uint64_t rows_accepted;
    uint64_t rows_rejected;
    uint64_t rows_committed;   /* ingestion: rows durable in the store */
    uint64_t bytes_read;       /* input bytes after decompression */
    uint64_t time_from_other;  /* rows without TimeGenerated that took another time column's value */
    char time_source[64];      /* ... the column it came from (the first one used) */
    uint64_t time_filled;      /* rows without any time: TimeGenerated set to the ingestion time */
    store_reject rejects[STORE_MAX_REJECTS_KEPT];   /* the first ones */
    size_t nrejects;
    store_field_count *unknown;   /* fields the schema lacks, per name */
    size_t nunknown;
    store_field_count *tables;    /* routed ingestion (table "auto"): rows per table */
    size_t ntables;
    /* the schema used: the table's, or the one inferred (schema NULL, or --create) */
    kql_column_def *cols;
    size_t ncols;
    char format[24];           /* the format read: "ndjson", "json", "csv" (+ "+gzip", "+zip", "+tar.gz") */
} store_ingest_report;

void store_report_free(store_ingest_report *r);
/* Prints counts, the first rejections and the unknown fields, human-readable. */
void store_report_print(const store_ingest_report *r, const char *label, sp_buf *out);
void store_report_json(const store_ingest_report *r, const char *label, sp_buf *out);

/* Caps on hostile input. Zero fields take the defaults. */
typedef struct store_limits {
    size_t max_record_bytes;   /* one line / CSV record / array element; default 16 MiB */
    size_t max_fields;         /* fields in one row; default 4096 */
    int max_depth;             /* nesting of JSON values; default 64 */
} store_limits;

/* Called once per accepted row with `ncols` typed values in schema order
 * (strings and dynamics point into memory valid during the call only).
 * Return non-zero to stop reading (store_read_* then return 0 and stop). */
typedef int (*store_row_fn)(void *ctx, const kql_value *row, size_t ncols, uint64_t line);

/* Reads a file ("-" = stdin) of the given format (NULL = detect) into rows of
 * `schema` (values coerced to its types; fields it lacks counted in
 * rep->unknown), or, when schema is NULL, of a schema inferred from the data
 * (stored in rep->cols before the first callback: bool, long, real,
 * datetime, dynamic or string per field). Rejected rows are counted with
 * line and reason and skipped. Returns 0, or -1 with err set when the input
 * cannot be read at all (missing file, bad gzip, a JSON syntax error that
 * leaves the rest unreadable). */
int store_read_file(const char *path, const char *format, const kql_column_def *schema, size_t ncols,
                    store_row_fn cb, void *ctx, store_ingest_report *rep, sp_err *err);
/* The same over bytes in memory (may be gzip-compressed). */
int store_read_buf(const char *buf, size_t len, const char *format, const kql_column_def *schema,
                   size_t ncols, store_row_fn cb, void *ctx, store_ingest_report *rep,
                   const store_limits *lim, sp_err *err);

/* Loads a file into memory table `name` of db: the columns of `schemas`'s
 * table of that name when it has one, else inferred from the data. Rejected
 * rows are skipped; err says how many when any were. */
int store_load_memtable(kql_memdb *db, const char *name, const char *path,
                        const kql_schema_set *schemas, sp_err *err);
/* A kql_file_loader for externaldata (ctx unused, may be NULL). The result
 * is allocated with sp_calloc and everything it holds lives in its arena. */
kql_result *store_file_loader(void *ctx, const char *path, const char *format,
                              const kql_column_def *cols, size_t ncols, sp_err *err);

/* ----------------------------------------------------------- ingestion */
typedef struct store_ingest_opts {
    const char *format;        /* NULL = detect */
    bool create;               /* make custom table `table` (Name_CL) from the data if missing */
    bool all_or_nothing;       /* any rejected row (beyond max_errors) refuses the whole input */
    uint64_t max_errors;       /* rejected rows allowed before the input counts as failed */
    store_limits limits;
} store_ingest_opts;

/* Table name STORE_TABLE_AUTO routes each row of a JSON input to the table
 * its "Type" field names (Log Analytics exports carry it), or, for Windows
 * event logs (Winlogbeat/NXLog JSON with Channel and EventID, as in the
 * Mordor datasets), to SecurityEvent (Security channel) or WindowsEvent
 * (every other channel, the event's fields in EventData). */
#define STORE_TABLE_AUTO "auto"

/* Reads a file ("-" = stdin) into `table`, committing once at the end (rows
 * are durable on return). With all_or_nothing and more than max_errors
 * rejected rows nothing is committed and -1 is returned with code
 * "rejected"; otherwise the accepted rows are committed and 0 is returned
 * (the caller decides from rep->rows_rejected whether that is a failure). */
int store_ingest_file(store_ws *ws, const char *table, const char *path, const store_ingest_opts *o,
                      store_ingest_report *rep, sp_err *err);
int store_ingest_buf(store_ws *ws, const char *table, const char *buf, size_t len,
                     const store_ingest_opts *o, store_ingest_report *rep, sp_err *err);
/* Same, into an open transaction (several inputs, one commit). */
int store_txn_ingest_buf(store_txn *tx, const char *table, const char *buf, size_t len,
                         const store_ingest_opts *o, store_ingest_report *rep, sp_err *err);
int store_txn_ingest_file(store_txn *tx, const char *table, const char *path,
                          const store_ingest_opts *o, store_ingest_report *rep, sp_err *err);

/* ------------------------------------------------------- verify / repair */
typedef struct store_problem {
    char path[512];            /* the damaged or missing file */
    char what[256];            /* "checksum mismatch in column X block", "truncated", ... */
} store_problem;

typedef struct store_verify_report {
    uint64_t files_checked, segments, rows, bytes;
    store_problem *problems;   /* heap; release with store_verify_free */
    size_t nproblems;
    size_t quarantined;        /* repair: files moved to quarantine/ */
} store_verify_report;

/* Reads every segment and WAL record of every workspace of `dir` and checks
 * every checksum. Does not need the store open; takes no lock. */
int store_verify(const char *dir, store_verify_report *rep, sp_err *err);
/* Like verify, then (holding each workspace's write lock) moves damaged
 * files to <workspace>/quarantine/, drops missing segments from the
 * manifest, and keeps every WAL record before a damaged one. */
int store_repair(const char *dir, store_verify_report *rep, sp_err *err);
void store_verify_free(store_verify_report *r);

/* Figures for `secpilot store info`. */
void store_info(store_ws *ws, sp_buf *out, bool json);
/* Workspace names present under a data directory (heap strings, caller frees each and the array). */
char **store_list_workspaces(const char *dir, size_t *n);

/* ----------------------------------------------------------------- helpers
 * SecurityAlert.Entities as Sentinel exports it: an array of entity objects
 * each with "$id", where an entity met again is written {"$ref": "<id>"}.
 * Returns the array with every {"$ref": id} replaced by the object with that
 * $id (built in `arena`; cycles are cut by leaving the inner $ref as is).
 * Accepts the dynamic value, or NULL when `entities` is not an array/bag. */
const kql_dyn *store_entities_resolve(sp_arena *arena, const kql_dyn *entities);
/* The same from the column's text (it is a string column, as in Sentinel). */
const kql_dyn *store_entities_resolve_text(sp_arena *arena, const char *p, size_t n, sp_err *err);

#endif
