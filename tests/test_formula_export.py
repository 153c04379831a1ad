"""Text that starts with = + - @ stays text in every Excel file TalentDesk writes (issue 9).

A demo database is given names that a spreadsheet would run as formulas (a student called
``=cmd|' /C calc'!A0``, a course called ``@SUM(A1)`` …) and control characters no xlsx can hold,
written behind the app's back with SQL, then
every writer produces its workbook from the real services: list exports, the balance tables, the
quarterly report, the visiting-students transcript, the judging ranking and funnel, the import error
report and the import templates. Each file is then read back: no cell holds a formula, and every
cell whose text starts with = + - @ is a text cell marked quote-prefixed (so it stays text even when
someone edits it in Excel).
"""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select, text

from db import listing
from db.actor import cli_actor
from db.alliance import TRANSFERS, UNIVERSITIES, visiting_transcript
from db.competition import PROJECTS, funnel, ranking, round_line, rounds
from db.curriculum import balance_tables
from db.engine import make_engine, resolve, session_factory
from db.models import Student
from forms.importer import run_import, write_error_report
from forms.logbook import write_logbook
from forms.specs import SPECS
from forms.templates import write_export, write_template
from forms.xlsx import FORMULA_START
from reports import excel, quarterly
from reports.balance_export import export_balances
from reports.competition import export_funnel, export_ranking
from reports.listexport import export_list
from reports.visiting import write_visiting

PREFIXED = "CASE id % 4 WHEN 0 THEN '=cmd|'' /C calc''!A0 ' WHEN 1 THEN '+' WHEN 2 THEN '-' ELSE '@' END || {col}"
HOSTILE = {  # table -> text columns a user typed and the exports show
    "students": ("name",),
    "mentors": ("name",),
    "programmes": ("name",),
    "courses": ("name",),
    "organisations": ("name",),
    "universities": ("name",),
    "projects": ("title",),
    "rounds": ("name",),
    "seasons": ("name",),
    "tracks": ("name",),
    "mentoring_sessions": ("topic",),
    "tasks": ("title",),
}


@pytest.fixture(scope="module")
def hostile(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path = tmp_path_factory.mktemp("formula") / "demo.db"
    shutil.copyfile(demo_file, path)  # the scale-1 demo this process generated once (conftest)
    target = resolve(str(path))
    engine = make_engine(target)
    with engine.begin() as conn:
        for table, cols in HOSTILE.items():
            for col in cols:
                conn.execute(text(f"UPDATE {table} SET {col} = {PREFIXED.format(col=col)}"))
        # control characters no xlsx can hold, as a script or an old version might have stored them
        conn.execute(text("UPDATE students SET name = name || char(1) || char(11) WHERE id % 7 = 0"))
        # every writer needs formula-like text, not a year of it: a twentieth of the sessions (four in a
        # row of every eighty ids: each of the four prefixes) and a sixteenth of the tasks (nothing refers
        # to either) keep the exports at hundreds or a few thousand rows, not tens of thousands
        conn.execute(text("DELETE FROM mentoring_sessions WHERE id % 80 >= 4"))
        conn.execute(text("DELETE FROM tasks WHERE id % 16 != 0"))
    yield session_factory(engine)
    engine.dispose()


def formula_like_cells(path: Path) -> int:
    """Check one workbook; return how many cells hold text that starts like a formula."""
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = zf.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, f"{path.name}: {name} holds a formula"
    wb = load_workbook(path, read_only=True)  # streamed: the demo's exports run to tens of thousands of rows
    found = 0
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, str) and c.value.startswith(FORMULA_START):
                        where = f"{path.name} {ws.title}!{c.coordinate}: {c.value!r}"
                        assert c.data_type == "s", f"{where} is {c.data_type}"
                        assert c.style_array.quotePrefix, f"{where} is not quote-prefixed"
                        found += 1
    finally:
        wb.close()
    return found


def test_set_value_keeps_formula_text_as_text(tmp_path: Path) -> None:
    from forms.xlsx import cell, set_value

    wb = Workbook()
    ws = wb.active
    values = ["=1+1", "+86 138", "-5", "@SUM(A1)", "=cmd|' /C calc'!A0", "\t=1", "普通文本", "a=b"]
    for i, v in enumerate(values, start=1):
        set_value(ws.cell(row=i, column=1), v)
    wb.save(tmp_path / "normal.xlsx")
    wo = Workbook(write_only=True)
    sheet = wo.create_sheet("s")
    for v in values:
        sheet.append([cell(sheet, v)])
    wo.save(tmp_path / "write-only.xlsx")
    for name in ("normal.xlsx", "write-only.xlsx"):
        assert formula_like_cells(tmp_path / name) == 6
        back = [r[0].value for r in load_workbook(tmp_path / name).active.iter_rows()]
        assert back == values  # the text itself is unchanged (no apostrophe added)


@pytest.mark.slow
def test_every_writer_keeps_formula_text_as_text(hostile: Any, tmp_path: Path) -> None:
    admin = cli_actor()
    counts: dict[str, int] = {}
    with hostile() as s:
        assert s.scalar(select(Student.name).where(Student.id == 4)).startswith("=cmd|")
        for spec in (listing.STUDENTS, listing.MENTORS, listing.PROGRAMMES, listing.COURSES, UNIVERSITIES,
                     TRANSFERS, PROJECTS):
            rows = listing.export_rows(s, admin, spec, listing.ListQuery())
            counts[f"list {spec.name}"] = formula_like_cells(
                export_list(spec, rows, tmp_path / f"list-{spec.name}.xlsx", spec.name))
        tables = balance_tables(s, admin, dt.date(2026, 9, 30))
        counts["balance tables"] = formula_like_cells(export_balances(
            tmp_path / "balance.xlsx", tables.on, tables.plans, tables.cohorts, tables.students))
        report = quarterly.build(s, "2026Q3")
        counts["quarterly report"] = formula_like_cells(excel.write_quarterly(report, tmp_path / "quarterly.xlsx"))
        # the partner with the fewest visiting students: the same transcript, fewer lines to write and read
        org = s.execute(text("SELECT home_university_id FROM students WHERE home_university_id IS NOT NULL "
                             "GROUP BY home_university_id ORDER BY count(*), home_university_id LIMIT 1")).scalar()
        lines = visiting_transcript(s, admin, organisation_id=org)
        counts["visiting transcript"] = formula_like_cells(write_visiting(lines, tmp_path / "visiting.xlsx"))
        rnd = next(r for r in rounds(s, admin) if ranking(s, admin, r.id))
        counts["ranking"] = formula_like_cells(export_ranking(round_line(s, admin, rnd.id), ranking(s, admin, rnd.id),
                                                              tmp_path / "ranking.xlsx", False))
        counts["funnel"] = formula_like_cells(export_funnel(funnel(s, admin, 2026), tmp_path / "funnel.xlsx"))
    # an import file whose bad values start like formulas: the error report repeats them as text
    bad = Workbook()
    ws = bad.active
    ws.append(["学号", "姓名", "年级", "培养方案"])
    ws.append(["=1+1", "@王梓涵", "+2025", "-AI"])
    for c in ws[2]:
        c.data_type = "s"
    bad.save(tmp_path / "bad.xlsx")
    result = run_import(hostile, admin, "students", tmp_path / "bad.xlsx", dry_run=True)
    assert result.errors
    counts["import error report"] = formula_like_cells(write_error_report(result, tmp_path / "errors.xlsx"))
    for kind in SPECS:
        formula_like_cells(write_template(kind, tmp_path / f"template-{kind}.xlsx"))  # no formula anywhere
    for kind in ("students", "mentors", "courses", "sessions", "assignments", "projects"):
        written = tmp_path / f"export-{kind}.xlsx"
        write_export(hostile, admin, kind, written)
        counts[f"export {kind}"] = formula_like_cells(written)
    with hostile() as s:
        staff_no = s.execute(text("SELECT m.staff_no FROM mentors m JOIN tasks t ON t.mentor_id = m.id "
                                  "JOIN mentor_assignments a ON a.mentor_id = m.id AND a.end_on IS NULL "
                                  "WHERE t.status != 'reviewed' LIMIT 1")).scalar()
    counts["logbook"] = formula_like_cells(write_logbook(hostile, admin, staff_no, tmp_path / "logbook.xlsx"))
    empty = [name for name, n in counts.items() if n == 0]
    assert not empty, f"these writers were given no formula-like text, so they prove nothing: {empty}"
    total = sum(counts.values())
    print(f"\nformula export: {total} cells starting with = + - @ across {len(counts)} writers "
          f"(+{len(SPECS)} templates), 0 formulas, all text and quote-prefixed")
