"""Secondment opportunities and the business cases the Resources Board decides.

The board's query filters on status, audience and closing date together, then by kind,
department, host organisation, grade, duration, hours and country: each has an index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('opportunities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('offering_department_id', sa.Integer(), nullable=True),
    sa.Column('host_organisation_id', sa.Integer(), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=100), nullable=False),
    sa.Column('grade', sa.String(length=50), nullable=False),
    sa.Column('acting_up', sa.Boolean(), nullable=False),
    sa.Column('working_pattern', sa.String(length=20), nullable=False),
    sa.Column('hours_detail', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('duration_months', sa.Integer(), nullable=True),
    sa.Column('duration_reason', sa.Text(), nullable=False),
    sa.Column('salary_paid_by', sa.String(length=20), nullable=True),
    sa.Column('expenses_paid_by', sa.String(length=20), nullable=True),
    sa.Column('extra_cost', sa.Boolean(), nullable=False),
    sa.Column('skills_sought', sa.Text(), nullable=False),
    sa.Column('eligibility', sa.Text(), nullable=False),
    sa.Column('audience', sa.String(length=30), nullable=False),
    sa.Column('restriction_justification', sa.Text(), nullable=False),
    sa.Column('publicity_assessment', sa.Text(), nullable=False),
    sa.Column('incoming_not_contractor', sa.Boolean(), nullable=False),
    sa.Column('incoming_not_permanent_cover', sa.Boolean(), nullable=False),
    sa.Column('closing_date', sa.Date(), nullable=True),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_after_publication_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['users.id'], name=op.f('fk_opportunities_contact_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_opportunities_created_by_id_users')),
    sa.ForeignKeyConstraint(['host_organisation_id'], ['organisations.id'], name=op.f('fk_opportunities_host_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['offering_department_id'], ['departments.id'], name=op.f('fk_opportunities_offering_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_opportunities'))
    )
    op.create_index(op.f('ix_opportunities_board'), 'opportunities', ['status', 'audience', 'closing_date'])
    op.create_index(op.f('ix_opportunities_country'), 'opportunities', ['country'])
    op.create_index(op.f('ix_opportunities_created_by_id'), 'opportunities', ['created_by_id'])
    op.create_index(op.f('ix_opportunities_duration_months'), 'opportunities', ['duration_months'])
    op.create_index(op.f('ix_opportunities_grade'), 'opportunities', ['grade'])
    op.create_index(op.f('ix_opportunities_host_organisation_id'), 'opportunities', ['host_organisation_id'])
    op.create_index(op.f('ix_opportunities_kind'), 'opportunities', ['kind'])
    op.create_index(op.f('ix_opportunities_offering_department_id'), 'opportunities', ['offering_department_id'])
    op.create_index(op.f('ix_opportunities_published_at'), 'opportunities', ['published_at'])
    op.create_index(op.f('ix_opportunities_working_pattern'), 'opportunities', ['working_pattern'])

    op.create_table('business_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('skills', sa.Text(), nullable=False),
    sa.Column('priorities', sa.String(length=500), nullable=False),
    sa.Column('costs', sa.Text(), nullable=False),
    sa.Column('cover', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_business_cases_decided_by_id_users')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_business_cases_opportunity_id_opportunities')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_business_cases_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_business_cases')),
    sa.UniqueConstraint('opportunity_id', name=op.f('uq_business_cases_opportunity_id'))
    )
    op.create_index(op.f('ix_business_cases_status'), 'business_cases', ['status'])



def downgrade():
    op.drop_index(op.f('ix_business_cases_status'), table_name='business_cases')

    op.drop_table('business_cases')
    op.drop_index(op.f('ix_opportunities_working_pattern'), table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_published_at'), table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_offering_department_id'), table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_kind'), table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_host_organisation_id'), table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_grade'), table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_duration_months'), table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_created_by_id'), table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_country'), table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_board'), table_name='opportunities')

    op.drop_table('opportunities')
