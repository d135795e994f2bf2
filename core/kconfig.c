/* SPDX-License-Identifier: Apache-2.0 */
/* Reading a kernel's .config: one "CONFIG_NAME=value" per line, "# ... is
 * not set" for what is off. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kconfig.h"
#include "sysroot.h"

/* Distribution configs are 200 to 300 KiB */
#define KCONFIG_MAX (4u << 20)

const char *kconfig_value(const char *config, const char *name, size_t *ret_len)
{
	size_t nlen = strlen(name);

	for (const char *l = config; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		if (!strncmp(l, name, nlen) && l[nlen] == '=') {
			*ret_len = strcspn(l + nlen + 1, "\n");
			return l + nlen + 1;
		}
	}
	return NULL;
}

bool kconfig_yes(const char *config, const char *name)
{
	size_t len;
	const char *v = kconfig_value(config, name, &len);

	return v && len == 1 && *v == 'y';
}

char *kconfig_read(struct sysroot *root, const char *release, char **ret_path)
{
	char *path = NULL, *text = NULL;
	size_t len;

	if (ret_path)
		*ret_path = NULL;
	if (!release || asprintf(&path, "/boot/config-%s", release) < 0)
		return NULL;
	if (sysroot_read(root, path, KCONFIG_MAX, &text, &len) < 0) {
		diag_clear();
		free(path);
		return NULL;
	}
	if (ret_path)
		*ret_path = path;
	else
		free(path);
	return text;
}
