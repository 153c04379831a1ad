"""Refresh the Chinese translation: extract, fill from zh_CN.py, compile.

    python -m desktop.translations.update   (from the repository root)

Each scheme keeps its strings in its own ``zh_CN_<scheme>.py`` (a ``ZH`` dict, optionally
``CONTEXT``); ``zh_CN.py`` holds the shell's.

Fails, listing them, when a string has no Chinese in a zh_CN*.py table; with --allow-missing it
lists them and compiles anyway (while another scheme's strings are still being written).
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).parent
DESKTOP = HERE.parent
TS = HERE / "talentdesk_zh_CN.ts"
QM = HERE / "talentdesk_zh_CN.qm"


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def tables() -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """The Chinese of every ``zh_CN*.py`` beside this file (one per scheme keeps edits apart)."""
    zh: dict[str, str] = {}
    context: dict[tuple[str, str], str] = {}
    for path in sorted(HERE.glob("zh_CN*.py")):
        module = importlib.import_module(f"{__package__}.{path.stem}")
        zh.update(getattr(module, "ZH", {}))
        context.update(getattr(module, "CONTEXT", {}))
    return zh, context


def fill(ts: Path = TS) -> list[str]:
    ZH, CONTEXT = tables()  # noqa: N806
    tree = ET.parse(ts)
    missing = []
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            source = msg.findtext("source") or ""
            text = CONTEXT.get((name, source), ZH.get(source))
            tr = msg.find("translation")
            if tr is None:
                tr = ET.SubElement(msg, "translation")
            if text is None:
                missing.append(f"{name}: {source}")
                continue
            tr.text = text
            tr.attrib.pop("type", None)
    ET.indent(tree, space="    ")
    with open(ts, "wb") as fh:
        fh.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(fh, encoding="utf-8", xml_declaration=False)
        fh.write(b"\n")
    return missing


def main() -> int:
    subprocess.run([_tool("pyside6-lupdate"), "-extensions", "py", "-no-obsolete", "-locations", "none",
                    "-target-language", "zh_CN", str(DESKTOP), "-ts", str(TS)], check=True)
    missing = fill()
    if missing:
        print("No Chinese for:", *missing, sep="\n  ")
        if "--allow-missing" not in sys.argv:
            return 1
    subprocess.run([_tool("pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
