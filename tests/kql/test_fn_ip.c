/* Unit tests of the IP address functions (fn_ip.c). */
#include "fn_harness.h"

static void test_private(void) {
    CHECK_EQ_STR(H("ipv4_is_private", V_S("192.168.1.1/24")), "true");
    CHECK_EQ_STR(H("ipv4_is_private", V_S("10.1.2.3/24")), "true");
    CHECK_EQ_STR(H("ipv4_is_private", V_S("202.1.2.3")), "false");
    CHECK_EQ_STR(H("ipv4_is_private", V_S("127.0.0.1")), "false");
    CHECK_EQ_STR(H("ipv4_is_private", V_S("172.16.0.1")), "true");
    CHECK_EQ_STR(H("ipv4_is_private", V_S("172.31.255.255")), "true");
    CHECK_EQ_STR(H("ipv4_is_private", V_S("172.32.0.1")), "false");
    CHECK_EQ_STR(H("ipv4_is_private", V_S("172.15.255.255")), "false");
    CHECK_EQ_STR(H("ipv4_is_private", V_S("not an ip")), "null");
    CHECK_EQ_STR(H("ipv4_is_private", V_S("256.1.1.1")), "null");
    CHECK_EQ_STR(H("ipv4_is_private", V_S("1.2.3")), "null");
    CHECK_EQ_STR(H("ipv4_is_private", V_S("1.2.3.4/33")), "null");
    CHECK_EQ_STR(H("ipv4_is_private", V_S("")), "null");
}

static void test_match_compare(void) {
    CHECK_EQ_STR(H("ipv4_is_match", V_S("127.0.0.1"), V_S("127.0.0.1")), "true");
    CHECK_EQ_STR(H("ipv4_is_match", V_S("192.168.1.1"), V_S("192.168.1.255")), "false");
    CHECK_EQ_STR(H("ipv4_is_match", V_S("192.168.1.1/24"), V_S("192.168.1.255/24")), "true");
    CHECK_EQ_STR(H("ipv4_is_match", V_S("192.168.1.1"), V_S("192.168.1.255"), V_L(24)), "true");
    CHECK_EQ_STR(H("ipv4_is_match", V_S("192.168.1.1/30"), V_S("192.168.1.255/24")), "true");
    CHECK_EQ_STR(H("ipv4_is_match", V_S("192.168.1.1"), V_S("192.168.1.0"), V_L(31)), "true");
    CHECK_EQ_STR(H("ipv4_is_match", V_S("abc"), V_S("1.2.3.4")), "null");
    CHECK_EQ_STR(H("ipv4_compare", V_S("127.0.0.1"), V_S("127.0.0.1")), "0");
    CHECK_EQ_STR(H("ipv4_compare", V_S("192.168.1.1"), V_S("192.168.1.255")), "-1");
    CHECK_EQ_STR(H("ipv4_compare", V_S("192.168.1.1/24"), V_S("192.168.1.255/24")), "0");
    CHECK_EQ_STR(H("ipv4_compare", V_S("192.168.1.1"), V_S("192.168.1.255"), V_L(24)), "0");
    CHECK_EQ_STR(H("ipv4_compare", V_S("10.0.0.2"), V_S("10.0.0.1")), "1");
    CHECK_EQ_STR(H("ipv4_compare", V_S("10.0.0.2"), V_S("10.0.0.1"), V_L(40)), "null");
}

static void test_ranges(void) {
    CHECK_EQ_STR(H("ipv4_is_in_range", V_S("192.168.1.6"), V_S("192.168.1.1/24")), "true");
    CHECK_EQ_STR(H("ipv4_is_in_range", V_S("192.168.2.1"), V_S("192.168.1.1/24")), "false");
    CHECK_EQ_STR(H("ipv4_is_in_range", V_S("10.1.2.3"), V_S("10.0.0.0/8")), "true");
    CHECK_EQ_STR(H("ipv4_is_in_range", V_S("10.1.2.3"), V_S("10.1.2.3")), "true");
    CHECK_EQ_STR(H("ipv4_is_in_range", V_S("10.1.2.3"), V_S("0.0.0.0/0")), "true");
    CHECK_EQ_STR(H("ipv4_is_in_any_range", V_S("192.168.1.6"), V_S("10.0.0.0/8"), V_S("192.168.1.0/24")), "true");
    CHECK_EQ_STR(H("ipv4_is_in_any_range", V_S("8.8.8.8"), V_D("[\"10.0.0.0/8\",\"192.168.0.0/16\"]")), "false");
    CHECK_EQ_STR(H("ipv4_is_in_any_range", V_S("192.168.3.4"), V_D("[\"10.0.0.0/8\",\"192.168.0.0/16\"]")), "true");
}

static void test_parse_format(void) {
    CHECK_EQ_STR(H("parse_ipv4", V_S("127.0.0.1")), "2130706433");
    CHECK_EQ_STR(H("parse_ipv4", V_S("192.168.1.1")), "3232235777");
    CHECK_EQ_STR(H("parse_ipv4", V_S("192.168.1.1/24")), "3232235776");
    CHECK_EQ_STR(H("parse_ipv4", V_S("bad")), "null");
    CHECK_EQ_STR(H("parse_ipv4", V_S(" 10.0.0.1 ")), "167772161");
    CHECK_EQ_STR(H("parse_ipv4_mask", V_S("127.0.0.1"), V_L(24)), "2130706432");
    CHECK_EQ_STR(H("parse_ipv4_mask", V_S("192.1.168.2"), V_L(31)), "3221334018");
    CHECK_EQ_STR(H("ipv4_netmask_suffix", V_S("192.168.1.0/24")), "24");
    CHECK_EQ_STR(H("ipv4_netmask_suffix", V_S("192.168.1.0")), "32");
    CHECK_EQ_STR(H("format_ipv4", V_S("192.168.1.255"), V_L(24)), "192.168.1.0");
    CHECK_EQ_STR(H("format_ipv4", V_L(3232236031LL), V_L(24)), "192.168.1.0");
    CHECK_EQ_STR(H("format_ipv4", V_L(3232236031LL)), "192.168.1.255");
    CHECK_EQ_STR(H("format_ipv4", V_S("abc")), "");
    CHECK_EQ_STR(H("format_ipv4_mask", V_S("192.168.1.255"), V_L(24)), "192.168.1.0/24");
    CHECK_EQ_STR(H("format_ipv4_mask", V_L(3232236031LL), V_L(24)), "192.168.1.0/24");
}

static void test_ipv6(void) {
    CHECK_EQ_STR(H("parse_ipv6", V_S("fe80::85d:e82c:9446:7994")), "fe80:0000:0000:0000:085d:e82c:9446:7994");
    CHECK_EQ_STR(H("parse_ipv6", V_S("fe80::85d:e82c:9446:7994/120")), "fe80:0000:0000:0000:085d:e82c:9446:7900");
    CHECK_EQ_STR(H("parse_ipv6", V_S("192.168.255.255")), "0000:0000:0000:0000:0000:ffff:c0a8:ffff");
    CHECK_EQ_STR(H("parse_ipv6", V_S("192.168.255.255/24")), "0000:0000:0000:0000:0000:ffff:c0a8:ff00");
    CHECK_EQ_STR(H("parse_ipv6", V_S("::ffff:c0a8:ff00/120")), "0000:0000:0000:0000:0000:ffff:c0a8:ff00");
    CHECK_EQ_STR(H("parse_ipv6", V_S("zz::1")), "");
    CHECK_EQ_STR(H("parse_ipv6_mask", V_S("fe80::85d:e82c:9446:7994"), V_L(120)),
                 "fe80:0000:0000:0000:085d:e82c:9446:7900");
    CHECK_EQ_STR(H("parse_ipv6_mask", V_S("192.168.255.255"), V_L(24)), "0000:0000:0000:0000:0000:ffff:c0a8:ff00");
    CHECK_EQ_STR(H("ipv6_compare", V_S("::ffff:7f00:1"), V_S("127.0.0.1")), "0");
    CHECK_EQ_STR(H("ipv6_compare", V_S("fe80::85d:e82c:9446:7994"), V_S("fe80::85d:e82c:9446:7995")), "-1");
    CHECK_EQ_STR(H("ipv6_compare", V_S("fe80::85d:e82c:9446:7994/127"), V_S("fe80::85d:e82c:9446:7995/127")), "0");
    CHECK_EQ_STR(H("ipv6_compare", V_S("fe80::85d:e82c:9446:7994"), V_S("fe80::85d:e82c:9446:7995"), V_L(127)), "0");
    CHECK_EQ_STR(H("ipv6_is_match", V_S("::ffff:7f00:1"), V_S("127.0.0.1")), "true");
    CHECK_EQ_STR(H("ipv6_is_match", V_S("fe80::85d:e82c:9446:7994"), V_S("fe80::85d:e82c:9446:7995")), "false");
    CHECK_EQ_STR(H("ipv6_is_match", V_S("192.168.1.1/24"), V_S("192.168.1.255/24")), "true");
    CHECK_EQ_STR(H("ipv6_is_in_range", V_S("2001:db8::1"), V_S("2001:db8::/32")), "true");
    CHECK_EQ_STR(H("ipv6_is_in_range", V_S("2001:db9::1"), V_S("2001:db8::/32")), "false");
}

static void test_in_text(void) {
    CHECK_EQ_STR(H("has_ipv4", V_S("Source is 10.1.2.3, dest 8.8.8.8"), V_S("10.1.2.3")), "true");
    CHECK_EQ_STR(H("has_ipv4", V_S("10.1.2.3.4"), V_S("10.1.2.3")), "false");
    CHECK_EQ_STR(H("has_ipv4", V_S("110.1.2.3"), V_S("10.1.2.3")), "false");
    CHECK_EQ_STR(H("has_ipv4", V_S("ip=10.1.2.3."), V_S("10.1.2.3")), "true");
    CHECK_EQ_STR(H("has_ipv4", V_S("host10.1.2.3"), V_S("10.1.2.3")), "false");
    CHECK_EQ_STR(H("has_ipv4", V_S("10.1.2.3"), V_S("bad")), "null");
    CHECK_EQ_STR(H("has_any_ipv4", V_S("from 8.8.8.8"), V_S("1.1.1.1"), V_S("8.8.8.8")), "true");
    CHECK_EQ_STR(H("has_any_ipv4", V_S("from 8.8.8.8"), V_D("[\"1.1.1.1\",\"9.9.9.9\"]")), "false");
    CHECK_EQ_STR(H("has_ipv4_prefix", V_S("from 10.1.2.3 to"), V_S("10.1.")), "true");
    CHECK_EQ_STR(H("has_ipv4_prefix", V_S("from 10.11.2.3 to"), V_S("10.1.")), "false");
    CHECK_EQ_STR(H("has_ipv4_prefix", V_S("from 10.1.2.3 to"), V_S("10.1")), "false");
    CHECK_EQ_STR(H("has_any_ipv4_prefix", V_S("a 192.168.0.1"), V_D("[\"10.\",\"192.168.\"]")), "true");
}

static void test_geo(void) {
    CHECK_EQ_STR(H("geo_info_from_ip_address", V_S("8.8.8.8")), "{}");
    CHECK(HT("geo_info_from_ip_address", V_S("8.8.8.8")) == KQL_DYNAMIC);
}

static void run(void) {
    h_begin();
    test_private();
    test_match_compare();
    test_ranges();
    test_parse_format();
    test_ipv6();
    test_in_text();
    test_geo();
    h_end();
}

TEST_MAIN(run)
