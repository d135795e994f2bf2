/* SPDX-License-Identifier: Apache-2.0 */
/* The RPM family's pure text helpers: kernel command line parameters,
 * BLS entries and the GRUB environment block, grub.cfg linux lines, and
 * kdumpctl's auto_reset_crashkernel. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "autoreset.h"
#include "bls.h"
#include "capture-build.h"
#include "ck-table.h"
#include "grubcfg.h"
#include "kcmdline.h"
#include "kexec-args.h"
#include "testutil.h"

static char *set(const char *line, const char *value, bool *changed)
{
	char *out = NULL;

	ck_assert_int_eq(kcmdline_set(line, strcspn(line, "\n"), "crashkernel",
	                              value, &out, changed), 0);
	return out;
}

START_TEST(cmdline_get_last)
{
	const char *l = "ro crashkernel=auto quiet crashkernel=256M\n";
	char *v = NULL;

	ck_assert_int_eq(kcmdline_get(l, strlen(l), "crashkernel", &v), 0);
	/* every crashkernel= word, joined with one space (ABI: get) */
	ck_assert_str_eq(v, "auto 256M");
	free(v);
	{
		/* several items: one word each, in place; carried already:
		 * unchanged (issue 19 item 8) */
		bool ch = false;
		char *o = set("ro crashkernel=1G quiet\n", "512M,high 128M,low", &ch);

		ck_assert(ch);
		ck_assert_str_eq(o, "ro crashkernel=512M,high crashkernel=128M,low quiet\n");
		ck_assert_int_eq(kcmdline_get(o, strlen(o), "crashkernel", &v), 0);
		ck_assert_str_eq(v, "512M,high 128M,low");
		free(v);
		free(o);
		o = set("crashkernel=512M,high ro crashkernel=128M,low", "512M,high 128M,low", &ch);
		ck_assert(!ch);
		free(o);
	}
	ck_assert_int_eq(kcmdline_get("ro quiet", 8, "crashkernel", &v), 0);
	ck_assert_ptr_null(v);
	/* a prefix of another parameter is not the parameter */
	ck_assert(!kcmdline_has("crashkernelx=1 kcrashkernel=2", 29, "crashkernel"));
}
END_TEST

START_TEST(cmdline_set)
{
	struct { const char *in, *value, *out; bool changed; } c[] = {
		{ "ro crashkernel=auto quiet\n", "256M", "ro crashkernel=256M quiet\n", true },
		{ "ro crashkernel=256M quiet\n", "256M", "ro crashkernel=256M quiet\n", false },
		{ "ro quiet\n", "256M", "ro quiet crashkernel=256M\n", true },
		{ "ro quiet \n", "1G-:256M", "ro quiet crashkernel=1G-:256M \n", true },
		{ "", "256M", "crashkernel=256M", true },
		{ "crashkernel=1 ro crashkernel=2 q\n", "3", "crashkernel=3 ro q\n", true },
		{ "crashkernel=1 ro crashkernel=2 q\n", NULL, "ro q\n", true },
		{ "ro\tcrashkernel=1 q", NULL, "ro q", true },
		{ "ro q", NULL, "ro q", false },
	};

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		bool changed;
		char *out = set(c[i].in, c[i].value, &changed);
		ck_assert_msg(strcmp(out, c[i].out) == 0, "case %zu: \"%s\"", i, out);
		ck_assert_int_eq(changed, c[i].changed);
		free(out);
	}
}
END_TEST

START_TEST(grubenv)
{
	const char *env = "# GRUB Environment Block\nsaved_entry=abc-5.14\n"
	                  "kernelopts=root=/dev/sda1 ro crashkernel=auto\n####";
	char *v = grubenv_get(env, "kernelopts"), *x;

	ck_assert_str_eq(v, "root=/dev/sda1 ro crashkernel=auto");
	free(v);
	ck_assert_ptr_null(grubenv_get(env, "kernel"));
	x = grubenv_expand("$kernelopts $tuned_params", env);
	ck_assert_str_eq(x, "root=/dev/sda1 ro crashkernel=auto ");
	free(x);
	x = grubenv_expand("a ${saved_entry} b", env);
	ck_assert_str_eq(x, "a abc-5.14 b");
	free(x);
}
END_TEST

START_TEST(bls_entry)
{
	struct bls_entry e;

	ck_assert_int_eq(bls_parse_entry("id-1", "title T\nversion 5.14.0\n"
	                                 "linux /vmlinuz\noptions ro  quiet \n", &e), 0);
	ck_assert_str_eq(e.version, "5.14.0");
	ck_assert_str_eq(e.options, "ro  quiet");
	ck_assert(!e.uses_grubenv);
	free(e.id);
	free(e.version);
	free(e.options);
}
END_TEST

START_TEST(grubcfg_lines)
{
	const char *cfg =
		"menuentry 'A' {\n\tlinux16 /vmlinuz-1 root=x ro crashkernel=256M\n}\n"
		"menuentry 'B' {\n\tlinuxefi /vmlinuz-2 root=x ro crashkernel=auto\n}\n"
		"menuentry 'C' {\n\tlinux /vmlinuz-3 root=x ro\n}\n"
		"# linux16 /not-an-entry crashkernel=1\n";
	struct grubcfg_kernels k;

	ck_assert_int_eq(grubcfg_scan(cfg, "256M", &k), 0);
	ck_assert_uint_eq(k.n, 3);
	ck_assert_uint_eq(k.n_with, 2);
	ck_assert_uint_eq(k.n_equal, 1);
	ck_assert_str_eq(k.first, "256M");
	free(k.first);
}
END_TEST

START_TEST(autoreset_roundtrip)
{
	const char *texts[] = {
		"# auto_reset_crashkernel <yes|no>\nauto_reset_crashkernel yes\npath /var/crash\n",
		"path /var/crash\n",
		"path /var/crash",
		"  auto_reset_crashkernel   yes  # comment\nauto_reset_crashkernel yes\n",
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		char *off = NULL, *again = NULL, *back = NULL;
		bool changed;

		ck_assert(!autoreset_is_off(texts[i]));
		ck_assert_int_eq(autoreset_edit(texts[i], true, &off, &changed), 0);
		ck_assert(changed);
		ck_assert(autoreset_is_off(off));
		ck_assert_ptr_nonnull(strstr(off, "\nauto_reset_crashkernel no\n"));
		ck_assert_int_eq(autoreset_edit(off, true, &again, &changed), 0);
		ck_assert(!changed);
		ck_assert_int_eq(autoreset_edit(off, false, &back, &changed), 0);
		ck_assert(changed);
		if (i == 3)  /* the duplicate line is not restored */
			ck_assert_str_eq(back, "  auto_reset_crashkernel   yes  # comment\n");
		else if (i == 2)
			ck_assert_str_eq(back, "path /var/crash\n");
		else
			ck_assert_str_eq(back, texts[i]);
		free(off);
		free(again);
		free(back);
	}
}
END_TEST

START_TEST(autoreset_admin_no_kept)
{
	const char *t = "auto_reset_crashkernel no\n";
	char *out = NULL;
	bool changed;

	ck_assert(autoreset_is_off(t));
	/* an administrator's own "no" is not ours to undo */
	ck_assert_int_eq(autoreset_edit(t, false, &out, &changed), 0);
	ck_assert(!changed);
	ck_assert_str_eq(out, t);
	free(out);
	ck_assert(!autoreset_is_off("auto_reset_crashkernel no\nauto_reset_crashkernel no\n"));
}
END_TEST

START_TEST(shell_vars)
{
	const char *text =
		"# KDUMP_CMDLINE_APPEND=\"commented\"\n"
		"USE_KDUMP=1\n"
		"KDUMP_CMDLINE_APPEND=\"reset_devices nr_cpus=1\"\n"
		"  export KDUMP_KEXEC_ARGS='-s --debug'\n"
		"EMPTY=\n"
		"BARE=abc def\n"
		"KDUMP_CMDLINE_APPEND=\"irqpoll \\\"q\\\" maxcpus=2\"  # last wins\n";
	char *v;

	v = shell_var_value(text, "KDUMP_CMDLINE_APPEND");
	ck_assert_str_eq(v, "irqpoll \"q\" maxcpus=2");
	free(v);
	v = shell_var_value(text, "KDUMP_KEXEC_ARGS");
	ck_assert_str_eq(v, "-s --debug");
	free(v);
	v = shell_var_value(text, "EMPTY");
	ck_assert_str_eq(v, "");
	free(v);
	v = shell_var_value(text, "BARE");
	ck_assert_str_eq(v, "abc");
	free(v);
	ck_assert_ptr_null(shell_var_value(text, "KDUMP_CMDLINE"));
	ck_assert_ptr_null(shell_var_value(text, "USE"));
}
END_TEST

/* kdumpctl's per-node deltas, written as _crashkernel_add writes them. */
START_TEST(table_add)
{
	static const char *const cases[][3] = {
		{ "2G-4G:256M,4G-64G:320M,64G-:576M", "684",
		  "2G-4G:940M,4G-64G:1004M,64G-:1260M" },
		{ "2G-64G:256M,64G-:512M", "512", "2G-64G:768M,64G-:1G" },
		{ "2G-:448M", "0", "2G-:448M" },
		{ "512M,high", "512", "1G,high" },
		{ "1G-4G:192M@16M,4G-:256M", "64", "1G-4G:256M@16M,4G-:320M" },
		{ "1G-4G:1G", "100", "1G-4G:1124M" },
	};
	char *v;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = ck_table_add(cases[i][0], strtoull(cases[i][1], NULL, 10));
		ck_assert_ptr_nonnull(v);
		ck_assert_str_eq(v, cases[i][2]);
		free(v);
	}
	ck_assert_ptr_null(ck_table_add("2G-4G:", 100));
	ck_assert_ptr_null(ck_table_add("auto", 100));
}
END_TEST

START_TEST(kexec_last_flag)
{
	ck_assert_int_eq(kexec_args_last_flag(NULL), KEXEC_FLAG_NONE);
	ck_assert_int_eq(kexec_args_last_flag(""), KEXEC_FLAG_NONE);
	ck_assert_int_eq(kexec_args_last_flag("--debug"), KEXEC_FLAG_NONE);
	ck_assert_int_eq(kexec_args_last_flag("-s"), KEXEC_FLAG_FILE);
	ck_assert_int_eq(kexec_args_last_flag("--kexec-file-syscall"), KEXEC_FLAG_FILE);
	ck_assert_int_eq(kexec_args_last_flag("--debug -c"), KEXEC_FLAG_LOAD);
	ck_assert_int_eq(kexec_args_last_flag("--kexec-syscall"), KEXEC_FLAG_LOAD);
	ck_assert_int_eq(kexec_args_last_flag("-a"), KEXEC_FLAG_AUTO);
	ck_assert_int_eq(kexec_args_last_flag("\t--kexec-syscall-auto\n"), KEXEC_FLAG_AUTO);
	/* the last one wins; look-alikes are not options */
	ck_assert_int_eq(kexec_args_last_flag("-s -c"), KEXEC_FLAG_LOAD);
	ck_assert_int_eq(kexec_args_last_flag("-c -a  -s"), KEXEC_FLAG_FILE);
	ck_assert_int_eq(kexec_args_last_flag("-sc --kexec-syscalls"), KEXEC_FLAG_NONE);
}
END_TEST

START_TEST(kexec_tools_versions)
{
	ck_assert(!kexec_tools_tries_file_load("1:2.0.25-3+b1"));
	ck_assert(!kexec_tools_tries_file_load("2.0.26"));
	ck_assert(kexec_tools_tries_file_load("1:2.0.27-1"));
	ck_assert(kexec_tools_tries_file_load("1:2.0.28-0ubuntu3"));
	ck_assert(kexec_tools_tries_file_load("2.1.0"));
	ck_assert(kexec_tools_tries_file_load("3.0"));
	ck_assert(!kexec_tools_tries_file_load("garbage"));
}
END_TEST

/* The kernel a GRUB menu boots next (plugins/common/capture-build.c). */
START_TEST(grub_menu_release)
{
	static const char cfg[] =
		"set default=\"0\"\n"
		"menuentry 'Debian GNU/Linux' --class debian $menuentry_id_option 'gnulinux-simple-u' {\n"
		"\tlinux\t/boot/vmlinuz-6.1.0-40-amd64 root=UUID=u ro quiet\n"
		"}\n"
		"submenu 'Advanced options for Debian GNU/Linux' $menuentry_id_option 'gnulinux-advanced-u' {\n"
		"\tmenuentry 'Debian GNU/Linux, with Linux 6.1.0-40-amd64' $menuentry_id_option 'gnulinux-6.1.0-40-amd64-advanced-u' {\n"
		"\t\tlinux\t/boot/vmlinuz-6.1.0-40-amd64 root=UUID=u ro quiet\n"
		"\t}\n"
		"\tmenuentry 'Debian GNU/Linux, with Linux 6.1.0-37-amd64' $menuentry_id_option 'gnulinux-6.1.0-37-amd64-advanced-u' {\n"
		"\t\tlinuxefi /vmlinuz-6.1.0-37-amd64 root=UUID=u ro quiet\n"
		"\t}\n"
		"}\n";
	char *r = NULL;

	/* GRUB_DEFAULT=0 or none: the first entry, the newest kernel */
	ck_assert_int_eq(boot_release_from_grub_cfg(cfg, NULL, &r), 0);
	ck_assert_str_eq(r, "6.1.0-40-amd64");
	free(r);
	/* a saved entry by id, by title, as "submenu>entry" */
	ck_assert_int_eq(boot_release_from_grub_cfg(cfg, "gnulinux-6.1.0-37-amd64-advanced-u", &r), 0);
	ck_assert_str_eq(r, "6.1.0-37-amd64");
	free(r);
	ck_assert_int_eq(boot_release_from_grub_cfg(cfg, "Advanced options for Debian GNU/Linux>"
	                                            "Debian GNU/Linux, with Linux 6.1.0-37-amd64", &r), 0);
	ck_assert_str_eq(r, "6.1.0-37-amd64");
	free(r);
	/* an entry that is not there: the first */
	ck_assert_int_eq(boot_release_from_grub_cfg(cfg, "gone", &r), 0);
	ck_assert_str_eq(r, "6.1.0-40-amd64");
	free(r);
	/* no linux line at all */
	ck_assert_int_eq(boot_release_from_grub_cfg("set timeout=5\n", NULL, &r), 0);
	ck_assert_ptr_null(r);
}
END_TEST

/* A failed build's message keeps the tool's last lines. */
START_TEST(build_last_lines)
{
	char *t = last_lines("W: one\n\nE: two\n  update-initramfs: failed for x with 1.  \n\n", 2);

	ck_assert_str_eq(t, "E: two | update-initramfs: failed for x with 1.");
	free(t);
	t = last_lines("only\n", 3);
	ck_assert_str_eq(t, "only");
	free(t);
	t = last_lines("", 3);
	ck_assert_str_eq(t, "");
	free(t);
}
END_TEST

static Suite *skd_rpmfamily_text_suite(void)
{
	Suite *s = suite_create("rpmfamily-text");
	TCase *tc = tcase_create("text");

	tcase_add_test(tc, cmdline_get_last);
	tcase_add_test(tc, cmdline_set);
	tcase_add_test(tc, grubenv);
	tcase_add_test(tc, bls_entry);
	tcase_add_test(tc, grubcfg_lines);
	tcase_add_test(tc, autoreset_roundtrip);
	tcase_add_test(tc, autoreset_admin_no_kept);
	suite_add_tcase(s, tc);
	/* plugins/common/kexec-args.c, which every backend links */
	tc = tcase_create("kexec-args");
	tcase_add_test(tc, shell_vars);
	tcase_add_test(tc, kexec_last_flag);
	tcase_add_test(tc, table_add);
	tcase_add_test(tc, kexec_tools_versions);
	suite_add_tcase(s, tc);
	/* plugins/common/capture-build.c: the capture initrd (ABI 1.5) */
	tc = tcase_create("capture-build");
	tcase_add_test(tc, grub_menu_release);
	tcase_add_test(tc, build_last_lines);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_rpmfamily_text_suite)
