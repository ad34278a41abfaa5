/* Running a compiled query into results: the execution context, limits on
 * rows and bytes (with a truncation flag), statistics, and the output
 * formats (aligned table, CSV, JSON). */
#include "exec.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define DEFAULT_MAX_ROWS 500000
#define DEFAULT_MAX_BYTES (64u * 1024 * 1024)

static size_t value_bytes(const kql_value *v) {
    if (v->type == KQL_STRING) return v->u.s.n + 8;
    if (v->type == KQL_DYNAMIC && !v->null) {
        /* estimated by the JSON text length, bounded cheaply */
        return 32;
    }
    return 8;
}

/* Copies the first nrows rows of rs into a result owned by its own arena. */
static kql_result *make_result(kql_qctx *q, const kql_plan *p, kql_rowset *rs, sp_err *err) {
    const kql_schema *s = rs->schema ? rs->schema : &p->out;
    kql_result *r = sp_calloc(1, sizeof *r);
    sp_arena_init(&r->arena, NULL);
    sp_arena *a = &r->arena;
    r->ncols = s->n;
    r->names = SP_NEWN(a, const char *, s->n ? s->n : 1);
    r->types = SP_NEWN(a, kql_type, s->n ? s->n : 1);
    r->cols = SP_NEWN(a, kql_col *, s->n ? s->n : 1);
    for (size_t c = 0; c < s->n; c++) {
        r->names[c] = sp_arena_strdup(a, s->cols[c].name);
        r->types[c] = s->cols[c].type == KQL_UNKNOWN ? KQL_DYNAMIC : s->cols[c].type;
    }
    size_t max_rows = q->opt && q->opt->max_rows ? q->opt->max_rows : DEFAULT_MAX_ROWS;
    size_t max_bytes = q->opt && q->opt->max_result_bytes ? q->opt->max_result_bytes : DEFAULT_MAX_BYTES;
    bool truncate_ok = q->opt && q->opt->truncate_ok;
    size_t n = rs->nrows;
    if (n > max_rows) {
        if (!truncate_ok) {
            sp_err_set(err, SP_ERR_LIMIT, "limit_rows",
                       0, 0, "the result has %zu rows, more than the limit of %zu; add `take`, `summarize` or a "
                             "narrower filter, or raise --max-rows",
                       n, max_rows);
            kql_result_free(r);
            return NULL;
        }
        n = max_rows;
        r->truncated = true;
    }
    /* byte budget: rows are kept while they fit */
    size_t bytes = 0, keep = 0;
    for (size_t bi = 0, row = 0; bi < rs->nb && keep < n; bi++) {
        const kql_batch *b = rs->b[bi];
        for (size_t i = 0; i < b->nrows && keep < n; i++, row++) {
            size_t rb = 0;
            for (size_t c = 0; c < s->n; c++) {
                if (!b->cols[c]) continue;
                kql_value v;
                kql_col_get(b->cols[c], i, &v);
                rb += value_bytes(&v);
            }
            if (bytes + rb > max_bytes) {
                if (!truncate_ok) {
                    sp_err_set(err, SP_ERR_LIMIT, "limit_bytes", 0, 0,
                               "the result is larger than the limit of %zu MB; project fewer columns or fewer rows",
                               max_bytes >> 20);
                    kql_result_free(r);
                    return NULL;
                }
                r->truncated = true;
                n = keep;
                break;
            }
            bytes += rb;
            keep++;
        }
    }
    n = keep < n ? keep : n;
    r->nrows = n;
    for (size_t c = 0; c < s->n; c++) {
        kql_col *col = kql_col_new(a, r->types[c], n);
        size_t row = 0;
        for (size_t bi = 0; bi < rs->nb && row < n; bi++) {
            const kql_batch *b = rs->b[bi];
            const kql_col *src = b->cols[c];
            for (size_t i = 0; i < b->nrows && row < n; i++, row++) {
                kql_value v, cv;
                if (!src) {
                    memset(&v, 0, sizeof v);
                    v.type = r->types[c];
                    v.null = v.type != KQL_STRING;
                } else {
                    kql_col_get(src, i, &v);
                }
                if (v.type != r->types[c]) {
                    kql_convert(a, &v, r->types[c], &cv);
                    v = cv;
                }
                kql_value_copy(a, &v, &cv);
                kql_col_set(a, col, row, &cv);
            }
        }
        r->cols[c] = col;
    }
    r->render = p->render ? sp_arena_strdup(a, p->render) : NULL;
    return r;
}

kql_result *kql_execute(kql_query *query, sp_err *err) {
    kql_qctx q;
    kql_options opt = query->opt;
    opt.now = query->now;
    kql_qctx_init(&q, &opt);
    q.query = query;
    double t0 = sp_mono_ms();
    kql_result *first = NULL, *last = NULL;
    if (query->nresults == 0) {
        sp_err_set(err, SP_ERR_RUNTIME, "no_result", 0, 0,
                   "the query has only let statements: add an expression that uses them");
        kql_qctx_free(&q);
        return NULL;
    }
    for (size_t i = 0; i < query->nresults; i++) {
        kql_rowset *rs = kql_exec(&q, query->results[i]);
        if (!rs || kql_failed(&q)) {
            if (sp_err_is_set(&q.err)) *err = q.err;
            else sp_err_set(err, SP_ERR_RUNTIME, "internal", 0, 0, "the query failed without a message");
            kql_result_free(first);
            kql_qctx_free(&q);
            return NULL;
        }
        kql_result *r = make_result(&q, query->results[i], rs, err);
        if (!r) {
            kql_result_free(first);
            kql_qctx_free(&q);
            return NULL;
        }
        if (last) last->next = r;
        else first = r;
        last = r;
    }
    double elapsed = sp_mono_ms() - t0;
    for (kql_result *r = first; r; r = r->next) {
        r->stats.elapsed_ms = elapsed;
        r->stats.rows_scanned = q.rows_scanned;
        r->stats.bytes_scanned = q.bytes_scanned;
        r->stats.peak_memory_bytes = q.mem.peak;
    }
    kql_qctx_free(&q);
    return first;
}

void kql_result_free(kql_result *r) {
    while (r) {
        kql_result *next = r->next;
        sp_arena_free(&r->arena);
        free(r);
        r = next;
    }
}

void kql_result_value(const kql_result *r, size_t row, size_t col, kql_value *out) {
    kql_col_get(r->cols[col], row, out);
}

/* ------------------------------------------------------------------ output */

void kql_value_to_json(const kql_value *v, sp_buf *out) {
    char tmp[48];
    if (v->type == KQL_STRING) {
        sp_buf_put_json_str(out, v->u.s.p ? v->u.s.p : "", v->u.s.n);
        return;
    }
    if (v->null) {
        sp_buf_puts(out, "null");
        return;
    }
    switch (v->type) {
    case KQL_BOOL: sp_buf_puts(out, v->u.b ? "true" : "false"); break;
    case KQL_INT:
    case KQL_LONG: sp_buf_printf(out, "%lld", (long long)v->u.i); break;
    case KQL_REAL:
    case KQL_DECIMAL:
        if (isnan(v->u.r) || isinf(v->u.r)) {
            sp_buf_putc(out, '"');
            kql_format_real(v->u.r, out);
            sp_buf_putc(out, '"');
        } else {
            kql_format_real(v->u.r, out);
        }
        break;
    case KQL_DATETIME: {
        size_t n = sp_format_datetime(v->u.i, tmp);
        sp_buf_put_json_str(out, tmp, n);
        break;
    }
    case KQL_TIMESPAN: {
        size_t n = sp_format_timespan(v->u.i, tmp);
        sp_buf_put_json_str(out, tmp, n);
        break;
    }
    case KQL_GUID:
        kql_format_guid(&v->u.g, tmp);
        sp_buf_put_json_str(out, tmp, 36);
        break;
    case KQL_DYNAMIC: kql_dyn_to_json(v->u.d, out); break;
    default: sp_buf_puts(out, "null"); break;
    }
}

void kql_value_to_text(const kql_value *v, sp_buf *out) {
    sp_arena a;
    sp_arena_init(&a, NULL);
    sp_str s = kql_value_str(&a, v);
    sp_buf_put(out, s.p, s.n);
    sp_arena_free(&a);
}

static void write_json(const kql_result *r, sp_buf *out) {
    sp_buf_puts(out, "{\"columns\":[");
    for (size_t c = 0; c < r->ncols; c++) {
        if (c) sp_buf_putc(out, ',');
        sp_buf_puts(out, "{\"name\":");
        sp_buf_put_json_str(out, r->names[c], strlen(r->names[c]));
        sp_buf_printf(out, ",\"type\":\"%s\"}", kql_type_name(r->types[c]));
    }
    sp_buf_puts(out, "],\"rows\":[");
    for (size_t i = 0; i < r->nrows; i++) {
        sp_buf_puts(out, i ? ",[" : "[");
        for (size_t c = 0; c < r->ncols; c++) {
            if (c) sp_buf_putc(out, ',');
            kql_value v;
            kql_col_get(r->cols[c], i, &v);
            kql_value_to_json(&v, out);
        }
        sp_buf_putc(out, ']');
    }
    sp_buf_putc(out, ']');
    if (r->truncated) sp_buf_puts(out, ",\"truncated\":true");
    if (r->render) {
        sp_buf_puts(out, ",\"render\":");
        sp_buf_put_json_str(out, r->render, strlen(r->render));
    }
    sp_buf_printf(out,
                  ",\"stats\":{\"elapsed_ms\":%.3f,\"rows_scanned\":%llu,\"bytes_scanned\":%llu,"
                  "\"peak_memory_bytes\":%llu}}",
                  r->stats.elapsed_ms, (unsigned long long)r->stats.rows_scanned,
                  (unsigned long long)r->stats.bytes_scanned, (unsigned long long)r->stats.peak_memory_bytes);
}

static void csv_field(sp_buf *out, sp_str s) {
    bool quote = false;
    for (size_t i = 0; i < s.n; i++)
        if (s.p[i] == ',' || s.p[i] == '"' || s.p[i] == '\n' || s.p[i] == '\r') quote = true;
    if (!quote) {
        sp_buf_put(out, s.p, s.n);
        return;
    }
    sp_buf_putc(out, '"');
    for (size_t i = 0; i < s.n; i++) {
        if (s.p[i] == '"') sp_buf_putc(out, '"');
        sp_buf_putc(out, s.p[i]);
    }
    sp_buf_putc(out, '"');
}

static void write_csv(const kql_result *r, sp_buf *out) {
    sp_arena a;
    sp_arena_init(&a, NULL);
    for (size_t c = 0; c < r->ncols; c++) {
        if (c) sp_buf_putc(out, ',');
        csv_field(out, sp_str_c(r->names[c]));
    }
    sp_buf_puts(out, "\r\n");
    for (size_t i = 0; i < r->nrows; i++) {
        for (size_t c = 0; c < r->ncols; c++) {
            if (c) sp_buf_putc(out, ',');
            kql_value v;
            kql_col_get(r->cols[c], i, &v);
            csv_field(out, kql_value_str(&a, &v));
        }
        sp_buf_puts(out, "\r\n");
    }
    sp_arena_free(&a);
}

/* Display width of UTF-8 text (code points). */
static size_t text_width(sp_str s) {
    size_t w = 0;
    for (size_t i = 0; i < s.n; i++)
        if (((unsigned char)s.p[i] & 0xC0) != 0x80) w++;
    return w;
}

#define CELL_MAX 60

static sp_str cell_text(sp_arena *a, const kql_result *r, size_t row, size_t col) {
    kql_value v;
    kql_col_get(r->cols[col], row, &v);
    sp_str s = kql_value_str(a, &v);
    /* one line per cell: control characters shown as spaces */
    char *p = sp_arena_alloc(a, s.n + 1);
    for (size_t i = 0; i < s.n; i++) p[i] = ((unsigned char)s.p[i] < 0x20) ? ' ' : s.p[i];
    return (sp_str){p, s.n};
}

static void put_cell(sp_buf *out, sp_str s, size_t width) {
    size_t w = text_width(s);
    if (w > CELL_MAX) {
        /* cut at a character boundary and mark it */
        size_t k = 0, cps = 0;
        while (k < s.n && cps < CELL_MAX - 1) {
            k++;
            while (k < s.n && ((unsigned char)s.p[k] & 0xC0) == 0x80) k++;
            cps++;
        }
        sp_buf_put(out, s.p, k);
        sp_buf_puts(out, "\xe2\x80\xa6");
        w = CELL_MAX;
    } else {
        sp_buf_put(out, s.p, s.n);
    }
    for (size_t i = w; i < width; i++) sp_buf_putc(out, ' ');
}

static void write_table(const kql_result *r, sp_buf *out) {
    sp_arena a;
    sp_arena_init(&a, NULL);
    size_t *w = sp_calloc(r->ncols ? r->ncols : 1, sizeof *w);
    size_t show = r->nrows;
    for (size_t c = 0; c < r->ncols; c++) {
        w[c] = text_width(sp_str_c(r->names[c]));
        for (size_t i = 0; i < show; i++) {
            size_t x = text_width(cell_text(&a, r, i, c));
            if (x > w[c]) w[c] = x;
        }
        if (w[c] > CELL_MAX) w[c] = CELL_MAX;
    }
    for (size_t c = 0; c < r->ncols; c++) {
        if (c) sp_buf_puts(out, "  ");
        put_cell(out, sp_str_c(r->names[c]), c + 1 < r->ncols ? w[c] : 0);
    }
    sp_buf_putc(out, '\n');
    for (size_t c = 0; c < r->ncols; c++) {
        if (c) sp_buf_puts(out, "  ");
        for (size_t i = 0; i < w[c]; i++) sp_buf_putc(out, '-');
    }
    sp_buf_putc(out, '\n');
    for (size_t i = 0; i < show; i++) {
        for (size_t c = 0; c < r->ncols; c++) {
            if (c) sp_buf_puts(out, "  ");
            put_cell(out, cell_text(&a, r, i, c), c + 1 < r->ncols ? w[c] : 0);
        }
        sp_buf_putc(out, '\n');
    }
    sp_buf_printf(out, "(%zu row%s%s)\n", r->nrows, r->nrows == 1 ? "" : "s",
                  r->truncated ? ", truncated at the result limit" : "");
    free(w);
    sp_arena_free(&a);
}

void kql_result_write(const kql_result *r, kql_format fmt, sp_buf *out) {
    switch (fmt) {
    case KQL_FMT_JSON: write_json(r, out); break;
    case KQL_FMT_CSV: write_csv(r, out); break;
    default: write_table(r, out); break;
    }
}

void kql_quote_string(const char *p, size_t n, sp_buf *out) {
    /* a single-quoted literal with backslash escapes: no text can end it early */
    static const char hex[] = "0123456789abcdef";
    sp_buf_putc(out, '\'');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\'' || c == '\\') {
            sp_buf_putc(out, '\\');
            sp_buf_putc(out, (char)c);
        } else if (c == '\n') sp_buf_puts(out, "\\n");
        else if (c == '\r') sp_buf_puts(out, "\\r");
        else if (c == '\t') sp_buf_puts(out, "\\t");
        else if (c < 0x20 || c == 0x7f) {
            sp_buf_puts(out, "\\u00");
            sp_buf_putc(out, hex[c >> 4]);
            sp_buf_putc(out, hex[c & 15]);
        } else sp_buf_putc(out, (char)c);
    }
    sp_buf_putc(out, '\'');
}
