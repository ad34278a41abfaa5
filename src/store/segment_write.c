/* Segment writing: typed column builders (dictionary-encoded strings, binary
 * dynamics, null bitmaps, min/max) and the encoder of one immutable image. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "segment images are little-endian; this host is not"
#endif

uint32_t st_crc32(const void *p, size_t n) {
    uLong c = crc32(0L, Z_NULL, 0);
    const Bytef *b = p;
    while (n) {
        uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;
        c = crc32(c, b, k);
        b += k;
        n -= k;
    }
    return (uint32_t)c;
}

/* a plain growable byte vector */
typedef struct {
    uint8_t *p;
    size_t n, cap;
} wbuf;

static void wb_reserve(wbuf *b, size_t extra) {
    if (b->n + extra <= b->cap) return;
    size_t nc = b->cap ? b->cap * 2 : 4096;
    while (nc < b->n + extra) nc *= 2;
    b->p = sp_realloc(b->p, nc);
    b->cap = nc;
}
static inline void wb_put(wbuf *b, const void *p, size_t n) {
    wb_reserve(b, n);
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
}
static inline void wb_u8(wbuf *b, uint8_t v) { wb_put(b, &v, 1); }
static inline void wb_u16(wbuf *b, uint16_t v) { wb_put(b, &v, 2); }
static inline void wb_u32(wbuf *b, uint32_t v) { wb_put(b, &v, 4); }
static inline void wb_u64(wbuf *b, uint64_t v) { wb_put(b, &v, 8); }

/* ------------------------------------------------------------- dynamic */

enum { DB_NULL, DB_FALSE, DB_TRUE, DB_LONG, DB_REAL, DB_STRING, DB_DATETIME, DB_TIMESPAN, DB_GUID,
       DB_ARRAY, DB_BAG };

static void put_varint(sp_buf *out, uint64_t v) {
    char tmp[10];
    int k = 0;
    while (v >= 0x80) {
        tmp[k++] = (char)(v | 0x80);
        v >>= 7;
    }
    tmp[k++] = (char)v;
    sp_buf_put(out, tmp, (size_t)k);
}

/* value := tag payload ; strings and keys are length-prefixed and NUL-terminated */
void dynb_encode(const kql_dyn *d, sp_buf *out) {
    if (!d) {
        sp_buf_putc(out, DB_NULL);
        return;
    }
    switch ((kql_dyn_kind)d->kind) {
    case KQL_DYN_NULL: sp_buf_putc(out, DB_NULL); break;
    case KQL_DYN_BOOL: sp_buf_putc(out, d->u.b ? DB_TRUE : DB_FALSE); break;
    case KQL_DYN_LONG:
        sp_buf_putc(out, DB_LONG);
        put_varint(out, ((uint64_t)d->u.i << 1) ^ (uint64_t)(d->u.i >> 63));
        break;
    case KQL_DYN_REAL: sp_buf_putc(out, DB_REAL); sp_buf_put(out, &d->u.r, 8); break;
    case KQL_DYN_STRING:
        sp_buf_putc(out, DB_STRING);
        put_varint(out, d->n);
        sp_buf_put(out, d->u.s, d->n);
        sp_buf_putc(out, 0);
        break;
    case KQL_DYN_DATETIME: sp_buf_putc(out, DB_DATETIME); sp_buf_put(out, &d->u.i, 8); break;
    case KQL_DYN_TIMESPAN: sp_buf_putc(out, DB_TIMESPAN); sp_buf_put(out, &d->u.i, 8); break;
    case KQL_DYN_GUID: sp_buf_putc(out, DB_GUID); sp_buf_put(out, &d->u.g, 16); break;
    case KQL_DYN_ARRAY:
        sp_buf_putc(out, DB_ARRAY);
        put_varint(out, d->n);
        for (uint32_t i = 0; i < d->n; i++) dynb_encode(&d->u.items[i], out);
        break;
    case KQL_DYN_BAG:
        sp_buf_putc(out, DB_BAG);
        put_varint(out, d->n);
        for (uint32_t i = 0; i < d->n; i++) {
            put_varint(out, d->u.kv[i].klen);
            sp_buf_put(out, d->u.kv[i].key, d->u.kv[i].klen);
            sp_buf_putc(out, 0);
            dynb_encode(&d->u.kv[i].val, out);
        }
        break;
    default: sp_buf_putc(out, DB_NULL); break;
    }
}

/* ------------------------------------------------------------- builders */

typedef struct colb {
    char *name;
    kql_type type;
    wbuf vals;                 /* fixed-width values */
    wbuf nulls;                /* bitmap words */
    bool any_null;
    bool has_mm;
    int64_t min, max;
    /* strings: dictionary */
    uint32_t *slots;           /* code + 1, 0 = empty */
    size_t nslots;
    wbuf sbytes;
    SP_VEC(uint32_t) soff;     /* dict_n + 1 offsets */
    SP_VEC(uint64_t) shash;
    SP_VEC(uint32_t) codes;
    /* dynamic */
    sp_buf dyn;
    SP_VEC(uint32_t) doff;
} colb;

struct seg_builder {
    char *table;
    size_t ncols;
    colb *cols;
    size_t nrows;
    int time_col;
    ZSTD_CCtx *zc;
};

seg_builder *segb_new(const char *table, const kql_column_def *cols, size_t ncols, int time_col) {
    seg_builder *b = sp_calloc(1, sizeof *b);
    b->table = sp_strdup(table);
    b->ncols = ncols;
    b->cols = sp_calloc(ncols ? ncols : 1, sizeof *b->cols);
    b->time_col = time_col;
    for (size_t i = 0; i < ncols; i++) {
        b->cols[i].name = sp_strdup(cols[i].name);
        b->cols[i].type = cols[i].type;
        sp_buf_init(&b->cols[i].dyn, 0);
    }
    return b;
}

static void colb_reset(colb *c) {
    c->vals.n = c->nulls.n = c->sbytes.n = 0;
    c->any_null = c->has_mm = false;
    c->soff.n = c->shash.n = c->codes.n = c->doff.n = 0;
    if (c->slots) memset(c->slots, 0, c->nslots * sizeof *c->slots);
    sp_buf_reset(&c->dyn);
}

void segb_free(seg_builder *b) {
    if (!b) return;
    for (size_t i = 0; i < b->ncols; i++) {
        colb *c = &b->cols[i];
        free(c->name);
        free(c->vals.p);
        free(c->nulls.p);
        free(c->slots);
        free(c->sbytes.p);
        sp_vec_free(&c->soff);
        sp_vec_free(&c->shash);
        sp_vec_free(&c->codes);
        sp_buf_free(&c->dyn);
        sp_vec_free(&c->doff);
    }
    free(b->cols);
    free(b->table);
    if (b->zc) ZSTD_freeCCtx(b->zc);
    free(b);
}

size_t segb_rows(const seg_builder *b) { return b->nrows; }

size_t segb_bytes(const seg_builder *b) {
    size_t n = 0;
    for (size_t i = 0; i < b->ncols; i++) {
        const colb *c = &b->cols[i];
        n += c->vals.n + c->sbytes.n + c->codes.n * 4 + c->soff.n * 12 + c->dyn.n + c->doff.n * 4;
    }
    return n;
}

static void set_null(colb *c, size_t row) {
    size_t w = row >> 6;
    if (c->nulls.n < (w + 1) * 8) {
        size_t old = c->nulls.n;
        wb_reserve(&c->nulls, (w + 1) * 8 - old);
        memset(c->nulls.p + old, 0, (w + 1) * 8 - old);
        c->nulls.n = (w + 1) * 8;
    }
    ((uint64_t *)c->nulls.p)[w] |= 1ull << (row & 63);
    c->any_null = true;
}

static void grow_slots(colb *c) {
    size_t nn = c->nslots ? c->nslots * 2 : 1024;
    uint32_t *s = sp_calloc(nn, sizeof *s);
    for (size_t code = 0; code < c->shash.n; code++) {
        size_t k = c->shash.v[code] & (nn - 1);
        while (s[k]) k = (k + 1) & (nn - 1);
        s[k] = (uint32_t)code + 1;
    }
    free(c->slots);
    c->slots = s;
    c->nslots = nn;
}

static uint32_t dict_code(colb *c, const char *p, size_t n) {
    if (c->shash.n * 2 >= c->nslots) grow_slots(c);
    uint64_t h = sp_hash_bytes(p, n, 0x5eed);
    size_t mask = c->nslots - 1, k = h & mask;
    for (;;) {
        uint32_t s = c->slots[k];
        if (!s) break;
        uint32_t code = s - 1;
        if (c->shash.v[code] == h) {
            uint32_t o = c->soff.v[code], e = c->soff.v[code + 1];
            if (e - o == n && (n == 0 || memcmp(c->sbytes.p + o, p, n) == 0)) return code;
        }
        k = (k + 1) & mask;
    }
    uint32_t code = (uint32_t)c->shash.n;
    if (c->soff.n == 0) sp_vec_push(&c->soff, 0);
    wb_put(&c->sbytes, p, n);
    sp_vec_push(&c->soff, (uint32_t)c->sbytes.n);
    sp_vec_push(&c->shash, h);
    c->slots[k] = code + 1;
    return code;
}

static inline void minmax(colb *c, int64_t v) {
    if (!c->has_mm) {
        c->min = c->max = v;
        c->has_mm = true;
    } else {
        if (v < c->min) c->min = v;
        if (v > c->max) c->max = v;
    }
}

void segb_append(seg_builder *b, const kql_value *row) {
    size_t r = b->nrows;
    for (size_t i = 0; i < b->ncols; i++) {
        colb *c = &b->cols[i];
        const kql_value *v = &row[i];
        bool null = v->null && c->type != KQL_STRING;
        if (null) set_null(c, r);
        switch (c->type) {
        case KQL_BOOL: wb_u8(&c->vals, null ? 0 : (uint8_t)v->u.b); break;
        case KQL_INT: {
            int32_t x = null ? 0 : (int32_t)v->u.i;
            wb_put(&c->vals, &x, 4);
            if (!null) minmax(c, x);
            break;
        }
        case KQL_LONG:
        case KQL_DATETIME:
        case KQL_TIMESPAN: {
            int64_t x = null ? 0 : v->u.i;
            wb_put(&c->vals, &x, 8);
            if (!null) minmax(c, x);
            break;
        }
        case KQL_REAL:
        case KQL_DECIMAL: {
            double x = null ? 0 : v->u.r;
            wb_put(&c->vals, &x, 8);
            break;
        }
        case KQL_GUID: {
            kql_guid g = {{0}};
            if (!null) g = v->u.g;
            wb_put(&c->vals, &g, 16);
            break;
        }
        case KQL_STRING: {
            uint32_t code = dict_code(c, v->u.s.p ? v->u.s.p : "", v->u.s.p ? v->u.s.n : 0);
            sp_vec_push(&c->codes, code);
            break;
        }
        case KQL_DYNAMIC:
            if (c->doff.n == 0) sp_vec_push(&c->doff, 0);
            if (!null && v->u.d && v->u.d->kind != KQL_DYN_NULL) dynb_encode(v->u.d, &c->dyn);
            else if (!null) set_null(c, r);
            sp_vec_push(&c->doff, (uint32_t)c->dyn.n);
            break;
        default: break;
        }
    }
    b->nrows++;
}

/* Lays out one column's block uncompressed. */
static void layout(seg_builder *b, colb *c, wbuf *u, uint8_t *flags) {
    size_t n = b->nrows, words = (n + 63) / 64;
    u->n = 0;
    *flags = 0;
    if (c->any_null) {
        *flags |= SEGC_NULLS;
        size_t have = c->nulls.n;
        wb_put(u, c->nulls.p, have);
        wb_reserve(u, words * 8 - have);
        memset(u->p + u->n, 0, words * 8 - have);
        u->n += words * 8 - have;
    }
    if (c->has_mm) *flags |= SEGC_MINMAX;
    switch (c->type) {
    case KQL_DATETIME: {
        /* deltas: sorted-ish times compress far better */
        const int64_t *v = (const int64_t *)c->vals.p;
        wb_reserve(u, n * 8);
        int64_t prev = 0;
        for (size_t i = 0; i < n; i++) {
            int64_t d = (int64_t)((uint64_t)v[i] - (uint64_t)prev);
            memcpy(u->p + u->n + i * 8, &d, 8);
            prev = v[i];
        }
        u->n += n * 8;
        break;
    }
    case KQL_STRING: {
        uint32_t dn = (uint32_t)c->shash.n;
        uint32_t width = dn <= 256 ? 1 : dn <= 65536 ? 2 : 4;
        wb_u32(u, dn);
        wb_u32(u, width);
        if (dn == 0) wb_u32(u, 0);
        else wb_put(u, c->soff.v, (dn + 1) * 4);
        wb_put(u, c->sbytes.p, c->sbytes.n);
        while (u->n & 3) wb_u8(u, 0);
        wb_reserve(u, n * width);
        for (size_t i = 0; i < n; i++) {
            uint32_t code = c->codes.v[i];
            if (width == 1) u->p[u->n + i] = (uint8_t)code;
            else if (width == 2) { uint16_t x = (uint16_t)code; memcpy(u->p + u->n + i * 2, &x, 2); }
            else memcpy(u->p + u->n + i * 4, &code, 4);
        }
        u->n += n * width;
        break;
    }
    case KQL_DYNAMIC:
        if (c->doff.n == 0) wb_u32(u, 0);
        else wb_put(u, c->doff.v, (n + 1) * 4);
        wb_put(u, c->dyn.p, c->dyn.n);
        break;
    default: wb_put(u, c->vals.p, c->vals.n); break;
    }
}

int segb_finish(seg_builder *b, int zlevel, sp_buf *out, sp_err *err) {
    if (!b->zc) b->zc = ZSTD_createCCtx();
    if (!b->zc) sp_oom();
    if (zlevel <= 0) zlevel = 1;
    wbuf img = {0}, u = {0}, foot = {0};
    wb_put(&img, SEG_MAGIC, 8);
    wb_u32(&img, 1);
    wb_u32(&img, 0);
    seg_colmeta *cm = sp_calloc(b->ncols ? b->ncols : 1, sizeof *cm);
    int rc = 0;
    for (size_t i = 0; i < b->ncols; i++) {
        colb *c = &b->cols[i];
        if (c->sbytes.n > UINT32_MAX - 1 || c->dyn.n > UINT32_MAX - 1) {
            rc = sp_err_set(err, SP_ERR_LIMIT, "too_large", 0, 0, "column %s holds over 4 GiB in one segment", c->name);
            break;
        }
        uint8_t flags;
        layout(b, c, &u, &flags);
        size_t bound = ZSTD_compressBound(u.n);
        wb_reserve(&img, bound);
        size_t cs = ZSTD_compressCCtx(b->zc, img.p + img.n, bound, u.p, u.n, zlevel);
        if (ZSTD_isError(cs)) {
            rc = sp_err_set(err, SP_ERR_RUNTIME, "zstd", 0, 0, "compressing column %s: %s", c->name, ZSTD_getErrorName(cs));
            break;
        }
        cm[i] = (seg_colmeta){.type = c->type, .flags = flags, .off = img.n, .csize = cs, .usize = u.n,
                              .crc = st_crc32(img.p + img.n, cs), .min = c->min, .max = c->max};
        img.n += cs;
    }
    if (rc == 0) {
        /* footer */
        wb_u32(&foot, 1);
        wb_u32(&foot, (uint32_t)b->ncols);
        wb_u64(&foot, b->nrows);
        int32_t tc = b->time_col;
        bool has_time = tc >= 0 && (size_t)tc < b->ncols && b->cols[tc].has_mm;
        wb_put(&foot, &tc, 4);
        wb_u8(&foot, has_time);
        int64_t tmin = has_time ? b->cols[tc].min : 0, tmax = has_time ? b->cols[tc].max : 0;
        wb_put(&foot, &tmin, 8);
        wb_put(&foot, &tmax, 8);
        size_t tl = strlen(b->table);
        wb_u16(&foot, (uint16_t)tl);
        wb_put(&foot, b->table, tl);
        for (size_t i = 0; i < b->ncols; i++) {
            size_t nl = strlen(b->cols[i].name);
            wb_u16(&foot, (uint16_t)nl);
            wb_put(&foot, b->cols[i].name, nl);
            wb_u8(&foot, (uint8_t)cm[i].type);
            wb_u8(&foot, cm[i].flags);
            wb_u64(&foot, cm[i].off);
            wb_u64(&foot, cm[i].csize);
            wb_u64(&foot, cm[i].usize);
            wb_u32(&foot, cm[i].crc);
            wb_put(&foot, &cm[i].min, 8);
            wb_put(&foot, &cm[i].max, 8);
        }
        uint64_t foff = img.n;
        wb_put(&img, foot.p, foot.n);
        wb_u64(&img, foff);
        wb_u32(&img, (uint32_t)foot.n);
        wb_u32(&img, st_crc32(foot.p, foot.n));
        wb_put(&img, SEG_END_MAGIC, 8);
        sp_buf_put(out, img.p, img.n);
        if (out->truncated) rc = sp_err_set(err, SP_ERR_LIMIT, "too_large", 0, 0, "segment image over the buffer cap");
    }
    free(img.p);
    free(u.p);
    free(foot.p);
    free(cm);
    for (size_t i = 0; i < b->ncols; i++) colb_reset(&b->cols[i]);
    b->nrows = 0;
    return rc;
}
