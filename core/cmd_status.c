/* SPDX-License-Identifier: Apache-2.0 */
/* skyhook-kdump status: if this node panics now, will a vmcore be written?
 * Read-only; exits 0 only when armed. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "context.h"
#include "diag.h"
#include "inputs.h"
#include "state.h"
#include "status.h"

/* The configmaps are optional here: without them there is no desired
 * value; a bad one is a warning, not a reason to say nothing. */
static void read_inputs(const struct cli *cli, struct context *c,
                        struct inputs *in, char **ret_error)
{
	char *dir = inputs_configmaps_dir(cli->configmaps);

	*ret_error = NULL;
	if (!dir)
		return;
	diag_clear();
	if (inputs_read(dir, in) != EXIT_OK || inputs_resolve(in, c) != EXIT_OK) {
		*ret_error = strdup(*diag_message() ? diag_message() : "the configmaps cannot be read");
		inputs_clear(in);
	}
	free(dir);
}

/* The status could not be judged: said on stderr as before, and the
 * document asked for says so too, so that neither a dashboard nor a
 * script goes on with an older answer. A metrics file that cannot be
 * written is named as well. */
static void judge_failed(const struct cli *cli, int e)
{
	char *why = strdup(*diag_message() ? diag_message() : "failed");
	const char *message = why ? why : "out of memory";
	const char *code = status_error_code(e);

	fprintf(stderr, "skyhook-kdump status: %s\n", message);
	if (cli->prometheus) {
		if (status_write_prometheus_error(code, message,
		                                  cli->prometheus_file ? cli->prometheus_file : "-") < 0)
			fprintf(stderr, "skyhook-kdump status: %s\n", diag_message());
	} else if (cli->json) {
		status_print_json_error(code, message, stdout);
		fflush(stdout);
	}
	free(why);
}

int cmd_status(const struct cli *cli)
{
	struct context c = { 0 };
	struct inputs in = { 0 };
	struct node_status s = { 0 };
	struct state *st = NULL;
	char *inputs_error = NULL;
	int e;

	diag_clear();
	if ((e = context_open_root(&c, cli)) ||
	    (e = context_read_os_release(&c)) ||
	    (e = context_find_backend(&c)) ||
	    (e = context_load_backend(&c))) {
		judge_failed(cli, e);
		goto out;
	}
	/* status starts no process: "auto" is what config recorded, else
	 * the backend's tables */
	c.auto_no_process = true;
	if (state_load(c.root, &st) >= 0 && context_auto_from_state(&c, st) < 0) {
		e = EXIT_OP_FAILED;
		judge_failed(cli, e);
		goto out;
	}
	diag_clear();
	read_inputs(cli, &c, &in, &inputs_error);
	if ((e = status_collect(&c, in.crashkernel ? &in : NULL, &s))) {
		judge_failed(cli, e);
		goto out;
	}
	s.inputs_error = inputs_error;
	inputs_error = NULL;
	status_judge(&s);
	if (cli->prometheus) {
		if (status_write_prometheus(&s, cli->prometheus_file ? cli->prometheus_file : "-") < 0) {
			fprintf(stderr, "skyhook-kdump status: %s\n", diag_message());
			e = EXIT_OP_FAILED;
			goto out;
		}
	} else if (cli->json) {
		status_print_json(&s, stdout);
	} else {
		status_print_text(&s, stdout);
	}
	e = s.verdict == VERDICT_NOT_ARMED ? EXIT_CHECK_FAILED : EXIT_OK;
out:
	free(inputs_error);
	status_clear(&s);
	inputs_clear(&in);
	state_free(st);
	context_close(&c);
	return e;
}
