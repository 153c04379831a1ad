"""The `equivalences` and `transfers` imports: rules arrive approved, historical decisions pass the
same checks as today's, every bad row is reported on its column and nothing is half-written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from test_alliance import alliance_db  # noqa: F401  (the fixture)

from db.actor import Actor
from db.balance import student_credits
from db.models import EquivalenceRule, RuleKind, RuleStatus, Student, TransferRequest, TransferStatus
from forms.importer import run_import
from forms.templates import write_template

D = dt.date


def xlsx(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def _count(db: Any, model: type) -> int:
    with db.factory() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


RULES = [["高校代码", "外校课程代码", "本校课程代码", "认定类别", "认定学分", "最低成绩", "生效学期", "失效学期"],
         ["CQU", "CS301", "F1", None, 3, None, "2024-2025-1", None],
         ["cqu", "MA201 + MA305", "F2", None, 4, 70, "2024-2025-1", None],
         ["CQU", "IE210", None, "产业", None, None, "2024-2025-1", "2027-2028-2"]]


@pytest.fixture
def rules_db(alliance_db: Any, admin: Actor, tmp_path: Path) -> Any:  # noqa: F811
    result = run_import(alliance_db.factory, admin, "equivalences", xlsx(tmp_path / "rules.xlsx", RULES))
    assert result.committed, [str(e) for e in result.errors]
    return alliance_db


def test_equivalences_arrive_approved_and_reimport_changes_nothing(rules_db: Any, admin: Actor,
                                                                   tmp_path: Path) -> None:
    with rules_db.factory() as s:
        rules = s.scalars(select(EquivalenceRule).order_by(EquivalenceRule.rule_key)).all()
        assert [(r.rule_key, r.kind, r.status, r.credits, r.min_score, r.valid_to) for r in rules] == [
            ("CQU-R01", RuleKind.COURSE, RuleStatus.APPROVED, 3.0, 60.0, None),
            ("CQU-R02", RuleKind.COMBINED, RuleStatus.APPROVED, 4.0, 70.0, None),
            ("CQU-R03", RuleKind.CATEGORY, RuleStatus.APPROVED, None, 60.0, "2027-2028-2")]
        assert sorted(link.external_course.code for link in rules[1].external_links) == ["MA201", "MA305"]
    again = run_import(rules_db.factory, admin, "equivalences", xlsx(tmp_path / "again.xlsx", RULES))
    assert again.committed and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert _count(rules_db, EquivalenceRule) == 3


def test_bad_equivalences_are_refused_on_their_column(rules_db: Any, admin: Actor, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "bad.xlsx", [
        RULES[0],
        ["CQU", "CS330", "NOPE", None, 2, None, None, None],  # unknown local course
        ["CQU", "CS301", None, "基础", 3, None, "2023-2024-1", None],  # overlaps CQU-R01 (open-ended)
        ["PKU", "CS301", "F1", None, 3, None, None, None],  # not in the alliance
        ["CQU", "CS330", "F1", None, 2, 120, None, None],  # minimum score on the wrong scale
        ["CQU", "CS330", "F1", None, 2, None, "2025秋", None],  # not a term
        ["CQU", "CS330", "F2", None, 2, None, "2024-2025-1", None],  # fine on its own
    ])
    result = run_import(rules_db.factory, admin, "equivalences", path)
    assert not result.committed
    where = {(e.row, e.field) for e in result.errors}
    assert {(2, "local"), (3, "valid_from"), (4, "university"), (5, "min_score"), (6, "valid_from")} <= where
    assert not any(e.row == 7 for e in result.errors)
    text = "\n".join(str(e) for e in result.errors)
    assert "Course NOPE does not exist" in text and "must not overlap" in text and "not an alliance university" in text
    assert _count(rules_db, EquivalenceRule) == 3  # nothing written, not even row 7


def test_reimported_rules_change_while_unused_and_version_from_a_later_term(rules_db: Any, admin: Actor,
                                                                            tmp_path: Path) -> None:
    """A rules file imported again with other values was refused as overlapping the rule it names, so a
    rule could never be corrected, closed or changed from a later term by import. Now: values change in
    place while no request has used the rule; once one has, only its last term may change (not before a
    term it decided); a later first term makes a new version that closes the old one the term before."""
    def run(name: str, *rows: list[Any]) -> Any:
        return run_import(rules_db.factory, admin, "equivalences", xlsx(tmp_path / name, [RULES[0], *rows]))

    fixed = run("fix.xlsx", ["CQU", "CS301", "F1", None, 2.5, 65, "2024-2025-1", None])  # unused: corrected
    assert fixed.committed and (fixed.created, fixed.updated) == (0, 1), [str(e) for e in fixed.errors]
    decided = run_import(rules_db.factory, admin, "transfers", xlsx(tmp_path / "t.xlsx", [
        TRANSFER_HEAD, ["S1", "CQU", "CS301", "2025-2026-1", 88, "2026-02-20", "通过", None, "2026-03-01", None]]))
    assert decided.committed, [str(e) for e in decided.errors]
    used = run("used.xlsx", ["CQU", "CS301", "F1", None, 3, 65, "2024-2025-1", None])
    assert not used.committed and [(e.row, e.field) for e in used.errors] == [(2, "valid_from")]
    assert "already decided 1 request" in used.errors[0].reason and "first term" in used.errors[0].reason
    early = run("early.xlsx", ["CQU", "CS301", "F1", None, 2.5, 65, "2024-2025-1", "2024-2025-2"])
    assert [(e.row, e.field) for e in early.errors] == [(2, "valid_to")]  # it decided a 2025-2026-1 request
    assert "2025-2026-1" in early.errors[0].reason
    # a new version from 2025-2026-1 would close version 1 at 2024-2025-2, before the term it decided
    cut = run("cut.xlsx", ["CQU", "CS301", None, "产业", 2, None, "2025-2026-1", None])
    assert [(e.row, e.field) for e in cut.errors] == [(2, "valid_from")] and "2025-2026-1" in cut.errors[0].reason
    closed = run("close.xlsx", ["CQU", "CS301", "F1", None, 2.5, 65, "2024-2025-1", "2026-2027-2"])
    assert closed.committed, [str(e) for e in closed.errors]
    reopened = run("open.xlsx", ["CQU", "CS301", "F1", None, 2.5, 65, "2024-2025-1", None])
    assert reopened.committed
    # the whole history in one file, newest first: a new version from 2027-2028-1 closing the first
    history = [["CQU", "CS301", "F1", None, 3, 60, "2027-2028-1", None],
               ["CQU", "CS301", "F1", None, 2.5, 65, "2024-2025-1", None]]
    versioned = run("history.xlsx", *history)
    # the 2024 row is the rule as it stands; the 2027 row makes a new version (closing the old one)
    assert versioned.committed and (versioned.created, versioned.updated, versioned.unchanged) == (1, 0, 1), \
        [str(e) for e in versioned.errors]
    assert [n for n in versioned.notices if "CQU-R01" in n] == [
        "Row 2: Rule CQU-R01 has a new version 2 from 2027-2028-1; version 1 now ends with 2026-2027-2."]
    with rules_db.factory() as s:
        found = s.execute(select(EquivalenceRule.revision, EquivalenceRule.status, EquivalenceRule.credits,
                                 EquivalenceRule.min_score, EquivalenceRule.valid_from, EquivalenceRule.valid_to)
                          .where(EquivalenceRule.rule_key == "CQU-R01").order_by(EquivalenceRule.revision)).all()
    assert [tuple(r) for r in found] == [(1, RuleStatus.RETIRED, 2.5, 65.0, "2024-2025-1", "2026-2027-2"),
                                         (2, RuleStatus.APPROVED, 3.0, 60.0, "2027-2028-1", None)]
    again = run("history.xlsx", *history)  # the same file again: the first version reads as it was
    assert again.committed and again.created == 0
    assert _count(rules_db, EquivalenceRule) == 4
    replaced = run("replaced.xlsx", ["CQU", "CS301", "F1", None, 2, 65, "2024-2025-1", None])
    assert [(e.row, e.field) for e in replaced.errors] == [(2, "valid_from")]
    assert "replaced by a later version" in replaced.errors[0].reason


TRANSFER_HEAD = ["学号", "高校代码", "外校课程代码", "学期", "成绩", "申请日期", "状态", "认定学分", "审核日期", "理由"]


def test_transfers_with_historical_decisions(rules_db: Any, admin: Actor, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "t.xlsx", [
        TRANSFER_HEAD,
        ["S1", "CQU", "CS301", "2025-2026-1", 88, "2026-02-20", "通过", None, "2026-03-01", None],
        ["S1", "CQU", "IE210", "2025-2026-1", "良", "2026-02-20", "通过", 1.5, "2026-03-02", "学时不足"],
        ["S2", "CQU", "CS301", "2025-2026-1", 55, "2026-02-21", "驳回", None, "2026-03-01", "成绩未达最低要求"],
        ["S2", "CQU", "MA201", "2025-2026-1", 90, D(2026, 3, 5), None, None, None, None],
        ["S2", "CQU", "MA305", "2025-2026-1", 91, D(2026, 3, 5), "待审", None, None, None],
    ])
    result = run_import(rules_db.factory, admin, "transfers", path)
    assert result.committed, [str(e) for e in result.errors]
    assert result.created == 5
    with rules_db.factory() as s:
        rows = {(r.student.student_no, r.external_course.code): r for r in s.scalars(select(TransferRequest))}
        ok = rows[("S1", "CS301")]
        assert (ok.status, ok.credits, ok.decided_on, ok.rule_id is not None) == (TransferStatus.APPROVED, 3.0,
                                                                                  D(2026, 3, 1), True)
        part = rows[("S1", "IE210")]
        assert (part.credits, part.proposed_credits, part.reason) == (1.5, 2.5, "学时不足")  # 40 h ÷ 16
        no = rows[("S2", "CS301")]
        assert (no.status, no.credits, no.reason) == (TransferStatus.REJECTED, None, "成绩未达最低要求")
        assert rows[("S2", "MA201")].status is TransferStatus.PENDING
        s1 = s.scalar(select(Student.id).where(Student.student_no == "S1"))
        earned = student_credits(s, s1, D(2026, 3, 31))
        assert (earned.foundation, earned.industry) == (9, 5.5)
    again = run_import(rules_db.factory, admin, "transfers", path)
    assert again.committed and again.created == 0
    assert _count(rules_db, TransferRequest) == 5


@pytest.mark.parametrize("order", ["part_first", "main_first"])
def test_a_combined_recognition_approved_on_paper_is_imported_from_one_file(rules_db: Any, admin: Actor,
                                                                            tmp_path: Path, order: str) -> None:
    """Rule MA201 + MA305 -> F2 (4 credits), approved before the academy had TalentDesk: one approved row
    per external course in the same file (the part's row with 0 credits, as `export transfers` writes
    it). The file is checked whole: the rows decide together, each keeps its decision date."""
    main = ["S2", "CQU", "MA201", "2025-2026-1", 90, D(2026, 3, 5), "通过", 4, D(2026, 3, 9), None]
    part = ["S2", "CQU", "MA305", "2025-2026-1", 91, D(2026, 3, 5), "通过", 0, D(2026, 3, 9), None]
    rows = [part, main] if order == "part_first" else [main, part]
    path = xlsx(tmp_path / "n1.xlsx", [TRANSFER_HEAD, *rows])
    result = run_import(rules_db.factory, admin, "transfers", path)
    assert result.committed, [str(e) for e in result.errors]
    with rules_db.factory() as s:
        got = {r.external_course.code: (r.status, r.credits, r.decided_on) for r in s.scalars(select(TransferRequest))}
        assert got == {"MA201": (TransferStatus.APPROVED, 4.0, D(2026, 3, 9)),
                       "MA305": (TransferStatus.APPROVED, 0.0, D(2026, 3, 9))}
        s2 = s.scalar(select(Student.id).where(Student.student_no == "S2"))
        assert student_credits(s, s2, D(2026, 3, 31)).foundation >= 4
    again = run_import(rules_db.factory, admin, "transfers", path)
    assert again.committed and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    # one course of the rule alone, approved: refused on its row, with the reason, nothing written
    lone = xlsx(tmp_path / "lone.xlsx", [TRANSFER_HEAD, ["S1", "CQU", "MA201", "2025-2026-1", 90, D(2026, 3, 5),
                                                         "通过", None, D(2026, 3, 9), None]])
    refused = run_import(rules_db.factory, admin, "transfers", lone)
    assert [(e.row, e.field) for e in refused.errors] == [(2, "status")] and "MA305" in refused.errors[0].reason
    assert _count(rules_db, TransferRequest) == 2


def test_bad_transfers_are_refused_on_their_column(rules_db: Any, admin: Actor, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "bad.xlsx", [
        TRANSFER_HEAD,
        ["S1", "CQU", "CS301", "2025-2026-1", 3.7, "2026-02-20", None, None, None, None],  # a grade point
        ["S1", "SWU", "SI301", "2024-2025-2", "E", "2025-08-20", None, None, None, None],  # not on SWU's scale
        ["S1", "PKU", "CS301", "2025-2026-1", 88, "2026-02-20", None, None, None, None],  # outside the alliance
        ["S2", "CQU", "CS301", "2025-2026-1", 88, "2026-02-20", "通过", 2, "2026-03-01", None],  # partial, no reason
        ["S2", "CQU", "IE210", "2025-2026-1", 88, "2026-02-20", "驳回", None, "2026-03-01", None],  # no reason
        ["S2", "CQU", "MA201", "2025-2026-1", 88, "2026-02-20", "通过", None, "2026-03-01", None],  # incomplete 2:1
        ["S9", "CQU", "CS301", "2025-2026-1", 88, "2026-02-20", None, None, None, None],  # unknown student
        ["S1", "CQU", "IE210", "2025-2026-1", 88, "2026-02-20", None, 2, None, None],  # pending with credits
        ["S1", "CQU", "MA305", "2025-2026-1", 88, "2026-02-20", None, None, None, None],  # fine on its own
    ])
    result = run_import(rules_db.factory, admin, "transfers", path)
    assert not result.committed
    where = {(e.row, e.field) for e in result.errors}
    assert {(2, "score"), (3, "score"), (4, "university"), (5, "reason"), (6, "reason"), (7, "status"),
            (8, "student_no"), (9, "credits")} <= where, where
    assert not any(e.row == 10 for e in result.errors)
    assert _count(rules_db, TransferRequest) == 0


def test_templates(tmp_path: Path) -> None:
    for kind, header in (("equivalences", "外校课程代码*"), ("transfers", "认定学分")):
        path = write_template(kind, tmp_path / f"{kind}.xlsx")
        ws = load_workbook(path).worksheets[0]
        assert header in [c.value for c in ws[1]]
