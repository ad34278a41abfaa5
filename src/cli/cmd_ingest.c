/* secpilot ingest: load exported logs (NDJSON, JSON, CSV, gzip) into a table of
 * a workspace, one durable commit per file, with counts and rejections per file. */
#include "cli.h"

#include "secpilot/store.h"

#include <stdlib.h>

static void usage(void) {
    fprintf(stderr,
            "usage: secpilot ingest --data DIR [--workspace W] --table T [--create] [--format ndjson|json|csv]\n"
            "                       [--max-errors N] [--all-or-nothing|--keep-good] FILE... (- for stdin)\n"
            "  --table auto routes each JSON row to the table its Type names, Windows event logs\n"
            "  to SecurityEvent/WindowsEvent by channel, Defender rows by ActionType.\n"
            "  Inputs may be gzip, zip or tar(.gz) archives.\n");
}

int cmd_ingest(int argc, char **argv) {
    cli_common common;
    cli_args a;
    cli_args_init(&a, argc, argv, &common);
    const char *table = NULL;
    store_ingest_opts o = {0};
    SP_VEC(const char *) files = {0};
    const char *arg;
    while ((arg = cli_next(&a))) {
        if (cli_is(&a, "--table")) table = cli_value(&a);
        else if (cli_is(&a, "--create")) o.create = true;
        else if (cli_is(&a, "--format")) o.format = cli_value(&a);
        else if (cli_is(&a, "--max-errors")) {
            const char *v = cli_value(&a);
            char *end;
            o.max_errors = v ? strtoull(v, &end, 10) : 0;
            if (!v || *end) { a.bad = true; cli_error("--max-errors needs a number"); }
        } else if (cli_is(&a, "--all-or-nothing")) o.all_or_nothing = true;
        else if (cli_is(&a, "--keep-good")) o.all_or_nothing = false;
        else if (cli_is(&a, "--help") || cli_is(&a, "-h")) { usage(); sp_vec_free(&files); return CLI_OK; }
        else if (arg[0] == '-' && arg[1]) { sp_vec_free(&files); usage(); return cli_error("ingest: unknown option %s", arg); }
        else sp_vec_push(&files, arg);
    }
    if (a.bad) { sp_vec_free(&files); return CLI_FAIL; }
    if (!common.data || !table || files.n == 0) {
        usage();
        sp_vec_free(&files);
        return cli_error("ingest needs --data, --table and at least one file");
    }
    if (store_format_parse(o.format) < 0) {
        sp_vec_free(&files);
        return cli_error("ingest: unknown format '%s' (ndjson, json, csv)", o.format);
    }
    sp_err err = {0};
    store_options so = {.now = common.now_ticks};
    store *s = store_open(common.data, &so, &err);
    store_ws *ws = s ? store_workspace(s, common.workspace, &err) : NULL;
    if (!ws) {
        store_close(s);
        sp_vec_free(&files);
        return cli_error("%s", err.msg);
    }
    int status = CLI_OK;
    uint64_t total_rej = 0, total_ok = 0;
    sp_buf out;
    sp_buf_init(&out, 0);
    if (common.json) sp_buf_puts(&out, "{\"files\":[");
    for (size_t i = 0; i < files.n; i++) {
        store_ingest_report rep = {0};
        sp_err e = {0};
        int rc = store_ingest_file(ws, table, files.v[i], &o, &rep, &e);
        total_rej += rep.rows_rejected;
        total_ok += rep.rows_committed;
        if (common.json) {
            if (i) sp_buf_putc(&out, ',');
            store_report_json(&rep, files.v[i], &out);
            if (rc != 0) {
                out.n--;   /* reopen the object to add the error */
                sp_buf_puts(&out, ",\"error\":");
                sp_buf_put_json_str(&out, e.msg, strlen(e.msg));
                sp_buf_putc(&out, '}');
            }
        } else {
            store_report_print(&rep, files.v[i], &out);
            if (rc != 0) sp_buf_printf(&out, "  error: %s\n", e.msg);
        }
        if (rc != 0) status = strcmp(e.code, "rejected") == 0 ? CLI_SYNTAX : CLI_FAIL;
        if (rep.rows_rejected > o.max_errors && status == CLI_OK) status = CLI_SYNTAX;
        store_report_free(&rep);
        fputs(out.p ? out.p : "", stdout);
        sp_buf_reset(&out);
    }
    if (common.json) printf("],\"rows_committed\":%llu,\"rows_rejected\":%llu}\n", (unsigned long long)total_ok,
                            (unsigned long long)total_rej);
    else if (files.n > 1)
        printf("total: %llu rows committed, %llu rejected\n", (unsigned long long)total_ok, (unsigned long long)total_rej);
    sp_buf_free(&out);
    store_close(s);
    sp_vec_free(&files);
    return status;
}
