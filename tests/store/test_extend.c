/* store_extend_table: a table gains a column, rows stored before read it as
 * null, rows after carry it, and the extension survives reopening. */
#include "secpilot/store.h"
#include "../test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char g_dir[] = "/tmp/secpilot-extend-XXXXXX";

static long query_long(store_ws *ws, const char *q) {
    kql_catalog cat = store_catalog(ws);
    sp_err err;
    sp_err_clear(&err);
    kql_options o = {0};
    kql_query *k = kql_compile(&cat, q, strlen(q), &o, &err);
    if (!k) {
        fprintf(stderr, "compile: %s\n", err.msg);
        return -1;
    }
    kql_result *r = kql_execute(k, &err);
    long v = -1;
    if (r && r->nrows == 1) {
        kql_value x;
        kql_result_value(r, 0, 0, &x);
        v = x.null ? -2 : (long)x.u.i;
    }
    kql_result_free(r);
    kql_query_free(k);
    return v;
}

static void test_extend(void) {
    if (!mkdtemp(g_dir)) abort();
    sp_err err;
    sp_err_clear(&err);
    store_options so = {.no_fsync = true};
    store *s = store_open(g_dir, &so, &err);
    CHECK(s != NULL);
    store_ws *ws = store_workspace(s, "default", &err);
    CHECK(ws != NULL);
    store_ingest_opts io = {.format = "ndjson"};
    store_ingest_report rep;
    const char *before = "{\"TimeGenerated\":\"2024-01-01T00:00:00Z\",\"AccountUpn\":\"a@contoso.com\",\"Timestamp\":\"2024-01-01T00:00:00Z\"}\n";
    CHECK_EQ_INT(store_ingest_buf(ws, "IdentityInfo", before, strlen(before), &io, &rep, &err), 0);
    store_report_free(&rep);
    /* the schema has no Timestamp yet: the field was not stored, and binding it fails */
    CHECK_EQ_INT(query_long(ws, "IdentityInfo | count"), 1);
    CHECK_EQ_INT(query_long(ws, "IdentityInfo | where isnotnull(Timestamp) | count"), -1);
    kql_column_def c = {"Timestamp", KQL_DATETIME};
    CHECK_EQ_INT(store_extend_table(ws, "IdentityInfo", &c, 1, &err), 0);
    kql_column_def bad = {"AccountUpn", KQL_LONG};
    CHECK_EQ_INT(store_extend_table(ws, "IdentityInfo", &bad, 1, &err), -1);
    CHECK_EQ_STR(err.code, "type_mismatch");
    sp_err_clear(&err);
    const char *after = "{\"TimeGenerated\":\"2024-01-02T00:00:00Z\",\"AccountUpn\":\"b@contoso.com\",\"Timestamp\":\"2024-01-02T00:00:00Z\"}\n";
    CHECK_EQ_INT(store_ingest_buf(ws, "IdentityInfo", after, strlen(after), &io, &rep, &err), 0);
    store_report_free(&rep);
    /* the older row reads Timestamp as null, the newer one has it */
    CHECK_EQ_INT(query_long(ws, "IdentityInfo | where isnotnull(Timestamp) | count"), 1);
    CHECK_EQ_INT(query_long(ws, "IdentityInfo | where isnull(Timestamp) | count"), 1);
    store_close(s);
    /* reopened, the extension is still there */
    s = store_open(g_dir, &so, &err);
    ws = store_workspace(s, "default", &err);
    CHECK(ws != NULL);
    CHECK_EQ_INT(query_long(ws, "IdentityInfo | where Timestamp == datetime(2024-01-02) | count"), 1);
    store_close(s);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    CHECK(system(cmd) == 0);
}

TEST_MAIN(test_extend)
