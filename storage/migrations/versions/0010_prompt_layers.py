"""Prompt layers: every version of an agent's, a project's or a task type's blocks over a system prompt.

Revision ID: 0010_prompt_layers
Revises: 0009_requests
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_prompt_layers"
down_revision = "0009_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prompt_layers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("prompt", sa.String(32), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("prompt", "scope", "target", "version", name="uq_prompt_layer_version"),
    )


def downgrade() -> None:
    op.drop_table("prompt_layers")
