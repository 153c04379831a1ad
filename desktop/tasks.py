"""Work off the UI thread: one small API with progress, cooperative cancel and a synchronous mode.

``runner.run(fn, ...)`` calls ``fn(ctx)`` on a worker thread. ``fn`` opens its own database session
(``unit_of_work(factory, actor)``) — sessions are never shared across threads — and may call
``ctx.progress(done, total)``, which returns False once the user pressed Cancel, and poll
``ctx.cancelled()``. The result, or the exception, is delivered on the UI thread. Tests build the
runner with ``synchronous=True``: the work runs inline and no progress dialog is shown.

``quiet=True`` is for background refreshes (the home dashboard): no dialog and nothing modal, so the
window stays usable while the work runs; a ``BusyIndicator`` placed on the page (``busy=``) runs
while it does.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget

from .errorhook import said
from .prompts import Prompts


@contextmanager
def busy_cursor() -> Iterator[None]:
    """The wait cursor while a short piece of work runs on the UI thread (a save that may wait a few
    seconds for another program's write to finish)."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


class TaskContext:
    """Handed to the work function: report progress, notice a cancel."""

    def __init__(self) -> None:
        self._cancel = threading.Event()
        self.on_progress: Callable[[int, int], None] | None = None

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def progress(self, done: int, total: int) -> bool:
        if self.on_progress is not None:
            self.on_progress(int(done), int(total))
        return not self._cancel.is_set()


class BusyIndicator(QProgressBar):
    """A slim indeterminate bar a page shows while its quiet background work runs (hidden otherwise)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("busyIndicator")
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.setFixedSize(90, 6)
        self.setToolTip(QCoreApplication.translate("TaskRunner", "Working in the background…"))
        self._running = 0
        self.hide()

    def start(self) -> None:
        self._running += 1
        self.show()

    def stop(self) -> None:
        self._running = max(0, self._running - 1)
        if not self._running:
            self.hide()


class _Signals(QObject):
    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)


class _Worker(QRunnable):
    def __init__(self, fn: Callable[[TaskContext], Any], ctx: TaskContext, signals: _Signals) -> None:
        super().__init__()
        self.fn, self.ctx, self.signals = fn, ctx, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        # The job (UI thread) holds fn and ctx too, and lets go of them there: nothing a work function
        # refers to (a widget in its closure) is ever freed on this thread (see desktop/gcguard.py).
        fn, ctx = self.fn, self.ctx
        self.fn = self.ctx = None  # type: ignore[assignment]
        ctx.on_progress = self.signals.progress.emit
        try:
            result = fn(ctx)
        except BaseException as exc:  # delivered to the UI thread, shown there
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)


class _Job(QObject):
    """Lives on the UI thread; receives the worker's signals (queued) and drives the dialog."""

    def __init__(self, runner: TaskRunner, dialog: QProgressDialog | None,
                 on_success: Callable[[Any], None] | None, on_failure: Callable[[BaseException], None],
                 busy: BusyIndicator | None = None, owner: QWidget | None = None) -> None:
        super().__init__()
        self.runner, self.dialog, self.busy, self.owner = runner, dialog, busy, owner
        self.on_success, self.on_failure = on_success, on_failure

    def _owner_gone(self) -> bool:
        """The widget the answer is for (``parent=``) was closed and deleted while the work ran."""
        return self.owner is not None and not shiboken6.isValid(self.owner)

    @Slot(int, int)
    def progress(self, done: int, total: int) -> None:
        if self.dialog is not None:
            self.dialog.setMaximum(max(total, 0))
            self.dialog.setValue(min(done, total) if total else 0)

    @Slot(object)
    def succeeded(self, result: object) -> None:
        self._close()
        if self.on_success is not None and not self._owner_gone():
            self.on_success(result)

    @Slot(object)
    def failed(self, exc: object) -> None:
        self._close()
        assert isinstance(exc, BaseException)
        if not self._owner_gone():
            self.on_failure(exc)

    def _close(self) -> None:
        if self.busy is not None:
            if shiboken6.isValid(self.busy):
                self.busy.stop()
            self.busy = None
        if self.dialog is not None:
            if shiboken6.isValid(self.dialog):  # else gone with the window it waited over (closed meanwhile)
                self.dialog.reset()
                self.dialog.hide()
                self.dialog.deleteLater()
            self.dialog = None
        self.runner._finished(self)


class TaskRunner(QObject):
    """Runs work functions on a one-thread pool (SQLite likes a single writer)."""

    def __init__(self, prompts: Prompts | None = None, synchronous: bool = False,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.prompts = prompts or Prompts()
        self.synchronous = synchronous
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._jobs: set[_Job] = set()
        self._done: list[_Job] = []  # finished; dropped by the next run but one (see _finished)
        self._done_before: list[_Job] = []
        self.busy: BusyIndicator | None = None  # the main window's: runs while quiet work (``ops.read``) does

    def run(self, fn: Callable[[TaskContext], Any], *, parent: QWidget | None, label: str,
            on_success: Callable[[Any], None] | None = None,
            on_failure: Callable[[BaseException], None] | None = None, cancellable: bool = True,
            quiet: bool = False, busy: BusyIndicator | None = None) -> TaskContext:
        """Run ``fn(ctx)`` off the UI thread. ``quiet``: no progress dialog (a background refresh the
        user did not ask to wait for); ``busy`` runs while the work does."""
        # jobs that finished before the last run: none of them is delivering its answer now
        self._done_before, self._done = self._done, []
        ctx = TaskContext()
        failure = on_failure or (lambda exc: self.show_error(parent, exc))
        if self.synchronous:
            try:
                result = fn(ctx)
            except Exception as exc:
                failure(exc)
            else:
                if on_success is not None:
                    on_success(result)
            return ctx
        if quiet:
            if busy is not None and not shiboken6.isValid(busy):  # its window was closed (signed out)
                busy = None
            if busy is not None:
                busy.start()
            return self._start(fn, ctx, _Job(self, None, on_success, failure, busy, parent))
        dialog = QProgressDialog(label, QCoreApplication.translate("TaskRunner", "Cancel") if cancellable else "",
                                 0, 0, parent)
        dialog.setWindowTitle(QCoreApplication.translate("TaskRunner", "Please wait"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        if not cancellable:
            dialog.setCancelButton(None)
        dialog.canceled.connect(ctx.cancel)
        dialog.canceled.connect(lambda: dialog.setLabelText(
            QCoreApplication.translate("TaskRunner", "Cancelling…")))
        return self._start(fn, ctx, _Job(self, dialog, on_success, failure, owner=parent))

    def _start(self, fn: Callable[[TaskContext], Any], ctx: TaskContext, job: _Job) -> TaskContext:
        self._jobs.add(job)
        job.keep = (fn, ctx)  # type: ignore[attr-defined]  # released with the job, on this thread
        signals = _Signals()
        signals.progress.connect(job.progress)
        signals.succeeded.connect(job.succeeded)
        signals.failed.connect(job.failed)
        job.signals = signals  # type: ignore[attr-defined]  # keep alive with the job
        self._pool.start(_Worker(fn, ctx, signals))
        return ctx

    def _finished(self, job: _Job) -> None:
        """Let go of a job, but not inside the queued call delivering its answer: freed there (this set
        holding its last reference), PySide destroys a QObject from its own call and crashes. The job
        waits in ``_done`` until a later ``run`` drops it; nothing is freed from the worker thread."""
        self._jobs.discard(job)
        self._done.append(job)

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

    def show_error(self, parent: QWidget | None, exc: BaseException) -> None:
        title = QCoreApplication.translate("TaskRunner", "TalentDesk")
        sentence = said(exc)
        if sentence is not None:
            self.prompts.error(parent, title, sentence)
        else:
            text = QCoreApplication.translate("TaskRunner", "The operation failed: {error}").format(
                error=f"{type(exc).__name__}: {exc}")
            self.prompts.error(parent, title, text)
