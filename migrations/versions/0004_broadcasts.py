"""broadcasts with acknowledgement

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 05:10:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_channel', sa.Enum('telegram', 'zalo', 'terminal', name='channel',
                                                               native_enum=False, length=16), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_announcements_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_announcements_due', ['enqueued_at', 'send_at'], unique=False)

    with op.batch_alter_table('announcement_receipts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('announcement_receipts', schema=None) as batch_op:
        batch_op.drop_column('reported_at')

    with op.batch_alter_table('announcements', schema=None) as batch_op:
        batch_op.drop_index('ix_announcements_due')
        batch_op.drop_index(batch_op.f('ix_announcements_author_id'))
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('photo_channel')
