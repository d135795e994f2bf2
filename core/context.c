/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cli.h"
#include "context.h"
#include "diag.h"
#include "host.h"
#include "kdumpconf.h"
#include "osrelease.h"
#include "platform.h"
#include "strv.h"
#include "sysroot.h"

int exit_code_for(int err)
{
	switch (-err) {
	case SKD_E_INVALID: return EXIT_BAD_INPUT;
	case SKD_E_UNSUPPORTED: return EXIT_UNSUPPORTED;
	default: return EXIT_OP_FAILED;
	}
}

int context_open_root(struct context *c, const struct cli *cli)
{
	memset(c, 0, sizeof(*c));
	c->cli = cli;
	if (sysroot_open(cli->root, &c->root) < 0)
		return EXIT_BAD_INPUT;
	/* A root other than "/" is an image or a chroot unless test hooks
	 * emulate a running system inside it. */
	c->image = cli->image || (!sysroot_is_slash(c->root) &&
	                          !secure_getenv("SKYHOOK_KDUMP_TEST_FAKE_TOOLS"));
	return EXIT_OK;
}

int context_read_os_release(struct context *c)
{
	if (os_release_read(c->root, &c->os) < 0)
		return EXIT_UNSUPPORTED;
	return EXIT_OK;
}

int context_scan_backends(struct context *c)
{
	if (backends_default_dirs(c->cli->backend_dirs, &c->backend_dirs) < 0)
		return EXIT_OP_FAILED;
	if (backends_scan((const char *const *)c->backend_dirs, &c->backends) < 0)
		return EXIT_OP_FAILED;
	return EXIT_OK;
}

int context_find_backend(struct context *c)
{
	if (backends_default_dirs(c->cli->backend_dirs, &c->backend_dirs) < 0)
		return EXIT_OP_FAILED;
	if (backends_scan_for((const char *const *)c->backend_dirs, c->os,
	                      c->cli->backend, &c->backends) < 0)
		return EXIT_OP_FAILED;
	return EXIT_OK;
}

int context_select_backend(struct context *c)
{
	if (backends_select(&c->backends, c->os, c->cli->backend, &c->chosen,
	                    &c->chosen_reason) < 0)
		return EXIT_UNSUPPORTED;
	return EXIT_OK;
}

static int runner_setup(struct context *c)
{
	const char *fake = secure_getenv("SKYHOOK_KDUMP_TEST_FAKE_TOOLS");

	c->runner.root = sysroot_path(c->root);
	c->runner.dry_run = c->cli->dry_run;
	c->runner.dry_run_out = stdout;
	c->runner.timeout_sec = 3600;
	if (fake && *fake) {
		/* test hook: the recording runner with scripted tools */
		c->runner.mode = RUNNER_FAKE;
		c->runner.fake_dir = fake;
		c->runner.log_path = secure_getenv("SKYHOOK_KDUMP_TEST_COMMAND_LOG");
		if (!c->runner.log_path)
			return diag_set(-EINVAL, "SKYHOOK_KDUMP_TEST_FAKE_TOOLS needs SKYHOOK_KDUMP_TEST_COMMAND_LOG");
	}
	return 0;
}

static void platform_to_host(struct context *c)
{
	const struct platform *p = &c->platform;
	char pages[16];

	host_set(c->host, "platform.kernel_release", p->kernel_release);
	host_set(c->host, "platform.arch", p->arch);
	if (p->page_size) {
		snprintf(pages, sizeof(pages), "%u", p->page_size);
		host_set(c->host, "platform.page_size", pages);
	}
	host_set(c->host, "platform.smmu", p->smmu);
	host_set(c->host, "platform.mlx5", p->mlx5 ? "1" : NULL);
	host_set(c->host, "platform.mem_encryption", p->mem_encryption);
}

static int host_setup(struct context *c)
{
	struct host_options opt = {
		.dry_run = c->cli->dry_run,
		.image = c->image,
		.verbosity = c->cli->verbosity,
		.out = stdout,
		.err = stderr,
		.log_prefix = c->be->name,
		.test_hooks = secure_getenv("SKYHOOK_KDUMP_TEST_FAKE_TOOLS") != NULL,
	};
	const char *fault = secure_getenv("SKYHOOK_KDUMP_FAULT");
	const char *apt = getenv("APT_ALLOW_INDEX_FAILURE");
	struct utsname u;
	int r;

	r = host_new(&opt, c->root, &c->runner, &c->host);
	if (r < 0)
		return r;
	c->h = host_services(c->host);
	if (fault && *fault && (r = host_set_fault(c->host, fault)) < 0)
		return r;
	host_set(c->host, "os.id", c->os->id);
	host_set(c->host, "os.id_like", c->os->id_like_raw);
	host_set(c->host, "os.version_id", c->os->version_id);
	host_set(c->host, "os.version_codename", c->os->version_codename);
	if (!c->image && uname(&u) == 0)
		host_set(c->host, "kernel.release", u.release);
	if ((r = platform_read(c->root, !c->image && sysroot_is_slash(c->root),
	                       &c->platform)) < 0)
		return r;
	platform_to_host(c);
	if (apt)
		host_set(c->host, "env.APT_ALLOW_INDEX_FAILURE", apt);
	return 0;
}

int context_load_backend(struct context *c)
{
	int r;

	if ((r = context_select_backend(c)) != EXIT_OK)
		return r;
	if (backend_load(c->chosen, &c->loaded) < 0)
		return EXIT_UNSUPPORTED;
	c->be = c->loaded.vt;
	if (runner_setup(c) < 0 || host_setup(c) < 0)
		return EXIT_OP_FAILED;
	if (backend_has_op(c->be, init)) {
		r = c->be->init(c->h);
		if (r < 0) {
			diag_set(r, "backend '%s': %s", c->be->name,
			         host_last_error(c->host) ? host_last_error(c->host)
			                                  : "initialisation failed");
			return exit_code_for(r);
		}
	}
	c->backend_initialized = true;
	r = c->be->get_facts(c->h, &c->facts);
	if (r < 0) {
		diag_set(r, "backend '%s': facts: %s", c->be->name,
		         host_last_error(c->host) ? host_last_error(c->host) : "failed");
		return exit_code_for(r);
	}
	return EXIT_OK;
}

void context_close(struct context *c)
{
	if (c->backend_initialized && backend_has_op(c->be, fini))
		c->be->fini(c->h);
	host_free(c->host);
	if (c->loaded.handle)
		backend_unload(&c->loaded);
	backends_free(&c->backends);
	strv_free(c->backend_dirs);
	os_release_free(c->os);
	platform_clear(&c->platform);
	free(c->auto_value);
	free(c->auto_basis);
	sysroot_free(c->root);
	memset(c, 0, sizeof(*c));
}

char *context_dump_dir(const struct context *c, const char *conf)
{
	if (!conf)
		return c->facts.default_dump_dir ? strdup(c->facts.default_dump_dir) : NULL;
	return kdumpconf_dump_dir(conf, c->facts.kdump_config_format,
	                          c->facts.default_dump_dir);
}

char *context_current_dump_dir(const struct context *c)
{
	char *conf = NULL, *dir;
	size_t len;

	/* unreadable or absent: no configuration yet, the default applies */
	if (c->h->read_file(c->h, c->facts.kdump_config_path, &conf, &len) < 0) {
		diag_clear();
		conf = NULL;
	}
	dir = context_dump_dir(c, conf);
	free(conf);
	return dir;
}
