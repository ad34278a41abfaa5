/* Shared declarations of the two halves of the parser: token cursor helpers,
 * node builders and the entry points parse.c and parse_ops.c call in each other. */
#ifndef SECPILOT_KQL_PARSE_OPS_H
#define SECPILOT_KQL_PARSE_OPS_H

#include "parse_int.h"

#include <stdio.h>

kql_node *pn_new(kql_parser *p, int kind, const kql_token *at);
void pn_add(kql_parser *p, kql_node *parent, kql_node *kid);
void pn_add_param(kql_parser *p, kql_node *parent, kql_node *param);

const kql_token *pt(const kql_parser *p);
const kql_token *pt_at(const kql_parser *p, size_t k);
const kql_token *pt_next(kql_parser *p);
bool pt_is(const kql_parser *p, int op);
bool pt_is_at(const kql_parser *p, size_t k, int op);
bool pt_word(const kql_parser *p, const char *w);
bool pt_word_at(const kql_parser *p, size_t k, const char *w);
bool pt_adjacent(const kql_parser *p, size_t k);
bool pt_accept(kql_parser *p, int op);
bool pt_accept_word(kql_parser *p, const char *w);
bool pt_expect(kql_parser *p, int op, const char *what);
bool pt_is_name(const kql_parser *p);
bool p_failed(const kql_parser *p);
int perr(kql_parser *p, const kql_token *at, const char *fmt, ...) SP_PRINTF(3, 4);

kql_node *parse_expr(kql_parser *p);
kql_node *parse_add(kql_parser *p);   /* an operand: no comparisons */
kql_node *parse_pipe(kql_parser *p);
kql_node *parse_named_expr(kql_parser *p);
kql_node *parse_name(kql_parser *p);
kql_node *parse_name_pattern(kql_parser *p);
kql_node *parse_schema(kql_parser *p);
kql_node *parse_source(kql_parser *p);
kql_node *parse_union_tables(kql_parser *p, kql_node *n);
kql_node *parse_search_body(kql_parser *p, kql_node *n);
bool parse_args(kql_parser *p, kql_node *call);
bool parse_op_params(kql_parser *p, kql_node *op, const char *const *allowed);

/* operators after '|' */
kql_node *parse_operator(kql_parser *p);
kql_node *parse_operator_named(kql_parser *p, const kql_token *kw, int op);

#endif
