#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks a laid-out Skyhook package the way the package validator of the
NodeWright packages repository does, and runs its steps the way the
Skyhook agent runs them.

  skyhook-package-validate.py check PACKAGE_DIR [SCHEMA_DIR]
      config.json validates against schema v1 (SCHEMA_DIR holds
      skyhook-agent-schema.json and step-schema.json; skipped with a message
      when absent or when jsonschema is missing), every mode that has a
      check mode has it, every step's path exists below skyhook_dir/ and is
      executable, every .sh file is executable; and the rules of this
      package: every mode present, each step runs our program with the mode
      as its argument, on the host, success only 0.

  skyhook-package-validate.py run COPY_DIR ROOT MODE...
      runs the steps of each MODE as the agent does: the path below
      COPY_DIR/skyhook_dir, the step's arguments and env, STEP_ROOT and
      SKYHOOK_DIR set, cwd COPY_DIR, the configmaps of expected_config_files
      required (except in the uninstall modes). The agent runs steps
      chrooted into the node's root, so COPY_DIR is inside ROOT; here
      '--root ROOT' is given instead, and SKYHOOK_DIR is COPY_DIR as this
      machine sees it. Prints each step's output and time; fails when a
      step's exit code is not one of its returncodes.

Exit status: 0 passed, 1 failed, 2 usage.
"""

import copy
import json
import os
import subprocess
import sys
import time

MODES = ["apply", "apply-check", "config", "config-check",
         "post-interrupt-check", "uninstall", "uninstall-check",
         "upgrade", "upgrade-check"]
# a mode that changes the node, and the mode that checks it
CHECK_OF = {"apply": "apply-check", "config": "config-check",
            "uninstall": "uninstall-check", "upgrade": "upgrade-check",
            "post-interrupt": "post-interrupt-check"}
PROGRAM = "skyhook-kdump"

errors = []


def fail(msg):
    errors.append(msg)
    print("FAIL: " + msg)


def inline_refs(node, resources):
    """The schema with every $ref to a known file replaced by that file's
    contents (for a jsonschema without the referencing library)."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref in resources:
            return inline_refs(copy.deepcopy(resources[ref]), resources)
        return {k: inline_refs(v, resources) for k, v in node.items()}
    if isinstance(node, list):
        return [inline_refs(v, resources) for v in node]
    return node


def validate_schema(config, schema_dir):
    if not schema_dir or not os.path.isfile(
            os.path.join(schema_dir, "skyhook-agent-schema.json")):
        print("SKIP: schema validation: no Skyhook schemas in '%s'" % schema_dir)
        return
    try:
        import jsonschema
    except ImportError:
        print("SKIP: schema validation: python3 jsonschema is missing "
              "(Debian: python3-jsonschema)")
        return
    version = config.get("schema_version")
    if version != "v1":
        fail("config.json: schema_version is %r; this test knows v1" % version)
        return
    resources = {}
    for name in sorted(os.listdir(schema_dir)):
        if name.endswith(".json"):
            with open(os.path.join(schema_dir, name)) as f:
                resources["v1/" + name] = json.load(f)
    schema = resources["v1/skyhook-agent-schema.json"]
    try:
        from referencing import Registry, Resource
        registry = Registry().with_resources(
            (uri, Resource.from_contents(c)) for uri, c in resources.items())
        kwargs = {"registry": registry}
        how = "referencing registry"
    except ImportError:
        schema = inline_refs(schema, resources)
        kwargs = {}
        how = "references inlined"
    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema, **kwargs)
    problems = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    for e in problems:
        where = ".".join(str(p) for p in e.absolute_path) or "(top)"
        fail("config.json: schema v1: %s: %s" % (where, e.message))
    if not problems:
        print("ok: config.json validates against schema v1 (%s)" % how)


def check(pkg, schema_dir):
    config_path = os.path.join(pkg, "config.json")
    try:
        with open(config_path) as f:
            config = json.load(f)
    except (OSError, ValueError) as e:
        fail("config.json: %s" % e)
        return
    validate_schema(config, schema_dir)

    modes = config.get("modes", {})
    if not isinstance(modes, dict) or not any(modes.get(m) for m in modes):
        fail("config.json: no steps defined")
        return
    # the validator's rules
    for mode, check_mode in CHECK_OF.items():
        if modes.get(mode) and not modes.get(check_mode):
            fail("config.json: mode '%s' has steps but '%s' has none" % (mode, check_mode))
    step_root = os.path.join(pkg, "skyhook_dir")
    for mode, steps in sorted(modes.items()):
        for step in steps:
            path = os.path.join(step_root, step.get("path", ""))
            if not os.path.isfile(path):
                fail("mode '%s': step file '%s' does not exist in skyhook_dir/" % (mode, step.get("path")))
            elif not os.access(path, os.X_OK):
                fail("mode '%s': step file '%s' is not executable" % (mode, step.get("path")))
    for dirpath, dirnames, filenames in os.walk(pkg):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            p = os.path.join(dirpath, name)
            if name.endswith(".sh") and not os.access(p, os.X_OK):
                fail("shell script '%s' is not executable" % os.path.relpath(p, pkg))

    # this package's rules
    if config.get("package_name") != PROGRAM:
        fail("config.json: package_name is %r, expected %r" % (config.get("package_name"), PROGRAM))
    if "crashkernel" not in config.get("expected_config_files", []):
        fail("config.json: expected_config_files lacks 'crashkernel'")
    for mode in MODES:
        steps = modes.get(mode) or []
        if len(steps) != 1:
            fail("config.json: mode '%s' has %d steps, expected 1" % (mode, len(steps)))
            continue
        s = steps[0]
        if s.get("path") != PROGRAM or s.get("arguments") != [mode]:
            fail("config.json: mode '%s' runs %r %r, expected %r [%r]"
                 % (mode, s.get("path"), s.get("arguments"), PROGRAM, mode))
        if s.get("on_host") is not True:
            fail("config.json: mode '%s' does not run on the host" % mode)
        if s.get("returncodes") != [0]:
            fail("config.json: mode '%s' accepts exit codes %r; only 0 is success"
                 % (mode, s.get("returncodes")))
        if s.get("upgrade_step") is not False:
            fail("config.json: mode '%s' is an upgrade step: those get version arguments" % mode)
    for mode in modes:
        if mode not in MODES:
            fail("config.json: unexpected mode '%s'" % mode)
    if not errors:
        print("ok: every mode has its check, every step file exists and is executable")


def run(copy_dir, root, modes):
    with open(os.path.join(copy_dir, "config.json")) as f:
        config = json.load(f)
    step_root = os.path.join(copy_dir, "skyhook_dir")
    base_env = dict(os.environ)
    # the backends must come from the package, not from the build tree
    base_env.pop("SKYHOOK_KDUMP_BACKEND_PATH", None)
    for mode in modes:
        if mode not in ("uninstall", "uninstall-check"):
            for name in config.get("expected_config_files", []):
                if not os.path.exists(os.path.join(copy_dir, "configmaps", name)):
                    fail("%s: expected config file '%s' is not in configmaps/" % (mode, name))
                    return
        steps = config["modes"].get(mode, [])
        if not steps:
            fail("%s: no steps" % mode)
        for step in steps:
            env = dict(base_env)
            env.update(step.get("env") or {})
            env["STEP_ROOT"] = step_root
            env["SKYHOOK_DIR"] = copy_dir
            if mode.startswith("upgrade"):
                env["CURRENT_VERSION"] = config["package_version"]
                env["PREVIOUS_VERSION"] = "unknown"
            argv = [os.path.join(step_root, step["path"]), "--root", root] + step["arguments"]
            start = time.monotonic()
            p = subprocess.run(argv, cwd=copy_dir, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            took = time.monotonic() - start
            out = p.stdout.decode("utf-8", "replace")
            print("$ %s %s  [exit %d, %.3f s]" % (step["path"], " ".join(step["arguments"]),
                                                 p.returncode, took))
            for line in out.splitlines():
                print("    " + line)
            if p.returncode not in step["returncodes"]:
                fail("%s: step '%s' exited %d, not one of %r"
                     % (mode, step["name"], p.returncode, step["returncodes"]))


def main(argv):
    if len(argv) >= 2 and argv[0] == "check" and len(argv) <= 3:
        check(argv[1], argv[2] if len(argv) == 3 else None)
    elif len(argv) >= 4 and argv[0] == "run":
        run(os.path.abspath(argv[1]), os.path.abspath(argv[2]), argv[3:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
