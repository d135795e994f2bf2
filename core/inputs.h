/* SPDX-License-Identifier: Apache-2.0 */
/* The user's inputs, validated for the system at hand: the crashkernel
 * value with "auto" resolved to the distro default, what it reserves on
 * this machine, and the kdump configuration in the distro's format. */
#ifndef SKD_INPUTS_H
#define SKD_INPUTS_H

#include <stdbool.h>
#include <stdint.h>

struct configmaps;
struct context;
struct crashkernel;
struct kdump_config;

struct inputs {
	struct configmaps *cm;
	struct crashkernel *ck;         /* NULL: no crashkernel configmap */
	char *crashkernel;              /* normalised, auto resolved */
	bool ram_known;
	uint64_t ram;
	const char *ram_source;
	uint64_t reserve;               /* bytes, when ram_known */
	struct kdump_config *kc;        /* NULL: no kdump.conf configmap */
	char *kdump_conf;               /* native text to install */
	char *kdump_conf_notes;         /* translation notes, or NULL */
	bool kdump_conf_secret;
};

/* Configmaps folder for the cli: --configmaps, else $SKYHOOK_DIR/configmaps,
 * else NULL. Returned string is malloc'd. */
char *inputs_configmaps_dir(const char *option);
/* Read and parse what needs no system: exit code (2 on bad input). */
int inputs_read(const char *dir, struct inputs *in);
/* What needs the system: auto, RAM, the kdump.conf format. */
int inputs_resolve(struct inputs *in, struct context *c);
void inputs_clear(struct inputs *in);

#endif
