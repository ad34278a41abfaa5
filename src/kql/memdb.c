/* In-memory tables: rows appended into typed column vectors (strings
 * dictionary-encoded), served to the engine as 64K-row chunks with their
 * time range, so scans run in parallel and skip chunks outside a time filter. */
#include "kql_int.h"

#include <stdlib.h>

#define CHUNK_ROWS 65536

typedef struct memcol {
    kql_type type;
    void *data;            /* heap: values (codes for strings) */
    size_t width;
    uint64_t *nulls;       /* heap bitmap, NULL until the first null */
    /* strings */
    sp_map intern;         /* string -> code + 1 */
    sp_str *dict;          /* heap: code -> string (in the table's arena) */
    uint32_t ndict, capdict;
    kql_dict dictview;
} memcol;

typedef struct memchunk {
    size_t start, n;
    int64_t tmin, tmax;
    bool has_time;
} memchunk;

struct kql_memtable {
    kql_table t;           /* the catalog view (t.ctx points here) */
    kql_column_def *defs;
    size_t ncols;
    memcol *cols;
    size_t nrows, cap;
    sp_arena arena;        /* strings and dynamic values */
    memchunk *chunks;      /* rebuilt when rows were added */
    size_t nchunks;
    bool dirty;
    pthread_mutex_t mu;
};

struct kql_memdb {
    sp_map tables;         /* name -> kql_memtable* */
    SP_VEC(kql_memtable *) order;
    const kql_schema_set *schemas;   /* the catalog's fallback (kql_memdb_catalog) */
};

static size_t width_of(kql_type t) {
    switch (t) {
    case KQL_BOOL: return 1;
    case KQL_INT: return 4;
    case KQL_STRING: return 4; /* dictionary codes */
    case KQL_GUID: return sizeof(kql_guid);
    case KQL_DYNAMIC: return sizeof(void *);
    default: return 8;
    }
}

/* ------------------------------------------------------------------ scans */

typedef struct memscan {
    kql_memtable *m;
    kql_scan_req req;
    size_t *parts;         /* chunk indexes to read */
    size_t nparts;
} memscan;

static void rebuild_chunks(kql_memtable *m) {
    free(m->chunks);
    m->nchunks = (m->nrows + CHUNK_ROWS - 1) / CHUNK_ROWS;
    m->chunks = sp_calloc(m->nchunks ? m->nchunks : 1, sizeof *m->chunks);
    int tc = m->t.time_col;
    for (size_t i = 0; i < m->nchunks; i++) {
        memchunk *c = &m->chunks[i];
        c->start = i * CHUNK_ROWS;
        c->n = SP_MIN((size_t)CHUNK_ROWS, m->nrows - c->start);
        if (tc < 0) continue;
        const memcol *col = &m->cols[tc];
        const int64_t *v = col->data;
        bool any = false;
        for (size_t r = c->start; r < c->start + c->n; r++) {
            if (col->nulls && ((col->nulls[r >> 6] >> (r & 63)) & 1)) continue;
            if (!any || v[r] < c->tmin) c->tmin = v[r];
            if (!any || v[r] > c->tmax) c->tmax = v[r];
            any = true;
        }
        c->has_time = any;
    }
    for (size_t k = 0; k < m->ncols; k++) {
        memcol *col = &m->cols[k];
        col->dictview.n = col->ndict;
        col->dictview.s = col->dict;
    }
    m->dirty = false;
}

static kql_scan *mem_scan_begin(const kql_table *t, const kql_scan_req *req, sp_err *err) {
    (void)err;
    kql_memtable *m = t->ctx;
    pthread_mutex_lock(&m->mu);
    if (m->dirty) rebuild_chunks(m);
    pthread_mutex_unlock(&m->mu);
    memscan *s = sp_calloc(1, sizeof *s);
    s->m = m;
    s->req = *req;
    s->req.cols = sp_malloc((req->ncols ? req->ncols : 1) * sizeof(int));
    memcpy((int *)s->req.cols, req->cols, req->ncols * sizeof(int));
    s->parts = sp_malloc((m->nchunks ? m->nchunks : 1) * sizeof *s->parts);
    for (size_t i = 0; i < m->nchunks; i++) {
        const memchunk *c = &m->chunks[i];
        /* a chunk wholly outside the time range is skipped */
        if (req->has_time && t->time_col >= 0) {
            if (!c->has_time) continue;
            if (c->tmax < req->tmin || c->tmin > req->tmax) continue;
        }
        s->parts[s->nparts++] = i;
    }
    return (kql_scan *)s;
}

static size_t mem_scan_parts(kql_scan *sc) { return ((memscan *)sc)->nparts; }

static int mem_scan_read(kql_scan *sc, size_t part, sp_arena *arena, kql_batch *out, sp_err *err) {
    (void)err;
    memscan *s = (memscan *)sc;
    kql_memtable *m = s->m;
    const memchunk *c = &m->chunks[s->parts[part]];
    out->nrows = c->n;
    out->ncols = s->req.ncols;
    out->cols = SP_NEWN(arena, kql_col *, s->req.ncols ? s->req.ncols : 1);
    out->bytes = 0;
    for (size_t k = 0; k < s->req.ncols; k++) {
        const memcol *mc = &m->cols[s->req.cols[k]];
        kql_col *col = SP_NEW(arena, kql_col);
        col->type = mc->type;
        col->n = c->n;
        col->v.raw = (char *)mc->data + c->start * mc->width;
        col->nulls = mc->nulls ? mc->nulls + c->start / 64 : NULL;
        if (mc->type == KQL_STRING) {
            col->flags = KQL_COL_DICT;
            col->dict = &mc->dictview;
        }
        out->cols[k] = col;
        out->bytes += c->n * mc->width;
    }
    return 0;
}

static int mem_scan_fetch(kql_scan *sc, size_t part, const int *cols, size_t ncols, const uint32_t *rows, size_t nrows,
                          sp_arena *arena, kql_batch *out, sp_err *err) {
    (void)err;
    memscan *s = (memscan *)sc;
    kql_memtable *m = s->m;
    const memchunk *c = &m->chunks[s->parts[part]];
    out->nrows = nrows;
    out->ncols = ncols;
    out->cols = SP_NEWN(arena, kql_col *, ncols ? ncols : 1);
    out->bytes = 0;
    for (size_t k = 0; k < ncols; k++) {
        const memcol *mc = &m->cols[cols[k]];
        kql_col whole = {.type = mc->type, .n = c->n};
        whole.v.raw = (char *)mc->data + c->start * mc->width;
        whole.nulls = mc->nulls ? mc->nulls + c->start / 64 : NULL;
        if (mc->type == KQL_STRING) {
            whole.flags = KQL_COL_DICT;
            whole.dict = &mc->dictview;
        }
        out->cols[k] = kql_col_gather(arena, &whole, rows, nrows);
        out->bytes += nrows * mc->width;
    }
    return 0;
}

static void mem_scan_end(kql_scan *sc) {
    memscan *s = (memscan *)sc;
    free((int *)s->req.cols);
    free(s->parts);
    free(s);
}

static int64_t mem_row_count(const kql_table *t) { return (int64_t)((kql_memtable *)t->ctx)->nrows; }

static const kql_table_ops MEM_OPS = {mem_scan_begin, mem_scan_parts, mem_scan_read, mem_scan_end, mem_row_count, mem_scan_fetch};

/* ----------------------------------------------------------------- tables */

static void memtable_free(kql_memtable *m) {
    for (size_t k = 0; k < m->ncols; k++) {
        memcol *c = &m->cols[k];
        free(c->data);
        free(c->nulls);
        free(c->dict);
        sp_map_free(&c->intern);
    }
    free(m->cols);
    free(m->chunks);
    sp_arena_free(&m->arena);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

kql_memdb *kql_memdb_new(void) {
    kql_memdb *db = sp_calloc(1, sizeof *db);
    sp_map_init(&db->tables, false);
    return db;
}

void kql_memdb_free(kql_memdb *db) {
    if (!db) return;
    for (size_t i = 0; i < db->order.n; i++) memtable_free(db->order.v[i]);
    sp_vec_free(&db->order);
    sp_map_free(&db->tables);
    free(db);
}

kql_memtable *kql_memdb_create(kql_memdb *db, const char *name, const kql_column_def *cols, size_t ncols, int time_col) {
    kql_memtable *m = sp_calloc(1, sizeof *m);
    sp_arena_init(&m->arena, NULL);
    pthread_mutex_init(&m->mu, NULL);
    m->ncols = ncols;
    m->defs = SP_NEWN(&m->arena, kql_column_def, ncols ? ncols : 1);
    m->cols = sp_calloc(ncols ? ncols : 1, sizeof *m->cols);
    for (size_t k = 0; k < ncols; k++) {
        m->defs[k].name = sp_arena_strdup(&m->arena, cols[k].name);
        m->defs[k].type = cols[k].type == KQL_UNKNOWN ? KQL_DYNAMIC : cols[k].type;
        m->cols[k].type = m->defs[k].type;
        m->cols[k].width = width_of(m->defs[k].type);
        sp_map_init(&m->cols[k].intern, false);
    }
    if (time_col < 0) {
        for (size_t k = 0; k < ncols && time_col < 0; k++)
            if (m->defs[k].type == KQL_DATETIME &&
                (strcmp(m->defs[k].name, "TimeGenerated") == 0 || strcmp(m->defs[k].name, "Timestamp") == 0))
                time_col = (int)k;
    }
    m->t.name = sp_arena_strdup(&m->arena, name);
    m->t.ncols = ncols;
    m->t.cols = m->defs;
    m->t.time_col = time_col;
    m->t.ops = &MEM_OPS;
    m->t.ctx = m;
    m->dirty = true;
    /* replace a table of the same name */
    void **slot = sp_map_slot(&db->tables, name, strlen(name), NULL);
    if (*slot) {
        kql_memtable *old = *slot;
        for (size_t i = 0; i < db->order.n; i++)
            if (db->order.v[i] == old) db->order.v[i] = m;
        memtable_free(old);
    } else {
        sp_vec_push(&db->order, m);
    }
    *slot = m;
    return m;
}

size_t kql_memtable_rows(const kql_memtable *t) { return t->nrows; }

static void grow(kql_memtable *m) {
    size_t nc = m->cap ? m->cap * 2 : 1024;
    for (size_t k = 0; k < m->ncols; k++) {
        memcol *c = &m->cols[k];
        c->data = sp_realloc(c->data, nc * c->width);
        memset((char *)c->data + m->cap * c->width, 0, (nc - m->cap) * c->width);
        if (c->nulls) {
            c->nulls = sp_realloc(c->nulls, kql_nullmap_words(nc) * 8);
            memset(c->nulls + kql_nullmap_words(m->cap), 0, (kql_nullmap_words(nc) - kql_nullmap_words(m->cap)) * 8);
        }
    }
    m->cap = nc;
}

static uint32_t intern(kql_memtable *m, memcol *c, sp_str s) {
    bool created;
    void **slot = sp_map_slot(&c->intern, s.p ? s.p : "", s.n, &created);
    if (!created) return (uint32_t)(uintptr_t)*slot - 1;
    if (c->ndict == c->capdict) {
        c->capdict = c->capdict ? c->capdict * 2 : 64;
        c->dict = sp_realloc(c->dict, c->capdict * sizeof *c->dict);
    }
    c->dict[c->ndict] = (sp_str){sp_arena_strndup(&m->arena, s.p ? s.p : "", s.n), s.n};
    *slot = (void *)(uintptr_t)(c->ndict + 1);
    return c->ndict++;
}

int kql_memtable_append(kql_memtable *m, const kql_value *row, sp_err *err) {
    if (m->nrows == m->cap) grow(m);
    size_t r = m->nrows;
    for (size_t k = 0; k < m->ncols; k++) {
        memcol *c = &m->cols[k];
        kql_value v = row[k];
        if (v.type != c->type) {
            kql_value cv;
            if (!kql_convert(&m->arena, &v, c->type, &cv) && !(v.null && v.type != KQL_STRING)) {
                sp_err_set(err, SP_ERR_SYNTAX, "bad_value", 0, 0, "column %s: a %s value does not convert to %s",
                           m->defs[k].name, kql_type_name(v.type), kql_type_name(c->type));
                /* leave the table as it was: the row is not added */
                return -1;
            }
            v = cv;
        }
        bool isnull = v.null && c->type != KQL_STRING;
        if (isnull) {
            if (!c->nulls) c->nulls = sp_calloc(kql_nullmap_words(m->cap), 8);
            c->nulls[r >> 6] |= 1ULL << (r & 63);
            continue;
        }
        char *dst = (char *)c->data + r * c->width;
        switch (c->type) {
        case KQL_BOOL: *(uint8_t *)dst = v.u.b; break;
        case KQL_INT: *(int32_t *)dst = (int32_t)v.u.i; break;
        case KQL_LONG:
        case KQL_DATETIME:
        case KQL_TIMESPAN: *(int64_t *)dst = v.u.i; break;
        case KQL_REAL:
        case KQL_DECIMAL: *(double *)dst = v.u.r; break;
        case KQL_GUID: *(kql_guid *)dst = v.u.g; break;
        case KQL_STRING: *(uint32_t *)dst = intern(m, c, v.u.s); break;
        case KQL_DYNAMIC: *(const kql_dyn **)dst = kql_dyn_copy(&m->arena, v.u.d); break;
        default: break;
        }
    }
    m->nrows++;
    m->dirty = true;
    return 0;
}

int kql_memdb_add_result(kql_memdb *db, const char *name, const kql_result *r, sp_err *err) {
    kql_column_def *defs = sp_calloc(r->ncols ? r->ncols : 1, sizeof *defs);
    for (size_t c = 0; c < r->ncols; c++) defs[c] = (kql_column_def){r->names[c], r->types[c]};
    kql_memtable *m = kql_memdb_create(db, name, defs, r->ncols, -1);
    free(defs);
    kql_value *row = sp_calloc(r->ncols ? r->ncols : 1, sizeof *row);
    int rc = 0;
    for (size_t i = 0; i < r->nrows && rc == 0; i++) {
        for (size_t c = 0; c < r->ncols; c++) kql_result_value(r, i, c, &row[c]);
        rc = kql_memtable_append(m, row, err);
    }
    free(row);
    return rc;
}

/* ---------------------------------------------------------------- catalog */

static const kql_table *mem_find(void *ctx, const char *name, size_t n) {
    kql_memdb *db = ctx;
    kql_memtable *m = sp_map_get(&db->tables, name, n);
    if (m) return &m->t;
    return db->schemas ? kql_schemas_find(db->schemas, name, n) : NULL;
}

static size_t mem_list(void *ctx, const kql_table **out, size_t max) {
    kql_memdb *db = ctx;
    size_t k = 0;
    for (size_t i = 0; i < db->order.n; i++) {
        if (k < max) out[k] = &db->order.v[i]->t;
        k++;
    }
    if (db->schemas) {
        for (size_t i = 0; i < kql_schemas_count(db->schemas); i++) {
            const kql_table *t = kql_schemas_table(db->schemas, i);
            if (sp_map_has(&db->tables, t->name, strlen(t->name))) continue;
            if (k < max) out[k] = t;
            k++;
        }
    }
    return k;
}

kql_catalog kql_memdb_catalog(kql_memdb *db, const kql_schema_set *schemas) {
    db->schemas = schemas;
    kql_catalog cat = {.ctx = db, .find = mem_find, .list = mem_list};
    return cat;
}
