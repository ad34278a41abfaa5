/* String predicates: Kusto's term semantics for has/hasprefix/hassuffix,
 * contains, startswith/endswith, like, and regular expressions via pcre2. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "eval.h"

#include <pcre2.h>
#include <stdio.h>

/* A term is a maximal run of alphanumeric characters; non-ASCII bytes are
 * treated as letters so that Unicode words stay whole. */
static inline bool alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

static inline unsigned char fold(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* Finds needle in hay at or after `from`, with the requested boundaries. */
static bool find_bounded(sp_str hay, sp_str term, bool cs, bool need_start, bool need_end) {
    if (term.n == 0) return true;
    if (term.n > hay.n) return false;
    bool sb = need_start && alnum((unsigned char)term.p[0]);
    bool eb = need_end && alnum((unsigned char)term.p[term.n - 1]);
    size_t from = 0;
    while (from + term.n <= hay.n) {
        sp_str rest = {hay.p + from, hay.n - from};
        long k = cs ? sp_str_find(rest, term) : sp_str_ifind(rest, term);
        if (k < 0) return false;
        size_t p = from + (size_t)k;
        bool ok = true;
        if (sb && p > 0 && alnum((unsigned char)hay.p[p - 1])) ok = false;
        if (ok && eb && p + term.n < hay.n && alnum((unsigned char)hay.p[p + term.n])) ok = false;
        if (ok) return true;
        from = p + 1;
    }
    return false;
}

bool kql_has_term(sp_str hay, sp_str term, bool cs) { return find_bounded(hay, term, cs, true, true); }
bool kql_has_prefix(sp_str hay, sp_str term, bool cs) { return find_bounded(hay, term, cs, true, false); }
bool kql_has_suffix(sp_str hay, sp_str term, bool cs) { return find_bounded(hay, term, cs, false, true); }

static bool starts(sp_str s, sp_str p, bool cs) {
    if (p.n > s.n) return false;
    sp_str h = {s.p, p.n};
    return cs ? sp_str_eq(h, p) : sp_str_ieq(h, p);
}

static bool ends(sp_str s, sp_str p, bool cs) {
    if (p.n > s.n) return false;
    sp_str h = {s.p + s.n - p.n, p.n};
    return cs ? sp_str_eq(h, p) : sp_str_ieq(h, p);
}

/* SQL-style like: % any run, _ one character (bytes). */
bool kql_like(sp_str s, sp_str pat, bool cs) {
    size_t i = 0, j = 0, star = (size_t)-1, mark = 0;
    while (i < s.n) {
        if (j < pat.n && pat.p[j] == '%') {
            star = j++;
            mark = i;
        } else if (j < pat.n && (pat.p[j] == '_' || (cs ? pat.p[j] == s.p[i]
                                                          : fold((unsigned char)pat.p[j]) == fold((unsigned char)s.p[i])))) {
            i++;
            j++;
        } else if (star != (size_t)-1) {
            j = star + 1;
            i = ++mark;
        } else {
            return false;
        }
    }
    while (j < pat.n && pat.p[j] == '%') j++;
    return j == pat.n;
}

bool kql_strop(int op, sp_str hay, sp_str needle, const void *regex) {
    switch (op) {
    case B_HAS: return kql_has_term(hay, needle, false);
    case B_NOTHAS: return !kql_has_term(hay, needle, false);
    case B_HAS_CS: return kql_has_term(hay, needle, true);
    case B_NOTHAS_CS: return !kql_has_term(hay, needle, true);
    case B_HASPREFIX: return kql_has_prefix(hay, needle, false);
    case B_NOTHASPREFIX: return !kql_has_prefix(hay, needle, false);
    case B_HASPREFIX_CS: return kql_has_prefix(hay, needle, true);
    case B_NOTHASPREFIX_CS: return !kql_has_prefix(hay, needle, true);
    case B_HASSUFFIX: return kql_has_suffix(hay, needle, false);
    case B_NOTHASSUFFIX: return !kql_has_suffix(hay, needle, false);
    case B_HASSUFFIX_CS: return kql_has_suffix(hay, needle, true);
    case B_NOTHASSUFFIX_CS: return !kql_has_suffix(hay, needle, true);
    case B_CONTAINS: return sp_str_ifind(hay, needle) >= 0;
    case B_NOTCONTAINS: return sp_str_ifind(hay, needle) < 0;
    case B_CONTAINS_CS: return sp_str_find(hay, needle) >= 0;
    case B_NOTCONTAINS_CS: return sp_str_find(hay, needle) < 0;
    case B_STARTSWITH: return starts(hay, needle, false);
    case B_NOTSTARTSWITH: return !starts(hay, needle, false);
    case B_STARTSWITH_CS: return starts(hay, needle, true);
    case B_NOTSTARTSWITH_CS: return !starts(hay, needle, true);
    case B_ENDSWITH: return ends(hay, needle, false);
    case B_NOTENDSWITH: return !ends(hay, needle, false);
    case B_ENDSWITH_CS: return ends(hay, needle, true);
    case B_NOTENDSWITH_CS: return !ends(hay, needle, true);
    case B_LIKE: return kql_like(hay, needle, false);
    case B_NOTLIKE: return !kql_like(hay, needle, false);
    case B_LIKE_CS: return kql_like(hay, needle, true);
    case B_NOTLIKE_CS: return !kql_like(hay, needle, true);
    case B_MATCHES: return regex && kql_regex_match(regex, hay);
    }
    return false;
}

/* ------------------------------------------------------------------ regex */

typedef struct kql_regex {
    pcre2_code *code;
    pcre2_match_context *mctx;
} kql_regex;

#define REGEX_MAX_PATTERN 8192

void *kql_regex_compile(const char *pat, size_t n, bool ci, char *errbuf, size_t errlen) {
    if (n > REGEX_MAX_PATTERN) {
        snprintf(errbuf, errlen, "the regular expression is longer than %d characters", REGEX_MAX_PATTERN);
        return NULL;
    }
    int ec;
    PCRE2_SIZE eo;
    uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | (ci ? PCRE2_CASELESS : 0);
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, n, opts, &ec, &eo, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        snprintf(errbuf, errlen, "invalid regular expression at offset %zu: %s", (size_t)eo, (char *)msg);
        return NULL;
    }
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    kql_regex *re = sp_calloc(1, sizeof *re);
    re->code = code;
    re->mctx = pcre2_match_context_create(NULL);
    /* cap backtracking so a hostile pattern cannot stall a query */
    pcre2_set_match_limit(re->mctx, 1000000);
    pcre2_set_depth_limit(re->mctx, 10000);
    return re;
}

static _Thread_local pcre2_match_data *tl_md;

void *kql_regex_match_data(void) {
    if (!tl_md) tl_md = pcre2_match_data_create(64, NULL);
    return tl_md;
}

bool kql_regex_match(const void *r, sp_str s) {
    const kql_regex *re = r;
    pcre2_match_data *md = kql_regex_match_data();
    int rc = pcre2_match(re->code, (PCRE2_SPTR)(s.p ? s.p : ""), s.n, 0, 0, md, re->mctx);
    return rc >= 0;
}

/* Finds the first match of re in s at or after `start`; fills ovector pairs
 * (start, end) for up to `max` groups; returns the number of groups (0 = no match). */
int kql_regex_find(const void *r, sp_str s, size_t start, size_t *ov, int max) {
    const kql_regex *re = r;
    pcre2_match_data *md = kql_regex_match_data();
    int rc = pcre2_match(re->code, (PCRE2_SPTR)(s.p ? s.p : ""), s.n, start, 0, md, re->mctx);
    if (rc <= 0) return 0;
    PCRE2_SIZE *v = pcre2_get_ovector_pointer(md);
    int n = rc < max ? rc : max;
    for (int i = 0; i < n; i++) {
        ov[2 * i] = v[2 * i] == PCRE2_UNSET ? (size_t)-1 : v[2 * i];
        ov[2 * i + 1] = v[2 * i + 1] == PCRE2_UNSET ? (size_t)-1 : v[2 * i + 1];
    }
    return n;
}

int kql_regex_groups(const void *r) {
    const kql_regex *re = r;
    uint32_t n = 0;
    pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &n);
    return (int)n;
}

/* The name of capture group i (1-based), or NULL. */
const char *kql_regex_group_name(const void *r, int group, char *buf, size_t buflen) {
    const kql_regex *re = r;
    uint32_t count = 0, size = 0;
    PCRE2_SPTR table;
    pcre2_pattern_info(re->code, PCRE2_INFO_NAMECOUNT, &count);
    pcre2_pattern_info(re->code, PCRE2_INFO_NAMEENTRYSIZE, &size);
    pcre2_pattern_info(re->code, PCRE2_INFO_NAMETABLE, &table);
    for (uint32_t i = 0; i < count; i++) {
        const unsigned char *ent = table + i * size;
        int g = (ent[0] << 8) | ent[1];
        if (g == group) {
            snprintf(buf, buflen, "%s", (const char *)ent + 2);
            return buf;
        }
    }
    return NULL;
}

void kql_regex_free(void *r) {
    kql_regex *re = r;
    if (!re) return;
    pcre2_code_free(re->code);
    pcre2_match_context_free(re->mctx);
    free(re);
}

/* Compiles the constant pattern of `matches regex` once, at bind time; the
 * query's arena frees it with the query. */
int kql_prepare_regex_op(kql_bindctx *bc, kql_expr *e) {
    kql_expr *pat = e->args[1];
    if (pat->kind != E_LIT || pat->lit.type != KQL_STRING) {
        return kql_bind_error(bc, pat, "not_constant", "matches regex needs a constant pattern");
    }
    char err[300];
    void *re = kql_regex_compile(pat->lit.u.s.p, pat->lit.u.s.n, false, err, sizeof err);
    if (!re) return kql_bind_error(bc, pat, "bad_regex", "%s", err);
    sp_arena_on_free(bc->arena, kql_regex_free, re);
    e->aux = re;
    return 0;
}
