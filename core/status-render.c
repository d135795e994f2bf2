/* SPDX-License-Identifier: Apache-2.0 */
/* The status report for people (text) and for programs (JSON, described by
 * schemas/status.schema.json). Both take the figures as they are: what is
 * unknown is said to be unknown, never shown as 0. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "crashkernel.h"
#include "diag.h"
#include "report.h"
#include "status.h"

#define MIB (UINT64_C(1) << 20)
#define GIB (UINT64_C(1) << 30)

/* ---- text ------------------------------------------------------------ */

/* RAM, dump sizes, free space: one decimal is enough. */
static const char *approx_size(uint64_t bytes, char *buf, size_t len)
{
	if (bytes >= GIB)
		snprintf(buf, len, "%.1f GiB", (double)bytes / (double)GIB);
	else if (bytes >= MIB)
		snprintf(buf, len, "%.1f MiB", (double)bytes / (double)MIB);
	else if (bytes >= 1024)
		snprintf(buf, len, "%.1f KiB", (double)bytes / 1024.0);
	else
		snprintf(buf, len, "%" PRIu64 " bytes", bytes);
	return buf;
}

/* Crash memory sizes read best as the crashkernel= syntax writes them. */
static const char *exact_or_approx(uint64_t bytes, char *buf, size_t len)
{
	if (bytes && bytes % MIB == 0)
		return format_size(bytes, buf, len);
	return approx_size(bytes, buf, len);
}

/* Every field stays on its line: control characters become spaces. */
static void put_flat(FILE *out, const char *s, const char *if_null)
{
	text_flat(out, s ? s : if_null ? if_null : "");
}

static const char *tri_word(int v, const char *yes, const char *no,
                            const char *unknown)
{
	return v < 0 ? unknown : v ? yes : no;
}

static void text_reasons(const struct node_status *s, FILE *out)
{
	fprintf(out, "verdict: %s\n", verdict_name(s->verdict));
	for (size_t i = 0; i < s->n_reasons; i++) {
		fputs("  - ", out);
		put_flat(out, s->reasons[i].code, "unknown");
		fputs(": ", out);
		put_flat(out, s->reasons[i].message, "");
		fputc('\n', out);
	}
	for (size_t i = 0; i < s->n_warnings; i++) {
		fputs("warning: ", out);
		put_flat(out, s->warnings[i].code, "unknown");
		fputs(": ", out);
		put_flat(out, s->warnings[i].message, "");
		fputc('\n', out);
	}
}

static void text_system(const struct node_status *s, FILE *out)
{
	fputs("system:       ", out);
	if (s->os_name) {
		put_flat(out, s->os_name, NULL);
	} else if (s->os_id) {
		put_flat(out, s->os_id, NULL);
		if (s->os_version_id) {
			fputc(' ', out);
			put_flat(out, s->os_version_id, NULL);
		}
	} else {
		fputs("unknown", out);
	}
	fputs(", backend ", out);
	put_flat(out, s->backend, "none");
	fputs(", kernel ", out);
	put_flat(out, s->kernel_release, "unknown");
	if (s->platform) {
		fputs(" (", out);
		put_flat(out, s->platform, NULL);
		fputc(')', out);
	}
	if (!s->running)
		fputs(", not the running system", out);
	fputc('\n', out);

	fputs("crashkernel:  desired ", out);
	put_flat(out, s->ck_desired, "none");
	fputs(", configured ", out);
	put_flat(out, s->ck_configured, "none");
	fputs(", active ", out);
	put_flat(out, s->ck_active, "none");
	fputc('\n', out);
	if (s->ck_auto) {
		fputs("auto:         ", out);
		put_flat(out, s->ck_auto, NULL);
		fputs(" (", out);
		put_flat(out, s->auto_basis, "no basis");
		fputs(")\n", out);
	}
}

static void text_memory(const struct node_status *s, FILE *out)
{
	char b[48];

	fputs("memory:       RAM ", out);
	fputs(s->ram_known ? approx_size(s->ram, b, sizeof(b)) : "unknown", out);
	if (s->ram_known && s->ram_source) {
		fputs(" (", out);
		put_flat(out, s->ram_source, NULL);
		fputc(')', out);
	}
	fprintf(out, "; reserved %s (kexec_crash_size)",
	        s->have_reserved ? exact_or_approx(s->reserved, b, sizeof(b)) : "unknown");
	fprintf(out, ", %s in /proc/iomem",
	        s->have_iomem_crash ? exact_or_approx(s->iomem_crash, b, sizeof(b)) : "unknown");
	fprintf(out, "; expected %s",
	        s->expected_known ? exact_or_approx(s->expected, b, sizeof(b)) : "unknown");
	fprintf(out, "; recommended %s\n",
	        s->recommended_known ? exact_or_approx(s->recommended, b, sizeof(b)) : "unknown");

	fprintf(out, "crash kernel: %s%s\n",
	        tri_word(s->crash_loaded, "loaded", "not loaded", "unknown"),
	        s->kexec_support ? "" : "; the kernel has no kexec support");
}

static void text_service(const struct node_status *s, FILE *out)
{
	fputs("service:      ", out);
	if (s->service) {
		put_flat(out, s->service, NULL);
		fprintf(out, " %s, %s",
		        tri_word(s->service_enabled, "enabled", "disabled", "enabled unknown"),
		        s->service_active_skipped ? "active not asked (crash kernel loaded)" :
		        tri_word(s->service_active, "active", "inactive", "active unknown"));
	} else {
		fputs("none", out);
	}
	fputc('\n', out);

	fputs("packages:     ", out);
	if (!s->n_packages)
		fputs("none", out);
	for (size_t i = 0; i < s->n_packages; i++) {
		if (i)
			fputs(", ", out);
		put_flat(out, s->packages[i].name, "unknown");
		fprintf(out, " %s", tri_word(s->packages[i].installed,
		                             "installed", "missing", "unknown"));
	}
	fputc('\n', out);
}

static void text_dumps(const struct node_status *s, FILE *out)
{
	char b[48];

	fputs("dumps:        ", out);
	if (s->dump_remote) {
		fputs("remote target", out);
		if (s->dump_dir) {
			fputc(' ', out);
			put_flat(out, s->dump_dir, NULL);
		}
		fputs(", not checked\n", out);
		return;
	}
	if (!s->dump_dir) {
		fputs("unknown\n", out);
		return;
	}
	put_flat(out, s->dump_dir, NULL);
	if (s->dump_dir_exists == 0) {
		fputs(": missing\n", out);
		return;
	}
	if (s->dump_dir_exists < 0) {
		fputs(": unknown\n", out);
		return;
	}
	fprintf(out, ": %zu dump%s, %s", s->n_dumps, s->n_dumps == 1 ? "" : "s",
	        approx_size(s->dumps_size, b, sizeof(b)));
	if (s->have_dump_free)
		fprintf(out, "; %s free\n", approx_size(s->dump_free, b, sizeof(b)));
	else
		fputs("; free space unknown\n", out);
}

/* only what was read: most roots have no kernel .config */
static void text_kexec_kernel(const struct node_status *s, FILE *out)
{
	if (s->kexec_file_load < 0 && s->kallsyms_text < 0)
		return;
	fputs("kexec:        ", out);
	if (s->kexec_file_load >= 0)
		fprintf(out, "the kernel %s kexec_file_load", s->kexec_file_load ?
		        "has" : "has no");
	if (s->kexec_file_load >= 0 && s->kallsyms_text >= 0)
		fputs("; ", out);
	if (s->kallsyms_text >= 0)
		fprintf(out, "/proc/kallsyms %s _text", s->kallsyms_text ? "has" : "has no");
	fputc('\n', out);
}

static void text_security(const struct node_status *s, FILE *out)
{
	fprintf(out, "security:     Secure Boot %s, lockdown ",
	        tri_word(s->secure_boot, "on", "off", "unknown"));
	put_flat(out, s->lockdown, "not in this kernel");
	if (!s->loader) {
		fputs("; crash kernel loader unknown\n", out);
		text_kexec_kernel(s, out);
		return;
	}
	fputs("; the kdump tools load with ", out);
	put_flat(out, s->loader, NULL);
	fprintf(out, " (%s", tri_word(s->loader_permitted, "permitted",
	                              "not permitted", "permission unknown"));
	if (s->loader_basis) {
		fputs("; ", out);
		put_flat(out, s->loader_basis, NULL);
	}
	fputs(")\n", out);
	text_kexec_kernel(s, out);
}

void status_print_text(const struct node_status *s, FILE *out)
{
	text_reasons(s, out);
	text_system(s, out);
	text_memory(s, out);
	text_service(s, out);
	text_dumps(s, out);
	text_security(s, out);
}

/* ---- JSON ------------------------------------------------------------ */

static void j_str(FILE *out, const char *s)
{
	if (!s)
		fputs("null", out);
	else
		json_string(out, s);
}

static void j_tri(FILE *out, int v)
{
	fputs(v < 0 ? "null" : v ? "true" : "false", out);
}

static void j_u64(FILE *out, bool known, uint64_t v)
{
	if (known)
		fprintf(out, "%" PRIu64, v);
	else
		fputs("null", out);
}

static void j_reasons(FILE *out, const char *key, const struct status_reason *r,
                      size_t n)
{
	fprintf(out, ",\"%s\":[", key);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",{\"code\":" : "{\"code\":", out);
		j_str(out, r[i].code);
		fputs(",\"message\":", out);
		j_str(out, r[i].message ? r[i].message : "");
		fputc('}', out);
	}
	fputc(']', out);
}

/* The counts of a dump directory mean something only when it was read. */
static bool dumps_counted(const struct node_status *s)
{
	return s->dump_dir && !s->dump_remote && s->dump_dir_exists >= 0;
}

void status_print_json(const struct node_status *s, FILE *out)
{
	fputs("{\"schema_version\":1,\"verdict\":", out);
	j_str(out, verdict_name(s->verdict));
	fprintf(out, ",\"armed\":%s", s->verdict == VERDICT_NOT_ARMED ? "false" : "true");
	j_reasons(out, "reasons", s->reasons, s->n_reasons);
	j_reasons(out, "warnings", s->warnings, s->n_warnings);

	fputs(",\"system\":{\"os_id\":", out);
	j_str(out, s->os_id);
	fputs(",\"os_version_id\":", out);
	j_str(out, s->os_version_id);
	fputs(",\"os_name\":", out);
	j_str(out, s->os_name);
	fputs(",\"backend\":", out);
	j_str(out, s->backend);
	fputs(",\"kernel_release\":", out);
	j_str(out, s->kernel_release);
	fputs(",\"platform\":", out);
	j_str(out, s->platform);
	fprintf(out, ",\"running\":%s}", s->running ? "true" : "false");

	fputs(",\"crashkernel\":{\"desired\":", out);
	j_str(out, s->ck_desired);
	fputs(",\"configured\":", out);
	j_str(out, s->ck_configured);
	fputs(",\"active\":", out);
	j_str(out, s->ck_active);
	fputs(",\"auto\":", out);
	j_str(out, s->ck_auto);
	fputs(",\"auto_basis\":", out);
	j_str(out, s->auto_basis);
	fputc('}', out);

	fputs(",\"memory\":{\"ram\":", out);
	j_u64(out, s->ram_known, s->ram);
	fputs(",\"ram_source\":", out);
	j_str(out, s->ram_known ? s->ram_source : NULL);
	fputs(",\"reserved\":", out);
	j_u64(out, s->have_reserved, s->reserved);
	fputs(",\"iomem_crash\":", out);
	j_u64(out, s->have_iomem_crash, s->iomem_crash);
	fputs(",\"expected\":", out);
	j_u64(out, s->expected_known, s->expected);
	fputs(",\"auto\":", out);
	j_u64(out, s->auto_known, s->auto_bytes);
	fputs(",\"recommended\":", out);
	j_u64(out, s->recommended_known, s->recommended);
	fputc('}', out);

	fputs(",\"crash_kernel_loaded\":", out);
	j_tri(out, s->crash_loaded);
	fprintf(out, ",\"kexec_support\":%s", s->kexec_support ? "true" : "false");

	fputs(",\"service\":{\"name\":", out);
	j_str(out, s->service);
	fputs(",\"enabled\":", out);
	j_tri(out, s->service ? s->service_enabled : STATUS_UNKNOWN);
	fputs(",\"active\":", out);
	j_tri(out, s->service ? s->service_active : STATUS_UNKNOWN);
	fputc('}', out);

	fputs(",\"packages\":[", out);
	for (size_t i = 0; i < s->n_packages; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", out);
		j_str(out, s->packages[i].name ? s->packages[i].name : "");
		fputs(",\"installed\":", out);
		j_tri(out, s->packages[i].installed);
		fputc('}', out);
	}
	fputc(']', out);

	fputs(",\"dumps\":{\"dir\":", out);
	j_str(out, s->dump_dir);
	fprintf(out, ",\"remote\":%s", s->dump_remote ? "true" : "false");
	fputs(",\"dir_exists\":", out);
	j_tri(out, s->dump_remote || !s->dump_dir ? STATUS_UNKNOWN : s->dump_dir_exists);
	fputs(",\"free_bytes\":", out);
	j_u64(out, s->have_dump_free, s->dump_free);
	fputs(",\"count\":", out);
	j_u64(out, dumps_counted(s), s->n_dumps);
	fputs(",\"total_size\":", out);
	j_u64(out, dumps_counted(s), s->dumps_size);
	fputc('}', out);

	fputs(",\"security\":{\"secure_boot\":", out);
	j_tri(out, s->secure_boot);
	fputs(",\"lockdown\":", out);
	j_str(out, s->lockdown);
	fputs(",\"loader\":", out);
	j_str(out, s->loader);
	fputs(",\"loader_basis\":", out);
	j_str(out, s->loader_basis);
	fputs(",\"loader_permitted\":", out);
	j_tri(out, s->loader_permitted);
	fputs(",\"kexec_file_load\":", out);
	j_tri(out, s->kexec_file_load);
	fputs(",\"kallsyms_text\":", out);
	j_tri(out, s->kallsyms_text);
	fputs("}}\n", out);
}

const char *status_error_code(int exit_code)
{
	switch (exit_code) {
	case EXIT_BAD_INPUT: return "bad_input";
	case EXIT_UNSUPPORTED: return "unsupported";
	default: return "failed";
	}
}

void status_print_json_error(const char *code, const char *message, FILE *out)
{
	fputs("{\"schema_version\":1,\"verdict\":\"unknown\",\"armed\":false,\"error\":{\"code\":", out);
	json_string(out, code);
	fputs(",\"message\":", out);
	json_string(out, message);
	fputs("}}\n", out);
}
