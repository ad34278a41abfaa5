/* Time: civil-date arithmetic, ISO 8601 and the other datetime forms found in
 * Sentinel/Defender exports, .NET-style timespans; all in 100 ns ticks. */
#include "secpilot/base.h"

#include <ctype.h>
#include <strings.h>
#include <stdio.h>
#include <time.h>

/* Howard Hinnant's days-from-civil algorithm (proleptic Gregorian). */
int64_t sp_days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void sp_civil_from_days(int64_t z, int *y, int *m, int *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static int days_in_month(int y, int m) {
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

bool sp_tm_to_ticks(const sp_tm *t, int64_t *out) {
    if (t->year < 1 || t->year > 9999 || t->month < 1 || t->month > 12 || t->day < 1 ||
        t->day > days_in_month(t->year, t->month) || t->hour < 0 || t->hour > 23 || t->min < 0 ||
        t->min > 59 || t->sec < 0 || t->sec > 59 || t->frac < 0 || t->frac > 9999999)
        return false;
    int64_t days = sp_days_from_civil(t->year, t->month, t->day);
    *out = days * SP_TICKS_PER_DAY + (int64_t)t->hour * SP_TICKS_PER_HOUR +
           (int64_t)t->min * SP_TICKS_PER_MIN + (int64_t)t->sec * SP_TICKS_PER_SEC + t->frac;
    return true;
}

void sp_ticks_to_tm(int64_t ticks, sp_tm *t) {
    int64_t days = ticks / SP_TICKS_PER_DAY;
    int64_t rem = ticks % SP_TICKS_PER_DAY;
    if (rem < 0) {
        rem += SP_TICKS_PER_DAY;
        days--;
    }
    sp_civil_from_days(days, &t->year, &t->month, &t->day);
    t->hour = (int)(rem / SP_TICKS_PER_HOUR);
    rem %= SP_TICKS_PER_HOUR;
    t->min = (int)(rem / SP_TICKS_PER_MIN);
    rem %= SP_TICKS_PER_MIN;
    t->sec = (int)(rem / SP_TICKS_PER_SEC);
    t->frac = (int)(rem % SP_TICKS_PER_SEC);
}

int sp_weekday(int64_t ticks) {
    int64_t days = ticks / SP_TICKS_PER_DAY;
    if (ticks % SP_TICKS_PER_DAY < 0) days--;
    int64_t w = (days + 4) % 7; /* 1970-01-01 was a Thursday */
    return (int)(w < 0 ? w + 7 : w);
}

/* A tiny cursor over the text being parsed. */
typedef struct {
    const char *p, *e;
} cur;

static bool digits(cur *c, int min, int max, int *out) {
    int n = 0, v = 0;
    while (c->p < c->e && n < max && isdigit((unsigned char)*c->p)) {
        v = v * 10 + (*c->p - '0');
        c->p++;
        n++;
    }
    if (n < min) return false;
    *out = v;
    return true;
}

static bool eat(cur *c, char ch) {
    if (c->p < c->e && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

static void skip_ws(cur *c) {
    while (c->p < c->e && isspace((unsigned char)*c->p)) c->p++;
}

/* fraction: digits after '.', scaled to 100 ns (extra digits truncated) */
static bool fraction(cur *c, int *frac) {
    int n = 0, v = 0;
    while (c->p < c->e && isdigit((unsigned char)*c->p)) {
        if (n < 7) {
            v = v * 10 + (*c->p - '0');
            n++;
        }
        c->p++;
    }
    if (n == 0) return false;
    while (n < 7) {
        v *= 10;
        n++;
    }
    *frac = v;
    return true;
}

/* [T| ]HH:MM[:SS[.fff]] [AM|PM]; returns false on malformed time */
static bool time_of_day(cur *c, sp_tm *t, bool ampm_ok) {
    if (!digits(c, 1, 2, &t->hour) || !eat(c, ':') || !digits(c, 2, 2, &t->min)) return false;
    if (eat(c, ':')) {
        if (!digits(c, 2, 2, &t->sec)) return false;
        if ((eat(c, '.') || eat(c, ',')) && !fraction(c, &t->frac)) return false;
    }
    if (ampm_ok) {
        cur s = *c;
        skip_ws(&s);
        if (s.e - s.p >= 2 && (s.p[1] == 'M' || s.p[1] == 'm')) {
            char a = (char)toupper((unsigned char)s.p[0]);
            if (a == 'A' || a == 'P') {
                if (t->hour < 1 || t->hour > 12) return false;
                if (a == 'A' && t->hour == 12) t->hour = 0;
                else if (a == 'P' && t->hour != 12) t->hour += 12;
                c->p = s.p + 2;
            }
        }
    }
    return true;
}

/* Z | GMT | UTC | (+|-)HH[:]MM ; returns offset in minutes */
static bool zone(cur *c, int *offset_min) {
    skip_ws(c);
    *offset_min = 0;
    if (c->p >= c->e) return true;
    if (eat(c, 'Z') || eat(c, 'z')) return true;
    if (c->e - c->p >= 3 && (strncasecmp(c->p, "GMT", 3) == 0 || strncasecmp(c->p, "UTC", 3) == 0)) {
        c->p += 3;
        if (c->p >= c->e) return true;
    }
    int sign = 0;
    if (eat(c, '+')) sign = 1;
    else if (eat(c, '-')) sign = -1;
    else return false;
    int hh, mm = 0;
    if (!digits(c, 2, 2, &hh)) return false;
    eat(c, ':');
    if (c->p < c->e && !digits(c, 2, 2, &mm)) return false;
    if (hh > 23 || mm > 59) return false;
    *offset_min = sign * (hh * 60 + mm);
    return true;
}

static const char *MONTHS[] = {"jan", "feb", "mar", "apr", "may", "jun",
                               "jul", "aug", "sep", "oct", "nov", "dec"};

static int month_name(cur *c) {
    if (c->e - c->p < 3) return 0;
    for (int i = 0; i < 12; i++) {
        if (strncasecmp(c->p, MONTHS[i], 3) == 0) {
            c->p += 3;
            while (c->p < c->e && isalpha((unsigned char)*c->p)) c->p++;
            return i + 1;
        }
    }
    return 0;
}

static bool finish(cur *c, sp_tm *t, bool ampm, int64_t *out) {
    int off = 0;
    skip_ws(c);
    if (c->p < c->e && (*c->p == 'T' || *c->p == 't' || isdigit((unsigned char)*c->p))) {
        if (*c->p == 'T' || *c->p == 't') c->p++;
        if (!time_of_day(c, t, ampm)) return false;
    }
    if (!zone(c, &off)) return false;
    skip_ws(c);
    if (c->p != c->e) return false;
    int64_t v;
    if (!sp_tm_to_ticks(t, &v)) return false;
    *out = v - (int64_t)off * SP_TICKS_PER_MIN;
    return true;
}

bool sp_parse_datetime(const char *p, size_t n, int64_t *out) {
    cur c = {p, p + n};
    skip_ws(&c);
    while (c.e > c.p && isspace((unsigned char)c.e[-1])) c.e--;
    if (c.p >= c.e) return false;
    sp_tm t = {0};
    cur s = c;
    int a, b, y;
    /* ISO: YYYY-MM-DD or YYYY/MM/DD, optionally followed by a time */
    if (digits(&s, 4, 4, &y) && (eat(&s, '-') || eat(&s, '/'))) {
        char sep = s.p[-1];
        if (!digits(&s, 1, 2, &a) || !eat(&s, sep) || !digits(&s, 1, 2, &b)) return false;
        t.year = y, t.month = a, t.day = b;
        return finish(&s, &t, false, out);
    }
    /* Compact ISO: YYYYMMDD[THHMMSS[Z]] */
    s = c;
    if (c.e - c.p >= 8 && digits(&s, 8, 8, &y) && (s.p == s.e || *s.p == 'T')) {
        t.year = y / 10000, t.month = y / 100 % 100, t.day = y % 100;
        if (eat(&s, 'T')) {
            int hms;
            if (!digits(&s, 6, 6, &hms)) return false;
            t.hour = hms / 10000, t.min = hms / 100 % 100, t.sec = hms % 100;
            if (eat(&s, '.') && !fraction(&s, &t.frac)) return false;
        }
        int off;
        if (!zone(&s, &off) || s.p != s.e) return false;
        int64_t v;
        if (!sp_tm_to_ticks(&t, &v)) return false;
        *out = v - (int64_t)off * SP_TICKS_PER_MIN;
        return true;
    }
    /* US: M/D/YYYY[,] [h:mm:ss[.fff] [AM|PM]] as the Azure portal exports */
    s = c;
    if (digits(&s, 1, 2, &a) && eat(&s, '/')) {
        if (!digits(&s, 1, 2, &b) || !eat(&s, '/') || !digits(&s, 4, 4, &y)) return false;
        t.year = y, t.month = a, t.day = b;
        eat(&s, ',');
        return finish(&s, &t, true, out);
    }
    /* RFC 1123 / RFC 850-ish: [Www,] DD Mon YYYY HH:MM:SS GMT */
    s = c;
    if (isalpha((unsigned char)*s.p)) {
        while (s.p < s.e && isalpha((unsigned char)*s.p)) s.p++;
        eat(&s, ',');
        skip_ws(&s);
    }
    if (digits(&s, 1, 2, &b)) {
        skip_ws(&s);
        eat(&s, '-');
        int m = month_name(&s);
        if (!m) return false;
        skip_ws(&s);
        eat(&s, '-');
        if (!digits(&s, 4, 4, &y)) return false;
        t.year = y, t.month = m, t.day = b;
        return finish(&s, &t, true, out);
    }
    return false;
}

size_t sp_format_datetime(int64_t ticks, char out[40]) {
    sp_tm t;
    sp_ticks_to_tm(ticks, &t);
    int n = snprintf(out, 40, "%04d-%02d-%02dT%02d:%02d:%02d", t.year, t.month, t.day, t.hour,
                     t.min, t.sec);
    if (t.frac) {
        char f[16];
        snprintf(f, sizeof f, "%07d", t.frac);
        int k = 7;
        while (k > 0 && f[k - 1] == '0') k--;
        f[k] = 0;
        n += snprintf(out + n, 40 - (size_t)n, ".%s", f);
    }
    out[n++] = 'Z';
    out[n] = 0;
    return (size_t)n;
}

bool sp_parse_timespan(const char *p, size_t n, int64_t *out) {
    cur c = {p, p + n};
    skip_ws(&c);
    while (c.e > c.p && isspace((unsigned char)c.e[-1])) c.e--;
    int sign = 1;
    if (eat(&c, '-')) sign = -1;
    else eat(&c, '+');
    /* [d.]hh:mm[:ss[.fffffff]] */
    int64_t days = 0;
    int h = 0, m = 0, s = 0, frac = 0;
    cur k = c;
    int first;
    if (!digits(&k, 1, 9, &first)) return false;
    if (eat(&k, '.')) {
        days = first;
        if (!digits(&k, 1, 2, &h)) return false;
    } else if (k.p < k.e && *k.p == ':') {
        h = first;
    } else if (k.p == k.e) {
        days = first; /* a bare number is days, as in .NET */
        *out = sign * days * SP_TICKS_PER_DAY;
        return true;
    } else {
        return false;
    }
    if (!eat(&k, ':') || !digits(&k, 1, 2, &m)) return false;
    if (eat(&k, ':')) {
        if (!digits(&k, 1, 2, &s)) return false;
        if (eat(&k, '.') && !fraction(&k, &frac)) return false;
    }
    if (k.p != k.e || h > 23 || m > 59 || s > 59) return false;
    *out = sign * (days * SP_TICKS_PER_DAY + h * SP_TICKS_PER_HOUR + m * SP_TICKS_PER_MIN +
                   s * SP_TICKS_PER_SEC + frac);
    return true;
}

size_t sp_format_timespan(int64_t ticks, char out[40]) {
    int n = 0;
    uint64_t v;
    if (ticks < 0) {
        out[n++] = '-';
        v = (uint64_t)0 - (uint64_t)ticks;
    } else {
        v = (uint64_t)ticks;
    }
    uint64_t days = v / SP_TICKS_PER_DAY;
    v %= SP_TICKS_PER_DAY;
    unsigned h = (unsigned)(v / SP_TICKS_PER_HOUR);
    v %= SP_TICKS_PER_HOUR;
    unsigned m = (unsigned)(v / SP_TICKS_PER_MIN);
    v %= SP_TICKS_PER_MIN;
    unsigned s = (unsigned)(v / SP_TICKS_PER_SEC);
    unsigned f = (unsigned)(v % SP_TICKS_PER_SEC);
    if (days) n += snprintf(out + n, 40 - (size_t)n, "%llu.", (unsigned long long)days);
    n += snprintf(out + n, 40 - (size_t)n, "%02u:%02u:%02u", h, m, s);
    if (f) n += snprintf(out + n, 40 - (size_t)n, ".%07u", f);
    return (size_t)n;
}

int64_t sp_now_ticks(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * SP_TICKS_PER_SEC + ts.tv_nsec / 100;
}

double sp_mono_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}
