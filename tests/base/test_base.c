/* Unit tests for base: arena, buffers, maps, UTF-8, time parsing/formatting,
 * and the thread pool. Expected values come from the calendar and ISO 8601. */
#include "secpilot/base.h"
#include "../test.h"

#include <stdlib.h>

static void test_arena(void) {
    sp_memctl mem = {.limit = 1 << 20};
    sp_arena a;
    sp_arena_init(&a, &mem);
    char *p = sp_arena_alloc(&a, 10);
    CHECK(((uintptr_t)p & 15) == 0);
    memset(p, 'x', 10);
    char *q = sp_arena_realloc(&a, p, 10, 20);
    CHECK(q == p); /* last allocation grows in place */
    CHECK(memcmp(q, "xxxxxxxxxx", 10) == 0);
    CHECK_EQ_STR(sp_arena_printf(&a, "%d-%s", 42, "ok"), "42-ok");
    CHECK(!mem.exceeded);
    sp_arena_alloc(&a, 2 << 20);
    CHECK(mem.exceeded);
    CHECK(mem.peak >= (2u << 20));
    sp_arena_free(&a);
    CHECK_EQ_INT(mem.used, 0);
}

static void test_buf(void) {
    sp_buf b;
    sp_buf_init(&b, 8);
    sp_buf_puts(&b, "hello");
    sp_buf_printf(&b, " %s", "world");
    CHECK_EQ_STR(b.p, "hello wo");
    CHECK(b.truncated);
    sp_buf_free(&b);
    sp_buf_init(&b, 0);
    sp_buf_put_json_str(&b, "a\"b\\\n\x01\xc3\xa9\xff", 9);
    CHECK_EQ_STR(b.p, "\"a\\\"b\\\\\\n\\u0001\xc3\xa9\\ufffd\"");
    sp_buf_free(&b);
}

static void test_str(void) {
    CHECK(sp_str_ieq(SP_STR("PowerShell.EXE"), SP_STR("powershell.exe")));
    CHECK_EQ_INT(sp_str_ifind(SP_STR("cmd /c POWERSHELL -enc"), SP_STR("powershell")), 7);
    CHECK_EQ_INT(sp_str_ifind(SP_STR("abc"), SP_STR("abcd")), -1);
    CHECK_EQ_INT(sp_str_ifind(SP_STR("aaaB"), SP_STR("ab")), 2);
    CHECK(sp_str_cmp(SP_STR("ab"), SP_STR("abc")) < 0);
}

static void test_map(void) {
    sp_map m;
    sp_map_init(&m, true);
    char key[32];
    for (int i = 0; i < 1000; i++) {
        int n = snprintf(key, sizeof key, "Key%d", i);
        sp_map_put(&m, key, (size_t)n, (void *)(intptr_t)(i + 1));
    }
    CHECK_EQ_INT(m.n, 1000);
    CHECK_EQ_INT((intptr_t)sp_map_get(&m, "key500", 6), 501);
    CHECK(sp_map_get(&m, "key1000", 7) == NULL);
    sp_map_free(&m);
}

static void test_utf8(void) {
    uint32_t cp;
    CHECK_EQ_INT(sp_utf8_decode("\xe2\x82\xac", 3, &cp), 3);
    CHECK_EQ_INT(cp, 0x20AC);
    CHECK_EQ_INT(sp_utf8_decode("\xc0\x80", 2, &cp), 1); /* overlong NUL */
    CHECK_EQ_INT(cp, 0xFFFD);
    char out[4];
    CHECK_EQ_INT(sp_utf8_encode(0x1F600, out), 4);
    CHECK(memcmp(out, "\xf0\x9f\x98\x80", 4) == 0);
    CHECK(!sp_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
}

static int64_t dt(const char *s) {
    int64_t v = 0;
    if (!sp_parse_datetime(s, strlen(s), &v)) return INT64_MIN;
    return v;
}

static void test_time(void) {
    CHECK_EQ_INT(dt("1970-01-01"), 0);
    /* 2024-01-02T03:04:05Z = 1704164645 s since the epoch */
    CHECK_EQ_INT(dt("2024-01-02T03:04:05Z"), 1704164645LL * SP_TICKS_PER_SEC);
    CHECK_EQ_INT(dt("2024-01-02 03:04:05"), 1704164645LL * SP_TICKS_PER_SEC);
    CHECK_EQ_INT(dt("2024-01-02T05:04:05+02:00"), 1704164645LL * SP_TICKS_PER_SEC);
    CHECK_EQ_INT(dt("2024-01-02T03:04:05.1234567Z"), 1704164645LL * SP_TICKS_PER_SEC + 1234567);
    CHECK_EQ_INT(dt("2024-01-02T03:04:05.123456789Z"), 1704164645LL * SP_TICKS_PER_SEC + 1234567);
    CHECK_EQ_INT(dt("1/2/2024, 3:04:05.000 AM"), 1704164645LL * SP_TICKS_PER_SEC);
    CHECK_EQ_INT(dt("1/2/2024 3:04:05 PM"), (1704164645LL + 12 * 3600) * SP_TICKS_PER_SEC);
    CHECK_EQ_INT(dt("1/2/2024 12:04:05 AM"), (1704164645LL - 3 * 3600) * SP_TICKS_PER_SEC);
    CHECK_EQ_INT(dt("Tue, 02 Jan 2024 03:04:05 GMT"), 1704164645LL * SP_TICKS_PER_SEC);
    CHECK_EQ_INT(dt("20240102"), 1704153600LL * SP_TICKS_PER_SEC);
    CHECK_EQ_INT(dt("2024-02-30"), INT64_MIN);
    CHECK_EQ_INT(dt("2023-02-29"), INT64_MIN);
    CHECK_EQ_INT(dt("2024-02-29"), 1709164800LL * SP_TICKS_PER_SEC);
    CHECK_EQ_INT(dt("0001-01-01"), SP_DT_MIN);
    CHECK_EQ_INT(dt("garbage"), INT64_MIN);
    char buf[40];
    sp_format_datetime(1704164645LL * SP_TICKS_PER_SEC + 1000000, buf);
    CHECK_EQ_STR(buf, "2024-01-02T03:04:05.1Z");
    sp_format_datetime(SP_DT_MIN, buf);
    CHECK_EQ_STR(buf, "0001-01-01T00:00:00Z");
    CHECK_EQ_INT(sp_weekday(0), 4);                                  /* Thursday */
    CHECK_EQ_INT(sp_weekday(dt("2024-01-07")), 0);                   /* Sunday */
    CHECK_EQ_INT(sp_weekday(dt("1969-12-31")), 3);                   /* Wednesday */
    int64_t ts;
    CHECK(sp_parse_timespan("1.02:03:04.5", 12, &ts));
    CHECK_EQ_INT(ts, SP_TICKS_PER_DAY + 2 * SP_TICKS_PER_HOUR + 3 * SP_TICKS_PER_MIN + 4 * SP_TICKS_PER_SEC + 5000000);
    CHECK(sp_parse_timespan("-00:00:01", 9, &ts));
    CHECK_EQ_INT(ts, -SP_TICKS_PER_SEC);
    sp_format_timespan(SP_TICKS_PER_DAY + 2 * SP_TICKS_PER_HOUR + 5000000, buf);
    CHECK_EQ_STR(buf, "1.02:00:00.5000000");
    sp_format_timespan(-90 * SP_TICKS_PER_MIN, buf);
    CHECK_EQ_STR(buf, "-01:30:00");
}

static void add_task(void *ctx, size_t i) { __atomic_add_fetch((long *)ctx, (long)i, __ATOMIC_RELAXED); }

static void test_pool(void) {
    sp_pool *p = sp_pool_create(4);
    for (int round = 0; round < 50; round++) {
        long sum = 0;
        sp_pool_run(p, 1000, add_task, &sum);
        CHECK_EQ_INT(sum, 999 * 1000 / 2);
    }
    sp_pool_destroy(p);
}

TEST_MAIN(test_arena, test_buf, test_str, test_map, test_utf8, test_time, test_pool)
