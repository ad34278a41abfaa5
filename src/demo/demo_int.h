/* demo internals: the generator context, the PRNG, the JSON row writer, the
 * organisation, the per-table event emitters, and the alert/incident registry. */
#ifndef SECPILOT_DEMO_INT_H
#define SECPILOT_DEMO_INT_H

#include "secpilot/demo.h"

#include <stdbool.h>
#include <stdint.h>

#define DEMO_DAY SP_TICKS_PER_DAY
#define DEMO_HOUR SP_TICKS_PER_HOUR
#define DEMO_MIN SP_TICKS_PER_MIN
#define DEMO_SEC SP_TICKS_PER_SEC

/* ------------------------------------------------------------------ rng.c
 * xoshiro256** seeded through splitmix64. Every generator draws from its own
 * stream, named by a string and a number (a day, a user), so that changing
 * one generator or the scale never shifts another's draws. */
typedef struct demo_rng {
    uint64_t s[4];
} demo_rng;

void demo_rng_seed(demo_rng *r, uint64_t seed, const char *stream, uint64_t sub);
uint64_t demo_rng_next(demo_rng *r);
uint32_t demo_rng_below(demo_rng *r, uint32_t n);           /* [0, n); 0 when n == 0 */
int demo_rng_range(demo_rng *r, int lo, int hi);             /* [lo, hi] */
double demo_rng_unit(demo_rng *r);                           /* [0, 1) */
bool demo_rng_chance(demo_rng *r, double p);
int demo_rng_poisson(demo_rng *r, double lambda);
double demo_rng_normal(demo_rng *r, double mean, double sd);
size_t demo_rng_weighted(demo_rng *r, const double *w, size_t n);
#define DEMO_PICK(r, arr) ((arr)[demo_rng_below((r), (uint32_t)SP_ARRAY_LEN(arr))])

/* ---------------------------------------------------------------- catalog.c
 * Static facts the generator draws from: places, binaries, applications. */
typedef struct demo_geo {
    const char *city, *state, *country;      /* country: ISO 3166 alpha-2 */
    double lat, lon;
} demo_geo;

typedef struct demo_bin {
    const char *name;          /* file name, lower case as Defender shows it */
    const char *dir;           /* folder without the file name; may hold %USER% */
    const char *company, *product, *desc;
    const char *signer;        /* InitiatingProcessSignerType-ish: OsVendor, ... */
    long size;
} demo_bin;

const demo_bin *demo_bin_find(const char *name);
const demo_geo *demo_geo_find(const char *city);

typedef struct demo_app {
    const char *name;          /* AppDisplayName */
    const char *id;            /* AppId (well-known GUIDs for first-party apps) */
    const char *resource;      /* ResourceDisplayName */
} demo_app;
extern const demo_app demo_apps[];
extern const size_t demo_napps;
const demo_app *demo_app_find(const char *name);

/* ---------------------------------------------------------------- org.c */
enum { OFF_CHICAGO, OFF_NEWYORK, OFF_LONDON, OFF_MUNICH, OFF_BANGALORE, OFF_REMOTE, OFF_COUNT };

typedef struct demo_office {
    const char *name;
    int tz_min;                /* UTC offset in minutes (no daylight saving) */
    const char *egress[3];     /* public NAT addresses */
    int lan;                   /* second octet of the office LAN, 10.<lan>.x.x */
    const char *fw_vendor, *fw_product, *fw_version, *fw_name, *fw_ip;
    const char *fw_allow, *fw_deny, *fw_drop;  /* DeviceAction words of that vendor */
} demo_office;
extern const demo_office demo_offices[OFF_COUNT];

enum { ACCT_PERSON, ACCT_ADMIN, ACCT_SERVICE, ACCT_GUEST };

typedef struct demo_user {
    char upn[72], sam[32], display[64], given[24], surname[32], mail[72];
    char object_id[37], sid[64], employee_id[12], phone[32];
    int kind;                  /* ACCT_* */
    int dept;                  /* index into demo_depts */
    const char *title;
    int manager;               /* user index, -1 for none */
    int office;
    int device;                /* primary workstation, -1 for none */
    int mobile;                /* phone, -1 for none */
    int person;                /* admin accounts: the person's normal account */
    bool enabled, local_admin, mfa;
    const char *roles[4];
    int nroles;
    char home_ip[16];
    const demo_geo *home;
    int64_t created;           /* account creation */
    double activity;           /* 0.6..1.4: how busy this person is */
} demo_user;

typedef struct demo_dept {
    const char *name;
    double weight;
    const char *titles[6];
    const char *site;          /* SharePoint site name */
} demo_dept;
extern const demo_dept demo_depts[];
extern const size_t demo_ndepts;

enum { DEV_WORKSTATION, DEV_SERVER, DEV_MOBILE };
enum { OS_WIN10, OS_WIN11, OS_MAC, OS_WS2016, OS_WS2019, OS_WS2022, OS_LINUX, OS_IOS, OS_ANDROID };

typedef struct demo_device {
    char name[48];             /* short lower-case host name, e.g. lt-0231 */
    char id[41];               /* DeviceId: 40 hex */
    char aad_id[37];
    int kind;                  /* DEV_* */
    int os;                    /* OS_* */
    const char *platform, *os_version, *os_distribution, *model, *vendor, *join_type;
    long os_build;
    const char *role;          /* servers: FileServer, DomainController, ... */
    int owner;                 /* user index, -1 for none */
    int office;
    char local_ip[16];
    char public_ip[16];
    bool internet_facing;
    const char *exposure, *asset_value, *onboarding, *sensor;
    const char *machine_group;
    int64_t first_seen;
    int64_t last_seen;         /* inactive sensors stop reporting */
} demo_device;

typedef struct demo_org {
    demo_user *users;
    int nusers;
    demo_device *devices;
    int ndevices;
    int analysts[8], nanalysts;    /* SOC analysts (user indices) */
    int admins[12], nadmins;       /* admin accounts (user indices) */
    int ceo;
    /* well-known servers (device indices) */
    int dc1, dc2, fs1, app1, sql1, web1, rdg1, exch1, mgmt1, lnxapp1, backup1;
    int workstations_begin, workstations_end;  /* device index range */
    int svc_backup, svc_sql, svc_scanner, svc_sync; /* service accounts */
} demo_org;

int demo_org_build(demo_org *o, uint64_t seed, int64_t now);
void demo_org_free(demo_org *o);
int demo_user_find(const demo_org *o, const char *upn);
int demo_device_find(const demo_org *o, const char *name);

#define DEMO_TENANT_ID "7c1f2a9e-4b3d-4e8a-9f21-5d6c7b8a9e01"
#define DEMO_DOMAIN "contoso.com"
#define DEMO_AD_DOMAIN "corp.contoso.com"
#define DEMO_NETBIOS "CONTOSO"
#define DEMO_DOMAIN_SID "S-1-5-21-1004336348-1177238915-682003330"
#define DEMO_SUBSCRIPTION "3f2b8c1d-6e4a-4f7b-9c2d-8a1e5b7f3c90"
#define DEMO_WORKSPACE_RG "rg-sentinel-prod"
#define DEMO_WORKSPACE "law-contoso-sentinel"


typedef struct demo_ctx demo_ctx;

/* ---------------------------------------------------------------- plan.c
 * Who each story happens to and when, decided before anything is written so
 * that background generators (inventory snapshots, risk levels, disabled
 * accounts) agree with the stories. Times are ticks; users and devices indices. */
typedef struct demo_change {
    int user;
    int64_t t;
    const char *risk_level, *risk_state, *risk_detail;  /* NULL = unchanged */
    int enabled;               /* -1 unchanged, 0 disabled, 1 enabled */
} demo_change;

typedef struct demo_plan {
    /* business email compromise */
    int bec_victim, bec_recipients[6], nbec_recipients;
    int64_t bec_mail, bec_click, bec_signin, bec_rule;
    /* password spray */
    int spray_hits[3];
    int64_t spray_begin, spray_end;
    /* MFA fatigue */
    int mfa_victim;
    int64_t mfa_begin, mfa_approve;
    /* ransomware */
    int rw_user, rw_dev, rw_admin, rw_targets[8], nrw_targets;
    int64_t rw_initial, rw_lateral, rw_encrypt;
    /* exfiltration */
    int ex_user;
    int64_t ex_begin, ex_disabled;
    /* exploited internet-facing server */
    int cve_dev;
    int64_t cve_begin;
    demo_change changes[32];
    int nchanges;
} demo_plan;

void demo_plan_make(demo_ctx *c);
/* The state of a user at time t after the plan's changes. */
void demo_user_state(const demo_ctx *c, int user, int64_t t, const char **risk_level,
                     const char **risk_state, const char **risk_detail, bool *enabled);

/* ---------------------------------------------------------------- context */
typedef struct demo_ent demo_ent;
typedef struct demo_alert demo_alert;
typedef struct demo_incident demo_incident;
typedef struct demo_story demo_story;

struct demo_ctx {
    demo_options opt;
    const demo_sink *sink;
    sp_err *err;
    bool failed;
    int64_t now;
    int64_t start;             /* now - days: nothing is older */
    int64_t today;             /* startofday(now) */
    int days;
    double scale;
    demo_org org;
    demo_plan plan;
    sp_arena arena;            /* strings that live for the run */
    sp_buf row;                /* the row being written */
    sp_buf tmp;                /* scratch for JSON held in string columns */
    const char *table;
    bool first_field;
    size_t stat_last;
    demo_stats *stats;
    uint64_t report_id;
    char nmid[40];             /* the last generated NetworkMessageId */
    char tmpf[8][1024];        /* demo_tmpf's rotating scratch strings */
    unsigned tmpf_i;
    SP_VEC(demo_alert *) alerts;
    SP_VEC(demo_incident *) incidents;
    SP_VEC(demo_story *) stories;
};

/* ---------------------------------------------------------------- row.c
 * The JSON row writer. Fields with a NULL or empty string value are left
 * out (the store reads a missing field as empty). */
void dj_begin(demo_ctx *c, const char *table);
/* The writers take the key as a string literal (the macros check it and pass
 * its length), so no key is measured at run time. */
void dj_s_k(demo_ctx *c, const char *key, size_t klen, const char *v);
void dj_sn_k(demo_ctx *c, const char *key, size_t klen, const char *v, size_t n);
void dj_sf_k(demo_ctx *c, const char *key, size_t klen, const char *fmt, ...) SP_PRINTF(4, 5);
void dj_i_k(demo_ctx *c, const char *key, size_t klen, int64_t v);
void dj_r_k(demo_ctx *c, const char *key, size_t klen, double v);
void dj_b_k(demo_ctx *c, const char *key, size_t klen, bool v);
void dj_t_k(demo_ctx *c, const char *key, size_t klen, int64_t ticks);
void dj_raw_k(demo_ctx *c, const char *key, size_t klen, const char *json, size_t n); /* a JSON value */
void dj_jstr_k(demo_ctx *c, const char *key, size_t klen, const sp_buf *json);       /* JSON text as a string */
#define DJ_KEY(k) "" k, sizeof(k) - 1
#define dj_s(c, k, v) dj_s_k((c), DJ_KEY(k), (v))
#define dj_sn(c, k, v, n) dj_sn_k((c), DJ_KEY(k), (v), (n))
#define dj_sf(c, k, ...) dj_sf_k((c), DJ_KEY(k), __VA_ARGS__)
#define dj_i(c, k, v) dj_i_k((c), DJ_KEY(k), (v))
#define dj_r(c, k, v) dj_r_k((c), DJ_KEY(k), (v))
#define dj_b(c, k, v) dj_b_k((c), DJ_KEY(k), (v))
#define dj_t(c, k, v) dj_t_k((c), DJ_KEY(k), (v))
#define dj_raw(c, k, j, n) dj_raw_k((c), DJ_KEY(k), (j), (n))
#define dj_jstr(c, k, b) dj_jstr_k((c), DJ_KEY(k), (b))
void dj_ts(demo_ctx *c, int64_t ticks);          /* Timestamp and TimeGenerated */
int dj_end(demo_ctx *c);

/* Builders for JSON text held in a buffer (dynamic columns, JSON strings). */
void jb_key(sp_buf *b, bool *first, const char *key);
void jb_s(sp_buf *b, bool *first, const char *key, const char *v);    /* null when v is NULL */
void jb_i(sp_buf *b, bool *first, const char *key, int64_t v);
void jb_b(sp_buf *b, bool *first, const char *key, bool v);
void jb_t(sp_buf *b, bool *first, const char *key, int64_t ticks);
void jb_str(sp_buf *b, const char *v);                                 /* a quoted value */

size_t demo_fmt_time(int64_t ticks, char out[32]);    /* 2024-11-24T10:15:30.123Z */
void demo_guid(demo_rng *r, char out[37]);
void demo_hex(demo_rng *r, char *out, int nhex);      /* out: nhex + 1 bytes */
/* Deterministic digests of a name, for hashes that must agree across tables. */
void demo_digest(const char *what, const char *salt, char *out, int nhex);
void demo_guid_of(const char *what, char out[37]);
void demo_base64(const unsigned char *p, size_t n, sp_buf *out);
/* The -EncodedCommand form of a PowerShell script: base64 of UTF-16LE. */
char *demo_ps_encode(demo_ctx *c, const char *script);
char *demo_strf(demo_ctx *c, const char *fmt, ...) SP_PRINTF(2, 3);  /* arena string */
/* A formatted scratch string, valid for the next 7 calls: for values consumed at once. */
const char *demo_tmpf(demo_ctx *c, const char *fmt, ...) SP_PRINTF(2, 3);
const char *demo_ip_type(const char *ip);             /* Public, Private, Loopback */
bool demo_ip_private(const char *ip);

/* Day d of the window (0 = oldest): its start in ticks. */
static inline int64_t demo_day_start(const demo_ctx *c, int d) {
    return c->today - (int64_t)(c->days - d) * DEMO_DAY;
}
/* A clock time on the day `days_ago` days before today (0 = today), UTC. */
static inline int64_t demo_at(const demo_ctx *c, int days_ago, int hh, int mm, int ss) {
    return c->today - (int64_t)days_ago * DEMO_DAY + hh * DEMO_HOUR + mm * DEMO_MIN +
           ss * DEMO_SEC;
}
static inline bool demo_in_window(const demo_ctx *c, int64_t t) {
    return t >= c->start && t <= c->now;
}

/* A person's working hours on day d (UTC ticks); false when they don't work. */
bool demo_workday(const demo_ctx *c, int user, int d, int64_t *begin, int64_t *end);
/* Where a person works from on day d: their office, or home. */
bool demo_remote_day(const demo_ctx *c, int user, int d);
const char *demo_user_ip(const demo_ctx *c, int user, int d);
const demo_geo *demo_user_geo(const demo_ctx *c, int user, int d);
int64_t demo_jitter_ms(demo_rng *r);                  /* 0..999 ms in ticks */
/* When an onboarded device is in use on day d: a workstation during its
 * owner's working hours (user = owner), a server all day (user = -1). */
bool demo_device_day(const demo_ctx *c, int dev, int d, int64_t *begin, int64_t *end, int *user);
static inline bool demo_is_windows(const demo_device *d) {
    return d->os == OS_WIN10 || d->os == OS_WIN11 || d->os == OS_WS2016 || d->os == OS_WS2019 ||
           d->os == OS_WS2022;
}

/* ------------------------------------------------------- emit_device.c
 * Defender for Endpoint tables. Unset fields take defaults from the device,
 * the user and the binary catalog. user < 0 means the SYSTEM account unless
 * `account` names another (e.g. "local service", "network service"). */
typedef struct dm_proc {
    int64_t t;
    int dev, user;
    const char *account;       /* overrides: sam name for non-org accounts */
    const char *file, *dir, *cmd;
    const char *parent, *parent_dir, *parent_cmd, *grandparent;
    const char *sha256;        /* default: digest of the file name */
    const char *integrity;     /* default Medium for users, System for SYSTEM */
    const char *signature;     /* InitiatingProcessSignatureStatus, default Valid */
    const char *action;        /* default ProcessCreated */
    int64_t pid, ppid;
} dm_proc;
void demo_proc(demo_ctx *c, const dm_proc *p);
const char *demo_sha(demo_ctx *c, const char *name);  /* SHA256 every table uses for a file name */
const char *demo_sha_tmp(const char *name);           /* the same, valid until the next call */

typedef struct dm_net {
    int64_t t;
    int dev, user;
    const char *action;        /* default ConnectionSuccess */
    const char *rip, *url, *proto;
    int rport, lport;
    const char *proc, *proc_dir, *proc_cmd, *account;
    const char *proc_sha256;
} dm_net;
void demo_net(demo_ctx *c, const dm_net *n);

typedef struct dm_file {
    int64_t t;
    int dev, user;
    const char *action;        /* FileCreated, FileModified, FileDeleted, FileRenamed */
    const char *name, *dir;    /* FolderPath = dir\name */
    const char *prev_name, *prev_dir;
    const char *sha256;        /* default: digest of name */
    long size;
    const char *origin_url, *origin_ip, *referrer;
    const char *proc, *proc_dir, *proc_cmd, *account;
    const char *req_proto, *req_ip, *req_account, *share;
} dm_file;
void demo_file(demo_ctx *c, const dm_file *f);

typedef struct dm_logon {
    int64_t t;
    int dev, user;
    const char *account, *domain, *sid;  /* overrides for non-org accounts */
    const char *action;        /* LogonSuccess, LogonFailed */
    const char *type;          /* Interactive, Network, RemoteInteractive, ... */
    const char *protocol, *failure;
    bool local_admin;
    const char *rip, *rdev;
    int rport;
    const char *proc;
} dm_logon;
void demo_logon(demo_ctx *c, const dm_logon *l);

typedef struct dm_reg {
    int64_t t;
    int dev, user;
    const char *action;        /* default RegistryValueSet */
    const char *key, *name, *data, *type;
    const char *proc, *proc_dir, *proc_cmd;
} dm_reg;
void demo_reg(demo_ctx *c, const dm_reg *r);

typedef struct dm_devev {
    int64_t t;
    int dev, user;
    const char *action, *file, *dir, *sha256, *rip, *url, *proc, *proc_cmd;
    const char *fields;        /* AdditionalFields JSON */
    int rport;
} dm_devev;
void demo_devev(demo_ctx *c, const dm_devev *e);

/* ------------------------------------------------------- emit_cloud.c
 * Entra ID and Microsoft 365 tables. */
typedef struct dm_signin {
    int64_t t;
    int user;
    const char *ip;
    const demo_geo *geo;
    const char *app;           /* AppDisplayName */
    int result;                /* 0 = success, else the AAD error code */
    const char *client_app;    /* default Browser */
    const char *ua;            /* user agent; default from the device */
    int dev;                   /* device index, -1 = unknown device */
    const char *browser, *os;  /* when dev < 0 */
    const char *risk_level;    /* none, low, medium, high */
    const char *risk_state;    /* none, atRisk, ... */
    const char *risk_events;   /* JSON array text, e.g. ["unfamiliarFeatures"] */
    const char *ca_status;     /* default success/notApplied by result */
    bool single_factor;        /* AuthenticationRequirement */
    bool mfa_prompt;           /* MFA performed in this sign-in */
    bool noninteractive;
    const char *mfa_method;
    const char *correlation;   /* to tie interrupts and retries together */
} dm_signin;
void demo_signin(demo_ctx *c, const dm_signin *s);
const char *demo_aad_error(int code);

typedef struct dm_audit {
    int64_t t;
    const char *op, *category, *result, *reason;
    int actor;                 /* user index, or -1 for an app */
    const char *actor_app;     /* InitiatedBy.app.displayName */
    const char *actor_ip;
    int target;                /* user index, or -1 */
    const char *target_name, *target_type, *target_id, *target_upn; /* when target < 0 */
    const char *group, *role;  /* group / role name (modified properties) */
    const char *props;         /* extra modifiedProperties JSON array items, or NULL */
    const char *service;       /* LoggedByService; default Core Directory */
} dm_audit;
void demo_audit(demo_ctx *c, const dm_audit *a);

typedef struct dm_office {
    int64_t t;
    int user;
    const char *ip;
    const char *workload;      /* Exchange, SharePoint, OneDrive, MicrosoftTeams */
    const char *op, *record_type;
    const char *site_url, *file, *rel_url, *object_id;
    const char *params;        /* Parameters JSON text (Exchange admin cmdlets) */
    const char *ua;
    const char *result;
    const char *share_with;
    const char *client_info;
} dm_office;
void demo_office_activity(demo_ctx *c, const dm_office *o);

/* ------------------------------------------------------- emit_mail.c */
typedef struct dm_attach {
    const char *name, *type, *sha256;
    long size;
    const char *threat, *threat_name;
} dm_attach;

typedef struct dm_email {
    int64_t t;
    int to;                    /* recipient user, or -1 with to_addr */
    const char *to_addr;
    int from;                  /* sending user (outbound/intra-org), or -1 with from_addr */
    const char *from_addr, *from_display, *mailfrom_addr, *sender_ip;
    const char *subject;
    const char *direction;     /* default from the parties */
    const char *action, *location;  /* DeliveryAction / DeliveryLocation */
    const char *threats, *threat_names, *detection, *confidence;
    const char *spf, *dkim, *dmarc, *compauth;
    const char *urls[4];
    int nurls;
    dm_attach att[3];
    int natt;
    const char *policy, *org_action;
    int bcl;
    const char *nmid;          /* NetworkMessageId to use (default random) */
} dm_email;
/* Writes EmailEvents, EmailUrlInfo and EmailAttachmentInfo rows; returns the
 * NetworkMessageId (e->nmid, or a generated one valid until the next call). */
const char *demo_email(demo_ctx *c, demo_rng *r, const dm_email *e);

typedef struct dm_click {
    int64_t t;
    int user;
    const char *url, *nmid, *ip, *action, *threats, *workload;
    bool through;
} dm_click;
void demo_click(demo_ctx *c, const dm_click *k);

/* ------------------------------------------------------- emit_infra.c */
typedef struct dm_secev {
    int64_t t;
    int dev;
    int id;                    /* EventID */
    int user;                  /* subject/target user, -1 = account fields below */
    const char *account;       /* DOMAIN\name override */
    int logon_type;
    const char *ip, *workstation, *process, *parent, *cmd;
    const char *object, *access_mask, *object_type;
    const char *status, *substatus, *auth_package, *logon_process;
    const char *target_account, *member_name, *group_name;
    const char *service_name, *service_file;
} dm_secev;
void demo_secev(demo_ctx *c, const dm_secev *e);
void demo_computer_name(const demo_device *d, char *out, size_t cap); /* SRV-FS01.corp.contoso.com */

typedef struct dm_cef {
    int64_t t;
    int office;                /* which firewall */
    const char *src, *dst;
    int sport, dport;
    const char *proto;         /* TCP, UDP */
    const char *action;        /* default: the vendor's allow word */
    bool deny;
    long sent, received;
    const char *app, *url, *user, *dir;
    const char *threat;        /* threat name for IPS/URL-filter logs */
} dm_cef;
void demo_cef(demo_ctx *c, const dm_cef *e);

/* ------------------------------------------------------- alerts.c
 * Alerts are registered as stories and background detections raise them,
 * then written at the end: SecurityAlert (one row per version), and for
 * Defender products AlertInfo and AlertEvidence. */
enum { SRC_MDE, SRC_MDO, SRC_MDI, SRC_MDCA, SRC_AADIP, SRC_SENTINEL, SRC_M365D };

enum { ENT_ACCOUNT, ENT_HOST, ENT_IP, ENT_URL, ENT_FILE, ENT_PROCESS, ENT_MAILBOX,
       ENT_MAILMESSAGE, ENT_REGISTRY, ENT_CLOUDAPP };

struct demo_ent {
    int type;
    int user, dev;             /* account/mailbox: user; host/process/file: device */
    const char *a, *b, *c, *d; /* ip: a=address; url: a; file: a=name b=dir c=sha256;
                                  process: a=cmdline b=image name c=image dir d=parent cmd;
                                  mailmessage: a=subject b=sender c=nmid;
                                  registry: a=key b=value name c=data; cloudapp: a=name */
    const char *role;          /* Impacted / Related */
    int64_t t;                 /* process creation time, etc. */
};

#define DEMO_MAX_ENTS 24
struct demo_alert {
    const char *name, *desc, *severity;
    int source;                /* SRC_* */
    const char *category;      /* AlertInfo.Category, e.g. CredentialAccess */
    const char *detection;     /* DetectionSource */
    const char *tactics;       /* "Execution, Persistence" */
    const char *techniques;    /* "T1059.001,T1547.001" */
    const char *alert_type;
    const char *rule_id;       /* Sentinel analytics rule id */
    const char *remediation;
    const char *ext;           /* extra ExtendedProperties members, JSON fragment "\"k\":\"v\"" */
    int64_t start, end, time;
    const char *final_status;  /* New (default), InProgress, Resolved */
    int64_t resolved_at;       /* when the last version was written, 0 = none */
    demo_ent ents[DEMO_MAX_ENTS];
    int nents;
    const char *compromised;   /* CompromisedEntity; default: first host or account */
    /* filled by the registry */
    char system_id[37];
    char vendor_id[80];
    int incident;              /* index into ctx incidents, -1 = none */
    const char *story;         /* story key, or NULL for background */
};

demo_alert *demo_alert_new(demo_ctx *c, int source, const char *name, const char *severity,
                           int64_t t);
void demo_alert_ent(demo_alert *a, demo_ent e);
void demo_ent_user(demo_alert *a, int user);
void demo_ent_host(demo_alert *a, int dev);
void demo_ent_ip(demo_alert *a, const char *ip);
void demo_ent_url(demo_alert *a, const char *url);
void demo_ent_file(demo_alert *a, int dev, const char *name, const char *dir, const char *sha256);
void demo_ent_proc(demo_alert *a, int dev, const char *cmd, const char *image, const char *dir,
                   int64_t t);
void demo_ent_mailbox(demo_alert *a, int user);
void demo_ent_mail(demo_alert *a, int user, const char *subject, const char *sender,
                   const char *nmid);
void demo_ent_reg(demo_alert *a, int dev, const char *key, const char *name, const char *data);
void demo_ent_app(demo_alert *a, const char *name);
int demo_alerts_write(demo_ctx *c);
const char *demo_source_product(int source);

/* ------------------------------------------------------- incidents.c */
typedef struct demo_comment {
    int64_t t;
    int author;                /* user index */
    const char *text;
} demo_comment;

struct demo_incident {
    const char *title, *desc, *severity;
    const char *provider;      /* "Azure Sentinel" or "Microsoft XDR" */
    int alerts[32];
    int nalerts;
    int64_t created;
    int owner;                 /* user index, -1 unassigned */
    int64_t assigned_at, active_at, closed_at;  /* 0 = never (within the window) */
    const char *classification, *reason, *class_comment;
    const char *labels[4];
    const char *label_types[4];
    int nlabels;
    demo_comment comments[6];
    int ncomments;
    int closer;                /* user index who closed it (default owner) */
    const char *rule_id;
    const char *story;
    /* filled when written */
    int number;
    char name[37];
    char provider_id[16];
};

demo_incident *demo_incident_new(demo_ctx *c, const char *title, const char *severity,
                                 int64_t created);
void demo_incident_add_alert(demo_ctx *c, demo_incident *inc, demo_alert *a);
void demo_incident_comment(demo_incident *inc, int64_t t, int author, const char *text);
void demo_incident_label(demo_incident *inc, const char *name, bool user);
int demo_incidents_write(demo_ctx *c);   /* numbers incidents; writes SecurityIncident */
/* Gives an incident an owner, timestamps and (when closed) a classification:
 * `want` is New, Active or Closed, or NULL to draw by the incident's age;
 * `classification` NULL draws one. Fields already set are kept. */
void demo_incident_lifecycle(demo_ctx *c, demo_incident *inc, demo_rng *r, const char *want,
                             const char *classification);

/* ------------------------------------------------------- ground_truth.c */
#define DEMO_GT_MAX 40
struct demo_story {
    const char *key, *title, *summary;
    int64_t begin, end;
    const char *techniques;
    const char *kv[DEMO_GT_MAX][2];  /* named facts: "victim" -> upn, "c2_ip" -> ... */
    int nkv;
    const char *events[DEMO_GT_MAX][3]; /* time (formatted), table, what */
    int nevents;
};
demo_story *demo_story_new(demo_ctx *c, const char *key, const char *title);
void demo_story_fact(demo_ctx *c, demo_story *s, const char *name, const char *value);
void demo_story_event(demo_ctx *c, demo_story *s, int64_t t, const char *table,
                      const char *what);
void demo_ground_truth(demo_ctx *c, sp_buf *out);

/* ------------------------------------------------------- generators */
void demo_bg_inventory(demo_ctx *c);     /* IdentityInfo, DeviceInfo */
void demo_bg_signin(demo_ctx *c);
void demo_bg_audit(demo_ctx *c);
void demo_bg_process(demo_ctx *c);
void demo_bg_network(demo_ctx *c);
void demo_bg_file(demo_ctx *c);
void demo_bg_logon(demo_ctx *c);
void demo_bg_registry(demo_ctx *c);
void demo_bg_email(demo_ctx *c);
void demo_bg_office(demo_ctx *c);
void demo_bg_secevent(demo_ctx *c);
void demo_bg_cef(demo_ctx *c);
void demo_bg_tvm(demo_ctx *c);
void demo_bg_detections(demo_ctx *c);    /* everyday alerts and their evidence */

void demo_story_bec(demo_ctx *c);
void demo_story_spray(demo_ctx *c);
void demo_story_mfa_fatigue(demo_ctx *c);
void demo_story_ransomware(demo_ctx *c);
void demo_story_exfil(demo_ctx *c);
void demo_story_cve(demo_ctx *c);
void demo_intel(demo_ctx *c);


/* Attack infrastructure the stories use and threat intel knows. Addresses
 * come from the documentation ranges (RFC 5737); domains are fictional. */
#define IOC_BEC_DOMAIN "contoso-docsign.com"
#define IOC_BEC_SENDER "dse-notification@contoso-docsign.com"
#define IOC_BEC_SENDER_IP "198.51.100.61"
#define IOC_BEC_URL "https://contoso-docsign.com/s/INV-88412/review"
#define IOC_BEC_PHISH_IP "203.0.113.24"
#define IOC_BEC_ATTACKER_IP "198.51.100.23"
#define IOC_BEC_FORWARD "contoso.ap.payments@gmail.com"
#define IOC_SPRAY_IP1 "203.0.113.77"
#define IOC_SPRAY_IP2 "203.0.113.78"
#define IOC_SPRAY_IP3 "192.0.2.201"
#define IOC_MFA_IP "192.0.2.45"
#define IOC_RW_SENDER "remittance@northwind-traders.co"
#define IOC_RW_SENDER_IP "198.51.100.90"
#define IOC_RW_PAYLOAD_DOMAIN "msft-update-cdn.com"
#define IOC_RW_PAYLOAD_IP "198.51.100.77"
#define IOC_RW_C2_DOMAIN "cdn-telemetry.net"
#define IOC_RW_C2_IP "203.0.113.45"
#define IOC_RW_SHELL_IP "203.0.113.46"
#define IOC_RW_BEACON "OneDriveUpdater.exe"
#define IOC_RW_LOCKER "svchost64.exe"
#define IOC_RW_ATTACHMENT "Remittance_Advice_4471.xlsm"
#define IOC_CVE_IP1 "198.51.100.150"
#define IOC_CVE_IP2 "198.51.100.151"
#define IOC_CVE_WEBSHELL "human2.aspx"
#define IOC_EX_MEGA_API "g.api.mega.co.nz"
#define IOC_EX_MEGA_IP "31.216.145.5"
#define IOC_EX_MEGA_STORE "gfs270n122.userstorage.mega.co.nz"
#define IOC_EX_MEGA_STORE_IP "31.216.148.12"

/* Attack infrastructure the stories and intel share (intel.c). */
typedef struct demo_ioc {
    const char *kind;          /* ip, domain, url, sha256, email */
    const char *value;
    const char *threat;        /* ThreatType */
    const char *desc;
    const char *story;
    int confidence;
} demo_ioc;
extern const char *const demo_scanners[];   /* internet scanners, some in threat intel */
extern const size_t demo_nscanners;
extern const demo_ioc demo_story_iocs[];
extern const size_t demo_nstory_iocs;

#endif
