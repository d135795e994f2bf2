/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "configmaps.h"
#include "context.h"
#include "crashkernel.h"
#include "diag.h"
#include "inputs.h"
#include "kdumpconf.h"
#include "memory.h"

#define WHAT_CRASHKERNEL "configmap 'crashkernel'"
#define WHAT_KDUMP_CONF "configmap 'kdump.conf'"

char *inputs_configmaps_dir(const char *option)
{
	const char *skyhook_dir = getenv("SKYHOOK_DIR");
	char *dir = NULL;

	if (option)
		return strdup(option);
	if (skyhook_dir && *skyhook_dir &&
	    asprintf(&dir, "%s/configmaps", skyhook_dir) < 0)
		return NULL;
	return dir;
}

int inputs_read(const char *dir, struct inputs *in)
{
	memset(in, 0, sizeof(*in));
	if (configmaps_read(dir, &in->cm) < 0)
		return EXIT_BAD_INPUT;
	if (in->cm->crashkernel.present &&
	    crashkernel_parse(in->cm->crashkernel.data, in->cm->crashkernel.len,
	                      WHAT_CRASHKERNEL, &in->ck) < 0)
		return EXIT_BAD_INPUT;
	if (in->cm->kdump_conf.present &&
	    kdumpconf_parse(in->cm->kdump_conf.data, in->cm->kdump_conf.len,
	                    WHAT_KDUMP_CONF, &in->kc) < 0)
		return EXIT_BAD_INPUT;
	return EXIT_OK;
}

static int resolve_crashkernel(struct inputs *in, struct context *c)
{
	struct crashkernel *dflt = NULL;
	const struct crashkernel *use = in->ck;
	char what[128];
	int r;

	if (crashkernel_is_auto(in->ck)) {
		const char *value = context_auto_crashkernel(c, NULL);

		if (!value) {
			/* a backend without a default makes "auto" a bad input
			 * here; a tool that failed to answer is a failure */
			char *why = strdup(diag_message());

			r = c->auto_error == -SKD_E_UNSUPPORTED ? EXIT_BAD_INPUT
			                                        : exit_code_for(c->auto_error);
			diag_set(r, "%s: %s", WHAT_CRASHKERNEL, why ? why : "out of memory");
			free(why);
			return r;
		}
		snprintf(what, sizeof(what), "what 'auto' means on this node (backend '%s')", c->be->name);
		if (crashkernel_parse(value, strlen(value), what, &dflt) < 0)
			return EXIT_UNSUPPORTED;
		use = dflt;
	}
	in->crashkernel = strdup(use->normalized);
	if (!in->crashkernel) {
		r = diag_set(EXIT_OP_FAILED, "out of memory");
		goto out;
	}
	r = memory_system_ram(c->root, &in->ram, &in->ram_source);
	if (r < 0) {
		/* an image has no running kernel to ask: the syntax was checked,
		 * the size is checked on the node after the reboot */
		if (!c->image) {
			r = EXIT_OP_FAILED;
			goto out;
		}
		diag_clear();
		r = EXIT_OK;
		goto out;
	}
	in->ram_known = true;
	r = crashkernel_reserved(use, in->ram, WHAT_CRASHKERNEL, &in->reserve) < 0
	        ? EXIT_BAD_INPUT : EXIT_OK;
out:
	crashkernel_free(dflt);
	return r;
}

int inputs_resolve(struct inputs *in, struct context *c)
{
	int r;

	if (in->ck && (r = resolve_crashkernel(in, c)) != EXIT_OK)
		return r;
	if (in->kc) {
		if (kdumpconf_render(in->kc, c->facts.kdump_config_format,
		                     WHAT_KDUMP_CONF, &in->kdump_conf,
		                     &in->kdump_conf_notes) < 0)
			return EXIT_BAD_INPUT;
		in->kdump_conf_secret = kdumpconf_has_secrets(in->kc);
	}
	return EXIT_OK;
}

void inputs_clear(struct inputs *in)
{
	configmaps_free(in->cm);
	crashkernel_free(in->ck);
	free(in->crashkernel);
	kdumpconf_free(in->kc);
	free(in->kdump_conf);
	free(in->kdump_conf_notes);
	memset(in, 0, sizeof(*in));
}
