/* The vectorized paths: dictionary-encoded string columns (evaluated once per
 * distinct string), constant arguments, and datetime fast paths, each checked
 * row by row against the row implementation. */
#include "fn_harness.h"

/* a dictionary column of n rows cycling over the given strings */
static kql_col *dict_col(const char *const *strs, uint32_t nd, size_t n) {
    kql_dict *d = SP_NEW(&h_q.arena, kql_dict);
    sp_str *s = SP_NEWN(&h_q.arena, sp_str, nd);
    for (uint32_t i = 0; i < nd; i++) s[i] = sp_str_c(strs[i]);
    d->n = nd;
    d->s = s;
    kql_col *c = SP_NEW(&h_q.arena, kql_col);
    c->type = KQL_STRING;
    c->flags = KQL_COL_DICT;
    c->n = n;
    c->dict = d;
    c->v.codes = SP_NEWN(&h_q.arena, uint32_t, n);
    for (size_t i = 0; i < n; i++) c->v.codes[i] = (uint32_t)((i * 7) % nd);
    return c;
}

/* runs name(args) through vec with the given columns and compares every row
 * with the row implementation */
static void check_vec(const char *name, kql_col **cols, size_t na, size_t n) {
    kql_value first[8];
    for (size_t k = 0; k < na; k++) kql_col_get(cols[k], 0, &first[k]);
    h_call_t *h = calloc(1, sizeof *h);
    CHECK(h_bind(h, name, first, na));
    CHECK(h->fn->vec != NULL);
    kql_col *out = kql_col_new(&h_q.arena, h->type, n);
    kql_fctx c = {.q = &h_q, .arena = &h_q.arena, .call = &h->call};
    h->fn->vec(&c, cols, na, n, out);
    for (size_t i = 0; i < n; i++) {
        kql_value args[8], rv, vv;
        for (size_t k = 0; k < na; k++) kql_col_get(cols[k], i, &args[k]);
        h_eval_row(h, args, na, &rv);
        kql_col_get(out, i, &vv);
        char a[512], b[512];
        h_render(&rv, a, sizeof a);
        h_render(&vv, b, sizeof b);
        t_checks++;
        if (strcmp(a, b) != 0) {
            t_failures++;
            fprintf(stderr, "%s row %zu: vec \"%s\" row \"%s\"\n", name, i, b, a);
            break;
        }
    }
    free(h);
}

static kql_col *const_col(kql_value v, size_t n) { return kql_col_const(&h_q.arena, &v, n); }

static void test_dictionary(void) {
    static const char *const S[] = {"alice@contoso.com", "bob@fabrikam.com", "", "x port=443 y", "{\"a\":1}", "not json",
                                    "12", "-7"};
    enum { N = 64 };
    kql_col *d = dict_col(S, 8, N);
    kql_col *args[4];
    args[0] = d, args[1] = const_col(V_S("@"), N);
    check_vec("split", args, 2, N);
    args[2] = const_col(V_L(1), N);
    check_vec("split", args, 3, N);
    args[0] = d;
    check_vec("parse_json", args, 1, N);
    check_vec("tolong", args, 1, N);
    check_vec("toint", args, 1, N);
    check_vec("toreal", args, 1, N);
    check_vec("todatetime", args, 1, N);
    check_vec("hash_sha256", args, 1, N);
    check_vec("hash_md5", args, 1, N);
    args[1] = const_col(V_S("o"), N), args[2] = const_col(V_S("0"), N);
    check_vec("replace_string", args, 3, N);
    /* extract's text is its third argument */
    args[0] = const_col(V_S("port=(\\d+)"), N), args[1] = const_col(V_L(1), N), args[2] = d;
    check_vec("extract", args, 3, N);
    args[3] = const_col(V_TYPE(KQL_LONG), N);
    check_vec("extract", args, 4, N);
    /* a dictionary larger than the batch: row by row */
    kql_col *big = dict_col(S, 8, 4);
    args[0] = big, args[1] = const_col(V_S("@"), 4);
    check_vec("split", args, 2, 4);
}

static void test_datetimes(void) {
    enum { N = 50 };
    kql_col *t = kql_col_new(&h_q.arena, KQL_DATETIME, N);
    for (size_t i = 0; i < N; i++) {
        kql_value v = V_DT("1969-12-30T22:15:00Z");
        v.u.i += (int64_t)i * 7 * SP_TICKS_PER_HOUR + (int64_t)i * 13;
        kql_col_set(&h_q.arena, t, i, &v);
    }
    kql_col_set_null(&h_q.arena, t, 3);
    kql_col *args[2] = {t, NULL};
    const char *fns[] = {"startofday", "startofweek", "startofmonth", "startofyear", "endofday", "endofweek",
                         "endofmonth", "endofyear", "getyear", "getmonth", "dayofmonth", "dayofyear", "hourofday",
                         "week_of_year"};
    for (size_t k = 0; k < SP_ARRAY_LEN(fns); k++) check_vec(fns[k], args, 1, N);
    args[1] = const_col(V_L(-2), N);
    for (size_t k = 0; k < 8; k++) check_vec(fns[k], args, 2, N);
}

static void run(void) {
    h_begin();
    test_dictionary();
    test_datetimes();
    h_end();
}

TEST_MAIN(run)
