"""Learned and starter templates, with their skeleton index keys.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "templates",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("signature", sa.String(40), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("stack_key", sa.String(200), nullable=False),
        sa.Column("source_task", sa.Text(), nullable=False),
        sa.Column("skeleton", sa.Text(), nullable=False),
        sa.Column("slots", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("source_provider", sa.String(32), nullable=True),
        sa.Column("source_model", sa.String(128), nullable=True),
        sa.Column("source_call_id", sa.Integer(), nullable=True),
        sa.Column("source_cost_usd", sa.Numeric(12, 6), nullable=True),
        sa.Column("quality_score", sa.Float(), nullable=False),
        sa.Column("usage_count", sa.Integer(), nullable=False),
        sa.Column("failure_count", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_templates_stack_key", "templates", ["stack_key"])
    op.create_index("ix_templates_source_provider", "templates", ["source_provider"])
    op.create_index("ix_templates_enabled", "templates", ["enabled"])
    op.create_table(
        "template_keys",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("template_id", sa.String(40), sa.ForeignKey("templates.id", ondelete="CASCADE"), primary_key=True),
    )


def downgrade() -> None:
    op.drop_table("template_keys")
    op.drop_table("templates")
