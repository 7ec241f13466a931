"""How big a settings dialog opens: its whole form shown without scrolling, the wrapped notes measured at the
width it gets, and never bigger than the room on the screen, where the form scrolls instead.

Left to itself Qt opens a window at no more than two thirds of the screen, and a dialog given a minimum
width of its own no longer takes its layout's larger minimum: at 200 % on a small screen the clinic
settings opened narrower than their form, cutting text off and sliding the logo under its buttons. So the
form sits in a scroll area, which never lays it out below its minimum, and the dialog is sized from the
form's own measurements.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QDialog, QFrame, QLayout, QLayoutItem, QScrollArea, QWidget

READABLE_CHARS = 110  # the narrowest the form is laid out at, in average characters: notes wrap to a few lines


class FormScrollArea(QScrollArea):
    """A frameless scroll area for a dialog's form (``setWidget``), giving the form all the room it has.

    Its size hint is the whole form's, at a readable width: QScrollArea's own stops at 36 by 24 lines, which
    would make a dialog sized to its hint scroll on any screen.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("formScroll")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest and watched is self.widget():
            self.updateGeometry()  # the form's size changed (polished, a message shown): so does this hint
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:
        form = self.widget()
        if form is None:
            return super().sizeHint()
        frame = 2 * self.frameWidth()
        width = max(form.fontMetrics().averageCharWidth() * READABLE_CHARS, form.minimumSizeHint().width(),
                    form.sizeHint().width())  # fmt: skip
        return QSize(width + frame, _height_of(form, width) + frame)


def fit_to_screen(dialog: QDialog, scroll: FormScrollArea, *, keep_width: bool = False) -> None:
    """Size ``dialog`` so that the form in ``scroll`` shows whole, as far as the screen allows.

    Args:
        dialog: a dialog whose layout is a column holding ``scroll`` among banners and buttons.
        scroll: the scroll area holding the form.
        keep_width: keep the dialog's width and fit only its height, for when a message appeared (the
            person may have made it wider, and the notes are wrapped at that width).
    """
    layout = dialog.layout()
    form = scroll.widget()
    if layout is None or form is None:
        return
    margins = layout.contentsMargins()
    edges = QSize(margins.left() + margins.right(), margins.top() + margins.bottom())
    frame = 2 * scroll.frameWidth()
    others = [item for item in _items(layout) if item.widget() is not scroll]
    if keep_width:
        width = dialog.width() - edges.width()
    else:
        width = max([scroll.sizeHint().width()] + [item.sizeHint().width() for item in others])
    height = _height_of(form, width - frame) + frame + sum(_item_height(item, width) for item in others)
    wanted = QSize(width, height + layout.spacing() * len(others)) + edges
    room = available_size(dialog)
    if wanted.height() > room.height():  # the scroll bar then takes its width from the form: give it back
        wanted += QSize(scroll.verticalScrollBar().sizeHint().width(), 0)
    dialog.resize(wanted.boundedTo(room))
    if dialog.isVisible():
        _keep_on_screen(dialog)


def available_size(dialog: QWidget) -> QSize:
    """The room on the screen of ``dialog``'s parent window, less the title bar and edges its window has."""
    parent = dialog.parentWidget()
    anchor = parent.window() if parent is not None else dialog
    frame = anchor.frameGeometry().size() - anchor.geometry().size()  # nothing before it is first shown
    return anchor.screen().availableGeometry().size() - frame


def _keep_on_screen(dialog: QWidget) -> None:
    """Move a dialog that grew past the bottom or right of its screen back onto it."""
    room, frame = dialog.screen().availableGeometry(), dialog.frameGeometry()
    left = max(room.left(), min(frame.left(), room.right() - frame.width() + 1))
    top = max(room.top(), min(frame.top(), room.bottom() - frame.height() + 1))
    if (left, top) != (frame.left(), frame.top()):
        dialog.move(left, top)


def _items(layout: QLayout) -> list[QLayoutItem]:
    items = (layout.itemAt(index) for index in range(layout.count()))
    return [item for item in items if item is not None and not item.isEmpty()]  # a hidden banner takes no room


def _height_of(widget: QWidget, width: int) -> int:
    needed = widget.heightForWidth(width) if widget.hasHeightForWidth() else widget.sizeHint().height()
    return max(needed, widget.minimumSizeHint().height())


def _item_height(item: QLayoutItem, width: int) -> int:
    return item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()
