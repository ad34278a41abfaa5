/* Strings: slices (sp_str) and the capped growable buffer (sp_buf) used to build
 * every piece of output, plus case-insensitive comparison and search. */
#include "secpilot/base.h"

#include <stdio.h>
#include <stdlib.h>

static inline unsigned char lower(unsigned char c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

bool sp_str_eq(sp_str a, sp_str b) { return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0); }

bool sp_str_ieq(sp_str a, sp_str b) {
    if (a.n != b.n) return false;
    for (size_t i = 0; i < a.n; i++)
        if (lower((unsigned char)a.p[i]) != lower((unsigned char)b.p[i])) return false;
    return true;
}

bool sp_str_eqc(sp_str a, const char *c) { return sp_str_eq(a, sp_str_c(c)); }
bool sp_str_ieqc(sp_str a, const char *c) { return sp_str_ieq(a, sp_str_c(c)); }

int sp_str_cmp(sp_str a, sp_str b) {
    size_t n = a.n < b.n ? a.n : b.n;
    int r = n ? memcmp(a.p, b.p, n) : 0;
    if (r) return r;
    return a.n < b.n ? -1 : a.n > b.n;
}

long sp_str_find(sp_str hay, sp_str needle) {
    if (needle.n == 0) return 0;
    if (needle.n > hay.n) return -1;
    const char *r = memmem(hay.p, hay.n, needle.p, needle.n);
    return r ? (long)(r - hay.p) : -1;
}

long sp_str_ifind(sp_str hay, sp_str needle) {
    if (needle.n == 0) return 0;
    if (needle.n > hay.n) return -1;
    unsigned char f0 = lower((unsigned char)needle.p[0]);
    unsigned char f1 = (f0 >= 'a' && f0 <= 'z') ? (unsigned char)(f0 - 32) : f0;
    const char *end = hay.p + hay.n - needle.n;
    const char *p = hay.p;
    while (p <= end) {
        /* Jump to the next occurrence of either case of the first byte. */
        const char *a = memchr(p, f0, (size_t)(end - p) + 1);
        const char *b = f1 != f0 ? memchr(p, f1, (size_t)(a ? a - p : end - p + 1)) : NULL;
        const char *q = b ? b : a;
        if (!q) return -1;
        size_t i = 1;
        while (i < needle.n && lower((unsigned char)q[i]) == lower((unsigned char)needle.p[i])) i++;
        if (i == needle.n) return (long)(q - hay.p);
        p = q + 1;
    }
    return -1;
}

char *sp_str_dup(sp_str s) { return sp_strndup(s.p ? s.p : "", s.n); }

void sp_buf_init(sp_buf *b, size_t limit) {
    memset(b, 0, sizeof *b);
    b->limit = limit;
}

void sp_buf_free(sp_buf *b) {
    free(b->p);
    size_t limit = b->limit;
    sp_buf_init(b, limit);
}

void sp_buf_reset(sp_buf *b) {
    b->n = 0;
    b->truncated = false;
    if (b->p) b->p[0] = 0;
}

static bool buf_reserve(sp_buf *b, size_t extra) {
    size_t need = b->n + extra + 1;
    if (need <= b->cap) return true;
    size_t nc = b->cap ? b->cap : 64;
    while (nc < need) nc *= 2;
    b->p = sp_realloc(b->p, nc);
    b->cap = nc;
    return true;
}

void sp_buf_put(sp_buf *b, const void *p, size_t n) {
    if (b->limit && b->n + n > b->limit) {
        n = b->limit > b->n ? b->limit - b->n : 0;
        b->truncated = true;
    }
    buf_reserve(b, n);
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = 0;
}

void sp_buf_puts(sp_buf *b, const char *s) { sp_buf_put(b, s, strlen(s)); }

void sp_buf_putc(sp_buf *b, char c) {
    if (b->n + 1 < b->cap && (!b->limit || b->n + 1 <= b->limit)) {
        b->p[b->n++] = c;
        b->p[b->n] = 0;
        return;
    }
    sp_buf_put(b, &c, 1);
}

void sp_buf_vprintf(sp_buf *b, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n < sizeof small) {
        sp_buf_put(b, small, (size_t)n);
    } else {
        char *big = sp_malloc((size_t)n + 1);
        vsnprintf(big, (size_t)n + 1, fmt, ap2);
        sp_buf_put(b, big, (size_t)n);
        free(big);
    }
    va_end(ap2);
}

void sp_buf_printf(sp_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    sp_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void sp_buf_put_json_str(sp_buf *b, const char *p, size_t n) {
    static const char hex[] = "0123456789abcdef";
    sp_buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        const char *esc = NULL;
        char u[7];
        if (c == '"') esc = "\\\"";
        else if (c == '\\') esc = "\\\\";
        else if (c == '\n') esc = "\\n";
        else if (c == '\r') esc = "\\r";
        else if (c == '\t') esc = "\\t";
        else if (c < 0x20 || c == 0x7f) {
            u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
            u[4] = hex[c >> 4]; u[5] = hex[c & 15]; u[6] = 0;
            esc = u;
        } else if (c >= 0x80) {
            /* Pass valid UTF-8 through; replace invalid bytes with U+FFFD. */
            uint32_t cp;
            int k = sp_utf8_decode(p + i, n - i, &cp);
            if (k == 1) { /* invalid byte: decode consumed just it */
                if (run) sp_buf_put(b, p + i - run, run);
                run = 0;
                sp_buf_puts(b, "\\ufffd");
                i += (size_t)k - 1;
                continue;
            }
            run += (size_t)k;
            i += (size_t)k - 1;
            continue;
        }
        if (esc) {
            if (run) sp_buf_put(b, p + i - run, run);
            run = 0;
            sp_buf_puts(b, esc);
        } else {
            run++;
        }
    }
    if (run) sp_buf_put(b, p + n - run, run);
    sp_buf_putc(b, '"');
}

char *sp_buf_steal(sp_buf *b) {
    char *p = b->p ? b->p : sp_strdup("");
    b->p = NULL;
    b->n = b->cap = 0;
    b->truncated = false;
    return p;
}
