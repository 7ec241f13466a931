"""Restriction of processing (GDPR Art 18, RELIABILITY.md G2): a patient_restriction row marks a record
that is kept but must not be changed.

While a patient has a row here, triggers refuse, on both backends:

- any UPDATE of the patient's row;
- any INSERT or UPDATE of an episode of theirs (an UPDATE that moves an episode to or from them too);
- any INSERT of an observation of theirs (0004 already refuses UPDATE, and DELETE outside an erasure).

The row's foreign key (RESTRICT) also keeps the patient from being deleted, so a restricted record
cannot be erased until the restriction is lifted. Every refusal carries ``REFUSAL`` in its message,
which ``db.errors`` turns into ``workstation.privacy.restriction.ProcessingRestricted``.

SQLite batch migrations that recreate ``patient``, ``episode`` or ``observation`` drop their triggers with
them: such a migration must create them again (``SQLITE_TRIGGERS`` here, and 0004's for observation).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-11
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

REFUSAL = "calfdesk: processing of this record is restricted"
_RESTRICTED = "SELECT 1 FROM patient_restriction WHERE patient_restriction.patient_id = {patient}"
_SQLITE_GUARDS = (
    ("patient_restricted_no_update", "UPDATE", "patient", "OLD.id"),
    ("episode_restricted_no_insert", "INSERT", "episode", "NEW.patient_id"),
    ("episode_restricted_no_update", "UPDATE", "episode", "OLD.patient_id"),
    ("episode_restricted_no_move", "UPDATE", "episode", "NEW.patient_id"),
    ("observation_restricted_no_insert", "INSERT", "observation", "NEW.patient_id"),
)
SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
    f"WHEN EXISTS ({_RESTRICTED.format(patient=patient)}) BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
    for name, operation, table, patient in _SQLITE_GUARDS
)

_POSTGRESQL_GUARDS = (
    f"""CREATE FUNCTION patient_refuse_if_restricted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS ({_RESTRICTED.format(patient="OLD.id")}) THEN
        RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$""",
    f"""CREATE FUNCTION record_refuse_if_restricted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS ({_RESTRICTED.format(patient="NEW.patient_id")}) THEN
        RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        IF EXISTS ({_RESTRICTED.format(patient="OLD.patient_id")}) THEN
            RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$""",
    "CREATE TRIGGER patient_restricted_no_update BEFORE UPDATE ON patient "
    "FOR EACH ROW EXECUTE FUNCTION patient_refuse_if_restricted()",
    "CREATE TRIGGER episode_restricted_no_change BEFORE INSERT OR UPDATE ON episode "
    "FOR EACH ROW EXECUTE FUNCTION record_refuse_if_restricted()",
    "CREATE TRIGGER observation_restricted_no_insert BEFORE INSERT ON observation "
    "FOR EACH ROW EXECUTE FUNCTION record_refuse_if_restricted()",
)


def upgrade() -> None:
    op.create_table(
        "patient_restriction",
        sa.Column(
            "patient_id",
            sa.Integer(),
            sa.ForeignKey("patient.id", ondelete="RESTRICT"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("grounds", sa.String(32), nullable=False),
        sa.Column("restricted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("restricted_by", sa.Integer(), nullable=True),
    )
    statements = _POSTGRESQL_GUARDS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER patient_restricted_no_update ON patient")
        op.execute("DROP TRIGGER episode_restricted_no_change ON episode")
        op.execute("DROP TRIGGER observation_restricted_no_insert ON observation")
        op.execute("DROP FUNCTION patient_refuse_if_restricted()")
        op.execute("DROP FUNCTION record_refuse_if_restricted()")
    else:
        for name, *_ in _SQLITE_GUARDS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("patient_restriction")
