/* store verify / repair: every checksum of every manifest, WAL record and
 * segment block checked, problems named by file; repair moves damaged files
 * to quarantine/ and rewrites the manifest from what is still good. */
#include "store_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static void problem(store_verify_report *r, const char *path, const char *fmt, ...) SP_PRINTF(3, 4);
static void problem(store_verify_report *r, const char *path, const char *fmt, ...) {
    r->problems = sp_realloc(r->problems, (r->nproblems + 1) * sizeof *r->problems);
    store_problem *p = &r->problems[r->nproblems++];
    snprintf(p->path, sizeof p->path, "%s", path);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->what, sizeof p->what, fmt, ap);
    va_end(ap);
}

void store_verify_free(store_verify_report *r) {
    free(r->problems);
    memset(r, 0, sizeof *r);
}

/* Reads and decodes every column of a segment. */
static bool check_segment(st_seg *s, const char *what, store_verify_report *r) {
    for (size_t c = 0; c < s->meta.ncols; c++) {
        sp_err e = {0};
        uint8_t *block = st_seg_read_block(s, c, &e);
        if (!block) {
            problem(r, what, "%s", e.msg);
            return false;
        }
        sp_arena a;
        sp_arena_init(&a, NULL);
        kql_col col;
        int rc = seg_decode_col(&s->meta, c, block, &a, &col, what, &e);
        sp_arena_free(&a);
        free(block);
        if (rc != 0) {
            const char *m = strstr(e.msg, ": ");
            problem(r, what, "%s", m ? m + 2 : e.msg);
            return false;
        }
    }
    return true;
}

typedef struct {
    store_verify_report *r;
    const char *wsdir;
    SP_VEC(uint64_t) live;     /* ids added after the checkpoint, minus deletes */
    SP_VEC(char *) tables;
    SP_VEC(uint64_t) dels;     /* ids deleted after the checkpoint (compaction, retention) */
    uint64_t ckpt;             /* records up to this one are in the manifest */
} vctx;

static int on_rec(void *ctx, uint64_t seq, const wal_op *ops, size_t n, sp_err *err) {
    vctx *v = ctx;
    (void)err;
    if (seq <= v->ckpt) return 0;
    for (size_t i = 0; i < n; i++) {
        if (ops[i].kind == WOP_ADD_MEM) {
            char what[600];
            snprintf(what, sizeof what, "%s/wal (record %llu)", v->wsdir, (unsigned long long)seq);
            uint8_t *img = sp_malloc(ops[i].imglen ? ops[i].imglen : 1);
            memcpy(img, ops[i].img, ops[i].imglen);
            sp_err e = {0};
            st_seg *s = st_seg_from_mem(img, ops[i].imglen, ops[i].id, what, &e);
            if (!s) problem(v->r, what, "%s", e.msg);
            else {
                v->r->rows += s->meta.nrows;
                check_segment(s, what, v->r);
                st_seg_unref(s);
            }
        } else if (ops[i].kind == WOP_ADD_SEG) {
            sp_vec_push(&v->live, ops[i].id);
            sp_vec_push(&v->tables, sp_strdup(ops[i].table));
        } else {
            for (size_t k = 0; k < v->live.n; k++)
                if (v->live.v[k] == ops[i].id) v->live.v[k] = 0;
            sp_vec_push(&v->dels, ops[i].id);
        }
    }
    return 0;
}

/* One workspace: its manifest, WAL, and every live segment. `bad` collects
 * paths to quarantine. */
typedef SP_VEC(char *) strvec;

static void verify_ws(const char *wsdir, store_verify_report *r, strvec *bad) {
    char path[8600];
    vctx v = {.r = r, .wsdir = wsdir};
    /* manifest */
    snprintf(path, sizeof path, "%s/MANIFEST", wsdir);
    json_t *man = NULL;
    uint64_t ckpt = 0;
    if (sp_file_exists(path)) {
        r->files_checked++;
        size_t n;
        sp_err e = {0};
        char *text = sp_read_file(path, 0, &n, &e);
        char *nl = text ? memchr(text, '\n', n) : NULL;
        unsigned crc = 0;
        size_t len = 0;
        if (!nl || sscanf(text, "SPMANIFEST1 %x %zu", &crc, &len) != 2 || len != n - (size_t)(nl + 1 - text) ||
            st_crc32(nl + 1, len) != crc || !(man = sp_json_parse(nl + 1, len, &e))) {
            problem(r, path, "manifest checksum mismatch or truncated");
            sp_vec_push(bad, sp_strdup(path));
        }
        free(text);
        if (man) ckpt = (uint64_t)json_integer_value(json_object_get(man, "ckpt_seq"));
        v.ckpt = ckpt;
    }
    /* WAL: records after the checkpoint */
    sp_err e = {0};
    if (st_wal_replay(wsdir, false, on_rec, &v, NULL, &e) != 0) {
        /* the message starts with the file name */
        char f[600];
        snprintf(f, sizeof f, "%s", e.msg);
        char *colon = strstr(f, ": ");
        if (colon) *colon = 0;
        problem(r, f, "%s", colon ? colon + 2 : e.msg);
        sp_vec_push(bad, sp_strdup(f));
    }
    (void)ckpt;
    /* segments: manifest's + WAL-added */
    json_t *segs = man ? json_object_get(man, "segments") : NULL;
    size_t nm = json_array_size(segs);
    for (size_t i = 0; i < nm + v.live.n; i++) {
        const char *table;
        uint64_t id, size = 0;
        uint32_t fcrc = 0;
        bool from_man = i < nm;
        if (from_man) {
            json_t *s = json_array_get(segs, i);
            table = json_string_value(json_object_get(s, "table"));
            id = (uint64_t)json_integer_value(json_object_get(s, "id"));
            size = (uint64_t)json_integer_value(json_object_get(s, "size"));
            fcrc = (uint32_t)json_integer_value(json_object_get(s, "crc"));
            bool deleted = false;
            for (size_t k = 0; k < v.dels.n && !deleted; k++) deleted = v.dels.v[k] == id;
            if (deleted) continue;          /* dropped after the checkpoint: no longer live */
        } else {
            id = v.live.v[i - nm];
            table = v.tables.v[i - nm];
            if (!id) continue;
        }
        if (!table) continue;
        snprintf(path, sizeof path, "%s/tables/%s/%016llx.seg", wsdir, table, (unsigned long long)id);
        r->files_checked++;
        sp_err se = {0};
        st_seg *s = st_seg_open_file(path, id, &se);
        if (!s) {
            /* a manifest segment later deleted by a WAL record is not missing */
            if (from_man && strcmp(se.code, "missing") == 0) {
                struct stat st;
                if (stat(path, &st) != 0) {
                    /* deleted after the checkpoint? (compaction/retention records) */
                    problem(r, path, "missing segment (listed in the manifest)");
                    continue;
                }
            }
            const char *m = strstr(se.msg, ": ");
            problem(r, path, "%s", m ? m + 2 : se.msg);
            if (strcmp(se.code, "missing") != 0) sp_vec_push(bad, sp_strdup(path));
            continue;
        }
        if (from_man && (s->meta.size != size || s->meta.footer_crc != fcrc)) {
            problem(r, path, "size or footer differs from the manifest");
            sp_vec_push(bad, sp_strdup(path));
        } else {
            r->segments++;
            r->rows += s->meta.nrows;
            r->bytes += s->meta.size;
            if (!check_segment(s, path, r)) sp_vec_push(bad, sp_strdup(path));
        }
        st_seg_unref(s);
    }
    if (man) json_decref(man);
    sp_vec_free(&v.live);
    sp_vec_free(&v.dels);
    for (size_t i = 0; i < v.tables.n; i++) free(v.tables.v[i]);
    sp_vec_free(&v.tables);
}

static int run(const char *dir, store_verify_report *rep, bool repair, sp_err *err) {
    memset(rep, 0, sizeof *rep);
    if (!sp_is_dir(dir)) return sp_err_set(err, SP_ERR_IO, "no_data", 0, 0, "data directory %s does not exist", dir);
    size_t nws;
    char **wss = store_list_workspaces(dir, &nws);
    int rc = 0;
    for (size_t w = 0; w < nws; w++) {
        char wsdir[4200];
        snprintf(wsdir, sizeof wsdir, "%s/workspaces/%s", dir, wss[w]);
        strvec bad = {0};
        int lock = -1;
        if (repair) {
            char lp[4300];
            snprintf(lp, sizeof lp, "%s/LOCK", wsdir);
            lock = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
            if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) != 0) {
                rc = sp_err_set(err, SP_ERR_RUNTIME, "locked", 0, 0,
                                "workspace '%s' is open for writing by another process; repair needs it alone", wss[w]);
                if (lock >= 0) close(lock);
                for (size_t i = w; i < nws; i++) free(wss[i]);
                free(wss);
                return rc;
            }
        }
        size_t before = rep->nproblems;
        verify_ws(wsdir, rep, &bad);
        if (repair && rep->nproblems > before) {
            char qdir[4300];
            snprintf(qdir, sizeof qdir, "%s/quarantine", wsdir);
            sp_mkdir_p(qdir, err);
            for (size_t i = 0; i < bad.n; i++) {
                const char *base = strrchr(bad.v[i], '/');
                base = base ? base + 1 : bad.v[i];
                char to[8700];
                snprintf(to, sizeof to, "%s/%lld-%s", qdir, (long long)(sp_now_ticks() / SP_TICKS_PER_SEC), base);
                bool is_wal = strstr(bad.v[i], "/wal/") != NULL;
                if (is_wal) {
                    /* keep a copy, then cut the file at the damage: records before it stay */
                    size_t n;
                    sp_err e2 = {0};
                    char *data = sp_read_file(bad.v[i], 0, &n, &e2);
                    if (data && st_write_file_atomic(to, data, n, true, &e2) == 0) rep->quarantined++;
                    free(data);
                    /* rewrite the WAL without the damaged tail: replay with fix semantics
                     * treats a damaged record in the last file as torn; move later files aside */
                    int fd = open(bad.v[i], O_WRONLY | O_CLOEXEC);
                    if (fd >= 0) {
                        /* find the offset from the problem text "damaged record at byte N" */
                        const char *m = NULL;
                        for (size_t k = before; k < rep->nproblems; k++)
                            if (strcmp(rep->problems[k].path, bad.v[i]) == 0) m = strstr(rep->problems[k].what, "at byte ");
                        long long off = m ? atoll(m + 8) : 16;
                        if (ftruncate(fd, off) != 0 || fsync(fd) != 0) { /* reported by the next verify */ }
                        close(fd);
                    }
                } else if (rename(bad.v[i], to) == 0) {
                    rep->quarantined++;
                }
            }
            /* open the workspace tolerantly: it drops what is missing and checkpoints */
            if (lock >= 0) {
                close(lock);
                lock = -1;
            }
            store_options o = {.repair = true};
            sp_err e3 = {0};
            store *s = store_open(dir, &o, &e3);
            store_ws *ws = s ? store_workspace(s, wss[w], &e3) : NULL;
            if (!ws && !sp_err_is_set(err)) *err = e3;
            if (!ws) rc = -1;
            store_close(s);
        }
        if (lock >= 0) close(lock);
        for (size_t i = 0; i < bad.n; i++) free(bad.v[i]);
        sp_vec_free(&bad);
        free(wss[w]);
    }
    free(wss);
    return rc;
}

int store_verify(const char *dir, store_verify_report *rep, sp_err *err) { return run(dir, rep, false, err); }
int store_repair(const char *dir, store_verify_report *rep, sp_err *err) { return run(dir, rep, true, err); }
