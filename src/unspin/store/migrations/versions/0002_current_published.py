"""Index analyses on (current, published, id): a date-range listing reads only the current
analyses of those dates, instead of walking every newer one.

Revision ID: 0002_current_published
Revises: 0001
Create Date: 2026-12-03 09:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002_current_published"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("analyses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_analyses_current_published", ["current", "published", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("analyses", schema=None) as batch_op:
        batch_op.drop_index("ix_analyses_current_published")
