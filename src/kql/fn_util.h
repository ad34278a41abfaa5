/* What the function families (fn_*.c) share: argument access, result strings
 * under the 16 MB cap, dynamic-value builders, regexes (pcre2) and hashing. */
#ifndef SECPILOT_KQL_FN_UTIL_H
#define SECPILOT_KQL_FN_UTIL_H

#include "kql_int.h"

/* A function result string longer than this is a runtime error (limit_string). */
#define KQL_STR_MAX ((size_t)16 << 20)
/* Elements in one dynamic array or bag a function builds (limit_dynamic). */
#define KQL_DYN_MAX_ITEMS ((size_t)1 << 22)

/* -------------------------------------------------------------- arguments
 * Every accessor accepts the declared type and also a dynamic holding a
 * convertible scalar (the binder admits dynamic for every parameter). They
 * return false for null and for values with no such form. */
static inline bool fa_isnull(const kql_value *v) { return v->type != KQL_STRING && v->null; }
sp_str fa_str(kql_fctx *c, const kql_value *v);            /* tostring() form */
bool fa_long(const kql_value *v, int64_t *out);            /* integers, reals truncate */
bool fa_real(const kql_value *v, double *out);
bool fa_bool(const kql_value *v, bool *out);
bool fa_dt(const kql_value *v, int64_t *out);              /* datetime ticks */
bool fa_ts(const kql_value *v, int64_t *out);              /* timespan ticks */
/* The value as a dynamic tree (NULL for null); scalars are wrapped in c->arena. */
const kql_dyn *fa_dyn(kql_fctx *c, const kql_value *v);
/* The array items of a dynamic argument, or false when it is not an array. */
bool fa_array(kql_fctx *c, const kql_value *v, const kql_dyn **items, size_t *n);

/* Constant arguments at bind time: true (and the value) when arg i is a literal. */
bool fb_const(const kql_expr *call, uint32_t i, kql_value *out);
bool fb_const_str(const kql_expr *call, uint32_t i, sp_str *out);
/* typeof(T) arguments: bound as a typed null literal of type T, or as a string
 * literal naming the type. Returns KQL_UNKNOWN when the argument is neither. */
kql_type fb_type_arg(const kql_expr *call, uint32_t i);

/* ---------------------------------------------------------- result strings */
/* Fails the query with limit_string when n exceeds KQL_STR_MAX. */
bool fn_len_ok(kql_fctx *c, size_t n);

/* A string builder in an arena; capped at KQL_STR_MAX. */
typedef struct fn_sb {
    sp_arena *a;
    char *p;
    size_t n, cap;
    bool over;
} fn_sb;
void sb_init(fn_sb *b, sp_arena *a, size_t hint);
void sb_put(fn_sb *b, const void *p, size_t n);
void sb_putc(fn_sb *b, char ch);
void sb_puts(fn_sb *b, const char *s);
void sb_printf(fn_sb *b, const char *fmt, ...) SP_PRINTF(2, 3);
/* Sets out to the built string; false (query failed) when over the cap. */
bool sb_done(kql_fctx *c, fn_sb *b, kql_value *out);

/* ----------------------------------------------------------- dynamic values */
const kql_dyn *dyn_null(void);
kql_dyn dyn_long(int64_t i);
kql_dyn dyn_real(double r);
kql_dyn dyn_bool(bool b);
kql_dyn dyn_str_ref(const char *p, size_t n);              /* points at p (caller keeps it alive) */
kql_dyn dyn_str(sp_arena *a, const char *p, size_t n);     /* copies into a */
const kql_dyn *dyn_box(sp_arena *a, kql_dyn d);           /* a copy of d in a */

/* A growable array of dynamic items in an arena. */
typedef struct fn_arr {
    sp_arena *a;
    kql_dyn *v;
    size_t n, cap;
} fn_arr;
void arr_init(fn_arr *b, sp_arena *a, size_t hint);
void arr_push(fn_arr *b, kql_dyn d);
const kql_dyn *arr_done(fn_arr *b);                        /* the array value */

/* A property bag under construction; set() replaces an existing key's value. */
typedef struct fn_bag {
    sp_arena *a;
    kql_dyn_kv *v;
    size_t n, cap;
} fn_bag;
void bag_init(fn_bag *b, sp_arena *a, size_t hint);
void bag_set(fn_bag *b, const char *k, size_t kn, kql_dyn val);   /* copies the key */
void bag_add_new(fn_bag *b, const char *k, size_t kn, kql_dyn val); /* keeps an existing key */
void bag_append(fn_bag *b, const char *k, size_t kn, kql_dyn val);  /* no duplicate check */
const kql_dyn *bag_done(fn_bag *b);

/* Sets out to a dynamic value (null when d is NULL or a JSON null). */
static inline void fn_set_dyn(kql_value *out, const kql_dyn *d) {
    out->null = !d || d->kind == KQL_DYN_NULL;
    out->u.d = d;
}
/* The text of a dynamic string item, or false. */
static inline bool dyn_is_str(const kql_dyn *d, sp_str *s) {
    if (!d || d->kind != KQL_DYN_STRING) return false;
    *s = (sp_str){d->u.s, d->n};
    return true;
}

/* ----------------------------------------------------------------- regexes
 * RE2-style patterns through pcre2 (UTF-8, invalid UTF-8 subjects allowed,
 * `$` only at the very end as in RE2). Compiled patterns are kept in a
 * process-wide cache (JIT-compiled) so that a constant pattern compiles once;
 * past the cache's capacity they are compiled into the caller's arena.
 * Matching is capped (match and heap limits): a pattern that exceeds them
 * fails the query with limit_regex. */
typedef struct fn_regex fn_regex;
/* NULL with a message in msg on a bad pattern. */
const fn_regex *fn_re_get(sp_arena *a, const char *p, size_t n, char *msg, size_t msgcap);
int fn_re_ngroups(const fn_regex *re);
/* The number of the named group, or -1. */
int fn_re_group_index(const fn_regex *re, const char *name, size_t n);
/* Searches s[start..n). Returns 1 on a match with ov[2k], ov[2k+1] the byte
 * range of group k (SIZE_MAX when the group did not take part), for
 * k <= ngroups (ovcap pairs at most); 0 when no match; -1 when a limit was hit
 * (the query is failed). */
int fn_re_match(kql_qctx *q, const fn_regex *re, const char *s, size_t n, size_t start, size_t *ov,
                    size_t ovcap);
/* Convenience: does re match anywhere in s? (-1 on a limit) */
int fn_re_test(kql_qctx *q, const fn_regex *re, const char *s, size_t n);

/* A regex argument: the one compiled at bind time (call->aux) when the
 * pattern is constant, else compiled now (failing the query on a bad one). */
const fn_regex *fn_regex_arg(kql_fctx *c, const kql_value *pattern);
/* For bind callbacks: compiles constant argument i into call->aux; reports
 * bad_regex on a bad pattern. Returns false after an error. */
bool fn_bind_regex(kql_bindctx *b, kql_expr *call, uint32_t i);

/* ----------------------------------------------------------------- hashing */
uint64_t kql_xxh64(const void *p, size_t n, uint64_t seed);
uint64_t kql_xxh64_u64(uint64_t x);                        /* of 8 little-endian bytes, seed 0 */
/* The bytes hash() and dcount() hash for a value: strings by their UTF-8,
 * numbers and timespans by their 8-byte little-endian value, datetimes by
 * their .NET ticks (100 ns since 0001-01-01) likewise,
 * reals that hold an integer like that integer, dynamics by their JSON. */
uint64_t kql_value_xxh64(const kql_value *v);

/* --------------------------------------------------------------------- misc */
/* A double as an int64, truncated; false for NaN and values outside the range. */
static inline bool fn_d2i(double d, int64_t *out) {
    if (!(d > -9.2233720368547758e18 && d < 9.2233720368547758e18)) return false;
    *out = (int64_t)d;
    return true;
}
/* UTF-8: the byte offset of the code point with index k (k may be the count). */
size_t utf8_offset(sp_str s, size_t k);
size_t utf8_count(sp_str s);

/* ------------------------------------------------------------ vec adapters
 * Evaluate a row function over columns: row by row, or (fn_vec_dict) once
 * per dictionary entry when argument 0 is a dictionary-encoded string column
 * no larger than the batch and every other argument is constant. */
void fn_vec_rows(kql_fctx *c, kql_col *const *a, size_t na, size_t n, kql_col *out, kql_fn_row row, bool nulls_in);
void fn_vec_dict(kql_fctx *c, kql_col *const *a, size_t na, size_t n, kql_col *out, kql_fn_row row, bool nulls_in);
#define FN_VEC_DICT(name, rowfn, nulls_in)                                                  \
    static void name(kql_fctx *c, kql_col *const *a, size_t na, size_t n, kql_col *out) { \
        fn_vec_dict(c, a, na, n, out, rowfn, nulls_in);                                   \
    }


/* ------------------------------------------------------ dynamic value sets
 * Distinct dynamic values (numbers equal across long and real, as
 * kql_dyn_equal). Slots live in the arena. */
uint64_t dyn_hash(const kql_dyn *d);
typedef struct fn_dset {
    sp_arena *a;
    const kql_dyn **slots;
    uint64_t *hashes;
    size_t cap, n;
} fn_dset;
void dset_init(fn_dset *s, sp_arena *a, size_t hint);
bool dset_add(fn_dset *s, const kql_dyn *d);          /* true when d was not there yet */
bool dset_has(const fn_dset *s, const kql_dyn *d);

/* A value as a dynamic item, strings copied into a (dynamic values are
 * referenced, not copied). */
kql_dyn value_dyn(sp_arena *a, const kql_value *v);

#endif
