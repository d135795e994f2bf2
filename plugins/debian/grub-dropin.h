/* SPDX-License-Identifier: Apache-2.0 */
/* Our drop-in in /etc/default/grub.d. It must sort after every drop-in
 * that may set crashkernel=: kdump-tools.cfg, Ubuntu's
 * 50-cloudimg-settings.cfg. Digits sort before letters in the C locale
 * that grub-mkconfig's glob uses, so the name starts with "zz-". */
#ifndef SKD_DEBIAN_GRUB_DROPIN_H
#define SKD_DEBIAN_GRUB_DROPIN_H

#include <stdbool.h>

#define GRUB_DROPIN_NAME "zz-skyhook-kdump.cfg"

/* The drop-in's content for a crashkernel value (already validated). */
int grub_dropin_text(const char *value, char **ret_text);
/* The value a drop-in we wrote carries; -SKD_E_INVALID when `text` has
 * no such line. */
int grub_dropin_value(const char *text, char **ret_value);
bool grub_dropin_is_ours(const char *path);
/* What the drop-in does to one variable when sourced: drop every
 * crashkernel= word, rejoin with single blanks, add crashkernel=VALUE
 * when value is not NULL. */
int grub_dropin_strip(const char *cmdline, const char *value, char **ret);

#endif
