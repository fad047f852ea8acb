"""platform capabilities: whether the Zalo bot can join groups, as its getMe said at start

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 21:35:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('platform_capabilities',
    sa.Column('channel', sa.Enum('telegram', 'zalo', 'terminal', name='channel', native_enum=False, length=16), nullable=False),
    sa.Column('can_join_groups', sa.Boolean(), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('channel', name=op.f('pk_platform_capabilities'))
    )


def downgrade() -> None:
    op.drop_table('platform_capabilities')
