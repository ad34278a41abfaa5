/* externaldata for the engine: store_file_loader reads a file into a
 * kql_result of the given (or inferred) columns, with its own arena. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------- externaldata */

typedef struct {
    kql_result *r;
    size_t cap;
    seg_builder *unused;
    sp_err *err;
} xload;

static int on_x_row(void *ctx, const kql_value *row, size_t ncols, uint64_t line) {
    xload *x = ctx;
    kql_result *r = x->r;
    (void)line;
    if (r->nrows == x->cap) {
        size_t nc = x->cap ? x->cap * 2 : 256;
        for (size_t c = 0; c < ncols; c++) {
            kql_col *col = r->cols[c];
            size_t w = col->type == KQL_STRING ? sizeof(sp_str) : col->type == KQL_DYNAMIC ? sizeof(void *)
                     : col->type == KQL_GUID ? sizeof(kql_guid) : col->type == KQL_BOOL ? 1
                     : col->type == KQL_INT ? 4 : 8;
            col->v.raw = sp_arena_realloc(&r->arena, col->v.raw, x->cap * w, nc * w);
            col->nulls = sp_arena_realloc(&r->arena, col->nulls, (x->cap + 63) / 64 * 8, (nc + 63) / 64 * 8);
            memset((char *)col->nulls + (x->cap + 63) / 64 * 8, 0, (nc + 63) / 64 * 8 - (x->cap + 63) / 64 * 8);
        }
        x->cap = nc;
    }
    size_t i = r->nrows;
    for (size_t c = 0; c < ncols; c++) {
        kql_col *col = r->cols[c];
        const kql_value *v = &row[c];
        if (v->null && col->type != KQL_STRING) {
            col->nulls[i >> 6] |= 1ull << (i & 63);
            if (col->type == KQL_DYNAMIC) col->v.d[i] = NULL;
            continue;
        }
        switch (col->type) {
        case KQL_BOOL: col->v.b[i] = v->u.b; break;
        case KQL_INT: col->v.i32[i] = (int32_t)v->u.i; break;
        case KQL_LONG:
        case KQL_DATETIME:
        case KQL_TIMESPAN: col->v.i64[i] = v->u.i; break;
        case KQL_REAL:
        case KQL_DECIMAL: col->v.f64[i] = v->u.r; break;
        case KQL_GUID: col->v.g[i] = v->u.g; break;
        case KQL_STRING: col->v.s[i] = (sp_str){sp_arena_strndup(&r->arena, v->u.s.p, v->u.s.n), v->u.s.n}; break;
        case KQL_DYNAMIC: {
            /* copy the tree: encode and decode into the result's arena */
            sp_buf b;
            sp_buf_init(&b, 0);
            dynb_encode(v->u.d, &b);
            uint8_t *keep = sp_arena_alloc(&r->arena, b.n);
            memcpy(keep, b.p, b.n);
            kql_dyn *d = SP_NEW(&r->arena, kql_dyn);
            if (!dynb_decode(keep, b.n, &r->arena, d)) d->kind = KQL_DYN_NULL;
            col->v.d[i] = d;
            sp_buf_free(&b);
            break;
        }
        default: break;
        }
    }
    r->nrows++;
    return 0;
}

kql_result *store_file_loader(void *ctx, const char *path, const char *format, const kql_column_def *cols,
                              size_t ncols, sp_err *err) {
    (void)ctx;
    store_ingest_report rep = {0};
    kql_result *r = sp_calloc(1, sizeof *r);
    sp_arena_init(&r->arena, NULL);
    xload x = {.r = r, .err = err};
    /* without columns: infer them first (a first pass that only reads the schema) */
    const kql_column_def *use = cols;
    size_t nuse = ncols;
    store_ingest_report schema = {0};
    if (!cols || !ncols) {
        int rc0 = store_read_file(path, format, NULL, 0, NULL, NULL, &schema, err);
        if (rc0 != 0) {
            store_report_free(&schema);
            sp_arena_free(&r->arena);
            free(r);
            return NULL;
        }
        use = schema.cols;
        nuse = schema.ncols;
    }
    r->ncols = nuse;
    r->names = SP_NEWN(&r->arena, const char *, nuse ? nuse : 1);
    r->types = SP_NEWN(&r->arena, kql_type, nuse ? nuse : 1);
    r->cols = SP_NEWZ(&r->arena, kql_col *, nuse ? nuse : 1);
    for (size_t i = 0; i < nuse; i++) {
        r->names[i] = sp_arena_strdup(&r->arena, use[i].name);
        r->types[i] = use[i].type;
        r->cols[i] = SP_NEW(&r->arena, kql_col);
        r->cols[i]->type = use[i].type;
    }
    int f = store_format_parse(format);
    int rc;
    if (f < 0) {
        rc = sp_err_set(err, SP_ERR_USAGE, "bad_format", 0, 0, "unknown format '%s' (ndjson, json, csv)", format);
    } else {
        /* externaldata's CSV often has no header: cells then map by position */
        ing_params p = {.cols = use, .ncols = nuse, .fmt = (store_format)f, .cb = on_x_row, .ctx = &x, .rep = &rep,
                        .csv_header_auto = cols && ncols};
        rc = ing_run(&p, path, NULL, 0, err);
    }
    for (size_t i = 0; i < nuse; i++) {
        r->cols[i]->n = r->nrows;
        bool any = false;
        for (size_t w = 0; w < (r->nrows + 63) / 64 && r->cols[i]->nulls; w++)
            if (r->cols[i]->nulls[w]) any = true;
        if (!any) r->cols[i]->nulls = NULL;
    }
    if (rc == 0 && rep.rows_rejected) {
        sp_err_set(err, SP_ERR_SYNTAX, "rejected", (int)SP_MIN(rep.rejects[0].line, (uint64_t)INT32_MAX), 0,
                   "externaldata %s: %llu rows rejected (first: line %llu: %s)", path,
                   (unsigned long long)rep.rows_rejected, (unsigned long long)rep.rejects[0].line, rep.rejects[0].reason);
        rc = -1;
    }
    store_report_free(&rep);
    store_report_free(&schema);
    if (rc != 0) {
        sp_arena_free(&r->arena);
        free(r);
        return NULL;
    }
    return r;
}
