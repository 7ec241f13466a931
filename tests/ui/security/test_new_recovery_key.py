"""The practice owner replaces a lost or exposed recovery key from the Admin menu (RELIABILITY.md E3, D6)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from db.vault import Vault
from tests.ui.conftest import discard_dialogs
from ui.desktop_session import DesktopSession
from ui.security.password_dialogs import ReauthenticateDialog
from ui.security.recovery_key_dialog import RecoveryKeyDialog
from ui.unlock import Entry, Opened
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import AuthenticationFailed
from workstation.security.accounts import Role

OWNER, PASSWORD = "sam.okafor", "kettle orbit saffron lane"


@pytest.fixture
def practice(tmp_path: Path) -> Iterator[tuple[str, Opened]]:
    url = f"sqlite:///{tmp_path / 'clinic.sqlite3'}"
    opened = Entry(url, workstation="room-2").create_owner(OWNER, "Sam Okafor", PASSWORD)
    yield url, opened
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QWidget) and widget.isVisible():
            discard_dialogs(widget)
    opened.store.close()


def _desktop(opened: Opened) -> DesktopSession:
    desktop = DesktopSession(opened.store, workstation="room-2")
    desktop.begin(opened.login)
    return desktop


def _close(desktop: DesktopSession) -> None:
    if desktop.window is not None:
        discard_dialogs(desktop.window)
        desktop.window.close()
    desktop.tasks.shutdown()


def _menu_texts(desktop: DesktopSession) -> list[str]:
    assert desktop.window is not None
    menus = [action.menu() for action in desktop.window.menuBar().actions() if action.menu() is not None]
    return [action.text() for menu in menus for action in menu.actions()]  # type: ignore[union-attr]


def test_a_new_recovery_key_replaces_the_old_one_after_the_owners_password(
    qtbot: QtBot, practice: tuple[str, Opened]
) -> None:
    url, opened = practice
    old_key = opened.recovery_key
    assert old_key is not None
    desktop = _desktop(opened)
    try:
        assert "New &recovery key…" in _menu_texts(desktop)
        desktop.show_new_recovery_key()
        prompt = desktop.window.findChild(ReauthenticateDialog) if desktop.window else None
        assert isinstance(prompt, ReauthenticateDialog)
        prompt.fields.fields["password"].setText("not the password at all")
        prompt.submit()
        qtbot.waitUntil(lambda: not prompt.busy, timeout=10_000)
        assert prompt.isVisible()  # refused: nothing was replaced
        prompt.fields.fields["password"].setText(PASSWORD)
        prompt.submit()
        qtbot.waitUntil(
            lambda: isinstance(getattr(desktop, "recovery_key_dialog", None), RecoveryKeyDialog), timeout=10_000
        )
        shown = desktop.recovery_key_dialog.key_label.text()
    finally:
        _close(desktop)
    assert shown != old_key
    vault = Vault(url)
    assert vault.unlock_with_recovery(shown)
    with pytest.raises(AuthenticationFailed):
        vault.unlock_with_recovery(old_key)
    issued = [e for e in opened.store.audit.in_order() if e.event is AuditEvent.RECOVERY_KEY_ISSUED]
    assert [e.outcome for e in issued] == [Outcome.SUCCESS, Outcome.SUCCESS]


def test_only_the_owner_is_offered_a_new_recovery_key(qtbot: QtBot, practice: tuple[str, Opened]) -> None:
    url, opened = practice
    accounts = Entry(url, workstation="room-2")._accounts(opened.store)
    other = accounts.create_user(opened.login.actor, "dr.chen", "Dr Chen", Role.ADMIN, "violet harbour pencil drum")
    first = accounts.log_in(other.user_name, "violet harbour pencil drum")
    accounts.change_password(first.actor, "violet harbour pencil drum", "amber falcon meadow quill")
    login = accounts.log_in(other.user_name, "amber falcon meadow quill")
    desktop = _desktop(Opened(opened.store, login))
    try:
        assert "New &recovery key…" not in _menu_texts(desktop)
    finally:
        _close(desktop)
