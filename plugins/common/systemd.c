/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

#include "systemd.h"

/* Where unit files live, in systemd's order of precedence. */
static const char *const unit_dirs[] = {
	"/etc/systemd/system",
	"/lib/systemd/system",
	"/usr/lib/systemd/system",
	NULL,
};

/* "kdump-tools" -> "kdump-tools.service" */
static char *unit_name(const char *unit)
{
	char *s;

	if (strchr(unit, '.'))
		return strdup(unit);
	if (asprintf(&s, "%s.service", unit) < 0)
		return NULL;
	return s;
}

static int systemctl(const struct skd_host *h, const char *verb,
                     const char *unit, uint32_t flags, int *ret_status)
{
	struct skd_run_result res = { 0 };
	char *name = unit_name(unit);
	int r;

	if (!name)
		return -ENOMEM;
	const char *argv[] = { "systemctl", verb, name, NULL };
	const char *quiet_argv[] = { "systemctl", verb, "--quiet", name, NULL };
	r = h->run(h, ret_status ? quiet_argv : argv, NULL, flags, &res);
	if (r < 0) {
		r = h->error(h, r, "cannot run \"systemctl %s %s\"", verb, name);
		goto out;
	}
	if (ret_status) {
		*ret_status = res.status;
	} else if (res.status != 0) {
		r = h->error(h, -SKD_E_FAILED,
		             "\"systemctl %s %s\" failed with exit status %d: %s",
		             verb, name, res.status,
		             res.err && *res.err ? res.err : "(no message)");
	}
	h->run_result_free(h, &res);
out:
	free(name);
	return r;
}

int systemd_enable(const struct skd_host *h, const char *unit)
{
	/* systemctl enable only edits links, so it works in a chroot too */
	return systemctl(h, "enable", unit, SKD_RUN_CHANGES, NULL);
}

int systemd_disable(const struct skd_host *h, const char *unit)
{
	return systemctl(h, "disable", unit, SKD_RUN_CHANGES, NULL);
}

/* start, stop and restart need a running systemd: not on an image root. */
static int runtime_op(const struct skd_host *h, const char *verb,
                      const char *unit)
{
	if (h->flags & SKD_HOST_IMAGE) {
		h->log(h, SKD_LOG_INFO,
		       "not running \"systemctl %s %s\": the root is an image, "
		       "not the running system", verb, unit);
		return 0;
	}
	return systemctl(h, verb, unit, SKD_RUN_CHANGES, NULL);
}

int systemd_start(const struct skd_host *h, const char *unit)
{
	return runtime_op(h, "start", unit);
}

int systemd_stop(const struct skd_host *h, const char *unit)
{
	return runtime_op(h, "stop", unit);
}

int systemd_restart(const struct skd_host *h, const char *unit)
{
	return runtime_op(h, "restart", unit);
}

/* The first unit file found, as systemd would load it. */
static int read_unit(const struct skd_host *h, const char *name,
                     char **ret_text, const char **ret_dir)
{
	for (size_t i = 0; unit_dirs[i]; i++) {
		char *path, *text;
		size_t len;
		int r;

		if (asprintf(&path, "%s/%s", unit_dirs[i], name) < 0)
			return -ENOMEM;
		r = h->read_file(h, path, &text, &len);
		free(path);
		if (r == -ENOENT)
			continue;
		if (r < 0)
			return r;
		*ret_text = text;
		*ret_dir = unit_dirs[i];
		return 0;
	}
	return -ENOENT;
}

/* Is one of the [Install] targets' .wants/.requires links present? */
static int check_links(const struct skd_host *h, const char *text,
                       const char *name, bool *ret)
{
	bool in_install = false, found = false;
	char *copy = strdup(text), *save = NULL;

	if (!copy)
		return -ENOMEM;
	for (char *line = strtok_r(copy, "\n", &save); line && !found;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *kind;
		char *targets, *tsave = NULL;

		line += strspn(line, " \t");
		if (line[0] == '[') {
			in_install = strncmp(line, "[Install]", 9) == 0;
			continue;
		}
		if (!in_install)
			continue;
		if (strncmp(line, "WantedBy=", 9) == 0)
			kind = "wants";
		else if (strncmp(line, "RequiredBy=", 11) == 0)
			kind = "requires";
		else
			continue;
		targets = strchr(line, '=') + 1;
		for (char *t = strtok_r(targets, " \t\r", &tsave); t && !found;
		     t = strtok_r(NULL, " \t\r", &tsave)) {
			struct skd_stat st;
			char *link;
			int r;

			if (asprintf(&link, "/etc/systemd/system/%s.%s/%s", t,
			             kind, name) < 0) {
				free(copy);
				return -ENOMEM;
			}
			r = h->stat(h, link, SKD_STAT_NOFOLLOW, &st);
			free(link);
			if (r < 0) {
				free(copy);
				return r;
			}
			found = st.type != SKD_FILE_NONE;
		}
	}
	free(copy);
	*ret = found;
	return 0;
}

/* A link to /dev/null in /etc/systemd/system masks the unit. */
static int is_masked(const struct skd_host *h, const char *name, bool *ret)
{
	struct skd_stat st;
	char *path;
	int r;

	if (asprintf(&path, "/etc/systemd/system/%s", name) < 0)
		return -ENOMEM;
	r = h->stat(h, path, SKD_STAT_NOFOLLOW, &st);
	if (r == 0 && st.type == SKD_FILE_SYMLINK) {
		r = h->stat(h, path, 0, &st);
		if (r == 0)
			*ret = st.type != SKD_FILE_REGULAR;
	} else if (r == 0) {
		*ret = false;
	}
	free(path);
	return r;
}

int systemd_is_enabled(const struct skd_host *h, const char *unit, bool *ret)
{
	char *name = unit_name(unit), *text = NULL;
	const char *dir = NULL;
	bool masked = false, enabled = false;
	int r;

	if (!name)
		return -ENOMEM;
	r = read_unit(h, name, &text, &dir);
	if (r == -ENOENT) {
		h->log(h, SKD_LOG_DEBUG, "no unit file \"%s\": not enabled", name);
		r = 0;
		goto done;
	}
	if (r < 0) {
		r = h->error(h, r, "cannot read the unit file of \"%s\"", name);
		goto out;
	}
	r = is_masked(h, name, &masked);
	if (r == 0 && !masked)
		r = check_links(h, text, name, &enabled);
	if (r < 0) {
		r = h->error(h, r, "cannot check whether \"%s\" is enabled", name);
		goto out;
	}
	h->log(h, SKD_LOG_DEBUG, "\"%s/%s\": %s", dir, name,
	       masked ? "masked" : enabled ? "enabled" : "not enabled");
done:
	*ret = enabled;
out:
	free(text);
	free(name);
	return r;
}

/* The host's D-Bus answer (ABI 1.1), when this host has the service and
 * can ask: no process. -ENOTSUP otherwise. */
static int active_over_bus(const struct skd_host *h, const char *unit,
                           bool *ret)
{
	char *name, *state = NULL;
	int r;

	if (!SKD_HOST_HAS(h, unit_active_state))
		return -ENOTSUP;
	name = unit_name(unit);
	if (!name)
		return -ENOMEM;
	r = h->unit_active_state(h, name, &state);
	if (r >= 0) {
		/* "reloading" and "refreshing" are active too, as for
		 * systemctl is-active */
		*ret = !strcmp(state, "active") || !strcmp(state, "reloading") ||
		       !strcmp(state, "refreshing");
		h->log(h, SKD_LOG_DEBUG, "\"%s\" is %s (D-Bus)", name, state);
	}
	free(state);
	free(name);
	return r;
}

int systemd_is_active(const struct skd_host *h, const char *unit, bool *ret)
{
	int status, r;

	if (h->flags & SKD_HOST_IMAGE) {
		h->log(h, SKD_LOG_INFO,
		       "\"%s\" is not active: the root is an image, not the "
		       "running system", unit);
		*ret = false;
		return 0;
	}
	r = active_over_bus(h, unit, ret);
	if (r != -ENOTSUP)
		return r;
	r = systemctl(h, "is-active", unit, SKD_RUN_QUIET, &status);
	if (r < 0)
		return r;
	/* systemctl() sets status whenever it returns 0: h->error()
	 * returns its negative code, which the analyzer cannot see */
	// NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)
	*ret = status == 0;
	return 0;
}
