/* The driver: sets up the context (clock, window, org), runs the background
 * generators, the stories and intel, then writes alerts, incidents and ground truth. */
#include "demo_int.h"

#include <stdlib.h>

static const char *const TABLES[] = {
    "IdentityInfo", "DeviceInfo", "SigninLogs", "AuditLogs", "DeviceProcessEvents",
    "DeviceNetworkEvents", "DeviceFileEvents", "DeviceLogonEvents", "DeviceRegistryEvents",
    "DeviceEvents", "EmailEvents", "EmailUrlInfo", "EmailAttachmentInfo", "UrlClickEvents",
    "OfficeActivity", "SecurityEvent", "CommonSecurityLog", "DeviceTvmSoftwareVulnerabilities",
    "ThreatIntelligenceIndicator", "SecurityAlert", "AlertInfo", "AlertEvidence",
    "SecurityIncident", NULL,
};

const char *const *demo_tables(void) { return TABLES; }

static const demo_column EXTRA[] = {
    {"IdentityInfo", "Timestamp", "datetime"},
};

const demo_column *demo_extra_columns(size_t *n) {
    *n = SP_ARRAY_LEN(EXTRA);
    return EXTRA;
}

static void free_ctx(demo_ctx *c) {
    for (size_t i = 0; i < c->alerts.n; i++) free(c->alerts.v[i]);
    for (size_t i = 0; i < c->incidents.n; i++) free(c->incidents.v[i]);
    for (size_t i = 0; i < c->stories.n; i++) free(c->stories.v[i]);
    sp_vec_free(&c->alerts);
    sp_vec_free(&c->incidents);
    sp_vec_free(&c->stories);
    sp_buf_free(&c->row);
    sp_buf_free(&c->tmp);
    sp_arena_free(&c->arena);
    demo_org_free(&c->org);
    free(c);
}

int demo_generate(const demo_options *opt, const demo_sink *sink, sp_buf *ground_truth,
                  demo_stats *stats, sp_err *err) {
    double t0 = sp_mono_ms();
    if (!sink || !sink->row)
        return sp_err_set(err, SP_ERR_USAGE, "usage", 0, 0, "demo: no sink"), -1;
    if (opt->scale < 0 || opt->scale > 10000)
        return sp_err_set(err, SP_ERR_USAGE, "usage", 0, 0, "demo: scale must be in (0, 10000]"), -1;
    if (opt->days < 0 || (opt->days && opt->days < 14) || opt->days > 365)
        return sp_err_set(err, SP_ERR_USAGE, "usage", 0, 0,
                          "demo: days must be in [14, 365] (the oldest story starts 13 days back)"), -1;

    demo_ctx *c = sp_calloc(1, sizeof *c);
    c->opt = *opt;
    c->sink = sink;
    c->err = err;
    c->stats = stats;
    if (stats) memset(stats, 0, sizeof *stats);
    c->scale = opt->scale > 0 ? opt->scale : 1.0;
    c->days = opt->days > 0 ? opt->days : 30;
    int64_t now = opt->now ? opt->now : sp_now_ticks();
    now -= now % SP_TICKS_PER_MS;
    c->now = now;
    c->today = now - (now % DEMO_DAY + DEMO_DAY) % DEMO_DAY;
    c->start = now - (int64_t)c->days * DEMO_DAY;
    c->opt.now = now;
    sp_arena_init(&c->arena, NULL);
    sp_buf_init(&c->row, 0);
    sp_buf_init(&c->tmp, 0);
    demo_org_build(&c->org, opt->seed, now);
    demo_plan_make(c);

    /* Inventory and everyday activity, each generator over the whole window. */
    demo_bg_inventory(c);
    demo_bg_signin(c);
    demo_bg_audit(c);
    demo_bg_process(c);
    demo_bg_network(c);
    demo_bg_file(c);
    demo_bg_logon(c);
    demo_bg_registry(c);
    demo_bg_email(c);
    demo_bg_office(c);
    demo_bg_secevent(c);
    demo_bg_cef(c);
    demo_bg_tvm(c);

    /* The attack stories, the everyday detections, and threat intel. */
    demo_story_bec(c);
    demo_story_spray(c);
    demo_story_mfa_fatigue(c);
    demo_story_ransomware(c);
    demo_story_exfil(c);
    demo_story_cve(c);
    demo_bg_detections(c);
    demo_intel(c);

    demo_incidents_write(c);   /* numbers incidents first: alerts carry the number */
    demo_alerts_write(c);
    if (ground_truth && !c->failed) demo_ground_truth(c, ground_truth);

    int rc = c->failed ? -1 : 0;
    if (rc == 0 && sink->end && sink->end(sink->ctx) != 0) {
        sp_err_set(err, SP_ERR_IO, "sink", 0, 0, "demo: the sink failed at the end");
        rc = -1;
    }
    if (stats) stats->elapsed_ms = sp_mono_ms() - t0;
    free_ctx(c);
    return rc;
}
