"""Start-up: translations, settings, then the sign-in dialog at once, while the database is opened
on a worker thread (upgraded, backed up once a day, its users counted) and the main window's modules
load; after sign-in, the main window. Errors reach the user as message boxes, never tracebacks.

Nothing here imports SQLAlchemy or the models at module level: they are half a second of imports,
done on the worker while the user types (tests/test_perf_startup.py keeps it so)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    QTranslator,
)
from PySide6.QtWidgets import QApplication, QDialog

from db.i18n import set_language, system_language

from . import errorhook, style
from .gcguard import GarbageCollector
from .prompts import Prompts
from .tasks import TaskContext, TaskRunner

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from db.actor import Actor
    from db.engine import DatabaseTarget

# The setting the Admin page's language choice writes (desktop.pages.admin.LANGUAGE_KEY, the same
# string: tests/test_perf_startup.py checks), named here so start-up does not import the Admin page
LANGUAGE_KEY = "ui/language"

ORGANISATION = "TalentDesk"
TRANSLATIONS = Path(__file__).with_name("translations")


def choose_language(settings: QSettings) -> str:
    """The language setting, else the system's: 'zh' on a Chinese system, 'en' otherwise."""
    chosen = str(settings.value(LANGUAGE_KEY, "") or "")
    if chosen in ("zh", "en"):
        return chosen
    return system_language()


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """TalentDesk's own strings and Qt's (standard buttons, dialogs) in Simplified Chinese."""
    set_language(language)
    if language != "zh":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return []
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    loaded = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("qtbase_zh_CN", qt_dir), ("talentdesk_zh_CN", str(TRANSLATIONS))):
        tr = QTranslator(app)
        if tr.load(name, folder):
            app.installTranslator(tr)
            loaded.append(tr)
    return loaded


_REVISION = re.compile(r"""^(down_)?revision\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def _head_in_files() -> str | None:
    """The head revision read from the migration files (``revision = "0004"`` / ``down_revision =
    "0003"``) without importing Alembic; None when they cannot be told apart into one head."""
    import db

    revisions: set[str] = set()
    parents: set[str] = set()
    try:
        for path in (Path(db.__file__).with_name("migrations") / "versions").glob("*.py"):
            for down, rev in _REVISION.findall(path.read_text(encoding="utf-8")):
                (parents if down else revisions).add(rev)
    except OSError:
        return None
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def database_is_current(engine: Any) -> bool:
    """True when the database is at this version's head revision, told by reading alembic_version:
    Alembic (with Mako and Pygments, a third of the start-up) is then not imported at all. Anything
    else (a new, old, newer or unreadable database) goes through db.migrate as before."""
    head = _head_in_files()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            found = [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
    except Exception:  # noqa: BLE001 - no table yet, a server refusing …: db.migrate decides and explains
        return False
    return found == [head]


@dataclass
class OpenedDatabase:
    """A database ready for sign-in: at this version's head, backed up today."""

    target: DatabaseTarget
    engine: Engine
    factory: sessionmaker[Session]
    has_users: bool
    backup_failed: str | None = None  # why today's backup could not be taken (the app opens all the same)
    # a shared PostgreSQL server: nothing is opened before sign-in; the dialog signs the person in with
    # their own login (db.auth.sign_in_to_server) and the engine and factory become theirs
    server: bool = False


def open_database(db_arg: str | None, _task: TaskContext | None = None) -> OpenedDatabase:
    """Resolve ``--db``, connect, upgrade when needed (a backup first), take the day's backup, count the
    users. Runs on the worker thread: the first call imports SQLAlchemy and maps the models."""
    from db import audit, backup  # noqa: F401  (importing audit registers the audit listener)
    from db.auth import count_users
    from db.engine import is_read_only, make_engine, resolve, session_factory
    from db.errors import BackupError

    target = resolve(db_arg)
    engine = make_engine(target)
    if not target.is_sqlite:  # no PC holds a password: the person's own login is the connection
        return OpenedDatabase(target, engine, session_factory(engine), True, server=True)
    try:
        if not database_is_current(engine):
            from db import migrate

            if migrate.needs_upgrade(engine):
                migrate.upgrade(engine, target)
        backup_failed = None
        read_only = is_read_only(engine, target)
        try:
            if not read_only:  # a file nobody can change needs no new copy
                backup.daily_backup_if_due(target)
        except BackupError as exc:  # a full disk: a warning, not a reason to keep the data out of reach
            backup_failed = str(exc)
        factory = session_factory(engine, read_only=read_only)
        with factory() as session:
            has_users = count_users(session) > 0
    except BaseException:
        engine.dispose()
        raise
    return OpenedDatabase(target, engine, factory, has_users, backup_failed)


def load_main_window(first_page: str) -> None:
    """Import the main window and its first page's module (worker thread, while the user types):
    after sign-in the window is built at once. Importing defines classes; no widget is created."""
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    from . import mainwindow

    mainwindow.import_page_module(first_page)


def _run_with_progress(runner: TaskRunner, fn: Callable[[TaskContext], Any], label: str) -> Any:
    """Run ``fn`` off the UI thread behind a progress dialog, waiting in a local event loop."""
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def ok(result: Any) -> None:
        outcome["result"] = result
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    runner.run(fn, parent=None, label=label, on_success=ok, on_failure=failed, cancellable=False)
    if not outcome:
        loop.exec()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")


def _cannot_open(exc: BaseException) -> str:
    sentence = errorhook.said(exc)
    if sentence is not None:
        return sentence
    # a server that is down, a file that cannot be opened …
    return QCoreApplication.translate("App", "Cannot open the database: {error}").format(error=exc)


LoginHook = Callable[["sessionmaker[Session]", str], "Actor | None"]


def run(db_arg: str | None, argv: Sequence[str], *, prompts: Prompts | None = None,
        login: LoginHook | None = None) -> int:
    """The desktop app (``_run``), with uncaught errors shown and logged (desktop.errorhook) and Python's
    cycle collector on the UI thread only (desktop.gcguard), both undone when it ends."""
    app = QApplication.instance() or QApplication(list(argv))
    prompts = prompts or Prompts()
    errorhook.install(prompts)
    collector = GarbageCollector(app)  # cycles are collected on this thread only, never on a worker
    collector.start()
    try:
        return _run(db_arg, argv, prompts=prompts, login=login)
    finally:
        collector.stop()
        collector.deleteLater()
        errorhook.uninstall()


def _run(db_arg: str | None, argv: Sequence[str], *, prompts: Prompts | None = None,
         login: LoginHook | None = None) -> int:
    """The desktop app. ``prompts`` is replaced by tests (no blocking dialogs); so is ``login``, a
    function called with the opened database instead of the sign-in dialog (the database is then
    opened first, behind a progress dialog)."""
    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName("TalentDesk")
    app.setWindowIcon(style.icon())
    settings = QSettings()
    language = pc_language = choose_language(settings)
    install_translators(app, language)
    style.apply(app)
    prompts = prompts or Prompts()
    runner = TaskRunner(prompts)
    title = QCoreApplication.translate("App", "TalentDesk")
    first_page = str(settings.value("window/page", "home") or "home")

    opened: OpenedDatabase | None = None
    if login is None:
        from .login import LoginDialog

        dialog = LoginDialog(None, "")
        dialog.open_database(lambda task: open_database(db_arg, task), runner,
                             warm_up=lambda _task: load_main_window(first_page))
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        opened = dialog.opened
        actor, error = dialog.actor, dialog.open_error
        _delete(dialog)
        if error is not None:
            prompts.error(None, title, _cannot_open(error))
            _finish(runner, None)
            return 2
        if not accepted or actor is None or opened is None:
            _finish(runner, opened)
            return 0
    else:
        try:
            label = QCoreApplication.translate("App", "Preparing the database…")
            opened = _run_with_progress(runner, lambda task: open_database(db_arg, task), label)
            assert opened is not None
            actor = login(opened.factory, opened.target.display())
        except Exception as exc:  # noqa: BLE001 - a server that is down, a file that cannot be opened …
            prompts.error(None, title, _cannot_open(exc))
            _finish(runner, None)
            return 2
        if actor is None:
            _finish(runner, opened)
            return 0

    from .context import AppContext
    from .mainwindow import MainWindow
    from .usersettings import PersonalSettings

    translators: list[QTranslator] = []
    backup_failed = opened.backup_failed
    while True:
        # the person's own language, last page and column layouts (desktop.usersettings)
        personal = PersonalSettings(settings, actor.username)
        # the person's own choice, else this PC's (never the last person's)
        chosen = _account_language(opened, actor) or str(personal.value(LANGUAGE_KEY, "") or "")
        if chosen not in ("zh", "en"):
            chosen = pc_language
        if chosen != language:
            for tr in translators or app.findChildren(QTranslator):
                app.removeTranslator(tr)
            language, translators = chosen, install_translators(app, chosen)
        ctx = AppContext(factory=opened.factory, actor=actor, target=opened.target, settings=personal,  # type: ignore[arg-type]
                         prompts=prompts, tasks=runner)
        window = MainWindow(ctx)
        window.show()
        window.start()
        if backup_failed:
            prompts.error(window, title, QCoreApplication.translate(
                "App", "Today's automatic backup could not be taken, so TalentDesk opened without it: {reason}\n"
                "Free some space or check the backups folder, then use Admin → Backups → Back up now.").format(
                    reason=backup_failed))
            backup_failed = None
        code = app.exec()
        if not window.signed_out:
            break
        # 注销: the sign-in dialog again, on the database already open (on a server, the next person's
        # own login replaces the last one's connections)
        runner.wait()
        QCoreApplication.sendPostedEvents()
        _delete(window)
        signed_in = _sign_in_again(opened, runner, login)
        if signed_in is None:
            _finish(runner, opened)
            return 0
        actor, opened = signed_in
    _finish(runner, opened, window)
    return code


def _account_language(opened: OpenedDatabase, actor: Actor) -> str | None:
    """The language saved with the person's account (系统 → 设置 writes it), which follows them to any PC;
    None when they never chose one, or it cannot be read (the PC's setting for them is used then)."""
    from sqlalchemy.exc import SQLAlchemyError

    from db.auth import own_language
    from db.errors import TalentDeskError

    try:
        with opened.factory() as session:
            return own_language(session, actor)
    except (TalentDeskError, SQLAlchemyError):
        return None


def _sign_in_again(opened: OpenedDatabase, runner: TaskRunner, login: LoginHook | None
                   ) -> tuple[Actor, OpenedDatabase] | None:
    """After 注销: the next person signs in (None: the dialog was closed, the app ends)."""
    if login is not None:  # tests
        actor = login(opened.factory, opened.target.display())
        return (actor, opened) if actor is not None else None
    from .login import LoginDialog

    dialog = LoginDialog(None, "")
    dialog.open_database(lambda _task: opened, runner)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    actor, now = dialog.actor, dialog.opened
    _delete(dialog)
    if not accepted or actor is None or now is None:
        return None
    return actor, now


def _delete(widget: QObject) -> None:
    """Delete a top-level window's Qt object now. Left to Python, a window caught in a reference cycle
    (a lambda connected to one of its own buttons) is freed later by the cycle collector, which
    clears the wrapper before Qt's destructor asks it for overrides: PySide then crashes."""
    shiboken6.delete(widget)


def _finish(runner: TaskRunner, opened: OpenedDatabase | None, window: QObject | None = None) -> None:
    """Let background work (a refresh, the warm-up imports, an opening after Cancel) end and answer,
    delete the window, then close the database's connections."""
    runner.wait()
    QCoreApplication.sendPostedEvents()  # the answers, while the window they go to is still there
    if window is not None:
        _delete(window)
    _delete(runner)
    if opened is not None:
        opened.engine.dispose()
