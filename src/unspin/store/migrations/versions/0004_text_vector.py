"""PostgreSQL: store the text's tsvector beside it (a generated column) with the GIN index
on it, so the word search checks a row without parsing its text again and a page can walk
the ids backwards; SQLite's FTS5 table needs nothing.

Revision ID: 0004_text_vector
Revises: 0003_outlet_counters
Create Date: 2026-12-03 11:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_text_vector"
down_revision: str | None = "0003_outlet_counters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "ALTER TABLE analyses ADD COLUMN text_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED"
    )
    op.execute("CREATE INDEX ix_analyses_text_vector ON analyses USING gin (text_vector)")
    op.execute("DROP INDEX ix_analyses_words")
    # statistics for the new column, or the planner guesses: autovacuum would not analyse a
    # table whose rows were rewritten, not changed
    op.execute("ANALYZE analyses")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE INDEX ix_analyses_words ON analyses USING gin (to_tsvector('simple', text))")
    op.execute("DROP INDEX ix_analyses_text_vector")
    op.execute("ALTER TABLE analyses DROP COLUMN text_vector")
