/* Encodings and digests: base64 (strings, byte arrays, guids), zlib/gzip
 * compression to base64, and hashes through OpenSSL (SHA-256, SHA-1, MD5). */
#include "fn_util.h"

#include <openssl/evp.h>
#include <zlib.h>

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void b64_encode(fn_sb *b, const unsigned char *p, size_t n) {
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        uint32_t v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8) | p[i + 2];
        char o[4] = {B64[v >> 18], B64[(v >> 12) & 63], B64[(v >> 6) & 63], B64[v & 63]};
        sb_put(b, o, 4);
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)p[i] << 16;
        char o[4] = {B64[v >> 18], B64[(v >> 12) & 63], '=', '='};
        sb_put(b, o, 4);
    } else if (n - i == 2) {
        uint32_t v = ((uint32_t)p[i] << 16) | ((uint32_t)p[i + 1] << 8);
        char o[4] = {B64[v >> 18], B64[(v >> 12) & 63], B64[(v >> 6) & 63], '='};
        sb_put(b, o, 4);
    }
}

static int b64v(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

/* Decodes standard base64 (whitespace ignored, padding optional). False on
 * any other character, misplaced padding or a dangling 6-bit group. */
static bool b64_decode(sp_arena *a, sp_str s, unsigned char **out, size_t *outn) {
    unsigned char *o = sp_arena_alloc(a, s.n / 4 * 3 + 3);
    size_t k = 0, pad = 0;
    uint32_t acc = 0;
    int bits = 0, digits = 0;
    for (size_t i = 0; i < s.n; i++) {
        char c = s.p[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        if (c == '=') {
            pad++;
            continue;
        }
        int v = b64v(c);
        if (v < 0 || pad) return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        digits++;
        if (bits >= 8) {
            bits -= 8;
            o[k++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (digits % 4 == 1 || pad > 2 || (pad && (digits + pad) % 4 != 0)) return false;
    *out = o;
    *outn = k;
    return true;
}

/* base64_encode_tostring(text) : string, of its UTF-8 bytes */
static void fn_b64_encode_tostring(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    sp_str s = fa_str(c, &a[0]);
    fn_sb b;
    sb_init(&b, c->arena, s.n / 3 * 4 + 8);
    b64_encode(&b, (const unsigned char *)s.p, s.n);
    sb_done(c, &b, out);
}

/* base64_decode_tostring(b64) : string; "" when the input is not base64 or
 * the bytes are not UTF-8 */
static void fn_b64_decode_tostring(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    unsigned char *p;
    size_t len;
    if (!b64_decode(c->arena, fa_str(c, &a[0]), &p, &len) || !sp_utf8_valid((const char *)p, len)) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    kql_set_str(out, (sp_str){(const char *)p, len});
}

/* base64_decode_toarray(b64) : dynamic array of byte values; null when the
 * input is not base64 */
static void fn_b64_decode_toarray(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    unsigned char *p;
    size_t len;
    if (!b64_decode(c->arena, fa_str(c, &a[0]), &p, &len)) {
        kql_set_null(out);
        return;
    }
    fn_arr r;
    arr_init(&r, c->arena, len + 1);
    for (size_t i = 0; i < len; i++) arr_push(&r, dyn_long(p[i]));
    fn_set_dyn(out, arr_done(&r));
}

/* base64_encode_fromarray(bytes) : string; "" when an item is not 0..255 */
static void fn_b64_encode_fromarray(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    const kql_dyn *items;
    size_t cnt;
    if (!fa_array(c, &a[0], &items, &cnt)) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    unsigned char *p = (unsigned char *)kql_falloc(c, cnt);
    for (size_t i = 0; i < cnt; i++) {
        if (items[i].kind != KQL_DYN_LONG || items[i].u.i < 0 || items[i].u.i > 255) {
            kql_set_str(out, (sp_str){"", 0});
            return;
        }
        p[i] = (unsigned char)items[i].u.i;
    }
    fn_sb b;
    sb_init(&b, c->arena, cnt / 3 * 4 + 8);
    b64_encode(&b, p, cnt);
    sb_done(c, &b, out);
}

/* Guids as .NET stores them in 16 bytes: the first three fields little-endian. */
static const int NET_ORDER[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};

/* base64_decode_toguid(b64) : guid from 16 bytes in .NET order */
static void fn_b64_decode_toguid(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    unsigned char *p;
    size_t len;
    if (!b64_decode(c->arena, fa_str(c, &a[0]), &p, &len) || len != 16) {
        kql_set_null(out);
        return;
    }
    kql_guid g;
    for (int i = 0; i < 16; i++) g.b[NET_ORDER[i]] = p[i];
    out->null = false;
    out->u.g = g;
}

/* base64_encode_fromguid(guid) : string of the guid's 16 bytes in .NET order */
static void fn_b64_encode_fromguid(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    kql_value g;
    if (!kql_convert(c->arena, &a[0], KQL_GUID, &g) || g.null) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    unsigned char p[16];
    for (int i = 0; i < 16; i++) p[i] = g.u.g.b[NET_ORDER[i]];
    fn_sb b;
    sb_init(&b, c->arena, 32);
    b64_encode(&b, p, 16);
    sb_done(c, &b, out);
}

/* ---------------------------------------------------------------- digests */
static void digest(kql_fctx *c, const kql_value *a, const EVP_MD *md, kql_value *out) {
    sp_str s = fa_str(c, &a[0]);
    unsigned char h[EVP_MAX_MD_SIZE];
    unsigned int hn = 0;
    if (!EVP_Digest(s.p, s.n, h, &hn, md, NULL)) {
        kql_fail(c->q, SP_ERR_RUNTIME, "crypto", "message digest failed");
        return;
    }
    static const char hex[] = "0123456789abcdef";
    char *p = kql_falloc(c, hn * 2);
    for (unsigned i = 0; i < hn; i++) p[2 * i] = hex[h[i] >> 4], p[2 * i + 1] = hex[h[i] & 15];
    kql_set_str(out, (sp_str){p, hn * 2});
}

/* hash_sha256 / hash_sha1 / hash_md5 (value) : lowercase hex digest of the
 * value's text (UTF-8) */
static void fn_sha256(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    digest(c, a, EVP_sha256(), out);
}
static void fn_sha1(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    digest(c, a, EVP_sha1(), out);
}
static void fn_md5(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    digest(c, a, EVP_md5(), out);
}
FN_VEC_DICT(fn_sha256_vec, fn_sha256, false)
FN_VEC_DICT(fn_md5_vec, fn_md5, false)

/* ------------------------------------------------------------ compression
 * zlib_compress_to_base64_string / gzip_compress_to_base64_string (text) and
 * the matching *_decompress_from_base64_string (b64) : string. Decompressed
 * text above the string limit fails the query; malformed input or text that
 * is not UTF-8 gives "". */
static void compress_b64(kql_fctx *c, const kql_value *a, kql_value *out, bool gzip) {
    sp_str s = fa_str(c, &a[0]);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, gzip ? 31 : 15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    uLong cap = deflateBound(&z, (uLong)s.n);
    unsigned char *buf = (unsigned char *)kql_falloc(c, cap);
    z.next_in = (Bytef *)s.p;
    z.avail_in = (uInt)s.n;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    size_t len = z.total_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END) {
        kql_set_str(out, (sp_str){"", 0});
        return;
    }
    fn_sb b;
    sb_init(&b, c->arena, len / 3 * 4 + 8);
    b64_encode(&b, buf, len);
    sb_done(c, &b, out);
}

static void decompress_b64(kql_fctx *c, const kql_value *a, kql_value *out, bool gzip) {
    unsigned char *p;
    size_t len;
    kql_set_str(out, (sp_str){"", 0});
    if (!b64_decode(c->arena, fa_str(c, &a[0]), &p, &len)) return;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, gzip ? 31 : 15) != Z_OK) return;
    size_t cap = len * 4 + 64, total = 0;
    if (cap > KQL_STR_MAX + 1) cap = KQL_STR_MAX + 1;
    unsigned char *o = sp_arena_alloc(c->arena, cap);
    z.next_in = p;
    z.avail_in = (uInt)len;
    int rc;
    for (;;) {
        z.next_out = o + total;
        z.avail_out = (uInt)(cap - total);
        rc = inflate(&z, Z_NO_FLUSH);
        total = z.total_out;
        if (rc == Z_STREAM_END) break;
        if (rc != Z_OK && rc != Z_BUF_ERROR) break;
        if (z.avail_out == 0) {
            if (cap > KQL_STR_MAX) break;
            size_t nc = cap * 2 > KQL_STR_MAX + 1 ? KQL_STR_MAX + 1 : cap * 2;
            o = sp_arena_realloc(c->arena, o, cap, nc);
            cap = nc;
        } else if (rc == Z_BUF_ERROR) {
            break; /* truncated input */
        }
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        if (total > KQL_STR_MAX) fn_len_ok(c, total);
        return;
    }
    if (!fn_len_ok(c, total) || !sp_utf8_valid((const char *)o, total)) return;
    kql_set_str(out, (sp_str){(const char *)o, total});
}

static void fn_zlib_compress(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    compress_b64(c, a, out, false);
}
static void fn_gzip_compress(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    compress_b64(c, a, out, true);
}
static void fn_zlib_decompress(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    decompress_b64(c, a, out, false);
}
static void fn_gzip_decompress(kql_fctx *c, const kql_value *a, size_t n, kql_value *out) {
    (void)n;
    decompress_b64(c, a, out, true);
}

static const kql_fn FNS[] = {
    {"base64_encode_tostring", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_b64_encode_tostring, NULL, 0, NULL},
    {"base64_encodestring", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_b64_encode_tostring, NULL, 0, NULL},
    {"base64_decode_tostring", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_b64_decode_tostring, NULL, 0, NULL},
    {"base64_decodestring", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_b64_decode_tostring, NULL, 0, NULL},
    {"base64_decode_toarray", KQL_FN_SCALAR, "s", "dynamic", NULL, NULL, fn_b64_decode_toarray, NULL, 0, NULL},
    {"base64_encode_fromarray", KQL_FN_SCALAR, "y", "string", NULL, NULL, fn_b64_encode_fromarray, NULL, 0, NULL},
    {"base64_decode_toguid", KQL_FN_SCALAR, "s", "guid", NULL, NULL, fn_b64_decode_toguid, NULL, 0, NULL},
    {"base64_encode_fromguid", KQL_FN_SCALAR, "g", "string", NULL, NULL, fn_b64_encode_fromguid, NULL, 0, NULL},
    {"hash_sha256", KQL_FN_SCALAR, "a", "string", NULL, fn_sha256_vec, fn_sha256, NULL, 0, NULL},
    {"hash_sha1", KQL_FN_SCALAR, "a", "string", NULL, NULL, fn_sha1, NULL, 0, NULL},
    {"hash_md5", KQL_FN_SCALAR, "a", "string", NULL, fn_md5_vec, fn_md5, NULL, 0, NULL},
    {"zlib_compress_to_base64_string", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_zlib_compress, NULL, 0, NULL},
    {"zlib_decompress_from_base64_string", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_zlib_decompress, NULL, 0,
     NULL},
    {"gzip_compress_to_base64_string", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_gzip_compress, NULL, 0, NULL},
    {"gzip_decompress_from_base64_string", KQL_FN_SCALAR, "s", "string", NULL, NULL, fn_gzip_decompress, NULL, 0,
     NULL},
};

KQL_FN_TABLE(kql_fns_encoding, FNS);
