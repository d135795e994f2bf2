/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "runner.h"
#include "sysroot.h"

#define RUNNER_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
/* What one stream keeps; the rest is read and dropped so the command
 * never blocks on a full pipe. */
#define OUTPUT_MAX (16u << 20)
/* Between SIGTERM and SIGKILL after a timeout. */
#define KILL_GRACE_MS 2000
/* How often the wait checks whether the command itself has exited while
 * something it started still holds its output open. */
#define POLL_SLICE_MS 100

static const char *const base_env[] = {
	"PATH=" RUNNER_PATH,
	"LANG=C",
	"LC_ALL=C",
	NULL,
};

static bool needs_quotes(const char *s)
{
	if (!*s)
		return true;
	for (; *s; s++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		            "0123456789_@%+=:,./-", *s))
			return true;
	return false;
}

char *argv_to_display(const char *const *argv)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f;

	f = open_memstream(&buf, &size);
	if (!f)
		return NULL;
	for (size_t i = 0; argv && argv[i]; i++) {
		const char *s = argv[i];

		if (i > 0)
			fputc(' ', f);
		if (!needs_quotes(s)) {
			fputs(s, f);
			continue;
		}
		fputc('\'', f);
		for (; *s; s++) {
			if (*s == '\'')
				fputs("'\\''", f);
			else
				fputc(*s, f);
		}
		fputc('\'', f);
	}
	if (ferror(f) | fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

void runner_result_free(struct skd_run_result *res)
{
	if (!res)
		return;
	free(res->out);
	free(res->err);
	res->out = res->err = NULL;
	res->out_len = res->err_len = 0;
}

static void strv_free_shallow(char **v)
{
	free(v);
}

/* base_env, then `extra` (a later KEY= replaces an earlier one). The
 * strings are borrowed; only the vector is allocated. */
static int build_env(const char *const *extra, const char *const *extra2,
                     char ***ret)
{
	const char *const *lists[] = { base_env, extra, extra2 };
	size_t n = 0, cap = 1;
	char **env;

	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; lists[l] && lists[l][i]; i++)
			cap++;
	env = calloc(cap, sizeof(*env));
	if (!env)
		return -ENOMEM;
	for (size_t l = 0; l < 3; l++) {
		for (size_t i = 0; lists[l] && lists[l][i]; i++) {
			const char *e = lists[l][i], *eq = strchr(e, '=');
			size_t j;

			if (!eq || eq == e) {
				free(env);
				return diag_set(-EINVAL, "invalid environment entry "
				                "\"%s\": expected KEY=value", e);
			}
			for (j = 0; j < n; j++)
				if (strncmp(env[j], e, (size_t)(eq - e) + 1) == 0)
					break;
			env[j] = (char *)e;
			if (j == n)
				n++;
		}
	}
	*ret = env;
	return 0;
}

/* argv[0] as the root's PATH finds it, checked through the root so that
 * symlinks (/sbin -> usr/sbin) resolve as they will after chroot. */
static int find_program(struct sysroot *sr, const char *name, char **ret)
{
	const char *root = sysroot_path(sr);
	char *path = NULL;
	int err;

	if (strchr(name, '/')) {
		struct skd_stat st;

		if (name[0] != '/') {
			err = diag_set(-EINVAL, "cannot run \"%s\": a relative path "
			               "is not allowed", name);
			goto out;
		}
		err = sysroot_stat(sr, name, false, &st);
		if (err < 0)
			goto out;
		if (st.type != SKD_FILE_REGULAR || !(st.mode & 0111)) {
			err = diag_set(-ENOENT, "cannot run \"%s\": not an executable "
			               "file in \"%s\"", name, root);
			goto out;
		}
		path = strdup(name);
		err = path ? 0 : -ENOMEM;
		goto out;
	}
	for (const char *dir = RUNNER_PATH; *dir;) {
		size_t len = strcspn(dir, ":");
		struct skd_stat st;

		if (asprintf(&path, "%.*s/%s", (int)len, dir, name) < 0) {
			path = NULL;
			err = -ENOMEM;
			goto out;
		}
		err = sysroot_stat(sr, path, false, &st);
		if (err < 0)
			goto out;
		if (st.type == SKD_FILE_REGULAR && (st.mode & 0111))
			goto out;
		free(path);
		path = NULL;
		dir += len;
		if (*dir == ':')
			dir++;
	}
	err = diag_set(-ENOENT, "cannot run \"%s\": not found in %s inside \"%s\"",
	               name, RUNNER_PATH, root);
out:
	if (err == 0) {
		*ret = path;
		path = NULL;
	}
	free(path);
	return err;
}

struct capture {
	int fd;
	char *data;
	size_t len, cap;
};

/* Reads what is there; 1 at end of file, 0 when it would block. */
static int capture_read(struct capture *c)
{
	char buf[65536];

	for (;;) {
		ssize_t n = read(c->fd, buf, sizeof(buf));
		size_t keep;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		if (n == 0)
			return 1;
		keep = (size_t)n;
		if (c->len + keep > OUTPUT_MAX)
			keep = OUTPUT_MAX - c->len;
		if (keep == 0)
			continue;
		if (c->len + keep + 1 > c->cap) {
			size_t ncap = c->cap ? c->cap : 4096;
			char *p;

			while (c->len + keep + 1 > ncap)
				ncap *= 2;
			p = realloc(c->data, ncap);
			if (!p)
				return -ENOMEM;
			c->data = p;
			c->cap = ncap;
		}
		memcpy(c->data + c->len, buf, keep);
		c->len += keep;
	}
}

static int capture_finish(struct capture *c, char **ret, size_t *ret_len)
{
	if (!c->data) {
		c->data = malloc(1);
		if (!c->data)
			return -ENOMEM;
	}
	c->data[c->len] = '\0';
	*ret = c->data;
	*ret_len = c->len;
	c->data = NULL;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

/* In the child, between fork and exec: only async-signal-safe calls. */
static void child(const char *chroot_dir, const char *path,
                  const char *const *argv, char **envp, int devnull,
                  int out_w, int err_w, int status_w)
{
	sigset_t all;
	int e;

	setpgid(0, 0);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	if (dup2(devnull, STDIN_FILENO) < 0 || dup2(out_w, STDOUT_FILENO) < 0 ||
	    dup2(err_w, STDERR_FILENO) < 0)
		goto fail;
	if (chroot_dir && (chroot(chroot_dir) < 0 || chdir("/") < 0))
		goto fail;
	if (!chroot_dir && chdir("/") < 0)
		goto fail;
	execve(path, (char *const *)argv, envp);
fail:
	e = errno;
	/* the parent turns this into -errno instead of a mystery 127 */
	if (write(status_w, &e, sizeof(e)) < 0)
		e = 0;
	_exit(127);
}

/*
 * fork + exec `path` with argv[1..] (argv[0] as given), chroot'ed into
 * chroot_dir unless NULL, output captured. 0 with *ret filled when the
 * command ran; -errno when it could not be started.
 */
static int spawn(struct runner *r, const char *chroot_dir, const char *path,
                 const char *const *argv, char **envp,
                 struct skd_run_result *ret)
{
	struct capture cap[2] = { { .fd = -1 }, { .fd = -1 } };
	int out_p[2] = { -1, -1 }, err_p[2] = { -1, -1 }, st_p[2] = { -1, -1 };
	int devnull = -1, err = 0, wstatus = 0, child_errno = 0;
	long long deadline = -1, kill_at = -1;
	bool exited = false, term_sent = false, stopping = false;
	pid_t pid = -1;
	ssize_t n;

	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0 || pipe2(out_p, O_CLOEXEC) < 0 ||
	    pipe2(err_p, O_CLOEXEC) < 0 || pipe2(st_p, O_CLOEXEC) < 0) {
		err = diag_set(-errno, "cannot run \"%s\": %s", argv[0],
		               strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		err = diag_set(-errno, "cannot run \"%s\": fork: %s", argv[0],
		               strerror(errno));
		goto out;
	}
	if (pid == 0)
		child(chroot_dir, path, argv, envp, devnull, out_p[1], err_p[1],
		      st_p[1]);
	r->n_spawned++;
	/* both sides set the group, whichever runs first */
	setpgid(pid, pid);
	close_fd(&out_p[1]);
	close_fd(&err_p[1]);
	close_fd(&st_p[1]);
	do
		n = read(st_p[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(child_errno)) {
		waitpid(pid, NULL, 0);
		pid = -1;
		err = diag_set(-child_errno, "cannot run \"%s\": %s", argv[0],
		               strerror(child_errno));
		goto out;
	}
	cap[0].fd = out_p[0];
	cap[1].fd = err_p[0];
	out_p[0] = err_p[0] = -1;
	for (int i = 0; i < 2; i++)
		fcntl(cap[i].fd, F_SETFL, fcntl(cap[i].fd, F_GETFL) | O_NONBLOCK);
	if (r->timeout_sec)
		deadline = now_ms() + (long long)r->timeout_sec * 1000;

	while (cap[0].fd >= 0 || cap[1].fd >= 0) {
		struct pollfd pfd[2];
		nfds_t nfd = 0;
		int idx[2], timeout = POLL_SLICE_MS, rc;
		long long t = now_ms();

		if (r->stop && *r->stop && !stopping) {
			long long bound = t + (long long)r->stop_grace_sec * 1000;

			stopping = true;
			if (deadline < 0 || bound < deadline)
				deadline = bound;
		}
		if (deadline >= 0 && !term_sent && !exited && t >= deadline) {
			kill(-pid, SIGTERM);
			term_sent = true;
			kill_at = t + KILL_GRACE_MS;
		}
		if (kill_at >= 0 && !exited && t >= kill_at) {
			kill(-pid, SIGKILL);
			kill_at = -1;
		}
		if (!exited) {
			pid_t w = waitpid(pid, &wstatus, WNOHANG);
			if (w == pid)
				exited = true;
		}
		for (int i = 0; i < 2; i++) {
			if (cap[i].fd < 0)
				continue;
			pfd[nfd] = (struct pollfd){ .fd = cap[i].fd, .events = POLLIN };
			idx[nfd++] = i;
		}
		rc = poll(pfd, nfd, exited ? 0 : timeout);
		if (rc < 0 && errno != EINTR) {
			err = diag_set(-errno, "cannot run \"%s\": poll: %s", argv[0],
			               strerror(errno));
			goto out;
		}
		for (nfds_t i = 0; rc > 0 && i < nfd; i++) {
			struct capture *c = &cap[idx[i]];

			if (!pfd[i].revents)
				continue;
			err = capture_read(c);
			if (err < 0) {
				diag_set(err, "cannot run \"%s\": reading its output: %s",
				         argv[0], strerror(-err));
				goto out;
			}
			if (err == 1)
				close_fd(&c->fd);
			err = 0;
		}
		/* The command is gone and we drained what it wrote; whatever it
		 * left running in the background may hold the pipes for ever. */
		if (exited && rc == 0)
			break;
	}
	if (!exited) {
		for (;;) {
			pid_t w = waitpid(pid, &wstatus, 0);
			if (w == pid || (w < 0 && errno != EINTR))
				break;
		}
	}
	pid = -1;
	if (WIFEXITED(wstatus))
		ret->status = WEXITSTATUS(wstatus);
	else if (WIFSIGNALED(wstatus))
		ret->status = 128 + WTERMSIG(wstatus);
	else
		ret->status = 255;
	err = capture_finish(&cap[0], &ret->out, &ret->out_len);
	if (err == 0)
		err = capture_finish(&cap[1], &ret->err, &ret->err_len);
	if (err < 0) {
		runner_result_free(ret);
		diag_set(err, "cannot run \"%s\": %s", argv[0], strerror(-err));
	}
out:
	if (pid > 0 && !exited) {
		/* failed while it ran: do not leave it behind */
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	for (int i = 0; i < 2; i++) {
		close_fd(&cap[i].fd);
		free(cap[i].data);
	}
	close_fd(&out_p[0]);
	close_fd(&out_p[1]);
	close_fd(&err_p[0]);
	close_fd(&err_p[1]);
	close_fd(&st_p[0]);
	close_fd(&st_p[1]);
	close_fd(&devnull);
	return err;
}

static int log_command(const char *log_path, const char *display)
{
	size_t len = strlen(display);
	char *line = malloc(len + 2);
	int fd = -1, err = 0;
	ssize_t n;

	if (!line)
		return -ENOMEM;
	memcpy(line, display, len);
	line[len] = '\n';
	fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = -errno;
		goto out;
	}
	/* one write, so concurrent writers never interleave within a line */
	do
		n = write(fd, line, len + 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len + 1)
		err = -EIO;
out:
	if (err < 0)
		diag_set(err, "cannot write command log \"%s\": %s", log_path,
		         strerror(-err));
	if (fd >= 0)
		close(fd);
	free(line);
	return err;
}

static int empty_result(struct skd_run_result *ret)
{
	struct skd_run_result res = { .status = 0 };

	res.out = calloc(1, 1);
	res.err = calloc(1, 1);
	if (!res.out || !res.err) {
		runner_result_free(&res);
		return -ENOMEM;
	}
	*ret = res;
	return 0;
}

static int run_fake(struct runner *r, const char *const *argv,
                    const char *const *env, const char *display,
                    struct skd_run_result *ret)
{
	char *tool = NULL, *root_var = NULL, *log_var = NULL, **envp = NULL;
	const char *base = strrchr(argv[0], '/');
	struct stat st;
	int err;

	base = base ? base + 1 : argv[0];
	if (r->log_path) {
		err = log_command(r->log_path, display);
		if (err < 0)
			goto out;
	}
	if (!r->fake_dir || !*base ||
	    asprintf(&tool, "%s/%s", r->fake_dir, base) < 0) {
		tool = NULL;
		err = empty_result(ret);
		goto out;
	}
	if (stat(tool, &st) < 0 || !S_ISREG(st.st_mode) || access(tool, X_OK) < 0) {
		err = empty_result(ret);
		goto out;
	}
	if (asprintf(&root_var, "SKD_FAKE_ROOT=%s", r->root ? r->root : "/") < 0 ||
	    asprintf(&log_var, "SKD_FAKE_LOG=%s", r->log_path ? r->log_path : "") < 0) {
		root_var = log_var = NULL;
		err = -ENOMEM;
		goto out;
	}
	{
		const char *fake_env[] = { root_var, log_var, NULL };

		err = build_env(env, fake_env, &envp);
		if (err < 0)
			goto out;
	}
	{
		struct skd_run_result res = { 0 };

		err = spawn(r, NULL, tool, argv, envp, &res);
		/* 127: the tool stands for one not installed in the root,
		 * which the real runner reports before starting anything */
		if (err == 0 && res.status == 127) {
			free(res.out);
			free(res.err);
			err = diag_set(-ENOENT, "cannot run \"%s\": not installed in the root (fake)",
			               argv[0]);
		} else if (err == 0) {
			*ret = res;
		}
	}
out:
	strv_free_shallow(envp);
	free(tool);
	free(root_var);
	free(log_var);
	return err;
}

static int run_real(struct runner *r, const char *const *argv,
                    const char *const *env, struct skd_run_result *ret)
{
	const char *root = r->root ? r->root : "/";
	char *path = NULL, **envp = NULL;
	struct sysroot *sr = NULL;
	bool slash;
	int err;

	err = sysroot_open(root, &sr);
	if (err < 0)
		goto out;
	slash = sysroot_is_slash(sr);
	err = find_program(sr, argv[0], &path);
	if (err < 0)
		goto out;
	err = build_env(env, NULL, &envp);
	if (err < 0)
		goto out;
	{
		struct skd_run_result res = { 0 };

		err = spawn(r, slash ? NULL : root, path, argv, envp, &res);
		if (err == 0)
			*ret = res;
	}
out:
	strv_free_shallow(envp);
	free(path);
	sysroot_free(sr);
	return err;
}

int runner_run(struct runner *r, const char *const *argv,
               const char *const *env, uint32_t flags,
               struct skd_run_result *ret)
{
	char *display = NULL;
	int err;

	assert(r && ret);
	if (!argv || !argv[0] || !argv[0][0])
		return diag_set(-EINVAL, "cannot run a command without a name");
	display = argv_to_display(argv);
	if (!display)
		return diag_set(-ENOMEM, "cannot run \"%s\": out of memory", argv[0]);
	/* asked to stop: what has not started yet is left for the retry */
	if ((flags & SKD_RUN_CHANGES) && r->stop && *r->stop && !r->dry_run) {
		err = diag_set(-SKD_E_INTERRUPTED, "not running \"%s\": stopping on "
		               "SIGTERM", display);
		goto out;
	}
	if (flags & SKD_RUN_CHANGES)
		r->n_changing++;
	if (r->dry_run && (flags & SKD_RUN_CHANGES)) {
		FILE *out = r->dry_run_out ? r->dry_run_out : stdout;

		fprintf(out, "would run: %s\n", display);
		fflush(out);
		err = empty_result(ret);
		goto out;
	}
	if (r->mode == RUNNER_FAKE)
		err = run_fake(r, argv, env, display, ret);
	else
		err = run_real(r, argv, env, ret);
out:
	free(display);
	return err;
}
