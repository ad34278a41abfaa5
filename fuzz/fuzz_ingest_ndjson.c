/* libFuzzer target: the ndjson ingestion reader on arbitrary bytes, into a schema
 * of every column type, with inference (odd first byte), or routing rows to tables
 * (first byte % 4 == 2: Type, Windows event channels, Defender, column fit). */
#include "secpilot/store.h"
#include "store/store_int.h"

static const kql_column_def COLS[] = {
    {"TimeGenerated", KQL_DATETIME}, {"S", KQL_STRING}, {"I", KQL_INT},     {"L", KQL_LONG},
    {"R", KQL_REAL},                 {"B", KQL_BOOL},   {"D", KQL_DYNAMIC}, {"G", KQL_GUID},
    {"T", KQL_TIMESPAN},             {"X", KQL_DECIMAL},
};

static int on_row(void *ctx, const kql_value *row, size_t n, uint64_t line) {
    (void)line;
    size_t *k = ctx;
    /* touch every value so the sanitizers see bad pointers */
    for (size_t i = 0; i < n; i++) {
        if (row[i].type == KQL_STRING) *k += row[i].u.s.n ? (unsigned char)row[i].u.s.p[row[i].u.s.n - 1] : 0;
        else if (row[i].type == KQL_DYNAMIC && !row[i].null) {
            sp_buf b;
            sp_buf_init(&b, 1 << 20);
            kql_dyn_to_json(row[i].u.d, &b);
            *k += b.n;
            sp_buf_free(&b);
        }
    }
    return 0;
}

static const kql_column_def SEC[] = {{"TimeGenerated", KQL_DATETIME}, {"Computer", KQL_STRING}, {"EventID", KQL_INT},
                                     {"Task", KQL_INT}, {"Account", KQL_STRING}, {"EventData", KQL_STRING},
                                     {"LogonType", KQL_INT}};
static const kql_column_def WIN[] = {{"TimeGenerated", KQL_DATETIME}, {"Computer", KQL_STRING}, {"EventID", KQL_INT},
                                     {"EventLevel", KQL_INT}, {"EventData", KQL_DYNAMIC}, {"Provider", KQL_STRING}};
static const kql_table TABLES[] = {
    {"SecurityEvent", sizeof SEC / sizeof SEC[0], SEC, 0, NULL, NULL},
    {"WindowsEvent", sizeof WIN / sizeof WIN[0], WIN, 0, NULL, NULL},
    {"DeviceEvents", sizeof COLS / sizeof COLS[0], COLS, 0, NULL, NULL},
};

static const kql_table *schema(void *ctx, const char *name) {
    (void)ctx;
    for (size_t i = 0; i < 3; i++)
        if (strcmp(TABLES[i].name, name) == 0) return &TABLES[i];
    return NULL;
}
static size_t list(void *ctx, const kql_table **out, size_t max) {
    (void)ctx;
    for (size_t i = 0; i < 3 && i < max; i++) out[i] = &TABLES[i];
    return 3;
}
static int routed(void *ctx, const char *table, const kql_value *row, size_t n, uint64_t line) {
    (void)table;
    return on_row(ctx, row, n, line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size && data[0] % 4 == 2) {
        store_ingest_report rep = {0};
        sp_err err = {0};
        size_t k = 0;
        ing_params p = {.fmt = STORE_FMT_NDJSON, .lim = {4096, 64, 16}, .ctx = &k, .rep = &rep,
                        .fill_now = 1, .route_schema = schema, .route_cb = routed, .route_list = list};
        ing_run(&p, NULL, (const char *)data, size, &err);
        store_report_free(&rep);
        return 0;
    }
    store_limits lim = {.max_record_bytes = 4096, .max_fields = 64, .max_depth = 16};
    store_ingest_report rep = {0};
    sp_err err = {0};
    size_t k = 0;
    bool infer = size && (data[0] & 1);
    store_read_buf((const char *)data, size, "ndjson", infer ? NULL : COLS, infer ? 0 : sizeof COLS / sizeof COLS[0],
                   on_row, &k, &rep, &lim, &err);
    store_report_free(&rep);
    return 0;
}
