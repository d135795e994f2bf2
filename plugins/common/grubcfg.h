/* SPDX-License-Identifier: Apache-2.0 */
/* The generated GRUB configuration of releases without BLS (EL7, Amazon
 * Linux 2): which grub.cfg the firmware reads, and the crashkernel= of its
 * menu entries' "linux" lines (read by every backend that finds the kernel
 * of grub.cfg's default entry). */
#ifndef SKD_PLUGIN_GRUBCFG_H
#define SKD_PLUGIN_GRUBCFG_H

#include <stdbool.h>

#include <skyhook-kdump/backend.h>

#define GRUBCFG_BIOS "/boot/grub2/grub.cfg"

/* The grub.cfg grub2-mkconfig must write: the vendor's EFI directory
 * (/boot/efi/EFI/<efi_dir>, or the one non-BOOT directory holding a
 * grub.cfg when efi_dir is NULL or missing) on a system booted through
 * EFI (/sys/firmware/efi), else /boot/grub2/grub.cfg. An EFI file that
 * only chains to another configuration (a stub) is never chosen. An image
 * root with no /sys/firmware/efi uses whichever of the two exists,
 * preferring BIOS. */
int grubcfg_path(const struct skd_host *h, const char *efi_dir,
                 char **ret_path);

struct grubcfg_kernels {
	unsigned n;             /* "linux" lines seen */
	unsigned n_with;        /* ... carrying crashkernel= */
	unsigned n_equal;       /* ... whose last crashkernel= equals value */
	char *first;            /* crashkernel of the first entry, or NULL */
};

/* When `line` (leading blanks allowed) is a linux, linux16 or linuxefi
 * command with arguments: where its arguments start (the kernel image,
 * then its command line); else NULL. */
const char *grubcfg_linux_args(const char *line);

/* Summary of the linux/linux16/linuxefi lines of a grub.cfg text, compared
 * with `value` (may be NULL). */
int grubcfg_scan(const char *text, const char *value,
                 struct grubcfg_kernels *ret);

#endif
