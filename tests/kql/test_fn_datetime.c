/* Unit tests of the date and time functions (fn_datetime.c, tz.c). */
#include "fn_harness.h"

static void test_periods(void) {
    CHECK_EQ_STR(H("startofday", V_DT("2024-01-15 17:45")), "2024-01-15T00:00:00Z");
    CHECK_EQ_STR(H("startofday", V_DT("2024-01-15 17:45"), V_L(-1)), "2024-01-14T00:00:00Z");
    CHECK_EQ_STR(H("startofmonth", V_DT("2024-01-15 17:45")), "2024-01-01T00:00:00Z");
    CHECK_EQ_STR(H("startofmonth", V_DT("2024-01-15"), V_L(-1)), "2023-12-01T00:00:00Z");
    CHECK_EQ_STR(H("startofmonth", V_DT("2024-01-15"), V_L(14)), "2025-03-01T00:00:00Z");
    CHECK_EQ_STR(H("startofyear", V_DT("2024-01-15 17:45")), "2024-01-01T00:00:00Z");
    CHECK_EQ_STR(H("startofyear", V_DT("2024-01-15"), V_L(1)), "2025-01-01T00:00:00Z");
    /* weeks start on Sunday: 2024-01-15 is a Monday */
    CHECK_EQ_STR(H("startofweek", V_DT("2024-01-15 17:45")), "2024-01-14T00:00:00Z");
    CHECK_EQ_STR(H("startofweek", V_DT("2024-01-14 08:00")), "2024-01-14T00:00:00Z");
    CHECK_EQ_STR(H("startofweek", V_DT("2024-01-15"), V_L(1)), "2024-01-21T00:00:00Z");
    CHECK_EQ_STR(H("endofday", V_DT("2024-01-15 17:45")), "2024-01-15T23:59:59.9999999Z");
    CHECK_EQ_STR(H("endofweek", V_DT("2024-01-15")), "2024-01-20T23:59:59.9999999Z");
    CHECK_EQ_STR(H("endofmonth", V_DT("2024-02-10")), "2024-02-29T23:59:59.9999999Z");
    CHECK_EQ_STR(H("endofmonth", V_DT("2023-02-10")), "2023-02-28T23:59:59.9999999Z");
    CHECK_EQ_STR(H("endofyear", V_DT("2024-01-15")), "2024-12-31T23:59:59.9999999Z");
    CHECK_EQ_STR(H("endofday", V_DT("2024-01-15"), V_L(1)), "2024-01-16T23:59:59.9999999Z");
    /* before the Unix epoch */
    CHECK_EQ_STR(H("startofday", V_DT("1969-12-31 23:30")), "1969-12-31T00:00:00Z");
    /* past the end of the calendar */
    CHECK_EQ_STR(H("startofyear", V_DT("9999-06-01"), V_L(1)), "null");
    CHECK_EQ_STR(H("startofday", V_NULL(KQL_DATETIME)), "null");
}

static void test_parts(void) {
    const char *t = "2024-02-29 13:45";
    CHECK_EQ_STR(H("hourofday", V_DT(t)), "13");
    CHECK_EQ_STR(H("dayofmonth", V_DT(t)), "29");
    CHECK_EQ_STR(H("dayofyear", V_DT(t)), "60");
    CHECK_EQ_STR(H("getmonth", V_DT(t)), "2");
    CHECK_EQ_STR(H("monthofyear", V_DT(t)), "2");
    CHECK_EQ_STR(H("getyear", V_DT(t)), "2024");
    CHECK(HT("getyear", V_DT(t)) == KQL_INT);
    CHECK_EQ_STR(H("hourofday", V_DT("1969-12-31 23:30")), "23");
    /* dayofweek: a timespan of days since Sunday */
    CHECK_EQ_STR(H("dayofweek", V_DT("2024-01-15")), "1.00:00:00");
    CHECK_EQ_STR(H("dayofweek", V_DT("2024-01-14")), "00:00:00");
    CHECK_EQ_STR(H("dayofweek", V_DT("2024-01-20")), "6.00:00:00");
    CHECK_EQ_STR(H("dayofweek", V_DT("1970-01-01")), "4.00:00:00");
    /* ISO 8601 weeks */
    CHECK_EQ_STR(H("week_of_year", V_DT("2024-01-15")), "3");
    CHECK_EQ_STR(H("week_of_year", V_DT("2021-01-01")), "53"); /* belongs to 2020's week 53 */
    CHECK_EQ_STR(H("week_of_year", V_DT("2024-12-30")), "1");  /* Monday of 2025's week 1 */
    CHECK_EQ_STR(H("week_of_year", V_DT("2020-12-31")), "53");
    CHECK_EQ_STR(H("week_of_year", V_DT("2023-01-01")), "52");
    const char *u = "2017-10-30 01:02:03.7654321";
    CHECK_EQ_STR(H("datetime_part", V_S("year"), V_DT(u)), "2017");
    CHECK_EQ_STR(H("datetime_part", V_S("quarter"), V_DT(u)), "4");
    CHECK_EQ_STR(H("datetime_part", V_S("month"), V_DT(u)), "10");
    CHECK_EQ_STR(H("datetime_part", V_S("week_of_year"), V_DT(u)), "44");
    CHECK_EQ_STR(H("datetime_part", V_S("day"), V_DT(u)), "30");
    CHECK_EQ_STR(H("datetime_part", V_S("dayOfYear"), V_DT(u)), "303");
    CHECK_EQ_STR(H("datetime_part", V_S("hour"), V_DT(u)), "1");
    CHECK_EQ_STR(H("datetime_part", V_S("minute"), V_DT(u)), "2");
    CHECK_EQ_STR(H("datetime_part", V_S("second"), V_DT(u)), "3");
    CHECK_EQ_STR(H("datetime_part", V_S("millisecond"), V_DT(u)), "765");
    CHECK_EQ_STR(H("datetime_part", V_S("microsecond"), V_DT(u)), "765432");
    CHECK_EQ_STR(H("datetime_part", V_S("nanosecond"), V_DT(u)), "765432100");
    CHECK_EQ_STR(H("datetime_part", V_S("fortnight"), V_DT(u)), "ERROR:bad_argument");
    CHECK(HT("datetime_part", V_S("year"), V_DT(u)) == KQL_INT);
}

static void test_diff(void) {
    CHECK_EQ_STR(H("datetime_diff", V_S("year"), V_DT("2017-01-01"), V_DT("2000-12-31")), "17");
    CHECK_EQ_STR(H("datetime_diff", V_S("quarter"), V_DT("2017-07-01"), V_DT("2017-03-30")), "2");
    CHECK_EQ_STR(H("datetime_diff", V_S("month"), V_DT("2017-01-01"), V_DT("2015-12-30")), "13");
    CHECK_EQ_STR(H("datetime_diff", V_S("week"), V_DT("2017-10-29 00:00"), V_DT("2017-09-30 23:59")), "5");
    CHECK_EQ_STR(H("datetime_diff", V_S("day"), V_DT("2017-10-29 00:00"), V_DT("2017-09-30 23:59")), "29");
    CHECK_EQ_STR(H("datetime_diff", V_S("hour"), V_DT("2017-10-31 01:00"), V_DT("2017-10-30 23:59")), "2");
    CHECK_EQ_STR(H("datetime_diff", V_S("minute"), V_DT("2017-10-30 23:05:01"), V_DT("2017-10-30 23:00:59")), "5");
    CHECK_EQ_STR(H("datetime_diff", V_S("second"), V_DT("2017-10-30 23:00:10.100"), V_DT("2017-10-30 23:00:00.900")),
                 "10");
    CHECK_EQ_STR(H("datetime_diff", V_S("millisecond"), V_DT("2017-10-30 23:00:00.200100"),
                   V_DT("2017-10-30 23:00:00.100900")),
                 "100");
    CHECK_EQ_STR(H("datetime_diff", V_S("microsecond"), V_DT("2017-10-30 23:00:00.1009001"),
                   V_DT("2017-10-30 23:00:00.1008009")),
                 "100");
    CHECK_EQ_STR(H("datetime_diff", V_S("nanosecond"), V_DT("2017-10-30 23:00:00.0000000"),
                   V_DT("2017-10-30 23:00:00.0000007")),
                 "-700");
    CHECK_EQ_STR(H("datetime_diff", V_S("day"), V_DT("2024-01-01"), V_DT("2024-01-15")), "-14");
    CHECK_EQ_STR(H("datetime_diff", V_S("Day"), V_DT("2024-01-02"), V_DT("2024-01-01")), "1");
    CHECK_EQ_STR(H("datetime_diff", V_S("dayOfYear"), V_DT("2024-01-02"), V_DT("2024-01-01")), "ERROR:bad_argument");
    CHECK(HT("datetime_diff", V_S("day"), V_DT("2024-01-02"), V_DT("2024-01-01")) == KQL_LONG);
}

static void test_add(void) {
    CHECK_EQ_STR(H("datetime_add", V_S("day"), V_L(1), V_DT("2024-01-15")), "2024-01-16T00:00:00Z");
    CHECK_EQ_STR(H("datetime_add", V_S("hour"), V_L(-2), V_DT("2024-01-15")), "2024-01-14T22:00:00Z");
    CHECK_EQ_STR(H("datetime_add", V_S("year"), V_L(1), V_DT("2024-01-15")), "2025-01-15T00:00:00Z");
    CHECK_EQ_STR(H("datetime_add", V_S("minute"), V_L(30), V_DT("2024-01-15")), "2024-01-15T00:30:00Z");
    CHECK_EQ_STR(H("datetime_add", V_S("month"), V_L(1), V_DT("2024-01-31")), "2024-02-29T00:00:00Z");
    CHECK_EQ_STR(H("datetime_add", V_S("month"), V_L(-1), V_DT("2024-03-31")), "2024-02-29T00:00:00Z");
    CHECK_EQ_STR(H("datetime_add", V_S("year"), V_L(1), V_DT("2024-02-29")), "2025-02-28T00:00:00Z");
    CHECK_EQ_STR(H("datetime_add", V_S("week"), V_L(2), V_DT("2024-01-01")), "2024-01-15T00:00:00Z");
    CHECK_EQ_STR(H("datetime_add", V_S("quarter"), V_L(1), V_DT("2024-01-15")), "2024-04-15T00:00:00Z");
    CHECK_EQ_STR(H("datetime_add", V_S("millisecond"), V_L(5), V_DT("2024-01-15")), "2024-01-15T00:00:00.005Z");
    CHECK_EQ_STR(H("datetime_add", V_S("nanosecond"), V_L(300), V_DT("2024-01-15")), "2024-01-15T00:00:00.0000003Z");
    CHECK_EQ_STR(H("datetime_add", V_S("year"), V_L(9000), V_DT("2024-01-15")), "null");
    CHECK_EQ_STR(H("datetime_add", V_S("second"), V_L(INT64_MAX), V_DT("2024-01-15")), "null");
}

static void test_format(void) {
    CHECK_EQ_STR(H("format_datetime", V_DT("2017-01-29 09:00:05"), V_S("yy-MM-dd [HH:mm:ss]")), "17-01-29 [09:00:05]");
    CHECK_EQ_STR(H("format_datetime", V_DT("2017-01-29 09:00:05"), V_S("yyyy-M-dd [H:mm:ss]")), "2017-1-29 [9:00:05]");
    CHECK_EQ_STR(H("format_datetime", V_DT("2017-01-29 09:00:05"), V_S("yy-MM-dd [hh:mm:ss tt]")),
                 "17-01-29 [09:00:05 AM]");
    CHECK_EQ_STR(H("format_datetime", V_DT("2015-12-14 02:03:04.12345"), V_S("y-M-d h:m:s.fffffff")),
                 "15-12-14 2:3:4.1234500");
    CHECK_EQ_STR(H("format_datetime", V_DT("2024-01-15 13:05:09"), V_S("h tt")), "1 PM");
    CHECK_EQ_STR(H("format_datetime", V_DT("2024-01-15 00:05:09"), V_S("hh")), "12");
    CHECK_EQ_STR(H("format_datetime", V_DT("2009-06-15 13:45:30.617"), V_S("fff|FF|F")), "617|61|6");
    CHECK_EQ_STR(H("format_datetime", V_DT("2009-06-15 13:45:30.05"), V_S("[F]")), "[]");
    CHECK_EQ_STR(H("format_datetime", V_DT("2009-06-15 13:45:30.0001150"), V_S("FFFFFFF")), "000115");
    CHECK_EQ_STR(H("format_datetime", V_DT("0900-01-01"), V_S("y|yy|yyyy")), "0|00|0900");
    CHECK_EQ_STR(H("format_datetime", V_DT("2024-01-15"), V_S("ddd dd MMM yyyy")), "Mon 15 Jan 2024");
    CHECK_EQ_STR(H("format_timespan", V_TS("29.09:00:05.12345"), V_S("dd.hh:mm:ss [FF]")), "29.09:00:05 [12]");
    CHECK_EQ_STR(H("format_timespan", V_TS("29.09:00:05.12345"), V_S("ddd.h:mm:ss [fff]")), "029.9:00:05 [123]");
    CHECK_EQ_STR(H("format_timespan", V_TS("14.02:03:04.12345"), V_S("h:m:s.fffffff")), "2:3:4.1234500");
    CHECK_EQ_STR(H("format_timespan", V_TS("-01:30:00"), V_S("hh:mm")), "-01:30");
}

static void test_make(void) {
    CHECK_EQ_STR(H("make_datetime", V_L(2017), V_L(10), V_L(1)), "2017-10-01T00:00:00Z");
    CHECK_EQ_STR(H("make_datetime", V_L(2017), V_L(10), V_L(1), V_L(12), V_L(10)), "2017-10-01T12:10:00Z");
    CHECK_EQ_STR(H("make_datetime", V_L(2017), V_L(10), V_L(1), V_L(12), V_L(11), V_R(0.1234567)),
                 "2017-10-01T12:11:00.1234567Z");
    CHECK_EQ_STR(H("make_datetime", V_L(2023), V_L(2), V_L(30)), "null");
    CHECK_EQ_STR(H("make_datetime", V_L(2023), V_L(13), V_L(1)), "null");
    CHECK_EQ_STR(H("make_datetime", V_S("2024-01-15 10:00")), "2024-01-15T10:00:00Z");
    CHECK_EQ_STR(H("make_timespan", V_L(1), V_L(12), V_L(30), V_L(55)), "1.12:30:55");
    CHECK_EQ_STR(H("make_timespan", V_L(2), V_L(30)), "02:30:00");
    CHECK_EQ_STR(H("make_timespan", V_L(2), V_L(30), V_L(15)), "02:30:15");
    CHECK_EQ_STR(H("make_timespan", V_L(25), V_L(0)), "1.01:00:00");
    CHECK_EQ_STR(H("unixtime_seconds_todatetime", V_L(1546300800)), "2019-01-01T00:00:00Z");
    CHECK_EQ_STR(H("unixtime_milliseconds_todatetime", V_L(1546300800123)), "2019-01-01T00:00:00.123Z");
    CHECK_EQ_STR(H("unixtime_microseconds_todatetime", V_L(1546300800123456)), "2019-01-01T00:00:00.123456Z");
    CHECK_EQ_STR(H("unixtime_nanoseconds_todatetime", V_L(1546300800123456700)), "2019-01-01T00:00:00.1234567Z");
    CHECK_EQ_STR(H("unixtime_seconds_todatetime", V_R(1.5)), "1970-01-01T00:00:01.5Z");
    CHECK_EQ_STR(H("unixtime_seconds_todatetime", V_L(-1)), "1969-12-31T23:59:59Z");
    CHECK_EQ_STR(H("unixtime_seconds_todatetime", V_L(INT64_MAX)), "null");
    CHECK_EQ_STR(H("unixtime_seconds_todatetime", V_R(1e300)), "null");
}

static void test_todatetime(void) {
    CHECK_EQ_STR(H("todatetime", V_S("2024-01-15T10:20:30Z")), "2024-01-15T10:20:30Z");
    CHECK_EQ_STR(H("todatetime", V_S("2024-01-15 10:20:30")), "2024-01-15T10:20:30Z");
    CHECK_EQ_STR(H("todatetime", V_S("not a date")), "null");
    CHECK_EQ_STR(H("todatetime", V_D("\"2024-01-15T10:00:00Z\"")), "2024-01-15T10:00:00Z");
    CHECK_EQ_STR(H("todatetime", V_DT("2024-01-15")), "2024-01-15T00:00:00Z");
    CHECK_EQ_STR(H("todatetime", V_L(621355968000000000LL)), "1970-01-01T00:00:00Z");
    CHECK_EQ_STR(H("totimespan", V_S("1.02:00:00")), "1.02:00:00");
    CHECK_EQ_STR(H("totimespan", V_S("00:00:30")), "00:00:30");
    CHECK_EQ_STR(H("totimespan", V_S("x")), "null");
    CHECK_EQ_STR(H("totimespan", V_L(10000000)), "00:00:01");
    CHECK_EQ_STR(H("totime", V_S("01:00:00")), "01:00:00");
}

static void test_timezones(void) {
    CHECK_EQ_STR(H("datetime_utc_to_local", V_DT("2024-01-15 12:00"), V_S("America/Los_Angeles")), "2024-01-15T04:00:00Z");
    CHECK_EQ_STR(H("datetime_utc_to_local", V_DT("2024-07-01 12:00"), V_S("America/Los_Angeles")), "2024-07-01T05:00:00Z");
    CHECK_EQ_STR(H("datetime_utc_to_local", V_DT("2024-07-01 12:00"), V_S("Europe/Paris")), "2024-07-01T14:00:00Z");
    CHECK_EQ_STR(H("datetime_utc_to_local", V_DT("2024-01-15 12:00"), V_S("Asia/Kolkata")), "2024-01-15T17:30:00Z");
    CHECK_EQ_STR(H("datetime_utc_to_local", V_DT("2024-01-15 12:00"), V_S("UTC")), "2024-01-15T12:00:00Z");
    /* far past the table: the zone's POSIX rule applies (US DST in July) */
    CHECK_EQ_STR(H("datetime_utc_to_local", V_DT("2100-07-01 12:00"), V_S("America/Los_Angeles")), "2100-07-01T05:00:00Z");
    CHECK_EQ_STR(H("datetime_utc_to_local", V_DT("2100-12-01 12:00"), V_S("America/Los_Angeles")), "2100-12-01T04:00:00Z");
    /* New York DST 2024 starts 10 March at 02:00 EST = 07:00 UTC */
    CHECK_EQ_STR(H("datetime_utc_to_local", V_DT("2024-03-10 06:59"), V_S("America/New_York")), "2024-03-10T01:59:00Z");
    CHECK_EQ_STR(H("datetime_utc_to_local", V_DT("2024-03-10 07:00"), V_S("America/New_York")), "2024-03-10T03:00:00Z");
    CHECK_EQ_STR(H("datetime_local_to_utc", V_DT("2024-07-01 05:00"), V_S("America/Los_Angeles")), "2024-07-01T12:00:00Z");
    CHECK_EQ_STR(H("datetime_local_to_utc", V_DT("2024-01-15 17:30"), V_S("Asia/Kolkata")), "2024-01-15T12:00:00Z");
    CHECK_EQ_STR(H("datetime_utc_to_local", V_DT("2024-01-15 12:00"), V_S("Mars/Olympus")), "ERROR:bad_argument");
    CHECK_EQ_STR(H("datetime_utc_to_local", V_DT("2024-01-15 12:00"), V_S("../../etc/passwd")), "ERROR:bad_argument");
}

static void test_bin_at(void) {
    CHECK_EQ_STR(H("bin_at", V_R(6.5), V_R(2.5), V_R(7)), "4.5");
    CHECK_EQ_STR(H("bin_at", V_TS("01:00:00"), V_TS("1.00:00:00"), V_TS("12:00:00")), "-12:00:00");
    CHECK_EQ_STR(H("bin_at", V_DT("2017-05-15 10:20:00"), V_TS("1.00:00:00"), V_DT("1970-01-01 12:00:00")),
                 "2017-05-14T12:00:00Z");
    CHECK_EQ_STR(H("bin_at", V_L(7), V_L(5), V_L(1)), "6");
}

static void run(void) {
    h_begin();
    test_periods();
    test_parts();
    test_diff();
    test_add();
    test_format();
    test_make();
    test_todatetime();
    test_timezones();
    test_bin_at();
    h_end();
}

TEST_MAIN(run)
