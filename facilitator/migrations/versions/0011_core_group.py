"""The core group in the plan's terms (who, when it first meets, how often), and the day a
review's decision to step the plan down or end it takes effect.

Revision ID: 0011
Revises: 0010
Create Date: 2027-01-10
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('plan_terms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('core_group_meets_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('core_group_every_weeks', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('decision_on', sa.Date(), nullable=True))

    op.create_table('core_group_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('terms_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_core_group_member_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['terms_id'], ['plan_terms.id'], name=op.f('fk_core_group_member_terms_id_plan_terms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_group_member')),
    sa.UniqueConstraint('terms_id', 'participant_id', name=op.f('uq_core_group_member_terms_id'))
    )
    with op.batch_alter_table('core_group_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_group_member_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_group_member_terms_id'), ['terms_id'], unique=False)


def downgrade():
    with op.batch_alter_table('core_group_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_group_member_terms_id'))
        batch_op.drop_index(batch_op.f('ix_core_group_member_participant_id'))

    op.drop_table('core_group_member')
    with op.batch_alter_table('plan_terms', schema=None) as batch_op:
        batch_op.drop_column('decision_on')
        batch_op.drop_column('core_group_every_weeks')
        batch_op.drop_column('core_group_meets_on')
