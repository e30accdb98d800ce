"""forked_map: the same results as a plain map, however the work is shared.

Forking is refused while other threads run, as they do in a test session by now,
so the cases that must fork run in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from conftest import REPO

from briefgen.build.parallel import forked
from briefgen.build.parallel.forked import forked_map

ITEMS = list(range(1000))


def in_fresh_interpreter(code: str):
    """Run ``code`` (which prints one JSON value) in a new Python; that value."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p))
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def square_with_pid(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


def test_same_results_in_order_with_the_work_shared_between_processes():
    values, pids, me = in_fresh_interpreter("""
        import json, os
        from briefgen.build.parallel.forked import forked_map
        results = forked_map(lambda i: (i * i, os.getpid()), list(range(1000)), jobs=3)
        print(json.dumps([[v for v, _ in results], sorted({p for _, p in results}), os.getpid()]))
    """)
    assert values == [i * i for i in ITEMS]
    assert me in pids and len(pids) == 3


def test_a_failing_child_has_its_share_done_here():
    values, pids, me = in_fresh_interpreter("""
        import json, os
        from briefgen.build.parallel.forked import forked_map
        parent = os.getpid()

        def fails_in_children(item):
            if os.getpid() != parent:
                raise RuntimeError("child trouble")
            return item + 1, os.getpid()

        results = forked_map(fails_in_children, list(range(1000)), jobs=2)
        print(json.dumps([[v for v, _ in results], sorted({p for _, p in results}), parent]))
    """)
    assert values == [i + 1 for i in ITEMS] and pids == [me]


def test_an_error_for_an_item_is_raised_here_as_without_workers():
    message = in_fresh_interpreter("""
        import json
        from briefgen.build.parallel.forked import forked_map

        def boom(item):
            if item == 900:
                raise ValueError("item 900")
            return item

        try:
            forked_map(boom, list(range(1000)), jobs=2)
        except ValueError as error:
            print(json.dumps(str(error)))
    """)
    assert message == "item 900"


def test_small_inputs_and_one_job_stay_in_this_process():
    for items, jobs in ((ITEMS[:10], 4), (ITEMS, 1)):
        assert {pid for _, pid in forked_map(square_with_pid, items, jobs=jobs)} == {os.getpid()}


def test_no_fork_when_other_threads_run(monkeypatch):
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    assert {pid for _, pid in forked_map(square_with_pid, ITEMS, jobs=4)} == {os.getpid()}


@pytest.mark.parametrize("count", [1, 2])
def test_other_threads_forbid_forking(count):
    import threading

    stop = threading.Event()
    threads = [threading.Thread(target=stop.wait) for _ in range(count)]
    for thread in threads:
        thread.start()
    try:
        assert not forked.can_fork()
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def test_when_this_share_fails_the_children_are_reaped_before_the_error():
    left = in_fresh_interpreter("""
        import json, os
        from briefgen.build.parallel.forked import forked_map
        parent = os.getpid()

        def fails_here(item):
            if os.getpid() == parent:
                raise ValueError("parent share")
            return item

        try:
            forked_map(fails_here, list(range(100_000)), jobs=3)   # children fill their pipes
        except ValueError:
            pass
        try:
            os.waitpid(-1, os.WNOHANG)
            print(json.dumps("a child was left"))
        except ChildProcessError:
            print(json.dumps("none left"))
    """)
    assert left == "none left"
