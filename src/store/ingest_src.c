/* Input bytes for ingestion: a file, stdin or a memory buffer, transparently
 * gunzipped (gzip magic, concatenated members) with errors naming the input. */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zlib.h>

#define SRC_CHUNK (1 << 20)

struct ing_src {
    int fd;                    /* -1 for memory */
    bool own_fd;
    const char *mem;
    size_t memlen, mempos;
    char *name;
    /* gzip */
    bool gz, gz_end;
    z_stream z;
    unsigned char *in;
    size_t inlen;              /* bytes valid in `in` (file mode) */
    bool in_eof;
    /* bytes read before gzip was detected */
    unsigned char head[2];
    size_t nhead, headpos;
};

static long raw_read(ing_src *s, void *dst, size_t cap, sp_err *err) {
    if (s->headpos < s->nhead) {
        size_t k = SP_MIN(cap, s->nhead - s->headpos);
        memcpy(dst, s->head + s->headpos, k);
        s->headpos += k;
        return (long)k;
    }
    if (s->fd < 0) {
        size_t k = SP_MIN(cap, s->memlen - s->mempos);
        memcpy(dst, s->mem + s->mempos, k);
        s->mempos += k;
        return (long)k;
    }
    for (;;) {
        ssize_t k = read(s->fd, dst, cap);
        if (k >= 0) return (long)k;
        if (errno == EINTR) continue;
        sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot read %s: %s", s->name, strerror(errno));
        return -1;
    }
}

static int detect(ing_src *s, sp_err *err) {
    /* read two bytes to look for the gzip magic */
    while (s->nhead < 2) {
        long k = raw_read(s, s->head + s->nhead, 2 - s->nhead, err);
        if (k < 0) return -1;
        if (k == 0) break;
        s->nhead += (size_t)k;
    }
    if (s->nhead == 2 && s->head[0] == 0x1f && s->head[1] == 0x8b) {
        s->gz = true;
        if (inflateInit2(&s->z, 15 + 32) != Z_OK) {
            sp_err_set(err, SP_ERR_IO, "gzip", 0, 0, "%s: cannot start gzip decoding", s->name);
            return -1;
        }
        s->in = sp_malloc(SRC_CHUNK);
        memcpy(s->in, s->head, 2);
        s->inlen = 2;
        s->headpos = s->nhead;
        s->z.next_in = s->in;
        s->z.avail_in = 2;
    }
    return 0;
}

static ing_src *src_new(const char *name) {
    ing_src *s = sp_calloc(1, sizeof *s);
    s->fd = -1;
    s->name = sp_strdup(name);
    return s;
}

ing_src *ing_src_file(const char *path, sp_err *err) {
    ing_src *s = src_new(strcmp(path, "-") == 0 ? "stdin" : path);
    if (strcmp(path, "-") == 0) {
        s->fd = 0;
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0) {
            sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot open %s: %s", path, strerror(errno));
            ing_src_free(s);
            return NULL;
        }
        s->own_fd = true;
    }
    if (detect(s, err) != 0) {
        ing_src_free(s);
        return NULL;
    }
    return s;
}

ing_src *ing_src_mem(const char *p, size_t n, sp_err *err) {
    ing_src *s = src_new("input");
    s->mem = p;
    s->memlen = n;
    /* memory is read directly: no head bytes needed */
    if (n >= 2 && (unsigned char)p[0] == 0x1f && (unsigned char)p[1] == 0x8b) {
        s->gz = true;
        if (inflateInit2(&s->z, 15 + 32) != Z_OK) {
            sp_err_set(err, SP_ERR_IO, "gzip", 0, 0, "cannot start gzip decoding");
            ing_src_free(s);
            return NULL;
        }
        s->z.next_in = (unsigned char *)p;
        s->z.avail_in = (uInt)SP_MIN(n, (size_t)UINT32_MAX);
        s->mempos = s->z.avail_in;
    }
    return s;
}

bool ing_src_gzip(const ing_src *s) { return s->gz; }

long ing_src_read(ing_src *s, char *dst, size_t cap, sp_err *err) {
    if (!s->gz) return raw_read(s, dst, cap, err);
    if (cap > UINT32_MAX) cap = UINT32_MAX;
    s->z.next_out = (unsigned char *)dst;
    s->z.avail_out = (uInt)cap;
    while (s->z.avail_out == cap) {
        if (s->gz_end) {
            /* another member follows? skip padding zeros as gzip(1) does */
            if (s->z.avail_in == 0 && !s->in_eof) {
                if (s->fd >= 0) {
                    long k = raw_read(s, s->in, SRC_CHUNK, err);
                    if (k < 0) return -1;
                    if (k == 0) s->in_eof = true;
                    s->z.next_in = s->in;
                    s->z.avail_in = (uInt)k;
                } else if (s->mempos < s->memlen) {
                    size_t k = SP_MIN(s->memlen - s->mempos, (size_t)UINT32_MAX);
                    s->z.next_in = (unsigned char *)s->mem + s->mempos;
                    s->z.avail_in = (uInt)k;
                    s->mempos += k;
                } else {
                    s->in_eof = true;
                }
            }
            while (s->z.avail_in && *s->z.next_in == 0) s->z.next_in++, s->z.avail_in--;
            if (s->z.avail_in == 0) {
                if (s->in_eof || (s->fd < 0 && s->mempos >= s->memlen)) return 0;
                continue;
            }
            if (inflateReset(&s->z) != Z_OK) break;
            s->gz_end = false;
        }
        if (s->z.avail_in == 0) {
            if (s->fd >= 0) {
                long k = raw_read(s, s->in, SRC_CHUNK, err);
                if (k < 0) return -1;
                if (k == 0) {
                    sp_err_set(err, SP_ERR_SYNTAX, "bad_gzip", 0, 0,
                               "%s: gzip data ends early (truncated file?)", s->name);
                    return -1;
                }
                s->z.next_in = s->in;
                s->z.avail_in = (uInt)k;
            } else if (s->mempos < s->memlen) {
                size_t k = SP_MIN(s->memlen - s->mempos, (size_t)UINT32_MAX);
                s->z.next_in = (unsigned char *)s->mem + s->mempos;
                s->z.avail_in = (uInt)k;
                s->mempos += k;
            } else {
                sp_err_set(err, SP_ERR_SYNTAX, "bad_gzip", 0, 0,
                           "%s: gzip data ends early (truncated input?)", s->name);
                return -1;
            }
        }
        int rc = inflate(&s->z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            s->gz_end = true;
            continue;
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            sp_err_set(err, SP_ERR_SYNTAX, "bad_gzip", 0, 0, "%s: bad gzip data after %lu bytes: %s",
                       s->name, (unsigned long)s->z.total_in, s->z.msg ? s->z.msg : "corrupt");
            return -1;
        }
    }
    return (long)(cap - s->z.avail_out);
}

void ing_src_free(ing_src *s) {
    if (!s) return;
    if (s->gz) inflateEnd(&s->z);
    if (s->own_fd && s->fd >= 0) close(s->fd);
    free(s->in);
    free(s->name);
    free(s);
}
