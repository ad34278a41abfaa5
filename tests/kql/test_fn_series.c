/* Unit tests of the series functions (fn_series.c). */
#include "fn_harness.h"

static void test_elementwise(void) {
    CHECK_EQ_STR(H("series_add", V_D("[1,2,3]"), V_D("[10,20,30]")), "[11,22,33]");
    CHECK_EQ_STR(H("series_subtract", V_D("[1,2,3]"), V_L(1)), "[0,1,2]");
    CHECK_EQ_STR(H("series_multiply", V_L(10), V_D("[1,-1,0]")), "[10,-10,0]");
    CHECK_EQ_STR(H("series_divide", V_D("[1,2]"), V_D("[2,0]")), "[0.5,null]");
    CHECK_EQ_STR(H("series_add", V_D("[1,null,3]"), V_D("[1,1]")), "[2,null,null]");
    CHECK_EQ_STR(H("series_greater", V_D("[1,5,3]"), V_L(2)), "[false,true,true]");
    CHECK_EQ_STR(H("series_abs", V_D("[-1,2.5,null]")), "[1,2.5,null]");
    CHECK_EQ_STR(H("series_add", V_L(1), V_L(2)), "null");
    CHECK_EQ_STR(H("series_sum", V_D("[1,2,null,3.5]")), "6.5");
}

static void test_fills(void) {
    CHECK_EQ_STR(H("series_fill_forward", V_D("[null,1,null,null,4,null]")), "[null,1,1,1,4,4]");
    CHECK_EQ_STR(H("series_fill_backward", V_D("[null,1,null,null,4,null]")), "[1,1,4,4,4,null]");
    CHECK_EQ_STR(H("series_fill_const", V_D("[null,1,null]"), V_L(0)), "[0,1,0]");
    CHECK_EQ_STR(H("series_fill_linear", V_D("[null,1,null,null,4,null]")), "[1,1,2,3,4,4]");
    CHECK_EQ_STR(H("series_fill_linear", V_D("[1,-1,3]"), V_L(-1)), "[1,2,3]");
    CHECK_EQ_STR(H("series_fill_forward", V_D("[1,0,2]"), V_L(0)), "[1,1,2]");
}

static void test_stats_fit(void) {
    h_call_t *hs = calloc(1, sizeof *hs);
    kql_value sv = V_D("[4,2,8,6]");
    CHECK(h_bind(hs, "series_stats", &sv, 1));
    kql_value so;
    h_eval_row(hs, &sv, 1, &so);
    CHECK(so.u.d && so.u.d->n == 7);
    CHECK_NEAR(so.u.d->u.items[0].u.r, 2, 0);
    CHECK_EQ_INT(so.u.d->u.items[1].u.i, 1);
    CHECK_NEAR(so.u.d->u.items[2].u.r, 8, 0);
    CHECK_EQ_INT(so.u.d->u.items[3].u.i, 2);
    CHECK_NEAR(so.u.d->u.items[4].u.r, 5, 1e-12);
    CHECK_NEAR(so.u.d->u.items[6].u.r, 20.0 / 3, 1e-12);        /* (1 + 9 + 9 + 1) / 3 */
    CHECK_NEAR(so.u.d->u.items[5].u.r, sqrt(20.0 / 3), 1e-12);
    free(hs);
    CHECK_EQ_STR(H("series_stats_dynamic", V_D("[1]")),
                 "{\"min\":1,\"min_idx\":0,\"max\":1,\"max_idx\":0,\"avg\":1,\"stdev\":0,\"variance\":0}");
    /* the documentation's example: 0.982, 2.730, 98.628, 1.686, -1.666, line starting at 1.064 */
    kql_value y = V_D("[2,5,6,8,11,15,17,18,25,26,30,30]");
    h_call_t *h = calloc(1, sizeof *h);
    CHECK(h_bind(h, "series_fit_line", &y, 1));
    kql_value out;
    h_eval_row(h, &y, 1, &out);
    const kql_dyn *t = out.u.d;
    CHECK(t && t->kind == KQL_DYN_ARRAY && t->n == 6);
    CHECK_NEAR(t->u.items[0].u.r, 0.982, 0.001);
    CHECK_NEAR(t->u.items[1].u.r, 2.730, 0.001);
    CHECK_NEAR(t->u.items[2].u.r, 98.628, 0.001);
    CHECK_NEAR(t->u.items[3].u.r, 1.686, 0.001);
    CHECK_NEAR(t->u.items[4].u.r, -1.666, 0.001);
    CHECK_NEAR(t->u.items[5].u.items[0].u.r, 1.064, 0.001);
    CHECK_NEAR(t->u.items[5].u.items[11].u.r, 31.102, 0.001);
    free(h);
    /* two lines: a rise then a flat run splits where the slope changes */
    h = calloc(1, sizeof *h);
    kql_value y2 = V_D("[1,2,3,4,5,5,5,5,5,5]");
    CHECK(h_bind(h, "series_fit_2lines", &y2, 1));
    h_eval_row(h, &y2, 1, &out);
    CHECK(out.u.d && out.u.d->n == 15);
    CHECK_NEAR(out.u.d->u.items[0].u.r, 1.0, 1e-9);
    CHECK(out.u.d->u.items[1].u.i == 4 || out.u.d->u.items[1].u.i == 5);
    free(h);
    CHECK_NEAR(atof(H("series_pearson_correlation", V_D("[1,2,3]"), V_D("[2,4,6]"))), 1.0, 1e-12);
}

static void test_outliers(void) {
    /* 1..10 and 100: tukey quartiles 3.5 and 8.5 (linear between ranks), range 5;
     * 1 scores (1-3.5)/5, 9 scores (9-8.5)/5, 100 scores (100-8.5)/5 */
    CHECK_EQ_STR(H("series_outliers", V_D("[1,2,3,4,5,6,7,8,9,10,100]"), V_S("tukey")),
                 "[-0.5,-0.3,-0.1,0,0,0,0,0,0.1,0.3,18.3]");
    /* ctukey 10/90 over 8 values: P10 = -40 + 0.7*49 = -5.7, P90 = 10.3; -40 scores (-40+5.7)/16 */
    h_call_t *ho = calloc(1, sizeof *ho);
    kql_value ov = V_D("[10,10,11,10,9,10,-40,10]");
    CHECK(h_bind(ho, "series_outliers", &ov, 1));
    kql_value oo;
    h_eval_row(ho, &ov, 1, &oo);
    CHECK_NEAR(oo.u.d->u.items[6].u.r, (-40 + 5.7) / 16, 1e-9);
    CHECK_NEAR(oo.u.d->u.items[2].u.r, (11 - 10.3) / 16, 1e-9);
    CHECK_NEAR(oo.u.d->u.items[4].u.r, 0, 0);
    free(ho);
}

static void test_decompose(void) {
    /* a period-4 pattern six times, with a spike at index 10 */
    const char *ys = "[1,2,3,4,1,2,3,4,1,2,40,4,1,2,3,4,1,2,3,4,1,2,3,4]";
    kql_value y = V_D(ys);
    h_call_t *h = calloc(1, sizeof *h);
    CHECK(h_bind(h, "series_decompose_anomalies", &y, 1));
    kql_value out;
    h_eval_row(h, &y, 1, &out);
    const kql_dyn *t = out.u.d;
    CHECK(t && t->n == 3);
    const kql_dyn *flag = &t->u.items[0], *base = &t->u.items[2];
    int flagged = 0;
    for (uint32_t i = 0; i < flag->n; i++) flagged += flag->u.items[i].u.i != 0;
    CHECK_EQ_INT(flagged, 1);
    CHECK_EQ_INT(flag->u.items[10].u.i, 1);
    /* seasonal medians 1,2,3,4 plus the mean of the deseasonalized points (37/24) */
    CHECK_NEAR(base->u.items[0].u.r, 1 + 37.0 / 24, 1e-9);
    CHECK_NEAR(base->u.items[3].u.r, 4 + 37.0 / 24, 1e-9);
    free(h);
    /* explicit period and no trend: baseline is the seasonal medians */
    h = calloc(1, sizeof *h);
    kql_value args[3] = {V_D(ys), V_L(4), V_S("none")};
    CHECK(h_bind(h, "series_decompose", args, 3));
    h_eval_row(h, args, 3, &out);
    CHECK(out.u.d && out.u.d->n == 4);
    CHECK_NEAR(out.u.d->u.items[0].u.items[10].u.r, 3, 1e-9);
    CHECK_NEAR(out.u.d->u.items[3].u.items[10].u.r, 37, 1e-9);
    free(h);
    CHECK(strncmp(H("series_periods_detect", V_D(ys), V_L(2), V_L(10), V_L(1)), "[[4],", 5) == 0);
}

static void run(void) {
    h_begin();
    test_elementwise();
    test_fills();
    test_stats_fit();
    test_outliers();
    test_decompose();
    h_end();
}

TEST_MAIN(run)
