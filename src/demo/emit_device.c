/* Emitters for the Defender for Endpoint tables (process, network, file, logon,
 * registry and misc device events), filling defaults from org and catalog. */
#include "demo_int.h"

#include <stdio.h>
#include <strings.h>

/* ---------------------------------------------------------------- helpers */

/* A tiny rng keyed by the event, so incidental values (process ids, logon
 * ids) never depend on how many rows came before. */
static void quick_rng(demo_rng *r, uint64_t h) {
    r->s[0] = sp_hash_u64(h + 1);
    r->s[1] = sp_hash_u64(h + 2) | 1;
    r->s[2] = sp_hash_u64(h + 3);
    r->s[3] = sp_hash_u64(h + 4);
}

static uint64_t ev_key(int64_t t, int dev, const char *s) {
    uint64_t h = (uint64_t)t * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(dev + 1) << 40;
    if (s) h ^= sp_hash_bytes(s, strlen(s), 7);
    return h;
}

/* Digest cache: the same few hundred file names come back millions of times. */
typedef struct hcache {
    char name[64];
    char salt;
    char hex[65];
} hcache;
static _Thread_local hcache HC[512];

static const char *file_hash(const char *name, char kind) {
    char low[64];
    size_t n = 0;
    for (; name[n] && n < sizeof low - 1; n++)
        low[n] = (char)((name[n] >= 'A' && name[n] <= 'Z') ? name[n] + 32 : name[n]);
    low[n] = 0;
    uint64_t h = sp_hash_bytes(low, n, (uint64_t)kind);
    hcache *e = &HC[h & 511];
    if (e->salt != kind || strcmp(e->name, low) != 0) {
        int nhex = kind == 's' ? 64 : kind == '1' ? 40 : 32;
        demo_digest(low, kind == 's' ? "sha256" : kind == '1' ? "sha1" : "md5", e->hex, nhex);
        memcpy(e->name, low, n + 1);
        e->salt = kind;
    }
    return e->hex;
}

const char *demo_sha_tmp(const char *name) { return file_hash(name, 's'); }

const char *demo_sha(demo_ctx *c, const char *name) {
    return sp_arena_strdup(&c->arena, file_hash(name, 's'));
}

static bool is_linux(const demo_device *d) { return d->os == OS_LINUX; }

/* dir\name with %USER% replaced by the account's profile name. */
static void make_path(char *out, size_t cap, const char *dir, const char *name, const char *user,
                      bool posix) {
    size_t k = 0;
    for (const char *p = dir; *p && k + 1 < cap; p++) {
        if (*p == '%' && !strncmp(p, "%USER%", 6)) {
            for (const char *q = user; *q && k + 1 < cap; q++) out[k++] = *q;
            p += 5;
        } else out[k++] = *p;
    }
    if (name && *name && k + 1 < cap) out[k++] = posix ? '/' : '\\';
    for (const char *q = name ? name : ""; *q && k + 1 < cap; q++) out[k++] = *q;
    out[k] = 0;
}

typedef struct acct {
    const char *name, *domain, *sid, *upn, *oid;
} acct;

static acct account_of(const demo_ctx *c, const demo_device *d, int user, const char *override) {
    acct a = {0};
    if (user >= 0) {
        const demo_user *u = &c->org.users[user];
        a.name = u->sam;
        a.domain = d->os == OS_MAC || d->os == OS_LINUX ? d->name : "contoso";
        a.sid = d->os == OS_MAC || d->os == OS_LINUX ? NULL : u->sid;
        a.upn = u->kind == ACCT_SERVICE ? NULL : u->upn;
        a.oid = u->kind == ACCT_SERVICE ? NULL : u->object_id;
        if (d->os == OS_LINUX) a.domain = NULL;
        return a;
    }
    if (is_linux(d)) {
        a.name = override ? override : "root";
        return a;
    }
    const char *n = override ? override : "system";
    a.name = n;
    a.domain = "nt authority";
    if (!strcasecmp(n, "system")) a.sid = "S-1-5-18";
    else if (!strcasecmp(n, "local service")) a.sid = "S-1-5-19";
    else if (!strcasecmp(n, "network service")) a.sid = "S-1-5-20";
    else {
        a.domain = d->name;
        a.sid = NULL;
    }
    return a;
}

static void put_device(demo_ctx *c, const demo_device *d) {
    dj_s(c, "DeviceId", d->id);
    dj_s(c, "DeviceName", d->name);
}

static void put_init_account(demo_ctx *c, const acct *a) {
    dj_s(c, "InitiatingProcessAccountDomain", a->domain);
    dj_s(c, "InitiatingProcessAccountName", a->name);
    dj_s(c, "InitiatingProcessAccountSid", a->sid);
    dj_s(c, "InitiatingProcessAccountUpn", a->upn);
    dj_s(c, "InitiatingProcessAccountObjectId", a->oid);
}

static const char *default_dir(const demo_device *d, const char *file) {
    const demo_bin *b = demo_bin_find(file);
    if (b) return b->dir;
    return is_linux(d) ? "/usr/bin" : "C:\\Windows\\System32";
}

/* The initiating process block shared by network, file and registry events. */
static void put_initiating(demo_ctx *c, const demo_device *d, demo_rng *r, int64_t t,
                           const char *proc, const char *dir, const char *cmd, const acct *a,
                           const char *sha256, bool integrity) {
    if (!proc) proc = is_linux(d) ? "systemd" : "svchost.exe";
    char path[512] = "";
    if (!dir || *dir)
        make_path(path, sizeof path, dir ? dir : default_dir(d, proc), proc, a->name ? a->name : "",
                  is_linux(d));
    put_init_account(c, a);
    bool sys = a->sid && !strncmp(a->sid, "S-1-5-1", 7);
    if (integrity) {
        dj_s(c, "InitiatingProcessIntegrityLevel", sys ? "System" : "Medium");
        dj_s(c, "InitiatingProcessTokenElevation", sys ? "TokenElevationTypeDefault" : "TokenElevationTypeLimited");
    }
    dj_s(c, "InitiatingProcessSHA256", sha256 ? sha256 : file_hash(proc, 's'));
    dj_s(c, "InitiatingProcessFileName", proc);
    const demo_bin *b = demo_bin_find(proc);
    dj_i(c, "InitiatingProcessId", 4 * demo_rng_range(r, 200, 9000));
    if (!cmd) cmd = b ? b->name : proc;
    dj_s(c, "InitiatingProcessCommandLine", *path ? cmd : NULL);
    dj_t(c, "InitiatingProcessCreationTime", t - demo_rng_range(r, 5, 20000) * DEMO_SEC);
    dj_s(c, "InitiatingProcessFolderPath", path);
}

static void put_tail(demo_ctx *c, const demo_device *d) {
    dj_i(c, "ReportId", (int64_t)++c->report_id);
    dj_s(c, "MachineGroup", d->machine_group);
}

/* ---------------------------------------------------------------- process */

static const char *default_parent(const demo_device *d, const char *file) {
    if (is_linux(d)) return "bash";
    if (!strcasecmp(file, "conhost.exe")) return "cmd.exe";
    if (!strcasecmp(file, "net1.exe")) return "net.exe";
    return "explorer.exe";
}

void demo_proc(demo_ctx *c, const dm_proc *p) {
    if (!demo_in_window(c, p->t)) return;
    const demo_device *d = &c->org.devices[p->dev];
    demo_rng r;
    quick_rng(&r, ev_key(p->t, p->dev, p->cmd ? p->cmd : p->file));
    acct a = account_of(c, d, p->user, p->account);
    const char *parent = p->parent ? p->parent : default_parent(d, p->file);
    const demo_bin *b = demo_bin_find(p->file);
    char path[512], ppath[512];
    make_path(path, sizeof path, p->dir ? p->dir : default_dir(d, p->file), p->file,
              a.name ? a.name : "", is_linux(d));
    make_path(ppath, sizeof ppath, p->parent_dir ? p->parent_dir : default_dir(d, parent), parent,
              a.name ? a.name : "", is_linux(d));
    bool sys = p->user < 0 && !p->account;
    const char *integrity = p->integrity ? p->integrity : sys ? "System" : "Medium";

    dj_begin(c, "DeviceProcessEvents");
    dj_ts(c, p->t);
    put_device(c, d);
    dj_s(c, "ActionType", p->action ? p->action : "ProcessCreated");
    dj_s(c, "FileName", p->file);
    dj_s(c, "FolderPath", path);
    dj_s(c, "SHA256", p->sha256 ? p->sha256 : file_hash(p->file, 's'));
    if (b) {
        dj_i(c, "FileSize", b->size);
        dj_s(c, "ProcessVersionInfoCompanyName", b->company);
        dj_s(c, "ProcessVersionInfoProductName", b->product);
        dj_s(c, "ProcessVersionInfoFileDescription", b->desc);
    }
    dj_i(c, "ProcessId", p->pid ? p->pid : 4 * demo_rng_range(&r, 200, 9000));
    dj_s(c, "ProcessCommandLine", p->cmd ? p->cmd : p->file);
    dj_s(c, "ProcessIntegrityLevel", integrity);
    dj_s(c, "ProcessTokenElevation", !strcmp(integrity, "Medium") ? "TokenElevationTypeLimited"
                                     : !strcmp(integrity, "High") ? "TokenElevationTypeFull"
                                                                  : "TokenElevationTypeDefault");
    dj_t(c, "ProcessCreationTime", p->t);
    dj_s(c, "AccountDomain", a.domain);
    dj_s(c, "AccountName", a.name);
    dj_s(c, "AccountSid", a.sid);
    dj_s(c, "AccountUpn", a.upn);
    dj_s(c, "AccountObjectId", a.oid);
    int64_t logon = sys ? 999 : 0x10000 + (int64_t)(sp_hash_u64((uint64_t)p->user * 31 + (uint64_t)(p->t / DEMO_DAY)) & 0xffffff);
    dj_i(c, "LogonId", logon);
    put_init_account(c, &a);
    dj_s(c, "InitiatingProcessIntegrityLevel", integrity);
    dj_s(c, "InitiatingProcessSHA256", file_hash(parent, 's'));
    dj_s(c, "InitiatingProcessFileName", parent);
    const demo_bin *pb = demo_bin_find(parent);
    dj_i(c, "InitiatingProcessId", p->ppid ? p->ppid : 4 * demo_rng_range(&r, 200, 9000));
    dj_s(c, "InitiatingProcessCommandLine", p->parent_cmd ? p->parent_cmd : parent);
    dj_t(c, "InitiatingProcessCreationTime", p->t - demo_rng_range(&r, 1, 3600) * DEMO_SEC);
    dj_s(c, "InitiatingProcessFolderPath", ppath);
    dj_s(c, "InitiatingProcessParentFileName",
         p->grandparent ? p->grandparent : is_linux(d) ? "sshd"
                          : !strcasecmp(parent, "explorer.exe") ? "userinit.exe"
                          : !strcasecmp(parent, "services.exe") ? "wininit.exe"
                          : !strcasecmp(parent, "svchost.exe") ? "services.exe" : "explorer.exe");
    dj_s(c, "InitiatingProcessSignerType", pb ? pb->signer : "Unknown");
    dj_s(c, "InitiatingProcessSignatureStatus", p->signature ? p->signature : pb ? "Valid" : "Unknown");
    put_tail(c, d);
    dj_end(c);
}

/* ---------------------------------------------------------------- network */

void demo_net(demo_ctx *c, const dm_net *n) {
    if (!demo_in_window(c, n->t)) return;
    const demo_device *d = &c->org.devices[n->dev];
    demo_rng r;
    quick_rng(&r, ev_key(n->t, n->dev, n->rip));
    acct a = account_of(c, d, n->user, n->account);
    const char *action = n->action ? n->action : "ConnectionSuccess";
    bool inbound = !strcmp(action, "InboundConnectionAccepted") ||
                   !strcmp(action, "ListeningConnectionCreated");
    dj_begin(c, "DeviceNetworkEvents");
    dj_ts(c, n->t);
    put_device(c, d);
    dj_s(c, "ActionType", action);
    dj_s(c, "RemoteIP", n->rip);
    int eph = demo_rng_range(&r, 49152, 65535);
    if (n->rip) dj_i(c, "RemotePort", n->rport ? n->rport : inbound ? eph : 443);
    dj_s(c, "RemoteUrl", n->url);
    dj_s(c, "LocalIP", d->local_ip);
    dj_i(c, "LocalPort", n->lport ? n->lport : inbound ? 443 : eph);
    dj_s(c, "Protocol", n->proto ? n->proto : "Tcp");
    dj_s(c, "LocalIPType", demo_ip_type(d->local_ip));
    dj_s(c, "RemoteIPType", demo_ip_type(n->rip));
    put_initiating(c, d, &r, n->t, n->proc, n->proc_dir, n->proc_cmd, &a, n->proc_sha256, true);
    dj_s(c, "InitiatingProcessParentFileName", is_linux(d) ? "systemd" : "explorer.exe");
    put_tail(c, d);
    dj_end(c);
}

/* ------------------------------------------------------------------- file */

void demo_file(demo_ctx *c, const dm_file *f) {
    if (!demo_in_window(c, f->t)) return;
    const demo_device *d = &c->org.devices[f->dev];
    demo_rng r;
    quick_rng(&r, ev_key(f->t, f->dev, f->name));
    acct a = account_of(c, d, f->user, f->account);
    const char *action = f->action ? f->action : "FileCreated";
    char path[512], prev[512];
    make_path(path, sizeof path, f->dir, f->name, a.name ? a.name : "", is_linux(d));
    dj_begin(c, "DeviceFileEvents");
    dj_ts(c, f->t);
    put_device(c, d);
    dj_s(c, "ActionType", action);
    dj_s(c, "FileName", f->name);
    dj_s(c, "FolderPath", path);
    if (strcmp(action, "FileDeleted") != 0) {
        dj_s(c, "SHA256", f->sha256 ? f->sha256 : file_hash(f->name, 's'));
        dj_i(c, "FileSize", f->size ? f->size : demo_rng_range(&r, 2000, 4000000));
    }
    dj_s(c, "FileOriginUrl", f->origin_url);
    dj_s(c, "FileOriginReferrerUrl", f->referrer);
    dj_s(c, "FileOriginIP", f->origin_ip);
    if (f->prev_name) {
        make_path(prev, sizeof prev, f->prev_dir ? f->prev_dir : f->dir, "", a.name ? a.name : "",
                  is_linux(d));
        dj_s(c, "PreviousFolderPath", prev);
        dj_s(c, "PreviousFileName", f->prev_name);
    }
    put_initiating(c, d, &r, f->t, f->proc, f->proc_dir, f->proc_cmd, &a, NULL, true);
    dj_s(c, "InitiatingProcessParentFileName", is_linux(d) ? "systemd" : "explorer.exe");
    if (f->req_proto) {
        dj_s(c, "RequestProtocol", f->req_proto);
        dj_s(c, "RequestSourceIP", f->req_ip);
        dj_i(c, "RequestSourcePort", demo_rng_range(&r, 49152, 65535));
        dj_s(c, "RequestAccountName", f->req_account);
        dj_s(c, "RequestAccountDomain", f->req_account ? DEMO_NETBIOS : NULL);
        dj_s(c, "ShareName", f->share);
    } else if (!is_linux(d)) {
        dj_s(c, "RequestProtocol", "Local");
    }
    put_tail(c, d);
    dj_end(c);
}

/* ------------------------------------------------------------------ logon */

void demo_logon(demo_ctx *c, const dm_logon *l) {
    if (!demo_in_window(c, l->t)) return;
    const demo_device *d = &c->org.devices[l->dev];
    demo_rng r;
    quick_rng(&r, ev_key(l->t, l->dev, l->account));
    acct a = account_of(c, d, l->user, l->account);
    if (l->domain) a.domain = l->domain;
    if (l->sid) a.sid = l->sid;
    const char *action = l->action ? l->action : "LogonSuccess";
    dj_begin(c, "DeviceLogonEvents");
    dj_ts(c, l->t);
    put_device(c, d);
    dj_s(c, "ActionType", action);
    dj_s(c, "LogonType", l->type ? l->type : "Interactive");
    dj_s(c, "AccountDomain", a.domain);
    dj_s(c, "AccountName", a.name);
    dj_s(c, "AccountSid", a.sid);
    dj_s(c, "Protocol", l->protocol ? l->protocol : is_linux(d) ? NULL : "Negotiate");
    dj_s(c, "FailureReason", l->failure ? l->failure
                             : !strcmp(action, "LogonFailed") ? "InvalidUserNameOrPassword" : NULL);
    dj_b(c, "IsLocalAdmin", l->local_admin);
    dj_i(c, "LogonId", demo_rng_range(&r, 0x100000, 0x7fffffff));
    dj_s(c, "RemoteDeviceName", l->rdev);
    dj_s(c, "RemoteIP", l->rip);
    dj_s(c, "RemoteIPType", demo_ip_type(l->rip));
    if (l->rip) dj_i(c, "RemotePort", l->rport ? l->rport : demo_rng_range(&r, 49152, 65535));
    acct sys = account_of(c, d, -1, NULL);
    const char *proc = l->proc ? l->proc
                       : is_linux(d) ? "sshd"
                       : !strcmp(l->type ? l->type : "", "Network") ? "System" : "lsass.exe";
    put_init_account(c, &sys);
    dj_s(c, "InitiatingProcessFileName", proc);
    dj_i(c, "InitiatingProcessId", strcmp(proc, "System") ? 4 * demo_rng_range(&r, 150, 400) : 4);
    if (!strcmp(proc, "lsass.exe")) dj_s(c, "InitiatingProcessFolderPath", "C:\\Windows\\System32\\lsass.exe");
    if (!strcmp(proc, "lsass.exe")) dj_s(c, "InitiatingProcessCommandLine", "lsass.exe");
    put_tail(c, d);
    dj_end(c);
}

/* --------------------------------------------------------------- registry */

void demo_reg(demo_ctx *c, const dm_reg *g) {
    if (!demo_in_window(c, g->t)) return;
    const demo_device *d = &c->org.devices[g->dev];
    demo_rng r;
    quick_rng(&r, ev_key(g->t, g->dev, g->key));
    acct a = account_of(c, d, g->user, NULL);
    dj_begin(c, "DeviceRegistryEvents");
    dj_ts(c, g->t);
    put_device(c, d);
    dj_s(c, "ActionType", g->action ? g->action : "RegistryValueSet");
    dj_s(c, "RegistryKey", g->key);
    dj_s(c, "RegistryValueType", g->type ? g->type : g->name ? "String" : NULL);
    dj_s(c, "RegistryValueName", g->name);
    dj_s(c, "RegistryValueData", g->data);
    put_initiating(c, d, &r, g->t, g->proc, g->proc_dir, g->proc_cmd, &a, NULL, true);
    dj_s(c, "InitiatingProcessParentFileName", "explorer.exe");
    put_tail(c, d);
    dj_end(c);
}

/* ------------------------------------------------------------ DeviceEvents */

void demo_devev(demo_ctx *c, const dm_devev *e) {
    if (!demo_in_window(c, e->t)) return;
    const demo_device *d = &c->org.devices[e->dev];
    demo_rng r;
    quick_rng(&r, ev_key(e->t, e->dev, e->action));
    acct a = account_of(c, d, e->user, NULL);
    dj_begin(c, "DeviceEvents");
    dj_ts(c, e->t);
    put_device(c, d);
    dj_s(c, "ActionType", e->action);
    dj_s(c, "FileName", e->file);
    if (e->file && e->dir) {
        char path[512];
        make_path(path, sizeof path, e->dir, e->file, a.name ? a.name : "", is_linux(d));
        dj_s(c, "FolderPath", path);
        dj_s(c, "SHA256", e->sha256 ? e->sha256 : file_hash(e->file, 's'));
    }
    dj_s(c, "RemoteIP", e->rip);
    dj_s(c, "RemoteUrl", e->url);
    if (e->rport) dj_i(c, "RemotePort", e->rport);
    dj_s(c, "AccountName", e->user >= 0 ? a.name : NULL);
    dj_s(c, "AccountDomain", e->user >= 0 ? a.domain : NULL);
    dj_s(c, "AccountSid", e->user >= 0 ? a.sid : NULL);
    put_initiating(c, d, &r, e->t, e->proc, NULL, e->proc_cmd, &a, NULL, false);
    if (e->fields) dj_raw(c, "AdditionalFields", e->fields, strlen(e->fields));
    put_tail(c, d);
    dj_end(c);
}
