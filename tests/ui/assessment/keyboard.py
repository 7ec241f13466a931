"""Driving the assessment wizard by keyboard only, as a physio would: Tab, Alt+letter, Y/N, Space, typing.

Every helper sends its keys to the widget that has the keyboard focus (never to a chosen widget), so a
field the keyboard cannot reach fails the test instead of being filled in behind the user's back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget, QWizard
from pytestqt.qtbot import QtBot

MAX_TABS = 400  # more presses than any page has fields: a field not reached by then is not reachable


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key press and release on whatever has the focus (the active window when nothing has)."""
    target = focused() or QApplication.activeWindow()
    assert target is not None, "no widget has the keyboard focus and no window is active"
    qtbot.keyClick(target, key, modifier)


def type_text(qtbot: QtBot, text: str) -> None:
    target = focused()
    assert target is not None, "nothing has the keyboard focus to type into"
    qtbot.keyClicks(target, text)


def alt(qtbot: QtBot, letter: str) -> None:
    press(qtbot, Qt.Key(ord(letter.upper())), Qt.KeyboardModifier.AltModifier)


def mnemonic_of(widget: QWidget) -> str | None:
    """The Alt letter of the visible label whose buddy is ``widget``, if it has one."""
    window = widget.window()
    for label in window.findChildren(QLabel):
        if label.buddy() is widget and label.isVisible():
            letter = _mnemonic(label.text())
            if letter:
                return letter
    return None


def _mnemonic(text: str) -> str | None:
    index = 0
    while (index := text.find("&", index)) != -1:
        following = text[index + 1 : index + 2]
        if following and following != "&":
            return following.lower()
        index += 2
    return None


def focus_on(qtbot: QtBot, widget: QWidget) -> None:
    """Put the focus on ``widget`` as a user would: its label's Alt letter when it has one, else Tab."""
    if focused() is widget:
        return
    letter = mnemonic_of(widget)
    if letter is not None:
        alt(qtbot, letter)
        qtbot.waitUntil(lambda: focused() is widget, timeout=2_000)
        return
    tab_to(qtbot, widget)


def press_mnemonic(qtbot: QtBot, widget: QWidget) -> None:
    """Alt+ the letter underlined in ``widget``'s own text (a radio button or check box)."""
    letter = _mnemonic(widget.text())  # type: ignore[attr-defined]
    assert letter is not None, f"{widget.objectName()} has no Alt letter"
    alt(qtbot, letter)


def tab_to(qtbot: QtBot, widget: QWidget) -> None:
    """Tab (forwards) until ``widget`` has the focus."""
    for _ in range(MAX_TABS):
        if focused() is widget:
            return
        press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget.objectName() or widget!r} (last: {focused()!r})")


def answer_yes_no(qtbot: QtBot, field: QWidget, value: bool | None) -> None:
    """Y or N on a yes/no field; ``None`` leaves it unanswered (nothing pressed)."""
    if value is None:
        return
    focus_on(qtbot, field)
    press(qtbot, Qt.Key.Key_Y if value else Qt.Key.Key_N)


def choose(qtbot: QtBot, combo: QComboBox, data: object) -> None:
    """Pick the item whose data is ``data`` with Home and Down, as a user walks a drop-down list."""
    index = combo.findData(data)
    assert index >= 0, f"{combo.objectName()} has no item for {data!r}"
    focus_on(qtbot, combo)
    press(qtbot, Qt.Key.Key_Home)
    for _ in range(index):
        press(qtbot, Qt.Key.Key_Down)
    assert combo.currentIndex() == index


def type_number(qtbot: QtBot, field: QWidget, number: int | float) -> None:
    """Select what the box shows (Ctrl+A) and type the number over it."""
    focus_on(qtbot, field)
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, f"{number:g}")


def toggle(qtbot: QtBot, box: QWidget) -> None:
    """Space on a check box, reached by Tab (or its own Alt letter, through the focus helper)."""
    focus_on(qtbot, box)
    press(qtbot, Qt.Key.Key_Space)


def next_page(qtbot: QtBot, wizard: QWizard) -> None:
    """Alt+N; the test fails if the wizard did not move on."""
    before = wizard.currentId()
    alt(qtbot, "n")
    qtbot.waitUntil(lambda: wizard.currentId() != before, timeout=2_000)


def previous_page(qtbot: QtBot, wizard: QWizard) -> None:
    """Alt+B; the test fails if the wizard did not go back."""
    before = wizard.currentId()
    alt(qtbot, "b")
    qtbot.waitUntil(lambda: wizard.currentId() != before, timeout=2_000)
