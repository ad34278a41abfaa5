/* The write-ahead log: committed batches (rows inline, or references to
 * segment files already written) appended with checksums and fsynced before
 * a commit returns; replay after a crash stops at a torn tail, never past damage. */
#include "store_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define WAL_FILE_MAGIC "SPWAL001"
#define WAL_REC_MAGIC 0x4c575053u   /* "SPWL" */
#define WAL_HDR 24

static void put(sp_buf *b, const void *p, size_t n) { sp_buf_put(b, p, n); }
static void put_str16(sp_buf *b, const char *s) {
    uint16_t n = (uint16_t)strlen(s);
    put(b, &n, 2);
    put(b, s, n);
}

int st_wal_open_new(store_ws *ws, sp_err *err) {
    if (ws->wal_fd >= 0) {
        close(ws->wal_fd);
        ws->wal_fd = -1;
    }
    char path[4200];
    uint64_t first = ws->wal_seq + 1;
    snprintf(path, sizeof path, "%s/wal/%016llx.wal", ws->dir, (unsigned long long)first);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot create %s: %s", path, strerror(errno));
    char head[16];
    memcpy(head, WAL_FILE_MAGIC, 8);
    memcpy(head + 8, &first, 8);
    bool sync = !ws->st->opt.no_fsync;
    if (st_write_all(fd, head, 16) != 0 || (sync && fsync(fd) != 0)) {
        close(fd);
        return sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot write %s: %s", path, strerror(errno));
    }
    snprintf(path, sizeof path, "%s/wal", ws->dir);
    if (st_fsync_dir(path, sync, err) != 0) {
        close(fd);
        return -1;
    }
    free(ws->wal_path);
    snprintf(path, sizeof path, "%s/wal/%016llx.wal", ws->dir, (unsigned long long)first);
    ws->wal_path = sp_strdup(path);
    ws->wal_fd = fd;
    return 0;
}

int st_wal_append(store_ws *ws, const wal_op *ops, size_t n, sp_err *err) {
    sp_buf b;
    sp_buf_init(&b, 0);
    char hdr[WAL_HDR] = {0};
    put(&b, hdr, WAL_HDR);
    uint32_t nops = (uint32_t)n;
    put(&b, &nops, 4);
    for (size_t i = 0; i < n; i++) {
        const wal_op *o = &ops[i];
        put(&b, &o->kind, 1);
        put_str16(&b, o->table ? o->table : "");
        put(&b, &o->id, 8);
        if (o->kind == WOP_ADD_MEM) {
            uint64_t len = o->imglen;
            put(&b, &len, 8);
            put(&b, o->img, o->imglen);
        } else if (o->kind == WOP_ADD_SEG) {
            put(&b, &o->size, 8);
            put(&b, &o->footer_crc, 4);
        }
    }
    uint64_t seq = ws->wal_seq + 1;
    uint32_t magic = WAL_REC_MAGIC, plen = (uint32_t)(b.n - WAL_HDR);
    uint32_t pcrc = st_crc32(b.p + WAL_HDR, plen);
    memcpy(b.p, &magic, 4);
    memcpy(b.p + 4, &plen, 4);
    memcpy(b.p + 8, &seq, 8);
    memcpy(b.p + 16, &pcrc, 4);
    uint32_t hcrc = st_crc32(b.p, 20);
    memcpy(b.p + 20, &hcrc, 4);
    int rc = 0;
    off_t before = lseek(ws->wal_fd, 0, SEEK_END);
    if (b.n - WAL_HDR > UINT32_MAX) {
        rc = sp_err_set(err, SP_ERR_LIMIT, "too_large", 0, 0, "one commit holds over 4 GiB of inline rows");
    } else if (st_write_all(ws->wal_fd, b.p, b.n) != 0 || (!ws->st->opt.no_fsync && fdatasync(ws->wal_fd) != 0)) {
        rc = sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot write the WAL %s: %s", ws->wal_path, strerror(errno));
        /* the tail may hold part of this record: start a clean file so later records follow a good one */
        if (before >= 0 && ftruncate(ws->wal_fd, before) != 0) { /* best effort; replay stops at a torn tail */ }
    } else {
        ws->wal_seq = seq;
        ws->wal_bytes += b.n;
    }
    sp_buf_free(&b);
    return rc;
}

static int cmp_names(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* WAL file names, sorted (hex first-seq names sort in order). */
static char **list_wal(const char *wsdir, size_t *n) {
    char path[4200];
    snprintf(path, sizeof path, "%s/wal", wsdir);
    *n = 0;
    DIR *d = opendir(path);
    if (!d) return NULL;
    char **v = NULL;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t k = strlen(e->d_name);
        if (k != 20 || strcmp(e->d_name + 16, ".wal") != 0) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 8;
            v = sp_realloc(v, cap * sizeof *v);
        }
        snprintf(path, sizeof path, "%s/wal/%s", wsdir, e->d_name);
        v[(*n)++] = sp_strdup(path);
    }
    closedir(d);
    if (*n) qsort(v, *n, sizeof *v, cmp_names);
    return v;
}

static bool header_ok(const uint8_t *p, size_t avail, uint32_t *plen, uint64_t *seq, uint32_t *pcrc) {
    if (avail < WAL_HDR) return false;
    uint32_t magic, hcrc;
    memcpy(&magic, p, 4);
    memcpy(&hcrc, p + 20, 4);
    if (magic != WAL_REC_MAGIC || st_crc32(p, 20) != hcrc) return false;
    memcpy(plen, p + 4, 4);
    memcpy(seq, p + 8, 8);
    memcpy(pcrc, p + 16, 4);
    return true;
}

/* Is there a well-formed record anywhere after `from`? (damage, not a torn tail) */
static bool good_record_after(const uint8_t *p, size_t n, size_t from) {
    for (size_t i = from; i + WAL_HDR <= n; i++) {
        uint32_t plen, pcrc;
        uint64_t seq;
        if (p[i] != 'S' || !header_ok(p + i, n - i, &plen, &seq, &pcrc)) continue;
        if (i + WAL_HDR + plen <= n && st_crc32(p + i + WAL_HDR, plen) == pcrc) return true;
    }
    return false;
}

static int parse_ops(const uint8_t *p, size_t n, wal_op **out, size_t *nout, char **names) {
    const uint8_t *e = p + n;
    uint32_t nops;
    if (n < 4) return -1;
    memcpy(&nops, p, 4);
    p += 4;
    if (nops > n) return -1;
    wal_op *ops = sp_calloc(nops ? nops : 1, sizeof *ops);
    char *nm = sp_malloc(n + nops + 1), *w = nm;
    for (uint32_t i = 0; i < nops; i++) {
        wal_op *o = &ops[i];
        uint16_t tl;
        if (e - p < 3) goto bad;
        o->kind = *p++;
        memcpy(&tl, p, 2);
        p += 2;
        if (e - p < tl + 8) goto bad;
        memcpy(w, p, tl);
        w[tl] = 0;
        o->table = w;
        w += tl + 1;
        p += tl;
        memcpy(&o->id, p, 8);
        p += 8;
        if (o->kind == WOP_ADD_MEM) {
            uint64_t len;
            if (e - p < 8) goto bad;
            memcpy(&len, p, 8);
            p += 8;
            if ((uint64_t)(e - p) < len) goto bad;
            o->img = p;
            o->imglen = len;
            p += len;
        } else if (o->kind == WOP_ADD_SEG) {
            if (e - p < 12) goto bad;
            memcpy(&o->size, p, 8);
            memcpy(&o->footer_crc, p + 8, 4);
            p += 12;
        } else if (o->kind != WOP_DEL_SEG) {
            goto bad;
        }
    }
    if (p != e) goto bad;
    *out = ops;
    *nout = nops;
    *names = nm;
    return 0;
bad:
    free(ops);
    free(nm);
    return -1;
}

int st_wal_replay(const char *wsdir, bool fix, wal_record_fn fn, void *ctx, uint64_t *last_seq,
                  sp_err *err) {
    size_t nf;
    char **files = list_wal(wsdir, &nf);
    int rc = 0;
    uint64_t last = 0;
    for (size_t f = 0; f < nf && rc == 0; f++) {
        size_t n;
        sp_err e2 = {0};
        uint8_t *p = (uint8_t *)sp_read_file(files[f], 0, &n, &e2);
        if (!p) {
            if (errno == ENOENT) continue;   /* removed by a checkpoint meanwhile (read-only opens) */
            rc = sp_err_set(err, SP_ERR_IO, "io", 0, 0, "%s", e2.msg);
            break;
        }
        bool lastfile = f + 1 == nf;
        if (n < 16 || memcmp(p, WAL_FILE_MAGIC, 8) != 0) {
            if (lastfile && n < 16) {
                /* a crash while creating it */
                if (fix && truncate(files[f], 0) == 0) unlink(files[f]);
                free(p);
                continue;
            }
            rc = sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: not a WAL file (bad header)", files[f]);
            free(p);
            break;
        }
        size_t off = 16;
        while (off < n) {
            uint32_t plen = 0, pcrc = 0;
            uint64_t seq = 0;
            bool ok = header_ok(p + off, n - off, &plen, &seq, &pcrc) && off + WAL_HDR + plen <= n &&
                      st_crc32(p + off + WAL_HDR, plen) == pcrc;
            if (!ok) {
                if (lastfile && !good_record_after(p, n, off + 1)) {
                    /* a torn tail: the record was never acknowledged */
                    if (fix) {
                        int fd = open(files[f], O_WRONLY | O_CLOEXEC);
                        if (fd >= 0) {
                            if (ftruncate(fd, (off_t)off) != 0 || fsync(fd) != 0) { /* reported on next open */ }
                            close(fd);
                        }
                    }
                    break;
                }
                rc = sp_err_set(err, SP_ERR_IO, "damaged", 0, 0,
                                "%s: damaged record at byte %zu (checksum mismatch); run `secpilot store repair`",
                                files[f], off);
                break;
            }
            if (seq <= last) {
                rc = sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: record sequence goes backwards at byte %zu", files[f], off);
                break;
            }
            wal_op *ops;
            size_t nops;
            char *names;
            if (parse_ops(p + off + WAL_HDR, plen, &ops, &nops, &names) != 0) {
                rc = sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: malformed record at byte %zu", files[f], off);
                break;
            }
            if (fn) rc = fn(ctx, seq, ops, nops, err);
            free(ops);
            free(names);
            last = seq;
            off += WAL_HDR + plen;
            if (rc != 0) break;
        }
        free(p);
    }
    for (size_t f = 0; f < nf; f++) free(files[f]);
    free(files);
    if (last_seq) *last_seq = last;
    return rc;
}

void st_wal_trim(store_ws *ws, uint64_t seq) {
    (void)seq;
    size_t nf;
    char **files = list_wal(ws->dir, &nf);
    for (size_t f = 0; f < nf; f++) {
        if (!ws->wal_path || strcmp(files[f], ws->wal_path) != 0) unlink(files[f]);
        free(files[f]);
    }
    free(files);
    char path[4200];
    snprintf(path, sizeof path, "%s/wal", ws->dir);
    sp_err e = {0};
    st_fsync_dir(path, !ws->st->opt.no_fsync, &e);
}
