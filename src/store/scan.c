/* Scans for the KQL engine: a table's segments as parts, pruned by time
 * range, columns projected by name from the decoded-block cache (strings as
 * dictionary columns, dynamics as trees), null columns where a segment lacks one. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>

struct kql_scan {
    store_ws *ws;
    st_table *t;
    st_tstate *state;
    SP_VEC(st_seg *) parts;
    int *cols;
    size_t ncols;
    pthread_mutex_t mu;
    SP_VEC(st_centry *) pins;
};

/* Does segment s possibly hold rows in [tmin, tmax] of the table's time column? */
static bool overlaps(const st_table *t, const st_seg *s, const kql_scan_req *req) {
    if (!req->has_time || t->kt.time_col < 0) return true;
    const seg_meta *m = &s->meta;
    if (m->time_col < 0 || strcmp(m->cols[m->time_col].name, t->kt.cols[t->kt.time_col].name) != 0)
        return true;      /* written with another time column: cannot prune */
    if (!m->has_time) return false;   /* all times null: no row can match a time range */
    return m->tmax >= req->tmin && m->tmin <= req->tmax;
}

static kql_scan *begin(st_table *t, st_tstate *state, const kql_scan_req *req, sp_err *err) {
    for (size_t i = 0; i < req->ncols; i++) {
        if (req->cols[i] < 0 || (size_t)req->cols[i] >= t->kt.ncols) {
            st_tstate_unref(state);
            sp_err_set(err, SP_ERR_USAGE, "bad_scan", 0, 0, "scan of %s: column %d out of range", t->kt.name, req->cols[i]);
            return NULL;
        }
    }
    kql_scan *s = sp_calloc(1, sizeof *s);
    s->ws = t->ws;
    s->t = t;
    s->state = state;
    pthread_mutex_init(&s->mu, NULL);
    s->ncols = req->ncols;
    s->cols = sp_calloc(req->ncols ? req->ncols : 1, sizeof *s->cols);
    if (req->ncols) memcpy(s->cols, req->cols, req->ncols * sizeof *s->cols);
    for (size_t i = 0; i < state->n; i++)
        if (state->segs[i]->meta.nrows && overlaps(t, state->segs[i], req)) sp_vec_push(&s->parts, state->segs[i]);
    return s;
}

static kql_scan *live_begin(const kql_table *kt, const kql_scan_req *req, sp_err *err) {
    st_table *t = kt->ctx;
    pthread_mutex_lock(&t->ws->state_mu);
    st_tstate *state = t->state;
    atomic_fetch_add(&state->refs, 1);
    pthread_mutex_unlock(&t->ws->state_mu);
    return begin(t, state, req, err);
}

st_tstate *st_snap_state(const kql_table *t, st_table **tab);

static kql_scan *snap_begin(const kql_table *kt, const kql_scan_req *req, sp_err *err) {
    st_table *t;
    st_tstate *state = st_snap_state(kt, &t);
    return begin(t, state, req, err);
}

static size_t scan_parts(kql_scan *s) { return s->parts.n; }

static kql_col *null_col(sp_arena *a, kql_type t, size_t n) {
    kql_col *c = SP_NEW(a, kql_col);
    c->type = t;
    c->n = n;
    c->flags = KQL_COL_CONST;
    if (t == KQL_STRING) {
        c->v.s = SP_NEW(a, sp_str);
        c->v.s[0] = (sp_str){"", 0};
    } else {
        c->nulls = SP_NEW(a, uint64_t);
        c->nulls[0] = 1;
        c->v.raw = sp_arena_zalloc(a, 16);
    }
    return c;
}

static int scan_read(kql_scan *s, size_t part, sp_arena *arena, kql_batch *out, sp_err *err) {
    memset(out, 0, sizeof *out);
    if (part >= s->parts.n) return sp_err_set(err, SP_ERR_USAGE, "bad_scan", 0, 0, "no part %zu", part);
    st_seg *seg = s->parts.v[part];
    const seg_meta *m = &seg->meta;
    out->nrows = m->nrows;
    out->ncols = s->ncols;
    out->cols = SP_NEWZ(arena, kql_col *, s->ncols ? s->ncols : 1);
    for (size_t i = 0; i < s->ncols; i++) {
        const kql_column_def *want = &s->t->kt.cols[s->cols[i]];
        size_t sc = m->ncols;
        /* same position first (the usual case), then by name */
        if ((size_t)s->cols[i] < m->ncols && strcmp(m->cols[s->cols[i]].name, want->name) == 0) sc = (size_t)s->cols[i];
        else
            for (size_t k = 0; k < m->ncols; k++)
                if (strcmp(m->cols[k].name, want->name) == 0) { sc = k; break; }
        if (sc == m->ncols || m->cols[sc].type != want->type) {
            out->cols[i] = null_col(arena, want->type, m->nrows);
            continue;
        }
        sp_err ce = {0};
        st_centry *e = st_cache_get(s->ws->cache, seg, sc, &ce);
        kql_col *c = SP_NEW(arena, kql_col);
        if (!e && strcmp(ce.code, "cache_full") == 0) {
            /* the cache is pinned full by scans: decode into the query's own memory,
             * which its budget bounds, so the store's memory stays bounded */
            uint8_t *block = st_seg_read_block(seg, sc, err);
            if (!block) return -1;
            int rc = seg_decode_col(m, sc, block, arena, c, seg->path ? seg->path : "WAL-held rows", err);
            free(block);
            if (rc != 0) return -1;
        } else if (!e) {
            sp_err_set(err, ce.kind, ce.code, 0, 0, "%s", ce.msg);
            return -1;
        } else {
            pthread_mutex_lock(&s->mu);
            sp_vec_push(&s->pins, e);
            pthread_mutex_unlock(&s->mu);
            *c = *st_centry_col(e);
        }
        out->cols[i] = c;
        out->bytes += m->cols[sc].csize;
    }
    return 0;
}

static void scan_end(kql_scan *s) {
    if (!s) return;
    for (size_t i = 0; i < s->pins.n; i++) st_cache_release(s->ws->cache, s->pins.v[i]);
    sp_vec_free(&s->pins);
    sp_vec_free(&s->parts);
    st_tstate_unref(s->state);
    pthread_mutex_destroy(&s->mu);
    free(s->cols);
    free(s);
}

static int64_t count_rows(st_tstate *st) {
    int64_t n = 0;
    for (size_t i = 0; i < st->n; i++) n += (int64_t)st->segs[i]->meta.nrows;
    return n;
}

static int64_t live_rows(const kql_table *kt) {
    st_table *t = kt->ctx;
    pthread_mutex_lock(&t->ws->state_mu);
    int64_t n = count_rows(t->state);
    pthread_mutex_unlock(&t->ws->state_mu);
    return n;
}

static int64_t snap_rows(const kql_table *kt) {
    st_table *t;
    st_tstate *st = st_snap_state(kt, &t);
    int64_t n = count_rows(st);
    st_tstate_unref(st);
    return n;
}

const kql_table_ops st_table_ops = {live_begin, scan_parts, scan_read, scan_end, live_rows};
const kql_table_ops st_snap_ops = {snap_begin, scan_parts, scan_read, scan_end, snap_rows};
