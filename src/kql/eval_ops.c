/* Binary operators: their scalar semantics (nulls, overflow, datetime and
 * timespan arithmetic) and vector kernels for the shapes queries use most. */
#include "eval.h"

#include <math.h>

/* ------------------------------------------------------- scalar semantics */

static bool arith_long(int op, int64_t a, int64_t b, int64_t *out) {
    switch (op) {
    case B_ADD: *out = (int64_t)((uint64_t)a + (uint64_t)b); return true;
    case B_SUB: *out = (int64_t)((uint64_t)a - (uint64_t)b); return true;
    case B_MUL: *out = (int64_t)((uint64_t)a * (uint64_t)b); return true;
    case B_DIV:
        if (b == 0) return false;
        if (a == INT64_MIN && b == -1) { *out = INT64_MIN; return true; }
        *out = a / b;
        return true;
    case B_MOD:
        if (b == 0) return false;
        if (b == -1) { *out = 0; return true; }
        *out = a % b;
        return true;
    }
    return false;
}

static double arith_real(int op, double a, double b) {
    switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
    case B_MOD: return fmod(a, b);
    }
    return NAN;
}

static void arith(int op, const kql_value *l, const kql_value *r, kql_value *out) {
    kql_type lt = l->type, rt = r->type, t = out->type;
    if (t == KQL_REAL || t == KQL_DECIMAL) {
        if (lt == KQL_TIMESPAN && rt == KQL_TIMESPAN) {
            kql_set_real(out, (double)l->u.i / (double)r->u.i);
            return;
        }
        kql_set_real(out, arith_real(op, kql_num(l), kql_num(r)));
        return;
    }
    if (t == KQL_INT || t == KQL_LONG) {
        int64_t v;
        if (!arith_long(op, l->u.i, r->u.i, &v)) { kql_set_null(out); return; }
        if (t == KQL_INT) v = (int32_t)v;
        kql_set_long(out, v);
        return;
    }
    if (t == KQL_DATETIME || t == KQL_TIMESPAN) {
        if ((op == B_MUL || op == B_DIV) && (lt != KQL_TIMESPAN || rt != KQL_TIMESPAN)) {
            /* timespan * number, number * timespan, timespan / number */
            double f = lt == KQL_TIMESPAN ? kql_num(r) : kql_num(l);
            int64_t ts = lt == KQL_TIMESPAN ? l->u.i : r->u.i;
            double res = op == B_MUL ? (double)ts * f : (double)ts / f;
            if (!isfinite(res)) { kql_set_null(out); return; }
            kql_set_long(out, (int64_t)llround(res));
            return;
        }
        int64_t v;
        if (!arith_long(op, l->u.i, r->u.i, &v)) { kql_set_null(out); return; }
        if (t == KQL_DATETIME && (v < SP_DT_MIN || v > SP_DT_MAX)) { kql_set_null(out); return; }
        kql_set_long(out, v);
        return;
    }
    kql_set_null(out);
}

static int cmp_result(int op, int c) {
    switch (op) {
    case B_EQ: return c == 0;
    case B_NE: return c != 0;
    case B_LT: return c < 0;
    case B_LE: return c <= 0;
    case B_GT: return c > 0;
    case B_GE: return c >= 0;
    }
    return 0;
}

void kql_binop_value(kql_qctx *q, sp_arena *a, const kql_expr *e, const kql_value *l0, const kql_value *r0, kql_value *out) {
    int op = e->op;
    if (op == B_AND || op == B_OR) {
        bool ln = l0->null, rn = r0->null;
        bool lv = !ln && l0->u.b, rv = !rn && r0->u.b;
        if (op == B_AND) {
            if ((!ln && !lv) || (!rn && !rv)) kql_set_bool(out, false);
            else if (ln || rn) kql_set_null(out);
            else kql_set_bool(out, true);
        } else {
            if (lv || rv) kql_set_bool(out, true);
            else if (ln || rn) kql_set_null(out);
            else kql_set_bool(out, false);
        }
        return;
    }
    kql_value lu = *l0, ru = *r0;
    const kql_value *l = &lu, *r = &ru;
    if (l->type == KQL_DYNAMIC && !l->null) kql_dyn_to_value(l->u.d, &lu);
    if (r->type == KQL_DYNAMIC && !r->null) kql_dyn_to_value(r->u.d, &ru);
    if (op == B_MATCHES) {
        sp_str hs = kql_value_str(a, l);
        if (e->aux) {
            kql_set_bool(out, kql_regex_match(e->aux, hs));
            return;
        }
        /* a pattern from the row: compile it for this value */
        sp_str ps = kql_value_str(a, r);
        char err[300];
        void *re = kql_regex_compile(ps.p, ps.n, false, err, sizeof err);
        if (!re) {
            kql_fail(q, SP_ERR_RUNTIME, "bad_regex", "%s", err);
            kql_set_null(out);
            return;
        }
        kql_set_bool(out, kql_regex_match(re, hs));
        kql_regex_free(re);
        return;
    }
    if (op >= B_HAS && op <= B_NOTLIKE_CS) {
        sp_str hs = kql_value_str(a, l), ns = kql_value_str(a, r);
        kql_set_bool(out, kql_strop(op, hs, ns, NULL));
        return;
    }
    if (op == B_EQ_CI || op == B_NE_CI) {
        sp_str x = kql_value_str(a, l), y = kql_value_str(a, r);
        bool eq = sp_str_ieq(x, y);
        kql_set_bool(out, op == B_EQ_CI ? eq : !eq);
        return;
    }
    bool lnull = l->null && l->type != KQL_STRING, rnull = r->null && r->type != KQL_STRING;
    if (op >= B_EQ && op <= B_GE) {
        if (lnull || rnull) {
            kql_set_null(out);
            return;
        }
        if (l->type == KQL_DYNAMIC || r->type == KQL_DYNAMIC) {
            /* arrays and bags compare by equality only */
            if (op == B_EQ || op == B_NE) {
                kql_value x = *l0, y = *r0;
                if (x.type != KQL_DYNAMIC) x.u.d = kql_value_to_dyn(a, &x), x.type = KQL_DYNAMIC;
                if (y.type != KQL_DYNAMIC) y.u.d = kql_value_to_dyn(a, &y), y.type = KQL_DYNAMIC;
                bool eq = kql_dyn_equal(x.u.d, y.u.d);
                kql_set_bool(out, op == B_EQ ? eq : !eq);
            } else {
                kql_set_null(out);
            }
            return;
        }
        bool lnum = kql_type_is_numeric(l->type), rnum = kql_type_is_numeric(r->type);
        if (l->type != r->type && !(lnum && rnum)) {
            /* values of unrelated types (from dynamic) are unequal */
            if (op == B_EQ) kql_set_bool(out, false);
            else if (op == B_NE) kql_set_bool(out, true);
            else kql_set_null(out);
            return;
        }
        if ((l->type == KQL_REAL || r->type == KQL_REAL) && (isnan(kql_num(l)) || isnan(kql_num(r)))) {
            kql_set_bool(out, op == B_NE);
            return;
        }
        kql_set_bool(out, cmp_result(op, kql_value_cmp(l, r)));
        return;
    }
    if (op >= B_ADD && op <= B_MOD) {
        if (lnull || rnull) {
            kql_set_null(out);
            return;
        }
        if (out->type == KQL_DYNAMIC) {
            /* dynamic arithmetic: numbers inside, a dynamic number out */
            kql_value res = {.type = KQL_REAL};
            bool ints = (l->type == KQL_LONG || l->type == KQL_INT) && (r->type == KQL_LONG || r->type == KQL_INT);
            if (!kql_type_is_numeric(l->type) || !kql_type_is_numeric(r->type)) {
                kql_set_null(out);
                return;
            }
            if (ints) res.type = KQL_LONG;
            arith(op, l, r, &res);
            out->null = res.null;
            out->u.d = kql_value_to_dyn(a, &res);
            return;
        }
        arith(op, l, r, out);
        return;
    }
    kql_set_null(out);
}

/* ---------------------------------------------------------- vector kernels */

static inline bool is_i64(kql_type t) { return t == KQL_LONG || t == KQL_DATETIME || t == KQL_TIMESPAN; }

static uint64_t *merge_nulls(sp_arena *a, const kql_col *l, const kql_col *r, size_t n) {
    const uint64_t *x = (l->flags & KQL_COL_CONST) ? NULL : l->nulls;
    const uint64_t *y = (r->flags & KQL_COL_CONST) ? NULL : r->nulls;
    if (!x && !y) return NULL;
    size_t w = kql_nullmap_words(n);
    uint64_t *m = sp_arena_alloc(a, w * 8);
    for (size_t i = 0; i < w; i++) m[i] = (x ? x[i] : 0) | (y ? y[i] : 0);
    return m;
}

#define CMP_LOOP(T, lv, rv)                                                                 \
    do {                                                                                    \
        switch (op) {                                                                       \
        case B_EQ: for (size_t i = 0; i < n; i++) o[i] = (lv) == (rv); break;              \
        case B_NE: for (size_t i = 0; i < n; i++) o[i] = (lv) != (rv); break;              \
        case B_LT: for (size_t i = 0; i < n; i++) o[i] = (lv) < (rv); break;               \
        case B_LE: for (size_t i = 0; i < n; i++) o[i] = (lv) <= (rv); break;              \
        case B_GT: for (size_t i = 0; i < n; i++) o[i] = (lv) > (rv); break;               \
        case B_GE: for (size_t i = 0; i < n; i++) o[i] = (lv) >= (rv); break;              \
        }                                                                                   \
    } while (0)

static kql_col *cmp_numeric(sp_arena *a, int op, const kql_col *l, const kql_col *r, size_t n) {
    bool lc = (l->flags & KQL_COL_CONST) != 0, rc = (r->flags & KQL_COL_CONST) != 0;
    if (lc && rc) return NULL;
    if ((lc && kql_col_isnull(l, 0)) || (rc && kql_col_isnull(r, 0))) {
        kql_value nv = {.type = KQL_BOOL, .null = true};
        return kql_col_const(a, &nv, n);
    }
    kql_col *out = kql_col_new(a, KQL_BOOL, n);
    uint8_t *o = out->v.b;
    if (is_i64(l->type) && is_i64(r->type)) {
        const int64_t *x = l->v.i64, *y = r->v.i64;
        if (rc) {
            int64_t k = y[0];
            CMP_LOOP(int64_t, x[i], k);
        } else if (lc) {
            int64_t k = x[0];
            CMP_LOOP(int64_t, k, y[i]);
        } else {
            CMP_LOOP(int64_t, x[i], y[i]);
        }
    } else if ((l->type == KQL_REAL || l->type == KQL_DECIMAL) && (r->type == KQL_REAL || r->type == KQL_DECIMAL)) {
        const double *x = l->v.f64, *y = r->v.f64;
        if (rc) {
            double k = y[0];
            CMP_LOOP(double, x[i], k);
        } else if (lc) {
            double k = x[0];
            CMP_LOOP(double, k, y[i]);
        } else {
            CMP_LOOP(double, x[i], y[i]);
        }
    } else if (l->type == KQL_INT && r->type == KQL_INT) {
        const int32_t *x = l->v.i32, *y = r->v.i32;
        if (rc) {
            int32_t k = y[0];
            CMP_LOOP(int32_t, x[i], k);
        } else if (lc) {
            int32_t k = x[0];
            CMP_LOOP(int32_t, k, y[i]);
        } else {
            CMP_LOOP(int32_t, x[i], y[i]);
        }
    } else if (l->type == KQL_BOOL && r->type == KQL_BOOL && (op == B_EQ || op == B_NE)) {
        const uint8_t *x = l->v.b, *y = r->v.b;
        if (rc) {
            uint8_t k = y[0];
            CMP_LOOP(uint8_t, x[i], k);
        } else if (lc) {
            uint8_t k = x[0];
            CMP_LOOP(uint8_t, k, y[i]);
        } else {
            CMP_LOOP(uint8_t, x[i], y[i]);
        }
    } else {
        return NULL;
    }
    out->nulls = merge_nulls(a, l, r, n);
    return out;
}

static kql_col *arith_vec(sp_arena *a, int op, kql_type t, const kql_col *l, const kql_col *r, size_t n) {
    bool lc = (l->flags & KQL_COL_CONST) != 0, rc = (r->flags & KQL_COL_CONST) != 0;
    if (lc && rc) return NULL;
    if (op == B_DIV || op == B_MOD) {
        if (t != KQL_REAL) return NULL; /* integer division needs the zero check per row */
    }
    if (t == KQL_REAL && l->type == KQL_REAL && r->type == KQL_REAL) {
        kql_col *out = kql_col_new(a, t, n);
        double *o = out->v.f64;
        const double *x = l->v.f64, *y = r->v.f64;
        for (size_t i = 0; i < n; i++) {
            double p = x[lc ? 0 : i], s = y[rc ? 0 : i];
            o[i] = arith_real(op, p, s);
        }
        out->nulls = merge_nulls(a, l, r, n);
        return out;
    }
    if ((t == KQL_LONG || t == KQL_TIMESPAN || t == KQL_DATETIME) && is_i64(l->type) && is_i64(r->type) &&
        (op == B_ADD || op == B_SUB)) {
        if (t == KQL_DATETIME) return NULL; /* range checks per row */
        kql_col *out = kql_col_new(a, t, n);
        int64_t *o = out->v.i64;
        const int64_t *x = l->v.i64, *y = r->v.i64;
        if (op == B_ADD)
            for (size_t i = 0; i < n; i++) o[i] = (int64_t)((uint64_t)x[lc ? 0 : i] + (uint64_t)y[rc ? 0 : i]);
        else
            for (size_t i = 0; i < n; i++) o[i] = (int64_t)((uint64_t)x[lc ? 0 : i] - (uint64_t)y[rc ? 0 : i]);
        out->nulls = merge_nulls(a, l, r, n);
        return out;
    }
    return NULL;
}

static kql_col *logic_vec(sp_arena *a, int op, const kql_col *l, const kql_col *r, size_t n) {
    if (l->type != KQL_BOOL || r->type != KQL_BOOL) return NULL;
    bool lc = (l->flags & KQL_COL_CONST) != 0, rc = (r->flags & KQL_COL_CONST) != 0;
    bool ln = l->nulls && !lc, rn = r->nulls && !rc;
    if (ln || rn || (lc && kql_col_isnull(l, 0)) || (rc && kql_col_isnull(r, 0))) return NULL;
    kql_col *out = kql_col_new(a, KQL_BOOL, n);
    uint8_t *o = out->v.b;
    const uint8_t *x = l->v.b, *y = r->v.b;
    if (op == B_AND)
        for (size_t i = 0; i < n; i++) o[i] = x[lc ? 0 : i] & y[rc ? 0 : i];
    else
        for (size_t i = 0; i < n; i++) o[i] = x[lc ? 0 : i] | y[rc ? 0 : i];
    return out;
}

/* String operator with a constant right side, over a flat or dictionary column. */
static kql_col *strop_vec(kql_qctx *q, sp_arena *a, const kql_expr *e, const kql_col *l, const kql_col *r, size_t n) {
    if (l->type != KQL_STRING || r->type != KQL_STRING || !(r->flags & KQL_COL_CONST) || (l->flags & KQL_COL_CONST))
        return NULL;
    int op = e->op;
    sp_str needle = kql_col_str(r, 0);
    const void *re = op == B_MATCHES ? e->aux : NULL;
    if (op == B_MATCHES && !re) return NULL;
    bool eqop = op == B_EQ || op == B_NE || op == B_EQ_CI || op == B_NE_CI;
    bool strop = (op >= B_HAS && op <= B_NOTLIKE_CS) || op == B_MATCHES;
    bool cmpop = op == B_LT || op == B_LE || op == B_GT || op == B_GE;
    if (!eqop && !strop && !cmpop) return NULL;
    kql_col *out = kql_col_new(a, KQL_BOOL, n);
    uint8_t *o = out->v.b;
    if (l->flags & KQL_COL_DICT) {
        const uint8_t *hit = kql_dict_cache_get(q, e, l->dict);
        if (!hit) {
            uint32_t dn = l->dict->n;
            uint8_t *h = sp_arena_alloc(kql_thread_arena(q), dn ? dn : 1);
            for (uint32_t k = 0; k < dn; k++) {
                sp_str s = l->dict->s[k];
                bool v;
                if (op == B_EQ) v = sp_str_eq(s, needle);
                else if (op == B_NE) v = !sp_str_eq(s, needle);
                else if (op == B_EQ_CI) v = sp_str_ieq(s, needle);
                else if (op == B_NE_CI) v = !sp_str_ieq(s, needle);
                else if (op == B_MATCHES) v = kql_regex_match(re, s);
                else if (cmpop) v = cmp_result(op, sp_str_cmp(s, needle));
                else v = kql_strop(op, s, needle, NULL);
                h[k] = v;
            }
            hit = kql_dict_cache_put(q, e, l->dict, h);
        }
        const uint32_t *codes = l->v.codes;
        for (size_t i = 0; i < n; i++) o[i] = hit[codes[i]];
        return out;
    }
    const sp_str *s = l->v.s;
    switch (op) {
    case B_EQ:
        for (size_t i = 0; i < n; i++) o[i] = sp_str_eq(s[i], needle);
        break;
    case B_NE:
        for (size_t i = 0; i < n; i++) o[i] = !sp_str_eq(s[i], needle);
        break;
    case B_EQ_CI:
        for (size_t i = 0; i < n; i++) o[i] = sp_str_ieq(s[i], needle);
        break;
    case B_NE_CI:
        for (size_t i = 0; i < n; i++) o[i] = !sp_str_ieq(s[i], needle);
        break;
    case B_MATCHES:
        for (size_t i = 0; i < n; i++) o[i] = kql_regex_match(re, s[i]);
        break;
    default:
        if (cmpop)
            for (size_t i = 0; i < n; i++) o[i] = cmp_result(op, sp_str_cmp(s[i], needle));
        else
            for (size_t i = 0; i < n; i++) o[i] = kql_strop(op, s[i], needle, NULL);
        break;
    }
    return out;
}

kql_col *kql_binop_vec(kql_qctx *q, sp_arena *a, const kql_expr *e, kql_col *l, kql_col *r, size_t n) {
    int op = e->op;
    if (op == B_AND || op == B_OR) return logic_vec(a, op, l, r, n);
    if (l->type == KQL_STRING) return strop_vec(q, a, e, l, r, n);
    if (op >= B_EQ && op <= B_GE && l->type == r->type) return cmp_numeric(a, op, l, r, n);
    if (op >= B_ADD && op <= B_MOD && l->type == r->type && e->type == l->type) return arith_vec(a, op, e->type, l, r, n);
    if (op >= B_ADD && op <= B_SUB && e->type == KQL_TIMESPAN && is_i64(l->type) && is_i64(r->type))
        return arith_vec(a, op, e->type, l, r, n);
    return NULL;
}
