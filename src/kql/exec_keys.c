/* Key tuples numbered in order of first appearance: the grouping helper of
 * make-series, top-nested and pivot (summarize has its own faster table). */
#include "exec.h"

static void key_bytes(sp_buf *b, const kql_value *v) {
    kql_value x = *v;
    if (x.type == KQL_INT) x.type = KQL_LONG;
    sp_buf_putc(b, (char)(x.null && x.type != KQL_STRING ? 0xFF : x.type));
    if (x.null && x.type != KQL_STRING) return;
    switch (x.type) {
    case KQL_STRING: {
        uint32_t n = (uint32_t)x.u.s.n;
        sp_buf_put(b, &n, 4);
        sp_buf_put(b, x.u.s.p, x.u.s.n);
        break;
    }
    case KQL_BOOL: sp_buf_putc(b, (char)x.u.b); break;
    case KQL_GUID: sp_buf_put(b, x.u.g.b, 16); break;
    case KQL_REAL:
    case KQL_DECIMAL: sp_buf_put(b, &x.u.r, 8); break;
    default: sp_buf_put(b, &x.u.i, 8); break;
    }
}

void keyindex_init(keyindex *ki, size_t nkeys) {
    memset(ki, 0, sizeof *ki);
    ki->nkeys = nkeys;
    sp_map_init(&ki->map, false);
}

void keyindex_free(keyindex *ki) {
    sp_map_free(&ki->map);
    sp_vec_free(&ki->keys);
}

size_t keyindex_get(keyindex *ki, const kql_value *k) {
    sp_buf b;
    sp_buf_init(&b, 0);
    for (size_t i = 0; i < ki->nkeys; i++) key_bytes(&b, &k[i]);
    bool created;
    void **slot = sp_map_slot(&ki->map, b.p ? b.p : "", b.n, &created);
    sp_buf_free(&b);
    if (created) {
        *slot = (void *)(uintptr_t)(ki->n + 1);
        for (size_t i = 0; i < ki->nkeys; i++) sp_vec_push(&ki->keys, k[i]);
        ki->n++;
    }
    return (size_t)(uintptr_t)*slot - 1;
}

