"""The 帮助 page: the help in the UI's language — contents on the left, the text on the right, a search
box that highlights every match and jumps from one to the next. F1 (see MainWindow) opens it at the
section of the page the user was on."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QStandardItem,
    QStandardItemModel,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from db.i18n import language

from .. import help as content
from ..context import AppContext
from ..plain import Label

ANCHOR_ROLE = Qt.ItemDataRole.UserRole + 1


class HelpBrowser(QTextBrowser):
    """Shows the help file; screenshots wider than the view are scaled down smoothly to fit it (again
    after the view was resized a good deal)."""

    MIN_IMAGE_WIDTH = 560
    refitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image_width = 0  # the width images were last fitted to
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(300)
        self._refit.timeout.connect(self.refit)

    def fit_width(self) -> int:
        return max(self.MIN_IMAGE_WIDTH, self.viewport().width() - 40)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        if kind == QTextDocument.ResourceType.ImageResource.value or kind == QTextDocument.ResourceType.ImageResource:
            image = QImage(self.source().resolved(QUrl(url)).toLocalFile())
            if not image.isNull():
                self.image_width = self.fit_width()
                if image.width() > self.image_width:
                    image = image.scaledToWidth(self.image_width, Qt.TransformationMode.SmoothTransformation)
                return image
        return super().loadResource(kind, url)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.image_width and abs(self.fit_width() - self.image_width) > 60:
            self._refit.start()

    def refit(self) -> None:
        """Load the images again at the view's width, keeping the place in the text."""
        bar = self.verticalScrollBar()
        fraction = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self.document().clear()  # also drops the cached images
        self.reload()
        bar.setValue(round(fraction * bar.maximum()))
        self.refitted.emit()


class HelpPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("helpPage")
        self.language = language()
        self.file = content.help_file(self.language)
        self.document = content.load(self.language)

        self.search = QLineEdit(self)
        self.search.setObjectName("helpSearch")
        self.search.setPlaceholderText(self.tr("Search the help…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.highlight)
        self.search.returnPressed.connect(self.find_next)
        previous = QPushButton(self.tr("Previous"), self)
        previous.setObjectName("findPrevious")
        previous.clicked.connect(lambda: self.find_next(backward=True))
        following = QPushButton(self.tr("Next"), self)
        following.setObjectName("findNext")
        following.clicked.connect(lambda: self.find_next())
        self.matches = Label(self)
        self.matches.setObjectName("matchCount")
        self.matches.setProperty("role", "hint")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(previous)
        top.addWidget(following)
        top.addWidget(self.matches)

        self.sections_model = QStandardItemModel(self)  # one read-only row per section: title, anchor
        for anchor, title in self.document.sections:
            item = QStandardItem(title)
            item.setData(anchor, ANCHOR_ROLE)
            item.setSizeHint(QSize(0, 30))
            item.setEditable(False)
            self.sections_model.appendRow(item)
        self.contents = QListView(self)
        self.contents.setObjectName("helpContents")
        self.contents.setModel(self.sections_model)
        self.contents.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.contents.setMinimumWidth(180)
        self.contents.selectionModel().currentChanged.connect(
            lambda current, _prev: self.show_section(current.data(ANCHOR_ROLE), from_contents=True)
            if current.isValid() else None)

        self.browser = HelpBrowser(self)
        self.browser.setObjectName("helpText")
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(content.HELP_DIR)])
        self.browser.setSource(QUrl.fromLocalFile(str(self.file)))
        self.browser.refitted.connect(lambda: self.highlight())  # the search marks belong to the old text

        split = QSplitter(self)
        split.setObjectName("helpSplitter")
        split.setChildrenCollapsible(False)
        split.addWidget(self.contents)
        split.addWidget(self.browser)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([200, 880])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    # ---------------------------------------------------------------- sections

    def sections(self) -> list[str]:
        return [a for a, _t in self.document.sections]

    def show_section(self, anchor: str | None, from_contents: bool = False) -> None:
        """Scroll to a section (None: the top) and mark it in the contents."""
        if not anchor:
            self.browser.verticalScrollBar().setValue(0)
            return
        self.browser.scrollToAnchor(anchor)
        if not from_contents:
            found = self.sections_model.match(self.sections_model.index(0, 0), ANCHOR_ROLE, anchor, 1,
                                              Qt.MatchFlag.MatchExactly)
            if found:
                selection = self.contents.selectionModel()
                selection.blockSignals(True)
                self.contents.setCurrentIndex(found[0])
                selection.blockSignals(False)

    # ---------------------------------------------------------------- search

    def highlight(self, text: str | None = None) -> int:
        """Mark every match of the search text; returns how many there are."""
        text = self.search.text() if text is None else text
        selections = []
        if text.strip():
            fmt = QTextCharFormat()
            fmt.setBackground(QColor("#ffe08a"))
            doc = self.browser.document()
            cursor = doc.find(text, 0)
            while not cursor.isNull():
                sel = QTextEdit.ExtraSelection()
                sel.cursor = cursor
                sel.format = fmt
                selections.append(sel)
                cursor = doc.find(text, cursor)
        self.browser.setExtraSelections(selections)
        if not text.strip():
            self.matches.clear()
        elif selections:
            self.matches.setText(self.tr("{n} matches").format(n=len(selections)))
        else:
            self.matches.setText(self.tr("Not found"))
        return len(selections)

    def find_next(self, backward: bool = False) -> bool:
        """Select the next (or previous) match after the cursor, wrapping around the end."""
        text = self.search.text()
        if not text.strip():
            return False
        flags = QTextDocument.FindFlag.FindBackward if backward else QTextDocument.FindFlag(0)
        if self.browser.find(text, flags):
            return True
        cursor = self.browser.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End if backward else QTextCursor.MoveOperation.Start)
        self.browser.setTextCursor(cursor)
        return self.browser.find(text, flags)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
