"""Provider circuits: a provider whose every attempt failed is skipped until its cooldown ends.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "provider_circuits",
        sa.Column("provider", sa.String(32), primary_key=True),
        sa.Column("open_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("error_kind", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("key_digest", sa.String(64), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("provider_circuits")
