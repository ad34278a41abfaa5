/* Incidents: grouping alerts, and SecurityIncident rows as Sentinel writes
 * them — one full snapshot per update (New -> Active -> Closed, owner, comments). */
#include "demo_int.h"

#include <stdio.h>
#include <stdlib.h>

#define INCIDENT_BASE 1040   /* the workspace's first incident number in the window */

demo_incident *demo_incident_new(demo_ctx *c, const char *title, const char *severity,
                                 int64_t created) {
    demo_incident *inc = sp_calloc(1, sizeof *inc);
    inc->title = title;
    inc->severity = severity;
    inc->created = created;
    inc->owner = -1;
    inc->closer = -1;
    inc->provider = "Microsoft XDR";
    sp_vec_push(&c->incidents, inc);
    return inc;
}

void demo_incident_add_alert(demo_ctx *c, demo_incident *inc, demo_alert *a) {
    if (inc->nalerts >= (int)SP_ARRAY_LEN(inc->alerts)) return;
    int idx = -1;
    for (size_t i = 0; i < c->alerts.n; i++)
        if (c->alerts.v[i] == a) idx = (int)i;
    int me = -1;
    for (size_t i = 0; i < c->incidents.n; i++)
        if (c->incidents.v[i] == inc) me = (int)i;
    if (idx < 0 || me < 0) return;
    inc->alerts[inc->nalerts++] = idx;
    a->incident = me;
    if (a->source == SRC_SENTINEL) inc->provider = "Azure Sentinel";
}

void demo_incident_comment(demo_incident *inc, int64_t t, int author, const char *text) {
    if (inc->ncomments < (int)SP_ARRAY_LEN(inc->comments))
        inc->comments[inc->ncomments++] = (demo_comment){t, author, text};
}

void demo_incident_label(demo_incident *inc, const char *name, bool user) {
    if (inc->nlabels < (int)SP_ARRAY_LEN(inc->labels)) {
        inc->labels[inc->nlabels] = name;
        inc->label_types[inc->nlabels++] = user ? "User" : "AutoAssigned";
    }
}

/* ------------------------------------------------------------- snapshots */

typedef struct upd {
    int64_t t;
    int kind;        /* 0 created, 1 alert added, 2 assigned, 3 active, 4 comment, 5 closed */
    int arg;
} upd;

static int cmp_upd(const void *x, const void *y) {
    const upd *a = x, *b = y;
    if (a->t != b->t) return a->t < b->t ? -1 : 1;
    return a->kind - b->kind;
}

static void put_owner(demo_ctx *c, sp_buf *b, int owner) {
    if (owner < 0) {
        sp_buf_puts(b, "{\"objectId\":null,\"email\":null,\"assignedTo\":null,\"userPrincipalName\":null}");
        return;
    }
    const demo_user *u = &c->org.users[owner];
    sp_buf_printf(b, "{\"objectId\":\"%s\",\"email\":\"%s\",\"assignedTo\":", u->object_id, u->mail);
    jb_str(b, u->display);
    sp_buf_puts(b, ",\"userPrincipalName\":");
    jb_str(b, u->upn);
    sp_buf_putc(b, '}');
}

static bool in_list(const char *const *v, int n, const char *s) {
    for (int i = 0; i < n; i++)
        if (!strcmp(v[i], s)) return true;
    return false;
}

static void write_snapshot(demo_ctx *c, const demo_incident *inc, int64_t t, const char *status,
                           int owner, int nalerts_seen, int ncomments, bool closed,
                           const char *modified_by, int64_t first_modified) {
    sp_buf *b = &c->tmp;
    int64_t first_act = INT64_MAX, last_act = 0;
    for (int i = 0; i < nalerts_seen; i++) {
        const demo_alert *a = c->alerts.v[inc->alerts[i]];
        if (a->start < first_act) first_act = a->start;
        if (a->end > last_act) last_act = a->end;
    }
    if (first_act == INT64_MAX) first_act = last_act = inc->created;

    dj_begin(c, "SecurityIncident");
    dj_t(c, "TimeGenerated", t);
    dj_s(c, "IncidentName", inc->name);
    dj_s(c, "Title", inc->title);
    dj_s(c, "Description", inc->desc);
    dj_s(c, "Severity", inc->severity);
    dj_s(c, "Status", status);
    if (closed) {
        dj_s(c, "Classification", inc->classification);
        dj_s(c, "ClassificationComment", inc->class_comment);
        dj_s(c, "ClassificationReason", inc->reason);
    }
    sp_buf_reset(b);
    put_owner(c, b, owner);
    dj_raw(c, "Owner", b->p, b->n);
    dj_s(c, "ProviderName", inc->provider);
    dj_s(c, "ProviderIncidentId", inc->provider_id);
    dj_t(c, "FirstActivityTime", first_act);
    dj_t(c, "LastActivityTime", last_act);
    if (first_modified) dj_t(c, "FirstModifiedTime", first_modified);
    dj_t(c, "LastModifiedTime", t);
    dj_t(c, "CreatedTime", inc->created);
    if (closed) dj_t(c, "ClosedTime", inc->closed_at);
    dj_i(c, "IncidentNumber", inc->number);

    /* RelatedAnalyticRuleIds, AlertIds. */
    sp_buf_reset(b);
    sp_buf_putc(b, '[');
    int nr = 0;
    const char *rules[32];
    for (int i = 0; i < nalerts_seen; i++) {
        const demo_alert *a = c->alerts.v[inc->alerts[i]];
        const char *rid = a->source == SRC_SENTINEL ? (a->rule_id ? a->rule_id : a->vendor_id)
                                                    : inc->rule_id;
        if (rid && !in_list(rules, nr, rid)) {
            if (nr) sp_buf_putc(b, ',');
            rules[nr++] = rid;
            sp_buf_printf(b, "\"%s\"", rid);
        }
    }
    sp_buf_putc(b, ']');
    dj_raw(c, "RelatedAnalyticRuleIds", b->p, b->n);
    sp_buf_reset(b);
    sp_buf_putc(b, '[');
    for (int i = 0; i < nalerts_seen; i++) {
        if (i) sp_buf_putc(b, ',');
        sp_buf_printf(b, "\"%s\"", c->alerts.v[inc->alerts[i]]->system_id);
    }
    sp_buf_putc(b, ']');
    dj_raw(c, "AlertIds", b->p, b->n);
    dj_raw(c, "BookmarkIds", "[]", 2);

    sp_buf_reset(b);
    sp_buf_putc(b, '[');
    for (int i = 0; i < ncomments; i++) {
        const demo_comment *cm = &inc->comments[i];
        char ts[32];
        demo_fmt_time(cm->t, ts);
        if (i) sp_buf_putc(b, ',');
        sp_buf_puts(b, "{\"message\":");
        jb_str(b, cm->text);
        sp_buf_printf(b, ",\"createdTimeUtc\":\"%s\",\"lastModifiedTimeUtc\":\"%s\",\"author\":"
                         "{\"objectId\":\"%s\",\"email\":\"%s\",\"name\":",
                      ts, ts, c->org.users[cm->author].object_id, c->org.users[cm->author].mail);
        jb_str(b, c->org.users[cm->author].upn);
        sp_buf_puts(b, ",\"userPrincipalName\":");
        jb_str(b, c->org.users[cm->author].upn);
        sp_buf_puts(b, "}}");
    }
    sp_buf_putc(b, ']');
    dj_raw(c, "Comments", b->p, b->n);
    dj_raw(c, "Tasks", "[]", 2);

    sp_buf_reset(b);
    sp_buf_putc(b, '[');
    for (int i = 0; i < inc->nlabels; i++) {
        if (i) sp_buf_putc(b, ',');
        sp_buf_puts(b, "{\"labelName\":");
        jb_str(b, inc->labels[i]);
        sp_buf_printf(b, ",\"labelType\":\"%s\"}", inc->label_types[i]);
    }
    sp_buf_putc(b, ']');
    dj_raw(c, "Labels", b->p, b->n);
    dj_sf(c, "IncidentUrl", "https://portal.azure.com/#asset/Microsoft_Azure_Security_Insights/Incident/subscriptions/%s/resourceGroups/%s/providers/Microsoft.OperationalInsights/workspaces/%s/providers/Microsoft.SecurityInsights/Incidents/%s",
          DEMO_SUBSCRIPTION, DEMO_WORKSPACE_RG, DEMO_WORKSPACE, inc->name);

    /* AdditionalData: counts, products, tactics and techniques of the alerts. */
    const char *products[16], *tactics[24], *techs[32];
    int np = 0, ntac = 0, ntech = 0;
    for (int i = 0; i < nalerts_seen; i++) {
        const demo_alert *a = c->alerts.v[inc->alerts[i]];
        const char *p = demo_source_product(a->source);
        if (np < 16 && !in_list(products, np, p)) products[np++] = p;
        const char *s = a->tactics ? a->tactics : "";
        while (*s && ntac < 24) {
            size_t k = strcspn(s, ",");
            char *one = demo_strf(c, "%.*s", (int)k, s);
            if (*one && !in_list(tactics, ntac, one)) tactics[ntac++] = one;
            s += k;
            while (*s == ',' || *s == ' ') s++;
        }
        s = a->techniques ? a->techniques : "";
        while (*s && ntech < 32) {
            size_t k = strcspn(s, ",.");
            char *one = demo_strf(c, "%.*s", (int)k, s);
            if (*one && !in_list(techs, ntech, one)) techs[ntech++] = one;
            s += strcspn(s, ",");
            while (*s == ',' || *s == ' ') s++;
        }
    }
    sp_buf_reset(b);
    sp_buf_printf(b, "{\"alertsCount\":%d,\"bookmarksCount\":0,\"commentsCount\":%d,\"alertProductNames\":[",
                  nalerts_seen, ncomments);
    for (int i = 0; i < np; i++) sp_buf_printf(b, "%s\"%s\"", i ? "," : "", products[i]);
    sp_buf_puts(b, "],\"tactics\":[");
    for (int i = 0; i < ntac; i++) sp_buf_printf(b, "%s\"%s\"", i ? "," : "", tactics[i]);
    sp_buf_puts(b, "],\"techniques\":[");
    for (int i = 0; i < ntech; i++) sp_buf_printf(b, "%s\"%s\"", i ? "," : "", techs[i]);
    sp_buf_printf(b, "],\"providerIncidentUrl\":\"https://security.microsoft.com/incidents/%s?tid=%s\"}",
                  inc->provider_id, DEMO_TENANT_ID);
    dj_raw(c, "AdditionalData", b->p, b->n);
    dj_s(c, "ModifiedBy", modified_by);
    dj_s(c, "SourceSystem", !strcmp(inc->provider, "Azure Sentinel") ? "Azure" : "Microsoft XDR");
    dj_end(c);
}

static int cmp_created(const void *x, const void *y) {
    const demo_incident *a = *(demo_incident *const *)x, *b = *(demo_incident *const *)y;
    if (a->created != b->created) return a->created < b->created ? -1 : 1;
    return strcmp(a->title, b->title);
}

int demo_incidents_write(demo_ctx *c) {
    /* Number incidents by creation time. */
    size_t n = c->incidents.n;
    demo_incident **order = sp_malloc((n ? n : 1) * sizeof *order);
    memcpy(order, c->incidents.v, n * sizeof *order);
    qsort(order, n, sizeof *order, cmp_created);
    int number = INCIDENT_BASE;
    for (size_t i = 0; i < n; i++) {
        demo_incident *inc = order[i];
        if (!demo_in_window(c, inc->created) || inc->nalerts == 0) continue;
        inc->number = number++;
        demo_rng r;
        demo_rng_seed(&r, c->opt.seed, "incident", (uint64_t)inc->number);
        demo_guid(&r, inc->name);
        snprintf(inc->provider_id, sizeof inc->provider_id, "%d",
                 !strcmp(inc->provider, "Azure Sentinel") ? inc->number : inc->number + 3960);
    }

    for (size_t i = 0; i < n; i++) {
        demo_incident *inc = order[i];
        if (!inc->number) continue;
        /* Sort alerts by time so the snapshots grow in order. */
        for (int x = 1; x < inc->nalerts; x++)
            for (int y = x; y > 0 && c->alerts.v[inc->alerts[y]]->time <
                                      c->alerts.v[inc->alerts[y - 1]]->time; y--) {
                int tmp = inc->alerts[y];
                inc->alerts[y] = inc->alerts[y - 1];
                inc->alerts[y - 1] = tmp;
            }
        upd u[64];
        int nu = 0;
        u[nu++] = (upd){inc->created, 0, 0};
        for (int k = 1; k < inc->nalerts; k++) {
            int64_t at = c->alerts.v[inc->alerts[k]]->time + 90 * DEMO_SEC;
            u[nu++] = (upd){at > inc->created ? at : inc->created + DEMO_SEC, 1, k};
        }
        if (inc->owner >= 0 && inc->assigned_at) u[nu++] = (upd){inc->assigned_at, 2, 0};
        if (inc->active_at) u[nu++] = (upd){inc->active_at, 3, 0};
        for (int k = 0; k < inc->ncomments; k++) u[nu++] = (upd){inc->comments[k].t, 4, k};
        if (inc->closed_at) u[nu++] = (upd){inc->closed_at, 5, 0};
        qsort(u, (size_t)nu, sizeof *u, cmp_upd);

        int seen = 1, ncom = 0, owner = -1;
        const char *status = "New";
        bool closed = false;
        int64_t first_mod = 0;
        bool xdr = !strcmp(inc->provider, "Microsoft XDR");
        for (int k = 0; k < nu; k++) {
            if (!demo_in_window(c, u[k].t)) continue;
            const char *by = xdr ? "Microsoft 365 Defender" : "Azure Sentinel";
            switch (u[k].kind) {
            case 1: seen = u[k].arg + 1; break;
            case 2: owner = inc->owner; by = c->org.users[inc->owner].upn; break;
            case 3:
                status = "Active";
                by = c->org.users[inc->owner >= 0 ? inc->owner : c->org.analysts[0]].upn;
                if (owner < 0 && inc->owner >= 0) owner = inc->owner;
                break;
            case 4: ncom = u[k].arg + 1; by = c->org.users[inc->comments[u[k].arg].author].upn; break;
            case 5:
                status = "Closed";
                closed = true;
                by = c->org.users[inc->closer >= 0 ? inc->closer
                                  : inc->owner >= 0 ? inc->owner : c->org.analysts[0]].upn;
                if (owner < 0 && inc->owner >= 0) owner = inc->owner;
                break;
            default: break;
            }
            if (k > 0 && !first_mod) first_mod = u[k].t;
            write_snapshot(c, inc, u[k].t, status, owner, seen, ncom, closed, by,
                           k > 0 ? first_mod : 0);
        }
    }
    free(order);
    return c->failed ? -1 : 0;
}

/* ------------------------------------------------------------- lifecycle */

static const char *const TRIAGE[] = {
    "Triaging: reviewing the sign-in and device timeline.",
    "Reached out to the user on Teams, waiting for a reply.",
    "Pulled the related alerts and evidence; no lateral movement seen so far.",
    "Escalated to Tier 2 for a deeper look.",
    "Checked the IP reputation and the user's recent activity.",
    "Correlated with the change calendar; looking for a matching ticket.",
};
static const char *const CLOSE_TP[] = {
    "Confirmed malicious. Credentials reset, sessions revoked, device scanned clean.",
    "True positive: file quarantined by AV, device re-scanned, user briefed.",
    "Confirmed; containment done and lessons-learned ticket opened.",
};
static const char *const CLOSE_BP[] = {
    "Benign: the user was travelling and confirmed the sign-in.",
    "Expected activity: IT admin maintenance under an approved change.",
    "Authorised penetration test traffic from the vendor's range.",
};
static const char *const CLOSE_FP[] = {
    "False positive: detection fired on a legitimate software update. Tuning request raised.",
    "False positive: the rule matched our own VPN egress range.",
    "Not malicious; the alert logic does not account for the backup job.",
};

void demo_incident_lifecycle(demo_ctx *c, demo_incident *inc, demo_rng *r, const char *want,
                             const char *classification) {
    int64_t age = c->now - inc->created;
    const char *status = want;
    if (!status) {
        double x = demo_rng_unit(r);
        if (age < 8 * DEMO_HOUR) status = x < 0.5 ? "New" : x < 0.85 ? "Active" : "Closed";
        else if (age < 3 * DEMO_DAY) status = x < 0.2 ? "New" : x < 0.6 ? "Active" : "Closed";
        else status = x < 0.06 ? "New" : x < 0.2 ? "Active" : "Closed";
    }
    int analyst = c->org.analysts[demo_rng_below(r, (uint32_t)c->org.nanalysts)];
    /* Some new incidents are not assigned to anyone yet. */
    bool assign = strcmp(status, "New") != 0 || demo_rng_chance(r, 0.45);
    if (assign && inc->owner < 0) inc->owner = analyst;
    int64_t span = SP_MIN(age, 6 * DEMO_HOUR);
    if (span < 4 * DEMO_MIN) span = 4 * DEMO_MIN;
    if (inc->owner >= 0 && !inc->assigned_at)
        inc->assigned_at = inc->created + DEMO_MIN + (int64_t)(demo_rng_unit(r) * (double)span * 0.3);
    if (strcmp(status, "New") != 0 && !inc->active_at)
        inc->active_at = inc->assigned_at + DEMO_MIN + (int64_t)(demo_rng_unit(r) * (double)span * 0.3);
    if (!strcmp(status, "Closed") && !inc->closed_at) {
        int64_t room = c->now - inc->active_at - DEMO_MIN;
        int64_t want_len = (int64_t)(demo_rng_unit(r) * 40.0 * (double)DEMO_HOUR) + 20 * DEMO_MIN;
        inc->closed_at = inc->active_at + SP_MIN(want_len, room > DEMO_MIN ? room : DEMO_MIN);
    }
    if (inc->ncomments == 0 && inc->owner >= 0 && inc->active_at && demo_rng_chance(r, 0.7)) {
        int64_t t = inc->active_at + 3 * DEMO_MIN;
        demo_incident_comment(inc, t, inc->owner, DEMO_PICK(r, TRIAGE));
        if (demo_rng_chance(r, 0.35))
            demo_incident_comment(inc, t + 25 * DEMO_MIN, inc->owner, DEMO_PICK(r, TRIAGE));
    }
    if (inc->closed_at) {
        if (!inc->classification) {
            const char *cls = classification;
            if (!cls) {
                double x = demo_rng_unit(r);
                cls = x < 0.35 ? "TruePositive" : x < 0.6 ? "BenignPositive"
                      : x < 0.9 ? "FalsePositive" : "Undetermined";
            }
            inc->classification = cls;
        }
        const char *cls = inc->classification;
        if (!inc->reason)
            inc->reason = !strcmp(cls, "TruePositive") ? "SuspiciousActivity"
                          : !strcmp(cls, "BenignPositive") ? "SuspiciousButExpected"
                          : !strcmp(cls, "FalsePositive") ? (demo_rng_chance(r, 0.7) ? "IncorrectAlertLogic" : "InaccurateData")
                                                          : NULL;
        if (!inc->class_comment)
            inc->class_comment = !strcmp(cls, "TruePositive") ? DEMO_PICK(r, CLOSE_TP)
                                 : !strcmp(cls, "BenignPositive") ? DEMO_PICK(r, CLOSE_BP)
                                 : !strcmp(cls, "FalsePositive") ? DEMO_PICK(r, CLOSE_FP)
                                 : "Undetermined: not enough data to decide; no further activity seen.";
        if (inc->closer < 0)
            inc->closer = demo_rng_chance(r, 0.85) ? inc->owner : c->org.analysts[0];
        if (inc->ncomments < 5 && inc->owner >= 0)
            demo_incident_comment(inc, inc->closed_at - 2 * DEMO_MIN, inc->owner, inc->class_comment);
    }
}
