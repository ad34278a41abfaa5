/* Series functions over dynamic numeric arrays (make-series output):
 * element-wise math, fills, statistics, line fits, decomposition, outliers. */
#include "fn_util.h"

#include <math.h>
#include <stdlib.h>

/* Functions Kusto defines with several result columns (series_fit_line,
 * series_stats, series_decompose_anomalies, ...) return one dynamic array
 * holding those results in Kusto's order; `extend (a, b, c) = f(x)` takes
 * them apart. Items that are not numbers (nulls, text) count as missing:
 * element-wise functions give null there, statistics skip them, fits and
 * decompositions read them as 0. */

#define SERIES_MAX 1048576

/* A series as doubles (NaN for missing items); false when v is not an array. */
static bool get_series(kql_fctx *c, const kql_value *v, double **out, size_t *n) {
    const kql_dyn *items;
    size_t cnt;
    if (!fa_array(c, v, &items, &cnt)) return false;
    if (cnt > SERIES_MAX) cnt = SERIES_MAX;
    double *x = (double *)kql_falloc(c, (cnt ? cnt : 1) * sizeof(double));
    for (size_t i = 0; i < cnt; i++) {
        const kql_dyn *d = &items[i];
        x[i] = d->kind == KQL_DYN_LONG ? (double)d->u.i : d->kind == KQL_DYN_REAL ? d->u.r
               : d->kind == KQL_DYN_BOOL ? (double)d->u.b
               : d->kind == KQL_DYN_TIMESPAN ? (double)d->u.i
                                              : NAN;
    }
    *out = x;
    *n = cnt;
    return true;
}

/* an array of numbers; NaN and infinities become null */
static kql_dyn num_array(kql_fctx *c, const double *x, size_t n) {
    fn_arr a;
    arr_init(&a, c->arena, n + 1);
    for (size_t i = 0; i < n; i++) arr_push(&a, isfinite(x[i]) ? dyn_real(x[i]) : *dyn_null());
    return *arr_done(&a);
}

static kql_dyn long_array(kql_fctx *c, const double *x, size_t n) {
    fn_arr a;
    arr_init(&a, c->arena, n + 1);
    for (size_t i = 0; i < n; i++) {
        int64_t v;
        arr_push(&a, fn_d2i(x[i], &v) ? dyn_long(v) : *dyn_null());
    }
    return *arr_done(&a);
}

static kql_dyn num_or_null(double v) { return isfinite(v) ? dyn_real(v) : *dyn_null(); }

static void set_tuple(kql_fctx *c, kql_value *out, const kql_dyn *items, size_t n) {
    fn_arr a;
    arr_init(&a, c->arena, n);
    for (size_t i = 0; i < n; i++) arr_push(&a, items[i]);
    fn_set_dyn(out, arr_done(&a));
}

/* ----------------------------------------------------- element-wise math
 * series_add/subtract/multiply/divide/pow (series or number, series or
 * number), comparisons (giving bools) and one-argument functions. */
typedef enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_POW, OP_GT, OP_GE, OP_LT, OP_LE, OP_EQ, OP_NE } binop;

static void series_binop(kql_fctx *c, const kql_value *a, kql_value *out, binop op) {
    double *x = NULL, *y = NULL, sx = 0, sy = 0;
    size_t nx = 0, ny = 0;
    bool xa = get_series(c, &a[0], &x, &nx), ya = get_series(c, &a[1], &y, &ny);
    if ((!xa && !fa_real(&a[0], &sx)) || (!ya && !fa_real(&a[1], &sy)) || (!xa && !ya)) {
        kql_set_null(out);
        return;
    }
    size_t n = xa && ya ? (nx > ny ? nx : ny) : xa ? nx : ny;
    fn_arr r;
    arr_init(&r, c->arena, n + 1);
    for (size_t i = 0; i < n; i++) {
        double u = xa ? (i < nx ? x[i] : NAN) : sx, v = ya ? (i < ny ? y[i] : NAN) : sy;
        if (isnan(u) || isnan(v)) {
            arr_push(&r, *dyn_null());
            continue;
        }
        double z = 0;
        switch (op) {
        case OP_ADD: z = u + v; break;
        case OP_SUB: z = u - v; break;
        case OP_MUL: z = u * v; break;
        case OP_DIV: z = u / v; break;
        case OP_POW: z = pow(u, v); break;
        case OP_GT: arr_push(&r, dyn_bool(u > v)); continue;
        case OP_GE: arr_push(&r, dyn_bool(u >= v)); continue;
        case OP_LT: arr_push(&r, dyn_bool(u < v)); continue;
        case OP_LE: arr_push(&r, dyn_bool(u <= v)); continue;
        case OP_EQ: arr_push(&r, dyn_bool(u == v)); continue;
        case OP_NE: arr_push(&r, dyn_bool(u != v)); continue;
        }
        arr_push(&r, num_or_null(z));
    }
    fn_set_dyn(out, arr_done(&r));
}

#define BIN(nm, op)                                                                  \
    static void fn_##nm(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) { \
        (void)n;                                                                     \
        series_binop(c, a, out, op);                                                 \
    }
BIN(series_add, OP_ADD)
BIN(series_subtract, OP_SUB)
BIN(series_multiply, OP_MUL)
BIN(series_divide, OP_DIV)
BIN(series_pow, OP_POW)
BIN(series_greater, OP_GT)
BIN(series_greater_equals, OP_GE)
BIN(series_less, OP_LT)
BIN(series_less_equals, OP_LE)
BIN(series_equals, OP_EQ)
BIN(series_not_equals, OP_NE)

static double sign_of(double v) { return v > 0 ? 1 : v < 0 ? -1 : 0; }
static void series_unary(kql_fctx *c, const kql_value *a, kql_value *out, double (*f)(double)) {
    double *x;
    size_t n;
    if (!get_series(c, &a[0], &x, &n)) {
        kql_set_null(out);
        return;
    }
    for (size_t i = 0; i < n; i++) x[i] = isnan(x[i]) ? NAN : f(x[i]);
    kql_dyn d = num_array(c, x, n);
    fn_set_dyn(out, dyn_box(c->arena, d));
}
#define UN(nm, f)                                                                    \
    static void fn_##nm(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) { \
        (void)n;                                                                     \
        series_unary(c, a, out, f);                                                  \
    }
UN(series_abs, fabs)
UN(series_sign, sign_of)
UN(series_exp, exp)
UN(series_log, log)
UN(series_floor, floor)
UN(series_ceiling, ceil)
UN(series_sin, sin)
UN(series_cos, cos)
UN(series_tan, tan)
UN(series_asin, asin)
UN(series_acos, acos)
UN(series_atan, atan)

/* series_sum(x) : real, the sum of the numeric items */
static void fn_series_sum(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    double *x, s = 0;
    size_t m;
    if (!get_series(c, &a[0], &x, &m)) {
        kql_set_null(out);
        return;
    }
    for (size_t i = 0; i < m; i++)
        if (!isnan(x[i])) s += x[i];
    kql_set_real(out, s);
}

/* ------------------------------------------------------------------ fills
 * series_fill_forward / _backward (x [, missing]) carry the last / next
 * value over missing items; series_fill_const (x [, value [, missing]]);
 * series_fill_linear (x [, missing [, fill_edges [, value]]]) interpolates.
 * `missing` marks items to fill besides nulls. */
static void mark_missing(double *x, size_t n, const kql_value *missing) {
    double m;
    if (!missing || !fa_real(missing, &m)) return;
    for (size_t i = 0; i < n; i++)
        if (x[i] == m) x[i] = NAN;
}

static void fn_series_fill_forward(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    double *x;
    size_t m;
    if (!get_series(c, &a[0], &x, &m)) {
        kql_set_null(out);
        return;
    }
    mark_missing(x, m, n > 1 ? &a[1] : NULL);
    for (size_t i = 1; i < m; i++)
        if (isnan(x[i])) x[i] = x[i - 1];
    fn_set_dyn(out, dyn_box(c->arena, num_array(c, x, m)));
}

static void fn_series_fill_backward(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    double *x;
    size_t m;
    if (!get_series(c, &a[0], &x, &m)) {
        kql_set_null(out);
        return;
    }
    mark_missing(x, m, n > 1 ? &a[1] : NULL);
    for (size_t i = m; i-- > 1;)
        if (isnan(x[i - 1])) x[i - 1] = x[i];
    fn_set_dyn(out, dyn_box(c->arena, num_array(c, x, m)));
}

static void fn_series_fill_const(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    double *x, v = 0;
    size_t m;
    if (!get_series(c, &a[0], &x, &m)) {
        kql_set_null(out);
        return;
    }
    if (n > 1) fa_real(&a[1], &v);
    mark_missing(x, m, n > 2 ? &a[2] : NULL);
    for (size_t i = 0; i < m; i++)
        if (isnan(x[i])) x[i] = v;
    fn_set_dyn(out, dyn_box(c->arena, num_array(c, x, m)));
}

static void fn_series_fill_linear(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    double *x, cv = 0;
    size_t m;
    bool edges = true;
    if (!get_series(c, &a[0], &x, &m)) {
        kql_set_null(out);
        return;
    }
    mark_missing(x, m, n > 1 ? &a[1] : NULL);
    if (n > 2) fa_bool(&a[2], &edges);
    bool have_const = n > 3 && fa_real(&a[3], &cv);
    size_t prev = SIZE_MAX;
    for (size_t i = 0; i < m; i++) {
        if (isnan(x[i])) continue;
        if (prev != SIZE_MAX && i - prev > 1)
            for (size_t k = prev + 1; k < i; k++) x[k] = x[prev] + (x[i] - x[prev]) * (double)(k - prev) / (double)(i - prev);
        prev = i;
    }
    size_t first = 0, last = m;
    while (first < m && isnan(x[first])) first++;
    while (last > 0 && isnan(x[last - 1])) last--;
    for (size_t i = 0; i < m; i++) {
        if (!isnan(x[i])) continue;
        if (have_const) x[i] = cv;
        else if (edges && first < m) x[i] = i < first ? x[first] : x[last - 1];
    }
    fn_set_dyn(out, dyn_box(c->arena, num_array(c, x, m)));
}

/* ------------------------------------------------------------- statistics */
typedef struct stats {
    double min, max, avg, var;
    size_t min_i, max_i, n;
} stats;

static stats calc_stats(const double *x, size_t n) {
    stats s = {NAN, NAN, NAN, NAN, 0, 0, 0};
    double mean = 0, m2 = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) continue;
        if (!s.n || x[i] < s.min) s.min = x[i], s.min_i = i;
        if (!s.n || x[i] > s.max) s.max = x[i], s.max_i = i;
        s.n++;
        double d = x[i] - mean;
        mean += d / (double)s.n;
        m2 += d * (x[i] - mean);
    }
    if (s.n) {
        s.avg = mean;
        s.var = s.n > 1 ? m2 / (double)(s.n - 1) : 0;
    }
    return s;
}

/* series_stats(x) : [min, min_idx, max, max_idx, avg, stdev, variance] */
static void fn_series_stats(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    double *x;
    size_t m;
    if (!get_series(c, &a[0], &x, &m)) {
        kql_set_null(out);
        return;
    }
    stats s = calc_stats(x, m);
    kql_dyn t[7] = {num_or_null(s.min), s.n ? dyn_long((int64_t)s.min_i) : *dyn_null(), num_or_null(s.max),
                    s.n ? dyn_long((int64_t)s.max_i) : *dyn_null(), num_or_null(s.avg), num_or_null(sqrt(s.var)),
                    num_or_null(s.var)};
    set_tuple(c, out, t, 7);
}

/* series_stats_dynamic(x) : the same as a property bag */
static void fn_series_stats_dynamic(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    double *x;
    size_t m;
    if (!get_series(c, &a[0], &x, &m)) {
        kql_set_null(out);
        return;
    }
    stats s = calc_stats(x, m);
    fn_bag b;
    bag_init(&b, c->arena, 7);
    bag_append(&b, "min", 3, num_or_null(s.min));
    bag_append(&b, "min_idx", 7, s.n ? dyn_long((int64_t)s.min_i) : *dyn_null());
    bag_append(&b, "max", 3, num_or_null(s.max));
    bag_append(&b, "max_idx", 7, s.n ? dyn_long((int64_t)s.max_i) : *dyn_null());
    bag_append(&b, "avg", 3, num_or_null(s.avg));
    bag_append(&b, "stdev", 5, num_or_null(sqrt(s.var)));
    bag_append(&b, "variance", 8, num_or_null(s.var));
    fn_set_dyn(out, bag_done(&b));
}

/* series_pearson_correlation(x, y) : real */
static void fn_series_pearson_correlation(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    double *x, *y;
    size_t nx, ny;
    if (!get_series(c, &a[0], &x, &nx) || !get_series(c, &a[1], &y, &ny) || nx != ny || nx < 2) {
        kql_set_null(out);
        return;
    }
    double mx = 0, my = 0;
    for (size_t i = 0; i < nx; i++) mx += x[i], my += y[i];
    mx /= (double)nx, my /= (double)nx;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < nx; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    double r = sxy / sqrt(sxx * syy);
    if (isfinite(r)) kql_set_real(out, r);
    else kql_set_null(out);
}

/* ------------------------------------------------------------------- fits
 * Least-squares lines over x = 1..n (as Kusto's examples show): rsquare =
 * 1 - SSres/SStot, variance = SStot/(n-1), rvariance = SSres/(n-1). */
typedef struct fit {
    double slope, icept, rsq, var, rvar, ssres, sstot;
} fit;

static fit fit_line(const double *y, size_t from, size_t to) {
    fit f = {0, 0, 0, 0, 0, 0, 0};
    size_t n = to - from;
    if (n == 0) return f;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (size_t i = from; i < to; i++) {
        double xv = (double)(i + 1), yv = isnan(y[i]) ? 0 : y[i];
        sx += xv, sy += yv, sxx += xv * xv, sxy += xv * yv;
    }
    double den = (double)n * sxx - sx * sx;
    f.slope = den != 0 ? ((double)n * sxy - sx * sy) / den : 0;
    f.icept = (sy - f.slope * sx) / (double)n;
    double mean = sy / (double)n;
    for (size_t i = from; i < to; i++) {
        double yv = isnan(y[i]) ? 0 : y[i], e = yv - (f.slope * (double)(i + 1) + f.icept);
        f.ssres += e * e;
        f.sstot += (yv - mean) * (yv - mean);
    }
    f.var = n > 1 ? f.sstot / (double)(n - 1) : 0;
    f.rvar = n > 1 ? f.ssres / (double)(n - 1) : 0;
    f.rsq = f.sstot > 0 ? 1 - f.ssres / f.sstot : (f.ssres == 0 ? 1 : 0);
    return f;
}

/* series_fit_line(x) : [rsquare, slope, variance, rvariance, interception, line_fit] */
static void fn_series_fit_line(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    double *y;
    size_t m;
    if (!get_series(c, &a[0], &y, &m)) {
        kql_set_null(out);
        return;
    }
    fit f = fit_line(y, 0, m);
    double *lf = (double *)kql_falloc(c, (m ? m : 1) * sizeof(double));
    for (size_t i = 0; i < m; i++) lf[i] = f.slope * (double)(i + 1) + f.icept;
    kql_dyn t[6] = {dyn_real(f.rsq), dyn_real(f.slope), dyn_real(f.var), dyn_real(f.rvar), dyn_real(f.icept),
                    num_array(c, lf, m)};
    set_tuple(c, out, t, 6);
}

/* series_fit_line_dynamic(x) : the same as a property bag */
static void fn_series_fit_line_dynamic(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    kql_value tup;
    memset(&tup, 0, sizeof tup);
    tup.type = KQL_DYNAMIC;
    fn_series_fit_line(c, a, n, &tup);
    if (tup.null) {
        kql_set_null(out);
        return;
    }
    static const char *names[6] = {"rsquare", "slope", "variance", "rvariance", "interception", "line_fit"};
    fn_bag b;
    bag_init(&b, c->arena, 6);
    for (int i = 0; i < 6; i++) bag_append(&b, names[i], strlen(names[i]), tup.u.d->u.items[i]);
    fn_set_dyn(out, bag_done(&b));
}

/* series_fit_2lines(x) : [rsquare, split_idx, variance, rvariance, line_fit,
 * right_rsquare, right_slope, right_interception, right_variance,
 * right_rvariance, left_rsquare, left_slope, left_interception,
 * left_variance, left_rvariance]. Each split i (2 <= i <= n-2) fits
 * [0, i) and [i, n) separately; the best total r-square wins. */
static bool fit2(kql_fctx *c, const kql_value *a, kql_dyn t[15]) {
    double *y;
    size_t m;
    if (!get_series(c, &a[0], &y, &m) || m < 4) return false;
    fit all = fit_line(y, 0, m);
    double best = -INFINITY;
    size_t split = 2;
    fit L = {0, 0, 0, 0, 0, 0, 0}, R = L;
    for (size_t i = 2; i + 2 <= m; i++) {
        fit l = fit_line(y, 0, i), r = fit_line(y, i, m);
        double rsq = all.sstot > 0 ? 1 - (l.ssres + r.ssres) / all.sstot : 1;
        if (rsq > best) best = rsq, split = i, L = l, R = r;
    }
    double *lf = (double *)kql_falloc(c, m * sizeof(double));
    double ssres = 0;
    for (size_t i = 0; i < m; i++) {
        const fit *f = i < split ? &L : &R;
        lf[i] = f->slope * (double)(i + 1) + f->icept;
        double e = (isnan(y[i]) ? 0 : y[i]) - lf[i];
        ssres += e * e;
    }
    kql_dyn r[15] = {dyn_real(best),    dyn_long((int64_t)split), dyn_real(all.var), dyn_real(ssres / (double)(m - 1)),
                     num_array(c, lf, m), dyn_real(R.rsq),        dyn_real(R.slope), dyn_real(R.icept),
                     dyn_real(R.var),   dyn_real(R.rvar),         dyn_real(L.rsq),   dyn_real(L.slope),
                     dyn_real(L.icept), dyn_real(L.var),          dyn_real(L.rvar)};
    memcpy(t, r, sizeof r);
    return true;
}

static void fn_series_fit_2lines(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    kql_dyn t[15];
    if (!fit2(c, a, t)) kql_set_null(out);
    else set_tuple(c, out, t, 15);
}

static void fn_series_fit_2lines_dynamic(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    static const char *names[15] = {"rsquare",        "split_idx",      "variance",       "rvariance",
                                    "line_fit",       "right_rsquare",  "right_slope",    "right_interception",
                                    "right_variance", "right_rvariance", "left_rsquare",  "left_slope",
                                    "left_interception", "left_variance", "left_rvariance"};
    kql_dyn t[15];
    if (!fit2(c, a, t)) {
        kql_set_null(out);
        return;
    }
    fn_bag b;
    bag_init(&b, c->arena, 15);
    for (int i = 0; i < 15; i++) bag_append(&b, names[i], strlen(names[i]), t[i]);
    fn_set_dyn(out, bag_done(&b));
}

/* --------------------------------------------------------------- outliers
 * Tukey's fences: with percentiles Qlow, Qhigh (25/75 for "tukey", 10/90 or
 * custom for "ctukey"), a value above Qhigh scores (v - Qhigh)/(Qhigh - Qlow),
 * below Qlow (v - Qlow)/(Qhigh - Qlow), otherwise 0; missing values score 0.
 * Percentiles interpolate linearly between ranks. */
static int cmp_d(const void *p, const void *q) {
    double x = *(const double *)p, y = *(const double *)q;
    return x < y ? -1 : x > y;
}

static double pct_interp(const double *sorted, size_t n, double p) {
    if (n == 0) return NAN;
    double pos = p / 100.0 * (double)(n - 1);
    size_t lo = (size_t)floor(pos), hi = lo + 1 < n ? lo + 1 : lo;
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - (double)lo);
}

static void outlier_scores(kql_fctx *c, const double *x, size_t n, double plo, double phi, double *score) {
    double *v = (double *)kql_falloc(c, (n ? n : 1) * sizeof(double));
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i])) v[k++] = x[i];
    qsort(v, k, sizeof(double), cmp_d);
    double ql = pct_interp(v, k, plo), qh = pct_interp(v, k, phi), iqr = qh - ql;
    if (!(iqr > 0)) iqr = 1e-9 * (fabs(qh) > 1 ? fabs(qh) : 1);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || k == 0) score[i] = 0;
        else if (x[i] > qh) score[i] = (x[i] - qh) / iqr;
        else if (x[i] < ql) score[i] = (x[i] - ql) / iqr;
        else score[i] = 0;
    }
}

/* series_outliers(x [, kind [, ignore_val [, min_percentile [, max_percentile]]]]) */
static void fn_series_outliers(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    double *x;
    size_t m;
    if (!get_series(c, &a[0], &x, &m)) {
        kql_set_null(out);
        return;
    }
    bool tukey = n > 1 && sp_str_ieqc(fa_str(c, &a[1]), "tukey");
    double lo = tukey ? 25 : 10, hi = tukey ? 75 : 90;
    if (n > 2) mark_missing(x, m, &a[2]);
    if (!tukey && n > 3) fa_real(&a[3], &lo);
    if (!tukey && n > 4) fa_real(&a[4], &hi);
    if (!(lo >= 2 && hi <= 98 && lo < hi)) lo = 10, hi = 90;
    double *s = (double *)kql_falloc(c, (m ? m : 1) * sizeof(double));
    outlier_scores(c, x, m, lo, hi, s);
    fn_set_dyn(out, dyn_box(c->arena, num_array(c, s, m)));
}

/* ---------------------------------------------------------- decomposition
 * Following Kusto's documented order: the seasonal component is the median
 * of the training points in each phase of the period; the trend is fitted
 * to the deseasonalized training points ("avg": their mean, "linefit": a
 * least-squares line, "none": 0); baseline = seasonal + trend and residual =
 * x - baseline. Test points at the end are left out of the learning and
 * extrapolated. A period of -1 is detected from the autocorrelation of the
 * training points: the strongest lag (4 .. n/2) whose autocorrelation
 * reaches the seasonality threshold (0.6 by default), else none. */
/* The autocorrelation of x[0..lim) for lags 1..maxlag (acf[0] unused), computed
 * on the series clipped to its 5th..95th percentiles so that a few spikes do
 * not hide the period. False when the series is constant. */
static bool robust_acf(kql_fctx *c, const double *x, size_t lim, size_t maxlag, double *acf) {
    double *v = (double *)kql_falloc(c, (lim ? lim : 1) * sizeof(double));
    memcpy(v, x, lim * sizeof(double));
    qsort(v, lim, sizeof(double), cmp_d);
    double lo = pct_interp(v, lim, 5), hi = pct_interp(v, lim, 95);
    for (size_t i = 0; i < lim; i++) v[i] = x[i] < lo ? lo : x[i] > hi ? hi : x[i];
    double mean = 0, den = 0;
    for (size_t i = 0; i < lim; i++) mean += v[i];
    mean /= (double)lim;
    for (size_t i = 0; i < lim; i++) den += (v[i] - mean) * (v[i] - mean);
    if (den <= 0) return false;
    for (size_t L = 1; L <= maxlag && L < lim; L++) {
        double s = 0;
        for (size_t i = 0; i + L < lim; i++) s += (v[i] - mean) * (v[i + L] - mean);
        acf[L] = s / den;
    }
    return true;
}

static size_t detect_period(kql_fctx *c, const double *x, size_t n, double threshold) {
    if (n < 8) return 0;
    size_t lim = n > 4096 ? 4096 : n;
    double *acf = (double *)kql_falloc(c, (lim / 2 + 2) * sizeof(double));
    if (!robust_acf(c, x, lim, lim / 2, acf)) return 0;
    size_t best = 0;
    double bestv = threshold;
    for (size_t L = 4; L + 1 <= lim / 2; L++)
        if (acf[L] >= bestv && acf[L] >= acf[L - 1] && acf[L] >= acf[L + 1]) best = L, bestv = acf[L];
    return best;
}

static double median_of(double *v, size_t n) {
    if (n == 0) return 0;
    qsort(v, n, sizeof(double), cmp_d);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct decomp {
    double *baseline, *seasonal, *trend, *residual;
    size_t n;
} decomp;

/* args from `first`: period, trend, test_points, seasonality_threshold */
static bool decompose(kql_fctx *c, const kql_value *series, const kql_value *period, const kql_value *trend_arg,
                      const kql_value *test_pts, const kql_value *thr_arg, decomp *d) {
    double *x;
    size_t n;
    if (!get_series(c, series, &x, &n)) return false;
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i])) x[i] = 0;
    int64_t per = -1, tp = 0;
    double thr = 0.6;
    sp_str trend = SP_STR("avg");
    if (period && !fa_isnull(period)) fa_long(period, &per);
    if (trend_arg && !fa_isnull(trend_arg)) trend = fa_str(c, trend_arg);
    if (test_pts && !fa_isnull(test_pts)) fa_long(test_pts, &tp);
    if (thr_arg && !fa_isnull(thr_arg)) fa_real(thr_arg, &thr);
    if (tp < 0 || (size_t)tp >= n) tp = 0;
    size_t train = n - (size_t)tp;
    if (per < 0) per = (int64_t)detect_period(c, x, train, thr);
    if ((size_t)per > train / 2) per = 0;
    d->n = n;
    d->seasonal = (double *)kql_falloc(c, (n ? n : 1) * sizeof(double));
    d->trend = (double *)kql_falloc(c, (n ? n : 1) * sizeof(double));
    d->baseline = (double *)kql_falloc(c, (n ? n : 1) * sizeof(double));
    d->residual = (double *)kql_falloc(c, (n ? n : 1) * sizeof(double));
    memset(d->seasonal, 0, (n ? n : 1) * sizeof(double));
    if (per > 0) {
        double *buf = (double *)kql_falloc(c, (train / (size_t)per + 2) * sizeof(double));
        for (size_t ph = 0; ph < (size_t)per; ph++) {
            size_t k = 0;
            for (size_t i = ph; i < train; i += (size_t)per) buf[k++] = x[i];
            double med = median_of(buf, k);
            for (size_t i = ph; i < n; i += (size_t)per) d->seasonal[i] = med;
        }
    }
    double *des = (double *)kql_falloc(c, (n ? n : 1) * sizeof(double));
    for (size_t i = 0; i < n; i++) des[i] = x[i] - d->seasonal[i];
    if (sp_str_ieqc(trend, "linefit")) {
        fit f = fit_line(des, 0, train);
        for (size_t i = 0; i < n; i++) d->trend[i] = f.slope * (double)(i + 1) + f.icept;
    } else if (sp_str_ieqc(trend, "none")) {
        memset(d->trend, 0, n * sizeof(double));
    } else {
        double m = 0;
        for (size_t i = 0; i < train; i++) m += des[i];
        m = train ? m / (double)train : 0;
        for (size_t i = 0; i < n; i++) d->trend[i] = m;
    }
    for (size_t i = 0; i < n; i++) {
        d->baseline[i] = d->seasonal[i] + d->trend[i];
        d->residual[i] = x[i] - d->baseline[i];
    }
    return true;
}

static const kql_value *opt(const kql_value *a, size_t n, size_t i) { return i < n ? &a[i] : NULL; }

/* series_decompose(x [, period [, trend [, test_points [, threshold]]]]) :
 * [baseline, seasonal, trend, residual] */
static void fn_series_decompose(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    decomp d;
    if (!decompose(c, &a[0], opt(a, n, 1), opt(a, n, 2), opt(a, n, 3), opt(a, n, 4), &d)) {
        kql_set_null(out);
        return;
    }
    kql_dyn t[4] = {num_array(c, d.baseline, d.n), num_array(c, d.seasonal, d.n), num_array(c, d.trend, d.n),
                    num_array(c, d.residual, d.n)};
    set_tuple(c, out, t, 4);
}

/* series_decompose_forecast(x, test_points [, period [, trend [, threshold]]]) :
 * [baseline, seasonal, trend, residual], learning without the last points */
static void fn_series_decompose_forecast(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    decomp d;
    if (!decompose(c, &a[0], opt(a, n, 2), opt(a, n, 3), opt(a, n, 1), opt(a, n, 4), &d)) {
        kql_set_null(out);
        return;
    }
    kql_dyn t[4] = {num_array(c, d.baseline, d.n), num_array(c, d.seasonal, d.n), num_array(c, d.trend, d.n),
                    num_array(c, d.residual, d.n)};
    set_tuple(c, out, t, 4);
}

/* series_decompose_anomalies(x [, threshold [, period [, trend [,
 * test_points [, method [, seasonality_threshold]]]]]]) :
 * [ad_flag, ad_score, baseline]; ad_score is series_outliers() of the
 * residual ("ctukey" by default), ad_flag is +1/-1/0 where the score is
 * above threshold (1.5), below -threshold, or neither. */
static void fn_series_decompose_anomalies(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    double k = 1.5;
    if (n > 1 && !fa_isnull(&a[1])) fa_real(&a[1], &k);
    decomp d;
    if (!decompose(c, &a[0], opt(a, n, 2), opt(a, n, 3), opt(a, n, 4), opt(a, n, 6), &d)) {
        kql_set_null(out);
        return;
    }
    bool tukey = n > 5 && sp_str_ieqc(fa_str(c, &a[5]), "tukey");
    double *score = (double *)kql_falloc(c, (d.n ? d.n : 1) * sizeof(double));
    double *flag = (double *)kql_falloc(c, (d.n ? d.n : 1) * sizeof(double));
    outlier_scores(c, d.residual, d.n, tukey ? 25 : 10, tukey ? 75 : 90, score);
    for (size_t i = 0; i < d.n; i++) flag[i] = score[i] > k ? 1 : score[i] < -k ? -1 : 0;
    kql_dyn t[3] = {long_array(c, flag, d.n), num_array(c, score, d.n), num_array(c, d.baseline, d.n)};
    set_tuple(c, out, t, 3);
}

/* series_seasonal(x [, period]) : the seasonal component (median per phase) */
static void fn_series_seasonal(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    decomp d;
    kql_value none = {.type = KQL_STRING};
    none.u.s = SP_STR("none");
    if (!decompose(c, &a[0], opt(a, n, 1), &none, NULL, NULL, &d)) {
        kql_set_null(out);
        return;
    }
    fn_set_dyn(out, dyn_box(c->arena, num_array(c, d.seasonal, d.n)));
}

/* series_periods_detect(x, min_period, max_period, num_periods) :
 * [periods, scores] from the autocorrelation's strongest local maxima */
static void fn_series_periods_detect(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    double *x, lo, hi;
    size_t m;
    int64_t want;
    if (!get_series(c, &a[0], &x, &m) || !fa_real(&a[1], &lo) || !fa_real(&a[2], &hi) || !fa_long(&a[3], &want)) {
        kql_set_null(out);
        return;
    }
    for (size_t i = 0; i < m; i++)
        if (!isfinite(x[i])) x[i] = 0;
    size_t lim = m > 4096 ? 4096 : m;
    fn_arr per, sc;
    arr_init(&per, c->arena, 4);
    arr_init(&sc, c->arena, 4);
    if (!(lo >= 0) || !(hi >= 0)) lo = hi = 0; /* NaN and negatives: nothing to detect */
    if (want > 64) want = 64;
    size_t Lmin = lo < 2 ? 2 : lo > (double)lim ? lim : (size_t)ceil(lo);
    size_t Lmax = hi > (double)(lim / 2) ? lim / 2 : (size_t)hi;
    double *acf = (double *)kql_falloc(c, (Lmax + 3) * sizeof(double));
    if (lim >= 4 && want > 0 && robust_acf(c, x, lim, Lmax + 1, acf)) {
        for (int64_t k = 0; k < want; k++) {
            size_t best = 0;
            double bv = 0;
            for (size_t L = Lmin; L <= Lmax && L + 1 < lim; L++) {
                bool taken = false;
                for (size_t j = 0; j < per.n; j++)
                    if (per.v[j].u.i == (int64_t)L) taken = true;
                if (!taken && acf[L] > bv && acf[L] >= acf[L - 1] && acf[L] >= acf[L + 1]) best = L, bv = acf[L];
            }
            if (!best) break;
            arr_push(&per, dyn_long((int64_t)best));
            arr_push(&sc, dyn_real(bv));
        }
    }
    kql_dyn t[2] = {*arr_done(&per), *arr_done(&sc)};
    set_tuple(c, out, t, 2);
}

/* The results of the multi-result functions, in order (Kusto's names); an
 * unnamed `extend f(x)` makes columns f_x_<result>. */
static const char *const T_STATS[] = {"min", "min_idx", "max", "max_idx", "avg", "stdev", "variance"};
static const char *const T_FIT[] = {"rsquare", "slope", "variance", "rvariance", "interception", "line_fit"};
static const char *const T_FIT2[] = {"rsquare",        "split_idx",       "variance",      "rvariance",
                                     "line_fit",       "right_rsquare",   "right_slope",   "right_interception",
                                     "right_variance", "right_rvariance", "left_rsquare",  "left_slope",
                                     "left_interception", "left_variance", "left_rvariance"};
static const char *const T_DECOMP[] = {"baseline", "seasonal", "trend", "residual"};
static const char *const T_ANOM[] = {"ad_flag", "ad_score", "baseline"};
static const char *const T_PERIODS[] = {"periods", "scores"};

const char *const *kql_fn_tuple_names(const char *name, size_t *n) {
    static const struct {
        const char *fn;
        const char *const *names;
        size_t n;
    } T[] = {
        {"series_stats", T_STATS, 7},       {"series_fit_line", T_FIT, 6},         {"series_fit_2lines", T_FIT2, 15},
        {"series_decompose", T_DECOMP, 4},  {"series_decompose_forecast", T_DECOMP, 4},
        {"series_decompose_anomalies", T_ANOM, 3}, {"series_periods_detect", T_PERIODS, 2},
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(T); i++)
        if (strcmp(name, T[i].fn) == 0) {
            *n = T[i].n;
            return T[i].names;
        }
    *n = 0;
    return NULL;
}

#define S(nm, params) {#nm, KQL_FN_SCALAR, params, "dynamic", NULL, NULL, fn_##nm, NULL, 0, NULL}
#define SN(nm, params) {#nm, KQL_FN_SCALAR, params, "dynamic", NULL, NULL, fn_##nm, NULL, KQL_FNF_NAME_ARG0, NULL}
static const kql_fn FNS[] = {
    S(series_add, "a,a"), S(series_subtract, "a,a"), S(series_multiply, "a,a"), S(series_divide, "a,a"),
    S(series_pow, "a,a"), S(series_greater, "a,a"), S(series_greater_equals, "a,a"), S(series_less, "a,a"),
    S(series_less_equals, "a,a"), S(series_equals, "a,a"), S(series_not_equals, "a,a"),
    S(series_abs, "y"), S(series_sign, "y"), S(series_exp, "y"), S(series_log, "y"), S(series_floor, "y"),
    S(series_ceiling, "y"), S(series_sin, "y"), S(series_cos, "y"), S(series_tan, "y"), S(series_asin, "y"),
    S(series_acos, "y"), S(series_atan, "y"),
    {"series_sum", KQL_FN_SCALAR, "y", "real", NULL, NULL, fn_series_sum, NULL, 0, NULL},
    SN(series_fill_forward, "y,n?"), SN(series_fill_backward, "y,n?"), SN(series_fill_const, "y,n?,n?"),
    SN(series_fill_linear, "y,n?,b?,n?"),
    S(series_stats, "y,b?"), S(series_stats_dynamic, "y,b?"),
    {"series_pearson_correlation", KQL_FN_SCALAR, "y,y", "real", NULL, NULL, fn_series_pearson_correlation, NULL, 0,
     NULL},
    S(series_fit_line, "y"), S(series_fit_line_dynamic, "y"), S(series_fit_2lines, "y"),
    S(series_fit_2lines_dynamic, "y"),
    SN(series_outliers, "y,s?,n?,n?,n?"),
    S(series_decompose, "y,i?,s?,i?,n?"), S(series_decompose_forecast, "y,i,i?,s?,n?"),
    S(series_decompose_anomalies, "y,n?,i?,s?,i?,s?,n?"), S(series_seasonal, "y,i?,i?"),
    S(series_periods_detect, "y,n,n,i"),
};

KQL_FN_TABLE(kql_fns_series, FNS);
