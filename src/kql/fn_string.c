/* String functions: joining, slicing, splitting, searching and rewriting text,
 * code points, CSV records and Windows command lines. */
#include "fn_util.h"

#include <ctype.h>

/* Positions and lengths count Unicode code points (UTF-8 sequences). */

/* strcat_delim(delimiter, arg1, arg2, ...) : string */
static void fn_strcat_delim(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    sp_str d = fa_str(c, &a[0]);
    fn_sb b;
    sb_init(&b, c->arena, 64);
    for (size_t i = 1; i < n; i++) {
        if (i > 1) sb_put(&b, d.p, d.n);
        sp_str s = fa_str(c, &a[i]);
        sb_put(&b, s.p, s.n);
    }
    sb_done(c, &b, out);
}

/* The text of one array item as strcat_array and friends render it: strings
 * without quotes, other values as tostring() does. */
static sp_str item_text(kql_fctx *c, const kql_dyn *d) {
    kql_value v;
    memset(&v, 0, sizeof v);
    v.type = KQL_DYNAMIC;
    v.u.d = d;
    v.null = !d || d->kind == KQL_DYN_NULL;
    return fa_str(c, &v);
}

/* strcat_array(array, delimiter) : string; a non-array gives "" */
static void fn_strcat_array(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *items;
    size_t cnt;
    if (!fa_array(c, &a[0], &items, &cnt)) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    sp_str d = fa_str(c, &a[1]);
    fn_sb b;
    sb_init(&b, c->arena, 64);
    for (size_t i = 0; i < cnt; i++) {
        if (i) sb_put(&b, d.p, d.n);
        sp_str s = item_text(c, &items[i]);
        sb_put(&b, s.p, s.n);
    }
    sb_done(c, &b, out);
}

/* strcmp(s1, s2) : long, -1 / 0 / 1 comparing bytes (ordinal) */
static void fn_strcmp(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    int r = sp_str_cmp(fa_str(c, &a[0]), fa_str(c, &a[1]));
    kql_set_long(out, r < 0 ? -1 : r > 0);
}

/* strrep(value, multiplier [, delimiter]) : string. The multiplier is capped
 * at 1024 (as Kusto documents); a non-positive one gives "". */
static void fn_strrep(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    sp_str s = fa_str(c, &a[0]);
    int64_t m;
    if (!fa_long(&a[1], &m)) {
        kql_set_null(out);
        return;
    }
    if (m > 1024) m = 1024;
    sp_str d = n > 2 && !fa_isnull(&a[2]) ? fa_str(c, &a[2]) : (sp_str){"", 0};
    fn_sb b;
    sb_init(&b, c->arena, m > 0 ? (size_t)m * (s.n + d.n) : 1);
    for (int64_t i = 0; i < m; i++) {
        if (i) sb_put(&b, d.p, d.n);
        sb_put(&b, s.p, s.n);
    }
    sb_done(c, &b, out);
}

/* string_size(s) : long, the size in bytes */
static void fn_string_size(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    kql_set_long(out, (int64_t)fa_str(c, &a[0]).n);
}

/* substring(source, start [, length]) : string. A negative start counts from
 * the end; ranges are clipped to the string. */
static void fn_substring(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    sp_str s = fa_str(c, &a[0]);
    int64_t start, len = INT64_MAX;
    if (!fa_long(&a[1], &start) || (n > 2 && !fa_isnull(&a[2]) && !fa_long(&a[2], &len))) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    int64_t total = (int64_t)utf8_count(s);
    if (start < 0) start = total + start < 0 ? 0 : total + start;
    if (start >= total || len <= 0) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    int64_t end = len > total - start ? total : start + len;
    size_t b0 = utf8_offset(s, (size_t)start), b1 = utf8_offset(s, (size_t)end);
    kql_set_str(out, (sp_str){s.p + b0, b1 - b0});
}

/* Case-sensitive search for needle in hay[from..to) (bytes); -1 if absent. */
static long find_in(sp_str hay, size_t from, size_t to, sp_str needle) {
    if (to > hay.n) to = hay.n;
    if (from > to || needle.n > to - from) return -1;
    if (needle.n == 0) return (long)from;
    const char *p = hay.p + from, *end = hay.p + to - needle.n + 1;
    while (p < end) {
        const char *q = memchr(p, needle.p[0], (size_t)(end - p));
        if (!q) return -1;
        if (memcmp(q, needle.p, needle.n) == 0) return (long)(q - hay.p);
        p = q + 1;
    }
    return -1;
}

/* indexof(source, lookup [, start [, length [, occurrence]]]) : long, in code
 * points; -1 when not found; null for a negative start or occurrence, or a
 * length below -1. Each further occurrence is sought from one past the
 * previous one, examining `length` positions again. */
static void fn_indexof(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    sp_str s = fa_str(c, &a[0]), look = fa_str(c, &a[1]);
    int64_t start = 0, len = -1, occ = 1;
    if ((n > 2 && !fa_isnull(&a[2]) && !fa_long(&a[2], &start)) ||
        (n > 3 && !fa_isnull(&a[3]) && !fa_long(&a[3], &len)) ||
        (n > 4 && !fa_isnull(&a[4]) && !fa_long(&a[4], &occ)) || start < 0 || len < -1 || occ <= 0) {
        kql_set_null(out);
        return;
    }
    int64_t total = (int64_t)utf8_count(s);
    int64_t pos = start, found = -1;
    for (int64_t k = 0; k < occ; k++) {
        if (pos > total) {
            found = -1;
            break;
        }
        size_t from = utf8_offset(s, (size_t)pos);
        size_t to = len < 0 || len >= total - pos ? s.n : utf8_offset(s, (size_t)(pos + len));
        long at = find_in(s, from, to, look);
        if (at < 0) {
            found = -1;
            break;
        }
        found = (int64_t)utf8_count((sp_str){s.p, (size_t)at});
        pos = found + 1;
    }
    kql_set_long(out, found);
}

/* An ASCII case-insensitive whole-term search, as `has` does: the match may
 * not continue an alphanumeric run on either side. */
static bool is_alnum_byte(unsigned char ch) { return isalnum(ch) || ch >= 0x80; }
static bool has_term(sp_str hay, sp_str term) {
    if (term.n == 0) return false;
    size_t pos = 0;
    while (pos + term.n <= hay.n) {
        long at = sp_str_ifind((sp_str){hay.p + pos, hay.n - pos}, term);
        if (at < 0) return false;
        size_t s = pos + (size_t)at, e = s + term.n;
        bool lok = s == 0 || !is_alnum_byte((unsigned char)hay.p[s - 1]) ||
                   !is_alnum_byte((unsigned char)term.p[0]);
        bool rok = e == hay.n || !is_alnum_byte((unsigned char)hay.p[e]) ||
                   !is_alnum_byte((unsigned char)term.p[term.n - 1]);
        if (lok && rok) return true;
        pos = s + 1;
    }
    return false;
}

/* has_any_index(source, values) : long, the index of the first value that is
 * a term of source (as `has`), or -1 */
static void fn_has_any_index(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    const kql_dyn *items;
    size_t cnt;
    if (!fa_array(c, &a[1], &items, &cnt)) {
        kql_set_long(out, -1);
        return;
    }
    for (size_t i = 0; i < cnt; i++) {
        if (has_term(s, item_text(c, &items[i]))) {
            kql_set_long(out, (int64_t)i);
            return;
        }
    }
    kql_set_long(out, -1);
}

/* reverse(value) : string, reversed by code points */
static void fn_reverse(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    char *p = kql_falloc(c, s.n);
    size_t i = 0, k = s.n;
    while (i < s.n) {
        uint32_t cp;
        int len = sp_utf8_decode(s.p + i, s.n - i, &cp);
        if (len <= 0) len = 1;
        k -= (size_t)len;
        memcpy(p + k, s.p + i, (size_t)len);
        i += (size_t)len;
    }
    kql_set_str(out, (sp_str){p, s.n});
}

/* split(source, delimiter [, index]) : dynamic array of strings; with an
 * index, an array of that one part (empty when out of range). */
static void fn_split(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    sp_str s = fa_str(c, &a[0]), d = fa_str(c, &a[1]);
    int64_t want = -1;
    bool has_index = n > 2 && !fa_isnull(&a[2]);
    if (has_index && !fa_long(&a[2], &want)) {
        kql_set_null(out);
        return;
    }
    char *copy = sp_arena_strndup(c->arena, s.p, s.n);
    fn_arr b;
    arr_init(&b, c->arena, 4);
    size_t pos = 0;
    int64_t idx = 0;
    for (;;) {
        long at = d.n ? find_in(s, pos, s.n, d) : -1;
        size_t end = at < 0 ? s.n : (size_t)at;
        if (!has_index || idx == want) arr_push(&b, dyn_str_ref(copy + pos, end - pos));
        if (at < 0 || b.n >= KQL_DYN_MAX_ITEMS) break;
        if (has_index && idx >= want) break;
        pos = end + d.n;
        idx++;
    }
    fn_set_dyn(out, arr_done(&b));
}

/* A dictionary-aware split for the common split(Column, "x")[i] shapes. */
FN_VEC_DICT(fn_split_vec, fn_split, false)

/* replace_string(text, lookup, rewrite) : string, every non-overlapping occurrence */
static void fn_replace_string(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]), look = fa_str(c, &a[1]), rw = fa_str(c, &a[2]);
    if (look.n == 0) {
        kql_set_str(out, s);
        return;
    }
    fn_sb b;
    sb_init(&b, c->arena, s.n + 16);
    size_t pos = 0;
    for (;;) {
        long at = find_in(s, pos, s.n, look);
        if (at < 0) break;
        sb_put(&b, s.p + pos, (size_t)at - pos);
        sb_put(&b, rw.p, rw.n);
        pos = (size_t)at + look.n;
    }
    sb_put(&b, s.p + pos, s.n - pos);
    sb_done(c, &b, out);
}
FN_VEC_DICT(fn_replace_string_vec, fn_replace_string, false)

/* trim / trim_start / trim_end (regex, text) : string. The pattern is
 * wrapped as ^(?:re)+ and (?:re)+$ and the matched ends removed. */
typedef struct trim_aux {
    const fn_regex *start, *end;
} trim_aux;

static bool trim_compile(sp_arena *a, sp_str re, trim_aux *t, char *msg, size_t cap) {
    char *p = sp_arena_alloc(a, re.n + 16);
    memcpy(p, "^(?:", 4);
    memcpy(p + 4, re.p, re.n);
    memcpy(p + 4 + re.n, ")+", 2);
    t->start = fn_re_get(a, p, re.n + 6, msg, cap);
    if (!t->start) return false;
    char *q = sp_arena_alloc(a, re.n + 16);
    memcpy(q, "(?:", 3);
    memcpy(q + 3, re.p, re.n);
    memcpy(q + 3 + re.n, ")+$", 3);
    t->end = fn_re_get(a, q, re.n + 6, msg, cap);
    return t->end != NULL;
}

static kql_type bind_trim(kql_bindctx *b, kql_expr *call) {
    sp_str re;
    if (fb_const_str(call, 0, &re)) {
        trim_aux *t = SP_NEW(b->arena, trim_aux);
        char msg[256];
        if (!trim_compile(b->arena, re, t, msg, sizeof msg)) {
            kql_bind_error(b, call->args[0], "bad_regex", "%s", msg);
            return KQL_UNKNOWN;
        }
        call->aux = t;
    }
    return KQL_STRING;
}

static void do_trim(kql_fctx *c, const kql_value *a, kql_value *out, bool st, bool en) {
    trim_aux tmp, *t = c->call ? c->call->aux : NULL;
    if (!t) {
        char msg[256];
        if (!trim_compile(c->arena, fa_str(c, &a[0]), &tmp, msg, sizeof msg)) {
            kql_fail(c->q, SP_ERR_RUNTIME, "bad_regex", "%s", msg);
            return;
        }
        t = &tmp;
    }
    sp_str s = fa_str(c, &a[1]);
    size_t b0 = 0, b1 = s.n, ov[2];
    if (st) {
        int r = fn_re_match(c->q, t->start, s.p, s.n, 0, ov, 1);
        if (r < 0) return;
        if (r > 0) b0 = ov[1];
    }
    if (en && b0 < b1) {
        int r = fn_re_match(c->q, t->end, s.p, s.n, b0, ov, 1);
        if (r < 0) return;
        if (r > 0) b1 = ov[0];
    }
    kql_set_str(out, (sp_str){s.p + b0, b1 - b0});
}

static void fn_trim(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    do_trim(c, a, out, true, true);
}
static void fn_trim_start(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    do_trim(c, a, out, true, false);
}
static void fn_trim_end(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    do_trim(c, a, out, false, true);
}

/* countof(source, search [, kind]) : long. kind "normal" (the default) counts
 * possibly overlapping occurrences; "regex" counts non-overlapping matches. */
typedef struct countof_aux {
    bool regex;
    const fn_regex *re;
} countof_aux;

static kql_type bind_countof(kql_bindctx *b, kql_expr *call) {
    countof_aux *x = SP_NEW(b->arena, countof_aux);
    if (call->nargs > 2) {
        sp_str k;
        if (!fb_const_str(call, 2, &k) || !(sp_str_eqc(k, "normal") || sp_str_eqc(k, "regex"))) {
            kql_bind_error(b, call->args[2], "bad_argument", "countof(): kind must be the literal \"normal\" or \"regex\"");
            return KQL_UNKNOWN;
        }
        x->regex = sp_str_eqc(k, "regex");
    }
    sp_str p;
    if (x->regex && fb_const_str(call, 1, &p)) {
        char msg[256];
        x->re = fn_re_get(b->arena, p.p, p.n, msg, sizeof msg);
        if (!x->re) {
            kql_bind_error(b, call->args[1], "bad_regex", "%s", msg);
            return KQL_UNKNOWN;
        }
    }
    call->aux = x;
    return KQL_LONG;
}

static void fn_countof(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    countof_aux *x = c->call ? c->call->aux : NULL;
    sp_str s = fa_str(c, &a[0]), look = fa_str(c, &a[1]);
    bool regex = x ? x->regex : (n > 2 && sp_str_eqc(fa_str(c, &a[2]), "regex"));
    int64_t cnt = 0;
    if (!regex) {
        if (look.n) {
            size_t pos = 0;
            long at;
            while ((at = find_in(s, pos, s.n, look)) >= 0) {
                cnt++;
                pos = (size_t)at + 1;
            }
        }
        kql_set_long(out, cnt);
        return;
    }
    const fn_regex *re = x && x->re ? x->re : NULL;
    if (!re) {
        char msg[256];
        re = fn_re_get(c->arena, look.p, look.n, msg, sizeof msg);
        if (!re) {
            kql_fail(c->q, SP_ERR_RUNTIME, "bad_regex", "%s", msg);
            return;
        }
    }
    size_t pos = 0, ov[2];
    while (pos <= s.n) {
        int r = fn_re_match(c->q, re, s.p, s.n, pos, ov, 1);
        if (r < 0) return;
        if (r == 0) break;
        cnt++;
        if (ov[1] > ov[0]) pos = ov[1];
        else {
            if (ov[1] >= s.n) break;
            uint32_t cp;
            pos = ov[1] + (size_t)SP_MAX(1, sp_utf8_decode(s.p + ov[1], s.n - ov[1], &cp));
        }
    }
    kql_set_long(out, cnt);
}

/* translate(searchList, replacementList, source) : string. Each character of
 * source found in searchList becomes the character at the same position of
 * replacementList (its last character when that list is shorter); with an
 * empty replacementList the characters are removed. */
static void fn_translate(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str from = fa_str(c, &a[0]), to = fa_str(c, &a[1]), s = fa_str(c, &a[2]);
    size_t nf = utf8_count(from), nt = utf8_count(to);
    uint32_t *fc = (uint32_t *)kql_falloc(c, (nf + 1) * 4), *tc = (uint32_t *)kql_falloc(c, (nt + 1) * 4);
    size_t i = 0, k = 0;
    while (i < from.n) {
        int len = sp_utf8_decode(from.p + i, from.n - i, &fc[k++]);
        i += (size_t)(len > 0 ? len : 1);
    }
    nf = k;
    i = 0, k = 0;
    while (i < to.n) {
        int len = sp_utf8_decode(to.p + i, to.n - i, &tc[k++]);
        i += (size_t)(len > 0 ? len : 1);
    }
    nt = k;
    fn_sb b;
    sb_init(&b, c->arena, s.n + 4);
    i = 0;
    while (i < s.n) {
        uint32_t cp;
        int len = sp_utf8_decode(s.p + i, s.n - i, &cp);
        if (len <= 0) len = 1;
        size_t j = 0;
        while (j < nf && fc[j] != cp) j++;
        if (j == nf) {
            sb_put(&b, s.p + i, (size_t)len);
        } else if (nt) {
            char u[4];
            int m = sp_utf8_encode(tc[j < nt ? j : nt - 1], u);
            sb_put(&b, u, (size_t)m);
        }
        i += (size_t)len;
    }
    sb_done(c, &b, out);
}

/* make_string(code points or arrays of them, ...) : string */
static void put_cp(fn_sb *b, int64_t cp) {
    char u[4];
    int m = sp_utf8_encode(cp < 0 || cp > 0x10FFFF ? 0xFFFD : (uint32_t)cp, u);
    sb_put(b, u, (size_t)m);
}

static void fn_make_string(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    fn_sb b;
    sb_init(&b, c->arena, 16);
    for (size_t i = 0; i < n; i++) {
        if (fa_isnull(&a[i])) continue;
        const kql_dyn *d = a[i].type == KQL_DYNAMIC ? a[i].u.d : NULL;
        if (d && d->kind == KQL_DYN_ARRAY) {
            for (uint32_t k = 0; k < d->n; k++)
                if (d->u.items[k].kind == KQL_DYN_LONG) put_cp(&b, d->u.items[k].u.i);
            continue;
        }
        int64_t cp;
        if (fa_long(&a[i], &cp)) put_cp(&b, cp);
    }
    sb_done(c, &b, out);
}

/* unicode_codepoints_from_string(value) : dynamic array of code points */
static void fn_codepoints(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    fn_arr b;
    arr_init(&b, c->arena, s.n + 1);
    size_t i = 0;
    while (i < s.n) {
        uint32_t cp;
        int len = sp_utf8_decode(s.p + i, s.n - i, &cp);
        arr_push(&b, dyn_long(cp));
        i += (size_t)(len > 0 ? len : 1);
    }
    fn_set_dyn(out, arr_done(&b));
}

/* to_utf8(value) : dynamic array of the UTF-8 bytes */
static void fn_to_utf8(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    fn_arr b;
    arr_init(&b, c->arena, s.n + 1);
    for (size_t i = 0; i < s.n; i++) arr_push(&b, dyn_long((unsigned char)s.p[i]));
    fn_set_dyn(out, arr_done(&b));
}

/* isascii(value), isutf8(value) : bool */
static void fn_isascii(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    for (size_t i = 0; i < s.n; i++)
        if ((unsigned char)s.p[i] >= 0x80) {
            kql_set_bool(out, false);
            return;
        }
    kql_set_bool(out, true);
}

static void fn_isutf8(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    kql_set_bool(out, sp_utf8_valid(s.p, s.n));
}

/* regex_quote(s) : string, with the regex metacharacters escaped */
static void fn_regex_quote(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    fn_sb b;
    sb_init(&b, c->arena, s.n * 2 + 1);
    for (size_t i = 0; i < s.n; i++) {
        if (strchr("\\^$.|?*+()[]{}-", s.p[i]) && s.p[i]) sb_putc(&b, '\\');
        sb_putc(&b, s.p[i]);
    }
    sb_done(c, &b, out);
}

/* parse_csv(text) : dynamic array of the fields of the first CSV record.
 * Fields may be quoted with "..." (a doubled quote stands for one quote, and
 * commas and line breaks inside quotes are kept). */
static void fn_parse_csv(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    fn_arr arr;
    arr_init(&arr, c->arena, 8);
    fn_sb f;
    sb_init(&f, c->arena, 32);
    size_t i = 0;
    bool quoted = false, done = false;
    while (!done) {
        if (i >= s.n) {
            done = true;
        } else if (quoted) {
            char ch = s.p[i++];
            if (ch == '"') {
                if (i < s.n && s.p[i] == '"') {
                    sb_putc(&f, '"');
                    i++;
                } else {
                    quoted = false;
                }
            } else {
                sb_putc(&f, ch);
            }
            continue;
        } else {
            char ch = s.p[i];
            if (ch == '"') {
                quoted = true;
                i++;
                continue;
            }
            if (ch == '\n' || ch == '\r') {
                done = true;
            } else if (ch != ',') {
                sb_putc(&f, ch);
                i++;
                continue;
            }
        }
        arr_push(&arr, dyn_str_ref(f.p, f.n));
        if (done || arr.n >= KQL_DYN_MAX_ITEMS) break;
        i++; /* the comma */
        sb_init(&f, c->arena, 32);
    }
    fn_set_dyn(out, arr_done(&arr));
}

/* parse_command_line(command, "windows") : dynamic array of arguments, split
 * as CommandLineToArgvW does: the program name ends at the first blank (or
 * its closing quote); later arguments honour quotes, and backslashes escape a
 * quote only when they precede one (2n backslashes + quote -> n backslashes
 * and a quote that toggles quoting; 2n+1 -> n backslashes and a literal
 * quote); inside quotes a doubled quote is a literal quote. */
static kql_type bind_parse_command_line(kql_bindctx *b, kql_expr *call) {
    sp_str k;
    if (fb_const_str(call, 1, &k) && !sp_str_ieqc(k, "windows")) {
        kql_bind_error(b, call->args[1], "bad_argument", "parse_command_line(): the only parser is \"windows\"");
        return KQL_UNKNOWN;
    }
    return KQL_DYNAMIC;
}

static void fn_parse_command_line(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    fn_arr arr;
    arr_init(&arr, c->arena, 8);
    size_t i = 0;
    /* the program name */
    while (i < s.n && (s.p[i] == ' ' || s.p[i] == '\t')) i++;
    if (i < s.n) {
        fn_sb f;
        sb_init(&f, c->arena, 32);
        if (s.p[i] == '"') {
            i++;
            while (i < s.n && s.p[i] != '"') sb_putc(&f, s.p[i++]);
            if (i < s.n) i++;
        } else {
            while (i < s.n && s.p[i] != ' ' && s.p[i] != '\t') sb_putc(&f, s.p[i++]);
        }
        arr_push(&arr, dyn_str_ref(f.p, f.n));
    }
    for (;;) {
        while (i < s.n && (s.p[i] == ' ' || s.p[i] == '\t')) i++;
        if (i >= s.n || arr.n >= KQL_DYN_MAX_ITEMS) break;
        fn_sb f;
        sb_init(&f, c->arena, 32);
        bool q = false;
        while (i < s.n) {
            char ch = s.p[i];
            if (!q && (ch == ' ' || ch == '\t')) break;
            if (ch == '\\') {
                size_t k = i;
                while (k < s.n && s.p[k] == '\\') k++;
                size_t nb = k - i;
                if (k < s.n && s.p[k] == '"') {
                    for (size_t j = 0; j < nb / 2; j++) sb_putc(&f, '\\');
                    if (nb % 2) {
                        sb_putc(&f, '"');
                        i = k + 1;
                    } else {
                        i = k; /* the quote is handled below */
                    }
                } else {
                    for (size_t j = 0; j < nb; j++) sb_putc(&f, '\\');
                    i = k;
                }
                continue;
            }
            if (ch == '"') {
                if (q && i + 1 < s.n && s.p[i + 1] == '"') {
                    sb_putc(&f, '"');
                    i += 2;
                    continue;
                }
                q = !q;
                i++;
                continue;
            }
            sb_putc(&f, ch);
            i++;
        }
        arr_push(&arr, dyn_str_ref(f.p, f.n));
    }
    fn_set_dyn(out, arr_done(&arr));
}

static const kql_fn FNS[] = {
    {"strcat_delim", KQL_FN_SCALAR, "a,a,a,a*", "string", NULL, NULL, fn_strcat_delim, NULL, KQL_FNF_NULLS_IN, NULL},
    {"strcat_array", KQL_FN_SCALAR, "y,a", "string", NULL, NULL, fn_strcat_array, NULL, 0, NULL},
    {"array_strcat", KQL_FN_SCALAR, "y,a", "string", NULL, NULL, fn_strcat_array, NULL, 0, NULL},
    {"strcmp", KQL_FN_SCALAR, "a,a", "long", NULL, NULL, fn_strcmp, NULL, 0, NULL},
    {"strrep", KQL_FN_SCALAR, "a,i,a?", "string", NULL, NULL, fn_strrep, NULL, 0, NULL},
    {"string_size", KQL_FN_SCALAR, "s", "long", NULL, NULL, fn_string_size, NULL, 0, NULL},
    {"substring", KQL_FN_SCALAR, "a,i,i?", "string", NULL, NULL, fn_substring, NULL, 0, NULL},
    {"indexof", KQL_FN_SCALAR, "a,a,i?,i?,i?", "long", NULL, NULL, fn_indexof, NULL, 0, NULL},
    {"has_any_index", KQL_FN_SCALAR, "s,y", "long", NULL, NULL, fn_has_any_index, NULL, 0, NULL},
    {"reverse", KQL_FN_SCALAR, "a", "string", NULL, NULL, fn_reverse, NULL, 0, NULL},
    {"split", KQL_FN_SCALAR, "a,s,i?", "dynamic", NULL, fn_split_vec, fn_split, NULL, KQL_FNF_NAME_ARG0, NULL},
    {"replace_string", KQL_FN_SCALAR, "s,s,s", "string", NULL, fn_replace_string_vec, fn_replace_string, NULL, 0,
     NULL},
    {"trim", KQL_FN_SCALAR, "s,s", NULL, bind_trim, NULL, fn_trim, NULL, 0, NULL},
    {"trim_start", KQL_FN_SCALAR, "s,s", NULL, bind_trim, NULL, fn_trim_start, NULL, 0, NULL},
    {"trim_end", KQL_FN_SCALAR, "s,s", NULL, bind_trim, NULL, fn_trim_end, NULL, 0, NULL},
    {"countof", KQL_FN_SCALAR, "s,s,s?", NULL, bind_countof, NULL, fn_countof, NULL, 0, NULL},
    {"translate", KQL_FN_SCALAR, "s,s,s", "string", NULL, NULL, fn_translate, NULL, 0, NULL},
    {"make_string", KQL_FN_SCALAR, "a,a*", "string", NULL, NULL, fn_make_string, NULL, KQL_FNF_NULLS_IN, NULL},
    {"unicode_codepoints_to_string", KQL_FN_SCALAR, "a,a*", "string", NULL, NULL, fn_make_string, NULL,
     KQL_FNF_NULLS_IN, NULL},
    {"unicode_codepoints_from_string", KQL_FN_SCALAR, "a", "dynamic", NULL, NULL, fn_codepoints, NULL, 0, NULL},
    {"to_utf8", KQL_FN_SCALAR, "a", "dynamic", NULL, NULL, fn_to_utf8, NULL, 0, NULL},
    {"isascii", KQL_FN_SCALAR, "a", "bool", NULL, NULL, fn_isascii, NULL, 0, NULL},
    {"isutf8", KQL_FN_SCALAR, "a", "bool", NULL, NULL, fn_isutf8, NULL, 0, NULL},
    {"regex_quote", KQL_FN_SCALAR, "a", "string", NULL, NULL, fn_regex_quote, NULL, 0, NULL},
    {"parse_csv", KQL_FN_SCALAR, "s", "dynamic", NULL, NULL, fn_parse_csv, NULL, KQL_FNF_NAME_ARG0, NULL},
    {"parse_command_line", KQL_FN_SCALAR, "a,s", NULL, bind_parse_command_line, NULL, fn_parse_command_line, NULL, 0,
     NULL},
};

KQL_FN_TABLE(kql_fns_string, FNS);
