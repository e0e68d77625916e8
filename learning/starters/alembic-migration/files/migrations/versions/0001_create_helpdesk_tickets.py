"""Create the helpdesk_tickets table.

Revision ID: 7c1f0e5a9b32
Revises:
Create Date: 2025-01-01 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c1f0e5a9b32"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table, its constraints and its status index."""
    op.create_table(
        "helpdesk_tickets",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), server_default="open", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_helpdesk_tickets"),
        sa.UniqueConstraint("reference", name="uq_helpdesk_tickets_reference"),
    )
    op.create_index("ix_helpdesk_tickets_status", "helpdesk_tickets", ["status"])


def downgrade() -> None:
    """Drop the index and the table."""
    op.drop_index("ix_helpdesk_tickets_status", table_name="helpdesk_tickets")
    op.drop_table("helpdesk_tickets")
