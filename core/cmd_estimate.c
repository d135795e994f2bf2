/* SPDX-License-Identifier: Apache-2.0 */
/* skyhook-kdump estimate: the crashkernel size this machine needs, what
 * each part of it is based on, and whether what is reserved now (or the
 * value given with --crashkernel) is enough. Read-only. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "context.h"
#include "crashkernel.h"
#include "diag.h"
#include "estimate.h"
#include "kernel.h"
#include "report.h"

/* A crashkernel value and what it reserves on this RAM. */
struct judged {
	char *value;                /* normalised, NULL when none */
	bool bytes_known;
	uint64_t bytes;
};

struct estimate_run {
	struct estimate_machine m;
	struct estimate e;
	bool have_reserved;
	uint64_t reserved;
	struct judged configured;
	struct judged given;        /* --crashkernel */
	const char *auto_value;     /* "auto" on this node (the context's) */
	const struct platform *p;
	char *platform;             /* platform_describe() */
	const char *auto_basis;
};

/* 1 enough, 0 not, -1 unknown. */
static int enough(bool known, uint64_t bytes, uint64_t recommended)
{
	return known ? bytes >= recommended : -1;
}

static const char *enough_word(int v)
{
	return v < 0 ? "unknown" : v ? "enough" : "not enough";
}

/* What `value` reserves on the RAM; "auto" is the distro's default. */
static int judge_value(const char *value, const char *what, const char *dflt,
                       uint64_t ram, struct judged *ret)
{
	struct crashkernel *ck = NULL;
	int r;

	r = crashkernel_parse(value, strlen(value), what, &ck);
	if (r >= 0 && crashkernel_is_auto(ck)) {
		crashkernel_free(ck);
		ck = NULL;
		r = dflt ? crashkernel_parse(dflt, strlen(dflt), what, &ck)
		         : diag_set(-EINVAL, "%s: 'auto' has no default on this system", what);
	}
	if (r >= 0)
		r = crashkernel_size_for(ck, ram, what, &ret->bytes);
	if (r >= 0) {
		ret->bytes_known = true;
		ret->value = strdup(ck->normalized);
	}
	crashkernel_free(ck);
	return r;
}

/* The value alone, before anything is read (exit 2 on a bad one). */
static int check_syntax(const char *value)
{
	struct crashkernel *ck = NULL;
	int r = crashkernel_parse(value, strlen(value), "--crashkernel", &ck);

	crashkernel_free(ck);
	return r;
}

static void json_judged(const char *key, const struct judged *j, uint64_t rec, bool comma)
{
	printf("%s\"%s\":{\"crashkernel\":", comma ? "," : "", key);
	if (j->value)
		json_string(stdout, j->value);
	else
		printf("null");
	if (j->bytes_known)
		printf(",\"bytes\":%" PRIu64 ",\"enough\":%s}", j->bytes,
		       j->bytes >= rec ? "true" : "false");
	else
		printf(",\"bytes\":null,\"enough\":null}");
}

static void json_str_or_null(const char *s)
{
	if (s)
		json_string(stdout, s);
	else
		printf("null");
}

static void print_json(const struct cli *cli, const struct estimate_run *run, int verdict)
{
	const struct estimate_machine *m = &run->m;
	const struct estimate *e = &run->e;

	printf("{\"schema_version\":1,\"exit_code\":0,\"kernel_release\":");
	json_str_or_null(m->kernel_release);
	printf(",\"platform\":{\"arch\":");
	json_str_or_null(run->p->arch);
	printf(",\"page_size\":");
	if (run->p->page_size)
		printf("%u", run->p->page_size);
	else
		printf("null");
	printf(",\"smmu\":");
	json_str_or_null(run->p->smmu);
	printf(",\"mlx5\":%s,\"mem_encryption\":", run->p->mlx5 ? "true" : "false");
	json_str_or_null(run->p->mem_encryption);
	printf("}");
	printf(",\"memory\":{\"bytes\":%" PRIu64 ",\"source\":", m->ram);
	json_string(stdout, m->ram_source);
	printf("},\"cpus\":{\"count\":");
	if (m->cpus)
		printf("%u", m->cpus);
	else
		printf("null");
	printf(",\"source\":");
	json_str_or_null(m->cpus_source);
	printf(",\"capture_limit\":");
	if (m->capture_cpus)
		printf("%u", m->capture_cpus);
	else
		printf("null");
	printf(",\"capture_basis\":");
	json_str_or_null(m->capture_cpus_basis);
	printf("},\"parts\":[");
	for (size_t i = 0; i < e->n_parts; i++) {
		printf("%s{\"part\":", i ? "," : "");
		json_string(stdout, e->parts[i].what);
		printf(",\"bytes\":%" PRIu64 ",\"basis\":", e->parts[i].bytes);
		json_string(stdout, e->parts[i].basis);
		printf("}");
	}
	printf("],\"needed_bytes\":%" PRIu64 ",\"default\":{\"crashkernel\":", e->needed_bytes);
	json_string(stdout, e->default_value);
	printf(",\"bytes\":%" PRIu64 ",\"basis\":", e->default_bytes);
	json_str_or_null(run->auto_basis);
	printf("},\"recommended\":{\"crashkernel\":");
	json_string(stdout, e->recommended_value);
	printf(",\"bytes\":%" PRIu64 ",\"basis\":", e->recommended);
	json_string(stdout, e->recommended_basis);
	printf("},\"checked_against\":");
	json_str_or_null(e->checked_against);
	printf(",\"reserved\":{\"bytes\":");
	if (run->have_reserved)
		printf("%" PRIu64 ",\"enough\":%s}", run->reserved,
		       run->reserved >= e->recommended ? "true" : "false");
	else
		printf("null,\"enough\":null}");
	json_judged("configured", &run->configured, e->recommended, true);
	if (cli->crashkernel)
		json_judged("given", &run->given, e->recommended, true);
	printf(",\"judged\":\"%s\",\"verdict\":\"%s\",\"notes\":[",
	       cli->crashkernel ? "given" : "reserved", enough_word(verdict));
	for (size_t i = 0; e->notes && e->notes[i]; i++) {
		printf("%s", i ? "," : "");
		json_string(stdout, e->notes[i]);
	}
	printf("]}\n");
}

static void print_text(const struct cli *cli, const struct estimate_run *run, int verdict)
{
	const struct estimate_machine *m = &run->m;
	const struct estimate *e = &run->e;
	char a[32], b[32];

	printf("kernel: %s\n", m->kernel_release ? m->kernel_release : "unknown");
	if (run->platform)
		printf("platform: %s (architecture: %s; page size: %s)\n", run->platform,
		       run->p->arch_source ? run->p->arch_source : "unknown",
		       run->p->page_size_source ? run->p->page_size_source : "unknown");
	if (m->ram % (UINT64_C(1) << 30) == 0 || m->ram < (UINT64_C(1) << 30))
		format_size(m->ram, a, sizeof(a));
	else
		snprintf(a, sizeof(a), "%.1fG", (double)m->ram / (double)(UINT64_C(1) << 30));
	printf("system RAM: %s (%" PRIu64 " bytes, %s)\n", a, m->ram, m->ram_source);
	if (m->cpus)
		printf("CPUs: %u (%s)\n", m->cpus, m->cpus_source);
	else
		printf("CPUs: unknown\n");
	printf("\n%-18s %8s  %s\n", "part", "size", "basis");
	for (size_t i = 0; i < e->n_parts; i++)
		printf("%-18s %8s  %s\n", e->parts[i].what,
		       estimate_mib(e->parts[i].bytes, a, sizeof(a)), e->parts[i].basis);
	printf("%-18s %8s\n\n", "needed", estimate_mib(e->needed_bytes, a, sizeof(a)));
	printf("default: %s reserves %s on this RAM (the distribution's \"auto\": %s)\n",
	       e->default_value,
	       e->default_bytes ? estimate_mib(e->default_bytes, a, sizeof(a)) : "nothing",
	       run->auto_basis ? run->auto_basis : "its fixed default");
	printf("recommended: %s (%s)\n", e->recommended_value, e->recommended_basis);
	if (e->checked_against)
		printf("checked against: %s\n", e->checked_against);
	else
		printf("checked against: no measurement on %s (docs/calibration.md)\n",
		       run->p->arch ? run->p->arch : "this architecture");
	if (run->have_reserved)
		printf("reserved now: %s (/sys/kernel/kexec_crash_size): %s\n",
		       run->reserved ? estimate_mib(run->reserved, a, sizeof(a)) : "nothing",
		       enough_word(run->reserved >= e->recommended));
	else
		printf("reserved now: unknown (no /sys/kernel/kexec_crash_size)\n");
	if (run->configured.bytes_known)
		printf("configured: %s reserves %s on this RAM: %s\n", run->configured.value,
		       estimate_mib(run->configured.bytes, b, sizeof(b)),
		       enough_word(run->configured.bytes >= e->recommended));
	else
		printf("configured: none in the bootloader configuration\n");
	if (cli->crashkernel)
		printf("given: %s reserves %s on this RAM: %s\n", run->given.value,
		       estimate_mib(run->given.bytes, b, sizeof(b)),
		       enough_word(run->given.bytes >= e->recommended));
	for (size_t i = 0; e->notes && e->notes[i]; i++)
		printf("note: %s\n", e->notes[i]);
	printf("verdict: %s (%s against the recommended %s)\n", enough_word(verdict),
	       cli->crashkernel ? "--crashkernel" : "what is reserved now",
	       e->recommended_value);
}

static int fail(const struct cli *cli, int code)
{
	const char *msg = *diag_message() ? diag_message() : "failed";

	if (cli->json) {
		printf("{\"schema_version\":1,\"exit_code\":%d,\"error\":", code);
		json_string(stdout, msg);
		printf("}\n");
	} else {
		fprintf(stderr, "skyhook-kdump estimate: %s\n", msg);
	}
	return code;
}

/* The configured value, read-only through the backend; none on error. */
static void read_configured(struct context *c, uint64_t ram, struct estimate_run *run)
{
	char *value = NULL;

	if (c->be->bootloader_get_crashkernel(c->h, &value) >= 0 && value)
		judge_value(value, "the configured crashkernel", run->auto_value,
		            ram, &run->configured);
	free(value);
	diag_clear();
}

int cmd_estimate(const struct cli *cli)
{
	struct context c = { 0 };
	struct estimate_run run = { 0 };
	struct kernel_state k;
	struct estimate_tools tools = { 0 };
	uint64_t given_ram = 0;
	int verdict, e;

	diag_clear();
	if (cli->memory && (parse_size(cli->memory, &given_ram) < 0 || given_ram == 0)) {
		diag_set(0, "--memory '%s': expected a size such as 16G", cli->memory);
		return fail(cli, EXIT_BAD_INPUT);
	}
	if (cli->crashkernel && check_syntax(cli->crashkernel) < 0)
		return fail(cli, EXIT_BAD_INPUT);
	if ((e = context_open_root(&c, cli)) || (e = context_read_os_release(&c)) ||
	    (e = context_find_backend(&c)) || (e = context_load_backend(&c))) {
		fail(cli, e);
		goto out;
	}
	run.p = &c.platform;
	run.platform = platform_describe(&c.platform);
	run.auto_value = context_auto_crashkernel(&c, &run.auto_basis);
	if (!run.auto_value) {
		diag_set(0, "backend '%s' gives no default crashkernel to estimate from",
		         c.be->name);
		e = fail(cli, EXIT_UNSUPPORTED);
		goto out;
	}
	if (estimate_tools_ask(&c, NULL, &tools) < 0 ||
	    estimate_gather(c.root, &tools, NULL, &run.m) < 0) {
		e = fail(cli, EXIT_OP_FAILED);
		goto out;
	}
	if (cli->memory) {
		run.m.ram_known = true;
		run.m.ram = given_ram;
		run.m.ram_source = "given with --memory";
	}
	if (!run.m.ram_known) {
		diag_set(0, "the amount of RAM is unknown: neither /proc/iomem nor "
		         "/proc/meminfo can be read; give --memory");
		e = fail(cli, EXIT_OP_FAILED);
		goto out;
	}
	if (cli->crashkernel &&
	    judge_value(cli->crashkernel, "--crashkernel", run.auto_value,
	                run.m.ram, &run.given) < 0) {
		e = fail(cli, EXIT_BAD_INPUT);
		goto out;
	}
	if (estimate_compute(&run.m, run.auto_value, &run.e) < 0) {
		e = fail(cli, EXIT_OP_FAILED);
		goto out;
	}
	kernel_state_read(c.root, &k);
	run.have_reserved = k.have_crash_size;
	run.reserved = k.crash_size;
	kernel_state_clear(&k);
	read_configured(&c, run.m.ram, &run);
	verdict = cli->crashkernel ? enough(true, run.given.bytes, run.e.recommended)
	                           : enough(run.have_reserved, run.reserved, run.e.recommended);
	if (cli->json)
		print_json(cli, &run, verdict);
	else
		print_text(cli, &run, verdict);
	e = EXIT_OK;
out:
	free(run.platform);
	free(run.configured.value);
	free(run.given.value);
	estimate_clear(&run.e);
	estimate_machine_clear(&run.m);
	estimate_tools_clear(&tools);
	context_close(&c);
	return e;
}
