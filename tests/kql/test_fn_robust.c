/* Robustness: every function of the library called with many combinations
 * of awkward arguments (nulls, empty and huge strings, invalid UTF-8, NaN,
 * extreme numbers, empty and nested dynamics), typed as the binder would
 * cast them for the declared parameters. Nothing may crash or leak (this
 * suite runs under ASan+UBSan); failing the query is fine. */
#include "fn_harness.h"

extern const kql_fn_table kql_fns_string, kql_fns_regex, kql_fns_convert, kql_fns_datetime, kql_fns_math,
    kql_fns_dynamic, kql_fns_ip, kql_fns_url, kql_fns_encoding, kql_fns_misc, kql_fns_xml, kql_fns_series,
    kql_fns_agg, kql_fns_agg_sets, kql_fns_agg_stats, kql_fns_hll;
static const kql_fn_table *const FAMILIES[] = {
    &kql_fns_string, &kql_fns_regex, &kql_fns_convert, &kql_fns_datetime, &kql_fns_math, &kql_fns_dynamic,
    &kql_fns_ip, &kql_fns_url, &kql_fns_encoding, &kql_fns_misc, &kql_fns_xml, &kql_fns_series,
    &kql_fns_agg, &kql_fns_agg_sets, &kql_fns_agg_stats, &kql_fns_hll,
};

static uint64_t rng = 0x243F6A8885A308D3ULL;
static uint64_t next_rand(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

#define POOL 26
static kql_value pool[POOL];

static void make_pool(void) {
    static char big[70000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    int k = 0;
    pool[k++] = V_S("");
    pool[k++] = V_S("abc");
    pool[k++] = V_SN("\xff\xfe\xc3", 3);
    pool[k++] = V_S(big);
    pool[k++] = V_S("(a+)+$");
    pool[k++] = V_S("10.1.2.3/24");
    pool[k++] = V_S("https://u:p@h:1/p?q=1#f");
    pool[k++] = V_S("2024-01-15T10:00:00Z");
    pool[k++] = V_S("<a b=\"1\">x<c/></a>");
    pool[k++] = V_S("$.a[0]");
    pool[k++] = V_L(0);
    pool[k++] = V_L(-1);
    pool[k++] = V_L(INT64_MAX);
    pool[k++] = V_L(INT64_MIN);
    pool[k++] = V_R(NAN);
    pool[k++] = V_R(-1e308);
    pool[k++] = V_B(true);
    pool[k++] = V_DT("0001-01-01");
    pool[k++] = V_DT("9999-12-31T23:59:59");
    pool[k++] = V_TICKS(INT64_MIN);
    pool[k++] = V_D("[1,\"x\",null,[2],{\"a\":1}]");
    pool[k++] = V_D("{\"a\":{\"b\":[1,2]},\"c\":\"d\"}");
    pool[k++] = V_D("[]");
    pool[k++] = V_NULL(KQL_LONG);
    pool[k++] = V_NULL(KQL_DYNAMIC);
    pool[k++] = V_G("00112233-4455-6677-8899-aabbccddeeff");
}

/* casts a value as the binder does for a parameter code */
static kql_value cast_for(char code, const kql_value *v) {
    kql_type t = KQL_UNKNOWN;
    bool dyn = v->type == KQL_DYNAMIC;
    switch (code) {
    case 's': t = KQL_STRING; break;
    case 'i': t = v->type == KQL_INT ? KQL_INT : KQL_LONG; break;
    case 'n': t = kql_type_is_numeric(v->type) ? v->type : KQL_REAL; break;
    case 'r': t = KQL_REAL; break;
    case 'b': t = KQL_BOOL; break;
    case 'd': t = KQL_DATETIME; break;
    case 't': t = KQL_TIMESPAN; break;
    case 'g': t = KQL_GUID; break;
    case 'y': t = KQL_DYNAMIC; break;
    case 'x': t = kql_type_is_numeric(v->type) || v->type == KQL_DATETIME || v->type == KQL_TIMESPAN ? v->type : KQL_REAL; break;
    default: return *v;
    }
    (void)dyn;
    kql_value out;
    kql_convert(&h_q.arena, v, t, &out);
    out.type = t;
    return out;
}

static size_t param_codes(const char *spec, char *codes, bool *variadic, size_t *minargs) {
    size_t n = 0;
    *variadic = false;
    *minargs = 0;
    for (const char *p = spec; p && *p && n < 16;) {
        char c = *p++;
        bool opt = false, var = false;
        while (*p == '?' || *p == '*') {
            if (*p == '?') opt = true;
            if (*p == '*') var = true;
            p++;
        }
        codes[n++] = c;
        if (var) *variadic = true;
        if (!opt && !var) *minargs = n;
        if (*p == ',') p++;
    }
    return n;
}

static void run_scalar(const kql_fn *f) {
    char codes[16];
    bool variadic;
    size_t minargs, np = param_codes(f->params, codes, &variadic, &minargs);
    size_t maxargs = variadic ? np + 2 : np;
    for (int iter = 0; iter < 300; iter++) {
        size_t na = minargs + (maxargs > minargs ? next_rand() % (maxargs - minargs + 1) : 0);
        kql_value args[20];
        for (size_t i = 0; i < na; i++) {
            char code = np ? codes[i < np ? i : np - 1] : 'a';
            args[i] = cast_for(code, &pool[next_rand() % POOL]);
        }
        h_call_t *h = calloc(1, sizeof *h);
        if (h_bind(h, f->name, args, na)) {
            kql_value out;
            h_eval_row(h, args, na, &out);
            if (h->fn->vec) {
                kql_col *cols[20];
                for (size_t i = 0; i < na; i++) {
                    cols[i] = kql_col_new(&h_q.arena, args[i].type, 2);
                    kql_col_set(&h_q.arena, cols[i], 0, &args[i]);
                    kql_col_set(&h_q.arena, cols[i], 1, &args[i]);
                }
                kql_col *oc = kql_col_new(&h_q.arena, h->type, 2);
                kql_fctx c = {.q = &h_q, .arena = &h_q.arena, .call = &h->call};
                h->fn->vec(&c, cols, na, 2, oc);
            }
        }
        free(h);
        sp_err_clear(&h_q.err);
        h_q.failed = 0;
        t_checks++;
    }
}

static void run_agg(const kql_fn *f) {
    char codes[16];
    bool variadic;
    size_t minargs, np = param_codes(f->params, codes, &variadic, &minargs);
    for (int iter = 0; iter < 60; iter++) {
        size_t na = minargs + (np > minargs ? next_rand() % (np - minargs + 1) : 0);
        enum { ROWS = 12 };
        kql_value rows[ROWS * 8];
        /* the first argument varies per row; the others are constants, as in queries */
        for (size_t a = 0; a < na; a++) {
            kql_value fixed = cast_for(codes[a < np ? a : np - 1], &pool[next_rand() % POOL]);
            for (size_t r = 0; r < ROWS; r++)
                rows[r * na + a] = a == 0 ? cast_for(codes[0], &pool[next_rand() % POOL]) : fixed;
        }
        (void)h_agg(f->name, na, na ? ROWS : 0, rows);
        sp_err_clear(&h_q.err);
        h_q.failed = 0;
        t_checks++;
    }
}

static void run(void) {
    /* FN_ROBUST_SEED varies the combinations (for longer local runs) */
    const char *seed = getenv("FN_ROBUST_SEED");
    if (seed && atoll(seed)) rng = (uint64_t)atoll(seed) * 0x9E3779B97F4A7C15ULL;
    h_begin();
    make_pool();
    for (size_t t = 0; t < SP_ARRAY_LEN(FAMILIES); t++)
        for (size_t i = 0; i < FAMILIES[t]->n; i++) {
            const kql_fn *f = &FAMILIES[t]->fns[i];
            if (f->row) run_scalar(f);
            if (f->agg) run_agg(f);
        }
    h_end();
}

TEST_MAIN(run)
