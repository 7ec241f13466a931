"""What a reviewer looks for in a dialog's picture, measured: nothing cut off, nothing on top of anything else.

Shared by the tests that open the settings dialogs in the test process and by ``dialog_probe``, which opens
them in a process of its own at another scale and screen size.
"""

from __future__ import annotations

from itertools import combinations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractScrollArea, QDialog, QScrollArea, QWidget


def layout_faults(dialog: QDialog, scroll: QScrollArea) -> list[str]:
    """Every way ``dialog`` is laid out wrong, in words (empty when it is right).

    The form in ``scroll`` must be laid out at no less than its minimum and the height its wrapped text
    needs at its width; every widget shown must lie inside its parent (the form's own inside the form, the
    rest inside the dialog); and no two widgets side by side may overlap.
    """
    form = scroll.widget()
    assert form is not None, "the scroll area holds no form"
    faults = []
    if dialog.width() < dialog.minimumSizeHint().width() or dialog.height() < dialog.minimumSizeHint().height():
        faults.append(f"dialog {dialog.size().toTuple()} below its minimum {dialog.minimumSizeHint().toTuple()}")
    minimum = form.minimumSizeHint()
    needed = form.heightForWidth(form.width()) if form.hasHeightForWidth() else minimum.height()
    if form.width() < minimum.width() or form.height() < max(minimum.height(), needed):
        faults.append(f"form squeezed to {form.size().toTuple()} (needs {minimum.width()} x {needed})")
    for widget in _shown(dialog):
        if widget is not form:  # the form may stick out of the scroll area's view: that is what scrolling is for
            faults += _outside_faults(widget)
        faults += _overlap_faults(widget)
    return faults


def scroll_bars_shown(scroll: QScrollArea) -> list[str]:
    return [name for name, bar in (("horizontal", scroll.horizontalScrollBar()), ("vertical",
            scroll.verticalScrollBar())) if bar.isVisible()]  # fmt: skip


def on_screen(dialog: QDialog) -> bool:
    """The whole window, title bar and edges too, lies on the room its screen has for windows."""
    return dialog.screen().availableGeometry().contains(dialog.frameGeometry())


def _shown(root: QWidget) -> list[QWidget]:
    """``root`` and its visible descendants, leaving out the insides of text boxes and scroll bars."""
    found, waiting = [], [root]
    while waiting:
        widget = waiting.pop()
        found.append(widget)
        if isinstance(widget, QAbstractScrollArea) and not isinstance(widget, QScrollArea):
            continue  # a text box's viewport and bars are its own business
        waiting += [child for child in _children(widget) if child.isVisible()]
    return found


def _children(widget: QWidget) -> list[QWidget]:
    return [child for child in widget.children() if isinstance(child, QWidget) and not child.isWindow()]


def _outside_faults(widget: QWidget) -> list[str]:
    parent = widget.parentWidget()
    if parent is None or widget.isWindow():
        return []
    if not parent.rect().contains(widget.geometry()):
        where = widget.geometry().getRect()
        return [f"{_name(widget)} {where} sticks out of {_name(parent)} {parent.rect().getRect()}"]
    return []


def _overlap_faults(widget: QWidget) -> list[str]:
    children = [child for child in _children(widget) if child.isVisible() and not child.geometry().isEmpty()]
    return [f"{_name(a)} {a.geometry().getRect()} overlaps {_name(b)} {b.geometry().getRect()}"
            for a, b in combinations(children, 2) if _intersect(a.geometry(), b.geometry())]  # fmt: skip


def _intersect(a: QRect, b: QRect) -> bool:
    return not a.intersected(b).isEmpty()


def _name(widget: QWidget) -> str:
    return widget.objectName() or type(widget).__name__
