/* SPDX-License-Identifier: Apache-2.0 */
/* skyhook-kdump validate: the inputs checked, and what crashkernel
 * reserves on this machine or for a given amount of RAM. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "configmaps.h"
#include "context.h"
#include "crashkernel.h"
#include "diag.h"
#include "inputs.h"
#include "kdumpconf.h"
#include "memory.h"
#include "report.h"

struct validation {
	const char *input;          /* as given */
	const char *source;         /* "--crashkernel" or the configmap */
	char *normalized;
	bool have_ram;
	uint64_t ram;
	const char *ram_source;
	uint64_t reserve;
	const char *backend;
	const char *kdump_conf_target;
	const char *kdump_conf_format;
	const char *auto_basis;     /* "auto": what went into it */
};

static void print_result(const struct cli *cli, const struct validation *v,
                         int e)
{
	char a[32], b[32];

	if (cli->json) {
		printf("{\"valid\":%s", e ? "false" : "true");
		if (e) {
			printf(",\"exit_code\":%d,\"error\":", e);
			json_string(stdout, diag_message());
		}
		if (v->input) {
			printf(",\"input\":");
			json_string(stdout, v->input);
		}
		if (v->normalized) {
			printf(",\"crashkernel\":");
			json_string(stdout, v->normalized);
		}
		if (v->auto_basis) {
			printf(",\"auto_basis\":");
			json_string(stdout, v->auto_basis);
		}
		if (v->have_ram) {
			printf(",\"memory_bytes\":%llu,\"memory_source\":", (unsigned long long)v->ram);
			json_string(stdout, v->ram_source);
			if (!e)
				printf(",\"reserved_bytes\":%llu", (unsigned long long)v->reserve);
		}
		if (v->backend) {
			printf(",\"backend\":");
			json_string(stdout, v->backend);
		}
		if (v->kdump_conf_target && !e) {
			printf(",\"kdump_conf\":{\"format\":\"%s\",\"installed_as\":", v->kdump_conf_format);
			json_string(stdout, v->kdump_conf_target);
			printf("}");
		}
		printf("}\n");
		return;
	}
	if (e) {
		fprintf(stderr, "skyhook-kdump validate: %s\n", diag_message());
		return;
	}
	if (v->normalized)
		printf("crashkernel: %s\n", v->normalized);
	if (v->normalized && v->auto_basis)
		printf("auto: %s\n", v->auto_basis);
	if (v->have_ram && v->normalized)
		printf("system RAM: %s (%s)\nreserves: %s (%llu bytes)\n",
		       format_size(v->ram, a, sizeof(a)), v->ram_source,
		       format_size(v->reserve, b, sizeof(b)), (unsigned long long)v->reserve);
	if (v->kdump_conf_target)
		printf("kdump.conf: valid (%s), installed as %s\n",
		       v->kdump_conf_format, v->kdump_conf_target);
	if (!v->normalized && !v->kdump_conf_target)
		printf("no inputs to validate: give --crashkernel or a configmaps folder\n");
}

int cmd_validate(const struct cli *cli)
{
	struct validation v = { 0 };
	struct inputs in;
	struct context c = { 0 };
	struct crashkernel *dflt = NULL;
	const struct crashkernel *use;
	char *dir = inputs_configmaps_dir(cli->configmaps);
	bool need_system;
	int e;

	e = inputs_read(dir, &in);
	free(dir);
	if (e)
		goto out;
	if (cli->crashkernel) {
		crashkernel_free(in.ck);
		in.ck = NULL;
		v.input = cli->crashkernel;
		v.source = "--crashkernel";
		if (crashkernel_parse(cli->crashkernel, strlen(cli->crashkernel),
		                      "--crashkernel", &in.ck) < 0) {
			e = EXIT_BAD_INPUT;
			goto out;
		}
	} else if (in.ck) {
		v.input = in.cm->crashkernel.data;
		v.source = "configmap 'crashkernel'";
	}
	if (cli->memory) {
		if (parse_size(cli->memory, &v.ram) < 0 || v.ram == 0) {
			e = diag_set(EXIT_BAD_INPUT, "--memory '%s': expected a size such as 16G", cli->memory);
			goto out;
		}
		v.have_ram = true;
		v.ram_source = "given with --memory";
	}
	/* the system is needed for "auto", kdump.conf's format and the RAM */
	need_system = in.kc || (in.ck && crashkernel_is_auto(in.ck)) || (in.ck && !v.have_ram);
	if (need_system) {
		if ((e = context_open_root(&c, cli)) || (e = context_read_os_release(&c)) ||
		    (e = context_find_backend(&c)) || (e = context_load_backend(&c)))
			goto out;
		v.backend = c.be->name;
	}
	use = in.ck;
	if (in.ck && crashkernel_is_auto(in.ck)) {
		const char *value = context_auto_crashkernel(&c, &v.auto_basis);

		if (!value) {
			/* no default here, or the tool that knows failed: its words */
			e = c.auto_error == -SKD_E_UNSUPPORTED ? EXIT_UNSUPPORTED
			                                       : exit_code_for(c.auto_error);
			goto out;
		}
		if (crashkernel_parse(value, strlen(value), "what 'auto' means on this node",
		                      &dflt) < 0) {
			e = diag_set(EXIT_UNSUPPORTED, "%s: 'auto' has no default on this system", v.source);
			goto out;
		}
		use = dflt;
	}
	if (use) {
		v.normalized = strdup(use->normalized);
		if (!v.have_ram) {
			if (memory_system_ram(c.root, &v.ram, &v.ram_source) < 0) {
				e = EXIT_OP_FAILED;
				goto out;
			}
			v.have_ram = true;
		}
		if (crashkernel_reserved(use, v.ram, v.source, &v.reserve) < 0) {
			e = EXIT_BAD_INPUT;
			goto out;
		}
	}
	if (in.kc) {
		char *text = NULL;
		if (kdumpconf_render(in.kc, c.facts.kdump_config_format,
		                     "configmap 'kdump.conf'", &text, NULL) < 0) {
			e = EXIT_BAD_INPUT;
			goto out;
		}
		free(text);
		v.kdump_conf_target = c.facts.kdump_config_path;
		v.kdump_conf_format = in.kc->format == SKD_CONFIG_SHELL_VARS ? "KEY=value" : "directives";
	}
	e = EXIT_OK;
out:
	print_result(cli, &v, e);
	free(v.normalized);
	crashkernel_free(dflt);
	inputs_clear(&in);
	context_close(&c);
	return e;
}
