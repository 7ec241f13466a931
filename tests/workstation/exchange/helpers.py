"""What the athlete import tests share: the day they run on, files written as spreadsheets write them, a
real SQLite store with a logged-in person, and the counts that show whether anything was stored."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from workstation.audit.auditor import Auditor
from workstation.ports import ClinicStore
from workstation.security.accounts import Actor, Role
from workstation.services.session import ClinicSession

TODAY = date(2026, 3, 14)
NOW = datetime(2026, 3, 14, 19, 30, tzinfo=UTC)
HEADER = ("First name", "Surname", "Date of birth", "Sex", "Email", "Mobile", "NHS number", "Medicare number", "IRN")
VALID_NHS = "9434765919"  # the NHS Data Dictionary's example number
VALID_NHS_2 = "9999999999"  # 999 range, reserved for testing; check digit 9
VALID_MEDICARE = "2123456701"  # Services Australia's example card: check digit 1 over 21234567


def athlete(given: str = "Zoë", family: str = "Clarke", born: str = "03/04/2001", **cells: str) -> list[str]:
    """One row under ``HEADER``; keyword cells by field: sex, email, phone, nhs, medicare, irn."""
    return [given, family, born, cells.get("sex", "F"), cells.get("email", ""), cells.get("phone", ""),
            cells.get("nhs", ""), cells.get("medicare", ""), cells.get("irn", "")]  # fmt: skip


def csv_file(rows: Sequence[Sequence[str]], *, header: Sequence[str] = HEADER, separator: str = ",",
             encoding: str = "utf-8") -> bytes:  # fmt: skip
    out = io.StringIO()
    csv.writer(out, delimiter=separator, lineterminator="\r\n").writerows([list(header), *map(list, rows)])
    return out.getvalue().encode(encoding)


def session(store: ClinicStore, role: Role = Role.CLINICIAN, user_id: int = 7) -> ClinicSession:
    actor = Actor(user_id, f"{role.value}.user", role, "pavilion")
    return ClinicSession(store, actor, Auditor(store.audit, "pavilion", lambda: NOW))


def stored_counts(store: Any) -> tuple[int, int, int, int]:
    """(patients, clubs, squads, memberships): what an import that stored nothing leaves unchanged."""
    squads = store.squads.squads(include_archived=True)
    members = sum(len(store.squads.members(squad.id)) for squad in squads)
    return store.patients.count(), len(store.squads.clubs()), len(squads), members
