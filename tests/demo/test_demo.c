/* Unit tests for the demo generator's contracts: same seed same bytes, other
 * seed other bytes, every time inside [now-30d, now], stories fixed under scale, sinks. */
#include "secpilot/demo.h"
#include "../test.h"
#include "capture.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

static const double SCALE = 0.05;

static void test_determinism(void) {
    capture a, b, x;
    sp_buf ga, gb, gx;
    sp_buf_init(&ga, 0);
    sp_buf_init(&gb, 0);
    sp_buf_init(&gx, 0);
    cap_init(&a, NULL, NULL);
    cap_init(&b, NULL, NULL);
    cap_init(&x, NULL, NULL);
    CHECK_EQ_INT(cap_generate(&a, 42, SCALE, &ga), 0);
    CHECK_EQ_INT(cap_generate(&b, 42, SCALE, &gb), 0);
    CHECK_EQ_INT(cap_generate(&x, 43, SCALE, &gx), 0);
    /* same seed: the same rows, in the same order, byte for byte */
    CHECK(a.hash == b.hash);
    CHECK_EQ_INT(a.nt, b.nt);
    for (size_t i = 0; i < a.nt && i < b.nt; i++) {
        CHECK_EQ_STR(a.t[i].name, b.t[i].name);
        CHECK_EQ_INT(a.t[i].n, b.t[i].n);
        CHECK(a.t[i].hash == b.t[i].hash);
    }
    CHECK(ga.n == gb.n && memcmp(ga.p, gb.p, ga.n) == 0);
    /* another seed: other people, other times */
    CHECK(a.hash != x.hash);
    CHECK(!(ga.n == gx.n && memcmp(ga.p, gx.p, ga.n) == 0));
    /* every table the generator promises, non-empty */
    for (const char *const *t = demo_tables(); *t; t++) {
        cap_table *ct = cap_get(&a, *t);
        CHECK(ct && ct->n > 0);
        if (!ct || !ct->n) fprintf(stderr, "  empty table %s\n", *t);
    }
    cap_free(&a);
    cap_free(&b);
    cap_free(&x);
    sp_buf_free(&ga);
    sp_buf_free(&gb);
    sp_buf_free(&gx);
}

static void test_window(void) {
    capture a;
    cap_init(&a, NULL, NULL);
    CHECK_EQ_INT(cap_generate(&a, 7, SCALE, NULL), 0);
    int64_t now = cap_now();
    CHECK_EQ_INT(a.bad_time, 0);
    CHECK(a.tmax <= now);
    CHECK(a.tmin >= now - 30 * SP_TICKS_PER_DAY);
    /* the data reaches today and the start of the window */
    CHECK(a.tmax > now - SP_TICKS_PER_HOUR);
    CHECK(a.tmin < now - 29 * SP_TICKS_PER_DAY);
    cap_free(&a);
}

/* The stories do not depend on the background volume. */
static void test_scale_invariance(void) {
    capture a, b;
    sp_buf ga, gb;
    sp_buf_init(&ga, 0);
    sp_buf_init(&gb, 0);
    cap_init(&a, NULL, NULL);
    cap_init(&b, NULL, NULL);
    CHECK_EQ_INT(cap_generate(&a, 42, SCALE, &ga), 0);
    CHECK_EQ_INT(cap_generate(&b, 42, SCALE * 3, &gb), 0);
    const char *sa = strstr(ga.p, "\"stories\""), *sb = strstr(gb.p, "\"stories\"");
    CHECK(sa && sb);
    if (sa && sb) CHECK(strcmp(sa, sb) == 0);
    /* and more scale, more background rows */
    CHECK(b.t[0].n >= a.t[0].n);
    uint64_t na = 0, nb = 0;
    for (size_t i = 0; i < a.nt; i++) na += a.t[i].n;
    for (size_t i = 0; i < b.nt; i++) nb += b.t[i].n;
    CHECK(nb > na + na / 4);
    cap_free(&a);
    cap_free(&b);
    sp_buf_free(&ga);
    sp_buf_free(&gb);
}

/* The directory sink writes one .jsonl per table; the batching sink hands
 * every byte to its flush callback. */
typedef struct flushed {
    uint64_t bytes, lines, calls;
} flushed;

static int count_flush(void *ctx, const char *table, const char *p, size_t n) {
    flushed *f = ctx;
    (void)table;
    f->calls++;
    f->bytes += n;
    for (size_t i = 0; i < n; i++) f->lines += p[i] == '\n';
    return 0;
}

static void test_sinks(void) {
    char dir[] = "/tmp/secpilot-demo-test-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    sp_err err;
    sp_err_clear(&err);
    demo_dir_sink *ds = demo_dir_sink_open(dir, &err);
    CHECK(ds != NULL);
    demo_sink sink = demo_dir_sink_iface(ds);
    demo_options opt = {.seed = 3, .scale = SCALE, .now = cap_now()};
    demo_stats st;
    CHECK_EQ_INT(demo_generate(&opt, &sink, NULL, &st, &err), 0);
    CHECK_EQ_INT(demo_dir_sink_close(ds, &err), 0);
    uint64_t bytes = 0;
    for (size_t i = 0; i < st.ntables; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s.jsonl", dir, st.tables[i].table);
        struct stat sb;
        CHECK(stat(path, &sb) == 0);
        CHECK_EQ_INT((uint64_t)sb.st_size, st.tables[i].bytes);
        bytes += (uint64_t)sb.st_size;
        unlink(path);
    }
    CHECK_EQ_INT(bytes, st.bytes);
    rmdir(dir);

    flushed f = {0};
    demo_batch_sink *bs = demo_batch_sink_new(1 << 20, count_flush, &f);
    demo_sink bsink = demo_batch_sink_iface(bs);
    demo_stats st2;
    CHECK_EQ_INT(demo_generate(&opt, &bsink, NULL, &st2, &err), 0);
    demo_batch_sink_free(bs);
    CHECK_EQ_INT(f.bytes, st.bytes);
    CHECK_EQ_INT(f.lines, st.rows);
    CHECK(f.calls > st.ntables);
}

static void test_bad_options(void) {
    capture a;
    cap_init(&a, NULL, NULL);
    demo_options opt = {.seed = 1, .scale = -1};
    demo_sink sink = {.row = cap_row, .ctx = &a};
    sp_err err;
    sp_err_clear(&err);
    CHECK_EQ_INT(demo_generate(&opt, &sink, NULL, NULL, &err), -1);
    CHECK(err.kind == SP_ERR_USAGE);
    demo_options short_window = {.seed = 1, .days = 5};
    sp_err_clear(&err);
    CHECK_EQ_INT(demo_generate(&short_window, &sink, NULL, NULL, &err), -1);
    CHECK(err.kind == SP_ERR_USAGE);
    CHECK_EQ_INT(a.nt, 0);   /* nothing was written */
    cap_free(&a);
}

TEST_MAIN(test_determinism, test_window, test_scale_invariance, test_sinks, test_bad_options)
