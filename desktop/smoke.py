"""``talentdesk --smoke-test [--db PATH]``: prove that an installed copy (above all the frozen bundle)
has everything it loads at run time, then quit by itself.

It opens the database WITHOUT upgrading it (a database below the newest migration fails the test),
checks the report font, the licences shipped for the About dialog and — on a Chinese system — that both
TalentDesk's and Qt's own Simplified Chinese translations are loaded, builds the real main window, shows
it, lets its first page load and paints it, then prints one line and exits 0; any failure prints the
reason and exits 1. A watchdog timer ends it within ``TIMEOUT_S`` whatever happens.

Who is signed in: nobody. The window is built for a synthetic, read-only *viewer* that exists in no
user table (no password is checked, none is bypassed): a viewer can change nothing (every service
refuses its writes), and this mode opens no other window, dialog or file. Message boxes are replaced by
a recorder whose entries fail the test. Window settings go to a throwaway file, not the user's.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from .prompts import Prompts

_IMPORTED = time.monotonic()
TIMEOUT_S = 60


class SmokeFailure(Exception):
    pass


def seconds_since_process_start() -> float:
    """Wall time since the process started (Linux: from /proc, counting the bundle's bootloader too)."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started = int(fields[19]) / os.sysconf("SC_CLK_TCK")
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(0.0, uptime - started)
    except (OSError, ValueError, IndexError, AttributeError):
        return time.monotonic() - _IMPORTED


def run(db_arg: str | None, argv: Sequence[str]) -> int:
    from PySide6.QtCore import QCoreApplication, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    outcome: dict[str, int | str] = {}

    def check() -> None:
        try:
            outcome["line"] = _check(app, state)
            outcome["code"] = 0
        except SmokeFailure as exc:
            outcome["line"], outcome["code"] = f"smoke test FAILED: {exc}", 1
        except Exception as exc:  # noqa: BLE001 - whatever broke is the reason
            outcome["line"], outcome["code"] = f"smoke test FAILED: {type(exc).__name__}: {exc}", 1
        app.exit(int(outcome["code"]))

    def watchdog() -> None:
        outcome["line"], outcome["code"] = f"smoke test FAILED: no window painted within {TIMEOUT_S} s", 1
        app.exit(1)

    settings_dir = tempfile.TemporaryDirectory(prefix="talentdesk-smoke-")
    settings = QSettings(str(Path(settings_dir.name) / "settings.ini"), QSettings.Format.IniFormat)
    state: dict[str, object] = {"db": db_arg, "settings": settings}
    QTimer.singleShot(0, check)
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(watchdog)
    guard.start(TIMEOUT_S * 1000)
    app.exec()
    guard.stop()
    for window in app.topLevelWidgets():
        window.close()
        window.deleteLater()
    QCoreApplication.processEvents()
    engine = state.get("engine")
    if engine is not None:
        engine.dispose()  # type: ignore[attr-defined]
    settings_dir.cleanup()
    stream = sys.stdout if outcome.get("code") == 0 else sys.stderr
    if stream is not None:
        print(outcome.get("line", "smoke test FAILED: it did not run"), file=stream, flush=True)
    return int(outcome.get("code", 1))


def _check(app: object, state: dict) -> str:  # type: ignore[type-arg]
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from db import (
        audit,  # noqa: F401  (registers the audit listener)
        migrate,
    )
    from db.actor import Actor
    from db.engine import make_engine, resolve, session_factory
    from db.i18n import system_language
    from db.models import Role
    from reports.fonts import FontError, find

    from . import style
    from .about import bundled_libraries
    from .app import ORGANISATION, install_translators
    from .context import AppContext
    from .style import icon
    from .tasks import TaskRunner

    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName("TalentDesk")
    app.setWindowIcon(icon())
    if icon().isNull():
        raise SmokeFailure("the application icon (desktop/resources/talentdesk-*.png) is missing")

    # translations: TalentDesk's own and Qt's (standard buttons) on a Chinese system
    language = system_language()
    loaded = install_translators(app, language)
    if language == "zh":
        # through variables, so that lupdate does not copy these into TalentDesk's own .ts: "Cancel" must
        # come from qtbase_zh_CN, and "Home" from talentdesk_zh_CN
        probes = (("Sidebar", "Home"), ("QPlatformTheme", "Cancel"))
        own, qt = (QCoreApplication.translate(context, source) for context, source in probes)
        if len(loaded) < 2 or own == "Home" or qt == "Cancel":
            raise SmokeFailure(f"Chinese translations not loaded: talentdesk_zh_CN gives {own!r} for 'Home', "
                               f"qtbase_zh_CN gives {qt!r} for 'Cancel' ({len(loaded)} of 2 translation files)")
        # and the Qt-free layers' catalogue (db/locale/zh_CN.mo): the services' and the reports' words
        from db.i18n import CATALOGUE, speaking, t

        probe = "Only an administrator can do this."  # a variable: the extractor keeps the message for t() below
        try:
            with speaking("zh"):
                words = t(probe)
        except OSError as exc:
            raise SmokeFailure(f"the message catalogue {CATALOGUE} cannot be read: {exc}") from exc
        if words == probe:
            raise SmokeFailure(f"the message catalogue {CATALOGUE} gives no Chinese for {probe!r}")
        translation = f"zh_CN ({own}, {qt}, {words})"
    else:
        translation = f"{language} (no translation to load)"
    style.apply(app)

    try:
        font = find()
    except FontError as exc:
        raise SmokeFailure(f"report font: {exc}") from exc

    libs = bundled_libraries()
    unlicensed = [lib.name for lib in libs if "LGPL" in lib.licence
                  and not any("LESSER GENERAL PUBLIC" in text for _n, text in lib.licence_texts())]
    if not libs or unlicensed:
        raise SmokeFailure(f"licence texts missing for {', '.join(unlicensed) or 'every library'}")

    # the database: exists and is at the newest migration (the smoke test never upgrades it)
    target = resolve(state["db"])
    if target.sqlite_path is not None and not target.sqlite_path.exists():
        raise SmokeFailure(f"no database at {target.display()}: run talentdesk init first")
    engine = make_engine(target)
    state["engine"] = engine
    current, head = migrate.current_revision(engine), migrate.head_revision()
    if current != head:
        raise SmokeFailure(f"database {target.display()} is at revision {current}, the newest is {head}")

    # the real main window, for a read-only viewer that is no user of the database
    from .mainwindow import MainWindow

    prompts = _RecordingPrompts()
    stand_in = cast("Prompts", prompts)  # duck-typed: the methods a page calls, none of them blocking
    runner = TaskRunner(stand_in)
    actor = Actor(username="smoke-test", role=Role.VIEWER, display_name="smoke test")
    ctx = AppContext(factory=session_factory(engine), actor=actor, target=target, settings=state["settings"],
                     prompts=stand_in, tasks=runner)
    window = MainWindow(ctx)
    window.show()
    window.start()
    deadline = time.monotonic() + TIMEOUT_S / 2
    while True:  # let the first page's background work finish and deliver its results
        QCoreApplication.processEvents()
        if runner.wait(50) and not runner._jobs:
            QCoreApplication.processEvents()
            break
        if time.monotonic() > deadline:
            raise SmokeFailure("the first page's background work did not finish")
    image = window.grab().toImage()
    if image.isNull() or image.width() < 200:
        raise SmokeFailure("the main window could not be painted")
    if prompts.messages:
        raise SmokeFailure("the first page reported: " + " | ".join(prompts.messages))
    key = window.current_key()
    elapsed = seconds_since_process_start()
    return (f"smoke test passed in {elapsed:.2f} s: TalentDesk main window painted page "
            f"{key} ({window.page_title.text()}, {image.width()}x{image.height()}); translations {translation}; "
            f"report font {font.path}; database {target.display()} at revision {current}; "
            f"{len(libs)} libraries with licences")


class _RecordingPrompts:
    """No dialog ever blocks the smoke test; anything a page would have shown fails it."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def error(self, _parent: object, title: str, text: str) -> None:
        self.messages.append(f"{title}: {text}")

    def info(self, _parent: object, title: str, text: str) -> None:
        self.messages.append(f"{title}: {text}")

    def confirm(self, _parent: object, title: str, text: str) -> bool:
        self.messages.append(f"{title}: {text}")
        return False

    def choose(self, _parent: object, title: str, text: str, _options: Sequence[str]) -> int:
        self.messages.append(f"{title}: {text}")
        return -1

    def open_file(self, *_args: object) -> str:
        return ""

    def save_file(self, *_args: object) -> str:
        return ""
