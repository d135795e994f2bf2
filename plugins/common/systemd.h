/* SPDX-License-Identifier: Apache-2.0 */
/* Service operations for backends on systemd systems, through the host's
 * services only. Enablement is read from the unit files and their
 * .wants/.requires links (no process); the active state is asked of
 * systemd over D-Bus by the host when it can (ABI 1.1), else of
 * systemctl, and on an image root (SKD_HOST_IMAGE) is not active. */
#ifndef SKD_PLUGIN_SYSTEMD_H
#define SKD_PLUGIN_SYSTEMD_H

#include <stdbool.h>

#include <skyhook-kdump/backend.h>

int systemd_enable(const struct skd_host *h, const char *unit);
int systemd_disable(const struct skd_host *h, const char *unit);
int systemd_start(const struct skd_host *h, const char *unit);
int systemd_stop(const struct skd_host *h, const char *unit);
int systemd_restart(const struct skd_host *h, const char *unit);
int systemd_is_enabled(const struct skd_host *h, const char *unit, bool *ret);
int systemd_is_active(const struct skd_host *h, const char *unit, bool *ret);

#endif
