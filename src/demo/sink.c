/* The two sinks rows go to: a directory of <Table>.jsonl files, and a batching
 * sink that hands per-table NDJSON buffers to a flush callback (the store). */
#include "demo_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------- directory */

typedef struct dir_file {
    const char *table;
    FILE *f;
    char *vbuf;
} dir_file;

struct demo_dir_sink {
    char *dir;
    dir_file files[64];
    size_t nfiles;
    int last;            /* index of the last table written (rows come in runs) */
    bool failed;
    char msg[512];
};

demo_dir_sink *demo_dir_sink_open(const char *dir, sp_err *err) {
    if (sp_mkdir_p(dir, err) != 0) return NULL;
    demo_dir_sink *s = sp_calloc(1, sizeof *s);
    s->dir = sp_strdup(dir);
    s->last = -1;
    return s;
}

static dir_file *dir_lookup(demo_dir_sink *s, const char *table) {
    if (s->last >= 0 && s->files[s->last].table == table) return &s->files[s->last];
    for (size_t i = 0; i < s->nfiles; i++)
        if (s->files[i].table == table || !strcmp(s->files[i].table, table)) {
            s->last = (int)i;
            return &s->files[i];
        }
    if (s->nfiles == SP_ARRAY_LEN(s->files)) return NULL;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.jsonl", s->dir, table);
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(s->msg, sizeof s->msg, "cannot create %.180s: %.60s", path, strerror(errno));
        return NULL;
    }
    dir_file *df = &s->files[s->nfiles];
    df->table = table;
    df->f = f;
    df->vbuf = sp_malloc(1 << 20);
    setvbuf(f, df->vbuf, _IOFBF, 1 << 20);
    s->last = (int)s->nfiles++;
    return df;
}

static int dir_row(void *ctx, const char *table, const char *json, size_t n) {
    demo_dir_sink *s = ctx;
    dir_file *df = dir_lookup(s, table);
    if (!df) {
        s->failed = true;
        return -1;
    }
    if (fwrite(json, 1, n, df->f) != n || putc('\n', df->f) == EOF) {
        snprintf(s->msg, sizeof s->msg, "cannot write %.150s/%.40s.jsonl: %.50s", s->dir, table, strerror(errno));
        s->failed = true;
        return -1;
    }
    return 0;
}

demo_sink demo_dir_sink_iface(demo_dir_sink *s) {
    return (demo_sink){.row = dir_row, .end = NULL, .ctx = s};
}

int demo_dir_sink_close(demo_dir_sink *s, sp_err *err) {
    if (!s) return 0;
    int rc = s->failed ? -1 : 0;
    for (size_t i = 0; i < s->nfiles; i++) {
        if (fclose(s->files[i].f) != 0 && rc == 0) {
            snprintf(s->msg, sizeof s->msg, "cannot write %.150s/%.40s.jsonl: %.50s", s->dir,
                     s->files[i].table, strerror(errno));
            rc = -1;
        }
        free(s->files[i].vbuf);
    }
    if (rc) sp_err_set(err, SP_ERR_IO, "write", 0, 0, "demo: %s", s->msg[0] ? s->msg : "write failed");
    free(s->dir);
    free(s);
    return rc;
}

/* -------------------------------------------------------------- batching */

typedef struct batch_tab {
    const char *table;
    sp_buf buf;
} batch_tab;

struct demo_batch_sink {
    size_t batch_bytes;
    demo_flush_fn flush;
    void *ctx;
    batch_tab tabs[64];
    size_t ntabs;
};

demo_batch_sink *demo_batch_sink_new(size_t batch_bytes, demo_flush_fn flush, void *ctx) {
    demo_batch_sink *s = sp_calloc(1, sizeof *s);
    s->batch_bytes = batch_bytes ? batch_bytes : (8u << 20);
    s->flush = flush;
    s->ctx = ctx;
    return s;
}

static int batch_row(void *ctx, const char *table, const char *json, size_t n) {
    demo_batch_sink *s = ctx;
    batch_tab *t = NULL;
    for (size_t i = 0; i < s->ntabs; i++)
        if (s->tabs[i].table == table || !strcmp(s->tabs[i].table, table)) {
            t = &s->tabs[i];
            break;
        }
    if (!t) {
        if (s->ntabs == SP_ARRAY_LEN(s->tabs)) return -1;
        t = &s->tabs[s->ntabs++];
        t->table = table;
        sp_buf_init(&t->buf, 0);
    }
    sp_buf_put(&t->buf, json, n);
    sp_buf_putc(&t->buf, '\n');
    if (t->buf.n >= s->batch_bytes) {
        int rc = s->flush(s->ctx, t->table, t->buf.p, t->buf.n);
        sp_buf_reset(&t->buf);
        return rc;
    }
    return 0;
}

static int batch_end(void *ctx) {
    demo_batch_sink *s = ctx;
    for (size_t i = 0; i < s->ntabs; i++) {
        batch_tab *t = &s->tabs[i];
        if (t->buf.n) {
            int rc = s->flush(s->ctx, t->table, t->buf.p, t->buf.n);
            sp_buf_reset(&t->buf);
            if (rc) return rc;
        }
    }
    return 0;
}

demo_sink demo_batch_sink_iface(demo_batch_sink *s) {
    return (demo_sink){.row = batch_row, .end = batch_end, .ctx = s};
}

void demo_batch_sink_free(demo_batch_sink *s) {
    if (!s) return;
    for (size_t i = 0; i < s->ntabs; i++) sp_buf_free(&s->tabs[i].buf);
    free(s);
}
