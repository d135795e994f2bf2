/* SPDX-License-Identifier: Apache-2.0 */
/* skyhook-kdump backends: what was found, and what this system would use. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "context.h"
#include "diag.h"
#include "osrelease.h"
#include "report.h"
#include "strv.h"

static void print_text(const struct context *c, int sel, const char *why)
{
	printf("backend directories:");
	for (char **d = c->backend_dirs; d && *d; d++)
		printf(" %s", *d);
	printf("\n");
	for (size_t i = 0; i < c->backends.n_files; i++) {
		const struct backend_file *f = &c->backends.files[i];
		if (f->rejected) {
			printf("  rejected  %s: %s\n", f->path, f->rejected);
			continue;
		}
		char *ids = strv_join(f->note.ids, " ");
		printf("  %-8s  %s (ABI %u.%u) serves: %s\n", f->note.name, f->path,
		       f->note.abi_major, f->note.abi_minor, ids ? ids : "");
		free(ids);
	}
	if (!c->os)
		printf("this system: os-release unusable: %s\n", diag_message());
	else if (sel == EXIT_OK)
		printf("this system (ID=%s ID_LIKE=%s) uses: %s (%s), chosen by %s\n",
		       c->os->id, *c->os->id_like_raw ? c->os->id_like_raw : "(none)",
		       c->chosen->note.name, c->chosen->path, c->chosen_reason);
	else
		printf("this system: %s\n", why);
}

static void print_json(const struct context *c, int sel, const char *why)
{
	printf("{\"directories\":[");
	for (char **d = c->backend_dirs; d && *d; d++) {
		if (d != c->backend_dirs)
			putchar(',');
		json_string(stdout, *d);
	}
	printf("],\"backends\":[");
	for (size_t i = 0; i < c->backends.n_files; i++) {
		const struct backend_file *f = &c->backends.files[i];
		if (i)
			putchar(',');
		printf("{\"file\":");
		json_string(stdout, f->path);
		if (f->rejected) {
			printf(",\"rejected\":");
			json_string(stdout, f->rejected);
		} else {
			printf(",\"name\":");
			json_string(stdout, f->note.name);
			printf(",\"abi\":\"%u.%u\",\"ids\":[", f->note.abi_major, f->note.abi_minor);
			for (char **id = f->note.ids; id && *id; id++) {
				if (id != f->note.ids)
					putchar(',');
				json_string(stdout, *id);
			}
			printf("]");
		}
		printf("}");
	}
	printf("],\"system\":{");
	if (c->os) {
		printf("\"id\":");
		json_string(stdout, c->os->id);
		printf(",\"id_like\":");
		json_string(stdout, c->os->id_like_raw);
		printf(",");
	}
	if (sel == EXIT_OK) {
		printf("\"backend\":");
		json_string(stdout, c->chosen->note.name);
		printf(",\"file\":");
		json_string(stdout, c->chosen->path);
		printf(",\"reason\":");
		json_string(stdout, c->chosen_reason);
	} else {
		printf("\"backend\":null,\"error\":");
		json_string(stdout, why);
	}
	printf("}}\n");
}

int cmd_backends(const struct cli *cli)
{
	struct context c;
	char why[1024] = "";
	int e, sel;

	e = context_open_root(&c, cli);
	if (e)
		goto out;
	e = context_scan_backends(&c);
	if (e)
		goto out;
	sel = context_read_os_release(&c);
	if (sel == EXIT_OK)
		sel = context_select_backend(&c);
	if (sel != EXIT_OK)
		snprintf(why, sizeof(why), "%s", diag_message());
	if (cli->json)
		print_json(&c, sel, why);
	else
		print_text(&c, sel, why);
	e = sel;
out:
	if (e && e != EXIT_UNSUPPORTED)
		fprintf(stderr, "skyhook-kdump backends: %s\n", diag_message());
	context_close(&c);
	return e;
}
