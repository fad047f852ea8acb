"""outbox: an index for keeping each chat's messages in order

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 20:40:00
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_outbox_chat', 'outbox', ['channel', 'chat_id', 'status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_outbox_chat', table_name='outbox')
