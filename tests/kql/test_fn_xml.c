/* Unit tests of parse_xml (fn_xml.c), following the documented mapping. */
#include "fn_harness.h"

static const char *X(const char *xml) { return H("parse_xml", V_S(xml)); }

static void test_mapping(void) {
    CHECK_EQ_STR(X("<e/>"), "{\"e\":null}");
    CHECK_EQ_STR(X("<e>text</e>"), "{\"e\":\"text\"}");
    CHECK_EQ_STR(X("<e name=\"value\" />"), "{\"e\":{\"@name\":\"value\"}}");
    CHECK_EQ_STR(X("<e name=\"value\">text</e>"), "{\"e\":{\"@name\":\"value\",\"#text\":\"text\"}}");
    CHECK_EQ_STR(X("<e> <a>text</a> <b>text</b> </e>"), "{\"e\":{\"a\":\"text\",\"b\":\"text\"}}");
    CHECK_EQ_STR(X("<e> <a>text</a> <a>text</a> </e>"), "{\"e\":{\"a\":[\"text\",\"text\"]}}");
    CHECK_EQ_STR(X("<e> text <a>text</a> </e>"), "{\"e\":{\"#text\":\"text\",\"a\":\"text\"}}");
}

static void test_documented_example(void) {
    CHECK_EQ_STR(X("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<duration>\n    <value>118.0</value>\n"
                   "    <count>5.0</count>\n    <min>100.0</min>\n    <max>150.0</max>\n    <stdDev>0.0</stdDev>\n"
                   "    <sampledValue>118.0</sampledValue>\n    <sum>118.0</sum>\n</duration>\n"),
                 "{\"duration\":{\"value\":118,\"count\":5,\"min\":100,\"max\":150,\"stdDev\":0,\"sampledValue\":118,"
                 "\"sum\":118}}");
}

static void test_windows_event(void) {
    CHECK_EQ_STR(X("<EventData><Data Name=\"TargetUserName\">alice</Data><Data Name=\"LogonType\">3</Data>"
                   "<Data Name=\"Status\">0x0</Data></EventData>"),
                 "{\"EventData\":{\"Data\":[{\"@Name\":\"TargetUserName\",\"#text\":\"alice\"},"
                 "{\"@Name\":\"LogonType\",\"#text\":3},{\"@Name\":\"Status\",\"#text\":\"0x0\"}]}}");
}

static void test_text_details(void) {
    CHECK_EQ_STR(X("<a>x &amp; y &lt;z&gt; &#65;&#x42;</a>"), "{\"a\":\"x & y <z> AB\"}");
    CHECK_EQ_STR(X("<a><![CDATA[<b>raw</b>]]></a>"), "{\"a\":\"<b>raw</b>\"}");
    CHECK_EQ_STR(X("<a><!-- note -->v</a>"), "{\"a\":\"v\"}");
    CHECK_EQ_STR(X("<a>007</a>"), "{\"a\":\"007\"}");
    CHECK_EQ_STR(X("<a>-12</a>"), "{\"a\":-12}");
    CHECK_EQ_STR(X("<!DOCTYPE a [<!ENTITY x \"boom\">]><a>&x;</a>"), "{\"a\":\"&x;\"}");
    CHECK_EQ_STR(X("<ns:a xmlns:ns=\"u\">1</ns:a>"), "{\"ns:a\":{\"@xmlns:ns\":\"u\",\"#text\":1}}");
}

static void test_invalid(void) {
    CHECK_EQ_STR(X("not xml"), "null");
    CHECK_EQ_STR(X("<a><b></a>"), "null");
    CHECK_EQ_STR(X("<a>"), "null");
    CHECK_EQ_STR(X("<a x=1/>"), "null");
    CHECK_EQ_STR(X("<a/><b/>"), "null");
    CHECK_EQ_STR(X(""), "null");
    /* nesting beyond 128 levels */
    static char deep[2000];
    size_t k = 0;
    for (int i = 0; i < 200; i++) deep[k++] = '<', deep[k++] = 'a', deep[k++] = '>';
    deep[k] = 0;
    CHECK_EQ_STR(X(deep), "null");
}

static void run(void) {
    h_begin();
    test_mapping();
    test_documented_example();
    test_windows_event();
    test_text_details();
    test_invalid();
    h_end();
}

TEST_MAIN(run)
