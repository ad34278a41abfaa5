/* ground-truth.json: what each story did, to whom, when, with which techniques,
 * and the alerts and incidents it raised — the answer key for tests and demos. */
#include "demo_int.h"

#include <stdio.h>

demo_story *demo_story_new(demo_ctx *c, const char *key, const char *title) {
    demo_story *s = sp_calloc(1, sizeof *s);
    s->key = key;
    s->title = title;
    sp_vec_push(&c->stories, s);
    return s;
}

void demo_story_fact(demo_ctx *c, demo_story *s, const char *name, const char *value) {
    (void)c;
    if (s->nkv < DEMO_GT_MAX) {
        s->kv[s->nkv][0] = name;
        s->kv[s->nkv++][1] = value;
    }
}

void demo_story_event(demo_ctx *c, demo_story *s, int64_t t, const char *table, const char *what) {
    if (s->nevents >= DEMO_GT_MAX) return;
    char ts[32];
    demo_fmt_time(t, ts);
    s->events[s->nevents][0] = sp_arena_strdup(&c->arena, ts);
    s->events[s->nevents][1] = table;
    s->events[s->nevents++][2] = what;
    if (!s->begin || t < s->begin) s->begin = t;
    if (t > s->end) s->end = t;
}

static const char *incident_status(const demo_ctx *c, const demo_incident *inc) {
    if (inc->closed_at && inc->closed_at <= c->now) return "Closed";
    if (inc->active_at && inc->active_at <= c->now) return "Active";
    return "New";
}

void demo_ground_truth(demo_ctx *c, sp_buf *out) {
    char ts[32];
    sp_buf_reset(out);
    sp_buf_printf(out, "{\n  \"generator\": \"secpilot demo\",\n  \"seed\": %llu,\n",
                  (unsigned long long)c->opt.seed);
    demo_fmt_time(c->now, ts);
    sp_buf_printf(out, "  \"now\": \"%s\",\n", ts);
    demo_fmt_time(c->start, ts);
    sp_buf_printf(out, "  \"window_start\": \"%s\",\n  \"scale\": %g,\n", ts, c->scale);
    sp_buf_printf(out, "  \"tenant\": {\"TenantId\": \"%s\", \"domain\": \"%s\", \"users\": %d, \"devices\": %d},\n",
                  DEMO_TENANT_ID, DEMO_DOMAIN, c->org.nusers, c->org.ndevices);
    sp_buf_puts(out, "  \"stories\": [");
    for (size_t i = 0; i < c->stories.n; i++) {
        const demo_story *s = c->stories.v[i];
        sp_buf_puts(out, i ? ",\n    {" : "\n    {");
        sp_buf_puts(out, "\"key\": ");
        jb_str(out, s->key);
        sp_buf_puts(out, ", \"title\": ");
        jb_str(out, s->title);
        sp_buf_puts(out, ",\n      \"summary\": ");
        jb_str(out, s->summary);
        demo_fmt_time(s->begin, ts);
        sp_buf_printf(out, ",\n      \"begin\": \"%s\"", ts);
        demo_fmt_time(s->end, ts);
        sp_buf_printf(out, ", \"end\": \"%s\",\n      \"techniques\": [", ts);
        const char *p = s->techniques ? s->techniques : "";
        int k = 0;
        while (*p) {
            while (*p == ',' || *p == ' ') p++;
            size_t n = strcspn(p, ", ");
            if (!n) break;
            sp_buf_printf(out, "%s\"%.*s\"", k++ ? ", " : "", (int)n, p);
            p += n;
        }
        sp_buf_puts(out, "],\n      \"facts\": {");
        for (int j = 0; j < s->nkv; j++) {
            sp_buf_puts(out, j ? ", " : "");
            jb_str(out, s->kv[j][0]);
            sp_buf_puts(out, ": ");
            jb_str(out, s->kv[j][1]);
        }
        sp_buf_puts(out, "},\n      \"timeline\": [");
        for (int j = 0; j < s->nevents; j++) {
            sp_buf_puts(out, j ? ",\n        " : "\n        ");
            sp_buf_printf(out, "{\"time\": \"%s\", \"table\": ", s->events[j][0]);
            jb_str(out, s->events[j][1]);
            sp_buf_puts(out, ", \"what\": ");
            jb_str(out, s->events[j][2]);
            sp_buf_putc(out, '}');
        }
        sp_buf_puts(out, "],\n      \"alerts\": [");
        k = 0;
        for (size_t j = 0; j < c->alerts.n; j++) {
            const demo_alert *a = c->alerts.v[j];
            if (!a->story || strcmp(a->story, s->key) || !demo_in_window(c, a->time)) continue;
            demo_fmt_time(a->time, ts);
            sp_buf_puts(out, k++ ? ",\n        " : "\n        ");
            sp_buf_printf(out, "{\"SystemAlertId\": \"%s\", \"VendorOriginalId\": \"%s\", \"AlertName\": ",
                          a->system_id, a->vendor_id);
            jb_str(out, a->name);
            sp_buf_printf(out, ", \"Severity\": \"%s\", \"ProductName\": \"%s\", \"TimeGenerated\": \"%s\"}",
                          a->severity, demo_source_product(a->source), ts);
        }
        sp_buf_puts(out, "],\n      \"incidents\": [");
        k = 0;
        for (size_t j = 0; j < c->incidents.n; j++) {
            const demo_incident *inc = c->incidents.v[j];
            if (!inc->story || strcmp(inc->story, s->key) || !inc->number) continue;
            demo_fmt_time(inc->created, ts);
            sp_buf_puts(out, k++ ? ",\n        " : "\n        ");
            sp_buf_printf(out, "{\"IncidentNumber\": %d, \"Title\": ", inc->number);
            jb_str(out, inc->title);
            sp_buf_printf(out, ", \"Severity\": \"%s\", \"Status\": \"%s\", \"CreatedTime\": \"%s\", \"AlertCount\": %d",
                          inc->severity, incident_status(c, inc), ts, inc->nalerts);
            if (inc->owner >= 0) {
                sp_buf_puts(out, ", \"Owner\": ");
                jb_str(out, c->org.users[inc->owner].upn);
            }
            if (inc->classification && inc->closed_at <= c->now) {
                sp_buf_puts(out, ", \"Classification\": ");
                jb_str(out, inc->classification);
            }
            sp_buf_putc(out, '}');
        }
        sp_buf_puts(out, "]}");
    }
    int nbg_inc = 0, nbg_alerts = 0;
    for (size_t j = 0; j < c->incidents.n; j++)
        if (!c->incidents.v[j]->story && c->incidents.v[j]->number) nbg_inc++;
    for (size_t j = 0; j < c->alerts.n; j++)
        if (!c->alerts.v[j]->story && demo_in_window(c, c->alerts.v[j]->time)) nbg_alerts++;
    sp_buf_printf(out, "\n  ],\n  \"background\": {\"incidents\": %d, \"alerts\": %d}\n}\n",
                  nbg_inc, nbg_alerts);
}
