#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# A good overlay: mvimage builds the description with each overlay given, and each image
# is byte for byte the image of the description with the overlay's properties written in.
#
#   run_overlay.py --mvimage M --dtc D --microvisor B --work W SYSTEM WHOLE OVERLAY...
import argparse
import os
import subprocess
import sys

from run_bad import prepare


def build(args, work, out, dts, overlay=None):
    cmd = [args.mvimage, "--microvisor", os.path.join(work, "microvisor.bin"),
           "--image-dir", os.path.join(work, "cells"), "--output", out, "--dtc", args.dtc]
    if overlay:
        cmd += ["--overlay", overlay]
    r = subprocess.run(cmd + [dts], capture_output=True, text=True, timeout=120)
    if r.returncode != 0 or "Sanitizer" in r.stderr or "runtime error:" in r.stderr:
        print(f"run_overlay: {' '.join(cmd + [dts])}: exit {r.returncode}\n{r.stderr}",
              file=sys.stderr)
        return None
    with open(out, "rb") as f:
        return f.read()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mvimage", required=True)
    p.add_argument("--dtc", required=True)
    p.add_argument("--microvisor", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("system")
    p.add_argument("whole")
    p.add_argument("overlays", nargs="+")
    args = p.parse_args()
    prepare(args.work, args.microvisor)
    want = build(args, args.work, os.path.join(args.work, "whole.img"), args.whole)
    failures = 0 if want else 1
    for ov in args.overlays:
        got = build(args, args.work, os.path.join(args.work, "overlay.img"), args.system, ov)
        if want and got != want:
            print(f"run_overlay: {ov}: the image differs from {args.whole}'s", file=sys.stderr)
            failures += 1
        elif not got:
            failures += 1
    print(f"run_overlay: {len(args.overlays)} overlays, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
