"""Every message the Qt-free layers show has a Simplified Chinese translation with the same
placeholders, and Chinese is chosen on a Chinese system."""

from __future__ import annotations

import ast
import importlib
import string
from pathlib import Path

import pytest

from db import i18n

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [p for d in ("db", "forms", "reports") for p in (ROOT / d).rglob("*.py")
           if "migrations" not in p.parts] + [ROOT / "main.py"]


def _messages() -> list[tuple[str, str]]:
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("t", "_t")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.args[0].value))
    return found


def _load_all() -> None:
    for path in SOURCES:
        rel = path.relative_to(ROOT).with_suffix("")
        if rel.name == "__init__":
            rel = rel.parent
        if any("PySide6" in line for line in path.read_text(encoding="utf-8").splitlines() if "import" in line):
            continue
        importlib.import_module(".".join(rel.parts))
    importlib.import_module("main")._register()


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_a_chinese_translation() -> None:
    _load_all()
    messages = _messages()
    assert len(messages) > 50  # the scan really found the code's messages
    missing = [f"{where}: {msg}" for where, msg in messages if msg not in i18n.ZH]
    assert not missing, "untranslated messages:\n" + "\n".join(missing)
    wrong = [f"{where}: {msg}" for where, msg in messages if _fields(msg) != _fields(i18n.ZH[msg])]
    assert not wrong, "placeholders differ between English and Chinese:\n" + "\n".join(wrong)


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
