/* The per-query execution context: the first runtime error, time and memory
 * limits, per-thread arenas, and allocation helpers for function results. */
#include "kql_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void kql_fail(kql_qctx *q, sp_err_kind kind, const char *code, const char *fmt, ...) {
    pthread_mutex_lock(&q->mu);
    if (!sp_err_is_set(&q->err)) {
        char msg[sizeof q->err.msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        sp_err_set(&q->err, kind, code, 0, 0, "%s", msg);
    }
    __atomic_store_n(&q->failed, 1, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&q->mu);
}

bool kql_check_limits(kql_qctx *q) {
    if (kql_failed(q)) return false;
    if (__atomic_load_n(&q->mem.exceeded, __ATOMIC_RELAXED)) {
        kql_fail(q, SP_ERR_LIMIT, "limit_memory",
                 "the query used more than its memory limit of %zu MB; narrow it with a time filter, "
                 "where clauses or fewer columns",
                 q->mem.limit >> 20);
        return false;
    }
    if (q->deadline_ms > 0 && sp_mono_ms() > q->deadline_ms) {
        kql_fail(q, SP_ERR_LIMIT, "limit_time", "the query ran longer than its time limit of %.0f ms",
                 q->deadline_ms - q->start_ms);
        return false;
    }
    return true;
}

/* Each thread caches its arena for the query it last worked on, keyed by the
 * query's unique id (not its address, which a later query may reuse). */
static _Thread_local uint64_t tl_qid;
static _Thread_local sp_arena *tl_arena;
static uint64_t g_next_qid = 1;

sp_arena *kql_thread_arena(kql_qctx *q) {
    if (tl_qid == q->id && tl_arena) return tl_arena;
    pthread_mutex_lock(&q->mu);
    sp_arena *a = sp_malloc(sizeof *a);
    sp_arena_init(a, &q->mem);
    q->tarenas = sp_realloc(q->tarenas, (q->ntarenas + 1) * sizeof *q->tarenas);
    q->tarenas[q->ntarenas++] = a;
    pthread_mutex_unlock(&q->mu);
    tl_qid = q->id;
    tl_arena = a;
    return a;
}

void kql_qctx_init(kql_qctx *q, const kql_options *opt) {
    memset(q, 0, sizeof *q);
    q->opt = opt;
    q->id = __atomic_fetch_add(&g_next_qid, 1, __ATOMIC_RELAXED);
    q->mem.limit = opt && opt->max_memory ? opt->max_memory : (size_t)4 << 30;
    sp_arena_init(&q->arena, &q->mem);
    pthread_mutex_init(&q->mu, NULL);
    q->now = opt && opt->now ? opt->now : sp_now_ticks();
    q->start_ms = sp_mono_ms();
    double t = opt && opt->timeout_ms > 0 ? opt->timeout_ms : 60000;
    q->deadline_ms = q->start_ms + t;
    q->pool = opt && opt->pool ? opt->pool : sp_pool_default();
    sp_map_init(&q->subq, false);
    sp_map_init(&q->dictcache, false);
}

void kql_qctx_free(kql_qctx *q) {
    for (size_t i = 0; i < q->nscans; i++) q->scans[i].t->ops->scan_end(q->scans[i].s);
    free(q->scans);
    for (size_t i = 0; i < q->ntarenas; i++) {
        sp_arena_free(q->tarenas[i]);
        free(q->tarenas[i]);
    }
    free(q->tarenas);
    sp_map_free(&q->subq);
    sp_map_free(&q->dictcache);
    sp_arena_free(&q->arena);
    pthread_mutex_destroy(&q->mu);
    if (tl_qid == q->id) tl_qid = 0, tl_arena = NULL;
}

char *kql_falloc(kql_fctx *c, size_t n) { return sp_arena_alloc(c->arena, n ? n : 1); }

sp_str kql_fstr(kql_fctx *c, const char *p, size_t n) {
    return (sp_str){sp_arena_strndup(c->arena, p, n), n};
}
