/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "diag.h"

static const char *const commands[] = {
	"apply", "apply-check", "config", "config-check",
	"post-interrupt-check", "uninstall", "uninstall-check",
	"upgrade", "upgrade-check", "status", "estimate", "dumps", "backends",
	"validate", NULL,
};

void cli_usage(FILE *out)
{
	fputs(
"Usage: skyhook-kdump [OPTIONS] COMMAND\n"
"\n"
"Makes kernel crash dumps (kdump) work on this node, as a Skyhook package.\n"
"\n"
"Lifecycle commands (the Skyhook modes):\n"
"  apply                 install the kdump packages, enable the service\n"
"  apply-check           packages present, service enabled\n"
"  config                set crashkernel in the bootloader, install kdump.conf\n"
"  config-check          bootloader and kdump config as desired\n"
"  post-interrupt-check  after the reboot: crash kernel reserved and loaded\n"
"  uninstall             reverse exactly what apply and config changed\n"
"  uninstall-check       nothing of ours is left\n"
"  upgrade               move state of an older version forward\n"
"  upgrade-check         state is current\n"
"Operator commands (read-only, except dumps --prune):\n"
"  status                will a panic now leave a vmcore? armed or not, and why\n"
"  status --prometheus [FILE]\n"
"                        the same as Prometheus metrics, written atomically\n"
"                        to FILE (node_exporter's textfile collector)\n"
"  estimate              the crashkernel size this machine needs, and why\n"
"  dumps [DIR]           the crash dumps in the dump directory\n"
"  dumps --prune --keep N [DIR]\n"
"                        remove all but the newest N dumps\n"
"Other commands:\n"
"  backends              list the backends found and the one this system uses\n"
"  validate              check the inputs and show what crashkernel reserves\n"
"\n"
"Options:\n"
"  --root DIR            manage the system below DIR (default /)\n"
"  --image               DIR is an image or chroot, not the running system\n"
"  --configmaps DIR      the inputs (default $SKYHOOK_DIR/configmaps)\n"
"  --backend NAME        use this backend instead of the os-release match\n"
"  --backend-dir DIR     look for backends in DIR too (repeatable)\n"
"  --dry-run             print file changes as diffs and the commands;\n"
"                        change nothing\n"
"  --json                machine-readable output\n"
"  -v, --verbose         more output (twice: debug)\n"
"  -h, --help            this text\n"
"  -V, --version         the version\n"
"validate and estimate options:\n"
"  --crashkernel VALUE   validate this value instead of the configmap\n"
"  --memory SIZE         compute for this much RAM instead of this machine's\n"
"\n"
"Inputs (files in the configmaps folder): crashkernel (256M, 512M, 1G, auto,\n"
"or any kernel crashkernel= syntax), kdump.conf (optional; either the\n"
"KEY=value format of kdump-tools or the directives of /etc/kdump.conf).\n"
"\n"
"Exit status:\n"
"  0  success\n"
"  1  a check found the system not in the desired state (the output says what)\n"
"  2  bad input (the output names it); nothing was changed\n"
"  3  unsupported system or no usable backend\n"
"  4  an operation failed (the output names the step)\n"
"\n"
"status exits 0 only when the node is armed (with or without warnings).\n"
"\n"
"Environment: SKYHOOK_DIR, SKYHOOK_KDUMP_BACKEND_PATH (more backend\n"
"directories, colon-separated), APT_ALLOW_INDEX_FAILURE,\n"
"SKYHOOK_KDUMP_PROMETHEUS_FILE (the check modes refresh this metrics file).\n"
"See skyhook-kdump(8).\n", out);
}

enum {
	OPT_ROOT = 256, OPT_CONFIGMAPS, OPT_BACKEND, OPT_BACKEND_DIR,
	OPT_DRY_RUN, OPT_JSON, OPT_CRASHKERNEL, OPT_MEMORY, OPT_IMAGE,
	OPT_PROMETHEUS, OPT_PRUNE, OPT_KEEP,
};

static const struct option options[] = {
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "image", no_argument, NULL, OPT_IMAGE },
	{ "configmaps", required_argument, NULL, OPT_CONFIGMAPS },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "backend-dir", required_argument, NULL, OPT_BACKEND_DIR },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "crashkernel", required_argument, NULL, OPT_CRASHKERNEL },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "prometheus", no_argument, NULL, OPT_PROMETHEUS },
	{ "prune", no_argument, NULL, OPT_PRUNE },
	{ "keep", required_argument, NULL, OPT_KEEP },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int parse_count(const char *s, unsigned long *ret)
{
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*ret = strtoul(s, &end, 10);
	if (errno || *end || *ret > 1000000)
		return -1;
	return 0;
}

static bool is(const struct cli *cli, const char *command)
{
	return !strcmp(cli->command, command);
}

/* Positional arguments and the options that go with one command only. */
static int check_command_options(struct cli *cli)
{
	const char *extra = cli->n_args > 0 ? cli->args[0] : NULL;

	if (is(cli, "status") && cli->prometheus && cli->n_args <= 1) {
		cli->prometheus_file = extra;
		extra = NULL;
	} else if (is(cli, "dumps") && cli->n_args <= 1) {
		cli->dumps_dir = extra;
		extra = NULL;
	}
	if (extra) {
		fprintf(stderr, "skyhook-kdump: %s: unexpected argument '%s'\n",
		        cli->command, extra);
		return EXIT_BAD_INPUT;
	}
	if ((cli->crashkernel || cli->memory) && !is(cli, "validate") && !is(cli, "estimate")) {
		fprintf(stderr, "skyhook-kdump: --crashkernel and --memory go with 'validate' and 'estimate'\n");
		return EXIT_BAD_INPUT;
	}
	if (cli->prometheus && !is(cli, "status")) {
		fprintf(stderr, "skyhook-kdump: --prometheus goes with 'status'\n");
		return EXIT_BAD_INPUT;
	}
	if (cli->prometheus && cli->json) {
		fprintf(stderr, "skyhook-kdump: status: --prometheus and --json exclude each other\n");
		return EXIT_BAD_INPUT;
	}
	if ((cli->prune || cli->have_keep) && !is(cli, "dumps")) {
		fprintf(stderr, "skyhook-kdump: --prune and --keep go with 'dumps'\n");
		return EXIT_BAD_INPUT;
	}
	if (cli->prune != cli->have_keep) {
		fprintf(stderr, "skyhook-kdump: dumps: --prune needs --keep N, and --keep goes with --prune\n");
		return EXIT_BAD_INPUT;
	}
	return -1;
}

static bool known_command(const char *c)
{
	for (const char *const *p = commands; *p; p++)
		if (!strcmp(*p, c))
			return true;
	return false;
}

int cli_parse(int argc, char **argv, struct cli *cli)
{
	int c;

	memset(cli, 0, sizeof(*cli));
	cli->root = "/";
	opterr = 0;
	while ((c = getopt_long(argc, argv, "vhV", options, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: cli->root = optarg; break;
		case OPT_IMAGE: cli->image = true; break;
		case OPT_CONFIGMAPS: cli->configmaps = optarg; break;
		case OPT_BACKEND: cli->backend = optarg; break;
		case OPT_BACKEND_DIR:
			if (cli->n_backend_dirs == MAX_BACKEND_DIRS) {
				fprintf(stderr, "skyhook-kdump: at most %d --backend-dir options\n",
				        MAX_BACKEND_DIRS);
				return EXIT_BAD_INPUT;
			}
			cli->backend_dirs[cli->n_backend_dirs++] = optarg;
			break;
		case OPT_DRY_RUN: cli->dry_run = true; break;
		case OPT_JSON: cli->json = true; break;
		case OPT_CRASHKERNEL: cli->crashkernel = optarg; break;
		case OPT_MEMORY: cli->memory = optarg; break;
		case OPT_PROMETHEUS: cli->prometheus = true; break;
		case OPT_PRUNE: cli->prune = true; break;
		case OPT_KEEP:
			if (parse_count(optarg, &cli->keep) < 0) {
				fprintf(stderr, "skyhook-kdump: --keep '%s': not a number of dumps\n", optarg);
				return EXIT_BAD_INPUT;
			}
			cli->have_keep = true;
			break;
		case 'v': cli->verbosity++; break;
		case 'h': cli_usage(stdout); return EXIT_OK;
		case 'V': printf("skyhook-kdump %s\n", PACKAGE_VERSION); return EXIT_OK;
		default:
			if (optopt)
				fprintf(stderr, "skyhook-kdump: option '-%c' is unknown or needs a value; see --help\n", optopt);
			else
				fprintf(stderr, "skyhook-kdump: option '%s' is unknown or needs a value; see --help\n",
				        argv[optind - 1]);
			return EXIT_BAD_INPUT;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "skyhook-kdump: no command given; see --help\n");
		return EXIT_BAD_INPUT;
	}
	cli->command = argv[optind++];
	if (!known_command(cli->command)) {
		fprintf(stderr, "skyhook-kdump: unknown command '%s'; see --help\n", cli->command);
		return EXIT_BAD_INPUT;
	}
	cli->args = argv + optind;
	cli->n_args = argc - optind;
	return check_command_options(cli);
}
