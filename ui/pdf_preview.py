"""A scrollable, zoomable preview of PDF bytes, its pages rendered off the UI thread.

Pages are drawn with PDFium (pypdfium2) on one background thread of this module's own, never
on the vault worker, so a preview never holds up a save, and never on the UI thread. PDFium is
not thread-safe: every call into it happens on that one thread. Nothing is written to disk:
the bytes stay in memory, so a previewed document leaves no temporary copy behind.
"""

from __future__ import annotations

import itertools
import queue
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QImage, QPalette, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

#: Points per inch in PDF space; pages are measured in points.
POINTS_PER_INCH = 72.0
PAGE_SPACING = 12
MIN_ZOOM, MAX_ZOOM = 0.3, 4.0


@dataclass(frozen=True)
class RenderedPages:
    """Pages drawn at one width: images in page order, or a reason they could not be drawn."""

    generation: int
    images: tuple[QImage, ...]
    problem: str = ""


def _render(data: bytes, password: str | None, width_px: int, ratio: float) -> list[QImage]:
    """Draw every page at `width_px` logical pixels wide (runs on the render thread only)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data, password=password or None)
    try:
        images = []
        for index in range(len(document)):
            page = document[index]
            try:
                page_width = page.get_width() or 612.0
                scale = max(0.05, width_px * ratio / page_width)
                bitmap = page.render(scale=scale, rev_byteorder=True)
                try:
                    image = QImage(
                        bytes(bitmap.buffer),
                        bitmap.width,
                        bitmap.height,
                        bitmap.stride,
                        QImage.Format.Format_RGB888
                        if bitmap.n_channels == 3
                        else QImage.Format.Format_RGBA8888,
                    ).copy()  # own the pixels: the bitmap's memory goes with it
                finally:
                    bitmap.close()
                image.setDevicePixelRatio(ratio)
                images.append(image)
            finally:
                page.close()
        return images
    finally:
        document.close()


class _RenderThread(QObject):
    """One thread for every PDFium call in the process; results come back as a signal."""

    finished = Signal(object, object)  # callback, RenderedPages

    def __init__(self) -> None:
        super().__init__()
        # Lives on the UI thread: the queued signal runs the callbacks there.
        self.finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self._jobs: queue.Queue[tuple[Callable[[RenderedPages], None], int, bytes, str | None,
                                      int, float]] = queue.Queue()  # fmt: skip
        self._thread = threading.Thread(target=self._loop, name="parley-pdf", daemon=True)
        self._thread.start()

    def submit(
        self,
        callback: Callable[[RenderedPages], None],
        generation: int,
        data: bytes,
        password: str | None,
        width_px: int,
        ratio: float,
    ) -> None:
        self._jobs.put((callback, generation, data, password, width_px, ratio))

    def _loop(self) -> None:
        while True:
            callback, generation, data, password, width_px, ratio = self._jobs.get()
            try:
                images = tuple(_render(data, password, width_px, ratio))
                result = RenderedPages(generation, images)
            except Exception as error:  # reported on screen by type only: no client data
                result = RenderedPages(
                    generation, (), f"The preview could not be drawn ({type(error).__name__})."
                )
            self.finished.emit(callback, result)

    @Slot(object, object)
    def _deliver(self, callback: Callable[[RenderedPages], None], result: RenderedPages) -> None:
        callback(result)


_render_thread: _RenderThread | None = None
_render_thread_lock = threading.Lock()


def _shared_render_thread() -> _RenderThread:
    global _render_thread
    with _render_thread_lock:
        if _render_thread is None:
            _render_thread = _RenderThread()
        return _render_thread


class PdfPreview(QScrollArea):
    """Shows a PDF's pages one under the other, fit to the width or zoomed.

    Signals:
        rendered(int): the pages of the current document are on screen (their number).
        failed(str): the document could not be drawn; the message is safe to show.
    """

    rendered = Signal(int)
    failed = Signal(str)

    _ids = itertools.count(1)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundRole(QPalette.ColorRole.Mid)
        self._pages = QWidget()
        self._pages.setBackgroundRole(QPalette.ColorRole.Mid)
        self._pages.setAutoFillBackground(True)
        self._layout = QVBoxLayout(self._pages)
        self._layout.setSpacing(PAGE_SPACING)
        self._layout.setContentsMargins(PAGE_SPACING, PAGE_SPACING, PAGE_SPACING, PAGE_SPACING)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.setWidget(self._pages)
        self._labels: list[QLabel] = []
        self._data: bytes | None = None
        self._password: str | None = None
        self._generation = 0
        self._shown_generation = -1
        self.zoom_factor: float | None = None  # None: fit the width
        self._rerender = QTimer(self)
        self._rerender.setSingleShot(True)
        self._rerender.setInterval(120)
        self._rerender.timeout.connect(self._request)
        self.page_count = 0

    # ------------------------------------------------------------------ public

    @property
    def is_ready(self) -> bool:
        """True when the current document's pages are drawn."""
        return self._data is not None and self._shown_generation == self._generation

    def load(self, data: bytes, password: str | None = None) -> None:
        """Show these PDF bytes (kept in memory only); the scroll position is kept."""
        self._data = data
        self._password = password
        self._request()

    def clear(self) -> None:
        self._data = None
        self._generation += 1
        self._set_images(())
        self.page_count = 0

    def zoom(self, factor: float) -> None:
        """Zoom by `factor` from what is shown now (leaves fit-to-width)."""
        current = self.zoom_factor or self._fit_zoom()
        self.zoom_factor = max(MIN_ZOOM, min(MAX_ZOOM, current * factor))
        self._request()

    def fit_width(self) -> None:
        self.zoom_factor = None
        self._request()

    # ------------------------------------------------------------------ rendering

    def _available_width(self) -> int:
        return max(200, self.viewport().width() - 2 * PAGE_SPACING)

    def _fit_zoom(self) -> float:
        # A4/Letter pages are about 8.3-8.5 inches wide; relative to that at 96 dpi.
        return self._available_width() / (8.3 * 96)

    def _target_width(self) -> int:
        if self.zoom_factor is None:
            return self._available_width()
        return int(self.zoom_factor * 8.3 * 96)

    def _request(self) -> None:
        if self._data is None:
            return
        self._generation += 1
        generation = self._generation
        me = weakref.ref(self)

        def arrived(result: RenderedPages) -> None:
            preview = me()
            # The preview may have been closed (the case locked) while its pages were drawn.
            if preview is not None and shiboken6.isValid(preview):
                preview._rendered(result)

        _shared_render_thread().submit(
            arrived,
            generation,
            self._data,
            self._password,
            self._target_width(),
            self.devicePixelRatioF(),
        )

    def _rendered(self, result: RenderedPages) -> None:
        if result.generation != self._generation:
            return  # a newer document or size is on its way
        if result.problem:
            self._set_images(())
            self._shown_generation = result.generation
            self.page_count = 0
            self.failed.emit(result.problem)
            return
        position = self.verticalScrollBar().value()
        self._set_images(result.images)
        self._shown_generation = result.generation
        self.page_count = len(result.images)
        # With `self` as context the call is dropped if the preview is deleted first.
        scroll_bar = self.verticalScrollBar()
        QTimer.singleShot(0, scroll_bar, lambda: scroll_bar.setValue(position))
        self.rendered.emit(self.page_count)

    def _set_images(self, images: tuple[QImage, ...]) -> None:
        while len(self._labels) > len(images):
            label = self._labels.pop()
            self._layout.removeWidget(label)
            label.deleteLater()
        while len(self._labels) < len(images):
            label = QLabel()
            label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            label.setFrameShape(QFrame.Shape.Box)
            self._labels.append(label)
            self._layout.addWidget(label)
        for number, (label, image) in enumerate(zip(self._labels, images, strict=True), 1):
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(f"Page {number} of {len(images)}")

    def resizeEvent(self, event: object) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.zoom_factor is None and self._data is not None:
            self._rerender.start()  # fit the new width once the resizing settles
