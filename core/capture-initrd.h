/* SPDX-License-Identifier: Apache-2.0 */
/* The capture initrd of the kernel that boots next (ABI 1.5): which
 * kernel that is, whether the tools would build its initrd when their
 * service starts (config builds it before the reboot instead), and
 * whether what the capture kernel needs fits the reservation. */
#ifndef SKD_CAPTURE_INITRD_H
#define SKD_CAPTURE_INITRD_H

#include <stdbool.h>
#include <stdint.h>

struct context;

/* True when the backend builds the capture initrd (ABI 1.5). */
bool capture_initrd_supported(const struct context *c);

/* The kernel the bootloader boots next as the backend reads it, else
 * the running one; *ret_basis says which (both malloc'd). The backend's
 * failure is returned (diag_message set). */
int capture_initrd_release(struct context *c, char **ret_release, char **ret_basis);

/* NULL in *ret_stale when the tools would only load the initrd. */
int capture_initrd_stale(struct context *c, const char *release, char **ret_stale);

/* What the capture kernel of `release` needs against `reserve` bytes
 * (what the configured value reserves on this node). */
struct capture_fit {
	bool known;             /* the estimate could be made */
	uint64_t boot;          /* the kernel and its initrd, measured */
	uint64_t needed;        /* boot + the estimate's allowances */
	char *parts;            /* "kernel 12M + initrd 3 x 30M + ..." */
};
void capture_initrd_fit(struct context *c, const char *release, uint64_t ram,
                        const char *ram_source, struct capture_fit *ret);
void capture_fit_clear(struct capture_fit *f);

#endif
