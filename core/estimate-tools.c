/* SPDX-License-Identifier: Apache-2.0 */
/* What the estimate needs to know of the distribution's kdump tools, asked
 * of the backend (ABI 1.3): the capture kernel's command line and where
 * its initrd is. A backend that does not say leaves them unknown. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "diag.h"
#include "estimate.h"

int estimate_tools_ask(struct context *c, const char *kernel_release,
                       struct estimate_tools *ret)
{
	struct estimate_tools t = { .platform = &c->platform };
	const char *release = kernel_release ? kernel_release : c->platform.kernel_release;

	memset(ret, 0, sizeof(*ret));
	if (release && !(t.kernel_release = strdup(release)))
		return -ENOMEM;
	/* what a backend that fails to answer left in its out-parameters is
	 * not ours (backend.h): ignored, and the answer stays unknown */
	if (backend_has_op(c->be, capture_cmdline) &&
	    c->be->capture_cmdline(c->h, &t.cmdline_base, &t.cmdline_base_from,
	                           &t.cmdline_append, &t.cmdline_append_from) < 0)
		t.cmdline_base = t.cmdline_base_from = t.cmdline_append =
			t.cmdline_append_from = NULL;
	if (release && backend_has_op(c->be, kdump_initrd) &&
	    c->be->kdump_initrd(c->h, release, &t.initrd_path, &t.initrd_stand_in) < 0)
		t.initrd_path = t.initrd_stand_in = NULL;
	/* what the backend could not say is an unknown, not a failure */
	diag_clear();
	*ret = t;
	return 0;
}

void estimate_tools_clear(struct estimate_tools *t)
{
	if (!t)
		return;
	free(t->kernel_release);
	free(t->cmdline_base);
	free(t->cmdline_base_from);
	free(t->cmdline_append);
	free(t->cmdline_append_from);
	free(t->initrd_path);
	free(t->initrd_stand_in);
	memset(t, 0, sizeof(*t));
}
