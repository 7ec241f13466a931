"""No bulk UPDATE or DELETE of a versioned table anywhere in the app (RELIABILITY.md I3).

A bulk statement (``update(PatientRow)``, ``delete(PatientRow)``, ``Query.update``/``Query.delete``,
``PatientRow.__table__.update()``, or SQL text) writes without the ``WHERE version = ...`` of an ORM flush,
so it would overwrite a concurrent change silently. The versioned tables are read from the mapper
registry, so a table that gains a ``version_id_col`` is covered without touching this test.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from db.models import Base

ROOT = Path(__file__).resolve().parents[1]
CHECKED_PACKAGES = ("db", "workstation", "ui")
_BULK_METHODS = {"update", "delete"}


@dataclass(frozen=True)
class Versioned:
    classes: frozenset[str]
    tables: frozenset[str]


def versioned() -> Versioned:
    mappers = [mapper for mapper in Base.registry.mappers if mapper.version_id_col is not None]
    return Versioned(
        frozenset(mapper.class_.__name__ for mapper in mappers),
        frozenset(mapper.local_table.name for mapper in mappers),  # type: ignore[attr-defined]
    )


def bulk_writes(source: str, targets: Versioned) -> list[tuple[int, str]]:
    """(line, what) for every bulk UPDATE or DELETE of a versioned table in ``source``."""
    tree = ast.parse(source)
    names = _names_for_versioned(tree, targets)
    methods = _BULK_METHODS | _imported_as(tree, _BULK_METHODS)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            what = _bulk_call(node, names, methods)
            if what:
                found.append((node.lineno, what))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = _sql_bulk_write(node.value, targets.tables)
            if match:
                found.append((node.lineno, f"SQL text {match!r}"))
    return sorted(found)


def _names_for_versioned(tree: ast.Module, targets: Versioned) -> set[str]:
    """The versioned classes and every name bound to one (``_ROW = PatientRow``, ``aliased(PatientRow)``)."""
    names = set(targets.classes)
    changed = True
    while changed:
        changed = False
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and _refers_to(node.value, names):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id not in names:
                        names.add(target.id)
                        changed = True
    return names


def _refers_to(node: ast.expr, names: set[str]) -> bool:
    """``PatientRow``, ``models.PatientRow``, ``PatientRow.__table__``, ``aliased(PatientRow)``."""
    if isinstance(node, ast.Name):
        return node.id in names
    if isinstance(node, ast.Attribute):
        return node.attr in names or (node.attr in ("__table__", "__mapper__") and _refers_to(node.value, names))
    if isinstance(node, ast.Call) and _callee_name(node) in ("aliased", "inspect"):
        return any(_refers_to(argument, names) for argument in node.args)
    return False


def _callee_name(call: ast.Call) -> str:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return ""


def _imported_as(tree: ast.Module, originals: set[str]) -> set[str]:
    """Local names of ``from ... import update as sql_update`` and the like."""
    return {
        alias.asname
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name in originals and alias.asname
    }


def _bulk_call(call: ast.Call, names: set[str], methods: set[str]) -> str:
    method = _callee_name(call)
    if method not in methods:
        return ""
    if call.args and _refers_to(call.args[0], names):
        return f"{method}() of a versioned table"  # update(PatientRow), sa.delete(models.EpisodeRow)
    if isinstance(call.func, ast.Attribute):
        receiver = call.func.value
        if _refers_to(receiver, names):
            return f"Table.{method}() of a versioned table"  # PatientRow.__table__.update()
        if _queries(receiver, names):
            return f"Query.{method}() of a versioned table"  # session.query(PatientRow).filter(...).update(...)
    return ""


def _queries(node: ast.expr, names: set[str]) -> bool:
    """Whether a method chain starts from ``.query(<versioned>, ...)``."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "query" and any(_refers_to(argument, names) for argument in node.args):
            return True
        node = node.func.value
    return False


def _sql_bulk_write(text: str, tables: frozenset[str]) -> str:
    """``UPDATE patient ... SET`` or ``DELETE FROM patient`` (then WHERE, RETURNING, ; or the end), so that
    a label such as "Update patient details" is not taken for SQL."""
    table = r'(ONLY\s+)?"?(' + "|".join(re.escape(name) for name in sorted(tables)) + r')"?'
    update = rf"\bUPDATE\s+{table}(\s+(AS\s+)?\w+)?\s+SET\b"
    delete = rf"\bDELETE\s+FROM\s+{table}(\s+(AS\s+)?\w+)?\s*(WHERE\b|RETURNING\b|;|$)"
    match = re.search(f"{update}|{delete}", text, re.IGNORECASE)
    return match.group(0) if match else ""


def _sources() -> list[Path]:
    return sorted(path for package in CHECKED_PACKAGES for path in (ROOT / package).rglob("*.py"))


def test_the_versioned_tables_come_from_the_mapper_registry() -> None:
    targets = versioned()
    assert {"PatientRow", "EpisodeRow", "UserRow"} <= targets.classes
    assert {"patient", "episode", "app_user"} <= targets.tables
    assert "ObservationRow" not in targets.classes  # immutable instead (I2): triggers refuse its changes


def test_no_bulk_update_or_delete_of_a_versioned_table() -> None:
    targets = versioned()
    sources = _sources()
    assert len(sources) > 50  # the walk really reads the packages
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in sources
        for line, what in bulk_writes(path.read_text(encoding="utf-8"), targets)
    ]
    assert not offences, "bulk writes bypass the version check (RELIABILITY.md I3):\n" + "\n".join(offences)


_FORBIDDEN = """
from sqlalchemy import delete, update as sql_update
import sqlalchemy as sa
from db import models
from db.models import EpisodeRow, PatientRow, UserRow
_ROW = PatientRow
session.execute(sql_update(PatientRow).where(PatientRow.id == 1).values(phone=""))
session.execute(delete(EpisodeRow))
session.execute(sa.update(models.UserRow).values(active=False))
session.execute(update(_ROW).values(phone=""))
session.query(PatientRow).filter(PatientRow.id == 1).update({"phone": ""})
session.query(EpisodeRow).filter_by(id=1).delete()
connection.execute(PatientRow.__table__.update().values(phone=""))
connection.execute(text("UPDATE patient SET phone = '' WHERE id = 1"))
connection.exec_driver_sql('delete from "episode"')
session.execute(update(aliased(UserRow)).values(active=False))
"""
_ALLOWED = """
from sqlalchemy import delete, insert, update
from db.models import DraftRow, FailedLoginRow, PatientRow
session.execute(delete(DraftRow).where(DraftRow.id == 1))
session.execute(delete(FailedLoginRow))
session.execute(insert(PatientRow), rows)
row = session.get(PatientRow, 1)
row.phone = "07700 900123"
words.update(search_words(name))
self._touched.update(self.fields)
session.query(DraftRow).delete()
patients.update(patient)
text("UPDATE draft SET payload = ''")
label = "Update patient details"
hint = "Delete from patient lists only what the retention rules allow"
"""


def test_the_check_finds_every_kind_of_bulk_write() -> None:
    found = bulk_writes(_FORBIDDEN, versioned())
    assert [line for line, _what in found] == list(range(7, 17))


def test_the_check_leaves_ordinary_writes_alone() -> None:
    assert bulk_writes(_ALLOWED, versioned()) == []
