/* Error context: a kind, a stable code, the offending name, a message, a hint
 * and a 1-based line:column. The first error set wins. */
#include "secpilot/base.h"

#include <stdio.h>

void sp_err_clear(sp_err *e) { memset(e, 0, sizeof *e); }

int sp_err_set(sp_err *e, sp_err_kind kind, const char *code, int line, int col, const char *fmt, ...) {
    if (!e || e->kind != SP_ERR_NONE) return -1;
    e->kind = kind;
    snprintf(e->code, sizeof e->code, "%s", code ? code : "error");
    e->line = line;
    e->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return -1;
}

void sp_err_name(sp_err *e, const char *name, size_t n) {
    if (n >= sizeof e->name) n = sizeof e->name - 1;
    memcpy(e->name, name, n);
    e->name[n] = 0;
}

void sp_err_hint(sp_err *e, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->hint, sizeof e->hint, fmt, ap);
    va_end(ap);
}

const char *sp_err_kind_name(sp_err_kind k) {
    switch (k) {
    case SP_ERR_NONE: return "none";
    case SP_ERR_SYNTAX: return "syntax";
    case SP_ERR_SEMANTIC: return "semantic";
    case SP_ERR_RUNTIME: return "runtime";
    case SP_ERR_LIMIT: return "limit";
    case SP_ERR_IO: return "io";
    case SP_ERR_USAGE: return "usage";
    }
    return "error";
}
