/* Unit tests of the regular-expression functions (fn_regex.c): extract,
 * extract_all, replace_regex/replace, indexof_regex, extractjson. */
#include "fn_harness.h"

static void test_extract(void) {
    CHECK_EQ_STR(H("extract", V_S("x=([0-9.]+)"), V_L(1), V_S("hello x=45.6|wo")), "45.6");
    CHECK_EQ_STR(H("extract", V_S("(\\d+)"), V_L(1), V_S("abc123def")), "123");
    CHECK_EQ_STR(H("extract", V_S("user=(\\w+)"), V_L(1), V_S("id=7 user=bob")), "bob");
    CHECK_EQ_STR(H("extract", V_S("\\d+x"), V_L(0), V_S("ab12xy")), "12x");
    CHECK_EQ_STR(H("extract", V_S("(\\d+)"), V_L(1), V_S("none")), "");
    CHECK_EQ_STR(H("extract", V_S("^.{2,2}(.{4,4})"), V_L(1), V_S("abcdefgh")), "cdef");
    /* typed: converted, or null when the text does not convert */
    CHECK_EQ_STR(H("extract", V_S("port=(\\d+)"), V_L(1), V_S("port=443"), V_TYPE(KQL_LONG)), "443");
    CHECK(HT("extract", V_S("port=(\\d+)"), V_L(1), V_S("port=443"), V_TYPE(KQL_LONG)) == KQL_LONG);
    CHECK_EQ_STR(H("extract", V_S("Duration=([0-9.]+)"), V_L(1), V_S("A=1, Duration=123.45, x"), V_TYPE(KQL_REAL)),
                 "123.45");
    CHECK_EQ_STR(H("extract", V_S("v=(\\w+)"), V_L(1), V_S("v=abc"), V_TYPE(KQL_LONG)), "null");
    CHECK_EQ_STR(H("extract", V_S("(\\d+)"), V_L(1), V_S("none"), V_TYPE(KQL_LONG)), "null");
    CHECK_EQ_STR(H("extract", V_S("t=(\\S+)"), V_L(1), V_S("t=2024-01-15T10:00:00Z"), V_TYPE(KQL_DATETIME)),
                 "2024-01-15T10:00:00Z");
    /* an optional group that did not take part */
    CHECK_EQ_STR(H("extract", V_S("a(b)?c"), V_L(1), V_S("ac")), "");
    /* errors found when binding */
    CHECK_EQ_STR(H("extract", V_S("(\\d+"), V_L(1), V_S("x")), "ERROR:bad_regex");
    CHECK_EQ_STR(H("extract", V_S("(\\d+)"), V_L(2), V_S("x")), "ERROR:bad_argument");
    /* Unicode text */
    CHECK_EQ_STR(H("extract", V_S("name=(\\w+)"), V_L(1), V_S("caf\xc3\xa9 name=z")), "z");
    CHECK_EQ_STR(H("extract", V_S("(.)$"), V_L(1), V_S("caf\xc3\xa9")), "\xc3\xa9");
    /* `$` matches only at the very end (RE2), not before a final newline */
    CHECK_EQ_STR(H("extract", V_S("(a)$"), V_L(1), V_S("a\n")), "");
    /* invalid UTF-8 in the text is tolerated */
    CHECK_EQ_STR(H("extract", V_S("(b+)"), V_L(1), V_SN("\xff" "bb\xfe", 4)), "bb");
}

static void test_extract_all(void) {
    CHECK_EQ_STR(H("extract_all", V_S("(\\d+)"), V_S("a set of numbers: 123, 567 and 789")), "[\"123\",\"567\",\"789\"]");
    CHECK_EQ_STR(H("extract_all", V_S("([\\da-f]{2})"), V_S("82b8be2d")), "[\"82\",\"b8\",\"be\",\"2d\"]");
    CHECK_EQ_STR(H("extract_all", V_S("(\\w)(\\w+)(\\w)"), V_S("82b8be2d-dfa7-4bd1-8f63-24ad26d31449")),
                 "[[\"8\",\"2b8be2\",\"d\"],[\"d\",\"fa\",\"7\"],[\"4\",\"bd\",\"1\"],[\"8\",\"f6\",\"3\"],"
                 "[\"2\",\"4ad26d3144\",\"9\"]]");
    CHECK_EQ_STR(H("extract_all", V_S("(\\w)(\\w+)(\\w)"), V_D("[1,3]"), V_S("82b8be2d-dfa7-4bd1-8f63-24ad26d31449")),
                 "[[\"8\",\"d\"],[\"d\",\"7\"],[\"4\",\"1\"],[\"8\",\"3\"],[\"2\",\"9\"]]");
    CHECK_EQ_STR(H("extract_all", V_S("(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)"), V_D("[\"first\",2,\"last\"]"),
                   V_S("82b8be2d-dfa7")),
                 "[[\"8\",\"2b8be2\",\"d\"],[\"d\",\"fa\",\"7\"]]");
    CHECK_EQ_STR(H("extract_all", V_S("(\\w)=(\\d)"), V_S("a=1, b=2")), "[[\"a\",\"1\"],[\"b\",\"2\"]]");
    CHECK_EQ_STR(H("extract_all", V_S("(\\d)"), V_S("abc")), "null");
    CHECK_EQ_STR(H("extract_all", V_S("\\d"), V_S("a1")), "ERROR:bad_regex");
    CHECK_EQ_STR(H("extract_all", V_S("(\\d)"), V_D("[2]"), V_S("a1")), "ERROR:bad_argument");
    CHECK_EQ_STR(H("extractall", V_S("(\\d+)"), V_S("1 22")), "[\"1\",\"22\"]");
}

static void test_replace(void) {
    CHECK_EQ_STR(H("replace_regex", V_S("a1b22c"), V_S("\\d+"), V_S("#")), "a#b#c");
    CHECK_EQ_STR(H("replace_regex", V_S("key=value"), V_S("(\\w+)=(\\w+)"), V_S("\\2=\\1")), "value=key");
    CHECK_EQ_STR(H("replace_regex", V_S("abc"), V_S("x"), V_S("y")), "abc");
    CHECK_EQ_STR(H("replace_regex", V_S("abc"), V_S("b"), V_S("[\\0]")), "a[b]c");
    CHECK_EQ_STR(H("replace_regex", V_S("abc"), V_S("x*"), V_S("-")), "-a-b-c-");
    CHECK_EQ_STR(H("replace_regex", V_S("Number is 42"), V_S("is (\\d+)"), V_S("was: \\1")), "Number was: 42");
    CHECK_EQ_STR(H("replace_regex", V_S("x"), V_S("("), V_S("y")), "ERROR:bad_regex");
    CHECK_EQ_STR(H("replace", V_S("\\d"), V_S("N"), V_S("a1b2")), "aNbN");
    CHECK_EQ_STR(H("replace", V_S("is (\\d+)"), V_S("was: \\1"), V_S("Number is 42")), "Number was: 42");
}

static void test_indexof_regex(void) {
    CHECK_EQ_STR(H("indexof_regex", V_S("abcabc"), V_S("a.c")), "0");
    CHECK_EQ_STR(H("indexof_regex", V_S("abcabc"), V_S("a.c"), V_L(1), V_L(10)), "3");
    CHECK_EQ_STR(H("indexof_regex", V_S("abcabc"), V_S("a.c"), V_L(1), V_L(3)), "-1");
    CHECK_EQ_STR(H("indexof_regex", V_S("abcabc"), V_S("x")), "-1");
    CHECK_EQ_STR(H("indexof_regex", V_S("abcabc"), V_S("a"), V_L(-1)), "null");
}

static void test_extractjson(void) {
    const char *doc = "{\"hosts\":[{\"AvailableMB\":10},{\"AvailableMB\":20,\"n\":\"x\"}],\"a\":{\"b\":true}}";
    CHECK_EQ_STR(H("extractjson", V_S("$.hosts[1].AvailableMB"), V_S(doc)), "20");
    CHECK_EQ_STR(H("extractjson", V_S("$['hosts'][1]['AvailableMB']"), V_S(doc)), "20");
    CHECK_EQ_STR(H("extractjson", V_S("$.hosts[1].AvailableMB"), V_S(doc), V_TYPE(KQL_INT)), "20");
    CHECK(HT("extractjson", V_S("$.hosts[1].AvailableMB"), V_S(doc), V_TYPE(KQL_INT)) == KQL_INT);
    CHECK_EQ_STR(H("extractjson", V_S("$.hosts[1].n"), V_S(doc)), "x");
    CHECK_EQ_STR(H("extractjson", V_S("$.a"), V_S(doc)), "{\"b\":true}");
    CHECK_EQ_STR(H("extractjson", V_S("$.hosts[-1].AvailableMB"), V_S(doc)), "20");
    CHECK_EQ_STR(H("extractjson", V_S("$.missing"), V_S(doc)), "");
    CHECK_EQ_STR(H("extractjson", V_S("$.a"), V_S("not json")), "");
    CHECK_EQ_STR(H("extractjson", V_S("hosts"), V_S(doc)), "ERROR:bad_argument");
    CHECK_EQ_STR(H("extract_json", V_S("$.a.b"), V_S(doc)), "true");
}

static void test_limits(void) {
    /* catastrophic backtracking hits the match limit and fails the query */
    char text[64];
    memset(text, 'a', 40);
    text[40] = '!';
    text[41] = 0;
    CHECK_EQ_STR(H("extract", V_S("((a+)+)+$"), V_L(1), V_S(text)), "FAIL:limit_regex");
    /* non-constant patterns compile at run time; a bad one fails the query */
    h_call_t *h = calloc(1, sizeof *h);
    kql_value args[3] = {V_S("(x)"), V_L(1), V_S("x")};
    CHECK(h_bind(h, "extract", args, 3));
    h->call.aux = NULL;
    args[0] = V_S("(x");
    kql_value out;
    h_eval_row(h, args, 3, &out);
    CHECK(kql_failed(&h_q));
    CHECK_EQ_STR(h_q.err.code, "bad_regex");
    sp_err_clear(&h_q.err);
    h_q.failed = 0;
    free(h);
}

static void run(void) {
    h_begin();
    test_extract();
    test_extract_all();
    test_replace();
    test_indexof_regex();
    test_extractjson();
    test_limits();
    h_end();
}

TEST_MAIN(run)
