/* Unit tests of the dynamic array and bag functions (fn_dynamic.c). */
#include "fn_harness.h"

static void test_arrays(void) {
    CHECK_EQ_STR(H("array_length", V_D("[1,2,3]")), "3");
    CHECK_EQ_STR(H("arraylength", V_D("[]")), "0");
    CHECK_EQ_STR(H("array_length", V_D("{\"a\":1}")), "null");
    CHECK_EQ_STR(H("array_length", V_D("\"x\"")), "null");
    CHECK_EQ_STR(H("array_length", V_NULL(KQL_DYNAMIC)), "null");
    CHECK_EQ_STR(H("array_concat", V_D("[1,2]"), V_D("[3]"), V_D("[]")), "[1,2,3]");
    CHECK_EQ_STR(H("array_concat", V_D("[1]"), V_D("{\"a\":1}")), "null");
    CHECK_EQ_STR(H("array_slice", V_D("[1,2,3,4,5]"), V_L(1), V_L(3)), "[2,3,4]");
    CHECK_EQ_STR(H("array_slice", V_D("[1,2,3,4,5]"), V_L(-2), V_L(-1)), "[4,5]");
    CHECK_EQ_STR(H("array_slice", V_D("[1,2,3]"), V_L(2), V_L(10)), "[3]");
    CHECK_EQ_STR(H("array_slice", V_D("[1,2,3]"), V_L(2), V_L(1)), "[]");
    CHECK_EQ_STR(H("array_slice", V_D("[1,2,3]"), V_L(5), V_L(9)), "[]");
    CHECK_EQ_STR(H("array_reverse", V_D("[\"a\",1,null]")), "[null,1,\"a\"]");
    CHECK_EQ_STR(H("array_rotate_left", V_D("[1,2,3,4,5]"), V_L(2)), "[3,4,5,1,2]");
    CHECK_EQ_STR(H("array_rotate_right", V_D("[1,2,3,4,5]"), V_L(2)), "[4,5,1,2,3]");
    CHECK_EQ_STR(H("array_rotate_left", V_D("[1,2,3,4,5]"), V_L(-1)), "[5,1,2,3,4]");
    CHECK_EQ_STR(H("array_shift_left", V_D("[1,2,3,4,5]"), V_L(2)), "[3,4,5,null,null]");
    CHECK_EQ_STR(H("array_shift_right", V_D("[1,2,3,4,5]"), V_L(2), V_L(-1)), "[-1,-1,1,2,3]");
    CHECK_EQ_STR(H("array_index_of", V_D("[\"a\",\"b\",\"c\"]"), V_S("b")), "1");
    CHECK_EQ_STR(H("array_index_of", V_D("[\"a\",\"b\"]"), V_S("z")), "-1");
    CHECK_EQ_STR(H("array_index_of", V_D("[1,2,3]"), V_L(3)), "2");
    CHECK_EQ_STR(H("array_index_of", V_D("[1,2,3]"), V_R(2.0)), "1");
    CHECK_EQ_STR(H("array_index_of", V_D("[1,2,1,2]"), V_L(2), V_L(2)), "3");
    CHECK_EQ_STR(H("array_index_of", V_D("[1,2,1,2]"), V_L(1), V_L(0), V_L(-1), V_L(2)), "2");
    CHECK_EQ_STR(H("array_index_of", V_D("{}"), V_L(1)), "null");
    CHECK_EQ_STR(H("array_sum", V_D("[1,2.5,3]")), "6.5");
    CHECK_EQ_STR(H("array_sum", V_D("[1,\"x\"]")), "null");
    CHECK_EQ_STR(H("array_sort_asc", V_D("[3,null,1,2]")), "[1,2,3,null]");
    CHECK_EQ_STR(H("array_sort_desc", V_D("[\"b\",\"c\",\"a\"]")), "[\"c\",\"b\",\"a\"]");
    CHECK_EQ_STR(H("array_sort_asc", V_D("[3,null,1]"), V_B(false)), "[null,1,3]");
    CHECK_EQ_STR(H("array_sort_asc", V_D("[1]"), V_D("[2]")), "ERROR:not_supported");
    CHECK_EQ_STR(H("array_split", V_D("[1,2,3,4,5]"), V_L(2)), "[[1,2],[3,4,5]]");
    CHECK_EQ_STR(H("array_split", V_D("[1,2,3,4,5]"), V_D("[1,3]")), "[[1],[2,3],[4,5]]");
    CHECK_EQ_STR(H("array_iff", V_D("[true,false,true]"), V_D("[1,2,3]"), V_D("[4,5,6]")), "[1,5,3]");
    CHECK_EQ_STR(H("array_iff", V_D("[true,false,\"x\"]"), V_L(1), V_L(0)), "[1,0,null]");
}

static void test_bags(void) {
    CHECK_EQ_STR(H("bag_keys", V_D("{\"a\":1,\"b\":{\"c\":2}}")), "[\"a\",\"b\"]");
    CHECK_EQ_STR(H("bag_keys", V_D("[1]")), "null");
    CHECK_EQ_STR(H("bag_merge", V_D("{\"a\":1,\"b\":2}"), V_D("{\"b\":3,\"c\":4}")), "{\"a\":1,\"b\":2,\"c\":4}");
    CHECK_EQ_STR(H("bag_remove_keys", V_D("{\"a\":1,\"b\":2,\"c\":3}"), V_D("[\"a\",\"c\",\"zz\"]")), "{\"b\":2}");
    CHECK_EQ_STR(H("bag_remove_keys", V_D("{\"a\":{\"x\":1,\"y\":2}}"), V_D("[\"$.a.x\"]")), "{\"a\":{\"y\":2}}");
    CHECK_EQ_STR(H("bag_has_key", V_D("{\"a\":1}"), V_S("a")), "true");
    CHECK_EQ_STR(H("bag_has_key", V_D("{\"a\":1}"), V_S("b")), "false");
    CHECK_EQ_STR(H("bag_has_key", V_D("{\"a\":{\"b\":null}}"), V_S("$.a.b")), "true");
    CHECK_EQ_STR(H("bag_has_key", V_D("{\"a\":{\"b\":1}}"), V_S("$['a']['c']")), "false");
    CHECK_EQ_STR(H("bag_set_key", V_D("{\"a\":1}"), V_S("b"), V_L(2)), "{\"a\":1,\"b\":2}");
    CHECK_EQ_STR(H("bag_set_key", V_D("{\"a\":1}"), V_S("$.x.y"), V_S("v")), "{\"a\":1,\"x\":{\"y\":\"v\"}}");
    CHECK_EQ_STR(H("bag_zip", V_D("[\"a\",\"b\",\"c\"]"), V_D("[1,2]")), "{\"a\":1,\"b\":2,\"c\":null}");
    CHECK_EQ_STR(H("bag_pack", V_S("k"), V_L(1), V_S("s"), V_S("x")), "{\"k\":1,\"s\":\"x\"}");
    CHECK_EQ_STR(H("pack", V_S("k"), V_L(2)), "{\"k\":2}");
    CHECK_EQ_STR(H("pack_dictionary", V_S("k"), V_NULL(KQL_LONG), V_S("t"), V_DT("2024-01-15")),
                 "{\"k\":null,\"t\":\"2024-01-15T00:00:00Z\"}");
    CHECK_EQ_STR(H("pack", V_S("k"), V_L(1), V_S("k"), V_L(2)), "{\"k\":2}");
    CHECK_EQ_STR(H("pack", V_S("k")), "ERROR:wrong_arity");
    CHECK_EQ_STR(H("pack", V_S("d"), V_D("{\"n\":[1]}")), "{\"d\":{\"n\":[1]}}");
    CHECK_EQ_STR(H("pack_array", V_L(1), V_L(2), V_L(3)), "[1,2,3]");
    CHECK_EQ_STR(H("pack_array", V_S("x"), V_L(1), V_NULL(KQL_REAL)), "[\"x\",1,null]");
    CHECK_EQ_STR(H0("pack_array"), "[]");
}

static void test_sets(void) {
    CHECK_EQ_STR(H("set_union", V_D("[1,2]"), V_D("[2,3]")), "[1,2,3]");
    CHECK_EQ_STR(H("set_union", V_D("[1,1]"), V_D("[1.0]")), "[1]");
    CHECK_EQ_STR(H("set_intersect", V_D("[\"a\",\"b\",\"c\"]"), V_D("[\"b\",\"c\",\"d\"]")), "[\"b\",\"c\"]");
    CHECK_EQ_STR(H("set_intersect", V_D("[1,2,2]"), V_D("[2]"), V_D("[3]")), "[]");
    CHECK_EQ_STR(H("set_difference", V_D("[1,2,3,4]"), V_D("[2]"), V_D("[4]")), "[1,3]");
    CHECK_EQ_STR(H("set_difference", V_D("[1,1,2]"), V_D("[]")), "[1,2]");
    CHECK_EQ_STR(H("set_has_element", V_D("[\"a\",\"b\"]"), V_S("b")), "true");
    CHECK_EQ_STR(H("set_has_element", V_D("[1,2]"), V_L(5)), "false");
    CHECK_EQ_STR(H("set_equals", V_D("[1,2,2]"), V_D("[2,1]")), "true");
    CHECK_EQ_STR(H("set_equals", V_D("[1,2]"), V_D("[1,3]")), "false");
    CHECK_EQ_STR(H("jaccard_index", V_D("[1,2,3]"), V_D("[2,3,4]")), "0.5");
    CHECK_EQ_STR(H("jaccard_index", V_D("[]"), V_D("[]")), "0");
    CHECK_EQ_STR(H("set_union", V_D("[1]"), V_D("2")), "null");
}

static void test_zip_range(void) {
    CHECK_EQ_STR(H("zip", V_D("[1,2,3]"), V_D("[\"a\",\"b\"]")), "[[1,\"a\"],[2,\"b\"],[3,null]]");
    CHECK_EQ_STR(H("zip", V_D("[]"), V_D("[]")), "[]");
    CHECK_EQ_STR(H("range", V_L(1), V_L(8), V_L(3)), "[1,4,7]");
    CHECK_EQ_STR(H("range", V_L(1), V_L(3)), "[1,2,3]");
    CHECK_EQ_STR(H("range", V_L(5), V_L(1), V_L(-2)), "[5,3,1]");
    CHECK_EQ_STR(H("range", V_L(5), V_L(1)), "[]");
    CHECK_EQ_STR(H("range", V_R(1), V_R(2), V_R(0.5)), "[1,1.5,2]");
    CHECK_EQ_STR(H("range", V_L(1), V_L(2), V_L(0)), "null");
    CHECK_EQ_STR(H("range", V_DT("2024-01-01"), V_DT("2024-01-03"), V_TS("1.00:00:00")),
                 "[\"2024-01-01T00:00:00Z\",\"2024-01-02T00:00:00Z\",\"2024-01-03T00:00:00Z\"]");
    CHECK_EQ_STR(H("range", V_DT("2024-01-01"), V_DT("2024-01-03")), "ERROR:wrong_arity");
    /* capped at 1,048,576 items */
    kql_value big[2] = {V_L(1), V_L(INT64_MAX)};
    h_call_t *h = calloc(1, sizeof *h);
    CHECK(h_bind(h, "range", big, 2));
    kql_value out;
    h_eval_row(h, big, 2, &out);
    CHECK(out.u.d && out.u.d->n == 1048576);
    free(h);
    CHECK_EQ_STR(H("repeat", V_S("a"), V_L(3)), "[\"a\",\"a\",\"a\"]");
    CHECK_EQ_STR(H("repeat", V_L(1), V_L(-3)), "[]");
}

static void test_json(void) {
    CHECK_EQ_STR(H("dynamic_to_json", V_D("{\"b\":1,\"a\":[{\"z\":1,\"y\":2}]}")), "{\"a\":[{\"y\":2,\"z\":1}],\"b\":1}");
    CHECK_EQ_STR(H("dynamic_to_json", V_D("\"s\"")), "\"s\"");
    CHECK_EQ_STR(H("treepath", V_D("{\"key1\":\"value1\",\"key2\":{\"key3\":\"value3\"}}")),
                 "[\"['key1']\",\"['key2']\",\"['key2']['key3']\"]");
    CHECK_EQ_STR(H("treepath", V_D("{\"a\":[1]}")), "[\"['a']\",\"['a'][0]\"]");
}

static void run(void) {
    h_begin();
    test_arrays();
    test_bags();
    test_sets();
    test_zip_range();
    test_json();
    h_end();
}

TEST_MAIN(run)
