/* Segments held by a workspace: file or in-memory images, their metadata,
 * reference counting across snapshots, and reading one column's block. */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static atomic_uint_fast64_t g_uid = 1;

void st_seg_ref(st_seg *s) { atomic_fetch_add(&s->refs, 1); }

void st_seg_unref(st_seg *s) {
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1) return;
    if (s->fd >= 0) close(s->fd);
    if (atomic_load(&s->dropped) && s->path) unlink(s->path);
    free(s->path);
    free(s->mem);
    seg_meta_free(&s->meta);
    free(s);
}

static int pread_all(int fd, void *p, size_t n, uint64_t off) {
    char *c = p;
    while (n) {
        ssize_t k = pread(fd, c, n, (off_t)off);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        c += k;
        n -= (size_t)k;
        off += (uint64_t)k;
    }
    return 0;
}

st_seg *st_seg_open_file(const char *path, uint64_t id, sp_err *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        sp_err_set(err, SP_ERR_IO, errno == ENOENT ? "missing" : "io", 0, 0, "%s: %s", path,
                   errno == ENOENT ? "missing segment" : strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        sp_err_set(err, SP_ERR_IO, "io", 0, 0, "%s: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    uint64_t size = (uint64_t)st.st_size;
    size_t taillen = (size_t)SP_MIN(size, (uint64_t)65536);
    uint8_t *tail = sp_malloc(taillen ? taillen : 1);
    st_seg *s = sp_calloc(1, sizeof *s);
    int rc = -1;
    if (pread_all(fd, tail, taillen, size - taillen) != 0) {
        sp_err_set(err, SP_ERR_IO, "io", 0, 0, "%s: read error", path);
    } else {
        size_t need = 0;
        rc = seg_parse_tail(tail, taillen, size, &s->meta, &need, path, err);
        if (rc == 1) {
            if (need > size) {
                rc = sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: truncated", path);
            } else {
                free(tail);
                taillen = need;
                tail = sp_malloc(taillen);
                if (pread_all(fd, tail, taillen, size - taillen) != 0)
                    rc = sp_err_set(err, SP_ERR_IO, "io", 0, 0, "%s: read error", path);
                else
                    rc = seg_parse_tail(tail, taillen, size, &s->meta, &need, path, err);
            }
        }
        /* the header too */
        char head[8];
        if (rc == 0 && (pread_all(fd, head, 8, 0) != 0 || memcmp(head, SEG_MAGIC, 8) != 0))
            rc = sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: bad segment header", path);
    }
    free(tail);
    if (rc != 0) {
        seg_meta_free(&s->meta);
        free(s);
        close(fd);
        return NULL;
    }
    atomic_init(&s->refs, 1);
    atomic_init(&s->dropped, false);
    s->id = id;
    s->uid = atomic_fetch_add(&g_uid, 1);
    s->fd = fd;
    s->path = sp_strdup(path);
    return s;
}

st_seg *st_seg_from_mem(uint8_t *img, size_t n, uint64_t id, const char *what, sp_err *err) {
    st_seg *s = sp_calloc(1, sizeof *s);
    size_t need = 0;
    int rc = seg_parse_tail(img, n, n, &s->meta, &need, what, err);
    if (rc == 0 && memcmp(img, SEG_MAGIC, 8) != 0) {
        seg_meta_free(&s->meta);
        rc = sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: bad segment header", what);
    }
    if (rc != 0) {
        if (rc == 1) sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: malformed image", what);
        free(s);
        free(img);
        return NULL;
    }
    atomic_init(&s->refs, 1);
    atomic_init(&s->dropped, false);
    s->id = id;
    s->uid = atomic_fetch_add(&g_uid, 1);
    s->fd = -1;
    s->mem = img;
    return s;
}

uint8_t *st_seg_read_block(st_seg *s, size_t c, sp_err *err) {
    const seg_colmeta *m = &s->meta.cols[c];
    uint8_t *b = sp_malloc(m->csize ? m->csize : 1);
    if (s->mem) {
        memcpy(b, s->mem + m->off, m->csize);
    } else if (pread_all(s->fd, b, m->csize, m->off) != 0) {
        sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: cannot read column %s (truncated?)", s->path, m->name);
        free(b);
        return NULL;
    }
    return b;
}

st_tstate *st_tstate_new(size_t n) {
    st_tstate *t = sp_calloc(1, sizeof *t);
    atomic_init(&t->refs, 1);
    t->n = n;
    t->segs = sp_calloc(n ? n : 1, sizeof *t->segs);
    return t;
}

void st_tstate_unref(st_tstate *t) {
    if (!t || atomic_fetch_sub(&t->refs, 1) != 1) return;
    for (size_t i = 0; i < t->n; i++) st_seg_unref(t->segs[i]);
    free(t->segs);
    free(t);
}
