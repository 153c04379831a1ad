"""Import from Excel (dry run → errors or confirm → commit) and export of the current list, both
run through the task runner with a progress bar and a Cancel button."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db import listing
from db.actor import unit_of_work
from db.auth import log_access
from db.listing import ListQuery, ListSpec

from .context import AppContext
from .plain import Label, tip
from .prompts import xlsx_filter
from .tasks import TaskContext

Index = QModelIndex | QPersistentModelIndex
MAX_NOTICES = 15  # notices listed in the import's confirmation; the rest are counted


class RowErrorModel(QAbstractTableModel):
    """The rows an import rejected: row, column, value and reason."""

    def __init__(self, errors: list[Any], parent: Any = None) -> None:
        super().__init__(parent)
        self.errors = errors
        self.headers = [self.tr("Row"), self.tr("Column"), self.tr("Value"), self.tr("Problem")]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.errors)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        e = self.errors[index.row()]
        column = " ".join(x for x in (getattr(e, "column", ""), getattr(e, "header", "")) if x)
        value = getattr(e, "value", None)
        text = [str(e.row) if e.row else "", column, "" if value is None else str(value), e.reason][index.column()]
        return tip(text) if role == Qt.ItemDataRole.ToolTipRole else text

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


class ImportErrorsDialog(QDialog):
    """Shows why an import was rejected; offers to save the .xlsx error report."""

    def __init__(self, ctx: AppContext, result: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.import_result = ctx, result
        self.setWindowTitle(self.tr("Import rejected"))
        self.resize(820, 460)
        text = self.tr("{file}: {n} problems in {rows} rows. Nothing was imported; correct the file and "
                       "import it again.").format(file=Path(result.path).name, n=len(result.errors), rows=result.rows)
        summary = Label(text, self)
        summary.setWordWrap(True)
        self.model = RowErrorModel(list(result.errors), self)
        view = QTableView(self)
        view.setObjectName("errorTable")
        view.setModel(self.model)
        view.verticalHeader().hide()
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.horizontalHeader().setStretchLastSection(True)
        for i, w in enumerate((60, 140, 160)):
            view.setColumnWidth(i, w)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        save = QPushButton(self.tr("Save error report…"), self)
        save.setObjectName("saveReport")
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        save.clicked.connect(self.save_report)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(view, 1)
        layout.addWidget(buttons)

    def save_report(self) -> None:
        from forms.importer import write_error_report

        suggested = str(Path(self.import_result.path).with_name(Path(self.import_result.path).stem + "-errors.xlsx"))
        path = self.ctx.prompts.save_file(self, self.tr("Save error report"), suggested, xlsx_filter())
        if not path:
            return
        try:
            write_error_report(self.import_result, path)
        except OSError as exc:
            self.ctx.prompts.error(self, self.windowTitle(), str(exc))


class ImportFlow:
    """Choose a file → dry run → show errors, or confirm → commit → refresh the list."""

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget, on_done: Callable[[], None] | None = None) -> None:
        self.ctx, self.kind, self.parent, self.on_done = ctx, kind, parent, on_done
        self.path: str = ""

    def tr(self, text: str) -> str:
        from PySide6.QtCore import QCoreApplication

        return QCoreApplication.translate("ImportFlow", text)

    def start(self, path: str | None = None) -> None:
        self.path = path or self.ctx.prompts.open_file(self.parent, self.tr("Import from Excel"), xlsx_filter())
        if not self.path:
            return
        self._run(dry_run=True)

    def _run(self, dry_run: bool) -> None:
        from forms.importer import run_import

        factory, actor, kind, path = self.ctx.factory, self.ctx.actor, self.kind, self.path

        def work(task: TaskContext) -> Any:
            if kind == "logbook":  # a mentor's returned logbook: its two sheets as one import
                from forms.logbook import import_logbook

                return import_logbook(factory, actor, path, dry_run=dry_run, progress=task.progress,
                                      cancel=task.cancelled)
            return run_import(factory, actor, kind, path, dry_run=dry_run, progress=task.progress,
                              cancel=task.cancelled)

        label = self.tr("Checking {file}…") if dry_run else self.tr("Importing {file}…")
        self.ctx.tasks.run(work, parent=self.parent, label=label.format(file=Path(path).name),
                           on_success=self._checked if dry_run else self._committed)

    def _checked(self, result: Any) -> None:
        title = self.tr("Import from Excel")
        if result.cancelled:
            return
        if result.file_error:
            self.ctx.prompts.error(self.parent, title, result.file_error)
            return
        if result.errors:
            ImportErrorsDialog(self.ctx, result, self.parent).exec()
            return
        text = self.tr("{file} is ready to import: {rows} rows, {created} new, {updated} updated and {unchanged} "
                       "unchanged. Import now?").format(file=Path(self.path).name, rows=result.rows,
                                                        created=result.created, updated=result.updated,
                                                        unchanged=result.unchanged)
        if result.notices:  # allowed but flagged rows, ignored columns …
            shown = result.notices[:MAX_NOTICES]
            more = len(result.notices) - len(shown)
            text += "\n\n" + "\n".join(shown)
            if more:
                text += "\n" + self.tr("… and {n} more.").format(n=more)
        if self.ctx.prompts.confirm(self.parent, title, text):
            self._run(dry_run=False)

    def _committed(self, result: Any) -> None:
        title = self.tr("Import from Excel")
        if result.cancelled:
            self.ctx.prompts.info(self.parent, title, self.tr("The import was cancelled; nothing was changed."))
            return
        if result.file_error or result.errors:
            if result.file_error:
                self.ctx.prompts.error(self.parent, title, result.file_error)
            else:
                ImportErrorsDialog(self.ctx, result, self.parent).exec()
            return
        self.ctx.prompts.info(self.parent, title,
                              self.tr("Imported {rows} rows: {created} new, {updated} updated, {unchanged} unchanged.")
                              .format(rows=result.rows, created=result.created, updated=result.updated,
                                      unchanged=result.unchanged))
        if self.on_done is not None:
            self.on_done()


def save_template(ctx: AppContext, kind: str, parent: QWidget) -> None:
    from PySide6.QtCore import QCoreApplication

    from forms.templates import write_template

    path = ctx.prompts.save_file(parent, QCoreApplication.translate("ImportFlow", "Save import template"),
                                 f"{kind}-template.xlsx", xlsx_filter())
    if path:
        try:
            write_template(kind, path)
        except OSError as exc:
            ctx.prompts.error(parent, QCoreApplication.translate("ImportFlow", "Save import template"), str(exc))


def _written(ctx: AppContext, parent: QWidget, caption: str, label: str, work: Callable[[TaskContext], Any],
             done: Callable[[Any], str]) -> None:
    """Run ``work`` off the UI thread (progress, Cancel); say ``done(result)`` or the failure."""
    def failed(exc: BaseException) -> None:
        if not isinstance(exc, InterruptedError):
            ctx.tasks.show_error(parent, exc)

    ctx.tasks.run(work, parent=parent, label=label, on_success=lambda r: ctx.prompts.info(parent, caption, done(r)),
                  on_failure=failed)


def export_records(ctx: AppContext, kind: str, title: str, parent: QWidget, path: str | None = None) -> None:
    """Every record of an import KIND in the import's own columns (`talentdesk export`): what an
    administrator edits in Excel and imports back."""
    from PySide6.QtCore import QCoreApplication

    from forms.templates import write_export

    caption = QCoreApplication.translate("ExportList", "Export for re-import")
    path = path or ctx.prompts.save_file(parent, caption, f"{title}-{dt.date.today():%Y%m%d}.xlsx", xlsx_filter())
    if not path:
        return
    if not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    factory, actor = ctx.factory, ctx.actor

    def work(task: TaskContext) -> int:
        n = write_export(factory, actor, kind, path, progress=task.progress)  # False when cancelled: stops
        with unit_of_work(factory, actor) as session:
            log_access(session, actor.username, "export", kind, None, f"{n} records → {Path(path).name}")
        return n

    _written(ctx, parent, caption, QCoreApplication.translate("ExportList", "Exporting {n}…").format(n=Path(path).name),
             work, lambda n: QCoreApplication.translate("ExportList", "Exported {n} records to {path}. Importing the "
                                                        "file unchanged changes nothing.").format(n=n, path=path))


def export_logbooks(ctx: AppContext, mentors: list[tuple[str, str]] | None, parent: QWidget,
                    target: str | None = None) -> None:
    """Mentors' offline logbooks: one mentor's to a file, or (``mentors`` None) every mentor who mentors
    somebody today, each to its own file in a folder."""
    from PySide6.QtCore import QCoreApplication

    from db.logbook import mentors_with_mentees
    from forms.logbook import logbook_name, write_logbook, write_logbooks

    caption = QCoreApplication.translate("ExportList", "Export mentoring logbooks")
    if mentors is not None and len(mentors) == 1:
        staff_no, name = mentors[0]
        target = target or ctx.prompts.save_file(parent, caption, logbook_name(staff_no, name), xlsx_filter())
    else:
        target = target or ctx.prompts.choose_folder(parent, caption)
    if not target:
        return
    factory, actor = ctx.factory, ctx.actor

    def work(task: TaskContext) -> list[Path]:
        if mentors is not None and len(mentors) == 1:
            path = target if target.lower().endswith(".xlsx") else target + ".xlsx"
            return [write_logbook(factory, actor, mentors[0][0], path)]
        chosen = mentors
        if chosen is None:
            with factory() as session:
                chosen = mentors_with_mentees(session, actor)
        return write_logbooks(factory, actor, chosen, target, progress=task.progress, cancel=task.cancelled)

    _written(ctx, parent, caption, QCoreApplication.translate("ExportList", "Writing logbooks…"), work,
             lambda files: QCoreApplication.translate("ExportList", "{n} logbook(s) written to {where}.").format(
                 n=len(files), where=files[0] if len(files) == 1 else target))


def export_list(ctx: AppContext, spec: ListSpec, query: ListQuery, title: str, parent: QWidget,
                path: str | None = None) -> None:
    """Write the rows of the current query (as searched, filtered and sorted) to an .xlsx file."""
    from PySide6.QtCore import QCoreApplication

    from reports.listexport import export_list as write

    caption = QCoreApplication.translate("ExportList", "Export to Excel")
    suggested = f"{title}-{dt.date.today():%Y%m%d}.xlsx"
    path = path or ctx.prompts.save_file(parent, caption, suggested, xlsx_filter())
    if not path:
        return
    if not path.lower().endswith(".xlsx"):
        path += ".xlsx"
    factory, actor = ctx.factory, ctx.actor
    frozen = ListQuery(query.search, dict(query.filters), query.sort_key, query.descending)

    def work(task: TaskContext) -> int:
        with unit_of_work(factory, actor) as session:
            rows = listing.export_rows(session, actor, spec, frozen)
            if task.cancelled():
                raise InterruptedError
            write(spec, rows, path, title, progress=task.progress)
            log_access(session, actor.username, "export", spec.name, None,
                       f"{len(rows)} rows → {Path(path).name}")
        return len(rows)

    def done(n: int) -> None:
        text = QCoreApplication.translate("ExportList", "Exported {n} rows to {path}.").format(n=n, path=path)
        ctx.prompts.info(parent, caption, text)

    def failed(exc: BaseException) -> None:
        if isinstance(exc, InterruptedError):
            return
        ctx.tasks.show_error(parent, exc)

    label = QCoreApplication.translate("ExportList", "Exporting {n}…").format(n=Path(path).name)
    ctx.tasks.run(work, parent=parent, label=label, on_success=done, on_failure=failed)
