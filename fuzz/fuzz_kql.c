/* libFuzzer target over the KQL front end and engine: lex, parse, bind against
 * the built-in schemas, and run what compiles under tight limits. */
#include "secpilot/kql.h"

#include <stdlib.h>

static kql_schema_set *g_schemas;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc, (void)argv;
    sp_err err;
    sp_err_clear(&err);
    g_schemas = kql_schemas_default(&err);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 1 << 16) return 0;
    kql_memdb *db = kql_memdb_new();
    kql_catalog cat = kql_memdb_catalog(db, g_schemas);
    kql_options opt = {.now = 1705320000LL * 10000000LL, .timeout_ms = 200, .max_memory = 64 << 20,
                       .max_rows = 10000, .truncate_ok = true, .pool = NULL};
    sp_err err;
    sp_err_clear(&err);
    kql_query *q = kql_compile(&cat, (const char *)data, size, &opt, &err);
    if (q) {
        sp_buf b;
        sp_buf_init(&b, 1 << 20);
        kql_explain(q, &b);
        sp_buf_free(&b);
        kql_result *r = kql_execute(q, &err);
        if (r) {
            sp_buf_init(&b, 1 << 20);
            kql_result_write(r, KQL_FMT_JSON, &b);
            sp_buf_free(&b);
        }
        kql_result_free(r);
        kql_query_free(q);
    }
    kql_memdb_free(db);
    return 0;
}
