"""Cycles are collected on the UI thread only: a worker that allocates never runs the collector, so a
Qt object held in garbage is never destroyed on a worker thread (the crash of issue 20)."""

from __future__ import annotations

import gc
import threading
from typing import Any

import pytest

from desktop.gcguard import GarbageCollector

pytestmark = pytest.mark.gui


def test_a_worker_that_makes_garbage_never_collects_it_the_ui_thread_does(qtbot: Any) -> None:
    collecting_on: list[int] = []

    def watch(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            collecting_on.append(threading.get_ident())

    def churn() -> None:
        for _ in range(50_000):  # far past gen-0's threshold: Python alone would collect here, many times
            holder: list[Any] = []
            holder.append(holder)

    collector = GarbageCollector(interval_ms=20)
    gc.callbacks.append(watch)
    collector.start()
    try:
        worker = threading.Thread(target=churn)
        worker.start()
        worker.join()
        assert worker.ident not in collecting_on
        qtbot.waitUntil(lambda: collector.collections > 0, timeout=5000)
        assert set(collecting_on) == {threading.main_thread().ident}
        assert not gc.isenabled()
    finally:
        collector.stop()
        gc.callbacks.remove(watch)
    assert gc.isenabled()
