/* Story: business email compromise. A DocuSign-themed phish, a click, an AitM
 * credential theft, a sign-in from Lagos, an inbox rule and forwarding out, fraud mail. */
#include "demo_int.h"

#include <stdio.h>

void demo_story_bec(demo_ctx *c) {
    const demo_org *o = &c->org;
    const demo_plan *p = &c->plan;
    demo_rng r;
    demo_rng_seed(&r, c->opt.seed, "story-bec", 0);
    int v = p->bec_victim;
    const demo_user *vu = &o->users[v];
    int dev = vu->device;
    int d_mail = (int)((p->bec_mail - demo_day_start(c, 0)) / DEMO_DAY);
    const char *office_ip = demo_user_ip(c, v, d_mail);
    const demo_geo *office_geo = demo_user_geo(c, v, d_mail);
    const demo_geo *lagos = demo_geo_find("Lagos");
    const char *subject = "Contoso Ltd: Invoice INV-88412 is awaiting your signature";
    demo_story *s = demo_story_new(c, "bec", "Business email compromise: phish, AitM sign-in, inbox forwarding rule");
    s->summary = "A DocuSign-themed phishing mail reaches six Finance users; the accounts-payable "
                 "specialist clicks through, an adversary-in-the-middle page captures her session, "
                 "the attacker signs in from Lagos, hides and forwards payment mail with an inbox "
                 "rule and mailbox forwarding, registers an authenticator and sends a fraudulent "
                 "remittance-change mail to a supplier.";
    s->techniques = "T1566.002, T1204.001, T1557, T1539, T1078.004, T1114.003, T1564.008, T1098.005";

    /* 1. The phish: one copy per recipient, delivered with a low-confidence verdict. */
    const char *victim_nmid = NULL;
    const char *other_nmid = NULL;
    for (int k = 0; k < p->nbec_recipients; k++) {
        int u = p->bec_recipients[k];
        dm_email e = {.t = p->bec_mail + k * 7 * DEMO_SEC, .to = u, .from = -1,
                      .from_addr = IOC_BEC_SENDER, .from_display = "DocuSign via Contoso Accounts",
                      .sender_ip = IOC_BEC_SENDER_IP, .subject = subject,
                      .urls = {IOC_BEC_URL}, .nurls = 1, .threats = "Phish",
                      .detection = "{\"Phish\":[\"URL detonation reputation\"]}",
                      .confidence = "{\"Phish\":\"Low\",\"Spam\":null}", .policy = "Antispam phishing",
                      .org_action = "Allow"};
        const char *nmid = demo_email(c, &r, &e);
        if (k == 0) victim_nmid = demo_strf(c, "%s", nmid);
        if (k == 1) other_nmid = demo_strf(c, "%s", nmid);
    }
    demo_story_event(c, s, p->bec_mail, "EmailEvents", "phishing mail delivered to six Finance mailboxes");

    /* 2. The click, the browser, and a second recipient blocked later. */
    demo_click(c, &(dm_click){.t = p->bec_click, .user = v, .url = IOC_BEC_URL, .nmid = victim_nmid,
                              .ip = office_ip, .threats = "Phish", .through = true});
    demo_proc(c, &(dm_proc){.t = p->bec_click + 2 * DEMO_SEC, .dev = dev, .user = v, .file = "msedge.exe",
                            .cmd = demo_strf(c, "\"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe\" --single-argument %s", IOC_BEC_URL),
                            .parent = "OUTLOOK.EXE"});
    demo_net(c, &(dm_net){.t = p->bec_click + 3 * DEMO_SEC, .dev = dev, .user = v, .rip = IOC_BEC_PHISH_IP,
                          .rport = 443, .url = IOC_BEC_DOMAIN, .proc = "msedge.exe"});
    demo_cef(c, &(dm_cef){.t = p->bec_click + 3 * DEMO_SEC, .office = vu->office, .src = o->devices[dev].local_ip,
                          .dst = IOC_BEC_PHISH_IP, .dport = 443, .app = "ssl", .url = IOC_BEC_DOMAIN,
                          .user = demo_strf(c, "contoso\\%s", vu->sam), .sent = 18422, .received = 245110,
                          .dir = "Outbound"});
    demo_click(c, &(dm_click){.t = p->bec_click + 31 * DEMO_MIN, .user = p->bec_recipients[1], .url = IOC_BEC_URL,
                              .nmid = other_nmid, .ip = demo_user_ip(c, p->bec_recipients[1], d_mail),
                              .action = "ClickBlocked", .threats = "Phish", .through = false});
    demo_story_event(c, s, p->bec_click, "UrlClickEvents", "victim clicks the link (allowed)");

    /* 3. The AitM page relays her sign-in (MFA included) from its own server... */
    demo_signin(c, &(dm_signin){.t = p->bec_click + 71 * DEMO_SEC, .user = v, .ip = IOC_BEC_PHISH_IP,
                                .geo = demo_geo_find("Frankfurt am Main"), .app = "OfficeHome", .dev = -1,
                                .os = "Windows10", .browser = "Edge 130.0.2849",
                                .ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.80",
                                .mfa_prompt = true, .risk_level = "medium", .risk_state = "atRisk",
                                .risk_events = "[\"unfamiliarFeatures\"]"});
    /* ... and the attacker replays the stolen session from Lagos. */
    const char *ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36";
    static const char *const APPS[] = {"Office 365 Exchange Online", "OfficeHome", "Office 365 Exchange Online",
                                       "My Signins", "Office 365 SharePoint Online"};
    static const int AT[] = {0, 4, 19, 38, 61};
    for (size_t k = 0; k < SP_ARRAY_LEN(APPS); k++)
        demo_signin(c, &(dm_signin){.t = p->bec_signin + AT[k] * DEMO_MIN + (int64_t)k * 3 * DEMO_SEC, .user = v,
                                    .ip = IOC_BEC_ATTACKER_IP, .geo = lagos, .app = APPS[k], .dev = -1,
                                    .os = "Linux", .browser = "Chrome 129.0.0", .ua = ua,
                                    .mfa_prompt = true, .mfa_method = "Previously satisfied",
                                    .risk_level = k == 0 ? "high" : "medium", .risk_state = "atRisk",
                                    .risk_events = "[\"anomalousToken\",\"unfamiliarFeatures\"]"});
    demo_story_event(c, s, p->bec_signin, "SigninLogs", "attacker signs in from Lagos with the stolen session");

    /* 4. Mailbox access, the rule, the forwarding. */
    for (int k = 0; k < 6; k++)
        demo_office_activity(c, &(dm_office){.t = p->bec_signin + (3 + k * 2) * DEMO_MIN, .user = v,
                                             .ip = IOC_BEC_ATTACKER_IP, .workload = "Exchange",
                                             .op = k == 2 ? "SearchQueryInitiatedExchange" : "MailItemsAccessed",
                                             .object_id = vu->upn, .ua = ua,
                                             .client_info = "Client=OWA;Mozilla/5.0 (X11; Linux x86_64)"});
    const char *rule_obj = demo_strf(c, "CH3PR12A004.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/%s\\..", vu->sam);
    demo_office_activity(c, &(dm_office){.t = p->bec_rule, .user = v, .ip = IOC_BEC_ATTACKER_IP, .workload = "Exchange",
                                         .op = "New-InboxRule", .object_id = rule_obj, .ua = ua,
                                         .params = "[{\"Name\":\"Name\",\"Value\":\"..\"},"
                                                   "{\"Name\":\"SubjectOrBodyContainsWords\",\"Value\":\"invoice;payment;wire;remittance;bank details\"},"
                                                   "{\"Name\":\"ForwardTo\",\"Value\":\"" IOC_BEC_FORWARD "\"},"
                                                   "{\"Name\":\"MoveToFolder\",\"Value\":\"RSS Subscriptions\"},"
                                                   "{\"Name\":\"MarkAsRead\",\"Value\":\"True\"},"
                                                   "{\"Name\":\"StopProcessingRules\",\"Value\":\"True\"}]",
                                         .client_info = "Client=OWA;Action=ViaProxy"});
    demo_office_activity(c, &(dm_office){.t = p->bec_rule + 6 * DEMO_MIN, .user = v, .ip = IOC_BEC_ATTACKER_IP,
                                         .workload = "Exchange", .op = "Set-InboxRule", .object_id = rule_obj, .ua = ua,
                                         .params = "[{\"Name\":\"Identity\",\"Value\":\"..\"},"
                                                   "{\"Name\":\"ForwardAsAttachmentTo\",\"Value\":\"" IOC_BEC_FORWARD "\"},"
                                                   "{\"Name\":\"RedirectTo\",\"Value\":\"" IOC_BEC_FORWARD "\"},"
                                                   "{\"Name\":\"DeleteMessage\",\"Value\":\"True\"}]",
                                         .client_info = "Client=OWA;Action=ViaProxy"});
    demo_office_activity(c, &(dm_office){.t = p->bec_rule + 11 * DEMO_MIN, .user = v, .ip = IOC_BEC_ATTACKER_IP,
                                         .workload = "Exchange", .op = "Set-Mailbox", .object_id = vu->upn, .ua = ua,
                                         .params = demo_strf(c, "[{\"Name\":\"Identity\",\"Value\":\"%s\"},"
                                                                "{\"Name\":\"ForwardingSmtpAddress\",\"Value\":\"smtp:%s\"},"
                                                                "{\"Name\":\"DeliverToMailboxAndForward\",\"Value\":\"False\"}]",
                                                             vu->upn, IOC_BEC_FORWARD),
                                         .client_info = "Client=OWA;Action=ViaProxy"});
    demo_story_event(c, s, p->bec_rule, "OfficeActivity", "New-InboxRule '..' forwards and hides payment mail");
    demo_story_event(c, s, p->bec_rule + 11 * DEMO_MIN, "OfficeActivity", "Set-Mailbox ForwardingSmtpAddress to an external address");

    /* 5. Persistence and the fraud itself. */
    demo_audit(c, &(dm_audit){.t = p->bec_signin + 40 * DEMO_MIN, .op = "User registered security info", .actor = v,
                              .actor_ip = IOC_BEC_ATTACKER_IP, .target = v, .service = "Authentication Methods",
                              .props = "{\"displayName\":\"StrongAuthenticationMethod\",\"oldValue\":\"[{\\\"MethodType\\\":6,\\\"Default\\\":true}]\",\"newValue\":\"[{\\\"MethodType\\\":6,\\\"Default\\\":true},{\\\"MethodType\\\":7,\\\"Default\\\":false}]\"}"});
    demo_email(c, &r, &(dm_email){.t = p->bec_signin + 55 * DEMO_MIN, .to = -1, .to_addr = "ap@relecloud.com", .from = v,
                                  .sender_ip = "40.107.22.10",
                                  .subject = "RE: Invoice INV-88412 - updated remittance details"});
    demo_story_event(c, s, p->bec_signin + 55 * DEMO_MIN, "EmailEvents", "fraudulent remittance-change mail to a supplier");

    /* 6. The response the next morning. */
    int64_t fix = p->bec_signin + 19 * DEMO_HOUR;
    int admin = o->admins[4];
    demo_audit(c, &(dm_audit){.t = fix, .op = "Update user", .actor = admin, .actor_ip = demo_offices[OFF_CHICAGO].egress[0],
                              .target = v, .props = "{\"displayName\":\"StsRefreshTokensValidFrom\",\"oldValue\":null,\"newValue\":null}"});
    demo_audit(c, &(dm_audit){.t = fix + 2 * DEMO_MIN, .op = "Reset user password", .actor = admin,
                              .actor_ip = demo_offices[OFF_CHICAGO].egress[0], .target = v});
    demo_office_activity(c, &(dm_office){.t = fix + 6 * DEMO_MIN, .user = o->admins[2], .ip = demo_offices[OFF_CHICAGO].egress[0],
                                         .workload = "Exchange", .op = "Remove-InboxRule", .object_id = rule_obj,
                                         .params = "[{\"Name\":\"Identity\",\"Value\":\"..\"},{\"Name\":\"Confirm\",\"Value\":\"False\"}]",
                                         .client_info = "Client=Exchange Online PowerShell"});

    /* Alerts and the incident. */
    demo_alert *a1 = demo_alert_new(c, SRC_MDO, "A potentially malicious URL click was detected", "High", p->bec_click + 4 * DEMO_MIN);
    a1->category = "InitialAccess";
    a1->tactics = "InitialAccess";
    a1->techniques = "T1566.002, T1204.001";
    a1->desc = "We have detected that one of your users has recently clicked on a link that was found to be malicious.";
    a1->start = a1->end = p->bec_click;
    demo_ent_user(a1, v);
    demo_ent_mailbox(a1, v);
    demo_ent_url(a1, IOC_BEC_URL);
    demo_ent_ip(a1, office_ip);
    demo_ent_mail(a1, v, subject, IOC_BEC_SENDER, victim_nmid);

    demo_alert *a2 = demo_alert_new(c, SRC_MDO, "Email messages containing malicious URL removed after delivery", "Informational",
                                    p->bec_mail + 2 * DEMO_HOUR + 47 * DEMO_MIN);
    a2->category = "InitialAccess";
    a2->tactics = "InitialAccess";
    a2->techniques = "T1566.002";
    a2->desc = "Emails with a malicious URL were delivered and later removed (ZAP).";
    a2->start = p->bec_mail;
    a2->end = p->bec_mail + 40 * DEMO_SEC;
    for (int k = 0; k < p->nbec_recipients; k++) demo_ent_mailbox(a2, p->bec_recipients[k]);
    demo_ent_url(a2, IOC_BEC_URL);
    demo_ent_mail(a2, v, subject, IOC_BEC_SENDER, victim_nmid);

    demo_alert *a3 = demo_alert_new(c, SRC_AADIP, "Unfamiliar sign-in properties", "Medium", p->bec_signin + 4 * DEMO_MIN);
    a3->category = "InitialAccess";
    a3->tactics = "InitialAccess";
    a3->techniques = "T1078.004";
    a3->desc = "The sign-in had properties not seen recently for the user (IP address, location, browser).";
    a3->start = a3->end = p->bec_signin;
    a3->ext = "\"Client Location\":\"Lagos, Lagos, NG\"";
    demo_ent_user(a3, v);
    demo_ent_ip(a3, IOC_BEC_ATTACKER_IP);

    demo_alert *a4 = demo_alert_new(c, SRC_AADIP, "Anomalous Token", "High", p->bec_signin + 9 * DEMO_MIN);
    a4->category = "CredentialAccess";
    a4->tactics = "CredentialAccess, InitialAccess";
    a4->techniques = "T1539, T1557";
    a4->desc = "The token had unusual characteristics: it was replayed from a different location than it was issued to.";
    a4->start = p->bec_click + 71 * DEMO_SEC;
    a4->end = p->bec_signin;
    a4->ext = "\"Client Location\":\"Lagos, Lagos, NG\"";
    demo_ent_user(a4, v);
    demo_ent_ip(a4, IOC_BEC_ATTACKER_IP);
    demo_ent_ip(a4, IOC_BEC_PHISH_IP);

    demo_alert *a5 = demo_alert_new(c, SRC_MDCA, "Suspicious inbox manipulation rule", "Medium", p->bec_rule + 8 * DEMO_MIN);
    a5->category = "DefenseEvasion";
    a5->tactics = "DefenseEvasion, Collection";
    a5->techniques = "T1564.008, T1114.003";
    a5->desc = "A user created an inbox rule that moves, deletes and forwards messages containing payment keywords.";
    a5->start = p->bec_rule;
    a5->end = p->bec_rule + 6 * DEMO_MIN;
    demo_ent_user(a5, v);
    demo_ent_mailbox(a5, v);
    demo_ent_ip(a5, IOC_BEC_ATTACKER_IP);
    demo_ent_app(a5, "Microsoft Exchange Online");

    demo_alert *a6 = demo_alert_new(c, SRC_SENTINEL, "Mail forwarding to an external address set on a mailbox", "Medium",
                                    p->bec_rule + 26 * DEMO_MIN);
    a6->category = "Exfiltration";
    a6->tactics = "Collection, Exfiltration";
    a6->techniques = "T1114.003";
    a6->rule_id = "8f3c2a71-5d4e-4b8a-9c1f-2e7d6a5b4c31";
    a6->desc = "ForwardingSmtpAddress was set to an address outside the organisation.";
    a6->start = a6->end = p->bec_rule + 11 * DEMO_MIN;
    demo_ent_user(a6, v);
    demo_ent_mailbox(a6, v);
    demo_ent_ip(a6, IOC_BEC_ATTACKER_IP);
    demo_alert *alerts[] = {a1, a2, a3, a4, a5, a6};
    for (size_t k = 0; k < SP_ARRAY_LEN(alerts); k++) alerts[k]->story = "bec";

    demo_incident *inc = demo_incident_new(c, "BEC financial fraud: phishing click followed by inbox forwarding to an external address",
                                           "High", a1->time + 70 * DEMO_SEC);
    inc->story = "bec";
    inc->desc = "Multi-stage incident involving Initial access, Credential access and Collection for one user.";
    for (size_t k = 0; k < SP_ARRAY_LEN(alerts); k++) demo_incident_add_alert(c, inc, alerts[k]);
    inc->owner = o->analysts[1];
    inc->assigned_at = inc->created + 22 * DEMO_MIN;
    inc->active_at = inc->assigned_at + 9 * DEMO_MIN;
    demo_incident_label(inc, "Phishing", false);
    demo_incident_label(inc, "BEC", true);
    demo_incident_comment(inc, inc->active_at + 14 * DEMO_MIN, inc->owner,
                          "User clicked the DocuSign link from Outlook; session token replayed from Lagos (198.51.100.23).");
    demo_incident_comment(inc, fix + 10 * DEMO_MIN, inc->owner,
                          "Inbox rule '..' and external forwarding removed, sessions revoked, password reset. Finance asked Relecloud to ignore the bank-details change.");
    demo_rng lr;
    demo_rng_seed(&lr, c->opt.seed, "story-bec-life", 0);
    demo_incident_lifecycle(c, inc, &lr, "Active", NULL);

    demo_story_fact(c, s, "victim", vu->upn);
    demo_story_fact(c, s, "victim_device", o->devices[dev].name);
    demo_story_fact(c, s, "phish_sender", IOC_BEC_SENDER);
    demo_story_fact(c, s, "phish_subject", subject);
    demo_story_fact(c, s, "phish_url", IOC_BEC_URL);
    demo_story_fact(c, s, "victim_network_message_id", victim_nmid);
    demo_story_fact(c, s, "attacker_ip", IOC_BEC_ATTACKER_IP);
    demo_story_fact(c, s, "attacker_country", "NG");
    demo_story_fact(c, s, "aitm_proxy_ip", IOC_BEC_PHISH_IP);
    demo_story_fact(c, s, "inbox_rule", "..");
    demo_story_fact(c, s, "forwarding_address", IOC_BEC_FORWARD);
    (void)office_geo;
}
