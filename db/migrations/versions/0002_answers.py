"""Answers: one row per intake answer, owned by a partner or joint, with a visibility.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "answers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "partner_id",
            sa.Integer,
            sa.ForeignKey("partners.id", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("answer_id", sa.String(96), nullable=False),
        sa.Column("value", sa.JSON, nullable=False),
        sa.Column("visibility", sa.String(16), nullable=True),
        sa.Column("content_version", sa.String(32), nullable=False, server_default=""),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.CheckConstraint(
            "visibility IS NULL OR visibility IN ('joint', 'clinician-only')",
            name="ck_answers_visibility",
        ),
    )
    # A NULL partner (a joint answer) counts as one owner here; a plain UNIQUE constraint
    # would let two joint rows with the same answer_id coexist.
    op.create_index(
        "uq_answers_case_partner_answer",
        "answers",
        ["case_id", sa.text("coalesce(partner_id, 0)"), "answer_id"],
        unique=True,
    )
    op.create_index("ix_answers_partner_id", "answers", ["partner_id"])


def downgrade() -> None:
    raise NotImplementedError("vault migrations are forward-only; restore a backup instead")
