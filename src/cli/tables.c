/* Table files for `secpilot kql --table NAME=FILE` and KQL externaldata:
 * read through the store module's ingestion readers. */
#include "cli.h"
#include "secpilot/kql.h"
#include "secpilot/store.h"

int cli_load_table(struct kql_memdb *db, const char *name, const char *path, const struct kql_schema_set *schemas,
                   sp_err *err) {
    return store_load_memtable(db, name, path, schemas, err);
}

void cli_file_loader(struct kql_options *opt) {
    opt->file_loader = store_file_loader;
    opt->file_loader_ctx = NULL;
}
