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
int deb_init(const struct skd_host *h);
int deb_get_facts(const struct skd_host *h, struct skd_facts *ret);

/* auto.c: the value kdump-tools' drop-in has for this release and the
 * node's architecture (platform.arch; amd64 when unknown), the package
 * file it comes from and the Debian architecture (both may be NULL). */
const char *deb_auto_table(const struct skd_host *h, const struct deb_release *rel,
                           const char **ret_file, const char **ret_arch);
int deb_auto_crashkernel(const struct skd_host *h, uint32_t flags,
                         char **ret_value, char **ret_basis);

/* dpkg.c */
int deb_packages_query(const struct skd_host *h, const char *const *names,
                       bool *ret_installed);
/* The Version of `name` when it is installed (*ret_version malloc'd), else
 * NULL; a database that cannot be read is returned (-ENOENT) without a
 * report. */
int deb_package_version(const struct skd_host *h, const char *name,
                        char **ret_version);
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
/* ABI 1.4, read-only: what deb_grub_set(value) would still change, and
 * the value configured by others that our drop-in overrides. */
int deb_grub_check(const struct skd_host *h, const char *value,
                   char **ret_drift);
int deb_grub_others(const struct skd_host *h, char **ret_value,
                    char **ret_where);

/* kdump-tools.c */
int deb_kdump_ensure_enabled(const struct skd_host *h, bool *ret_changed);
/* ABI 1.4: the USE_KDUMP= line deb_kdump_ensure_enabled looks at. */
int deb_kdump_is_enabled(const struct skd_host *h, bool *ret_enabled,
                         char **ret_basis);

/* kdump-tools-decide.c: what kdump-config decides on the node (ABI 1.3). */
int deb_kexec_syscall(const struct skd_host *h, bool secure_boot,
                      const char **ret_syscall, char **ret_basis);
int deb_capture_cmdline(const struct skd_host *h, char **ret_base,
                        char **ret_base_from, char **ret_append,
                        char **ret_append_from);
int deb_kdump_initrd(const struct skd_host *h, const char *kernel_release,
                     char **ret_path, char **ret_stand_in);

/* kdump-tools-initrd.c: the capture initrd built before the reboot (ABI
 * 1.5). */
int deb_boot_kernel_release(const struct skd_host *h, char **ret_release,
                            char **ret_basis);
int deb_kdump_initrd_stale(const struct skd_host *h, const char *release,
                           char **ret_stale);
int deb_kdump_initrd_build(const struct skd_host *h, const char *release);

#endif
