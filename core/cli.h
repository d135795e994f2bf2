/* SPDX-License-Identifier: Apache-2.0 */
/* Command line: the subcommand and the options, global and per command. */
#ifndef SKD_CLI_H
#define SKD_CLI_H

#include <stdbool.h>
#include <stdio.h>

#define MAX_BACKEND_DIRS 16

struct cli {
	const char *command;
	const char *root;               /* default "/" */
	const char *configmaps;         /* --configmaps, else $SKYHOOK_DIR/configmaps */
	const char *backend;            /* --backend NAME */
	const char *backend_dirs[MAX_BACKEND_DIRS + 1];
	int n_backend_dirs;
	bool dry_run;
	bool json;
	int verbosity;
	bool image;                     /* --image: root is not the running system */
	/* validate */
	const char *crashkernel;        /* --crashkernel VALUE */
	const char *memory;             /* --memory SIZE */
	/* status */
	bool prometheus;                /* --prometheus [FILE] */
	const char *prometheus_file;    /* FILE, NULL: stdout */
	/* dumps */
	const char *dumps_dir;          /* DIR, NULL: the configured one */
	bool prune;
	bool have_keep;
	unsigned long keep;             /* --keep N */
	char **args;                    /* remaining positional arguments */
	int n_args;
};

/* Fills `cli`; returns an exit code >= 0 when the program should stop
 * (after --help, --version, or a usage error), -1 to go on. */
int cli_parse(int argc, char **argv, struct cli *cli);
void cli_usage(FILE *out);

#endif
