"""The last line of defence: no error of the desktop goes silently to a console a Windows user never sees.

Every page and dialog catches what its own work may raise and says it where it happened. What slips
through (an exception in a slot, a bug) reaches ``sys.excepthook``; TalentDesk's hook writes the
traceback to ``talentdesk.log`` in the data folder and tells the person in their language: the
database's own sentence for a database failure, otherwise that something went wrong and where the
details are. ``faulthandler`` writes the stacks of a crash to the same file, so a crash leaves a trace
IT can send on.
"""

from __future__ import annotations

import datetime as dt
import faulthandler
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO, TypedDict

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication

from .prompts import Prompts


class _State(TypedDict, total=False):
    log: Path | None
    stream: TextIO | None
    prompts: Prompts
    showing: bool
    previous_hook: Callable[[type[BaseException], BaseException, TracebackType | None], Any]
    faulthandler_was_on: bool


_state: _State = {}


def log_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("TalentDesk", appauthor=False, roaming=False)) / "talentdesk.log"


def said(exc: BaseException) -> str | None:
    """The sentence for a refusal or a database failure (db.failures.said), None for anything else (a bug).
    SQLAlchemy is looked at by name: this runs at start-up, before the database code is imported."""
    from db.errors import TalentDeskError

    if isinstance(exc, TalentDeskError) or type(exc).__module__.startswith("sqlalchemy"):
        from db import failures

        return str(failures.said(exc))
    return None


def message_for(exc: BaseException, log: Path | None) -> str:
    """What the person reads about ``exc``."""
    sentence = said(exc)
    if sentence is not None:
        return sentence
    text = QCoreApplication.translate(
        "ErrorHook", "TalentDesk ran into an unexpected problem and could not finish what you asked. Nothing "
        "unfinished was saved. Please try again; if it happens again, tell IT and send them the file {path}.")
    return text.format(path=log or "talentdesk.log")


def _hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    log = _state.get("log")
    stream = _state.get("stream")
    if stream is not None:
        try:
            stream.write(f"\n--- {dt.datetime.now().isoformat(sep=' ', timespec='seconds')}\n")
            stream.write("".join(traceback.format_exception(kind, exc, tb)))
            stream.flush()
        except (OSError, ValueError):  # a full disk must not hide the message below
            pass
    traceback.print_exception(kind, exc, tb)
    if issubclass(kind, KeyboardInterrupt) or _state.get("showing"):
        return
    prompts = _state.get("prompts")
    if prompts is None:
        return
    _state["showing"] = True
    try:
        title = QCoreApplication.translate("ErrorHook", "TalentDesk")
        prompts.error(QApplication.activeWindow(), title,
                      message_for(exc, log if isinstance(log, Path) else None))
    finally:
        _state["showing"] = False


def install(prompts: Prompts, log: Path | None = None) -> None:
    """Route uncaught exceptions to the person (and the log), and crash stacks to the log, until
    ``uninstall``."""
    uninstall()
    _state["previous_hook"] = sys.excepthook
    _state["faulthandler_was_on"] = faulthandler.is_enabled()
    log = log or log_path()
    _state["prompts"] = prompts
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        stream = open(log, "a", encoding="utf-8")  # noqa: SIM115 - open for the process's lifetime
    except OSError:
        stream = None
    _state["log"] = log if stream is not None else None
    _state["stream"] = stream
    if stream is not None:
        faulthandler.enable(stream)
    sys.excepthook = _hook


def uninstall() -> None:
    """Back to how it was before ``install`` (the app calls it when it ends; tests run the app often)."""
    if "previous_hook" not in _state:
        return
    sys.excepthook = _state.pop("previous_hook")
    stream = _state.pop("stream", None)
    if stream is not None:
        faulthandler.disable()
        if _state.get("faulthandler_was_on"):
            faulthandler.enable()
        stream.close()
    _state.pop("prompts", None)
    _state.pop("log", None)


__all__ = ["install", "log_path", "message_for", "said", "uninstall"]
