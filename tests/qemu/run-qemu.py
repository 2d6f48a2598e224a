#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Boots an image in QEMU and judges its console: fails on timeout, on a panic line, on a
# test line reporting failures, and on any expected line that never appeared.
import argparse
import codecs
import os
import re
import select
import subprocess
import sys
import time

UBOOT_QEMU = "/usr/lib/u-boot/qemu_arm/u-boot.bin"

MACHINES = {
    # Starts in Non-secure HYP.
    "vexpress-hyp": ["-M", "vexpress-a15,secure=off,virtualization=on"],
    # Starts in Secure SVC: the microvisor goes through Monitor mode into HYP itself.
    "vexpress-secure": ["-M", "vexpress-a15,virtualization=on"],
    # Debian's U-Boot (qemu_arm) boots the FIT image from a disk: the image argument is a
    # directory (tools/mkboot --boot-dir) that QEMU presents as a FAT virtio disk.
    "virt-uboot": ["-M", "virt,virtualization=on", "-cpu", "cortex-a15", "-bios", UBOOT_QEMU,
                   "-net", "none"],
    # Orange Pi PC: the boot ROM loads U-Boot's SPL from the SD card image (the image
    # argument, from tools/mkboot --sd), which boots the FIT image from its partition.
    "orangepi-sd": ["-M", "orangepi-pc"],
}

# How each machine is given the image, and its memory (orangepi-pc has a fixed 1 GiB).
def image_args(machine, image):
    if machine == "virt-uboot":
        return ["-drive", f"if=none,file=fat:rw:{image},format=raw,id=boot",
                "-device", "virtio-blk-device,drive=boot"]
    if machine == "orangepi-sd":
        return ["-sd", image]
    return ["-kernel", image]


DEFAULT_MEMORY = {"virt-uboot": "2G", "orangepi-sd": "1G"}
FATAL = re.compile(r"PANIC|exception in HYP mode|unexpected exception")
RESULT = re.compile(r"\[([^\]]+)\] (\d+) passed, (\d+) failed")


def die_with_parent():
    """QEMU gets SIGKILL when this runner dies (killed by a timeout, or its output pipe
    closed), so that no guest is left spinning a host CPU (Linux prctl PR_SET_PDEATHSIG)."""
    import ctypes
    import signal
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--qemu", default="qemu-system-arm")
    ap.add_argument("--machine", default="vexpress-hyp", choices=MACHINES)
    ap.add_argument("--smp", type=int, default=1)
    ap.add_argument("--memory", default=None, help="default: 256M (virt: 2G, orangepi: 1G)")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--icount", default=None,
                    help="-icount shift: guest time counts instructions (2^shift ns each), so "
                         "timing checks do not depend on host load; 'off' for real time. "
                         "Default: 3 with one CPU, off with several (under -icount QEMU runs "
                         "the CPUs in turns on one host thread: deterministic, but slower)")
    ap.add_argument("--expect", action="append", default=[], help="regex that must appear")
    ap.add_argument("--poweroff", action="store_true", help="the run must end by powering off")
    ap.add_argument("--log", help="also write the console here")
    ap.add_argument("--keep-going", action="store_true",
                    help="a fatal or failing line fails the run but does not end it: the run "
                         "goes on to its end (power-off, every expected line, or the timeout)")
    ap.add_argument("--send-after", nargs=2, action="append", default=[],
                    metavar=("REGEX", "BYTES"),
                    help="type BYTES on the UART once a console line matches REGEX (repeatable; "
                         "each fires once). BYTES takes Python escapes: \\xNN, \\r, \\n. A "
                         "REGEX that never matches fails the run")
    ap.add_argument("image")
    a = ap.parse_args()

    memory = a.memory or DEFAULT_MEMORY.get(a.machine, "256M")
    if a.machine == "orangepi-sd":
        a.smp = 4  # the H3 has four cores; U-Boot's PSCI parks those the system does not use
    cmd = [a.qemu, *MACHINES[a.machine], "-m", memory, "-smp", str(a.smp), "-nographic",
           "-audiodev", "none,id=n", "-no-reboot", *image_args(a.machine, a.image)]
    if a.icount is None:
        a.icount = "3" if a.smp == 1 and a.machine.startswith("vexpress") else "off"
    if a.icount != "off":
        cmd += ["-icount", f"shift={a.icount},sleep=off"]
    sends = [(re.compile(r), codecs.escape_decode(b.encode())[0]) for r, b in a.send_after]
    if sends:
        # The UART alone on stdio: -nographic's default multiplexes it with the monitor,
        # whose escape character (Ctrl-A) would swallow the console cell's own Ctrl-A.
        cmd += ["-serial", "stdio", "-monitor", "none"]
    print("run-qemu:", " ".join(cmd), flush=True)
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if sends else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            preexec_fn=die_with_parent)
    pending = [re.compile(e) for e in a.expect]
    errors = []
    log = open(a.log, "w") if a.log else None
    deadline = time.monotonic() + a.timeout
    buf = b""
    exited = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            errors.append(f"timeout after {a.timeout:.0f} s")
            break
        ready, _, _ = select.select([proc.stdout], [], [], min(left, 1.0))
        if ready:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                exited = True
                break
            buf += chunk
            while b"\n" in buf:
                raw, buf = buf.split(b"\n", 1)
                line = raw.decode("utf-8", "replace").rstrip("\r")
                print(line, flush=True)
                if log:
                    log.write(line + "\n")
                if FATAL.search(line):
                    errors.append(f"fatal line: {line}")
                m = RESULT.search(line)
                if m and (int(m.group(3)) != 0 or int(m.group(2)) == 0):
                    errors.append(f"test failures: {line}")
                pending = [p for p in pending if not p.search(line)]
                for send in [x for x in sends if x[0].search(line)]:
                    sends.remove(send)
                    print(f"run-qemu: typing {send[1]!r}", flush=True)
                    try:
                        proc.stdin.write(send[1])
                        proc.stdin.flush()
                    except BrokenPipeError:
                        pass  # QEMU is gone; the checks below say what was missed
            if errors and not a.keep_going:
                break
        if not pending and not sends and not a.poweroff:
            break
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    if a.poweroff and not exited and (not errors or a.keep_going):
        errors.append("the system did not power off")
    for p in pending:
        errors.append(f"never saw: {p.pattern}")
    for r, _ in sends:
        errors.append(f"never saw (to type after): {r.pattern}")
    if errors:
        for e in errors:
            print("run-qemu: FAIL:", e, flush=True)
        return 1
    print("run-qemu: PASS", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
