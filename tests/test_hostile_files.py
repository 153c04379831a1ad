"""Hostile and malformed files through the real command (issue 9): a zip bomb (a small file declaring
half a gigabyte), an XML entity bomb (billion laughs), a file that is not a zip at all and a workbook of
1,048,576 rows are each refused by ``talentdesk import`` with exit status 2 and a message saying what
is wrong, nothing is written, and the importing process's peak memory stays under
150 MB (VmHWM of the process itself, measured after the refusal)."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from db import migrate
from db.engine import make_engine, resolve

ROOT = Path(__file__).resolve().parents[1]
PEAK_LIMIT_MB = 150

# the CLI's own entry point, then this process's peak resident memory
PROBE = (
    "import re, sys\n"
    "import main\n"
    "try:\n"
    "    code = main.main(sys.argv[1:])\n"
    "except SystemExit as exc:\n"
    "    code = exc.code\n"
    "sys.stdout.flush()\n"
    "peak = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)) / 1024\n"
    "print('EXIT', code, 'PEAK_MB', peak)\n"
)


def _seed(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["学号", "姓名", "年级", "培养方案"])
    ws.append(["S1", "王梓涵", 2025, "P1"])
    wb.save(path)
    return path


def _rewrite_sheet(seed: Path, out: Path, write_sheet) -> Path:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(item, src.read(item))
        with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            write_sheet(sheet)
    return out


def zip_bomb(tmp: Path) -> Path:
    """Under 1 MB on disk, 512 MiB declared: a worksheet padded with spaces."""
    def sheet(out) -> None:  # type: ignore[no-untyped-def]
        out.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
        block = b" " * (8 * 1024 * 1024)
        for _ in range(64):
            out.write(block)
        out.write(b"</sheetData></worksheet>")
    return _rewrite_sheet(_seed(tmp / "seed.xlsx"), tmp / "bomb.xlsx", sheet)


def entity_bomb(tmp: Path) -> Path:
    """Billion laughs: ten levels of ten references, 10^9 "lol"s if a parser expanded them."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))

    def sheet(out) -> None:  # type: ignore[no-untyped-def]
        out.write((f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
                   '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                   '<row r="1"><c r="A1" t="inlineStr"><is><t>学号</t></is></c></row>'
                   '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
                   "</sheetData></worksheet>").encode())
    return _rewrite_sheet(_seed(tmp / "seed.xlsx"), tmp / "laughs.xlsx", sheet)


def not_a_zip(tmp: Path) -> Path:
    path = tmp / "roster.xlsx"
    path.write_bytes("学号,姓名,年级,培养方案\nS1,王梓涵,2025,P1\n".encode("gb18030") * 1000)
    return path


def million_rows(tmp: Path) -> Path:
    def sheet(out) -> None:  # type: ignore[no-untyped-def]
        out.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                  b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\xad\xa6\xe5\x8f\xb7</t></is></c></row>')
        chunk = []
        for r in range(2, 1_048_577):
            chunk.append(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r))
            if len(chunk) == 50_000:
                out.write(b"".join(chunk))
                chunk = []
        out.write(b"".join(chunk) + b"</sheetData></worksheet>")
    return _rewrite_sheet(_seed(tmp / "seed.xlsx"), tmp / "huge.xlsx", sheet)


CASES = {  # the file, and words the message must contain (English: the probe runs with LANG=C)
    "zip-bomb": (zip_bomb, r"zip bomb|would unpack to"),
    "entity-bomb": (entity_bomb, r"declares a DOCTYPE \(XML entities\)"),
    "not-a-zip": (not_a_zip, r"not an Excel \.xlsx file"),
    "million-rows": (million_rows, r"at most 100000"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_refused_by_the_command_in_little_memory(case: str, tmp_path: Path) -> None:
    make, words = CASES[case]
    path = make(tmp_path)
    database = tmp_path / "talentdesk.db"
    target = resolve(str(database))
    engine = make_engine(target)
    migrate.upgrade(engine, target)
    engine.dispose()
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "HOME": str(tmp_path),
           "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-c", PROBE, "import", "students", str(path), "--db", str(database)],
                         capture_output=True, text=True, cwd=tmp_path, env=env, timeout=600, check=False)
    out = run.stdout + run.stderr
    found = re.search(r"EXIT (\S+) PEAK_MB ([\d.]+)", run.stdout)
    assert found, out
    code, peak = found.group(1), float(found.group(2))
    assert code == "2", out  # a file error, not a crash and not row errors
    assert re.search(words, out), out  # says what is wrong
    assert "Traceback" not in out, out
    assert not list(tmp_path.glob("*.errors.xlsx"))
    engine = make_engine(target)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM students").scalar() == 0
    engine.dispose()
    assert peak < PEAK_LIMIT_MB, f"peak memory {peak:.0f} MB"
    print(f"\n{case} ({path.stat().st_size / 1e6:.1f} MB on disk): refused, exit 2, "
          f"peak {peak:.0f} MB (< {PEAK_LIMIT_MB} MB)")
