/* SPDX-License-Identifier: Apache-2.0 */
/* The capture kernel's command line and initrd as a family's kdump tool
 * builds them: from a shell variables file and fixed paths per release.
 * Every family's capture_cmdline and kdump_initrd are one call here. */
#ifndef SKD_PLUGIN_CAPTURE_H
#define SKD_PLUGIN_CAPTURE_H

#include <stdbool.h>

#include <skyhook-kdump/backend.h>

struct capture_vars {
	const char *path;               /* "/etc/default/kdump-tools" */
	const char *base_var;           /* "KDUMP_CMDLINE": empty or unset,
	                                   the running kernel's command line */
	const char *append_var;         /* "KDUMP_CMDLINE_APPEND" */
	const char *default_append;     /* what the tool appends otherwise */
	const char *default_from;       /* where that default comes from */
	bool default_while_unset;       /* the default applies whenever the
	                                   variable is unset or empty (set with
	                                   ${VAR:=...}); false: only while the
	                                   file is missing (the packaged file,
	                                   installed with the tool, sets it) */
};

/* The skd_backend.capture_cmdline answer for `v`. */
int capture_cmdline(const struct skd_host *h, const struct capture_vars *v,
                    char **ret_base, char **ret_base_from, char **ret_append,
                    char **ret_append_from);

/* The skd_backend.kdump_initrd answer: "<prefix><release><suffix>" for the
 * capture initrd and for the system initrd standing in for it. */
int capture_initrd(const struct skd_host *h, const char *kernel_release,
                   const char *const path[2], const char *const stand_in[2],
                   char **ret_path, char **ret_stand_in);

#endif
