/* base: the foundation every module stands on — arenas, strings, vectors, maps,
 * errors, time, JSON (through jansson), logging and a small thread pool. */
#ifndef SECPILOT_BASE_H
#define SECPILOT_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SP_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SP_MIN(a, b) ((a) < (b) ? (a) : (b))
#define SP_MAX(a, b) ((a) > (b) ? (a) : (b))
#define SP_UNUSED(x) ((void)(x))
#if defined(__GNUC__)
#define SP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SP_LIKELY(x) __builtin_expect(!!(x), 1)
#define SP_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define SP_PRINTF(f, a)
#define SP_LIKELY(x) (x)
#define SP_UNLIKELY(x) (x)
#endif

/* ---------------------------------------------------------------- memory
 * Allocation failure of the C heap is fatal (sp_oom aborts with a message):
 * limits that bad input can reach are enforced above malloc, by sp_memctl. */
void *sp_malloc(size_t n);
void *sp_calloc(size_t n, size_t size);
void *sp_realloc(void *p, size_t n);
char *sp_strdup(const char *s);
char *sp_strndup(const char *s, size_t n);
void sp_oom(void) __attribute__((noreturn));

/* A memory budget shared by every arena of one query or request. Exceeding
 * `limit` sets `exceeded` (sticky); the owner checks it at safe points and
 * ends the work with an error. Counters are atomic: worker threads share it. */
typedef struct sp_memctl {
    size_t limit;          /* 0 = unlimited */
    size_t used;           /* bytes currently held by arenas using this budget */
    size_t peak;
    int exceeded;
} sp_memctl;

/* Arena: bump allocator in chunks, freed all at once. Not thread-safe: give
 * each thread its own arena (they may share one sp_memctl). Owner: whoever
 * created it; sp_arena_free releases every allocation made from it. */
typedef struct sp_arena_chunk sp_arena_chunk;
typedef struct sp_arena_cleanup sp_arena_cleanup;
typedef struct sp_arena {
    sp_arena_chunk *head;
    sp_arena_cleanup *cleanups;  /* run by sp_arena_free, last registered first */
    char *cur, *end;
    size_t chunk_size;
    size_t total;          /* bytes requested from the heap */
    sp_memctl *mem;        /* may be NULL */
} sp_arena;

void sp_arena_init(sp_arena *a, sp_memctl *mem);
void sp_arena_free(sp_arena *a);
void *sp_arena_alloc(sp_arena *a, size_t n);            /* 16-byte aligned, uninitialised */
void *sp_arena_zalloc(sp_arena *a, size_t n);           /* zeroed */
void *sp_arena_realloc(sp_arena *a, void *p, size_t old, size_t n);
char *sp_arena_strndup(sp_arena *a, const char *s, size_t n);
char *sp_arena_strdup(sp_arena *a, const char *s);
char *sp_arena_printf(sp_arena *a, const char *fmt, ...) SP_PRINTF(2, 3);
/* Registers fn(ptr) to run when the arena is freed (for resources the arena
 * does not hold itself, such as compiled regular expressions). */
void sp_arena_on_free(sp_arena *a, void (*fn)(void *), void *ptr);
#define SP_NEW(a, T) ((T *)sp_arena_zalloc((a), sizeof(T)))
#define SP_NEWN(a, T, n) ((T *)sp_arena_alloc((a), sizeof(T) * (size_t)(n)))
#define SP_NEWZ(a, T, n) ((T *)sp_arena_zalloc((a), sizeof(T) * (size_t)(n)))

/* --------------------------------------------------------------- strings */

/* A slice: pointer + length, not NUL-terminated. Used for tokens and values. */
typedef struct sp_str {
    const char *p;
    size_t n;
} sp_str;
#define SP_STR(lit) ((sp_str){(lit), sizeof(lit) - 1})
static inline sp_str sp_str_c(const char *s) { return (sp_str){s, s ? strlen(s) : 0}; }
bool sp_str_eq(sp_str a, sp_str b);
bool sp_str_ieq(sp_str a, sp_str b);                    /* ASCII case-insensitive */
bool sp_str_eqc(sp_str a, const char *c);
bool sp_str_ieqc(sp_str a, const char *c);
int sp_str_cmp(sp_str a, sp_str b);
/* Case-insensitive substring search (ASCII folding); returns offset or -1. */
long sp_str_ifind(sp_str hay, sp_str needle);
long sp_str_find(sp_str hay, sp_str needle);
char *sp_str_dup(sp_str s);                              /* heap copy, NUL-terminated */

/* A growable byte buffer with a cap. Appending past the cap truncates and sets
 * `truncated`; the buffer stays valid and NUL-terminated. Owner: the holder;
 * release with sp_buf_free. */
typedef struct sp_buf {
    char *p;
    size_t n, cap;
    size_t limit;          /* 0 = unlimited */
    bool truncated;
} sp_buf;

void sp_buf_init(sp_buf *b, size_t limit);
void sp_buf_free(sp_buf *b);
void sp_buf_reset(sp_buf *b);
void sp_buf_put(sp_buf *b, const void *p, size_t n);
void sp_buf_puts(sp_buf *b, const char *s);
void sp_buf_putc(sp_buf *b, char c);
void sp_buf_printf(sp_buf *b, const char *fmt, ...) SP_PRINTF(2, 3);
void sp_buf_vprintf(sp_buf *b, const char *fmt, va_list ap);
void sp_buf_put_json_str(sp_buf *b, const char *p, size_t n); /* quoted, escaped */
char *sp_buf_steal(sp_buf *b);                           /* caller frees; buffer reset */
static inline sp_str sp_buf_str(const sp_buf *b) { return (sp_str){b->p ? b->p : "", b->n}; }

/* UTF-8 helpers: decode one code point (returns bytes consumed, 1 on invalid
 * with *cp = U+FFFD), encode one (returns bytes written, up to 4). */
int sp_utf8_decode(const char *p, size_t n, uint32_t *cp);
int sp_utf8_encode(uint32_t cp, char out[4]);
bool sp_utf8_valid(const char *p, size_t n);

/* --------------------------------------------------------------- vectors
 * Type-generic growable array: SP_VEC(int) v = {0}; sp_vec_push(&v, 3);
 * Heap-backed; release with sp_vec_free. */
#define SP_VEC(T) struct { T *v; size_t n, cap; }
#define sp_vec_grow(vec, need)                                                    \
    do {                                                                          \
        if ((need) > (vec)->cap) {                                                \
            size_t nc_ = (vec)->cap ? (vec)->cap * 2 : 8;                         \
            while (nc_ < (need)) nc_ *= 2;                                        \
            (vec)->v = sp_realloc((vec)->v, nc_ * sizeof(*(vec)->v));             \
            (vec)->cap = nc_;                                                     \
        }                                                                         \
    } while (0)
#define sp_vec_push(vec, x)                                                       \
    do {                                                                          \
        sp_vec_grow((vec), (vec)->n + 1);                                         \
        (vec)->v[(vec)->n++] = (x);                                               \
    } while (0)
#define sp_vec_free(vec) do { free((vec)->v); (vec)->v = NULL; (vec)->n = (vec)->cap = 0; } while (0)

/* ----------------------------------------------------------------- hashing */
uint64_t sp_hash_bytes(const void *p, size_t n, uint64_t seed);
uint64_t sp_hash_ibytes(const void *p, size_t n, uint64_t seed);  /* ASCII case-folded */
static inline uint64_t sp_hash_u64(uint64_t x) {
    x ^= x >> 33; x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33; x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33; return x;
}

/* String-keyed hash map (open addressing). Keys are copied into the map's own
 * storage; values are opaque pointers owned by the caller. */
typedef struct sp_map_entry {
    char *key;
    size_t klen;
    uint64_t hash;
    void *val;
} sp_map_entry;
typedef struct sp_map {
    sp_map_entry *e;
    size_t n, cap;
    bool icase;            /* keys compare ASCII case-insensitively */
} sp_map;

void sp_map_init(sp_map *m, bool icase);
void sp_map_free(sp_map *m);
void **sp_map_slot(sp_map *m, const char *k, size_t kn, bool *created); /* insert-or-find */
void *sp_map_get(const sp_map *m, const char *k, size_t kn);
bool sp_map_has(const sp_map *m, const char *k, size_t kn);
void sp_map_put(sp_map *m, const char *k, size_t kn, void *val);
#define sp_map_foreach(m, ent) \
    for (sp_map_entry *ent = (m)->e; ent && ent < (m)->e + (m)->cap; ent++) if (ent->key)

/* ------------------------------------------------------------------ errors
 * Functions return a status (0 ok, -1 failed) and fill an sp_err the caller
 * passes in. `code` is a stable machine-readable word (unknown_column,
 * syntax, limit_rows, ...); positions are 1-based, 0 when not applicable. */
typedef enum sp_err_kind {
    SP_ERR_NONE = 0,
    SP_ERR_SYNTAX,         /* malformed input text (queries, files, requests) */
    SP_ERR_SEMANTIC,       /* well-formed but meaningless: unknown names, types */
    SP_ERR_RUNTIME,        /* failed while running */
    SP_ERR_LIMIT,          /* a configured limit was hit */
    SP_ERR_IO,             /* files, network */
    SP_ERR_USAGE,          /* bad command-line or API use */
} sp_err_kind;

typedef struct sp_err {
    sp_err_kind kind;
    char code[40];
    char name[128];        /* offending identifier, if any */
    char msg[512];
    char hint[160];        /* suggestion ("did you mean ...?"), if any */
    int line, col;
} sp_err;

void sp_err_clear(sp_err *e);
/* Sets the error unless one is already set (the first error wins). */
int sp_err_set(sp_err *e, sp_err_kind kind, const char *code, int line, int col,
               const char *fmt, ...) SP_PRINTF(6, 7);
void sp_err_name(sp_err *e, const char *name, size_t n);
void sp_err_hint(sp_err *e, const char *fmt, ...) SP_PRINTF(2, 3);
const char *sp_err_kind_name(sp_err_kind k);
static inline bool sp_err_is_set(const sp_err *e) { return e->kind != SP_ERR_NONE; }

/* -------------------------------------------------------------------- time
 * Datetimes are int64 ticks of 100 ns since 1970-01-01T00:00:00Z (negative
 * before); timespans are int64 ticks of 100 ns. Range: years 0001..9999. */
#define SP_TICKS_PER_US 10LL
#define SP_TICKS_PER_MS 10000LL
#define SP_TICKS_PER_SEC 10000000LL
#define SP_TICKS_PER_MIN (60LL * SP_TICKS_PER_SEC)
#define SP_TICKS_PER_HOUR (3600LL * SP_TICKS_PER_SEC)
#define SP_TICKS_PER_DAY (86400LL * SP_TICKS_PER_SEC)
#define SP_DT_MIN (-621355968000000000LL)  /* 0001-01-01 */
#define SP_DT_MAX (2534023007999999999LL)  /* 9999-12-31T23:59:59.9999999 */

typedef struct sp_tm {
    int year, month, day, hour, min, sec;
    int frac;              /* 100 ns units, 0..9999999 */
} sp_tm;

int64_t sp_days_from_civil(int y, int m, int d);
void sp_civil_from_days(int64_t z, int *y, int *m, int *d);
bool sp_tm_to_ticks(const sp_tm *t, int64_t *out);
void sp_ticks_to_tm(int64_t ticks, sp_tm *t);
int sp_weekday(int64_t ticks);                          /* 0 = Sunday */
/* Parses ISO 8601 and the other forms Kusto and Sentinel exports use
 * ("2024-01-02", "2024-01-02 03:04:05", "...T03:04:05.1234567Z", offsets
 * "+02:00", RFC 1123 "Tue, 02 Jan 2024 03:04:05 GMT", "1/2/2024 3:04:05 AM"). */
bool sp_parse_datetime(const char *p, size_t n, int64_t *out);
/* "2024-01-02T03:04:05Z", with ".fffffff" trimmed of trailing zeros when non-zero. */
size_t sp_format_datetime(int64_t ticks, char out[40]);
/* Timespan literal text "1.02:03:04.5", "02:03:04", "-00:00:01" (Kusto/.NET form). */
bool sp_parse_timespan(const char *p, size_t n, int64_t *out);
size_t sp_format_timespan(int64_t ticks, char out[40]);
int64_t sp_now_ticks(void);                             /* wall clock */
double sp_mono_ms(void);                                /* monotonic milliseconds */

/* -------------------------------------------------------------------- JSON
 * Config, contracts and API bodies go through jansson (json_t); the KQL
 * engine has its own zero-copy parser for dynamic values. These helpers wrap
 * the common cases with caps on size and depth. */
typedef struct json_t json_t;
json_t *sp_json_parse(const char *p, size_t n, sp_err *err);   /* NULL + err */
json_t *sp_json_load_file(const char *path, sp_err *err);
char *sp_json_dump(const json_t *j, bool pretty);              /* caller frees */

/* -------------------------------------------------------------------- files */
/* Reads a whole file (or "-" for stdin), capped at `limit` bytes (0 = none).
 * Returns malloc'd, NUL-terminated data or NULL with err set. */
char *sp_read_file(const char *path, size_t limit, size_t *len, sp_err *err);
bool sp_file_exists(const char *path);
bool sp_is_dir(const char *path);
int sp_mkdir_p(const char *path, sp_err *err);

/* --------------------------------------------------------------------- log */
typedef enum { SP_LOG_DEBUG, SP_LOG_INFO, SP_LOG_WARN, SP_LOG_ERROR } sp_log_level;
void sp_log_set_level(sp_log_level l);
void sp_log(sp_log_level l, const char *fmt, ...) SP_PRINTF(2, 3);

/* ------------------------------------------------------------------ threads
 * A fixed pool of workers running parallel-for jobs. sp_pool_run calls
 * fn(ctx, i) for i in [0, n) across the workers and the calling thread and
 * returns when all are done. Jobs may not nest (a job running sp_pool_run runs
 * its items inline). The default pool has one worker per core. */
typedef struct sp_pool sp_pool;
typedef void (*sp_task_fn)(void *ctx, size_t i);
sp_pool *sp_pool_create(int nthreads);
void sp_pool_destroy(sp_pool *p);
void sp_pool_run(sp_pool *p, size_t n, sp_task_fn fn, void *ctx);
int sp_pool_size(const sp_pool *p);
sp_pool *sp_pool_default(void);
int sp_ncpus(void);

#endif
