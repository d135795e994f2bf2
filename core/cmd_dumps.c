/* SPDX-License-Identifier: Apache-2.0 */
/* PLACEHOLDER until written */
#include "config.h"
#include "commands.h"
#include "diag.h"
int cmd_dumps(const struct cli *cli)
{
	(void)cli;
	return EXIT_OP_FAILED;
}
