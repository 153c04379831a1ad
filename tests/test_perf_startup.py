"""Start-up tells a current database without importing Alembic: the head read from the migration
files is Alembic's head, and only a database at that head skips db.migrate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import text

from db import migrate
from db.engine import make_engine, resolve
from desktop.app import _head_in_files, database_is_current


def test_the_head_read_from_the_files_is_alembics_head() -> None:
    assert _head_in_files() == migrate.head_revision()


def test_only_a_database_at_head_skips_the_migrations(db: Any, tmp_path: Path) -> None:
    assert database_is_current(db.engine)
    with db.owner_engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0003'"))
    assert not database_is_current(db.engine)
    assert migrate.needs_upgrade(db.engine)  # which start-up then runs, as before
    empty = make_engine(resolve(str(tmp_path / "new.db")))
    try:
        assert not database_is_current(empty)
    finally:
        empty.dispose()


def test_start_up_reads_the_language_the_admin_page_writes() -> None:
    from desktop import app
    from desktop.pages import admin

    assert app.LANGUAGE_KEY == admin.LANGUAGE_KEY


def test_opening_the_app_module_imports_no_page_and_no_report_library() -> None:
    """Pages are imported when first opened: start-up reaches the first page without the others'
    modules (and the Excel, PDF and import libraries they use)."""
    import subprocess
    import sys

    code = ("import sys, desktop.app, desktop.mainwindow; "
            "print(sorted(m for m in sys.modules if m.startswith(('desktop.pages', 'openpyxl', 'reportlab', "
            "'pypdfium2', 'forms.importer'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout.strip()
    assert out == "[]"


class _QueuedRunner:
    """A TaskRunner that keeps the work it is given until ``run_all`` (the worker thread, made explicit)."""

    def __init__(self) -> None:
        self.queued: list[tuple[Any, Any]] = []
        self.busy = None  # the main window's busy indicator (TaskRunner.busy)

    def run(self, fn: Any, *, on_success: Any = None, **_kw: Any) -> None:
        self.queued.append((fn, on_success))

    def run_one(self) -> None:
        fn, on_success = self.queued.pop(0)
        result = fn(None)
        if on_success is not None:
            on_success(result)

    def run_all(self) -> None:
        while self.queued:
            self.run_one()


def test_home_page_paints_first_and_fills_in_the_same_figures(qtbot: Any, sqlite_db: Any, admin: Any,
                                                              tmp_path: Path) -> None:
    """The home page's figures are counted as background work: the page is shown with "–" on its
    cards, then shows exactly the figures db.dashboard counts."""
    from PySide6.QtCore import QSettings
    from sqlalchemy import insert

    from db import dashboard
    from db.models import Programme, Student
    from desktop.context import AppContext
    from desktop.pages.home import HomePage
    from desktop.prompts import Prompts

    with sqlite_db.factory() as s, s.begin():
        s.execute(insert(Programme), [{"id": 1, "code": "AI", "name": "人工智能"}])
        s.execute(insert(Student), [{"student_no": f"S{i}", "name": "王伟", "cohort": 2025, "programme_id": 1}
                                    for i in range(3)])
    with sqlite_db.factory() as s:
        expected = dashboard.dashboard(s, admin)
    runner = _QueuedRunner()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(sqlite_db.factory, admin, sqlite_db.target, settings, Prompts(), runner)  # type: ignore[arg-type]
    home = HomePage(ctx)
    qtbot.addWidget(home)
    home.activate()
    assert home.cards["active_students"].value.text() == "–"  # nothing counted on the UI thread
    assert len(runner.queued) == 3  # handed to the worker: the cards, the quarter's figures, the data check
    runner.run_one()  # the worker reads one at a time: the quickest first, the cards
    assert home.cards["active_students"].value.text() == str(expected.active_students) == "3"
    assert home.dashboard.report is None and home.integrity.findings == []  # still to come, after the cards
    runner.run_all()
    assert home.dashboard.report is not None and home.dashboard.report.figures.mentoring.active_students == 3
    assert home.cards["programmes"].value.text() == str(expected.programmes)
    assert home.cards["missing_academic"].value.text() == "3"
    assert "3" in home.alerts.text()
