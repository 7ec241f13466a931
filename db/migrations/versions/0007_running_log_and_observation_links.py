"""The running log, and each observation linked to the assessment it was measured in (issue 7).

``observation.assessment_id`` names the finalised assessment an observation came from (NULL for one
recorded outside an assessment), so a point on a progress chart can open its assessment. It is added
with a plain ``ALTER TABLE ... ADD COLUMN`` on both backends, never with a SQLite batch operation: a batch
recreates the table and would drop its triggers (0004's and 0005's) with it. The foreign key takes the
default action (NO ACTION) and no name, as SQLite reflects neither from a column added this way; an
erasure deletes the observations before the assessments, so it never stands in the way.

Backfill. Until now ``SqlAssessmentRepository.finalise`` wrote an assessment and its observations in one
transaction without linking them, so the link is recovered from what that transaction left behind: an
observation belongs to the assessment of the same patient and the same episode (both NULL counts as the
same), assessed on the day it was observed, whose ``finalised_at`` is closest to the observation's
``recorded_at``, and no more than 60 seconds from it. Closest, not just "the same day": an amendment
made later that day is a second assessment of the same date, and each observation must link to its own.
An observation with no such assessment (typed in outside the wizard, or demo data) stays NULL. A
correction (0004) measured the same thing as the version it replaces, so it takes that version's link.

0004's trigger refuses every UPDATE of an observation, and the backfill is one. The migration drops that
trigger, runs the backfill and creates the trigger again, exactly as 0004 wrote it. Both backends run a
migration in one transaction (PostgreSQL's DDL is transactional; SQLite's write transaction holds the
file), so no other connection ever sees the table unprotected; if the backfill fails the trigger's drop
rolls back with it.

``running_session`` holds the runs a patient reports (``workstation.running.records.RunRecord``), in
kilometres. Unlike observations they may be corrected or deleted in place: ``version`` refuses a stale
save (RELIABILITY.md I1) and every change is audited by the service. CHECKs keep the distance above 0, the
perceived effort within 0-10 and the source one of manual, csv, strava. As 0005 does for episodes, a
restricted record (GDPR Art 18) gets no new run and its runs are not changed or deleted; the refusal
carries 0005's message, which ``db.errors`` recognises. The application's role owns the new table and
keeps every privilege on it (runs are edited and deleted; an erasure deletes them without a permit).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-16
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_LINK_WINDOW_S = 60
# 0004's UPDATE trigger, word for word (it is dropped for the backfill and created again).
_OBSERVATION_REFUSAL = "observations are never changed or deleted: record a correction instead"
_SQLITE_OBSERVATION_NO_UPDATE = (
    "CREATE TRIGGER observation_no_update BEFORE UPDATE ON observation "
    f"BEGIN SELECT RAISE(ABORT, '{_OBSERVATION_REFUSAL}'); END"
)
_POSTGRESQL_OBSERVATION_NO_UPDATE = (
    "CREATE TRIGGER observation_no_update BEFORE UPDATE ON observation "
    "FOR EACH STATEMENT EXECUTE FUNCTION observation_refuse_change()"
)
# 0004's DELETE trigger and 0005's INSERT guard: SQLite's batch in ``downgrade`` drops them with the table.
_NO_PERMIT = "SELECT 1 FROM erasure_permit WHERE erasure_permit.patient_id = OLD.patient_id"
_RESTRICTED_REFUSAL = "calfdesk: processing of this record is restricted"  # 0005's REFUSAL, word for word
_RESTRICTED = "SELECT 1 FROM patient_restriction WHERE patient_restriction.patient_id = {patient}"
_SQLITE_OBSERVATION_OTHERS = (
    f"CREATE TRIGGER observation_no_delete BEFORE DELETE ON observation "
    f"WHEN NOT EXISTS ({_NO_PERMIT}) BEGIN SELECT RAISE(ABORT, '{_OBSERVATION_REFUSAL}'); END",
    "CREATE TRIGGER observation_restricted_no_insert BEFORE INSERT ON observation "
    f"WHEN EXISTS ({_RESTRICTED.format(patient='NEW.patient_id')}) "
    f"BEGIN SELECT RAISE(ABORT, '{_RESTRICTED_REFUSAL}'); END",
)

_SQLITE_RUN_GUARDS = (
    ("running_session_restricted_no_insert", "INSERT", "NEW.patient_id"),
    ("running_session_restricted_no_update", "UPDATE", "OLD.patient_id"),
    ("running_session_restricted_no_move", "UPDATE", "NEW.patient_id"),
    ("running_session_restricted_no_delete", "DELETE", "OLD.patient_id"),
)
_SQLITE_RUN_TRIGGERS = tuple(
    f"CREATE TRIGGER {name} BEFORE {operation} ON running_session "
    f"WHEN EXISTS ({_RESTRICTED.format(patient=patient)}) BEGIN SELECT RAISE(ABORT, '{_RESTRICTED_REFUSAL}'); END"
    for name, operation, patient in _SQLITE_RUN_GUARDS
)
_POSTGRESQL_RUN_TRIGGERS = (
    # 0005's function checks NEW (and OLD on UPDATE); a DELETE has no NEW, so it gets a function of its own
    # that returns OLD (a BEFORE DELETE trigger returning NULL would skip the delete silently).
    f"""CREATE FUNCTION running_session_refuse_delete_if_restricted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS ({_RESTRICTED.format(patient="OLD.patient_id")}) THEN
        RAISE EXCEPTION '{_RESTRICTED_REFUSAL}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END
$$""",
    "CREATE TRIGGER running_session_restricted_no_change BEFORE INSERT OR UPDATE ON running_session "
    "FOR EACH ROW EXECUTE FUNCTION record_refuse_if_restricted()",
    "CREATE TRIGGER running_session_restricted_no_delete BEFORE DELETE ON running_session "
    "FOR EACH ROW EXECUTE FUNCTION running_session_refuse_delete_if_restricted()",
)


def _backfill_statements(dialect: str) -> tuple[str, str]:
    """(link each observation to its assessment, pass a link on to corrections) for ``dialect``."""
    if dialect == "postgresql":
        same_episode = "a.episode_id IS NOT DISTINCT FROM observation.episode_id"
        gap = "abs(extract(epoch FROM (a.finalised_at - observation.recorded_at)))"
    else:  # SQLite keeps both instants as UTC text, which julianday() reads
        same_episode = "a.episode_id IS observation.episode_id"
        gap = "abs(julianday(a.finalised_at) - julianday(observation.recorded_at)) * 86400.0"
    link = (  # built from the constants above, no input
        "UPDATE observation SET assessment_id = ("  # noqa: S608
        "SELECT a.id FROM assessment a WHERE a.patient_id = observation.patient_id "
        f"AND {same_episode} AND a.assessed_on = observation.observed_on AND {gap} <= {_LINK_WINDOW_S} "
        f"ORDER BY {gap}, a.id LIMIT 1) "
        "WHERE observation.corrects_id IS NULL"
    )
    inherit = (
        "UPDATE observation SET assessment_id = ("
        "SELECT earlier.assessment_id FROM observation earlier WHERE earlier.id = observation.corrects_id) "
        "WHERE observation.assessment_id IS NULL AND observation.corrects_id IS NOT NULL AND EXISTS ("
        "SELECT 1 FROM observation earlier WHERE earlier.id = observation.corrects_id "
        "AND earlier.assessment_id IS NOT NULL)"
    )
    return link, inherit


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("ALTER TABLE observation ADD COLUMN assessment_id INTEGER REFERENCES assessment (id)")
    op.create_index("ix_observation_assessment_id", "observation", ["assessment_id"])
    _backfill(dialect)
    op.create_table(
        "running_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patient.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("run_on", sa.Date(), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=False),
        sa.Column("duration_min", sa.Float(), nullable=True),
        sa.Column("perceived_effort", sa.Integer(), nullable=True),
        sa.Column("surface", sa.Text(), nullable=True),
        sa.Column("shoes", sa.Text(), nullable=False),
        sa.Column("hills", sa.Boolean(), nullable=True),
        sa.Column("speed_work", sa.Boolean(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("external_id", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("distance_km > 0", name="ck_running_session_distance"),
        sa.CheckConstraint(
            "perceived_effort IS NULL OR perceived_effort BETWEEN 0 AND 10", name="ck_running_session_effort"
        ),
        sa.CheckConstraint("source IN ('manual', 'csv', 'strava')", name="ck_running_session_source"),
    )
    op.create_index("ix_running_session_patient_run_on", "running_session", ["patient_id", "run_on"])
    for statement in _POSTGRESQL_RUN_TRIGGERS if dialect == "postgresql" else _SQLITE_RUN_TRIGGERS:
        op.execute(statement)


def _backfill(dialect: str) -> None:
    """Link the observations finalised before this revision (see the module's docstring)."""
    if dialect == "postgresql":
        op.execute("DROP TRIGGER observation_no_update ON observation")
    else:
        op.execute("DROP TRIGGER observation_no_update")
    link, inherit = _backfill_statements(dialect)
    bind = op.get_bind()
    bind.execute(sa.text(link))
    # One pass per step along a correction chain; chains are short (a typo corrected once or twice).
    while bind.execute(sa.text(inherit)).rowcount:
        pass
    op.execute(_POSTGRESQL_OBSERVATION_NO_UPDATE if dialect == "postgresql" else _SQLITE_OBSERVATION_NO_UPDATE)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER running_session_restricted_no_change ON running_session")
        op.execute("DROP TRIGGER running_session_restricted_no_delete ON running_session")
        op.execute("DROP FUNCTION running_session_refuse_delete_if_restricted()")
    op.drop_table("running_session")  # SQLite drops the table's triggers with it
    op.drop_index("ix_observation_assessment_id", table_name="observation")
    if dialect == "postgresql":
        op.drop_column("observation", "assessment_id")  # its foreign key goes with it
        return
    # SQLite cannot drop a column a foreign key uses: the batch recreates the table, dropping its triggers.
    with op.batch_alter_table("observation") as batch:
        batch.drop_column("assessment_id")  # the batch leaves out the foreign key on it
    for statement in (_SQLITE_OBSERVATION_NO_UPDATE, *_SQLITE_OBSERVATION_OTHERS):
        op.execute(statement)
