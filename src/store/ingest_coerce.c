/* Ingestion's value rules: converting an input field (JSON or CSV text) or a
 * value of another type to a column's type, and the type inference of --create. */
#include "store_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static sp_str trim(const char *p, size_t n) {
    while (n && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')) p++, n--;
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r' || p[n - 1] == '\n')) n--;
    return (sp_str){p, n};
}

bool ing_parse_long(const char *p, size_t n, int64_t *out) {
    sp_str s = trim(p, n);
    if (!s.n) return false;
    size_t i = 0;
    bool neg = false;
    if (s.p[0] == '-' || s.p[0] == '+') neg = s.p[0] == '-', i++;
    if (i == s.n) return false;
    uint64_t v = 0;
    for (; i < s.n; i++) {
        unsigned d = (unsigned)(s.p[i] - '0');
        if (d > 9) break;
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    if (i < s.n) {
        /* "443.0": an integral real written by pandas and friends */
        if (s.p[i] != '.') return false;
        i++;
        for (; i < s.n; i++)
            if (s.p[i] != '0') return false;
    }
    if (neg ? v > (uint64_t)INT64_MAX + 1 : v > (uint64_t)INT64_MAX) return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

bool ing_parse_real(const char *p, size_t n, double *out) {
    sp_str s = trim(p, n);
    if (!s.n || s.n > 400) return false;
    char tmp[408];
    memcpy(tmp, s.p, s.n);
    tmp[s.n] = 0;
    if (strcmp(tmp, "NaN") == 0 || strcmp(tmp, "nan") == 0) { *out = NAN; return true; }
    if (strcmp(tmp, "Infinity") == 0 || strcmp(tmp, "inf") == 0) { *out = INFINITY; return true; }
    if (strcmp(tmp, "-Infinity") == 0 || strcmp(tmp, "-inf") == 0) { *out = -INFINITY; return true; }
    /* digits, sign, point and exponent only: strtod would also take hex and "infinity" */
    for (size_t i = 0; i < s.n; i++) {
        char c = tmp[i];
        if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'))
            return false;
    }
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end != tmp + s.n) return false;
    *out = v;
    return true;
}

static int hexv(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool ing_parse_guid(const char *p, size_t n, kql_guid *g) {
    sp_str s = trim(p, n);
    p = s.p, n = s.n;
    if (n >= 2 && p[0] == '{' && p[n - 1] == '}') p++, n -= 2;
    if (n != 32 && n != 36) return false;
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        if (n == 36 && (i == 8 || i == 13 || i == 18 || i == 23)) {
            if (p[i] != '-') return false;
            continue;
        }
        int h = hexv(p[i]);
        if (h < 0) return false;
        if (k & 1) g->b[k / 2] |= (uint8_t)h;
        else g->b[k / 2] = (uint8_t)(h << 4);
        k++;
    }
    return k == 32;
}

static bool parse_bool(const char *p, size_t n, bool *out) {
    sp_str s = trim(p, n);
    if (sp_str_ieqc(s, "true") || sp_str_eqc(s, "1")) { *out = true; return true; }
    if (sp_str_ieqc(s, "false") || sp_str_eqc(s, "0")) { *out = false; return true; }
    return false;
}

static void quote_for(char *why, size_t whyn, const char *p, size_t n, const char *what) {
    char shown[48];
    size_t k = n < 40 ? n : 40;
    size_t j = 0;
    for (size_t i = 0; i < k && j + 1 < sizeof shown; i++)
        shown[j++] = (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '?';
    shown[j] = 0;
    snprintf(why, whyn, "'%s%s' is not %s", shown, n > k ? "..." : "", what);
}

static bool looks_like_json(sp_str s) { return s.n && (s.p[0] == '{' || s.p[0] == '['); }

/* Text (a CSV cell or a JSON string) into type t. */
static bool coerce_text(const char *p, size_t n, kql_type t, bool from_csv, sp_arena *arena,
                        kql_value *out, char *why, size_t whyn) {
    sp_str s = trim(p, n);
    out->type = t;
    if (t == KQL_STRING) {
        out->u.s = (sp_str){p, n};
        return true;
    }
    if (s.n == 0) {
        out->null = true;
        return true;
    }
    switch (t) {
    case KQL_BOOL:
        if (parse_bool(s.p, s.n, &out->u.b)) return true;
        quote_for(why, whyn, s.p, s.n, "a bool");
        return false;
    case KQL_INT: {
        int64_t v;
        if (ing_parse_long(s.p, s.n, &v) && v >= INT32_MIN && v <= INT32_MAX) {
            out->u.i = v;
            return true;
        }
        quote_for(why, whyn, s.p, s.n, "an int");
        return false;
    }
    case KQL_LONG:
        if (ing_parse_long(s.p, s.n, &out->u.i)) return true;
        quote_for(why, whyn, s.p, s.n, "a long");
        return false;
    case KQL_REAL:
    case KQL_DECIMAL:
        if (ing_parse_real(s.p, s.n, &out->u.r)) return true;
        quote_for(why, whyn, s.p, s.n, "a number");
        return false;
    case KQL_DATETIME:
        if (sp_parse_datetime(s.p, s.n, &out->u.i)) return true;
        quote_for(why, whyn, s.p, s.n, "a datetime");
        return false;
    case KQL_TIMESPAN:
        if (sp_parse_timespan(s.p, s.n, &out->u.i)) return true;
        quote_for(why, whyn, s.p, s.n, "a timespan");
        return false;
    case KQL_GUID:
        if (ing_parse_guid(s.p, s.n, &out->u.g)) return true;
        quote_for(why, whyn, s.p, s.n, "a guid");
        return false;
    case KQL_DYNAMIC: {
        /* JSON text into dynamic; other text stays a string (parse_json rules).
         * A CSV cell has no types, so "5" or "true" there become numbers/bools. */
        const kql_dyn *d = NULL;
        if (looks_like_json(s) || from_csv) d = kql_dyn_parse_lenient(arena, s.p, s.n);
        if (!d) {
            kql_dyn *sd = SP_NEW(arena, kql_dyn);
            sd->kind = KQL_DYN_STRING;
            sd->n = (uint32_t)SP_MIN(n, UINT32_MAX);
            sd->u.s = sp_arena_strndup(arena, p, sd->n);
            d = sd;
        }
        out->u.d = d;
        return true;
    }
    default:
        snprintf(why, whyn, "unsupported column type");
        return false;
    }
}

bool ing_coerce(const ing_field *f, kql_type t, sp_arena *arena, int max_depth, kql_value *out,
                char *why, size_t whyn) {
    memset(out, 0, sizeof *out);
    out->type = t;
    switch ((ing_kind)f->kind) {
    case ING_NULL:
        if (t == KQL_STRING) out->u.s = (sp_str){"", 0};
        else out->null = true;
        return true;
    case ING_TRUE:
    case ING_FALSE: {
        bool b = f->kind == ING_TRUE;
        switch (t) {
        case KQL_BOOL: out->u.b = b; return true;
        case KQL_STRING: out->u.s = b ? SP_STR("true") : SP_STR("false"); return true;
        case KQL_INT:
        case KQL_LONG: out->u.i = b; return true;
        case KQL_REAL:
        case KQL_DECIMAL: out->u.r = b; return true;
        case KQL_DYNAMIC: {
            kql_dyn *d = SP_NEW(arena, kql_dyn);
            d->kind = KQL_DYN_BOOL;
            d->u.b = b;
            out->u.d = d;
            return true;
        }
        default: quote_for(why, whyn, f->text.p, f->text.n, kql_type_name(t)); return false;
        }
    }
    case ING_NUM:
        switch (t) {
        case KQL_STRING: out->u.s = f->text; return true;
        case KQL_BOOL: {
            double r;
            if (ing_parse_real(f->text.p, f->text.n, &r) && (r == 0 || r == 1)) {
                out->u.b = r == 1;
                return true;
            }
            quote_for(why, whyn, f->text.p, f->text.n, "a bool");
            return false;
        }
        case KQL_DYNAMIC: {
            const kql_dyn *d = kql_dyn_parse(arena, f->text.p, f->text.n, NULL);
            if (!d) { quote_for(why, whyn, f->text.p, f->text.n, "a number"); return false; }
            out->u.d = d;
            return true;
        }
        case KQL_DATETIME:
        case KQL_TIMESPAN:
        case KQL_GUID:
            quote_for(why, whyn, f->text.p, f->text.n, t == KQL_GUID ? "a guid" : t == KQL_DATETIME ? "a datetime (numbers are not read as dates)" : "a timespan");
            return false;
        default: return coerce_text(f->text.p, f->text.n, t, false, arena, out, why, whyn);
        }
    case ING_STR: return coerce_text(f->text.p, f->text.n, t, false, arena, out, why, whyn);
    case ING_TEXT: return coerce_text(f->text.p, f->text.n, t, true, arena, out, why, whyn);
    case ING_JSON:
        if (t == KQL_STRING) {
            out->u.s = f->text;
            return true;
        }
        if (t == KQL_DYNAMIC) {
            sp_err e = {0};
            (void)max_depth;
            const kql_dyn *d = kql_dyn_parse(arena, f->text.p, f->text.n, &e);
            if (!d) { snprintf(why, whyn, "%s", e.msg); return false; }
            out->u.d = d;
            return true;
        }
        snprintf(why, whyn, "a JSON %s is not %s", f->text.n && f->text.p[0] == '[' ? "array" : "object",
                 kql_type_name(t));
        return false;
    }
    snprintf(why, whyn, "bad field");
    return false;
}

bool ing_coerce_value(const kql_value *v, kql_type t, sp_arena *arena, kql_value *out, char *why,
                      size_t whyn) {
    memset(out, 0, sizeof *out);
    out->type = t;
    if (v->type == t) {
        *out = *v;
        if (t == KQL_STRING) out->null = false;
        return true;
    }
    if (v->null || v->type == KQL_UNKNOWN) {
        if (t == KQL_STRING) out->u.s = (sp_str){"", 0};
        else out->null = true;
        return true;
    }
    if (v->type == KQL_STRING) return coerce_text(v->u.s.p, v->u.s.n, t, false, arena, out, why, whyn);
    switch (t) {
    case KQL_INT:
        if (v->type == KQL_LONG && v->u.i >= INT32_MIN && v->u.i <= INT32_MAX) { out->u.i = v->u.i; return true; }
        if (v->type == KQL_BOOL) { out->u.i = v->u.b; return true; }
        if ((v->type == KQL_REAL || v->type == KQL_DECIMAL) && v->u.r == floor(v->u.r) &&
            fabs(v->u.r) <= 2147483647.0) { out->u.i = (int64_t)v->u.r; return true; }
        break;
    case KQL_LONG:
        if (v->type == KQL_INT) { out->u.i = v->u.i; return true; }
        if (v->type == KQL_BOOL) { out->u.i = v->u.b; return true; }
        if ((v->type == KQL_REAL || v->type == KQL_DECIMAL) && v->u.r == floor(v->u.r) &&
            fabs(v->u.r) < 9.2e18) { out->u.i = (int64_t)v->u.r; return true; }
        break;
    case KQL_REAL:
    case KQL_DECIMAL:
        if (v->type == KQL_INT || v->type == KQL_LONG) { out->u.r = (double)v->u.i; return true; }
        if (v->type == KQL_REAL || v->type == KQL_DECIMAL) { out->u.r = v->u.r; return true; }
        break;
    case KQL_STRING: {
        sp_buf b;
        sp_buf_init(&b, 0);
        kql_dyn tmp = {0};
        const kql_dyn *d = NULL;
        switch (v->type) {
        case KQL_BOOL: sp_buf_puts(&b, v->u.b ? "true" : "false"); break;
        case KQL_INT:
        case KQL_LONG: sp_buf_printf(&b, "%lld", (long long)v->u.i); break;
        case KQL_REAL:
        case KQL_DECIMAL: tmp.kind = KQL_DYN_REAL; tmp.u.r = v->u.r; d = &tmp; break;
        case KQL_DATETIME: { char t40[40]; sp_buf_put(&b, t40, sp_format_datetime(v->u.i, t40)); break; }
        case KQL_TIMESPAN: { char t40[40]; sp_buf_put(&b, t40, sp_format_timespan(v->u.i, t40)); break; }
        case KQL_GUID: tmp.kind = KQL_DYN_GUID; tmp.u.g = v->u.g; d = &tmp; break;
        case KQL_DYNAMIC: d = v->u.d; break;
        default: break;
        }
        if (d) {
            kql_dyn_to_json(d, &b);
            /* a guid/real serialized as JSON: drop the quotes of a JSON string */
            if (d->kind == KQL_DYN_GUID && b.n >= 2) { memmove(b.p, b.p + 1, b.n - 2); b.n -= 2; }
        }
        out->u.s.p = sp_arena_strndup(arena, b.p ? b.p : "", b.n);
        out->u.s.n = b.n;
        sp_buf_free(&b);
        return true;
    }
    case KQL_DYNAMIC: {
        kql_dyn *d = SP_NEW(arena, kql_dyn);
        switch (v->type) {
        case KQL_BOOL: d->kind = KQL_DYN_BOOL; d->u.b = v->u.b; break;
        case KQL_INT:
        case KQL_LONG: d->kind = KQL_DYN_LONG; d->u.i = v->u.i; break;
        case KQL_REAL:
        case KQL_DECIMAL: d->kind = KQL_DYN_REAL; d->u.r = v->u.r; break;
        case KQL_DATETIME: d->kind = KQL_DYN_DATETIME; d->u.i = v->u.i; break;
        case KQL_TIMESPAN: d->kind = KQL_DYN_TIMESPAN; d->u.i = v->u.i; break;
        case KQL_GUID: d->kind = KQL_DYN_GUID; d->u.g = v->u.g; break;
        default: d->kind = KQL_DYN_NULL; break;
        }
        out->u.d = d;
        return true;
    }
    case KQL_DATETIME:
    case KQL_TIMESPAN:
        if (v->type == KQL_LONG && t == KQL_TIMESPAN) { out->u.i = v->u.i; return true; }
        break;
    case KQL_BOOL:
        if ((v->type == KQL_INT || v->type == KQL_LONG) && (v->u.i == 0 || v->u.i == 1)) {
            out->u.b = v->u.i == 1;
            return true;
        }
        break;
    default: break;
    }
    snprintf(why, whyn, "a %s value does not convert to %s", kql_type_name(v->type), kql_type_name(t));
    return false;
}

/* ------------------------------------------------------------ inference */

static bool looks_like_date(sp_str s) {
    /* a date has a separator between digits: "2024-01-02", "1/2/2024", "Tue, 02 Jan 2024" */
    if (s.n < 8 || s.n > 64) return false;
    int digits = 0;
    bool sep = false;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c >= '0' && c <= '9') digits++;
        else if (c == '-' || c == '/' || c == ' ' || c == ':') sep = true;
    }
    return sep && digits >= 6;
}

static kql_type text_type(sp_str s, bool from_csv, int max_depth) {
    s = trim(s.p, s.n);
    if (!s.n) return KQL_UNKNOWN;
    if (from_csv) {
        bool b;
        int64_t l;
        double r;
        if (sp_str_ieqc(s, "true") || sp_str_ieqc(s, "false")) return KQL_BOOL;
        (void)b;
        if (ing_parse_long(s.p, s.n, &l)) {
            /* "443.0" stays real in inference: pandas wrote it from a float */
            return memchr(s.p, '.', s.n) ? KQL_REAL : KQL_LONG;
        }
        if (ing_parse_real(s.p, s.n, &r)) return KQL_REAL;
    }
    int64_t t;
    if (looks_like_date(s) && sp_parse_datetime(s.p, s.n, &t)) return KQL_DATETIME;
    if (looks_like_json(s)) {
        const char *q = s.p;
        if (ing_json_skip(&q, s.p + s.n, 0, max_depth)) {
            while (q < s.p + s.n && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')) q++;
            if (q == s.p + s.n) return KQL_DYNAMIC;
        }
    }
    return KQL_STRING;
}

kql_type ing_natural_type(const ing_field *f, int max_depth) {
    switch ((ing_kind)f->kind) {
    case ING_NULL: return KQL_UNKNOWN;
    case ING_TRUE:
    case ING_FALSE: return KQL_BOOL;
    case ING_NUM: {
        for (size_t i = 0; i < f->text.n; i++)
            if (f->text.p[i] == '.' || f->text.p[i] == 'e' || f->text.p[i] == 'E') return KQL_REAL;
        int64_t v;
        return ing_parse_long(f->text.p, f->text.n, &v) ? KQL_LONG : KQL_REAL;
    }
    case ING_JSON: return KQL_DYNAMIC;
    case ING_STR: {
        kql_type t = text_type(f->text, false, max_depth);
        /* a JSON string holding JSON text: dynamic, as Sentinel exports do */
        return t;
    }
    case ING_TEXT: return text_type(f->text, true, max_depth);
    }
    return KQL_STRING;
}

kql_type ing_merge_types(kql_type a, kql_type b) {
    if (a == KQL_UNKNOWN) return b;
    if (b == KQL_UNKNOWN || a == b) return a;
    if ((a == KQL_LONG && b == KQL_REAL) || (a == KQL_REAL && b == KQL_LONG)) return KQL_REAL;
    if (a == KQL_DYNAMIC || b == KQL_DYNAMIC) {
        /* JSON values of several shapes fit a dynamic column, plain text does not */
        kql_type o = a == KQL_DYNAMIC ? b : a;
        return o == KQL_STRING || o == KQL_DATETIME ? KQL_STRING : KQL_DYNAMIC;
    }
    return KQL_STRING;
}
