/* SPDX-License-Identifier: Apache-2.0 */
/* kdumpctl's "auto_reset_crashkernel" directive in /etc/kdump.conf (EL9+,
 * Fedora 36+). Unless it says "no", every kexec-tools/kdump-utils update
 * and every new kernel get kdumpctl's default crashkernel= back, which
 * would undo a custom value. Pure text functions: the directive is turned
 * off with a marker comment that keeps the original line, so the change can
 * be undone exactly. */
#ifndef SKD_PLUGIN_AUTORESET_H
#define SKD_PLUGIN_AUTORESET_H

#include <stdbool.h>

#define AUTORESET_DIRECTIVE "auto_reset_crashkernel"
#define AUTORESET_MARKER "# skyhook-kdump keeps a custom crashkernel=; was: "

/* True when the text names the directive at all (a kdump.conf shipped by
 * a kdumpctl that knows it documents it in a comment). */
bool autoreset_known(const char *text);
/* Effective setting is "no". */
bool autoreset_is_off(const char *text);
/* keep_custom: make the effective setting "no" (the first directive line
 * is replaced by the marker and "auto_reset_crashkernel no", later ones are
 * dropped; with none, both lines are appended). !keep_custom: undo that,
 * putting the original line back; text without the marker is unchanged. */
int autoreset_edit(const char *text, bool keep_custom, char **ret_text,
                   bool *ret_changed);

#endif
