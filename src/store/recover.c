/* The manifest (checkpointed list of segment files) and recovery: manifest +
 * WAL replay -> the tables' segment lists, orphan cleanup, and applying a
 * committed record's operations to the in-memory state. */
#include "store_int.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MANIFEST_TAG "SPMANIFEST1"

/* one segment as recovery sees it */
typedef struct {
    char *table;
    uint64_t id;
    uint64_t size;
    uint32_t crc;
    st_seg *mem;               /* ADD_MEM replayed */
    bool live;
} rseg;

typedef struct {
    store_ws *ws;
    uint64_t ckpt;
    SP_VEC(rseg) segs;
    uint64_t max_id;
} rstate;

static rseg *rfind(rstate *r, uint64_t id) {
    for (size_t i = r->segs.n; i-- > 0;)
        if (r->segs.v[i].id == id && r->segs.v[i].live) return &r->segs.v[i];
    return NULL;
}

static char *manifest_path(const char *wsdir) {
    char buf[4200];
    snprintf(buf, sizeof buf, "%s/MANIFEST", wsdir);
    return sp_strdup(buf);
}

/* Reads and checks the manifest; missing = empty (a new workspace). */
static int read_manifest(const char *wsdir, rstate *r, uint64_t *next_id, sp_err *err) {
    char *path = manifest_path(wsdir);
    if (!sp_file_exists(path)) {
        free(path);
        return 0;
    }
    size_t n;
    char *text = sp_read_file(path, 0, &n, err);
    if (!text) {
        free(path);
        return -1;
    }
    int rc = 0;
    char *nl = memchr(text, '\n', n);
    unsigned crc = 0;
    size_t len = 0;
    if (!nl || sscanf(text, MANIFEST_TAG " %x %zu", &crc, &len) != 2 || len != n - (size_t)(nl + 1 - text) ||
        st_crc32(nl + 1, len) != crc) {
        rc = sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: checksum mismatch or truncated", path);
    } else {
        json_t *j = sp_json_parse(nl + 1, len, err);
        if (!j) {
            rc = sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: unreadable", path);
        } else {
            r->ckpt = (uint64_t)json_integer_value(json_object_get(j, "ckpt_seq"));
            *next_id = (uint64_t)json_integer_value(json_object_get(j, "next_id"));
            json_t *segs = json_object_get(j, "segments");
            for (size_t i = 0; i < json_array_size(segs); i++) {
                json_t *s = json_array_get(segs, i);
                const char *t = json_string_value(json_object_get(s, "table"));
                if (!t) continue;
                rseg g = {sp_strdup(t), (uint64_t)json_integer_value(json_object_get(s, "id")),
                          (uint64_t)json_integer_value(json_object_get(s, "size")),
                          (uint32_t)json_integer_value(json_object_get(s, "crc")), NULL, true};
                sp_vec_push(&r->segs, g);
                if (g.id > r->max_id) r->max_id = g.id;
            }
            json_decref(j);
        }
    }
    free(text);
    free(path);
    return rc;
}

static int on_record(void *ctx, uint64_t seq, const wal_op *ops, size_t n, sp_err *err) {
    rstate *r = ctx;
    if (seq <= r->ckpt) return 0;
    for (size_t i = 0; i < n; i++) {
        const wal_op *o = &ops[i];
        if (o->id > r->max_id) r->max_id = o->id;
        if (o->kind == WOP_DEL_SEG) {
            rseg *g = rfind(r, o->id);
            if (g) {
                g->live = false;
                if (g->mem) {
                    st_seg_unref(g->mem);
                    g->mem = NULL;
                }
            }
            continue;
        }
        if (o->kind == WOP_ADD_SEG && rfind(r, o->id)) continue;   /* already listed (rebuilt manifest) */
        rseg g = {sp_strdup(o->table), o->id, o->size, o->footer_crc, NULL, true};
        if (o->kind == WOP_ADD_MEM) {
            uint8_t *img = sp_malloc(o->imglen ? o->imglen : 1);
            memcpy(img, o->img, o->imglen);
            char what[128];
            snprintf(what, sizeof what, "WAL record %llu", (unsigned long long)seq);
            g.mem = st_seg_from_mem(img, o->imglen, o->id, what, err);
            if (!g.mem) {
                free(g.table);
                return -1;
            }
            g.size = o->imglen;
        }
        sp_vec_push(&r->segs, g);
    }
    return 0;
}

static int cmp_seg(const void *a, const void *b) {
    const st_seg *x = *(st_seg *const *)a, *y = *(st_seg *const *)b;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* A table found in segments but not in the catalog (a crash between the two
 * writes cannot cause it, but a hand-copied directory can): register it. */
static st_table *table_for(store_ws *ws, const char *name, const seg_meta *m, sp_err *err) {
    st_table *t = st_find_table(ws, name, strlen(name));
    if (t || ws->readonly) return t;
    kql_column_def *cols = sp_calloc(m->ncols ? m->ncols : 1, sizeof *cols);
    for (size_t i = 0; i < m->ncols; i++) cols[i] = (kql_column_def){m->cols[i].name, m->cols[i].type};
    const kql_table *kt = store_create_table(ws, name, cols, m->ncols, err);
    free(cols);
    return kt ? (st_table *)kt->ctx : NULL;
}

/* Removes segment files no manifest or WAL record refers to (a crash between
 * writing a segment and committing it), and leftover .tmp files. */
static void remove_orphans(store_ws *ws, rstate *r) {
    char path[4200];
    snprintf(path, sizeof path, "%s/tables", ws->dir);
    DIR *d = opendir(path);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char tdir[4200];
        snprintf(tdir, sizeof tdir, "%s/tables/%s", ws->dir, e->d_name);
        DIR *td = opendir(tdir);
        if (!td) continue;
        struct dirent *f;
        while ((f = readdir(td))) {
            size_t k = strlen(f->d_name);
            char fp[8500];
            snprintf(fp, sizeof fp, "%s/%s", tdir, f->d_name);
            if (k > 4 && strcmp(f->d_name + k - 4, ".tmp") == 0) {
                unlink(fp);
                continue;
            }
            if (k != 20 || strcmp(f->d_name + 16, ".seg") != 0) continue;
            uint64_t id = strtoull(f->d_name, NULL, 16);
            if (id > r->max_id) r->max_id = id;
            if (!rfind(r, id)) unlink(fp);
        }
        closedir(td);
    }
    closedir(d);
}

/* repair without a manifest: every segment file present is taken as live */
static void rebuild_from_files(store_ws *ws, rstate *r) {
    char path[4200];
    snprintf(path, sizeof path, "%s/tables", ws->dir);
    DIR *d = opendir(path);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char tdir[4200];
        snprintf(tdir, sizeof tdir, "%s/tables/%s", ws->dir, e->d_name);
        DIR *td = opendir(tdir);
        if (!td) continue;
        struct dirent *f;
        while ((f = readdir(td))) {
            size_t k = strlen(f->d_name);
            if (k != 20 || strcmp(f->d_name + 16, ".seg") != 0) continue;
            char fp[8500];
            snprintf(fp, sizeof fp, "%s/%s", tdir, f->d_name);
            uint64_t id = strtoull(f->d_name, NULL, 16);
            sp_err e2 = {0};
            st_seg *s = st_seg_open_file(fp, id, &e2);
            if (!s) continue;
            rseg g = {sp_strdup(e->d_name), id, s->meta.size, s->meta.footer_crc, NULL, true};
            sp_vec_push(&r->segs, g);
            if (id > r->max_id) r->max_id = id;
            st_seg_unref(s);
        }
        closedir(td);
    }
    closedir(d);
}

int st_ws_recover(store_ws *ws, sp_err *err) {
    rstate r = {.ws = ws};
    uint64_t next_id = 1;
    int rc = read_manifest(ws->dir, &r, &next_id, err);
    if (ws->st->opt.repair) {
        char *mp = manifest_path(ws->dir);
        if (rc != 0 || !sp_file_exists(mp)) {
            sp_log(SP_LOG_WARN, "repair: rebuilding the manifest of %s from its segment files", ws->dir);
            sp_err_clear(err);
            ws->force_manifest = true;
            for (size_t i = 0; i < r.segs.n; i++) free(r.segs.v[i].table);
            r.segs.n = 0;
            r.ckpt = 0;
            rc = 0;
            rebuild_from_files(ws, &r);
        }
        free(mp);
    }
    uint64_t last = 0;
    if (rc == 0) rc = st_wal_replay(ws->dir, !ws->readonly, on_record, &r, &last, err);
    ws->ckpt_seq = r.ckpt;
    ws->wal_seq = last > r.ckpt ? last : r.ckpt;
    /* open what is live */
    SP_VEC(st_seg *) open_segs = {0};
    for (size_t i = 0; rc == 0 && i < r.segs.n; i++) {
        rseg *g = &r.segs.v[i];
        if (!g->live) continue;
        st_seg *s = g->mem;
        if (!s) {
            char *path = st_seg_path(ws, g->table, g->id);
            s = st_seg_open_file(path, g->id, err);
            if (s && (s->meta.size != g->size || s->meta.footer_crc != g->crc)) {
                sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: size or footer differs from the manifest", path);
                st_seg_unref(s);
                s = NULL;
            }
            if (!s && ws->st->opt.repair) {
                sp_log(SP_LOG_WARN, "repair: dropping %s", err->msg);
                ws->force_manifest = true;
                sp_err_clear(err);
                free(path);
                continue;
            }
            free(path);
            if (!s) {
                if (strcmp(err->code, "missing") == 0 || strcmp(err->code, "damaged") == 0)
                    sp_err_hint(err, "run `secpilot store verify --data DIR` to list damage and `secpilot store repair` to quarantine it");
                rc = -1;
                break;
            }
        } else {
            g->mem = NULL;          /* ownership moves to the table state */
        }
        st_table *t = table_for(ws, g->table, &s->meta, err);
        if (!t) {
            st_seg_unref(s);
            if (!sp_err_is_set(err)) continue;   /* read-only: an unknown table is skipped */
            rc = -1;
            break;
        }
        s->meta.time_col = s->meta.time_col;   /* the segment's own */
        sp_vec_push(&open_segs, s);
        if (s->mem) ws->mem_bytes += s->meta.size;
        /* remember the table through the segment's table name */
    }
    if (rc == 0) {
        /* group per table, in id order */
        if (open_segs.n) qsort(open_segs.v, open_segs.n, sizeof *open_segs.v, cmp_seg);
        for (size_t ti = 0; ti < ws->tables.n; ti++) {
            st_table *t = ws->tables.v[ti];
            size_t cnt = 0;
            for (size_t i = 0; i < open_segs.n; i++)
                if (strcmp(open_segs.v[i]->meta.table, t->kt.name) == 0) cnt++;
            if (!cnt) continue;
            st_tstate *st = st_tstate_new(cnt);
            size_t k = 0;
            for (size_t i = 0; i < open_segs.n; i++)
                if (strcmp(open_segs.v[i]->meta.table, t->kt.name) == 0) st->segs[k++] = open_segs.v[i];
            st_tstate_unref(t->state);
            t->state = st;
        }
        if (!ws->readonly) remove_orphans(ws, &r);
        if (r.max_id + 1 > next_id) next_id = r.max_id + 1;
        atomic_store(&ws->next_id, next_id);
    } else {
        for (size_t i = 0; i < open_segs.n; i++) st_seg_unref(open_segs.v[i]);
    }
    sp_vec_free(&open_segs);
    for (size_t i = 0; i < r.segs.n; i++) {
        free(r.segs.v[i].table);
        if (r.segs.v[i].mem) st_seg_unref(r.segs.v[i].mem);
    }
    sp_vec_free(&r.segs);
    return rc;
}

int st_ws_write_manifest(store_ws *ws, sp_err *err) {
    json_t *j = json_object(), *segs = json_array();
    json_object_set_new(j, "ckpt_seq", json_integer((json_int_t)ws->wal_seq));
    json_object_set_new(j, "next_id", json_integer((json_int_t)atomic_load(&ws->next_id)));
    pthread_mutex_lock(&ws->state_mu);
    for (size_t ti = 0; ti < ws->tables.n; ti++) {
        st_tstate *st = ws->tables.v[ti]->state;
        for (size_t i = 0; i < st->n; i++) {
            st_seg *s = st->segs[i];
            if (s->mem) continue;
            json_t *o = json_object();
            json_object_set_new(o, "table", json_string(ws->tables.v[ti]->kt.name));
            json_object_set_new(o, "id", json_integer((json_int_t)s->id));
            json_object_set_new(o, "size", json_integer((json_int_t)s->meta.size));
            json_object_set_new(o, "crc", json_integer((json_int_t)s->meta.footer_crc));
            json_object_set_new(o, "rows", json_integer((json_int_t)s->meta.nrows));
            json_array_append_new(segs, o);
        }
    }
    pthread_mutex_unlock(&ws->state_mu);
    json_object_set_new(j, "segments", segs);
    char *body = sp_json_dump(j, false);
    json_decref(j);
    size_t bl = strlen(body);
    sp_buf b;
    sp_buf_init(&b, 0);
    sp_buf_printf(&b, MANIFEST_TAG " %08x %zu\n", st_crc32(body, bl), bl);
    sp_buf_put(&b, body, bl);
    free(body);
    char *path = manifest_path(ws->dir);
    int rc = st_write_file_atomic(path, b.p, b.n, !ws->st->opt.no_fsync, err);
    free(path);
    sp_buf_free(&b);
    if (rc == 0) ws->ckpt_seq = ws->wal_seq;
    return rc;
}

/* Applies ops to the table states (the record is already durable). added[i]
 * is the opened segment of an ADD op (its reference moves into the state). */
int st_ws_apply(store_ws *ws, const wal_op *ops, size_t n, st_seg **added, sp_err *err) {
    (void)err;
    pthread_mutex_lock(&ws->state_mu);
    /* tables touched, in first-seen order */
    for (size_t i = 0; i < n; i++) {
        const char *tname = ops[i].kind == WOP_DEL_SEG ? NULL : ops[i].table;
        st_table *t = NULL;
        if (tname) t = sp_map_get(&ws->table_map, tname, strlen(tname));
        if (ops[i].kind == WOP_DEL_SEG) {
            /* find the table holding it */
            for (size_t ti = 0; ti < ws->tables.n && !t; ti++) {
                st_tstate *st = ws->tables.v[ti]->state;
                for (size_t k = 0; k < st->n; k++)
                    if (st->segs[k]->id == ops[i].id) { t = ws->tables.v[ti]; break; }
            }
            if (!t) continue;
            st_tstate *old = t->state;
            st_tstate *nw = st_tstate_new(old->n);
            size_t k = 0;
            for (size_t j = 0; j < old->n; j++) {
                st_seg *s = old->segs[j];
                if (s->id == ops[i].id) {
                    if (s->mem) ws->mem_bytes -= s->meta.size;
                    else atomic_store(&s->dropped, true);
                    continue;
                }
                st_seg_ref(s);
                nw->segs[k++] = s;
            }
            nw->n = k;
            t->state = nw;
            st_tstate_unref(old);
            continue;
        }
        if (!t || !added || !added[i]) continue;
        st_tstate *old = t->state;
        st_tstate *nw = st_tstate_new(old->n + 1);
        for (size_t j = 0; j < old->n; j++) {
            st_seg_ref(old->segs[j]);
            nw->segs[j] = old->segs[j];
        }
        nw->segs[old->n] = added[i];
        added[i] = NULL;
        if (nw->segs[old->n]->mem) ws->mem_bytes += nw->segs[old->n]->meta.size;
        t->state = nw;
        st_tstate_unref(old);
    }
    pthread_mutex_unlock(&ws->state_mu);
    return 0;
}
