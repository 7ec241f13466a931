"""Drafts: a form's unsaved content, kept for its author (implements ``workstation.ports.DraftStore``)."""

from __future__ import annotations

from sqlalchemy import delete, exc, select

from db.mapping import as_utc, draft_from_row
from db.models import DraftRow
from db.sessions import Sessions
from workstation.errors import RecordNotFound
from workstation.ports import Draft


class SqlDraftStore:
    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions

    def save(self, draft: Draft) -> Draft:
        """Insert or replace the draft of (user_id, kind, key) and return it with its id."""
        try:
            return self._upsert(draft)
        except exc.IntegrityError:
            pass  # the same person's other workstation inserted it first (PostgreSQL): now a replace
        try:
            return self._upsert(draft)
        except exc.IntegrityError:
            raise RecordNotFound("This account no longer exists, so its draft cannot be kept.") from None

    def _upsert(self, draft: Draft) -> Draft:
        query = select(DraftRow).where(
            DraftRow.user_id == draft.user_id, DraftRow.kind == draft.kind, DraftRow.key == draft.key
        )
        with self._sessions.write() as session:
            row = session.scalar(query)
            if row is None:
                row = DraftRow(user_id=draft.user_id, kind=draft.kind, key=draft.key)
                session.add(row)
            row.payload = draft.payload
            row.saved_at = as_utc(draft.saved_at)
            session.flush()
            return draft_from_row(row)

    def for_user(self, user_id: int) -> list[Draft]:
        """The person's drafts, most recently saved first."""
        query = select(DraftRow).where(DraftRow.user_id == user_id).order_by(DraftRow.saved_at.desc(), DraftRow.id)
        with self._sessions.read() as session:
            return [draft_from_row(row) for row in session.scalars(query)]

    def discard(self, draft_id: int) -> None:
        """Remove the draft; one already gone is not an error (it was saved or discarded elsewhere)."""
        with self._sessions.write() as session:
            session.execute(delete(DraftRow).where(DraftRow.id == draft_id))
