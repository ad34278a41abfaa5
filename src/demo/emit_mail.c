/* Emitters for the Defender for Office 365 tables: EmailEvents with its URL and
 * attachment rows, and UrlClickEvents, sharing one NetworkMessageId per mail. */
#include "demo_int.h"

#include <stdio.h>

static const char *domain_of(const char *addr) {
    const char *at = addr ? strchr(addr, '@') : NULL;
    return at ? at + 1 : NULL;
}

static bool internal(const char *addr) {
    const char *d = domain_of(addr);
    return d && !strcasecmp(d, DEMO_DOMAIN);
}

const char *demo_email(demo_ctx *c, demo_rng *r, const dm_email *e) {
    const demo_org *o = &c->org;
    const demo_user *to = e->to >= 0 ? &o->users[e->to] : NULL;
    const demo_user *from = e->from >= 0 ? &o->users[e->from] : NULL;
    const char *to_addr = to ? to->mail : e->to_addr;
    const char *from_addr = from ? from->mail : e->from_addr;
    const char *nmid = e->nmid;
    if (!nmid) {
        demo_guid(r, c->nmid);
        nmid = c->nmid;
    }
    if (!demo_in_window(c, e->t)) return nmid;
    const char *direction = e->direction;
    if (!direction) {
        bool fi = internal(from_addr), ti = internal(to_addr);
        direction = fi && ti ? "Intra-org" : fi ? "Outbound" : "Inbound";
    }
    const char *action = e->action ? e->action : "Delivered";
    const char *location = e->location ? e->location
                           : !strcmp(direction, "Outbound") ? "On-premises/External"
                           : !strcmp(action, "Blocked") ? "Quarantine"
                           : !strcmp(action, "Junked") ? "Junk folder" : "Inbox/Folder";
    char imid[96];
    char h[17];
    demo_hex(r, h, 16);
    snprintf(imid, sizeof imid, "<%s.%s@%s>", h, nmid + 24, domain_of(from_addr) ? domain_of(from_addr) : "mail");
    sp_buf *b = &c->tmp;

    dj_begin(c, "EmailEvents");
    dj_ts(c, e->t);
    dj_s(c, "NetworkMessageId", nmid);
    dj_s(c, "InternetMessageId", imid);
    const char *mailfrom = e->mailfrom_addr ? e->mailfrom_addr : from_addr;
    dj_s(c, "SenderMailFromAddress", mailfrom);
    dj_s(c, "SenderFromAddress", from_addr);
    dj_s(c, "SenderDisplayName", from ? from->display : e->from_display);
    dj_s(c, "SenderObjectId", from ? from->object_id : NULL);
    dj_s(c, "SenderMailFromDomain", domain_of(mailfrom));
    dj_s(c, "SenderFromDomain", domain_of(from_addr));
    dj_s(c, "SenderIPv4", e->sender_ip ? e->sender_ip : from ? "10.10.1.21" : NULL);
    dj_s(c, "RecipientEmailAddress", to_addr);
    dj_s(c, "RecipientObjectId", to ? to->object_id : NULL);
    dj_s(c, "Subject", e->subject);
    dj_i(c, "EmailClusterId", (int64_t)(sp_hash_bytes(e->subject, strlen(e->subject), 3) >> 20));
    dj_s(c, "EmailDirection", direction);
    dj_s(c, "DeliveryAction", action);
    dj_s(c, "DeliveryLocation", location);
    dj_s(c, "ThreatTypes", e->threats);
    dj_s(c, "ThreatNames", e->threat_names);
    dj_s(c, "DetectionMethods", e->detection);
    dj_s(c, "ConfidenceLevel", e->confidence ? e->confidence
                               : e->threats ? NULL : "{\"Phish\":null,\"Spam\":\"Normal\"}");
    dj_i(c, "BulkComplaintLevel", e->bcl);
    if (e->policy) {
        dj_s(c, "EmailAction", !strcmp(action, "Blocked") ? "Send to quarantine"
                               : !strcmp(action, "Junked") ? "Move message to junk mail folder"
                                                           : "No action taken");
        dj_s(c, "EmailActionPolicy", e->policy);
        char pg[37];
        demo_guid_of(e->policy, pg);
        dj_s(c, "EmailActionPolicyGuid", pg);
    }
    sp_buf_reset(b);
    if (!strcmp(direction, "Inbound")) {
        sp_buf_printf(b, "{\"SPF\":\"%s\",\"DKIM\":\"%s\",\"DMARC\":\"%s\",\"CompAuth\":\"%s\"}",
                      e->spf ? e->spf : "pass", e->dkim ? e->dkim : "pass",
                      e->dmarc ? e->dmarc : "pass", e->compauth ? e->compauth : "pass");
    } else {
        sp_buf_puts(b, "{\"SPF\":\"pass\",\"DKIM\":\"pass\",\"DMARC\":\"pass\",\"CompAuth\":\"pass\"}");
    }
    dj_jstr(c, "AuthenticationDetails", b);
    dj_i(c, "AttachmentCount", e->natt);
    dj_i(c, "UrlCount", e->nurls);
    dj_s(c, "EmailLanguage", "en");
    dj_s(c, "Connectors", !strcmp(direction, "Outbound") ? NULL : NULL);
    dj_s(c, "OrgLevelAction", e->org_action);
    dj_sf(c, "ReportId", "%s-%llu", nmid, (unsigned long long)++c->report_id);
    dj_s(c, "LatestDeliveryLocation", !strcmp(location, "Inbox/Folder") ? "Inbox"
                                      : !strcmp(location, "Quarantine") ? "Quarantine"
                                      : !strcmp(location, "Junk folder") ? "Junk" : NULL);
    dj_s(c, "LatestDeliveryAction", !strcmp(location, "Quarantine") ? "Moved to quarantine" : "None");
    dj_end(c);

    for (int i = 0; i < e->nurls; i++) {
        const char *u = e->urls[i];
        const char *p = strstr(u, "://");
        p = p ? p + 3 : u;
        size_t n = strcspn(p, "/?#:");
        dj_begin(c, "EmailUrlInfo");
        dj_ts(c, e->t);
        dj_s(c, "NetworkMessageId", nmid);
        dj_sf(c, "ReportId", "%s-%llu", nmid, (unsigned long long)++c->report_id);
        dj_s(c, "Url", u);
        dj_sn(c, "UrlDomain", p, n);
        dj_s(c, "UrlLocation", "Body");
        dj_end(c);
    }
    for (int i = 0; i < e->natt; i++) {
        const dm_attach *a = &e->att[i];
        dj_begin(c, "EmailAttachmentInfo");
        dj_ts(c, e->t);
        dj_s(c, "NetworkMessageId", nmid);
        dj_s(c, "SenderFromAddress", from_addr);
        dj_s(c, "SenderDisplayName", from ? from->display : e->from_display);
        dj_s(c, "SenderObjectId", from ? from->object_id : NULL);
        dj_s(c, "RecipientEmailAddress", to_addr);
        dj_s(c, "RecipientObjectId", to ? to->object_id : NULL);
        dj_s(c, "FileName", a->name);
        dj_s(c, "FileType", a->type);
        dj_s(c, "SHA256", a->sha256 ? a->sha256 : demo_sha_tmp(a->name));
        dj_i(c, "FileSize", a->size ? a->size : 48213 + (long)demo_rng_below(r, 900000));
        dj_s(c, "ThreatTypes", a->threat);
        dj_s(c, "ThreatNames", a->threat_name);
        if (a->threat) dj_s(c, "DetectionMethods", "{\"Malware\":[\"File detonation\",\"Antimalware protection\"]}");
        dj_sf(c, "ReportId", "%s-%llu", nmid, (unsigned long long)++c->report_id);
        dj_end(c);
    }
    return nmid;
}

void demo_click(demo_ctx *c, const dm_click *k) {
    if (!demo_in_window(c, k->t)) return;
    const demo_user *u = &c->org.users[k->user];
    const char *action = k->action ? k->action : "ClickAllowed";
    dj_begin(c, "UrlClickEvents");
    dj_ts(c, k->t);
    dj_s(c, "AccountUpn", u->upn);
    dj_s(c, "ActionType", action);
    if (k->threats) dj_s(c, "DetectionMethods", "[\"URL detonation reputation\"]");
    dj_s(c, "IPAddress", k->ip);
    dj_b(c, "IsClickedThrough", k->through);
    dj_s(c, "NetworkMessageId", k->nmid);
    dj_sf(c, "ReportId", "%llu", (unsigned long long)++c->report_id);
    dj_s(c, "ThreatTypes", k->threats);
    dj_s(c, "Url", k->url);
    sp_buf *b = &c->tmp;
    sp_buf_reset(b);
    sp_buf_putc(b, '[');
    jb_str(b, k->url);
    sp_buf_putc(b, ']');
    dj_jstr(c, "UrlChain", b);
    dj_s(c, "Workload", k->workload ? k->workload : "Email");
    dj_end(c);
}
