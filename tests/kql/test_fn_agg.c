/* Unit tests of the aggregates (fn_agg.c, fn_agg_sets.c, fn_agg_stats.c,
 * hll.c): values, nulls, groups, thread merges, result types. */
#include "fn_harness.h"

/* Runs an aggregate over rows assigned to groups; each row is nargs values.
 * Rows go through two partial state arrays (as two threads would) that are
 * then merged. Group g's result lands in out[g]. */
static void agg_groups(const char *name, size_t nargs, size_t nrows, const kql_value *rows, const uint32_t *gids,
                       size_t ngroups, char out[][512]) {
    h_call_t *h = calloc(1, sizeof *h);
    if (!h_bind(h, name, rows, nargs)) {
        for (size_t g = 0; g < ngroups; g++) snprintf(out[g], 512, "ERROR:%s", h_err.code);
        free(h);
        return;
    }
    const kql_aggdef *ad = h->fn->agg;
    kql_aggctx c = {.q = &h_q, .arena = &h_q.arena, .call = &h->call};
    char *parts[2];
    for (int p = 0; p < 2; p++) parts[p] = sp_arena_zalloc(&h_q.arena, ad->state_size * ngroups + 1);
    size_t half = nrows / 2;
    for (int p = 0; p < 2; p++) {
        size_t r0 = p ? half : 0, r1 = p ? nrows : half, m = r1 - r0;
        if (!m) continue;
        kql_col *cols[16];
        for (size_t a = 0; a < nargs; a++) {
            cols[a] = kql_col_new(&h_q.arena, rows[a].type, m);
            for (size_t r = r0; r < r1; r++) kql_col_set(&h_q.arena, cols[a], r - r0, &rows[r * nargs + a]);
        }
        ad->update(&c, parts[p], gids + r0, cols, nargs, m);
    }
    for (size_t g = 0; g < ngroups; g++) {
        ad->merge(&c, parts[0] + g * ad->state_size, parts[1] + g * ad->state_size);
        kql_value v = {.type = h->type};
        ad->final(&c, parts[0] + g * ad->state_size, &v, 1);
        h_render(&v, out[g], 512);
    }
    free(h);
}

/* nout outputs of one group (percentiles, take_any of several columns) */
static void agg_multi(const char *name, size_t nargs, size_t nrows, const kql_value *rows, size_t nout,
                      char out[][H_OUTCAP]) {
    h_agg_rows(name, nargs, nrows, rows, nout, out);
}

static void test_count(void) {
    CHECK_EQ_STR(h_agg("count", 0, 3, NULL), "3");
    CHECK_EQ_STR(HA("countif", 1, V_B(true), V_B(false), V_B(true), V_NULL(KQL_BOOL)), "2");
    CHECK_EQ_STR(HA("count", 1, V_B(true), V_B(false)), "1");
    CHECK_EQ_STR(h_agg("count", 0, 0, NULL), "0");
    uint32_t gids[5] = {0, 1, 0, 2, 0};
    kql_value rows[5] = {V_B(true), V_B(true), V_B(false), V_B(true), V_B(true)};
    char out[3][512];
    agg_groups("countif", 1, 5, rows, gids, 3, out);
    CHECK_EQ_STR(out[0], "2");
    CHECK_EQ_STR(out[1], "1");
    CHECK_EQ_STR(out[2], "1");
}

static void test_sum_avg(void) {
    CHECK_EQ_STR(HA("sum", 1, V_L(1), V_L(5), V_L(7)), "13");
    CHECK(HT("sum", V_I(1)) == KQL_LONG);
    CHECK(HT("sum", V_R(1)) == KQL_REAL);
    CHECK(HT("sum", V_TS("01:00:00")) == KQL_TIMESPAN);
    CHECK_EQ_STR(HA("sum", 1, V_R(0.5), V_R(0.25)), "0.75");
    CHECK_EQ_STR(HA("sum", 1, V_NULL(KQL_REAL), V_R(5)), "5");
    CHECK_EQ_STR(HA("sum", 1, V_NULL(KQL_LONG), V_NULL(KQL_LONG)), "null");
    CHECK_EQ_STR(HA("sum", 1, V_TS("01:00:00"), V_TS("00:30:00")), "01:30:00");
    CHECK_EQ_STR(HA("sum", 1, V_I(2), V_I(3)), "5");
    CHECK_EQ_STR(HA("sumif", 2, V_L(1), V_B(true), V_L(5), V_B(false), V_L(7), V_B(true)), "8");
    CHECK_EQ_STR(HA("sum", 1, V_S("x")), "ERROR:type_mismatch");
    CHECK_EQ_STR(HA("avg", 1, V_L(1), V_L(3)), "2");
    CHECK(HT("avg", V_L(1)) == KQL_REAL);
    CHECK(HT("avg", V_TS("00:01:00")) == KQL_TIMESPAN);
    CHECK_EQ_STR(HA("avg", 1, V_TS("00:01:00"), V_TS("00:03:00")), "00:02:00");
    CHECK_EQ_STR(HA("avg", 1, V_NULL(KQL_REAL), V_R(5)), "5");
    CHECK_EQ_STR(HA("avg", 1, V_NULL(KQL_REAL)), "null");
    CHECK_EQ_STR(HA("avgif", 2, V_L(1), V_B(true), V_L(5), V_B(false), V_L(7), V_B(true), V_L(9), V_B(false)), "4");
    CHECK_EQ_STR(HA("avg", 1, V_DT("2024-01-01"), V_DT("2024-01-03")), "2024-01-02T00:00:00Z");
}

static void test_min_max(void) {
    CHECK_EQ_STR(HA("min", 1, V_NULL(KQL_LONG), V_L(4), V_L(2)), "2");
    CHECK_EQ_STR(HA("max", 1, V_NULL(KQL_LONG), V_L(4), V_L(2)), "4");
    CHECK_EQ_STR(HA("min", 1, V_S("beta"), V_S("alpha"), V_S("gamma")), "alpha");
    CHECK_EQ_STR(HA("max", 1, V_S("beta"), V_S("alpha"), V_S("gamma")), "gamma");
    CHECK_EQ_STR(HA("max", 1, V_DT("2024-01-01"), V_DT("2024-03-01"), V_DT("2024-02-01")), "2024-03-01T00:00:00Z");
    CHECK_EQ_STR(HA("min", 1, V_R(2.5), V_R(NAN), V_R(-1)), "-1");
    CHECK_EQ_STR(HA("minif", 2, V_L(1), V_B(false), V_L(5), V_B(true), V_L(9), V_B(true)), "5");
    CHECK_EQ_STR(HA("maxif", 2, V_L(1), V_B(true), V_L(5), V_B(false), V_L(7), V_B(true)), "7");
    CHECK_EQ_STR(HA("max", 1, V_NULL(KQL_LONG)), "null");
    CHECK_EQ_STR(HA("max", 1, V_D("1"), V_D("3"), V_D("2")), "3");
    CHECK(HT("min", V_S("a")) == KQL_STRING);
    /* per group, across the two partial states */
    uint32_t gids[6] = {0, 1, 0, 1, 0, 1};
    kql_value rows[6] = {V_L(5), V_L(50), V_L(3), V_L(70), V_L(9), V_L(60)};
    char out[2][512];
    agg_groups("max", 1, 6, rows, gids, 2, out);
    CHECK_EQ_STR(out[0], "9");
    CHECK_EQ_STR(out[1], "70");
    agg_groups("min", 1, 6, rows, gids, 2, out);
    CHECK_EQ_STR(out[0], "3");
    CHECK_EQ_STR(out[1], "50");
}

static void test_take_any(void) {
    CHECK_EQ_STR(HA("take_any", 1, V_L(7), V_L(7)), "7");
    CHECK_EQ_STR(HA("take_any", 1, V_NULL(KQL_LONG), V_L(3)), "3");
    CHECK_EQ_STR(HA("take_any", 1, V_S(""), V_S("x")), "x");
    CHECK_EQ_STR(HA("any", 1, V_L(3)), "3");
    CHECK_EQ_STR(HA("take_anyif", 2, V_L(1), V_B(false), V_L(2), V_B(true)), "2");
    /* several arguments come from one record */
    static char out[2][H_OUTCAP];
    kql_value rows[4] = {V_L(1), V_S("x"), V_L(1), V_S("x")};
    agg_multi("take_any", 2, 2, rows, 2, out);
    CHECK_EQ_STR(out[0], "1");
    CHECK_EQ_STR(out[1], "x");
}

static void test_sets(void) {
    CHECK_EQ_STR(HA("make_set", 1, V_S("a"), V_S("a")), "[\"a\"]");
    CHECK_EQ_STR(HA("makeset", 1, V_S("a"), V_S("a")), "[\"a\"]");
    CHECK_EQ_STR(HA("make_set", 1, V_NULL(KQL_LONG), V_L(1), V_NULL(KQL_LONG)), "[1]");
    CHECK_EQ_STR(HA("make_list", 1, V_L(4)), "[4]");
    CHECK_EQ_STR(HA("makelist", 1, V_S("a"), V_S("a")), "[\"a\",\"a\"]");
    CHECK_EQ_STR(HA("make_list", 1, V_NULL(KQL_LONG), V_L(2)), "[2]");
    CHECK_EQ_STR(HA("make_list_with_nulls", 1, V_NULL(KQL_LONG), V_L(2)), "[null,2]");
    CHECK_EQ_STR(HA("make_set", 2, V_L(1), V_L(2), V_L(2), V_L(2), V_L(3), V_L(2), V_L(4), V_L(2)), "[1,2]");
    CHECK_EQ_STR(HA("make_set_if", 2, V_S("a"), V_B(true), V_S("b"), V_B(false), V_S("a"), V_B(true)), "[\"a\"]");
    CHECK_EQ_STR(HA("make_list_if", 2, V_L(1), V_B(false), V_L(5), V_B(true), V_L(9), V_B(true)), "[5,9]");
    /* dynamic arrays contribute their items */
    CHECK_EQ_STR(HA("make_set", 1, V_D("[\"a\",\"b\"]"), V_D("[\"b\",\"c\"]")), "[\"a\",\"b\",\"c\"]");
    CHECK_EQ_STR(HA("make_list", 1, V_D("[1,2]"), V_D("[3]")), "[1,2,3]");
    /* numbers equal across long and real are one element */
    CHECK_EQ_STR(HA("make_set", 1, V_D("1"), V_D("1.0")), "[1]");
    CHECK_EQ_STR(HA("make_bag", 1, V_D("{\"a\":1}"), V_D("{\"b\":2}")), "{\"a\":1,\"b\":2}");
    CHECK_EQ_STR(HA("make_bag", 1, V_D("{\"a\":1}"), V_D("{\"a\":2}"), V_D("[1]"), V_D("\"x\"")), "{\"a\":1}");
    CHECK_EQ_STR(HA("make_bag_if", 2, V_D("{\"a\":1}"), V_B(false), V_D("{\"b\":2}"), V_B(true)), "{\"b\":2}");
    CHECK_EQ_STR(HA("make_bag", 2, V_D("{\"a\":1,\"b\":2,\"c\":3}"), V_L(2)), "{\"a\":1,\"b\":2}");
    CHECK_EQ_STR(HA("count_distinct", 1, V_S("a"), V_S("b"), V_S("a"), V_NULL(KQL_STRING)), "3");
    CHECK_EQ_STR(HA("count_distinct", 1, V_L(1), V_NULL(KQL_LONG), V_L(1)), "1");
    CHECK_EQ_STR(HA("count_distinctif", 2, V_L(1), V_B(true), V_L(2), V_B(false), V_L(3), V_B(true)), "2");
    /* a large set: strings are copied, and merge keeps one of each */
    enum { N = 3000 };
    kql_value *rows = calloc(N, sizeof(kql_value));
    for (int i = 0; i < N; i++) {
        char t[16];
        snprintf(t, sizeof t, "u%d", i % 1000);
        rows[i] = V_S(t);
    }
    const char *r = h_agg("make_set", 1, N, rows);
    int commas = 0;
    for (const char *p = r; *p; p++) commas += *p == ',';
    CHECK_EQ_INT(commas, 999);
    CHECK_EQ_STR(h_agg("count_distinct", 1, N, rows), "1000");
    free(rows);
    /* the old makeset keeps at most 128 items by default */
    kql_value many[300];
    for (int i = 0; i < 300; i++) many[i] = V_L(i);
    r = h_agg("makeset", 1, 300, many);
    commas = 0;
    for (const char *p = r; *p; p++) commas += *p == ',';
    CHECK_EQ_INT(commas, 127);
}

static void test_stats(void) {
    CHECK_NEAR(atof(HA("stdev", 1, V_L(1), V_L(2), V_L(3), V_L(4), V_L(5))), 1.5811388300841898, 1e-12);
    CHECK_NEAR(atof(HA("variance", 1, V_L(1), V_L(2), V_L(3), V_L(4), V_L(5))), 2.5, 1e-12);
    CHECK_NEAR(atof(HA("variancep", 1, V_L(1), V_L(2), V_L(3), V_L(4), V_L(5))), 2.0, 1e-12);
    CHECK_NEAR(atof(HA("stdevp", 1, V_L(1), V_L(2), V_L(3), V_L(4), V_L(5))), sqrt(2.0), 1e-12);
    CHECK_EQ_STR(HA("stdev", 1, V_L(7)), "0");
    CHECK_EQ_STR(HA("stdev", 1, V_NULL(KQL_LONG)), "null");
    CHECK_NEAR(atof(HA("varianceif", 2, V_L(1), V_B(true), V_L(100), V_B(false), V_L(3), V_B(true))), 2.0, 1e-12);
    /* nearest-rank percentiles over 1..10 */
    kql_value r10[20];
    for (int i = 0; i < 10; i++) r10[2 * i] = V_L(i + 1), r10[2 * i + 1] = V_L(50);
    CHECK_EQ_STR(h_agg("percentile", 2, 10, r10), "5");
    for (int i = 0; i < 10; i++) r10[2 * i + 1] = V_L(0);
    CHECK_EQ_STR(h_agg("percentile", 2, 10, r10), "1");
    for (int i = 0; i < 10; i++) r10[2 * i + 1] = V_L(100);
    CHECK_EQ_STR(h_agg("percentile", 2, 10, r10), "10");
    for (int i = 0; i < 10; i++) r10[2 * i + 1] = V_R(95);
    CHECK_EQ_STR(h_agg("percentile", 2, 10, r10), "10");
    for (int i = 0; i < 10; i++) r10[2 * i + 1] = V_R(25);
    CHECK_EQ_STR(h_agg("percentile", 2, 10, r10), "3");
    CHECK(HT("percentile", V_I(1), V_L(50)) == KQL_LONG);
    CHECK(HT("percentile", V_R(1), V_L(50)) == KQL_REAL);
    CHECK(HT("percentile", V_TS("01:00:00"), V_L(50)) == KQL_TIMESPAN);
    CHECK_EQ_STR(HA("percentile", 2, V_R(1.5), V_L(100), V_R(2.5), V_L(100)), "2.5");
    CHECK_EQ_STR(HA("percentile", 2, V_L(1), V_L(101)), "ERROR:bad_argument");
    CHECK_EQ_STR(HA("percentile", 2, V_DT("2024-01-02"), V_L(50), V_DT("2024-01-01"), V_L(50)), "2024-01-01T00:00:00Z");
    /* percentiles(x, 0, 50, 100) : three outputs */
    kql_value r4[16];
    for (int i = 0; i < 4; i++) r4[4 * i] = V_L(10 * (i + 1)), r4[4 * i + 1] = V_L(0), r4[4 * i + 2] = V_L(50), r4[4 * i + 3] = V_L(100);
    static char out3[3][H_OUTCAP];
    agg_multi("percentiles", 4, 4, r4, 3, out3);
    CHECK_EQ_STR(out3[0], "10");
    CHECK_EQ_STR(out3[1], "20");
    CHECK_EQ_STR(out3[2], "40");
    kql_value ra[4] = {V_L(1), V_D("[0,100]"), V_L(2), V_D("[0,100]")};
    CHECK_EQ_STR(h_agg("percentiles_array", 2, 2, ra), "[1,2]");
    /* weighted: 1 x3, 5 x1 -> the 50th percentile is 1, the 90th is 5 */
    kql_value rw[6] = {V_L(1), V_L(3), V_R(90), V_L(5), V_L(1), V_R(90)};
    CHECK_EQ_STR(h_agg("percentilew", 3, 2, rw), "5");
    rw[2] = rw[5] = V_R(50);
    CHECK_EQ_STR(h_agg("percentilew", 3, 2, rw), "1");
}

static void test_dcount(void) {
    CHECK_EQ_STR(HA("dcount", 1, V_S("a"), V_S("b"), V_S("a"), V_S("c"), V_S("b")), "3");
    CHECK_EQ_STR(HA("dcount", 1, V_S("Admin"), V_S("admin"), V_S("ADMIN")), "3");
    CHECK_EQ_STR(HA("dcount", 1, V_L(1), V_NULL(KQL_LONG), V_L(2), V_NULL(KQL_LONG)), "2");
    CHECK_EQ_STR(HA("dcount", 2, V_S("a"), V_L(0), V_S("b"), V_L(0), V_S("c"), V_L(0), V_S("a"), V_L(0)), "3");
    CHECK_EQ_STR(HA("dcount", 2, V_S("a"), V_L(4), V_S("b"), V_L(4)), "2");
    CHECK_EQ_STR(HA("dcount", 2, V_S("a"), V_L(5)), "ERROR:bad_argument");
    CHECK_EQ_STR(HA("dcountif", 2, V_S("a"), V_B(true), V_S("a"), V_B(true), V_S("b"), V_B(true), V_S("c"), V_B(false)),
                 "2");
    CHECK_EQ_STR(HA("dcount", 1, V_DT("2024-01-01"), V_DT("2024-01-01"), V_DT("2024-01-02")), "2");
    /* exact while sparse: 2000 distinct values at the default level */
    enum { N = 2000 };
    kql_value *rows = calloc(N * 2, sizeof(kql_value));
    for (int i = 0; i < N * 2; i++) rows[i] = V_L(i % N);
    CHECK_EQ_STR(h_agg("dcount", 1, N * 2, rows), "2000");
    free(rows);
    /* estimated once dense: 100000 distinct values within 3 sigma (2.4%) */
    enum { M = 100000 };
    rows = calloc(M, sizeof(kql_value));
    for (int i = 0; i < M; i++) rows[i] = V_L(i * 7919);
    double est = atof(h_agg("dcount", 1, M, rows));
    CHECK(fabs(est - M) / M < 0.024);
    free(rows);
}

static void test_hll(void) {
    kql_value rows[4] = {V_S("a"), V_S("b"), V_S("a"), V_S("c")};
    static char sketch[H_OUTCAP];
    snprintf(sketch, sizeof sketch, "%s", h_agg("hll", 1, 4, rows));
    CHECK(strncmp(sketch, "[[2048,14],[", 12) == 0);
    CHECK_EQ_STR(H("dcount_hll", V_D(sketch)), "3");
    /* hll_merge as an aggregate and as a scalar */
    kql_value r2[2] = {V_S("b"), V_S("d")};
    static char sk2[H_OUTCAP];
    snprintf(sk2, sizeof sk2, "%s", h_agg("hll", 1, 2, r2));
    kql_value both[2] = {V_D(sketch), V_D(sk2)};
    static char merged[H_OUTCAP];
    snprintf(merged, sizeof merged, "%s", h_agg("hll_merge", 1, 2, both));
    CHECK_EQ_STR(H("dcount_hll", V_D(merged)), "4");
    snprintf(merged, sizeof merged, "%s", H("hll_merge", V_D(sketch), V_D(sk2)));
    CHECK_EQ_STR(H("dcount_hll", V_D(merged)), "4");
    /* invalid sketches */
    CHECK_EQ_STR(H("dcount_hll", V_D("[1,2,3]")), "null");
    CHECK_EQ_STR(H("dcount_hll", V_D("[[2048,30],[],[]]")), "null");
    CHECK_EQ_STR(H("dcount_hll", V_D("[[2048,14],[],\"AAAA\"]")), "null");
    /* a dense sketch round-trips through its text */
    enum { M = 20000 };
    kql_value *many = calloc(M, sizeof(kql_value));
    for (int i = 0; i < M; i++) many[i] = V_L(i);
    const char *big = h_agg("hll", 1, M, many);
    CHECK(strstr(big, "[[2048,14],[],\"") == big);
    double est = atof(H("dcount_hll", V_D(big)));
    CHECK(fabs(est - M) / M < 0.024);
    free(many);
}

static void run(void) {
    h_begin();
    test_count();
    test_sum_avg();
    test_min_max();
    test_take_any();
    test_sets();
    test_stats();
    test_dcount();
    test_hll();
    h_end();
}

TEST_MAIN(run)
