/* SPDX-License-Identifier: Apache-2.0 */
/* The backend operations shared by the RPM family (RHEL and rebuilds,
 * Amazon Linux, Fedora): yum/dnf through rpm queries, the crashkernel=
 * through grubby and the BLS entries or through /etc/default/grub and
 * grub2-mkconfig, kdumpctl's auto_reset_crashkernel, the "kdump" service.
 * A thin vendor file per backend decides, in its init(), what the release
 * is (struct rpm_release) and hands it over with rpmfamily_use(). */
#ifndef SKD_PLUGIN_RPMFAMILY_H
#define SKD_PLUGIN_RPMFAMILY_H

#include <stdbool.h>

#include <skyhook-kdump/backend.h>

enum rpm_boot {
	RPM_BOOT_MKCONFIG = 1,  /* /etc/default/grub + grub2-mkconfig (EL7, AL2) */
	RPM_BOOT_BLS,           /* grubby edits /boot/loader/entries */
};

struct rpm_release {
	const char *package_manager;    /* "yum" or "dnf" */
	const char *const *packages;    /* NULL-terminated */
	const char *default_crashkernel;
	const char *bootloader_method;
	enum rpm_boot boot;
	const char *grub_var;           /* variable of /etc/default/grub */
	bool kernel_cmdline;            /* keep /etc/kernel/cmdline (EL9+) */
	bool auto_reset;                /* kdumpctl has auto_reset_crashkernel */
	const char *efi_dir;            /* /boot/efi/EFI/<efi_dir>; NULL: find */
};

#define RPM_SERVICE "kdump"
#define RPM_KDUMP_CONF "/etc/kdump.conf"

/* Major number of an os-release VERSION_ID ("9.4" -> 9). -EINVAL unless
 * it starts with a digit. */
int rpmfamily_version_major(const char *version_id, unsigned *ret);
/* The vendor directory under /boot/efi/EFI for an os-release ID, or NULL. */
const char *rpmfamily_efi_dir(const char *os_id);
/* Install the release description (copied) for the operations below. */
void rpmfamily_use(const struct rpm_release *rel);

int rpmfamily_get_facts(const struct skd_host *h, struct skd_facts *ret);
int rpmfamily_packages_query(const struct skd_host *h,
                             const char *const *names, bool *ret_installed);
int rpmfamily_packages_install(const struct skd_host *h,
                               const char *const *names);
int rpmfamily_packages_remove(const struct skd_host *h,
                              const char *const *names);
int rpmfamily_bootloader_get(const struct skd_host *h, char **ret_value);
int rpmfamily_bootloader_set(const struct skd_host *h, const char *value,
                             bool *ret_changed);
int rpmfamily_bootloader_remove(const struct skd_host *h, bool *ret_changed);
int rpmfamily_bootloader_regenerate(const struct skd_host *h);
int rpmfamily_service_enable(const struct skd_host *h);
int rpmfamily_service_disable(const struct skd_host *h);
int rpmfamily_service_start(const struct skd_host *h);
int rpmfamily_service_stop(const struct skd_host *h);
int rpmfamily_service_restart(const struct skd_host *h);
int rpmfamily_service_is_enabled(const struct skd_host *h, bool *ret);
int rpmfamily_service_is_active(const struct skd_host *h, bool *ret);
int rpmfamily_kdump_config_ensure_enabled(const struct skd_host *h,
                                          bool *ret_changed);

/* The vtable members every RPM-family backend shares; the vendor file
 * adds SKD_BACKEND_HEADER and init. */
#define RPMFAMILY_OPS \
	.get_facts = rpmfamily_get_facts, \
	.packages_query = rpmfamily_packages_query, \
	.packages_install = rpmfamily_packages_install, \
	.packages_remove = rpmfamily_packages_remove, \
	.bootloader_get_crashkernel = rpmfamily_bootloader_get, \
	.bootloader_set_crashkernel = rpmfamily_bootloader_set, \
	.bootloader_remove_crashkernel = rpmfamily_bootloader_remove, \
	.bootloader_regenerate = rpmfamily_bootloader_regenerate, \
	.service_enable = rpmfamily_service_enable, \
	.service_disable = rpmfamily_service_disable, \
	.service_start = rpmfamily_service_start, \
	.service_stop = rpmfamily_service_stop, \
	.service_restart = rpmfamily_service_restart, \
	.service_is_enabled = rpmfamily_service_is_enabled, \
	.service_is_active = rpmfamily_service_is_active, \
	.kdump_config_ensure_enabled = rpmfamily_kdump_config_ensure_enabled, \
	.kdump_config_prepare = rpmfamily_kdump_config_prepare

int rpmfamily_kdump_config_prepare(const struct skd_host *h,
                                   const char *crashkernel, const char *text,
                                   char **ret_text);

/* Internal to the rpmfamily sources. */
const struct rpm_release *rpmfamily_release(const struct skd_host *h);
/* Run argv; a start failure or a non-zero exit is reported through
 * h->error (naming the command and its last stderr line) and returned as
 * an error. *ret (may be NULL) gets the output on success. */
int rpmfamily_run(const struct skd_host *h, const char *const *argv,
                  uint32_t flags, struct skd_run_result *ret);
/* Make kdumpctl leave a custom crashkernel alone (value not the
 * release's default) or undo that (value NULL or the default), in
 * /etc/kdump.conf when it exists and its kdumpctl knows the directive. */
int rpmfamily_autoreset_sync(const struct skd_host *h, const char *value,
                             bool *ret_changed);

#endif
