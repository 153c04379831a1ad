"""No lost glyphs: a rare character of a name (生僻字) prints, and can be copied and searched, or is said.

The student record goes through the real command line; pdftotext (poppler-utils) reads the PDF back.
The fallback font is HanaMin from Debian's fonts-hanazono, which .ci/run installs.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from db.actor import cli_actor, unit_of_work
from db.curriculum import save_programme
from db.people import save_student
from reports import fonts, pdf
from tests.test_cli import talentdesk

RARE = "王𠀾𪚥"  # U+2003E and U+2A6A5: CJK Extension B, outside WenQuanYi and Microsoft YaHei
NOWHERE = "李\U00031350"  # CJK Extension G (2020): newer than every font installed here


def _record(db: Any, name: str) -> None:
    actor = cli_actor()
    with unit_of_work(db.factory, actor) as s:
        save_programme(s, actor, {"code": "P1", "name": "人工智能工程"})
        save_student(s, actor, {"student_no": "2025000001", "name": name, "cohort": 2025, "programme": "P1"})
    db.engine.dispose()


def _text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_hanazono_fallback_font_is_installed() -> None:
    """Without it the test below would pass for the wrong reason on no machine, and fail on CI's."""
    assert any(p.is_file() for p in fonts.fallback_candidates()), "install fonts-hanazono (.ci/run does)"


def test_a_rare_character_of_a_name_prints_and_can_be_searched(sqlite_db: Any, tmp_path: Path) -> None:
    _record(sqlite_db, RARE)
    out = tmp_path / "record.pdf"
    run = talentdesk("report", "student", "2025000001", "--pdf", str(out), "--db", str(sqlite_db.target.sqlite_path))
    assert run.returncode == 0, run.stderr
    assert "warning" not in run.stderr
    text = _text(out)
    assert text.count(RARE) >= 3  # cover, basic facts, page header
    assert fonts.MISSING_MARK not in text


def test_a_character_no_font_has_is_marked_in_the_pdf_and_said_on_the_command_line(sqlite_db: Any,
                                                                                  tmp_path: Path) -> None:
    _record(sqlite_db, NOWHERE)
    out = tmp_path / "record.pdf"
    run = talentdesk("report", "student", "2025000001", "--pdf", str(out), "--db", str(sqlite_db.target.sqlite_path),
                     env={"LANG": "zh_CN.UTF-8"})
    assert run.returncode == 0, run.stderr
    assert "警告" in run.stderr and NOWHERE in run.stderr and "fonts-hanazono" in run.stderr
    text = _text(out)
    assert "李" + fonts.MISSING_MARK in text
    assert "U+31350" in text  # the closing note names the character


def test_markup_takes_each_character_from_a_font_that_has_it() -> None:
    font = fonts.find()
    st = pdf.styles(font)
    markup = st.text("<b>" + RARE)
    assert markup.startswith("&lt;b&gt;王<font name=")  # escaped, then the rare pair from the fallback
    assert "𠀾𪚥</font>" in markup and not st.missing
