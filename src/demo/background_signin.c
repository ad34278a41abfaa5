/* Everyday Entra ID sign-ins: each person's first sign-in of the day and app
 * sign-ins through the working day, MFA interrupts, typos, travel, VPN, legacy clients. */
#include "demo_int.h"

#include <stdio.h>

static const char *const APPS_ALL[] = {"Office 365 Exchange Online", "Microsoft Teams",
                                       "Office 365 SharePoint Online", "OfficeHome",
                                       "OneDrive SyncEngine", "Microsoft Office", "Microsoft Teams",
                                       "Office 365 Exchange Online"};

static const char *dept_app(demo_rng *r, int dept) {
    static const char *const SALES[] = {"Salesforce", "DocuSign", "Zoom", "Salesforce"};
    static const char *const FIN[] = {"Concur", "Workday", "DocuSign"};
    static const char *const HR[] = {"Workday", "Workday", "Zoom"};
    static const char *const ENG[] = {"GitHub Enterprise Cloud", "Atlassian Cloud",
                                      "Microsoft Azure CLI", "Azure Portal", "GitHub Enterprise Cloud"};
    static const char *const RND[] = {"GitHub Enterprise Cloud", "Atlassian Cloud"};
    static const char *const IT[] = {"Azure Portal", "ServiceNow", "Microsoft Intune Company Portal",
                                     "ServiceNow"};
    static const char *const SUP[] = {"ServiceNow", "Zoom", "Salesforce"};
    static const char *const SEC[] = {"Azure Portal", "ServiceNow"};
    static const char *const OTHER[] = {"Zoom", "Concur", "Workday"};
    switch (dept) {
    case 3: return DEMO_PICK(r, SALES);
    case 1: return DEMO_PICK(r, FIN);
    case 2: return DEMO_PICK(r, HR);
    case 5: return DEMO_PICK(r, ENG);
    case 6: return DEMO_PICK(r, RND);
    case 7: return DEMO_PICK(r, IT);
    case 10: return DEMO_PICK(r, SUP);
    case 8: return DEMO_PICK(r, SEC);
    default: return DEMO_PICK(r, OTHER);
    }
}

/* A person's trip abroad, if they take one in the window: start day and length. */
static bool on_trip(const demo_ctx *c, int user, int d, const demo_geo **where) {
    uint64_t h = sp_hash_u64(c->opt.seed * 31 + (uint64_t)user * 7 + 99);
    if (h % 100 >= 7) return false;
    int start = (int)((h >> 8) % (uint64_t)(c->days - 3)) + 1;
    int len = 2 + (int)((h >> 16) % 3);
    if (d < start || d >= start + len) return false;
    static const char *const CITIES[] = {"Toronto", "Paris", "Amsterdam", "Singapore", "Dublin",
                                         "Madrid", "Tokyo", "Mexico City", "Sydney"};
    *where = demo_geo_find(CITIES[(h >> 24) % SP_ARRAY_LEN(CITIES)]);
    return true;
}

static void trip_ip(const demo_geo *g, int user, char out[16]) {
    uint64_t h = sp_hash_bytes(g->city, strlen(g->city), (uint64_t)user);
    /* hotel and mobile networks abroad */
    static const int NETS[] = {37, 46, 85, 95, 103, 126, 177, 189, 201};
    snprintf(out, 16, "%d.%d.%d.%d", NETS[h % SP_ARRAY_LEN(NETS)], (int)((h >> 8) % 250) + 2,
             (int)((h >> 16) % 255), (int)((h >> 24) % 250) + 3);
}

typedef struct day_ctx {
    int user, d, dev;
    const char *ip;
    const demo_geo *geo;
    const char *risk;
    const char *risk_events;
} day_ctx;

static void one(demo_ctx *c, demo_rng *r, const day_ctx *dc, int64_t t, const char *app) {
    dm_signin s = {.t = t, .user = dc->user, .ip = dc->ip, .geo = dc->geo, .app = app,
                   .dev = dc->dev, .risk_level = dc->risk, .risk_events = dc->risk_events,
                   .risk_state = dc->risk ? "none" : NULL};
    double x = demo_rng_unit(r);
    if (x < 0.015) {
        /* a typo first */
        dm_signin f = s;
        f.result = 50126;
        demo_signin(c, &f);
        s.t += demo_rng_range(r, 8, 60) * DEMO_SEC;
    } else if (x < 0.035) {
        dm_signin f = s;
        f.result = 50140;
        demo_signin(c, &f);
        s.t += demo_rng_range(r, 3, 20) * DEMO_SEC;
    } else if (x < 0.06) {
        dm_signin f = s;
        f.result = demo_rng_chance(r, 0.5) ? 50074 : 50076;
        demo_signin(c, &f);
        s.t += demo_rng_range(r, 10, 50) * DEMO_SEC;
        s.mfa_prompt = true;
        if (demo_rng_chance(r, 0.12)) {
            /* the push timed out or was tapped away; the second one is approved */
            dm_signin m = s;
            m.result = 500121;
            demo_signin(c, &m);
            s.t += demo_rng_range(r, 30, 90) * DEMO_SEC;
        }
    } else if (x < 0.066) {
        dm_signin f = s;
        f.result = 53003;
        f.dev = -1;
        f.os = "Windows10";
        f.browser = "Chrome 131.0.0";
        demo_signin(c, &f);
        return;
    } else if (x < 0.07) {
        dm_signin f = s;
        f.result = 70043;
        demo_signin(c, &f);
        s.t += demo_rng_range(r, 5, 30) * DEMO_SEC;
    } else if (x < 0.0705) {
        dm_signin f = s;
        f.result = 50055;
        demo_signin(c, &f);
        return;
    }
    demo_signin(c, &s);
}

static void person_day(demo_ctx *c, demo_rng *r, int u, int d) {
    const demo_org *o = &c->org;
    const demo_user *pu = &o->users[u];
    int64_t begin, end;
    if (!demo_workday(c, u, d, &begin, &end)) return;
    day_ctx dc = {.user = u, .d = d, .dev = pu->device};
    dc.ip = demo_user_ip(c, u, d);
    dc.geo = demo_user_geo(c, u, d);
    char tip[16];
    const demo_geo *trip;
    bool abroad = on_trip(c, u, d, &trip);
    if (abroad) {
        trip_ip(trip, u, tip);
        dc.ip = tip;
        dc.geo = trip;
        dc.risk = demo_rng_chance(r, 0.4) ? "low" : NULL;
        dc.risk_events = dc.risk ? "[\"unfamiliarFeatures\"]" : NULL;
    }
    /* Morning: the device's own sign-in, then apps through the day. */
    one(c, r, &dc, begin + demo_rng_range(r, 20, 240) * DEMO_SEC, "Windows Sign In");
    double lambda = 6.0 * pu->activity * c->scale;
    int n = demo_rng_poisson(r, lambda);
    bool vpn = !abroad && (pu->dept == 5 || pu->dept == 7) && demo_remote_day(c, u, d) &&
               demo_rng_chance(r, 0.3);
    for (int k = 0; k < n; k++) {
        int64_t t = begin + (int64_t)(demo_rng_unit(r) * (double)(end - begin)) + demo_jitter_ms(r);
        const char *app = demo_rng_chance(r, 0.72) ? DEMO_PICK(r, APPS_ALL) : dept_app(r, pu->dept);
        day_ctx v = dc;
        if (vpn && (k & 1)) {
            /* split tunnel: some traffic leaves through the Chicago VPN egress */
            v.ip = demo_offices[OFF_REMOTE].egress[0];
            v.geo = demo_geo_find("Chicago");
        }
        one(c, r, &v, t, app);
    }
    /* The phone: Outlook and Teams a few times a day. */
    if (pu->mobile >= 0) {
        int m = demo_rng_poisson(r, 3.0 * c->scale);
        for (int k = 0; k < m; k++) {
            int64_t t = begin - DEMO_HOUR + (int64_t)(demo_rng_unit(r) * (double)(end - begin + 3 * DEMO_HOUR));
            day_ctx v = dc;
            v.dev = pu->mobile;
            if (!abroad) {
                v.ip = pu->home_ip;
                v.geo = pu->home;
            }
            one(c, r, &v, t, demo_rng_chance(r, 0.6) ? "Outlook Mobile" : "Microsoft Teams");
        }
    }
}

/* A few people still run old mail clients that try basic authentication, and
 * the clients retry all day, whether their owner is working or not. */
static void legacy_clients(demo_ctx *c, demo_rng *r, int u, int d) {
    const demo_user *pu = &c->org.users[u];
    if (u % 37 != 5 || !pu->enabled) return;
    static const char *const LEGACY[] = {"MAPI Over HTTP", "Offline Address Book",
                                         "Exchange Web Services", "AutoDiscover", "IMAP4",
                                         "POP3", "Other clients", "Exchange ActiveSync"};
    const char *client = LEGACY[(u / 37) % SP_ARRAY_LEN(LEGACY)];
    int tries = demo_rng_range(r, 4, 9);
    int64_t day0 = demo_day_start(c, d);
    const char *ip = demo_user_ip(c, u, d);
    const demo_geo *geo = demo_user_geo(c, u, d);
    for (int k = 0; k < tries; k++) {
        bool eas = !strcmp(client, "Exchange ActiveSync");
        dm_signin s = {.t = day0 + (int64_t)((k + demo_rng_unit(r)) * (double)DEMO_DAY / tries), .user = u,
                       .ip = ip, .geo = geo, .app = "Office 365 Exchange Online",
                       .client_app = client, .dev = -1, .os = "Windows10",
                       .browser = "Rich Client 15.0.5589", .single_factor = true,
                       .ua = eas ? "Apple-iPhone15C2/2107.84"
                                 : "Microsoft Office/15.0 (Windows NT 10.0; Microsoft Outlook 15.0.5589; Pro)",
                       .result = eas ? 0 : 53003, .ca_status = eas ? "notApplied" : "failure"};
        demo_signin(c, &s);
    }
}

static void admin_day(demo_ctx *c, demo_rng *r, int a, int d) {
    const demo_user *au = &c->org.users[a];
    int64_t begin, end;
    if (!demo_workday(c, au->person, d, &begin, &end)) return;
    int n = demo_rng_poisson(r, 2.5 * c->scale);
    int dev = c->org.mgmt1;
    for (int k = 0; k < n; k++) {
        int64_t t = begin + (int64_t)(demo_rng_unit(r) * (double)(end - begin));
        static const char *const APPS[] = {"Azure Portal", "Azure Portal", "Microsoft Azure PowerShell",
                                           "Microsoft Azure CLI", "Office 365 Exchange Online",
                                           "Microsoft Intune Company Portal"};
        const char *app = DEMO_PICK(r, APPS);
        bool ps = !strcmp(app, "Microsoft Azure PowerShell");
        bool pwsh7 = ps && demo_rng_chance(r, 0.7);
        dm_signin s = {.t = t, .user = a, .ip = demo_user_ip(c, a, d), .geo = demo_user_geo(c, a, d),
                       .app = app, .dev = dev,
                       .client_app = ps ? "Mobile Apps and Desktop clients" : "Browser",
                       .ua = pwsh7 ? "Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.20348; en-US) PowerShell/7.4.6"
                             : ps ? "Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.20348.2849" : NULL};
        if (demo_rng_chance(r, 0.02)) {
            dm_signin f = s;
            f.result = 50126;
            demo_signin(c, &f);
            s.t += 30 * DEMO_SEC;
        }
        demo_signin(c, &s);
    }
}

static void service_day(demo_ctx *c, demo_rng *r, int d) {
    const demo_org *o = &c->org;
    int64_t day0 = demo_day_start(c, d);
    int wd = sp_weekday(day0);
    bool weekend = wd == 0 || wd == 6;
    /* the scan-to-email account: SMTP AUTH from the office */
    int n = demo_rng_poisson(r, (weekend ? 2.0 : 14.0) * c->scale);
    for (int k = 0; k < n; k++) {
        dm_signin s = {.t = day0 + (int64_t)((0.55 + demo_rng_unit(r) * 0.45) * (double)DEMO_DAY),
                       .user = o->svc_scanner, .ip = demo_offices[OFF_CHICAGO].egress[0],
                       .geo = demo_geo_find("Chicago"), .app = "Office 365 Exchange Online",
                       .client_app = "Authenticated SMTP", .dev = -1, .os = "",
                       .browser = "", .ua = "", .single_factor = true, .ca_status = "notApplied"};
        demo_signin(c, &s);
    }
    /* monitoring and build scripts */
    int mon = demo_user_find(o, "svc-monitor@" DEMO_DOMAIN);
    static const char *const UA[] = {"python-requests/2.31.0", "Wget/1.21.2", "curl/7.81.0"};
    int m = demo_rng_poisson(r, 4.0 * c->scale);
    for (int k = 0; k < m && mon >= 0; k++) {
        dm_signin s = {.t = day0 + (int64_t)(demo_rng_unit(r) * (double)DEMO_DAY), .user = mon,
                       .ip = demo_offices[OFF_CHICAGO].egress[1], .geo = demo_geo_find("Chicago"),
                       .app = "Microsoft Azure CLI", .client_app = "Mobile Apps and Desktop clients",
                       .dev = -1, .os = "Linux", .browser = "", .ua = DEMO_PICK(r, UA),
                       .single_factor = true, .ca_status = "notApplied",
                       .noninteractive = true};
        if (demo_rng_chance(r, 0.03)) s.result = 50126;
        demo_signin(c, &s);
    }
    /* guests from partner companies */
    for (int g = 0; g < o->nusers; g++) {
        const demo_user *gu = &o->users[g];
        if (gu->kind != ACCT_GUEST || weekend || !demo_rng_chance(r, 0.35)) continue;
        dm_signin s = {.t = day0 + (int64_t)((0.35 + demo_rng_unit(r) * 0.4) * (double)DEMO_DAY),
                       .user = g, .ip = gu->home_ip, .geo = gu->home,
                       .app = demo_rng_chance(r, 0.5) ? "Microsoft Teams" : "Office 365 SharePoint Online",
                       .dev = -1, .os = "Windows10", .browser = "Edge 130.0.2849"};
        if (demo_rng_chance(r, 0.08)) s.result = 50058;
        demo_signin(c, &s);
    }
}

void demo_bg_signin(demo_ctx *c) {
    const demo_org *o = &c->org;
    for (int d = 0; d <= c->days; d++) {
        demo_rng r;
        demo_rng_seed(&r, c->opt.seed, "signin", (uint64_t)d);
        for (int u = 0; u < o->nusers; u++)
            if (o->users[u].kind == ACCT_PERSON) {
                person_day(c, &r, u, d);
                legacy_clients(c, &r, u, d);
            }
        for (int k = 0; k < o->nadmins; k++) admin_day(c, &r, o->admins[k], d);
        service_day(c, &r, d);
    }
}
