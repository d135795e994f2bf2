/* SPDX-License-Identifier: Apache-2.0 */
/* What the estimate is computed from, read from the root: RAM, CPUs, the
 * capture kernel's command line, the kernel image and the kdump initrd,
 * loaded modules. Read-only; what is missing stays unknown. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <skyhook-kdump/backend.h>

#include "diag.h"
#include "estimate.h"
#include "memory.h"
#include "strv.h"
#include "sysroot.h"

/* kdump-config (Debian kdump-tools 1:1.8.1, amd64): the default when
 * KDUMP_CMDLINE_APPEND is unset or empty (it is set with ${VAR:=...}). */
#define DEB_APPEND_DEFAULT \
	"reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll usbcore.nousb"
#define DEB_CONFIG "/etc/default/kdump-tools"
#define RPM_SYSCONFIG "/etc/sysconfig/kdump"
/* What is read of a kernel image: its header (the x86 boot protocol's
 * ends at 0x264, arm64's at 64 bytes), never the whole 8-15 MiB. */
#define KERNEL_HEADER_READ 4096u

static bool is_rpm_family(const struct skd_facts *facts)
{
	return facts && facts->kdump_config_format == SKD_CONFIG_DIRECTIVES;
}

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

static int cmp_release(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

/* The newest /boot/vmlinuz-<release>, rescue images left out. */
static char *newest_boot_release(struct sysroot *root)
{
	char **names = NULL, **rel = NULL, *best = NULL;
	size_t n = 0;

	if (sysroot_list(root, "/boot", &names) < 0)
		return NULL;
	rel = calloc(strv_length(names) + 1, sizeof(char *));
	for (size_t i = 0; rel && names[i]; i++)
		if (!strncmp(names[i], "vmlinuz-", 8) && names[i][8] &&
		    !strstr(names[i], "rescue"))
			rel[n++] = names[i] + 8;
	if (n) {
		qsort(rel, n, sizeof(char *), cmp_release);
		best = strdup(rel[n - 1]);
	}
	free(rel);
	skd_strv_free(names);
	return best;
}

static char *find_release(struct sysroot *root, const char *given)
{
	struct utsname u;
	char *text;

	if (given)
		return strdup(given);
	text = read_text(root, "/proc/sys/kernel/osrelease", 256);
	if (text) {
		text[strcspn(text, "\n")] = '\0';
		if (*text)
			return text;
		free(text);
	}
	if (sysroot_is_slash(root) && uname(&u) == 0)
		return strdup(u.release);
	return newest_boot_release(root);
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

/* The capture kernel's command line as the family's tool builds it: the
 * configured base (else the running kernel's /proc/cmdline) and the
 * configured append (else the tool's default). */
static int gather_capture_cpus(struct sysroot *root, const struct skd_facts *facts,
                               struct estimate_machine *m)
{
	bool rpm = is_rpm_family(facts);
	const char *path = rpm ? RPM_SYSCONFIG
	                       : facts && facts->kdump_config_path ? facts->kdump_config_path
	                                                          : DEB_CONFIG;
	const char *base_var = rpm ? "KDUMP_COMMANDLINE" : "KDUMP_CMDLINE";
	const char *append_var = rpm ? "KDUMP_COMMANDLINE_APPEND" : "KDUMP_CMDLINE_APPEND";
	char *conf = read_text(root, path, 1u << 20);
	char *base = conf ? shell_var_value(conf, base_var) : NULL;
	char *append = conf ? shell_var_value(conf, append_var) : NULL;
	char *cmdline = NULL, *from = NULL;
	const char *param = NULL, *append_param = NULL;
	int r = -ENOMEM;

	bool base_configured = base && *base;

	if (!base_configured) {
		free(base);
		base = read_text(root, "/proc/cmdline", 1 << 16);
	}
	if (append && *append) {
		r = asprintf(&from, "%s of %s", append_var, path);
	} else if (!rpm) {
		free(append);
		append = strdup(DEB_APPEND_DEFAULT);
		r = asprintf(&from, "kdump-config's default %s", append_var);
	} else if (!conf) {
		/* every x86_64 /etc/sysconfig/kdump of kexec-tools and
		 * kdump-utils appends nr_cpus=1 (gen-kdump-sysconfig.sh) */
		free(append);
		append = strdup("nr_cpus=1");
		r = asprintf(&from, "the packaged %s (no %s yet)", append_var, path);
	} else {
		r = asprintf(&from, "%s of %s", append_var, path);
	}
	if (r < 0)
		from = NULL;
	if (r < 0 || asprintf(&cmdline, "%s %s", base ? base : "", append ? append : "") < 0) {
		cmdline = NULL;
		r = -ENOMEM;
		goto out;
	}
	m->capture_cpus = cmdline_cpu_limit(cmdline, &param);
	if (m->capture_cpus && cmdline_cpu_limit(append ? append : "", &append_param) ==
	                       m->capture_cpus && !strcmp(param, append_param))
		r = asprintf(&m->capture_cpus_basis, "%s=%u in %s", param, m->capture_cpus, from);
	else if (m->capture_cpus)
		r = asprintf(&m->capture_cpus_basis, "%s=%u on the command line the "
		             "capture kernel takes over (%s)", param, m->capture_cpus,
		             base_configured ? base_var : "/proc/cmdline");
	else
		r = asprintf(&m->capture_cpus_basis, "no nr_cpus= or maxcpus= in %s", from);
	if (r < 0) {
		m->capture_cpus_basis = NULL;
		r = -ENOMEM;
	}
out:
	free(conf);
	free(base);
	free(append);
	free(cmdline);
	free(from);
	return r < 0 ? r : 0;
}

static int gather_kernel(struct sysroot *root, struct estimate_machine *m)
{
	unsigned char *data = NULL;
	uint64_t size;
	size_t len = 0;
	char *path;

	if (!m->kernel_release)
		return 0;
	if (asprintf(&path, "/boot/vmlinuz-%s", m->kernel_release) < 0)
		return -ENOMEM;
	/* the header and the size in one open; an image that cannot be read
	 * still has a size */
	if (sysroot_read_head(root, path, KERNEL_HEADER_READ, (char **)&data,
	                      &len, &size) < 0) {
		len = 0;
		if (!file_size(root, path, &size)) {
			free(path);
			return 0;
		}
	}
	m->kernel_path = path;
	m->kernel_size = estimate_kernel_memory(data, len, size, &m->kernel_size_basis);
	free(data);
	return 0;
}

/* The kdump initrd, else the system initrd standing in for it. */
static int gather_initrd(struct sysroot *root, const struct skd_facts *facts,
                         struct estimate_machine *m)
{
	/* {prefix, suffix}: kdump's own first, then the system's */
	static const char *const deb[2][2] = {
		{ "/var/lib/kdump/initrd.img-", "" }, { "/boot/initrd.img-", "" },
	};
	static const char *const rpm[2][2] = {
		{ "/boot/initramfs-", "kdump.img" }, { "/boot/initramfs-", ".img" },
	};
	const char *const (*name)[2] = is_rpm_family(facts) ? rpm : deb;

	if (!m->kernel_release)
		return 0;
	for (int i = 0; i < 2; i++) {
		char *path;

		if (asprintf(&path, "%s%s%s", name[i][0], m->kernel_release, name[i][1]) < 0)
			return -ENOMEM;
		if (file_size(root, path, &m->initrd_size)) {
			m->initrd_path = path;
			m->initrd_stand_in = i == 1;
			return 0;
		}
		free(path);
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

int estimate_gather(struct sysroot *root, const struct skd_facts *facts,
                    const char *kernel_release, const struct estimate_ram *ram,
                    struct estimate_machine *ret)
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
	m.kernel_release = find_release(root, kernel_release);
	if ((r = gather_capture_cpus(root, facts, &m)) < 0 ||
	    (r = gather_kernel(root, &m)) < 0 ||
	    (r = gather_initrd(root, facts, &m)) < 0 ||
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
	free(m->kernel_release);
	free(m->kernel_path);
	free(m->initrd_path);
	for (size_t i = 0; i < m->n_drivers; i++)
		free(m->drivers[i].name);
	free(m->drivers);
	memset(m, 0, sizeof(*m));
}
