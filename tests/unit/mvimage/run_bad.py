#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Runs mvimage on bad system descriptions: each must exit 1, print its expected error
# line(s) and leave no output behind.
#
# Every bad/*.dts starts with one or more lines `// expect: <fragment>`. A fragment that
# starts with "/" is a node path: some stderr line must read `<dts>: <fragment>...`, so the
# `<file>: <node>: <property>: <message>` format is checked too. Any other fragment need
# only appear somewhere on stderr (for errors that come from dtc or the command line).
# With --overlay, the one description is built with each bad overlay given, and the
# `// expect:` lines are the overlay's.

import argparse
import os
import shutil
import subprocess
import sys

# Images the bad descriptions may name; big.bin is larger than any region they give a cell.
IMAGES = {"a.bin": 4096, "b.bin": 4096, "small.bin": 256, "empty.bin": 0,
          "big.bin": 3 << 20}


def expectations(dts):
    fragments = []
    with open(dts, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("// expect:"):
                break
            fragments.append(line[len("// expect:"):].strip())
    return fragments


def prepare(work, microvisor):
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.join(work, "cells"))
    shutil.copyfile(microvisor, os.path.join(work, "microvisor.bin"))
    for name, size in IMAGES.items():
        with open(os.path.join(work, "cells", name), "wb") as f:
            f.write(b"\xa5" * size)


def run(args, dts, work):
    env = dict(os.environ)
    # A sanitizer report must not pass for the expected exit status 1.
    env["ASAN_OPTIONS"] = "exitcode=86:" + env.get("ASAN_OPTIONS", "")
    env["UBSAN_OPTIONS"] = "exitcode=87:print_stacktrace=1:" + env.get("UBSAN_OPTIONS", "")
    cmd = [args.mvimage, "--microvisor", os.path.join(work, "microvisor.bin"),
           "--image-dir", os.path.join(work, "cells"),
           "--output", os.path.join(work, "out.img"), "--dtc", args.dtc]
    if getattr(args, "overlay_file", None):
        cmd += ["--overlay", args.overlay_file]
    cmd.append(dts)
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)


def matches(fragment, dts, lines):
    if fragment.startswith("/"):
        return any(line.startswith(f"{dts}: {fragment}") for line in lines)
    return any(fragment in line for line in lines)


def check(args, dts, work, old_output, overlay=None):
    """Returns a list of failure messages for one bad description (or bad overlay)."""
    args.overlay_file = overlay
    fragments = expectations(overlay or dts)
    if not fragments:
        return [f"{overlay or dts}: no `// expect:` line"]
    prepare(work, args.microvisor)
    out = os.path.join(work, "out.img")
    if old_output is not None:
        with open(out, "wb") as f:
            f.write(old_output)
    r = run(args, dts, work)
    lines = r.stderr.splitlines()
    failures = []
    if r.returncode != 1:
        failures.append(f"exit status {r.returncode}, expected 1")
    for fragment in fragments:
        if not matches(fragment, dts, lines):
            failures.append(f"no stderr line with: {fragment}")
    if "Sanitizer" in r.stderr or "runtime error:" in r.stderr:
        failures.append("sanitizer report")
    if os.path.exists(out + ".tmp"):
        failures.append("temporary output left behind")
    if old_output is None and os.path.exists(out):
        failures.append("output file written")
    if old_output is not None:
        with open(out, "rb") as f:
            if f.read() != old_output:
                failures.append("previous output changed")
    if failures:
        name = overlay or dts
        failures = [f"{name}: {msg}" for msg in failures]
        failures.append(f"--- stderr of {name}:\n{r.stderr}---")
    return failures


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mvimage", required=True)
    p.add_argument("--dtc", required=True)
    p.add_argument("--microvisor", required=True,
                   help="stand-in microvisor binary (make_test_microvisor: test_board.h, the"
                   " payload at 8 KiB, loaded at the base of /microvisor memory)")
    p.add_argument("--work", required=True)
    p.add_argument("--keep-old-output", action="store_true",
                   help="start with an old output file and check it is left untouched")
    p.add_argument("--overlay", action="store_true",
                   help="the first file is the description, the others bad overlays for it")
    p.add_argument("dts", nargs="+")
    args = p.parse_args()
    old = b"an older image\n" if args.keep_old_output else None
    failures = []
    if args.overlay:
        dts = os.path.abspath(args.dts[0])
        for ov in args.dts[1:]:
            name = os.path.splitext(os.path.basename(ov))[0]
            failures += check(args, dts, os.path.join(args.work, name), old,
                              os.path.abspath(ov))
        for msg in failures:
            print(msg, file=sys.stderr)
        print(f"run_bad: {len(args.dts) - 1} overlays, {len(failures)} failures")
        return 1 if failures else 0
    for dts in args.dts:
        name = os.path.splitext(os.path.basename(dts))[0]
        failures += check(args, os.path.abspath(dts), os.path.join(args.work, name), old)
    for msg in failures:
        print(msg, file=sys.stderr)
    print(f"run_bad: {len(args.dts)} descriptions, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
