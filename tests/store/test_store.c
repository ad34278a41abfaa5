/* The store end to end: round trips of every type (WAL-held, checkpointed,
 * reopened), time pruning, WAL recovery and torn tails, compaction, retention,
 * concurrent reads while ingesting, the writer's lock, damage detection and repair. */
#include "secpilot/store.h"
#include "store/store_int.h"
#include "../test.h"

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

static char g_dir[256];

static void fresh_dir(void) {
    snprintf(g_dir, sizeof g_dir, "/tmp/sp-store-test-XXXXXX");
    if (!mkdtemp(g_dir)) abort();
}

static void rm_rf(const char *p) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", p);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", p);
}

static store *open_store(bool ro, sp_err *err) {
    store_options o = {.readonly = ro, .schemas_path = "data/schemas/tables.json", .no_fsync = false};
    return store_open(g_dir, &o, err);
}

static const kql_column_def ALL[] = {
    {"TimeGenerated", KQL_DATETIME}, {"B", KQL_BOOL},     {"I", KQL_INT},    {"L", KQL_LONG},
    {"R", KQL_REAL},                 {"D", KQL_DECIMAL},  {"S", KQL_STRING}, {"Ts", KQL_TIMESPAN},
    {"G", KQL_GUID},                 {"Dyn", KQL_DYNAMIC},
};
#define NALL (sizeof ALL / sizeof ALL[0])

static int64_t T0;

static void make_row(sp_arena *a, int i, kql_value *row) {
    memset(row, 0, sizeof(kql_value) * NALL);
    for (size_t c = 0; c < NALL; c++) row[c].type = ALL[c].type;
    bool nul = i % 7 == 3;
    row[0].u.i = T0 + (int64_t)i * SP_TICKS_PER_SEC;
    row[1].u.b = i & 1;
    row[2].u.i = i - 500;
    row[3].u.i = (int64_t)i * 1000000007LL;
    row[4].u.r = i * 0.25;
    row[5].u.r = i / 3.0;
    char *s = sp_arena_printf(a, "str-%d", i % 50);
    row[6].u.s = sp_str_c(s);
    row[7].u.i = (int64_t)i * SP_TICKS_PER_MS;
    for (int k = 0; k < 16; k++) row[8].u.g.b[k] = (uint8_t)(i + k);
    char *j = sp_arena_printf(a, "{\"n\":%d,\"a\":[\"x\",%d.5,true,null],\"s\":\"\\u00e9\"}", i, i);
    row[9].u.d = kql_dyn_parse(a, j, strlen(j), NULL);
    if (nul) {
        for (size_t c = 1; c < NALL; c++)
            if (c != 6) row[c].null = true;
        row[6].u.s = (sp_str){"", 0};
    }
}

/* Reads every row of table `name` through the engine's interface and checks it. */
static size_t check_table(store_ws *ws, const char *name, int nrows, bool has_time, int64_t tmin, int64_t tmax,
                          size_t *parts_out) {
    const kql_table *t = store_table(ws, name);
    CHECK(t != NULL);
    if (!t) return 0;
    int cols[NALL];
    for (size_t i = 0; i < NALL; i++) cols[i] = (int)i;
    kql_scan_req req = {cols, NALL, has_time, tmin, tmax};
    sp_err err = {0};
    kql_scan *s = t->ops->scan_begin(t, &req, &err);
    CHECK(s != NULL);
    if (!s) return 0;
    size_t parts = t->ops->scan_parts(s), seen = 0;
    if (parts_out) *parts_out = parts;
    sp_arena a;
    sp_arena_init(&a, NULL);
    char *hit = calloc((size_t)nrows + 1, 1);
    for (size_t p = 0; p < parts; p++) {
        kql_batch b;
        CHECK_EQ_INT(t->ops->scan_read(s, p, &a, &b, &err), 0);
        CHECK(b.cols[6]->flags & KQL_COL_DICT);
        for (size_t r = 0; r < b.nrows; r++) {
            kql_value v[NALL], w[NALL];
            for (size_t c = 0; c < NALL; c++) kql_col_get(b.cols[c], r, &v[c]);
            int i = (int)((v[0].u.i - T0) / SP_TICKS_PER_SEC);
            CHECK(!v[0].null && i >= 0 && i < nrows);
            if (v[0].null || i < 0 || i >= nrows) continue;
            CHECK(!hit[i]);
            hit[i] = 1;
            make_row(&a, i, w);
            for (size_t c = 1; c < NALL; c++) CHECK_EQ_INT(v[c].null, w[c].null);
            if (w[1].null) {
                CHECK_EQ_INT(v[6].u.s.n, 0);
                seen++;
                continue;
            }
            CHECK_EQ_INT(v[1].u.b, w[1].u.b);
            CHECK_EQ_INT(v[2].u.i, w[2].u.i);
            CHECK_EQ_INT(v[3].u.i, w[3].u.i);
            CHECK(v[4].u.r == w[4].u.r);
            CHECK(v[5].u.r == w[5].u.r);
            CHECK(sp_str_eq(v[6].u.s, w[6].u.s));
            CHECK_EQ_INT(v[7].u.i, w[7].u.i);
            CHECK(memcmp(&v[8].u.g, &w[8].u.g, 16) == 0);
            CHECK(kql_dyn_equal(v[9].u.d, w[9].u.d));
            seen++;
        }
        seen += 0;
    }
    /* null rows (i % 7 == 3) have a null time and are not counted above */
    free(hit);
    sp_arena_free(&a);
    t->ops->scan_end(s);
    return seen;
}

static int expected_nonnull(int n) { return n; }

static void append_rows(store_ws *ws, const char *table, int from, int to) {
    sp_err err = {0};
    store_txn *tx = store_txn_begin(ws, &err);
    sp_arena a;
    sp_arena_init(&a, NULL);
    kql_value row[NALL];
    for (int i = from; i < to; i++) {
        make_row(&a, i, row);
        if (store_txn_append(tx, table, row, NALL, &err) != 0) {
            fprintf(stderr, "append: %s\n", err.msg);
            break;
        }
        if (a.total > (4 << 20)) {
            sp_arena_free(&a);
            sp_arena_init(&a, NULL);
        }
    }
    CHECK_EQ_INT(store_txn_commit(tx, &err), 0);
    if (sp_err_is_set(&err)) fprintf(stderr, "commit: %s\n", err.msg);
    sp_arena_free(&a);
}

static void test_roundtrip(void) {
    fresh_dir();
    sp_err err = {0};
    store *s = open_store(false, &err);
    store_ws *ws = store_workspace(s, "default", &err);
    CHECK(ws != NULL);
    CHECK(store_create_table(ws, "All_CL", ALL, NALL, &err) != NULL);
    append_rows(ws, "All_CL", 0, 1000);
    CHECK_EQ_INT(check_table(ws, "All_CL", 1000, false, 0, 0, NULL), expected_nonnull(1000));  /* WAL-held */
    CHECK_EQ_INT(store_checkpoint(ws, &err), 0);
    CHECK_EQ_INT(check_table(ws, "All_CL", 1000, false, 0, 0, NULL), expected_nonnull(1000));  /* segment */
    /* a transaction over the segment size: segment files written during it */
    int big = STORE_SEGMENT_ROWS + 5000;
    append_rows(ws, "All_CL", 1000, 1000 + big);
    store_close(s);
    s = open_store(true, &err);
    ws = store_workspace(s, "default", &err);
    CHECK(ws != NULL);
    if (ws) CHECK_EQ_INT(check_table(ws, "All_CL", 1000 + big, false, 0, 0, NULL), expected_nonnull(1000 + big));
    if (ws) CHECK_EQ_INT(store_table(ws, "All_CL")->ops->row_count(store_table(ws, "All_CL")), 1000 + big);
    store_close(s);
    /* a cache too small for anything: columns decode into the query's arena instead */
    store_options tiny = {.readonly = true, .schemas_path = "data/schemas/tables.json", .cache_bytes = 1};
    s = store_open(g_dir, &tiny, &err);
    ws = store_workspace(s, "default", &err);
    if (ws) CHECK_EQ_INT(check_table(ws, "All_CL", 1000 + big, false, 0, 0, NULL), expected_nonnull(1000 + big));
    store_close(s);
    rm_rf(g_dir);
}

static void test_time_pruning(void) {
    fresh_dir();
    sp_err err = {0};
    store *s = open_store(false, &err);
    store_ws *ws = store_workspace(s, "default", &err);
    store_create_table(ws, "All_CL", ALL, NALL, &err);
    /* three commits an hour apart: three parts (WAL-held) */
    for (int k = 0; k < 3; k++) append_rows(ws, "All_CL", k * 3600, k * 3600 + 100);
    size_t parts;
    check_table(ws, "All_CL", 3 * 3600, true, T0 + 3600 * SP_TICKS_PER_SEC, T0 + 3700 * SP_TICKS_PER_SEC, &parts);
    CHECK_EQ_INT(parts, 1);
    check_table(ws, "All_CL", 3 * 3600, true, T0 - SP_TICKS_PER_DAY, T0 - 1, &parts);
    CHECK_EQ_INT(parts, 0);
    /* the same as three segment files */
    store_close(s);
    rm_rf(g_dir);
    fresh_dir();
    s = open_store(false, &err);
    ws = store_workspace(s, "default", &err);
    store_create_table(ws, "All_CL", ALL, NALL, &err);
    for (int k = 0; k < 3; k++) {
        append_rows(ws, "All_CL", k * 3600, k * 3600 + 100);
        store_checkpoint(ws, &err);
    }
    store_close(s);
    s = open_store(true, &err);
    ws = store_workspace(s, "default", &err);
    check_table(ws, "All_CL", 3 * 3600, true, T0 + 7200 * SP_TICKS_PER_SEC, T0 + 9000 * SP_TICKS_PER_SEC, &parts);
    CHECK_EQ_INT(parts, 1);
    check_table(ws, "All_CL", 3 * 3600, false, 0, 0, &parts);
    CHECK_EQ_INT(parts, 3);
    store_close(s);
    rm_rf(g_dir);
}

static char *first_file(const char *sub, const char *suffix) {
    char path[600];
    snprintf(path, sizeof path, "%s/workspaces/default/%s", g_dir, sub);
    DIR *d = opendir(path);
    if (!d) return NULL;
    struct dirent *e;
    char *res = NULL;
    while ((e = readdir(d))) {
        size_t k = strlen(e->d_name), m = strlen(suffix);
        if (k > m && strcmp(e->d_name + k - m, suffix) == 0) {
            char full[900];
            snprintf(full, sizeof full, "%s/%s", path, e->d_name);
            res = strdup(full);
            break;
        }
    }
    closedir(d);
    return res;
}

static void test_wal_recovery(void) {
    fresh_dir();
    sp_err err = {0};
    store *s = open_store(false, &err);
    store_ws *ws = store_workspace(s, "default", &err);
    store_create_table(ws, "All_CL", ALL, NALL, &err);
    store_close(s);
    pid_t pid = fork();
    if (pid == 0) {
        sp_err e = {0};
        store *c = open_store(false, &e);
        store_ws *w = store_workspace(c, "default", &e);
        append_rows(w, "All_CL", 0, 300);
        append_rows(w, "All_CL", 300, 600);
        _exit(0);   /* no close: the rows are only in the WAL */
    }
    int st;
    waitpid(pid, &st, 0);
    char *wal = first_file("wal", ".wal");
    CHECK(wal != NULL);
    /* a torn tail: half a record of garbage */
    int fd = open(wal, O_WRONLY | O_APPEND);
    CHECK(write(fd, "SPWL\x10\0\0\0garbage", 15) == 15);
    close(fd);
    s = open_store(true, &err);
    ws = store_workspace(s, "default", &err);
    CHECK(ws != NULL);
    if (ws) CHECK_EQ_INT(check_table(ws, "All_CL", 600, false, 0, 0, NULL), expected_nonnull(600));
    store_close(s);
    /* damage inside the first record (not the tail): refused, the file named */
    struct stat stt;
    stat(wal, &stt);
    fd = open(wal, O_RDWR);
    char c;
    CHECK(pread(fd, &c, 1, 200) == 1);
    c ^= 0x20;
    CHECK(pwrite(fd, &c, 1, 200) == 1);
    close(fd);
    sp_err_clear(&err);
    s = open_store(true, &err);
    ws = store_workspace(s, "default", &err);
    CHECK(ws == NULL);
    CHECK_EQ_STR(err.code, "damaged");
    CHECK(strstr(err.msg, wal) != NULL);
    store_close(s);
    /* repair keeps what precedes the damage and opens clean */
    store_verify_report vr;
    sp_err_clear(&err);
    CHECK_EQ_INT(store_repair(g_dir, &vr, &err), 0);
    CHECK(vr.nproblems >= 1);
    store_verify_free(&vr);
    s = open_store(true, &err);
    ws = store_workspace(s, "default", &err);
    CHECK(ws != NULL);
    store_close(s);
    free(wal);
    rm_rf(g_dir);
}

static void test_compaction_and_retention(void) {
    fresh_dir();
    sp_err err = {0};
    store *s = open_store(false, &err);
    store_ws *ws = store_workspace(s, "default", &err);
    store_create_table(ws, "All_CL", ALL, NALL, &err);
    for (int k = 0; k < 5; k++) {
        append_rows(ws, "All_CL", k * 100, k * 100 + 100);
        store_checkpoint(ws, &err);
    }
    size_t parts;
    check_table(ws, "All_CL", 500, false, 0, 0, &parts);
    CHECK_EQ_INT(parts, 5);
    CHECK_EQ_INT(store_compact(ws, &err), 0);
    CHECK_EQ_INT(check_table(ws, "All_CL", 500, false, 0, 0, &parts), expected_nonnull(500));
    CHECK_EQ_INT(parts, 1);
    /* verify while the compaction is only in the WAL: the dropped inputs are not "missing" */
    store_verify_report vr;
    CHECK_EQ_INT(store_verify(g_dir, &vr, &err), 0);
    CHECK_EQ_INT(vr.nproblems, 0);
    CHECK_EQ_INT(vr.segments, 1);
    store_verify_free(&vr);
    /* retention: rows are T0 + i seconds; keep the last 100 seconds' worth */
    CHECK_EQ_INT(store_set_retention(ws, "All_CL", 1, &err), 0);
    uint64_t dropped = 0;
    int64_t now = T0 + SP_TICKS_PER_DAY + 400 * SP_TICKS_PER_SEC;
    CHECK_EQ_INT(store_apply_retention(ws, now, &dropped, &err), 0);
    CHECK_EQ_INT(dropped, expected_nonnull(400));
    CHECK_EQ_INT(check_table(ws, "All_CL", 500, false, 0, 0, NULL), expected_nonnull(500) - expected_nonnull(400));
    store_close(s);
    s = open_store(true, &err);
    ws = store_workspace(s, "default", &err);
    CHECK_EQ_INT(check_table(ws, "All_CL", 500, false, 0, 0, NULL), expected_nonnull(500) - expected_nonnull(400));
    const kql_table *t = store_table(ws, "All_CL");
    CHECK_EQ_INT(t->ops->row_count(t), 100);
    store_close(s);
    rm_rf(g_dir);
}

typedef struct {
    store_ws *ws;
    volatile int done;
    int bad;
    int reads;
} conc;

static void *reader(void *arg) {
    conc *c = arg;
    int64_t last = 0;
    const kql_table *t = store_table(c->ws, "All_CL");
    while (!c->done || c->reads < 3) {
        int cols[1] = {3};
        kql_scan_req req = {cols, 1, false, 0, 0};
        sp_err err = {0};
        kql_scan *s = t->ops->scan_begin(t, &req, &err);
        if (!s) { c->bad++; break; }
        int64_t rows = 0;
        sp_arena a;
        sp_arena_init(&a, NULL);
        for (size_t p = 0; p < t->ops->scan_parts(s); p++) {
            kql_batch b;
            if (t->ops->scan_read(s, p, &a, &b, &err) != 0) { c->bad++; break; }
            rows += (int64_t)b.nrows;
        }
        sp_arena_free(&a);
        t->ops->scan_end(s);
        if (rows % 50 != 0 || rows < last) c->bad++;   /* a half batch, or rows going back */
        last = rows;
        c->reads++;
    }
    return NULL;
}

static void test_concurrent_read(void) {
    fresh_dir();
    sp_err err = {0};
    store_options o = {.schemas_path = "data/schemas/tables.json", .wal_checkpoint_bytes = 200000, .background = true};
    store *s = store_open(g_dir, &o, &err);
    store_ws *ws = store_workspace(s, "default", &err);
    store_create_table(ws, "All_CL", ALL, NALL, &err);
    conc c = {ws, 0, 0, 0};
    pthread_t th[2];
    for (int i = 0; i < 2; i++) pthread_create(&th[i], NULL, reader, &c);
    for (int k = 0; k < 200; k++) append_rows(ws, "All_CL", k * 50, k * 50 + 50);
    c.done = 1;
    for (int i = 0; i < 2; i++) pthread_join(th[i], NULL);
    CHECK_EQ_INT(c.bad, 0);
    CHECK(c.reads > 0);
    CHECK_EQ_INT(check_table(ws, "All_CL", 10000, false, 0, 0, NULL), expected_nonnull(10000));
    store_close(s);
    rm_rf(g_dir);
}

static void test_lock(void) {
    fresh_dir();
    sp_err err = {0};
    store *a = open_store(false, &err);
    CHECK(store_workspace(a, "default", &err) != NULL);
    store *b = open_store(false, &err);
    CHECK(store_workspace(b, "default", &err) == NULL);
    CHECK_EQ_STR(err.code, "locked");
    CHECK(strstr(err.msg, "open for writing by another process") != NULL);
    store_close(b);
    sp_err_clear(&err);
    store *c = open_store(true, &err);
    CHECK(store_workspace(c, "default", &err) != NULL);
    store_close(c);
    /* another workspace is independent */
    store *d = open_store(false, &err);
    CHECK(store_workspace(d, "other", &err) != NULL);
    store_close(d);
    store_close(a);
    rm_rf(g_dir);
}

static void test_damage(void) {
    fresh_dir();
    sp_err err = {0};
    store *s = open_store(false, &err);
    store_ws *ws = store_workspace(s, "default", &err);
    store_create_table(ws, "All_CL", ALL, NALL, &err);
    append_rows(ws, "All_CL", 0, 500);
    store_checkpoint(ws, &err);
    append_rows(ws, "All_CL", 500, 1000);
    store_close(s);
    /* flip one bit in the middle of a segment */
    char *seg = first_file("tables/All_CL", ".seg");
    CHECK(seg != NULL);
    struct stat st;
    stat(seg, &st);
    int fd = open(seg, O_RDWR);
    char c;
    CHECK(pread(fd, &c, 1, 100) == 1);
    c ^= 1;
    CHECK(pwrite(fd, &c, 1, 100) == 1);
    close(fd);
    store_verify_report vr;
    CHECK_EQ_INT(store_verify(g_dir, &vr, &err), 0);
    CHECK_EQ_INT(vr.nproblems, 1);
    if (vr.nproblems) {
        CHECK_EQ_STR(vr.problems[0].path, seg);
        CHECK(strstr(vr.problems[0].what, "checksum mismatch") != NULL);
    }
    store_verify_free(&vr);
    /* a scan reading the damaged block fails with the file named; no crash */
    s = open_store(true, &err);
    ws = store_workspace(s, "default", &err);
    CHECK(ws != NULL);
    const kql_table *t = store_table(ws, "All_CL");
    int cols[NALL];
    for (size_t i = 0; i < NALL; i++) cols[i] = (int)i;
    kql_scan_req req = {cols, NALL, false, 0, 0};
    kql_scan *sc = t->ops->scan_begin(t, &req, &err);
    sp_arena a;
    sp_arena_init(&a, NULL);
    int failures = 0;
    for (size_t p = 0; p < t->ops->scan_parts(sc); p++) {
        kql_batch b;
        sp_err e = {0};
        if (t->ops->scan_read(sc, p, &a, &b, &e) != 0) {
            failures++;
            CHECK(strstr(e.msg, seg) != NULL);
        }
    }
    CHECK_EQ_INT(failures, 1);
    sp_arena_free(&a);
    t->ops->scan_end(sc);
    store_close(s);
    /* repair: quarantined, the rest readable */
    CHECK_EQ_INT(store_repair(g_dir, &vr, &err), 0);
    CHECK_EQ_INT(vr.quarantined, 1);
    store_verify_free(&vr);
    CHECK_EQ_INT(store_verify(g_dir, &vr, &err), 0);
    CHECK_EQ_INT(vr.nproblems, 0);
    store_verify_free(&vr);
    s = open_store(true, &err);
    ws = store_workspace(s, "default", &err);
    CHECK(ws != NULL);
    if (ws) CHECK_EQ_INT(store_table(ws, "All_CL")->ops->row_count(store_table(ws, "All_CL")), 500);
    store_close(s);
    /* a missing segment: open refuses naming it; repair drops it */
    free(seg);
    seg = first_file("tables/All_CL", ".seg");
    unlink(seg);
    sp_err_clear(&err);
    s = open_store(true, &err);
    CHECK(store_workspace(s, "default", &err) == NULL);
    CHECK_EQ_STR(err.code, "missing");
    CHECK(strstr(err.msg, seg) != NULL);
    store_close(s);
    CHECK_EQ_INT(store_verify(g_dir, &vr, &err), 0);
    CHECK_EQ_INT(vr.nproblems, 1);
    store_verify_free(&vr);
    CHECK_EQ_INT(store_repair(g_dir, &vr, &err), 0);
    store_verify_free(&vr);
    s = open_store(true, &err);
    CHECK(store_workspace(s, "default", &err) != NULL);
    store_close(s);
    /* a truncated segment */
    free(seg);
    rm_rf(g_dir);
}

static void test_ingest_into_store(void) {
    fresh_dir();
    sp_err err = {0};
    store *s = open_store(false, &err);
    store_ws *ws = store_workspace(s, "default", &err);
    const char *text = "{\"TimeGenerated\":\"2024-01-02T00:00:00Z\",\"Computer\":\"a\",\"EventID\":4624}\n"
                       "{\"TimeGenerated\":\"2024-01-02T00:00:01Z\",\"Computer\":\"b\",\"EventID\":\"x\"}\n"
                       "{\"Computer\":\"c\",\"EventID\":4625}\n";
    store_ingest_opts o = {.all_or_nothing = true};
    store_ingest_report rep = {0};
    CHECK_EQ_INT(store_ingest_buf(ws, "SecurityEvent", text, strlen(text), &o, &rep, &err), -1);
    CHECK_EQ_STR(err.code, "rejected");
    CHECK_EQ_INT(rep.rows_committed, 0);
    store_report_free(&rep);
    const kql_table *t = store_table(ws, "SecurityEvent");
    CHECK_EQ_INT(t->ops->row_count(t), 0);
    o.all_or_nothing = false;
    sp_err_clear(&err);
    CHECK_EQ_INT(store_ingest_buf(ws, "SecurityEvent", text, strlen(text), &o, &rep, &err), 0);
    CHECK_EQ_INT(rep.rows_committed, 2);
    CHECK_EQ_INT(rep.rows_rejected, 1);
    CHECK_EQ_INT(rep.time_filled, 1);
    CHECK_EQ_INT(t->ops->row_count(t), 2);
    store_report_free(&rep);
    /* --create: a custom table from the data, TimeGenerated added */
    const char *csv = "user,count,when\nalice,3,2024-01-02 00:00:00\nbob,4,2024-01-03 00:00:00\n";
    store_ingest_opts oc = {.create = true};
    CHECK_EQ_INT(store_ingest_buf(ws, "Logins_CL", csv, strlen(csv), &oc, &rep, &err), 0);
    CHECK_EQ_INT(rep.rows_committed, 2);
    store_report_free(&rep);
    t = store_table(ws, "Logins_CL");
    CHECK(t != NULL);
    if (t) {
        CHECK_EQ_INT(t->ncols, 4);
        CHECK_EQ_STR(t->cols[0].name, "TimeGenerated");
        CHECK_EQ_INT(t->cols[2].type, KQL_LONG);
        CHECK_EQ_INT(t->cols[3].type, KQL_DATETIME);
    }
    CHECK(store_ingest_buf(ws, "Logins", csv, strlen(csv), &oc, &rep, &err) == -1);
    store_report_free(&rep);
    /* a truncated gzip: the rows before the damage are kept, the damage is one rejection */
    sp_buf nd;
    sp_buf_init(&nd, 0);
    for (int i = 0; i < 2000; i++) sp_buf_printf(&nd, "{\"Computer\":\"host-%d\",\"EventID\":%d}\n", i, i);
    z_stream z = {0};
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    char *gz = malloc(nd.n + 1024);
    z.next_in = (Bytef *)nd.p;
    z.avail_in = (uInt)nd.n;
    z.next_out = (Bytef *)gz;
    z.avail_out = (uInt)(nd.n + 1024);
    deflate(&z, Z_FINISH);
    size_t gn = z.total_out;
    deflateEnd(&z);
    sp_err_clear(&err);
    CHECK_EQ_INT(store_ingest_buf(ws, "SecurityEvent", gz, gn / 2, &o, &rep, &err), 0);
    CHECK_EQ_INT(rep.rows_rejected, 1);
    CHECK(rep.rows_committed > 0 && rep.rows_committed < 2000);
    CHECK_EQ_INT(rep.rows_read, rep.rows_committed + 1);
    store_report_free(&rep);
    o.all_or_nothing = true;
    CHECK_EQ_INT(store_ingest_buf(ws, "SecurityEvent", gz, gn / 2, &o, &rep, &err), -1);
    CHECK_EQ_STR(err.code, "bad_gzip");
    store_report_free(&rep);
    free(gz);
    sp_buf_free(&nd);
    store_close(s);
    rm_rf(g_dir);
}

static void test_routing(void) {
    fresh_dir();
    sp_err err = {0};
    store *s = open_store(false, &err);
    store_ws *ws = store_workspace(s, "default", &err);
    const char *text =
        /* Winlogbeat/NXLog events: Security -> SecurityEvent, Sysmon -> WindowsEvent */
        "{\"@timestamp\":\"2020-10-19T12:28:44.333Z\",\"TimeCreated\":\"2020-10-19 12:28:44.333\",\"Hostname\":\"WS5\","
        "\"Channel\":\"Security\",\"EventID\":4624,\"Task\":\"12544\",\"TargetUserName\":\"bob\",\"TargetDomainName\":\"LAB\","
        "\"LogonType\":\"3\",\"Message\":\"An account was successfully logged on.\\r\\n\\r\\nSubject:\"}\n"
        "{\"@timestamp\":\"2020-10-19T12:28:45Z\",\"Hostname\":\"WS5\",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
        "\"EventID\":1,\"SourceName\":\"Microsoft-Windows-Sysmon\",\"Image\":\"C:\\\\x.exe\",\"CommandLine\":\"x -y\"}\n"
        /* a Log Analytics row with its Type */
        "{\"Type\":\"Syslog\",\"TimeGenerated\":\"2022-05-11T18:10:20Z\",\"Computer\":\"u5\",\"SyslogMessage\":\"hi\"}\n"
        /* a Defender row without a table column */
        "{\"Timestamp\":\"2021-08-02T13:11:39Z\",\"DeviceId\":\"d1\",\"ActionType\":\"LdapSearch\",\"DeviceName\":\"adfs01\"}\n"
        /* nothing says where this goes */
        "{\"colour\":\"blue\"}\n";
    store_ingest_report rep = {0};
    store_ingest_opts o = {0};
    CHECK_EQ_INT(store_ingest_buf(ws, STORE_TABLE_AUTO, text, strlen(text), &o, &rep, &err), 0);
    CHECK_EQ_INT(rep.rows_committed, 4);
    CHECK_EQ_INT(rep.rows_rejected, 1);
    CHECK_EQ_INT(rep.ntables, 4);
    store_report_free(&rep);
    const char *tabs[] = {"SecurityEvent", "WindowsEvent", "Syslog", "DeviceEvents"};
    for (int i = 0; i < 4; i++) {
        const kql_table *t = store_table(ws, tabs[i]);
        CHECK_EQ_INT(t->ops->row_count(t), 1);
    }
    /* the SecurityEvent row: Account and Activity as Sentinel writes them */
    const kql_table *t = store_table(ws, "SecurityEvent");
    int cols[4] = {-1, -1, -1, -1};
    const char *want[] = {"Account", "Activity", "Computer", "LogonType"};
    for (size_t c = 0; c < t->ncols; c++)
        for (int k = 0; k < 4; k++)
            if (strcmp(t->cols[c].name, want[k]) == 0) cols[k] = (int)c;
    kql_scan_req req = {cols, 4, false, 0, 0};
    kql_scan *sc = t->ops->scan_begin(t, &req, &err);
    sp_arena a;
    sp_arena_init(&a, NULL);
    kql_batch b;
    CHECK_EQ_INT(t->ops->scan_read(sc, 0, &a, &b, &err), 0);
    kql_value v;
    kql_col_get(b.cols[0], 0, &v);
    CHECK(sp_str_eqc(v.u.s, "LAB\\bob"));
    kql_col_get(b.cols[1], 0, &v);
    CHECK(sp_str_eqc(v.u.s, "4624 - An account was successfully logged on"));
    kql_col_get(b.cols[2], 0, &v);
    CHECK(sp_str_eqc(v.u.s, "WS5"));
    kql_col_get(b.cols[3], 0, &v);
    CHECK_EQ_INT(v.u.i, 3);
    t->ops->scan_end(sc);
    /* the WindowsEvent row: the event's fields in EventData */
    t = store_table(ws, "WindowsEvent");
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].name, "EventData") == 0) cols[0] = (int)c;
    kql_scan_req req2 = {cols, 1, false, 0, 0};
    sc = t->ops->scan_begin(t, &req2, &err);
    CHECK_EQ_INT(t->ops->scan_read(sc, 0, &a, &b, &err), 0);
    kql_col_get(b.cols[0], 0, &v);
    sp_buf j;
    sp_buf_init(&j, 0);
    kql_dyn_to_json(v.u.d, &j);
    CHECK_EQ_STR(j.p, "{\"Image\":\"C:\\\\x.exe\",\"CommandLine\":\"x -y\"}");
    sp_buf_free(&j);
    t->ops->scan_end(sc);
    sp_arena_free(&a);
    store_close(s);
    rm_rf(g_dir);
}

static void init(void) { sp_parse_datetime("2024-03-01T00:00:00Z", 20, &T0); }

TEST_MAIN(init, test_roundtrip, test_time_pruning, test_wal_recovery, test_compaction_and_retention,
          test_concurrent_read, test_lock, test_damage, test_ingest_into_store, test_routing)
