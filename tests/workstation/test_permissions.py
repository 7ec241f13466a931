"""The permission table, asserted pair by pair against a table written out here (RELIABILITY.md G5)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from workstation.errors import PermissionDenied
from workstation.records import Consent, EmergencyContact, GeneralPractitioner, Patient, Sex
from workstation.security.accounts import Actor, Role
from workstation.security.permissions import (
    PATIENT_FIELD_GROUPS,
    PERMISSIONS,
    REAUTHENTICATE_BEFORE,
    Action,
    Grant,
    grant_for,
    is_allowed,
    listable,
    redacted,
    require,
)

Y, C, N = Grant.ALLOWED, Grant.WITH_CLUB_CONSENT, Grant.DENIED
ROLES = (Role.ADMIN, Role.CLINICIAN, Role.CLUB, Role.RECEPTION)

# fmt: off
EXPECTED: dict[str, tuple[Grant, Grant, Grant, Grant]] = {
    #                           admin clinician club reception
    "view_patient_list":        (Y,   Y,        Y,   Y),
    "view_demographics":        (Y,   Y,        Y,   Y),
    "view_identifiers_and_gp":  (Y,   Y,        N,   Y),
    "edit_patient":             (Y,   Y,        N,   Y),
    "view_clinical":            (Y,   Y,        N,   N),
    "edit_clinical":            (Y,   Y,        N,   N),
    "view_shared_summary":      (Y,   Y,        C,   N),
    "view_squads":              (Y,   Y,        Y,   N),
    "view_availability":        (Y,   Y,        Y,   N),
    "manage_users":             (Y,   N,        N,   N),
    "view_audit":               (Y,   N,        N,   N),
    "export_audit":             (Y,   N,        N,   N),
    "change_audit_settings":    (Y,   N,        N,   N),
    "export_all_data":          (Y,   N,        N,   N),
    "erase_patient":            (Y,   N,        N,   N),
    "add_demo_data":            (Y,   N,        N,   N),
    "manage_backups":           (Y,   N,        N,   N),
    "export_patient_record":    (Y,   N,        N,   N),
    "change_clinic_settings":   (Y,   N,        N,   N),
    "manage_squads":            (Y,   Y,        N,   N),
    "view_squad_analytics":     (Y,   Y,        Y,   N),
    "export_squad":             (Y,   Y,        Y,   N),
    "import_patient_record":    (Y,   N,        N,   N),
}
# fmt: on

PAIRS = [(role, action, row[i]) for action, row in EXPECTED.items() for i, role in enumerate(ROLES)]


def test_actions_are_exactly_the_agreed_ones() -> None:
    assert [a.value for a in Action] == list(EXPECTED)
    assert all(a.value == a.name.lower() for a in Action)


def test_the_table_lists_every_role_and_every_action_with_no_defaults() -> None:
    assert set(PERMISSIONS) == set(Role) == set(ROLES)
    for role in Role:
        assert set(PERMISSIONS[role]) == set(Action)


@pytest.mark.parametrize(("role", "action", "expected"), PAIRS, ids=[f"{r}-{a}" for r, a, _ in PAIRS])
def test_every_role_and_action_pair(role: Role, action: str, expected: Grant) -> None:
    assert grant_for(role, Action(action)) is expected
    assert is_allowed(role, Action(action)) is (expected is Y)
    assert is_allowed(role, Action(action), club_consent=True) is (expected is not N)


def test_the_table_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        PERMISSIONS[Role.CLUB][Action.VIEW_CLINICAL] = Y  # type: ignore[index]


def test_club_sees_the_shared_summary_only_with_consent() -> None:
    club = Actor(user_id=7, user_name="coach", role=Role.CLUB)
    require(club, Action.VIEW_SHARED_SUMMARY, club_consent=True)
    with pytest.raises(PermissionDenied) as refused:
        require(club, Action.VIEW_SHARED_SUMMARY)
    assert refused.value.message == (
        "Club staff can see the summary shared with the club only for athletes who agreed to share it with the club."
    )


def test_consent_never_opens_the_clinical_record_to_the_club() -> None:
    for action in (Action.VIEW_CLINICAL, Action.EDIT_CLINICAL, Action.VIEW_IDENTIFIERS_AND_GP, Action.EDIT_PATIENT):
        assert not is_allowed(Role.CLUB, action, club_consent=True)


def test_a_refusal_names_the_action_and_the_role_in_plain_words() -> None:
    reception = Actor(user_id=3, user_name="frontdesk", role=Role.RECEPTION)
    with pytest.raises(PermissionDenied) as refused:
        require(reception, Action.VIEW_CLINICAL)
    assert str(refused.value) == "Reception cannot see clinical records."
    clinician = Actor(user_id=4, user_name="physio", role=Role.CLINICIAN)
    with pytest.raises(PermissionDenied, match=r"^Clinician cannot erase a patient's record\.$"):
        require(clinician, Action.ERASE_PATIENT)


def test_every_action_has_a_phrase_for_its_refusal() -> None:
    phrases = [action.phrase for action in Action]
    assert all(p and p == p.strip() and not p.endswith(".") and p[0].islower() for p in phrases)
    assert len(set(phrases)) == len(phrases)


def test_allowed_actions_pass_require_silently() -> None:
    admin = Actor(user_id=1, user_name="owner", role=Role.ADMIN)
    for action in Action:
        require(admin, action)


def test_sensitive_actions_ask_for_the_password_again() -> None:
    assert frozenset(
        {
            Action.EXPORT_ALL_DATA, Action.ERASE_PATIENT, Action.CHANGE_AUDIT_SETTINGS, Action.EXPORT_AUDIT,
            Action.MANAGE_BACKUPS, Action.EXPORT_PATIENT_RECORD, Action.IMPORT_PATIENT_RECORD,
        }
    ) == REAUTHENTICATE_BEFORE


@pytest.mark.parametrize(
    ("role", "with_consent", "without_consent"),
    [
        (Role.ADMIN, True, True),
        (Role.CLINICIAN, True, True),
        (Role.CLUB, True, False),
        (Role.RECEPTION, True, True),
    ],
)
def test_listable(role: Role, with_consent: bool, without_consent: bool) -> None:
    assert listable(role, True) is with_consent
    assert listable(role, False) is without_consent


# Every Patient field and the group it belongs to, written out: a new field fails here until classified.
FIELD_GROUPS_EXPECTED = {
    "id": "always", "uid": "always", "version": "always",
    "given_name": "always", "family_name": "always", "preferred_name": "always", "date_of_birth": "always",
    "sex": "demographics", "phone": "demographics", "email": "demographics", "address": "demographics",
    "emergency_contact": "demographics",
    "nhs_number": "identifiers", "medicare_number": "identifiers", "medicare_irn": "identifiers",
    "gp": "identifiers", "gp_consent": "identifiers", "club_consent": "identifiers",
}  # fmt: skip
GROUP_ACTIONS = {
    "always": None,
    "demographics": Action.VIEW_DEMOGRAPHICS,
    "identifiers": Action.VIEW_IDENTIFIERS_AND_GP,
}


def test_every_patient_field_is_classified() -> None:
    names = [f.name for f in dataclasses.fields(Patient)]
    assert set(FIELD_GROUPS_EXPECTED) == set(names), "classify the new Patient field here and in permissions.py"
    assert set(PATIENT_FIELD_GROUPS) == set(names)
    assert {name: GROUP_ACTIONS[group] for name, group in FIELD_GROUPS_EXPECTED.items()} == dict(
        PATIENT_FIELD_GROUPS
    )


def _full_patient() -> Patient:
    return Patient(
        given_name="Zoë",
        family_name="Ødegård",
        preferred_name="Zo",
        date_of_birth=date(1994, 2, 28),
        sex=Sex.FEMALE,
        phone="07700 900123",
        email="zoe@example.org",
        address="1 Track Lane",
        nhs_number="9434765919",
        medicare_number="2123456701",
        medicare_irn="1",
        gp=GeneralPractitioner(name="Dr Rao", practice="Park Surgery", phone="0161 496 0000"),
        emergency_contact=EmergencyContact(name="Ola", relationship="partner", phone="07700 900456"),
        gp_consent=Consent(given=True, recorded_on=date(2025, 1, 6)),
        club_consent=Consent(given=True, recorded_on=date(2025, 1, 6)),
        id=42,
        version=3,
    )


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CLINICIAN, Role.RECEPTION])
def test_roles_that_see_identifiers_see_the_whole_patient(role: Role) -> None:
    patient = _full_patient()
    assert redacted(role, patient) == patient


def test_club_staff_see_names_and_contact_details_but_no_identifiers_gp_or_consents() -> None:
    patient = _full_patient()
    seen = redacted(Role.CLUB, patient)
    assert (seen.id, seen.uid, seen.version) == (42, patient.uid, 3)
    assert (seen.given_name, seen.family_name, seen.preferred_name) == ("Zoë", "Ødegård", "Zo")
    assert seen.date_of_birth == date(1994, 2, 28)
    assert (seen.sex, seen.phone, seen.email) == (Sex.FEMALE, "07700 900123", "zoe@example.org")
    assert seen.address == "1 Track Lane"
    assert seen.emergency_contact == patient.emergency_contact
    assert (seen.nhs_number, seen.medicare_number, seen.medicare_irn) == ("", "", "")
    assert seen.gp == GeneralPractitioner()
    assert seen.gp_consent == Consent()
    assert seen.club_consent == Consent()
    assert patient.nhs_number == "9434765919", "the original record is untouched"


def test_a_role_without_demographics_would_get_them_blanked(monkeypatch: pytest.MonkeyPatch) -> None:
    # No role lacks VIEW_DEMOGRAPHICS today; this keeps the blanking of that group honest for when one does.
    table = {role: dict(grants) for role, grants in PERMISSIONS.items()}
    table[Role.RECEPTION][Action.VIEW_DEMOGRAPHICS] = N
    monkeypatch.setattr("workstation.security.permissions.PERMISSIONS", table)
    seen = redacted(Role.RECEPTION, _full_patient())
    assert (seen.sex, seen.phone, seen.email, seen.address) == (Sex.NOT_STATED, "", "", "")
    assert seen.emergency_contact == EmergencyContact()
    assert (seen.given_name, seen.family_name, seen.date_of_birth) == ("Zoë", "Ødegård", date(1994, 2, 28))
    assert seen.nhs_number == "9434765919"


def test_every_role_that_may_edit_a_patient_sees_every_field_so_a_save_blanks_nothing() -> None:
    # An editor saves the whole record it was shown: a hidden (blanked) field would be wiped by the save.
    full = Patient(
        "Aroha", "Ngata", date(1998, 3, 4), phone="021 555 0101", nhs_number="9434765919",
        gp=GeneralPractitioner(name="Dr Rua"), club_consent=Consent(True, date(2026, 1, 5)),
    )  # fmt: skip
    for role in Role:
        if is_allowed(role, Action.EDIT_PATIENT):
            shown = redacted(role, full)
            assert all(getattr(shown, f.name) == getattr(full, f.name) for f in dataclasses.fields(Patient)), role
