/* store internals shared across the module's files: ingestion's field model
 * and coercion, the segment codec, the WAL, workspaces, tables and the cache. */
#ifndef SECPILOT_STORE_INT_H
#define SECPILOT_STORE_INT_H

#include "secpilot/store.h"

#include <pthread.h>
#include <stdatomic.h>

/* ============================================================ ingestion */

/* One field of an input row, before coercion. Text points into the record
 * buffer (JSON strings are unescaped in place). */
typedef enum ing_kind {
    ING_NULL,       /* JSON null */
    ING_TRUE,
    ING_FALSE,
    ING_NUM,        /* JSON number: text as written */
    ING_STR,        /* JSON string, unescaped */
    ING_JSON,       /* JSON object or array: raw text */
    ING_TEXT,       /* CSV cell: untyped text */
} ing_kind;

typedef struct ing_field {
    sp_str name;
    sp_str text;
    uint8_t kind;
    uint8_t quiet;             /* not counted when the table lacks it (kept elsewhere) */
} ing_field;

/* Converts one input field to a value of column type `t`. Strings and
 * dynamics point into the field's text or `arena`. Returns false with a
 * reason ("'abc' is not a long") when it does not convert. */
bool ing_coerce(const ing_field *f, kql_type t, sp_arena *arena, int max_depth, kql_value *out,
                char *why, size_t whyn);
/* Converts a value of another type to column type `t` (store_txn_append). */
bool ing_coerce_value(const kql_value *v, kql_type t, sp_arena *arena, kql_value *out, char *why,
                      size_t whyn);
bool ing_parse_guid(const char *p, size_t n, kql_guid *g);
/* Type a value would get if a column were made for it (inference); KQL_UNKNOWN for null/empty. */
kql_type ing_natural_type(const ing_field *f, int max_depth);
kql_type ing_merge_types(kql_type a, kql_type b);
/* Strict number scanners (whole text, surrounding blanks allowed). */
bool ing_parse_long(const char *p, size_t n, int64_t *out);
bool ing_parse_real(const char *p, size_t n, double *out);

/* A byte source: a file, stdin or memory, unpacked when it is gzip (also
 * concatenated members), zip or tar (members read one after another). */
typedef struct ing_src ing_src;
ing_src *ing_src_file(const char *path, sp_err *err);
ing_src *ing_src_mem(const char *p, size_t n, sp_err *err);
/* Reads up to cap bytes; 0 at the end; -1 with err on a read or gzip error. */
long ing_src_read(ing_src *s, char *dst, size_t cap, sp_err *err);
bool ing_src_gzip(const ing_src *s);
/* Reads up to `want` bytes ahead without consuming them (they are read again). */
long ing_src_peek(ing_src *s, const char **p, size_t want, sp_err *err);
bool ing_src_regular(const ing_src *s);     /* can be opened again (a second pass) */
const char *ing_src_kind(const ing_src *s);   /* "", "+gzip", "+zip", "+tar", "+tar.gz" */
void ing_src_free(ing_src *s);

/* The reader's per-input state: schema, name map, the row being built,
 * counters, and where accepted rows go. */
typedef struct ing_reader ing_reader;
typedef struct ing_params {
    const kql_column_def *cols;     /* NULL: infer */
    size_t ncols;
    store_format fmt;
    store_limits lim;
    store_row_fn cb;
    void *ctx;
    store_ingest_report *rep;
    bool add_time_col;              /* inference: add TimeGenerated if the data has none */
    bool sanitize_names;            /* inference: make column names identifiers */
    int64_t fill_now;               /* non-zero: a missing TimeGenerated gets this time */
    bool csv_header_auto;           /* CSV: the first record is a header only if it names the
                                       columns; else cells map by position (externaldata) */
    /* routing (JSON inputs): each row goes to the table its "Type" names or, for
     * Windows events, SecurityEvent or WindowsEvent; cols/cb unused then */
    const kql_table *(*route_schema)(void *ctx, const char *table);
    size_t (*route_list)(void *ctx, const kql_table **out, size_t max);   /* for fitting by columns */
    int (*route_cb)(void *ctx, const char *table, const kql_value *row, size_t ncols, uint64_t line);
} ing_params;
/* Runs a whole input (file path, or memory when path is NULL). */
int ing_run(const ing_params *p, const char *path, const char *buf, size_t len, sp_err *err);

/* Record parsers, called by the reader on one complete record. */
typedef struct ing_row {
    ing_field *f;
    size_t n, cap;
    size_t max_fields;
    int max_depth;
} ing_row;
/* Parses a JSON object record in place into fields. Returns false with a
 * reason and 1-based column within the record. */
bool ing_json_object(char *p, size_t n, ing_row *row, char *why, size_t whyn, size_t *errcol);
/* Validates and skips one JSON value at *pp (< e); depth counts nesting. */
bool ing_json_skip(const char **pp, const char *e, int depth, int max_depth);
/* Splits one CSV record (may contain quoted newlines) in place into cells. */
bool ing_csv_record(char *p, size_t n, ing_row *row, char *why, size_t whyn);
/* Windows event logs (Winlogbeat/NXLog JSON): returns SecurityEvent or
 * WindowsEvent and the fields for it in `out` (synthesized text in
 * `scratch`), or NULL with a reason when the row is not a Windows event. */
const char *ing_winevent_route(const ing_field *f, size_t n, ing_row *out, sp_buf *scratch, char *why,
                               size_t whyn);
/* Defender advanced hunting rows without a table column: the table, or NULL. */
const char *ing_defender_route(const ing_field *f, size_t n);
/* Report helpers. */
void ing_report_reject(store_ingest_report *r, uint64_t line, const char *fmt, ...) SP_PRINTF(3, 4);
void ing_report_unknown(store_ingest_report *r, const char *name, size_t n, uint64_t count);

/* ========================================================== segments
 * Segment image: [header 16][column blocks ...][footer][trailer 24].
 * Every block is zstd-compressed and carries a crc32 of its stored bytes;
 * the footer (schema, block index, row count, time range) carries its own. */
#define SEG_MAGIC "SPSEG\001\r\n"
#define SEG_END_MAGIC "SPSEGEND"
#define SEG_HEADER 16
#define SEG_TRAILER 24

enum { SEGC_NULLS = 1, SEGC_MINMAX = 2 };

typedef struct seg_colmeta {
    char *name;
    kql_type type;
    uint8_t flags;             /* SEGC_* */
    uint64_t off, csize, usize;
    uint32_t crc;
    int64_t min, max;          /* datetime/long/int/timespan when SEGC_MINMAX */
} seg_colmeta;

typedef struct seg_meta {
    char *table;
    uint64_t nrows;
    int time_col;              /* index into cols, or -1 */
    bool has_time;             /* the time column has at least one non-null value */
    int64_t tmin, tmax;
    size_t ncols;
    seg_colmeta *cols;
    uint64_t size;             /* image bytes */
    uint32_t footer_crc;
} seg_meta;

void seg_meta_free(seg_meta *m);
/* Parses and checks the trailer and footer of an image of `size` bytes,
 * given its last bytes (tail = image + size - taillen). Returns 0 or -1 with
 * err naming `what` (a file path or "WAL record N"). `need` tells how many
 * tail bytes are needed when the given tail is too short (returns 1). */
int seg_parse_tail(const uint8_t *tail, size_t taillen, uint64_t size, seg_meta *m, size_t *need,
                   const char *what, sp_err *err);
/* Decodes column `c` from its stored block (csize bytes) into `a`. */
int seg_decode_col(const seg_meta *m, size_t c, const uint8_t *block, sp_arena *a, kql_col *out,
                   const char *what, sp_err *err);

/* Row builder: appends typed rows into column builders, then encodes one image. */
typedef struct seg_builder seg_builder;
seg_builder *segb_new(const char *table, const kql_column_def *cols, size_t ncols, int time_col);
void segb_free(seg_builder *b);
void segb_append(seg_builder *b, const kql_value *row);   /* values already of the column types */
size_t segb_rows(const seg_builder *b);
size_t segb_bytes(const seg_builder *b);                   /* approximate memory held */
/* Encodes the rows into `out` (appended) and resets the builder. */
int segb_finish(seg_builder *b, int zlevel, sp_buf *out, sp_err *err);

/* Compact binary form of dynamic values (no reparse on read). */
void dynb_encode(const kql_dyn *d, sp_buf *out);
/* Decodes one value; strings point into `p` (NUL-terminated there). */
bool dynb_decode(const uint8_t *p, size_t n, sp_arena *a, kql_dyn *out);

uint32_t st_crc32(const void *p, size_t n);

/* =========================================================== storage */

/* A segment the store holds: a file, or an image in memory (rows committed
 * to the WAL and not yet checkpointed). Refcounted: snapshots hold
 * references; the last release closes the file (and unlinks it when it was
 * dropped). Immutable after creation. */
typedef struct st_seg {
    atomic_int refs;
    uint64_t id;
    uint64_t uid;              /* process-unique: cache key */
    int fd;                    /* file segments; -1 for memory */
    char *path;
    uint8_t *mem;              /* memory segments: the image */
    seg_meta meta;
    atomic_bool dropped;       /* unlink when the last reference goes */
} st_seg;

void st_seg_ref(st_seg *s);
void st_seg_unref(st_seg *s);
st_seg *st_seg_open_file(const char *path, uint64_t id, sp_err *err);
st_seg *st_seg_from_mem(uint8_t *img, size_t n, uint64_t id, const char *what, sp_err *err); /* takes img */
/* Reads block of column c (heap buffer, caller frees). */
uint8_t *st_seg_read_block(st_seg *s, size_t c, sp_err *err);

/* The immutable state of one table: its segments. Swapped whole on commit. */
typedef struct st_tstate {
    atomic_int refs;
    size_t n;
    st_seg **segs;
} st_tstate;
st_tstate *st_tstate_new(size_t n);
void st_tstate_unref(st_tstate *t);

/* A table of a workspace. Stable pointer for the workspace's life. */
typedef struct st_table st_table;
size_t st_table_append_cols(st_table *t, const kql_column_def *cols, size_t ncols);
typedef struct st_table {
    kql_table kt;              /* name, cols, time_col, ops, ctx = this */
    struct store_ws *ws;
    bool custom;
    size_t base_ncols;         /* columns from the schema; later ones were added by store_extend_table */
    SP_VEC(kql_column_def *) retired;  /* column arrays replaced by extensions: freed at close
                                          (scans that started earlier may still read them) */
    int retention_days;
    size_t idx;
    st_tstate *state;          /* guarded by ws->state_mu */
} st_table;

/* Decoded-block cache (per workspace): LRU over decoded columns, bounded in
 * bytes; entries in use by scans are pinned. */
typedef struct st_cache st_cache;
typedef struct st_centry st_centry;
st_cache *st_cache_new(size_t cap);
void st_cache_free(st_cache *c);
/* Returns the decoded column c of seg (pinned), decoding on a miss. */
st_centry *st_cache_get(st_cache *c, st_seg *seg, size_t col, sp_err *err);
const kql_col *st_centry_col(const st_centry *e);
void st_cache_release(st_cache *c, st_centry *e);

struct store {
    char *dir;
    store_options opt;
    pthread_mutex_t mu;
    SP_VEC(store_ws *) ws;
    sp_map schema_map;        /* table name -> index into schema tables */
    json_t *schemas;          /* data/schemas/tables.json */
};

struct store_ws {
    store *st;
    char *name;
    char *dir;                 /* DIR/workspaces/NAME */
    bool readonly;
    int lock_fd;
    pthread_mutex_t write_mu;  /* one writer at a time: commits, checkpoints, edits */
    pthread_mutex_t state_mu;  /* table states and the table list */
    SP_VEC(st_table *) tables;
    sp_map table_map;          /* name -> st_table* */
    st_cache *cache;
    /* WAL */
    int wal_fd;
    char *wal_path;
    uint64_t wal_seq;          /* last record written */
    uint64_t wal_bytes;        /* since the last checkpoint */
    uint64_t ckpt_seq;         /* records <= this are in the manifest */
    atomic_uint_fast64_t next_id;  /* segment ids */
    size_t mem_bytes;          /* memory segments held */
    /* background work */
    pthread_t bg;
    bool bg_running, bg_stop;
    pthread_cond_t bg_cv;
    int64_t last_retention;
    bool force_manifest;       /* recovery dropped something: rewrite the manifest */
    kql_table *list_cache;     /* for catalog list */
};

/* tables.c */
int st_load_schemas(store *s, sp_err *err);
int st_ws_load_tables(store_ws *ws, sp_err *err);     /* schema tables + catalog.json */
int st_ws_save_catalog(store_ws *ws, sp_err *err);
st_table *st_find_table(store_ws *ws, const char *name, size_t n);
int st_pick_time_col(const kql_column_def *cols, size_t ncols);
extern const kql_table_ops st_table_ops;

/* wal.c */
typedef enum { WOP_ADD_MEM = 1, WOP_ADD_SEG = 2, WOP_DEL_SEG = 3 } wal_op_kind;
typedef struct wal_op {
    uint8_t kind;
    const char *table;         /* ADD_* */
    uint64_t id;
    const uint8_t *img;        /* ADD_MEM: image bytes */
    size_t imglen;
    uint64_t size;             /* ADD_SEG: file size */
    uint32_t footer_crc;       /* ADD_SEG */
} wal_op;
int st_wal_open_new(store_ws *ws, sp_err *err);
/* Appends one record of ops and fsyncs. Assigns ws->wal_seq. */
int st_wal_append(store_ws *ws, const wal_op *ops, size_t n, sp_err *err);
typedef int (*wal_record_fn)(void *ctx, uint64_t seq, const wal_op *ops, size_t n, sp_err *err);
/* Reads every record of every WAL file of a workspace directory, in order.
 * A torn tail of the last file ends the log (truncated when `fix`); a bad
 * record followed by good data is damage: -1 with err naming the file. */
int st_wal_replay(const char *wsdir, bool fix, wal_record_fn fn, void *ctx, uint64_t *last_seq,
                  sp_err *err);
/* Deletes WAL files whose records are all <= seq (not the open one). */
void st_wal_trim(store_ws *ws, uint64_t seq);

/* manifest.c / recover.c */
int st_ws_recover(store_ws *ws, sp_err *err);          /* manifest + WAL -> table states */
int st_ws_write_manifest(store_ws *ws, sp_err *err);   /* all file segments + ckpt seq */
/* Applies a committed record's ops to the in-memory table states. */
int st_ws_apply(store_ws *ws, const wal_op *ops, size_t n, st_seg **added, sp_err *err);

/* fs helpers (fsio.c) */
int st_fsync_dir(const char *dir, bool enabled, sp_err *err);
int st_write_file_atomic(const char *path, const void *p, size_t n, bool sync, sp_err *err);
int st_write_all(int fd, const void *p, size_t n);
char *st_seg_path(store_ws *ws, const char *table, uint64_t id);
uint64_t st_new_id(store_ws *ws);
int64_t st_now(const store *s);

/* compact.c, retention.c */
/* Merges segments into one new file segment (rows with time < keep_after
 * dropped when keep_after != INT64_MIN). Returns the segment, or NULL with
 * *empty set when no row is left. */
st_seg *st_merge(store_ws *ws, st_table *t, st_seg **in, size_t n, int64_t keep_after, int zlevel,
                 bool *empty, sp_err *err);
int st_checkpoint_locked(store_ws *ws, sp_err *err);
st_table **st_tables_now(store_ws *ws, size_t *n);            /* heap array, caller frees */
bool st_still_there(store_ws *ws, st_table *t, st_seg **segs, size_t n);
int st_swap_segments(store_ws *ws, st_table *t, st_seg **old, size_t n, st_seg *nw, sp_err *err);

store_ws *st_txn_ws(store_txn *tx);

/* write a builder out as a file segment (fsynced) */
st_seg *st_write_segment(store_ws *ws, st_table *t, seg_builder *b, int zlevel, sp_err *err);

#endif
