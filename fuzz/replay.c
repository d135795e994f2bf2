/* SPDX-License-Identifier: Apache-2.0 */
/* Runs one fuzz harness on files, without libFuzzer: every file of the
 * directories given, or else of the target's committed seed corpus and
 * regression inputs (fuzz/corpus/NAME, fuzz/regressions/NAME under
 * $SKD_TOP_SRCDIR) and FUZZ_EXTRA_DIR under $SKD_TOP_BUILDDIR when set at
 * build time. So `make check` keeps every crash ever found fixed, with any
 * compiler. A failed property aborts, which fails the test. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

#ifndef FUZZ_NAME
#error "FUZZ_NAME: the harness's corpus name"
#endif

static int run_file(const char *path)
{
	struct stat st;
	uint8_t *buf;
	size_t done = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* one extra byte so an empty file is not malloc(0) */
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		return -1;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	LLVMFuzzerTestOneInput(buf, done);
	free(buf);
	return 0;
}

/* Every regular file in dir, sorted for a stable log; returns the count,
 * or -1 on a read error. A missing directory has no files. */
static int run_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), count = 0, bad = 0;

	if (n < 0)
		return errno == ENOENT ? 0 : -1;
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
			if (run_file(path) < 0)
				bad = 1;
			count++;
		}
		free(names[i]);
	}
	free(names);
	printf("%s: %d inputs\n", dir, count);
	return bad ? -1 : count;
}

static int run_under(const char *env, const char *dflt, const char *rel)
{
	const char *top = getenv(env);
	char dir[4096];

	snprintf(dir, sizeof(dir), "%s/%s", top && *top ? top : dflt, rel);
	return run_dir(dir);
}

int main(int argc, char **argv)
{
	int total = 0, r;

	for (int i = 1; i < argc; i++) {
		r = run_dir(argv[i]);
		if (r < 0)
			return 1;
		total += r;
	}
	if (argc > 1)
		return 0;
	r = run_under("SKD_TOP_SRCDIR", ".", "fuzz/corpus/" FUZZ_NAME);
	if (r <= 0) {
		fprintf(stderr, "no seed corpus for " FUZZ_NAME "\n");
		return 1;
	}
	total += r;
	r = run_under("SKD_TOP_SRCDIR", ".", "fuzz/regressions/" FUZZ_NAME);
	if (r < 0)
		return 1;
	total += r;
#ifdef FUZZ_EXTRA_DIR
	r = run_under("SKD_TOP_BUILDDIR", ".", FUZZ_EXTRA_DIR);
	if (r < 0)
		return 1;
	total += r;
#endif
	printf(FUZZ_NAME ": %d inputs replayed\n", total);
	return 0;
}
