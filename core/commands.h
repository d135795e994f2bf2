/* SPDX-License-Identifier: Apache-2.0 */
/* The commands besides the lifecycle modes; each returns an exit code. */
#ifndef SKD_COMMANDS_H
#define SKD_COMMANDS_H

struct cli;

int cmd_backends(const struct cli *cli);
int cmd_validate(const struct cli *cli);
int cmd_status(const struct cli *cli);      /* cmd_status.c */
int cmd_estimate(const struct cli *cli);    /* cmd_estimate.c */
int cmd_dumps(const struct cli *cli);       /* cmd_dumps.c */

#endif
