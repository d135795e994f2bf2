/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel.h"
#include "sysroot.h"

static bool ends_with(const char *w, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && !memcmp(w + len - n, suffix, n);
}

char *cmdline_last_crashkernel(const char *cmdline)
{
	/* the last plain word, the last ",high" and the last ",low" */
	const char *p = cmdline, *plain = NULL, *high = NULL, *low = NULL;
	size_t plain_len = 0, high_len = 0, low_len = 0;
	char *v;

	while (*p) {
		size_t len;

		p += strspn(p, " \t\n");
		len = strcspn(p, " \t\n");
		/* an empty "crashkernel=" counts too: the kernel takes the
		 * last one and then reserves nothing */
		if (len >= 12 && !strncmp(p, "crashkernel=", 12)) {
			const char *w = p + 12;
			size_t n = len - 12;

			/* get_last_crashkernel(): a word with a suffix is only
			 * read for that suffix (",cma" came with Linux 6.16
			 * and is not ours to judge: left out) */
			if (ends_with(w, n, ",high")) {
				high = w;
				high_len = n;
			} else if (ends_with(w, n, ",low")) {
				low = w;
				low_len = n;
			} else if (!ends_with(w, n, ",cma")) {
				plain = w;
				plain_len = n;
			}
		}
		p += len;
	}
	/* parse_crashkernel(): a plain value wins and ",high"/",low" are
	 * then ignored; without one, ",high" with its ",low" (each item
	 * its own word, given here in their order on the command line) */
	if (plain)
		return strndup(plain, plain_len);
	if (!high && !low)
		return NULL;
	if (!high || !low)
		return high ? strndup(high, high_len) : strndup(low, low_len);
	if (low < high)
		return asprintf(&v, "%.*s %.*s", (int)low_len, low, (int)high_len, high) < 0 ? NULL : v;
	return asprintf(&v, "%.*s %.*s", (int)high_len, high, (int)low_len, low) < 0 ? NULL : v;
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
