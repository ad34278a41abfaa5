/* Arena allocation: bump allocation in growing chunks, freed all at once, with
 * an optional shared memory budget (sp_memctl) that the owner checks. */
#include "secpilot/base.h"

#include <stdio.h>
#include <stdlib.h>

struct sp_arena_chunk {
    sp_arena_chunk *next;
    size_t size;
    _Alignas(16) char data[];
};

#define ARENA_MIN_CHUNK (64 * 1024)
#define ARENA_MAX_CHUNK (8 * 1024 * 1024)

void sp_oom(void) {
    fputs("secpilot: out of memory\n", stderr);
    abort();
}

void *sp_malloc(size_t n) {
    void *p = malloc(n ? n : 1);
    if (!p) sp_oom();
    return p;
}

void *sp_calloc(size_t n, size_t size) {
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) sp_oom();
    return p;
}

void *sp_realloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) sp_oom();
    return q;
}

char *sp_strndup(const char *s, size_t n) {
    char *p = sp_malloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *sp_strdup(const char *s) { return sp_strndup(s, strlen(s)); }

static void memctl_add(sp_memctl *m, size_t n) {
    if (!m) return;
    size_t used = __atomic_add_fetch(&m->used, n, __ATOMIC_RELAXED);
    size_t peak = __atomic_load_n(&m->peak, __ATOMIC_RELAXED);
    while (used > peak &&
           !__atomic_compare_exchange_n(&m->peak, &peak, used, true, __ATOMIC_RELAXED,
                                        __ATOMIC_RELAXED)) {
    }
    if (m->limit && used > m->limit) __atomic_store_n(&m->exceeded, 1, __ATOMIC_RELAXED);
}

static void memctl_sub(sp_memctl *m, size_t n) {
    if (m) __atomic_sub_fetch(&m->used, n, __ATOMIC_RELAXED);
}

void sp_arena_init(sp_arena *a, sp_memctl *mem) {
    memset(a, 0, sizeof *a);
    a->chunk_size = ARENA_MIN_CHUNK;
    a->mem = mem;
}

struct sp_arena_cleanup {
    sp_arena_cleanup *next;
    void (*fn)(void *);
    void *ptr;
};

void sp_arena_on_free(sp_arena *a, void (*fn)(void *), void *ptr) {
    sp_arena_cleanup *c = sp_arena_alloc(a, sizeof *c);
    c->fn = fn;
    c->ptr = ptr;
    c->next = a->cleanups;
    a->cleanups = c;
}

void sp_arena_free(sp_arena *a) {
    for (sp_arena_cleanup *k = a->cleanups; k; k = k->next) k->fn(k->ptr);
    sp_arena_chunk *c = a->head;
    while (c) {
        sp_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    memctl_sub(a->mem, a->total);
    sp_memctl *mem = a->mem;
    sp_arena_init(a, mem);
}

static void *arena_new_chunk(sp_arena *a, size_t n) {
    size_t size = a->chunk_size;
    if (n > size / 4) {
        /* Large allocation: give it a chunk of its own behind the current one,
         * so the current chunk's free space is not wasted. */
        sp_arena_chunk *c = sp_malloc(sizeof *c + n);
        c->size = n;
        if (a->head) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = NULL;
            a->head = c;
            a->cur = a->end = c->data + n;
        }
        a->total += sizeof *c + n;
        memctl_add(a->mem, sizeof *c + n);
        return c->data;
    }
    sp_arena_chunk *c = sp_malloc(sizeof *c + size);
    c->size = size;
    c->next = a->head;
    a->head = c;
    a->cur = c->data + n;
    a->end = c->data + size;
    a->total += sizeof *c + size;
    memctl_add(a->mem, sizeof *c + size);
    if (a->chunk_size < ARENA_MAX_CHUNK) a->chunk_size *= 2;
    return c->data;
}

void *sp_arena_alloc(sp_arena *a, size_t n) {
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    if ((size_t)(a->end - a->cur) >= n) {
        void *p = a->cur;
        a->cur += n;
        return p;
    }
    return arena_new_chunk(a, n);
}

void *sp_arena_zalloc(sp_arena *a, size_t n) {
    void *p = sp_arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

void *sp_arena_realloc(sp_arena *a, void *p, size_t old, size_t n) {
    if (n <= old) return p;
    /* Grow in place when p is the last allocation of the current chunk. */
    size_t old_r = (old + 15) & ~(size_t)15;
    if (p && (char *)p + old_r == a->cur) {
        size_t extra = ((n + 15) & ~(size_t)15) - old_r;
        if ((size_t)(a->end - a->cur) >= extra) {
            a->cur += extra;
            return p;
        }
    }
    void *q = sp_arena_alloc(a, n);
    if (p && old) memcpy(q, p, old);
    return q;
}

char *sp_arena_strndup(sp_arena *a, const char *s, size_t n) {
    char *p = sp_arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *sp_arena_strdup(sp_arena *a, const char *s) { return sp_arena_strndup(a, s, strlen(s)); }

char *sp_arena_printf(sp_arena *a, const char *fmt, ...) {
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    char *p = sp_arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}
