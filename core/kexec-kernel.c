/* SPDX-License-Identifier: Apache-2.0 */
/* The running kernel's kexec facilities, read from its .config and
 * /proc/kallsyms. */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "kconfig.h"
#include "kexec-kernel.h"
#include "sysroot.h"

enum { KALLSYMS_FOUND = 1, KALLSYMS_MODULES = 2 };

/* "ffff800008000000 T _text": the name is the third field. The kernel's
 * own symbols come first, in address order, then the modules' ones
 * ("... [mlx5_core]"): _text is not among those, so the walk stops there
 * rather than read a node's 10 MB of module symbols. */
static int kallsyms_line(const char *text, size_t len, void *data)
{
	const char *name;

	(void)data;
	if (memchr(text, '[', len))
		return KALLSYMS_MODULES;
	name = strrchr(text, ' ');
	name = name ? name + 1 : text;
	return !strcmp(name, "_text") ? KALLSYMS_FOUND : 0;
}

static int text_symbol(struct sysroot *root)
{
	int r = sysroot_read_lines(root, "/proc/kallsyms", kallsyms_line, NULL);

	if (r < 0) {
		diag_clear();
		return -1;
	}
	return r == KALLSYMS_FOUND;
}

void kexec_kernel_read(struct sysroot *root, const char *release,
                       const char *arch, bool running,
                       struct kexec_kernel *ret)
{
	struct kexec_kernel k = { .file_load = -1, .text_symbol = -1 };
	char *config = kconfig_read(root, release, &k.file_load_source);

	if (config)
		k.file_load = kconfig_yes(config, "CONFIG_KEXEC_FILE");
	free(config);
	if (running && arch && !strcmp(arch, "aarch64"))
		k.text_symbol = text_symbol(root);
	*ret = k;
}

void kexec_kernel_clear(struct kexec_kernel *k)
{
	if (!k)
		return;
	free(k->file_load_source);
	k->file_load_source = NULL;
}

int kexec_core_header_broken(int text_symbol, const char *loader)
{
	if (text_symbol != 0)
		return 0;
	if (!loader)
		return -1;
	return !strcmp(loader, "kexec_load");
}
