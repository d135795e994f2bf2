/* SPDX-License-Identifier: Apache-2.0 */
/* skyhook-kdump: makes kernel crash dumps work on a node, as a Skyhook
 * package. See skyhook-kdump(8). */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "diag.h"
#include "lifecycle.h"

static const struct {
	const char *name;
	int (*run)(const struct cli *cli);
} commands[] = {
	{ "backends", cmd_backends },
	{ "validate", cmd_validate },
	{ "status", cmd_status },
	{ "estimate", cmd_estimate },
	{ "dumps", cmd_dumps },
};

int main(int argc, char **argv)
{
	struct cli cli;
	int e;

	setlocale(LC_ALL, "C");
	e = cli_parse(argc, argv, &cli);
	if (e >= 0)
		return e;
	if (lifecycle_is_mode(cli.command))
		return lifecycle_main(&cli);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, cli.command))
			return commands[i].run(&cli);
	/* cli_parse accepts no other command */
	return EXIT_BAD_INPUT;
}
