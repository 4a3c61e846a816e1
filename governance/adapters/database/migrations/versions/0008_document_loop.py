"""document loop: versions, tags, conditional stages, delegations and absences

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 19:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('signoffs') as batch:
        batch.add_column(sa.Column('tags', sa.Text(), server_default='', nullable=False))
    with op.batch_alter_table('stage_runs') as batch:
        batch.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch.add_column(sa.Column('skipped_reason', sa.Text(), nullable=True))
    with op.batch_alter_table('decisions') as batch:
        batch.add_column(sa.Column('on_behalf_of', sa.String(length=320), nullable=True))
    op.create_table('document_versions',
    sa.Column('signoff_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=300), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('change_summary', sa.Text(), server_default='', nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('made_by', sa.String(length=320), nullable=False),
    sa.ForeignKeyConstraint(['signoff_id'], ['signoffs.id'], name=op.f('fk_document_versions_signoff_id_signoffs')),
    sa.PrimaryKeyConstraint('signoff_id', 'version', name=op.f('pk_document_versions'))
    )
    # Sign-offs started before versions were kept: their current document is their only version.
    op.execute(
        "INSERT INTO document_versions (signoff_id, version, filename, path, sha256, note, at, made_by) "
        "SELECT id, document_version, document_filename, document_path, document_sha256, '', created_at, "
        "lead_email FROM signoffs"
    )
    op.create_table('delegations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('signoff_id', sa.String(length=32), nullable=False),
    sa.Column('stage_id', sa.String(length=120), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reviewer', sa.String(length=320), nullable=False),
    sa.Column('deputy', sa.String(length=320), nullable=False),
    sa.Column('how', sa.String(length=16), nullable=False),
    sa.Column('made_by', sa.String(length=320), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['signoff_id'], ['signoffs.id'], name=op.f('fk_delegations_signoff_id_signoffs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegations'))
    )
    op.create_index('ix_delegations_stage', 'delegations', ['signoff_id', 'stage_id'], unique=False)
    op.create_table('absences',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('person', sa.String(length=320), nullable=False),
    sa.Column('deputy', sa.String(length=320), nullable=False),
    sa.Column('starts', sa.Date(), nullable=False),
    sa.Column('ends', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('made_by', sa.String(length=320), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absences'))
    )
    op.create_index(op.f('ix_absences_person'), 'absences', ['person'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_absences_person'), table_name='absences')
    op.drop_table('absences')
    op.drop_index('ix_delegations_stage', table_name='delegations')
    op.drop_table('delegations')
    op.drop_table('document_versions')
    with op.batch_alter_table('decisions') as batch:
        batch.drop_column('on_behalf_of')
    with op.batch_alter_table('stage_runs') as batch:
        batch.drop_column('skipped_reason')
        batch.drop_column('version')
    with op.batch_alter_table('signoffs') as batch:
        batch.drop_column('tags')
