/* The ingestion reader: streams an input through a bounded buffer, splits it
 * into records (lines, CSV records, JSON array elements), maps fields onto a
 * schema by name, coerces them, counts rejects and unknown fields, infers a
 * schema when none is given, and hands each accepted row to a callback. */
#include "store_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define READ_CHUNK (1 << 20)

/* how an input field name resolves */
enum { MAP_COL = 0, MAP_MERGE = 1, MAP_UNKNOWN = 2 };
typedef struct {
    const char *name;          /* stable copy */
    size_t n;
    int kind;
    int idx;                   /* column, or unknown-name index */
} map_ent;

typedef struct {
    char *name;
    kql_type t;
} infer_col;

/* The schema side of reading: one per destination table (several when rows
 * are routed by their Type or Windows event channel). */
typedef struct ing_target {
    char *table;               /* routing: the destination table */
    const kql_column_def *cols;
    size_t ncols;
    sp_map names;              /* field name -> map_ent* */
    SP_VEC(map_ent *) ents;
    SP_VEC(map_ent *) pred;    /* per field position: the entry seen last row */
    SP_VEC(uint64_t) ucount;   /* per unknown-name index */
    SP_VEC(char *) uname;
    kql_value *row;
    uint8_t *rowset;           /* 0 unset, 1 merged value, 2 direct value */
    int tg_col, ts_col;        /* TimeGenerated, Timestamp */
    int alt_time[10];          /* other datetime columns that can stand for TimeGenerated */
    size_t nalt;
} ing_target;

struct ing_reader {
    ing_params P;
    ing_target *T;             /* the current target */
    ing_target main;
    SP_VEC(ing_target *) routed;
    ing_row wrow;              /* routing: the rewritten fields */
    sp_map fitcache;           /* routing: field-name signature -> table */
    sp_buf wscratch;
    bool infer;                /* pass 1 of inference: types only */
    sp_arena arena;
    ing_row rec;
    uint64_t line;             /* line of buffer start */
    /* csv */
    bool csv_header_done;
    SP_VEC(int) csv_map;       /* cell -> map entry index, or -1 */
    SP_VEC(char *) csv_names;
    /* inference */
    SP_VEC(infer_col) icols;
    sp_map iname;              /* name -> index+1 */
    int64_t fill_now;
    bool stop;
};

/* ------------------------------------------------------------ reporting */

void ing_report_reject(store_ingest_report *r, uint64_t line, const char *fmt, ...) {
    r->rows_rejected++;
    if (r->nrejects >= STORE_MAX_REJECTS_KEPT) return;
    store_reject *j = &r->rejects[r->nrejects++];
    j->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(j->reason, sizeof j->reason, fmt, ap);
    va_end(ap);
}

void ing_report_unknown(store_ingest_report *r, const char *name, size_t n, uint64_t count) {
    for (size_t i = 0; i < r->nunknown; i++) {
        if (strlen(r->unknown[i].name) == n && memcmp(r->unknown[i].name, name, n) == 0) {
            r->unknown[i].count += count;
            return;
        }
    }
    r->unknown = sp_realloc(r->unknown, (r->nunknown + 1) * sizeof *r->unknown);
    r->unknown[r->nunknown++] = (store_field_count){sp_strndup(name, n), count};
}

void store_report_free(store_ingest_report *r) {
    if (!r) return;
    for (size_t i = 0; i < r->ntables; i++) free(r->tables[i].name);
    free(r->tables);
    for (size_t i = 0; i < r->nunknown; i++) free(r->unknown[i].name);
    free(r->unknown);
    for (size_t i = 0; i < r->ncols; i++) free((char *)r->cols[i].name);
    free(r->cols);
    memset(r, 0, sizeof *r);
}

/* --------------------------------------------------------------- names */

/* Portal exports write "TimeGenerated [UTC]"; the column is TimeGenerated. */
static sp_str clean_name(sp_str s) {
    if (s.n >= 3 && (unsigned char)s.p[0] == 0xEF && (unsigned char)s.p[1] == 0xBB &&
        (unsigned char)s.p[2] == 0xBF)
        s.p += 3, s.n -= 3;
    while (s.n && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\r')) s.n--;
    while (s.n && s.p[0] == ' ') s.p++, s.n--;
    if (s.n > 6 && memcmp(s.p + s.n - 6, " [UTC]", 6) == 0) s.n -= 6;
    return s;
}

static int find_col(ing_reader *r, const char *p, size_t n) {
    for (size_t i = 0; i < r->T->ncols; i++)
        if (strlen(r->T->cols[i].name) == n && memcmp(r->T->cols[i].name, p, n) == 0) return (int)i;
    return -1;
}

/* Resolves a field name: a column, a type-split twin of one ("ProcessId_string",
 * "EventData_dynamic": Log Analytics splits a column whose type changed), or unknown. */
static map_ent *resolve(ing_reader *r, sp_str raw) {
    sp_str nm = clean_name(raw);
    bool created;
    void **slot = sp_map_slot(&r->T->names, nm.p, nm.n, &created);
    if (!created) return *slot;
    map_ent *e = sp_calloc(1, sizeof *e);
    e->name = sp_strndup(nm.p, nm.n);
    e->n = nm.n;
    int c = find_col(r, nm.p, nm.n);
    if (c >= 0) {
        e->kind = MAP_COL, e->idx = c;
    } else {
        static const char *suf[] = {"_string", "_dynamic", "_int", "_long", "_real", "_double",
                                    "_bool", "_datetime", "_guid", "_timespan"};
        e->kind = MAP_UNKNOWN;
        for (size_t i = 0; i < SP_ARRAY_LEN(suf); i++) {
            size_t k = strlen(suf[i]);
            if (nm.n > k && memcmp(nm.p + nm.n - k, suf[i], k) == 0) {
                int b = find_col(r, nm.p, nm.n - k);
                if (b >= 0) {
                    e->kind = MAP_MERGE, e->idx = b;
                    break;
                }
            }
        }
        /* older export names of SecurityAlert columns (Log Analytics renamed them) */
        static const char *alias[][2] = {{"AlertDisplayName", "DisplayName"}, {"Severity", "AlertSeverity"},
                                         {"StartTimeUtc", "StartTime"},       {"EndTimeUtc", "EndTime"},
                                         {"ProviderAlertId", "VendorOriginalId"}};
        for (size_t i = 0; e->kind == MAP_UNKNOWN && i < SP_ARRAY_LEN(alias); i++) {
            if (strlen(alias[i][0]) != nm.n || memcmp(alias[i][0], nm.p, nm.n) != 0) continue;
            int b = find_col(r, alias[i][1], strlen(alias[i][1]));
            if (b >= 0) e->kind = MAP_MERGE, e->idx = b;
        }
        if (e->kind == MAP_UNKNOWN) {
            e->idx = (int)r->T->uname.n;
            sp_vec_push(&r->T->uname, sp_strndup(nm.p, nm.n));
            sp_vec_push(&r->T->ucount, 0);
        }
    }
    *slot = e;
    sp_vec_push(&r->T->ents, e);
    return e;
}

static inline map_ent *lookup(ing_reader *r, size_t pos, sp_str name) {
    if (pos < r->T->pred.n) {
        map_ent *e = r->T->pred.v[pos];
        if (e && e->n == name.n && memcmp(e->name, name.p, name.n) == 0) return e;
    } else {
        while (r->T->pred.n <= pos) sp_vec_push(&r->T->pred, NULL);
    }
    map_ent *e = resolve(r, name);
    /* a name that needed cleaning does not match its raw form: do not predict it */
    r->T->pred.v[pos] = (e->n == name.n && memcmp(e->name, name.p, name.n) == 0) ? e : NULL;
    return e;
}

/* ------------------------------------------------------------ inference */

static void infer_field(ing_reader *r, sp_str raw, const ing_field *f) {
    sp_str nm = clean_name(raw);
    bool created;
    void **slot = sp_map_slot(&r->iname, nm.p, nm.n, &created);
    if (created) {
        sp_vec_push(&r->icols, ((infer_col){sp_strndup(nm.p, nm.n), KQL_UNKNOWN}));
        *slot = (void *)(uintptr_t)r->icols.n;
    }
    size_t i = (size_t)(uintptr_t)*slot - 1;
    kql_type t = ing_natural_type(f, r->P.lim.max_depth);
    r->icols.v[i].t = ing_merge_types(r->icols.v[i].t, t);
}

static bool ident_char(char c, bool first) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || (!first && c >= '0' && c <= '9');
}

/* Builds the inferred schema into rep->cols. */
static void infer_finish(ing_reader *r) {
    store_ingest_report *rep = r->P.rep;
    size_t extra = 0;
    bool has_tg = false;
    for (size_t i = 0; i < r->icols.n; i++)
        if (strcmp(r->icols.v[i].name, "TimeGenerated") == 0) has_tg = true;
    if (r->P.add_time_col && !has_tg) extra = 1;
    size_t n = r->icols.n + extra;
    kql_column_def *cols = sp_calloc(n ? n : 1, sizeof *cols);
    sp_map seen;
    sp_map_init(&seen, false);
    size_t k = 0;
    if (extra) {
        cols[k++] = (kql_column_def){sp_strdup("TimeGenerated"), KQL_DATETIME};
        sp_map_put(&seen, "TimeGenerated", 13, NULL);
    }
    for (size_t i = 0; i < r->icols.n; i++) {
        infer_col *c = &r->icols.v[i];
        sp_buf b;
        sp_buf_init(&b, 0);
        if (r->P.sanitize_names) {
            for (size_t j = 0; c->name[j]; j++)
                sp_buf_putc(&b, ident_char(c->name[j], b.n == 0) ? c->name[j] : '_');
            if (b.n && b.p[0] >= '0' && b.p[0] <= '9') {
                sp_buf_free(&b);
                sp_buf_init(&b, 0);
                sp_buf_printf(&b, "_%s", c->name);
            }
            if (b.n == 0) sp_buf_printf(&b, "Column%zu", i + 1);
        } else {
            if (!c->name[0]) sp_buf_printf(&b, "Column%zu", i + 1);
            else sp_buf_puts(&b, c->name);
        }
        int dup = 2;
        size_t base = b.n;
        while (sp_map_has(&seen, b.p, b.n)) {
            b.n = base;
            sp_buf_printf(&b, "_%d", dup++);
        }
        sp_map_put(&seen, b.p, b.n, NULL);
        kql_type t = c->t == KQL_UNKNOWN ? KQL_STRING : c->t;
        if (extra && strcmp(b.p, "TimeGenerated") == 0) t = KQL_DATETIME;
        cols[k++] = (kql_column_def){sp_buf_steal(&b), t};
    }
    sp_map_free(&seen);
    rep->cols = cols;
    rep->ncols = k;
}

/* --------------------------------------------------------------- rows */

static void row_reset(ing_reader *r) {
    for (size_t i = 0; i < r->T->ncols; i++) {
        kql_value *v = &r->T->row[i];
        memset(v, 0, sizeof *v);
        v->type = r->T->cols[i].type;
        if (v->type == KQL_STRING) v->u.s = (sp_str){"", 0};
        else v->null = true;
        r->T->rowset[i] = 0;
    }
    if (r->arena.total > (4u << 20)) {
        sp_arena_free(&r->arena);
        sp_arena_init(&r->arena, NULL);
    }
}

static bool value_empty(const kql_value *v) {
    return v->type == KQL_STRING ? v->u.s.n == 0 : v->null;
}

/* Maps and coerces the fields of one record; false = rejected (reported). */
static bool build_row(ing_reader *r, ing_field *f, size_t n, const int *posmap, uint64_t line) {
    row_reset(r);
    char why[200];
    for (size_t i = 0; i < n; i++) {
        map_ent *e;
        if (posmap) {
            if (i >= r->csv_map.n || posmap[i] < 0) continue;
            e = r->T->ents.v[posmap[i]];
        } else {
            e = lookup(r, i, f[i].name);
        }
        if (e->kind == MAP_UNKNOWN) {
            /* counted when it carries a value: the count says what was left out */
            if (f[i].kind != ING_NULL && f[i].text.n && !f[i].quiet) r->T->ucount.v[e->idx]++;
            continue;
        }
        int c = e->idx;
        if (e->kind == MAP_MERGE && r->T->rowset[c] == 2) continue;   /* the column itself wins */
        kql_value v;
        if (!ing_coerce(&f[i], r->T->cols[c].type, &r->arena, r->P.lim.max_depth, &v, why, sizeof why)) {
            ing_report_reject(r->P.rep, line, "column %s: %s", r->T->cols[c].name, why);
            return false;
        }
        if (e->kind == MAP_MERGE) {
            if (value_empty(&v)) continue;
            if (r->T->rowset[c] == 1 && !value_empty(&r->T->row[c])) continue;
            r->T->rowset[c] = 1;
        } else {
            if (value_empty(&v) && r->T->rowset[c] == 1) continue;    /* keep the twin's value */
            r->T->rowset[c] = 2;
        }
        r->T->row[c] = v;
    }
    /* Defender tables carry both Timestamp and TimeGenerated: one fills the other */
    if (r->T->tg_col >= 0 && r->T->ts_col >= 0) {
        if (r->T->row[r->T->tg_col].null && !r->T->row[r->T->ts_col].null) r->T->row[r->T->tg_col] = r->T->row[r->T->ts_col];
        else if (r->T->row[r->T->ts_col].null && !r->T->row[r->T->tg_col].null) r->T->row[r->T->ts_col] = r->T->row[r->T->tg_col];
    }
    if (r->fill_now && r->T->tg_col >= 0 && r->T->row[r->T->tg_col].null) {
        for (size_t k = 0; k < r->T->nalt; k++) {
            if (r->T->row[r->T->alt_time[k]].null) continue;
            r->T->row[r->T->tg_col] = r->T->row[r->T->alt_time[k]];
            if (!r->P.rep->time_source[0])
                snprintf(r->P.rep->time_source, sizeof r->P.rep->time_source, "%s", r->T->cols[r->T->alt_time[k]].name);
            r->P.rep->time_from_other++;
            return true;
        }
    }
    if (r->fill_now && r->T->tg_col >= 0 && r->T->row[r->T->tg_col].null) {
        r->T->row[r->T->tg_col].null = false;
        r->T->row[r->T->tg_col].u.i = r->fill_now;
        if (r->T->ts_col >= 0 && r->T->row[r->T->ts_col].null) r->T->row[r->T->ts_col] = r->T->row[r->T->tg_col];
        r->P.rep->time_filled++;
    }
    return true;
}

static void emit(ing_reader *r, uint64_t line) {
    r->P.rep->rows_accepted++;
    if (r->P.cb && r->P.cb(r->P.ctx, r->T->row, r->T->ncols, line) != 0) r->stop = true;
}

static void target_init(ing_target *t);
static void target_set_schema(ing_target *t, const kql_column_def *cols, size_t ncols);

/* Routing: the row's table from its Type, or a Windows event's channel. */
/* The table whose columns hold the most of the row's fields (at least 60%
 * of those with a value, and more than any other table). */
static const char *route_fit(ing_reader *r, const ing_field *f, size_t n) {
    if (!r->P.route_list) return NULL;
    /* rows of one shape fit the same table: remember by the names of the valued fields */
    uint64_t sig = 0x5eed;
    for (size_t i = 0; i < n; i++)
        if (f[i].kind != ING_NULL && f[i].text.n) sig = sp_hash_bytes(f[i].name.p, f[i].name.n, sig);
    bool created;
    void **slot = sp_map_slot(&r->fitcache, (const char *)&sig, sizeof sig, &created);
    if (!created) return *slot;
    *slot = NULL;
    const kql_table *tabs[512];
    size_t nt = SP_MIN(r->P.route_list(r->P.ctx, tabs, 512), (size_t)512);
    size_t valued = 0;
    for (size_t i = 0; i < n; i++) valued += f[i].kind != ING_NULL && f[i].text.n;
    const kql_table *best = NULL;
    size_t bscore = 0;
    bool tie = false;
    for (size_t t = 0; t < nt; t++) {
        size_t score = 0;
        for (size_t i = 0; i < n; i++) {
            if (f[i].kind == ING_NULL || !f[i].text.n) continue;
            for (size_t c = 0; c < tabs[t]->ncols; c++)
                if (strlen(tabs[t]->cols[c].name) == f[i].name.n && memcmp(tabs[t]->cols[c].name, f[i].name.p, f[i].name.n) == 0) {
                    score++;
                    break;
                }
        }
        if (score > bscore) best = tabs[t], bscore = score, tie = false;
        else if (score == bscore && score) tie = true;
    }
    if (!best || tie || bscore * 10 < valued * 6) return NULL;
    *slot = (void *)best->name;
    return best->name;
}

static void route_record(ing_reader *r, uint64_t line) {
    char why[200] = "";
    const char *table = NULL;
    /* 1. a Log Analytics export names the table in Type */
    for (size_t i = 0; i < r->rec.n && !table; i++) {
        ing_field *x = &r->rec.f[i];
        if (x->kind != ING_STR || !sp_str_eqc(x->name, "Type") || !x->text.n || x->text.n > 128) continue;
        char nm[130];
        snprintf(nm, sizeof nm, "%.*s", (int)x->text.n, x->text.p);
        const kql_table *kt = r->P.route_schema(r->P.ctx, nm);
        if (kt) table = kt->name;
    }
    /* 2. Windows event logs by channel */
    if (!table) table = ing_winevent_route(r->rec.f, r->rec.n, &r->wrow, &r->wscratch, why, sizeof why);
    else {
        r->wrow.n = 0;
        for (size_t i = 0; i < r->rec.n; i++) {
            if (r->wrow.n == r->wrow.cap) {
                r->wrow.cap = r->wrow.cap ? r->wrow.cap * 2 : 64;
                r->wrow.f = sp_realloc(r->wrow.f, r->wrow.cap * sizeof *r->wrow.f);
            }
            r->wrow.f[r->wrow.n++] = r->rec.f[i];
        }
    }
    /* 3. Defender rows by ActionType, 4. the table the fields fit */
    if (!table) {
        table = ing_defender_route(r->rec.f, r->rec.n);
        if (!table) table = route_fit(r, r->rec.f, r->rec.n);
        if (table) {
            r->wrow.n = 0;
            for (size_t i = 0; i < r->rec.n; i++) {
                if (r->wrow.n == r->wrow.cap) {
                    r->wrow.cap = r->wrow.cap ? r->wrow.cap * 2 : 64;
                    r->wrow.f = sp_realloc(r->wrow.f, r->wrow.cap * sizeof *r->wrow.f);
                }
                r->wrow.f[r->wrow.n++] = r->rec.f[i];
            }
        }
    }
    if (!table) {
        ing_report_reject(r->P.rep, line, "no table for this row: no Type naming one, not a Windows event, "
                                          "and its fields fit no table");
        return;
    }
    ing_target *t = NULL;
    for (size_t i = 0; i < r->routed.n && !t; i++)
        if (strcmp(r->routed.v[i]->table, table) == 0) t = r->routed.v[i];
    if (!t) {
        const kql_table *kt = r->P.route_schema(r->P.ctx, table);
        if (!kt) {
            ing_report_reject(r->P.rep, line, "no table %s in the catalog", table);
            return;
        }
        t = sp_calloc(1, sizeof *t);
        target_init(t);
        t->table = sp_strdup(kt->name);
        target_set_schema(t, kt->cols, kt->ncols);
        sp_vec_push(&r->routed, t);
    }
    r->T = t;
    if (build_row(r, r->wrow.f, r->wrow.n, NULL, line)) {
        r->P.rep->rows_accepted++;
        if (r->P.route_cb(r->P.ctx, t->table, t->row, t->ncols, line) != 0) r->stop = true;
    }
    r->T = &r->main;
}

/* A JSON object record (NDJSON line or array element). */
static void do_json_record(ing_reader *r, char *p, size_t n, uint64_t line) {
    char why[200];
    size_t col = 0;
    if (!r->infer) r->P.rep->rows_read++;
    if (!ing_json_object(p, n, &r->rec, why, sizeof why, &col)) {
        if (!r->infer) ing_report_reject(r->P.rep, line, "%s (column %zu)", why, col);
        return;
    }
    if (r->infer) {
        for (size_t i = 0; i < r->rec.n; i++) infer_field(r, r->rec.f[i].name, &r->rec.f[i]);
        return;
    }
    if (r->P.route_schema) {
        route_record(r, line);
        return;
    }
    if (build_row(r, r->rec.f, r->rec.n, NULL, line)) emit(r, line);
}

static void do_csv_record(ing_reader *r, char *p, size_t n, uint64_t line) {
    char why[200];
    if (r->P.route_schema) {
        if (!r->infer && r->csv_header_done) ing_report_reject(r->P.rep, line, "rows are routed to tables from JSON input only");
        r->csv_header_done = true;
        return;
    }
    if (!r->csv_header_done) {
        if (!ing_csv_record(p, n, &r->rec, why, sizeof why)) {
            if (!r->infer) ing_report_reject(r->P.rep, line, "header: %s", why);
            return;
        }
        r->csv_header_done = true;
        bool positional = false;
        if (r->P.csv_header_auto && !r->infer && r->T->ncols) {
            /* a header names the columns; anything else is the first row of data */
            size_t named = 0;
            for (size_t i = 0; i < r->rec.n; i++) {
                sp_str nm = clean_name(r->rec.f[i].text);
                if (find_col(r, nm.p, nm.n) >= 0) named++;
            }
            positional = named == 0;
        }
        if (positional) {
            for (size_t i = 0; i < r->T->ncols; i++) {
                sp_str nm = sp_str_c(r->T->cols[i].name);
                sp_vec_push(&r->csv_names, sp_strndup(nm.p, nm.n));
                map_ent *e = resolve(r, nm);
                int idx = -1;
                for (size_t k = 0; k < r->T->ents.n; k++)
                    if (r->T->ents.v[k] == e) idx = (int)k;
                sp_vec_push(&r->csv_map, idx);
            }
            /* and this record is data (its cells are split already) */
            r->P.rep->rows_read++;
            goto data;
        }
        for (size_t i = 0; i < r->rec.n; i++) {
            sp_str nm = clean_name(r->rec.f[i].text);
            sp_vec_push(&r->csv_names, sp_strndup(nm.p, nm.n));
            if (!r->infer) {
                map_ent *e = resolve(r, nm);
                int idx = -1;
                for (size_t k = 0; k < r->T->ents.n; k++)
                    if (r->T->ents.v[k] == e) idx = (int)k;
                sp_vec_push(&r->csv_map, idx);
            }
        }
        return;
    }
    if (!r->infer) r->P.rep->rows_read++;
    if (!ing_csv_record(p, n, &r->rec, why, sizeof why)) {
        if (!r->infer) ing_report_reject(r->P.rep, line, "%s", why);
        return;
    }
data:
    if (r->rec.n > r->csv_names.n) {
        /* trailing empty cells are harmless */
        size_t k = r->rec.n;
        while (k > r->csv_names.n && r->rec.f[k - 1].text.n == 0) k--;
        if (k > r->csv_names.n) {
            if (!r->infer)
                ing_report_reject(r->P.rep, line, "%zu cells, the header has %zu", r->rec.n, r->csv_names.n);
            return;
        }
        r->rec.n = k;
    }
    if (r->infer) {
        for (size_t i = 0; i < r->rec.n; i++) {
            sp_str nm = sp_str_c(r->csv_names.v[i]);
            infer_field(r, nm, &r->rec.f[i]);
        }
        return;
    }
    if (build_row(r, r->rec.f, r->rec.n, r->csv_map.v, line)) {
        /* unknown-column counts for CSV: per cell with text */
        emit(r, line);
    }
}

/* --------------------------------------------------------- the buffer */

typedef struct {
    ing_src *src;
    char *buf;
    size_t cap, start, end;
    bool eof;
    /* splitter state, relative to start */
    size_t scan;
    bool in_str, esc;
    int depth;
    bool skipping;             /* discarding a record over the cap */
    uint64_t skip_line;
    /* json top level */
    int jstate;                /* 0 begin, 1 array, 2 stream, 3 after array */
    bool in_value;             /* json: positioned on a value */
} rbuf;

static int fill(rbuf *b, size_t maxrec, sp_err *err) {
    if (b->start > 0) {
        memmove(b->buf, b->buf + b->start, b->end - b->start);
        b->end -= b->start;
        b->start = 0;
    }
    if (b->end == b->cap) {
        size_t nc = b->cap * 2;
        if (nc > maxrec + READ_CHUNK) nc = maxrec + READ_CHUNK;
        if (nc <= b->cap) return 1;        /* full: the caller handles the over-long record */
        b->buf = sp_realloc(b->buf, nc + 1);
        b->cap = nc;
    }
    long k = ing_src_read(b->src, b->buf + b->end, b->cap - b->end, err);
    if (k < 0) return -1;
    if (k == 0) b->eof = true;
    b->end += (size_t)k;
    return 0;
}

static uint64_t count_nl(const char *p, size_t n) {
    uint64_t c = 0;
    const char *e = p + n;
    while ((p = memchr(p, '\n', (size_t)(e - p)))) c++, p++;
    return c;
}

/* Finds the end of the record starting at b->start; returns its length
 * (the terminator excluded) and the bytes to consume, or 0 if more input is needed. */
static bool split_ndjson(rbuf *b, size_t *len, size_t *consume) {
    char *s = b->buf + b->start;
    size_t avail = b->end - b->start;
    char *nl = memchr(s + b->scan, '\n', avail - b->scan);
    if (!nl) {
        b->scan = avail;
        return false;
    }
    *len = (size_t)(nl - s);
    *consume = *len + 1;
    return true;
}

/* CSV: a record ends at a newline outside quotes; a quote opens a quoted
 * cell only at the start of a cell (RFC 4180), so "a"b and 5" stay text. */
enum { CSV_START, CSV_BARE, CSV_QUOTED, CSV_QUOTE };
static bool split_csv(rbuf *b, size_t *len, size_t *consume) {
    char *s = b->buf + b->start;
    size_t avail = b->end - b->start;
    size_t i = b->scan;
    int st = b->depth;              /* the state machine's state lives in depth */
    for (; i < avail; i++) {
        char c = s[i];
        switch (st) {
        case CSV_START:
            if (c == '"') { st = CSV_QUOTED; continue; }
            st = CSV_BARE;
            /* fall through */
        case CSV_BARE:
            if (c == ',') st = CSV_START;
            else if (c == '\n') goto end;
            break;
        case CSV_QUOTED:
            if (c == '"') st = CSV_QUOTE;
            else {
                /* skip ahead to the next quote */
                char *q = memchr(s + i, '"', avail - i);
                if (!q) { i = avail - 1; break; }
                i = (size_t)(q - s);
                st = CSV_QUOTE;
            }
            break;
        case CSV_QUOTE:
            if (c == '"') st = CSV_QUOTED;          /* a doubled quote */
            else if (c == ',') st = CSV_START;
            else if (c == '\n') goto end;
            else st = CSV_BARE;                     /* text after the closing quote */
            break;
        }
    }
    b->scan = i;
    b->depth = st;
    b->in_str = st == CSV_QUOTED;
    return false;
end:
    *len = i;
    *consume = i + 1;
    b->depth = CSV_START;
    b->in_str = false;
    return true;
}

/* JSON: a top-level array of values, or values one after another. Between
 * values the splitter skips blanks and separators (reported through *off). */
static bool split_json(rbuf *b, size_t *off, size_t *len, size_t *consume, bool *done) {
    char *s = b->buf + b->start;
    size_t avail = b->end - b->start;
    size_t i = b->scan;
    *done = false;
    *off = 0;
    if (!b->in_value) {
        i = 0;
        for (;;) {
            while (i < avail && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
            if (i >= avail) { *off = i; return false; }
            if (b->jstate == 0) {
                b->jstate = s[i] == '[' ? 1 : 2;
                if (b->jstate == 1) { i++; continue; }
            }
            if (b->jstate == 1 && s[i] == ',') { i++; continue; }
            if (b->jstate == 1 && s[i] == ']') { b->jstate = 3; i++; continue; }
            break;
        }
        if (b->jstate == 3) {
            *off = i;
            *len = avail - i;
            *consume = avail;
            *done = true;
            return true;
        }
        b->in_value = true;
        b->scan = 0;
        if (i > 0) { *off = i; return false; }   /* consume the blanks, then scan */
    }
    bool str = b->in_str, esc = b->esc;
    int depth = b->depth;
    bool closed = false;
    for (; i < avail; i++) {
        char c = s[i];
        if (str) {
            if (esc) esc = false;
            else if (c == '\\') esc = true;
            else if (c == '"') str = false;
            continue;
        }
        if (c == '"') str = true;
        else if (c == '{' || c == '[') depth++;
        else if (c == '}' || c == ']') {
            if (depth == 0) { closed = true; break; }   /* a stray closer */
            depth--;
            if (depth == 0) { i++; closed = true; break; }
        } else if (depth == 0 && (c == ',' || c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
            closed = true;
            break;
        }
    }
    if (!closed) {
        b->scan = i, b->in_str = str, b->esc = esc, b->depth = depth;
        return false;
    }
    if (i == 0) i = 1;                           /* a lone ',' or ']' in a stream: one bad row */
    b->scan = 0, b->in_str = false, b->esc = false, b->depth = 0, b->in_value = false;
    *len = i;
    *consume = i;
    return true;
}

static void reject_long(ing_reader *r, uint64_t line) {
    r->P.rep->rows_read++;
    ing_report_reject(r->P.rep, line, "record longer than %zu bytes", r->P.lim.max_record_bytes);
}

static int run_pass(ing_reader *r, ing_src *src, store_format fmt, sp_err *err) {
    rbuf b = {.src = src, .cap = READ_CHUNK};
    b.buf = sp_malloc(b.cap + 1);
    size_t maxrec = r->P.lim.max_record_bytes;
    r->line = 1;
    int rc = 0;
    while (!b.eof && b.end < 3) {
        if (fill(&b, maxrec, err) < 0) { free(b.buf); return -1; }
    }
    /* a UTF-8 byte order mark before the first record */
    if (b.end >= 3 && memcmp(b.buf, "\xEF\xBB\xBF", 3) == 0) b.start = 3;
    while (!r->stop) {
        if (b.start == b.end) {
            if (b.eof) break;
            int f = fill(&b, maxrec, err);
            if (f < 0) { rc = -1; break; }
            continue;
        }
        size_t off = 0, len = 0, consume = 0;
        bool found, done = false;
        if (fmt == STORE_FMT_NDJSON) found = split_ndjson(&b, &len, &consume);
        else if (fmt == STORE_FMT_CSV) found = split_csv(&b, &len, &consume);
        else {
            found = split_json(&b, &off, &len, &consume, &done);
            if (!found && off) {
                r->line += count_nl(b.buf + b.start, off);
                b.start += off;
                continue;
            }
        }
        if (!found) {
            size_t avail = b.end - b.start;
            if (b.eof) {
                if (avail == 0) break;
                /* the last record has no terminator */
                if (fmt == STORE_FMT_JSON && (b.depth > 0 || b.in_str)) {
                    if (!b.skipping && !r->infer) {
                        r->P.rep->rows_read++;
                        ing_report_reject(r->P.rep, r->line, "unterminated JSON value at the end of the input");
                    }
                    break;
                }
                if (fmt == STORE_FMT_CSV && b.in_str) {
                    if (!b.skipping && !r->infer) {
                        r->P.rep->rows_read++;
                        ing_report_reject(r->P.rep, r->line, "unterminated quoted cell at the end of the input");
                    }
                    break;
                }
                len = avail;
                consume = avail;
            } else if (avail > maxrec) {
                /* over the cap: report once, then discard while scanning for the end */
                if (!b.skipping) {
                    b.skipping = true;
                    b.skip_line = r->line;
                    if (!r->infer) reject_long(r, r->line);
                }
                r->line += count_nl(b.buf + b.start, b.scan);
                b.start += b.scan;
                b.scan = 0;
                continue;
            } else {
                int f = fill(&b, maxrec, err);
                if (f < 0) { rc = -1; break; }
                continue;
            }
        }
        char *rec = b.buf + b.start + off;
        uint64_t line = r->line;
        /* count lines now: parsing unescapes and unquotes the record in place */
        uint64_t nl = fmt == STORE_FMT_NDJSON ? 1 : count_nl(b.buf + b.start, consume);
        if (b.skipping) {
            b.skipping = false;
        } else if (done) {
            /* after the closing ']' only blanks may follow */
            for (size_t i = 0; i < len; i++) {
                char c = rec[i];
                if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
                    if (!r->infer) {
                        r->P.rep->rows_read++;
                        ing_report_reject(r->P.rep, line + count_nl(rec, i), "text after the closing ']'");
                    }
                    break;
                }
            }
        } else if (len > maxrec) {
            if (!r->infer) reject_long(r, line);
        } else {
            /* blank lines are not rows */
            size_t k = 0;
            while (k < len && (rec[k] == ' ' || rec[k] == '\t' || rec[k] == '\r')) k++;
            if (k < len) {
                char save = rec[len];
                rec[len] = 0;
                if (fmt == STORE_FMT_CSV) do_csv_record(r, rec, len, line);
                else do_json_record(r, rec, len, line);
                rec[len] = save;
            }
        }
        r->line += nl;
        b.start += consume;
        b.scan = 0;
        if (done) {
            b.start = b.end;
            if (b.eof) break;
        }
    }
    free(b.buf);
    return rc;
}

/* --------------------------------------------------------------- driver */

int store_format_parse(const char *name) {
    if (!name || !*name || strcmp(name, "auto") == 0) return STORE_FMT_AUTO;
    if (strcmp(name, "ndjson") == 0 || strcmp(name, "jsonl") == 0 || strcmp(name, "multijson") == 0)
        return STORE_FMT_NDJSON;
    if (strcmp(name, "json") == 0) return STORE_FMT_JSON;
    if (strcmp(name, "csv") == 0) return STORE_FMT_CSV;
    return -1;
}

static bool ends_with(const char *s, const char *suf) {
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcasecmp(s + n - k, suf) == 0;
}

static store_format by_name(const char *path) {
    if (!path) return STORE_FMT_AUTO;
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    if (ends_with(tmp, ".gz")) tmp[strlen(tmp) - 3] = 0;
    if (ends_with(tmp, ".jsonl") || ends_with(tmp, ".ndjson")) return STORE_FMT_NDJSON;
    if (ends_with(tmp, ".csv")) return STORE_FMT_CSV;
    if (ends_with(tmp, ".json")) return STORE_FMT_JSON;
    return STORE_FMT_AUTO;
}

/* Content sniffing on the first bytes: '[' JSON array, '{' one object per line
 * when the first line closes it, else a JSON stream; anything else CSV. */
static store_format sniff(const char *p, size_t n) {
    size_t i = 0;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n')) i++;
    if (i >= n) return STORE_FMT_NDJSON;
    if (p[i] == '[') return STORE_FMT_JSON;
    if (p[i] == '{') {
        const char *nl = memchr(p + i, '\n', n - i);
        const char *q = p + i;
        const char *e = nl ? nl : p + n;
        if (ing_json_skip(&q, e, 0, 1000)) return STORE_FMT_NDJSON;
        return STORE_FMT_JSON;
    }
    return STORE_FMT_CSV;
}

static void target_init(ing_target *t) {
    memset(t, 0, sizeof *t);
    sp_map_init(&t->names, false);
    t->tg_col = t->ts_col = -1;
}

static void target_set_schema(ing_target *t, const kql_column_def *cols, size_t ncols) {
    t->cols = cols;
    t->ncols = ncols;
    t->row = sp_calloc(ncols ? ncols : 1, sizeof *t->row);
    t->rowset = sp_calloc(ncols ? ncols : 1, 1);
    for (size_t i = 0; i < ncols; i++) {
        if (cols[i].type != KQL_DATETIME) continue;
        if (strcmp(cols[i].name, "TimeGenerated") == 0) t->tg_col = (int)i;
        if (strcmp(cols[i].name, "Timestamp") == 0) t->ts_col = (int)i;
    }
    /* when TimeGenerated is missing, the event's own time stands for it (in this order) */
    static const char *alt[] = {"CreatedDateTime", "ActivityDateTime", "EventTime", "TimeCreated",
                                "StartTime", "CreationTime", "ReportTime", "timestamp",
                                "EventSubmissionTimestamp", "properties_createdTimeUtc"};
    for (size_t a = 0; a < SP_ARRAY_LEN(alt) && t->nalt < SP_ARRAY_LEN(t->alt_time); a++)
        for (size_t i = 0; i < ncols; i++)
            if (cols[i].type == KQL_DATETIME && strcmp(cols[i].name, alt[a]) == 0) t->alt_time[t->nalt++] = (int)i;
}

static void target_free(ing_target *t, store_ingest_report *rep) {
    for (size_t i = 0; i < t->uname.n; i++) {
        if (t->ucount.v[i]) ing_report_unknown(rep, t->uname.v[i], strlen(t->uname.v[i]), t->ucount.v[i]);
        free(t->uname.v[i]);
    }
    sp_vec_free(&t->uname);
    sp_vec_free(&t->ucount);
    for (size_t i = 0; i < t->ents.n; i++) {
        free((char *)t->ents.v[i]->name);
        free(t->ents.v[i]);
    }
    sp_vec_free(&t->ents);
    sp_vec_free(&t->pred);
    sp_map_free(&t->names);
    free(t->row);
    free(t->rowset);
    free(t->table);
}

static void reader_init(ing_reader *r, const ing_params *p) {
    memset(r, 0, sizeof *r);
    r->P = *p;
    if (!r->P.lim.max_record_bytes) r->P.lim.max_record_bytes = 16u << 20;
    if (!r->P.lim.max_fields) r->P.lim.max_fields = 4096;
    if (!r->P.lim.max_depth) r->P.lim.max_depth = 64;
    r->rec.max_fields = r->P.lim.max_fields;
    r->rec.max_depth = r->P.lim.max_depth;
    r->wrow.max_fields = r->P.lim.max_fields + 8;
    r->wrow.max_depth = r->P.lim.max_depth;
    sp_buf_init(&r->wscratch, 0);
    target_init(&r->main);
    r->T = &r->main;
    sp_map_init(&r->iname, false);
    sp_map_init(&r->fitcache, false);
    sp_arena_init(&r->arena, NULL);
}

static void reader_set_schema(ing_reader *r, const kql_column_def *cols, size_t ncols) {
    target_set_schema(&r->main, cols, ncols);
}

static void reader_reset_pass(ing_reader *r) {
    r->csv_header_done = false;
    for (size_t i = 0; i < r->csv_names.n; i++) free(r->csv_names.v[i]);
    r->csv_names.n = 0;
    r->csv_map.n = 0;
    r->main.pred.n = 0;
}

static void reader_free(ing_reader *r) {
    target_free(&r->main, r->P.rep);
    for (size_t i = 0; i < r->routed.n; i++) {
        target_free(r->routed.v[i], r->P.rep);
        free(r->routed.v[i]);
    }
    sp_vec_free(&r->routed);
    for (size_t i = 0; i < r->csv_names.n; i++) free(r->csv_names.v[i]);
    sp_vec_free(&r->csv_names);
    sp_vec_free(&r->csv_map);
    for (size_t i = 0; i < r->icols.n; i++) free(r->icols.v[i].name);
    sp_vec_free(&r->icols);
    sp_map_free(&r->iname);
    sp_map_free(&r->fitcache);
    sp_arena_free(&r->arena);
    sp_buf_free(&r->wscratch);
    free(r->rec.f);
    free(r->wrow.f);
}

/* Opens the input and settles its format (sniffing the first bytes, which
 * are read again). Inputs that cannot be opened twice (stdin, pipes) are
 * read whole into *slurp when a second pass is needed (inference). */
static ing_src *open_input(const char *path, const char *buf, size_t len, store_format *fmt,
                           char **slurp, size_t *slurplen, sp_err *err) {
    ing_src *src = path ? ing_src_file(path, err) : ing_src_mem(buf, len, err);
    if (!src) return NULL;
    if (*fmt == STORE_FMT_AUTO) *fmt = by_name(path);
    if (*fmt == STORE_FMT_AUTO) {
        const char *p;
        long n = ing_src_peek(src, &p, 65536, err);
        if (n < 0) {
            ing_src_free(src);
            return NULL;
        }
        *fmt = sniff(p, (size_t)n);
    }
    if (slurp && !ing_src_regular(src)) {
        size_t cap = 1 << 16, n = 0;
        char *p = sp_malloc(cap);
        for (;;) {
            if (n == cap) p = sp_realloc(p, cap *= 2);
            long k = ing_src_read(src, p + n, cap - n, err);
            if (k < 0) { free(p); ing_src_free(src); return NULL; }
            if (k == 0) break;
            n += (size_t)k;
        }
        ing_src_free(src);
        *slurp = p;
        *slurplen = n;
        return ing_src_mem(p, n, err);
    }
    return src;
}

int ing_run(const ing_params *p, const char *path, const char *buf, size_t len, sp_err *err) {
    ing_reader r;
    reader_init(&r, p);
    store_format fmt = p->fmt;
    bool infer = p->cols == NULL && !p->route_schema;
    char *slurp = NULL;
    size_t slurplen = 0;
    ing_src *src = open_input(path, buf, len, &fmt, infer ? &slurp : NULL, &slurplen, err);
    if (!src) {
        reader_free(&r);
        return -1;
    }
    int rc = 0;
    const char *kind = ing_src_kind(src);
    if (infer) {
        r.infer = true;
        rc = run_pass(&r, src, fmt, err);
        ing_src_free(src);
        src = NULL;
        if (rc == 0) {
            infer_finish(&r);
            reader_reset_pass(&r);
            r.infer = false;
            src = slurp ? ing_src_mem(slurp, slurplen, err) : path ? ing_src_file(path, err) : ing_src_mem(buf, len, err);
            if (!src) rc = -1;
        }
    }
    if (rc == 0) {
        if (infer) reader_set_schema(&r, p->rep->cols, p->rep->ncols);
        else reader_set_schema(&r, p->cols, p->ncols);
        r.fill_now = p->fill_now;
        rc = run_pass(&r, src, fmt, err);
    }
    snprintf(p->rep->format, sizeof p->rep->format, "%s%s",
             fmt == STORE_FMT_CSV ? "csv" : fmt == STORE_FMT_JSON ? "json" : "ndjson", kind);
    ing_src_free(src);
    free(slurp);
    reader_free(&r);
    return rc;
}

/* --------------------------------------------------------- public reads */

int store_read_buf(const char *buf, size_t len, const char *format, const kql_column_def *schema,
                   size_t ncols, store_row_fn cb, void *ctx, store_ingest_report *rep,
                   const store_limits *lim, sp_err *err) {
    int f = store_format_parse(format);
    if (f < 0) return sp_err_set(err, SP_ERR_USAGE, "bad_format", 0, 0, "unknown format '%s' (ndjson, json, csv)", format);
    ing_params p = {.cols = schema, .ncols = ncols, .fmt = (store_format)f, .cb = cb, .ctx = ctx, .rep = rep};
    if (lim) p.lim = *lim;
    return ing_run(&p, NULL, buf, len, err);
}

int store_read_file(const char *path, const char *format, const kql_column_def *schema, size_t ncols,
                    store_row_fn cb, void *ctx, store_ingest_report *rep, sp_err *err) {
    int f = store_format_parse(format);
    if (f < 0) return sp_err_set(err, SP_ERR_USAGE, "bad_format", 0, 0, "unknown format '%s' (ndjson, json, csv)", format);
    ing_params p = {.cols = schema, .ncols = ncols, .fmt = (store_format)f, .cb = cb, .ctx = ctx, .rep = rep};
    return ing_run(&p, path, NULL, 0, err);
}
