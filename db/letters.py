"""Finalised letters, clinicians' letter details and the practice's images (migration 0008).

``SqlLetters`` implements ``workstation.ports.LetterRepository``: a letter is inserted once with its PDF
and never changed (the triggers refuse any other path). Lists and look-ups select the columns they need,
never the PDF: a patient's letters are listed every time their record opens, and the bytes are read only
when a letter is opened, exported or printed. ``SqlClinicianProfiles`` and ``SqlClinicImages`` implement
``ClinicianProfileRepository`` and ``ClinicImageStore``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, exists, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

from db.mapping import as_utc
from db.models import (
    AssessmentRow,
    ClinicianProfileRow,
    ClinicImageRow,
    EpisodeRow,
    LetterRow,
    PatientRow,
    UserRow,
)
from db.sessions import Sessions
from workstation.errors import ConflictError, RecordNotFound
from workstation.letters.records import ClinicianProfile, LetterKind, PhoneCall, StoredLetter

_COLUMNS = (
    LetterRow.id, LetterRow.uid, LetterRow.patient_id, LetterRow.episode_id, LetterRow.assessment_id, LetterRow.kind,
    LetterRow.title, LetterRow.urgency, LetterRow.recipient, LetterRow.sha256, LetterRow.page_count,
    LetterRow.size_bytes, LetterRow.author_id, LetterRow.author_name, LetterRow.finalised_at,
    LetterRow.phone_called_at, LetterRow.phone_spoken_to, LetterRow.phone_outcome, LetterRow.phone_not_called_reason,
)  # fmt: skip


def _gone() -> RecordNotFound:
    return RecordNotFound("This letter is no longer in the record.")


def _letter(row: Any) -> StoredLetter:
    """A letter from its selected columns (``_COLUMNS``)."""
    phone = None
    if row.phone_spoken_to is not None:  # the CHECK keeps the four phone columns all set or all NULL
        called_at = as_utc(row.phone_called_at) if row.phone_called_at is not None else None
        phone = PhoneCall(called_at, row.phone_spoken_to, row.phone_outcome, row.phone_not_called_reason)
    return StoredLetter(
        patient_id=row.patient_id, kind=LetterKind(row.kind), title=row.title, urgency=row.urgency,
        recipient=row.recipient, sha256=row.sha256, page_count=row.page_count, size_bytes=row.size_bytes,
        author_id=row.author_id, author_name=row.author_name, finalised_at=as_utc(row.finalised_at),
        assessment_id=row.assessment_id, episode_id=row.episode_id, phone_call=phone, id=row.id, uid=row.uid,
    )  # fmt: skip


def letter_values(letter: StoredLetter, pdf: bytes) -> dict[str, Any]:
    """The row of a new letter (without id)."""
    call = letter.phone_call
    return {
        "uid": letter.uid, "patient_id": letter.patient_id, "episode_id": letter.episode_id,
        "assessment_id": letter.assessment_id, "kind": letter.kind.value, "title": letter.title,
        "urgency": letter.urgency, "recipient": letter.recipient, "sha256": letter.sha256,
        "page_count": letter.page_count, "size_bytes": letter.size_bytes, "pdf": pdf, "author_id": letter.author_id,
        "author_name": letter.author_name, "finalised_at": as_utc(letter.finalised_at),
        "phone_called_at": as_utc(call.at) if call is not None and call.at is not None else None,
        "phone_spoken_to": call.spoken_to if call is not None else None,
        "phone_outcome": call.outcome if call is not None else None,
        "phone_not_called_reason": call.not_called_reason if call is not None else None,
    }  # fmt: skip


_BY_UID = select(*_COLUMNS).where(LetterRow.uid == bindparam("uid"))
_INSERT_SQLITE = sqlite_insert(LetterRow).on_conflict_do_nothing(index_elements=["uid"])
_INSERT_POSTGRESQL = postgresql_insert(LetterRow).on_conflict_do_nothing(index_elements=["uid"])
# What a new letter links to, in one round trip: whether the patient and the author exist, and whose the
# episode and the assessment are (NULL: not there, or none given).
_LINKS = select(
    exists().where(PatientRow.id == bindparam("patient_id")),
    exists().where(UserRow.id == bindparam("author_id")),
    select(EpisodeRow.patient_id).where(EpisodeRow.id == bindparam("episode_id")).scalar_subquery(),
    select(AssessmentRow.patient_id).where(AssessmentRow.id == bindparam("assessment_id")).scalar_subquery(),
)


def _link_ids(letter: StoredLetter) -> dict[str, int | None]:
    return {"patient_id": letter.patient_id, "author_id": letter.author_id, "episode_id": letter.episode_id,
            "assessment_id": letter.assessment_id}  # fmt: skip


def _check_links(found: Any, letter: StoredLetter) -> None:
    """``found``: the row of ``_LINKS`` for ``letter``."""
    patient_exists, author_exists, episode_patient, assessment_patient = found
    if not patient_exists:
        raise RecordNotFound("This patient's record no longer exists.")
    if not author_exists:
        raise RecordNotFound("The author's user account no longer exists.")
    if letter.episode_id is not None:
        if episode_patient is None:
            raise RecordNotFound("This episode of care no longer exists.")
        if episode_patient != letter.patient_id:
            raise ValueError("a letter's episode belongs to its patient")
    if letter.assessment_id is not None:
        if assessment_patient is None:
            raise RecordNotFound("The assessment this letter is about no longer exists.")
        if assessment_patient != letter.patient_id:
            raise ValueError("a letter's assessment belongs to its patient")


class SqlLetters:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def add(self, letter: StoredLetter, pdf: bytes) -> StoredLetter:
        """Store the letter and its PDF in one transaction, or return the one already stored under its uid
        (a retried finalise, B7: the stored one stands, whatever the retry rendered).

        Raises:
            RecordNotFound: the patient, the episode, the assessment or the author does not exist.
            ValueError: the fingerprint or size does not match ``pdf``, or a link is another patient's (bugs).
        """
        if hashlib.sha256(pdf).hexdigest() != letter.sha256 or len(pdf) != letter.size_bytes:
            raise ValueError("a letter's sha256 and size_bytes are those of its PDF")
        with self._sessions.write() as session:
            # Statements built once with bound parameters (compiled once, cached): a batch stores hundreds.
            connection = session.connection()
            stored = connection.execute(_BY_UID, {"uid": letter.uid}).one_or_none()
            if stored is not None:
                return _letter(stored)
            _check_links(connection.execute(_LINKS, _link_ids(letter)).one(), letter)
            # ON CONFLICT rather than the look-up alone: it waits for a first attempt still committing.
            postgresql = connection.dialect.name == "postgresql"
            connection.execute(_INSERT_POSTGRESQL if postgresql else _INSERT_SQLITE, letter_values(letter, pdf))
            return _letter(connection.execute(_BY_UID, {"uid": letter.uid}).one())

    def get(self, letter_id: int) -> StoredLetter:
        with self._sessions.read() as session:
            row = session.execute(select(*_COLUMNS).where(LetterRow.id == letter_id)).one_or_none()
        if row is None:
            raise _gone()
        return _letter(row)

    def pdf(self, letter_id: int) -> bytes:
        with self._sessions.read() as session:
            content = session.scalar(select(LetterRow.pdf).where(LetterRow.id == letter_id))
        if content is None:
            raise _gone()
        return bytes(content)  # psycopg gives bytes, but a memoryview is possible for a bytea

    def for_patient(self, patient_id: int) -> list[StoredLetter]:
        query = (
            select(*_COLUMNS)
            .where(LetterRow.patient_id == patient_id)
            .order_by(LetterRow.finalised_at.desc(), LetterRow.id.desc())
        )
        with self._sessions.read() as session:
            return [_letter(row) for row in session.execute(query).all()]


def _profile(row: ClinicianProfileRow, display_name: str) -> ClinicianProfile:
    return ClinicianProfile(
        user_id=row.user_id, display_name=display_name, profession=row.profession,
        registration_body=row.registration_body, registration_number=row.registration_number, phone=row.phone,
        email=row.email, signature=bytes(row.signature) if row.signature is not None else None, version=row.version,
    )  # fmt: skip


class SqlClinicianProfiles:
    """The name on a profile is always the account's ``display_name``: it is read from there, never stored."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def get(self, user_id: int) -> ClinicianProfile | None:
        with self._sessions.read() as session:
            found = session.execute(
                select(ClinicianProfileRow, UserRow.display_name)
                .join(UserRow, UserRow.id == ClinicianProfileRow.user_id)
                .where(ClinicianProfileRow.user_id == user_id)
            ).one_or_none()
            return None if found is None else _profile(found[0], found[1])

    def save(self, profile: ClinicianProfile, *, at: datetime, by: int) -> ClinicianProfile:
        """Insert (``profile.version`` 0) or replace the version read.

        Raises:
            RecordNotFound: there is no such user account.
            ConflictError: the stored version moved on meanwhile (``current_version`` says to what).
        """
        try:
            with self._sessions.write() as session:
                user = session.get(UserRow, profile.user_id)
                if user is None:
                    raise RecordNotFound("This user account no longer exists.")
                row = session.get(ClinicianProfileRow, profile.user_id)
                if row is None and profile.version != 0:
                    raise _stale(None)
                if row is not None and row.version != profile.version:
                    raise _stale(row.version)
                if row is None:
                    row = ClinicianProfileRow(user_id=profile.user_id)
                    session.add(row)
                _fill(row, profile, at, by)
                session.flush()  # an UPDATE names the version read: a change since makes it fail
                return _profile(row, user.display_name)
        except IntegrityError:
            # PostgreSQL: another workstation inserted this account's first profile at the same moment.
            with self._sessions.read() as session:
                current = session.scalar(
                    select(ClinicianProfileRow.version).where(ClinicianProfileRow.user_id == profile.user_id)
                )
            if current is None:
                raise
            raise _stale(current) from None


def _stale(current: int | None) -> ConflictError:
    return ConflictError("Someone else changed these letter details after you opened them.", current_version=current)


def _fill(row: ClinicianProfileRow, profile: ClinicianProfile, at: datetime, by: int) -> None:
    row.profession = profile.profession
    row.registration_body = profile.registration_body
    row.registration_number = profile.registration_number
    row.phone = profile.phone
    row.email = profile.email
    row.signature = profile.signature
    row.updated_at = as_utc(at)
    row.updated_by = by


class SqlClinicImages:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def get(self, key: str) -> bytes | None:
        with self._sessions.read() as session:
            content = session.scalar(select(ClinicImageRow.content).where(ClinicImageRow.key == key))
        return None if content is None else bytes(content)

    def put(self, key: str, content: bytes | None, *, at: datetime, by: int | None) -> None:
        """Insert, replace or (with None) remove one image, in one transaction."""
        with self._sessions.write() as session:
            if content is None:
                session.execute(delete(ClinicImageRow).where(ClinicImageRow.key == key))
                return
            row = session.get(ClinicImageRow, key)
            if row is None:
                row = ClinicImageRow(key=key)
                session.add(row)
            row.content = content
            row.updated_at = as_utc(at)
            row.updated_by = by
