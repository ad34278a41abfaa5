/* Regular-expression functions: extract (typed), extract_all, replace_regex
 * and the old replace, indexof_regex; and extractjson's JSONPath subset. */
#include "fn_util.h"

#include <stdio.h>

#define OVP 101 /* ovector pairs: every group a pattern may have, plus the match */

/* Converts extracted text to the requested type (string stays as is). */
static void convert_text(kql_fctx *c, sp_str s, kql_type t, kql_value *out) {
    if (t == KQL_STRING || t == KQL_UNKNOWN) {
        kql_set_str(out, s);
        return;
    }
    kql_value v = {.type = KQL_STRING};
    v.u.s = s;
    kql_value r;
    if (t == KQL_DYNAMIC) {
        const kql_dyn *d = kql_dyn_parse_lenient(c->arena, s.p, s.n);
        if (!d) d = dyn_box(c->arena, dyn_str(c->arena, s.p, s.n));
        fn_set_dyn(out, d);
        return;
    }
    if (!kql_convert(c->arena, &v, t, &r)) {
        kql_set_null(out);
        return;
    }
    out->null = false;
    out->u = r.u;
}

/* extract(regex, captureGroup, text [, typeof(T)]) : string or T */
static kql_type bind_extract(kql_bindctx *b, kql_expr *call) {
    if (!fn_bind_regex(b, call, 0)) return KQL_UNKNOWN;
    kql_value g;
    if (fb_const(call, 1, &g) && !g.null && call->aux) {
        int64_t k = kql_int(&g);
        if (k < 0 || k > fn_re_ngroups(call->aux)) {
            kql_bind_error(b, call->args[1], "bad_argument",
                           "extract(): capture group %lld does not exist in the regular expression", (long long)k);
            return KQL_UNKNOWN;
        }
    }
    if (call->nargs > 3) {
        kql_type t = fb_type_arg(call, 3);
        if (t == KQL_UNKNOWN) {
            kql_bind_error(b, call->args[3], "type_mismatch", "extract(): the fourth argument must be typeof(type)");
            return KQL_UNKNOWN;
        }
        return t;
    }
    return KQL_STRING;
}

/* takes nulls itself: the typeof() argument is a typed null */
static void fn_extract(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const fn_regex *re = fn_regex_arg(c, &a[0]);
    int64_t g;
    if (!re || !fa_long(&a[1], &g)) {
        if (out->type == KQL_STRING) {
            kql_set_str(out, (sp_str){"", 0});
            return;
        }
        kql_set_null(out);
        return;
    }
    sp_str s = fa_str(c, &a[2]);
    size_t ov[2 * OVP];
    int r = g >= 0 && g <= fn_re_ngroups(re) ? fn_re_match(c->q, re, s.p, s.n, 0, ov, OVP) : 0;
    if (r <= 0 || ov[2 * g] == SIZE_MAX) {
        kql_set_null(out);
        if (out->type == KQL_STRING) kql_set_str(out, (sp_str){"", 0});
        return;
    }
    convert_text(c, (sp_str){s.p + ov[2 * g], ov[2 * g + 1] - ov[2 * g]}, out->type, out);
}

/* extract over a dictionary column runs once per distinct string */
static void fn_extract_vec(kql_fctx *c, kql_col *const *a, size_t na, size_t n, kql_col *out) {
    /* the dictionary path needs the text to be argument 0: reorder */
    if (na >= 3 && (a[2]->flags & KQL_COL_DICT) && (a[0]->flags & KQL_COL_CONST) && (a[1]->flags & KQL_COL_CONST) &&
        a[2]->dict->n <= n && (na < 4 || (a[3]->flags & KQL_COL_CONST))) {
        const kql_dict *d = a[2]->dict;
        kql_col *per = kql_col_new(c->arena, out->type, d->n);
        kql_value args[4];
        for (size_t k = 0; k < na; k++) kql_col_get(a[k], 0, &args[k]);
        if (fa_isnull(&args[1])) {
            for (size_t i = 0; i < n; i++) kql_col_set_null(c->arena, out, i);
            return;
        }
        for (uint32_t e = 0; e < d->n; e++) {
            kql_value r = {.type = out->type};
            args[2].u.s = d->s[e];
            fn_extract(c, args, na, &r);
            kql_col_set(c->arena, per, e, &r);
        }
        kql_value v;
        for (size_t i = 0; i < n; i++) {
            kql_col_get(per, a[2]->v.codes[i], &v);
            kql_col_set(c->arena, out, i, &v);
        }
        return;
    }
    fn_vec_rows(c, a, na, n, out, fn_extract, true);
}

/* extract_all(regex, [captureGroups,] text) : dynamic. One selected group
 * gives an array of strings, several an array of arrays; no match gives
 * null. The regex needs 1..16 capture groups; captureGroups lists group
 * numbers or names. */
typedef struct xall_aux {
    const fn_regex *re;
    int groups[16];
    int ngroups;           /* 0: all of the pattern's groups */
} xall_aux;

static bool xall_groups(const fn_regex *re, const kql_dyn *sel, xall_aux *x, char *msg, size_t cap) {
    if (!sel || sel->kind != KQL_DYN_ARRAY || sel->n == 0 || sel->n > 16) {
        snprintf(msg, cap, "extract_all(): captureGroups must be an array of 1 to 16 group numbers or names");
        return false;
    }
    for (uint32_t i = 0; i < sel->n; i++) {
        const kql_dyn *d = &sel->u.items[i];
        int k = -1;
        if (d->kind == KQL_DYN_LONG) k = (int)d->u.i;
        else if (d->kind == KQL_DYN_STRING) k = fn_re_group_index(re, d->u.s, d->n);
        if (k < 1 || k > fn_re_ngroups(re)) {
            snprintf(msg, cap, "extract_all(): capture group %u of captureGroups does not exist", i + 1);
            return false;
        }
        x->groups[i] = k;
    }
    x->ngroups = (int)sel->n;
    return true;
}

static kql_type bind_extract_all(kql_bindctx *b, kql_expr *call) {
    if (!fn_bind_regex(b, call, 0)) return KQL_UNKNOWN;
    const fn_regex *re = call->aux;
    call->aux = NULL;
    if (!re) return KQL_DYNAMIC;
    int ng = fn_re_ngroups(re);
    if (ng < 1 || ng > 16) {
        kql_bind_error(b, call->args[0], "bad_regex",
                       "extract_all(): the regular expression must have 1 to 16 capture groups");
        return KQL_UNKNOWN;
    }
    xall_aux *x = SP_NEW(b->arena, xall_aux);
    x->re = re;
    kql_value sel;
    if (call->nargs == 3) {
        if (!fb_const(call, 1, &sel) || sel.type != KQL_DYNAMIC) return KQL_DYNAMIC; /* checked at run time */
        char msg[200];
        if (!xall_groups(re, sel.u.d, x, msg, sizeof msg)) {
            kql_bind_error(b, call->args[1], "bad_argument", "%s", msg);
            return KQL_UNKNOWN;
        }
    }
    call->aux = x;
    return KQL_DYNAMIC;
}

static void fn_extract_all(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    xall_aux tmp, *x = c->call ? c->call->aux : NULL;
    const kql_value *text = &a[n - 1];
    if (!x) {
        memset(&tmp, 0, sizeof tmp);
        sp_str p = fa_str(c, &a[0]);
        char msg[256];
        tmp.re = fn_re_get(c->arena, p.p, p.n, msg, sizeof msg);
        if (!tmp.re) {
            kql_fail(c->q, SP_ERR_RUNTIME, "bad_regex", "%s", msg);
            return;
        }
        int ng = fn_re_ngroups(tmp.re);
        if (ng < 1 || ng > 16) {
            kql_fail(c->q, SP_ERR_RUNTIME, "bad_regex", "extract_all(): the regular expression must have 1 to 16 capture groups");
            return;
        }
        if (n == 3 && !xall_groups(tmp.re, fa_dyn(c, &a[1]), &tmp, msg, sizeof msg)) {
            kql_fail(c->q, SP_ERR_RUNTIME, "bad_argument", "%s", msg);
            return;
        }
        x = &tmp;
    }
    int groups[16], ng = x->ngroups;
    if (ng) memcpy(groups, x->groups, sizeof groups);
    else {
        ng = fn_re_ngroups(x->re);
        for (int i = 0; i < ng; i++) groups[i] = i + 1;
    }
    sp_str s = fa_str(c, text);
    char *copy = sp_arena_strndup(c->arena, s.p, s.n);
    fn_arr res;
    arr_init(&res, c->arena, 8);
    size_t pos = 0, ov[2 * OVP];
    while (pos <= s.n && res.n < KQL_DYN_MAX_ITEMS) {
        int r = fn_re_match(c->q, x->re, s.p, s.n, pos, ov, OVP);
        if (r < 0) return;
        if (r == 0) break;
        kql_dyn parts[16];
        for (int i = 0; i < ng; i++) {
            size_t s0 = ov[2 * groups[i]], s1 = ov[2 * groups[i] + 1];
            parts[i] = s0 == SIZE_MAX ? dyn_str_ref("", 0) : dyn_str_ref(copy + s0, s1 - s0);
        }
        if (ng == 1) {
            arr_push(&res, parts[0]);
        } else {
            fn_arr row;
            arr_init(&row, c->arena, (size_t)ng);
            for (int i = 0; i < ng; i++) arr_push(&row, parts[i]);
            arr_push(&res, *arr_done(&row));
        }
        if (ov[1] > ov[0]) pos = ov[1];
        else {
            if (ov[1] >= s.n) break;
            uint32_t cp;
            pos = ov[1] + (size_t)SP_MAX(1, sp_utf8_decode(s.p + ov[1], s.n - ov[1], &cp));
        }
    }
    if (res.n == 0) {
        kql_set_null(out);
        return;
    }
    fn_set_dyn(out, arr_done(&res));
}

/* Appends rewrite with \0..\9 replaced by the groups of the match. */
static void put_rewrite(fn_sb *b, sp_str s, sp_str rw, const size_t *ov, int ng) {
    for (size_t i = 0; i < rw.n; i++) {
        char ch = rw.p[i];
        if (ch == '\\' && i + 1 < rw.n) {
            char d = rw.p[i + 1];
            if (d >= '0' && d <= '9') {
                int k = d - '0';
                if (k <= ng && ov[2 * k] != SIZE_MAX) sb_put(b, s.p + ov[2 * k], ov[2 * k + 1] - ov[2 * k]);
                i++;
                continue;
            }
            sb_putc(b, d);
            i++;
            continue;
        }
        sb_putc(b, ch);
    }
}

static void do_replace(kql_fctx *c, const fn_regex *re, sp_str s, sp_str rw, kql_value *out) {
    if (!re) return;
    int ng = fn_re_ngroups(re);
    fn_sb b;
    sb_init(&b, c->arena, s.n + 16);
    size_t pos = 0, last = 0, ov[2 * OVP];
    while (pos <= s.n) {
        int r = fn_re_match(c->q, re, s.p, s.n, pos, ov, OVP);
        if (r < 0) return;
        if (r == 0) break;
        sb_put(&b, s.p + last, ov[0] - last);
        put_rewrite(&b, s, rw, ov, ng);
        last = ov[1];
        if (ov[1] > ov[0]) {
            pos = ov[1];
        } else {
            if (ov[1] >= s.n) break;
            uint32_t cp;
            size_t step = (size_t)SP_MAX(1, sp_utf8_decode(s.p + ov[1], s.n - ov[1], &cp));
            sb_put(&b, s.p + ov[1], step);
            pos = last = ov[1] + step;
        }
        if (b.over) break;
    }
    if (last < s.n) sb_put(&b, s.p + last, s.n - last);
    sb_done(c, &b, out);
}

/* replace_regex(source, regex, rewrite) : string; rewrite may use \0..\9 */
static kql_type bind_replace_regex(kql_bindctx *b, kql_expr *call) {
    return fn_bind_regex(b, call, 1) ? KQL_STRING : KQL_UNKNOWN;
}

static void fn_replace_regex(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    do_replace(c, fn_regex_arg(c, &a[1]), fa_str(c, &a[0]), fa_str(c, &a[2]), out);
}

/* replace(regex, rewrite, source) : the old argument order */
static kql_type bind_replace(kql_bindctx *b, kql_expr *call) {
    return fn_bind_regex(b, call, 0) ? KQL_STRING : KQL_UNKNOWN;
}

static void fn_replace(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    do_replace(c, fn_regex_arg(c, &a[0]), fa_str(c, &a[2]), fa_str(c, &a[1]), out);
}

/* indexof_regex(source, regex [, start [, length [, occurrence]]]) : long,
 * the code-point index of a match as indexof() counts them */
static kql_type bind_indexof_regex(kql_bindctx *b, kql_expr *call) {
    return fn_bind_regex(b, call, 1) ? KQL_LONG : KQL_UNKNOWN;
}

static void fn_indexof_regex(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    const fn_regex *re = fn_regex_arg(c, &a[1]);
    if (!re) return;
    sp_str s = fa_str(c, &a[0]);
    int64_t start = 0, len = -1, occ = 1;
    if ((n > 2 && !fa_isnull(&a[2]) && !fa_long(&a[2], &start)) ||
        (n > 3 && !fa_isnull(&a[3]) && !fa_long(&a[3], &len)) ||
        (n > 4 && !fa_isnull(&a[4]) && !fa_long(&a[4], &occ)) || start < 0 || len < -1 || occ <= 0) {
        kql_set_null(out);
        return;
    }
    int64_t total = (int64_t)utf8_count(s), pos = start, found = -1;
    size_t ov[2];
    for (int64_t k = 0; k < occ; k++) {
        if (pos > total) {
            found = -1;
            break;
        }
        size_t from = utf8_offset(s, (size_t)pos);
        size_t to = len < 0 || len >= total - pos ? s.n : utf8_offset(s, (size_t)(pos + len));
        int r = fn_re_match(c->q, re, s.p, to, from, ov, 1);
        if (r < 0) return;
        if (r == 0) {
            found = -1;
            break;
        }
        found = (int64_t)utf8_count((sp_str){s.p, ov[0]});
        pos = found + 1;
    }
    kql_set_long(out, found);
}

/* ------------------------------------------------------------- extractjson
 * JSONPath subset: $ (the root), .name, ['name'] / ["name"], [index] (a
 * negative index counts from the end). No wildcards, unions or slices. */
typedef struct jstep {
    bool is_index;
    int64_t index;
    sp_str name;
} jstep;

typedef struct jpath {
    jstep *steps;
    size_t n;
} jpath;

static bool jpath_parse(sp_arena *a, sp_str p, jpath *out) {
    size_t i = 0, cap = 8;
    out->n = 0;
    out->steps = SP_NEWN(a, jstep, cap);
    while (i < p.n && p.p[i] == ' ') i++;
    if (i >= p.n || (p.p[i] != '$' && p.p[i] != '@')) return false;
    i++;
    while (i < p.n) {
        if (out->n == cap) {
            out->steps = sp_arena_realloc(a, out->steps, cap * sizeof(jstep), cap * 2 * sizeof(jstep));
            cap *= 2;
        }
        jstep *st = &out->steps[out->n];
        memset(st, 0, sizeof *st);
        if (p.p[i] == '.') {
            size_t s0 = ++i;
            while (i < p.n && p.p[i] != '.' && p.p[i] != '[') i++;
            if (i == s0) return false;
            st->name = (sp_str){p.p + s0, i - s0};
        } else if (p.p[i] == '[') {
            i++;
            if (i < p.n && (p.p[i] == '\'' || p.p[i] == '"')) {
                char q = p.p[i++];
                size_t s0 = i;
                while (i < p.n && p.p[i] != q) i++;
                if (i >= p.n) return false;
                st->name = (sp_str){p.p + s0, i - s0};
                i++;
            } else {
                bool neg = false;
                if (i < p.n && p.p[i] == '-') neg = true, i++;
                size_t s0 = i;
                int64_t v = 0;
                while (i < p.n && p.p[i] >= '0' && p.p[i] <= '9' && v < 100000000) v = v * 10 + (p.p[i++] - '0');
                if (i == s0) return false;
                st->is_index = true;
                st->index = neg ? -v : v;
            }
            if (i >= p.n || p.p[i] != ']') return false;
            i++;
        } else {
            return false;
        }
        out->n++;
    }
    return true;
}

static const kql_dyn *jpath_eval(const jpath *jp, const kql_dyn *d) {
    for (size_t i = 0; i < jp->n && d; i++) {
        const jstep *st = &jp->steps[i];
        d = st->is_index ? kql_dyn_index(d, st->index) : kql_dyn_get(d, st->name.p, st->name.n);
    }
    return d;
}

static kql_type bind_extractjson(kql_bindctx *b, kql_expr *call) {
    sp_str p;
    if (fb_const_str(call, 0, &p)) {
        jpath *jp = SP_NEW(b->arena, jpath);
        if (!jpath_parse(b->arena, p, jp)) {
            kql_bind_error(b, call->args[0], "bad_argument",
                           "extractjson(): the path must start with $ and use .name, ['name'] or [index]");
            return KQL_UNKNOWN;
        }
        call->aux = jp;
    }
    if (call->nargs > 2) {
        kql_type t = fb_type_arg(call, 2);
        if (t == KQL_UNKNOWN) {
            kql_bind_error(b, call->args[2], "type_mismatch", "extractjson(): the third argument must be typeof(type)");
            return KQL_UNKNOWN;
        }
        return t;
    }
    return KQL_STRING;
}

/* takes nulls itself: the typeof() argument is a typed null */
static void fn_extractjson(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    jpath tmp, *jp = c->call ? c->call->aux : NULL;
    if (!jp) {
        if (!jpath_parse(c->arena, fa_str(c, &a[0]), &tmp)) {
            kql_set_null(out);
            return;
        }
        jp = &tmp;
    }
    const kql_dyn *doc;
    if (a[1].type == KQL_DYNAMIC) {
        doc = fa_dyn(c, &a[1]);
        sp_str t;
        if (dyn_is_str(doc, &t)) doc = kql_dyn_parse_lenient(c->arena, t.p, t.n);
    } else {
        sp_str t = fa_str(c, &a[1]);
        doc = kql_dyn_parse_lenient(c->arena, t.p, t.n);
    }
    const kql_dyn *d = doc ? jpath_eval(jp, doc) : NULL;
    if (!d || d->kind == KQL_DYN_NULL) {
        kql_set_null(out);
        if (out->type == KQL_STRING) kql_set_str(out, (sp_str){"", 0});
        return;
    }
    if (out->type == KQL_DYNAMIC) {
        fn_set_dyn(out, d);
        return;
    }
    kql_value dv = {.type = KQL_DYNAMIC};
    dv.u.d = d;
    convert_text(c, fa_str(c, &dv), out->type, out);
}

static const kql_fn FNS[] = {
    {"extract", KQL_FN_SCALAR, "s,i,s,a?", NULL, bind_extract, fn_extract_vec, fn_extract, NULL, KQL_FNF_NULLS_IN,
     NULL},
    {"extract_all", KQL_FN_SCALAR, "s,a,s?", NULL, bind_extract_all, NULL, fn_extract_all, NULL, 0, NULL},
    {"extractall", KQL_FN_SCALAR, "s,a,s?", NULL, bind_extract_all, NULL, fn_extract_all, NULL, 0, NULL},
    {"replace_regex", KQL_FN_SCALAR, "s,s,s", NULL, bind_replace_regex, NULL, fn_replace_regex, NULL, 0, NULL},
    {"replace", KQL_FN_SCALAR, "s,s,s", NULL, bind_replace, NULL, fn_replace, NULL, 0, NULL},
    {"indexof_regex", KQL_FN_SCALAR, "a,s,i?,i?,i?", NULL, bind_indexof_regex, NULL, fn_indexof_regex, NULL, 0, NULL},
    {"extractjson", KQL_FN_SCALAR, "s,s,a?", NULL, bind_extractjson, NULL, fn_extractjson, NULL, KQL_FNF_NULLS_IN, NULL},
    {"extract_json", KQL_FN_SCALAR, "s,s,a?", NULL, bind_extractjson, NULL, fn_extractjson, NULL, KQL_FNF_NULLS_IN, NULL},
};

KQL_FN_TABLE(kql_fns_regex, FNS);
