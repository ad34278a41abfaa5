/* Unit tests of the miscellaneous functions (fn_misc.c). */
#include "fn_harness.h"

static void test_gettype(void) {
    CHECK_EQ_STR(H("gettype", V_L(1)), "long");
    CHECK_EQ_STR(H("gettype", V_I(1)), "int");
    CHECK_EQ_STR(H("gettype", V_R(1.5)), "real");
    CHECK_EQ_STR(H("gettype", V_S("s")), "string");
    CHECK_EQ_STR(H("gettype", V_B(true)), "bool");
    CHECK_EQ_STR(H("gettype", V_DT("2024-01-15")), "datetime");
    CHECK_EQ_STR(H("gettype", V_TS("00:00:01")), "timespan");
    CHECK_EQ_STR(H("gettype", V_G("74be27de-1e4e-49d9-b579-fe0b331d3642")), "guid");
    CHECK_EQ_STR(H("gettype", V_NULL(KQL_LONG)), "long");
    /* inside dynamic values (the documentation's examples) */
    CHECK_EQ_STR(H("gettype", V_D("1")), "int");
    CHECK_EQ_STR(H("gettype", V_D("\"abc\"")), "string");
    CHECK_EQ_STR(H("gettype", V_D("{\"abc\":1}")), "dictionary");
    CHECK_EQ_STR(H("gettype", V_D("[1,2,3]")), "array");
    CHECK_EQ_STR(H("gettype", V_D("null")), "null");
    CHECK_EQ_STR(H("gettype", V_D("123.45")), "real");
    CHECK_EQ_STR(H("gettype", V_D("12345678901")), "long");
}

static void test_new_guid(void) {
    char a[64], b[64];
    snprintf(a, sizeof a, "%s", H0("new_guid"));
    snprintf(b, sizeof b, "%s", H0("new_guid"));
    CHECK_EQ_INT(strlen(a), 36);
    CHECK(strcmp(a, b) != 0);
    CHECK(a[14] == '4');                               /* version 4 */
    CHECK(strchr("89ab", a[19]) != NULL);              /* RFC 4122 variant */
    CHECK(h_type("new_guid", NULL, 0) == KQL_GUID);
}

static void test_sizes_versions(void) {
    CHECK_EQ_STR(H("estimate_data_size", V_S("abc"), V_L(1), V_B(true)), "12");
    CHECK_EQ_STR(H("estimate_data_size", V_D("[1,2]")), "5");
    CHECK_EQ_STR(H("parse_version", V_S("0.0.1.5")), "100000005");
    CHECK_EQ_STR(H("parse_version", V_S("0.0.7")), "700000000");
    double v12 = atof(H("parse_version", V_S("1.2"))), v110 = atof(H("parse_version", V_S("1.10")));
    CHECK(v110 > v12);
    CHECK(atof(H("parse_version", V_S("1.2.0.0"))) == v12);
    CHECK_EQ_STR(H("parse_version", V_S("1.x")), "null");
    CHECK_EQ_STR(H("parse_version", V_S("")), "null");
    CHECK_EQ_STR(H("format_bytes", V_L(564)), "564 Bytes");
    CHECK_EQ_STR(H("format_bytes", V_L(10332), V_L(1)), "10.1 KB");
    CHECK_EQ_STR(H("format_bytes", V_L(20010332)), "19 MB");
    CHECK_EQ_STR(H("format_bytes", V_L(20010332), V_L(2)), "19.08 MB");
    CHECK_EQ_STR(H("format_bytes", V_L(20010332), V_L(0), V_S("KB")), "19541 KB");
}

static void run(void) {
    h_begin();
    test_gettype();
    test_new_guid();
    test_sizes_versions();
    h_end();
}

TEST_MAIN(run)
