"""The inputs of the intake forms: one editor per question, instrument, or the activity list.

Every editor reads its answer from the CaseSession and writes through `case.set_answer`, so
each change is undoable and saved at once. Editors learn of changes made elsewhere (undo, redo,
an import) through `refresh()`, which sets the widgets without emitting a new change: radio
buttons report user choices through QButtonGroup.idClicked only, which programmatic
`setChecked` never emits, and the text editor holds a guard while it is being set.

Radio groups follow Qt's keyboard model: Tab enters a group once (at the checked option, or the
first), arrow keys move and choose within it, Space chooses, Delete or Backspace clears the
answer back to "not asked". An unanswered question is None, never silently "no".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QHideEvent,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QMenu,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinical.content import Activity, Instrument, Question, ScaleAnchor
from clinical.intake_edit import AnswerValue
from clinical.model import ActivityAnswer, PtsdScreenAnswer, Visibility
from clinical.visibility import ACTIVITY_PREFIX
from ui.theme import is_dark, severity_colour, severity_icon
from ui.workspace.case_session import CaseSession

#: How long the form waits after the last keystroke before saving a free-text answer.
TEXT_SAVE_DELAY_MS = 600
#: How long an answer stays highlighted after `focus_answer` brought it into view.
HIGHLIGHT_MS = 1600
#: Marks of an activity's risk tier: a small level meter (never a circle, which would read
#: as one more radio button), with the tier's words in the legend and the tooltip.
TIER_MARKS = {"low": "▮▯▯", "moderate": "▮▮▯", "high": "▮▮▮", "no-safe-practice": "⊘"}


# ------------------------------------------------------------------------------ context


class FormContext:
    """The page's owner and its way to the case, shared by every editor of one page.

    Attributes:
        case: the open case.
        owner: the partner key, or None for answers the couple gives together.
    """

    def __init__(self, case: CaseSession, owner: str | None) -> None:
        self.case = case
        self.owner = owner
        self.content = case.content

    @property
    def who(self) -> str:
        """Whose answers these are, in words: a partner's name or "answered together"."""
        if self.owner is None:
            return "answered together"
        return self.case.partner_name(self.owner)

    def group_name(self, label: str) -> str:
        """The accessible name of a radio group: the question and whose answer it is."""
        return f"{label} ({self.who})"

    def value(self, answer_id: str) -> AnswerValue:
        return self.case.answer(self.owner, answer_id)

    def set(self, answer_id: str, value: AnswerValue, label: str) -> None:
        self.case.set_answer(self.owner, answer_id, value, label=label)

    def visibility(self, answer_id: str) -> Visibility:
        return self.case.visibility(self.owner, answer_id)


def short(text: str, limit: int = 48) -> str:
    """A question's words cut to fit an undo entry."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ------------------------------------------------------------------------------ little parts


def text_label(
    text: str,
    parent: QWidget | None = None,
    *,
    muted: bool = False,
    scale: float = 1.0,
    weight: QFont.Weight | None = None,
    italic: bool = False,
    wrap: bool = True,
) -> QLabel:
    """A label for reading: wrapped, sized relative to the app font (never in pixels)."""
    label = QLabel(text, parent)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    if muted:
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    if scale != 1.0 or weight is not None or italic:
        font = label.font()
        if scale != 1.0 and font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * scale)
        if weight is not None:
            font.setWeight(weight)
        font.setItalic(italic)
        label.setFont(font)
    return label


_PIXMAPS: dict[tuple[str, int, int, float], QPixmap] = {}


def privacy_pixmap(kind: str, colour: QColor, height: int, ratio: float) -> QPixmap:
    """A small drawn icon: a padlock ("private") or two people ("shared").

    Drawn rather than taken from a font, so it looks the same on every system and stays sharp
    at any device pixel ratio. Drawn once per kind, colour and size.
    """
    key = (kind, colour.rgba(), height, ratio)
    cached = _PIXMAPS.get(key)
    if cached is None:
        cached = _PIXMAPS[key] = _draw_privacy_pixmap(kind, colour, height, ratio)
    return cached


def _draw_privacy_pixmap(kind: str, colour: QColor, height: int, ratio: float) -> QPixmap:
    size = max(8, int(height * ratio))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    if kind == "private":
        pen = QPen(colour, max(1.0, s * 0.11))
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        shackle = QPainterPath()
        shackle.moveTo(s * 0.32, s * 0.48)
        shackle.lineTo(s * 0.32, s * 0.32)
        shackle.arcTo(QRectF(s * 0.32, s * 0.1, s * 0.36, s * 0.4), 180, -180)
        shackle.lineTo(s * 0.68, s * 0.48)
        painter.drawPath(shackle)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(QRectF(s * 0.18, s * 0.45, s * 0.64, s * 0.47), s * 0.08, s * 0.08)
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        for cx in (0.32, 0.68):
            painter.drawEllipse(QPointF(s * cx, s * 0.3), s * 0.13, s * 0.13)
            body = QPainterPath()
            body.moveTo(s * (cx - 0.2), s * 0.9)
            body.arcTo(QRectF(s * (cx - 0.2), s * 0.5, s * 0.4, s * 0.8), 180, -180)
            body.closeSubpath()
            painter.drawPath(body)
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


class PrivacyMark(QWidget):
    """ "Clinician only" with a padlock: for answers that are never shown to the other partner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.icon = QLabel(self)
        self.text = QLabel("Clinician only", self)
        self.text.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.icon)
        layout.addWidget(self.text)
        self.setAccessibleName("Clinician only: never shown to the other partner")
        self.setToolTip(
            "Always clinician only: never shown to the other partner and never printed for "
            "the couple, whatever the case's confidentiality policy."
        )
        colour = self.palette().color(QPalette.ColorRole.PlaceholderText)
        height = self.fontMetrics().height()
        self.icon.setPixmap(privacy_pixmap("private", colour, height, self.devicePixelRatioF()))


class VisibilityToggle(QToolButton):
    """Who may see an answer (or every answer of a list): the clinician only, or the couple.

    A small menu offers the two choices; Ctrl+Shift+V with the focus in the question switches
    between them. An answer must exist before its visibility can be chosen (the vault keeps
    visibility with the answer), so the control waits for one.
    """

    def __init__(
        self, form: FormContext, answer_ids: Sequence[str], subject: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.answer_ids = tuple(answer_ids)
        self.subject = subject
        self._shown: tuple[str, bool] | None = None
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        # Reached by its shortcut instead, so Tab walks from answer to answer only.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.clicked.connect(self.show_choices)
        self.refresh()

    def choices_menu(self) -> QMenu:
        """The two choices, the current one checked (made when asked: pages hold dozens)."""
        menu = QMenu(self)
        state = self.state()
        for text, value in (
            ("Clinician only: never shown to the other partner", "clinician-only"),
            ("Shared with the couple: may appear in what is printed for them", "joint"),
        ):
            action = menu.addAction(text)
            action.setCheckable(True)
            action.setChecked(state == value)
            action.triggered.connect(lambda _=False, v=value: self.set_visibility(v))
        return menu

    def show_choices(self) -> None:
        menu = self.choices_menu()
        menu.exec(self.mapToGlobal(self.rect().bottomLeft()))
        menu.deleteLater()

    def answered_ids(self) -> list[str]:
        return [a for a in self.answer_ids if self.form.value(a) is not None]

    def state(self) -> Visibility | None:
        """The visibility shared by every answer, or None when they differ."""
        values = {self.form.visibility(a) for a in self.answer_ids}
        return values.pop() if len(values) == 1 else None

    def _pixmap(self, kind: str) -> QPixmap:
        colour = self.palette().color(QPalette.ColorRole.ButtonText)
        height = self.fontMetrics().height()
        return privacy_pixmap(kind, colour, height, self.devicePixelRatioF())

    def refresh(self) -> None:
        state = self.state()
        words = {"clinician-only": "Clinician only", "joint": "Shared with the couple"}.get(
            state or "", "Some shared with the couple"
        )
        answered = bool(self.answered_ids())
        # Called on every answer change: touch the widget only when something differs (a new
        # text or icon would re-lay out the whole form).
        if (words, answered) == self._shown:
            return
        if self._shown is None or self._shown[0] != words:
            self.setText(words + " ▾")
            self.setIcon(self._pixmap("private" if state == "clinician-only" else "shared"))
        self._shown = (words, answered)
        self.setEnabled(answered)
        self.setAccessibleName(f"Who may see {self.subject}: {words}")
        if not answered:
            self.setToolTip("Answer first, then choose who may see the answer.")
        else:
            self.setToolTip(
                "Choose who may see this: only you, or the couple too (Ctrl+Shift+V switches)."
            )

    def set_visibility(self, target: Visibility) -> None:
        """Give every answered id this visibility (saved with the answers)."""
        for answer_id in self.answered_ids():
            if self.form.visibility(answer_id) != target:
                self.form.case.set_visibility(self.form.owner, answer_id, target)
        self.refresh()

    def toggle(self) -> None:
        """Switch: to clinician only if anything is shared, otherwise to shared."""
        if not self.answered_ids():
            return
        shared = any(self.form.visibility(a) == "joint" for a in self.answered_ids())
        self.set_visibility("clinician-only" if shared else "joint")


# ------------------------------------------------------------------------------ radio groups


def _ring_palette(widget: QWidget) -> QPalette | None:
    """In the dark palette, a palette that gives radio buttons a ring that shows.

    Fusion draws a radio button's ring in the Window colour darkened by half, which vanishes
    on the dark palette's Base (the form's sections are cards in the Base colour). A button
    paints nothing else with Window, so a lighter Window only lightens its ring. Set on each
    button: under the app's style sheet, palettes set on a parent do not reach the buttons.
    """
    palette = widget.palette()
    if not is_dark(palette):
        return None
    palette = QPalette(palette)
    palette.setColor(QPalette.ColorRole.Window, QColor("#a9adb4"))
    return palette


class AnswerRadio(QRadioButton):
    """A radio button of an answer: Delete or Backspace, or its context menu, clears the answer.

    A subclass rather than an event filter: a Python filter would run for every event of every
    button (hundreds per page), these overrides only for keys and context menus.
    """

    def __init__(self, text: str, parent: QWidget, choice: RadioChoice) -> None:
        super().__init__(text, parent)
        self.choice = choice

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.choice.clear()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt API)
        menu = QMenu(self)
        clear = menu.addAction("Clear this answer (not asked)")
        clear.setEnabled(self.choice.value() is not None)
        clear.triggered.connect(self.choice.clear)
        menu.exec(event.globalPos())


class RadioChoice(QObject):
    """One answer given by radio buttons: the buttons, their values, and the user's choice.

    The buttons are created as children of `host` and laid out by the caller (in a row, a
    grid, under column headers). `chosen` is emitted only for a person's choice, never when
    `set_value` shows a stored answer.

    Signals:
        chosen(object): the value chosen, or None when the answer was cleared.
    """

    chosen = Signal(object)

    def __init__(
        self,
        values: Sequence[Any],
        texts: Sequence[str],
        group_name: str,
        host: QWidget,
        *,
        show_text: bool = True,
        not_asked: str | None = None,
    ) -> None:
        super().__init__(host)
        self.values = tuple(values)
        self.group_name = group_name
        self.group = QButtonGroup(self)
        ring = _ring_palette(host)
        self.buttons: list[AnswerRadio] = []
        for index, text in enumerate(texts):
            button = AnswerRadio(text if show_text else "", host, self)
            button.setAccessibleName(text)
            button.setAccessibleDescription(group_name)
            if not show_text:
                button.setToolTip(text)
            if ring is not None:
                button.setPalette(ring)
            self.group.addButton(button, index)
            self.buttons.append(button)
        self.not_asked_button: AnswerRadio | None = None
        if not_asked is not None:
            button = AnswerRadio(not_asked, host, self)
            button.setAccessibleName(not_asked)
            button.setAccessibleDescription(group_name)
            button.setForegroundRole(QPalette.ColorRole.PlaceholderText)
            if ring is not None:
                button.setPalette(ring)
            self.group.addButton(button, len(self.values))
            self.not_asked_button = button
            button.setChecked(True)
        self.group.idClicked.connect(self._clicked)
        self._update_tab_stop()

    def all_buttons(self) -> list[AnswerRadio]:
        extra = [self.not_asked_button] if self.not_asked_button is not None else []
        return [*self.buttons, *extra]

    def index_of(self, value: Any) -> int | None:
        for index, candidate in enumerate(self.values):
            # True == 1 in Python: compare types too, so a yes never shows as a 1.
            if type(candidate) is type(value) and candidate == value:
                return index
        return None

    def value(self) -> Any:
        index = self.group.checkedId()
        return self.values[index] if 0 <= index < len(self.values) else None

    def set_value(self, value: Any) -> None:
        """Show a stored answer (no signal)."""
        index = None if value is None else self.index_of(value)
        if index is not None:
            self.buttons[index].setChecked(True)
        elif self.not_asked_button is not None:
            self.not_asked_button.setChecked(True)
        else:
            checked = self.group.checkedButton()
            if checked is not None:
                # An exclusive group never unchecks its last button by itself.
                self.group.setExclusive(False)
                checked.setChecked(False)
                self.group.setExclusive(True)
        self._update_tab_stop()

    def set_enabled(self, enabled: bool) -> None:
        for button in self.all_buttons():
            button.setEnabled(enabled)

    def focus_target(self) -> AnswerRadio:
        """The button Tab lands on: the chosen option, or the first while unanswered."""
        index = self.group.checkedId()
        return self.buttons[index] if 0 <= index < len(self.buttons) else self.buttons[0]

    def _update_tab_stop(self) -> None:
        # Tab enters the group at its answer (arrows then change it) or, unanswered, at the
        # first option (Space then chooses it), never at "not asked".
        stop = self.focus_target()
        for button in self.all_buttons():
            policy = Qt.FocusPolicy.StrongFocus if button is stop else Qt.FocusPolicy.ClickFocus
            if button.focusPolicy() != policy and not button.hasFocus():
                button.setFocusPolicy(policy)

    def clear(self) -> None:
        """Clear the answer back to "not asked", as the person's choice."""
        if self.value() is None:
            return
        self.set_value(None)
        self.chosen.emit(None)

    def _clicked(self, index: int) -> None:
        self._update_tab_stop()
        self.chosen.emit(self.values[index] if 0 <= index < len(self.values) else None)


class FlowLayout(QLayout):
    """Lays items out in a row and wraps them onto the next line when the width runs out.

    Keeps options of a choice on one line at comfortable widths and on two at narrow ones,
    instead of forcing the whole form wider than the window.
    """

    def __init__(
        self, parent: QWidget | None = None, spacing: int = 22, line_spacing: int = 6
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        # Layouts ask the same width many times while a form settles; answer from memory.
        self._height_for: tuple[int, int] | None = None
        self._spacing = spacing
        self._line_spacing = line_spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt API)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 (Qt API)
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 (Qt API)
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt API)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt API)
        if self._height_for is None or self._height_for[0] != width:
            self._height_for = (width, self._arrange(QRect(0, 0, width, 0), move=False))
        return self._height_for[1]

    def invalidate(self) -> None:
        self._height_for = None
        super().invalidate()

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 (Qt API)
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        width = sum(item.sizeHint().width() for item in self._items)
        width += self._spacing * max(0, len(self._items) - 1)
        height = max((item.sizeHint().height() for item in self._items), default=0)
        margins = self.contentsMargins()
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:  # noqa: N802 (Qt API)
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x = area.x()
                y += line_height + self._line_spacing
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()


class StatusLine(QWidget):
    """One line of text that changes often (a live score) without re-laying out the form.

    A QLabel asks its layout to recompute on every new text, and inside a long form that
    costs tens of milliseconds per answer; this line's size never depends on its text, so a
    change only repaints it. Too long a text is elided, in full in the tooltip.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._colour: QColor | None = None
        self._strong = False
        bold = QFont(self.font())
        bold.setWeight(QFont.Weight.DemiBold)
        self._height = max(self.fontMetrics().height(), QFontMetrics(bold).height()) + 4
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self._height)

    def text(self) -> str:
        return self._text

    def show_text(self, text: str, colour: QColor | None = None, strong: bool = False) -> None:
        """Show `text` (in `colour`, the palette's text colour for None; bold if strong)."""
        if (text, colour, strong) == (self._text, self._colour, self._strong):
            return
        self._text, self._colour, self._strong = text, colour, strong
        self.setAccessibleDescription(text)
        self.setToolTip(text)
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self.fontMetrics().averageCharWidth() * 40, self._height)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return QSize(self.fontMetrics().averageCharWidth() * 10, self._height)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        font = QFont(self.font())
        if self._strong:
            font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(self._colour or self.palette().color(QPalette.ColorRole.WindowText))
        metrics = QFontMetrics(font)
        text = metrics.elidedText(self._text, Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(
            self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
        )
        painter.end()


class StripedGrid(QWidget):
    """A grid whose rows are shaded alternately, so the eye follows a long item to its options.

    One row at a time may be highlighted (when an indicator's evidence points at it).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(2)
        self.striped_rows: list[int] = []
        self.highlighted_row: int | None = None

    def row_rect(self, row: int) -> QRectF:
        # QGridLayout.cellRect stays empty here; the row's items know their geometry.
        top, bottom = None, None
        for column in range(self.grid.columnCount()):
            item = self.grid.itemAtPosition(row, column)
            if item is None:
                continue
            geometry = item.geometry()
            top = geometry.top() if top is None else min(top, geometry.top())
            bottom = geometry.bottom() if bottom is None else max(bottom, geometry.bottom())
        if top is None or bottom is None:
            return QRectF()
        return QRectF(0, top - 1, self.width(), bottom - top + 3)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        stripe = self.palette().color(QPalette.ColorRole.AlternateBase)
        for row in self.striped_rows:
            painter.fillRect(self.row_rect(row), stripe)
        if self.highlighted_row is not None:
            painter.fillRect(self.row_rect(self.highlighted_row), highlight_colour(self))
        painter.end()
        super().paintEvent(event)


def highlight_colour(widget: QWidget) -> QColor:
    """A soft tint of the palette's highlight, readable under text in light and dark."""
    palette = widget.palette()
    base = palette.color(QPalette.ColorRole.Base)
    accent = palette.color(QPalette.ColorRole.Highlight)
    mix = 0.3
    return QColor(
        round(base.red() * (1 - mix) + accent.red() * mix),
        round(base.green() * (1 - mix) + accent.green() * mix),
        round(base.blue() * (1 - mix) + accent.blue() * mix),
    )


# ------------------------------------------------------------------------------ editors


class AnswerEditor(QFrame):
    """Base of the form's editors: one question, one instrument, or the activity list.

    Attributes:
        answer_ids: the answers this editor shows, in reading order.
        visibility_toggle: the control choosing who may see the answers, if any.
    """

    def __init__(self, form: FormContext, answer_ids: Sequence[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.form = form
        self.answer_ids = tuple(answer_ids)
        self.visibility_toggle: VisibilityToggle | None = None
        self.highlighted = False
        self._palette_before: QPalette | None = None
        self._highlight_timer = QTimer(self)
        self._highlight_timer.setSingleShot(True)
        self._highlight_timer.timeout.connect(self._end_highlight)

    def refresh(self, answer_id: str | None = None) -> None:
        """Show the stored answer(s) again, without emitting a change."""
        raise NotImplementedError

    def refresh_scores(self) -> None:
        """Show the latest scores (instruments only)."""

    def refresh_visibility(self) -> None:
        if self.visibility_toggle is not None:
            self.visibility_toggle.refresh()

    def commit_pending(self) -> None:
        """Save what is typed but not saved yet (free text only)."""

    def focus_target(self, answer_id: str | None = None) -> QWidget:
        """The first input of the answer (or of the editor)."""
        raise NotImplementedError

    def highlight(self, answer_id: str | None = None) -> None:
        """Tint the editor briefly, so the eye finds the answer it was sent to."""
        if self._palette_before is None:
            self._palette_before = QPalette(self.palette())
            self._palette_before.setResolveMask(self.palette().resolveMask())
        self.highlighted = True
        self.setAutoFillBackground(True)
        palette = QPalette(self.palette())
        palette.setColor(QPalette.ColorRole.Window, highlight_colour(self))
        self.setPalette(palette)
        self._highlight_timer.start(HIGHLIGHT_MS)

    def _end_highlight(self) -> None:
        self.highlighted = False
        self.setAutoFillBackground(False)
        if self._palette_before is not None:
            self.setPalette(self._palette_before)
            self._palette_before = None
        self.update()


def _header(
    editor: AnswerEditor, title: QLabel, private: bool, toggle_subject: str | None
) -> QHBoxLayout:
    """The first line of an editor: its title, then the clinician-only mark or the toggle."""
    row = QHBoxLayout()
    row.setSpacing(12)
    row.addWidget(title, 1)
    if private:
        row.addWidget(PrivacyMark(editor), 0, Qt.AlignmentFlag.AlignTop)
    elif toggle_subject is not None:
        editor.visibility_toggle = VisibilityToggle(
            editor.form, editor.answer_ids, toggle_subject, editor
        )
        row.addWidget(editor.visibility_toggle, 0, Qt.AlignmentFlag.AlignTop)
    return row


class AnswerTextEdit(QPlainTextEdit):
    """Free text that saves itself after a short pause and when the focus leaves.

    Typing in one answer is one undo step: the case merges consecutive text changes of the
    same answer.

    Signals:
        committed(object): the text to store (None when empty).
    """

    committed = Signal(object)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        lines = 3
        margins = self.contentsMargins()
        frame = self.frameWidth() * 2 + margins.top() + margins.bottom()
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + frame + 12)
        self._setting = False
        self._dirty = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(TEXT_SAVE_DELAY_MS)
        self.timer.timeout.connect(self.commit)
        self.textChanged.connect(self._typed)

    def _typed(self) -> None:
        if self._setting:
            return
        self._dirty = True
        self.timer.start()

    def commit(self) -> None:
        """Store the text now, if it changed since it was last stored."""
        self.timer.stop()
        if not self._dirty:
            return
        self._dirty = False
        text = self.toPlainText()
        self.committed.emit(text if text.strip() else None)

    def show_value(self, value: object) -> None:
        """Show a stored answer (no change emitted; the cursor stays where it was if possible)."""
        text = value if isinstance(value, str) else ""
        if text == self.toPlainText():
            return
        self.timer.stop()
        self._dirty = False
        self._setting = True
        try:
            position = self.textCursor().position()
            self.setPlainText(text)
            cursor = self.textCursor()
            cursor.setPosition(min(position, len(text)))
            self.setTextCursor(cursor)
        finally:
            self._setting = False

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt API)
        self.commit()
        super().focusOutEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt API)
        self.commit()
        super().hideEvent(event)


class QuestionEditor(AnswerEditor):
    """One questionnaire question: yes/no, a scale, a choice, or free text."""

    def __init__(self, form: FormContext, question: Question, parent: QWidget) -> None:
        super().__init__(form, (question.id,), parent)
        self.question = question
        self.choice: RadioChoice | None = None
        self.text_edit: AnswerTextEdit | None = None
        self.setObjectName("question")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(4)
        title = text_label(question.label, self, weight=QFont.Weight.DemiBold)
        title.setObjectName("questionLabel")
        layout.addLayout(_header(self, title, question.always_clinician_only, "this answer"))
        if question.help:
            layout.addWidget(text_label(question.help, self, muted=True))
        if question.note:
            layout.addWidget(text_label(question.note, self, muted=True, scale=0.9, italic=True))
        layout.addSpacing(4)
        name = form.group_name(question.label)
        if question.type in ("yes_no", "choice"):
            if question.type == "yes_no":
                values: list[Any] = [True, False]
                texts = ["Yes", "No"]
            else:
                values = [o.value for o in question.options]
                texts = [o.label for o in question.options]
            box = QWidget(self)
            box.setAccessibleName(name)
            self.choice = RadioChoice(values, texts, name, box, not_asked="Not asked")
            row = FlowLayout(box)
            for button in self.choice.all_buttons():
                row.addWidget(button)
            layout.addWidget(box)
        elif question.type == "scale":
            layout.addWidget(self._scale(question, name))
        else:
            self.text_edit = AnswerTextEdit(self)
            self.text_edit.setAccessibleName(name)
            self.text_edit.setPlaceholderText("Not asked yet")
            self.text_edit.committed.connect(self._text_committed)
            layout.addWidget(self.text_edit)
        if self.choice is not None:
            self.choice.chosen.connect(self._chosen)
        self.refresh()

    def _scale(self, question: Question, name: str) -> QWidget:
        low, high = question.min, question.max
        assert low is not None
        assert high is not None
        values = list(range(low, high + 1))
        box = QWidget(self)
        box.setAccessibleName(name)
        self.choice = RadioChoice(
            values, [str(v) for v in values], name, box, not_asked="Not asked"
        )
        for point in question.anchors:
            button = self.choice.buttons[point.value - low]
            button.setAccessibleName(f"{point.value}: {point.label}")
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        for column, button in enumerate(self.choice.buttons):
            grid.addWidget(button, 0, column)
        assert self.choice.not_asked_button is not None
        grid.setColumnMinimumWidth(len(values), 18)
        grid.addWidget(self.choice.not_asked_button, 0, len(values) + 1)
        grid.setColumnStretch(len(values) + 2, 1)
        for anchor, column, span, align in _anchor_places(question.anchors, low, len(values)):
            label = text_label(anchor.label, box, muted=True, scale=0.9)
            label.setAlignment(align | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, 1, column, 1, span)
        return box

    def refresh(self, answer_id: str | None = None) -> None:
        value = self.form.value(self.question.id)
        if self.choice is not None:
            self.choice.set_value(value)
        elif self.text_edit is not None:
            self.text_edit.show_value(value)
        self.refresh_visibility()

    def focus_target(self, answer_id: str | None = None) -> QWidget:
        if self.choice is not None:
            return self.choice.focus_target()
        assert self.text_edit is not None
        return self.text_edit

    def commit_pending(self) -> None:
        if self.text_edit is not None:
            self.text_edit.commit()

    def _chosen(self, value: object) -> None:
        verb = "Clear" if value is None else "Answer"
        self.form.set(self.question.id, value, f"{verb}: {short(self.question.label)}")  # type: ignore[arg-type]

    def _text_committed(self, value: object) -> None:
        self.form.set(self.question.id, value, f"Edit: {short(self.question.label)}")  # type: ignore[arg-type]


def _anchor_places(
    anchors: Sequence[ScaleAnchor], low: int, count: int
) -> list[tuple[ScaleAnchor, int, int, Qt.AlignmentFlag]]:
    """Where each anchor label sits under a row of `count` scale points: column, span, align.

    Every point labelled: each under its own point. A few labels: the lowest left-aligned,
    the highest right-aligned, the others centred, each over a span wide enough to read.
    """
    ordered = sorted(anchors, key=lambda a: a.value)
    if len(ordered) >= count:
        return [(a, a.value - low, 1, Qt.AlignmentFlag.AlignHCenter) for a in ordered]
    span = max(1, count // len(ordered))
    places: list[tuple[ScaleAnchor, int, int, Qt.AlignmentFlag]] = []
    for anchor in ordered:
        column = anchor.value - low
        if column == 0:
            places.append((anchor, 0, span, Qt.AlignmentFlag.AlignLeft))
        elif column == count - 1:
            places.append((anchor, count - span, span, Qt.AlignmentFlag.AlignRight))
        else:
            start = max(0, column - span // 2)
            places.append((anchor, start, min(span, count - start), Qt.AlignmentFlag.AlignHCenter))
    return places


def _header_label(text: str, parent: QWidget, *, wrap_words: bool = False) -> QLabel:
    """A column header: as narrow as its longest word allows (compact grids) or a phrase."""
    label = text_label(text, parent, muted=True, scale=0.92)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
    metrics = label.fontMetrics()
    longest_word = max(metrics.horizontalAdvance(word) for word in text.split())
    if wrap_words:
        width = longest_word
    else:
        width = max(
            longest_word, min(metrics.horizontalAdvance(text), metrics.averageCharWidth() * 14)
        )
    width = max(width, metrics.height() * 2) + 8
    label.setMinimumWidth(width)
    label.setMaximumWidth(width)
    return label


class _InstrumentBase(AnswerEditor):
    """Title, measure, stem and the notes every instrument shows; the score line below."""

    def __init__(self, form: FormContext, instrument: Instrument, parent: QWidget) -> None:
        super().__init__(form, (instrument.id,), parent)
        self.instrument = instrument
        self.setObjectName("question")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(10, 8, 10, 10)
        self.layout_.setSpacing(6)
        title = text_label(
            f"{instrument.title}: {instrument.full_title}", self, weight=QFont.Weight.DemiBold
        )
        title.setObjectName("questionLabel")
        # Instrument answers and scores are never couple-facing (clinical.visibility rule 1).
        self.layout_.addLayout(_header(self, title, True, None))
        self.layout_.addWidget(text_label(instrument.measures, self, muted=True))
        self.score_label = StatusLine(self)
        self.score_label.setObjectName("instrumentScore")
        self.score_label.setAccessibleName(f"{instrument.title} score")

    def _finish(self) -> None:
        self.layout_.addWidget(self.score_label)
        attribution = text_label(self.instrument.attribution, self, muted=True, scale=0.85)
        attribution.setObjectName("attribution")
        self.layout_.addWidget(attribution)
        self.refresh()

    def refresh_scores(self) -> None:
        owner = self.form.owner
        if owner is None:
            return
        score = self.form.case.evaluation.score(owner, self.instrument.id)
        high = self.instrument.total_range[1]
        look = "muted"
        if score is None:
            text = "Not scored"
        elif score.total is None:
            text = f"Score: not yet ({score.answered} of {score.item_count} items answered)"
        else:
            threshold = ""
            if self.instrument.partner_threshold is not None:
                threshold = f" (threshold {score.threshold} for this partner)"
            mark = severity_icon("essential") + " " if score.positive else ""
            text = f"{mark}Score: {score.total} of {high} · {score.band_label}{threshold}"
            look = "positive" if score.positive else "plain"
        if look == "positive":
            colour: QColor | None = severity_colour("essential")
        elif look == "muted":
            colour = self.palette().color(QPalette.ColorRole.PlaceholderText)
        else:
            colour = None
        self.score_label.show_text(text, colour, strong=look == "positive")


class InstrumentEditor(_InstrumentBase):
    """A summed instrument (PHQ-9, GAD-7, AUDIT-C): one row of radio buttons per item.

    With shared anchors (PHQ-9, GAD-7) the anchors head the columns; with per-item response
    options (AUDIT-C) each item shows its own options under its text.
    """

    def __init__(self, form: FormContext, instrument: Instrument, parent: QWidget) -> None:
        super().__init__(form, instrument, parent)
        stem = text_label(instrument.stem, self, weight=QFont.Weight.DemiBold)
        self.layout_.addWidget(stem)
        if instrument.note:
            self.layout_.addWidget(text_label(instrument.note, self, muted=True))
        self.grid = StripedGrid(self)
        self.rows: list[RadioChoice] = []
        self.item_rows: list[int] = []
        grid = self.grid.grid
        per_item = any(item.options for item in instrument.items)
        if per_item:
            row = 0
            for item in instrument.items:
                name = form.group_name(f"{instrument.title} item {item.number}: {item.text}")
                grid.addWidget(text_label(f"{item.number}. {item.text}", self.grid), row, 0)
                box = QWidget(self.grid)
                box.setAccessibleName(name)
                options = item.options or instrument.anchors
                choice = RadioChoice(
                    [o.value for o in options], [o.label for o in options], name, box
                )
                line = FlowLayout(box, spacing=18)
                line.setContentsMargins(18, 0, 0, 4)
                for button in choice.buttons:
                    line.addWidget(button)
                grid.addWidget(box, row + 1, 0)
                self._add_choice(choice, item.number)
                self.item_rows.append(row)
                self.grid.striped_rows += [row, row + 1] if item.number % 2 == 0 else []
                row += 2
        else:
            anchors = instrument.anchors
            for column, anchor in enumerate(anchors, start=1):
                grid.addWidget(_header_label(anchor.label, self.grid), 0, column)
            grid.setColumnStretch(0, 1)
            for row, item in enumerate(instrument.items, start=1):
                name = form.group_name(f"{instrument.title} item {item.number}: {item.text}")
                text = text_label(f"{item.number}. {item.text}", self.grid)
                text.setContentsMargins(4, 3, 0, 3)
                grid.addWidget(text, row, 0)
                choice = RadioChoice(
                    [a.value for a in anchors],
                    [a.label for a in anchors],
                    name,
                    self.grid,
                    show_text=False,
                )
                for column, button in enumerate(choice.buttons, start=1):
                    grid.addWidget(button, row, column, Qt.AlignmentFlag.AlignCenter)
                self._add_choice(choice, item.number)
                self.item_rows.append(row)
                if row % 2 == 0:
                    self.grid.striped_rows.append(row)
        self.layout_.addWidget(self.grid)
        self._finish()

    def _add_choice(self, choice: RadioChoice, number: int) -> None:
        choice.chosen.connect(lambda value, n=number: self._item_chosen(n, value))
        self.rows.append(choice)

    def _items(self) -> list[int | None]:
        value = self.form.value(self.instrument.id)
        count = self.instrument.item_count
        if isinstance(value, tuple) and len(value) == count:
            return [v if isinstance(v, int) else None for v in value]
        return [None] * count

    def _item_chosen(self, number: int, value: object) -> None:
        items = self._items()
        items[number - 1] = value if isinstance(value, int) else None
        new: AnswerValue = None if all(v is None for v in items) else tuple(items)
        verb = "Clear" if value is None else "Answer"
        self.form.set(self.instrument.id, new, f"{verb}: {self.instrument.title} item {number}")

    def refresh(self, answer_id: str | None = None) -> None:
        for choice, value in zip(self.rows, self._items(), strict=True):
            choice.set_value(value)
        self.refresh_scores()

    def focus_target(self, answer_id: str | None = None) -> QWidget:
        return self.rows[self._item_index(answer_id)].focus_target()

    def _item_index(self, answer_id: str | None) -> int:
        # Evidence names items as "phq9.item9"; anything else means the first item.
        suffix = (answer_id or "").rpartition(".item")[2]
        if suffix.isdigit() and 1 <= int(suffix) <= len(self.rows):
            return int(suffix) - 1
        return 0

    def highlight(self, answer_id: str | None = None) -> None:
        if answer_id and ".item" in answer_id:
            # One item named: only its row is tinted, so it stands out from its neighbours.
            self.highlighted = True
            self.grid.highlighted_row = self.item_rows[self._item_index(answer_id)]
            self.grid.update()
            self._highlight_timer.start(HIGHLIGHT_MS)
        else:
            super().highlight(answer_id)

    def _end_highlight(self) -> None:
        self.grid.highlighted_row = None
        self.grid.update()
        if self._palette_before is not None:
            super()._end_highlight()
        self.highlighted = False


class PtsdScreenEditor(_InstrumentBase):
    """PC-PTSD-5: the exposure question first; the five items open only after a yes."""

    def __init__(self, form: FormContext, instrument: Instrument, parent: QWidget) -> None:
        super().__init__(form, instrument, parent)
        gate = instrument.gate
        assert gate is not None
        self.layout_.addWidget(text_label(gate.preamble, self))
        self.layout_.addWidget(text_label(gate.question, self, weight=QFont.Weight.DemiBold))
        gate_name = form.group_name(f"{instrument.title}: {gate.question}")
        gate_box = QWidget(self)
        gate_box.setAccessibleName(gate_name)
        self.gate = RadioChoice(
            (True, False),
            (gate.yes_label, gate.no_label),
            gate_name,
            gate_box,
            not_asked="Not asked",
        )
        line = FlowLayout(gate_box)
        for button in self.gate.all_buttons():
            line.addWidget(button)
        self.layout_.addWidget(gate_box)
        self.gate.chosen.connect(self._gate_chosen)
        self.not_exposed_note = text_label(gate.when_not_exposed, self, muted=True)
        self.layout_.addWidget(self.not_exposed_note)
        self.stem = text_label(instrument.stem, self, weight=QFont.Weight.DemiBold)
        self.layout_.addWidget(self.stem)
        self.grid = StripedGrid(self)
        grid = self.grid.grid
        anchors = instrument.anchors
        for column, anchor in enumerate(anchors, start=1):
            grid.addWidget(_header_label(anchor.label, self.grid), 0, column)
        grid.setColumnStretch(0, 1)
        self.rows: list[RadioChoice] = []
        for row, item in enumerate(instrument.items, start=1):
            name = form.group_name(f"{instrument.title} item {item.number}: {item.text}")
            text = text_label(f"{item.number}. {item.text}", self.grid)
            text.setContentsMargins(4, 3, 0, 3)
            grid.addWidget(text, row, 0)
            choice = RadioChoice(
                [a.value for a in anchors],
                [a.label for a in anchors],
                name,
                self.grid,
                show_text=False,
            )
            for column, button in enumerate(choice.buttons, start=1):
                grid.addWidget(button, row, column, Qt.AlignmentFlag.AlignCenter)
            choice.chosen.connect(lambda value, n=item.number: self._item_chosen(n, value))
            self.rows.append(choice)
            if row % 2 == 0:
                self.grid.striped_rows.append(row)
        self.layout_.addWidget(self.grid)
        self._finish()

    def _answer(self) -> PtsdScreenAnswer:
        value = self.form.value(self.instrument.id)
        if isinstance(value, PtsdScreenAnswer):
            return value
        return PtsdScreenAnswer(items=(None,) * self.instrument.item_count)

    def _store(self, answer: PtsdScreenAnswer, label: str) -> None:
        empty = answer.exposed is None and all(v is None for v in answer.items)
        self.form.set(self.instrument.id, None if empty else answer, label)

    def _gate_chosen(self, value: object) -> None:
        old = self._answer()
        exposed = value if isinstance(value, bool) else None
        # Items given before a "no" are kept (not scored) so that a corrected "yes" keeps them.
        self._store(
            PtsdScreenAnswer(exposed=exposed, items=old.items),
            f"Answer: {self.instrument.title} exposure question",
        )

    def _item_chosen(self, number: int, value: object) -> None:
        old = self._answer()
        items = list(old.items)
        items[number - 1] = value if isinstance(value, int) else None
        verb = "Clear" if value is None else "Answer"
        self._store(
            PtsdScreenAnswer(exposed=old.exposed, items=tuple(items)),
            f"{verb}: {self.instrument.title} item {number}",
        )

    def refresh(self, answer_id: str | None = None) -> None:
        answer = self._answer()
        self.gate.set_value(answer.exposed)
        for choice, value in zip(self.rows, answer.items, strict=True):
            choice.set_value(value)
            choice.set_enabled(answer.exposed is True)
        self.not_exposed_note.setVisible(answer.exposed is False)
        self.refresh_scores()

    def focus_target(self, answer_id: str | None = None) -> QWidget:
        suffix = (answer_id or "").rpartition(".item")[2]
        if suffix.isdigit() and 1 <= int(suffix) <= len(self.rows) and self._answer().exposed:
            return self.rows[int(suffix) - 1].focus_target()
        return self.gate.focus_target()


class ActivityGridEditor(AnswerEditor):
    """The activity list: rows of activities grouped by class; giving, receiving, experience.

    Each activity's tier shows as a small shape, its words and the activity's description in
    the tooltip. One control chooses who may see the list's answers.
    """

    def __init__(self, form: FormContext, activity_ids: Sequence[str], parent: QWidget) -> None:
        super().__init__(form, [ACTIVITY_PREFIX + a for a in activity_ids], parent)
        content = form.content
        spec = content.questionnaire.activity_grid
        self.setObjectName("question")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 10)
        layout.setSpacing(6)
        title = text_label("The activity list", self, weight=QFont.Weight.DemiBold)
        title.setObjectName("questionLabel")
        layout.addLayout(_header(self, title, False, "the activity answers"))
        layout.addWidget(text_label(spec.intro, self))
        legend = "   ".join(
            f"{TIER_MARKS[tier_id]} {tier.label}" for tier_id, tier in content.tiers.items()
        )
        legend_label = text_label(legend, self, muted=True, scale=0.92)
        legend_label.setAccessibleName("Risk tiers: " + legend)
        layout.addWidget(legend_label)

        self.grid = StripedGrid(self)
        grid = self.grid.grid
        grid.setVerticalSpacing(1)
        responses = list(spec.response_labels.items())
        experiences = list(spec.experience_labels.items())
        gap = self.fontMetrics().horizontalAdvance("M")
        # Columns: activity, tier mark, giving x4, gap, receiving x4, gap, experience x3.
        giving_start, receiving_start = 2, 3 + len(responses)
        experience_start = receiving_start + len(responses) + 1
        grid.setColumnStretch(0, 1)
        grid.setColumnMinimumWidth(giving_start + len(responses), gap)
        grid.setColumnMinimumWidth(receiving_start + len(responses), gap)
        for start, count, text in (
            (giving_start, len(responses), spec.giving_label),
            (receiving_start, len(responses), spec.receiving_label),
            (experience_start, len(experiences), spec.experience_label),
        ):
            label = text_label(text, self.grid, weight=QFont.Weight.DemiBold, scale=0.92)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
            grid.addWidget(label, 0, start, 1, count)
        for start, labels in (
            (giving_start, responses),
            (receiving_start, responses),
            (experience_start, experiences),
        ):
            for offset, (_, words) in enumerate(labels):
                header = _header_label(words, self.grid, wrap_words=True)
                grid.addWidget(header, 1, start + offset)

        self.row_of: dict[str, int] = {}
        self.choices: dict[str, tuple[RadioChoice, RadioChoice, RadioChoice]] = {}
        row = 2
        by_class: dict[str, list[Activity]] = {}
        for activity_id in activity_ids:
            activity = content.activities[activity_id]
            by_class.setdefault(activity.activity_class, []).append(activity)
        for class_id, activities in by_class.items():
            heading = text_label(
                content.classes[class_id].label if class_id in content.classes else class_id,
                self.grid,
                weight=QFont.Weight.DemiBold,
            )
            heading.setContentsMargins(0, 8, 0, 2)
            grid.addWidget(heading, row, 0, 1, 2)
            row += 1
            for index, activity in enumerate(activities):
                self._add_activity(activity, row, (giving_start, receiving_start, experience_start))
                if index % 2 == 1:
                    self.grid.striped_rows.append(row)
                row += 1
        layout.addWidget(self.grid)
        self.refresh()

    def _add_activity(self, activity: Activity, row: int, starts: tuple[int, int, int]) -> None:
        form = self.form
        spec = form.content.questionnaire.activity_grid
        grid = self.grid.grid
        tier = form.content.tiers.get(activity.tier)
        tier_words = tier.label if tier is not None else activity.tier
        tip = f"{activity.label} ({tier_words})\n{activity.description}".strip()
        label = text_label(activity.label, self.grid)
        label.setContentsMargins(4, 2, 0, 2)
        label.setToolTip(tip)
        grid.addWidget(label, row, 0)
        mark = QLabel(TIER_MARKS.get(activity.tier, "·"), self.grid)
        mark.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        mark.setToolTip(tip)
        mark.setAccessibleName(tier_words)
        grid.addWidget(mark, row, 1, Qt.AlignmentFlag.AlignCenter)
        made: list[RadioChoice] = []
        for part, start, options in (
            ("giving", starts[0], spec.response_labels),
            ("receiving", starts[1], spec.response_labels),
            ("experience", starts[2], spec.experience_labels),
        ):
            part_label = {
                "giving": spec.giving_label,
                "receiving": spec.receiving_label,
                "experience": spec.experience_label,
            }[part]
            name = form.group_name(f"{activity.label}, {part_label}")
            choice = RadioChoice(
                list(options), list(options.values()), name, self.grid, show_text=False
            )
            for offset, button in enumerate(choice.buttons):
                button.setToolTip(f"{activity.label}, {part_label}: {button.accessibleName()}")
                grid.addWidget(button, row, start + offset, Qt.AlignmentFlag.AlignCenter)
            choice.chosen.connect(lambda value, a=activity, p=part: self._chosen(a, p, value))
            made.append(choice)
        self.choices[activity.id] = (made[0], made[1], made[2])
        self.row_of[activity.id] = row

    def _chosen(self, activity: Activity, part: str, value: object) -> None:
        answer_id = ACTIVITY_PREFIX + activity.id
        old = self.form.value(answer_id)
        current = old if isinstance(old, ActivityAnswer) else ActivityAnswer()
        parts = {
            "giving": current.giving,
            "receiving": current.receiving,
            "experience": current.experience,
        }
        parts[part] = value  # type: ignore[assignment]
        new = ActivityAnswer(**parts)  # type: ignore[arg-type]
        stored: AnswerValue = None if new == ActivityAnswer() else new
        verb = "Clear" if value is None else "Answer"
        self.form.set(answer_id, stored, f"{verb}: {activity.label}, {part}")

    def refresh(self, answer_id: str | None = None) -> None:
        ids = self.choices if answer_id is None else [answer_id.removeprefix(ACTIVITY_PREFIX)]
        for activity_id in ids:
            choices = self.choices.get(activity_id)
            if choices is None:
                continue
            value = self.form.value(ACTIVITY_PREFIX + activity_id)
            answer = value if isinstance(value, ActivityAnswer) else ActivityAnswer()
            choices[0].set_value(answer.giving)
            choices[1].set_value(answer.receiving)
            choices[2].set_value(answer.experience)
        self.refresh_visibility()

    def _activity_of(self, answer_id: str | None) -> str:
        # "activity.gag" or evidence's "activity.gag.giving" -> "gag"
        if answer_id and answer_id.startswith(ACTIVITY_PREFIX):
            activity_id = answer_id.removeprefix(ACTIVITY_PREFIX).split(".")[0]
            if activity_id in self.choices:
                return activity_id
        return next(iter(self.choices))

    def focus_target(self, answer_id: str | None = None) -> QWidget:
        return self.choices[self._activity_of(answer_id)][0].focus_target()

    def highlight(self, answer_id: str | None = None) -> None:
        # Only the row is tinted: the whole list is too large to flash.
        self.highlighted = True
        self.grid.highlighted_row = self.row_of[self._activity_of(answer_id)]
        self.grid.update()
        self._highlight_timer.start(HIGHLIGHT_MS)

    def _end_highlight(self) -> None:
        self.highlighted = False
        self.grid.highlighted_row = None
        self.grid.update()


def make_editor(form: FormContext, question: Question, parent: QWidget) -> AnswerEditor:
    """The editor for one question of the questionnaire."""
    if question.type == "instrument":
        assert question.instrument is not None
        instrument = form.content.instruments[question.instrument]
        if instrument.gate is not None:
            return PtsdScreenEditor(form, instrument, parent)
        return InstrumentEditor(form, instrument, parent)
    return QuestionEditor(form, question, parent)
