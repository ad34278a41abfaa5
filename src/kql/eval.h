/* Evaluator internals: scalar operator semantics shared by the vector kernels,
 * constant folding and the row-wise fallback; per-query caches. */
#ifndef SECPILOT_KQL_EVAL_H
#define SECPILOT_KQL_EVAL_H

#include "kql_int.h"
#include "parse_int.h"

typedef struct kql_valset kql_valset;
bool kql_valset_has(const kql_valset *s, const kql_value *v);
size_t kql_valset_count(const kql_valset *s);
const kql_value *kql_valset_item(const kql_valset *s, size_t i);
bool kql_valset_ci(const kql_valset *s);
kql_valset *kql_valset_new(sp_arena *a, bool ci);
void kql_valset_add(kql_valset *s, sp_arena *a, const kql_value *v);

/* Scalar semantics of a binary operator (B_*) on two values; out->type is
 * preset. Used for constants and as the fallback of the vector kernels. */
void kql_binop_value(kql_qctx *q, sp_arena *a, const kql_expr *e, const kql_value *l, const kql_value *r, kql_value *out);
/* String predicates with a constant right side. */
bool kql_strop(int op, sp_str hay, sp_str needle, const void *regex);
bool kql_like(sp_str s, sp_str pat, bool cs);

/* Vector kernels (eval_ops.c): return NULL when no fast path applies. */
kql_col *kql_binop_vec(kql_qctx *q, sp_arena *a, const kql_expr *e, kql_col *l, kql_col *r, size_t n);

/* Per-query results computed before rows flow: toscalar() values and the value
 * sets of `in (subquery)`, keyed by expression. */
bool kql_subq_value(kql_qctx *q, const kql_expr *e, kql_value *out);
const kql_valset *kql_subq_set(kql_qctx *q, const kql_expr *e);
/* Per-query cache of an expression's result over a whole dictionary (one
 * byte per entry), so string predicates run once per distinct value. */
const uint8_t *kql_dict_cache_get(kql_qctx *q, const void *key, const kql_dict *d);
const uint8_t *kql_dict_cache_put(kql_qctx *q, const void *key, const kql_dict *d, uint8_t *vals);

/* Regex compiled once (pcre2), for matches regex / extract / parse. */
void *kql_regex_compile(const char *pat, size_t n, bool ci, char *errbuf, size_t errlen);
bool kql_regex_match(const void *re, sp_str s);
int kql_regex_find(const void *re, sp_str s, size_t start, size_t *ov, int max);
int kql_regex_groups(const void *re);
const char *kql_regex_group_name(const void *re, int group, char *buf, size_t buflen);
void kql_regex_free(void *re);
bool kql_fold_expr(int64_t now, sp_arena *a, kql_expr *e, kql_value *out);

/* Evaluates an expression to a bool column (for filters): nulls are false. */
uint8_t *kql_eval_pred(kql_qctx *q, sp_arena *a, const kql_expr *x, const kql_batch *b);

#endif
