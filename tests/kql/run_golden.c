/* Runs the table-driven KQL cases in tests/kql/NAME.test (format: docs/kql-tests.md)
 * through the engine and compares results or errors with the expected ones. */
#include "secpilot/kql.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define NOW_TEXT "2024-01-15T12:00:00Z"

typedef struct {
    char *name;
    char *cols;            /* "a:long, b:string" */
    SP_VEC(char *) rows;
} tcase_table;

typedef struct {
    char *name;
    int line;
    sp_buf query;
    SP_VEC(tcase_table) tables;
    char *columns;
    SP_VEC(char *) rows;
    bool has_rows, unordered;
    bool has_error;
    char err_kind[32], err_code[64];
    int err_line, err_col;
    char *hint;
} tcase;

static int g_pass, g_fail;
static const char *g_filter;
static bool g_verbose;

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = 0;
    return s;
}

static void case_free(tcase *c) {
    free(c->name);
    sp_buf_free(&c->query);
    for (size_t i = 0; i < c->tables.n; i++) {
        free(c->tables.v[i].name);
        free(c->tables.v[i].cols);
        for (size_t k = 0; k < c->tables.v[i].rows.n; k++) free(c->tables.v[i].rows.v[k]);
        sp_vec_free(&c->tables.v[i].rows);
    }
    sp_vec_free(&c->tables);
    free(c->columns);
    for (size_t i = 0; i < c->rows.n; i++) free(c->rows.v[i]);
    sp_vec_free(&c->rows);
    free(c->hint);
    memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------- comparison */

static bool num_of(const kql_dyn *d, double *out) {
    if (d->kind == KQL_DYN_LONG) { *out = (double)d->u.i; return true; }
    if (d->kind == KQL_DYN_REAL) { *out = d->u.r; return true; }
    if (d->kind == KQL_DYN_STRING) {
        if (d->n == 3 && memcmp(d->u.s, "NaN", 3) == 0) { *out = NAN; return true; }
        if (d->n == 8 && memcmp(d->u.s, "Infinity", 8) == 0) { *out = INFINITY; return true; }
        if (d->n == 9 && memcmp(d->u.s, "-Infinity", 9) == 0) { *out = -INFINITY; return true; }
    }
    return false;
}

static bool dyn_match(const kql_dyn *e, const kql_dyn *a) {
    bool en = !e || e->kind == KQL_DYN_NULL, an = !a || a->kind == KQL_DYN_NULL;
    if (en || an) return en && an;
    double x, y;
    if ((e->kind == KQL_DYN_LONG || e->kind == KQL_DYN_REAL || e->kind == KQL_DYN_STRING) &&
        (a->kind == KQL_DYN_LONG || a->kind == KQL_DYN_REAL) && num_of(e, &x) && num_of(a, &y)) {
        if (isnan(x) || isnan(y)) return isnan(x) && isnan(y);
        if (isinf(x) || isinf(y)) return x == y;
        double tol = fabs(x) < 1e-3 ? 1e-12 : fabs(x) * 1e-9;
        return fabs(x - y) <= tol;
    }
    if (e->kind == KQL_DYN_STRING && a->kind == KQL_DYN_STRING && num_of(e, &x) && num_of(a, &y))
        return (isnan(x) && isnan(y)) || x == y;
    if (e->kind != a->kind) return false;
    switch ((kql_dyn_kind)e->kind) {
    case KQL_DYN_BOOL: return e->u.b == a->u.b;
    case KQL_DYN_STRING: return e->n == a->n && memcmp(e->u.s, a->u.s, e->n) == 0;
    case KQL_DYN_ARRAY:
        if (e->n != a->n) return false;
        for (uint32_t i = 0; i < e->n; i++)
            if (!dyn_match(&e->u.items[i], &a->u.items[i])) return false;
        return true;
    case KQL_DYN_BAG:
        if (e->n != a->n) return false;
        for (uint32_t i = 0; i < e->n; i++) {
            const kql_dyn *v = kql_dyn_get(a, e->u.kv[i].key, e->u.kv[i].klen);
            if (!v || !dyn_match(&e->u.kv[i].val, v)) return false;
        }
        return true;
    default: return kql_dyn_equal(e, a);
    }
}

/* The actual row as JSON text (values as the JSON output writes them). */
static char *row_json(const kql_result *r, size_t i) {
    sp_buf b;
    sp_buf_init(&b, 0);
    sp_buf_putc(&b, '[');
    for (size_t c = 0; c < r->ncols; c++) {
        if (c) sp_buf_puts(&b, ", ");
        kql_value v;
        kql_result_value(r, i, c, &v);
        kql_value_to_json(&v, &b);
    }
    sp_buf_putc(&b, ']');
    return sp_buf_steal(&b);
}

static bool rows_match(sp_arena *a, const char *expected, const char *actual) {
    const kql_dyn *e = kql_dyn_parse(a, expected, strlen(expected), NULL);
    const kql_dyn *x = kql_dyn_parse(a, actual, strlen(actual), NULL);
    return e && x && dyn_match(e, x);
}

/* ------------------------------------------------------------------ tables */

static int parse_cols(const char *spec, kql_column_def **out, sp_arena *a) {
    char *s = sp_strdup(spec);
    SP_VEC(kql_column_def) cols = {0};
    for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ",")) {
        char *colon = strchr(tok, ':');
        if (!colon) {
            free(s);
            sp_vec_free(&cols);
            return -1;
        }
        *colon = 0;
        char *nm = trim(tok), *ty = trim(colon + 1);
        kql_column_def d = {sp_arena_strdup(a, nm), kql_type_parse(ty, strlen(ty))};
        sp_vec_push(&cols, d);
    }
    free(s);
    *out = SP_NEWN(a, kql_column_def, cols.n ? cols.n : 1);
    if (cols.n) memcpy(*out, cols.v, cols.n * sizeof *cols.v);
    int n = (int)cols.n;
    sp_vec_free(&cols);
    return n;
}

static bool dyn_to_typed(sp_arena *a, const kql_dyn *d, kql_type t, kql_value *out) {
    kql_value v;
    kql_dyn_to_value(d, &v);
    if (t == KQL_DYNAMIC) {
        out->type = KQL_DYNAMIC;
        out->u.d = d;
        out->null = !d || d->kind == KQL_DYN_NULL;
        return true;
    }
    if (v.null) {
        memset(out, 0, sizeof *out);
        out->type = t;
        out->null = t != KQL_STRING;
        return true;
    }
    return kql_convert(a, &v, t, out);
}

static int load_tables(kql_memdb *db, const tcase *c, sp_arena *a, char *why, size_t whylen) {
    char msg[600];
    for (size_t i = 0; i < c->tables.n; i++) {
        const tcase_table *t = &c->tables.v[i];
        kql_column_def *cols;
        int nc = parse_cols(t->cols, &cols, a);
        if (nc < 0) {
            snprintf(why, whylen, "bad table schema '%s'", t->cols);
            return -1;
        }
        kql_memtable *m = kql_memdb_create(db, t->name, cols, (size_t)nc, -1);
        kql_value *row = SP_NEWN(a, kql_value, nc ? nc : 1);
        for (size_t r = 0; r < t->rows.n; r++) {
            const kql_dyn *d = kql_dyn_parse(a, t->rows.v[r], strlen(t->rows.v[r]), NULL);
            if (!d || d->kind != KQL_DYN_ARRAY || (int)d->n != nc) {
                snprintf(why, whylen, "table %s row %zu is not a JSON array of %d values", t->name, r + 1, nc);
                return -1;
            }
            for (int k = 0; k < nc; k++) {
                if (!dyn_to_typed(a, &d->u.items[k], cols[k].type, &row[k])) {
                    snprintf(why, whylen, "table %s row %zu value %d does not convert to %s", t->name, r + 1, k + 1,
                             kql_type_name(cols[k].type));
                    return -1;
                }
                row[k].type = cols[k].type;
            }
            sp_err err;
            sp_err_clear(&err);
            if (kql_memtable_append(m, row, &err) < 0) {
                snprintf(msg, sizeof msg, "%s", err.msg);
                snprintf(why, whylen, "table %.100s row %zu: %s", t->name, r + 1, msg);
                return -1;
            }
        }
    }
    return 0;
}

/* -------------------------------------------------------------------- run */

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void fail(const char *file, const tcase *c, const char *fmt, ...) SP_PRINTF(3, 4);
static void fail(const char *file, const tcase *c, const char *fmt, ...) {
    g_fail++;
    fprintf(stderr, "FAIL %s:%d %s\n  ", file, c->line, c->name);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
}

static void run_case(const char *file, tcase *c, const kql_schema_set *schemas) {
    if (g_filter && !strstr(c->name, g_filter) && !strstr(file, g_filter)) return;
    sp_arena a;
    sp_arena_init(&a, NULL);
    kql_memdb *db = kql_memdb_new();
    char why[1024];
    if (load_tables(db, c, &a, why, sizeof why) < 0) {
        fail(file, c, "%s", why);
        goto out;
    }
    kql_catalog cat = kql_memdb_catalog(db, schemas);
    kql_options opt = {0};
    sp_parse_datetime(NOW_TEXT, strlen(NOW_TEXT), &opt.now);
    opt.pool = NULL;
    sp_err err;
    sp_err_clear(&err);
    const char *text = c->query.p ? c->query.p : "";
    kql_query *q = kql_compile(&cat, text, c->query.n, &opt, &err);
    kql_result *r = q ? kql_execute(q, &err) : NULL;
    if (c->has_error) {
        if (r) {
            fail(file, c, "expected a %s error %s, but the query succeeded", c->err_kind, c->err_code);
        } else if (strcmp(sp_err_kind_name(err.kind), c->err_kind) != 0 || strcmp(err.code, c->err_code) != 0) {
            fail(file, c, "expected %s/%s, got %s/%s: %s", c->err_kind, c->err_code, sp_err_kind_name(err.kind), err.code,
                 err.msg);
        } else if (c->err_line && (err.line != c->err_line || err.col != c->err_col)) {
            fail(file, c, "expected the error at %d:%d, got %d:%d: %s", c->err_line, c->err_col, err.line, err.col,
                 err.msg);
        } else if (c->hint && !strstr(err.hint, c->hint)) {
            fail(file, c, "expected a hint containing '%s', got '%s'", c->hint, err.hint);
        } else {
            g_pass++;
        }
        goto done;
    }
    if (!r) {
        fail(file, c, "%s error %s: %s", sp_err_kind_name(err.kind), err.code, err.msg);
        goto done;
    }
    if (c->columns) {
        sp_buf b;
        sp_buf_init(&b, 0);
        for (size_t i = 0; i < r->ncols; i++) sp_buf_printf(&b, "%s%s:%s", i ? ", " : "", r->names[i], kql_type_name(r->types[i]));
        /* compare ignoring spaces */
        char *want = sp_strdup(c->columns);
        char *w = want, *g = b.p ? b.p : (char *)"";
        bool same = true;
        while (*w || *g) {
            while (*w == ' ') w++;
            while (*g == ' ') g++;
            if (*w != *g) { same = false; break; }
            if (*w) w++, g++;
        }
        free(want);
        if (!same) {
            fail(file, c, "columns: expected %s\n  got      %s", c->columns, b.p ? b.p : "");
            sp_buf_free(&b);
            goto done;
        }
        sp_buf_free(&b);
    }
    if (c->has_rows) {
        size_t n = r->nrows;
        char **got = sp_calloc(n ? n : 1, sizeof *got);
        for (size_t i = 0; i < n; i++) got[i] = row_json(r, i);
        bool ok = n == c->rows.n;
        if (ok && !c->unordered) {
            for (size_t i = 0; i < n && ok; i++) ok = rows_match(&a, c->rows.v[i], got[i]);
        } else if (ok) {
            /* multiset: each expected row matches a distinct actual row */
            bool *used = sp_calloc(n ? n : 1, 1);
            for (size_t i = 0; i < n && ok; i++) {
                bool found = false;
                for (size_t k = 0; k < n && !found; k++)
                    if (!used[k] && rows_match(&a, c->rows.v[i], got[k])) used[k] = found = true;
                ok = found;
            }
            free(used);
        }
        if (!ok) {
            sp_buf b;
            sp_buf_init(&b, 0);
            sp_buf_printf(&b, "rows differ (expected %zu, got %zu)\n  expected:", c->rows.n, n);
            for (size_t i = 0; i < c->rows.n && i < 12; i++) sp_buf_printf(&b, "\n    %s", c->rows.v[i]);
            if (c->unordered) qsort(got, n, sizeof *got, cmp_str);
            sp_buf_puts(&b, "\n  got:");
            for (size_t i = 0; i < n && i < 12; i++) sp_buf_printf(&b, "\n    %s", got[i]);
            fail(file, c, "%s", b.p);
            sp_buf_free(&b);
        } else {
            g_pass++;
        }
        for (size_t i = 0; i < n; i++) free(got[i]);
        free(got);
    } else {
        g_pass++;
    }
done:
    kql_result_free(r);
    kql_query_free(q);
out:
    kql_memdb_free(db);
    sp_arena_free(&a);
}

/* ----------------------------------------------------------------- reading */

typedef enum { S_NONE, S_QUERY, S_TABLE, S_COLUMNS, S_ROWS } section;

static void run_file(const char *path, const char *file, const kql_schema_set *schemas) {
    sp_err err;
    sp_err_clear(&err);
    size_t len;
    char *text = sp_read_file(path, 0, &len, &err);
    if (!text) {
        fprintf(stderr, "cannot read %s: %s\n", path, err.msg);
        g_fail++;
        return;
    }
    tcase c;
    memset(&c, 0, sizeof c);
    bool in_case = false;
    section sec = S_NONE;
    int lineno = 0;
    char *next = text;
    while (next && *next) {
        char *line = next;
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = 0;
            next = nl + 1;
        } else {
            next = NULL;
        }
        lineno++;
        size_t ll = strlen(line);
        if (ll && line[ll - 1] == '\r') line[--ll] = 0;
        if (strncmp(line, "=== ", 4) == 0) {
            if (in_case) run_case(file, &c, schemas);
            case_free(&c);
            c.name = sp_strdup(trim(line + 4));
            c.line = lineno;
            in_case = true;
            sec = S_QUERY;
            continue;
        }
        if (!in_case) continue;
        if (strncmp(line, "--- ", 4) == 0) {
            char *s = trim(line + 4);
            if (strcmp(s, "query") == 0) sec = S_QUERY;
            else if (strncmp(s, "table ", 6) == 0) {
                char *spec = s + 6, *open = strchr(spec, '('), *close = strrchr(spec, ')');
                tcase_table t = {0};
                if (open && close && close > open) {
                    *close = 0;
                    *open = 0;
                    t.name = sp_strdup(trim(spec));
                    t.cols = sp_strdup(open + 1);
                } else {
                    t.name = sp_strdup("?");
                    t.cols = sp_strdup("");
                }
                sp_vec_push(&c.tables, t);
                sec = S_TABLE;
            } else if (strcmp(s, "columns") == 0) sec = S_COLUMNS;
            else if (strncmp(s, "rows", 4) == 0) {
                sec = S_ROWS;
                c.has_rows = true;
                c.unordered = strstr(s, "unordered") != NULL;
            } else if (strncmp(s, "error ", 6) == 0) {
                c.has_error = true;
                sscanf(s + 6, "%31s %63s %d:%d", c.err_kind, c.err_code, &c.err_line, &c.err_col);
                sec = S_NONE;
            } else if (strncmp(s, "hint ", 5) == 0) {
                c.hint = sp_strdup(trim(s + 5));
                sec = S_NONE;
            }
            continue;
        }
        switch (sec) {
        case S_QUERY:
            if (line[0] == '#' && c.query.n == 0) break;
            sp_buf_puts(&c.query, line);
            sp_buf_putc(&c.query, '\n');
            break;
        case S_TABLE: {
            char *s = trim(line);
            if (*s) sp_vec_push(&c.tables.v[c.tables.n - 1].rows, sp_strdup(s));
            break;
        }
        case S_COLUMNS:
            if (*trim(line)) c.columns = sp_strdup(trim(line));
            break;
        case S_ROWS: {
            char *s = trim(line);
            if (*s) sp_vec_push(&c.rows, sp_strdup(s));
            break;
        }
        default: break;
        }
    }
    if (in_case) run_case(file, &c, schemas);
    case_free(&c);
    free(text);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "tests/kql";
    g_filter = argc > 2 ? argv[2] : NULL;
    g_verbose = getenv("KQL_TEST_VERBOSE") != NULL;
    sp_err err;
    sp_err_clear(&err);
    char spath[1024];
    snprintf(spath, sizeof spath, "%s/../../data/schemas/tables.json", dir);
    kql_schema_set *schemas = kql_schemas_load(spath, &err);
    if (!schemas) {
        fprintf(stderr, "cannot load schemas: %s\n", err.msg);
        return 1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", dir);
        return 1;
    }
    SP_VEC(char *) files = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 5 && strcmp(e->d_name + n - 5, ".test") == 0) sp_vec_push(&files, sp_strdup(e->d_name));
    }
    closedir(d);
    qsort(files.v, files.n, sizeof *files.v, cmp_str);
    for (size_t i = 0; i < files.n; i++) {
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, files.v[i]);
        run_file(path, files.v[i], schemas);
        free(files.v[i]);
    }
    sp_vec_free(&files);
    kql_schemas_free(schemas);
    printf("kql golden: %d passed, %d failed\n", g_pass, g_fail);
    return g_fail ? 1 : 0;
}
