/* The row writer: NDJSON objects built straight into a buffer (no per-row JSON
 * objects), plus the identifiers, digests and encodings rows are made of. */
#include "demo_int.h"

#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------- rows
 * The row buffer is written directly (reserve, then copy) rather than
 * through sp_buf's per-call checks: this is the generator's hot path. Every
 * string the generator writes is its own valid UTF-8, so only ASCII control
 * characters, quotes and backslashes need escaping here. */

static uint8_t ESC[256];   /* 1: needs escaping */

static void esc_init(void) {
    if (ESC['"']) return;
    for (int i = 0; i < 0x20; i++) ESC[i] = 1;
    ESC['"'] = ESC['\\'] = ESC[0x7f] = 1;
}

static inline char *reserve(demo_ctx *c, size_t extra) {
    sp_buf *b = &c->row;
    if (b->n + extra + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 4096;
        while (nc < b->n + extra + 1) nc *= 2;
        b->p = sp_realloc(b->p, nc);
        b->cap = nc;
    }
    return b->p + b->n;
}

static inline void put_raw(demo_ctx *c, const char *s, size_t n) {
    char *w = reserve(c, n);
    memcpy(w, s, n);
    c->row.n += n;
}

/* Any byte of x that needs escaping (a control character, '"', '\\', DEL)?
 * Exact as a yes/no: a borrow can only flag a byte above one that matches. */
static inline uint64_t needs_escape8(uint64_t x) {
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    uint64_t lt = (x - ones * 0x20) & ~x & high;
    uint64_t q = x ^ (ones * 0x22), b = x ^ (ones * 0x5c), d = x ^ (ones * 0x7f);
    return lt | ((q - ones) & ~q & high) | ((b - ones) & ~b & high) | ((d - ones) & ~d & high);
}

static void put_jstr(demo_ctx *c, const char *v, size_t n) {
    char *w = reserve(c, n * 6 + 2);
    char *start = w;
    *w++ = '"';
    size_t i = 0, run = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, v + i, 8);
            if (!needs_escape8(x)) {
                i += 8;
                run += 8;
                continue;
            }
        }
        unsigned char ch = (unsigned char)v[i++];
        if (SP_LIKELY(!ESC[ch])) {
            run++;
            continue;
        }
        memcpy(w, v + i - 1 - run, run);
        w += run;
        run = 0;
        *w++ = '\\';
        switch (ch) {
        case '"': *w++ = '"'; break;
        case '\\': *w++ = '\\'; break;
        case '\n': *w++ = 'n'; break;
        case '\r': *w++ = 'r'; break;
        case '\t': *w++ = 't'; break;
        default:
            *w++ = 'u';
            *w++ = '0';
            *w++ = '0';
            *w++ = "0123456789abcdef"[ch >> 4];
            *w++ = "0123456789abcdef"[ch & 15];
        }
    }
    memcpy(w, v + n - run, run);
    w += run;
    *w++ = '"';
    c->row.n += (size_t)(w - start);
}

static inline void put_key(demo_ctx *c, const char *key, size_t k) {
    char *w = reserve(c, k + 4);
    char *s = w;
    if (!c->first_field) *w++ = ',';
    c->first_field = false;
    *w++ = '"';
    memcpy(w, key, k);
    w += k;
    *w++ = '"';
    *w++ = ':';
    c->row.n += (size_t)(w - s);
}

void dj_begin(demo_ctx *c, const char *table) {
    esc_init();
    c->row.n = 0;
    put_raw(c, "{", 1);
    c->table = table;
    c->first_field = true;
}

void dj_sn_k(demo_ctx *c, const char *key, size_t klen, const char *v, size_t n) {
    if (!v || !n) return;
    put_key(c, key, klen);
    put_jstr(c, v, n);
}

void dj_s_k(demo_ctx *c, const char *key, size_t klen, const char *v) {
    if (v && *v) dj_sn_k(c, key, klen, v, strlen(v));
}

void dj_sf_k(demo_ctx *c, const char *key, size_t klen, const char *fmt, ...) {
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n <= 0) return;
    if ((size_t)n >= sizeof tmp) n = (int)sizeof tmp - 1;
    dj_sn_k(c, key, klen, tmp, (size_t)n);
}

void dj_i_k(demo_ctx *c, const char *key, size_t klen, int64_t v) {
    char tmp[24];
    char *e = tmp + sizeof tmp, *p = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0) *--p = '-';
    put_key(c, key, klen);
    put_raw(c, p, (size_t)(e - p));
}

void dj_r_k(demo_ctx *c, const char *key, size_t klen, double v) {
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.6g", v);
    put_key(c, key, klen);
    put_raw(c, tmp, (size_t)n);
}

void dj_b_k(demo_ctx *c, const char *key, size_t klen, bool v) {
    put_key(c, key, klen);
    if (v) put_raw(c, "true", 4);
    else put_raw(c, "false", 5);
}

void dj_t_k(demo_ctx *c, const char *key, size_t klen, int64_t ticks) {
    char tmp[34];
    tmp[0] = '"';
    size_t n = demo_fmt_time(ticks, tmp + 1);
    tmp[n + 1] = '"';
    put_key(c, key, klen);
    put_raw(c, tmp, n + 2);
}

void dj_ts(demo_ctx *c, int64_t ticks) {
    char tmp[34];
    tmp[0] = '"';
    size_t n = demo_fmt_time(ticks, tmp + 1);
    tmp[n + 1] = '"';
    put_key(c, "Timestamp", 9);
    put_raw(c, tmp, n + 2);
    put_key(c, "TimeGenerated", 13);
    put_raw(c, tmp, n + 2);
}

void dj_raw_k(demo_ctx *c, const char *key, size_t klen, const char *json, size_t n) {
    if (!json || !n) return;
    put_key(c, key, klen);
    put_raw(c, json, n);
}

void dj_jstr_k(demo_ctx *c, const char *key, size_t klen, const sp_buf *json) {
    if (!json->n) return;
    put_key(c, key, klen);
    put_jstr(c, json->p, json->n);
}

int dj_end(demo_ctx *c) {
    if (c->failed) return -1;
    dj_s(c, "Type", c->table);
    put_raw(c, "}", 1);
    c->row.p[c->row.n] = 0;
    if (c->stats) {
        demo_stats *st = c->stats;
        size_t i = c->stat_last;
        if (i >= st->ntables || st->tables[i].table != c->table) {
            i = 0;
            while (i < st->ntables && st->tables[i].table != c->table) i++;
            if (i == st->ntables && i < SP_ARRAY_LEN(st->tables)) {
                st->tables[i].table = c->table;
                st->ntables++;
            }
            c->stat_last = i;
        }
        if (i < st->ntables) {
            st->tables[i].rows++;
            st->tables[i].bytes += c->row.n + 1;
        }
        st->rows++;
        st->bytes += c->row.n + 1;
    }
    if (c->sink->row(c->sink->ctx, c->table, c->row.p, c->row.n) != 0) {
        c->failed = true;
        sp_err_set(c->err, SP_ERR_IO, "sink", 0, 0, "demo: the sink refused a %s row",
                   c->table);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------- JSON text builders */

void jb_str(sp_buf *b, const char *v) {
    if (!v) sp_buf_puts(b, "null");
    else sp_buf_put_json_str(b, v, strlen(v));
}

void jb_key(sp_buf *b, bool *first, const char *key) {
    if (!*first) sp_buf_putc(b, ',');
    *first = false;
    sp_buf_putc(b, '"');
    sp_buf_puts(b, key);
    sp_buf_put(b, "\":", 2);
}

void jb_s(sp_buf *b, bool *first, const char *key, const char *v) {
    jb_key(b, first, key);
    jb_str(b, v);
}

void jb_i(sp_buf *b, bool *first, const char *key, int64_t v) {
    jb_key(b, first, key);
    sp_buf_printf(b, "%lld", (long long)v);
}

void jb_b(sp_buf *b, bool *first, const char *key, bool v) {
    jb_key(b, first, key);
    sp_buf_puts(b, v ? "true" : "false");
}

void jb_t(sp_buf *b, bool *first, const char *key, int64_t ticks) {
    char tmp[32];
    demo_fmt_time(ticks, tmp);
    jb_s(b, first, key, tmp);
}

/* --------------------------------------------------------------- time */

static char *put2(char *p, int v) {
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

size_t demo_fmt_time(int64_t ticks, char out[32]) {
    int64_t days = ticks >= 0 ? ticks / DEMO_DAY : -((-ticks + DEMO_DAY - 1) / DEMO_DAY);
    int64_t rem = ticks - days * DEMO_DAY;
    static _Thread_local int64_t cached_days = INT64_MIN;
    static _Thread_local int cy, cm, cd;
    if (days != cached_days) {
        sp_civil_from_days(days, &cy, &cm, &cd);
        cached_days = days;
    }
    int y = cy, m = cm, d = cd;
    int64_t secs = rem / DEMO_SEC;
    int ms = (int)((rem % DEMO_SEC) / SP_TICKS_PER_MS);
    char *p = out;
    p = put2(p, y / 100);
    p = put2(p, y % 100);
    *p++ = '-';
    p = put2(p, m);
    *p++ = '-';
    p = put2(p, d);
    *p++ = 'T';
    p = put2(p, (int)(secs / 3600));
    *p++ = ':';
    p = put2(p, (int)(secs / 60 % 60));
    *p++ = ':';
    p = put2(p, (int)(secs % 60));
    *p++ = '.';
    *p++ = (char)('0' + ms / 100);
    p = put2(p, ms % 100);
    *p++ = 'Z';
    *p = 0;
    return (size_t)(p - out);
}

int64_t demo_jitter_ms(demo_rng *r) { return (int64_t)demo_rng_below(r, 1000) * SP_TICKS_PER_MS; }

/* ----------------------------------------------------------- identifiers */

static const char HEX[] = "0123456789abcdef";

void demo_hex(demo_rng *r, char *out, int nhex) {
    uint64_t x = 0;
    for (int i = 0; i < nhex; i++) {
        if ((i & 15) == 0) x = demo_rng_next(r);
        out[i] = HEX[x & 15];
        x >>= 4;
    }
    out[nhex] = 0;
}

static void guid_from_hex(const char *h, char out[37]) {
    int k = 0;
    for (int i = 0; i < 32; i++) {
        if (i == 8 || i == 12 || i == 16 || i == 20) out[k++] = '-';
        out[k++] = h[i];
    }
    out[k] = 0;
    out[14] = '4';                         /* version 4 */
    out[19] = "89ab"[(h[16] - '0') & 3];   /* variant */
}

void demo_guid(demo_rng *r, char out[37]) {
    char h[33];
    demo_hex(r, h, 32);
    guid_from_hex(h, out);
}

void demo_digest(const char *what, const char *salt, char *out, int nhex) {
    uint64_t seed = sp_hash_bytes(salt, strlen(salt), 0x6a09e667f3bcc908ULL);
    size_t n = strlen(what);
    uint64_t x = 0;
    for (int i = 0; i < nhex; i++) {
        if ((i & 15) == 0) x = sp_hash_bytes(what, n, seed + (uint64_t)i * 0x9e3779b97f4a7c15ULL);
        out[i] = HEX[x & 15];
        x >>= 4;
    }
    out[nhex] = 0;
}

void demo_guid_of(const char *what, char out[37]) {
    char h[33];
    demo_digest(what, "guid", h, 32);
    guid_from_hex(h, out);
}

void demo_base64(const unsigned char *p, size_t n, sp_buf *out) {
    static const char T[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        char q[4] = {T[v >> 18], T[(v >> 12) & 63], T[(v >> 6) & 63], T[v & 63]};
        sp_buf_put(out, q, 4);
    }
    if (i < n) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
        char q[4] = {T[v >> 18], T[(v >> 12) & 63], i + 1 < n ? T[(v >> 6) & 63] : '=', '='};
        sp_buf_put(out, q, 4);
    }
}

char *demo_ps_encode(demo_ctx *c, const char *script) {
    size_t n = strlen(script);
    unsigned char *w = sp_malloc(n * 2 + 1);
    for (size_t i = 0; i < n; i++) {  /* scripts here are ASCII */
        w[2 * i] = (unsigned char)script[i];
        w[2 * i + 1] = 0;
    }
    sp_buf b;
    sp_buf_init(&b, 0);
    demo_base64(w, n * 2, &b);
    free(w);
    char *s = sp_arena_strndup(&c->arena, b.p, b.n);
    sp_buf_free(&b);
    return s;
}

char *demo_strf(demo_ctx *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sp_buf b;
    sp_buf_init(&b, 0);
    sp_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *s = sp_arena_strndup(&c->arena, b.p ? b.p : "", b.n);
    sp_buf_free(&b);
    return s;
}

const char *demo_tmpf(demo_ctx *c, const char *fmt, ...) {
    char *b = c->tmpf[c->tmpf_i++ & 7];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof c->tmpf[0], fmt, ap);
    va_end(ap);
    return b;
}

bool demo_ip_private(const char *ip) {
    if (!strncmp(ip, "10.", 3) || !strncmp(ip, "192.168.", 8) || !strncmp(ip, "127.", 4))
        return true;
    if (!strncmp(ip, "172.", 4)) {
        int b = atoi(ip + 4);
        return b >= 16 && b <= 31;
    }
    return false;
}

const char *demo_ip_type(const char *ip) {
    if (!ip || !*ip) return NULL;
    if (!strncmp(ip, "127.", 4)) return "Loopback";
    return demo_ip_private(ip) ? "Private" : "Public";
}
