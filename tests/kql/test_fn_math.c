/* Unit tests of the math functions (fn_math.c). */
#include "fn_harness.h"

static void test_abs_round(void) {
    CHECK_EQ_STR(H("abs", V_L(-5)), "5");
    CHECK_EQ_STR(H("abs", V_R(-2.5)), "2.5");
    CHECK_EQ_STR(H("abs", V_TS("-01:00:00")), "01:00:00");
    CHECK_EQ_STR(H("abs", V_I(-3)), "3");
    CHECK(HT("abs", V_I(-3)) == KQL_LONG);
    CHECK(HT("abs", V_R(-3)) == KQL_REAL);
    CHECK(HT("abs", V_TS("-01:00:00")) == KQL_TIMESPAN);
    CHECK_EQ_STR(H("abs", V_L(INT64_MIN)), "null");
    CHECK_EQ_STR(H("round", V_R(2.15), V_L(1)), "2.2");
    CHECK_EQ_STR(H("round", V_R(2.15)), "2");
    CHECK_EQ_STR(H("round", V_R(-50.55), V_L(-2)), "-100");
    CHECK_EQ_STR(H("round", V_R(21.5), V_L(-1)), "20");
    CHECK_EQ_STR(H("round", V_R(2.6)), "3");
    CHECK_EQ_STR(H("round", V_R(-2.6)), "-3");
    CHECK_EQ_STR(H("round", V_R(2.5)), "3");
    CHECK_EQ_STR(H("round", V_R(1.23456), V_L(2)), "1.23");
    CHECK_EQ_STR(H("round", V_R(1234.5), V_L(-2)), "1200");
    CHECK_EQ_STR(H("round", V_L(7)), "7");
    CHECK(HT("round", V_L(7)) == KQL_LONG);
    CHECK(HT("round", V_R(7)) == KQL_REAL);
    CHECK_EQ_STR(H("round", V_L(1250), V_L(-2)), "1300");
    CHECK_EQ_STR(H("ceiling", V_R(2.1)), "3");
    CHECK_EQ_STR(H("ceiling", V_R(-2.1)), "-2");
    CHECK_EQ_STR(H("ceiling", V_L(4)), "4");
}

static void test_powers_logs(void) {
    CHECK_EQ_STR(H("pow", V_L(2), V_L(10)), "1024");
    CHECK_EQ_STR(H("sqrt", V_L(16)), "4");
    CHECK_EQ_STR(H("sqrt", V_L(-1)), "null");
    CHECK_EQ_STR(H("exp", V_L(0)), "1");
    CHECK_EQ_STR(H("log", V_R(M_E)), "1");
    CHECK_EQ_STR(H("log", V_L(-1)), "null");
    CHECK_EQ_STR(H("log", V_L(0)), "-Infinity");
    CHECK_EQ_STR(H("log2", V_L(8)), "3");
    CHECK_EQ_STR(H("log10", V_L(1000)), "3");
    CHECK_EQ_STR(H("exp2", V_L(3)), "8");
    CHECK_EQ_STR(H("exp10", V_L(2)), "100");
    CHECK_EQ_STR(H("pi"), "3.141592653589793");
    CHECK_EQ_STR(H("cos", V_L(0)), "1");
    CHECK_EQ_STR(H("sin", V_L(0)), "0");
    CHECK_EQ_STR(H("atan2", V_L(1), V_L(1)), "0.7853981633974483");
    CHECK_EQ_STR(H("degrees", V_R(M_PI)), "180");
    CHECK_EQ_STR(H("radians", V_L(180)), "3.141592653589793");
    CHECK_EQ_STR(H("sign", V_L(-4)), "-1");
    CHECK_EQ_STR(H("sign", V_L(0)), "0");
    CHECK_EQ_STR(H("sign", V_R(2.5)), "1");
    CHECK_EQ_STR(H("gamma", V_L(5)), "24");
    CHECK_EQ_STR(H("isnan", V_R(NAN)), "true");
    CHECK_EQ_STR(H("isnan", V_R(1.0)), "false");
    CHECK_EQ_STR(H("isinf", V_R(INFINITY)), "true");
    CHECK_EQ_STR(H("isfinite", V_R(1.5)), "true");
    CHECK_EQ_STR(H("isfinite", V_R(-INFINITY)), "false");
    CHECK_EQ_STR(H("isnan", V_NULL(KQL_REAL)), "null");
}

static void test_minmax_of(void) {
    CHECK_EQ_STR(H("max_of", V_L(3), V_L(9), V_L(1)), "9");
    CHECK_EQ_STR(H("min_of", V_L(3), V_L(9), V_L(1)), "1");
    CHECK_EQ_STR(H("max_of", V_DT("2024-01-01"), V_DT("2024-02-01")), "2024-02-01T00:00:00Z");
    CHECK(HT("max_of", V_DT("2024-01-01"), V_DT("2024-02-01")) == KQL_DATETIME);
    CHECK_EQ_STR(H("max_of", V_L(1), V_R(2.5)), "2.5");
    CHECK(HT("max_of", V_L(1), V_R(2.5)) == KQL_REAL);
    CHECK_EQ_STR(H("max_of", V_NULL(KQL_LONG), V_L(2)), "2");
    CHECK_EQ_STR(H("min_of", V_NULL(KQL_LONG), V_NULL(KQL_LONG)), "null");
    CHECK_EQ_STR(H("max_of", V_S("b"), V_S("a")), "b");
    CHECK_EQ_STR(H("max_of", V_L(1), V_S("a")), "ERROR:type_mismatch");
}

static void test_binary(void) {
    CHECK_EQ_STR(H("binary_and", V_L(12), V_L(10)), "8");
    CHECK_EQ_STR(H("binary_or", V_L(12), V_L(10)), "14");
    CHECK_EQ_STR(H("binary_xor", V_L(12), V_L(10)), "6");
    CHECK_EQ_STR(H("binary_shift_left", V_L(1), V_L(4)), "16");
    CHECK_EQ_STR(H("binary_shift_right", V_L(16), V_L(2)), "4");
    CHECK_EQ_STR(H("binary_not", V_L(0)), "-1");
    CHECK_EQ_STR(H("binary_shift_left", V_L(1), V_L(64)), "0");
    CHECK_EQ_STR(H("bitset_count_ones", V_L(42)), "3");
}

static void test_rand_hash(void) {
    for (int i = 0; i < 100; i++) {
        double r = atof(H("rand"));
        CHECK(r >= 0 && r < 1);
        double k = atof(H("rand", V_L(10)));
        CHECK(k >= 0 && k < 10 && k == floor(k));
    }
    /* the documentation's values (xxHash64 of the UTF-8 bytes) */
    CHECK_EQ_STR(H("hash", V_S("World")), "1846988464401551951");
    CHECK_EQ_STR(H("hash", V_S("World"), V_L(100)), "51");
    CHECK_EQ_STR(H("hash_xxhash64", V_S("World")), "1846988464401551951");
    /* xxHash64 of the empty input with seed 0 is 0xEF46DB3751D8E999 */
    CHECK_EQ_STR(H("hash", V_S("")), "-1205034819632174695");
    CHECK_EQ_STR(H("hash", V_L(5), V_L(0)), "null");
    CHECK_EQ_STR(H("hash", V_DT("2015-01-01")), "1380966698541616202");
    char h1[64], h2[64];
    snprintf(h1, sizeof h1, "%s", H("hash", V_L(1)));
    snprintf(h2, sizeof h2, "%s", H("hash", V_L(2)));
    CHECK(strcmp(h1, h2) != 0);
    snprintf(h1, sizeof h1, "%s", H("hash", V_L(7)));
    snprintf(h2, sizeof h2, "%s", H("hash", V_R(7.0)));
    CHECK_EQ_STR(h1, h2);
    CHECK(HT("hash", V_S("x")) == KQL_LONG);
}

static void test_around(void) {
    CHECK_EQ_STR(H("around", V_R(1.5), V_L(1), V_R(0.5)), "true");
    CHECK_EQ_STR(H("around", V_L(3), V_L(1), V_L(1)), "false");
    CHECK_EQ_STR(H("around", V_DT("2024-01-15 10:00"), V_DT("2024-01-15 10:30"), V_TS("01:00:00")), "true");
}

static void run(void) {
    h_begin();
    test_abs_round();
    test_powers_logs();
    test_minmax_of();
    test_binary();
    test_rand_hash();
    test_around();
    h_end();
}

TEST_MAIN(run)
