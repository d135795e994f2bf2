/* SPDX-License-Identifier: Apache-2.0 */
/* GRUB defaults files: the in-place crashkernel= edit (plugins/common),
 * the evaluator of what grub-mkconfig sources and our grub.d drop-in
 * (plugins/debian), the latter checked against a real sh. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <skyhook-kdump/backend.h>

#include "grub-default.h"
#include "grub-dropin.h"
#include "kcmdline.h"
#include "shell-vars.h"
#include "testutil.h"

static char *set(const char *text, const char *var, const char *value,
                 bool *ret_changed)
{
	char *out = NULL;

	ck_assert_int_eq(grubdef_set_crashkernel(text, var, value, &out,
	                                         ret_changed), 0);
	return out;
}

START_TEST(test_get)
{
	char *v = NULL;

	ck_assert_int_eq(grubdef_get_crashkernel(
		"GRUB_CMDLINE_LINUX=\"quiet crashkernel=1G crashkernel=2G-:512M\"\n",
		"GRUB_CMDLINE_LINUX", &v), 0);
	/* every crashkernel= word, joined: one item each (ABI: get) */
	ck_assert_str_eq(v, "1G 2G-:512M");
	free(v);
	{
		/* several items: one word each, and a variable that carries
		 * them already is left as it is, not moved (issue 19 item 8) */
		const char *t = "GRUB_CMDLINE_LINUX=\"crashkernel=1G quiet\"\n";
		bool ch = true;
		char *o = set(t, "GRUB_CMDLINE_LINUX", "512M,high 128M,low", &ch);

		ck_assert(ch);
		ck_assert_str_eq(o, "GRUB_CMDLINE_LINUX=\"quiet crashkernel=512M,high crashkernel=128M,low\"\n");
		ck_assert_int_eq(grubdef_get_crashkernel(o, "GRUB_CMDLINE_LINUX", &v), 0);
		ck_assert_str_eq(v, "512M,high 128M,low");
		free(v);
		free(o);
		t = "GRUB_CMDLINE_LINUX=\"crashkernel=1G-4G:192M resume=x\"\n";
		o = set(t, "GRUB_CMDLINE_LINUX", "1G-4G:192M", &ch);
		ck_assert(!ch);
		ck_assert_str_eq(o, t);
		free(o);
		o = set("GRUB_TIMEOUT=5\n", "GRUB_CMDLINE_LINUX", "512M,high 128M,low", &ch);
		ck_assert_str_eq(o, "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"crashkernel=512M,high crashkernel=128M,low\"\n");
		free(o);
	}
	/* the last assignment counts */
	ck_assert_int_eq(grubdef_get_crashkernel(
		"GRUB_CMDLINE_LINUX=\"crashkernel=1G\"\n"
		"export GRUB_CMDLINE_LINUX='quiet'\n", "GRUB_CMDLINE_LINUX", &v), 0);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(grubdef_get_crashkernel("GRUB_TIMEOUT=5\n",
		"GRUB_CMDLINE_LINUX", &v), -ENOENT);
	/* another variable with the same prefix is not ours */
	ck_assert_int_eq(grubdef_get_crashkernel(
		"GRUB_CMDLINE_LINUX_DEFAULT=\"crashkernel=1G\"\n",
		"GRUB_CMDLINE_LINUX", &v), -ENOENT);
}
END_TEST

START_TEST(test_set_preserves_bytes)
{
	const char *in =
		"# comment with crashkernel=9G\n"
		"GRUB_DEFAULT=0\n"
		"GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
		"GRUB_CMDLINE_LINUX=\"console=ttyS0,115200n8  crashkernel=auto rd.lvm.lv=cs/root\"   # keep\n"
		"GRUB_DISABLE_RECOVERY=\"true\"";
	bool changed;
	char *out = set(in, "GRUB_CMDLINE_LINUX", "1G-4G:192M,4G-:256M", &changed);

	ck_assert(changed);
	ck_assert_str_eq(out,
		"# comment with crashkernel=9G\n"
		"GRUB_DEFAULT=0\n"
		"GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
		"GRUB_CMDLINE_LINUX=\"console=ttyS0,115200n8 rd.lvm.lv=cs/root crashkernel=1G-4G:192M,4G-:256M\"   # keep\n"
		"GRUB_DISABLE_RECOVERY=\"true\"");
	/* again: nothing to do */
	char *again = set(out, "GRUB_CMDLINE_LINUX", "1G-4G:192M,4G-:256M", &changed);
	ck_assert(!changed);
	ck_assert_str_eq(again, out);
	free(again);
	/* removing takes out only the token */
	again = set(out, "GRUB_CMDLINE_LINUX", NULL, &changed);
	ck_assert(changed);
	ck_assert_str_eq(again,
		"# comment with crashkernel=9G\n"
		"GRUB_DEFAULT=0\n"
		"GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
		"GRUB_CMDLINE_LINUX=\"console=ttyS0,115200n8 rd.lvm.lv=cs/root\"   # keep\n"
		"GRUB_DISABLE_RECOVERY=\"true\"");
	free(again);
	free(out);
}
END_TEST

START_TEST(test_set_forms)
{
	bool changed;
	char *out;

	/* leading token, duplicates */
	out = set("GRUB_CMDLINE_LINUX=\"crashkernel=auto  quiet crashkernel=1G\"\n",
	          "GRUB_CMDLINE_LINUX", "256M", &changed);
	ck_assert_str_eq(out, "GRUB_CMDLINE_LINUX=\"quiet crashkernel=256M\"\n");
	free(out);
	/* empty value */
	out = set("GRUB_CMDLINE_LINUX=\"\"\n", "GRUB_CMDLINE_LINUX", "256M", &changed);
	ck_assert_str_eq(out, "GRUB_CMDLINE_LINUX=\"crashkernel=256M\"\n");
	free(out);
	/* single quotes stay */
	out = set("GRUB_CMDLINE_LINUX='a'\n", "GRUB_CMDLINE_LINUX", "1G", &changed);
	ck_assert_str_eq(out, "GRUB_CMDLINE_LINUX='a crashkernel=1G'\n");
	free(out);
	/* an unquoted word gets quotes once it holds a blank */
	out = set("GRUB_CMDLINE_LINUX=quiet\n", "GRUB_CMDLINE_LINUX", "1G", &changed);
	ck_assert_str_eq(out, "GRUB_CMDLINE_LINUX=\"quiet crashkernel=1G\"\n");
	free(out);
	/* a value over two lines */
	out = set("GRUB_CMDLINE_LINUX=\"a\nb crashkernel=2G\"\nX=1\n",
	          "GRUB_CMDLINE_LINUX", "1G", &changed);
	ck_assert_str_eq(out, "GRUB_CMDLINE_LINUX=\"a\nb crashkernel=1G\"\nX=1\n");
	free(out);
	/* absent: added at the end, with the missing newline */
	out = set("GRUB_TIMEOUT=5", "GRUB_CMDLINE_LINUX", "1G", &changed);
	ck_assert(changed);
	ck_assert_str_eq(out, "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"crashkernel=1G\"\n");
	free(out);
	/* absent and removing: unchanged */
	out = set("GRUB_TIMEOUT=5\n", "GRUB_CMDLINE_LINUX", NULL, &changed);
	ck_assert(!changed);
	free(out);
	/* refused: a value that would break the quoting, a mixed word */
	ck_assert_int_eq(grubdef_set_crashkernel("GRUB_CMDLINE_LINUX=\"\"\n",
		"GRUB_CMDLINE_LINUX", "1G\" x", &out, &changed), -SKD_E_INVALID);
	ck_assert_int_eq(grubdef_set_crashkernel("GRUB_CMDLINE_LINUX=a\"b c\"\n",
		"GRUB_CMDLINE_LINUX", "1G", &out, &changed), -SKD_E_INVALID);
	/* refused: more commands after the value; "&" runs the assignment
	 * in a subshell, where it sets nothing */
	ck_assert_int_eq(grubdef_set_crashkernel("GRUB_CMDLINE_LINUX=a&b\n",
		"GRUB_CMDLINE_LINUX", "1G", &out, &changed), -SKD_E_INVALID);
	ck_assert_int_eq(grubdef_set_crashkernel("GRUB_CMDLINE_LINUX=\"a\" | b\n",
		"GRUB_CMDLINE_LINUX", "1G", &out, &changed), -SKD_E_INVALID);
	ck_assert_int_eq(grubdef_set_crashkernel("GRUB_CMDLINE_LINUX=a; b=1\n",
		"GRUB_CMDLINE_LINUX", NULL, &out, &changed), -SKD_E_INVALID);
	/* a '#' inside the word is part of the value, a comment after it is not */
	out = set("GRUB_CMDLINE_LINUX=a#b\n", "GRUB_CMDLINE_LINUX", "1G", &changed);
	ck_assert_str_eq(out, "GRUB_CMDLINE_LINUX=\"a#b crashkernel=1G\"\n");
	free(out);
	out = set("GRUB_CMDLINE_LINUX=\"a\" # b\n", "GRUB_CMDLINE_LINUX", "1G", &changed);
	ck_assert_str_eq(out, "GRUB_CMDLINE_LINUX=\"a crashkernel=1G\" # b\n");
	free(out);
}
END_TEST

/* Evaluate texts in order; *ret_why set on failure. */
static int eval(const char *const *texts, const char *name, char **ret_value,
                char **ret_why)
{
	struct shvars *v;
	const char *val = NULL, *why = NULL;
	int r = 0;

	*ret_why = NULL;
	*ret_value = NULL;
	ck_assert_int_eq(shvars_new(&v), 0);
	for (size_t i = 0; texts[i] && r == 0; i++) {
		char *file = tu_printf("/f%zu", i);
		r = shvars_source(v, file, texts[i], ret_why);
		free(file);
	}
	if (r == 0) {
		r = shvars_get(v, name, &val, &why);
		if (r == 0 && val)
			*ret_value = strdup(val);
		else if (r < 0)
			*ret_why = strdup(why);
	}
	shvars_free(v);
	return r;
}

START_TEST(test_eval_forms)
{
	const char *const t1[] = {
		"# defaults\n"
		"GRUB_DISTRIBUTOR=`lsb_release -i -s 2> /dev/null || echo Debian`\n"
		"GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n"
		"export GRUB_CMDLINE_LINUX='a b'  # comment\n"
		"A=1 B=\"$A\"x; C=${B}\\ y\n",
		"GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT crashkernel=384M-:128M\"\n",
		"GRUB_CMDLINE_LINUX_DEFAULT=\"$GRUB_CMDLINE_LINUX_DEFAULT \\\"q\\\" \\$HOME\"\n",
		NULL,
	};
	char *v, *why;

	ck_assert_int_eq(eval(t1, "GRUB_CMDLINE_LINUX_DEFAULT", &v, &why), 0);
	ck_assert_str_eq(v, "quiet crashkernel=384M-:128M \"q\" $HOME");
	free(v);
	ck_assert_int_eq(eval(t1, "GRUB_CMDLINE_LINUX", &v, &why), 0);
	ck_assert_str_eq(v, "a b");
	free(v);
	ck_assert_int_eq(eval(t1, "C", &v, &why), 0);
	ck_assert_str_eq(v, "1x y");
	free(v);
	ck_assert_int_eq(eval(t1, "UNSET", &v, &why), 0);
	ck_assert_ptr_null(v);
	/* a command substitution: unknown, said with file and line */
	ck_assert_int_eq(eval(t1, "GRUB_DISTRIBUTOR", &v, &why), -SKD_E_INVALID);
	ck_assert_ptr_nonnull(strstr(why, "/f0:2:"));
	free(why);
}
END_TEST

START_TEST(test_eval_unknown_spreads)
{
	const char *const t[] = {
		"X=$(uname -r)\n",
		"GRUB_CMDLINE_LINUX=\"a $X\"\n",
		NULL,
	};
	const char *const t2[] = { "GRUB_CMDLINE_LINUX=\"${X:-quiet}\"\n", NULL };
	char *v, *why;

	ck_assert_int_eq(eval(t, "GRUB_CMDLINE_LINUX", &v, &why), -SKD_E_INVALID);
	ck_assert_ptr_nonnull(strstr(why, "/f0:1:"));
	free(why);
	ck_assert_int_eq(eval(t2, "GRUB_CMDLINE_LINUX", &v, &why), -SKD_E_INVALID);
	free(why);
}
END_TEST

START_TEST(test_eval_refuses_statements)
{
	static const char *const bad[] = {
		"if [ -e /x ]; then A=1; fi\n",
		"A=1\n. /etc/other\n",
		"A=1 && B=2\n",
		"A=1 cmd\n",
		"A=\"unterminated\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *const t[] = { bad[i], NULL };
		char *v, *why;

		ck_assert_int_eq(eval(t, "A", &v, &why), -SKD_E_INVALID);
		ck_assert_ptr_nonnull(strstr(why, "/f0:"));
		free(why);
	}
}
END_TEST

/* What the C model of our drop-in computes equals what sh computes. */
START_TEST(test_dropin_matches_sh)
{
	static const char *const cases[][2] = {
		{ "", "" },
		{ "crashkernel=auto rd.lvm.lv=x", "quiet crashkernel=384M-:128M" },
		{ "a  b\tc", "console=tty1 console=ttyS0 crashkernel=1G crashkernel=2G" },
		{ "glob=* * x=[ab]", "crashkernel=1G" },
	};
	char *dir = tu_copy_tree(NULL);
	char *text, *value;

	ck_assert_int_eq(grub_dropin_text("1G-4G:192M,4G-:256M", &text), 0);
	ck_assert_int_eq(grub_dropin_value(text, &value), 0);
	ck_assert_str_eq(value, "1G-4G:192M,4G-:256M");
	char *path = tu_path(dir, "zz-skyhook-kdump.cfg");
	tu_write(path, text);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = tu_path(dir, "out");
		/* sourced twice: the result must not change; globbing and
		 * the variables we use must be as before */
		char *cmd = tu_printf(
			"GRUB_CMDLINE_LINUX='%s'; GRUB_CMDLINE_LINUX_DEFAULT='%s'; "
			"cd '%s' && . ./zz-skyhook-kdump.cfg && . ./zz-skyhook-kdump.cfg && "
			"printf '%%s\\n%%s\\n%%s%%s\\n' \"$GRUB_CMDLINE_LINUX\" "
			"\"$GRUB_CMDLINE_LINUX_DEFAULT\" \"$-\" \"${skd_args-unset}\" > '%s'",
			cases[i][0], cases[i][1], dir, out);
		ck_assert_int_eq(system(cmd), 0);
		char *got = tu_read(out, NULL), *lin, *def;
		ck_assert_int_eq(grub_dropin_strip(cases[i][0], NULL, &lin), 0);
		ck_assert_int_eq(grub_dropin_strip(cases[i][1], value, &def), 0);
		char *expect = tu_printf("%s\n%s\n", lin, def);
		ck_assert_int_eq(strncmp(got, expect, strlen(expect)), 0);
		ck_assert_ptr_null(strchr(got + strlen(expect), 'f'));
		ck_assert_ptr_nonnull(strstr(got + strlen(expect), "unset"));
		free(expect);
		free(lin);
		free(def);
		free(got);
		free(cmd);
		free(out);
	}
	/* the drop-in passes sh -n */
	char *cmd = tu_printf("sh -n '%s'", path);
	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	ck_assert(grub_dropin_is_ours("/etc/default/grub.d/zz-skyhook-kdump.cfg"));
	ck_assert(!grub_dropin_is_ours("/etc/default/grub.d/kdump-tools.cfg"));
	ck_assert_int_eq(grub_dropin_value("GRUB_X=1\n", &value), -SKD_E_INVALID);
	free(path);
	free(value);
	free(text);
	tu_rm_tree(dir);
}
END_TEST

/* ---- candidates checked before they are written ------------------- */

#define GOOD "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet splash\"\n"

START_TEST(test_verify_accepts_our_edits)
{
	char *out = NULL;
	bool changed;

	ck_assert_int_eq(grubdef_verify_edit(GOOD,
	    "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet splash crashkernel=512M\"\n",
	    "GRUB_CMDLINE_LINUX", "512M"), 0);
	/* removal, and the variable added where it was missing */
	ck_assert_int_eq(grubdef_verify_edit(
	    "GRUB_CMDLINE_LINUX=\"crashkernel=1G quiet\"\n",
	    "GRUB_CMDLINE_LINUX=\"quiet\"\n", "GRUB_CMDLINE_LINUX", NULL), 0);
	ck_assert_int_eq(grubdef_verify_edit("GRUB_TIMEOUT=5",
	    "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"crashkernel=1G\"\n",
	    "GRUB_CMDLINE_LINUX", "1G"), 0);
	/* compound commands and substitutions that parse */
	ck_assert_int_eq(grubdef_check_syntax(
	    "if [ -e /x ]; then\n\tA=\"$(cat /x | tr -d '\"')\"\nfi\n"
	    "case $- in *f*) B= ;; *) B=1 ;; esac\n"
	    "for a in $X; do C=\"${C:+$C }$a\"; done # done\n{ D=1; }\n"
	    "if true; then (E=1); fi\nF=\"`echo \"x\"`\"\n"), 0);
	/* the editor's own output passes through the same check */
	ck_assert_int_eq(grubdef_set_crashkernel(GOOD, "GRUB_CMDLINE_LINUX",
	                                         "256M", &out, &changed), 0);
	ck_assert(changed);
	free(out);
	/* our drop-in parses */
	ck_assert_int_eq(grub_dropin_text("512M", &out), 0);
	ck_assert_int_eq(grubdef_check_syntax(out), 0);
	free(out);
}
END_TEST

/* What a buggy editor could produce, fed to the check directly. */
START_TEST(test_verify_refuses_broken_edits)
{
	static const struct {
		const char *new, *why;
	} bad[] = {
		/* a quote lost: no longer parses */
		{ "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet splash crashkernel=512M\n",
		  "would not parse" },
		/* another variable moved */
		{ "GRUB_TIMEOUT=0\nGRUB_CMDLINE_LINUX=\"quiet splash crashkernel=512M\"\n",
		  "more than the value" },
		/* another word of ours changed */
		{ "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet crashkernel=512M\"\n",
		  "other words" },
		/* the token twice, or another value */
		{ "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet splash crashkernel=1G crashkernel=512M\"\n",
		  "exactly" },
		{ "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet splash crashkernel=1G\"\n",
		  "exactly" },
		/* a line added after it */
		{ "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet splash crashkernel=512M\"\nX=1\n",
		  "more than the value" },
		/* the assignment gone */
		{ "GRUB_TIMEOUT=5\n", "no longer be assigned" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(grubdef_verify_edit(GOOD, bad[i].new, "GRUB_CMDLINE_LINUX",
		                                  "512M") == -SKD_E_FAILED, "case %zu", i);
		ck_assert_msg(strstr(grubdef_refusal(), bad[i].why), "case %zu: %s", i,
		              grubdef_refusal());
	}
}
END_TEST

/* A file that is already broken is not edited at all. */
START_TEST(test_set_refuses_unparsable_files)
{
	static const char *const broken[] = {
		"GRUB_CMDLINE_LINUX=\"quiet\"\nGRUB_TERMINAL=\"console\n",
		"GRUB_CMDLINE_LINUX=\"quiet\"\nGRUB_X='a\n",
		"GRUB_CMDLINE_LINUX=\"quiet\"\nif true; then\nGRUB_X=1\n",
		"GRUB_CMDLINE_LINUX=\"quiet\"\nfi\n",
		"GRUB_CMDLINE_LINUX=\"quiet\"\nGRUB_X=$(cat /x\n",
		"GRUB_CMDLINE_LINUX=\"quiet\"\nGRUB_X=${Y\n",
		"GRUB_CMDLINE_LINUX=\"quiet\"\nGRUB_X=`cat /x\n",
		"GRUB_CMDLINE_LINUX=\"quiet\"\ncat <<EOF\nx\nEOF\n",
		"GRUB_CMDLINE_LINUX=\"quiet\"\ncase x in\n",
		"GRUB_CMDLINE_LINUX=\"quiet\"\nfor a in b; do\n",
	};

	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		char *out = NULL;
		bool changed = false;

		ck_assert_msg(grubdef_set_crashkernel(broken[i], "GRUB_CMDLINE_LINUX",
		                                      "512M", &out, &changed) == -SKD_E_FAILED,
		              "case %zu", i);
		ck_assert_ptr_null(out);
		ck_assert_msg(strstr(grubdef_refusal(), "does not parse"), "case %zu: %s",
		              i, grubdef_refusal());
	}
}
END_TEST

/* /etc/kernel/cmdline and BLS options: only our parameter may move. */
START_TEST(test_kcmdline_verify)
{
	const char *line = "root=/dev/sda1 ro crashkernel=1G quiet\n";
	size_t len = strcspn(line, "\n");
	char *out = NULL;
	bool changed;

	ck_assert_int_eq(kcmdline_set(line, len, "crashkernel", "512M", &out, &changed), 0);
	ck_assert_str_eq(out, "root=/dev/sda1 ro crashkernel=512M quiet\n");
	ck_assert(kcmdline_verify(line, len, out, "crashkernel", "512M"));
	free(out);
	ck_assert(kcmdline_verify(line, len, "root=/dev/sda1 ro quiet\n", "crashkernel", NULL));
	/* an editor bug: another parameter lost, moved or changed */
	ck_assert(!kcmdline_verify(line, len, "root=/dev/sda1 crashkernel=512M quiet\n",
	                           "crashkernel", "512M"));
	ck_assert(!kcmdline_verify(line, len, "ro root=/dev/sda1 crashkernel=512M quiet\n",
	                           "crashkernel", "512M"));
	/* ours twice, wrong, or left behind by a removal */
	ck_assert(!kcmdline_verify(line, len, "root=/dev/sda1 ro crashkernel=512M quiet crashkernel=512M\n",
	                           "crashkernel", "512M"));
	ck_assert(!kcmdline_verify(line, len, "root=/dev/sda1 ro crashkernel=512MB quiet\n",
	                           "crashkernel", "512M"));
	ck_assert(!kcmdline_verify(line, len, "root=/dev/sda1 ro crashkernel=1G quiet\n",
	                           "crashkernel", NULL));
	/* a second line appears, or what follows the command line changes */
	ck_assert(!kcmdline_verify(line, len, "root=/dev/sda1 ro\ncrashkernel=512M quiet\n",
	                           "crashkernel", "512M"));
	ck_assert(!kcmdline_verify(line, len, "root=/dev/sda1 ro crashkernel=512M quiet",
	                           "crashkernel", "512M"));
}
END_TEST

static Suite *skd_grub_default_suite(void)
{
	Suite *s = suite_create("grub-default");
	TCase *tc = tcase_create("edit");

	tcase_add_test(tc, test_get);
	tcase_add_test(tc, test_set_preserves_bytes);
	tcase_add_test(tc, test_set_forms);
	suite_add_tcase(s, tc);
	tc = tcase_create("verify");
	tcase_add_test(tc, test_verify_accepts_our_edits);
	tcase_add_test(tc, test_verify_refuses_broken_edits);
	tcase_add_test(tc, test_set_refuses_unparsable_files);
	tcase_add_test(tc, test_kcmdline_verify);
	suite_add_tcase(s, tc);
	tc = tcase_create("evaluate");
	tcase_add_test(tc, test_eval_forms);
	tcase_add_test(tc, test_eval_unknown_spreads);
	tcase_add_test(tc, test_eval_refuses_statements);
	tcase_add_test(tc, test_dropin_matches_sh);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_grub_default_suite)
