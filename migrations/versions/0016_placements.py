"""Placements, their agreement kept version by version as sent to legal, and each
party's signature of a version (issue 11). A signature, once given, is never changed or
removed: the database refuses it, as it does for issued documents (0008); a later version
voids earlier signatures by superseding their version, not by touching them.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def _append_only(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return [f"CREATE TRIGGER agreement_signatures_no_{verb.lower()} BEFORE {verb} ON "
                "agreement_signatures BEGIN SELECT RAISE(ABORT, 'signatures are "
                "append-only'); END" for verb in ("UPDATE", "DELETE")]
    if dialect == "postgresql":
        # refuse_change_to_append_only() was created with the audit trail (0001).
        return ["CREATE TRIGGER agreement_signatures_append_only BEFORE UPDATE OR DELETE ON "
                "agreement_signatures FOR EACH ROW EXECUTE FUNCTION "
                "refuse_change_to_append_only()",
                "CREATE TRIGGER agreement_signatures_no_truncate BEFORE TRUNCATE ON "
                "agreement_signatures FOR EACH STATEMENT EXECUTE FUNCTION "
                "refuse_change_to_append_only()"]
    return []


def upgrade():
    op.create_table('placements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('route', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('secondee_id', sa.Integer(), nullable=True),
    sa.Column('secondee_name', sa.String(length=200), nullable=False),
    sa.Column('secondee_email', sa.String(length=320), nullable=False),
    sa.Column('secondee_employer', sa.String(length=200), nullable=False),
    sa.Column('home_organisation_id', sa.Integer(), nullable=False),
    sa.Column('home_department_id', sa.Integer(), nullable=True),
    sa.Column('host_organisation_id', sa.Integer(), nullable=False),
    sa.Column('host_department_id', sa.Integer(), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('notice_weeks', sa.Integer(), nullable=False),
    sa.Column('working_pattern', sa.String(length=20), nullable=False),
    sa.Column('hours', sa.String(length=200), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=100), nullable=False),
    sa.Column('grade', sa.String(length=50), nullable=False),
    sa.Column('acting_up_allowance', sa.String(length=200), nullable=False),
    sa.Column('salary_paid_by', sa.String(length=20), nullable=False),
    sa.Column('expenses_paid_by', sa.String(length=20), nullable=False),
    sa.Column('home_invoices_host', sa.Boolean(), nullable=False),
    sa.Column('substantive_manager_id', sa.Integer(), nullable=True),
    sa.Column('host_manager_id', sa.Integer(), nullable=True),
    sa.Column('host_manager_name', sa.String(length=200), nullable=False),
    sa.Column('host_manager_email', sa.String(length=320), nullable=False),
    sa.Column('buddy_id', sa.Integer(), nullable=True),
    sa.Column('objectives', sa.String(length=6000), nullable=False),
    sa.Column('other_terms', sa.String(length=6000), nullable=False),
    sa.Column('return_post', sa.String(length=200), nullable=False),
    sa.Column('return_grade', sa.String(length=50), nullable=False),
    sa.Column('accommodation', sa.String(length=2000), nullable=False),
    sa.Column('subsistence', sa.String(length=2000), nullable=False),
    sa.Column('travel', sa.String(length=2000), nullable=False),
    sa.Column('insurance', sa.String(length=2000), nullable=False),
    sa.Column('duration_reason', sa.String(length=2000), nullable=False),
    sa.Column('board_decided_by_id', sa.Integer(), nullable=True),
    sa.Column('board_decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('board_approved', sa.Boolean(), nullable=True),
    sa.Column('board_reason', sa.String(length=2000), nullable=False),
    sa.Column('fairness_record', sa.String(length=6000), nullable=False),
    sa.Column('signatory_id', sa.Integer(), nullable=True),
    sa.Column('host_confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('host_confirmed_by_id', sa.Integer(), nullable=True),
    sa.Column('host_comment', sa.String(length=2000), nullable=False),
    sa.Column('home_manager_agreed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('host_manager_agreed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.String(length=2000), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_placements_application_id_applications')),
    sa.ForeignKeyConstraint(['board_decided_by_id'], ['users.id'], name=op.f('fk_placements_board_decided_by_id_users')),
    sa.ForeignKeyConstraint(['buddy_id'], ['users.id'], name=op.f('fk_placements_buddy_id_users')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_placements_created_by_id_users')),
    sa.ForeignKeyConstraint(['home_department_id'], ['departments.id'], name=op.f('fk_placements_home_department_id_departments')),
    sa.ForeignKeyConstraint(['home_organisation_id'], ['organisations.id'], name=op.f('fk_placements_home_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['host_confirmed_by_id'], ['users.id'], name=op.f('fk_placements_host_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['host_department_id'], ['departments.id'], name=op.f('fk_placements_host_department_id_departments')),
    sa.ForeignKeyConstraint(['host_manager_id'], ['users.id'], name=op.f('fk_placements_host_manager_id_users')),
    sa.ForeignKeyConstraint(['host_organisation_id'], ['organisations.id'], name=op.f('fk_placements_host_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], name=op.f('fk_placements_opportunity_id_opportunities')),
    sa.ForeignKeyConstraint(['secondee_id'], ['users.id'], name=op.f('fk_placements_secondee_id_users')),
    sa.ForeignKeyConstraint(['signatory_id'], ['users.id'], name=op.f('fk_placements_signatory_id_users')),
    sa.ForeignKeyConstraint(['substantive_manager_id'], ['users.id'], name=op.f('fk_placements_substantive_manager_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_placements')),
    sa.UniqueConstraint('application_id', name=op.f('uq_placements_application_id'))
    )
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_placements_host_manager_id'), ['host_manager_id'], unique=False)
        batch_op.create_index('ix_placements_host_organisation', ['host_organisation_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_opportunity_id'), ['opportunity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_secondee_id'), ['secondee_id'], unique=False)
        batch_op.create_index('ix_placements_status_start', ['status', 'start_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_placements_substantive_manager_id'), ['substantive_manager_id'], unique=False)

    op.create_table('agreement_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('legal_comments', sa.String(length=6000), nullable=False),
    sa.Column('executed_pdf', sa.LargeBinary(), nullable=True),
    sa.Column('executed_sha256', sa.String(length=64), nullable=True),
    sa.Column('executed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_agreement_versions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['document_id'], ['issued_documents.id'], name=op.f('fk_agreement_versions_document_id_issued_documents')),
    sa.ForeignKeyConstraint(['placement_id'], ['placements.id'], name=op.f('fk_agreement_versions_placement_id_placements')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_agreement_versions_sent_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_versions')),
    sa.UniqueConstraint('placement_id', 'number', name=op.f('uq_agreement_versions_placement_id_number'))
    )
    with op.batch_alter_table('agreement_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_versions_placement_id'), ['placement_id'], unique=False)

    op.create_table('agreement_signatures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(length=20), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=False),
    sa.Column('signer_name', sa.String(length=200), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement_versions.id'], name=op.f('fk_agreement_signatures_agreement_id_agreement_versions')),
    sa.ForeignKeyConstraint(['signer_id'], ['users.id'], name=op.f('fk_agreement_signatures_signer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_signatures')),
    sa.UniqueConstraint('agreement_id', 'party', name=op.f('uq_agreement_signatures_agreement_id_party'))
    )
    for statement in _append_only(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table('agreement_signatures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_signatures_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_signatures_signer_id'), ['signer_id'], unique=False)



def downgrade():
    with op.batch_alter_table('agreement_signatures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_signatures_signer_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_signatures_agreement_id'))

    op.drop_table('agreement_signatures')
    with op.batch_alter_table('agreement_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_versions_placement_id'))

    op.drop_table('agreement_versions')
    with op.batch_alter_table('placements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_placements_substantive_manager_id'))
        batch_op.drop_index('ix_placements_status_start')
        batch_op.drop_index(batch_op.f('ix_placements_secondee_id'))
        batch_op.drop_index(batch_op.f('ix_placements_opportunity_id'))
        batch_op.drop_index(batch_op.f('ix_placements_kind'))
        batch_op.drop_index('ix_placements_host_organisation')
        batch_op.drop_index(batch_op.f('ix_placements_host_manager_id'))

    op.drop_table('placements')
