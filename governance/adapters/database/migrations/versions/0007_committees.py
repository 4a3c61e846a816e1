"""committees: the meeting a stage is booked on, deferrals, late papers, chair's action, minutes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 11:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

STAGE_COLUMNS: tuple[sa.Column[object], ...] = (
    sa.Column('meeting', sa.Date(), nullable=True),
    sa.Column('paper_deadline', sa.Date(), nullable=True),
    sa.Column('paper_submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('late_paper', sa.Text(), nullable=True),
    sa.Column('chairs_requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('chairs_requested_by', sa.String(length=320), nullable=True),
    sa.Column('chairs_reason', sa.Text(), nullable=True),
    sa.Column('chairs_by', sa.String(length=320), nullable=True),
    sa.Column('chairs_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ratify_at', sa.Date(), nullable=True),
    sa.Column('ratified_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ratify_minute_ref', sa.String(length=200), nullable=True),
)
DECISION_COLUMNS: tuple[sa.Column[object], ...] = (
    sa.Column('meeting_key', sa.String(length=10), server_default='', nullable=False),
    sa.Column('minute_ref', sa.String(length=200), nullable=True),
    sa.Column('amendments', sa.Text(), nullable=True),
    sa.Column('quorate', sa.Boolean(), nullable=True),
    sa.Column('interests', sa.Text(), nullable=True),
)
ONCE = ['signoff_id', 'stage_id', 'reviewer', 'document_version']


def upgrade() -> None:
    with op.batch_alter_table('stage_runs') as batch:
        for column in STAGE_COLUMNS:
            batch.add_column(column.copy())
    with op.batch_alter_table('decisions') as batch:
        for column in DECISION_COLUMNS:
            batch.add_column(column.copy())
        batch.drop_constraint('uq_decisions_once', type_='unique')
        batch.create_unique_constraint('uq_decisions_once', [*ONCE, 'meeting_key'])
    with op.batch_alter_table('action_tokens') as batch:
        batch.add_column(sa.Column('purpose', sa.String(length=16), server_default='decide', nullable=False))
        batch.add_column(sa.Column('meeting', sa.Date(), nullable=True))
    op.create_table('deferrals',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('signoff_id', sa.String(length=32), nullable=False),
    sa.Column('stage_id', sa.String(length=120), nullable=False),
    sa.Column('from_meeting', sa.Date(), nullable=False),
    sa.Column('to_meeting', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('minute_ref', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['signoff_id'], ['signoffs.id'], name=op.f('fk_deferrals_signoff_id_signoffs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deferrals'))
    )
    op.create_index('ix_deferrals_stage', 'deferrals', ['signoff_id', 'stage_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_deferrals_stage', table_name='deferrals')
    op.drop_table('deferrals')
    with op.batch_alter_table('action_tokens') as batch:
        batch.drop_column('meeting')
        batch.drop_column('purpose')
    with op.batch_alter_table('decisions') as batch:
        batch.drop_constraint('uq_decisions_once', type_='unique')
        batch.create_unique_constraint('uq_decisions_once', ONCE)
        for column in DECISION_COLUMNS:
            batch.drop_column(column.name)
    with op.batch_alter_table('stage_runs') as batch:
        for column in STAGE_COLUMNS:
            batch.drop_column(column.name)
