"""A record transferred from another CalfDesk database, stored here as a new patient (implements
``workstation.exchange.transfer_ports.RecordTransferWriter``).

All of it is written in ONE transaction, or nothing. The tables are written in the file's order, each row
after the rows it refers to: every row gets a new id (``id`` columns are the database's to give), each
foreign key to a transferred table follows its row's new id, and uids are kept, so a record imported
twice is refused (``RecordAlreadyHeld``) rather than copied. Staff of the sending practice have no account
here: their ids (``recorded_by``, ``raised_by``, ...) become NULL, and a letter's ``author_id`` (which
must name an account) becomes the importing user, while ``author_name`` keeps who wrote it. Each value
is checked against its column's type before anything is written, so a damaged file is refused with the
table and column named, never half-stored. The restriction of processing goes last: once it stands,
migration 0005's triggers refuse every change to the record, this import's included.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Column, Date, DateTime, Float, Integer, LargeBinary, String, Table, insert, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from db.mapping import as_utc
from db.patient_export import patient_table
from db.sessions import Sessions
from workstation.exchange.record_transfer import TRANSFERRED_TABLES
from workstation.exchange.transfer_ports import (
    RecordAlreadyHeld,
    TransferRecord,
    TransferRefused,
    TransferRow,
    TransferValue,
)
from workstation.privacy.letter_files import pdf_bytes

# Columns holding a user id of the sending database (no foreign key: they never block): nobody here.
SENDING_STAFF_COLUMNS = frozenset({"recorded_by", "raised_by", "resolved_by", "restricted_by"})
_STAFF_TABLE = "app_user"  # a foreign key into it (a letter's author) names the importing user instead
_HINT = "Nothing was imported. Ask the sender to export the record again with CalfDesk."
_FLOAT_TEXTS = frozenset({"nan", "inf", "-inf"})  # how the file keeps values JSON has no number for

IdMaps = dict[str, dict[int, int]]  # table -> the sending database's id -> this database's


class SqlRecordTransfer:
    """``store`` is a ``db.Store``; its read-only state is read at every call (a damaged file turns it)."""

    def __init__(self, store: Any) -> None:
        self._store = store

    def write(self, record: TransferRecord, *, imported_by: int | None) -> int:
        rows = {name: _checked_rows(name, record.tables.get(name, ())) for name in TRANSFERRED_TABLES}
        if rows["letter"] and imported_by is None:
            raise TransferRefused("A record with letters can be imported only by someone logged in.", hint=_HINT)
        sessions = Sessions(self._store.engine, read_only=self._store.read_only)
        try:
            with sessions.write() as session:
                _refuse_held(session, record.patient_uid, rows)
                ids: IdMaps = {}
                for name in TRANSFERRED_TABLES:
                    ids[name] = _insert_rows(session, patient_table(name), rows[name], ids, imported_by)
        except sa_exc.IntegrityError:
            # Checked above, so only a race: another workstation imported the same record at the same moment.
            raise RecordAlreadyHeld(
                "This record could not be imported: it clashes with a record stored here meanwhile.",
                hint="Nothing was imported. Look for the patient in the list; if they are not there, try again.",
            ) from None
        (new_id,) = ids["patient"].values()
        return new_id


def _refuse_held(session: Session, patient_uid: str, rows: Mapping[str, Sequence[dict[str, Any]]]) -> None:
    patient = patient_table("patient")
    if session.execute(select(patient.c.id).where(patient.c.uid == patient_uid)).first() is not None:
        raise RecordAlreadyHeld(
            "This patient's record is already held in this database, so it was not imported again.",
            hint="Open the patient from the list instead.",
        )
    for name, table_rows in rows.items():
        table = patient_table(name)
        uids = [row["uid"] for row in table_rows if isinstance(row.get("uid"), str)]
        if "uid" in table.c and uids and session.execute(select(table.c.uid).where(table.c.uid.in_(uids))).first():
            raise RecordAlreadyHeld(
                f"Part of this record ({name.replace('_', ' ')}) is already held in this database, so nothing was "
                "imported.",
                hint="Ask for help: the record may have been imported before under another patient.",
            )


def _insert_rows(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], ids: IdMaps, imported_by: int | None
) -> dict[int, int]:
    """Insert ``rows`` oldest first, following references; the sending id -> the new id of each row."""
    new_ids: dict[int, int] = {}
    ids[table.name] = new_ids  # a correction or amendment refers to an older row of its own table
    has_own_id = "id" in table.c and table.c.id.primary_key
    for row in sorted(rows, key=lambda r: r.get("id") or 0):
        values = {name: _followed(table, name, value, ids, imported_by) for name, value in row.items()}
        if has_own_id:
            old_id = values.pop("id")
            new_ids[old_id] = session.execute(insert(table).values(values).returning(table.c.id)).scalar_one()
        else:
            session.execute(insert(table).values(values))
    return new_ids


def _followed(table: Table, name: str, value: Any, ids: IdMaps, imported_by: int | None) -> Any:
    """A value with every reference turned into this database's id."""
    column = table.c[name]
    if name in SENDING_STAFF_COLUMNS:
        return None
    if value is None:
        return None
    for key in column.foreign_keys:
        target = key.column.table.name
        if target == _STAFF_TABLE:
            return imported_by
        if target in ids and value in ids[target]:
            return ids[target][value]
        raise TransferRefused(
            f"This record transfer is damaged: a row of its {table.name.replace('_', ' ')} table refers to one "
            "it does not hold.",
            hint=_HINT,
        )
    return value


def _checked_rows(name: str, rows: Sequence[TransferRow]) -> list[dict[str, Any]]:
    """Each row's values converted to its columns' types; refused (naming table and column) when one does not fit."""
    table = patient_table(name)
    checked = []
    for number, row in enumerate(rows, start=1):
        unknown = sorted(set(row) - set(table.c.keys()))
        if unknown:
            raise TransferRefused(
                f"This record transfer was made by a newer version of CalfDesk: {name}.{unknown[0]} is not known here.",
                hint="Update CalfDesk, then import it.",
            )
        for column in table.c:
            if column.name not in row and not _may_be_left_out(column):
                raise _damaged(name, column.name, number, "is missing")
        checked.append({key: _converted(table, table.c[key], value, number) for key, value in row.items()})
    return checked


def _may_be_left_out(column: Column[Any]) -> bool:
    """A column a file from an earlier CalfDesk may lack: the database fills it in."""
    return column.nullable is True or column.default is not None or column.server_default is not None


def _converted(table: Table, column: Column[Any], value: TransferValue, number: int) -> Any:
    if value is None:
        if column.nullable is not True and column.name not in SENDING_STAFF_COLUMNS and column.name != "id":
            raise _damaged(table.name, column.name, number, "is empty")
        return None
    kind = column.type
    converted = _convert(kind, value)
    if converted is _NOT_CONVERTED:
        raise _damaged(table.name, column.name, number, f"is not {_KIND_NAMES.get(type(kind), 'a value')}")
    return converted


_NOT_CONVERTED = object()
_KIND_NAMES = {
    Date: "a date", DateTime: "an instant with a time zone", LargeBinary: "a data: URI", Boolean: "true or false",
    Integer: "a whole number", Float: "a number", String: "text",
}  # fmt: skip


def _convert(kind: Any, value: TransferValue) -> Any:
    if isinstance(kind, DateTime):
        return _instant(value)
    if isinstance(kind, Date):
        return _day(value)
    if isinstance(kind, LargeBinary):
        content = pdf_bytes(value)
        return _NOT_CONVERTED if content is None else content
    if isinstance(kind, Boolean):
        return value if isinstance(value, bool) else _NOT_CONVERTED
    if isinstance(kind, Integer):
        return value if isinstance(value, int) and not isinstance(value, bool) else _NOT_CONVERTED
    if isinstance(kind, Float):
        return _float(value)
    if isinstance(kind, String):  # Text is a String too
        return value if isinstance(value, str) else _NOT_CONVERTED
    return _NOT_CONVERTED


def _instant(value: TransferValue) -> Any:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return _NOT_CONVERTED
    return _NOT_CONVERTED if moment is None or moment.tzinfo is None else as_utc(moment)


def _day(value: TransferValue) -> Any:
    if not isinstance(value, str) or len(value) != 10:
        return _NOT_CONVERTED
    try:
        return date.fromisoformat(value)
    except ValueError:
        return _NOT_CONVERTED


def _float(value: TransferValue) -> Any:
    if isinstance(value, bool):
        return _NOT_CONVERTED
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and value in _FLOAT_TEXTS:
        return float(value)
    return _NOT_CONVERTED


def _damaged(table: str, column: str, number: int, what: str) -> TransferRefused:
    return TransferRefused(f"This record transfer is damaged: {table}.{column} of row {number} {what}.", hint=_HINT)
