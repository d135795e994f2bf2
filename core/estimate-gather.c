/* SPDX-License-Identifier: Apache-2.0 */
/* What the estimate is computed from, read from the root: RAM, CPUs, the
 * capture kernel's command line, the kernel image and the kdump initrd
 * (where the backend says they are), loaded modules. Read-only; what is
 * missing stays unknown. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <skyhook-kdump/backend.h>

#include "diag.h"
#include "estimate.h"
#include "kconfig.h"
#include "kimage.h"
#include "platform.h"
#include "memory.h"
#include "strv.h"
#include "sysroot.h"

static char *read_text(struct sysroot *root, const char *path, size_t max)
{
	char *text = NULL;
	size_t len;

	if (sysroot_read(root, path, max, &text, &len) < 0)
		return NULL;
	return text;
}

static bool file_size(struct sysroot *root, const char *path, uint64_t *ret)
{
	struct skd_stat st;

	if (sysroot_stat(root, path, false, &st) < 0 || st.type != SKD_FILE_REGULAR)
		return false;
	*ret = st.size;
	return true;
}

static char *find_release(struct sysroot *root, const char *given)
{
	return given ? strdup(given) : platform_kernel_release(root, sysroot_is_slash(root), NULL);
}

static void gather_cpus(struct sysroot *root, struct estimate_machine *m)
{
	static const char *const lists[] = {
		"/sys/devices/system/cpu/possible", "/sys/devices/system/cpu/online",
	};
	char *text;

	for (size_t i = 0; i < 2; i++) {
		text = read_text(root, lists[i], 4096);
		if (text) {
			m->cpus = estimate_cpu_list_count(text);
			free(text);
			if (m->cpus) {
				m->cpus_source = lists[i];
				return;
			}
		}
	}
	text = read_text(root, "/proc/cpuinfo", 16u << 20);
	if (!text)
		return;
	for (const char *l = text; l; l = strchr(l, '\n')) {
		l += *l == '\n';
		if (!strncmp(l, "processor", 9) && strchr(" \t:", l[9]))
			m->cpus++;
	}
	free(text);
	if (m->cpus)
		m->cpus_source = "/proc/cpuinfo";
}

/* The CMA the capture kernel sets aside: its command line's cma=, else
 * its kernel's built-in default (/boot/config-RELEASE). Debian's arm64
 * kernel sets aside 64M: measured, it takes 64M of the reservation that
 * the capture kernel's own allocations cannot use (docs/calibration.md). */
static int gather_cma(struct sysroot *root, struct estimate_machine *m,
                      const char *cmdline, const char *base_from, const char *from)
{
	char *path = NULL, *config;
	uint64_t size;
	int r;

	if (cmdline_cma(cmdline, &size) > 0) {
		m->capture_cma = size;
		r = asprintf(&m->capture_cma_basis, "cma= on the capture kernel's "
		             "command line (%s and %s)", base_from, from);
		return r < 0 ? (m->capture_cma_basis = NULL, -ENOMEM) : 0;
	}
	config = kconfig_read(root, m->kernel_release, &path);
	size = config ? kconfig_cma_default(config) : 0;
	free(config);
	r = 0;
	if (size) {
		m->capture_cma = size;
		r = asprintf(&m->capture_cma_basis, "CONFIG_CMA_SIZE_MBYTES=%llu in %s, "
		             "with no cma= on the capture kernel's command line (%s "
		             "and %s)", (unsigned long long)(size >> 20), path,
		             base_from, from);
		if (r < 0)
			m->capture_cma_basis = NULL;
	}
	free(path);
	return r < 0 ? -ENOMEM : 0;
}

/* The capture kernel's command line as the backend says its tools build
 * it: the configured base (else the running kernel's /proc/cmdline) and
 * what they append. */
static int gather_capture_cpus(struct sysroot *root, const struct estimate_tools *t,
                               struct estimate_machine *m)
{
	const char *append = t && t->cmdline_append ? t->cmdline_append : "";
	const char *from = t && t->cmdline_append_from ? t->cmdline_append_from
	                   : "the capture kernel's command line (the backend does not say "
	                     "what its tools append)";
	char *base = t && t->cmdline_base ? strdup(t->cmdline_base)
	                                  : read_text(root, "/proc/cmdline", 1 << 16);
	const char *base_from = t && t->cmdline_base && t->cmdline_base_from
	                        ? t->cmdline_base_from : "/proc/cmdline";
	char *cmdline = NULL;
	const char *param = NULL, *append_param = NULL;
	int r;

	if (asprintf(&cmdline, "%s %s", base ? base : "", append) < 0) {
		free(base);
		return -ENOMEM;
	}
	if ((r = gather_cma(root, m, cmdline, base_from, from)) < 0) {
		free(base);
		free(cmdline);
		return r;
	}
	m->capture_cpus = cmdline_cpu_limit(cmdline, &param);
	if (m->capture_cpus && cmdline_cpu_limit(append, &append_param) ==
	                       m->capture_cpus && !strcmp(param, append_param))
		r = asprintf(&m->capture_cpus_basis, "%s=%u in %s", param, m->capture_cpus, from);
	else if (m->capture_cpus)
		r = asprintf(&m->capture_cpus_basis, "%s=%u on the command line the "
		             "capture kernel takes over (%s)", param, m->capture_cpus,
		             base_from);
	else
		r = asprintf(&m->capture_cpus_basis, "no nr_cpus= or maxcpus= in %s", from);
	if (r < 0)
		m->capture_cpus_basis = NULL;
	free(base);
	free(cmdline);
	return r < 0 ? -ENOMEM : 0;
}

static int gather_kernel(struct sysroot *root, struct estimate_machine *m)
{
	struct kimage *k;
	uint64_t size;
	char *path;

	if (!m->kernel_release)
		return 0;
	if (asprintf(&path, "/boot/vmlinuz-%s", m->kernel_release) < 0)
		return -ENOMEM;
	k = malloc(sizeof(*k));
	if (!k) {
		free(path);
		return -ENOMEM;
	}
	/* the header through its packing; an image that cannot be read still
	 * has a size */
	if (kimage_read(root, path, k) < 0) {
		if (!file_size(root, path, &size)) {
			free(k);
			free(path);
			return 0;
		}
		m->kernel_size = estimate_kernel_memory(NULL, 0, size, &m->kernel_size_basis);
	} else {
		m->kernel_size = estimate_kernel_memory(k->head, k->head_len, k->file_size,
		                                        &m->kernel_size_basis);
		m->kernel_packing = k->unreadable ? k->unreadable : k->packing;
	}
	m->kernel_path = path;
	free(k);
	return 0;
}

static unsigned long hex8(const unsigned char *p)
{
	char buf[9];

	memcpy(buf, p, 8);
	buf[8] = '\0';
	return strtoul(buf, NULL, 16);
}

/* The compression of the initrd's main archive. The uncompressed cpio
 * archives before it (early microcode) are walked header by header, as
 * the kernel's unpacker does: one read per file in them, never the whole
 * initrd (status runs this too). */
static const char *initrd_packing(struct sysroot *root, const char *path)
{
	unsigned char h[512];
	const char *packing = NULL;
	uint64_t off = 0;
	bool cpio = false;
	int fd = sysroot_open_fd(root, path, NULL);

	if (fd < 0) {
		diag_clear();
		return NULL;
	}
	for (int n = 0; n < 4096; n++) {
		ssize_t got = pread(fd, h, sizeof(h), (off_t)off);
		size_t zeros = 0;

		if (got <= 0) {
			packing = got == 0 && cpio ? "cpio" : NULL;
			break;
		}
		while (zeros < (size_t)got && h[zeros] == 0)
			zeros++;
		if (zeros) {
			/* the padding after an archive's trailer */
			off += zeros;
			continue;
		}
		packing = initrd_compression(h, (size_t)got);
		if (!packing || strcmp(packing, "cpio"))
			break;
		if (got < 110)
			break;
		cpio = true;
		/* a newc header, its name, its data, each padded to 4 bytes */
		off += 110 + hex8(h + 94);
		off = (off + 3) & ~UINT64_C(3);
		off += hex8(h + 54);
		off = (off + 3) & ~UINT64_C(3);
		packing = NULL;
	}
	close(fd);
	return packing;
}

/* The capture initrd, else the system initrd standing in for it, where the
 * backend says they are. */
static int gather_initrd(struct sysroot *root, const struct estimate_tools *t,
                         struct estimate_machine *m)
{
	const char *paths[2] = { t ? t->initrd_path : NULL, t ? t->initrd_stand_in : NULL };

	for (int i = 0; i < 2; i++) {
		if (!paths[i] || !file_size(root, paths[i], &m->initrd_size))
			continue;
		m->initrd_path = strdup(paths[i]);
		if (!m->initrd_path)
			return -ENOMEM;
		m->initrd_stand_in = i == 1;
		m->initrd_packing = initrd_packing(root, paths[i]);
		return 0;
	}
	return 0;
}

static int gather_drivers(struct sysroot *root, struct estimate_machine *m)
{
	char *text = read_text(root, "/proc/modules", 4u << 20);

	if (!text)
		return 0;
	for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n")) {
		char name[64];
		unsigned long long size;
		struct estimate_driver *d;

		if (sscanf(l, "%63s %llu", name, &size) != 2 || !estimate_driver_rule(name))
			continue;
		d = realloc(m->drivers, (m->n_drivers + 1) * sizeof(*d));
		if (!d) {
			free(text);
			return -ENOMEM;
		}
		m->drivers = d;
		d[m->n_drivers].name = strdup(name);
		d[m->n_drivers].module_size = size;
		if (!d[m->n_drivers].name) {
			free(text);
			return -ENOMEM;
		}
		m->n_drivers++;
	}
	free(text);
	return 0;
}

static void copy_platform(const struct platform *p, struct estimate_machine *m)
{
	if (!p)
		return;
	m->arch = p->arch;
	m->page_size = p->page_size;
	m->page_size_source = p->page_size_source;
	m->smmu = p->smmu;
	m->mlx5_bound = p->mlx5;
	m->mem_encryption = p->mem_encryption;
	m->mem_encryption_source = p->mem_encryption_source;
}

int estimate_gather(struct sysroot *root, const struct estimate_tools *tools,
                    const struct estimate_ram *ram, struct estimate_machine *ret)
{
	struct estimate_machine m = { 0 };
	int r;

	memset(ret, 0, sizeof(*ret));
	if (ram) {
		m.ram_known = true;
		m.ram = ram->bytes;
		m.ram_source = ram->source;
	} else {
		m.ram_known = memory_system_ram(root, &m.ram, &m.ram_source) >= 0;
	}
	gather_cpus(root, &m);
	m.kernel_release = find_release(root, tools ? tools->kernel_release : NULL);
	copy_platform(tools ? tools->platform : NULL, &m);
	if ((r = gather_capture_cpus(root, tools, &m)) < 0 ||
	    (r = gather_kernel(root, &m)) < 0 ||
	    (r = gather_initrd(root, tools, &m)) < 0 ||
	    (r = gather_drivers(root, &m)) < 0) {
		estimate_machine_clear(&m);
		return r;
	}
	/* what was missing is in the fields; no failure to report */
	diag_clear();
	*ret = m;
	return 0;
}

void estimate_machine_clear(struct estimate_machine *m)
{
	if (!m)
		return;
	free(m->capture_cpus_basis);
	free(m->capture_cma_basis);
	free(m->kernel_release);
	free(m->kernel_path);
	free(m->initrd_path);
	for (size_t i = 0; i < m->n_drivers; i++)
		free(m->drivers[i].name);
	free(m->drivers);
	memset(m, 0, sizeof(*m));
}
