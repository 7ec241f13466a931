"""The core's account rules as the dialogs see them: callables, loaded on first use.

Importing them inside the functions keeps this package importable while the services are still being
built, and lets tests pass a policy of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

from workstation.problems import Problem

PasswordProblems: TypeAlias = Callable[..., list[Problem]]  # (password, *, user_name, display_name)


def default_password_problems(password: str, *, user_name: str = "", display_name: str = "") -> list[Problem]:
    """The password policy (RELIABILITY.md D2): fields "password"."""
    from workstation.security.passwords import password_problems

    return password_problems(password, user_name=user_name, display_name=display_name)


def name_problems(user_name: str, display_name: str) -> list[Problem]:
    """What every account's two names need: fields "user_name" and "display_name"."""
    from workstation.services.accounts import account_problems

    return account_problems(user_name, display_name)
