/* SPDX-License-Identifier: Apache-2.0 */
/* What "auto" means on this node. The backend answers for its
 * distribution (ABI 1.3: the installed tool where it can be asked, else
 * its tables for this release and platform); an older backend's fixed
 * default stands in. Asked once a run. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "diag.h"
#include "host.h"
#include "state.h"

int context_set_auto(struct context *c, const char *value, const char *basis)
{
	char *v = strdup(value), *b = strdup(basis ? basis : "recorded");

	if (!v || !b) {
		free(v);
		free(b);
		return -ENOMEM;
	}
	free(c->auto_value);
	free(c->auto_basis);
	c->auto_value = v;
	c->auto_basis = b;
	c->auto_asked = true;
	return 0;
}

int context_auto_from_state(struct context *c, const struct state *st)
{
	char *basis = NULL;
	int r;

	if (!st->auto_crashkernel)
		return 0;
	if (asprintf(&basis, "recorded by config: %s",
	             st->auto_basis ? st->auto_basis : "no basis recorded") < 0)
		return -ENOMEM;
	r = context_set_auto(c, st->auto_crashkernel, basis);
	free(basis);
	if (r >= 0)
		c->auto_recorded = true;
	return r;
}

static void ask_backend(struct context *c)
{
	uint32_t flags = c->auto_no_process ? SKD_AUTO_NO_PROCESS : 0;
	char *value = NULL, *basis = NULL;
	int r;

	if (backend_has_op(c->be, auto_crashkernel)) {
		r = c->be->auto_crashkernel(c->h, flags, &value, &basis);
		if (r >= 0 && value) {
			c->auto_value = value;
			c->auto_basis = basis;
			return;
		}
		if (r < 0) {
			/* what it left is not ours (backend.h) */
			c->auto_error = r;
			diag_set(r, "backend '%s': what 'auto' means here: %s", c->be->name,
			         host_last_error(c->host) ? host_last_error(c->host) : "failed");
			return;
		}
		/* answered nothing: its fixed default stands in */
		free(basis);
	}
	if (!c->facts.default_crashkernel) {
		c->auto_error = -SKD_E_UNSUPPORTED;
		diag_set(-SKD_E_UNSUPPORTED, "'auto' has no meaning on this system: backend '%s' knows no default",
		         c->be->name);
		return;
	}
	c->auto_value = strdup(c->facts.default_crashkernel);
	if (asprintf(&c->auto_basis, "the fixed default of backend '%s'", c->be->name) < 0)
		c->auto_basis = NULL;
	if (!c->auto_value || !c->auto_basis) {
		free(c->auto_value);
		c->auto_value = NULL;
		c->auto_error = -ENOMEM;
		diag_set(-ENOMEM, "out of memory");
	}
}

const char *context_auto_crashkernel(struct context *c, const char **ret_basis)
{
	if (!c->auto_asked) {
		c->auto_asked = true;
		ask_backend(c);
	}
	if (ret_basis)
		*ret_basis = c->auto_basis;
	if (!c->auto_value && !*diag_message())
		diag_set(-SKD_E_UNSUPPORTED, "'auto' has no meaning on this system");
	return c->auto_value;
}
