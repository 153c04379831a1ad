"""Every message the Qt-free layers show has a Simplified Chinese translation with the same
placeholders in the one catalogue (db/locale/zh_CN.po, compiled to zh_CN.mo), the catalogue is current,
and Chinese is chosen on a Chinese system."""

from __future__ import annotations

import re
import string
from pathlib import Path

import polib
import pytest

from db import i18n
from db.locale.update import MO, PO, extracted, scan, untranslated

ROOT = Path(__file__).resolve().parents[1]


PRINTF = re.compile(r"%\((\w+)\)|(%[sr])")  # argparse's own messages use printf-style placeholders


def _fields(text: str) -> set[str]:
    """The placeholders of a message: {name} for t(), %(name)s / %s for argparse's own."""
    printf = {named or bare for named, bare in PRINTF.findall(text)}
    return printf or {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_a_chinese_translation() -> None:
    marked, _literals = scan()
    assert len(marked) > 400  # the scan really found the code's messages
    po = polib.pofile(str(PO))
    have = {(e.msgctxt, e.msgid): e.msgstr for e in po}
    missing = [f"{ctx or ''} {msg} ({', '.join(sorted(files))})" for (ctx, msg), files in marked.items()
               if not have.get((ctx, msg), "").strip()]
    assert not missing, "untranslated (run python -m db.locale.update):\n" + "\n".join(missing)
    assert not untranslated(po)
    wrong = [e.msgid for e in po if _fields(e.msgid) != _fields(e.msgstr)]
    assert not wrong, "placeholders differ between English and Chinese:\n" + "\n".join(wrong)


def test_the_catalogue_is_current(tmp_path: Path) -> None:
    """Extracting the code's messages changes nothing in the .po (no message missing, none left over),
    and the .mo the app reads is exactly the compile of the .po. Otherwise: python -m db.locale.update."""
    po = polib.pofile(str(PO), wrapwidth=0)
    fresh = extracted(po)
    assert [(e.msgctxt, e.msgid, e.msgstr) for e in fresh] == [(e.msgctxt, e.msgid, e.msgstr) for e in po], (
        "db/locale/zh_CN.po is stale: run python -m db.locale.update")
    fresh.save_as_mofile(str(tmp_path / "fresh.mo"))
    assert (tmp_path / "fresh.mo").read_bytes() == MO.read_bytes(), "zh_CN.mo is stale: run the update script"


def test_one_english_word_means_what_its_context_says() -> None:
    """'Submitted' is 已提交 for a task and 已报名 for a project; in the audit log a rule's 'Rule' column is
    互认规则 and a stats line's 'Projects' 项目: contexts pick the translation, and a context without an
    entry of its own falls back to the plain message."""
    i18n.set_language("zh")
    try:
        assert i18n.tc("stats", "Projects") == "项目" and i18n.t("Projects") == "创赛项目"
        assert i18n.tc("column", "Rule") == "互认规则" and i18n.tc("column", "Rule code") == "规则编号"
        assert i18n.tc("column of students", "Name") == "姓名" and i18n.tc("column", "Name") == "名称"
        assert i18n.tc("no such context", "Projects") == "创赛项目"
    finally:
        i18n.set_language("en")
    assert i18n.tc("stats", "Projects") == "Projects"


@pytest.mark.parametrize(("env", "expected"), [({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "en_US.UTF-8"}, "en"),
                                              ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US"}, "zh")])
def test_language_follows_the_system(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], expected: str) -> None:
    for var in ("TALENTDESK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert i18n.system_language() == expected


def test_translated_message_is_formatted() -> None:
    i18n.set_language("zh")
    assert i18n.t("{entity} {key} already exists.", entity="学生", key="S1") == "学生 S1 已存在。"
    i18n.set_language("en")
    assert i18n.t("{entity} {key} already exists.", entity="Student", key="S1") == "Student S1 already exists."
