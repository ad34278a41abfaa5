/* Time zones for datetime_utc_to_local / datetime_local_to_utc: reads the
 * system's IANA tz database (TZif files, Debian's tzdata) with its POSIX rule. */
#include "tz.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#define TZ_MAX_FILE (512 * 1024)
#define TZ_CACHE_MAX 512

/* A POSIX TZ rule ("PST8PDT,M3.2.0,M11.1.0") for times past the table. */
typedef struct tz_rule_date {
    char kind;             /* 'M' month.week.day, 'J' julian 1..365, 'N' zero-based day */
    int m, w, d, n;
    int32_t secs;          /* local time of day of the change */
} tz_rule_date;

typedef struct tz_rule {
    bool valid, has_dst;
    int32_t std_off, dst_off;   /* seconds east of UTC */
    tz_rule_date start, end;
} tz_rule;

/* One zone, loaded once and kept for the process (owner: the cache). */
struct kql_tz {
    size_t n;              /* transitions */
    int64_t *at;           /* UTC seconds of each transition */
    int32_t *off;          /* offset (seconds east of UTC) from that transition on */
    int32_t first_off;     /* before the first transition */
    tz_rule rule;
};

static pthread_mutex_t g_mu = PTHREAD_MUTEX_INITIALIZER;
static sp_map g_zones;     /* name -> kql_tz* (NULL value: known to be missing) */
static bool g_init;

static uint32_t be32(const unsigned char *p) {
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}
static int64_t be64(const unsigned char *p) { return (int64_t)(((uint64_t)be32(p) << 32) | be32(p + 4)); }

/* ------------------------------------------------------------ POSIX rule */
static const char *rule_name(const char *p) {
    if (*p == '<') {
        while (*p && *p != '>') p++;
        return *p ? p + 1 : NULL;
    }
    const char *s = p;
    while (isalpha((unsigned char)*p)) p++;
    return p - s >= 3 ? p : NULL;
}

static const char *rule_time(const char *p, int32_t *secs) {
    int sign = 1;
    if (*p == '+' || *p == '-') sign = *p++ == '-' ? -1 : 1;
    if (!isdigit((unsigned char)*p)) return NULL;
    int32_t h = 0, m = 0, s = 0;
    while (isdigit((unsigned char)*p)) h = h * 10 + (*p++ - '0');
    if (*p == ':') {
        p++;
        while (isdigit((unsigned char)*p)) m = m * 10 + (*p++ - '0');
        if (*p == ':') {
            p++;
            while (isdigit((unsigned char)*p)) s = s * 10 + (*p++ - '0');
        }
    }
    if (h > 167 || m > 59 || s > 59) return NULL;
    *secs = sign * (h * 3600 + m * 60 + s);
    return p;
}

static const char *rule_date(const char *p, tz_rule_date *d) {
    memset(d, 0, sizeof *d);
    d->secs = 7200;
    if (*p == 'M') {
        d->kind = 'M';
        p++;
        d->m = (int)strtol(p, (char **)&p, 10);
        if (*p++ != '.') return NULL;
        d->w = (int)strtol(p, (char **)&p, 10);
        if (*p++ != '.') return NULL;
        d->d = (int)strtol(p, (char **)&p, 10);
        if (d->m < 1 || d->m > 12 || d->w < 1 || d->w > 5 || d->d < 0 || d->d > 6) return NULL;
    } else if (*p == 'J') {
        d->kind = 'J';
        p++;
        d->n = (int)strtol(p, (char **)&p, 10);
        if (d->n < 1 || d->n > 365) return NULL;
    } else if (isdigit((unsigned char)*p)) {
        d->kind = 'N';
        d->n = (int)strtol(p, (char **)&p, 10);
        if (d->n > 365) return NULL;
    } else {
        return NULL;
    }
    if (*p == '/') {
        p = rule_time(p + 1, &d->secs);
        if (!p) return NULL;
    }
    return p;
}

static bool rule_parse(const char *p, tz_rule *r) {
    memset(r, 0, sizeof *r);
    p = rule_name(p);
    if (!p) return false;
    int32_t t;
    p = rule_time(p, &t);
    if (!p) return false;
    r->std_off = -t;
    if (*p == 0) {
        r->valid = true;
        return true;
    }
    p = rule_name(p);
    if (!p) return false;
    r->has_dst = true;
    r->dst_off = r->std_off + 3600;
    if (*p && *p != ',') {
        p = rule_time(p, &t);
        if (!p) return false;
        r->dst_off = -t;
    }
    if (*p != ',') return false;
    p = rule_date(p + 1, &r->start);
    if (!p || *p != ',') return false;
    p = rule_date(p + 1, &r->end);
    if (!p || *p) return false;
    r->valid = true;
    return true;
}

static bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* The local seconds (since the epoch, in local wall time) of a rule date in year y. */
static int64_t rule_when(const tz_rule_date *d, int y) {
    int64_t day;
    if (d->kind == 'J') {
        int n = d->n;
        if (leap(y) && n >= 60) n++;
        day = sp_days_from_civil(y, 1, 1) + n - 1;
    } else if (d->kind == 'N') {
        day = sp_days_from_civil(y, 1, 1) + d->n;
    } else {
        int64_t first = sp_days_from_civil(y, d->m, 1);
        int wd = (int)(((first + 4) % 7 + 7) % 7); /* weekday of the 1st, 0 = Sunday */
        int64_t dd = first + ((d->d - wd + 7) % 7) + 7 * (d->w - 1);
        int dim = d->m == 2 ? (leap(y) ? 29 : 28) : (d->m == 4 || d->m == 6 || d->m == 9 || d->m == 11) ? 30 : 31;
        while (dd >= first + dim) dd -= 7;
        day = dd;
    }
    return day * 86400 + d->secs;
}

static int32_t rule_offset(const tz_rule *r, int64_t utc) {
    if (!r->has_dst) return r->std_off;
    int y, m, d;
    sp_civil_from_days((utc + r->std_off) / 86400 - ((utc + r->std_off) % 86400 < 0), &y, &m, &d);
    int64_t start = rule_when(&r->start, y) - r->std_off; /* UTC instants */
    int64_t end = rule_when(&r->end, y) - r->dst_off;
    bool dst = start < end ? (utc >= start && utc < end) : (utc < end || utc >= start);
    return dst ? r->dst_off : r->std_off;
}

/* -------------------------------------------------------------- TZif file */
static kql_tz *tzif_parse(const unsigned char *p, size_t n) {
    if (n < 44 || memcmp(p, "TZif", 4) != 0) return NULL;
    char ver = (char)p[4];
    const unsigned char *h = p;
    size_t tsize = 4;
    if (ver >= '2') {
        /* skip the v1 block to the 64-bit one */
        uint32_t isut = be32(h + 20), isstd = be32(h + 24), leapc = be32(h + 28), timec = be32(h + 32),
                 typec = be32(h + 36), charc = be32(h + 40);
        size_t v1 = 44 + (size_t)timec * 5 + (size_t)typec * 6 + charc + (size_t)leapc * 8 + isstd + isut;
        if (v1 + 44 > n) return NULL;
        h = p + v1;
        if (memcmp(h, "TZif", 4) != 0) return NULL;
        tsize = 8;
    }
    uint32_t isut = be32(h + 20), isstd = be32(h + 24), leapc = be32(h + 28), timec = be32(h + 32),
             typec = be32(h + 36), charc = be32(h + 40);
    if (typec == 0 || typec > 256 || timec > 100000) return NULL;
    const unsigned char *d = h + 44;
    size_t need = (size_t)timec * (tsize + 1) + (size_t)typec * 6 + charc + (size_t)leapc * (tsize + 4) + isstd + isut;
    if ((size_t)(d - p) + need > n) return NULL;
    kql_tz *z = sp_calloc(1, sizeof *z);
    z->n = timec;
    z->at = sp_malloc((timec ? timec : 1) * sizeof(int64_t));
    z->off = sp_malloc((timec ? timec : 1) * sizeof(int32_t));
    const unsigned char *times = d, *idx = d + (size_t)timec * tsize, *types = idx + timec;
    for (uint32_t i = 0; i < timec; i++) {
        z->at[i] = tsize == 8 ? be64(times + 8 * i) : (int32_t)be32(times + 4 * i);
        uint32_t k = idx[i];
        if (k >= typec) k = 0;
        z->off[i] = (int32_t)be32(types + 6 * k);
    }
    /* before the first transition: the first non-DST type (or type 0) */
    z->first_off = (int32_t)be32(types);
    for (uint32_t k = 0; k < typec; k++)
        if (!types[6 * k + 4]) {
            z->first_off = (int32_t)be32(types + 6 * k);
            break;
        }
    if (tsize == 8) {
        const unsigned char *f = d + need;
        if (f < p + n && *f == '\n') {
            const unsigned char *e = memchr(f + 1, '\n', (size_t)(p + n - f - 1));
            if (e && e - f < 128) {
                char tmp[128];
                memcpy(tmp, f + 1, (size_t)(e - f - 1));
                tmp[e - f - 1] = 0;
                rule_parse(tmp, &z->rule);
            }
        }
    }
    return z;
}

static bool name_ok(const char *s, size_t n) {
    if (n == 0 || n > 64 || s[0] == '/' || s[0] == '.') return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!(isalnum((unsigned char)c) || c == '/' || c == '_' || c == '-' || c == '+')) return false;
        if (c == '/' && i + 1 < n && s[i + 1] == '.') return false;
    }
    return true;
}

const kql_tz *kql_tz_find(const char *name, size_t n) {
    if (!name_ok(name, n)) return NULL;
    pthread_mutex_lock(&g_mu);
    if (!g_init) {
        sp_map_init(&g_zones, true);
        g_init = true;
    }
    bool have = sp_map_has(&g_zones, name, n);
    kql_tz *z = have ? sp_map_get(&g_zones, name, n) : NULL;
    size_t cached = g_zones.n;
    pthread_mutex_unlock(&g_mu);
    if (have) return z;
    const char *dir = getenv("TZDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/%.*s", dir && *dir ? dir : "/usr/share/zoneinfo", (int)n, name);
    if (n == 3 && (sp_str_ieqc((sp_str){name, n}, "utc") || sp_str_ieqc((sp_str){name, n}, "gmt"))) {
        z = sp_calloc(1, sizeof *z);
        z->at = sp_malloc(8);
        z->off = sp_malloc(4);
    } else {
        sp_err err;
        sp_err_clear(&err);
        size_t len = 0;
        char *data = sp_is_dir(path) ? NULL : sp_read_file(path, TZ_MAX_FILE, &len, &err);
        if (data) {
            z = tzif_parse((const unsigned char *)data, len);
            free(data);
        }
    }
    if (cached >= TZ_CACHE_MAX) {
        /* keep the cache bounded: an unknown or one-off name is not remembered */
        if (!z) return NULL;
    }
    pthread_mutex_lock(&g_mu);
    bool created;
    void **slot = sp_map_slot(&g_zones, name, n, &created);
    if (created) {
        *slot = z;
    } else if (z) {
        free(z->at);
        free(z->off);
        free(z);
        z = *slot;
    }
    pthread_mutex_unlock(&g_mu);
    return z;
}

int32_t kql_tz_offset_utc(const kql_tz *z, int64_t utc_secs) {
    if (z->n == 0 || utc_secs < z->at[0]) {
        if (z->n == 0 && z->rule.valid) return rule_offset(&z->rule, utc_secs);
        return z->n ? z->first_off : 0;
    }
    if (utc_secs >= z->at[z->n - 1] && z->rule.valid) return rule_offset(&z->rule, utc_secs);
    size_t lo = 0, hi = z->n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (z->at[mid] <= utc_secs) lo = mid;
        else hi = mid;
    }
    return z->off[lo];
}

int32_t kql_tz_offset_local(const kql_tz *z, int64_t local_secs) {
    /* the offset o with offset_utc(local - o) == o; in a gap or an overlap,
     * the offset in force before the change */
    int32_t o1 = kql_tz_offset_utc(z, local_secs);
    int32_t o2 = kql_tz_offset_utc(z, local_secs - o1);
    if (o1 == o2) return o1;
    int32_t o3 = kql_tz_offset_utc(z, local_secs - o2);
    return o3 == o2 ? o2 : (o1 < o2 ? o1 : o2);
}
