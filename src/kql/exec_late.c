/* Open schemas: evaluate bag_unpack (its columns are the bags' keys, known
 * only from the data) and bind the operators after it once the input's real
 * columns are known. */
#include "bind.h"
#include "exec.h"

static kql_type unify(kql_type a, kql_type b) {
    if (a == KQL_UNKNOWN) return b;
    if (a == b) return a;
    if ((a == KQL_LONG && b == KQL_REAL) || (a == KQL_REAL && b == KQL_LONG)) return KQL_REAL;
    return KQL_DYNAMIC;
}

static kql_type dyn_type(const kql_dyn *d) {
    switch (d ? d->kind : KQL_DYN_NULL) {
    case KQL_DYN_NULL: return KQL_UNKNOWN;
    case KQL_DYN_BOOL: return KQL_BOOL;
    case KQL_DYN_LONG: return KQL_LONG;
    case KQL_DYN_REAL: return KQL_REAL;
    case KQL_DYN_STRING: return KQL_STRING;
    case KQL_DYN_DATETIME: return KQL_DATETIME;
    case KQL_DYN_TIMESPAN: return KQL_TIMESPAN;
    case KQL_DYN_GUID: return KQL_GUID;
    default: return KQL_DYNAMIC;
    }
}

kql_rowset *exec_bagunpack(kql_qctx *q, kql_plan *p, kql_rowset *in) {
    sp_arena *a = &q->arena;
    const kql_schema *ins = in->schema ? in->schema : &p->in->out;
    kql_batch *all = in->nb ? rs_concat(q, in) : batch_new(a, in->ncols, 0);
    size_t n = in->nrows;
    const kql_col *bag = all->cols[p->bag_col];
    /* the keys, in first-seen order, with their value types */
    sp_map seen;
    sp_map_init(&seen, false);
    SP_VEC(const char *) keys = {0};
    SP_VEC(kql_type) types = {0};
    for (size_t r = 0; r < n && bag && !p->bag_schema; r++) {
        kql_value v;
        kql_col_get(bag, r, &v);
        if (v.null || v.u.d->kind != KQL_DYN_BAG) continue;
        for (uint32_t k = 0; k < v.u.d->n; k++) {
            const kql_dyn_kv *kv = &v.u.d->u.kv[k];
            bool ignored = false;
            for (uint32_t x = 0; p->bag_ignored && x < p->bag_ignored->n; x++) {
                const kql_dyn *ig = &p->bag_ignored->u.items[x];
                if (ig->kind == KQL_DYN_STRING && ig->n == kv->klen && memcmp(ig->u.s, kv->key, kv->klen) == 0)
                    ignored = true;
            }
            if (ignored) continue;
            bool created;
            void **slot = sp_map_slot(&seen, kv->key, kv->klen, &created);
            if (created) {
                *slot = (void *)(uintptr_t)(keys.n + 1);
                sp_vec_push(&keys, sp_arena_strndup(a, kv->key, kv->klen));
                sp_vec_push(&types, KQL_UNKNOWN);
            }
            size_t i = (size_t)(uintptr_t)*slot - 1;
            types.v[i] = unify(types.v[i], dyn_type(&kv->val));
        }
        if (keys.n > 10000) {
            kql_fail(q, SP_ERR_LIMIT, "limit_columns", "bag_unpack would create more than 10,000 columns");
            break;
        }
    }
    kql_schema *out = SP_NEW(a, kql_schema);
    SP_VEC(int) src = {0};       /* per output column: input column, or -1 - key index */
    if (p->bag_schema) {
        /* the given output schema: input columns by name, the rest from the bag */
        for (size_t c = 0; c < p->out.n; c++) {
            const char *nm = p->out.cols[c].name;
            kql_schema_add_rt(a, out, nm, p->out.cols[c].type);
            int j = kql_schema_find(ins, nm, strlen(nm));
            if (j >= 0 && j != p->bag_col) {
                sp_vec_push(&src, j);
            } else {
                size_t kn = strlen(nm), pl = p->bag_prefix ? strlen(p->bag_prefix) : 0;
                const char *key = pl && kn >= pl && strncmp(nm, p->bag_prefix, pl) == 0 ? nm + pl : nm;
                sp_vec_push(&keys, key);
                sp_vec_push(&types, p->out.cols[c].type);
                sp_vec_push(&src, -(int)keys.n);
            }
        }
    } else {
        for (size_t c = 0; c < ins->n; c++) {
            if ((int)c == p->bag_col) continue;
            kql_schema_add_rt(a, out, ins->cols[c].name, ins->cols[c].type);
            sp_vec_push(&src, (int)c);
        }
        for (size_t k = 0; k < keys.n && !kql_failed(q); k++) {
            const char *nm = p->bag_prefix ? sp_arena_printf(a, "%s%s", p->bag_prefix, keys.v[k]) : keys.v[k];
            int j = kql_schema_find(out, nm, strlen(nm));
            kql_type t = types.v[k] == KQL_UNKNOWN ? KQL_DYNAMIC : types.v[k];
            if (j >= 0) {
                if (p->bag_conflict == 0) {
                    kql_fail(q, SP_ERR_RUNTIME, "column_conflict",
                             "bag_unpack: the key '%s' is already a column; give a prefix or columnsConflict", nm);
                    break;
                }
                if (p->bag_conflict == 1) {
                    out->cols[j].type = t;
                    src.v[j] = -(int)(k + 1);
                }
                continue;
            }
            kql_schema_add_rt(a, out, nm, t);
            sp_vec_push(&src, -(int)(k + 1));
        }
    }
    kql_rowset *rs = NULL;
    if (kql_failed(q)) goto done;
    rs = rs_new(q, out->n);
    rs->schema = out;
    if (n) {
        kql_batch *o = batch_new(a, out->n, n);
        for (size_t c = 0; c < src.n; c++) {
            if (src.v[c] >= 0) {
                o->cols[c] = all->cols[src.v[c]];
                continue;
            }
            const char *key = keys.v[-src.v[c] - 1];
            kql_type t = out->cols[c].type;
            kql_col *col = kql_col_new(a, t, n);
            for (size_t r = 0; r < n; r++) {
                kql_value v;
                if (bag) kql_col_get(bag, r, &v);
                else v.null = true;
                const kql_dyn *d = v.null ? NULL : kql_dyn_get(v.u.d, key, strlen(key));
                kql_value dv = {.type = KQL_DYNAMIC, .u.d = d, .null = !d || d->kind == KQL_DYN_NULL};
                kql_value cv;
                kql_convert(a, &dv, t, &cv);
                cv.type = t;
                kql_col_set(a, col, r, &cv);
            }
            o->cols[c] = col;
        }
        rs_add(q, rs, o);
    }
done:
    sp_map_free(&seen);
    sp_vec_free(&keys);
    sp_vec_free(&types);
    sp_vec_free(&src);
    return rs;
}

/* Binds the operator now that the input's columns are known, then runs it. */
kql_rowset *exec_late(kql_qctx *q, kql_plan *p, kql_rowset *in) {
    sp_arena *a = &q->arena;
    const kql_query *qq = q->query;
    kql_plan *src = kql_plan_new(a, PL_ROWS, NULL);
    src->out = in->schema ? *in->schema : p->in->out;
    src->out.open = false;
    src->name = "late input";
    sp_err err;
    sp_err_clear(&err);
    kql_binder b = {.arena = a, .err = &err, .text = qq ? qq->text : "", .cat = qq ? qq->cat : NULL,
                    .opt = q->opt, .now = q->now};
    b.bc = (kql_bindctx){.arena = a, .err = &err, .text = b.text, .now = q->now};
    b.scope = p->late_scope;
    kql_plan *np = kql_bind_operator(&b, src, p->late);
    if (!np) {
        pthread_mutex_lock(&q->mu);
        if (!sp_err_is_set(&q->err)) q->err = err;
        __atomic_store_n(&q->failed, 1, __ATOMIC_RELAXED);
        pthread_mutex_unlock(&q->mu);
        return NULL;
    }
    exec_bind_input(q, src, in);
    kql_rowset *rs = kql_exec(q, np);
    if (rs && !rs->schema) rs->schema = &np->out;
    return rs;
}
