"""TaskRunner's quiet mode: a background refresh shows no (modal) progress dialog, only a busy
indicator on the page while the work runs, and still delivers its result or its error."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QProgressDialog, QWidget

from desktop.tasks import BusyIndicator, TaskRunner

pytestmark = pytest.mark.gui


def test_quiet_run_shows_no_dialog_and_runs_the_busy_indicator(qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    busy = BusyIndicator(page)
    page.show()
    runner = TaskRunner()
    release = threading.Event()
    results = []
    runner.run(lambda _ctx: release.wait(5) and 42, parent=page, label="x", on_success=results.append,
               quiet=True, busy=busy)
    qtbot.wait(500)  # longer than the dialog's 400 ms minimum duration
    assert busy.isVisible()
    assert not page.findChildren(QProgressDialog)
    assert page.isEnabled()
    release.set()
    qtbot.waitUntil(lambda: results == [42], timeout=5000)
    assert not busy.isVisible()


def test_quiet_run_delivers_an_error_and_stops_the_indicator(qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    busy = BusyIndicator(page)
    page.show()
    errors = []

    def fail(_ctx):
        raise ValueError("boom")

    TaskRunner().run(fail, parent=page, label="x", on_failure=errors.append, quiet=True, busy=busy)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert isinstance(errors[0], ValueError)
    assert not busy.isVisible()


def test_an_answer_for_a_page_deleted_meanwhile_is_dropped_and_the_job_let_go(qtbot):
    """Closing a window while its refresh runs: the answer is not delivered to deleted widgets (no
    "Internal C++ object already deleted"), and the runner lets go of the finished job later."""
    import shiboken6

    page = QWidget()
    busy = BusyIndicator(page)
    runner = TaskRunner()
    release = threading.Event()
    delivered = []
    runner.run(lambda _ctx: release.wait(5) and 42, parent=page, label="x", on_success=delivered.append,
               on_failure=delivered.append, quiet=True, busy=busy)
    shiboken6.delete(page)  # the page (and its busy indicator) go while the work runs
    release.set()
    assert runner.wait(5000)
    qtbot.waitUntil(lambda: not runner._jobs, timeout=5000)
    assert delivered == [] and len(runner._done) == 1
    runner.run(lambda _ctx: None, parent=None, label="x", quiet=True)  # a later run …
    runner.run(lambda _ctx: None, parent=None, label="x", quiet=True)  # … and the next let it go
    assert not any(d.on_success == delivered.append for d in runner._done + runner._done_before)
    assert runner.wait(5000)


def test_emitting_signals_keeps_pythons_booleans_alive(qapp):
    """PySide6 6.12.0 dropped a reference to True on every Signal.emit() called from Python: after a
    few thousand emits (an import's progress, background refreshes) the interpreter aborted with
    "deallocating True or False". pyproject excludes that release; this catches any release like it."""
    import sys

    from PySide6.QtCore import QObject, Signal

    class Source(QObject):
        value = Signal(object)
        progress = Signal(int, int)

    source, seen = Source(), []
    source.value.connect(seen.append)
    source.progress.connect(lambda done, total: None)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(200):
        source.value.emit(i % 2 == 0)
        source.progress.emit(i, 200)
    first, count = seen[:2], len(seen)
    seen.clear()  # the received values' own references
    first = [repr(v) for v in first]
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
    assert first == ["True", "False"] and count == 200
