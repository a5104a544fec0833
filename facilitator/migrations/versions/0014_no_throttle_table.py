"""Attempts are counted in Redis or the process's memory (`services/throttle.py`): the table
that once held them, no longer written, goes.

Revision ID: 0014
Revises: 0013
Create Date: 2027-03-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('throttle_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_throttle_event_key_hash'))
        batch_op.drop_index(batch_op.f('ix_throttle_event_at'))
    op.drop_table('throttle_event')


def downgrade():
    op.create_table(
        'throttle_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle_event')),
    )
    with op.batch_alter_table('throttle_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_throttle_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_throttle_event_key_hash'), ['key_hash'], unique=False)
