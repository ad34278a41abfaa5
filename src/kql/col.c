/* Column vectors: allocation, constants, null bitmaps, setting values with
 * conversion, flattening constant/dictionary columns, and gathering rows. */
#include "kql_int.h"

size_t kql_nullmap_words(size_t n) { return (n + 63) / 64; }

static size_t type_width(kql_type t) {
    switch (t) {
    case KQL_BOOL: return 1;
    case KQL_INT: return 4;
    case KQL_LONG:
    case KQL_DATETIME:
    case KQL_TIMESPAN: return 8;
    case KQL_REAL:
    case KQL_DECIMAL: return 8;
    case KQL_GUID: return sizeof(kql_guid);
    case KQL_STRING: return sizeof(sp_str);
    case KQL_DYNAMIC: return sizeof(const kql_dyn *);
    default: return 8;
    }
}

kql_col *kql_col_new(sp_arena *a, kql_type t, size_t n) {
    kql_col *c = SP_NEW(a, kql_col);
    c->type = t == KQL_UNKNOWN ? KQL_DYNAMIC : t;
    c->n = n;
    c->v.raw = sp_arena_zalloc(a, type_width(c->type) * (n ? n : 1));
    return c;
}

void kql_col_set_null(sp_arena *a, kql_col *c, size_t i) {
    if (c->type == KQL_STRING) {
        c->v.s[i] = (sp_str){"", 0};
        return;
    }
    if (!c->nulls) c->nulls = sp_arena_zalloc(a, kql_nullmap_words(c->n) * 8);
    c->nulls[i >> 6] |= 1ULL << (i & 63);
}

void kql_col_set(sp_arena *a, kql_col *c, size_t i, const kql_value *v) {
    kql_value cv;
    const kql_value *src = v;
    if (v->type != c->type) {
        kql_convert(a, v, c->type, &cv);
        src = &cv;
    }
    if (src->null && c->type != KQL_STRING) {
        kql_col_set_null(a, c, i);
        return;
    }
    switch (c->type) {
    case KQL_BOOL: c->v.b[i] = src->u.b; break;
    case KQL_INT: c->v.i32[i] = (int32_t)src->u.i; break;
    case KQL_LONG:
    case KQL_DATETIME:
    case KQL_TIMESPAN: c->v.i64[i] = src->u.i; break;
    case KQL_REAL:
    case KQL_DECIMAL: c->v.f64[i] = src->u.r; break;
    case KQL_GUID: c->v.g[i] = src->u.g; break;
    case KQL_STRING: c->v.s[i] = src->u.s; break;
    case KQL_DYNAMIC: c->v.d[i] = src->u.d; break;
    default: break;
    }
}

kql_col *kql_col_const(sp_arena *a, const kql_value *v, size_t n) {
    kql_col *c = kql_col_new(a, v->type, 1);
    kql_col_set(a, c, 0, v);
    c->n = n;
    c->flags |= KQL_COL_CONST;
    return c;
}

kql_col *kql_col_flatten(sp_arena *a, const kql_col *c) {
    if (!(c->flags & (KQL_COL_CONST | KQL_COL_DICT))) return (kql_col *)c;
    kql_col *o = kql_col_new(a, c->type, c->n);
    if (c->flags & KQL_COL_CONST) {
        kql_value v;
        kql_col_get(c, 0, &v);
        for (size_t i = 0; i < c->n; i++) kql_col_set(a, o, i, &v);
        return o;
    }
    for (size_t i = 0; i < c->n; i++) o->v.s[i] = c->dict->s[c->v.codes[i]];
    return o;
}

kql_col *kql_col_gather(sp_arena *a, const kql_col *c, const uint32_t *rows, size_t n) {
    if (c->flags & KQL_COL_CONST) {
        kql_col *o = SP_NEW(a, kql_col);
        *o = *c;
        o->n = n;
        return o;
    }
    kql_col *o = SP_NEW(a, kql_col);
    o->type = c->type;
    o->n = n;
    o->flags = c->flags & KQL_COL_DICT;
    o->dict = c->dict;
    size_t w = (c->flags & KQL_COL_DICT) ? 4 : type_width(c->type);
    o->v.raw = sp_arena_alloc(a, w * (n ? n : 1));
    switch (w) {
    case 1:
        for (size_t i = 0; i < n; i++) o->v.b[i] = c->v.b[rows[i]];
        break;
    case 4:
        for (size_t i = 0; i < n; i++) ((uint32_t *)o->v.raw)[i] = ((const uint32_t *)c->v.raw)[rows[i]];
        break;
    case 8:
        for (size_t i = 0; i < n; i++) ((uint64_t *)o->v.raw)[i] = ((const uint64_t *)c->v.raw)[rows[i]];
        break;
    default:
        for (size_t i = 0; i < n; i++) memcpy((char *)o->v.raw + i * w, (const char *)c->v.raw + rows[i] * w, w);
        break;
    }
    if (c->nulls) {
        uint64_t *nm = NULL;
        for (size_t i = 0; i < n; i++) {
            size_t r = rows[i];
            if ((c->nulls[r >> 6] >> (r & 63)) & 1) {
                if (!nm) nm = sp_arena_zalloc(a, kql_nullmap_words(n) * 8);
                nm[i >> 6] |= 1ULL << (i & 63);
            }
        }
        o->nulls = nm;
    }
    return o;
}
