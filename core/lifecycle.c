/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "capture-initrd.h"
#include "cli.h"
#include "configmaps.h"
#include "context.h"
#include "crashkernel.h"
#include "diag.h"
#include "estimate.h"
#include "host.h"
#include "inputs.h"
#include "journal.h"
#include "kdumpconf.h"
#include "kernel.h"
#include "kexec-kernel.h"
#include "lifecycle.h"
#include "report.h"
#include "security.h"
#include "state.h"
#include "status.h"
#include "strv.h"
#include "sysroot.h"

struct run {
	struct context c;
	struct inputs in;
	struct report rep;
	struct state *st;
	const struct skd_host *h;
	const struct skd_backend *be;
	bool dry_run;
	int lock_fd;
	bool have_status;
	struct node_status status;
	bool auto_shared;               /* auto.crashkernel given to the backend */
	bool auto_asked_tool;           /* and a process answered it */
};

static volatile sig_atomic_t stop_requested;

static void on_sigterm(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Called between steps: SIGTERM (a paused rollout) stops us here, where
 * everything done so far is recorded and a retry converges. */
static int safe_point(struct run *r)
{
	char *done;
	int e;

	if (!stop_requested)
		return 0;
	done = r->rep.done && r->rep.done[0] ? strv_join(r->rep.done, "; ") : NULL;
	e = diag_set(-SKD_E_INTERRUPTED, "stopped by SIGTERM at a safe point, %s%s; what was done is recorded, a retry continues",
	             done ? "after: " : "before changing anything", done ? done : "");
	free(done);
	return e;
}

/* The backend said why in host_last_error(); name the step around it. */
static int step_failed(struct run *r, int err, const char *step)
{
	const char *why = host_last_error(r->c.host);
	char *ours = NULL;

	/* not the backend's: our own call to a host service said why */
	if (!why && *diag_message())
		why = ours = strdup(diag_message());
	diag_set(err, "%s%s failed: %s", stop_requested ? "stopped by SIGTERM: " : "", step,
	         why ? why : strerror(err < 0 && err > -4096 ? -err : EIO));
	free(ours);
	return exit_code_for(err);
}

/* A failure of our own bookkeeping, named like a backend step. */
static int bookkeeping_failed(const char *step)
{
	char *why = strdup(*diag_message() ? diag_message() : "failed");

	diag_set(0, "%s failed: %s", step, why ? why : "out of memory");
	free(why);
	return EXIT_OP_FAILED;
}

static int save_state(struct run *r)
{
	char *text;
	int err;

	if (r->dry_run)
		return 0;
	text = state_format(r->st);
	if (!text)
		return diag_set(EXIT_OP_FAILED, "out of memory");
	err = host_replace(r->c.host, STATE_FILE, text, strlen(text), 0600);
	free(text);
	return err < 0 ? bookkeeping_failed("recording the state") : 0;
}

static int lock_root(struct run *r)
{
	char *path = NULL;
	int fd;

	r->lock_fd = -1;
	if (r->dry_run)
		return 0;
	if (sysroot_mkdir_p(r->c.root, STATE_DIR, 0700) < 0)
		return EXIT_OP_FAILED;
	if (asprintf(&path, "%s/lock", STATE_DIR) < 0)
		return diag_set(EXIT_OP_FAILED, "out of memory");
	/* inside the root: a linked state directory must not lead out */
	fd = sysroot_open_rw(r->c.root, path, 0600);
	if (fd < 0) {
		free(path);
		return EXIT_OP_FAILED;
	}
	bool waited = false;

	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		waited = true;
		fprintf(stderr, "skyhook-kdump: another instance is working on this root, waiting for it\n");
		/* polled, so that SIGTERM (restartable) ends the wait */
		while (flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK && !stop_requested) {
			struct timespec ts = { 0, 100 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		if (stop_requested || flock(fd, LOCK_EX | LOCK_NB) < 0) {
			if (stop_requested)
				diag_set(0, "stopped by SIGTERM while waiting for the lock %s; nothing was changed", path);
			else
				diag_set(0, "cannot lock %s: %s", path, strerror(errno));
			free(path);
			close(fd);
			return EXIT_OP_FAILED;
		}
	}
	free(path);
	r->lock_fd = fd;
	if (waited) {
		/* the state was read before the wait; the other instance has
		 * recorded its work since, and saving our stale copy would lose it */
		struct state *st = NULL;

		if (state_load(r->c.root, &st) < 0)
			return EXIT_OP_FAILED;
		state_free(r->st);
		r->st = st;
	}
	return 0;
}

/* ---- packages ---------------------------------------------------------- */

static size_t n_packages(const struct run *r)
{
	size_t n = 0;

	while (r->c.facts.packages && r->c.facts.packages[n])
		n++;
	return n;
}

/* The names of facts.packages whose installed state is `want`. */
static int packages_with_state(struct run *r, bool want, char ***ret)
{
	size_t n = n_packages(r);
	bool *installed = calloc(n + 1, sizeof(bool));
	char **names = calloc(1, sizeof(char *));
	int e = 0;

	if (!installed || !names) {
		e = diag_set(EXIT_OP_FAILED, "out of memory");
		goto out;
	}
	if (n) {
		int err = r->be->packages_query(r->h, r->c.facts.packages, installed);
		if (err < 0) {
			e = step_failed(r, err, "querying packages");
			goto out;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (installed[i] == want && strv_push(&names, r->c.facts.packages[i]) < 0) {
			e = diag_set(EXIT_OP_FAILED, "out of memory");
			goto out;
		}
	*ret = names;
	names = NULL;
out:
	free(installed);
	strv_free(names);
	return e;
}

/* ---- kernel ------------------------------------------------------------ */

static bool crash_memory_reserved(struct run *r)
{
	struct kernel_state k;
	bool reserved;

	if (r->c.image)
		return false;
	kernel_state_read(r->c.root, &k);
	reserved = k.have_crash_size && k.crash_size > 0;
	kernel_state_clear(&k);
	return reserved;
}

/* A loaded crash kernel: the service has done its work, and asking its
 * state would cost a process. */
static bool crash_kernel_loaded(struct run *r)
{
	struct kernel_state k;
	bool loaded;

	if (r->c.image)
		return false;
	kernel_state_read(r->c.root, &k);
	loaded = k.have_crash_loaded && k.crash_loaded == 1;
	kernel_state_clear(&k);
	return loaded;
}

/* A start that "succeeded" with no crash kernel loaded: systemd skips
 * kdump.service without crashkernel= on the command line (its
 * ConditionKernelCommandLine=, later ExecCondition=) and still exits 0.
 * Said, never claimed as loaded; status and post-interrupt-check judge
 * kexec_crash_loaded. */
static void warn_nothing_loaded(struct run *r, const char *verb)
{
	report_note(&r->rep, "warning: %s %s, but no crash kernel is loaded "
	            "(/sys/kernel/kexec_crash_loaded is not 1): the service loads "
	            "none while the kernel command line carries no crashkernel=",
	            verb, r->c.facts.service);
}

/* ---- the bootloader's value -------------------------------------------- */

static int get_crashkernel(struct run *r, char **ret)
{
	int err = r->be->bootloader_get_crashkernel(r->h, ret);

	return err < 0 ? step_failed(r, err, "reading the bootloader's crashkernel") : 0;
}

/* The first time we act, remember what the bootloader had, so uninstall
 * can put exactly that back (an OS default survives). */
static int record_crashkernel_before(struct run *r)
{
	char *cur = NULL;
	int e;

	if (r->st->have_crashkernel_before)
		return 0;
	if ((e = get_crashkernel(r, &cur)))
		return e;
	r->st->have_crashkernel_before = true;
	r->st->crashkernel_before = cur;
	return save_state(r);
}

static bool same_value(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

/* The service's enablement; a failure is named as the step. */
static int service_enabled(struct run *r, bool *ret)
{
	int err = r->be->service_is_enabled(r->h, ret);

	return err < 0 ? step_failed(r, err, "querying the service") : 0;
}

/* ---- modes -------------------------------------------------------------- */

static void drop_claim(struct state *st, const char *name)
{
	size_t i = 0;

	while (st->packages[i] && strcmp(st->packages[i], name))
		i++;
	if (!st->packages[i])
		return;
	free(st->packages[i]);
	for (; st->packages[i]; i++)
		st->packages[i] = st->packages[i + 1];
}

/* After a failed install: of the packages `tried`, those the backend does
 * not report installed are not ours (the admin may install them later,
 * and uninstall must leave them then); with none installed, whether the
 * service was enabled before us is left for a run that gets that far, if
 * this one `guessed` it. A query that fails leaves the claims. */
static void take_back_claims(struct run *r, char **tried, bool guessed)
{
	size_t n = strv_length(tried);
	bool *installed = calloc(n + 1, sizeof(bool)), any = false;
	char *why = strdup(diag_message());

	if (installed && why &&
	    r->be->packages_query(r->h, (const char *const *)tried, installed) >= 0) {
		for (size_t i = 0; i < n; i++) {
			if (!installed[i])
				drop_claim(r->st, tried[i]);
			any |= installed[i];
		}
		if (!any && guessed)
			r->st->service_was_enabled = -1;
		/* the install's failure is the one reported */
		(void)save_state(r);
	}
	if (why)
		diag_set(0, "%s", why);
	free(why);
	free(installed);
}

static int mode_apply(struct run *r)
{
	char **missing = NULL;
	bool enabled = false, guessed = false;
	int e, err;

	if ((e = lock_root(r)))
		return e;
	if ((e = record_crashkernel_before(r)))
		goto out;
	if ((e = packages_with_state(r, false, &missing)))
		goto out;
	/* before installing: a package's postinst may enable its own unit,
	 * and uninstall must know the service was not enabled before us */
	if (r->st->service_was_enabled < 0) {
		if ((e = service_enabled(r, &enabled)))
			goto out;
		r->st->service_was_enabled = enabled;
		guessed = missing[0] != NULL;
		if ((e = save_state(r)))
			goto out;
	}
	if (missing[0]) {
		char *list = strv_join(missing, " ");
		/* claimed before installing, so that a run killed during the
		 * install leaves them ours and the next one converges; a
		 * failed install takes back what it did not install */
		for (char **p = missing; *p; p++)
			state_add_package(r->st, *p);
		if ((e = save_state(r)) || (e = safe_point(r) ? EXIT_OP_FAILED : 0)) {
			free(list);
			goto out;
		}
		err = r->be->packages_install(r->h, (const char *const *)missing);
		if (err < 0) {
			e = step_failed(r, err, "installing packages");
			if (!r->dry_run)
				take_back_claims(r, missing, guessed);
			free(list);
			goto out;
		}
		report_done(&r->rep, r->dry_run ? "would install %s with %s" : "installed %s with %s", list,
		            r->c.facts.package_manager ? r->c.facts.package_manager : "the package manager");
		free(list);
	}
	if (safe_point(r)) {
		e = EXIT_OP_FAILED;
		goto out;
	}
	if ((e = service_enabled(r, &enabled)))
		goto out;
	if (!enabled) {
		err = r->be->service_enable(r->h);
		if (err < 0) {
			e = step_failed(r, err, "enabling the service");
			goto out;
		}
		report_done(&r->rep, r->dry_run ? "would enable %s" : "enabled %s", r->c.facts.service);
	}
	if (crash_kernel_loaded(r)) {
		/* nothing to start */
	} else if (crash_memory_reserved(r)) {
		bool active = false;
		err = r->be->service_is_active(r->h, &active);
		if (err >= 0 && !active) {
			err = r->be->service_start(r->h);
			if (err < 0) {
				e = step_failed(r, err, "starting the service");
				goto out;
			}
			if (r->dry_run || crash_kernel_loaded(r))
				report_done(&r->rep, r->dry_run ? "would start %s" : "started %s", r->c.facts.service);
			else
				warn_nothing_loaded(r, "started");
		}
	} else {
		report_note(&r->rep, "no crash memory is reserved yet: %s will load the crash kernel after the reboot that follows config",
		            r->c.facts.service);
	}
	if (!r->dry_run && host_remove(r->c.host, STATE_UNINSTALLED_FILE) < 0) {
		e = bookkeeping_failed("removing the uninstall marker");
		goto out;
	}
	e = 0;
out:
	strv_free(missing);
	return e;
}

static int check_service_enabled(struct run *r)
{
	bool enabled = false;
	int e = service_enabled(r, &enabled);

	if (!e && !enabled)
		report_problem(&r->rep, "service %s is not enabled", r->c.facts.service);
	return e;
}

static int check_packages_and_service(struct run *r)
{
	char **missing = NULL;
	int e;

	if ((e = packages_with_state(r, false, &missing)))
		return e;
	for (char **p = missing; *p; p++)
		report_problem(&r->rep, "package %s is not installed", *p);
	strv_free(missing);
	return check_service_enabled(r);
}

/* What "auto" means on this node, given to the backend as
 * auto.crashkernel (backend.h): a distribution's tools treat its default
 * and a custom value differently (kdumpctl puts its default back at every
 * kernel install unless told to keep a custom one), and the node's
 * answer is the backend's own tool's, which only config may ask (once per
 * platform: record_auto). `required`: a tool that is there but fails
 * stops config before any change; a backend that knows no default leaves
 * the decision to the backend's tables. */
static int share_auto(struct run *r, bool required)
{
	const char *value;
	unsigned spawned;
	char *why;
	int e;

	if (r->auto_shared)
		return 0;
	r->auto_shared = true;
	spawned = r->c.runner.n_spawned;
	value = context_auto_crashkernel(&r->c, NULL);
	r->auto_asked_tool = r->c.runner.n_spawned != spawned;
	if (value)
		return host_set(r->c.host, "auto.crashkernel", value) < 0 ?
		       diag_set(EXIT_OP_FAILED, "out of memory") : 0;
	if (!required || r->c.auto_error == -SKD_E_UNSUPPORTED) {
		diag_clear();
		return 0;
	}
	why = strdup(diag_message());
	e = diag_set(exit_code_for(r->c.auto_error), "learning the distribution's default "
	             "crashkernel failed: %s; nothing was changed", why ? why : "out of memory");
	free(why);
	return e;
}

/* Does the distro's own kdump configuration enable kdump, as config
 * makes sure when no configmap 'kdump.conf' replaces it (ABI 1.4)? When
 * not, *ret_basis (malloc'd) names the setting read. */
static int kdump_enabled(struct run *r, bool *ret, char **ret_basis)
{
	bool enabled = true;
	char *basis = NULL;
	int err, e;

	*ret = true;
	*ret_basis = NULL;
	if (r->in.kdump_conf || !backend_has_op(r->be, kdump_config_is_enabled))
		return 0;
	if ((e = share_auto(r, false)))
		return e;
	err = r->be->kdump_config_is_enabled(r->h, &enabled, &basis);
	if (err < 0)
		return step_failed(r, err, "reading whether the distro's configuration enables kdump");
	*ret = enabled;
	if (!enabled && !basis)
		basis = strdup("the backend gave no reason");
	if (!enabled)
		*ret_basis = basis;
	else
		free(basis);
	return 0;
}

static int mode_apply_check(struct run *r)
{
	bool enabled;
	char *basis = NULL;
	int e;

	if ((e = check_packages_and_service(r)))
		return e;
	/* said, not failed: apply does not change that setting, config does,
	 * and a failing apply-check would only have apply run again. Not
	 * said when packages are missing: their file is too. */
	if (r->rep.problems && r->rep.problems[0])
		return 0;
	if ((e = kdump_enabled(r, &enabled, &basis)))
		return e;
	if (!enabled)
		report_note(&r->rep, "warning: kdump is not enabled: %s; config enables it",
		            basis ? basis : "");
	free(basis);
	return 0;
}

static int require_crashkernel(struct run *r)
{
	if (r->in.crashkernel)
		return 0;
	return diag_set(EXIT_BAD_INPUT, "configmap 'crashkernel' is missing%s%s: config needs the value to set",
	                r->in.cm->dir ? " in " : " (no configmaps folder: set SKYHOOK_DIR or --configmaps)",
	                r->in.cm->dir ? r->in.cm->dir : "");
}

/* The text to install: the user's configuration in the native format, as
 * the backend completes it for the crashkernel value being set. */
static int desired_kdump_config(struct run *r, char **ret)
{
	int err, e;

	if (!backend_has_op(r->be, kdump_config_prepare) || !r->in.crashkernel) {
		*ret = strdup(r->in.kdump_conf);
		return *ret ? 0 : diag_set(EXIT_OP_FAILED, "out of memory");
	}
	if ((e = share_auto(r, false)))
		return e;
	err = r->be->kdump_config_prepare(r->h, r->in.crashkernel, r->in.kdump_conf, ret);
	return err < 0 ? step_failed(r, err, "preparing the kdump configuration") : 0;
}

/* A configuration with credentials that group or others can read. */
static bool secret_exposed(struct run *r, const char *path)
{
	struct skd_stat st;

	return r->in.kdump_conf_secret &&
	       r->h->stat(r->h, path, SKD_STAT_NOFOLLOW, &st) >= 0 &&
	       st.type == SKD_FILE_REGULAR && (st.mode & 077);
}

/* Install the user's kdump configuration, or make sure the distro's own
 * enables kdump. *ret_changed tells whether the file changed. */
static int apply_kdump_config(struct run *r, bool *ret_changed)
{
	const char *path = r->c.facts.kdump_config_path;
	char *cur = NULL, *want = NULL;
	size_t len;
	int err, e;

	*ret_changed = false;
	if (!r->in.kdump_conf) {
		if (!backend_has_op(r->be, kdump_config_ensure_enabled))
			return 0;
		err = r->be->kdump_config_ensure_enabled(r->h, ret_changed);
		if (err < 0)
			return step_failed(r, err, "enabling kdump in the distro's configuration");
		if (*ret_changed)
			report_done(&r->rep, r->dry_run ? "would enable kdump in %s" : "enabled kdump in %s", path);
		return 0;
	}
	if (r->in.kdump_conf_notes && *r->in.kdump_conf_notes) {
		char **notes = strv_split(r->in.kdump_conf_notes, "\n");
		for (char **p = notes; p && *p; p++)
			report_note(&r->rep, "kdump.conf translated for %s: %s", path, *p);
		strv_free(notes);
	}
	if ((e = desired_kdump_config(r, &want)))
		return e;
	err = r->h->read_file(r->h, path, &cur, &len);
	if (err >= 0 && len == strlen(want) && !memcmp(cur, want, len) &&
	    !secret_exposed(r, path)) {
		free(cur);
		free(want);
		return 0;
	}
	free(cur);
	/* credentials: 0600 even over a file that was 0644 */
	err = r->h->write_file(r->h, path, want, strlen(want),
	                       r->in.kdump_conf_secret ? 0600 | SYSROOT_MODE_EXACT : 0644);
	free(want);
	if (err < 0)
		return step_failed(r, err, "writing the kdump configuration");
	*ret_changed = true;
	report_done(&r->rep, r->dry_run ?
	            "would install the kdump configuration from the configmap as %s" :
	            "installed the kdump configuration from the configmap as %s", path);
	return 0;
}

static bool directory_exists(struct run *r, const char *path, bool follow)
{
	struct skd_stat st;

	return sysroot_stat(r->c.root, path, !follow, &st) >= 0 &&
	       st.type == SKD_FILE_DIRECTORY;
}

/* The local dump directory of the configuration config installs: the
 * configmap's when given, else the one in place. */
static char *desired_dump_dir(struct run *r)
{
	return r->in.kdump_conf ? context_dump_dir(&r->c, r->in.kdump_conf)
	                        : context_current_dump_dir(&r->c);
}

/* The dump directory, made 0700 when missing (a vmcore is all of the
 * crashed kernel's memory); one that exists keeps its owner and mode,
 * which others may rely on (a crash reporter may share the directory). */
static int ensure_dump_dir(struct run *r)
{
	char *dir = desired_dump_dir(r);
	bool created = false;
	int err;

	if (!dir)
		return 0;
	err = host_make_dir(r->c.host, dir, 0700, &created);
	if (err >= 0 && created)
		report_done(&r->rep, r->dry_run ? "would create the dump directory %s (mode 0700)" :
		            "created the dump directory %s (mode 0700)", dir);
	free(dir);
	return err < 0 ? step_failed(r, err, "creating the dump directory") : 0;
}

static int restart_service(struct run *r)
{
	int err;

	if (backend_has_op(r->be, service_restart)) {
		err = r->be->service_restart(r->h);
	} else {
		err = r->be->service_stop(r->h);
		if (err >= 0)
			err = r->be->service_start(r->h);
	}
	if (err < 0)
		return step_failed(r, err, "restarting the service");
	if (r->dry_run || crash_kernel_loaded(r))
		report_done(&r->rep, r->dry_run ? "would restart %s to load the new configuration" :
		            "restarted %s to load the new configuration", r->c.facts.service);
	else
		warn_nothing_loaded(r, "restarted");
	return 0;
}

/* What "auto" was resolved to on this node, into the state: the check
 * modes and a converged config read it there instead of asking a tool.
 * True when the state changed. */
static bool record_auto(struct run *r)
{
	char *platform;
	bool changed;

	/* not resolved (a backend without a default), or what the state
	 * holds already; for an explicit value, only a tool's answer (its
	 * tables the checks compute themselves, and from the package as it
	 * is then) */
	if (!r->c.auto_value || r->c.auto_recorded ||
	    (!crashkernel_is_auto(r->in.ck) && !r->auto_asked_tool))
		return false;
	platform = platform_describe(&r->c.platform);
	changed = platform && state_set_auto(r->st, r->c.auto_value, r->c.auto_basis,
	                                     platform) >= 0;
	free(platform);
	return changed;
}

/* An explicit value is the operator's to choose; one that reserves less
 * than "auto" would on this node is said. */
static void warn_below_auto(struct run *r)
{
	const char *basis = NULL, *value;
	struct crashkernel *ck = NULL;
	uint64_t bytes;
	char a[32], b[32];

	if (!r->in.ck || crashkernel_is_auto(r->in.ck) || !r->in.ram_known ||
	    !(value = context_auto_crashkernel(&r->c, &basis)) ||
	    crashkernel_parse(value, strlen(value), "auto", &ck) < 0 ||
	    crashkernel_size_for(ck, r->in.ram, "auto", &bytes) < 0 || bytes <= r->in.reserve) {
		crashkernel_free(ck);
		diag_clear();
		return;
	}
	report_note(&r->rep, "warning: crashkernel=%s reserves %s on this node, less than the %s "
	            "of 'auto' here (%s, %s)", r->in.crashkernel,
	            format_size(r->in.reserve, a, sizeof(a)), format_size(bytes, b, sizeof(b)),
	            value, basis ? basis : "");
	crashkernel_free(ck);
}

/* ",high" and ",low" came to arm64 with Linux 5.19 (platform.h). The
 * kernel that boots next may be newer than the running one: said, not
 * refused. */
static void warn_arm64_high_low(struct run *r)
{
	const char *v = r->in.crashkernel;

	if (v && (strstr(v, ",high") || strstr(v, ",low")) &&
	    platform_arm64_old_reserve(&r->c.platform))
		report_note(&r->rep, "warning: the running arm64 kernel %s is older than 5.19, "
		            "which gave arm64 ',high' and ',low': unless the kernel that boots "
		            "next is newer (or has that change backported), crashkernel=%s may "
		            "reserve nothing", r->c.platform.kernel_release, v);
}

/* A node whose crash kernel would get a wrong ELF core header
 * (kexec-kernel.h): said before the reboot, which cannot fix it; status and
 * post-interrupt-check then say "not armed". */
static void warn_core_header(struct run *r)
{
	struct kexec_kernel k;
	struct security_state sec;
	int broken;

	if (r->c.image || !r->c.platform.arch || strcmp(r->c.platform.arch, "aarch64"))
		return;
	kexec_kernel_read(r->c.root, r->c.platform.kernel_release, r->c.platform.arch,
	                  true, &k);
	if (k.text_symbol != 0) {
		kexec_kernel_clear(&k);
		return;
	}
	security_state_read(r->c.root, r->be, r->h, &k, &sec);
	broken = kexec_core_header_broken(k.text_symbol, sec.loader);
	if (broken)
		report_note(&r->rep, "warning: " KEXEC_CORE_HEADER_WHY,
		            KEXEC_CORE_HEADER_LOADER(broken));
	security_state_clear(&sec);
	kexec_kernel_clear(&k);
	diag_clear();
}

/* A crashkernel= someone else configured while ours overrides it (ABI
 * 1.4): said, since uninstall leaves it, and it is then what the node
 * boots with. The value that was there before us is not news. */
static int warn_overridden(struct run *r)
{
	char *value = NULL, *where = NULL;
	int err;

	if (!r->in.crashkernel || !backend_has_op(r->be, bootloader_others_crashkernel))
		return 0;
	err = r->be->bootloader_others_crashkernel(r->h, &value, &where);
	if (err < 0)
		return step_failed(r, err, "reading the crashkernel= configured by others");
	if (value && !same_value(value, r->in.crashkernel) &&
	    !(r->st->have_crashkernel_before && same_value(value, r->st->crashkernel_before)))
		report_note(&r->rep, "warning: crashkernel=%s set in %s is overridden by "
		            "crashkernel=%s of skyhook-kdump; uninstall leaves it in place",
		            value, where ? where : "the boot configuration", r->in.crashkernel);
	free(value);
	free(where);
	return 0;
}

/* config needs the distro's kdump package: on a node where apply never
 * ran, stop before the first change, or a crashkernel= would reserve
 * memory for a kdump that is not there. */
static int require_kdump_installed(struct run *r)
{
	const char *path = r->c.facts.kdump_config_path;
	char **missing = NULL, *list;
	struct skd_stat st;
	int e, err;

	/* a dry run of config may follow a dry run of apply */
	if (r->dry_run || !path)
		return 0;
	err = r->h->stat(r->h, path, 0, &st);
	if (err < 0)
		return step_failed(r, err, "looking for the kdump configuration");
	if (st.type != SKD_FILE_NONE)
		return 0;
	if ((e = packages_with_state(r, false, &missing)))
		return e;
	list = strv_join(missing, " ");
	if (!list)
		e = diag_set(EXIT_OP_FAILED, "out of memory");
	else if (*list)
		e = diag_set(EXIT_OP_FAILED, "%s is missing and %s %s not installed: run apply "
		             "first; nothing was changed", path, list, missing[1] ? "are" : "is");
	else if (!r->in.kdump_conf)
		e = diag_set(EXIT_OP_FAILED, "%s is missing although the kdump packages are "
		             "installed: reinstall them; nothing was changed", path);
	free(list);
	strv_free(missing);
	return e;
}

/* The backend's read-only check of the value (ABI 1.4) validates it as
 * set does: a value set would refuse stops config here, before the state
 * records anything (the drift it reports is config's work). */
static int precheck_bootloader(struct run *r)
{
	char *drift = NULL;
	int err;

	if (!backend_has_op(r->be, bootloader_check_crashkernel))
		return 0;
	err = r->be->bootloader_check_crashkernel(r->h, r->in.crashkernel, &drift);
	free(drift);
	return err < 0 ? step_failed(r, err, "setting crashkernel in the bootloader") : 0;
}

/* What the capture kernel needs against what the value reserves here:
 * below the kernel and its initrd (measured) it cannot boot, a problem
 * for config-check; below the estimate with its allowances (runtime,
 * CPUs, drivers: the tools' rules of thumb) a warning. */
static void check_fit(struct run *r, const char *release, bool strict)
{
	struct capture_fit fit;
	char a[32], b[32], c[32];

	if (!r->in.ram_known || !r->in.crashkernel)
		return;
	capture_initrd_fit(&r->c, release, r->in.ram, r->in.ram_source, &fit);
	if (fit.known && r->in.reserve < fit.boot && strict)
		report_problem(&r->rep, "crashkernel=%s reserves %s on this node, less than the "
		               "%s the capture kernel of %s needs to boot at all (%s; the kernel "
		               "and its initrd alone need %s)", r->in.crashkernel,
		               format_size(r->in.reserve, a, sizeof(a)),
		               estimate_mib(fit.needed, b, sizeof(b)), release, fit.parts,
		               estimate_mib(fit.boot, c, sizeof(c)));
	else if (fit.known && r->in.reserve < fit.needed)
		report_note(&r->rep, "warning: crashkernel=%s reserves %s on this node, less than "
		            "the %s the capture kernel of %s needs (%s)%s", r->in.crashkernel,
		            format_size(r->in.reserve, a, sizeof(a)),
		            estimate_mib(fit.needed, b, sizeof(b)), release, fit.parts,
		            r->in.reserve < fit.boot ? ": its kernel and initrd alone do not fit" : "");
	capture_fit_clear(&fit);
}

/* The capture initrd of the kernel that boots next, built now when the
 * tools would build it at that boot (ABI 1.5): the node then only loads
 * it after the interrupt, and a build that fails fails config before. */
static int build_capture_initrd(struct run *r)
{
	char *release = NULL, *basis = NULL, *stale = NULL;
	int e, err;

	if (!capture_initrd_supported(&r->c))
		return 0;
	if ((e = capture_initrd_release(&r->c, &release, &basis)) != 0) {
		e = step_failed(r, e, "reading the kernel that boots next");
		goto out;
	}
	if (!release)
		goto out;
	if ((e = capture_initrd_stale(&r->c, release, &stale)) != 0) {
		e = step_failed(r, e, "checking the capture initrd");
		goto out;
	}
	if (stale) {
		char *step = NULL;

		if (safe_point(r)) {
			e = EXIT_OP_FAILED;
			goto out;
		}
		err = r->be->kdump_initrd_build(r->h, release);
		if (err < 0) {
			if (asprintf(&step, "building the capture initrd of kernel %s", release) < 0)
				step = NULL;
			e = step_failed(r, err, step ? step : "building the capture initrd");
			free(step);
			goto out;
		}
		report_done(&r->rep, r->dry_run ? "would build the capture initrd of kernel %s (%s), "
		            "which boots next (%s)" : "built the capture initrd of kernel %s (%s), "
		            "which boots next (%s)", release, stale, basis);
	}
	if (!r->dry_run)
		check_fit(r, release, false);
	e = 0;
out:
	free(release);
	free(basis);
	free(stale);
	return e;
}

/* config-check: the capture initrd config would build, and its fit. */
static int check_capture_initrd(struct run *r)
{
	char *release = NULL, *basis = NULL, *stale = NULL;
	int e;

	if (!capture_initrd_supported(&r->c))
		return 0;
	if ((e = capture_initrd_release(&r->c, &release, &basis)) != 0)
		return step_failed(r, e, "reading the kernel that boots next");
	if (release && (e = capture_initrd_stale(&r->c, release, &stale)) != 0)
		e = step_failed(r, e, "checking the capture initrd");
	else if (stale)
		report_problem(&r->rep, "the capture initrd of kernel %s, which boots next (%s), "
		               "is not up to date: %s; config builds it", release, basis, stale);
	else if (release)
		check_fit(r, release, true);
	free(release);
	free(basis);
	free(stale);
	return e;
}

static int mode_config(struct run *r)
{
	char *cur = NULL;
	bool boot_changed = false, conf_changed = false, auto_changed;
	int e, err;

	if ((e = require_crashkernel(r)))
		return e;
	if ((e = require_kdump_installed(r)))
		return e;
	if ((e = lock_root(r)))
		return e;
	if ((e = share_auto(r, true)))
		return e;
	/* the backend's refusals of the value before anything is written */
	if ((e = precheck_bootloader(r)))
		return e;
	if ((e = record_crashkernel_before(r)))
		return e;
	if ((e = get_crashkernel(r, &cur)))
		return e;
	/* also when the value is already configured: a run stopped between
	 * writing it and regenerating the menu left a stale menu, which the
	 * backend reports as a change (it writes nothing when none is due) */
	err = r->be->bootloader_set_crashkernel(r->h, r->in.crashkernel, &boot_changed);
	if (err < 0) {
		e = step_failed(r, err, "setting crashkernel in the bootloader");
		goto out;
	}
	auto_changed = record_auto(r);
	if (!same_value(r->st->crashkernel, r->in.crashkernel) || auto_changed) {
		free(r->st->crashkernel);
		r->st->crashkernel = strdup(r->in.crashkernel);
		if ((e = save_state(r)))
			goto out;
	}
	warn_below_auto(r);
	warn_arm64_high_low(r);
	warn_core_header(r);
	if ((e = warn_overridden(r)))
		goto out;
	if (safe_point(r)) {
		e = EXIT_OP_FAILED;
		goto out;
	}
	if ((e = apply_kdump_config(r, &conf_changed)))
		goto out;
	if ((e = ensure_dump_dir(r)))
		goto out;
	if (boot_changed) {
		err = r->be->bootloader_regenerate(r->h);
		if (err < 0) {
			e = step_failed(r, err, "regenerating the boot configuration");
			goto out;
		}
		report_done(&r->rep, r->dry_run ?
		            "crashkernel=%s would be set in the bootloader (was %s); it would take effect after a reboot" :
		            "crashkernel=%s set in the bootloader (was %s); it takes effect after a reboot",
		            r->in.crashkernel, cur ? cur : "not set");
	}
	if ((e = build_capture_initrd(r)))
		goto out;
	if (conf_changed && !boot_changed && crash_memory_reserved(r) &&
	    (e = restart_service(r)))
		goto out;
	if (!boot_changed && !conf_changed)
		report_note(&r->rep, "already configured: crashkernel=%s", r->in.crashkernel);
	e = 0;
out:
	free(cur);
	return e;
}

static int check_kdump_config(struct run *r)
{
	char *cur = NULL, *want = NULL;
	size_t len;
	int err, e;

	if (!r->in.kdump_conf) {
		bool enabled;

		if ((e = kdump_enabled(r, &enabled, &cur)))
			return e;
		if (!enabled)
			report_problem(&r->rep, "kdump is not enabled: %s; config enables it",
			               cur ? cur : "");
		free(cur);
		return 0;
	}
	if ((e = desired_kdump_config(r, &want)))
		return e;
	err = r->h->read_file(r->h, r->c.facts.kdump_config_path, &cur, &len);
	if (err < 0)
		report_problem(&r->rep, "%s cannot be read", r->c.facts.kdump_config_path);
	else if (len != strlen(want) || memcmp(cur, want, len))
		report_problem(&r->rep, "%s differs from the configmap 'kdump.conf'",
		               r->c.facts.kdump_config_path);
	else if (secret_exposed(r, r->c.facts.kdump_config_path))
		report_problem(&r->rep, "%s holds credentials but group or others can read it: want mode 0600",
		               r->c.facts.kdump_config_path);
	free(cur);
	free(want);
	return 0;
}

/* The value is configured: is everything config writes for it in place,
 * the boot menu it regenerates included (ABI 1.4)? */
static int check_boot_config(struct run *r)
{
	char *drift = NULL;
	int err;

	if (!backend_has_op(r->be, bootloader_check_crashkernel))
		return 0;
	err = r->be->bootloader_check_crashkernel(r->h, r->in.crashkernel, &drift);
	if (err < 0)
		return step_failed(r, err, "checking the boot configuration");
	if (drift)
		report_problem(&r->rep, "crashkernel=%s is configured, but %s",
		               r->in.crashkernel, drift);
	free(drift);
	return 0;
}

static void check_dump_dir(struct run *r)
{
	char *dir = desired_dump_dir(r);

	if (dir && !directory_exists(r, dir, true))
		report_problem(&r->rep, "the dump directory %s is missing", dir);
	free(dir);
}

static int mode_config_check(struct run *r)
{
	char *cur = NULL;
	int e;

	if ((e = require_crashkernel(r)))
		return e;
	if ((e = get_crashkernel(r, &cur)))
		return e;
	if (!same_value(cur, r->in.crashkernel))
		report_problem(&r->rep, "the bootloader's crashkernel is %s, want %s",
		               cur ? cur : "not set", r->in.crashkernel);
	else
		e = check_boot_config(r);
	free(cur);
	if (e || (e = warn_overridden(r)))
		return e;
	if ((e = check_kdump_config(r)))
		return e;
	check_dump_dir(r);
	if ((e = check_capture_initrd(r)))
		return e;
	return check_service_enabled(r);
}

/* What crashkernel we expect to be active: the configmap, else what our
 * config set. */
static const char *desired_crashkernel(struct run *r)
{
	return r->in.crashkernel ? r->in.crashkernel : r->st->crashkernel;
}

/* The figures and verdict of `status` for this run, gathered once (the
 * metrics file reuses them). */
static struct node_status *run_status(struct run *r)
{
	if (!r->have_status) {
		status_collect(&r->c, &r->in, &r->status);
		if (!r->status.ck_desired && desired_crashkernel(r))
			r->status.ck_desired = strdup(desired_crashkernel(r));
		status_judge(&r->status);
		r->have_status = true;
	}
	return &r->status;
}

static bool is_code(const struct status_reason *w, const char *code)
{
	return !strcmp(w->code, code);
}

/* The reasons of `status`, one line each; stricter than status in what
 * config promised: its value in use, its service running, the reservation
 * it asked for, its dump directory in place. */
static int mode_post_interrupt_check(struct run *r)
{
	const char *want = desired_crashkernel(r);
	struct node_status *s;
	char got[32];

	if (!want)
		return diag_set(EXIT_BAD_INPUT, "configmap 'crashkernel' is missing and config never ran: nothing to check against");
	if (r->c.image) {
		report_note(&r->rep, "skipped the kernel checks: %s is not a running system", sysroot_path(r->c.root));
		return 0;
	}
	s = run_status(r);
	for (size_t i = 0; i < s->n_reasons; i++)
		report_problem(&r->rep, "%s", s->reasons[i].message);
	if (s->ck_active && strcmp(s->ck_active, want))
		report_problem(&r->rep, "the running kernel uses crashkernel=%s, want crashkernel=%s",
		               s->ck_active, want);
	for (size_t i = 0; i < s->n_warnings; i++) {
		const struct status_reason *w = &s->warnings[i];

		if (is_code(w, "service_inactive") || is_code(w, "dump_dir_missing") ||
		    is_code(w, "reserved_differs") || is_code(w, "capture_initrd_stale"))
			report_problem(&r->rep, "%s", w->message);
		else if (!is_code(w, "reboot_pending") && !is_code(w, "desired_differs"))
			report_note(&r->rep, "warning: %s", w->message);
	}
	if (s->reserved > 0)
		report_note(&r->rep, "%s of crash memory reserved", format_size(s->reserved, got, sizeof(got)));
	if (s->dump_dir && s->have_dump_free)
		report_note(&r->rep, "dump directory %s: %.1f GiB free", s->dump_dir,
		            (double)s->dump_free / (double)(1u << 30));
	return 0;
}

/* SKYHOOK_KDUMP_PROMETHEUS_FILE: the check modes keep node_exporter's
 * textfile metrics current. Not being able to write them fails nothing. */
static void refresh_metrics(struct run *r)
{
	const char *path = getenv("SKYHOOK_KDUMP_PROMETHEUS_FILE");

	if (!path || !*path || r->dry_run || !r->c.be)
		return;
	if (status_write_prometheus(run_status(r), path) < 0)
		report_note(&r->rep, "metrics not written: %s", diag_message());
	diag_clear();
}

/* A check mode that could not judge (exit 2, 3 or 4, its own steps or
 * before them: an unsupported system, a bad root): the metrics file says
 * so rather than keep an older verdict. diag_message() stays the run's. */
static void refresh_metrics_failed(struct run *r, int e)
{
	const char *path = getenv("SKYHOOK_KDUMP_PROMETHEUS_FILE");
	char *why;

	if (!path || !*path || r->dry_run)
		return;
	why = strdup(*diag_message() ? diag_message() : "failed");
	if (!why)
		return;
	if (status_write_prometheus_error(status_error_code(e), why, path) < 0)
		report_note(&r->rep, "metrics not written: %s", diag_message());
	diag_set(0, "%s", why);
	free(why);
}

/* The kdump configuration we installed goes back to what it was: its
 * backup when we replaced it, nothing when we created it. Everything else
 * we changed (the bootloader) the backend reverses token by token, which
 * keeps later edits by others. */
static int restore_kdump_config(struct run *r)
{
	const char *path = r->c.facts.kdump_config_path;
	struct journal *j = NULL;
	int e = 0, err = 0;

	if (journal_load(r->c.root, &j) < 0)
		return EXIT_OP_FAILED;
	for (size_t i = 0; i < j->n && err >= 0; i++) {
		const struct journal_entry *en = &j->entries[i];

		if (strcmp(en->path, path))
			continue;
		if (en->kind == JOURNAL_CREATED) {
			struct skd_stat st;
			err = r->h->stat(r->h, path, SKD_STAT_NOFOLLOW, &st);
			if (err >= 0 && st.type == SKD_FILE_REGULAR) {
				err = r->h->remove_file(r->h, path);
				if (err >= 0)
					report_done(&r->rep, r->dry_run ? "would remove %s" : "removed %s", path);
			}
		} else if (en->kind == JOURNAL_REPLACED) {
			struct skd_stat st;
			/* gone since: removing its package took it (a retry after
			 * that step), and bringing it back would orphan it */
			err = r->h->stat(r->h, path, SKD_STAT_NOFOLLOW, &st);
			if (err >= 0 && st.type == SKD_FILE_NONE)
				continue;
			if (err >= 0)
				err = journal_restore(r->c.root, r->h, path);
			if (err >= 0)
				report_done(&r->rep, r->dry_run ? "would restore %s from its backup" :
				            "restored %s from its backup", path);
		} else {
			err = journal_restore(r->c.root, r->h, path);
			if (err >= 0)
				report_done(&r->rep, r->dry_run ? "would restore %s from its backup" :
				            "restored %s from its backup", path);
		}
	}
	if (err < 0)
		e = step_failed(r, err, "restoring the kdump configuration");
	journal_free(j);
	return e;
}

/* The directories config created go while empty, deepest first; one
 * holding dumps stays, and the report says so. */
static int remove_created_dirs(struct run *r)
{
	struct journal *j = NULL;
	bool kept = false;
	int err = 0;

	if (journal_load(r->c.root, &j) < 0)
		return EXIT_OP_FAILED;
	for (size_t i = j->n; i-- > 0 && err >= 0;) {
		const char *dir = j->entries[i].path;
		bool removed;

		if (j->entries[i].kind != JOURNAL_DIR)
			continue;
		err = host_remove_empty_dir(r->c.host, dir, &removed);
		if (err >= 0 && removed) {
			report_done(&r->rep, r->dry_run ? "would remove %s, which config created" :
			            "removed %s, which config created", dir);
		} else if (err >= 0 && !kept && !r->dry_run &&
		           directory_exists(r, dir, false)) {
			/* the directories above it are not empty either */
			report_note(&r->rep, "kept %s: it is not empty", dir);
			kept = true;
		}
	}
	journal_free(j);
	return err < 0 ? step_failed(r, err, "removing the dump directory") : 0;
}

static int mode_uninstall(struct run *r)
{
	char **ours = NULL, **installed = NULL;
	bool changed = false, enabled = false, active = false, any_change = false;
	bool keep_marker = false;
	int e, err;

	if ((e = lock_root(r)))
		return e;
	err = r->be->service_is_active(r->h, &active);
	if (err >= 0 && active) {
		if ((err = r->be->service_stop(r->h)) < 0)
			return step_failed(r, err, "stopping the service");
		report_done(&r->rep, r->dry_run ? "would stop %s" : "stopped %s", r->c.facts.service);
	}
	if ((e = service_enabled(r, &enabled)))
		return e;
	/* only when apply saw it disabled: unknown means no apply got as far
	 * as enabling it (its install failed), and the admin's stays */
	if (enabled && r->st->service_was_enabled == 0) {
		if ((err = r->be->service_disable(r->h)) < 0)
			return step_failed(r, err, "disabling the service");
		report_done(&r->rep, r->dry_run ? "would disable %s" : "disabled %s", r->c.facts.service);
	}
	if (safe_point(r))
		return EXIT_OP_FAILED;
	/* with no value before us, ours goes; else the old one comes back in
	 * its place (the backend writes nothing where it needs nothing) */
	if (r->st->have_crashkernel_before && !r->st->crashkernel_before) {
		err = r->be->bootloader_remove_crashkernel(r->h, &changed);
		if (err < 0)
			return step_failed(r, err, "removing crashkernel from the bootloader");
		any_change |= changed;
	}
	if ((e = restore_kdump_config(r)))
		return e;
	if ((e = remove_created_dirs(r)))
		return e;
	/* remove only what apply installed, and only what is still there */
	if ((e = packages_with_state(r, true, &installed)))
		return e;
	ours = calloc(1, sizeof(char *));
	for (char **p = installed; ours && *p; p++)
		if (state_has_package(r->st, *p) && strv_push(&ours, *p) < 0)
			break;
	strv_free(installed);
	if (!ours)
		return diag_set(EXIT_OP_FAILED, "out of memory");
	if (ours[0]) {
		char *list = strv_join(ours, " "), *was = NULL, *now = NULL;

		/* a package may take its own crashkernel= with it (a grub.d
		 * drop-in of its own): the boot menu must then follow */
		e = get_crashkernel(r, &was);
		if (!e) {
			err = r->be->packages_remove(r->h, (const char *const *)ours);
			if (err < 0)
				e = step_failed(r, err, "removing packages");
		}
		if (!e && !r->dry_run && !(e = get_crashkernel(r, &now)))
			any_change |= !same_value(was, now);
		if (!e)
			report_done(&r->rep, r->dry_run ? "would remove %s" : "removed %s", list);
		free(was);
		free(now);
		free(list);
		if (e) {
			strv_free(ours);
			return e;
		}
	}
	strv_free(ours);
	if (r->st->crashkernel_before) {
		/* also when the next boot already has it: a run stopped half
		 * way left the other places (grub defaults, kernel/cmdline, the
		 * menu) behind, and the backend writes only what differs */
		err = r->be->bootloader_set_crashkernel(r->h, r->st->crashkernel_before, &changed);
		if (err < 0)
			return step_failed(r, err, "restoring the previous crashkernel");
		any_change |= changed;
	}
	if (any_change) {
		err = r->be->bootloader_regenerate(r->h);
		if (err < 0)
			return step_failed(r, err, "regenerating the boot configuration");
		if (r->st->crashkernel_before)
			report_done(&r->rep, r->dry_run ? "crashkernel=%s would be restored in the bootloader" :
			            "crashkernel=%s restored in the bootloader",
			            r->st->crashkernel_before);
		else
			report_done(&r->rep, r->dry_run ?
			            "crashkernel would be removed from the bootloader (there was none before)" :
			            "crashkernel removed from the bootloader (there was none before)");
	}
	/* a retry after a finished uninstall has no state: the marker of
	 * the run that did the work stays */
	if (!r->dry_run && state_is_empty(r->st)) {
		struct skd_stat st;

		if (sysroot_stat(r->c.root, STATE_UNINSTALLED_FILE, true, &st) < 0)
			return bookkeeping_failed("reading the uninstall marker");
		keep_marker = st.type != SKD_FILE_NONE;
	}
	if (!r->dry_run && !keep_marker) {
		char *marker = state_format(r->st);

		if (!marker)
			return diag_set(EXIT_OP_FAILED, "out of memory");
		err = host_replace(r->c.host, STATE_UNINSTALLED_FILE, marker, strlen(marker), 0600);
		free(marker);
		if (err < 0)
			return bookkeeping_failed("writing the uninstall marker");
		/* the state goes last: until then a retry redoes the (done,
		 * idempotent) steps from the record instead of forgetting them */
		if (host_remove(r->c.host, HOST_FILES_JOURNAL) < 0 ||
		    host_remove_tree(r->c.host, HOST_BACKUP_DIR) < 0 ||
		    host_remove(r->c.host, STATE_FILE) < 0)
			return bookkeeping_failed("removing the state");
	}
	if (crash_memory_reserved(r))
		report_note(&r->rep, r->dry_run ? "a reboot would be needed to free the reserved crash memory" :
		            "a reboot is needed to free the reserved crash memory");
	return 0;
}

/* After uninstall the bootloader has `cur`, not the value from before
 * us: fine when someone else set it since (ABI 1.4 says where), which
 * uninstall leaves in place; not when it is the value we set. */
static int left_by_others(struct run *r, const struct state *was, const char *cur)
{
	char *value = NULL, *where = NULL;
	int err;

	if (cur && !same_value(cur, was->crashkernel) &&
	    backend_has_op(r->be, bootloader_others_crashkernel)) {
		err = r->be->bootloader_others_crashkernel(r->h, &value, &where);
		if (err < 0)
			return step_failed(r, err, "reading the crashkernel= configured by others");
	}
	if (value && same_value(value, cur))
		report_note(&r->rep, "crashkernel=%s stays in the bootloader: it is set in %s, "
		            "not by skyhook-kdump (before it there was %s)", cur,
		            where ? where : "the boot configuration",
		            was->crashkernel_before ? was->crashkernel_before : "none");
	else
		report_problem(&r->rep, "the bootloader's crashkernel is %s, want %s as before",
		               cur ? cur : "not set",
		               was->crashkernel_before ? was->crashkernel_before : "not set");
	free(value);
	free(where);
	return 0;
}

/* uninstall-check: what uninstall restored is in place everywhere the
 * backend keeps crashkernel= (ABI 1.4), not only in the next boot. */
static int check_boot_restored(struct run *r, const char *before)
{
	char *drift = NULL;
	int err;

	if (!backend_has_op(r->be, bootloader_check_crashkernel))
		return 0;
	err = r->be->bootloader_check_crashkernel(r->h, before, &drift);
	if (err < 0)
		return step_failed(r, err, "checking the boot configuration");
	if (drift)
		report_problem(&r->rep, "crashkernel=%s is back as before, but %s",
		               before, drift);
	free(drift);
	return 0;
}

static int mode_uninstall_check(struct run *r)
{
	struct state *was = NULL;
	struct skd_stat st;
	char *text = NULL, *cur = NULL, **left = NULL;
	size_t len;
	int e;

	if (sysroot_stat(r->c.root, STATE_FILE, true, &st) < 0)
		return EXIT_OP_FAILED;
	if (st.type != SKD_FILE_NONE) {
		report_problem(&r->rep, "%s still exists: uninstall has not completed", STATE_FILE);
		return 0;
	}
	if (sysroot_read(r->c.root, STATE_UNINSTALLED_FILE, 1 << 20, &text, &len) < 0) {
		diag_clear();
		report_note(&r->rep, "nothing of skyhook-kdump is installed");
		return 0;
	}
	e = state_parse(text, STATE_UNINSTALLED_FILE, &was);
	free(text);
	if (e < 0)
		return EXIT_OP_FAILED;
	if ((e = packages_with_state(r, true, &left)))
		goto out;
	/* packages_with_state() sets left when it returns 0; on failure it
	 * returns exit_code_for() (context.c, not seen here), never 0 */
	// NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
	for (char **p = left; *p; p++)
		if (state_has_package(was, *p))
			report_problem(&r->rep, "package %s, installed by apply, is still installed", *p);
	if (was->have_crashkernel_before) {
		if ((e = get_crashkernel(r, &cur)))
			goto out;
		if (!same_value(cur, was->crashkernel_before) && (e = left_by_others(r, was, cur)))
			goto out;
		/* the next boot has it back, but so must every place uninstall
		 * restored it in (other boot entries, the files kernels
		 * installed later take their options from) */
		if (same_value(cur, was->crashkernel_before) && was->crashkernel_before &&
		    (e = check_boot_restored(r, was->crashkernel_before)))
			goto out;
	}
	if (crash_memory_reserved(r))
		report_note(&r->rep, "a reboot is needed to free the reserved crash memory");
out:
	free(cur);
	strv_free(left);
	state_free(was);
	return e;
}

static int mode_upgrade(struct run *r)
{
	int e;

	if (state_is_empty(r->st) || r->st->format == STATE_FORMAT)
		return 0;
	if ((e = lock_root(r)))
		return e;
	report_done(&r->rep, r->dry_run ? "would move state from format %u to %d" :
	            "moved state from format %u to %d", r->st->format, STATE_FORMAT);
	return save_state(r);
}

static int mode_upgrade_check(struct run *r)
{
	if (!state_is_empty(r->st) && r->st->format != STATE_FORMAT)
		report_problem(&r->rep, "state is in format %u, want %d: run upgrade",
		               r->st->format, STATE_FORMAT);
	return 0;
}

static const struct {
	const char *name;
	int (*run)(struct run *r);
	bool is_check;
} modes[] = {
	{ "apply", mode_apply, false },
	{ "apply-check", mode_apply_check, true },
	{ "config", mode_config, false },
	{ "config-check", mode_config_check, true },
	{ "post-interrupt-check", mode_post_interrupt_check, true },
	{ "uninstall", mode_uninstall, false },
	{ "uninstall-check", mode_uninstall_check, true },
	{ "upgrade", mode_upgrade, false },
	{ "upgrade-check", mode_upgrade_check, true },
};

bool lifecycle_is_mode(const char *command)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(modes[i].name, command))
			return true;
	return false;
}

static bool is_check_mode(const char *command)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(modes[i].name, command))
			return modes[i].is_check;
	return false;
}

static bool same_platform(const struct state *st, const struct platform *p)
{
	char *now = platform_describe(p);
	bool same = now && st->auto_platform && !strcmp(now, st->auto_platform);

	free(now);
	return same;
}

static int prepare(struct run *r, const struct cli *cli)
{
	char *dir = inputs_configmaps_dir(cli->configmaps);
	int e;

	/* 1. inputs that need no system: refused before anything is touched */
	e = inputs_read(dir, &r->in);
	free(dir);
	if (e)
		return e;
	/* 2. the system and its backend */
	if ((e = context_open_root(&r->c, cli)) ||
	    (e = context_read_os_release(&r->c)) ||
	    (e = context_find_backend(&r->c)) ||
	    (e = context_load_backend(&r->c)))
		return e;
	r->h = r->c.h;
	r->be = r->c.be;
	/* a paused rollout: finish the command running, within a bound below
	 * the 30 s Kubernetes waits before SIGKILL */
	r->c.runner.stop = &stop_requested;
	r->c.runner.stop_grace_sec = 20;
	if (secure_getenv("SKYHOOK_KDUMP_TEST_FAKE_TOOLS") && secure_getenv("SKYHOOK_KDUMP_TEST_STOP_GRACE"))
		r->c.runner.stop_grace_sec = (unsigned)atoi(secure_getenv("SKYHOOK_KDUMP_TEST_STOP_GRACE"));
	if (state_load(r->c.root, &r->st) < 0)
		return EXIT_OP_FAILED;
	/* 3. inputs for this system: auto, RAM, kdump.conf format. Only
	 * config may ask a distribution's tool what "auto" means (a
	 * process), for the configmap's "auto" or to tell the distribution's
	 * default from a custom value (share_auto); the other modes use what
	 * config recorded, else the backend's tables. */
	r->c.auto_no_process = strcmp(cli->command, "config") && strcmp(cli->command, "upgrade");
	/* config asks again only when the platform changed since (a 64K
	 * kernel, a ConnectX card): a converged config starts no process */
	if ((r->c.auto_no_process || same_platform(r->st, &r->c.platform)) &&
	    context_auto_from_state(&r->c, r->st) < 0)
		return diag_set(EXIT_OP_FAILED, "out of memory");
	if ((e = inputs_resolve(&r->in, &r->c)))
		return e;
	return 0;
}

int lifecycle_main(const struct cli *cli)
{
	struct run r = { .lock_fd = -1, .dry_run = cli->dry_run };
	/* restartable: a read or wait cut by SIGTERM must not fail a step */
	struct sigaction sa = { .sa_handler = on_sigterm, .sa_flags = SA_RESTART };
	int e = EXIT_OP_FAILED;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	report_init(&r.rep, cli->command, cli->json, stdout);
	diag_clear();
	if (cli->dry_run && !cli->json)
		printf("%s: dry run: the changes below are shown, not made\n", cli->command);
	e = prepare(&r, cli);
	if (e != 0 && is_check_mode(cli->command))
		refresh_metrics_failed(&r, e);
	if (e == 0) {
		for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
			if (!strcmp(modes[i].name, cli->command)) {
				e = modes[i].run(&r);
				if (modes[i].is_check && (e == 0 || e == EXIT_CHECK_FAILED))
					refresh_metrics(&r);
				else if (modes[i].is_check)
					refresh_metrics_failed(&r, e);
				break;
			}
		/* asked to stop: the run ended (at a safe point, or complete),
		 * and the operator must see it did not simply succeed */
		if (stop_requested && e == 0) {
			safe_point(&r);
			e = EXIT_OP_FAILED;
		}
	}
	if (e == 0 && r.rep.problems && r.rep.problems[0])
		e = EXIT_CHECK_FAILED;
	if (e != 0 && e != EXIT_CHECK_FAILED && !cli->json)
		fprintf(stderr, "skyhook-kdump %s: %s\n", cli->command,
		        *diag_message() ? diag_message() : "failed");
	report_finish(&r.rep, e, e != 0 && e != EXIT_CHECK_FAILED ? diag_message() : NULL);
	if (r.lock_fd >= 0)
		close(r.lock_fd);
	state_free(r.st);
	status_clear(&r.status);
	inputs_clear(&r.in);
	context_close(&r.c);
	return e;
}
