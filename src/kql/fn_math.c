/* Math functions: rounding, powers and logarithms, trigonometry, NaN tests,
 * min_of/max_of, bitwise operations, rand, and hash (xxHash64). */
#include "fn_util.h"

#include <math.h>
#include <stdio.h>

static bool is_int_type(kql_type t) { return t == KQL_INT || t == KQL_LONG; }

/* abs(x) : long for integers, real for reals, timespan for timespans */
static kql_type bind_abs(kql_bindctx *b, kql_expr *call) {
    (void)b;
    kql_type t = call->args[0]->type;
    if (is_int_type(t)) return KQL_LONG;
    if (t == KQL_TIMESPAN || t == KQL_REAL || t == KQL_DECIMAL) return t;
    return KQL_REAL;
}

static void fn_abs(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    if (out->type == KQL_LONG || out->type == KQL_TIMESPAN) {
        int64_t v;
        if (!fa_long(&a[0], &v) || v == INT64_MIN) {
            kql_set_null(out);
            return;
        }
        kql_set_long(out, v < 0 ? -v : v);
        return;
    }
    double r;
    if (!fa_real(&a[0], &r)) kql_set_null(out);
    else kql_set_real(out, fabs(r));
}

/* round(x [, precision]) : the type of x; halves round away from zero */
static kql_type bind_same_numeric(kql_bindctx *b, kql_expr *call) {
    (void)b;
    kql_type t = call->args[0]->type;
    return kql_type_is_numeric(t) ? t : KQL_REAL;
}

static double round_to(double x, int64_t p) {
    if (p > 308 || p < -308) return p > 0 ? x : 0;
    if (p == 0) return round(x);
    double f = pow(10.0, (double)(p < 0 ? -p : p));
    if (p > 0) {
        double y = round(x * f) / f;
        return isfinite(y) ? y : x;
    }
    return round(x / f) * f;
}

static void fn_round(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c;
    int64_t p = 0;
    if (n > 1 && !fa_isnull(&a[1]) && !fa_long(&a[1], &p)) {
        kql_set_null(out);
        return;
    }
    if (is_int_type(out->type)) {
        int64_t v;
        if (!fa_long(&a[0], &v)) {
            kql_set_null(out);
            return;
        }
        if (p >= 0) kql_set_long(out, v);
        else {
            int64_t r;
            if (fn_d2i(round_to((double)v, p), &r)) kql_set_long(out, r);
            else kql_set_null(out);
        }
        return;
    }
    double r;
    if (!fa_real(&a[0], &r)) kql_set_null(out);
    else kql_set_real(out, round_to(r, p));
}

/* ceiling(x) : the type of x */
static void fn_ceiling(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    if (is_int_type(out->type)) {
        int64_t v;
        if (fa_long(&a[0], &v)) kql_set_long(out, v);
        else kql_set_null(out);
        return;
    }
    double r;
    if (!fa_real(&a[0], &r)) kql_set_null(out);
    else kql_set_real(out, ceil(r));
}

/* real -> real functions; a NaN result from a finite argument outside the
 * domain (log of a negative, sqrt of a negative) is null, as documented */
typedef double (*unary_fn)(double);
static void unary(const kql_value *a, kql_value *out, unary_fn f, bool domain_null) {
    double r;
    if (!fa_real(&a[0], &r)) {
        kql_set_null(out);
        return;
    }
    double y = f(r);
    if (domain_null && isnan(y) && !isnan(r)) kql_set_null(out);
    else kql_set_real(out, y);
}

static double exp10_(double x) { return pow(10.0, x); }
static double cot_(double x) { return 1.0 / tan(x); }
static double degrees_(double x) { return x * (180.0 / M_PI); }
static double radians_(double x) { return x * (M_PI / 180.0); }
static double sign_(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x == 0 ? 0.0 : x; }

#define UNARY(nm, f, dom)                                                            \
    static void fn_##nm(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) { \
        (void)c, (void)n;                                                            \
        unary(a, out, f, dom);                                                       \
    }
UNARY(exp, exp, false)
UNARY(exp2, exp2, false)
UNARY(exp10, exp10_, false)
UNARY(log, log, true)
UNARY(log2, log2, true)
UNARY(log10, log10, true)
UNARY(sqrt, sqrt, true)
UNARY(cos, cos, false)
UNARY(sin, sin, false)
UNARY(tan, tan, false)
UNARY(acos, acos, true)
UNARY(asin, asin, true)
UNARY(atan, atan, false)
UNARY(cot, cot_, false)
UNARY(degrees, degrees_, false)
UNARY(radians, radians_, false)
UNARY(sign, sign_, false)
UNARY(gamma, tgamma, true)
UNARY(loggamma, lgamma, true)

/* pow(base, exponent), atan2(y, x) : real */
static void fn_pow(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    double x, y;
    if (!fa_real(&a[0], &x) || !fa_real(&a[1], &y)) kql_set_null(out);
    else kql_set_real(out, pow(x, y));
}

static void fn_atan2(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    double y, x;
    if (!fa_real(&a[0], &y) || !fa_real(&a[1], &x)) kql_set_null(out);
    else kql_set_real(out, atan2(y, x));
}

/* pi() : real */
static void fn_pi(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)a, (void)n;
    kql_set_real(out, M_PI);
}

/* isnan / isinf / isfinite (x) : bool */
static void fn_isnan(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    double r;
    if (!fa_real(&a[0], &r)) kql_set_null(out);
    else kql_set_bool(out, isnan(r));
}
static void fn_isinf(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    double r;
    if (!fa_real(&a[0], &r)) kql_set_null(out);
    else kql_set_bool(out, isinf(r));
}
static void fn_isfinite(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    double r;
    if (!fa_real(&a[0], &r)) kql_set_null(out);
    else kql_set_bool(out, isfinite(r));
}

/* max_of / min_of (a1, a2, ...) : the arguments' common type; nulls are
 * skipped, and all-null gives null. Numbers of mixed kinds widen
 * (int < long < decimal < real). */
static int num_rank(kql_type t) {
    return t == KQL_INT ? 1 : t == KQL_LONG ? 2 : t == KQL_DECIMAL ? 3 : t == KQL_REAL ? 4 : 0;
}

static kql_type bind_minmax_of(kql_bindctx *b, kql_expr *call) {
    kql_type t = KQL_UNKNOWN;
    for (uint32_t i = 0; i < call->nargs; i++) {
        kql_type at = call->args[i]->type;
        if (at == KQL_UNKNOWN || at == KQL_DYNAMIC) continue;
        if (t == KQL_UNKNOWN) t = at;
        else if (num_rank(t) && num_rank(at)) t = num_rank(at) > num_rank(t) ? at : t;
        else if (t != at) {
            kql_bind_error(b, call->args[i], "type_mismatch", "%s(): arguments must all be of one type (%s and %s)",
                           call->fn ? call->fn->name : "max_of", kql_type_name(t), kql_type_name(at));
            return KQL_UNKNOWN;
        }
    }
    return t == KQL_UNKNOWN ? KQL_DYNAMIC : t;
}

static void minmax_of(kql_fctx *c, const kql_value *a, size_t n, kql_value *out, int sign) {
    kql_value best;
    bool have = false;
    for (size_t i = 0; i < n; i++) {
        if (fa_isnull(&a[i])) continue;
        kql_value v;
        if (!kql_convert(c->arena, &a[i], out->type, &v) || v.null) continue;
        if (!have || kql_value_cmp(&v, &best) * sign > 0) best = v;
        have = true;
    }
    if (!have) {
        kql_set_null(out);
        return;
    }
    out->null = false;
    out->u = best.u;
}

static void fn_max_of(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) { minmax_of(c, a, n, out, 1); }
static void fn_min_of(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) { minmax_of(c, a, n, out, -1); }

/* binary_and/or/xor(a, b), binary_not(a), binary_shift_left/right(a, n) : long */
static void binop(const kql_value *a, kql_value *out, int op) {
    int64_t x, y = 0;
    if (!fa_long(&a[0], &x) || (op != 3 && !fa_long(&a[1], &y))) {
        kql_set_null(out);
        return;
    }
    uint64_t u = (uint64_t)x;
    switch (op) {
    case 0: kql_set_long(out, x & y); break;
    case 1: kql_set_long(out, x | y); break;
    case 2: kql_set_long(out, x ^ y); break;
    case 3: kql_set_long(out, ~x); break;
    case 4: kql_set_long(out, y < 0 || y > 63 ? 0 : (int64_t)(u << y)); break;
    case 5: kql_set_long(out, y < 0 || y > 63 ? 0 : (int64_t)(u >> y)); break;
    }
}
#define BINOP(nm, op)                                                                \
    static void fn_##nm(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) { \
        (void)c, (void)n;                                                            \
        binop(a, out, op);                                                           \
    }
BINOP(binary_and, 0)
BINOP(binary_or, 1)
BINOP(binary_xor, 2)
BINOP(binary_not, 3)
BINOP(binary_shift_left, 4)
BINOP(binary_shift_right, 5)

/* bitset_count_ones(x) : long */
static void fn_bitset_count_ones(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    int64_t x;
    if (!fa_long(&a[0], &x)) kql_set_null(out);
    else kql_set_long(out, __builtin_popcountll((unsigned long long)x));
}

/* rand() : real in [0, 1); rand(N) : an integer value in [0, N), as a real.
 * A per-thread xorshift generator seeded from the clock. */
static _Thread_local uint64_t tl_rng;
static uint64_t rng_next(void) {
    if (!tl_rng) {
        tl_rng = sp_hash_u64((uint64_t)sp_now_ticks() ^ (uint64_t)(uintptr_t)&tl_rng ^ (uint64_t)(sp_mono_ms() * 1e6));
        if (!tl_rng) tl_rng = 0x9E3779B97F4A7C15ULL;
    }
    uint64_t x = tl_rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    tl_rng = x;
    return x * 0x2545F4914F6CDD1DULL;
}

static void fn_rand(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c;
    double u = (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0);
    if (n > 0 && !fa_isnull(&a[0])) {
        int64_t m;
        if (!fa_long(&a[0], &m) || m <= 0) {
            kql_set_null(out);
            return;
        }
        kql_set_real(out, floor(u * (double)m));
        return;
    }
    kql_set_real(out, u);
}

/* hash(source [, mod]) : long, xxHash64 of the value (strings by their UTF-8
 * bytes; numbers, datetimes and timespans by their 8-byte little-endian
 * value); with mod, the unsigned hash modulo mod */
static void fn_hash(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c;
    uint64_t h = kql_value_xxh64(&a[0]);
    if (n > 1 && !fa_isnull(&a[1])) {
        int64_t m;
        if (!fa_long(&a[1], &m) || m <= 0) {
            kql_set_null(out);
            return;
        }
        kql_set_long(out, (int64_t)(h % (uint64_t)m));
        return;
    }
    kql_set_long(out, (int64_t)h);
}

/* hash_combine(h1, h2, ...) : long */
static void fn_hash_combine(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c;
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t v;
        if (!fa_long(&a[i], &v)) {
            kql_set_null(out);
            return;
        }
        unsigned char b[16];
        for (int k = 0; k < 8; k++) b[k] = (unsigned char)(h >> (8 * k)), b[8 + k] = (unsigned char)((uint64_t)v >> (8 * k));
        h = kql_xxh64(b, 16, 0);
    }
    kql_set_long(out, (int64_t)h);
}

/* hash_many(v1, v2, ...) : long, the combination of the values' hashes */
static void fn_hash_many(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c;
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = kql_value_xxh64(&a[i]);
        unsigned char b[16];
        for (int k = 0; k < 8; k++) b[k] = (unsigned char)(h >> (8 * k)), b[8 + k] = (unsigned char)(x >> (8 * k));
        h = kql_xxh64(b, 16, 0);
    }
    kql_set_long(out, (int64_t)h);
}

/* around(value, center, delta) : bool, |value - center| <= delta */
static void fn_around(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    if ((a[0].type == KQL_DATETIME || a[0].type == KQL_TIMESPAN) && a[1].type == a[0].type) {
        int64_t d;
        if (!fa_long(&a[2], &d)) {
            kql_set_null(out);
            return;
        }
        int64_t x = a[0].u.i, y = a[1].u.i;
        kql_set_bool(out, (x >= y ? (uint64_t)x - (uint64_t)y : (uint64_t)y - (uint64_t)x) <= (uint64_t)(d < 0 ? 0 : d));
        return;
    }
    double x, y, d;
    if (!fa_real(&a[0], &x) || !fa_real(&a[1], &y) || !fa_real(&a[2], &d)) kql_set_null(out);
    else kql_set_bool(out, fabs(x - y) <= d);
}

#define NAME0 KQL_FNF_NAME_ARG0
#define R1(nm) {#nm, KQL_FN_SCALAR, "n", "real", NULL, NULL, fn_##nm, NULL, NAME0, NULL}
static const kql_fn FNS[] = {
    {"abs", KQL_FN_SCALAR, "x", NULL, bind_abs, NULL, fn_abs, NULL, NAME0, NULL},
    {"round", KQL_FN_SCALAR, "n,i?", NULL, bind_same_numeric, NULL, fn_round, NULL, NAME0, NULL},
    {"ceiling", KQL_FN_SCALAR, "n", NULL, bind_same_numeric, NULL, fn_ceiling, NULL, NAME0, NULL},
    R1(exp), R1(exp2), R1(exp10), R1(log), R1(log2), R1(log10), R1(sqrt), R1(cos), R1(sin), R1(tan), R1(acos),
    R1(asin), R1(atan), R1(gamma), R1(loggamma),
    {"cot", KQL_FN_SCALAR, "n", "real", NULL, NULL, fn_cot, NULL, 0, NULL},
    {"degrees", KQL_FN_SCALAR, "n", "real", NULL, NULL, fn_degrees, NULL, 0, NULL},
    {"radians", KQL_FN_SCALAR, "n", "real", NULL, NULL, fn_radians, NULL, 0, NULL},
    {"sign", KQL_FN_SCALAR, "n", "real", NULL, NULL, fn_sign, NULL, 0, NULL},
    {"pow", KQL_FN_SCALAR, "n,n", "real", NULL, NULL, fn_pow, NULL, NAME0, NULL},
    {"atan2", KQL_FN_SCALAR, "n,n", "real", NULL, NULL, fn_atan2, NULL, NAME0, NULL},
    {"pi", KQL_FN_SCALAR, "", "real", NULL, NULL, fn_pi, NULL, 0, NULL},
    {"isnan", KQL_FN_SCALAR, "r", "bool", NULL, NULL, fn_isnan, NULL, 0, NULL},
    {"isinf", KQL_FN_SCALAR, "r", "bool", NULL, NULL, fn_isinf, NULL, 0, NULL},
    {"isfinite", KQL_FN_SCALAR, "r", "bool", NULL, NULL, fn_isfinite, NULL, 0, NULL},
    {"max_of", KQL_FN_SCALAR, "a,a,a*", NULL, bind_minmax_of, NULL, fn_max_of, NULL, KQL_FNF_NULLS_IN, NULL},
    {"min_of", KQL_FN_SCALAR, "a,a,a*", NULL, bind_minmax_of, NULL, fn_min_of, NULL, KQL_FNF_NULLS_IN, NULL},
    {"binary_and", KQL_FN_SCALAR, "i,i", "long", NULL, NULL, fn_binary_and, NULL, NAME0, NULL},
    {"binary_or", KQL_FN_SCALAR, "i,i", "long", NULL, NULL, fn_binary_or, NULL, NAME0, NULL},
    {"binary_xor", KQL_FN_SCALAR, "i,i", "long", NULL, NULL, fn_binary_xor, NULL, NAME0, NULL},
    {"binary_not", KQL_FN_SCALAR, "i", "long", NULL, NULL, fn_binary_not, NULL, NAME0, NULL},
    {"binary_shift_left", KQL_FN_SCALAR, "i,i", "long", NULL, NULL, fn_binary_shift_left, NULL, NAME0, NULL},
    {"binary_shift_right", KQL_FN_SCALAR, "i,i", "long", NULL, NULL, fn_binary_shift_right, NULL, NAME0, NULL},
    {"bitset_count_ones", KQL_FN_SCALAR, "i", "long", NULL, NULL, fn_bitset_count_ones, NULL, NAME0, NULL},
    {"rand", KQL_FN_SCALAR, "i?", "real", NULL, NULL, fn_rand, NULL, KQL_FNF_VOLATILE, NULL},
    {"hash", KQL_FN_SCALAR, "a,i?", "long", NULL, NULL, fn_hash, NULL, 0, NULL},
    {"hash_xxhash64", KQL_FN_SCALAR, "a,i?", "long", NULL, NULL, fn_hash, NULL, 0, NULL},
    {"hash_combine", KQL_FN_SCALAR, "i,i,i*", "long", NULL, NULL, fn_hash_combine, NULL, 0, NULL},
    {"hash_many", KQL_FN_SCALAR, "a,a*", "long", NULL, NULL, fn_hash_many, NULL, KQL_FNF_NULLS_IN, NULL},
    {"around", KQL_FN_SCALAR, "a,a,a", "bool", NULL, NULL, fn_around, NULL, 0, NULL},
};

KQL_FN_TABLE(kql_fns_math, FNS);
