/* Files into the engine's memory tables without a store: store_load_memtable,
 * for `secpilot kql --table NAME=FILE` (kept apart: it needs kql_memdb). */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    kql_memdb *db;
    const char *name;
    kql_memtable *t;
    store_ingest_report *rep;
    sp_err *err;
    int rc;
} mload;

static int on_mem_row(void *ctx, const kql_value *row, size_t ncols, uint64_t line) {
    mload *m = ctx;
    if (!m->t) {
        m->t = kql_memdb_create(m->db, m->name, m->rep->cols, m->rep->ncols, -1);
        if (!m->t) {
            m->rc = sp_err_set(m->err, SP_ERR_RUNTIME, "memtable", 0, 0, "cannot create table %s", m->name);
            return 1;
        }
    }
    (void)ncols;
    if (kql_memtable_append(m->t, row, m->err) != 0) {
        m->rc = -1;
        if (!m->err->line) m->err->line = (int)SP_MIN(line, (uint64_t)INT32_MAX);
        return 1;
    }
    return 0;
}

int store_load_memtable(kql_memdb *db, const char *name, const char *path, const kql_schema_set *schemas,
                        sp_err *err) {
    const kql_table *t = schemas ? kql_schemas_find(schemas, name, strlen(name)) : NULL;
    store_ingest_report rep = {0};
    if (t) {
        rep.cols = sp_calloc(t->ncols ? t->ncols : 1, sizeof *rep.cols);
        for (size_t i = 0; i < t->ncols; i++) rep.cols[i] = (kql_column_def){sp_strdup(t->cols[i].name), t->cols[i].type};
        rep.ncols = t->ncols;
    }
    mload m = {.db = db, .name = name, .rep = &rep, .err = err};
    int rc = store_read_file(path, NULL, t ? t->cols : NULL, t ? t->ncols : 0, on_mem_row, &m, &rep, err);
    if (rc == 0 && m.rc == 0 && !m.t && rep.ncols) {
        m.t = kql_memdb_create(db, name, rep.cols, rep.ncols, -1);   /* no rows: an empty table */
    }
    if (rc == 0 && m.rc == 0 && rep.rows_rejected) {
        sp_err_set(err, SP_ERR_SYNTAX, "rejected", (int)SP_MIN(rep.rejects[0].line, (uint64_t)INT32_MAX), 0,
                   "%s: %llu rows rejected (first: line %llu: %s); %llu rows loaded", path,
                   (unsigned long long)rep.rows_rejected, (unsigned long long)rep.rejects[0].line,
                   rep.rejects[0].reason, (unsigned long long)rep.rows_accepted);
        rc = -1;
    }
    store_report_free(&rep);
    return rc == 0 && m.rc == 0 ? 0 : -1;
}

