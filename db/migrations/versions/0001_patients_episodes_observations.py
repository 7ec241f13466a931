"""Patients, episodes of care and observations.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_SORT_KEY = sa.String(400).with_variant(sa.String(400, collation="C"), "postgresql")


def _text(name: str, length: int) -> sa.Column[str]:
    return sa.Column(name, sa.String(length), nullable=False)


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "patient",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("version", sa.Integer(), nullable=False),
        _text("given_name", 100),
        _text("family_name", 100),
        _text("preferred_name", 100),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        _text("sex", 16),
        _text("phone", 200),
        _text("email", 200),
        _text("address", 500),
        _text("nhs_number", 10),
        _text("medicare_number", 10),
        _text("medicare_irn", 1),
        _text("gp_name", 200),
        _text("gp_practice", 200),
        _text("gp_address", 500),
        _text("gp_phone", 200),
        _text("gp_secure_email", 200),
        _text("emergency_name", 200),
        _text("emergency_relationship", 200),
        _text("emergency_phone", 200),
        sa.Column("gp_consent", sa.Boolean(), nullable=False),
        sa.Column("gp_consent_on", sa.Date(), nullable=True),
        sa.Column("club_consent", sa.Boolean(), nullable=False),
        sa.Column("club_consent_on", sa.Date(), nullable=True),
        sa.Column("sort_key", _SORT_KEY, nullable=False),
        *_stamps(),
    )
    op.create_index("ix_patient_sort_key", "patient", ["sort_key", "id"])
    op.create_index("ix_patient_nhs_number", "patient", ["nhs_number"])
    op.create_index("ix_patient_medicare_number", "patient", ["medicare_number"])

    op.create_table(
        "episode",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patient.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("complaint", sa.Text(), nullable=False),
        _text("side", 8),
        sa.Column("onset_date", sa.Date(), nullable=True),
        _text("status", 16),
        sa.Column("discharge_date", sa.Date(), nullable=True),
        sa.Column("discharge_reason", sa.String(32), nullable=True),
        *_stamps(),
    )
    op.create_index("ix_episode_patient_id", "episode", ["patient_id"])

    op.create_table(
        "observation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("uid", sa.String(36), nullable=False, unique=True),
        sa.Column("patient_id", sa.Integer(), sa.ForeignKey("patient.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("episode_id", sa.Integer(), sa.ForeignKey("episode.id", ondelete="RESTRICT"), nullable=True),
        sa.Column("observed_on", sa.Date(), nullable=False),
        _text("code", 64),
        _text("side", 8),
        sa.Column("value", sa.Float(), nullable=False),
        _text("unit", 32),
        sa.Column("protocol", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_observation_patient_code_date", "observation", ["patient_id", "code", "observed_on"])


def downgrade() -> None:
    op.drop_table("observation")
    op.drop_table("episode")
    op.drop_table("patient")
