/* SPDX-License-Identifier: Apache-2.0 */
/* The verdict from the figures. kexec_crash_loaded is the truth about an
 * armed node: a service that says "active" can have failed to load, and a
 * missing package or a disabled service matters for the next boot, so
 * those are reasons only while nothing is loaded, warnings otherwise. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crashkernel.h"
#include "kexec-kernel.h"
#include "status.h"

static void add(struct status_reason **v, size_t *n, const char *code,
                const char *fmt, va_list ap)
{
	struct status_reason *grown;
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		return;
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	grown = realloc(*v, (*n + 1) * sizeof(**v));
	if (!grown) {
		free(msg);
		return;
	}
	*v = grown;
	grown[*n].code = code;
	grown[*n].message = msg;
	(*n)++;
}

void status_add_reason(struct node_status *s, const char *code,
                       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(&s->reasons, &s->n_reasons, code, fmt, ap);
	va_end(ap);
}

void status_add_warning(struct node_status *s, const char *code,
                        const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(&s->warnings, &s->n_warnings, code, fmt, ap);
	va_end(ap);
}

static bool same(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

/* Sizes in messages: exact ("512M") where that is short, else GiB. */
static const char *size_text(uint64_t bytes, char *buf, size_t len)
{
	if (bytes >= (UINT64_C(1) << 30) && bytes % (UINT64_C(1) << 20))
		snprintf(buf, len, "%.1f GiB", (double)bytes / (double)(UINT64_C(1) << 30));
	else
		format_size(bytes, buf, len);
	return buf;
}

static const char *or_none(const char *s)
{
	return s ? s : "none";
}

/* Both halves of a ",high" reservation show in /proc/iomem; only the high
 * one in kexec_crash_size. */
static uint64_t reserved_total(const struct node_status *s)
{
	if (s->have_iomem_crash && s->iomem_crash > s->reserved)
		return s->iomem_crash;
	return s->reserved;
}

static void add_either(struct node_status *s, bool warning, const char *code,
                       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void add_either(struct node_status *s, bool warning, const char *code,
                       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (warning)
		add(&s->warnings, &s->n_warnings, code, fmt, ap);
	else
		add(&s->reasons, &s->n_reasons, code, fmt, ap);
	va_end(ap);
}

/* Missing packages and a lockdown-refused loader explain why nothing is
 * loaded; with a crash kernel loaded they only threaten the next load. */
static void next_load_problems(struct node_status *s, bool loaded)
{
	const char *when = loaded ? " (the next load will fail)" : "";

	for (size_t i = 0; i < s->n_packages; i++)
		if (s->packages[i].installed == 0)
			add_either(s, loaded, "packages_missing", "package %s is not installed",
			           s->packages[i].name);
	if (s->loader_permitted == 0)
		add_either(s, loaded, "loader_locked_down",
		           "kernel lockdown (%s) refuses %s, which the kdump tools use%s",
		           or_none(s->lockdown), s->loader ? s->loader : "kexec_load", when);
}

/* arm64 without _text in /proc/kallsyms (kernels built without
 * CONFIG_KALLSYMS_ALL, Debian 12's among them): kexec_load() gets an ELF
 * core header whose kernel segment is 0-based nonsense, and the capture
 * kernel's makedumpfile cannot read the page tables (docs/vm-arm64.md).
 * What is loaded now was loaded by the same tools, so this is a reason
 * whether or not a crash kernel is loaded; a warning while the loader is
 * not known. */
static void judge_core_header(struct node_status *s)
{
	int broken = kexec_core_header_broken(s->kallsyms_text, s->loader);

	if (broken)
		add_either(s, broken < 0, "core_header_broken", KEXEC_CORE_HEADER_WHY,
		           KEXEC_CORE_HEADER_LOADER(broken));
}

static void judge_kernel(struct node_status *s)
{
	char a[32], b[32];

	if (!s->ck_active) {
		if (s->ck_configured)
			status_add_reason(s, "no_crashkernel", "the running kernel was booted without crashkernel= (the bootloader has crashkernel=%s: reboot to use it)",
			                  s->ck_configured);
		else
			status_add_reason(s, "no_crashkernel", "the running kernel was booted without crashkernel=");
	} else if (s->expected_known && s->expected == 0 && s->ram_known) {
		status_add_reason(s, "reserves_nothing", "crashkernel=%s reserves nothing on a machine with %s of RAM",
		                  s->ck_active, size_text(s->ram, a, sizeof(a)));
	}
	if (s->have_reserved && s->reserved == 0)
		status_add_reason(s, "not_reserved", "no crash memory is reserved (/sys/kernel/kexec_crash_size is 0)%s%s",
		                  s->not_reserved_why ? ": " : "",
		                  s->not_reserved_why ? s->not_reserved_why : "");
	if (s->crash_loaded == 0)
		status_add_reason(s, "not_loaded", "no crash kernel is loaded (/sys/kernel/kexec_crash_loaded is 0)%s",
		                  s->service_active == 0 ? s->service ? "; its service is not active" : "" : "");
	else if (s->crash_loaded < 0)
		status_add_reason(s, "kernel_state_unreadable", "/sys/kernel/kexec_crash_loaded cannot be read");
	if (s->reserved > 0 && s->expected_known && s->expected > 0 &&
	    reserved_total(s) != s->expected)
		status_add_warning(s, "reserved_differs", "%s of crash memory reserved, but crashkernel=%s reserves %s on this machine",
		                   size_text(reserved_total(s), a, sizeof(a)), s->ck_active,
		                   size_text(s->expected, b, sizeof(b)));
	if (s->reserved > 0 && s->recommended_known && reserved_total(s) < s->recommended)
		status_add_warning(s, "below_recommended", "%s of crash memory reserved, below the %s recommended for this machine (see 'skyhook-kdump estimate')",
		                   size_text(reserved_total(s), a, sizeof(a)),
		                   size_text(s->recommended, b, sizeof(b)));
}

static void judge_boot(struct node_status *s)
{
	char a[32], b[32];

	/* an explicit value is the operator's: said, never changed; judged
	 * on an image too, where it takes effect at the first boot */
	if (s->expected_known && s->expected > 0 && s->auto_known &&
	    s->expected < s->auto_bytes)
		status_add_warning(s, "below_auto", "crashkernel=%s reserves %s on this machine, less than the %s of 'auto' here (%s)",
		                   s->ck_active ? s->ck_active : or_none(s->ck_configured),
		                   size_text(s->expected, a, sizeof(a)),
		                   size_text(s->auto_bytes, b, sizeof(b)), s->ck_auto);
	if (s->ck_desired && !same(s->ck_desired, s->ck_configured))
		status_add_warning(s, "desired_differs", "the configmap asks for crashkernel=%s, the bootloader has %s: run config",
		                   s->ck_desired, or_none(s->ck_configured));
	if (s->boot_drift)
		status_add_warning(s, "boot_menu_stale", "crashkernel=%s is configured, but "
		                   "%s: the next boot may not use it", s->ck_configured,
		                   s->boot_drift);
	if (s->running && !same(s->ck_configured, s->ck_active) &&
	    (s->ck_configured || s->ck_active))
		status_add_warning(s, "reboot_pending", "the bootloader has crashkernel=%s, the running kernel %s: the next boot changes it",
		                   or_none(s->ck_configured), or_none(s->ck_active));
	if (s->service_enabled == 0)
		status_add_warning(s, "service_disabled", "service %s is not enabled: no crash kernel is loaded after the next boot",
		                   s->service ? s->service : "kdump");
	if (s->service_active == 0 && s->crash_loaded == 1)
		status_add_warning(s, "service_inactive", "service %s is not active",
		                   s->service ? s->service : "kdump");
}

static void judge_dumps(struct node_status *s)
{
	char a[32], b[32];

	if (s->dump_remote) {
		status_add_warning(s, "remote_target_unchecked", "dumps go to a remote or separate target: not checked from here");
		return;
	}
	if (s->dump_dir && s->dump_dir_exists == 0)
		status_add_warning(s, "dump_dir_missing", "the dump directory %s does not exist", s->dump_dir);
	else if (s->have_dump_free && s->ram_known && s->dump_free < s->ram)
		status_add_warning(s, "dump_dir_small", "the dump directory %s has %s free, less than the %s of RAM a full dump can take",
		                   s->dump_dir, size_text(s->dump_free, a, sizeof(a)),
		                   size_text(s->ram, b, sizeof(b)));
}

void status_judge(struct node_status *s)
{
	if (s->inputs_error)
		status_add_warning(s, "inputs_invalid", "%s", s->inputs_error);
	if (!s->running) {
		status_add_reason(s, "not_running", "the root is an image, not the running system: there is no kernel to check");
	} else if (!s->kexec_support) {
		status_add_reason(s, "no_kexec_support", "the kernel has no crash dump support (/sys/kernel/kexec_crash_size is missing)");
	} else {
		judge_kernel(s);
	}
	next_load_problems(s, s->running && s->crash_loaded == 1);
	judge_core_header(s);
	judge_boot(s);
	if (s->initrd_stale)
		status_add_warning(s, "capture_initrd_stale", "the capture initrd of kernel %s, "
		                   "which boots next, is not up to date (%s): the service builds "
		                   "it when it starts, and a build that fails leaves no crash "
		                   "kernel loaded; config builds it now", s->initrd_release,
		                   s->initrd_stale);
	judge_dumps(s);
	if (s->n_reasons)
		s->verdict = VERDICT_NOT_ARMED;
	else if (s->n_warnings)
		s->verdict = VERDICT_ARMED_WITH_WARNINGS;
	else
		s->verdict = VERDICT_ARMED;
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_ARMED: return "armed";
	case VERDICT_ARMED_WITH_WARNINGS: return "armed with warnings";
	default: return "not armed";
	}
}

static void free_reasons(struct status_reason *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].message);
	free(v);
}

void status_clear(struct node_status *s)
{
	char **strings[] = {
		&s->os_id, &s->os_version_id, &s->os_name, &s->backend,
		&s->kernel_release, &s->ck_desired, &s->ck_configured,
		&s->ck_active, &s->service, &s->dump_dir, &s->lockdown,
		&s->loader, &s->loader_basis, &s->inputs_error,
		&s->ck_auto, &s->auto_basis, &s->platform, &s->not_reserved_why,
		&s->initrd_release, &s->initrd_stale, &s->boot_drift,
	};

	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		free(*strings[i]);
	for (size_t i = 0; i < s->n_packages; i++)
		free(s->packages[i].name);
	free(s->packages);
	free_reasons(s->reasons, s->n_reasons);
	free_reasons(s->warnings, s->n_warnings);
	memset(s, 0, sizeof(*s));
}
