/* SPDX-License-Identifier: Apache-2.0 */
/* The user's inputs: files in Skyhook's configmaps folder
 * ($SKYHOOK_DIR/configmaps or --configmaps). They are read without
 * following links and without blocking, as regular files only. */
#ifndef SKD_CONFIGMAPS_H
#define SKD_CONFIGMAPS_H

#include <stdbool.h>
#include <stddef.h>

#define CONFIGMAP_CRASHKERNEL "crashkernel"
#define CONFIGMAP_KDUMP_CONF "kdump.conf"

struct configmap_value {
	bool present;
	char *data;             /* NUL-terminated (may hold NULs inside) */
	size_t len;
};

struct configmaps {
	char *dir;              /* NULL when no folder was given or found */
	struct configmap_value crashkernel;
	struct configmap_value kdump_conf;
};

/* `dir` NULL: no configmaps at all (a valid state for checks that need
 * none). A missing folder is not an error; a key that is a symlink,
 * directory, FIFO, device, unreadable or too large is -EINVAL with a
 * diag naming it. */
int configmaps_read(const char *dir, struct configmaps **ret);
void configmaps_free(struct configmaps *cm);

#endif
