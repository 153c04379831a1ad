"""The 学生 and 导师 pages: list pages over the students and mentors specs."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

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

    def _open(self, row: ListRow) -> bool:
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

