/* SPDX-License-Identifier: Apache-2.0 */
/* /etc/kdump.conf of the RPM family: the package's defaults already enable
 * kdump; what we keep right is kdumpctl's auto_reset_crashkernel. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autoreset.h"
#include "rpmfamily.h"

/* The default kdumpctl puts back when it resets crashkernel=: what "auto"
 * means on this node as the host resolved it (kdumpctl's own answer where
 * config could ask it, recorded since), else this release's tables. */
static const char *node_default(const struct skd_host *h, const struct rpm_release *rel)
{
	const char *v = h->get(h, "auto.crashkernel");

	return v ? v : rel->default_crashkernel;
}

/* Whether kdumpctl must be told to keep `value`: one that is not its
 * default, which it would otherwise reset at every kernel install. */
static bool is_custom(const struct skd_host *h, const struct rpm_release *rel,
                      const char *value)
{
	return value && strcmp(value, node_default(h, rel)) != 0;
}

/* What rpmfamily_autoreset_sync writes for `text` while the bootloader
 * has `value`: *ret_edited, or NULL when nothing changes. */
static int autoreset_plan(const struct skd_host *h, const struct rpm_release *rel,
                          const char *value, const char *text, char **ret_edited,
                          bool *ret_keep)
{
	bool keep = is_custom(h, rel, value);
	bool changed = false;
	char *edited = NULL;
	int r;

	*ret_edited = NULL;
	*ret_keep = keep;
	/* an older kdumpctl rejects directives it does not know */
	if (keep && !rel->auto_reset && !autoreset_known(text))
		return 0;
	r = autoreset_edit(text, keep, &edited, &changed);
	if (r < 0)
		return r;
	if (changed)
		*ret_edited = edited;
	else
		free(edited);
	return 0;
}

int rpmfamily_autoreset_sync(const struct skd_host *h, const char *value,
                             bool *ret_changed)
{
	const struct rpm_release *rel = rpmfamily_release(h);
	char *text = NULL, *edited = NULL;
	bool keep, changed = false;
	size_t len;
	int r;

	if (!rel)
		return -SKD_E_UNSUPPORTED;
	r = h->read_file(h, RPM_KDUMP_CONF, &text, &len);
	if (r == -ENOENT) {
		/* not installed yet: nothing can reset the value */
		r = 0;
		goto done;
	}
	if (r < 0)
		goto out;
	r = autoreset_plan(h, rel, value, text, &edited, &keep);
	if (r < 0)
		goto out;
	if (edited) {
		changed = true;
		h->log(h, SKD_LOG_INFO, "%s \"%s\": %s", keep ? "setting" : "restoring",
		       RPM_KDUMP_CONF, keep ?
		       AUTORESET_DIRECTIVE " no, so that kdumpctl keeps crashkernel=" :
		       AUTORESET_DIRECTIVE " as it was");
		r = h->write_file(h, RPM_KDUMP_CONF, edited, strlen(edited), 0644);
		if (r < 0)
			goto out;
	}
done:
	*ret_changed = changed;
	r = 0;
out:
	free(text);
	free(edited);
	return r;
}

int rpmfamily_kdump_config_ensure_enabled(const struct skd_host *h,
                                          bool *ret_changed)
{
	struct skd_stat st;
	char *value = NULL;
	bool changed = false;
	int r;

	r = h->stat(h, RPM_KDUMP_CONF, 0, &st);
	if (r < 0)
		return r;
	if (st.type != SKD_FILE_REGULAR)
		return h->error(h, -SKD_E_FAILED, "\"%s\" is missing: the kdump "
		                "package is not installed", RPM_KDUMP_CONF);
	/* the package's defaults dump to /var/crash; only a custom
	 * crashkernel= needs kdumpctl told to keep it */
	r = rpmfamily_bootloader_get(h, &value);
	if (r < 0)
		return r;
	r = rpmfamily_autoreset_sync(h, value, &changed);
	free(value);
	if (r < 0)
		return r;
	*ret_changed = changed;
	return 0;
}

/* ABI 1.4: the read-only counterpart of the above. "Enabled" is what
 * ensure_enabled keeps: the package's file in place (its defaults enable
 * kdump) and kdumpctl told to keep a custom crashkernel=. */
int rpmfamily_kdump_config_is_enabled(const struct skd_host *h,
                                      bool *ret_enabled, char **ret_basis)
{
	const struct rpm_release *rel = rpmfamily_release(h);
	char *text = NULL, *value = NULL, *edited = NULL, *basis = NULL;
	bool keep = false;
	size_t len;
	int r, n;

	if (!rel)
		return -SKD_E_UNSUPPORTED;
	r = h->read_file(h, RPM_KDUMP_CONF, &text, &len);
	if (r == -ENOENT) {
		*ret_enabled = false;
		n = asprintf(ret_basis, "\"%s\" is missing: is the kdump package "
		             "installed?", RPM_KDUMP_CONF);
		return n < 0 ? -ENOMEM : 0;
	}
	if (r < 0)
		return h->error(h, r, "cannot read \"%s\"", RPM_KDUMP_CONF);
	r = rpmfamily_bootloader_get(h, &value);
	if (r == 0)
		r = autoreset_plan(h, rel, value, text, &edited, &keep);
	if (r < 0)
		goto out;
	if (!edited)
		n = asprintf(&basis, "\"%s\" is in place%s", RPM_KDUMP_CONF,
		             keep && autoreset_is_off(text) ?
		             " with " AUTORESET_DIRECTIVE " no" : "");
	else if (keep)
		n = asprintf(&basis, AUTORESET_DIRECTIVE " is not \"no\" in \"%s\": "
		             "kdumpctl would reset the custom crashkernel=%s", RPM_KDUMP_CONF,
		             value);
	else if (value)
		n = asprintf(&basis, AUTORESET_DIRECTIVE " is still turned off in "
		             "\"%s\" although crashkernel=%s is kdumpctl's default here",
		             RPM_KDUMP_CONF, value);
	else
		n = asprintf(&basis, AUTORESET_DIRECTIVE " is still turned off in "
		             "\"%s\" although the bootloader sets no crashkernel=",
		             RPM_KDUMP_CONF);
	if (n < 0) {
		r = -ENOMEM;
		goto out;
	}
	*ret_enabled = !edited;
	*ret_basis = basis;
out:
	free(text);
	free(value);
	free(edited);
	return r;
}

/* The user's /etc/kdump.conf gets the same auto_reset_crashkernel edit as
 * the installed one would, so installing it keeps a custom value and a
 * re-run finds the file already as it wants it. */
int rpmfamily_kdump_config_prepare(const struct skd_host *h,
                                   const char *crashkernel, const char *text,
                                   char **ret_text)
{
	const struct rpm_release *rel = rpmfamily_release(h);
	bool keep, changed;

	if (!rel)
		return -SKD_E_UNSUPPORTED;
	keep = is_custom(h, rel, crashkernel);
	if (keep && !rel->auto_reset && !autoreset_known(text))
		keep = false;
	if (!keep) {
		*ret_text = strdup(text);
		return *ret_text ? 0 : -ENOMEM;
	}
	return autoreset_edit(text, true, ret_text, &changed);
}
