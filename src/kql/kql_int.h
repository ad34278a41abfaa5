/* kql internals shared across the module's files: formatting helpers, the
 * syntax tree, the binder's symbols, the plan and the executor's interfaces. */
#ifndef SECPILOT_KQL_INT_H
#define SECPILOT_KQL_INT_H

#include "secpilot/kql.h"

/* ------------------------------------------------------------ value text */
void kql_format_real(double r, sp_buf *out);          /* shortest round-trip, NaN/Infinity */
void kql_format_guid(const kql_guid *g, char out[37]);
bool kql_parse_guid(const char *p, size_t n, kql_guid *g);

#endif
