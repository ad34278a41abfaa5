/* JSON for configuration, contracts and API bodies, through jansson, with a
 * size cap and errors that carry the line and column of the problem. */
#include "secpilot/base.h"

#include <jansson.h>
#include <stdlib.h>

#define SP_JSON_MAX_BYTES (256u * 1024 * 1024)

json_t *sp_json_parse(const char *p, size_t n, sp_err *err) {
    if (n > SP_JSON_MAX_BYTES) {
        sp_err_set(err, SP_ERR_LIMIT, "too_large", 0, 0, "JSON text of %zu bytes exceeds the %u byte cap",
                   n, SP_JSON_MAX_BYTES);
        return NULL;
    }
    json_error_t je;
    json_t *j = json_loadb(p, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (!j) sp_err_set(err, SP_ERR_SYNTAX, "bad_json", je.line, je.column, "invalid JSON: %s", je.text);
    return j;
}

json_t *sp_json_load_file(const char *path, sp_err *err) {
    size_t n;
    char *data = sp_read_file(path, SP_JSON_MAX_BYTES, &n, err);
    if (!data) return NULL;
    json_t *j = sp_json_parse(data, n, err);
    free(data);
    return j;
}

char *sp_json_dump(const json_t *j, bool pretty) {
    size_t flags = JSON_ENCODE_ANY | (pretty ? JSON_INDENT(2) : JSON_COMPACT);
    char *s = json_dumps(j, flags);
    if (!s) sp_oom();
    return s;
}
