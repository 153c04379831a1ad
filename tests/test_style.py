"""The application style: what people read must be readable."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.gui


def test_the_item_under_the_mouse_in_a_drop_down_list_is_readable(qtbot: Any, qapp: Any) -> None:
    """The QComboBox rule made the popup's current item white text on white: 方式, every list filter,
    the language box. The highlighted item must show dark text on its light highlight."""
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
    image = view.viewport().grab(view.visualRect(index)).toImage()
    dark = sum(1 for x in range(image.width()) for y in range(image.height())
               if QColor(image.pixel(x, y)).lightness() < 110)
    assert dark > 20, "the highlighted item's text is not drawn in a dark colour"
    combo.hidePopup()
