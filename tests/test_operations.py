"""The desktop's one way to the database (desktop/operations.py), with the real background runner.

Over an office network every round trip costs 1–10 ms, so a read on the UI thread is a frozen window
(issue #25); and an error handled in each page its own way was said differently, or not at all (issue #23).
These tests run the runner as the app does (a worker thread, answers delivered through the event loop).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget
from sqlalchemy import event, func, select, text

from db.actor import Actor
from db.errors import ValidationError
from db.models import AccessLog, Role, Student
from desktop.context import AppContext
from desktop.tasks import BusyIndicator, TaskRunner
from tests.test_desktop import FakePrompts

pytestmark = pytest.mark.gui


def _ctx(db: Any, actor: Actor, tmp_path: Path) -> AppContext:
    prompts = FakePrompts()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return AppContext(db.factory, actor, db.target, settings, prompts, TaskRunner(prompts))  # type: ignore[arg-type]


def _idle(qtbot: Any, ctx: AppContext) -> None:
    qtbot.waitUntil(lambda: not ctx.tasks._jobs, timeout=20000)


@pytest.fixture
def ui_thread_statements(sqlite_demo_db: Any) -> Iterator[list[str]]:
    """Each SQL statement run on the UI thread, named by the desktop file and line that asked for it."""
    engine = sqlite_demo_db.factory.kw["bind"]
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_a: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            frames = [f for f in traceback.extract_stack() if "/desktop/" in f.filename]
            if frames:  # not the test's own reads
                seen.append(f"{Path(frames[-1].filename).name}:{frames[-1].lineno}: {statement.split()[0]}")

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


def test_a_read_runs_off_the_ui_thread_and_its_answer_arrives_on_it(qtbot: Any, sqlite_db: Any, admin: Actor,
                                                                   tmp_path: Path) -> None:
    ctx = _ctx(sqlite_db, admin, tmp_path)
    page = QWidget()
    qtbot.addWidget(page)
    ctx.tasks.busy = BusyIndicator(page)
    page.show()
    release = threading.Event()
    threads: dict[str, threading.Thread] = {}
    answers: list[int] = []

    def read(session: Any) -> int:
        threads["read"] = threading.current_thread()
        release.wait(5)
        return int(session.scalar(select(func.count()).select_from(Student)) or 0)

    def then(n: int) -> None:
        threads["then"] = threading.current_thread()
        answers.append(n)

    ctx.ops.read(read, owner=page, then=then)
    qtbot.waitUntil(lambda: "read" in threads, timeout=5000)
    assert ctx.tasks.busy.isVisible() and answers == []  # the window is free while the database answers
    release.set()
    qtbot.waitUntil(lambda: answers == [0], timeout=5000)
    assert threads["read"] is not threading.main_thread() and threads["then"] is threading.main_thread()
    assert not ctx.tasks.busy.isVisible()


def test_only_the_newest_read_of_a_slot_is_shown(qtbot: Any, sqlite_db: Any, admin: Actor, tmp_path: Path) -> None:
    """A season picked twice quickly: the first season's figures never arrive after the second's."""
    ctx = _ctx(sqlite_db, admin, tmp_path)
    page = QWidget()
    qtbot.addWidget(page)
    shown: list[str] = []
    ctx.ops.read(lambda _s: "2025", owner=page, then=shown.append, slot="season")
    ctx.ops.read(lambda _s: "2026", owner=page, then=shown.append, slot="season")
    ctx.ops.read(lambda _s: "other", owner=page, then=shown.append, slot="another")
    _idle(qtbot, ctx)
    assert sorted(shown) == ["2026", "other"]


def test_failures_are_said_once_and_bugs_go_to_the_error_hook(qtbot: Any, sqlite_db: Any, admin: Actor,
                                                              tmp_path: Path, monkeypatch: Any) -> None:
    ctx = _ctx(sqlite_db, admin, tmp_path)
    page = QWidget()
    qtbot.addWidget(page)
    banner: list[BaseException] = []

    def refused(_s: Any) -> None:
        raise ValidationError("That is not allowed.")

    ctx.ops.read(refused, owner=page, then=lambda _r: None, failed=banner.append)  # the page says it itself
    ctx.ops.read(lambda s: s.execute(text("SELECT * FROM no_such_table")), owner=page, then=lambda _r: None)
    hooked: list[BaseException] = []
    monkeypatch.setattr("sys.excepthook", lambda _k, exc, _tb: hooked.append(exc))
    ctx.ops.read(lambda _s: 1 / 0, owner=page, then=lambda _r: None, failed=banner.append)
    _idle(qtbot, ctx)
    assert [str(e) for e in banner] == ["That is not allowed."]
    errors = [t for kind, t in ctx.prompts.asked if kind == "error"]  # type: ignore[attr-defined]
    assert len(errors) == 1 and errors[0].startswith("The database reported an error")  # in words
    assert [type(e) for e in hooked] == [ZeroDivisionError]  # a bug is never passed off as a refusal


def test_a_write_is_one_unit_of_work(qtbot: Any, sqlite_db: Any, admin: Actor, tmp_path: Path) -> None:
    from db.curriculum import save_programme

    ctx = _ctx(sqlite_db, admin, tmp_path)
    page = QWidget()
    qtbot.addWidget(page)
    done: list[object] = []
    failed: list[BaseException] = []

    def half_then_refused(session: Any) -> None:
        save_programme(session, admin, {"code": "P9", "name": "半途"})
        raise ValidationError("refused after the first row")

    ctx.ops.write(half_then_refused, owner=page, then=done.append, failed=failed.append, label="…")
    ctx.ops.write(lambda s: save_programme(s, admin, {"code": "P1", "name": "人工智能工程"})[0].id, owner=page,
                  then=done.append)
    _idle(qtbot, ctx)
    assert len(failed) == 1 and len(done) == 1
    with sqlite_db.factory() as s:
        assert s.scalars(text("SELECT code FROM programmes ORDER BY code")).all() == ["P1"]  # nothing half-written


def test_opening_a_student_reads_off_the_ui_thread_and_logs_the_view(qtbot: Any, sqlite_demo_db: Any,
                                                                    tmp_path: Path,
                                                                    ui_thread_statements: list[str]) -> None:
    from desktop.studentdetail import StudentDetail

    with sqlite_demo_db.factory() as s:
        student_id, student_no = s.execute(select(Student.id, Student.student_no).limit(1)).one()
        logged = s.scalar(select(func.count()).select_from(AccessLog)) or 0
    ctx = _ctx(sqlite_demo_db, Actor("admin", Role.ADMIN, user_id=1), tmp_path)
    window = StudentDetail(ctx, student_id, None)
    qtbot.addWidget(window)
    assert window.load()
    window.show()
    _idle(qtbot, ctx)
    assert window.facts["student_no"].text() == student_no
    for index in range(window.tabs.count()):  # every scheme's panel, each read when its tab is shown
        window.tabs.setCurrentIndex(index)
        _idle(qtbot, ctx)
    assert window.panels["timeline"].entries and window.panels["curriculum"].data is not None
    assert ui_thread_statements == []
    with sqlite_demo_db.factory() as s:
        assert (s.scalar(select(func.count()).select_from(AccessLog)) or 0) == logged + 1


def test_the_competition_pages_tabs_read_off_the_ui_thread(qtbot: Any, sqlite_demo_db: Any, tmp_path: Path,
                                                          ui_thread_statements: list[str]) -> None:
    """The 创赛 page: stage board, a project's detail, judging (rounds, a round, the score sheet, the
    ranking) and the funnel, and the lists' filter choices, counts and first pages. Only a list's further pages
    as they scroll in (one round trip each) are read on the UI thread."""
    from desktop.pages.competition import CompetitionPage

    ctx = _ctx(sqlite_demo_db, Actor("admin", Role.ADMIN, user_id=1), tmp_path)
    page = CompetitionPage(ctx)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.activate()
    _idle(qtbot, ctx)
    page.pipeline.list.view.selectRow(0)
    _idle(qtbot, ctx)
    assert page.pipeline.detail.detail is not None
    assert page.pipeline.board is not None and any(
        not b.text().endswith("\n0") for b in page.pipeline.board.buttons.values())
    for index in range(page.tabs.count()):
        page.tabs.setCurrentIndex(index)
        _idle(qtbot, ctx)
    judging = page.judging
    assert judging is not None and judging.round is not None and judging.assign_model.lines
    for index in range(judging.tabs.count()):
        judging.tabs.setCurrentIndex(index)
        _idle(qtbot, ctx)
    assert judging.rank_model.lines or judging.rank_note.text().startswith("0 projects")
    assert page.funnel is not None and page.funnel.funnel is not None
    # a list's further pages as they scroll in are its only reads on the UI thread (one statement each); its
    # filter choices, count and first page are read in the background
    assert [s for s in ui_thread_statements if not s.startswith("tablemodel.py")] == []


def test_a_record_dialog_cannot_save_before_the_record_is_in_its_form(qtbot: Any, sqlite_demo_db: Any,
                                                                      tmp_path: Path) -> None:
    """Saved while still empty, an edit would overwrite the record: Save comes on with the record."""
    from PySide6.QtWidgets import QDialogButtonBox

    from desktop.recorddialog import RecordDialog

    with sqlite_demo_db.factory() as s:
        student_id, name = s.execute(select(Student.id, Student.name).limit(1)).one()
    ctx = _ctx(sqlite_demo_db, Actor("admin", Role.ADMIN, user_id=1), tmp_path)
    dialog = RecordDialog(ctx, "students", student_id)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert dialog.load()
    assert not save.isEnabled() and dialog.editors["name"].raw() == ""
    _idle(qtbot, ctx)
    assert save.isEnabled() and dialog.editors["name"].raw() == name


def test_a_list_reads_its_filter_choices_off_the_ui_thread_and_opens_where_its_page_starts(
        qtbot: Any, sqlite_demo_db: Any, tmp_path: Path, ui_thread_statements: list[str]) -> None:
    """A list's filter choices are read in the background with its count and first page; the filter a page
    starts at is chosen once they arrive, before the list is counted: the no-contact list at the academy's
    threshold (and the box that changes it shows it), the transfer queue at the pending requests."""
    from db import mentoring
    from db.models import TransferStatus
    from desktop.pages.alliance import AlliancePage
    from desktop.pages.mentoring import MentoringPage

    with sqlite_demo_db.factory() as s:
        setting = mentoring.no_contact_days(s)
    ctx = _ctx(sqlite_demo_db, Actor("admin", Role.ADMIN, user_id=1), tmp_path)
    page = MentoringPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.activate()
    page.tabs.setCurrentWidget(page.no_contact)
    qtbot.waitUntil(lambda: page.no_contact.model.loaded, timeout=20000)
    _idle(qtbot, ctx)
    quiet = page.no_contact
    assert quiet.model.query.filters["days"] == setting and quiet.filter_boxes["days"].currentIndex() == 1
    assert page.days is not None and page.days.value() == setting
    alliance = AlliancePage(ctx)
    qtbot.addWidget(alliance)
    alliance.show()
    alliance.activate()
    qtbot.waitUntil(lambda: alliance.transfers.model.loaded, timeout=20000)
    _idle(qtbot, ctx)
    assert alliance.transfers.model.query.filters.get("status") is TransferStatus.PENDING
    assert alliance.transfers.model.rowCount() > 0
    assert [s for s in ui_thread_statements if not s.startswith("tablemodel.py")] == []
