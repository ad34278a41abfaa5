/* Ingestion readers: every format (NDJSON, JSON array and stream, CSV, gzip of
 * each), coercion of values, unknown fields, inference, and malformed input
 * with rejection counts worked out by hand. */
#include "secpilot/store.h"
#include "../test.h"

#include <stdlib.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

static const kql_column_def SCHEMA[] = {
    {"TimeGenerated", KQL_DATETIME}, {"Computer", KQL_STRING}, {"EventID", KQL_INT},
    {"Bytes", KQL_LONG},             {"Score", KQL_REAL},      {"Ok", KQL_BOOL},
    {"Props", KQL_DYNAMIC},          {"Id", KQL_GUID},         {"Took", KQL_TIMESPAN},
};
#define NS (sizeof SCHEMA / sizeof SCHEMA[0])

typedef struct {
    int rows;
    char comp[16][64];
    int64_t t[16];
    int ev[16];
    bool evnull[16];
    int64_t bytes[16];
    double score[16];
    int ok[16];          /* -1 null */
    char props[16][128];
    uint64_t line[16];
} got;

static int collect(void *ctx, const kql_value *row, size_t n, uint64_t line) {
    got *g = ctx;
    CHECK_EQ_INT(n, NS);
    int i = g->rows++;
    if (i >= 16) return 0;
    snprintf(g->comp[i], 64, "%.*s", (int)row[1].u.s.n, row[1].u.s.p);
    g->t[i] = row[0].null ? -1 : row[0].u.i;
    g->ev[i] = (int)row[2].u.i;
    g->evnull[i] = row[2].null;
    g->bytes[i] = row[3].null ? -1 : row[3].u.i;
    g->score[i] = row[4].null ? -1 : row[4].u.r;
    g->ok[i] = row[5].null ? -1 : row[5].u.b;
    sp_buf b;
    sp_buf_init(&b, 0);
    if (row[6].null) sp_buf_puts(&b, "null");
    else kql_dyn_to_json(row[6].u.d, &b);
    snprintf(g->props[i], 128, "%s", b.p);
    sp_buf_free(&b);
    g->line[i] = line;
    return 0;
}

static int read_text(const char *text, const char *fmt, got *g, store_ingest_report *rep) {
    memset(g, 0, sizeof *g);
    memset(rep, 0, sizeof *rep);
    sp_err err = {0};
    int rc = store_read_buf(text, strlen(text), fmt, SCHEMA, NS, collect, g, rep, NULL, &err);
    if (rc != 0) fprintf(stderr, "read error: %s\n", err.msg);
    return rc;
}

static void test_ndjson(void) {
    const char *t =
        "{\"TimeGenerated\":\"2024-01-02T03:04:05Z\",\"Computer\":\"host\\\\a\",\"EventID\":4624,\"Bytes\":\"12\","
        "\"Score\":1.5,\"Ok\":true,\"Props\":{\"a\":[1,2]},\"Extra\":1}\r\n"
        "\n"
        "{\"TimeGenerated\":\"1/2/2024, 3:04:05.000 AM\",\"Computer\":null,\"EventID\":\"4625\",\"Bytes\":443.0,"
        "\"Ok\":\"false\",\"Props\":\"{\\\"b\\\":2}\",\"Extra\":\"\"}\n"
        "{\"Computer\":\"x\",\"Props\":\"plain text\",\"Id\":\"{00112233-4455-6677-8899-aabbccddeeff}\",\"Took\":\"01:00:00\"}";
    got g;
    store_ingest_report rep;
    CHECK_EQ_INT(read_text(t, "ndjson", &g, &rep), 0);
    CHECK_EQ_INT(rep.rows_read, 3);
    CHECK_EQ_INT(rep.rows_accepted, 3);
    CHECK_EQ_INT(rep.rows_rejected, 0);
    CHECK_EQ_INT(g.rows, 3);
    CHECK_EQ_STR(g.comp[0], "host\\a");
    CHECK_EQ_STR(g.comp[1], "");
    int64_t t0;
    sp_parse_datetime("2024-01-02T03:04:05Z", 20, &t0);
    CHECK_EQ_INT(g.t[0], t0);
    CHECK_EQ_INT(g.t[1], t0);
    CHECK_EQ_INT(g.t[2], -1);
    CHECK_EQ_INT(g.ev[0], 4624);
    CHECK_EQ_INT(g.ev[1], 4625);
    CHECK(g.evnull[2]);
    CHECK_EQ_INT(g.bytes[0], 12);
    CHECK_EQ_INT(g.bytes[1], 443);
    CHECK_NEAR(g.score[0], 1.5, 0);
    CHECK_EQ_INT(g.ok[0], 1);
    CHECK_EQ_INT(g.ok[1], 0);
    CHECK_EQ_INT(g.ok[2], -1);
    CHECK_EQ_STR(g.props[0], "{\"a\":[1,2]}");
    CHECK_EQ_STR(g.props[1], "{\"b\":2}");
    CHECK_EQ_STR(g.props[2], "\"plain text\"");
    CHECK_EQ_INT(g.line[0], 1);
    CHECK_EQ_INT(g.line[1], 3);
    CHECK_EQ_INT(g.line[2], 4);
    /* Extra: 1 and "" -> counted once (the empty value carries nothing) */
    CHECK_EQ_INT(rep.nunknown, 1);
    if (rep.nunknown) {
        CHECK_EQ_STR(rep.unknown[0].name, "Extra");
        CHECK_EQ_INT(rep.unknown[0].count, 1);
    }
    CHECK_EQ_STR(rep.format, "ndjson");
    store_report_free(&rep);
}

static void test_malformed_ndjson(void) {
    /* line 1 ok; 2 bad JSON; 3 not an object; 4 EventID not an int; 5 bad datetime;
     * 6 ok; 7 int out of range; 8 truncated object; 9 blank; 10 ok -> 3 accepted, 6 rejected */
    const char *t = "{\"EventID\":1}\n"
                    "{\"EventID\":}\n"
                    "[1,2]\n"
                    "{\"EventID\":\"abc\"}\n"
                    "{\"TimeGenerated\":\"yesterday\"}\n"
                    "{\"Bytes\":-9223372036854775808}\n"
                    "{\"EventID\":99999999999}\n"
                    "{\"EventID\":1\n"
                    "   \n"
                    "{}\n";
    got g;
    store_ingest_report rep;
    CHECK_EQ_INT(read_text(t, NULL, &g, &rep), 0);
    CHECK_EQ_INT(rep.rows_read, 9);
    CHECK_EQ_INT(rep.rows_accepted, 3);
    CHECK_EQ_INT(rep.rows_rejected, 6);
    CHECK_EQ_INT(rep.nrejects, 6);
    uint64_t lines[] = {2, 3, 4, 5, 7, 8};
    for (size_t i = 0; i < 6 && i < rep.nrejects; i++) CHECK_EQ_INT(rep.rejects[i].line, lines[i]);
    CHECK(strstr(rep.rejects[2].reason, "EventID") != NULL);
    CHECK(strstr(rep.rejects[2].reason, "'abc' is not an int") != NULL);
    CHECK(strstr(rep.rejects[1].reason, "not a JSON object") != NULL);
    CHECK_EQ_INT(g.bytes[1], INT64_MIN);
    store_report_free(&rep);
}

static void test_json_array_and_stream(void) {
    const char *arr = "\xEF\xBB\xBF[\n {\"Computer\":\"a\",\"EventID\":1},\n {\"Computer\":\"b\",\n  \"EventID\":2},"
                      "\n 7,\n {\"Computer\":\"c\",\"Props\":[{\"x\":\"]\"}]}\n]\n";
    got g;
    store_ingest_report rep;
    CHECK_EQ_INT(read_text(arr, NULL, &g, &rep), 0);
    CHECK_EQ_STR(rep.format, "json");
    CHECK_EQ_INT(rep.rows_accepted, 3);
    CHECK_EQ_INT(rep.rows_rejected, 1);
    CHECK_EQ_INT(rep.rejects[0].line, 5);
    CHECK_EQ_STR(g.comp[1], "b");
    CHECK_EQ_INT(g.line[1], 3);
    CHECK_EQ_INT(g.line[2], 6);
    CHECK_EQ_STR(g.props[2], "[{\"x\":\"]\"}]");
    store_report_free(&rep);
    /* pretty-printed objects one after another */
    const char *stream = "{\n  \"Computer\": \"a\"\n}\n{\n  \"Computer\": \"b\"\n}\n";
    CHECK_EQ_INT(read_text(stream, NULL, &g, &rep), 0);
    CHECK_EQ_STR(rep.format, "json");
    CHECK_EQ_INT(rep.rows_accepted, 2);
    CHECK_EQ_INT(g.line[1], 4);
    store_report_free(&rep);
    /* an unterminated element at the end */
    CHECK_EQ_INT(read_text("[{\"Computer\":\"a\"},{\"Computer\":", "json", &g, &rep), 0);
    CHECK_EQ_INT(rep.rows_accepted, 1);
    CHECK_EQ_INT(rep.rows_rejected, 1);
    store_report_free(&rep);
}

static void test_csv(void) {
    const char *t = "\xEF\xBB\xBFTimeGenerated [UTC],Computer,EventID,Props,,Bytes\r\n"
                    "\"4/28/2021, 3:05:26.000 PM\",\"a, \"\"quoted\"\"\",4624,\"{\r\n  \"\"k\"\": 1\r\n}\",0,5\r\n"
                    "2021-04-28 15:05:26,b\"c,4625,,1,\r\n"
                    "2021-04-28,d,x,,2,\r\n"
                    "2021-04-28,e,1,,3,,,\r\n"
                    "2021-04-28,f,1,,3,,9\r\n";
    got g;
    store_ingest_report rep;
    CHECK_EQ_INT(read_text(t, NULL, &g, &rep), 0);
    CHECK_EQ_STR(rep.format, "csv");
    CHECK_EQ_INT(rep.rows_read, 5);
    CHECK_EQ_INT(rep.rows_accepted, 3);
    CHECK_EQ_INT(rep.rows_rejected, 2);   /* line 6: EventID x; line 8: 7 cells */
    CHECK_EQ_INT(rep.rejects[0].line, 6);
    CHECK_EQ_INT(rep.rejects[1].line, 8);
    CHECK_EQ_STR(g.comp[0], "a, \"quoted\"");
    CHECK_EQ_STR(g.comp[1], "b\"c");
    CHECK_EQ_STR(g.props[0], "{\"k\":1}");
    CHECK_EQ_INT(g.bytes[0], 5);
    CHECK_EQ_INT(g.bytes[1], -1);
    int64_t t0;
    sp_parse_datetime("2021-04-28T15:05:26Z", 20, &t0);
    CHECK_EQ_INT(g.t[0], t0);
    CHECK_EQ_INT(g.t[1], t0);
    CHECK_EQ_INT(g.line[1], 5);
    /* the unnamed (pandas index) column is counted as unknown */
    CHECK_EQ_INT(rep.nunknown, 1);
    if (rep.nunknown) CHECK_EQ_INT(rep.unknown[0].count, 3);
    store_report_free(&rep);
    CHECK_EQ_INT(read_text("Computer\n\"open\n", "csv", &g, &rep), 0);
    CHECK_EQ_INT(rep.rows_rejected, 1);
    store_report_free(&rep);
}

static char *gzip(const char *s, size_t *outn) {
    z_stream z = {0};
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    size_t cap = deflateBound(&z, strlen(s)) + 64;
    char *out = malloc(cap);
    z.next_in = (Bytef *)s;
    z.avail_in = (uInt)strlen(s);
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    deflate(&z, Z_FINISH);
    *outn = z.total_out;
    deflateEnd(&z);
    return out;
}

static void test_gzip(void) {
    const char *texts[] = {"{\"Computer\":\"a\"}\n{\"Computer\":\"b\"}\n", "[{\"Computer\":\"a\"},{\"Computer\":\"b\"}]",
                           "Computer\na\nb\n"};
    const char *fmts[] = {"ndjson+gzip", "json+gzip", "csv+gzip"};
    for (int i = 0; i < 3; i++) {
        size_t n;
        char *z = gzip(texts[i], &n);
        got g = {0};
        store_ingest_report rep = {0};
        sp_err err = {0};
        CHECK_EQ_INT(store_read_buf(z, n, NULL, SCHEMA, NS, collect, &g, &rep, NULL, &err), 0);
        CHECK_EQ_INT(g.rows, 2);
        CHECK_EQ_STR(g.comp[1], "b");
        CHECK_EQ_STR(rep.format, fmts[i]);
        store_report_free(&rep);
        /* two members concatenated (as `cat a.gz b.gz`): NDJSON only, the others are not concatenable */
        if (i != 0) { free(z); continue; }
        char *two = malloc(2 * n);
        memcpy(two, z, n);
        memcpy(two + n, z, n);
        memset(&g, 0, sizeof g);
        CHECK_EQ_INT(store_read_buf(two, 2 * n, NULL, SCHEMA, NS, collect, &g, &rep, NULL, &err), 0);
        CHECK_EQ_INT(g.rows, 4);
        store_report_free(&rep);
        /* truncated: a clear error, no crash */
        sp_err_clear(&err);
        CHECK_EQ_INT(store_read_buf(z, n - 6, NULL, SCHEMA, NS, collect, &g, &rep, NULL, &err), -1);
        CHECK_EQ_STR(err.code, "bad_gzip");
        store_report_free(&rep);
        free(two);
        free(z);
    }
}

static void test_caps(void) {
    store_limits lim = {.max_record_bytes = 64, .max_fields = 3, .max_depth = 3};
    sp_buf b;
    sp_buf_init(&b, 0);
    sp_buf_puts(&b, "{\"Computer\":\"");
    for (int i = 0; i < 200; i++) sp_buf_putc(&b, 'x');
    sp_buf_puts(&b, "\"}\n");                                           /* 1: too long */
    sp_buf_puts(&b, "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}\n");             /* 2: too many fields */
    sp_buf_puts(&b, "{\"Props\":[[[[1]]]]}\n");                         /* 3: too deep */
    sp_buf_puts(&b, "{\"Props\":[[1]]}\n");                             /* 4: ok */
    got g = {0};
    store_ingest_report rep = {0};
    sp_err err = {0};
    CHECK_EQ_INT(store_read_buf(b.p, b.n, "ndjson", SCHEMA, NS, collect, &g, &rep, &lim, &err), 0);
    CHECK_EQ_INT(rep.rows_rejected, 3);
    CHECK_EQ_INT(rep.rows_accepted, 1);
    CHECK(rep.nrejects == 3 && strstr(rep.rejects[0].reason, "longer than") != NULL);
    CHECK(rep.nrejects == 3 && strstr(rep.rejects[1].reason, "more than 3 fields") != NULL);
    CHECK(rep.nrejects == 3 && strstr(rep.rejects[2].reason, "nesting") != NULL);
    CHECK_EQ_INT(rep.rejects[2].line, 3);
    store_report_free(&rep);
    sp_buf_free(&b);
}

static int count_rows(void *ctx, const kql_value *row, size_t n, uint64_t line) {
    (void)row, (void)n, (void)line;
    (*(int *)ctx)++;
    return 0;
}

static void test_infer(void) {
    const char *t = "a,b,c,d,e,f,g\n1,1.5,true,2024-01-02 03:04:05,\"[1]\",x,\n2,3,false,,\"{}\",5,\n";
    store_ingest_report rep = {0};
    sp_err err = {0};
    int n = 0;
    CHECK_EQ_INT(store_read_buf(t, strlen(t), NULL, NULL, 0, count_rows, &n, &rep, NULL, &err), 0);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(rep.ncols, 7);
    kql_type want[] = {KQL_LONG, KQL_REAL, KQL_BOOL, KQL_DATETIME, KQL_DYNAMIC, KQL_STRING, KQL_STRING};
    for (size_t i = 0; i < 7 && i < rep.ncols; i++) CHECK_EQ_INT(rep.cols[i].type, want[i]);
    store_report_free(&rep);
    const char *j = "{\"n\":1,\"o\":{\"x\":1},\"s\":\"2024-01-02T00:00:00Z\"}\n{\"n\":2.5,\"o\":[1],\"s\":\"nope\"}\n";
    n = 0;
    CHECK_EQ_INT(store_read_buf(j, strlen(j), NULL, NULL, 0, count_rows, &n, &rep, NULL, &err), 0);
    CHECK_EQ_INT(rep.ncols, 3);
    CHECK_EQ_INT(rep.cols[0].type, KQL_REAL);
    CHECK_EQ_INT(rep.cols[1].type, KQL_DYNAMIC);
    CHECK_EQ_INT(rep.cols[2].type, KQL_STRING);
    store_report_free(&rep);
}

static void test_type_split_twins(void) {
    const kql_column_def cols[] = {{"ProcessId", KQL_LONG}, {"EventData", KQL_DYNAMIC}};
    const char *t = "{\"ProcessId_string\":\"42\",\"EventData_dynamic\":{\"a\":1}}\n"
                    "{\"ProcessId\":7,\"ProcessId_string\":\"42\"}\n";
    int n = 0;
    store_ingest_report rep = {0};
    sp_err err = {0};
    CHECK_EQ_INT(store_read_buf(t, strlen(t), "ndjson", cols, 2, count_rows, &n, &rep, NULL, &err), 0);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(rep.nunknown, 0);
    store_report_free(&rep);
}

static void test_entities(void) {
    const char *t = "[{\"$id\":\"3\",\"HostName\":\"h\",\"Type\":\"host\"},"
                    "{\"$id\":\"4\",\"Name\":\"a\",\"Host\":{\"$ref\":\"3\"},\"Type\":\"account\"},{\"$ref\":\"4\"}]";
    sp_arena a;
    sp_arena_init(&a, NULL);
    sp_err err = {0};
    const kql_dyn *d = store_entities_resolve_text(&a, t, strlen(t), &err);
    CHECK(d != NULL);
    sp_buf b;
    sp_buf_init(&b, 0);
    kql_dyn_to_json(d, &b);
    CHECK_EQ_STR(b.p, "[{\"$id\":\"3\",\"HostName\":\"h\",\"Type\":\"host\"},"
                      "{\"$id\":\"4\",\"Name\":\"a\",\"Host\":{\"$id\":\"3\",\"HostName\":\"h\",\"Type\":\"host\"},\"Type\":\"account\"},"
                      "{\"$id\":\"4\",\"Name\":\"a\",\"Host\":{\"$id\":\"3\",\"HostName\":\"h\",\"Type\":\"host\"},\"Type\":\"account\"}]");
    sp_buf_free(&b);
    /* a cycle stays a $ref */
    const char *cyc = "[{\"$id\":\"1\",\"Self\":{\"$ref\":\"1\"}}]";
    d = store_entities_resolve_text(&a, cyc, strlen(cyc), &err);
    sp_buf_init(&b, 0);
    kql_dyn_to_json(d, &b);
    CHECK_EQ_STR(b.p, "[{\"$id\":\"1\",\"Self\":{\"$ref\":\"1\"}}]");
    sp_buf_free(&b);
    sp_arena_free(&a);
}

/* ------------------------------------------------------------ archives */

static void put16(sp_buf *b, unsigned v) { char c[2] = {(char)v, (char)(v >> 8)}; sp_buf_put(b, c, 2); }
static void put32(sp_buf *b, unsigned long v) {
    char c[4] = {(char)v, (char)(v >> 8), (char)(v >> 16), (char)(v >> 24)};
    sp_buf_put(b, c, 4);
}

/* a zip with the given members: stored (deflate = false) or deflated */
static void zip_add(sp_buf *b, const char *name, const char *data, bool deflated) {
    size_t n = strlen(data);
    char *comp = malloc(n + 64);
    size_t cn = n;
    if (deflated) {
        z_stream z = {0};
        deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
        z.next_in = (Bytef *)data;
        z.avail_in = (uInt)n;
        z.next_out = (Bytef *)comp;
        z.avail_out = (uInt)(n + 64);
        deflate(&z, Z_FINISH);
        cn = z.total_out;
        deflateEnd(&z);
    } else {
        memcpy(comp, data, n);
    }
    put32(b, 0x04034b50);
    put16(b, 20);
    put16(b, 0);
    put16(b, deflated ? 8 : 0);
    put16(b, 0);
    put16(b, 0);
    put32(b, crc32(0, (const Bytef *)data, (uInt)n));
    put32(b, cn);
    put32(b, n);
    put16(b, (unsigned)strlen(name));
    put16(b, 0);
    sp_buf_puts(b, name);
    sp_buf_put(b, comp, cn);
    free(comp);
}

static void tar_add(sp_buf *b, const char *name, const char *data) {
    char h[512] = {0};
    snprintf(h, 100, "%s", name);
    snprintf(h + 100, 8, "0000644");
    snprintf(h + 124, 12, "%011o", (unsigned)(strlen(data) & 0x3fffffff));
    memcpy(h + 148, "        ", 8);
    h[156] = '0';
    memcpy(h + 257, "ustar", 6);
    unsigned sum = 0;
    for (int i = 0; i < 512; i++) sum += (unsigned char)h[i];
    snprintf(h + 148, 8, "%06o", sum);
    sp_buf_put(b, h, 512);
    sp_buf_puts(b, data);
    size_t pad = (512 - strlen(data) % 512) % 512;
    for (size_t i = 0; i < pad; i++) sp_buf_putc(b, 0);
}

static void test_archives(void) {
    sp_buf z;
    sp_buf_init(&z, 0);
    zip_add(&z, "dir/", "", false);
    zip_add(&z, "a.json", "{\"Computer\":\"a\"}\n{\"Computer\":\"b\"}", false);
    zip_add(&z, "__MACOSX/._a.json", "\x01\x02junk", false);
    zip_add(&z, "b.json", "{\"Computer\":\"c\"}\n", true);
    put32(&z, 0x06054b50);
    for (int i = 0; i < 18; i++) sp_buf_putc(&z, 0);
    got g = {0};
    store_ingest_report rep = {0};
    sp_err err = {0};
    CHECK_EQ_INT(store_read_buf(z.p, z.n, NULL, SCHEMA, NS, collect, &g, &rep, NULL, &err), 0);
    CHECK_EQ_INT(g.rows, 3);
    CHECK_EQ_STR(g.comp[2], "c");
    CHECK_EQ_STR(rep.format, "ndjson+zip");
    CHECK_EQ_INT(rep.rows_rejected, 0);
    store_report_free(&rep);
    /* truncated zip: an error naming the damage, the rows before it read */
    memset(&g, 0, sizeof g);
    CHECK_EQ_INT(store_read_buf(z.p, z.n - 40, NULL, SCHEMA, NS, collect, &g, &rep, NULL, &err), -1);
    CHECK_EQ_STR(err.code, "bad_zip");
    store_report_free(&rep);
    sp_buf_free(&z);
    /* tar, plain and gzipped */
    sp_buf t;
    sp_buf_init(&t, 0);
    tar_add(&t, "x.json", "{\"Computer\":\"t1\"}\n");
    tar_add(&t, "._x.json", "junk");
    tar_add(&t, "y.json", "{\"Computer\":\"t2\"}");
    for (int i = 0; i < 1024; i++) sp_buf_putc(&t, 0);
    memset(&g, 0, sizeof g);
    sp_err_clear(&err);
    CHECK_EQ_INT(store_read_buf(t.p, t.n, "ndjson", SCHEMA, NS, collect, &g, &rep, NULL, &err), 0);
    CHECK_EQ_INT(g.rows, 2);
    CHECK_EQ_STR(g.comp[1], "t2");
    CHECK_EQ_STR(rep.format, "ndjson+tar");
    store_report_free(&rep);
    size_t gn;
    /* gzip() takes a C string: the tar has NULs, so compress by hand */
    z_stream zs = {0};
    deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    char *gz = malloc(t.n + 1024);
    zs.next_in = (Bytef *)t.p;
    zs.avail_in = (uInt)t.n;
    zs.next_out = (Bytef *)gz;
    zs.avail_out = (uInt)(t.n + 1024);
    deflate(&zs, Z_FINISH);
    gn = zs.total_out;
    deflateEnd(&zs);
    memset(&g, 0, sizeof g);
    CHECK_EQ_INT(store_read_buf(gz, gn, NULL, SCHEMA, NS, collect, &g, &rep, NULL, &err), 0);
    CHECK_EQ_INT(g.rows, 2);
    CHECK_EQ_STR(rep.format, "ndjson+tar.gz");
    store_report_free(&rep);
    free(gz);
    sp_buf_free(&t);
}

static void test_file_loader(void) {
    char path[] = "/tmp/sp-loader-XXXXXX";
    int fd = mkstemp(path);
    const char *t = "a,b,c\nx,1,\"{\"\"k\"\":[1]}\"\ny,,\n";
    CHECK(write(fd, t, strlen(t)) == (ssize_t)strlen(t));
    close(fd);
    const kql_column_def cols[] = {{"a", KQL_STRING}, {"b", KQL_LONG}, {"c", KQL_DYNAMIC}};
    sp_err err = {0};
    kql_result *r = store_file_loader(NULL, path, "csv", cols, 3, &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->nrows, 2);
        CHECK_EQ_INT(r->ncols, 3);
        kql_value v;
        kql_col_get(r->cols[0], 1, &v);
        CHECK(sp_str_eqc(v.u.s, "y"));
        kql_col_get(r->cols[1], 0, &v);
        CHECK_EQ_INT(v.u.i, 1);
        kql_col_get(r->cols[1], 1, &v);
        CHECK(v.null);
        kql_col_get(r->cols[2], 0, &v);
        sp_buf b;
        sp_buf_init(&b, 0);
        kql_dyn_to_json(v.u.d, &b);
        CHECK_EQ_STR(b.p, "{\"k\":[1]}");
        sp_buf_free(&b);
        kql_col_get(r->cols[2], 1, &v);
        CHECK(v.null);
        sp_arena_free(&r->arena);
        free(r);
    }
    /* no columns: inferred */
    r = store_file_loader(NULL, path, NULL, NULL, 0, &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->ncols, 3);
        CHECK_EQ_INT(r->types[1], KQL_LONG);
        CHECK_EQ_INT(r->types[2], KQL_DYNAMIC);
        sp_arena_free(&r->arena);
        free(r);
    }
    /* a CSV without a header: cells by position */
    int fd2 = open(path, O_WRONLY | O_TRUNC);
    const char *nh = "p,7,\nq,8,[2]\n";
    CHECK(write(fd2, nh, strlen(nh)) == (ssize_t)strlen(nh));
    close(fd2);
    r = store_file_loader(NULL, path, "csv", cols, 3, &err);
    CHECK(r != NULL);
    if (r) {
        CHECK_EQ_INT(r->nrows, 2);
        kql_value v;
        kql_col_get(r->cols[0], 0, &v);
        CHECK(sp_str_eqc(v.u.s, "p"));
        kql_col_get(r->cols[1], 1, &v);
        CHECK_EQ_INT(v.u.i, 8);
        sp_arena_free(&r->arena);
        free(r);
    }
    fd2 = open(path, O_WRONLY | O_TRUNC);
    CHECK(write(fd2, t, strlen(t)) == (ssize_t)strlen(t));
    close(fd2);
    /* a row that does not convert: an error with its line */
    r = store_file_loader(NULL, path, "csv", (const kql_column_def[]){{"a", KQL_LONG}}, 1, &err);
    CHECK(r == NULL);
    CHECK_EQ_STR(err.code, "rejected");
    CHECK_EQ_INT(err.line, 2);
    unlink(path);
}

TEST_MAIN(test_file_loader, test_archives, test_ndjson, test_malformed_ndjson, test_json_array_and_stream, test_csv, test_gzip, test_caps,
          test_infer, test_type_split_twins, test_entities)
