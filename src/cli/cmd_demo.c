/* secpilot demo: generate the demo tenant into a directory of NDJSON files
 * (--out) or a store's workspace (--data), with its ground-truth.json. */
#include "cli.h"
#include "secpilot/demo.h"

#include <errno.h>
#include <stdlib.h>

/* The store module may not be in this build yet: --data needs it. */
#if defined(__has_include)
#if __has_include("secpilot/store.h")
#include "secpilot/store.h"
#define DEMO_HAVE_STORE 1
#endif
#endif

static void usage(FILE *f) {
    fprintf(f,
            "usage: secpilot demo --out DIR [--seed N] [--scale K] [--days N] [--now ISO]\n"
            "       secpilot demo --data DIR [--workspace NAME] [--seed N] [--scale K] [--now ISO]\n"
            "\n"
            "Generates Contoso, a fictional organisation (about 500 people, 600 devices) with\n"
            "30 days of normal activity and six attack stories, with the alerts and incidents\n"
            "Defender and Sentinel would raise for them. The same seed, scale and --now give\n"
            "the same bytes.\n"
            "\n"
            "  --out DIR            write DIR/<Table>.jsonl and DIR/ground-truth.json\n"
            "  --data DIR           ingest into the store's workspace (refused when its tables\n"
            "                       already hold rows, unless --append); the ground truth goes\n"
            "                       to DIR/demo-ground-truth-<workspace>.json\n"
            "  --append             add to a workspace that already holds rows\n"
            "  --seed N             seed (default 42)\n"
            "  --scale K            multiply the background volume (default 1; stories are fixed)\n"
            "  --days N             history length in days, 14..365 (default 30)\n"
            "  --ground-truth PATH  where to write ground-truth.json\n"
            "  --null               generate and count rows without writing them (benchmark)\n"
            "  --quiet              print nothing but errors\n"
            "  --json               print the row counts as JSON\n");
}

static int write_file(const char *path, const char *p, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f) return cli_error("demo: cannot create %s: %s", path, strerror(errno));
    bool ok = fwrite(p, 1, n, f) == n;
    if (fclose(f) != 0) ok = false;
    if (!ok) return cli_error("demo: cannot write %s", path);
    return CLI_OK;
}

static void print_stats(const demo_stats *st, bool json) {
    if (json) {
        printf("{\"tables\":{");
        for (size_t i = 0; i < st->ntables; i++)
            printf("%s\"%s\":%llu", i ? "," : "", st->tables[i].table,
                   (unsigned long long)st->tables[i].rows);
        printf("},\"rows\":%llu,\"bytes\":%llu,\"elapsed_ms\":%.1f}\n",
               (unsigned long long)st->rows, (unsigned long long)st->bytes, st->elapsed_ms);
        return;
    }
    printf("%-34s %12s %14s\n", "table", "rows", "bytes");
    for (size_t i = 0; i < st->ntables; i++)
        printf("%-34s %12llu %14llu\n", st->tables[i].table, (unsigned long long)st->tables[i].rows,
               (unsigned long long)st->tables[i].bytes);
    double s = st->elapsed_ms / 1000.0;
    printf("%-34s %12llu %14llu\n", "total", (unsigned long long)st->rows,
           (unsigned long long)st->bytes);
    printf("generated in %.2f s (%.2f M rows/s, %.0f MB/s)\n", s,
           s > 0 ? (double)st->rows / s / 1e6 : 0.0, s > 0 ? (double)st->bytes / s / 1e6 : 0.0);
}

#ifdef DEMO_HAVE_STORE
/* Rows go to the store in one transaction: durable, and visible, when it commits. */
typedef struct store_target {
    store_txn *tx;
    store_ingest_report rep;
    sp_err err;
} store_target;

static int store_flush(void *ctx, const char *table, const char *ndjson, size_t n) {
    store_target *st = ctx;
    store_ingest_opts o = {.format = "ndjson"};
    return store_txn_ingest_buf(st->tx, table, ndjson, n, &o, &st->rep, &st->err);
}

static int generate_into_store(const cli_common *common, const demo_options *opt, bool append,
                               const char *gt_path, bool quiet) {
    sp_err err;
    sp_err_clear(&err);
    store_options so = {.now = opt->now};
    store *s = store_open(common->data, &so, &err);
    if (!s) return cli_error("demo: %s", err.msg);
    store_ws *ws = store_workspace(s, common->workspace, &err);
    if (!ws) {
        store_close(s);
        return cli_error("demo: %s", err.msg);
    }
    if (!append) {
        for (const char *const *t = demo_tables(); *t; t++) {
            const kql_table *kt = store_table(ws, *t);
            int64_t rows = kt && kt->ops && kt->ops->row_count ? kt->ops->row_count(kt) : 0;
            if (rows > 0) {
                store_close(s);
                return cli_error("demo: workspace '%s' in %s already holds %s rows; use another --workspace, "
                                 "remove it, or pass --append", common->workspace, common->data, *t);
            }
        }
    }
    size_t nextra;
    const demo_column *extra = demo_extra_columns(&nextra);
    for (size_t i = 0; i < nextra; i++) {
        kql_column_def c = {extra[i].name, kql_type_parse(extra[i].type, strlen(extra[i].type))};
        if (store_extend_table(ws, extra[i].table, &c, 1, &err) < 0) {
            store_close(s);
            return cli_error("demo: %s", err.msg);
        }
    }
    store_target st = {0};
    sp_err_clear(&st.err);
    st.tx = store_txn_begin(ws, &err);
    if (!st.tx) {
        store_close(s);
        return cli_error("demo: %s", err.msg);
    }
    demo_batch_sink *bs = demo_batch_sink_new(8u << 20, store_flush, &st);
    demo_sink sink = demo_batch_sink_iface(bs);
    sp_buf gt;
    sp_buf_init(&gt, 0);
    demo_stats stats;
    int rc = demo_generate(opt, &sink, &gt, &stats, &err);
    demo_batch_sink_free(bs);
    if (rc != 0) {
        store_txn_abort(st.tx);
        store_report_free(&st.rep);
        store_close(s);
        sp_buf_free(&gt);
        return cli_error("demo: %s", sp_err_is_set(&st.err) ? st.err.msg : err.msg);
    }
    uint64_t rejected = st.rep.rows_rejected;
    rc = store_txn_commit(st.tx, &err);
    store_report_free(&st.rep);
    store_close(s);
    if (rc != 0) {
        sp_buf_free(&gt);
        return cli_error("demo: commit failed: %s", err.msg);
    }
    char path[4096];
    if (!gt_path) {
        snprintf(path, sizeof path, "%s/demo-ground-truth-%s.json", common->data, common->workspace);
        gt_path = path;
    }
    int wrc = write_file(gt_path, gt.p ? gt.p : "", gt.n);
    sp_buf_free(&gt);
    if (wrc != CLI_OK) return wrc;
    if (!quiet) {
        print_stats(&stats, common->json);
        if (!common->json)
            printf("ingested into %s (workspace %s); ground truth in %s\n", common->data, common->workspace, gt_path);
    }
    if (rejected) return cli_error("demo: the store rejected %llu rows", (unsigned long long)rejected);
    return CLI_OK;
}
#endif

static int null_row(void *ctx, const char *table, const char *json, size_t n) {
    (void)ctx;
    (void)table;
    (void)json;
    (void)n;
    return 0;
}

int cmd_demo(int argc, char **argv) {
    cli_common common;
    cli_args a;
    cli_args_init(&a, argc, argv, &common);
    const char *out = NULL, *gt_path = NULL;
    demo_options opt = {.seed = 42, .scale = 1.0};
    bool quiet = false, null_sink = false, append = false;
    const char *arg;
    while ((arg = cli_next(&a))) {
        if (cli_is(&a, "--help") || cli_is(&a, "-h")) {
            usage(stdout);
            return CLI_OK;
        } else if (cli_is(&a, "--out")) {
            out = cli_value(&a);
        } else if (cli_is(&a, "--ground-truth")) {
            gt_path = cli_value(&a);
        } else if (cli_is(&a, "--quiet")) {
            quiet = true;
        } else if (cli_is(&a, "--null")) {
            null_sink = true;
        } else if (cli_is(&a, "--append")) {
            append = true;
        } else if (cli_is(&a, "--seed") || cli_is(&a, "--scale") || cli_is(&a, "--days")) {
            bool seed = cli_is(&a, "--seed"), days = cli_is(&a, "--days");
            const char *v = cli_value(&a);
            if (!v) return CLI_FAIL;
            char *end;
            errno = 0;
            if (seed) {
                opt.seed = strtoull(v, &end, 10);
            } else if (days) {
                long d = strtol(v, &end, 10);
                if (d < 14 || d > 365) return cli_error("demo: --days must be 14..365");
                opt.days = (int)d;
            } else {
                opt.scale = strtod(v, &end);
                if (!(opt.scale > 0) || opt.scale > 10000)
                    return cli_error("demo: --scale must be a number in (0, 10000]");
            }
            if (errno || *end || end == v) return cli_error("demo: bad number '%s' for %s", v, arg);
        } else {
            cli_error("demo: unknown option '%s'", arg);
            usage(stderr);
            return CLI_FAIL;
        }
    }
    if (a.bad) return CLI_FAIL;
    opt.now = common.now_ticks;
    if (null_sink) {
        sp_err err;
        sp_err_clear(&err);
        demo_sink sink = {.row = null_row};
        demo_stats st;
        if (demo_generate(&opt, &sink, NULL, &st, &err) != 0) return cli_error("%s", err.msg);
        if (!quiet) print_stats(&st, common.json);
        return CLI_OK;
    }
    if (!out && !common.data) {
        usage(stderr);
        return cli_error("demo: say where the data goes: --out DIR or --data DIR");
    }
    if (common.data && !out) {
#ifdef DEMO_HAVE_STORE
        return generate_into_store(&common, &opt, append, gt_path, quiet);
#else
        (void)append;
        return cli_error("demo: this build has no store yet; use --out DIR to write NDJSON files");
#endif
    }

    sp_err err;
    sp_err_clear(&err);
    demo_dir_sink *ds = demo_dir_sink_open(out, &err);
    if (!ds) return cli_error("%s", err.msg);
    demo_sink sink = demo_dir_sink_iface(ds);
    sp_buf gt;
    sp_buf_init(&gt, 0);
    demo_stats st;
    int rc = demo_generate(&opt, &sink, &gt, &st, &err);
    if (demo_dir_sink_close(ds, rc ? NULL : &err) != 0) rc = -1;
    if (rc != 0) {
        sp_buf_free(&gt);
        return cli_error("%s", err.msg[0] ? err.msg : "demo: generation failed");
    }
    char path[4096];
    if (!gt_path) {
        snprintf(path, sizeof path, "%s/ground-truth.json", out);
        gt_path = path;
    }
    int wrc = write_file(gt_path, gt.p ? gt.p : "", gt.n);
    sp_buf_free(&gt);
    if (wrc != CLI_OK) return wrc;
    if (!quiet) print_stats(&st, common.json);
    return CLI_OK;
}
