/* The built-in table schemas (data/schemas/tables.json): tables known by
 * their columns alone, so that queries on them bind where no rows are loaded. */
#include "kql_int.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct kql_schema_set {
    sp_arena arena;
    kql_table *tables;
    size_t n;
    sp_map byname;
};

/* A table with no rows. */
static kql_scan *empty_begin(const kql_table *t, const kql_scan_req *req, sp_err *err) {
    (void)t, (void)req, (void)err;
    static int token;
    return (kql_scan *)&token;
}
static size_t empty_parts(kql_scan *s) { (void)s; return 0; }
static int empty_read(kql_scan *s, size_t part, sp_arena *a, kql_batch *out, sp_err *err) {
    (void)s, (void)part, (void)a, (void)err;
    memset(out, 0, sizeof *out);
    return 0;
}
static void empty_end(kql_scan *s) { (void)s; }
static int64_t empty_count(const kql_table *t) { (void)t; return 0; }
static const kql_table_ops EMPTY_OPS = {empty_begin, empty_parts, empty_read, empty_end, empty_count, NULL};

kql_schema_set *kql_schemas_load(const char *path, sp_err *err) {
    json_t *root = sp_json_load_file(path, err);
    if (!root) return NULL;
    if (!json_is_object(root)) {
        sp_err_set(err, SP_ERR_SYNTAX, "bad_schema", 0, 0, "%s: expected an object of tables", path);
        json_decref(root);
        return NULL;
    }
    kql_schema_set *s = sp_calloc(1, sizeof *s);
    sp_arena_init(&s->arena, NULL);
    sp_map_init(&s->byname, false);
    s->tables = SP_NEWZ(&s->arena, kql_table, json_object_size(root) + 1);
    const char *name;
    json_t *cols;
    json_object_foreach(root, name, cols) {
        if (!json_is_array(cols)) continue;
        size_t nc = json_array_size(cols);
        kql_column_def *defs = SP_NEWZ(&s->arena, kql_column_def, nc ? nc : 1);
        size_t k = 0;
        for (size_t i = 0; i < nc; i++) {
            json_t *c = json_array_get(cols, i);
            const char *cn = json_string_value(json_array_get(c, 0));
            const char *ct = json_string_value(json_array_get(c, 1));
            if (!cn || !ct) continue;
            kql_type t = kql_type_parse(ct, strlen(ct));
            defs[k].name = sp_arena_strdup(&s->arena, cn);
            defs[k].type = t == KQL_UNKNOWN ? KQL_DYNAMIC : t;
            k++;
        }
        kql_table *t = &s->tables[s->n++];
        t->name = sp_arena_strdup(&s->arena, name);
        t->ncols = k;
        t->cols = defs;
        t->time_col = -1;
        for (size_t i = 0; i < k; i++)
            if (defs[i].type == KQL_DATETIME && strcmp(defs[i].name, "TimeGenerated") == 0) t->time_col = (int)i;
        t->ops = &EMPTY_OPS;
        sp_map_put(&s->byname, t->name, strlen(t->name), t);
    }
    json_decref(root);
    return s;
}

/* data/schemas/tables.json: $SECPILOT_DATA/schemas, then next to the binary
 * (../data for a build tree, ../share/secpilot when installed), then ./data. */
kql_schema_set *kql_schemas_default(sp_err *err) {
    char cand[4][PATH_MAX];
    int nc = 0;
    const char *env = getenv("SECPILOT_DATA");
    if (env && *env) snprintf(cand[nc++], PATH_MAX, "%s/schemas/tables.json", env);
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        snprintf(cand[nc++], PATH_MAX, "%.3000s/../data/schemas/tables.json", exe);
        snprintf(cand[nc++], PATH_MAX, "%.3000s/../share/secpilot/schemas/tables.json", exe);
    }
    snprintf(cand[nc++], PATH_MAX, "data/schemas/tables.json");
    for (int i = 0; i < nc; i++)
        if (sp_file_exists(cand[i])) return kql_schemas_load(cand[i], err);
    sp_err_set(err, SP_ERR_IO, "no_schemas", 0, 0,
               "cannot find data/schemas/tables.json (set SECPILOT_DATA to the directory holding schemas/)");
    return NULL;
}

void kql_schemas_free(kql_schema_set *s) {
    if (!s) return;
    sp_map_free(&s->byname);
    sp_arena_free(&s->arena);
    free(s);
}

size_t kql_schemas_count(const kql_schema_set *s) { return s ? s->n : 0; }
const kql_table *kql_schemas_table(const kql_schema_set *s, size_t i) { return &s->tables[i]; }
const kql_table *kql_schemas_find(const kql_schema_set *s, const char *name, size_t n) {
    return s ? sp_map_get(&s->byname, name, n) : NULL;
}
