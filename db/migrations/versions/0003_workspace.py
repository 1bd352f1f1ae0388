"""Workspace: each case's evaluation summary, indicator acknowledgements and the case's plans.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The case list sorts and filters by the highest indicator without evaluating 10,000
    # intakes: the engine's verdict is stored beside the case whenever its answers change.
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("disposition", sa.String(32), nullable=True))
        batch.add_column(sa.Column("highest_severity", sa.String(16), nullable=True))
        batch.add_column(sa.Column("severity_rank", sa.Integer, nullable=False, server_default="0"))
    op.create_index("ix_cases_severity_rank", "cases", ["severity_rank"])

    op.create_table(
        "indicator_acknowledgements",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "case_id", sa.Integer, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("indicator_key", sa.String(96), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("acknowledged_by", sa.String, nullable=False, server_default=""),
        sa.Column("acknowledged_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_indicator_acknowledgements_case", "indicator_acknowledgements", ["case_id"])

    op.create_table(
        "case_plans",
        sa.Column(
            "case_id",
            sa.Integer,
            sa.ForeignKey("cases.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("pacing_plan", sa.JSON, nullable=True),
        sa.Column("safety_choices", sa.JSON, nullable=True),
        sa.Column("goals", sa.Text, nullable=False, server_default=""),
        sa.Column("recommendations", sa.Text, nullable=False, server_default=""),
        sa.Column("updated_at", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    raise NotImplementedError("vault migrations are forward-only; restore a backup instead")
