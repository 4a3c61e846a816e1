"""the sign-off's story in Prefect: its flow run, stage task runs and transitions told

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('signoff_stories',
    sa.Column('signoff_id', sa.String(length=32), nullable=False),
    sa.Column('flow_run_id', sa.String(length=36), nullable=True),
    sa.Column('task_runs', sa.Text(), nullable=False),
    sa.Column('told', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['signoff_id'], ['signoffs.id'], name=op.f('fk_signoff_stories_signoff_id_signoffs')),
    sa.PrimaryKeyConstraint('signoff_id', name=op.f('pk_signoff_stories'))
    )


def downgrade() -> None:
    op.drop_table('signoff_stories')
