/* secpilot store verify|repair|info: check every checksum of a data directory,
 * quarantine what is damaged, or show tables, rows, segments and time ranges. */
#include "cli.h"

#include "secpilot/store.h"

#include <stdlib.h>

static void usage(void) {
    fprintf(stderr, "usage: secpilot store verify|repair|info|compact|extend --data DIR [--workspace W] [--json]\n"
                    "                     [--table T --column NAME:TYPE ...]   (with extend: add columns)\n"
                    "                     [--retention-days N --table T]   (with compact: set and apply retention)\n");
}

static int print_verify(const store_verify_report *r, bool json, bool repair) {
    if (json) {
        printf("{\"files_checked\":%llu,\"segments\":%llu,\"rows\":%llu,\"bytes\":%llu,\"quarantined\":%zu,\"problems\":[",
               (unsigned long long)r->files_checked, (unsigned long long)r->segments, (unsigned long long)r->rows,
               (unsigned long long)r->bytes, r->quarantined);
        for (size_t i = 0; i < r->nproblems; i++) {
            sp_buf b;
            sp_buf_init(&b, 0);
            sp_buf_puts(&b, i ? ",{\"file\":" : "{\"file\":");
            sp_buf_put_json_str(&b, r->problems[i].path, strlen(r->problems[i].path));
            sp_buf_puts(&b, ",\"problem\":");
            sp_buf_put_json_str(&b, r->problems[i].what, strlen(r->problems[i].what));
            sp_buf_putc(&b, '}');
            fputs(b.p, stdout);
            sp_buf_free(&b);
        }
        printf("]}\n");
    } else {
        for (size_t i = 0; i < r->nproblems; i++) printf("%s: %s\n", r->problems[i].path, r->problems[i].what);
        printf("%llu files checked, %llu segments, %llu rows, %llu bytes: %zu problem%s%s\n",
               (unsigned long long)r->files_checked, (unsigned long long)r->segments, (unsigned long long)r->rows,
               (unsigned long long)r->bytes, r->nproblems, r->nproblems == 1 ? "" : "s",
               repair ? "" : (r->nproblems ? " (run `secpilot store repair` to quarantine them)" : ""));
        if (repair) printf("%zu file%s moved to quarantine\n", r->quarantined, r->quarantined == 1 ? "" : "s");
    }
    return r->nproblems && !repair ? CLI_RUNTIME : CLI_OK;
}

int cmd_store(int argc, char **argv) {
    cli_common common;
    cli_args a;
    cli_args_init(&a, argc, argv, &common);
    const char *verb = NULL, *arg, *table = NULL, *days = NULL;
    SP_VEC(const char *) columns = {0};
    while ((arg = cli_next(&a))) {
        if (cli_is(&a, "--help") || cli_is(&a, "-h")) { usage(); return CLI_OK; }
        if (cli_is(&a, "--table")) { table = cli_value(&a); continue; }
        if (cli_is(&a, "--retention-days")) { days = cli_value(&a); continue; }
        if (cli_is(&a, "--column")) {
            const char *v = cli_value(&a);
            if (v) sp_vec_push(&columns, v);
            continue;
        }
        if (arg[0] == '-') { usage(); return cli_error("store: unknown option %s", arg); }
        if (verb) { usage(); return cli_error("store: one verb at a time"); }
        verb = arg;
    }
    if (a.bad) return CLI_FAIL;
    if (!verb || !common.data) { usage(); return cli_error("store needs a verb and --data DIR"); }
    sp_err err = {0};
    if (strcmp(verb, "verify") == 0 || strcmp(verb, "repair") == 0) {
        bool repair = verb[0] == 'r';
        store_verify_report r;
        int rc = repair ? store_repair(common.data, &r, &err) : store_verify(common.data, &r, &err);
        int status = print_verify(&r, common.json, repair);
        store_verify_free(&r);
        if (rc != 0) return cli_error("%s", err.msg);
        return status;
    }
    if (strcmp(verb, "info") == 0) {
        store_options o = {.readonly = true};
        store *s = store_open(common.data, &o, &err);
        store_ws *ws = s ? store_workspace(s, common.workspace, &err) : NULL;
        if (!ws) {
            store_close(s);
            return cli_error("%s", err.msg);
        }
        sp_buf b;
        sp_buf_init(&b, 0);
        store_info(ws, &b, common.json);
        fputs(b.p ? b.p : "", stdout);
        sp_buf_free(&b);
        store_close(s);
        return CLI_OK;
    }
    if (strcmp(verb, "compact") == 0) {
        /* checkpoint the WAL, merge small segments, and (when asked) set and apply retention */
        store_options o = {.now = common.now_ticks};
        store *s = store_open(common.data, &o, &err);
        store_ws *ws = s ? store_workspace(s, common.workspace, &err) : NULL;
        int rc = ws ? 0 : -1;
        uint64_t dropped = 0;
        if (rc == 0 && days) {
            char *end;
            long d = strtol(days, &end, 10);
            if (!table || *end || d < 0) rc = sp_err_set(&err, SP_ERR_USAGE, "usage", 0, 0, "--retention-days needs a number of days and --table");
            else rc = store_set_retention(ws, table, (int)d, &err);
            if (rc == 0) rc = store_apply_retention(ws, common.now_ticks ? common.now_ticks : sp_now_ticks(), &dropped, &err);
        }
        if (rc == 0) rc = store_checkpoint(ws, &err);
        if (rc == 0) rc = store_compact(ws, &err);
        if (rc == 0) {
            sp_buf b;
            sp_buf_init(&b, 0);
            if (days) sp_buf_printf(&b, "retention: %llu rows dropped\n", (unsigned long long)dropped);
            store_info(ws, &b, common.json);
            fputs(b.p ? b.p : "", stdout);
            sp_buf_free(&b);
        }
        store_close(s);
        return rc == 0 ? CLI_OK : cli_error("%s", err.msg);
    }
    if (strcmp(verb, "extend") == 0) {
        /* add columns a table's schema lacks: --table T --column Name:type ... */
        if (!table || !columns.n) {
            sp_vec_free(&columns);
            return cli_error("store extend needs --table T and one or more --column NAME:TYPE");
        }
        kql_column_def *defs = sp_calloc(columns.n, sizeof *defs);
        int rc = 0;
        for (size_t i = 0; i < columns.n && rc == 0; i++) {
            const char *c = strchr(columns.v[i], ':');
            kql_type t = c ? kql_type_parse(c + 1, strlen(c + 1)) : KQL_UNKNOWN;
            if (!c || c == columns.v[i] || t == KQL_UNKNOWN)
                rc = sp_err_set(&err, SP_ERR_USAGE, "usage", 0, 0, "--column %s: expected NAME:TYPE", columns.v[i]);
            else defs[i] = (kql_column_def){sp_strndup(columns.v[i], (size_t)(c - columns.v[i])), t};
        }
        store_options o = {.now = common.now_ticks};
        store *s = rc == 0 ? store_open(common.data, &o, &err) : NULL;
        store_ws *ws = s ? store_workspace(s, common.workspace, &err) : NULL;
        if (rc == 0) rc = ws ? store_extend_table(ws, table, defs, columns.n, &err) : -1;
        store_close(s);
        for (size_t i = 0; i < columns.n; i++) free((char *)defs[i].name);
        free(defs);
        sp_vec_free(&columns);
        if (rc != 0) return cli_error("%s", err.msg);
        printf("%s: extended\n", table);
        return CLI_OK;
    }
    sp_vec_free(&columns);
    usage();
    return cli_error("store: unknown verb '%s' (verify, repair, info, compact, extend)", verb);
}
