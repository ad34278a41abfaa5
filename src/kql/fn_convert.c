/* Conversion functions: toint, tolong, toreal/todouble, todecimal, tobool,
 * toguid, todynamic/parse_json (and old spellings), tohex. */
#include "fn_util.h"

#include <math.h>
#include <stdio.h>

/* .NET ticks of the Unix epoch: tolong(datetime) counts from 0001-01-01. */
#define NET_EPOCH_TICKS 621355968000000000LL

/* The scalar inside a dynamic argument (or the argument itself). */
static bool scalar_of(const kql_value *v, kql_value *s) {
    if (fa_isnull(v)) return false;
    if (v->type == KQL_DYNAMIC) {
        kql_dyn_to_value(v->u.d, s);
        return !s->null && s->type != KQL_DYNAMIC;
    }
    *s = *v;
    return true;
}

/* tolong(value) : long. Strings parse as integers (or reals, truncated);
 * reals truncate toward zero; bools are 0/1; datetimes give .NET ticks
 * (100 ns since 0001-01-01) and timespans their ticks. */
static bool to_long(const kql_value *v, int64_t *out) {
    kql_value s, r;
    if (!scalar_of(v, &s)) return false;
    switch (s.type) {
    case KQL_DATETIME: *out = s.u.i + NET_EPOCH_TICKS; return true;
    case KQL_TIMESPAN: *out = s.u.i; return true;
    case KQL_REAL:
    case KQL_DECIMAL:
        if (!isfinite(s.u.r) || fabs(s.u.r) >= 9.223372036854775807e18) return false;
        *out = (int64_t)s.u.r;
        return true;
    case KQL_GUID: return false;
    default:
        if (!kql_convert(NULL, &s, KQL_LONG, &r)) return false;
        *out = r.u.i;
        return true;
    }
}

static void fn_tolong(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    int64_t x;
    if (to_long(&a[0], &x)) kql_set_long(out, x);
    else kql_set_null(out);
}

/* toint(value) : int; null when the value is outside the 32-bit range */
static void fn_toint(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    int64_t x;
    if (to_long(&a[0], &x) && x >= INT32_MIN && x <= INT32_MAX) kql_set_long(out, x);
    else kql_set_null(out);
}

/* toreal(value) : real. Strings parse as numbers ("NaN", "Infinity" too). */
static void fn_toreal(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    kql_value s, r;
    if (!scalar_of(&a[0], &s)) {
        kql_set_null(out);
        return;
    }
    if (s.type == KQL_DATETIME) {
        kql_set_real(out, (double)(s.u.i + NET_EPOCH_TICKS));
        return;
    }
    if (s.type == KQL_GUID || !kql_convert(NULL, &s, KQL_REAL, &r)) {
        kql_set_null(out);
        return;
    }
    kql_set_real(out, r.u.r);
}

/* tobool(value) : bool. "true"/"false" in any case, numbers (non-zero is true). */
static void fn_tobool(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    kql_value s, r;
    if (!scalar_of(&a[0], &s)) {
        kql_set_null(out);
        return;
    }
    if (s.type == KQL_STRING) {
        sp_str t = s.u.s;
        while (t.n && (*t.p == ' ' || *t.p == '\t')) t.p++, t.n--;
        while (t.n && (t.p[t.n - 1] == ' ' || t.p[t.n - 1] == '\t')) t.n--;
        s.u.s = t;
    }
    if (!kql_convert(NULL, &s, KQL_BOOL, &r)) {
        kql_set_null(out);
        return;
    }
    kql_set_bool(out, r.u.b);
}

/* toguid(value) : guid, from its text form; null otherwise */
static void fn_toguid(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    kql_value s;
    if (!scalar_of(&a[0], &s)) {
        kql_set_null(out);
        return;
    }
    if (s.type == KQL_GUID) {
        out->null = false;
        out->u.g = s.u.g;
        return;
    }
    sp_str t = fa_str(c, &s);
    kql_guid g;
    memset(&g, 0, sizeof g);
    if (s.type != KQL_STRING || !kql_parse_guid(t.p, t.n, &g)) {
        kql_set_null(out);
        return;
    }
    out->null = false;
    out->u.g = g;
}

/* parse_json(text) : dynamic. JSON text becomes its value; other text
 * becomes a dynamic string; the empty string is null; a dynamic argument is
 * returned as is (a dynamic string is not parsed again). */
static void fn_parse_json(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    if (a[0].type == KQL_DYNAMIC) {
        fn_set_dyn(out, a[0].u.d);
        return;
    }
    if (a[0].type != KQL_STRING) {
        fn_set_dyn(out, fa_dyn(c, &a[0]));
        return;
    }
    sp_str s = a[0].u.s;
    if (s.n == 0) {
        kql_set_null(out);
        return;
    }
    const kql_dyn *d = kql_dyn_parse_lenient(c->arena, s.p, s.n);
    if (!d) d = dyn_box(c->arena, dyn_str(c->arena, s.p, s.n));
    fn_set_dyn(out, d);
}
FN_VEC_DICT(fn_parse_json_vec, fn_parse_json, false)

/* tohex(value [, minLength]) : string, lowercase; negative numbers in two's
 * complement (64 bits, or 32 for an int); padded with zeros to minLength. */
static void fn_tohex(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    int64_t v, minlen = 0;
    if (!fa_long(&a[0], &v)) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    if (n > 1 && !fa_isnull(&a[1])) fa_long(&a[1], &minlen);
    if (minlen > 64) minlen = 64;
    uint64_t u = a[0].type == KQL_INT ? (uint64_t)(uint32_t)(int32_t)v : (uint64_t)v;
    char tmp[80];
    int k = snprintf(tmp, sizeof tmp, "%llx", (unsigned long long)u);
    char *p = kql_falloc(c, 80);
    int pad = minlen > k ? (int)minlen - k : 0;
    memset(p, '0', (size_t)pad);
    memcpy(p + pad, tmp, (size_t)k);
    kql_set_str(out, (sp_str){p, (size_t)(pad + k)});
}

FN_VEC_DICT(fn_tolong_vec, fn_tolong, false)
FN_VEC_DICT(fn_toint_vec, fn_toint, false)
FN_VEC_DICT(fn_toreal_vec, fn_toreal, false)

#define NAME0 KQL_FNF_NAME_ARG0
static const kql_fn FNS[] = {
    {"tolong", KQL_FN_SCALAR, "a", "long", NULL, fn_tolong_vec, fn_tolong, NULL, NAME0, NULL},
    {"toint", KQL_FN_SCALAR, "a", "int", NULL, fn_toint_vec, fn_toint, NULL, NAME0, NULL},
    {"toreal", KQL_FN_SCALAR, "a", "real", NULL, fn_toreal_vec, fn_toreal, NULL, NAME0, NULL},
    {"todouble", KQL_FN_SCALAR, "a", "real", NULL, fn_toreal_vec, fn_toreal, NULL, NAME0, NULL},
    {"todecimal", KQL_FN_SCALAR, "a", "decimal", NULL, NULL, fn_toreal, NULL, NAME0, NULL},
    {"tobool", KQL_FN_SCALAR, "a", "bool", NULL, NULL, fn_tobool, NULL, NAME0, NULL},
    {"toboolean", KQL_FN_SCALAR, "a", "bool", NULL, NULL, fn_tobool, NULL, NAME0, NULL},
    {"toguid", KQL_FN_SCALAR, "s", "guid", NULL, NULL, fn_toguid, NULL, NAME0, NULL},
    {"parse_json", KQL_FN_SCALAR, "s", "dynamic", NULL, fn_parse_json_vec, fn_parse_json, NULL, NAME0, NULL},
    {"parsejson", KQL_FN_SCALAR, "s", "dynamic", NULL, fn_parse_json_vec, fn_parse_json, NULL, NAME0, NULL},
    {"todynamic", KQL_FN_SCALAR, "s", "dynamic", NULL, fn_parse_json_vec, fn_parse_json, NULL, NAME0, NULL},
    {"toobject", KQL_FN_SCALAR, "s", "dynamic", NULL, fn_parse_json_vec, fn_parse_json, NULL, NAME0, NULL},
    {"tohex", KQL_FN_SCALAR, "i,i?", "string", NULL, NULL, fn_tohex, NULL, NAME0, NULL},
};

KQL_FN_TABLE(kql_fns_convert, FNS);
