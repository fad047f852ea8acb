"""campaigns, their outcome options and per-household outcomes; household attributes from the list; "Dân vận khéo" models

Revision ID: 0008_campaigns
Revises: 0007
Create Date: 2026-12-04 21:13:16.608168
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0008_campaigns'
down_revision: str | None = '0007_evaluation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('campaigns',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('scope_unit_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('audience', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('target_percent', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('target_told_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('week_left_told_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['commune_id'], ['org_units.id'], name=op.f('fk_campaigns_commune_id_org_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['created_by'], ['people.id'], name=op.f('fk_campaigns_created_by_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['scope_unit_id'], ['org_units.id'], name=op.f('fk_campaigns_scope_unit_id_org_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaigns'))
    )
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.create_index('ix_campaigns_commune_end', ['commune_id', 'ends_on'], unique=False)

    op.create_table('dvk_models',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('field', sa.Enum('economy', 'culture_society', 'security', 'environment', 'party_building', 'other', name='modelfield', native_enum=False, length=24), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('photo_ref', sa.String(length=512), nullable=True),
    sa.Column('photo_channel', sa.Enum('telegram', 'zalo', 'terminal', name='channel', native_enum=False, length=16), nullable=True),
    sa.Column('status', sa.Enum('proposed', 'approved', 'returned', name='modelstatus', native_enum=False, length=16), nullable=False),
    sa.Column('proposed_by', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['commune_id'], ['org_units.id'], name=op.f('fk_dvk_models_commune_id_org_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['proposed_by'], ['people.id'], name=op.f('fk_dvk_models_proposed_by_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['reviewed_by'], ['people.id'], name=op.f('fk_dvk_models_reviewed_by_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['org_units.id'], name=op.f('fk_dvk_models_team_id_org_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['village_id'], ['org_units.id'], name=op.f('fk_dvk_models_village_id_org_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dvk_models'))
    )
    with op.batch_alter_table('dvk_models', schema=None) as batch_op:
        batch_op.create_index('ix_dvk_models_commune_status', ['commune_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_dvk_models_village_id'), ['village_id'], unique=False)

    op.create_table('campaign_options',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.Enum('agreed', 'working', 'refused', 'excluded', name='outcomekind', native_enum=False, length=16), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_options_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_options')),
    sa.UniqueConstraint('campaign_id', 'position', name=op.f('uq_campaign_options_campaign_id_position'))
    )
    op.create_table('household_attributes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('name_key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_household_attributes_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household_attributes')),
    sa.UniqueConstraint('household_id', 'name_key', name=op.f('uq_household_attributes_household_id_name_key'))
    )
    with op.batch_alter_table('household_attributes', schema=None) as batch_op:
        batch_op.create_index('ix_household_attributes_name', ['name_key', 'household_id'], unique=False)

    op.create_table('campaign_households',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('nhom_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=True),
    sa.Column('outcome_kind', sa.Enum('agreed', 'working', 'refused', 'excluded', name='outcomekind', native_enum=False, length=16), nullable=True),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_campaign_households_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['households.id'], name=op.f('fk_campaign_households_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['nhom_id'], ['org_units.id'], name=op.f('fk_campaign_households_nhom_id_org_units'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['option_id'], ['campaign_options.id'], name=op.f('fk_campaign_households_option_id_campaign_options'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['recorded_by'], ['people.id'], name=op.f('fk_campaign_households_recorded_by_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['village_id'], ['org_units.id'], name=op.f('fk_campaign_households_village_id_org_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_households')),
    sa.UniqueConstraint('campaign_id', 'household_id', name=op.f('uq_campaign_households_campaign_id_household_id'))
    )
    with op.batch_alter_table('campaign_households', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_households_household', ['household_id'], unique=False)

    op.create_table('campaign_outcomes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_household_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_household_id'], ['campaign_households.id'], name=op.f('fk_campaign_outcomes_campaign_household_id_campaign_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_id'], ['campaign_options.id'], name=op.f('fk_campaign_outcomes_option_id_campaign_options'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_campaign_outcomes_person_id_people'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], name=op.f('fk_campaign_outcomes_visit_id_visits'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_outcomes'))
    )
    with op.batch_alter_table('campaign_outcomes', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_outcomes_row', ['campaign_household_id', 'recorded_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('campaign_outcomes', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_outcomes_row')

    op.drop_table('campaign_outcomes')
    with op.batch_alter_table('campaign_households', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_households_household')

    op.drop_table('campaign_households')
    with op.batch_alter_table('household_attributes', schema=None) as batch_op:
        batch_op.drop_index('ix_household_attributes_name')

    op.drop_table('household_attributes')
    op.drop_table('campaign_options')
    with op.batch_alter_table('dvk_models', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dvk_models_village_id'))
        batch_op.drop_index('ix_dvk_models_commune_status')

    op.drop_table('dvk_models')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_index('ix_campaigns_commune_end')

    op.drop_table('campaigns')
