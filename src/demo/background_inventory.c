/* Inventory snapshots: IdentityInfo (one row per account per day, with roles,
 * manager and risk) and DeviceInfo (one row per device per day it reports). */
#include "demo_int.h"

#include <stdio.h>

static const char *country_name(const char *cc) {
    if (!strcmp(cc, "US")) return "United States";
    if (!strcmp(cc, "GB")) return "United Kingdom";
    if (!strcmp(cc, "DE")) return "Germany";
    if (!strcmp(cc, "IN")) return "India";
    if (!strcmp(cc, "CA")) return "Canada";
    if (!strcmp(cc, "IE")) return "Ireland";
    return cc;
}

static const char *const OFFICE_CITIES[OFF_COUNT] = {"Chicago", "New York", "London", "Munich",
                                                      "Bengaluru", "Denver"};
static const char *const OFFICE_STREET[OFF_COUNT] = {
    "233 S Wacker Dr", "1 Liberty Plaza", "30 St Mary Axe", "Leopoldstrasse 244",
    "Outer Ring Road, Bellandur", "Remote"};

static void identity_row(demo_ctx *c, int ui, int64_t t) {
    const demo_org *o = &c->org;
    const demo_user *u = &o->users[ui];
    const char *risk, *state, *detail;
    bool enabled;
    demo_user_state(c, ui, t, &risk, &state, &detail, &enabled);
    const demo_geo *city = u->kind == ACCT_GUEST ? u->home : demo_geo_find(OFFICE_CITIES[u->office]);
    sp_buf *b = &c->tmp;

    dj_begin(c, "IdentityInfo");
    dj_ts(c, t);
    dj_t(c, "AccountCreationTime", u->created);
    dj_s(c, "AccountDisplayName", u->display);
    dj_s(c, "AccountDomain", u->kind == ACCT_GUEST ? NULL : DEMO_AD_DOMAIN);
    dj_s(c, "AccountName", u->sam);
    dj_s(c, "AccountObjectId", u->object_id);
    dj_s(c, "AccountSID", u->kind == ACCT_GUEST ? NULL : u->sid);
    dj_s(c, "AccountTenantId", DEMO_TENANT_ID);
    dj_s(c, "AccountUPN", u->upn);
    dj_s(c, "AccountUpn", u->upn);
    sp_buf_reset(b);
    sp_buf_putc(b, '[');
    for (int k = 0; k < u->nroles; k++) {
        if (k) sp_buf_putc(b, ',');
        jb_str(b, u->roles[k]);
    }
    sp_buf_putc(b, ']');
    dj_raw(c, "AssignedRoles", b->p, b->n);
    dj_s(c, "BlastRadius", u->nroles ? "High" : u->kind == ACCT_ADMIN || u->dept == 0 ? "Medium" : "Low");
    dj_s(c, "ChangeSource", "AzureActiveDirectory");
    dj_s(c, "City", city ? city->city : NULL);
    dj_s(c, "CompanyName", u->kind == ACCT_GUEST ? NULL : "Contoso Ltd");
    dj_s(c, "Country", city ? country_name(city->country) : NULL);
    dj_s(c, "Department", u->dept >= 0 ? demo_depts[u->dept].name : NULL);
    dj_s(c, "EmailAddress", u->mail);
    dj_s(c, "EmployeeId", u->kind == ACCT_PERSON ? u->employee_id : NULL);
    dj_s(c, "GivenName", u->given[0] ? u->given : NULL);
    sp_buf_reset(b);
    if (u->kind == ACCT_GUEST) sp_buf_puts(b, "[\"External Partners\"]");
    else if (u->kind == ACCT_SERVICE) sp_buf_puts(b, "[\"Service Accounts\"]");
    else {
        sp_buf_puts(b, "[\"All Employees\"");
        if (u->dept >= 0) sp_buf_printf(b, ",\"SG-%s\"", demo_depts[u->dept].site);
        sp_buf_printf(b, ",\"Office-%s\"", demo_offices[u->office].name);
        if (u->kind == ACCT_ADMIN) sp_buf_puts(b, ",\"Domain Admins\",\"Tier0-Admins\"");
        if (u->dept == 8) sp_buf_puts(b, ",\"SOC-Analysts\"");
        sp_buf_putc(b, ']');
    }
    dj_raw(c, "GroupMembership", b->p, b->n);
    dj_i(c, "InvestigationPriority", risk && !strcmp(risk, "High") ? 9 : risk && !strcmp(risk, "Medium") ? 5 : 0);
    dj_b(c, "IsAccountEnabled", enabled);
    dj_b(c, "IsMFARegistered", u->mfa);
    dj_b(c, "IsServiceAccount", u->kind == ACCT_SERVICE);
    dj_s(c, "JobTitle", u->title);
    dj_t(c, "LastSeenDate", t - 3 * DEMO_HOUR);
    dj_s(c, "MailAddress", u->mail);
    dj_s(c, "Manager", u->manager >= 0 ? o->users[u->manager].upn : NULL);
    dj_s(c, "OnPremSid", u->kind == ACCT_GUEST ? NULL : u->sid);
    dj_s(c, "Phone", u->kind == ACCT_PERSON ? u->phone : NULL);
    dj_s(c, "RiskLevel", risk ? risk : "None");
    dj_s(c, "RiskLevelDetails", detail ? detail : "none");
    dj_s(c, "RiskState", state ? state : "none");
    dj_s(c, "SAMAccountName", u->kind == ACCT_GUEST ? NULL : u->sam);
    dj_s(c, "SourceSystem", "Azure");
    dj_s(c, "State", city ? city->state : NULL);
    dj_s(c, "StreetAddress", u->kind == ACCT_GUEST ? NULL : OFFICE_STREET[u->office]);
    dj_s(c, "Surname", u->surname[0] ? u->surname : NULL);
    dj_s(c, "Tags", u->dept == 0 ? "[\"VIP\"]" : u->kind == ACCT_ADMIN ? "[\"Sensitive\"]" : "[]");
    sp_buf_reset(b);
    sp_buf_puts(b, enabled ? "[\"NormalAccount\"]" : "[\"AccountDisabled\",\"NormalAccount\"]");
    dj_raw(c, "UserAccountControl", b->p, b->n);
    dj_s(c, "UserState", enabled ? "Active" : "Disabled");
    dj_s(c, "UserType", u->kind == ACCT_GUEST ? "Guest" : "Member");
    dj_end(c);
}

static const char *device_type(const demo_device *d) {
    if (d->role && !strcmp(d->role, "Printer")) return "Printer";
    if (d->role && !strcmp(d->role, "NetworkDevice")) return "NetworkDevice";
    if (d->role && !strcmp(d->role, "IoT")) return "IoT";
    return d->kind == DEV_SERVER ? "Server" : d->kind == DEV_MOBILE ? "Mobile" : "Workstation";
}

static void device_row(demo_ctx *c, const demo_device *d, int64_t t, int day) {
    const demo_org *o = &c->org;
    sp_buf *b = &c->tmp;
    bool onboarded = !strcmp(d->onboarding, "Onboarded");
    const char *type = device_type(d);
    dj_begin(c, "DeviceInfo");
    dj_ts(c, t);
    if (onboarded && d->os != OS_LINUX && d->kind != DEV_MOBILE) dj_s(c, "AadDeviceId", d->aad_id);
    if (d->internet_facing) {
        sp_buf_reset(b);
        sp_buf_printf(b, "{\"InternetFacingReason\":\"PublicScan\",\"InternetFacingLocalIp\":\"%s\","
                         "\"InternetFacingLocalPort\":%d,\"InternetFacingPublicScannedIp\":\"%s\","
                         "\"InternetFacingPublicScannedPort\":%d,\"InternetFacingTransportProtocol\":\"Tcp\"}",
                      d->local_ip, d->os == OS_LINUX ? 443 : !strcmp(d->role, "RemoteDesktopGateway") ? 443 : 443,
                      d->public_ip, 443);
        dj_raw(c, "AdditionalFields", b->p, b->n);
    }
    dj_s(c, "AssetValue", d->asset_value);
    if (onboarded) dj_s(c, "ClientVersion", d->os == OS_LINUX ? "101.24082.0004" : d->os == OS_MAC ? "101.24092.0005" : "10.8760.19045.4894");
    dj_s(c, "DeviceCategory", !strcmp(type, "Printer") || !strcmp(type, "NetworkDevice") ? "NetworkDevice"
                              : !strcmp(type, "IoT") ? "IoT" : "Endpoint");
    dj_s(c, "DeviceId", d->id);
    dj_s(c, "DeviceName", d->name);
    dj_s(c, "DeviceSubtype", d->role && !strcmp(d->role, "DomainController") ? "DomainController" : NULL);
    dj_s(c, "DeviceType", type);
    dj_s(c, "ExposureLevel", onboarded ? d->exposure : NULL);
    dj_b(c, "IsAzureADJoined", d->join_type && strstr(d->join_type, "Azure AD") != NULL);
    dj_b(c, "IsExcluded", false);
    dj_b(c, "IsInternetFacing", d->internet_facing);
    dj_s(c, "JoinType", d->join_type && *d->join_type ? d->join_type : NULL);
    /* LoggedOnUsers: the owner on workstations, admins on servers. */
    sp_buf_reset(b);
    sp_buf_putc(b, '[');
    int who = d->owner;
    if (d->kind == DEV_SERVER && d->os != OS_LINUX) who = o->admins[(day + d->os) % o->nadmins];
    if (who >= 0 && onboarded && d->kind != DEV_MOBILE)
        sp_buf_printf(b, "{\"UserName\":\"%s\",\"DomainName\":\"%s\",\"Sid\":\"%s\"}",
                      o->users[who].sam, DEMO_NETBIOS, o->users[who].sid);
    sp_buf_putc(b, ']');
    dj_raw(c, "LoggedOnUsers", b->p, b->n);
    dj_s(c, "MachineGroup", d->machine_group);
    dj_s(c, "Model", d->model);
    dj_s(c, "OSArchitecture", d->os_version ? "64-bit" : NULL);
    if (d->os_build) dj_i(c, "OSBuild", d->os_build);
    dj_s(c, "OSDistribution", d->os_distribution);
    dj_s(c, "OSPlatform", d->platform);
    dj_s(c, "OSVersion", d->os_version);
    if (d->os_version && d->os_build)
        dj_sf(c, "OSVersionInfo", "%s %s", d->platform, d->os_version);
    dj_s(c, "OnboardingStatus", d->onboarding);
    dj_s(c, "PublicIP", d->public_ip[0] ? d->public_ip : NULL);
    dj_i(c, "ReportId", (int64_t)++c->report_id);
    dj_s(c, "SensorHealthState", d->sensor);
    dj_s(c, "Vendor", d->vendor);
    if (d->kind == DEV_SERVER) dj_s(c, "DeviceManualTags", d->internet_facing ? "[\"DMZ\",\"Internet-facing\"]" : "[\"Server\"]");
    dj_end(c);
}

void demo_bg_inventory(demo_ctx *c) {
    const demo_org *o = &c->org;
    for (int d = 0; d <= c->days; d++) {
        int64_t day0 = demo_day_start(c, d);
        for (int u = 0; u < o->nusers; u++) {
            int64_t t = day0 + DEMO_HOUR + (int64_t)(u % 97) * 13 * DEMO_SEC + (u % 1000) * SP_TICKS_PER_MS;
            if (demo_in_window(c, t)) identity_row(c, u, t);
        }
        for (int i = 0; i < o->ndevices; i++) {
            const demo_device *dev = &o->devices[i];
            int64_t t = day0 + 2 * DEMO_HOUR + (int64_t)(i % 89) * 17 * DEMO_SEC + (i % 1000) * SP_TICKS_PER_MS;
            if (t > dev->last_seen || !demo_in_window(c, t)) continue;
            device_row(c, dev, t, d);
        }
    }
}
