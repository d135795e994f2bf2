/* SPDX-License-Identifier: Apache-2.0 */
/* Gathering the figures of `status`: only reads, through the backend's
 * query operations and the root. A figure that cannot be read stays
 * unknown; only the verdict decides what that means. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>

#include "capture-initrd.h"
#include "context.h"
#include "crashkernel.h"
#include "diag.h"
#include "dumps.h"
#include "estimate.h"
#include "host.h"
#include "inputs.h"
#include "kernel.h"
#include "kexec-kernel.h"
#include "loader.h"
#include "memory.h"
#include "osrelease.h"
#include "platform.h"
#include "security.h"
#include "status.h"
#include "sysroot.h"

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int tri(int err, bool value)
{
	return err < 0 ? STATUS_UNKNOWN : value;
}

/* The running kernel's release: the root's /proc first (a fixture or a
 * chroot with /proc mounted), else uname() when the root is "/". */
static char *kernel_release(struct context *c)
{
	struct utsname u;
	char *text = NULL;
	size_t len;

	if (sysroot_read(c->root, "/proc/sys/kernel/osrelease", 256, &text, &len) >= 0) {
		text[strcspn(text, "\n")] = '\0';
		if (*text)
			return text;
		free(text);
	}
	if (sysroot_is_slash(c->root) && uname(&u) == 0)
		return strdup(u.release);
	return NULL;
}

/* Why nothing is reserved, where it can be told: the kernel's own log
 * line, and an arm64 kernel before 5.19 (platform.h). */
static char *not_reserved_why(struct context *c, const char *active)
{
	char *logged = platform_boot_log_find(c->root, "cannot allocate crashkernel");
	const char *release = c->platform.kernel_release;
	bool high_low = active && (strstr(active, ",high") || strstr(active, ",low"));
	char *why = NULL;
	int r = 0;

	if (platform_arm64_old_reserve(&c->platform) && high_low)
		r = asprintf(&why, "the arm64 kernel %s is older than 5.19, which gave arm64 "
		             "\",high\" and \",low\": it may not know crashkernel=%s%s%s",
		             release, active, logged ? "; the kernel log says: " : "",
		             logged ? logged : "");
	else if (platform_arm64_old_reserve(&c->platform))
		r = asprintf(&why, "the arm64 kernel %s is older than 5.19 and may reserve "
		             "crashkernel=X only below the DMA limit (the first 4 GiB or less), "
		             "where %s may not fit%s%s", release, active ? active : "the value",
		             logged ? "; the kernel log says: " : "", logged ? logged : "");
	else if (logged)
		r = asprintf(&why, "the kernel log says: %s", logged);
	free(logged);
	return r < 0 ? NULL : why;
}

static void collect_kernel(struct context *c, const struct inputs *in,
                           struct node_status *s)
{
	struct kernel_state k;
	char *iomem = NULL;
	size_t len;
	uint64_t crash;

	kernel_state_read(c->root, &k);
	s->ck_active = k.cmdline_crashkernel;
	k.cmdline_crashkernel = NULL;
	s->kexec_support = k.have_crash_size;
	s->have_reserved = k.have_crash_size;
	s->reserved = k.crash_size;
	s->crash_loaded = k.have_crash_loaded ? k.crash_loaded : STATUS_UNKNOWN;
	kernel_state_clear(&k);
	if (s->have_reserved && s->reserved == 0 && s->ck_active)
		s->not_reserved_why = not_reserved_why(c, s->ck_active);
	if (in && in->ram_known) {
		/* read when the inputs were checked, in this same run */
		s->ram_known = true;
		s->ram = in->ram;
		s->ram_source = in->ram_source;
	} else if (memory_system_ram(c->root, &s->ram, &s->ram_source) >= 0) {
		s->ram_known = true;
	}
	diag_clear();
	if (sysroot_read(c->root, "/proc/iomem", SYSROOT_READ_MAX, &iomem, &len) >= 0 &&
	    memory_crash_from_iomem(iomem, &crash) >= 0) {
		s->have_iomem_crash = true;
		s->iomem_crash = crash;
	}
	free(iomem);
}

/* What the active value (else the configured one) reserves on this RAM;
 * "auto" means the distro default. */
static void collect_expected(struct context *c, struct node_status *s)
{
	const char *value = s->ck_active ? s->ck_active : s->ck_configured;
	struct crashkernel *ck = NULL, *dflt = NULL;
	const struct crashkernel *use;

	if (!value || !s->ram_known)
		return;
	if (crashkernel_parse(value, strlen(value), "crashkernel", &ck) < 0)
		goto out;
	use = ck;
	if (crashkernel_is_auto(ck)) {
		const char *d = context_auto_crashkernel(c, NULL);

		if (!d || crashkernel_parse(d, strlen(d), "default crashkernel", &dflt) < 0)
			goto out;
		use = dflt;
	}
	if (crashkernel_size_for(use, s->ram, "crashkernel", &s->expected) >= 0)
		s->expected_known = true;
out:
	diag_clear();
	crashkernel_free(ck);
	crashkernel_free(dflt);
}

/* What "auto" means here (no process: status starts none) and what it
 * reserves on this RAM. */
static void collect_auto(struct context *c, struct node_status *s)
{
	const char *basis = NULL;
	const char *value = context_auto_crashkernel(c, &basis);
	struct crashkernel *ck = NULL;

	s->platform = platform_describe(&c->platform);
	if (value) {
		s->ck_auto = dup_or_null(value);
		s->auto_basis = dup_or_null(basis);
		if (s->ram_known && crashkernel_parse(value, strlen(value), "auto", &ck) >= 0 &&
		    crashkernel_size_for(ck, s->ram, "auto", &s->auto_bytes) >= 0)
			s->auto_known = true;
	}
	crashkernel_free(ck);
	diag_clear();
}

static void collect_recommended(struct context *c, struct node_status *s)
{
	/* read once for the whole status */
	struct estimate_ram ram = { s->ram, s->ram_source };
	struct estimate_machine m;
	struct estimate_tools tools;
	struct estimate e;
	const char *dflt = context_auto_crashkernel(c, NULL);

	if (!s->ram_known || !dflt) {
		diag_clear();
		return;
	}
	if (estimate_tools_ask(c, s->kernel_release, &tools) >= 0 &&
	    estimate_gather(c->root, &tools, &ram, &m) >= 0) {
		if (estimate_compute(&m, dflt, &e) >= 0) {
			s->recommended_known = true;
			s->recommended = e.recommended;
			estimate_clear(&e);
		}
		estimate_machine_clear(&m);
	}
	estimate_tools_clear(&tools);
	diag_clear();
}

/* Read-only, no process: what the backend answers (ABI 1.5). */
static void collect_capture_initrd(struct context *c, struct node_status *s)
{
	char *release = NULL, *basis = NULL;

	if (capture_initrd_supported(c) &&
	    capture_initrd_release(c, &release, &basis) == 0 && release &&
	    capture_initrd_stale(c, release, &s->initrd_stale) == 0 && s->initrd_stale) {
		s->initrd_release = release;
		release = NULL;
	}
	free(release);
	free(basis);
	diag_clear();
}

/* The bootloader's configuration carries the desired value, but does the
 * boot menu (grub.cfg, the BLS entries)? The backend's read-only check,
 * as config-check asks it: a configuration written without the menu
 * regenerated boots the old value. Only for the value config set: for any
 * other the check would name our own settings as missing. */
static void collect_boot_drift(struct context *c, struct node_status *s)
{
	if (!s->ck_desired || !s->ck_configured || strcmp(s->ck_desired, s->ck_configured) ||
	    !backend_has_op(c->be, bootloader_check_crashkernel))
		return;
	if (c->be->bootloader_check_crashkernel(c->h, s->ck_desired, &s->boot_drift) < 0)
		s->boot_drift = NULL;
	diag_clear();
}

static void collect_service_and_packages(struct context *c, struct node_status *s)
{
	const struct skd_backend *be = c->be;
	size_t n = 0;
	bool *installed;
	bool on = false;
	int err;

	s->service = dup_or_null(c->facts.service);
	err = be->service_is_enabled(c->h, &on);
	s->service_enabled = tri(err, on);
	on = false;
	/* a loaded crash kernel is the truth, and the service's state is not
	 * asked then: systemctl costs a process, and D-Bus loading libsystemd
	 * and its libraries (about 170 ms of a 240 ms check in a TCG guest) */
	if (c->image) {
		err = -ENOTSUP;
	} else if (s->crash_loaded == 1) {
		err = -ENOTSUP;
		s->service_active_skipped = true;
	} else {
		err = be->service_is_active(c->h, &on);
	}
	s->service_active = tri(err, on);
	while (c->facts.packages && c->facts.packages[n])
		n++;
	installed = calloc(n + 1, sizeof(bool));
	s->packages = calloc(n + 1, sizeof(*s->packages));
	if (!installed || !s->packages) {
		free(installed);
		return;
	}
	err = n ? be->packages_query(c->h, c->facts.packages, installed) : 0;
	for (size_t i = 0; i < n; i++) {
		s->packages[i].name = strdup(c->facts.packages[i]);
		s->packages[i].installed = tri(err, installed[i]);
	}
	s->n_packages = n;
	free(installed);
}

/* Test hook, only with the recording runner: the free space the tests'
 * transcripts show, whatever disk they run on. */
static void test_dump_free(struct node_status *s)
{
	const char *v = secure_getenv("SKYHOOK_KDUMP_TEST_DUMP_FREE");
	uint64_t bytes;

	if (v && secure_getenv("SKYHOOK_KDUMP_TEST_FAKE_TOOLS") &&
	    parse_size(v, &bytes) >= 0) {
		s->have_dump_free = true;
		s->dump_free = bytes;
	}
}

static void collect_dumps(struct context *c, struct node_status *s)
{
	struct skd_stat st;
	struct statvfs vfs;
	struct dump_list dumps;
	char *path = NULL;

	s->dump_dir_exists = STATUS_UNKNOWN;
	s->dump_dir = context_current_dump_dir(c);
	/* with a default, only a configured remote target gives none */
	s->dump_remote = !s->dump_dir && c->facts.default_dump_dir;
	if (!s->dump_dir)
		return;
	if (sysroot_stat(c->root, s->dump_dir, false, &st) < 0)
		return;
	s->dump_dir_exists = st.type == SKD_FILE_DIRECTORY;
	if (!s->dump_dir_exists)
		return;
	if (asprintf(&path, "%s%s", sysroot_is_slash(c->root) ? "" : sysroot_path(c->root),
	             s->dump_dir) >= 0 && statvfs(path, &vfs) == 0) {
		s->have_dump_free = true;
		s->dump_free = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	}
	free(path);
	test_dump_free(s);
	if (dumps_scan(c->root, s->dump_dir, &dumps) >= 0) {
		s->n_dumps = dumps.n;
		s->dumps_size = dumps.total_size;
		dump_list_clear(&dumps);
	}
	diag_clear();
}

static void collect_security(struct context *c, struct node_status *s)
{
	struct security_state sec;
	struct kexec_kernel k;

	kexec_kernel_read(c->root, s->kernel_release, c->platform.arch, s->running, &k);
	s->kexec_file_load = k.file_load;
	s->kallsyms_text = k.text_symbol;
	security_state_read(c->root, c->be, c->h, &k, &sec);
	kexec_kernel_clear(&k);
	s->secure_boot = sec.secure_boot;
	s->lockdown = dup_or_null(sec.lockdown);
	s->loader = dup_or_null(sec.loader);
	/* the basis is malloc'd: taken over */
	s->loader_basis = sec.loader_basis;
	sec.loader_basis = NULL;
	s->loader_permitted = sec.loader_permitted;
	security_state_clear(&sec);
}

int status_collect(struct context *c, const struct inputs *in,
                   struct node_status *ret)
{
	struct node_status *s = ret;
	char *configured = NULL;

	memset(s, 0, sizeof(*s));
	s->os_id = dup_or_null(c->os->id);
	s->os_version_id = dup_or_null(c->os->version_id);
	s->os_name = dup_or_null(c->os->pretty_name ? c->os->pretty_name : c->os->name);
	s->backend = dup_or_null(c->be->name);
	s->running = !c->image;
	s->kernel_release = kernel_release(c);
	s->ck_desired = in ? dup_or_null(in->crashkernel) : NULL;
	if (c->be->bootloader_get_crashkernel(c->h, &configured) >= 0)
		s->ck_configured = configured;
	s->crash_loaded = STATUS_UNKNOWN;
	if (s->running)
		collect_kernel(c, in, s);
	collect_boot_drift(c, s);
	collect_expected(c, s);
	collect_auto(c, s);
	collect_recommended(c, s);
	collect_capture_initrd(c, s);
	collect_service_and_packages(c, s);
	collect_dumps(c, s);
	collect_security(c, s);
	return 0;
}
