/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <skyhook-kdump/backend.h>

#include "diag.h"
#include "loader.h"
#include "osrelease.h"
#include "testutil.h"

static const char *const all_mocks[] = {
	"mock-good", "mock-fail", "mock-wrong-major", "mock-small-struct",
	"mock-no-symbol", "mock-no-note", "mock-bad-note", "mock-null-op",
	"mock-wrong-name", NULL,
};

static char *mock_path(const char *name)
{
	char *p = tu_printf("%s/tests/plugins/.libs/%s.so", tu_builddir(), name);
	struct stat st;

	ck_assert_msg(stat(p, &st) == 0, "%s not built", p);
	return p;
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
	size_t len;
	char *data = tu_read(from, &len);
	int fd;

	ck_assert_ptr_nonnull(data);
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
	ck_assert_int_eq(fchmod(fd, mode), 0);     /* umask aside */
	close(fd);
	free(data);
}

/* A fresh 0755 directory holding copies of the named mocks. */
static char *mock_dir(const char *const *names)
{
	char *dir = tu_copy_tree(NULL);

	ck_assert_int_eq(chmod(dir, 0755), 0);
	for (size_t i = 0; names && names[i]; i++) {
		char *from = mock_path(names[i]);
		char *base = tu_printf("%s.so", names[i]);
		char *to = tu_path(dir, base);

		copy_file(from, to, 0644);
		free(from);
		free(base);
		free(to);
	}
	return dir;
}

static const struct backend_file *entry(const struct backend_list *l,
                                        const char *dir, const char *name)
{
	char *p = tu_printf("%s/%s", dir, name);

	for (size_t i = 0; i < l->n_files; i++)
		if (strcmp(l->files[i].path, p) == 0) {
			free(p);
			return &l->files[i];
		}
	ck_abort_msg("no entry %s", p);
	return NULL;
}

static void assert_rejected(const struct backend_file *f, const char *why)
{
	ck_assert_msg(f->rejected, "%s: not rejected", f->path);
	ck_assert_msg(strstr(f->rejected, f->path), "reason '%s' does not name %s",
	              f->rejected, f->path);
	ck_assert_msg(strstr(f->rejected, why), "reason '%s' lacks '%s'",
	              f->rejected, why);
	ck_assert_ptr_null(f->note.name);
}

static void scan1(const char *dir, struct backend_list *ret)
{
	const char *dirs[] = { dir, NULL };

	ck_assert_int_eq(backends_scan(dirs, ret), 0);
}

static struct os_release *os_of(const char *text)
{
	struct os_release *os = NULL;

	ck_assert_msg(os_release_parse(text, strlen(text), "test", &os) == 0,
	              "%s", diag_message());
	return os;
}

/* --- scanning -------------------------------------------------------- */

START_TEST(test_scan_all_mocks)
{
	char *dir = mock_dir(all_mocks);
	struct backend_list l = { 0 };
	char *p;

	/* not "*.so", hidden, or not files: ignored */
	p = tu_path(dir, "README");
	tu_write(p, "x");
	free(p);
	p = tu_path(dir, "mock-good.so.1");
	tu_write(p, "x");
	free(p);
	p = tu_path(dir, ".hidden.so");
	tu_write(p, "x");
	free(p);

	scan1(dir, &l);
	ck_assert_uint_eq(l.n_files, 9);
	/* sorted by file name, whatever readdir says */
	ck_assert_ptr_nonnull(strstr(l.files[0].path, "/mock-bad-note.so"));
	ck_assert_ptr_nonnull(strstr(l.files[8].path, "/mock-wrong-name.so"));

	ck_assert_ptr_null(entry(&l, dir, "mock-good.so")->rejected);
	ck_assert_str_eq(entry(&l, dir, "mock-good.so")->note.name, "mock-good");
	ck_assert_str_eq(entry(&l, dir, "mock-good.so")->note.ids[0], "mockos");
	ck_assert_ptr_null(entry(&l, dir, "mock-fail.so")->rejected);
	/* these have a good note: only loading shows what is wrong */
	ck_assert_ptr_null(entry(&l, dir, "mock-wrong-major.so")->rejected);
	ck_assert_ptr_null(entry(&l, dir, "mock-small-struct.so")->rejected);
	ck_assert_ptr_null(entry(&l, dir, "mock-no-symbol.so")->rejected);
	ck_assert_ptr_null(entry(&l, dir, "mock-null-op.so")->rejected);
	ck_assert_ptr_null(entry(&l, dir, "mock-wrong-name.so")->rejected);

	assert_rejected(entry(&l, dir, "mock-no-note.so"), "no skyhook-kdump note");
	assert_rejected(entry(&l, dir, "mock-bad-note.so"), "not NUL-terminated");
	backends_free(&l);
	ck_assert_uint_eq(l.n_files, 0);
	backends_free(&l);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_scan_missing_dir_skipped)
{
	char *dir = mock_dir((const char *[]){ "mock-good", NULL });
	const char *dirs[] = { "/nonexistent/skd-backends", dir, NULL };
	struct backend_list l = { 0 };

	ck_assert_int_eq(backends_scan(dirs, &l), 0);
	ck_assert_uint_eq(l.n_files, 1);
	ck_assert_ptr_null(l.files[0].rejected);
	backends_free(&l);

	ck_assert_int_eq(backends_scan(NULL, &l), 0);
	ck_assert_uint_eq(l.n_files, 0);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_scan_duplicate_first_wins)
{
	char *a = mock_dir((const char *[]){ "mock-good", NULL });
	char *b = mock_dir((const char *[]){ "mock-good", "mock-fail", NULL });
	const char *dirs[] = { a, b, NULL };
	struct backend_list l = { 0 };
	const struct backend_file *f = NULL;
	char *want;

	ck_assert_int_eq(backends_scan(dirs, &l), 0);
	ck_assert_uint_eq(l.n_files, 3);
	ck_assert_ptr_null(entry(&l, a, "mock-good.so")->rejected);
	ck_assert_ptr_null(entry(&l, b, "mock-fail.so")->rejected);
	assert_rejected(entry(&l, b, "mock-good.so"), "is already provided by");
	want = tu_printf("\"%s/mock-good.so\"", a);
	ck_assert_ptr_nonnull(strstr(entry(&l, b, "mock-good.so")->rejected, want));
	free(want);

	ck_assert_int_eq(backends_select(&l, NULL, "mock-good", &f, NULL), 0);
	ck_assert_ptr_eq(f, entry(&l, a, "mock-good.so"));
	backends_free(&l);
	tu_rm_tree(a);
	tu_rm_tree(b);
}
END_TEST

/* One directory under two spellings (after a default make install,
 * bin/../lib/skyhook-kdump/backends beside the program is the installed
 * backend directory): scanned once, nothing rejected. */
START_TEST(test_scan_same_dir_two_paths)
{
	char *dir = mock_dir((const char *[]){ "mock-good", "mock-fail", NULL });
	char *sub = tu_path(dir, "sub");
	char *dotdot = tu_printf("%s/../%s", sub, strrchr(dir, '/') + 1);
	char *link = tu_printf("%s-link", dir);
	const char *dirs[] = { dir, dotdot, link, NULL };
	struct backend_list l = { 0 };

	ck_assert_int_eq(mkdir(sub, 0755), 0);
	ck_assert_int_eq(symlink(dir, link), 0);
	ck_assert_int_eq(backends_scan(dirs, &l), 0);
	ck_assert_uint_eq(l.n_files, 2);
	for (size_t i = 0; i < l.n_files; i++) {
		ck_assert_ptr_null(l.files[i].rejected);
		ck_assert_ptr_nonnull(strstr(l.files[i].path, dir));
		ck_assert_ptr_null(strstr(l.files[i].path, "/../"));
	}
	backends_free(&l);
	ck_assert_ptr_null(l.dirs_seen);
	ck_assert_int_eq(unlink(link), 0);
	free(link);
	free(dotdot);
	free(sub);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_scan_world_writable_file)
{
	char *dir = mock_dir((const char *[]){ "mock-good", "mock-fail", NULL });
	char *p = tu_path(dir, "mock-good.so");
	char *q = tu_path(dir, "mock-fail.so");
	struct backend_list l = { 0 };
	struct os_release *os = os_of("ID=mockos\n");
	const struct backend_file *f = NULL;

	ck_assert_int_eq(chmod(p, 0646), 0);
	ck_assert_int_eq(chmod(q, 0664), 0);
	scan1(dir, &l);
	assert_rejected(entry(&l, dir, "mock-good.so"), "is world-writable (mode 0646)");
	assert_rejected(entry(&l, dir, "mock-fail.so"), "is group-writable (mode 0664)");
	/* fail closed: the distribution is now unsupported */
	ck_assert_int_eq(backends_select(&l, os, NULL, &f, NULL), -ENOENT);
	ck_assert_ptr_null(f);
	backends_free(&l);
	os_release_free(os);
	free(p);
	free(q);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_scan_world_writable_dir)
{
	char *dir = mock_dir((const char *[]){ "mock-good", NULL });
	struct backend_list l = { 0 };
	char *want;

	ck_assert_int_eq(chmod(dir, 0777), 0);
	scan1(dir, &l);
	/* the directory itself is the rejected entry; nothing inside is read */
	ck_assert_uint_eq(l.n_files, 1);
	ck_assert_str_eq(l.files[0].path, dir);
	want = tu_printf("backend directory \"%s\" is group- and world-writable "
	                 "(mode 0777)", dir);
	ck_assert_ptr_nonnull(l.files[0].rejected);
	ck_assert_msg(strncmp(l.files[0].rejected, want, strlen(want)) == 0, "'%s'",
	              l.files[0].rejected);
	free(want);
	backends_free(&l);

	ck_assert_int_eq(chmod(dir, 01777), 0);        /* sticky is no excuse */
	scan1(dir, &l);
	ck_assert_ptr_nonnull(l.files[0].rejected);
	backends_free(&l);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_scan_symlink_refused)
{
	char *real = mock_dir((const char *[]){ "mock-good", NULL });
	char *dir = mock_dir(NULL);
	char *target = tu_path(real, "mock-good.so");
	char *link = tu_path(dir, "mock-good.so");
	struct backend_list l = { 0 };

	ck_assert_int_eq(symlink(target, link), 0);
	scan1(dir, &l);
	ck_assert_uint_eq(l.n_files, 1);
	assert_rejected(&l.files[0], "is a symlink");
	backends_free(&l);
	free(target);
	free(link);
	tu_rm_tree(real);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_scan_not_regular)
{
	char *dir = mock_dir(NULL);
	char *p = tu_path(dir, "fifo.so");
	char *q = tu_path(dir, "subdir.so");
	struct backend_list l = { 0 };

	ck_assert_int_eq(mkfifo(p, 0644), 0);
	ck_assert_int_eq(mkdir(q, 0755), 0);
	scan1(dir, &l);
	ck_assert_uint_eq(l.n_files, 2);
	assert_rejected(&l.files[0], "is not a regular file");
	assert_rejected(&l.files[1], "is not a regular file");
	backends_free(&l);
	free(p);
	free(q);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_scan_foreign_owner)
{
	char *dir = mock_dir((const char *[]){ "mock-good", NULL });
	char *p = tu_path(dir, "mock-good.so");
	struct backend_list l = { 0 };
	char *want;

	if (geteuid() != 0) {
		fprintf(stderr, "test_scan_foreign_owner: needs root to chown, skipped\n");
		goto out;
	}
	ck_assert_int_eq(chown(p, 65534, 65534), 0);
	scan1(dir, &l);
	assert_rejected(&l.files[0], "is owned by uid 65534; expected root or uid 0");
	backends_free(&l);

	ck_assert_int_eq(chown(p, 0, 0), 0);
	ck_assert_int_eq(chown(dir, 65534, 65534), 0);
	scan1(dir, &l);
	ck_assert_uint_eq(l.n_files, 1);
	want = tu_printf("backend directory \"%s\" is owned by uid 65534", dir);
	ck_assert_msg(strncmp(l.files[0].rejected, want, strlen(want)) == 0, "'%s'",
	              l.files[0].rejected);
	free(want);
	backends_free(&l);
out:
	free(p);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_check_trusted_path)
{
	char *dir = mock_dir((const char *[]){ "mock-good", NULL });
	char *p = tu_path(dir, "mock-good.so");
	int fd = open(p, O_RDONLY | O_CLOEXEC);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(check_trusted_path(p, fd, "backend"), 0);
	ck_assert_int_eq(check_trusted_path(p, -1, "backend"), 0);
	ck_assert_int_eq(fchmod(fd, 0646), 0);
	ck_assert_int_eq(check_trusted_path(p, fd, "plugin"), -EPERM);
	ck_assert_ptr_nonnull(strstr(diag_message(), "plugin \""));
	ck_assert_ptr_nonnull(strstr(diag_message(), "is world-writable (mode 0646)"));
	ck_assert_int_eq(fchmod(fd, 0666), 0);
	ck_assert_int_eq(check_trusted_path(p, fd, "backend"), -EPERM);
	ck_assert_ptr_nonnull(strstr(diag_message(), "group- and world-writable"));
	ck_assert_int_eq(check_trusted_path("/nonexistent/x.so", -1, "backend"), -ENOENT);
	close(fd);
	free(p);
	tu_rm_tree(dir);
}
END_TEST

/* --- selection ------------------------------------------------------- */

struct sel_fixture {
	char *dir;
	struct backend_list l;
};

static void sel_setup(struct sel_fixture *s)
{
	s->dir = mock_dir(all_mocks);
	scan1(s->dir, &s->l);
}

static void sel_teardown(struct sel_fixture *s)
{
	backends_free(&s->l);
	tu_rm_tree(s->dir);
}

/* Select for this os-release text; returns the chosen note name. */
static const char *select_for(struct sel_fixture *s, const char *text,
                              const char *override, const char **ret_reason)
{
	struct os_release *os = os_of(text);
	const struct backend_file *f = NULL;
	int r;

	diag_clear();
	r = backends_select(&s->l, os, override, &f, ret_reason);
	os_release_free(os);
	if (r < 0) {
		ck_assert_int_eq(r, -ENOENT);
		ck_assert_ptr_null(f);
		return NULL;
	}
	ck_assert_ptr_null(f->rejected);
	return f->note.name;
}

START_TEST(test_select_by_id)
{
	struct sel_fixture s;
	const char *reason = NULL;

	sel_setup(&s);
	ck_assert_str_eq(select_for(&s, "ID=mockos\n", NULL, &reason), "mock-good");
	ck_assert_str_eq(reason, "ID=mockos");
	/* the ID wins over an ID_LIKE served by another backend */
	ck_assert_str_eq(select_for(&s, "ID=mockos\nID_LIKE=mockfail\n", NULL, &reason),
	                 "mock-good");
	ck_assert_str_eq(select_for(&s, "ID=mockfail\nID_LIKE=mockos\n", NULL, &reason),
	                 "mock-fail");
	ck_assert_str_eq(reason, "ID=mockfail");
	sel_teardown(&s);
}
END_TEST

START_TEST(test_select_id_like_order)
{
	struct sel_fixture s;
	const char *reason = NULL;

	sel_setup(&s);
	ck_assert_str_eq(select_for(&s, "ID=derivative\nID_LIKE=\"unknown mockfail mockos\"\n",
	                            NULL, &reason), "mock-fail");
	ck_assert_str_eq(reason, "ID_LIKE=mockfail");
	ck_assert_str_eq(select_for(&s, "ID=derivative\nID_LIKE=\"unknown mockos mockfail\"\n",
	                            NULL, &reason), "mock-good");
	ck_assert_str_eq(reason, "ID_LIKE=mockos");
	sel_teardown(&s);
}
END_TEST

START_TEST(test_select_override)
{
	struct sel_fixture s;
	const char *reason = NULL;

	sel_setup(&s);
	ck_assert_str_eq(select_for(&s, "ID=mockos\n", "mock-fail", &reason), "mock-fail");
	ck_assert_str_eq(reason, "--backend");
	/* an override needs no matching distribution */
	ck_assert_str_eq(select_for(&s, "ID=plan9\n", "mock-null-op", NULL), "mock-null-op");

	/* no guess when the name is unknown; the message lists what exists */
	ck_assert_ptr_null(select_for(&s, "ID=mockos\n", "debian", NULL));
	ck_assert_ptr_nonnull(strstr(diag_message(), "no usable backend named \"debian\""));
	ck_assert_ptr_nonnull(strstr(diag_message(), "available: mock-fail, mock-good,"));
	ck_assert_ptr_nonnull(strstr(diag_message(), "mock-wrong-name)"));
	ck_assert_ptr_nonnull(strstr(diag_message(), "rejected"));
	/* a rejected file is not available by name either */
	ck_assert_ptr_null(select_for(&s, "ID=mockos\n", "mock-no-note", NULL));
	sel_teardown(&s);
}
END_TEST

START_TEST(test_select_none_found)
{
	struct sel_fixture s;
	const struct backend_file *f = NULL;
	struct backend_list empty = { 0 };

	sel_setup(&s);
	ck_assert_ptr_null(select_for(&s, "ID=plan9\n", NULL, NULL));
	ck_assert_str_eq(diag_message(), "unsupported distribution: ID=plan9 ID_LIKE=(none)");
	ck_assert_ptr_null(select_for(&s, "ID=plan9\nID_LIKE=\"bell  labs\"\n", NULL, NULL));
	ck_assert_str_eq(diag_message(),
	                 "unsupported distribution: ID=plan9 ID_LIKE=bell  labs");
	/* a broken backend's own name is not an ID it serves */
	ck_assert_ptr_null(select_for(&s, "ID=mock-no-note\n", NULL, NULL));
	sel_teardown(&s);

	ck_assert_int_eq(backends_select(&empty, NULL, "x", &f, NULL), -ENOENT);
	ck_assert_ptr_nonnull(strstr(diag_message(), "(available: none)"));
}
END_TEST

/* --- loading --------------------------------------------------------- */

static const struct backend_file *scan_one_mock(const char *name, char **ret_dir,
                                                struct backend_list *l)
{
	char *dir = mock_dir((const char *[]){ name, NULL });

	scan1(dir, l);
	ck_assert_uint_eq(l->n_files, 1);
	ck_assert_msg(!l->files[0].rejected, "%s", l->files[0].rejected);
	*ret_dir = dir;
	return &l->files[0];
}

START_TEST(test_load_good)
{
	struct backend_list l = { 0 };
	struct loaded_backend b = { 0 };
	struct skd_facts facts;
	char *dir;
	const struct backend_file *f = scan_one_mock("mock-good", &dir, &l);

	ck_assert_msg(backend_load(f, &b) == 0, "%s", diag_message());
	ck_assert_ptr_nonnull(b.handle);
	ck_assert_ptr_eq(b.file, f);
	ck_assert_str_eq(b.vt->name, "mock-good");
	ck_assert_uint_eq(b.vt->abi_major, SKD_ABI_MAJOR);
	ck_assert(backend_has_op(b.vt, init));
	ck_assert(!backend_has_op(b.vt, fini));
	ck_assert(!backend_has_op(b.vt, service_restart));
	ck_assert(backend_has_op(b.vt, kdump_config_ensure_enabled));
	ck_assert_int_eq(b.vt->get_facts(NULL, &facts), 0);
	ck_assert_str_eq(facts.service, "mock-kdump");
	backend_unload(&b);
	ck_assert_ptr_null(b.handle);
	ck_assert_ptr_null(b.vt);
	backend_unload(&b);
	backend_unload(NULL);
	backends_free(&l);
	tu_rm_tree(dir);
}
END_TEST

/* Loading `name` fails; the message names its file and contains `why`. */
static void load_fails(const char *name, int err, const char *why)
{
	struct backend_list l = { 0 };
	struct loaded_backend b = { 0 };
	char *dir;
	const struct backend_file *f = scan_one_mock(name, &dir, &l);
	char *want = tu_printf("backend \"%s\"", f->path);

	diag_clear();
	ck_assert_int_eq(backend_load(f, &b), err);
	ck_assert_ptr_null(b.handle);
	ck_assert_ptr_null(b.vt);
	ck_assert_msg(strncmp(diag_message(), want, strlen(want)) == 0,
	              "'%s' does not start with '%s'", diag_message(), want);
	ck_assert_msg(strstr(diag_message(), why), "'%s' lacks '%s'",
	              diag_message(), why);
	free(want);
	backends_free(&l);
	tu_rm_tree(dir);
}

START_TEST(test_load_wrong_major)
{
	char *want = tu_printf("ABI major %u, expected %u", SKD_ABI_MAJOR + 1, SKD_ABI_MAJOR);

	load_fails("mock-wrong-major", -EPROTO, want);
	free(want);
}
END_TEST

START_TEST(test_load_small_struct)
{
	char *want = tu_printf("struct_size %zu is too small for ABI %u.%u, expected at least",
	                       offsetof(struct skd_backend, packages_query),
	                       SKD_ABI_MAJOR, SKD_ABI_MINOR);

	load_fails("mock-small-struct", -EPROTO, want);
	free(want);
}
END_TEST

START_TEST(test_load_no_symbol)
{
	load_fails("mock-no-symbol", -ENOEXEC, "no symbol \"skd_backend\"");
}
END_TEST

START_TEST(test_load_null_op)
{
	load_fails("mock-null-op", -EPROTO, "required operation service_is_active is NULL");
}
END_TEST

START_TEST(test_load_wrong_name)
{
	load_fails("mock-wrong-name", -EPROTO,
	           "vtable name \"mock-other-name\" differs from its note name \"mock-wrong-name\"");
}
END_TEST

START_TEST(test_load_rechecks_trust)
{
	struct backend_list l = { 0 };
	struct loaded_backend b = { 0 };
	char *dir;
	const struct backend_file *f = scan_one_mock("mock-good", &dir, &l);

	/* made writable after the scan: the load checks again */
	ck_assert_int_eq(chmod(f->path, 0666), 0);
	ck_assert_int_eq(backend_load(f, &b), -EPERM);
	ck_assert_ptr_nonnull(strstr(diag_message(), f->path));
	ck_assert_ptr_nonnull(strstr(diag_message(), "world-writable"));
	ck_assert_int_eq(chmod(f->path, 0644), 0);

	ck_assert_int_eq(chmod(dir, 0777), 0);
	ck_assert_int_eq(backend_load(f, &b), -EPERM);
	ck_assert_ptr_nonnull(strstr(diag_message(), "backend directory"));
	ck_assert_int_eq(chmod(dir, 0755), 0);

	ck_assert_msg(backend_load(f, &b) == 0, "%s", diag_message());
	backend_unload(&b);
	backends_free(&l);
	tu_rm_tree(dir);
}
END_TEST

/* The scan for one backend stops at the file select would choose first,
 * keeps it open, and loads that very file even when the path changes. */
START_TEST(test_scan_for_stops_at_the_chosen)
{
	char *a = mock_dir((const char *[]){ "mock-fail", NULL });
	char *b = mock_dir((const char *[]){ "mock-good", "mock-wrong-name", NULL });
	char *c = mock_dir((const char *[]){ "mock-good", NULL });
	const char *dirs[] = { a, b, c, NULL };
	struct os_release *exact = os_of("ID=mockos\n");
	struct os_release *like = os_of("ID=other\nID_LIKE=mockos\n");
	struct backend_list l = { 0 }, all = { 0 };
	struct loaded_backend lb = { 0 };
	const struct backend_file *f = NULL, *g = NULL;
	char *other = mock_path("mock-fail");

	/* by ID: a's file, then b's first; c and b's second are never read */
	ck_assert_int_eq(backends_scan_for(dirs, exact, NULL, &l), 0);
	ck_assert_uint_eq(l.n_files, 2);
	ck_assert_int_eq(backends_select(&l, exact, NULL, &f, NULL), 0);
	ck_assert_ptr_eq(f, entry(&l, b, "mock-good.so"));
	ck_assert_int_ge(f->fd, 0);
	ck_assert_int_eq(entry(&l, a, "mock-fail.so")->fd, -1);
	/* the same choice as a whole scan */
	ck_assert_int_eq(backends_scan(dirs, &all), 0);
	ck_assert_uint_eq(all.n_files, 4);
	ck_assert_int_eq(backends_select(&all, exact, NULL, &g, NULL), 0);
	ck_assert_str_eq(g->path, f->path);
	ck_assert_int_eq(g->fd, -1);
	backends_free(&all);

	/* the path now holds another backend: the open file is loaded */
	ck_assert_int_eq(unlink(f->path), 0);
	copy_file(other, f->path, 0644);
	ck_assert_msg(backend_load(f, &lb) == 0, "%s", diag_message());
	ck_assert_str_eq(lb.vt->name, "mock-good");
	backend_unload(&lb);
	backends_free(&l);

	/* by name: stops at it */
	ck_assert_int_eq(backends_scan_for(dirs, exact, "mock-wrong-name", &l), 0);
	ck_assert_uint_eq(l.n_files, 3);
	ck_assert_int_ge(entry(&l, b, "mock-wrong-name.so")->fd, 0);
	backends_free(&l);

	/* by ID_LIKE only: the whole scan, nothing kept open */
	ck_assert_int_eq(backends_scan_for(dirs, like, NULL, &l), 0);
	ck_assert_uint_eq(l.n_files, 4);
	for (size_t i = 0; i < l.n_files; i++)
		ck_assert_int_eq(l.files[i].fd, -1);
	ck_assert_int_eq(backends_select(&l, like, NULL, &f, NULL), 0);
	/* b's mock-good.so holds a second mock-fail since above: c's serves */
	assert_rejected(entry(&l, b, "mock-good.so"), "is already provided by");
	ck_assert_ptr_eq(f, entry(&l, c, "mock-good.so"));
	backends_free(&l);

	os_release_free(exact);
	os_release_free(like);
	free(other);
	tu_rm_tree(a);
	tu_rm_tree(b);
	tu_rm_tree(c);
}
END_TEST

START_TEST(test_load_replaced_file)
{
	struct backend_list l = { 0 };
	struct loaded_backend b = { 0 };
	char *dir, *other = mock_path("mock-fail");
	const struct backend_file *f = scan_one_mock("mock-good", &dir, &l);

	/* swapped for a symlink after the scan */
	ck_assert_int_eq(unlink(f->path), 0);
	ck_assert_int_eq(symlink(other, f->path), 0);
	ck_assert_int_eq(backend_load(f, &b), -ELOOP);
	ck_assert_ptr_nonnull(strstr(diag_message(), "it is a symlink"));

	/* swapped for another backend after the scan */
	ck_assert_int_eq(unlink(f->path), 0);
	copy_file(other, f->path, 0644);
	ck_assert_int_eq(backend_load(f, &b), -ESTALE);
	ck_assert_ptr_nonnull(strstr(diag_message(), "changed since it was scanned"));
	ck_assert_ptr_null(b.handle);
	free(other);
	backends_free(&l);
	tu_rm_tree(dir);
}
END_TEST

START_TEST(test_has_op_respects_struct_size)
{
	struct skd_backend vt = { SKD_BACKEND_HEADER("x") };

	vt.kdump_config_ensure_enabled = (int (*)(const struct skd_host *, bool *))1;
	ck_assert(backend_has_op(&vt, kdump_config_ensure_enabled));
	vt.struct_size = (uint32_t)offsetof(struct skd_backend, kdump_config_ensure_enabled);
	ck_assert(!backend_has_op(&vt, kdump_config_ensure_enabled));
	vt.struct_size = sizeof(vt);
	vt.kdump_config_ensure_enabled = NULL;
	ck_assert(!backend_has_op(&vt, kdump_config_ensure_enabled));
}
END_TEST

/* --- the mocks, driven through a small host on a temporary root ------ */

struct test_host {
	struct skd_host h;
	char *root;
	char err[512];
	int n_errors;
};

static char *host_path(const struct skd_host *h, const char *path)
{
	const struct test_host *t = h->host_data;

	ck_assert_msg(path[0] == '/', "relative path %s", path);
	return tu_path(t->root, path);
}

static int th_read(const struct skd_host *h, const char *path, char **ret,
                   size_t *ret_len)
{
	char *p = host_path(h, path);
	char *data = tu_read(p, ret_len);

	free(p);
	if (!data)
		return -ENOENT;
	*ret = data;
	return 0;
}

static int th_write(const struct skd_host *h, const char *path,
                    const char *data, size_t len, uint32_t mode)
{
	char *p = host_path(h, path);
	char *copy = strndup(data, len);

	ck_assert_uint_eq(strlen(copy), len);
	tu_write(p, copy);
	ck_assert_int_eq(chmod(p, mode), 0);
	free(copy);
	free(p);
	return 0;
}

static int th_remove(const struct skd_host *h, const char *path)
{
	char *p = host_path(h, path);
	int r = unlink(p) < 0 && errno != ENOENT ? -errno : 0;

	free(p);
	return r;
}

static int th_stat(const struct skd_host *h, const char *path, uint32_t flags,
                   struct skd_stat *ret)
{
	char *p = host_path(h, path);
	struct stat st;

	if (stat(p, &st) < 0)
		*ret = (struct skd_stat){ .type = SKD_FILE_NONE };
	else
		*ret = (struct skd_stat){
			.type = S_ISREG(st.st_mode) ? SKD_FILE_REGULAR :
			        S_ISDIR(st.st_mode) ? SKD_FILE_DIRECTORY : SKD_FILE_OTHER,
			.mode = st.st_mode & 07777, .size = (uint64_t)st.st_size,
		};
	free(p);
	return 0;
}

static void th_log(const struct skd_host *h, int level, const char *fmt, ...)
{
	(void)h; (void)level; (void)fmt;
}

static int th_error(const struct skd_host *h, int code, const char *fmt, ...)
{
	struct test_host *t = h->host_data;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
	t->n_errors++;
	return code;
}

static const char *th_get(const struct skd_host *h, const char *key)
{
	return NULL;
}

static void host_init(struct test_host *t)
{
	memset(t, 0, sizeof(*t));
	t->root = tu_copy_tree(NULL);
	t->h = (struct skd_host){
		.abi_major = SKD_ABI_MAJOR, .abi_minor = SKD_ABI_MINOR,
		.struct_size = sizeof(struct skd_host), .name = "test",
		.host_data = t,
		.read_file = th_read, .write_file = th_write,
		.remove_file = th_remove, .stat = th_stat,
		.log = th_log, .error = th_error, .get = th_get,
	};
}

static char *root_file(struct test_host *t, const char *rel)
{
	char *p = tu_path(t->root, rel);
	char *data = tu_read(p, NULL);

	free(p);
	return data;
}

static void load_mock(const char *name, char **ret_dir, struct backend_list *l,
                      struct loaded_backend *b)
{
	const struct backend_file *f = scan_one_mock(name, ret_dir, l);

	ck_assert_msg(backend_load(f, b) == 0, "%s", diag_message());
}

START_TEST(test_mock_good_behaves)
{
	struct backend_list l = { 0 };
	struct loaded_backend b = { 0 };
	struct test_host t;
	const struct skd_host *h = &t.h;
	const struct skd_backend *vt;
	const char *pkgs[] = { "mock-kdump-tools", "other", NULL };
	struct skd_facts facts;
	bool inst[2], changed, on;
	char *dir, *v = NULL, *s;

	load_mock("mock-good", &dir, &l, &b);
	vt = b.vt;
	host_init(&t);
	ck_assert_int_eq(vt->init(h), 0);

	ck_assert_int_eq(vt->get_facts(h, &facts), 0);
	ck_assert_str_eq(facts.service, "mock-kdump");
	ck_assert_str_eq(facts.kdump_config_path, "/etc/mock/kdump.conf");
	ck_assert_int_eq(facts.kdump_config_format, SKD_CONFIG_DIRECTIVES);
	ck_assert_str_eq(facts.packages[0], "mock-kdump-tools");
	ck_assert_ptr_null(facts.packages[1]);
	ck_assert_str_eq(facts.default_crashkernel, "1G-4G:192M,4G-64G:256M,64G-:512M");
	ck_assert_str_eq(facts.default_dump_dir, "/var/crash");

	/* packages */
	ck_assert_int_eq(vt->packages_query(h, pkgs, inst), 0);
	ck_assert(!inst[0] && !inst[1]);
	ck_assert_int_eq(vt->packages_install(h, (const char *[]){ "mock-kdump-tools", NULL }), 0);
	ck_assert_int_eq(vt->packages_query(h, pkgs, inst), 0);
	ck_assert(inst[0] && !inst[1]);
	ck_assert_int_eq(vt->packages_install(h, pkgs), 0);
	s = root_file(&t, "/var/lib/mock/installed");
	ck_assert_str_eq(s, "mock-kdump-tools\nother\n");
	free(s);
	ck_assert_int_eq(vt->packages_remove(h, (const char *[]){ "mock-kdump-tools", NULL }), 0);
	ck_assert_int_eq(vt->packages_query(h, pkgs, inst), 0);
	ck_assert(!inst[0] && inst[1]);

	/* bootloader */
	ck_assert_int_eq(vt->bootloader_get_crashkernel(h, &v), 0);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(vt->bootloader_set_crashkernel(h, "256M", &changed), 0);
	ck_assert(changed);
	ck_assert_int_eq(vt->bootloader_set_crashkernel(h, "256M", &changed), 0);
	ck_assert(!changed);
	ck_assert_int_eq(vt->bootloader_get_crashkernel(h, &v), 0);
	ck_assert_str_eq(v, "256M");
	free(v);
	ck_assert_int_eq(vt->bootloader_regenerate(h), 0);
	s = root_file(&t, "/boot/mock/grub.cfg");
	ck_assert_ptr_nonnull(strstr(s, " crashkernel=256M\n"));
	free(s);
	ck_assert_int_eq(vt->bootloader_remove_crashkernel(h, &changed), 0);
	ck_assert(changed);
	ck_assert_int_eq(vt->bootloader_remove_crashkernel(h, &changed), 0);
	ck_assert(!changed);

	/* service */
	ck_assert_int_eq(vt->service_is_enabled(h, &on), 0);
	ck_assert(!on);
	ck_assert_int_eq(vt->service_enable(h), 0);
	ck_assert_int_eq(vt->service_is_enabled(h, &on), 0);
	ck_assert(on);
	ck_assert_int_eq(vt->service_start(h), 0);
	ck_assert_int_eq(vt->service_is_active(h, &on), 0);
	ck_assert(on);
	ck_assert_int_eq(vt->service_stop(h), 0);
	ck_assert_int_eq(vt->service_is_active(h, &on), 0);
	ck_assert(!on);
	ck_assert_int_eq(vt->service_disable(h), 0);
	ck_assert_int_eq(vt->service_is_enabled(h, &on), 0);
	ck_assert(!on);

	/* the distro's own switch */
	ck_assert_int_eq(vt->kdump_config_ensure_enabled(h, &changed), 0);
	ck_assert(changed);
	ck_assert_int_eq(vt->kdump_config_ensure_enabled(h, &changed), 0);
	ck_assert(!changed);
	ck_assert_int_eq(t.n_errors, 0);

	backend_unload(&b);
	backends_free(&l);
	tu_rm_tree(dir);
	tu_rm_tree(t.root);
}
END_TEST

START_TEST(test_mock_fail_fails)
{
	struct backend_list l = { 0 };
	struct loaded_backend b = { 0 };
	struct test_host t;
	const struct skd_host *h = &t.h;
	const struct skd_backend *vt;
	struct skd_facts facts;
	bool on, inst[1], changed;
	char *dir, *v = NULL, *p;

	load_mock("mock-fail", &dir, &l, &b);
	vt = b.vt;
	host_init(&t);
	ck_assert_ptr_null(vt->init);

#define FAILS(op, ...) do { \
		ck_assert_int_eq(vt->op(__VA_ARGS__), -SKD_E_FAILED); \
		ck_assert_str_eq(t.err, "mock-fail: " #op " failed"); \
	} while (0)
	FAILS(get_facts, h, &facts);
	FAILS(packages_query, h, (const char *[]){ "x", NULL }, inst);
	FAILS(packages_install, h, (const char *[]){ "x", NULL });
	FAILS(packages_remove, h, (const char *[]){ "x", NULL });
	FAILS(bootloader_get_crashkernel, h, &v);
	FAILS(bootloader_set_crashkernel, h, "1G", &changed);
	FAILS(bootloader_remove_crashkernel, h, &changed);
	FAILS(bootloader_regenerate, h);
	FAILS(service_enable, h);
	FAILS(service_disable, h);
	FAILS(service_start, h);
	FAILS(service_stop, h);
	FAILS(service_is_enabled, h, &on);
	FAILS(service_is_active, h, &on);
	FAILS(kdump_config_ensure_enabled, h, &changed);
	ck_assert_int_eq(t.n_errors, 15);

	/* only the listed steps fail when the root says which */
	p = tu_path(t.root, "/etc/mock/fail-ops");
	tu_write(p, "service_start\nbootloader_regenerate\n");
	free(p);
	ck_assert_int_eq(vt->service_enable(h), 0);
	ck_assert_int_eq(vt->service_is_enabled(h, &on), 0);
	ck_assert(on);
	FAILS(service_start, h);
	FAILS(bootloader_regenerate, h);
	ck_assert_int_eq(vt->get_facts(h, &facts), 0);
	ck_assert_str_eq(facts.service, "mock-kdump");
#undef FAILS

	backend_unload(&b);
	backends_free(&l);
	tu_rm_tree(dir);
	tu_rm_tree(t.root);
}
END_TEST

/* --- hygiene: the built modules export one symbol -------------------- */

/* Defined global/weak symbols of the dynamic symbol table, space-separated. */
static char *exported_symbols(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf *e;
	Elf_Scn *scn = NULL;
	char *out = strdup("");

	ck_assert_int_ge(fd, 0);
	ck_assert_uint_ne(elf_version(EV_CURRENT), EV_NONE);
	e = elf_begin(fd, ELF_C_READ, NULL);
	ck_assert_ptr_nonnull(e);
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;

		ck_assert_ptr_nonnull(gelf_getshdr(scn, &sh));
		if (sh.sh_type != SHT_DYNSYM)
			continue;
		d = elf_getdata(scn, NULL);
		ck_assert_ptr_nonnull(d);
		for (size_t i = 0; i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym sym;
			int bind;
			char *n;

			ck_assert_ptr_nonnull(gelf_getsym(d, (int)i, &sym));
			bind = GELF_ST_BIND(sym.st_info);
			if (sym.st_shndx == SHN_UNDEF ||
			    (bind != STB_GLOBAL && bind != STB_WEAK))
				continue;
			n = tu_printf("%s%s%s", out, *out ? " " : "",
			              elf_strptr(e, sh.sh_link, sym.st_name));
			free(out);
			out = n;
		}
	}
	elf_end(e);
	close(fd);
	return out;
}

START_TEST(test_mocks_export_one_symbol)
{
	static const char *const names[] = { "mock-good", "mock-fail", "mock-null-op", NULL };

	for (size_t i = 0; names[i]; i++) {
		char *p = mock_path(names[i]);
		char *syms = exported_symbols(p);

		ck_assert_msg(strcmp(syms, SKD_BACKEND_SYMBOL) == 0, "%s exports '%s'", p, syms);
		free(syms);
		free(p);
	}
	{
		char *p = mock_path("mock-no-symbol");
		char *syms = exported_symbols(p);

		ck_assert_msg(strcmp(syms, "") == 0, "%s exports '%s'", p, syms);
		free(syms);
		free(p);
	}
}
END_TEST

/* --- default directories --------------------------------------------- */

START_TEST(test_default_dirs)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char **v = NULL;
	char *bindir_backends, *bindir_lib;
	const char *cli[] = { "/cli/one", "/env/a", NULL };

	ck_assert_int_gt(n, 0);
	exe[n] = '\0';
	*strrchr(exe, '/') = '\0';
	bindir_backends = tu_printf("%s/backends", exe);
	/* bin/../lib, spelled as an installed path: no "/../" */
	*strrchr(exe, '/') = '\0';
	bindir_lib = tu_printf("%s/lib/skyhook-kdump/backends", exe);

	ck_assert_int_eq(setenv("SKYHOOK_KDUMP_BACKEND_PATH", "/env/a::/env/b:", 1), 0);
	ck_assert_int_eq(backends_default_dirs(cli, &v), 0);
	ck_assert_str_eq(v[0], "/cli/one");
	ck_assert_str_eq(v[1], "/env/a");       /* given twice: first place kept */
	ck_assert_str_eq(v[2], "/env/b");
	ck_assert_str_eq(v[3], bindir_backends);
	ck_assert_str_eq(v[4], bindir_lib);
	ck_assert_str_eq(v[5], BACKEND_DIR);
	ck_assert_ptr_null(v[6]);
	skd_strv_free(v);

	ck_assert_int_eq(unsetenv("SKYHOOK_KDUMP_BACKEND_PATH"), 0);
	ck_assert_int_eq(backends_default_dirs(NULL, &v), 0);
	ck_assert_str_eq(v[0], bindir_backends);
	ck_assert_str_eq(v[1], bindir_lib);
	ck_assert_str_eq(v[2], BACKEND_DIR);
	ck_assert_ptr_null(v[3]);
	skd_strv_free(v);
	free(bindir_backends);
	free(bindir_lib);
}
END_TEST

static Suite *skd_loader_suite(void)
{
	Suite *s = suite_create("loader");
	TCase *tc = tcase_create("scan");

	tcase_add_test(tc, test_scan_all_mocks);
	tcase_add_test(tc, test_scan_missing_dir_skipped);
	tcase_add_test(tc, test_scan_duplicate_first_wins);
	tcase_add_test(tc, test_scan_same_dir_two_paths);
	tcase_add_test(tc, test_scan_world_writable_file);
	tcase_add_test(tc, test_scan_world_writable_dir);
	tcase_add_test(tc, test_scan_symlink_refused);
	tcase_add_test(tc, test_scan_not_regular);
	tcase_add_test(tc, test_scan_foreign_owner);
	tcase_add_test(tc, test_check_trusted_path);
	tcase_add_test(tc, test_scan_for_stops_at_the_chosen);
	suite_add_tcase(s, tc);

	tc = tcase_create("select");
	tcase_add_test(tc, test_select_by_id);
	tcase_add_test(tc, test_select_id_like_order);
	tcase_add_test(tc, test_select_override);
	tcase_add_test(tc, test_select_none_found);
	suite_add_tcase(s, tc);

	tc = tcase_create("load");
	tcase_add_test(tc, test_load_good);
	tcase_add_test(tc, test_load_wrong_major);
	tcase_add_test(tc, test_load_small_struct);
	tcase_add_test(tc, test_load_no_symbol);
	tcase_add_test(tc, test_load_null_op);
	tcase_add_test(tc, test_load_wrong_name);
	tcase_add_test(tc, test_load_rechecks_trust);
	tcase_add_test(tc, test_load_replaced_file);
	tcase_add_test(tc, test_has_op_respects_struct_size);
	suite_add_tcase(s, tc);

	tc = tcase_create("mocks");
	tcase_add_test(tc, test_mock_good_behaves);
	tcase_add_test(tc, test_mock_fail_fails);
	tcase_add_test(tc, test_mocks_export_one_symbol);
	suite_add_tcase(s, tc);

	tc = tcase_create("dirs");
	tcase_add_test(tc, test_default_dirs);
	suite_add_tcase(s, tc);
	return s;
}

SKD_TEST_MAIN(skd_loader_suite)
