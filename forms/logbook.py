"""The mentor's offline logbook workbook (Qt-free): `talentdesk logbook STAFF_NO -o FILE.xlsx` writes it,
`talentdesk import logbook FILE.xlsx` reads it back.

Sheets: 填写说明 (instructions in Chinese), 指导记录 (sessions, empty: one row per meeting the mentor
adds), 指导任务 (the mentor's open tasks, to record a submission or a review, and new tasks), 我的学生 (the
current mentees the drop-downs offer) and a very hidden sheet naming the mentor and the export. The mentor
fills it in Excel or WPS offline and sends it back. The rows are checked as the session and task imports
check theirs (a student who was not the mentor's mentee on a row's date is refused on that row) in one
transaction: nothing is written unless every row passes. A row already imported is matched, not added
again, so importing the same logbook twice adds nothing and a logbook returned later with more rows adds
only those.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session, sessionmaker

from db.actor import Actor
from db.i18n import speaking, t
from db.labels import chinese
from db.logbook import FORMAT, VERSION, logbook

from . import xlsx
from .importer import ImportFileError, ImportResult, check_file, import_sheets, parse_sheet
from .mentoring import NOTES
from .specs import ASSIGNMENTS, SESSIONS, EntitySpec
from .templates import TEMPLATE_ROWS, data_sheet, instructions_sheet, save

SESSIONS_SHEET = "指导记录"
TASKS_SHEET = "指导任务"
MENTEES_SHEET = "我的学生"
ID_SHEET = "TalentDesk"

# the sheets a mentor fills: the import KINDs' own fields, without the 工号 the logbook stands for
_MENTEE = replace(SESSIONS.field("student_no"), ref="")
LOGBOOK_SESSIONS: EntitySpec = replace(
    SESSIONS, kind="logbook-sessions",
    fields=(_MENTEE, *(f for f in SESSIONS.fields if f.key not in ("staff_no", "student_no")), NOTES))
LOGBOOK_TASKS: EntitySpec = replace(
    ASSIGNMENTS, kind="logbook-tasks", fields=(_MENTEE, *(f for f in ASSIGNMENTS.fields
                                                          if f.key not in ("staff_no", "student_no"))))

NOTES_ZH = [
    "1. 本记录本供不便连接学院系统时使用：在“指导记录”表中每次指导填一行，在“指导任务”表中登记任务的提交与评阅，"
    "或布置新任务。填好后将文件发回学院管理员导入。",
    "2. 学号请从下拉列表中选择（列表来自“我的学生”表，即导出时您在带的学生）；只能登记您在指导日期当天在带学生的记录。",
    "3. 日期可写成 2025-09-01、2025/9/1 或 2025年9月1日；时长以分钟计（1–1440）；方式：面谈、线上、企业现场。",
    "4. 评阅任务：把“状态”改为 已评阅，填写提交日期、评阅日期、评分和评语。已导入的行再次导入不会重复，"
    "同一记录本可以多次补充后再发回。",
    "5. 请勿修改列标题，也不要删除或改名任何工作表；导入时会逐行检查，有错误的行会列出行号、列和原因，"
    "全部改正前不会写入任何数据。",
]


def write_logbook(factory: sessionmaker[Session], actor: Actor, staff_no: str, path: Path | str,
                  on: dt.date | None = None) -> Path:
    """Write mentor ``staff_no``'s logbook to ``path``."""
    with factory() as session:
        session.info["actor"] = actor
        book = logbook(session, actor, staff_no, on)
    with speaking("zh"):  # for the mentor, whatever the language of whoever exports it
        return _write(book, actor, Path(path))


def _write(book: Any, actor: Actor, path: Path) -> Path:
    wb = Workbook(write_only=True)
    instructions_sheet(wb, [LOGBOOK_SESSIONS, LOGBOOK_TASKS], NOTES_ZH,
                       title=t("Mentoring logbook of {mentor} ({staff_no})", mentor=book.mentor_name,
                               staff_no=book.staff_no))
    sessions = data_sheet(wb, LOGBOOK_SESSIONS, title=SESSIONS_SHEET)
    tasks = data_sheet(wb, LOGBOOK_TASKS, book.open_tasks, title=TASKS_SHEET)
    mentees = wb.create_sheet(MENTEES_SHEET)
    for letter, width in zip("ABCDEF", (14, 12, 10, 12, 8, 12)):
        mentees.column_dimensions[letter].width = width
    mentees.append(xlsx.header_cells(mentees, ["学号", "姓名", "导师类型", "指派开始", "年级", "培养方案"]))
    for m in book.mentees:
        mentees.append([xlsx.cell(mentees, v) for v in (m.student_no, m.name, chinese(m.role), m.since, m.cohort,
                                                         m.programme)])
    last = max(len(book.mentees), 1) + 1
    # the 学号 column of both sheets offers the mentees; dates and minutes are checked as they are typed
    for ws, rows in ((sessions, 0), (tasks, len(book.open_tasks))):
        end = rows + TEMPLATE_ROWS + 1
        dv = DataValidation(type="list", formula1=f"'{MENTEES_SHEET}'!$A$2:$A${last}", allow_blank=False)
        dv.error, dv.errorTitle, dv.prompt = "请从下拉列表中选择您在带学生的学号。", "学号", "请选择学号"
        dv.add(f"A2:A{end}")
        ws.data_validations.append(dv)
    minutes = DataValidation(type="whole", operator="between", formula1="1", formula2="1440")
    minutes.error, minutes.errorTitle = "时长为 1–1440 之间的整数（分钟）。", "时长(分钟)"
    minutes.add(f"C2:C{TEMPLATE_ROWS + 1}")
    sessions.data_validations.append(minutes)
    for ws, cols in ((sessions, "B"), (tasks, "CDFG")):
        for col in cols:
            day = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)")
            day.error, day.errorTitle = "请填写日期，如 2025-09-01。", "日期"
            day.add(f"{col}2:{col}{TEMPLATE_ROWS + len(book.open_tasks) + 1}")
            ws.data_validations.append(day)
    ident = wb.create_sheet(ID_SHEET)
    ident.sheet_state = "veryHidden"
    for key, value in (("format", FORMAT), ("version", VERSION), ("staff_no", book.staff_no),
                       ("mentor", book.mentor_name), ("exported_on", book.on.isoformat()),
                       ("exported_by", actor.username)):
        ident.append([key, xlsx.cell(ident, value)])
    mentees.append([])
    mentees.append([xlsx.cell(mentees, f"{book.mentor_name}（{book.staff_no}，{book.organisation}）"
                                        f" · {book.on.isoformat()}", font=Font(italic=True, color="808080"))])
    return save(wb, path)


def logbook_name(staff_no: str, name: str) -> str:
    """The file a logbook is written to: 指导记录本-HW0001-陈建国.xlsx (characters Windows refuses dropped)."""
    safe = "".join(ch for ch in f"{staff_no}-{name}" if ch not in '\\/:*?"<>|').strip() or staff_no
    return f"指导记录本-{safe}.xlsx"


def write_logbooks(factory: sessionmaker[Session], actor: Actor, mentors: list[tuple[str, str]], folder: Path | str,
                   progress: Any = None, cancel: Any = None) -> list[Path]:
    """Each mentor's logbook into ``folder`` (an administrator's 导出全部): the files written."""
    folder = Path(folder)
    written = []
    for i, (staff_no, name) in enumerate(mentors):
        if cancel is not None and cancel():
            break
        written.append(write_logbook(factory, actor, staff_no, folder / logbook_name(staff_no, name)))
        if progress is not None:
            progress(i + 1, len(mentors))
    return written


def _sheet(wb: Any, name: str) -> tuple[tuple[Any, ...], list[tuple[int, tuple[Any, ...]]]]:
    if name not in wb.sheetnames:
        raise ImportFileError(t("The logbook has no sheet {sheet}.", sheet=name))
    rows = list(wb[name].iter_rows(values_only=True))
    if not rows or all(v is None for v in rows[0]):
        raise ImportFileError(t("The sheet is empty: the first row must hold the column headers."))
    data = [(n, tuple(r)) for n, r in enumerate(rows[1:], start=2)
            if r and not all(v is None or (isinstance(v, str) and not v.strip()) for v in r)]
    return tuple(rows[0]), data


def _identity(wb: Any, path: Path) -> str:
    """The staff number of the mentor the logbook belongs to (from its hidden sheet)."""
    if ID_SHEET not in wb.sheetnames:
        raise ImportFileError(t("{path} is not a TalentDesk logbook: export one with talentdesk logbook STAFF_NO, or "
                                "import its sheets as sessions and assignments.", path=path.name))
    values = {str(k): v for k, v, *_ in wb[ID_SHEET].iter_rows(values_only=True) if k is not None}
    if values.get("format") != FORMAT or not values.get("staff_no"):
        raise ImportFileError(t("{path} is not a TalentDesk logbook: export one with talentdesk logbook STAFF_NO, or "
                                "import its sheets as sessions and assignments.", path=path.name))
    if int(values.get("version") or 0) > VERSION:
        raise ImportFileError(t("{path} is a logbook of a newer TalentDesk (format {version}): update TalentDesk to "
                                "import it.", path=path.name, version=values.get("version")))
    return str(values["staff_no"])


def import_logbook(factory: sessionmaker[Session], actor: Actor, path: Path | str, dry_run: bool = False,
                   progress: Any = None, cancel: Any = None) -> ImportResult:
    """Import a returned logbook: its sessions and tasks, all or nothing. Never raises for bad input:
    problems are in the result (file_error, or errors naming sheet, row and column)."""
    path = Path(path)
    result = ImportResult(kind="logbook", path=path, dry_run=dry_run)
    try:
        check_file(path)
        wb = load_workbook(path, read_only=True, data_only=True)
    except ImportFileError as exc:
        result.file_error = str(exc)
        return result
    except Exception as exc:  # noqa: BLE001 - a damaged file: said, never raised
        result.file_error = t("{path} is damaged and cannot be read: {reason}", path=path.name,
                              reason=str(exc) or type(exc).__name__)
        return result
    try:
        staff_no = _identity(wb, path)
        sheets = []
        for name, spec in ((SESSIONS_SHEET, LOGBOOK_SESSIONS), (TASKS_SHEET, LOGBOOK_TASKS)):
            header, rows = _sheet(wb, name)
            result.rows += len(rows)
            if not rows:
                continue
            # the logbook stands for its mentor's 工号: each row gets it, after the sheet's own columns
            full = replace(spec, fields=(*spec.fields, SESSIONS.field("staff_no")))
            width = len(header)
            parsed = parse_sheet(full, (*header, "staff_no"),
                                 [(n, (*r[:width], *[None] * (width - len(r)), staff_no)) for n, r in rows],
                                 result, sheet=name)
            if parsed is not None:
                sheets.append(parsed)
    except ImportFileError as exc:
        result.file_error = str(exc)
        return result
    finally:
        wb.close()
    if sheets:  # also when some rows could not be read: the others are checked too (one round of fixes)
        import_sheets(factory, actor, sheets, result, progress=progress, cancel=cancel, what="logbook")
    return result
