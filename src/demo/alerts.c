/* Alerts: the registry stories and detections raise them into, and the writer
 * of SecurityAlert (Sentinel's shape, Entities with $id/$ref), AlertInfo, AlertEvidence. */
#include "demo_int.h"

#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------- registry */

demo_alert *demo_alert_new(demo_ctx *c, int source, const char *name, const char *severity,
                           int64_t t) {
    demo_alert *a = sp_calloc(1, sizeof *a);
    a->source = source;
    a->name = name;
    a->severity = severity;
    a->time = t;
    a->start = t - 2 * DEMO_MIN;
    a->end = t - DEMO_MIN;
    a->incident = -1;
    a->final_status = "New";
    demo_rng r;
    demo_rng_seed(&r, c->opt.seed, "alert", c->alerts.n);
    demo_guid(&r, a->system_id);
    char hex[65];
    switch (source) {
    case SRC_MDE: {
        long long a1 = 638000000000000000LL + (long long)(t / 10000 % 1000000000000000LL);
        int a2 = (int)(demo_rng_next(&r) & 0x7fffffff) * (demo_rng_chance(&r, 0.5) ? -1 : 1);
        snprintf(a->vendor_id, sizeof a->vendor_id, "da%lld_%d", a1, a2);
        break;
    }
    case SRC_MDO: {
        char g[37];
        demo_guid(&r, g);
        snprintf(a->vendor_id, sizeof a->vendor_id, "fa%s", g);
        break;
    }
    case SRC_MDI: {
        char g[37];
        demo_guid(&r, g);
        snprintf(a->vendor_id, sizeof a->vendor_id, "aa%s", g);
        break;
    }
    case SRC_MDCA:
        demo_hex(&r, hex, 24);
        snprintf(a->vendor_id, sizeof a->vendor_id, "ca%s", hex);
        break;
    case SRC_AADIP:
        demo_hex(&r, hex, 60);
        snprintf(a->vendor_id, sizeof a->vendor_id, "ad%s", hex);
        break;
    default:
        demo_guid(&r, a->vendor_id);
        break;
    }
    sp_vec_push(&c->alerts, a);
    return a;
}

void demo_alert_ent(demo_alert *a, demo_ent e) {
    if (a->nents < DEMO_MAX_ENTS) a->ents[a->nents++] = e;
}

void demo_ent_user(demo_alert *a, int user) {
    demo_alert_ent(a, (demo_ent){.type = ENT_ACCOUNT, .user = user, .dev = -1, .role = "Impacted"});
}
void demo_ent_host(demo_alert *a, int dev) {
    demo_alert_ent(a, (demo_ent){.type = ENT_HOST, .user = -1, .dev = dev, .role = "Impacted"});
}
void demo_ent_ip(demo_alert *a, const char *ip) {
    demo_alert_ent(a, (demo_ent){.type = ENT_IP, .user = -1, .dev = -1, .a = ip, .role = "Related"});
}
void demo_ent_url(demo_alert *a, const char *url) {
    demo_alert_ent(a, (demo_ent){.type = ENT_URL, .user = -1, .dev = -1, .a = url, .role = "Related"});
}
void demo_ent_file(demo_alert *a, int dev, const char *name, const char *dir, const char *sha256) {
    demo_alert_ent(a, (demo_ent){.type = ENT_FILE, .user = -1, .dev = dev, .a = name, .b = dir,
                                 .c = sha256, .role = "Related"});
}
void demo_ent_proc(demo_alert *a, int dev, const char *cmd, const char *image, const char *dir,
                   int64_t t) {
    demo_alert_ent(a, (demo_ent){.type = ENT_PROCESS, .user = -1, .dev = dev, .a = cmd, .b = image,
                                 .c = dir, .t = t, .role = "Related"});
}
void demo_ent_mailbox(demo_alert *a, int user) {
    demo_alert_ent(a, (demo_ent){.type = ENT_MAILBOX, .user = user, .dev = -1, .role = "Impacted"});
}
void demo_ent_mail(demo_alert *a, int user, const char *subject, const char *sender,
                   const char *nmid) {
    demo_alert_ent(a, (demo_ent){.type = ENT_MAILMESSAGE, .user = user, .dev = -1, .a = subject,
                                 .b = sender, .c = nmid, .role = "Related"});
}
void demo_ent_reg(demo_alert *a, int dev, const char *key, const char *name, const char *data) {
    demo_alert_ent(a, (demo_ent){.type = ENT_REGISTRY, .user = -1, .dev = dev, .a = key, .b = name,
                                 .c = data, .role = "Related"});
}
void demo_ent_app(demo_alert *a, const char *name) {
    demo_alert_ent(a, (demo_ent){.type = ENT_CLOUDAPP, .user = -1, .dev = -1, .a = name,
                                 .role = "Related"});
}

/* ------------------------------------------------------------- products */

const char *demo_source_product(int s) {
    static const char *const P[] = {"Microsoft Defender Advanced Threat Protection",
                                    "Office 365 Advanced Threat Protection",
                                    "Azure Advanced Threat Protection",
                                    "Microsoft Cloud App Security",
                                    "Azure Active Directory Identity Protection", "Azure Sentinel",
                                    "Microsoft 365 Defender"};
    return P[s];
}

static const char *source_provider(int s) {
    static const char *const P[] = {"MDATP", "OATP", "Azure Advanced Threat Protection", "MCAS",
                                    "IPC", "ASI Scheduled Alerts", "Microsoft 365 Defender"};
    return P[s];
}

static const char *service_source(int s) {
    static const char *const P[] = {"Microsoft Defender for Endpoint",
                                    "Microsoft Defender for Office 365",
                                    "Microsoft Defender for Identity",
                                    "Microsoft Defender for Cloud Apps", "AAD Identity Protection",
                                    "Microsoft Sentinel", "Microsoft 365 Defender"};
    return P[s];
}

static const char *default_detection(int s) {
    static const char *const P[] = {"EDR", "Microsoft Defender for Office 365",
                                    "Microsoft Defender for Identity", "Cloud App Security",
                                    "AAD Identity Protection", "Microsoft Sentinel",
                                    "Microsoft 365 Defender"};
    return P[s];
}

/* Technique names as AlertInfo.AttackTechniques shows them. */
static const char *const TECH[][2] = {
    {"T1003", "OS Credential Dumping"}, {"T1003.001", "LSASS Memory"},
    {"T1016", "System Network Configuration Discovery"}, {"T1018", "Remote System Discovery"},
    {"T1021.001", "Remote Desktop Protocol"}, {"T1021.002", "SMB/Windows Admin Shares"},
    {"T1027", "Obfuscated Files or Information"}, {"T1033", "System Owner/User Discovery"},
    {"T1036", "Masquerading"}, {"T1047", "Windows Management Instrumentation"},
    {"T1048", "Exfiltration Over Alternative Protocol"}, {"T1059", "Command and Scripting Interpreter"},
    {"T1059.001", "PowerShell"}, {"T1059.003", "Windows Command Shell"},
    {"T1059.005", "Visual Basic"}, {"T1059.007", "JavaScript"},
    {"T1069", "Permission Groups Discovery"}, {"T1070.001", "Clear Windows Event Logs"},
    {"T1071.001", "Web Protocols"}, {"T1078", "Valid Accounts"},
    {"T1078.004", "Cloud Accounts"}, {"T1082", "System Information Discovery"},
    {"T1087", "Account Discovery"}, {"T1087.002", "Domain Account"},
    {"T1090.003", "Multi-hop Proxy"}, {"T1098", "Account Manipulation"},
    {"T1098.005", "Device Registration"}, {"T1105", "Ingress Tool Transfer"},
    {"T1110", "Brute Force"}, {"T1110.001", "Password Guessing"},
    {"T1110.003", "Password Spraying"}, {"T1114.003", "Email Forwarding Rule"},
    {"T1133", "External Remote Services"}, {"T1136.002", "Domain Account"},
    {"T1190", "Exploit Public-Facing Application"}, {"T1197", "BITS Jobs"},
    {"T1204", "User Execution"}, {"T1204.001", "Malicious Link"},
    {"T1204.002", "Malicious File"}, {"T1213.002", "Sharepoint"},
    {"T1218.005", "Mshta"}, {"T1218.010", "Regsvr32"}, {"T1218.011", "Rundll32"},
    {"T1482", "Domain Trust Discovery"}, {"T1486", "Data Encrypted for Impact"},
    {"T1490", "Inhibit System Recovery"}, {"T1496", "Resource Hijacking"},
    {"T1505.003", "Web Shell"}, {"T1528", "Steal Application Access Token"},
    {"T1530", "Data from Cloud Storage"}, {"T1539", "Steal Web Session Cookie"},
    {"T1547.001", "Registry Run Keys / Startup Folder"}, {"T1550.003", "Pass the Ticket"},
    {"T1557", "Adversary-in-the-Middle"}, {"T1560.001", "Archive via Utility"},
    {"T1562.001", "Disable or Modify Tools"}, {"T1564.008", "Email Hiding Rules"},
    {"T1566", "Phishing"}, {"T1566.001", "Spearphishing Attachment"},
    {"T1566.002", "Spearphishing Link"}, {"T1567.002", "Exfiltration to Cloud Storage"},
    {"T1569.002", "Service Execution"}, {"T1621", "Multi-Factor Authentication Request Generation"},
    {"T1114.002", "Remote Email Collection"}, {"T1020", "Automated Exfiltration"},
    {"T1046", "Network Service Discovery"}, {"T1595.002", "Vulnerability Scanning"},
};

static const char *tech_name(const char *id) {
    for (size_t i = 0; i < SP_ARRAY_LEN(TECH); i++)
        if (!strcmp(TECH[i][0], id)) return TECH[i][1];
    return "Unknown";
}

/* Iterates the comma-separated technique list. */
static int tech_split(const char *list, char out[][16], int max) {
    int n = 0;
    const char *p = list ? list : "";
    while (*p && n < max) {
        while (*p == ' ' || *p == ',') p++;
        size_t k = strcspn(p, ", ");
        if (!k) break;
        snprintf(out[n++], 16, "%.*s", (int)k, p);
        p += k;
    }
    return n;
}

/* ------------------------------------------------------------- entities */

typedef struct ent_ids {
    int id[DEMO_MAX_ENTS];     /* $id of each top-level entity */
    int host_of_dev[8][2];     /* (dev, $id) of host entities, to reference */
    int nhost;
    int account_of_user[8][2];
    int naccount;
} ent_ids;

static int host_ref(const ent_ids *ids, int dev) {
    for (int i = 0; i < ids->nhost; i++)
        if (ids->host_of_dev[i][0] == dev) return ids->host_of_dev[i][1];
    return 0;
}

static void put_file_obj(sp_buf *b, int *next, const char *name, const char *dir,
                         const char *sha256, int *hash_id) {
    int id = (*next)++;
    sp_buf_printf(b, "{\"$id\":\"%d\",\"Directory\":", id);
    jb_str(b, dir);
    sp_buf_puts(b, ",\"Name\":");
    jb_str(b, name);
    *hash_id = (*next)++;
    sp_buf_printf(b, ",\"FileHashes\":[{\"$id\":\"%d\",\"Algorithm\":\"SHA256\",\"Value\":\"%s\","
                     "\"Type\":\"filehash\"}],\"Type\":\"file\"}",
                  *hash_id, sha256 ? sha256 : demo_sha_tmp(name));
}

static const char *os_family(const demo_device *d) {
    switch (d->os) {
    case OS_MAC: return "MacOS";
    case OS_LINUX: return "Linux";
    case OS_IOS: return "IOS";
    case OS_ANDROID: return "Android";
    default: return "Windows";
    }
}

static void write_entities(demo_ctx *c, const demo_alert *a, sp_buf *b) {
    const demo_org *o = &c->org;
    ent_ids ids = {0};
    int next = 2;
    int refs[DEMO_MAX_ENTS * 2], nrefs = 0;
    sp_buf_putc(b, '[');
    for (int i = 0; i < a->nents; i++) {
        const demo_ent *e = &a->ents[i];
        if (i) sp_buf_putc(b, ',');
        int id = next++;
        ids.id[i] = id;
        sp_buf_printf(b, "{\"$id\":\"%d\"", id);
        switch (e->type) {
        case ENT_ACCOUNT: {
            const demo_user *u = &o->users[e->user];
            sp_buf_puts(b, ",\"Name\":");
            jb_str(b, u->sam);
            if (u->kind != ACCT_GUEST) sp_buf_puts(b, ",\"NTDomain\":\"" DEMO_NETBIOS "\",\"UPNSuffix\":\"" DEMO_DOMAIN "\"");
            sp_buf_printf(b, ",\"Sid\":\"%s\",\"AadUserId\":\"%s\",\"IsDomainJoined\":%s,\"DisplayName\":",
                          u->sid, u->object_id, u->kind == ACCT_GUEST ? "false" : "true");
            jb_str(b, u->display);
            sp_buf_puts(b, ",\"UserPrincipalName\":");
            jb_str(b, u->upn);
            sp_buf_puts(b, ",\"Type\":\"account\"}");
            if (ids.naccount < 8) {
                ids.account_of_user[ids.naccount][0] = e->user;
                ids.account_of_user[ids.naccount++][1] = id;
            }
            break;
        }
        case ENT_HOST: {
            const demo_device *d = &o->devices[e->dev];
            sp_buf_printf(b, ",\"HostName\":\"%s\",\"DnsDomain\":\"%s\",\"NTDomain\":\"%s\","
                             "\"OSFamily\":\"%s\",\"OSVersion\":\"%s\",\"MdatpDeviceId\":\"%s\","
                             "\"AadDeviceId\":\"%s\",\"FQDN\":\"%s.%s\",\"Type\":\"host\"}",
                          d->name, DEMO_AD_DOMAIN, DEMO_NETBIOS, os_family(d),
                          d->os_version ? d->os_version : "", d->id, d->aad_id, d->name,
                          DEMO_AD_DOMAIN);
            if (ids.nhost < 8) {
                ids.host_of_dev[ids.nhost][0] = e->dev;
                ids.host_of_dev[ids.nhost++][1] = id;
            }
            break;
        }
        case ENT_IP:
            sp_buf_puts(b, ",\"Address\":");
            jb_str(b, e->a);
            sp_buf_puts(b, ",\"Type\":\"ip\"}");
            break;
        case ENT_URL:
            sp_buf_puts(b, ",\"Url\":");
            jb_str(b, e->a);
            sp_buf_puts(b, ",\"Type\":\"url\"}");
            break;
        case ENT_FILE: {
            int hid = next++;
            sp_buf_puts(b, ",\"Directory\":");
            jb_str(b, e->b);
            sp_buf_puts(b, ",\"Name\":");
            jb_str(b, e->a);
            sp_buf_printf(b, ",\"FileHashes\":[{\"$id\":\"%d\",\"Algorithm\":\"SHA256\",\"Value\":\"%s\","
                             "\"Type\":\"filehash\"}],\"Type\":\"file\"}",
                          hid, e->c ? e->c : demo_sha_tmp(e->a));
            refs[nrefs++] = hid;
            break;
        }
        case ENT_PROCESS: {
            char ts[32];
            demo_fmt_time(e->t ? e->t : a->start, ts);
            uint64_t h = sp_hash_bytes(e->a ? e->a : "", e->a ? strlen(e->a) : 0, 11);
            sp_buf_printf(b, ",\"ProcessId\":\"%d\",\"CommandLine\":", (int)(h % 9000 + 400) * 4);
            jb_str(b, e->a);
            sp_buf_printf(b, ",\"ElevationToken\":\"Default\",\"CreationTimeUtc\":\"%s\",\"ImageFile\":", ts);
            int hid;
            put_file_obj(b, &next, e->b, e->c, NULL, &hid);
            if (e->d) {
                int pid = next++;
                sp_buf_printf(b, ",\"ParentProcess\":{\"$id\":\"%d\",\"ProcessId\":\"%d\",\"CommandLine\":",
                              pid, (int)((h >> 16) % 9000 + 400) * 4);
                jb_str(b, e->d);
                sp_buf_puts(b, ",\"Type\":\"process\"}");
                refs[nrefs++] = pid;
            }
            int hr = host_ref(&ids, e->dev);
            if (hr) sp_buf_printf(b, ",\"Host\":{\"$ref\":\"%d\"}", hr);
            sp_buf_puts(b, ",\"Type\":\"process\"}");
            refs[nrefs++] = hid;
            break;
        }
        case ENT_MAILBOX: {
            const demo_user *u = &o->users[e->user];
            sp_buf_puts(b, ",\"MailboxPrimaryAddress\":");
            jb_str(b, u->mail);
            sp_buf_puts(b, ",\"DisplayName\":");
            jb_str(b, u->display);
            sp_buf_puts(b, ",\"Upn\":");
            jb_str(b, u->upn);
            sp_buf_printf(b, ",\"AadId\":\"%s\",\"RiskLevel\":\"None\",\"Type\":\"mailbox\"}", u->object_id);
            break;
        }
        case ENT_MAILMESSAGE: {
            const demo_user *u = e->user >= 0 ? &o->users[e->user] : NULL;
            sp_buf_puts(b, ",\"Recipient\":");
            jb_str(b, u ? u->mail : NULL);
            sp_buf_puts(b, ",\"Sender\":");
            jb_str(b, e->b);
            sp_buf_puts(b, ",\"P1Sender\":");
            jb_str(b, e->b);
            sp_buf_puts(b, ",\"NetworkMessageId\":");
            jb_str(b, e->c);
            sp_buf_puts(b, ",\"Subject\":");
            jb_str(b, e->a);
            sp_buf_puts(b, ",\"DeliveryAction\":\"Delivered\",\"DeliveryLocation\":\"Inbox\",\"Type\":\"mailMessage\"}");
            break;
        }
        case ENT_REGISTRY: {
            const char *key = e->a ? e->a : "";
            const char *hive = !strncmp(key, "HKEY_LOCAL_MACHINE", 18) ? "HKEY_LOCAL_MACHINE" : "HKEY_CURRENT_USER";
            const char *rest = strchr(key, '\\');
            sp_buf_printf(b, ",\"Key\":{\"$id\":\"%d\",\"Hive\":\"%s\",\"Key\":", next++, hive);
            jb_str(b, rest ? rest + 1 : key);
            sp_buf_puts(b, ",\"Type\":\"registry-key\"},\"Name\":");
            jb_str(b, e->b);
            sp_buf_puts(b, ",\"Value\":");
            jb_str(b, e->c);
            sp_buf_puts(b, ",\"ValueType\":\"DWord\",\"Type\":\"registry-value\"}");
            break;
        }
        case ENT_CLOUDAPP:
            sp_buf_puts(b, ",\"AppId\":20893,\"Name\":");
            jb_str(b, e->a);
            sp_buf_puts(b, ",\"InstanceName\":");
            jb_str(b, e->a);
            sp_buf_puts(b, ",\"Type\":\"cloud-application\"}");
            break;
        }
    }
    /* Objects first written nested come back as top-level references. */
    for (int i = 0; i < nrefs; i++) sp_buf_printf(b, ",{\"$ref\":\"%d\"}", refs[i]);
    sp_buf_putc(b, ']');
}

/* ---------------------------------------------------------------- writers */

static const char *compromised_of(const demo_ctx *c, const demo_alert *a) {
    if (a->compromised) return a->compromised;
    for (int i = 0; i < a->nents; i++)
        if (a->ents[i].type == ENT_HOST) return c->org.devices[a->ents[i].dev].name;
    for (int i = 0; i < a->nents; i++)
        if (a->ents[i].type == ENT_ACCOUNT || a->ents[i].type == ENT_MAILBOX)
            return c->org.users[a->ents[i].user].upn;
    return NULL;
}

static void put_techniques(sp_buf *b, const char *list, bool sub) {
    char t[16][16];
    int n = tech_split(list, t, 16);
    sp_buf_putc(b, '[');
    int k = 0;
    for (int i = 0; i < n; i++) {
        char parent[16];
        snprintf(parent, sizeof parent, "%.5s", t[i]);
        const char *v = sub ? t[i] : parent;
        if (sub && !strchr(t[i], '.')) continue;
        bool dup = false;
        for (int j = 0; j < i && !dup; j++) {
            char pj[16];
            snprintf(pj, sizeof pj, "%.5s", t[j]);
            dup = !sub && !strcmp(pj, parent);
        }
        if (dup) continue;
        if (k++) sp_buf_putc(b, ',');
        sp_buf_printf(b, "\"%s\"", v);
    }
    sp_buf_putc(b, ']');
}

static void write_security_alert(demo_ctx *c, const demo_alert *a, int64_t t, const char *status,
                                 const demo_incident *inc) {
    sp_buf *b = &c->tmp;
    dj_begin(c, "SecurityAlert");
    dj_t(c, "TimeGenerated", t);
    dj_s(c, "DisplayName", a->name);
    dj_s(c, "AlertName", a->name);
    dj_s(c, "AlertSeverity", a->severity);
    dj_s(c, "Description", a->desc);
    dj_s(c, "ProviderName", source_provider(a->source));
    dj_s(c, "VendorName", "Microsoft");
    dj_s(c, "VendorOriginalId", a->vendor_id);
    dj_s(c, "SystemAlertId", a->system_id);
    dj_s(c, "AlertType", a->alert_type ? a->alert_type : demo_strf(c, "%s_%s", source_provider(a->source), a->category ? a->category : "Alert"));
    dj_s(c, "ConfidenceLevel", "Unknown");
    dj_b(c, "IsIncident", false);
    dj_t(c, "StartTime", a->start);
    dj_t(c, "EndTime", a->end);
    dj_t(c, "ProcessingEndTime", a->time + 40 * DEMO_SEC);
    if (a->remediation) {
        sp_buf_reset(b);
        sp_buf_putc(b, '[');
        jb_str(b, a->remediation);
        sp_buf_putc(b, ']');
        dj_jstr(c, "RemediationSteps", b);
    }

    /* ExtendedProperties: the product's keys, then the alert's own. */
    sp_buf_reset(b);
    bool first = true;
    sp_buf_putc(b, '{');
    char techs[16][16];
    int nt = tech_split(a->techniques, techs, 16);
    char mitre[256] = "";
    for (int i = 0; i < nt; i++) {
        strncat(mitre, techs[i], sizeof mitre - strlen(mitre) - 1);
        if (i + 1 < nt) strncat(mitre, ";", sizeof mitre - strlen(mitre) - 1);
    }
    if (a->source == SRC_SENTINEL) {
        jb_s(b, &first, "Query Period", "05:00:00");
        jb_s(b, &first, "Trigger Operator", "GreaterThan");
        jb_s(b, &first, "Trigger Threshold", "0");
        jb_s(b, &first, "Analytic Rule Name", a->name);
        jb_s(b, &first, "Analytic Rule Ids", demo_strf(c, "[\"%s\"]", a->rule_id ? a->rule_id : a->vendor_id));
        jb_s(b, &first, "Event Grouping", "SingleAlert");
        jb_t(b, &first, "Query Start Time UTC", a->time - 5 * DEMO_HOUR);
        jb_t(b, &first, "Query End Time UTC", a->time);
    } else if (a->source == SRC_AADIP) {
        const char *ip = NULL;
        for (int i = 0; i < a->nents && !ip; i++)
            if (a->ents[i].type == ENT_IP) ip = a->ents[i].a;
        jb_s(b, &first, "Client IP Address", ip);
        jb_s(b, &first, "Detail Description", a->desc);
        jb_s(b, &first, "State", !strcmp(status, "Resolved") ? "Closed" : "Active");
    } else {
        jb_s(b, &first, a->source == SRC_MDE ? "MicrosoftDefenderAtp.Category" : "Category", a->category);
        jb_s(b, &first, "DetectionSource", a->detection ? a->detection : default_detection(a->source));
        jb_s(b, &first, "IncidentId", inc ? inc->provider_id : "None");
        jb_s(b, &first, "AssignedTo", inc && inc->owner >= 0 && t >= inc->assigned_at ? c->org.users[inc->owner].upn : "None");
        jb_s(b, &first, "Determination", "None");
        jb_s(b, &first, "Classification", inc && inc->closed_at && t >= inc->closed_at ? inc->classification : "None");
        if (a->source == SRC_MDE) jb_s(b, &first, "MitreTechniques", mitre);
        jb_s(b, &first, "ProcessedBySentinel", "True");
        jb_s(b, &first, "Alert generation status", "Full alert created");
    }
    if (a->ext) {
        sp_buf_putc(b, ',');
        sp_buf_puts(b, a->ext);
    }
    sp_buf_putc(b, '}');
    dj_jstr(c, "ExtendedProperties", b);

    sp_buf_reset(b);
    write_entities(c, a, b);
    dj_jstr(c, "Entities", b);
    dj_s(c, "WorkspaceSubscriptionId", DEMO_SUBSCRIPTION);
    dj_s(c, "WorkspaceResourceGroup", DEMO_WORKSPACE_RG);
    dj_s(c, "ProductName", demo_source_product(a->source));
    dj_s(c, "ProductComponentName", a->source == SRC_SENTINEL ? "Scheduled Alerts" : NULL);
    if (a->source == SRC_SENTINEL) dj_s(c, "AlertLink", NULL);
    else dj_sf(c, "AlertLink", "https://security.microsoft.com/alerts/%s?tid=%s", a->vendor_id, DEMO_TENANT_ID);
    dj_s(c, "Status", status);
    dj_s(c, "CompromisedEntity", compromised_of(c, a));
    dj_s(c, "Tactics", a->tactics);
    sp_buf_reset(b);
    put_techniques(b, a->techniques, false);
    dj_jstr(c, "Techniques", b);
    sp_buf_reset(b);
    put_techniques(b, a->techniques, true);
    dj_jstr(c, "SubTechniques", b);
    dj_end(c);
}

static void attack_techniques(sp_buf *b, const char *list) {
    char t[16][16];
    int n = tech_split(list, t, 16);
    sp_buf_putc(b, '[');
    for (int i = 0; i < n; i++) {
        if (i) sp_buf_putc(b, ',');
        sp_buf_printf(b, "\"%s (%s)\"", tech_name(t[i]), t[i]);
    }
    sp_buf_putc(b, ']');
}

static const char *entity_type_name(int t) {
    static const char *const N[] = {"User", "Machine", "Ip", "Url", "File", "Process", "Mailbox",
                                    "MailMessage", "RegistryValue", "CloudApplication"};
    return N[t];
}

static void write_alert_info(demo_ctx *c, const demo_alert *a) {
    sp_buf *b = &c->tmp;
    const char *det = a->detection ? a->detection : default_detection(a->source);
    sp_buf techs;
    sp_buf_init(&techs, 0);
    attack_techniques(&techs, a->techniques);

    dj_begin(c, "AlertInfo");
    dj_ts(c, a->time);
    dj_s(c, "AlertId", a->vendor_id);
    dj_s(c, "Title", a->name);
    dj_s(c, "Category", a->category);
    dj_s(c, "Severity", a->severity);
    dj_s(c, "ServiceSource", service_source(a->source));
    dj_s(c, "DetectionSource", det);
    dj_jstr(c, "AttackTechniques", &techs);
    dj_s(c, "SourceSystem", "Microsoft 365 Defender");
    dj_end(c);

    for (int i = 0; i < a->nents; i++) {
        const demo_ent *e = &a->ents[i];
        const demo_user *u = e->user >= 0 ? &c->org.users[e->user] : NULL;
        const demo_device *d = e->dev >= 0 ? &c->org.devices[e->dev] : NULL;
        dj_begin(c, "AlertEvidence");
        dj_ts(c, a->time);
        dj_s(c, "AlertId", a->vendor_id);
        dj_s(c, "Title", a->name);
        dj_sf(c, "Categories", "[\"%s\"]", a->category ? a->category : "SuspiciousActivity");
        dj_jstr(c, "AttackTechniques", &techs);
        dj_s(c, "ServiceSource", service_source(a->source));
        dj_s(c, "DetectionSource", det);
        dj_s(c, "EntityType", entity_type_name(e->type));
        dj_s(c, "EvidenceRole", e->role ? e->role : "Related");
        if (e->type == ENT_IP) dj_s(c, "EvidenceDirection", demo_ip_private(e->a) ? "Source" : "Destination");
        sp_buf_reset(b);
        bool first = true;
        sp_buf_putc(b, '{');
        switch (e->type) {
        case ENT_ACCOUNT:
        case ENT_MAILBOX:
            dj_s(c, "AccountName", u->sam);
            dj_s(c, "AccountDomain", u->kind == ACCT_GUEST ? NULL : "contoso");
            dj_s(c, "AccountSid", u->sid);
            dj_s(c, "AccountObjectId", u->object_id);
            dj_s(c, "AccountUpn", u->upn);
            jb_s(b, &first, "Type", e->type == ENT_ACCOUNT ? "account" : "mailbox");
            jb_s(b, &first, e->type == ENT_ACCOUNT ? "Name" : "MailboxPrimaryAddress",
                 e->type == ENT_ACCOUNT ? u->sam : u->mail);
            jb_s(b, &first, "UserPrincipalName", u->upn);
            jb_s(b, &first, "AadUserId", u->object_id);
            break;
        case ENT_HOST:
            dj_s(c, "DeviceId", d->id);
            dj_s(c, "DeviceName", d->name);
            dj_s(c, "LocalIP", d->local_ip);
            jb_s(b, &first, "Type", "host");
            jb_s(b, &first, "HostName", d->name);
            jb_s(b, &first, "DnsDomain", DEMO_AD_DOMAIN);
            jb_s(b, &first, "MachineId", d->id);
            jb_s(b, &first, "OSFamily", os_family(d));
            jb_s(b, &first, "LastVerdict", "Suspicious");
            break;
        case ENT_IP:
            dj_s(c, "RemoteIP", e->a);
            jb_s(b, &first, "Type", "ip");
            jb_s(b, &first, "Address", e->a);
            break;
        case ENT_URL:
            dj_s(c, "RemoteUrl", e->a);
            jb_s(b, &first, "Type", "url");
            jb_s(b, &first, "Url", e->a);
            break;
        case ENT_FILE:
        case ENT_PROCESS: {
            const char *name = e->type == ENT_FILE ? e->a : e->b;
            const char *dir = e->type == ENT_FILE ? e->b : e->c;
            char path[512];
            snprintf(path, sizeof path, "%s\\%s", dir ? dir : "", name ? name : "");
            dj_s(c, "FileName", name);
            dj_s(c, "FolderPath", path);
            dj_s(c, "SHA256", e->type == ENT_FILE && e->c ? e->c : demo_sha_tmp(name ? name : ""));
            if (d) {
                dj_s(c, "DeviceId", d->id);
                dj_s(c, "DeviceName", d->name);
            }
            if (e->type == ENT_PROCESS) dj_s(c, "ProcessCommandLine", e->a);
            jb_s(b, &first, "Type", e->type == ENT_FILE ? "file" : "process");
            jb_s(b, &first, "Name", name);
            jb_s(b, &first, "Directory", dir);
            if (e->type == ENT_PROCESS) jb_s(b, &first, "CommandLine", e->a);
            break;
        }
        case ENT_MAILMESSAGE:
            dj_s(c, "NetworkMessageId", e->c);
            dj_s(c, "EmailSubject", e->a);
            if (u) dj_s(c, "AccountUpn", u->upn);
            jb_s(b, &first, "Type", "mailMessage");
            jb_s(b, &first, "Sender", e->b);
            jb_s(b, &first, "Subject", e->a);
            jb_s(b, &first, "NetworkMessageId", e->c);
            break;
        case ENT_REGISTRY:
            if (d) {
                dj_s(c, "DeviceId", d->id);
                dj_s(c, "DeviceName", d->name);
            }
            dj_s(c, "RegistryKey", e->a);
            dj_s(c, "RegistryValueName", e->b);
            dj_s(c, "RegistryValueData", e->c);
            jb_s(b, &first, "Type", "registry-value");
            jb_s(b, &first, "Name", e->b);
            jb_s(b, &first, "Value", e->c);
            break;
        case ENT_CLOUDAPP:
            dj_s(c, "Application", e->a);
            dj_i(c, "ApplicationId", 20893);
            jb_s(b, &first, "Type", "cloud-application");
            jb_s(b, &first, "Name", e->a);
            break;
        }
        sp_buf_putc(b, '}');
        dj_raw(c, "AdditionalFields", b->p, b->n);
        dj_s(c, "SourceSystem", "Microsoft 365 Defender");
        dj_end(c);
    }
    sp_buf_free(&techs);
}

int demo_alerts_write(demo_ctx *c) {
    for (size_t i = 0; i < c->alerts.n; i++) {
        demo_alert *a = c->alerts.v[i];
        if (!demo_in_window(c, a->time)) continue;
        const demo_incident *inc = a->incident >= 0 ? c->incidents.v[a->incident] : NULL;
        write_security_alert(c, a, a->time, "New", inc);
        /* Later versions follow the incident (or the alert's own resolution). */
        int64_t t2 = 0;
        const char *st2 = NULL;
        if (inc && inc->active_at && inc->active_at > a->time) t2 = inc->active_at, st2 = "InProgress";
        if (t2 && demo_in_window(c, t2)) write_security_alert(c, a, t2, st2, inc);
        if (inc && inc->closed_at > a->time) t2 = inc->closed_at, st2 = "Resolved";
        else if (!inc && a->resolved_at > a->time) t2 = a->resolved_at, st2 = "Resolved";
        else st2 = NULL;
        if (st2 && demo_in_window(c, t2)) write_security_alert(c, a, t2, st2, inc);
        if (a->source != SRC_SENTINEL) write_alert_info(c, a);
    }
    return c->failed ? -1 : 0;
}
