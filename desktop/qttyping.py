"""Qt names typed as they behave where PySide6's stubs are too loose: ``QT_TRANSLATE_NOOP`` returns the
source text it marks (its stub says ``object``). Import it from here; lupdate and the translation test
find the strings by its name, whichever module it comes from."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    def QT_TRANSLATE_NOOP(context: str, source: str) -> str: ...
else:
    from PySide6.QtCore import QT_TRANSLATE_NOOP

__all__ = ["QT_TRANSLATE_NOOP"]
