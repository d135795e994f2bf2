/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debian.h"

#define ENABLED_LINE "USE_KDUMP=1"

/* The last "USE_KDUMP=" line (the one a shell that sources the file
 * keeps): its start and length, or false. */
static bool find_use_kdump(const char *text, size_t *ret_start,
                           size_t *ret_len)
{
	bool found = false;

	for (size_t p = 0; text[p];) {
		size_t len = strcspn(text + p, "\n");
		const char *s = text + p + strspn(text + p, " \t");

		if (strncmp(s, "export", 6) == 0 && (s[6] == ' ' || s[6] == '\t'))
			s += 6 + strspn(s + 6, " \t");
		if (strncmp(s, "USE_KDUMP=", 10) == 0) {
			*ret_start = p;
			*ret_len = len;
			found = true;
		}
		p += len + (text[p + len] ? 1 : 0);
	}
	return found;
}

/* "1", "\"1\"" or "'1'", with an optional comment after it. */
static bool is_enabled(const char *line, size_t len)
{
	const char *v = strstr(line, "USE_KDUMP=") + 10;
	size_t n = (size_t)(line + len - v);
	char buf[16];

	if (n >= sizeof(buf))
		return false;
	memcpy(buf, v, n);
	buf[n] = '\0';
	buf[strcspn(buf, " \t#")] = '\0';
	return strcmp(buf, "1") == 0 || strcmp(buf, "\"1\"") == 0 ||
	       strcmp(buf, "'1'") == 0;
}

int deb_kdump_ensure_enabled(const struct skd_host *h, bool *ret_changed)
{
	char *text = NULL, *out = NULL;
	size_t len, start, n;
	int r;

	r = h->read_file(h, DEB_KDUMP_CONFIG, &text, &len);
	if (r == -ENOENT && (h->flags & SKD_HOST_DRY_RUN)) {
		/* a dry run of config after a dry run of apply: the package
		 * that brings the file is not installed yet */
		h->log(h, SKD_LOG_NOTICE, "\"%s\" does not exist yet: USE_KDUMP=1 is checked once kdump-tools is installed",
		       DEB_KDUMP_CONFIG);
		*ret_changed = false;
		return 0;
	}
	if (r < 0)
		return h->error(h, r, "cannot read \"%s\"%s", DEB_KDUMP_CONFIG,
		                r == -ENOENT ? ": is kdump-tools installed?" : "");
	if (find_use_kdump(text, &start, &n)) {
		if (is_enabled(text + start, n)) {
			*ret_changed = false;
			goto out;
		}
		/* debconf said no, or someone turned it off: that line only */
		if (asprintf(&out, "%.*s" ENABLED_LINE "%s", (int)start, text,
		             text + start + n) < 0)
			out = NULL;
	} else if (asprintf(&out, "%s%s" ENABLED_LINE "\n", text,
	                    len && text[len - 1] != '\n' ? "\n" : "") < 0) {
		out = NULL;
	}
	if (!out) {
		r = -ENOMEM;
		goto out;
	}
	r = h->write_file(h, DEB_KDUMP_CONFIG, out, strlen(out), 0644);
	if (r < 0) {
		r = h->error(h, r, "cannot write \"%s\"", DEB_KDUMP_CONFIG);
		goto out;
	}
	h->log(h, SKD_LOG_INFO, "set " ENABLED_LINE " in \"%s\"",
	       DEB_KDUMP_CONFIG);
	*ret_changed = true;
out:
	free(out);
	free(text);
	return r;
}

int deb_kdump_is_enabled(const struct skd_host *h, bool *ret_enabled,
                         char **ret_basis)
{
	char *text = NULL, *basis = NULL;
	size_t len, start, n;
	bool enabled = false;
	int r;

	r = h->read_file(h, DEB_KDUMP_CONFIG, &text, &len);
	if (r == -ENOENT) {
		r = asprintf(&basis, "\"%s\" is missing: is kdump-tools installed?",
		             DEB_KDUMP_CONFIG);
	} else if (r < 0) {
		return h->error(h, r, "cannot read \"%s\"", DEB_KDUMP_CONFIG);
	} else if (find_use_kdump(text, &start, &n)) {
		const char *line = text + start + strspn(text + start, " \t");
		size_t w = strcspn(line, "#\n");

		/* the line as written, without a comment or trailing blanks */
		while (w > 0 && (line[w - 1] == ' ' || line[w - 1] == '\t'))
			w--;
		enabled = is_enabled(text + start, n);
		r = asprintf(&basis, "%.*s in \"%s\"", (int)w, line,
		             DEB_KDUMP_CONFIG);
	} else {
		r = asprintf(&basis, "no USE_KDUMP= in \"%s\" (kdump-config "
		             "loads nothing unless it is 1)", DEB_KDUMP_CONFIG);
	}
	free(text);
	if (r < 0)
		return -ENOMEM;
	*ret_enabled = enabled;
	*ret_basis = basis;
	return 0;
}
