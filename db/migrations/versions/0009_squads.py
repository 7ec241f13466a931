"""Clubs, squads, who is in them, and screening days (issue 9).

``club`` and ``squad`` hold a club's teams for a season, with the coach's contacts; names are looked up
by ``name_key`` (trimmed, spaces collapsed, casefolded), unique per club and, for squads, per club and
season. ``squad_member`` holds an athlete's (a patient's) time in a squad, ``joined_on`` until
``left_on``; a partial unique index keeps at most one open membership per athlete and squad, so two
workstations adding the same athlete at once store one. ``screening`` is one squad's screening day, open
while its worksheet is filled in and then completed; a partial unique index allows one open screening
per squad and day. ``screening_entry`` is one athlete's row of the worksheet, as typed (the values as
JSON, a short note). ``screening_observation`` links a completed screening to the observations its
completion stored (0004's immutable table), so its results are read back at their current versions.

Every mutable row has ``version`` (RELIABILITY.md I1). As 0005 does for episodes and 0007 for runs, a
restricted record (GDPR Art 18) gets no new membership or worksheet row and its own are not changed
(the refusal carries 0005's message, which ``db.errors`` recognises). Nothing here needs an erasure
permit: an erasure deletes the patient's memberships, worksheet rows and screening links without one.
The club, squad and screening rows hold nothing about a patient and stay.

SQLite batch migrations that recreate ``squad_member`` or ``screening_entry`` drop their triggers with
them: such a migration must create them again (``SQLITE_TRIGGERS`` here).

Revision ID: 0009
Revises: 0008
Create Date: 2027-01-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_RESTRICTED_REFUSAL = "calfdesk: processing of this record is restricted"  # 0005's REFUSAL, word for word
_RESTRICTED = "SELECT 1 FROM patient_restriction WHERE patient_restriction.patient_id = {patient}"
_GUARDED_TABLES = ("squad_member", "screening_entry")
_SQLITE_GUARDS = tuple(
    (f"{table}_restricted_{what}", operation, table, patient)
    for table in _GUARDED_TABLES
    for what, operation, patient in (
        ("no_insert", "INSERT", "NEW.patient_id"),
        ("no_update", "UPDATE", "OLD.patient_id"),
        ("no_move", "UPDATE", "NEW.patient_id"),
    )
)
SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER {name} BEFORE {operation} ON {table} "
    f"WHEN EXISTS ({_RESTRICTED.format(patient=patient)}) BEGIN SELECT RAISE(ABORT, '{_RESTRICTED_REFUSAL}'); END"
    for name, operation, table, patient in _SQLITE_GUARDS
)
# 0005's function checks NEW, and OLD on UPDATE.
_POSTGRESQL_TRIGGERS = tuple(
    f"CREATE TRIGGER {table}_restricted_no_change BEFORE INSERT OR UPDATE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION record_refuse_if_restricted()"
    for table in _GUARDED_TABLES
)


def _version() -> sa.Column[int]:
    return sa.Column("version", sa.Integer(), nullable=False)


def _uid() -> sa.Column[str]:
    return sa.Column("uid", sa.String(36), nullable=False, unique=True)


def _create_clubs_and_squads() -> None:
    op.create_table(
        "club",
        sa.Column("id", sa.Integer(), primary_key=True),
        _uid(),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(400), nullable=False, unique=True),
        _version(),
        sa.CheckConstraint("length(trim(name)) > 0", name="ck_club_name"),
    )
    op.create_table(
        "squad",
        sa.Column("id", sa.Integer(), primary_key=True),
        _uid(),
        sa.Column("club_id", sa.Integer(), sa.ForeignKey("club.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("name_key", sa.String(400), nullable=False),
        sa.Column("season", sa.String(50), nullable=False),
        sa.Column("coach_name", sa.String(200), nullable=False),
        sa.Column("coach_email", sa.String(200), nullable=False),
        sa.Column("coach_phone", sa.String(200), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        _version(),
        sa.UniqueConstraint("club_id", "name_key", "season", name="uq_squad_club_name_season"),
        sa.CheckConstraint("length(trim(name)) > 0", name="ck_squad_name"),
    )
    op.create_index("ix_squad_name_key", "squad", ["name_key"])
    op.create_table(
        "squad_member",
        sa.Column("id", sa.Integer(), primary_key=True),
        _uid(),
        sa.Column("squad_id", sa.Integer(), sa.ForeignKey("squad.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patient.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        _version(),
        sa.CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="ck_squad_member_dates"),
    )
    op.create_index("ix_squad_member_patient_id", "squad_member", ["patient_id"])
    op.create_index("ix_squad_member_squad_joined_on", "squad_member", ["squad_id", "joined_on"])
    op.create_index(
        "uq_squad_member_current",
        "squad_member",
        ["squad_id", "patient_id"],
        unique=True,
        sqlite_where=sa.text("left_on IS NULL"),
        postgresql_where=sa.text("left_on IS NULL"),
    )


def _create_screenings() -> None:
    op.create_table(
        "screening",
        sa.Column("id", sa.Integer(), primary_key=True),
        _uid(),
        sa.Column("squad_id", sa.Integer(), sa.ForeignKey("squad.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.Integer(), nullable=True),
        _version(),
        sa.CheckConstraint("status IN ('open', 'completed')", name="ck_screening_status"),
        sa.CheckConstraint(
            "(status = 'open' AND completed_at IS NULL AND completed_by IS NULL) "
            "OR (status = 'completed' AND completed_at IS NOT NULL)",
            name="ck_screening_completion",
        ),
    )
    op.create_index("ix_screening_squad_held_on", "screening", ["squad_id", "held_on"])
    op.create_index(
        "uq_screening_open_day",
        "screening",
        ["squad_id", "held_on"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "screening_entry",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("screening_id", sa.Integer(), sa.ForeignKey("screening.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patient.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("values_json", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        _version(),
        sa.UniqueConstraint("screening_id", "patient_id", name="uq_screening_entry_athlete"),
        sa.CheckConstraint("length(note) <= 2000", name="ck_screening_entry_note"),  # SCREENING_NOTE_MAX_CHARS
    )
    op.create_index("ix_screening_entry_patient_id", "screening_entry", ["patient_id"])
    op.create_table(
        "screening_observation",
        sa.Column(
            "observation_id",
            sa.Integer(),
            sa.ForeignKey("observation.id", ondelete="RESTRICT"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("screening_id", sa.Integer(), sa.ForeignKey("screening.id", ondelete="RESTRICT"), nullable=False),
    )
    op.create_index("ix_screening_observation_screening_id", "screening_observation", ["screening_id"])


def upgrade() -> None:
    # An athlete import looks up only the held patients born on the file's dates, not all of them.
    op.create_index("ix_patient_date_of_birth", "patient", ["date_of_birth"])
    _create_clubs_and_squads()
    _create_screenings()
    statements = _POSTGRESQL_TRIGGERS if op.get_bind().dialect.name == "postgresql" else SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in _GUARDED_TABLES:
            op.execute(f"DROP TRIGGER {table}_restricted_no_change ON {table}")
    # SQLite drops a table's triggers with it; indexes go with their tables on both backends.
    for table in ("screening_observation", "screening_entry", "screening", "squad_member", "squad", "club"):
        op.drop_table(table)
    op.drop_index("ix_patient_date_of_birth", table_name="patient")
