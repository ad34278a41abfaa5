/* Everyday Microsoft 365 audit in OfficeActivity: SharePoint and OneDrive file
 * work and sharing, mailbox access, benign inbox rules, admin mailbox changes, Teams. */
#include "demo_int.h"

#include <stdio.h>

static const char *const FILES[] = {"Q3 forecast.xlsx", "Budget 2025.xlsx", "Customer proposal.docx",
                                    "Roadmap.pptx", "Meeting notes.docx", "Vendor list.xlsx",
                                    "Price list 2025.pdf", "Onboarding guide.pdf", "Architecture.vsdx",
                                    "Contract template.docx", "Sales pipeline.xlsx", "Brand guidelines.pdf"};

static void onedrive_path(const demo_user *u, char *out, size_t cap) {
    size_t k = 0;
    for (const char *p = u->upn; *p && k + 1 < cap; p++) out[k++] = (*p == '.' || *p == '@') ? '_' : *p;
    out[k] = 0;
}

void demo_bg_office(demo_ctx *c) {
    const demo_org *o = &c->org;
    static const char *const UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.80";
    for (int d = 0; d <= c->days; d++) {
        demo_rng r;
        demo_rng_seed(&r, c->opt.seed, "office", (uint64_t)d);
        for (int u = 0; u < o->nusers; u++) {
            const demo_user *pu = &o->users[u];
            if (pu->kind != ACCT_PERSON) continue;
            int64_t begin, end;
            if (!demo_workday(c, u, d, &begin, &end)) continue;
            const char *ip = demo_user_ip(c, u, d);
            const char *site = pu->dept >= 0 ? demo_depts[pu->dept].site : "IT";
            char od[96];
            onedrive_path(pu, od, sizeof od);
            int n = demo_rng_poisson(&r, 6.0 * pu->activity * c->scale);
            for (int k = 0; k < n; k++) {
                int64_t t = begin + (int64_t)(demo_rng_unit(&r) * (double)(end - begin)) + demo_jitter_ms(&r);
                const char *file = DEMO_PICK(&r, FILES);
                double x = demo_rng_unit(&r);
                bool onedrive = demo_rng_chance(&r, 0.4);
                const char *site_url = onedrive ? demo_tmpf(c, "https://contoso-my.sharepoint.com/personal/%s/", od)
                                                : demo_tmpf(c, "https://contoso.sharepoint.com/sites/%s/", site);
                const char *rel = onedrive ? "Documents" : "Shared Documents";
                const char *obj = demo_tmpf(c, "%s%s/%s", site_url, rel, file);
                const char *wl = onedrive ? "OneDrive" : "SharePoint";
                if (x < 0.30) {
                    demo_office_activity(c, &(dm_office){.t = t, .user = u, .ip = ip, .workload = wl, .op = "FileAccessed",
                                                         .site_url = site_url, .rel_url = rel, .file = file, .object_id = obj, .ua = UA});
                } else if (x < 0.45) {
                    demo_office_activity(c, &(dm_office){.t = t, .user = u, .ip = ip, .workload = wl, .op = "FileModified",
                                                         .site_url = site_url, .rel_url = rel, .file = file, .object_id = obj, .ua = UA});
                } else if (x < 0.55) {
                    demo_office_activity(c, &(dm_office){.t = t, .user = u, .ip = ip, .workload = wl, .op = "FileDownloaded",
                                                         .site_url = site_url, .rel_url = rel, .file = file, .object_id = obj, .ua = UA});
                } else if (x < 0.62) {
                    demo_office_activity(c, &(dm_office){.t = t, .user = u, .ip = ip, .workload = wl, .op = "FileUploaded",
                                                         .site_url = site_url, .rel_url = rel, .file = file, .object_id = obj, .ua = UA});
                } else if (x < 0.66) {
                    demo_office_activity(c, &(dm_office){.t = t, .user = u, .ip = ip, .workload = wl, .op = "FilePreviewed",
                                                         .site_url = site_url, .rel_url = rel, .file = file, .object_id = obj, .ua = UA});
                } else if (x < 0.69) {
                    const char *guest = DEMO_PICK(&r, ((const char *[]){"anna.kowalski@fabrikam.com", "raj.mehta@woodgrovebank.com",
                                                                        "claire.dubois@litwareinc.com"}));
                    demo_office_activity(c, &(dm_office){.t = t, .user = u, .ip = ip, .workload = wl,
                                                         .op = "SharingInvitationCreated", .record_type = "SharePointSharingOperation",
                                                         .site_url = site_url, .rel_url = rel, .file = file, .object_id = obj,
                                                         .share_with = guest, .ua = UA});
                } else if (x < 0.695) {
                    demo_office_activity(c, &(dm_office){.t = t, .user = u, .ip = ip, .workload = wl,
                                                         .op = "AnonymousLinkCreated", .record_type = "SharePointSharingOperation",
                                                         .site_url = site_url, .rel_url = rel, .file = file, .object_id = obj, .ua = UA});
                } else if (x < 0.72) {
                    demo_office_activity(c, &(dm_office){.t = t, .user = u, .ip = ip, .workload = wl, .op = "FileDeleted",
                                                         .site_url = site_url, .rel_url = rel, .file = file, .object_id = obj, .ua = UA});
                } else if (x < 0.92) {
                    demo_office_activity(c, &(dm_office){.t = t, .user = u, .ip = ip, .workload = "Exchange",
                                                         .op = DEMO_PICK(&r, ((const char *[]){"MailItemsAccessed", "MailItemsAccessed", "Send", "MoveToDeletedItems", "SoftDelete"})),
                                                         .client_info = "Client=OUTLOOK.EXE;Microsoft Outlook 16.0", .object_id = pu->upn});
                } else if (x < 0.995) {
                    demo_office_activity(c, &(dm_office){.t = t, .user = u, .ip = ip, .workload = "MicrosoftTeams",
                                                         .op = DEMO_PICK(&r, ((const char *[]){"TeamsSessionStarted", "ChatCreated", "MeetingParticipantDetail", "MessageEditedHasLink"})),
                                                         .object_id = "Teams"});
                } else {
                    /* a tidy-up rule: newsletters to a folder */
                    demo_office_activity(c, &(dm_office){.t = t, .user = u, .ip = ip, .workload = "Exchange",
                                                         .op = demo_rng_chance(&r, 0.7) ? "New-InboxRule" : "Set-InboxRule",
                                                         .object_id = demo_tmpf(c, "CH3PR12A004.prod.outlook.com/Microsoft Exchange Hosted Organizations/contoso.onmicrosoft.com/%s\\Newsletters", pu->sam),
                                                         .params = "[{\"Name\":\"Name\",\"Value\":\"Newsletters\"},{\"Name\":\"From\",\"Value\":\"newsletter@industryweek-news.com\"},{\"Name\":\"MoveToFolder\",\"Value\":\"Newsletters\"},{\"Name\":\"StopProcessingRules\",\"Value\":\"True\"}]",
                                                         .client_info = "Client=OWA;Action=ViaProxy"});
                }
            }
        }
        /* Mailbox administration: leavers' mail forwarded to their managers. */
        if (d % 6 == 2) {
            int target = (int)(sp_hash_u64((uint64_t)d * 77 + c->opt.seed) % (uint64_t)o->nusers);
            const demo_user *tu = &o->users[target];
            if (tu->kind == ACCT_PERSON && tu->manager >= 0) {
                const char *params = demo_tmpf(c, "[{\"Name\":\"Identity\",\"Value\":\"%s\"},{\"Name\":\"ForwardingSmtpAddress\",\"Value\":\"smtp:%s\"},{\"Name\":\"DeliverToMailboxAndForward\",\"Value\":\"True\"}]",
                                               tu->upn, o->users[tu->manager].upn);
                demo_office_activity(c, &(dm_office){.t = demo_day_start(c, d) + 16 * DEMO_HOUR + 21 * DEMO_MIN,
                                                     .user = o->admins[2], .ip = demo_offices[OFF_CHICAGO].egress[0],
                                                     .workload = "Exchange", .op = "Set-Mailbox", .params = params,
                                                     .object_id = tu->upn, .client_info = "Client=Exchange Online PowerShell"});
            }
        }
    }
}
