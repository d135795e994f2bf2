/* SPDX-License-Identifier: Apache-2.0 */
/* The node's platform. On the running system the kernel answers (uname,
 * getpagesize). Under --root the root's files do, in this order:
 * - the release: /proc/sys/kernel/osrelease, else the newest /boot/vmlinuz-*;
 * - the architecture: /proc/sys/kernel/arch, else the header of that
 *   release's kernel image, else the ELF machine of the root's /bin/sh;
 * - the page size: an arm64 kernel image's header, else the PMD size in
 *   /sys/kernel/mm/transparent_hugepage/hpage_pmd_size (PAGE_SIZE squared
 *   over 8: 2M for 4K pages, 32M for 16K, 512M for 64K), else "64k" in the
 *   release (the kernel-64k and -64k flavours' naming), else 4K
 *   on x86 (its only base page size).
 * Devices and features, read the same way in both cases:
 * - an Arm SMMU: /sys/devices/platform/arm-smmu* (arm-smmu-v3.N.auto from
 *   ACPI IORT, as on Grace);
 * - ConnectX: /sys/bus/pci/drivers/mlx5_core, the driver bound;
 * - AMD memory encryption in use: the "sme" flag of /proc/cpuinfo (the
 *   kernel clears it unless it runs with SME: arch/x86/kernel/cpu/amd.c,
 *   early_detect_mem_encrypt), else the boot log kept in /var/log/dmesg
 *   ("Memory Encryption Features active: AMD SEV", arch/x86/mm/
 *   mem_encrypt.c, print_mem_encrypt_feature_info). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <skyhook-kdump/backend.h>

#include "kimage.h"
#include "platform.h"
#include "strv.h"
#include "sysroot.h"

#define SMMU_DIR "/sys/devices/platform"
#define MLX5_DIR "/sys/bus/pci/drivers/mlx5_core"
#define PMD_SIZE_FILE "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size"
#define ENCRYPTION_LINE "Memory Encryption Features active:"
/* the kernel's log of this boot, as the boot scripts of several
 * distributions keep it */
#define BOOT_LOG "/var/log/dmesg"

static char *read_line(struct sysroot *root, const char *path, size_t max)
{
	char *text = NULL;
	size_t len;

	if (sysroot_read(root, path, max, &text, &len) < 0)
		return NULL;
	text[strcspn(text, "\n")] = '\0';
	if (!*text) {
		free(text);
		return NULL;
	}
	return text;
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

const char *platform_elf_arch(const unsigned char *h, size_t len)
{
	unsigned machine;

	if (len < 20 || memcmp(h, "\177ELF", 4))
		return NULL;
	/* e_machine at 18, in the file's byte order (EI_DATA: 1 LSB, 2 MSB) */
	machine = h[5] == 2 ? (unsigned)h[18] << 8 | h[19] : (unsigned)h[19] << 8 | h[18];
	switch (machine) {
	case 62: return "x86_64";
	case 183: return "aarch64";
	case 3: return "i686";
	case 40: return "armv7l";
	case 21: return h[5] == 2 ? "ppc64" : "ppc64le";
	case 22: return "s390x";
	case 243: return "riscv64";
	default: return NULL;
	}
}

/* Architecture and page size from the running release's kernel image. */
static void from_kernel_image(struct sysroot *root, struct platform *p)
{
	struct kimage k;
	char *path;
	uint64_t image_size;
	unsigned page_size;
	bool x86_64;

	if (!p->kernel_release || asprintf(&path, "/boot/vmlinuz-%s", p->kernel_release) < 0)
		return;
	if (kimage_read(root, path, &k) >= 0 && !k.unreadable) {
		if (kimage_arm64(k.head, k.head_len, &image_size, &page_size)) {
			if (!p->arch && (p->arch = strdup("aarch64")))
				p->arch_source = "the arm64 header of the running kernel's image";
			if (!p->page_size && page_size) {
				p->page_size = page_size;
				p->page_size_source = "the arm64 header of the running kernel's image";
			}
		} else if (!p->arch && kimage_x86(k.head, k.head_len, &x86_64) && x86_64 &&
		           (p->arch = strdup("x86_64"))) {
			p->arch_source = "the x86 boot header of the running kernel's image";
		}
	}
	free(path);
}

static void from_shell_binary(struct sysroot *root, struct platform *p)
{
	char *head = NULL;
	size_t len;
	const char *arch;

	if (sysroot_read_head(root, "/bin/sh", 64, &head, &len, NULL) < 0)
		return;
	arch = platform_elf_arch((const unsigned char *)head, len);
	free(head);
	if (arch && (p->arch = strdup(arch)))
		p->arch_source = "the ELF machine of /bin/sh";
}

static void page_size_from_files(struct sysroot *root, struct platform *p)
{
	char *text = read_line(root, PMD_SIZE_FILE, 64);
	unsigned long long pmd = text ? strtoull(text, NULL, 10) : 0;
	static const struct { unsigned long long pmd; unsigned page; } pmds[] = {
		{ 2ull << 20, 4096 }, { 32ull << 20, 16384 }, { 512ull << 20, 65536 },
	};

	free(text);
	for (size_t i = 0; i < sizeof(pmds) / sizeof(pmds[0]); i++)
		if (pmd == pmds[i].pmd) {
			p->page_size = pmds[i].page;
			p->page_size_source = PMD_SIZE_FILE;
			return;
		}
	if (p->kernel_release && strstr(p->kernel_release, "64k")) {
		p->page_size = 65536;
		p->page_size_source = "\"64k\" in the kernel release";
	} else if (p->arch && (!strcmp(p->arch, "x86_64") || !strcmp(p->arch, "i686"))) {
		p->page_size = 4096;
		p->page_size_source = "x86 has 4K base pages only";
	}
}

static void read_devices(struct sysroot *root, struct platform *p)
{
	char **names = NULL;
	struct skd_stat st;

	if (sysroot_list(root, SMMU_DIR, &names) >= 0) {
		for (size_t i = 0; names[i] && !p->smmu; i++)
			if (!strncmp(names[i], "arm-smmu", 8))
				p->smmu = strdup(names[i]);
		skd_strv_free(names);
	}
	p->mlx5 = sysroot_stat(root, MLX5_DIR, false, &st) >= 0 &&
	          st.type == SKD_FILE_DIRECTORY;
}

/* Is `word` one of the blank-separated words of `list`? */
static bool has_word(const char *list, size_t len, const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i < len;) {
		i += strspn(list + i, " \t:");
		size_t w = strcspn(list + i, " \t");
		if (w == n && !memcmp(list + i, word, n))
			return true;
		i += w;
	}
	return false;
}

/* The first CPU's "flags" line is enough: the kernel clears a flag on
 * every CPU alike. Stops there (cpuinfo is large on big nodes). */
static int sme_line(const char *text, size_t len, void *data)
{
	bool *sme = data;

	if (len < 6 || memcmp(text, "flags", 5) || !strchr(text, ':'))
		return 0;
	*sme = has_word(strchr(text, ':'), len - (size_t)(strchr(text, ':') - text), "sme");
	return 1;
}

struct log_search {
	const char *needle;
	char *line;             /* from the needle on, malloc'd */
};

static int log_line(const char *text, size_t len, void *data)
{
	struct log_search *l = data;
	const char *at = strstr(text, l->needle);

	(void)len;
	if (!at)
		return 0;
	l->line = strdup(at);
	return 1;
}

char *platform_boot_log_find(struct sysroot *root, const char *needle)
{
	struct log_search l = { .needle = needle };

	if (sysroot_read_lines(root, BOOT_LOG, log_line, &l) < 0) {
		free(l.line);
		return NULL;
	}
	return l.line;
}

static void read_encryption(struct sysroot *root, struct platform *p)
{
	bool sme = false;
	char *line;

	if (p->arch && strcmp(p->arch, "x86_64"))
		return;
	if (sysroot_read_lines(root, "/proc/cpuinfo", sme_line, &sme) >= 0 && sme) {
		p->mem_encryption = "AMD SME";
		p->mem_encryption_source = "the sme flag of /proc/cpuinfo";
		return;
	}
	line = platform_boot_log_find(root, ENCRYPTION_LINE);
	if (line) {
		p->mem_encryption = strstr(line, "SEV") ? "AMD SEV"
		                  : strstr(line, "SME") ? "AMD SME" : NULL;
		if (p->mem_encryption)
			p->mem_encryption_source = "the boot log in " BOOT_LOG;
	}
	free(line);
}

char *platform_kernel_release(struct sysroot *root, bool running,
                              const char **ret_source)
{
	struct utsname u;
	const char *source;
	char *release = NULL;

	if (running && uname(&u) == 0) {
		release = strdup(u.release);
		source = "uname";
	} else if ((release = read_line(root, "/proc/sys/kernel/osrelease", 256))) {
		source = "/proc/sys/kernel/osrelease";
	} else {
		release = newest_boot_release(root);
		source = "the newest kernel in /boot";
	}
	if (ret_source)
		*ret_source = release ? source : NULL;
	return release;
}

int platform_read(struct sysroot *root, bool running, struct platform *ret)
{
	struct platform p = { 0 };
	struct utsname u;

	memset(ret, 0, sizeof(*ret));
	p.kernel_release = platform_kernel_release(root, running, &p.release_source);
	if (running && uname(&u) == 0) {
		p.arch = strdup(u.machine);
		p.arch_source = "uname";
		p.page_size = (unsigned)getpagesize();
		p.page_size_source = "getpagesize";
	} else {
		if ((p.arch = read_line(root, "/proc/sys/kernel/arch", 64)))
			p.arch_source = "/proc/sys/kernel/arch";
		/* an x86 page is 4K whatever the header says: no need to read it */
		if (!p.arch || !strcmp(p.arch, "aarch64"))
			from_kernel_image(root, &p);
		if (!p.arch)
			from_shell_binary(root, &p);
		if (!p.page_size)
			page_size_from_files(root, &p);
	}
	read_devices(root, &p);
	read_encryption(root, &p);
	*ret = p;
	return 0;
}

bool platform_arm64_old_reserve(const struct platform *p)
{
	unsigned major = 0, minor = 0;

	if (!p->arch || strcmp(p->arch, "aarch64") || !p->kernel_release ||
	    sscanf(p->kernel_release, "%u.%u", &major, &minor) != 2)
		return false;
	return major < 5 || (major == 5 && minor < 19);
}

void platform_clear(struct platform *p)
{
	if (!p)
		return;
	free(p->kernel_release);
	free(p->arch);
	free(p->smmu);
	memset(p, 0, sizeof(*p));
}

char *platform_describe(const struct platform *p)
{
	char *s = NULL;
	char pages[32] = "";

	if (p->page_size && p->page_size != 4096)
		snprintf(pages, sizeof(pages), ", %uK-page kernel", p->page_size / 1024);
	if (asprintf(&s, "%s%s%s%s%s%s%s", p->arch ? p->arch : "unknown architecture",
	             pages, p->smmu ? ", SMMU " : "", p->smmu ? p->smmu : "",
	             p->mlx5 ? ", mlx5_core" : "", p->mem_encryption ? ", " : "",
	             p->mem_encryption ? p->mem_encryption : "") < 0)
		return NULL;
	return s;
}
