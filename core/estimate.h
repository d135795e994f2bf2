/* SPDX-License-Identifier: Apache-2.0 */
/* A recommended crashkernel size for this machine: the distro's default
 * ("auto") table resolved for its RAM, raised where the machine needs more
 * (the capture kernel and its initrd, a runtime allowance, CPUs the capture
 * kernel brings up, large drivers it loads). Every figure says what it was
 * based on. Gathering (reads the root) and computing (pure) are separate so
 * the rules are tested with any machine. */
#ifndef SKD_ESTIMATE_H
#define SKD_ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct context;
struct platform;
struct sysroot;

/* A loaded module that raises the estimate (see estimate_driver_rule). */
struct estimate_driver {
	char *name;                 /* "mlx5_core" */
	uint64_t module_size;       /* its size in /proc/modules, 0 unknown */
};

/* What the machine has. */
struct estimate_machine {
	bool ram_known;
	uint64_t ram;
	const char *ram_source;
	unsigned cpus;              /* 0 unknown */
	const char *cpus_source;    /* "/sys/devices/system/cpu/possible", ... */
	unsigned capture_cpus;      /* limit from nr_cpus=/maxcpus= on the
	                               capture kernel's command line; 0: none */
	char *capture_cpus_basis;   /* where that limit (or its absence) comes
	                               from, e.g. "nr_cpus=1 in kdump-config's
	                               default KDUMP_CMDLINE_APPEND" */
	char *kernel_release;       /* the release the estimate is for */
	char *kernel_path;          /* kernel image used for capture, or NULL */
	uint64_t kernel_size;       /* memory it needs (bzImage init_size, else
	                               an estimate from the file size) */
	const char *kernel_size_basis;
	const char *kernel_packing;  /* "gzip", "EFI zboot, gzip", ... or NULL */
	char *initrd_path;          /* kdump initrd (or its stand-in), or NULL */
	uint64_t initrd_size;
	bool initrd_stand_in;       /* the kdump initrd is not built yet: the
	                               system initrd's size stands in for it */
	const char *initrd_packing; /* its main archive's compression, after
	                               any uncompressed early cpio; "cpio" when
	                               none is compressed; NULL unknown */
	uint64_t capture_cma;       /* contiguous memory (CMA) the capture
	                               kernel sets aside, 0 none */
	char *capture_cma_basis;    /* where that comes from, or NULL */
	struct estimate_driver *drivers;
	size_t n_drivers;
	/* the platform (copied from struct platform; NULL/0 unknown) */
	const char *arch;
	unsigned page_size;
	const char *page_size_source;
	const char *smmu;
	bool mlx5_bound;
	const char *mem_encryption;
	const char *mem_encryption_source;
};

/* What the distribution's kdump tools decide, as the backend answers it
 * (ABI 1.3); NULL where it does not say. Owned (estimate_tools_clear). */
struct estimate_tools {
	char *kernel_release;       /* the release the estimate is for */
	char *cmdline_base;         /* NULL: the running kernel's /proc/cmdline */
	char *cmdline_base_from;
	char *cmdline_append;
	char *cmdline_append_from;
	char *initrd_path;          /* the capture initrd of that release */
	char *initrd_stand_in;      /* the system initrd until it is built */
	const struct platform *platform;
};

/* One addend of the estimate, with what it is based on. */
struct estimate_part {
	char *what;                 /* "kernel", "initrd", "runtime", "cpus",
	                               "driver mlx5_core", ... */
	uint64_t bytes;
	char *basis;
};

/* The recommendation is rounded up to this: the distributions' default
 * tables only use multiples of 32M (160M, 192M, 256M, 320M, 512M ...). */
#define ESTIMATE_ROUND (UINT64_C(32) << 20)

struct estimate {
	char *default_value;        /* the distro's "auto" value */
	uint64_t default_bytes;     /* what it reserves for this RAM (0: none) */
	char *default_refused;      /* why the kernel would refuse it on this
	                               RAM (then it reserves nothing), or NULL */
	struct estimate_part *parts;
	size_t n_parts;
	uint64_t needed_bytes;      /* sum of parts */
	uint64_t recommended;       /* max(default, needed), rounded up */
	char *recommended_value;    /* e.g. "512M" */
	char *recommended_basis;    /* why that value */
	char **notes;               /* one line each, may be empty */
	const char *checked_against; /* the measurement the model was held to
	                                on this architecture, or NULL */
};

/* `tools` (may be NULL: nothing known) gives the release (NULL: the
 * root's /proc/sys/kernel/osrelease, else uname() for "/", else the newest
 * /boot/vmlinuz-*), the capture kernel's command line and initrd as the
 * backend says, and the platform. Only what cannot be read at all is an
 * error; a missing file is an unknown, said in the machine's fields.
 * `ram`, when the caller has read it already: the RAM is not read again. */
struct estimate_ram {
	uint64_t bytes;
	const char *source;
};
int estimate_gather(struct sysroot *root, const struct estimate_tools *tools,
                    const struct estimate_ram *ram, struct estimate_machine *ret);
/* Asks the context's backend (estimate-tools.c); `kernel_release` NULL:
 * the running kernel's. -ENOMEM only: what the backend cannot say stays
 * NULL. */
int estimate_tools_ask(struct context *c, const char *kernel_release,
                       struct estimate_tools *ret);
void estimate_tools_clear(struct estimate_tools *t);
void estimate_machine_clear(struct estimate_machine *m);
/* -EINVAL (diag_set) when the RAM is unknown or the default unparsable. */
int estimate_compute(const struct estimate_machine *m,
                     const char *default_crashkernel, struct estimate *ret);
void estimate_clear(struct estimate *e);

/* The measurement the model was checked against on `arch` (uname -m
 * spelling), a static string; NULL: none there (estimate-measured.c). */
const char *estimate_checked_against(const char *arch);

/* "49M", or "49.3M" when not a whole number of MiB; buf of 32 bytes. */
const char *estimate_mib(uint64_t bytes, char *buf, size_t len);

/* ---- rules and parsers shared with security.c and the tests ------------ */

/* The rule for a module, or NULL when it does not raise the estimate. */
struct estimate_driver_rule {
	const char *name;
	uint64_t allowance;         /* added for the driver */
	bool add_module_size;       /* its /proc/modules size is added too */
	const char *basis;
};
const struct estimate_driver_rule *estimate_driver_rule(const char *module);

/* Memory a kernel image needs once loaded: the x86 setup header's
 * init_size, the arm64 Image header's image_size, else 4 x the file size.
 * *ret_basis is a static string. */
uint64_t estimate_kernel_memory(const unsigned char *data, size_t len,
                                uint64_t file_size, const char **ret_basis);

/* The number of CPUs in a kernel CPU list ("0-3,8,10-11"); 0 when bad. */
unsigned estimate_cpu_list_count(const char *text);

/* The CPUs a kernel command line lets the kernel use: the last nr_cpus=N
 * and the last maxcpus=N (each parameter takes its last word), the lower
 * of the two; 0 when neither is given. *ret_param is "nr_cpus" or
 * "maxcpus", the one that limits. */
unsigned cmdline_cpu_limit(const char *cmdline, const char **ret_param);

/* What an archive starting with `head` is: "cpio" (uncompressed newc),
 * "gzip", "zstd", "xz", "lz4", "lzo", "bzip2", "lzma", or NULL unknown. */
const char *initrd_compression(const unsigned char *head, size_t len);

/* The size the last cma= on a kernel command line asks for (cma=0: 0):
 * 1 and *ret; 0 when there is none; -EINVAL when it cannot be read. */
int cmdline_cma(const char *cmdline, uint64_t *ret);

/* The CMA a kernel built with this .config text sets aside when its
 * command line has no cma=: CONFIG_CMA_SIZE_MBYTES under
 * CONFIG_DMA_CMA=y and CONFIG_CMA_SIZE_SEL_MBYTES=y; 0 otherwise (a
 * size chosen as a share of memory is not counted). */
uint64_t kconfig_cma_default(const char *config);

#endif
