/* Calls library functions directly, as the executor will: binds a call of
 * literal arguments (running the function's bind callback), evaluates it
 * through `row` and through `vec` (one-row columns) and checks both agree. */
#ifndef SECPILOT_TEST_FN_HARNESS_H
#define SECPILOT_TEST_FN_HARNESS_H

#include "kql/fn_util.h"
#include "../test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Until the binder lands these two come from here; the binder's own
 * definitions replace these weak ones when linked. */
__attribute__((weak)) bool kql_expr_is_const(const kql_expr *e) { return e && e->kind == E_LIT; }
__attribute__((weak)) int kql_bind_error(kql_bindctx *b, const kql_expr *at, const char *code, const char *fmt,
                                         ...) {
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    (void)at;
    sp_err_set(b->err, SP_ERR_SEMANTIC, code, 0, 0, "%s", msg);
    return -1;
}

static kql_qctx h_q;
static sp_err h_err;            /* the last bind error */
static char h_text[1 << 16];    /* the last rendered result */

static inline void h_begin(void) {
    kql_options *opt = calloc(1, sizeof *opt);
    opt->now = 638409168000000000LL - 621355968000000000LL; /* 2024-01-15T12:00:00Z */
    kql_qctx_init(&h_q, opt);
}

static inline void h_end(void) {
    const kql_options *opt = h_q.opt;
    kql_qctx_free(&h_q);
    free((void *)opt);
}

/* ------------------------------------------------------------- values */
static inline kql_value V_S(const char *s) {
    kql_value v = {.type = KQL_STRING};
    v.u.s = sp_str_c(sp_arena_strdup(&h_q.arena, s));
    return v;
}
static inline kql_value V_SN(const char *s, size_t n) {
    kql_value v = {.type = KQL_STRING};
    v.u.s = (sp_str){sp_arena_strndup(&h_q.arena, s, n), n};
    return v;
}
static inline kql_value V_L(int64_t x) { kql_value v = {.type = KQL_LONG}; v.u.i = x; return v; }
static inline kql_value V_I(int32_t x) { kql_value v = {.type = KQL_INT}; v.u.i = x; return v; }
static inline kql_value V_R(double x) { kql_value v = {.type = KQL_REAL}; v.u.r = x; return v; }
static inline kql_value V_B(bool x) { kql_value v = {.type = KQL_BOOL}; v.u.b = x; return v; }
static inline kql_value V_NULL(kql_type t) { kql_value v = {.type = t, .null = true}; return v; }
static inline kql_value V_DT(const char *iso) {
    kql_value v = {.type = KQL_DATETIME};
    if (!sp_parse_datetime(iso, strlen(iso), &v.u.i)) { fprintf(stderr, "bad datetime %s\n", iso); abort(); }
    return v;
}
static inline kql_value V_TS(const char *s) {
    kql_value v = {.type = KQL_TIMESPAN};
    if (!sp_parse_timespan(s, strlen(s), &v.u.i)) { fprintf(stderr, "bad timespan %s\n", s); abort(); }
    return v;
}
static inline kql_value V_TICKS(int64_t t) { kql_value v = {.type = KQL_TIMESPAN}; v.u.i = t; return v; }
static inline kql_value V_D(const char *json) {
    kql_value v = {.type = KQL_DYNAMIC};
    sp_err e;
    sp_err_clear(&e);
    v.u.d = kql_dyn_parse(&h_q.arena, json, strlen(json), &e);
    if (!v.u.d) { fprintf(stderr, "bad json %s\n", json); abort(); }
    v.null = v.u.d->kind == KQL_DYN_NULL;
    return v;
}
static inline kql_value V_G(const char *s) {
    kql_value v = {.type = KQL_GUID};
    if (!kql_parse_guid(s, strlen(s), &v.u.g)) abort();
    return v;
}
/* typeof(T) as the binder passes it: a typed null literal */
static inline kql_value V_TYPE(kql_type t) { return V_NULL(t); }

/* Renders a value: "null", strings as they are, dynamics as JSON, others as tostring(). */
static inline const char *h_render(const kql_value *v, char *buf, size_t cap) {
    if (v->type != KQL_STRING && v->null) {
        snprintf(buf, cap, "null");
        return buf;
    }
    sp_buf b;
    sp_buf_init(&b, 0);
    if (v->type == KQL_DYNAMIC) kql_dyn_to_json(v->u.d, &b);
    else {
        sp_str s = kql_value_str(&h_q.arena, v);
        sp_buf_put(&b, s.p, s.n);
    }
    snprintf(buf, cap, "%.*s", (int)b.n, b.p ? b.p : "");
    sp_buf_free(&b);
    return buf;
}

/* ---------------------------------------------------------------- binding */
static inline kql_type h_ret_type(const kql_fn *f, const kql_value *args, size_t n) {
    const char *r = f->ret;
    if (!r) return KQL_UNKNOWN;
    if (r[0] == '=') {
        size_t k = (size_t)atoi(r + 1);
        return k < n ? args[k].type : KQL_UNKNOWN;
    }
    if (strcmp(r, "num") == 0) {
        int rank = 0;
        kql_type t = KQL_INT;
        for (size_t i = 0; i < n; i++) {
            int rk = args[i].type == KQL_INT ? 1 : args[i].type == KQL_LONG ? 2 : args[i].type == KQL_DECIMAL ? 3
                     : args[i].type == KQL_REAL ? 4 : 0;
            if (rk > rank) rank = rk, t = args[i].type;
        }
        return t;
    }
    return kql_type_parse(r, strlen(r));
}

typedef struct h_call_t {
    const kql_fn *fn;
    kql_expr call;
    kql_expr *argv[64];
    kql_expr argx[64];
    kql_type type;
    bool bound;
} h_call_t;

static inline bool h_bind(h_call_t *h, const char *name, const kql_value *args, size_t n) {
    memset(h, 0, sizeof *h);
    sp_err_clear(&h_err);
    h->fn = kql_fn_find(name, strlen(name));
    if (!h->fn) {
        fprintf(stderr, "no function %s\n", name);
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        h->argx[i].kind = E_LIT;
        h->argx[i].type = args[i].type;
        h->argx[i].lit = args[i];
        h->argv[i] = &h->argx[i];
    }
    h->call.kind = h->fn->kind == KQL_FN_AGG ? E_AGG : E_CALL;
    h->call.fn = h->fn;
    h->call.args = h->argv;
    h->call.nargs = (uint32_t)n;
    h->type = h_ret_type(h->fn, args, n);
    if (h->fn->bind) {
        kql_bindctx b = {.arena = &h_q.arena, .err = &h_err, .text = "", .now = h_q.now};
        kql_type t = h->fn->bind(&b, &h->call);
        if (t == KQL_UNKNOWN) return false;
        h->type = t;
    }
    h->call.type = h->type;
    h->bound = true;
    return true;
}

/* Evaluates through row (with the null adapter) into out. */
static inline void h_eval_row(h_call_t *h, const kql_value *args, size_t n, kql_value *out) {
    memset(out, 0, sizeof *out);
    out->type = h->type;
    kql_fctx c = {.q = &h_q, .arena = &h_q.arena, .call = &h->call};
    if (!(h->fn->flags & KQL_FNF_NULLS_IN)) {
        for (size_t i = 0; i < n; i++)
            if (fa_isnull(&args[i])) {
                out->null = h->type != KQL_STRING;
                if (h->type == KQL_STRING) out->u.s = (sp_str){"", 0};
                return;
            }
    }
    h->fn->row(&c, args, n, out);
}

/* Calls name(args...) and renders the result ("null", "ERROR:code" for a
 * bind error, "FAIL:code" for a runtime error). When the function has a vec
 * implementation, also runs it on one-row columns and checks it agrees. */
static inline const char *h_calln(const char *name, const kql_value *args, size_t n) {
    static char vbuf[1 << 16];
    h_call_t *h = calloc(1, sizeof *h);
    if (!h_bind(h, name, args, n)) {
        snprintf(h_text, sizeof h_text, "ERROR:%s", h_err.code);
        free(h);
        return h_text;
    }
    kql_value out;
    h_eval_row(h, args, n, &out);
    if (kql_failed(&h_q)) {
        snprintf(h_text, sizeof h_text, "FAIL:%s", h_q.err.code);
        sp_err_clear(&h_q.err);
        h_q.failed = 0;
        free(h);
        return h_text;
    }
    h_render(&out, h_text, sizeof h_text);
    if (h->fn->vec) {
        kql_col *cols[64];
        for (size_t i = 0; i < n; i++) {
            cols[i] = kql_col_new(&h_q.arena, args[i].type, 1);
            kql_col_set(&h_q.arena, cols[i], 0, &args[i]);
        }
        kql_col *oc = kql_col_new(&h_q.arena, h->type, 1);
        kql_fctx c = {.q = &h_q, .arena = &h_q.arena, .call = &h->call};
        h->fn->vec(&c, cols, n, 1, oc);
        kql_value vv;
        kql_col_get(oc, 0, &vv);
        h_render(&vv, vbuf, sizeof vbuf);
        if (strcmp(vbuf, h_text) != 0) {
            t_failures++;
            fprintf(stderr, "%s: vec gives \"%s\" but row gives \"%s\"\n", name, vbuf, h_text);
        }
    }
    free(h);
    return h_text;
}

#define H_NARGS(...) (sizeof((kql_value[]){__VA_ARGS__}) / sizeof(kql_value))
#define H(name, ...) h_calln(name, (kql_value[]){__VA_ARGS__}, H_NARGS(__VA_ARGS__))
#define H0(name) h_calln(name, NULL, 0)
/* the bound result type of the last-style call */
static inline kql_type h_type(const char *name, const kql_value *args, size_t n) {
    h_call_t *h = calloc(1, sizeof *h);
    kql_type t = h_bind(h, name, args, n) ? h->type : KQL_UNKNOWN;
    free(h);
    return t;
}
#define HT(name, ...) h_type(name, (kql_value[]){__VA_ARGS__}, H_NARGS(__VA_ARGS__))

/* ------------------------------------------------------------ aggregates
 * Runs an aggregate over rows: each row is nargs values; rows are split
 * into two partial states merged at the end (as threads do). */
#define H_OUTCAP 65536
static inline const char *h_agg_rows(const char *name, size_t nargs, size_t nrows, const kql_value *rows, size_t nout,
                              char outs[][H_OUTCAP]) {
    h_call_t *h = calloc(1, sizeof *h);
    if (!h_bind(h, name, rows, nargs)) {
        snprintf(h_text, sizeof h_text, "ERROR:%s", h_err.code);
        free(h);
        return h_text;
    }
    const kql_aggdef *ad = h->fn->agg;
    char *s1 = sp_arena_zalloc(&h_q.arena, ad->state_size + 1);
    char *s2 = sp_arena_zalloc(&h_q.arena, ad->state_size + 1);
    kql_aggctx c = {.q = &h_q, .arena = &h_q.arena, .call = &h->call};
    size_t half = nrows / 2;
    for (int part = 0; part < 2; part++) {
        size_t r0 = part ? half : 0, r1 = part ? nrows : half;
        size_t m = r1 - r0;
        if (!m) continue;
        kql_col *cols[16];
        for (size_t a = 0; a < nargs; a++) {
            cols[a] = kql_col_new(&h_q.arena, rows[a].type, m);
            for (size_t r = r0; r < r1; r++) kql_col_set(&h_q.arena, cols[a], r - r0, &rows[r * nargs + a]);
        }
        uint32_t *gids = sp_arena_zalloc(&h_q.arena, sizeof(uint32_t) * m);
        ad->update(&c, part ? s2 : s1, gids, cols, nargs, m);
    }
    ad->merge(&c, s1, s2);
    kql_value outv[8];
    bool per_arg = strcmp(h->fn->name, "take_any") == 0 || strcmp(h->fn->name, "any") == 0;
    for (size_t k = 0; k < nout; k++) {
        memset(&outv[k], 0, sizeof outv[k]);
        outv[k].type = per_arg && k < nargs ? rows[k].type : h->type; /* take_any: one output per argument */
    }
    ad->final(&c, s1, outv, nout);
    for (size_t k = 0; k < nout; k++) h_render(&outv[k], outs[k], H_OUTCAP);
    snprintf(h_text, sizeof h_text, "%s", outs[0]);
    free(h);
    return h_text;
}

static inline const char *h_agg(const char *name, size_t nargs, size_t nrows, const kql_value *rows) {
    static char outs[1][H_OUTCAP];
    return h_agg_rows(name, nargs, nrows, rows, 1, outs);
}
#define HA(name, nargs, ...) \
    h_agg(name, nargs, H_NARGS(__VA_ARGS__) / (nargs ? nargs : 1), (kql_value[]){__VA_ARGS__})

#endif
