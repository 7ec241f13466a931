"""The one permission table: which role may do what (RELIABILITY.md G5, D6).

Services call ``require`` before they act, so a role's limits hold whatever the window shows; the UI asks
``is_allowed`` only to hide what would be refused anyway. ``redacted`` gives the copy of a patient that a
role may see, so a view cannot show a field by forgetting to hide it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from enum import Enum, StrEnum
from types import MappingProxyType

from workstation.errors import PermissionDenied
from workstation.records import Patient
from workstation.security.accounts import Actor, Role


class Action(StrEnum):
    VIEW_PATIENT_LIST = "view_patient_list"
    VIEW_DEMOGRAPHICS = "view_demographics"  # names, date of birth, sex, phone, email, address, emergency contact
    VIEW_IDENTIFIERS_AND_GP = "view_identifiers_and_gp"  # NHS/Medicare numbers, GP details, consents
    EDIT_PATIENT = "edit_patient"  # register or edit demographics, identifiers, GP and consents
    VIEW_CLINICAL = "view_clinical"  # episodes of care; later assessments, notes and letters
    EDIT_CLINICAL = "edit_clinical"
    VIEW_SHARED_SUMMARY = "view_shared_summary"  # what an athlete agreed to share with their club
    VIEW_SQUADS = "view_squads"
    VIEW_AVAILABILITY = "view_availability"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    EXPORT_AUDIT = "export_audit"
    CHANGE_AUDIT_SETTINGS = "change_audit_settings"  # the idle-lock timeout and other security settings
    EXPORT_ALL_DATA = "export_all_data"
    ERASE_PATIENT = "erase_patient"
    ADD_DEMO_DATA = "add_demo_data"
    MANAGE_BACKUPS = "manage_backups"  # back up now, choose the backup folder, restore
    EXPORT_PATIENT_RECORD = "export_patient_record"  # everything held about one patient (subject access)
    CHANGE_CLINIC_SETTINGS = "change_clinic_settings"  # how the practice shows things: distance unit, ...
    MANAGE_SQUADS = "manage_squads"  # clubs, squads, membership, athlete imports (imports also need EDIT_PATIENT)
    VIEW_SQUAD_ANALYTICS = "view_squad_analytics"  # the pseudonymised view and its export (G4)
    EXPORT_SQUAD = "export_squad"  # squad CSV/XLSX/PDF; club staff's holds availability only (G5)
    IMPORT_PATIENT_RECORD = "import_patient_record"  # a record exported by another CalfDesk

    @property
    def phrase(self) -> str:
        """What the action is, in words that complete "Reception cannot ..."."""
        return _PHRASES[self]


_PHRASES = {
    Action.VIEW_PATIENT_LIST: "see the patient list",
    Action.VIEW_DEMOGRAPHICS: "see patients' contact details",
    Action.VIEW_IDENTIFIERS_AND_GP: "see NHS or Medicare numbers, GP details or consents",
    Action.EDIT_PATIENT: "register or edit patients",
    Action.VIEW_CLINICAL: "see clinical records",
    Action.EDIT_CLINICAL: "change clinical records",
    Action.VIEW_SHARED_SUMMARY: "see the summary shared with the club",
    Action.VIEW_SQUADS: "see squads",
    Action.VIEW_AVAILABILITY: "see squad availability",
    Action.MANAGE_USERS: "manage user accounts",
    Action.VIEW_AUDIT: "see the audit trail",
    Action.EXPORT_AUDIT: "export the audit trail",
    Action.CHANGE_AUDIT_SETTINGS: "change security settings",
    Action.EXPORT_ALL_DATA: "export all data",
    Action.ERASE_PATIENT: "erase a patient's record",
    Action.ADD_DEMO_DATA: "add demonstration data",
    Action.MANAGE_BACKUPS: "manage backups or restore one",
    Action.EXPORT_PATIENT_RECORD: "export everything held about a patient",
    Action.CHANGE_CLINIC_SETTINGS: "change the clinic's settings",
    Action.MANAGE_SQUADS: "manage squads or import athletes",
    Action.VIEW_SQUAD_ANALYTICS: "see squad analytics",
    Action.EXPORT_SQUAD: "export a squad",
    Action.IMPORT_PATIENT_RECORD: "import a patient's record from another CalfDesk",
}


class Grant(Enum):
    ALLOWED = "allowed"
    WITH_CLUB_CONSENT = "with_club_consent"  # only for an athlete whose club consent is recorded
    DENIED = "denied"


ALLOWED, WITH_CLUB_CONSENT, DENIED = Grant.ALLOWED, Grant.WITH_CLUB_CONSENT, Grant.DENIED

# Every role lists every action: a missing pair is a failing test, never a silent default.
# fmt: off
PERMISSIONS: Mapping[Role, Mapping[Action, Grant]] = MappingProxyType({
    # The practice owner and whoever runs the practice: they also treat patients, and someone must be
    # able to manage users, read the audit and handle exports and erasure.
    Role.ADMIN: MappingProxyType({action: ALLOWED for action in Action}),
    # Full care of patients; the practice's users, audit, bulk export and erasure stay with an admin.
    Role.CLINICIAN: MappingProxyType({
        Action.VIEW_PATIENT_LIST: ALLOWED, Action.VIEW_DEMOGRAPHICS: ALLOWED,
        Action.VIEW_IDENTIFIERS_AND_GP: ALLOWED, Action.EDIT_PATIENT: ALLOWED,
        Action.VIEW_CLINICAL: ALLOWED, Action.EDIT_CLINICAL: ALLOWED, Action.VIEW_SHARED_SUMMARY: ALLOWED,
        Action.VIEW_SQUADS: ALLOWED, Action.VIEW_AVAILABILITY: ALLOWED,
        Action.MANAGE_USERS: DENIED, Action.VIEW_AUDIT: DENIED, Action.EXPORT_AUDIT: DENIED,
        Action.CHANGE_AUDIT_SETTINGS: DENIED, Action.EXPORT_ALL_DATA: DENIED, Action.ERASE_PATIENT: DENIED,
        Action.ADD_DEMO_DATA: DENIED, Action.MANAGE_BACKUPS: DENIED, Action.EXPORT_PATIENT_RECORD: DENIED,
        Action.CHANGE_CLINIC_SETTINGS: DENIED,
        Action.MANAGE_SQUADS: ALLOWED, Action.VIEW_SQUAD_ANALYTICS: ALLOWED, Action.EXPORT_SQUAD: ALLOWED,
        Action.IMPORT_PATIENT_RECORD: DENIED,
    }),
    # Club staff run squads: contact details, availability and, only where the athlete consented, the
    # shared summary (G5). Never identifiers, GP details or the clinical record, and no editing.
    Role.CLUB: MappingProxyType({
        Action.VIEW_PATIENT_LIST: ALLOWED, Action.VIEW_DEMOGRAPHICS: ALLOWED,
        Action.VIEW_IDENTIFIERS_AND_GP: DENIED, Action.EDIT_PATIENT: DENIED,
        Action.VIEW_CLINICAL: DENIED, Action.EDIT_CLINICAL: DENIED, Action.VIEW_SHARED_SUMMARY: WITH_CLUB_CONSENT,
        Action.VIEW_SQUADS: ALLOWED, Action.VIEW_AVAILABILITY: ALLOWED,
        Action.MANAGE_USERS: DENIED, Action.VIEW_AUDIT: DENIED, Action.EXPORT_AUDIT: DENIED,
        Action.CHANGE_AUDIT_SETTINGS: DENIED, Action.EXPORT_ALL_DATA: DENIED, Action.ERASE_PATIENT: DENIED,
        Action.ADD_DEMO_DATA: DENIED, Action.MANAGE_BACKUPS: DENIED, Action.EXPORT_PATIENT_RECORD: DENIED,
        Action.CHANGE_CLINIC_SETTINGS: DENIED,
        # Analytics are pseudonymised and aggregate (G4); the squad export holds availability only (G5).
        Action.MANAGE_SQUADS: DENIED, Action.VIEW_SQUAD_ANALYTICS: ALLOWED, Action.EXPORT_SQUAD: ALLOWED,
        Action.IMPORT_PATIENT_RECORD: DENIED,
    }),
    # Reception registers patients and books them in: who they are and who their GP is, nothing clinical.
    Role.RECEPTION: MappingProxyType({
        Action.VIEW_PATIENT_LIST: ALLOWED, Action.VIEW_DEMOGRAPHICS: ALLOWED,
        Action.VIEW_IDENTIFIERS_AND_GP: ALLOWED, Action.EDIT_PATIENT: ALLOWED,
        Action.VIEW_CLINICAL: DENIED, Action.EDIT_CLINICAL: DENIED, Action.VIEW_SHARED_SUMMARY: DENIED,
        Action.VIEW_SQUADS: DENIED, Action.VIEW_AVAILABILITY: DENIED,
        Action.MANAGE_USERS: DENIED, Action.VIEW_AUDIT: DENIED, Action.EXPORT_AUDIT: DENIED,
        Action.CHANGE_AUDIT_SETTINGS: DENIED, Action.EXPORT_ALL_DATA: DENIED, Action.ERASE_PATIENT: DENIED,
        Action.ADD_DEMO_DATA: DENIED, Action.MANAGE_BACKUPS: DENIED, Action.EXPORT_PATIENT_RECORD: DENIED,
        Action.CHANGE_CLINIC_SETTINGS: DENIED,
        Action.MANAGE_SQUADS: DENIED, Action.VIEW_SQUAD_ANALYTICS: DENIED, Action.EXPORT_SQUAD: DENIED,
        Action.IMPORT_PATIENT_RECORD: DENIED,
    }),
})
# fmt: on

# Actions whose harm is large or hard to undo: the password is asked again first (RELIABILITY.md D6).
REAUTHENTICATE_BEFORE: frozenset[Action] = frozenset(
    {
        Action.EXPORT_ALL_DATA,
        Action.ERASE_PATIENT,
        Action.CHANGE_AUDIT_SETTINGS,
        Action.EXPORT_AUDIT,
        Action.MANAGE_BACKUPS,
        Action.EXPORT_PATIENT_RECORD,
        Action.IMPORT_PATIENT_RECORD,
    }
)

# Roles that see a patient in their list only when the athlete agreed to share with the club (G5).
LISTED_ONLY_WITH_CLUB_CONSENT: frozenset[Role] = frozenset({Role.CLUB})

# Which action lets a role see each Patient field; None means every role sees it (a record needs an id,
# and a list needs a name and date of birth to tell two people apart). Hidden fields get their default.
# fmt: off
PATIENT_FIELD_GROUPS: Mapping[str, Action | None] = MappingProxyType({
    "id": None, "uid": None, "version": None,
    "given_name": None, "family_name": None, "preferred_name": None, "date_of_birth": None,
    "sex": Action.VIEW_DEMOGRAPHICS, "phone": Action.VIEW_DEMOGRAPHICS, "email": Action.VIEW_DEMOGRAPHICS,
    "address": Action.VIEW_DEMOGRAPHICS, "emergency_contact": Action.VIEW_DEMOGRAPHICS,
    "nhs_number": Action.VIEW_IDENTIFIERS_AND_GP, "medicare_number": Action.VIEW_IDENTIFIERS_AND_GP,
    "medicare_irn": Action.VIEW_IDENTIFIERS_AND_GP, "gp": Action.VIEW_IDENTIFIERS_AND_GP,
    "gp_consent": Action.VIEW_IDENTIFIERS_AND_GP, "club_consent": Action.VIEW_IDENTIFIERS_AND_GP,
})
# fmt: on


def grant_for(role: Role, action: Action) -> Grant:
    """The table's entry for one role and action."""
    return PERMISSIONS[role][action]


def is_allowed(role: Role, action: Action, *, club_consent: bool = False) -> bool:
    """Whether the role may do the action; ``club_consent`` is the athlete's recorded consent, if any."""
    grant = grant_for(role, action)
    return grant is ALLOWED or (grant is WITH_CLUB_CONSENT and club_consent)


def require(actor: Actor, action: Action, *, club_consent: bool = False) -> None:
    """Refuse the action unless the actor's role allows it.

    Raises:
        PermissionDenied: with a message naming the action and the role, never the patient.
    """
    if is_allowed(actor.role, action, club_consent=club_consent):
        return
    if grant_for(actor.role, action) is WITH_CLUB_CONSENT:
        raise PermissionDenied(
            f"{actor.role.label} can {action.phrase} only for athletes who agreed to share it with the club."
        )
    raise PermissionDenied(f"{actor.role.label} cannot {action.phrase}.")


def listable(role: Role, club_consent_given: bool) -> bool:
    """Whether a patient appears in the role's patient list, given the patient's club consent."""
    if not is_allowed(role, Action.VIEW_PATIENT_LIST):
        return False
    return club_consent_given or role not in LISTED_ONLY_WITH_CLUB_CONSENT


def redacted(role: Role, patient: Patient) -> Patient:
    """The patient as the role may see them: each field the role may not view is reset to its blank default.

    Decide listing and consent from the full record first: a redacted copy's consents read "not given".
    """
    hidden = {
        f.name: _blank(f)
        for f in dataclasses.fields(Patient)
        if (group := PATIENT_FIELD_GROUPS[f.name]) is not None and not is_allowed(role, group)
    }
    return patient.with_changes(**hidden) if hidden else patient


def _blank(field: dataclasses.Field[object]) -> object:
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    if field.default is dataclasses.MISSING:
        raise TypeError(f"Patient.{field.name} can be hidden only if it has a blank default")
    return field.default
