"""Reports: each failure report's and month statement's HTML and PDF, served over HTTP from any machine.

Revision ID: 0012_reports
Revises: 0011_provider_health
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_reports"
down_revision = "0011_provider_health"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.Column("month", sa.String(7), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_reports_kind", "reports", ["kind"])
    op.create_index("ix_reports_request_id", "reports", ["request_id"])
    op.create_index("ix_reports_created_at", "reports", ["created_at"])


def downgrade() -> None:
    op.drop_table("reports")
