/* secpilot store verify|repair|info: check every checksum of a data directory,
 * quarantine what is damaged, or show tables, rows, segments and time ranges. */
#include "cli.h"

#include "secpilot/store.h"

#include <stdlib.h>

static void usage(void) {
    fprintf(stderr, "usage: secpilot store verify|repair|info --data DIR [--workspace W] [--json]\n");
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
    const char *verb = NULL, *arg;
    while ((arg = cli_next(&a))) {
        if (cli_is(&a, "--help") || cli_is(&a, "-h")) { usage(); return CLI_OK; }
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
    usage();
    return cli_error("store: unknown verb '%s' (verify, repair, info)", verb);
}
