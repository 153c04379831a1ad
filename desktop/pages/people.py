"""The 学生 and 导师 pages: list pages over the students and mentors specs."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QMenu, QVBoxLayout, QWidget

from db.actor import unit_of_work
from db.listing import ListRow

from ..context import AppContext
from ..listpage import ListPage
from ..recorddialog import OWN_PROFILE_KEYS, open_record
from ..studentdetail import open_student


class StudentsPage(QWidget):
    """All students for administrators and viewers; a mentor's own mentees (former ones too)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        admin = ctx.actor.is_admin
        self.list = ListPage(
            ctx, "students", title=self.tr("Students"),
            on_new=(lambda: open_record(ctx, "students", None, self)) if admin else None,
            on_open=self._open, import_kind="students" if admin else None,
            exportable=not ctx.actor.is_mentor, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)

        if not ctx.actor.is_mentor:  # administrators and viewers: the records of a cohort, a programme …
            self.list.add_button(self.tr("Print records…"), "printRecords", self.print_records)
        else:  # a mentor: log a session with the selected mentee (also Ctrl+N, as on the mentor's home)
            self.list.add_button(self.tr("Log session…"), "logSession", self.log_session)
            self.new_action = self.log_session

    def log_session(self) -> bool:
        from .. import mentoringdialogs as dialogs

        row = self.list.current_row()
        mine = dialogs.my_current_lines(self.ctx, row.id if row is not None else None,
                                        str(row.values[1]) if row is not None else "", self, self.tr("Students"))
        if row is None or mine is None:
            return False
        return dialogs.run(dialogs.SessionDialog(self.ctx, row.id, self, mentors=mine))  # the row stays selected

    def print_records(self, path: str | None = None) -> None:
        """The records of every student in the list as it is searched and filtered (a cohort, a
        programme …): one PDF, each student from a new page, off the UI thread with progress and Cancel."""
        from db import listing
        from reports import student

        from ..prompts import pdf_filter

        caption = self.tr("Print records…").rstrip("…")
        count = self.list.model.rowCount()
        if not count:
            self.ctx.prompts.info(self, caption, self.tr("The list is empty: nothing to print."))
            return
        path = path or self.ctx.prompts.save_file(self, caption, self.tr("Student records") + ".pdf", pdf_filter())
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        factory, actor, spec = self.ctx.factory, self.ctx.actor, self.list.spec
        query = listing.ListQuery(self.list.model.query.search, dict(self.list.model.query.filters),
                                  self.list.model.query.sort_key, self.list.model.query.descending)
        title = self.tr("{n} students").format(n=count)

        def work(task: Any) -> int:
            with unit_of_work(factory, actor) as session:
                rows = listing.export_rows(session, actor, spec, query)
                numbers = [str(r.values[0]) for r in rows]
                records = []
                for i, no in enumerate(numbers):
                    if not task.progress(i, len(numbers) * 2):
                        raise InterruptedError
                    records.append(student.build(session, actor, no))

            def page(n: int) -> None:
                if task.cancelled():
                    raise InterruptedError
            student.write_batch(records, path, title, on_page=page)
            task.progress(len(numbers) * 2, len(numbers) * 2)
            return len(records)

        def failed(exc: BaseException) -> None:
            if not isinstance(exc, InterruptedError):
                self.ctx.tasks.show_error(self, exc)

        self.ctx.tasks.run(work, parent=self, label=caption, on_success=lambda n: self.ctx.prompts.info(
            self, caption, self.tr("{n} student records written to {path}.").format(n=n, path=path)),
            on_failure=failed)

    def _open(self, row: ListRow) -> bool:
        # the detail window: the record (editable by administrators), the three mentors, the timeline
        # and every scheme's panel
        return open_student(self.ctx, row.id, self)

    def activate(self) -> None:
        self.list.activate()

    def current_list(self) -> ListPage:
        return self.list


class MentorsPage(QWidget):
    """All mentors; a mentor sees (and edits the contact details of) their own profile."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        admin = ctx.actor.is_admin
        self.list = ListPage(
            ctx, "mentors",
            title=self.tr("My profile") if ctx.actor.is_mentor else self.tr("Mentors"),
            on_new=(lambda: open_record(ctx, "mentors", None, self)) if admin else None,
            on_open=self._open, import_kind="mentors" if admin else None,
            exportable=not ctx.actor.is_mentor, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        # the offline logbook (指导记录本) of industry mentors working outside the office network
        if admin or ctx.actor.is_mentor:
            self.logbook_button = self.list.add_button(self.tr("Logbook…"), "logbookButton", lambda: None)
            menu = QMenu(self.logbook_button)
            if admin:
                menu.addAction(self.tr("Export the selected mentor's logbook…"), self.export_logbook)
                menu.addAction(self.tr("Export every mentor's logbook to a folder…"), self.export_all_logbooks)
                menu.addAction(self.tr("Import a returned logbook…"), self.import_logbook)
            else:
                menu.addAction(self.tr("Export my logbook…"), self.export_logbook)
            self.logbook_button.setMenu(menu)

    def export_logbook(self) -> None:
        from desktop.importexport import export_logbooks

        row = self.list.current_row()
        if row is None:
            self.ctx.prompts.info(self, self.tr("Logbook"), self.tr("Select a mentor in the list first."))
            return
        export_logbooks(self.ctx, [(str(row.values[0]), str(row.values[1]))], self)

    def export_all_logbooks(self) -> None:
        from desktop.importexport import export_logbooks

        export_logbooks(self.ctx, None, self)

    def import_logbook(self) -> None:
        from desktop.importexport import ImportFlow

        ImportFlow(self.ctx, "logbook", self, on_done=self.list.refresh).start()

    def _open(self, row: ListRow) -> int | None:
        actor = self.ctx.actor
        if actor.is_admin:
            return open_record(self.ctx, "mentors", row.id, self)
        if actor.is_mentor and row.id == actor.mentor_id:
            return open_record(self.ctx, "mentors", row.id, self, editable=OWN_PROFILE_KEYS)
        return open_record(self.ctx, "mentors", row.id, self, read_only=True)

    def activate(self) -> None:
        self.list.activate()

    def current_list(self) -> ListPage:
        return self.list

