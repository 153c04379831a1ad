"""Make the help's screenshots from the real app on fresh demo data, in Chinese and in English.

    python -m desktop.help.make_screenshots --db /tmp/shots.db --out desktop/help/images

Creates the demo database (db.demo, deterministic) and an empty one (for the first-administrator
window), then builds the app's own windows — the sign-in dialog, the main window signed in as
admin, a mentor or leader, the pages and dialogs the help describes — with the app's translations
and style, and saves one PNG per shot and language (``<shot>_zh_CN.png``, ``<shot>_en.png``).
Needs an X display: DISPLAY is used when set; otherwise Xvfb is started on --display (:106).
Not part of the test suite (it takes a minute); tests/test_help.py checks that SHOTS and the images
the help refers to are the same set.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from . import IMAGES_DIR, LANGUAGES, image_name

if TYPE_CHECKING:
    from desktop.prompts import Prompts

MENTOR = "JS00012"  # a demo mentor with current and former mentees, sessions due and tasks to review
WINDOW_SIZE = (1280, 800)  # the main window's default size


@dataclass(frozen=True)
class Shot:
    name: str
    user: str | None  # who is signed in (None: no one, e.g. the sign-in window)
    take: Callable[[Driver], Any]  # returns the widget to grab
    height: int | None = None  # keep only the top of a long list (the help needs its head, not 30 rows)


class Driver:
    """One language's run: the QApplication, databases, a main window per user, and the grab."""

    def __init__(self, qapp: Any, language: str, db_path: Path, empty_path: Path, out: Path, work: Path) -> None:
        from PySide6.QtCore import QSettings

        from db.engine import make_engine, resolve, session_factory

        self.qapp, self.language, self.out, self.work = qapp, language, out, work
        self.target = resolve(str(db_path))
        self.engine = make_engine(self.target)
        self.factory = session_factory(self.engine)
        self.empty_target = resolve(str(empty_path))
        self.empty_engine = make_engine(self.empty_target)
        self.settings = QSettings(str(work / f"settings-{language}.ini"), QSettings.Format.IniFormat)
        self.windows: dict[str, Any] = {}
        self.open: list[Any] = []

    # ---------------------------------------------------------------- app pieces

    def ctx(self, user: str, target: Any = None) -> Any:
        from db.auth import authenticate
        from desktop.context import AppContext
        from desktop.tasks import TaskRunner

        prompts = cast("Prompts", QuietPrompts())  # duck-typed: Prompts' methods, none of them blocking
        actor = authenticate(self.factory, user, "talentdesk")
        return AppContext(self.factory, actor, target or self.target, self.settings, prompts, TaskRunner(prompts))

    def window(self, user: str) -> Any:
        """The main window signed in as ``user`` (one per user and language)."""
        if user not in self.windows:
            from desktop.mainwindow import MainWindow

            w = MainWindow(self.ctx(user))
            w.resize(*WINDOW_SIZE)
            w.show()
            w.start()
            self.windows[user] = w
        w = self.windows[user]
        w.raise_()
        self.settle()
        return w

    def page(self, user: str, key: str) -> tuple[Any, Any]:
        w = self.window(user)
        w.select(key)
        self.settle()
        return w, w.page(key)

    def content(self, w: Any) -> Any:
        """The main window without its sidebar: the page title and the page."""
        from PySide6.QtWidgets import QWidget

        return w.findChild(QWidget, "content")

    def dialog(self, dialog: Any, width: int | None = None) -> Any:
        dialog.setModal(False)
        dialog.show()
        if width:
            dialog.resize(width, dialog.sizeHint().height())
        self.settle()
        self.open.append(dialog)
        return dialog

    def settle(self, rounds: int = 6) -> None:
        for _ in range(rounds):
            self.qapp.processEvents()
            for w in self.windows.values():
                w.ctx.tasks.wait()
            self.qapp.processEvents()

    def wait_for(self, ready: Callable[[], bool], seconds: float = 60) -> None:
        end = time.monotonic() + seconds
        while not ready():
            if time.monotonic() > end:
                raise TimeoutError("the app did not get ready in time")
            self.settle(1)
            time.sleep(0.05)

    def save(self, shot: Shot) -> Path:
        widget = shot.take(self)
        self.settle()
        path = self.out / image_name(shot.name, self.language)
        image = widget.grab().toImage()
        if shot.height and image.height() > shot.height * image.devicePixelRatio():
            image = image.copy(0, 0, image.width(), round(shot.height * image.devicePixelRatio()))
        if not image.save(str(path), "PNG"):
            raise OSError(f"cannot write {path}")
        for dialog in self.open:
            dialog.close()
        self.open.clear()
        return path

    def close(self) -> None:
        for w in self.windows.values():
            w.close()
        self.windows.clear()
        self.settle()
        self.engine.dispose()
        self.empty_engine.dispose()


class QuietPrompts:
    """Never blocks: questions are answered 'no', messages are dropped (the script has no user)."""

    def error(self, parent: Any, title: str, text: str) -> None:
        print(f"  (error shown: {text})", file=sys.stderr)

    def info(self, parent: Any, title: str, text: str) -> None:
        pass

    def confirm(self, parent: Any, title: str, text: str) -> bool:
        return False

    def choose(self, parent: Any, title: str, text: str, options: Any) -> int:
        return -1

    def open_file(self, parent: Any, caption: str, filters: str) -> str:
        return ""

    def save_file(self, parent: Any, caption: str, suggested: str, filters: str) -> str:
        return ""


# --------------------------------------------------------------------------- the shots


def _login(d: Driver) -> Any:
    from desktop.login import LoginDialog

    dialog = LoginDialog(d.factory, d.target.display())
    dialog.check_users()
    dialog.username.setText("admin")
    dialog.password.setText("talentdesk")
    return d.dialog(dialog, 460)


def _first_admin(d: Driver) -> Any:
    from db.engine import session_factory
    from desktop.login import LoginDialog

    dialog = LoginDialog(session_factory(d.empty_engine), d.empty_target.display())
    dialog.check_users()
    dialog.username.setText("admin")
    return d.dialog(dialog, 460)


def _dashboard(d: Driver) -> Any:
    w, page = d.page("leader", "home")
    d.wait_for(lambda: page.cards["active_students"].value.text() != "–")
    return w


def _import_errors(d: Driver) -> Any:
    from openpyxl import load_workbook

    from desktop.importexport import ImportErrorsDialog
    from forms.importer import run_import
    from forms.templates import write_template

    w = d.window("admin")
    name = "学生名单.xlsx" if d.language == "zh" else "students.xlsx"
    path = write_template("students", d.work / name)
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    headers = {str(c.value).rstrip("*"): c.column for c in ws[1] if c.value}
    rows: list[dict[str, str | int]] = [
        {"学号": "2026019001", "姓名": "林晓雨", "年级": 2026, "培养方案": "AI-ENG", "性别": "女"},
        {"学号": "2026019002", "姓名": "", "年级": 2026, "培养方案": "AI-ENG", "入学日期": "2026-13-01"},
        {"学号": "2026019003", "姓名": "周子墨", "年级": "二〇二六", "培养方案": "AI-ENG", "学籍状态": "在校"},
    ]
    for r, values in enumerate(rows, start=2):
        for key, value in values.items():
            ws.cell(row=r, column=headers[key], value=value)
    wb.save(path)
    w.ctx.settings.sync()
    result = run_import(d.factory, w.ctx.actor, "students", path, dry_run=True)
    assert result.errors, "the sample file should be rejected"
    return d.dialog(ImportErrorsDialog(w.ctx, result, w), 820)


def _coverage_queue(d: Driver) -> Any:
    w, _page = d.page("admin", "mentoring")
    return d.content(w)


def _assign_dialog(d: Driver) -> Any:
    from db.models import MentorRole
    from desktop.mentoringdialogs import AssignDialog

    w, page = d.page("admin", "mentoring")
    page.tabs.setCurrentIndex(0)
    d.settle()
    page.missing.view.selectRow(0)
    sid, role, row = page.selected_missing()[0]
    dialog = AssignDialog(w.ctx, sid, MentorRole(role), f"{row.values[0]} {row.values[1]}", w)
    assert dialog.load()
    return d.dialog(dialog, 720)


def _mentor_home(d: Driver) -> Any:
    w, _page = d.page(MENTOR, "home")
    return d.content(w)


def _student_timeline(d: Driver) -> Any:
    from desktop.studentdetail import StudentDetail

    w, page = d.page(MENTOR, "home")
    lst = page.mentees
    d.wait_for(lambda: lst.model.rowCount() > 0)
    row = lst.model.row_at(0)
    detail = StudentDetail(w.ctx, row.id, w)
    assert detail.load()
    detail.resize(1000, 680)
    detail.show_panel("timeline")
    return d.dialog(detail)


def _transfer(d: Driver) -> Any:
    w, page = d.page("admin", "alliance")
    page.tabs.setCurrentIndex(0)
    d.settle()
    for row in range(page.transfers.model.rowCount()):  # a request the rules let pass: its balance effect shows
        page.transfers.view.selectRow(row)
        d.settle(1)
        if page.pane.view is not None and page.pane.view.proposal.approvable:
            break
    d.settle()
    return d.content(w)


def _judging(d: Driver) -> Any:
    w, page = d.page("admin", "competition")
    page.tabs.setCurrentWidget(page.judging)
    d.settle()
    return d.content(w)


def _reports(d: Driver) -> Any:
    w, page = d.page("admin", "reports")
    page.build()
    d.wait_for(lambda: page.preview.page_count() > 0, seconds=120)
    return d.content(w)


def _backups(d: Driver) -> Any:
    w, page = d.page("admin", "admin")
    page.tabs.setCurrentWidget(page.backups)
    d.settle()
    return d.content(w)


def _settings(d: Driver) -> Any:
    """The settings of a PC that uses the shared server: the panel shows the server's URL."""
    from db.engine import resolve
    from desktop.pages.admin import SettingsPanel

    ctx = d.ctx("admin", target=resolve("postgresql+psycopg://talentdesk@db-server/talentdesk"))
    panel = SettingsPanel(ctx)
    panel.resize(820, 300)
    panel.show()
    d.settle()
    d.open.append(panel)
    return panel


def _help_page(d: Driver) -> Any:
    """The Help page itself, opened at the mentoring section with a word searched."""
    w, page = d.page("admin", "help")
    page.show_section("mentoring")
    page.search.setText("override" if d.language == "en" else "超额指派")
    page.highlight()
    d.settle()
    return w


SHOTS: tuple[Shot, ...] = (
    Shot("help_page", "admin", _help_page, height=520),
    Shot("first_admin", None, _first_admin),
    Shot("login", None, _login),
    Shot("dashboard", "leader", _dashboard),
    Shot("import_errors", "admin", _import_errors),
    Shot("coverage_queue", "admin", _coverage_queue, height=560),
    Shot("assign_dialog", "admin", _assign_dialog),
    Shot("mentor_home", MENTOR, _mentor_home),
    Shot("student_timeline", MENTOR, _student_timeline),
    Shot("transfer", "admin", _transfer),
    Shot("judging", "admin", _judging, height=560),
    Shot("reports", "admin", _reports),
    Shot("backups", "admin", _backups, height=320),
    Shot("settings", "admin", _settings),
)


def shot_names() -> list[str]:
    return [s.name for s in SHOTS]


# --------------------------------------------------------------------------- running


def make_databases(db_path: Path, empty_path: Path) -> None:
    """A fresh demo database and an empty (migrated, user-less) one."""
    from db import audit, backup, demo, migrate  # noqa: F401  (audit registers the audit listener)
    from db.engine import make_engine, resolve

    for path in (db_path, empty_path):
        target = resolve(str(path))
        engine = make_engine(target)
        migrate.upgrade(engine, target)
        if path == db_path:
            demo.generate(engine, scale=1)
            engine.dispose()
            backup.daily_backup_if_due(target)  # as the app does on start: the Backups tab lists it
            backup.backup(target)  # and one made with 立即备份
        engine.dispose()


def take(languages: list[str], db_path: Path, empty_path: Path, out: Path, only: list[str]) -> list[Path]:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from desktop import app as desktop_app
    from desktop import style

    qapp = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(qapp, QApplication)
    qapp.setOrganizationName(desktop_app.ORGANISATION)
    qapp.setApplicationName("TalentDesk")
    style.apply(qapp)
    written = []
    with tempfile.TemporaryDirectory(prefix="talentdesk-shots-") as tmp:
        for language in languages:
            translators = desktop_app.install_translators(qapp, language)
            driver = Driver(qapp, language, db_path, empty_path, out, Path(tmp))
            try:
                for shot in SHOTS:
                    if only and shot.name not in only:
                        continue
                    path = driver.save(shot)
                    written.append(path)
                    print(f"{path} ({path.stat().st_size // 1024} KB)")
            finally:
                driver.close()
                for tr in translators:
                    QCoreApplication.removeTranslator(tr)
    return written


def start_xvfb(display: str) -> subprocess.Popen[bytes] | None:
    """Start Xvfb when there is no display; returns the process to stop afterwards."""
    if os.environ.get("DISPLAY"):
        return None
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        raise SystemExit("No DISPLAY and no Xvfb: install xvfb, or run this under an X display.")
    proc = subprocess.Popen([xvfb, display, "-screen", "0", "1440x900x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    if proc.poll() is not None:
        raise SystemExit(f"Xvfb could not start on {display} (is the display in use? try --display)")
    os.environ["DISPLAY"] = display
    return proc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m desktop.help.make_screenshots", description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, type=Path, help="the demo database to create (must not exist)")
    parser.add_argument("--out", type=Path, default=IMAGES_DIR, help="where the PNGs go (default: desktop/help/images)")
    parser.add_argument("--display", default=":106", help="the Xvfb display to start when DISPLAY is unset")
    parser.add_argument("--language", choices=sorted(LANGUAGES), action="append",
                        help="only this language (repeatable; default: all)")
    parser.add_argument("--only", action="append", default=[], metavar="SHOT", help="only this shot (repeatable)")
    args = parser.parse_args(argv)
    if args.db.exists():
        parser.error(f"{args.db} exists: give a new file, the script makes a fresh demo database")
    unknown = set(args.only) - set(shot_names())
    if unknown:
        parser.error(f"unknown shot(s): {', '.join(sorted(unknown))}; known: {', '.join(shot_names())}")
    args.out.mkdir(parents=True, exist_ok=True)
    xvfb = start_xvfb(args.display)
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    started = time.monotonic()
    try:
        empty = args.db.with_name(args.db.stem + "-empty" + args.db.suffix)
        if empty.exists():
            empty.unlink()
        make_databases(args.db, empty)
        written = take(args.language or list(LANGUAGES), args.db, empty, args.out, args.only)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)
    total = sum(p.stat().st_size for p in written)
    print(f"{len(written)} screenshots, {total / 1_048_576:.1f} MB, in {time.monotonic() - started:.0f} s "
          f"({dt.datetime.now():%Y-%m-%d %H:%M})")
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # skip Qt's teardown at interpreter exit (widgets owned by both Python and Qt)
