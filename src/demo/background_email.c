/* Everyday mail flow through Defender for Office 365: partner and internal
 * mail, newsletters, spam, blocked phish and malware, outbound mail and URL clicks. */
#include "demo_int.h"

#include <stdio.h>

typedef struct sender {
    const char *addr, *display, *ip, *link;
} sender;

static const sender PARTNERS[] = {
    {"accounts@fabrikam.com", "Fabrikam Accounts", "40.107.22.51", "https://portal.fabrikam.com/orders"},
    {"j.morgan@woodgrovebank.com", "Jamie Morgan", "40.107.94.12", "https://www.woodgrovebank.com/business"},
    {"sales@litwareinc.com", "Litware Sales", "40.107.7.88", "https://www.litwareinc.com/quote"},
    {"support@adventure-works.com", "Adventure Works Support", "209.85.220.41", "https://support.adventure-works.com/ticket"},
    {"billing@proseware.com", "Proseware Billing", "40.107.236.71", "https://billing.proseware.com/invoices"},
    {"logistics@northwindtraders.com", "Northwind Logistics", "40.107.3.19", "https://track.northwindtraders.com/shipment"},
    {"orders@wingtiptoys.com", "Wingtip Toys Orders", "209.85.128.54", "https://orders.wingtiptoys.com/po"},
    {"team@tailspintoys.com", "Tailspin Toys", "40.107.15.66", "https://www.tailspintoys.com/partners"},
    {"hello@fourthcoffee.com", "Fourth Coffee", "198.2.130.20", "https://www.fourthcoffee.com/catering"},
    {"ap@relecloud.com", "Relecloud Accounts Payable", "40.107.61.9", "https://pay.relecloud.com/remit"},
};

static const sender NEWSLETTERS[] = {
    {"noreply@zoom.us", "Zoom", "170.114.1.10", "https://zoom.us/recording/share"},
    {"dse_na2@docusign.net", "DocuSign NA2 System", "64.207.219.13", "https://na2.docusign.net/Signing/EmailStart.aspx"},
    {"notifications@github.com", "GitHub", "192.30.252.201", "https://github.com/contoso/platform/pull/1842"},
    {"no-reply@sharepointonline.com", "SharePoint Online", "40.107.0.10", "https://contoso.sharepoint.com/sites/Operations"},
    {"noreply@email.teams.microsoft.com", "Microsoft Teams", "40.107.0.20", "https://teams.microsoft.com/l/message"},
    {"newsletter@industryweek-news.com", "IndustryWeek", "149.72.10.3", "https://www.industryweek-news.com/newsletter"},
};

static const char *const SUBJ_PARTNER[] = {
    "Invoice %d from %s", "RE: Purchase order %d", "Shipment update for order %d", "Quote %d - revised pricing",
    "Meeting follow-up", "Contract renewal %d", "Statement of account - October", "RE: Delivery schedule",
    "Payment confirmation %d", "Your support ticket %d has been updated", "Invoice %d is due", "Q4 planning call"};
static const char *const SUBJ_INTERNAL[] = {
    "Team sync notes", "RE: Budget review", "FW: Customer escalation", "Weekly status report",
    "Reminder: timesheets due Friday", "Offsite agenda", "RE: Q3 numbers", "Lunch and learn next week",
    "Updated org chart", "IT maintenance window this weekend", "RE: Travel request", "Holiday schedule"};
static const char *const SUBJ_NEWS[] = {"Your weekly digest", "Cloud recording is now available",
                                        "Please DocuSign: NDA", "[contoso/platform] PR #%d: fix build",
                                        "New files shared with you", "You have unread messages"};

static const char *const SPAM_DOMAINS[] = {"deals-4u-mail.top", "promo-blast.click", "best-offers-daily.xyz",
                                           "luckywinner-notice.biz", "cheap-meds-online.shop"};
static const char *const PHISH_DOMAINS[] = {"micros0ft-account-verify.com", "secure-docs-share.net",
                                            "contoso-payroll-update.com", "dhl-parcel-tracking.info",
                                            "office365-mailbox-quota.com"};
static const char *const PHISH_SUBJ[] = {"Action required: verify your mailbox", "Your password expires today",
                                         "Payroll update: confirm your direct deposit", "DHL: your parcel is on hold",
                                         "You have received a secure document"};
static const char *const MAL_ATT[][3] = {
    {"Invoice_88231.js", "js", "TrojanDownloader:JS/Nemucod.BF"},
    {"Payment_Advice.exe", "exe", "Trojan:Win32/AgentTesla!ml"},
    {"Scan_2024_1121.iso", "iso", "Trojan:Win32/Qakbot.RPX!MTB"},
    {"Order_Details.html", "html", "Trojan:HTML/Phish.PHAB!MTB"},
    {"Remittance.zip", "zip", "TrojanDownloader:O97M/Emotet.PDSK!MTB"},
    {"Statement.img", "img", "Trojan:Win32/IcedID.RPA!MTB"},
};

static void inbound(demo_ctx *c, demo_rng *r, int u, int64_t t, int d) {
    const demo_org *o = &c->org;
    double x = demo_rng_unit(r);
    dm_email e = {.t = t, .to = u, .from = -1};
    int num = demo_rng_range(r, 10000, 99999);
    if (x < 0.42) {
        const sender *s = &PARTNERS[demo_rng_below(r, SP_ARRAY_LEN(PARTNERS))];
        e.from_addr = s->addr;
        e.from_display = s->display;
        e.sender_ip = s->ip;
        const char *fmt = DEMO_PICK(r, SUBJ_PARTNER);
        const char *co = strchr(s->addr, '@') + 1;
        e.subject = demo_tmpf(c, fmt, num, co);
        if (demo_rng_chance(r, 0.55)) e.urls[e.nurls++] = demo_tmpf(c, "%s/%d", s->link, num);
        if (demo_rng_chance(r, 0.3)) {
            e.att[e.natt++] = (dm_attach){.name = demo_tmpf(c, "%s_%d.pdf", strstr(e.subject, "nvoice") ? "Invoice" : "Document", num),
                                          .type = "pdf"};
        }
    } else if (x < 0.80) {
        int from = (int)demo_rng_below(r, (uint32_t)o->nusers);
        if (o->users[from].kind != ACCT_PERSON || from == u) from = o->ceo;
        e.from = from;
        e.sender_ip = "10.10.1.21";
        e.subject = DEMO_PICK(r, SUBJ_INTERNAL);
        if (demo_rng_chance(r, 0.3)) e.urls[e.nurls++] = demo_tmpf(c, "https://contoso.sharepoint.com/sites/%s/Shared%%20Documents/report-%d.docx",
                                                                   o->users[from].dept >= 0 ? demo_depts[o->users[from].dept].site : "IT", num);
        if (demo_rng_chance(r, 0.15)) e.att[e.natt++] = (dm_attach){.name = demo_tmpf(c, "notes_%d.docx", num), .type = "docx"};
    } else if (x < 0.93) {
        const sender *s = &NEWSLETTERS[demo_rng_below(r, SP_ARRAY_LEN(NEWSLETTERS))];
        e.from_addr = s->addr;
        e.from_display = s->display;
        e.sender_ip = s->ip;
        e.subject = demo_tmpf(c, DEMO_PICK(r, SUBJ_NEWS), num);
        e.urls[e.nurls++] = demo_tmpf(c, "%s?id=%d", s->link, num);
        e.bcl = demo_rng_range(r, 3, 7);
    } else if (x < 0.985) {
        const char *dom = DEMO_PICK(r, SPAM_DOMAINS);
        e.from_addr = demo_tmpf(c, "offers@%s", dom);
        e.from_display = "Exclusive Offers";
        e.sender_ip = demo_tmpf(c, "185.%d.%d.%d", demo_rng_range(r, 10, 250), demo_rng_range(r, 0, 255), demo_rng_range(r, 2, 250));
        e.subject = DEMO_PICK(r, ((const char *[]){"You won a $500 gift card!", "Limited time: 80% off",
                                                  "Claim your reward now", "Lowest prices guaranteed"}));
        e.urls[e.nurls++] = demo_tmpf(c, "http://%s/c/%d", dom, num);
        e.threats = "Spam";
        e.action = "Junked";
        e.detection = "{\"Spam\":[\"Advanced filter\"]}";
        e.confidence = "{\"Spam\":\"High\"}";
        e.policy = "Antispam";
        e.spf = "softfail";
        e.dmarc = "none";
        e.compauth = "fail";
        e.bcl = 8;
    } else if (x < 0.996) {
        size_t k = demo_rng_below(r, SP_ARRAY_LEN(PHISH_DOMAINS));
        const char *dom = PHISH_DOMAINS[k];
        e.from_addr = demo_tmpf(c, "no-reply@%s", dom);
        e.from_display = "IT Service Desk";
        e.sender_ip = demo_tmpf(c, "203.0.113.%d", 150 + (int)k);
        e.subject = PHISH_SUBJ[k];
        e.urls[e.nurls++] = demo_tmpf(c, "https://%s/login?session=%d", dom, num);
        e.threats = "Phish";
        bool slipped = demo_rng_chance(r, 0.12);
        e.action = slipped ? "Delivered" : "Blocked";
        e.location = slipped ? "Inbox/Folder" : "Quarantine";
        e.detection = "{\"Phish\":[\"URL detonation reputation\",\"Impersonation brand\"]}";
        e.confidence = slipped ? "{\"Phish\":\"Low\"}" : "{\"Phish\":\"High\"}";
        e.policy = "Antispam phishing";
        e.spf = "fail";
        e.dkim = "none";
        e.dmarc = "fail";
        e.compauth = "fail";
        const char *nmid = demo_email(c, r, &e);
        if (slipped && demo_rng_chance(r, 0.5)) {
            demo_click(c, &(dm_click){.t = t + demo_rng_range(r, 60, 7200) * DEMO_SEC, .user = u, .url = e.urls[0],
                                      .nmid = nmid, .ip = demo_user_ip(c, u, d), .action = "ClickBlocked",
                                      .threats = "Phish", .through = false});
        }
        return;
    } else {
        const char *const *m = MAL_ATT[demo_rng_below(r, SP_ARRAY_LEN(MAL_ATT))];
        e.from_addr = demo_tmpf(c, "%s@%s", DEMO_PICK(r, ((const char *[]){"billing", "scanner", "hr", "payments"})),
                                DEMO_PICK(r, ((const char *[]){"invoice-notify.net", "docs-delivery.org", "scan-to-mail.info"})));
        e.from_display = "Accounts Department";
        e.sender_ip = demo_tmpf(c, "198.51.100.%d", demo_rng_range(r, 150, 200));
        e.subject = demo_tmpf(c, "Invoice %d attached", num);
        e.att[e.natt++] = (dm_attach){.name = m[0], .type = m[1], .threat = "Malware", .threat_name = m[2],
                                      .sha256 = demo_sha_tmp(m[0])};
        e.threats = "Malware";
        e.threat_names = m[2];
        e.action = "Blocked";
        e.location = "Quarantine";
        e.detection = "{\"Malware\":[\"File detonation\",\"Antimalware protection\"]}";
        e.policy = "Antimalware";
        e.spf = "fail";
        e.dmarc = "fail";
        e.compauth = "fail";
    }
    const char *nmid = demo_email(c, r, &e);
    if (e.nurls && !e.threats && demo_rng_chance(r, 0.12))
        demo_click(c, &(dm_click){.t = t + demo_rng_range(r, 20, 5400) * DEMO_SEC, .user = u, .url = e.urls[0],
                                  .nmid = nmid, .ip = demo_user_ip(c, u, d), .through = true});
}

static void outbound(demo_ctx *c, demo_rng *r, int u, int64_t t) {
    const sender *s = &PARTNERS[demo_rng_below(r, SP_ARRAY_LEN(PARTNERS))];
    int num = demo_rng_range(r, 10000, 99999);
    dm_email e = {.t = t, .to = -1, .to_addr = s->addr, .from = u, .sender_ip = "40.107.22.10",
                  .subject = demo_tmpf(c, DEMO_PICK(r, ((const char *[]){"RE: Purchase order %d", "Quote %d",
                                                                        "RE: Invoice %d", "Follow-up on our call",
                                                                        "Signed contract %d"})), num)};
    if (demo_rng_chance(r, 0.25)) e.att[e.natt++] = (dm_attach){.name = demo_tmpf(c, "Contoso_%d.pdf", num), .type = "pdf"};
    demo_email(c, r, &e);
}

void demo_bg_email(demo_ctx *c) {
    const demo_org *o = &c->org;
    for (int d = 0; d <= c->days; d++) {
        demo_rng r;
        demo_rng_seed(&r, c->opt.seed, "email", (uint64_t)d);
        int64_t day0 = demo_day_start(c, d);
        for (int u = 0; u < o->nusers; u++) {
            const demo_user *pu = &o->users[u];
            if (pu->kind != ACCT_PERSON) continue;
            int64_t begin, end;
            bool works = demo_workday(c, u, d, &begin, &end);
            if (!works) {
                begin = day0;
                end = day0 + DEMO_DAY;
            }
            /* Mail arrives around the clock, more of it in working hours. */
            int n = demo_rng_poisson(&r, (works ? 6.0 : 1.2) * c->scale);
            for (int k = 0; k < n; k++) {
                int64_t t = demo_rng_chance(&r, 0.75)
                                ? begin + (int64_t)(demo_rng_unit(&r) * (double)(end - begin))
                                : day0 + (int64_t)(demo_rng_unit(&r) * (double)DEMO_DAY);
                inbound(c, &r, u, t + demo_jitter_ms(&r), d);
            }
            if (works) {
                int m = demo_rng_poisson(&r, (pu->dept == 3 || pu->dept == 1 || pu->dept == 12 ? 3.0 : 1.0) * c->scale);
                for (int k = 0; k < m; k++)
                    outbound(c, &r, u, begin + (int64_t)(demo_rng_unit(&r) * (double)(end - begin)) + demo_jitter_ms(&r));
            }
        }
    }
}
