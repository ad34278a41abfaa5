/* Unit tests of the conversion functions (fn_convert.c). */
#include "fn_harness.h"

static void test_tolong_toint(void) {
    CHECK_EQ_STR(H("toint", V_S("123")), "123");
    CHECK_EQ_STR(H("tolong", V_S("-5")), "-5");
    CHECK_EQ_STR(H("toint", V_S("abc")), "null");
    CHECK_EQ_STR(H("tolong", V_S("")), "null");
    CHECK_EQ_STR(H("toint", V_S("1 2")), "null");
    CHECK_EQ_STR(H("toint", V_R(2.7)), "2");
    CHECK_EQ_STR(H("toint", V_R(-2.7)), "-2");
    CHECK_EQ_STR(H("tolong", V_R(9.99)), "9");
    CHECK_EQ_STR(H("tolong", V_B(true)), "1");
    CHECK_EQ_STR(H("toint", V_B(false)), "0");
    CHECK_EQ_STR(H("tolong", V_S("12.7")), "12");
    CHECK_EQ_STR(H("tolong", V_D("{\"i\":7}")), "null");
    CHECK_EQ_STR(H("tolong", V_D("7")), "7");
    CHECK_EQ_STR(H("tolong", V_D("\"9\"")), "9");
    CHECK_EQ_STR(H("tolong", V_R(NAN)), "null");
    CHECK_EQ_STR(H("toint", V_L(3000000000LL)), "null");
    CHECK_EQ_STR(H("toint", V_L(-2147483648LL)), "-2147483648");
    CHECK_EQ_STR(H("tolong", V_NULL(KQL_LONG)), "null");
    /* datetimes give .NET ticks (100 ns since 0001-01-01); timespans their ticks */
    CHECK_EQ_STR(H("tolong", V_DT("1970-01-01")), "621355968000000000");
    CHECK_EQ_STR(H("tolong", V_TS("00:00:01")), "10000000");
    CHECK(HT("toint", V_S("1")) == KQL_INT);
    CHECK(HT("tolong", V_S("1")) == KQL_LONG);
}

static void test_toreal(void) {
    CHECK_EQ_STR(H("toreal", V_S("1.5")), "1.5");
    CHECK_EQ_STR(H("todouble", V_S("1e2")), "100");
    CHECK_EQ_STR(H("toreal", V_L(3)), "3");
    CHECK_EQ_STR(H("todouble", V_S("x")), "null");
    CHECK_EQ_STR(H("toreal", V_S("NaN")), "NaN");
    CHECK_EQ_STR(H("toreal", V_S("-Infinity")), "-Infinity");
    CHECK_EQ_STR(H("toreal", V_D("2.5")), "2.5");
    CHECK_EQ_STR(H("todecimal", V_S("1.25")), "1.25");
    CHECK_EQ_STR(H("todecimal", V_L(3)), "3");
    CHECK(HT("todecimal", V_L(3)) == KQL_DECIMAL);
    CHECK(HT("todouble", V_L(3)) == KQL_REAL);
}

static void test_tobool(void) {
    CHECK_EQ_STR(H("tobool", V_S("true")), "true");
    CHECK_EQ_STR(H("tobool", V_S("false")), "false");
    CHECK_EQ_STR(H("tobool", V_S("TRUE")), "true");
    CHECK_EQ_STR(H("tobool", V_L(1)), "true");
    CHECK_EQ_STR(H("tobool", V_L(0)), "false");
    CHECK_EQ_STR(H("tobool", V_L(-3)), "true");
    CHECK_EQ_STR(H("tobool", V_S("maybe")), "null");
    CHECK_EQ_STR(H("toboolean", V_D("true")), "true");
    CHECK_EQ_STR(H("tobool", V_S("")), "null");
}

static void test_toguid(void) {
    CHECK_EQ_STR(H("toguid", V_S("74be27de-1e4e-49d9-b579-fe0b331d3642")), "74be27de-1e4e-49d9-b579-fe0b331d3642");
    CHECK_EQ_STR(H("toguid", V_S("74BE27DE1E4E49D9B579FE0B331D3642")), "74be27de-1e4e-49d9-b579-fe0b331d3642");
    CHECK_EQ_STR(H("toguid", V_S("nope")), "null");
    CHECK_EQ_STR(H("toguid", V_S("74be27de-1e4e-49d9-b579-fe0b331d364")), "null");
    CHECK(HT("toguid", V_S("x")) == KQL_GUID);
}

static void test_parse_json(void) {
    CHECK_EQ_STR(H("parse_json", V_S("{\"a\": 1, \"b\": [true, null]}")), "{\"a\":1,\"b\":[true,null]}");
    CHECK_EQ_STR(H("parsejson", V_S("[1,2]")), "[1,2]");
    CHECK_EQ_STR(H("todynamic", V_S("{\"k\":\"v\"}")), "{\"k\":\"v\"}");
    /* text that is not JSON becomes a dynamic string */
    CHECK_EQ_STR(H("parse_json", V_S("not json")), "\"not json\"");
    CHECK_EQ_STR(H("parse_json", V_S("\"abc\"")), "\"abc\"");
    CHECK_EQ_STR(H("parse_json", V_S("42")), "42");
    CHECK_EQ_STR(H("parse_json", V_S("{\"a\":")), "\"{\\\"a\\\":\"");
    CHECK_EQ_STR(H("parse_json", V_S("")), "null");
    CHECK_EQ_STR(H("parse_json", V_S("null")), "null");
    /* a dynamic argument is returned as is */
    CHECK_EQ_STR(H("parse_json", V_D("{\"x\":1}")), "{\"x\":1}");
    CHECK_EQ_STR(H("parse_json", V_D("\"[1]\"")), "\"[1]\"");
    /* Unicode escapes decode to UTF-8 */
    CHECK_EQ_STR(H("parse_json", V_S("[\"\\u00e9\"]")), "[\"\xc3\xa9\"]");
    /* deep nesting is capped: the text stays a string */
    char deep[1200];
    memset(deep, '[', 600);
    memset(deep + 600, ']', 600);
    kql_value dv = V_SN(deep, 1200);
    const char *r = H("parse_json", dv);
    CHECK(r[0] == '"');
}

static void test_tohex(void) {
    CHECK_EQ_STR(H("tohex", V_L(256)), "100");
    CHECK_EQ_STR(H("tohex", V_L(-546)), "fffffffffffffdde");
    CHECK_EQ_STR(H("tohex", V_L(48879), V_L(8)), "0000beef");
    CHECK_EQ_STR(H("tohex", V_L(255)), "ff");
    CHECK_EQ_STR(H("tohex", V_I(-1)), "ffffffff");
    CHECK_EQ_STR(H("tohex", V_L(0)), "0");
}

static void run(void) {
    h_begin();
    test_tolong_toint();
    test_toreal();
    test_tobool();
    test_toguid();
    test_parse_json();
    test_tohex();
    h_end();
}

TEST_MAIN(run)
