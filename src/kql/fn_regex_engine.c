/* RE2-style regular expressions for the function library, through pcre2: a
 * process-wide cache of compiled (JIT) patterns, capped matching, per-thread match data. */
#include "fn_util.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

#define RE_MAX_PATTERN 65536        /* bytes of pattern text */
#define RE_MAX_GROUPS 100           /* capture groups in one pattern */
#define RE_CACHE_MAX 4096           /* patterns kept compiled for the process */
#define RE_MATCH_LIMIT 2000000      /* backtracking steps per match */
#define RE_HEAP_LIMIT_KB 16384      /* backtracking memory per match */
#define RE_OV_PAIRS (RE_MAX_GROUPS + 1)

struct fn_regex {
    pcre2_code *code;
    int ngroups;
    bool jit;
};

/* The cache: pattern text -> fn_regex (malloc'd, alive for the process). */
static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static sp_map g_cache;
static bool g_cache_init;
static pcre2_match_context *g_mctx;

static void *arena_malloc(PCRE2_SIZE n, void *ud) { return sp_arena_alloc((sp_arena *)ud, n); }
static void arena_free(void *p, void *ud) {
    (void)p;
    (void)ud;
}

static pcre2_code *compile(const char *p, size_t n, sp_arena *a, char *msg, size_t msgcap) {
    if (n > RE_MAX_PATTERN) {
        snprintf(msg, msgcap, "the regular expression is longer than %d bytes", RE_MAX_PATTERN);
        return NULL;
    }
    pcre2_general_context *gc = NULL;
    if (a) gc = pcre2_general_context_create(arena_malloc, arena_free, a);
    pcre2_compile_context *cc = pcre2_compile_context_create(gc);
    pcre2_set_parens_nest_limit(cc, 200);
    pcre2_set_max_pattern_length(cc, RE_MAX_PATTERN);
    int ec;
    PCRE2_SIZE eo;
    /* RE2 semantics: UTF-8 text, '$' only at the very end, no \C. */
    uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_BACKSLASH_C;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)(p ? p : ""), n, opts, &ec, &eo, cc);
    pcre2_compile_context_free(cc);
    if (gc) pcre2_general_context_free(gc);
    if (!code) {
        PCRE2_UCHAR buf[160];
        pcre2_get_error_message(ec, buf, sizeof buf);
        snprintf(msg, msgcap, "invalid regular expression at offset %zu: %s", (size_t)eo, (const char *)buf);
        return NULL;
    }
    uint32_t groups = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &groups);
    if (groups > RE_MAX_GROUPS) {
        snprintf(msg, msgcap, "the regular expression has more than %d capture groups", RE_MAX_GROUPS);
        if (!a) pcre2_code_free(code);
        return NULL;
    }
    return code;
}

const fn_regex *fn_re_get(sp_arena *a, const char *p, size_t n, char *msg, size_t msgcap) {
    if (msgcap) msg[0] = 0;
    p = p ? p : "";
    pthread_mutex_lock(&g_mu);
    if (!g_cache_init) {
        sp_map_init(&g_cache, false);
        g_mctx = pcre2_match_context_create(NULL);
        pcre2_set_match_limit(g_mctx, RE_MATCH_LIMIT);
        pcre2_set_heap_limit(g_mctx, RE_HEAP_LIMIT_KB);
        g_cache_init = true;
    }
    fn_regex *re = sp_map_get(&g_cache, p, n);
    bool full = g_cache.n >= RE_CACHE_MAX;
    pthread_mutex_unlock(&g_mu);
    if (re) return re;
    if (full) {
        /* past the cache: compile into the caller's arena, interpreted */
        if (!a) {
            snprintf(msg, msgcap, "too many distinct regular expressions");
            return NULL;
        }
        pcre2_code *code = compile(p, n, a, msg, msgcap);
        if (!code) return NULL;
        fn_regex *r = SP_NEW(a, fn_regex);
        r->code = code;
        uint32_t g = 0;
        pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &g);
        r->ngroups = (int)g;
        return r;
    }
    pcre2_code *code = compile(p, n, NULL, msg, msgcap);
    if (!code) return NULL;
    fn_regex *r = sp_malloc(sizeof *r);
    r->code = code;
    uint32_t g = 0;
    pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &g);
    r->ngroups = (int)g;
    r->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
    pthread_mutex_lock(&g_mu);
    bool created;
    void **slot = sp_map_slot(&g_cache, p, n, &created);
    if (!created) {
        /* another thread compiled it meanwhile */
        pthread_mutex_unlock(&g_mu);
        pcre2_code_free(code);
        free(r);
        return *slot;
    }
    *slot = r;
    pthread_mutex_unlock(&g_mu);
    return r;
}

int fn_re_ngroups(const fn_regex *re) { return re->ngroups; }

int fn_re_group_index(const fn_regex *re, const char *name, size_t n) {
    char tmp[128];
    if (n == 0 || n >= sizeof tmp) return -1;
    memcpy(tmp, name, n);
    tmp[n] = 0;
    int k = pcre2_substring_number_from_name(re->code, (PCRE2_SPTR)tmp);
    return k > 0 ? k : -1;
}

/* Match data per thread and query, allocated from the thread's query arena. */
static _Thread_local uint64_t tl_md_qid;
static _Thread_local pcre2_match_data *tl_md;

static pcre2_match_data *match_data(kql_qctx *q) {
    if (tl_md && tl_md_qid == q->id) return tl_md;
    sp_arena *a = kql_thread_arena(q);
    pcre2_general_context *gc = pcre2_general_context_create(arena_malloc, arena_free, a);
    tl_md = pcre2_match_data_create(RE_OV_PAIRS, gc);
    pcre2_general_context_free(gc);
    tl_md_qid = q->id;
    return tl_md;
}

int fn_re_match(kql_qctx *q, const fn_regex *re, const char *s, size_t n, size_t start, size_t *ov,
                    size_t ovcap) {
    if (start > n) return 0;
    pcre2_match_data *md = match_data(q);
    int rc;
    if (re->jit) {
        rc = pcre2_jit_match(re->code, (PCRE2_SPTR)(s ? s : ""), n, start, 0, md, g_mctx);
        if (rc == PCRE2_ERROR_JIT_STACKLIMIT)
            rc = pcre2_match(re->code, (PCRE2_SPTR)(s ? s : ""), n, start, PCRE2_NO_JIT, md, g_mctx);
    } else {
        rc = pcre2_match(re->code, (PCRE2_SPTR)(s ? s : ""), n, start, 0, md, g_mctx);
    }
    if (rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL) return 0;
    if (rc < 0) {
        if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
            rc == PCRE2_ERROR_JIT_STACKLIMIT || rc == PCRE2_ERROR_NOMEMORY) {
            kql_fail(q, SP_ERR_LIMIT, "limit_regex",
                     "a regular expression needed more than its backtracking limit on one value; simplify the pattern");
        } else {
            PCRE2_UCHAR buf[120];
            pcre2_get_error_message(rc, buf, sizeof buf);
            kql_fail(q, SP_ERR_RUNTIME, "regex", "regular expression match failed: %s", (const char *)buf);
        }
        return -1;
    }
    PCRE2_SIZE *o = pcre2_get_ovector_pointer(md);
    size_t pairs = (size_t)re->ngroups + 1;
    if (pairs > ovcap) pairs = ovcap;
    for (size_t k = 0; k < pairs; k++) {
        if ((int)k >= rc || o[2 * k] == PCRE2_UNSET) {
            ov[2 * k] = ov[2 * k + 1] = SIZE_MAX;
        } else {
            ov[2 * k] = o[2 * k];
            ov[2 * k + 1] = o[2 * k + 1];
        }
    }
    return 1;
}

int fn_re_test(kql_qctx *q, const fn_regex *re, const char *s, size_t n) {
    size_t ov[2];
    return fn_re_match(q, re, s, n, 0, ov, 1);
}

const fn_regex *fn_regex_arg(kql_fctx *c, const kql_value *pattern) {
    if (c->call && c->call->aux) return c->call->aux;
    sp_str p = fa_str(c, pattern);
    char msg[256];
    const fn_regex *re = fn_re_get(c->arena, p.p, p.n, msg, sizeof msg);
    if (!re) kql_fail(c->q, SP_ERR_RUNTIME, "bad_regex", "%s", msg);
    return re;
}

bool fn_bind_regex(kql_bindctx *b, kql_expr *call, uint32_t i) {
    sp_str p;
    if (!fb_const_str(call, i, &p)) return true; /* compiled per row at run time */
    char msg[256];
    const fn_regex *re = fn_re_get(b->arena, p.p, p.n, msg, sizeof msg);
    if (!re) {
        kql_bind_error(b, call->args[i], "bad_regex", "%s", msg);
        return false;
    }
    call->aux = (void *)re;
    return true;
}
