"""Import templates: the data sheet with Chinese headers (required ones marked * in red), drop-down
lists for enumerations, date formats, and an instructions sheet (Qt-free)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from db.i18n import register, t
from reports import xlsx

from .importer import spec_for

register(
    {
        "Instructions": "填写说明",
        "How to fill in this template": "模板填写说明",
        "Column": "列",
        "Key": "英文列名",
        "Required": "必填",
        "Format and allowed values": "格式与可选值",
        "Example": "示例",
        "Yes": "是",
        "No": "否",
        "Choose from the list": "请从下拉列表中选择",
    }
)

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
    "1. Fill in the first sheet from row 2, one record per row; row 1 holds the headers. Red columns marked * are required.",
    "2. Columns may be in any order; headers may be the Chinese label or the English key. Optional columns may be deleted.",
    "3. Dates may be written 2025-09-01, 2025/9/1 or 2025年9月1日, or be Excel dates.",
    "4. Several values in one cell are separated by 、 or , (e.g. roles: 学术、学业).",
    "5. Every row is checked first; if any row is wrong nothing is written and an error report (.errors.xlsx) lists "
    "every problem. Fix them and import again.",
    "6. Importing the same file twice never duplicates records: rows update the record with the same key "
    "(student no., staff no., course code …).",
    "7. When a record is updated, a blank cell (or a deleted column) keeps what it has; a new record gets the "
    "default. To clear a value, change the record in the app.",
]


def write_template(kind: str, path: Path | str) -> Path:
    from db.i18n import language

    spec = spec_for(kind)
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = spec.zh
    for col, f in enumerate(spec.fields, start=1):
        c = ws.cell(row=1, column=col)
        xlsx.set_value(c, f"{f.zh}*" if f.required else f.zh)
        c.font = xlsx.HEADER_FONT
        c.fill = xlsx.REQUIRED_FILL if f.required else xlsx.HEADER_FILL
        c.alignment = Alignment(horizontal="center")
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = max(f.width, xlsx.text_width([f.zh]) + 2)
        cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        if f.choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=not f.required,
                                showErrorMessage=False)
            dv.promptTitle = f.zh
            dv.prompt = t("Choose from the list")
            ws.add_data_validation(dv)
            dv.add(cells)
        if f.is_date:
            for row in range(2, 202):
                ws.cell(row=row, column=col).number_format = "yyyy-mm-dd"
        else:
            # keep numbers-as-text identifiers (student no., mobile) from turning into 2.02501E+09
            if f.key in ("student_no", "staff_no", "phone", "code", "uscc", "lead", "members"):
                for row in range(2, 202):
                    ws.cell(row=row, column=col).number_format = "@"
    ws.freeze_panes = "A2"

    info = wb.create_sheet(t("Instructions"))
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 18
    info.column_dimensions["C"].width = 8
    info.column_dimensions["D"].width = 50
    info.column_dimensions["E"].width = 30
    title = info.cell(row=1, column=1)
    xlsx.set_value(title, f"{t('How to fill in this template')} — {spec.zh} / {spec.en}")
    title.font = Font(bold=True, size=14)
    row = 3
    for note in NOTES_ZH if language() == "zh" else NOTES_EN:
        xlsx.set_value(info.cell(row=row, column=1), note)
        row += 1
    row += 1
    for col, head in enumerate([t("Column"), t("Key"), t("Required"), t("Format and allowed values"), t("Example")], 1):
        c = info.cell(row=row, column=col)
        xlsx.set_value(c, head)
        c.font = xlsx.HEADER_FONT
        c.fill = xlsx.HEADER_FILL
    example = spec.examples[0] if spec.examples else {}
    for f in spec.fields:
        row += 1
        hint = f.hint
        if f.choices:
            hint = (hint + "；" if hint else "") + "、".join(f.choices)
        values = [f.zh, f.key, t("Yes") if f.required else t("No"), hint, example.get(f.key, "")]
        for col, value in enumerate(values, 1):
            c = info.cell(row=row, column=col)
            xlsx.set_value(c, value if isinstance(value, (int, float)) else str(value))
            c.alignment = xlsx.WRAP
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
