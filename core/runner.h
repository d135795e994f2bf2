/* SPDX-License-Identifier: Apache-2.0 */
/* Running commands for backends: never through a shell.
 *
 * RUNNER_REAL runs the command inside the root (chroot(2) when the root is
 * not "/"), with a minimal fixed environment. RUNNER_FAKE is the recording
 * runner for tests: it appends the argv to a log file and runs
 * <fake_dir>/<basename of argv[0]> instead (a script that answers like the
 * real tool, with SKD_FAKE_ROOT set to the root), or answers exit 0 with no
 * output when there is no such script. Under dry-run a command flagged
 * SKD_RUN_CHANGES is printed ("would run: ...") and not run. */
#ifndef SKD_RUNNER_H
#define SKD_RUNNER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <skyhook-kdump/backend.h>

enum runner_mode {
	RUNNER_REAL,
	RUNNER_FAKE,
};

struct runner {
	enum runner_mode mode;
	const char *root;       /* the sysroot path */
	bool dry_run;
	FILE *dry_run_out;      /* where "would run:" lines go */
	const char *fake_dir;   /* RUNNER_FAKE: directory of fake tools */
	const char *log_path;   /* RUNNER_FAKE: command log, one line each */
	unsigned timeout_sec;   /* kill the command after this; 0: none */
	/* Set (by a signal handler) when we are asked to stop: the command
	 * running is let finish, a package manager mid-transaction above all,
	 * but for at most stop_grace_sec more; then it gets SIGTERM, and
	 * SIGKILL 2 s later, as on a timeout. */
	const volatile sig_atomic_t *stop;
	unsigned stop_grace_sec;
	/* counters, for the benchmark and the tests */
	unsigned n_spawned;
	unsigned n_changing;
};

int runner_run(struct runner *r, const char *const *argv,
               const char *const *env, uint32_t flags,
               struct skd_run_result *ret);
void runner_result_free(struct skd_run_result *res);
/* "apt-get install -y 'a b'": argv quoted for display and logs. */
char *argv_to_display(const char *const *argv);

#endif
