/* SPDX-License-Identifier: Apache-2.0 */
/* The user's kdump configuration (configmap "kdump.conf"), in either
 * family's format: Debian's KEY=value (/etc/default/kdump-tools, sourced by
 * a shell) or the RHEL family's "directive value" lines (/etc/kdump.conf).
 * It is validated, and translated into the target's native format when it
 * came in the other one; a setting with no equivalent there is refused. */
#ifndef SKD_KDUMPCONF_H
#define SKD_KDUMPCONF_H

#include <stdbool.h>
#include <stddef.h>

#include <skyhook-kdump/backend.h>  /* enum skd_config_format */

/* Input limits: the whole text, and one line (without its line end). */
#define KDUMPCONF_MAX_SIZE (1024u * 1024u)
#define KDUMPCONF_MAX_LINE 4096u

struct kdump_setting {
	char *key;              /* as written: "KDUMP_COREDIR", "path" */
	char *value;            /* unquoted value */
	unsigned line;          /* 1-based line in the input */
};

struct kdump_config {
	int format;             /* enum skd_config_format, detected */
	char *text;             /* the input, normalised to LF line ends */
	struct kdump_setting *settings;
	size_t n_settings;
};

/* Detect the format and validate every line: unknown directives or keys,
 * shell expansion or command substitution in a KEY=value file, binary
 * data, NUL bytes, more than 1 MiB. -EINVAL with diag_set naming `what`
 * and the line. */
int kdumpconf_parse(const char *data, size_t len, const char *what,
                    struct kdump_config **ret);
void kdumpconf_free(struct kdump_config *c);

/* The file to install for `target_format`: the input text itself when it
 * is already native, else a translation. *ret_notes (may be NULL) gets one
 * line per translated setting ("path /var/crash -> KDUMP_COREDIR=/var/crash").
 * -EINVAL (diag naming `what` and the line) for a setting without an
 * equivalent on the target. */
int kdumpconf_render(const struct kdump_config *c, int target_format,
                     const char *what, char **ret_text, char **ret_notes);

/* True when the text carries credentials (FTP_PASSWORD, SSH key paths,
 * ...): such a file is written 0600. */
bool kdumpconf_has_secrets(const struct kdump_config *c);
/* A copy of `text` (in `format`) with secret values replaced by "****",
 * for logs and --dry-run output. */
char *kdumpconf_mask(const char *text, int format);
/* Whether one line (without its line end) sets a secret in either format;
 * [*ret_b, *ret_e) is then the value to hide. */
bool kdumpconf_line_secret(const char *line, size_t len, size_t *ret_b,
                           size_t *ret_e);

/* The local dump directory a native config text selects, or the default
 * when it sets none; NULL when dumps go to a remote target. Freed by the
 * caller.
 * KEY=value: KDUMP_COREDIR; NULL when NFS, SSH or FTP is set (with NFS the
 * directory is only a mount point). Directives: "path"; NULL when a dump
 * target (raw, nfs, ssh, a file system type, dracut_args --mount) is
 * given, since "path" is then relative to that target's file system, not
 * a directory of the root. NULL too when the text does not parse in
 * `format`. */
char *kdumpconf_dump_dir(const char *text, int format, const char *dflt);

/* The native file of a format: "/etc/default/kdump-tools" or
 * "/etc/kdump.conf". */
const char *kdumpconf_file(int format);
/* True for keys whose values are masked: FTP_PASSWORD, SSH_KEY, sshkey,
 * and any key containing PASSWORD, PASSWD, SECRET or TOKEN (any case). */
bool kdumpconf_is_secret_key(const char *key);

#endif
