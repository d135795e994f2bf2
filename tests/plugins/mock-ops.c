/* SPDX-License-Identifier: Apache-2.0 */
/* A plausible, file-backed distribution for the mock backends: what it
 * changes can be seen in the root afterwards, and every access goes
 * through the host, as a real backend's must. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mock-ops.h"

#define INSTALLED "/var/lib/mock/installed"
#define CRASHKERNEL "/etc/mock/crashkernel"
#define GRUB_CFG "/boot/mock/grub.cfg"
#define ENABLED "/var/lib/mock/service-enabled"
#define ACTIVE "/var/lib/mock/service-active"
#define DEFAULTS "/etc/default/mock-kdump"

static const char *const packages[] = { "mock-kdump-tools", NULL };

int mock_init(const struct skd_host *h)
{
	/* h->error itself may be missing from a host we do not know */
	if (h->abi_major != SKD_ABI_MAJOR ||
	    h->struct_size < offsetof(struct skd_host, get) + sizeof(h->get))
		return -SKD_E_UNSUPPORTED;
	h->log(h, SKD_LOG_DEBUG, "mock backend ready");
	return 0;
}

int mock_get_facts(const struct skd_host *h, struct skd_facts *ret)
{
	*ret = (struct skd_facts){
		.service = "mock-kdump",
		.kdump_config_path = "/etc/mock/kdump.conf",
		.kdump_config_format = SKD_CONFIG_DIRECTIVES,
		.packages = packages,
		.default_crashkernel = "1G-4G:192M,4G-64G:256M,64G-:512M",
		.default_dump_dir = "/var/crash",
		.package_manager = "mock-pkg",
		.bootloader_method = "mock: " CRASHKERNEL " + " GRUB_CFG,
	};
	return 0;
}

/* A missing file reads as empty. */
static int read_or_empty(const struct skd_host *h, const char *path,
                         char **ret, size_t *ret_len)
{
	int r = h->read_file(h, path, ret, ret_len);

	if (r == -ENOENT) {
		*ret = strdup("");
		*ret_len = 0;
		return *ret ? 0 : h->error(h, -ENOMEM, "out of memory");
	}
	if (r < 0)
		return h->error(h, r, "cannot read %s: %s", path, strerror(-r));
	return 0;
}

/* Is `name` one whole line of `list`? */
static bool has_line(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; *p;) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == n && memcmp(p, name, n) == 0)
			return true;
		p += l + (e ? 1 : 0);
	}
	return false;
}

int mock_packages_query(const struct skd_host *h, const char *const *names,
                        bool *ret_installed)
{
	char *list = NULL;
	size_t len;
	int r;

	r = read_or_empty(h, INSTALLED, &list, &len);
	if (r < 0)
		return r;
	for (size_t i = 0; names[i]; i++)
		ret_installed[i] = has_line(list, names[i]);
	free(list);
	return 0;
}

/* Rewrite the package list: add `add` (or drop `drop`) line by line. */
static int edit_installed(const struct skd_host *h, const char *const *add,
                          const char *const *drop)
{
	char *list = NULL, *out = NULL;
	size_t len, o = 0, cap;
	int r;

	r = read_or_empty(h, INSTALLED, &list, &len);
	if (r < 0)
		return r;
	cap = len + 2;
	for (size_t i = 0; add && add[i]; i++)
		cap += strlen(add[i]) + 1;
	out = malloc(cap);
	if (!out) {
		r = h->error(h, -ENOMEM, "out of memory");
		goto out;
	}
	for (const char *p = list; *p;) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		bool keep = l > 0;

		for (size_t i = 0; keep && drop && drop[i]; i++)
			if (strlen(drop[i]) == l && memcmp(drop[i], p, l) == 0)
				keep = false;
		if (keep) {
			memcpy(out + o, p, l);
			o += l;
			out[o++] = '\n';
		}
		p += l + (e ? 1 : 0);
	}
	for (size_t i = 0; add && add[i]; i++) {
		if (has_line(list, add[i]))
			continue;
		o += (size_t)sprintf(out + o, "%s\n", add[i]);
	}
	r = h->write_file(h, INSTALLED, out, o, 0644);
	if (r < 0)
		r = h->error(h, r, "cannot write %s: %s", INSTALLED, strerror(-r));
out:
	free(list);
	free(out);
	return r;
}


/* The mock's "tools": each change runs a command, so the recording runner
 * of the CLI tests logs what a real backend would run. A host without a
 * runner (the loader tests' own) skips it. */
static int mock_tool(const struct skd_host *h, const char *tool,
                     const char *verb, const char *const *args)
{
	const char *argv[16] = { tool, verb };
	struct skd_run_result res = { 0 };
	size_t n = 2;
	int r;

	if (!h->run)
		return 0;
	for (size_t i = 0; args && args[i] && n < 15; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	r = h->run(h, argv, NULL, SKD_RUN_CHANGES, &res);
	if (r >= 0 && res.status != 0)
		r = h->error(h, -SKD_E_FAILED, "%s %s exited with %d", tool, verb, res.status);
	h->run_result_free(h, &res);
	return r < 0 ? r : 0;
}

int mock_packages_install(const struct skd_host *h, const char *const *names)
{
	int r = mock_tool(h, "mock-pkg", "install", names);

	return r < 0 ? r : edit_installed(h, names, NULL);
}

int mock_packages_remove(const struct skd_host *h, const char *const *names)
{
	int r = mock_tool(h, "mock-pkg", "remove", names);

	return r < 0 ? r : edit_installed(h, NULL, names);
}

int mock_bootloader_get_crashkernel(const struct skd_host *h, char **ret_value)
{
	char *v = NULL;
	size_t len;
	int r;

	r = read_or_empty(h, CRASHKERNEL, &v, &len);
	if (r < 0)
		return r;
	while (len > 0 && (v[len - 1] == '\n' || v[len - 1] == ' '))
		v[--len] = '\0';
	if (len == 0) {
		free(v);
		v = NULL;
	}
	*ret_value = v;
	return 0;
}

int mock_bootloader_set_crashkernel(const struct skd_host *h, const char *value,
                                    bool *ret_changed)
{
	char *cur = NULL, *line = NULL;
	int r;

	r = mock_bootloader_get_crashkernel(h, &cur);
	if (r < 0)
		return r;
	if (cur && strcmp(cur, value) == 0) {
		*ret_changed = false;
		r = 0;
		goto out;
	}
	if (asprintf(&line, "%s\n", value) < 0) {
		line = NULL;
		r = h->error(h, -ENOMEM, "out of memory");
		goto out;
	}
	r = h->write_file(h, CRASHKERNEL, line, strlen(line), 0644);
	if (r < 0) {
		r = h->error(h, r, "cannot write %s: %s", CRASHKERNEL, strerror(-r));
		goto out;
	}
	*ret_changed = true;
out:
	free(cur);
	free(line);
	return r;
}

int mock_bootloader_remove_crashkernel(const struct skd_host *h,
                                       bool *ret_changed)
{
	struct skd_stat st;
	int r;

	r = h->stat(h, CRASHKERNEL, 0, &st);
	if (r < 0)
		return h->error(h, r, "cannot stat %s: %s", CRASHKERNEL, strerror(-r));
	if (st.type == SKD_FILE_NONE) {
		*ret_changed = false;
		return 0;
	}
	r = h->remove_file(h, CRASHKERNEL);
	if (r < 0)
		return h->error(h, r, "cannot remove %s: %s", CRASHKERNEL, strerror(-r));
	*ret_changed = true;
	return 0;
}

int mock_bootloader_regenerate(const struct skd_host *h)
{
	char *v = NULL, *cfg = NULL;
	int r;

	r = mock_tool(h, "mock-bootloader", "update", NULL);
	if (r < 0)
		return r;
	r = mock_bootloader_get_crashkernel(h, &v);
	if (r < 0)
		return r;
	if (asprintf(&cfg, "# generated by the mock backend\n"
	             "cmdline=root=/dev/mock ro%s%s\n",
	             v ? " crashkernel=" : "", v ? v : "") < 0) {
		cfg = NULL;
		r = h->error(h, -ENOMEM, "out of memory");
		goto out;
	}
	r = h->write_file(h, GRUB_CFG, cfg, strlen(cfg), 0644);
	if (r < 0)
		r = h->error(h, r, "cannot write %s: %s", GRUB_CFG, strerror(-r));
out:
	free(v);
	free(cfg);
	return r;
}

static int flag_set(const struct skd_host *h, const char *path, bool on)
{
	int r;

	if (on)
		r = h->write_file(h, path, "mock-kdump\n", 11, 0644);
	else
		r = h->remove_file(h, path);
	if (r < 0)
		return h->error(h, r, "cannot %s %s: %s", on ? "write" : "remove",
		                path, strerror(-r));
	return 0;
}

static int flag_get(const struct skd_host *h, const char *path, bool *ret)
{
	struct skd_stat st;
	int r;

	r = h->stat(h, path, 0, &st);
	if (r < 0)
		return h->error(h, r, "cannot stat %s: %s", path, strerror(-r));
	*ret = st.type != SKD_FILE_NONE;
	return 0;
}

int mock_service_enable(const struct skd_host *h)
{
	static const char *const unit[] = { "mock-kdump", NULL };
	int r = mock_tool(h, "mock-service", "enable", unit);

	return r < 0 ? r : flag_set(h, ENABLED, true);
}

int mock_service_disable(const struct skd_host *h)
{
	static const char *const unit[] = { "mock-kdump", NULL };
	int r = mock_tool(h, "mock-service", "disable", unit);

	return r < 0 ? r : flag_set(h, ENABLED, false);
}

int mock_service_start(const struct skd_host *h)
{
	static const char *const unit[] = { "mock-kdump", NULL };
	int r = mock_tool(h, "mock-service", "start", unit);

	return r < 0 ? r : flag_set(h, ACTIVE, true);
}

int mock_service_stop(const struct skd_host *h)
{
	static const char *const unit[] = { "mock-kdump", NULL };
	int r = mock_tool(h, "mock-service", "stop", unit);

	return r < 0 ? r : flag_set(h, ACTIVE, false);
}

int mock_service_is_enabled(const struct skd_host *h, bool *ret)
{
	return flag_get(h, ENABLED, ret);
}

int mock_service_is_active(const struct skd_host *h, bool *ret)
{
	return flag_get(h, ACTIVE, ret);
}

int mock_kdump_config_ensure_enabled(const struct skd_host *h,
                                     bool *ret_changed)
{
	char *cur = NULL, *out = NULL;
	size_t len, o = 0;
	int r;

	r = read_or_empty(h, DEFAULTS, &cur, &len);
	if (r < 0)
		return r;
	if (has_line(cur, "USE_KDUMP=1")) {
		*ret_changed = false;
		goto out;
	}
	out = malloc(len + sizeof("USE_KDUMP=1\n") + 1);
	if (!out) {
		r = h->error(h, -ENOMEM, "out of memory");
		goto out;
	}
	/* keep every other line, replace any USE_KDUMP= */
	for (const char *p = cur; *p;) {
		const char *e = strchr(p, '\n');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (!(l >= 10 && memcmp(p, "USE_KDUMP=", 10) == 0)) {
			memcpy(out + o, p, l);
			o += l;
			out[o++] = '\n';
		}
		p += l + (e ? 1 : 0);
	}
	memcpy(out + o, "USE_KDUMP=1\n", 12);
	o += 12;
	r = h->write_file(h, DEFAULTS, out, o, 0644);
	if (r < 0) {
		r = h->error(h, r, "cannot write %s: %s", DEFAULTS, strerror(-r));
		goto out;
	}
	*ret_changed = true;
out:
	free(cur);
	free(out);
	return r;
}
