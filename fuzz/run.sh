#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make fuzz: builds each libFuzzer harness with clang (ASan, UBSan, leak
# checks), then runs it for FUZZ_SECONDS from a copy of its committed seed
# corpus and regression inputs. Fails on any crash, leak, sanitizer report
# or broken property; the input that did it is left in
# $FUZZ_DIR/artifacts/NAME/ (copy it to fuzz/regressions/NAME/ once fixed).
#
# Environment (make fuzz sets these): SRCDIR, BUILDDIR (for config.h),
# FUZZ_CC, FUZZ_SECONDS, FUZZ_TARGETS, FUZZ_DIR, FUZZ_SEED (0: a new random
# seed each run; another number repeats a run's mutations, as CI does so
# that its verdict depends on the commit alone), LIBELF_CFLAGS, LIBELF_LIBS.

set -eu

: "${SRCDIR:=.}" "${BUILDDIR:=.}" "${FUZZ_CC:=clang}" "${FUZZ_SECONDS:=60}"
: "${FUZZ_DIR:=$BUILDDIR/fuzz/work}" "${LIBELF_CFLAGS=}" "${LIBELF_LIBS=-lelf}"
: "${FUZZ_SEED:=0}"
: "${FUZZ_TARGETS:=crashkernel osrelease grub-default kdumpconf-shell kdumpconf-directives note vmcore}"

san="-fsanitize=address,undefined -fno-sanitize-recover=all"
cflags="-g -O1 -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -fno-omit-frame-pointer"
cppflags="-I$BUILDDIR -I$SRCDIR/include -I$SRCDIR/core -I$SRCDIR/plugins/common -I$SRCDIR/fuzz"

# The parsers under test; the linker takes only what each harness needs.
lib_sources="core/diag.c core/crashkernel.c core/osrelease.c core/sysroot.c
	core/kdumpconf.c core/kdumpconf-shell.c core/kdumpconf-directives.c
	core/kdumpconf-translate.c core/kdumpconf-secrets.c core/kdumpconf-dumpdir.c
	core/note.c core/vmcore.c core/vmcore-elf.c core/vmcore-kdump.c
	core/vmcore-flat.c core/vmcore-dmesg.c core/utf8.c core/dumps.c core/report.c
	core/strv.c plugins/common/grub-default.c
	fuzz/memfd.c"

mkdir -p "$FUZZ_DIR/obj"
objs=
for src in $lib_sources; do
	obj="$FUZZ_DIR/obj/$(echo "$src" | tr / _).o"
	# shellcheck disable=SC2086 # flag lists are split on purpose
	"$FUZZ_CC" $cflags $san -fsanitize=fuzzer-no-link $cppflags $LIBELF_CFLAGS \
		-c "$SRCDIR/$src" -o "$obj"
	objs="$objs $obj"
done
rm -f "$FUZZ_DIR/libfuzzed.a"
# shellcheck disable=SC2086
ar rcs "$FUZZ_DIR/libfuzzed.a" $objs

# harness source and extra flags of a target
harness() {
	case $1 in
	kdumpconf-shell) echo "fuzz-kdumpconf.c -DFUZZ_FORMAT=SKD_CONFIG_SHELL_VARS" ;;
	kdumpconf-directives) echo "fuzz-kdumpconf.c -DFUZZ_FORMAT=SKD_CONFIG_DIRECTIVES" ;;
	*) echo "fuzz-$1.c" ;;
	esac
}

failed=
summary=
for name in $FUZZ_TARGETS; do
	# shellcheck disable=SC2046 # a source and its flags
	set -- $(harness "$name")
	src=$1
	shift
	bin="$FUZZ_DIR/fuzz-$name"
	# shellcheck disable=SC2086
	"$FUZZ_CC" $cflags $san -fsanitize=fuzzer $cppflags $LIBELF_CFLAGS "$@" \
		"$SRCDIR/fuzz/$src" "$FUZZ_DIR/libfuzzed.a" $LIBELF_LIBS -o "$bin"

	corpus="$FUZZ_DIR/corpus/$name"
	artifacts="$FUZZ_DIR/artifacts/$name"
	rm -rf "$corpus" "$artifacts"
	mkdir -p "$corpus" "$artifacts"
	cp "$SRCDIR/fuzz/corpus/$name/"* "$corpus/"
	if [ -d "$SRCDIR/fuzz/regressions/$name" ]; then
		cp "$SRCDIR/fuzz/regressions/$name/"* "$corpus/" 2>/dev/null || :
	fi
	# real backend modules of this build, as further note seeds
	if [ "$name" = note ]; then
		for so in "$BUILDDIR"/plugins/*/.libs/*.so; do
			if [ -f "$so" ]; then cp "$so" "$corpus/"; fi
		done
	fi

	log="$FUZZ_DIR/fuzz-$name.log"
	echo "fuzz: $name for $FUZZ_SECONDS s"
	if ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
	   UBSAN_OPTIONS=print_stacktrace=1 \
	   "$bin" -max_total_time="$FUZZ_SECONDS" -seed="$FUZZ_SEED" -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" \
		"$corpus" >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
		cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1)
		summary="$summary
  $name: $execs exec/s, $cov, $(find "$corpus" -type f | wc -l) inputs"
	else
		tail -n 40 "$log" >&2
		echo "fuzz: $name FAILED; inputs in $artifacts" >&2
		failed="$failed $name"
	fi
done
echo "fuzz summary:$summary"
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed" >&2
	exit 1
fi
