/* SecurityAlert.Entities as Sentinel exports it: entity objects carry "$id",
 * later mentions are {"$ref": id}; this resolves every reference to its object. */
#include "store_int.h"

#include <stdio.h>

typedef struct {
    const kql_dyn **byid;      /* indexed by small integer ids */
    size_t n;
    sp_arena *a;
} eres;

static long id_of(const kql_dyn *d) {
    if (!d) return -1;
    if (d->kind == KQL_DYN_LONG) return d->u.i >= 0 && d->u.i < 1000000 ? (long)d->u.i : -1;
    if (d->kind != KQL_DYN_STRING || d->n == 0 || d->n > 7) return -1;
    long v = 0;
    for (uint32_t i = 0; i < d->n; i++) {
        if (d->u.s[i] < '0' || d->u.s[i] > '9') return -1;
        v = v * 10 + (d->u.s[i] - '0');
    }
    return v;
}

/* every object with a "$id" anywhere in the tree */
static void collect(eres *r, const kql_dyn *d, int depth) {
    if (!d || depth > 64) return;
    if (d->kind == KQL_DYN_BAG) {
        long id = id_of(kql_dyn_get(d, "$id", 3));
        if (id >= 0) {
            if ((size_t)id >= r->n) {
                size_t nn = (size_t)id + 16;
                const kql_dyn **b = SP_NEWZ(r->a, const kql_dyn *, nn);
                if (r->n) memcpy(b, r->byid, r->n * sizeof *b);
                r->byid = b;
                r->n = nn;
            }
            if (!r->byid[id]) r->byid[id] = d;
        }
        for (uint32_t i = 0; i < d->n; i++) collect(r, &d->u.kv[i].val, depth + 1);
    } else if (d->kind == KQL_DYN_ARRAY) {
        for (uint32_t i = 0; i < d->n; i++) collect(r, &d->u.items[i], depth + 1);
    }
}

static void resolve(eres *r, const kql_dyn *in, kql_dyn *out, int depth, long *stack, int sp) {
    *out = *in;
    if (depth > 64) return;
    if (in->kind == KQL_DYN_BAG) {
        const kql_dyn *ref = in->n == 1 ? kql_dyn_get(in, "$ref", 4) : NULL;
        long id = id_of(ref);
        if (ref && id >= 0 && (size_t)id < r->n && r->byid[id]) {
            for (int i = 0; i < sp; i++)
                if (stack[i] == id) return;      /* a cycle: leave the $ref */
            stack[sp] = id;
            resolve(r, r->byid[id], out, depth + 1, stack, sp + 1);
            return;
        }
        long self = id_of(kql_dyn_get(in, "$id", 3));
        if (self >= 0 && sp < 64) stack[sp++] = self;
        kql_dyn_kv *kv = SP_NEWN(r->a, kql_dyn_kv, in->n ? in->n : 1);
        for (uint32_t i = 0; i < in->n; i++) {
            kv[i] = in->u.kv[i];
            resolve(r, &in->u.kv[i].val, &kv[i].val, depth + 1, stack, sp);
        }
        out->u.kv = kv;
    } else if (in->kind == KQL_DYN_ARRAY) {
        kql_dyn *items = SP_NEWN(r->a, kql_dyn, in->n ? in->n : 1);
        for (uint32_t i = 0; i < in->n; i++) resolve(r, &in->u.items[i], &items[i], depth + 1, stack, sp);
        out->u.items = items;
    }
}

const kql_dyn *store_entities_resolve(sp_arena *arena, const kql_dyn *entities) {
    if (!entities || (entities->kind != KQL_DYN_ARRAY && entities->kind != KQL_DYN_BAG)) return NULL;
    eres r = {NULL, 0, arena};
    collect(&r, entities, 0);
    kql_dyn *out = SP_NEW(arena, kql_dyn);
    long stack[80];
    resolve(&r, entities, out, 0, stack, 0);
    return out;
}

const kql_dyn *store_entities_resolve_text(sp_arena *arena, const char *p, size_t n, sp_err *err) {
    const kql_dyn *d = kql_dyn_parse(arena, p, n, err);
    if (!d) return NULL;
    const kql_dyn *r = store_entities_resolve(arena, d);
    if (!r) sp_err_set(err, SP_ERR_SEMANTIC, "not_entities", 0, 0, "Entities is not a JSON array or object");
    return r;
}
