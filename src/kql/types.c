/* Scalar types: names as KQL spells them (with synonyms), classification, and
 * reading one row of a column vector as a kql_value. */
#include "kql_int.h"

static const char *TYPE_NAMES[KQL_NTYPES] = {
    [KQL_UNKNOWN] = "unknown", [KQL_BOOL] = "bool",         [KQL_INT] = "int",
    [KQL_LONG] = "long",       [KQL_REAL] = "real",         [KQL_DECIMAL] = "decimal",
    [KQL_STRING] = "string",   [KQL_DATETIME] = "datetime", [KQL_TIMESPAN] = "timespan",
    [KQL_GUID] = "guid",       [KQL_DYNAMIC] = "dynamic",
};

const char *kql_type_name(kql_type t) { return t < KQL_NTYPES ? TYPE_NAMES[t] : "unknown"; }

kql_type kql_type_parse(const char *p, size_t n) {
    static const struct {
        const char *name;
        kql_type t;
    } syn[] = {
        {"bool", KQL_BOOL},         {"boolean", KQL_BOOL},     {"int", KQL_INT},
        {"int32", KQL_INT},         {"long", KQL_LONG},        {"int64", KQL_LONG},
        {"real", KQL_REAL},         {"double", KQL_REAL},      {"decimal", KQL_DECIMAL},
        {"string", KQL_STRING},     {"datetime", KQL_DATETIME}, {"date", KQL_DATETIME},
        {"timespan", KQL_TIMESPAN}, {"time", KQL_TIMESPAN},    {"guid", KQL_GUID},
        {"uniqueid", KQL_GUID},     {"dynamic", KQL_DYNAMIC},
    };
    sp_str s = {p, n};
    for (size_t i = 0; i < SP_ARRAY_LEN(syn); i++)
        if (sp_str_eqc(s, syn[i].name)) return syn[i].t;
    return KQL_UNKNOWN;
}

bool kql_type_is_numeric(kql_type t) {
    return t == KQL_INT || t == KQL_LONG || t == KQL_REAL || t == KQL_DECIMAL;
}

void kql_col_get(const kql_col *c, size_t i, kql_value *out) {
    memset(out, 0, sizeof *out);
    out->type = c->type;
    size_t k = (c->flags & KQL_COL_CONST) ? 0 : i;
    if (c->type == KQL_STRING) {
        out->u.s = kql_col_str(c, i);
        return;
    }
    if (kql_col_isnull(c, i)) {
        out->null = true;
        return;
    }
    switch (c->type) {
    case KQL_BOOL: out->u.b = c->v.b[k] != 0; break;
    case KQL_INT: out->u.i = c->v.i32[k]; break;
    case KQL_LONG:
    case KQL_DATETIME:
    case KQL_TIMESPAN: out->u.i = c->v.i64[k]; break;
    case KQL_REAL:
    case KQL_DECIMAL: out->u.r = c->v.f64[k]; break;
    case KQL_GUID: out->u.g = c->v.g[k]; break;
    case KQL_DYNAMIC:
        out->u.d = c->v.d[k];
        if (!out->u.d || out->u.d->kind == KQL_DYN_NULL) out->null = true;
        break;
    default: out->null = true; break;
    }
}
