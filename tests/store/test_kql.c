/* The store through the KQL engine: queries over store_catalog (projection,
 * time pruning, dictionary strings, dynamics), over a snapshot, and files
 * loaded with store_load_memtable and externaldata's store_file_loader. */
#include "secpilot/store.h"
#include "../test.h"

#include <stdlib.h>
#include <unistd.h>

static char g_dir[256];

/* Runs `q` against `cat` and returns the result printed as CSV (caller frees). */
static char *run(const kql_catalog *cat, const char *q, const kql_options *o) {
    sp_err err = {0};
    kql_options opt = o ? *o : (kql_options){0};
    if (!opt.now) sp_parse_datetime("2024-01-02T12:00:00Z", 20, &opt.now);
    kql_query *kq = kql_compile(cat, q, strlen(q), &opt, &err);
    if (!kq) {
        fprintf(stderr, "compile %s: %s\n", q, err.msg);
        return strdup("");
    }
    kql_result *r = kql_execute(kq, &err);
    sp_buf b;
    sp_buf_init(&b, 0);
    if (r) kql_result_write(r, KQL_FMT_CSV, &b);
    else fprintf(stderr, "execute %s: %s\n", q, err.msg);
    kql_result_free(r);
    kql_query_free(kq);
    char *s = strdup(b.p ? b.p : "");
    sp_buf_free(&b);
    return s;
}

static void check_q(const kql_catalog *cat, const char *q, const char *want) {
    char *got = run(cat, q, NULL);
    /* compare ignoring CR */
    char *w = got, *r = got;
    for (; *r; r++)
        if (*r != '\r') *w++ = *r;
    *w = 0;
    if (strcmp(got, want) != 0) fprintf(stderr, "query: %s\n", q);
    CHECK_EQ_STR(got, want);
    free(got);
}

static void test_store_catalog(void) {
    snprintf(g_dir, sizeof g_dir, "/tmp/sp-kql-XXXXXX");
    if (!mkdtemp(g_dir)) abort();
    sp_err err = {0};
    store_options o = {.schemas_path = "data/schemas/tables.json"};
    store *s = store_open(g_dir, &o, &err);
    store_ws *ws = store_workspace(s, "default", &err);
    const char *rows =
        "{\"TimeGenerated\":\"2024-01-01T10:00:00Z\",\"Computer\":\"a\",\"EventID\":4624,\"Account\":\"LAB\\\\bob\"}\n"
        "{\"TimeGenerated\":\"2024-01-02T11:30:00Z\",\"Computer\":\"b\",\"EventID\":4625,\"Account\":\"LAB\\\\eve\"}\n"
        "{\"TimeGenerated\":\"2024-01-02T11:45:00Z\",\"Computer\":\"b\",\"EventID\":4625,\"Account\":\"LAB\\\\eve\"}\n";
    store_ingest_report rep = {0};
    store_ingest_opts io = {0};
    /* two commits a day apart: two parts, one of which a recent time filter never opens */
    const char *second = strchr(rows, '\n') + 1;
    CHECK_EQ_INT(store_ingest_buf(ws, "SecurityEvent", rows, (size_t)(second - rows), &io, &rep, &err), 0);
    store_report_free(&rep);
    CHECK_EQ_INT(store_checkpoint(ws, &err), 0);
    CHECK_EQ_INT(store_ingest_buf(ws, "SecurityEvent", second, strlen(second), &io, &rep, &err), 0);
    store_report_free(&rep);
    const char *alerts = "{\"TimeGenerated\":\"2024-01-02T11:50:00Z\",\"SystemAlertId\":\"x1\",\"Entities\":"
                         "\"[{\\\"$id\\\":\\\"1\\\",\\\"HostName\\\":\\\"b\\\",\\\"Type\\\":\\\"host\\\"},{\\\"$ref\\\":\\\"1\\\"}]\"}\n";
    CHECK_EQ_INT(store_ingest_buf(ws, "SecurityAlert", alerts, strlen(alerts), &io, &rep, &err), 0);
    store_report_free(&rep);

    kql_catalog cat = store_catalog(ws);
    check_q(&cat, "SecurityEvent | project Computer, EventID | order by EventID asc, Computer asc",
            "Computer,EventID\na,4624\nb,4625\nb,4625\n");
    check_q(&cat, "SecurityEvent | where TimeGenerated > ago(2h) | project Account, EventID",
            "Account,EventID\nLAB\\eve,4625\nLAB\\eve,4625\n");
    check_q(&cat, "SecurityEvent | summarize n = count() by Computer | order by Computer asc",
            "Computer,n\na,1\nb,2\n");
    check_q(&cat, "SecurityAlert | extend e = parse_json(Entities) | mv-expand e | project t = tostring(e.Type)",
            "t\nhost\n\n");
    check_q(&cat, "SecurityAlert | project Entities",
            "Entities\n\"[{\"\"$id\"\":\"\"1\"\",\"\"HostName\"\":\"\"b\"\",\"\"Type\"\":\"\"host\"\"},{\"\"$ref\"\":\"\"1\"\"}]\"\n");
    /* a snapshot stays where it was while more rows arrive */
    store_snap *snap = store_snapshot(ws);
    kql_catalog sc = store_snap_catalog(snap);
    CHECK_EQ_INT(store_ingest_buf(ws, "SecurityEvent", second, strlen(second), &io, &rep, &err), 0);
    store_report_free(&rep);
    check_q(&sc, "SecurityEvent | project EventID | where EventID == 4625", "EventID\n4625\n4625\n");
    check_q(&cat, "SecurityEvent | project EventID | where EventID == 4625", "EventID\n4625\n4625\n4625\n4625\n");
    store_snap_release(snap);
    store_close(s);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", g_dir);
}

static void test_memtable_and_externaldata(void) {
    char path[] = "/tmp/sp-kqlfile-XXXXXX.csv";
    int fd = mkstemps(path, 4);
    const char *csv = "TimeGenerated [UTC],Computer,EventID\n\"1/2/2024, 3:04:05.000 AM\",a,4624\n2024-01-02,b,4625\n";
    CHECK(write(fd, csv, strlen(csv)) == (ssize_t)strlen(csv));
    close(fd);
    sp_err err = {0};
    kql_schema_set *schemas = kql_schemas_load("data/schemas/tables.json", &err);
    CHECK(schemas != NULL);
    kql_memdb *db = kql_memdb_new();
    CHECK_EQ_INT(store_load_memtable(db, "SecurityEvent", path, schemas, &err), 0);
    CHECK_EQ_INT(store_load_memtable(db, "Mine", path, schemas, &err), 0);
    kql_catalog cat = kql_memdb_catalog(db, schemas);
    check_q(&cat, "SecurityEvent | project Computer, EventID, TimeGenerated",
            "Computer,EventID,TimeGenerated\na,4624,2024-01-02T03:04:05Z\nb,4625,2024-01-02T00:00:00Z\n");
    check_q(&cat, "Mine | project Computer, EventID", "Computer,EventID\na,4624\nb,4625\n");
    /* externaldata through the loader */
    char dir[300];
    snprintf(dir, sizeof dir, "%s", path);
    *strrchr(dir, '/') = 0;
    kql_options o = {.externaldata_dir = dir, .file_loader = store_file_loader};
    sp_parse_datetime("2024-01-02T12:00:00Z", 20, &o.now);
    char q[600];
    snprintf(q, sizeof q, "externaldata (Computer:string, EventID:int) [@\"%s\"] with (format=\"csv\", ignoreFirstRecord=true) | project Computer",
             path);
    char *got = run(&cat, q, &o);
    CHECK_EQ_STR(got, "Computer\r\na\r\nb\r\n");
    free(got);
    kql_memdb_free(db);
    kql_schemas_free(schemas);
    unlink(path);
}

TEST_MAIN(test_store_catalog, test_memtable_and_externaldata)
