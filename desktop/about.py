"""关于 TalentDesk: the name, version, database location, Qt/PySide6/Python versions and the licences of
the bundled libraries, each licence text viewable (Qt, PySide6 and psycopg are LGPL: their licence text
must ship with the app).

The library list is the run-time dependency closure of TalentDesk (pyproject's ``dependencies``, or the
installed ``talentdesk`` metadata, followed through each library's own requirements), read from
importlib.metadata. A frozen bundle has no dist-info: desktop/talentdesk.spec calls ``bundled_libraries()``
at build time and ships the result as ``licenses/licenses.json`` with the licence files beside it.
"""

from __future__ import annotations

import json
import os
import platform
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import PySide6
from PySide6.QtCore import QCoreApplication, QItemSelection, QModelIndex, Qt, qVersion
from PySide6.QtGui import QFontDatabase, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.engine import DatabaseTarget, data_dir

from .linesmodel import LinesModel
from .plain import Label
from .style import icon

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = Path(__file__).resolve().with_name("resources")
LGPL_TEXTS = ("LGPL-3.0.txt", "GPL-3.0.txt")  # the LGPL v3 is additional permissions on top of the GPL v3


def app_version() -> str:
    """The one version (db.version; pyproject reads it from there)."""
    from db.version import VERSION

    return VERSION


# --------------------------------------------------------------------------- the bundled libraries


@dataclass
class Library:
    name: str
    version: str
    licence: str
    files: list[tuple[str, Path | None, str | None]] = field(default_factory=list)  # (name, file, or text)

    def licence_texts(self) -> list[tuple[str, str]]:
        out = []
        for name, path, text in self.files:
            if text is None and path is not None:
                try:
                    text = path.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
            if text:
                out.append((name, text))
        return out


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _licence_name(md: Any) -> str:
    expression = md.get("License-Expression")
    if expression:
        return str(expression)
    classifiers = [c.split(" :: ")[-1] for c in (md.get_all("Classifier") or []) if c.startswith("License ::")]
    if classifiers:
        return ", ".join(dict.fromkeys(classifiers))
    text = (md.get("License") or "").strip().splitlines()
    return text[0][:60] if text else "?"


def _read(dist: metadata.Distribution, rel: str) -> str | None:
    try:
        return dist.read_text(rel)
    except UnicodeDecodeError:  # a Latin-1 licence file
        data = Path(str(dist.locate_file(""))).joinpath(str(getattr(dist, "_path", "")), rel)
        return data.read_bytes().decode("latin-1") if data.is_file() else None
    except OSError:
        return None


def _licence_files(dist: metadata.Distribution) -> list[tuple[str, Path | None, str | None]]:
    names = list(md_files) if (md_files := dist.metadata.get_all("License-File")) else []
    files: list[tuple[str, Path | None, str | None]] = []
    seen: set[str] = set()
    for name in names:
        for rel in (f"licenses/{name}", name):
            text = _read(dist, rel)
            if text:
                files.append((name, None, text))
                seen.add(Path(name).name)
                break
    for f in dist.files or []:  # undeclared LICENSE / COPYING files inside the dist-info folder
        base = Path(str(f)).name
        if (f.parts[0].endswith(".dist-info") and base not in seen
                and base.upper().startswith(("LICEN", "COPYING", "NOTICE"))):
            text = _read(dist, str(Path(*f.parts[1:])))
            if text:
                files.append((base, None, text))
                seen.add(base)
    return files


def _requirements(reqs: Iterable[str], extras: set[str]) -> list[tuple[str, set[str]]]:
    """(name, extras) of the requirements that apply here (environment markers, the chosen extras)."""
    out = []
    try:
        from packaging.requirements import Requirement
    except ImportError:  # pragma: no cover - packaging comes with pip's and PyInstaller's environments
        Requirement = None  # type: ignore[assignment,misc]
    for raw in reqs:
        if Requirement is not None:
            req = Requirement(raw)
            if req.marker is not None and not any(
                    req.marker.evaluate({"extra": e}) for e in (extras or {""})):
                continue
            out.append((req.name, set(req.extras)))
            continue
        name, _, marker = raw.partition(";")  # pragma: no cover
        wanted = re.findall(r"extra\s*==\s*['\"]([^'\"]+)", marker)
        if marker.strip() and (not wanted or not set(wanted) & extras):
            continue
        m = re.match(r"\s*([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?", name)
        if m:
            out.append((m.group(1), {e.strip() for e in (m.group(2) or "").split(",") if e.strip()}))
    return out


def _direct_requirements() -> list[str]:
    pyproject = ROOT / "pyproject.toml"
    # the source tree (tests, a developer's checkout): what pyproject says now (tomllib: Python 3.11+)
    if pyproject.is_file() and sys.version_info >= (3, 11):
        import tomllib

        return list(tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"])
    try:
        return [r for r in (metadata.requires("talentdesk") or []) if "extra ==" not in r]
    except metadata.PackageNotFoundError:
        return []


def _frozen_libraries(folder: Path) -> list[Library]:
    entries = json.loads((folder / "licenses.json").read_text(encoding="utf-8"))
    return [Library(e["name"], e["version"], e["licence"], [(Path(f).name[3:], folder / f, None) for f in e["files"]])
            for e in entries]


def bundled_libraries() -> list[Library]:
    """Python, then every run-time library TalentDesk loads, sorted by name, with their licence files."""
    if getattr(sys, "frozen", False):
        return _frozen_libraries(Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "licenses")
    libs: dict[str, Library] = {}
    todo = _requirements(_direct_requirements(), set())
    while todo:
        name, extras = todo.pop()
        key = _canonical(name)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if key not in libs:
            libs[key] = Library(dist.metadata["Name"], dist.version, _licence_name(dist.metadata), _licence_files(dist))
        elif not extras:
            continue
        todo += _requirements(dist.requires or [], extras)
    for lib in libs.values():
        if "LGPL" in lib.licence and not any("LESSER GENERAL PUBLIC" in t for _n, t in lib.licence_texts()):
            lib.files += [(n, RESOURCES / n, None) for n in LGPL_TEXTS]
    python = Library("Python", platform.python_version(), "PSF-2.0")
    python_licence = Path(os.__file__).with_name("LICENSE.txt")
    if python_licence.is_file():
        python.files.append(("LICENSE.txt", python_licence, None))
    return [python] + sorted(libs.values(), key=lambda lib: lib.name.lower())


# --------------------------------------------------------------------------- the dialog


class AboutDialog(QDialog):
    def __init__(self, target: DatabaseTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About TalentDesk"))
        self.resize(760, 620)
        logo = Label(self)
        logo.setPixmap(icon().pixmap(64, 64) if not icon().isNull() else QPixmap())
        name = Label(self.tr("TalentDesk 智湾人才培养管理台"), self)
        name.setProperty("role", "heading")
        subtitle = Label(self.tr("Talent training for the AI academy: three mentors, the 50/50 curriculum, "
                                  "alliance credit recognition and the innovation competition."), self)
        subtitle.setWordWrap(True)
        head_text = QVBoxLayout()
        head_text.addWidget(name)
        head_text.addWidget(subtitle)
        head = QHBoxLayout()
        head.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        head.addLayout(head_text, 1)

        self.version = Label(app_version(), self)
        self.version.setObjectName("version")
        self.database = Label(target.display(), self)
        self.database.setObjectName("database")
        self.database.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.database.setWordWrap(True)
        self.data_folder = Label(str(data_dir()), self)
        self.data_folder.setObjectName("dataFolder")
        self.data_folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.runtime = Label(f"Qt {qVersion()} · PySide6 {PySide6.__version__} · Python {platform.python_version()}"
                              f" ({platform.system()} {platform.machine()})", self)
        self.runtime.setObjectName("runtime")
        form = QFormLayout()
        form.addRow(self.tr("Version"), self.version)
        form.addRow(self.tr("Database"), self.database)
        form.addRow(self.tr("Data folder"), self.data_folder)
        form.addRow(self.tr("Runs on"), self.runtime)

        self.libraries = bundled_libraries()
        self.model = LinesModel([self.tr("Library"), self.tr("Version"), self.tr("Licence")],
                                lambda lib: (lib.name, lib.version, lib.licence), self)
        self.model.set_lines(self.libraries)
        self.table = QTableView(self)
        self.table.setObjectName("libraries")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("licenceText")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.table.selectionModel().selectionChanged.connect(self._selected)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.text)
        split.setSizes([260, 200])
        libraries_label = Label(self.tr("Libraries bundled with TalentDesk and their licences (select one to read "
                                         "its licence):"), self)
        libraries_label.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(form)
        layout.addWidget(libraries_label)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        if self.libraries:
            self.table.selectRow(0)

    def _selected(self, selected: QItemSelection, _old: QItemSelection) -> None:
        rows = selected.indexes()
        self.show_licence(rows[0] if rows else QModelIndex())

    def show_licence(self, index: QModelIndex) -> None:
        lib = self.model.line_at(index.row()) if index.isValid() else None
        if lib is None:
            self.text.clear()
            return
        texts = lib.licence_texts()
        if not texts:
            self.text.setPlainText(QCoreApplication.translate("AboutDialog", "{name} {version}: {licence} (no licence "
                                                              "file was shipped with the library)").format(
                name=lib.name, version=lib.version, licence=lib.licence))
            return
        self.text.setPlainText("\n\n".join(f"==== {name} ====\n\n{text}" for name, text in texts))
        self.text.moveCursor(self.text.textCursor().MoveOperation.Start)

    def row_of(self, name: str) -> int:
        for row, lib in enumerate(self.libraries):
            if _canonical(lib.name) == _canonical(name):
                return row
        return -1
