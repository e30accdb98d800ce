"""Run one command in a fresh process and report its wall time and peak memory as JSON.

``bench/run.py`` starts this wrapper once per timed build, so that
``getrusage(RUSAGE_CHILDREN).ru_maxrss`` (the largest resident set of any one
descendant that was waited for) belongs to that build alone. With ``--sample``
it also polls the whole process tree (the command and every process it starts,
such as ``--jobs`` workers) and records the peak of the summed RSS and PSS;
polling costs CPU, so sampled runs are for memory, not for timing.

Usage: ``python bench/measure.py [--sample] [--log FILE] [--timeout S] -- CMD...``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB, from /proc/PID/smaps_rollup; zeros if gone."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except (OSError, ValueError):
        pass
    return rss, pss


class TreeSampler(threading.Thread):
    """Polls a process tree and keeps the peak summed RSS and PSS and the most processes."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss = self.peak_pss = self.peak_processes = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            pids = process_tree(self.pid)
            sizes = [memory_kib(pid) for pid in pids]
            self.peak_rss = max(self.peak_rss, sum(r for r, _ in sizes))
            self.peak_pss = max(self.peak_pss, sum(p for _, p in sizes))
            self.peak_processes = max(self.peak_processes, sum(1 for r, _ in sizes if r))
            self.stop.wait(SAMPLE_SECONDS)


def measure(cmd: list[str], log: Path | None, timeout: float | None, sample: bool) -> dict:
    """Run ``cmd``; wall seconds, exit code, ru_maxrss of children and, if sampled, tree peaks."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115  (closed below)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    sampler = TreeSampler(proc.pid) if sample else None
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
    code = proc.wait()
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
              "maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}
    if sampler:
        result.update(tree_rss_kib=sampler.peak_rss, tree_pss_kib=sampler.peak_pss,
                      processes=sampler.peak_processes)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", action="store_true", help="also sample the process tree")
    parser.add_argument("--log", type=Path, help="file for the command's stdout and stderr")
    parser.add_argument("--timeout", type=float, help="kill the command after this many seconds")
    parser.add_argument("cmd", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        parser.error("no command given")
    print(json.dumps(measure(cmd, args.log, args.timeout, args.sample)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
