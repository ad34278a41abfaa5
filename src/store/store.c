/* The data directory: opening and closing it, workspaces (directories, the
 * writer's lock file, recovery), the background thread, snapshots and info. */
#include "store_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

store *store_open(const char *dir, const store_options *opt, sp_err *err) {
    store_options o = opt ? *opt : (store_options){0};
    if (!dir || !*dir) {
        sp_err_set(err, SP_ERR_USAGE, "no_data", 0, 0, "no data directory given (--data DIR)");
        return NULL;
    }
    if (!sp_is_dir(dir)) {
        if (o.readonly || o.no_create) {
            sp_err_set(err, SP_ERR_IO, "no_data", 0, 0, "data directory %s does not exist", dir);
            return NULL;
        }
        if (sp_mkdir_p(dir, err) != 0) return NULL;
    }
    store *s = sp_calloc(1, sizeof *s);
    s->dir = sp_strdup(dir);
    s->opt = o;
    pthread_mutex_init(&s->mu, NULL);
    if (st_load_schemas(s, err) != 0) {
        store_close(s);
        return NULL;
    }
    /* every live segment holds a descriptor: allow as many as the system does */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    return s;
}

static void *bg_main(void *arg);

static void ws_free(store_ws *ws) {
    if (!ws) return;
    for (size_t i = 0; i < ws->tables.n; i++) {
        st_table *t = ws->tables.v[i];
        st_tstate_unref(t->state);
        for (size_t c = 0; c < t->kt.ncols; c++) free((char *)t->kt.cols[c].name);
        free((void *)t->kt.cols);
        for (size_t r = 0; r < t->retired.n; r++) free(t->retired.v[r]);
        sp_vec_free(&t->retired);
        free((char *)t->kt.name);
        free(t);
    }
    sp_vec_free(&ws->tables);
    sp_map_free(&ws->table_map);
    st_cache_free(ws->cache);
    if (ws->wal_fd >= 0) close(ws->wal_fd);
    if (ws->lock_fd >= 0) close(ws->lock_fd);   /* releases the flock */
    pthread_mutex_destroy(&ws->write_mu);
    pthread_mutex_destroy(&ws->state_mu);
    pthread_cond_destroy(&ws->bg_cv);
    free(ws->wal_path);
    free(ws->name);
    free(ws->dir);
    free(ws);
}

void store_close(store *s) {
    if (!s) return;
    for (size_t i = 0; i < s->ws.n; i++) {
        store_ws *ws = s->ws.v[i];
        if (ws->bg_running) {
            pthread_mutex_lock(&ws->write_mu);
            ws->bg_stop = true;
            pthread_cond_signal(&ws->bg_cv);
            pthread_mutex_unlock(&ws->write_mu);
            pthread_join(ws->bg, NULL);
        }
        if (!ws->readonly) {
            sp_err e = {0};
            pthread_mutex_lock(&ws->write_mu);
            if (st_checkpoint_locked(ws, &e) != 0) sp_log(SP_LOG_WARN, "store: checkpoint at close: %s", e.msg);
            pthread_mutex_unlock(&ws->write_mu);
        }
        ws_free(ws);
    }
    sp_vec_free(&s->ws);
    if (s->schemas) json_decref(s->schemas);
    pthread_mutex_destroy(&s->mu);
    free(s->dir);
    free(s);
}

static bool valid_ws_name(const char *n) {
    size_t k = strlen(n);
    if (k == 0 || k > 64 || n[0] == '.') return false;
    for (size_t i = 0; i < k; i++) {
        char c = n[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-' || c == '.'))
            return false;
    }
    return true;
}

/* The writer's lock: flock on <ws>/LOCK, released by the kernel when the
 * process ends however it ends. The file names the holder for the message. */
static int take_lock(store_ws *ws, sp_err *err) {
    char path[4200];
    snprintf(path, sizeof path, "%s/LOCK", ws->dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot open %s: %s", path, strerror(errno));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char who[256] = {0};
        ssize_t k = pread(fd, who, sizeof who - 1, 0);
        if (k > 0) {
            who[k] = 0;
            char *nl = strchr(who, '\n');
            if (nl) *nl = 0;
        }
        close(fd);
        sp_err_set(err, SP_ERR_RUNTIME, "locked", 0, 0,
                   "workspace '%s' in %s is open for writing by another process (%s); "
                   "wait for it to finish, or open the store read-only",
                   ws->name, ws->st->dir, k > 0 ? who : "unknown");
        return -1;
    }
    char who[128];
    int n = snprintf(who, sizeof who, "pid %ld\n", (long)getpid());
    if (ftruncate(fd, 0) == 0) {
        if (pwrite(fd, who, (size_t)n, 0) != n) { /* informative only */ }
    }
    ws->lock_fd = fd;
    return 0;
}

static store_ws *open_ws(store *s, const char *name, sp_err *err) {
    store_ws *ws = sp_calloc(1, sizeof *ws);
    ws->st = s;
    ws->name = sp_strdup(name);
    ws->readonly = s->opt.readonly;
    ws->lock_fd = ws->wal_fd = -1;
    pthread_mutex_init(&ws->write_mu, NULL);
    pthread_mutex_init(&ws->state_mu, NULL);
    pthread_cond_init(&ws->bg_cv, NULL);
    sp_map_init(&ws->table_map, false);
    atomic_init(&ws->next_id, 1);
    char path[4200];
    snprintf(path, sizeof path, "%s/workspaces/%s", s->dir, name);
    ws->dir = sp_strdup(path);
    if (!sp_is_dir(ws->dir)) {
        if (ws->readonly) {
            sp_err_set(err, SP_ERR_SEMANTIC, "no_workspace", 0, 0, "no workspace '%s' in %s", name, s->dir);
            ws_free(ws);
            return NULL;
        }
    }
    if (!ws->readonly) {
        const char *sub[] = {"", "/wal", "/tables", "/quarantine"};
        for (size_t i = 0; i < SP_ARRAY_LEN(sub); i++) {
            snprintf(path, sizeof path, "%s%s", ws->dir, sub[i]);
            if (sp_mkdir_p(path, err) != 0) {
                ws_free(ws);
                return NULL;
            }
        }
        if (take_lock(ws, err) != 0) {
            ws_free(ws);
            return NULL;
        }
    }
    ws->cache = st_cache_new(s->opt.cache_bytes);
    if (st_ws_load_tables(ws, err) != 0 || st_ws_recover(ws, err) != 0) {
        ws_free(ws);
        return NULL;
    }
    if (!ws->readonly) {
        for (size_t i = 0; i < ws->tables.n; i++) {
            snprintf(path, sizeof path, "%s/tables/%s", ws->dir, ws->tables.v[i]->kt.name);
            if (!sp_is_dir(path) && sp_mkdir_p(path, err) != 0) {
                ws_free(ws);
                return NULL;
            }
        }
        snprintf(path, sizeof path, "%s/tables", ws->dir);
        if (st_fsync_dir(path, !s->opt.no_fsync, err) != 0 || st_fsync_dir(ws->dir, !s->opt.no_fsync, err) != 0 ||
            st_wal_open_new(ws, err) != 0) {
            ws_free(ws);
            return NULL;
        }
        /* everything replayed from older WAL files goes into segments now */
        pthread_mutex_lock(&ws->write_mu);
        int rc = st_checkpoint_locked(ws, err);
        pthread_mutex_unlock(&ws->write_mu);
        if (rc != 0) {
            ws_free(ws);
            return NULL;
        }
        if (s->opt.background) {
            ws->bg_running = pthread_create(&ws->bg, NULL, bg_main, ws) == 0;
        }
    }
    return ws;
}

store_ws *store_workspace(store *s, const char *name, sp_err *err) {
    if (!name || !*name) name = "default";
    if (!valid_ws_name(name)) {
        sp_err_set(err, SP_ERR_USAGE, "bad_name", 0, 0,
                   "workspace names are 1-64 letters, digits, '_', '-' or '.'; '%s' is not", name);
        return NULL;
    }
    pthread_mutex_lock(&s->mu);
    for (size_t i = 0; i < s->ws.n; i++) {
        if (strcmp(s->ws.v[i]->name, name) == 0) {
            store_ws *w = s->ws.v[i];
            pthread_mutex_unlock(&s->mu);
            return w;
        }
    }
    store_ws *ws = open_ws(s, name, err);
    if (ws) sp_vec_push(&s->ws, ws);
    pthread_mutex_unlock(&s->mu);
    return ws;
}

int store_refresh(store_ws *ws, sp_err *err) {
    if (!ws->readonly) return 0;
    /* a checkpoint of the writer may remove files between our reads: retry */
    for (int attempt = 0; attempt < 10; attempt++) {
        sp_err e = {0};
        /* recover into fresh states, then swap */
        st_tstate **old = sp_calloc(ws->tables.n ? ws->tables.n : 1, sizeof *old);
        pthread_mutex_lock(&ws->state_mu);
        for (size_t i = 0; i < ws->tables.n; i++) {
            old[i] = ws->tables.v[i]->state;
            ws->tables.v[i]->state = st_tstate_new(0);
        }
        pthread_mutex_unlock(&ws->state_mu);
        ws->mem_bytes = 0;
        int rc = st_ws_recover(ws, &e);
        if (rc == 0) {
            for (size_t i = 0; i < ws->tables.n; i++) st_tstate_unref(old[i]);
            free(old);
            return 0;
        }
        pthread_mutex_lock(&ws->state_mu);
        for (size_t i = 0; i < ws->tables.n; i++) {
            st_tstate_unref(ws->tables.v[i]->state);
            ws->tables.v[i]->state = old[i];
        }
        pthread_mutex_unlock(&ws->state_mu);
        free(old);
        if (strcmp(e.code, "missing") != 0 || attempt == 9) {
            *err = e;
            return -1;
        }
        usleep(20000);
    }
    return -1;
}

/* ------------------------------------------------------------ background */

static void *bg_main(void *arg) {
    store_ws *ws = arg;
    pthread_mutex_lock(&ws->write_mu);
    while (!ws->bg_stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 2;
        pthread_cond_timedwait(&ws->bg_cv, &ws->write_mu, &ts);
        if (ws->bg_stop) break;
        sp_err e = {0};
        size_t limit = ws->st->opt.wal_checkpoint_bytes ? ws->st->opt.wal_checkpoint_bytes : (64u << 20);
        if (ws->wal_bytes > limit || ws->mem_bytes > limit) {
            if (st_checkpoint_locked(ws, &e) != 0) sp_log(SP_LOG_WARN, "store: checkpoint: %s", e.msg);
        }
        pthread_mutex_unlock(&ws->write_mu);
        sp_err_clear(&e);
        if (store_compact(ws, &e) != 0) sp_log(SP_LOG_WARN, "store: compaction: %s", e.msg);
        int64_t now = st_now(ws->st);
        if (now - ws->last_retention > SP_TICKS_PER_HOUR) {
            sp_err_clear(&e);
            uint64_t dropped = 0;
            if (store_apply_retention(ws, now, &dropped, &e) != 0) sp_log(SP_LOG_WARN, "store: retention: %s", e.msg);
            ws->last_retention = now;
        }
        pthread_mutex_lock(&ws->write_mu);
    }
    pthread_mutex_unlock(&ws->write_mu);
    return NULL;
}

/* ------------------------------------------------------------- snapshots */

struct store_snap {
    atomic_int refs;
    store_ws *ws;
    size_t n;
    kql_table *tables;         /* copies whose ctx points at views[i] */
    struct snap_view {
        st_table *t;
        st_tstate *state;
    } *views;
};

st_tstate *st_snap_state(const kql_table *t, st_table **tab);
st_tstate *st_snap_state(const kql_table *t, st_table **tab) {
    struct snap_view *v = t->ctx;
    *tab = v->t;
    atomic_fetch_add(&v->state->refs, 1);
    return v->state;
}

extern const kql_table_ops st_snap_ops;

store_snap *store_snapshot(store_ws *ws) {
    store_snap *s = sp_calloc(1, sizeof *s);
    atomic_init(&s->refs, 1);
    s->ws = ws;
    pthread_mutex_lock(&ws->state_mu);
    s->n = ws->tables.n;
    s->tables = sp_calloc(s->n ? s->n : 1, sizeof *s->tables);
    s->views = sp_calloc(s->n ? s->n : 1, sizeof *s->views);
    for (size_t i = 0; i < s->n; i++) {
        st_table *t = ws->tables.v[i];
        s->views[i].t = t;
        s->views[i].state = t->state;
        atomic_fetch_add(&t->state->refs, 1);
        s->tables[i] = t->kt;
        s->tables[i].ops = &st_snap_ops;
        s->tables[i].ctx = &s->views[i];
    }
    pthread_mutex_unlock(&ws->state_mu);
    return s;
}

static const kql_table *snap_find(void *ctx, const char *name, size_t n) {
    store_snap *s = ctx;
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->tables[i].name) == n && memcmp(s->tables[i].name, name, n) == 0) return &s->tables[i];
    return NULL;
}

static size_t snap_list(void *ctx, const kql_table **out, size_t max) {
    store_snap *s = ctx;
    for (size_t i = 0; i < s->n && i < max; i++) out[i] = &s->tables[i];
    return s->n;
}

kql_catalog store_snap_catalog(store_snap *s) { return (kql_catalog){s, snap_find, snap_list}; }

void store_snap_release(store_snap *s) {
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1) return;
    for (size_t i = 0; i < s->n; i++) st_tstate_unref(s->views[i].state);
    free(s->views);
    free(s->tables);
    free(s);
}

/* ------------------------------------------------------------------ info */

char **store_list_workspaces(const char *dir, size_t *n) {
    char path[4200];
    snprintf(path, sizeof path, "%s/workspaces", dir);
    *n = 0;
    DIR *d = opendir(path);
    if (!d) return NULL;
    char **v = NULL;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !valid_ws_name(e->d_name)) continue;
        v = sp_realloc(v, (*n + 1) * sizeof *v);
        v[(*n)++] = sp_strdup(e->d_name);
    }
    closedir(d);
    return v;
}

void store_info(store_ws *ws, sp_buf *out, bool json) {
    pthread_mutex_lock(&ws->state_mu);
    uint64_t trows = 0, tbytes = 0, tsegs = 0, tmem = 0;
    if (json) sp_buf_printf(out, "{\"workspace\":");
    if (json) sp_buf_put_json_str(out, ws->name, strlen(ws->name));
    if (json) sp_buf_puts(out, ",\"tables\":[");
    else sp_buf_printf(out, "workspace %s (%s)\n%-40s %10s %8s %12s  %s\n", ws->name, ws->dir, "table", "rows",
                       "segments", "bytes", "time range");
    bool first = true;
    for (size_t i = 0; i < ws->tables.n; i++) {
        st_table *t = ws->tables.v[i];
        st_tstate *st = t->state;
        if (!st->n) continue;
        uint64_t rows = 0, bytes = 0, mem = 0;
        int64_t tmin = INT64_MAX, tmax = INT64_MIN;
        for (size_t k = 0; k < st->n; k++) {
            seg_meta *m = &st->segs[k]->meta;
            rows += m->nrows;
            bytes += m->size;
            if (st->segs[k]->mem) mem++;
            if (m->has_time) {
                if (m->tmin < tmin) tmin = m->tmin;
                if (m->tmax > tmax) tmax = m->tmax;
            }
        }
        char a[40] = "-", b[40] = "-";
        if (tmin <= tmax) {
            sp_format_datetime(tmin, a);
            sp_format_datetime(tmax, b);
        }
        if (json) {
            sp_buf_printf(out, "%s{\"table\":", first ? "" : ",");
            sp_buf_put_json_str(out, t->kt.name, strlen(t->kt.name));
            sp_buf_printf(out, ",\"rows\":%llu,\"segments\":%zu,\"wal_segments\":%llu,\"bytes\":%llu,\"custom\":%s,"
                               "\"retention_days\":%d,\"min_time\":\"%s\",\"max_time\":\"%s\"}",
                          (unsigned long long)rows, st->n, (unsigned long long)mem, (unsigned long long)bytes,
                          t->custom ? "true" : "false", t->retention_days, a, b);
        } else {
            sp_buf_printf(out, "%-40s %10llu %8zu %12llu  %s .. %s%s\n", t->kt.name, (unsigned long long)rows,
                          st->n, (unsigned long long)bytes, a, b, t->custom ? "  (custom)" : "");
        }
        first = false;
        trows += rows, tbytes += bytes, tsegs += st->n, tmem += mem;
    }
    if (json)
        sp_buf_printf(out, "],\"rows\":%llu,\"segments\":%llu,\"bytes\":%llu,\"wal_seq\":%llu,\"checkpoint_seq\":%llu}\n",
                      (unsigned long long)trows, (unsigned long long)tsegs, (unsigned long long)tbytes,
                      (unsigned long long)ws->wal_seq, (unsigned long long)ws->ckpt_seq);
    else
        sp_buf_printf(out, "total: %llu rows in %llu segments (%llu held in the WAL), %llu bytes\n",
                      (unsigned long long)trows, (unsigned long long)tsegs, (unsigned long long)tmem,
                      (unsigned long long)tbytes);
    pthread_mutex_unlock(&ws->state_mu);
}
