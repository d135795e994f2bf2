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

/* kdumpctl's rules for "auto" as a release ships them (rpm-auto.c). */
struct rpm_auto {
	const char *x86_64;             /* base tables; NULL: none known */
	const char *aarch64;
	bool arm64_deltas;              /* 64K/SMMU/mlx5 (2.0.26-7 and later) */
	bool sme_delta;                 /* +64M under SME/SEV (2.0.27-4 and later) */
	bool ask;                       /* its kdumpctl has get-default-crashkernel
	                                   (2.0.23-2 and later): asked on the node,
	                                   and a failure fails */
	const char *source;             /* the tool's version and where it
	                                   ships, for the basis */
};

struct rpm_release {
	const char *package_manager;    /* "yum" or "dnf" */
	const char *const *packages;    /* NULL-terminated */
	const struct rpm_auto *auto_rules;
	const char *default_crashkernel; /* the rules on this node, without
	                                    asking kdumpctl (rpmfamily_use) */
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
/* Install the release description (copied) for the operations below;
 * its default_crashkernel is computed for this node's platform. */
int rpmfamily_use(const struct skd_host *h, const struct rpm_release *rel);
/* "auto" by the release's rules on this node, with the basis. */
int rpmfamily_auto_table(const struct skd_host *h, const struct rpm_auto *a,
                         char **ret_value, char **ret_basis);
void rpmfamily_fini(const struct skd_host *h);
int rpmfamily_auto_crashkernel(const struct skd_host *h, uint32_t flags,
                               char **ret_value, char **ret_basis);

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
/* ABI 1.4, read-only counterparts of ensure_enabled and bootloader_set. */
int rpmfamily_kdump_config_is_enabled(const struct skd_host *h,
                                      bool *ret_enabled, char **ret_basis);
int rpmfamily_bootloader_check(const struct skd_host *h, const char *value,
                               char **ret_drift);

/* The vtable members every RPM-family backend shares; the vendor file
 * adds SKD_BACKEND_HEADER and init. */
#define RPMFAMILY_OPS \
	.fini = rpmfamily_fini, \
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
	.kdump_config_prepare = rpmfamily_kdump_config_prepare, \
	.auto_crashkernel = rpmfamily_auto_crashkernel, \
	.kexec_syscall = rpmfamily_kexec_syscall, \
	.capture_cmdline = rpmfamily_capture_cmdline, \
	.kdump_initrd = rpmfamily_kdump_initrd, \
	.kdump_config_is_enabled = rpmfamily_kdump_config_is_enabled, \
	.bootloader_check_crashkernel = rpmfamily_bootloader_check

int rpmfamily_kdump_config_prepare(const struct skd_host *h,
                                   const char *crashkernel, const char *text,
                                   char **ret_text);

/* rpm-decide.c: what kdumpctl decides on the node (ABI 1.3). */
int rpmfamily_kexec_syscall(const struct skd_host *h, bool secure_boot,
                            const char **ret_syscall, char **ret_basis);
int rpmfamily_capture_cmdline(const struct skd_host *h, char **ret_base,
                              char **ret_base_from, char **ret_append,
                              char **ret_append_from);
int rpmfamily_kdump_initrd(const struct skd_host *h, const char *kernel_release,
                           char **ret_path, char **ret_stand_in);

/* Internal to the rpmfamily sources. */
const struct rpm_release *rpmfamily_release(const struct skd_host *h);
/* Run argv; a start failure or a non-zero exit is reported through
 * h->error (naming the command and its last stderr line) and returned as
 * an error. *ret (may be NULL) gets the output on success. */
int rpmfamily_run(const struct skd_host *h, const char *const *argv,
                  uint32_t flags, struct skd_run_result *ret);
/* Make kdumpctl leave a custom crashkernel alone (value not the
 * node's default) or undo that (value NULL or the default), in
 * /etc/kdump.conf when it exists and its kdumpctl knows the directive. */
int rpmfamily_autoreset_sync(const struct skd_host *h, const char *value,
                             bool *ret_changed);

#endif
