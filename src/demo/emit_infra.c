/* Emitters for infrastructure logs: Windows SecurityEvent (logons, process
 * creation, object access, account changes) and CEF firewall logs per vendor. */
#include "demo_int.h"

#include <ctype.h>
#include <stdio.h>

/* ----------------------------------------------------------- SecurityEvent */

static const char *activity_of(int id) {
    switch (id) {
    case 1102: return "1102 - The audit log was cleared.";
    case 4624: return "4624 - An account was successfully logged on.";
    case 4625: return "4625 - An account failed to log on.";
    case 4634: return "4634 - An account was logged off.";
    case 4648: return "4648 - A logon was attempted using explicit credentials.";
    case 4656: return "4656 - A handle to an object was requested.";
    case 4663: return "4663 - An attempt was made to access an object.";
    case 4672: return "4672 - Special privileges assigned to new logon.";
    case 4688: return "4688 - A new process has been created.";
    case 4697: return "4697 - A service was installed in the system.";
    case 4720: return "4720 - A user account was created.";
    case 4724: return "4724 - An attempt was made to reset an account's password.";
    case 4728: return "4728 - A member was added to a security-enabled global group.";
    case 4732: return "4732 - A member was added to a security-enabled local group.";
    case 4740: return "4740 - A user account was locked out.";
    case 4768: return "4768 - A Kerberos authentication ticket (TGT) was requested.";
    case 4769: return "4769 - A Kerberos service ticket was requested.";
    case 4771: return "4771 - Kerberos pre-authentication failed.";
    case 4776: return "4776 - The computer attempted to validate the credentials for an account.";
    default: return NULL;
    }
}

static int task_of(int id) {
    switch (id) {
    case 4624: case 4625: return 12544;
    case 4634: return 12545;
    case 4648: return 12544;
    case 4656: case 4663: return 12800;
    case 4672: return 12548;
    case 4688: return 13312;
    case 4697: return 12289;
    case 4720: case 4724: case 4740: return 13824;
    case 4728: case 4732: return 13826;
    case 4768: case 4771: return 14339;
    case 4769: return 14337;
    case 4776: return 14336;
    case 1102: return 104;
    default: return 0;
    }
}

static const char *logon_type_name(int t) {
    switch (t) {
    case 2: return "2 - Interactive";
    case 3: return "3 - Network";
    case 4: return "4 - Batch";
    case 5: return "5 - Service";
    case 7: return "7 - Unlock";
    case 8: return "8 - NetworkCleartext";
    case 9: return "9 - NewCredentials";
    case 10: return "10 - RemoteInteractive";
    case 11: return "11 - CachedInteractive";
    default: return NULL;
    }
}

void demo_computer_name(const demo_device *d, char *out, size_t cap) {
    size_t k = 0;
    for (const char *p = d->name; *p && k + 1 < cap; p++) out[k++] = (char)toupper((unsigned char)*p);
    snprintf(out + k, cap - k, ".%s", DEMO_AD_DOMAIN);
}

void demo_secev(demo_ctx *c, const dm_secev *e) {
    if (!demo_in_window(c, e->t)) return;
    const demo_device *d = &c->org.devices[e->dev];
    uint64_t h = sp_hash_u64((uint64_t)e->t ^ ((uint64_t)e->id << 32) ^ (uint64_t)e->dev);
    char computer[80], account[96], srcid[37];
    demo_computer_name(d, computer, sizeof computer);
    demo_guid_of(d->name, srcid);
    const demo_user *u = e->user >= 0 ? &c->org.users[e->user] : NULL;
    if (e->account) snprintf(account, sizeof account, "%s", e->account);
    else if (u) snprintf(account, sizeof account, "%s\\%s", DEMO_NETBIOS, u->sam);
    else snprintf(account, sizeof account, "%s\\%s$", DEMO_NETBIOS, d->name);
    const char *bs = strchr(account, '\\');
    const char *acct_name = bs ? bs + 1 : account;
    char acct_dom[32] = "";
    if (bs) snprintf(acct_dom, sizeof acct_dom, "%.*s", (int)(bs - account), account);
    bool machine = acct_name[0] && acct_name[strlen(acct_name) - 1] == '$';
    bool failure = e->id == 4625 || e->id == 4771 || (e->id == 4776 && e->status && strcmp(e->status, "0x0"));

    dj_begin(c, "SecurityEvent");
    dj_t(c, "TimeGenerated", e->t);
    dj_s(c, "SourceSystem", "OpsManager");
    dj_s(c, "Account", account);
    dj_s(c, "AccountType", machine ? "Machine" : "User");
    dj_s(c, "Computer", computer);
    dj_s(c, "EventSourceName", "Microsoft-Windows-Security-Auditing");
    dj_s(c, "Channel", "Security");
    dj_i(c, "Task", task_of(e->id));
    dj_s(c, "Level", failure ? "16" : "8");
    dj_i(c, "EventID", e->id);
    dj_s(c, "Activity", activity_of(e->id));
    dj_s(c, "Keywords", failure ? "0x8010000000000000" : "0x8020000000000000");
    dj_s(c, "EventLevelName", "LogAlways");
    dj_sf(c, "EventRecordId", "%llu", (unsigned long long)(1200000 + (++c->report_id % 50000000)));
    char sid_buf[64];
    const char *sid = u ? u->sid : machine ? (snprintf(sid_buf, sizeof sid_buf, "%s-%d", DEMO_DOMAIN_SID, 2100 + e->dev), sid_buf) : "S-1-5-18";

    switch (e->id) {
    case 4624: case 4625: case 4634: case 4648: case 4672: {
        dj_s(c, "TargetUserName", acct_name);
        dj_s(c, "TargetDomainName", acct_dom);
        dj_s(c, "TargetUserSid", failure ? "S-1-0-0" : sid);
        dj_sf(c, "TargetLogonId", "0x%llx", (unsigned long long)(h & 0xffffff));
        if (e->id == 4672) {
            dj_s(c, "SubjectUserName", acct_name);
            dj_s(c, "SubjectDomainName", acct_dom);
            dj_s(c, "SubjectUserSid", sid);
            dj_s(c, "PrivilegeList", "SeSecurityPrivilege SeBackupPrivilege SeRestorePrivilege SeTakeOwnershipPrivilege SeDebugPrivilege SeSystemEnvironmentPrivilege SeLoadDriverPrivilege SeImpersonatePrivilege");
            break;
        }
        if (e->id == 4634) {
            dj_i(c, "LogonType", e->logon_type ? e->logon_type : 3);
            break;
        }
        int lt = e->logon_type ? e->logon_type : 3;
        dj_i(c, "LogonType", lt);
        dj_s(c, "LogonTypeName", logon_type_name(lt));
        dj_s(c, "IpAddress", e->ip ? e->ip : "-");
        if (e->ip) dj_sf(c, "IpPort", "%d", 49152 + (int)(h % 16000));
        else dj_s(c, "IpPort", "-");
        dj_s(c, "WorkstationName", e->workstation ? e->workstation : "-");
        dj_s(c, "LogonProcessName", e->logon_process ? e->logon_process
                                    : lt == 3 ? "NtLmSsp " : lt == 10 || lt == 2 ? "User32 " : "Advapi  ");
        dj_s(c, "AuthenticationPackageName", e->auth_package ? e->auth_package : lt == 3 ? "NTLM" : "Negotiate");
        dj_s(c, "LmPackageName", lt == 3 ? "NTLM V2" : "-");
        if (lt == 3) dj_s(c, "SubjectUserName", "-");
        else dj_sf(c, "SubjectUserName", "%.15s$", d->name);
        dj_s(c, "SubjectUserSid", lt == 3 ? "S-1-0-0" : "S-1-5-18");
        dj_s(c, "ElevatedToken", u && u->kind == ACCT_ADMIN ? "%%1842" : "%%1843");
        dj_s(c, "ProcessName", e->process ? e->process : lt == 3 ? "-" : "C:\\Windows\\System32\\svchost.exe");
        if (failure) {
            dj_s(c, "Status", e->status ? e->status : "0xc000006d");
            dj_s(c, "SubStatus", e->substatus ? e->substatus : "0xc000006a");
            dj_s(c, "FailureReason", "%%2313");
        }
        break;
    }
    case 4688:
        dj_s(c, "SubjectUserName", acct_name);
        dj_s(c, "SubjectDomainName", acct_dom);
        dj_s(c, "SubjectUserSid", sid);
        dj_sf(c, "SubjectLogonId", "0x%llx", (unsigned long long)(u ? (h & 0xfffff) + 0x30000 : 0x3e7));
        dj_s(c, "NewProcessName", e->process);
        dj_sf(c, "NewProcessId", "0x%llx", (unsigned long long)(((h >> 8) & 0x3fff) * 4));
        dj_s(c, "CommandLine", e->cmd);
        dj_s(c, "ParentProcessName", e->parent);
        dj_sf(c, "ProcessId", "0x%llx", (unsigned long long)(((h >> 24) & 0x3fff) * 4));
        dj_s(c, "TokenElevationType", u && u->kind == ACCT_ADMIN ? "%%1937" : "%%1936");
        dj_s(c, "MandatoryLabel", u ? (u->kind == ACCT_ADMIN ? "S-1-16-12288" : "S-1-16-8192") : "S-1-16-16384");
        dj_s(c, "TargetUserSid", "S-1-0-0");
        dj_s(c, "TargetLogonId", "0x0");
        break;
    case 4656: case 4663:
        dj_s(c, "SubjectUserName", acct_name);
        dj_s(c, "SubjectDomainName", acct_dom);
        dj_s(c, "SubjectUserSid", sid);
        dj_s(c, "ObjectServer", "Security");
        dj_s(c, "ObjectType", e->object_type ? e->object_type : "File");
        dj_s(c, "ObjectName", e->object);
        dj_sf(c, "HandleId", "0x%llx", (unsigned long long)((h & 0xfff) * 4));
        dj_s(c, "AccessMask", e->access_mask ? e->access_mask : "0x1");
        dj_s(c, "ProcessName", e->process);
        dj_sf(c, "ProcessId", "0x%llx", (unsigned long long)(((h >> 12) & 0x3fff) * 4));
        break;
    case 4697:
        dj_s(c, "SubjectUserName", acct_name);
        dj_s(c, "SubjectDomainName", acct_dom);
        dj_s(c, "SubjectUserSid", sid);
        dj_s(c, "ServiceName", e->service_name);
        dj_s(c, "ServiceFileName", e->service_file);
        dj_i(c, "ServiceStartType", 3);
        dj_s(c, "ServiceAccount", "LocalSystem");
        break;
    case 4720: case 4724: case 4740:
        dj_s(c, "SubjectUserName", acct_name);
        dj_s(c, "SubjectDomainName", acct_dom);
        dj_s(c, "SubjectUserSid", sid);
        dj_s(c, "TargetUserName", e->target_account);
        dj_s(c, "TargetDomainName", e->id == 4740 ? e->workstation : DEMO_NETBIOS);
        if (e->id == 4720) dj_s(c, "SamAccountName", e->target_account);
        break;
    case 4728: case 4732:
        dj_s(c, "SubjectUserName", acct_name);
        dj_s(c, "SubjectDomainName", acct_dom);
        dj_s(c, "SubjectUserSid", sid);
        dj_s(c, "MemberName", e->member_name);
        dj_s(c, "TargetUserName", e->group_name);
        dj_s(c, "TargetDomainName", e->id == 4732 ? "Builtin" : DEMO_NETBIOS);
        break;
    case 4768: case 4769: case 4771: case 4776:
        dj_s(c, "TargetUserName", e->target_account ? e->target_account : acct_name);
        dj_s(c, "TargetDomainName", DEMO_AD_DOMAIN);
        if (e->ip) dj_sf(c, "IpAddress", "::ffff:%s", e->ip);
        dj_s(c, "Status", e->status ? e->status : "0x0");
        if (e->id == 4769) {
            dj_s(c, "ServiceName", e->service_name ? e->service_name : "krbtgt");
        }
        if (e->id == 4776) dj_s(c, "Workstation", e->workstation);
        break;
    case 1102:
        dj_s(c, "SubjectUserName", acct_name);
        dj_s(c, "SubjectDomainName", acct_dom);
        break;
    }
    dj_s(c, "SourceComputerId", srcid);
    dj_s(c, "ManagementGroupName", "AOI-" DEMO_WORKSPACE);
    dj_sf(c, "_ResourceId", "/subscriptions/%s/resourcegroups/rg-servers/providers/microsoft.compute/virtualmachines/%s",
          DEMO_SUBSCRIPTION, d->name);
    dj_end(c);
}

/* ------------------------------------------------------ CommonSecurityLog */

void demo_cef(demo_ctx *c, const dm_cef *e) {
    if (!demo_in_window(c, e->t)) return;
    const demo_office *of = &demo_offices[e->office];
    uint64_t h = sp_hash_u64((uint64_t)e->t ^ sp_hash_bytes(e->src, strlen(e->src), 1));
    const char *action = e->action ? e->action : e->deny ? of->fw_deny : of->fw_allow;
    bool denied = e->deny || !strcasecmp(action, of->fw_deny) || !strcasecmp(action, of->fw_drop) ||
                  !strcasecmp(action, "block") || !strcasecmp(action, "reject") ||
                  !strcasecmp(action, "drop") || !strcasecmp(action, "deny");
    bool inbound = e->dir ? !strcmp(e->dir, "Inbound") : !demo_ip_private(e->src);
    const char *vendor = of->fw_vendor;
    bool pan = !strcmp(vendor, "Palo Alto Networks"), cisco = !strcmp(vendor, "Cisco");
    bool forti = !strcmp(vendor, "Fortinet");
    const char *proto = e->proto ? e->proto : "TCP";
    long sent = denied ? 0 : e->sent, recv = denied ? 0 : e->received;

    dj_begin(c, "CommonSecurityLog");
    dj_t(c, "TimeGenerated", e->t);
    dj_s(c, "SourceSystem", "OpsManager");
    dj_s(c, "DeviceVendor", vendor);
    dj_s(c, "DeviceProduct", of->fw_product);
    dj_s(c, "DeviceVersion", of->fw_version);
    dj_s(c, "DeviceEventClassID", pan ? (e->threat ? "THREAT" : "end")
                                  : cisco ? (denied ? "106023" : "302013")
                                  : forti ? (e->threat ? "0419016384" : "0000000013") : "Log");
    dj_s(c, "Activity", pan ? (e->threat ? "THREAT" : "TRAFFIC")
                        : cisco ? (denied ? "Deny inbound TCP" : "Built TCP connection")
                        : forti ? (e->threat ? "utm:ips signature" : "traffic:forward")
                                : (denied ? "Drop" : "Accept"));
    dj_s(c, "LogSeverity", e->threat ? "8" : denied ? "5" : "3");
    dj_s(c, "DeviceAction", action);
    dj_s(c, "SimplifiedDeviceAction", denied ? "Deny" : "Allow");
    dj_s(c, "Computer", "lnx-cef01");
    dj_s(c, "CommunicationDirection", inbound ? "Inbound" : "Outbound");
    dj_i(c, "DestinationPort", e->dport);
    dj_s(c, "DestinationIP", e->dst);
    dj_s(c, "DeviceAddress", of->fw_ip);
    dj_s(c, "DeviceName", of->fw_name);
    dj_s(c, "Protocol", proto);
    dj_i(c, "SourcePort", e->sport ? e->sport : 49152 + (int)(h % 16000));
    dj_s(c, "SourceIP", e->src);
    dj_s(c, "ApplicationProtocol", e->app);
    dj_i(c, "EventCount", 1);
    dj_s(c, "DeviceExternalID", pan ? "013201028345" : forti ? "FG200FT922901234" : cisco ? "JMX2236L0PK" : "cp-gw-muc");
    dj_s(c, "DeviceInboundInterface", inbound ? (pan ? "ethernet1/1" : "wan1") : (pan ? "ethernet1/2" : "internal"));
    dj_s(c, "DeviceOutboundInterface", inbound ? (pan ? "ethernet1/2" : "internal") : (pan ? "ethernet1/1" : "wan1"));
    if (!inbound && demo_ip_private(e->src) && of->egress[0]) dj_s(c, "SourceTranslatedAddress", of->egress[0]);
    dj_i(c, "SentBytes", sent);
    dj_i(c, "ReceivedBytes", recv);
    dj_s(c, "RequestURL", e->url);
    dj_s(c, "SourceUserName", e->user);
    dj_s(c, "DeviceCustomString1", denied ? (inbound ? "deny-inbound-default" : "deny-outbound-policy")
                                          : inbound ? "allow-dmz-web" : "allow-outbound-web");
    dj_s(c, "DeviceCustomString1Label", "Rule");
    if (e->threat) {
        dj_s(c, "DeviceCustomString4", e->threat);
        dj_s(c, "DeviceCustomString4Label", "ThreatName");
    }
    dj_sf(c, "ReceiptTime", "%lld", (long long)(e->t / SP_TICKS_PER_MS));
    dj_end(c);
}
