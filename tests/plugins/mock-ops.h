/* SPDX-License-Identifier: Apache-2.0 */
/* The mock distribution shared by the mock backends. Its whole state lives
 * in files of the managed root, reached only through the host services:
 *   /var/lib/mock/installed          installed packages, one per line
 *   /etc/mock/crashkernel            the bootloader's crashkernel= value
 *   /boot/mock/grub.cfg              written by bootloader_regenerate
 *   /var/lib/mock/service-enabled    exists while the service is enabled
 *   /var/lib/mock/service-active     exists while the service runs
 *   /etc/default/mock-kdump          "USE_KDUMP=1" after ensure_enabled
 * None of these symbols is exported (-fvisibility=hidden). */
#ifndef SKD_MOCK_OPS_H
#define SKD_MOCK_OPS_H

#include <skyhook-kdump/backend.h>

int mock_init(const struct skd_host *h);
int mock_get_facts(const struct skd_host *h, struct skd_facts *ret);
int mock_packages_query(const struct skd_host *h, const char *const *names,
                        bool *ret_installed);
int mock_packages_install(const struct skd_host *h, const char *const *names);
int mock_packages_remove(const struct skd_host *h, const char *const *names);
int mock_bootloader_get_crashkernel(const struct skd_host *h, char **ret_value);
int mock_bootloader_set_crashkernel(const struct skd_host *h, const char *value,
                                    bool *ret_changed);
int mock_bootloader_remove_crashkernel(const struct skd_host *h,
                                       bool *ret_changed);
int mock_bootloader_regenerate(const struct skd_host *h);
int mock_service_enable(const struct skd_host *h);
int mock_service_disable(const struct skd_host *h);
int mock_service_start(const struct skd_host *h);
int mock_service_stop(const struct skd_host *h);
int mock_service_is_enabled(const struct skd_host *h, bool *ret);
int mock_service_is_active(const struct skd_host *h, bool *ret);
int mock_kdump_config_ensure_enabled(const struct skd_host *h,
                                     bool *ret_changed);

#endif
