"""official reports: a unit's founding date and the figures only people know

Revision ID: 0007_reports_data
Revises: 0006
Create Date: 2026-12-04 21:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_reports_data'
down_revision: str | None = '0008_campaigns'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('founded_on', sa.Date(), nullable=True))
    op.create_table('report_fields',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_report_fields_unit_id_org_units'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['people.id'], name=op.f('fk_report_fields_updated_by_id_people'),
                            ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_fields')),
    sa.UniqueConstraint('unit_id', 'year', 'key', name=op.f('uq_report_fields_unit_id_year_key'))
    )


def downgrade() -> None:
    op.drop_table('report_fields')
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_column('founded_on')
