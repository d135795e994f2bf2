/* SPDX-License-Identifier: Apache-2.0 */
/*
 * skyhook-kdump backend ABI.
 *
 * This is the only header a backend needs. A backend is a shared object that
 * exports exactly one symbol, `skd_backend` (a `struct skd_backend`), and
 * carries one ELF note describing itself (SKD_BACKEND_NOTE), so the host can
 * choose a backend without loading it.
 *
 * A backend never touches the file system and never spawns a process itself:
 * everything goes through the `struct skd_host` services it is given. Paths
 * passed to those services are absolute paths *inside* the system being
 * managed (the sysroot), e.g. "/etc/default/grub"; the host maps them onto
 * `--root`, records them for tests, or only prints them under `--dry-run`.
 *
 * Versioning: the first four members of both structs are fixed forever.
 * New members are only appended, which bumps SKD_ABI_MINOR; anything else
 * bumps SKD_ABI_MAJOR. A NULL optional operation means "not supported".
 * See PORTING beside this header for the history.
 */
#ifndef SKYHOOK_KDUMP_BACKEND_H
#define SKYHOOK_KDUMP_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SKD_ABI_MAJOR 1
#define SKD_ABI_MINOR 5

/* Error codes, returned negated (like -errno). Backends may also return
 * any negative errno value. */
enum skd_error {
	SKD_E_FAILED = 1000,    /* an operation (usually a command) failed */
	SKD_E_UNSUPPORTED,      /* this system or release is not handled */
	SKD_E_INVALID,          /* bad input (a value, a config file) */
	SKD_E_NOTSUP,           /* the operation is not supported here */
	SKD_E_INTERRUPTED,      /* stopped at a safe point (SIGTERM) */
};

/* syslog(3)-compatible priorities for skd_host.log */
enum skd_log_level {
	SKD_LOG_ERR = 3,
	SKD_LOG_WARNING = 4,
	SKD_LOG_NOTICE = 5,
	SKD_LOG_INFO = 6,
	SKD_LOG_DEBUG = 7,
};

/* skd_host.flags */
#define SKD_HOST_DRY_RUN 0x1u /* nothing is changed; changes are printed */
#define SKD_HOST_IMAGE   0x2u /* the root is an image or chroot, not the
                                 running system: do not start services */

/* skd_host.run flags */
#define SKD_RUN_CHANGES 0x1u  /* the command changes the system: under
                                 --dry-run it is printed, not run, and
                                 reports exit status 0 */
#define SKD_RUN_QUIET   0x2u  /* do not log the command at info level */

/* skd_host.stat result types */
enum skd_file_type {
	SKD_FILE_NONE = 0,      /* does not exist */
	SKD_FILE_REGULAR,
	SKD_FILE_DIRECTORY,
	SKD_FILE_SYMLINK,       /* only with SKD_STAT_NOFOLLOW */
	SKD_FILE_OTHER,
};
#define SKD_STAT_NOFOLLOW 0x1u

struct skd_stat {
	int type;               /* enum skd_file_type */
	uint32_t mode;          /* permission bits */
	uint64_t size;
};

/* Result of a command; the buffers are NUL-terminated, allocated by the
 * host, and released with skd_host.run_result_free. */
struct skd_run_result {
	int status;             /* exit code; 128+N when killed by signal N */
	char *out;
	size_t out_len;
	char *err;
	size_t err_len;
};

struct skd_host {
	/* fixed header */
	uint32_t abi_major;
	uint32_t abi_minor;
	uint32_t struct_size;
	const char *name;       /* "skyhook-kdump" */

	uint32_t flags;         /* SKD_HOST_* */
	void *host_data;        /* private to the host */

	/* Read a whole file. *ret_data is NUL-terminated and freed with free(3).
	 * -ENOENT when missing. Symlinks are resolved inside the root. */
	int (*read_file)(const struct skd_host *h, const char *path,
	                 char **ret_data, size_t *ret_len);
	/* Replace a file atomically (temp file in the same directory, fsync,
	 * rename). An existing file keeps its mode and owner; a new one gets
	 * `mode`. The original is backed up once, until uninstall. Writing
	 * through a symlink is refused (-ELOOP). Identical content is not
	 * rewritten. */
	int (*write_file)(const struct skd_host *h, const char *path,
	                  const char *data, size_t len, uint32_t mode);
	/* Remove a file; 0 when it did not exist. */
	int (*remove_file)(const struct skd_host *h, const char *path);
	/* Describe a path; a missing path is type SKD_FILE_NONE, not an error. */
	int (*stat)(const struct skd_host *h, const char *path, uint32_t flags,
	            struct skd_stat *ret);
	/* Names in a directory, sorted in C locale, without "." and "..";
	 * NULL-terminated, free with skd_strv_free(). -ENOENT when missing. */
	int (*list_dir)(const struct skd_host *h, const char *path,
	                char ***ret_names);
	/* Run argv[0] (searched in the root's PATH) inside the root with the
	 * host's minimal environment plus `env` ("KEY=value", NULL-terminated,
	 * may be NULL). Never a shell. Returns 0 when the command ran (see
	 * ret->status), negative when it could not be started (-ENOENT: not
	 * installed in the root). */
	int (*run)(const struct skd_host *h, const char *const *argv,
	           const char *const *env, uint32_t flags,
	           struct skd_run_result *ret);
	void (*run_result_free)(const struct skd_host *h,
	                        struct skd_run_result *r);
	/* Log a line; the host prefixes the backend name. */
	void (*log)(const struct skd_host *h, int level, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
	/* Report why an operation failed, once, where it failed; returns
	 * `code` (negative) so a backend can `return h->error(h, -X, ...)`. */
	int (*error)(const struct skd_host *h, int code, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));
	/* Facts and settings as "key" -> value; NULL when unset. Keys:
	 *   os.id, os.id_like, os.version_id, os.version_codename,
	 *   kernel.release (the running system only), env.<NAME> for the
	 *   variables the host passes on (APT_ALLOW_INDEX_FAILURE).
	 * Since 1.3, the node's platform, read once by the host (from the
	 *   root's /proc, /sys and /boot under --root), each unset when unknown
	 *   or absent:
	 *   platform.kernel_release  the running kernel's release
	 *   platform.arch            uname -m spelling: "x86_64", "aarch64"
	 *   platform.page_size       its page size in bytes: "4096", "65536"
	 *   platform.smmu            an Arm SMMU's device: "arm-smmu-v3.0.auto"
	 *   platform.mlx5            "1": the mlx5_core driver is bound
	 *   platform.mem_encryption  "AMD SME" or "AMD SEV" in use
	 * Set by newer hosts, before the kdump_config operations of the
	 * lifecycle modes; unset by older ones, and where unknown:
	 *   auto.crashkernel  what "auto" means on this node: this backend's
	 *                     own auto_crashkernel answer (its tool asked by
	 *                     config, recorded for the checks), for telling
	 *                     the distribution's default from a custom value */
	const char *(*get)(const struct skd_host *h, const char *key);

	/* Added in 1.1: check h->struct_size before use. The ActiveState of
	 * a systemd unit ("active", "inactive", "failed", ...) asked of the
	 * service manager without starting a process; *ret_state is freed
	 * with free(3). -ENOTSUP when the host cannot ask (built without
	 * sd-bus, no system bus, a root other than the running system):
	 * then ask `systemctl is-active` instead. */
	int (*unit_active_state)(const struct skd_host *h, const char *unit,
	                         char **ret_state);

	/* Added in 1.2: check with SKD_HOST_HAS(h, read_lines). A text file
	 * one line at a time, never held whole (a node's dpkg database is
	 * megabytes): `line` gets each line without its '\n', NUL-terminated,
	 * and returns 0 to go on; any other value stops the reading and is
	 * returned. -ENOENT when missing, -EFBIG for a line over 1 MiB.
	 * Symlinks are resolved inside the root. */
	int (*read_lines)(const struct skd_host *h, const char *path,
	                  int (*line)(const char *text, size_t len, void *data),
	                  void *data);

	/* Added in 1.5: check with SKD_HOST_HAS(h, mtime). A path's last
	 * modification, in nanoseconds since the epoch (what "newer than"
	 * compares in the distributions' tools); a symlink is followed inside
	 * the root. -ENOENT when missing. */
	int (*mtime)(const struct skd_host *h, const char *path, int64_t *ret_ns);
};

/* True when the host has service `member` (one added after 1.0): within
 * its struct_size, so a backend built against a newer header still runs on
 * an older host, and not NULL. */
#define SKD_HOST_HAS(h, member) \
	((h)->struct_size >= offsetof(struct skd_host, member) + sizeof((h)->member) && \
	 (h)->member != NULL)

/* Format of the distro's kdump configuration file. */
enum skd_config_format {
	SKD_CONFIG_SHELL_VARS = 1,  /* KEY=value, e.g. /etc/default/kdump-tools */
	SKD_CONFIG_DIRECTIVES = 2,  /* "directive value", e.g. /etc/kdump.conf */
};

/* Facts about the distro release being managed. Strings stay valid until
 * the backend's fini(). */
struct skd_facts {
	const char *service;             /* "kdump-tools", "kdump" */
	const char *kdump_config_path;   /* "/etc/default/kdump-tools" */
	int kdump_config_format;         /* enum skd_config_format */
	const char *const *packages;     /* NULL-terminated */
	const char *default_crashkernel; /* what "auto" means on this release */
	const char *default_dump_dir;    /* "/var/crash" */
	const char *package_manager;     /* "apt-get", "dnf", "yum" */
	const char *bootloader_method;   /* e.g. "grub.d drop-in + update-grub" */
};

struct skd_backend {
	/* fixed header: fill with SKD_BACKEND_HEADER(name) */
	uint32_t abi_major;
	uint32_t abi_minor;
	uint32_t struct_size;
	const char *name;

	/* Optional. Check the release is handled (else -SKD_E_UNSUPPORTED). */
	int (*init)(const struct skd_host *h);
	/* Optional. */
	void (*fini)(const struct skd_host *h);
	/* Required. */
	int (*get_facts)(const struct skd_host *h, struct skd_facts *ret);

	/* Packages. Required. ret_installed has one entry per name. */
	int (*packages_query)(const struct skd_host *h, const char *const *names,
	                      bool *ret_installed);
	int (*packages_install)(const struct skd_host *h,
	                        const char *const *names);
	int (*packages_remove)(const struct skd_host *h,
	                       const char *const *names);

	/* Bootloader. Required. get returns the configured crashkernel value
	 * (without "crashkernel="), or NULL in *ret_value when none; the string
	 * is freed by the host with free(3). A value may hold several items
	 * separated by one space ("512M,high 128M,low"): each item is its own
	 * crashkernel= word on the kernel command line, and get joins them the
	 * same way. set and remove report whether the configuration changed,
	 * so regenerate runs only when needed. */
	int (*bootloader_get_crashkernel)(const struct skd_host *h,
	                                  char **ret_value);
	int (*bootloader_set_crashkernel)(const struct skd_host *h,
	                                  const char *value, bool *ret_changed);
	int (*bootloader_remove_crashkernel)(const struct skd_host *h,
	                                     bool *ret_changed);
	int (*bootloader_regenerate)(const struct skd_host *h);

	/* Service. enable, disable, start, stop, is_enabled, is_active are
	 * required; restart is optional (the host stops and starts). */
	int (*service_enable)(const struct skd_host *h);
	int (*service_disable)(const struct skd_host *h);
	int (*service_start)(const struct skd_host *h);
	int (*service_stop)(const struct skd_host *h);
	int (*service_restart)(const struct skd_host *h);
	int (*service_is_enabled)(const struct skd_host *h, bool *ret);
	int (*service_is_active)(const struct skd_host *h, bool *ret);

	/* Optional. With no user kdump configuration, make sure the distro's
	 * own file enables kdump (e.g. USE_KDUMP=1). */
	int (*kdump_config_ensure_enabled)(const struct skd_host *h,
	                                   bool *ret_changed);
	/* Optional. The user's kdump configuration (already in the native
	 * format) is about to be installed while `crashkernel` is the value
	 * being set: return in *ret_text (malloc'd) the text to install, with
	 * what this distro needs added (e.g. keeping kdumpctl from resetting a
	 * custom crashkernel). Must be a pure function of its inputs, so a
	 * re-run compares equal and writes nothing. */
	int (*kdump_config_prepare)(const struct skd_host *h,
	                            const char *crashkernel, const char *text,
	                            char **ret_text);

	/* Added in 1.3, all optional: what the distribution's kdump tools
	 * decide on this node, so the host names no distribution. Strings
	 * returned through char ** are malloc'd and freed by the host; a
	 * "basis" is one line saying what went into the answer. When an
	 * operation fails the host neither reads nor frees what it left in
	 * its out-parameters: free your own before returning the error. */

	/* What "auto" reserves on this node, as the distribution's own tool
	 * would set it (the platform facts above included): *ret_value is a
	 * crashkernel value without "crashkernel=". Ask the installed tool
	 * where it can answer, unless SKD_AUTO_NO_PROCESS (the check modes,
	 * status: they start no process); else answer from the backend's
	 * tables. */
	int (*auto_crashkernel)(const struct skd_host *h, uint32_t flags,
	                        char **ret_value, char **ret_basis);
	/* The kexec system call the tools will load the crash kernel with,
	 * from their configuration read in place: *ret_syscall is
	 * "kexec_file_load", "kexec_load" or NULL when it cannot be known
	 * (a static string). `secure_boot`: the tools' own Secure Boot test
	 * holds (SecureBoot=1, SetupMode=0). */
	int (*kexec_syscall)(const struct skd_host *h, bool secure_boot,
	                     const char **ret_syscall, char **ret_basis);
	/* The command line the tools give the capture kernel: a configured
	 * base (*ret_base NULL: the running kernel's /proc/cmdline, which the
	 * host reads) and what they append, each with where it comes from
	 * ("KDUMP_CMDLINE_APPEND of /etc/default/kdump-tools"). */
	int (*capture_cmdline)(const struct skd_host *h, char **ret_base,
	                       char **ret_base_from, char **ret_append,
	                       char **ret_append_from);
	/* Where the tools keep the capture initrd of `kernel_release`, and
	 * the system initrd that stands in for it until it is built (either
	 * NULL when there is none). */
	int (*kdump_initrd)(const struct skd_host *h, const char *kernel_release,
	                    char **ret_path, char **ret_stand_in);

	/* Added in 1.4, all optional: the read-only counterparts of what
	 * config changes, for the check modes (a check that passes tells
	 * Skyhook the mode would change nothing). They write nothing and
	 * start no process; strings are malloc'd and freed by the host. */

	/* Does the distribution's own kdump configuration enable kdump, as
	 * kdump_config_ensure_enabled makes sure? *ret_enabled is false
	 * exactly when ensure_enabled would change something (a missing file
	 * included); *ret_basis is one line saying what was read, naming the
	 * setting ("USE_KDUMP=0 in /etc/default/kdump-tools"). */
	int (*kdump_config_is_enabled)(const struct skd_host *h, bool *ret_enabled,
	                               char **ret_basis);
	/* Would bootloader_set_crashkernel(value) change anything: a file to
	 * write or remove, a boot menu or boot entry that does not carry the
	 * value yet? *ret_drift is NULL when nothing, else one line saying
	 * what differs and where. */
	int (*bootloader_check_crashkernel)(const struct skd_host *h,
	                                    const char *value, char **ret_drift);
	/* For a backend whose setting overrides the others rather than
	 * replacing them in place (a drop-in read last): the crashkernel=
	 * value configured by someone else (not this program, not the
	 * distribution's kdump package) that the kernel command line would
	 * carry without ours, and where it is set; *ret_value NULL when there
	 * is none. uninstall leaves such a value in place. */
	int (*bootloader_others_crashkernel)(const struct skd_host *h,
	                                     char **ret_value, char **ret_where);

	/* Added in 1.5, all optional: the capture initrd built by config,
	 * before the reboot, for the kernel that boots next, so the service
	 * at that boot finds it up to date and only loads it. */

	/* The kernel release the bootloader boots next (its default entry,
	 * which may be newer than the running kernel) and one line saying
	 * where that was read. Read-only. */
	int (*boot_kernel_release)(const struct skd_host *h, char **ret_release,
	                           char **ret_basis);
	/* Would the tools build the capture initrd of `kernel_release` when
	 * their service starts? *ret_stale is NULL when they would only load
	 * it, else one line saying why they would build it (it is missing,
	 * older than one of its inputs, which is named). Read-only: writes
	 * nothing and starts no process. */
	int (*kdump_initrd_stale)(const struct skd_host *h, const char *kernel_release,
	                          char **ret_stale);
	/* Build the capture initrd of `kernel_release` through the tools' own
	 * entry point, as their service would at start. A failure is reported
	 * through h->error with the tool's last lines. */
	int (*kdump_initrd_build)(const struct skd_host *h, const char *kernel_release);
};

/* skd_backend.auto_crashkernel flags */
#define SKD_AUTO_NO_PROCESS 0x1u

/* Free a NULL-terminated string vector from list_dir. */
static inline void skd_strv_free(char **v)
{
	if (!v)
		return;
	for (char **p = v; *p; p++)
		free(*p);
	free(v);
}

#define SKD_BACKEND_HEADER(backend_name) \
	.abi_major = SKD_ABI_MAJOR, .abi_minor = SKD_ABI_MINOR, \
	.struct_size = sizeof(struct skd_backend), .name = (backend_name)

/* The one exported symbol of a backend. */
#define SKD_BACKEND_SYMBOL "skd_backend"
#define SKD_BACKEND_EXPORT __attribute__((visibility("default")))

/*
 * The ELF note. Owner "skyhook-kdump", type SKD_NOTE_TYPE, payload a list of
 * NUL-terminated "key=value" strings: "format=1", "name=NAME",
 * "abi=MAJOR.MINOR", "ids=ID ID ..." (the os-release IDs served, in order).
 * Unknown keys are ignored by the host; "format" changes only when the
 * encoding itself changes.
 */
#define SKD_NOTE_OWNER "skyhook-kdump"
#define SKD_NOTE_TYPE 0x534b4401u
#define SKD_NOTE_SECTION ".note.skyhook-kdump"

#define SKD__STR(x) #x
#define SKD__XSTR(x) SKD__STR(x)
#define SKD__ALIGN4(n) (((n) + 3u) & ~3u)
#define SKD__NOTE_PAYLOAD(name, ids) \
	"format=1\0name=" name "\0abi=" SKD__XSTR(SKD_ABI_MAJOR) "." \
	SKD__XSTR(SKD_ABI_MINOR) "\0ids=" ids

/* SKD_BACKEND_NOTE("debian", "debian ubuntu"); at file scope, once. */
#define SKD_BACKEND_NOTE(name, ids) \
	__attribute__((used, section(SKD_NOTE_SECTION), aligned(4))) \
	static const struct { \
		uint32_t n_namesz, n_descsz, n_type; \
		char owner[SKD__ALIGN4(sizeof(SKD_NOTE_OWNER))]; \
		char payload[SKD__ALIGN4(sizeof(SKD__NOTE_PAYLOAD(name, ids)))]; \
	} skd_backend_note = { \
		sizeof(SKD_NOTE_OWNER), sizeof(SKD__NOTE_PAYLOAD(name, ids)), \
		SKD_NOTE_TYPE, SKD_NOTE_OWNER, SKD__NOTE_PAYLOAD(name, ids) \
	}

#ifdef __cplusplus
}
#endif

#endif /* SKYHOOK_KDUMP_BACKEND_H */
