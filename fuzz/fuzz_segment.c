/* libFuzzer target: the segment column decoder and the binary dynamic decoder
 * on arbitrary block contents (compressed and checksummed here, so the fuzzer
 * reaches the structural checks behind the crc, as a damaged-but-crc-valid file would). */
#include "secpilot/store.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <zstd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 4) return 0;
    kql_type t = (kql_type)(1 + data[0] % (KQL_NTYPES - 1));
    uint8_t flags = data[1] & (SEGC_NULLS | SEGC_MINMAX);
    size_t nrows = (size_t)(data[2] | data[3] << 8) % 2048;
    const uint8_t *body = data + 4;
    size_t n = size - 4;
    /* the raw bytes as one binary dynamic value */
    sp_arena a;
    sp_arena_init(&a, NULL);
    kql_dyn d;
    if (dynb_decode(body, n, &a, &d)) {
        sp_buf b;
        sp_buf_init(&b, 1 << 20);
        kql_dyn_to_json(&d, &b);
        sp_buf_free(&b);
    }
    /* the bytes as a column block */
    size_t bound = ZSTD_compressBound(n);
    uint8_t *z = malloc(bound ? bound : 1);
    size_t cs = ZSTD_compress(z, bound, body, n, 1);
    if (!ZSTD_isError(cs)) {
        seg_colmeta cm = {.name = "c", .type = t, .flags = flags, .off = 16, .csize = cs, .usize = n,
                          .crc = st_crc32(z, cs)};
        seg_meta m = {.table = "T", .nrows = nrows, .time_col = -1, .ncols = 1, .cols = &cm};
        kql_col col;
        sp_err err = {0};
        if (seg_decode_col(&m, 0, z, &a, &col, "fuzz", &err) == 0) {
            for (size_t i = 0; i < col.n; i++) {
                kql_value v;
                kql_col_get(&col, i, &v);
                if (t == KQL_DYNAMIC && !v.null) {
                    sp_buf b;
                    sp_buf_init(&b, 1 << 20);
                    kql_dyn_to_json(v.u.d, &b);
                    sp_buf_free(&b);
                } else if (t == KQL_STRING && v.u.s.n) {
                    volatile char c = v.u.s.p[v.u.s.n - 1];
                    (void)c;
                }
            }
        }
    }
    free(z);
    sp_arena_free(&a);
    return 0;
}
