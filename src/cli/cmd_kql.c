/* secpilot kql: run, check or explain a KQL query over a store or files. */
#include "cli.h"

int cmd_kql(int argc, char **argv) {
    cli_common common;
    cli_args a;
    cli_args_init(&a, argc, argv, &common);
    while (cli_next(&a)) {
    }
    return cli_error("kql: the engine is being built");
}
