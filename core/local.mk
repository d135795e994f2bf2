# The host's code, as a convenience library so the unit tests link it too.
noinst_LTLIBRARIES += core/libskdcore.la
core_libskdcore_la_SOURCES = \
	core/diag.c core/diag.h \
	core/crashkernel.c core/crashkernel.h \
	core/memory.c core/memory.h \
	core/osrelease.c core/osrelease.h \
	core/sysroot.c core/sysroot.h \
	core/runner.c core/runner.h \
	core/diff.c core/diff.h \
	core/host.c core/host.h \
	core/note.c core/note.h \
	core/loader.c core/loader.h \
	core/kdumpconf.c core/kdumpconf.h core/kdumpconf-internal.h \
	core/kdumpconf-shell.c core/kdumpconf-directives.c \
	core/kdumpconf-translate.c core/kdumpconf-secrets.c \
	core/kdumpconf-dumpdir.c \
	core/state.c core/state.h \
	core/configmaps.c core/configmaps.h \
	core/strv.c core/strv.h \
	core/journal.c core/journal.h \
	core/kernel.c core/kernel.h \
	core/report.c core/report.h \
	core/utf8.c core/utf8.h \
	core/context.c core/context.h core/context-auto.c \
	core/platform.c core/platform.h core/kimage.c core/kimage.h \
	core/inputs.c core/inputs.h \
	core/unitstate.c core/unitstate.h
# operator commands: status, estimate, dumps
core_libskdcore_la_SOURCES += \
	core/vmcore.c core/vmcore.h core/vmcore-internal.h \
	core/vmcore-elf.c core/vmcore-kdump.c core/vmcore-flat.c \
	core/vmcore-dmesg.c \
	core/dumps.c core/dumps.h core/dumps-prune.c \
	core/security.c core/security.h \
	core/kconfig.c core/kconfig.h \
	core/kexec-kernel.c core/kexec-kernel.h \
	core/estimate.c core/estimate.h \
	core/estimate-parse.c core/estimate-gather.c core/estimate-tools.c \
	core/status.c core/status-judge.c core/status.h \
	core/capture-initrd.c core/capture-initrd.h \
	core/status-render.c core/status-prometheus.c
core_libskdcore_la_CFLAGS = $(AM_CFLAGS) $(LIBELF_CFLAGS) $(ZLIB_CFLAGS) $(LIBSYSTEMD_CFLAGS)
core_libskdcore_la_LIBADD = $(LIBELF_LIBS) $(ZLIB_LIBS)

bin_PROGRAMS += skyhook-kdump
skyhook_kdump_SOURCES = \
	core/main.c \
	core/cli.c core/cli.h \
	core/lifecycle.c core/lifecycle.h \
	core/cmd_backends.c core/cmd_validate.c core/commands.h \
	core/cmd_status.c core/cmd_estimate.c core/cmd_dumps.c
skyhook_kdump_LDADD = core/libskdcore.la
