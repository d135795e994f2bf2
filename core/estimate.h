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

struct sysroot;
struct skd_facts;

/* What the machine has. */
struct estimate_machine {
	bool ram_known;
	uint64_t ram;
	const char *ram_source;
	unsigned cpus;              /* 0 unknown */
	bool capture_nr_cpus_1;     /* the capture kernel boots with nr_cpus=1
	                               or maxcpus=1 (from the kdump config) */
	char *kernel_path;          /* kernel image used for capture, or NULL */
	uint64_t kernel_size;       /* memory it needs (bzImage init_size, else
	                               an estimate from the file size) */
	const char *kernel_size_basis;
	char *initrd_path;          /* kdump initrd, or NULL when not built yet */
	uint64_t initrd_size;
	char **drivers;             /* loaded modules that raise the estimate */
};

/* One addend of the estimate, with what it is based on. */
struct estimate_part {
	const char *what;           /* "kernel", "initrd", "runtime", "cpus",
	                               "driver mlx5_core", ... */
	uint64_t bytes;
	char *basis;
};

struct estimate {
	char *default_value;        /* the distro's "auto" value */
	uint64_t default_bytes;     /* what it reserves for this RAM (0: none) */
	struct estimate_part *parts;
	size_t n_parts;
	uint64_t needed_bytes;      /* sum of parts */
	uint64_t recommended;       /* max(default, needed), rounded up */
	char *recommended_value;    /* e.g. "512M" */
	char **notes;               /* one line each, may be empty */
};

/* `kernel_release` is the running kernel's (NULL: the newest in /boot). */
int estimate_gather(struct sysroot *root, const struct skd_facts *facts,
                    const char *kernel_release, struct estimate_machine *ret);
void estimate_machine_clear(struct estimate_machine *m);
/* -EINVAL (diag_set) when the RAM is unknown or the default unparsable. */
int estimate_compute(const struct estimate_machine *m,
                     const char *default_crashkernel, struct estimate *ret);
void estimate_clear(struct estimate *e);

#endif
