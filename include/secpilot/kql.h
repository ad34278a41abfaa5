/* kql: the KQL language as a library — values and column batches, the catalog
 * interface storage providers implement, and compile / explain / execute. */
#ifndef SECPILOT_KQL_H
#define SECPILOT_KQL_H

#include "secpilot/base.h"

/* ------------------------------------------------------------------ types */
typedef enum kql_type {
    KQL_UNKNOWN = 0,   /* not yet known (binder internal), or untyped null */
    KQL_BOOL,
    KQL_INT,           /* 32-bit */
    KQL_LONG,          /* 64-bit */
    KQL_REAL,          /* IEEE double */
    KQL_DECIMAL,       /* held as a double: 15-16 significant digits, documented */
    KQL_STRING,        /* UTF-8; never null (the empty string stands for it) */
    KQL_DATETIME,      /* ticks of 100 ns since the Unix epoch (see base.h) */
    KQL_TIMESPAN,      /* ticks of 100 ns */
    KQL_GUID,
    KQL_DYNAMIC,       /* JSON-like: null, bool, long, real, string, array, bag, ... */
    KQL_NTYPES
} kql_type;

const char *kql_type_name(kql_type t);             /* "long", "datetime", ... */
/* Parses a type name as written in KQL ("int", "long", "real", "double",
 * "string", "datetime", "date", "timespan", "time", "guid", "uniqueid",
 * "bool", "boolean", "decimal", "dynamic"); KQL_UNKNOWN when not a type. */
kql_type kql_type_parse(const char *p, size_t n);
bool kql_type_is_numeric(kql_type t);              /* int, long, real, decimal */

typedef struct kql_guid {
    uint8_t b[16];     /* in text order: "00112233-4455-..." -> b[0]=0x00, b[1]=0x11 */
} kql_guid;

/* ---------------------------------------------------------------- dynamic
 * Immutable JSON-like values. Ownership: a dynamic value lives in the arena
 * (or the table storage) it was built in, and is never modified after it is
 * built; values may share sub-values. A NULL pointer and KQL_DYN_NULL both
 * mean null. Bag keys are unique and keep their insertion order. */
typedef enum kql_dyn_kind {
    KQL_DYN_NULL = 0,
    KQL_DYN_BOOL,
    KQL_DYN_LONG,
    KQL_DYN_REAL,
    KQL_DYN_STRING,
    KQL_DYN_DATETIME,
    KQL_DYN_TIMESPAN,
    KQL_DYN_GUID,
    KQL_DYN_ARRAY,
    KQL_DYN_BAG,
} kql_dyn_kind;

typedef struct kql_dyn kql_dyn;
typedef struct kql_dyn_kv kql_dyn_kv;
struct kql_dyn {
    uint8_t kind;      /* kql_dyn_kind */
    uint32_t n;        /* string bytes, array items, bag entries */
    union {
        bool b;
        int64_t i;     /* long, datetime ticks, timespan ticks */
        double r;
        const char *s;
        const kql_dyn *items;       /* array: n contiguous values */
        const kql_dyn_kv *kv;       /* bag: n entries */
        kql_guid g;
    } u;
};
struct kql_dyn_kv {
    const char *key;
    uint32_t klen;
    kql_dyn val;
};

/* Parses JSON text into a dynamic value in `arena`. Returns NULL (and sets
 * err with a position) on malformed input; depth and size are capped. */
const kql_dyn *kql_dyn_parse(sp_arena *arena, const char *p, size_t n, sp_err *err);
/* Like kql_dyn_parse but returns NULL without an error when the text is not
 * JSON (parse_json semantics: such text becomes a dynamic string instead). */
const kql_dyn *kql_dyn_parse_lenient(sp_arena *arena, const char *p, size_t n);
void kql_dyn_to_json(const kql_dyn *d, sp_buf *out);   /* compact JSON */
const kql_dyn *kql_dyn_get(const kql_dyn *bag, const char *key, size_t klen);  /* NULL if absent */
const kql_dyn *kql_dyn_index(const kql_dyn *arr, int64_t i);                    /* negative from end */
bool kql_dyn_equal(const kql_dyn *a, const kql_dyn *b);

/* ----------------------------------------------------------------- values
 * One scalar value. Strings and dynamics point into memory owned elsewhere
 * (a column, an arena); copying a kql_value copies the pointer, not the data. */
typedef struct kql_value {
    kql_type type;
    bool null;         /* never set for strings */
    union {
        bool b;
        int64_t i;     /* int, long, datetime, timespan */
        double r;      /* real, decimal */
        sp_str s;
        kql_guid g;
        const kql_dyn *d;
    } u;
} kql_value;

/* Converts v to type t as KQL's conversions do (numbers widen and narrow,
 * strings parse as numbers, datetimes, timespans, guids, bools; dynamic
 * values unwrap). Returns false when the value has no such form (out is then
 * null of type t). Result strings point into v or `a`. */
bool kql_convert(sp_arena *a, const kql_value *v, kql_type t, kql_value *out);
/* The scalar inside a dynamic (long, real, string, bool, datetime, ...);
 * arrays and bags stay dynamic. */
void kql_dyn_to_value(const kql_dyn *d, kql_value *out);

/* ---------------------------------------------------------------- columns
 * A column vector of one type. Strings are either flat (v.s) or dictionary
 * encoded (v.codes into dict, KQL_COL_DICT). A KQL_COL_CONST column holds one
 * value that stands for every row (n rows, storage for 1). Nulls: bitmap with
 * bit i set when row i is null, or NULL when no row is null; strings have no
 * nulls. Ownership: the arena or table storage the column was built in. */
typedef struct kql_dict {
    uint32_t n;
    const sp_str *s;   /* distinct strings; codes index this array */
} kql_dict;

enum { KQL_COL_CONST = 1, KQL_COL_DICT = 2 };

typedef struct kql_col {
    kql_type type;
    uint32_t flags;
    size_t n;
    uint64_t *nulls;
    union {
        uint8_t *b;            /* bool: 0/1 */
        int32_t *i32;          /* int */
        int64_t *i64;          /* long, datetime, timespan */
        double *f64;           /* real, decimal */
        kql_guid *g;           /* guid */
        sp_str *s;             /* string, flat */
        uint32_t *codes;       /* string, dictionary encoded */
        const kql_dyn **d;     /* dynamic (NULL entries are null) */
        void *raw;
    } v;
    const kql_dict *dict;      /* KQL_COL_DICT only */
} kql_col;

static inline bool kql_col_isnull(const kql_col *c, size_t i) {
    if (c->flags & KQL_COL_CONST) i = 0;
    return c->nulls && ((c->nulls[i >> 6] >> (i & 63)) & 1);
}
static inline sp_str kql_col_str(const kql_col *c, size_t i) {
    if (c->flags & KQL_COL_CONST) i = 0;
    return (c->flags & KQL_COL_DICT) ? c->dict->s[c->v.codes[i]] : c->v.s[i];
}
/* Reads row i of c as a value (pointers into the column's storage). */
void kql_col_get(const kql_col *c, size_t i, kql_value *out);
/* The rows rows[0..n) of c as a new column in `a` (dictionaries shared). */
kql_col *kql_col_gather(sp_arena *a, const kql_col *c, const uint32_t *rows, size_t n);

/* A batch: rows of several columns, all of the same length. */
typedef struct kql_batch {
    size_t nrows;
    size_t ncols;
    kql_col **cols;
    size_t bytes;              /* bytes of storage read to produce it (stats) */
} kql_batch;

/* ---------------------------------------------------------------- catalog
 * What a storage provider implements so the engine can bind and scan its
 * tables. In-memory tables and plain files are providers (kql_memtable
 * below); the store is another. */
typedef struct kql_column_def {
    const char *name;
    kql_type type;
} kql_column_def;

typedef struct kql_scan_req {
    const int *cols;           /* projected column indices into the table's columns */
    size_t ncols;
    bool has_time;             /* a time range on the table's time column */
    int64_t tmin, tmax;        /* inclusive; the engine still filters rows itself */
} kql_scan_req;

typedef struct kql_table kql_table;
typedef struct kql_scan kql_scan;    /* provider-defined scan state */

typedef struct kql_table_ops {
    /* Starts a scan: the provider may skip parts (segments, chunks) wholly
     * outside the time range. Returns NULL with err set on failure. */
    kql_scan *(*scan_begin)(const kql_table *t, const kql_scan_req *req, sp_err *err);
    /* Number of independent parts; parts are read concurrently. */
    size_t (*scan_parts)(kql_scan *s);
    /* Reads part i into `out`: one column per req->cols entry, in that order.
     * Column memory comes from `arena` (the calling thread's) or points into
     * storage that stays valid until scan_end. Thread-safe across parts. */
    int (*scan_read)(kql_scan *s, size_t part, sp_arena *arena, kql_batch *out, sp_err *err);
    void (*scan_end)(kql_scan *s);
    /* Optional: rows in the table (for planning), or -1 if unknown. */
    int64_t (*row_count)(const kql_table *t);
    /* Optional: reads columns `cols` (indices into the table's columns, any of
     * them, not only the scan's) for rows `rows` (ascending) of part `part`
     * of an open scan: late materialization, so that `top` and
     * `arg_max(*)` decode the other columns only for the rows they keep.
     * Same thread-safety and lifetime rules as scan_read. */
    int (*scan_fetch)(kql_scan *s, size_t part, const int *cols, size_t ncols, const uint32_t *rows, size_t nrows,
                      sp_arena *arena, kql_batch *out, sp_err *err);
} kql_table_ops;

struct kql_table {
    const char *name;
    size_t ncols;
    const kql_column_def *cols;
    int time_col;              /* column used for time pruning, or -1 */
    const kql_table_ops *ops;
    void *ctx;                 /* provider state */
};

typedef struct kql_catalog {
    void *ctx;
    /* Finds a table by exact (case-sensitive) name; NULL if none. */
    const kql_table *(*find)(void *ctx, const char *name, size_t n);
    /* Lists tables: returns how many exist, fills up to `max` (wildcards, search *). */
    size_t (*list)(void *ctx, const kql_table **out, size_t max);
} kql_catalog;

/* Tables known only by schema (no rows): the Sentinel/Defender tables of
 * data/schemas, so that queries bind even where no data is loaded. */
typedef struct kql_schema_set kql_schema_set;
kql_schema_set *kql_schemas_load(const char *path, sp_err *err);   /* a tables.json file */
kql_schema_set *kql_schemas_default(sp_err *err);                  /* data/schemas, found via SECPILOT_DATA or the binary's location */
void kql_schemas_free(kql_schema_set *s);
size_t kql_schemas_count(const kql_schema_set *s);
const kql_table *kql_schemas_table(const kql_schema_set *s, size_t i);
const kql_table *kql_schemas_find(const kql_schema_set *s, const char *name, size_t n);

/* ----------------------------------------------------------- memory tables
 * In-memory tables, built by appending rows and frozen on first scan into
 * dictionary-encoded column chunks. Owner: the kql_memdb that holds them.
 * (Reading files into rows is ingestion's job: see store.h.) */
typedef struct kql_memdb kql_memdb;
typedef struct kql_memtable kql_memtable;
kql_memdb *kql_memdb_new(void);
void kql_memdb_free(kql_memdb *db);
/* Catalog over the memdb's tables, falling back to `schemas` (may be NULL)
 * for names the memdb lacks. Valid while both live. */
kql_catalog kql_memdb_catalog(kql_memdb *db, const kql_schema_set *schemas);
/* Creates (or replaces) table `name`; time_col = -1 picks the first datetime
 * column named TimeGenerated or Timestamp, if any. */
kql_memtable *kql_memdb_create(kql_memdb *db, const char *name, const kql_column_def *cols,
                               size_t ncols, int time_col);
/* Appends one row of ncols values, converted to the column types (strings
 * and dynamics are copied). Returns -1 with err set when a value does not
 * convert. */
int kql_memtable_append(kql_memtable *t, const kql_value *row, sp_err *err);
size_t kql_memtable_rows(const kql_memtable *t);
typedef struct kql_result kql_result;
/* Builds a table from a result (for `--table`-style fixtures and tests). */
int kql_memdb_add_result(kql_memdb *db, const char *name, const kql_result *r, sp_err *err);

/* Reads a file for `externaldata` (the host supplies it: the engine itself
 * reads no files). Returns a result with the given columns, or NULL + err. */
typedef kql_result *(*kql_file_loader)(void *ctx, const char *path, const char *format,
                                       const kql_column_def *cols, size_t ncols, sp_err *err);

/* ----------------------------------------------------------------- queries */
typedef struct kql_options {
    int64_t now;               /* now() in ticks; 0 = the wall clock at compile */
    double timeout_ms;         /* wall time per query; 0 = default (60 s) */
    size_t max_memory;         /* bytes; 0 = default (4 GiB) */
    size_t max_rows;           /* result rows; 0 = default (500,000) */
    size_t max_result_bytes;   /* result size; 0 = default (64 MiB) */
    bool truncate_ok;          /* true: cut the result at the limits and flag it;
                                  false: fail with limit_rows / limit_bytes */
    int max_depth;             /* parser nesting; 0 = default (200) */
    const char *externaldata_dir;  /* externaldata may read files under this
                                      directory; NULL = externaldata refused */
    kql_file_loader file_loader;   /* how externaldata reads them */
    void *file_loader_ctx;
    sp_pool *pool;             /* NULL = the default pool */
} kql_options;

typedef struct kql_stats {
    double elapsed_ms;
    uint64_t rows_scanned;
    uint64_t bytes_scanned;
    uint64_t peak_memory_bytes;
} kql_stats;

/* A result table. Owner: the caller, through kql_result_free. */
struct kql_result {
    size_t ncols;
    const char **names;
    kql_type *types;
    size_t nrows;
    kql_col **cols;            /* ncols columns of nrows rows */
    bool truncated;            /* rows or bytes were cut at a limit */
    const char *render;        /* visualization hint from `render`, or NULL */
    kql_stats stats;
    kql_result *next;          /* further results of a multi-statement query */
    sp_arena arena;            /* holds everything above */
};
void kql_result_free(kql_result *r);
void kql_result_value(const kql_result *r, size_t row, size_t col, kql_value *out);

typedef enum kql_format { KQL_FMT_TABLE, KQL_FMT_CSV, KQL_FMT_JSON } kql_format;
/* JSON: {"columns":[{"name","type"}],"rows":[[..]]} (+ "truncated", "render"
 * when set); datetimes ISO 8601 UTC, timespans "[d.]hh:mm:ss[.fffffff]". */
void kql_result_write(const kql_result *r, kql_format fmt, sp_buf *out);
void kql_value_to_json(const kql_value *v, sp_buf *out);
void kql_value_to_text(const kql_value *v, sp_buf *out);   /* as tostring() renders it */

typedef struct kql_query kql_query;
/* Parses only (no binding); prints the syntax tree into `tree` when given. */
int kql_syntax(const char *text, size_t len, sp_buf *tree, sp_err *err);
/* Parses and binds `text` against `cat`. Syntax errors have kind
 * SP_ERR_SYNTAX; unknown names and type errors SP_ERR_SEMANTIC with codes
 * unknown_table, unknown_column, unknown_function, type_mismatch,
 * wrong_arity, ..., the offending name, line:column and a hint. */
kql_query *kql_compile(const kql_catalog *cat, const char *text, size_t len,
                       const kql_options *opt, sp_err *err);
void kql_query_free(kql_query *q);
/* Prints the bound plan, one operator per line, with types. */
void kql_explain(const kql_query *q, sp_buf *out);
/* Runs a compiled query. Errors: SP_ERR_RUNTIME or SP_ERR_LIMIT. */
kql_result *kql_execute(kql_query *q, sp_err *err);
/* Quotes a value for splicing into KQL as a string literal ('...' with
 * escapes) — the only sanctioned way to put untrusted text into a query. */
void kql_quote_string(const char *p, size_t n, sp_buf *out);

#endif
