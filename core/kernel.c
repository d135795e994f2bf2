/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "sysroot.h"

char *cmdline_last_crashkernel(const char *cmdline)
{
	const char *p = cmdline, *last = NULL;
	size_t last_len = 0;

	while (*p) {
		size_t len;

		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		/* an empty "crashkernel=" counts too: the kernel takes the
		 * last one and then reserves nothing */
		if (len >= 12 && !strncmp(p, "crashkernel=", 12)) {
			last = p + 12;
			last_len = len - 12;
		}
		p += len;
	}
	return last ? strndup(last, last_len) : NULL;
}

static int read_u64(struct sysroot *root, const char *path, uint64_t *ret)
{
	char *text = NULL, *end;
	size_t len;
	unsigned long long v;
	int r = sysroot_read(root, path, 4096, &text, &len);

	if (r < 0)
		return r;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno || end == text || (*end && *end != '\n'))
		r = -EINVAL;
	else
		*ret = v;
	free(text);
	return r;
}

int kernel_state_read(struct sysroot *root, struct kernel_state *ret)
{
	struct kernel_state k = { 0 };
	char *cmdline = NULL;
	size_t len;
	uint64_t v;

	if (sysroot_read(root, "/proc/cmdline", 1 << 16, &cmdline, &len) >= 0) {
		k.have_cmdline = true;
		k.cmdline_crashkernel = cmdline_last_crashkernel(cmdline);
		free(cmdline);
	}
	if (read_u64(root, "/sys/kernel/kexec_crash_size", &v) >= 0) {
		k.have_crash_size = true;
		k.crash_size = v;
	}
	if (read_u64(root, "/sys/kernel/kexec_crash_loaded", &v) >= 0) {
		k.have_crash_loaded = true;
		k.crash_loaded = v == 1;
	}
	*ret = k;
	return 0;
}

void kernel_state_clear(struct kernel_state *k)
{
	free(k->cmdline_crashkernel);
	k->cmdline_crashkernel = NULL;
}
