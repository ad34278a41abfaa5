/* Date and time functions: calendar parts, start/end of periods, differences
 * and additions by calendar part, formatting, construction, time zones. */
#include "fn_util.h"
#include "tz.h"

#include <math.h>
#include <stdio.h>

/* Weeks start on Sunday; ISO weeks (week_of_year) on Monday. Results outside
 * 0001-01-01 .. 9999-12-31 are null. */

static bool dt_ok(int64_t t) { return t >= SP_DT_MIN && t <= SP_DT_MAX; }

static int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static int64_t day_start(int64_t t) { return floor_div(t, SP_TICKS_PER_DAY) * SP_TICKS_PER_DAY; }
static int64_t days_of(int64_t t) { return floor_div(t, SP_TICKS_PER_DAY); }
static int weekday(int64_t t) { return (int)(((days_of(t) + 4) % 7 + 7) % 7); } /* 0 = Sunday */

static int dim(int y, int m) {
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* adds months keeping the time of day; the day clamps to the month's end */
static bool add_months(int64_t t, int64_t months, int64_t *out) {
    sp_tm tm;
    sp_ticks_to_tm(t, &tm);
    int64_t mi = (int64_t)tm.year * 12 + (tm.month - 1) + months;
    if (months > 120000 || months < -120000) return false;
    int y = (int)floor_div(mi, 12), m = (int)(mi - floor_div(mi, 12) * 12) + 1;
    if (y < 1 || y > 9999) return false;
    if (tm.day > dim(y, m)) tm.day = dim(y, m);
    tm.year = y;
    tm.month = m;
    return sp_tm_to_ticks(&tm, out);
}

/* --------------------------------------------------------------- periods */
typedef enum { P_DAY, P_WEEK, P_MONTH, P_YEAR } period;

static bool start_of(int64_t t, period p, int64_t off, int64_t *out) {
    if (off > 100000 || off < -100000) return false;
    switch (p) {
    case P_DAY: *out = day_start(t) + off * SP_TICKS_PER_DAY; break;
    case P_WEEK: *out = day_start(t) - (int64_t)weekday(t) * SP_TICKS_PER_DAY + off * 7 * SP_TICKS_PER_DAY; break;
    case P_MONTH: {
        sp_tm tm;
        sp_ticks_to_tm(t, &tm);
        int64_t first = sp_days_from_civil(tm.year, tm.month, 1) * SP_TICKS_PER_DAY;
        if (!add_months(first, off, out)) return false;
        break;
    }
    case P_YEAR: {
        sp_tm tm;
        sp_ticks_to_tm(t, &tm);
        int64_t y = tm.year + off;
        if (y < 1 || y > 9999) return false;
        *out = sp_days_from_civil((int)y, 1, 1) * SP_TICKS_PER_DAY;
        break;
    }
    }
    return dt_ok(*out);
}

static bool end_of(int64_t t, period p, int64_t off, int64_t *out) {
    int64_t s;
    if (off > 100000 || off < -100000) return false;
    if (p == P_YEAR) {
        sp_tm tm;
        sp_ticks_to_tm(t, &tm);
        int64_t y = tm.year + off;
        if (y < 1 || y > 9999) return false;
        *out = sp_days_from_civil((int)y, 12, 31) * SP_TICKS_PER_DAY + SP_TICKS_PER_DAY - 1;
        return true;
    }
    if (p == P_MONTH) {
        if (!start_of(t, P_MONTH, off, &s)) return false;
        sp_tm tm;
        sp_ticks_to_tm(s, &tm);
        *out = s + (int64_t)dim(tm.year, tm.month) * SP_TICKS_PER_DAY - 1;
        return dt_ok(*out);
    }
    if (!start_of(t, p, off + 1, &s)) {
        if (!start_of(t, p, off, &s)) return false;
        *out = s + (p == P_DAY ? SP_TICKS_PER_DAY : 7 * SP_TICKS_PER_DAY) - 1;
        return dt_ok(*out);
    }
    *out = s - 1;
    return dt_ok(*out);
}

static void period_row(kql_fctx *c, const kql_value *a, size_t n, kql_value *out, period p, bool end) {
    (void)c;
    int64_t t, off = 0, r;
    if (!fa_dt(&a[0], &t) || (n > 1 && !fa_isnull(&a[1]) && !fa_long(&a[1], &off)) ||
        !(end ? end_of(t, p, off, &r) : start_of(t, p, off, &r))) {
        kql_set_null(out);
        return;
    }
    kql_set_long(out, r);
}

/* A vectorized form for datetime columns with a constant (or no) offset. */
static void period_vec(kql_fctx *c, kql_col *const *a, size_t na, size_t n, kql_col *out, period p, bool end) {
    const kql_col *v = a[0];
    int64_t off = 0;
    bool fast = v->type == KQL_DATETIME && !(v->flags & KQL_COL_CONST);
    if (na > 1) {
        kql_value o;
        kql_col_get(a[1], 0, &o);
        if (!(a[1]->flags & KQL_COL_CONST) || !fa_long(&o, &off)) fast = false;
    }
    if (fast && p == P_DAY && off > -100000 && off < 100000) {
        const int64_t *in = v->v.i64;
        int64_t *o = out->v.i64, shift = off * SP_TICKS_PER_DAY + (end ? SP_TICKS_PER_DAY - 1 : 0);
        for (size_t i = 0; i < n; i++) {
            if (!dt_ok(in[i])) {
                kql_col_set_null(c->arena, out, i);
                continue;
            }
            int64_t r = floor_div(in[i], SP_TICKS_PER_DAY) * SP_TICKS_PER_DAY + shift;
            o[i] = r;
            if (!dt_ok(r)) kql_col_set_null(c->arena, out, i);
        }
        if (v->nulls) {
            for (size_t i = 0; i < n; i++)
                if (kql_col_isnull(v, i)) kql_col_set_null(c->arena, out, i);
        }
        return;
    }
    if (fast) {
        const int64_t *in = v->v.i64;
        int64_t *o = out->v.i64;
        for (size_t i = 0; i < n; i++) {
            if (kql_col_isnull(v, i) || !dt_ok(in[i]) ||
                !(end ? end_of(in[i], p, off, &o[i]) : start_of(in[i], p, off, &o[i])))
                kql_col_set_null(c->arena, out, i);
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        kql_value args[2], r = {.type = KQL_DATETIME};
        for (size_t k = 0; k < na && k < 2; k++) kql_col_get(a[k], i, &args[k]);
        if (fa_isnull(&args[0])) r.null = true;
        else period_row(c, args, na, &r, p, end);
        kql_col_set(c->arena, out, i, &r);
    }
}

#define PERIOD_FNS(nm, p, end)                                                                      \
    static void fn_##nm(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {                \
        period_row(c, a, n, out, p, end);                                                           \
    }                                                                                               \
    static void fn_##nm##_vec(kql_fctx *c, kql_col *const *a, size_t na, size_t n, kql_col *out) { \
        period_vec(c, a, na, n, out, p, end);                                                       \
    }
PERIOD_FNS(startofday, P_DAY, false)
PERIOD_FNS(startofweek, P_WEEK, false)
PERIOD_FNS(startofmonth, P_MONTH, false)
PERIOD_FNS(startofyear, P_YEAR, false)
PERIOD_FNS(endofday, P_DAY, true)
PERIOD_FNS(endofweek, P_WEEK, true)
PERIOD_FNS(endofmonth, P_MONTH, true)
PERIOD_FNS(endofyear, P_YEAR, true)

/* ----------------------------------------------------------- calendar parts */
/* ISO 8601 week: the week (Monday first) whose Thursday falls in the year */
static int iso_week(int64_t t) {
    int wd = weekday(t);
    int64_t thursday = days_of(t) + (4 - (wd == 0 ? 7 : wd));
    int y, m, d;
    sp_civil_from_days(thursday, &y, &m, &d);
    return (int)((thursday - sp_days_from_civil(y, 1, 1)) / 7) + 1;
}

typedef enum { DP_YEAR, DP_QUARTER, DP_MONTH, DP_WEEK, DP_DAY, DP_DOY, DP_HOUR, DP_MIN, DP_SEC, DP_MS, DP_US, DP_NS,
               DP_BAD } dpart;

static dpart parse_part(sp_str s) {
    static const struct {
        const char *n;
        dpart p;
    } names[] = {
        {"year", DP_YEAR},     {"quarter", DP_QUARTER}, {"month", DP_MONTH},   {"week_of_year", DP_WEEK},
        {"week", DP_WEEK},     {"day", DP_DAY},         {"dayofyear", DP_DOY}, {"hour", DP_HOUR},
        {"minute", DP_MIN},    {"second", DP_SEC},      {"millisecond", DP_MS}, {"microsecond", DP_US},
        {"nanosecond", DP_NS},
    };
    for (size_t i = 0; i < SP_ARRAY_LEN(names); i++)
        if (sp_str_ieqc(s, names[i].n)) return names[i].p;
    return DP_BAD;
}

static int64_t part_of(int64_t t, dpart p) {
    sp_tm tm;
    sp_ticks_to_tm(t, &tm);
    switch (p) {
    case DP_YEAR: return tm.year;
    case DP_QUARTER: return (tm.month - 1) / 3 + 1;
    case DP_MONTH: return tm.month;
    case DP_WEEK: return iso_week(t);
    case DP_DAY: return tm.day;
    case DP_DOY: return days_of(t) - sp_days_from_civil(tm.year, 1, 1) + 1;
    case DP_HOUR: return tm.hour;
    case DP_MIN: return tm.min;
    case DP_SEC: return tm.sec;
    case DP_MS: return tm.frac / 10000;
    case DP_US: return tm.frac / 10;
    case DP_NS: return (int64_t)tm.frac * 100;
    default: return 0;
    }
}

/* The part argument (a literal): checked when binding. */
static bool bind_part(kql_bindctx *b, kql_expr *call, uint32_t i, bool for_part) {
    sp_str s;
    if (!fb_const_str(call, i, &s)) return true;
    dpart p = parse_part(s);
    bool ok = p != DP_BAD && (for_part ? !(sp_str_ieqc(s, "week")) : (p != DP_DOY && !sp_str_ieqc(s, "week_of_year")));
    if (!ok) {
        kql_bind_error(b, call->args[i], "bad_argument", "'%.*s' is not a datetime part this function accepts",
                       (int)SP_MIN(s.n, 64), s.p);
        return false;
    }
    return true;
}

static kql_type bind_datetime_part(kql_bindctx *b, kql_expr *call) {
    return bind_part(b, call, 0, true) ? KQL_INT : KQL_UNKNOWN;
}
static kql_type bind_datetime_diff(kql_bindctx *b, kql_expr *call) {
    return bind_part(b, call, 0, false) ? KQL_LONG : KQL_UNKNOWN;
}
static kql_type bind_datetime_add(kql_bindctx *b, kql_expr *call) {
    return bind_part(b, call, 0, false) ? KQL_DATETIME : KQL_UNKNOWN;
}

/* datetime_part(part, datetime) : int */
static void fn_datetime_part(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    int64_t t;
    dpart p = parse_part(fa_str(c, &a[0]));
    if (p == DP_BAD || !fa_dt(&a[1], &t)) {
        kql_set_null(out);
        return;
    }
    kql_set_long(out, part_of(t, p));
}

/* single-part helpers: getyear, getmonth, dayofmonth, ... */
static void part_row(const kql_value *a, kql_value *out, dpart p) {
    int64_t t;
    if (!fa_dt(&a[0], &t)) kql_set_null(out);
    else kql_set_long(out, part_of(t, p));
}

static void part_vec(kql_fctx *c, kql_col *const *a, size_t n, kql_col *out, dpart p) {
    const kql_col *v = a[0];
    if (v->type == KQL_DATETIME && !(v->flags & KQL_COL_CONST) && out->type == KQL_INT) {
        for (size_t i = 0; i < n; i++) {
            if (kql_col_isnull(v, i) || !dt_ok(v->v.i64[i])) kql_col_set_null(c->arena, out, i);
            else if (p == DP_HOUR) out->v.i32[i] = (int32_t)(floor_div(v->v.i64[i], SP_TICKS_PER_HOUR) -
                                                        floor_div(v->v.i64[i], SP_TICKS_PER_DAY) * 24);
            else out->v.i32[i] = (int32_t)part_of(v->v.i64[i], p);
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        kql_value x, r = {.type = out->type};
        kql_col_get(v, i, &x);
        part_row(&x, &r, p);
        kql_col_set(c->arena, out, i, &r);
    }
}

#define PART_FNS(nm, p)                                                                             \
    static void fn_##nm(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {                \
        (void)c, (void)n;                                                                           \
        part_row(a, out, p);                                                                        \
    }                                                                                               \
    static void fn_##nm##_vec(kql_fctx *c, kql_col *const *a, size_t na, size_t n, kql_col *out) { \
        (void)na;                                                                                   \
        part_vec(c, a, n, out, p);                                                                  \
    }
PART_FNS(getyear, DP_YEAR)
PART_FNS(getmonth, DP_MONTH)
PART_FNS(dayofmonth, DP_DAY)
PART_FNS(dayofyear, DP_DOY)
PART_FNS(hourofday, DP_HOUR)
PART_FNS(week_of_year, DP_WEEK)

/* dayofweek(datetime) : timespan, whole days since the preceding Sunday */
static void fn_dayofweek(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    int64_t t;
    if (!fa_dt(&a[0], &t)) kql_set_null(out);
    else kql_set_long(out, (int64_t)weekday(t) * SP_TICKS_PER_DAY);
}

/* -------------------------------------------------------- difference, add */

/* datetime_diff(part, datetime1, datetime2) : long, the number of part
 * boundaries between them (datetime1 - datetime2), counted on the calendar:
 * years and months by their numbers, weeks by their Sunday starts, days by
 * their midnights, smaller parts by truncating each datetime to the part. */
static void fn_datetime_diff(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    int64_t t1, t2;
    dpart p = parse_part(fa_str(c, &a[0]));
    if (p == DP_BAD || !fa_dt(&a[1], &t1) || !fa_dt(&a[2], &t2)) {
        kql_set_null(out);
        return;
    }
    sp_tm x, y;
    sp_ticks_to_tm(t1, &x);
    sp_ticks_to_tm(t2, &y);
    int64_t r;
    switch (p) {
    case DP_YEAR: r = x.year - y.year; break;
    case DP_QUARTER: r = ((int64_t)x.year * 4 + (x.month - 1) / 3) - ((int64_t)y.year * 4 + (y.month - 1) / 3); break;
    case DP_MONTH: r = ((int64_t)x.year * 12 + x.month) - ((int64_t)y.year * 12 + y.month); break;
    case DP_WEEK: {
        int64_t w1 = days_of(t1) - weekday(t1), w2 = days_of(t2) - weekday(t2);
        r = (w1 - w2) / 7;
        break;
    }
    case DP_DAY: r = days_of(t1) - days_of(t2); break;
    case DP_HOUR: r = floor_div(t1, SP_TICKS_PER_HOUR) - floor_div(t2, SP_TICKS_PER_HOUR); break;
    case DP_MIN: r = floor_div(t1, SP_TICKS_PER_MIN) - floor_div(t2, SP_TICKS_PER_MIN); break;
    case DP_SEC: r = floor_div(t1, SP_TICKS_PER_SEC) - floor_div(t2, SP_TICKS_PER_SEC); break;
    case DP_MS: r = floor_div(t1, SP_TICKS_PER_MS) - floor_div(t2, SP_TICKS_PER_MS); break;
    case DP_US: r = floor_div(t1, SP_TICKS_PER_US) - floor_div(t2, SP_TICKS_PER_US); break;
    case DP_NS: r = (t1 - t2) * 100; break;
    default: kql_set_null(out); return;
    }
    kql_set_long(out, r);
}

/* datetime_add(part, amount, datetime) : datetime; months and years clamp
 * the day to the end of a shorter month */
static void fn_datetime_add(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    int64_t amt, t, r;
    dpart p = parse_part(fa_str(c, &a[0]));
    if (p == DP_BAD || !fa_long(&a[1], &amt) || !fa_dt(&a[2], &t)) {
        kql_set_null(out);
        return;
    }
    int64_t unit = 0;
    bool ok = true;
    switch (p) {
    case DP_YEAR: ok = amt > -10000 && amt < 10000 && add_months(t, amt * 12, &r); break;
    case DP_QUARTER: ok = amt > -40000 && amt < 40000 && add_months(t, amt * 3, &r); break;
    case DP_MONTH: ok = add_months(t, amt, &r); break;
    case DP_WEEK: unit = 7 * SP_TICKS_PER_DAY; break;
    case DP_DAY: unit = SP_TICKS_PER_DAY; break;
    case DP_HOUR: unit = SP_TICKS_PER_HOUR; break;
    case DP_MIN: unit = SP_TICKS_PER_MIN; break;
    case DP_SEC: unit = SP_TICKS_PER_SEC; break;
    case DP_MS: unit = SP_TICKS_PER_MS; break;
    case DP_US: unit = SP_TICKS_PER_US; break;
    case DP_NS: r = t + amt / 100; break;
    default: ok = false;
    }
    if (unit) {
        if (amt > INT64_MAX / unit || amt < INT64_MIN / unit) ok = false;
        else r = t + amt * unit;
    }
    if (!ok || !dt_ok(r)) kql_set_null(out);
    else kql_set_long(out, r);
}

/* ------------------------------------------------------------- formatting */
static const char *MONTHS[] = {"January", "February", "March",     "April",   "May",      "June",
                               "July",    "August",   "September", "October", "November", "December"};
static const char *DAYS[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};

static void put_num(fn_sb *b, int64_t v, int width) { sb_printf(b, "%0*lld", width, (long long)v); }

/* fractions: count digits of the 7-digit tick fraction; F trims zeros */
static void put_frac(fn_sb *b, int frac, int count, bool trim) {
    char d[8];
    snprintf(d, sizeof d, "%07d", frac);
    int k = count > 7 ? 7 : count;
    if (trim)
        while (k > 0 && d[k - 1] == '0') k--;
    sb_put(b, d, (size_t)k);
}

/* format_datetime(datetime, format) : string. Specifiers: d dd (ddd dddd:
 * day names), f..fffffff, F..FFFFFFF, h hh H HH, m mm, M MM (MMM MMMM: month
 * names), s ss, y yy yyyy, tt (t); anything else is copied as is. */
static void fn_format_datetime(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    int64_t t;
    if (!fa_dt(&a[0], &t)) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    sp_str f = fa_str(c, &a[1]);
    sp_tm tm;
    sp_ticks_to_tm(t, &tm);
    fn_sb b;
    sb_init(&b, c->arena, f.n * 2 + 8);
    for (size_t i = 0; i < f.n;) {
        char ch = f.p[i];
        size_t k = i;
        while (k < f.n && f.p[k] == ch) k++;
        int cnt = (int)(k - i);
        switch (ch) {
        case 'd':
            if (cnt <= 2) put_num(&b, tm.day, cnt);
            else if (cnt == 3) sb_put(&b, DAYS[weekday(t)], 3);
            else sb_puts(&b, DAYS[weekday(t)]);
            break;
        case 'f': put_frac(&b, tm.frac, cnt, false); break;
        case 'F': put_frac(&b, tm.frac, cnt, true); break;
        case 'h': put_num(&b, tm.hour % 12 == 0 ? 12 : tm.hour % 12, cnt > 2 ? 2 : cnt); break;
        case 'H': put_num(&b, tm.hour, cnt > 2 ? 2 : cnt); break;
        case 'm': put_num(&b, tm.min, cnt > 2 ? 2 : cnt); break;
        case 's': put_num(&b, tm.sec, cnt > 2 ? 2 : cnt); break;
        case 'M':
            if (cnt <= 2) put_num(&b, tm.month, cnt);
            else if (cnt == 3) sb_put(&b, MONTHS[tm.month - 1], 3);
            else sb_puts(&b, MONTHS[tm.month - 1]);
            break;
        case 'y':
            if (cnt == 1) put_num(&b, tm.year % 100, 1);
            else if (cnt == 2) put_num(&b, tm.year % 100, 2);
            else put_num(&b, tm.year, cnt);
            break;
        case 't':
            if (cnt == 1) sb_putc(&b, tm.hour < 12 ? 'A' : 'P');
            else sb_puts(&b, tm.hour < 12 ? "AM" : "PM");
            break;
        default: sb_put(&b, f.p + i, (size_t)cnt); break;
        }
        i = k;
    }
    sb_done(c, &b, out);
}

/* format_timespan(timespan, format) : string. d..dddddddd (whole days,
 * zero-padded to the count), h hh / H HH (hours of the day part), m mm,
 * s ss, f/F fractions; a negative timespan gets a leading '-'. */
static void fn_format_timespan(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    int64_t t;
    if (!fa_ts(&a[0], &t)) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    sp_str f = fa_str(c, &a[1]);
    fn_sb b;
    sb_init(&b, c->arena, f.n * 2 + 8);
    uint64_t u = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
    if (t < 0) sb_putc(&b, '-');
    int64_t days = (int64_t)(u / SP_TICKS_PER_DAY), rem = (int64_t)(u % SP_TICKS_PER_DAY);
    int hh = (int)(rem / SP_TICKS_PER_HOUR), mm = (int)(rem / SP_TICKS_PER_MIN % 60),
        ss = (int)(rem / SP_TICKS_PER_SEC % 60), frac = (int)(rem % SP_TICKS_PER_SEC);
    for (size_t i = 0; i < f.n;) {
        char ch = f.p[i];
        size_t k = i;
        while (k < f.n && f.p[k] == ch) k++;
        int cnt = (int)(k - i);
        switch (ch) {
        case 'd': put_num(&b, days, cnt > 8 ? 8 : cnt); break;
        case 'h':
        case 'H': put_num(&b, hh, cnt > 2 ? 2 : cnt); break;
        case 'm': put_num(&b, mm, cnt > 2 ? 2 : cnt); break;
        case 's': put_num(&b, ss, cnt > 2 ? 2 : cnt); break;
        case 'f': put_frac(&b, frac, cnt, false); break;
        case 'F': put_frac(&b, frac, cnt, true); break;
        default: sb_put(&b, f.p + i, (size_t)cnt); break;
        }
        i = k;
    }
    sb_done(c, &b, out);
}

/* ----------------------------------------------------------- construction */

/* make_datetime(year, month, day [, hour, minute, second]) : datetime; the
 * seconds may have a fraction (to 100 ns); invalid dates give null.
 * make_datetime(value) converts one value as todatetime does. */
static bool to_datetime(kql_fctx *c, const kql_value *v, int64_t *out);

static void fn_make_datetime(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    int64_t t;
    if (n == 1) {
        if (to_datetime(c, &a[0], &t)) kql_set_long(out, t);
        else kql_set_null(out);
        return;
    }
    int64_t y, m, d, h = 0, mi = 0;
    double s = 0;
    if (!fa_long(&a[0], &y) || !fa_long(&a[1], &m) || !fa_long(&a[2], &d) || (n > 3 && !fa_long(&a[3], &h)) ||
        (n > 4 && !fa_long(&a[4], &mi)) || (n > 5 && !fa_real(&a[5], &s)) || !(s >= 0 && s < 60)) {
        kql_set_null(out);
        return;
    }
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59) {
        kql_set_null(out);
        return;
    }
    sp_tm tm = {(int)y, (int)m, (int)d, (int)h, (int)mi, 0, 0};
    int64_t base;
    if (!sp_tm_to_ticks(&tm, &base)) {
        kql_set_null(out);
        return;
    }
    kql_set_long(out, base + (int64_t)llround(s * SP_TICKS_PER_SEC));
}

/* make_timespan(days, hours, minutes, seconds) or (hours, minutes [, seconds])
 * : timespan; make_timespan(value) converts one value as totimespan does */
static bool to_timespan(kql_fctx *c, const kql_value *v, int64_t *out);

static bool within(int64_t v, int64_t lim) { return v >= -lim && v <= lim; }

static void fn_make_timespan(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    int64_t t;
    if (n == 1) {
        if (to_timespan(c, &a[0], &t)) kql_set_long(out, t);
        else kql_set_null(out);
        return;
    }
    int64_t d = 0, h, m, s = 0;
    size_t k = 0;
    if (n == 4 && !fa_long(&a[k++], &d)) goto bad;
    if (!fa_long(&a[k++], &h) || !fa_long(&a[k++], &m)) goto bad;
    if (k < n && !fa_long(&a[k], &s)) goto bad;
    if (!within(d, 10675199) || !within(h, 256204778) || !within(m, 15372286728LL) || !within(s, 922337203685LL))
        goto bad;
    kql_set_long(out, d * SP_TICKS_PER_DAY + h * SP_TICKS_PER_HOUR + m * SP_TICKS_PER_MIN + s * SP_TICKS_PER_SEC);
    return;
bad:
    kql_set_null(out);
}

/* unixtime_*_todatetime(number) : datetime; fractions are kept to 100 ns */
static void unix_to_dt(const kql_value *a, kql_value *out, double ticks_per_unit, int64_t units_per_tick) {
    kql_value s;
    int64_t i;
    double r;
    if (a->type == KQL_DYNAMIC) kql_dyn_to_value(a->u.d, &s);
    else s = *a;
    if (s.type == KQL_INT || s.type == KQL_LONG) {
        i = s.u.i;
        int64_t t;
        if (units_per_tick) t = floor_div(i, units_per_tick);
        else {
            int64_t m = (int64_t)ticks_per_unit;
            if (i > INT64_MAX / m || i < INT64_MIN / m) {
                kql_set_null(out);
                return;
            }
            t = i * m;
        }
        if (dt_ok(t)) kql_set_long(out, t);
        else kql_set_null(out);
        return;
    }
    if (!fa_real(a, &r) || !isfinite(r)) {
        kql_set_null(out);
        return;
    }
    double t = units_per_tick ? r / (double)units_per_tick : r * ticks_per_unit;
    if (!(t >= (double)SP_DT_MIN && t <= (double)SP_DT_MAX)) {
        kql_set_null(out);
        return;
    }
    kql_set_long(out, (int64_t)llround(t));
}

static void fn_unix_s(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    unix_to_dt(&a[0], out, (double)SP_TICKS_PER_SEC, 0);
}
static void fn_unix_ms(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    unix_to_dt(&a[0], out, (double)SP_TICKS_PER_MS, 0);
}
static void fn_unix_us(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    unix_to_dt(&a[0], out, (double)SP_TICKS_PER_US, 0);
}
static void fn_unix_ns(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    unix_to_dt(&a[0], out, 0, 100);
}

/* todatetime(value) : datetime. Text in the forms sp_parse_datetime reads
 * (ISO 8601, RFC 1123, "1/2/2024 3:04:05 AM"); numbers are .NET ticks. */
#define NET_EPOCH_TICKS 621355968000000000LL
static bool to_datetime(kql_fctx *c, const kql_value *v, int64_t *out) {
    (void)c;
    kql_value s;
    if (fa_isnull(v)) return false;
    if (v->type == KQL_DYNAMIC) kql_dyn_to_value(v->u.d, &s);
    else s = *v;
    if (s.type != KQL_STRING && s.null) return false;
    switch (s.type) {
    case KQL_DATETIME: *out = s.u.i; return true;
    case KQL_STRING: return sp_parse_datetime(s.u.s.p, s.u.s.n, out);
    case KQL_INT:
    case KQL_LONG:
        if (s.u.i < 0 || s.u.i > SP_DT_MAX + NET_EPOCH_TICKS) return false;
        *out = s.u.i - NET_EPOCH_TICKS;
        return true;
    default: return false;
    }
}

static void fn_todatetime(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    int64_t t;
    if (to_datetime(c, &a[0], &t)) kql_set_long(out, t);
    else kql_set_null(out);
}
FN_VEC_DICT(fn_todatetime_vec, fn_todatetime, false)

/* totimespan(value) : timespan. Text "[-][d.]hh:mm[:ss[.fffffff]]" or a
 * literal like "1d"/"30m"; numbers are ticks. */
static bool to_timespan(kql_fctx *c, const kql_value *v, int64_t *out) {
    (void)c;
    kql_value s;
    if (fa_isnull(v)) return false;
    if (v->type == KQL_DYNAMIC) kql_dyn_to_value(v->u.d, &s);
    else s = *v;
    if (s.type != KQL_STRING && s.null) return false;
    switch (s.type) {
    case KQL_TIMESPAN: *out = s.u.i; return true;
    case KQL_STRING: return sp_parse_timespan(s.u.s.p, s.u.s.n, out);
    case KQL_INT:
    case KQL_LONG: *out = s.u.i; return true;
    case KQL_REAL:
    case KQL_DECIMAL:
        if (!isfinite(s.u.r) || fabs(s.u.r) > 9e18) return false;
        *out = (int64_t)s.u.r;
        return true;
    default: return false;
    }
}

static void fn_totimespan(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    int64_t t;
    if (to_timespan(c, &a[0], &t)) kql_set_long(out, t);
    else kql_set_null(out);
}

/* ------------------------------------------------------------- time zones
 * Zones come from the system's IANA database (tz.c); an unknown zone gives
 * null. */
static kql_type bind_tz(kql_bindctx *b, kql_expr *call) {
    sp_str z;
    if (fb_const_str(call, 1, &z)) {
        const kql_tz *tz = kql_tz_find(z.p, z.n);
        if (!tz) {
            kql_bind_error(b, call->args[1], "bad_argument", "'%.*s' is not a time zone of the IANA database",
                           (int)SP_MIN(z.n, 64), z.p);
            return KQL_UNKNOWN;
        }
        call->aux = (void *)tz;
    }
    return KQL_DATETIME;
}

static void tz_convert(kql_fctx *c, const kql_value *a, kql_value *out, bool to_local) {
    int64_t t;
    const kql_tz *z = c->call ? c->call->aux : NULL;
    if (!z) {
        sp_str name = fa_str(c, &a[1]);
        z = kql_tz_find(name.p, name.n);
    }
    if (!z || !fa_dt(&a[0], &t)) {
        kql_set_null(out);
        return;
    }
    int64_t secs = floor_div(t, SP_TICKS_PER_SEC);
    int32_t off = to_local ? kql_tz_offset_utc(z, secs) : kql_tz_offset_local(z, secs);
    int64_t r = to_local ? t + (int64_t)off * SP_TICKS_PER_SEC : t - (int64_t)off * SP_TICKS_PER_SEC;
    if (dt_ok(r)) kql_set_long(out, r);
    else kql_set_null(out);
}

static void fn_utc_to_local(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    tz_convert(c, a, out, true);
}
static void fn_local_to_utc(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    tz_convert(c, a, out, false);
}

/* bin_at(value, bin_size, fixed_point) : bins aligned so that fixed_point
 * starts a bin */
static void fn_bin_at(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)c, (void)n;
    if (a[0].type == KQL_DATETIME || a[0].type == KQL_TIMESPAN) {
        int64_t v = a[0].u.i, step, fix;
        kql_value st = a[1];
        if (st.type == KQL_TIMESPAN) step = st.u.i;
        else if (!fa_long(&st, &step)) goto null;
        if (a[2].type == KQL_DATETIME || a[2].type == KQL_TIMESPAN) fix = a[2].u.i;
        else if (!fa_long(&a[2], &fix)) goto null;
        int64_t rel, r;
        if (step <= 0 || __builtin_sub_overflow(v, fix, &rel) || __builtin_mul_overflow(floor_div(rel, step), step, &r) ||
            __builtin_add_overflow(r, fix, &r))
            goto null;
        kql_set_long(out, r);
        return;
    }
    double v, step, fix;
    if (!fa_real(&a[0], &v) || !fa_real(&a[1], &step) || !fa_real(&a[2], &fix) || !(step > 0)) goto null;
    double r = fix + floor((v - fix) / step) * step;
    int64_t ri;
    if (out->type == KQL_INT || out->type == KQL_LONG) {
        if (!fn_d2i(r, &ri)) goto null;
        kql_set_long(out, ri);
    } else {
        kql_set_real(out, r);
    }
    return;
null:
    kql_set_null(out);
}

#define NAME0 KQL_FNF_NAME_ARG0
static const kql_fn FNS[] = {
    {"startofday", KQL_FN_SCALAR, "d,i?", "datetime", NULL, fn_startofday_vec, fn_startofday, NULL, NAME0, NULL},
    {"startofweek", KQL_FN_SCALAR, "d,i?", "datetime", NULL, fn_startofweek_vec, fn_startofweek, NULL, 0, NULL},
    {"startofmonth", KQL_FN_SCALAR, "d,i?", "datetime", NULL, fn_startofmonth_vec, fn_startofmonth, NULL, 0, NULL},
    {"startofyear", KQL_FN_SCALAR, "d,i?", "datetime", NULL, fn_startofyear_vec, fn_startofyear, NULL, 0, NULL},
    {"endofday", KQL_FN_SCALAR, "d,i?", "datetime", NULL, fn_endofday_vec, fn_endofday, NULL, 0, NULL},
    {"endofweek", KQL_FN_SCALAR, "d,i?", "datetime", NULL, fn_endofweek_vec, fn_endofweek, NULL, 0, NULL},
    {"endofmonth", KQL_FN_SCALAR, "d,i?", "datetime", NULL, fn_endofmonth_vec, fn_endofmonth, NULL, 0, NULL},
    {"endofyear", KQL_FN_SCALAR, "d,i?", "datetime", NULL, fn_endofyear_vec, fn_endofyear, NULL, 0, NULL},
    {"getyear", KQL_FN_SCALAR, "d", "int", NULL, fn_getyear_vec, fn_getyear, NULL, 0, NULL},
    {"getmonth", KQL_FN_SCALAR, "d", "int", NULL, fn_getmonth_vec, fn_getmonth, NULL, 0, NULL},
    {"monthofyear", KQL_FN_SCALAR, "d", "int", NULL, fn_getmonth_vec, fn_getmonth, NULL, 0, NULL},
    {"dayofmonth", KQL_FN_SCALAR, "d", "int", NULL, fn_dayofmonth_vec, fn_dayofmonth, NULL, 0, NULL},
    {"dayofyear", KQL_FN_SCALAR, "d", "int", NULL, fn_dayofyear_vec, fn_dayofyear, NULL, 0, NULL},
    {"hourofday", KQL_FN_SCALAR, "d", "int", NULL, fn_hourofday_vec, fn_hourofday, NULL, 0, NULL},
    {"week_of_year", KQL_FN_SCALAR, "d", "int", NULL, fn_week_of_year_vec, fn_week_of_year, NULL, 0, NULL},
    {"weekofyear", KQL_FN_SCALAR, "d", "int", NULL, fn_week_of_year_vec, fn_week_of_year, NULL, 0, NULL},
    {"dayofweek", KQL_FN_SCALAR, "d", "timespan", NULL, NULL, fn_dayofweek, NULL, 0, NULL},
    {"datetime_part", KQL_FN_SCALAR, "s,d", NULL, bind_datetime_part, NULL, fn_datetime_part, NULL, 0, NULL},
    {"datepart", KQL_FN_SCALAR, "s,d", NULL, bind_datetime_part, NULL, fn_datetime_part, NULL, 0, NULL},
    {"datetime_diff", KQL_FN_SCALAR, "s,d,d", NULL, bind_datetime_diff, NULL, fn_datetime_diff, NULL, 0, NULL},
    {"datetime_add", KQL_FN_SCALAR, "s,i,d", NULL, bind_datetime_add, NULL, fn_datetime_add, NULL, 0, NULL},
    {"format_datetime", KQL_FN_SCALAR, "d,s", "string", NULL, NULL, fn_format_datetime, NULL, NAME0, NULL},
    {"format_timespan", KQL_FN_SCALAR, "t,s", "string", NULL, NULL, fn_format_timespan, NULL, NAME0, NULL},
    {"make_datetime", KQL_FN_SCALAR, "a,n?,n?,n?,n?,n?", "datetime", NULL, NULL, fn_make_datetime, NULL, 0, NULL},
    {"make_timespan", KQL_FN_SCALAR, "a,i?,i?,i?", "timespan", NULL, NULL, fn_make_timespan, NULL, 0, NULL},
    {"unixtime_seconds_todatetime", KQL_FN_SCALAR, "n", "datetime", NULL, NULL, fn_unix_s, NULL, 0, NULL},
    {"unixtime_milliseconds_todatetime", KQL_FN_SCALAR, "n", "datetime", NULL, NULL, fn_unix_ms, NULL, 0, NULL},
    {"unixtime_microseconds_todatetime", KQL_FN_SCALAR, "n", "datetime", NULL, NULL, fn_unix_us, NULL, 0, NULL},
    {"unixtime_nanoseconds_todatetime", KQL_FN_SCALAR, "n", "datetime", NULL, NULL, fn_unix_ns, NULL, 0, NULL},
    {"todatetime", KQL_FN_SCALAR, "a", "datetime", NULL, fn_todatetime_vec, fn_todatetime, NULL, NAME0, NULL},
    {"totimespan", KQL_FN_SCALAR, "a", "timespan", NULL, NULL, fn_totimespan, NULL, NAME0, NULL},
    {"totime", KQL_FN_SCALAR, "a", "timespan", NULL, NULL, fn_totimespan, NULL, NAME0, NULL},
    {"datetime_utc_to_local", KQL_FN_SCALAR, "d,s", NULL, bind_tz, NULL, fn_utc_to_local, NULL, 0, NULL},
    {"datetime_local_to_utc", KQL_FN_SCALAR, "d,s", NULL, bind_tz, NULL, fn_local_to_utc, NULL, 0, NULL},
    {"bin_at", KQL_FN_SCALAR, "x,a,a", "=0", NULL, NULL, fn_bin_at, NULL, NAME0, NULL},
};

KQL_FN_TABLE(kql_fns_datetime, FNS);
