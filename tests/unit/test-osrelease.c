/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "osrelease.h"
#include "sysroot.h"
#include "testutil.h"

static struct os_release *parse_ok(const char *text)
{
	struct os_release *os = NULL;
	int r;

	diag_clear();
	r = os_release_parse(text, strlen(text), "test", &os);
	ck_assert_msg(r == 0, "refused (%d): %s\n---\n%s", r, diag_message(), text);
	ck_assert_ptr_nonnull(os);
	ck_assert_ptr_nonnull(os->id);
	ck_assert_ptr_nonnull(os->id_like);
	ck_assert_ptr_nonnull(os->id_like_raw);
	return os;
}

/* Refused with -EINVAL, one line, naming "test" and `where` (":3:" for a
 * line, or "" for the whole file), and containing `why`. */
static void parse_bad_len(const char *text, size_t len, const char *where,
                          const char *why)
{
	struct os_release *os = NULL;
	char *prefix = tu_printf("test%s", where);
	int r;

	diag_clear();
	r = os_release_parse(text, len, "test", &os);
	ck_assert_msg(r == -EINVAL, "accepted or wrong error %d for:\n%s", r, text);
	ck_assert_ptr_null(os);
	ck_assert_msg(strncmp(diag_message(), prefix, strlen(prefix)) == 0,
	              "message '%s' does not start with '%s'", diag_message(), prefix);
	ck_assert_msg(strstr(diag_message(), why), "message '%s' lacks '%s'",
	              diag_message(), why);
	ck_assert_ptr_null(strchr(diag_message(), '\n'));
	free(prefix);
}

static void parse_bad(const char *text, const char *where, const char *why)
{
	parse_bad_len(text, strlen(text), where, why);
}

static void assert_like(const struct os_release *os, const char *const *want)
{
	size_t i = 0;

	for (; want[i]; i++) {
		ck_assert_msg(os->id_like[i], "ID_LIKE too short at %zu", i);
		ck_assert_str_eq(os->id_like[i], want[i]);
	}
	ck_assert_ptr_null(os->id_like[i]);
}

START_TEST(test_quoting_styles)
{
	struct os_release *os = parse_ok(
		"NAME=\"Ubuntu Linux\"\n"
		"ID=ubuntu\n"
		"ID_LIKE='debian'\n"
		"VERSION_ID=\"22.04\"\n"
		"VERSION_CODENAME=jammy\n"
		"PRETTY_NAME='Ubuntu 22.04 LTS'\n");

	ck_assert_str_eq(os->id, "ubuntu");
	ck_assert_str_eq(os->name, "Ubuntu Linux");
	ck_assert_str_eq(os->version_id, "22.04");
	ck_assert_str_eq(os->version_codename, "jammy");
	ck_assert_str_eq(os->pretty_name, "Ubuntu 22.04 LTS");
	ck_assert_str_eq(os->id_like_raw, "debian");
	assert_like(os, (const char *[]){ "debian", NULL });
	ck_assert_ptr_null(os->source);
	os_release_free(os);
}
END_TEST

START_TEST(test_escapes)
{
	struct os_release *os = parse_ok(
		"ID=x\n"
		"NAME=\"a \\\"q\\\" b\\\\s \\$HOME \\`cmd\\`\"\n"
		"PRETTY_NAME=\"keep\\n \\x\"\n");

	ck_assert_str_eq(os->name, "a \"q\" b\\s $HOME `cmd`");
	/* a backslash before anything else stays, as in the shell */
	ck_assert_str_eq(os->pretty_name, "keep\\n \\x");
	os_release_free(os);

	/* nothing is special inside single quotes */
	os = parse_ok("ID=x\nNAME='a \\ \"b\" $c `d`'\n");
	ck_assert_str_eq(os->name, "a \\ \"b\" $c `d`");
	os_release_free(os);
}
END_TEST

START_TEST(test_comments_blank_crlf)
{
	struct os_release *os = parse_ok(
		"# a comment\r\n"
		"\r\n"
		"   \t\n"
		"  # indented comment\n"
		"ID=\"fedora\"\r\n"
		"VERSION_ID=40\r\n"
		"NAME='Fedora'  \r\n"
		"  PRETTY_NAME=\"Fedora Linux\"\t\n");

	ck_assert_str_eq(os->id, "fedora");
	ck_assert_str_eq(os->version_id, "40");
	ck_assert_str_eq(os->name, "Fedora");
	ck_assert_str_eq(os->pretty_name, "Fedora Linux");
	ck_assert_str_eq(os->id_like_raw, "");
	ck_assert_ptr_null(os->id_like[0]);
	os_release_free(os);
}
END_TEST

START_TEST(test_no_trailing_newline)
{
	struct os_release *os = parse_ok("NAME=\"X\"\nID=almalinux");

	ck_assert_str_eq(os->id, "almalinux");
	os_release_free(os);
	os = parse_ok("ID=\"sles\"");
	ck_assert_str_eq(os->id, "sles");
	os_release_free(os);
}
END_TEST

START_TEST(test_unquoted_trailing_blank)
{
	/* the shell ignores it; so do we */
	struct os_release *os = parse_ok("ID=ubuntu \nVERSION_ID=1.0\t\n");

	ck_assert_str_eq(os->id, "ubuntu");
	ck_assert_str_eq(os->version_id, "1.0");
	os_release_free(os);
}
END_TEST

START_TEST(test_id_like_split)
{
	struct os_release *os = parse_ok("ID=rocky\nID_LIKE=\"rhel  centos fedora \"\n");

	assert_like(os, (const char *[]){ "rhel", "centos", "fedora", NULL });
	ck_assert_str_eq(os->id_like_raw, "rhel  centos fedora ");
	os_release_free(os);

	os = parse_ok("ID=x\nID_LIKE=\n");
	ck_assert_ptr_null(os->id_like[0]);
	ck_assert_str_eq(os->id_like_raw, "");
	os_release_free(os);

	/* the last assignment counts, as in the shell */
	os = parse_ok("ID=x\nID_LIKE=a\nID_LIKE=\"b c\"\n");
	assert_like(os, (const char *[]){ "b", "c", NULL });
	os_release_free(os);
}
END_TEST

START_TEST(test_id_twice)
{
	struct os_release *os = parse_ok("ID=debian\nNAME=x\nID=\"debian\"\n");

	ck_assert_str_eq(os->id, "debian");
	os_release_free(os);
	parse_bad("ID=debian\nNAME=x\nID=ubuntu\n", ":3:", "claims two IDs");
	parse_bad("ID=debian\nID=ubuntu\n", ":2:", "'debian' (line 1)");
}
END_TEST

START_TEST(test_no_id)
{
	parse_bad("NAME=\"Example\"\nVERSION_ID=1\n", ":", "no ID=");
	parse_bad("", ":", "no ID=");
	parse_bad("# only a comment\n\n", ":", "no ID=");
	parse_bad("ID=\n", ":1:", "ID is empty");
	parse_bad("NAME=x\nID=\"\"\n", ":2:", "ID is empty");
	parse_bad("ID=''\n", ":1:", "ID is empty");
}
END_TEST

START_TEST(test_nul_byte)
{
	static const char text[] = "ID=x\nNAME=a\0b\n";

	parse_bad_len(text, sizeof(text) - 1, ":2:", "NUL byte");
	parse_bad_len("\0", 1, ":1:", "NUL byte");
}
END_TEST

START_TEST(test_unbalanced_quotes)
{
	parse_bad("ID=x\nNAME=\"Ubuntu\n", ":2:", "unterminated double quote");
	parse_bad("ID=x\nNAME='Ubuntu\n", ":2:", "unterminated single quote");
	parse_bad("ID=x\nNAME=\"a\\\"\n", ":2:", "unterminated double quote");
	/* a multi-line value is not supported */
	parse_bad("ID=x\nNAME=\"a\nb\"\n", ":2:", "unterminated");
	parse_bad("ID=x\nNAME=\"a\\\nb\"\n", ":2:", "line continuation");
	parse_bad("ID=x\nNAME=\"abc\\", ":2:", "line continuation");
}
END_TEST

START_TEST(test_not_key_value)
{
	parse_bad("ID=x\nnot a key value line\n", ":2:", "not a KEY=value line");
	parse_bad("ID=x\n=value-without-key\n", ":2:", "without a key");
	parse_bad("ID=x\nname=lower\n", ":2:", "invalid key 'name'");
	parse_bad("ID=x\nA-B=1\n", ":2:", "invalid key");
	parse_bad("ID=x\nNAME =1\n", ":2:", "invalid key");
	parse_bad("ID=x\nNAME\t=1\n", ":2:", "invalid key");
}
END_TEST

START_TEST(test_export_refused)
{
	parse_bad("ID=x\nexport VERSION_ID=22.04\n", ":2:", "'export' is not allowed");
	parse_bad("export ID=x\n", ":1:", "'export'");
}
END_TEST

START_TEST(test_unquoted_special)
{
	parse_bad("ID=x\nNAME=Ubuntu Linux\n", ":2:", "whitespace");
	parse_bad("ID=x\nNAME=a\tb\n", ":2:", "whitespace");
	parse_bad("ID=x\nNAME=$HOME\n", ":2:", "shell metacharacter");
	parse_bad("ID=x\nNAME=a;b\n", ":2:", "shell metacharacter");
	parse_bad("ID=x\nNAME=`id`\n", ":2:", "shell metacharacter");
	parse_bad("ID=x\nNAME=a\\ b\n", ":2:", "shell metacharacter");
	parse_bad("ID=x\nNAME=a|b\n", ":2:", "must be quoted");
	parse_bad("ID=x\nNAME=a#b\n", ":2:", "must be quoted");
	/* ordinary unquoted values found in real files */
	struct os_release *os = parse_ok(
		"ID=x\nBUILD_ID=2025-09-12-2110\nVARIANT_ID=aws-k8s-1.30\n"
		"CPE=cpe:/o:x:y:9::baseos\nURL=https://example.org/a,b+c@d%e=f\n");
	os_release_free(os);
}
END_TEST

START_TEST(test_after_closing_quote)
{
	parse_bad("ID=x\nNAME=\"a\"b\n", ":2:", "after closing quote");
	parse_bad("ID=x\nNAME=\"a\"\"b\"\n", ":2:", "after closing quote");
	parse_bad("ID=x\nNAME='a' # comment\n", ":2:", "after closing quote");
	parse_bad("ID=\"x\"y\n", ":1:", "after closing quote");
}
END_TEST

START_TEST(test_expansion_refused)
{
	parse_bad("ID=x\nNAME=\"$HOME\"\n", ":2:", "unescaped '$'");
	parse_bad("ID=x\nNAME=\"`id`\"\n", ":2:", "unescaped '`'");
}
END_TEST

START_TEST(test_control_chars)
{
	parse_bad("ID=x\nNAME=\"a\033[31mred\"\n", ":2:", "control character");
	parse_bad("ID=x\nNAME=a\rb\n", ":2:", "control character");
}
END_TEST

START_TEST(test_id_charset)
{
	struct os_release *os = parse_ok("ID=opensuse-leap\nID_LIKE=\"suse opensuse\"\n");

	ck_assert_str_eq(os->id, "opensuse-leap");
	os_release_free(os);
	os = parse_ok("ID=a.b_c-9\n");
	os_release_free(os);

	parse_bad("ID=Ubuntu\n", ":1:", "ID 'Ubuntu' is not valid");
	parse_bad("ID=\"a b\"\n", ":1:", "is not valid");
	parse_bad("ID=\"caf\xc3\xa9\"\n", ":1:", "is not valid");
	parse_bad("ID=x\nID_LIKE=\"rhel Fedora\"\n", ":2:", "ID_LIKE entry 'Fedora'");
	parse_bad("ID=x\nID_LIKE=\"rhel,fedora\"\n", ":2:", "ID_LIKE entry");
	parse_bad("ID=x\nID_LIKE=\"rhel\tfedora\"\n", ":2:", "ID_LIKE entry");
}
END_TEST

START_TEST(test_size_limit)
{
	size_t n = OS_RELEASE_MAX;
	char *big = malloc(n + 2);
	struct os_release *os = NULL;

	ck_assert_ptr_nonnull(big);
	/* exactly the limit: a comment line filling it after ID=x */
	memcpy(big, "ID=x\n#", 6);
	memset(big + 6, 'a', n - 7);
	big[n - 1] = '\n';
	ck_assert_int_eq(os_release_parse(big, n, "test", &os), 0);
	ck_assert_str_eq(os->id, "x");
	os_release_free(os);

	big[n] = '\n';
	parse_bad_len(big, n + 1, ":", "larger than 64 KiB");
	free(big);
}
END_TEST

START_TEST(test_message_names_what)
{
	struct os_release *os = NULL;

	ck_assert_int_eq(os_release_parse("ID=a\nID=b\n", 10, "/r/etc/os-release",
	                                  &os), -EINVAL);
	ck_assert_str_eq(diag_message(),
	                 "/r/etc/os-release:2: claims two IDs, 'a' (line 1) and 'b'");
}
END_TEST

START_TEST(test_random_text)
{
	/* biased toward the characters the grammar cares about */
	static const char alphabet[] = "ID=_LIKE \"'\\$`#\n\r\tabc-.09\x01\xc3";
	unsigned seed = 4242, accepted = 0;
	char buf[512];

	for (int iter = 0; iter < 20000; iter++) {
		struct os_release *os = NULL;
		size_t len = rand_r(&seed) % sizeof(buf);
		int r;

		for (size_t i = 0; i < len; i++)
			buf[i] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
		if (iter % 3 == 0 && len > 5)
			memcpy(buf, "ID=x\n", 5);
		diag_clear();
		r = os_release_parse(buf, len, "fuzz", &os);
		if (r == 0) {
			ck_assert_ptr_nonnull(os->id);
			ck_assert_ptr_nonnull(os->id_like);
			accepted++;
		} else {
			ck_assert_int_eq(r, -EINVAL);
			ck_assert_ptr_null(os);
			ck_assert_msg(strncmp(diag_message(), "fuzz:", 5) == 0, "'%s'",
			              diag_message());
		}
		os_release_free(os);
	}
	ck_assert_uint_gt(accepted, 0);
}
END_TEST

/* --- the shared corpus of real files --------------------------------- */

struct expect {
	const char *root;
	const char *id;
	const char *id_like;    /* raw */
	const char *version_id;
};

static const struct expect expected[] = {
	{ "debian-12", "debian", "", "12" },
	{ "debian-13", "debian", "", "13" },
	{ "ubuntu-22.04", "ubuntu", "debian", "22.04" },
	{ "ubuntu-24.04", "ubuntu", "debian", "24.04" },
	{ "linuxmint-21", "linuxmint", "ubuntu debian", "21.3" },
	{ "pop-22.04", "pop", "ubuntu debian", "22.04" },
	{ "centos-7", "centos", "rhel fedora", "7" },
	{ "rhel-9.6", "rhel", "fedora", "9.6" },
	{ "rhel-10.0", "rhel", "centos fedora", "10.0" },
	{ "rocky-9.3", "rocky", "rhel centos fedora", "9.3" },
	{ "almalinux-9.6", "almalinux", "rhel centos fedora", "9.6" },
	{ "ol-8.6", "ol", "fedora", "8.6" },
	{ "amzn-2", "amzn", "centos rhel fedora", "2" },
	{ "amzn-2023", "amzn", "fedora", "2023" },
	{ "fedora-41", "fedora", "", "41" },
	{ "fedora-43", "fedora", "", "43" },
	{ "opensuse-tumbleweed", "opensuse-tumbleweed", "opensuse suse", "20240823" },
	{ "sles-15.7", "sles", "suse", "15.7" },
	{ "cbl-mariner-2.0", "mariner", "", "2.0" },
	{ "flatcar-4459.0.0", "flatcar", "coreos", "4459.0.0" },
};

static char *corpus_file(const char *root, const char *rel)
{
	const char *base = tu_shared_fixtures();
	char *p = tu_printf("%s/roots/%s/%s", base, root, rel);
	struct stat st;

	if (stat(p, &st) < 0) {
		free(p);
		return NULL;
	}
	return p;
}

START_TEST(test_corpus_all_parse)
{
	const char *base = tu_shared_fixtures();
	char *roots;
	DIR *d;
	struct dirent *de;
	unsigned parsed = 0, refused = 0;

	if (!base) {
		fprintf(stderr, "test_corpus_all_parse: shared fixtures not found, skipped\n");
		return;
	}
	roots = tu_printf("%s/roots", base);
	d = opendir(roots);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		static const char *const rels[] = { "etc/os-release", "usr/lib/os-release" };
		bool synthetic = strncmp(de->d_name, "synthetic-malformed-", 20) == 0 ||
		                 strncmp(de->d_name, "synthetic-empty-", 16) == 0;

		if (de->d_name[0] == '.')
			continue;
		for (size_t i = 0; i < 2; i++) {
			char *path = corpus_file(de->d_name, rels[i]);
			struct os_release *os = NULL;
			size_t len;
			char *data;
			int r;

			if (!path)
				continue;
			data = tu_read(path, &len);
			ck_assert_ptr_nonnull(data);
			diag_clear();
			r = os_release_parse(data, len, path, &os);
			if (synthetic) {
				ck_assert_msg(r == -EINVAL, "%s: accepted", path);
				ck_assert_msg(strncmp(diag_message(), path, strlen(path)) == 0,
				              "%s: message '%s'", path, diag_message());
				refused++;
			} else {
				ck_assert_msg(r == 0, "%s: %s", path, diag_message());
				ck_assert_ptr_nonnull(os->id);
				parsed++;
			}
			os_release_free(os);
			free(data);
			free(path);
		}
	}
	closedir(d);
	free(roots);
	/* the corpus has ~60 roots; a near-empty walk would prove nothing */
	ck_assert_uint_ge(parsed, 50);
	ck_assert_uint_eq(refused, 3);
}
END_TEST

START_TEST(test_corpus_expected_ids)
{
	const char *base = tu_shared_fixtures();

	if (!base) {
		fprintf(stderr, "test_corpus_expected_ids: shared fixtures not found, skipped\n");
		return;
	}
	for (size_t i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		const struct expect *e = &expected[i];
		char *path = corpus_file(e->root, "etc/os-release");
		struct os_release *os = NULL;
		size_t len;
		char *data;

		ck_assert_msg(path, "%s: no etc/os-release", e->root);
		data = tu_read(path, &len);
		ck_assert_int_eq(os_release_parse(data, len, path, &os), 0);
		ck_assert_str_eq(os->id, e->id);
		ck_assert_str_eq(os->id_like_raw, e->id_like);
		ck_assert_str_eq(os->version_id, e->version_id);
		os_release_free(os);
		free(data);
		free(path);
	}
}
END_TEST

START_TEST(test_corpus_synthetic_messages)
{
	const char *base = tu_shared_fixtures();
	static const struct { const char *root, *why; } cases[] = {
		{ "synthetic-malformed-no-id", "no ID=" },
		{ "synthetic-empty-os-release", "no ID=" },
		/* the first problem, line 2, is what is reported */
		{ "synthetic-malformed-quoting", ":2: unterminated double quote" },
	};

	if (!base) {
		fprintf(stderr, "test_corpus_synthetic_messages: shared fixtures not found, skipped\n");
		return;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = corpus_file(cases[i].root, "etc/os-release");
		struct os_release *os = NULL;
		size_t len;
		char *data = tu_read(path, &len);

		ck_assert_ptr_nonnull(data);
		ck_assert_int_eq(os_release_parse(data, len, path, &os), -EINVAL);
		ck_assert_msg(strstr(diag_message(), cases[i].why), "%s: '%s'",
		              cases[i].root, diag_message());
		free(data);
		free(path);
	}
}
END_TEST

/* --- os_release_read through a sysroot ------------------------------- */

static int read_root(const char *dir, struct os_release **ret)
{
	struct sysroot *root = NULL;
	int r;

	ck_assert_int_eq(sysroot_open(dir, &root), 0);
	r = os_release_read(root, ret);
	sysroot_free(root);
	return r;
}

START_TEST(test_read_etc_first)
{
	char *dir = tu_copy_tree(NULL);
	char *p;
	struct os_release *os = NULL;

	p = tu_path(dir, "etc/os-release");
	tu_write(p, "ID=from-etc\n");
	free(p);
	p = tu_path(dir, "usr/lib/os-release");
	tu_write(p, "ID=from-usr\n");
	free(p);
	ck_assert_int_eq(read_root(dir, &os), 0);
	ck_assert_str_eq(os->id, "from-etc");
	ck_assert_str_eq(os->source, "/etc/os-release");
	os_release_free(os);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_read_broken_etc_no_fallback)
{
	char *dir = tu_copy_tree(NULL);
	char *p, *want;
	struct os_release *os = NULL;

	p = tu_path(dir, "etc/os-release");
	tu_write(p, "NAME=x\n");
	free(p);
	p = tu_path(dir, "usr/lib/os-release");
	tu_write(p, "ID=from-usr\n");
	free(p);
	/* /etc/os-release exists, so it is the one that counts */
	ck_assert_int_eq(read_root(dir, &os), -EINVAL);
	want = tu_printf("%s/etc/os-release: no ID= line", dir);
	ck_assert_str_eq(diag_message(), want);
	free(want);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_read_fallback)
{
	char *dir = tu_copy_tree(NULL);
	char *p;
	struct os_release *os = NULL;

	p = tu_path(dir, "usr/lib/os-release");
	tu_write(p, "ID=from-usr\n");
	free(p);
	ck_assert_int_eq(read_root(dir, &os), 0);
	ck_assert_str_eq(os->id, "from-usr");
	ck_assert_str_eq(os->source, "/usr/lib/os-release");
	os_release_free(os);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_read_symlink_in_root)
{
	char *dir = tu_copy_tree(NULL);
	char *p;
	struct os_release *os = NULL;

	/* the usual real layout: /etc/os-release -> ../usr/lib/os-release */
	p = tu_path(dir, "usr/lib/os-release");
	tu_write(p, "ID=linked\n");
	free(p);
	p = tu_path(dir, "etc");
	ck_assert_int_eq(mkdir(p, 0755), 0);
	free(p);
	p = tu_path(dir, "etc/os-release");
	ck_assert_int_eq(symlink("../usr/lib/os-release", p), 0);
	free(p);
	ck_assert_int_eq(read_root(dir, &os), 0);
	ck_assert_str_eq(os->id, "linked");
	os_release_free(os);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_read_missing)
{
	char *dir = tu_copy_tree(NULL);
	struct os_release *os = NULL;

	ck_assert_int_eq(read_root(dir, &os), -ENOENT);
	ck_assert_ptr_null(os);
	ck_assert_ptr_nonnull(strstr(diag_message(), "/etc/os-release"));
	ck_assert_ptr_nonnull(strstr(diag_message(), "/usr/lib/os-release"));
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_read_too_big)
{
	char *dir = tu_copy_tree(NULL);
	char *p = tu_path(dir, "etc/os-release");
	char *big = malloc(OS_RELEASE_MAX + 100);
	struct os_release *os = NULL;
	FILE *f;

	ck_assert_ptr_nonnull(big);
	memset(big, '#', OS_RELEASE_MAX + 100);
	tu_write(p, "");
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(big, 1, OS_RELEASE_MAX + 100, f), OS_RELEASE_MAX + 100);
	fclose(f);
	ck_assert_int_eq(read_root(dir, &os), -EINVAL);
	ck_assert_ptr_nonnull(strstr(diag_message(), "larger than 64 KiB"));
	free(big);
	free(p);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_read_corpus_roots)
{
	const char *base = tu_shared_fixtures();
	char *dir;
	struct os_release *os = NULL;

	if (!base) {
		fprintf(stderr, "test_read_corpus_roots: shared fixtures not found, skipped\n");
		return;
	}
	dir = tu_printf("%s/roots/synthetic-layout-rocky-9.3-usrlib-only", base);
	ck_assert_int_eq(read_root(dir, &os), 0);
	ck_assert_str_eq(os->id, "rocky");
	ck_assert_str_eq(os->source, "/usr/lib/os-release");
	assert_like(os, (const char *[]){ "rhel", "centos", "fedora", NULL });
	os_release_free(os);
	free(dir);

	dir = tu_printf("%s/roots/debian-12", base);
	ck_assert_int_eq(read_root(dir, &os), 0);
	ck_assert_str_eq(os->id, "debian");
	ck_assert_str_eq(os->source, "/etc/os-release");
	os_release_free(os);
	free(dir);

	dir = tu_printf("%s/roots/synthetic-malformed-quoting", base);
	ck_assert_int_eq(read_root(dir, &os), -EINVAL);
	ck_assert_ptr_nonnull(strstr(diag_message(),
	                             "synthetic-malformed-quoting/etc/os-release:2:"));
	free(dir);
}
END_TEST

static Suite *skd_osrelease_suite(void)
{
	Suite *s = suite_create("osrelease");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_quoting_styles);
	tcase_add_test(tc, test_escapes);
	tcase_add_test(tc, test_comments_blank_crlf);
	tcase_add_test(tc, test_no_trailing_newline);
	tcase_add_test(tc, test_unquoted_trailing_blank);
	tcase_add_test(tc, test_id_like_split);
	tcase_add_test(tc, test_id_twice);
	tcase_add_test(tc, test_no_id);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_unbalanced_quotes);
	tcase_add_test(tc, test_not_key_value);
	tcase_add_test(tc, test_export_refused);
	tcase_add_test(tc, test_unquoted_special);
	tcase_add_test(tc, test_after_closing_quote);
	tcase_add_test(tc, test_expansion_refused);
	tcase_add_test(tc, test_control_chars);
	tcase_add_test(tc, test_id_charset);
	tcase_add_test(tc, test_size_limit);
	tcase_add_test(tc, test_message_names_what);
	tcase_add_test(tc, test_random_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("corpus");
	tcase_add_test(tc, test_corpus_all_parse);
	tcase_add_test(tc, test_corpus_expected_ids);
	tcase_add_test(tc, test_corpus_synthetic_messages);
	suite_add_tcase(s, tc);

	tc = tcase_create("read");
	tcase_add_test(tc, test_read_etc_first);
	tcase_add_test(tc, test_read_broken_etc_no_fallback);
	tcase_add_test(tc, test_read_fallback);
	tcase_add_test(tc, test_read_symlink_in_root);
	tcase_add_test(tc, test_read_missing);
	tcase_add_test(tc, test_read_too_big);
	tcase_add_test(tc, test_read_corpus_roots);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_osrelease_suite)
