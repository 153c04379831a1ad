"""Refresh the Qt-free layers' Chinese catalogue: extract the messages into ``zh_CN.po``, compile it.

    python -m db.locale.update   (from the repository root; needs polib: pip install -e ".[test]")

``zh_CN.po`` is the source of the translation: a standard GNU gettext catalogue, edited with Poedit or
any text editor. The workflow:

1. write the English message in the code: ``t("…")``, ``tc("context", "…")``, or ``N_("…")`` where a
   string is written away from the ``t()`` that shows it (``Column("name", "Name", …)`` and
   ``Filter(…)`` titles are picked up without it);
2. run this script: new messages are added untranslated, messages no longer in the code are dropped,
   every translation made so far is kept;
3. translate the new ones in the .po and run this script again: it compiles ``zh_CN.mo``, which
   ``db.i18n`` reads.

Fails, listing them, while a message is untranslated; with --allow-missing it lists them and compiles
anyway. tests/test_i18n.py fails when the .po misses a message of the code or the .mo is stale.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
PO = HERE / "zh_CN.po"
MO = HERE / "zh_CN.mo"
PACKAGES = ("db", "forms", "reports")
# calls whose literal arguments are messages: name -> (context argument or None, message argument)
KEYWORDS = {"t": (None, 0), "_t": (None, 0), "N_": (None, 0), "tc": (0, 1), "_tc": (0, 1),
            "Column": (None, 1), "_Col": (None, 1), "Filter": (None, 1), "_Filter": (None, 1)}

Key = tuple[str | None, str]  # (context, English)


def sources(root: Path = ROOT) -> list[Path]:
    files = [p for pkg in PACKAGES for p in sorted((root / pkg).rglob("*.py"))
             if "migrations" not in p.parts and p.parent != HERE]
    return [*files, root / "main.py"]


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def scan(root: Path = ROOT) -> tuple[dict[Key, set[str]], set[str]]:
    """The messages the code marks, each with the files that mark it; and every string literal in the
    code (a catalogue message written in a table the code translates later is kept while it is there)."""
    marked: dict[Key, set[str]] = {}
    literals: set[str] = set()
    for path in sources(root):
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in KEYWORDS:
                continue
            ctx_at, msg_at = KEYWORDS[name]
            if len(node.args) <= msg_at:
                continue
            message = _literal(node.args[msg_at])
            context = _literal(node.args[ctx_at]) if ctx_at is not None else None
            if message and (ctx_at is None or context):
                marked.setdefault((context, message), set()).add(rel)
    return marked, literals


def extracted(po: Any, root: Path = ROOT) -> Any:
    """A new catalogue: the code's messages, with the translations ``po`` already has."""
    import polib  # type: ignore[import-untyped]  # polib ships no type hints

    marked, literals = scan(root)
    old = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    keys = set(marked) | {k for k in old if k[1] in literals}
    out = polib.POFile(wrapwidth=0)
    out.metadata = dict(po.metadata) or {"Content-Type": "text/plain; charset=UTF-8", "Language": "zh_CN"}
    for context, message in sorted(keys, key=lambda k: (k[0] or "", k[1])):
        before = old.get((context, message))
        out.append(polib.POEntry(msgctxt=context, msgid=message, msgstr=before.msgstr if before else "",
                                 occurrences=[(f, "") for f in sorted(marked.get((context, message), ()))],
                                 flags=[f for f in (before.flags if before else []) if f != "fuzzy"]))
    return out


def untranslated(po: Any) -> list[str]:
    return [f"{e.msgctxt + ' | ' if e.msgctxt else ''}{e.msgid}" for e in po if not e.msgstr.strip()]


def main() -> int:
    import polib

    po = extracted(polib.pofile(str(PO), wrapwidth=0))
    po.save(str(PO))
    missing = untranslated(po)
    if missing:
        print("Untranslated (translate them in db/locale/zh_CN.po):", *missing, sep="\n  ")
        if "--allow-missing" not in sys.argv:
            return 1
    po.save_as_mofile(str(MO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
