"""The 学分互认 page: the transfer queue with each request's proposal and its effect on the student's
balance, alliance universities and agreements, their catalogues, and the equivalence rules with
their versions. Also the recognised-credits panel of a student's detail view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
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

from db import alliance, curriculum, people
from db.alliance import Decision, Outcome, RequestView
from db.balance import Credits
from db.errors import ValidationError
from db.labels import label
from db.listing import ListRow
from db.models import RuleStatus, TransferStatus
from forms import parsers, specs
from forms.specs import parse_values

from .. import recorddialog
from ..context import AppContext
from ..linesmodel import LinesModel
from ..listpage import ListPage
from ..operations import sentence
from ..plain import Label
from ..prompts import xlsx_filter
from ..recorddialog import RecordDialog

Index = QModelIndex | QPersistentModelIndex


def _share(c: Credits) -> str:
    return "—" if c.share is None else f"{c.share * 100:.1f}%"


def _today() -> dt.date:
    return dt.date.today()


# --------------------------------------------------------------------------- record dialogs


def _save_rule(session: Any, actor: Any, values: dict[str, Any], **kw: Any) -> Any:
    return alliance.save_rule(session, actor, values, **kw)


recorddialog.SERVICES.setdefault("universities", (people.save_university, "university_id"))
recorddialog.SERVICES.setdefault("external-courses", (curriculum.save_external_course, "external_id"))
recorddialog.SERVICES.setdefault("equivalences", (_save_rule, "rule_id"))


class AllianceRecordDialog(RecordDialog):
    """The spec-rendered dialog for universities, external courses and rules, read through db.alliance.

    ``new_version_of`` turns the dialog into "new version of an approved rule": it opens with that
    version's values and saving makes a draft with the next revision.
    """

    def __init__(self, ctx: AppContext, kind: str, record_id: int | None = None, *, read_only: bool = False,
                 new_version_of: int | None = None, parent: QWidget | None = None) -> None:
        editable = None
        if kind == "equivalences" and (record_id is not None or new_version_of is not None):
            editable = frozenset(f.key for f in specs.SPECS[kind].fields if f.key != "university")
        super().__init__(ctx, kind, record_id if new_version_of is None else new_version_of, read_only=read_only,
                         editable=editable, parent=parent)
        self.new_version_of = new_version_of
        if new_version_of is not None:
            self.record_id = None

    def tr(self, text: str, disambiguation: str | None = None, n: int = -1) -> str:
        """The base dialog's strings are translated in its own context (self.tr would look them up
        under this class's name)."""
        out = QCoreApplication.translate("AllianceRecordDialog", text, disambiguation, n)
        return out if out != text else QCoreApplication.translate("RecordDialog", text, disambiguation, n)

    def _snapshot(self, session: Session, record_id: int) -> tuple[int, dict[str, Any], str]:
        """(version, values, title) of the record: read on the worker thread, so it touches no widget."""
        actor = self.ctx.actor
        if self.kind == "universities":
            u = alliance.university_view(session, actor, record_id)
            return u.version, {"code": u.code, "name": u.name, "hours_per_credit": u.hours_per_credit,
                               "agreement_from": u.agreement_from, "agreement_to": u.agreement_to}, \
                f"{u.code} {u.name}"
        if self.kind == "external-courses":
            _id, version, values, title = alliance.external_view(session, actor, record_id)
            return version, values, title
        r = alliance.rule_view(session, actor, record_id)
        title = QCoreApplication.translate("AllianceRecordDialog", "{key} version {revision}")
        return r.version, r.values, title.format(key=r.rule_key, revision=r.revision)

    def load(self) -> bool:
        rid = self.new_version_of if self.new_version_of is not None else self.record_id
        if rid is None:
            return True
        return self.read_record(lambda session: self._snapshot(session, rid), lambda got: self._show(*got))

    def _show(self, version: int, values: dict[str, Any], title: str) -> None:
        self.version = version
        for key, ed in self.editors.items():
            ed.set_value(values.get(key))
            ed.set_error(None)
        if self.new_version_of is not None:
            self.setWindowTitle(self.tr("New version of rule {title}").format(title=title))
        else:
            self._set_title(title)
        self.banner.hide()

    def save(self) -> None:
        if self.new_version_of is None:
            super().save()
            return
        values, errors = parse_values(self.spec, self.raw_values())
        values.pop("university", None)
        errors.pop("university", None)
        if errors:
            self.show_errors(errors)
            return
        actor, of = self.ctx.actor, self.new_version_of
        self.commit(lambda session: int(alliance.new_version(session, actor, of, values).id), self._saved)

    def _conflict(self, message: str) -> None:
        self.show_errors({}, message)
        if self.record_id is not None:
            rid = self.record_id
            self.ctx.ops.read(lambda session: self._snapshot(session, rid)[0], owner=self,
                              then=lambda version: setattr(self, "version", version), failed=lambda _exc: None)


def open_alliance_record(ctx: AppContext, kind: str, record_id: int | None, parent: QWidget | None, *,
                         read_only: bool = False, new_version_of: int | None = None) -> bool:
    dialog = AllianceRecordDialog(ctx, kind, record_id, read_only=read_only, new_version_of=new_version_of,
                                  parent=parent)
    if not dialog.load():
        return False
    return dialog.exec() == QDialog.DialogCode.Accepted and not read_only


# --------------------------------------------------------------------------- deciding a request


class DecisionDialog(QDialog):
    """Credits (approving in part) and a reason; ``submit(credits, reason, answer)`` starts the work (in the
    background) and calls ``answer`` with the ValidationError to show, or None when it is done."""

    def __init__(self, title: str, ask_credits: bool, reason: str,
                 submit: Callable[[float | None, str, Callable[[ValidationError | None], None]], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decisionDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self.submit = submit
        self.credits: QLineEdit | None = None
        form = QFormLayout()
        if ask_credits:
            self.credits = QLineEdit(self)
            self.credits.setObjectName("field_credits")
            form.addRow(self.tr("Credits to grant"), self.credits)
        self.reason = QLineEdit(reason, self)
        self.reason.setObjectName("field_reason")
        form.addRow(self.tr("Reason"), self.reason)
        self.error = Label(self)
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept_decision)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept_decision(self) -> None:
        credits = None
        if self.credits is not None:
            try:
                credits = parsers.number(0, 60)(self.credits.text())
            except ValueError as exc:
                self.error.setText(str(exc))
                self.error.show()
                return
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)  # while it is decided: a second press must not decide twice
        self.submit(credits, self.reason.text(), self._answer)

    def _answer(self, problem: ValidationError | None) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
        if problem is not None:
            self.error.setText("\n".join(problem.errors.values()) or str(problem))
            self.error.show()
            return
        self.accept()


class TransferPane(QFrame):
    """The selected request: source, proposal, the balance before → after, and the decision buttons."""

    decided = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("transferPane")
        self.view: RequestView | None = None
        self.heading = Label(self.tr("Select a request to see its proposal."), self)
        self.heading.setProperty("role", "heading")
        self.heading.setWordWrap(True)
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for key, caption in (("student", self.tr("Student")), ("source", self.tr("Course taken")),
                             ("score", self.tr("Score")), ("rule", self.tr("Rule")),
                             ("target", self.tr("Recognised as")), ("credits", self.tr("Credits")),
                             ("cap", self.tr("Recognised so far"))):
            value = Label(self)
            value.setObjectName(f"value_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = value
            form.addRow(caption, value)
        self.outcome = Label(self)
        self.outcome.setObjectName("proposalOutcome")
        self.outcome.setWordWrap(True)
        self.effect = Label(self)
        self.effect.setObjectName("balanceEffect")
        self.effect.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.outcome)
        layout.addWidget(self.effect)
        layout.addStretch(1)
        self.buttons: dict[Decision, QPushButton] = {}
        if ctx.actor.is_admin:
            row = QHBoxLayout()
            for decision, text, name in ((Decision.APPROVE, self.tr("Approve"), "approveButton"),
                                         (Decision.PARTIAL, self.tr("Approve in part…"), "partialButton"),
                                         (Decision.REJECT, self.tr("Reject…"), "rejectButton")):
                b = QPushButton(text, self)
                b.setObjectName(name)
                b.clicked.connect(lambda _c=False, d=decision: self.on_decision(d))
                self.buttons[decision] = b
                row.addWidget(b)
            row.addStretch(1)
            layout.addLayout(row)
        self.show_request(None)

    def show_request(self, request_id: int | None) -> None:
        self.view = None
        if request_id is None:
            self.ctx.ops.forget(self, "request")  # a request asked for a moment ago is not shown now
            self._render()
            return
        actor, on = self.ctx.actor, _today()
        self.ctx.ops.read(lambda session: alliance.request_view(session, actor, request_id, on=on), owner=self,
                          then=self._show_request, failed=self._show_request_failed, slot="request")

    def _show_request(self, view: Any) -> None:
        self.view = view
        self._render()

    def _show_request_failed(self, exc: BaseException) -> None:
        self.ctx.prompts.error(self, self.tr("Credit transfer"), sentence(exc))
        self._render()

    def _render(self) -> None:
        v = self.view
        for value in self.fields.values():
            value.clear()
        self.outcome.clear()
        self.effect.clear()
        pending = v is not None and v.status is TransferStatus.PENDING
        for decision, b in self.buttons.items():
            b.setEnabled(pending and (decision is Decision.REJECT or v.proposal.approvable))  # type: ignore[union-attr]
        if v is None:
            self.heading.setText(self.tr("Select a request to see its proposal."))
            return
        p = v.proposal
        self.heading.setText(self.tr("Request {id} · {status}").format(id=v.id, status=label(v.status)))
        self.fields["student"].setText(f"{v.student_no} {v.student_name}（{v.programme}）")
        hours = self.tr("{n} hours").format(n=v.external_hours) if v.external_hours else ""
        self.fields["source"].setText(self.tr("{university} {code} {name}, {credits} credits {hours}, term {term}")
                                      .format(university=v.university, code=v.external_code, name=v.external_name,
                                              credits=f"{v.external_credits:g}", hours=hours, term=v.term).strip())
        score = v.score_text if v.score is None or v.score_text == f"{v.score:g}" else \
            f"{v.score_text}（{v.score:g}）"
        self.fields["score"].setText(score)
        if p.rule_key:
            self.fields["rule"].setText(self.tr("{key} version {revision} ({kind})").format(
                key=p.rule_key, revision=p.revision, kind=label(p.kind)))
        target = p.target()
        if target and p.category is not None and p.local_code:
            target = f"{target}（{label(p.category)}）"
        if v.parts:
            target += "\n" + self.tr("together with {parts}").format(parts="、".join(v.parts))
        self.fields["target"].setText(target)
        if p.credits is not None:
            if pending:
                text = f"{p.grantable:g}" if p.grantable == p.credits or not p.approvable else \
                    self.tr("{grantable} of {credits}").format(grantable=f"{p.grantable:g}", credits=f"{p.credits:g}")
            else:
                text = self.tr("{granted} granted of {credits} proposed").format(
                    granted=f"{(v.credits or 0):g}", credits=f"{p.credits:g}")
            self.fields["credits"].setText(text)
        cap = self.tr("no cap") if p.cap is None else self.tr("cap {cap}").format(cap=f"{p.cap:g}")
        self.fields["cap"].setText(self.tr("{n} credits ({cap})").format(n=f"{p.recognised:g}", cap=cap))
        if pending:
            words = alliance.outcome_label(p.outcome)
            text = self.tr("Proposed: {outcome}").format(outcome=words)
            if p.reason:
                text += " — " + p.reason
            self.outcome.setText(text)
            self._role(self.outcome, "ok" if p.outcome is Outcome.APPROVE else "warn")
        else:
            text = self.tr("Decided on {day} by {user}").format(
                day=v.decided_on.isoformat() if v.decided_on else "", user=v.decided_by or "")
            if v.reason:
                text += " — " + v.reason
            self.outcome.setText(text)
            self._role(self.outcome, "")
        e = v.effect
        band = self.tr("target {target:.0f}% ± {tol:.0f} points").format(target=e.target * 100, tol=e.tolerance * 100)
        if pending and p.approvable:
            text = self.tr("Foundation share {before} → {after} if approved ({band})").format(
                before=_share(e.before), after=_share(e.after), band=band)
            self._role(self.effect, "ok" if e.in_band_after else "warn")
        else:
            text = self.tr("Foundation share now {share} ({band})").format(share=_share(e.before), band=band)
            self._role(self.effect, "ok" if e.in_band_before else "warn")
        # earned: what the student has now (the share above says what approval would make of it)
        self.effect.setText(text + "\n" + self.tr("Foundation {f:g} · industry {i:g} credits earned").format(
            f=e.before.foundation, i=e.before.industry))

    @staticmethod
    def _role(widget: QLabel, role: str) -> None:
        widget.setProperty("role", role)
        widget.style().unpolish(widget)
        widget.style().polish(widget)

    # ---------------------------------------------------------------- deciding

    def on_decision(self, decision: Decision) -> None:
        v = self.view
        if v is None:
            return
        if decision is Decision.APPROVE:
            p = v.proposal
            text = self.tr("Approve {credits} credits for {student}: {target}?").format(
                credits=f"{p.grantable:g}", student=f"{v.student_no} {v.student_name}", target=p.target())
            if self.ctx.prompts.confirm(self, self.tr("Credit transfer"), text):
                self.decide(decision)
            return
        title = self.tr("Approve in part") if decision is Decision.PARTIAL else self.tr("Reject")
        reason = (v.proposal.reason or "") if decision is Decision.REJECT else ""
        dialog = DecisionDialog(title, decision is Decision.PARTIAL, reason,
                                lambda credits, why, answer: self.decide(decision, credits, why, answer), self)
        dialog.exec()

    def decide(self, decision: Decision, credits: float | None = None, reason: str | None = None,
               answer: Callable[[ValidationError | None], None] | None = None) -> None:
        """Decide the shown request in the background; ``answer`` gets the ValidationError for the dialog to
        show (a reason missing), or None once it is decided (or refused for another reason, said here)."""
        v = self.view
        if v is None:
            return
        actor, tell = self.ctx.actor, answer or (lambda _problem: None)

        def decided(_result: Any) -> None:
            self.show_request(v.id)
            self.decided.emit(v.id)
            tell(None)

        def refused(exc: BaseException) -> None:
            if isinstance(exc, ValidationError) and answer is not None:  # the dialog shows it on its field
                answer(exc)
                return
            self.ctx.prompts.error(self, self.tr("Credit transfer"), sentence(exc))
            self.show_request(v.id)
            tell(None)

        self.ctx.ops.write(lambda session: alliance.decide(session, actor, v.id, v.version, decision, credits=credits,
                                                           reason=reason),
                           owner=self, then=decided, failed=refused, label=self.tr("Credit transfer"))


# --------------------------------------------------------------------------- the page


class AlliancePage(QWidget):
    """Tabs: transfer requests (with the decision pane), universities, catalogues, rules."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        admin = ctx.actor.is_admin

        self.transfers = ListPage(ctx, "transfers", title=self.tr("Credit transfer requests"),
                                  import_kind="transfers" if admin else None, exportable=True, parent=self)
        self.pane = TransferPane(ctx, self)
        self.transfers.selectionChanged.connect(lambda row: self.pane.show_request(row.id if row else None))
        self.transfers.model.modelReset.connect(self._queue_reset)
        if admin:  # several requests decided at once, each with its own balance check and the cap
            self.transfers.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
            self.transfers.add_button(self.tr("Approve selected…"), "bulkApprove", lambda: self.decide_selected(True))
            self.transfers.add_button(self.tr("Reject selected…"), "bulkReject", lambda: self.decide_selected(False))
        self._keep_pane = False
        self.pane.decided.connect(self._after_decision)
        split = QSplitter(self)
        split.setObjectName("transferSplitter")
        split.addWidget(self.transfers)
        split.addWidget(self.pane)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([760, 440])

        self.universities = ListPage(
            ctx, "universities", title=self.tr("Alliance universities"),
            on_new=(lambda: open_alliance_record(ctx, "universities", None, self)) if admin else None,
            on_open=lambda row: open_alliance_record(ctx, "universities", row.id, self, read_only=not admin),
            import_kind="universities" if admin else None, exportable=True, parent=self)
        if admin:
            self.universities.add_button(self.tr("Grading scale…"), "scaleButton", self.edit_scale)
            self.universities.add_button(self.tr("Export visiting students…"), "visitingButton", self.export_visiting)
        self.externals = ListPage(
            ctx, "external_courses", title=self.tr("External courses"),
            on_new=(lambda: open_alliance_record(ctx, "external-courses", None, self)) if admin else None,
            on_open=lambda row: open_alliance_record(ctx, "external-courses", row.id, self, read_only=not admin),
            import_kind="external-courses" if admin else None, exportable=True, parent=self)
        self.rules = ListPage(
            ctx, "equivalence_rules", title=self.tr("Equivalence rules"),
            on_new=(lambda: open_alliance_record(ctx, "equivalences", None, self)) if admin else None,
            on_open=self.open_rule, import_kind="equivalences" if admin else None, exportable=True, parent=self)
        if admin:
            self.rules.add_button(self.tr("Approve"), "approveRuleButton", self.approve_rule)
            self.rules.add_button(self.tr("Retire…"), "retireRuleButton", self.retire_rule)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(split, self.tr("Transfer requests"))
        self.tabs.addTab(self.universities, self.tr("Universities and agreements"))
        self.tabs.addTab(self.externals, self.tr("Catalogues"))
        self.tabs.addTab(self.rules, self.tr("Rules and versions"))
        self.tabs.currentChanged.connect(lambda _i: self.activate())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self._queue_ready = False

    def current_list(self) -> ListPage:
        return [self.transfers, self.universities, self.externals, self.rules][self.tabs.currentIndex()]

    def activate(self) -> None:
        lst = self.current_list()
        if lst is self.transfers and not self._queue_ready:
            self._queue_ready = True  # the queue opens on the pending requests: read once, so filtered
            lst.activate(preset=self._open_on_pending)
        else:
            lst.activate()

    def _open_on_pending(self) -> None:
        values = self.transfers.filter_values("status")
        if TransferStatus.PENDING in values:
            self.transfers.preset_filter("status", values.index(TransferStatus.PENDING) + 1)

    def _queue_reset(self) -> None:
        if not self._keep_pane:
            self.pane.show_request(None)

    def selected_requests(self) -> list[int]:
        rows = (self.transfers.model.row_at(i.row()) for i in self.transfers.view.selectionModel().selectedRows())
        return [r.id for r in rows if r is not None]

    def decide_selected(self, approve: bool) -> bool:
        """批量通过 / 批量驳回: the selected requests, all or none (db.alliance.decide_many); a rejection
        asks for the reason all of them get."""
        from db.alliance import Decision, decide_many
        from forms.mentoring import REASON
        from forms.specs import EntitySpec

        from ..mentoringdialogs import FormDialog, run

        ids = self.selected_requests()
        title = self.tr("Approve selected…") if approve else self.tr("Reject selected…")
        title = title.rstrip("…")
        if not ids:
            self.ctx.prompts.info(self, title,
                                  self.tr("Select the requests in the queue first (Ctrl or Shift + click)."))
            return False
        ctx = self.ctx

        class Bulk(FormDialog):
            def save(self, session: Any, values: dict[str, Any]) -> Any:
                return decide_many(session, ctx.actor, ids, Decision.APPROVE if approve else Decision.REJECT,
                                   reason=values.get("reason"))

        spec = EntitySpec("bulk-decision", "批量审核", "Decide requests",
                          () if approve else (REASON,), key=())
        intro = (self.tr("Approve the {n} selected requests, each as its proposal says (the programme's cap and "
                         "the double-counting checks apply one after the other)?") if approve else
                 self.tr("Reject the {n} selected requests with this reason?")).format(n=len(ids))
        dialog = Bulk(ctx, spec, title, self, intro=intro)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).setText(title)
        if not run(dialog):
            return False
        self.transfers.refresh()
        ctx.prompts.info(self, title, self.tr("{n} requests were decided.").format(n=len(dialog.result_value or [])))
        return True

    def _after_decision(self, request_id: int) -> None:
        """The queue drops the decided request; the pane keeps showing it with the new balance."""
        self._keep_pane = True  # until the queue shows the answer (its reset would clear the pane)
        self.transfers.refresh(then=lambda: setattr(self, "_keep_pane", False))

    # ---------------------------------------------------------------- rules

    def _rule_row(self) -> ListRow | None:
        return self.rules.current_row()

    def open_rule(self, row: ListRow) -> bool:
        if not self.ctx.actor.is_admin:
            return open_alliance_record(self.ctx, "equivalences", row.id, self, read_only=True)
        status = row.values[2]
        if status is RuleStatus.DRAFT:
            return open_alliance_record(self.ctx, "equivalences", row.id, self)
        if status is RuleStatus.APPROVED:
            return open_alliance_record(self.ctx, "equivalences", None, self, new_version_of=row.id)
        return open_alliance_record(self.ctx, "equivalences", row.id, self, read_only=True)

    def approve_rule(self) -> None:
        row = self._rule_row()
        if row is None:
            return
        text = self.tr("Approve rule {key} version {revision}? An approved rule is never edited again.").format(
            key=row.values[0], revision=row.values[1])
        if not self.ctx.prompts.confirm(self, self.tr("Equivalence rules"), text):
            return
        actor = self.ctx.actor
        self._rule_action(lambda s: alliance.approve_rule(s, actor, row.id, row.version))

    def retire_rule(self) -> None:
        row = self._rule_row()
        if row is None:
            return
        text = self.tr("Retire rule {key} version {revision}? Requests of the terms it covered keep it; "
                       "it ends after {term}.").format(key=row.values[0], revision=row.values[1],
                                                      term=self._current_term_before())
        if not self.ctx.prompts.confirm(self, self.tr("Equivalence rules"), text):
            return
        actor, before = self.ctx.actor, self._current_term_before()
        self._rule_action(lambda s: alliance.retire_rule(s, actor, row.id, row.version, before))

    @staticmethod
    def _current_term_before() -> str:
        """The last term before today's: a retired rule still serves the terms up to it."""
        day = _today()
        if day.month >= 9 or day.month == 1:
            first = day.year if day.month >= 9 else day.year - 1
            current = f"{first}-{first + 1}-1"
        else:
            current = f"{day.year - 1}-{day.year}-2"
        return alliance.previous_term(current)

    def _rule_action(self, fn: Callable[[Session], Any]) -> None:
        self.ctx.ops.write(fn, owner=self, after=self.rules.refresh, label=self.tr("Equivalence rules"))

    # ---------------------------------------------------------------- universities

    def edit_scale(self) -> None:
        row = self.universities.current_row()
        if row is None:
            return
        actor = self.ctx.actor
        uni = self.ctx.ops.now(lambda session: alliance.university_view(session, actor, row.id), owner=self)
        if uni is None:
            return

        def submit(_credits: float | None, text: str, answer: Callable[[ValidationError | None], None]) -> None:
            try:
                scale = alliance.parse_scale(text)
            except ValidationError as exc:
                answer(exc)
                return

            def refused(exc: BaseException) -> None:
                answer(exc if isinstance(exc, ValidationError)
                       else ValidationError(sentence(exc), {"grading_scale": sentence(exc)}))

            self.ctx.ops.write(lambda session: alliance.set_grading_scale(session, actor, uni.id, uni.version, scale),
                               owner=self, then=lambda _r: answer(None), failed=refused)

        dialog = DecisionDialog(self.tr("Grading scale of {name}").format(name=uni.name), False,
                                alliance.scale_text(uni.grading_scale), submit, self)
        dialog.reason.setPlaceholderText(self.tr("e.g. A=95, B=85, C=75, D=65, F=50; blank: 0–100 and 优/良/中/及格"))
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.universities.refresh()

    def export_visiting(self) -> None:
        row = self.universities.current_row()
        if row is None:
            return
        actor = self.ctx.actor
        uni = self.ctx.ops.now(lambda session: alliance.university_view(session, actor, row.id), owner=self)
        if uni is None or uni.organisation_id is None:
            return
        path = self.ctx.prompts.save_file(self, self.tr("Export visiting students"),
                                          self.tr("{name} visiting students.xlsx").format(name=uni.name), xlsx_filter())
        if path:
            export_visiting(self.ctx, self, path, organisation_id=uni.organisation_id)


def export_visiting(ctx: AppContext, parent: QWidget, path: str, *, organisation_id: int | None = None,
                    student_ids: list[int] | None = None) -> None:
    from reports.visiting import write_visiting

    def work(_task: Any) -> int:
        with ctx.factory() as session:
            lines = alliance.visiting_transcript(session, ctx.actor, organisation_id=organisation_id,
                                                 student_ids=student_ids)
        write_visiting(lines, path)
        return len(lines)

    ctx.tasks.run(work, parent=parent, label=QCoreApplication.translate("AlliancePage", "Exporting…"),
                  on_success=lambda n: ctx.prompts.info(
                      parent, QCoreApplication.translate("AlliancePage", "Export visiting students"),
                      QCoreApplication.translate("AlliancePage", "{n} courses written to {path}").format(
                          n=n, path=path)))


# --------------------------------------------------------------------------- the student's recognised credits


class RecognisedModel(LinesModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([], self._cells, parent, tooltip=lambda x: x.reason)
        self.headers = [self.tr("University"), self.tr("External course"), self.tr("Term"), self.tr("Score"),
                        self.tr("Credits"), self.tr("Category"), self.tr("Local course"), self.tr("Rule"),
                        self.tr("Decided on")]

    @staticmethod
    def _cells(x: Any) -> list[Any]:
        rule = f"{x.rule_key} v{x.revision}" if x.rule_key else ""
        return [x.university, f"{x.external_code} {x.external_name}", x.term, x.score_text, f"{x.credits:g}",
                x.category, f"{x.local_code} {x.local_name}" if x.local_code else "", rule, x.decided_on]


class RecognisedPanel(QWidget):
    """Recognised credits with their source, and the student's balance including them."""

    def __init__(self, ctx: AppContext, student_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.student_id = ctx, student_id
        self.setObjectName("recognisedPanel")
        heading = Label(self.tr("Recognised credits"), self)
        heading.setProperty("role", "heading")
        self.summary = Label(self)
        self.summary.setObjectName("recognisedSummary")
        self.summary.setWordWrap(True)
        self.model = RecognisedModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setMinimumHeight(110)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.view)
        self.reload()

    def reload(self) -> None:
        actor, student_id, on = self.ctx.actor, self.student_id, _today()
        self.ctx.ops.read(lambda session: alliance.student_recognition(session, actor, student_id, on=on), owner=self,
                          then=self._show, failed=lambda exc: self.summary.setText(sentence(exc)), slot="recognition")

    def _show(self, r: Any) -> None:
        cap = self.tr("no cap") if r.cap is None else self.tr("cap {cap}").format(cap=f"{r.cap:g}")
        self.summary.setText(self.tr("{n} credits recognised ({cap}), {pending} pending; foundation share {share} "
                                     "(foundation {f:g} · industry {i:g})").format(
            n=f"{r.recognised:g}", cap=cap, pending=r.pending, share=_share(r.credits), f=r.credits.foundation,
            i=r.credits.industry))
        self.model.set_lines(r.lines)

