/* SPDX-License-Identifier: Apache-2.0 */
/* kdumpconf_dump_dir(): the local directory a native kdump configuration
 * saves dumps to. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "kdumpconf.h"
#include "kdumpconf-internal.h"

/* ---- dump directory ----------------------------------------------------------- */

static char *dump_dir_of(const struct kdump_config *c, const char *dflt)
{
	const char *dir = NULL;

	if (c->format == SKD_CONFIG_SHELL_VARS) {
		if (effective(c, "NFS") || effective(c, "SSH") || effective(c, "FTP"))
			return NULL;
		dir = effective(c, "KDUMP_COREDIR");
	} else {
		for (size_t i = 0; i < c->n_settings; i++) {
			/* with a target, path is relative to a file system
			 * that is not the root's: no local directory to name */
			if (is_target(c->settings[i].key, c->settings[i].value))
				return NULL;
			if (strcmp(c->settings[i].key, "path") == 0)
				dir = c->settings[i].value;
		}
	}
	if (!dir)
		dir = dflt;
	return dir ? strdup(dir) : NULL;
}

/* Only comments and blank lines: the distribution's defaults apply. */
static bool has_setting_lines(const char *text)
{
	for (const char *l = text; *l; ) {
		size_t n = strcspn(l, "\n");
		const char *p = skip_blanks(l);
		if (p < l + n && *p != '#' && *p != '\r')
			return true;
		l += n;
		if (*l)
			l++;
	}
	return false;
}

char *kdumpconf_dump_dir(const char *text, int format, const char *dflt)
{
	struct kdump_config *c = NULL;
	char saved[1024];
	char *dir = NULL;

	/* a query, not a validation: keep the caller's last message */
	snprintf(saved, sizeof(saved), "%s", diag_message());
	if (!has_setting_lines(text))
		return dflt ? strdup(dflt) : NULL;
	if (kdumpconf_parse(text, strlen(text), "kdump configuration", &c) == 0 &&
	    c->format == format)
		dir = dump_dir_of(c, dflt);
	kdumpconf_free(c);
	diag_set(0, "%s", saved);
	return dir;
}
