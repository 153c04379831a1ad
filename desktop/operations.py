"""The one way the desktop touches the database: reads and writes as operations on the task runner.

    ctx.ops.read(lambda session: competition.funnel(session, season), owner=self, then=self.show_funnel)
    ctx.ops.write(lambda session: mentoring.cancel_task(session, actor, task_id, reason), owner=self,
                  then=lambda _none: self.reload(), label=self.tr("Cancelling the task…"))

``fn(session)`` runs on the runner's worker thread with a session of its own (sessions are never shared
across threads) and returns plain data; ``then(result)`` runs on the UI thread. So the window never freezes
while the database answers: over an office network or a VPN every round trip costs 1–10 ms, and a page's
first visit several of them (issue #25). Widgets read what ``fn`` needs *before* calling: ``fn`` must not
touch a widget (it runs on the worker thread).

- **read**: a query. Its session reads outside a transaction on PostgreSQL (``db.engine.reading``: no
  BEGIN/ROLLBACK round trips); ``log=True`` makes it a ``viewing`` session instead, whose access-log line
  is written with the reads (opening a student's record). The main window's busy indicator runs meanwhile.
  ``slot``: reads of one slot of one owner replace each other; only the newest answer is shown (a season
  picked twice quickly never shows the first season's figures last).
- **write**: a command, one unit of work on behalf of the signed-in person (committed when ``fn`` returns,
  nothing written when it raises). With ``label`` a window-modal wait dialog (after 0.4 s) keeps the
  person from editing what is being saved; without one the busy indicator runs. ``after()`` runs first
  whatever the outcome (a bug included): a dialog's Save, disabled meanwhile, is enabled again there.
- **Failures are said once, here**: a refusal or a database failure goes to ``failed(exc)`` when given (a
  dialog's banner, keeping what was typed; ``sentence(exc)`` is what to write there), otherwise to the
  runner's error box, in the person's language (``failures.said``). Anything else is a bug: it goes to the
  error hook (logged with its traceback, the person told once), never to ``failed``. An answer for a window
  that was closed meanwhile is dropped.

In tests the runner is synchronous: ``then`` has run when ``read``/``write`` return.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtWidgets import QDialog, QWidget
from sqlalchemy.orm import Session

from db.actor import unit_of_work, viewing
from db.engine import reading

from .errorhook import said

if TYPE_CHECKING:
    from .context import AppContext

T = TypeVar("T")


class Operations:
    """Reads and writes of one signed-in person, run by the context's task runner."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._latest: dict[tuple[int, str], int] = {}
        self._tickets = 0

    def read(self, fn: Callable[[Session], T], *, owner: QWidget, then: Callable[[T], Any],
             failed: Callable[[BaseException], Any] | None = None, slot: str | None = None,
             log: bool = False, after: Callable[[], Any] | None = None) -> None:
        """Run the query ``fn(session)`` off the UI thread and hand its answer to ``then``."""
        factory, actor = self.ctx.factory, self.ctx.actor

        def work(_task: Any) -> T:
            if log:  # the access-log line with the reads
                with viewing(factory, actor) as session:
                    return fn(session)
            with reading(factory)() as session:
                return fn(session)

        deliver, fail = self._current(owner, slot, then, failed, after)
        self.ctx.tasks.run(work, parent=owner, label="", on_success=deliver, on_failure=fail,
                           cancellable=False, quiet=True, busy=self.ctx.tasks.busy)

    def write(self, fn: Callable[[Session], T], *, owner: QWidget, then: Callable[[T], Any] | None = None,
              failed: Callable[[BaseException], Any] | None = None, label: str | None = None,
              after: Callable[[], Any] | None = None) -> None:
        """Run the command ``fn(session)`` as one unit of work off the UI thread; ``then`` gets its result."""
        factory, actor = self.ctx.factory, self.ctx.actor

        def work(_task: Any) -> T:
            with unit_of_work(factory, actor) as session:
                return fn(session)

        deliver, fail = self._current(owner, None, then or (lambda _result: None), failed, after)
        if label:
            self.ctx.tasks.run(work, parent=owner, label=label, on_success=deliver, on_failure=fail,
                               cancellable=False)
        else:
            self.ctx.tasks.run(work, parent=owner, label="", on_success=deliver, on_failure=fail,
                               cancellable=False, quiet=True, busy=self.ctx.tasks.busy)

    def open(self, fn: Callable[[Session], T], *, window: QDialog, then: Callable[[T], Any],
             log: bool = False) -> bool:
        """What a window shows, read for it as ``read`` does. When it cannot be read the person is told
        (over the window's parent) and the window closes; False when that is known already (the runner may
        answer before the window opens: the caller then does not open it)."""
        refused: list[BaseException] = []

        def failed(exc: BaseException) -> None:
            refused.append(exc)
            self.ctx.prompts.error(window.parentWidget(), window.windowTitle(), sentence(exc))
            if window.isVisible():
                window.reject()

        self.read(fn, owner=window, then=then, failed=failed, log=log, slot="open")
        return not refused

    def now(self, fn: Callable[[Session], T], *, owner: QWidget | None,
            failed: Callable[[BaseException], Any] | None = None) -> T | None:
        """A short read the next step waits for, on the UI thread: one statement (which student a row is
        about, the mentees to move a session to). Anything longer goes through ``read``. None when it failed
        (said as ``read`` says it)."""
        try:
            with reading(self.ctx.factory)() as session:
                return fn(session)
        except Exception as exc:  # noqa: BLE001 - said (or handed to the error hook) in one place
            _deliver, fail = self._current(owner, None, lambda _r: None, failed)
            fail(exc)
            return None

    def forget(self, owner: QWidget, slot: str) -> None:
        """Reads of ``slot`` still running for ``owner`` are no longer wanted (the selection was cleared)."""
        self._tickets += 1
        self._latest[(id(owner), slot)] = self._tickets

    def _current(self, owner: QWidget | None, slot: str | None, then: Callable[[T], Any],
                 failed: Callable[[BaseException], Any] | None, after: Callable[[], Any] | None = None
                 ) -> tuple[Callable[[T], None], Callable[[BaseException], None]]:
        """``then`` and the failure answer, both dropped when a newer read of the same slot was started."""
        key = None
        if slot is not None:
            self._tickets += 1
            key, ticket = (id(owner), slot), self._tickets
            self._latest[key] = ticket

        def newest() -> bool:
            return key is None or self._latest.get(key) == ticket

        def deliver(result: T) -> None:
            if after is not None:
                after()
            if newest():
                then(result)

        def fail(exc: BaseException) -> None:
            if after is not None:
                after()
            if not newest():
                return
            if not expected(exc):  # a bug: logged with its traceback and said once, by the error hook
                sys.excepthook(type(exc), exc, exc.__traceback__)
            elif failed is not None:
                failed(exc)
            else:
                self.ctx.tasks.show_error(owner, exc)

        return deliver, fail


def expected(exc: BaseException) -> bool:
    """A failure the person is told about in words (a rule's refusal, the database or a file), not a bug."""
    return said(exc) is not None or isinstance(exc, OSError)


def sentence(exc: BaseException) -> str:
    """What to write in a banner about an expected failure, in the person's language."""
    return said(exc) or str(exc)
