"""RecordExchangeService on a real SQLite store: every role x use case pair allowed or refused as the
permission table says (refusals audited), the FHIR bundle of a real record validates, the squad files and
report are made from what session.squads gives each role (club staff's file holds availability only, G5),
and every export or import writes one audit entry with ids and counts, never a name."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from openpyxl import load_workbook

from db.patient_export import SqlPatientFile
from db.patient_transfer import SqlRecordTransfer
from reports.squad_report import render_squad_report
from tests import dbkit
from tests.reports.pdf_text import all_text
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditEvent, Outcome
from workstation.errors import CalfDeskError, PermissionDenied
from workstation.exchange.squad_export import CLUB_HEADERS
from workstation.exchange.transfer_ports import TransferRefused
from workstation.ports import AuditQuery
from workstation.records import Consent, Episode, Observation, Patient, Sex, Side
from workstation.security.accounts import Actor, Role, User
from workstation.security.permissions import Action, is_allowed
from workstation.services.session import ClinicSession
from workstation.squads.records import ScreeningEntry, Squad

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
TODAY = NOW.date()
NAMES = (("Aroha", "Ngata"), ("Thị Minh", "Nguyễn"), ("Zoë", "Clarke"))


class Practice:
    """A store with a squad of three screened athletes, and a session per role."""

    def __init__(self, store: Any, key_folder: Path) -> None:
        self.store = store
        self.key_folder = key_folder
        self.users = {role: store.users.add(User(f"{role.value}.one", role.label, role, "not-a-real-hash")).id
                      for role in Role}  # fmt: skip
        admin = self.session(Role.ADMIN)
        self.patient_ids = [
            store.patients.add(Patient(given, family, date(1996, 5, 6), Sex.FEMALE,
                                       club_consent=Consent(True, date(2026, 1, 5)))).id
            for given, family in NAMES
        ]  # fmt: skip
        club = admin.squads.add_club("Harriers")
        self.squad = admin.squads.save_squad(Squad(club.id, "Senior women", "2026/27"))
        for patient_id in self.patient_ids:
            admin.squads.add_member(self.squad.id, patient_id, date(2026, 1, 10))
        screening = admin.squads.start_screening(self.squad.id, date(2026, 11, 12))
        for index, patient_id in enumerate(self.patient_ids):
            values = {"heel_raise_left": 24.0 + index, "heel_raise_right": 32.0, "knee_to_wall_left": 11.5,
                      "knee_to_wall_right": 10.0, "pain": float(index)}  # fmt: skip
            admin.squads.save_entry(ScreeningEntry(screening.id, patient_id, values))
        admin.squads.complete_screening(screening.id, admin.squads.screenings(self.squad.id)[0].version)

    def session(self, role: Role) -> ClinicSession:
        actor = Actor(self.users[role], f"{role.value}.one", role, "pavilion")
        session = ClinicSession(self.store, actor, Auditor(self.store.audit, "pavilion", lambda: NOW))
        session.pseudonym_key_path = self.key_folder / "pseudonym.key"
        return session


@pytest.fixture
def practice(sqlite_url: str, tmp_path: Path) -> Iterator[Practice]:
    store = dbkit.open_store(sqlite_url)
    yield Practice(store, tmp_path)
    store.close()


def _entries(practice: Practice, event: AuditEvent) -> list[Any]:
    return practice.store.audit.query(AuditQuery(event=event))


# The role matrix --------------------------------------------------------------------------------

UseCase = Callable[[Practice, ClinicSession], object]


def _fhir(practice: Practice, session: ClinicSession) -> object:
    return session.record_exchange.fhir_bundle(practice.patient_ids[0], now=NOW)


def _squad_csv(practice: Practice, session: ClinicSession) -> object:
    dashboard = practice.session(Role.CLUB).squads.dashboard(practice.squad.id, TODAY)  # availability only
    return session.record_exchange.squad_file(dashboard, practice.squad, "csv")


def _analytics(practice: Practice, session: ClinicSession) -> object:
    analytics = practice.session(Role.CLUB).squads.analytics(practice.squad.id, TODAY)
    return session.record_exchange.analytics_file(analytics, "csv")


def _report(practice: Practice, session: ClinicSession) -> object:
    dashboard = practice.session(Role.CLINICIAN).squads.dashboard(practice.squad.id, TODAY)
    return session.record_exchange.squad_report(dashboard, practice.squad, clinic_name="Riverside",
                                                render=render_squad_report)  # fmt: skip


def _transfer_out(practice: Practice, session: ClinicSession) -> object:
    return session.record_exchange.transfer_export(practice.patient_ids[0], SqlPatientFile(practice.store))


def _transfer_in(practice: Practice, session: ClinicSession) -> object:
    # A file refused as soon as it is read: the permission is checked before anything is read.
    return session.record_exchange.transfer_import(b"{}", SqlRecordTransfer(practice.store))


# use case -> (the actions it needs, the event its refusal is audited as)
USE_CASES: dict[str, tuple[UseCase, tuple[Action, ...], AuditEvent]] = {
    "fhir_bundle": (_fhir, (Action.EXPORT_PATIENT_RECORD,), AuditEvent.PATIENT_FHIR_EXPORTED),
    "squad_file": (_squad_csv, (Action.EXPORT_SQUAD,), AuditEvent.SQUAD_EXPORTED),
    "analytics_file": (_analytics, (Action.VIEW_SQUAD_ANALYTICS,), AuditEvent.SQUAD_ANALYTICS_EXPORTED),
    "squad_report": (_report, (Action.EXPORT_SQUAD, Action.VIEW_CLINICAL), AuditEvent.SQUAD_EXPORTED),
    "transfer_export": (_transfer_out, (Action.EXPORT_PATIENT_RECORD,), AuditEvent.RECORD_TRANSFER_EXPORTED),
    "transfer_import": (_transfer_in, (Action.IMPORT_PATIENT_RECORD,), AuditEvent.RECORD_TRANSFER_IMPORTED),
}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_and_use_case_pair_is_allowed_or_refused_as_the_table_says(practice: Practice, role: Role) -> None:
    session = practice.session(role)
    for name, (use_case, actions, event) in USE_CASES.items():
        allowed = all(is_allowed(role, action) for action in actions)
        denials_before = sum(e.outcome is Outcome.DENIED for e in _entries(practice, event))
        if allowed:
            try:
                use_case(practice, session)
            except TransferRefused:
                assert name == "transfer_import"  # allowed, then the empty file is refused
        else:
            with pytest.raises(PermissionDenied):
                use_case(practice, session)
            denials = [e for e in _entries(practice, event) if e.outcome is Outcome.DENIED]
            assert len(denials) == denials_before + 1, name
            assert denials[0].user_id == practice.users[role]


# The use cases ------------------------------------------------------------------------------------


def test_the_fhir_bundle_of_a_real_record_validates_and_is_audited_by_counts(practice: Practice) -> None:
    store, patient_id = practice.store, practice.patient_ids[1]
    episode = store.episodes.add(Episode(patient_id, "Left calf pain", Side.LEFT, date(2026, 11, 1)))
    store.observations.add(Observation(patient_id, date(2026, 11, 2), "nprs_now", 4, "0-10", episode_id=episode.id))
    bundle = practice.session(Role.ADMIN).record_exchange.fhir_bundle(patient_id, now=NOW)
    Bundle.model_validate(bundle)
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    # The screening's five values became observations too: one record serves the clinic and the squad.
    assert kinds.count("Observation") == 6 and kinds.count("Condition") == 1
    (entry,) = _entries(practice, AuditEvent.PATIENT_FHIR_EXPORTED)
    assert (entry.patient_id, entry.outcome) == (patient_id, Outcome.SUCCESS)
    assert entry.detail == "1 Condition, 6 Observation, 1 Patient"
    assert "Nguy" not in json.dumps(entry.detail)


def test_a_clinicians_squad_file_has_the_values_and_club_staffs_availability_only(practice: Practice) -> None:
    clinician, club = practice.session(Role.CLINICIAN), practice.session(Role.CLUB)
    full = clinician.record_exchange.squad_file(clinician.squads.dashboard(practice.squad.id, TODAY),
                                                practice.squad, "xlsx")  # fmt: skip
    sheet = load_workbook(io.BytesIO(full)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert "Heel raise L" in headers and "Flags" in headers and sheet.max_row == 4
    limited = club.record_exchange.squad_file(club.squads.dashboard(practice.squad.id, TODAY), practice.squad, "csv")
    lines = limited.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(CLUB_HEADERS) and len(lines) == 4
    assert "Nguyễn, Thị Minh" in limited.decode("utf-8-sig")
    details = [e.detail for e in _entries(practice, AuditEvent.SQUAD_EXPORTED)]
    assert details == [f"squad {practice.squad.id}; csv; 3 rows", f"squad {practice.squad.id}; xlsx; 3 rows"]


def test_club_staff_cannot_export_a_dashboard_built_with_clinical_values(practice: Practice) -> None:
    clinical = practice.session(Role.CLINICIAN).squads.dashboard(practice.squad.id, TODAY)
    with pytest.raises(PermissionDenied):
        practice.session(Role.CLUB).record_exchange.squad_file(clinical, practice.squad, "csv")
    (denied,) = _entries(practice, AuditEvent.SQUAD_EXPORTED)
    assert (denied.outcome, denied.detail) == (Outcome.DENIED, "view_clinical")


def test_the_analytics_file_has_no_names_and_the_counts_sheet_in_xlsx(practice: Practice) -> None:
    club = practice.session(Role.CLUB)
    analytics = club.squads.analytics(practice.squad.id, TODAY)
    csv_text = club.record_exchange.analytics_file(analytics, "csv").decode("utf-8-sig")
    for given, family in NAMES:
        assert given not in csv_text and family not in csv_text
    assert "1996-05-06" not in csv_text and len(csv_text.splitlines()) == 4
    book = load_workbook(io.BytesIO(club.record_exchange.analytics_file(analytics, "xlsx")))
    assert book.sheetnames == ["Athletes", "Counts"]
    assert {row[1] for row in book["Counts"].iter_rows(min_row=2, values_only=True)} <= {"<8", "0"}  # 3 athletes


def test_the_screening_report_is_a_pdf_of_the_squad_audited(practice: Practice) -> None:
    pdf = _report(practice, practice.session(Role.CLINICIAN))
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")
    text = all_text(pdf)
    assert "Senior women (2026/27)" in text and "Nguyễn, Thị Minh" in text and "Page 1 of 1" in text
    (entry,) = _entries(practice, AuditEvent.SQUAD_EXPORTED)
    assert entry.detail == f"squad {practice.squad.id}; pdf; 3 rows"


def test_a_format_other_than_csv_or_xlsx_is_refused_in_plain_words(practice: Practice) -> None:
    clinician = practice.session(Role.CLINICIAN)
    dashboard = clinician.squads.dashboard(practice.squad.id, TODAY)
    with pytest.raises(CalfDeskError, match="CSV or XLSX"):
        clinician.record_exchange.squad_file(dashboard, practice.squad, "ods")
    assert _entries(practice, AuditEvent.SQUAD_EXPORTED) == []


def test_a_transfer_export_and_a_refused_import_are_audited_without_names(practice: Practice) -> None:
    admin = practice.session(Role.ADMIN)
    data = _transfer_out(practice, admin)
    assert isinstance(data, bytes) and json.loads(data)["format"] == "calfdesk-record-transfer"
    (exported,) = _entries(practice, AuditEvent.RECORD_TRANSFER_EXPORTED)
    assert exported.patient_id == practice.patient_ids[0] and exported.detail.endswith("tables read")
    with pytest.raises(TransferRefused, match="not a CalfDesk record transfer"):
        admin.record_exchange.transfer_import(b"not json at all", SqlRecordTransfer(practice.store))
    (refused,) = _entries(practice, AuditEvent.RECORD_TRANSFER_IMPORTED)
    assert (refused.outcome, refused.detail) == (Outcome.FAILURE, "refused: TransferRefused")
