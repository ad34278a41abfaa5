/* Unit tests of base64, compression and digests (fn_encoding.c). Expected
 * digests and base64 texts come from sha256sum, md5sum, sha1sum, base64 and
 * gzip on the command line. */
#include "fn_harness.h"

#include <zlib.h>

static void test_base64(void) {
    CHECK_EQ_STR(H("base64_encode_tostring", V_S("Kusto1")), "S3VzdG8x");
    CHECK_EQ_STR(H("base64_decode_tostring", V_S("S3VzdG8x")), "Kusto1");
    CHECK_EQ_STR(H("base64_encode_tostring", V_S("https://bing.com")), "aHR0cHM6Ly9iaW5nLmNvbQ==");
    CHECK_EQ_STR(H("base64_decode_tostring", V_S("aHR0cHM6Ly9iaW5nLmNvbQ==")), "https://bing.com");
    CHECK_EQ_STR(H("base64_encodestring", V_S("caf\xc3\xa9")), "Y2Fmw6k=");
    CHECK_EQ_STR(H("base64_decodestring", V_S("Y2Fmw6k=")), "caf\xc3\xa9");
    CHECK_EQ_STR(H("base64_encode_tostring", V_S("")), "");
    CHECK_EQ_STR(H("base64_decode_tostring", V_S("")), "");
    CHECK_EQ_STR(H("base64_decode_tostring", V_S("YWI")), "ab"); /* padding optional */
    CHECK_EQ_STR(H("base64_decode_tostring", V_S("YW I=")), "ab"); /* whitespace ignored */
    /* invalid base64, or bytes that are not UTF-8, give "" */
    CHECK_EQ_STR(H("base64_decode_tostring", V_S("not base64!")), "");
    CHECK_EQ_STR(H("base64_decode_tostring", V_S("Y")), "");
    CHECK_EQ_STR(H("base64_decode_tostring", V_S("YW=I")), "");
    CHECK_EQ_STR(H("base64_decode_tostring", V_S("//4=")), "");
    CHECK_EQ_STR(H("base64_decode_toarray", V_S("S3VzdG8x")), "[75,117,115,116,111,49]");
    CHECK_EQ_STR(H("base64_decode_toarray", V_S("SQBFAFgA")), "[73,0,69,0,88,0]");
    CHECK_EQ_STR(H("base64_decode_toarray", V_S("//4=")), "[255,254]");
    CHECK_EQ_STR(H("base64_decode_toarray", V_S("*")), "null");
    CHECK_EQ_STR(H("base64_encode_fromarray", V_D("[75,117,115,116,111,49]")), "S3VzdG8x");
    CHECK_EQ_STR(H("base64_encode_fromarray", V_D("[256]")), "");
    CHECK_EQ_STR(H("base64_encode_fromarray", V_D("[]")), "");
    /* guids: 16 bytes in .NET order (first three fields little-endian) */
    CHECK_EQ_STR(H("base64_encode_fromguid", V_G("00112233-4455-6677-8899-aabbccddeeff")), "MyIRAFVEd2aImaq7zN3u/w==");
    CHECK_EQ_STR(H("base64_decode_toguid", V_S("MyIRAFVEd2aImaq7zN3u/w==")), "00112233-4455-6677-8899-aabbccddeeff");
    CHECK_EQ_STR(H("base64_decode_toguid", V_S("YWI=")), "null");
}

static void test_digests(void) {
    CHECK_EQ_STR(H("hash_sha256", V_S("World")), "78ae647dc5544d227130a0682a51e30bc7777fbb6d8a8f17007463a3ecd1d524");
    CHECK_EQ_STR(H("hash_sha256", V_S("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_EQ_STR(H("hash_sha256", V_S("caf\xc3\xa9")), "850f7dc43910ff890f8879c0ed26fe697c93a067ad93a7d50f466a7028a9bf4e");
    CHECK_EQ_STR(H("hash_md5", V_S("World")), "f5a7924e621e84c9280a9a27e1bcb7f6");
    CHECK_EQ_STR(H("hash_md5", V_S("kusto")), "344735b75f50f600dce1cac2d2d84005");
    CHECK_EQ_STR(H("hash_md5", V_L(123)), "202cb962ac59075b964b07152d234b70");
    CHECK_EQ_STR(H("hash_sha1", V_S("World")), "70c07ec18ef89c5309bbb0937f3a6342411e1fdd");
}

static void test_compression(void) {
    CHECK_EQ_STR(H("gzip_decompress_from_base64_string", V_S("H4sIAAAAAAAAA8tIzcnJV8hAJwHjUT2NFwAAAA==")),
                 "hello hello hello hello");
    CHECK_EQ_STR(H("zlib_decompress_from_base64_string", V_S("eJzLSM3JyVfIQCcBaAMIsQ==")), "hello hello hello hello");
    CHECK_EQ_STR(H("zlib_compress_to_base64_string", V_S("hello hello hello hello")), "eJzLSM3JyVfIQCcBaAMIsQ==");
    char enc[256];
    snprintf(enc, sizeof enc, "%s", H("gzip_compress_to_base64_string", V_S("round trip \xc3\xa9")));
    CHECK_EQ_STR(H("gzip_decompress_from_base64_string", V_S(enc)), "round trip \xc3\xa9");
    CHECK_EQ_STR(H("zlib_decompress_from_base64_string", V_S("aGVsbG8=")), "");
    CHECK_EQ_STR(H("gzip_decompress_from_base64_string", V_S("H4sIAAAAAAAAA8tIzcnJV8hA")), "");
    CHECK_EQ_STR(H("gzip_decompress_from_base64_string", V_S("***")), "");
}

static void test_decompression_bomb(void) {
    /* 64 MB of zeros compresses to a few KB; decompressing it hits the limit */
    size_t big = (size_t)64 << 20;
    char *zeros = calloc(1, big);
    uLong cap = compressBound((uLong)big);
    unsigned char *z = malloc(cap);
    uLongf zn = cap;
    CHECK(compress2(z, &zn, (unsigned char *)zeros, (uLong)big, 9) == Z_OK);
    free(zeros);
    char *b64 = malloc(zn * 2 + 8);
    static const char T[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t k = 0, i = 0;
    for (; i + 3 <= zn; i += 3) {
        uint32_t v = ((uint32_t)z[i] << 16) | ((uint32_t)z[i + 1] << 8) | z[i + 2];
        b64[k++] = T[v >> 18], b64[k++] = T[(v >> 12) & 63], b64[k++] = T[(v >> 6) & 63], b64[k++] = T[v & 63];
    }
    if (zn - i == 1) {
        uint32_t v = (uint32_t)z[i] << 16;
        b64[k++] = T[v >> 18], b64[k++] = T[(v >> 12) & 63], b64[k++] = '=', b64[k++] = '=';
    } else if (zn - i == 2) {
        uint32_t v = ((uint32_t)z[i] << 16) | ((uint32_t)z[i + 1] << 8);
        b64[k++] = T[v >> 18], b64[k++] = T[(v >> 12) & 63], b64[k++] = T[(v >> 6) & 63], b64[k++] = '=';
    }
    b64[k] = 0;
    CHECK_EQ_STR(H("zlib_decompress_from_base64_string", V_S(b64)), "FAIL:limit_string");
    free(b64);
    free(z);
}

static void run(void) {
    h_begin();
    test_base64();
    test_digests();
    test_compression();
    test_decompression_bomb();
    h_end();
}

TEST_MAIN(run)
