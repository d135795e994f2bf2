/* SPDX-License-Identifier: Apache-2.0 */
/* "If this node panics now, will a vmcore be written?" The figures that
 * answer it, read without changing anything, and the verdict: armed, armed
 * with warnings, or not armed, each reason with a stable code (the JSON
 * schema in schemas/status.schema.json and the Prometheus labels use the
 * codes). The lifecycle's post-interrupt-check reports the same reasons. */
#ifndef SKD_STATUS_H
#define SKD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct context;
struct inputs;

/* -1 unknown, 0 no, 1 yes */
#define STATUS_UNKNOWN (-1)

enum verdict {
	VERDICT_NOT_ARMED = 0,
	VERDICT_ARMED,
	VERDICT_ARMED_WITH_WARNINGS,
};

struct status_reason {
	const char *code;       /* stable: "not_loaded", "below_recommended" */
	char *message;          /* one line */
};

struct status_package {
	char *name;
	int installed;          /* -1 unknown */
};

struct node_status {
	/* the system */
	char *os_id;
	char *os_version_id;
	char *os_name;          /* PRETTY_NAME */
	char *backend;          /* NULL: no usable backend */
	char *kernel_release;   /* NULL when unknown */
	bool running;           /* the root is the running system */

	/* crashkernel: desired (configmap, auto resolved), configured
	 * (bootloader), active (/proc/cmdline); NULL when none */
	char *ck_desired;
	char *ck_configured;
	char *ck_active;
	char *boot_drift;               /* the desired value is configured,
	                                   but this (one line) does not carry
	                                   it yet: the boot menu, an entry */
	char *ck_auto;                  /* what "auto" means on this node */
	char *auto_basis;
	char *platform;                 /* platform_describe() */
	char *not_reserved_why;         /* when nothing is reserved: the
	                                   likely cause, or NULL */

	/* memory, bytes */
	bool ram_known;
	uint64_t ram;
	const char *ram_source;
	bool have_reserved;
	uint64_t reserved;              /* /sys/kernel/kexec_crash_size */
	bool have_iomem_crash;
	uint64_t iomem_crash;           /* "Crash kernel" in /proc/iomem */
	bool expected_known;
	uint64_t expected;              /* what the active (else configured)
	                                   value reserves on this RAM */
	bool auto_known;
	uint64_t auto_bytes;            /* what "auto" reserves on this RAM */
	bool recommended_known;
	uint64_t recommended;           /* estimate_compute() */
	int crash_loaded;               /* /sys/kernel/kexec_crash_loaded */
	bool kexec_support;             /* the kernel has kexec_crash_size */

	/* service and packages */
	char *service;
	int service_enabled;
	int service_active;
	bool service_active_skipped;    /* unknown: the crash kernel is loaded
	                                   and asking would cost a process */
	struct status_package *packages;
	size_t n_packages;

	/* where dumps go */
	char *dump_dir;                 /* NULL: remote target or unknown */
	bool dump_remote;
	int dump_dir_exists;
	bool have_dump_free;
	uint64_t dump_free;
	size_t n_dumps;
	uint64_t dumps_size;

	/* Secure Boot and lockdown */
	int secure_boot;
	char *lockdown;                 /* NULL: no lockdown LSM */
	char *loader;
	char *loader_basis;
	int loader_permitted;
	/* the running kernel: kexec_file_load() built in (CONFIG_KEXEC_FILE),
	 * and on arm64 _text in /proc/kallsyms, which kexec_load() needs
	 * for a right ELF core header (-1 unknown or not read) */
	int kexec_file_load;
	int kallsyms_text;

	/* the capture initrd of the kernel that boots next (ABI 1.5): why
	 * the tools would build it at the service's start, or NULL */
	char *initrd_release;
	char *initrd_stale;

	/* the configmaps could not be used (one line), or NULL */
	char *inputs_error;

	/* the answer */
	enum verdict verdict;
	struct status_reason *reasons;  /* why not armed */
	size_t n_reasons;
	struct status_reason *warnings;
	size_t n_warnings;
};

/* Gather the figures (status.c) through the context's loaded backend
 * (read-only queries only) and the root; `in` may be NULL (no configmaps).
 * Returns 0, or an exit code with diag_message() set when even the basics
 * cannot be read. The caller then runs status_judge(). */
int status_collect(struct context *c, const struct inputs *in,
                   struct node_status *ret);
/* The verdict and its reasons from the figures alone (status-judge.c). */
void status_judge(struct node_status *s);
void status_clear(struct node_status *s);

/* "armed", "armed with warnings", "not armed" */
const char *verdict_name(enum verdict v);

/* Add a reason or a warning (status_judge uses them; printf format). */
void status_add_reason(struct node_status *s, const char *code,
                       const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void status_add_warning(struct node_status *s, const char *code,
                        const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Renderers (status-render.c, status-prometheus.c). */
void status_print_text(const struct node_status *s, FILE *out);
void status_print_json(const struct node_status *s, FILE *out);
/* The Prometheus text exposition (malloc'd). */
char *status_prometheus_text(const struct node_status *s);
/* Write it to `path` on this machine atomically (temp file in the same
 * directory, fsync, rename; mode 0644), or to stdout for "-". Returns 0 or
 * -errno with diag_set() naming the path. */
int status_write_prometheus(const struct node_status *s, const char *path);

/* When the status cannot be judged (the system is not supported, a bad
 * root, the basics unreadable): the reason code of an exit code
 * ("bad_input", "unsupported", "failed"), a status --json document that
 * says so (verdict "unknown", armed false, the error), and the metrics
 * that replace a good file (armed{verdict="unknown"} 0 and status_error
 * with the code and message), written as status_write_prometheus() does. */
const char *status_error_code(int exit_code);
void status_print_json_error(const char *code, const char *message, FILE *out);
char *status_prometheus_error_text(const char *code, const char *message);
int status_write_prometheus_error(const char *code, const char *message, const char *path);

#endif
