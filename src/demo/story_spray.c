/* Story: password spray. Three hosting-provider IPs try one password against
 * every account in two hours; two legacy-auth logins succeed and mail is read over IMAP. */
#include "demo_int.h"

#include <stdio.h>

typedef struct sprayer {
    const char *ip, *ua, *client, *app, *city;
    double share;              /* fraction of the accounts it tries */
} sprayer;

static const sprayer SPRAYERS[] = {
    {IOC_SPRAY_IP1, "python-requests/2.31.0", "Mobile Apps and Desktop clients", "Microsoft Azure PowerShell", "Moscow", 1.0},
    {IOC_SPRAY_IP2, "Go-http-client/1.1", "IMAP4", "Office 365 Exchange Online", "Bucharest", 0.25},
    {IOC_SPRAY_IP3, "curl/8.4.0", "Authenticated SMTP", "Office 365 Exchange Online", "Ho Chi Minh City", 0.16},
};

void demo_story_spray(demo_ctx *c) {
    const demo_org *o = &c->org;
    const demo_plan *p = &c->plan;
    demo_rng r;
    demo_rng_seed(&r, c->opt.seed, "story-spray", 0);
    demo_story *s = demo_story_new(c, "spray", "Password spray with a few successes");
    s->summary = "Three hosting-provider IPs spray one seasonal password against every account in "
                 "two hours (python-requests via ROPC, Go over IMAP4, curl over SMTP AUTH). One "
                 "account's password is right but MFA stops it; two accounts excluded from the "
                 "legacy-authentication block fall, and the attacker reads one mailbox over IMAP.";
    s->techniques = "T1110.003, T1078.004, T1114.002";
    int64_t span = p->spray_end - p->spray_begin;

    /* Who gets tried: every enabled person and admin, plus guessed names. */
    int targets[700], nt = 0;
    for (int u = 0; u < o->nusers; u++)
        if ((o->users[u].kind == ACCT_PERSON || o->users[u].kind == ACCT_ADMIN) && o->users[u].enabled) targets[nt++] = u;
    for (int i = nt - 1; i > 0; i--) {
        int j = (int)demo_rng_below(&r, (uint32_t)(i + 1));
        int tmp = targets[i];
        targets[i] = targets[j];
        targets[j] = tmp;
    }
    /* The two accounts that fall are among those the legacy-protocol sprayers try. */
    for (int k = 1; k <= 2; k++) {
        int want = (k * 97 % nt + 10 * k) % nt;
        for (int i = 0; i < nt; i++)
            if (targets[i] == p->spray_hits[k]) {
                targets[i] = targets[want];
                targets[want] = p->spray_hits[k];
                break;
            }
    }
    int attempts = 0, failures = 0;
    for (size_t k = 0; k < SP_ARRAY_LEN(SPRAYERS); k++) {
        const sprayer *sp = &SPRAYERS[k];
        const demo_geo *geo = demo_geo_find(sp->city);
        int n = (int)(nt * sp->share);
        int offset = (int)k * 97 % nt;
        for (int i = 0; i < n; i++) {
            int u = targets[(offset + i) % nt];
            int64_t t = p->spray_begin + (int64_t)((double)span * i / n) + demo_rng_range(&r, 0, 5000) * SP_TICKS_PER_MS;
            int result = demo_rng_chance(&r, 0.03) ? 50053 : 50126;
            if (k == 0 && u == p->spray_hits[0]) result = 50076;       /* right password, MFA stops it */
            if (k == 1 && u == p->spray_hits[1]) result = 0;
            if (k == 2 && u == p->spray_hits[2]) result = 0;
            demo_signin(c, &(dm_signin){.t = t, .user = u, .ip = sp->ip, .geo = geo, .app = sp->app,
                                        .client_app = sp->client, .ua = sp->ua, .dev = -1, .os = "",
                                        .browser = "", .single_factor = true, .result = result,
                                        .ca_status = "notApplied",
                                        .risk_level = result == 0 ? "medium" : NULL,
                                        .risk_state = result == 0 ? "atRisk" : NULL,
                                        .risk_events = result == 0 ? "[\"passwordSpray\",\"unfamiliarFeatures\"]" : NULL});
            attempts++;
            failures += result != 0;
        }
    }
    /* spray_hits[1] and [2] sit in the legacy-authentication exclusion group, so IMAP4 and
     * SMTP AUTH let them in; spray_hits[0]'s password was right too, but MFA stopped ROPC. */
    demo_story_event(c, s, p->spray_begin, "SigninLogs", "spray starts from three IPs");
    demo_story_event(c, s, p->spray_end, "SigninLogs", "spray ends");

    /* The attacker reads the first compromised mailbox over IMAP and mails from the second. */
    int imap = p->spray_hits[1], smtp = p->spray_hits[2];
    for (int k = 0; k < 8; k++)
        demo_office_activity(c, &(dm_office){.t = p->spray_end + (12 + k * 3) * DEMO_MIN, .user = imap, .ip = IOC_SPRAY_IP2,
                                             .workload = "Exchange", .op = "MailItemsAccessed",
                                             .object_id = o->users[imap].upn, .client_info = "Client=IMAP4"});
    for (int k = 0; k < 5; k++)
        demo_email(c, &r, &(dm_email){.t = p->spray_end + (30 + k * 2) * DEMO_MIN, .to = -1,
                                      .to_addr = demo_strf(c, "%s@%s", DEMO_PICK(&r, ((const char *[]){"finance", "ap", "billing", "accounts"})),
                                                           DEMO_PICK(&r, ((const char *[]){"fabrikam.com", "litwareinc.com", "proseware.com", "relecloud.com", "woodgrovebank.com"}))),
                                      .from = smtp, .sender_ip = IOC_SPRAY_IP3,
                                      .subject = "Overdue payment - updated invoice attached",
                                      .urls = {"https://secure-docs-share.net/invoice/view?id=77812"}, .nurls = 1});
    demo_story_event(c, s, p->spray_end + 12 * DEMO_MIN, "OfficeActivity", "mailbox read over IMAP4 from the spray IP");

    /* Alerts and the incident Sentinel raises. */
    demo_alert *a1 = demo_alert_new(c, SRC_SENTINEL, "Password spray attack against Azure AD application", "Medium",
                                    p->spray_begin + 62 * DEMO_MIN);
    a1->category = "CredentialAccess";
    a1->tactics = "CredentialAccess";
    a1->techniques = "T1110.003";
    a1->rule_id = "5ec1d9a3-7f2e-4a1b-8c6d-0e9f2b3a4c51";
    a1->desc = "Identifies evidence of password spray activity against Azure AD applications by looking for failures from multiple accounts from the same IP address within a time window.";
    a1->start = p->spray_begin;
    a1->end = p->spray_begin + 60 * DEMO_MIN;
    a1->ext = demo_strf(c, "\"Search Query Results Overall Count\":\"%d\",\"Data Sources\":\"[\\\"SigninLogs\\\"]\"", failures / 2);
    demo_ent_ip(a1, IOC_SPRAY_IP1);
    demo_ent_ip(a1, IOC_SPRAY_IP2);
    demo_ent_ip(a1, IOC_SPRAY_IP3);
    for (int k = 0; k < 5; k++) demo_ent_user(a1, targets[k]);

    demo_alert *a2 = demo_alert_new(c, SRC_AADIP, "Password spray", "High", p->spray_end + 34 * DEMO_MIN);
    a2->category = "CredentialAccess";
    a2->tactics = "CredentialAccess";
    a2->techniques = "T1110.003";
    a2->desc = "A password spray attack is where multiple usernames are attacked using common passwords in a unified brute force manner.";
    a2->start = p->spray_begin;
    a2->end = p->spray_end;
    for (int k = 0; k < 3; k++) demo_ent_user(a2, p->spray_hits[k]);
    demo_ent_ip(a2, IOC_SPRAY_IP1);
    demo_ent_ip(a2, IOC_SPRAY_IP2);
    demo_ent_ip(a2, IOC_SPRAY_IP3);

    demo_alert *a3 = demo_alert_new(c, SRC_SENTINEL, "Brute force attack against user credentials followed by a successful sign-in", "High",
                                    p->spray_end + 41 * DEMO_MIN);
    a3->category = "CredentialAccess";
    a3->tactics = "CredentialAccess, InitialAccess";
    a3->techniques = "T1110, T1078.004";
    a3->rule_id = "a7c42e19-3b6d-4f80-9e25-1d4c8b7a6f02";
    a3->desc = "A successful sign-in from an IP address that produced many failed sign-ins for other accounts.";
    a3->start = p->spray_end - 20 * DEMO_MIN;
    a3->end = p->spray_end;
    demo_ent_user(a3, imap);
    demo_ent_user(a3, smtp);
    demo_ent_ip(a3, IOC_SPRAY_IP2);
    demo_ent_ip(a3, IOC_SPRAY_IP3);

    demo_alert *a4 = demo_alert_new(c, SRC_MDCA, "Activity from a password-spray associated IP address", "Medium",
                                    p->spray_end + 55 * DEMO_MIN);
    a4->category = "InitialAccess";
    a4->tactics = "InitialAccess, Collection";
    a4->techniques = "T1078.004, T1114.002";
    a4->desc = "Mailbox activity over IMAP from an IP address seen in a password spray.";
    a4->start = p->spray_end + 12 * DEMO_MIN;
    a4->end = p->spray_end + 33 * DEMO_MIN;
    demo_ent_user(a4, imap);
    demo_ent_mailbox(a4, imap);
    demo_ent_ip(a4, IOC_SPRAY_IP2);
    demo_ent_app(a4, "Microsoft Exchange Online");
    demo_alert *alerts[] = {a1, a2, a3, a4};
    for (size_t k = 0; k < SP_ARRAY_LEN(alerts); k++) alerts[k]->story = "spray";

    demo_incident *inc = demo_incident_new(c, "Password spray attack against Azure AD application", "High", a1->time + 2 * DEMO_MIN);
    inc->story = "spray";
    inc->desc = "Password spray from three IPs; two accounts signed in over legacy authentication.";
    for (size_t k = 0; k < SP_ARRAY_LEN(alerts); k++) demo_incident_add_alert(c, inc, alerts[k]);
    inc->owner = o->analysts[2];
    inc->assigned_at = inc->created + 11 * DEMO_MIN;
    demo_incident_label(inc, "Identity", false);
    demo_incident_label(inc, "Password spray", true);
    demo_rng lr;
    demo_rng_seed(&lr, c->opt.seed, "story-spray-life", 0);
    demo_incident_lifecycle(c, inc, &lr, "New", NULL);

    demo_story_fact(c, s, "spray_ips", IOC_SPRAY_IP1 ", " IOC_SPRAY_IP2 ", " IOC_SPRAY_IP3);
    demo_story_fact(c, s, "main_ip", IOC_SPRAY_IP1);
    demo_story_fact(c, s, "accounts_tried", demo_strf(c, "%d", nt));
    demo_story_fact(c, s, "attempts", demo_strf(c, "%d", attempts));
    demo_story_fact(c, s, "mfa_stopped", o->users[p->spray_hits[0]].upn);
    demo_story_fact(c, s, "compromised_imap", o->users[imap].upn);
    demo_story_fact(c, s, "compromised_smtp", o->users[smtp].upn);
}
