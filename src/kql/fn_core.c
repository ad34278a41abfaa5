/* Core scalar functions the engine leans on most (now, ago, bin, tostring,
 * tolower/toupper, strlen, isempty...), vectorized where queries are hot. */
#include "kql_int.h"

#include <math.h>

/* now([offset]) : datetime */
static void fn_now(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    int64_t off = n ? a[0].u.i : 0;
    kql_set_long(out, c->q->now + off);
}

/* ago(timespan) : datetime = now() - timespan */
static void fn_ago(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    kql_set_long(out, c->q->now - a[0].u.i);
}

/* bin(value, roundTo): rounds down to a multiple of roundTo. Datetimes bin
 * on ticks counted from 0001-01-01 (Kusto's datetime origin), so 7d bins
 * start on Mondays; numbers and timespans bin from 0. A null or non-positive
 * roundTo gives null. */
static int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static void bin_value(const kql_value *v, const kql_value *step, kql_value *out) {
    switch (v->type) {
    case KQL_DATETIME: {
        int64_t s = step->type == KQL_TIMESPAN ? step->u.i : kql_int(step);
        if (s <= 0) { kql_set_null(out); return; }
        /* anchor at 0001-01-01 as Kusto does (ticks since year 1) */
        int64_t rel = v->u.i - SP_DT_MIN;
        kql_set_long(out, floor_div(rel, s) * s + SP_DT_MIN);
        return;
    }
    case KQL_TIMESPAN: {
        int64_t s = step->type == KQL_TIMESPAN ? step->u.i : kql_int(step);
        if (s <= 0) { kql_set_null(out); return; }
        kql_set_long(out, floor_div(v->u.i, s) * s);
        return;
    }
    case KQL_INT:
    case KQL_LONG:
        if (step->type == KQL_REAL || step->type == KQL_DECIMAL) {
            double s = step->u.r;
            if (!(s > 0)) { kql_set_null(out); return; }
            kql_set_long(out, (int64_t)(floor((double)v->u.i / s) * s));
        } else {
            int64_t s = kql_int(step);
            if (s <= 0) { kql_set_null(out); return; }
            kql_set_long(out, floor_div(v->u.i, s) * s);
        }
        return;
    case KQL_REAL:
    case KQL_DECIMAL: {
        double s = kql_num(step);
        if (!(s > 0)) { kql_set_null(out); return; }
        kql_set_real(out, floor(v->u.r / s) * s);
        return;
    }
    default: kql_set_null(out); return;
    }
}

static void fn_bin_row(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c;
    (void)n;
    bin_value(&a[0], &a[1], out);
}

/* vectorized bin for datetime/timespan/long columns with a constant step */
static void fn_bin_vec(kql_fctx *c, kql_col *const *a, size_t nargs, size_t n, kql_col *out) {
    (void)nargs;
    const kql_col *v = a[0], *st = a[1];
    bool fast = (st->flags & KQL_COL_CONST) && !(v->flags & KQL_COL_CONST) && !kql_col_isnull(st, 0) &&
                (v->type == KQL_DATETIME || v->type == KQL_TIMESPAN || v->type == KQL_LONG) &&
                (st->type == KQL_TIMESPAN || st->type == KQL_LONG || st->type == KQL_INT);
    if (fast) {
        int64_t s = st->type == KQL_INT ? st->v.i32[0] : st->v.i64[0];
        if (s > 0) {
            int64_t anchor = v->type == KQL_DATETIME ? SP_DT_MIN : 0;
            const int64_t *in = v->v.i64;
            int64_t *o = out->v.i64;
            for (size_t i = 0; i < n; i++) o[i] = floor_div(in[i] - anchor, s) * s + anchor;
            out->nulls = v->nulls;
            return;
        }
    }
    for (size_t i = 0; i < n; i++) {
        kql_value x, y, r;
        kql_col_get(v, i, &x);
        kql_col_get(st, i, &y);
        memset(&r, 0, sizeof r);
        r.type = out->type;
        if (x.null || y.null) r.null = true;
        else bin_value(&x, &y, &r);
        kql_col_set(c->arena, out, i, &r);
    }
}

/* tostring(value) : string */
static void fn_tostring(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    kql_set_str(out, kql_value_str(c->arena, &a[0]));
}

static void case_map(kql_fctx *c, sp_str s, bool upper, kql_value *out) {
    char *p = kql_falloc(c, s.n);
    for (size_t i = 0; i < s.n; i++) {
        unsigned char ch = (unsigned char)s.p[i];
        if (upper && ch >= 'a' && ch <= 'z') ch -= 32;
        else if (!upper && ch >= 'A' && ch <= 'Z') ch += 32;
        p[i] = (char)ch;
    }
    kql_set_str(out, (sp_str){p, s.n});
}

static void fn_tolower(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    case_map(c, kql_value_str(c->arena, &a[0]), false, out);
}

static void fn_toupper(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    case_map(c, kql_value_str(c->arena, &a[0]), true, out);
}

/* strlen(string) : long, in Unicode code points */
static void fn_strlen(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = kql_value_str(c->arena, &a[0]);
    int64_t count = 0;
    for (size_t i = 0; i < s.n; i++)
        if (((unsigned char)s.p[i] & 0xC0) != 0x80) count++;
    kql_set_long(out, count);
}

/* isempty(x): true for null and the empty string; isnotempty the negation */
static bool empty_value(const kql_value *v) {
    if (v->type == KQL_STRING) return v->u.s.n == 0;
    if (v->null) return true;
    if (v->type == KQL_DYNAMIC) {
        const kql_dyn *d = v->u.d;
        return !d || d->kind == KQL_DYN_NULL || (d->kind == KQL_DYN_STRING && d->n == 0);
    }
    return false;
}

static void fn_isempty(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    kql_set_bool(out, empty_value(&a[0]));
}

static void fn_isnotempty(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    kql_set_bool(out, !empty_value(&a[0]));
}

/* vectorized isnotempty/isempty on string columns (dictionary aware) */
static void empty_vec(kql_col *const *a, size_t n, kql_col *out, bool want_empty) {
    const kql_col *s = a[0];
    if (s->type == KQL_STRING && !(s->flags & KQL_COL_CONST)) {
        if (s->flags & KQL_COL_DICT) {
            for (size_t i = 0; i < n; i++) out->v.b[i] = (s->dict->s[s->v.codes[i]].n == 0) == want_empty;
        } else {
            for (size_t i = 0; i < n; i++) out->v.b[i] = (s->v.s[i].n == 0) == want_empty;
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        kql_value v;
        kql_col_get(s, i, &v);
        out->v.b[i] = empty_value(&v) == want_empty;
    }
}

static void fn_isempty_vec(kql_fctx *c, kql_col *const *a, size_t na, size_t n, kql_col *out) {
    (void)c, (void)na;
    empty_vec(a, n, out, true);
}

static void fn_isnotempty_vec(kql_fctx *c, kql_col *const *a, size_t na, size_t n, kql_col *out) {
    (void)c, (void)na;
    empty_vec(a, n, out, false);
}

/* isnull(x): true for null values (a string is never null) */
static void fn_isnull(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    kql_set_bool(out, a[0].type != KQL_STRING && a[0].null);
}

static void fn_isnotnull(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    kql_set_bool(out, !(a[0].type != KQL_STRING && a[0].null));
}

/* strcat(a1, a2, ...) : string of the arguments' text forms */
static void fn_strcat(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    size_t total = 0;
    sp_str parts[64];
    sp_str *ps = n <= 64 ? parts : (sp_str *)kql_falloc(c, n * sizeof(sp_str));
    for (size_t i = 0; i < n; i++) {
        ps[i] = kql_value_str(c->arena, &a[i]);
        total += ps[i].n;
    }
    char *p = kql_falloc(c, total);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (ps[i].n) memcpy(p + k, ps[i].p, ps[i].n);
        k += ps[i].n;
    }
    kql_set_str(out, (sp_str){p, total});
}

/* __pack_columns(col...): a property bag of the named columns (pack_all and
 * bag_pack_columns bind to it); names in call->aux, call->op set = skip empty. */
static void fn_pack_columns(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    const char **names = c->call->aux;
    bool skip_empty = c->call->op != 0;
    kql_dyn_kv *kv = n ? (kql_dyn_kv *)kql_falloc(c, n * sizeof *kv) : NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool empty = a[i].type == KQL_STRING ? a[i].u.s.n == 0 : a[i].null;
        if (skip_empty && empty) continue;
        kv[k].key = names[i];
        kv[k].klen = (uint32_t)strlen(names[i]);
        kv[k].val = *kql_value_to_dyn(c->arena, &a[i]);
        k++;
    }
    kql_dyn *d = (kql_dyn *)kql_falloc(c, sizeof *d);
    d->kind = KQL_DYN_BAG;
    d->n = (uint32_t)k;
    d->u.kv = kv;
    out->null = false;
    out->u.d = d;
}

static const kql_fn FNS[] = {
    {"__pack_columns", KQL_FN_SPECIAL, "a*", "dynamic", NULL, NULL, fn_pack_columns, NULL, KQL_FNF_NULLS_IN, NULL},
    {"now", KQL_FN_SCALAR, "t?", "datetime", NULL, NULL, fn_now, NULL, KQL_FNF_NOW, NULL},
    {"ago", KQL_FN_SCALAR, "t", "datetime", NULL, NULL, fn_ago, NULL, KQL_FNF_NOW, NULL},
    {"bin", KQL_FN_SCALAR, "x,a", "=0", NULL, fn_bin_vec, fn_bin_row, NULL, KQL_FNF_NAME_ARG0, NULL},
    {"floor", KQL_FN_SCALAR, "x,a", "=0", NULL, fn_bin_vec, fn_bin_row, NULL, KQL_FNF_NAME_ARG0, NULL},
    {"tostring", KQL_FN_SCALAR, "a", "string", NULL, NULL, fn_tostring, NULL, KQL_FNF_NULLS_IN | KQL_FNF_NAME_ARG0, NULL},
    {"tolower", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_tolower, NULL, KQL_FNF_NAME_ARG0, NULL},
    {"toupper", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_toupper, NULL, KQL_FNF_NAME_ARG0, NULL},
    {"strlen", KQL_FN_SCALAR, "s", "long", NULL, NULL, fn_strlen, NULL, 0, NULL},
    {"isempty", KQL_FN_SCALAR, "a", "bool", NULL, fn_isempty_vec, fn_isempty, NULL, KQL_FNF_NULLS_IN, NULL},
    {"isnotempty", KQL_FN_SCALAR, "a", "bool", NULL, fn_isnotempty_vec, fn_isnotempty, NULL, KQL_FNF_NULLS_IN, NULL},
    {"notempty", KQL_FN_SCALAR, "a", "bool", NULL, fn_isnotempty_vec, fn_isnotempty, NULL, KQL_FNF_NULLS_IN, NULL},
    {"isnull", KQL_FN_SCALAR, "a", "bool", NULL, NULL, fn_isnull, NULL, KQL_FNF_NULLS_IN, NULL},
    {"isnotnull", KQL_FN_SCALAR, "a", "bool", NULL, NULL, fn_isnotnull, NULL, KQL_FNF_NULLS_IN, NULL},
    {"notnull", KQL_FN_SCALAR, "a", "bool", NULL, NULL, fn_isnotnull, NULL, KQL_FNF_NULLS_IN, NULL},
    {"strcat", KQL_FN_SCALAR, "a,a*", "string", NULL, NULL, fn_strcat, NULL, KQL_FNF_NULLS_IN, NULL},
};

KQL_FN_TABLE(kql_fns_core, FNS);
