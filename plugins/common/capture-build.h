/* SPDX-License-Identifier: Apache-2.0 */
/* Building the capture initrd before the reboot (ABI 1.5): which kernel
 * boots next, whether a family's tools would build its initrd at service
 * start (missing, or older than an input), and a failed build worded with
 * the tool's last lines. Every family's boot_kernel_release,
 * kdump_initrd_stale and kdump_initrd_build is made of these. */
#ifndef SKD_PLUGIN_CAPTURE_BUILD_H
#define SKD_PLUGIN_CAPTURE_BUILD_H

#include <skyhook-kdump/backend.h>

/* The release of the kernel a GRUB menu boots first when `want` (a
 * GRUB_DEFAULT or saved_entry: a title, an id, "A>B") names no entry or
 * is NULL/"0": the first "linux" line, else that of the entry `want`
 * names; "vmlinuz-" or "vmlinux-" taken off the image's name. NULL when
 * the text has none (*ret_release malloc'd). */
int boot_release_from_grub_cfg(const char *text, const char *want,
                               char **ret_release);

/* The kernel a generated GRUB menu boots next: its `set default="X"`
 * (grub-mkconfig writes GRUB_DEFAULT there; "${saved_entry}" is read
 * from `grubenv`), else the first entry; without a menu the newest
 * /boot/vmlinuz-*. *ret_basis says which (both malloc'd; *ret_release
 * NULL when no kernel is found). */
int boot_release_from_grub(const struct skd_host *h, const char *cfg,
                           const char *grubenv, char **ret_release,
                           char **ret_basis);

/* The newest /boot/vmlinuz-* (version order), for a root with no boot
 * menu yet; NULL in *ret_release when there is none. */
int boot_release_newest(const struct skd_host *h, char **ret_release);

/* *ret_stale: NULL when `initrd` exists and no input (absolute paths,
 * NULL-terminated; a missing input is skipped) is newer, else one line
 * saying which. Compared to the nanosecond: kdumpctl compares whole
 * seconds ("stat -c %Y"), and would miss a change made within the second
 * of a build, which config then builds again (harmless, and the same on
 * every run). */
int initrd_stale_inputs(const struct skd_host *h, const char *initrd,
                        const char *const *inputs, char **ret_stale);

/* A build command that ran and failed: reported through h->error with
 * its exit status and the last lines of its output (stderr, else stdout),
 * joined with " | ". Returns the error code. */
int initrd_build_failed(const struct skd_host *h, const char *what,
                        const struct skd_run_result *res);

/* The last `n` non-empty lines of `s` joined with " | " (malloc'd). */
char *last_lines(const char *s, unsigned n);

#endif
