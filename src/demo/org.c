/* The fictional organisation: Contoso's offices, ~500 people with departments,
 * titles, managers and identifiers, ~600 devices with owners, and working days. */
#include "demo_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- offices
 * Firewall words: allow / deny / drop as each vendor writes them. */
const demo_office demo_offices[OFF_COUNT] = {
    {"Chicago", -360, {"64.94.112.10", "64.94.112.11", "64.94.112.12"}, 10,
     "Palo Alto Networks", "PAN-OS", "10.2.9", "pa-chi-edge01", "10.10.0.1", "allow", "deny",
     "drop"},
    {"New York", -300, {"38.142.56.20", "38.142.56.21", NULL}, 20, "Cisco", "ASA",
     "9.18.3", "asa-nyc-edge01", "10.20.0.1", "permit", "deny", "deny"},
    {"London", 0, {"81.144.208.33", "81.144.208.34", NULL}, 30, "Fortinet", "Fortigate",
     "v7.2.8", "fgt-lon-edge01", "10.30.0.1", "accept", "deny", "block"},
    {"Munich", 60, {"62.156.44.70", "62.156.44.71", NULL}, 40, "Check Point",
     "VPN-1 & FireWall-1", "R81.20", "cp-muc-edge01", "10.40.0.1", "Accept", "Reject", "Drop"},
    {"Bengaluru", 330, {"115.112.90.14", "115.112.90.15", NULL}, 50, "Fortinet",
     "Fortigate", "v7.2.8", "fgt-blr-edge01", "10.50.0.1", "accept", "deny", "block"},
    {"Remote", -360, {"64.94.112.20", NULL, NULL}, 200, "Palo Alto Networks", "PAN-OS",
     "10.2.9", "pa-chi-edge01", "10.10.0.1", "allow", "deny", "drop"},
};

static const char *const OFFICE_CITY[OFF_COUNT] = {"Chicago", "New York", "London", "Munich",
                                                    "Bengaluru", "Denver"};

/* ------------------------------------------------------------ departments */
const demo_dept demo_depts[] = {
    {"Executive", 8, {"Chief Executive Officer", "Chief Financial Officer", "Chief Operating Officer",
                      "Chief Technology Officer", "Chief Information Security Officer",
                      "Executive Assistant"}, "Leadership"},
    {"Finance", 45, {"Finance Director", "Finance Manager", "Accounts Payable Specialist",
                     "Financial Analyst", "Accountant", "Payroll Specialist"}, "Finance"},
    {"Human Resources", 25, {"HR Director", "HR Manager", "HR Business Partner", "Recruiter",
                             "HR Generalist", "Benefits Specialist"}, "HR"},
    {"Sales", 85, {"VP of Sales", "Regional Sales Manager", "Account Executive",
                   "Sales Development Representative", "Sales Operations Analyst",
                   "Key Account Manager"}, "Sales"},
    {"Marketing", 35, {"Marketing Director", "Marketing Manager", "Content Strategist",
                       "Digital Marketing Specialist", "Graphic Designer",
                       "Product Marketing Manager"}, "Marketing"},
    {"Engineering", 95, {"VP of Engineering", "Engineering Manager", "Software Engineer",
                         "Senior Software Engineer", "DevOps Engineer", "QA Engineer"},
     "Engineering"},
    {"Research & Development", 30, {"R&D Director", "R&D Manager", "Research Scientist",
                                     "Data Scientist", "Lab Technician", "Product Designer"},
     "RnD"},
    {"IT", 25, {"IT Director", "IT Manager", "Systems Administrator", "Service Desk Analyst",
                "Network Engineer", "Cloud Engineer"}, "IT"},
    {"Security Operations", 8, {"SOC Manager", "Senior SOC Analyst", "SOC Analyst",
                                "SOC Analyst", "Security Engineer", "Threat Hunter"}, "SecOps"},
    {"Operations", 60, {"Operations Director", "Operations Manager", "Logistics Planner",
                        "Operations Coordinator", "Supply Chain Analyst", "Warehouse Supervisor"},
     "Operations"},
    {"Customer Support", 50, {"Support Director", "Support Team Lead",
                              "Customer Support Specialist", "Technical Support Engineer",
                              "Customer Success Manager", "Customer Support Specialist"},
     "Support"},
    {"Legal", 12, {"General Counsel", "Legal Manager", "Corporate Counsel", "Paralegal",
                   "Compliance Officer", "Contracts Manager"}, "Legal"},
    {"Procurement", 15, {"Procurement Director", "Procurement Manager", "Buyer",
                         "Procurement Specialist", "Vendor Manager", "Buyer"}, "Procurement"},
};
const size_t demo_ndepts = SP_ARRAY_LEN(demo_depts);

/* Office weights per department: Chicago, New York, London, Munich, Bengaluru, Remote. */
static const double DEPT_OFFICES[][OFF_COUNT] = {
    {.80, .15, .05, 0, 0, 0},      /* Executive */
    {.65, .15, .12, .04, .04, 0},  /* Finance */
    {.60, .15, .15, .05, .05, 0},  /* HR */
    {.30, .28, .22, .12, .03, .05},/* Sales */
    {.50, .25, .15, .05, 0, .05},  /* Marketing */
    {.34, .06, .05, .18, .30, .07},/* Engineering */
    {.40, 0, .10, .40, .10, 0},    /* R&D */
    {.55, .10, .15, .08, .12, 0},  /* IT */
    {.60, 0, .40, 0, 0, 0},        /* SecOps */
    {.55, .10, .15, .10, .10, 0},  /* Operations */
    {.30, 0, .20, 0, .50, 0},      /* Support */
    {.70, .20, .10, 0, 0, 0},      /* Legal */
    {.60, .10, .15, .15, 0, 0},    /* Procurement */
};

static const char *const GIVEN[] = {
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Charles", "Karen", "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark",
    "Sandra", "Steven", "Ashley", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
    "Kevin", "Carol", "Brian", "Amanda", "George", "Melissa", "Timothy", "Deborah", "Ryan",
    "Stephanie", "Jacob", "Rebecca", "Gary", "Laura", "Nicholas", "Helen", "Eric", "Sharon",
    "Jonathan", "Cynthia", "Priya", "Arjun", "Ananya", "Rahul", "Sneha", "Vikram", "Divya",
    "Karthik", "Meera", "Rohan", "Lakshmi", "Aditya", "Oliver", "Amelia", "Harry", "Isla",
    "George", "Ava", "Noah", "Mia", "Leo", "Freya", "Lukas", "Lena", "Felix", "Hannah",
    "Maximilian", "Sophie", "Jonas", "Marie", "Elias", "Clara", "Wei", "Mei", "Hiroshi",
    "Yuki", "Carlos", "Sofia", "Diego", "Valentina", "Mateo", "Lucia", "Omar", "Fatima",
    "Ahmed", "Aisha", "Kwame", "Amara", "Chloe", "Ethan", "Grace", "Liam", "Zoe", "Owen",
    "Nora", "Caleb", "Ivy", "Marcus", "Elena", "Tomasz", "Agnieszka", "Sven", "Ingrid",
};

static const char *const SURNAME[] = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Sharma", "Patel", "Iyer", "Reddy",
    "Nair", "Gupta", "Menon", "Rao", "Krishnan", "Kapoor", "Evans", "Hughes", "Edwards",
    "Wood", "Turner", "Collins", "Murphy", "Cooper", "Ward", "Price", "Bennett", "Gray",
    "Mueller", "Schmidt", "Schneider", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann",
    "Schulz", "Koch", "Richter", "Klein", "Wolf", "Chen", "Wang", "Li", "Zhang", "Liu",
    "Tanaka", "Sato", "Suzuki", "Kim", "Park", "Okafor", "Mensah", "Haddad", "Khan", "Rossi",
    "Bianchi", "Novak", "Kowalski", "Johansson", "Larsen", "Dubois", "Moreau", "Silva",
    "Santos", "Costa", "Ferreira", "Oconnell", "Byrne", "Fitzgerald", "Alvarez", "Castillo",
};

/* Residential address space per country, first octets of broadband ranges. */
static const int HOME_NET_US[] = {24, 67, 71, 73, 76, 98, 174};
static const int HOME_NET_GB[] = {81, 86, 92, 109};
static const int HOME_NET_DE[] = {84, 87, 91, 93};
static const int HOME_NET_IN[] = {49, 106, 117, 122};

static const char *const HOME_CITIES[OFF_COUNT][3] = {
    {"Evanston", "Naperville", "Oak Park"},
    {"Hoboken", "Brooklyn", "New York"},
    {"Reading", "Croydon", "London"},
    {"Augsburg", "Munich", "Munich"},
    {"Mysuru", "Bengaluru", "Bengaluru"},
    {"Denver", "Austin", "Seattle"},
};

static void lower_copy(char *dst, size_t cap, const char *src) {
    size_t i = 0;
    for (; src[i] && i + 1 < cap; i++) dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = 0;
}

static void home_ip(demo_rng *r, const char *country, char out[16]) {
    int a;
    if (!strcmp(country, "GB")) a = DEMO_PICK(r, HOME_NET_GB);
    else if (!strcmp(country, "DE")) a = DEMO_PICK(r, HOME_NET_DE);
    else if (!strcmp(country, "IN")) a = DEMO_PICK(r, HOME_NET_IN);
    else a = DEMO_PICK(r, HOME_NET_US);
    snprintf(out, 16, "%d.%d.%d.%d", a, demo_rng_range(r, 1, 254), demo_rng_range(r, 0, 255),
             demo_rng_range(r, 2, 254));
}

static bool name_taken(const demo_org *o, const char *field_upn, const char *sam) {
    for (int i = 0; i < o->nusers; i++)
        if ((field_upn && !strcmp(o->users[i].upn, field_upn)) ||
            (sam && !strcmp(o->users[i].sam, sam)))
            return true;
    return false;
}

static demo_user *new_user(demo_org *o, demo_rng *r, int64_t now) {
    demo_user *u = &o->users[o->nusers];
    memset(u, 0, sizeof *u);
    demo_guid(r, u->object_id);
    snprintf(u->sid, sizeof u->sid, "%s-%d", DEMO_DOMAIN_SID, 1105 + o->nusers * 3);
    snprintf(u->employee_id, sizeof u->employee_id, "%06d", (100200 + o->nusers * 7) % 1000000);
    snprintf(u->phone, sizeof u->phone, "+1 312 555 %04d", (1000 + o->nusers) % 10000);
    u->manager = -1;
    u->device = u->mobile = u->person = -1;
    u->enabled = true;
    u->mfa = true;
    u->activity = 0.6 + demo_rng_unit(r) * 0.8;
    u->created = now - (int64_t)demo_rng_range(r, 60, 3000) * DEMO_DAY;
    return u;
}

/* A person with a unique name; UPN first.last@contoso.com, sam first initial + last. */
static int add_person(demo_org *o, demo_rng *r, int dept, int office, int64_t now) {
    demo_user *u = new_user(o, r, now);
    char upn[160], sam[96], low_given[24], low_sur[32];
    for (int attempt = 0;; attempt++) {
        const char *g = DEMO_PICK(r, GIVEN), *s = DEMO_PICK(r, SURNAME);
        lower_copy(low_given, sizeof low_given, g);
        lower_copy(low_sur, sizeof low_sur, s);
        if (attempt < 40) snprintf(upn, sizeof upn, "%s.%s@%s", low_given, low_sur, DEMO_DOMAIN);
        else snprintf(upn, sizeof upn, "%s.%s%d@%s", low_given, low_sur, attempt, DEMO_DOMAIN);
        if (name_taken(o, upn, NULL)) continue;
        snprintf(sam, sizeof sam, "%c%s", low_given[0], low_sur);
        for (int k = 2; name_taken(o, NULL, sam); k++)
            snprintf(sam, sizeof sam, "%c%s%d", low_given[0], low_sur, k);
        snprintf(u->given, sizeof u->given, "%s", g);
        snprintf(u->surname, sizeof u->surname, "%s", s);
        break;
    }
    snprintf(u->upn, sizeof u->upn, "%.71s", upn);
    snprintf(u->mail, sizeof u->mail, "%.71s", upn);
    snprintf(u->sam, sizeof u->sam, "%.31s", sam);
    snprintf(u->display, sizeof u->display, "%s %s", u->given, u->surname);
    u->kind = ACCT_PERSON;
    u->dept = dept;
    u->office = office;
    const char *country = demo_geo_find(OFFICE_CITY[office])->country;
    u->home = demo_geo_find(HOME_CITIES[office][demo_rng_below(r, 3)]);
    home_ip(r, country, u->home_ip);
    if (office == OFF_LONDON) snprintf(u->phone, sizeof u->phone, "+44 20 7946 %04d", (100 + o->nusers) % 10000);
    else if (office == OFF_MUNICH) snprintf(u->phone, sizeof u->phone, "+49 89 4161 %04d", o->nusers);
    else if (office == OFF_BANGALORE) snprintf(u->phone, sizeof u->phone, "+91 80 4012 %04d", o->nusers);
    return o->nusers++;
}

static int add_account(demo_org *o, demo_rng *r, int kind, const char *sam, const char *display,
                       const char *upn_domain, int64_t now) {
    demo_user *u = new_user(o, r, now);
    u->kind = kind;
    snprintf(u->sam, sizeof u->sam, "%s", sam);
    snprintf(u->upn, sizeof u->upn, "%s@%s", sam, upn_domain);
    snprintf(u->mail, sizeof u->mail, "%s", u->upn);
    snprintf(u->display, sizeof u->display, "%s", display);
    u->office = OFF_CHICAGO;
    u->dept = 7; /* IT */
    u->home = demo_geo_find("Chicago");
    snprintf(u->home_ip, sizeof u->home_ip, "%s", demo_offices[OFF_CHICAGO].egress[0]);
    return o->nusers++;
}

static void add_role(demo_user *u, const char *role) {
    if (u->nroles < (int)SP_ARRAY_LEN(u->roles)) u->roles[u->nroles++] = role;
}

/* ----------------------------------------------------------------- devices */
typedef struct server_def {
    const char *name, *role;
    int os, office;
    bool internet;
    const char *public_ip;
    const char *asset;
} server_def;

static const server_def SERVERS[] = {
    {"srv-dc01", "DomainController", OS_WS2019, OFF_CHICAGO, false, NULL, "High"},
    {"srv-dc02", "DomainController", OS_WS2019, OFF_CHICAGO, false, NULL, "High"},
    {"srv-fs01", "FileServer", OS_WS2019, OFF_CHICAGO, false, NULL, "High"},
    {"srv-fs02", "FileServer", OS_WS2016, OFF_CHICAGO, false, NULL, "Normal"},
    {"srv-app01", "ApplicationServer", OS_WS2019, OFF_CHICAGO, false, NULL, "Normal"},
    {"srv-app02", "ApplicationServer", OS_WS2022, OFF_CHICAGO, false, NULL, "Normal"},
    {"srv-sql01", "DatabaseServer", OS_WS2019, OFF_CHICAGO, false, NULL, "High"},
    {"srv-sql02", "DatabaseServer", OS_WS2022, OFF_CHICAGO, false, NULL, "High"},
    {"srv-web01", "WebServer", OS_WS2019, OFF_CHICAGO, true, "64.94.112.40", "High"},
    {"srv-web02", "WebServer", OS_WS2022, OFF_CHICAGO, false, NULL, "Normal"},
    {"srv-rdg01", "RemoteDesktopGateway", OS_WS2019, OFF_CHICAGO, true, "64.94.112.41", "High"},
    {"srv-exch01", "ExchangeServer", OS_WS2019, OFF_CHICAGO, true, "64.94.112.42", "High"},
    {"srv-mgmt01", "JumpServer", OS_WS2022, OFF_CHICAGO, false, NULL, "High"},
    {"srv-backup01", "BackupServer", OS_WS2022, OFF_CHICAGO, false, NULL, "High"},
    {"srv-print01", "PrintServer", OS_WS2016, OFF_CHICAGO, false, NULL, "Low"},
    {"srv-ca01", "CertificateAuthority", OS_WS2019, OFF_CHICAGO, false, NULL, "High"},
    {"srv-sccm01", "ConfigurationManager", OS_WS2022, OFF_CHICAGO, false, NULL, "Normal"},
    {"srv-wsus01", "UpdateServer", OS_WS2019, OFF_CHICAGO, false, NULL, "Normal"},
    {"srv-nyc-fs01", "FileServer", OS_WS2019, OFF_NEWYORK, false, NULL, "Normal"},
    {"srv-lon-dc01", "DomainController", OS_WS2019, OFF_LONDON, false, NULL, "High"},
    {"srv-lon-fs01", "FileServer", OS_WS2016, OFF_LONDON, false, NULL, "Normal"},
    {"srv-muc-fs01", "FileServer", OS_WS2019, OFF_MUNICH, false, NULL, "Normal"},
    {"srv-blr-dc01", "DomainController", OS_WS2022, OFF_BANGALORE, false, NULL, "High"},
    {"srv-blr-fs01", "FileServer", OS_WS2022, OFF_BANGALORE, false, NULL, "Normal"},
    {"srv-hr01", "ApplicationServer", OS_WS2016, OFF_CHICAGO, false, NULL, "High"},
    {"srv-erp01", "ApplicationServer", OS_WS2019, OFF_CHICAGO, false, NULL, "High"},
    {"srv-erp02", "ApplicationServer", OS_WS2019, OFF_CHICAGO, false, NULL, "Normal"},
    {"srv-vpn01", "VpnServer", OS_WS2022, OFF_CHICAGO, true, "64.94.112.20", "Normal"},
    {"lnx-web01", "WebServer", OS_LINUX, OFF_CHICAGO, true, "64.94.112.43", "Normal"},
    {"lnx-app01", "ApplicationServer", OS_LINUX, OFF_CHICAGO, false, NULL, "Normal"},
    {"lnx-app02", "ApplicationServer", OS_LINUX, OFF_CHICAGO, false, NULL, "Normal"},
    {"lnx-app03", "ApplicationServer", OS_LINUX, OFF_MUNICH, false, NULL, "Normal"},
    {"lnx-db01", "DatabaseServer", OS_LINUX, OFF_CHICAGO, false, NULL, "High"},
    {"lnx-db02", "DatabaseServer", OS_LINUX, OFF_BANGALORE, false, NULL, "Normal"},
    {"lnx-build01", "BuildServer", OS_LINUX, OFF_BANGALORE, false, NULL, "Normal"},
    {"lnx-build02", "BuildServer", OS_LINUX, OFF_MUNICH, false, NULL, "Normal"},
    {"lnx-jump01", "JumpServer", OS_LINUX, OFF_CHICAGO, false, NULL, "High"},
    {"lnx-mon01", "MonitoringServer", OS_LINUX, OFF_CHICAGO, false, NULL, "Normal"},
};

static void set_os(demo_device *d, demo_rng *r) {
    switch (d->os) {
    case OS_WIN10:
        d->platform = "Windows10";
        d->os_version = DEMO_PICK(r, ((const char *[]){"22H2", "22H2", "21H2"}));
        d->os_build = 19045;
        d->os_distribution = "Windows";
        break;
    case OS_WIN11:
        d->platform = "Windows11";
        d->os_version = DEMO_PICK(r, ((const char *[]){"23H2", "23H2", "22H2", "24H2"}));
        d->os_build = !strcmp(d->os_version, "24H2") ? 26100 : 22631;
        d->os_distribution = "Windows";
        break;
    case OS_MAC:
        d->platform = "macOS";
        d->os_version = DEMO_PICK(r, ((const char *[]){"14.6.1", "14.7", "15.1"}));
        d->os_build = 0;
        d->os_distribution = "MacOs";
        break;
    case OS_WS2016:
        d->platform = "WindowsServer2016";
        d->os_version = "1607";
        d->os_build = 14393;
        d->os_distribution = "Windows";
        break;
    case OS_WS2019:
        d->platform = "WindowsServer2019";
        d->os_version = "1809";
        d->os_build = 17763;
        d->os_distribution = "Windows";
        break;
    case OS_WS2022:
        d->platform = "WindowsServer2022";
        d->os_version = "21H2";
        d->os_build = 20348;
        d->os_distribution = "Windows";
        break;
    case OS_LINUX:
        d->platform = "Linux";
        d->os_version = DEMO_PICK(r, ((const char *[]){"22.04", "22.04", "20.04"}));
        d->os_build = 0;
        d->os_distribution = "Ubuntu";
        break;
    case OS_IOS:
        d->platform = "iOS";
        d->os_version = DEMO_PICK(r, ((const char *[]){"17.6.1", "18.1", "18.0.1"}));
        d->os_distribution = "AppleiOS";
        break;
    default:
        d->platform = "Android";
        d->os_version = DEMO_PICK(r, ((const char *[]){"13", "14", "14"}));
        d->os_distribution = "Android";
        break;
    }
}

static demo_device *new_device(demo_org *o, demo_rng *r, const char *name, int kind, int os,
                               int office, int64_t now) {
    demo_device *d = &o->devices[o->ndevices++];
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "%s", name);
    demo_digest(name, "deviceid", d->id, 40);
    demo_guid_of(name, d->aad_id);
    d->kind = kind;
    d->os = os;
    d->office = office;
    d->owner = -1;
    set_os(d, r);
    const demo_office *of = &demo_offices[office];
    snprintf(d->local_ip, sizeof d->local_ip, "10.%d.%d.%d", of->lan,
             kind == DEV_SERVER ? 1 : demo_rng_range(r, 10, 60), demo_rng_range(r, 10, 250));
    if (of->egress[0]) snprintf(d->public_ip, sizeof d->public_ip, "%s", of->egress[0]);
    d->exposure = "Low";
    d->asset_value = "Normal";
    d->onboarding = "Onboarded";
    d->sensor = "Active";
    d->first_seen = now - (int64_t)demo_rng_range(r, 90, 900) * DEMO_DAY;
    d->last_seen = now;
    d->join_type = kind == DEV_MOBILE ? "AAD Registered"
                   : (os == OS_MAC || os == OS_LINUX) ? "" : kind == DEV_SERVER ? "Domain Joined"
                                                                      : "Hybrid Azure AD Join";
    if (kind == DEV_SERVER) {
        d->model = os == OS_LINUX ? "Virtual Machine" : "VMware7,1";
        d->vendor = os == OS_LINUX ? "Microsoft Corporation" : "VMware, Inc.";
        d->machine_group = "Servers";
    } else if (kind == DEV_MOBILE) {
        d->model = os == OS_IOS ? "iPhone 15" : "Pixel 8";
        d->vendor = os == OS_IOS ? "Apple" : "Google";
        d->machine_group = "Mobile";
    } else if (os == OS_MAC) {
        d->model = DEMO_PICK(r, ((const char *[]){"MacBook Pro (14-inch, 2023)", "MacBook Air (M2, 2022)"}));
        d->vendor = "Apple Inc.";
        d->machine_group = "Workstations";
    } else {
        d->model = DEMO_PICK(r, ((const char *[]){"Latitude 7440", "Latitude 5440", "ThinkPad T14 Gen 4",
                                                 "EliteBook 840 G10", "OptiPlex 7010"}));
        d->vendor = !strncmp(d->model, "Latitude", 8) || !strncmp(d->model, "Opti", 4) ? "Dell Inc."
                    : !strncmp(d->model, "Think", 5) ? "LENOVO" : "HP";
        d->machine_group = "Workstations";
    }
    return d;
}

/* ---------------------------------------------------------------- the org */
int demo_org_build(demo_org *o, uint64_t seed, int64_t now) {
    memset(o, 0, sizeof *o);
    demo_rng r;
    demo_rng_seed(&r, seed, "org", 0);
    o->users = sp_calloc(700, sizeof *o->users);
    o->devices = sp_calloc(700, sizeof *o->devices);

    /* People, department by department; the first of each is its head, the
     * next few its managers. */
    int dept_first[32];
    for (size_t d = 0; d < demo_ndepts; d++) {
        dept_first[d] = o->nusers;
        int n = (int)demo_depts[d].weight;
        int nmgr = d == 0 ? 0 : SP_MAX(1, n / 9);
        for (int i = 0; i < n; i++) {
            int office = (int)demo_rng_weighted(&r, DEPT_OFFICES[d], OFF_COUNT);
            if (i == 0) office = OFF_CHICAGO;
            int u = add_person(o, &r, (int)d, office, now);
            demo_user *pu = &o->users[u];
            if (d == 0) {
                pu->title = demo_depts[d].titles[SP_MIN(i, 5)];
                if (i > 5) pu->title = demo_depts[d].titles[5];
            } else if (i == 0) pu->title = demo_depts[d].titles[0];
            else if (i <= nmgr) pu->title = demo_depts[d].titles[1];
            else pu->title = demo_depts[d].titles[2 + demo_rng_below(&r, 4)];
        }
        (void)nmgr;
    }
    /* Managers: heads report to the CEO (or the CFO/CTO/COO by area); managers to
     * their head; staff to a manager of the same department, same office if any. */
    o->ceo = dept_first[0];
    for (size_t d = 0; d < demo_ndepts; d++) {
        int first = dept_first[d], n = (int)demo_depts[d].weight;
        int nmgr = d == 0 ? 0 : SP_MAX(1, n / 9);
        for (int i = 0; i < n; i++) {
            demo_user *u = &o->users[first + i];
            if (d == 0) u->manager = i == 0 ? -1 : o->ceo;
            else if (i == 0) {
                int boss = o->ceo;
                if (d == 1 || d == 12) boss = dept_first[0] + 1;        /* CFO */
                else if (d == 5 || d == 6 || d == 7) boss = dept_first[0] + 3; /* CTO */
                else if (d == 9 || d == 10) boss = dept_first[0] + 2;    /* COO */
                else if (d == 8) boss = dept_first[0] + 4;               /* CISO */
                u->manager = boss;
            } else if (i <= nmgr) u->manager = first;
            else {
                int pick = first + 1 + (int)demo_rng_below(&r, (uint32_t)nmgr);
                for (int k = 1; k <= nmgr; k++)
                    if (o->users[first + k].office == u->office) {
                        pick = first + k;
                        if (demo_rng_chance(&r, 0.5)) break;
                    }
                u->manager = pick;
            }
        }
    }
    int npeople = o->nusers;
    /* New hires: accounts created during the last weeks. */
    for (int k = 0; k < 7; k++) {
        int u = 30 + (int)demo_rng_below(&r, (uint32_t)(npeople - 30));
        demo_user *pu = &o->users[u];
        if (pu->dept == 8 || pu->dept == 7 || pu->dept == 0) continue;
        int64_t day = now - now % DEMO_DAY - (int64_t)demo_rng_range(&r, 2, 26) * DEMO_DAY;
        pu->created = day + 15 * DEMO_HOUR + (int64_t)demo_rng_range(&r, 0, 3599) * DEMO_SEC;
    }

    /* SOC analysts: the Security Operations department (minus its manager's
     * manager chain), all with the Security Reader/Operator roles. */
    for (int i = 0; i < npeople && o->nanalysts < 8; i++) {
        demo_user *u = &o->users[i];
        if (u->dept == 8) {
            o->analysts[o->nanalysts++] = i;
            add_role(u, "Security Operator");
            if (strstr(u->title, "Manager")) add_role(u, "Security Administrator");
        }
    }
    o->users[dept_first[0] + 4].roles[0] = "Security Administrator";
    o->users[dept_first[0] + 4].nroles = 1;

    /* IT staff get separate admin accounts (adm-<sam>) with directory roles. */
    static const char *const ADMIN_ROLES[] = {"Global Administrator", "User Administrator",
                                              "Exchange Administrator", "Intune Administrator",
                                              "Helpdesk Administrator", "Application Administrator",
                                              "SharePoint Administrator", "Helpdesk Administrator"};
    int it_first = dept_first[7];
    for (int k = 0; k < 8; k++) {
        int person = it_first + k;
        char sam[32], disp[96];
        snprintf(sam, sizeof sam, "adm-%.27s", o->users[person].sam);
        snprintf(disp, sizeof disp, "ADM %s", o->users[person].display);
        int a = add_account(o, &r, ACCT_ADMIN, sam, disp, DEMO_DOMAIN, now);
        demo_user *au = &o->users[a];
        au->person = person;
        au->office = o->users[person].office;
        au->title = o->users[person].title;
        au->manager = o->users[person].manager;
        au->local_admin = true;
        add_role(au, ADMIN_ROLES[k]);
        if (k == 0) add_role(au, "Privileged Role Administrator");
        if (k == 1) add_role(au, "Global Administrator");
        o->admins[o->nadmins++] = a;
        o->users[person].local_admin = true;
    }
    /* The CTO is a Global Administrator too (a finding in itself). */
    add_role(&o->users[dept_first[0] + 3], "Global Administrator");
    add_role(&o->users[dept_first[0] + 1], "Billing Administrator");

    /* Service accounts and guests. */
    o->svc_backup = add_account(o, &r, ACCT_SERVICE, "svc-backup", "Backup Service", DEMO_DOMAIN, now);
    o->svc_sql = add_account(o, &r, ACCT_SERVICE, "svc-sql", "SQL Service", DEMO_DOMAIN, now);
    o->svc_scanner = add_account(o, &r, ACCT_SERVICE, "svc-scanner", "Scan to Email", DEMO_DOMAIN, now);
    o->svc_sync = add_account(o, &r, ACCT_SERVICE, "svc-adsync", "On-Premises Directory Synchronization Service Account",
                              DEMO_DOMAIN, now);
    add_account(o, &r, ACCT_SERVICE, "svc-monitor", "Monitoring Service", DEMO_DOMAIN, now);
    for (int k = o->svc_backup; k < o->nusers; k++) {
        o->users[k].mfa = false;
        o->users[k].title = "Service Account";
    }
    static const char *const GUESTS[][3] = {
        {"anna.kowalski", "fabrikam.com", "Anna Kowalski (Fabrikam)"},
        {"raj.mehta", "woodgrovebank.com", "Raj Mehta (Woodgrove Bank)"},
        {"claire.dubois", "litwareinc.com", "Claire Dubois (Litware)"},
        {"tom.becker", "adventure-works.com", "Tom Becker (Adventure Works)"},
        {"maria.santos", "fabrikam.com", "Maria Santos (Fabrikam)"},
        {"ken.tanaka", "proseware.com", "Ken Tanaka (Proseware)"},
    };
    for (size_t k = 0; k < SP_ARRAY_LEN(GUESTS); k++) {
        char sam[96], upn_dom[64];
        snprintf(sam, sizeof sam, "%s_%s#EXT#", GUESTS[k][0], GUESTS[k][1]);
        snprintf(upn_dom, sizeof upn_dom, "contoso.onmicrosoft.com");
        int g = add_account(o, &r, ACCT_GUEST, sam, GUESTS[k][2], upn_dom, now);
        demo_user *gu = &o->users[g];
        snprintf(gu->mail, sizeof gu->mail, "%s@%s", GUESTS[k][0], GUESTS[k][1]);
        gu->dept = -1;
        gu->title = NULL;
        gu->office = OFF_REMOTE;
        gu->home = demo_geo_find(k % 2 ? "Toronto" : "Dublin");
        home_ip(&r, "US", gu->home_ip);
    }

    /* A few people left or are on leave: disabled accounts. */
    for (int k = 0; k < 9; k++) {
        int u = 20 + (int)demo_rng_below(&r, (uint32_t)(npeople - 20));
        if (o->users[u].dept != 8 && o->users[u].dept != 7) o->users[u].enabled = false;
    }

    /* Servers. */
    for (size_t k = 0; k < SP_ARRAY_LEN(SERVERS); k++) {
        const server_def *s = &SERVERS[k];
        demo_device *d = new_device(o, &r, s->name, DEV_SERVER, s->os, s->office, now);
        d->role = s->role;
        d->asset_value = s->asset;
        d->internet_facing = s->internet;
        if (s->public_ip) snprintf(d->public_ip, sizeof d->public_ip, "%s", s->public_ip);
        snprintf(d->local_ip, sizeof d->local_ip, "10.%d.1.%d", demo_offices[s->office].lan,
                 10 + (int)k);
        if (s->internet) {
            d->exposure = "High";
            d->machine_group = "DMZ";
            snprintf(d->local_ip, sizeof d->local_ip, "172.16.10.%d", 10 + (int)k);
        } else if (!strcmp(s->asset, "High")) d->exposure = "Medium";
        int idx = o->ndevices - 1;
        if (!strcmp(s->name, "srv-dc01")) o->dc1 = idx;
        else if (!strcmp(s->name, "srv-dc02")) o->dc2 = idx;
        else if (!strcmp(s->name, "srv-fs01")) o->fs1 = idx;
        else if (!strcmp(s->name, "srv-app01")) o->app1 = idx;
        else if (!strcmp(s->name, "srv-sql01")) o->sql1 = idx;
        else if (!strcmp(s->name, "srv-web01")) o->web1 = idx;
        else if (!strcmp(s->name, "srv-rdg01")) o->rdg1 = idx;
        else if (!strcmp(s->name, "srv-exch01")) o->exch1 = idx;
        else if (!strcmp(s->name, "srv-mgmt01")) o->mgmt1 = idx;
        else if (!strcmp(s->name, "lnx-app01")) o->lnxapp1 = idx;
        else if (!strcmp(s->name, "srv-backup01")) o->backup1 = idx;
    }

    /* A workstation for every person: laptops, office desktops, Macs. */
    o->workstations_begin = o->ndevices;
    for (int u = 0; u < npeople; u++) {
        demo_user *pu = &o->users[u];
        int os;
        double mac = (pu->dept == 4 || pu->dept == 6) ? 0.35 : pu->dept == 5 ? 0.18 : 0.04;
        double x = demo_rng_unit(&r);
        if (x < mac) os = OS_MAC;
        else if (x < mac + (1 - mac) * 0.45) os = OS_WIN10;
        else os = OS_WIN11;
        char name[40];
        bool desktop = os != OS_MAC && (pu->dept == 9 || pu->dept == 10) && demo_rng_chance(&r, 0.6);
        do {
            snprintf(name, sizeof name, "%s-%04d", os == OS_MAC ? "mac" : desktop ? "ws" : "lt",
                     demo_rng_range(&r, 1000, 9999));
        } while (demo_device_find(o, name) >= 0);
        demo_device *d = new_device(o, &r, name, DEV_WORKSTATION, os, pu->office, now);
        if (desktop) d->model = "OptiPlex 7010", d->vendor = "Dell Inc.";
        d->owner = u;
        pu->device = o->ndevices - 1;
        if (pu->office == OFF_REMOTE) {
            snprintf(d->public_ip, sizeof d->public_ip, "%s", pu->home_ip);
            snprintf(d->local_ip, sizeof d->local_ip, "192.168.1.%d", demo_rng_range(&r, 20, 200));
        }
        double e = demo_rng_unit(&r);
        if (e < 0.03) {
            d->sensor = "Inactive";
            d->last_seen = now - (int64_t)demo_rng_range(&r, 8, 21) * DEMO_DAY;
        }
        else if (e < 0.04) d->sensor = "Misconfigured";
        if (demo_rng_chance(&r, 0.06)) d->exposure = "High";
        else if (demo_rng_chance(&r, 0.35)) d->exposure = "Medium";
        if (pu->dept == 0) d->asset_value = "High";
    }
    o->workstations_end = o->ndevices;

    /* Managed phones for executives, sales leads and IT. */
    for (int u = 0; u < npeople && o->ndevices < 640; u++) {
        demo_user *pu = &o->users[u];
        bool gets = pu->dept == 0 || (pu->dept == 3 && demo_rng_chance(&r, 0.3)) ||
                    (pu->dept == 7 && demo_rng_chance(&r, 0.5));
        if (!gets) continue;
        int os = demo_rng_chance(&r, 0.7) ? OS_IOS : OS_ANDROID;
        char name[48];
        snprintf(name, sizeof name, "%s-%.31s", os == OS_IOS ? "iphone" : "android", pu->sam);
        demo_device *d = new_device(o, &r, name, DEV_MOBILE, os, pu->office, now);
        d->owner = u;
        snprintf(d->local_ip, sizeof d->local_ip, "192.168.%d.%d", demo_rng_range(&r, 0, 1),
                 demo_rng_range(&r, 20, 200));
        d->public_ip[0] = 0;
        pu->mobile = o->ndevices - 1;
    }

    /* Devices Defender discovered on the network but that are not onboarded. */
    static const char *const DISCOVERED[][3] = {
        {"prn-chi-3f-01", "Printer", "Unsupported"}, {"prn-chi-5f-02", "Printer", "Unsupported"},
        {"prn-lon-2f-01", "Printer", "Unsupported"}, {"nas-chi-01", "NetworkDevice", "Unsupported"},
        {"cam-chi-lobby", "IoT", "Unsupported"},   {"ws-legacy-07", "Workstation", "Can be onboarded"},
        {"ws-lab-0112", "Workstation", "Can be onboarded"},
        {"srv-old-app03", "Server", "Can be onboarded"},
        {"conf-room-nyc-4", "Workstation", "Insufficient info"},
        {"tv-chi-boardroom", "IoT", "Insufficient info"},
    };
    for (size_t k = 0; k < SP_ARRAY_LEN(DISCOVERED); k++) {
        int kind = !strcmp(DISCOVERED[k][1], "Server") ? DEV_SERVER : DEV_WORKSTATION;
        int os = kind == DEV_SERVER ? OS_WS2016 : OS_WIN10;
        demo_device *d = new_device(o, &r, DISCOVERED[k][0], kind, os,
                                    strstr(DISCOVERED[k][0], "lon") ? OFF_LONDON
                                    : strstr(DISCOVERED[k][0], "nyc") ? OFF_NEWYORK : OFF_CHICAGO,
                                    now);
        d->onboarding = DISCOVERED[k][2];
        d->sensor = NULL;
        d->role = DISCOVERED[k][1];
        if (strcmp(DISCOVERED[k][1], "Workstation") && strcmp(DISCOVERED[k][1], "Server")) {
            d->platform = "None";
            d->os_version = NULL;
            d->os_build = 0;
            d->os_distribution = "Unknown";
            d->model = NULL;
            d->vendor = !strncmp(DISCOVERED[k][0], "prn", 3) ? "HP" : NULL;
        }
        if (!strcmp(DISCOVERED[k][0], "ws-legacy-07")) {
            d->platform = "Windows7";
            d->os_version = "SP1";
            d->os_build = 7601;
        }
    }
    return 0;
}

void demo_org_free(demo_org *o) {
    free(o->users);
    free(o->devices);
    memset(o, 0, sizeof *o);
}

int demo_user_find(const demo_org *o, const char *upn) {
    for (int i = 0; i < o->nusers; i++)
        if (!strcasecmp(o->users[i].upn, upn)) return i;
    return -1;
}

int demo_device_find(const demo_org *o, const char *name) {
    for (int i = 0; i < o->ndevices; i++)
        if (!strcmp(o->devices[i].name, name)) return i;
    return -1;
}

/* ------------------------------------------------------------ working days */

bool demo_workday(const demo_ctx *c, int user, int d, int64_t *begin, int64_t *end) {
    const demo_user *u = &c->org.users[user];
    if (u->kind == ACCT_SERVICE || !u->enabled) return false;
    const char *rl, *rs, *rd;
    bool enabled;
    demo_user_state(c, user, demo_day_start(c, d), &rl, &rs, &rd, &enabled);
    if (!enabled) return false;
    if (demo_day_start(c, d) < u->created + 12 * DEMO_HOUR) return false;
    demo_rng r;
    demo_rng_seed(&r, c->opt.seed, "workday", (uint64_t)user * 4096 + (uint64_t)d);
    int tz = demo_offices[u->office].tz_min;
    int64_t local_midnight = demo_day_start(c, d) - (int64_t)tz * DEMO_MIN;
    int wd = sp_weekday(demo_day_start(c, d));
    bool weekend = wd == 0 || wd == 6;
    if (weekend ? !demo_rng_chance(&r, u->kind == ACCT_ADMIN ? 0.25 : 0.07)
                : !demo_rng_chance(&r, 0.93))
        return false;
    int start_min = weekend ? demo_rng_range(&r, 600, 900) : demo_rng_range(&r, 450, 570);
    int len_min = weekend ? demo_rng_range(&r, 40, 150) : demo_rng_range(&r, 450, 600);
    *begin = local_midnight + (int64_t)start_min * DEMO_MIN + demo_rng_below(&r, 60) * DEMO_SEC;
    *end = *begin + (int64_t)len_min * DEMO_MIN;
    return true;
}

bool demo_remote_day(const demo_ctx *c, int user, int d) {
    const demo_user *u = &c->org.users[user];
    if (u->office == OFF_REMOTE || u->kind == ACCT_GUEST) return true;
    uint64_t h = sp_hash_u64(c->opt.seed ^ ((uint64_t)user * 131 + (uint64_t)d * 7919 + 17));
    return (h % 100) < 33;
}

const char *demo_user_ip(const demo_ctx *c, int user, int d) {
    const demo_user *u = &c->org.users[user];
    if (u->kind == ACCT_ADMIN && u->person >= 0) u = &c->org.users[u->person];
    if (demo_remote_day(c, user, d)) return u->home_ip;
    const demo_office *of = &demo_offices[u->office];
    int n = of->egress[2] ? 3 : of->egress[1] ? 2 : 1;
    return of->egress[(sp_hash_u64((uint64_t)user * 977 + (uint64_t)d) % (uint64_t)n)];
}

const demo_geo *demo_user_geo(const demo_ctx *c, int user, int d) {
    const demo_user *u = &c->org.users[user];
    if (u->kind == ACCT_ADMIN && u->person >= 0) u = &c->org.users[u->person];
    if (demo_remote_day(c, user, d)) return u->home;
    return demo_geo_find(OFFICE_CITY[u->office]);
}

bool demo_device_day(const demo_ctx *c, int dev, int d, int64_t *begin, int64_t *end, int *user) {
    const demo_device *dv = &c->org.devices[dev];
    if (strcmp(dv->onboarding, "Onboarded") != 0 || dv->kind == DEV_MOBILE) return false;
    int64_t day0 = demo_day_start(c, d);
    if (day0 > dv->last_seen) return false;
    if (dv->kind == DEV_SERVER) {
        *begin = day0;
        *end = day0 + DEMO_DAY - DEMO_SEC;
        *user = -1;
    } else {
        if (dv->owner < 0 || !demo_workday(c, dv->owner, d, begin, end)) return false;
        *user = dv->owner;
    }
    if (*end > dv->last_seen) *end = dv->last_seen;
    return *end > *begin;
}
