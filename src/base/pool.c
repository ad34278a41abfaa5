/* A fixed thread pool running parallel-for jobs: items are claimed with an
 * atomic counter by the workers and the caller, who waits for the last one. */
#include "secpilot/base.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

struct sp_pool {
    pthread_t *threads;
    int nthreads;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pthread_mutex_t run_mu;     /* one job at a time */
    /* the current job */
    sp_task_fn fn;
    void *ctx;
    size_t n;
    size_t next;                /* atomic: next item to claim */
    size_t finished;            /* items done (under mu) */
    unsigned long gen;          /* bumps when a new job starts */
    int active;                 /* workers inside the current job */
    bool stop;
};

static _Thread_local bool tl_in_job;

static void run_items(sp_pool *p, sp_task_fn fn, void *ctx, size_t n) {
    size_t did = 0;
    for (;;) {
        size_t i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);
        if (i >= n) break;
        fn(ctx, i);
        did++;
    }
    if (did) {
        pthread_mutex_lock(&p->mu);
        p->finished += did;
        if (p->finished == p->n) pthread_cond_broadcast(&p->done);
        pthread_mutex_unlock(&p->mu);
    }
}

static void *worker(void *arg) {
    sp_pool *p = arg;
    unsigned long seen = 0;
    tl_in_job = true;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->gen == seen) pthread_cond_wait(&p->work, &p->mu);
        if (p->stop) break;
        seen = p->gen;
        sp_task_fn fn = p->fn;
        void *ctx = p->ctx;
        size_t n = p->n;
        p->active++;
        pthread_mutex_unlock(&p->mu);
        run_items(p, fn, ctx, n);
        pthread_mutex_lock(&p->mu);
        p->active--;
        if (p->active == 0) pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

sp_pool *sp_pool_create(int nthreads) {
    sp_pool *p = sp_calloc(1, sizeof *p);
    if (nthreads < 1) nthreads = 1;
    p->nthreads = nthreads;
    pthread_mutex_init(&p->mu, NULL);
    pthread_mutex_init(&p->run_mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    /* The caller is one of the workers, so start nthreads - 1 threads. */
    p->threads = sp_calloc((size_t)nthreads, sizeof(pthread_t));
    for (int i = 0; i < nthreads - 1; i++) pthread_create(&p->threads[i], NULL, worker, p);
    return p;
}

void sp_pool_destroy(sp_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads - 1; i++) pthread_join(p->threads[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_mutex_destroy(&p->run_mu);
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->done);
    free(p->threads);
    free(p);
}

void sp_pool_run(sp_pool *p, size_t n, sp_task_fn fn, void *ctx) {
    if (n == 0) return;
    if (!p || p->nthreads <= 1 || n == 1 || tl_in_job) {
        for (size_t i = 0; i < n; i++) fn(ctx, i);
        return;
    }
    pthread_mutex_lock(&p->run_mu);
    pthread_mutex_lock(&p->mu);
    /* A worker still leaving the previous job must not claim items of this one. */
    while (p->active > 0) pthread_cond_wait(&p->done, &p->mu);
    p->fn = fn;
    p->ctx = ctx;
    p->n = n;
    p->finished = 0;
    __atomic_store_n(&p->next, 0, __ATOMIC_RELAXED);
    p->gen++;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);

    tl_in_job = true;
    run_items(p, fn, ctx, n);
    tl_in_job = false;

    pthread_mutex_lock(&p->mu);
    /* Wait until every item is done and no worker still touches this job. */
    while (p->finished < p->n || p->active > 0) pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
    pthread_mutex_unlock(&p->run_mu);
}

int sp_pool_size(const sp_pool *p) { return p ? p->nthreads : 1; }

int sp_ncpus(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : (int)n;
}

static sp_pool *g_default;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static void make_default(void) { g_default = sp_pool_create(sp_ncpus()); }

sp_pool *sp_pool_default(void) {
    pthread_once(&g_once, make_default);
    return g_default;
}
