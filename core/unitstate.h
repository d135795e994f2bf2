/* SPDX-License-Identifier: Apache-2.0 */
/* A systemd unit's ActiveState from the running system's service manager
 * over D-Bus, without spawning a process. libsystemd is opened only when
 * the question is asked, so other commands never load it. */
#ifndef SKD_UNITSTATE_H
#define SKD_UNITSTATE_H

#include <stdbool.h>

/* "kdump-tools.service" -> "active", "inactive", "failed", ... (malloc'd).
 * -ENOTSUP when built without sd-bus, libsystemd.so.0 is missing, or there
 * is no system bus (no systemd running); another negative errno when the
 * call failed. */
int unitstate_get(const char *unit, char **ret_state);
/* Built with sd-bus and systemd is the running manager (sd_booted()'s
 * test: /run/systemd/system exists); cheap, opens no library. */
bool unitstate_available(void);

#endif
