/* Miscellaneous functions: gettype, new_guid, estimate_data_size,
 * parse_version, format_bytes. */
#include "fn_util.h"

#include <math.h>
#include <stdio.h>
#include <sys/random.h>

/* gettype(value) : string naming the value's type: "bool", "int", "long",
 * "real", "decimal", "string", "datetime", "timespan", "guid"; inside a
 * dynamic: "array", "dictionary", "null", "int" for a number that fits 32
 * bits, "long", "real", "bool", "string", ... */
static void fn_gettype(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    const char *t;
    if (a[0].type == KQL_DYNAMIC) {
        const kql_dyn *d = a[0].u.d;
        switch (d ? (kql_dyn_kind)d->kind : KQL_DYN_NULL) {
        case KQL_DYN_NULL: t = "null"; break;
        case KQL_DYN_BOOL: t = "bool"; break;
        case KQL_DYN_LONG: t = d->u.i >= INT32_MIN && d->u.i <= INT32_MAX ? "int" : "long"; break;
        case KQL_DYN_REAL: t = "real"; break;
        case KQL_DYN_STRING: t = "string"; break;
        case KQL_DYN_DATETIME: t = "datetime"; break;
        case KQL_DYN_TIMESPAN: t = "timespan"; break;
        case KQL_DYN_GUID: t = "guid"; break;
        case KQL_DYN_ARRAY: t = "array"; break;
        case KQL_DYN_BAG: t = "dictionary"; break;
        default: t = "null"; break;
        }
    } else {
        t = kql_type_name(a[0].type);
    }
    kql_set_str(out, sp_str_c(t));
}

/* new_guid() : a random (version 4) guid */
static _Thread_local uint64_t tl_s[2];
static uint64_t rnd64(void) {
    if (!tl_s[0] && !tl_s[1]) {
        if (getrandom(tl_s, sizeof tl_s, 0) != (ssize_t)sizeof tl_s || (!tl_s[0] && !tl_s[1])) {
            tl_s[0] = sp_hash_u64((uint64_t)sp_now_ticks());
            tl_s[1] = sp_hash_u64((uint64_t)(uintptr_t)&tl_s ^ (uint64_t)(sp_mono_ms() * 1e6));
        }
    }
    /* xorshift128+ */
    uint64_t x = tl_s[0], y = tl_s[1];
    tl_s[0] = y;
    x ^= x << 23;
    tl_s[1] = x ^ y ^ (x >> 17) ^ (y >> 26);
    return tl_s[1] + y;
}

static void fn_new_guid(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)a, (void)n;
    uint64_t r[2] = {rnd64(), rnd64()};
    kql_guid g;
    memcpy(g.b, r, 16);
    g.b[6] = (uint8_t)((g.b[6] & 0x0F) | 0x40);
    g.b[8] = (uint8_t)((g.b[8] & 0x3F) | 0x80);
    out->null = false;
    out->u.g = g;
}

/* estimate_data_size(col1, ...) : long, the bytes the values take: strings
 * their UTF-8 length, bools 1, int 4, guids 16, other scalars 8, dynamics
 * their JSON length; nulls count as their type's size */
static void fn_estimate_data_size(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        switch (a[i].type) {
        case KQL_STRING: total += (int64_t)a[i].u.s.n; break;
        case KQL_BOOL: total += 1; break;
        case KQL_INT: total += 4; break;
        case KQL_GUID: total += 16; break;
        case KQL_DYNAMIC:
            if (!a[i].null) total += (int64_t)fa_str(c, &a[i]).n;
            break;
        default: total += 8; break;
        }
    }
    kql_set_long(out, total);
}

/* parse_version(text) : decimal. Up to four dot-separated numbers of at most
 * eight digits each, combined as a comparable number (each part padded to
 * eight digits); null for anything else. Held as a double (decimal is), so
 * versions compare exactly only while the combined value stays below 2^53. */
static void fn_parse_version(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    while (s.n && *s.p == ' ') s.p++, s.n--;
    while (s.n && s.p[s.n - 1] == ' ') s.n--;
    double parts[4] = {0, 0, 0, 0};
    int np = 0;
    size_t i = 0;
    while (i < s.n && np < 4) {
        size_t st = i;
        double v = 0;
        while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && i - st < 8) v = v * 10 + (s.p[i++] - '0');
        if (i == st || (i < s.n && s.p[i] >= '0' && s.p[i] <= '9')) {
            kql_set_null(out);
            return;
        }
        parts[np++] = v;
        if (i < s.n) {
            if (s.p[i] != '.' || i + 1 == s.n) {
                kql_set_null(out);
                return;
            }
            i++;
        }
    }
    if (np == 0 || i < s.n) {
        kql_set_null(out);
        return;
    }
    double r = 0;
    for (int k = 0; k < 4; k++) r = r * 1e8 + parts[k];
    kql_set_real(out, r);
}

/* format_bytes(size [, precision [, units]]) : string like "1 KB", "1.5 MB"
 * (units of 1024; precision 0 by default; units "Bytes", "KB", "MB", "GB",
 * "TB", "PB" pick a fixed unit) */
static void fn_format_bytes(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    static const char *U[] = {"Bytes", "KB", "MB", "GB", "TB", "PB"};
    double v;
    int64_t prec = 0;
    if (!fa_real(&a[0], &v) || !isfinite(v) || (n > 1 && !fa_isnull(&a[1]) && !fa_long(&a[1], &prec))) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    if (prec < 0) prec = 0;
    if (prec > 15) prec = 15;
    int u = 0;
    if (n > 2) {
        sp_str want = fa_str(c, &a[2]);
        for (u = 0; u < 6 && !sp_str_ieqc(want, U[u]); u++) {
        }
        if (u == 6) {
            kql_set_str(out, (sp_str){"", 0});
            return;
        }
        v /= pow(1024.0, u);
    } else {
        while (fabs(v) >= 1024 && u < 5) v /= 1024, u++;
    }
    char tmp[512];
    int k = snprintf(tmp, sizeof tmp, "%.*f %s", (int)prec, v, U[u]);
    if (k < 0) k = 0;
    if ((size_t)k >= sizeof tmp) k = (int)sizeof tmp - 1;
    kql_set_str(out, kql_fstr(c, tmp, (size_t)k));
}

static const kql_fn FNS[] = {
    {"gettype", KQL_FN_SCALAR, "a", "string", NULL, NULL, fn_gettype, NULL, KQL_FNF_NULLS_IN, NULL},
    {"new_guid", KQL_FN_SCALAR, "", "guid", NULL, NULL, fn_new_guid, NULL, KQL_FNF_VOLATILE, NULL},
    {"estimate_data_size", KQL_FN_SCALAR, "a,a*", "long", NULL, NULL, fn_estimate_data_size, NULL, KQL_FNF_NULLS_IN,
     NULL},
    {"parse_version", KQL_FN_SCALAR, "s", "decimal", NULL, NULL, fn_parse_version, NULL, 0, NULL},
    {"format_bytes", KQL_FN_SCALAR, "n,i?,s?", "string", NULL, NULL, fn_format_bytes, NULL, KQL_FNF_NAME_ARG0, NULL},
};

KQL_FN_TABLE(kql_fns_misc, FNS);
