"""PySide6 6.12.0 on Python 3.11 lowers the refcount of None on every void call until the interpreter
aborts (TOOLCHAIN.md). This guards the pin: 10,000 calls must leave None's refcount where it was."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject


def test_void_qt_calls_do_not_consume_references_to_none() -> None:
    target = QObject()
    before = sys.getrefcount(None)
    for number in range(10_000):
        target.setObjectName(f"object{number % 10}")
    after = sys.getrefcount(None)
    assert after >= before, f"None lost {before - after} references in 10,000 setObjectName calls"
