/* Story: MFA fatigue. With a stolen password, an attacker behind a VPN pushes
 * MFA prompts late at night until a London salesperson approves one, then takes files. */
#include "demo_int.h"

#include <stdio.h>

void demo_story_mfa_fatigue(demo_ctx *c) {
    const demo_org *o = &c->org;
    const demo_plan *p = &c->plan;
    demo_rng r;
    demo_rng_seed(&r, c->opt.seed, "story-mfa", 0);
    int v = p->mfa_victim;
    const demo_user *vu = &o->users[v];
    const demo_geo *geo = demo_geo_find("Sao Paulo");
    const char *ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/128.0.0.0 Safari/537.36";
    demo_story *s = demo_story_new(c, "mfa_fatigue", "MFA fatigue (push bombing) ending in an approval");
    s->summary = "An attacker with a salesperson's stolen password signs in through an anonymising "
                 "VPN late at night and sends push after push; after half an hour the tired user "
                 "approves one. The attacker registers a phone of their own and downloads customer "
                 "files from SharePoint. The user reports it the next morning; helpdesk resets the "
                 "password and removes the rogue method.";
    s->techniques = "T1621, T1078.004, T1098.005, T1530, T1213.002";

    /* 1. The push storm: each try is an MFA interrupt then a denial or timeout. */
    int pushes = 0;
    int64_t t = p->mfa_begin;
    char corr[37];
    while (t < p->mfa_approve - 90 * DEMO_SEC) {
        demo_guid(&r, corr);
        const char *cid = demo_strf(c, "%s", corr);
        const char *app = demo_rng_chance(&r, 0.6) ? "Office 365 Exchange Online" : "OfficeHome";
        demo_signin(c, &(dm_signin){.t = t, .user = v, .ip = IOC_MFA_IP, .geo = geo, .app = app, .dev = -1,
                                    .os = "Windows10", .browser = "Chrome 128.0.0", .ua = ua, .result = 50074,
                                    .risk_level = "medium", .risk_state = "atRisk", .correlation = cid,
                                    .risk_events = "[\"anonymizedIPAddress\"]"});
        demo_signin(c, &(dm_signin){.t = t + demo_rng_range(&r, 25, 60) * DEMO_SEC, .user = v, .ip = IOC_MFA_IP,
                                    .geo = geo, .app = app, .dev = -1, .os = "Windows10",
                                    .browser = "Chrome 128.0.0", .ua = ua, .result = 500121, .mfa_prompt = true,
                                    .risk_level = "medium", .risk_state = "atRisk", .correlation = cid,
                                    .risk_events = "[\"anonymizedIPAddress\"]"});
        pushes++;
        t += demo_rng_range(&r, 70, 140) * DEMO_SEC;
    }
    demo_story_event(c, s, p->mfa_begin, "SigninLogs", "first MFA push denied (500121)");
    /* 2. The approval. */
    demo_signin(c, &(dm_signin){.t = p->mfa_approve, .user = v, .ip = IOC_MFA_IP, .geo = geo,
                                .app = "Office 365 Exchange Online", .dev = -1, .os = "Windows10",
                                .browser = "Chrome 128.0.0", .ua = ua, .mfa_prompt = true, .risk_level = "medium",
                                .risk_state = "atRisk", .risk_events = "[\"anonymizedIPAddress\",\"unfamiliarFeatures\"]"});
    demo_story_event(c, s, p->mfa_approve, "SigninLogs", "push approved: sign-in succeeds from the VPN exit");
    static const char *const APPS[] = {"My Signins", "Office 365 SharePoint Online", "OfficeHome", "Office 365 SharePoint Online"};
    for (int k = 0; k < 4; k++)
        demo_signin(c, &(dm_signin){.t = p->mfa_approve + (2 + k * 6) * DEMO_MIN, .user = v, .ip = IOC_MFA_IP, .geo = geo,
                                    .app = APPS[k], .dev = -1, .os = "Windows10", .browser = "Chrome 128.0.0", .ua = ua,
                                    .mfa_prompt = true, .mfa_method = "Previously satisfied", .risk_level = "low",
                                    .risk_state = "atRisk", .risk_events = "[\"anonymizedIPAddress\"]"});

    /* 3. Persistence, then the files. */
    demo_audit(c, &(dm_audit){.t = p->mfa_approve + 4 * DEMO_MIN, .op = "User registered security info", .actor = v,
                              .actor_ip = IOC_MFA_IP, .target = v, .service = "Authentication Methods",
                              .props = "{\"displayName\":\"StrongAuthenticationPhoneAppDetail\",\"oldValue\":\"[1 device]\",\"newValue\":\"[2 devices]\"}"});
    demo_story_event(c, s, p->mfa_approve + 4 * DEMO_MIN, "AuditLogs", "attacker registers their own authenticator");
    static const char *const FILES[] = {"Key accounts EMEA.xlsx", "Price list 2025.pdf", "Pipeline Q4.xlsx",
                                        "Customer contacts.csv", "Discount approvals.xlsx", "Renewals 2025.xlsx",
                                        "Partner agreement - Fabrikam.docx", "Territory plan UK.pptx",
                                        "Competitive analysis.docx", "Quote templates.zip", "Top 50 customers.xlsx",
                                        "Commission plan.pdf"};
    const char *site = "https://contoso.sharepoint.com/sites/Sales/";
    for (size_t k = 0; k < SP_ARRAY_LEN(FILES); k++) {
        int64_t ft = p->mfa_approve + 9 * DEMO_MIN + (int64_t)k * 47 * DEMO_SEC;
        demo_office_activity(c, &(dm_office){.t = ft, .user = v, .ip = IOC_MFA_IP, .workload = "SharePoint",
                                             .op = "FileDownloaded", .site_url = site, .rel_url = "Shared Documents/Accounts",
                                             .file = FILES[k], .ua = ua,
                                             .object_id = demo_strf(c, "%sShared Documents/Accounts/%s", site, FILES[k])});
    }
    demo_story_event(c, s, p->mfa_approve + 9 * DEMO_MIN, "OfficeActivity", "12 Sales files downloaded from SharePoint");

    /* 4. The next morning: the user reports, helpdesk cleans up. */
    int64_t report = demo_at(c, 3, 8, 31, 0);
    int admin = o->admins[4];
    const char *aip = demo_offices[OFF_LONDON].egress[0];
    demo_audit(c, &(dm_audit){.t = report + 6 * DEMO_MIN, .op = "Update user", .actor = admin, .actor_ip = aip, .target = v,
                              .props = "{\"displayName\":\"StsRefreshTokensValidFrom\",\"oldValue\":null,\"newValue\":null}"});
    demo_audit(c, &(dm_audit){.t = report + 8 * DEMO_MIN, .op = "Reset user password", .actor = admin, .actor_ip = aip, .target = v});
    demo_audit(c, &(dm_audit){.t = report + 10 * DEMO_MIN, .op = "Admin deleted security info", .actor = admin, .actor_ip = aip,
                              .target = v, .service = "Authentication Methods"});
    demo_story_event(c, s, report + 8 * DEMO_MIN, "AuditLogs", "helpdesk resets the password and removes the rogue method");

    /* Alerts and the incident. */
    demo_alert *a1 = demo_alert_new(c, SRC_AADIP, "Anonymous IP address", "Medium", p->mfa_approve + 3 * DEMO_MIN);
    a1->category = "InitialAccess";
    a1->tactics = "InitialAccess";
    a1->techniques = "T1078.004, T1090.003";
    a1->desc = "Sign-in from an anonymous IP address (e.g. Tor browser, anonymizer VPNs).";
    a1->start = a1->end = p->mfa_approve;
    a1->ext = "\"Client Location\":\"Sao Paulo, Sao Paulo, BR\"";
    demo_ent_user(a1, v);
    demo_ent_ip(a1, IOC_MFA_IP);

    demo_alert *a2 = demo_alert_new(c, SRC_SENTINEL, "MFA Spamming followed by Successful login", "High", p->mfa_approve + 21 * DEMO_MIN);
    a2->category = "CredentialAccess";
    a2->tactics = "CredentialAccess";
    a2->techniques = "T1621";
    a2->rule_id = "c3f4a5b6-2d1e-4f70-8a9b-7c6d5e4f3a21";
    a2->desc = "Identifies accounts with more than 10 MFA denials followed by a successful MFA sign-in within a short window.";
    a2->start = p->mfa_begin;
    a2->end = p->mfa_approve;
    a2->ext = demo_strf(c, "\"Search Query Results Overall Count\":\"%d\",\"Data Sources\":\"[\\\"SigninLogs\\\"]\"", pushes);
    demo_ent_user(a2, v);
    demo_ent_ip(a2, IOC_MFA_IP);

    demo_alert *a3 = demo_alert_new(c, SRC_MDCA, "Activity from anonymous IP addresses", "Medium", p->mfa_approve + 33 * DEMO_MIN);
    a3->category = "InitialAccess";
    a3->tactics = "InitialAccess, Collection";
    a3->techniques = "T1090.003, T1530";
    a3->desc = "Files were downloaded from SharePoint from an IP address identified as an anonymous proxy.";
    a3->start = p->mfa_approve + 9 * DEMO_MIN;
    a3->end = p->mfa_approve + 18 * DEMO_MIN;
    demo_ent_user(a3, v);
    demo_ent_ip(a3, IOC_MFA_IP);
    demo_ent_app(a3, "Microsoft SharePoint Online");

    demo_alert *a4 = demo_alert_new(c, SRC_AADIP, "User reported suspicious activity", "High", report + 2 * DEMO_MIN);
    a4->category = "CredentialAccess";
    a4->tactics = "CredentialAccess";
    a4->techniques = "T1621";
    a4->desc = "The user reported an MFA prompt they did not initiate as suspicious.";
    a4->start = a4->end = report;
    demo_ent_user(a4, v);
    demo_ent_ip(a4, IOC_MFA_IP);
    demo_alert *alerts[] = {a1, a2, a3, a4};
    for (size_t k = 0; k < SP_ARRAY_LEN(alerts); k++) alerts[k]->story = "mfa_fatigue";

    demo_incident *inc = demo_incident_new(c, "MFA fatigue attack: repeated push notifications followed by an approval",
                                           "High", a1->time + 60 * DEMO_SEC);
    inc->story = "mfa_fatigue";
    inc->desc = "Repeated MFA denials followed by a successful sign-in from an anonymous IP address; files downloaded afterwards.";
    for (size_t k = 0; k < SP_ARRAY_LEN(alerts); k++) demo_incident_add_alert(c, inc, alerts[k]);
    inc->owner = o->analysts[3];
    inc->assigned_at = report - 40 * DEMO_MIN;
    inc->active_at = report - 35 * DEMO_MIN;
    inc->closed_at = report + 3 * DEMO_HOUR + 12 * DEMO_MIN;
    inc->classification = "TruePositive";
    inc->reason = "SuspiciousActivity";
    inc->class_comment = "Confirmed MFA fatigue. Password reset, sessions revoked, attacker's authenticator removed; Sales notified about the downloaded files.";
    demo_incident_label(inc, "Identity", false);
    demo_incident_label(inc, "MFA fatigue", true);
    demo_incident_comment(inc, inc->active_at + 5 * DEMO_MIN, inc->owner,
                          demo_strf(c, "%d denied pushes before the approval at %s UTC; source is a commercial VPN exit in Brazil.",
                                    pushes, "22:41"));
    demo_incident_comment(inc, report + 15 * DEMO_MIN, inc->owner,
                          "User confirmed she approved a prompt by mistake while half asleep. Helpdesk reset done.");
    demo_rng lr;
    demo_rng_seed(&lr, c->opt.seed, "story-mfa-life", 0);
    demo_incident_lifecycle(c, inc, &lr, "Closed", "TruePositive");

    demo_story_fact(c, s, "victim", vu->upn);
    demo_story_fact(c, s, "attacker_ip", IOC_MFA_IP);
    demo_story_fact(c, s, "attacker_country", "BR");
    demo_story_fact(c, s, "denied_pushes", demo_strf(c, "%d", pushes));
    demo_story_fact(c, s, "files_downloaded", "12");
}
