/* Time zones: IANA zones read from the system's tz database (TZDIR or
 * /usr/share/zoneinfo), cached for the process. */
#ifndef SECPILOT_KQL_TZ_H
#define SECPILOT_KQL_TZ_H

#include "kql_int.h"

typedef struct kql_tz kql_tz;
/* The zone named like "America/Los_Angeles", "Europe/Paris", "UTC"; NULL when
 * the name is not a zone of the database (or not a safe path). */
const kql_tz *kql_tz_find(const char *name, size_t n);
/* Seconds east of UTC in force at a UTC instant (seconds since the epoch). */
int32_t kql_tz_offset_utc(const kql_tz *z, int64_t utc_secs);
/* Seconds east of UTC for a local wall time (seconds since the epoch). */
int32_t kql_tz_offset_local(const kql_tz *z, int64_t local_secs);

#endif
