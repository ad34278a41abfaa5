/* The evaluate plugins besides bag_unpack: pivot (a column's values become
 * columns holding an aggregate) and ipv4_lookup (rows matched to the CIDR
 * ranges of a lookup table). */
#include "exec.h"

#include <stdio.h>
#include <stdlib.h>

kql_rowset *exec_pivot(kql_qctx *q, kql_plan *p, kql_rowset *in) {
    sp_arena *a = &q->arena;
    pl_plugin *pg = p->plug;
    kql_batch *all = in->nb ? rs_concat(q, in) : batch_new(a, in->ncols, 0);
    size_t n = in->nrows;
    kql_col *pv = kql_eval(q, a, pg->pivot, all);
    if (!pv) return NULL;
    kql_col **gc = SP_NEWN(a, kql_col *, pg->ngroups ? pg->ngroups : 1);
    for (size_t g = 0; g < pg->ngroups; g++)
        if (!(gc[g] = kql_eval(q, a, pg->groups[g], all))) return NULL;
    keyindex groups, values;
    keyindex_init(&groups, pg->ngroups);
    keyindex_init(&values, 1);
    uint32_t *gi = SP_NEWN(a, uint32_t, n ? n : 1), *vi = SP_NEWN(a, uint32_t, n ? n : 1);
    kql_value *key = SP_NEWN(a, kql_value, pg->ngroups ? pg->ngroups : 1);
    for (size_t r = 0; r < n; r++) {
        for (size_t g = 0; g < pg->ngroups; g++) kql_col_get(gc[g], r, &key[g]);
        gi[r] = (uint32_t)keyindex_get(&groups, key);
        kql_value v;
        kql_col_get(pv, r, &v);
        kql_value sv = {.type = KQL_STRING, .u.s = kql_value_str(a, &v)};
        vi[r] = (uint32_t)keyindex_get(&values, &sv);
    }
    size_t ng = groups.n, nv = values.n;
    kql_rowset *rs = NULL;
    if (nv > 10000 || (double)ng * (double)nv > 5e7) {
        kql_fail(q, SP_ERR_LIMIT, "limit_columns", "pivot would create %zu columns over %zu rows", nv, ng);
        goto done;
    }
    /* the schema: groups, then one column per distinct value */
    kql_schema *out = SP_NEW(a, kql_schema);
    for (size_t g = 0; g < pg->ngroups; g++) kql_schema_add_rt(a, out, pg->gnames[g], pg->groups[g]->type);
    kql_type at = pg->agg->type;
    for (size_t v = 0; v < nv; v++) {
        const kql_value *val = &values.keys.v[v];
        const char *nm = sp_arena_strndup(a, val->u.s.p, val->u.s.n);
        if (!*nm) nm = "na";
        while (kql_schema_find(out, nm, strlen(nm)) >= 0) nm = sp_arena_printf(a, "%s_", nm);
        kql_schema_add_rt(a, out, nm, at);
    }
    const kql_expr *call = pg->agg;
    size_t sz = call->fn->agg->state_size ? call->fn->agg->state_size : 1;
    size_t ncells = ng * nv;
    char *states = sp_arena_zalloc(a, sz * (ncells ? ncells : 1));
    uint32_t *cell = SP_NEWN(a, uint32_t, n ? n : 1);
    for (size_t r = 0; r < n; r++) cell[r] = (uint32_t)(gi[r] * nv + vi[r]);
    kql_col *argv[16];
    for (uint32_t k = 0; k < call->nargs && k < 16; k++)
        if (!(argv[k] = kql_eval(q, a, call->args[k], all))) goto done;
    kql_aggctx ac = {.q = q, .arena = a, .call = call};
    if (n) call->fn->agg->update(&ac, states, cell, argv, call->nargs, n);
    uint8_t *seen = SP_NEWZ(a, uint8_t, ncells ? ncells : 1);
    for (size_t r = 0; r < n; r++) seen[cell[r]] = 1;
    rs = rs_new(q, out->n);
    rs->schema = out;
    if (ng) {
        kql_batch *o = batch_new(a, out->n, ng);
        for (size_t g = 0; g < pg->ngroups; g++) {
            kql_col *c = kql_col_new(a, pg->groups[g]->type, ng);
            for (size_t r = 0; r < ng; r++) kql_col_set(a, c, r, &groups.keys.v[r * pg->ngroups + g]);
            o->cols[g] = c;
        }
        for (size_t v = 0; v < nv; v++) {
            kql_col *c = kql_col_new(a, at, ng);
            for (size_t r = 0; r < ng; r++) {
                kql_value x = {.type = at};
                if (seen[r * nv + v]) call->fn->agg->final(&ac, states + (r * nv + v) * sz, &x, 1);
                else if (kql_type_is_numeric(at)) x.u.i = 0, x.u.r = 0; /* an empty cell of a count or sum is 0 */
                else x.null = at != KQL_STRING;
                kql_col_set(a, c, r, &x);
            }
            o->cols[pg->ngroups + v] = c;
        }
        rs_add(q, rs, o);
    }
done:
    keyindex_free(&groups);
    keyindex_free(&values);
    return kql_failed(q) ? NULL : rs;
}

/* a.b.c.d[/bits] */
static bool ipv4_cidr(sp_str s, uint32_t *addr, int *bits) {
    unsigned v[4];
    int k = 0;
    size_t i = 0;
    while (k < 4) {
        unsigned x = 0;
        size_t d = 0;
        while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && d < 4) x = x * 10 + (unsigned)(s.p[i++] - '0'), d++;
        if (!d || x > 255) return false;
        v[k++] = x;
        if (k < 4) {
            if (i >= s.n || s.p[i] != '.') return false;
            i++;
        }
    }
    *bits = 32;
    if (i < s.n && s.p[i] == '/') {
        i++;
        int b = 0;
        size_t d = 0;
        while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9' && d < 3) b = b * 10 + (s.p[i++] - '0'), d++;
        if (!d || b > 32) return false;
        *bits = b;
    }
    if (i != s.n) return false;
    *addr = (v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3];
    return true;
}

kql_rowset *exec_iplookup(kql_qctx *q, kql_plan *p, kql_rowset *in) {
    sp_arena *a = &q->arena;
    pl_plugin *pg = p->plug;
    kql_rowset *lrs = kql_exec(q, p->kids[0]);
    if (!lrs) return NULL;
    kql_batch *lk = lrs->nb ? rs_concat(q, lrs) : batch_new(a, lrs->ncols, 0);
    size_t nl = lrs->nrows;
    uint32_t *base = SP_NEWN(a, uint32_t, nl ? nl : 1), *mask = SP_NEWN(a, uint32_t, nl ? nl : 1);
    bool *valid = SP_NEWZ(a, bool, nl ? nl : 1);
    for (size_t i = 0; i < nl; i++) {
        kql_value v;
        kql_col_get(lk->cols[pg->range_col], i, &v);
        sp_str s = kql_value_str(a, &v);
        int bits;
        uint32_t ad;
        if (!ipv4_cidr(s, &ad, &bits)) continue;
        mask[i] = bits ? 0xFFFFFFFFu << (32 - bits) : 0;
        base[i] = ad & mask[i];
        valid[i] = true;
    }
    kql_rowset *rs = rs_new(q, p->out.n);
    size_t nin = in->ncols;
    for (size_t bi = 0; bi < in->nb; bi++) {
        const kql_batch *b = in->b[bi];
        kql_col *ip = kql_eval(q, a, pg->ip, b);
        if (!ip) return NULL;
        uint32_t *rows = SP_NEWN(a, uint32_t, b->nrows ? b->nrows : 1);
        int64_t *match = SP_NEWN(a, int64_t, b->nrows ? b->nrows : 1);
        size_t m = 0;
        for (size_t r = 0; r < b->nrows; r++) {
            uint32_t ad;
            int bits;
            int64_t hit = -1;
            if (ipv4_cidr(kql_col_str(ip, r), &ad, &bits) && bits == 32) {
                for (size_t i = 0; i < nl && hit < 0; i++)
                    if (valid[i] && (ad & mask[i]) == base[i]) hit = (int64_t)i;
            }
            if (hit < 0 && !pg->unmatched) continue;
            rows[m] = (uint32_t)r;
            match[m++] = hit;
        }
        kql_batch *o = batch_new(a, p->out.n, m);
        for (size_t c = 0; c < nin; c++)
            if (b->cols[c]) o->cols[c] = kql_col_gather(a, b->cols[c], rows, m);
        for (size_t c = 0; c < lrs->ncols; c++) {
            if (!lk->cols[c]) continue;
            kql_col *col = kql_col_new(a, p->out.cols[nin + c].type, m);
            for (size_t r = 0; r < m; r++) {
                if (match[r] < 0) {
                    kql_col_set_null(a, col, r);
                    continue;
                }
                kql_value v;
                kql_col_get(lk->cols[c], (size_t)match[r], &v);
                kql_col_set(a, col, r, &v);
            }
            o->cols[nin + c] = col;
        }
        rs_add(q, rs, o);
    }
    return rs;
}
