/* Unit tests of the string functions (fn_string.c), with expectations worked
 * out from the KQL documentation's definitions and examples. */
#include "fn_harness.h"

static void test_strcat_delim(void) {
    CHECK_EQ_STR(H("strcat_delim", V_S("-"), V_S("a"), V_S("b"), V_L(1)), "a-b-1");
    CHECK_EQ_STR(H("strcat_delim", V_S(", "), V_S("x"), V_NULL(KQL_LONG), V_S("y")), "x, , y");
    CHECK_EQ_STR(H("strcat_delim", V_S(""), V_S("a"), V_S("b")), "ab");
    CHECK_EQ_STR(H("strcat_delim", V_S("|"), V_R(1.5), V_B(true)), "1.5|true");
}

static void test_strcat_array(void) {
    CHECK_EQ_STR(H("strcat_array", V_D("[\"a\",\"b\",\"c\"]"), V_S(",")), "a,b,c");
    CHECK_EQ_STR(H("strcat_array", V_D("[1,2.5,true]"), V_S("-")), "1-2.5-true");
    CHECK_EQ_STR(H("strcat_array", V_D("[]"), V_S(",")), "");
    CHECK_EQ_STR(H("strcat_array", V_D("[[1],{\"a\":1}]"), V_S(";")), "[1];{\"a\":1}");
    CHECK_EQ_STR(H("array_strcat", V_D("[\"x\"]"), V_S(",")), "x");
}

static void test_strcmp_strrep_size(void) {
    CHECK_EQ_STR(H("strcmp", V_S("abc"), V_S("abd")), "-1");
    CHECK_EQ_STR(H("strcmp", V_S("b"), V_S("a")), "1");
    CHECK_EQ_STR(H("strcmp", V_S("a"), V_S("a")), "0");
    CHECK_EQ_STR(H("strrep", V_S("ab"), V_L(3)), "ababab");
    CHECK_EQ_STR(H("strrep", V_S("ab"), V_L(2), V_S(",")), "ab,ab");
    CHECK_EQ_STR(H("strrep", V_S("x"), V_L(0)), "");
    CHECK_EQ_STR(H("strrep", V_L(7), V_L(2)), "77");
    /* the multiplier is capped at 1024 */
    CHECK_EQ_INT(strlen(H("strrep", V_S("a"), V_L(5000))), 1024);
    CHECK_EQ_STR(H("string_size", V_S("abc")), "3");
    CHECK_EQ_STR(H("string_size", V_S("\xc3\xa9")), "2"); /* é is two bytes */
    CHECK_EQ_STR(H("string_size", V_S("")), "0");
}

static void test_substring(void) {
    CHECK_EQ_STR(H("substring", V_S("123456"), V_L(1)), "23456");
    CHECK_EQ_STR(H("substring", V_S("123456"), V_L(2), V_L(2)), "34");
    CHECK_EQ_STR(H("substring", V_S("ABCD"), V_L(0), V_L(2)), "AB");
    CHECK_EQ_STR(H("substring", V_S("123456"), V_L(-2), V_L(2)), "56");
    CHECK_EQ_STR(H("substring", V_S("abc"), V_L(1), V_L(100)), "bc");
    CHECK_EQ_STR(H("substring", V_S("abc"), V_L(5)), "");
    CHECK_EQ_STR(H("substring", V_S("abc"), V_L(0), V_L(-1)), "");
    /* positions count characters, not bytes: "héllo" */
    CHECK_EQ_STR(H("substring", V_S("h\xc3\xa9llo"), V_L(1), V_L(2)), "\xc3\xa9l");
    CHECK_EQ_STR(H("substring", V_L(12345), V_L(1), V_L(2)), "23");
}

static void test_indexof(void) {
    /* the documentation's examples */
    CHECK_EQ_STR(H("indexof", V_S("abcdefg"), V_S("cde")), "2");
    CHECK_EQ_STR(H("indexof", V_S("abcdefg"), V_S("cde"), V_L(1), V_L(4)), "2");
    CHECK_EQ_STR(H("indexof", V_S("abcdefg"), V_S("cde"), V_L(1), V_L(2)), "-1");
    CHECK_EQ_STR(H("indexof", V_S("abcdefg"), V_S("cde"), V_L(3), V_L(4)), "-1");
    CHECK_EQ_STR(H("indexof", V_S("abcdefg"), V_S("cde"), V_L(-1)), "null");
    CHECK_EQ_STR(H("indexof", V_L(1234567), V_L(5), V_L(1), V_L(4)), "4");
    CHECK_EQ_STR(H("indexof", V_S("abcdefg"), V_S("cde"), V_L(2), V_L(-1)), "2");
    CHECK_EQ_STR(H("indexof", V_S("abcdefgabcdefg"), V_S("cde"), V_L(1), V_L(10), V_L(2)), "9");
    CHECK_EQ_STR(H("indexof", V_S("abcdefgabcdefg"), V_S("cde"), V_L(1), V_L(-1), V_L(3)), "-1");
    CHECK_EQ_STR(H("indexof", V_S("abc"), V_S("z")), "-1");
    CHECK_EQ_STR(H("indexof", V_S("abc"), V_S("b"), V_L(0), V_L(-2)), "null");
    CHECK_EQ_STR(H("indexof", V_S("abc"), V_S("b"), V_L(0), V_L(-1), V_L(0)), "null");
    /* an index in characters: "é" before "x" */
    CHECK_EQ_STR(H("indexof", V_S("\xc3\xa9x"), V_S("x")), "1");
}

static void test_split(void) {
    CHECK_EQ_STR(H("split", V_S("aa_bb"), V_S("_")), "[\"aa\",\"bb\"]");
    CHECK_EQ_STR(H("split", V_S("aaa_bbb_ccc"), V_S("_"), V_L(1)), "[\"bbb\"]");
    CHECK_EQ_STR(H("split", V_S(""), V_S("_")), "[\"\"]");
    CHECK_EQ_STR(H("split", V_S("a__b"), V_S("_")), "[\"a\",\"\",\"b\"]");
    CHECK_EQ_STR(H("split", V_S("aabbcc"), V_S("bb")), "[\"aa\",\"cc\"]");
    CHECK_EQ_STR(H("split", V_S("a_b"), V_S("_"), V_L(5)), "[]");
    CHECK_EQ_STR(H("split", V_S("a_b"), V_S("_"), V_L(-1)), "[]");
    CHECK_EQ_STR(H("split", V_S("abc"), V_S("")), "[\"abc\"]");
    CHECK_EQ_STR(H("split", V_S("x_"), V_S("_")), "[\"x\",\"\"]");
    CHECK_EQ_STR(H("split", V_S("CONTOSO\\alice"), V_S("\\")), "[\"CONTOSO\",\"alice\"]");
}

static void test_replace_string_reverse(void) {
    CHECK_EQ_STR(H("replace_string", V_S("abcabc"), V_S("b"), V_S("X")), "aXcaXc");
    CHECK_EQ_STR(H("replace_string", V_S("aaa"), V_S("aa"), V_S("b")), "ba");
    CHECK_EQ_STR(H("replace_string", V_S("abc"), V_S(""), V_S("x")), "abc");
    CHECK_EQ_STR(H("replace_string", V_S("A Magic Trick"), V_S("Magic"), V_S("Cool")), "A Cool Trick");
    CHECK_EQ_STR(H("reverse", V_S("abc")), "cba");
    CHECK_EQ_STR(H("reverse", V_S("")), "");
    CHECK_EQ_STR(H("reverse", V_S("a\xc3\xa9" "b")), "b\xc3\xa9" "a");
    CHECK_EQ_STR(H("reverse", V_L(123)), "321");
}

static void test_trim(void) {
    CHECK_EQ_STR(H("trim", V_S("--"), V_S("--https://bing.com--")), "https://bing.com");
    CHECK_EQ_STR(H("trim", V_S("[^\\w]+"), V_S("-  Te st1// $")), "Te st1");
    CHECK_EQ_STR(H("trim_start", V_S("[a]+"), V_S("aabaa")), "baa");
    CHECK_EQ_STR(H("trim_end", V_S("[a]+"), V_S("aabaa")), "aab");
    CHECK_EQ_STR(H("trim_start", V_S("\\s+"), V_S("  x ")), "x ");
    CHECK_EQ_STR(H("trim", V_S(" "), V_S("   x y   ")), "x y");
    CHECK_EQ_STR(H("trim", V_S("a"), V_S("aaaa")), "");
    CHECK_EQ_STR(H("trim", V_S("x"), V_S("")), "");
    CHECK_EQ_STR(H("trim", V_S("(unclosed"), V_S("x")), "ERROR:bad_regex");
}

static void test_countof(void) {
    CHECK_EQ_STR(H("countof", V_S("The cat sat on the mat"), V_S("at")), "3");
    CHECK_EQ_STR(H("countof", V_S("aaa"), V_S("a")), "3");
    CHECK_EQ_STR(H("countof", V_S("aaaa"), V_S("aa")), "3");
    CHECK_EQ_STR(H("countof", V_S("ababa"), V_S("ab"), V_S("normal")), "2");
    CHECK_EQ_STR(H("countof", V_S("ababa"), V_S("aba")), "2");
    CHECK_EQ_STR(H("countof", V_S("ababa"), V_S("aba"), V_S("regex")), "1");
    CHECK_EQ_STR(H("countof", V_S("abcabc"), V_S("a.c"), V_S("regex")), "2");
    CHECK_EQ_STR(H("countof", V_S("The cat sat on the mat"), V_S("\\b.at\\b"), V_S("regex")), "3");
    CHECK_EQ_STR(H("countof", V_S("abc"), V_S("")), "0");
    CHECK_EQ_STR(H("countof", V_S("abc"), V_S("b"), V_S("fuzzy")), "ERROR:bad_argument");
    CHECK_EQ_STR(H("countof", V_S("abc"), V_S("[b"), V_S("regex")), "ERROR:bad_regex");
}

static void test_translate(void) {
    CHECK_EQ_STR(H("translate", V_S("krasp"), V_S("otsku"), V_S("spark")), "kusto");
    CHECK_EQ_STR(H("translate", V_S("abc"), V_S(""), V_S("ab")), "");
    CHECK_EQ_STR(H("translate", V_S("abc"), V_S("x"), V_S("abc")), "xxx");
    CHECK_EQ_STR(H("translate", V_S("a"), V_S("\xc3\xa9"), V_S("banana")), "b\xc3\xa9n\xc3\xa9n\xc3\xa9");
    CHECK_EQ_STR(H("translate", V_S("xyz"), V_S("XYZ"), V_S("")), "");
}

static void test_codepoints(void) {
    CHECK_EQ_STR(H("unicode_codepoints_from_string", V_S("A\xc3\xa9")), "[65,233]");
    CHECK_EQ_STR(H("unicode_codepoints_from_string", V_S("")), "[]");
    CHECK_EQ_STR(H("make_string", V_L(75), V_L(117), V_L(115), V_L(116), V_L(111)), "Kusto");
    CHECK_EQ_STR(H("make_string", V_D("[75,117]"), V_L(115)), "Kus");
    CHECK_EQ_STR(H("unicode_codepoints_to_string", V_L(233)), "\xc3\xa9");
    CHECK_EQ_STR(H("to_utf8", V_S("\xc3\xa9")), "[195,169]");
    CHECK_EQ_STR(H("isascii", V_S("abc")), "true");
    CHECK_EQ_STR(H("isascii", V_S("\xc3\xa9")), "false");
    CHECK_EQ_STR(H("isutf8", V_S("\xc3\xa9")), "true");
    CHECK_EQ_STR(H("isutf8", V_SN("\xff\xfe", 2)), "false");
    CHECK_EQ_STR(H("regex_quote", V_S("a.b*c")), "a\\.b\\*c");
}

static void test_has_any_index(void) {
    CHECK_EQ_STR(H("has_any_index", V_S("this is an example"), V_D("[\"this\",\"example\"]")), "0");
    CHECK_EQ_STR(H("has_any_index", V_S("this is an example"), V_D("[\"not\",\"example\"]")), "1");
    CHECK_EQ_STR(H("has_any_index", V_S("this is an example"), V_D("[\"am\",\"exam\"]")), "-1");
    CHECK_EQ_STR(H("has_any_index", V_S("Failed from 10.1.1.5 port"), V_D("[\"10.1.1.5\"]")), "0");
    CHECK_EQ_STR(H("has_any_index", V_S("Failed from 10.1.1.50"), V_D("[\"10.1.1.5\"]")), "-1");
    CHECK_EQ_STR(H("has_any_index", V_S("ABC def"), V_D("[\"abc\"]")), "0");
}

static void test_parse_csv(void) {
    CHECK_EQ_STR(H("parse_csv", V_S("aa,\"b,b\",c")), "[\"aa\",\"b,b\",\"c\"]");
    CHECK_EQ_STR(H("parse_csv", V_S("a,\"say \"\"hi\"\"\",")), "[\"a\",\"say \\\"hi\\\"\",\"\"]");
    CHECK_EQ_STR(H("parse_csv", V_S("aa,\"b,b,b\",cc,\"Escaping quotes: \"\"Title\"\"\",\"line1\nline2\"")),
                 "[\"aa\",\"b,b,b\",\"cc\",\"Escaping quotes: \\\"Title\\\"\",\"line1\\nline2\"]");
    CHECK_EQ_STR(H("parse_csv", V_S("record1,a,b,c\nrecord2,x,y,z")), "[\"record1\",\"a\",\"b\",\"c\"]");
    CHECK_EQ_STR(H("parse_csv", V_S("")), "[\"\"]");
}

static void test_parse_command_line(void) {
    CHECK_EQ_STR(H("parse_command_line", V_S("echo \"hello world!\""), V_S("windows")), "[\"echo\",\"hello world!\"]");
    CHECK_EQ_STR(H("parse_command_line", V_S("\"C:\\Program Files\\x.exe\" -a  b"), V_S("Windows")),
                 "[\"C:\\\\Program Files\\\\x.exe\",\"-a\",\"b\"]");
    /* backslashes before a quote: 2n -> n and a quote toggle; 2n+1 -> n and a literal quote */
    CHECK_EQ_STR(H("parse_command_line", V_S("p a\\\\\"b c\" d\\\"e f\\g"), V_S("windows")),
                 "[\"p\",\"a\\\\b c\",\"d\\\"e\",\"f\\\\g\"]");
    CHECK_EQ_STR(H("parse_command_line", V_S(""), V_S("windows")), "[]");
    CHECK_EQ_STR(H("parse_command_line", V_S("x"), V_S("linux")), "ERROR:bad_argument");
}

static void test_nulls_and_types(void) {
    /* null arguments give null (strings: empty) unless the function takes them */
    CHECK_EQ_STR(H("substring", V_NULL(KQL_STRING), V_L(1)), "");
    CHECK_EQ_STR(H("indexof", V_S("abc"), V_S("b"), V_NULL(KQL_LONG)), "null");
    CHECK_EQ_STR(H("split", V_D("\"a,b\""), V_S(",")), "[\"a\",\"b\"]");
    CHECK(HT("split", V_S("a"), V_S(",")) == KQL_DYNAMIC);
    CHECK(HT("indexof", V_S("a"), V_S(",")) == KQL_LONG);
    CHECK(HT("trim", V_S("a"), V_S(",")) == KQL_STRING);
}

static void run(void) {
    h_begin();
    test_strcat_delim();
    test_strcat_array();
    test_strcmp_strrep_size();
    test_substring();
    test_indexof();
    test_split();
    test_replace_string_reverse();
    test_trim();
    test_countof();
    test_translate();
    test_codepoints();
    test_has_any_index();
    test_parse_csv();
    test_parse_command_line();
    test_nulls_and_types();
    h_end();
}

TEST_MAIN(run)
