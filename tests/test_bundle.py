"""The app's identity (one version, icon, About dialog), ``--smoke-test``, and the one-folder bundle.

The bundle tests (marker ``bundle``) run the console executable named by TALENTDESK_BUNDLE, which .ci/run
builds with PyInstaller from desktop/talentdesk.spec. Without it they skip with that reason locally and
FAIL in CI (CI=true), where the bundle is mandatory. They compare the bundle's answers with the source
tree's on a demo database made the same way (demo data is deterministic), so a bundle that lost a module,
a migration, a translation or a data file shows up.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomllib
from PySide6.QtCore import QSettings

import main
from db.engine import resolve

ROOT = Path(__file__).resolve().parents[1]
BUNDLE_ENV = "TALENTDESK_BUNDLE"
QUARTER = "2026Q3"
PASSWORD = "bundle-password"


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    """A clean environment: its own data and settings folders, offscreen Qt, no database chosen."""
    env = {k: v for k, v in os.environ.items() if k not in ("TALENTDESK_DB", "TALENTDESK_LANG", "LC_ALL",
                                                             "LC_MESSAGES")}
    env.update(XDG_DATA_HOME=str(tmp / "data"), XDG_CONFIG_HOME=str(tmp / "config"), QT_QPA_PLATFORM="offscreen",
               LANG="en_US.UTF-8", PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env


def _run(cmd: list[str], tmp: Path, stdin: str = "", timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, encoding="utf-8", timeout=timeout,
                          check=False, env=_env(tmp, **env), cwd=tmp)


SOURCE = [sys.executable, str(ROOT / "main.py")]


# --------------------------------------------------------------------------- one version


def test_version_has_one_source_and_needs_no_qt(tmp_path: Path) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in project["project"]["dynamic"] and "version" not in project["project"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "db.version.VERSION"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", main.VERSION)
    probe = ("import sys, main\nsys.argv = ['talentdesk', '--version']\ntry:\n    main.main()\n"
             "except SystemExit:\n    pass\nprint('qt loaded' if 'PySide6' in sys.modules else 'no qt')")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60,
                         check=False, env=_env(tmp_path))
    assert out.stdout.splitlines() == [f"TalentDesk {main.VERSION}", "no qt"], out.stderr
    try:
        from importlib.metadata import PackageNotFoundError, version

        installed = version("talentdesk")
    except PackageNotFoundError:  # not installed (a bare checkout): pyproject's attr is checked above
        return
    assert installed == main.VERSION


def test_icon_sizes_and_windows_ico(qapp: Any) -> None:
    from PySide6.QtGui import QImageReader

    from desktop.about import RESOURCES, icon

    assert not icon().isNull()
    assert {s.width() for s in icon().availableSizes()} >= {16, 32, 48, 256}
    reader = QImageReader(str(RESOURCES / "talentdesk.ico"))
    sizes = set()
    for i in range(reader.imageCount()):
        reader.jumpToImage(i)
        sizes.add(reader.read().width())
    assert sizes >= {16, 32, 48, 256}


# --------------------------------------------------------------------------- About


@pytest.mark.gui
def test_about_dialog_shows_version_database_without_password_and_licences(qtbot: Any, qapp: Any) -> None:
    from desktop.about import AboutDialog

    target = resolve("postgresql+psycopg://talentdesk:s3cret-pw@dbserver.local:5432/talentdesk")
    dialog = AboutDialog(target)
    qtbot.addWidget(dialog)
    assert dialog.version.text() == main.VERSION
    assert "dbserver.local" in dialog.database.text() and "talentdesk" in dialog.database.text()
    assert "s3cret-pw" not in dialog.database.text()
    assert "PySide6" in dialog.runtime.text() and "Python" in dialog.runtime.text()
    licences = {lib.name.lower(): lib.licence for lib in dialog.libraries}
    for name, expected in (("pyside6_essentials", "LGPL"), ("sqlalchemy", "MIT"), ("openpyxl", "MIT"),
                           ("reportlab", "BSD"), ("psycopg", "LGPL")):
        assert expected in licences[name], (name, licences.get(name))
    # every LGPL library's text is there to read (the LGPL requires shipping it)
    row = dialog.row_of("PySide6-Essentials")
    dialog.table.selectRow(row)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in dialog.text.toPlainText()
    dialog.table.selectRow(dialog.row_of("SQLAlchemy"))
    assert "Permission is hereby granted" in dialog.text.toPlainText()


@pytest.mark.gui
def test_help_menu_opens_about(qtbot: Any, sqlite_db: Any, tmp_path: Path) -> None:
    from db.actor import Actor
    from db.models import Role
    from desktop.about import AboutDialog
    from desktop.context import AppContext
    from desktop.mainwindow import MainWindow
    from desktop.prompts import Prompts
    from desktop.tasks import TaskRunner

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    runner = TaskRunner(Prompts(), synchronous=True)
    ctx = AppContext(sqlite_db.factory, Actor("viewer", Role.VIEWER), sqlite_db.target, settings, Prompts(), runner)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.about_action.trigger()
    dialogs = window.findChildren(AboutDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    assert dialogs[0].database.text() == str(sqlite_db.target.sqlite_path)
    dialogs[0].close()


# --------------------------------------------------------------------------- --smoke-test (source tree)


def test_smoke_test_opens_the_window_in_chinese_and_refuses_an_old_database(sqlite_db: Any, tmp_path: Path) -> None:
    import sqlite3

    db = str(sqlite_db.target.sqlite_path)
    sqlite_db.engine.dispose()

    def rows() -> dict[str, int]:
        with sqlite3.connect(db) as conn:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}

    before = rows()
    ok = _run(SOURCE + ["--smoke-test", "--db", db], tmp_path, LANG="zh_CN.UTF-8")
    assert ok.returncode == 0, ok.stderr
    assert "smoke test passed" in ok.stdout and "首页" in ok.stdout and "取消" in ok.stdout
    assert "libraries with licences" in ok.stdout
    # read-only: no row written (not even an access-log line), no settings of the user's touched
    assert rows() == before and before["users"] == 0
    assert not (tmp_path / "config" / "TalentDesk").exists()

    missing = tmp_path / "nowhere.db"
    gone = _run(SOURCE + ["--smoke-test", "--db", str(missing)], tmp_path)
    assert gone.returncode == 1 and "talentdesk init" in gone.stderr and not missing.exists()

    from sqlalchemy import text

    with sqlite_db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    sqlite_db.engine.dispose()
    old = _run(SOURCE + ["--smoke-test", "--db", db], tmp_path)
    assert old.returncode == 1 and "revision 0001" in old.stderr


# --------------------------------------------------------------------------- the bundle


def bundle_exe() -> Path:
    value = os.environ.get(BUNDLE_ENV)
    if not value:
        if os.environ.get("CI"):
            pytest.fail(f"{BUNDLE_ENV} is not set: CI must test the bundle (.ci/run builds it)")
        pytest.skip(f"bundle tests skipped: set {BUNDLE_ENV} to the bundle's talentdesk-cli (.ci/run builds it)")
    exe = Path(value)
    if not exe.is_file():
        pytest.fail(f"{BUNDLE_ENV}={exe} does not exist")
    return exe


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The bundle, and a demo database made by it (init + demo), shared by the bundle tests."""
    exe = bundle_exe()
    tmp = tmp_path_factory.mktemp("bundle")
    db = tmp / "bundle.db"
    init = _run([str(exe), "init", "--admin", "admin", "--db", str(db)], tmp, stdin=PASSWORD + "\n")
    assert init.returncode == 0, init.stdout + init.stderr
    assert "Administrator admin created." in init.stdout
    demo = _run([str(exe), "demo", "--db", str(db)], tmp)
    assert demo.returncode == 0, demo.stdout + demo.stderr
    yield {"exe": exe, "tmp": tmp, "db": db}


@pytest.mark.bundle
def test_bundle_cli_gives_the_source_trees_figures_and_report(bundle: dict[str, Any], tmp_path: Path) -> None:
    exe, db = bundle["exe"], bundle["db"]
    version = _run([str(exe), "--version"], tmp_path)
    assert version.stdout.strip() == f"TalentDesk {main.VERSION}"

    source_db = tmp_path / "source.db"
    for cmd, stdin in ((["init", "--admin", "admin"], PASSWORD + "\n"), (["demo"], "")):
        done = _run(SOURCE + cmd + ["--db", str(source_db)], tmp_path, stdin=stdin)
        assert done.returncode == 0, done.stderr
    stats = [_run(cmd + ["stats", "--quarter", QUARTER, "--json", "--db", str(path)], tmp_path)
             for cmd, path in (([str(exe)], db), (SOURCE, source_db))]
    assert [s.returncode for s in stats] == [0, 0], stats[0].stderr + stats[1].stderr
    from_bundle, from_source = (json.loads(s.stdout) for s in stats)
    assert from_bundle == from_source
    assert from_bundle["mentoring"]["active_students"] > 0

    xlsx, pdf = tmp_path / "q.xlsx", tmp_path / "q.pdf"
    report = _run([str(exe), "report", "quarterly", "--quarter", QUARTER, "--xlsx", str(xlsx), "--pdf", str(pdf),
                   "--db", str(db)], tmp_path)
    assert report.returncode == 0, report.stderr
    assert xlsx.stat().st_size > 5000 and pdf.stat().st_size > 5000
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "三导师" in text and QUARTER in text


@pytest.mark.bundle
def test_bundle_smoke_test_and_start_up(bundle: dict[str, Any], tmp_path: Path, capsys: Any) -> None:
    exe, db = bundle["exe"], bundle["db"]
    started = time.monotonic()
    smoke = _run([str(exe), "--smoke-test", "--db", str(db)], tmp_path, LANG="zh_CN.UTF-8")
    wall = time.monotonic() - started
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    line = smoke.stdout.strip().splitlines()[-1]
    assert "smoke test passed" in line and "首页" in line and "取消" in line and "report font" in line
    size = sum(f.stat().st_size for f in exe.parent.rglob("*") if f.is_file() and not f.is_symlink())
    with capsys.disabled():
        print(f"\nbundle: {exe.parent} {size / 2**20:.0f} MB unpacked; --smoke-test {wall:.2f} s wall "
              f"(process start to window painted: {line.split(' in ', 1)[1].split(' s:', 1)[0]} s)")


@pytest.mark.bundle
def test_bundle_uses_the_same_data_folder_and_opens_the_app_without_arguments(bundle: dict[str, Any],
                                                                             tmp_path: Path) -> None:
    """No --db: the frozen app's database is where the source tree's would be (platformdirs), and the
    windowed executable with no arguments starts the app (it gets as far as the sign-in dialog)."""
    exe = bundle["exe"]
    made = _run([str(exe), "init"], tmp_path)
    assert made.returncode == 0, made.stderr
    expected = _run([sys.executable, "-c", "from db.engine import default_db_path; print(default_db_path())"],
                    tmp_path, PYTHONPATH=str(ROOT)).stdout.strip()
    assert f"Database: {expected}" in made.stdout and Path(expected).is_file()
    assert Path(expected).is_relative_to(tmp_path / "data")

    windowed = exe.with_name("TalentDesk" + exe.suffix)
    assert windowed.is_file()
    shutil.copy(bundle["db"], Path(expected))  # a database with users: the sign-in dialog waits
    app = subprocess.Popen([str(windowed)], env=_env(tmp_path), cwd=tmp_path, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    backups = Path(expected).parent / "backups"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and app.poll() is None and not any(backups.rglob("*.db")):
            time.sleep(0.2)  # the daily backup is taken just before the sign-in dialog opens
        time.sleep(1)
        assert app.poll() is None, app.communicate()[1]
        assert any(backups.rglob("*.db")), "the windowed app did not get as far as its daily backup"
    finally:
        app.kill()
        app.communicate()
