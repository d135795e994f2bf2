#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Validate status --json documents against schemas/status.schema.json.

Usage: status-schema-check.py SCHEMA FILE...
Exit 0 when every file is one JSON object that the schema accepts, 1 when
one is not (each problem on its own line), 77 when the jsonschema module
is missing (the caller skips, saying so).
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("status-schema-check: python3 module jsonschema not installed", file=sys.stderr)
    sys.exit(77)


def refuse_constant(name):
    # NaN and Infinity are not JSON, though Python accepts them
    raise ValueError(f"not JSON: {name}")


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    failed = False
    for path in argv[2:]:
        try:
            with open(path, "rb") as f:
                doc = json.loads(f.read().decode("utf-8", errors="strict"),
                                 parse_constant=refuse_constant)
        except (ValueError, UnicodeDecodeError) as e:
            print(f"{path}: not JSON: {e}", file=sys.stderr)
            failed = True
            continue
        for error in validator.iter_errors(doc):
            where = "/".join(str(p) for p in error.absolute_path) or "(top)"
            print(f"{path}: {where}: {error.message}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
