/* SPDX-License-Identifier: Apache-2.0 */
/* Everything a command works with: the root, its os-release, the backends
 * found, the chosen one loaded, and the host services it is given. The
 * steps are separate so each command takes only what it needs (validate
 * with --memory needs no root, backends needs no loading). */
#ifndef SKD_CONTEXT_H
#define SKD_CONTEXT_H

#include <stdbool.h>

#include <skyhook-kdump/backend.h>

#include "loader.h"
#include "platform.h"
#include "runner.h"

struct cli;
struct sysroot;
struct host;
struct os_release;

struct context {
	const struct cli *cli;
	struct sysroot *root;
	bool image;                     /* root is not the running system */
	struct os_release *os;          /* NULL when os-release is unusable */
	char **backend_dirs;
	struct backend_list backends;
	const struct backend_file *chosen;
	const char *chosen_reason;
	struct loaded_backend loaded;
	struct runner runner;
	struct host *host;
	const struct skd_host *h;       /* = host_services(host) */
	const struct skd_backend *be;   /* = loaded.vt */
	bool backend_initialized;
	struct skd_facts facts;
	struct platform platform;       /* read before the backend's init */
	/* "auto" on this node, once asked (context_auto_crashkernel) */
	bool auto_no_process;           /* a check mode, status: no process */
	bool auto_asked;
	bool auto_recorded;             /* taken from the state, not asked */
	char *auto_value;               /* NULL: no default (diag_message) */
	int auto_error;                 /* then why: -SKD_E_UNSUPPORTED when the
	                                   backend has none, else the failure */
	char *auto_basis;
};

/* Each returns an exit code (0 ok) with diag_message() set on failure. */
int context_open_root(struct context *c, const struct cli *cli);
int context_read_os_release(struct context *c);
/* Every backend file, for the listing of `backends`. */
int context_scan_backends(struct context *c);
/* Only as far as the one to load (after the os-release is read). */
int context_find_backend(struct context *c);
int context_select_backend(struct context *c);
/* select + dlopen + host services + init + facts */
int context_load_backend(struct context *c);
void context_close(struct context *c);

/* The local directory dumps go to with kdump configuration `conf` (in
 * the distro's format; NULL: none, the tools' default applies), or NULL
 * for a remote target or a dump device. Needs the backend's facts. */
char *context_dump_dir(const struct context *c, const char *conf);
/* The same for the configuration in place. */
char *context_current_dump_dir(const struct context *c);

/* What "auto" means on this node: the backend's answer (ABI 1.3), else
 * the fixed default of its facts; *ret_basis (may be NULL) says what went
 * into it. Asked once, then kept; NULL when the backend has none, with
 * diag_set. */
const char *context_auto_crashkernel(struct context *c, const char **ret_basis);
/* Use a value resolved earlier instead of asking. */
int context_set_auto(struct context *c, const char *value, const char *basis);
/* The value config recorded in the state, when it did (else nothing is
 * set and 0 returned). */
struct state;
int context_auto_from_state(struct context *c, const struct state *st);

/* Exit code for a negative error from a backend operation. */
int exit_code_for(int err);

#endif
