"""Requests: each request as it entered the flow, for re-runs and promotions.

Revision ID: 0009_requests
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_requests"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "requests",
        sa.Column("request_id", sa.String(64), primary_key=True),
        sa.Column("task", sa.Text(), nullable=False),
        sa.Column("stack", sa.String(400), nullable=False),
        sa.Column("agent", sa.String(64), nullable=False),
        sa.Column("project", sa.String(64), nullable=False),
        sa.Column("chain", sa.String(400), nullable=True),
        sa.Column("flags", sa.String(400), nullable=True),
        sa.Column("flow_run_id", sa.String(64), nullable=True),
        sa.Column("rerun_of", sa.String(64), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_requests_agent", "requests", ["agent"])
    op.create_index("ix_requests_project", "requests", ["project"])
    op.create_index("ix_requests_created_at", "requests", ["created_at"])


def downgrade() -> None:
    op.drop_table("requests")
