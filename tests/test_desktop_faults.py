"""Every failure is said, in the person's language, and what they typed is kept (GUI, offscreen).

The faults are real: a full SQLite disk (tests.faultkit.FullDisk), a file held by another writer, a
server nobody answers on, a database that cannot be written, a backup folder that cannot be written.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton
from sqlalchemy import event, select

from db import engine as engine_mod
from db.actor import Actor, unit_of_work
from db.auth import create_user
from db.engine import make_engine, resolve, session_factory
from db.i18n import set_language
from db.models import AccessLog, MentoringSession, Role, Student
from tests.faultkit import FullDisk, snapshot
from tests.test_desktop import make_ctx, seeded, window  # noqa: F401  (seeded is a fixture)

pytestmark = pytest.mark.gui

HTML_NAME = '<img src="/tmp/td-probe.png">王<font size=40>大</font>'


def _student_id(db: Any, no: str = "S001") -> int:
    with db.factory() as s:
        return s.scalar(select(Student.id).where(Student.student_no == no))


# --------------------------------------------------------------------------- rich text from data


def test_a_name_full_of_html_shows_literally_everywhere(qtbot: Any, seeded: Any, admin: Actor,  # noqa: F811
                                                        tmp_path: Path) -> None:
    from desktop.plain import tip
    from desktop.prompts import _box
    from desktop.recorddialog import RecordDialog
    from desktop.studentdetail import StudentDetail

    sid = _student_id(seeded)
    with unit_of_work(seeded.factory, admin) as s:
        st = s.get(Student, sid)
        st.name = HTML_NAME
    ctx = make_ctx(seeded, admin, tmp_path)
    w = window(qtbot, ctx)
    for entry in w.sidebar_model.entries:
        w.select(entry.key)
    detail = StudentDetail(ctx, sid, w)
    qtbot.addWidget(detail)
    detail.load()
    dialog = RecordDialog(ctx, "students", sid, parent=w)
    qtbot.addWidget(dialog)
    assert dialog.load()

    showing = [lab for lab in QApplication.allWidgets() if isinstance(lab, QLabel) and "<font" in lab.text()]
    assert showing, "the name is shown somewhere"
    assert all(lab.textFormat() == Qt.TextFormat.PlainText for lab in showing), \
        [lab.objectName() for lab in showing if lab.textFormat() != Qt.TextFormat.PlainText]
    # tooltips and message boxes
    doc = QTextDocument()
    doc.setHtml(tip(HTML_NAME) or "")
    assert doc.toPlainText() == HTML_NAME
    box = _box(QMessageBox.Icon.Critical, "t", HTML_NAME, QMessageBox.StandardButton.Ok, None)
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.deleteLater()
    students = w.page("students").list
    students.model.set_search("王")
    assert students.model.index(0, 1).data(Qt.ItemDataRole.DisplayRole) == HTML_NAME


# --------------------------------------------------------------------------- dialogs keep what was typed


def _fill_new_student(dialog: Any) -> None:
    for key, value in {"student_no": "S900", "name": "满盘学生", "cohort": "2025"}.items():
        dialog.editors[key].line.setText(value)
    ed = dialog.editors["programme"]
    if ed.picker is not None:
        ed.line.setText("P1")
    elif ed.combo is not None:
        ed.combo.setCurrentIndex(ed.combo.findData("P1"))
    else:
        ed.line.setText("P1")


def test_record_dialog_on_a_full_disk_says_so_and_keeps_the_form(qtbot: Any, seeded: Any, admin: Actor,  # noqa: F811
                                                                 tmp_path: Path) -> None:
    from desktop.recorddialog import RecordDialog

    set_language("zh")
    ctx = make_ctx(seeded, admin, tmp_path)
    dialog = RecordDialog(ctx, "students", None)
    qtbot.addWidget(dialog)
    _fill_new_student(dialog)
    disk = FullDisk(seeded.engine)
    disk.room(0)
    before = snapshot(seeded.engine)
    dialog.save()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.banner.isVisibleTo(dialog) and "磁盘已满" in dialog.banner.text()
    assert "sqlite" not in dialog.banner.text().lower()
    assert dialog.editors["name"].line.text() == "满盘学生" and dialog.editors["student_no"].line.text() == "S900"
    assert snapshot(seeded.engine) == before
    disk.close()  # space freed: the same form saves
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    with seeded.factory() as s:
        assert s.scalar(select(Student.name).where(Student.student_no == "S900")) == "满盘学生"


def test_session_dialog_while_another_program_writes_says_busy_and_keeps_the_form(
        qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from db import mentoring
    from desktop.mentoringdialogs import SessionDialog

    set_language("zh")
    monkeypatch.setattr(engine_mod, "BUSY_TIMEOUT_MS", 200)
    seeded.engine.dispose()
    sid = _student_id(seeded)
    ctx = make_ctx(seeded, admin, tmp_path)
    with unit_of_work(seeded.factory, admin) as s:
        lines = mentoring.assignment_history(s, admin, sid)
    dialog = SessionDialog(ctx, sid, mentors=lines)
    qtbot.addWidget(dialog)
    dialog.editors["minutes"].line.setText("50")
    dialog.editors["topic"].line.setText("数据平台实习")
    holder = sqlite3.connect(seeded.target.sqlite_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        dialog.submit()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "另一个程序正在写入" in dialog.banner.text()
    assert dialog.editors["topic"].line.text() == "数据平台实习"
    dialog.submit()
    assert dialog.result() == dialog.DialogCode.Accepted
    with seeded.factory() as s:
        assert s.scalar(select(MentoringSession.topic).where(MentoringSession.student_id == sid)) == "数据平台实习"


# --------------------------------------------------------------------------- a server nobody answers on


def _unreachable(db: Any, actor: Actor, tmp_path: Path) -> tuple[Any, Any]:
    """A context whose database is a server nobody answers on (port 1), in Chinese."""
    set_language("zh")
    dead = make_engine(resolve("postgresql+psycopg://nobody@127.0.0.1:1/talentdesk"))
    ctx = make_ctx(db, actor, tmp_path)
    ctx.factory = session_factory(dead)
    return ctx, dead


def test_a_list_that_cannot_be_read_says_so_instead_of_showing_an_empty_table(
        qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:  # noqa: F811
    from desktop.listpage import ListPage

    ctx, dead = _unreachable(seeded, admin, tmp_path)
    page = ListPage(ctx, "students", title="学生")
    qtbot.addWidget(page)
    page.show()
    page.activate()
    assert page.load_error.isVisibleTo(page)
    assert "无法连接数据库服务器" in page.load_error_text.text()
    assert "psycopg" not in page.load_error_text.text() and "127.0.0.1" not in page.load_error_text.text()
    assert page.count_label.text() == "—"
    # the server is back: 重试 shows the rows
    page.model.factory = seeded.factory
    page.ctx.factory = seeded.factory
    qtbot.mouseClick(page.findChild(QPushButton, "retryButton"), Qt.MouseButton.LeftButton)
    assert not page.load_error.isVisibleTo(page)
    assert page.model.rowCount() == 8
    dead.dispose()


def test_the_home_page_and_banner_say_the_server_is_unreachable_not_that_rules_are_broken(
        qtbot: Any, seeded: Any, admin: Actor, tmp_path: Path) -> None:  # noqa: F811
    from desktop.integritybanner import IntegrityBanner

    ctx, dead = _unreachable(seeded, admin, tmp_path)
    banner = IntegrityBanner(ctx)
    qtbot.addWidget(banner)
    banner.refresh()
    assert banner.isHidden() and not banner.findings
    w = window(qtbot, ctx)
    home = w.page("home")
    assert "无法连接数据库服务器" in home.alerts.text()
    assert not [a for a in ctx.prompts.asked if "psycopg" in a[1] or "connection" in a[1].lower()]
    dead.dispose()


# --------------------------------------------------------------------------- read-only, and a backup that fails


def _read_only(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The file and its folder cannot be written (as for a user without write permission: root, who
    runs CI, ignores file modes, so the check is told and SQLite refuses writes with query_only)."""
    import os

    real = os.access
    monkeypatch.setattr(engine_mod.os, "access",
                        lambda p, mode, **kw: False if mode == os.W_OK and Path(p) in (path, path.parent)
                        else real(p, mode, **kw))


def test_a_read_only_database_opens_for_reading_with_a_banner(qtbot: Any, seeded: Any, admin: Actor,  # noqa: F811
                                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from db.auth import authenticate
    from desktop.app import open_database
    from desktop.recorddialog import RecordDialog

    with unit_of_work(seeded.factory, admin) as s:
        create_user(s, admin, "boss", "correct horse", Role.ADMIN)
    path = seeded.target.sqlite_path
    seeded.engine.dispose()
    _read_only(monkeypatch, path)
    listener = lambda dbapi, _rec: dbapi.execute("PRAGMA query_only=ON")  # noqa: E731
    event.listen(engine_mod.Engine, "connect", listener)
    try:
        opened = open_database(str(path))
        try:
            before = snapshot(opened.engine)
            actor = authenticate(opened.factory, "boss", "correct horse")  # no UPDATE, no access-log row
            assert actor.username == "boss"
            assert snapshot(opened.engine) == before
            ctx = make_ctx(seeded, actor, tmp_path)
            ctx.factory = opened.factory
            assert ctx.read_only and not ctx.can_write
            w = window(qtbot, ctx)
            assert w.read_only_banner.isVisibleTo(w)
            w.select("students")
            assert w.page("students").list.model.rowCount() == 8  # browsing works
            set_language("zh")
            dialog = RecordDialog(ctx, "students", _student_id(seeded))
            qtbot.addWidget(dialog)
            assert dialog.load()  # opening a record writes nothing, so it opens
            dialog.editors["phone"].line.setText("13700000000")
            dialog.read_only = False
            dialog.save()
            assert "只读" in dialog.banner.text()
            assert snapshot(opened.engine) == before
        finally:
            opened.engine.dispose()
    finally:
        event.remove(engine_mod.Engine, "connect", listener)


def test_a_failed_daily_backup_is_a_warning_and_the_app_opens(seeded: Any, admin: Actor) -> None:  # noqa: F811
    from desktop.app import open_database

    path = seeded.target.sqlite_path
    seeded.engine.dispose()
    (path.parent / "backups").write_text("a file where the backups folder should be")
    opened = open_database(str(path))
    try:
        assert opened.backup_failed and str(path.parent / "backups") in opened.backup_failed
        with opened.factory() as s:
            assert s.scalar(select(Student.id).limit(1)) is not None
    finally:
        opened.engine.dispose()


def test_a_backup_that_fills_the_disk_leaves_nothing_behind(seeded: Any, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    from db import backup
    from db.errors import BackupError

    real = sqlite3.connect

    def connect(name: Any, *a: Any, **kw: Any) -> sqlite3.Connection:
        con = real(name, *a, **kw)
        if ".talentdesk-" in str(name):  # the copy being written: a disk with room for 3 pages
            con.execute("PRAGMA max_page_count=3")
        return con

    monkeypatch.setattr(backup.sqlite3, "connect", connect)
    with pytest.raises(BackupError):
        backup.backup(seeded.target)
    folder = seeded.target.sqlite_path.parent / "backups"
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".talentdesk-")]


def test_sign_in_writes_its_bookkeeping_on_a_writable_database(seeded: Any, admin: Actor) -> None:  # noqa: F811
    """The read-only path must not switch the normal one off: a sign-in is logged as before."""
    from db.auth import authenticate

    with unit_of_work(seeded.factory, admin) as s:
        create_user(s, admin, "boss", "correct horse", Role.ADMIN)
    authenticate(seeded.factory, "boss", "correct horse")
    with seeded.factory() as s:
        assert s.scalar(select(AccessLog.action).where(AccessLog.username == "boss")) == "login"


def test_a_restore_that_fills_the_disk_leaves_the_database_as_it_was(seeded: Any, tmp_path: Path,  # noqa: F811
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from db import backup
    from db.errors import BackupError

    seeded.engine.dispose()
    live = seeded.target.sqlite_path
    bigger = tmp_path / "bigger.db"  # a sound backup, larger than the live file
    backup.copy_database(live, bigger)
    with sqlite3.connect(bigger) as raw:
        raw.executemany("INSERT INTO access_log (at, username, action, detail) VALUES (CURRENT_TIMESTAMP, 'pad', "
                        "'pad', ?)", [("x" * 500,)] * 300)
    before = snapshot(seeded.engine)
    real = sqlite3.connect

    def connect(name: Any, *a: Any, **kw: Any) -> sqlite3.Connection:
        con = real(name, *a, **kw)
        if str(name) == str(live):  # the live file, being written by the restore: no room to grow
            used = con.execute("PRAGMA page_count").fetchone()[0]
            con.execute(f"PRAGMA max_page_count={used}")
        return con

    monkeypatch.setattr(backup.sqlite3, "connect", connect)
    monkeypatch.setattr(backup, "auto_backup", lambda *_a, **_k: None)  # the safety copy is tested elsewhere
    with pytest.raises(BackupError) as caught:
        backup.restore(seeded.target, bigger)
    assert "The database is as it was" in str(caught.value) and "disk holding the database is full" in str(caught.value)
    assert snapshot(seeded.engine) == before
