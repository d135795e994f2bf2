/* SPDX-License-Identifier: Apache-2.0 */
/* kdumpctl's capture initrd, built by config before the reboot (ABI 1.5):
 * the RPM-family backends add these members after RPMFAMILY_OPS. */
#ifndef SKD_PLUGIN_RPM_INITRD_H
#define SKD_PLUGIN_RPM_INITRD_H

#include <skyhook-kdump/backend.h>

int rpmfamily_boot_kernel_release(const struct skd_host *h, char **ret_release,
                                  char **ret_basis);
int rpmfamily_kdump_initrd_stale(const struct skd_host *h, const char *release,
                                 char **ret_stale);
int rpmfamily_kdump_initrd_build(const struct skd_host *h, const char *release);

#define RPMFAMILY_INITRD_OPS \
	.boot_kernel_release = rpmfamily_boot_kernel_release, \
	.kdump_initrd_stale = rpmfamily_kdump_initrd_stale, \
	.kdump_initrd_build = rpmfamily_kdump_initrd_build

#endif
