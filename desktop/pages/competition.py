"""The 创赛 page: the project pipeline (a staged table with a stage board, project detail), judging
(assignments, a score-entry grid, the ranking), incubated companies and the season's funnel.

Administrators change data; viewers read everything; a mentor sees the projects of their own
mentees, read-only (db.competition checks it again). Every query goes through db.competition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from db import competition
from db.errors import ValidationError
from db.labels import label
from db.listing import ListRow
from db.models import PIPELINE_ORDER, Stage

from .. import recorddialog
from ..context import AppContext
from ..linesmodel import LinesModel
from ..listpage import ListPage
from ..operations import sentence
from ..plain import Label
from ..prompts import xlsx_filter
from ..recorddialog import RecordDialog

Index = QModelIndex | QPersistentModelIndex

# The record dialogs of projects and companies save through db.competition (same values as an import row).
recorddialog.SERVICES.setdefault("projects", (competition.save_project, "project_id"))
recorddialog.SERVICES.setdefault("companies", (competition.save_company, "company_id"))


def _table(parent: QWidget, model: QAbstractTableModel, name: str, stretch: int | None = None) -> QTableView:
    view = QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(26)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    header = view.horizontalHeader()
    # sized to the contents once per new set of rows, not on every layout pass: with ResizeToContents Qt asked
    # each cell for its text about twenty times while a round's tables were built (half the Judging tab's time)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    model.modelReset.connect(view.resizeColumnsToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    return view


def _heading(text: str, parent: QWidget) -> QLabel:
    lab = Label(text, parent)
    lab.setProperty("role", "heading")
    return lab


def _error(ctx: AppContext, parent: QWidget, title: str, exc: BaseException) -> None:
    ctx.prompts.error(parent, title, str(exc))


# --------------------------------------------------------------------------- record dialogs


class CompetitionRecordDialog(RecordDialog):
    """The spec-rendered dialog, reading the record through db.competition."""

    def __init__(self, ctx: AppContext, kind: str, record_id: int | None,
                 loader: Callable[..., tuple[int, dict[str, Any], str]], **kw: Any) -> None:
        super().__init__(ctx, kind, record_id, **kw)
        self.loader = loader

    def load(self) -> bool:
        if self.record_id is None:
            return True
        loader, actor, record_id = self.loader, self.ctx.actor, self.record_id
        return self.read_record(lambda session: loader(session, actor, record_id), lambda got: self._show(*got))

    def _show(self, version: int, values: dict[str, Any], title: str) -> None:
        self.version = version
        for key, ed in self.editors.items():
            value = values.get(key)
            ed.set_value("、".join(value) if isinstance(value, list) else value)
            ed.set_error(None)
        self._set_title(title)
        self.banner.hide()

    def current_version(self, session: Session) -> int | None:
        return None if self.record_id is None else self.loader(session, self.ctx.actor, self.record_id)[0]


def open_competition_record(ctx: AppContext, kind: str, record_id: int | None, parent: QWidget) -> bool:
    loader = competition.project_values if kind == "projects" else competition.company_values
    read_only = not ctx.actor.is_admin
    editable = None
    if kind == "projects" and record_id is not None:
        editable = frozenset({"code", "title", "track", "lead", "members", "mentors", "sponsor", "submitted_on"})
    dialog = CompetitionRecordDialog(ctx, kind, record_id, loader, read_only=read_only, editable=editable,
                                     parent=parent)
    if not dialog.load():
        return False
    return dialog.exec() == QDialog.DialogCode.Accepted and not read_only


# --------------------------------------------------------------------------- stage changes


class _StageForm(QDialog):
    """The stage, the date and the reason the rules may ask for, with Save/Cancel and the refusal in a
    banner; ``apply`` makes the change in one unit of work (one project, or several)."""

    def __init__(self, ctx: AppContext, title: str, stages: list[Stage], now: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.stage = QComboBox(self)
        self.stage.setObjectName("stageChoice")
        for s in stages:
            self.stage.addItem(label(s), s.value)
        self.date = QDateEdit(QDate.currentDate(), self)
        self.date.setObjectName("stageDate")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.reason = QLineEdit(self)
        self.reason.setObjectName("stageReason")
        self.reason.setPlaceholderText(self.tr("Required to drop, reopen or move back"))
        form = QFormLayout()
        if now is not None:
            form.addRow(self.tr("Now"), Label(now, self))
        form.addRow(self.tr("New stage"), self.stage)
        form.addRow(self.tr("Date"), self.date)
        form.addRow(self.tr("Reason"), self.reason)
        self.banner = Label(self)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def apply(self, session: Any, stage: Stage, day: Any, reason: str) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def save(self) -> None:
        stage = Stage(self.stage.currentData())  # Qt hands a str-based enum back as a plain str
        day, reason = self.date.date().toPython(), self.reason.text()  # ``apply`` runs off the UI thread
        self.ctx.ops.write(lambda session: self.apply(session, stage, day, reason), owner=self,
                           then=lambda _r: self.accept(), failed=self._refused, label=self.windowTitle())

    def _refused(self, exc: BaseException) -> None:
        self.banner.setText(("\n".join(exc.errors.values()) or str(exc)) if isinstance(exc, ValidationError)
                            else sentence(exc))
        self.banner.show()


class StageDialog(_StageForm):
    """Move, drop or reopen a project: the stage, the date, and the reason the rules may ask for."""

    def __init__(self, ctx: AppContext, detail: competition.ProjectDetail, mode: str,
                 parent: QWidget | None = None) -> None:
        titles = {"move": QCoreApplication.translate("StageDialog", "Change the stage of {code}"),
                  "drop": QCoreApplication.translate("StageDialog", "Drop {code}"),
                  "reopen": QCoreApplication.translate("StageDialog", "Reopen {code}")}
        stages = [s for s in PIPELINE_ORDER if s is not detail.stage] if mode != "drop" else [Stage.DROPPED]
        super().__init__(ctx, titles[mode].format(code=detail.code), stages, label(detail.stage), parent)
        self.detail, self.mode = detail, mode
        self.setObjectName("stageDialog")
        if mode == "move" and detail.stage in PIPELINE_ORDER:
            nxt = PIPELINE_ORDER.index(detail.stage) + 1
            if nxt < len(PIPELINE_ORDER):
                self.stage.setCurrentIndex(stages.index(PIPELINE_ORDER[nxt]))
        if mode == "reopen" and detail.history:
            last = next((h.from_stage for h in reversed(detail.history) if h.to_stage is Stage.DROPPED), None)
            if last is not None and last in stages:
                self.stage.setCurrentIndex(stages.index(last))
        self.stage.setEnabled(mode != "drop")

    def apply(self, session: Any, stage: Stage, day: Any, reason: str) -> None:
        if self.mode == "reopen":
            competition.reopen_project(session, self.ctx.actor, self.detail.id, reason, stage=stage, on=day,
                                       expected_version=self.detail.version)
        else:
            competition.change_stage(session, self.ctx.actor, self.detail.id, stage, on=day, reason=reason,
                                     expected_version=self.detail.version)


class BulkStageDialog(_StageForm):
    """Move the selected projects to one stage (the results of a round of judging), each change recorded
    with the day and the reason the rules may ask for; all or none."""

    def __init__(self, ctx: AppContext, project_ids: list[int], parent: QWidget | None = None) -> None:
        super().__init__(ctx, QCoreApplication.translate("BulkStageDialog", "Change the stage of {n} projects")
                         .format(n=len(project_ids)), [*PIPELINE_ORDER, Stage.DROPPED], None, parent)
        self.project_ids = project_ids
        self.setObjectName("bulkStageDialog")

    def apply(self, session: Any, stage: Stage, day: Any, reason: str) -> None:
        competition.change_stage_many(session, self.ctx.actor, self.project_ids, stage, on=day, reason=reason)


# --------------------------------------------------------------------------- project detail


class ProjectPanel(QWidget):
    """One project: facts, team, mentors, stage history, round results and conflicts; stage actions."""

    def __init__(self, ctx: AppContext, on_changed: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.on_changed = ctx, on_changed
        self.detail: competition.ProjectDetail | None = None
        self.setObjectName("projectPanel")
        self.title = _heading(self.tr("Select a project to see its team, history and scores."), self)
        self.title.setWordWrap(True)
        self.facts = Label(self)
        self.facts.setObjectName("projectFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.team = LinesModel([self.tr("Student no."), self.tr("Name"), self.tr("Role")],
                               lambda m: [m.student_no or self.tr("(outside)"),
                                          m.name + (f"（{m.organisation}）" if m.organisation else ""),
                                          self.tr("Lead") if m.is_lead else self.tr("Member")], self)
        self.mentors = LinesModel([self.tr("Staff no."), self.tr("Mentor"), self.tr("Organisation")],
                                  lambda m: [m.staff_no, m.name, m.organisation], self)
        self.history = LinesModel([self.tr("Date"), self.tr("Change"), self.tr("By"), self.tr("Reason")],
                                  lambda h: [h.changed_on, (f"{label(h.from_stage)} → " if h.from_stage else "")
                                             + label(h.to_stage), h.changed_by, h.reason], self)
        self.results = LinesModel([self.tr("Round"), self.tr("Score (0–100)"), self.tr("Rank"), self.tr("Judges")],
                                  lambda r: [r.round_name, r.mean,
                                             self.tr("{rank} of {n}").format(rank=r.rank, n=r.of) if r.rank else "",
                                             f"{r.judges_scored}/{r.judges_assigned}"], self, numeric=(1,))
        self.conflicts = LinesModel([self.tr("Judge"), self.tr("Conflict of interest")],
                                    lambda f: [f.judge_name, f.detail], self, colour=lambda _f: "#b54708")
        # three columns under the title: facts, team and mentors | stage history | results and conflicts
        columns = [QVBoxLayout(), QVBoxLayout(), QVBoxLayout()]
        columns[0].addWidget(self.facts)
        for col, caption, model, name, stretch in (
                (0, self.tr("Team"), self.team, "teamTable", 1),
                (0, self.tr("Mentors"), self.mentors, "mentorTable", 1),
                (1, self.tr("Stage history"), self.history, "historyTable", 3),
                (2, self.tr("Judging results"), self.results, "resultTable", 0),
                (2, self.tr("Conflicts of interest"), self.conflicts, "conflictTable", 1)):
            lab = Label(caption, self)
            lab.setStyleSheet("font-weight: bold; color: #243447;")
            view = _table(self, model, name, stretch)
            view.setMinimumHeight(70)
            columns[col].addWidget(lab)
            columns[col].addWidget(view, 2 if model is self.team else 1)
            if model is self.conflicts and ctx.actor.is_mentor:
                lab.hide()
                view.hide()
        body = QHBoxLayout()
        body.setSpacing(12)
        for i, column in enumerate(columns):
            body.addLayout(column, (4, 5, 4)[i])
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        self.buttons: dict[str, QPushButton] = {}
        if ctx.actor.is_admin:
            for key, text in (("move", self.tr("Change stage…")), ("drop", self.tr("Drop…")),
                              ("reopen", self.tr("Reopen…"))):
                b = QPushButton(text, self)
                b.setObjectName(f"{key}Button")
                b.clicked.connect(lambda _c=False, k=key: self.change(k))
                self.buttons[key] = b
                head.addWidget(b)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(head)
        layout.addLayout(body, 1)
        self._enable()

    def _enable(self) -> None:
        d = self.detail
        dropped = d is not None and d.stage is Stage.DROPPED
        for key, b in self.buttons.items():
            b.setEnabled(d is not None and ((key == "reopen") == dropped))

    def show_project(self, project_id: int | None) -> None:
        if project_id is None:
            self.ctx.ops.forget(self, "project")  # a project asked for a moment ago is not shown now
            self.detail = None
            for m in (self.team, self.mentors, self.history, self.results, self.conflicts):
                m.set_lines([])
            self.title.setText(self.tr("Select a project to see its team, history and scores."))
            self.facts.setText("")
            self._enable()
            return
        actor = self.ctx.actor
        self.ctx.ops.read(lambda session: competition.project_detail(session, actor, project_id), owner=self,
                          then=self._show_detail, slot="project")

    def _show_detail(self, d: competition.ProjectDetail) -> None:
        self.detail = d
        self.title.setText(f"{d.code}  {d.title}")
        since = d.stage_changed_on.isoformat() if d.stage_changed_on else ""
        lines = [self.tr("Season {year} · track {track} · submitted on {date}").format(
                     year=d.season_year, track=d.track, date=d.submitted_on.isoformat()),
                 self.tr("Stage: {stage} since {since}").format(stage=label(d.stage), since=since)]
        if d.drop_reason:
            lines.append(self.tr("Reason for dropping: {reason}").format(reason=d.drop_reason))
        if d.sponsor:
            lines.append(self.tr("Sponsor: {sponsor}").format(sponsor=d.sponsor))
        for uscc, name in d.companies:
            lines.append(self.tr("Company: {name} ({code})").format(name=name, code=uscc))
        self.facts.setText("\n".join(lines))
        self.team.set_lines(d.members)
        self.mentors.set_lines(d.mentors)
        self.history.set_lines(d.history)
        self.results.set_lines(d.results)
        self.conflicts.set_lines(d.conflicts)
        self._enable()

    def change(self, mode: str) -> None:
        if self.detail is None:
            return
        dialog = StageDialog(self.ctx, self.detail, mode, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            pid = self.detail.id
            self.on_changed()
            self.show_project(pid)


class StageBoard(QWidget):
    """One button per stage with its count in the chosen season: the pipeline at a glance; a click
    filters the table to that stage (again: all stages)."""

    def __init__(self, on_pick: Callable[[Stage | None], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stageBoard")
        self.on_pick = on_pick
        self.buttons: dict[Stage, QPushButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 4)
        row.setSpacing(6)
        for s in [*PIPELINE_ORDER, Stage.DROPPED]:
            b = QPushButton(label(s), self)
            b.setObjectName(f"stage_{s.value}")
            b.setCheckable(True)
            b.setMinimumHeight(44)
            b.setStyleSheet("QPushButton { text-align: center; padding: 2px 6px; } "
                            "QPushButton:checked { background: #d6e4f5; border-color: #2f5597; }")
            b.clicked.connect(lambda checked, st=s: self._clicked(st, checked))
            self.buttons[s] = b
            row.addWidget(b, 1)

    def _clicked(self, stage: Stage, checked: bool) -> None:
        for s, b in self.buttons.items():
            b.setChecked(checked and s is stage)
        self.on_pick(stage if checked else None)

    def set_counts(self, counts: dict[str, int]) -> None:
        for s, b in self.buttons.items():
            b.setText(f"{label(s)}\n{counts.get(s.value, 0)}")


class PipelineTab(QWidget):
    """The staged table of projects (search, season/track/stage filters), the stage board and the detail."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        admin = ctx.actor.is_admin
        self.list = ListPage(ctx, "projects", title=self.tr("Projects"),
                             on_new=(lambda: open_competition_record(ctx, "projects", None, self)) if admin else None,
                             on_open=self._open, import_kind="projects" if admin else None,
                             exportable=not ctx.actor.is_mentor, parent=self)
        if admin:  # a round's results: several projects to one stage at once
            self.list.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
            self.list.add_button(self.tr("Change stage of selected…"), "bulkStage", self.change_selected)
        self.detail = ProjectPanel(ctx, self._changed, self)
        self.list.selectionChanged.connect(lambda row: self.detail.show_project(row.id if row else None))
        self.list.model.modelReset.connect(lambda: self.detail.show_project(None))
        self.board: StageBoard | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if not ctx.actor.is_mentor:
            self.board = StageBoard(self._pick_stage, self)
            layout.addWidget(self.board)
            self.list.filter_boxes["season"].currentIndexChanged.connect(lambda _i: self._update_board())
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("pipelineSplitter")
        split.addWidget(self.list)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([380, 340])
        layout.addWidget(split, 1)

    def activate(self) -> None:
        # the newest season chosen before the list counts (not counted for every season, then again), and the
        # stage board of that season
        self.list.activate(preset=self._start_at_the_newest_season if not self.list.model.loaded else None)

    def _start_at_the_newest_season(self) -> None:
        self.list.preset_filter("season", 1)
        self._update_board()

    def season(self) -> int | None:
        return self.list.model.query.filters.get("season")

    def _update_board(self) -> None:
        if self.board is None:
            return
        year, actor, board = self.season(), self.ctx.actor, self.board
        if year is None:
            board.set_counts({})
            return
        self.ctx.ops.read(lambda session: competition.stage_counts(session, actor, year), owner=self,
                          then=board.set_counts, slot="board")

    def _pick_stage(self, stage: Stage | None) -> None:
        box = self.list.filter_boxes["stage"]
        box.setCurrentIndex(0 if stage is None else list(Stage).index(stage) + 1)

    def _open(self, row: ListRow) -> bool:
        saved = open_competition_record(self.ctx, "projects", row.id, self)
        if saved:
            self._update_board()
        return saved

    def change_selected(self, dialog_run: Any = None) -> bool:
        rows = (self.list.model.row_at(i.row()) for i in self.list.view.selectionModel().selectedRows())
        ids = [r.id for r in rows if r is not None]
        if not ids:
            self.ctx.prompts.info(self, self.tr("Projects"),
                                  self.tr("Select the projects in the list first (Ctrl or Shift + click)."))
            return False
        dialog = BulkStageDialog(self.ctx, ids, self)
        if not (dialog_run or (lambda d: d.exec() == QDialog.DialogCode.Accepted))(dialog):
            return False
        self._changed()
        return True

    def _changed(self) -> None:
        current = self.list.view.currentIndex().row()
        self.list.refresh(then=lambda: self.list.select_row(current))
        self._update_board()


# --------------------------------------------------------------------------- judging


class ScoreGridModel(QAbstractTableModel):
    """A judge's score sheet: one row per assigned project, one editable column per criterion."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.criteria: list[competition.CriterionLine] = []
        self.lines: list[competition.ScoreSheetLine] = []
        self.edits: dict[tuple[int, int], str] = {}  # (project id, criterion id) -> text typed
        self.editable = False

    def set_sheet(self, criteria: Sequence[competition.CriterionLine],
                  lines: Sequence[competition.ScoreSheetLine], editable: bool) -> None:
        self.beginResetModel()
        self.criteria, self.lines, self.editable = list(criteria), list(lines), editable
        self.edits.clear()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2 + len(self.criteria)

    def _key(self, index: Index) -> tuple[int, int] | None:
        if index.column() < 2:
            return None
        return self.lines[index.row()].project_id, self.criteria[index.column() - 2].id

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if self.editable and index.isValid() and index.column() >= 2:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        line = self.lines[index.row()]
        key = self._key(index)
        if role == Qt.ItemDataRole.TextAlignmentRole and key is not None:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole and key is not None and key in self.edits:
            return QColor("#fff4d6")
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if index.column() == 0:
            return line.code
        if index.column() == 1:
            return line.title
        assert key is not None
        if key in self.edits:
            return self.edits[key]
        value = line.values.get(key[1])
        return "" if value is None else f"{value:g}"

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        key = self._key(index)
        if key is None or role != Qt.ItemDataRole.EditRole:
            return False
        self.edits[key] = str(value).strip()
        self.dataChanged.emit(index, index)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if section == 0:
            return self.tr("Project code")
        if section == 1:
            return self.tr("Project title")
        c = self.criteria[section - 2]
        return self.tr("{name} (×{weight:g}, {low:g}–{high:g})").format(name=c.name, weight=c.weight,
                                                                        low=c.min_score, high=c.max_score)

    def pending(self) -> dict[int, dict[int, float | None]]:
        """The edited sheets: project id -> {criterion id: value}; raises ValueError naming a bad cell."""
        out: dict[int, dict[int, float | None]] = {}
        codes = {line.project_id: line.code for line in self.lines}
        names = {c.id: c.name for c in self.criteria}
        for (pid, cid), text in self.edits.items():
            text = text.replace("，", ".").replace(",", ".")
            try:
                value = float(text) if text else None
            except ValueError:
                raise ValueError(self.tr("{code}, {criterion}: {value} is not a number.").format(
                    code=codes[pid], criterion=names[cid], value=text)) from None
            out.setdefault(pid, {})[cid] = value
        return out


class JudgingTab(QWidget):
    """Rounds of a season: assignments, the score-entry grid and the ranking."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.round: competition.RoundLine | None = None
        self.loaded = False
        admin = ctx.actor.is_admin
        self.round_box = QComboBox(self)
        self.round_box.setObjectName("roundChoice")
        self.round_box.setMinimumContentsLength(18)
        self.round_box.currentIndexChanged.connect(lambda _i: self.load_round())
        self.round_info = Label(self)
        self.round_info.setProperty("role", "hint")
        self.round_info.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(Label(self.tr("Round"), self))
        top.addWidget(self.round_box)
        top.addStretch(1)
        self.action_buttons: dict[str, QPushButton] = {}
        if admin:
            for key, text, slot in (("newRound", self.tr("New round…"), self.new_round),
                                    ("newJudge", self.tr("New judge…"), self.new_judge),
                                    ("criteria", self.tr("Criteria…"), self.edit_criteria),
                                    ("autoAssign", self.tr("Assign automatically"), self.auto_assign)):
                b = QPushButton(text, self)
                b.setObjectName(key)
                b.clicked.connect(lambda _c=False, f=slot: f())
                self.action_buttons[key] = b
                top.addWidget(b)

        # assignments
        self.assign_model = LinesModel(
            [self.tr("Project code"), self.tr("Project title"), self.tr("Stage"), self.tr("Judges"),
             self.tr("Scored"), self.tr("Judges with a conflict")],
            lambda a: [a.code, a.title, a.stage, "、".join(n for _j, n, _s in a.judges),
                       f"{sum(1 for *_x, s in a.judges if s)}/{len(a.judges)}", "、".join(a.conflicted)], self)
        self.assign_view = _table(self, self.assign_model, "assignmentTable", stretch=1)
        self.load_model = LinesModel([self.tr("Judge"), self.tr("Organisation"), self.tr("Assigned"),
                                      self.tr("Scored")],
                                     lambda j: [j.name, j.organisation, j.load, j.scored], self, numeric=(2, 3))
        self.load_view = _table(self, self.load_model, "loadTable", stretch=1)
        assign_tab = QWidget(self)
        al = QVBoxLayout(assign_tab)
        al.setContentsMargins(0, 6, 0, 0)
        if admin:
            row = QHBoxLayout()
            self.judge_pick = QComboBox(assign_tab)
            self.judge_pick.setObjectName("assignJudge")
            self.judge_pick.setMinimumContentsLength(14)
            row.addWidget(Label(self.tr("Judge"), assign_tab))
            row.addWidget(self.judge_pick)
            for key, text, slot in (("assign", self.tr("Assign to the selected project"), self.assign),
                                    ("unassign", self.tr("Remove from the selected project"), self.unassign),
                                    ("declare", self.tr("Declare a conflict…"), self.declare)):
                b = QPushButton(text, assign_tab)
                b.setObjectName(key)
                b.clicked.connect(lambda _c=False, f=slot: f())
                row.addWidget(b)
            row.addStretch(1)
            al.addLayout(row)
        split = QSplitter(assign_tab)
        split.addWidget(self.assign_view)
        split.addWidget(self.load_view)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        al.addWidget(split, 1)

        # score entry
        score_tab = QWidget(self)
        sl = QVBoxLayout(score_tab)
        sl.setContentsMargins(0, 6, 0, 0)
        row = QHBoxLayout()
        self.score_judge = QComboBox(score_tab)
        self.score_judge.setObjectName("scoreJudge")
        self.score_judge.setMinimumContentsLength(14)
        self.score_judge.currentIndexChanged.connect(lambda _i: self.load_sheet())
        row.addWidget(Label(self.tr("Judge"), score_tab))
        row.addWidget(self.score_judge)
        hint = Label(self.tr("Type the scores into the grid; changed cells are highlighted until saved."), score_tab)
        hint.setProperty("role", "hint")
        row.addWidget(hint, 1)
        self.save_scores_button = QPushButton(self.tr("Save scores"), score_tab)
        self.save_scores_button.setObjectName("saveScores")
        self.save_scores_button.clicked.connect(self.save_scores)
        self.save_scores_button.setVisible(admin)
        row.addWidget(self.save_scores_button)
        sl.addLayout(row)
        self.grid = ScoreGridModel(self)
        self.grid_view = _table(score_tab, self.grid, "scoreGrid", stretch=1)
        if admin:
            self.grid_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
            self.grid_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        sl.addWidget(self.grid_view, 1)

        # ranking
        rank_tab = QWidget(self)
        rl = QVBoxLayout(rank_tab)
        rl.setContentsMargins(0, 6, 0, 0)
        row = QHBoxLayout()
        self.normalise = QCheckBox(self.tr("Normalise per judge (z-scores)"), rank_tab)
        self.normalise.setObjectName("normalise")
        self.normalise.toggled.connect(lambda _c: self.load_ranking())
        self.rank_note = Label(rank_tab)
        self.rank_note.setProperty("role", "hint")
        self.export_rank = QPushButton(self.tr("Export ranking…"), rank_tab)
        self.export_rank.setObjectName("exportRanking")
        self.export_rank.clicked.connect(self.export_ranking)
        row.addWidget(self.normalise)
        row.addWidget(self.rank_note, 1)
        row.addWidget(self.export_rank)
        rl.addLayout(row)
        self.rank_model = LinesModel(
            [self.tr("Rank"), self.tr("Project code"), self.tr("Project title"), self.tr("Track"),
             self.tr("Score (0–100)"), self.tr("z-score"), self.tr("Judges scored"), self.tr("Left out (conflict)")],
            lambda x: [x.rank, x.code, x.title, x.track, x.mean, None if x.z is None else f"{x.z:+.3f}",
                       f"{x.judges_scored}/{x.judges_assigned}", x.excluded or ""],
            self, numeric=(0, 4, 5, 6, 7), colour=lambda x: "#b54708" if x.judges_scored < 2 else None)
        self.rank_view = _table(rank_tab, self.rank_model, "rankingTable", stretch=2)
        rl.addWidget(self.rank_view, 1)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("judgingTabs")
        self.tabs.addTab(assign_tab, self.tr("Assignments"))
        self.tabs.addTab(score_tab, self.tr("Score entry"))
        self.tabs.addTab(rank_tab, self.tr("Ranking"))
        # the score sheet and the ranking read when their tab is shown (a round's first visit reads the
        # assignments only: fewer round trips to the server, issue #25); what a tab missed is read then
        self.score_tab, self.rank_tab = score_tab, rank_tab
        self._stale: set[QWidget] = set()
        self.tabs.currentChanged.connect(lambda _i: self._catch_up())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.round_info)
        layout.addWidget(self.tabs, 1)

    # ---------------------------------------------------------------- loading

    def activate(self) -> None:
        if not self.loaded:
            self.loaded = True
            self.reload_rounds()

    def reload_rounds(self, select_id: int | None = None) -> None:
        actor = self.ctx.actor
        self.ctx.ops.read(lambda session: (competition.rounds(session, actor), competition.judges(session, actor)),
                          owner=self, then=lambda got: self._show_rounds(*got, select_id), slot="rounds")

    def _show_rounds(self, rounds: list[competition.RoundLine], judges: list[Any], select_id: int | None) -> None:
        keep = select_id if select_id is not None else (self.round.id if self.round else None)
        self.round_box.blockSignals(True)
        self.round_box.clear()
        for r in rounds:
            self.round_box.addItem(self.tr("{year} · round {seq}: {name}").format(year=r.season_year, seq=r.seq,
                                                                                    name=r.name), r.id)
        ids = [r.id for r in rounds]
        self.round_box.setCurrentIndex(ids.index(keep) if keep in ids else (0 if ids else -1))
        self.round_box.blockSignals(False)
        for box in [self.score_judge] + ([self.judge_pick] if hasattr(self, "judge_pick") else []):
            box.blockSignals(True)
            box.clear()
            for j in judges:
                box.addItem(f"{j.name}（{j.organisation or ''}）", j.id)
            box.blockSignals(False)
        self.load_round()

    def load_round(self) -> None:
        rid = self.round_box.currentData()
        if rid is None:
            self.round = None
            self.round_info.setText(self.tr("No judging round yet."))
            for m in (self.assign_model, self.load_model, self.rank_model):
                m.set_lines([])
            self.grid.set_sheet([], [], False)
            return
        actor = self.ctx.actor

        def read(session: Session) -> tuple[Any, Any, Any]:
            return (competition.round_line(session, actor, rid), competition.assignments(session, actor, rid),
                    competition.judge_loads(session, actor, rid))

        self.ctx.ops.read(read, owner=self, then=lambda got: self._show_round(*got), slot="round")

    def _show_round(self, r: competition.RoundLine, assignments: list[Any], loads: list[Any]) -> None:
        self.round = r
        crits = "、".join(f"{c.name}×{c.weight:g}" for c in r.criteria)
        self.round_info.setText(self.tr("Judges stage {stage}; at most {load} projects per judge; criteria: {crits}")
                                .format(stage=label(r.stage) if r.stage else "—", load=r.max_load, crits=crits))
        self.assign_model.set_lines(assignments)
        self.load_model.set_lines([j for j in loads if j.load or j.scored])
        self.normalise.blockSignals(True)
        self.normalise.setChecked(r.normalise)
        self.normalise.blockSignals(False)
        self.load_sheet()
        self.load_ranking()

    def _shown(self, tab: QWidget) -> bool:
        """``tab`` is in front (its reads happen now), else they wait until it is (``_catch_up``)."""
        if self.tabs.currentWidget() is tab:
            self._stale.discard(tab)
            return True
        self._stale.add(tab)
        return False

    def _catch_up(self) -> None:
        tab = self.tabs.currentWidget()
        if tab in self._stale:
            (self.load_sheet if tab is self.score_tab else self.load_ranking)()

    def load_sheet(self) -> None:
        if not self._shown(self.score_tab):
            return
        jid = self.score_judge.currentData()
        if self.round is None or jid is None:
            self.grid.set_sheet([], [], False)
            return
        actor, rnd = self.ctx.actor, self.round
        self.ctx.ops.read(lambda session: competition.score_sheet(session, actor, rnd.id, jid), owner=self,
                          then=lambda lines: self.grid.set_sheet(rnd.criteria, lines, actor.is_admin), slot="sheet")

    def load_ranking(self) -> None:
        if self.round is None or not self._shown(self.rank_tab):
            return
        actor, rid, normalise = self.ctx.actor, self.round.id, self.normalise.isChecked()
        self.ctx.ops.read(lambda session: competition.ranking(session, actor, rid, normalise), owner=self,
                          then=self._show_ranking, slot="ranking")

    def _show_ranking(self, lines: list[Any]) -> None:
        self.rank_model.set_lines(lines)
        self.rank_view.setColumnHidden(5, not self.normalise.isChecked())
        few = sum(1 for x in lines if x.judges_scored < 2)
        self.rank_note.setText(self.tr("{n} projects ranked; {few} scored by fewer than two judges (in orange).")
                               .format(n=len(lines), few=few))

    # ---------------------------------------------------------------- actions

    def _selected_project(self) -> competition.AssignmentLine | None:
        index = self.assign_view.currentIndex()
        return self.assign_model.lines[index.row()] if index.isValid() else None

    def _run(self, title: str, fn: Callable[[Session], Any], then: Callable[[Any], Any]) -> None:
        """``fn`` as one unit of work in the background; ``then`` with its result once it is written."""
        self.ctx.ops.write(fn, owner=self, then=then, label=title)

    def auto_assign(self) -> None:
        if self.round is None:
            return
        rid, actor = self.round.id, self.ctx.actor
        self._run(self.tr("Assign automatically"), lambda s: competition.auto_assign(s, actor, rid, per_project=3),
                  self._assigned)

    def _assigned(self, result: Any) -> None:
        text = self.tr("{added} assignments made; {conflicts} conflicts of interest recorded.").format(
            added=result.added, conflicts=result.conflicts_recorded)
        if result.short:
            text += "\n" + self.tr("Short of judges: {projects}").format(
                projects="、".join(f"{code} (−{n})" for code, n in result.short[:20]))
        self.ctx.prompts.info(self, self.tr("Assign automatically"), text)
        self.load_round()

    def assign(self) -> None:
        line, jid = self._selected_project(), self.judge_pick.currentData()
        if self.round is None or line is None or jid is None:
            return
        rid, actor = self.round.id, self.ctx.actor
        self._run(self.tr("Assign"), lambda s: competition.assign_judge(s, actor, rid, jid, line.project_id),
                  lambda _r: self.load_round())

    def unassign(self) -> None:
        line, jid = self._selected_project(), self.judge_pick.currentData()
        if self.round is None or line is None or jid is None:
            return
        rid, actor = self.round.id, self.ctx.actor
        self._run(self.tr("Remove"), lambda s: competition.unassign_judge(s, actor, rid, jid, line.project_id),
                  lambda _r: self.load_round())

    def declare(self) -> None:
        line, jid = self._selected_project(), self.judge_pick.currentData()
        if line is None or jid is None:
            return
        dialog = FormDialog(self.tr("Declare a conflict of interest"), [("detail", self.tr("Description"), "")], self)
        dialog.setObjectName("declareDialog")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        detail, actor = dialog.value("detail"), self.ctx.actor
        self._run(self.tr("Declare a conflict of interest"),
                  lambda s: competition.declare_conflict(s, actor, jid, line.project_id, detail),
                  lambda _r: self.load_round())

    def save_scores(self) -> None:
        if self.round is None:
            return
        jid = self.score_judge.currentData()
        try:
            sheets = self.grid.pending()
        except ValueError as exc:
            self.ctx.prompts.error(self, self.tr("Save scores"), str(exc))
            return
        if not sheets:
            return
        rid, actor = self.round.id, self.ctx.actor

        def work(session: Session) -> None:
            for pid, values in sheets.items():
                competition.save_scores(session, actor, rid, jid, pid, values)

        self._run(self.tr("Save scores"), work, lambda _r: self.load_round())

    def new_round(self) -> None:
        year = self.round.season_year if self.round else dt.date.today().year
        dialog = FormDialog(self.tr("New judging round"), [
            ("season", self.tr("Season"), str(year)), ("name", self.tr("Name"), ""),
            ("max_load", self.tr("At most projects per judge"), "20")], self,
            stage=True, normalise=True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            values = {"season": int(dialog.value("season")), "name": dialog.value("name"),
                      "max_load": int(dialog.value("max_load") or 20), "stage": dialog.stage_value(),
                      "normalise": dialog.normalise_value()}
        except ValueError:
            self.ctx.prompts.error(self, self.tr("New judging round"), self.tr("Season and load are whole numbers."))
            return
        actor = self.ctx.actor
        self._run(self.tr("New judging round"), lambda s: competition.save_round(s, actor, values)[0].id,
                  self.reload_rounds)

    def new_judge(self) -> None:
        dialog = FormDialog(self.tr("New judge"), [
            ("name", self.tr("Name"), ""), ("organisation", self.tr("Organisation"), ""),
            ("mentor", self.tr("Staff no. (when the judge is a mentor)"), ""), ("email", self.tr("E-mail"), "")], self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        values = {k: dialog.value(k) or None for k in ("name", "organisation", "mentor", "email")}
        actor = self.ctx.actor
        self._run(self.tr("New judge"), lambda s: competition.save_judge(s, actor, values)[0].id,
                  lambda _id: self.reload_rounds())

    def edit_criteria(self) -> None:
        if self.round is None:
            return
        dialog = CriteriaDialog(self.ctx, self.round, self)
        dialog.exec()
        self.load_round()

    def export_ranking(self) -> None:
        if self.round is None:
            return
        from reports.competition import export_ranking

        r = self.round
        suggested = f"{r.season_year}-{r.name}-{dt.date.today():%Y%m%d}.xlsx"
        path = self.ctx.prompts.save_file(self, self.tr("Export ranking"), suggested, xlsx_filter())
        if not path:
            return
        lines = list(self.rank_model.lines)
        try:
            export_ranking(r, lines, path, self.normalise.isChecked())
        except OSError as exc:
            _error(self.ctx, self, self.tr("Export ranking"), exc)
            return
        self.ctx.prompts.info(self, self.tr("Export ranking"),
                              self.tr("Exported {n} rows to {path}.").format(n=len(lines), path=path))


class FormDialog(QDialog):
    """A few labelled text fields (with an optional stage choice and normalise box)."""

    def __init__(self, title: str, fields: Sequence[tuple[str, str, str]], parent: QWidget | None = None, *,
                 stage: bool = False, normalise: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for key, caption, value in fields:
            edit = QLineEdit(value, self)
            edit.setObjectName(f"field_{key}")
            self.edits[key] = edit
            form.addRow(caption, edit)
        self.stage_box: QComboBox | None = None
        if stage:
            self.stage_box = QComboBox(self)
            self.stage_box.setObjectName("field_stage")
            for s in PIPELINE_ORDER:
                self.stage_box.addItem(label(s), s)
            form.addRow(self.tr("Projects at stage"), self.stage_box)
        self.norm_box: QCheckBox | None = None
        if normalise:
            self.norm_box = QCheckBox(self.tr("Rank by per-judge z-scores"), self)
            form.addRow("", self.norm_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def value(self, key: str) -> str:
        return self.edits[key].text().strip()

    def stage_value(self) -> Stage | None:
        return Stage(self.stage_box.currentData()) if self.stage_box else None

    def normalise_value(self) -> bool:
        return bool(self.norm_box and self.norm_box.isChecked())


class CriteriaDialog(QDialog):
    """The round's rubric: each criterion's weight and score range, added or changed one at a time."""

    def __init__(self, ctx: AppContext, rnd: competition.RoundLine, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.round = ctx, rnd
        self.setObjectName("criteriaDialog")
        self.setWindowTitle(self.tr("Criteria of {name}").format(name=rnd.name))
        self.resize(560, 360)
        self.model = LinesModel([self.tr("Criterion"), self.tr("Weight"), self.tr("Lowest"), self.tr("Highest")],
                                lambda c: [c.name, f"{c.weight:g}", f"{c.min_score:g}", f"{c.max_score:g}"], self,
                                numeric=(1, 2, 3))
        self.view = _table(self, self.model, "criteriaTable", stretch=0)
        self.view.selectionModel().currentRowChanged.connect(lambda cur, _p: self._pick(cur.row()))
        self.name, self.weight, self.low, self.high = (QLineEdit(self) for _ in range(4))
        row = QHBoxLayout()
        for caption, edit in ((self.tr("Criterion"), self.name), (self.tr("Weight"), self.weight),
                              (self.tr("Lowest"), self.low), (self.tr("Highest"), self.high)):
            row.addWidget(Label(caption, self))
            row.addWidget(edit)
        self.banner = Label(self)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        add = QPushButton(self.tr("Add"), self)
        change = QPushButton(self.tr("Save changes"), self)
        remove = QPushButton(self.tr("Remove"), self)
        add.clicked.connect(lambda: self.save(None))
        change.clicked.connect(lambda: self.save(self._current()))
        remove.clicked.connect(self.remove)
        buttons = QHBoxLayout()
        for b in (add, change, remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        actor, rid = self.ctx.actor, self.round.id
        self.ctx.ops.read(lambda session: competition.round_line(session, actor, rid), owner=self,
                          then=self._show_round, slot="round")

    def _show_round(self, rnd: competition.RoundLine) -> None:
        self.round = rnd
        self.model.set_lines(rnd.criteria)

    def _refused(self, exc: BaseException) -> None:
        self.banner.setText(sentence(exc))
        self.banner.show()

    def _saved(self, _result: Any) -> None:
        self.banner.hide()
        self.reload()

    def _current(self) -> competition.CriterionLine | None:
        index = self.view.currentIndex()
        return self.model.lines[index.row()] if index.isValid() else None

    def _pick(self, row: int) -> None:
        if 0 <= row < len(self.model.lines):
            c = self.model.lines[row]
            for edit, v in ((self.name, c.name), (self.weight, c.weight), (self.low, c.min_score),
                            (self.high, c.max_score)):
                edit.setText(v if isinstance(v, str) else f"{v:g}")

    def save(self, current: competition.CriterionLine | None) -> None:
        try:
            values = {"name": self.name.text(), "weight": float(self.weight.text() or 1),
                      "min_score": float(self.low.text() or 0), "max_score": float(self.high.text() or 10)}
        except ValueError:
            self.banner.setText(self.tr("Weight and scores are numbers."))
            self.banner.show()
            return
        actor, rid = self.ctx.actor, self.round.id
        self.ctx.ops.write(lambda session: competition.save_criterion(
            session, actor, rid, values, criterion_id=current.id if current else None,
            expected_version=current.version if current else None),
            owner=self, then=self._saved, failed=self._refused, label=self.tr("Saving…"))

    def remove(self) -> None:
        current = self._current()
        if current is None:
            return
        actor = self.ctx.actor
        self.ctx.ops.write(lambda session: competition.remove_criterion(session, actor, current.id, current.version),
                           owner=self, then=self._saved, failed=self._refused, label=self.tr("Saving…"))


# --------------------------------------------------------------------------- companies and funnel


class FunnelTab(QWidget):
    """The season against its targets: projects per stage, conversion, and the pace each quarter needs."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.funnel: competition.Funnel | None = None
        self.loaded = False
        self.season_box = QComboBox(self)
        self.season_box.setObjectName("funnelSeason")
        self.season_box.currentIndexChanged.connect(lambda _i: self.load())
        export = QPushButton(self.tr("Export funnel…"), self)
        export.setObjectName("exportFunnel")
        export.clicked.connect(self.export)
        top = QHBoxLayout()
        top.addWidget(Label(self.tr("Season"), self))
        top.addWidget(self.season_box)
        top.addStretch(1)
        top.addWidget(export)
        self.figures: dict[str, QLabel] = {}
        cards = QGridLayout()
        cards.setSpacing(12)
        for i, (key, caption) in enumerate((("projects", self.tr("Projects (target {target})")),
                                            ("companies", self.tr("Incubated companies (target {target})")),
                                            ("need_projects", self.tr("New projects needed per quarter")),
                                            ("need_companies", self.tr("New companies needed per quarter")))):
            card = QFrame(self)
            card.setProperty("role", "card")
            card.setObjectName(f"card_{key}")
            value = Label("–", card)
            value.setProperty("role", "figure")
            cap = Label(caption, card)
            cap.setProperty("role", "hint")
            cap.setProperty("template", caption)
            cl = QVBoxLayout(card)
            cl.addWidget(value)
            cl.addWidget(cap)
            self.figures[key] = value
            self.figures[f"{key}_caption"] = cap
            cards.addWidget(card, 0, i)
        self.stage_model = LinesModel([self.tr("Stage"), self.tr("Projects now"), self.tr("Reached"),
                                       self.tr("Conversion from the previous stage")],
                                      lambda s: [label(s.stage), s.current, s.reached,
                                                 "" if s.conversion is None else f"{s.conversion * 100:.1f}%"],
                                      self, numeric=(1, 2, 3))
        self.pace_model = LinesModel(
            [self.tr("Quarter"), self.tr("Projects planned / actual"), self.tr("Projects needed"),
             self.tr("Companies planned / actual"), self.tr("Companies needed")],
            lambda q: [f"Q{q.quarter}（{q.start:%m-%d}–{q.end:%m-%d}）",
                       f"{q.planned_projects} / {'—' if q.actual_projects is None else q.actual_projects}",
                       q.needed_projects,
                       f"{q.planned_companies} / {'—' if q.actual_companies is None else q.actual_companies}",
                       q.needed_companies],
            self, numeric=(2, 4),
            colour=lambda q: "#b54708" if q.actual_projects is not None and q.actual_projects < q.planned_projects
            else None)
        self.dropped = Label(self)
        self.dropped.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addLayout(cards)
        split = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(_heading(self.tr("Projects per stage"), self))
        left.addWidget(_table(self, self.stage_model, "funnelTable", stretch=0), 1)
        left.addWidget(self.dropped)
        right = QVBoxLayout()
        right.addWidget(_heading(self.tr("Pace against the targets"), self))
        right.addWidget(_table(self, self.pace_model, "paceTable"), 1)  # the quarter and its dates in full
        split.addLayout(left, 2)
        split.addLayout(right, 3)  # five columns against four
        layout.addLayout(split, 1)

    def activate(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        actor = self.ctx.actor

        def read(session: Session) -> tuple[list[Any], competition.Funnel | None]:
            # the seasons and the newest one's funnel: one visit, one session
            seasons = competition.seasons(session, actor)
            return seasons, competition.funnel(session, actor, seasons[0].year) if seasons else None

        self.ctx.ops.read(read, owner=self, then=lambda got: self._show_seasons(*got), slot="funnel")

    def _show_seasons(self, seasons: list[Any], funnel: competition.Funnel | None) -> None:
        self.season_box.blockSignals(True)
        for s in seasons:
            self.season_box.addItem(str(s.year), s.year)
        self.season_box.blockSignals(False)
        if funnel is not None:
            self._show(funnel)

    def load(self) -> None:
        year, actor = self.season_box.currentData(), self.ctx.actor
        if year is None:
            return
        self.ctx.ops.read(lambda session: competition.funnel(session, actor, year), owner=self, then=self._show,
                          slot="funnel")

    def _show(self, f: competition.Funnel) -> None:
        self.funnel = f
        self.figures["projects"].setText(f"{f.projects} / {f.target_projects}")
        self.figures["companies"].setText(f"{f.companies} / {f.target_companies}")
        for key, target in (("projects", f.target_projects), ("companies", f.target_companies)):
            cap = self.figures[f"{key}_caption"]
            cap.setText(str(cap.property("template")).format(target=target))
        need_p, need_c = f.needed_projects_per_quarter, f.needed_companies_per_quarter
        self.figures["need_projects"].setText("—" if need_p is None else str(need_p))
        self.figures["need_companies"].setText("—" if need_c is None else str(need_c))
        self.stage_model.set_lines(f.stages)
        self.pace_model.set_lines(f.pace)
        parts = "、".join(self.tr("{n} from {stage}").format(n=n, stage=label(s)) for s, n in f.dropped_from.items())
        self.dropped.setText(self.tr("Dropped: {n} ({parts}).").format(n=f.dropped, parts=parts or "—"))

    def export(self) -> None:
        if self.funnel is None:
            return
        from reports.competition import export_funnel

        path = self.ctx.prompts.save_file(self, self.tr("Export funnel"),
                                          f"{self.funnel.year}-funnel-{dt.date.today():%Y%m%d}.xlsx", xlsx_filter())
        if not path:
            return
        try:
            export_funnel(self.funnel, path)
        except OSError as exc:
            _error(self.ctx, self, self.tr("Export funnel"), exc)
            return
        self.ctx.prompts.info(self, self.tr("Export funnel"), self.tr("Saved {path}.").format(path=path))


class CompetitionPage(QWidget):
    """Tabs: the pipeline, judging, companies and the funnel (a mentor: their mentees' projects only)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        admin = ctx.actor.is_admin
        self.pipeline = PipelineTab(ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("competitionTabs")
        self.tabs.addTab(self.pipeline, self.tr("Projects"))
        self.judging: JudgingTab | None = None
        self.companies: ListPage | None = None
        self.funnel: FunnelTab | None = None
        if not ctx.actor.is_mentor:
            self.judging = JudgingTab(ctx, self)
            self.companies = ListPage(
                ctx, "companies", title=self.tr("Incubated companies"),
                on_new=(lambda: open_competition_record(ctx, "companies", None, self)) if admin else None,
                on_open=lambda row: open_competition_record(ctx, "companies", row.id, self),
                import_kind="companies" if admin else None, exportable=True, parent=self)
            self.funnel = FunnelTab(ctx, self)
            self.tabs.addTab(self.judging, self.tr("Judging"))
            self.tabs.addTab(self.companies, self.tr("Companies"))
            self.tabs.addTab(self.funnel, self.tr("Funnel"))
        self.tabs.currentChanged.connect(lambda _i: self.activate())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def activate(self) -> None:
        page = self.tabs.currentWidget()
        activate = getattr(page, "activate", None)
        if activate is not None:
            activate()

    def current_list(self) -> ListPage | None:
        page = self.tabs.currentWidget()
        if page is self.pipeline:
            return self.pipeline.list
        return page if isinstance(page, ListPage) else None


# --------------------------------------------------------------------------- the student's projects panel


class StudentProjectsPanel(QWidget):
    """The projects a student leads or is on the team of (the student detail view)."""

    def __init__(self, ctx: AppContext, student_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = LinesModel([self.tr("Season"), self.tr("Project code"), self.tr("Project title"),
                                 self.tr("Track"), self.tr("Stage"), self.tr("Role")],
                                lambda p: [p.season_year, p.code, p.title, p.track, p.stage,
                                           "、".join(x for x in (self.tr("Lead") if p.is_lead else self.tr("Member"),
                                                                 self.tr("Founder") if p.is_founder else "") if x)],
                                self)
        view = _table(self, self.model, "studentProjects", stretch=2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(view, 1)
        actor = ctx.actor
        ctx.ops.read(lambda session: competition.student_projects(session, actor, student_id), owner=self,
                     then=self.model.set_lines,
                     failed=lambda exc: layout.addWidget(Label(sentence(exc), self)))


