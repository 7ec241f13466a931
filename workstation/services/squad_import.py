"""Importing a club's athletes from a CSV or XLSX file, for one logged-in person.

The steps are the UI's and the command line's: ``read`` the file, ``suggest_mapping`` from its headers
(the user may change it), ``preview`` every row against the patients held, then ``commit`` the preview:
all of it in one transaction, or nothing. A file with rejected rows is refused unless the user chose to
leave those rows out (the quarantine of RELIABILITY.md H1); ``rejection_report`` is the list of them to
save. Importing needs both MANAGE_SQUADS and EDIT_PATIENT: it creates patients as well as members.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date

from workstation.audit.records import AuditEvent
from workstation.errors import CalfDeskError, ConflictError, RecordNotFound, ValidationFailed
from workstation.exchange.athlete_mapping import suggest_mapping
from workstation.exchange.athlete_preview import (
    filled_from_file,
    identifier_conflicts,
    preview,
)
from workstation.exchange.athlete_records import (
    AthleteMapping,
    AthleteTable,
    ImportPreview,
    MatchDecision,
    PreviewRow,
    RowStatus,
)
from workstation.exchange.athlete_table import read_athlete_file
from workstation.long_work import NO_PROGRESS, Progress, check_cancelled
from workstation.ports import ClinicStore
from workstation.records import Patient, PatientSummary
from workstation.security.permissions import Action
from workstation.services.guarded import _Guard
from workstation.squads.records import Club, ImportOutcome, Squad
from workstation.squads.squad_rules import cleaned_squad, club_name_problems, squad_problems

DEFAULT_CLUB_NAME = "Club"  # the club a first squad is filed under when the practice has none yet
REJECTION_REPORT_HEADERS = ("Line", "Status", "Column", "Reason")


class AthleteImportService:
    """Athletes from a club's file into a squad: new patients, matches with patients held, memberships."""

    def __init__(self, store: ClinicStore, guard: _Guard) -> None:
        self._store = store
        self._guard = guard

    def read(self, data: bytes, file_name: str, sheet: str | None = None) -> AthleteTable:
        """The file as a table of text (``read_athlete_file``); AthleteFileUnreadable if it cannot be read."""
        self._require()
        return read_athlete_file(data, file_name, sheet)

    def suggest_mapping(self, table: AthleteTable) -> AthleteMapping:
        """Which column holds what, guessed from the header names; ambiguous dates in the clinic's order."""
        self._require()
        from workstation.dates import DateOrder
        from workstation.services.clinic_settings import ClinicSettings

        store = self._store
        order = ClinicSettings(store.settings, self._guard.auditor, store.clinic_images).date_order()
        return suggest_mapping(table, day_first=order is DateOrder.DAY_MONTH_YEAR)

    def preview(self, table: AthleteTable, mapping: AthleteMapping, *, today: date) -> ImportPreview:
        """Every row checked and matched against every patient held; nothing is stored."""
        self._require()
        return preview(table, mapping, self._held_like, today, load_held=self._held_records)

    def _held_like(self, patients: Sequence[Patient]) -> list[PatientSummary]:
        """The held patients who may be one of the file's: born the same day, or holding the same NHS number."""
        born = sorted({patient.date_of_birth for patient in patients})
        numbers = sorted({patient.nhs_number for patient in patients if patient.nhs_number})
        return self._store.patients.summaries_matching(born, numbers)

    def commit(
        self,
        preview: ImportPreview,
        squad_name: str,
        *,
        decisions: Mapping[int, MatchDecision],
        joined_on: date,
        progress: Progress = NO_PROGRESS,
        club_id: int | None = None,
        new_club_name: str = "",
        leave_out_rejected: bool = False,
    ) -> ImportOutcome:
        """Store the preview's athletes and make them members of the squad, in one transaction.

        Args:
            preview: from ``preview``.
            squad_name: the squad to join; created (in the same transaction) when no squad has the name.
            decisions: MERGE or SKIP by file line for the MATCH rows; a row not named is merged.
            joined_on: the day the memberships start.
            progress: told how far the commit has got; cancelling rolls everything back.
            club_id: the club of the squad, where the name alone is ambiguous or a new squad is made.
            new_club_name: a club not held yet, made in the same transaction, for the new squad.
            leave_out_rejected: import the valid rows and leave the rejected ones out, deliberately.

        Raises:
            CalfDeskError: rejected rows (and not ``leave_out_rejected``), nothing to import, or a squad
                name that several squads have.
            ValidationFailed: the squad's name is blank or too long.
            ConflictError: a patient held changed since the preview.
            Cancelled: the user stopped it; nothing was stored.
        """
        self._require()
        _refuse_unless_importable(preview, leave_out_rejected)
        new = [row.patient for row in preview.with_status(RowStatus.NEW) if row.patient is not None]
        merging = [row for row in preview.with_status(RowStatus.MATCH) if _merged(row, decisions)]
        if not new and not merging:
            raise CalfDeskError("Nothing to import: every athlete in the file is held already and was skipped.")
        squad, new_club = self._squad_for(squad_name, club_id, new_club_name.strip())
        updated, existing_ids = self._merges(merging)
        check_cancelled(progress)
        outcome = self._store.squads.import_athletes(
            squad, new, updated, existing_ids, joined_on, progress, new_club=new_club
        )
        self._audit(outcome, created_squad=squad.id is None, new_club=new_club, left_out=len(preview.rejected))
        return outcome

    def rejection_report(self, preview: ImportPreview) -> str:
        """Every rejected row's reasons as CSV text (line, status, column, reason); cells formula-safe (H2)."""
        from workstation.exchange.spreadsheet import formula_safe

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(REJECTION_REPORT_HEADERS)
        for problem in preview.mapping_problems:
            writer.writerow(["", "File", "", formula_safe(problem)])
        for row in preview.rejected:
            for found in row.problems:
                cells = (str(row.line), row.status.label, found.column, found.message)
                writer.writerow([formula_safe(cell) for cell in cells])
        return out.getvalue()

    def _require(self) -> None:
        for action in (Action.MANAGE_SQUADS, Action.EDIT_PATIENT):
            self._guard.require(action, AuditEvent.ATHLETES_IMPORTED)

    def _squad_for(self, name: str, club_id: int | None, new_club_name: str) -> tuple[Squad, Club | None]:
        """The squad called ``name`` (of ``club_id`` if given), or a new one with, if needed, a new club.

        An archived squad is never filled silently: when it is the only one of that name, the import is
        refused with the way out (reopen it, or choose another squad).
        """
        wanted = cleaned_squad(Squad(club_id=club_id or 0, name=name))
        if problems := [problem for problem in squad_problems(wanted) if problem.blocks_save]:
            raise ValidationFailed(problems)
        if new_club_name and club_id is None:  # a club not held yet has no squads: the squad is new too
            if problems := club_name_problems(new_club_name):
                raise ValidationFailed(problems)
            return wanted, Club(new_club_name)
        found = [s for s in self._store.squads.find_squads(wanted.name) if club_id in (None, s.club_id)]
        current = [squad for squad in found if not squad.archived]
        if found and not current:  # its season is over: filing athletes into it would go unseen
            title = found[0].title if len(found) == 1 else wanted.name
            raise CalfDeskError(f"The squad {title} is archived: reopen it in Squads, or import into another squad.")
        if len(current) > 1:
            raise CalfDeskError(
                f"{len(current)} squads have this name, in different clubs or seasons.",
                hint="Choose the club, or give one of the squads another name.",
            )
        if current:
            return current[0], None
        clubs = self._store.squads.clubs()
        if club_id is not None:
            if all(club.id != club_id for club in clubs):
                raise RecordNotFound("The club chosen for the squad no longer exists.")
            return wanted, None
        if len(clubs) > 1:
            raise CalfDeskError("Choose the club for the new squad: more than one club is held.")
        if clubs and clubs[0].id is not None:
            return Squad(club_id=clubs[0].id, name=wanted.name), None
        return wanted, Club(DEFAULT_CLUB_NAME)

    def _merges(self, rows: list[PreviewRow]) -> tuple[list[Patient], list[int]]:
        """The held records with their blank fields filled (read now, for their versions), and every id."""
        updated: list[Patient] = []
        existing_ids: list[int] = []
        records = self._held_records([row.match_id for row in rows if row.match_id is not None])
        for row in rows:
            if row.match_id is None or row.patient is None:
                continue
            held = records[row.match_id]
            if identifier_conflicts(row.patient, held):
                raise ConflictError("A patient's record changed after the file was checked: check the file again.")
            filled = filled_from_file(held, row.patient)
            if filled is not held:
                updated.append(filled)
            existing_ids.append(row.match_id)
        return updated, existing_ids

    def _held_records(self, patient_ids: Sequence[int]) -> dict[int, Patient]:
        """The whole records of held patients, as stored now (RecordNotFound if one was erased meanwhile)."""
        found = self._store.patients.get_many(patient_ids)
        if len(found) < len(set(patient_ids)):
            raise RecordNotFound("A patient the file matched is no longer held.", hint="Check the file again.")
        return found

    def _audit(self, outcome: ImportOutcome, *, created_squad: bool, new_club: Club | None, left_out: int) -> None:
        squad_id = outcome.squad.id
        if new_club is not None:
            self._guard.auditor.record(
                AuditEvent.CLUB_CREATED, self._guard.actor, object_type="club", object_id=outcome.squad.club_id,
                detail="created by an athlete import",
            )  # fmt: skip
        if created_squad:
            self._guard.auditor.record(
                AuditEvent.SQUAD_CREATED, self._guard.actor, object_type="squad", object_id=squad_id,
                detail="created by an athlete import",
            )  # fmt: skip
        detail = (
            f"{outcome.created} new, {outcome.merged} merged, {outcome.joined} joined, "
            f"{outcome.already_members} already members, {left_out} rows left out"
        )
        self._guard.auditor.record(
            AuditEvent.ATHLETES_IMPORTED, self._guard.actor, object_type="squad", object_id=squad_id, detail=detail
        )


def _merged(row: PreviewRow, decisions: Mapping[int, MatchDecision]) -> bool:
    return decisions.get(row.line, MatchDecision.MERGE) is MatchDecision.MERGE


def _refuse_unless_importable(preview: ImportPreview, leave_out_rejected: bool) -> None:
    if preview.can_commit:
        return
    if preview.mapping_problems:
        raise CalfDeskError("Nothing was imported: choose the columns first.", hint=" ".join(preview.mapping_problems))
    importable = any(row.status in (RowStatus.NEW, RowStatus.MATCH) for row in preview.rows)
    if not importable:
        raise CalfDeskError("Nothing was imported: no row of the file can be imported.")
    if not leave_out_rejected:
        rejected = len(preview.rejected)
        raise CalfDeskError(
            f"Nothing was imported: {rejected} {'row has' if rejected == 1 else 'rows have'} problems.",
            hint="Save the report of rejected rows and correct the file, or import only the valid rows.",
        )
