/* Logging to stderr with a level threshold; the only place base writes to a
 * stream on its own. */
#include "secpilot/base.h"

#include <stdio.h>

static sp_log_level g_level = SP_LOG_WARN;

void sp_log_set_level(sp_log_level l) { g_level = l; }

void sp_log(sp_log_level l, const char *fmt, ...) {
    if (l < g_level) return;
    static const char *names[] = {"debug", "info", "warning", "error"};
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "secpilot: %s: ", names[l]);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
