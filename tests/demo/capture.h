/* Test helpers for the demo tenant: a sink that hashes every row, keeps the
 * rows of small tables and the rows matching chosen needles, and field readers. */
#ifndef SECPILOT_TEST_DEMO_CAPTURE_H
#define SECPILOT_TEST_DEMO_CAPTURE_H

#include "secpilot/base.h"
#include "secpilot/demo.h"

#include <jansson.h>
#include <stdlib.h>

#define CAP_NOW "2024-11-25T14:30:00Z"

typedef struct cap_table {
    const char *name;
    sp_buf rows;          /* kept rows, one per line */
    uint64_t n, hash;     /* all rows seen, and a hash of their bytes in order */
} cap_table;

typedef struct capture {
    cap_table t[64];
    size_t nt;
    const char *const *keep_tables;   /* NULL-terminated: keep every row of these */
    const char *const *needles;       /* NULL-terminated: keep rows containing any */
    uint64_t hash;                    /* of everything, in order */
    int64_t tmin, tmax;               /* TimeGenerated / Timestamp seen */
    uint64_t bad_time;                /* rows with a time that does not parse */
} capture;

static inline cap_table *cap_get(capture *c, const char *name) {
    for (size_t i = 0; i < c->nt; i++)
        if (!strcmp(c->t[i].name, name)) return &c->t[i];
    if (c->nt == SP_ARRAY_LEN(c->t)) return NULL;
    cap_table *t = &c->t[c->nt++];
    t->name = name;
    sp_buf_init(&t->rows, 0);
    return t;
}

static inline void cap_time(capture *c, const char *json, size_t n, const char *key) {
    char pat[40];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = memmem(json, n, pat, strlen(pat));
    if (!p) return;
    p += strlen(pat);
    const char *e = memchr(p, '"', (size_t)(json + n - p));
    int64_t t;
    if (!e || !sp_parse_datetime(p, (size_t)(e - p), &t)) {
        c->bad_time++;
        return;
    }
    if (t < c->tmin) c->tmin = t;
    if (t > c->tmax) c->tmax = t;
}

static inline int cap_row(void *ctx, const char *table, const char *json, size_t n) {
    capture *c = ctx;
    cap_table *t = cap_get(c, table);
    if (!t) return -1;
    t->n++;
    t->hash = sp_hash_bytes(json, n, t->hash + 1);
    c->hash = sp_hash_bytes(json, n, c->hash + 7);
    cap_time(c, json, n, "TimeGenerated");
    cap_time(c, json, n, "Timestamp");
    bool keep = false;
    for (const char *const *k = c->keep_tables; k && *k && !keep; k++) keep = !strcmp(*k, table);
    for (const char *const *k = c->needles; k && *k && !keep; k++) keep = memmem(json, n, *k, strlen(*k)) != NULL;
    if (keep) {
        sp_buf_put(&t->rows, json, n);
        sp_buf_putc(&t->rows, '\n');
    }
    return 0;
}

static inline void cap_init(capture *c, const char *const *keep_tables, const char *const *needles) {
    memset(c, 0, sizeof *c);
    c->keep_tables = keep_tables;
    c->needles = needles;
    c->tmin = INT64_MAX;
    c->tmax = INT64_MIN;
}

static inline void cap_free(capture *c) {
    for (size_t i = 0; i < c->nt; i++) sp_buf_free(&c->t[i].rows);
}

static inline int64_t cap_now(void) {
    int64_t t = 0;
    sp_parse_datetime(CAP_NOW, strlen(CAP_NOW), &t);
    return t;
}

/* Runs the generator into a capture; returns 0 on success. */
static inline int cap_generate(capture *c, uint64_t seed, double scale, sp_buf *gt) {
    demo_options opt = {.seed = seed, .scale = scale, .now = cap_now()};
    demo_sink sink = {.row = cap_row, .ctx = c};
    sp_err err;
    sp_err_clear(&err);
    int rc = demo_generate(&opt, &sink, gt, NULL, &err);
    if (rc) fprintf(stderr, "demo_generate: %s\n", err.msg);
    return rc;
}

/* Iterates the kept rows of a table as parsed JSON objects. */
typedef struct cap_iter {
    const char *p, *end;
    json_t *row;
} cap_iter;

static inline cap_iter cap_rows(capture *c, const char *table) {
    cap_table *t = cap_get(c, table);
    cap_iter it = {t && t->rows.p ? t->rows.p : "", NULL, NULL};
    it.end = it.p + (t ? t->rows.n : 0);
    return it;
}

static inline bool cap_next(cap_iter *it) {
    if (it->row) json_decref(it->row);
    it->row = NULL;
    if (it->p >= it->end) return false;
    const char *nl = memchr(it->p, '\n', (size_t)(it->end - it->p));
    size_t n = nl ? (size_t)(nl - it->p) : (size_t)(it->end - it->p);
    json_error_t e;
    it->row = json_loadb(it->p, n, 0, &e);
    it->p += n + 1;
    return it->row != NULL;
}

static inline const char *jstr(json_t *row, const char *key) {
    json_t *v = json_object_get(row, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

static inline int64_t jtime(json_t *row, const char *key) {
    const char *s = jstr(row, key);
    int64_t t = 0;
    sp_parse_datetime(s, strlen(s), &t);
    return t;
}

/* A fact from ground-truth.json: stories[key].facts[name]. */
static inline const char *gt_fact(json_t *gt, const char *story, const char *name) {
    json_t *stories = json_object_get(gt, "stories");
    for (size_t i = 0; i < json_array_size(stories); i++) {
        json_t *s = json_array_get(stories, i);
        if (!strcmp(jstr(s, "key"), story)) return jstr(json_object_get(s, "facts"), name);
    }
    return "";
}

static inline json_t *gt_story(json_t *gt, const char *story) {
    json_t *stories = json_object_get(gt, "stories");
    for (size_t i = 0; i < json_array_size(stories); i++) {
        json_t *s = json_array_get(stories, i);
        if (!strcmp(jstr(s, "key"), story)) return s;
    }
    return NULL;
}

#endif
