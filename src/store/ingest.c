/* Ingestion into the store: a reader feeding a write transaction, the
 * --create path (infer, make the _CL table, load), all-or-nothing, reports. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    store_txn *tx;
    const char *table;
    store_ws *ws;
    bool create;               /* create the table from rep->cols on the first row */
    store_ingest_report *rep;
    sp_err *err;
    int rc;
} sink;

static int ensure_table(sink *k) {
    if (!k->create) return 0;
    k->create = false;
    if (!store_create_table(k->ws, k->table, k->rep->cols, k->rep->ncols, k->err)) return -1;
    return 0;
}

static int on_row(void *ctx, const kql_value *row, size_t ncols, uint64_t line) {
    sink *k = ctx;
    if (ensure_table(k) != 0 || store_txn_append(k->tx, k->table, row, ncols, k->err) != 0) {
        k->rc = -1;
        if (k->err->line == 0) k->err->line = (int)SP_MIN(line, (uint64_t)INT32_MAX);
        return 1;
    }
    return 0;
}

/* A damaged container (truncated gzip, zip, tar) ends the input: with
 * keep-good the rows read before the damage are kept and the damage counts
 * as one rejection (line 0: the input itself). */
static int salvage(int rc, sink *k, const store_ingest_opts *o, store_ingest_report *rep, sp_err *err) {
    if (rc == 0 || k->rc != 0 || o->all_or_nothing) return rc;
    if (strcmp(err->code, "bad_gzip") != 0 && strcmp(err->code, "bad_zip") != 0 && strcmp(err->code, "bad_tar") != 0)
        return rc;
    rep->rows_read++;
    ing_report_reject(rep, 0, "%s; the rows before it were read", err->msg);
    sp_err_clear(err);
    return 0;
}

static const kql_table *route_schema(void *ctx, const char *table) {
    sink *k = ctx;
    return store_table(k->ws, table);
}

static size_t route_list(void *ctx, const kql_table **out, size_t max) {
    sink *k = ctx;
    kql_catalog c = store_catalog(k->ws);
    return c.list(c.ctx, out, max);
}

static int route_row(void *ctx, const char *table, const kql_value *row, size_t ncols, uint64_t line) {
    sink *k = ctx;
    store_ingest_report *r = k->rep;
    size_t i = 0;
    while (i < r->ntables && strcmp(r->tables[i].name, table) != 0) i++;
    if (i == r->ntables) {
        r->tables = sp_realloc(r->tables, (r->ntables + 1) * sizeof *r->tables);
        r->tables[r->ntables++] = (store_field_count){sp_strdup(table), 0};
    }
    r->tables[i].count++;
    if (store_txn_append(k->tx, table, row, ncols, k->err) != 0) {
        k->rc = -1;
        if (k->err->line == 0) k->err->line = (int)SP_MIN(line, (uint64_t)INT32_MAX);
        return 1;
    }
    return 0;
}

static int txn_ingest(store_txn *tx, const char *table, const char *path, const char *buf, size_t len,
                      const store_ingest_opts *o, store_ingest_report *rep, sp_err *err) {
    store_ingest_opts d = {0};
    if (!o) o = &d;
    store_ws *ws = st_txn_ws(tx);
    int f = store_format_parse(o->format);
    if (f < 0)
        return sp_err_set(err, SP_ERR_USAGE, "bad_format", 0, 0, "unknown format '%s' (ndjson, json, csv)", o->format);
    if (strcmp(table, STORE_TABLE_AUTO) == 0) {
        sink k = {.tx = tx, .table = table, .ws = ws, .rep = rep, .err = err};
        ing_params p = {.fmt = (store_format)f, .lim = o->limits, .ctx = &k, .rep = rep,
                        .fill_now = st_now(ws->st), .route_schema = route_schema, .route_cb = route_row,
                        .route_list = route_list};
        uint64_t rej0 = rep->rows_rejected;
        int rc = salvage(ing_run(&p, path, buf, len, err), &k, o, rep, err);
        if (rc != 0 || k.rc != 0) return -1;
        if (o->all_or_nothing && rep->rows_rejected - rej0 > o->max_errors)
            return sp_err_set(err, SP_ERR_SYNTAX, "rejected", 0, 0, "%llu rows rejected (allowed: %llu): nothing from this input was kept",
                              (unsigned long long)(rep->rows_rejected - rej0), (unsigned long long)o->max_errors);
        return 0;
    }
    const kql_table *t = store_table(ws, table);
    if (!t && !o->create) {
        sp_err_set(err, SP_ERR_SEMANTIC, "unknown_table", 0, 0, "no table %s in workspace %s", table, ws->name);
        sp_err_hint(err, "custom tables are made with --create (their names end in _CL)");
        sp_err_name(err, table, strlen(table));
        return -1;
    }
    if (!t && (strlen(table) < 4 || strcmp(table + strlen(table) - 3, "_CL") != 0))
        return sp_err_set(err, SP_ERR_USAGE, "bad_name", 0, 0,
                          "--create makes custom tables, whose names end in _CL; '%s' does not", table);
    uint64_t rej0 = rep->rows_rejected, acc0 = rep->rows_accepted;
    store_ingest_report sub = {0};
    sink k = {.tx = tx, .table = table, .ws = ws, .create = !t, .rep = t ? rep : &sub, .err = err};
    ing_params p = {.cols = t ? t->cols : NULL, .ncols = t ? t->ncols : 0, .fmt = (store_format)f,
                    .lim = o->limits, .cb = on_row, .ctx = &k, .rep = rep, .add_time_col = true,
                    .sanitize_names = true, .fill_now = st_now(ws->st)};
    /* a fresh report per input keeps the inferred schema of this input */
    if (!t) p.rep = &sub;
    int rc = ing_run(&p, path, buf, len, err);
    rc = salvage(rc, &k, o, p.rep, err);
    if (!t) {
        /* fold the sub-report into the caller's */
        rep->rows_read += sub.rows_read;
        rep->rows_accepted += sub.rows_accepted;
        rep->rows_rejected += sub.rows_rejected;
        rep->time_filled += sub.time_filled;
        rep->time_from_other += sub.time_from_other;
        if (!rep->time_source[0]) memcpy(rep->time_source, sub.time_source, sizeof rep->time_source);
        for (size_t i = 0; i < sub.nrejects && rep->nrejects < STORE_MAX_REJECTS_KEPT; i++)
            rep->rejects[rep->nrejects++] = sub.rejects[i];
        for (size_t i = 0; i < sub.nunknown; i++)
            ing_report_unknown(rep, sub.unknown[i].name, strlen(sub.unknown[i].name), sub.unknown[i].count);
        memcpy(rep->format, sub.format, sizeof rep->format);
        if (!rep->cols) {
            rep->cols = sub.cols, rep->ncols = sub.ncols;
            sub.cols = NULL, sub.ncols = 0;
        }
        if (rc == 0 && k.create && sub.ncols) ensure_table(&k);   /* no rows: still make the table */
        store_report_free(&sub);
    } else if (!rep->cols) {
        rep->cols = sp_calloc(t->ncols, sizeof *rep->cols);
        for (size_t i = 0; i < t->ncols; i++) rep->cols[i] = (kql_column_def){sp_strdup(t->cols[i].name), t->cols[i].type};
        rep->ncols = t->ncols;
    }
    if (rc != 0 || k.rc != 0) return -1;
    uint64_t rej = rep->rows_rejected - rej0;
    if (o->all_or_nothing && rej > o->max_errors) {
        (void)acc0;
        return sp_err_set(err, SP_ERR_SYNTAX, "rejected", 0, 0,
                          "%llu rows rejected (allowed: %llu): nothing from this input was kept",
                          (unsigned long long)rej, (unsigned long long)o->max_errors);
    }
    return 0;
}

int store_txn_ingest_buf(store_txn *tx, const char *table, const char *buf, size_t len,
                         const store_ingest_opts *o, store_ingest_report *rep, sp_err *err) {
    return txn_ingest(tx, table, NULL, buf, len, o, rep, err);
}

int store_txn_ingest_file(store_txn *tx, const char *table, const char *path,
                          const store_ingest_opts *o, store_ingest_report *rep, sp_err *err) {
    return txn_ingest(tx, table, path, NULL, 0, o, rep, err);
}

static int ingest(store_ws *ws, const char *table, const char *path, const char *buf, size_t len,
                  const store_ingest_opts *o, store_ingest_report *rep, sp_err *err) {
    store_txn *tx = store_txn_begin(ws, err);
    if (!tx) return -1;
    uint64_t acc0 = rep->rows_accepted;
    if (txn_ingest(tx, table, path, buf, len, o, rep, err) != 0) {
        store_txn_abort(tx);
        return -1;
    }
    uint64_t rows = store_txn_rows(tx);
    (void)acc0;
    if (store_txn_commit(tx, err) != 0) return -1;
    rep->rows_committed += rows;
    return 0;
}

int store_ingest_file(store_ws *ws, const char *table, const char *path, const store_ingest_opts *o,
                      store_ingest_report *rep, sp_err *err) {
    return ingest(ws, table, path, NULL, 0, o, rep, err);
}

int store_ingest_buf(store_ws *ws, const char *table, const char *buf, size_t len,
                     const store_ingest_opts *o, store_ingest_report *rep, sp_err *err) {
    return ingest(ws, table, NULL, buf, len, o, rep, err);
}

/* ------------------------------------------------------------- reports */

static const char *type_name(kql_type t) { return kql_type_name(t); }

void store_report_print(const store_ingest_report *r, const char *label, sp_buf *out) {
    sp_buf_printf(out, "%s: %llu rows read, %llu accepted, %llu rejected, %llu committed (%s)\n",
                  label ? label : "input", (unsigned long long)r->rows_read, (unsigned long long)r->rows_accepted,
                  (unsigned long long)r->rows_rejected, (unsigned long long)r->rows_committed,
                  r->format[0] ? r->format : "?");
    if (r->time_from_other)
        sp_buf_printf(out, "  %llu rows had no TimeGenerated: taken from %s\n", (unsigned long long)r->time_from_other,
                      r->time_source[0] ? r->time_source : "another time column");
    if (r->time_filled)
        sp_buf_printf(out, "  %llu rows had no TimeGenerated nor another time: set to the ingestion time\n",
                      (unsigned long long)r->time_filled);
    for (size_t i = 0; i < r->nrejects; i++) {
        if (r->rejects[i].line) sp_buf_printf(out, "  line %llu: %s\n", (unsigned long long)r->rejects[i].line, r->rejects[i].reason);
        else sp_buf_printf(out, "  input: %s\n", r->rejects[i].reason);
    }
    if (r->rows_rejected > r->nrejects)
        sp_buf_printf(out, "  ... and %llu more rejected rows\n", (unsigned long long)(r->rows_rejected - r->nrejects));
    if (r->ntables) {
        sp_buf_printf(out, "  rows per table:");
        for (size_t i = 0; i < r->ntables; i++)
            sp_buf_printf(out, "%s %s=%llu", i ? "," : "", r->tables[i].name, (unsigned long long)r->tables[i].count);
        sp_buf_putc(out, '\n');
    }
    if (r->nunknown) {
        sp_buf_printf(out, "  fields not in the table (values left out):");
        for (size_t i = 0; i < r->nunknown; i++)
            sp_buf_printf(out, "%s %s=%llu", i ? "," : "", r->unknown[i].name[0] ? r->unknown[i].name : "(unnamed)",
                          (unsigned long long)r->unknown[i].count);
        sp_buf_putc(out, '\n');
    }
}

void store_report_json(const store_ingest_report *r, const char *label, sp_buf *out) {
    sp_buf_puts(out, "{\"input\":");
    sp_buf_put_json_str(out, label ? label : "", label ? strlen(label) : 0);
    sp_buf_printf(out, ",\"format\":\"%s\",\"rows_read\":%llu,\"rows_accepted\":%llu,\"rows_rejected\":%llu,"
                       "\"rows_committed\":%llu,\"time_filled\":%llu,\"rejects\":[",
                  r->format, (unsigned long long)r->rows_read, (unsigned long long)r->rows_accepted,
                  (unsigned long long)r->rows_rejected, (unsigned long long)r->rows_committed,
                  (unsigned long long)r->time_filled);
    for (size_t i = 0; i < r->nrejects; i++) {
        sp_buf_printf(out, "%s{\"line\":%llu,\"reason\":", i ? "," : "", (unsigned long long)r->rejects[i].line);
        sp_buf_put_json_str(out, r->rejects[i].reason, strlen(r->rejects[i].reason));
        sp_buf_putc(out, '}');
    }
    sp_buf_puts(out, "],\"unknown_fields\":{");
    for (size_t i = 0; i < r->nunknown; i++) {
        if (i) sp_buf_putc(out, ',');
        sp_buf_put_json_str(out, r->unknown[i].name, strlen(r->unknown[i].name));
        sp_buf_printf(out, ":%llu", (unsigned long long)r->unknown[i].count);
    }
    sp_buf_puts(out, "},\"tables\":{");
    for (size_t i = 0; i < r->ntables; i++) {
        if (i) sp_buf_putc(out, ',');
        sp_buf_put_json_str(out, r->tables[i].name, strlen(r->tables[i].name));
        sp_buf_printf(out, ":%llu", (unsigned long long)r->tables[i].count);
    }
    sp_buf_puts(out, "},\"columns\":[");
    for (size_t i = 0; i < r->ncols; i++) {
        sp_buf_printf(out, "%s{\"name\":", i ? "," : "");
        sp_buf_put_json_str(out, r->cols[i].name, strlen(r->cols[i].name));
        sp_buf_printf(out, ",\"type\":\"%s\"}", type_name(r->cols[i].type));
    }
    sp_buf_puts(out, "]}");
}
