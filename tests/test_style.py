"""The application style: what people read must be readable."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

pytestmark = pytest.mark.gui

HIGHLIGHT = "#d6e4f5"  # the style sheet's light highlight of the item under the mouse


def test_the_item_under_the_mouse_in_a_drop_down_list_is_readable(qtbot: Any, qapp: Any) -> None:
    """The QComboBox rule made the popup's current item white text on white: 方式, every list filter,
    the language box. Then Fusion's menu-style popup drew it white with only a thin grey frame. The item
    under the mouse must show dark text on the light highlight, the other items dark on white."""
    from PySide6.QtGui import QColor
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QComboBox

    from desktop import style

    style.apply(qapp)
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItems(["面谈", "线上", "企业现场"])
    combo.show()
    combo.showPopup()
    view = combo.view()
    index = view.model().index(1, 0)
    QTest.mouseMove(view.viewport(), view.visualRect(index).center())
    view.setCurrentIndex(index)
    qapp.processEvents()

    def colours(row: int) -> tuple[Counter[str], int]:
        image = view.viewport().grab(view.visualRect(view.model().index(row, 0))).toImage()
        pixels = [QColor(image.pixel(x, y)) for x in range(image.width()) for y in range(image.height())]
        return Counter(c.name() for c in pixels), sum(1 for c in pixels if c.lightness() < 110)

    hovered, dark = colours(1)
    assert hovered.most_common(1)[0][0] == HIGHLIGHT, f"the item under the mouse is not highlighted: {hovered}"
    assert dark > 20, "the highlighted item's text is not drawn in a dark colour"
    other, dark_other = colours(2)
    assert other.most_common(1)[0][0] == "#ffffff" and dark_other > 20
    combo.hidePopup()
