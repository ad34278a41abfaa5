/* Hashing (a 64-bit multiply-mix over 8-byte words) and the string-keyed,
 * open-addressing hash map used for catalogs, symbol tables and options. */
#include "secpilot/base.h"

#include <stdlib.h>

#define M1 0x9E3779B97F4A7C15ULL
#define M2 0xBF58476D1CE4E5B9ULL

static inline uint64_t load64(const unsigned char *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint64_t mix(uint64_t a, uint64_t b) {
    __uint128_t r = (__uint128_t)a * b;
    return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t sp_hash_bytes(const void *data, size_t n, uint64_t seed) {
    const unsigned char *p = data;
    uint64_t h = seed ^ (n * M1);
    while (n >= 16) {
        h = mix(load64(p) ^ M1, load64(p + 8) ^ h);
        p += 16;
        n -= 16;
    }
    if (n >= 8) {
        h = mix(load64(p) ^ M2, h ^ M1);
        p += 8;
        n -= 8;
    }
    uint64_t t = 0;
    for (size_t i = 0; i < n; i++) t |= (uint64_t)p[i] << (8 * i);
    h = mix(t ^ M2 ^ n, h ^ M1);
    return sp_hash_u64(h);
}

uint64_t sp_hash_ibytes(const void *data, size_t n, uint64_t seed) {
    unsigned char tmp[256];
    const unsigned char *p = data;
    uint64_t h = seed;
    while (n) {
        size_t k = n < sizeof tmp ? n : sizeof tmp;
        for (size_t i = 0; i < k; i++) {
            unsigned char c = p[i];
            tmp[i] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
        }
        h = sp_hash_bytes(tmp, k, h);
        p += k;
        n -= k;
    }
    return h;
}

void sp_map_init(sp_map *m, bool icase) {
    memset(m, 0, sizeof *m);
    m->icase = icase;
}

void sp_map_free(sp_map *m) {
    for (size_t i = 0; i < m->cap; i++) free(m->e[i].key);
    free(m->e);
    bool ic = m->icase;
    sp_map_init(m, ic);
}

static uint64_t key_hash(const sp_map *m, const char *k, size_t n) {
    return m->icase ? sp_hash_ibytes(k, n, 0) : sp_hash_bytes(k, n, 0);
}

static bool key_eq(const sp_map *m, const sp_map_entry *e, const char *k, size_t n, uint64_t h) {
    if (e->hash != h || e->klen != n) return false;
    return m->icase ? sp_str_ieq((sp_str){e->key, n}, (sp_str){k, n}) : memcmp(e->key, k, n) == 0;
}

static sp_map_entry *find(const sp_map *m, const char *k, size_t n, uint64_t h) {
    if (!m->cap) return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        sp_map_entry *e = &m->e[i];
        if (!e->key) return e;
        if (key_eq(m, e, k, n, h)) return e;
    }
}

static void grow(sp_map *m) {
    size_t oc = m->cap;
    sp_map_entry *old = m->e;
    m->cap = oc ? oc * 2 : 16;
    m->e = sp_calloc(m->cap, sizeof *m->e);
    for (size_t i = 0; i < oc; i++) {
        if (!old[i].key) continue;
        size_t mask = m->cap - 1;
        size_t j = old[i].hash & mask;
        while (m->e[j].key) j = (j + 1) & mask;
        m->e[j] = old[i];
    }
    free(old);
}

void **sp_map_slot(sp_map *m, const char *k, size_t n, bool *created) {
    if ((m->n + 1) * 4 > m->cap * 3) grow(m);
    uint64_t h = key_hash(m, k, n);
    sp_map_entry *e = find(m, k, n, h);
    if (created) *created = false;
    if (!e->key) {
        e->key = sp_strndup(k, n);
        e->klen = n;
        e->hash = h;
        e->val = NULL;
        m->n++;
        if (created) *created = true;
    }
    return &e->val;
}

void *sp_map_get(const sp_map *m, const char *k, size_t n) {
    sp_map_entry *e = find(m, k, n, key_hash(m, k, n));
    return e && e->key ? e->val : NULL;
}

bool sp_map_has(const sp_map *m, const char *k, size_t n) {
    sp_map_entry *e = find(m, k, n, key_hash(m, k, n));
    return e && e->key;
}

void sp_map_put(sp_map *m, const char *k, size_t n, void *val) { *sp_map_slot(m, k, n, NULL) = val; }
