"""Practice-wide search (Ctrl+Shift+F): cases by name, session notes by their words.

Results show the matching words in bold inside a snippet, newest notes first; Enter or a
double-click opens the case with that note on its notes page. Psychotherapy notes are searched
only when the box is ticked, for that one search: the search is recorded in the audit trail
(never the words) and the box unticks itself afterwards.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from db.services.search import MARK_END, MARK_START, SearchHit, SearchResults, search_vault
from ui.tasks import describe_error
from ui.vault_access import VaultGateway
from ui.workspace.notes_models import format_day

if TYPE_CHECKING:
    from ui.main_window import MainWindow

Index = QModelIndex | QPersistentModelIndex

#: The hit a row stands for; the row's rich text.
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2

KIND_WORDS = {
    "case": "Case",
    "note": "Session note",
    "psychotherapy-note": "Psychotherapy note",
}


def snippet_html(snippet: str) -> str:
    """A snippet as rich text: the text escaped, each match in bold."""
    escaped = html.escape(snippet)
    return escaped.replace(MARK_START, "<b>").replace(MARK_END, "</b>")


def snippet_plain(snippet: str) -> str:
    return snippet.replace(MARK_START, "").replace(MARK_END, "")


def hit_heading(hit: SearchHit) -> str:
    """The first line of a result: what it is, its case, its date."""
    bits = [KIND_WORDS[hit.kind], hit.case_label]
    if hit.session_date is not None:
        bits.append(format_day(hit.session_date))
    if hit.kind == "note":
        bits.append("signed" if hit.signed else "draft")
    if hit.is_demo:
        bits.append("DEMO, fictional")
    return "  ·  ".join(bits)


class SearchResultsModel(QAbstractListModel):
    """The hits of one search."""

    def __init__(self) -> None:
        super().__init__()
        self.hits: tuple[SearchHit, ...] = ()

    def set_hits(self, hits: tuple[SearchHit, ...]) -> None:
        self.beginResetModel()
        self.hits = hits
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.hits):
            return None
        hit = self.hits[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{hit_heading(hit)}\n{snippet_plain(hit.snippet)}"
        if role == HTML_ROLE:
            return (
                f"<div style='margin-bottom:2px'>{html.escape(hit_heading(hit))}</div>"
                f"<div>{snippet_html(hit.snippet)}</div>"
            )
        if role == HIT_ROLE:
            return hit
        return None


class SnippetDelegate(QStyledItemDelegate):
    """Paints a result's rich text (bold matches) in the palette's colours."""

    def _document(self, option: QStyleOptionViewItem, index: Index) -> QTextDocument:
        document = QTextDocument()
        document.setDefaultFont(option.font)
        hit = index.data(HIT_ROLE)
        if isinstance(hit, SearchHit):
            # The heading in the quiet colour, the snippet in the text colour (both turn to the
            # highlighted-text colour on the selected row).
            selected = bool(option.state & QStyle.StateFlag.State_Selected)
            quiet = option.palette.color(
                QPalette.ColorRole.HighlightedText
                if selected
                else QPalette.ColorRole.PlaceholderText
            ).name()
            document.setHtml(
                f"<div style='color:{quiet}'>{html.escape(hit_heading(hit))}</div>"
                f"<div>{snippet_html(hit.snippet)}</div>"
            )
        document.setTextWidth(max(option.rect.width() - 16, 100))
        return document

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget is not None else None
        text_option = QStyleOptionViewItem(option)
        text_option.text = ""
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, text_option, painter)
        document = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, option.palette.color(role))
        painter.save()
        painter.translate(option.rect.left() + 8, option.rect.top() + 6)
        painter.setClipRect(QRectF(0, 0, option.rect.width() - 16, option.rect.height()))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802
        self.initStyleOption(option, index)
        document = self._document(option, index)
        return QSize(int(document.idealWidth()) + 16, int(document.size().height()) + 12)


class ResultsView(QListView):
    """The results; Enter opens the current one, like a double-click."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt API)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class SearchDialog(QDialog):
    """The practice-wide search window.

    Signals:
        open_hit(object): the clinician chose a result (a SearchHit).
    """

    open_hit = Signal(object)

    #: Pause after typing before a search runs (psychotherapy searches wait for Enter).
    TYPING_PAUSE_MS = 350

    def __init__(self, gateway: VaultGateway, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Search the practice")
        self.gateway = gateway
        self.searches = 0
        self._sequence = 0
        self.last: SearchResults | None = None

        self.field = QLineEdit()
        self.field.setAccessibleName("Search words")
        self.field.setPlaceholderText("Words in session notes, a case name or a partner's name")
        self.field.setClearButtonEnabled(True)
        self.field.returnPressed.connect(self.search_now)
        self.field.textEdited.connect(self._typed)
        self.private_box = QCheckBox(
            "Also search &psychotherapy notes, for this search only (recorded in the audit trail)"
        )
        self.private_box.setAccessibleName("Also search psychotherapy notes for this search")
        self.status = QLabel("Type words and press Enter. All words must appear.")
        self.status.setWordWrap(True)
        self.status.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.status.setAccessibleName("Search status")

        self.model = SearchResultsModel()
        self.results = ResultsView()
        self.results.setAccessibleName("Search results")
        self.results.setModel(self.model)
        self.results.setItemDelegate(SnippetDelegate(self.results))
        self.results.setWordWrap(True)
        self.results.setSpacing(2)
        self.results.setAlternatingRowColors(True)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.activated.connect(self._open)
        self.results.doubleClicked.connect(self._open)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        label = QLabel("Search &for")
        label.setBuddy(self.field)
        layout.addWidget(label)
        layout.addWidget(self.field)
        layout.addWidget(self.private_box)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        layout.addWidget(buttons)
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 110, self.fontMetrics().lineSpacing() * 34)

        self.typing = QTimer(self)
        self.typing.setSingleShot(True)
        self.typing.setInterval(self.TYPING_PAUSE_MS)
        self.typing.timeout.connect(self._typing_paused)
        self.field.setFocus()

    # ------------------------------------------------------------------ searching

    def _typed(self) -> None:
        self.typing.start()

    def _typing_paused(self) -> None:
        # A psychotherapy search is a deliberate act: it waits for Enter.
        if not self.private_box.isChecked():
            self.search_now()

    def search_now(self) -> None:
        """Search for what is in the field (on the task runner; older answers are dropped)."""
        self.typing.stop()
        words = self.field.text()
        include_private = self.private_box.isChecked()
        self._sequence += 1
        sequence = self._sequence

        def arrived(results: SearchResults) -> None:
            if sequence != self._sequence:
                return
            self.searches += 1
            self.last = results
            self.model.set_hits(results.hits)
            self.status.setText(self._describe(results))
            if results.included_psychotherapy:
                self.private_box.setChecked(False)  # one search only
            if results.hits:
                self.results.setCurrentIndex(self.model.index(0, 0))

        def failed(error: BaseException) -> None:
            if sequence == self._sequence:
                self.status.setText(describe_error(error))

        self.status.setText("Searching…")
        self.gateway.call(
            lambda session: search_vault(session, words, include_psychotherapy=include_private),
            on_done=arrived,
            on_error=failed,
        )

    @staticmethod
    def _describe(results: SearchResults) -> str:
        if results.message:
            return results.message
        counts = []
        for count, one, many in (
            (len(results.cases), "case", "cases"),
            (len(results.notes), "session note", "session notes"),
            (len(results.psychotherapy_notes), "psychotherapy note", "psychotherapy notes"),
        ):
            if count:
                counts.append(f"{count} {one if count == 1 else many}")
        text = ("Found " + ", ".join(counts)) if counts else "Nothing found"
        if results.more:
            text += "; the newest are shown: add a word to narrow the search"
        if results.included_psychotherapy:
            text += ". Psychotherapy notes were included in this search (recorded)"
        return text + "."

    def _open(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.open_hit.emit(hit)


# ---------------------------------------------------------------------- main window wiring


def open_hit_in_window(window: MainWindow, hit: SearchHit) -> None:
    """Open a search result's case in the main window, with its note shown."""

    def show() -> None:
        workspace = window.workspace
        if workspace is None or workspace.case.case_id != hit.case_id or hit.note_id is None:
            return
        page = workspace.show_page_by_key("notes")
        if hit.kind == "note":
            getattr(page, "select_note", lambda _: None)(hit.note_id)
        elif hit.kind == "psychotherapy-note":
            getattr(page, "select_psychotherapy_note", lambda _: None)(hit.note_id)

    if window.workspace is not None and window.workspace.case.case_id == hit.case_id:
        show()
        return
    window.open_case(hit.case_id)
    # The task runner delivers results in order: this runs once the case has opened.
    window.gateway.run(lambda: None, on_done=lambda _: show())


def show_search(window: MainWindow) -> SearchDialog:
    """Open the search window over the main window (one at a time)."""
    existing = getattr(window, "search_dialog", None)
    if isinstance(existing, SearchDialog) and existing.isVisible():
        existing.activateWindow()
        existing.field.setFocus()
        existing.field.selectAll()
        return existing
    dialog = SearchDialog(window.gateway, window)
    dialog.open_hit.connect(lambda hit: open_hit_in_window(window, hit))
    window.search_dialog = dialog  # type: ignore[attr-defined]
    dialog.show()
    return dialog
