/* Input bytes for ingestion: a file, stdin or memory, unpacked on the way:
 * gzip (concatenated members too), zip archives (stored or deflated entries)
 * and tar (plain or gzipped); archive members are read one after another. */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define SRC_CHUNK (1 << 20)

struct ing_src {
    int fd;                    /* -1 for memory */
    bool own_fd;
    const char *mem;
    size_t memlen, mempos;
    char *name;
    /* raw input buffer */
    unsigned char *in;
    size_t inpos, inlen;
    bool raw_eof;
    uint64_t raw_off;          /* bytes of input consumed before `in` */
    /* gzip */
    bool gz, gz_end;
    z_stream z;
    /* zip */
    bool zip, zip_done, zentry, zdeflate, zdesc, zsep;
    uint64_t zleft;            /* stored bytes left in the entry (known size) */
    bool zskip;                /* entry is skipped (directory, macOS metadata) */
    z_stream zz;
    bool zz_init;
    /* tar (over gzip or raw) */
    bool tar, tar_done, tsep;
    uint64_t tleft, tpad;
    bool tskip;
    int entries;
    /* the first bytes after gzip, read to look for a tar header, replayed */
    char pre[512];
    size_t npre, prepos;
    /* bytes the reader peeked at (format sniffing), replayed */
    char *peek;
    size_t npeek, peekpos;
    bool regular;              /* a regular file (can be opened again) */
    sp_err perr;               /* an error met while peeking, reported after the peeked bytes */
    bool has_perr;
};

/* ------------------------------------------------------------ raw bytes */

static long raw_fill(ing_src *s, sp_err *err) {
    if (s->inpos > 0) {
        memmove(s->in, s->in + s->inpos, s->inlen - s->inpos);
        s->raw_off += s->inpos;
        s->inlen -= s->inpos;
        s->inpos = 0;
    }
    if (s->raw_eof || s->inlen == SRC_CHUNK) return 0;
    if (s->fd < 0) {
        size_t k = SP_MIN(SRC_CHUNK - s->inlen, s->memlen - s->mempos);
        memcpy(s->in + s->inlen, s->mem + s->mempos, k);
        s->mempos += k;
        s->inlen += k;
        if (k == 0) s->raw_eof = true;
        return (long)k;
    }
    for (;;) {
        ssize_t k = read(s->fd, s->in + s->inlen, SRC_CHUNK - s->inlen);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) {
            sp_err_set(err, SP_ERR_IO, "io", 0, 0, "cannot read %s: %s", s->name, strerror(errno));
            return -1;
        }
        if (k == 0) s->raw_eof = true;
        s->inlen += (size_t)k;
        return k;
    }
}

/* Makes n bytes available at s->in + s->inpos; false at the end of input. */
static int raw_need(ing_src *s, size_t n, sp_err *err) {
    while (s->inlen - s->inpos < n) {
        long k = raw_fill(s, err);
        if (k < 0) return -1;
        if (k == 0) return 0;
    }
    return 1;
}

static long raw_read(ing_src *s, void *dst, size_t cap, sp_err *err) {
    if (s->inpos == s->inlen) {
        long k = raw_fill(s, err);
        if (k <= 0) return k;
    }
    size_t k = SP_MIN(cap, s->inlen - s->inpos);
    memcpy(dst, s->in + s->inpos, k);
    s->inpos += k;
    return (long)k;
}

/* --------------------------------------------------------------- gzip */

static int gz_start(ing_src *s, sp_err *err) {
    s->gz = true;
    memset(&s->z, 0, sizeof s->z);
    if (inflateInit2(&s->z, 15 + 16) != Z_OK)
        return sp_err_set(err, SP_ERR_IO, "gzip", 0, 0, "%s: cannot start gzip decoding", s->name);
    return 0;
}

static long gz_read(ing_src *s, char *dst, size_t cap, sp_err *err) {
    if (cap > UINT32_MAX) cap = UINT32_MAX;
    size_t got = 0;
    while (got == 0) {
        if (s->gz_end) {
            /* another member? gzip(1) also skips zero padding */
            for (;;) {
                while (s->inpos < s->inlen && s->in[s->inpos] == 0) s->inpos++;
                if (s->inpos < s->inlen) break;
                long k = raw_fill(s, err);
                if (k < 0) return -1;
                if (k == 0) return 0;
            }
            if (inflateReset(&s->z) != Z_OK) return sp_err_set(err, SP_ERR_IO, "gzip", 0, 0, "%s: gzip reset", s->name);
            s->gz_end = false;
        }
        if (s->inpos == s->inlen) {
            long k = raw_fill(s, err);
            if (k < 0) return -1;
            if (k == 0) {
                sp_err_set(err, SP_ERR_SYNTAX, "bad_gzip", 0, 0, "%s: gzip data ends early (truncated file?)", s->name);
                return -1;
            }
        }
        s->z.next_in = s->in + s->inpos;
        s->z.avail_in = (uInt)(s->inlen - s->inpos);
        s->z.next_out = (unsigned char *)dst;
        s->z.avail_out = (uInt)cap;
        int rc = inflate(&s->z, Z_NO_FLUSH);
        s->inpos = s->inlen - s->z.avail_in;
        got = cap - s->z.avail_out;
        if (rc == Z_STREAM_END) s->gz_end = true;
        else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            sp_err_set(err, SP_ERR_SYNTAX, "bad_gzip", 0, 0, "%s: bad gzip data near byte %llu: %s", s->name,
                       (unsigned long long)(s->raw_off + s->inpos), s->z.msg ? s->z.msg : "corrupt");
            return -1;
        }
    }
    return (long)got;
}

/* ---------------------------------------------------------------- zip */

static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const unsigned char *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }

static bool skip_name(const char *n, size_t len) {
    if (len == 0 || n[len - 1] == '/') return true;                 /* a directory */
    if (len >= 9 && memcmp(n, "__MACOSX/", 9) == 0) return true;    /* macOS metadata */
    const char *base = n;
    for (size_t i = 0; i < len; i++)
        if (n[i] == '/') base = n + i + 1;
    return (size_t)(n + len - base) >= 2 && base[0] == '.' && base[1] == '_';
}

/* Reads the next local file header; false at the central directory (the end). */
static int zip_next(ing_src *s, sp_err *err) {
    int r = raw_need(s, 4, err);
    if (r < 0) return -1;
    if (r == 0) { s->zip_done = true; return 0; }
    uint32_t sig = le32(s->in + s->inpos);
    if (sig == 0x02014b50 || sig == 0x06054b50 || sig == 0x06064b50) { s->zip_done = true; return 0; }
    if (sig != 0x04034b50)
        return sp_err_set(err, SP_ERR_SYNTAX, "bad_zip", 0, 0, "%s: malformed zip archive near byte %llu", s->name,
                          (unsigned long long)(s->raw_off + s->inpos));
    if ((r = raw_need(s, 30, err)) <= 0)
        return r < 0 ? -1 : sp_err_set(err, SP_ERR_SYNTAX, "bad_zip", 0, 0, "%s: zip archive ends early", s->name);
    const unsigned char *h = s->in + s->inpos;
    uint16_t flags = le16(h + 6), method = le16(h + 8), nlen = le16(h + 26), xlen = le16(h + 28);
    uint32_t csize = le32(h + 18);
    if ((r = raw_need(s, 30u + nlen + xlen, err)) <= 0)
        return r < 0 ? -1 : sp_err_set(err, SP_ERR_SYNTAX, "bad_zip", 0, 0, "%s: zip archive ends early", s->name);
    h = s->in + s->inpos;
    const char *name = (const char *)h + 30;
    if (flags & 1) return sp_err_set(err, SP_ERR_SYNTAX, "bad_zip", 0, 0, "%s: encrypted zip entries are not supported", s->name);
    if (method != 0 && method != 8)
        return sp_err_set(err, SP_ERR_SYNTAX, "bad_zip", 0, 0, "%s: zip entry %.*s uses compression method %u (only stored and deflate are read)",
                          s->name, (int)nlen, name, method);
    if (csize == 0xFFFFFFFFu)
        return sp_err_set(err, SP_ERR_SYNTAX, "bad_zip", 0, 0, "%s: zip64 entries are not supported", s->name);
    s->zskip = skip_name(name, nlen);
    s->zdeflate = method == 8;
    s->zdesc = (flags & 8) != 0;
    if (s->zdesc && !s->zdeflate)
        return sp_err_set(err, SP_ERR_SYNTAX, "bad_zip", 0, 0, "%s: stored zip entry without sizes", s->name);
    s->zleft = csize;
    s->inpos += 30u + nlen + xlen;
    if (s->zdeflate) {
        if (!s->zz_init) {
            memset(&s->zz, 0, sizeof s->zz);
            if (inflateInit2(&s->zz, -15) != Z_OK) return sp_err_set(err, SP_ERR_IO, "zip", 0, 0, "inflate init");
            s->zz_init = true;
        } else {
            inflateReset(&s->zz);
        }
    }
    s->zentry = true;
    if (!s->zskip) s->zsep = s->entries++ > 0;
    return 1;
}

static long zip_read(ing_src *s, char *dst, size_t cap, sp_err *err) {
    static char sink[65536];
    for (;;) {
        if (s->zip_done) return 0;
        if (!s->zentry) {
            int r = zip_next(s, err);
            if (r <= 0) return r;
            continue;
        }
        if (s->zsep) {
            /* members are files of rows: keep a line break between them */
            s->zsep = false;
            dst[0] = '\n';
            return 1;
        }
        char *out = s->zskip ? sink : dst;
        size_t ocap = s->zskip ? sizeof sink : cap;
        if (!s->zdeflate) {
            if (s->zleft == 0) { s->zentry = false; continue; }
            if (s->inpos == s->inlen && raw_fill(s, err) <= 0)
                return sp_err_set(err, SP_ERR_SYNTAX, "bad_zip", 0, 0, "%s: zip archive ends early", s->name);
            size_t k = (size_t)SP_MIN((uint64_t)SP_MIN(ocap, s->inlen - s->inpos), s->zleft);
            memcpy(out, s->in + s->inpos, k);
            s->inpos += k;
            s->zleft -= k;
            if (!s->zskip) return (long)k;
            continue;
        }
        if (s->inpos == s->inlen) {
            long k = raw_fill(s, err);
            if (k < 0) return -1;
            if (k == 0) return sp_err_set(err, SP_ERR_SYNTAX, "bad_zip", 0, 0, "%s: zip archive ends early (truncated?)", s->name);
        }
        size_t avail = s->inlen - s->inpos;
        if (!s->zdesc && avail > s->zleft) avail = (size_t)s->zleft;
        s->zz.next_in = s->in + s->inpos;
        s->zz.avail_in = (uInt)SP_MIN(avail, (size_t)UINT32_MAX);
        s->zz.next_out = (unsigned char *)out;
        s->zz.avail_out = (uInt)SP_MIN(ocap, (size_t)UINT32_MAX);
        int rc = inflate(&s->zz, Z_NO_FLUSH);
        size_t used = avail - s->zz.avail_in, made = SP_MIN(ocap, (size_t)UINT32_MAX) - s->zz.avail_out;
        s->inpos += used;
        if (!s->zdesc) s->zleft -= used;
        if (rc == Z_STREAM_END) {
            s->zentry = false;
            if (s->zdesc) {
                /* data descriptor: optional signature, crc, sizes */
                int r = raw_need(s, 16, err);
                if (r < 0) return -1;
                size_t k = (r && le32(s->in + s->inpos) == 0x08074b50) ? 16 : 12;
                if (raw_need(s, k, err) > 0) s->inpos += k;
            } else if (s->zleft) {
                s->inpos += (size_t)SP_MIN((uint64_t)(s->inlen - s->inpos), s->zleft);   /* trailing bytes */
            }
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            return sp_err_set(err, SP_ERR_SYNTAX, "bad_zip", 0, 0, "%s: bad deflate data in a zip entry: %s", s->name,
                              s->zz.msg ? s->zz.msg : "corrupt");
        } else if (!s->zdesc && s->zleft == 0 && made == 0) {
            return sp_err_set(err, SP_ERR_SYNTAX, "bad_zip", 0, 0, "%s: a zip entry ends early", s->name);
        }
        if (made && !s->zskip) return (long)made;
    }
}

/* ---------------------------------------------------------------- tar */

static long inner_read(ing_src *s, char *dst, size_t cap, sp_err *err) {
    if (s->prepos < s->npre) {
        size_t k = SP_MIN(cap, s->npre - s->prepos);
        memcpy(dst, s->pre + s->prepos, k);
        s->prepos += k;
        return (long)k;
    }
    return s->gz ? gz_read(s, dst, cap, err) : raw_read(s, dst, cap, err);
}

static int inner_full(ing_src *s, char *dst, size_t n, sp_err *err) {
    size_t got = 0;
    while (got < n) {
        long k = inner_read(s, dst + got, n - got, err);
        if (k < 0) return -1;
        if (k == 0) return 0;
        got += (size_t)k;
    }
    return 1;
}

static uint64_t octal(const char *p, size_t n) {
    uint64_t v = 0;
    for (size_t i = 0; i < n && p[i]; i++)
        if (p[i] >= '0' && p[i] <= '7') v = v * 8 + (uint64_t)(p[i] - '0');
    return v;
}

static long tar_read(ing_src *s, char *dst, size_t cap, sp_err *err) {
    char blk[512];
    for (;;) {
        if (s->tar_done) return 0;
        if (s->tleft == 0) {
            while (s->tpad) {
                size_t k = (size_t)SP_MIN((uint64_t)sizeof blk, s->tpad);
                int r = inner_full(s, blk, k, err);
                if (r < 0) return -1;
                if (r == 0) { s->tar_done = true; return 0; }
                s->tpad -= k;
            }
            int r = inner_full(s, blk, 512, err);
            if (r < 0) return -1;
            if (r == 0) { s->tar_done = true; return 0; }
            bool zero = true;
            for (int i = 0; i < 512 && zero; i++) zero = blk[i] == 0;
            if (zero) { s->tar_done = true; return 0; }
            uint64_t size = octal(blk + 124, 12);
            char type = blk[156];
            size_t nl = strnlen(blk, 100);
            s->tskip = !(type == '0' || type == 0) || skip_name(blk, nl);
            s->tleft = size;
            s->tpad = (512 - size % 512) % 512;
            if (!s->tskip && s->entries++ > 0) s->tsep = true;
            continue;
        }
        if (s->tsep) {
            s->tsep = false;
            dst[0] = '\n';
            return 1;
        }
        size_t want = (size_t)SP_MIN((uint64_t)cap, s->tleft);
        if (s->tskip) want = (size_t)SP_MIN((uint64_t)sizeof blk, s->tleft);
        long k = inner_read(s, s->tskip ? blk : dst, want, err);
        if (k < 0) return -1;
        if (k == 0) return sp_err_set(err, SP_ERR_SYNTAX, "bad_tar", 0, 0, "%s: tar archive ends early", s->name);
        s->tleft -= (uint64_t)k;
        if (!s->tskip) return k;
    }
}

/* ------------------------------------------------------------ detection */

static int detect(ing_src *s, sp_err *err) {
    s->in = sp_malloc(SRC_CHUNK);
    int r = raw_need(s, 4, err);
    if (r < 0) return -1;
    size_t have = s->inlen - s->inpos;
    const unsigned char *p = s->in + s->inpos;
    if (have >= 2 && p[0] == 0x1f && p[1] == 0x8b) {
        if (gz_start(s, err) != 0) return -1;
    } else if (have >= 4 && le32(p) == 0x04034b50) {
        s->zip = true;
        return 0;
    }
    /* tar (plain or inside the gzip): a header with "ustar" at 257 and a good
     * checksum. The first block is read into `pre` and replayed. */
    while (s->npre < 512) {
        long k = s->gz ? gz_read(s, s->pre + s->npre, 512 - s->npre, err)
                       : raw_read(s, s->pre + s->npre, 512 - s->npre, err);
        if (k < 0) {
            /* too short or damaged: let the reader meet the error in its turn */
            sp_err_clear(err);
            break;
        }
        if (k == 0) break;
        s->npre += (size_t)k;
    }
    if (s->npre == 512 && memcmp(s->pre + 257, "ustar", 5) == 0) {
        unsigned sum = 0;
        for (int i = 0; i < 512; i++) sum += (i >= 148 && i < 156) ? ' ' : (unsigned char)s->pre[i];
        if (octal(s->pre + 148, 8) == sum) s->tar = true;
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
        struct stat st;
        s->regular = fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode);
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
    s->regular = true;
    if (detect(s, err) != 0) {
        ing_src_free(s);
        return NULL;
    }
    return s;
}

static long src_read(ing_src *s, char *dst, size_t cap, sp_err *err);

long ing_src_read(ing_src *s, char *dst, size_t cap, sp_err *err) {
    if (s->peekpos < s->npeek) {
        size_t k = SP_MIN(cap, s->npeek - s->peekpos);
        memcpy(dst, s->peek + s->peekpos, k);
        s->peekpos += k;
        return (long)k;
    }
    if (s->has_perr) {
        *err = s->perr;
        return -1;
    }
    return src_read(s, dst, cap, err);
}

long ing_src_peek(ing_src *s, const char **p, size_t want, sp_err *err) {
    if (!s->peek) s->peek = sp_malloc(want ? want : 1);
    while (s->npeek < want && !s->has_perr) {
        sp_err e = {0};
        long k = src_read(s, s->peek + s->npeek, want - s->npeek, &e);
        if (k < 0) {
            /* damage ahead: the bytes before it are still good; the error comes after them */
            s->perr = e;
            s->has_perr = true;
            if (s->npeek == 0) {
                *err = e;
                return -1;
            }
            break;
        }
        if (k == 0) break;
        s->npeek += (size_t)k;
    }
    *p = s->peek;
    return (long)s->npeek;
}

bool ing_src_regular(const ing_src *s) { return s->regular; }

bool ing_src_gzip(const ing_src *s) { return s->gz; }
const char *ing_src_kind(const ing_src *s) {
    return s->zip ? "+zip" : s->tar ? (s->gz ? "+tar.gz" : "+tar") : s->gz ? "+gzip" : "";
}

static long src_read(ing_src *s, char *dst, size_t cap, sp_err *err) {
    if (s->zip) return zip_read(s, dst, cap, err);
    if (s->tar) return tar_read(s, dst, cap, err);
    return inner_read(s, dst, cap, err);
}

void ing_src_free(ing_src *s) {
    if (!s) return;
    if (s->gz) inflateEnd(&s->z);
    if (s->zz_init) inflateEnd(&s->zz);
    if (s->own_fd && s->fd >= 0) close(s->fd);
    free(s->in);
    free(s->peek);
    free(s->name);
    free(s);
}
