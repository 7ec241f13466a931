"""Observations are immutable: a correction is a new row linked to the version it replaces (RELIABILITY.md I2).

New columns on ``observation``:

- ``corrects_id``: the observation this one replaces (NULL for a first recording). It is unique, so a
  version is replaced at most once and the versions of a measurement form one chain, never a fork: of two
  corrections of the same version saved at once, the second fails to insert and is refused as a conflict.
  The foreign key takes the default action (NO ACTION), which both SQLite and PostgreSQL check at the end
  of the statement, so one DELETE can remove a whole chain (see erasure below).
- ``correction_reason``: why the value was corrected ('' for a first recording).
- ``recorded_by``: the user who recorded this version (NULL when no one was logged in, e.g. demo data).
  No foreign key, as for ``audit_entry.user_id``: accounts are never deleted, and an observation must
  never block anything done to an account.

Triggers refuse every UPDATE of an observation, and every DELETE except during an erasure, on both
backends. On PostgreSQL TRUNCATE (which skips DELETE triggers) is refused too, and the application's
role gives up TRUNCATE on the table. Unlike ``audit_entry`` (0002) it keeps UPDATE: the foreign-key check
of a correction locks the row it corrects FOR KEY SHARE, as the table's owner, and that needs UPDATE
privilege; the trigger refuses the UPDATE itself. It keeps DELETE for the erasure path.

Erasure after the retention period (RELIABILITY.md G2), for whoever writes it:

    In ONE write transaction: INSERT INTO erasure_permit (patient_id) VALUES (:id); DELETE FROM
    observation WHERE patient_id = :id (one statement, so a correction chain goes at once); DELETE FROM
    erasure_permit WHERE patient_id = :id; then delete the patient's other rows.

The permit is a row rather than a session variable because SQLite has no session variables and its
triggers cannot read temporary tables; a real table works the same on both backends. A permit unlocks
the observations of one patient only, and it cannot outlive its transaction: ``erasure_permit`` has a
deferred foreign key that no row can satisfy (``blocks_commit`` must name a permit with patient id -1,
which the CHECK forbids), so a COMMIT that still holds a permit fails and the whole transaction, deletes
included, rolls back. The triggers keep the application from changing history by mistake; someone with
direct SQL access and the key can still drop them, which the audit chain (F2) and backups cover.
``tests/db/test_immutable_records.py`` runs these steps on both backends. A schema walk for the
subject-access export (G1) can leave ``erasure_permit`` out: it never holds a committed row.

SQLite batch migrations that recreate ``observation`` drop its triggers with it: such a migration must
create them again (``SQLITE_TRIGGERS`` here).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_REFUSAL = "observations are never changed or deleted: record a correction instead"
_NO_PERMIT = "SELECT 1 FROM erasure_permit WHERE erasure_permit.patient_id = OLD.patient_id"

SQLITE_TRIGGERS = (
    f"CREATE TRIGGER observation_no_update BEFORE UPDATE ON observation BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
    f"CREATE TRIGGER observation_no_delete BEFORE DELETE ON observation "
    f"WHEN NOT EXISTS ({_NO_PERMIT}) BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
)

_POSTGRESQL_PROTECTION = (
    f"""CREATE FUNCTION observation_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'insufficient_privilege';
END
$$""",
    f"""CREATE FUNCTION observation_delete_if_permitted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS ({_NO_PERMIT}) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'insufficient_privilege';
END
$$""",
    # Statement-level, so even an UPDATE that matches no row is refused.
    "CREATE TRIGGER observation_no_update BEFORE UPDATE ON observation "
    "FOR EACH STATEMENT EXECUTE FUNCTION observation_refuse_change()",
    # Row-level, because the permit is per patient.
    "CREATE TRIGGER observation_no_delete BEFORE DELETE ON observation "
    "FOR EACH ROW EXECUTE FUNCTION observation_delete_if_permitted()",
    "CREATE TRIGGER observation_no_truncate BEFORE TRUNCATE ON observation "
    "FOR EACH STATEMENT EXECUTE FUNCTION observation_refuse_change()",
    "REVOKE UPDATE, DELETE, TRUNCATE ON observation FROM PUBLIC",
    "REVOKE TRUNCATE ON observation FROM CURRENT_USER",
)


def upgrade() -> None:
    with op.batch_alter_table("observation") as batch:
        batch.add_column(sa.Column("corrects_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("correction_reason", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("recorded_by", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_observation_corrects_id", "observation", ["corrects_id"], ["id"])
        batch.create_unique_constraint("uq_observation_corrects_id", ["corrects_id"])
    op.create_table(
        "erasure_permit",
        sa.Column("patient_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("blocks_commit", sa.Integer(), nullable=False, server_default="-1"),
        sa.CheckConstraint("patient_id > 0", name="ck_erasure_permit_patient_id"),
        sa.ForeignKeyConstraint(
            ["blocks_commit"],
            ["erasure_permit.patient_id"],
            name="fk_erasure_permit_blocks_commit",
            deferrable=True,
            initially="DEFERRED",
        ),
    )
    _protect_observation()


def _protect_observation() -> None:
    dialect = op.get_bind().dialect.name
    statements = _POSTGRESQL_PROTECTION if dialect == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger in ("observation_no_update", "observation_no_delete", "observation_no_truncate"):
            op.execute(f"DROP TRIGGER {trigger} ON observation")
        op.execute("DROP FUNCTION observation_refuse_change()")
        op.execute("DROP FUNCTION observation_delete_if_permitted()")
        op.execute("GRANT TRUNCATE ON observation TO CURRENT_USER")
    else:
        op.execute("DROP TRIGGER observation_no_update")
        op.execute("DROP TRIGGER observation_no_delete")
    op.drop_table("erasure_permit")
    with op.batch_alter_table("observation") as batch:
        batch.drop_constraint("uq_observation_corrects_id", type_="unique")
        batch.drop_constraint("fk_observation_corrects_id", type_="foreignkey")
        batch.drop_column("recorded_by")
        batch.drop_column("correction_reason")
        batch.drop_column("corrects_id")
