"""evaluation: rubrics per commune or province, hand scores, frozen yearly results

Revision ID: 0007_evaluation
Revises: 0006
Create Date: 2026-12-04 21:00:00
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0007_evaluation'
down_revision: str | None = '0007_reports_doc'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('evaluation_rubrics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('criteria', _JSON, nullable=False),
    sa.Column('bands', _JSON, nullable=False),
    sa.Column('period_end', sa.String(length=5), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_evaluation_rubrics_unit_id_org_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['people.id'], name=op.f('fk_evaluation_rubrics_updated_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_rubrics')),
    sa.UniqueConstraint('unit_id', name=op.f('uq_evaluation_rubrics_unit_id'))
    )
    op.create_table('evaluation_hand_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('points', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('scored_by_id', sa.Integer(), nullable=True),
    sa.Column('scored_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['scored_by_id'], ['people.id'], name=op.f('fk_evaluation_hand_scores_scored_by_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['org_units.id'], name=op.f('fk_evaluation_hand_scores_team_id_org_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_hand_scores')),
    sa.UniqueConstraint('team_id', 'year', 'code', name=op.f('uq_evaluation_hand_scores_team_id_year_code'))
    )
    op.create_table('evaluation_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('data', _JSON, nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['commune_id'], ['org_units.id'], name=op.f('fk_evaluation_results_commune_id_org_units'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['people.id'], name=op.f('fk_evaluation_results_confirmed_by_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation_results')),
    sa.UniqueConstraint('commune_id', 'year', name=op.f('uq_evaluation_results_commune_id_year'))
    )


def downgrade() -> None:
    op.drop_table('evaluation_results')
    op.drop_table('evaluation_hand_scores')
    op.drop_table('evaluation_rubrics')
