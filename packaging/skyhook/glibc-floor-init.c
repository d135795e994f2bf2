/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The init function glibc-floor-start.S hands __libc_start_main: what a
 * glibc before 2.34 linked into every program as __libc_csu_init. It runs
 * the program's _init and its constructors (.init_array); the dynamic
 * linker has run .preinit_array already, and runs .fini_array at exit.
 */
typedef void (*skd_init_function)(int argc, char **argv, char **envp);

/* the linker defines the bounds; crti.o defines _init */
extern skd_init_function __init_array_start[] __attribute__((visibility("hidden")));
extern skd_init_function __init_array_end[] __attribute__((visibility("hidden")));
extern void _init(void);

void skd_floor_init(int argc, char **argv, char **envp) __attribute__((visibility("hidden")));

void skd_floor_init(int argc, char **argv, char **envp)
{
	_init();
	for (skd_init_function *f = __init_array_start; f < __init_array_end; f++)
		(*f)(argc, argv, envp);
}
