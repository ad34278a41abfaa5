/* Scalar values: KQL's implicit conversions, the text form tostring() gives,
 * ordering, equality and hashing, deep copies, and dynamic <-> scalar. */
#include "kql_int.h"

#include <errno.h>
#include <math.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>

double kql_num(const kql_value *v) {
    switch (v->type) {
    case KQL_INT:
    case KQL_LONG:
    case KQL_DATETIME:
    case KQL_TIMESPAN: return (double)v->u.i;
    case KQL_REAL:
    case KQL_DECIMAL: return v->u.r;
    case KQL_BOOL: return v->u.b ? 1 : 0;
    case KQL_DYNAMIC: {
        kql_value s;
        kql_dyn_to_value(v->u.d, &s);
        return s.type == KQL_DYNAMIC || s.null ? NAN : kql_num(&s);
    }
    default: return NAN;
    }
}

int64_t kql_int(const kql_value *v) {
    switch (v->type) {
    case KQL_INT:
    case KQL_LONG:
    case KQL_DATETIME:
    case KQL_TIMESPAN: return v->u.i;
    case KQL_REAL:
    case KQL_DECIMAL: {
        double r = v->u.r;
        if (isnan(r)) return 0;
        if (r >= 9.2233720368547758e18) return INT64_MAX;
        if (r <= -9.2233720368547758e18) return INT64_MIN;
        return (int64_t)r;
    }
    case KQL_BOOL: return v->u.b;
    case KQL_DYNAMIC: {
        kql_value s;
        kql_dyn_to_value(v->u.d, &s);
        return s.type == KQL_DYNAMIC || s.null ? 0 : kql_int(&s);
    }
    default: return 0;
    }
}

void kql_dyn_to_value(const kql_dyn *d, kql_value *out) {
    memset(out, 0, sizeof *out);
    if (!d || d->kind == KQL_DYN_NULL) {
        out->type = KQL_DYNAMIC;
        out->null = true;
        return;
    }
    switch ((kql_dyn_kind)d->kind) {
    case KQL_DYN_BOOL: out->type = KQL_BOOL; out->u.b = d->u.b; break;
    case KQL_DYN_LONG: out->type = KQL_LONG; out->u.i = d->u.i; break;
    case KQL_DYN_REAL: out->type = KQL_REAL; out->u.r = d->u.r; break;
    case KQL_DYN_STRING: out->type = KQL_STRING; out->u.s = (sp_str){d->u.s, d->n}; break;
    case KQL_DYN_DATETIME: out->type = KQL_DATETIME; out->u.i = d->u.i; break;
    case KQL_DYN_TIMESPAN: out->type = KQL_TIMESPAN; out->u.i = d->u.i; break;
    case KQL_DYN_GUID: out->type = KQL_GUID; out->u.g = d->u.g; break;
    default: out->type = KQL_DYNAMIC; out->u.d = d; break; /* arrays and bags stay dynamic */
    }
}

const kql_dyn *kql_value_to_dyn(sp_arena *a, const kql_value *v) {
    kql_dyn *d = SP_NEW(a, kql_dyn);
    if (v->null) {
        d->kind = KQL_DYN_NULL;
        return d;
    }
    switch (v->type) {
    case KQL_BOOL: d->kind = KQL_DYN_BOOL; d->u.b = v->u.b; break;
    case KQL_INT:
    case KQL_LONG: d->kind = KQL_DYN_LONG; d->u.i = v->u.i; break;
    case KQL_REAL:
    case KQL_DECIMAL: d->kind = KQL_DYN_REAL; d->u.r = v->u.r; break;
    case KQL_STRING: d->kind = KQL_DYN_STRING; d->u.s = v->u.s.p ? v->u.s.p : ""; d->n = (uint32_t)v->u.s.n; break;
    case KQL_DATETIME: d->kind = KQL_DYN_DATETIME; d->u.i = v->u.i; break;
    case KQL_TIMESPAN: d->kind = KQL_DYN_TIMESPAN; d->u.i = v->u.i; break;
    case KQL_GUID: d->kind = KQL_DYN_GUID; d->u.g = v->u.g; break;
    case KQL_DYNAMIC: return v->u.d ? v->u.d : d;
    default: d->kind = KQL_DYN_NULL; break;
    }
    return d;
}

sp_str kql_value_str(sp_arena *a, const kql_value *v) {
    if (v->type == KQL_STRING) return v->u.s;
    if (v->null) return (sp_str){"", 0};
    char tmp[64];
    size_t n;
    switch (v->type) {
    case KQL_BOOL: return v->u.b ? SP_STR("true") : SP_STR("false");
    case KQL_INT:
    case KQL_LONG: n = (size_t)snprintf(tmp, sizeof tmp, "%lld", (long long)v->u.i); break;
    case KQL_REAL:
    case KQL_DECIMAL: {
        sp_buf b;
        sp_buf_init(&b, 0);
        kql_format_real(v->u.r, &b);
        sp_str s = {sp_arena_strndup(a, b.p, b.n), b.n};
        sp_buf_free(&b);
        return s;
    }
    case KQL_DATETIME: n = sp_format_datetime(v->u.i, tmp); break;
    case KQL_TIMESPAN: n = sp_format_timespan(v->u.i, tmp); break;
    case KQL_GUID: kql_format_guid(&v->u.g, tmp); n = 36; break;
    case KQL_DYNAMIC: {
        const kql_dyn *d = v->u.d;
        if (d && d->kind == KQL_DYN_STRING) return (sp_str){d->u.s, d->n};
        sp_buf b;
        sp_buf_init(&b, 0);
        if (d && (d->kind == KQL_DYN_DATETIME || d->kind == KQL_DYN_TIMESPAN || d->kind == KQL_DYN_GUID)) {
            kql_value s;
            kql_dyn_to_value(d, &s);
            sp_buf_free(&b);
            return kql_value_str(a, &s);
        }
        kql_dyn_to_json(d, &b);
        sp_str s = {sp_arena_strndup(a, b.p, b.n), b.n};
        sp_buf_free(&b);
        return s;
    }
    default: return (sp_str){"", 0};
    }
    return (sp_str){sp_arena_strndup(a, tmp, n), n};
}

static bool str_to_long(sp_str s, int64_t *out) {
    char tmp[64];
    while (s.n && (*s.p == ' ' || *s.p == '\t')) s.p++, s.n--;
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t')) s.n--;
    if (s.n == 0 || s.n >= sizeof tmp) return false;
    memcpy(tmp, s.p, s.n);
    tmp[s.n] = 0;
    char *end;
    errno = 0;
    long long v = strtoll(tmp, &end, 10);
    if (*end == 0 && errno == 0) {
        *out = v;
        return true;
    }
    /* "12.7" converts through real, as tolong does */
    double r = strtod(tmp, &end);
    if (*end == 0 && end != tmp && isfinite(r) && fabs(r) < 9.2e18) {
        *out = (int64_t)r;
        return true;
    }
    return false;
}

static bool str_to_real(sp_str s, double *out) {
    char tmp[128];
    while (s.n && (*s.p == ' ' || *s.p == '\t')) s.p++, s.n--;
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t')) s.n--;
    if (s.n == 0 || s.n >= sizeof tmp) return false;
    memcpy(tmp, s.p, s.n);
    tmp[s.n] = 0;
    if (strcasecmp(tmp, "nan") == 0) { *out = NAN; return true; }
    if (strcasecmp(tmp, "infinity") == 0 || strcasecmp(tmp, "+infinity") == 0 || strcasecmp(tmp, "inf") == 0) {
        *out = INFINITY;
        return true;
    }
    if (strcasecmp(tmp, "-infinity") == 0 || strcasecmp(tmp, "-inf") == 0) { *out = -INFINITY; return true; }
    char *end;
    double r = strtod(tmp, &end);
    if (*end || end == tmp) return false;
    *out = r;
    return true;
}

bool kql_convert(sp_arena *a, const kql_value *v, kql_type t, kql_value *out) {
    kql_value r;
    memset(&r, 0, sizeof r);
    r.type = t;
    if (v->type == t) {
        *out = *v;
        return true;
    }
    if (t == KQL_DYNAMIC) {
        r.u.d = kql_value_to_dyn(a, v);
        r.null = v->null && v->type != KQL_STRING;
        *out = r;
        return true;
    }
    if (t == KQL_STRING) {
        r.u.s = kql_value_str(a, v);
        *out = r;
        return true;
    }
    if (v->null) {
        r.null = true;
        *out = r;
        return true;
    }
    kql_value src = *v;
    if (src.type == KQL_DYNAMIC) {
        kql_dyn_to_value(src.u.d, &src);
        if (src.null) {
            r.null = true;
            *out = r;
            return true;
        }
        if (src.type == t) {
            *out = src;
            return true;
        }
    }
    bool ok = true;
    switch (t) {
    case KQL_BOOL:
        if (src.type == KQL_BOOL) r.u.b = src.u.b;
        else if (src.type == KQL_INT || src.type == KQL_LONG) r.u.b = src.u.i != 0;
        else if (src.type == KQL_REAL || src.type == KQL_DECIMAL) r.u.b = src.u.r != 0;
        else if (src.type == KQL_STRING) {
            if (sp_str_ieqc(src.u.s, "true") || sp_str_eqc(src.u.s, "1")) r.u.b = true;
            else if (sp_str_ieqc(src.u.s, "false") || sp_str_eqc(src.u.s, "0")) r.u.b = false;
            else ok = false;
        } else ok = false;
        break;
    case KQL_INT:
    case KQL_LONG:
        if (src.type == KQL_INT || src.type == KQL_LONG) r.u.i = src.u.i;
        else if (src.type == KQL_REAL || src.type == KQL_DECIMAL) {
            if (!isfinite(src.u.r)) ok = false;
            else r.u.i = kql_int(&src);
        } else if (src.type == KQL_BOOL) r.u.i = src.u.b;
        else if (src.type == KQL_STRING) ok = str_to_long(src.u.s, &r.u.i);
        else if (src.type == KQL_DATETIME || src.type == KQL_TIMESPAN) r.u.i = src.u.i;
        else ok = false;
        if (ok && t == KQL_INT) r.u.i = (int32_t)r.u.i;
        break;
    case KQL_REAL:
    case KQL_DECIMAL:
        if (src.type == KQL_INT || src.type == KQL_LONG) r.u.r = (double)src.u.i;
        else if (src.type == KQL_REAL || src.type == KQL_DECIMAL) r.u.r = src.u.r;
        else if (src.type == KQL_BOOL) r.u.r = src.u.b;
        else if (src.type == KQL_STRING) ok = str_to_real(src.u.s, &r.u.r);
        else if (src.type == KQL_TIMESPAN) r.u.r = (double)src.u.i;
        else ok = false;
        break;
    case KQL_DATETIME:
        if (src.type == KQL_STRING) ok = sp_parse_datetime(src.u.s.p, src.u.s.n, &r.u.i);
        else if (src.type == KQL_LONG || src.type == KQL_INT) r.u.i = src.u.i; /* ticks */
        else ok = false;
        break;
    case KQL_TIMESPAN:
        if (src.type == KQL_STRING) ok = sp_parse_timespan(src.u.s.p, src.u.s.n, &r.u.i);
        else if (src.type == KQL_LONG || src.type == KQL_INT) r.u.i = src.u.i;
        else if (src.type == KQL_REAL || src.type == KQL_DECIMAL) {
            /* a real outside the long range has no timespan (the cast would be undefined) */
            if (isfinite(src.u.r) && fabs(src.u.r) < 9.2e18) r.u.i = (int64_t)src.u.r;
            else ok = false;
        } else ok = false;
        break;
    case KQL_GUID:
        if (src.type == KQL_STRING) ok = kql_parse_guid(src.u.s.p, src.u.s.n, &r.u.g);
        else ok = false;
        break;
    default: ok = false; break;
    }
    if (!ok) {
        memset(&r.u, 0, sizeof r.u);
        r.null = true;
    }
    *out = r;
    return ok;
}

static int cmp_i64(int64_t a, int64_t b) { return a < b ? -1 : a > b; }
static int cmp_f64(double a, double b) {
    /* NaN sorts after every number, like null-ish */
    if (isnan(a) || isnan(b)) return isnan(a) ? (isnan(b) ? 0 : 1) : -1;
    return a < b ? -1 : a > b;
}

static int dyn_cmp(const kql_dyn *a, const kql_dyn *b) {
    kql_value x, y;
    kql_dyn_to_value(a, &x);
    kql_dyn_to_value(b, &y);
    if (x.null || y.null) return x.null ? (y.null ? 0 : -1) : 1;
    if (x.type != KQL_DYNAMIC && y.type != KQL_DYNAMIC) {
        if (x.type == y.type || (kql_type_is_numeric(x.type) && kql_type_is_numeric(y.type)))
            return kql_value_cmp(&x, &y);
        return cmp_i64(x.type, y.type);
    }
    /* arrays and bags: by their JSON text */
    sp_buf p, q;
    sp_buf_init(&p, 0);
    sp_buf_init(&q, 0);
    kql_dyn_to_json(a, &p);
    kql_dyn_to_json(b, &q);
    int r = sp_str_cmp(sp_buf_str(&p), sp_buf_str(&q));
    sp_buf_free(&p);
    sp_buf_free(&q);
    return r;
}

int kql_value_cmp(const kql_value *a, const kql_value *b) {
    if (a->type != KQL_STRING && b->type != KQL_STRING && (a->null || b->null))
        return a->null ? (b->null ? 0 : -1) : 1;
    if (a->type != b->type) {
        if (kql_type_is_numeric(a->type) && kql_type_is_numeric(b->type)) {
            bool ai = a->type == KQL_INT || a->type == KQL_LONG, bi = b->type == KQL_INT || b->type == KQL_LONG;
            if (ai && bi) return cmp_i64(a->u.i, b->u.i);
            return cmp_f64(kql_num(a), kql_num(b));
        }
        if (a->type == KQL_DYNAMIC || b->type == KQL_DYNAMIC) {
            kql_value x = *a, y = *b;
            if (x.type == KQL_DYNAMIC) kql_dyn_to_value(x.u.d, &x);
            if (y.type == KQL_DYNAMIC) kql_dyn_to_value(y.u.d, &y);
            if (x.type != KQL_DYNAMIC && y.type != KQL_DYNAMIC) return kql_value_cmp(&x, &y);
        }
        return cmp_i64(a->type, b->type);
    }
    switch (a->type) {
    case KQL_BOOL: return cmp_i64(a->u.b, b->u.b);
    case KQL_INT:
    case KQL_LONG:
    case KQL_DATETIME:
    case KQL_TIMESPAN: return cmp_i64(a->u.i, b->u.i);
    case KQL_REAL:
    case KQL_DECIMAL: return cmp_f64(a->u.r, b->u.r);
    case KQL_STRING: return sp_str_cmp(a->u.s, b->u.s);
    case KQL_GUID: return memcmp(&a->u.g, &b->u.g, sizeof a->u.g);
    case KQL_DYNAMIC: return dyn_cmp(a->u.d, b->u.d);
    default: return 0;
    }
}

bool kql_value_eq(const kql_value *a, const kql_value *b) {
    if (a->type == KQL_DYNAMIC && b->type == KQL_DYNAMIC) {
        if (a->null || b->null) return a->null && b->null;
        return kql_dyn_equal(a->u.d, b->u.d);
    }
    if (a->type != KQL_STRING && b->type != KQL_STRING && (a->null || b->null)) return a->null && b->null;
    if (a->type == KQL_REAL && b->type == KQL_REAL) return a->u.r == b->u.r || (isnan(a->u.r) && isnan(b->u.r));
    return kql_value_cmp(a, b) == 0;
}

uint64_t kql_value_hash(const kql_value *v, uint64_t seed) {
    if (v->type != KQL_STRING && v->null) return sp_hash_u64(seed ^ 0x6e756c6cULL);
    switch (v->type) {
    case KQL_STRING: return sp_hash_bytes(v->u.s.p, v->u.s.n, seed);
    case KQL_BOOL: return sp_hash_u64(seed ^ (uint64_t)(v->u.b + 1));
    case KQL_INT:
    case KQL_LONG:
    case KQL_DATETIME:
    case KQL_TIMESPAN: return sp_hash_u64(seed ^ (uint64_t)v->u.i * 0x9E3779B97F4A7C15ULL);
    case KQL_REAL:
    case KQL_DECIMAL: {
        double r = v->u.r == 0 ? 0 : v->u.r; /* -0 == 0 */
        /* integral reals hash like the equal long, so 1 and 1.0 group together */
        if (r == floor(r) && fabs(r) < 9e18) return sp_hash_u64(seed ^ (uint64_t)(int64_t)r * 0x9E3779B97F4A7C15ULL);
        uint64_t bits;
        memcpy(&bits, &r, 8);
        return sp_hash_u64(seed ^ bits);
    }
    case KQL_GUID: return sp_hash_bytes(v->u.g.b, 16, seed);
    case KQL_DYNAMIC: {
        sp_buf b;
        sp_buf_init(&b, 0);
        kql_dyn_to_json(v->u.d, &b);
        uint64_t h = sp_hash_bytes(b.p, b.n, seed);
        sp_buf_free(&b);
        return h;
    }
    default: return seed;
    }
}

const kql_dyn *kql_dyn_copy(sp_arena *a, const kql_dyn *d) {
    if (!d) return NULL;
    kql_dyn *c = SP_NEW(a, kql_dyn);
    *c = *d;
    switch ((kql_dyn_kind)d->kind) {
    case KQL_DYN_STRING: c->u.s = sp_arena_strndup(a, d->u.s, d->n); break;
    case KQL_DYN_ARRAY: {
        kql_dyn *items = d->n ? SP_NEWN(a, kql_dyn, d->n) : NULL;
        for (uint32_t i = 0; i < d->n; i++) items[i] = *kql_dyn_copy(a, &d->u.items[i]);
        c->u.items = items;
        break;
    }
    case KQL_DYN_BAG: {
        kql_dyn_kv *kv = d->n ? SP_NEWN(a, kql_dyn_kv, d->n) : NULL;
        for (uint32_t i = 0; i < d->n; i++) {
            kv[i].key = sp_arena_strndup(a, d->u.kv[i].key, d->u.kv[i].klen);
            kv[i].klen = d->u.kv[i].klen;
            kv[i].val = *kql_dyn_copy(a, &d->u.kv[i].val);
        }
        c->u.kv = kv;
        break;
    }
    default: break;
    }
    return c;
}

void kql_value_copy(sp_arena *a, const kql_value *v, kql_value *out) {
    *out = *v;
    if (v->type == KQL_STRING) out->u.s = (sp_str){sp_arena_strndup(a, v->u.s.p ? v->u.s.p : "", v->u.s.n), v->u.s.n};
    else if (v->type == KQL_DYNAMIC && !v->null) out->u.d = kql_dyn_copy(a, v->u.d);
}
