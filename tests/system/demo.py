#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The system test of the demo (systems/demo-linux.dts, docs/linux.md): `run` boots the
# image once and keeps its console log; each `check ASPECT` judges one requirement from
# that log. bench/run imports figures() from here.
#
#   demo.py run --image IMG --log LOG [--qemu Q] [--timeout S] [--machine M [--keep-going]]
#   demo.py check shells|netperf|rtos|rtos-icount|restart|restart-icount|linux-restart|poweroff --log LOG
#   demo.py summary --log LOG        the figures, for scripts/demo-linux
import argparse
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RUN_QEMU = os.path.join(ROOT, "tests", "qemu", "run-qemu.py")
TESTS = ("TCP_STREAM", "TCP_RR", "UDP_RR")
# The demo's QEMU: 2 CPUs in real time by default (docs/linux.md; the one-CPU variant runs
# under -icount: --smp 1 --icount 0), 1 GiB
# (vexpress-a15; the other boards take run-qemu.py's memory for them: virt 2 GiB, so that
# its RAM from 0x40000000 covers the vexpress's, orangepi-pc its fixed 1 GiB).
SMP, MEMORY = 2, "1G"
# The end of the run: the console cell, last, stops after every other cell. On orangepi-pc
# that is the last line, as QEMU's H3 model does not exit on SYSTEM_OFF (docs/boards.md).
CONSOLE_DONE = "console: every client has stopped, stopping"

# A line may follow a shell prompt the cell printed without a newline: "[linux1] linux1# ".
NETPERF = re.compile(r"\[linux1\] .*?mv-netperf: (\w+) ([0-9.]+) (\S+)")
READY = re.compile(r"\[(linux\d)\] .*?mv-init: \1 ready after ([0-9.]+) s \(restarts (\d+)\)")
RTOS = re.compile(r"\[linux1\] .*?mv-rtos: (\w+) status=(-?\d+) samples=(\d+) missed=(\d+) "
                  r"mean=([0-9.]+)us p999=([0-9.]+)us worst=([0-9.]+)us period=(\d+)us")
RTOS_RESULT = re.compile(r"\[rtos\] (\d+) passed, (\d+) failed")
# The RTOS's histogram, one line per statistics request (cells/rtos/demo/main.c): the
# client asks for the idle phase's first, then the netperf phase's.
HISTOGRAM = re.compile(r"\[rtos\] rtos-histogram: n=(\d+) tick_ns=(\d+) log2=([0-9,]+)")
HISTOGRAM_PHASES = ("idle", "netperf")
# The -icount variant (systems/demo-linux-icount.dts): the target for the worst case under
# netperf, as a multiple of the idle one.
ICOUNT_LOAD_RATIO = 1.2


def run(args):
    cmd = [sys.executable, RUN_QEMU, "--qemu", args.qemu, "--machine", args.machine,
           "--smp", str(args.smp), "--timeout", str(args.timeout), "--log", args.log]
    if args.icount:
        cmd += ["--icount", args.icount]
    if args.machine.startswith("vexpress"):
        cmd += ["--memory", MEMORY]
    cmd += ["--expect", CONSOLE_DONE] if args.machine == "orangepi-sd" else ["--poweroff"]
    if args.keep_going:
        cmd.append("--keep-going")
    r = subprocess.run(cmd + [args.image])
    with open(args.log + ".status", "w") as f:
        f.write("PASS\n" if r.returncode == 0 else "FAIL\n")
    if args.keep_going:
        # The run's own verdict is in LOG.status; the checks judge the log.
        return 0 if os.path.exists(args.log) else 1
    return r.returncode


def figures(text):
    """Everything the demo measured, from its console log."""
    fig = {"netperf": {}, "rtos": {}, "ready": {}, "histogram": {}}
    for m in HISTOGRAM.finditer(text):
        n = int(m.group(1))
        if n <= len(HISTOGRAM_PHASES):
            fig["histogram"][HISTOGRAM_PHASES[n - 1]] = [int(c) for c in m.group(3).split(",")]
    before_panic = text.split("asking 10.0.0.1 to panic")[0]
    for m in NETPERF.finditer(before_panic):
        fig["netperf"].setdefault(m.group(1), (float(m.group(2)), m.group(3)))
    for m in READY.finditer(text):
        fig["ready"].setdefault((m.group(1), int(m.group(3))), float(m.group(2)))
    for m in RTOS.finditer(text):
        fig["rtos"][m.group(1)] = {
            "status": int(m.group(2)), "samples": int(m.group(3)), "missed": int(m.group(4)),
            "mean_us": float(m.group(5)), "p999_us": float(m.group(6)),
            "worst_us": float(m.group(7)), "period_us": int(m.group(8))}
    return fig


def check(aspect, text, status):
    """Returns the list of failures for one aspect."""
    fig = figures(text)
    errors = []
    if aspect == "shells":
        for cell in ("linux0", "linux1"):
            if (cell, 0) not in fig["ready"]:
                errors.append(f"{cell} never reached its shell")
    elif aspect == "netperf":
        for t in TESTS:
            v = fig["netperf"].get(t)
            if not v or v[0] <= 0:
                errors.append(f"netperf {t}: no non-zero result")
    elif aspect in ("rtos", "rtos-icount"):
        # rtos: the demo in real time, where a busy host delays every guest, reports the
        # deadline figures and judges only that they were measured. rtos-icount: the
        # one-CPU variant under -icount, deterministic, fails on a miss (docs/rtos.md).
        idle, load = fig["rtos"].get("idle"), fig["rtos"].get("netperf")
        for phase, r in (("idle", idle), ("netperf", load)):
            if not r:
                errors.append(f"no RTOS statistics for the {phase} phase")
            elif r["status"] != 0 or r["samples"] == 0:
                errors.append(f"RTOS {phase}: {r}")
            elif aspect == "rtos-icount" and r["missed"]:
                errors.append(f"RTOS {phase}: {r['missed']} missed deadlines")
        if idle and load and idle["worst_us"] > 0:
            ratio = load["worst_us"] / idle["worst_us"]
            print(f"demo: RTOS worst case idle {idle['worst_us']} us, during netperf "
                  f"{load['worst_us']} us ({ratio:.2f} x idle), missed {idle['missed']} idle, "
                  f"{load['missed']} during netperf")
            # Reported, not judged: preempting a Linux vCPU costs its register save, which
            # waking from the idle loop does not, so under -icount the worst case during
            # netperf is 1.2 to 1.4 x the idle one (docs/rtos.md).
            if ratio > ICOUNT_LOAD_RATIO:
                print(f"demo: the RTOS's worst case during netperf is above "
                      f"{ICOUNT_LOAD_RATIO} x idle (reported, not judged)")
        m = RTOS_RESULT.search(text)
        if not m or m.group(2) != "0" or m.group(1) == "0":
            errors.append("the RTOS's own checks did not pass")
    elif aspect in ("restart", "restart-icount", "linux-restart"):
        # The Linux cells' part, and the RTOS's deadlines from before the panic to its final
        # report: judged in the one-CPU variant under -icount (restart-icount), reported in
        # real time (restart, where a busy host delays every guest), left out on the other
        # boards (linux-restart, docs/boards.md).
        expect = [r"\[linux0\] Kernel panic - not syncing: sysrq triggered crash",
                  r"\[linux0\] .*?mv-init: linux0 ready after [0-9.]+ s \(restarts 1\)",
                  r"\[linux1\] .*?mv-init: peer 10\.0\.0\.1 is back after its restart"]
        for e in expect:
            if not re.search(e, text):
                errors.append(f"never saw: {e}")
        # The others kept running: linux1 measured again after the restart, and the RTOS
        # kept sampling without a miss from before the panic to its final report.
        after = text.split("is back after its restart")[-1]
        if not re.search(r"\[linux1\] .*?mv-netperf: TCP_RR [1-9]", after):
            errors.append("linux1 did not run netperf after linux0's restart")
        load, final = fig["rtos"].get("netperf"), fig["rtos"].get("final")
        if aspect != "linux-restart":
            if not load or not final or final["samples"] <= load["samples"]:
                errors.append(f"the RTOS did not keep sampling through the restart: {final}")
            elif final["missed"]:
                print(f"demo: the RTOS missed {final['missed']} deadlines through the restart"
                      f"{'' if aspect == 'restart-icount' else ' (real time: reported, not judged)'}")
                if aspect == "restart-icount":
                    errors.append("the RTOS missed deadlines through the restart")
    elif aspect == "poweroff":
        if CONSOLE_DONE not in text:
            errors.append("the console cell did not see every cell stop")
        if status != "PASS":
            errors.append("the run did not end with the board powering off cleanly")
    else:
        errors.append(f"unknown aspect {aspect}")
    return errors


def summary(text):
    fig = figures(text)
    print("\n== demo figures (QEMU, wall clock; see docs/linux.md) ==")
    for cell in ("linux0", "linux1"):
        if (cell, 0) in fig["ready"]:
            print(f"{cell} boot to shell        {fig['ready'][(cell, 0)]:8.2f} s")
    for t in TESTS:
        if t in fig["netperf"]:
            v, unit = fig["netperf"][t]
            print(f"netperf {t:10}         {v:10.2f} {unit}")
    for phase in ("idle", "netperf", "final"):
        r = fig["rtos"].get(phase)
        if r:
            print(f"RTOS {phase:8} {r['samples']:6} releases every {r['period_us']} us: "
                  f"mean {r['mean_us']} us, p99.9 {r['p999_us']} us, worst {r['worst_us']} us, "
                  f"{r['missed']} missed")
    for aspect in ("shells", "netperf", "rtos", "restart", "poweroff"):
        errors = check(aspect, text, "PASS")
        print(f"check {aspect:9} {'ok' if not errors else 'FAILED: ' + '; '.join(errors)}")


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--image", required=True)
    r.add_argument("--log", required=True)
    r.add_argument("--qemu", default="qemu-system-arm")
    r.add_argument("--timeout", type=float, default=400)
    r.add_argument("--smp", type=int, default=SMP)
    r.add_argument("--icount", help="run-qemu.py's -icount shift (default: off with 2 CPUs)")
    r.add_argument("--machine", default="vexpress-hyp",
                   help="run-qemu.py's machine: vexpress-hyp, virt-uboot (IMG: the boot "
                        "directory) or orangepi-sd (IMG: the SD card image)")
    r.add_argument("--keep-going", action="store_true",
                   help="run to the end despite failing lines, and pass if a log was written "
                        "(the boards tests: their checks judge the log)")
    c = sub.add_parser("check")
    c.add_argument("aspect")
    c.add_argument("--log", required=True)
    s = sub.add_parser("summary")
    s.add_argument("--log", required=True)
    a = ap.parse_args()
    if a.cmd == "run":
        return run(a)
    if a.cmd == "summary":
        with open(a.log, encoding="utf-8", errors="replace") as f:
            summary(f.read())
        return 0
    try:
        with open(a.log, encoding="utf-8", errors="replace") as f:
            text = f.read()
        with open(a.log + ".status") as f:
            status = f.read().strip()
    except OSError as e:
        print(f"demo: no log of the demo run: {e}")
        return 1
    errors = check(a.aspect, text, status)
    for e in errors:
        print(f"demo: {a.aspect}: FAIL: {e}")
    print(f"demo: {a.aspect}: {'FAIL' if errors else 'PASS'}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
