/* SPDX-License-Identifier: Apache-2.0 */
/* The estimate's rules: a pure function of the machine, so every rule is
 * tested with machines that are not this one. Each rule names its source
 * here and in the basis string it prints.
 *
 * The shape follows kdump-utils' `kdumpctl estimate` (do_estimate in
 * kdumpctl): the distro's default for this RAM is the baseline, and the
 * sum of what the capture environment needs raises it:
 *   kernel + 3 x initrd + 16M runtime (+ LUKS, not estimated here)
 * to which we add CPUs the capture kernel brings up and large drivers. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crashkernel.h"
#include "diag.h"
#include "estimate.h"
#include "strv.h"

#define MiB (UINT64_C(1) << 20)

/* kdump-utils' do_estimate: "a pre-estimated value for userspace usage and
 * kernel runtime allocation, 16M should be good for most cases". */
#define RUNTIME_ALLOWANCE (16 * MiB)
/* kdump-utils (commit 4e1f06e, 2025): the initrd counts three times: the
 * packed image, its unpacked copy in the rootfs tmpfs, and as much again
 * free, since that tmpfs may only fill half of the memory. */
#define INITRD_FACTOR 3
/* That rule takes the unpacked copy to be as large as the packed image,
 * which holds for an uncompressed cpio only. Measured on Debian 12
 * (docs/calibration.md): its zstd kdump initrd of 6.7M unpacks to 18.2M
 * (2.7 times), and with crashkernel=96M the x86_64 capture kernel ran out
 * of memory while unpacking it, where 112M captured. A compressed initrd
 * counts as the packed image plus twice its unpacked copy at 2.7 times:
 * 1 + 2 x 2.7 = 6.4 times its size (in tenths). */
#define UNPACKED_TENTHS 27
#define COMPRESSED_FACTOR_TENTHS (10 + 2 * UNPACKED_TENTHS)
/* kdump-utils' ppc64le rule (kdump_get_arch_recommend_crashkernel, 2025):
 * 1M more per CPU the capture kernel sets up (per-CPU areas, stacks). */
#define PER_CPU (1 * MiB)
/* No kernel image found: 64M, above the 49M kdumpctl estimate reports for
 * an x86_64 4.18 kernel (a sample in the shared fixtures). */
#define KERNEL_FALLBACK (64 * MiB)

/* arm64 with 64K pages (kdump-utils' kdump-lib.sh, commits 05c4861 and
 * 7a2c4cb, June 2023, measured on arm64 servers): a 64K-page capture
 * kernel needs 100M more; an SMMU there 384M more (its command queues and
 * page tables at 64K granules); mlx5 200M where 4K pages need 150M. */
#define PAGES_64K (100 * MiB)
#define SMMU_64K (384 * MiB)
#define MLX5_64K (200 * MiB)
/* kdump-utils (commit 4841bc6, 2023): 64M more under AMD SME or SEV, for
 * the capture kernel's bounce buffers (SWIOTLB) of unencrypted DMA. */
#define MEM_ENCRYPTION (64 * MiB)

/* Drivers that need more memory in the capture kernel. */
static const struct estimate_driver_rule driver_rules[] = {
	{ "mlx5_core", 150 * MiB, false,
	  "Mellanox ConnectX (mlx5) needs 124M more in the capture kernel as "
	  "kdump-utils measured it; it reserves 150M (kdump-lib.sh, aarch64 "
	  "4K pages), counted here on every architecture with 4K pages" },
	{ "nouveau", 38 * MiB, true,
	  "its size in /proc/modules plus 38M of firmware it loads, as "
	  "kdump-utils measured (pull request 65, which leaves it out of "
	  "the kdump initrd)" },
	{ "nvidia", 38 * MiB, true,
	  "the NVIDIA GPU driver: its size in /proc/modules (the largest "
	  "module on most GPU nodes) plus 38M for firmware, counted like "
	  "nouveau's; kdump-utils has no measurement of its own" },
};

/* The measurement each architecture's model was checked against: the
 * smallest crashkernel with which a crash still left a complete vmcore and
 * its dmesg file on a real kernel (make check-vm VM_SCENARIOS=calibrate;
 * docs/calibration.md has every try). Printed with the estimate, so that
 * its figure is read next to what it was held to. */
static const struct {
	const char *arch;           /* uname -m spelling */
	const char *text;
} measured[] = {
	{ "x86_64", "a Debian 12 x86_64 VM (2G of RAM, kernel 6.1, zstd kdump "
	  "initrds of 6.7M and 6.9M) captured a complete dump with crashkernel=112M "
	  "and ran out of memory with 96M, with either initrd (make check-vm "
	  "VM_SCENARIOS=calibrate; docs/calibration.md)" },
	{ "aarch64", "a Debian 12 arm64 VM (2G of RAM, kernel 6.1 with a 64M CMA "
	  "area, zstd kdump initrd of 6.2M) captured a complete dump with "
	  "crashkernel=160M and ran out of memory with 144M (make check-vm "
	  "VM_ARCH=arm64 VM_SCENARIOS=calibrate; docs/calibration.md)" },
};

const char *estimate_checked_against(const char *arch)
{
	for (size_t i = 0; arch && i < sizeof(measured) / sizeof(measured[0]); i++)
		if (!strcmp(measured[i].arch, arch))
			return measured[i].text;
	return NULL;
}

const struct estimate_driver_rule *estimate_driver_rule(const char *module)
{
	for (size_t i = 0; i < sizeof(driver_rules) / sizeof(driver_rules[0]); i++)
		if (!strcmp(driver_rules[i].name, module))
			return &driver_rules[i];
	return NULL;
}

const char *estimate_mib(uint64_t bytes, char *buf, size_t len)
{
	if (bytes % MiB == 0)
		snprintf(buf, len, "%" PRIu64 "M", bytes / MiB);
	else
		snprintf(buf, len, "%.1fM", (double)bytes / (double)MiB);
	return buf;
}

static int add_part(struct estimate *e, const char *what, uint64_t bytes,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int add_part(struct estimate *e, const char *what, uint64_t bytes,
                    const char *fmt, ...)
{
	struct estimate_part *p;
	va_list ap;
	int n;

	p = realloc(e->parts, (e->n_parts + 1) * sizeof(*p));
	if (!p)
		return -ENOMEM;
	e->parts = p;
	p = &e->parts[e->n_parts];
	memset(p, 0, sizeof(*p));
	p->bytes = bytes;
	p->what = strdup(what);
	va_start(ap, fmt);
	n = vasprintf(&p->basis, fmt, ap);
	va_end(ap);
	if (!p->what || n < 0) {
		free(p->what);
		if (n >= 0)
			free(p->basis);
		return -ENOMEM;
	}
	e->n_parts++;
	return 0;
}

static int add_note(struct estimate *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int add_note(struct estimate *e, const char *fmt, ...)
{
	char *s;
	va_list ap;
	int n, r;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	r = strv_push(&e->notes, s);
	free(s);
	return r;
}

static int part_kernel(const struct estimate_machine *m, struct estimate *e)
{
	if (!m->kernel_path)
		return add_part(e, "kernel", KERNEL_FALLBACK,
		                "no kernel image found for %s: 64M allowed (kdumpctl "
		                "estimate reports 49M for an x86_64 kernel of 4.18)",
		                m->kernel_release ? m->kernel_release : "this release");
	return add_part(e, "kernel", m->kernel_size, "%s of %s%s%s%s",
	                m->kernel_size_basis, m->kernel_path,
	                m->kernel_packing ? " (read through its packing: " : "",
	                m->kernel_packing ? m->kernel_packing : "",
	                m->kernel_packing ? ")" : "");
}

static bool pages_64k(const struct estimate_machine *m)
{
	return m->page_size == 65536;
}

/* What the platform adds: 64K pages, an SMMU under them, memory
 * encryption. Each only where it applies, so an x86 node's parts are
 * what they were. */
static int part_platform(const struct estimate_machine *m, struct estimate *e)
{
	int r = 0;

	if (pages_64k(m))
		r = add_part(e, "pages", PAGES_64K, "a 64K-page kernel (page size from "
		             "%s) needs 100M more, as kdump-utils measured (kdump-lib.sh, "
		             "2.0.26-7)", m->page_size_source ? m->page_size_source : "the kernel");
	if (r >= 0 && pages_64k(m) && m->smmu)
		r = add_part(e, "smmu", SMMU_64K, "%s under 64K pages needs 384M more, as "
		             "kdump-utils measured (kdump-lib.sh, 2.0.26-7)", m->smmu);
	if (r >= 0 && m->mem_encryption)
		r = add_part(e, "encryption", MEM_ENCRYPTION, "%s is in use (%s): "
		             "bounce buffers for DMA, 64M as kdump-utils adds (kdump-lib.sh, "
		             "2.0.27-4)", m->mem_encryption,
		             m->mem_encryption_source ? m->mem_encryption_source : "read");
	return r;
}

static int part_initrd(const struct estimate_machine *m, struct estimate *e)
{
	char a[32];

	if (!m->initrd_path)
		return add_part(e, "initrd", 0, "no kdump initrd and no system initrd "
		                "found: not counted");
	if (m->initrd_packing && !strcmp(m->initrd_packing, "cpio"))
		return add_part(e, "initrd", m->initrd_size * INITRD_FACTOR,
		                "3 x %s of %s%s, an uncompressed cpio: packed, "
		                "unpacked, and as much free for the tmpfs it unpacks "
		                "to (kdump-utils' estimate)",
		                estimate_mib(m->initrd_size, a, sizeof(a)), m->initrd_path,
		                m->initrd_stand_in ? ", the system initrd standing in "
		                "for the kdump initrd, which is not built yet" : "");
	return add_part(e, "initrd", m->initrd_size * COMPRESSED_FACTOR_TENTHS / 10,
	                "6.4 x %s of %s%s (%s): the packed image, its unpacked copy "
	                "in the tmpfs at 2.7 times its size and as much free (the "
	                "tmpfs may fill half of memory): kdump-utils' rule with "
	                "the unpacked size measured on Debian 12 (docs/calibration.md)",
	                estimate_mib(m->initrd_size, a, sizeof(a)), m->initrd_path,
	                m->initrd_stand_in ? ", the system initrd standing in for "
	                "the kdump initrd, which is not built yet" : "",
	                m->initrd_packing ? m->initrd_packing : "compression unknown");
}

/* Measured on Debian 12 arm64 (docs/calibration.md): the capture
 * kernel's default CMA area lies inside the reservation, and its kernel
 * allocations cannot use it; with crashkernel=128M the capture kernel ran
 * out of memory at boot with all 64M of it free. */
static int part_cma(const struct estimate_machine *m, struct estimate *e)
{
	char a[32];

	if (!m->capture_cma)
		return 0;
	return add_part(e, "cma", m->capture_cma, "the capture kernel sets aside %s "
	                "of contiguous memory (CMA) that its own allocations cannot "
	                "use: %s (measured: docs/calibration.md)",
	                estimate_mib(m->capture_cma, a, sizeof(a)),
	                m->capture_cma_basis ? m->capture_cma_basis : "its kernel's default");
}

static int part_cpus(const struct estimate_machine *m, struct estimate *e)
{
	const char *basis = m->capture_cpus_basis ? m->capture_cpus_basis
	                                          : "no CPU limit on the capture kernel";
	unsigned n;

	if (m->capture_cpus == 1)
		return add_part(e, "cpus", 0, "the capture kernel brings up one CPU (%s)",
		                basis);
	if (!m->cpus)
		return add_part(e, "cpus", m->capture_cpus * PER_CPU,
		                "CPU count unknown; %u counted at 1M each (%s)",
		                m->capture_cpus, basis);
	n = m->capture_cpus && m->capture_cpus < m->cpus ? m->capture_cpus : m->cpus;
	return add_part(e, "cpus", n * PER_CPU,
	                "%u of %u CPUs (%s) at 1M each, as kdump-utils counts them "
	                "on ppc64le (%s)", n, m->cpus,
	                m->cpus_source ? m->cpus_source : "counted", basis);
}

static int part_mlx5(const struct estimate_machine *m, struct estimate *e,
                     const struct estimate_driver_rule *rule, const char *how)
{
	if (pages_64k(m))
		return add_part(e, "driver mlx5_core", MLX5_64K, "%s: Mellanox ConnectX "
		                "(mlx5) under 64K pages needs 200M in the capture kernel, "
		                "as kdump-utils measured (kdump-lib.sh, 2.0.26-7)", how);
	return add_part(e, "driver mlx5_core", rule->allowance, "%s: %s", how, rule->basis);
}

static int part_drivers(const struct estimate_machine *m, struct estimate *e)
{
	bool mlx5 = false;

	for (size_t i = 0; i < m->n_drivers; i++) {
		const struct estimate_driver_rule *rule = estimate_driver_rule(m->drivers[i].name);
		char what[96];
		int r;

		if (!rule)
			continue;
		snprintf(what, sizeof(what), "driver %s", rule->name);
		if (!strcmp(rule->name, "mlx5_core")) {
			mlx5 = true;
			r = part_mlx5(m, e, rule, "loaded");
		} else {
			r = add_part(e, what, rule->allowance + (rule->add_module_size
			             ? m->drivers[i].module_size : 0), "loaded: %s", rule->basis);
		}
		if (r < 0)
			return r;
	}
	/* built into the kernel, it is bound without being a module */
	if (!mlx5 && m->mlx5_bound)
		return part_mlx5(m, e, estimate_driver_rule("mlx5_core"),
		                 "bound (/sys/bus/pci/drivers/mlx5_core)");
	return 0;
}

static uint64_t round_up(uint64_t v, uint64_t to)
{
	return v % to ? v + (to - v % to) : v;
}

static int judge(const struct estimate_machine *m, struct estimate *e)
{
	char a[32], b[32], c[32];
	int r = 0;

	for (size_t i = 0; i < e->n_parts; i++)
		e->needed_bytes += e->parts[i].bytes;
	/* the default as it is when it covers the parts: rounding it would
	 * make "auto" itself look short */
	e->recommended = e->needed_bytes > e->default_bytes
	                 ? round_up(e->needed_bytes, ESTIMATE_ROUND) : e->default_bytes;
	e->recommended_value = strdup(format_size(e->recommended, a, sizeof(a)));
	if (!e->recommended_value)
		return -ENOMEM;
	if (e->needed_bytes > e->default_bytes)
		r = asprintf(&e->recommended_basis, "the parts need %s, more than the "
		             "default's %s; rounded up to a multiple of 32M",
		             estimate_mib(e->needed_bytes, b, sizeof(b)), estimate_mib(e->default_bytes, c, sizeof(c)));
	else
		r = asprintf(&e->recommended_basis, "the default's %s covers the %s the "
		             "parts need", estimate_mib(e->default_bytes, b, sizeof(b)),
		             estimate_mib(e->needed_bytes, c, sizeof(c)));
	if (r < 0) {
		e->recommended_basis = NULL;
		return -ENOMEM;
	}
	if (e->default_bytes == 0 &&
	    (r = add_note(e, "the default '%s' reserves nothing on %s of RAM: kdump "
	                  "is off by default on this machine%s%s%s", e->default_value,
	                  format_size(m->ram, a, sizeof(a)),
	                  e->default_refused ? " (" : "",
	                  e->default_refused ? e->default_refused : "",
	                  e->default_refused ? ")" : "")) < 0)
		return r;
	if (e->recommended > m->ram / 2 &&
	    (r = add_note(e, "%s is more than half of the %s of RAM: the kernel "
	                  "refuses such a reservation", e->recommended_value,
	                  format_size(m->ram, b, sizeof(b)))) < 0)
		return r;
	return 0;
}

int estimate_compute(const struct estimate_machine *m,
                     const char *default_crashkernel, struct estimate *ret)
{
	struct estimate e = { 0 };
	struct crashkernel *ck = NULL;
	int r;

	memset(ret, 0, sizeof(*ret));
	if (!m->ram_known || m->ram == 0)
		return diag_set(-EINVAL, "estimate: the amount of RAM is unknown");
	if (!default_crashkernel)
		return diag_set(-EINVAL, "estimate: this distribution has no default crashkernel");
	r = crashkernel_parse(default_crashkernel, strlen(default_crashkernel),
	                      "the distribution's default crashkernel", &ck);
	if (r < 0)
		return r;
	e.default_value = strdup(ck->normalized);
	e.notes = calloc(1, sizeof(char *));
	if (!e.default_value || !e.notes) {
		r = -ENOMEM;
		goto out;
	}
	/* a range the kernel refuses outright (one asking for all the RAM)
	 * makes it reserve nothing: said in a note */
	if (crashkernel_size_for(ck, m->ram, "the default", &e.default_bytes) < 0) {
		e.default_bytes = 0;
		e.default_refused = strdup(diag_message());
		diag_clear();
		if (!e.default_refused) {
			r = -ENOMEM;
			goto out;
		}
	}
	if ((r = part_kernel(m, &e)) < 0 || (r = part_initrd(m, &e)) < 0 ||
	    (r = add_part(&e, "runtime", RUNTIME_ALLOWANCE, "user space and kernel "
	                  "allocations at run time (kdump-utils' estimate)")) < 0 ||
	    (r = part_cpus(m, &e)) < 0 || (r = part_cma(m, &e)) < 0 ||
	    (r = part_platform(m, &e)) < 0 ||
	    (r = part_drivers(m, &e)) < 0 ||
	    (r = judge(m, &e)) < 0)
		goto out;
	e.checked_against = estimate_checked_against(m->arch);
	*ret = e;
	memset(&e, 0, sizeof(e));
out:
	if (r == -ENOMEM)
		diag_set(r, "estimate: out of memory");
	crashkernel_free(ck);
	estimate_clear(&e);
	return r;
}

void estimate_clear(struct estimate *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n_parts; i++) {
		free(e->parts[i].what);
		free(e->parts[i].basis);
	}
	free(e->parts);
	free(e->default_value);
	free(e->recommended_value);
	free(e->recommended_basis);
	free(e->default_refused);
	strv_free(e->notes);
	memset(e, 0, sizeof(*e));
}
