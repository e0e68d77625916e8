"""Provider health: a circuit's state (closed, open, half-open with one probe claimed), its growth and its
failures; and the model a call was sent to, beside the one that answered.

Revision ID: 0011_provider_health
Revises: 0010_prompt_layers
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_provider_health"
down_revision = "0010_prompt_layers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("provider_circuits") as batch:
        batch.add_column(sa.Column("state", sa.String(16), nullable=False, server_default="open"))
        batch.add_column(sa.Column("since", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("level", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("failures", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("probe_token", sa.String(64), nullable=True))
        batch.add_column(sa.Column("probe_until", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE provider_circuits SET since = opened_at WHERE since IS NULL")
    with op.batch_alter_table("calls") as batch:
        batch.add_column(sa.Column("model_asked", sa.String(128), nullable=True))
    # Rows written before stay NULL: their model column may hold either name.


def downgrade() -> None:
    with op.batch_alter_table("calls") as batch:
        batch.drop_column("model_asked")
    with op.batch_alter_table("provider_circuits") as batch:
        for column in ("version", "probe_until", "probe_token", "failures", "level", "since", "state"):
            batch.drop_column(column)
