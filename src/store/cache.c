/* The decoded-block cache: columns decoded from segments, shared by scans,
 * bounded in bytes with LRU eviction; entries a scan is reading are pinned. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct st_centry {
    uint64_t uid;
    size_t col;
    kql_col c;
    sp_arena arena;
    size_t bytes;
    int pins;
    st_centry *hnext;              /* hash chain */
    st_centry *prev, *next;        /* LRU: head = most recent */
};

struct st_cache {
    pthread_mutex_t mu;
    size_t cap, used;
    size_t pinned;                 /* bytes of entries some scan holds */
    st_centry **buckets;
    size_t nb, n;
    st_centry *head, *tail;
};

/* The default budget: a quarter of physical memory, between 256 MiB and 16 GiB.
 * Decoded dictionaries of high-cardinality strings (command lines) are large; a
 * budget smaller than a table's working set makes every query decode again. */
static size_t default_cap(void) {
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    size_t lo = (size_t)256 << 20, hi = (size_t)16 << 30;
    if (pages <= 0 || psize <= 0) return lo;
    size_t q = (size_t)pages / 4 * (size_t)psize;
    return q < lo ? lo : q > hi ? hi : q;
}

st_cache *st_cache_new(size_t cap) {
    st_cache *c = sp_calloc(1, sizeof *c);
    pthread_mutex_init(&c->mu, NULL);
    c->cap = cap ? cap : default_cap();
    c->nb = 1024;
    c->buckets = sp_calloc(c->nb, sizeof *c->buckets);
    return c;
}

static void entry_free(st_centry *e) {
    sp_arena_free(&e->arena);
    free(e);
}

void st_cache_free(st_cache *c) {
    if (!c) return;
    for (st_centry *e = c->head; e;) {
        st_centry *n = e->next;
        entry_free(e);
        e = n;
    }
    free(c->buckets);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static size_t bucket(const st_cache *c, uint64_t uid, size_t col) {
    return (size_t)(sp_hash_u64(uid * 131071u + col) & (c->nb - 1));
}

static void lru_unlink(st_cache *c, st_centry *e) {
    if (e->prev) e->prev->next = e->next;
    else c->head = e->next;
    if (e->next) e->next->prev = e->prev;
    else c->tail = e->prev;
    e->prev = e->next = NULL;
}

static void lru_front(st_cache *c, st_centry *e) {
    e->next = c->head;
    e->prev = NULL;
    if (c->head) c->head->prev = e;
    c->head = e;
    if (!c->tail) c->tail = e;
}

static void hash_remove(st_cache *c, st_centry *e) {
    st_centry **pp = &c->buckets[bucket(c, e->uid, e->col)];
    while (*pp && *pp != e) pp = &(*pp)->hnext;
    if (*pp) *pp = e->hnext;
    c->n--;
}

static void evict(st_cache *c) {
    st_centry *e = c->tail;
    while (c->used > c->cap && e) {
        st_centry *p = e->prev;
        if (e->pins == 0) {
            lru_unlink(c, e);
            hash_remove(c, e);
            c->used -= e->bytes;
            entry_free(e);
        }
        e = p;
    }
}

static void grow(st_cache *c) {
    size_t nb = c->nb * 2;
    st_centry **b = sp_calloc(nb, sizeof *b);
    for (size_t i = 0; i < c->nb; i++) {
        for (st_centry *e = c->buckets[i]; e;) {
            st_centry *n = e->hnext;
            size_t k = (size_t)(sp_hash_u64(e->uid * 131071u + e->col) & (nb - 1));
            e->hnext = b[k];
            b[k] = e;
            e = n;
        }
    }
    free(c->buckets);
    c->buckets = b;
    c->nb = nb;
}

st_centry *st_cache_get(st_cache *c, st_seg *seg, size_t col, sp_err *err) {
    pthread_mutex_lock(&c->mu);
    for (st_centry *e = c->buckets[bucket(c, seg->uid, col)]; e; e = e->hnext) {
        if (e->uid == seg->uid && e->col == col) {
            if (e->pins++ == 0) c->pinned += e->bytes;
            lru_unlink(c, e);
            lru_front(c, e);
            pthread_mutex_unlock(&c->mu);
            return e;
        }
    }
    /* scans already hold the whole budget: the caller decodes into its own memory */
    size_t est = (size_t)seg->meta.cols[col].usize * 2 + 4096;
    bool full = c->pinned + est > c->cap;
    pthread_mutex_unlock(&c->mu);
    if (full) {
        sp_err_set(err, SP_ERR_LIMIT, "cache_full", 0, 0, "block cache full");
        return NULL;
    }
    /* decode outside the lock; a racing decode of the same block wins or loses harmlessly */
    uint8_t *block = st_seg_read_block(seg, col, err);
    if (!block) return NULL;
    st_centry *e = sp_calloc(1, sizeof *e);
    sp_arena_init(&e->arena, NULL);
    char what[600];
    snprintf(what, sizeof what, "%s", seg->path ? seg->path : "WAL-held rows");
    int rc = seg_decode_col(&seg->meta, col, block, &e->arena, &e->c, what, err);
    free(block);
    if (rc != 0) {
        entry_free(e);
        return NULL;
    }
    e->uid = seg->uid;
    e->col = col;
    e->bytes = e->arena.total + sizeof *e;
    e->pins = 1;
    pthread_mutex_lock(&c->mu);
    for (st_centry *o = c->buckets[bucket(c, seg->uid, col)]; o; o = o->hnext) {
        if (o->uid == seg->uid && o->col == col) {
            if (o->pins++ == 0) c->pinned += o->bytes;
            pthread_mutex_unlock(&c->mu);
            entry_free(e);
            return o;
        }
    }
    c->pinned += e->bytes;
    if (c->n + 1 > c->nb) grow(c);
    size_t k = bucket(c, e->uid, e->col);
    e->hnext = c->buckets[k];
    c->buckets[k] = e;
    c->n++;
    lru_front(c, e);
    c->used += e->bytes;
    evict(c);
    pthread_mutex_unlock(&c->mu);
    return e;
}

const kql_col *st_centry_col(const st_centry *e) { return &e->c; }

void st_cache_release(st_cache *c, st_centry *e) {
    if (!e) return;
    pthread_mutex_lock(&c->mu);
    if (--e->pins == 0) c->pinned -= e->bytes;
    if (e->pins == 0 && c->used > c->cap) evict(c);
    pthread_mutex_unlock(&c->mu);
}
