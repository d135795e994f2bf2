/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debian.h"

/* kexec-tools is a dependency of kdump-tools; naming it means apply
 * records it as ours when it installs it, and uninstall takes it away. */
static const char *const packages[] = {
	"kdump-tools", "kexec-tools", "makedumpfile", "crash", NULL,
};

/* Is `word` one of the blank-separated words in `list`? */
static bool has_word(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; p && *p;) {
		p += strspn(p, " \t");
		size_t len = strcspn(p, " \t");
		if (len == n && strncmp(p, word, n) == 0)
			return true;
		p += len;
	}
	return false;
}

int deb_release_detect(const struct skd_host *h, struct deb_release *ret)
{
	const char *id = h->get(h, "os.id");
	const char *like = h->get(h, "os.id_like");
	const char *ver = h->get(h, "os.version_id");
	struct deb_release rel = { 0 };

	if (id && strcmp(id, "debian") == 0) {
		rel.family = DEB_FAMILY_DEBIAN;
	} else if (id && strcmp(id, "ubuntu") == 0) {
		rel.family = DEB_FAMILY_UBUNTU;
	} else if (has_word(like, "ubuntu")) {
		rel.family = DEB_FAMILY_UBUNTU;
		rel.derivative = true;
	} else if (has_word(like, "debian")) {
		rel.family = DEB_FAMILY_DEBIAN;
		rel.derivative = true;
	} else {
		return h->error(h, -SKD_E_UNSUPPORTED,
		                "ID=\"%s\" ID_LIKE=\"%s\" is not supported: neither "
		                "Debian, Ubuntu nor derived from them", id ? id : "",
		                like ? like : "");
	}
	/* a derivative numbers its own releases: its VERSION_ID says
	 * nothing about the Debian or Ubuntu base */
	if (!rel.derivative && ver) {
		char *end;
		long major = strtol(ver, &end, 10);
		long minor = *end == '.' ? strtol(end + 1, &end, 10) : 0;
		if (end != ver && *end == '\0' && major > 0 && major < 1000) {
			rel.major = (int)major;
			rel.minor = (int)minor;
			rel.version_known = true;
		}
	}
	*ret = rel;
	return 0;
}

int deb_init(const struct skd_host *h)
{
	struct deb_release rel;
	int r = deb_release_detect(h, &rel);

	if (r < 0)
		return r;
	/* *rel is set whenever deb_release_detect() returns 0: h->error()
	 * returns its negative code, which the analyzer cannot see */
	// NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch)
	if (!rel.version_known) {
		h->log(h, SKD_LOG_DEBUG,
		       "release \"%s\" not known by number: using the newest "
		       "%s defaults", h->get(h, "os.version_id") ?: "(none)",
		       rel.family == DEB_FAMILY_DEBIAN ? "Debian" : "Ubuntu");
		return 0;
	}
	if (rel.family == DEB_FAMILY_DEBIAN && rel.major < 9)
		return h->error(h, -SKD_E_UNSUPPORTED,
		                "Debian %d is not supported: the oldest supported "
		                "release is Debian 9", rel.major);
	if (rel.family == DEB_FAMILY_UBUNTU &&
	    (rel.major < 18 || (rel.major == 18 && rel.minor < 4)))
		return h->error(h, -SKD_E_UNSUPPORTED,
		                "Ubuntu %d.%02d is not supported: the oldest "
		                "supported release is Ubuntu 18.04",
		                rel.major, rel.minor);
	return 0;
}

int deb_get_facts(const struct skd_host *h, struct skd_facts *ret)
{
	struct deb_release rel;
	int r = deb_release_detect(h, &rel);

	if (r < 0)
		return r;
	*ret = (struct skd_facts){
		.service = DEB_SERVICE,
		.kdump_config_path = DEB_KDUMP_CONFIG,
		.kdump_config_format = SKD_CONFIG_SHELL_VARS,
		.packages = packages,
		.default_crashkernel = deb_auto_table(h, &rel, NULL, NULL),
		.default_dump_dir = "/var/crash",
		.package_manager = "apt-get",
		.bootloader_method =
			"/etc/default/grub.d drop-in (or GRUB_CMDLINE_LINUX in "
			"/etc/default/grub) + update-grub",
	};
	return 0;
}
