/* Emitters for the Entra ID and Microsoft 365 tables: SigninLogs (with its
 * dynamic columns), AuditLogs and OfficeActivity, filled from the org. */
#include "demo_int.h"

#include <stdio.h>

static void quick(demo_rng *r, int64_t t, int salt) {
    uint64_t h = (uint64_t)t * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(salt + 7) * 0xc2b2ae3d27d4eb4fULL;
    r->s[0] = sp_hash_u64(h + 1);
    r->s[1] = sp_hash_u64(h + 2) | 1;
    r->s[2] = sp_hash_u64(h + 3);
    r->s[3] = sp_hash_u64(h + 4);
}

/* ----------------------------------------------------------------- sign-in */

const char *demo_aad_error(int code) {
    switch (code) {
    case 0: return NULL;
    case 50126: return "Error validating credentials due to invalid username or password.";
    case 50053: return "Account is locked because user tried to sign in too many times with an incorrect user ID or password.";
    case 500121: return "Authentication failed during strong authentication request.";
    case 50074: return "Strong Authentication is required.";
    case 50076: return "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access the resource.";
    case 50140: return "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.";
    case 53003: return "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.";
    case 50057: return "User account is disabled. The account has been disabled by an administrator.";
    case 50055: return "The password is expired.";
    case 50097: return "Device authentication is required.";
    case 70043: return "The refresh token has expired or is invalid due to sign-in frequency checks by conditional access.";
    case 65001: return "The user or administrator has not consented to use the application.";
    case 50034: return "The user account does not exist in the directory. To sign into this application, the account must be added to the directory.";
    case 50058: return "Session information is not sufficient for single-sign-on.";
    case 16000: return "Either multiple user identities are available for the current request or selected account is not supported for the scenario.";
    default: return "Other.";
    }
}

static bool legacy_client(const char *c) {
    static const char *const L[] = {"Exchange ActiveSync", "IMAP4", "POP3", "Authenticated SMTP",
                                    "MAPI Over HTTP", "Offline Address Book",
                                    "Exchange Web Services", "AutoDiscover", "Other clients"};
    for (size_t i = 0; i < SP_ARRAY_LEN(L); i++)
        if (!strcmp(L[i], c)) return true;
    return false;
}

static void device_strings(const demo_device *d, const char *app, const char **ua,
                           const char **browser, const char **os) {
    bool rich = !strcmp(app, "Microsoft Teams") || !strcmp(app, "Microsoft Office") ||
                !strcmp(app, "OneDrive SyncEngine") || !strcmp(app, "Windows Sign In") ||
                !strcmp(app, "Microsoft Authentication Broker");
    switch (d->os) {
    case OS_MAC:
        *os = "MacOs";
        *browser = rich ? "Rich Client 5.3.0" : "Safari 17.6";
        *ua = rich ? "Microsoft Office/16.0 (Macintosh; Mac OS X 14.6; Teams 24277)"
                   : "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15";
        break;
    case OS_IOS:
        *os = "Ios";
        *browser = "Mobile Safari";
        *ua = "Outlook-iOS/2.0";
        break;
    case OS_ANDROID:
        *os = "Android";
        *browser = "Rich Client 4.0.0";
        *ua = "okhttp/4.12.0";
        break;
    case OS_WIN10:
    case OS_WIN11:
    default:
        *os = d->os == OS_WIN11 ? "Windows11" : "Windows10";
        if (rich) {
            *browser = "Rich Client 5.3.0";
            *ua = !strcmp(app, "OneDrive SyncEngine")
                      ? "Microsoft SkyDriveSync 24.201.1006.0005 ship; Windows NT 10.0 (19045)"
                      : "Windows-AzureAD-Authentication-Provider/1.0";
        } else {
            *browser = "Edge 130.0.2849";
            *ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.80";
        }
        break;
    }
}

static bool office_ip(const char *ip) {
    for (int o = 0; o < OFF_COUNT - 1; o++)
        for (int k = 0; k < 3; k++)
            if (demo_offices[o].egress[k] && !strcmp(demo_offices[o].egress[k], ip)) return true;
    return false;
}

void demo_signin(demo_ctx *c, const dm_signin *s) {
    if (!demo_in_window(c, s->t)) return;
    const demo_user *u = &c->org.users[s->user];
    const demo_app *app = demo_app_find(s->app);
    demo_rng r;
    quick(&r, s->t, s->user * 31 + s->result);
    char id[37], corr[37];
    demo_guid(&r, id);
    demo_guid(&r, corr);
    const char *client = s->client_app ? s->client_app : "Browser";
    bool legacy = legacy_client(client);
    const char *ua = s->ua, *browser = s->browser, *os = s->os;
    const demo_device *dev = s->dev >= 0 ? &c->org.devices[s->dev] : NULL;
    if (dev) {
        const char *dua, *dbr, *dos;
        device_strings(dev, s->app, &dua, &dbr, &dos);
        if (!ua) ua = dua;
        if (!browser) browser = dbr;
        if (!os) os = dos;
    }
    if (!ua) ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
    bool trusted = office_ip(s->ip);
    bool mfa = s->mfa_prompt || (!s->single_factor && !trusted && !legacy && u->mfa);
    const char *risk = s->risk_level ? s->risk_level : "none";
    const char *ca = s->ca_status;
    if (!ca) {
        if (s->result == 53003) ca = "failure";
        else if (legacy || u->kind == ACCT_GUEST || s->result == 50126 || s->result == 50034 ||
                 s->result == 50053)
            ca = "notApplied";
        else ca = "success";
    }

    dj_begin(c, "SigninLogs");
    dj_s(c, "SourceSystem", "Azure AD");
    dj_t(c, "TimeGenerated", s->t);
    dj_s(c, "OperationName", "Sign-in activity");
    dj_s(c, "Category", s->noninteractive ? "NonInteractiveUserSignInLogs" : "SignInLogs");
    char rt[16];
    snprintf(rt, sizeof rt, "%d", s->result);
    dj_s(c, "ResultType", rt);
    dj_s(c, "ResultSignature", "None");
    dj_s(c, "ResultDescription", demo_aad_error(s->result));
    dj_i(c, "DurationMs", 0);
    dj_s(c, "CorrelationId", s->correlation ? s->correlation : corr);
    dj_s(c, "Identity", u->display);
    dj_s(c, "Location", s->geo ? s->geo->country : NULL);
    dj_s(c, "AppDisplayName", s->app);
    dj_s(c, "AppId", app ? app->id : NULL);

    /* AuthenticationDetails: a JSON string of the steps. */
    sp_buf *b = &c->tmp;
    sp_buf_reset(b);
    char ts[32];
    demo_fmt_time(s->t, ts);
    bool pw_ok = s->result != 50126 && s->result != 50053 && s->result != 50034;
    sp_buf_printf(b, "[{\"authenticationStepDateTime\":\"%s\",\"authenticationMethod\":\"%s\","
                     "\"succeeded\":%s,"
                     "\"authenticationStepResultDetail\":\"%s\","
                     "\"authenticationStepRequirement\":\"Primary authentication\"}",
                  ts, s->result == 0 && !mfa && !legacy && demo_rng_chance(&r, 0.4) ? "Previously satisfied" : "Password",
                  pw_ok ? "true" : "false",
                  pw_ok ? "Correct password" : s->result == 50053 ? "Account locked" : "Invalid username or password or Invalid on-premise username or password.");
    if (mfa && pw_ok) {
        const char *m = s->mfa_method ? s->mfa_method : "Mobile app notification";
        bool ok = s->result == 0;
        sp_buf_printf(b, ",{\"authenticationStepDateTime\":\"%s\",\"authenticationMethod\":\"%s\","
                         "\"succeeded\":%s,\"authenticationStepResultDetail\":\"%s\","
                         "\"authenticationStepRequirement\":\"Multifactor authentication\"}",
                      ts, m, ok ? "true" : "false",
                      ok ? "MFA successfully completed" : s->result == 500121 ? "MFA denied; user declined the authentication" : "MFA required in Azure AD");
    }
    sp_buf_putc(b, ']');
    dj_jstr(c, "AuthenticationDetails", b);
    dj_s(c, "AuthenticationMethodsUsed", pw_ok ? (mfa ? "Password, Mobile app notification" : "Password") : NULL);
    dj_s(c, "AuthenticationRequirement", mfa ? "multiFactorAuthentication" : "singleFactorAuthentication");
    dj_s(c, "ClientAppUsed", client);

    /* ConditionalAccessPolicies: the tenant's three policies and their result. */
    sp_buf_reset(b);
    const char *p_mfa = ca[0] == 'n' ? "notApplied" : s->result == 53003 ? "notApplied"
                        : mfa ? "success" : "notApplied";
    const char *p_legacy = legacy ? (s->result == 53003 ? "failure" : "notApplied") : "notApplied";
    const char *p_dev = s->result == 53003 && !legacy ? "failure"
                        : (u->kind == ACCT_ADMIN && ca[0] == 's') ? "success" : "notApplied";
    sp_buf_printf(b,
                  "[{\"displayName\":\"CA001: Require MFA outside trusted locations\",\"enforcedGrantControls\":[\"Mfa\"],\"result\":\"%s\"},"
                  "{\"displayName\":\"CA002: Block legacy authentication\",\"enforcedGrantControls\":[\"Block\"],\"result\":\"%s\"},"
                  "{\"displayName\":\"CA003: Require compliant device for admins\",\"enforcedGrantControls\":[\"RequireCompliantDevice\"],\"result\":\"%s\"}]",
                  p_mfa, p_legacy, p_dev);
    dj_raw(c, "ConditionalAccessPolicies", b->p, b->n);
    dj_s(c, "ConditionalAccessStatus", ca);
    dj_t(c, "CreatedDateTime", s->t);

    sp_buf_reset(b);
    bool first = true;
    sp_buf_putc(b, '{');
    jb_s(b, &first, "deviceId", dev ? dev->aad_id : "");
    if (dev) jb_s(b, &first, "displayName", dev->name);
    jb_s(b, &first, "operatingSystem", os ? os : "Windows10");
    jb_s(b, &first, "browser", browser ? browser : "Chrome 131.0.0");
    if (dev) {
        jb_b(b, &first, "isCompliant", dev->sensor && strcmp(dev->sensor, "Active") == 0);
        jb_b(b, &first, "isManaged", true);
        jb_s(b, &first, "trustType", dev->kind == DEV_MOBILE ? "Azure AD registered" : "Hybrid Azure AD joined");
    }
    sp_buf_putc(b, '}');
    dj_raw(c, "DeviceDetail", b->p, b->n);
    dj_b(c, "IsInteractive", !s->noninteractive);
    dj_s(c, "Id", id);
    dj_s(c, "IPAddress", s->ip);
    bool risky = strcmp(risk, "none") != 0 && strcmp(risk, "hidden") != 0;
    dj_b(c, "IsRisky", risky);
    if (s->geo) {
        sp_buf_reset(b);
        sp_buf_printf(b, "{\"city\":\"%s\",\"state\":\"%s\",\"countryOrRegion\":\"%s\","
                         "\"geoCoordinates\":{\"latitude\":%.4f,\"longitude\":%.4f}}",
                      s->geo->city, s->geo->state, s->geo->country, s->geo->lat, s->geo->lon);
        dj_raw(c, "LocationDetails", b->p, b->n);
    }
    if (mfa && pw_ok) {
        sp_buf_reset(b);
        sp_buf_printf(b, "{\"authMethod\":\"%s\",\"authDetail\":null}",
                      s->mfa_method ? s->mfa_method : "Mobile app notification");
        dj_raw(c, "MfaDetail", b->p, b->n);
    }
    if (trusted) dj_s(c, "NetworkLocationDetails", "[{\"networkType\":\"trustedNamedLocation\",\"networkNames\":[\"Contoso offices\"]}]");
    dj_s(c, "RiskDetail", "none");
    dj_s(c, "RiskEventTypes_V2", s->risk_events ? s->risk_events : "[]");
    dj_s(c, "RiskLevelAggregated", risk);
    dj_s(c, "RiskLevelDuringSignIn", risk);
    dj_s(c, "RiskState", s->risk_state ? s->risk_state : "none");
    dj_s(c, "ResourceDisplayName", app ? app->resource : s->app);
    sp_buf_reset(b);
    if (s->result) sp_buf_printf(b, "{\"errorCode\":%d,\"failureReason\":\"%s\"}", s->result, demo_aad_error(s->result));
    else sp_buf_puts(b, "{\"errorCode\":0}");
    dj_raw(c, "Status", b->p, b->n);
    dj_s(c, "TokenIssuerType", "AzureAD");
    dj_s(c, "UserAgent", ua);
    dj_s(c, "UserDisplayName", u->display);
    dj_s(c, "UserId", u->object_id);
    dj_s(c, "UserPrincipalName", u->upn);
    dj_s(c, "AuthenticationProtocol", legacy ? "none" : !strcmp(client, "Mobile Apps and Desktop clients") && !dev ? "ropc" : "none");
    dj_s(c, "CrossTenantAccessType", u->kind == ACCT_GUEST ? "b2bCollaboration" : "none");
    dj_s(c, "UserType", u->kind == ACCT_GUEST ? "Guest" : "Member");
    dj_end(c);
}

/* ------------------------------------------------------------------ audit */

static void user_json(sp_buf *b, const demo_user *u, const char *ip) {
    sp_buf_printf(b, "{\"id\":\"%s\",\"displayName\":", u->object_id);
    jb_str(b, u->display);
    sp_buf_puts(b, ",\"userPrincipalName\":");
    jb_str(b, u->upn);
    sp_buf_puts(b, ",\"ipAddress\":");
    jb_str(b, ip);
    sp_buf_puts(b, ",\"roles\":[]}");
}

static const char *aad_op_type(const char *op) {
    if (!strncmp(op, "Add", 3) || !strncmp(op, "Consent", 7) || strstr(op, "registered")) return "Add";
    if (!strncmp(op, "Remove", 6) || !strncmp(op, "Delete", 6) || strstr(op, "deleted")) return "Delete";
    if (strstr(op, "Reset") || strstr(op, "reset") || strstr(op, "Change")) return "Update";
    if (strstr(op, "role")) return "Assign";
    return "Update";
}

void demo_audit(demo_ctx *c, const dm_audit *a) {
    if (!demo_in_window(c, a->t)) return;
    demo_rng r;
    quick(&r, a->t, (a->actor + 3) * 7 + (a->target + 5));
    char id[12], corr[37];
    demo_hex(&r, id, 8);
    demo_guid(&r, corr);
    char fullid[96];
    snprintf(fullid, sizeof fullid, "Directory_%s_%s_DIR", corr, id);
    sp_buf *b = &c->tmp;

    dj_begin(c, "AuditLogs");
    dj_t(c, "TimeGenerated", a->t);
    dj_s(c, "AADOperationType", aad_op_type(a->op));
    dj_t(c, "ActivityDateTime", a->t);
    dj_s(c, "ActivityDisplayName", a->op);
    sp_buf_reset(b);
    sp_buf_puts(b, "[{\"key\":\"User-Agent\",\"value\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.2849.80\"}]");
    dj_raw(c, "AdditionalDetails", b->p, b->n);
    dj_s(c, "Category", a->category ? a->category : "UserManagement");
    dj_s(c, "CorrelationId", corr);
    dj_i(c, "DurationMs", 0);
    dj_s(c, "Id", fullid);
    dj_s(c, "Identity", a->actor >= 0 ? c->org.users[a->actor].display : a->actor_app);

    sp_buf_reset(b);
    if (a->actor >= 0) {
        sp_buf_puts(b, "{\"user\":");
        user_json(b, &c->org.users[a->actor], a->actor_ip);
        sp_buf_putc(b, '}');
    } else {
        char spid[37];
        demo_guid_of(a->actor_app ? a->actor_app : "app", spid);
        sp_buf_printf(b, "{\"app\":{\"appId\":null,\"displayName\":");
        jb_str(b, a->actor_app ? a->actor_app : "Microsoft Substrate Management");
        sp_buf_printf(b, ",\"servicePrincipalId\":\"%s\",\"servicePrincipalName\":null}}", spid);
    }
    dj_raw(c, "InitiatedBy", b->p, b->n);
    dj_s(c, "Level", "Informational");
    dj_s(c, "LoggedByService", a->service ? a->service : "Core Directory");
    dj_s(c, "OperationName", a->op);
    dj_s(c, "Result", a->result ? a->result : "success");
    dj_s(c, "ResultDescription", a->reason);
    dj_s(c, "ResultReason", a->reason);
    dj_s(c, "SourceSystem", "Azure AD");

    /* TargetResources: the user (or app) first, then the group or role. */
    sp_buf_reset(b);
    sp_buf_putc(b, '[');
    if (a->target >= 0) {
        const demo_user *t = &c->org.users[a->target];
        sp_buf_printf(b, "{\"id\":\"%s\",\"displayName\":", t->object_id);
        jb_str(b, t->display);
        sp_buf_puts(b, ",\"type\":\"User\",\"userPrincipalName\":");
        jb_str(b, t->upn);
    } else {
        char tid[37];
        demo_guid_of(a->target_name ? a->target_name : "target", tid);
        sp_buf_printf(b, "{\"id\":\"%s\",\"displayName\":", a->target_id ? a->target_id : tid);
        jb_str(b, a->target_name);
        sp_buf_puts(b, ",\"type\":");
        jb_str(b, a->target_type ? a->target_type : "ServicePrincipal");
        sp_buf_puts(b, ",\"userPrincipalName\":");
        jb_str(b, a->target_upn);
    }
    sp_buf_puts(b, ",\"modifiedProperties\":[");
    bool any = false;
    if (a->group) {
        sp_buf_puts(b, "{\"displayName\":\"Group.DisplayName\",\"oldValue\":null,\"newValue\":");
        sp_buf_printf(b, "\"\\\"%s\\\"\"}", a->group);
        any = true;
    }
    if (a->role) {
        if (any) sp_buf_putc(b, ',');
        sp_buf_puts(b, "{\"displayName\":\"Role.DisplayName\",\"oldValue\":null,\"newValue\":");
        sp_buf_printf(b, "\"\\\"%s\\\"\"}", a->role);
        any = true;
    }
    if (a->props) {
        if (any) sp_buf_putc(b, ',');
        sp_buf_puts(b, a->props);
    }
    sp_buf_puts(b, "],\"administrativeUnits\":[]}");
    if (a->group || a->role) {
        char gid[37];
        demo_guid_of(a->group ? a->group : a->role, gid);
        sp_buf_printf(b, ",{\"id\":\"%s\",\"displayName\":", gid);
        jb_str(b, a->group ? a->group : a->role);
        sp_buf_printf(b, ",\"type\":\"%s\",\"modifiedProperties\":[],\"administrativeUnits\":[]}",
                      a->group ? "Group" : "Role");
    }
    sp_buf_putc(b, ']');
    dj_raw(c, "TargetResources", b->p, b->n);
    dj_end(c);
}

/* ---------------------------------------------------------- OfficeActivity */

void demo_office_activity(demo_ctx *c, const dm_office *o) {
    if (!demo_in_window(c, o->t)) return;
    const demo_user *u = &c->org.users[o->user];
    demo_rng r;
    quick(&r, o->t, o->user * 13 + (int)strlen(o->op));
    char id[37];
    demo_guid(&r, id);
    const char *wl = o->workload ? o->workload : "Exchange";
    bool exch = !strcmp(wl, "Exchange");
    dj_begin(c, "OfficeActivity");
    dj_s(c, "Application", NULL);
    dj_s(c, "UserDomain", DEMO_DOMAIN);
    dj_s(c, "UserAgent", o->ua);
    dj_s(c, "RecordType", o->record_type ? o->record_type
                          : exch ? (o->params ? "ExchangeAdmin" : "ExchangeItem")
                          : !strcmp(wl, "OneDrive") ? "OneDrive"
                          : !strcmp(wl, "MicrosoftTeams") ? "MicrosoftTeams" : "SharePointFileOperation");
    dj_t(c, "TimeGenerated", o->t);
    dj_s(c, "Operation", o->op);
    dj_s(c, "OrganizationId", DEMO_TENANT_ID);
    dj_s(c, "UserType", u->kind == ACCT_ADMIN ? "Admin" : "Regular");
    dj_s(c, "UserKey", u->object_id);
    dj_s(c, "OfficeWorkload", wl);
    dj_s(c, "ResultStatus", o->result ? o->result : exch ? "True" : "Succeeded");
    dj_s(c, "OfficeObjectId", o->object_id);
    dj_s(c, "UserId", u->upn);
    dj_s(c, "ClientIP", o->ip);
    if (!exch && o->site_url) {
        dj_s(c, "ItemType", "File");
        dj_s(c, "EventSource", "SharePoint");
        dj_s(c, "Site_Url", o->site_url);
        dj_s(c, "SourceRelativeUrl", o->rel_url);
        dj_s(c, "SourceFileName", o->file);
        if (o->file) {
            const char *dot = strrchr(o->file, '.');
            dj_s(c, "SourceFileExtension", dot ? dot + 1 : NULL);
        }
        dj_s(c, "UserSharedWith", o->share_with);
        if (o->share_with || !strcmp(o->op, "AnonymousLinkCreated"))
            dj_s(c, "SharingType", !strcmp(o->op, "AnonymousLinkCreated") ? "Anonymous" : "Guest");
    }
    dj_s(c, "Parameters", o->params);
    dj_s(c, "ExternalAccess", "false");
    if (exch) {
        dj_s(c, "OriginatingServer", "CH3PR12MB8659 (15.20.8182.016)");
        dj_s(c, "OrganizationName", "contoso.onmicrosoft.com");
        dj_s(c, "MailboxOwnerUPN", u->upn);
        dj_s(c, "MailboxGuid", id);
        dj_s(c, "ClientInfoString", o->client_info);
        dj_s(c, "Client_IPAddress", o->ip);
        dj_s(c, "Logon_Type", o->params ? NULL : "Owner");
    }
    dj_s(c, "SourceSystem", "OfficeActivityManager");
    dj_s(c, "OfficeId", id);
    dj_s(c, "SourceRecordId", id);
    dj_s(c, "OfficeTenantId", DEMO_TENANT_ID);
    dj_s(c, "AppId", exch ? "00000002-0000-0ff1-ce00-000000000000" : "00000003-0000-0ff1-ce00-000000000000");
    dj_end(c);
}
