/* Everyday directory changes in AuditLogs: new hires, group and role changes,
 * password resets, security-info registration, app consents, sync updates. */
#include "demo_int.h"

#include <stdio.h>

static int any_person(const demo_ctx *c, demo_rng *r) {
    for (;;) {
        int u = (int)demo_rng_below(r, (uint32_t)c->org.nusers);
        if (c->org.users[u].kind == ACCT_PERSON && c->org.users[u].enabled) return u;
    }
}

static int admin(const demo_ctx *c, demo_rng *r) {
    return c->org.admins[demo_rng_below(r, (uint32_t)c->org.nadmins)];
}

static const char *const GROUPS[] = {"SG-Finance-Approvers", "SG-VPN-Users", "SG-Engineering-Prod-Readers",
                                     "SG-Sales-EMEA", "SG-Contractors", "SG-Printers-Chicago",
                                     "SG-SharePoint-Legal", "SG-Intune-Pilot", "SG-Travel-Approvers",
                                     "SG-Privileged-Access-Workstations"};
static const char *const APPS[] = {"Calendly", "Grammarly", "Zoom for Outlook", "Miro",
                                   "Adobe Acrobat Sign", "Lucidchart", "Trello", "Smartsheet"};

void demo_bg_audit(demo_ctx *c) {
    const demo_org *o = &c->org;
    for (int d = 0; d <= c->days; d++) {
        demo_rng r;
        demo_rng_seed(&r, c->opt.seed, "audit", (uint64_t)d);
        int64_t day0 = demo_day_start(c, d);
        int wd = sp_weekday(day0);
        double busy = (wd == 0 || wd == 6) ? 0.15 : 1.0;
        int n = demo_rng_poisson(&r, 45.0 * busy * c->scale);
        for (int k = 0; k < n; k++) {
            int64_t t = day0 + (int64_t)((0.45 + demo_rng_unit(&r) * 0.45) * (double)DEMO_DAY) + demo_jitter_ms(&r);
            double x = demo_rng_unit(&r);
            int a = admin(c, &r);
            const char *aip = demo_offices[o->users[a].office].egress[0];
            int u = any_person(c, &r);
            const char *uip = demo_user_ip(c, u, d);
            if (x < 0.30) {
                demo_audit(c, &(dm_audit){.t = t, .op = "Update user", .actor = -1,
                                          .actor_app = "Microsoft Azure AD Connect", .target = u,
                                          .props = "{\"displayName\":\"LastDirSyncTime\",\"oldValue\":null,\"newValue\":null}"});
            } else if (x < 0.45) {
                demo_audit(c, &(dm_audit){.t = t, .op = "Add member to group", .category = "GroupManagement",
                                          .actor = a, .actor_ip = aip, .target = u,
                                          .group = DEMO_PICK(&r, GROUPS)});
            } else if (x < 0.53) {
                demo_audit(c, &(dm_audit){.t = t, .op = "Remove member from group", .category = "GroupManagement",
                                          .actor = a, .actor_ip = aip, .target = u,
                                          .group = DEMO_PICK(&r, GROUPS)});
            } else if (x < 0.60) {
                bool fail = demo_rng_chance(&r, 0.08);
                demo_audit(c, &(dm_audit){.t = t, .op = "Reset user password", .actor = a, .actor_ip = aip,
                                          .target = u, .result = fail ? "failure" : "success",
                                          .reason = fail ? "PasswordPolicyViolation" : NULL});
            } else if (x < 0.68) {
                demo_audit(c, &(dm_audit){.t = t, .op = "Reset password (self-service)", .actor = u,
                                          .actor_ip = uip, .target = u,
                                          .category = "UserManagement", .service = "Self-service Password Management"});
            } else if (x < 0.74) {
                demo_audit(c, &(dm_audit){.t = t, .op = "Change user password", .actor = u, .actor_ip = uip,
                                          .target = u});
            } else if (x < 0.84) {
                demo_audit(c, &(dm_audit){.t = t, .op = "User registered security info", .actor = u,
                                          .actor_ip = uip, .target = u, .service = "Authentication Methods",
                                          .props = "{\"displayName\":\"StrongAuthenticationMethod\",\"oldValue\":null,\"newValue\":\"[{\\\"MethodType\\\":6,\\\"Default\\\":true}]\"}"});
            } else if (x < 0.86) {
                demo_audit(c, &(dm_audit){.t = t, .op = "User deleted security info", .actor = u,
                                          .actor_ip = uip, .target = u, .service = "Authentication Methods"});
            } else if (x < 0.91) {
                const char *app = DEMO_PICK(&r, APPS);
                demo_audit(c, &(dm_audit){.t = t, .op = "Consent to application", .category = "ApplicationManagement",
                                          .actor = u, .actor_ip = uip, .target = -1, .target_name = app,
                                          .target_type = "ServicePrincipal",
                                          .props = "{\"displayName\":\"ConsentAction.Permissions\",\"oldValue\":null,\"newValue\":\"Scope: User.Read offline_access openid profile\"}"});
            } else if (x < 0.94) {
                demo_audit(c, &(dm_audit){.t = t, .op = "Add registered owner to device", .category = "Device",
                                          .actor = -1, .actor_app = "Microsoft Intune", .target = u});
            } else if (x < 0.97) {
                demo_audit(c, &(dm_audit){.t = t, .op = "Update application \xe2\x80\x93 Certificates and secrets management",
                                          .category = "ApplicationManagement", .actor = a, .actor_ip = aip,
                                          .target = -1, .target_name = DEMO_PICK(&r, ((const char *[]){"HR Portal", "ERP Connector", "Backup Reporting"})),
                                          .target_type = "Application"});
            } else {
                demo_audit(c, &(dm_audit){.t = t, .op = "Add app role assignment grant to user",
                                          .category = "ApplicationManagement", .actor = a, .actor_ip = aip,
                                          .target = u});
            }
        }
        /* Directory role changes: a handful in the month. */
        if (demo_rng_chance(&r, 0.22)) {
            int64_t t = day0 + (int64_t)((0.55 + demo_rng_unit(&r) * 0.3) * (double)DEMO_DAY);
            int target = any_person(c, &r);
            if (o->users[target].dept == 7 || demo_rng_chance(&r, 0.5)) {
                static const char *const ROLES[] = {"Helpdesk Administrator", "Security Reader",
                                                    "Reports Reader", "Teams Administrator",
                                                    "Exchange Recipient Administrator"};
                const char *role = DEMO_PICK(&r, ROLES);
                int a = o->admins[0];
                demo_audit(c, &(dm_audit){.t = t, .op = "Add member to role", .category = "RoleManagement",
                                          .actor = a, .actor_ip = demo_offices[OFF_CHICAGO].egress[0],
                                          .target = target, .role = role});
                if (demo_rng_chance(&r, 0.4))
                    demo_audit(c, &(dm_audit){.t = t + 4 * DEMO_DAY, .op = "Remove member from role",
                                              .category = "RoleManagement", .actor = a,
                                              .actor_ip = demo_offices[OFF_CHICAGO].egress[0],
                                              .target = target, .role = role});
            }
        }
        if (d == c->days - 9 || d == c->days - 23) {
            demo_audit(c, &(dm_audit){.t = day0 + 16 * DEMO_HOUR + 12 * DEMO_MIN, .op = "Update conditional access policy",
                                      .category = "Policy", .actor = o->admins[1],
                                      .actor_ip = demo_offices[OFF_CHICAGO].egress[0], .target = -1,
                                      .target_name = "CA001: Require MFA outside trusted locations",
                                      .target_type = "Policy", .service = "Conditional Access"});
        }
    }
    /* Two days ago a service desk analyst got the Helpdesk Administrator role. */
    for (int u = 0; u < o->nusers; u++)
        if (o->users[u].kind == ACCT_PERSON && o->users[u].dept == 7 &&
            !strcmp(o->users[u].title, "Service Desk Analyst") && o->users[u].enabled) {
            demo_audit(c, &(dm_audit){.t = demo_at(c, 2, 16, 5, 12), .op = "Add member to role", .category = "RoleManagement",
                                      .actor = o->admins[0], .actor_ip = demo_offices[OFF_CHICAGO].egress[0],
                                      .target = u, .role = "Helpdesk Administrator"});
            break;
        }
    /* New hires: their accounts are created in the window, by HR's IT admin. */
    for (int u = 0; u < o->nusers; u++) {
        const demo_user *pu = &o->users[u];
        if (pu->kind != ACCT_PERSON || pu->created < c->start) continue;
        int a = o->admins[1];
        demo_audit(c, &(dm_audit){.t = pu->created, .op = "Add user", .actor = a,
                                  .actor_ip = demo_offices[OFF_CHICAGO].egress[0], .target = u,
                                  .props = "{\"displayName\":\"AccountEnabled\",\"oldValue\":\"[]\",\"newValue\":\"[true]\"}"});
        demo_audit(c, &(dm_audit){.t = pu->created + 3 * DEMO_MIN, .op = "Add member to group",
                                  .category = "GroupManagement", .actor = a,
                                  .actor_ip = demo_offices[OFF_CHICAGO].egress[0], .target = u,
                                  .group = "All Employees"});
        demo_audit(c, &(dm_audit){.t = pu->created + 26 * DEMO_HOUR, .op = "User registered security info",
                                  .actor = u, .actor_ip = demo_offices[pu->office].egress[0], .target = u,
                                  .service = "Authentication Methods"});
    }
}
