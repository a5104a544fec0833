"""Words passed on only with consent: a party's own space, the child's houses, a mediation's
terms, and a mediation's sessions.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('consent_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('thought', 'feeling', 'worry', 'proposal', 'house_of_worries', 'house_of_good_things', 'house_of_dreams', name='itemkind', native_enum=False, length=24), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sharing', sa.Enum('nobody', 'party', 'parties', 'family', 'everyone', name='sharing', native_enum=False, length=16), nullable=False),
    sa.Column('passed_to_id', sa.Integer(), nullable=True),
    sa.Column('passed_to_ids', sa.String(length=200), nullable=False),
    sa.Column('shared_text', sa.Text(), nullable=True),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('suggestion', sa.Text(), nullable=True),
    sa.Column('suggested_by', sa.String(length=120), nullable=False),
    sa.Column('session_number', sa.Integer(), nullable=False, server_default='1'),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['participant.id'], name=op.f('fk_consent_item_author_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_consent_item_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['passed_to_id'], ['participant.id'], name=op.f('fk_consent_item_passed_to_id_participant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['written_by_id'], ['participant.id'], name=op.f('fk_consent_item_written_by_id_participant'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_item')),
    sa.UniqueConstraint('meeting_id', 'client_id', name=op.f('uq_consent_item_meeting_id'))
    )
    with op.batch_alter_table('consent_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_item_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_item_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('mediation_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('from_item_id', sa.Integer(), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['from_item_id'], ['consent_item.id'], name=op.f('fk_mediation_term_from_item_id_consent_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_mediation_term_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_term')),
    sa.UniqueConstraint('meeting_id', 'client_id', name=op.f('uq_mediation_term_meeting_id'))
    )
    with op.batch_alter_table('mediation_term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_term_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('mediation_term_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.Column('change', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_mediation_term_answer_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['term_id'], ['mediation_term.id'], name=op.f('fk_mediation_term_answer_term_id_mediation_term'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_term_answer')),
    sa.UniqueConstraint('term_id', 'participant_id', name=op.f('uq_mediation_term_answer_term_id'))
    )
    with op.batch_alter_table('mediation_term_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_term_answer_term_id'), ['term_id'], unique=False)

    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('apart', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('session_number', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('session_ended_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('next_session_on', sa.Date(), nullable=True))
    with op.batch_alter_table('meeting_event', schema=None) as batch_op:
        batch_op.alter_column('audience', type_=sa.String(length=200), existing_type=sa.String(length=40))



def downgrade():
    with op.batch_alter_table('meeting_event', schema=None) as batch_op:
        batch_op.alter_column('audience', type_=sa.String(length=40), existing_type=sa.String(length=200))
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_column('next_session_on')
        batch_op.drop_column('session_ended_at')
        batch_op.drop_column('session_number')
        batch_op.drop_column('apart')
    with op.batch_alter_table('mediation_term_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_term_answer_term_id'))

    op.drop_table('mediation_term_answer')
    with op.batch_alter_table('mediation_term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_term_meeting_id'))

    op.drop_table('mediation_term')
    with op.batch_alter_table('consent_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_item_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_consent_item_author_id'))

    op.drop_table('consent_item')
