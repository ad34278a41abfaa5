/* secpilot kql: run, check or explain a KQL query over a store, files, or
 * just the built-in schemas. Exit 0 ok, 2 syntax, 3 semantic, 4 runtime/limit. */
#include "cli.h"
#include "secpilot/kql.h"
#include "secpilot/store.h"

#include <stdlib.h>

static int exit_for(const sp_err *e) {
    switch (e->kind) {
    case SP_ERR_SYNTAX: return CLI_SYNTAX;
    case SP_ERR_SEMANTIC: return CLI_SEMANTIC;
    case SP_ERR_RUNTIME:
    case SP_ERR_LIMIT: return CLI_RUNTIME;
    default: return CLI_FAIL;
    }
}

static void print_err_json(const sp_err *e) {
    sp_buf b;
    sp_buf_init(&b, 0);
    sp_buf_puts(&b, "{\"ok\":false,\"kind\":");
    sp_buf_put_json_str(&b, sp_err_kind_name(e->kind), strlen(sp_err_kind_name(e->kind)));
    sp_buf_puts(&b, ",\"code\":");
    sp_buf_put_json_str(&b, e->code, strlen(e->code));
    sp_buf_puts(&b, ",\"name\":");
    sp_buf_put_json_str(&b, e->name, strlen(e->name));
    sp_buf_puts(&b, ",\"message\":");
    sp_buf_put_json_str(&b, e->msg, strlen(e->msg));
    if (e->hint[0]) {
        sp_buf_puts(&b, ",\"hint\":");
        sp_buf_put_json_str(&b, e->hint, strlen(e->hint));
    }
    sp_buf_printf(&b, ",\"line\":%d,\"column\":%d}\n", e->line, e->col);
    fputs(b.p, stdout);
    sp_buf_free(&b);
}

static void print_err_text(const sp_err *e) {
    fprintf(stderr, "secpilot: %s error", sp_err_kind_name(e->kind));
    if (e->line) fprintf(stderr, " at line %d, column %d", e->line, e->col);
    fprintf(stderr, " (%s): %s\n", e->code, e->msg);
    if (e->hint[0]) fprintf(stderr, "  hint: %s\n", e->hint);
}

static void usage(void) {
    fputs("usage: secpilot kql [-e QUERY | -f FILE | < stdin] [options]\n"
          "  -e QUERY            the query text\n"
          "  -f FILE             read the query from FILE ('-' for stdin)\n"
          "  --data DIR          query the store in DIR (--workspace NAME, default 'default')\n"
          "  --table NAME=FILE   load FILE (.json, .jsonl, .csv) as table NAME (repeatable)\n"
          "  --format F          table (default), csv or json\n"
          "  --json              JSON output, with execution stats\n"
          "  --check             parse and bind only\n"
          "  --syntax            parse only and print the syntax tree\n"
          "  --explain           print the bound plan\n"
          "  --now ISO           fix now() (for reproducible runs)\n"
          "  --timeout-ms N      wall time limit per query\n"
          "  --max-rows N        result row limit (default 500000)\n"
          "  --allow-externaldata DIR  let externaldata read local files under DIR\n",
          stdout);
}

typedef struct table_arg {
    const char *name;
    const char *path;
} table_arg;

int cmd_kql(int argc, char **argv) {
    cli_common common;
    cli_args a;
    cli_args_init(&a, argc, argv, &common);
    const char *query = NULL, *file = NULL, *format = NULL, *extdir = NULL;
    bool check = false, syntax = false, explain = false;
    double timeout = 0;
    size_t max_rows = 0;
    SP_VEC(table_arg) tables = {0};
    const char *arg;
    while ((arg = cli_next(&a))) {
        if (cli_is(&a, "-e")) query = cli_value(&a);
        else if (cli_is(&a, "-f")) file = cli_value(&a);
        else if (cli_is(&a, "--format")) format = cli_value(&a);
        else if (cli_is(&a, "--check")) check = true;
        else if (cli_is(&a, "--syntax")) syntax = true;
        else if (cli_is(&a, "--explain")) explain = true;
        else if (cli_is(&a, "--allow-externaldata")) extdir = cli_value(&a);
        else if (cli_is(&a, "--timeout-ms")) {
            const char *v = cli_value(&a);
            if (v) timeout = atof(v);
        } else if (cli_is(&a, "--max-rows")) {
            const char *v = cli_value(&a);
            if (v) max_rows = (size_t)strtoull(v, NULL, 10);
        } else if (cli_is(&a, "--table")) {
            const char *v = cli_value(&a);
            const char *eq = v ? strchr(v, '=') : NULL;
            if (!eq || eq == v || !eq[1]) {
                sp_vec_free(&tables);
                return cli_error("kql: --table needs NAME=FILE");
            }
            table_arg t = {sp_strndup(v, (size_t)(eq - v)), eq + 1};
            sp_vec_push(&tables, t);
        } else if (cli_is(&a, "--help") || cli_is(&a, "-h")) {
            usage();
            return CLI_OK;
        } else {
            sp_vec_free(&tables);
            return cli_error("kql: unknown option '%s' (see secpilot kql --help)", arg);
        }
        if (a.bad) return CLI_FAIL;
    }
    if (a.bad) return CLI_FAIL;
    kql_format fmt = common.json ? KQL_FMT_JSON : KQL_FMT_TABLE;
    if (format) {
        if (strcmp(format, "json") == 0) fmt = KQL_FMT_JSON;
        else if (strcmp(format, "csv") == 0) fmt = KQL_FMT_CSV;
        else if (strcmp(format, "table") == 0) fmt = KQL_FMT_TABLE;
        else return cli_error("kql: --format must be table, csv or json");
    }
    char *text = NULL;
    size_t len = 0;
    sp_err err;
    sp_err_clear(&err);
    if (query) {
        text = sp_strdup(query);
        len = strlen(text);
    } else {
        text = sp_read_file(file ? file : "-", 16u << 20, &len, &err);
        if (!text) return cli_error("kql: %s", err.msg);
    }
    int rc = CLI_OK;
    if (syntax) {
        sp_buf tree;
        sp_buf_init(&tree, 0);
        if (kql_syntax(text, len, &tree, &err) < 0) {
            if (common.json) print_err_json(&err);
            else print_err_text(&err);
            rc = exit_for(&err);
        } else {
            fputs(tree.p ? tree.p : "", stdout);
        }
        sp_buf_free(&tree);
        free(text);
        return rc;
    }
    kql_schema_set *schemas = kql_schemas_default(&err);
    if (!schemas) {
        free(text);
        return cli_error("kql: %s", err.msg);
    }
    kql_memdb *db = kql_memdb_new();
    store *st = NULL;
    kql_catalog cat;
    if (common.data) {
        /* a store: read-only, never blocked by a writer */
        store_options so = {.readonly = true, .no_create = true};
        st = store_open(common.data, &so, &err);
        store_ws *ws = st ? store_workspace(st, common.workspace, &err) : NULL;
        if (!ws) {
            rc = cli_error("kql: --data %s: %s", common.data, err.msg);
            goto out;
        }
        if (tables.n) {
            rc = cli_error("kql: use either --data or --table, not both");
            goto out;
        }
        cat = store_catalog(ws);
    }
    for (size_t i = 0; i < tables.n; i++) {
        if (cli_load_table(db, tables.v[i].name, tables.v[i].path, schemas, &err) < 0) {
            rc = cli_error("kql: --table %s=%s: %s", tables.v[i].name, tables.v[i].path, err.msg);
            goto out;
        }
    }
    {
        if (!st) cat = kql_memdb_catalog(db, schemas);
        kql_options opt = {.now = common.now_ticks, .timeout_ms = timeout, .max_rows = max_rows,
                           .externaldata_dir = extdir, .truncate_ok = true};
        cli_file_loader(&opt);
        kql_query *q = kql_compile(&cat, text, len, &opt, &err);
        if (!q) {
            if (common.json || check) {
                if (common.json) print_err_json(&err);
                else print_err_text(&err);
            } else {
                print_err_text(&err);
            }
            rc = exit_for(&err);
            goto out;
        }
        if (check) {
            if (common.json) puts("{\"ok\":true}");
            else puts("ok");
        } else if (explain) {
            sp_buf b;
            sp_buf_init(&b, 0);
            kql_explain(q, &b);
            fputs(b.p ? b.p : "", stdout);
            sp_buf_free(&b);
        } else {
            kql_result *r = kql_execute(q, &err);
            if (!r) {
                if (common.json) print_err_json(&err);
                else print_err_text(&err);
                rc = exit_for(&err);
            } else {
                sp_buf b;
                sp_buf_init(&b, 0);
                for (kql_result *x = r; x; x = x->next) {
                    if (x != r) sp_buf_putc(&b, '\n');
                    kql_result_write(x, fmt, &b);
                    if (fmt == KQL_FMT_JSON) sp_buf_putc(&b, '\n');
                }
                fwrite(b.p ? b.p : "", 1, b.n, stdout);
                sp_buf_free(&b);
                if (r->truncated && fmt != KQL_FMT_JSON)
                    fprintf(stderr, "secpilot: the result was truncated at the row or size limit\n");
                kql_result_free(r);
            }
        }
        kql_query_free(q);
    }
out:
    if (st) store_close(st);
    for (size_t i = 0; i < tables.n; i++) free((char *)tables.v[i].name);
    sp_vec_free(&tables);
    kql_memdb_free(db);
    kql_schemas_free(schemas);
    free(text);
    return rc;
}
