/* The plan: which people and devices each attack story involves and when it
 * happens, fixed before generation so background tables agree with the stories. */
#include "demo_int.h"

#include <string.h>

/* The n-th enabled person matching the filter, in a seeded order. */
typedef bool (*user_pred)(const demo_ctx *c, int u);

static int pick_user(const demo_ctx *c, demo_rng *r, user_pred pred, const int *avoid, int navoid) {
    const demo_org *o = &c->org;
    int n = 0;
    int cand[700];
    for (int u = 0; u < o->nusers; u++) {
        const demo_user *pu = &o->users[u];
        if (pu->kind != ACCT_PERSON || !pu->enabled || pu->device < 0 || pu->created > c->start) continue;
        if (o->devices[pu->device].os == OS_MAC || strcmp(o->devices[pu->device].sensor ? o->devices[pu->device].sensor : "", "Active")) continue;
        bool skip = false;
        for (int k = 0; k < navoid; k++) skip |= avoid[k] == u;
        if (skip || (pred && !pred(c, u))) continue;
        cand[n++] = u;
    }
    return n ? cand[demo_rng_below(r, (uint32_t)n)] : 0;
}

static bool is_ap(const demo_ctx *c, int u) {
    const demo_user *p = &c->org.users[u];
    return p->dept == 1 && p->office == OFF_CHICAGO && !strcmp(p->title, "Accounts Payable Specialist");
}
static bool is_finance(const demo_ctx *c, int u) { return c->org.users[u].dept == 1; }
static bool is_field(const demo_ctx *c, int u) {
    int d = c->org.users[u].dept;
    return d == 3 || d == 10 || d == 9 || d == 4;
}
static bool is_london_sales(const demo_ctx *c, int u) {
    const demo_user *p = &c->org.users[u];
    return p->dept == 3 && p->office == OFF_LONDON;
}
static bool is_chicago_ops(const demo_ctx *c, int u) {
    const demo_user *p = &c->org.users[u];
    return p->dept == 9 && p->office == OFF_CHICAGO;
}
static bool is_chicago_staff(const demo_ctx *c, int u) {
    const demo_user *p = &c->org.users[u];
    return p->office == OFF_CHICAGO && (p->dept == 1 || p->dept == 9 || p->dept == 12);
}
static bool is_munich_rnd(const demo_ctx *c, int u) {
    const demo_user *p = &c->org.users[u];
    return (p->dept == 6 || p->dept == 5) && p->office == OFF_MUNICH && strstr(p->title, "Manager") == NULL;
}

static void change(demo_plan *p, int user, int64_t t, const char *level, const char *state,
                   const char *detail, int enabled) {
    if (p->nchanges < (int)SP_ARRAY_LEN(p->changes))
        p->changes[p->nchanges++] = (demo_change){user, t, level, state, detail, enabled};
}

void demo_plan_make(demo_ctx *c) {
    demo_plan *p = &c->plan;
    demo_org *o = &c->org;
    demo_rng r;
    demo_rng_seed(&r, c->opt.seed, "plan", 0);
    memset(p, 0, sizeof *p);
    int used[40] = {0}, nused = 0;

    /* Business email compromise: an accounts-payable specialist in Chicago. */
    p->bec_victim = pick_user(c, &r, is_ap, used, nused);
    used[nused++] = p->bec_victim;
    p->bec_recipients[p->nbec_recipients++] = p->bec_victim;
    for (int k = 0; k < 5; k++) {
        int u = pick_user(c, &r, is_finance, used, nused);
        used[nused++] = u;
        p->bec_recipients[p->nbec_recipients++] = u;
    }
    p->bec_mail = demo_at(c, 2, 15, 12, 31);
    p->bec_click = p->bec_mail + 9 * DEMO_MIN + 14 * DEMO_SEC;
    p->bec_signin = p->bec_click + 27 * DEMO_MIN + 5 * DEMO_SEC;
    p->bec_rule = p->bec_signin + 18 * DEMO_MIN;
    change(p, p->bec_victim, p->bec_signin + 6 * DEMO_MIN, "High", "atRisk",
           "aiConfirmedSigninCompromised", -1);

    /* Password spray: the last hours before now; three weak passwords fall. */
    p->spray_end = c->now - 7 * DEMO_HOUR - 12 * DEMO_MIN;
    p->spray_begin = p->spray_end - 2 * DEMO_HOUR;
    for (int k = 0; k < 3; k++) {
        p->spray_hits[k] = pick_user(c, &r, is_field, used, nused);
        used[nused++] = p->spray_hits[k];
    }
    change(p, p->spray_hits[0], p->spray_end + 20 * DEMO_MIN, "Medium", "atRisk", "none", -1);

    /* MFA fatigue: a London salesperson, late in the evening four days ago. */
    p->mfa_victim = pick_user(c, &r, is_london_sales, used, nused);
    used[nused++] = p->mfa_victim;
    p->mfa_begin = demo_at(c, 4, 22, 7, 12);
    p->mfa_approve = p->mfa_begin + 34 * DEMO_MIN;
    change(p, p->mfa_victim, p->mfa_approve + 5 * DEMO_MIN, "Medium", "atRisk", "none", -1);
    change(p, p->mfa_victim, demo_at(c, 3, 8, 40, 0), "None", "remediated",
           "userPerformedSecuredPasswordReset", -1);

    /* Ransomware: an operations coordinator's laptop in Chicago is patient zero. */
    p->rw_user = pick_user(c, &r, is_chicago_ops, used, nused);
    used[nused++] = p->rw_user;
    p->rw_dev = o->users[p->rw_user].device;
    p->rw_admin = o->admins[2];
    for (int k = 0; k < 5; k++) {
        int u = pick_user(c, &r, is_chicago_staff, used, nused);
        used[nused++] = u;
        p->rw_targets[p->nrw_targets++] = o->users[u].device;
    }
    p->rw_initial = demo_at(c, 3, 14, 5, 41);
    p->rw_lateral = demo_at(c, 1, 12, 31, 7);
    p->rw_encrypt = c->now - 6 * DEMO_HOUR - 17 * DEMO_MIN;
    change(p, p->rw_admin, p->rw_lateral + 2 * DEMO_HOUR, "High", "atRisk",
           "adminConfirmedSigninCompromised", -1);

    /* Exfiltration: a departing engineer in Munich, six days ago after work. */
    p->ex_user = pick_user(c, &r, is_munich_rnd, used, nused);
    used[nused++] = p->ex_user;
    p->ex_begin = demo_at(c, 6, 17, 32, 10);
    p->ex_disabled = demo_at(c, 5, 9, 15, 0);
    change(p, p->ex_user, p->ex_disabled, NULL, NULL, NULL, 0);

    /* The exploited internet-facing server. */
    p->cve_dev = o->web1;
    p->cve_begin = demo_at(c, 11, 2, 14, 9);
}

void demo_user_state(const demo_ctx *c, int user, int64_t t, const char **risk_level,
                     const char **risk_state, const char **risk_detail, bool *enabled) {
    const demo_user *u = &c->org.users[user];
    *risk_level = NULL;
    *risk_state = NULL;
    *risk_detail = NULL;
    *enabled = u->enabled;
    const demo_plan *p = &c->plan;
    for (int i = 0; i < p->nchanges; i++) {
        const demo_change *ch = &p->changes[i];
        if (ch->user != user || ch->t > t) continue;
        if (ch->risk_level) {
            *risk_level = ch->risk_level;
            *risk_state = ch->risk_state;
            *risk_detail = ch->risk_detail;
        }
        if (ch->enabled >= 0) *enabled = ch->enabled != 0;
    }
}
