#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Turns the package's config.json into one shell function per mode,
mode_<name>, that runs the mode's steps in order the way the Skyhook agent
does: the step's path below $STEP_ROOT, its arguments, its env, and the
exit codes listed in returncodes as success (the step function in
guest/agent.sh).

    agent-steps.py CONFIG_JSON > steps.sh
"""
import json
import shlex
import sys


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        config = json.load(f)
    print("# generated from config.json by agent-steps.py")
    for mode, steps in config["modes"].items():
        print(f"mode_{mode.replace('-', '_')}() {{")
        for s in steps:
            words = [mode, s["name"], " ".join(str(c) for c in s["returncodes"]), "env"]
            words += [f"{k}={v}" for k, v in sorted(s.get("env", {}).items())]
            cmd = " ".join(shlex.quote(w) for w in words)
            path = '"$STEP_ROOT"/' + shlex.quote(s["path"])
            args = " ".join(shlex.quote(a) for a in s.get("arguments", []))
            print(f"\tstep {cmd} {path} {args} || return 1")
        print("}")


if __name__ == "__main__":
    main()
