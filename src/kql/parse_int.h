/* The KQL front end's internals: tokens, the lexer state, and the syntax tree
 * the parser builds and the binder reads. */
#ifndef SECPILOT_KQL_PARSE_INT_H
#define SECPILOT_KQL_PARSE_INT_H

#include "kql_int.h"

#include <errno.h>
#include <strings.h>

/* ------------------------------------------------------------------ tokens */
typedef enum { TK_EOF, TK_IDENT, TK_INT, TK_REAL, TK_TIMESPAN, TK_STRING, TK_PUNCT } kql_tok_kind;

enum {
    P_PIPE = 1, P_LPAREN, P_RPAREN, P_LBRACK, P_RBRACK, P_LBRACE, P_RBRACE, P_COMMA, P_SEMI,
    P_DOT, P_DOTDOT, P_COLON, P_EQ, P_EQEQ, P_NE, P_LT, P_LE, P_GT, P_GE, P_EQTILDE, P_NETILDE,
    P_PLUS, P_MINUS, P_STAR, P_SLASH, P_PERCENT, P_BANG, P_TILDE, P_ARROW, P_QUESTION, P_AT,
};

typedef struct kql_token {
    uint8_t kind;
    uint8_t op;            /* P_* for TK_PUNCT */
    uint32_t off, len;     /* byte range in the query text */
    int64_t ival;          /* TK_INT, TK_TIMESPAN (ticks) */
    double rval;           /* TK_REAL */
    sp_str sval;           /* TK_IDENT (the text), TK_STRING (decoded, arena) */
} kql_token;

typedef struct kql_lexer {
    const char *text;
    size_t len;
    sp_arena *arena;
    sp_err *err;
    kql_token *toks;
    size_t n, cap;
    bool last_was_string;
} kql_lexer;

int kql_lex(kql_lexer *lx);
void kql_pos(const char *text, size_t off, int *line, int *col);

/* -------------------------------------------------------------- syntax tree
 * One node type for statements, tabular operators and scalar expressions.
 * Children and fields by kind are documented at each enum value. */
typedef enum kql_nkind {
    /* statements */
    N_QUERY = 1,      /* kids: statements */
    N_LET,            /* name; kids[0]: value (expression, N_FUNCDEF) */
    N_SET,            /* name; kids[0]: value or none */
    N_DECLARE,        /* declare query_parameters(...): kids: N_PARAM */
    N_FUNCDEF,        /* kids[0]: N_PARAMS, kids[1]: N_BODY; flag NF_VIEW */
    N_PARAMS,         /* kids: N_PARAM */
    N_PARAM,          /* name; kids[0]: N_TYPE or N_SCHEMA; kids[1]: default (optional) */
    N_BODY,           /* kids: N_LET statements ..., last kid the result expression */
    N_TYPE,           /* type: the scalar type */
    N_SCHEMA,         /* kids: N_COLDECL; flag NF_STAR for (*) */
    N_COLDECL,        /* name; type */

    /* tabular */
    N_PIPE,           /* kids[0]: input, kids[1]: operator */
    N_TABLEREF,       /* name (may hold wildcards '*' when flag NF_WILDCARD) */
    N_DATATABLE,      /* kids[0]: N_SCHEMA, kids[1..]: values (expressions) */
    N_PRINT,          /* kids: N_NAMED or expressions */
    N_RANGE,          /* name: column; kids: from, to, step */
    N_UNION,          /* params; kids: tables (tabular expressions) */
    N_SEARCH,         /* params; kids[0]: predicate, kids[1..]: tables (in (...)); also an operator */
    N_FIND,           /* kids[0]: predicate; params */
    N_EXTERNALDATA,   /* kids[0]: N_SCHEMA, kids[1..]: urls; params: with (...) */
    N_OPERATOR,       /* a tabular operator after '|': op, params, kids (see kql_opkind) */

    /* expression parts */
    N_LIT,            /* lit */
    N_NAME,           /* name (identifier, $left/$right, bracketed ['x']) */
    N_PATH,           /* kids[0]: base; name: member (a.b) */
    N_INDEX,          /* kids[0]: base, kids[1]: index expression */
    N_CALL,           /* name: function; kids: arguments; flag NF_STAR_ARG when f(*) */
    N_BINARY,         /* op: B_*; kids[0], kids[1] */
    N_UNARY,          /* op: '-' or '+'; kids[0] */
    N_IN,             /* op: B_IN/B_NOTIN/B_IN_CI/B_NOTIN_CI/B_HAS_ANY/B_HAS_ALL; kids[0]: lhs, kids[1..]: list items or one tabular */
    N_BETWEEN,        /* op: B_BETWEEN/B_NOTBETWEEN; kids: value, low, high */
    N_NAMED,          /* name (or kids[1..] names for tuples: flag NF_TUPLE); kids[0]: expression */
    N_STAR,           /* '*' (project *, arg_max(x, *), distinct *) */
    N_SORTKEY,        /* kids[0]: expression; flags NF_ASC, NF_NULLS_FIRST, NF_NULLS_SET */
    N_PARAMVAL,       /* name=value options (kind=inner, hint.strategy=shuffle, withsource=T) */
    N_DYNLIT,         /* dynamic literal: lit.u.d */
    N_TYPEOF,         /* typeof(T): type */
    N_JOINCOND,       /* kids: left, right ($left.a == $right.b) or single name */
} kql_nkind;

/* binary operators */
enum {
    B_OR = 1, B_AND, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE, B_EQ_CI, B_NE_CI,
    B_ADD, B_SUB, B_MUL, B_DIV, B_MOD,
    /* string operators: each has a negation and a case-sensitive form */
    B_HAS, B_NOTHAS, B_HAS_CS, B_NOTHAS_CS, B_HASPREFIX, B_NOTHASPREFIX, B_HASPREFIX_CS,
    B_NOTHASPREFIX_CS, B_HASSUFFIX, B_NOTHASSUFFIX, B_HASSUFFIX_CS, B_NOTHASSUFFIX_CS,
    B_CONTAINS, B_NOTCONTAINS, B_CONTAINS_CS, B_NOTCONTAINS_CS, B_STARTSWITH, B_NOTSTARTSWITH,
    B_STARTSWITH_CS, B_NOTSTARTSWITH_CS, B_ENDSWITH, B_NOTENDSWITH, B_ENDSWITH_CS,
    B_NOTENDSWITH_CS, B_MATCHES, B_LIKE, B_NOTLIKE, B_LIKE_CS, B_NOTLIKE_CS,
    /* list operators (N_IN) */
    B_IN, B_NOTIN, B_IN_CI, B_NOTIN_CI, B_HAS_ANY, B_HAS_ALL,
    /* N_BETWEEN */
    B_BETWEEN, B_NOTBETWEEN,
    B_NBINOPS
};
const char *kql_binop_name(int op);

/* tabular operators (N_OPERATOR op) */
typedef enum kql_opkind {
    OP_WHERE = 1,     /* kids[0]: predicate */
    OP_PROJECT,       /* kids: expressions / N_NAMED */
    OP_PROJECT_AWAY,  /* kids: N_NAME (may have wildcard flag) */
    OP_PROJECT_KEEP,  /* kids: N_NAME */
    OP_PROJECT_RENAME,/* kids: N_NAMED (new = old) */
    OP_PROJECT_REORDER, /* kids: N_SORTKEY of N_NAME */
    OP_EXTEND,        /* kids: expressions / N_NAMED */
    OP_SUMMARIZE,     /* kids[0]: N_QUERY-less list node of aggregates (N_LIST), kids[1]: by list */
    OP_COUNT,         /* name: optional "as" column */
    OP_DISTINCT,      /* kids: expressions or N_STAR */
    OP_TOP,           /* kids[0]: count, kids[1..]: N_SORTKEY */
    OP_TOP_NESTED,    /* kids: N_TOPNESTED clauses */
    OP_SORT,          /* kids: N_SORTKEY */
    OP_TAKE,          /* kids[0]: count */
    OP_JOIN,          /* params (kind, hints); kids[0]: right, kids[1..]: N_JOINCOND */
    OP_LOOKUP,        /* params; kids[0]: right, kids[1..]: N_JOINCOND */
    OP_UNION,         /* params; kids: tables */
    OP_MV_EXPAND,     /* params (bagexpansion, with_itemindex, limit via kids); kids: N_MVITEM */
    OP_MV_APPLY,      /* params; kids[0..n-2]: N_MVITEM, last: subquery (N_BODY-like tabular) */
    OP_PARSE,         /* params (kind, flags); kids[0]: source expr, kids[1..]: pattern parts (N_LIT strings, N_COLDECL) */
    OP_PARSE_WHERE,   /* as OP_PARSE */
    OP_PARSE_KV,      /* kids[0]: expr; kids[1]: N_SCHEMA; params */
    OP_MAKE_SERIES,   /* see parse_make_series */
    OP_SERIALIZE,     /* kids: N_NAMED */
    OP_AS,            /* name; params */
    OP_SEARCH,        /* as N_SEARCH */
    OP_RENDER,        /* name: chart kind; params: with (...) */
    OP_EVALUATE,      /* kids[0]: N_CALL plugin; params */
    OP_GETSCHEMA,
    OP_SAMPLE,        /* kids[0]: count */
    OP_SAMPLE_DISTINCT, /* kids[0]: count, kids[1]: column */
    OP_INVOKE,        /* kids[0]: N_CALL */
    OP_FORK,          /* kids: subpipelines */
    OP_FACET,         /* kids: names; kids last: optional with subquery */
    OP_PARTITION,     /* params; kids[0]: by column, kids[1]: subquery */
    OP_SCAN,          /* kept as text: parsed generously */
    OP_REDUCE,        /* kids[0]: column; params */
    OP_CONSUME,
    OP_EXTEND_TUPLE,  /* internal */
    OP_LOOKUP_DUMMY,
    OP_NKINDS
} kql_opkind;
const char *kql_op_name(int op);

enum {
    NF_VIEW = 1 << 0,
    NF_STAR = 1 << 1,
    NF_WILDCARD = 1 << 2,
    NF_ASC = 1 << 3,
    NF_NULLS_FIRST = 1 << 4,
    NF_NULLS_SET = 1 << 5,
    NF_TUPLE = 1 << 6,
    NF_STAR_ARG = 1 << 7,
    NF_ORDER_SET = 1 << 8,
    NF_MATERIALIZE = 1 << 9,
    NF_BRACKETED = 1 << 10,  /* N_NAME written as ['x'] */
    NF_SCALAR_FN = 1 << 11,  /* N_FUNCDEF whose body is scalar */
    NF_BAD_LITERAL = 1 << 12, /* literal text that does not parse: an error when run */
};

/* a few list-like node kinds used only as containers */
enum { N_LIST = 100, N_MVITEM, N_TOPNESTED, N_SERIES_AXIS };

typedef struct kql_node kql_node;
struct kql_node {
    uint16_t kind;
    uint16_t op;           /* B_* for expressions, OP_* for N_OPERATOR */
    uint32_t flags;
    uint32_t off, end;     /* byte range in the query text */
    uint32_t opoff;        /* N_BINARY/N_IN/N_BETWEEN: offset of the operator token */
    sp_str name;
    kql_type type;         /* N_TYPE, N_COLDECL, N_TYPEOF, N_MVITEM (to typeof) */
    kql_value lit;         /* N_LIT, N_DYNLIT */
    kql_node **kids;
    uint32_t nkids;
    kql_node **params;     /* N_PARAMVAL nodes: name, kids[0] = value */
    uint32_t nparams;
};

/* the parser: builds the tree in `arena`; errors carry line:column */
typedef struct kql_parser {
    const char *text;
    size_t len;
    sp_arena *arena;
    sp_err *err;
    kql_token *toks;
    size_t n, i;
    int depth, max_depth;
    int search_mode;       /* inside a search predicate: Column:"term" */
} kql_parser;

kql_node *kql_parse(sp_arena *arena, const char *text, size_t len, int max_depth, sp_err *err);
/* the node's parameter named `name` (case-insensitive), or NULL */
kql_node *kql_node_param(const kql_node *n, const char *name);
void kql_node_dump(const kql_node *n, int indent, sp_buf *out);

#endif
