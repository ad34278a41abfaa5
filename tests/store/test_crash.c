/* Crash consistency: a child process commits batches (each across two tables)
 * and is SIGKILLed at a random moment, again and again; after each kill the
 * store must hold every acknowledged batch exactly once and no partial batch.
 * SP_CRASH_ITERS sets the number of kills (20 here; bench/crash runs 200),
 * SP_CRASH_MAX_MS the longest a child runs before its kill. */
#include "secpilot/store.h"
#include "../test.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char g_dir[256];
static const kql_column_def COLS[] = {
    {"TimeGenerated", KQL_DATETIME}, {"Batch", KQL_LONG}, {"Row", KQL_LONG}, {"Pad", KQL_STRING}};

static int batch_rows(int64_t b) { return 1 + (int)(sp_hash_u64((uint64_t)b) % 1500); }

static store *open_rw(bool background, sp_err *err) {
    store_options o = {.schemas_path = "data/schemas/tables.json", .wal_checkpoint_bytes = 96 * 1024,
                       .background = background};
    return store_open(g_dir, &o, err);
}

/* The child: commit batches from `next` on, telling the parent each one that returned. */
static void child(int fd, int64_t next, unsigned seed) {
    sp_err err = {0};
    store *s = open_rw(seed & 1, &err);
    store_ws *ws = s ? store_workspace(s, "default", &err) : NULL;
    if (!ws) {
        fprintf(stderr, "child: %s\n", err.msg);
        _exit(3);
    }
    char pad[64];
    for (int64_t b = next;; b++) {
        store_txn *tx = store_txn_begin(ws, &err);
        int n = batch_rows(b);
        for (int r = 0; r < n; r++) {
            kql_value row[4] = {{.type = KQL_DATETIME}, {.type = KQL_LONG}, {.type = KQL_LONG}, {.type = KQL_STRING}};
            row[0].u.i = 1700000000LL * SP_TICKS_PER_SEC + b * SP_TICKS_PER_SEC + r;
            row[1].u.i = b;
            row[2].u.i = r;
            int k = snprintf(pad, sizeof pad, "pad-%lld-%d", (long long)(b % 97), r % 13);
            row[3].u.s = (sp_str){pad, (size_t)k};
            if (store_txn_append(tx, "Crash_CL", row, 4, &err) != 0 ||
                (r % 3 == 0 && store_txn_append(tx, "Crash2_CL", row, 4, &err) != 0)) {
                fprintf(stderr, "child append: %s\n", err.msg);
                _exit(4);
            }
        }
        if (store_txn_commit(tx, &err) != 0) {
            fprintf(stderr, "child commit: %s\n", err.msg);
            _exit(5);
        }
        if (write(fd, &b, sizeof b) != sizeof b) _exit(6);
        if (b % 7 == 0) store_compact(ws, &err);
    }
}

/* Counts rows per batch in one table; returns the highest batch seen. */
static int64_t count(store_ws *ws, const char *table, int *per, int64_t maxb, int *bad) {
    const kql_table *t = store_table(ws, table);
    int cols[2] = {1, 2};
    kql_scan_req req = {cols, 2, false, 0, 0};
    sp_err err = {0};
    kql_scan *s = t->ops->scan_begin(t, &req, &err);
    int64_t hi = -1;
    sp_arena a;
    sp_arena_init(&a, NULL);
    for (size_t p = 0; s && p < t->ops->scan_parts(s); p++) {
        kql_batch b;
        if (t->ops->scan_read(s, p, &a, &b, &err) != 0) {
            fprintf(stderr, "scan: %s\n", err.msg);
            (*bad)++;
            break;
        }
        for (size_t r = 0; r < b.nrows; r++) {
            int64_t bt = b.cols[0]->v.i64[r];
            if (bt < 0 || bt >= maxb) {
                (*bad)++;
                continue;
            }
            per[bt]++;
            if (bt > hi) hi = bt;
        }
    }
    sp_arena_free(&a);
    if (s) t->ops->scan_end(s);
    return hi;
}

static void test_crash(void) {
    const char *it = getenv("SP_CRASH_ITERS");
    int iters = it ? atoi(it) : 20;
    const char *ms = getenv("SP_CRASH_MAX_MS");
    int max_ms = ms && atoi(ms) > 0 ? atoi(ms) : 120;
    snprintf(g_dir, sizeof g_dir, "/tmp/sp-crash-XXXXXX");
    if (!mkdtemp(g_dir)) abort();
    sp_err err = {0};
    store *s = open_rw(false, &err);
    store_ws *ws = store_workspace(s, "default", &err);
    store_create_table(ws, "Crash_CL", COLS, 4, &err);
    store_create_table(ws, "Crash2_CL", COLS, 4, &err);
    store_close(s);
    unsigned seed = (unsigned)time(NULL);
    const char *sd = getenv("SP_CRASH_SEED");
    if (sd) seed = (unsigned)atoi(sd);
    srand(seed);
    int64_t next = 0, acked_total = 0;
    enum { MAXB = 200000 };
    int *per = calloc(MAXB, sizeof *per), *per2 = calloc(MAXB, sizeof *per2);
    int kills = 0, failures_before = t_failures;
    for (int i = 0; i < iters; i++) {
        int p[2];
        if (pipe(p) != 0) abort();
        pid_t pid = fork();
        if (pid == 0) {
            close(p[0]);
            child(p[1], next, (unsigned)rand());
        }
        close(p[1]);
        /* let it run from 0 to SP_CRASH_MAX_MS (120 ms): kills land in opens and recovery,
         * appends, commits, checkpoints and compactions */
        usleep((useconds_t)(rand() % (max_ms * 1000)));
        kill(pid, SIGKILL);
        int st;
        waitpid(pid, &st, 0);
        if (!(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)) {
            fprintf(stderr, "crash: child ended by itself (status %d)\n", st);
            t_failures++;
        } else {
            kills++;
        }
        int64_t acked = next - 1, b;
        while (read(p[0], &b, sizeof b) == sizeof b) acked = b;
        close(p[0]);
        /* reopen: read-only first (no recovery actions), as a reader would */
        store_options ro = {.readonly = true, .schemas_path = "data/schemas/tables.json"};
        s = store_open(g_dir, &ro, &err);
        ws = store_workspace(s, "default", &err);
        if (!ws) {
            fprintf(stderr, "crash %d (seed %u): reopen failed: %s\n", i, seed, err.msg);
            t_failures++;
            store_close(s);
            break;
        }
        memset(per, 0, MAXB * sizeof *per);
        memset(per2, 0, MAXB * sizeof *per2);
        int bad = 0;
        int64_t hi = count(ws, "Crash_CL", per, MAXB, &bad);
        count(ws, "Crash2_CL", per2, MAXB, &bad);
        store_close(s);
        /* every acknowledged batch whole, at most the one in flight beyond, nothing half */
        for (int64_t k = 0; k <= SP_MAX(hi, acked) && k < MAXB; k++) {
            int want = batch_rows(k), want2 = (want + 2) / 3;
            bool present = per[k] != 0;
            if (k <= acked && !present) bad++, fprintf(stderr, "crash %d: acked batch %lld lost\n", i, (long long)k);
            if (present && (per[k] != want || per2[k] != want2))
                bad++, fprintf(stderr, "crash %d: batch %lld has %d+%d rows, want %d+%d\n", i, (long long)k, per[k], per2[k], want, want2);
            if (!present && per2[k]) bad++, fprintf(stderr, "crash %d: batch %lld half visible\n", i, (long long)k);
            if (k > acked + 1 && present) bad++, fprintf(stderr, "crash %d: batch %lld never sent\n", i, (long long)k);
        }
        if (bad) {
            fprintf(stderr, "crash test: seed %u, iteration %d: %d problems\n", seed, i, bad);
            t_failures++;
            break;
        }
        acked_total = acked + 1;
        next = hi + 1;
        if (next >= MAXB - 20000) break;
    }
    printf("crash test: %d kills, %lld batches acknowledged, %s (seed %u)\n", kills, (long long)acked_total,
           t_failures == failures_before ? "every acknowledged batch present once, none partial" : "FAILED", seed);
    t_checks += kills;
    free(per);
    free(per2);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", g_dir);
}

TEST_MAIN(test_crash)
