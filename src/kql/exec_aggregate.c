/* summarize, distinct and count: parallel hash aggregation. Each worker
 * groups its batches into a local table (dictionary codes and 64-bit keys
 * take fast paths), the tables merge, then aggregates finalize. */
#include "exec.h"

#include <stdlib.h>

/* arg_max/arg_min state: the best value so far and where its row is. */
typedef struct {
    kql_value best;
    bool has;
    const kql_col *const *carry;   /* the evaluated carried columns of that row's batch */
    size_t row;
} argstate;

typedef struct {
    uint64_t hash;
    uint32_t gid;
} gslot;

/* A worker's groups. Keys are stored as values (nkeys per group). */
typedef struct gtable {
    size_t nkeys;
    size_t ngroups, cap;           /* groups and capacity of the per-group arrays */
    kql_value *keys;               /* ngroups * nkeys (heap) */
    uint64_t *hashes;              /* per group (heap) */
    gslot *slots;                  /* open addressing (heap) */
    size_t nslots;
    char **states;                 /* per aggregate: cap * state_size bytes (heap) */
    /* fast path: one dictionary-encoded key: code -> gid + 1 */
    const kql_dict *fast_dict;
    uint32_t *fast_map;
} gtable;

typedef struct {
    kql_qctx *q;
    kql_plan *p;
    pl_summarize *s;
    kql_rowset *in;
    gtable *tables;                /* one per task */
    size_t ntasks;
    size_t *sizes;                 /* per aggregate: state size */
} agg_ctx;

static size_t agg_state_size(const pl_agg *a) {
    if (a->argmax) return sizeof(argstate);
    return a->call->fn->agg->state_size ? a->call->fn->agg->state_size : 1;
}

static void gt_grow(agg_ctx *c, gtable *t) {
    size_t nc = t->cap ? t->cap * 2 : 64;
    t->keys = sp_realloc(t->keys, nc * (t->nkeys ? t->nkeys : 1) * sizeof *t->keys);
    t->hashes = sp_realloc(t->hashes, nc * sizeof *t->hashes);
    for (size_t a = 0; a < c->s->naggs; a++) {
        size_t sz = c->sizes[a];
        t->states[a] = sp_realloc(t->states[a], nc * sz);
        memset(t->states[a] + t->cap * sz, 0, (nc - t->cap) * sz);
    }
    t->cap = nc;
}

static void gt_rehash(gtable *t) {
    size_t ns = t->nslots ? t->nslots * 2 : 256;
    free(t->slots);
    t->slots = sp_calloc(ns, sizeof *t->slots);
    t->nslots = ns;
    for (size_t g = 0; g < t->ngroups; g++) {
        size_t m = ns - 1, j = t->hashes[g] & m;
        while (t->slots[j].gid) j = (j + 1) & m;
        t->slots[j].hash = t->hashes[g];
        t->slots[j].gid = (uint32_t)(g + 1);
    }
}

static uint64_t key_hash(const kql_value *k, size_t n) {
    uint64_t h = 0x2545F4914F6CDD1DULL;
    for (size_t i = 0; i < n; i++) h = kql_value_hash(&k[i], h);
    return h;
}

static bool key_eq(const kql_value *a, const kql_value *b, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (a[i].type == KQL_STRING && b[i].type == KQL_STRING) {
            if (!sp_str_eq(a[i].u.s, b[i].u.s)) return false;
        } else if (!kql_value_eq(&a[i], &b[i])) {
            return false;
        }
    }
    return true;
}

/* Finds or adds the group of key k; returns its id. */
static uint32_t gt_find(agg_ctx *c, gtable *t, const kql_value *k, uint64_t h) {
    if (t->nslots) {
        size_t m = t->nslots - 1;
        for (size_t j = h & m; t->slots[j].gid; j = (j + 1) & m) {
            if (t->slots[j].hash != h) continue;
            uint32_t g = t->slots[j].gid - 1;
            if (key_eq(&t->keys[g * t->nkeys], k, t->nkeys)) return g;
        }
    }
    if (t->ngroups == t->cap) gt_grow(c, t);
    uint32_t g = (uint32_t)t->ngroups++;
    if (t->nkeys) memcpy(&t->keys[g * t->nkeys], k, t->nkeys * sizeof *k);
    t->hashes[g] = h;
    if (t->ngroups * 2 > t->nslots) {
        gt_rehash(t);
    } else {
        size_t m = t->nslots - 1, j = h & m;
        while (t->slots[j].gid) j = (j + 1) & m;
        t->slots[j].hash = h;
        t->slots[j].gid = g + 1;
    }
    return g;
}

static void gt_free(agg_ctx *c, gtable *t) {
    free(t->keys);
    free(t->hashes);
    free(t->slots);
    free(t->fast_map);
    for (size_t a = 0; a < c->s->naggs; a++) free(t->states[a]);
    free(t->states);
}

/* Updates arg_max/arg_min states for a batch. */
static void argmax_update(kql_qctx *q, sp_arena *ar, const pl_agg *a, char *states, const uint32_t *gids,
                          const kql_batch *b) {
    kql_col *x = kql_eval(q, ar, a->call->args[0], b);
    if (!x) return;
    const kql_col **carry = NULL;
    if (a->ncarry) {
        carry = SP_NEWN(ar, const kql_col *, a->ncarry);
        for (size_t k = 0; k < a->ncarry; k++) {
            carry[k] = kql_eval(q, ar, a->carry_exprs[k], b);
            if (!carry[k]) return;
        }
    }
    for (size_t r = 0; r < b->nrows; r++) {
        argstate *st = (argstate *)(states + gids[r] * sizeof(argstate));
        kql_value v;
        kql_col_get(x, r, &v);
        bool better;
        if (!st->has) better = true;
        else if (v.null && v.type != KQL_STRING) better = false;
        else if (st->best.null && st->best.type != KQL_STRING) better = true;
        else {
            int cmp = kql_value_cmp(&v, &st->best);
            better = a->argmax > 0 ? cmp > 0 : cmp < 0;
        }
        if (better) {
            st->best = v;
            st->has = true;
            st->carry = (const kql_col *const *)carry;
            st->row = r;
        }
    }
}

static void argmax_merge(const pl_agg *a, argstate *dst, const argstate *src) {
    if (!src->has) return;
    bool better;
    if (!dst->has) better = true;
    else if (src->best.null && src->best.type != KQL_STRING) better = false;
    else if (dst->best.null && dst->best.type != KQL_STRING) better = true;
    else {
        int cmp = kql_value_cmp(&src->best, &dst->best);
        better = a->argmax > 0 ? cmp > 0 : cmp < 0;
    }
    if (better) *dst = *src;
}

/* Group ids for the rows of a batch. */
static uint32_t *batch_gids(agg_ctx *c, gtable *t, sp_arena *ar, const kql_batch *b) {
    kql_qctx *q = c->q;
    pl_summarize *s = c->s;
    size_t n = b->nrows;
    uint32_t *gids = SP_NEWN(ar, uint32_t, n ? n : 1);
    if (s->ngroups == 0) {
        if (t->ngroups == 0) {
            if (t->cap == 0) gt_grow(c, t);
            t->ngroups = 1;
        }
        memset(gids, 0, n * sizeof *gids);
        return gids;
    }
    kql_col *cols[64];
    if (s->ngroups > 64) {
        kql_fail(q, SP_ERR_LIMIT, "too_many_keys", "summarize groups by more than 64 columns");
        return NULL;
    }
    for (size_t k = 0; k < s->ngroups; k++) {
        cols[k] = kql_eval(q, ar, s->groups[k], b);
        if (!cols[k]) return NULL;
    }
    /* fast path: one dictionary-encoded string key */
    if (s->ngroups == 1 && (cols[0]->flags & KQL_COL_DICT) && !(cols[0]->flags & KQL_COL_CONST)) {
        const kql_dict *d = cols[0]->dict;
        if (t->fast_dict != d) {
            free(t->fast_map);
            t->fast_map = sp_calloc(d->n ? d->n : 1, sizeof *t->fast_map);
            t->fast_dict = d;
        }
        const uint32_t *codes = cols[0]->v.codes;
        for (size_t r = 0; r < n; r++) {
            uint32_t code = codes[r];
            uint32_t g = t->fast_map[code];
            if (!g) {
                kql_value k = {.type = KQL_STRING, .u.s = d->s[code]};
                g = gt_find(c, t, &k, key_hash(&k, 1)) + 1;
                t->fast_map[code] = g;
            }
            gids[r] = g - 1;
        }
        return gids;
    }
    /* fast path: one 64-bit key without nulls */
    if (s->ngroups == 1 && (cols[0]->type == KQL_LONG || cols[0]->type == KQL_DATETIME || cols[0]->type == KQL_TIMESPAN) &&
        !cols[0]->nulls && !(cols[0]->flags & KQL_COL_CONST)) {
        const int64_t *v = cols[0]->v.i64;
        kql_value k = {.type = cols[0]->type};
        int64_t last = 0;
        uint32_t lastg = UINT32_MAX;
        for (size_t r = 0; r < n; r++) {
            if (lastg != UINT32_MAX && v[r] == last) {
                gids[r] = lastg;
                continue;
            }
            k.u.i = v[r];
            lastg = gt_find(c, t, &k, key_hash(&k, 1));
            last = v[r];
            gids[r] = lastg;
        }
        return gids;
    }
    kql_value key[64];
    for (size_t r = 0; r < n; r++) {
        for (size_t k = 0; k < s->ngroups; k++) kql_col_get(cols[k], r, &key[k]);
        gids[r] = gt_find(c, t, key, key_hash(key, s->ngroups));
    }
    return gids;
}

static void agg_task(void *vctx, size_t task) {
    agg_ctx *c = vctx;
    kql_qctx *q = c->q;
    gtable *t = &c->tables[task];
    sp_arena *ar = kql_thread_arena(q);
    pl_summarize *s = c->s;
    for (size_t bi = task; bi < c->in->nb; bi += c->ntasks) {
        if (kql_failed(q)) return;
        const kql_batch *b = c->in->b[bi];
        uint32_t *gids = batch_gids(c, t, ar, b);
        if (!gids) return;
        for (size_t a = 0; a < s->naggs; a++) {
            const pl_agg *ag = &s->aggs[a];
            if (ag->argmax) {
                argmax_update(q, ar, ag, t->states[a], gids, b);
                continue;
            }
            kql_col *argv[16];
            const kql_expr *call = ag->call;
            if (call->nargs > 16) {
                kql_fail(q, SP_ERR_RUNTIME, "too_many_arguments", "an aggregate has more than 16 arguments");
                return;
            }
            for (uint32_t k = 0; k < call->nargs; k++) {
                argv[k] = kql_eval(q, ar, call->args[k], b);
                if (!argv[k]) return;
            }
            kql_aggctx ac = {.q = q, .arena = ar, .call = call};
            call->fn->agg->update(&ac, t->states[a], gids, argv, call->nargs, b->nrows);
        }
        if (!kql_check_limits(q)) return;
    }
}

kql_rowset *exec_summarize(kql_qctx *q, kql_plan *p, kql_rowset *in) {
    pl_summarize *s = p->sum;
    agg_ctx c = {.q = q, .p = p, .s = s, .in = in};
    c.sizes = SP_NEWN(&q->arena, size_t, s->naggs ? s->naggs : 1);
    for (size_t a = 0; a < s->naggs; a++) c.sizes[a] = agg_state_size(&s->aggs[a]);
    size_t workers = (size_t)sp_pool_size(q->pool);
    c.ntasks = in->nb < workers ? (in->nb ? in->nb : 1) : workers;
    c.tables = SP_NEWZ(&q->arena, gtable, c.ntasks);
    for (size_t t = 0; t < c.ntasks; t++) {
        c.tables[t].nkeys = s->ngroups;
        c.tables[t].states = sp_calloc(s->naggs ? s->naggs : 1, sizeof(char *));
    }
    exec_parallel(q, c.ntasks, agg_task, &c);
    kql_rowset *rs = NULL;
    if (kql_failed(q)) goto done;
    /* merge the workers' tables into the first */
    gtable *t0 = &c.tables[0];
    if (s->ngroups == 0 && t0->ngroups == 0) {
        /* no input rows: one group anyway (count() of nothing is 0) */
        gt_grow(&c, t0);
        t0->ngroups = 1;
    }
    sp_arena *ar = &q->arena;
    for (size_t t = 1; t < c.ntasks; t++) {
        gtable *ti = &c.tables[t];
        for (size_t g = 0; g < ti->ngroups; g++) {
            uint32_t d = s->ngroups ? gt_find(&c, t0, &ti->keys[g * s->ngroups], ti->hashes[g]) : 0;
            if (!s->ngroups && t0->ngroups == 0) t0->ngroups = 1;
            for (size_t a = 0; a < s->naggs; a++) {
                size_t sz = c.sizes[a];
                if (s->aggs[a].argmax) {
                    argmax_merge(&s->aggs[a], (argstate *)(t0->states[a] + d * sz), (argstate *)(ti->states[a] + g * sz));
                } else {
                    kql_aggctx ac = {.q = q, .arena = ar, .call = s->aggs[a].call};
                    s->aggs[a].call->fn->agg->merge(&ac, t0->states[a] + d * sz, ti->states[a] + g * sz);
                }
            }
        }
    }
    /* the intermediate rows: groups, then each aggregate's outputs */
    size_t ng = t0->ngroups;
    kql_batch *inter = batch_new(ar, s->ninter, ng);
    for (size_t k = 0; k < s->ngroups; k++) {
        kql_col *col = kql_col_new(ar, s->groups[k]->type, ng);
        for (size_t g = 0; g < ng; g++) kql_col_set(ar, col, g, &t0->keys[g * s->ngroups + k]);
        inter->cols[k] = col;
    }
    size_t at = s->ngroups;
    for (size_t a = 0; a < s->naggs; a++) {
        const pl_agg *ag = &s->aggs[a];
        size_t nout = ag->nout;
        /* arg_max(*) carries every column: sized per aggregate */
        kql_value *outs = SP_NEWN(ar, kql_value, nout ? nout : 1);
        kql_col **cols = SP_NEWN(ar, kql_col *, nout ? nout : 1);
        for (size_t o = 0; o < nout; o++) {
            kql_type ot = ag->argmax ? (o == 0 ? ag->call->type : ag->carry_exprs[o - 1]->type) : ag->call->type;
            /* take_any(a, b): output o has argument o's type */
            if (!ag->argmax && nout > 1 && nout == ag->call->nargs && ag->call->fn && !ag->call->fn->colname[0])
                ot = ag->call->args[o]->type;
            if (!ag->argmax && nout > 1 && nout == ag->call->nargs && ag->call->fn && strcmp(ag->call->fn->name, "any") == 0)
                ot = ag->call->args[o]->type;
            cols[o] = kql_col_new(ar, ot, ng);
        }
        for (size_t g = 0; g < ng; g++) {
            char *st = t0->states[a] + g * c.sizes[a];
            for (size_t o = 0; o < nout; o++) {
                memset(&outs[o], 0, sizeof outs[o]);
                outs[o].type = cols[o]->type;
            }
            if (ag->argmax) {
                argstate *as = (argstate *)st;
                if (as->has) {
                    outs[0] = as->best;
                    for (size_t k = 0; k < ag->ncarry; k++) kql_col_get(as->carry[k], as->row, &outs[1 + k]);
                } else {
                    for (size_t o = 0; o < nout; o++) outs[o].null = outs[o].type != KQL_STRING;
                }
            } else {
                kql_aggctx ac = {.q = q, .arena = ar, .call = ag->call};
                ag->call->fn->agg->final(&ac, st, outs, nout);
            }
            for (size_t o = 0; o < nout; o++) kql_col_set(ar, cols[o], g, &outs[o]);
        }
        for (size_t o = 0; o < nout; o++) inter->cols[at + o] = cols[o];
        at += ag->nout;
    }
    if (kql_failed(q)) goto done;
    /* the output columns */
    rs = rs_new(q, p->out.n);
    if (ng == 0) goto done;
    kql_batch *out = batch_new(ar, p->out.n, ng);
    for (size_t i = 0; i < s->npost; i++) {
        kql_col *col = kql_eval(q, ar, s->post[i], inter);
        if (!col) {
            rs = NULL;
            goto done;
        }
        out->cols[i] = col;
    }
    rs_add(q, rs, out);
done:
    for (size_t t = 0; t < c.ntasks; t++) gt_free(&c, &c.tables[t]);
    return kql_failed(q) ? NULL : rs;
}
