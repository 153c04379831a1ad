"""The layers keep to their places (README, "Layout"): read from the code, so a change that crosses one fails
here with the file and line, not in a review.

- ``db/``, ``forms/`` and ``reports/`` never import Qt (the command line and the server-side checks use them);
- the desktop touches the database one way: ``ctx.ops`` (desktop/operations.py) for a page's or dialog's
  reads and writes, and the task runner's work functions (``work(task)``, run on the worker thread with a
  progress bar and Cancel) for long jobs. Nothing else in ``desktop/`` opens a session, except the sign-in
  (before there is anybody to act for) and the list model's pages (issue #25's list budget).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (module, function) pairs allowed to open a session themselves, and why
OPENS_SESSIONS = {
    "desktop/operations.py": "the one way",
    "desktop/tablemodel.py": "a list's count and its pages as they scroll in (one round trip each)",
    "desktop/login.py": "signing in: there is no context, nor anybody to act for, yet",
    "desktop/app.py": "opening the database and signing in, before the main window",
}
SESSION_CALLS = {"factory", "unit_of_work", "viewing", "reading"}


def _python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)


def test_the_qt_free_layers_never_import_qt() -> None:
    found = []
    for path in _python_files("db", "forms", "reports"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            found += [f"{path.relative_to(ROOT)}:{node.lineno} imports {n}" for n in names
                      if n.split(".")[0] in {"PySide6", "shiboken6", "desktop"}]
    assert not found, "\n".join(found)


def _session_calls(tree: ast.AST) -> list[tuple[int, str, str]]:
    """(line, call, enclosing function) of every call that opens a session."""
    out: list[tuple[int, str, str]] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = child.name if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef) else function
            if isinstance(child, ast.Call):
                f = child.func
                name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                # ``factory()`` called directly, or ``reading(...)()``
                if name in SESSION_CALLS and not (name == "factory" and child.args):
                    out.append((child.lineno, name, function))
            visit(child, inner)

    visit(tree, "")
    return out


def test_the_desktop_touches_the_database_through_ctx_ops_or_a_runner_job() -> None:
    found = []
    for path in _python_files("desktop"):
        rel = path.relative_to(ROOT).as_posix()
        if rel in OPENS_SESSIONS:
            continue
        for line, call, function in _session_calls(ast.parse(path.read_text(encoding="utf-8"))):
            if function != "work":  # a runner job's work function runs on the worker thread
                found.append(f"{rel}:{line} {call}() in {function or 'the module'}")
    assert not found, "use ctx.ops (desktop/operations.py) instead:\n" + "\n".join(found)


def test_the_guard_sees_a_session_opened_on_the_ui_thread() -> None:
    """The check above finds what it is for (a page method opening a session) and lets a job through."""
    code = ("def load(self):\n    with self.ctx.factory() as s:\n        pass\n"
            "def start(self):\n    def work(task):\n        with unit_of_work(f, a) as s:\n            pass\n")
    assert _session_calls(ast.parse(code)) == [(2, "factory", "load"), (6, "unit_of_work", "work")]
