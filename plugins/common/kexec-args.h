/* SPDX-License-Identifier: Apache-2.0 */
/* What every backend's kdump tools share: kexec-tools' system call options
 * and its default, and the shell variables files (/etc/default/kdump-tools,
 * /etc/sysconfig/kdump) their settings live in. */
#ifndef SKD_PLUGIN_KEXEC_ARGS_H
#define SKD_PLUGIN_KEXEC_ARGS_H

#include <stdbool.h>

#include <skyhook-kdump/backend.h>

#define KEXEC_FILE_LOAD "kexec_file_load"
#define KEXEC_LOAD "kexec_load"

/* kexec(8)'s system call options. */
enum kexec_flag {
	KEXEC_FLAG_NONE,        /* none given: kexec-tools' default */
	KEXEC_FLAG_FILE,        /* -s, --kexec-file-syscall */
	KEXEC_FLAG_LOAD,        /* -c, --kexec-syscall */
	KEXEC_FLAG_AUTO,        /* -a, --kexec-syscall-auto */
};

/* The last system call option among kexec arguments (blank-separated;
 * NULL: none). The last one on kexec's command line wins (getopt). */
enum kexec_flag kexec_args_last_flag(const char *args);

/* "1:2.0.25-3+b1", "2.0.27" -> true when the upstream version is 2.0.27 or
 * later, whose kexec tries kexec_file_load first (kexec-tools commit
 * 29fe506, "kexec: make -a the default"). */
bool kexec_tools_tries_file_load(const char *version);

/* The value of the last "NAME=value" assignment of a shell variables file
 * (comments, `export` and quotes handled as a shell would for plain
 * values), or NULL when never assigned. malloc'd. */
char *shell_var_value(const char *text, const char *name);

/* Read `path` through h->read_file: 0 with *ret_text, -ENOENT (nothing
 * reported) when missing, another negative errno when unreadable. */
int kexec_args_read_config(const struct skd_host *h, const char *path,
                           char **ret_text);

/* The skd_backend.kexec_syscall answer: *ret_syscall = syscall (static),
 * *ret_basis a copy of basis. 0 or -ENOMEM. */
int kexec_args_answer(const char **ret_syscall, char **ret_basis,
                      const char *syscall, const char *basis);

/* *ret = strdup(s) (NULL stays NULL): 0 or -ENOMEM. */
int kexec_args_dup(const char *s, char **ret);

#endif
