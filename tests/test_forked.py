"""forked_map: the same results as a plain map, however the work is shared."""

from __future__ import annotations

import os

import pytest

from briefgen import forked
from briefgen.forked import forked_map

ITEMS = list(range(1000))


def square_with_pid(item: int) -> tuple[int, int]:
    return item * item, os.getpid()


def test_same_results_in_order_with_the_work_shared_between_processes():
    results = forked_map(square_with_pid, ITEMS, jobs=3)
    assert [value for value, _ in results] == [i * i for i in ITEMS]
    pids = {pid for _, pid in results}
    assert os.getpid() in pids and len(pids) == 3


def test_small_inputs_and_one_job_stay_in_this_process():
    for items, jobs in ((ITEMS[:10], 4), (ITEMS, 1)):
        assert {pid for _, pid in forked_map(square_with_pid, items, jobs=jobs)} == {os.getpid()}


def test_a_failing_child_has_its_share_done_here():
    parent = os.getpid()

    def fails_in_children(item: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("child trouble")
        return item + 1

    assert forked_map(fails_in_children, ITEMS, jobs=2) == [i + 1 for i in ITEMS]


def test_an_error_for_an_item_is_raised_here_as_without_workers():
    def boom(item: int) -> int:
        if item == 900:
            raise ValueError("item 900")
        return item

    with pytest.raises(ValueError, match="item 900"):
        forked_map(boom, ITEMS, jobs=2)


def test_no_fork_when_other_threads_run(monkeypatch):
    monkeypatch.setattr(forked, "can_fork", lambda: False)
    assert {pid for _, pid in forked_map(square_with_pid, ITEMS, jobs=4)} == {os.getpid()}
