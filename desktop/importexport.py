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
from db.auth import log_access, unit_of_work
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
        self.ctx, self.result = ctx, result
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

        suggested = str(Path(self.result.path).with_name(Path(self.result.path).stem + "-errors.xlsx"))
        path = self.ctx.prompts.save_file(self, self.tr("Save error report"), suggested, xlsx_filter())
        if not path:
            return
        try:
            write_error_report(self.result, path)
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
        self.ctx.prompts.info(self.parent, title, self.tr("Imported {rows} rows: {created} new, {updated} updated, {unchanged} unchanged.")
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
