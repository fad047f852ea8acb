"""official reports: a commune's Word template, and each draft sent with the submission it became

Revision ID: 0007_reports_doc
Revises: 0006
Create Date: 2026-12-04 21:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_reports_doc'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('report_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['org_units.id'], name=op.f('fk_report_templates_commune_id_org_units'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_templates')),
    sa.UniqueConstraint('commune_id', name=op.f('uq_report_templates_commune_id'))
    )
    op.create_table('report_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['report_submissions.id'],
                            name=op.f('fk_report_drafts_submission_id_report_submissions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_report_drafts_unit_id_org_units'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_drafts')),
    sa.UniqueConstraint('unit_id', 'kind', 'year', 'version', name=op.f('uq_report_drafts_unit_id_kind_year_version'))
    )
    with op.batch_alter_table('report_drafts', schema=None) as batch_op:
        batch_op.create_index('ix_report_drafts_unit_kind_year', ['unit_id', 'kind', 'year'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('report_drafts', schema=None) as batch_op:
        batch_op.drop_index('ix_report_drafts_unit_kind_year')
    op.drop_table('report_drafts')
    op.drop_table('report_templates')
