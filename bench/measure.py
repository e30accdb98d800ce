"""Run one command in a fresh process and report its wall time and peak memory as JSON.

``bench/run.py`` starts this wrapper once per timed build; ``wait4``'s
``ru_maxrss`` (the largest resident set of the command or any descendant it
waited for) belongs to that build alone. With ``--sample``
it also polls the whole process tree (the command and every process it starts,
such as ``--jobs`` workers) every 20 ms and records two sums:

- the peak of the summed RSS (and PSS) seen at one instant: what the tree held at
  once, a lower bound, since a spike between two polls is missed;
- the sum over every process seen of its own peak RSS, ``VmHWM`` in
  ``/proc/PID/status``, which the kernel keeps exactly: an upper bound, since the
  processes need not peak together. A process that lives less than one poll is
  missed; one that grows after its last poll and exits counts its last reading.

Reading PSS walks every page of every process (``smaps_rollup``) and costs CPU,
so full sampling is for memory runs; ``--sample-light`` reads only the counters
in ``/proc/PID/status`` (no PSS), cheap enough to run on a timed build.

Usage: ``python bench/measure.py [--sample | --sample-light] [--log FILE] [--timeout S] -- CMD...``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

SAMPLE_SECONDS = 0.02


def _children(pid: int) -> list[int]:
    kids: list[int] = []
    try:
        for task in os.scandir(f"/proc/{pid}/task"):
            try:
                kids += [int(k) for k in Path(task.path, "children").read_text().split()]
            except OSError:
                pass
    except OSError:
        pass
    return kids


def process_tree(root: int) -> list[int]:
    """``root`` and all its live descendants."""
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo += _children(pid)
    return tree


def _kib(pid: int, file: str, first: str, second: str) -> tuple[int, int]:
    """Two "Key: N kB" fields of /proc/PID/<file>; zeros if the process is gone."""
    values = {first: 0, second: 0}
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            key = line.split(":", 1)[0]
            if key in values:
                values[key] = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return values[first], values[second]


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB, from /proc/PID/smaps_rollup (walks its pages)."""
    return _kib(pid, "smaps_rollup", "Rss", "Pss")


def status_kib(pid: int) -> tuple[int, int]:
    """(RSS now, peak RSS) of one process in KiB, from /proc/PID/status (counters only)."""
    return _kib(pid, "status", "VmRSS", "VmHWM")


class TreeSampler(threading.Thread):
    """Polls a process tree: peak summed RSS (and PSS) at one instant, each process's own
    peak (VmHWM) summed over all processes seen, and the most processes at once."""

    def __init__(self, pid: int, pss: bool = True):
        super().__init__(daemon=True)
        self.pid = pid
        self.pss = pss
        self.peak_rss = self.peak_pss = self.peak_processes = 0
        self.hwm: dict[int, int] = {}  # pid → its largest VmHWM seen
        self.stop = threading.Event()

    def sample(self) -> None:
        """One poll of the tree."""
        rss_sum = pss_sum = alive = 0
        for pid in process_tree(self.pid):
            rss, hwm = status_kib(pid)
            if not rss:
                continue  # gone, or a zombie
            alive += 1
            rss_sum += rss
            self.hwm[pid] = max(self.hwm.get(pid, 0), hwm)
            if self.pss:
                pss_sum += memory_kib(pid)[1]
        self.peak_rss = max(self.peak_rss, rss_sum)
        self.peak_pss = max(self.peak_pss, pss_sum)
        self.peak_processes = max(self.peak_processes, alive)

    @property
    def peaks_summed(self) -> int:
        return sum(self.hwm.values())

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(SAMPLE_SECONDS)


def measure(cmd: list[str], log: Path | None, timeout: float | None, sample: bool,
            light: bool = False) -> dict:
    """Run ``cmd``; wall seconds, exit code, ru_maxrss of children and, if sampled, tree peaks."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115  (closed below)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    sampler = TreeSampler(proc.pid, pss=not light) if sample or light else None
    if sampler:
        sampler.start()
    # A blocking wait returns the moment the build exits; Popen.wait(timeout=...) polls,
    # every 50 ms once the build has run a while, which rounded every time up by as much.
    killed = threading.Event()

    def kill() -> None:
        killed.set()
        proc.kill()

    timer = threading.Timer(timeout, kill) if timeout else None
    if timer:
        timer.start()
    # wait4 gives this command's own rusage (its ru_maxrss covers the descendants it
    # waited for), not that of whatever else the calling process ran before. Linux
    # also counts the image the command was forked from: hence a small wrapper process.
    _, status, usage = os.wait4(proc.pid, 0)
    code = proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if timer:
        timer.cancel()
    timed_out = killed.is_set()
    if sampler:
        sampler.stop.set()
        sampler.join()
    if log:
        out.close()
    result = {"wall": wall, "rc": code, "timed_out": timed_out,
              "maxrss_kib": usage.ru_maxrss}
    if sampler:
        result.update(tree_rss_kib=sampler.peak_rss, tree_pss_kib=sampler.peak_pss,
                      processes=sampler.peak_processes, tree_hwm_kib=sampler.peaks_summed,
                      processes_seen=len(sampler.hwm))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", action="store_true", help="also sample the process tree")
    parser.add_argument("--sample-light", action="store_true",
                        help="sample the process tree without PSS (cheap; for timed builds)")
    parser.add_argument("--log", type=Path, help="file for the command's stdout and stderr")
    parser.add_argument("--timeout", type=float, help="kill the command after this many seconds")
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("no command given")
    print(json.dumps(measure(cmd, args.log, args.timeout, args.sample, args.sample_light)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
