/* Segment reading: the trailer and footer of an image (checked by crc before
 * use), and decoding one column block into a kql_col, bounds-checked throughout. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <zstd.h>

void seg_meta_free(seg_meta *m) {
    if (!m) return;
    for (size_t i = 0; i < m->ncols; i++) free(m->cols[i].name);
    free(m->cols);
    free(m->table);
    memset(m, 0, sizeof *m);
}

typedef struct {
    const uint8_t *p, *e;
    bool bad;
} rd;

static bool rd_get(rd *r, void *out, size_t n) {
    if (r->bad || (size_t)(r->e - r->p) < n) {
        r->bad = true;
        memset(out, 0, n);
        return false;
    }
    memcpy(out, r->p, n);
    r->p += n;
    return true;
}

static char *rd_str16(rd *r) {
    uint16_t n;
    if (!rd_get(r, &n, 2) || (size_t)(r->e - r->p) < n) {
        r->bad = true;
        return sp_strdup("");
    }
    char *s = sp_strndup((const char *)r->p, n);
    r->p += n;
    return s;
}

int seg_parse_tail(const uint8_t *tail, size_t taillen, uint64_t size, seg_meta *m, size_t *need,
                   const char *what, sp_err *err) {
    memset(m, 0, sizeof *m);
    if (size < SEG_HEADER + SEG_TRAILER || taillen < SEG_TRAILER)
        return sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: truncated (%llu bytes)", what, (unsigned long long)size);
    const uint8_t *t = tail + taillen - SEG_TRAILER;
    if (memcmp(t + 16, SEG_END_MAGIC, 8) != 0)
        return sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: no segment trailer (truncated or overwritten)", what);
    uint64_t foff;
    uint32_t flen, fcrc;
    memcpy(&foff, t, 8);
    memcpy(&flen, t + 8, 4);
    memcpy(&fcrc, t + 12, 4);
    if (foff < SEG_HEADER || foff + flen + SEG_TRAILER != size)
        return sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: footer position out of range (truncated?)", what);
    if (taillen < (size_t)flen + SEG_TRAILER) {
        *need = (size_t)flen + SEG_TRAILER;
        return 1;
    }
    const uint8_t *f = t - flen;
    if (st_crc32(f, flen) != fcrc)
        return sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: footer checksum mismatch", what);
    rd r = {f, f + flen, false};
    uint32_t ver, ncols;
    rd_get(&r, &ver, 4);
    rd_get(&r, &ncols, 4);
    if (ver != 1 || ncols > 100000)
        return sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: unsupported segment version %u", what, ver);
    rd_get(&r, &m->nrows, 8);
    int32_t tc;
    uint8_t ht;
    rd_get(&r, &tc, 4);
    rd_get(&r, &ht, 1);
    rd_get(&r, &m->tmin, 8);
    rd_get(&r, &m->tmax, 8);
    m->time_col = tc;
    m->has_time = ht != 0;
    m->table = rd_str16(&r);
    m->ncols = ncols;
    m->cols = sp_calloc(ncols ? ncols : 1, sizeof *m->cols);
    for (uint32_t i = 0; i < ncols && !r.bad; i++) {
        seg_colmeta *c = &m->cols[i];
        c->name = rd_str16(&r);
        uint8_t ty;
        rd_get(&r, &ty, 1);
        c->type = (kql_type)ty;
        rd_get(&r, &c->flags, 1);
        rd_get(&r, &c->off, 8);
        rd_get(&r, &c->csize, 8);
        rd_get(&r, &c->usize, 8);
        rd_get(&r, &c->crc, 4);
        rd_get(&r, &c->min, 8);
        rd_get(&r, &c->max, 8);
        if (ty == KQL_UNKNOWN || ty >= KQL_NTYPES || c->off < SEG_HEADER || c->off + c->csize > foff ||
            c->usize > ((uint64_t)1 << 40))
            r.bad = true;
    }
    if (r.bad || (tc >= 0 && (uint32_t)tc >= ncols) || m->nrows > ((uint64_t)1 << 36)) {
        seg_meta_free(m);
        return sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: malformed footer", what);
    }
    m->size = size;
    m->footer_crc = fcrc;
    return 0;
}

/* ------------------------------------------------------------- dynamic */

enum { DB_NULL, DB_FALSE, DB_TRUE, DB_LONG, DB_REAL, DB_STRING, DB_DATETIME, DB_TIMESPAN, DB_GUID,
       DB_ARRAY, DB_BAG };

typedef struct {
    const uint8_t *p, *e;
    sp_arena *a;
    int depth;
} dd;

static bool varint(dd *d, uint64_t *out) {
    uint64_t v = 0;
    for (int s = 0; s < 64; s += 7) {
        if (d->p >= d->e) return false;
        uint8_t b = *d->p++;
        v |= (uint64_t)(b & 0x7f) << s;
        if (!(b & 0x80)) {
            *out = v;
            return true;
        }
    }
    return false;
}

static bool dstr(dd *d, const char **s, uint32_t *n) {
    uint64_t len;
    if (!varint(d, &len) || len > UINT32_MAX || (uint64_t)(d->e - d->p) < len + 1 || d->p[len] != 0) return false;
    *s = (const char *)d->p;
    *n = (uint32_t)len;
    d->p += len + 1;
    return true;
}

static bool dval(dd *d, kql_dyn *out) {
    memset(out, 0, sizeof *out);
    if (d->p >= d->e || ++d->depth > 512) return false;
    uint8_t tag = *d->p++;
    bool ok = true;
    switch (tag) {
    case DB_NULL: out->kind = KQL_DYN_NULL; break;
    case DB_FALSE:
    case DB_TRUE: out->kind = KQL_DYN_BOOL; out->u.b = tag == DB_TRUE; break;
    case DB_LONG: {
        uint64_t z = 0;
        ok = varint(d, &z);
        out->kind = KQL_DYN_LONG;
        out->u.i = (int64_t)(z >> 1) ^ -(int64_t)(z & 1);
        break;
    }
    case DB_REAL:
    case DB_DATETIME:
    case DB_TIMESPAN:
        if (d->e - d->p < 8) return false;
        out->kind = tag == DB_REAL ? KQL_DYN_REAL : tag == DB_DATETIME ? KQL_DYN_DATETIME : KQL_DYN_TIMESPAN;
        memcpy(tag == DB_REAL ? (void *)&out->u.r : (void *)&out->u.i, d->p, 8);
        d->p += 8;
        break;
    case DB_GUID:
        if (d->e - d->p < 16) return false;
        out->kind = KQL_DYN_GUID;
        memcpy(&out->u.g, d->p, 16);
        d->p += 16;
        break;
    case DB_STRING: out->kind = KQL_DYN_STRING; ok = dstr(d, &out->u.s, &out->n); break;
    case DB_ARRAY: {
        uint64_t n;
        if (!varint(d, &n) || n > (uint64_t)(d->e - d->p)) return false;
        kql_dyn *items = n ? SP_NEWN(d->a, kql_dyn, n) : NULL;
        for (uint64_t i = 0; i < n && ok; i++) ok = dval(d, &items[i]);
        out->kind = KQL_DYN_ARRAY;
        out->n = (uint32_t)n;
        out->u.items = items;
        break;
    }
    case DB_BAG: {
        uint64_t n;
        if (!varint(d, &n) || n > (uint64_t)(d->e - d->p)) return false;
        kql_dyn_kv *kv = n ? SP_NEWN(d->a, kql_dyn_kv, n) : NULL;
        for (uint64_t i = 0; i < n && ok; i++) {
            ok = dstr(d, &kv[i].key, &kv[i].klen) && dval(d, &kv[i].val);
        }
        out->kind = KQL_DYN_BAG;
        out->n = (uint32_t)n;
        out->u.kv = kv;
        break;
    }
    default: return false;
    }
    d->depth--;
    return ok;
}

bool dynb_decode(const uint8_t *p, size_t n, sp_arena *a, kql_dyn *out) {
    dd d = {p, p + n, a, 0};
    return dval(&d, out) && d.p == d.e;
}

/* --------------------------------------------------------------- columns */

int seg_decode_col(const seg_meta *m, size_t ci, const uint8_t *block, sp_arena *a, kql_col *out,
                   const char *what, sp_err *err) {
    const seg_colmeta *c = &m->cols[ci];
    memset(out, 0, sizeof *out);
    if (st_crc32(block, c->csize) != c->crc)
        return sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: checksum mismatch in the block of column %s",
                          what, c->name);
    uint8_t *u = sp_arena_alloc(a, c->usize + 8);
    size_t got = ZSTD_decompress(u, c->usize, block, c->csize);
    if (ZSTD_isError(got) || got != c->usize)
        return sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: column %s does not decompress", what, c->name);
    size_t n = m->nrows, pos = 0, words = (n + 63) / 64;
    out->type = c->type;
    out->n = n;
#define NEED(k)                                                                                   \
    do {                                                                                          \
        if ((uint64_t)pos + (uint64_t)(k) > c->usize)                                             \
            return sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: column %s block is malformed", \
                              what, c->name);                                                     \
    } while (0)
    if (c->flags & SEGC_NULLS) {
        NEED(words * 8);
        out->nulls = (uint64_t *)u;
        pos = words * 8;
    }
    switch (c->type) {
    case KQL_BOOL:
        NEED(n);
        out->v.b = u + pos;
        break;
    case KQL_INT:
        NEED(n * 4);
        out->v.i32 = (int32_t *)(u + pos);
        break;
    case KQL_LONG:
    case KQL_TIMESPAN:
    case KQL_DATETIME:
    case KQL_REAL:
    case KQL_DECIMAL:
        NEED(n * 8);
        out->v.raw = u + pos;
        if (c->type == KQL_DATETIME) {
            int64_t *v = (int64_t *)(u + pos);
            uint64_t acc = 0;
            for (size_t i = 0; i < n; i++) {
                acc += (uint64_t)v[i];
                v[i] = (int64_t)acc;
            }
        }
        break;
    case KQL_GUID:
        NEED(n * 16);
        out->v.g = (kql_guid *)(u + pos);
        break;
    case KQL_STRING: {
        NEED(8);
        uint32_t dn, width;
        memcpy(&dn, u + pos, 4);
        memcpy(&width, u + pos + 4, 4);
        pos += 8;
        if (width != 1 && width != 2 && width != 4) NEED((size_t)1 << 62);
        NEED(((uint64_t)dn + 1) * 4);
        const uint32_t *off = (const uint32_t *)(u + pos);
        pos += ((size_t)dn + 1) * 4;
        size_t sbase = pos;
        uint32_t total = off[dn];
        NEED(total);
        sp_str *strs = SP_NEWN(a, sp_str, dn ? dn : 1);
        for (uint32_t i = 0; i < dn; i++) {
            if (off[i] > off[i + 1] || off[i + 1] > total) NEED((size_t)1 << 62);
            strs[i] = (sp_str){(const char *)u + sbase + off[i], off[i + 1] - off[i]};
        }
        pos += total;
        pos = (pos + 3) & ~(size_t)3;
        NEED(n * width);
        uint32_t *codes;
        if (width == 4) {
            codes = (uint32_t *)(u + pos);
        } else {
            codes = SP_NEWN(a, uint32_t, n ? n : 1);
            for (size_t i = 0; i < n; i++) {
                if (width == 1) codes[i] = u[pos + i];
                else { uint16_t x; memcpy(&x, u + pos + i * 2, 2); codes[i] = x; }
            }
        }
        for (size_t i = 0; i < n; i++)
            if (codes[i] >= dn) NEED((size_t)1 << 62);
        kql_dict *dict = SP_NEW(a, kql_dict);
        dict->n = dn;
        dict->s = strs;
        out->flags = KQL_COL_DICT;
        out->v.codes = codes;
        out->dict = dict;
        out->nulls = NULL;
        break;
    }
    case KQL_DYNAMIC: {
        NEED((n + 1) * 4);
        const uint32_t *off = (const uint32_t *)(u + pos);
        pos += (n + 1) * 4;
        size_t base = pos;
        NEED(off[n]);
        const kql_dyn **d = SP_NEWN(a, const kql_dyn *, n ? n : 1);
        for (size_t i = 0; i < n; i++) {
            if (off[i] > off[i + 1] || off[i + 1] > off[n]) NEED((size_t)1 << 62);
            if (off[i] == off[i + 1]) { d[i] = NULL; continue; }
            kql_dyn *v = SP_NEW(a, kql_dyn);
            if (!dynb_decode(u + base + off[i], off[i + 1] - off[i], a, v))
                return sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: column %s row %zu: bad dynamic value", what, c->name, i);
            d[i] = v;
        }
        out->v.d = d;
        break;
    }
    default: NEED((size_t)1 << 62);
    }
#undef NEED
    return 0;
}
