/* The story ground truth is really in the tables (the shadow-copy deletion on
 * the file server at its time, the click, the rule, the spray...), and the tables agree. */
#include "secpilot/demo.h"
#include "../test.h"
#include "capture.h"

static const char *const KEEP[] = {"SecurityIncident", "SecurityAlert", "AlertInfo", "AlertEvidence",
                                   "UrlClickEvents", "ThreatIntelligenceIndicator", "DeviceTvmSoftwareVulnerabilities",
                                   "AuditLogs", NULL};
static const char *const NEEDLES[] = {"vssadmin", ".locked\"", "rclone", "human2.aspx", "198.51.100.23", "203.0.113.77",
                                      "192.0.2.45", "203.0.113.78", "New-InboxRule", "Set-Mailbox", "31.216.148.12", "\"DeviceInfo\"",
                                      "\"IdentityInfo\"", NULL};

static capture C;
static json_t *GT;

static void setup(void) {
    cap_init(&C, KEEP, NEEDLES);
    sp_buf gt;
    sp_buf_init(&gt, 0);
    CHECK_EQ_INT(cap_generate(&C, 42, 0.05, &gt), 0);
    json_error_t e;
    GT = json_loadb(gt.p, gt.n, 0, &e);
    CHECK(GT != NULL);
    sp_buf_free(&gt);
}

static void test_ground_truth_shape(void) {
    json_t *stories = json_object_get(GT, "stories");
    CHECK(json_array_size(stories) >= 6);
    static const char *const KEYS[] = {"bec", "spray", "mfa_fatigue", "ransomware", "exfil", "cve"};
    for (size_t k = 0; k < SP_ARRAY_LEN(KEYS); k++) {
        json_t *s = gt_story(GT, KEYS[k]);
        CHECK(s != NULL);
        if (!s) continue;
        CHECK(json_array_size(json_object_get(s, "alerts")) >= 3);
        CHECK(json_array_size(json_object_get(s, "incidents")) == 1);
        CHECK(json_array_size(json_object_get(s, "techniques")) >= 1);
        CHECK(json_array_size(json_object_get(s, "timeline")) >= 2);
    }
}

/* The ransomware: shadow copies deleted on the file server at the time the
 * ground truth says, then more than 100 renames to *.locked within an hour. */
static void test_ransomware(void) {
    const char *fs = gt_fact(GT, "ransomware", "file_server");
    const char *when = gt_fact(GT, "ransomware", "shadow_copy_deletion");
    int64_t t = 0;
    CHECK(sp_parse_datetime(when, strlen(when), &t));
    bool found = false;
    for (cap_iter it = cap_rows(&C, "DeviceProcessEvents"); cap_next(&it);) {
        if (!strcmp(jstr(it.row, "DeviceName"), fs) && !strcmp(jstr(it.row, "FileName"), "vssadmin.exe") &&
            strstr(jstr(it.row, "ProcessCommandLine"), "delete shadows") && jtime(it.row, "Timestamp") == t)
            found = true;
    }
    CHECK(found);
    const char *enc = gt_fact(GT, "ransomware", "encryption_start");
    int64_t e = 0;
    sp_parse_datetime(enc, strlen(enc), &e);
    int renames = 0;
    for (cap_iter it = cap_rows(&C, "DeviceFileEvents"); cap_next(&it);) {
        int64_t ts = jtime(it.row, "Timestamp");
        if (!strcmp(jstr(it.row, "DeviceName"), fs) && !strcmp(jstr(it.row, "ActionType"), "FileRenamed") &&
            ts >= e && ts < e + SP_TICKS_PER_HOUR && strstr(jstr(it.row, "FileName"), ".locked"))
            renames++;
    }
    CHECK(renames > 100);
    /* the incident holds more than five alerts and names the ransomware */
    json_t *inc = json_array_get(json_object_get(gt_story(GT, "ransomware"), "incidents"), 0);
    CHECK(json_integer_value(json_object_get(inc, "AlertCount")) > 5);
    CHECK(strstr(jstr(inc, "Title"), "ransomware") != NULL);
}

/* BEC: the click, a sign-in from the attacker's IP within the hour, the rule. */
static void test_bec(void) {
    const char *victim = gt_fact(GT, "bec", "victim"), *url = gt_fact(GT, "bec", "phish_url");
    const char *ip = gt_fact(GT, "bec", "attacker_ip"), *fwd = gt_fact(GT, "bec", "forwarding_address");
    int64_t click = 0;
    for (cap_iter it = cap_rows(&C, "UrlClickEvents"); cap_next(&it);)
        if (!strcmp(jstr(it.row, "AccountUpn"), victim) && !strcmp(jstr(it.row, "Url"), url) &&
            !strcmp(jstr(it.row, "ActionType"), "ClickAllowed"))
            click = jtime(it.row, "Timestamp");
    CHECK(click != 0);
    bool signin = false;
    for (cap_iter it = cap_rows(&C, "SigninLogs"); cap_next(&it);) {
        int64_t t = jtime(it.row, "TimeGenerated");
        if (!strcmp(jstr(it.row, "UserPrincipalName"), victim) && !strcmp(jstr(it.row, "IPAddress"), ip) &&
            !strcmp(jstr(it.row, "ResultType"), "0") && t > click && t <= click + SP_TICKS_PER_HOUR)
            signin = true;
    }
    CHECK(signin);
    bool rule = false, fwd_set = false;
    for (cap_iter it = cap_rows(&C, "OfficeActivity"); cap_next(&it);) {
        if (strcmp(jstr(it.row, "UserId"), victim)) continue;
        const char *params = jstr(it.row, "Parameters");
        if (!strcmp(jstr(it.row, "Operation"), "New-InboxRule") && strstr(params, "ForwardTo") && strstr(params, fwd))
            rule = true;
        if (!strcmp(jstr(it.row, "Operation"), "Set-Mailbox") && strstr(params, "ForwardingSmtpAddress")) fwd_set = true;
    }
    CHECK(rule);
    CHECK(fwd_set);
}

static void test_spray_and_mfa(void) {
    const char *ip = gt_fact(GT, "spray", "main_ip");
    const char *hit = gt_fact(GT, "spray", "compromised_imap");
    int failures = 0, success = 0;
    json_t *users = json_object();
    for (cap_iter it = cap_rows(&C, "SigninLogs"); cap_next(&it);) {
        const char *rt = jstr(it.row, "ResultType");
        if (!strcmp(jstr(it.row, "IPAddress"), ip) && strcmp(rt, "0")) {
            failures++;
            json_object_set_new(users, jstr(it.row, "UserPrincipalName"), json_true());
        }
        if (!strcmp(jstr(it.row, "UserPrincipalName"), hit) && !strcmp(rt, "0") &&
            !strcmp(jstr(it.row, "ClientAppUsed"), "IMAP4"))
            success++;
    }
    CHECK(json_object_size(users) > 100);
    CHECK(failures > 100);
    CHECK(success == 1);
    json_decref(users);

    const char *victim = gt_fact(GT, "mfa_fatigue", "victim");
    const char *mip = gt_fact(GT, "mfa_fatigue", "attacker_ip");
    int denied = 0;
    int64_t last_denied = 0, approved = 0;
    for (cap_iter it = cap_rows(&C, "SigninLogs"); cap_next(&it);) {
        if (strcmp(jstr(it.row, "UserPrincipalName"), victim) || strcmp(jstr(it.row, "IPAddress"), mip)) continue;
        int64_t t = jtime(it.row, "TimeGenerated");
        if (!strcmp(jstr(it.row, "ResultType"), "500121")) {
            denied++;
            if (t > last_denied) last_denied = t;
        }
        if (!strcmp(jstr(it.row, "ResultType"), "0") && (!approved || t < approved)) approved = t;
    }
    CHECK(denied >= 10);
    CHECK(approved > last_denied);
    CHECK_EQ_INT(denied, atoi(gt_fact(GT, "mfa_fatigue", "denied_pushes")));
}

static void test_exfil_and_cve(void) {
    const char *dev = gt_fact(GT, "exfil", "device");
    bool rclone = false;
    for (cap_iter it = cap_rows(&C, "DeviceProcessEvents"); cap_next(&it);)
        if (!strcmp(jstr(it.row, "DeviceName"), dev) && !strcmp(jstr(it.row, "FileName"), "rclone.exe") &&
            strstr(jstr(it.row, "ProcessCommandLine"), "mega:"))
            rclone = true;
    CHECK(rclone);
    json_int_t sent = 0;
    for (cap_iter it = cap_rows(&C, "CommonSecurityLog"); cap_next(&it);)
        if (!strcmp(jstr(it.row, "DestinationIP"), gt_fact(GT, "exfil", "destination_ip")))
            sent += json_integer_value(json_object_get(it.row, "SentBytes"));
    CHECK_EQ_INT(sent, atoll(gt_fact(GT, "exfil", "bytes_sent")));
    CHECK(sent > 1000000000);

    const char *web = gt_fact(GT, "cve", "device"), *cve = gt_fact(GT, "cve", "cve");
    bool shell = false, vuln = false;
    for (cap_iter it = cap_rows(&C, "DeviceFileEvents"); cap_next(&it);)
        if (!strcmp(jstr(it.row, "DeviceName"), web) && !strcmp(jstr(it.row, "FileName"), "human2.aspx") &&
            !strcmp(jstr(it.row, "ActionType"), "FileCreated") && !strcmp(jstr(it.row, "InitiatingProcessFileName"), "w3wp.exe"))
            shell = true;
    for (cap_iter it = cap_rows(&C, "DeviceTvmSoftwareVulnerabilities"); cap_next(&it);)
        if (!strcmp(jstr(it.row, "DeviceName"), web) && !strcmp(jstr(it.row, "CveId"), cve) &&
            !strcmp(jstr(it.row, "VulnerabilitySeverityLevel"), "Critical"))
            vuln = true;
    CHECK(shell);
    CHECK(vuln);
    bool internet = false;
    for (cap_iter it = cap_rows(&C, "DeviceInfo"); cap_next(&it);)
        if (!strcmp(jstr(it.row, "DeviceName"), web) && json_is_true(json_object_get(it.row, "IsInternetFacing"))) internet = true;
    CHECK(internet);
}

/* Incidents point at alerts that exist; Defender alerts have their evidence;
 * every alert in the ground truth is in SecurityAlert. */
static void test_references(void) {
    json_t *alerts = json_object(), *vendor = json_object(), *info = json_object(), *evidence = json_object();
    for (cap_iter it = cap_rows(&C, "SecurityAlert"); cap_next(&it);) {
        json_object_set_new(alerts, jstr(it.row, "SystemAlertId"), json_true());
        if (strcmp(jstr(it.row, "ProductName"), "Azure Sentinel"))
            json_object_set_new(vendor, jstr(it.row, "VendorOriginalId"), json_true());
        /* Entities is a JSON array whose objects carry $id or $ref */
        json_error_t e;
        json_t *ents = json_loads(jstr(it.row, "Entities"), 0, &e);
        CHECK(json_is_array(ents) && json_array_size(ents) > 0);
        json_t *first = json_array_get(ents, 0);
        CHECK(json_object_get(first, "$id") != NULL && json_object_get(first, "Type") != NULL);
        json_decref(ents);
    }
    for (cap_iter it = cap_rows(&C, "AlertInfo"); cap_next(&it);) json_object_set_new(info, jstr(it.row, "AlertId"), json_true());
    for (cap_iter it = cap_rows(&C, "AlertEvidence"); cap_next(&it);) {
        CHECK(json_object_get(info, jstr(it.row, "AlertId")) != NULL);
        json_object_set_new(evidence, jstr(it.row, "AlertId"), json_true());
    }
    CHECK(json_object_size(info) > 20);
    CHECK_EQ_INT(json_object_size(info), json_object_size(vendor));
    CHECK_EQ_INT(json_object_size(evidence), json_object_size(info));
    const char *key;
    json_t *v;
    json_object_foreach(info, key, v) CHECK(json_object_get(vendor, key) != NULL);

    int incidents = 0, refs = 0;
    json_t *numbers = json_object();
    for (cap_iter it = cap_rows(&C, "SecurityIncident"); cap_next(&it);) {
        json_t *ids = json_object_get(it.row, "AlertIds");
        CHECK(json_array_size(ids) > 0);
        for (size_t i = 0; i < json_array_size(ids); i++) {
            refs++;
            CHECK(json_object_get(alerts, json_string_value(json_array_get(ids, i))) != NULL);
        }
        char num[32];
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(json_object_get(it.row, "IncidentNumber")));
        const char *name = jstr(it.row, "IncidentName");
        json_t *prev = json_object_get(numbers, num);
        if (prev) CHECK(!strcmp(json_string_value(prev), name));   /* one name per number */
        else json_object_set_new(numbers, num, json_string(name)), incidents++;
        const char *st = jstr(it.row, "Status");
        CHECK(!strcmp(st, "New") || !strcmp(st, "Active") || !strcmp(st, "Closed"));
        if (!strcmp(st, "Closed")) CHECK(*jstr(it.row, "Classification") && *jstr(it.row, "ClosedTime"));
    }
    CHECK(incidents >= 40);
    CHECK(refs > incidents);
    json_t *stories = json_object_get(GT, "stories");
    for (size_t i = 0; i < json_array_size(stories); i++) {
        json_t *as = json_object_get(json_array_get(stories, i), "alerts");
        for (size_t k = 0; k < json_array_size(as); k++)
            CHECK(json_object_get(alerts, jstr(json_array_get(as, k), "SystemAlertId")) != NULL);
        json_t *is = json_object_get(json_array_get(stories, i), "incidents");
        for (size_t k = 0; k < json_array_size(is); k++) {
            char num[32];
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(json_object_get(json_array_get(is, k), "IncidentNumber")));
            CHECK(json_object_get(numbers, num) != NULL);
        }
    }
    json_decref(alerts);
    json_decref(vendor);
    json_decref(info);
    json_decref(evidence);
    json_decref(numbers);
}

/* Everyone and everything the stories name exists in the inventory tables. */
static void test_inventory_consistency(void) {
    json_t *devices = json_object(), *upns = json_object();
    for (cap_iter it = cap_rows(&C, "DeviceInfo"); cap_next(&it);) json_object_set_new(devices, jstr(it.row, "DeviceName"), json_true());
    for (cap_iter it = cap_rows(&C, "IdentityInfo"); cap_next(&it);) json_object_set_new(upns, jstr(it.row, "AccountUpn"), json_true());
    CHECK(json_object_size(devices) > 550);
    CHECK(json_object_size(upns) > 480);
    static const char *const DEV_TABLES[] = {"DeviceProcessEvents", "DeviceFileEvents", "DeviceNetworkEvents",
                                             "AlertEvidence", "DeviceTvmSoftwareVulnerabilities"};
    for (size_t k = 0; k < SP_ARRAY_LEN(DEV_TABLES); k++)
        for (cap_iter it = cap_rows(&C, DEV_TABLES[k]); cap_next(&it);) {
            const char *d = jstr(it.row, "DeviceName");
            if (*d && !json_object_get(devices, d)) {
                fprintf(stderr, "  %s: unknown device %s\n", DEV_TABLES[k], d);
                CHECK(false);
            }
        }
    static const char *const FACTS[][2] = {{"bec", "victim"}, {"spray", "compromised_imap"}, {"spray", "compromised_smtp"},
                                           {"mfa_fatigue", "victim"}, {"ransomware", "patient_zero_user"},
                                           {"ransomware", "stolen_admin_account"}, {"exfil", "user"}};
    for (size_t k = 0; k < SP_ARRAY_LEN(FACTS); k++) CHECK(json_object_get(upns, gt_fact(GT, FACTS[k][0], FACTS[k][1])) != NULL);
    static const char *const DEVS[][2] = {{"bec", "victim_device"}, {"ransomware", "patient_zero_device"},
                                          {"ransomware", "file_server"}, {"exfil", "device"}, {"cve", "device"}};
    for (size_t k = 0; k < SP_ARRAY_LEN(DEVS); k++) CHECK(json_object_get(devices, gt_fact(GT, DEVS[k][0], DEVS[k][1])) != NULL);
    /* threat intel knows some of what the stories used */
    int matched = 0;
    static const char *const IOCS[] = {"c2_ip", "payload_domain", "c2_domain"};
    for (cap_iter it = cap_rows(&C, "ThreatIntelligenceIndicator"); cap_next(&it);)
        for (size_t k = 0; k < SP_ARRAY_LEN(IOCS); k++) {
            const char *v = gt_fact(GT, "ransomware", IOCS[k]);
            if (!strcmp(jstr(it.row, "NetworkIP"), v) || !strcmp(jstr(it.row, "DomainName"), v)) matched++;
        }
    CHECK(matched >= 3);
    json_decref(devices);
    json_decref(upns);
}

static void teardown(void) {
    json_decref(GT);
    cap_free(&C);
}

TEST_MAIN(setup, test_ground_truth_shape, test_ransomware, test_bec, test_spray_and_mfa, test_exfil_and_cve,
          test_references, test_inventory_consistency, teardown)
