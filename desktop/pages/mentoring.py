"""The 三导师 page: the missing-role queue, mentor workload, the no-contact list and every session logged, each a
SQL-backed list (search, filters, sort, count, export to Excel); administrators assign from the queue (one student
with suggestions, or many students to one mentor), set the no-contact threshold and import the three
mentoring KINDs. Viewers read."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from db import coverage, failures, mentoring, sessionlist  # noqa: F401  (sessionlist registers the sessions list)
from db.listing import ListRow

from .. import mentoringdialogs as dialogs
from ..context import AppContext
from ..listpage import ListPage
from ..plain import Label
from ..qttyping import QT_TRANSLATE_NOOP
from ..studentdetail import open_student

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from db.actor import Actor

IMPORT_KINDS = (
    ("mentor-assignments", QT_TRANSLATE_NOOP("MentoringPage", "Mentor assignments")),
    ("sessions", QT_TRANSLATE_NOOP("MentoringPage", "Mentoring sessions")),
    ("assignments", QT_TRANSLATE_NOOP("MentoringPage", "Assignments")),
)


class MentoringPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        admin = ctx.actor.is_admin
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mentoringTabs")
        self.missing = ListPage(ctx, "missing_roles", title=self.tr("Missing mentor roles"),
                                on_open=self._open_missing, exportable=True, parent=self)
        self.workload = ListPage(ctx, "workload", title=self.tr("Mentor workload"), on_open=self._open_workload,
                                 exportable=True, parent=self)
        self.no_contact = ListPage(ctx, "no_contact", title=self.tr("No contact"), on_open=self._open_assignment,
                                   exportable=True, parent=self)
        # every session logged, searched by student or mentor, filtered by kind, sorted by any column
        self.sessions = ListPage(ctx, "sessions", title=self.tr("Mentoring sessions"), on_open=self._open_session,
                                 exportable=True, parent=self)
        self.lists = (self.missing, self.workload, self.no_contact, self.sessions)
        self.tabs.addTab(self.missing, self.tr("Missing mentor roles"))
        self.tabs.addTab(self.workload, self.tr("Mentor workload"))
        self.tabs.addTab(self.no_contact, self.tr("No contact"))
        self.tabs.addTab(self.sessions, self.tr("Mentoring sessions"))
        self.tabs.currentChanged.connect(lambda _i: self.activate())
        self.days: QSpinBox | None = None
        if admin:
            self.missing.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
            self.missing.add_button(self.tr("Assign…"), "assignButton", self.assign_selected)
            self.missing.add_button(self.tr("Bulk assign…"), "bulkButton", self.bulk_assign)
            self.days = QSpinBox(self)
            self.days.setObjectName("noContactDays")
            self.days.setRange(1, 365)
            self.days.setSuffix(self.tr(" days"))
            self.no_contact.extra_buttons.addWidget(Label(self.tr("Threshold:"), self))
            self.no_contact.extra_buttons.addWidget(self.days)
            self.no_contact.add_button(self.tr("Save threshold"), "saveDays", self.save_days)
            importer = QPushButton(self.tr("Import…"), self)
            importer.setObjectName("importButton")
            menu = QMenu(importer)
            for kind, title in IMPORT_KINDS:
                menu.addAction(QCoreApplication.translate("MentoringPage", title), partial(self.import_kind, kind))
            menu.addSeparator()
            for kind, title in IMPORT_KINDS:
                menu.addAction(self.tr("Template: {kind}").format(
                    kind=QCoreApplication.translate("MentoringPage", title)), partial(self.template, kind))
            importer.setMenu(menu)
            corner = QWidget(self)
            row = QHBoxLayout(corner)
            row.setContentsMargins(0, 0, 0, 4)
            row.addWidget(importer)
            self.tabs.setCornerWidget(corner)
            self.import_button = importer
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    # ---------------------------------------------------------------- loading

    def current_list(self) -> ListPage:
        return self.lists[self.tabs.currentIndex()]

    def activate(self) -> None:
        page = self.current_list()
        first = not page.model.loaded
        if first and page is self.no_contact:
            # the filter's first option is the academy's threshold (a setting): start there, read once
            page.activate(preset=self._start_at_the_setting)
        else:
            page.activate()

    def _start_at_the_setting(self) -> None:
        """The no-contact list opens at the academy's threshold: its filter's first choice, which the box that
        changes it shows too (the setting is not read twice)."""
        page = self.no_contact
        page.preset_filter("days", 1)
        setting = page.filter_values("days")[:1]
        if self.days is not None and setting:
            self.days.setValue(int(setting[0]))

    def refresh(self) -> None:
        for page in self.lists:
            if page.model.loaded:
                page.refresh()

    # ---------------------------------------------------------------- actions

    def _open_missing(self, row: ListRow) -> bool:
        student_id, _role = coverage.missing_row_key(row.id)
        return open_student(self.ctx, student_id, self) or self._refresh_all()

    def _open_workload(self, row: ListRow) -> bool:
        """A workload row leads to its mentor's record (read-only but for administrators)."""
        from ..recorddialog import open_record

        staff_no = str(row.values[0])
        mentor_id = self.ctx.ops.now(lambda session: mentoring.mentor_by_no(session, staff_no).id, owner=self)
        if mentor_id is None:
            return False
        return bool(open_record(self.ctx, "mentors", mentor_id, self, read_only=not self.ctx.actor.is_admin))

    def _open_assignment(self, row: ListRow) -> bool:
        return self._open_student_of(mentoring.assignment_student, row, self.tr("No contact"))

    def _open_session(self, row: ListRow) -> bool:
        return self._open_student_of(mentoring.session_student, row, self.tr("Mentoring sessions"))

    def _open_student_of(self, lookup: Callable[[Session, Actor, int], int], row: ListRow, title: str) -> bool:
        """Open the student of the row's record (``lookup`` finds it, read-checked)."""
        actor = self.ctx.actor
        student_id = self.ctx.ops.now(lambda session: lookup(session, actor, row.id), owner=self)
        if student_id is None:
            return False
        return open_student(self.ctx, student_id, self) or self._refresh_all()

    def _refresh_all(self) -> bool:
        # the detail window may have assigned, reassigned or logged: the queue and workload move
        self.refresh()
        return False

    def selected_missing(self) -> list[tuple[int, str, ListRow]]:
        """(student id, role value, row) of the selected rows of the missing-role queue."""
        out = []
        for index in self.missing.view.selectionModel().selectedRows():
            row = self.missing.model.row_at(index.row())
            if row is not None:
                sid, role = coverage.missing_row_key(row.id)
                out.append((sid, role.value, row))
        return out

    def assign_selected(self) -> bool:
        rows = self.selected_missing()
        if not rows:
            self.ctx.prompts.info(self, self.tr("Assign"), self.tr("Choose a student in the queue first."))
            return False
        sid, role, row = rows[0]
        from db.models import MentorRole

        student_label = f"{row.values[0]} {row.values[1]}"
        dialog = dialogs.AssignDialog(self.ctx, sid, MentorRole(role), student_label, self)
        saved = dialogs.open_dialog(dialog, dialog.load)
        if saved:
            self.refresh()
        return saved

    def bulk_assign(self) -> bool:
        from db.models import MentorRole

        rows = self.selected_missing()
        if not rows:
            self.ctx.prompts.info(self, self.tr("Bulk assign"),
                                  self.tr("Select the students in the queue first (Ctrl or Shift + click)."))
            return False
        roles = {role for _s, role, _r in rows}
        if len(roles) > 1:
            self.ctx.prompts.error(self, self.tr("Bulk assign"),
                                   self.tr("The selected students miss different roles: filter the queue by one "
                                           "role first."))
            return False
        students = [(sid, f"{row.values[1]}（{row.values[0]}）") for sid, _r, row in rows]
        dialog = dialogs.BulkAssignDialog(self.ctx, MentorRole(roles.pop()), students, self)
        saved = dialogs.open_dialog(dialog, dialog.load)
        if saved:
            self.ctx.prompts.info(self, self.tr("Bulk assign"),
                                  self.tr("{n} students were assigned.").format(n=dialog.result_value))
            self.refresh()
        return saved

    def save_days(self) -> None:
        if self.days is None:
            return
        actor, days, page = self.ctx.actor, self.days.value(), self.no_contact

        def write(session: Session) -> tuple[int, list[tuple[Any, str]]]:
            n = mentoring.set_no_contact_days(session, actor, days)
            return n, page.spec.filters[0].options(session)  # the threshold filter's choices, the setting first

        self.ctx.ops.write(write, owner=self, then=lambda got: self._days_saved(*got), label=self.tr("No contact"))

    def _days_saved(self, n: int, options: list[tuple[Any, str]]) -> None:
        """Rebuild the threshold filter's options (the first is the setting) and apply the new one."""
        page = self.no_contact
        box = page.filter_boxes["days"]
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for _value, text in options:
            box.addItem(text)
        page._filter_values["days"] = [v for v, _t in options]  # noqa: SLF001 (the page's own filter)
        box.blockSignals(False)
        box.setCurrentIndex(1)
        page.model.set_filter("days", n)

    def import_kind(self, kind: str) -> None:
        from ..importexport import ImportFlow

        ImportFlow(self.ctx, kind, self, on_done=self.refresh).start()

    def template(self, kind: str) -> None:
        from ..importexport import save_template

        save_template(self.ctx, kind, self)
