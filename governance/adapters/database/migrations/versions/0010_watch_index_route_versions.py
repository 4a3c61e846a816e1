"""the watcher's next check per sign-off (indexed, with state); route versions stored once

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 09:00:00

Each distinct route text moves into ``route_versions`` under its SHA-256 (of the same UTF-8 text,
so ``signoff status`` shows the same hash), and ``signoffs.route_yaml`` goes. Sign-offs in
progress get a next check of the epoch: the watcher looks at each once and stores the real time.
On SQLite the batch copies ``signoffs`` into a new table; ``engine.migrate`` runs it with foreign
keys off and checks them all before it commits.
"""

import hashlib
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

EPOCH = datetime(1970, 1, 1)  # naive UTC, as both dialects take it here: "look at it at the next run"


def upgrade() -> None:
    op.create_table('route_versions',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('route_id', sa.String(length=120), nullable=False),
    sa.Column('yaml', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_route_versions'))
    )
    with op.batch_alter_table('signoffs') as batch:
        batch.add_column(sa.Column('route_sha256', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('next_check_at', sa.DateTime(timezone=True), nullable=True))
    _copy_route_versions()
    with op.batch_alter_table('signoffs') as batch:
        batch.alter_column('route_sha256', existing_type=sa.String(length=64), nullable=False)
        batch.create_foreign_key(
            op.f('fk_signoffs_route_sha256_route_versions'), 'route_versions', ['route_sha256'], ['sha256']
        )
        batch.drop_column('route_yaml')
        batch.create_index('ix_signoffs_state_next_check_at', ['state', 'next_check_at'], unique=False)


def _copy_route_versions() -> None:
    """One ``route_versions`` row per distinct route text, and each sign-off pointed at its own."""
    bind = op.get_bind()
    signoffs = sa.table(
        'signoffs',
        sa.column('id'), sa.column('route_id'), sa.column('route_yaml'), sa.column('created_at'),
        sa.column('state'), sa.column('route_sha256'), sa.column('next_check_at', sa.DateTime()),
    )
    versions = sa.table('route_versions', sa.column('sha256'), sa.column('route_id'), sa.column('yaml'),
                        sa.column('created_at'))
    first = (
        sa.select(signoffs.c.route_yaml, sa.func.min(signoffs.c.route_id), sa.func.min(signoffs.c.created_at))
        .group_by(signoffs.c.route_yaml)
    )
    for text, route_id, created_at in bind.execute(first).all():
        sha = hashlib.sha256(text.encode()).hexdigest()
        bind.execute(versions.insert().values(sha256=sha, route_id=route_id, yaml=text, created_at=created_at))
        bind.execute(signoffs.update().where(signoffs.c.route_yaml == text).values(route_sha256=sha))
    at = EPOCH if bind.dialect.name == 'sqlite' else EPOCH.replace(tzinfo=UTC)
    bind.execute(signoffs.update().where(signoffs.c.state == 'in_progress').values(next_check_at=at))


def downgrade() -> None:
    with op.batch_alter_table('signoffs') as batch:
        batch.add_column(sa.Column('route_yaml', sa.Text(), nullable=True))
    op.execute(
        'UPDATE signoffs SET route_yaml = '
        '(SELECT yaml FROM route_versions WHERE route_versions.sha256 = signoffs.route_sha256)'
    )
    with op.batch_alter_table('signoffs') as batch:
        batch.alter_column('route_yaml', existing_type=sa.Text(), nullable=False)
        batch.drop_index('ix_signoffs_state_next_check_at')
        batch.drop_constraint(op.f('fk_signoffs_route_sha256_route_versions'), type_='foreignkey')
        batch.drop_column('next_check_at')
        batch.drop_column('route_sha256')
    op.drop_table('route_versions')
