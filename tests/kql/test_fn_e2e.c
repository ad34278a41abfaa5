/* End-to-end checks of the function library through the real binder and
 * executor: queries compiled and run against an empty catalog, results
 * compared as JSON rows (expected values worked out from the KQL docs). */
#include "kql/kql_int.h"
#include "../test.h"

#include <stdlib.h>

static kql_memdb *db;

/* runs a query; returns the JSON rows ("[[...]]") or "ERROR:code" */
static const char *run_q(const char *q) {
    static char out[8192];
    kql_catalog cat = kql_memdb_catalog(db, NULL);
    kql_options opt = {0};
    sp_parse_datetime("2024-01-15T12:00:00Z", 20, &opt.now);
    sp_err err;
    sp_err_clear(&err);
    kql_query *cq = kql_compile(&cat, q, strlen(q), &opt, &err);
    if (!cq) {
        snprintf(out, sizeof out, "ERROR:%s", err.code);
        return out;
    }
    kql_result *r = kql_execute(cq, &err);
    if (!r) {
        snprintf(out, sizeof out, "FAIL:%s", err.code);
        kql_query_free(cq);
        return out;
    }
    sp_buf b;
    sp_buf_init(&b, 0);
    kql_result_write(r, KQL_FMT_JSON, &b);
    const char *rows = strstr(b.p, "\"rows\":");
    const char *end = rows ? strstr(rows, ",\"stats\"") : NULL;
    if (!end && rows) end = rows + strlen(rows) - 1;
    snprintf(out, sizeof out, "%.*s", rows ? (int)(end - rows - 7) : 0, rows ? rows + 7 : "");
    sp_buf_free(&b);
    kql_result_free(r);
    kql_query_free(cq);
    return out;
}

static void test_scalars(void) {
    CHECK_EQ_STR(run_q("print extract(@\"port=(\\d+)\", 1, \"port=443\", typeof(long))"), "[[443]]");
    CHECK_EQ_STR(run_q("print split(\"aaa_bbb_ccc\", \"_\", 1)"), "[[[\"bbb\"]]]");
    CHECK_EQ_STR(run_q("print datetime_diff('day', datetime(2024-01-01), datetime(2024-01-15))"), "[[-14]]");
    CHECK_EQ_STR(run_q("print startofweek(now())"), "[[\"2024-01-14T00:00:00Z\"]]");
    CHECK_EQ_STR(run_q("print ipv4_is_private(\"172.16.0.1\"), parse_ipv4(\"192.168.1.1/24\")"), "[[true,3232235776]]");
    CHECK_EQ_STR(run_q("print hash(\"World\"), hash_md5(\"World\")"),
                 "[[1846988464401551951,\"f5a7924e621e84c9280a9a27e1bcb7f6\"]]");
    CHECK_EQ_STR(run_q("print tostring(parse_url(\"https://a.b/c?d=1\").Host)"), "[[\"a.b\"]]");
    CHECK_EQ_STR(run_q("print bag_keys(dynamic({\"a\":1,\"b\":2}))"), "[[[\"a\",\"b\"]]]");
    CHECK_EQ_STR(run_q("print toint(\"12\") + 1, todatetime(\"2024-01-15\")"), "[[13,\"2024-01-15T00:00:00Z\"]]");
    CHECK_EQ_STR(run_q("print gettype(parse_json(\"not json\"))"), "[[\"string\"]]");
    CHECK_EQ_STR(run_q("print y=dynamic([1,2,3]) | extend (r, s) = series_fit_line(y) | project s"), "[[1]]");
    CHECK_EQ_STR(run_q("print l=dynamic([1,2,3,4]) | extend series_stats(l) | project series_stats_l_avg, "
                       "series_stats_l_max_idx"),
                 "[[2.5,3]]");
    /* binding errors from the functions' bind callbacks and parameter codes */
    CHECK_EQ_STR(run_q("print extract(\"(\", 1, \"x\")"), "ERROR:bad_regex");
    CHECK_EQ_STR(run_q("print datetime_diff(\"day\", \"2024-01-01\", now())"), "ERROR:type_mismatch");
    CHECK_EQ_STR(run_q("print ago(\"7d\")"), "ERROR:type_mismatch");
    CHECK_EQ_STR(run_q("print datetime_part(\"fortnight\", now())"), "ERROR:bad_argument");
}

static void test_aggregates(void) {
    CHECK_EQ_STR(run_q("range x from 1 to 10 step 1 | summarize percentile(x, 50), dcount(x % 3), "
                       "s = array_sort_asc(make_set(x % 2))"),
                 "[[5,3,[0,1]]]");
    CHECK_EQ_STR(run_q("range x from 1 to 10 step 1 | summarize percentiles(x, 0, 100)"), "[[1,10]]");
    CHECK_EQ_STR(run_q("range x from 1 to 5 step 1 | summarize variance(x), countif(x > 2), sumif(x, x > 3)"),
                 "[[2.5,3,9]]");
    CHECK_EQ_STR(run_q("datatable(a:long, b:string)[1, \"x\"] | summarize take_any(a, b)"), "[[1,\"x\"]]");
    CHECK_EQ_STR(run_q("datatable(u:string)[\"a\", \"b\", \"a\"] | summarize h = hll(u) | project dcount_hll(h)"),
                 "[[2]]");
    /* hll_merge: an aggregate in summarize, a scalar of several sketches elsewhere */
    CHECK_EQ_STR(run_q("range x from 1 to 3 step 1 | summarize h1 = hll(x), h2 = hll(x + 10) "
                       "| project n = dcount_hll(hll_merge(h1, h2))"),
                 "[[6]]");
    CHECK_EQ_STR(run_q("range x from 1 to 4 step 1 | summarize h = hll(x) by k = x % 2 | summarize m = hll_merge(h) "
                       "| project n = dcount_hll(m)"),
                 "[[4]]");
}

static void run(void) {
    db = kql_memdb_new();
    test_scalars();
    test_aggregates();
    kql_memdb_free(db);
}

TEST_MAIN(run)
