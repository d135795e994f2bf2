/* SPDX-License-Identifier: Apache-2.0 */
/* What "auto" means on a Debian-family node: the crashkernel= that
 * kdump-tools' grub.d drop-in (/etc/default/grub.d/kdump-tools.cfg) puts
 * on the kernel command line. The package builds it per architecture:
 * debian/rules installs debian/kdump-tools.grub.$(DEB_HOST_ARCH) when that
 * file exists, else kdump-tools.grub.default, so the value depends on the
 * release and the architecture only (a -64k kernel flavour changes
 * nothing). Read from the packages themselves:
 * - Debian amd64 (and every architecture without a file of its own):
 *   "384M-:128M" in 9-12 (kdump-tools 1:1.6.1 to 1:1.8.1), "512M-:192M"
 *   in 13 (1:1.10.7);
 * - Debian arm64 and ppc64el, 10-13: kdump-tools.grub.arm64 and .ppc64el,
 *   "2G-4G:320M,4G-32G:512M,32G-64G:1024M,64G-128G:2048M,128G-:4096M";
 * - Ubuntu: that same table on arm64 in every release; amd64 "512M-:192M"
 *   in 18.04, 20.04 and 22.04 (kdump-tools.grub.default of 1:1.6.5-1ubuntu1,
 *   1:1.6.7-1ubuntu2 and jammy's 1:1.7.0-1ubuntu1 packages), the large table
 *   from 24.04 on (1:1.8.2ubuntu2, LP: #1908090; the kdump documentation
 *   that shows it names no release). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debian.h"

#define SMALL_OLD "384M-:128M"
#define SMALL_NEW "512M-:192M"
#define LARGE "2G-4G:320M,4G-32G:512M,32G-64G:1024M,64G-128G:2048M,128G-:4096M"

/* uname -m -> Debian's architecture name */
static const char *deb_arch(const char *machine)
{
	static const char *const names[][2] = {
		{ "x86_64", "amd64" }, { "aarch64", "arm64" }, { "ppc64le", "ppc64el" },
		{ "s390x", "s390x" }, { "i686", "i386" }, { "armv7l", "armhf" },
		{ "riscv64", "riscv64" },
	};

	for (size_t i = 0; machine && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(names[i][0], machine))
			return names[i][1];
	return NULL;
}

const char *deb_auto_table(const struct skd_host *h, const struct deb_release *rel,
                           const char **ret_file, const char **ret_arch)
{
	const char *arch = deb_arch(h->get(h, "platform.arch"));
	bool large_arch = arch && (!strcmp(arch, "arm64") || !strcmp(arch, "ppc64el"));
	const char *file = large_arch ? (!strcmp(arch, "arm64") ? "kdump-tools.grub.arm64"
	                                                        : "kdump-tools.grub.ppc64el")
	                              : "kdump-tools.grub.default";
	const char *value;

	// NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult)
	if (rel->family == DEB_FAMILY_UBUNTU) {
		value = large_arch || !rel->version_known || rel->major >= 24 ? LARGE : SMALL_NEW;
	} else if (large_arch && (!rel->version_known || rel->major >= 10)) {
		value = LARGE;
	} else {
		/* Debian 9 had no file per architecture */
		file = "kdump-tools.grub.default";
		value = rel->version_known && rel->major <= 12 ? SMALL_OLD : SMALL_NEW;
	}
	if (ret_file)
		*ret_file = file;
	if (ret_arch)
		*ret_arch = arch;
	return value;
}

int deb_auto_crashkernel(const struct skd_host *h, uint32_t flags,
                         char **ret_value, char **ret_basis)
{
	const char *arch, *file, *value;
	struct deb_release rel;
	int r;

	(void)flags;
	*ret_value = *ret_basis = NULL;
	if ((r = deb_release_detect(h, &rel)) < 0)
		return r;
	value = deb_auto_table(h, &rel, &file, &arch);
	*ret_value = strdup(value);
	if (!*ret_value ||
	    asprintf(ret_basis, "kdump-tools' %s for %s on %s %s%s", file,
	             arch ? arch : "amd64 (the architecture is unknown)",
	             rel.family == DEB_FAMILY_UBUNTU ? "Ubuntu" : "Debian",
	             h->get(h, "os.version_id") ? h->get(h, "os.version_id") : "(newest)",
	             rel.derivative ? " (the base of this derivative, by ID_LIKE)" : "") < 0) {
		free(*ret_value);
		*ret_value = *ret_basis = NULL;
		return -ENOMEM;
	}
	return 0;
}
