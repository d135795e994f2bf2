/* SPDX-License-Identifier: Apache-2.0 */
/* The Skyhook modes. The core owns the order: validate every input, probe
 * the system, then act through the backend, recording what changed. */
#ifndef SKD_LIFECYCLE_H
#define SKD_LIFECYCLE_H

#include <stdbool.h>
#include <stdint.h>

struct cli;

bool lifecycle_is_mode(const char *command);
/* Runs one mode; returns the exit code. */
int lifecycle_main(const struct cli *cli);

#endif
