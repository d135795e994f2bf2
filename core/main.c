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
	if (!strcmp(cli.command, "backends"))
		return cmd_backends(&cli);
	/* cli_parse accepts no other command */
	return cmd_validate(&cli);
}
