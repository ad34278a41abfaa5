/* Functions over dynamic arrays and property bags: lengths, slices, sorting,
 * sets, packing, zipping, keys and merges, range/repeat, JSON text. */
#include "fn_util.h"

#include <math.h>
#include <stdlib.h>

#define RANGE_MAX 1048576 /* elements range() and repeat() may build */

static const kql_dyn *arg_array(kql_fctx *c, const kql_value *v) {
    const kql_dyn *d = fa_dyn(c, v);
    return d && d->kind == KQL_DYN_ARRAY ? d : NULL;
}

static const kql_dyn *arg_bag(kql_fctx *c, const kql_value *v) {
    const kql_dyn *d = fa_dyn(c, v);
    return d && d->kind == KQL_DYN_BAG ? d : NULL;
}

static const kql_dyn *make_array(sp_arena *a, const kql_dyn *items, size_t n) {
    kql_dyn *d = SP_NEW(a, kql_dyn);
    d->kind = KQL_DYN_ARRAY;
    d->n = (uint32_t)n;
    d->u.items = n ? items : NULL;
    return d;
}

/* array_length(array) : long; null for a non-array */
static void fn_array_length(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *d = arg_array(c, &a[0]);
    if (!d) kql_set_null(out);
    else kql_set_long(out, d->n);
}

/* array_concat(array1, array2, ...) : dynamic; null when any is not an array */
static void fn_array_concat(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const kql_dyn *d = arg_array(c, &a[i]);
        if (!d) {
            kql_set_null(out);
            return;
        }
        total += d->n;
    }
    kql_dyn *items = SP_NEWN(c->arena, kql_dyn, total ? total : 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const kql_dyn *d = arg_array(c, &a[i]);
        if (d->n) memcpy(items + k, d->u.items, d->n * sizeof(kql_dyn));
        k += d->n;
    }
    fn_set_dyn(out, make_array(c->arena, items, total));
}

/* normalizes an index (negative counts from the end) */
static int64_t norm_index(int64_t i, int64_t n) { return i < 0 ? i + n : i; }

/* array_slice(array, start, end) : dynamic, items start..end inclusive;
 * negative indexes count from the end; clipped to the array */
static void fn_array_slice(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *d = arg_array(c, &a[0]);
    int64_t s, e;
    if (!d || !fa_long(&a[1], &s) || !fa_long(&a[2], &e)) {
        kql_set_null(out);
        return;
    }
    int64_t len = d->n;
    s = norm_index(s, len);
    e = norm_index(e, len);
    if (s < 0) s = 0;
    if (e >= len) e = len - 1;
    if (s > e || s >= len) {
        fn_set_dyn(out, make_array(c->arena, NULL, 0));
        return;
    }
    fn_set_dyn(out, make_array(c->arena, d->u.items + s, (size_t)(e - s + 1)));
}

/* array_reverse(array) : dynamic */
static void fn_array_reverse(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *d = arg_array(c, &a[0]);
    if (!d) {
        kql_set_null(out);
        return;
    }
    kql_dyn *items = SP_NEWN(c->arena, kql_dyn, d->n ? d->n : 1);
    for (uint32_t i = 0; i < d->n; i++) items[i] = d->u.items[d->n - 1 - i];
    fn_set_dyn(out, make_array(c->arena, items, d->n));
}

/* array_rotate_left/right(array, count), array_shift_left/right(array,
 * count [, fill]) : dynamic */
static void rotate_shift(kql_fctx *c, const kql_value *a, size_t n, kql_value *out, bool left, bool shift) {
    const kql_dyn *d = arg_array(c, &a[0]);
    int64_t k;
    if (!d || !fa_long(&a[1], &k)) {
        kql_set_null(out);
        return;
    }
    int64_t len = d->n;
    kql_dyn fill = n > 2 ? value_dyn(c->arena, &a[2]) : *dyn_null();
    kql_dyn *items = SP_NEWN(c->arena, kql_dyn, len ? (size_t)len : 1);
    /* bring k into -len..len first, so that negating and adding cannot overflow */
    if (!len) k = 0;
    else k = shift ? (k > len ? len : k < -len ? -len : k) : k % len;
    if (!left) k = -k;
    for (int64_t i = 0; i < len; i++) {
        int64_t src = i + k;
        if (shift) items[i] = src >= 0 && src < len ? d->u.items[src] : fill;
        else items[i] = d->u.items[((src % len) + len) % len];
    }
    fn_set_dyn(out, make_array(c->arena, items, (size_t)len));
}

static void fn_array_rotate_left(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    rotate_shift(c, a, n, out, true, false);
}
static void fn_array_rotate_right(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    rotate_shift(c, a, n, out, false, false);
}
static void fn_array_shift_left(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    rotate_shift(c, a, n, out, true, true);
}
static void fn_array_shift_right(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    rotate_shift(c, a, n, out, false, true);
}

/* array_index_of(array, value [, start [, length [, occurrence]]]) : long,
 * the index of the value (-1 if absent); null for a non-array */
static void fn_array_index_of(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    const kql_dyn *d = arg_array(c, &a[0]);
    int64_t start = 0, len = -1, occ = 1;
    if (!d || (n > 2 && !fa_isnull(&a[2]) && !fa_long(&a[2], &start)) ||
        (n > 3 && !fa_isnull(&a[3]) && !fa_long(&a[3], &len)) ||
        (n > 4 && !fa_isnull(&a[4]) && !fa_long(&a[4], &occ)) || len < -1 || occ <= 0) {
        kql_set_null(out);
        return;
    }
    int64_t cnt = d->n;
    start = norm_index(start, cnt);
    if (start < 0) start = 0;
    int64_t end = len < 0 || len > cnt - start ? cnt : start + len;
    kql_dyn want = value_dyn(c->arena, &a[1]);
    for (int64_t i = start; i < end; i++) {
        if (kql_dyn_equal(&d->u.items[i], &want) && --occ == 0) {
            kql_set_long(out, i);
            return;
        }
    }
    kql_set_long(out, -1);
}

/* array_sum(array) : real, the sum of the numeric items (null when any is not
 * a number) */
static void fn_array_sum(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *d = arg_array(c, &a[0]);
    if (!d) {
        kql_set_null(out);
        return;
    }
    double s = 0;
    for (uint32_t i = 0; i < d->n; i++) {
        const kql_dyn *x = &d->u.items[i];
        if (x->kind == KQL_DYN_LONG) s += (double)x->u.i;
        else if (x->kind == KQL_DYN_REAL) s += x->u.r;
        else {
            kql_set_null(out);
            return;
        }
    }
    kql_set_real(out, s);
}

/* array_sort_asc/desc(array [, nulls_last]) : dynamic. Items of one kind
 * compare by value; mixed kinds by kind. Nulls go last unless nulls_last is
 * false. (Kusto's form sorting several arrays together returns several
 * columns and is not supported.) */
static int dyn_order(const kql_dyn *x, const kql_dyn *y) {
    kql_value a, b;
    kql_dyn_to_value(x, &a);
    kql_dyn_to_value(y, &b);
    return kql_value_cmp(&a, &b);
}

static int sort_cmp(const void *p, const void *q, void *desc) {
    int r = dyn_order(p, q);
    return *(bool *)desc ? -r : r;
}

static kql_type bind_array_sort(kql_bindctx *b, kql_expr *call) {
    uint32_t arrays = call->nargs;
    if (arrays > 1 && call->args[arrays - 1]->type == KQL_BOOL) arrays--;
    if (arrays != 1) {
        kql_bind_error(b, call->args[arrays > 1 ? 1 : 0], "not_supported",
                       "%s() of several arrays at once is not supported; sort one array per call",
                       call->fn ? call->fn->name : "array_sort");
        return KQL_UNKNOWN;
    }
    return KQL_DYNAMIC;
}

static void array_sort(kql_fctx *c, const kql_value *a, size_t n, kql_value *out, bool desc) {
    const kql_dyn *d = arg_array(c, &a[0]);
    if (!d) {
        kql_set_null(out);
        return;
    }
    bool nulls_last = true;
    if (n > 1 && !fa_isnull(&a[1])) fa_bool(&a[1], &nulls_last);
    kql_dyn *items = SP_NEWN(c->arena, kql_dyn, d->n ? d->n : 1);
    size_t k = 0, nulls = 0;
    for (uint32_t i = 0; i < d->n; i++) {
        if (d->u.items[i].kind == KQL_DYN_NULL) nulls++;
        else items[k++] = d->u.items[i];
    }
    qsort_r(items, k, sizeof(kql_dyn), sort_cmp, &desc);
    if (nulls) {
        if (nulls_last) {
            for (size_t i = 0; i < nulls; i++) items[k + i] = *dyn_null();
        } else {
            memmove(items + nulls, items, k * sizeof(kql_dyn));
            for (size_t i = 0; i < nulls; i++) items[i] = *dyn_null();
        }
    }
    fn_set_dyn(out, make_array(c->arena, items, d->n));
}

static void fn_array_sort_asc(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    array_sort(c, a, n, out, false);
}
static void fn_array_sort_desc(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    array_sort(c, a, n, out, true);
}

/* array_split(array, index or indices) : array of arrays cut before each index */
static void fn_array_split(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *d = arg_array(c, &a[0]);
    if (!d) {
        kql_set_null(out);
        return;
    }
    int64_t cuts[256];
    size_t nc = 0;
    const kql_dyn *ix = fa_dyn(c, &a[1]);
    if (ix && ix->kind == KQL_DYN_ARRAY) {
        for (uint32_t i = 0; i < ix->n && nc < 256; i++)
            if (ix->u.items[i].kind == KQL_DYN_LONG) cuts[nc++] = ix->u.items[i].u.i;
    } else {
        int64_t k;
        if (!fa_long(&a[1], &k)) {
            kql_set_null(out);
            return;
        }
        cuts[nc++] = k;
    }
    fn_arr res;
    arr_init(&res, c->arena, nc + 1);
    int64_t len = d->n, prev = 0;
    for (size_t i = 0; i <= nc; i++) {
        int64_t cut = i < nc ? norm_index(cuts[i], len) : len;
        if (cut < prev) cut = prev;
        if (cut > len) cut = len;
        arr_push(&res, *make_array(c->arena, cut > prev ? d->u.items + prev : NULL, (size_t)(cut - prev)));
        prev = cut;
    }
    fn_set_dyn(out, arr_done(&res));
}

/* array_iff(conditions, when_true, when_false) : dynamic; each item picks from
 * when_true/when_false (arrays by position, or scalars) by its condition;
 * non-bool conditions give null items */
static void fn_array_iff(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *cond = arg_array(c, &a[0]);
    if (!cond) {
        kql_set_null(out);
        return;
    }
    const kql_dyn *t = fa_dyn(c, &a[1]), *f = fa_dyn(c, &a[2]);
    kql_dyn *items = SP_NEWN(c->arena, kql_dyn, cond->n ? cond->n : 1);
    for (uint32_t i = 0; i < cond->n; i++) {
        const kql_dyn *x = &cond->u.items[i];
        bool v;
        if (x->kind == KQL_DYN_BOOL) v = x->u.b;
        else if (x->kind == KQL_DYN_LONG) v = x->u.i != 0;
        else if (x->kind == KQL_DYN_REAL) v = x->u.r != 0;
        else {
            items[i] = *dyn_null();
            continue;
        }
        const kql_dyn *src = v ? t : f;
        if (src && src->kind == KQL_DYN_ARRAY) items[i] = i < src->n ? src->u.items[i] : *dyn_null();
        else items[i] = src ? *src : *dyn_null();
    }
    fn_set_dyn(out, make_array(c->arena, items, cond->n));
}

/* ------------------------------------------------------------------- bags */

/* bag_keys(bag) : array of the keys; null for a non-bag */
static void fn_bag_keys(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *d = arg_bag(c, &a[0]);
    if (!d) {
        kql_set_null(out);
        return;
    }
    kql_dyn *items = SP_NEWN(c->arena, kql_dyn, d->n ? d->n : 1);
    for (uint32_t i = 0; i < d->n; i++) items[i] = dyn_str_ref(d->u.kv[i].key, d->u.kv[i].klen);
    fn_set_dyn(out, make_array(c->arena, items, d->n));
}

/* bag_merge(bag1, bag2, ...) : dynamic; on a duplicate key the first bag wins */
static void fn_bag_merge(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    fn_bag b;
    bag_init(&b, c->arena, 16);
    for (size_t i = 0; i < n; i++) {
        const kql_dyn *d = arg_bag(c, &a[i]);
        if (!d) {
            kql_set_null(out);
            return;
        }
        for (uint32_t k = 0; k < d->n; k++) bag_add_new(&b, d->u.kv[k].key, d->u.kv[k].klen, d->u.kv[k].val);
    }
    fn_set_dyn(out, bag_done(&b));
}

/* A key argument: a plain key, or a JSONPath-like "$.a.b" / "$['a']" (a
 * path of member names). */
static size_t key_path(sp_str k, sp_str *parts, size_t max) {
    if (k.n == 0 || k.p[0] != '$') {
        parts[0] = k;
        return 1;
    }
    size_t np = 0, i = 1;
    while (i < k.n && np < max) {
        if (k.p[i] == '.') {
            size_t s = ++i;
            while (i < k.n && k.p[i] != '.' && k.p[i] != '[') i++;
            parts[np++] = (sp_str){k.p + s, i - s};
        } else if (k.p[i] == '[' && i + 1 < k.n && (k.p[i + 1] == '\'' || k.p[i + 1] == '"')) {
            char q = k.p[i + 1];
            size_t s = i + 2, e = s;
            while (e < k.n && k.p[e] != q) e++;
            parts[np++] = (sp_str){k.p + s, e - s};
            i = e + 2;
        } else {
            return 0;
        }
    }
    return np;
}

/* bag_has_key(bag, key) : bool; the key may be a path "$.a.b" */
static void fn_bag_has_key(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *d = arg_bag(c, &a[0]);
    if (!d) {
        kql_set_null(out);
        return;
    }
    sp_str parts[32];
    size_t np = key_path(fa_str(c, &a[1]), parts, 32);
    for (size_t i = 0; i < np && d; i++) d = kql_dyn_get(d, parts[i].p, parts[i].n);
    kql_set_bool(out, np > 0 && d != NULL);
}

/* bag_remove_keys(bag, keys) : dynamic without those (top-level or "$.a.b") keys */
static const kql_dyn *remove_path(sp_arena *ar, const kql_dyn *d, const sp_str *parts, size_t np) {
    if (!d || d->kind != KQL_DYN_BAG || np == 0) return d;
    fn_bag b;
    bag_init(&b, ar, d->n + 1);
    for (uint32_t i = 0; i < d->n; i++) {
        const kql_dyn_kv *kv = &d->u.kv[i];
        if (kv->klen == parts[0].n && memcmp(kv->key, parts[0].p, parts[0].n) == 0) {
            if (np == 1) continue;
            bag_append(&b, kv->key, kv->klen, *remove_path(ar, &kv->val, parts + 1, np - 1));
            continue;
        }
        bag_append(&b, kv->key, kv->klen, kv->val);
    }
    return bag_done(&b);
}

static void fn_bag_remove_keys(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *d = arg_bag(c, &a[0]);
    const kql_dyn *keys = arg_array(c, &a[1]);
    if (!d || !keys) {
        kql_set_null(out);
        return;
    }
    for (uint32_t i = 0; i < keys->n; i++) {
        sp_str k, parts[32];
        if (!dyn_is_str(&keys->u.items[i], &k)) continue;
        size_t np = key_path(k, parts, 32);
        d = remove_path(c->arena, d, parts, np);
    }
    fn_set_dyn(out, d);
}

/* bag_set_key(bag, key, value) : dynamic with key (or path) set to value */
static const kql_dyn *set_path(sp_arena *ar, const kql_dyn *d, const sp_str *parts, size_t np, kql_dyn val) {
    fn_bag b;
    bag_init(&b, ar, (d && d->kind == KQL_DYN_BAG ? d->n : 0) + 1);
    if (d && d->kind == KQL_DYN_BAG)
        for (uint32_t i = 0; i < d->n; i++) bag_append(&b, d->u.kv[i].key, d->u.kv[i].klen, d->u.kv[i].val);
    if (np == 1) {
        bag_set(&b, parts[0].p, parts[0].n, val);
    } else {
        const kql_dyn *child = d ? kql_dyn_get(d, parts[0].p, parts[0].n) : NULL;
        bag_set(&b, parts[0].p, parts[0].n, *set_path(ar, child, parts + 1, np - 1, val));
    }
    return bag_done(&b);
}

static void fn_bag_set_key(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *d = arg_bag(c, &a[0]);
    sp_str parts[32];
    size_t np = key_path(fa_str(c, &a[1]), parts, 32);
    if (!d || np == 0) {
        kql_set_null(out);
        return;
    }
    fn_set_dyn(out, set_path(c->arena, d, parts, np, value_dyn(c->arena, &a[2])));
}

/* bag_zip(keys, values) : dynamic bag pairing string keys with values (null
 * when values run out; non-string keys skipped) */
static void fn_bag_zip(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *k = arg_array(c, &a[0]), *v = arg_array(c, &a[1]);
    if (!k || !v) {
        kql_set_null(out);
        return;
    }
    fn_bag b;
    bag_init(&b, c->arena, k->n + 1);
    for (uint32_t i = 0; i < k->n; i++) {
        sp_str key;
        if (!dyn_is_str(&k->u.items[i], &key)) continue;
        bag_set(&b, key.p, key.n, i < v->n ? v->u.items[i] : *dyn_null());
    }
    fn_set_dyn(out, bag_done(&b));
}

/* bag_pack / pack / pack_dictionary (key1, value1, key2, value2, ...) :
 * dynamic bag; a later duplicate key replaces an earlier one */
static kql_type bind_pack(kql_bindctx *b, kql_expr *call) {
    if (call->nargs % 2) {
        kql_bind_error(b, call, "wrong_arity", "%s() takes key, value pairs", call->fn ? call->fn->name : "pack");
        return KQL_UNKNOWN;
    }
    return KQL_DYNAMIC;
}

static void fn_pack(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    fn_bag b;
    bag_init(&b, c->arena, n / 2 + 1);
    for (size_t i = 0; i + 1 < n; i += 2) {
        if (fa_isnull(&a[i])) continue;
        sp_str k = fa_str(c, &a[i]);
        bag_set(&b, k.p, k.n, value_dyn(c->arena, &a[i + 1]));
    }
    fn_set_dyn(out, bag_done(&b));
}

/* pack_array(value1, ...) : dynamic array (nulls kept) */
static void fn_pack_array(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    kql_dyn *items = SP_NEWN(c->arena, kql_dyn, n ? n : 1);
    for (size_t i = 0; i < n; i++) items[i] = value_dyn(c->arena, &a[i]);
    fn_set_dyn(out, make_array(c->arena, items, n));
}

/* ------------------------------------------------------------------- sets */

/* set_union(set1, set2, ...) : distinct items of all arrays, first-seen order */
static void fn_set_union(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    fn_dset s;
    dset_init(&s, c->arena, 16);
    fn_arr res;
    arr_init(&res, c->arena, 16);
    for (size_t i = 0; i < n; i++) {
        const kql_dyn *d = arg_array(c, &a[i]);
        if (!d) {
            kql_set_null(out);
            return;
        }
        for (uint32_t k = 0; k < d->n; k++)
            if (dset_add(&s, &d->u.items[k])) arr_push(&res, d->u.items[k]);
    }
    fn_set_dyn(out, arr_done(&res));
}

/* set_intersect(set1, set2, ...) : distinct items of set1 present in all others */
static void fn_set_intersect(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    fn_dset *others = SP_NEWN(c->arena, fn_dset, n);
    for (size_t i = 0; i < n; i++) {
        const kql_dyn *d = arg_array(c, &a[i]);
        if (!d) {
            kql_set_null(out);
            return;
        }
        dset_init(&others[i], c->arena, d->n);
        for (uint32_t k = 0; k < d->n; k++) dset_add(&others[i], &d->u.items[k]);
    }
    const kql_dyn *first = arg_array(c, &a[0]);
    fn_dset seen;
    dset_init(&seen, c->arena, first->n);
    fn_arr res;
    arr_init(&res, c->arena, 16);
    for (uint32_t k = 0; k < first->n; k++) {
        const kql_dyn *x = &first->u.items[k];
        bool all = true;
        for (size_t i = 1; i < n && all; i++) all = dset_has(&others[i], x);
        if (all && dset_add(&seen, x)) arr_push(&res, *x);
    }
    fn_set_dyn(out, arr_done(&res));
}

/* set_difference(set1, set2, ...) : distinct items of set1 in none of the others */
static void fn_set_difference(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    fn_dset excl;
    dset_init(&excl, c->arena, 16);
    for (size_t i = 0; i < n; i++) {
        const kql_dyn *d = arg_array(c, &a[i]);
        if (!d) {
            kql_set_null(out);
            return;
        }
        if (i)
            for (uint32_t k = 0; k < d->n; k++) dset_add(&excl, &d->u.items[k]);
    }
    const kql_dyn *first = arg_array(c, &a[0]);
    fn_dset seen;
    dset_init(&seen, c->arena, first->n);
    fn_arr res;
    arr_init(&res, c->arena, 16);
    for (uint32_t k = 0; k < first->n; k++) {
        const kql_dyn *x = &first->u.items[k];
        if (!dset_has(&excl, x) && dset_add(&seen, x)) arr_push(&res, *x);
    }
    fn_set_dyn(out, arr_done(&res));
}

/* set_has_element(set, value) : bool */
static void fn_set_has_element(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *d = arg_array(c, &a[0]);
    if (!d) {
        kql_set_null(out);
        return;
    }
    kql_dyn want = value_dyn(c->arena, &a[1]);
    for (uint32_t k = 0; k < d->n; k++)
        if (kql_dyn_equal(&d->u.items[k], &want)) {
            kql_set_bool(out, true);
            return;
        }
    kql_set_bool(out, false);
}

/* set_equals(set1, set2) : bool, the same distinct items */
static void fn_set_equals(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *x = arg_array(c, &a[0]), *y = arg_array(c, &a[1]);
    if (!x || !y) {
        kql_set_null(out);
        return;
    }
    fn_dset sx, sy;
    dset_init(&sx, c->arena, x->n);
    dset_init(&sy, c->arena, y->n);
    for (uint32_t k = 0; k < x->n; k++) dset_add(&sx, &x->u.items[k]);
    for (uint32_t k = 0; k < y->n; k++) dset_add(&sy, &y->u.items[k]);
    bool eq = sx.n == sy.n;
    for (uint32_t k = 0; k < x->n && eq; k++) eq = dset_has(&sy, &x->u.items[k]);
    kql_set_bool(out, eq);
}

/* jaccard_index(set1, set2) : real, |intersection| / |union| of the distinct
 * items (0 for two empty sets) */
static void fn_jaccard_index(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *x = arg_array(c, &a[0]), *y = arg_array(c, &a[1]);
    if (!x || !y) {
        kql_set_null(out);
        return;
    }
    fn_dset sx, sy;
    dset_init(&sx, c->arena, x->n);
    dset_init(&sy, c->arena, y->n);
    for (uint32_t k = 0; k < x->n; k++) dset_add(&sx, &x->u.items[k]);
    for (uint32_t k = 0; k < y->n; k++) dset_add(&sy, &y->u.items[k]);
    size_t inter = 0;
    for (size_t i = 0; i < sx.cap; i++)
        if (sx.slots[i] && dset_has(&sy, sx.slots[i])) inter++;
    size_t uni = sx.n + sy.n - inter;
    kql_set_real(out, uni ? (double)inter / (double)uni : 0.0);
}

/* zip(array1, array2, ...) : array of arrays, position by position, padded
 * with null to the longest */
static void fn_zip(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        const kql_dyn *d = arg_array(c, &a[i]);
        if (!d) {
            kql_set_null(out);
            return;
        }
        if (d->n > len) len = d->n;
    }
    kql_dyn *rows = SP_NEWN(c->arena, kql_dyn, len ? len : 1);
    for (size_t r = 0; r < len; r++) {
        kql_dyn *items = SP_NEWN(c->arena, kql_dyn, n);
        for (size_t i = 0; i < n; i++) {
            const kql_dyn *d = arg_array(c, &a[i]);
            items[i] = r < d->n ? d->u.items[r] : *dyn_null();
        }
        rows[r] = *make_array(c->arena, items, n);
    }
    fn_set_dyn(out, make_array(c->arena, rows, len));
}

/* range(start, stop [, step]) : dynamic array start, start+step, ... up to
 * stop inclusive (at most 1,048,576 items). Numbers (longs, or reals if any
 * argument is real), or datetimes/timespans with a timespan step. */
static kql_type bind_range(kql_bindctx *b, kql_expr *call) {
    kql_type t0 = call->args[0]->type;
    if ((t0 == KQL_DATETIME || t0 == KQL_TIMESPAN) && call->nargs < 3) {
        kql_bind_error(b, call, "wrong_arity", "range() of datetimes or timespans needs a step");
        return KQL_UNKNOWN;
    }
    return KQL_DYNAMIC;
}

static void fn_range(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    fn_arr res;
    if (a[0].type == KQL_DATETIME || a[0].type == KQL_TIMESPAN) {
        int64_t s = a[0].u.i, e, st;
        if (a[1].type != a[0].type || n < 3 || !fa_long(&a[2], &st) || st == 0) {
            kql_set_null(out);
            return;
        }
        e = a[1].u.i;
        arr_init(&res, c->arena, 16);
        for (int64_t v = s; st > 0 ? v <= e : v >= e; v += st) {
            if (res.n >= RANGE_MAX) break;
            kql_dyn d;
            memset(&d, 0, sizeof d);
            d.kind = a[0].type == KQL_DATETIME ? KQL_DYN_DATETIME : KQL_DYN_TIMESPAN;
            d.u.i = v;
            arr_push(&res, d);
            if ((st > 0 && v > INT64_MAX - st) || (st < 0 && v < INT64_MIN - st)) break;
        }
        fn_set_dyn(out, arr_done(&res));
        return;
    }
    bool real = a[0].type == KQL_REAL || a[1].type == KQL_REAL || (n > 2 && a[2].type == KQL_REAL) ||
                a[0].type == KQL_DECIMAL || a[1].type == KQL_DECIMAL || (n > 2 && a[2].type == KQL_DECIMAL);
    if (real) {
        double s, e, st = 1;
        if (!fa_real(&a[0], &s) || !fa_real(&a[1], &e) || (n > 2 && !fa_real(&a[2], &st)) || st == 0 ||
            !isfinite(s) || !isfinite(e) || !isfinite(st)) {
            kql_set_null(out);
            return;
        }
        arr_init(&res, c->arena, 16);
        for (size_t i = 0; res.n < RANGE_MAX; i++) {
            double v = s + (double)i * st;
            if (st > 0 ? v > e : v < e) break;
            arr_push(&res, dyn_real(v));
        }
        fn_set_dyn(out, arr_done(&res));
        return;
    }
    int64_t s, e, st = 1;
    if (!fa_long(&a[0], &s) || !fa_long(&a[1], &e) || (n > 2 && !fa_long(&a[2], &st)) || st == 0) {
        kql_set_null(out);
        return;
    }
    arr_init(&res, c->arena, 16);
    for (int64_t v = s; st > 0 ? v <= e : v >= e; v += st) {
        if (res.n >= RANGE_MAX) break;
        arr_push(&res, dyn_long(v));
        if ((st > 0 && v > INT64_MAX - st) || (st < 0 && v < INT64_MIN - st)) break;
    }
    fn_set_dyn(out, arr_done(&res));
}

/* repeat(value, count) : dynamic array of count copies (0 for a negative count) */
static void fn_repeat(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    int64_t k;
    if (!fa_long(&a[1], &k)) {
        kql_set_null(out);
        return;
    }
    if (k < 0) k = 0;
    if (k > RANGE_MAX) k = RANGE_MAX;
    kql_dyn v = value_dyn(c->arena, &a[0]);
    kql_dyn *items = SP_NEWN(c->arena, kql_dyn, k ? (size_t)k : 1);
    for (int64_t i = 0; i < k; i++) items[i] = v;
    fn_set_dyn(out, make_array(c->arena, items, (size_t)k));
}

/* dynamic_to_json(value) : string, canonical JSON: bag keys sorted */
static int kv_cmp(const void *p, const void *q) {
    const kql_dyn_kv *x = p, *y = q;
    return sp_str_cmp((sp_str){x->key, x->klen}, (sp_str){y->key, y->klen});
}

static const kql_dyn *canonical(sp_arena *ar, const kql_dyn *d, int depth) {
    if (!d || depth > 256) return d;
    if (d->kind == KQL_DYN_ARRAY) {
        kql_dyn *items = SP_NEWN(ar, kql_dyn, d->n ? d->n : 1);
        for (uint32_t i = 0; i < d->n; i++) items[i] = *canonical(ar, &d->u.items[i], depth + 1);
        return make_array(ar, items, d->n);
    }
    if (d->kind == KQL_DYN_BAG) {
        kql_dyn_kv *kv = SP_NEWN(ar, kql_dyn_kv, d->n ? d->n : 1);
        for (uint32_t i = 0; i < d->n; i++) {
            kv[i] = d->u.kv[i];
            kv[i].val = *canonical(ar, &d->u.kv[i].val, depth + 1);
        }
        qsort(kv, d->n, sizeof *kv, kv_cmp);
        kql_dyn *r = SP_NEW(ar, kql_dyn);
        r->kind = KQL_DYN_BAG;
        r->n = d->n;
        r->u.kv = kv;
        return r;
    }
    return d;
}

static void fn_dynamic_to_json(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *d = canonical(c->arena, fa_dyn(c, &a[0]), 0);
    sp_buf b;
    sp_buf_init(&b, KQL_STR_MAX + 1);
    kql_dyn_to_json(d, &b);
    if (b.truncated) {
        sp_buf_free(&b);
        fn_len_ok(c, KQL_STR_MAX + 1);
        return;
    }
    kql_set_str(out, kql_fstr(c, b.p ? b.p : "", b.n));
    sp_buf_free(&b);
}

/* treepath(value) : array of the paths of every bag member and array item
 * ("['a']", "['a'][0]", ...), depth first */
static void tree_paths(kql_fctx *c, const kql_dyn *d, fn_sb *prefix, fn_arr *res, int depth) {
    if (!d || depth > 64 || res->n >= KQL_DYN_MAX_ITEMS) return;
    if (d->kind == KQL_DYN_BAG) {
        for (uint32_t i = 0; i < d->n; i++) {
            size_t mark = prefix->n;
            sb_puts(prefix, "['");
            sb_put(prefix, d->u.kv[i].key, d->u.kv[i].klen);
            sb_puts(prefix, "']");
            arr_push(res, dyn_str(c->arena, prefix->p, prefix->n));
            tree_paths(c, &d->u.kv[i].val, prefix, res, depth + 1);
            prefix->n = mark;
        }
    } else if (d->kind == KQL_DYN_ARRAY) {
        for (uint32_t i = 0; i < d->n; i++) {
            size_t mark = prefix->n;
            sb_printf(prefix, "[%u]", i);
            arr_push(res, dyn_str(c->arena, prefix->p, prefix->n));
            tree_paths(c, &d->u.items[i], prefix, res, depth + 1);
            prefix->n = mark;
        }
    }
}

static void fn_treepath(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    fn_sb prefix;
    sb_init(&prefix, c->arena, 64);
    fn_arr res;
    arr_init(&res, c->arena, 16);
    tree_paths(c, fa_dyn(c, &a[0]), &prefix, &res, 0);
    fn_set_dyn(out, arr_done(&res));
}

#define PLAIN(nm, params, ret) {#nm, KQL_FN_SCALAR, params, ret, NULL, NULL, fn_##nm, NULL, 0, NULL}
static const kql_fn FNS[] = {
    PLAIN(array_length, "y", "long"),
    {"arraylength", KQL_FN_SCALAR, "y", "long", NULL, NULL, fn_array_length, NULL, 0, NULL},
    PLAIN(array_concat, "y,y*", "dynamic"),
    PLAIN(array_slice, "y,i,i", "dynamic"),
    PLAIN(array_reverse, "y", "dynamic"),
    PLAIN(array_rotate_left, "y,i", "dynamic"),
    PLAIN(array_rotate_right, "y,i", "dynamic"),
    {"array_shift_left", KQL_FN_SCALAR, "y,i,a?", "dynamic", NULL, NULL, fn_array_shift_left, NULL, KQL_FNF_NULLS_IN,
     NULL},
    {"array_shift_right", KQL_FN_SCALAR, "y,i,a?", "dynamic", NULL, NULL, fn_array_shift_right, NULL, KQL_FNF_NULLS_IN,
     NULL},
    PLAIN(array_index_of, "y,a,i?,i?,i?", "long"),
    PLAIN(array_sum, "y", "real"),
    {"array_sort_asc", KQL_FN_SCALAR, "y,a?", NULL, bind_array_sort, NULL, fn_array_sort_asc, NULL, 0, NULL},
    {"array_sort_desc", KQL_FN_SCALAR, "y,a?", NULL, bind_array_sort, NULL, fn_array_sort_desc, NULL, 0, NULL},
    PLAIN(array_split, "y,a", "dynamic"),
    {"array_iff", KQL_FN_SCALAR, "y,a,a", "dynamic", NULL, NULL, fn_array_iff, NULL, KQL_FNF_NULLS_IN, NULL},
    {"array_iif", KQL_FN_SCALAR, "y,a,a", "dynamic", NULL, NULL, fn_array_iff, NULL, KQL_FNF_NULLS_IN, NULL},
    PLAIN(bag_keys, "y", "dynamic"),
    PLAIN(bag_merge, "y,y,y*", "dynamic"),
    PLAIN(bag_has_key, "y,s", "bool"),
    PLAIN(bag_remove_keys, "y,y", "dynamic"),
    {"bag_set_key", KQL_FN_SCALAR, "y,s,a", "dynamic", NULL, NULL, fn_bag_set_key, NULL, KQL_FNF_NULLS_IN, NULL},
    PLAIN(bag_zip, "y,y", "dynamic"),
    {"bag_pack", KQL_FN_SCALAR, "a*", NULL, bind_pack, NULL, fn_pack, NULL, KQL_FNF_NULLS_IN, NULL},
    {"pack", KQL_FN_SCALAR, "a*", NULL, bind_pack, NULL, fn_pack, NULL, KQL_FNF_NULLS_IN, NULL},
    {"pack_dictionary", KQL_FN_SCALAR, "a*", NULL, bind_pack, NULL, fn_pack, NULL, KQL_FNF_NULLS_IN, NULL},
    {"pack_array", KQL_FN_SCALAR, "a*", "dynamic", NULL, NULL, fn_pack_array, NULL, KQL_FNF_NULLS_IN, NULL},
    PLAIN(set_union, "y,y,y*", "dynamic"),
    PLAIN(set_intersect, "y,y,y*", "dynamic"),
    PLAIN(set_difference, "y,y,y*", "dynamic"),
    PLAIN(set_has_element, "y,a", "bool"),
    PLAIN(set_equals, "y,y", "bool"),
    PLAIN(jaccard_index, "y,y", "real"),
    PLAIN(zip, "y,y,y*", "dynamic"),
    {"range", KQL_FN_SCALAR, "a,a,a?", NULL, bind_range, NULL, fn_range, NULL, 0, NULL},
    {"repeat", KQL_FN_SCALAR, "a,i", "dynamic", NULL, NULL, fn_repeat, NULL, KQL_FNF_NULLS_IN, NULL},
    PLAIN(dynamic_to_json, "y", "string"),
    PLAIN(treepath, "y", "dynamic"),
};

KQL_FN_TABLE(kql_fns_dynamic, FNS);
