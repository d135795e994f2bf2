/* SPDX-License-Identifier: Apache-2.0 */
/* The capture initrd of the kernel that boots next, asked of the backend
 * (ABI 1.5), and its fit in the reservation, from the estimate's parts. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture-initrd.h"
#include "context.h"
#include "diag.h"
#include "estimate.h"

bool capture_initrd_supported(const struct context *c)
{
	return c->be && backend_has_op(c->be, kdump_initrd_stale) &&
	       backend_has_op(c->be, kdump_initrd_build);
}

int capture_initrd_release(struct context *c, char **ret_release, char **ret_basis)
{
	char *rel = NULL, *basis = NULL;
	int err;

	*ret_release = *ret_basis = NULL;
	if (backend_has_op(c->be, boot_kernel_release)) {
		err = c->be->boot_kernel_release(c->h, &rel, &basis);
		if (err < 0)
			return err;  /* the backend said why (host_last_error) */
	}
	if (!rel && c->platform.kernel_release) {
		free(basis);
		basis = NULL;
		rel = strdup(c->platform.kernel_release);
		if (!rel || !(basis = strdup("the running kernel")))
			goto nomem;
	}
	if (rel && !basis && !(basis = strdup("the bootloader")))
		goto nomem;
	*ret_release = rel;
	*ret_basis = basis;
	return 0;
nomem:
	free(rel);
	free(basis);
	return diag_set(-ENOMEM, "out of memory");
}

int capture_initrd_stale(struct context *c, const char *release, char **ret_stale)
{
	int err = c->be->kdump_initrd_stale(c->h, release, ret_stale);

	if (err < 0) {
		*ret_stale = NULL;
		return err;
	}
	return 0;
}

void capture_initrd_fit(struct context *c, const char *release, uint64_t ram,
                        const char *ram_source, struct capture_fit *ret)
{
	struct estimate_ram r = { ram, ram_source };
	struct estimate_tools tools;
	struct estimate_machine m;
	struct estimate e;
	const char *dflt = context_auto_crashkernel(c, NULL);
	char *parts = NULL;
	size_t len = 0;
	FILE *f;

	memset(ret, 0, sizeof(*ret));
	if (!dflt || estimate_tools_ask(c, release, &tools) < 0) {
		diag_clear();
		return;
	}
	if (estimate_gather(c->root, &tools, &r, &m) < 0) {
		estimate_tools_clear(&tools);
		diag_clear();
		return;
	}
	if (estimate_compute(&m, dflt, &e) >= 0 && (f = open_memstream(&parts, &len))) {
		for (size_t i = 0; i < e.n_parts; i++) {
			char b[32];

			if (!e.parts[i].bytes)
				continue;
			/* the kernel and its initrd are measured, from the files */
			if (!strcmp(e.parts[i].what, "kernel") || !strcmp(e.parts[i].what, "initrd"))
				ret->boot += e.parts[i].bytes;
			fprintf(f, "%s%s %s", ftell(f) ? " + " : "", e.parts[i].what,
			        estimate_mib(e.parts[i].bytes, b, sizeof(b)));
		}
		if (fclose(f) == 0) {
			ret->parts = parts;
			ret->needed = e.needed_bytes;
			ret->known = true;
		} else {
			free(parts);
		}
		estimate_clear(&e);
	}
	estimate_machine_clear(&m);
	estimate_tools_clear(&tools);
	diag_clear();
}

void capture_fit_clear(struct capture_fit *f)
{
	free(f->parts);
	f->parts = NULL;
	f->known = false;
}
