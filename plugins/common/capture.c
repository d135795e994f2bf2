/* SPDX-License-Identifier: Apache-2.0 */
/* The capture kernel's command line and initrd, read from the family's
 * configuration in place. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "kexec-args.h"

int capture_cmdline(const struct skd_host *h, const struct capture_vars *v,
                    char **ret_base, char **ret_base_from, char **ret_append,
                    char **ret_append_from)
{
	char *conf = NULL, *base = NULL, *append = NULL;
	char *base_from = NULL, *append_from = NULL;
	bool have_conf = kexec_args_read_config(h, v->path, &conf) >= 0;
	bool use_default;
	int r;

	*ret_base = *ret_base_from = *ret_append = *ret_append_from = NULL;
	if (have_conf) {
		base = shell_var_value(conf, v->base_var);
		append = shell_var_value(conf, v->append_var);
	}
	free(conf);
	if (base && !*base) {
		free(base);
		base = NULL;
	}
	use_default = v->default_while_unset ? !append || !*append : !have_conf;
	r = kexec_args_dup(base ? v->base_var : "/proc/cmdline", &base_from);
	if (r == 0 && use_default) {
		free(append);
		r = kexec_args_dup(v->default_append, &append);
		if (r == 0)
			r = kexec_args_dup(v->default_from, &append_from);
	} else if (r == 0) {
		/* set or not, what the file has is what the tool appends */
		if (!append)
			r = kexec_args_dup("", &append);
		if (r == 0 && asprintf(&append_from, "%s of %s", v->append_var, v->path) < 0) {
			append_from = NULL;
			r = -ENOMEM;
		}
	}
	if (r < 0) {
		free(base);
		free(base_from);
		free(append);
		free(append_from);
		return h->error(h, r, "out of memory");
	}
	*ret_base = base;
	*ret_base_from = base_from;
	*ret_append = append;
	*ret_append_from = append_from;
	return 0;
}

int capture_initrd(const struct skd_host *h, const char *kernel_release,
                   const char *const path[2], const char *const stand_in[2],
                   char **ret_path, char **ret_stand_in)
{
	*ret_path = *ret_stand_in = NULL;
	if (asprintf(ret_path, "%s%s%s", path[0], kernel_release, path[1]) < 0) {
		*ret_path = NULL;
		return h->error(h, -ENOMEM, "out of memory");
	}
	if (asprintf(ret_stand_in, "%s%s%s", stand_in[0], kernel_release, stand_in[1]) < 0) {
		free(*ret_path);
		*ret_path = *ret_stand_in = NULL;
		return h->error(h, -ENOMEM, "out of memory");
	}
	return 0;
}
