/* Table files for `secpilot kql --table NAME=FILE` and KQL externaldata:
 * read through the ingestion readers of the store module. */
#include "cli.h"
#include "secpilot/kql.h"

int cli_load_table(struct kql_memdb *db, const char *name, const char *path, const struct kql_schema_set *schemas,
                   sp_err *err) {
    (void)db, (void)name, (void)schemas;
    return sp_err_set(err, SP_ERR_USAGE, "unavailable", 0, 0, "reading %s needs the ingestion readers, which this build lacks",
                      path);
}

void cli_file_loader(struct kql_options *opt) { (void)opt; }
