"""Message boxes and file pickers behind one small interface.

Pages ask ``ctx.prompts`` instead of calling QMessageBox directly, so tests can substitute an
object that records the question and answers it without a blocking dialog.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget


class Prompts:
    """The real, blocking dialogs."""

    def error(self, parent: QWidget | None, title: str, text: str) -> None:
        _box(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Ok, parent).exec()

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        _box(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent).exec()

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        box = _box(QMessageBox.Icon.Question, title, text,
                   QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def choose(self, parent: QWidget | None, title: str, text: str, options: Sequence[str]) -> int:
        """Ask with one button per option; returns the chosen index (-1 when closed)."""
        box = _box(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
        buttons = [box.addButton(o, QMessageBox.ButtonRole.AcceptRole) for o in options]
        box.exec()
        clicked = box.clickedButton()
        return buttons.index(clicked) if clicked in buttons else -1

    def open_file(self, parent: QWidget | None, caption: str, filters: str) -> str:
        return QFileDialog.getOpenFileName(parent, caption, "", filters)[0]

    def save_file(self, parent: QWidget | None, caption: str, suggested: str, filters: str) -> str:
        return QFileDialog.getSaveFileName(parent, caption, suggested, filters)[0]

    def choose_folder(self, parent: QWidget | None, caption: str) -> str:
        return QFileDialog.getExistingDirectory(parent, caption)


def _box(icon: QMessageBox.Icon, title: str, text: str, buttons: QMessageBox.StandardButton,
         parent: QWidget | None) -> QMessageBox:
    """A message box whose text is plain text: messages quote names and values users typed."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def xlsx_filter() -> str:
    return QCoreApplication.translate("Prompts", "Excel workbooks (*.xlsx)")


def pdf_filter() -> str:
    return QCoreApplication.translate("Prompts", "PDF documents (*.pdf)")
