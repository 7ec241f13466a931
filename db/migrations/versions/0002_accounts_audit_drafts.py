"""Accounts, failed logins, the append-only audit log and drafts.

The audit table refuses UPDATE and DELETE (and, on PostgreSQL, TRUNCATE) with a trigger, so nothing
going through SQL can rewrite history quietly (RELIABILITY.md F3). On PostgreSQL the application's own
role also loses those privileges; the trigger still stops a superuser, who ignores privileges.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_REFUSAL = "audit entries are append-only"

_SQLITE_TRIGGERS = (
    f"CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
    f"CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
)

# Statement-level, so even an UPDATE or DELETE that matches no row is refused.
_POSTGRESQL_PROTECTION = (
    f"""CREATE FUNCTION audit_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'insufficient_privilege';
END
$$""",
    "CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()",
    "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_refuse_change()",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM PUBLIC",
    # The application connects as the table's owner; an owner may give up its own privileges.
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM CURRENT_USER",
)


def _text(name: str, length: int) -> sa.Column[str]:
    return sa.Column(name, sa.String(length), nullable=False)


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean(), nullable=False)


def _moment(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _user_fk() -> sa.Column[int]:
    return sa.Column("user_id", sa.Integer(), sa.ForeignKey("app_user.id", ondelete="RESTRICT"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), primary_key=True),
        _text("user_name", 100),
        sa.Column("user_key", sa.String(100), nullable=False, unique=True),
        _text("display_name", 200),
        _text("role", 16),
        _text("password_hash", 255),
        _flag("is_owner"),
        _flag("active"),
        _flag("must_change_password"),
        sa.Column("version", sa.Integer(), nullable=False),
        _moment("created_at"),
        _moment("updated_at"),
    )
    op.create_table(
        "failed_login",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk(),
        _moment("failed_at"),
    )
    op.create_index("ix_failed_login_user_failed_at", "failed_login", ["user_id", "failed_at"])
    _create_audit_entry()
    op.create_table(
        "draft",
        sa.Column("id", sa.Integer(), primary_key=True),
        _user_fk(),
        _text("kind", 32),
        _text("key", 64),
        sa.Column("payload", sa.Text(), nullable=False),
        _moment("saved_at"),
        sa.UniqueConstraint("user_id", "kind", "key", name="uq_draft_user_kind_key"),
    )
    _protect_audit_entry()


def _create_audit_entry() -> None:
    op.create_table(
        "audit_entry",
        sa.Column("sequence", sa.Integer(), primary_key=True, autoincrement=False),
        _text("event", 40),
        _text("action", 1),
        _text("outcome", 16),
        _moment("occurred_at"),
        sa.Column("user_id", sa.Integer(), nullable=True),
        _text("user_name", 100),
        _text("role", 16),
        _text("workstation", 255),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        _text("object_type", 32),
        _text("object_id", 64),
        _text("detail", 500),
        _text("previous_hash", 64),
        _text("entry_hash", 64),
    )
    for column in ("event", "occurred_at", "user_id", "patient_id"):
        op.create_index(f"ix_audit_entry_{column}", "audit_entry", [column])


def _protect_audit_entry() -> None:
    dialect = op.get_bind().dialect.name
    statements = _POSTGRESQL_PROTECTION if dialect == "postgresql" else _SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    # Dropping the table takes its triggers and privileges with it; the function stands alone.
    op.drop_table("draft")
    op.drop_table("audit_entry")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION audit_entry_refuse_change()")
    op.drop_index("ix_failed_login_user_failed_at", table_name="failed_login")
    op.drop_table("failed_login")
    op.drop_table("app_user")
