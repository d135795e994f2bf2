/* SPDX-License-Identifier: Apache-2.0 */
/* The debian backend's parts: release detection and facts, packages (dpkg
 * and apt-get), the GRUB command line, and the kdump-tools defaults file. */
#ifndef SKD_DEBIAN_H
#define SKD_DEBIAN_H

#include <stdbool.h>

#include <skyhook-kdump/backend.h>

#define DEB_SERVICE "kdump-tools"
#define DEB_KDUMP_CONFIG "/etc/default/kdump-tools"

enum deb_family {
	DEB_FAMILY_DEBIAN,
	DEB_FAMILY_UBUNTU,
};

struct deb_release {
	enum deb_family family;
	bool derivative;        /* chosen through ID_LIKE */
	bool version_known;     /* major/minor parsed from VERSION_ID */
	int major, minor;
};

/* release.c */
int deb_release_detect(const struct skd_host *h, struct deb_release *ret);
const char *deb_default_crashkernel(const struct deb_release *rel);
int deb_init(const struct skd_host *h);
int deb_get_facts(const struct skd_host *h, struct skd_facts *ret);

/* dpkg.c */
int deb_packages_query(const struct skd_host *h, const char *const *names,
                       bool *ret_installed);
/* After apt-get unpacked: configure, run the pending triggers except
 * initramfs-tools' (all of them when a package waits for one). */
int deb_dpkg_finish(const struct skd_host *h);

/* apt.c */
int deb_command_failed(const struct skd_host *h, const char *what,
                       const struct skd_run_result *res);
int deb_packages_install(const struct skd_host *h, const char *const *names);
int deb_packages_remove(const struct skd_host *h, const char *const *names);

/* grub.c */
int deb_grub_get(const struct skd_host *h, char **ret_value);
int deb_grub_set(const struct skd_host *h, const char *value,
                 bool *ret_changed);
int deb_grub_remove(const struct skd_host *h, bool *ret_changed);
int deb_grub_regenerate(const struct skd_host *h);

/* kdump-tools.c */
int deb_kdump_ensure_enabled(const struct skd_host *h, bool *ret_changed);

#endif
