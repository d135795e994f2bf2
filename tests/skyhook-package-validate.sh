#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The Skyhook package as its validator and its agent see it: lay it out
# with make skyhook-package, check it as the NodeWright packages
# repository's validator does (schema v1, a check mode for every mode, step
# files present and executable), show that the checks catch a broken
# package, then copy it into a copy of a fixture root as the operator
# does and run the steps of every mode but post-interrupt-check the way
# the agent runs them, with the recording command runner. The schemas are
# read from ../shared/skyhook/schemas/v1 beside the source tree.
. "${SKD_TOP_SRCDIR:-$(dirname "$0")/..}/tests/cli/lib.sh"

validator="$SKD_TOP_SRCDIR/tests/skyhook-package-validate.py"
schemas="${SKD_SKYHOOK_SCHEMAS:-${SKD_SHARED_FIXTURES:-$SKD_TOP_SRCDIR/../shared/fixtures}/../skyhook/schemas/v1}"

if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 is missing"
	exit 77
fi

skd_setup
pkg="$work/pkg"

# make skyhook-package, from this test (make check has built everything)
build_package() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$SKD_TOP_BUILDDIR" \
		skyhook-package SKYHOOK_PACKAGE_DIR="$1" >"$work/make.log" 2>&1 ||
		{ cat "$work/make.log" >&2; return 1; }
}

validates() { # PACKAGE_DIR
	python3 "$validator" check "$1" "$schemas" >"$work/check.out" 2>&1
}

skd_check build_package "$pkg"
skd_check validates "$pkg"
cat "$work/check.out"

# the validator's checks find a broken package
broken() { # what to break, as a python expression on the config
	rm -rf "$work/broken"
	cp -a "$pkg" "$work/broken"
	python3 - "$work/broken/config.json" "$1" <<'EOF'
import json, sys
path, change = sys.argv[1], sys.argv[2]
with open(path) as f:
    c = json.load(f)
exec(change)
with open(path, "w") as f:
    json.dump(c, f)
EOF
}
refused() { # LABEL PATTERN: the last check failed, saying PATTERN
	if validates "$work/broken"; then
		echo "FAIL: validator accepted a package with $1" >&2
		return 1
	fi
	grep -q "$2" "$work/check.out" || { cat "$work/check.out" >&2; return 1; }
}
broken 'del c["modes"]["config-check"]'
skd_check refused "no config-check" "mode 'config' has steps but 'config-check' has none"
broken 'c["modes"]["apply"][0]["path"] = "apply.sh"'
skd_check refused "a missing step file" "step file 'apply.sh' does not exist"
broken 'pass'
chmod a-x "$work/broken/skyhook_dir/skyhook-kdump"
skd_check refused "a step that is not executable" "is not executable"
if [ -f "$schemas/skyhook-agent-schema.json" ] && python3 -c 'import jsonschema' 2>/dev/null; then
	broken 'c["package_version"] = "0.1"; del c["modes"]["apply"][0]["on_host"]'
	skd_check refused "a version that is not semver" "package_version: '0.1' does not match"
	skd_check refused "a step without on_host" "'on_host' is a required property"
fi

# The operator copies the package below the node's root, and the agent runs
# each step from there (chrooted; here with --root).
copy_dir=/var/lib/skyhook/kdump-test/skyhook-kdump-copy
node() { # a fresh node root with the package copied in, no configmaps
	skd_root "$SKD_TOP_SRCDIR/tests/fixtures/debian-12"
	skd_add_ram "$work/root" 16
	mkdir -p "$work/root$copy_dir"
	cp -r "$pkg"/* "$work/root$copy_dir/"
}
node
mkdir -p "$work/root$copy_dir/configmaps"
echo 256M >"$work/root$copy_dir/configmaps/crashkernel"

agent_run() { # MODE...
	SKYHOOK_KDUMP_TEST_FAKE_TOOLS="$SKD_FAKE_TOOLS" \
	SKYHOOK_KDUMP_TEST_COMMAND_LOG="$work/commands.log" \
	SKYHOOK_KDUMP_TEST_DUMP_FREE=100G \
	python3 "$validator" run "$work/root$copy_dir" "$work/root" "$@" \
		>"$work/run.out" 2>&1
	_st=$?
	sed -e "s|$work|WORK|g" "$work/run.out"
	return $_st
}

# the program finds the backends beside itself in the copy
own_backends() {
	if env -u SKYHOOK_KDUMP_BACKEND_PATH "$work/root$copy_dir/skyhook_dir/skyhook-kdump" \
		--root "$work/root" backends >"$work/backends.out" 2>&1 &&
	   grep -q "uses: debian (.*$copy_dir/skyhook_dir/backends/debian.so)" "$work/backends.out"; then
		return 0
	fi
	cat "$work/backends.out" >&2
	return 1
}
skd_check own_backends

skd_check agent_run apply apply-check config config-check
# converged: a retry of each mode changes nothing and passes
: >"$work/commands.log"
skd_check agent_run apply config
skd_check skd_no_changes_run
skd_check agent_run upgrade upgrade-check uninstall uninstall-check

# The operator's init container copies the package with "cp -r", which
# keeps the symlinks of a ConfigMap volume (crashkernel -> ..data/crashkernel):
# they are followed, as long as they stay inside the configmaps folder.
node
cm="$work/root$copy_dir/configmaps"
mkdir -p "$cm/..2025_01_01_00_00_00.000000000"
echo 256M >"$cm/..2025_01_01_00_00_00.000000000/crashkernel"
ln -s ..2025_01_01_00_00_00.000000000 "$cm/..data"
ln -s ..data/crashkernel "$cm/crashkernel"
skd_check agent_run apply config
# the value behind the links is the one config set
skd_check grep -q 'crashkernel=256M' "$work/root/etc/default/grub.d/zz-skyhook-kdump.cfg"

skd_finish
