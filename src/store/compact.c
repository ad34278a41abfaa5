/* Rewriting segments: checkpoints (WAL-held rows into segment files, then the
 * manifest and a fresh WAL) and compaction of small segments sorted by time. */
#include "store_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#define COMPACT_SMALL_ROWS (STORE_SEGMENT_ROWS)
#define COMPACT_TARGET_ROWS (8 * STORE_SEGMENT_ROWS)
#define COMPACT_TARGET_BYTES (256u << 20)

typedef struct {
    int64_t t;
    uint32_t seg, row;
} rowref;

static int cmp_rowref(const void *a, const void *b) {
    const rowref *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    if (x->seg != y->seg) return x->seg < y->seg ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

st_seg *st_merge(store_ws *ws, st_table *t, st_seg **in, size_t n, int64_t keep_after, int zlevel,
                 bool *empty, sp_err *err) {
    const kql_table *kt = &t->kt;
    *empty = false;
    sp_arena a;
    sp_arena_init(&a, NULL);
    /* decode every input column mapped onto the table's columns */
    kql_col ***cols = SP_NEWZ(&a, kql_col **, n ? n : 1);
    size_t total = 0;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        seg_meta *m = &in[i]->meta;
        cols[i] = SP_NEWZ(&a, kql_col *, kt->ncols ? kt->ncols : 1);
        for (size_t c = 0; c < kt->ncols && rc == 0; c++) {
            for (size_t k = 0; k < m->ncols; k++) {
                if (strcmp(m->cols[k].name, kt->cols[c].name) != 0) continue;
                uint8_t *block = st_seg_read_block(in[i], k, err);
                if (!block) { rc = -1; break; }
                kql_col *col = SP_NEW(&a, kql_col);
                rc = seg_decode_col(m, k, block, &a, col, in[i]->path ? in[i]->path : "WAL-held rows", err);
                free(block);
                cols[i][c] = col;
                break;
            }
        }
        total += m->nrows;
    }
    st_seg *out = NULL;
    if (rc == 0) {
        /* order: by the time column when there is one (better pruning), else as is */
        rowref *order = sp_malloc((total ? total : 1) * sizeof *order);
        size_t k = 0;
        int tc = kt->time_col;
        for (size_t i = 0; i < n; i++) {
            for (size_t r = 0; r < in[i]->meta.nrows; r++) {
                int64_t tv = INT64_MIN;
                kql_col *c = tc >= 0 ? cols[i][tc] : NULL;
                if (c && c->type == KQL_DATETIME && !kql_col_isnull(c, r)) tv = c->v.i64[r];
                if (keep_after != INT64_MIN && tv != INT64_MIN && tv < keep_after) continue;
                order[k++] = (rowref){tc >= 0 ? tv : 0, (uint32_t)i, (uint32_t)r};
            }
        }
        qsort(order, k, sizeof *order, cmp_rowref);
        if (k == 0) {
            *empty = true;
        } else {
            seg_builder *b = segb_new(kt->name, kt->cols, kt->ncols, kt->time_col);
            kql_value *row = sp_calloc(kt->ncols ? kt->ncols : 1, sizeof *row);
            sp_arena conv;
            sp_arena_init(&conv, NULL);
            char why[200];
            for (size_t j = 0; j < k; j++) {
                for (size_t c = 0; c < kt->ncols; c++) {
                    kql_col *col = cols[order[j].seg][c];
                    kql_value v = {.type = kt->cols[c].type, .null = true};
                    if (kt->cols[c].type == KQL_STRING) v.null = false, v.u.s = (sp_str){"", 0};
                    if (col) kql_col_get(col, order[j].row, &v);
                    if (v.type != kt->cols[c].type) {
                        kql_value cv;
                        if (!ing_coerce_value(&v, kt->cols[c].type, &conv, &cv, why, sizeof why)) {
                            cv = (kql_value){.type = kt->cols[c].type, .null = kt->cols[c].type != KQL_STRING};
                        }
                        v = cv;
                    }
                    row[c] = v;
                }
                segb_append(b, row);
                if (conv.total > (8u << 20)) {
                    sp_arena_free(&conv);
                    sp_arena_init(&conv, NULL);
                }
            }
            out = st_write_segment(ws, t, b, zlevel, err);
            sp_arena_free(&conv);
            free(row);
            segb_free(b);
        }
        free(order);
    }
    sp_arena_free(&a);
    return out;
}

/* Replaces segments `old` of table t by `nw` (may be NULL) through one WAL record. */
int st_swap_segments(store_ws *ws, st_table *t, st_seg **old, size_t n, st_seg *nw, sp_err *err) {
    wal_op *ops = sp_calloc(n + 1, sizeof *ops);
    st_seg **added = sp_calloc(n + 1, sizeof *added);
    size_t k = 0;
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/tables/%s", ws->dir, t->kt.name);
    int rc = nw ? st_fsync_dir(dir, !ws->st->opt.no_fsync, err) : 0;
    if (nw) {
        ops[k] = (wal_op){.kind = WOP_ADD_SEG, .table = t->kt.name, .id = nw->id, .size = nw->meta.size,
                          .footer_crc = nw->meta.footer_crc};
        added[k++] = nw;
    }
    for (size_t i = 0; i < n; i++) ops[k++] = (wal_op){.kind = WOP_DEL_SEG, .table = t->kt.name, .id = old[i]->id};
    if (rc == 0) rc = st_wal_append(ws, ops, k, err);
    if (rc == 0) st_ws_apply(ws, ops, k, added, err);
    else if (nw) {
        atomic_store(&nw->dropped, true);
        st_seg_unref(nw);
    }
    free(ops);
    free(added);
    return rc;
}

static st_seg *write_image(store_ws *ws, st_table *t, st_seg *m, sp_err *err) {
    uint64_t id = st_new_id(ws);
    char *path = st_seg_path(ws, t->kt.name, id);
    int rc = st_write_file_atomic(path, m->mem, m->meta.size, !ws->st->opt.no_fsync, err);
    st_seg *s = rc == 0 ? st_seg_open_file(path, id, err) : NULL;
    free(path);
    return s;
}

int st_checkpoint_locked(store_ws *ws, sp_err *err) {
    if (ws->readonly) return 0;
    int rc = 0;
    bool any_mem = false;
    for (size_t ti = 0; ti < ws->tables.n && rc == 0; ti++) {
        st_table *t = ws->tables.v[ti];
        pthread_mutex_lock(&ws->state_mu);
        st_tstate *st = t->state;
        atomic_fetch_add(&st->refs, 1);
        pthread_mutex_unlock(&ws->state_mu);
        SP_VEC(st_seg *) mem = {0};
        for (size_t i = 0; i < st->n; i++)
            if (st->segs[i]->mem) sp_vec_push(&mem, st->segs[i]);
        if (mem.n) {
            any_mem = true;
            bool empty = false;
            /* one image: it is a segment already, written as it is; several: merged */
            st_seg *nw = mem.n == 1 ? write_image(ws, t, mem.v[0], err)
                                    : st_merge(ws, t, mem.v, mem.n, INT64_MIN, ws->st->opt.zstd_level, &empty, err);
            if (!nw && !empty) rc = -1;
            else {
                /* no WAL record needed: the manifest below is the commit point, and
                 * until it is written the WAL still holds these rows */
                char dir[4200];
                snprintf(dir, sizeof dir, "%s/tables/%s", ws->dir, t->kt.name);
                rc = st_fsync_dir(dir, !ws->st->opt.no_fsync, err);
                wal_op *ops = sp_calloc(mem.n + 1, sizeof *ops);
                st_seg *added[1] = {nw};
                size_t k = 0;
                if (nw) ops[k++] = (wal_op){.kind = WOP_ADD_SEG, .table = t->kt.name, .id = nw->id};
                for (size_t i = 0; i < mem.n; i++) ops[k++] = (wal_op){.kind = WOP_DEL_SEG, .id = mem.v[i]->id};
                if (rc == 0) {
                    /* apply: ADD first (added[0]) then the DELs; added array must align with ops */
                    st_seg **al = sp_calloc(k, sizeof *al);
                    al[0] = added[0];
                    st_ws_apply(ws, ops, k, nw ? al : NULL, err);
                    free(al);
                } else if (nw) {
                    atomic_store(&nw->dropped, true);
                    st_seg_unref(nw);
                }
                free(ops);
            }
        }
        sp_vec_free(&mem);
        st_tstate_unref(st);
    }
    if (rc != 0) return rc;
    if (!any_mem && ws->wal_bytes == 0 && !ws->force_manifest) return 0;
    /* new records go to a new WAL file; the manifest then covers everything before it */
    if (st_wal_open_new(ws, err) != 0) return -1;
    if (st_ws_write_manifest(ws, err) != 0) return -1;
    st_wal_trim(ws, ws->ckpt_seq);
    ws->wal_bytes = 0;
    ws->force_manifest = false;
    return 0;
}

int store_checkpoint(store_ws *ws, sp_err *err) {
    if (ws->readonly) return sp_err_set(err, SP_ERR_USAGE, "readonly", 0, 0, "the store is open read-only");
    pthread_mutex_lock(&ws->write_mu);
    int rc = st_checkpoint_locked(ws, err);
    pthread_mutex_unlock(&ws->write_mu);
    return rc;
}

bool st_still_there(store_ws *ws, st_table *t, st_seg **segs, size_t n) {
    pthread_mutex_lock(&ws->state_mu);
    st_tstate *st = t->state;
    size_t found = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < st->n; k++)
            if (st->segs[k] == segs[i]) { found++; break; }
    pthread_mutex_unlock(&ws->state_mu);
    return found == n;
}

/* The tables as of now (the list may grow while we work: custom tables). */
st_table **st_tables_now(store_ws *ws, size_t *n) {
    pthread_mutex_lock(&ws->state_mu);
    *n = ws->tables.n;
    st_table **v = sp_malloc((*n ? *n : 1) * sizeof *v);
    if (*n) memcpy(v, ws->tables.v, *n * sizeof *v);
    pthread_mutex_unlock(&ws->state_mu);
    return v;
}

int store_compact(store_ws *ws, sp_err *err) {
    if (ws->readonly) return sp_err_set(err, SP_ERR_USAGE, "readonly", 0, 0, "the store is open read-only");
    int rc = 0;
    size_t ntab;
    st_table **tabs = st_tables_now(ws, &ntab);
    for (size_t ti = 0; ti < ntab && rc == 0; ti++) {
        st_table *t = tabs[ti];
        pthread_mutex_lock(&ws->state_mu);
        st_tstate *st = t->state;
        atomic_fetch_add(&st->refs, 1);
        pthread_mutex_unlock(&ws->state_mu);
        size_t i = 0;
        while (i < st->n && rc == 0) {
            /* a run of small file segments, up to the target size */
            SP_VEC(st_seg *) grp = {0};
            uint64_t rows = 0, bytes = 0;
            for (; i < st->n; i++) {
                st_seg *s = st->segs[i];
                if (s->mem || s->meta.nrows >= COMPACT_SMALL_ROWS) {
                    if (grp.n >= 2) break;
                    grp.n = 0, rows = bytes = 0;
                    continue;
                }
                uint64_t ub = 0;
                for (size_t c = 0; c < s->meta.ncols; c++) ub += s->meta.cols[c].usize;
                if (grp.n >= 2 && (rows + s->meta.nrows > COMPACT_TARGET_ROWS || bytes + ub > COMPACT_TARGET_BYTES)) break;
                sp_vec_push(&grp, s);
                rows += s->meta.nrows;
                bytes += ub;
            }
            if (grp.n >= 2) {
                bool empty;
                int lvl = (ws->st->opt.zstd_level ? ws->st->opt.zstd_level : 1) + 2;
                st_seg *nw = st_merge(ws, t, grp.v, grp.n, INT64_MIN, lvl, &empty, err);
                if (!nw && !empty) rc = -1;
                else {
                    pthread_mutex_lock(&ws->write_mu);
                    if (st_still_there(ws, t, grp.v, grp.n)) rc = st_swap_segments(ws, t, grp.v, grp.n, nw, err);
                    else if (nw) {
                        atomic_store(&nw->dropped, true);
                        st_seg_unref(nw);
                    }
                    pthread_mutex_unlock(&ws->write_mu);
                }
            }
            sp_vec_free(&grp);
        }
        st_tstate_unref(st);
    }
    free(tabs);
    return rc;
}
