#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Line coverage of the generic core (microvisor/src, vcpu/src, vmmu/src, channels/src,
# vdev/src) by the host unit tests: merges the gcov data of every unit-test object built
# from those sources (each test compiles the sources it links itself), a line counting as
# covered when any test ran it. Run after the unit tests (ctest -L unit) in a build whose
# unit tests were compiled with --coverage (MV_UNIT_COVERAGE, on by default).
# Prints one line per file and "unit_coverage_generic=<percent>"; --json writes the same.
import argparse
import glob
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GENERIC = ["microvisor/src", "vcpu/src", "vmmu/src", "channels/src", "vdev/src"]


def generic_source(path):
    rel = os.path.relpath(os.path.realpath(path), ROOT)
    return rel if any(rel.startswith(d + "/") for d in GENERIC) else None


def gcov_lines(gcda):
    """{source: {line: count}} of one object's gcov data."""
    out = subprocess.run(["gcov", "--json-format", "--stdout", gcda], cwd=os.path.dirname(gcda),
                         capture_output=True, text=True, check=False)
    result = {}
    for text in out.stdout.splitlines():
        if not text.strip():
            continue
        for f in json.loads(text).get("files", []):
            src = f["file"]
            if not os.path.isabs(src):
                src = os.path.join(os.path.dirname(gcda), src)
            rel = generic_source(src)
            if rel:
                lines = result.setdefault(rel, {})
                for line in f["lines"]:
                    lines[line["line_number"]] = lines.get(line["line_number"], 0) + line["count"]
    return result


def main():
    ap = argparse.ArgumentParser(description="Line coverage of the generic core by the unit tests.")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--json", help="write the figures to this file")
    a = ap.parse_args()
    gcdas = glob.glob(os.path.join(a.build, "tests", "unit", "**", "*.gcda"), recursive=True)
    merged = {}
    for gcda in gcdas:
        for src, lines in gcov_lines(gcda).items():
            m = merged.setdefault(src, {})
            for n, count in lines.items():
                m[n] = m.get(n, 0) + count
    # Every generic source counts, also one no test links (all its lines uncovered).
    total = covered = 0
    report = {}
    for d in GENERIC:
        for path in sorted(glob.glob(os.path.join(ROOT, d, "*.c"))):
            rel = os.path.relpath(path, ROOT)
            lines = merged.get(rel)
            if lines is None:
                n = executable_estimate(path)
                report[rel] = (0, n)
            else:
                report[rel] = (sum(1 for c in lines.values() if c > 0), len(lines))
            covered += report[rel][0]
            total += report[rel][1]
    for rel, (c, n) in report.items():
        print(f"{rel:40s} {c:4d}/{n:4d} {100.0 * c / n if n else 100.0:5.1f}%")
    pct = 100.0 * covered / total if total else 0.0
    print(f"unit_coverage_generic={pct:.1f}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"unit_coverage_generic": round(pct, 1),
                       "files": {k: {"covered": c, "lines": n} for k, (c, n) in report.items()}},
                      f, indent=2)
    return 0 if gcdas else 1


def executable_estimate(path):
    """Lines of a source no unit test compiles: its non-blank, non-comment lines that are
    not preprocessor directives or lone braces (gcov would count a little fewer)."""
    n = 0
    in_comment = False
    for line in open(path):
        s = line.strip()
        if in_comment:
            in_comment = "*/" not in s
            continue
        if s.startswith("/*"):
            in_comment = "*/" not in s
            continue
        if not s or s.startswith("//") or s.startswith("#") or s in ("{", "}", "};"):
            continue
        n += 1
    return n


if __name__ == "__main__":
    sys.exit(main())
