"""Applications, decisions in writing, appeals, conflict of interest declarations
(append-only) and equality monitoring answers (a table of their own).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

APPEND_ONLY = ("conflict_declarations", "conflict_actions")


def _append_only_triggers(dialect: str) -> list[str]:
    """Declarations and the actions taken on them are never changed or removed (R8)."""
    statements = []
    for table in APPEND_ONLY:
        if dialect == "sqlite":
            for verb in ("UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    "BEGIN SELECT RAISE(ABORT, 'conflict records are append-only'); END")
        elif dialect == "postgresql":
            # refuse_change_to_append_only() was created with the audit trail (0001).
            statements.append(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_change_to_append_only()")
            statements.append(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_to_append_only()")
    return statements


def upgrade():
    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('learning_objectives', sa.Text(), nullable=False),
    sa.Column('cover_plan', sa.Text(), nullable=False),
    sa.Column('discussed_with_manager', sa.Boolean(), nullable=False),
    sa.Column('has_conflict', sa.Boolean(), nullable=True),
    sa.Column('conflict_details', sa.Text(), nullable=False),
    sa.Column('line_manager_id', sa.Integer(), nullable=True),
    sa.Column('head_of_department_id', sa.Integer(), nullable=True),
    sa.Column('refused_at_stage', sa.String(length=30), nullable=True),
    sa.Column('assessment_outcome', sa.Text(), nullable=False),
    sa.Column('offer_terms', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], name=op.f('fk_applications_applicant_id_users')),
    sa.ForeignKeyConstraint(['head_of_department_id'], ['users.id'], name=op.f('fk_applications_head_of_department_id_users')),
    sa.ForeignKeyConstraint(['line_manager_id'], ['users.id'], name=op.f('fk_applications_line_manager_id_users')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_applications_opportunity_id_opportunities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applications')),
    sa.UniqueConstraint('opportunity_id', 'applicant_id', name=op.f('uq_applications_opportunity_id_applicant_id')),
    sa.UniqueConstraint('reference', name=op.f('uq_applications_reference'))
    )
    op.create_index(op.f('ix_applications_applicant_id'), 'applications', ['applicant_id'])
    op.create_index(op.f('ix_applications_head_of_department_id'), 'applications', ['head_of_department_id'])
    op.create_index(op.f('ix_applications_line_manager_id'), 'applications', ['line_manager_id'])
    op.create_index(op.f('ix_applications_opportunity_id'), 'applications', ['opportunity_id'])
    op.create_index(op.f('ix_applications_status'), 'applications', ['status'])

    op.create_table('conflict_declarations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('declared_by_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('declared_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_conflict_declarations_application_id_applications')),
    sa.ForeignKeyConstraint(['declared_by_id'], ['users.id'], name=op.f('fk_conflict_declarations_declared_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_declarations'))
    )
    op.create_index(op.f('ix_conflict_declarations_application_id'), 'conflict_declarations', ['application_id'])

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=30), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=False),
    sa.Column('grounds', sa.String(length=200), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_decisions_application_id_applications')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_decisions_decided_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions'))
    )
    op.create_index(op.f('ix_decisions_application_id'), 'decisions', ['application_id'])

    op.create_table('equality_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('age_band', sa.String(length=30), nullable=True),
    sa.Column('sex', sa.String(length=30), nullable=True),
    sa.Column('ethnic_group', sa.String(length=60), nullable=True),
    sa.Column('disability', sa.String(length=30), nullable=True),
    sa.Column('sexual_orientation', sa.String(length=30), nullable=True),
    sa.Column('religion', sa.String(length=60), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_equality_responses_application_id_applications')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_equality_responses')),
    sa.UniqueConstraint('application_id', name=op.f('uq_equality_responses_application_id'))
    )
    op.create_table('appeals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('refusal_id', sa.Integer(), nullable=False),
    sa.Column('grounds', sa.Text(), nullable=False),
    sa.Column('lodged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome_decision_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_appeals_application_id_applications')),
    sa.ForeignKeyConstraint(['outcome_decision_id'], ['decisions.id'], name=op.f('fk_appeals_outcome_decision_id_decisions')),
    sa.ForeignKeyConstraint(['refusal_id'], ['decisions.id'], name=op.f('fk_appeals_refusal_id_decisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appeals')),
    sa.UniqueConstraint('refusal_id', name=op.f('uq_appeals_refusal_id'))
    )
    op.create_index(op.f('ix_appeals_application_id'), 'appeals', ['application_id'])

    op.create_table('conflict_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('declaration_id', sa.Integer(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['declaration_id'], ['conflict_declarations.id'], name=op.f('fk_conflict_actions_declaration_id_conflict_declarations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_conflict_actions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_actions'))
    )
    op.create_index(op.f('ix_conflict_actions_declaration_id'), 'conflict_actions', ['declaration_id'])

    for statement in _append_only_triggers(op.get_bind().dialect.name):
        op.execute(statement)



def downgrade():
    op.drop_table('conflict_actions')
    op.drop_table('appeals')
    op.drop_table('equality_responses')
    op.drop_table('decisions')
    op.drop_table('conflict_declarations')
    op.drop_table('applications')
