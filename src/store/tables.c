/* A workspace's tables: the Sentinel/Defender schemas of data/schemas, custom
 * tables and retention persisted in catalog.json, and the kql_catalog over them. */
#include "store_int.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char *find_schemas(const store_options *o) {
    if (o->schemas_path) return sp_strdup(o->schemas_path);
    char buf[PATH_MAX + 64];
    const char *env = getenv("SECPILOT_DATA");
    if (env && *env) {
        snprintf(buf, sizeof buf, "%s/schemas/tables.json", env);
        if (sp_file_exists(buf)) return sp_strdup(buf);
    }
    char exe[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k > 0) {
        exe[k] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        /* build/secpilot, build/tests/x, build/fuzz/x, installed bin/ */
        const char *ups[] = {"/../data/schemas/tables.json", "/../../data/schemas/tables.json",
                             "/../share/secpilot/schemas/tables.json"};
        for (size_t i = 0; i < SP_ARRAY_LEN(ups); i++) {
            snprintf(buf, sizeof buf, "%s%s", exe, ups[i]);
            if (sp_file_exists(buf)) return sp_strdup(buf);
        }
    }
    if (sp_file_exists("data/schemas/tables.json")) return sp_strdup("data/schemas/tables.json");
    return NULL;
}

int st_load_schemas(store *s, sp_err *err) {
    char *path = find_schemas(&s->opt);
    if (!path)
        return sp_err_set(err, SP_ERR_IO, "no_schemas", 0, 0,
                          "cannot find data/schemas/tables.json (set SECPILOT_DATA to the data directory of secpilot)");
    s->schemas = sp_json_load_file(path, err);
    free(path);
    if (!s->schemas) return -1;
    if (!json_is_object(s->schemas)) {
        json_decref(s->schemas);
        s->schemas = NULL;
        return sp_err_set(err, SP_ERR_IO, "bad_schemas", 0, 0, "tables.json is not an object of tables");
    }
    return 0;
}

int st_pick_time_col(const kql_column_def *cols, size_t ncols) {
    for (size_t i = 0; i < ncols; i++)
        if (cols[i].type == KQL_DATETIME &&
            (strcmp(cols[i].name, "TimeGenerated") == 0 || strcmp(cols[i].name, "Timestamp") == 0))
            return (int)i;
    for (size_t i = 0; i < ncols; i++)
        if (cols[i].type == KQL_DATETIME) return (int)i;
    return -1;
}

static st_table *add_table(store_ws *ws, const char *name, kql_column_def *cols, size_t ncols, bool custom) {
    st_table *t = sp_calloc(1, sizeof *t);
    t->kt.name = sp_strdup(name);
    t->kt.cols = cols;
    t->kt.ncols = ncols;
    t->kt.time_col = st_pick_time_col(cols, ncols);
    t->kt.ops = &st_table_ops;
    t->kt.ctx = t;
    t->ws = ws;
    t->custom = custom;
    t->base_ncols = ncols;
    t->idx = ws->tables.n;
    t->state = st_tstate_new(0);
    sp_vec_push(&ws->tables, t);
    sp_map_put(&ws->table_map, name, strlen(name), t);
    return t;
}

static kql_column_def *cols_from_json(json_t *arr, size_t *n) {
    size_t k = json_array_size(arr);
    kql_column_def *cols = sp_calloc(k ? k : 1, sizeof *cols);
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        json_t *c = json_array_get(arr, i);
        const char *nm = json_string_value(json_array_get(c, 0));
        const char *ty = json_string_value(json_array_get(c, 1));
        if (!nm || !ty) continue;
        kql_type t = kql_type_parse(ty, strlen(ty));
        if (t == KQL_UNKNOWN) t = KQL_STRING;
        cols[m++] = (kql_column_def){sp_strdup(nm), t};
    }
    *n = m;
    return cols;
}

static char *catalog_path(store_ws *ws) {
    char buf[4200];
    snprintf(buf, sizeof buf, "%s/catalog.json", ws->dir);
    return sp_strdup(buf);
}

int st_ws_load_tables(store_ws *ws, sp_err *err) {
    store *s = ws->st;
    const char *name;
    json_t *v;
    json_object_foreach(s->schemas, name, v) {
        size_t n;
        kql_column_def *cols = cols_from_json(v, &n);
        add_table(ws, name, cols, n, false);
    }
    char *path = catalog_path(ws);
    if (!sp_file_exists(path)) {
        free(path);
        return 0;
    }
    json_t *cat = sp_json_load_file(path, err);
    if (!cat) {
        sp_err_set(err, SP_ERR_IO, "damaged", 0, 0, "%s: unreadable", path);
        free(path);
        return -1;
    }
    free(path);
    json_t *custom = json_object_get(cat, "custom");
    json_object_foreach(custom, name, v) {
        size_t n;
        kql_column_def *cols = cols_from_json(v, &n);
        if (st_find_table(ws, name, strlen(name))) {
            for (size_t i = 0; i < n; i++) free((char *)cols[i].name);
            free(cols);
            continue;
        }
        add_table(ws, name, cols, n, true);
    }
    json_t *ext = json_object_get(cat, "extended");
    json_object_foreach(ext, name, v) {
        st_table *t = st_find_table(ws, name, strlen(name));
        size_t n;
        kql_column_def *cols = cols_from_json(v, &n);
        if (t) st_table_append_cols(t, cols, n);
        for (size_t i = 0; i < n; i++) free((char *)cols[i].name);
        free(cols);
    }
    json_t *ret = json_object_get(cat, "retention");
    json_object_foreach(ret, name, v) {
        st_table *t = st_find_table(ws, name, strlen(name));
        if (t) t->retention_days = (int)json_integer_value(v);
    }
    json_decref(cat);
    return 0;
}

int st_ws_save_catalog(store_ws *ws, sp_err *err) {
    json_t *cat = json_object(), *custom = json_object(), *ret = json_object(), *ext = json_object();
    json_object_set_new(cat, "version", json_integer(1));
    for (size_t i = 0; i < ws->tables.n; i++) {
        st_table *t = ws->tables.v[i];
        if (t->custom) {
            json_t *arr = json_array();
            for (size_t c = 0; c < t->kt.ncols; c++) {
                json_t *p = json_array();
                json_array_append_new(p, json_string(t->kt.cols[c].name));
                json_array_append_new(p, json_string(kql_type_name(t->kt.cols[c].type)));
                json_array_append_new(arr, p);
            }
            json_object_set_new(custom, t->kt.name, arr);
        } else if (t->kt.ncols > t->base_ncols) {
            json_t *arr = json_array();
            for (size_t c = t->base_ncols; c < t->kt.ncols; c++) {
                json_t *p = json_array();
                json_array_append_new(p, json_string(t->kt.cols[c].name));
                json_array_append_new(p, json_string(kql_type_name(t->kt.cols[c].type)));
                json_array_append_new(arr, p);
            }
            json_object_set_new(ext, t->kt.name, arr);
        }
        if (t->retention_days) json_object_set_new(ret, t->kt.name, json_integer(t->retention_days));
    }
    json_object_set_new(cat, "custom", custom);
    json_object_set_new(cat, "extended", ext);
    json_object_set_new(cat, "retention", ret);
    char *text = sp_json_dump(cat, true);
    json_decref(cat);
    char *path = catalog_path(ws);
    int rc = st_write_file_atomic(path, text, strlen(text), !ws->st->opt.no_fsync, err);
    free(path);
    free(text);
    return rc;
}

st_table *st_find_table(store_ws *ws, const char *name, size_t n) {
    pthread_mutex_lock(&ws->state_mu);
    st_table *t = sp_map_get(&ws->table_map, name, n);
    pthread_mutex_unlock(&ws->state_mu);
    return t;
}

const kql_table *store_table(store_ws *ws, const char *name) {
    st_table *t = st_find_table(ws, name, strlen(name));
    return t ? &t->kt : NULL;
}

static bool valid_custom_name(const char *n) {
    size_t k = strlen(n);
    if (k < 4 || k > 128 || strcmp(n + k - 3, "_CL") != 0) return false;
    for (size_t i = 0; i < k; i++) {
        char c = n[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (i && c >= '0' && c <= '9');
        if (!ok) return false;
    }
    return true;
}

const kql_table *store_create_table(store_ws *ws, const char *name, const kql_column_def *cols,
                                    size_t ncols, sp_err *err) {
    if (ws->readonly) {
        sp_err_set(err, SP_ERR_USAGE, "readonly", 0, 0, "the store is open read-only");
        return NULL;
    }
    st_table *old = st_find_table(ws, name, strlen(name));
    if (old) {
        bool same = old->kt.ncols == ncols;
        for (size_t i = 0; same && i < ncols; i++)
            same = strcmp(old->kt.cols[i].name, cols[i].name) == 0 && old->kt.cols[i].type == cols[i].type;
        if (same) return &old->kt;
        sp_err_set(err, SP_ERR_SEMANTIC, "table_exists", 0, 0, "table %s already exists with other columns", name);
        sp_err_name(err, name, strlen(name));
        return NULL;
    }
    if (!valid_custom_name(name)) {
        sp_err_set(err, SP_ERR_USAGE, "bad_name", 0, 0,
                   "custom table names are identifiers ending in _CL (like MyLogs_CL); '%s' is not", name);
        return NULL;
    }
    if (ncols == 0 || ncols > 4096) {
        sp_err_set(err, SP_ERR_USAGE, "bad_schema", 0, 0, "a table needs 1 to 4096 columns");
        return NULL;
    }
    kql_column_def *c = sp_calloc(ncols, sizeof *c);
    for (size_t i = 0; i < ncols; i++) c[i] = (kql_column_def){sp_strdup(cols[i].name), cols[i].type};
    pthread_mutex_lock(&ws->write_mu);
    pthread_mutex_lock(&ws->state_mu);
    st_table *t = add_table(ws, name, c, ncols, true);
    pthread_mutex_unlock(&ws->state_mu);
    char dir[4200];
    snprintf(dir, sizeof dir, "%s/tables/%s", ws->dir, name);
    int rc = sp_mkdir_p(dir, err);
    if (rc == 0) rc = st_ws_save_catalog(ws, err);
    pthread_mutex_unlock(&ws->write_mu);
    return rc == 0 ? &t->kt : NULL;
}

/* Appends the columns t lacks (by name); the replaced column array stays alive
 * until the store closes, for scans already under way. */
size_t st_table_append_cols(st_table *t, const kql_column_def *cols, size_t ncols) {
    size_t add = 0;
    for (size_t i = 0; i < ncols; i++) {
        bool have = false;
        for (size_t c = 0; c < t->kt.ncols && !have; c++) have = strcmp(t->kt.cols[c].name, cols[i].name) == 0;
        for (size_t k = 0; k < i && !have; k++) have = strcmp(cols[k].name, cols[i].name) == 0;
        if (!have) add++;
    }
    if (!add) return 0;
    kql_column_def *nc = sp_calloc(t->kt.ncols + add, sizeof *nc);
    memcpy(nc, t->kt.cols, t->kt.ncols * sizeof *nc);
    size_t n = t->kt.ncols;
    for (size_t i = 0; i < ncols; i++) {
        bool have = false;
        for (size_t c = 0; c < n && !have; c++) have = strcmp(nc[c].name, cols[i].name) == 0;
        if (!have) nc[n++] = (kql_column_def){sp_strdup(cols[i].name), cols[i].type};
    }
    sp_vec_push(&t->retired, (kql_column_def *)t->kt.cols);
    t->kt.cols = nc;
    t->kt.ncols = n;
    return add;
}

int store_extend_table(store_ws *ws, const char *table, const kql_column_def *cols, size_t ncols, sp_err *err) {
    if (ws->readonly) return sp_err_set(err, SP_ERR_USAGE, "readonly", 0, 0, "the store is open read-only");
    st_table *t = st_find_table(ws, table, strlen(table));
    if (!t) return sp_err_set(err, SP_ERR_SEMANTIC, "unknown_table", 0, 0, "no table %s", table);
    for (size_t i = 0; i < ncols; i++) {
        for (size_t c = 0; c < t->kt.ncols; c++)
            if (strcmp(t->kt.cols[c].name, cols[i].name) == 0 && t->kt.cols[c].type != cols[i].type)
                return sp_err_set(err, SP_ERR_SEMANTIC, "type_mismatch", 0, 0, "%s.%s is already a %s", table,
                                  cols[i].name, kql_type_name(t->kt.cols[c].type));
        if (cols[i].type == KQL_UNKNOWN || !cols[i].name[0])
            return sp_err_set(err, SP_ERR_USAGE, "bad_schema", 0, 0, "column %zu needs a name and a type", i + 1);
    }
    if (t->kt.ncols + ncols > 4096) return sp_err_set(err, SP_ERR_USAGE, "bad_schema", 0, 0, "a table holds at most 4096 columns");
    pthread_mutex_lock(&ws->write_mu);
    pthread_mutex_lock(&ws->state_mu);
    size_t added = st_table_append_cols(t, cols, ncols);
    pthread_mutex_unlock(&ws->state_mu);
    int rc = added ? st_ws_save_catalog(ws, err) : 0;
    pthread_mutex_unlock(&ws->write_mu);
    return rc;
}

int store_set_retention(store_ws *ws, const char *table, int days, sp_err *err) {
    if (ws->readonly) return sp_err_set(err, SP_ERR_USAGE, "readonly", 0, 0, "the store is open read-only");
    st_table *t = st_find_table(ws, table, strlen(table));
    if (!t) return sp_err_set(err, SP_ERR_SEMANTIC, "unknown_table", 0, 0, "no table %s", table);
    if (days < 0) return sp_err_set(err, SP_ERR_USAGE, "bad_value", 0, 0, "retention days must be >= 0");
    pthread_mutex_lock(&ws->write_mu);
    t->retention_days = days;
    int rc = st_ws_save_catalog(ws, err);
    pthread_mutex_unlock(&ws->write_mu);
    return rc;
}

/* ----------------------------------------------------------- kql_catalog */

static const kql_table *cat_find(void *ctx, const char *name, size_t n) {
    st_table *t = st_find_table(ctx, name, n);
    return t ? &t->kt : NULL;
}

static size_t cat_list(void *ctx, const kql_table **out, size_t max) {
    store_ws *ws = ctx;
    pthread_mutex_lock(&ws->state_mu);
    size_t n = ws->tables.n;
    for (size_t i = 0; i < n && i < max; i++) out[i] = &ws->tables.v[i]->kt;
    pthread_mutex_unlock(&ws->state_mu);
    return n;
}

kql_catalog store_catalog(store_ws *ws) { return (kql_catalog){ws, cat_find, cat_list}; }
