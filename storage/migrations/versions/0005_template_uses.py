"""One row per request served from a template, so a month's reuse and savings are the month's own.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "template_uses",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("template_id", sa.String(40), nullable=False, index=True),
        sa.Column("template_name", sa.String(200), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.Column("agent", sa.String(64), nullable=True),
        sa.Column("project", sa.String(64), nullable=True),
        sa.Column("saved_usd", sa.Numeric(12, 6), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("template_uses")
