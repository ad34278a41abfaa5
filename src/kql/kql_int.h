/* kql internals shared across the module's files: value helpers, the function
 * registry (scalar and aggregate), bound expressions, plans and the executor. */
#ifndef SECPILOT_KQL_INT_H
#define SECPILOT_KQL_INT_H

#include "secpilot/kql.h"

#include <pthread.h>

/* ------------------------------------------------------------ value text */
void kql_format_real(double r, sp_buf *out);          /* shortest round-trip, NaN/Infinity */
void kql_format_guid(const kql_guid *g, char out[37]);
bool kql_parse_guid(const char *p, size_t n, kql_guid *g);

/* ------------------------------------------------------ execution context
 * One per query execution. The arena `arena` belongs to the calling thread;
 * worker threads allocate from their own arena (kql_thread_arena). */
typedef struct kql_qctx {
    uint64_t id;                   /* unique per execution */
    sp_memctl mem;
    sp_arena arena;                /* main-thread arena: results, plans' runtime state */
    int64_t now;                   /* now() for the whole query */
    double start_ms, deadline_ms;  /* monotonic; deadline 0 = none */
    const kql_options *opt;
    sp_pool *pool;
    pthread_mutex_t mu;            /* guards err, thread arenas, stats merges */
    sp_err err;                    /* first runtime error */
    int failed;                    /* atomic: set with err */
    uint64_t rows_scanned, bytes_scanned;   /* atomic */
    sp_arena **tarenas;            /* per worker-thread arenas, freed with the query */
    size_t ntarenas;
    sp_map subq;                   /* toscalar()/in-subquery results, by expression */
    sp_map dictcache;              /* predicate results per (expression, dictionary) */
    const kql_query *query;        /* the query being run */
    void *exec;                    /* executor state (exec.c) */
} kql_qctx;

void kql_qctx_init(kql_qctx *q, const kql_options *opt);
void kql_qctx_free(kql_qctx *q);
/* Records a runtime error (the first one wins) and marks the query failed. */
void kql_fail(kql_qctx *q, sp_err_kind kind, const char *code, const char *fmt, ...) SP_PRINTF(4, 5);
static inline bool kql_failed(const kql_qctx *q) { return __atomic_load_n(&q->failed, __ATOMIC_RELAXED) != 0; }
/* Checks time and memory limits; fails the query and returns false when exceeded. */
bool kql_check_limits(kql_qctx *q);
/* The arena of the calling thread for this query (created on first use). */
sp_arena *kql_thread_arena(kql_qctx *q);

/* --------------------------------------------------------------- columns */
kql_col *kql_col_new(sp_arena *a, kql_type t, size_t n);            /* storage for n rows, no nulls */
kql_col *kql_col_const(sp_arena *a, const kql_value *v, size_t n);  /* one value for n rows */
void kql_col_set_null(sp_arena *a, kql_col *c, size_t i);           /* allocates the bitmap on first use */
void kql_col_set(sp_arena *a, kql_col *c, size_t i, const kql_value *v); /* v converted to c->type by kql_convert */
kql_col *kql_col_flatten(sp_arena *a, const kql_col *c);           /* const/dict → plain vector */
kql_col *kql_col_gather(sp_arena *a, const kql_col *c, const uint32_t *rows, size_t n);
size_t kql_nullmap_words(size_t n);

/* tostring(): the text form of a value (strings as is; datetimes ISO 8601;
 * dynamic as compact JSON; null as ""). Result in `a` unless v is a string. */
sp_str kql_value_str(sp_arena *a, const kql_value *v);
/* A dynamic value holding v (for pack, make_list, ...). */
const kql_dyn *kql_value_to_dyn(sp_arena *a, const kql_value *v);
/* Total order used by sort, min/max and comparisons of same-typed values;
 * nulls sort first (callers handle "nulls last"). */
int kql_value_cmp(const kql_value *a, const kql_value *b);
bool kql_value_eq(const kql_value *a, const kql_value *b);
uint64_t kql_value_hash(const kql_value *v, uint64_t seed);
/* Deep copy into `a` (strings, dynamics). */
void kql_value_copy(sp_arena *a, const kql_value *v, kql_value *out);
const kql_dyn *kql_dyn_copy(sp_arena *a, const kql_dyn *d);

/* ------------------------------------------------------- function library
 * Every built-in function is one kql_fn entry in a table (fn_*.c files each
 * export their table; registry.c collects them). The binder checks calls
 * against `params`, infers the result type from `ret` (or `bind`), and the
 * executor evaluates with `vec` (whole columns) or `row` (value by value;
 * the adapter handles nulls when KQL_FNF_NULLS_IN is not set).
 *
 * params: comma-separated codes, one per parameter:
 *   s string   i int/long   n any number   r real   b bool   d datetime
 *   t timespan g guid       y dynamic      a any scalar  x datetime or number (bin)
 *   a trailing '?' marks an optional parameter; a final '*' after a code
 *   ("a*") repeats it (variadic). Dynamic arguments are accepted for every
 *   code (converted at run time), and int/long/real/decimal interconvert for
 *   i, n, r.
 * ret: "bool" "int" "long" "real" "decimal" "string" "datetime" "timespan"
 *   "guid" "dynamic", or "=N" (the type of argument N), or "num" (the widest
 *   numeric type of the arguments: int < long < decimal < real), or NULL when
 *   `bind` decides. */
typedef struct kql_fctx kql_fctx;
typedef struct kql_expr kql_expr;
typedef struct kql_bindctx kql_bindctx;

struct kql_fctx {
    kql_qctx *q;           /* now, limits, errors */
    sp_arena *arena;       /* where to allocate results (strings, dynamics) */
    const kql_expr *call;  /* the call being evaluated (aux state in call->aux) */
};

/* row: computes out from args (out->type is preset to the bound type). With
 * KQL_FNF_NULLS_IN unset, the adapter returns null when any argument is null
 * and never calls row. Runtime errors: kql_fail(c->q, ...) and return. */
typedef void (*kql_fn_row)(kql_fctx *c, const kql_value *args, size_t nargs, kql_value *out);
/* vec: computes out (already allocated: out->n rows of the bound type) from
 * argument columns (each n rows, possibly KQL_COL_CONST). */
typedef void (*kql_fn_vec)(kql_fctx *c, kql_col *const *args, size_t nargs, size_t n, kql_col *out);
/* bind: checks the call and sets its result type. May precompute state from
 * constant arguments into call->aux (e.g. a compiled regex). Returns the
 * result type, or KQL_UNKNOWN after reporting an error with kql_bind_error. */
typedef kql_type (*kql_fn_bind)(kql_bindctx *b, kql_expr *call);

/* Aggregates: per-group state of `state_size` bytes, initialised to zero. */
typedef struct kql_aggctx {
    kql_qctx *q;
    sp_arena *arena;       /* the calling thread's arena, for state that grows */
    const kql_expr *call;  /* the aggregate call (args, aux) */
} kql_aggctx;

typedef struct kql_aggdef {
    size_t state_size;
    /* Adds n rows: row i belongs to group gids[i], whose state is at
     * states + gids[i] * state_size. args are the evaluated arguments. */
    void (*update)(kql_aggctx *c, char *states, const uint32_t *gids, kql_col *const *args, size_t nargs,
                   size_t n);
    /* Merges src into dst (partial results from another thread). */
    void (*merge)(kql_aggctx *c, void *dst, const void *src);
    /* Writes the group's result(s): nout values, each with its type preset
     * (nout > 1 only for aggregates with several result columns, such as
     * percentiles(x, 50, 95); the binder sets it from the call). */
    void (*final)(kql_aggctx *c, const void *state, kql_value *out, size_t nout);
} kql_aggdef;

enum {
    KQL_FN_SCALAR = 1,
    KQL_FN_AGG,
    KQL_FN_SPECIAL,        /* handled by the binder itself (toscalar, materialize, ...) */
};

enum {
    KQL_FNF_NULLS_IN = 1 << 0,     /* row() wants null arguments too */
    KQL_FNF_VOLATILE = 1 << 1,     /* not constant-foldable (rand, new_guid) */
    KQL_FNF_NOW = 1 << 2,          /* depends on now() (foldable per query) */
    KQL_FNF_ROWSTATE = 1 << 3,     /* row_number/prev/next: needs serialized input */
    KQL_FNF_NAME_ARG0 = 1 << 4,    /* an unnamed column takes arg 0's name (tostring(x) → x) */
};

typedef struct kql_fn {
    const char *name;
    uint8_t kind;
    const char *params;
    const char *ret;
    kql_fn_bind bind;
    kql_fn_vec vec;
    kql_fn_row row;
    const kql_aggdef *agg;
    uint32_t flags;
    const char *colname;   /* aggregates: result column prefix ("count_", "sum_", "set_", "") */
} kql_fn;

/* the function tables, one per family (fn_*.c) */
typedef struct kql_fn_table {
    const kql_fn *fns;
    size_t n;
} kql_fn_table;
#define KQL_FN_TABLE(name, arr) const kql_fn_table name = {arr, sizeof(arr) / sizeof(arr[0])}

const kql_fn *kql_fn_find(const char *name, size_t n);          /* registry.c */
/* Functions with several results (series_stats, series_fit_line, ...) return
 * one dynamic array of them; these are the results' names in order, for
 * `extend (a, b) = f(x)` and for the f_x_<name> columns of an unnamed
 * `extend f(x)`. NULL when the function has a single result. (fn_series.c) */
const char *const *kql_fn_tuple_names(const char *name, size_t *n);
/* for suggestions: the closest function name by edit distance, or NULL */
const char *kql_fn_suggest(const char *name, size_t n, bool aggregate);

/* helpers for row functions */
sp_str kql_fstr(kql_fctx *c, const char *p, size_t n);          /* copy into c->arena */
char *kql_falloc(kql_fctx *c, size_t n);                         /* n bytes in c->arena */
static inline void kql_set_null(kql_value *v) { v->null = true; }
static inline void kql_set_str(kql_value *v, sp_str s) { v->null = false; v->u.s = s; }
static inline void kql_set_long(kql_value *v, int64_t x) { v->null = false; v->u.i = x; }
static inline void kql_set_real(kql_value *v, double x) { v->null = false; v->u.r = x; }
static inline void kql_set_bool(kql_value *v, bool x) { v->null = false; v->u.b = x; }
/* The value of a numeric (or dynamic number) argument as a double / int64. */
double kql_num(const kql_value *v);
int64_t kql_int(const kql_value *v);

/* ------------------------------------------------------ bound expressions */
typedef enum kql_ekind {
    E_LIT = 1,      /* lit */
    E_COL,          /* col: index into the input row */
    E_CALL,         /* fn; args */
    E_AGG,          /* fn (aggregate); args; only inside summarize/make-series */
    E_BINOP,        /* op (B_*); args[0], args[1] */
    E_NEG,          /* args[0] */
    E_NOT,          /* args[0] (not()) */
    E_IN,           /* op B_IN/..; args[0]: value; aux: the value set (kql_valset) */
    E_BETWEEN,      /* op; args: value, low, high */
    E_PATH,         /* args[0] (dynamic); name: member */
    E_INDEX,        /* args[0] (dynamic); args[1] index (long or string key) */
    E_CAST,         /* args[0] converted to type (implicit conversions) */
    E_IFF,          /* args: cond, then, else */
    E_CASE,         /* args: cond1, val1, cond2, val2, ..., else */
    E_COALESCE,     /* args */
    E_ROWFN,        /* row_number/prev/next: name; args; needs serialized input */
    E_SUBQ,         /* toscalar(subquery): aux is the plan, run once per query */
    E_BADLIT,       /* a literal whose text does not parse: fails when run; name = text */
} kql_ekind;

struct kql_expr {
    uint8_t kind;
    kql_type type;
    int op;
    int col;
    kql_value lit;
    const kql_fn *fn;
    kql_expr **args;
    uint32_t nargs;
    sp_str name;
    void *aux;             /* precomputed state (regex, value set, ...) */
    uint32_t off;          /* source offset (for messages) */
};

/* ------------------------------------------------------------ diagnostics */
struct kql_bindctx {
    sp_arena *arena;
    sp_err *err;
    const char *text;      /* query text (for positions) */
    int64_t now;
};
/* Reports a semantic error at the expression's position. */
int kql_bind_error(kql_bindctx *b, const kql_expr *at, const char *code, const char *fmt, ...) SP_PRINTF(4, 5);
/* True when the argument is a constant (literal after folding). */
bool kql_expr_is_const(const kql_expr *e);

/* ------------------------------------------------------------ evaluation */
/* Evaluates x over a batch of n rows; the result column is allocated in the
 * thread's arena (or is a constant column). */
kql_col *kql_eval(kql_qctx *q, sp_arena *a, const kql_expr *x, const kql_batch *b);
/* Evaluates a constant expression (no columns) to a value. */
bool kql_eval_const(kql_qctx *q, sp_arena *a, const kql_expr *x, kql_value *out);

/* String term matching (has and friends), shared by operators and functions. */
bool kql_has_term(sp_str hay, sp_str term, bool cs);
bool kql_has_prefix(sp_str hay, sp_str term, bool cs);
bool kql_has_suffix(sp_str hay, sp_str term, bool cs);

#endif
