/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "runner.h"
#include "testutil.h"

Suite *skd_runner_suite(void);

static struct runner real_slash(void)
{
	struct runner r = { .mode = RUNNER_REAL, .root = "/" };
	return r;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void write_script(const char *path, const char *text)
{
	tu_write(path, text);
	ck_assert_int_eq(chmod(path, 0755), 0);
}

START_TEST(display_quoting)
{
	const char *argv[] = { "apt-get", "install", "-y", "a b", "it's", "",
	                       "x=1", "$HOME", "/usr/sbin/grub2-mkconfig",
	                       "--output=/boot/grub2/grub.cfg", NULL };
	char *s = argv_to_display(argv);

	ck_assert_str_eq(s, "apt-get install -y 'a b' 'it'\\''s' '' x=1 '$HOME' "
	                 "/usr/sbin/grub2-mkconfig --output=/boot/grub2/grub.cfg");
	free(s);
}
END_TEST

START_TEST(real_echo)
{
	struct runner r = real_slash();
	struct skd_run_result res = { 0 };
	const char *argv[] = { "echo", "hello", "world", NULL };
	const char *abs[] = { "/bin/echo", "abs", NULL };

	ck_assert_int_eq(runner_run(&r, argv, NULL, 0, &res), 0);
	ck_assert_int_eq(res.status, 0);
	ck_assert_str_eq(res.out, "hello world\n");
	ck_assert_uint_eq(res.out_len, 12);
	ck_assert_str_eq(res.err, "");
	ck_assert_uint_eq(res.err_len, 0);
	runner_result_free(&res);

	ck_assert_int_eq(runner_run(&r, abs, NULL, 0, &res), 0);
	ck_assert_str_eq(res.out, "abs\n");
	runner_result_free(&res);
	ck_assert_uint_eq(r.n_spawned, 2);
	ck_assert_uint_eq(r.n_changing, 0);
}
END_TEST

START_TEST(real_status_and_streams)
{
	struct runner r = real_slash();
	struct skd_run_result res = { 0 };
	const char *exit3[] = { "/bin/sh", "-c", "exit 3", NULL };
	const char *streams[] = { "sh", "-c", "echo out; echo err >&2; echo more", NULL };
	const char *killed[] = { "sh", "-c", "kill -9 $$", NULL };
	const char *stdin_null[] = { "sh", "-c", "cat; echo end", NULL };

	ck_assert_int_eq(runner_run(&r, exit3, NULL, 0, &res), 0);
	ck_assert_int_eq(res.status, 3);
	runner_result_free(&res);

	ck_assert_int_eq(runner_run(&r, streams, NULL, 0, &res), 0);
	ck_assert_int_eq(res.status, 0);
	ck_assert_str_eq(res.out, "out\nmore\n");
	ck_assert_str_eq(res.err, "err\n");
	runner_result_free(&res);

	ck_assert_int_eq(runner_run(&r, killed, NULL, 0, &res), 0);
	ck_assert_int_eq(res.status, 128 + SIGKILL);
	runner_result_free(&res);

	/* stdin is /dev/null: cat ends at once */
	ck_assert_int_eq(runner_run(&r, stdin_null, NULL, 0, &res), 0);
	ck_assert_str_eq(res.out, "end\n");
	runner_result_free(&res);
}
END_TEST

START_TEST(real_environment)
{
	struct runner r = real_slash();
	struct skd_run_result res = { 0 };
	const char *argv[] = { "sh", "-c", "echo \"$FOO|$LC_ALL|$LANG|$PATH|${HOME-unset}\"",
	                       NULL };
	const char *env[] = { "FOO=bar baz", "LC_ALL=POSIX", NULL };
	const char *bad[] = { "NOEQUALS", NULL };

	setenv("HOME", "/root", 1);
	ck_assert_int_eq(runner_run(&r, argv, NULL, 0, &res), 0);
	ck_assert_str_eq(res.out, "|C|C|/usr/local/sbin:/usr/local/bin:/usr/sbin:"
	                 "/usr/bin:/sbin:/bin|unset\n");
	runner_result_free(&res);
	/* entries are added, a later KEY= wins */
	ck_assert_int_eq(runner_run(&r, argv, env, 0, &res), 0);
	ck_assert_str_eq(res.out, "bar baz|POSIX|C|/usr/local/sbin:/usr/local/bin:"
	                 "/usr/sbin:/usr/bin:/sbin:/bin|unset\n");
	runner_result_free(&res);
	ck_assert_int_eq(runner_run(&r, argv, bad, 0, &res), -EINVAL);
	ck_assert_ptr_nonnull(strstr(diag_message(), "NOEQUALS"));
}
END_TEST

START_TEST(real_missing_program)
{
	struct runner r = real_slash();
	struct skd_run_result res = { .status = 42 };
	const char *missing[] = { "skd-no-such-program", NULL };
	const char *abs[] = { "/nonexistent/skd-tool", NULL };
	const char *rel[] = { "bin/echo", NULL };
	char *empty_root = tu_copy_tree(NULL);

	ck_assert_int_eq(runner_run(&r, missing, NULL, 0, &res), -ENOENT);
	ck_assert_ptr_nonnull(strstr(diag_message(), "skd-no-such-program"));
	ck_assert_int_eq(res.status, 42);
	ck_assert_int_eq(runner_run(&r, abs, NULL, 0, &res), -ENOENT);
	ck_assert_int_eq(runner_run(&r, rel, NULL, 0, &res), -EINVAL);
	ck_assert_uint_eq(r.n_spawned, 0);

	/* looked up inside the root: the host's echo does not count */
	r.root = empty_root;
	{
		const char *echo[] = { "echo", "x", NULL };
		ck_assert_int_eq(runner_run(&r, echo, NULL, 0, &res), -ENOENT);
		ck_assert_ptr_nonnull(strstr(diag_message(), empty_root));
	}
	ck_assert_uint_eq(r.n_spawned, 0);
	tu_rm_tree(empty_root);
}
END_TEST

START_TEST(real_timeout)
{
	struct runner r = real_slash();
	struct skd_run_result res = { 0 };
	const char *sleeper[] = { "sh", "-c", "echo started; sleep 30", NULL };
	const char *stubborn[] = { "sh", "-c", "trap '' TERM; sleep 30", NULL };
	double t0;

	r.timeout_sec = 1;
	t0 = now();
	ck_assert_int_eq(runner_run(&r, sleeper, NULL, 0, &res), 0);
	ck_assert_int_eq(res.status, 128 + SIGTERM);
	ck_assert_str_eq(res.out, "started\n");
	ck_assert(now() - t0 < 10);
	runner_result_free(&res);

	/* SIGTERM ignored: SIGKILL after the grace period */
	t0 = now();
	ck_assert_int_eq(runner_run(&r, stubborn, NULL, 0, &res), 0);
	ck_assert_int_eq(res.status, 128 + SIGKILL);
	ck_assert(now() - t0 < 15);
	runner_result_free(&res);
}
END_TEST

START_TEST(real_background_child)
{
	struct runner r = real_slash();
	struct skd_run_result res = { 0 };
	/* a daemon that keeps our stdout must not keep us waiting */
	const char *argv[] = { "sh", "-c", "sleep 20 & echo done", NULL };
	double t0 = now();

	ck_assert_int_eq(runner_run(&r, argv, NULL, 0, &res), 0);
	ck_assert_int_eq(res.status, 0);
	ck_assert_str_eq(res.out, "done\n");
	ck_assert(now() - t0 < 5);
	runner_result_free(&res);
}
END_TEST

START_TEST(real_output_cap)
{
	struct runner r = real_slash();
	struct skd_run_result res = { 0 };
	const char *argv[] = { "sh", "-c", "head -c 17000000 /dev/zero; echo tail >&2",
	                       NULL };

	ck_assert_int_eq(runner_run(&r, argv, NULL, 0, &res), 0);
	ck_assert_int_eq(res.status, 0);
	ck_assert_uint_eq(res.out_len, 16u << 20);
	ck_assert_str_eq(res.err, "tail\n");
	runner_result_free(&res);
}
END_TEST

START_TEST(real_chroot)
{
	struct runner r = real_slash();
	struct skd_run_result res = { 0 };
	char *root = tu_copy_tree(NULL), *cmd, *marker;
	const char *argv[] = { "sh", "-c", "test -e /marker && echo inside; pwd", NULL };

	if (geteuid() != 0) {
		tu_rm_tree(root);
		return;         /* chroot needs root; CI runs as root */
	}
	/* a root holding only sh and its libraries, sh under /usr/bin
	 * reached through a relative /bin -> usr/bin link */
	cmd = tu_printf("set -e; cd '%s'; mkdir -p usr/bin; ln -s usr/bin bin; "
	                "cp -L \"$(command -v sh)\" usr/bin/sh; "
	                "for f in $(ldd usr/bin/sh | grep -o '/[^ ]*'); do "
	                "mkdir -p \".$(dirname $f)\"; cp -L \"$f\" \".$f\"; done",
	                root);
	ck_assert_int_eq(system(cmd), 0);
	marker = tu_path(root, "marker");
	tu_write(marker, "");
	r.root = root;
	ck_assert_int_eq(runner_run(&r, argv, NULL, 0, &res), 0);
	ck_assert_int_eq(res.status, 0);
	ck_assert_str_eq(res.out, "inside\n/\n");
	runner_result_free(&res);
	free(marker);
	free(cmd);
	tu_rm_tree(root);
}
END_TEST

START_TEST(fake_mode)
{
	char *tmp = tu_copy_tree(NULL);
	char *fake_dir = tu_path(tmp, "fake"), *log = tu_path(tmp, "cmds.log");
	char *apt = tu_path(tmp, "fake/apt-get"), *noexec = tu_path(tmp, "fake/rpm");
	char *logged, *expect;
	struct runner r = { .mode = RUNNER_FAKE, .root = "/some/root",
	                    .fake_dir = fake_dir, .log_path = log };
	struct skd_run_result res = { 0 };
	const char *install[] = { "/usr/bin/apt-get", "install", "-y", "a b", NULL };
	const char *enable[] = { "systemctl", "enable", "kdump", NULL };
	const char *query[] = { "rpm", "-q", "kexec-tools", NULL };
	const char *env[] = { "DEBIAN_FRONTEND=noninteractive", NULL };

	write_script(apt, "#!/bin/sh\n"
	             "echo \"fake $# $1 $3 root=$SKD_FAKE_ROOT log=${SKD_FAKE_LOG##*/}"
	             " fe=$DEBIAN_FRONTEND lc=$LC_ALL\"\n"
	             "echo oops >&2\n"
	             "exit 4\n");
	tu_write(noexec, "#!/bin/sh\necho should-not-run\n");

	ck_assert_int_eq(runner_run(&r, install, env, SKD_RUN_CHANGES, &res), 0);
	ck_assert_int_eq(res.status, 4);
	ck_assert_str_eq(res.out, "fake 3 install a b root=/some/root log=cmds.log "
	                 "fe=noninteractive lc=C\n");
	ck_assert_str_eq(res.err, "oops\n");
	runner_result_free(&res);

	/* no script: success, no output */
	ck_assert_int_eq(runner_run(&r, enable, NULL, SKD_RUN_CHANGES, &res), 0);
	ck_assert_int_eq(res.status, 0);
	ck_assert_str_eq(res.out, "");
	ck_assert_str_eq(res.err, "");
	runner_result_free(&res);
	/* not executable: the same */
	ck_assert_int_eq(runner_run(&r, query, NULL, 0, &res), 0);
	ck_assert_int_eq(res.status, 0);
	ck_assert_str_eq(res.out, "");
	runner_result_free(&res);

	logged = tu_read(log, NULL);
	expect = "/usr/bin/apt-get install -y 'a b'\n"
	         "systemctl enable kdump\n"
	         "rpm -q kexec-tools\n";
	ck_assert_str_eq(logged, expect);
	ck_assert_uint_eq(r.n_spawned, 1);
	ck_assert_uint_eq(r.n_changing, 2);
	free(logged);
	free(apt);
	free(noexec);
	free(log);
	free(fake_dir);
	tu_rm_tree(tmp);
}
END_TEST

START_TEST(dry_run)
{
	char *tmp = tu_copy_tree(NULL), *target = tu_path(tmp, "touched");
	char *out = NULL, *log = tu_path(tmp, "log");
	size_t out_len = 0;
	FILE *f = open_memstream(&out, &out_len);
	struct runner r = real_slash();
	struct skd_run_result res = { .status = 9 };
	const char *touch[] = { "touch", target, NULL };
	const char *spaced[] = { "systemctl", "enable", "a b", NULL };
	const char *query[] = { "sh", "-c", "echo query", NULL };
	struct stat st;

	r.dry_run = true;
	r.dry_run_out = f;
	ck_assert_int_eq(runner_run(&r, touch, NULL, SKD_RUN_CHANGES, &res), 0);
	ck_assert_int_eq(res.status, 0);
	ck_assert_str_eq(res.out, "");
	runner_result_free(&res);
	ck_assert_int_eq(stat(target, &st), -1);
	ck_assert_int_eq(runner_run(&r, spaced, NULL, SKD_RUN_CHANGES, &res), 0);
	runner_result_free(&res);
	/* commands that only look are still run */
	ck_assert_int_eq(runner_run(&r, query, NULL, 0, &res), 0);
	ck_assert_str_eq(res.out, "query\n");
	runner_result_free(&res);
	fclose(f);
	{
		char *expect = tu_printf("would run: touch %s\n"
		                         "would run: systemctl enable 'a b'\n", target);
		ck_assert_str_eq(out, expect);
		free(expect);
	}
	ck_assert_uint_eq(r.n_spawned, 1);
	ck_assert_uint_eq(r.n_changing, 2);

	/* the recording runner does not log what it did not run */
	free(out);
	out = NULL;
	f = open_memstream(&out, &out_len);
	r.mode = RUNNER_FAKE;
	r.log_path = log;
	r.dry_run_out = f;
	ck_assert_int_eq(runner_run(&r, touch, NULL, SKD_RUN_CHANGES, &res), 0);
	runner_result_free(&res);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(out, "would run: touch "));
	ck_assert_int_eq(stat(log, &st), -1);
	free(out);
	free(log);
	free(target);
	tu_rm_tree(tmp);
}
END_TEST

Suite *skd_runner_suite(void)
{
	Suite *s = suite_create("runner");
	TCase *tc = tcase_create("runner");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, display_quoting);
	tcase_add_test(tc, real_echo);
	tcase_add_test(tc, real_status_and_streams);
	tcase_add_test(tc, real_environment);
	tcase_add_test(tc, real_missing_program);
	tcase_add_test(tc, real_timeout);
	tcase_add_test(tc, real_background_child);
	tcase_add_test(tc, real_output_cap);
	tcase_add_test(tc, real_chroot);
	tcase_add_test(tc, fake_mode);
	tcase_add_test(tc, dry_run);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_runner_suite)
