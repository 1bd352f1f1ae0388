"""Foundation: practice settings, cases, partners, consent records and the audit chain.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64


def upgrade() -> None:
    settings = op.create_table(
        "practice_settings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("clinician_name", sa.String, nullable=False, server_default=""),
        sa.Column("credentials", sa.String, nullable=False, server_default=""),
        sa.Column("practice_name", sa.String, nullable=False, server_default=""),
        sa.Column("practice_contact", sa.Text, nullable=False, server_default=""),
        sa.Column("crisis_contacts", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("auto_lock_minutes", sa.Integer, nullable=False, server_default="10"),
        sa.Column("backups_kept", sa.Integer, nullable=False, server_default="14"),
        sa.Column("retention_years", sa.Integer, nullable=False, server_default="7"),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_practice_settings_single_row"),
    )
    op.bulk_insert(settings, [{"id": 1, "updated_at": "1970-01-01T00:00:00.000000Z"}])

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("public_id", sa.String(36), nullable=False, unique=True),
        sa.Column("label", sa.String(collation="NOCASE"), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("confidentiality_policy", sa.String(24), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("last_seen_at", sa.String(32), nullable=True),
        sa.Column("is_demo", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.CheckConstraint(
            "status IN ('intake', 'active', 'paused', 'closed')", name="ck_cases_status"
        ),
        sa.CheckConstraint(
            "confidentiality_policy IN ('no-secrets', 'limited-secrets')",
            name="ck_cases_confidentiality_policy",
        ),
    )
    for column in ("label", "status", "created_at", "updated_at", "last_seen_at"):
        op.create_index(f"ix_cases_{column}", "cases", [column])

    op.create_table(
        "partners",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("key", sa.String(8), nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("pronouns", sa.String, nullable=False, server_default=""),
        sa.Column("date_of_birth", sa.Date, nullable=True),
        sa.Column("contact", sa.Text, nullable=False, server_default=""),
        sa.Column("audit_c_threshold", sa.Integer, nullable=False, server_default="3"),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("case_id", "key", name="uq_partners_case_key"),
        sa.CheckConstraint("audit_c_threshold IN (3, 4)", name="ck_partners_audit_c_threshold"),
    )
    op.create_index("ix_partners_case_id", "partners", ["case_id"])

    op.create_table(
        "consent_records",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(48), nullable=False),
        sa.Column("policy", sa.String(24), nullable=True),
        sa.Column("consented_on", sa.Date, nullable=False),
        sa.Column("consented_by", sa.JSON, nullable=False, server_default="[]"),
        sa.Column("wording_version", sa.String(32), nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("recorded_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_consent_records_case_id", "consent_records", ["case_id"])

    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("record_type", sa.String(32), nullable=True),
        sa.Column("record_id", sa.String(64), nullable=True),
        sa.Column("details", sa.Text, nullable=False, server_default="{}"),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("last_seq", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_audit_head_single_row"),
    )
    op.bulk_insert(head, [{"id": 1, "last_seq": 0, "last_hash": GENESIS_HASH}])


def downgrade() -> None:
    raise NotImplementedError("vault migrations are forward-only; restore a backup instead")
