/* secpilot kql: run, check or explain a KQL query over a store, files, or
 * just the built-in schemas. Exit 0 ok, 2 syntax, 3 semantic, 4 runtime/limit. */
#include "cli.h"
#include "secpilot/kql.h"

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

int cmd_kql(int argc, char **argv) {
    cli_common common;
    cli_args a;
    cli_args_init(&a, argc, argv, &common);
    const char *query = NULL, *file = NULL, *format = NULL;
    bool check = false, syntax = false, explain = false;
    const char *arg;
    while ((arg = cli_next(&a))) {
        if (cli_is(&a, "-e")) query = cli_value(&a);
        else if (cli_is(&a, "-f")) file = cli_value(&a);
        else if (cli_is(&a, "--format")) format = cli_value(&a);
        else if (cli_is(&a, "--check")) check = true;
        else if (cli_is(&a, "--syntax")) syntax = true;
        else if (cli_is(&a, "--explain")) explain = true;
        else if (cli_is(&a, "--help") || cli_is(&a, "-h")) { usage(); return CLI_OK; }
        else return cli_error("kql: unknown option '%s' (see secpilot kql --help)", arg);
        if (a.bad) return CLI_FAIL;
    }
    if (a.bad) return CLI_FAIL;
    (void)format;
    (void)explain;
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
    if (syntax || check) {
        sp_buf tree;
        sp_buf_init(&tree, 0);
        if (kql_syntax(text, len, syntax ? &tree : NULL, &err) < 0) {
            if (common.json) print_err_json(&err);
            else print_err_text(&err);
            rc = exit_for(&err);
        } else if (common.json) {
            puts("{\"ok\":true}");
        } else if (syntax) {
            fputs(tree.p ? tree.p : "", stdout);
        }
        sp_buf_free(&tree);
    }
    free(text);
    return rc;
}
