"""Refresh the desktop's Chinese translation: extract the strings into the .ts, compile it.

    python -m desktop.translations.update   (from the repository root)

``talentdesk_zh_CN.ts`` is the source of the translation: Qt's standard file, edited with Qt Linguist
(``pyside6-linguist desktop/translations/talentdesk_zh_CN.ts``) or any XML editor. The workflow:

1. write the English string in the code, in ``self.tr("…")`` or ``QCoreApplication.translate("Context", "…")``;
2. run this script: ``pyside6-lupdate`` adds the new strings to the .ts (unfinished) and drops the ones
   no longer in the code, keeping every translation made so far;
3. translate the unfinished strings in Linguist, mark them finished, and run this script again: it
   compiles the .ts into ``talentdesk_zh_CN.qm``, which the app loads.

Fails, listing them, while a string is untranslated or unfinished; with --allow-missing it lists them
and compiles anyway. tests/test_desktop_translations.py fails when the .ts misses a string of the code
or the .qm is not the compile of the .ts.

The Qt-free layers (db/, forms/, reports/, the command line) have their own catalogue: db/locale.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).parent
DESKTOP = HERE.parent
TS = HERE / "talentdesk_zh_CN.ts"
QM = HERE / "talentdesk_zh_CN.qm"


def tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    return str(beside) if beside.exists() else (shutil.which(name) or name)


def extract(ts: Path = TS) -> None:
    """Bring ``ts`` in line with the code: new strings added unfinished, vanished ones dropped."""
    subprocess.run([tool("pyside6-lupdate"), "-extensions", "py", "-no-obsolete", "-locations", "none",
                    "-target-language", "zh_CN", str(DESKTOP), "-ts", str(ts)], check=True, capture_output=True)


def compile_qm(ts: Path = TS, qm: Path = QM) -> None:
    subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True)


def unfinished(ts: Path = TS) -> list[str]:
    """``Context: source`` of every message without a finished translation."""
    out = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is None or not (tr.text or "").strip() or tr.get("type") in ("unfinished", "vanished", "obsolete"):
                out.append(f"{name}: {msg.findtext('source') or ''}")
    return out


def main() -> int:
    extract()
    missing = unfinished()
    if missing:
        print("Untranslated or unfinished (translate them in Qt Linguist):", *missing, sep="\n  ")
        if "--allow-missing" not in sys.argv:
            return 1
    compile_qm()
    return 0


if __name__ == "__main__":
    sys.exit(main())
