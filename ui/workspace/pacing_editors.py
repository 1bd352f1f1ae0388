"""Editor widgets of the plan pages (pacing and safety): text fields and bullet lists.

Each editor reports what the clinician typed and can be refreshed from the case without
moving the cursor when nothing changed. Ctrl+Z and Ctrl+Shift+Z are left to the case's undo
stack (the Case menu's Undo and Redo, or the page when no window action takes them): a text
field's private undo history would otherwise disagree with the plan that was saved.
Every editor opens a new "typing session" when it gains focus, so typing into one field is
one undo step, and coming back to it later is another.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QTextCursor,
    QTextListFormat,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.workspace.pacing_edits import clean_items


def is_undo_or_redo(event: QKeyEvent) -> bool:
    """Whether a key press asks for undo or redo (Ctrl+Z, Ctrl+Shift+Z, Ctrl+Y ...)."""
    return event.matches(QKeySequence.StandardKey.Undo) or event.matches(
        QKeySequence.StandardKey.Redo
    )


def _leave_undo_to_the_case(event: QEvent) -> bool:
    """True when `event` is an undo/redo key a text editor must not keep for itself."""
    return (
        event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
        and isinstance(event, QKeyEvent)
        and is_undo_or_redo(event)
    )


class PlanLineEdit(QLineEdit):
    """A one-line field of a plan.

    Attributes:
        session: changes on every focus-in; part of the undo merge key.
    """

    def __init__(self, accessible_name: str, placeholder: str = "") -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText(placeholder)
        self.session = 0

    def set_text_quietly(self, text: str) -> None:
        """Show `text` without reporting it as an edit; the cursor stays when nothing changed."""
        if text == self.text():
            return
        self.blockSignals(True)
        self.setText(text)
        self.blockSignals(False)

    def event(self, event: QEvent) -> bool:
        if _leave_undo_to_the_case(event):
            event.ignore()  # the case's undo stack takes it (window action or the page)
            return False
        return super().event(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        self.session += 1
        super().focusInEvent(event)


class PlanTextEdit(QPlainTextEdit):
    """A free-text field of a plan (a note, aftercare wishes), a few lines high.

    Signals:
        text_edited(str): the clinician changed the text.
    """

    text_edited = Signal(str)

    def __init__(self, accessible_name: str, placeholder: str = "", lines: int = 3) -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText(placeholder)
        self.setTabChangesFocus(True)
        self.document().setUndoRedoEnabled(False)
        self.session = 0
        self._lines = lines
        self._quiet = False
        self.textChanged.connect(self._changed)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        line = self.fontMetrics().lineSpacing()
        margins = self.contentsMargins()
        height = line * self._lines + 2 * int(self.document().documentMargin())
        return QSize(super().sizeHint().width(), height + margins.top() + margins.bottom())

    def set_text_quietly(self, text: str) -> None:
        """Show `text` without reporting it as an edit; the cursor stays when nothing changed."""
        if text == self.toPlainText():
            return
        self._quiet = True
        self.setPlainText(text)
        self._quiet = False

    def _changed(self) -> None:
        if not self._quiet:
            self.text_edited.emit(self.toPlainText())

    def event(self, event: QEvent) -> bool:
        if _leave_undo_to_the_case(event):
            event.ignore()
            return False
        return super().event(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        self.session += 1
        super().focusInEvent(event)


class BulletListEdit(QTextEdit):
    """An editable list of short texts shown as bullets: one item per paragraph.

    Enter starts a new item; Enter on an empty last item ends the list and moves on;
    Backspace at the start of an item joins it to the one before. The editor grows with its
    items, so the page scrolls rather than the list.

    Signals:
        items_edited(): the clinician changed the items (read them with `items()`).
    """

    items_edited = Signal()

    def __init__(self, accessible_name: str, placeholder: str = "") -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)
        self.setPlaceholderText(placeholder)
        self.setAcceptRichText(False)
        self.setTabChangesFocus(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().setUndoRedoEnabled(False)
        # Bullets close to the edge: the default indent (40 px) wastes a narrow column.
        self.document().setIndentWidth(self.fontMetrics().horizontalAdvance("M") * 1.2)
        self.session = 0
        self._quiet = False
        self._items: tuple[str, ...] = ()
        self.textChanged.connect(self._changed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._make_list()

    # ------------------------------------------------------------------ items

    def items(self) -> tuple[str, ...]:
        """The items as stored: trimmed, one line each, empty ones left out."""
        texts = []
        block = self.document().begin()
        while block.isValid():
            texts.append(block.text())
            block = block.next()
        return clean_items(texts)

    def set_items(self, items: Sequence[str]) -> None:
        """Show `items` without reporting an edit; nothing moves when they are already shown."""
        items = tuple(items)
        if items == self.items():
            return
        self._quiet = True
        try:
            cursor = QTextCursor(self.document())
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.removeSelectedText()
            for index, item in enumerate(items):
                if index:
                    cursor.insertBlock()
                cursor.insertText(item)
            self._make_list()
        finally:
            self._quiet = False
        self._items = self.items()

    def _make_list(self) -> None:
        """Every paragraph is a bullet item (pasted or joined paragraphs too)."""
        document = self.document()
        if document.isEmpty():
            # An empty editor shows its placeholder, which a bullet would draw over.
            empty = document.begin()
            if empty.textList() is not None:
                was_quiet = self._quiet
                self._quiet = True
                empty.textList().remove(empty)
                cursor = QTextCursor(empty)
                block_format = empty.blockFormat()
                block_format.setIndent(0)
                cursor.setBlockFormat(block_format)
                self._quiet = was_quiet
            return
        block = document.begin()
        text_list = None
        while block.isValid():
            if block.textList() is not None:
                text_list = block.textList()
                break
            block = block.next()
        was_quiet = self._quiet
        self._quiet = True
        try:
            if text_list is None:
                list_format = QTextListFormat()
                list_format.setStyle(QTextListFormat.Style.ListDisc)
                list_format.setIndent(1)
                text_list = QTextCursor(document.begin()).createList(list_format)
            block = document.begin()
            while block.isValid():
                if block.textList() is None:
                    text_list.add(block)
                block = block.next()
        finally:
            self._quiet = was_quiet

    def _changed(self) -> None:
        if self._quiet:
            return
        self._make_list()
        items = self.items()
        if items != self._items:
            self._items = items
            self.items_edited.emit()

    # ------------------------------------------------------------------ keys and size

    def event(self, event: QEvent) -> bool:
        if _leave_undo_to_the_case(event):
            event.ignore()
            return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        cursor = self.textCursor()
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        at_item_start = cursor.atBlockStart() and not cursor.hasSelection()
        if event.key() == Qt.Key.Key_Backspace and plain and at_item_start:
            # Qt would first take the paragraph out of the list; in a list editor,
            # Backspace joins it to the item before, as in any plain text.
            if cursor.block().previous().isValid():
                cursor.deletePreviousChar()
                self.setTextCursor(cursor)
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            block = cursor.block()
            if not block.text().strip():
                # Enter on an empty item: the list is done; move on to the next field.
                if block.previous().isValid() and not block.next().isValid():
                    cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
                    cursor.deletePreviousChar()  # the empty item goes
                    self.setTextCursor(cursor)
                self.focusNextChild()
                event.accept()
                return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        self.session += 1
        super().focusInEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self, *_: object) -> None:
        document_height = self.document().documentLayout().documentSize().height()
        line = self.fontMetrics().lineSpacing()
        margins = self.contentsMargins()
        height = int(max(document_height, 2 * line)) + margins.top() + margins.bottom() + 4
        if height != self.height():
            self.setFixedHeight(height)


# ---------------------------------------------------------------------- layout helpers


def chain_tab_order(widgets: Sequence[QWidget]) -> None:
    """Make Tab visit `widgets` in this order (those that take no focus are left out).

    Widgets made after the rest of a page (a list rebuilt when the answers change) join the
    focus chain at its end; chaining the page's widgets again after such a rebuild keeps Tab
    going down the page as it reads.
    """
    focusable = [w for w in widgets if w.focusPolicy() != Qt.FocusPolicy.NoFocus]
    for first, second in itertools.pairwise(focusable):
        QWidget.setTabOrder(first, second)


def no_focus_scroll(area: QScrollArea) -> QScrollArea:
    """A scroll area that is not a Tab stop itself (it still follows the focused field)."""
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area


def scaled_label(text: str, factor: float = 1.0, *, bold: bool = True) -> QLabel:
    """A label in a larger (or smaller) and maybe bold version of the application font."""
    label = QLabel(text)
    font = label.font()
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    label.setFont(font)
    return label


def wrapping_label(text: str = "", accessible_name: str = "") -> QLabel:
    """A label that wraps and whose text can be selected and copied."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if accessible_name:
        label.setAccessibleName(accessible_name)
    return label


def quiet_label(text: str) -> QLabel:
    """Secondary text: a hint or an explanation, wrapped, in the palette's placeholder colour."""
    label = QLabel(text)
    label.setWordWrap(True)
    palette = label.palette()
    text_colour = palette.color(QPalette.ColorRole.WindowText)
    background = palette.color(QPalette.ColorRole.Window)
    # A third of the way to the background: quieter than body text, still above 4.5:1.
    quiet = QColor(
        round(text_colour.red() + (background.red() - text_colour.red()) * 0.33),
        round(text_colour.green() + (background.green() - text_colour.green()) * 0.33),
        round(text_colour.blue() + (background.blue() - text_colour.blue()) * 0.33),
    )
    palette.setColor(QPalette.ColorRole.WindowText, quiet)
    label.setPalette(palette)
    return label


def card(*children: QWidget, spacing: int = 8) -> QFrame:
    """A bordered card holding `children` one under another.

    Its background is the palette's alternate base, so that text fields and check boxes
    (drawn on the base colour) stand out on it in the dark palette as in the light one.
    """
    frame = QFrame()
    frame.setObjectName("planCard")
    frame.setStyleSheet(
        "QFrame#planCard { border: 1px solid palette(mid); border-radius: 6px;"
        " background: palette(alternate-base); }"
    )
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 12, 14, 12)
    layout.setSpacing(spacing)
    for child in children:
        layout.addWidget(child)
    return frame


def bullet_html(items: Iterable[str]) -> str:
    """Plain items as an HTML bullet list for a rich-text label (the items are escaped)."""
    import html

    rows = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    return f'<ul style="margin-left:-22px; margin-top:2px">{rows}</ul>'
