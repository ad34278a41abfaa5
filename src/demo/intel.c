/* Threat intelligence (ThreatIntelligenceIndicator): the feeds' indicators with
 * their updates, a few of which match the stories' infrastructure and the internet's scanners. */
#include "demo_int.h"

#include <stdio.h>

/* Scanners that hit the firewalls and internet-facing servers every day. */
const char *const demo_scanners[] = {
    "192.0.2.50", "192.0.2.51", "192.0.2.52", "192.0.2.53", "192.0.2.54",
    "198.51.100.200", "198.51.100.201", "198.51.100.202", "198.51.100.203", "198.51.100.204",
};
const size_t demo_nscanners = SP_ARRAY_LEN(demo_scanners);

const demo_ioc demo_story_iocs[] = {
    {"domain", IOC_BEC_DOMAIN, "Phishing", "DocuSign-themed AitM phishing domain targeting Contoso", "bec", 90},
    {"url", IOC_BEC_URL, "Phishing", "AitM credential phishing page (DocuSign lure)", "bec", 92},
    {"email", IOC_BEC_SENDER, "Phishing", "Sender of DocuSign-themed invoice phish", "bec", 88},
    {"ip", IOC_BEC_ATTACKER_IP, "Proxy", "VPS used to replay stolen session cookies", "bec", 75},
    {"ip", IOC_SPRAY_IP1, "Botnet", "Password spray source against Microsoft Entra ID tenants", "spray", 80},
    {"ip", IOC_SPRAY_IP2, "Botnet", "IMAP password spraying infrastructure", "spray", 70},
    {"ip", IOC_MFA_IP, "Proxy", "Commercial VPN exit node abused for account takeover", "mfa_fatigue", 60},
    {"ip", IOC_RW_C2_IP, "C2", "Cobalt Strike team server", "ransomware", 95},
    {"domain", IOC_RW_C2_DOMAIN, "C2", "Cobalt Strike C2 domain masquerading as telemetry CDN", "ransomware", 95},
    {"domain", IOC_RW_PAYLOAD_DOMAIN, "Malware", "Payload staging domain for ransomware affiliates", "ransomware", 85},
    {"ip", IOC_RW_PAYLOAD_IP, "Malware", "Payload staging server", "ransomware", 85},
    {"sha256", IOC_RW_BEACON, "Malware", "Cobalt Strike beacon loader (OneDriveUpdater.exe)", "ransomware", 90},
    {"sha256", IOC_RW_LOCKER, "Malware", "LockBit-derived encryptor", "ransomware", 98},
    {"email", IOC_RW_SENDER, "Phishing", "Lookalike-domain sender delivering macro documents", "ransomware", 80},
    {"ip", IOC_CVE_IP1, "WatchList", "Exploitation of MOVEit Transfer CVE-2023-34362 (advisory IOC)", "cve", 90},
    {"ip", IOC_CVE_IP2, "WatchList", "Scanning for MOVEit Transfer human.aspx", "cve", 70},
};
const size_t demo_nstory_iocs = SP_ARRAY_LEN(demo_story_iocs);

typedef struct indicator {
    const char *kind, *value, *threat, *desc, *provider, *malware, *sender_ip;
    int confidence;
    int64_t added, expires;
    bool revoked;
} indicator;

static const char *source_of(const char *provider) {
    if (!strcmp(provider, "Microsoft Defender Threat Intelligence")) return "Microsoft Defender Threat Intelligence";
    if (!strcmp(provider, "Contoso SOC")) return "SecurityGraph";
    return provider;
}

static void write_rows(demo_ctx *c, demo_rng *r, const indicator *in) {
    char id[65];
    demo_digest(in->value, "indicator", id, 64);
    for (int i = 0; i < 64; i++) id[i] = (char)(id[i] >= 'a' ? id[i] - 32 : id[i]);
    char ext[37];
    demo_guid_of(in->value, ext);
    /* feeds re-post an indicator every week or so until it expires */
    int64_t t = in->added;
    int version = 0;
    for (; t <= c->now; t += (int64_t)demo_rng_range(r, 6, 9) * DEMO_DAY + demo_rng_range(r, 0, 7200) * DEMO_SEC) {
        if (t < c->start) continue;
        bool last = t + 7 * DEMO_DAY > c->now || t + 7 * DEMO_DAY > in->expires;
        bool active = !(in->revoked && last) && t < in->expires;
        dj_begin(c, "ThreatIntelligenceIndicator");
        dj_t(c, "TimeGenerated", t);
        dj_s(c, "Action", "alert");
        dj_b(c, "Active", active);
        dj_s(c, "AdditionalInformation", in->desc);
        dj_s(c, "AzureTenantId", DEMO_TENANT_ID);
        dj_r(c, "ConfidenceScore", (double)(in->confidence - (version > 2 ? 5 : 0)));
        dj_s(c, "Description", in->desc);
        const char *k = in->kind;
        if (!strcmp(k, "domain")) dj_s(c, "DomainName", in->value);
        if (!strcmp(k, "email")) {
            dj_s(c, "EmailSenderAddress", in->value);
            dj_s(c, "EmailSourceIpAddress", in->sender_ip);
            dj_s(c, "EmailSourceDomain", strchr(in->value, '@') ? strchr(in->value, '@') + 1 : NULL);
        }
        dj_t(c, "ExpirationDateTime", in->expires);
        dj_s(c, "ExternalIndicatorId", ext);
        if (!strcmp(k, "sha256")) {
            dj_s(c, "FileHashType", "SHA256");
            dj_s(c, "FileHashValue", in->value);
        }
        dj_s(c, "IndicatorId", id);
        dj_s(c, "IndicatorProvider", in->provider);
        dj_b(c, "KillChainC2", !strcmp(in->threat, "C2"));
        dj_b(c, "KillChainDelivery", !strcmp(in->threat, "Phishing") || !strcmp(in->threat, "Malware"));
        dj_s(c, "MalwareNames", in->malware);
        if (!strcmp(k, "ip")) {
            dj_s(c, "NetworkIP", in->value);
            if (!strcmp(in->threat, "Botnet") || !strcmp(in->threat, "Proxy")) dj_s(c, "NetworkSourceIP", in->value);
            if (!strcmp(in->threat, "C2") || !strcmp(in->threat, "Malware")) dj_s(c, "NetworkDestinationIP", in->value);
        }
        dj_b(c, "PassiveOnly", false);
        dj_s(c, "SourceSystem", source_of(in->provider));
        dj_sf(c, "Tags", "[\"%s\"]", in->threat);
        dj_i(c, "ThreatSeverity", in->confidence >= 90 ? 5 : in->confidence >= 75 ? 4 : 3);
        dj_s(c, "ThreatType", in->threat);
        dj_s(c, "TrafficLightProtocolLevel", !strcmp(in->provider, "Contoso SOC") ? "amber" : "green");
        if (!strcmp(k, "url")) dj_s(c, "Url", in->value);
        dj_end(c);
        version++;
    }
}

static const char *const SYL[] = {"cloud", "secure", "update", "login", "micro", "data", "sync", "portal",
                                  "verify", "cdn", "mail", "share", "drive", "auth", "office", "support",
                                  "account", "billing", "delivery", "track"};
static const char *const TLD[] = {"com", "net", "info", "xyz", "top", "online", "site", "live", "click"};
static const char *const FEEDS[] = {"Microsoft Defender Threat Intelligence", "AlienVault OTX", "MISP",
                                    "Anomali ThreatStream", "Contoso SOC"};
static const char *const MALWARE[] = {"Emotet", "QakBot", "IcedID", "AgentTesla", "Cobalt Strike", "AsyncRAT",
                                      "RedLine Stealer", "Lumma Stealer", "SocGholish", "Raccoon Stealer"};

void demo_intel(demo_ctx *c) {
    demo_rng r;
    demo_rng_seed(&r, c->opt.seed, "intel", 0);
    const demo_plan *p = &c->plan;
    /* the stories' infrastructure */
    for (size_t i = 0; i < demo_nstory_iocs; i++) {
        const demo_ioc *x = &demo_story_iocs[i];
        indicator in = {.kind = x->kind, .value = x->value, .threat = x->threat, .desc = x->desc,
                        .confidence = x->confidence, .provider = "Microsoft Defender Threat Intelligence"};
        if (!strcmp(x->kind, "sha256")) {
            in.value = demo_sha(c, x->value);
            in.malware = strstr(x->desc, "LockBit") ? "LockBit" : "Cobalt Strike";
        }
        if (!strcmp(x->story, "bec")) {
            in.added = p->bec_signin + 20 * DEMO_HOUR;
            in.provider = "Contoso SOC";
            if (!strcmp(x->kind, "email")) in.sender_ip = IOC_BEC_SENDER_IP;
        } else if (!strcmp(x->story, "spray")) in.added = c->now - 20 * DEMO_DAY - 3 * DEMO_HOUR;
        else if (!strcmp(x->story, "mfa_fatigue")) in.added = c->now - 25 * DEMO_DAY - 7 * DEMO_HOUR;
        else if (!strcmp(x->story, "cve")) in.added = p->cve_begin - 2 * DEMO_DAY - 5 * DEMO_HOUR;
        else if (!strcmp(x->story, "ransomware")) {
            bool known = strstr(x->desc, "team server") || strstr(x->desc, "C2 domain");
            in.added = known ? c->now - 12 * DEMO_DAY - 2 * DEMO_HOUR : p->rw_lateral + 5 * DEMO_HOUR;
            if (!known) in.provider = "Contoso SOC";
            if (!strcmp(x->kind, "email")) in.sender_ip = IOC_RW_SENDER_IP;
        }
        in.expires = in.added + 90 * DEMO_DAY;
        write_rows(c, &r, &in);
    }
    /* the scanners, from a commercial feed */
    for (size_t i = 0; i < demo_nscanners; i += 2) {
        indicator in = {.kind = "ip", .value = demo_scanners[i], .threat = "Botnet",
                        .desc = "Mass scanner probing RDP, SMB and SQL services", .confidence = 65 + (int)i,
                        .provider = "AlienVault OTX", .added = c->now - (int64_t)(28 - i) * DEMO_DAY,
                        .expires = c->now + (int64_t)(30 + i) * DEMO_DAY};
        write_rows(c, &r, &in);
    }
    /* everything else the feeds carry */
    int n = 360;
    for (int i = 0; i < n; i++) {
        indicator in = {0};
        double x = demo_rng_unit(&r);
        char buf[160];
        static const char *const THREATS[] = {"Malware", "Phishing", "C2", "Botnet", "MaliciousURL", "CryptoMining",
                                              "Proxy", "WatchList", "PUA", "DDoS"};
        static const double TW[] = {22, 20, 12, 12, 10, 5, 6, 8, 3, 2};
        in.threat = THREATS[demo_rng_weighted(&r, TW, SP_ARRAY_LEN(TW))];
        if (x < 0.35) {
            in.kind = "ip";
            snprintf(buf, sizeof buf, "%s.%d", DEMO_PICK(&r, ((const char *[]){"192.0.2", "198.51.100", "203.0.113"})),
                     demo_rng_range(&r, 2, 140));
        } else if (x < 0.62) {
            in.kind = "domain";
            snprintf(buf, sizeof buf, "%s-%s%d.%s", DEMO_PICK(&r, SYL), DEMO_PICK(&r, SYL), demo_rng_range(&r, 1, 99),
                     DEMO_PICK(&r, TLD));
        } else if (x < 0.77) {
            in.kind = "url";
            snprintf(buf, sizeof buf, "https://%s-%s.%s/%s/%d", DEMO_PICK(&r, SYL), DEMO_PICK(&r, SYL), DEMO_PICK(&r, TLD),
                     DEMO_PICK(&r, ((const char *[]){"login", "verify", "invoice", "download", "update"})), demo_rng_range(&r, 100, 99999));
            if (!strcmp(in.threat, "Botnet") || !strcmp(in.threat, "Proxy")) in.threat = "MaliciousURL";
        } else if (x < 0.93) {
            in.kind = "sha256";
            demo_hex(&r, buf, 64);
            in.threat = "Malware";
            in.malware = DEMO_PICK(&r, MALWARE);
        } else {
            in.kind = "email";
            snprintf(buf, sizeof buf, "%s@%s-%s.%s", DEMO_PICK(&r, ((const char *[]){"billing", "support", "no-reply", "hr", "payroll"})),
                     DEMO_PICK(&r, SYL), DEMO_PICK(&r, SYL), DEMO_PICK(&r, TLD));
            in.threat = "Phishing";
            in.sender_ip = demo_strf(c, "203.0.113.%d", demo_rng_range(&r, 160, 250));
        }
        in.value = demo_strf(c, "%s", buf);
        in.provider = FEEDS[demo_rng_below(&r, SP_ARRAY_LEN(FEEDS))];
        in.confidence = 40 + (int)demo_rng_below(&r, 60);
        in.desc = demo_strf(c, "%s indicator from %s%s%s", in.threat, in.provider, in.malware ? ": " : "",
                            in.malware ? in.malware : "");
        in.added = c->now - (int64_t)(demo_rng_unit(&r) * 29.5 * (double)DEMO_DAY);
        double e = demo_rng_unit(&r);
        in.expires = e < 0.12 ? c->now + (int64_t)(demo_rng_unit(&r) * 6.5 * (double)DEMO_DAY) + DEMO_HOUR
                     : e < 0.22 ? in.added + (int64_t)(demo_rng_range(&r, 3, 10)) * DEMO_DAY
                                : in.added + (int64_t)demo_rng_range(&r, 30, 180) * DEMO_DAY;
        if (in.expires <= in.added) in.expires = in.added + DEMO_DAY;
        in.revoked = demo_rng_chance(&r, 0.05);
        write_rows(c, &r, &in);
    }
}
