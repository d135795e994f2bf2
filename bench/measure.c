/* SPDX-License-Identifier: Apache-2.0 */
/* Runs one command and prints what it cost, one line of key=value:
 *   wall_us cpu_us maxrss_kb exit            always
 *   children                                  with --trace
 *   files                                     with --tree DIR
 * Untraced runs start the command with posix_spawn; --repeat N runs it N
 * times back to back after --warmup W runs, a line each (timing only).
 * --trace follows the command with ptrace, stopping it only at fork, clone
 * and exec (no system call tracing), to count every process started below
 * it; --cmdlog FILE also gets the command line of each direct child (what
 * the program itself ran). Timing runs go without --trace. --tree DIR
 * counts the entries under DIR created, removed or changed (type, mode,
 * size, mtime, inode: an atomic rewrite counts even with equal content);
 * a directory counts only when created or removed. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tree.h"

extern char **environ;

struct tracee {
	pid_t pid;
	int depth;      /* 0: the command, 1: what it ran, ... */
	bool seen;      /* its first stop was passed */
};

struct trace {
	struct tracee *t;
	size_t n, cap;
	unsigned processes;
	FILE *cmdlog;
};

static struct tracee *find(struct trace *tr, pid_t pid)
{
	for (size_t i = 0; i < tr->n; i++)
		if (tr->t[i].pid == pid)
			return &tr->t[i];
	return NULL;
}

static struct tracee *add(struct trace *tr, pid_t pid, int depth)
{
	struct tracee *t = find(tr, pid);

	if (t)
		return t;
	if (tr->n == tr->cap) {
		size_t cap = tr->cap ? tr->cap * 2 : 64;
		struct tracee *v = realloc(tr->t, cap * sizeof(*v));

		if (!v) {
			perror("measure");
			exit(125);
		}
		tr->t = v;
		tr->cap = cap;
	}
	tr->t[tr->n] = (struct tracee){ .pid = pid, .depth = depth };
	return &tr->t[tr->n++];
}

static void drop(struct trace *tr, pid_t pid)
{
	struct tracee *t = find(tr, pid);

	if (t)
		*t = tr->t[--tr->n];
}

/* A thread shares its creator's thread group: not a new process. */
static bool is_thread(pid_t pid)
{
	char path[64], buf[512];
	FILE *f;
	long tgid = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(buf, sizeof(buf), f))
		if (sscanf(buf, "Tgid: %ld", &tgid) == 1)
			break;
	fclose(f);
	return tgid != -1 && tgid != (long)pid;
}

static void log_cmdline(FILE *out, pid_t pid)
{
	char path[64], buf[4096];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	for (ssize_t i = 0; i < n - 1; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	fprintf(out, "%s\n", buf);
}

/* Follows the stops until the command (pid) has exited; returns its
 * wait status. */
static int follow(struct trace *tr, pid_t pid, struct rusage *ru)
{
	int status = 0, main_status = 0;

	add(tr, pid, 0)->seen = true;
	ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_TRACEFORK |
	       PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
	       PTRACE_O_EXITKILL);
	ptrace(PTRACE_CONT, pid, 0, 0);
	while (tr->n > 0) {
		struct rusage r;
		pid_t w = wait4(-1, &status, __WALL, &r);
		struct tracee *t;
		int sig, event;

		if (w < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (w == pid) {
				main_status = status;
				*ru = r;
			}
			drop(tr, w);
			continue;
		}
		if (!WIFSTOPPED(status))
			continue;
		sig = WSTOPSIG(status);
		event = status >> 16;
		t = find(tr, w);
		if (!t)         /* a new child's stop before its parent's event */
			t = add(tr, w, -1);
		if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
		    event == PTRACE_EVENT_CLONE) {
			unsigned long child = 0;
			struct tracee *c;
			int depth = t->depth < 0 ? 0 : t->depth;

			ptrace(PTRACE_GETEVENTMSG, w, 0, &child);
			if (event != PTRACE_EVENT_CLONE || !is_thread((pid_t)child)) {
				depth++;
				tr->processes++;
			}
			c = add(tr, (pid_t)child, depth);
			if (c->depth < 0)
				c->depth = depth;
			ptrace(PTRACE_CONT, w, 0, 0);
			continue;
		}
		if (event == PTRACE_EVENT_EXEC) {
			if (t->depth == 1 && tr->cmdlog)
				log_cmdline(tr->cmdlog, w);
			ptrace(PTRACE_CONT, w, 0, 0);
			continue;
		}
		if (!t->seen && sig == SIGSTOP) {
			/* the stop every traced child starts with */
			t->seen = true;
			ptrace(PTRACE_CONT, w, 0, 0);
			continue;
		}
		t->seen = true;
		ptrace(PTRACE_CONT, w, 0, sig == SIGTRAP ? 0 : sig);
	}
	return main_status;
}

static long long us_between(const struct timespec *a, const struct timespec *b)
{
	return (long long)(b->tv_sec - a->tv_sec) * 1000000LL +
	       (b->tv_nsec - a->tv_nsec) / 1000;
}

static long long tv_us(const struct timeval *tv)
{
	return (long long)tv->tv_sec * 1000000LL + tv->tv_usec;
}

static void usage(void)
{
	fprintf(stderr, "usage: measure [--trace] [--cmdlog FILE] [--tree DIR] "
	        "[--quiet] [--repeat N [--warmup W]] -- COMMAND [ARG...]\n");
	exit(125);
}

static void print_run(const struct timespec *t0, const struct timespec *t1,
                      const struct rusage *ru, int status)
{
	printf("wall_us=%lld cpu_us=%lld maxrss_kb=%ld exit=%d",
	       us_between(t0, t1), tv_us(&ru->ru_utime) + tv_us(&ru->ru_stime),
	       ru->ru_maxrss,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

/* One untraced run, started the way a supervisor written in Go (as
 * Skyhook's agent is) starts a program: vfork-style, with posix_spawn, so
 * that the copy of the measuring process's page tables that fork() makes is
 * not counted as the program's cost. Returns -1 when it cannot start. */
static int spawn_run(char **argv, bool quiet, struct timespec *t0,
                     struct timespec *t1, struct rusage *ru, int *status)
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int err;

	posix_spawn_file_actions_init(&fa);
	if (quiet) {
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
	}
	fflush(NULL);
	clock_gettime(CLOCK_MONOTONIC, t0);
	err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (err) {
		fprintf(stderr, "measure: %s: %s\n", argv[0], strerror(err));
		return -1;
	}
	while (wait4(pid, status, 0, ru) < 0) {
		if (errno != EINTR) {
			perror("wait4");
			return -1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, t1);
	return 0;
}

/* --repeat: the command back to back, one line per run after the warm-up
 * runs, as a benchmark tool runs it; only for commands that change
 * nothing. */
static int repeat_runs(char **argv, bool quiet, long runs, long warmup)
{
	for (long i = 0; i < warmup + runs; i++) {
		struct timespec t0, t1;
		struct rusage ru = { 0 };
		int status = 0;

		if (spawn_run(argv, quiet, &t0, &t1, &ru, &status) < 0)
			return 125;
		if (i < warmup)
			continue;
		print_run(&t0, &t1, &ru, status);
		printf("\n");
	}
	return 0;
}

static long parse_count(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 100000)
		usage();
	return v;
}

int main(int argc, char **argv)
{
	const char *tree_dir = NULL, *cmdlog = NULL;
	bool trace = false, quiet = false;
	long runs = 0, warmup = 0;
	struct trace tr = { 0 };
	struct tree before = { 0 }, after = { 0 };
	struct timespec t0, t1;
	struct rusage ru = { 0 };
	int i, status = 0;
	pid_t pid;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trace"))
			trace = true;
		else if (!strcmp(argv[i], "--quiet"))
			quiet = true;
		else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
			runs = parse_count(argv[++i]);
		else if (!strcmp(argv[i], "--warmup") && i + 1 < argc)
			warmup = parse_count(argv[++i]);
		else if (!strcmp(argv[i], "--cmdlog") && i + 1 < argc)
			cmdlog = argv[++i];
		else if (!strcmp(argv[i], "--tree") && i + 1 < argc)
			tree_dir = argv[++i];
		else if (!strcmp(argv[i], "--"))
			break;
		else
			usage();
	}
	if (i + 1 >= argc)
		usage();
	argv += i + 1;
	if (runs > 0) {
		if (trace || tree_dir || cmdlog)
			usage();
		return repeat_runs(argv, quiet, runs, warmup);
	}
	if (cmdlog) {
		tr.cmdlog = fopen(cmdlog, "we");
		if (!tr.cmdlog) {
			perror(cmdlog);
			return 125;
		}
	}
	if (tree_dir && tree_scan(tree_dir, &before) < 0) {
		perror(tree_dir);
		return 125;
	}
	if (!trace) {
		if (spawn_run(argv, quiet, &t0, &t1, &ru, &status) < 0)
			return 125;
	} else {
		fflush(NULL);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		pid = fork();
		if (pid < 0) {
			perror("fork");
			return 125;
		}
		if (pid == 0) {
			if (quiet) {
				int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);

				if (fd >= 0) {
					dup2(fd, 1);
					dup2(fd, 2);
				}
			}
			ptrace(PTRACE_TRACEME, 0, 0, 0);
			raise(SIGSTOP);
			execvp(argv[0], argv);
			_exit(127);
		}
		if (waitpid(pid, &status, __WALL) < 0) {
			perror("waitpid");
			return 125;
		}
		status = follow(&tr, pid, &ru);
		clock_gettime(CLOCK_MONOTONIC, &t1);
	}
	print_run(&t0, &t1, &ru, status);
	if (trace)
		printf(" children=%u", tr.processes);
	if (tree_dir) {
		if (tree_scan(tree_dir, &after) < 0) {
			perror(tree_dir);
			return 125;
		}
		printf(" files=%zu", tree_changes(&before, &after));
	}
	printf("\n");
	if (tr.cmdlog)
		fclose(tr.cmdlog);
	tree_clear(&before);
	tree_clear(&after);
	free(tr.t);
	return 0;
}
