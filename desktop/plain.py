"""Text from the data is shown as text, never as Qt rich text.

Qt's default (``Qt.AutoText``) renders a label, a message box or a tooltip as HTML whenever its text
looks like HTML: a student named ``<img src=//server/x.png>王`` would make the PC fetch a file from
another machine, and ``<font size=40>`` would fill the window. Every label of TalentDesk is a
``Label`` (plain unless a label asks for rich text on purpose), message boxes are plain
(``desktop.prompts``), and tooltips built from data go through ``tip``.
"""

from __future__ import annotations

import html
from typing import overload

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as QtGuiNamespace  # Qt.mightBeRichText lives in QtGui's Qt namespace
from PySide6.QtWidgets import QLabel, QWidget


class Label(QLabel):
    """A QLabel whose text is plain text (``Qt.PlainText``) unless ``setTextFormat`` says otherwise."""

    def __init__(self, text: str | QWidget | None = "", parent: QWidget | None = None) -> None:
        if isinstance(text, QWidget) or text is None:  # Label(parent), as QLabel(parent)
            parent, text = text or parent, ""
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        if text:
            self.setText(text)


@overload
def tip(text: str) -> str: ...
@overload
def tip(text: None) -> None: ...
def tip(text: str | None) -> str | None:
    """A tooltip that shows ``text`` literally (Qt decides per tooltip whether it is HTML)."""
    if not text:
        return text
    if not QtGuiNamespace.mightBeRichText(text) and "&" not in text:
        return text
    return "<p style='white-space:pre-wrap'>" + html.escape(text).replace("\n", "<br>") + "</p>"


def escape(text: object) -> str:
    """Data placed into a label that is rich text on purpose."""
    return html.escape("" if text is None else str(text))


__all__ = ["Label", "escape", "tip"]
