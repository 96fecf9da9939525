/* roster-cli.h: the subcommands (`roster import`, `export`, `add`, `list`…), with no window. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether @command ("import", "add"…) is one of the subcommands. */
gboolean roster_cli_handles (const char *command);
/* Runs `roster COMMAND ARGS…` (@argv[1] is the command) in this process,
 * with no display and no other instance involved; returns the exit status. */
int      roster_cli_run     (int         argc,
                             char      **argv);

G_END_DECLS
