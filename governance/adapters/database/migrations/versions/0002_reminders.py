"""reminders: the nudges queued for each stage (reminders, escalations, stall notices)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reminders',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('signoff_id', sa.String(length=32), nullable=False),
    sa.Column('stage_id', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('recipient', sa.String(length=2000), nullable=False),
    sa.Column('slot', sa.Date(), nullable=False),
    sa.Column('manual', sa.Boolean(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('dedupe_key', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['signoff_id'], ['signoffs.id'], name=op.f('fk_reminders_signoff_id_signoffs')),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox.id'], name=op.f('fk_reminders_outbox_id_outbox')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_reminders_dedupe_key'))
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index('ix_reminders_stage', ['signoff_id', 'stage_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index('ix_reminders_stage')
    op.drop_table('reminders')
