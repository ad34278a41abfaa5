/* What the aggregate families (fn_agg*.c, hll.c) share: predicate tests,
 * copying values into a group's state, and writing typed results. */
#ifndef SECPILOT_KQL_FN_AGG_H
#define SECPILOT_KQL_FN_AGG_H

#include "fn_util.h"

/* True when row i of the predicate column is true (null and false are not). */
bool agg_pred(const kql_col *p, size_t i);
/* Copies a value (strings, dynamics) into the aggregate's arena. */
void agg_copy_value(sp_arena *a, const kql_value *v, kql_value *out);
/* Writes v into out, converting it to out's preset type. */
void agg_set_out(kql_aggctx *c, const kql_value *v, kql_value *out);

#endif
