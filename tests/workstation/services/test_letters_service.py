"""Letters for one logged-in person, on real databases of both kinds: what a letter is written from, who
may write and read one, the phone call an urgent letter needs first, the fingerprint checked at every read,
clinicians' letter details, and the audit entry each use case leaves (F1), never with a name in it."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from tests import dbkit
from workstation.assessment.records import AssessmentRecord, RedFlagRecord
from workstation.audit.auditor import Auditor
from workstation.audit.records import AuditAction, AuditEntry, AuditEvent, Outcome
from workstation.errors import (
    CalfDeskError,
    ConflictError,
    LetterDamaged,
    PermissionDenied,
    RecordNotFound,
    ValidationFailed,
)
from workstation.letters.document import Letter, RenderedLetter
from workstation.letters.records import (
    ClinicianProfile,
    LetterFacts,
    LetterKind,
    LetterRequest,
    PhoneCall,
    Recipient,
    SectionKey,
)
from workstation.ports import AuditQuery
from workstation.records import Episode, GeneralPractitioner, Patient, Side
from workstation.security.accounts import Actor, Role, User
from workstation.services.letters import LetterUse
from workstation.services.session import ClinicSession

TODAY = date(2026, 12, 18)
NOW = datetime(2026, 12, 18, 11, 30, tzinfo=UTC)
FAMILY = "Qzvx7731Canary"  # must never reach the audit
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 300
GP = Recipient("Dr A Patel", "Riverside Surgery", "1 Mill Lane\nRiverside")


def tiny_render(letter: Letter) -> RenderedLetter:
    """A stand-in for ``reports.letters.render_letter``: the same letter always gives the same bytes."""
    return RenderedLetter(b"%PDF-1.4 test " + letter.kind.value.encode() + letter.reference.encode(), pages=1)


class Clinic:
    """A practice with one account per role and a patient with two assessments of one episode."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.ids = {role: self._account(role) for role in Role}
        self.colleague = self._account(Role.CLINICIAN, "dr.rua", "Dr Rua")
        patient = store.patients.add(
            Patient("Zoë", FAMILY, date(1991, 5, 6), gp=GeneralPractitioner("Dr A Patel", "Riverside Surgery"))
        )
        self.patient_id: int = patient.id
        self.episode_id: int = store.episodes.add(Episode(patient.id, "Left calf", Side.LEFT, date(2026, 11, 1))).id
        self.first = self._assessment(date(2026, 11, 20))
        self.latest = self._assessment(date(2026, 12, 14))
        other = store.patients.add(Patient("Liam", "Walsh", date(1990, 6, 1)))
        self.other_patient: int = other.id
        self.others = store.assessments.finalise(
            AssessmentRecord(other.id, None, TODAY, "{}", "{}", "{}", "routine", recorded_by=1), []
        )

    def _account(self, role: Role, name: str = "", display: str = "") -> int:
        user = self.store.users.add(User(name or f"{role.value}.one", display or f"{role.label} One", role, "hash"))
        return int(user.id)

    def _assessment(self, day: date, urgency: str = "routine") -> AssessmentRecord:
        record = AssessmentRecord(self.patient_id, self.episode_id, day, "{}", "{}", "{}", urgency, recorded_by=1)
        return self.store.assessments.finalise(record, [])

    def session(self, role: Role = Role.CLINICIAN, user_id: int | None = None) -> ClinicSession:
        actor = Actor(self.ids[role] if user_id is None else user_id, f"{role.value}.one", role, "room-2")
        return ClinicSession(self.store, actor, Auditor(self.store.audit, "room-2", lambda: NOW))

    def flag(self, tier: str = "urgent", code: str = "dvt_likely") -> RedFlagRecord:
        raised = RedFlagRecord(self.patient_id, self.episode_id, code, tier, "Same-day assessment.", NOW, 1)
        return self.store.red_flags.raise_flag(raised)

    def request(self, kind: LetterKind = LetterKind.GP_REFERRAL, **changes: Any) -> LetterRequest:
        sections = frozenset({SectionKey.REQUEST, SectionKey.FINDINGS, SectionKey.RED_FLAGS, SectionKey.PLAN})
        return replace(LetterRequest(kind, self.patient_id, None, GP, sections), **changes)

    def entries(self, event: AuditEvent) -> list[AuditEntry]:
        return self.store.audit.query(AuditQuery(event=event))


@pytest.fixture
def clinic(store: Any) -> Clinic:
    return Clinic(store)


# What a letter is written from ----------------------------------------------------------------------


def test_the_facts_are_the_latest_assessment_its_episodes_first_and_the_flags_to_report(clinic: Clinic) -> None:
    standing = clinic.flag("urgent")
    letters = clinic.session().letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    assert (facts.patient.id, facts.patient.gp.name) == (clinic.patient_id, "Dr A Patel")
    assert (facts.assessment, facts.first_assessment) == (clinic.latest, clinic.first)
    assert facts.assessments == (clinic.first, clinic.latest)
    assert facts.episode is not None and facts.episode.id == clinic.episode_id
    assert facts.red_flags == (standing,)
    assert facts.progress is not None and facts.today == TODAY and facts.phone_call is None
    # No details filled in yet: the defaults, with the account's name.
    assert facts.clinician == ClinicianProfile(clinic.ids[Role.CLINICIAN], "Clinician One")
    chosen = letters.facts(clinic.patient_id, assessment_id=clinic.first.id, today=TODAY)
    assert (chosen.assessment, chosen.first_assessment) == (clinic.first, clinic.first)


def test_a_resolved_flag_of_the_chosen_assessment_is_reported_with_the_standing_ones(clinic: Clinic) -> None:
    raised = clinic.flag("emergency", "cauda_equina")
    resolved = clinic.store.red_flags.resolve(raised.id, "Phoned 999 at 11:20", by=1, at=NOW)
    chosen = clinic._assessment(TODAY)  # links the episode's flags (resolved or not) to itself
    standing = clinic.flag("urgent")
    facts = clinic.session().letters.facts(clinic.patient_id, assessment_id=chosen.id, today=TODAY)
    assert [f.id for f in facts.red_flags] == [standing.id, resolved.id]
    earlier = clinic.session().letters.facts(clinic.patient_id, assessment_id=clinic.first.id, today=TODAY)
    assert [f.id for f in earlier.red_flags] == [standing.id]


def test_an_amended_or_someone_elses_assessment_is_refused(clinic: Clinic) -> None:
    amended = clinic.store.assessments.finalise(
        replace(clinic.latest, id=None, uid="amendment", amends_id=clinic.latest.id, amendment_reason="typo"), []
    )
    letters = clinic.session().letters
    for wrong in (clinic.latest.id, clinic.others.id, 10_000):
        with pytest.raises(ValidationFailed) as refused:
            letters.facts(clinic.patient_id, assessment_id=wrong, today=TODAY)
        assert [p.field for p in refused.value.problems] == ["assessment_id"]
        assert "not a current one of this patient's" in refused.value.problems[0].message
    assert letters.facts(clinic.patient_id, assessment_id=None, today=TODAY).assessment == amended


def test_a_patient_with_no_assessment_yet_still_gets_facts(clinic: Clinic) -> None:
    facts = clinic.session().letters.facts(clinic.other_patient, assessment_id=None, today=TODAY)
    assert facts.assessment == clinic.others and facts.episode is None
    bare = clinic.store.patients.add(Patient("Mei", "Chen", date(2001, 2, 3)))
    nothing = clinic.session().letters.facts(bare.id, assessment_id=None, today=TODAY)
    assert (nothing.assessment, nothing.first_assessment, nothing.episode, nothing.red_flags) == (None, None, None, ())
    with pytest.raises(RecordNotFound):
        clinic.session().letters.facts(10_000, assessment_id=None, today=TODAY)


# Who may ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.CLUB])
def test_reception_and_club_staff_can_neither_write_nor_read_letters(clinic: Clinic, role: Role) -> None:
    writer = clinic.session().letters
    facts = writer.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    stored = writer.finalise(clinic.request(), facts, render=tiny_render, at=NOW)
    letters = clinic.session(role).letters
    refusals = {
        AuditEvent.LETTER_VIEWED: lambda: letters.facts(clinic.patient_id, assessment_id=None, today=TODAY),
        AuditEvent.LETTER_FINALISED: lambda: letters.finalise(clinic.request(), facts, render=tiny_render, at=NOW),
    }
    for attempt in refusals.values():
        with pytest.raises(PermissionDenied):
            attempt()
    with pytest.raises(PermissionDenied):
        letters.letters_for(clinic.patient_id)
    for use in LetterUse:
        with pytest.raises(PermissionDenied):
            letters.pdf(stored.id, use=use)
    denied = [e for e in clinic.store.audit.query(AuditQuery(user_id=clinic.ids[role]))]
    assert {(e.event, e.outcome, e.patient_id) for e in denied} == {
        (event, Outcome.DENIED, clinic.patient_id) for event in (*refusals, AuditEvent.LETTER_EXPORTED,
                                                                 AuditEvent.LETTER_PRINTED)
    }  # fmt: skip
    assert len(denied) == 6
    assert writer.letters_for(clinic.patient_id) == [stored]  # nothing was added


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.ADMIN])
def test_a_clinician_or_admin_finalises_and_reads_letters(clinic: Clinic, role: Role) -> None:
    letters = clinic.session(role).letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    stored = letters.finalise(clinic.request(), facts, render=tiny_render, at=NOW)
    assert letters.letters_for(clinic.patient_id) == [stored]
    assert letters.pdf(stored.id, use=LetterUse.VIEW).startswith(b"%PDF-1.4 test")
    assert stored.author_id == clinic.ids[role]


# Finalising --------------------------------------------------------------------------------------------


def test_a_finalised_letter_is_stored_with_its_fingerprint_author_and_an_audit_entry(clinic: Clinic) -> None:
    letters = clinic.session().letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    request = clinic.request()
    pdf = tiny_render(letters.compose(request, facts)).pdf
    stored = letters.finalise(request, facts, render=tiny_render, at=NOW)
    sha = hashlib.sha256(pdf).hexdigest()
    assert (stored.uid, stored.patient_id, stored.kind, stored.urgency) == (
        request.uid, clinic.patient_id, LetterKind.GP_REFERRAL, "routine",
    )  # fmt: skip
    assert (stored.sha256, stored.size_bytes, stored.page_count) == (sha, len(pdf), 1)
    assert (stored.author_id, stored.author_name) == (clinic.ids[Role.CLINICIAN], "Clinician One")
    assert (stored.assessment_id, stored.episode_id, stored.finalised_at) == (clinic.latest.id, clinic.episode_id,
                                                                              NOW)  # fmt: skip
    assert stored.recipient == "Dr A Patel, Riverside Surgery"
    assert FAMILY not in stored.title and stored.phone_call is None
    assert clinic.store.letters.pdf(stored.id) == pdf
    (entry,) = clinic.entries(AuditEvent.LETTER_FINALISED)
    assert (entry.action, entry.outcome, entry.patient_id, entry.object_type, entry.object_id) == (
        AuditAction.CREATE, Outcome.SUCCESS, clinic.patient_id, "letter", str(stored.id),
    )  # fmt: skip
    assert entry.detail == f"gp-referral; routine; 1 page; sha256 {sha[:12]}"


def test_a_retried_finalise_stores_the_letter_once(clinic: Clinic) -> None:
    letters = clinic.session().letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    request = clinic.request(kind=LetterKind.PROGRESS)
    first = letters.finalise(request, facts, render=tiny_render, at=NOW)
    again = letters.finalise(request, facts, render=tiny_render, at=NOW + timedelta(seconds=5))
    assert again == first and letters.letters_for(clinic.patient_id) == [first]


def test_an_urgent_letter_needs_the_phone_call_recorded_first(clinic: Clinic) -> None:
    clinic.flag("urgent")
    letters = clinic.session().letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    with pytest.raises(ValidationFailed) as refused:
        letters.finalise(clinic.request(), facts, render=tiny_render, at=NOW)
    (problem,) = refused.value.problems
    assert problem.field == "phone_call"
    assert problem.message.startswith("An urgent letter needs the phone call recorded first: phone the GP practice")
    half = replace(facts, phone_call=PhoneCall(None, spoken_to="Reception"))  # neither when nor why not
    with pytest.raises(ValidationFailed, match="phone_call"):
        letters.finalise(clinic.request(), half, render=tiny_render, at=NOW)
    assert letters.letters_for(clinic.patient_id) == []
    assert [e.outcome for e in clinic.entries(AuditEvent.LETTER_FINALISED)] == []  # refused before anything

    call = PhoneCall(NOW - timedelta(minutes=10), " Reception, Riverside Surgery ", "Seen today at 15:00")
    stored = letters.finalise(clinic.request(), replace(facts, phone_call=call), render=tiny_render, at=NOW)
    assert stored.urgency == "urgent"
    assert stored.phone_call == PhoneCall(call.at, "Reception, Riverside Surgery", "Seen today at 15:00")
    (entry,) = clinic.entries(AuditEvent.LETTER_FINALISED)
    assert entry.detail.startswith("gp-referral; urgent; 1 page; sha256 ") and entry.detail.endswith(
        "; phone call recorded"
    )
    assert "Reception" not in entry.detail


def test_an_emergency_letter_may_say_why_no_call_was_made_and_a_handout_needs_none(clinic: Clinic) -> None:
    clinic.flag("emergency", "cauda_equina")
    letters = clinic.session().letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    with pytest.raises(ValidationFailed) as refused:
        letters.finalise(clinic.request(), facts, render=tiny_render, at=NOW)
    assert "call the emergency number (999 UK, 000 Australia, 112 EU, 911 US)" in refused.value.problems[0].message
    handout = letters.finalise(clinic.request(kind=LetterKind.HANDOUT), facts, render=tiny_render, at=NOW)
    assert (handout.recipient, handout.phone_call) == ("Patient", None)
    not_called = replace(facts, phone_call=PhoneCall(None, not_called_reason="Taken to ED by ambulance"))
    stored = letters.finalise(clinic.request(), not_called, render=tiny_render, at=NOW)
    assert (stored.urgency, stored.phone_call) == ("emergency", PhoneCall(None, "", "", "Taken to ED by ambulance"))


def test_the_request_and_the_facts_must_be_about_the_same_record(clinic: Clinic) -> None:
    letters = clinic.session().letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    with pytest.raises(ValueError, match="same patient"):
        letters.finalise(clinic.request(patient_id=clinic.other_patient), facts, render=tiny_render, at=NOW)
    with pytest.raises(ValueError, match="same assessment"):
        letters.finalise(clinic.request(assessment_id=clinic.first.id), facts, render=tiny_render, at=NOW)
    assert letters.letters_for(clinic.patient_id) == []


def test_a_letter_over_20_mb_is_refused_in_plain_words(clinic: Clinic) -> None:
    letters = clinic.session().letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)

    def huge(_letter: Letter) -> RenderedLetter:
        return RenderedLetter(b"%PDF-1.7" + b"\x00" * (20 * 1024 * 1024), pages=40)

    with pytest.raises(CalfDeskError, match="more than the 20 MB a letter may be") as refused:
        letters.finalise(clinic.request(), facts, render=huge, at=NOW)
    assert type(refused.value) is CalfDeskError  # for the user: not a bug, not a database failure
    assert letters.letters_for(clinic.patient_id) == []


def test_a_real_letter_is_composed_rendered_and_stored_as_rendered(clinic: Clinic) -> None:
    from reports.letters import render_letter
    from tests.reports.pdf_text import all_text, reader

    letters = clinic.session().letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    stored = letters.finalise(clinic.request(), facts, render=render_letter, at=NOW)
    pdf = letters.pdf(stored.id, use=LetterUse.VIEW)
    assert hashlib.sha256(pdf).hexdigest() == stored.sha256
    assert len(reader(pdf).pages) == stored.page_count >= 1
    assert FAMILY in all_text(pdf)  # the letter names the patient ...
    assert FAMILY not in str(reader(pdf).metadata) and FAMILY not in stored.title  # ... its metadata never


def test_ready_refuses_what_finalise_would_before_anything_is_rendered(clinic: Clinic) -> None:
    clinic.flag("urgent")
    letters = clinic.session().letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    with pytest.raises(ValidationFailed) as refused:
        letters.ready(clinic.request(), facts)
    assert [problem.field for problem in refused.value.problems] == ["phone_call"]
    with pytest.raises(ValueError, match="same patient"):
        letters.ready(clinic.request(patient_id=clinic.other_patient), facts)
    reception = clinic.session(Role.RECEPTION).letters
    with pytest.raises(PermissionDenied):
        reception.ready(clinic.request(), facts)
    (denied,) = clinic.entries(AuditEvent.LETTER_FINALISED)
    assert (denied.outcome, denied.patient_id) == (Outcome.DENIED, clinic.patient_id)
    assert letters.letters_for(clinic.patient_id) == []


def test_a_letter_readied_is_rendered_and_stored_as_finalise_stores_it(clinic: Clinic) -> None:
    clinic.flag("urgent")
    letters = clinic.session().letters
    call = PhoneCall(NOW - timedelta(minutes=5), " Reception ", "Seen at 15:00")
    facts = replace(letters.facts(clinic.patient_id, assessment_id=None, today=TODAY), phone_call=call)
    request = clinic.request()
    ready = letters.ready(request, facts)
    assert (ready.urgency, ready.phone_call) == ("urgent", PhoneCall(call.at, "Reception", "Seen at 15:00"))
    assert ready.letter == letters.compose(request, facts)
    given: list[Letter] = []

    def render(letter: Letter) -> RenderedLetter:
        given.append(letter)
        return tiny_render(letter)

    for forged in (replace(ready, phone_call=None), replace(ready, urgency="routine", phone_call=None)):
        with pytest.raises((ValidationFailed, ValueError)):  # the rule holds whoever built the ready letter
            letters.finalise_ready(forged, render=render, at=NOW)
    assert given == [] and letters.letters_for(clinic.patient_id) == []
    stored = letters.finalise_ready(ready, render=render, at=NOW)
    assert given == [ready.letter] and given[0] is ready.letter  # the letter readied, not composed again
    assert (stored.urgency, stored.phone_call, stored.uid) == ("urgent", ready.phone_call, ready.request.uid)
    assert stored.sha256 == hashlib.sha256(tiny_render(ready.letter).pdf).hexdigest()
    (entry,) = clinic.entries(AuditEvent.LETTER_FINALISED)
    assert (entry.outcome, entry.object_id) == (Outcome.SUCCESS, str(stored.id))
    assert entry.detail.endswith("; phone call recorded")


def test_a_batch_reads_the_letterhead_and_the_clinicians_details_once(clinic: Clinic) -> None:
    session = clinic.session(Role.ADMIN)
    letters = session.letters
    session.clinic_settings.set_details(session.actor, name="Riverside Clinic")
    shared = letters.shared_facts()
    assert (shared.clinic.name, shared.clinician, shared.distance_unit) == (
        "Riverside Clinic", letters.clinician_profile(), "km",
    )  # fmt: skip
    session.clinic_settings.set_details(session.actor, name="Riverside Running Clinic")
    batch = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY, shared=shared)
    alone = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    assert (batch.clinic.name, alone.clinic.name) == ("Riverside Clinic", "Riverside Running Clinic")
    assert batch.clinician == alone.clinician and replace(batch, clinic=alone.clinic) == alone
    views = clinic.entries(AuditEvent.ASSESSMENT_VIEWED)
    assert [entry.patient_id for entry in views] == [clinic.patient_id] * 2  # each look at the record audited


# Reading -----------------------------------------------------------------------------------------------


def test_each_use_of_a_pdf_is_audited_as_its_own_read(clinic: Clinic) -> None:
    letters = clinic.session().letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    stored = letters.finalise(clinic.request(), facts, render=tiny_render, at=NOW)
    for use in LetterUse:
        assert hashlib.sha256(letters.pdf(stored.id, use=use)).hexdigest() == stored.sha256
    events = {AuditEvent.LETTER_VIEWED: "view", AuditEvent.LETTER_EXPORTED: "export",
              AuditEvent.LETTER_PRINTED: "print"}  # fmt: skip
    for event in events:
        (entry,) = clinic.entries(event)
        assert (entry.action, entry.outcome, entry.patient_id, entry.object_id) == (
            AuditAction.READ, Outcome.SUCCESS, clinic.patient_id, str(stored.id),
        )  # fmt: skip
        assert entry.detail == f"gp-referral; routine; 1 page; sha256 {stored.sha256[:12]}"
    letters.letters_for(clinic.patient_id)
    listed = clinic.entries(AuditEvent.LETTER_VIEWED)[0]
    assert (listed.detail, listed.patient_id) == ("listed 1 letters", clinic.patient_id)
    with pytest.raises(RecordNotFound):
        letters.pdf(10_000, use=LetterUse.VIEW)


def _tamper(store: Any, letter_id: int, pdf: bytes) -> None:
    """Flip one byte of a stored PDF past CalfDesk, as bit rot or a hand edit would (the trigger dropped)."""
    flipped = bytes([pdf[-1] ^ 0x01])
    if store.is_sqlite:
        with dbkit.raw(store.target.sqlite_path) as connection:
            connection.execute("DROP TRIGGER letter_no_update")
            connection.execute("UPDATE letter SET pdf = ? WHERE id = ?", (pdf[:-1] + flipped, letter_id))
            connection.commit()
        return
    with store.engine.begin() as connection:
        connection.execute(text("DROP TRIGGER letter_no_update ON letter"))
        connection.execute(text("UPDATE letter SET pdf = :pdf WHERE id = :id"), {"pdf": pdf[:-1] + flipped,
                                                                              "id": letter_id})  # fmt: skip


def test_a_damaged_pdf_is_refused_and_the_failure_audited(clinic: Clinic) -> None:
    letters = clinic.session().letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    stored = letters.finalise(clinic.request(), facts, render=tiny_render, at=NOW)
    _tamper(clinic.store, stored.id, clinic.store.letters.pdf(stored.id))
    for use in (LetterUse.VIEW, LetterUse.PRINT):
        with pytest.raises(LetterDamaged, match=f"Letter {stored.reference} is damaged"):
            letters.pdf(stored.id, use=use)
    failures = [e for e in clinic.store.audit.query(AuditQuery(patient_id=clinic.patient_id))
                if e.outcome is Outcome.FAILURE]  # fmt: skip
    assert {e.event for e in failures} == {AuditEvent.LETTER_VIEWED, AuditEvent.LETTER_PRINTED}
    assert all(e.detail.startswith(f"damaged: sha256 {stored.sha256[:12]} finalised, ") for e in failures)


def test_a_full_disk_refuses_the_letter_in_plain_words_and_the_same_finalise_works_later(sqlite_url: str) -> None:
    from tests.faults.disk_full import page_cap
    from workstation.errors import DiskFull

    store = dbkit.open_store(sqlite_url)
    try:
        clinic = Clinic(store)
        letters = clinic.session().letters
        facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
        request = clinic.request()

        def bulky(letter: Letter) -> RenderedLetter:
            return RenderedLetter(tiny_render(letter).pdf + bytes(range(256)) * 400, pages=1)

        limit = page_cap(store.engine)
        limit(0)
        with pytest.raises(DiskFull):
            letters.finalise(request, facts, render=bulky, at=NOW)
        limit(None)
        assert letters.letters_for(clinic.patient_id) == []
        stored = letters.finalise(request, facts, render=bulky, at=NOW)
        assert letters.pdf(stored.id, use=LetterUse.VIEW) == bulky(letters.compose(request, facts)).pdf
    finally:
        store.close()


# Clinicians' letter details --------------------------------------------------------------------------


def test_a_clinician_fills_in_their_own_details_and_letters_carry_them(clinic: Clinic) -> None:
    letters = clinic.session().letters
    mine = letters.clinician_profile()
    saved = letters.save_clinician_profile(
        replace(mine, registration_body=" HCPC ", registration_number="PH123456", email="m.chen@nhs.net",
                signature=PNG),
        at=NOW,
    )  # fmt: skip
    assert (saved.version, saved.registration_body, saved.display_name) == (1, "HCPC", "Clinician One")
    assert letters.clinician_profile() == saved
    assert letters.facts(clinic.patient_id, assessment_id=None, today=TODAY).clinician == saved
    (entry,) = clinic.entries(AuditEvent.CLINICIAN_PROFILE_CHANGED)
    assert (entry.action, entry.object_type, entry.object_id, entry.patient_id) == (
        AuditAction.UPDATE, "user", str(clinic.ids[Role.CLINICIAN]), None,
    )  # fmt: skip
    assert entry.detail == "version 0 -> 1; registration_body, registration_number, email, signature"
    with pytest.raises(ConflictError):
        letters.save_clinician_profile(replace(mine, phone="01632 960123"), at=NOW)  # read before the save


def test_each_detail_is_checked_and_named_when_refused(clinic: Clinic) -> None:
    letters = clinic.session().letters
    mine = letters.clinician_profile()
    wrong = replace(mine, profession=" ", registration_body="B" * 51, registration_number="N" * 51,
                    phone="ring me", email="not-an-address", signature=b"GIF89a....")  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        letters.save_clinician_profile(wrong, at=NOW)
    assert sorted(p.field for p in refused.value.problems) == [
        "email", "phone", "profession", "registration_body", "registration_number", "signature",
    ]  # fmt: skip
    too_big = replace(mine, signature=b"\xff\xd8\xff" + b"\x00" * (1024 * 1024))
    with pytest.raises(ValidationFailed, match="signature"):
        letters.save_clinician_profile(too_big, at=NOW)
    with pytest.raises(ValidationFailed, match="profession"):
        letters.save_clinician_profile(replace(mine, profession="P" * 101), at=NOW)
    assert clinic.store.clinician_profiles.get(mine.user_id) is None
    assert clinic.entries(AuditEvent.CLINICIAN_PROFILE_CHANGED) == []


def test_someone_elses_details_need_an_administrator(clinic: Clinic) -> None:
    colleague = clinic.colleague
    with pytest.raises(PermissionDenied):
        clinic.session().letters.clinician_profile(colleague)
    with pytest.raises(PermissionDenied):
        clinic.session().letters.save_clinician_profile(ClinicianProfile(colleague, "Dr Rua"), at=NOW)
    with pytest.raises(PermissionDenied):  # reception writes no letters, so keeps no letter details
        clinic.session(Role.RECEPTION).letters.save_clinician_profile(
            ClinicianProfile(clinic.ids[Role.RECEPTION], ""), at=NOW
        )
    admin = clinic.session(Role.ADMIN).letters
    theirs = admin.clinician_profile(colleague)
    assert theirs == ClinicianProfile(colleague, "Dr Rua")
    saved = admin.save_clinician_profile(replace(theirs, registration_number="PH654321"), at=NOW)
    assert clinic.store.clinician_profiles.get(colleague) == saved
    entries = clinic.entries(AuditEvent.CLINICIAN_PROFILE_CHANGED)
    assert [(e.outcome, e.user_id) for e in reversed(entries)] == [
        (Outcome.DENIED, clinic.ids[Role.CLINICIAN]), (Outcome.DENIED, clinic.ids[Role.CLINICIAN]),
        (Outcome.DENIED, clinic.ids[Role.RECEPTION]), (Outcome.SUCCESS, clinic.ids[Role.ADMIN]),
    ]  # fmt: skip
    with pytest.raises(RecordNotFound):
        admin.clinician_profile(10_000)


def test_a_letter_just_stored_is_read_back_and_checked_before_it_is_exported(clinic: Clinic) -> None:
    letters = clinic.session().letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    stored = letters.finalise(clinic.request(), facts, render=tiny_render, at=NOW)
    assert letters.stored_pdf(stored, use=LetterUse.EXPORT) == clinic.store.letters.pdf(stored.id)
    (exported,) = clinic.entries(AuditEvent.LETTER_EXPORTED)
    assert (exported.outcome, exported.object_id) == (Outcome.SUCCESS, str(stored.id))
    _tamper(clinic.store, stored.id, clinic.store.letters.pdf(stored.id))
    with pytest.raises(LetterDamaged):
        letters.stored_pdf(stored, use=LetterUse.EXPORT)
    assert [e.outcome for e in clinic.entries(AuditEvent.LETTER_EXPORTED)] == [Outcome.FAILURE, Outcome.SUCCESS]


# F1: every use case leaves its entry, and none names the patient --------------------------------------


def test_no_letter_audit_entry_carries_a_name_or_the_letters_words(clinic: Clinic) -> None:
    clinic.flag("urgent")
    letters = clinic.session().letters
    facts = letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    call = PhoneCall(NOW, "Reception, Riverside Surgery", f"Seen today, {FAMILY} told")
    stored = letters.finalise(clinic.request(), replace(facts, phone_call=call), render=tiny_render, at=NOW)
    for use in LetterUse:
        letters.pdf(stored.id, use=use)
    letters.letters_for(clinic.patient_id)
    letters.save_clinician_profile(replace(letters.clinician_profile(), email="m.chen@nhs.net"), at=NOW)
    written = clinic.store.audit.query(AuditQuery())
    letter_events = {AuditEvent.LETTER_FINALISED, AuditEvent.LETTER_VIEWED, AuditEvent.LETTER_EXPORTED,
                     AuditEvent.LETTER_PRINTED, AuditEvent.CLINICIAN_PROFILE_CHANGED}  # fmt: skip
    assert letter_events <= {e.event for e in written}
    for entry in written:
        shown = f"{entry.detail} {entry.object_id} {entry.object_type}"
        assert FAMILY not in shown and "Zoë" not in shown and "Patel" not in shown and "nhs.net" not in shown
    assert clinic.session(Role.ADMIN).verify_audit().ok


def test_facts_for_a_letter_are_audited_as_a_look_at_the_record(clinic: Clinic) -> None:
    clinic.session().letters.facts(clinic.patient_id, assessment_id=None, today=TODAY)
    (entry,) = clinic.entries(AuditEvent.ASSESSMENT_VIEWED)
    assert (entry.patient_id, entry.object_type, entry.outcome) == (clinic.patient_id, "progress", Outcome.SUCCESS)


def test_the_session_offers_one_letter_service(clinic: Clinic) -> None:
    session = clinic.session()
    assert session.letters is session.letters
    assert isinstance(session.letters.facts(clinic.patient_id, assessment_id=None, today=TODAY), LetterFacts)
