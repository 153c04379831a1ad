"""The desktop's Chinese translation is complete, consistent with the sources, and loads."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "desktop" / "translations" / "talentdesk_zh_CN.ts"
QM = ROOT / "desktop" / "translations" / "talentdesk_zh_CN.qm"
PLACEHOLDER = re.compile(r"\{[a-z_]*(?::[^}]*)?\}")


def messages() -> list[tuple[str, str, ET.Element]]:
    out = []
    for ctx in ET.parse(TS).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            out.append((name, msg.findtext("source") or "", msg))
    return out


def test_every_string_is_translated_and_finished() -> None:
    problems = []
    found = messages()
    assert len(found) > 100
    for ctx, source, msg in found:
        tr = msg.find("translation")
        if tr is None or not (tr.text or "").strip():
            problems.append(f"{ctx}: {source!r} has no translation")
        elif tr.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(f"{ctx}: {source!r} is {tr.get('type')}")
        elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(tr.text or "")):
            problems.append(f"{ctx}: {source!r} and its translation have different placeholders")
    assert not problems, "\n".join(problems)


def _tr_literals(path: Path) -> list[tuple[str, str]]:
    """(context or '', source) of each self.tr("…") / QCoreApplication.translate("Ctx", "…") call."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
        if name == "tr" and args and args[0] is not None:
            out.append(("", args[0]))
        elif name in ("translate", "QT_TRANSLATE_NOOP") and len(args) >= 2 and None not in args[:2]:
            out.append((args[0], args[1]))
    return out


def test_ts_covers_every_string_in_the_sources() -> None:
    """Each literal passed to tr()/translate() in desktop/ is in the .ts (run the update script)."""
    known = {source for _c, source, _m in messages()}
    by_context = {(c, source) for c, source, _m in messages()}
    missing = []
    for path in (ROOT / "desktop").rglob("*.py"):
        if "translations" in path.parts:
            continue
        for ctx, source in _tr_literals(path):
            if (ctx and (ctx, source) not in by_context) or source not in known:
                missing.append(f"{path.name}: {ctx} {source}")
    assert not missing, "run: python -m desktop.translations.update\n" + "\n".join(missing)


def test_the_catalogue_is_current(tmp_path: Path) -> None:
    """The .ts is the translation's source (edited in Qt Linguist): extracting the code's strings into a
    copy of it changes no message, and the committed .qm is exactly its compile. Otherwise: run
    ``python -m desktop.translations.update``."""
    from desktop.translations.update import compile_qm, extract

    copy = tmp_path / "copy.ts"
    copy.write_bytes(TS.read_bytes())
    extract(copy)

    def catalogue(ts: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
        out = {}
        for ctx in ET.parse(ts).getroot().iter("context"):
            for msg in ctx.iter("message"):
                tr = msg.find("translation")
                out[(ctx.findtext("name") or "", msg.findtext("source") or "")] = (
                    (tr.text or "") if tr is not None else "", tr.get("type") if tr is not None else None)
        return out

    assert catalogue(copy) == catalogue(TS), "the .ts is stale: run python -m desktop.translations.update"
    compile_qm(TS, tmp_path / "fresh.qm")
    assert (tmp_path / "fresh.qm").read_bytes() == QM.read_bytes(), "the .qm is stale: run the update script"


@pytest.mark.gui
def test_compiled_translation_loads(qapp: Any) -> None:
    from PySide6.QtCore import QCoreApplication, QTranslator

    assert QM.exists()
    tr = QTranslator()
    assert tr.load(str(QM))
    QCoreApplication.installTranslator(tr)
    try:
        assert QCoreApplication.translate("ListPage", "New") == "新建"
        assert QCoreApplication.translate("Sidebar", "Admin") == "系统"
    finally:
        QCoreApplication.removeTranslator(tr)


def test_dashboard_cards_speak_the_users_language(qapp: Any, sqlite_db: Any) -> None:
    """The cards show the printed report's Chinese captions on a Chinese desktop and English ones on
    an English desktop — every row of the report summary has a caption."""
    from PySide6.QtCore import QCoreApplication, QTranslator

    from desktop.dashboard import CAPTIONS, caption
    from reports.quarterly import figures
    from reports.text import _values

    with sqlite_db.factory() as session:
        labels = [row[0] for row in _values(figures(session, "2026Q3"))]
    assert set(labels) == set(CAPTIONS)
    assert all(caption(label).isascii() for label in labels)  # English desktop
    tr = QTranslator()
    assert tr.load(str(QM))
    QCoreApplication.installTranslator(tr)
    try:
        assert [caption(label) for label in labels] == labels  # Chinese desktop: the report's own words
    finally:
        QCoreApplication.removeTranslator(tr)
