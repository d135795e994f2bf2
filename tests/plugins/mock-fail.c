/* SPDX-License-Identifier: Apache-2.0 */
/* mock-fail: every operation reports -SKD_E_FAILED through h->error(),
 * the way a backend reports a failed command, so the host's handling of a
 * failure can be tested at each step. It serves the ID "mockfail".
 *
 * To fail only some steps, list operation names (e.g. "service_start")
 * in /etc/mock/fail-ops of the root, separated by blanks or newlines; the
 * others then behave like mock-good. Without that file every one fails. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "mock-ops.h"

SKD_BACKEND_NOTE("mock-fail", "mockfail");

#define FAIL_OPS "/etc/mock/fail-ops"

static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* Does `op` fail? Also true when the list cannot be read. */
static bool fails(const struct skd_host *h, const char *op)
{
	char *list = NULL;
	size_t len, n = strlen(op);
	bool found = false;

	if (h->read_file(h, FAIL_OPS, &list, &len) < 0)
		return true;
	for (const char *p = list; *p;) {
		size_t l = 0;

		while (is_sep(*p))
			p++;
		while (p[l] && !is_sep(p[l]))
			l++;
		if (l == n && memcmp(p, op, n) == 0)
			found = true;
		p += l;
	}
	free(list);
	return found;
}

#define FAIL_OR(op, ...) \
	(fails(h, #op) ? h->error(h, -SKD_E_FAILED, "mock-fail: " #op " failed") \
	               : mock_##op(__VA_ARGS__))

static int fail_get_facts(const struct skd_host *h, struct skd_facts *ret)
{
	return FAIL_OR(get_facts, h, ret);
}

static int fail_packages_query(const struct skd_host *h,
                               const char *const *names, bool *ret_installed)
{
	return FAIL_OR(packages_query, h, names, ret_installed);
}

static int fail_packages_install(const struct skd_host *h,
                                 const char *const *names)
{
	return FAIL_OR(packages_install, h, names);
}

static int fail_packages_remove(const struct skd_host *h,
                                const char *const *names)
{
	return FAIL_OR(packages_remove, h, names);
}

static int fail_bootloader_get_crashkernel(const struct skd_host *h,
                                           char **ret_value)
{
	return FAIL_OR(bootloader_get_crashkernel, h, ret_value);
}

static int fail_bootloader_set_crashkernel(const struct skd_host *h,
                                           const char *value, bool *ret_changed)
{
	return FAIL_OR(bootloader_set_crashkernel, h, value, ret_changed);
}

static int fail_bootloader_remove_crashkernel(const struct skd_host *h,
                                              bool *ret_changed)
{
	return FAIL_OR(bootloader_remove_crashkernel, h, ret_changed);
}

static int fail_bootloader_regenerate(const struct skd_host *h)
{
	return FAIL_OR(bootloader_regenerate, h);
}

static int fail_service_enable(const struct skd_host *h)
{
	return FAIL_OR(service_enable, h);
}

static int fail_service_disable(const struct skd_host *h)
{
	return FAIL_OR(service_disable, h);
}

static int fail_service_start(const struct skd_host *h)
{
	return FAIL_OR(service_start, h);
}

static int fail_service_stop(const struct skd_host *h)
{
	return FAIL_OR(service_stop, h);
}

static int fail_service_is_enabled(const struct skd_host *h, bool *ret)
{
	return FAIL_OR(service_is_enabled, h, ret);
}

static int fail_service_is_active(const struct skd_host *h, bool *ret)
{
	return FAIL_OR(service_is_active, h, ret);
}

static int fail_kdump_config_ensure_enabled(const struct skd_host *h,
                                            bool *ret_changed)
{
	return FAIL_OR(kdump_config_ensure_enabled, h, ret_changed);
}

/* init stays NULL (optional): failing there would hide every other step */
const struct skd_backend SKD_BACKEND_EXPORT skd_backend = {
	SKD_BACKEND_HEADER("mock-fail"),
	.get_facts = fail_get_facts,
	.packages_query = fail_packages_query,
	.packages_install = fail_packages_install,
	.packages_remove = fail_packages_remove,
	.bootloader_get_crashkernel = fail_bootloader_get_crashkernel,
	.bootloader_set_crashkernel = fail_bootloader_set_crashkernel,
	.bootloader_remove_crashkernel = fail_bootloader_remove_crashkernel,
	.bootloader_regenerate = fail_bootloader_regenerate,
	.service_enable = fail_service_enable,
	.service_disable = fail_service_disable,
	.service_start = fail_service_start,
	.service_stop = fail_service_stop,
	.service_is_enabled = fail_service_is_enabled,
	.service_is_active = fail_service_is_active,
	.kdump_config_ensure_enabled = fail_kdump_config_ensure_enabled,
};
