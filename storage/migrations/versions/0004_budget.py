"""Budget: stored budget, reservations (reserve before a call, settle after), fired alerts, month closes.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "budget_settings",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("amount_usd", sa.Numeric(12, 6), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "budget_reservations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("call_id", sa.Integer, nullable=True, index=True),
        sa.Column("month", sa.String(7), nullable=False, index=True),
        sa.Column("day", sa.String(10), nullable=False, index=True),
        sa.Column("agent", sa.String(64), nullable=False),
        sa.Column("project", sa.String(64), nullable=False),
        sa.Column("provider", sa.String(32), nullable=False),
        sa.Column("model", sa.String(128), nullable=True),
        sa.Column("amount_usd", sa.Numeric(12, 6), nullable=False),
        sa.Column("cost_usd", sa.Numeric(12, 6), nullable=True),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "budget_alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scope", sa.String(100), nullable=False),
        sa.Column("period", sa.String(10), nullable=False, index=True),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("spent_usd", sa.Numeric(12, 6), nullable=False),
        sa.Column("budget_usd", sa.Numeric(12, 6), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("scope", "period", "level", name="uq_budget_alerts_scope_period_level"),
    )
    op.create_table(
        "month_closes",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("html_path", sa.Text, nullable=False),
        sa.Column("pdf_path", sa.Text, nullable=False),
        sa.Column("spent_usd", sa.Numeric(12, 6), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("month_closes", "budget_alerts", "budget_reservations", "budget_settings"):
        op.drop_table(table)
