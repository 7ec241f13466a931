"""Finalised letters with their PDF, clinicians' letter details, and the practice's images (issue 8).

``letter`` holds one finalised letter per row: its PDF exactly as finalised, the SHA-256 of those bytes,
its author, and the phone call made before an urgent or emergency one (CLINICAL.md 9.1 "Urgent tiers").
A sent letter is immutable (ARCHITECTURE.md 4), held as assessments are (0006): triggers refuse every
UPDATE, and every DELETE except during an erasure (the same ``erasure_permit`` row that unlocks the
patient's observations and assessments unlocks their letters). A correction is a new letter. CHECKs keep
the kind and urgency to the known values, the fingerprint to 64 lower-case hex digits, the size equal to
the PDF's (at most 20 MB) and a recorded phone call whole: the time of the call, or why none was made.

As 0006 does for assessments, a restricted record (GDPR Art 18) gets no new letter; the refusal carries
0005's message, which ``db.errors`` recognises. On PostgreSQL TRUNCATE is refused too, and the
application's role gives up TRUNCATE on the table; it keeps UPDATE and DELETE for the same reasons as
0004 explains (the triggers refuse the UPDATE itself; an erasure deletes).

``clinician_profile`` holds each account's letter details (profession, registration body and number,
contact, signature image), mutable, with ``version`` refusing a stale save (RELIABILITY.md I1).
``clinic_image`` holds the practice's images by key (the letterhead logo). Neither is about a patient.

SQLite batch migrations that recreate ``letter`` drop its triggers with it: such a migration must create
them again (``SQLITE_TRIGGERS`` here).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-18
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_REFUSAL = "finalised letters are never changed or deleted: write a new letter instead"
_RESTRICTED_REFUSAL = "calfdesk: processing of this record is restricted"  # 0005's REFUSAL, word for word
_NO_PERMIT = "SELECT 1 FROM erasure_permit WHERE erasure_permit.patient_id = OLD.patient_id"
_RESTRICTED = "SELECT 1 FROM patient_restriction WHERE patient_restriction.patient_id = NEW.patient_id"
# As this revision knows them (workstation.letters.records.LetterKind; a later kind needs a migration).
_KINDS = ("gp-referral", "progress", "discharge", "care-plan-report", "handout")
_URGENCIES = ("emergency", "urgent", "soon", "routine")
_PDF_MAX_BYTES = 20 * 1024 * 1024
_IMAGE_MAX_BYTES = 1024 * 1024

SQLITE_TRIGGERS = (
    f"CREATE TRIGGER letter_no_update BEFORE UPDATE ON letter BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
    f"CREATE TRIGGER letter_no_delete BEFORE DELETE ON letter WHEN NOT EXISTS ({_NO_PERMIT}) "
    f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
    f"CREATE TRIGGER letter_restricted_no_insert BEFORE INSERT ON letter WHEN EXISTS ({_RESTRICTED}) "
    f"BEGIN SELECT RAISE(ABORT, '{_RESTRICTED_REFUSAL}'); END",
)

_POSTGRESQL_FUNCTIONS = ("letter_refuse_change", "letter_delete_if_permitted")
_POSTGRESQL_TRIGGERS = ("letter_no_update", "letter_no_delete", "letter_no_truncate", "letter_restricted_no_insert")
_POSTGRESQL_PROTECTION = (
    f"""CREATE FUNCTION letter_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'insufficient_privilege';
END
$$""",
    f"""CREATE FUNCTION letter_delete_if_permitted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS ({_NO_PERMIT}) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'insufficient_privilege';
END
$$""",
    # Statement-level, so even an UPDATE that matches no row is refused.
    "CREATE TRIGGER letter_no_update BEFORE UPDATE ON letter "
    "FOR EACH STATEMENT EXECUTE FUNCTION letter_refuse_change()",
    # Row-level, because the permit is per patient.
    "CREATE TRIGGER letter_no_delete BEFORE DELETE ON letter "
    "FOR EACH ROW EXECUTE FUNCTION letter_delete_if_permitted()",
    "CREATE TRIGGER letter_no_truncate BEFORE TRUNCATE ON letter "
    "FOR EACH STATEMENT EXECUTE FUNCTION letter_refuse_change()",
    # 0005's function: refuses when NEW's patient is restricted.
    "CREATE TRIGGER letter_restricted_no_insert BEFORE INSERT ON letter "
    "FOR EACH ROW EXECUTE FUNCTION record_refuse_if_restricted()",
    "REVOKE UPDATE, DELETE, TRUNCATE ON letter FROM PUBLIC",
    "REVOKE TRUNCATE ON letter FROM CURRENT_USER",
)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def _letter_checks() -> list[sa.CheckConstraint]:
    return [
        sa.CheckConstraint(_one_of("kind", _KINDS), name="ck_letter_kind"),
        sa.CheckConstraint(_one_of("urgency", _URGENCIES), name="ck_letter_urgency"),
        # 64 lower-case hex digits; ltrim(text, characters) means the same on both backends.
        sa.CheckConstraint("length(sha256) = 64 AND ltrim(sha256, '0123456789abcdef') = ''", name="ck_letter_sha256"),
        sa.CheckConstraint("page_count > 0", name="ck_letter_page_count"),
        sa.CheckConstraint(
            f"size_bytes > 0 AND size_bytes = length(pdf) AND size_bytes <= {_PDF_MAX_BYTES}", name="ck_letter_size"
        ),
        sa.CheckConstraint(
            "(phone_called_at IS NULL AND phone_spoken_to IS NULL AND phone_outcome IS NULL "
            "AND phone_not_called_reason IS NULL) OR (phone_spoken_to IS NOT NULL AND phone_outcome IS NOT NULL "
            "AND phone_not_called_reason IS NOT NULL "
            "AND (phone_called_at IS NOT NULL OR length(trim(phone_not_called_reason)) > 0))",
            name="ck_letter_phone_call",
        ),
    ]


def _create_letter() -> None:
    op.create_table(
        "letter",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patient.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("episode_id", sa.Integer(), sa.ForeignKey("episode.id", ondelete="RESTRICT"), nullable=True),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id", ondelete="RESTRICT"), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("recipient", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("author_id", sa.Integer(), sa.ForeignKey("app_user.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("author_name", sa.String(200), nullable=False),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("phone_called_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("phone_spoken_to", sa.Text(), nullable=True),
        sa.Column("phone_outcome", sa.Text(), nullable=True),
        sa.Column("phone_not_called_reason", sa.Text(), nullable=True),
        *_letter_checks(),
    )
    op.create_index("ix_letter_patient_finalised_at", "letter", ["patient_id", "finalised_at"])


def upgrade() -> None:
    _create_letter()
    op.create_table(
        "clinician_profile",
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("app_user.id", ondelete="RESTRICT"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("profession", sa.String(100), nullable=False),
        sa.Column("registration_body", sa.String(50), nullable=False),
        sa.Column("registration_number", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(50), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            f"signature IS NULL OR length(signature) BETWEEN 1 AND {_IMAGE_MAX_BYTES}",
            name="ck_clinician_profile_signature",
        ),
    )
    op.create_table(
        "clinic_image",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(f"length(content) BETWEEN 1 AND {_IMAGE_MAX_BYTES}", name="ck_clinic_image_size"),
    )
    statements = _POSTGRESQL_PROTECTION if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger in _POSTGRESQL_TRIGGERS:
            op.execute(f"DROP TRIGGER {trigger} ON letter")
        for function in _POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION {function}()")
    # SQLite drops a table's triggers with it.
    op.drop_table("clinic_image")
    op.drop_table("clinician_profile")
    op.drop_index("ix_letter_patient_finalised_at", table_name="letter")
    op.drop_table("letter")
