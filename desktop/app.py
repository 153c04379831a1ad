"""Start-up: translations, settings, the database (upgraded with a progress dialog, backed up once a
day), sign-in, then the main window. Errors reach the user as message boxes, never tracebacks."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication, QDialog
from sqlalchemy.orm import Session, sessionmaker

from db import audit  # noqa: F401  (registers the audit listener)
from db import backup
from db.auth import Actor
from db.engine import make_engine, resolve, session_factory
from db.errors import TalentDeskError
from db.i18n import set_language, system_language

from . import style
from .context import AppContext
from .prompts import Prompts
from .tasks import TaskContext, TaskRunner

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
    revisions: set[str] = set()
    parents: set[str] = set()
    try:
        for path in (Path(backup.__file__).with_name("migrations") / "versions").glob("*.py"):
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


def sign_in(factory: sessionmaker[Session], database: str) -> Actor | None:
    """The sign-in dialog (which offers to create the first administrator on an empty database)."""
    from .login import LoginDialog

    login = LoginDialog(factory, database)
    login.check_users()
    if login.exec() != QDialog.DialogCode.Accepted:
        return None
    return login.actor


def run(db_arg: str | None, argv: Sequence[str], *, prompts: Prompts | None = None,
        login: Callable[[sessionmaker[Session], str], Actor | None] = sign_in) -> int:
    """The desktop app. ``prompts`` and ``login`` are replaced by tests (no blocking dialogs)."""
    app = QApplication.instance() or QApplication(list(argv))
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName("TalentDesk")
    from .about import icon

    app.setWindowIcon(icon())
    settings = QSettings()
    language = choose_language(settings)
    install_translators(app, language)
    style.apply(app)
    prompts = prompts or Prompts()
    runner = TaskRunner(prompts)
    title = QCoreApplication.translate("App", "TalentDesk")
    try:
        target = resolve(db_arg)
        engine = make_engine(target)

        def prepare(_task: TaskContext) -> None:
            if not database_is_current(engine):
                from db import migrate

                if migrate.needs_upgrade(engine):
                    migrate.upgrade(engine, target)
            backup.daily_backup_if_due(target)

        label = QCoreApplication.translate("App", "Preparing the database {db}…").format(db=target.display())
        _run_with_progress(runner, prepare, label)
    except TalentDeskError as exc:
        prompts.error(None, title, str(exc))
        return 2
    except Exception as exc:  # a server that is down, a file that cannot be opened …
        prompts.error(None, title, QCoreApplication.translate("App", "Cannot open the database: {error}").format(
            error=exc))
        return 2
    factory = session_factory(engine)

    try:
        actor = login(factory, target.display())
    except Exception as exc:
        prompts.error(None, title, QCoreApplication.translate("App", "Cannot open the database: {error}").format(
            error=exc))
        return 2
    if actor is None:
        engine.dispose()
        return 0

    from .mainwindow import MainWindow

    ctx = AppContext(factory=factory, actor=actor, target=target, settings=settings, prompts=prompts, tasks=runner)
    window = MainWindow(ctx)
    window.show()
    window.start()
    code = app.exec()
    engine.dispose()
    return code

