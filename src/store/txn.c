/* Write transactions: rows appended per table into column builders, large
 * runs written as segment files along the way, the rest inline; commit =
 * one WAL record (fsync) then one atomic swap of the tables' segment lists. */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define TXN_SEG_BYTES (384u << 20)

typedef struct txn_table {
    st_table *t;
    seg_builder *b;
    SP_VEC(st_seg *) files;    /* segment files written, not yet committed */
} txn_table;

struct store_txn {
    store_ws *ws;
    SP_VEC(txn_table) tabs;
    sp_arena arena;
    kql_value *tmp;
    size_t tmpn;
    uint64_t rows;
    bool failed;
    char fail_msg[600];
};

store_txn *store_txn_begin(store_ws *ws, sp_err *err) {
    if (ws->readonly) {
        sp_err_set(err, SP_ERR_USAGE, "readonly", 0, 0, "the store is open read-only");
        return NULL;
    }
    store_txn *tx = sp_calloc(1, sizeof *tx);
    tx->ws = ws;
    sp_arena_init(&tx->arena, NULL);
    return tx;
}

uint64_t store_txn_rows(const store_txn *tx) { return tx->rows; }

store_ws *st_txn_ws(store_txn *tx) { return tx->ws; }

st_seg *st_write_segment(store_ws *ws, st_table *t, seg_builder *b, int zlevel, sp_err *err) {
    sp_buf img;
    sp_buf_init(&img, 0);
    if (segb_finish(b, zlevel, &img, err) != 0) {
        sp_buf_free(&img);
        return NULL;
    }
    uint64_t id = st_new_id(ws);
    char *path = st_seg_path(ws, t->kt.name, id);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    st_seg *s = NULL;
    if (fd < 0) {
        sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot create %s: %s", path, strerror(errno));
    } else if (st_write_all(fd, img.p, img.n) != 0 || (!ws->st->opt.no_fsync && fsync(fd) != 0)) {
        sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot write %s: %s", path, strerror(errno));
        close(fd);
        unlink(path);
    } else {
        close(fd);
        s = st_seg_open_file(path, id, err);
        if (!s) unlink(path);
    }
    sp_buf_free(&img);
    free(path);
    return s;
}

static txn_table *tx_table(store_txn *tx, const char *name, sp_err *err) {
    for (size_t i = 0; i < tx->tabs.n; i++)
        if (strcmp(tx->tabs.v[i].t->kt.name, name) == 0) return &tx->tabs.v[i];
    st_table *t = st_find_table(tx->ws, name, strlen(name));
    if (!t) {
        sp_err_set(err, SP_ERR_SEMANTIC, "unknown_table", 0, 0, "no table %s in workspace %s", name, tx->ws->name);
        sp_err_name(err, name, strlen(name));
        return NULL;
    }
    txn_table tt = {.t = t, .b = segb_new(t->kt.name, t->kt.cols, t->kt.ncols, t->kt.time_col)};
    sp_vec_push(&tx->tabs, tt);
    return &tx->tabs.v[tx->tabs.n - 1];
}

int store_txn_append(store_txn *tx, const char *table, const kql_value *row, size_t n, sp_err *err) {
    if (tx->failed) return sp_err_set(err, SP_ERR_RUNTIME, "txn_failed", 0, 0, "%s", tx->fail_msg);
    txn_table *tt = tx_table(tx, table, err);
    if (!tt) return -1;
    const kql_table *kt = &tt->t->kt;
    if (n > kt->ncols) return sp_err_set(err, SP_ERR_USAGE, "bad_row", 0, 0, "%zu values for the %zu columns of %s", n, kt->ncols, kt->name);
    if (tx->tmpn < kt->ncols) {
        tx->tmp = sp_realloc(tx->tmp, kt->ncols * sizeof *tx->tmp);
        tx->tmpn = kt->ncols;
    }
    bool direct = n == kt->ncols;
    for (size_t i = 0; direct && i < n; i++)
        if (row[i].type != kt->cols[i].type || (row[i].type == KQL_STRING && row[i].null)) direct = false;
    const kql_value *use = row;
    if (!direct) {
        if (tx->arena.total > (8u << 20)) {
            sp_arena_free(&tx->arena);
            sp_arena_init(&tx->arena, NULL);
        }
        char why[200];
        for (size_t i = 0; i < kt->ncols; i++) {
            kql_value nv = {.type = KQL_UNKNOWN, .null = true};
            const kql_value *v = i < n ? &row[i] : &nv;
            if (!ing_coerce_value(v, kt->cols[i].type, &tx->arena, &tx->tmp[i], why, sizeof why)) {
                sp_err_set(err, SP_ERR_SEMANTIC, "bad_value", 0, 0, "%s.%s: %s", kt->name, kt->cols[i].name, why);
                return -1;
            }
        }
        use = tx->tmp;
    }
    segb_append(tt->b, use);
    tx->rows++;
    if (segb_rows(tt->b) >= STORE_SEGMENT_ROWS || segb_bytes(tt->b) >= TXN_SEG_BYTES) {
        st_seg *s = st_write_segment(tx->ws, tt->t, tt->b, tx->ws->st->opt.zstd_level, err);
        if (!s) {
            tx->failed = true;
            snprintf(tx->fail_msg, sizeof tx->fail_msg, "%s", err->msg);
            return -1;
        }
        sp_vec_push(&tt->files, s);
    }
    return 0;
}

static void tx_free(store_txn *tx, bool drop_files) {
    for (size_t i = 0; i < tx->tabs.n; i++) {
        txn_table *tt = &tx->tabs.v[i];
        for (size_t k = 0; k < tt->files.n; k++) {
            if (tt->files.v[k]) {
                if (drop_files) atomic_store(&tt->files.v[k]->dropped, true);
                st_seg_unref(tt->files.v[k]);
            }
        }
        sp_vec_free(&tt->files);
        segb_free(tt->b);
    }
    sp_vec_free(&tx->tabs);
    sp_arena_free(&tx->arena);
    free(tx->tmp);
    free(tx);
}

void store_txn_abort(store_txn *tx) {
    if (tx) tx_free(tx, true);
}

int store_txn_commit(store_txn *tx, sp_err *err) {
    store_ws *ws = tx->ws;
    if (tx->failed) {
        sp_err_set(err, SP_ERR_RUNTIME, "txn_failed", 0, 0, "%s", tx->fail_msg);
        tx_free(tx, true);
        return -1;
    }
    /* the leftovers of each table become one inline image */
    SP_VEC(wal_op) ops = {0};
    SP_VEC(st_seg *) added = {0};
    SP_VEC(uint8_t *) imgs = {0};
    int rc = 0;
    for (size_t i = 0; i < tx->tabs.n && rc == 0; i++) {
        txn_table *tt = &tx->tabs.v[i];
        for (size_t k = 0; k < tt->files.n; k++) {
            st_seg *s = tt->files.v[k];
            wal_op o = {.kind = WOP_ADD_SEG, .table = tt->t->kt.name, .id = s->id, .size = s->meta.size,
                        .footer_crc = s->meta.footer_crc};
            sp_vec_push(&ops, o);
            sp_vec_push(&added, s);
            tt->files.v[k] = NULL;
        }
        if (segb_rows(tt->b) == 0) continue;
        sp_buf img;
        sp_buf_init(&img, 0);
        if (segb_finish(tt->b, ws->st->opt.zstd_level, &img, err) != 0) {
            sp_buf_free(&img);
            rc = -1;
            break;
        }
        uint64_t id = st_new_id(ws);
        size_t n = img.n;
        uint8_t *p = (uint8_t *)sp_buf_steal(&img);
        wal_op o = {.kind = WOP_ADD_MEM, .table = tt->t->kt.name, .id = id, .img = p, .imglen = n};
        sp_vec_push(&ops, o);
        uint8_t *copy = sp_malloc(n);
        memcpy(copy, p, n);
        sp_vec_push(&imgs, p);
        st_seg *s = st_seg_from_mem(copy, n, id, "new rows", err);
        if (!s) {
            rc = -1;
            break;
        }
        sp_vec_push(&added, s);
    }
    if (rc == 0 && ops.n) {
        pthread_mutex_lock(&ws->write_mu);
        /* segment files written during the transaction: their names must be durable first */
        for (size_t i = 0; i < tx->tabs.n && rc == 0; i++) {
            bool any = false;
            for (size_t k = 0; k < ops.n; k++)
                if (ops.v[k].kind == WOP_ADD_SEG && ops.v[k].table == tx->tabs.v[i].t->kt.name) any = true;
            if (!any) continue;
            char dir[4200];
            snprintf(dir, sizeof dir, "%s/tables/%s", ws->dir, tx->tabs.v[i].t->kt.name);
            rc = st_fsync_dir(dir, !ws->st->opt.no_fsync, err);
        }
        if (rc == 0) rc = st_wal_append(ws, ops.v, ops.n, err);
        if (rc == 0) {
            st_ws_apply(ws, ops.v, ops.n, added.v, err);
            size_t limit = ws->st->opt.wal_checkpoint_bytes ? ws->st->opt.wal_checkpoint_bytes : (64u << 20);
            if (!ws->bg_running && (ws->wal_bytes > limit || ws->mem_bytes > limit)) {
                sp_err e2 = {0};
                /* the commit is durable already: a failed checkpoint only delays compaction */
                if (st_checkpoint_locked(ws, &e2) != 0) sp_log(SP_LOG_WARN, "store: checkpoint: %s", e2.msg);
            } else if (ws->bg_running) {
                pthread_cond_signal(&ws->bg_cv);
            }
        }
        pthread_mutex_unlock(&ws->write_mu);
    }
    for (size_t i = 0; i < added.n; i++) {
        if (!added.v[i]) continue;
        if (rc != 0 && !added.v[i]->mem) atomic_store(&added.v[i]->dropped, true);
        st_seg_unref(added.v[i]);
    }
    for (size_t i = 0; i < imgs.n; i++) free(imgs.v[i]);
    sp_vec_free(&imgs);
    sp_vec_free(&added);
    sp_vec_free(&ops);
    tx_free(tx, rc != 0);
    return rc;
}
