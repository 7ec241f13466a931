"""Finalised assessments and red flags (issue 6).

``assessment`` holds one finalised assessment per row, as observations are held (0004): triggers refuse
every UPDATE, and every DELETE except during an erasure (the same ``erasure_permit`` row that unlocks
the patient's observations unlocks their assessments). A correction is a new row whose ``amends_id``
names the version it replaces; the column is unique, so a version is amended at most once and of two
amendments saved at once the second fails to insert and is refused as a conflict. The foreign key takes
the default action (NO ACTION, checked at the end of the statement), so one DELETE removes a chain.

``red_flag`` rows are stored the moment the wizard raises a flag. A trigger allows exactly two changes,
each once: naming the assessment the flag belongs to (``assessment_id`` from NULL), and recording the
action taken (``action``, ``resolved_at``, ``resolved_by`` from NULL). Everything else, and a recorded
action above all, can never be changed by any path into the database; a CHECK keeps a resolution whole
(an action that is not blank, and when). DELETE is refused outside an erasure, as for assessments.
A partial unique index allows one unresolved flag per (patient, episode, code): raising it again finds
the standing one. (A flag with no episode is not covered by it, NULL being distinct; the repository
checks first.)

As 0005 does for observations, a restricted record (GDPR Art 18) gets no new assessment or red flag,
and its red flags are not changed; the refusal carries 0005's message, which ``db.errors`` recognises.

On PostgreSQL TRUNCATE is refused on both tables and the application's role gives up TRUNCATE on them;
it keeps UPDATE (a foreign-key check locks the referenced row FOR KEY SHARE, which needs it; 0004).

SQLite batch migrations that recreate either table drop its triggers with it: such a migration must
create them again (``SQLITE_TRIGGERS`` here).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_ASSESSMENT_REFUSAL = "finalised assessments are never changed or deleted: record an amendment instead"
_FLAG_REFUSAL = "a red flag is only ever linked to its assessment once and resolved once"
_FLAG_DELETE_REFUSAL = "red flags are never deleted"
_RESTRICTED_REFUSAL = "calfdesk: processing of this record is restricted"  # 0005's REFUSAL, word for word
_NO_PERMIT = "SELECT 1 FROM erasure_permit WHERE erasure_permit.patient_id = OLD.patient_id"
_RESTRICTED = "SELECT 1 FROM patient_restriction WHERE patient_restriction.patient_id = {patient}"
_FIXED_FLAG_COLUMNS = ("id", "uid", "patient_id", "episode_id", "code", "tier", "message", "raised_at", "raised_by")
_RESOLUTION_COLUMNS = ("action", "resolved_at", "resolved_by")


def _flag_change_refused(differs: str) -> str:
    """The condition under which an UPDATE of a red flag is refused; ``differs`` is the backend's
    null-safe "is different from" operator."""
    fixed = [f"NEW.{name} {differs} OLD.{name}" for name in _FIXED_FLAG_COLUMNS]
    relinked = f"(OLD.assessment_id IS NOT NULL AND NEW.assessment_id {differs} OLD.assessment_id)"
    resolution = " OR ".join(f"NEW.{name} {differs} OLD.{name}" for name in _RESOLUTION_COLUMNS)
    re_resolved = f"(OLD.action IS NOT NULL AND ({resolution}))"
    return " OR ".join([*fixed, relinked, re_resolved])


_SQLITE_GUARDS = (
    ("assessment_restricted_no_insert", "INSERT", "assessment", "NEW.patient_id"),
    ("red_flag_restricted_no_insert", "INSERT", "red_flag", "NEW.patient_id"),
    ("red_flag_restricted_no_update", "UPDATE", "red_flag", "OLD.patient_id"),
)
SQLITE_TRIGGERS = (
    "CREATE TRIGGER assessment_no_update BEFORE UPDATE ON assessment "
    f"BEGIN SELECT RAISE(ABORT, '{_ASSESSMENT_REFUSAL}'); END",
    f"CREATE TRIGGER assessment_no_delete BEFORE DELETE ON assessment WHEN NOT EXISTS ({_NO_PERMIT}) "
    f"BEGIN SELECT RAISE(ABORT, '{_ASSESSMENT_REFUSAL}'); END",
    f"CREATE TRIGGER red_flag_link_and_resolve_once BEFORE UPDATE ON red_flag WHEN {_flag_change_refused('IS NOT')} "
    f"BEGIN SELECT RAISE(ABORT, '{_FLAG_REFUSAL}'); END",
    f"CREATE TRIGGER red_flag_no_delete BEFORE DELETE ON red_flag WHEN NOT EXISTS ({_NO_PERMIT}) "
    f"BEGIN SELECT RAISE(ABORT, '{_FLAG_DELETE_REFUSAL}'); END",
    *(
        f"CREATE TRIGGER {name} BEFORE {operation} ON {table} WHEN EXISTS ({_RESTRICTED.format(patient=patient)}) "
        f"BEGIN SELECT RAISE(ABORT, '{_RESTRICTED_REFUSAL}'); END"
        for name, operation, table, patient in _SQLITE_GUARDS
    ),
)

_POSTGRESQL_FUNCTIONS = ("assessment_refuse_change", "assessment_delete_if_permitted", "red_flag_check_change",
                         "red_flag_delete_if_permitted", "red_flag_refuse_truncate")  # fmt: skip
_POSTGRESQL_TRIGGERS = (
    ("assessment_no_update", "assessment"),
    ("assessment_no_delete", "assessment"),
    ("assessment_no_truncate", "assessment"),
    ("assessment_restricted_no_insert", "assessment"),
    ("red_flag_link_and_resolve_once", "red_flag"),
    ("red_flag_no_delete", "red_flag"),
    ("red_flag_no_truncate", "red_flag"),
    ("red_flag_restricted_no_change", "red_flag"),
)
_POSTGRESQL_PROTECTION = (
    f"""CREATE FUNCTION assessment_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{_ASSESSMENT_REFUSAL}' USING ERRCODE = 'insufficient_privilege';
END
$$""",
    f"""CREATE FUNCTION assessment_delete_if_permitted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS ({_NO_PERMIT}) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{_ASSESSMENT_REFUSAL}' USING ERRCODE = 'insufficient_privilege';
END
$$""",
    f"""CREATE FUNCTION red_flag_check_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF {_flag_change_refused("IS DISTINCT FROM")} THEN
        RAISE EXCEPTION '{_FLAG_REFUSAL}' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$""",
    f"""CREATE FUNCTION red_flag_delete_if_permitted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS ({_NO_PERMIT}) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{_FLAG_DELETE_REFUSAL}' USING ERRCODE = 'insufficient_privilege';
END
$$""",
    f"""CREATE FUNCTION red_flag_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{_FLAG_DELETE_REFUSAL}' USING ERRCODE = 'insufficient_privilege';
END
$$""",
    # Statement-level, so even an UPDATE that matches no row is refused.
    "CREATE TRIGGER assessment_no_update BEFORE UPDATE ON assessment "
    "FOR EACH STATEMENT EXECUTE FUNCTION assessment_refuse_change()",
    # Row-level where the permit (per patient) or the row's own values decide.
    "CREATE TRIGGER assessment_no_delete BEFORE DELETE ON assessment "
    "FOR EACH ROW EXECUTE FUNCTION assessment_delete_if_permitted()",
    "CREATE TRIGGER assessment_no_truncate BEFORE TRUNCATE ON assessment "
    "FOR EACH STATEMENT EXECUTE FUNCTION assessment_refuse_change()",
    "CREATE TRIGGER red_flag_link_and_resolve_once BEFORE UPDATE ON red_flag "
    "FOR EACH ROW EXECUTE FUNCTION red_flag_check_change()",
    "CREATE TRIGGER red_flag_no_delete BEFORE DELETE ON red_flag "
    "FOR EACH ROW EXECUTE FUNCTION red_flag_delete_if_permitted()",
    "CREATE TRIGGER red_flag_no_truncate BEFORE TRUNCATE ON red_flag "
    "FOR EACH STATEMENT EXECUTE FUNCTION red_flag_refuse_truncate()",
    # 0005's function: refuses when NEW's (and, on UPDATE, OLD's) patient is restricted.
    "CREATE TRIGGER assessment_restricted_no_insert BEFORE INSERT ON assessment "
    "FOR EACH ROW EXECUTE FUNCTION record_refuse_if_restricted()",
    "CREATE TRIGGER red_flag_restricted_no_change BEFORE INSERT OR UPDATE ON red_flag "
    "FOR EACH ROW EXECUTE FUNCTION record_refuse_if_restricted()",
    "REVOKE UPDATE, DELETE, TRUNCATE ON assessment FROM PUBLIC",
    "REVOKE DELETE, TRUNCATE ON red_flag FROM PUBLIC",
    "REVOKE TRUNCATE ON assessment FROM CURRENT_USER",
    "REVOKE TRUNCATE ON red_flag FROM CURRENT_USER",
)


def _patient_fk() -> sa.Column[int]:
    return sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patient.id", ondelete="RESTRICT"), nullable=False)


def _episode_fk() -> sa.Column[int]:
    return sa.Column("episode_id", sa.Integer(), sa.ForeignKey("episode.id", ondelete="RESTRICT"), nullable=True)


def upgrade() -> None:
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        _patient_fk(),
        _episode_fk(),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("evaluation", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "amends_id", sa.Integer(), sa.ForeignKey("assessment.id", name="fk_assessment_amends_id"), nullable=True
        ),
        sa.Column("amendment_reason", sa.Text(), nullable=False, server_default=""),
        sa.UniqueConstraint("amends_id", name="uq_assessment_amends_id"),
    )
    op.create_index("ix_assessment_patient_assessed_on", "assessment", ["patient_id", "assessed_on"])
    op.create_table(
        "red_flag",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        _patient_fk(),
        _episode_fk(),
        sa.Column("assessment_id", sa.Integer(), sa.ForeignKey("assessment.id", ondelete="RESTRICT"), nullable=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("tier", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("raised_by", sa.Integer(), nullable=True),
        sa.Column("action", sa.Text(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(action IS NULL AND resolved_at IS NULL AND resolved_by IS NULL) "
            "OR (action IS NOT NULL AND length(trim(action)) > 0 AND resolved_at IS NOT NULL)",
            name="ck_red_flag_resolution",
        ),
    )
    op.create_index(
        "uq_red_flag_unresolved",
        "red_flag",
        ["patient_id", "episode_id", "code"],
        unique=True,
        sqlite_where=sa.text("action IS NULL"),
        postgresql_where=sa.text("action IS NULL"),
    )
    op.create_index("ix_red_flag_patient_raised_at", "red_flag", ["patient_id", "raised_at"])
    statements = _POSTGRESQL_PROTECTION if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger, table in _POSTGRESQL_TRIGGERS:
            op.execute(f"DROP TRIGGER {trigger} ON {table}")
        for function in _POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION {function}()")
    # SQLite drops a table's triggers with it.
    op.drop_table("red_flag")
    op.drop_table("assessment")
