/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "diff.h"
#include "kdumpconf.h"
#include "testutil.h"

#define WHAT "configmap 'kdump.conf'"
#define SHELL SKD_CONFIG_SHELL_VARS
#define DIRS SKD_CONFIG_DIRECTIVES

/* The directive example of the upstream package's README. */
static const char readme_directives[] =
	"path /var/crash\n"
	"core_collector makedumpfile -l --message-level 1 -d 31\n";

/* The kdump-tools example of the upstream package's README, as the
 * configmap value (YAML block indentation removed). */
static const char readme_shell[] =
	"# kdump-tools configuration\n"
	"# ---------------------------------------------------------------------------\n"
	"# USE_KDUMP - controls kdump will be configured\n"
	"#     0 - kdump kernel will not be loaded\n"
	"#     1 - kdump kernel will be loaded and kdump is configured\n"
	"#\n"
	"USE_KDUMP=1\n"
	"\n"
	"\n"
	"# ---------------------------------------------------------------------------\n"
	"# Kdump Kernel:\n"
	"# KDUMP_KERNEL - A full pathname to a kdump kernel.\n"
	"# KDUMP_INITRD - A full pathname to the kdump initrd (if used).\n"
	"#     If these are not set, kdump-config will try to use the current kernel\n"
	"#     and initrd if it is relocatable.  Otherwise, you will need to specify\n"
	"#     these manually.\n"
	"KDUMP_KERNEL=/var/lib/kdump/vmlinuz\n"
	"KDUMP_INITRD=/var/lib/kdump/initrd.img\n"
	"\n"
	"\n"
	"# ---------------------------------------------------------------------------\n"
	"# vmcore Handling:\n"
	"# KDUMP_COREDIR - local path to save the vmcore to.\n"
	"# KDUMP_FAIL_CMD - This variable can be used to cause a reboot or\n"
	"#     start a shell if saving the vmcore fails.  If not set, \"reboot -f\"\n"
	"#     is the default.\n"
	"#     Example - start a shell if the vmcore copy fails:\n"
	"#         KDUMP_FAIL_CMD=\"echo 'makedumpfile FAILED.'; /bin/bash; reboot -f\"\n"
	"# KDUMP_DUMP_DMESG - This variable controls if the dmesg buffer is dumped.\n"
	"#     If unset or set to 1, the dmesg buffer is dumped. If set to 0, the dmesg\n"
	"#     buffer is not dumped.\n"
	"# KDUMP_NUM_DUMPS - This variable controls how many dump files are kept on\n"
	"#     the machine to prevent running out of disk space. If set to 0 or unset,\n"
	"#     the variable is ignored and no dump files are automatically purged.\n"
	"# KDUMP_COMPRESSION - Compress the dumpfile. No compression is used by default.\n"
	"#     Supported compressions: bzip2, gzip, lz4, xz\n"
	"KDUMP_COREDIR=\"/var/crash\"\n"
	"#KDUMP_FAIL_CMD=\"reboot -f\"\n"
	"#KDUMP_DUMP_DMESG=\n"
	"#KDUMP_NUM_DUMPS=\n"
	"#KDUMP_COMPRESSION=\n"
	"\n"
	"\n"
	"# ---------------------------------------------------------------------------\n"
	"# Makedumpfile options:\n"
	"# MAKEDUMP_ARGS - extra arguments passed to makedumpfile (8).  The default,\n"
	"#     if unset, is to pass '-c -d 31' telling makedumpfile to use compression\n"
	"#     and reduce the corefile to in-use kernel pages only.\n"
	"#MAKEDUMP_ARGS=\"-c -d 31\"\n"
	"\n"
	"\n"
	"# ---------------------------------------------------------------------------\n"
	"# Kexec/Kdump args\n"
	"# KDUMP_KEXEC_ARGS - Additional arguments to the kexec command used to load\n"
	"#     the kdump kernel\n"
	"#     Example - Use this option on x86 systems with PAE and more than\n"
	"#     4 gig of memory:\n"
	"#         KDUMP_KEXEC_ARGS=\"--elf64-core-headers\"\n"
	"# KDUMP_CMDLINE - The default is to use the contents of /proc/cmdline.\n"
	"#     Set this variable to override /proc/cmdline.\n"
	"# KDUMP_CMDLINE_APPEND - Additional arguments to append to the command line\n"
	"#     for the kdump kernel.  If unset, it defaults to\n"
	"#     \"reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll nousb\"\n"
	"#KDUMP_KEXEC_ARGS=\"\"\n"
	"#KDUMP_CMDLINE=\"\"\n"
	"#KDUMP_CMDLINE_APPEND=\"reset_devices systemd.unit=kdump-tools-dump.service nr_cpus=1 irqpoll nousb\"\n"
	"\n"
	"\n"
	"# ---------------------------------------------------------------------------\n"
	"# Architecture specific Overrides:\n"
	"\n"
	"# ---------------------------------------------------------------------------\n"
	"# Remote dump facilities:\n"
	"# HOSTTAG - Select if hostname of IP address will be used as a prefix to the\n"
	"#           timestamped directory when sending files to the remote server.\n"
	"#           'ip' is the default.\n"
	"#HOSTTAG=\"hostname|[ip]\"\n"
	"\n"
	"# NFS -     Hostname and mount point of the NFS server configured to receive\n"
	"#           the crash dump. The syntax must be {HOSTNAME}:{MOUNTPOINT}\n"
	"#           (e.g. remote:/var/crash)\n"
	"# NFS_TIMEO - Timeout before NFS retries a request. See man nfs(5) for details.\n"
	"# NFS_RETRANS - Number of times NFS client retries a request. See man nfs(5) for details.\n"
	"#NFS=\"<nfs mount>\"\n"
	"#NFS_TIMEO=\"600\"\n"
	"#NFS_RETRANS=\"3\"\n"
	"\n"
	"# FTP - Hostname and path of the FTP server configured to receive the crash dump.\n"
	"#       The syntax is {HOSTNAME}[:{PATH}] with PATH defaulting to /.\n"
	"# FTP_USER - FTP username. A anonomous upload will be used if not set.\n"
	"# FTP_PASSWORD - password for the FTP user\n"
	"# FTP_PORT=21 - FTP port. Port 21 will be used by default.\n"
	"#FTP=\"<server>:<path>\"\n"
	"#FTP_USER=\"\"\n"
	"#FTP_PASSWORD=\"\"\n"
	"#FTP_PORT=21\n"
	"\n"
	"# SSH - username and hostname of the remote server that will receive the dump\n"
	"#       and dmesg files.\n"
	"# SSH_KEY - Full path of the ssh private key to be used to login to the remote\n"
	"#           server. use kdump-config propagate to send the public key to the\n"
	"#           remote server\n"
	"#SSH=\"<user at server>\"\n"
	"#SSH_KEY=\"<path>\"\n";

static struct kdump_config *parse_ok(const char *text)
{
	struct kdump_config *c = NULL;
	int r = kdumpconf_parse(text, strlen(text), WHAT, &c);

	ck_assert_msg(r == 0, "parse failed (%d): %s", r, diag_message());
	return c;
}

static char *render_ok(const struct kdump_config *c, int fmt, char **notes)
{
	char *text = NULL;
	int r = kdumpconf_render(c, fmt, WHAT, &text, notes);

	ck_assert_msg(r == 0, "render failed (%d): %s", r, diag_message());
	return text;
}

static void assert_setting(const struct kdump_config *c, size_t i,
                           const char *key, const char *value, unsigned line)
{
	ck_assert_uint_lt(i, c->n_settings);
	ck_assert_str_eq(c->settings[i].key, key);
	ck_assert_str_eq(c->settings[i].value, value);
	ck_assert_uint_eq(c->settings[i].line, line);
}

/* ---- the README examples --------------------------------------------- */

START_TEST(readme_directive_example)
{
	struct kdump_config *c = parse_ok(readme_directives), *back;
	char *notes = NULL, *same, *shell, *again;

	ck_assert_int_eq(c->format, DIRS);
	ck_assert_uint_eq(c->n_settings, 2);
	assert_setting(c, 0, "path", "/var/crash", 1);
	assert_setting(c, 1, "core_collector", "makedumpfile -l --message-level 1 -d 31", 2);

	same = render_ok(c, DIRS, NULL);
	ck_assert_str_eq(same, readme_directives);

	shell = render_ok(c, SHELL, &notes);
	ck_assert_str_eq(shell,
		"# /etc/default/kdump-tools: translated by skyhook-kdump from the directive format of /etc/kdump.conf (" WHAT ")\n"
		"USE_KDUMP=1\n"
		"KDUMP_KERNEL=/var/lib/kdump/vmlinuz\n"
		"KDUMP_INITRD=/var/lib/kdump/initrd.img\n"
		"KDUMP_COREDIR=\"/var/crash\"\n"
		"MAKEDUMP_ARGS=\"-l --message-level 1 -d 31\"\n");
	ck_assert_str_eq(notes,
		"added: USE_KDUMP=1 KDUMP_KERNEL=/var/lib/kdump/vmlinuz KDUMP_INITRD=/var/lib/kdump/initrd.img (the kdump-tools defaults, which kdump.conf implies)\n"
		"line 1: path /var/crash -> KDUMP_COREDIR=/var/crash\n"
		"line 2: core_collector makedumpfile -l --message-level 1 -d 31 -> MAKEDUMP_ARGS=-l --message-level 1 -d 31\n");

	/* and back: the same two directives */
	back = parse_ok(shell);
	ck_assert_int_eq(back->format, SHELL);
	again = render_ok(back, DIRS, NULL);
	ck_assert_str_eq(again,
		"# /etc/kdump.conf: translated by skyhook-kdump from the KEY=value format of /etc/default/kdump-tools (" WHAT ")\n"
		"path /var/crash\n"
		"core_collector makedumpfile -l --message-level 1 -d 31\n");
	free(again);
	kdumpconf_free(back);
	free(shell);
	free(notes);
	free(same);
	kdumpconf_free(c);
}
END_TEST

START_TEST(readme_shell_example)
{
	struct kdump_config *c = parse_ok(readme_shell), *back;
	char *notes = NULL, *same, *dirs, *shell;

	ck_assert_int_eq(c->format, SHELL);
	ck_assert_uint_eq(c->n_settings, 4);
	assert_setting(c, 0, "USE_KDUMP", "1", 7);
	assert_setting(c, 1, "KDUMP_KERNEL", "/var/lib/kdump/vmlinuz", 17);
	assert_setting(c, 2, "KDUMP_INITRD", "/var/lib/kdump/initrd.img", 18);
	assert_setting(c, 3, "KDUMP_COREDIR", "/var/crash", 37);
	ck_assert(!kdumpconf_has_secrets(c));

	same = render_ok(c, SHELL, NULL);
	ck_assert_str_eq(same, readme_shell);

	dirs = render_ok(c, DIRS, &notes);
	ck_assert_str_eq(dirs,
		"# /etc/kdump.conf: translated by skyhook-kdump from the KEY=value format of /etc/default/kdump-tools (" WHAT ")\n"
		"path /var/crash\n");
	ck_assert_str_eq(notes,
		"line 7: USE_KDUMP=1 dropped: kdump is on whenever the kdump service is enabled\n"
		"line 17: KDUMP_KERNEL=/var/lib/kdump/vmlinuz dropped: kdumpctl uses the running kernel\n"
		"line 18: KDUMP_INITRD=/var/lib/kdump/initrd.img dropped: kdumpctl builds its own initramfs\n"
		"line 37: KDUMP_COREDIR=/var/crash -> path /var/crash\n");

	back = parse_ok(dirs);
	shell = render_ok(back, SHELL, NULL);
	ck_assert_str_eq(shell,
		"# /etc/default/kdump-tools: translated by skyhook-kdump from the directive format of /etc/kdump.conf (" WHAT ")\n"
		"USE_KDUMP=1\n"
		"KDUMP_KERNEL=/var/lib/kdump/vmlinuz\n"
		"KDUMP_INITRD=/var/lib/kdump/initrd.img\n"
		"KDUMP_COREDIR=\"/var/crash\"\n");
	free(shell);
	kdumpconf_free(back);
	free(dirs);
	free(notes);
	free(same);
	kdumpconf_free(c);
}
END_TEST

/* ---- real files --------------------------------------------------------- */

/* Parse every <base>/<dir>/<rel> as `fmt`; returns how many there were. */
static unsigned parse_each(const char *base, const char *rel, int fmt)
{
	DIR *d = opendir(base);
	struct dirent *e;
	unsigned n = 0;

	ck_assert_msg(d != NULL, "cannot open %s", base);
	while ((e = readdir(d))) {
		char *path, *data;
		size_t len;
		struct kdump_config *c = NULL;
		char *dirs = NULL;

		if (e->d_name[0] == '.')
			continue;
		path = tu_printf("%s/%s/%s", base, e->d_name, rel);
		data = tu_read(path, &len);
		if (data) {
			int r = kdumpconf_parse(data, len, path, &c);
			ck_assert_msg(r == 0, "%s: %s", path, diag_message());
			ck_assert_msg(c->format == fmt, "%s: format %d", path, c->format);
			ck_assert_uint_gt(c->n_settings, 0);
			/* every stock kdump-tools file has an EL equivalent */
			if (fmt == SHELL) {
				ck_assert_msg(kdumpconf_render(c, DIRS, path, &dirs, NULL) == 0,
				              "%s: %s", path, diag_message());
				ck_assert_ptr_nonnull(strstr(dirs, "\npath /var/crash\n"));
			}
			free(dirs);
			kdumpconf_free(c);
			n++;
		}
		free(data);
		free(path);
	}
	closedir(d);
	return n;
}

START_TEST(real_files_parse)
{
	const char *shared = tu_shared_fixtures();
	char *roots, *packages;

	if (!shared) {
		fprintf(stderr, "real_files_parse: shared fixtures not found, skipped\n");
		return;
	}
	roots = tu_path(shared, "roots");
	packages = tu_path(shared, "packages");
	ck_assert_uint_ge(parse_each(roots, "etc/default/kdump-tools", SHELL), 7);
	ck_assert_uint_ge(parse_each(roots, "usr/share/kdump-tools/kdump-tools.conf", SHELL), 6);
	ck_assert_uint_ge(parse_each(roots, "etc/kdump.conf", DIRS), 2);
	ck_assert_uint_ge(parse_each(packages, "etc/kdump.conf", DIRS), 4);
	free(roots);
	free(packages);
}
END_TEST

/* The stock EL9+ file asks kdump-utils to reset crashkernel, which
 * kdump-tools cannot do. */
START_TEST(real_auto_reset_has_no_equivalent)
{
	const char *shared = tu_shared_fixtures();
	struct kdump_config *c = NULL;
	char *path, *data, *text = NULL;
	size_t len;

	if (!shared) {
		fprintf(stderr, "real_auto_reset_has_no_equivalent: shared fixtures not found, skipped\n");
		return;
	}
	path = tu_path(shared, "packages/kdump-utils-1.0.61/etc/kdump.conf");
	data = tu_read(path, &len);
	ck_assert_ptr_nonnull(data);
	ck_assert_int_eq(kdumpconf_parse(data, len, WHAT, &c), 0);
	ck_assert_int_eq(kdumpconf_render(c, SHELL, WHAT, &text, NULL), -EINVAL);
	ck_assert_ptr_null(text);
	ck_assert_ptr_nonnull(strstr(diag_message(), "line 183: auto_reset_crashkernel yes has no equivalent in /etc/default/kdump-tools"));
	kdumpconf_free(c);
	free(data);
	free(path);
}
END_TEST

/* ---- refusals ----------------------------------------------------------- */

struct refusal {
	const char *input;
	const char *message;    /* the whole diag message after WHAT ": " */
};

static const struct refusal refusals[] = {
	/* format */
	{ "USE_KDUMP=1\nKDUMP_COREDIR=/a\npath /var/crash\n",
	  "line 3: not a KEY=value assignment, but the file is in the KEY=value format of /etc/default/kdump-tools (the formats cannot be mixed)" },
	{ "path /var/crash\nKDUMP_COREDIR=/var/crash\nsshkey /k\n",
	  "line 2: a KEY=value assignment, but the file is in the directive format of /etc/kdump.conf (the formats cannot be mixed)" },
	{ "# only a comment\n\n   \n",
	  "no setting, only comments or blank lines (leave the key out to keep the distribution's defaults)" },
	/* unknown names */
	{ "USE_KDUMP=1\nKDUMP_COREDIRS=/x\n",
	  "line 2: unknown kdump-tools variable \"KDUMP_COREDIRS\"" },
	{ "path /var/crash\nnfs4 srv:/x\n",
	  "line 2: unknown kdump.conf directive \"nfs4\"" },
	{ "path /var/crash\nlink_delay 10\n",
	  "line 2: \"link_delay\" is deprecated: kdumpctl refuses it (see kdump.conf(5))" },
	{ "override_resettable 1\n",
	  "line 1: \"override_resettable\" was documented until 2023 but kdumpctl never accepted it" },
	/* injection in KEY=value */
	{ "KDUMP_COREDIR=$HOME\n", "line 1: KDUMP_COREDIR: '$' would be expanded by the shell" },
	{ "KDUMP_COREDIR=\"/var/$(id)\"\n",
	  "line 1: KDUMP_COREDIR: contains '$', '`' or '\\', which the shell would expand" },
	{ "KDUMP_COREDIR=`id`\n", "line 1: KDUMP_COREDIR: '`' is command substitution" },
	{ "KDUMP_COREDIR='/a$b'\n",
	  "line 1: KDUMP_COREDIR: contains '$', '`' or '\\', which the shell would expand" },
	{ "KDUMP_COREDIR=/var/crash;reboot\n",
	  "line 1: KDUMP_COREDIR: unquoted ';' would end the assignment and run a command" },
	{ "KDUMP_COREDIR=/var/crash&\n", "line 1: KDUMP_COREDIR: unquoted '&' or '|' would run a command" },
	{ "KDUMP_COREDIR=/a|tee\n", "line 1: KDUMP_COREDIR: unquoted '&' or '|' would run a command" },
	{ "KDUMP_COREDIR=/a</etc/x\n", "line 1: KDUMP_COREDIR: unquoted '<' or '>' is a redirection" },
	{ "KDUMP_COREDIR=/a>/etc/x\n", "line 1: KDUMP_COREDIR: unquoted '<' or '>' is a redirection" },
	{ "KDUMP_COREDIR=\"/var/crash\n", "line 1: KDUMP_COREDIR: unbalanced double quote" },
	{ "USE_KDUMP=1\nKDUMP_COREDIR='/var/crash\n", "line 2: KDUMP_COREDIR: unbalanced single quote" },
	{ "KDUMP_COREDIR=/a USE_KDUMP=0\n",
	  "line 1: KDUMP_COREDIR: more than one word: a second assignment or a command follows the value" },
	{ "KDUMP_COREDIR=/a reboot\n",
	  "line 1: KDUMP_COREDIR: more than one word: a second assignment or a command follows the value" },
	{ "KDUMP_COREDIR=~/crash\n", "line 1: KDUMP_COREDIR: unquoted '~' would be expanded by the shell" },
	{ "KDUMP_COREDIR=/a\\ b\n", "line 1: KDUMP_COREDIR: '\\' is not allowed" },
	{ "KDUMP_FAIL_CMD=\"echo $x; reboot -f\"\n",
	  "line 1: KDUMP_FAIL_CMD: contains '$', '`' or '\\', which the shell would expand" },
	{ "KDUMP_KEXEC_ARGS=\"--x; reboot\"\n",
	  "line 1: KDUMP_KEXEC_ARGS: contains a character that kdump-config's eval of the kexec command would interpret" },
	{ "KDUMP_CMDLINE_APPEND='nr_cpus=1\" x'\n",
	  "line 1: KDUMP_CMDLINE_APPEND: contains '\"', which would end the quoted kernel command line in kdump-config's eval" },
	{ "USE_KDUMP=yes\n", "line 1: USE_KDUMP: is not 0 or 1" },
	/* kdump-config would take it as set: ssh to " " */
	{ "SSH=' '\n", "line 1: SSH: is only blanks (leave it empty for the default)" },
	{ "KDUMP_NUM_DUMPS=three\n", "line 1: KDUMP_NUM_DUMPS: is not a number" },
	{ "KDUMP_COREDIR=var/crash\n", "line 1: KDUMP_COREDIR: is not an absolute path" },
	/* kdump-config uses it unquoted: a blank would split it */
	{ "KDUMP_COREDIR='/var/crash dir'\n",
	  "line 1: KDUMP_COREDIR: contains a blank, which kdump-config would split the path at" },
	{ "KDUMP_COMPRESSION=zstd\n", "line 1: KDUMP_COMPRESSION: is not one of bzip2, gzip, lz4, xz" },
	/* directive values */
	{ "path\n", "line 1: path: needs a value" },
	{ "path var/crash\n", "line 1: path: is not one absolute path" },
	{ "kdump_pre scripts/pre.sh\n", "line 1: kdump_pre: is not one absolute path" },
	{ "kdump_post /a /b\n", "line 1: kdump_post: is not one absolute path" },
	{ "extra_bins /usr/bin/lftp lftp\n", "line 1: extra_bins: is not a list of absolute paths" },
	{ "failure_action restart\n",
	  "line 1: failure_action: is not one of reboot, halt, poweroff, shell, dump_to_rootfs" },
	{ "final_action shell\n", "line 1: final_action: is not one of reboot, halt, poweroff" },
	{ "force_rebuild yes\n", "line 1: force_rebuild: is not 0 or 1" },
	{ "auto_reset_crashkernel 1\n", "line 1: auto_reset_crashkernel: is not yes or no" },
	{ "path /a\npath /b\n", "line 2: \"path\" repeats line 1: kdumpctl refuses duplicates" },
	{ "default shell\nfailure_action reboot\n",
	  "line 2: \"failure_action\" repeats line 1: kdumpctl refuses duplicates" },
	{ "nfs srv:/x\nssh root@srv\n",
	  "line 2: a second dump target (\"ssh\", the first is on line 1): kdumpctl allows one" },
	{ "ext4 UUID=1234\ndracut_args --mount \"srv:/x /var/crash nfs defaults\"\n",
	  "line 2: a second dump target (\"dracut_args\", the first is on line 1): kdumpctl allows one" },
	/* bytes */
	{ "path /var/crash\ncore_collector cp\001\n",
	  "line 2: control character U+0001: binary data is not a kdump configuration" },
	{ "path /var/crash\rcore_collector cp\n",
	  "line 1: control character U+000D: binary data is not a kdump configuration" },
	{ "path /var/cr\xc3\x28sh\n", "line 1: invalid UTF-8 (byte 0xc3)" },
	{ "path /var/\xc0\xaf" "crash\n", "line 1: invalid UTF-8 (byte 0xc0)" },
	{ "path /var/\xed\xa0\x80\n", "line 1: invalid UTF-8 (byte 0xed)" },
	{ "USE_KDUMP=1\n\nKDUMP_COREDIR=/\xc2\x85\n",
	  "line 3: control character U+0085: binary data is not a kdump configuration" },
	{ "USE_KDUMP=1\nKDUMP_COREDIR=/\x7f\n",
	  "line 2: control character U+007F: binary data is not a kdump configuration" },
};

START_TEST(refused)
{
	const struct refusal *t = &refusals[_i];
	struct kdump_config *c = NULL;
	char *want = tu_printf("%s: %s", WHAT, t->message);

	diag_clear();
	ck_assert_int_eq(kdumpconf_parse(t->input, strlen(t->input), WHAT, &c), -EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_str_eq(diag_message(), want);
	free(want);
}
END_TEST

START_TEST(nul_byte_refused)
{
	static const char data[] = "path /var/crash\nsshkey /root/.ssh/k\0ey\n";
	struct kdump_config *c = NULL;

	ck_assert_int_eq(kdumpconf_parse(data, sizeof(data) - 1, WHAT, &c), -EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_str_eq(diag_message(), WHAT ": line 2: NUL byte: binary data is not a kdump configuration");
}
END_TEST

START_TEST(binary_refused)
{
	/* the start of an ELF file */
	static const unsigned char elf[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0 };
	struct kdump_config *c = NULL;

	ck_assert_int_eq(kdumpconf_parse((const char *)elf, sizeof(elf), WHAT, &c), -EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_str_eq(diag_message(), WHAT ": line 1: control character U+007F: binary data is not a kdump configuration");
}
END_TEST

START_TEST(too_big_refused)
{
	size_t len = 10u * 1024 * 1024;
	char *data = malloc(len);
	struct kdump_config *c = NULL;

	ck_assert_ptr_nonnull(data);
	/* valid lines all the way: only the size is wrong */
	for (size_t i = 0; i < len; i++)
		data[i] = (i % 64 == 63) ? '\n' : '#';
	ck_assert_int_eq(kdumpconf_parse(data, len, WHAT, &c), -EINVAL);
	ck_assert_ptr_null(c);
	ck_assert_str_eq(diag_message(), WHAT ": 10485760 bytes, more than the limit of 1 MiB");
	/* one byte over the limit too */
	ck_assert_int_eq(kdumpconf_parse(data, KDUMPCONF_MAX_SIZE + 1, WHAT, &c), -EINVAL);
	free(data);
}
END_TEST

START_TEST(long_line_refused)
{
	char *data = malloc(KDUMPCONF_MAX_LINE + 32);
	struct kdump_config *c = NULL;
	size_t n;

	ck_assert_ptr_nonnull(data);
	n = (size_t)sprintf(data, "path /var/crash\ndracut_args ");
	memset(data + n, 'x', KDUMPCONF_MAX_LINE);
	data[n + KDUMPCONF_MAX_LINE] = '\n';
	ck_assert_int_eq(kdumpconf_parse(data, n + KDUMPCONF_MAX_LINE + 1, WHAT, &c), -EINVAL);
	ck_assert_str_eq(diag_message(), WHAT ": line 2: longer than 4096 bytes");
	free(data);
}
END_TEST

/* ---- accepted input ----------------------------------------------------- */

START_TEST(secret_lines)
{
	static const struct { const char *line; const char *value; } cases[] = {
		{ "FTP_PASSWORD=hunter2", "hunter2" },
		{ "  FTP_PASSWORD='s3cr et'  # c", "'s3cr et'" },
		{ "SSH_KEY=/root/.ssh/kdump_id_rsa", "/root/.ssh/kdump_id_rsa" },
		{ "sshkey /root/.ssh/kdump_id_rsa", "/root/.ssh/kdump_id_rsa" },
		{ "MY_TOKEN=abc", "abc" },
		{ "password_pbkdf2 root grub.pbkdf2.sha512.x", "root grub.pbkdf2.sha512.x" },
	};
	size_t b, e;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *l = cases[i].line;
		ck_assert_msg(kdumpconf_line_secret(l, strlen(l), &b, &e), "%s", l);
		ck_assert_uint_eq(e - b, strlen(cases[i].value));
		ck_assert_int_eq(memcmp(l + b, cases[i].value, e - b), 0);
	}
	ck_assert(!kdumpconf_line_secret("FTP_USER=kdump", 14, &b, &e));
	ck_assert(!kdumpconf_line_secret("path /var/crash", 15, &b, &e));
	ck_assert(!kdumpconf_line_secret("FTP_PASSWORD=", 13, &b, &e));
}
END_TEST

/* --dry-run prints diffs: a password never shows in one, before or after */
START_TEST(diff_masks_secrets)
{
	static const char old[] = "USE_KDUMP=1\nFTP_PASSWORD=old-secret\n";
	static const char new[] = "USE_KDUMP=1\nFTP_PASSWORD=new-secret\nSSH_KEY=/root/.ssh/k\n";
	char *d = NULL;

	ck_assert_int_eq(diff_unified("/etc/default/kdump-tools", old, strlen(old),
	                              new, strlen(new), &d), 0);
	ck_assert_str_eq(d, "--- a/etc/default/kdump-tools\n+++ b/etc/default/kdump-tools\n"
	                    "@@ -1,2 +1,3 @@\n USE_KDUMP=1\n-FTP_PASSWORD=****\n"
	                    "+FTP_PASSWORD=****\n+SSH_KEY=****\n");
	free(d);
	ck_assert_int_eq(diff_unified("/etc/kdump.conf", NULL, 0, "sshkey /k\n", 10, &d), 0);
	ck_assert_ptr_null(strstr(d, " /k"));
	ck_assert_ptr_nonnull(strstr(d, "+sshkey ****\n"));
	free(d);
}
END_TEST

START_TEST(crlf_refused)
{
	struct kdump_config *c = NULL;
	static const char crlf[] = "# from a Windows editor\r\npath /var/crash\r\n";
	static const char crlf2[] = "USE_KDUMP=1\nKDUMP_COREDIR=/var/crash\r\n";

	/* a CR would reach the shell's or kdumpctl's value: refused, named */
	ck_assert_int_eq(kdumpconf_parse(crlf, strlen(crlf), WHAT, &c), -EINVAL);
	ck_assert_str_eq(diag_message(), WHAT ": line 1: Windows line end (CR LF): save the file with LF line ends");
	ck_assert_ptr_null(c);
	ck_assert_int_eq(kdumpconf_parse(crlf2, strlen(crlf2), WHAT, &c), -EINVAL);
	ck_assert_str_eq(diag_message(), WHAT ": line 2: Windows line end (CR LF): save the file with LF line ends");
}
END_TEST

START_TEST(bom_accepted)
{
	/* a byte order mark in front, as some editors write it */
	struct kdump_config *c = parse_ok("\xef\xbb\xbf" "path /var/crash\ncore_collector makedumpfile -l -d 31\n");

	ck_assert_str_eq(c->text, "path /var/crash\ncore_collector makedumpfile -l -d 31\n");
	assert_setting(c, 0, "path", "/var/crash", 1);
	assert_setting(c, 1, "core_collector", "makedumpfile -l -d 31", 2);
	kdumpconf_free(c);
}
END_TEST

START_TEST(shell_words_accepted)
{
	static const char text[] =
		"  USE_KDUMP=1   # trailing comment\n"
		"KDUMP_FAIL_CMD=\"echo 'makedumpfile FAILED.'; /bin/bash; reboot -f\"\n"
		"KDUMP_COREDIR=/var/'crash'\"/x\"\n"
		"KDUMP_CMDLINE_APPEND='nr_cpus=1 irqpoll'\n"
		"MAKEDUMP_ARGS=\n"
		"FTP_PASSWORD='p#ss;w|rd'\n"
		"KDUMP_COREDIR=/srv/crash#1\n";
	struct kdump_config *c = parse_ok(text);

	ck_assert_int_eq(c->format, SHELL);
	ck_assert_uint_eq(c->n_settings, 7);
	assert_setting(c, 0, "USE_KDUMP", "1", 1);
	assert_setting(c, 1, "KDUMP_FAIL_CMD", "echo 'makedumpfile FAILED.'; /bin/bash; reboot -f", 2);
	assert_setting(c, 2, "KDUMP_COREDIR", "/var/crash/x", 3);
	assert_setting(c, 3, "KDUMP_CMDLINE_APPEND", "nr_cpus=1 irqpoll", 4);
	assert_setting(c, 4, "MAKEDUMP_ARGS", "", 5);
	assert_setting(c, 5, "FTP_PASSWORD", "p#ss;w|rd", 6);
	assert_setting(c, 6, "KDUMP_COREDIR", "/srv/crash#1", 7);
	kdumpconf_free(c);
}
END_TEST

START_TEST(directive_values_as_kdumpctl_reads_them)
{
	static const char text[] =
		"\tpath /var/crash   # where\n"
		"core_collector \"cp --sparse=always\"\n"
		"extra_bins /usr/bin/lftp /usr/bin/curl\n"
		"default shell\n";
	struct kdump_config *c = parse_ok(text);

	assert_setting(c, 0, "path", "/var/crash", 1);
	assert_setting(c, 1, "core_collector", "cp --sparse=always", 2);
	assert_setting(c, 2, "extra_bins", "/usr/bin/lftp /usr/bin/curl", 3);
	assert_setting(c, 3, "default", "shell", 4);
	kdumpconf_free(c);
}
END_TEST

/* ---- translation ------------------------------------------------------- */

START_TEST(round_trip_ssh)
{
	static const char text[] =
		"ssh kdump@dumps.example.com\n"
		"sshkey /root/.ssh/kdump_id_rsa\n"
		"path /srv/dumps\n"
		"core_collector makedumpfile -F -l --message-level 7 -d 31\n"
		"failure_action shell\n"
		"final_action reboot\n";
	struct kdump_config *c = parse_ok(text), *shell_c, *back;
	char *notes = NULL, *shell, *dirs;

	shell = render_ok(c, SHELL, &notes);
	ck_assert_str_eq(shell,
		"# /etc/default/kdump-tools: translated by skyhook-kdump from the directive format of /etc/kdump.conf (" WHAT ")\n"
		"USE_KDUMP=1\n"
		"KDUMP_KERNEL=/var/lib/kdump/vmlinuz\n"
		"KDUMP_INITRD=/var/lib/kdump/initrd.img\n"
		"SSH=\"kdump@dumps.example.com\"\n"
		"SSH_KEY=\"/root/.ssh/kdump_id_rsa\"\n"
		"KDUMP_COREDIR=\"/srv/dumps\"\n"
		"MAKEDUMP_ARGS=\"-l --message-level 7 -d 31\"\n"
		"KDUMP_FAIL_CMD=\"/bin/bash\"\n");
	/* the key path is masked in what gets logged */
	ck_assert_ptr_nonnull(strstr(notes, "line 2: sshkey **** -> SSH_KEY=****\n"));
	ck_assert_ptr_nonnull(strstr(notes, "line 6: final_action reboot dropped: kdump-tools reboots after saving the dump\n"));

	shell_c = parse_ok(shell);
	dirs = render_ok(shell_c, DIRS, NULL);
	/* kdumpctl needs -F for an ssh target: it comes back */
	ck_assert_str_eq(dirs,
		"# /etc/kdump.conf: translated by skyhook-kdump from the KEY=value format of /etc/default/kdump-tools (" WHAT ")\n"
		"ssh kdump@dumps.example.com\n"
		"sshkey /root/.ssh/kdump_id_rsa\n"
		"path /srv/dumps\n"
		"core_collector makedumpfile -F -l --message-level 7 -d 31\n"
		"failure_action shell\n");
	back = parse_ok(dirs);
	ck_assert_uint_eq(back->n_settings, c->n_settings - 1);
	for (size_t i = 0; i < back->n_settings; i++) {
		ck_assert_str_eq(back->settings[i].key, c->settings[i].key);
		ck_assert_str_eq(back->settings[i].value, c->settings[i].value);
	}
	kdumpconf_free(back);
	free(dirs);
	kdumpconf_free(shell_c);
	free(shell);
	free(notes);
	kdumpconf_free(c);
}
END_TEST

START_TEST(round_trip_nfs)
{
	struct kdump_config *c = parse_ok("nfs nfs.example.com:/export/tmp\npath /crash\n");
	struct kdump_config *c2 = parse_ok("nfs nfs.example.com:/export/\n");
	struct kdump_config *shell_c, *back;
	char *shell, *shell2, *dirs, *notes = NULL;

	/* kdumpctl writes below "path" on the export, kdump-tools at its top */
	shell = render_ok(c, SHELL, &notes);
	ck_assert_ptr_nonnull(strstr(shell, "\nNFS=\"nfs.example.com:/export/tmp/crash\"\n"));
	ck_assert_ptr_null(strstr(shell, "KDUMP_COREDIR"));
	ck_assert_ptr_nonnull(strstr(notes, "line 2: path /crash -> part of NFS"));
	/* without a path, kdumpctl's default /var/crash */
	shell2 = render_ok(c2, SHELL, NULL);
	ck_assert_ptr_nonnull(strstr(shell2, "\nNFS=\"nfs.example.com:/export/var/crash\"\n"));

	shell_c = parse_ok(shell);
	dirs = render_ok(shell_c, DIRS, NULL);
	ck_assert_ptr_nonnull(strstr(dirs, "\nnfs nfs.example.com:/export/tmp/crash\npath /\n"));
	back = parse_ok(dirs);
	kdumpconf_free(back);
	free(dirs);
	kdumpconf_free(shell_c);
	free(notes);
	free(shell2);
	free(shell);
	kdumpconf_free(c2);
	kdumpconf_free(c);
}
END_TEST

START_TEST(shell_last_assignment_wins)
{
	struct kdump_config *c = parse_ok("KDUMP_COREDIR=/a\nKDUMP_COREDIR=\"/b\"\n"
	                                  "KDUMP_FAIL_CMD=\"reboot -f\"\n");
	char *notes = NULL, *dirs = render_ok(c, DIRS, &notes);

	ck_assert_ptr_nonnull(strstr(dirs, "\npath /b\nfailure_action reboot\n"));
	ck_assert_ptr_null(strstr(dirs, "path /a"));
	ck_assert_ptr_nonnull(strstr(notes, "line 1: KDUMP_COREDIR set again on line 2, ignored\n"));
	free(notes);
	free(dirs);
	kdumpconf_free(c);
}
END_TEST

struct no_equiv {
	const char *input;
	int target;
	const char *message;
};

static const struct no_equiv no_equivs[] = {
	{ "KDUMP_NUM_DUMPS=3\n", DIRS, "line 1: KDUMP_NUM_DUMPS=3 has no equivalent in /etc/kdump.conf" },
	{ "USE_KDUMP=0\n", DIRS, "line 1: USE_KDUMP=0 has no equivalent in /etc/kdump.conf" },
	{ "KDUMP_KERNEL=/boot/vmlinuz-6.1\n", DIRS,
	  "line 1: KDUMP_KERNEL=/boot/vmlinuz-6.1 has no equivalent in /etc/kdump.conf" },
	{ "KDUMP_FAIL_CMD=\"/bin/bash; reboot -f\"\n", DIRS,
	  "line 1: KDUMP_FAIL_CMD=/bin/bash; reboot -f has no equivalent in /etc/kdump.conf" },
	{ "FTP=srv:/x\nFTP_PASSWORD=hunter2\n", DIRS,
	  "line 1: FTP=srv:/x has no equivalent in /etc/kdump.conf" },
	{ "FTP_PASSWORD=hunter2\n", DIRS,
	  "line 1: FTP_PASSWORD=**** has no equivalent in /etc/kdump.conf" },
	{ "KDUMP_COREDIR=/var/crash\nKDUMP_COMPRESSION=xz\n", DIRS,
	  "line 2: KDUMP_COMPRESSION=xz has no equivalent in /etc/kdump.conf" },
	{ "ext4 UUID=03138356\n", SHELL,
	  "line 1: ext4 UUID=03138356 has no equivalent in /etc/default/kdump-tools" },
	{ "raw /dev/vg/lv_kdump\n", SHELL,
	  "line 1: raw /dev/vg/lv_kdump has no equivalent in /etc/default/kdump-tools" },
	{ "path /var/crash\ncore_collector cp --sparse=always\n", SHELL,
	  "line 2: core_collector cp --sparse=always has no equivalent in /etc/default/kdump-tools" },
	{ "failure_action dump_to_rootfs\n", SHELL,
	  "line 1: failure_action dump_to_rootfs has no equivalent in /etc/default/kdump-tools" },
	{ "auto_reset_crashkernel yes\n", SHELL,
	  "line 1: auto_reset_crashkernel yes has no equivalent in /etc/default/kdump-tools" },
	{ "extra_modules gfs2\n", SHELL,
	  "line 1: extra_modules gfs2 has no equivalent in /etc/default/kdump-tools" },
	{ "path /var/$crash\n", SHELL,
	  "line 1: path /var/$crash cannot be written as KDUMP_COREDIR: the value contains '$', '`' or '\\', which the shell would expand" },
	{ "KDUMP_COREDIR=\"/var/crash#2\"\n", DIRS,
	  "line 1: KDUMP_COREDIR cannot be written to /etc/kdump.conf: '#' would start a comment there" },
	{ "SSH='\"root@dump\"  '\n", DIRS,
	  "line 1: SSH cannot be written to /etc/kdump.conf: kdumpctl would take off its enclosing double quotes" },
};

START_TEST(no_equivalent)
{
	const struct no_equiv *t = &no_equivs[_i];
	struct kdump_config *c = parse_ok(t->input);
	char *text = NULL, *notes = NULL;
	char *want = tu_printf("%s: %s", WHAT, t->message);

	ck_assert_int_eq(kdumpconf_render(c, t->target, WHAT, &text, &notes), -EINVAL);
	ck_assert_ptr_null(text);
	ck_assert_ptr_null(notes);
	ck_assert_str_eq(diag_message(), want);
	free(want);
	kdumpconf_free(c);
}
END_TEST

/* kdumpctl reads a directive's value without its outer blanks: the file
 * says what it will read */
START_TEST(outer_blanks_trimmed)
{
	struct kdump_config *c = parse_ok("SSH=' root@dump\t '\n");
	char *dirs = render_ok(c, DIRS, NULL);

	ck_assert_msg(strstr(dirs, "\nssh root@dump\n"), "gave %s", dirs);
	free(dirs);
	kdumpconf_free(c);
}
END_TEST

START_TEST(fail_cmd_forms)
{
	static const char *const pairs[][2] = {
		{ "reboot -f", "reboot" }, { "halt", "halt" },
		{ "poweroff", "poweroff" }, { "/bin/bash", "shell" },
		{ "/bin/sh", "shell" },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char *in = tu_printf("KDUMP_FAIL_CMD=\"%s\"\n", pairs[i][0]);
		char *want = tu_printf("\nfailure_action %s\n", pairs[i][1]);
		struct kdump_config *c = parse_ok(in);
		char *dirs = render_ok(c, DIRS, NULL);

		ck_assert_msg(strstr(dirs, want), "%s gave %s", in, dirs);
		free(dirs);
		kdumpconf_free(c);
		free(want);
		free(in);
	}
}
END_TEST

/* ---- secrets -------------------------------------------------------------- */

START_TEST(secrets_masked)
{
	static const char shell[] =
		"# keep\r\n"
		"FTP=ftp.example.com:/dumps\r\n"
		"FTP_USER=kdump\r\n"
		"  FTP_PASSWORD='s3cr et'   # the password\r\n"
		"SSH_KEY=\"/root/.ssh/id\"\n"
		"MY_API_TOKEN=abc";
	static const char dirs[] =
		"ssh root@srv\n"
		"sshkey   /root/.ssh/kdump_id_rsa  # key\n"
		"path /var/crash\n";
	struct kdump_config *c = parse_ok("FTP=srv:/x\nFTP_USER=kdump\n");
	struct kdump_config *c2 = parse_ok("FTP=srv:/x\nFTP_PASSWORD=x\n");
	struct kdump_config *c3 = parse_ok(dirs);
	struct kdump_config *c4 = parse_ok("FTP_PASSWORD=\"\"\n");
	char *m = kdumpconf_mask(shell, SHELL), *m2 = kdumpconf_mask(dirs, DIRS);

	ck_assert(!kdumpconf_has_secrets(c));
	ck_assert(kdumpconf_has_secrets(c2));
	ck_assert(kdumpconf_has_secrets(c3));
	ck_assert(!kdumpconf_has_secrets(c4));
	ck_assert_str_eq(m,
		"# keep\r\n"
		"FTP=ftp.example.com:/dumps\r\n"
		"FTP_USER=kdump\r\n"
		"  FTP_PASSWORD=****   # the password\r\n"
		"SSH_KEY=****\n"
		"MY_API_TOKEN=****");
	ck_assert_str_eq(m2,
		"ssh root@srv\n"
		"sshkey   ****  # key\n"
		"path /var/crash\n");
	ck_assert(kdumpconf_is_secret_key("db_password"));
	ck_assert(!kdumpconf_is_secret_key("KDUMP_COREDIR"));
	free(m);
	free(m2);
	kdumpconf_free(c);
	kdumpconf_free(c2);
	kdumpconf_free(c3);
	kdumpconf_free(c4);
}
END_TEST

/* ---- dump directory -------------------------------------------------------- */

struct dump_dir_case {
	const char *text;
	int format;
	const char *want;       /* NULL: remote or elsewhere */
};

static const struct dump_dir_case dump_dirs[] = {
	{ "USE_KDUMP=1\n", SHELL, "/var/crash" },
	{ "KDUMP_COREDIR=\"/srv/crash\"\n", SHELL, "/srv/crash" },
	{ "KDUMP_COREDIR=/a\nKDUMP_COREDIR=\n", SHELL, "/var/crash" },
	{ "KDUMP_COREDIR=/a\nNFS=srv:/x\n", SHELL, NULL },
	{ "SSH=root@srv\n", SHELL, NULL },
	{ "FTP=srv\n", SHELL, NULL },
	{ "# nothing\n", SHELL, "/var/crash" },
	{ "path /srv/crash\n", DIRS, "/srv/crash" },
	{ "core_collector makedumpfile -d 31\n", DIRS, "/var/crash" },
	{ "ext4 LABEL=dump\npath /crash\n", DIRS, NULL },
	{ "nfs srv:/x\n", DIRS, NULL },
	{ "raw /dev/sdb1\n", DIRS, NULL },
	{ "path /a\n", SHELL, NULL },   /* not the format asked for */
};

START_TEST(dump_dir)
{
	const struct dump_dir_case *t = &dump_dirs[_i];
	char *dir;

	diag_set(-1, "earlier message");
	dir = kdumpconf_dump_dir(t->text, t->format, "/var/crash");
	if (t->want)
		ck_assert_str_eq(dir, t->want);
	else
		ck_assert_ptr_null(dir);
	ck_assert_str_eq(diag_message(), "earlier message");
	free(dir);
}
END_TEST

static Suite *skd_kdumpconf_suite(void)
{
	Suite *s = suite_create("kdumpconf");
	TCase *tc;

	tc = tcase_create("readme");
	tcase_add_test(tc, readme_directive_example);
	tcase_add_test(tc, readme_shell_example);
	suite_add_tcase(s, tc);

	tc = tcase_create("real");
	tcase_add_test(tc, real_files_parse);
	tcase_add_test(tc, real_auto_reset_has_no_equivalent);
	suite_add_tcase(s, tc);

	tc = tcase_create("refused");
	tcase_add_loop_test(tc, refused, 0, (int)(sizeof(refusals) / sizeof(refusals[0])));
	tcase_add_test(tc, nul_byte_refused);
	tcase_add_test(tc, binary_refused);
	tcase_add_test(tc, too_big_refused);
	tcase_add_test(tc, long_line_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("accepted");
	tcase_add_test(tc, crlf_refused);
	tcase_add_test(tc, bom_accepted);
	tcase_add_test(tc, shell_words_accepted);
	tcase_add_test(tc, directive_values_as_kdumpctl_reads_them);
	suite_add_tcase(s, tc);

	tc = tcase_create("translate");
	tcase_add_test(tc, round_trip_ssh);
	tcase_add_test(tc, round_trip_nfs);
	tcase_add_test(tc, shell_last_assignment_wins);
	tcase_add_loop_test(tc, no_equivalent, 0, (int)(sizeof(no_equivs) / sizeof(no_equivs[0])));
	tcase_add_test(tc, fail_cmd_forms);
	tcase_add_test(tc, outer_blanks_trimmed);
	suite_add_tcase(s, tc);

	tc = tcase_create("secrets");
	tcase_add_test(tc, secrets_masked);
	tcase_add_test(tc, secret_lines);
	tcase_add_test(tc, diff_masks_secrets);
	suite_add_tcase(s, tc);

	tc = tcase_create("dump_dir");
	tcase_add_loop_test(tc, dump_dir, 0, (int)(sizeof(dump_dirs) / sizeof(dump_dirs[0])));
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_kdumpconf_suite)
