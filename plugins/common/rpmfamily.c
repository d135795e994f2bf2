/* SPDX-License-Identifier: Apache-2.0 */
/* The release description, facts, commands, the service and the default
 * kdump configuration of the RPM family. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "autoreset.h"
#include "capture-build.h"
#include "rpmfamily.h"
#include "systemd.h"

static struct rpm_release release;
static char *node_default;

int rpmfamily_use(const struct skd_host *h, const struct rpm_release *rel)
{
	char *basis = NULL;
	int r;

	release = *rel;
	free(node_default);
	node_default = NULL;
	r = rpmfamily_auto_table(h, rel->auto_rules, &node_default, &basis);
	free(basis);
	if (r < 0)
		return r;
	release.default_crashkernel = node_default;
	return 0;
}

void rpmfamily_fini(const struct skd_host *h)
{
	(void)h;
	free(node_default);
	node_default = NULL;
	memset(&release, 0, sizeof(release));
}

const struct rpm_release *rpmfamily_release(const struct skd_host *h)
{
	if (!release.package_manager) {
		h->error(h, -SKD_E_UNSUPPORTED, "backend used before init()");
		return NULL;
	}
	return &release;
}

int rpmfamily_version_major(const char *version_id, unsigned *ret)
{
	unsigned long v;
	char *end;

	if (!version_id || version_id[0] < '0' || version_id[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(version_id, &end, 10);
	if (errno || v > 100000 || (*end && *end != '.'))
		return -EINVAL;
	*ret = (unsigned)v;
	return 0;
}

const char *rpmfamily_efi_dir(const char *os_id)
{
	/* the directory each vendor's shim and grub2-efi packages install */
	static const char *const dirs[][2] = {
		{ "rhel", "redhat" },
		{ "ol", "redhat" },
		{ "centos", "centos" },
		{ "rocky", "rocky" },
		{ "almalinux", "almalinux" },
		{ "amzn", "amzn" },
		{ "fedora", "fedora" },
	};

	for (size_t i = 0; os_id && i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (strcmp(dirs[i][0], os_id) == 0)
			return dirs[i][1];
	return NULL;
}

int rpmfamily_get_facts(const struct skd_host *h, struct skd_facts *ret)
{
	const struct rpm_release *rel = rpmfamily_release(h);

	if (!rel)
		return -SKD_E_UNSUPPORTED;
	*ret = (struct skd_facts){
		.service = RPM_SERVICE,
		.kdump_config_path = RPM_KDUMP_CONF,
		.kdump_config_format = SKD_CONFIG_DIRECTIVES,
		.packages = rel->packages,
		.default_crashkernel = rel->default_crashkernel,
		.default_dump_dir = "/var/crash",
		.package_manager = rel->package_manager,
		.bootloader_method = rel->bootloader_method,
	};
	return 0;
}

int rpmfamily_run(const struct skd_host *h, const char *const *argv,
                  uint32_t flags, struct skd_run_result *ret)
{
	struct skd_run_result res = { 0 };
	char *why;
	int r;

	r = h->run(h, argv, NULL, flags, &res);
	if (r < 0)
		return h->error(h, r == -ENOENT ? -SKD_E_FAILED : r,
		                "cannot run \"%s\"%s", argv[0],
		                r == -ENOENT ? ": not installed in the root" : "");
	if (res.status != 0) {
		why = last_lines(res.err && *res.err ? res.err : res.out, 1);
		r = h->error(h, -SKD_E_FAILED, "\"%s %s\" failed with exit status %d%s%s",
		             argv[0], argv[1] ? argv[1] : "", res.status,
		             why && *why ? ": " : "", why ? why : "");
		free(why);
		h->run_result_free(h, &res);
		return r;
	}
	if (ret)
		*ret = res;
	else
		h->run_result_free(h, &res);
	return 0;
}

int rpmfamily_service_enable(const struct skd_host *h)
{
	return systemd_enable(h, RPM_SERVICE);
}

int rpmfamily_service_disable(const struct skd_host *h)
{
	return systemd_disable(h, RPM_SERVICE);
}

int rpmfamily_service_start(const struct skd_host *h)
{
	return systemd_start(h, RPM_SERVICE);
}

int rpmfamily_service_stop(const struct skd_host *h)
{
	return systemd_stop(h, RPM_SERVICE);
}

int rpmfamily_service_restart(const struct skd_host *h)
{
	return systemd_restart(h, RPM_SERVICE);
}

int rpmfamily_service_is_enabled(const struct skd_host *h, bool *ret)
{
	return systemd_is_enabled(h, RPM_SERVICE, ret);
}

int rpmfamily_service_is_active(const struct skd_host *h, bool *ret)
{
	return systemd_is_active(h, RPM_SERVICE, ret);
}
