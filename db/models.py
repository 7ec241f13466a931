"""ORM tables. Repositories translate these to ``workstation.records``; nothing outside ``db`` sees them.

Every mutable clinical row has ``version`` as SQLAlchemy's ``version_id_col``: an UPDATE names the version
it read, so a concurrent change makes it touch no row and fail instead of overwriting (RELIABILITY.md I1).
Measurements are rows of ``observation`` (patient, date, code, side, value, unit, protocol), so a new test
needs no migration (ARCHITECTURE.md section 2).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from workstation.letters.records import LetterKind
from workstation.squads.records import SCREENING_NOTE_MAX_CHARS, ScreeningStatus

# Python orders the list by code point; PostgreSQL's default collation would not, so the list key uses
# "C" there (SQLite's BINARY already compares UTF-8 bytes in code point order).
SortKey = String(400).with_variant(String(400, collation="C"), "postgresql")


class Base(DeclarativeBase):
    pass


class PatientRow(Base):
    __tablename__ = "patient"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    given_name: Mapped[str] = mapped_column(String(100), default="")
    family_name: Mapped[str] = mapped_column(String(100), default="")
    preferred_name: Mapped[str] = mapped_column(String(100), default="")
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(16))
    phone: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(500), default="")
    nhs_number: Mapped[str] = mapped_column(String(10), default="")
    medicare_number: Mapped[str] = mapped_column(String(10), default="")
    medicare_irn: Mapped[str] = mapped_column(String(1), default="")
    gp_name: Mapped[str] = mapped_column(String(200), default="")
    gp_practice: Mapped[str] = mapped_column(String(200), default="")
    gp_address: Mapped[str] = mapped_column(String(500), default="")
    gp_phone: Mapped[str] = mapped_column(String(200), default="")
    gp_secure_email: Mapped[str] = mapped_column(String(200), default="")
    emergency_name: Mapped[str] = mapped_column(String(200), default="")
    emergency_relationship: Mapped[str] = mapped_column(String(200), default="")
    emergency_phone: Mapped[str] = mapped_column(String(200), default="")
    gp_consent: Mapped[bool] = mapped_column(default=False)
    gp_consent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    club_consent: Mapped[bool] = mapped_column(default=False)
    club_consent_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    sort_key: Mapped[str] = mapped_column(SortKey)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  (SQLAlchemy reads it as a class attribute)
    __table_args__ = (
        Index("ix_patient_sort_key", "sort_key", "id"),
        Index("ix_patient_nhs_number", "nhs_number"),
        Index("ix_patient_medicare_number", "medicare_number"),
        Index("ix_patient_date_of_birth", "date_of_birth"),  # an import's look-up of who is held (0009)
    )


class EpisodeRow(Base):
    __tablename__ = "episode"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="RESTRICT"), index=True)
    complaint: Mapped[str] = mapped_column(Text)
    side: Mapped[str] = mapped_column(String(8))
    onset_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    discharge_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    discharge_reason: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ObservationRow(Base):
    """Measurements are recorded, never edited in place: triggers refuse UPDATE and DELETE, and a correction
    is a new row whose ``corrects_id`` names the version it replaces (RELIABILITY.md I2; migration 0004).
    The current version of a measurement is the one no other row corrects."""

    __tablename__ = "observation"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="RESTRICT"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="RESTRICT"), nullable=True)
    observed_on: Mapped[date] = mapped_column(Date)
    code: Mapped[str] = mapped_column(String(64))
    side: Mapped[str] = mapped_column(String(8))
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(32))
    protocol: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Unique: a version is replaced at most once, so a measurement's versions form one chain.
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("observation.id", name="fk_observation_corrects_id"), nullable=True
    )
    correction_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    recorded_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a user id (no FK: never blocks)
    # The finalised assessment it was measured in (migration 0007); NULL for one recorded outside any.
    # Unnamed and NO ACTION: SQLite reflects neither a name nor an action from a column added by ALTER TABLE.
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id"), nullable=True)

    __table_args__ = (
        Index("ix_observation_patient_code_date", "patient_id", "code", "observed_on"),
        Index("ix_observation_assessment_id", "assessment_id"),
        UniqueConstraint("corrects_id", name="uq_observation_corrects_id"),
    )


class AssessmentRow(Base):
    """A finalised assessment, never changed: triggers refuse UPDATE and DELETE (migration 0006), and a
    correction is a new row whose ``amends_id`` names the version it replaces. Unique, as for observations:
    a version is amended at most once, so two amendments made at once cannot fork the record."""

    __tablename__ = "assessment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="RESTRICT"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="RESTRICT"), nullable=True)
    assessed_on: Mapped[date] = mapped_column(Date)
    document: Mapped[str] = mapped_column(Text)  # the calfdesk.assessment/1 JSON
    evaluation: Mapped[str] = mapped_column(Text)  # the engine's calfdesk.evaluation/1 JSON when finalised
    detail: Mapped[str] = mapped_column(Text)  # the wizard's extras, JSON
    urgency: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a user id (no FK: never blocks)
    finalised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    amends_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment.id", name="fk_assessment_amends_id"), nullable=True
    )
    amendment_reason: Mapped[str] = mapped_column(Text, default="", server_default="")

    __table_args__ = (
        Index("ix_assessment_patient_assessed_on", "patient_id", "assessed_on"),
        UniqueConstraint("amends_id", name="uq_assessment_amends_id"),
    )


class RedFlagRow(Base):
    """A red flag as raised, and the action recorded for it. Triggers (migration 0006) allow only two
    changes: naming the assessment once, and recording the action once; a recorded action is never
    overwritten. At most one unresolved flag per patient, episode and code (the partial unique index)."""

    __tablename__ = "red_flag"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="RESTRICT"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="RESTRICT"), nullable=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id", ondelete="RESTRICT"), nullable=True)
    code: Mapped[str] = mapped_column(String(64))
    tier: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    raised_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a user id (no FK: never blocks)
    action: Mapped[str | None] = mapped_column(Text, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    resolved_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a user id (no FK: never blocks)

    __table_args__ = (
        # The patient banner's question (unresolved flags of a patient), and raise_flag's "already standing?"
        Index(
            "uq_red_flag_unresolved",
            "patient_id",
            "episode_id",
            "code",
            unique=True,
            sqlite_where=text("action IS NULL"),
            postgresql_where=text("action IS NULL"),
        ),
        Index("ix_red_flag_patient_raised_at", "patient_id", "raised_at"),
        CheckConstraint(
            "(action IS NULL AND resolved_at IS NULL AND resolved_by IS NULL) "
            "OR (action IS NOT NULL AND length(trim(action)) > 0 AND resolved_at IS NOT NULL)",
            name="ck_red_flag_resolution",
        ),
    )


class RunningSessionRow(Base):
    """One run from the patient's running log (migration 0007). A patient-reported fact, so it may be
    corrected or deleted in place; ``version`` refuses a stale save (RELIABILITY.md I1). Kilometres always."""

    __tablename__ = "running_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="RESTRICT"))
    run_on: Mapped[date] = mapped_column(Date)
    distance_km: Mapped[float] = mapped_column(Float)
    duration_min: Mapped[float | None] = mapped_column(Float, nullable=True)
    perceived_effort: Mapped[int | None] = mapped_column(Integer, nullable=True)
    surface: Mapped[str | None] = mapped_column(Text, nullable=True)
    shoes: Mapped[str] = mapped_column(Text)
    hills: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    speed_work: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    note: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    external_id: Mapped[str] = mapped_column(Text)  # the activity's id in the app it came from ('' if none)
    recorded_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a user id (no FK: never blocks)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_running_session_patient_run_on", "patient_id", "run_on"),
        CheckConstraint("distance_km > 0", name="ck_running_session_distance"),
        CheckConstraint(
            "perceived_effort IS NULL OR perceived_effort BETWEEN 0 AND 10", name="ck_running_session_effort"
        ),
        CheckConstraint("source IN ('manual', 'csv', 'strava')", name="ck_running_session_source"),
    )


# Limits the database keeps as well as the services (migration 0008): a letter's PDF, an image of the practice's.
LETTER_PDF_MAX_BYTES = 20 * 1024 * 1024
CLINIC_IMAGE_MAX_BYTES = 1024 * 1024
LETTER_KINDS = tuple(kind.value for kind in LetterKind)
LETTER_URGENCIES = ("emergency", "urgent", "soon", "routine")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


class LetterRow(Base):
    """A finalised letter with its PDF, never changed: triggers refuse UPDATE, and DELETE outside an
    erasure (migration 0008). ``sha256`` is the fingerprint of ``pdf`` as finalised; a reader checks it.
    The phone call before an urgent letter is the four ``phone_*`` columns: all NULL when none is recorded."""

    __tablename__ = "letter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="RESTRICT"))
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episode.id", ondelete="RESTRICT"), nullable=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessment.id", ondelete="RESTRICT"), nullable=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    urgency: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    page_count: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    author_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    author_name: Mapped[str] = mapped_column(String(200))
    finalised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    phone_called_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    phone_spoken_to: Mapped[str | None] = mapped_column(Text, nullable=True)
    phone_outcome: Mapped[str | None] = mapped_column(Text, nullable=True)
    phone_not_called_reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        Index("ix_letter_patient_finalised_at", "patient_id", "finalised_at"),
        CheckConstraint(_one_of("kind", LETTER_KINDS), name="ck_letter_kind"),
        CheckConstraint(_one_of("urgency", LETTER_URGENCIES), name="ck_letter_urgency"),
        # 64 lower-case hex digits; ltrim(text, characters) means the same on both backends.
        CheckConstraint("length(sha256) = 64 AND ltrim(sha256, '0123456789abcdef') = ''", name="ck_letter_sha256"),
        CheckConstraint("page_count > 0", name="ck_letter_page_count"),
        CheckConstraint(
            f"size_bytes > 0 AND size_bytes = length(pdf) AND size_bytes <= {LETTER_PDF_MAX_BYTES}",
            name="ck_letter_size",
        ),
        CheckConstraint(
            "(phone_called_at IS NULL AND phone_spoken_to IS NULL AND phone_outcome IS NULL "
            "AND phone_not_called_reason IS NULL) OR (phone_spoken_to IS NOT NULL AND phone_outcome IS NOT NULL "
            "AND phone_not_called_reason IS NOT NULL "
            "AND (phone_called_at IS NOT NULL OR length(trim(phone_not_called_reason)) > 0))",
            name="ck_letter_phone_call",
        ),
    )


class ClinicianProfileRow(Base):
    """A clinician's letter details (profession, registration, contact, signature image), one per account.
    Mutable, so ``version`` refuses a stale save (RELIABILITY.md I1)."""

    __tablename__ = "clinician_profile"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("app_user.id", ondelete="RESTRICT"), primary_key=True, autoincrement=False
    )
    profession: Mapped[str] = mapped_column(String(100))
    registration_body: Mapped[str] = mapped_column(String(50))
    registration_number: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(50))
    email: Mapped[str] = mapped_column(String(200))
    signature: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a user id (no FK: never blocks)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        CheckConstraint(
            f"signature IS NULL OR length(signature) BETWEEN 1 AND {CLINIC_IMAGE_MAX_BYTES}",
            name="ck_clinician_profile_signature",
        ),
    )


class ClinicImageRow(Base):
    """An image of the practice's (the letterhead logo), by key; a removed image has no row."""

    __tablename__ = "clinic_image"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a user id (no FK: never blocks)

    __table_args__ = (
        CheckConstraint(f"length(content) BETWEEN 1 AND {CLINIC_IMAGE_MAX_BYTES}", name="ck_clinic_image_size"),
    )


class ErasurePermitRow(Base):
    """Lets the observations of one patient be deleted, within the transaction that erases the patient.

    A row can never be committed: ``blocks_commit`` must name a permit whose patient id is -1, which the
    CHECK forbids, and the foreign key is checked at COMMIT. Migration 0004 explains the erasure steps.
    """

    __tablename__ = "erasure_permit"

    patient_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    blocks_commit: Mapped[int] = mapped_column(Integer, default=-1, server_default="-1")

    __table_args__ = (
        CheckConstraint("patient_id > 0", name="ck_erasure_permit_patient_id"),
        ForeignKeyConstraint(
            ["blocks_commit"],
            ["erasure_permit.patient_id"],
            name="fk_erasure_permit_blocks_commit",
            deferrable=True,
            initially="DEFERRED",
        ),
    )


class UserRow(Base):
    """An account. Never deleted, only deactivated, so audit entries always name a real row."""

    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_name: Mapped[str] = mapped_column(String(100))
    user_key: Mapped[str] = mapped_column(String(100), unique=True)  # workstation.security.accounts.user_key
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_owner: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class FailedLoginRow(Base):
    """One refused login, counted per account across every workstation (RELIABILITY.md D3)."""

    __tablename__ = "failed_login"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_failed_login_user_failed_at", "user_id", "failed_at"),)


class AuditEntryRow(Base):
    """The hash-chained audit log (RELIABILITY.md F1-F3). Rows are only ever inserted: triggers refuse
    UPDATE and DELETE. ``sequence`` is given by the log, so the chain has no gaps an autoincrement could
    leave. ``user_id`` has no foreign key on purpose: an audit row must never block, or be blocked by,
    anything done to an account."""

    __tablename__ = "audit_entry"

    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    event: Mapped[str] = mapped_column(String(40), index=True)
    action: Mapped[str] = mapped_column(String(1))  # derived from event, kept for readers of the raw table
    outcome: Mapped[str] = mapped_column(String(16))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    user_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    workstation: Mapped[str] = mapped_column(String(255))
    patient_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(String(500))
    previous_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))


class DraftRow(Base):
    """A form's unsaved content, one per (author, kind of form, record)."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    saved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("user_id", "kind", "key", name="uq_draft_user_kind_key"),)


class SettingRow(Base):
    """A practice-wide setting (the idle-lock timeout, ...): one row per key, changed only by admins."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a user id (no FK: never blocks)


class PatientRestrictionRow(Base):
    """Processing of the patient's record is restricted (GDPR Art 18, RELIABILITY.md G2) while this row
    exists: triggers of migration 0005 refuse every change to the record. ``grounds`` is a
    ``workstation.privacy.restriction.Grounds`` value; never free text."""

    __tablename__ = "patient_restriction"

    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patient.id", ondelete="RESTRICT"), primary_key=True, autoincrement=False
    )
    grounds: Mapped[str] = mapped_column(String(32))
    restricted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    restricted_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a user id (no FK: never blocks)


# Squads (migration 0009). Names are looked up by ``name_key`` (``db.squad_rows.name_key``: trimmed, spaces
# collapsed, casefolded), so "Senior Women" and "senior women " are one squad.
SCREENING_STATUSES = tuple(status.value for status in ScreeningStatus)


class ClubRow(Base):
    """A sports club. Holds nothing about patients: its squads' members are in ``squad_member``."""

    __tablename__ = "club"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(400), unique=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (CheckConstraint("length(trim(name)) > 0", name="ck_club_name"),)


class SquadRow(Base):
    """A club's squad for a season, with its coach's contacts (club staff, not patients)."""

    __tablename__ = "squad"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    club_id: Mapped[int] = mapped_column(ForeignKey("club.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(400), index=True)
    season: Mapped[str] = mapped_column(String(50))
    coach_name: Mapped[str] = mapped_column(String(200))
    coach_email: Mapped[str] = mapped_column(String(200))
    coach_phone: Mapped[str] = mapped_column(String(200))
    archived: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        UniqueConstraint("club_id", "name_key", "season", name="uq_squad_club_name_season"),
        CheckConstraint("length(trim(name)) > 0", name="ck_squad_name"),
    )


class SquadMemberRow(Base):
    """An athlete (a patient) in a squad from ``joined_on`` until ``left_on`` (NULL while still in it).
    At most one open membership per athlete and squad (the partial unique index)."""

    __tablename__ = "squad_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    squad_id: Mapped[int] = mapped_column(ForeignKey("squad.id", ondelete="RESTRICT"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="RESTRICT"), index=True)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_squad_member_squad_joined_on", "squad_id", "joined_on"),
        Index(
            "uq_squad_member_current",
            "squad_id",
            "patient_id",
            unique=True,
            sqlite_where=text("left_on IS NULL"),
            postgresql_where=text("left_on IS NULL"),
        ),
        CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="ck_squad_member_dates"),
    )


class ScreeningRow(Base):
    """A squad's screening day. One open screening per squad and day (the partial unique index), so two
    physios starting the same evening share one worksheet."""

    __tablename__ = "screening"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    squad_id: Mapped[int] = mapped_column(ForeignKey("squad.id", ondelete="RESTRICT"))
    held_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16))
    started_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a user id (no FK: never blocks)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    completed_by: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a user id (no FK: never blocks)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index("ix_screening_squad_held_on", "squad_id", "held_on"),
        Index(
            "uq_screening_open_day",
            "squad_id",
            "held_on",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        CheckConstraint(_one_of("status", SCREENING_STATUSES), name="ck_screening_status"),
        CheckConstraint(
            "(status = 'open' AND completed_at IS NULL AND completed_by IS NULL) "
            "OR (status = 'completed' AND completed_at IS NOT NULL)",
            name="ck_screening_completion",
        ),
    )


class ScreeningEntryRow(Base):
    """One athlete's row of a screening's worksheet: ``values_json`` maps SCREENING_KEYS to numbers (a value
    not measured is absent). Read-only once the screening is completed (``db.screenings``)."""

    __tablename__ = "screening_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("screening.id", ondelete="RESTRICT"))
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id", ondelete="RESTRICT"), index=True)
    values_json: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        UniqueConstraint("screening_id", "patient_id", name="uq_screening_entry_athlete"),
        CheckConstraint(f"length(note) <= {SCREENING_NOTE_MAX_CHARS}", name="ck_screening_entry_note"),
    )


class ScreeningObservationRow(Base):
    """The observations a completed screening stored, so its results can be read back at their current
    versions (an observation's correction is a new row that names it: follow ``corrects_id``)."""

    __tablename__ = "screening_observation"

    observation_id: Mapped[int] = mapped_column(
        ForeignKey("observation.id", ondelete="RESTRICT"), primary_key=True, autoincrement=False
    )
    screening_id: Mapped[int] = mapped_column(ForeignKey("screening.id", ondelete="RESTRICT"), index=True)
