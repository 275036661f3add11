"""Per-outlet counters (totals, techniques, entities, months), kept by the writer, so an
outlet's profile reads a few rows instead of aggregating every one of its articles; filled
here from the analyses already stored, by the writer's own counting (``aggregates``), so the
back-fill and later writes cannot count differently.

Revision ID: 0003_outlet_counters
Revises: 0002_current_published
Create Date: 2026-12-03 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from unspin.store import aggregates

revision: str = "0003_outlet_counters"
down_revision: str | None = "0002_current_published"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outlet_totals",
        sa.Column("site", sa.String(length=255), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("unattributed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("site"),
    )
    op.create_table(
        "outlet_techniques",
        sa.Column("site", sa.String(length=255), nullable=False),
        sa.Column("technique", sa.String(length=60), nullable=False),
        sa.Column("spans", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("site", "technique"),
    )
    op.create_table(
        "outlet_entities",
        sa.Column("site", sa.String(length=255), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entity_id"], ["entities.id"]),
        sa.PrimaryKeyConstraint("site", "entity_id"),
    )
    with op.batch_alter_table("outlet_entities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outlet_entities_top", ["site", "mentions", "entity_id"], unique=False
        )
    op.create_table(
        "outlet_months",
        sa.Column("site", sa.String(length=255), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("words", sa.Integer(), nullable=False),
        sa.Column("spans", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("site", "month"),
    )
    aggregates.recount(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("outlet_entities", schema=None) as batch_op:
        batch_op.drop_index("ix_outlet_entities_top")
    for table in ("outlet_months", "outlet_entities", "outlet_techniques", "outlet_totals"):
        op.drop_table(table)
