"""Workbooks in the import's shape (Qt-free): a data sheet with Chinese headers (required ones marked
* in red), drop-down lists for enumerations, date formats, and an instructions sheet.

An empty one is an import template (`talentdesk template`); one filled with records is an export
(`talentdesk export`), which the import reads back unchanged; the mentor's logbook is built from the
same sheets."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from db.i18n import t

from . import xlsx
from .importer import spec_for
from .specs import EntitySpec

TEMPLATE_ROWS = 2000

NOTES_ZH = [
    "1. 在第一个工作表中从第 2 行开始填写，每行一条记录；第一行是列标题，请勿修改。标 * 的红色列为必填。",
    "2. 列的顺序可以调整；列标题可用中文名称或英文列名。不需要的选填列可以删除。",
    "3. 日期可写成 2025-09-01、2025/9/1 或 2025年9月1日，也可以是 Excel 日期。",
    "4. 多个值写在同一格时用 、 或 , 分隔（如 导师类型：学术、学业）。",
    "5. 导入会先检查每一行；只要有一行有错，就不会写入任何数据，并生成错误报告（.errors.xlsx），改正后重新导入即可。",
    "6. 同一文件重复导入不会产生重复记录：按唯一编号（如 学号、工号、课程代码）更新已有记录。",
    "7. 更新已有记录时，空白单元格（或删除的列）保留原值，不会清空；新记录按默认值填写。需要清空某项时请在应用中修改。",
]
NOTES_EN = [
    "1. Fill in the first sheet from row 2, one record per row; "
    "row 1 holds the headers. Red columns marked * are required.",
    "2. Columns may be in any order; headers may be the Chinese "
    "label or the English key. Optional columns may be deleted.",
    "3. Dates may be written 2025-09-01, 2025/9/1 or 2025年9月1日, or be Excel dates.",
    "4. Several values in one cell are separated by 、 or , (e.g. roles: 学术、学业).",
    "5. Every row is checked first; if any row is wrong nothing is written and an error report (.errors.xlsx) lists "
    "every problem. Fix them and import again.",
    "6. Importing the same file twice never duplicates records: rows update the record with the same key "
    "(student no., staff no., course code …).",
    "7. When a record is updated, a blank cell (or a deleted column) keeps what it has; a new record gets the "
    "default. To clear a value, change the record in the app.",
]


# identifiers made of digits (student no., mobile) stay text: never 2.02501E+09
TEXT_KEYS = frozenset({"student_no", "staff_no", "phone", "code", "uscc", "lead", "members", "project", "course",
                       "programme", "external", "local", "university", "term", "valid_from", "valid_to"})


def data_sheet(wb: Workbook, spec: EntitySpec, rows: Sequence[dict[str, Any]] = (), title: str | None = None,
               progress: Callable[[int, int], bool | None] | None = None) -> Worksheet:
    """Add a sheet in ``spec``'s import columns to the write-only ``wb``: the headers, then ``rows``
    (each keyed by field key; text always stored as text), drop-downs for enumerations on the data rows
    and the rows below them, and each column's format (dates; identifiers kept as text). ``progress(done, total)`` may
    return False to stop (InterruptedError)."""
    ws: Worksheet = wb.create_sheet(title or spec.zh)  # write-only: the stubs type it Any
    fields = spec.fields
    formats = ["yyyy-mm-dd" if f.is_date else "@" if f.key in TEXT_KEYS else None for f in fields]
    for col, (f, fmt) in enumerate(zip(fields, formats), start=1):
        dim = ws.column_dimensions[get_column_letter(col)]
        dim.width = max(f.width, xlsx.text_width([f.zh]) + 2)
        if fmt is not None:  # the column's own format: rows typed (or appended) below the data get it too
            dim.number_format = fmt
    ws.freeze_panes = "A2"
    last = len(rows) + TEMPLATE_ROWS + 1
    for col, f in enumerate(fields, start=1):
        if f.choices:
            letter = get_column_letter(col)
            dv = DataValidation(type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=not f.required,
                                showErrorMessage=False)
            dv.promptTitle = f.zh
            dv.prompt = t("Choose from the list")
            dv.add(f"{letter}2:{letter}{last}")
            ws.data_validations.append(dv)
    head = []
    for f in fields:
        c = xlsx.cell(ws, f"{f.zh}*" if f.required else f.zh, font=xlsx.HEADER_FONT,
                      fill=xlsx.REQUIRED_FILL if f.required else xlsx.HEADER_FILL)
        c.alignment = Alignment(horizontal="center")
        head.append(c)
    ws.append(head)
    total = len(rows)
    for n, row in enumerate(rows, start=1):
        cells = []
        for f, fmt in zip(fields, formats):
            c = xlsx.cell(ws, row.get(f.key))
            if fmt is not None and not isinstance(row.get(f.key), (int, float)):
                c.number_format = fmt
            cells.append(c)
        ws.append(cells)
        if progress is not None and n % 1000 == 0 and progress(n, total) is False:
            raise InterruptedError
    return ws


def instructions_sheet(wb: Workbook, specs: Sequence[EntitySpec], notes: Sequence[str] | None = None,
                       title: str | None = None) -> Worksheet:
    """Add the instructions: the notes, then each column of each of ``specs`` with its key, whether it
    is required, its format and allowed values, and an example."""
    from db.i18n import language

    info: Worksheet = wb.create_sheet(t("Instructions"))
    for letter, width in zip("ABCDE", (18, 18, 8, 50, 30)):
        info.column_dimensions[letter].width = width
    spec = specs[0]
    info.append([xlsx.cell(info, title or f"{t('How to fill in this template')} — {spec.zh} / {spec.en}",
                           font=Font(bold=True, size=14))])
    info.append([])
    for note in notes if notes is not None else (NOTES_ZH if language() == "zh" else NOTES_EN):
        info.append([xlsx.cell(info, note)])
    for spec in specs:
        info.append([])
        if len(specs) > 1:
            info.append([xlsx.cell(info, spec.zh, font=Font(bold=True, size=12))])
        info.append([xlsx.cell(info, head, font=xlsx.HEADER_FONT, fill=xlsx.HEADER_FILL) for head in
                     (t("Column"), t("Key"), t("Required"), t("Format and allowed values"), t("Example"))])
        example = spec.examples[0] if spec.examples else {}
        for f in spec.fields:
            hint = f.hint
            if f.choices:
                hint = (hint + "；" if hint else "") + "、".join(f.choices)
            value = example.get(f.key, "")
            values = [f.zh, f.key, t("Yes") if f.required else t("No"), hint,
                      value if isinstance(value, (int, float)) else str(value)]
            info.append([xlsx.cell(info, v, alignment=xlsx.WRAP) for v in values])
    return info


def save(wb: Workbook, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_records(kind: str, path: Path | str, rows: Sequence[dict[str, Any]] = (),
                  progress: Callable[[int, int], bool | None] | None = None) -> Path:
    """A workbook of ``kind`` in the import's columns holding ``rows`` (none: the import template)."""
    spec = spec_for(kind)
    wb = Workbook(write_only=True)
    data_sheet(wb, spec, rows, progress=progress)
    instructions_sheet(wb, [spec])
    return save(wb, Path(path))


def write_template(kind: str, path: Path | str) -> Path:
    return write_records(kind, path)


def write_export(factory: Any, actor: Any, kind: str, path: Path | str,
                 progress: Callable[[int, int], bool | None] | None = None) -> int:
    """``talentdesk export``: the records of ``kind`` ``actor`` may export, in the import's columns
    (importing the file unchanged changes nothing). Returns the number of records written."""
    from db.exports import export

    spec_for(kind)  # an unknown KIND is refused before the database is read
    with factory() as session:
        session.info["actor"] = actor
        table = export(session, actor, kind)
    write_records(kind, path, table.rows, progress=progress)
    return len(table.rows)
